"""Clauses of a message, the client's own details in a deliverable, and compliant rewrites.

The one clause splitter of the detector lives here: ``Engine.explain`` leaves clauses out one
at a time to see which moved the model most, and ``rewrite`` drops the clauses that carry
contact details or a request to leave the platform. Whether a draft breaks the rules is the
model's and the contact finder's call (rules/engine.py), not this module's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

from rules.lexicon import rx as _rx

_BLANK = r"[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_CLAUSE = re.compile(
    rf"[{_BLANK[1:-1]},]"
    rf"(?:(?<=[.!?;\n]{_BLANK}){_BLANK}*+"  # blanks after . ! ? ; or a newline
    rf"|(?<=,){_BLANK}++(?:but|and|so){_BLANK}++"  # ", but"
    rf"|(?<!{_BLANK}{_BLANK})(?<={_BLANK}){_BLANK}*+but{_BLANK}++"  # " but "
    r"|(?<=\n)\n*+)"  # newlines
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Where each clause of ``text`` starts and ends."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# The client's own details inside their deliverable: "your restaurant's number on the flyer",
# "the footer with your support address", a business card or voice-over script.
DELIVERABLE = _rx(
    r"\byour\s+(?:\w+'s\s+|own\s+|new\s+|current\s+|updated\s+)?(?:business|company|shop|store|restaurant|clinic|support|brand|menu|site|website|"
    r"resume|cv|header|footer|landing|page|app|logo|flyer|card|office|team|sales|opening|domain|e-?mail|"
    r"phone|number|po\s+number|linkedin)\b|"
    r"\b(?:business\s+card|flyer|footer|header|voice-?over|script|menu|letterhead|signature|resume|mockup|banner|"
    r"poster|brochure|label|packaging|template|proofs?(?!\s+of)|meta\s+description|alt\s+text|caption|tagline|"
    r"qr\s+code\s+(?:now\s+)?points|line\s+\d+\s+reads|reads\s+'|"
    r"contact\s+page|your\s+(?:new\s+)?contact\s+form|contact\s+form\s+on\s+your|faq|your\s+address|as\s+in\s+your\s+(?:brief|requirements)|from\s+your\s+(?:brief|requirements)|"
    r"the\s+(?:address|e-?mail|number)\s+you\s+gave)\b"
)
# The member's own detail: "my", "mine", "I'm", "our", or "me"/"us" as whom to reach ("email me",
# "reach us at", "me on"); "me" as any other object ("the address you gave me") is not.
FIRST_PERSON_CONTACT = _rx(
    r"\b(?:my|mine|i'm|i\s+am|our)\b(?!\s+(?:bad|mistake))"
    r"|\b(?:contact|e-?mail|mail|call|text|ring|reach|message|msg|ping|dm|write|add|find|follow|hit)\s+"
    r"(?:to\s+)?(?:me|us)\b|\b(?:me|us)\s+(?:at|on|via|through|directly)\b"
)


# "The font is from fonts.google.com", "I built the mock in figma.com": a site named as the
# source of an asset or the tool used, in a clause that says nothing of the writer's own.
_SOURCE_OR_TOOL = _rx(
    r"(?:\b(?:from|in|via|using)\s+(?:the\s+)?(?:\S+\s+(?:and|or)\s+)?"
    r"|\b(?:inspired\s+by|similar\s+to(?:\s+this)?|such\s+as|like\s+(?:the\s+)?\w+\s+on|free\s+on|preview\s+it\s+on"
    r"|reference(?:\s+(?:for\s+(?:the\s+)?)?\w+)?|(?:for\s+)?(?:inspo|inspiration)(?:\s+check)?|look\s+at"
    r"|(?:tutorial|survey|docs|documentation)\s+at|(?:preview|watch|read|see)\s+it\s+at)"
    r"\s*:?\s*"
    # "the video you sent (youtube.com/...)", "the domain you bought (...)": the client's own.
    r"|\byou\s+(?:sent|shared|linked|bought|gave\s+me|posted|mentioned)\s*[(:]?\s*)$"
)


# "behance.net/gallery/… — not mine, but that's the vibe": said right after the link.
_NOT_MINE_AFTER = _rx(r"\S*[^.!?\n]{0,30}?\b(?:not\s+mine|isn'?t\s+mine|someone\s+else'?s|not\s+my\s+own)\b")


def is_third_party_link(text: str, start: int, clauses: list[tuple[int, int]]) -> bool:
    """True when the link at ``start`` is named as a source or a tool, not as the writer's own."""
    if _NOT_MINE_AFTER.match(text, start):
        return True
    index = bisect_right(clauses, start, key=_START) - 1
    clause_start, clause_end = clauses[index] if index >= 0 and start < clauses[index][1] else (0, len(text))
    before = text[max(clause_start, start - 60) : start]
    return _SOURCE_OR_TOOL.search(before) is not None and not FIRST_PERSON_CONTACT.search(
        text[clause_start:clause_end]
    )


