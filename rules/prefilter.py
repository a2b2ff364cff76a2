"""A cheap first look that clears ordinary chat before any real work.

``looks_clean`` answers True only when a message cannot be advice to go off-platform or a
question about it. Everything it does runs in C (str methods, set operations, one stdlib
``re`` search), so ordinary chat costs a few microseconds. It must never clear a message
the full detector would flag: tests check both agree on every corpus and pack example and
on a generated stream.

Words come in two strengths. A STRONG word (a messenger, a payment service, "email") always
sends the message on. A WEAK word ("call", "pay", "link", "off") is everyday chat and only
matters next to marketplace context ("buyer", "client", "Fiverr", "order", ...), which the
detector itself requires before it flags such a message.
"""

from __future__ import annotations

import re

STRONG_WORDS: frozenset[str] = frozenset(
    [
        "email",
        "emails",
        "emailed",
        "emailing",
        "mail",
        "mailed",
        "gmail",
        "yahoo",
        "hotmail",
        "outlook",
        "proton",
        "protonmail",
        "icloud",
        "aol",
        "gmx",
        "yandex",
        "zoho",
        "whatsapp",
        "whatsap",
        "watsapp",
        "whatapp",
        "whats",
        "wa",
        "telegram",
        "telegramm",
        "tg",
        "tele",
        "skype",
        "wechat",
        "viber",
        "snapchat",
        "imo",
        "kik",
        "threema",
        "zalo",
        "kakaotalk",
        "wickr",
        "messenger",
        "instagram",
        "insta",
        "ig",
        "linkedin",
        "facebook",
        "fb",
        "twitter",
        "tiktok",
        "behance",
        "dribbble",
        "pinterest",
        "youtube",
        "linktree",
        "linktr",
        "socials",
        "paypal",
        "payoneer",
        "wise",
        "transferwise",
        "venmo",
        "cashapp",
        "zelle",
        "gcash",
        "jazzcash",
        "easypaisa",
        "mpesa",
        "pesa",
        "paytm",
        "skrill",
        "revolut",
        "usdt",
        "bitcoin",
        "btc",
        "crypto",
        "ethereum",
        "wisetag",
        "iban",
        "upi",
        "direct",
        "directly",
        "outside",
        "offsite",
        "discount",
        "calendly",
        "dropbox",
        "wetransfer",
        "leet",
        "invisible",
        "cyrillic",
        "reversed",
        "backwards",
        "readme",
        "watermark",
        "qr",
    ]
)
WEAK_WORDS: frozenset[str] = frozenset(
    [
        "off",
        "tip",
        "tips",
        "chat",
        "text",
        "call",
        "calling",
        "ring",
        "pay",
        "paid",
        "paying",
        "payment",
        "payments",
        "fee",
        "fees",
        "link",
        "links",
        "site",
        "website",
        "websites",
        "portfolio",
        "form",
        "id",
        "info",
        "details",
        "detail",
        "contact",
        "contacts",
        "handle",
        "username",
        "follow",
        "profile",
        "image",
        "images",
        "screenshot",
        "pdf",
        "zip",
        "footer",
        "system",
        "bot",
        "filter",
        "flag",
        "flags",
        "flagged",
        "catch",
        "caught",
        "scan",
        "detect",
        "trick",
        "tricks",
        "hack",
        "number",
        "numbers",
        "num",
        "digits",
        "phone",
        "mobile",
        "cell",
        "line",
        "signal",
        "snap",
        "threads",
        "discord",
        "slack",
        "deposit",
        "transfer",
        "wire",
        "bank",
        "cash",
        "wallet",
        "invoice",
        "invoices",
        "invoicing",
        "green",
        "blue",
        "plane",
        "drive",
        "meet",
        "zoom",
        "reach",
        "dm",
        "dms",
        "sms",
        "dial",
        "url",
        "domain",
        "font",
        "image",
        "file",
        "name",
        "platform",
        "western",
        "union",
        "eth",
        "move",
        "moving",
        "shift",
        "take",
        "collect",
        "allowed",
        "allow",
        "permissible",
        "permitted",
        "tos",
        "rules",
        "rule",
        "violation",
        "considered",
        "penalty",
        "banned",
        "ok",
        "okay",
        "counts",
    ]
)
COMPANIONS: frozenset[str] = frozenset(
    [
        "buyer",
        "buyers",
        "client",
        "clients",
        "customer",
        "customers",
        "employer",
        "employers",
        "fiverr",
        "fiver",
        "fivver",
        "upwork",
        "freelancer",
        "pph",
        "peopleperhour",
        "gig",
        "gigs",
        "order",
        "orders",
        "contract",
        "contracts",
        "proposal",
        "proposals",
        "bid",
        "bids",
        "delivery",
        "deliver",
        "delivered",
        "review",
        "reviews",
        "inbox",
        "connects",
        "milestone",
        "milestones",
        "hourlie",
        "award",
        "awarded",
        "platform",
        "job",
        "jobs",
        "app",
        "them",
        "fee",
        "fees",
        "20",
        "10",
        "filter",
        "bot",
    ]
)


