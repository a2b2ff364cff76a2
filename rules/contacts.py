"""Finding contact details in any disguise: e-mail, phone, messenger handles, links, payment
handles and wallets. Works on the de-obfuscated view (rules.normalize.deobfuscate) and
reports spans in the original text."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse

import phonenumbers
import regex

from rules.lexicon import (
    DIGIT_WORD_VALUES,
    EMAIL_PROVIDERS,
    MESSENGER_WORDS,
    PAYMENT_WORDS,
    SOCIAL_WORDS,
    alternation,
    leet,
)
from rules.lexicon import (
    PATTERN_FLAGS as _FLAGS,
)
from rules.normalize import MIXED_TOKENS, PUBLIC_SUFFIXES, Normalized, deleet

# A domain ends in a suffix of the public suffix list (publicsuffixlist ships a copy and works
# offline; rules.normalize loads it once): "acme.club", "studio.photography", "acme.co.uk".
# The patterns accept any ending of letters (or an IDN's "xn--" form); _registrable then keeps
# the domains the list knows (accept_unknown=False: "b.zzz" is no domain). ICANN section only:
# "github.io" is a domain (a private-section suffix would make it a public suffix with no owner).
_TLD = r"(?:xn--[a-z0-9-]{1,59}|[a-z]{2,63})"
_PSL = PUBLIC_SUFFIXES
# Endings that are also file extensions: without "@", a scheme, "www." or a path, "logo.ai",
# "notes.md", "final.zip" or "preview.mov" are files in ordinary delivery talk. The two-letter
# words among them ("so", "to", "it", "in", "my"...) also end sentences written without a space.
_FILE_EXTENSIONS = frozenset(
    "ai app cab cc eu fish gs id in ink it java la ly map md ml mobi mov ms my pl pm ps py rs sc sh so "
    "tf to tv zip".split()
)


def _address(candidate: str) -> str:
    """An EMAIL match with its domain cut to the part someone can own, or "" when there is none."""
    local, _, domain = candidate.partition("@")
    keep = _registrable(domain)
    if not keep and _INVENTED_DOMAIN.fullmatch(domain):
        keep = len(domain)
    return f"{local}@{domain[:keep]}" if keep else ""


# "ben@outpost-edit.example": the ending RFC 2606 keeps for made-up names. In a message it is an
# address someone invented to stand for theirs (as in the examples people paste from guides),
# and an address whatever it ends in; so is a link to a page on it; as a bare domain it stays no link.
_INVENTED_DOMAIN = regex.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.example", _FLAGS)


def _registrable(domain: str) -> int:
    """How many characters of ``domain`` (lower case) form a domain someone can own: all of it,
    or its first labels when the last ones are not a known ending ("acme.club.thanks" gives
    "acme.club"); 0 when no part is ("logo.zzz", "co.uk")."""
    labels = domain.split(".")
    for count in range(len(labels), 1, -1):
        candidate = ".".join(labels[:count])
        if _PSL.privatesuffix(candidate) is not None:
            return len(candidate)
    return 0


EMAIL = regex.compile(
    # The mailbox may hold any letter ("gabi.roşu@..."): look-alikes were folded before this runs.
    rf"(?<![\w.+-])[^\W_][\w.%+-]{{0,63}}@[a-z0-9-]{{1,63}}(?:\.[a-z0-9-]{{1,63}}){{0,3}}\.{_TLD}\b",
    _FLAGS,
)
# "sam.design gmail", "b3n.v1su4ls at gm4il", "g.mail, username is x": a handle next to a provider.
_PROVIDER_NAMES = [*EMAIL_PROVIDERS, "g mail", "g.mail"]
_PROVIDER = alternation(_PROVIDER_NAMES, with_leet=True)
PROVIDER_HANDLE = regex.compile(
    rf"(?<![\w.])(?:(?P<handle>[a-z0-9][a-z0-9_-]*[._0-9][a-z0-9._-]*[a-z0-9])\s*"
    rf"(?:@|\bat\b(?:\s+the\b)?|\bon\b|[—–-]+\s*it'?s\b|\s)\s*\(?\s*"
    # after '@' any name is a mailbox ("fern [at] gmail" without ".com")
    rf"|(?P<handle>[a-z0-9][a-z0-9._-]{{1,40}}[a-z0-9])\s*@\s*){_PROVIDER}\b"
    rf"|\b{_PROVIDER}\b[^\n]{{0,25}}?\b(?:username|id|is|:)\s*(?:is\s+)?(?P<handle>[a-z0-9][a-z0-9._-]{{2,40}}[a-z0-9])",
    _FLAGS,
)
# "git@github.com:org/site.git" is a repository's address, not a mailbox.
_SSH_REMOTE = regex.compile(r":[\w.-]+/")
REVERSED_EMAIL = regex.compile(r"(?<!\S)[a-z0-9.]{2,}\.[a-z0-9-]+@[a-z0-9._-]+(?!\S)", _FLAGS)

# Phone numbers: 7-15 digits in groups, with +, spaces, dashes, dots, brackets or newlines.
PHONE = regex.compile(
    r"(?<![\w#$.,/:-])(?:\+|00)?\(?\d{1,4}+\)?(?:[ \t\n.\-/\u2010-\u2015\u2212·]{0,3}+\(?\d{1,5}+\)?){1,7}"
    r"(?![\w%$/]|[.,]\d|:\d|x\d)",
    _FLAGS,
)
_PHONE_CONTEXT = regex.compile(
    r"\b(?:call|text|txt|ring|phone|mobile|mob|cell|number|no\.?|num|whats\w*|"
    r"sms|contact|reach|line|dial|mpesa|gcash|jazzcash|easypaisa|ext|tel|direct\s+line|office|"
    r"msg|message|dm|ping|hmu|my\s+digits|wsp|wapp|fax|icq|bizum|wats\s*app"
    r")\b|📱|📞|☎|\b(?:"
    # The same in the languages members code-switch into ("meu zap é", "telefonuj", "mi número"),
    r"telefon\w*|tel[eé]fono|n[uú]mero|num[eé]ro|nummer|handy|celular|cel|m[oó]vil|contato|contacto|kontakt|"
    # and every messenger's and payment app's name ("signal", "zalo", "viber", "lydia").
    rf"{alternation(MESSENGER_WORDS)}|{alternation(PAYMENT_WORDS)})\b",
    _FLAGS,
)
_NOT_PHONE_CONTEXT = regex.compile(
    r"\b(?:isbn|sku|order|invoice|version|v\d|timecode|rows?|words?|px|dpi|id|ref|tracking|zip|"
    r"postal|size|sizes|price|\$|usd|eur|total|sn|s/n)\b",
    _FLAGS,
)
# "number" after these words names a reference, not a phone: "order number", "tracking no.".
_REFERENCE_NUMBER = regex.compile(
    r"\b(?:order|invoice|tracking|reference|ref|case|ticket|confirmation|serial|model|part|transaction|"
    r"receipt|booking|sku|isbn|item|batch|lot|company|registration|vat|tax|po)\.?\s*(?:number|no\.?|num|#|id)\b(?:\s*(?:is|was))?[^a-z]*$",
    _FLAGS,
)
# A short group of letters and digits right before a number ("82x 03 5519"): the number is the
# rest of that code (a tracking code). A longer word is leetspeak ("wh4tsapp 0300...").
_CODE_BEFORE = regex.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,4}[ \t]$", _FLAGS)
# Digits written as words, alone or mixed with digit groups: "nine one seven four four...",
# "555 - zero one four four - 22", "five-five-five o-one-nine-nine".
# "cinco cinco cinco, cero uno...": the digit words of lexicon.DIGIT_WORD_VALUES.
_DIGIT_WORD = rf"(?:{alternation([*DIGIT_WORD_VALUES, 'o', 'oh'])}|double[\s-]+\w+|\d{{1,4}})"
SPELLED_DIGITS = regex.compile(rf"\b{_DIGIT_WORD}(?:[\s,.\-/()]{{1,3}}{_DIGIT_WORD}\b){{5,}}", _FLAGS)
_WORD_DIGIT = regex.compile(rf"\b{alternation(list(DIGIT_WORD_VALUES))}\b", _FLAGS)
_WORD_VALUE = DIGIT_WORD_VALUES | {"o": "0", "oh": "0"}


_SPELLED_TOKENS = regex.compile(r"[a-z]+|\d+")


# Runs that can each be one item of a spelled number (a digit word, "double", up to four digits).
_SPELLED_ITEMS = frozenset(word.encode() for word in [*_WORD_VALUE, "double"])


def _spelled_items(runs: list[bytes]) -> int:
    """How many runs (or pieces of runs between symbols) can be an item of a spelled number."""
    return sum(1 for run in runs if run in _SPELLED_ITEMS or (run.isdigit() and len(run) <= 4))


def _spelled_digit_count(run: str) -> tuple[int, int]:
    """(digits the run spells, how many of them are words)."""
    digits = words = 0
    for token in _SPELLED_TOKENS.findall(run):
        if token.isdigit():
            digits += len(token)
        elif token in _WORD_VALUE:
            digits += 1
            words += 1
        elif token == "double":
            digits += 1
    return digits, words


_CHANNEL_WORDS = MESSENGER_WORDS + SOCIAL_WORDS + PAYMENT_WORDS
_MESSENGERS = alternation(_CHANNEL_WORDS, with_leet=True)
_EXTRA_CHANNELS = (
    r"x|snap|line|discord|tg|tele|insta|ig|fb|wa|cash\s*app|venmo|zelle|wise\s*tag|"
    r"skype\s+id|telegram\s+id|wechat\s+id|line\s+id"
)
# What follows the channel's name: a label ("telegram, username is ..."), a separator and the handle.
_AFTER_CHANNEL = (
    r"(?:[\s,?!]+(?:my\s+)?(?P<label>id|username|user\s+name|user|handle|name|page|account|tag))?"
    r"(?:\s*(?P<sep>(?:(?:is|it'?s|es|é|ist|both\s+are|me|:|：|-|=|->|→|on|at|,|id|号|는|은)\s*){1,3})(?P<handle>[@$]?[a-z0-9][\w.:#-]{2,40}[a-z0-9])"
    r"|[\s,(]+(?P<handle>[@$][a-z0-9][\w.:#-]{2,40}[a-z0-9]))"
)
HANDLE = regex.compile(rf"\b(?P<channel>{_MESSENGERS}|{_EXTRA_CHANNELS})\b{_AFTER_CHANNEL}", _FLAGS)
_HANDLE_TAIL = regex.compile(_AFTER_CHANNEL, _FLAGS)
# "I'm @sol_writes on X": the handle first, then the network.
HANDLE_ON = regex.compile(
    r"(?<![\w@/])(?P<handle>@ ?[a-z][\w.-]{2,30}[a-z0-9])\s+on\s+"
    r"(?:x|twitter|insta\w*|ig|tiktok|telegram|threads|discord|snap\w*|skype|linkedin|facebook|fb)\b",
    _FLAGS,
)
# "Find me on the gram @lena_draws", "DM me there, @sam.k": a handle given as where to reach the
# writer, whatever the network is called. It must look like a handle (".", "_" or a digit), not
# a name someone is greeted by ("ask @Sarah").
REACH_ME_HANDLE = regex.compile(
    r"\b(?:find|follow|add|dm|message|msg|ping|text|hit)\s+me\b[^.!?\n@]{0,30}?"
    r"(?<![\w@/])(?P<handle>@[a-z][\w.-]{1,30}[a-z0-9])(?![\w@])",
    _FLAGS,
)
# "It's easier on Discord, I'm zara.designs there": a handle introduced as oneself.
SELF_HANDLE = regex.compile(
    rf"\bi'?m\s+[\"'“‘]?(?P<handle>@?[a-z0-9][\w.]{{2,30}}[a-z0-9])[\"'”’]?\s+(?:there|on\s+(?:{_MESSENGERS}|{_EXTRA_CHANNELS}|slack))\b",
    _FLAGS,
)
# "he's on Telegram as lwazi_grades", "on Discord under pixel.poppy": the network, then the name.
CHANNEL_AS_HANDLE = regex.compile(
    rf"\bon\s+(?:{_MESSENGERS}|{_EXTRA_CHANNELS}|slack)\s+(?:as|under)\s+[\"'“‘]?(?P<handle>@?[a-z0-9][\w.]{{2,30}}[a-z0-9])",
    _FLAGS,
)
# An outside meeting room by its number: "meeting ID 555 014 7123".
MEETING_ID = regex.compile(
    r"\b(?:zoom|meeting|meet|teams)\s+(?:meeting\s+)?id\s*(?::|is)?\s*\d[\d ]{7,13}\d", _FLAGS
)
SKYPE_LIVE = regex.compile(r"\blive:[.\w-]{3,40}", _FLAGS)

LINK = regex.compile(
    # Domains begin a word: the lookbehind spares the scan every position inside one.
    rf"(?<![\w.@-])(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?(?:\.[a-z0-9-]{{1,63}}){{0,4}}"
    rf"\.(?P<tld>{_TLD}))\b(?P<path>/[^\s<>()\"']*)?",
    _FLAGS,
)
# The countries of the IBAN registry (ISO 13616): "JD0146 0000 6851 2345 67" is a parcel's
# tracking code, not an account.
IBAN_COUNTRIES = frozenset(
    "AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT "
    "HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA "
    "RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE".split()
)
IBAN = regex.compile(r"\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){3,7}(?:[ ]?[a-z0-9]{1,3})?\b", _FLAGS)
# Bitcoin (bech32, legacy), Ethereum and Tron (TRC20 USDT: "T" and 33 base58 characters, any
# letter once lower-cased).
WALLET = regex.compile(
    r"\b(?:bc1[a-z0-9]{25,60}|[13][a-km-z1-9]{25,34}|0x[a-f0-9]{40}|t[a-z1-9]{33})\b", _FLAGS
)
# A UPI id (India) is "name@bank", with no top-level domain: it counts where UPI is named.
UPI_ID = regex.compile(
    r"\bupi\b[^\n]{0,30}?(?<![\w.])(?P<handle>[a-z0-9][a-z0-9._-]{1,40}@[a-z]{2,20})\b(?!\.)", _FLAGS
)
# UK bank details: a sort code, an account number after its label.
BANK_DETAILS = regex.compile(
    r"\bsort\s*code\s*:?\s*\d{2}[- ]?\d{2}[- ]?\d{2}\b"
    r"|\b(?:acct|account\s*(?:no\.?|number|#)|a/c)\s*(?:is\s*)?:?\s*\d{6,12}\b",
    _FLAGS,
)

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
_LINK_KIND_ORDER = {domain: index for index, domain in enumerate(LINK_KINDS)}


def _known_domains(domain: str) -> list[str]:
    """The LINK_KINDS domains that ``domain`` is or lies under, in LINK_KINDS order: looked up by
    the domain's dotted tails rather than by trying every known domain."""
    labels = domain.split(".")
    tails = [".".join(labels[index:]) for index in range(len(labels))]
    return sorted((tail for tail in tails if tail in LINK_KINDS), key=_LINK_KIND_ORDER.__getitem__)


