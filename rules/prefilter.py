"""A cheap first look that clears ordinary chat before any real work.

``looks_clean`` answers True only when a message holds nothing the later stages could act on:
none of the listed words (channels, payment services, marketplace and business words, rule
words, the platforms' names from the packs), no "@", no phone-shaped digits, no disguise.
Everything it does runs in C (bytes and set operations, and a few stdlib ``re`` searches that
one-byte tests guard), so ordinary chat costs a few microseconds. Advice often names no
channel at all ("the marketplace is just the front door, own your billing"), so the lists are
deliberately wide: the lexical model behind this stage clears the rest cheaply. A test checks
on the corpus that this stage lets through every line labelled ``encourages`` or ``asks``
except the few it names.

A few words count only together: a subject and a detection verb and a negator ("the bot
doesn't catch it"), a colour and a noun ("the green app"), four different spelled digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rules.lexicon import CHANNEL_PHRASES, DIGIT_WORD_VALUES
from rules.normalize import DISGUISE

# Always worth a closer look: channels, payment services, evasion vocabulary.
STRONG_WORDS: frozenset[str] = frozenset(
    """
    aol backwards behance bitcoin btc calendly cashapp crypto cyrillic direct directly discount
    dribbble dropbox easypaisa elsewhere email emailed emailing emails ethereum facebook fb filter
    forbidden gcash gmail gmx homoglyph hotmail iban icloud ig imo insta instagram invisible
    jazzcash kakaotalk kik leet leetspeak linkedin linktr linktree mail mailed messenger mpesa nahi
    offsite outlook outside payoneer paypal paytm pesa pinterest proton protonmail qr readme
    reversed revolut scanned screenshot skrill skype snapchat socials spell spelled tele telegram
    telegramm tg tos threema tiktok transferwise trick tricks twitter upi usdt venmo viber wa walang
    wapp watermark watsapp wechat wetransfer whatapp whats whatsap whatsapp wickr wise wisetag yahoo
    yandex youtube zalo zelle zoho flagged spaced undetected dot arroba punto
    """.split()
)
# Everyday words that can name a channel, but matter only next to marketplace context.
WEAK_WORDS: frozenset[str] = frozenset(
    """
    bank blue call calling cash cell contact contacts deposit detail details dial digits discord dm
    dms domain drive fee fees form green id info invoice invoices invoicing line link links meet num
    number numbers off phone plane platform profile ring signal site slack sms snap text threads
    transfer union url username wallet website websites western wire zoom
    """.split()
)
# Words of a rules question ("is it allowed?", "what is the penalty?").
QUESTION_WORDS: frozenset[str] = frozenset(
    """
    allow allowed banned considered counts forbidden ok okay penalty permissible permitted rule rules
    violation
    """.split()
)
# "The filter doesn't catch it": a subject and a detection verb together.
FILTER_SUBJECTS: frozenset[str] = frozenset("filter bot bots system algorithm ai it".split())
DETECTION_VERBS: frozenset[str] = frozenset(
    """
    catch catches catching caught flag flags flagged scan scans scanned detect detects detected see sees
    read reads match matches know knows transcribe transcribes check checks checked notice notices
    pick fires triggers blocks filtered monitored through past understand understands smart clue
    """.split()
)
# "It doesn't catch it", "the filter only reads text", "gets through": a filter claim needs one.
NEGATORS: frozenset[str] = frozenset(
    """
    not never doesn doesnt don dont can cant cannot won wont isn isnt aren only through past skips lets
    """.split()
)
# Marketplace context.
COMPANIONS: frozenset[str] = frozenset(
    """
    10 20 app award awarded bid bids buyer buyers client clients connects contract contracts customer
    customers deliver delivered delivery employer employers fee fees freelancer gig gigs inbox job jobs
    milestone milestones order orders platform proposal proposals review reviews them
    """.split()
)
# Business and rule words: advice with no channel word ("own your billing", "these are just
# warnings", "the rule is only about first contact") is made of these.
CONTEXT_WORDS: frozenset[str] = frozenset(
    """
    account accounts agency appeal ban billing business card circumvention clause commission company
    contractor contractors cut direct directly enforced follow freelancers hire hired hiring interview
    invoice legal level
    marketplace marketplaces pipeline platforms policy reach regulars repeat restricted restriction
    rule rules seller sellers sue suspended suspension terms trust warned warning warnings
    cliente clientes pago plataforma plataformas transferencia
    """.split()
)
# Spelled-out digits: four or more different ones suggest a phone number written in words.
DIGIT_WORDS: frozenset[str] = frozenset(DIGIT_WORD_VALUES)


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
# Seven or more digits in a row, allowing the separators of a written phone number.
_PHONE_SHAPE = re.compile(rb"0(?:[ .]{0,2}0){6}")
_DISCORD_TOKEN = re.compile(rb"<(?:@[!&]?|#|a?:\w{1,32}:|t:)\d+(?::\w)?>")
# Links to ordinary pages say nothing about contact; links to messengers, payment pages,
# booking pages and link-in-bio sites do, and stay.
_URL = re.compile(rb"https?://\S+|www\.\S+")
_CONTACT_LINK = re.compile(
    rb"wa\.me|t\.me|telegram|paypal|calendly|linktr|wise\.com|venmo|cash\.app|m\.me|discord\.gg|zoom\.us|"
    rb"meet\.google|instagram|facebook|linkedin|tiktok|behance|dribbble|skype|whatsapp|signal|viber|payoneer"
)
_FENCED_CODE = re.compile(rb"```.*?```", re.S)
_DELEET = bytes.maketrans(b"43051798", b"aeositgb")


def platform_words(aliases: Iterable[str]) -> frozenset[bytes]:
    """The words of the packs' platform names and aliases, as ``looks_clean`` compares them."""
    return frozenset(
        word.encode()
        for alias in aliases
        for word in alias.lower().translate(_ALIAS_WORDS).split()
        if word.isascii()
    )