def _byte_table(mapping: dict[int, int], default: int) -> bytes:
    return bytes(mapping.get(i, default) for i in range(256))


_LOWER, _UPPER, _DIGITS = b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"0123456789"
# Bytes to words: letters lower-cased, digits kept, everything else (punctuation, emoji bytes) a space.
_WORDS = _byte_table(
    {
        **{c: c for c in _LOWER + _DIGITS},
        **{upper: lower for upper, lower in zip(_UPPER, _LOWER, strict=True)},
    },
    ord(" "),
)
# Bytes to shape: every letter 'a', every digit '0', and the few symbols that matter.
_SHAPE = _byte_table(
    {
        **{c: ord("a") for c in _LOWER + _UPPER},
        **{c: ord("0") for c in _DIGITS},
        **{ord(c): ord(c) for c in "@$."},
    },
    ord(" "),
)
# Shapes of a disguise: an '@', a $cashtag, spaced or dotted single letters ("w h a t s"),
# letters mixed with digits ("wh4ts4pp"), a domain ("t.me", "site.com").
_SHAPES = (b"@", b"$a", b"a a a a", b"a.a.a.a", b"a0", b"0a", b"a.aa")
# Characters that can disguise a word: format/zero-width, combining marks, Greek, Cyrillic,
# IPA and small capitals, letter-like symbols, full-width forms, mathematical letters, and
# digits of other scripts. Emoji and accented Latin letters are not among them.
_DISGUISE = re.compile(
    "[\u00ad\u0250-\u02ff\u0300-\u036f\u0370-\u03ff\u0400-\u052f\u0660-\u0669\u06f0-\u06f9\u0966-\u096f"
    "\u1d00-\u1dbf\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2100-\u214f\u2460-\u24ff\ua700-\ua7ff"
    "\ufe00-\ufe0f\ufeff\uff00-\uffef\U0001d400-\U0001d7ff\U000e0000-\U000e007f]"
)


def looks_clean(text: str) -> bool:
    """True when the message certainly needs no further look."""
    if not text.isascii() and _DISGUISE.search(text):
        return False
    raw = text.encode("utf-8", "replace")
    words = set(raw.translate(_WORDS).split())
    if not _STRONG.isdisjoint(words):
        return False
    if not _WEAK.isdisjoint(words) and not _COMPANIONS.isdisjoint(words):
        return False
    shape = raw.translate(_SHAPE)
    if shape.count(b"0") >= 7:  # enough digits for a phone number
        return False
    return not any(pattern in shape for pattern in _SHAPES)


_STRONG = frozenset(w.encode() for w in STRONG_WORDS)
_WEAK = frozenset(w.encode() for w in WEAK_WORDS)
_COMPANIONS = frozenset(w.encode() for w in COMPANIONS)
