"""Text normalisation that defeats the usual tricks while keeping spans mappable.

``normalize(text)`` returns a ``Normalized``: a lower-case string in which look-alike
letters, full-width and mathematical forms, zero-width and bidi characters, zalgo marks,
Discord markdown and mentions have been neutralised, plus ``origin``: for every character
of the normalised string, the index of the character of the original text it came from.
Every later rewrite (squeezed spaced letters, "at"/"dot" forms) keeps that map, so a
finding's span always points into the text the member wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

# Look-alike letters that NFKC leaves alone: Cyrillic, Greek, small capitals, IPA.
_CONFUSABLES: dict[str, str] = {}
for _latin, _lookalikes in {
    "a": "аАαΑᴀɑ",
    "b": "вВβΒʙЬь",
    "c": "сСϲᴄ¢",
    "d": "ԁᴅ",
    "e": "еЕεΕᴇёЁ",
    "f": "ꜰ",
    "g": "ɡɢ",
    "h": "һНΗʜн",
    "i": "іІιΙɪӏ",
    "j": "јЈᴊ",
    "k": "кКκΚᴋ",
    "l": "ʟ",
    "m": "мМΜᴍ",
    "n": "ΝɴпП",
    "o": "оОοΟᴏσ",
    "p": "рРρΡᴘ",
    "q": "ԛǫ",
    "r": "ʀгГ",
    "s": "ѕЅꜱ",
    "t": "тТτΤᴛ",
    "u": "υᴜ",
    "v": "νᴠѵ",
    "w": "ԝᴡѡ",
    "x": "хХχΧ",
    "y": "уУΥʏү¥",
    "z": "ΖᴢΖ",
}.items():
    for _char in _lookalikes:
        _CONFUSABLES[_char] = _latin

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
# letters, digits of other scripts, compatibility forms. Emoji and precomposed accented Latin
# letters are not among them. Explicit code points only, so stdlib ``re`` (ten times faster on
# a plain class than ``regex``) reads it exactly as ``regex`` would.
DISGUISE = re.compile(
    "[\u00a0\u00a2\u00a5\u00ad\u00b2\u00b3\u00b9\u00bc-\u00be\u0250-\u02ff\u0300-\u036f\u0370-\u03ff\u0400-\u052f"
    "\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u1d00-\u1dbf\u2000-\u200f\u2028-\u202f"
    "\u2060-\u206f\u2070-\u209f"
    "\u2100-\u214f\u2460-\u24ff\u3000-\u303f\ua700-\ua7ff\ufb00-\ufb4f\ufe00-\ufe6f\ufeff\uff00-\uffef"
    "\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff\U000e0000-\U000e007f]"
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


# "name (at) domain [dot] com", "name at gmail dot com", "arroba", "at the rate", "punto".
# A bare " at " becomes '@' only where an address is plainly meant: before a mail provider or
# a domain with a real top-level domain, and (unless the dot is spelled out) after something
# that looks like a mailbox name rather than a word ("looking at yahoo answers" stays as is).
_TLD = (
    r"(?:com|net|org|io|co|me|info|biz|dev|app|design|studio|art|xyz|online|site|store|shop|tech|"
    r"us|uk|de|fr|es|nl|in|pk|bd|ng|ph|au|ca|ke|za|br|eu|pro|agency|digital|media|email|blog|c0m|n3t|0rg)"
)
_PROVIDERS = r"(?:gmail|yahoo|hotmail|outlook|proton(?:mail)?|icloud|aol|gmx|yandex|zoho)"
_MAILBOX = r"(?<=[a-z0-9_-]*[._0-9][a-z0-9._-]*)"
_SPELLED_DOT = r"(?:\s*[\(\[\{<]\s*(?:d[o0]t|punto)\s*[\)\]\}>]\s*|\s+(?:d[o0]t|punto)\s+)"
# Hints for the alternatives of _AT_FORMS: "(at)"; " @ ", or a bare " at " before a name and a
# dot (spelled or not) or before a mail provider; "at the rate"; "arroba" is checked as a word.
_AT_THE_RATE_HINT = re.compile(r"at\s+the\s+rate")
_BRACKETED_AT_HINT = re.compile(r"[\(\[\{<]\s*(?:at|arroba|@)\s*[\)\]\}>]")
_SPACED_AT_HINT = re.compile(
    r"\s(?:@\s|[a@4]t\s+(?:[a-z0-9-]+(?:\.|\s*[\(\[\{<]\s*(?:d[o0]t|punto)|\s+(?:d[o0]t|punto)\s)"
    rf"|{_PROVIDERS}))"
)
_AT_FORMS = regex.compile(
    r"(?<![\s_])[\s_]*[\(\[\{<]\s*(?:at|arroba|@)\s*[\)\]\}>][\s_]*"
    rf"|(?<=[\w.])\s+(?:at\s+the\s+rate(?:\s+of)?|arroba)\s+(?=(?:{_PROVIDERS}|[a-z0-9-]+\s*(?:\.|{_SPELLED_DOT})\s*{_TLD})\b)"
    r"|(?<=\w)\s+@\s+(?=\w)"
    rf"|(?<=\w)\s+[a@4]t\s+(?=[a-z0-9-]+{_SPELLED_DOT}{_TLD}\b)"
    rf"|(?<=\w)\s+[a@4]t\s+(?={_PROVIDERS}\s*(?:{_SPELLED_DOT}|\.)\s*{_TLD}\b)"
    rf"|{_MAILBOX}\s+[a@4]t\s+(?=(?:{_PROVIDERS}|[a-z0-9-]+\.{_TLD})\b)"
)
_DOT_FORMS = regex.compile(
    r"(?<![\s_])[\s_]*[\(\[\{<]\s*(?:d[o0]t|punto|\.)\s*[\)\]\}>][\s_]*|(?<=\w)\s+(?:d[o0]t|punto)\s+(?=[a-z0-9])"
    r"|(?<=\b(?:t|wa|m|linktr|paypal|cash))\.\s+(?=(?:me|ee|app)\b)"
    rf"|(?<=\w)\s+\.\s+(?={_TLD}\b)"
)
# Hints for the alternatives of _DOT_FORMS: "(dot)"; " dot " or " . "; "t. me".
_BRACKETED_DOT_HINT = re.compile(r"[\(\[\{<]\s*(?:d[o0]t|punto|\.)\s*[\)\]\}>]")
_SPACED_DOT_HINT = re.compile(r"\s(?:d[o0]t|punto|\.)\s")
_SPLIT_SHORT_LINK_HINT = re.compile(r"\.\s+(?:me|ee|app)")
# Top-level domains written in leetspeak: "c0m", "n3t".
_LEET_TLD = regex.compile(r"(?<=\.)(?:c0m|n3t|0rg|i0)\b")
_LEET_TLD_FIX = {"c0m": "com", "n3t": "net", "0rg": "org", "i0": "io"}
_LEET_TLD_HINT = re.compile(r"\.(?:c0m|n3t|0rg|i0)")


def _has_bracket(text: str) -> bool:
    return "(" in text or "[" in text or "{" in text or "<" in text


def _may_have_at_form(text: str) -> bool:
    return (
        "arroba" in text
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
        or "dot" in text
        or "d0t" in text
        or "punto" in text
        or "[" in text
        or "(" in text
        or " . " in text
    )


def deobfuscate(norm: Normalized) -> Normalized:
    """A view with spaced letters joined and at/dot spelled forms turned into '@' and '.'."""
    view = norm
    if _SPACED_HINT.search(view.text):
        view = rewrite(view, _SPACED_RUN, _squeeze_spaced)
    if _may_have_dashed_run(view.text):
        view = rewrite(view, _DASHED_RUN, _squeeze_dashed)
    if _has_at_or_dot_marker(view.text):
        if _may_have_at_form(view.text):
            view = rewrite(view, _AT_FORMS, lambda _m: "@")
        if _may_have_dot_form(view.text):
            view = rewrite(view, _DOT_FORMS, lambda _m: ".")
        if "." in view.text and _LEET_TLD_HINT.search(view.text):
            view = rewrite(view, _LEET_TLD, lambda m: _LEET_TLD_FIX[m.group()])
    return view


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
