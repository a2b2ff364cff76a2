"""Judging a draft a member plans to send a client, and rewriting it to stay on-platform.

A draft is a violation when it carries contact details in any form (found by
rules.contacts) or asks to move the conversation, files or payment off the platform. Each
clause is checked on its own so that a polite refusal ("I can't share my WhatsApp, let's
keep chatting here") stays fine.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import regex

from rules.gate import GatedPattern, words_of
from rules.intent import (
    CHANNEL_ANY,
    CHANNEL_FAMILIES,
    EUPHEMISM,
    HIDDEN_IN,
    ON_PLATFORM,
    channel_family,
)
from rules.lexicon import rx as _rx
from rules.normalize import MIXED_TOKENS, deleet

_FILE_HOSTS = r"(?:google\s+drive|g\s*drive|dropbox|wetransfer|mega|onedrive|icloud\s+drive)"


# In a draft the frame itself ("drop your ...", "to my personal ...") says contact is meant, so
# bare nouns like "number" or "mail" count as channels here (not in community messages).
_CHANNEL_SLOT = GatedPattern(
    rf"{CHANNEL_ANY.pattern}|{_FILE_HOSTS}|\bproton\b|\bthe\s+gmail\b|"
    r"\b(?:mail|inbox|number|num|no\.?|digits|contact|contacts|handle|username|whatsapp\s+number|bank|"
    r"bank\s+account|wallet|direct\s+contact\s+form|contact\s+form|own\s+zoom|zoom\s+room)\b"
)
_CONNECTOR = _rx(r"\b(?:on|via|over|through|to|using|by|in)\s+(?:the\s+)?")
_NEXT_WORD = _rx(r"[\w'.-]+\s+")


@dataclass(frozen=True, slots=True)
class _SlotFrame:
    """Words that lead up to a channel ("drop your", "add me on"), then the channel itself.

    Channels are found once per draft (a gated search); a frame only checks whether one starts
    where its lead ends, which keeps the huge channel vocabulary out of every frame regex.
    """

    lead: GatedPattern
    skip_words: int = 0  # the channel may start after this many more words ("your WhatsApp number")
    after: regex.Pattern[str] | None = None  # what must follow the channel ("my email IS ...")
    connector: bool = False  # a preposition ("on", "via") comes within 40 characters of the lead


def _slot(lead: str, **options: Any) -> _SlotFrame:
    return _SlotFrame(GatedPattern(lead), **options)


_SLOT_FRAMES: dict[str, tuple[_SlotFrame, ...]] = {
    "request": (
        _slot(
            r"\b(?:share|give|send|drop|provide|tell|reply\s+with|what'?s|whats|do\s+you\s+have|are\s+you\s+on|"
            r"let\s+me\s+(?:know|have)|need|pass)\b(?:\s+(?:me|us))?[^.!?\n]{0,30}?\b(?:your|ur)\s+",
            skip_words=2,
        ),
        _slot(r"\bdo\s+you\s+(?:have|use)\s+(?:a\s+)?"),
    ),
    "offer": (
        _slot(
            r"\b(?:add|reach|contact|find|message|ping|hit|follow|connect\s+with|join|write|book|hire)\s+(?:me|us)"
            r"(?:\s+up)?\s+(?:on|at|via|through|in)\s+(?:the\s+)?",
            skip_words=2,
        ),
        _slot(
            r"\bmy\s+",
            skip_words=1,
            after=_rx(r"\s*(?:is|:|-|→|,|id|number|handle|username|page|account|also|for)\b"),
        ),
        _slot(r"(?<!app\s)\b(?:on|to|at|via|through)\s+my\s+", skip_words=1),
        _slot(r"\b(?:here'?s|here\s+is|check|see|grab|use|find|join|hop\s+into|into)\s+my\s+", skip_words=2),
        _slot(r"\b(?:give|send|share|pass|text|email)\s+(?:you\s+)?my\s+", skip_words=1),
    ),
    "move": (
        _slot(
            r"\b(?:continue|talk|chat|discuss|move|switch|speak|meet|communicate|connect|contact\s+(?:me|us|you)|"
            r"message|reach|do\s+the\s+(?:interview|call|meeting)|take\s+(?:this|the\s+call|it)|show\s+you)\w*\b",
            connector=True,
        ),
    ),
}
# Frames with no channel slot, one gated pattern per kind.
_PLAIN_FRAMES: dict[str, GatedPattern] = {
    "request": GatedPattern(
        r"\bwhat'?s\s+your\s+(?:id|number|handle|username|email)\b|\b(?:can|could|may)\s+i\s+(?:have|get)\s+your\s+(?:phone|number|email|whatsapp|contact)\w*|\bto\s+your\s+(?:e-?mail|gmail|number|phone)\b"
    ),
    "offer": GatedPattern(
        r"\b(?:text|call|email|e-mail|mail|dm|ring|whatsapp|telegram|skype|sms)\s+(?:me|us)\b"
        r"(?!\s+(?:here|know|through|via\s+(?:fiverr|upwork)|on\s+(?:fiverr|upwork)|in\s+the\s+(?:order|inbox)))"
        r"|\b(?:add|reach|contact|find|message|ping|hit|follow|connect\s+with|join|write|book|hire)\s+(?:me|us)"
        r"(?:\s+up)?\s+(?:directly|there|outside)"
        r"|\bmy\s+(?:contact\s+)?details\s+are\b|\bmy\s+number\s+is\b|\bit'?s\s+my\s+\w+"
        r"|\bpm\s+(?:mo\s+)?(?:me|ako)\b|\bdun\s+tayo\b"
    ),
    "payment": GatedPattern(
        rf"{CHANNEL_FAMILIES['payments'].pattern}"
        r"|\bskip\s+the\s+(?:\w+\s+)?fees?\b|\bskip\s+the\s+(?:milestone|escrow|order|contract|platform)\w*|"
        r"\bgoogle\s+(?:me|my\s+name|'[^']+'|\"[^\"]+\")|\bcancel\s+(?:this|the)\s+order\b|\bend\s+the\s+contract\b"
        r"|\bpay\s+(?:me|you)\s+(?:directly|outside|direct)\b|\bcheaper\s+for\s+both\b"
        r"|\bdirect\s+bank\b|\bbank\s+me\s+kar\b|\bfee\s+bachega\b"
    ),
    "move": GatedPattern(
        r"\b(?:talk|continue|work|chat|deal|communicate)\w*\s+outside\s+(?:of\s+)?(?:\w+\.com|\w+)"
        r"|\boutside\s+(?:of\s+)?(?:fiverr|upwork|freelancer|the\s+platform|this\s+(?:app|site|platform))"
        r"|\boff\s+(?:of\s+)?(?:fiverr|upwork|freelancer|pph|peopleperhour|the\s+platform|the\s+site|this\s+(?:app|site|platform))\b"
        r"|\bdirectly\b|\bno\s+need\s+to\s+go\s+through\b|\bfind\s+me\s+on\b|\bunder\s+the\s+same\s+name\b"
        r"|\bfor\s+better\s+communication\b|\beasier\s+for\s+me\s+than\s+this\s+app\b"
    ),
    "hint": GatedPattern(
        r"\b(?:zip|pdf|file|image|attachment|file\s*name|delivery)\b[^.!?\n]{0,30}\b(?:includes?|contains?|has|with|shows?)\s+my\b|"
        r"\bsearch\s+.{2,40}?\s+on\s+google\b|\bgoogle\s+(?:me|my\s+(?:name|business|studio)|'[^'\n]+'|\"[^\"\n]+\")|"
        r"\bmy\s+first\s+name\s+(?:dot|\.|\+|and)\s+(?:my\s+)?last\s+name\b|"
        r"\bi'?m\s+on\s+(?:facebook|instagram|linkedin|insta|fb|ig|twitter|tiktok|x)\s+as\b|\bsearch\s+that\s+and\s+message\b|"
        r"\bscan\s+the\s+qr\b|\bwritten\s+on\s+it\b|\bsame\s+(?:digits|number|username|name)\s+as\b|\bdigits\s+in\s+my\b"
        r"|\bfirst\s+name\s*\+|\busername\s*\+|\+\s*(?:proton|gmail|yahoo|hotmail|outlook)\w*"
        r"|\bmy\s+(?:contact\s+)?details\s+are\s+in\b|\bcontact\s+details\s+in\s+the\b|\bthe\s+rest\s+is\b|\bput\s+them\s+together\b"
    ),
}
_RULE_IDS = {
    "request": "draft.asks-for-contact",
    "offer": "draft.offers-contact",
    "payment": "draft.payment-off-platform",
    "move": "draft.moves-off-platform",
    "hint": "draft.hidden-contact-hint",
}
_KIND_ORDER = ("request", "offer", "payment", "move", "hint")


def _frame_spans(text: str, words: frozenset[str]) -> dict[str, list[tuple[int, int]]]:
    """Every frame match in the draft, per kind, sorted."""
    # Spans come sorted, so the last one kept for a start is the longest channel there.
    channel_ends = dict(_CHANNEL_SLOT.spans(text, words))
    found: dict[str, list[tuple[int, int]]] = {}
    for kind in _KIND_ORDER:
        spans = list(_PLAIN_FRAMES[kind].spans(text, words))
        for frame in _SLOT_FRAMES.get(kind, ()) if channel_ends else ():
            for lead_start, lead_end in frame.lead.spans(text, words):
                end = _channel_after(text, frame, lead_end, channel_ends)
                if end is not None:
                    spans.append((lead_start, end))
        found[kind] = sorted(spans)
    return found


def _channel_after(text: str, frame: _SlotFrame, position: int, channel_ends: dict[int, int]) -> int | None:
    """Where the channel that completes a frame ends, or None."""
    if frame.connector:
        window = regex.match(r"[^.!?\n]{0,40}", text[position:]).group()  # type: ignore[union-attr]
        starts = [position + m.end() for m in _CONNECTOR.finditer(window)]
    else:
        starts = [position]
        for _ in range(frame.skip_words):
            word = _NEXT_WORD.match(text, starts[-1])
            if not word:
                break
            starts.append(word.end())
    for start in starts:
        end = channel_ends.get(start)
        if end is None:
            continue
        if frame.after is None:
            return end
        tail = frame.after.match(text, end)
        if tail:
            return tail.end()
    return None


# Every alternative of rules.intent.EUPHEMISM needs one of these strings (a test in
# tests/rules/test_draft.py checks it), and looking for them costs a fifth of the pattern.
_EUPHEMISM_CLUES = re.compile(r"app|blue|green|whats|w\.a\.|paper")
_OWN_DETAILS = _rx(r"\b(?:my|contact|details|number|whatsapp|email)\b")
NEGATED = _rx(
    r"\b(?:can'?t|cannot|can\s+not|not\s+able|unable|won'?t|don'?t|do\s+not|never|isn'?t\s+allowed|aren'?t\s+allowed|"
    r"not\s+allowed|prefer\s+(?:the\s+\w+\s+)?to\s+go\s+through|didn'?t\s+open|rather\s+not|no\s+need\s+for|doesn'?t\s+allow|does\s+not\s+allow|"
    r"thanks\s+for\s+(?:offering|the\s+offer|asking|suggesting)|appreciate\s+the\s+(?:offer|suggestion))\b"
)
# Clause breaks, as the regex module would read them:
#     (?<=[.!?;\n])\s++|,\s++(?:but|and|so)\s++|(?<!\s)\s++but\s++|\n++
# Written here for stdlib re, twice as fast: each branch first takes the one character it starts
# with ([\s,]), which re skips ahead to in C, and checks what comes before with a lookbehind.
# \s is spelled out as the regex module's own (stdlib \s also takes \x1c-\x1f).
_BLANK = r"[\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_CLAUSE = re.compile(
    rf"[{_BLANK[1:-1]},]"
    rf"(?:(?<=[.!?;\n]{_BLANK}){_BLANK}*+"  # blanks after . ! ? ; or a newline
    rf"|(?<=,){_BLANK}++(?:but|and|so){_BLANK}++"  # ", but"
    rf"|(?<!{_BLANK}{_BLANK})(?<={_BLANK}){_BLANK}*+but{_BLANK}++"  # " but "
    r"|(?<=\n)\n*+)"  # newlines
)


@dataclass(frozen=True, slots=True)
class DraftCue:
    kind: str  # request, offer, move, payment, hint
    start: int
    end: int
    rule_id: str
    family: str | None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


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


def find_draft_cues(text: str, clauses: list[tuple[int, int]] | None = None) -> list[DraftCue]:
    """Requests to move off-platform, offers of contact, payment routes and hints, per clause.

    ``clauses`` may pass ``clause_spans(text)`` when the caller has it already.
    """
    if MIXED_TOKENS.search(text):
        # De-leeting keeps lengths, so cues found on any reading map onto the same spans.
        readings = [deleet(text, "i")]
        if "1" in text and (reading := deleet(text, "l")) != readings[0]:
            readings.append(reading)  # a second reading only when "1" sits in a mixed token
        found = {cue.span: cue for reading in readings for cue in _cues(reading, clause_spans(reading))}
        return sorted(found.values(), key=lambda cue: cue.span)
    return _cues(text, clauses if clauses is not None else clause_spans(text))


def _cues(text: str, clauses: list[tuple[int, int]]) -> list[DraftCue]:
    cues: list[DraftCue] = []
    frame_spans = _frame_spans(text, words_of(text))
    deliverable_answers: dict[tuple[int, int, int], bool] = {}
    for start, end in clauses:
        clause = text[start:end]
        negation: regex.Match[str] | None = None
        negation_read = False  # read only once a cue or a hint needs it
        for kind in _KIND_ORDER:
            spans = frame_spans[kind]
            index = bisect_left(spans, (start, -1))
            if index == len(spans) or spans[index][0] >= end:
                continue
            m_start, m_end = spans[index]
            if not negation_read:
                negation, negation_read = NEGATED.search(clause), True
            # A refusal before the cue ("I can't share my WhatsApp"), or "... isn't allowed" anywhere.
            if negation and (start + negation.start() < m_end or "allow" in negation.group()):
                break  # "I can't share my WhatsApp": a refusal, not an offer
            found = text[m_start:m_end]
            if kind in ("request", "offer") and is_deliverable_detail(
                text, m_start, m_end, [(start, end)], deliverable_answers
            ):
                continue  # "the form sends to your email", about the client's own site
            if kind == "move" and found == "directly" and ON_PLATFORM.search(text, m_end, end):
                continue  # "attach it directly to the order page"
            family = channel_family(found) or channel_family(text[max(start, m_start - 80) : m_end + 80])
            if kind == "payment":
                family = "payments"
            cues.append(DraftCue(kind, m_start, m_end, _RULE_IDS[kind], family))
            break
        else:
            if negation_read and negation:
                continue
            hidden = HIDDEN_IN.search(clause)
            hinted = (hidden and _OWN_DETAILS.search(clause)) or (
                _EUPHEMISM_CLUES.search(clause) and EUPHEMISM.search(clause)
            )
            if hinted and (negation_read or not NEGATED.search(clause)):
                cues.append(
                    DraftCue("hint", start, end, "draft.hidden-contact-hint", channel_family(clause[:300]))
                )
    return cues


# The client's own details inside their deliverable: "your restaurant's number on the flyer",
# "the footer with your support address", a business card or voice-over script.
DELIVERABLE = _rx(
    r"\byour\s+(?:\w+'s\s+|own\s+)?(?:business|company|shop|store|restaurant|clinic|support|brand|menu|site|website|"
    r"resume|cv|header|footer|landing|page|app|logo|flyer|card|office|team|sales|opening)\b|"
    r"\b(?:business\s+card|flyer|footer|header|voice-?over|script|menu|letterhead|signature|resume|mockup|banner|"
    r"poster|brochure|label|packaging|template|qr\s+code\s+(?:now\s+)?points|line\s+\d+\s+reads|reads\s+'|"
    r"contact\s+page|your\s+address|as\s+in\s+your\s+(?:brief|requirements)|from\s+your\s+(?:brief|requirements))\b"
)
FIRST_PERSON_CONTACT = _rx(r"\b(?:my|me|mine|i'm|i\s+am|us|our)\b(?!\s+(?:bad|mistake))")


_START = itemgetter(0)


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
    # "Business card proof: 'Dr. Alan Reyes, (555) ...'": the cue may sit one clause back.
    before_start = spans[index - 1][0] if index else spans[index][0]
    return _deliverable_clause(text, before_start, *spans[index], {} if answers is None else answers)


def _deliverable_clause(
    text: str, before_start: int, start: int, end: int, answers: dict[tuple[int, int, int], bool]
) -> bool:
    key = (before_start, start, end)
    answer = answers.get(key)
    if answer is None:
        clause = text[start:end]
        answer = bool(DELIVERABLE.search(clause) or DELIVERABLE.search(text[before_start:start])) and not (
            FIRST_PERSON_CONTACT.search(clause)
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
