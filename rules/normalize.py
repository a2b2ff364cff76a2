"""Text normalisation that defeats the usual tricks while keeping spans mappable.

``normalize(text)`` returns a ``Normalized``: a lower-case string in which look-alike
letters, full-width and mathematical forms, zero-width and bidi characters, zalgo marks,
Discord markdown and mentions have been neutralised, plus ``origin``: for every character
of the normalised string, the index of the character of the original text it came from.
Every later rewrite (squeezed spaced letters, "at"/"dot" forms) keeps that map, so a
finding's span always points into the text the member wrote.
"""

from __future__ import annotations

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
    "c": "сСϲᴄ",
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
    "y": "уУΥʏү",
    "z": "ΖᴢΖ",
}.items():
    for _char in _lookalikes:
        _CONFUSABLES[_char] = _latin

# Discord syntax that only decorates: mentions, channel links, custom emoji.
_DISCORD_TOKENS = regex.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w{1,32}:\d+|t:\d+(?::\w)?)>")
# Markdown characters that never carry contact details; underscores stay (handles use them).
# Backticks stay: the community judge needs to see code spans.
_MARKDOWN_CHARS = str.maketrans({"*": " ", "~": " ", "|": " "})
_QUOTE_PREFIX = regex.compile(r"(?m)^[ \t]*>{1,3}[ \t]?")


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
    if category == "Nd":
        return str(unicodedata.decimal(char)), char not in "0123456789"
    folded = unicodedata.normalize("NFKC", char)
    if folded != char:
        folded = "".join(_CONFUSABLES.get(c, c) for c in folded.lower())
        # Full-width or mathematical letters are a filter trick; ligatures and the like are not.
        return folded, folded.isascii() and folded.isalnum()
    if category.startswith("Z"):
        return " ", False
    return char.lower(), False


def normalize(text: str) -> Normalized:
    """Normalise for matching. Never raises; the result maps back to ``text``."""
    if text.isascii():
        folded = text.lower()
        origin: list[int] = list(range(len(text) + 1))
        tricks = 0
    else:
        pieces: list[str] = []
        origin = []
        tricks = 0
        for index, char in enumerate(text):
            if char.isascii():
                pieces.append(char.lower())
                origin.append(index)
                continue
            replacement, trick = _fold_char(char)
            tricks += trick
            for piece in replacement:
                pieces.append(piece)
                origin.append(index)
        origin.append(len(text))
        folded = "".join(pieces)
    # Same-length blanking keeps the origin map valid.
    folded = folded.translate(_MARKDOWN_CHARS)
    folded = _DISCORD_TOKENS.sub(lambda m: " " * len(m.group()), folded)
    folded = _QUOTE_PREFIX.sub(lambda m: " " * len(m.group()), folded)
    return Normalized(folded, tuple(origin), tricks)


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
_DASHED_RUN = regex.compile(r"(?<![\w-])\w(?:[-.·•_]\w(?![\w])){3,}")
_SPACES = regex.compile(r"[ \t]+")
_SEPARATORS = regex.compile(r"[-.·•_]")


def _squeeze_spaced(match: regex.Match[str]) -> str:
    return _SPACES.sub("", match.group())


def _squeeze_dashed(match: regex.Match[str]) -> str:
    return _SEPARATORS.sub("", match.group())


# "name (at) domain [dot] com", "name at gmail dot com", "arroba", "at the rate", "punto"
_AT_FORMS = regex.compile(
    r"\s*[\(\[\{<]\s*(?:at|arroba|@)\s*[\)\]\}>]\s*"
    r"|(?<=[\w.])\s+(?:at\s+the\s+rate(?:\s+of)?|arroba)\s+(?=\w)"
    r"|(?<=\w)\s+at\s+(?=[a-z0-9-]+(?:\s*[\(\[\{]\s*dot\s*[\)\]\}]\s*|\s+dot\s+|\.)[a-z]{2,}\b)"
    r"|(?<=\w)\s+at\s+(?=(?:gmail|yahoo|hotmail|outlook|proton(?:mail)?|icloud|live|aol|gmx)\b)"
)
_DOT_FORMS = regex.compile(
    r"\s*[\(\[\{<]\s*(?:dot|punto|\.)\s*[\)\]\}>]\s*|(?<=\w)\s+(?:dot|punto)\s+(?=[a-z0-9])"
)


def deobfuscate(norm: Normalized) -> Normalized:
    """A view with spaced letters joined and at/dot spelled forms turned into '@' and '.'."""
    view = rewrite(norm, _SPACED_RUN, _squeeze_spaced)
    view = rewrite(view, _DASHED_RUN, _squeeze_dashed)
    if "at" in view.text or "arroba" in view.text or "[" in view.text or "(" in view.text:
        view = rewrite(view, _DOT_FORMS, lambda _m: ".")
        view = rewrite(view, _AT_FORMS, lambda _m: "@")
    return view