def _link_kind(domain: str) -> str:
    known = _known_domains(domain)
    return LINK_KINDS[known[0]] if known else "link"


# Links that are part of normal order work (file hosts are judged by the request around them).
NEUTRAL_DOMAINS = ("example.com", "example.org", "example.net")


# Mailbox names that only stand in for one ("you@company.com", "your.name@...") in forms and templates.
_PLACEHOLDER_MAILBOXES = frozenset(
    "you your yourname your.name your_name name user username someone firstname.lastname "
    "first.last john.doe jane.doe".split()
)


def _reserved(domain: str) -> bool:
    """Domains reserved for examples and tests (RFC 2606): never anyone's contact detail."""
    return domain in NEUTRAL_DOMAINS or domain.endswith((".example.com", ".example.org", ".example.net"))


MAX_CONTACTS = 20
_ANY_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # email, phone, handle, link, payment, meeting, social, pointer (rules.pointers)
    start: int  # span in the normalised view
    end: int
    value: str  # normalised value (never shown unmasked)
    rule_id: str

    def overlaps(self, others: list[Contact]) -> bool:
        """True when this detail's span shares a character with one of ``others``."""
        return any(self.start < other.end and other.start < self.end for other in others)


_MASK_DIGITS = regex.compile(r"[a-z]+|\d")
_MASK_SCHEME = regex.compile(r"^(?:https?://)?(?:www\.)?")


