"""Finding contact details in any disguise: e-mail, phone, messenger handles, links, payment
handles and wallets. Works on the de-obfuscated view (rules.normalize.deobfuscate) and
reports spans in the original text."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from rules.lexicon import (
    EMAIL_PROVIDERS,
    MESSENGER_WORDS,
    PAYMENT_WORDS,
    SOCIAL_WORDS,
    alternation,
)
from rules.lexicon import (
    PATTERN_FLAGS as _FLAGS,
)
from rules.normalize import MIXED_TOKENS, Normalized, deleet

_TLDS = (
    "com|net|org|io|co|me|info|biz|dev|app|design|studio|art|xyz|online|site|store|shop|tech|"
    "us|uk|de|fr|es|it|nl|in|pk|bd|ng|ph|au|ca|ke|za|br|ru|cn|jp|eu|ai|gg|ly|link|page|pro|work|"
    "agency|digital|media|email|blog|portfolio|tv|fm|cc|ee|la|to|so|id|my|sg|ae|tr|pl|ro|ua|vn"
)
# Extensions that look like TLDs but are files in ordinary delivery talk.
_FILE_EXTENSIONS = {"md", "ai", "py", "so", "to", "id", "my", "la", "tv", "ly", "cc", "eu", "it", "in"}

EMAIL = regex.compile(
    rf"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]{{0,63}}@[a-z0-9-]{{1,63}}(?:\.[a-z0-9-]{{1,63}}){{0,3}}\.(?:{_TLDS})\b",
    _FLAGS,
)
# "sam.design gmail", "b3n.v1su4ls at gm4il", "g.mail, username is x": a handle next to a provider.
_PROVIDER = alternation([*EMAIL_PROVIDERS, "g mail", "g.mail"], with_leet=True)
PROVIDER_HANDLE = regex.compile(
    rf"(?<![\w.])(?P<handle>[a-z0-9][a-z0-9_-]*[._0-9][a-z0-9._-]*[a-z0-9])\s*(?:@|\bat\b|\bon\b|\s)\s*{_PROVIDER}\b"
    rf"|\b{_PROVIDER}\b[^\n]{{0,25}}?\b(?:username|id|is|:)\s*(?:is\s+)?(?P<handle>[a-z0-9][a-z0-9._-]{{2,40}}[a-z0-9])",
    _FLAGS,
)
REVERSED_EMAIL = regex.compile(r"(?<!\S)[a-z0-9.]{2,}\.[a-z0-9-]+@[a-z0-9._-]+(?!\S)", _FLAGS)

# Phone numbers: 7-15 digits in groups, with +, spaces, dashes, dots, brackets or newlines.
PHONE = regex.compile(
    r"(?<![\w#$.,/:-])(?:\+|00)?\(?\d{1,4}+\)?(?:[ \t\n.\-/]{0,3}+\(?\d{1,5}+\)?){1,7}(?![\w%$/]|[.,]\d|:\d|x\d)",
    _FLAGS,
)
_PHONE_CONTEXT = regex.compile(
    r"\b(?:call|text|txt|ring|phone|mobile|cell|number|no\.?|num|whats\w*|viber|signal|imo|telegram|"
    r"sms|contact|reach|line|dial|mpesa|gcash|jazzcash|easypaisa|ext|tel|direct\s+line|office)\b",
    _FLAGS,
)
_NOT_PHONE_CONTEXT = regex.compile(
    r"\b(?:isbn|sku|order|invoice|version|v\d|timecode|rows?|words?|px|dpi|id|ref|tracking|zip|"
    r"postal|size|sizes|price|\$|usd|eur|total)\b",
    _FLAGS,
)
# Digits written as words, alone or mixed with digit groups: "nine one seven four four...",
# "555 - zero one four four - 22", "five-five-five o-one-nine-nine".
_DIGIT_WORD = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double\s+\w+|\d{1,4})"
SPELLED_DIGITS = regex.compile(rf"\b{_DIGIT_WORD}(?:[\s,.\-]{{1,3}}{_DIGIT_WORD}\b){{5,}}", _FLAGS)
_WORD_DIGIT = regex.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", _FLAGS)
_WORD_VALUE = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_WORD_VALUE.update({"oh": "0", "o": "0"})


def _spelled_digit_count(run: str) -> tuple[int, int]:
    """(digits the run spells, how many of them are words)."""
    digits = words = 0
    for token in regex.findall(r"[a-z]+|\d+", run):
        if token.isdigit():
            digits += len(token)
        elif token in _WORD_VALUE:
            digits += 1
            words += 1
        elif token == "double":
            digits += 1
    return digits, words


_MESSENGERS = alternation(MESSENGER_WORDS + SOCIAL_WORDS + PAYMENT_WORDS, with_leet=True)
_EXTRA_CHANNELS = (
    r"x|snap|line|discord|tg|tele|insta|ig|fb|wa|cash\s*app|venmo|zelle|wise\s*tag|"
    r"skype\s+id|telegram\s+id|wechat\s+id|line\s+id"
)
HANDLE = regex.compile(
    rf"\b(?P<channel>{_MESSENGERS}|{_EXTRA_CHANNELS})\b(?:\s+(?:id|username|handle|name|page|account|tag))?"
    r"(?:\s*(?P<sep>(?:(?:is|:|-|=|->|→|on|at|,|id)\s*){1,3})(?P<handle>[@$]?[a-z0-9][\w.:#-]{2,40}[a-z0-9])"
    r"|[\s,]+(?P<handle>[@$][a-z0-9][\w.:#-]{2,40}[a-z0-9]))",
    _FLAGS,
)
# "I'm @sol_writes on X": the handle first, then the network.
HANDLE_ON = regex.compile(
    r"(?<![\w@/])(?P<handle>@[a-z][\w.-]{2,30}[a-z0-9])\s+on\s+"
    r"(?:x|twitter|insta\w*|ig|tiktok|telegram|threads|discord|snap\w*|skype|linkedin|facebook|fb)\b",
    _FLAGS,
)
# "It's easier on Discord, I'm zara.designs there": a handle introduced as oneself.
SELF_HANDLE = regex.compile(
    r"\bi'?m\s+(?P<handle>@?[a-z0-9][\w.]{2,30}[a-z0-9])\s+(?:there|on\s+(?:discord|telegram|insta\w*|ig|skype|x|twitter|tiktok|snap\w*|slack|signal|wechat|line))\b",
    _FLAGS,
)
# An outside meeting room by its number: "meeting ID 555 014 7123".
MEETING_ID = regex.compile(
    r"\b(?:zoom|meeting|meet|teams)\s+(?:meeting\s+)?id\s*:?\s*\d[\d ]{7,13}\d", _FLAGS
)
SKYPE_LIVE = regex.compile(r"\blive:[.\w-]{3,40}", _FLAGS)

LINK = regex.compile(
    # Domains begin a word: the lookbehind spares the scan every position inside one.
    rf"(?<![\w.@-])(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?(?:\.[a-z0-9-]{{1,63}}){{0,4}}"
    rf"\.(?P<tld>{_TLDS}))\b(?P<path>/[^\s<>()\"']*)?",
    _FLAGS,
)
IBAN = regex.compile(r"\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){3,7}(?:[ ]?[a-z0-9]{1,3})?\b", _FLAGS)
WALLET = regex.compile(r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-z1-9]{25,34}|0x[a-f0-9]{40})\b", _FLAGS)

# Domains by what they do. A link to a marketplace the member is on is fine.
LINK_KINDS: dict[str, str] = {
    "wa.me": "handle",
    "t.me": "handle",
    "telegram.me": "handle",
    "m.me": "handle",
    "signal.me": "handle",
    "discord.gg": "handle",
    "join.skype.com": "handle",
    "line.me": "handle",
    "paypal.me": "payment",
    "paypal.com": "payment",
    "venmo.com": "payment",
    "cash.app": "payment",
    "wise.com": "payment",
    "buymeacoffee.com": "payment",
    "ko-fi.com": "payment",
    "payoneer.com": "payment",
    "calendly.com": "meeting",
    "meet.google.com": "meeting",
    "zoom.us": "meeting",
    "teams.microsoft.com": "meeting",
    "cal.com": "meeting",
    "whereby.com": "meeting",
    "linkedin.com": "social",
    "instagram.com": "social",
    "facebook.com": "social",
    "fb.com": "social",
    "twitter.com": "social",
    "x.com": "social",
    "tiktok.com": "social",
    "behance.net": "social",
    "dribbble.com": "social",
    "linktr.ee": "social",
    "youtube.com": "social",
    "github.com": "social",
}
# Links that are part of normal order work (file hosts are judged by the request around them).
NEUTRAL_DOMAINS = ("example.com",)


MAX_CONTACTS = 20
_ANY_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # email, phone, handle, link, payment, meeting, social
    start: int  # span in the normalised view
    end: int
    value: str  # normalised value (never shown unmasked)
    rule_id: str


def mask(kind: str, value: str) -> str:
    """Show the shape of a contact detail without the detail itself."""
    value = value.strip()
    if kind == "email" and "@" in value:
        local, _, domain = value.partition("@")
        head, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{head[:1]}***.{tld}" if head else f"{local[:1]}***@***"
    if kind == "phone":
        digits = "".join(
            _WORD_VALUE.get(t, t)
            for t in regex.findall(r"[a-z]+|\d", value)
            if t.isdigit() or t in _WORD_VALUE
        )
        return f"phone number ({len(digits)} digits, ends …{digits[-2:]})"
    if kind in ("link", "payment", "meeting", "social", "handle"):
        bare = regex.sub(r"^(?:https?://)?(?:www\.)?", "", value)
        if "/" in bare or "." in bare.lstrip("@$"):
            domain = bare.split("/")[0]
            # A known service (paypal.me, t.me, calendly.com) may be named; a personal domain may not.
            if any(domain == known or domain.endswith("." + known) for known in LINK_KINDS):
                return f"{domain}/***" if "/" in bare else domain
            return f"***.{domain.rsplit('.', 1)[-1]}" + ("/***" if "/" in bare else "")
        return f"{bare[:2]}***" if len(bare) > 2 else "***"
    return f"{value[:1]}***"


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _looks_like_phone(view: str, start: int, end: int, raw: str) -> bool:
    digits = _digits(raw)
    if not 7 <= len(digits) <= 15:
        return False
    if regex.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()) or raw.strip().startswith("978-"):
        return False
    before = view[max(0, start - 40) : start]
    after = view[end : end + 25]
    if _NOT_PHONE_CONTEXT.search(before[-18:]) and not _PHONE_CONTEXT.search(before[-18:]):
        return False
    if raw.lstrip().startswith(("+", "00", "(")):
        return True
    if regex.fullmatch(r"\d{3}([.\-])\d{3}\1\d{4}", raw.strip()):  # 555.010.2298, 555-010-2298
        return True
    if _PHONE_CONTEXT.search(before) or _PHONE_CONTEXT.search(after) or _PHONE_CONTEXT.search(deleet(before)):
        return True
    # Grouped like a number people dial (0300-1234567, 555.010.2298, 07700 900431).
    groups = regex.split(r"[ \t\n.\-/()]+", raw.strip())
    groups = [g for g in groups if g]
    return len(digits) >= 10 and len(groups) <= 4 and digits[0] == "0"


def find_contacts(view: Normalized, own_domains: tuple[str, ...] = ()) -> list[Contact]:
    """Every contact detail in the (de-obfuscated) view."""
    text = view.text
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int, value: str, rule_id: str) -> None:
        # Enough to judge any message; the cap keeps hostile input (thousands of addresses) linear.
        if len(found) >= MAX_CONTACTS or any(start < t_end and end > t_start for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(Contact(kind, start, end, value, rule_id))

    has_at = "@" in text
    if has_at:
        for match in EMAIL.finditer(text):
            add("email", *match.span(), match.group(), "contact.email")
        for match in REVERSED_EMAIL.finditer(text):
            flipped = match.group()[::-1]
            if EMAIL.fullmatch(flipped):
                add("email", *match.span(), flipped, "contact.email-reversed")
    provider_hint = any(hint in text for hint in _PROVIDER_HINTS)
    for match in PROVIDER_HANDLE.finditer(text) if provider_hint else ():
        add(
            "email",
            *match.span(),
            f"{match.group('handle')}@{match.group().split()[-1]}",
            "contact.email-provider",
        )
    has_digit = _ANY_DIGIT.search(text) is not None
    for match in IBAN.finditer(text) if has_digit else ():
        if sum(c.isdigit() for c in match.group()) >= 10:
            add("payment", *match.span(), match.group(), "contact.iban")
    for match in WALLET.finditer(text) if has_digit else ():
        if any(c.isdigit() for c in match.group()) and any(c.isalpha() for c in match.group()):
            add("payment", *match.span(), match.group(), "contact.crypto-wallet")
    for match in LINK.finditer(text) if "." in text else ():
        domain = match.group("domain").lower()
        tld = match.group("tld").lower()
        if domain.endswith(own_domains) and own_domains:
            continue
        if "@" in text[max(0, match.start() - 1) : match.start()]:
            continue  # the domain part of an e-mail already found
        if (
            tld in _FILE_EXTENSIONS
            and not match.group().startswith(("http", "www"))
            and not match.group("path")
        ):
            continue
        if domain in NEUTRAL_DOMAINS and not match.group("path"):
            continue
        kind = next((k for d, k in LINK_KINDS.items() if domain == d or domain.endswith("." + d)), "link")
        add(kind, *match.span(), match.group(), f"contact.link-{kind}")
    if has_digit:
        for match in PHONE.finditer(text):
            raw = match.group()
            if _looks_like_phone(text, match.start(), match.end(), raw):
                add("phone", *match.span(), raw, "contact.phone")
    if _WORD_DIGIT.search(text):
        for match in SPELLED_DIGITS.finditer(text):
            digits, words = _spelled_digit_count(match.group())
            if words >= 2 and 7 <= digits <= 15:
                add("phone", *match.span(), match.group(), "contact.phone-spelled")
    for match in SKYPE_LIVE.finditer(text) if "live:" in text else ():
        add("handle", *match.span(), match.group(), "contact.skype-id")
    # The handle pattern is a long leet-tolerant alternation: run it only when a channel word,
    # or a word mixing letters and digits, is present.
    handle_hint = not _HANDLE_WORDS.isdisjoint(_WORDS.findall(text)) or MIXED_TOKENS.search(text) is not None
    for match in MEETING_ID.finditer(text) if has_digit else ():
        add("meeting", *match.span(), match.group(), "contact.meeting-id")
    for match in HANDLE.finditer(text) if handle_hint else ():
        handle = match.group("handle")
        labelled = ":" in (match.group("sep") or "") or "=" in (match.group("sep") or "")
        if _plausible_handle(handle, labelled=labelled):
            add("handle", match.start("handle"), match.end(), handle, "contact.messenger-handle")
    for match in SELF_HANDLE.finditer(text) if handle_hint else ():
        if regex.search(r"[@._\d]", match.group("handle")):
            add("handle", *match.span("handle"), match.group("handle"), "contact.messenger-handle")
    for match in HANDLE_ON.finditer(text) if "@" in text else ():
        add("handle", *match.span("handle"), match.group("handle"), "contact.messenger-handle")
    return found


_PROVIDER_HINTS = (
    "gm",
    "mail",
    "m4il",
    "ma1l",
    "yah",
    "y4h",
    "hotm",
    "outl",
    "prot",
    "pr0t",
    "iclo",
    "aol",
    "yand",
    "zoho",
    "g.m",
    "g m",
)
_WORDS = regex.compile(r"[a-z0-9]+")
_HANDLE_WORDS = frozenset(
    word
    for phrase in [*MESSENGER_WORDS, *SOCIAL_WORDS, *PAYMENT_WORDS]
    for word in regex.findall(r"[a-z0-9]+", phrase)[:1]
) | frozenset(
    "x snap line discord tg tele insta ig fb wa cash venmo zelle wise skype telegram wechat".split()
)

_COMMON_WORDS = frozenset(
    [
        "the",
        "this",
        "that",
        "there",
        "here",
        "and",
        "for",
        "with",
        "you",
        "your",
        "me",
        "my",
        "them",
        "is",
        "are",
        "was",
        "it",
        "its",
        "in",
        "on",
        "at",
        "to",
        "too",
        "same",
        "also",
        "only",
        "just",
        "please",
        "more",
        "now",
        "then",
        "later",
        "anytime",
        "soon",
        "better",
        "easier",
        "faster",
        "best",
        "way",
        "fine",
        "great",
        "instead",
        "directly",
        "sir",
        "po",
        "lol",
    ]
)


def _plausible_handle(handle: str, *, labelled: bool = False) -> bool:
    bare = handle.lstrip("@$").lower()
    if bare in _COMMON_WORDS or len(bare) < 3:
        return False
    if handle[0] in "@$" or labelled:  # "discord: lumenforge" is a handle by its label
        return True
    # A bare word after "telegram:" must look like a handle: digits, _, ., : or #.
    return bool(regex.search(r"[\d_.:#]", bare))
