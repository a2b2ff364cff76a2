"""Text normalisation that defeats the usual tricks while keeping spans mappable.

``normalize(text)`` returns a ``Normalized``: a lower-case string in which look-alike
letters, full-width and mathematical forms, zero-width and bidi characters, zalgo marks,
Discord markdown and mentions have been neutralised, plus ``origin``: for every character
of the normalised string, the index of the character of the original text it came from.
Every later rewrite (squeezed spaced letters, "at"/"dot" forms) keeps that map, so a
finding's span always points into the text the member wrote.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex
from publicsuffixlist import PublicSuffixList
from rapidfuzz import process
from rapidfuzz.distance import OSA

from rules.lexicon import CHANNEL_PHRASES, EVERYDAY_NEAR_CHANNELS, FUZZY_CHANNELS, SWAPPED_ONLY_CHANNELS

# Look-alike letters, from Unicode's confusables.txt as the package confusable-homoglyphs ships
# it (confusables.json). The package does not record which Unicode version its data is; its
# newest characters are Unicode 13.0's (the segmented digits U+1FBF0..U+1FBF9) and none of
# Unicode 14.0's letters is in it, so it is confusables.txt of Unicode 13.0 (checked against
# Python 3.11's unicodedata 14.0.0 when the package was pinned at 3.3.1).
#
# confusables.txt maps a character to a prototype, and the prototype of a lower-case look-alike
# is often a small capital or a letter of another script ("т" to "ᴛ", "τ" to "ᴛ") rather than an
# ASCII letter; the capital of the same letter does map to one ("Т" to "T"). So a letter is
# folded to the first ASCII letter reached through at most _CONFUSABLE_STEPS steps, each to a
# prototype or to the other case. Only letters are folded, and only to letters (a Cyrillic "З"
# stays a letter, not a "3"); Latin letters with accents (U+00C0..U+024F) are ordinary words,
# and digits of other scripts are read by their value below. Built once, at import.
_CONFUSABLE_STEPS = 3
_ACCENTED_LATIN = range(0x00C0, 0x0250)


def _load_confusables() -> dict[str, list[str]]:
    """{character: its prototypes} from the package's data file."""
    data = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    return {char: [entry["c"] for entry in entries] for char, entries in data.items()}


def _ascii_letter(char: str, prototypes: dict[str, list[str]]) -> str | None:
    """The ASCII letter (lower case) ``char`` looks like, or None: a breadth-first walk over
    prototypes and case partners, at most _CONFUSABLE_STEPS steps."""
    seen = {char}
    frontier = [char]
    for _step in range(_CONFUSABLE_STEPS):
        reached = []
        for current in frontier:
            for step in (*prototypes.get(current, ()), current.lower(), current.upper()):
                if len(step) != 1 or step in seen:
                    continue
                if step.isascii():
                    if step.isalpha():
                        return step.lower()
                    continue
                seen.add(step)
                reached.append(step)
        frontier = reached
    return None


def _confusable_letters() -> dict[str, str]:
    prototypes = _load_confusables()
    folded: dict[str, str] = {}
    candidates = {
        case for char in prototypes for case in (char, char.lower(), char.upper()) if len(case) == 1
    }
    # Letters with an accent over a look-alike ("ё", Greek with breathings) are not in the data.
    candidates.update(map(chr, range(0x0250, 0x2000)))
    for char in candidates:
        if char.isascii() or ord(char) in _ACCENTED_LATIN or not unicodedata.category(char).startswith("L"):
            continue
        # A capital look-alike takes the letter of its small form ("І" is "i", not the "l" that
        # confusables.txt gives every capital I).
        small = char.lower()
        letter = _ascii_letter(small, prototypes) if len(small) == 1 and small != char else None
        letter = letter or _ascii_letter(char, prototypes)
        if letter is None:  # "ё": the letter under the accent ("е"), when that one is a look-alike
            base = unicodedata.normalize("NFD", char)[0]
            letter = _ascii_letter(base, prototypes) if base != char and not base.isascii() else None
        if letter is not None:
            folded[char] = letter
    return folded


_CONFUSABLES: dict[str, str] = _confusable_letters()