def mask(kind: str, value: str) -> str:
    """Show the shape of a contact detail without the detail itself."""
    value = value.strip()
    if kind == "email" and "@" in value:
        local, _, domain = value.partition("@")
        head, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{head[:1]}***.{tld}" if head else f"{local[:1]}***@***"
    if kind == "pointer":  # "search 'Blue Finch Audio' on Instagram": the name is the detail
        return "where to find a contact detail (not shown)"
    if kind == "phone":
        digits = "".join(
            _WORD_VALUE.get(t, t) for t in _MASK_DIGITS.findall(value) if t.isdigit() or t in _WORD_VALUE
        )
        return f"phone number ({len(digits)} digits, ends …{digits[-2:]})"
    if kind in ("link", "payment", "meeting", "social", "handle"):
        bare = _MASK_SCHEME.sub("", value)
        if "/" in bare or "." in bare.lstrip("@$"):
            domain = bare.split("/")[0]
            # A known service (paypal.me, t.me, calendly.com) may be named; a personal domain may not.
            if _known_domains(domain):
                return f"{domain}/***" if "/" in bare else domain
            return f"***.{domain.rsplit('.', 1)[-1]}" + ("/***" if "/" in bare else "")
        return f"{bare[:2]}***" if len(bare) > 2 else "***"
    return f"{value[:1]}***"


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


_ISO_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_NUMBER = regex.compile(r"\d{3}([.\-])\d{3}\1\d{4}")
_NUMBER_GROUPS = regex.compile(r"[ \t\n.\-/()\u2010-\u2015\u2212·]+")


def _looks_like_phone(view: str, start: int, end: int, raw: str) -> tuple[bool, bool]:
    """(whether the match at ``start``..``end`` is shaped and placed like a phone number, whether
    phone words stand around it). _dialable then asks phonenumbers."""
    if len(raw) < 7:  # fewer than seven digits
        return False, False
    digits = _digits(raw)
    if not 7 <= len(digits) <= 15:
        return False, False
    if _ISO_DATE.fullmatch(raw.strip(" \t\n()")) or raw.strip().startswith("978-"):
        return False, False
    before = view[max(0, start - 40) : start]
    after = view[end : end + 25]
    if _NOT_PHONE_CONTEXT.search(before[-18:]) and not _PHONE_CONTEXT.search(before[-18:]):
        return False, False
    if _REFERENCE_NUMBER.search(before[-30:]):  # "order number 2024...", "tracking no. 7712..."
        return False, False
    if _CODE_BEFORE.search(before[-12:]):  # the tail of a code: "1z 4f7 82x 03 5519 2046"
        return False, False
    if _PHONE_CONTEXT.search(before) or _PHONE_CONTEXT.search(after) or _PHONE_CONTEXT.search(deleet(before)):
        return True, True
    if raw.lstrip().startswith(("+", "00", "(")):
        return True, False
    if _DOTTED_NUMBER.fullmatch(raw.strip()):  # 555.010.2298, 555-010-2298
        return True, False
    # Grouped like a number people dial (0300-1234567, 07700 900431).
    groups = _NUMBER_GROUPS.split(raw.strip())
    groups = [g for g in groups if g]
    # In pairs, as France and others write them (06 55 50 12 98).
    pairs = len(groups) == 5 and all(len(group) == 2 for group in groups)
    return len(digits) >= 10 and (len(groups) <= 4 or pairs) and digits[0] == "0", False