_ALIAS_WORDS = str.maketrans({char: " " for char in ".-_/"})
# Censored or starred-out words: "w***sapp", "■■■■■".
_CENSORED = re.compile(rb"[a-z]\*+[a-z]|[a-z]\*{2,}|\*{3,}|\xe2\x96\xa0", re.I)


def looks_clean(text: str, platforms: frozenset[bytes] = frozenset()) -> bool:
    """True when the message certainly needs no further look; ``platforms``: ``platform_words``."""
    # Look-alike letters, zero-width characters or a channel name in another script.
    # Both searches can only match at or after the first character either starts with.
    if not text.isascii() and (suspect := _SUSPECT.search(text)) and _suspicious_from(text, suspect.start()):
        return False
    raw = text.encode("utf-8", "replace")
    if b"<" in raw:  # mention and emoji ids are not phone numbers
        raw = _DISCORD_TOKEN.sub(b" ", raw)
    # One-byte tests (memchr) guard the longer ones, which scan the whole message each.
    if (b":" in raw and b"://" in raw) or b"www." in raw:
        raw = _URL.sub(lambda m: m.group() if _CONTACT_LINK.search(m.group().lower()) else b" ", raw)
    lowered = raw.translate(_WORDS)
    # Only the words of the lists below matter, so keep just those (usually none, or one or two).
    split = lowered.split()
    if platforms and not platforms.isdisjoint(split):
        return False
    words = _LISTED.intersection(split)
    shape = raw.translate(_SHAPE)
    if b"0" in shape and (b"a0" in shape or b"0a" in shape):  # leetspeak: "wh4ts4pp" is "whatsapp"
        words = words | _LISTED.intersection(lowered.translate(_DELEET).split())
    if words and not _clean_words(words):
        return False
    if (b"*" in raw or b"\xe2\x96\xa0" in raw) and _CENSORED.search(raw):
        return False
    if b"`" in raw and b"```" in raw:  # symbols in code blocks ("@media", "$f") are code, not contacts
        shape = _FENCED_CODE.sub(b" ", raw).translate(_SHAPE)
    if b"@" in shape:
        return False
    if shape.count(b"0") >= 7 and _PHONE_SHAPE.search(shape):
        return False
    # Shapes of a disguise: a $cashtag, dotted letters or a domain ("t.me", "site.com"), spaced
    # single letters ("w h a t s").
    if b"$" in shape and b"$a" in shape:
        return False
    if b"." in shape and (b"a.a.a.a" in shape or b"a.aa" in shape):
        return False
    return b" a a a a " not in b" " + shape + b" "


def _suspicious_from(text: str, start: int) -> bool:
    return bool(DISGUISE.search(text, start) or _NON_LATIN_CHANNEL.search(text, start))


def _clean_words(words: frozenset[bytes]) -> bool:
    """Whether the listed words a message holds leave it clean (see the lists above)."""
    if not _ALONE.isdisjoint(words):
        return False
    if not (_EUPHEMISM_COLOURS.isdisjoint(words) or _EUPHEMISM_NOUNS.isdisjoint(words)):
        return False  # "the green app", "the blue S"
    if not (_SUBJECTS.isdisjoint(words) or _DETECTION.isdisjoint(words) or _NEGATORS.isdisjoint(words)):
        return False
    return len(_DIGIT_WORDS.intersection(words)) < 4


# Every single-word channel name the detector knows (misspellings included) is strong too.
_LEXICON_WORDS = [phrase.lower() for phrase in CHANNEL_PHRASES if " " not in phrase and "-" not in phrase]
_STRONG = frozenset(w.encode() for w in STRONG_WORDS) | frozenset(
    w.encode() for w in _LEXICON_WORDS if w.isascii()
)
# Channel names in other scripts ("واتساب", "телеграм") are looked for as substrings.
_NON_LATIN_CHANNELS = tuple(w for w in _LEXICON_WORDS if not w.isascii())
_WEAK = frozenset(w.encode() for w in WEAK_WORDS)
_COMPANIONS = frozenset(w.encode() for w in COMPANIONS)
_DIGIT_WORDS = frozenset(w.encode() for w in DIGIT_WORDS)
_CONTEXT = frozenset(w.encode() for w in CONTEXT_WORDS)
_QUESTION = frozenset(w.encode() for w in QUESTION_WORDS)
_SUBJECTS = frozenset(w.encode() for w in FILTER_SUBJECTS)
_DETECTION = frozenset(w.encode() for w in DETECTION_VERBS)
_NEGATORS = frozenset(w.encode() for w in NEGATORS)
_EUPHEMISM_COLOURS = frozenset(b"green blue purple paper".split())
_EUPHEMISM_NOUNS = frozenset(b"app s one bird icon site chat plane".split())
# Any one of these sends a message on.
_ALONE = _STRONG | _WEAK | _COMPANIONS | _CONTEXT | _QUESTION
_LISTED = _ALONE | _DIGIT_WORDS | _SUBJECTS | _DETECTION | _NEGATORS | _EUPHEMISM_COLOURS | _EUPHEMISM_NOUNS
_NON_LATIN_CHANNEL = re.compile("|".join(re.escape(word) for word in _NON_LATIN_CHANNELS))
# Any character DISGUISE or a non-Latin channel name can start with: one class, searched once.
_FIRST_LETTERS = "".join(sorted({re.escape(word[0]) for word in _NON_LATIN_CHANNELS}))
_SUSPECT = re.compile(DISGUISE.pattern[:-1] + _FIRST_LETTERS + "]")