def _char_class(chars: set[str], gap: int = 1) -> str:
    """A regex character class body (no brackets) for ``chars``, as ranges of explicit code points;
    code points fewer than ``gap`` apart share a range (and so does what lies between them)."""
    codes = sorted(map(ord, chars))
    parts = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if 0 <= code - previous <= gap:
            previous = code
            continue
        parts.append(f"\\U{start:08x}" if start == previous else f"\\U{start:08x}-\\U{previous:08x}")
        start = previous = code
    return "".join(parts)


def _lookalike_class() -> str:
    """DISGUISE's share of _CONFUSABLES. In the Basic Multilingual Plane each code point is named:
    ``re`` tests such a class with a bitmap. Beyond it (historic scripts: Lycian, Deseret, Old
    Italic...) a class is a list of ranges tested one by one, so nearby code points share one
    range: a few ranges, each over a script no one chats in."""
    basic = {char for char in _CONFUSABLES if ord(char) < 0x10000}
    beyond = set(_CONFUSABLES) - basic
    return _char_class(basic) + (_char_class(beyond, gap=0x400) if beyond else "")


# Discord syntax that only decorates: mentions, channel links, custom emoji.
_INWORD_MARKDOWN = regex.compile(r"(?<=[a-z0-9@.])[*~|]{1,3}(?=[a-z0-9@.])")
_DISCORD_TOKENS = regex.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w{1,32}:\d+|t:\d+(?::\w)?)>")
# Markdown characters that never carry contact details; underscores stay (handles use them).
# Typographic punctuation as its plain form, one character for one ("don’t" is "don't").
_PUNCTUATION = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "."})
# Backticks stay: the community judge needs to see code spans. They become spaces (str.replace,
# far faster than str.translate on non-ASCII text).
_MARKDOWN_CHARS = ("*", "~", "|")