# Where a number written without its country code is read: the regions most of our members and
# their clients are in. The US comes first: fictional numbers (555-01xx) are written in its format.
# Plans that accept a wide range of lengths (Germany, Indonesia, Italy) would let most reference
# numbers through, so they are not among them; their numbers count when written with "+".
_PHONE_REGIONS = ("US", "GB", "IN", "PK", "BD", "NG", "PH", "KE", "ZA", "AU", "AE")
_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE
_POSSIBLE_LOCAL = phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY


@lru_cache(maxsize=4096)
def _dialable(raw: str, in_context: bool) -> bool:
    """Whether phonenumbers finds ``raw`` a possible number: by its country code when written
    with "+" or "00", else in one of _PHONE_REGIONS. Possible, not valid: the corpus and tests use
    fictional numbers (555-01xx, 07700 900xxx) that no carrier holds, and they must count. What
    this rules out is a length no numbering plan has (order ids, long references, "+1 555 0100").
    A number that is only dialable locally (seven digits in the US) counts beside phone words,
    and so does one written with "+" ("your number +1 555 0112 3089": one digit too many is
    still a number given out)."""
    digits = _digits(raw)
    plus = raw.lstrip().startswith("+") or (raw.lstrip().startswith("00") and digits.startswith("00"))
    if plus and in_context:  # "+" and phone words: a number, even with a digit too many or few
        return True
    international = [("+" + digits.removeprefix("00"), None)]
    # Beside phone words, a number may also be written with its country code and no "+" (447700900431).
    tries = (
        international
        if plus
        else [(digits, r) for r in _PHONE_REGIONS] + (international if in_context else [])
    )
    for number, region in tries:
        try:
            reason = phonenumbers.is_possible_number_with_reason(phonenumbers.parse(number, region))
        except phonenumbers.NumberParseException:
            continue
        if reason == _POSSIBLE or (in_context and reason == _POSSIBLE_LOCAL):
            return True
    return False


# How many numbers of one message phonenumbers judges: hostile input with hundreds of different
# numbers is judged by shape alone past this many (the first ones already fill MAX_CONTACTS).
_MAX_PHONE_CHECKS = 24


# --- Exact pre-checks ---------------------------------------------------------------------------
# Most messages on the slow path hold no contact detail, and every pattern family needs something
# cheap to rule out: '@', enough digits, a name of a channel or mail provider. Each pre-check is
# exact: when it says no, the pass it skips would have found nothing. The stdlib `re` is used
# only where it means the same as `regex` (ASCII classes, or a test that only needs to be wider).

# The symbols leetspeak puts inside names ("p@ypal", "$kype", "sk!pe", "+elegram").
_SYMBOLS = "@$!+"
_RUN_CHARS = frozenset(string.ascii_letters + string.digits + "_" + _SYMBOLS)
# Runs of ASCII word characters and those symbols, found in the UTF-8 bytes of the text (every
# other byte becomes a space, so `split` finds them). A name the patterns accept begins where
# `\b` holds: at the start of a run, at a symbol inside one or just after it.
_RUN_BYTES = bytes(byte if chr(byte) in _RUN_CHARS else ord(" ") for byte in range(256))
_SYMBOL_CODES = frozenset(_SYMBOLS.encode())
_SYMBOLS_TO_SPACE = bytes.maketrans(_SYMBOLS.encode(), b" " * len(_SYMBOLS))
_DIGIT_BYTES = string.digits.encode()


def _piece_options(piece: str) -> tuple[str | None, ...]:
    """What one piece of a name pattern can put in a run; None: the run ends there."""
    if piece == r"[\s._-]?":
        return ("", "_", None)
    if piece == r"\s*":
        return ("", None)
    if piece == r"\s+":
        return (None,)
    if piece == ".":
        return (*sorted(_RUN_CHARS), None)
    if piece.startswith("[") and piece.endswith("]") and "\\" not in piece and "-" not in piece:
        chars = piece[1:-1]  # a leetspeak class: "[a4@]"
    elif len(piece) == 1 and piece not in "\\()[]{}|*+?^$":
        chars = piece
    else:  # the name lists changed shape: teach this function the new piece
        raise ValueError(f"the contact pre-checks cannot read the name piece {piece!r}")
    return tuple(char if char in _RUN_CHARS else None for char in chars)


def _run_forms(names: list[list[str]]) -> tuple[frozenset[bytes], dict[bytes, set[str]]]:
    """Every string a run can hold from where one of ``names`` (lists of regex pieces) begins: the
    whole name, or the part of it before a character that ends a run ("whats" of "whats app").
    Returns (the whole names, {a first part: the regex sources of the rest of its names})."""
    whole: set[str] = set()
    first_parts: dict[str, set[str]] = {}
    for pieces in names:
        forms = {""}
        for index, piece in enumerate(pieces):
            grown = set()
            for form in forms:
                for option in _piece_options(piece):
                    if option is None:
                        first_parts.setdefault(form, set()).add("".join(pieces[index:]))
                    else:
                        grown.add(form + option)
            forms = grown
        whole |= forms
    first_parts.pop("", None)
    return frozenset(form.encode() for form in whole), {
        form.encode(): rest for form, rest in first_parts.items()
    }


def _name_pieces(words: list[str]) -> list[list[str]]:
    """The regex pieces of each name in ASCII (the others are found by _NON_ASCII_CHANNELS)."""
    return [[leet(char) for char in word] for word in words if word.isascii()]


@dataclass(frozen=True, slots=True)
class _Names:
    forms: frozenset[bytes]  # what a run holds where one of the names begins
    parts: frozenset[bytes]  # the pieces between symbols of those forms ("p@yp@l": "p", "yp", "l")
    rest: dict[bytes, set[str]]  # forms that begin a name going on past the run: the rest of it
    also_whole: frozenset[bytes]  # those of them that are a whole name as well ("telegram")

    @classmethod
    def of(cls, names: list[list[str]]) -> _Names:
        whole, rest = _run_forms(names)
        forms = whole.union(rest)
        parts = frozenset(part for form in forms for part in form.translate(_SYMBOLS_TO_SPACE).split())
        return cls(forms, parts, rest, whole & rest.keys())

    def is_whole(self, form: bytes) -> bool:
        return form not in self.rest or form in self.also_whole


