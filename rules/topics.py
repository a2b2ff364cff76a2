"""Which policy topic a flagged message or draft is about, from the one vocabulary in rules.lexicon.

The model decides *whether* a message pushes business off the platform; this module only
picks which of the pack's topics the reply should explain. A contact detail decides first
(an e-mail address is the e-mail topic); otherwise the channel named first (a payment service
such as PayPal counts as one); otherwise everyday payment words ("fees", "invoice", "pay");
otherwise talk of later work ("after the first order", "the next project"); otherwise the
general best practices.
"""

from __future__ import annotations

from rules.lexicon import (
    EMAIL_PROVIDERS,
    EMAIL_WORDS,
    MESSENGER_SHORT,
    MESSENGER_WORDS,
    PAYMENT_PHRASES,
    PAYMENT_WORDS,
    PHONE_WORDS,
    SITE_WORDS,
    SOCIAL_SHORT,
    SOCIAL_WORDS,
    alternation,
    rx,
)

# A contact detail's kind (rules.contacts) names its topic directly.
CONTACT_TOPIC = {
    "email": "email",
    "phone": "phone",
    "handle": "messaging",
    "link": "links",
    "social": "links",
    "meeting": "calls",
    "payment": "payments",
}

_PAYMENT_WORDS = rx(r"\bfees?\b|\binvoic\w*|\bpa(?:y|id|ying|yment)\b|\bcommission\b|\bcut\b")
_CHANNELS = (
    ("payments", rx(rf"\b{alternation(PAYMENT_WORDS)}\b|" + "|".join(PAYMENT_PHRASES))),
    ("messaging", rx(rf"\b{alternation(MESSENGER_WORDS)}\b|" + "|".join(MESSENGER_SHORT))),
    ("email", rx(rf"\b{alternation(EMAIL_WORDS + EMAIL_PROVIDERS)}\b")),
    ("phone", rx("|".join(PHONE_WORDS))),
    ("calls", rx(r"\b(?:calls?|zoom|video\s+chat|google\s+meet|teams\s+meeting)\b")),
    ("links", rx(rf"\b{alternation(SOCIAL_WORDS)}\b|" + "|".join(SOCIAL_SHORT + SITE_WORDS))),
)
_AFTER_ORDER = rx(
    r"\bafter\s+(?:the\s+|their\s+|your\s+)?(?:first\s+)?(?:order|contract|job|project|gig)s?\b"
    r"|\b(?:next|future|repeat)\s+(?:projects?|orders?|jobs?|work)\b"
)


def topic_of(text: str, contact_kinds: tuple[str, ...] = ()) -> str:
    """The topic id for normalised ``text``; ``contact_kinds`` are the kinds found in it, in order."""
    for kind in contact_kinds:
        if kind in CONTACT_TOPIC:
            return CONTACT_TOPIC[kind]
    first: tuple[int, str] | None = None
    for topic, pattern in _CHANNELS:
        match = pattern.search(text)
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), topic)
    if first is not None:
        return first[1]
    if _PAYMENT_WORDS.search(text):
        return "payments"
    if _AFTER_ORDER.search(text):
        return "after_order"
    return "best_practices"
