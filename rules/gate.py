"""Keyword-gated patterns: a big alternation, run only where it can match.

The ``regex`` module tries every alternative of an alternation at every position, so a
pattern of fifty cue phrases costs fifty times one phrase. Most alternatives begin with a
literal word ("just ...", "trust me", "whatsapp"), and a message that lacks that word can
never match them. ``GatedPattern`` splits a pattern into its top-level alternatives, reads
each one's leading word, and on each call runs only the alternatives whose word occurs in
the message (plus the few that have no leading word). Results are the same as the full
pattern's: a test checks it on the corpora and on generated text.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
WORDS = regex.compile(r"[a-z0-9]+")


def split_alternatives(source: str) -> list[str]:
    """Top-level alternatives of a regex source (respects groups, classes and escapes)."""
    parts: list[str] = []
    depth = 0
    in_class = False
    current: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            current.append(source[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def leading_words(alternative: str, bounded: bool = False) -> tuple[set[str], bool] | None:
    """The literal words one of which must start any match, and whether they are whole words.

    Returns None when the alternative does not begin with a plain literal (it is then always
    run). ``exact`` is False when a word may continue after the literal ("doesn'?t" → "doesn").
    """
    source = alternative
    while source.startswith(("\\b", "^")):
        bounded = True
        source = source[2:] if source.startswith("\\b") else source[1:]
    if source.startswith("(?:") and _group_end(source) is not None:
        end = _group_end(source)
        assert end is not None
        if end + 1 < len(source) and source[end + 1] in "?*{":
            return None  # the group is optional: no required leading word
        inner = split_alternatives(source[3:end])
        words: set[str] = set()
        exact = True
        for option in inner:
            found = leading_words(option + source[end + 1 :], bounded)
            if found is None:
                return None
            option_words, option_exact = found
            words |= option_words
            exact = exact and option_exact
        return words, exact
    literal: list[str] = []
    index = 0
    while index < len(source) and source[index] in _WORD_CHARS:
        literal.append(source[index])
        index += 1
    if not literal:
        return None
    rest = source[index:]
    if rest[:1] in ("?", "*", "{"):
        literal.pop()  # the last character is optional
        if not literal:
            return None
        return {"".join(literal)}, False
    # Only a word that starts at a boundary can be looked up as a whole token.
    whole = bounded and (rest == "" or rest.startswith(("\\b", "\\s", "\\W", " ", ")")) or rest[:1] in "$")
    return {"".join(literal)}, whole


def _group_end(source: str) -> int | None:
    depth = 0
    in_class = False
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def expand(alternative: str, limit: int = 400) -> list[str]:
    """Distribute a leading group over the rest: "\\b(?:a|b)c" → ["\\bac", "\\bbc"].

    Only an unquantified non-capturing group right after the anchors is expanded (recursively),
    so the language matched is unchanged.
    """
    anchors = ""
    source = alternative
    while source.startswith(("\\b", "^")):
        step = 2 if source.startswith("\\b") else 1
        anchors += source[:step]
        source = source[step:]
    if not source.startswith("(?:"):
        return [alternative]
    end = _group_end(source)
    if end is None or (end + 1 < len(source) and source[end + 1] in "?*+{"):
        return [alternative]
    rest = source[end + 1 :]
    options = split_alternatives(source[3:end])
    if len(options) > limit:
        return [alternative]
    expanded: list[str] = []
    for option in options:
        expanded.extend(expand(anchors + option + rest, limit))
    return expanded if len(expanded) <= limit else [alternative]


class _Lazy:
    """A regex compiled on first use: most alternatives of a big pattern are never needed."""

    __slots__ = ("_compiled", "_flags", "source")

    def __init__(self, source: str, flags: int) -> None:
        self.source = source
        self._flags = flags
        self._compiled: regex.Pattern[str] | None = None

    def get(self) -> regex.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex.compile(self.source, self._flags)
        return self._compiled

    def finditer(self, text: str) -> Iterator[regex.Match[str]]:
        return self.get().finditer(text)


class GatedPattern:
    """A regex whose alternatives run only when their leading word is in the message."""

    def __init__(self, source: str, flags: int = 0, *, expand_groups: bool = True) -> None:
        self.pattern = source
        self._exact: dict[str, list[_Lazy]] = {}
        self._prefix: list[tuple[str, _Lazy]] = []
        ungated: list[str] = []
        tops = split_alternatives(source)
        # Expansion multiplies compile work; patterns with a huge shared tail opt out.
        alternatives = [piece for top in tops for piece in expand(top)] if expand_groups else tops
        for alternative in alternatives:
            compiled = _Lazy(alternative, flags)
            found = leading_words(alternative)
            if found is None:
                ungated.append(alternative)
                continue
            words, exact = found
            for word in words:
                if exact:
                    self._exact.setdefault(word, []).append(compiled)
                else:
                    self._prefix.append((word, compiled))
        self._ungated = _Lazy("|".join(ungated), flags) if ungated else None
        self._exact_words = frozenset(self._exact)
        self._last_words: frozenset[str] | None = None
        self._last_text: str | None = None
        self._last_chosen: list[_Lazy] = []
        _REGISTRY.append(self)

    def compile_all(self) -> None:
        """Compile every alternative now (start-up), so no message pays for it later."""
        for compiled_list in self._exact.values():
            for compiled in compiled_list:
                compiled.get()
        for _, compiled in self._prefix:
            compiled.get()
        if self._ungated is not None:
            self._ungated.get()

    def _candidates(self, words: frozenset[str], joined: str) -> list[_Lazy]:
        # Callers search one text clause by clause with the same word set: choose once.
        if self._last_words is words and self._last_text is joined:
            return self._last_chosen
        chosen: list[_Lazy] = []
        for word in self._exact_words.intersection(words):
            chosen.extend(self._exact[word])
        for prefix, compiled in self._prefix:
            if prefix in joined:
                chosen.append(compiled)
        if self._ungated is not None:
            chosen.append(self._ungated)
        self._last_words, self._last_text, self._last_chosen = words, joined, chosen
        return chosen

    def spans(self, text: str, words: frozenset[str]) -> list[tuple[int, int]]:
        """Every match of every candidate alternative, sorted (overlaps between alternatives kept)."""
        found: list[tuple[int, int]] = []
        for compiled in self._candidates(words, text):
            found.extend(match.span() for match in compiled.finditer(text))
        found.sort()
        return found


_REGISTRY: list[GatedPattern] = []


def warm_up() -> None:
    """Compile every gated pattern defined so far (called once when the engine loads)."""
    for pattern in _REGISTRY:
        pattern.compile_all()


def words_of(text: str) -> frozenset[str]:
    return frozenset(WORDS.findall(text))