_CHANNELS = _Names.of(
    _name_pieces(_CHANNEL_WORDS)
    + [regex.findall(r"\\s[*+]|.", extra) for extra in _EXTRA_CHANNELS.split("|")]
)
if not all(name.isascii() for name in _PROVIDER_NAMES):
    raise ValueError("the contact pre-checks expect mail providers' names in ASCII")
_PROVIDERS = _Names.of(_name_pieces(_PROVIDER_NAMES))
# After a run that is a whole channel name, the handle follows at once; after one that only begins
# a name ("telegram" of "telegram id"), the rest of the name and then the handle.
_CHANNEL_GOES_ON: dict[bytes, regex.Pattern[str]] = {
    form: regex.compile(rf"(?:{'|'.join(sorted(rest))})\b{_AFTER_CHANNEL}", _FLAGS)
    for form, rest in _CHANNELS.rest.items()
}
# The same for mail providers; the rest alone, as a wider test than the pattern's.
_PROVIDER_GOES_ON: dict[bytes, regex.Pattern[str]] = {
    form: regex.compile("|".join(sorted(rest)), _FLAGS) for form, rest in _PROVIDERS.rest.items()
}
# Names in other scripts never sit in a run; a plain substring test finds them.
_NON_ASCII_CHANNELS = tuple(word for word in _CHANNEL_WORDS if not word.isascii())
if any(char.isascii() for word in _NON_ASCII_CHANNELS for char in word):
    raise ValueError("the contact pre-checks expect channel names wholly in ASCII or wholly not")
_NON_ASCII_CHANNEL_BYTES = tuple(word.encode() for word in _NON_ASCII_CHANNELS)
_LONGEST_FORM = max(map(len, _CHANNELS.forms | _PROVIDERS.forms))
# A longer run with symbols (hostile input) is left to the whole pattern, as if no pre-check existed.
_LONG_RUN = 64
_DIGIT_WORDS = frozenset(word.encode() for word in DIGIT_WORD_VALUES)


def _offsets_in_symbol_run(run: bytes, forms: frozenset[bytes]) -> list[int]:
    """Where in a run with symbols one of ``forms`` can begin. A name starts at the run's start,
    at a symbol or just after one, and (followed by a `\\b`) ends at the run's end or beside a symbol."""
    cuts = [i for i, byte in enumerate(run) if byte in _SYMBOL_CODES]
    bounds = sorted({0, len(run), *cuts, *(i + 1 for i in cuts)})
    offsets = []
    for index, start in enumerate(bounds):
        for end in bounds[index + 1 :]:
            if end - start > _LONGEST_FORM:
                break
            if run[start:end] in forms:
                offsets.append(start)
                break
    return offsets


def _targets(
    runs: list[bytes], odd_runs: list[tuple[bytes, list[bytes]]], names: _Names
) -> dict[bytes, list[int]] | None:
    """The runs where one of ``names`` may begin, each with the offsets inside it. ``odd_runs``:
    the runs that are not only letters and digits, each with its pieces between symbols. None when
    such a run is too long to take apart: the caller then runs the whole pattern."""
    targets = {}
    if not names.forms.isdisjoint(runs):
        targets = {run: [0] for run in names.forms.intersection(runs) if run.isalnum()}
    for run, pieces in odd_runs:
        if len(run) > _LONG_RUN:
            return None
        # A form inside a run with symbols is made of whole pieces of it, at least one not empty.
        if not names.parts.isdisjoint(pieces):
            offsets = _offsets_in_symbol_run(run, names.forms)
            if offsets:
                targets[run] = offsets
    return targets


def _starts(text: str, targets: dict[bytes, list[int]]) -> list[tuple[int, int, bytes]] | None:
    """Every position in ``text`` where one of the target runs may hold a name, in order, with the
    run's end when the name begins the run and the run is only letters and digits (else -1).
    None beyond _MANY_NAMES of them (hostile input): one plain scan is then cheaper."""
    starts: set[tuple[int, int, bytes]] = set()
    for run, offsets in targets.items():
        word = run.decode()
        plain = offsets == [0] and run.isalnum()
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or text[at - 1] not in _RUN_CHARS) and (
                end == len(text) or text[end] not in _RUN_CHARS
            ):
                starts.update((at + offset, end if plain else -1, run) for offset in offsets)
                if len(starts) > _MANY_NAMES:
                    return None
            at = text.find(word, at + 1)
    return sorted(starts)


def _handle_matches(text: str, starts: list[tuple[int, int, bytes]]) -> Iterator[regex.Match[str]]:
    """``HANDLE.finditer(text)`` when every match begins at one of ``starts`` (see _starts)."""
    end = 0
    for start, run_end, run in starts:
        if start < end:
            continue
        if run_end >= 0:
            # The name is the run, or begins it: what must follow the run is known.
            goes_on = _CHANNEL_GOES_ON.get(run)
            if not (
                (_CHANNELS.is_whole(run) and _HANDLE_TAIL.match(text, run_end))
                or (goes_on and goes_on.match(text, run_end))
            ):
                continue
        match = HANDLE.match(text, start)
        if match:
            end = match.end()
            yield match


def _runs(text: str, data: bytes) -> tuple[list[bytes], list[tuple[bytes, list[bytes]]]]:
    """The runs of ``text`` (``data``: its UTF-8 bytes), and those that are not only letters and
    digits (each once), with their pieces between symbols (the empty ones left out)."""
    runs = data.translate(_RUN_BYTES).split()
    if "@" in text or "$" in text or "!" in text or "+" in text or "_" in text:
        odd = filterfalse(bytes.isalnum, dict.fromkeys(runs))
        return runs, [(run, run.translate(_SYMBOLS_TO_SPACE).split()) for run in odd]
    return runs, []


def _names_channel_in_other_script(foreign: bytes) -> bool:
    """Whether a channel is named in another script ("微信", "카톡"): such a name stays whole in
    ``foreign`` (see _foreign)."""
    return bool(foreign) and any(name in foreign for name in _NON_ASCII_CHANNEL_BYTES)


def _channel_handles(
    text: str, runs: list[bytes], odd_runs: list[tuple[bytes, list[bytes]]], other_script_name: bool
) -> Iterator[regex.Match[str]] | None:
    """``HANDLE.finditer(text)``, trying the pattern only where a channel's name may begin; None
    when the whole pattern must run (``other_script_name``: a channel named in another script;
    hostile input: long runs of symbols, many names)."""
    channels = _targets(runs, odd_runs, _CHANNELS)
    if channels is None or other_script_name:
        return None
    starts = _starts(text, channels) if channels else []
    return None if starts is None else _handle_matches(text, starts)