# Characters that can disguise a word: format/zero-width, combining marks, Greek, Cyrillic,
# IPA and small capitals, letter-like symbols, enclosed and full-width forms, mathematical
# letters, digits of other scripts, compatibility forms, every look-alike letter of
# _CONFUSABLES. Emoji and precomposed accented Latin letters are not among them. Explicit code
# points only, so stdlib ``re`` (ten times faster on a plain class than ``regex``) reads it
# exactly as ``regex`` would.
DISGUISE = re.compile(
    "[\u00a0\u00a2\u00a5\u00ad\u00b2\u00b3\u00b9\u00bc-\u00be\u0250-\u02ff\u0300-\u036f\u0370-\u03ff\u0400-\u052f"
    "\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u1d00-\u1dbf\u2000-\u200f\u2028-\u202f"
    "\u2060-\u206f\u2070-\u209f"
    "\u2100-\u214f\u2460-\u24ff\u3000-\u303f\ua700-\ua7ff\ufb00-\ufb4f\ufe00-\ufe6f\ufeff\uff00-\uffef"
    "\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff\U000e0000-\U000e007f" + _lookalike_class() + "]"
    # and every other look-alike letter of _CONFUSABLES (Armenian, Cherokee, Lisu...)
)
# The characters _PUNCTUATION replaces; all non-ASCII.
_TYPOGRAPHIC = re.compile("[" + "".join(chr(code) for code in _PUNCTUATION) + "]")


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # normalised, lower-case
    origin: tuple[int, ...]  # origin[i] = index in the original text; one extra entry = len(original)
    lookalikes: int  # how many look-alike or invisible characters were neutralised

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to the original string."""
        if end <= start:
            return (self.origin[start], self.origin[start])
        return (self.origin[start], self.origin[end - 1] + 1)


# The origin map of text that keeps its length, shared: slicing it reuses the int objects, far
# cheaper than building them again (the engine caps messages at 4,000 characters).
_IDENTITY_ORIGIN = tuple(range(8_192))


def _identity_origin(length: int) -> tuple[int, ...]:
    """``tuple(range(length + 1))``: one entry per character plus the end."""
    if length < len(_IDENTITY_ORIGIN):
        return _IDENTITY_ORIGIN[: length + 1]
    return tuple(range(length + 1))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> tuple[str, bool]:
    """Fold one non-ASCII character. Returns (replacement, was_a_trick)."""
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width, bidi controls, word joiner, BOM, soft hyphen
        return "", True
    if category in ("Mn", "Me"):  # combining marks: zalgo, accents
        return "", False
    if char in _CONFUSABLES:
        return _CONFUSABLES[char], True
    code = ord(char)
    for base in (0x1F130, 0x1F150, 0x1F170):  # squared, negative circled, negative squared: 🅶🅼🅰🅸🅻
        if base <= code < base + 26:
            return chr(ord("a") + code - base), True
    if category == "Nd":
        return str(unicodedata.decimal(char)), char not in "0123456789"
    folded = unicodedata.normalize("NFKC", char)
    if folded != char:
        folded = "".join(_CONFUSABLES.get(c, c) for c in folded.lower())
        # Full-width or mathematical letters are a filter trick; ligatures and the like are not.
        return folded, len(folded) == 1 and folded.isascii() and folded.isalnum()
    if category.startswith("Z"):
        return " ", False
    return char.lower(), False


def normalize(text: str) -> Normalized:
    """Normalise for matching. Never raises; the result maps back to ``text``."""
    folded = text.lower()
    origin: tuple[int, ...]
    if text.isascii() or (len(folded) == len(text) and not DISGUISE.search(text)):
        # Nothing here can disguise a word (emoji and accented letters cannot): no folding.
        origin = _identity_origin(len(text))
        tricks = 0
    else:
        pieces: list[str] = []
        origins: list[int] = []
        tricks = 0
        for index, char in enumerate(text):
            if char.isascii():
                pieces.append(char.lower())
                origins.append(index)
                continue
            replacement, trick = _fold_char(char)
            tricks += trick
            for piece in replacement:
                pieces.append(piece)
                origins.append(index)
        origins.append(len(text))
        origin = tuple(origins)
        folded = "".join(pieces)
    # Same-length replacements keep the origin map valid. Each pass is skipped when the
    # characters it needs are absent (an ASCII string has no typographic punctuation).
    if not folded.isascii() and _TYPOGRAPHIC.search(folded):
        folded = folded.translate(_PUNCTUATION)
    if "<" in folded:
        folded = _DISCORD_TOKENS.sub(lambda m: " " * len(m.group()), folded)
    norm = Normalized(folded, origin, tricks)
    if not ("*" in folded or "|" in folded or "~" in folded):
        return norm
    if _INWORD_MARKDOWN.search(folded):
        # "whats**a**pp", "what||s||app": markdown inside a word hides it; take it out.
        norm = rewrite(norm, _INWORD_MARKDOWN, lambda _m: "")
        norm = Normalized(norm.text, norm.origin, norm.lookalikes + 1)
    plain = norm.text
    for char in _MARKDOWN_CHARS:
        plain = plain.replace(char, " ")
    return Normalized(plain, norm.origin, norm.lookalikes)


def rewrite(
    norm: Normalized, pattern: regex.Pattern[str], replace: Callable[[regex.Match[str]], str]
) -> Normalized:
    """Apply ``pattern.sub(replace)`` while keeping the map to the original text.

    Replacement characters map to the start of what they replace; characters that survive
    keep their own origin.
    """
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    text = norm.text
    for match in pattern.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        origin.extend(norm.origin[last:start])
        new = replace(match)
        pieces.append(new)
        origin.extend(_align(match.group(), new, norm.origin[start:end]))
        last = end
    if not pieces:
        return norm
    pieces.append(text[last:])
    origin.extend(norm.origin[last:])
    return Normalized("".join(pieces), tuple(origin), norm.lookalikes)


def _align(old: str, new: str, old_origin: tuple[int, ...]) -> list[int]:
    """Origins for ``new``: kept characters keep theirs, inserted ones take the match start."""
    aligned: list[int] = []
    position = 0
    for char in new:
        found = old.find(char, position)
        if found < 0:
            aligned.append(old_origin[min(position, len(old_origin) - 1)])
        else:
            aligned.append(old_origin[found])
            position = found + 1
    return aligned


# "j o h n 9 9", "g-m-a-i-l", "0-3-0-0", "w.h.a.t.s.a.p.p": runs of four or more single
# characters. Only single-character tokens are joined, so ordinary words never merge.
_UNIT = r"(?:[\(\[\{](?:at|dot)[\)\]\}]|\S)(?!\S)"
_SPACED_RUN = regex.compile(rf"(?<!\S){_UNIT}(?:[ \t]{{1,3}}{_UNIT}){{3,}}")
_DASHED_RUN = regex.compile(r"(?<![\w-])\w(?:[-.·•_]\w(?![\w])){3,}|\b(?:c\.o\.m|n\.e\.t|o\.r\.g)\b")
_SPACES = regex.compile(r"[ \t]+")
_SEPARATORS = regex.compile(r"[-.·•_]")
# Hints: cheap necessary conditions, in stdlib ``re``, for the patterns above and below. When a
# hint finds nothing, neither can the full pattern, so its pass is skipped. Hints use explicit
# classes, or ``\s``: in ``re`` it matches every character ``regex``'s ``\s`` matches (and four
# more control characters), so a hint never misses what the pattern would see.
_SPACED_UNIT_HINT = r"(?:[^ \t]|[\(\[\{](?:at|dot)[\)\]\}])"
# A run has four units; the two inner ones each stand between spaces or tabs.
_SPACED_HINT = re.compile(rf"[ \t]{_SPACED_UNIT_HINT}[ \t]{{1,3}}{_SPACED_UNIT_HINT}[ \t]")
# Three separators around single characters ("_" can only be the first one).
_DASHED_HINT = re.compile(r"[-.·•_].[-.·•].[-.·•]")


def _may_have_dashed_run(text: str) -> bool:
    return _DASHED_HINT.search(text) is not None or "c.o.m" in text or "n.e.t" in text or "o.r.g" in text


def _squeeze_spaced(match: regex.Match[str]) -> str:
    return _SPACES.sub("", match.group())


def _squeeze_dashed(match: regex.Match[str]) -> str:
    return _SEPARATORS.sub("", match.group())


# "name (at) domain [dot] com", "name at gmail dot com", "arroba", "arobase", "małpa",
# "at the rate", "punto", "ponto".
# A bare " at " becomes '@' only where an address is plainly meant: before a mail provider or
# a domain with a real ending, and (unless the dot is spelled out) after something that looks
# like a mailbox name rather than a word ("looking at yahoo answers" stays as is). The ending is
# any word the public suffix list knows ("sam at acme dot club"): the patterns take any word of
# letters (or "c0m", "n3t", "0rg") as group ``tld``, and _at_or_dot keeps a match only when the
# list knows it ("we live at 12 dot street" stays as is).
_TLD = r"(?P<tld>c0m|n3t|0rg|[a-z]{2,24})"
PUBLIC_SUFFIXES = PublicSuffixList(accept_unknown=False, only_icann=True)


def is_domain_ending(word: str) -> bool:
    """True when ``word`` is a top-level domain of the public suffix list ("com", "club")."""
    return PUBLIC_SUFFIXES.publicsuffix(f"x.{word}") == word


_PROVIDERS = r"(?:gmail|yahoo|hotmail|outlook|proton(?:mail)?|icloud|aol|gmx|yandex|zoho)"
_MAILBOX = r"(?<=[a-z0-9_-]*[._0-9][a-z0-9._-]*)"
# Brackets around a spelled "at" or "dot": ASCII ones and those of other scripts' keyboards
# ("❮at❯", "【dot】", "⟨at⟩"; NFKC has already folded the full-width "（" to "(").
_OTHER_OPENING = "❮【⟨〈「『〔«‹"
_OPEN = rf"[\(\[\{{<{_OTHER_OPENING}]"
_CLOSE = r"[\)\]\}>❯】⟩〉」』〕»›]"
_OTHER_BRACKETS = re.compile(f"[{_OTHER_OPENING}]")


def _has_other_bracket(text: str) -> bool:
    return not text.isascii() and _OTHER_BRACKETS.search(text) is not None


# "dot" in the languages members write addresses in; in brackets any of them, bare only "dot",
# "punto" and "ponto" (a bare "point" or "punkt" is an everyday word) or after an "@name".
_EVERYDAY_DOT_WORDS = r"point|punkt|kropka|titik"
_DOT_WORDS = rf"d[o0]t|punto|ponto|{_EVERYDAY_DOT_WORDS}"
_SPELLED_DOT = rf"(?:\s*{_OPEN}\s*(?:{_DOT_WORDS})\s*{_CLOSE}\s*|\s+(?:d[o0]t|punto|ponto)\s+)"
# Hints for the alternatives of _AT_FORMS: "(at)"; " @ ", or a bare " at " before a name and a
# dot (spelled or not) or before a mail provider; "at the rate"; "arroba" is checked as a word.
_AT_THE_RATE_HINT = re.compile(r"at\s+the\s+rate")
_BRACKETED_AT_HINT = re.compile(rf"{_OPEN}\s*(?:at|arroba|arobase|ma[lł]pa|chez|chiocciola|@)\s*{_CLOSE}")
_SPACED_AT_HINT = re.compile(
    rf"\s(?:@\s|[a@4]t\s+(?:[a-z0-9-]+(?:\.|\s*{_OPEN}\s*(?:{_DOT_WORDS})|\s+(?:d[o0]t|punto|ponto)\s)"
    rf"|{_PROVIDERS}))"
)
_AT_FORMS = regex.compile(
    rf"(?<![\s_])[\s_]*{_OPEN}\s*(?:at|arroba|arobase|ma[lł]pa|chez|chiocciola|@)\s*{_CLOSE}[\s_]*"
    # after "arroba" or "arobase" (no everyday word) a bare "point" or "punkt" is a dot as well
    rf"|(?<=[\w.])\s+(?:at\s+the\s+rate(?:\s+of)?|arroba|arobase|ma[lł]pa)\s+(?=(?:{_PROVIDERS}|[a-z0-9-]+\s*(?:\.|{_SPELLED_DOT}|\s(?:{_DOT_WORDS})\s)\s*{_TLD})\b)"
    r"|(?<=\w)\s+@\s+(?=\w)"
    rf"|(?<=\w)\s+[a@4]t\s+(?=[a-z0-9-]+{_SPELLED_DOT}{_TLD}\b)"
    rf"|(?<=\w)\s+[a@4]t\s+(?={_PROVIDERS}\s*(?:{_SPELLED_DOT}|\.)\s*{_TLD}\b)"
    rf"|{_MAILBOX}\s+[a@4]t\s+(?=(?:{_PROVIDERS}|[a-z0-9-]+\.{_TLD})\b)"
)
_DOT_FORMS = regex.compile(
    rf"(?<![\s_])[\s_]*{_OPEN}\s*(?:{_DOT_WORDS}|\.)\s*{_CLOSE}[\s_]*|(?<=\w)\s+(?:d[o0]t|punto|ponto)\s+(?=[a-z0-9])"
    r"|(?<=\b(?:t|wa|m|linktr|paypal|cash))\.\s+(?=(?:me|ee|app)\b)"
    # A lone " . " before an ending: only the common ones, since a sentence's full stop stands
    # alone too where Discord syntax around it was blanked ("today <:emoji:1>. how do you...").
    r"|(?<=\w)\s+\.\s+(?=(?:com|net|org|io|info|biz|dev|c0m|n3t|0rg)\b)"
    # After "@name" any ending, and the dot words of other languages: "ola @ wp . pl",
    # "hans@web punkt de".
    rf"|(?<=@[a-z0-9-]+(?:\.[a-z0-9-]+)*)\s+(?:\.|{_EVERYDAY_DOT_WORDS})\s+(?={_TLD}\b)"
)
# Hints for the alternatives of _DOT_FORMS: "(dot)"; " dot " or " . "; "t. me".
_BRACKETED_DOT_HINT = re.compile(rf"{_OPEN}\s*(?:{_DOT_WORDS}|\.)\s*{_CLOSE}")
_SPACED_DOT_HINT = re.compile(rf"\s(?:{_DOT_WORDS}|\.)\s")
_SPLIT_SHORT_LINK_HINT = re.compile(r"\.\s+(?:me|ee|app)")
# Top-level domains written in leetspeak: "c0m", "n3t".
_LEET_TLD = regex.compile(r"(?<=\.)(?:c0m|n3t|0rg|i0)\b")
_LEET_TLD_FIX = {"c0m": "com", "n3t": "net", "0rg": "org", "i0": "io"}


def _at_or_dot(sign: str) -> Callable[[regex.Match[str]], str]:
    """A replacement: ``sign`` for a match whose ending (group ``tld``, if any) is a known one,
    else the match unchanged."""

    def replace(match: regex.Match[str]) -> str:
        tld = match.groupdict().get("tld")
        return sign if tld is None or is_domain_ending(_LEET_TLD_FIX.get(tld, tld)) else match.group()

    return replace


_LEET_TLD_HINT = re.compile(r"\.(?:c0m|n3t|0rg|i0)")


def _has_bracket(text: str) -> bool:
    return "(" in text or "[" in text or "{" in text or "<" in text or _has_other_bracket(text)


def _may_have_at_form(text: str) -> bool:
    return (
        "arroba" in text
        or "arobase" in text
        or "małpa" in text
        or "malpa" in text
        or ("rate" in text and _AT_THE_RATE_HINT.search(text) is not None)
        or (_has_bracket(text) and _BRACKETED_AT_HINT.search(text) is not None)
        or _SPACED_AT_HINT.search(text) is not None
    )


def _may_have_dot_form(text: str) -> bool:
    return (
        (_has_bracket(text) and _BRACKETED_DOT_HINT.search(text) is not None)
        or _SPACED_DOT_HINT.search(text) is not None
        or ("." in text and _SPLIT_SHORT_LINK_HINT.search(text) is not None)
    )


def _has_at_or_dot_marker(text: str) -> bool:
    # The long-standing gate of the at/dot passes; it decides for some inputs (a tab around a
    # lone "."), so it stays exactly as it was.
    return (
        "at" in text
        or "@" in text
        or "arroba" in text
        or "arobase" in text
        or "małpa" in text
        or "malpa" in text
        or "dot" in text
        or "d0t" in text
        or "punto" in text
        or "ponto" in text
        or "[" in text
        or "(" in text
        or " . " in text
        or _has_other_bracket(text)
    )


# An address or handle split over lines: "kat\n.rivers\n@gmail\n.com", "@sam\n_dsgn",
# "insta\n@\nbloom". A line break goes where the next line begins with "." or "_" and a letter
# or digit, before "@" after a mailbox-like name (holding ".", "_" or a digit), and after a
# line ending in "@" or "_". Not after ".": that is how sentences end.
_LINE_SPLIT = regex.compile(
    r"(?<=[a-z0-9])[ \t]*\n+[ \t]*(?=[._][a-z0-9])"
    r"|(?<=[._0-9][a-z0-9]*)[ \t]*\n+[ \t]*(?=@[a-z0-9])"
    r"|(?<=[@_])[ \t]*\n+[ \t]*(?=[a-z0-9])"
)
# A line break next to ".", "_" or "@" (blanks between): what every alternative above needs.
_LINE_SPLIT_HINT = re.compile(r"\n[ \t]*[._@]|[@_][ \t]*\n")


# Letters for digits inside a number: "9l98765O555O", "+92 3oo 555 o1 99". A run of groups (one
# space, dot or dash apart), each of digits and the letters o, i, l with a digit among them, is
# read as digits when it holds seven characters or more, at least half of them digits.
# Possessive, and the first digit of a group is where its letters end: no backtracking on long runs.
_DIGITISH_GROUP = r"[oil]*+[0-9][0-9oil]*+"
_DIGITISH_RUN = regex.compile(rf"(?<![\w+])\+?{_DIGITISH_GROUP}(?:[ .\-]{_DIGITISH_GROUP})*+(?!\w)")
_DIGITISH_HINT = re.compile(r"[0-9][oil]|[oil][0-9]")
_LETTER_DIGITS = str.maketrans("oil", "011")


def _letters_as_digits(match: regex.Match[str]) -> str:
    run = match.group()
    digits = sum(char.isdigit() for char in run)
    letters = sum(char in "oil" for char in run)
    if letters and digits + letters >= 7 and digits >= letters:
        return run.translate(_LETTER_DIGITS)
    return run


# Digits in circles that NFKC leaves alone ("❶❷❸ ❺❺❺ ⓿❶❼❹"): the dingbat and double-circled
# digits one to nine and the circled zeros, read as the digit they show.
_CIRCLED_DIGIT_VALUES = {
    **{
        chr(base + value - 1): str(value)
        for base in (0x2776, 0x2780, 0x278A, 0x24F5)
        for value in range(1, 10)
    },
    "⓿": "0",
    "🄋": "0",
    "🄌": "0",
}
_CIRCLED_DIGIT = regex.compile("[" + "".join(_CIRCLED_DIGIT_VALUES) + "]")


def deobfuscate(norm: Normalized) -> Normalized:
    """A view with spaced letters joined and at/dot spelled forms turned into '@' and '.'."""
    view = norm
    if not view.text.isascii() and _CIRCLED_DIGIT.search(view.text):
        view = rewrite(view, _CIRCLED_DIGIT, lambda m: _CIRCLED_DIGIT_VALUES[m.group()])
    if "\n" in view.text and _LINE_SPLIT_HINT.search(view.text):
        view = rewrite(view, _LINE_SPLIT, lambda _m: "")
    if _DIGITISH_HINT.search(view.text):
        view = rewrite(view, _DIGITISH_RUN, _letters_as_digits)
    if _SPACED_HINT.search(view.text):
        view = rewrite(view, _SPACED_RUN, _squeeze_spaced)
    if _may_have_dashed_run(view.text):
        view = rewrite(view, _DASHED_RUN, _squeeze_dashed)
    if _has_at_or_dot_marker(view.text):
        if _may_have_at_form(view.text):
            view = rewrite(view, _AT_FORMS, _at_or_dot("@"))
        if _may_have_dot_form(view.text):
            view = rewrite(view, _DOT_FORMS, _at_or_dot("."))
        if "." in view.text and _LEET_TLD_HINT.search(view.text):
            view = rewrite(view, _LEET_TLD, lambda m: _LEET_TLD_FIX[m.group()])
    return _correct_channel_names(view)


# Misspelt channel names ("telegrma", "teleqram", "whatsaap", "skpye") and names split in two
# ("tele gram") become the name, so the contact patterns, topics and purposes read them as the
# channel (see lexicon.FUZZY_CHANNELS). A word qualifies when it begins with the name's letter,
# is one edit (OSA distance: a letter inserted, dropped, changed, or two neighbours swapped) from
# the name, and is not the name with an ending ("signals", "skyped"); for the names of
# lexicon.SWAPPED_ONLY_CHANNELS the edit must be a swap ("discrod", not "discard"). Whole words
# only, never inside an address, link or handle.
_FUZZY_NAMES: dict[str, tuple[str, ...]] = {}
for _name in [*FUZZY_CHANNELS, *SWAPPED_ONLY_CHANNELS]:
    _FUZZY_NAMES[_name[0]] = (*_FUZZY_NAMES.get(_name[0], ()), _name)
_SWAPPED_ONLY = frozenset(SWAPPED_ONLY_CHANNELS)
_WHOLE_NAMES = frozenset(FUZZY_CHANNELS) | _SWAPPED_ONLY
_KNOWN_NAMES = frozenset(CHANNEL_PHRASES) | EVERYDAY_NEAR_CHANNELS
_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ers")
# Two words that together are a name but are everyday words as a pair.
_EVERYDAY_PAIRS = frozenset({"we chat"})
_WORD_EDGE_BEFORE = r"(?<![\w@$./:#-])"
_WORD_EDGE_AFTER = r"(?![\w@]|[.\-/][a-z0-9])"
_FUZZY_WORD = re.compile(rf"{_WORD_EDGE_BEFORE}[a-z]{{5,11}}{_WORD_EDGE_AFTER}")
# A name split in two begins with a head of the name ("tele" of "tele gram"). Every pair of
# words is read (the second one by a lookahead, so pairs overlap) and only those whose first word
# is a head go on: a set look-up is cheaper than an alternation of every head.
_NAME_HEADS = frozenset(name[:cut] for name in _WHOLE_NAMES for cut in range(2, len(name) - 1))
_WORD_PAIR = re.compile(
    rf"{_WORD_EDGE_BEFORE}([a-z]{{2,9}})[ \t\n]{{1,3}}(?=([a-z]{{2,9}}){_WORD_EDGE_AFTER})"
)


@lru_cache(maxsize=8192)
def channel_for(word: str) -> str | None:
    """The channel name ``word`` is or misspells, or None (see above)."""
    if word in _WHOLE_NAMES:
        return word
    names = _FUZZY_NAMES.get(word[:1])
    if not names or word in _KNOWN_NAMES:
        return None
    best = process.extractOne(word, names, scorer=OSA.distance, score_cutoff=1)
    if best is None:
        return None
    name: str = best[0]
    if any(word == name + ending for ending in _ENDINGS):
        return None
    if name in _SWAPPED_ONLY and (len(word) != len(name) or sorted(word) != sorted(name)):
        return None
    return name


def _correct_channel_names(view: Normalized) -> Normalized:
    """The view with misspelt and split channel names replaced by the names (see above)."""
    text = view.text
    candidates = {word for word in _FUZZY_WORD.findall(text) if word[0] in _FUZZY_NAMES}
    fixes = {word: name for word in candidates if (name := channel_for(word)) and name != word}
    pairs = {m.groups() for m in _WORD_PAIR.finditer(text) if m.group(1) in _NAME_HEADS}
    for first, second in pairs:
        name = channel_for(first + second) if f"{first} {second}" not in _EVERYDAY_PAIRS else None
        if name is not None:
            fixes[f"{first} {second}"] = name
    if not fixes:
        return view
    # Pairs are matched with whatever blanks stand between their words.
    alternatives = "|".join(
        regex.escape(word).replace(r"\ ", r"[ \t\n]{1,3}") for word in sorted(fixes, key=len, reverse=True)
    )
    pattern = regex.compile(rf"{_WORD_EDGE_BEFORE}(?:{alternatives}){_WORD_EDGE_AFTER}")
    return rewrite(view, pattern, lambda m: fixes[" ".join(m.group().split())])


# Leetspeak inside words ("wh4ts4pp", "t3l3gr4m", "p@yp4l", "$kype"): tokens that mix
# letters with digits. De-leeting is a same-length rewrite, so spans stay valid; "1" can stand
# for "i" or "l", so callers try both readings when it occurs.
# MIXED_TOKENS says whether a text has one: a letter next to a digit, "@" or "$" (a
# "[a-z][0-9@$]|[0-9$][a-z]" match). It starts at the rarer character, so ``re`` skips ahead to
# it instead of trying every letter; use it as a yes/no test, its match spans are not the pair.
MIXED_TOKENS = re.compile(r"[0-9@$](?:(?<=[a-z][0-9@$])|(?<=[0-9$])(?=[a-z]))")
# The digit test comes first: it fails sooner in ordinary words.
_LEET_TOKEN = regex.compile(r"(?<![\w$])(?=[\w$]*[0-9$])(?=[\w$]*[a-z])[\w$]{2,40}(?![\w$])")
# The same pattern in stdlib ``re``, several times faster. The engines differ only in which
# characters ``\w`` covers (combining marks, some numeric symbols), so it is used on text whose
# every character gets the same answer from both.
_LEET_TOKEN_FAST = re.compile(_LEET_TOKEN.pattern)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_STDLIB_WORD = re.compile(r"\w")
_REGEX_WORD = regex.compile(r"\w")
_LEET_AT = regex.compile(r"(?<=[a-z])@(?=[a-z0-9]+\b(?![.@]))")
_LEET_COMMON = {"4": "a", "3": "e", "0": "o", "5": "s", "$": "s", "7": "t", "9": "g", "8": "b"}
_DELEET = {one: str.maketrans({**_LEET_COMMON, "1": one}) for one in ("i", "l")}


def deleet(text: str, one: str = "i") -> str:
    """Letters for the digits and symbols of mixed tokens; ``one`` is what "1" becomes."""
    table = _DELEET[one]
    if "@" in text:
        text = _LEET_AT.sub("a", text)
    tokens = _LEET_TOKEN_FAST if _engines_agree_on_words(text) else _LEET_TOKEN
    return tokens.sub(lambda m: m.group().translate(table), text)


def _engines_agree_on_words(text: str) -> bool:
    """True when ``re`` and ``regex`` class every character of ``text`` alike for ``\\w``."""
    return text.isascii() or all(map(_agrees_on_word, set(_NON_ASCII.findall(text))))


@lru_cache(maxsize=4096)
def _agrees_on_word(char: str) -> bool:
    return (_STDLIB_WORD.match(char) is None) == (_REGEX_WORD.match(char) is None)
