"""The detector's public entry point: Engine.community() and Engine.draft().

A message goes through a cascade, cheapest stage first, and the first stage that can decide
does (rules/README.md walks one message through it):

1. ``looks_clean`` (rules/prefilter.py): ordinary chat with none of the listed words is
   ``none`` in a few microseconds.
2. Normalisation, de-obfuscation and contact details (rules/normalize.py, rules/contacts.py):
   findings with spans and masks, the part a member and a moderator see.
3. The lexical model (rules/classifier.py): a message it is sure is ``none`` and that holds no
   contact detail stops here (tens of microseconds).
4. The fine-tuned transformer decides the rest: a calibrated probability per label, turned
   into an action (warn, review, answer, none) by the thresholds in the model card.

``community_cheap`` runs stages 1–3 only, so the bot can keep them on the event loop and send
only the undecided rest to a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import regex

from rules import draft as drafts
from rules.classifier import COMMUNITY_CLASSES, MODELS_DIR, IntentModel, model_input
from rules.contacts import Contact, find_bare_handles, find_contacts, mask
from rules.model import Action, Finding, PolicyPack, Topic, Verdict
from rules.normalize import Normalized, deobfuscate, normalize
from rules.pointers import find_pointers
from rules.policy import PACKS_DIR, PackError, alias_pattern, load_packs, unknown_platform_message
from rules.prefilter import looks_clean, platform_words
from rules.topics import CONTACT_TOPIC, beyond_the_deal, phase_of, purpose_of, topic_of

# Messages longer than this are judged on their first MAX_CHARS characters (Discord's own
# limit is 4,000 for Nitro users); it bounds the cost of hostile input.
MAX_CHARS = 4_000
# ``explain`` asks the model once per clause left out; a long text's clauses are merged into at
# most this many groups, so an explanation costs at most this many extra model runs.
MAX_EXPLAIN_PARTS = 12

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
    "move": "a request to move the conversation or payment off the platform",
    "pointer": "directions to a contact detail outside the platform",
}


class Engine:
    """Holds the packs and the models; cheap to call, safe to share between threads."""

    def __init__(
        self,
        packs: dict[str, PolicyPack],
        default_platform: str | None = None,
        model: IntentModel | None = None,
    ) -> None:
        if not packs:
            raise PackError("<packs>", "no policy packs loaded")
        if default_platform is not None and default_platform not in packs:
            raise PackError("<default platform>", unknown_platform_message(default_platform, packs))
        self.packs = packs
        self.default_platform = default_platform or next(iter(packs))
        self.model = model if model is not None else IntentModel(MODELS_DIR)
        self._alias_to_pack = {
            alias: pack.id for pack in packs.values() for alias in pack.aliases if alias.islower()
        }
        self._aliases = alias_pattern(packs.values())
        self._proper_aliases = [
            (regex.compile(rf"(?<![\w.]){regex.escape(alias)}(?![\w])"), pack.id)
            for pack in packs.values()
            for alias in pack.aliases
            if not alias.islower()
        ]
        # The prefilter lets through any message that names a platform the packs know.
        self._platform_words = platform_words(alias for pack in packs.values() for alias in pack.aliases)
        self._own_domains = {
            pack.id: tuple({f"{pack.id}.com", *(a for a in pack.aliases if "." in a)})
            for pack in packs.values()
        }

    @classmethod
    def load(
        cls, directory: Path = PACKS_DIR, default_platform: str | None = None, models: Path = MODELS_DIR
    ) -> Engine:
        return cls(load_packs(directory), default_platform, IntentModel(models))

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self.packs)

    def pack(self, platform: str) -> PolicyPack:
        return self.packs[platform]

    def topic(self, platform: str, topic_id: str) -> Topic:
        return self.packs[platform].topics[topic_id]

    # ------------------------------------------------------------------ community --
    def community(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a message posted in a server: encourages / asks / none, with an action."""
        verdict, look = self._cheap(text, platforms)
        if verdict is not None:
            return verdict
        assert look is not None
        probs = self.model.community([self._model_input(look.norm.text)])[0]
        return self._community_verdict(look, probs)

    def community_cheap(self, text: str, platforms: Sequence[str] | None = None) -> Verdict | None:
        """The verdict when the prefilter or the lexical model can decide alone, else None."""
        return self._cheap(text, platforms)[0]

    def _cheap(self, text: str, platforms: Sequence[str] | None) -> tuple[Verdict | None, _Look | None]:
        text = _safe(text)
        if looks_clean(text, self._platform_words):
            return Verdict("community", "none", None, self._platform(text, platforms, scan=False)), None
        look = self._look(text, platforms)
        if look.contacts:
            return None, look
        lexical = self.model.lexical(self._model_input(look.norm.text))
        p_none = float(lexical[COMMUNITY_CLASSES.index("none")])
        if p_none < self.model.thresholds.lexical_clear:
            return None, look
        verdict = Verdict(
            "community",
            "none",
            None,
            look.platform,
            explanation=_EXPLAIN_COMMUNITY["none"],
            confidence=round(p_none, 3),
            stage="lexical",
        )
        return verdict, look

    def _community_verdict(self, look: _Look, probs: np.ndarray) -> Verdict:
        label = COMMUNITY_CLASSES[int(np.argmax(probs))]
        action = self._action(label, probs)
        topic = phase = purpose = None
        if action != "none":
            topic = topic_of(look.view.text, tuple(c.kind for c in look.contacts))
            phase, purpose = phase_of(look.view.text), purpose_of(look.view.text)
            if action == "warn" and self.allowed_at_stage(
                look.platform, topic, phase, purpose, look.view.text
            ):
                # The pack allows this at the stage the message describes (Upwork, talk by email
                # once the contract has started): no public warning; a moderator may still look.
                action = "review"
        return Verdict(
            mode="community",
            label=label,
            topic=topic,
            platform=look.platform,
            findings=look.findings,
            explanation=_EXPLAIN_COMMUNITY[label],
            confidence=round(float(probs.max()), 3),
            action=action,
            stage="model",
            phase=phase,
            purpose=purpose,
        )

    def allowed_at_stage(
        self, platform: str, topic: str, phase: str | None, purpose: str | None, text: str
    ) -> bool:
        """True when the pack allows ``purpose`` at ``phase`` and the text is about this deal only."""
        return self.topic(platform, topic).allows(phase, purpose) and not beyond_the_deal(text)

    def _action(self, label: str, probs: np.ndarray) -> Action:
        thresholds = self.model.thresholds
        p_encourages, p_asks = float(probs[0]), float(probs[1])
        if p_encourages >= thresholds.warn:
            return "warn"
        if label == "encourages" or p_encourages >= thresholds.review:
            return "review"
        if label == "asks" or p_asks >= thresholds.answer:
            return "answer"
        return "none"

    # ---------------------------------------------------------------------- draft --
    def draft(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a draft a member plans to send a client: violation / ok (with a rewrite).

        A contact detail makes a draft a violation whatever the model thinks of its tone,
        unless it sits in the client's own deliverable, or the draft shares it only for access to
        a tool once the order/contract has started and the pack allows that at that stage (never
        a payment detail); without one, the model decides.
        """
        look = self._look(_safe(text), platforms, draft=True)
        pack = self.packs[look.platform]
        allowed = self._allowed_in_draft(look)
        if allowed is not None:
            phase, purpose = allowed
            # "The order started, here is the login email for the QuickBooks invite: ...": the pack
            # allows the detail for this purpose at this stage, whatever the model makes of it.
            return Verdict(
                "draft",
                "ok",
                topic_of(look.view.text, tuple(c.kind for c in look.contacts)),
                look.platform,
                explanation=(
                    f"{pack.name} allows sharing this for access to a tool the work needs once the order "
                    "or contract has started."
                ),
                stage="contacts",
                phase=phase,
                purpose=purpose,
            )
        probs = self.model.draft([self._model_input(look.norm.text)])[0]
        p_violation = float(probs[0])
        by_model = p_violation >= self.model.thresholds.violation
        if not look.findings and not by_model:
            return Verdict(
                "draft",
                "ok",
                None,
                look.platform,
                explanation="This draft keeps everything on the platform.",
                confidence=round(1.0 - p_violation, 3),
                stage="model",
            )
        findings = list(look.findings)
        if not findings:
            # The model found a request to move off the platform: the clause that moves it most,
            # or, in a long draft (where asking clause by clause would cost too much), the draft.
            clauses = drafts.clause_spans(look.text)
            span = (0, len(look.text))
            if 1 < len(clauses) <= MAX_EXPLAIN_PARTS:
                span = self.strongest_clause(look.text, "draft")
            findings.append(Finding("move", span, "model.draft", _KIND_WORDS["move"]))
        topic = topic_of(look.view.text, tuple(c.kind for c in look.contacts))
        kinds = list(dict.fromkeys(_KIND_WORDS.get(f.kind, f.kind) for f in findings))
        explanation = (
            f"This draft contains {', '.join(kinds[:3])}. "
            f"{pack.name} does not allow moving clients, messages or payments elsewhere."
        )
        return Verdict(
            mode="draft",
            label="violation",
            topic=topic,
            platform=look.platform,
            findings=tuple(findings),
            explanation=explanation,
            rewrite=drafts.rewrite(look.text, [f.span for f in findings], topic, pack.name),
            confidence=round(max(p_violation, 1.0 if look.contacts else 0.0), 3),
            stage="contacts" if look.contacts else "model",
        )

    def _allowed_in_draft(self, look: _Look) -> tuple[str, str] | None:
        """(phase, purpose) when the draft's details are all allowed where it stands: it says its
        stage and that the details are for access to a tool (a login e-mail for an invite), and
        the pack allows each detail's topic for access at that stage; else None. Payment details
        never are (and a draft that speaks of payment has the purpose "payment", which no stage
        allows). The stage and purpose are read only for drafts with such details."""
        if not look.contacts or any(
            c.kind == "payment" or c.kind not in CONTACT_TOPIC for c in look.contacts
        ):
            return None
        # The stage first: it is the cheaper question, and most drafts name none.
        phase = phase_of(look.view.text)
        if phase is None:
            return None
        purpose = purpose_of(look.view.text)
        if purpose != "access":  # system access only: talk and files move the client elsewhere
            return None
        for contact in look.contacts:
            topic = CONTACT_TOPIC[contact.kind]
            if not self.allowed_at_stage(look.platform, topic, phase, purpose, look.view.text):
                return None
        return phase, purpose

    # -------------------------------------------------------------------- explain --
    def explain(self, text: str, mode: str = "community") -> list[tuple[tuple[int, int], float]]:
        """Each clause's span and how much leaving it out lowers the flagged label's probability.

        Sorted, most influential first. The flagged label is ``encourages`` (community) or
        ``violation`` (draft); a negative number means the clause speaks against it.
        """
        text = _safe(text)
        spans = _grouped(drafts.clause_spans(text), MAX_EXPLAIN_PARTS)
        if not spans:
            return []
        pieces = [text] + [text[:start] + text[end:] for start, end in spans]
        inputs = [self._model_input(normalize(piece).text) for piece in pieces]
        probs = self.model.community(inputs) if mode == "community" else self.model.draft(inputs)
        column = probs[:, 0]
        deltas = [(span, round(float(column[0] - column[i + 1]), 3)) for i, span in enumerate(spans)]
        return sorted(deltas, key=lambda item: -item[1])

    def strongest_clause(self, text: str, mode: str = "community") -> tuple[int, int]:
        explained = self.explain(text, mode)
        return explained[0][0] if explained else (0, len(text))

    def reason(self, text: str, verdict: Verdict) -> str:
        """One line for a moderator: the clause that moved the decision most, contacts masked."""
        if verdict.stage != "model":
            return "contact details" if verdict.findings else ""
        start, end = self.strongest_clause(text, verdict.mode)
        clause = text[start:end]
        for finding in sorted(verdict.findings, key=lambda f: -f.span[0]):
            f_start, f_end = finding.span
            if start <= f_start and f_end <= end:
                clause = clause[: f_start - start] + finding.masked + clause[f_end - start :]
        clause = " ".join(clause.split())
        if len(clause) > 140:
            clause = clause[:139] + "…"
        return f"{verdict.confidence:.0%} {verdict.label}; most telling: “{clause}”"

    # -------------------------------------------------------------------- helpers --
    def _model_input(self, normalized: str) -> str:
        return model_input(normalized, self._aliases)

    def _look(self, text: str, platforms: Sequence[str] | None, draft: bool = False) -> _Look:
        norm = normalize(text)
        view = deobfuscate(norm)
        platform = self._platform(view.text, platforms, original=text)
        contacts = find_contacts(view, self._own_domains.get(platform, ()), text)
        if draft:
            # A draft may also hold a handle on its own, or tell the client where to find a detail.
            # One at a time, so no span is reported twice, whichever finder found it first.
            for extra in (find_bare_handles(view.text), find_pointers(view.text)):
                for contact in extra:
                    if not contact.overlaps(contacts):
                        contacts.append(contact)
        if draft and contacts:
            clauses = drafts.clause_spans(view.text)
            contacts = [
                c
                for c in contacts
                if not drafts.is_deliverable_detail(view.text, c.start, c.end, clauses)
                # a social link too ("behance.net/gallery/… — not mine, but that's the vibe")
                and not (
                    c.kind in ("link", "social") and drafts.is_third_party_link(view.text, c.start, clauses)
                )
            ]
        findings = tuple(
            sorted(
                (
                    Finding(c.kind, view.span(c.start, c.end), c.rule_id, mask(c.kind, c.value))
                    for c in contacts
                ),
                key=lambda f: f.span,
            )
        )
        return _Look(text, norm, view, platform, tuple(contacts), findings)

    def _platform(
        self, text: str, platforms: Sequence[str] | None, *, scan: bool = True, original: str = ""
    ) -> str:
        """The platform a message is about: the one it names (any pack, enabled or not), else
        the server's first enabled platform."""
        named = self.named_platforms(text, original) if scan else ()
        if named:
            return named[0]
        enabled = [p for p in (platforms or ()) if p in self.packs]
        return enabled[0] if enabled else self.default_platform

    def named_platforms(self, text: str, original: str = "") -> tuple[str, ...]:
        """The packs a message names, the one the deal comes FROM first.

        "moving my Fiverr buyer to Upwork" names both; the client and the rule that is broken
        are Fiverr's, so a platform right after "to", "onto", "into" or an arrow (where business
        is going) ranks after the others; otherwise the first named comes first.
        """
        found: list[tuple[bool, int, str]] = []
        for match in self._aliases.finditer(text):
            pack_id = self._alias_to_pack.get(match.group().lower())
            if pack_id:
                found.append((_is_destination(text, match.start()), match.start(), pack_id))
        for pattern, pack_id in self._proper_aliases if original else ():
            proper = pattern.search(original)
            if proper:
                found.append((_is_destination(original, proper.start()), proper.start(), pack_id))
        return tuple(dict.fromkeys(pack_id for _, _, pack_id in sorted(found)))


_DESTINATION = regex.compile(r"(?:\b(?:to|onto|into|towards|over\s+to)|->|→|=>)\s*(?:the\s+)?$", regex.I)


def _is_destination(text: str, start: int) -> bool:
    """True when the word at ``start`` follows "to", "onto", an arrow...: where business is going."""
    return _DESTINATION.search(text[max(0, start - 16) : start]) is not None


def _grouped(spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """At most ``limit`` spans: neighbours merged into groups of about equal count."""
    if len(spans) <= limit:
        return spans
    size = -(-len(spans) // limit)  # ceiling division
    return [(spans[i][0], spans[min(i + size, len(spans)) - 1][1]) for i in range(0, len(spans), size)]


class _Look:
    """What stages 2–3 found in one message, handed to the stage that decides."""

    __slots__ = ("contacts", "findings", "norm", "platform", "text", "view")

    def __init__(
        self,
        text: str,
        norm: Normalized,
        view: Normalized,
        platform: str,
        contacts: tuple[Contact, ...],
        findings: tuple[Finding, ...],
    ) -> None:
        self.text = text
        self.norm = norm
        self.view = view
        self.platform = platform
        self.contacts = contacts
        self.findings = findings


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