# What a handle before a provider's name can hold ("sam.design gmail").
_HANDLE_CHARS = string.ascii_lowercase + string.digits + "._-"


def _handle_start(text: str, name_start: int) -> int:
    """Where a PROVIDER_HANDLE match using the provider's name at ``name_start`` can start at the
    earliest: at the name, or at a handle before it and a space, '@', "at" or "on" ("sam.k at gmail")."""
    head = text[:name_start].rstrip()
    if head.endswith("@"):
        head = head[:-1].rstrip()
    elif head.endswith(("at", "on")):
        head = head[:-2].rstrip()
    return len(head.rstrip(_HANDLE_CHARS))


def _provider_starts(text: str, providers: dict[bytes, list[int]] | None) -> list[int] | None:
    """Where a provider's name may begin (``providers``: see _targets), in order; a run that only
    begins a name ("g" of "g mail") counts when the rest of the name follows it. None: anywhere."""
    starts = None if providers is None else _starts(text, providers)
    if starts is None:
        return None
    return [
        start
        for start, run_end, run in starts
        if run_end < 0 or _PROVIDERS.is_whole(run) or _PROVIDER_GOES_ON[run].match(text, run_end)
    ]


def _provider_matches(text: str, name_starts: list[int] | None) -> Iterator[regex.Match[str]]:
    """``PROVIDER_HANDLE.finditer(text)``, each search begun where the next match can start at the
    earliest (``name_starts``: see _provider_starts; None: search everywhere)."""
    if name_starts is None:
        yield from PROVIDER_HANDLE.finditer(text)
        return
    # The next match lies after the last one and holds a provider's name: the earliest start of a
    # match holding the name at name_starts[i] or a later one.
    earliest = [_handle_start(text, start) for start in name_starts]
    for index in range(len(earliest) - 2, -1, -1):
        earliest[index] = min(earliest[index], earliest[index + 1])
    end = index = 0
    while True:
        while index < len(name_starts) and name_starts[index] < end:
            index += 1
        if index == len(name_starts):
            return
        match = PROVIDER_HANDLE.search(text, max(end, earliest[index]))
        if match is None:
            return
        yield match
        end = match.end()


def _link_matches(text: str) -> Iterator[regex.Match[str]]:
    """``LINK.finditer(text)``, each search begun where the next link can start at the earliest: at
    the run of link characters (scheme, "www.", labels) leading to the next dot-TLD."""
    end = 0
    while True:
        dot_tld = _DOT_TLD.search(text, end)
        if dot_tld is None:
            return
        low = max(end, dot_tld.start() - _LINK_HEAD)
        match = LINK.search(text, low + len(text[low : dot_tld.start()].rstrip(_BEFORE_TLD)))
        if match is None:
            return
        yield match
        end = match.end()


# A link needs a dot and a top-level domain not followed by a word character.
_DOT_TLD = re.compile(rf"\.{_TLD}(?![A-Za-z0-9_])")
# Everything a link can hold before its top-level domain: scheme, "www.", domain labels; at most
# "https://" (8), "www." (4), a label (63) and four dotted ones (4 x 64).
_BEFORE_TLD = string.ascii_lowercase + string.digits + ".-:/"
_LINK_HEAD = 8 + 4 + 63 + 4 * 64
# Beyond this many names of channels or providers (hostile input), one plain scan is cheaper.
_MANY_NAMES = 32


