"""A cheap first look that clears ordinary chat before any real work.

``looks_clean`` answers True only when a message cannot be advice to go off-platform or a
question about it. Everything it does runs in C (bytes and set operations, and a few stdlib
``re`` searches that one-byte tests guard), so ordinary chat costs a few microseconds. It must
never clear a message the full detector would flag: tests check both agree on every corpus and
pack example and on a generated stream.

Words come in two strengths. A STRONG word (a messenger, a payment service, "email") always
sends the message on. A WEAK word ("call", "pay", "link", "off") is everyday chat and only
matters next to marketplace context ("buyer", "client", "Fiverr", "order", ...), which the
detector itself requires before it flags such a message.
"""

from __future__ import annotations

import re

from rules.lexicon import CHANNEL_PHRASES
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
# Words of a rules question ("is it allowed?"): they matter only in a question.
QUESTION_WORDS: frozenset[str] = frozenset(
    """
    allow allowed banned considered counts forbidden ok okay penalty permissible permitted rule rules
    violation
    """.split()
)
# "The filter doesn't catch it": a subject and a detection verb together.
FILTER_SUBJECTS: frozenset[str] = frozenset("filter bot bots system algorithm ai it fiverr upwork".split())
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
    customers deliver delivered delivery employer employers fee fees fiver fiverr fivver freelancer gig
    gigs hourlie inbox job jobs milestone milestones order orders peopleperhour platform pph proposal
    proposals review reviews them upwork
    """.split()
)
# Spelled-out digits: four or more different ones suggest a phone number written in words.
DIGIT_WORDS: frozenset[str] = frozenset("zero oh one two three four five six seven eight nine".split())


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


def looks_clean(text: str) -> bool:
    """True when the message certainly needs no further look."""
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
    words = _LISTED.intersection(lowered.split())
    shape = raw.translate(_SHAPE)
    if b"0" in shape and (b"a0" in shape or b"0a" in shape):  # leetspeak: "wh4ts4pp" is "whatsapp"
        words = words | _LISTED.intersection(lowered.translate(_DELEET).split())
    if words and not _clean_words(words, b"?" in raw):
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


def _clean_words(words: frozenset[bytes], question: bool) -> bool:
    """Whether the listed words a message holds leave it clean (see the lists above)."""
    if not _STRONG.isdisjoint(words):
        return False
    if not _WEAK.isdisjoint(words) and not _COMPANIONS.isdisjoint(words):
        return False
    if not (_EUPHEMISM_COLOURS.isdisjoint(words) or _EUPHEMISM_NOUNS.isdisjoint(words)):
        return False  # "the green app", "the blue S"
    if not (_SUBJECTS.isdisjoint(words) or _DETECTION.isdisjoint(words) or _NEGATORS.isdisjoint(words)):
        return False
    if question and not _QUESTION.isdisjoint(words):
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
_QUESTION = frozenset(w.encode() for w in QUESTION_WORDS)
_SUBJECTS = frozenset(w.encode() for w in FILTER_SUBJECTS)
_DETECTION = frozenset(w.encode() for w in DETECTION_VERBS)
_NEGATORS = frozenset(w.encode() for w in NEGATORS)
_EUPHEMISM_COLOURS = frozenset(b"green blue purple paper".split())
_EUPHEMISM_NOUNS = frozenset(b"app s one bird icon site chat plane".split())
_LISTED = (
    _STRONG | _WEAK | _COMPANIONS | _DIGIT_WORDS | _QUESTION | _SUBJECTS | _DETECTION | _NEGATORS
    | _EUPHEMISM_COLOURS | _EUPHEMISM_NOUNS
)
_NON_LATIN_CHANNEL = re.compile("|".join(re.escape(word) for word in _NON_LATIN_CHANNELS))
# Any character DISGUISE or a non-Latin channel name can start with: one class, searched once.
_FIRST_LETTERS = "".join(sorted({re.escape(word[0]) for word in _NON_LATIN_CHANNELS}))
_SUSPECT = re.compile(DISGUISE.pattern[:-1] + _FIRST_LETTERS + "]")
