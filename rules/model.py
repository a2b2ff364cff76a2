"""Plain data the detector hands out: frozen dataclasses, no discord import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Mode = Literal["community", "draft"]
# warn: public reply and a warning; review: the mod-log only, for a moderator to decide;
# answer: a rule question, the policy as an answer; none: nothing.
Action = Literal["warn", "review", "answer", "none"]
ACTIONS: tuple[str, ...] = ("warn", "review", "answer", "none")

COMMUNITY_LABELS: tuple[str, ...] = ("encourages", "asks", "none")
DRAFT_LABELS: tuple[str, ...] = ("violation", "ok")

# Every pack must define these topics; verdicts map to one of them.
TOPIC_IDS: tuple[str, ...] = (
    "email",
    "messaging",
    "phone",
    "payments",
    "links",
    "calls",
    "after_order",
    "consequences",
    "best_practices",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the detector found, with its span in the ORIGINAL text."""

    kind: str  # email, phone, handle, link, payment, request, evasion, channel, ...
    span: tuple[int, int]
    rule_id: str
    masked: str  # what was found, with contact details masked (safe to store/show)


# The stage of a deal a message describes, and what a contact would be for: a pack says per
# topic which purposes each stage allows (rules/packs/*.toml, ``[topics.<id>.before|after]``).
PHASES: tuple[str, ...] = ("before", "after")
PURPOSES: tuple[str, ...] = ("talk", "access", "files", "payment")


@dataclass(frozen=True, slots=True)
class Verdict:
    mode: Mode
    label: str  # encourages | asks | none  (community)   violation | ok  (draft)
    topic: str | None  # one of TOPIC_IDS, None when nothing was found
    platform: str  # pack id, e.g. "fiverr"
    findings: tuple[Finding, ...] = ()
    explanation: str = ""
    rewrite: str | None = None  # drafts only: a compliant rewrite when label == violation
    confidence: float = 1.0  # calibrated probability of ``label`` (1.0 where rules decided alone)
    action: Action = "none"  # what the bot does: see ACTIONS
    stage: str = "prefilter"  # which stage decided: prefilter, lexical, model, contacts
    reason: str = ""  # one line: what moved the decision most (safe to show: contacts masked)
    phase: str | None = None  # before | after an order/contract, when the text says so
    purpose: str | None = None  # talk | access | files | payment, when the text says so

    @property
    def flagged(self) -> bool:
        """True when the bot should act: a warning (community) or a violation (draft)."""
        return self.label in ("encourages", "violation")

    @property
    def masked_snippet(self) -> str:
        """A short, storable description: the masked findings, never the raw message."""
        return ", ".join(dict.fromkeys(f.masked for f in self.findings if f.masked))[:200]


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class StageRule:
    """What a topic's rule allows at one stage of a deal (before or after the order/contract)."""

    phase: str  # one of PHASES
    allowed: tuple[str, ...]  # purposes (PURPOSES) allowed at this stage; payment never is
    answer: str  # the rule for this stage in plain words, as an answer to a member


@dataclass(frozen=True, slots=True)
class Topic:
    id: str  # one of TOPIC_IDS
    title: str
    summary: str  # the policy in plain words (our own)
    alternatives: tuple[str, ...]  # compliant things to do instead
    why: str  # why staying on the platform protects the member
    source: str  # official URL for this topic
    stages: dict[str, StageRule] = field(default_factory=dict, hash=False)  # by phase

    def answer_for(self, phase: str | None) -> str | None:
        """The rule at ``phase`` in plain words, when the pack has one for it."""
        rule = self.stages.get(phase or "")
        return rule.answer if rule is not None else None

    def allows(self, phase: str | None, purpose: str | None) -> bool:
        """True when the pack says ``purpose`` is allowed at ``phase`` (never for payment)."""
        rule = self.stages.get(phase or "")
        return rule is not None and purpose is not None and purpose != "payment" and purpose in rule.allowed


@dataclass(frozen=True, slots=True)
class PackExample:
    mode: Mode
    text: str
    expect: str  # a label of that mode
    line: int  # line in the TOML file, for error messages


@dataclass(frozen=True, slots=True)
class PackPattern:
    id: str
    kind: str  # see rules.policy.PATTERN_KINDS
    pattern: str
    line: int


@dataclass(frozen=True, slots=True)
class PolicyPack:
    id: str  # "fiverr"
    name: str  # "Fiverr"
    path: str  # file it came from
    aliases: tuple[str, ...]  # words that name the platform in a message
    last_checked: date
    sources: tuple[Source, ...]
    topics: dict[str, Topic] = field(hash=False)
    patterns: tuple[PackPattern, ...] = ()
    examples: tuple[PackExample, ...] = ()
