"""Human names for what the detector reports: rule ids, topics and platforms. No discord import.

A moderator reads "Email address", not ``contact.email``: every place that shows a rule or a
topic goes through ``rule_name`` / ``topic_name`` (the id may follow in brackets, never alone).
Rule ids are the ``rule_id`` of ``rules.model.Finding`` (rules/contacts.py) plus ``model.advice``
for advice the model judged without any contact detail in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rules.model import PolicyPack

# The rule id of a warning the model decided from the wording alone (no contact finding).
MODEL_ADVICE = "model.advice"

RULE_NAMES: dict[str, str] = {
    "contact.email": "Email address",
    "contact.email-reversed": "Email address written backwards",
    "contact.email-provider": "Email address spelled out (name at provider)",
    "contact.phone": "Phone number",
    "contact.phone-spelled": "Phone number spelled out in words",
    "contact.messenger-handle": "Messenger handle (WhatsApp, Telegram, Skype...)",
    "contact.bare-handle": "Handle on its own (@name, u/name) in a draft",
    "contact.pointer-in-file": "Contact detail hidden in a file, image or profile",
    "contact.pointer-same-name": '"Same name on" another app',
    "contact.pointer-search": "Where to search for the member off the platform",
    "contact.pointer-profile-name": "Profile name on another app",
    "contact.pointer-qr": "QR code to a contact",
    "contact.pointer-profile": "Contact through a profile bio or username",
    "contact.skype-id": "Skype id",
    "contact.meeting-id": "Meeting id (Zoom, Meet, Teams)",
    "contact.iban": "Bank account (IBAN)",
    "contact.crypto-wallet": "Crypto wallet address",
    "contact.upi-id": "UPI payment id",
    "contact.bank-details": "Bank account details (account number, sort code)",
    "contact.link-handle": "Messenger link (wa.me, t.me...)",
    "contact.link-payment": "Payment link (PayPal, Wise...)",
    "contact.link-meeting": "Meeting or booking link",
    "contact.link-social": "Social media profile link",
    "contact.link-link": "Link to a personal website",
    MODEL_ADVICE: "Advice to move off the platform (wording)",
}

# Generic topic names, for a topic id without a platform (shadow targets, old answers).
TOPIC_NAMES: dict[str, str] = {
    "email": "Email addresses",
    "messaging": "Messengers (WhatsApp, Telegram, Skype...)",
    "phone": "Phone numbers",
    "payments": "Payments outside the platform",
    "links": "Links, websites and social profiles",
    "calls": "Calls and video meetings",
    "after_order": "After an order or contract starts",
    "consequences": "What happens if you break the rules",
    "best_practices": "Good habits that keep you safe",
}

UNKNOWN_TOPIC = "Topic not recorded"


def emittable_rule_ids() -> tuple[str, ...]:
    """Every rule id a warning can carry (what shadow mode accepts)."""
    return tuple(RULE_NAMES)


def rule_name(rule_id: str) -> str:
    """The human name of a rule, with its id in brackets: "Email address [contact.email]"."""
    name = RULE_NAMES.get(rule_id)
    if name is None:
        topic = rule_id.rpartition(".")[2]
        # Warnings recorded before 0003 used "platform.topic" when no finding had a rule.
        name = f"Advice about {TOPIC_NAMES[topic].lower()}" if topic in TOPIC_NAMES else "Older rule"
    return f"{name} [{rule_id}]"


def rules_line(rule_ids: Sequence[str], limit: int = 3) -> str:
    """Several rules on one line, the first ``limit`` named and the rest counted."""
    named = [rule_name(rule_id) for rule_id in rule_ids[:limit]]
    more = len(rule_ids) - limit
    return "; ".join(named) + (f" and {more} more" if more > 0 else "")


def topic_key(platform: str, topic: str | None) -> str:
    """How a topic is counted in the stats: "upwork.payments" ("" when no topic was recorded)."""
    return f"{platform}.{topic}" if topic else ""


def topic_name(packs: Mapping[str, PolicyPack], platform: str | None, topic: str | None) -> str:
    """The pack's own title for a topic ("Payments outside Upwork"), its id in brackets."""
    if not topic:
        return UNKNOWN_TOPIC
    pack = packs.get(platform or "")
    found = pack.topics.get(topic) if pack is not None else None
    if found is not None:
        title = found.title
        if pack is not None and pack.name.lower() not in title.lower():
            title = f"{title} ({pack.name})"
        return f"{title} [{topic}]"
    return f"{TOPIC_NAMES.get(topic, 'Unknown topic')} [{topic}]"


def topic_key_name(packs: Mapping[str, PolicyPack], key: str) -> str:
    """``topic_name`` for a stats key made by ``topic_key`` (or a bare topic id)."""
    if not key:
        return UNKNOWN_TOPIC
    platform, _, topic = key.rpartition(".")
    return topic_name(packs, platform or None, topic)


def platform_name(packs: Mapping[str, PolicyPack], platform: str) -> str:
    pack = packs.get(platform)
    return pack.name if pack is not None else platform


def search(choices: Iterable[tuple[str, str]], typed: str, limit: int = 25) -> list[tuple[str, str]]:
    """(name, value) pairs whose name or value contains what was typed; prefixes of the value first."""
    typed = typed.strip().lower()
    hits = [(name, value) for name, value in choices if typed in name.lower() or typed in value.lower()]
    hits.sort(key=lambda pair: not pair[1].lower().startswith(typed))
    return hits[:limit]
