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


# ------------------------------------------------------------------------ stage and purpose --
# "after" means an order or contract that is running now ("the contract started yesterday",
# "during the order"), not "after the first order", which is the classic way of saying "take
# the repeat work elsewhere" (topic after_order) and is never an allowed stage.
_DEAL = r"(?:order|contract|job|project|gig|milestone)"
_BEFORE = rx(
    rf"\bbefore\s+(?:\w+\s+){{0,3}}?(?:{_DEAL}|hir\w*|(?:he|she|they|the\s+\w+)\s+(?:hires?|orders?|buys?|accepts?))"
    rf"|\b(?:no|without\s+an?|not\s+an?)\s+(?:active\s+)?{_DEAL}\s+(?:yet|started)"
    rf"|\bpre-?{_DEAL}\b|\b(?:hasn'?t|has\s+not|haven'?t|didn'?t|did\s+not)\s+(?:\w+\s+)?(?:hired|ordered|placed|started)"
    r"|\b(?:in|during)\s+(?:the\s+|my\s+|a\s+)?(?:interview|proposal|bid|pitch)s?\b"
    r"|\b(?:in|during)\s+(?:my\s+|the\s+)?(?:first\s+)?(?:pre-?order\s+)?(?:inbox|inquiry|enquiry)\b"
)
_AFTER = rx(
    rf"\b{_DEAL}(?:'s)?\s+(?:has\s+|had\s+|is\s+|was\s+|already\s+|just\s+)*(?:started|begun|began|active|running|placed|in\s+progress|funded|open)\b"
    rf"|\b(?:once|after|now\s+that|since)\s+(?:the\s+|our\s+|my\s+|their\s+|his\s+|her\s+|an?\s+)?{_DEAL}\s+(?:\w+\s+)?(?:starts?|started|begins|began|is\s+(?:active|placed|running|open)|was\s+placed|is\s+funded)"
    rf"|\b(?:during|mid|in\s+the\s+middle\s+of)\s+(?:the\s+|an?\s+|our\s+|my\s+)?(?:active\s+)?{_DEAL}\b"
    rf"|\b(?:active|running|ongoing|open|current)\s+{_DEAL}s?\b"
    r"|\b(?:hired|ordered|funded)\s+(?:me|us)\b|\b(?:after|since)\s+(?:he|she|they)\s+hired\b"
)
_PURPOSES = (
    (
        "payment",
        rx(
            rf"\b{alternation(PAYMENT_WORDS)}\b|" + "|".join(PAYMENT_PHRASES) + r"|\bfees?\b|\binvoic\w*"
            r"|\bpa(?:y|id|ying|yment)s?\b|\bcommission\b|\bmoney\b|\btips?\b"
        ),
    ),
    (
        "access",
        rx(
            r"\baccess\b|\blog\s?ins?\b|\bcredentials?\b|\bcollaborator\b|\badmin\b|\bpermissions?\b"
            r"|\bgithub\b|\bgitlab\b|\banalytics\b|\bquickbooks\b|\bxero\b|\bshopify\b|\bwordpress\b"
            r"|\bsearch\s+console\b|\binvite\s+me\b"
        ),
    ),
    ("files", rx(r"\bfiles?\b|\bdrive\b|\bdropbox\b|\bwetransfer\b|\bupload\w*|\bassets?\b|\bfolders?\b")),
    (
        "talk",
        rx(
            rf"\b{alternation(MESSENGER_WORDS)}\b|\b{alternation(EMAIL_WORDS)}\b|"
            + "|".join(PHONE_WORDS)
            + r"|\b(?:talk|chat|call|calls|calling|meet|meeting|meetings|zoom|slack|teams|discord"
            r"|communicat\w*|messag\w*|text)\b"
        ),
    ),
)
# Words that make a message about future or repeat work, or about dodging the platform: such a
# message is never "allowed at its stage", whatever stage it names.
_BEYOND_THE_DEAL = rx(
    rf"\b(?:after|once)\s+(?:the\s+|their\s+|your\s+|my\s+)?(?:first|1st|initial)\s+{_DEAL}"
    rf"|\b(?:next|future|repeat|later|other|new)\s+{_DEAL}s?\b|\bdirect(?:ly)?\b|\boff\s+(?:the\s+)?(?:platform|site|app)\b"
    r"|\boutside\b|\bskip\b|\bavoid\w*\b|\bbypass\w*|\bcut\s+out\b|\bmiddle\s?man\b|\bforever\b"
)


def phase_of(text: str) -> str | None:
    """``before`` or ``after`` the order/contract when normalised ``text`` says which, else None."""
    before = _BEFORE.search(text)
    after = _AFTER.search(text)
    if before and after:  # "before the contract starts" also reads as "contract starts"
        return "before" if before.start() <= after.start() else "after"
    return "before" if before else "after" if after else None


def purpose_of(text: str) -> str | None:
    """What a contact would be for: payment, then access, files, talk (the first that applies)."""
    for purpose, pattern in _PURPOSES:
        if pattern.search(text):
            return purpose
    return None


def beyond_the_deal(text: str) -> bool:
    """True when ``text`` talks of later work or of going around the platform."""
    return _BEYOND_THE_DEAL.search(text) is not None