_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|'[^'\n]{3,}'(?!\w)")
_START = itemgetter(0)
# How many clauses before a detail's own a deliverable cue may stand.
_CUE_CLAUSES_BACK = 3


def is_deliverable_detail(
    text: str,
    start: int,
    end: int,
    clauses: list[tuple[int, int]] | None = None,
    answers: dict[tuple[int, int, int], bool] | None = None,
) -> bool:
    """True when a contact detail sits in a clause about the client's own deliverable.

    ``clauses`` are sorted and do not overlap (as ``clause_spans`` gives them). ``answers``, a
    dict the caller keeps for one draft, remembers each clause's answer: a long draft may hold
    dozens of details in one clause. Nothing is kept between drafts.
    """
    spans = clauses if clauses is not None else clause_spans(text)
    # The clause holding ``start``, or else the first one that starts inside the detail.
    index = bisect_right(spans, start, key=_START) - 1
    if index < 0 or start >= spans[index][1]:
        index += 1
        if index == len(spans) or end <= spans[index][0]:
            return False
    # "Business card proof: 'Dr. Alan Reyes, (555) ...'": the cue may sit a few clauses back
    # ("Here's the business card proof. Front: Dr. Helen Ames. Back: 555-0147"; "Dr." ends a
    # clause too), within the same paragraph.
    first = index
    while (
        first > max(0, index - _CUE_CLAUSES_BACK)
        and "\n\n" not in text[spans[first - 1][1] : spans[first][0]]
    ):
        first -= 1
    before_start = spans[first][0]
    return _deliverable_clause(text, before_start, *spans[index], {} if answers is None else answers)


def _deliverable_clause(
    text: str, before_start: int, start: int, end: int, answers: dict[tuple[int, int, int], bool]
) -> bool:
    key = (before_start, start, end)
    answer = answers.get(key)
    if answer is None:
        clause = text[start:end]
        # "I've added your footer: "Call us: 020 …"": words in quotes are the deliverable's own
        # text, so their "us" is the client's.
        answer = bool(DELIVERABLE.search(clause) or DELIVERABLE.search(text[before_start:start])) and not (
            FIRST_PERSON_CONTACT.search(_QUOTED.sub(" ", clause))
        )
        answers[key] = answer
    return answer


# ------------------------------------------------------------------ rewrite ----------
_CLOSINGS: dict[str, str] = {
    "payments": "I'll send you a custom offer here so the payment stays protected on {platform}.",
    "calls": "If a call helps, I can set one up through {platform}'s own call tool.",
    "links": "You can see my work samples on my {platform} profile.",
    "after_order": "For any future work, just message me here on {platform} and I'll send you an offer.",
}
_DEFAULT_CLOSING = "Let's keep our conversation and files here on {platform} so we're both protected."


def rewrite(text: str, drop: list[tuple[int, int]], topic: str | None, platform_name: str) -> str:
    """Remove the clauses that carry contact details or off-platform requests; add an on-platform line."""
    kept: list[str] = []
    for start, end in clause_spans(text):
        if any(start < d_end and d_start < end for d_start, d_end in drop):
            continue
        piece = text[start:end].strip()
        if piece:
            kept.append(piece)
    closing = _CLOSINGS.get(topic or "", _DEFAULT_CLOSING).format(platform=platform_name)
    body = " ".join(kept).strip()
    if body and body[-1] not in ".!?":
        body += "."
    return f"{body} {closing}".strip()