# Bytes that turn UTF-8 text into its shape for the digit pre-checks below.
_ASCII_BYTES = bytes(range(128))
_LETTER_DIGIT_SHAPE = bytes(
    ord("a") if chr(byte) in string.ascii_lowercase else ord("0") if chr(byte) in string.digits else ord(" ")
    for byte in range(256)
)
_WORD_SHAPE = bytes(
    ord("a") if chr(byte) in string.ascii_lowercase + string.digits else ord(" ") for byte in range(256)
)
_DIGIT_SHAPE = bytes(ord("0") if chr(byte) in string.digits else ord("x") for byte in range(256))
# What a PHONE match holds besides digits: '+', brackets and the separators between digit groups.
_PHONE_JOINERS = b"+() \t\n./-"
# ... and the joiners outside ASCII: Unicode hyphens and dashes, the minus sign, the middle dot.
_WIDE_JOINERS = tuple(char.encode() for char in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212·")


def _foreign(data: bytes) -> bytes:
    """The non-ASCII characters of the UTF-8 ``data`` (few, in most text), each left whole."""
    return data.translate(None, _ASCII_BYTES)


def _other_digit_count(foreign: bytes) -> int:
    """How many digits of other scripts (`\\d` beyond 0-9) there are (``foreign``: see _foreign)."""
    return len(_ANY_DIGIT.findall(foreign.decode("utf-8", "surrogatepass")))


def _may_hold_iban(data: bytes) -> bool:
    """False when IBAN cannot match text whose only digits are 0-9: it begins `[a-z]{2}\\d{2}`."""
    return b"aa00" in data.translate(_LETTER_DIGIT_SHAPE)


def _may_hold_wallet(data: bytes) -> bool:
    """False when WALLET cannot match: each of its forms is 26 or more of [a-z0-9] in a row."""
    return b"a" * 26 in data.translate(_WORD_SHAPE)


def _may_hold_phone(data: bytes) -> bool:
    """False when no PHONE match can hold seven digits (what _looks_like_phone needs) in text
    whose only digits are 0-9: a match is digits and joiners, so without the joiners its
    digits stand in one row."""
    if not data.isascii():
        for joiner in _WIDE_JOINERS:
            data = data.replace(joiner, b"")
    return b"0000000" in data.translate(_DIGIT_SHAPE, _PHONE_JOINERS)


# The digit words _spelled_digit_count counts (SPELLED_DIGITS accepts "o" too).
_SPELLED_WORDS = frozenset(word.encode() for word in _WORD_VALUE)


def _may_spell_two_words(runs: list[bytes], odd_runs: list[tuple[bytes, list[bytes]]]) -> bool:
    """False when no SPELLED_DIGITS match can hold the two digit words a finding needs. Each word
    in a match is a whole run or piece; the runs are counted with repeats, and a repeated run with
    symbols can only hold the first word of a match (after a symbol) and the last (before one),
    which are then two of its pieces. After "double" any word may follow, so it counts as two."""
    words = sum(map(_SPELLED_WORDS.__contains__, runs))
    for _run, pieces in odd_runs:
        words += sum(map(_SPELLED_WORDS.__contains__, pieces))
    return words >= 2 or b"double" in runs or any(b"double" in pieces for _run, pieces in odd_runs)


def _may_say_im(text: str, runs: list[bytes], odd_runs: list[tuple[bytes, list[bytes]]]) -> bool:
    """False when SELF_HANDLE cannot match: it begins with "i'm", or with "im" standing alone
    (one of the runs, or a piece of one after a symbol)."""
    if "i'm" in text:
        return True
    return "im" in text and (b"im" in runs or any(b"im" in pieces for _run, pieces in odd_runs))


class _Full(Exception):
    """MAX_CONTACTS details are found: nothing later can be added."""


def find_contacts(view: Normalized, own_domains: tuple[str, ...] = (), original: str = "") -> list[Contact]:
    """Every contact detail in the (de-obfuscated) view of ``original`` (the text as written, when
    the caller has it: it tells "done.Thanks" from a domain)."""
    found: list[Contact] = []

    def new_sentence(dot: int) -> bool:
        """True when the view's '.' at ``dot`` was written between a small letter and a capital."""
        if not original or dot == 0 or dot + 1 >= len(view.text):
            return False
        before, after = view.origin[dot - 1], view.origin[dot + 1]
        return original[before].islower() and original[after].isupper()

    try:
        _find(view.text, own_domains, found, new_sentence)
    except _Full:
        return (
            found  # enough to judge any message; the cap keeps hostile input (thousands of addresses) linear
        )
    return found


def _find(
    text: str, own_domains: tuple[str, ...], found: list[Contact], new_sentence: Callable[[int], bool]
) -> None:
    taken: list[tuple[int, int]] = []

    def add(kind: str, span: tuple[int, int], value: str, rule_id: str) -> None:
        start, end = span
        if any(start < t_end and end > t_start for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(Contact(kind, start, end, value, rule_id))
        if len(found) >= MAX_CONTACTS:
            raise _Full

    has_at = "@" in text
    if has_at:
        for match in EMAIL.finditer(text):
            address = _address(match.group())
            mailbox, _, domain = address.partition("@")
            if (
                address
                and not _reserved(domain)
                and mailbox not in _PLACEHOLDER_MAILBOXES
                and not _SSH_REMOTE.match(text, match.start() + len(address))
            ):
                add("email", (match.start(), match.start() + len(address)), address, "contact.email")
        for match in REVERSED_EMAIL.finditer(text):
            flipped = match.group()[::-1]
            if EMAIL.fullmatch(flipped) and _address(flipped) == flipped:
                add("email", match.span(), flipped, "contact.email-reversed")

    data = text.encode("utf-8", "surrogatepass")
    foreign = b"" if text.isascii() else _foreign(data)
    runs, odd_runs = _runs(text, data)
    providers = _targets(runs, odd_runs, _PROVIDERS)
    name_starts = _provider_starts(text, providers) if providers is None or providers else []
    if (name_starts is None or name_starts) and any(hint in text for hint in _PROVIDER_HINTS):
        for match in _provider_matches(text, name_starts):
            add(
                "email",
                match.span(),
                f"{match.group('handle')}@{match.group().split()[-1]}",
                "contact.email-provider",
            )
    ascii_digits = len(data) - len(data.translate(None, _DIGIT_BYTES))
    other_digits = _other_digit_count(foreign) if foreign else 0
    digit_count = ascii_digits + other_digits
    # An IBAN finding has at least ten digits; a wallet is one run of 26 or more characters.
    if digit_count >= 10 and (other_digits or _may_hold_iban(data)):
        for match in IBAN.finditer(text):
            if sum(c.isdigit() for c in match.group()) >= 10 and match.group()[:2].upper() in IBAN_COUNTRIES:
                add("payment", match.span(), match.group(), "contact.iban")
    if digit_count and _may_hold_wallet(data):
        for match in WALLET.finditer(text):
            if any(c.isdigit() for c in match.group()) and any(c.isalpha() for c in match.group()):
                add("payment", match.span(), match.group(), "contact.crypto-wallet")
    if has_at and "upi" in text:
        for match in UPI_ID.finditer(text):
            add("payment", match.span("handle"), match.group("handle"), "contact.upi-id")
    if digit_count >= 6 and ("sort" in text or "acc" in text or "a/c" in text):
        for match in BANK_DETAILS.finditer(text):
            add("payment", match.span(), match.group(), "contact.bank-details")
    if "." in text:
        for match in _link_matches(text):
            if "@" in text[max(0, match.start() - 1) : match.start()]:
                continue  # the domain part of an e-mail already found
            domain = match.group("domain")
            keep = _registrable(domain)
            if not keep and match.group("path") and _INVENTED_DOMAIN.fullmatch(domain):
                keep = len(domain)  # "agency-ohm.example/talent/ruth": a made-up site, with a page
            if not keep:
                continue
            end, path = match.end(), match.group("path")
            if keep < len(domain):  # "acme.club.thanks": the link ends at the known ending
                domain, end, path = domain[:keep], match.start("domain") + keep, None
            if domain.endswith(own_domains) and own_domains:
                continue
            dot = match.start("domain") + domain.rfind(".")
            bare = not path and not match.group().startswith(("http", "www"))
            if bare and (domain[domain.rfind(".") + 1 :] in _FILE_EXTENSIONS or new_sentence(dot)):
                continue
            if _reserved(domain) and not path:
                continue
            kind = _link_kind(domain)
            add(kind, (match.start(), end), text[match.start() : end], f"contact.link-{kind}")
    # A phone number has seven digits or more.
    if digit_count >= 7 and (other_digits or _may_hold_phone(data)):
        checks = 0
        for match in PHONE.finditer(text):
            raw = match.group()
            shaped, in_context = _looks_like_phone(text, match.start(), match.end(), raw)
            if not shaped:
                continue
            checks += 1
            if checks <= _MAX_PHONE_CHECKS and not _dialable(raw, in_context):
                continue
            add("phone", match.span(), raw, "contact.phone")
    # A digit word stands alone between `\b`s: it is a whole run, or a piece of one between symbols.
    # So is every item of a spelled number (six at least), unless digits of other scripts are about.
    if (
        (
            not _DIGIT_WORDS.isdisjoint(runs)
            or any(not _DIGIT_WORDS.isdisjoint(pieces) for _run, pieces in odd_runs)
        )
        and _may_spell_two_words(runs, odd_runs)
        and (
            digit_count > ascii_digits
            or _spelled_items(runs) + sum(_spelled_items(pieces) for _run, pieces in odd_runs) >= 6
        )
        and _WORD_DIGIT.search(text)
    ):
        for match in SPELLED_DIGITS.finditer(text):
            digits, words = _spelled_digit_count(match.group())
            if words >= 2 and 7 <= digits <= 15:
                add("phone", match.span(), match.group(), "contact.phone-spelled")
    for match in SKYPE_LIVE.finditer(text) if "live:" in text else ():
        add("handle", match.span(), match.group(), "contact.skype-id")
    if digit_count and "id" in text and ("zoom" in text or "meet" in text or "teams" in text):
        for match in MEETING_ID.finditer(text):
            add("meeting", match.span(), match.group(), "contact.meeting-id")
    # The handle patterns count only when a channel word, or a word mixing letters and digits, is
    # present (the hint); it is worked out once a handle has been found.
    hint: list[bool] = []
    other_script_name = _names_channel_in_other_script(foreign)

    def handle_hint() -> bool:
        if not hint:
            hint.append(
                not _HANDLE_WORDS.isdisjoint(_words(data))
                or MIXED_TOKENS.search(text) is not None
                or other_script_name
            )
        return hint[0]

    handles = _channel_handles(text, runs, odd_runs, other_script_name)
    if handles is None:
        handles = HANDLE.finditer(text) if handle_hint() else iter(())
    for match in handles:
        handle = match.group("handle")
        # "discord: lumenforge", "behance, username is clayandcobalt": a handle by its label
        sep = match.group("sep") or ""
        labelled = ":" in sep or "=" in sep or match.group("label") in _NAME_LABELS
        if _plausible_handle(handle, labelled=labelled) and handle_hint():
            add("handle", (match.start("handle"), match.end()), handle, "contact.messenger-handle")
    for match in SELF_HANDLE.finditer(text) if _may_say_im(text, runs, odd_runs) else ():
        if _SELF_HANDLE_MARK.search(match.group("handle")) and handle_hint():
            add("handle", match.span("handle"), match.group("handle"), "contact.messenger-handle")
    for match in CHANNEL_AS_HANDLE.finditer(text) if " as " in text or " under " in text else ():
        if _SELF_HANDLE_MARK.search(match.group("handle")):
            add("handle", match.span("handle"), match.group("handle"), "contact.messenger-handle")
    for match in HANDLE_ON.finditer(text) if has_at else ():
        add("handle", match.span("handle"), match.group("handle"), "contact.messenger-handle")
    for match in REACH_ME_HANDLE.finditer(text) if has_at and " me" in text else ():
        if _HANDLE_MARK.search(match.group("handle")):
            add("handle", match.span("handle"), match.group("handle"), "contact.messenger-handle")


_NAME_LABELS = frozenset({"username", "user name", "handle", "id"})
_SELF_HANDLE_MARK = regex.compile(r"[@._\d]")

# In a draft to a client, an "@name" shaped like a handle ("_", "." or a digit inside) or a
# Reddit "u/name" is where to reach the writer, whatever the channel is called or in whichever
# language it is named ("mi usuario es @dani_motion", "тг: @kira_ua"). In server chat an @name
# is usually someone in the conversation, so only drafts use this.
BARE_HANDLE = regex.compile(
    r"(?<![\w@./:])(?P<handle>@[a-z][a-z0-9]*[._](?:[a-z0-9._]*[a-z0-9_])?|@[a-z]+\d[a-z0-9_.]*)(?![\w@]|\.[a-z])"
    r"|(?<![\w/])(?P<handle>u/[a-z0-9_-]{3,20})\b",
    _FLAGS,
)


# A draft that shows code: "@app.route(...)" and "@login_required" are decorators there.
_CODE_HINT = regex.compile(r"[`{}=]|\w\(|\(\s*[\"']|\b(?:def|import|decorator|annotation|css|scss)\b", _FLAGS)


_NAMED_AT_NAME = regex.compile(r"(?<![\w@./:])@[a-z][a-z0-9_]{2,30}(?![\w@.])", _FLAGS)
_CHANNEL_BEFORE = regex.compile(rf"\b(?:{_MESSENGERS}|{_EXTRA_CHANNELS})\b[^\n@]*$", _FLAGS)


def _network_named_before(text: str, start: int) -> bool:
    return _CHANNEL_BEFORE.search(text, max(0, start - 60), start) is not None


def find_bare_handles(text: str) -> list[Contact]:
    """Handles standing alone in a draft's normalised ``text``, each span once."""
    if ("@" not in text and "u/" not in text) or _CODE_HINT.search(text):
        return []
    found = [
        Contact(
            "handle", match.start("handle"), match.end("handle"), match.group("handle"), "contact.bare-handle"
        )
        for match in BARE_HANDLE.finditer(text)
        # "@gmail.com" is a domain, no handle; "IG: @the.cobalt.kitchen" names its network first.
        if not _registrable(match.group("handle").lstrip("@")) or _network_named_before(text, match.start())
    ]
    # "ig/tiktok/yt: all @HanaHandLetters": any @name counts once a network is named before it
    for match in _NAMED_AT_NAME.finditer(text):
        handle = Contact("handle", match.start(), match.end(), match.group(), "contact.bare-handle")
        if not handle.overlaps(found) and _network_named_before(text, match.start()):
            found.append(handle)
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
_HANDLE_WORDS = frozenset(
    word.encode()
    for phrase in [*MESSENGER_WORDS, *SOCIAL_WORDS, *PAYMENT_WORDS]
    for word in regex.findall(r"[a-z0-9]+", phrase)[:1]
) | frozenset(
    b"x snap line discord tg tele insta ig fb wa cash venmo zelle wise skype telegram wechat".split()
)
# Every byte but [a-z0-9] as a space: splitting then gives the words `[a-z0-9]+` finds.
_WORD_BYTES = bytes(
    byte if chr(byte) in string.ascii_lowercase + string.digits else ord(" ") for byte in range(256)
)


def _words(data: bytes) -> list[bytes]:
    """The runs of [a-z0-9] in the UTF-8 ``data`` (every other byte belongs to another character)."""
    return data.translate(_WORD_BYTES).split()


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


_HANDLE_MARK = regex.compile(r"[\d_.:#]")


def _plausible_handle(handle: str, *, labelled: bool = False) -> bool:
    bare = handle.lstrip("@$").lower()
    if bare in _COMMON_WORDS or len(bare) < 3:
        return False
    if handle[0] in "@$" or labelled:  # "discord: lumenforge" is a handle by its label
        return True
    # A bare word after "telegram:" must look like a handle: digits, _, ., : or #.
    return _HANDLE_MARK.search(bare) is not None
