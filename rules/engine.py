"""The detector's public entry point: Engine.community() and Engine.draft().

Cost model: almost every message in a server is ordinary chat. ``looks_clean``
(rules/prefilter.py) clears those with C-level operations on bytes and sets before any real
work, and they share one immutable answer, so they cost a few microseconds. Everything else is
normalised once and judged; each stage skips the passes that provably cannot match, and the
packs' marketplace words are looked for only when the judge needs them. bench/README.md has
the measured costs.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import regex

from rules import draft as drafts
from rules.contacts import find_contacts, mask
from rules.intent import judge_community
from rules.model import Finding, PolicyPack, Topic, Verdict
from rules.normalize import Normalized, deobfuscate, normalize
from rules.policy import PACKS_DIR, PackError, load_packs
from rules.prefilter import looks_clean

# Messages longer than this are judged on their first MAX_CHARS characters (Discord's own
# limit is 4,000 for Nitro users); it bounds the cost of hostile input.
MAX_CHARS = 4_000

_EXPLAIN_COMMUNITY = {
    "encourages": "This advises taking marketplace clients, their messages or payment off the platform.",
    "asks": "This asks whether contacting or paying a marketplace client outside the platform is allowed.",
    "none": "Nothing here pushes anyone off the platform.",
}
_KIND_WORDS = {
    "email": "an email address",
    "phone": "a phone number",
    "handle": "a messenger handle",
    "link": "a link to a personal site",
    "social": "a social media profile",
    "meeting": "an outside meeting or booking link",
    "payment": "a payment handle or account",
    "request": "a request for the client's contact details",
    "offer": "an invitation to contact you outside the platform",
    "move": "a request to move the conversation off the platform",
    "hint": "a hint at where to find your contact details",
}
# Contact details that are a way to reach someone in themselves (an e-mail or phone number may
# also just be mentioned; a wa.me link or a Telegram handle is an invitation).
_CHANNEL_CONTACTS = frozenset({"handle", "payment", "meeting", "social"})
_KIND_TOPIC = {
    "email": "email",
    "phone": "phone",
    "handle": "messaging",
    "link": "links",
    "social": "links",
    "meeting": "calls",
    "payment": "payments",
}


class Engine:
    """Holds the loaded packs and their compiled patterns; cheap to call, safe to share."""

    def __init__(self, packs: dict[str, PolicyPack], default_platform: str | None = None) -> None:
        if not packs:
            raise PackError("<packs>", "no policy packs loaded")
        self.packs = packs
        self.default_platform = default_platform if default_platform in packs else next(iter(packs))
        self._marketplace = _compile_kind(packs, "marketplace")
        self._onplatform = _compile_kind(packs, "onplatform")
        aliases = sorted(
            ((alias, pack.id) for pack in packs.values() for alias in pack.aliases if alias.islower()),
            key=lambda pair: -len(pair[0]),
        )
        self._proper_aliases = [
            (regex.compile(rf"(?<![\w.]){regex.escape(alias)}(?![\w])"), pack.id)
            for pack in packs.values()
            for alias in pack.aliases
            if not alias.islower()
        ]
        self._alias_to_pack = dict(aliases)
        self._aliases = regex.compile(
            r"(?<![\w.])(?:" + "|".join(regex.escape(a) for a, _ in aliases) + r")(?![\w])", regex.IGNORECASE
        )
        # Answers for messages the prefilter clears, per set of enabled platforms; verdicts are
        # immutable, so one object serves every such message.
        self._quiet: dict[tuple[str, ...] | None, Verdict] = {}
        self._aliases_ascii = _ascii_twin(self._aliases)
        self._marketplace_ascii = _ascii_twin(self._marketplace)
        self._own_domains = {
            pack.id: tuple({f"{pack.id}.com", *(a for a in pack.aliases if "." in a)})
            for pack in packs.values()
        }
        self._warm_up()

    def _warm_up(self) -> None:
        """Judge the packs' own examples once, so the patterns ordinary messages need are compiled
        before the first message arrives. The rest of the ~2,000 gated alternatives compile on
        first use (about half a millisecond each): compiling them all up front costs several MiB."""
        for pack in self.packs.values():
            for example in pack.examples:
                self.community(example.text)
                self.draft(example.text)

    @classmethod
    def load(cls, directory: Path = PACKS_DIR, default_platform: str | None = "fiverr") -> Engine:
        return cls(load_packs(directory), default_platform)

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self.packs)

    def pack(self, platform: str) -> PolicyPack:
        return self.packs[platform]

    def topic(self, platform: str, topic_id: str) -> Topic:
        return self.packs[platform].topics[topic_id]

    # ------------------------------------------------------------------ community --
    def community(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a message posted in a server: encourages / asks / none."""
        text = _safe(text)
        if looks_clean(text):
            key = None if platforms is None else tuple(platforms)
            quiet = self._quiet.get(key)
            if quiet is None:
                quiet = Verdict("community", "none", None, self._platform(text, platforms, scan=False))
                if len(self._quiet) < 256:  # a handful of platform sets in practice; stay bounded
                    self._quiet[key] = quiet
            return quiet
        norm = normalize(text)
        view = deobfuscate(norm)
        platform = self._platform(view.text, platforms, original=text)
        contacts = find_contacts(view, self._own_domains.get(platform, ()))
        # A contact that only appears once spacing, "at"/"dot" forms etc. are undone was disguised.
        obfuscated = norm.lookalikes > 0 or (
            view.text != norm.text and any(c.value not in norm.text for c in contacts)
        )
        judgement = judge_community(
            view.text,
            contacts_present=bool(contacts),
            obfuscated=obfuscated,
            marketplace_hint=self._marketplace_hint(view.text),
            contact_spans=tuple((c.start, c.end) for c in contacts if c.kind in _CHANNEL_CONTACTS),
        )
        findings = [
            _finding(view, c.kind, c.start, c.end, c.rule_id, mask(c.kind, c.value)) for c in contacts
        ]
        findings += [
            _finding(view, cue.kind, cue.start, cue.end, cue.rule_id, "")
            for cue in judgement.cues
            if cue.end > cue.start
        ]
        topic = judgement.family or (_KIND_TOPIC.get(contacts[0].kind) if contacts else None)
        if judgement.label != "none":
            topic = topic or "best_practices"
        return Verdict(
            mode="community",
            label=judgement.label,
            topic=topic if judgement.label != "none" else None,
            platform=platform,
            findings=tuple(sorted(findings, key=lambda f: f.span)),
            explanation=_EXPLAIN_COMMUNITY[judgement.label],
            score=round(judgement.score, 2),
        )

    # ---------------------------------------------------------------------- draft --
    def draft(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a draft a member plans to send a client: violation / ok (with a rewrite)."""
        text = _safe(text)
        norm = normalize(text)
        view = deobfuscate(norm)
        platform = self._platform(view.text, platforms, original=text)
        clauses = drafts.clause_spans(view.text)
        deliverable_answers: dict[tuple[int, int, int], bool] = {}
        contacts = [
            c
            for c in find_contacts(view, self._own_domains.get(platform, ()))
            if not drafts.is_deliverable_detail(view.text, c.start, c.end, clauses, deliverable_answers)
        ]
        cues = drafts.find_draft_cues(view.text, clauses)
        findings = [
            _finding(view, c.kind, c.start, c.end, c.rule_id, mask(c.kind, c.value)) for c in contacts
        ]
        findings += [_finding(view, c.kind, c.start, c.end, c.rule_id, _KIND_WORDS[c.kind]) for c in cues]
        if norm.lookalikes and not findings and _lookalike_channel(norm):
            findings.append(
                Finding("evasion", (0, len(text)), "draft.lookalike-letters", "look-alike letters")
            )
        if not findings:
            return Verdict(
                "draft", "ok", None, platform, explanation="This draft keeps everything on the platform."
            )
        findings.sort(key=lambda f: f.span)
        topic = (
            (_KIND_TOPIC.get(contacts[0].kind) if contacts else None)
            or next((c.family for c in cues if c.family), None)
            or "best_practices"
        )
        kinds = list(
            dict.fromkeys(_KIND_WORDS.get(f.kind, f.kind) for f in findings if f.kind in _KIND_WORDS)
        )
        explanation = (
            f"This draft contains {', '.join(kinds[:3]) or 'off-platform contact'}. "
            f"{self.packs[platform].name} does not allow moving clients, messages or payments elsewhere."
        )
        # The rewrite keeps the member's own wording: clauses are cut from the original text.
        drop = [finding.span for finding in findings]
        rewrite = drafts.rewrite(text, drop, topic, self.packs[platform].name)
        return Verdict(
            mode="draft",
            label="violation",
            topic=topic,
            platform=platform,
            findings=tuple(findings),
            explanation=explanation,
            rewrite=rewrite,
        )

    # -------------------------------------------------------------------- helpers --
    def _marketplace_hint(self, text: str) -> Callable[[], bool]:
        """Whether a pack's marketplace words occur, asked only if the judge needs it (and once)."""
        answer: list[bool] = []

        def hint() -> bool:
            if not answer:
                pattern = _lower_ascii_twin(text, self._marketplace, self._marketplace_ascii)
                answer.append(pattern.search(text) is not None)
            return answer[0]

        return hint

    def _platform(
        self, text: str, platforms: Sequence[str] | None, *, scan: bool = True, original: str = ""
    ) -> str:
        enabled = [p for p in (platforms or ()) if p in self.packs] or [self.default_platform]
        if scan and (platforms is None or len(enabled) > 1):
            for match in _lower_ascii_twin(text, self._aliases, self._aliases_ascii).finditer(text):
                pack_id = self._alias_to_pack.get(match.group().lower())
                if pack_id and (platforms is None or pack_id in enabled):
                    return pack_id
            for pattern, pack_id in self._proper_aliases if original else ():
                if (platforms is None or pack_id in enabled) and pattern.search(original):
                    return pack_id
        return enabled[0]


def _compile_kind(packs: dict[str, PolicyPack], kind: str) -> regex.Pattern[str]:
    sources = [f"(?:{p.pattern})" for pack in packs.values() for p in pack.patterns if p.kind == kind]
    return regex.compile("|".join(sources) or r"(?!)", regex.IGNORECASE | regex.VERSION1)


def _ascii_twin(pattern: regex.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern for stdlib ``re``, case-sensitive, to run on lower-case ASCII text.

    On such text a case-insensitive pattern with no upper-case letter in its source matches
    exactly what the case-sensitive one does, and ``re`` runs big literal alternations several
    times faster than ``regex``. None when the source uses anything ``re`` reads differently.
    """
    source = pattern.pattern
    if source != source.lower():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set": regex's V1 syntax
            return re.compile(source)
    except (re.error, FutureWarning):
        return None


def _lower_ascii_twin(
    text: str, pattern: regex.Pattern[str], twin: re.Pattern[str] | None
) -> regex.Pattern[str] | re.Pattern[str]:
    if twin is not None and text.isascii() and text == text.lower():
        return twin
    return pattern


def _safe(text: str) -> str:
    """Bound the size and drop what cannot be encoded (lone surrogates, NULs)."""
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if "\x00" in text:
        text = text.replace("\x00", " ")
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _finding(view: Normalized, kind: str, start: int, end: int, rule_id: str, masked: str) -> Finding:
    return Finding(kind=kind, span=view.span(start, end), rule_id=rule_id, masked=masked)


_CHANNEL_WORDS = regex.compile(
    r"whatsapp|telegram|skype|gmail|email|paypal|signal|wechat|viber|number", regex.I
)


def _lookalike_channel(norm: Normalized) -> bool:
    return bool(_CHANNEL_WORDS.search(norm.text))
