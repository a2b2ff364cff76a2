"""Keyword-gated patterns: a big alternation, run only where it can match.

The ``regex`` module tries every alternative of an alternation at every position, so a
pattern of fifty cue phrases costs fifty times one phrase. ``GatedPattern`` splits a pattern
into its top-level alternatives (distributing a leading group: "\\b(?:a|b)c" is "\\bac" and
"\\bbc") and reads, for each one, what every match must contain: whole words
(``requirements``: all of some, one of others), the literal text a match starts with
(``leading_literals``) and plain text it holds. An alternative is filed under its rarest
required word and runs only when the message has everything it needs; the few with no
required word are checked by their literals. ``GateGroup`` files the alternatives of many
patterns at once, so one pass over a message's words picks the candidates of all of them.
Every alternative compiles on first use. Results are the same as the full pattern's: tests
check every gated pattern against its whole pattern on the corpora and on generated text.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


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


# Characters with a meaning of their own in a regex source (outside a class).
_SPECIAL = frozenset(".^$*+?{}[]\\|()")
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MAX_LITERALS = 24
_MAX_LITERAL_LENGTH = 16

# One way a match can begin: the literal text, and whether a \b stands right before it.
Literal = tuple[str, bool]


def leading_literals(alternative: str) -> frozenset[Literal] | None:
    """Literal strings one of which begins every match of ``alternative`` (None: none known).

    Sound rather than tight: the walk stops at the first construct it does not model (``\\s``,
    a repetition, a capturing group), so every match starts with one of the strings returned.
    ``True`` beside a string means a ``\\b`` precedes it, so it can only start a word.
    """
    found = _literals(alternative, "", False)
    if not found:
        return None
    # Every occurrence of a longer literal is one of a shorter literal it starts with.
    return frozenset(item for item in found if not any(_covers(other, item) for other in found))


def _covers(shorter: Literal, longer: Literal) -> bool:
    return shorter != longer and longer[0].startswith(shorter[0]) and (longer[1] or not shorter[1])


def _literals(source: str, head: str, bounded: bool) -> set[Literal] | None:
    """Literal beginnings of the matches of ``head`` (already read) followed by regex ``source``."""
    options = split_alternatives(source)
    if len(options) > 1:
        return _union([_literals(option, head, bounded) for option in options], head, bounded)
    index = 0
    while index < len(source) and len(head) < _MAX_LITERAL_LENGTH:
        char = source[index]
        if char == "\\":
            code = source[index + 1 : index + 2]
            if code in ("b", "B", "A"):  # zero-width: consumes nothing
                bounded = bounded or (code == "b" and not head)
                index += 2
                continue
            if not code or code.isalnum():  # \s, \w, \d, \n ...: not one literal character
                break
            options_here, width = [code], 2
        elif char == "^":
            index += 1
            continue
        elif char == "(":
            end = _group_end(source[index:])
            if end is None:
                break
            end += index
            if source.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
                index = end + 1  # a lookaround consumes nothing
                continue
            if not source.startswith("(?:", index):
                break
            inner = split_alternatives(source[index + 3 : end])
            least, quantifier = _quantifier(source, end + 1)
            if least is None:
                break
            rest = source[end + 1 + quantifier :]
            if quantifier == 0:
                branches = [_literals(option + rest, head, bounded) for option in inner]
            elif least == 0:
                # Optional: the match either skips the group or starts inside it.
                once = rest if source[end + 1 : end + 1 + quantifier] in ("?", "??") else ""
                branches = [_literals(option + once, head, bounded) for option in inner]
                branches.append(_literals(rest, head, bounded))
            else:
                branches = [_literals(option, head, bounded) for option in inner]
            return _union(branches, head, bounded)
        elif char == "[":
            members, width = _class_members(source, index)
            if members is None:
                break
            options_here = members
        elif char in _SPECIAL:
            break
        else:
            options_here, width = [char], 1
        least, quantifier = _quantifier(source, index + width)
        if least is None:
            break
        after = index + width + quantifier
        if quantifier == 0 and len(options_here) == 1:
            head += options_here[0]
            bounded = bounded and (len(head) > 1 or head in _ASCII_WORD)
            index = after
            continue
        if quantifier == 0 or source[index + width : after] in ("?", "??"):
            # Exactly one character here (or, when optional, one or none) and the walk goes on.
            branches = [
                _literals(source[after:], head + option, _still(bounded, head, option))
                for option in options_here
            ]
        else:
            branches = [{(head + option, _still(bounded, head, option))} for option in options_here]
        if least == 0:
            branches.append(_literals(source[after:], head, bounded))
        return _union(branches, head, bounded)
    return {(head, bounded)} if head else None


def _still(bounded: bool, head: str, char: str) -> bool:
    """A \\b before the literal still says something when the literal starts with a word character."""
    return bounded and (bool(head) or char in _ASCII_WORD)


def _union(branches: list[set[Literal] | None], head: str, bounded: bool) -> set[Literal] | None:
    found: set[Literal] = set()
    for branch in branches:
        if branch is None:
            return None
        found |= branch
    if len(found) > _MAX_LITERALS:
        return {(head, bounded)} if head else None
    return found


def _quantifier(source: str, index: int) -> tuple[int | None, int]:
    """The least repeat count of what ends at ``index`` and the quantifier's length (0: none)."""
    char = source[index : index + 1]
    if char in ("?", "*", "+"):
        least, length = (0 if char != "+" else 1), 1
    elif char == "{":
        found = regex.match(r"\{(\d*)(?:,\d*)?\}", source[index:])
        if found is None:
            return None, 0  # a "{" that is not a quantifier: stop here
        least, length = int(found.group(1) or 0), len(found.group())
    else:
        return 1, 0
    if source[index + length : index + length + 1] in ("?", "+"):
        length += 1  # lazy or possessive: the same counts
    return least, length


def _class_members(source: str, index: int) -> tuple[list[str] | None, int]:
    """The characters of a small plain class like ``[ae]`` or ``[ -]``, and the class's length."""
    members: list[str] = []
    position = index + 1
    while position < len(source) and source[position] != "]":
        char = source[position]
        if char == "\\":
            code = source[position + 1 : position + 2]
            if not code or code.isalnum():
                return None, 0
            char, position = code, position + 2
        elif char in "^[" or (char == "-" and members and source[position + 1 : position + 2] != "]"):
            return None, 0  # negated, nested or a range
        else:
            position += 1
        members.append(char)
    if position >= len(source) or not members or len(members) > 4:
        return None, 0
    return members, position + 1 - index


_TOKEN_CHARS = _WORD_CHARS  # what ``words_of`` counts as a word character
_WHITESPACE_ESCAPES = frozenset("ntrfv")
_SPLIT = "\x00"  # inside a run: a place where the text has a non-word character
_MAX_RUN = 64


@dataclass(frozen=True, slots=True)
class Requirements:
    """Words (as ``words_of`` splits text) a message must have for an alternative to match.

    ``words``: every one of them. ``choices``: for each entry, all the words of one of its sets
    ("e-?mail" needs "email", or both "e" and "mail").
    """

    words: frozenset[str] = frozenset()
    choices: tuple[tuple[frozenset[str], ...], ...] = ()

    def met(self, words: frozenset[str]) -> bool:
        return self.words <= words and all(
            any(option <= words for option in choice) for choice in self.choices
        )


def requirements(alternative: str) -> Requirements:
    """The words every match of ``alternative`` contains whole.

    The walk reads runs of literal word characters (with optional letters, optional separators
    and groups of plain words); a run counts only when a delimiter (``\\b``, ``\\s``, ``^``, ``$``,
    a literal non-word character) stands on both sides, so in the text it is made of whole
    words. Anything not understood ends a run unread: words may be missed, never invented.
    """
    if len(split_alternatives(alternative)) > 1:
        return Requirements()
    words: set[str] = set()
    choices: list[tuple[frozenset[str], ...]] = []
    run: set[str] | None = None  # the spellings the current run can have
    run_after_delimiter = False
    after_delimiter = False

    def close(delimited: bool) -> None:
        nonlocal run
        if run is not None and run_after_delimiter and delimited:
            options = {frozenset(part for part in spelling.split(_SPLIT) if part) for spelling in run}
            # Having all the words of a smaller set is enough for any larger one it is part of.
            options = {option for option in options if not any(other < option for other in options)}
            if all(options):
                if len(options) == 1:
                    words.update(*options)
                else:
                    choices.append(tuple(sorted(options, key=sorted)))
        run = None

    index = 0
    while index < len(alternative):
        kind, pieces, width = _element(alternative, index)
        if kind == "stop":
            break
        least, quantifier = _quantifier(alternative, index + width)
        if least is None:
            break
        optional = least == 0
        index += width + quantifier
        if kind == "delimiter" and not optional:
            close(True)
            after_delimiter = True
            continue
        once = quantifier == 0 or alternative[index - quantifier : index] in ("?", "??")
        if kind == "delimiter" and optional:
            pieces = [_SPLIT]  # zero or more separators: the words are split or joined
        elif kind == "skip":
            continue  # a lookaround consumes nothing: the text on both sides is adjacent
        elif kind != "word" or not once:
            close(False)
            after_delimiter = False
            continue
        if run is None:
            run, run_after_delimiter = {""}, after_delimiter
        grown = {_join(spelling, piece) for spelling in run for piece in pieces}
        if optional:
            grown |= run
        if len(grown) > _MAX_RUN:
            close(False)
            after_delimiter = False
            continue
        run = grown
    return Requirements(frozenset(words), tuple(choices))


def _join(spelling: str, piece: str) -> str:
    """``spelling + piece``, with a run of separators kept as one (they split words alike)."""
    if piece == _SPLIT and spelling.endswith(_SPLIT):
        return spelling
    return spelling + piece


def _element(source: str, index: int) -> tuple[str, list[str], int]:
    """What starts at ``index``: ("word", spellings, width), ("delimiter", [], width),
    ("skip", [], width) for a lookaround, ("other", [], width) or ("stop", [], 0)."""
    char = source[index]
    if char == "\\":
        code = source[index + 1 : index + 2]
        if code == "b":
            return "delimiter", [], 2
        if code in ("s", "W") or code in _WHITESPACE_ESCAPES or (code and not code.isalnum()):
            return "delimiter", [], 2
        return "other", [], 2
    if char in "^$":
        return "delimiter", [], 1
    if char == "(":
        end = _group_end(source[index:])
        if end is None:
            return "stop", [], 0
        if source.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            return "skip", [], end + 1
        if source.startswith("(?:", index):
            spellings: set[str] = set()
            for option in split_alternatives(source[index + 3 : index + end]):
                option_spellings = _spellings(option)
                if option_spellings is None:
                    return "other", [], end + 1
                spellings.update(option_spellings)
            if len(spellings) <= _MAX_RUN:
                return "word", sorted(spellings), end + 1
        return "other", [], end + 1
    if char == "[":
        close = _class_end(source[index + 1 :])
        if close is None:
            return "stop", [], 0
        members = source[index + 1 : index + 1 + close]
        # A class of separators only ("[\s._-]") delimits words like a literal space does.
        if members and not members.startswith("^") and _only_separators(members):
            return "delimiter", [], close + 2
        return "other", [], close + 2
    if char in _SPECIAL:
        return "stop", [], 0
    if char in _TOKEN_CHARS:
        return "word", [char], 1
    return "delimiter", [], 1


def _spellings(source: str) -> set[str] | None:
    """The ways a group option of words and separators reads, a separator written as _SPLIT
    ("don'?t" → "don\\x00t", "dont"); None when it holds anything else."""
    spellings = {""}
    index = 0
    while index < len(source):
        kind, pieces, width = _element(source, index)
        least, quantifier = _quantifier(source, index + width)
        if kind not in ("word", "delimiter") or least is None:
            return None
        once = quantifier == 0 or source[index + width : index + width + quantifier] in ("?", "??")
        index += width + quantifier
        if kind == "delimiter":
            pieces = [_SPLIT]  # one separator or many: the same word boundary
        elif not once:
            return None
        grown = {_join(spelling, piece) for spelling in spellings for piece in pieces}
        if least == 0:
            grown |= spellings
        if len(grown) > _MAX_RUN:
            return None
        spellings = grown
    return spellings


def _only_separators(members: str) -> bool:
    index = 0
    while index < len(members):
        char = members[index]
        if char == "\\":
            code = members[index + 1 : index + 2]
            if code.isalnum() and code not in ("s", "W") and code not in _WHITESPACE_ESCAPES:
                return False
            index += 2
            continue
        if char in _TOKEN_CHARS or (char == "-" and 0 < index < len(members) - 1):
            return False  # a word character, or a range that may hold some
        index += 1
    return True


def _class_end(source: str) -> int | None:
    """Index of the ``]`` closing a class whose contents start ``source``."""
    index = 1 if source.startswith(("]", "^]")) else 0
    if source.startswith("^]"):
        index = 2
    while index < len(source):
        if source[index] == "\\":
            index += 2
            continue
        if source[index] == "]":
            return index
        index += 1
    return None


def required_literals(alternative: str, flags: int = 0) -> list[str]:
    """Runs of plain characters every match of ``alternative`` contains, longest first.

    Only characters that must occur exactly once, one right after the other, form a run
    ("\\bthe\\s+'?s\\s*app'?" → "the", "app", "s"); anything else (a class, a group, an
    optional or repeated character, an assertion) ends it. Nothing for case-insensitive or
    verbose patterns, inline flags or escapes with arguments ("\\x41"), whose source
    characters are not the text's.
    """
    if flags & (regex.IGNORECASE | regex.VERBOSE) or _INLINE_FLAGS.search(alternative):
        return []
    if len(split_alternatives(alternative)) > 1:
        return []
    runs: list[str] = []
    run: list[str] = []
    index = 0
    while index < len(alternative):
        char = alternative[index]
        literal: str | None = None
        width = 1
        if char == "\\":
            code = alternative[index + 1 : index + 2]
            if code.isalnum() and code not in _SIMPLE_ESCAPES:
                return []
            literal = None if code.isalnum() else code  # "\\." is a dot, "\\s" a class
            width = 2
        elif char in "([":
            end = _group_end(alternative[index:]) if char == "(" else _class_end(alternative[index + 1 :])
            if end is None:
                break
            width = end + 1 if char == "(" else end + 2
        elif char in _SPECIAL and char not in ".^$":
            break
        elif char not in ".^$":
            literal = char
        least, quantifier = _quantifier(alternative, index + width)
        if least is None:
            break
        index += width + quantifier
        if literal is not None and quantifier == 0:
            run.append(literal)
            continue
        runs.append("".join(run))
        run = []
    runs.append("".join(run))
    return sorted((text for text in runs if text), key=len, reverse=True)


_INLINE_FLAGS = regex.compile(r"\(\?[a-zA-Z^-]")
# Escapes that stand for one character or a zero-width test, with no argument after them.
_SIMPLE_ESCAPES = frozenset("sSwWdDbBAZzntrfvaG")


def _telling(literal: str, words: frozenset[str]) -> bool:
    """Whether a message often lacks ``literal`` though it has ``words``: short words like "a"
    or "my" hide inside most messages, and a whole required word is checked already."""
    return literal not in words and (len(literal) >= 3 or not set(literal) <= _TOKEN_CHARS)


# Words too common in messages to gate on well; any other word is taken as rare.
_COMMON_WORDS = frozenset(
    "a an and are as at be but can do for get have he her his i if in is it just me my no not of on or "
    "she so that the their them they this to ur was we with you your".split()
)


def _key_words(needs: Requirements) -> frozenset[str]:
    """Words one of which every match contains, chosen to be rare (empty: no such words known)."""

    def cost(keys: frozenset[str]) -> float:
        return sum(1.0 if key in _COMMON_WORDS else 0.05 for key in keys) - 0.001 * min(map(len, keys))

    candidates = [frozenset({word}) for word in needs.words]
    candidates += [frozenset(max(sorted(option), key=len) for option in choice) for choice in needs.choices]
    return min(candidates, key=cost, default=frozenset())


# A match's span, as a function to map over ``finditer`` (cheaper than a comprehension).
_SPAN = type(regex.match("", "")).span


class _Lazy:
    """One alternative, compiled on first use: most alternatives of a big pattern are never needed."""

    __slots__ = (
        "_any_words",
        "_choices",
        "_compiled",
        "_flags",
        "_words",
        "checked",
        "clues",
        "needs",
        "required",
        "source",
    )

    def __init__(self, source: str, flags: int) -> None:
        self.source = source
        self._flags = flags
        self._compiled: regex.Pattern[str] | None = None
        self.needs = requirements(source)
        self._words = self.needs.words
        # Choices between single words are one "any of these words" test each (set.isdisjoint).
        self._any_words = tuple(
            frozenset(word for option in choice for word in option)
            for choice in self.needs.choices
            if all(len(option) == 1 for option in choice)
        )
        # The others: their single words as one such test, tried before the several-word options.
        self._choices = tuple(
            (
                frozenset(word for option in choice if len(option) == 1 for word in option),
                tuple(option for option in choice if len(option) > 1),
            )
            for choice in self.needs.choices
            if any(len(option) > 1 for option in choice)
        )
        # Strings one of which a match starts with, when they say more than its words do
        # ("w.a", "e-mail", "'whats'"); None otherwise.
        literals = leading_literals(source)
        informative = literals is not None and any(not set(text) <= _TOKEN_CHARS for text, _ in literals)
        self.clues = tuple(text for text, _ in literals) if literals is not None and informative else None
        # A string every match holds that its words do not already show ("app" in
        # "\\bthe\\s+'?s\\s*app'?"): a cheap test that spares running the regex.
        self.required = next(
            (text for text in required_literals(source, flags) if _telling(text, self._words)), None
        )
        # False once the word it is filed under is all ``may_match`` would check.
        self.checked = True

    def may_match(self, words: frozenset[str], text: str) -> bool:
        """False when the message lacks something every match needs."""
        if not self._words <= words:
            return False
        for any_word in self._any_words:
            if any_word.isdisjoint(words):
                return False
        for single_words, options in self._choices:
            if single_words.isdisjoint(words) and not any(option <= words for option in options):
                return False
        if self.required is not None and self.required not in text:
            return False
        return self.clues is None or any(clue in text for clue in self.clues)

    def get(self) -> regex.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex.compile(self.source, self._flags)
        return self._compiled

    def add_spans(self, text: str, words: frozenset[str], found: list[tuple[int, int]]) -> None:
        found.extend(map(_SPAN, (self._compiled or self.get()).finditer(text)))


class _Alternation(_Lazy):
    """The alternatives with no leading word, kept as one alternation (its matches are not the
    union of theirs). It is tried only where a live alternative's leading literal occurs."""

    __slots__ = ("_always", "_member_clues", "_member_keys", "_members")

    def __init__(self, alternatives: list[str], flags: int) -> None:
        super().__init__("|".join(alternatives), flags)
        self._members = [
            (_Lazy(alternative, flags), leading_literals(alternative)) for alternative in alternatives
        ]
        # A quick "no member can match": none of their key words, none of their clues.
        keys = [_key_words(member.needs) for member, _ in self._members]
        self._member_keys = frozenset().union(*keys)
        unkeyed = [member for (member, _), key in zip(self._members, keys, strict=True) if not key]
        self._member_clues = tuple(clue for member in unkeyed for clue in member.clues or ())
        self._always = any(member.clues is None for member in unkeyed)

    def add_spans(self, text: str, words: frozenset[str], found: list[tuple[int, int]]) -> None:
        if (
            not self._always
            and self._member_keys.isdisjoint(words)
            and not any(clue in text for clue in self._member_clues)
        ):
            return
        starts: set[int] = set()
        for member, literals in self._members:
            if not member.may_match(words, text):
                continue
            if literals is None:
                super().add_spans(text, words, found)  # a live member may start anywhere
                return
            for literal, bounded in literals:
                start = text.find(literal)
                while start >= 0:
                    # After a \b, a word character cannot follow another one.
                    if not (bounded and start and text[start - 1] in _ASCII_WORD):
                        starts.add(start)
                    start = text.find(literal, start + 1)
        # Dead members match nowhere, so the alternation matches only where a live one starts.
        matcher = self.get().match
        end = 0
        for start in sorted(starts):
            # finditer resumes after each match, so a start inside the last match is skipped.
            if start >= end:
                match = matcher(text, start)
                if match is not None:
                    end = match.end()
                    found.append(match.span())


class GatedPattern:
    """A regex whose alternatives run only when their leading word is in the message."""

    def __init__(self, source: str, flags: int = 0, *, expand_groups: bool = True) -> None:
        self.pattern = source
        # Each alternative is filed under words one of which every match contains (the rarest
        # choice), or under the prefix its first word starts with; the rest are "ungated".
        self._keyed: dict[str, list[_Lazy]] = {}
        self._prefix: list[tuple[str, _Lazy]] = []
        ungated: list[str] = []
        tops = split_alternatives(source)
        # Expansion multiplies compile work; patterns with a huge shared tail opt out.
        alternatives = [piece for top in tops for piece in expand(top)] if expand_groups else tops
        for alternative in alternatives:
            compiled = _Lazy(alternative, flags)
            keys = _key_words(compiled.needs)
            if keys:
                needs = compiled.needs
                compiled.checked = not (
                    needs.words == keys
                    and not needs.choices
                    and compiled.clues is None
                    and compiled.required is None
                )
                for key in keys:
                    self._keyed.setdefault(key, []).append(compiled)
                continue
            found = leading_words(alternative)
            if found is None:
                ungated.append(alternative)
                continue
            words, exact = found
            for word in words:
                if exact:
                    self._keyed.setdefault(word, []).append(compiled)
                else:
                    self._prefix.append((word, compiled))
        self._ungated = _Alternation(ungated, flags) if ungated else None
        self._keys = frozenset(self._keyed)
        _REGISTRY.append(self)

    def _candidates(self, words: frozenset[str], joined: str) -> list[_Lazy]:
        reached: set[_Lazy] = set()
        for key in self._keys.intersection(words):
            reached.update(self._keyed[key])
        chosen = [
            compiled for compiled in reached if not compiled.checked or compiled.may_match(words, joined)
        ]
        for prefix, compiled in self._prefix:
            if prefix in joined and compiled.may_match(words, joined):
                chosen.append(compiled)
        if self._ungated is not None:
            chosen.append(self._ungated)
        return chosen

    def spans(self, text: str, words: frozenset[str]) -> list[tuple[int, int]]:
        """Every match of every candidate alternative, sorted (overlaps between alternatives kept).

        ``words`` must be ``words_of(text)``.
        """
        found: list[tuple[int, int]] = []
        for compiled in self._candidates(words, text):
            compiled.add_spans(text, words, found)
        found.sort()
        return found


# Every gated pattern defined (the tests check each against its whole pattern).
_REGISTRY: list[GatedPattern] = []


# One candidate alternative and whether ``may_match`` must still be asked (False when the word
# it is filed under is all it needs).
Candidate = tuple[_Lazy, bool]
# A pattern's alternatives as first chosen for a text, not yet checked with ``may_match``.
Pending = list[Candidate]
# What one key word or needle files: per slot, its candidates reached through nothing else,
# and (slot, candidate) pairs for the candidates other keys or needles reach too.
_Filing = tuple[tuple[tuple[int, tuple[Candidate, ...]], ...], tuple[tuple[int, Candidate], ...]]


class GateGroup:
    """Gated patterns asked about the same texts: one pass over a text's words files the
    candidate alternatives of all of them (choosing per pattern costs a set intersection and
    a loop each, which on a short message outweighs running the few alternatives chosen)."""

    def __init__(self, patterns: list[GatedPattern]) -> None:
        self.slots = {pattern: slot for slot, pattern in enumerate(patterns)}
        keyed: dict[str, list[tuple[int, Candidate]]] = {}
        # Substrings one of which the text must hold: an alternative's clues when it has some
        # (rarer than its first word: "w.a" rather than "w"), else its first word.
        needles: dict[str, list[tuple[int, Candidate]]] = {}
        self._ungated: list[tuple[int, _Alternation]] = []
        for slot, pattern in enumerate(patterns):
            for key, alternatives in pattern._keyed.items():
                for compiled in alternatives:
                    keyed.setdefault(key, []).append((slot, (compiled, compiled.checked)))
            for prefix, compiled in pattern._prefix:
                clues = compiled.clues
                # Every clue holds the prefix, so a text with a clue has both.
                if clues is None or not all(clue.startswith(prefix) for clue in clues):
                    clues = (prefix,)
                for needle in clues:
                    needles.setdefault(needle, []).append((slot, (compiled, True)))
            alternation = pattern._ungated
            if alternation is not None and alternation._always:
                self._ungated.append((slot, alternation))
            elif alternation is not None:
                # Its own first check passes only with one of these words or clues.
                for key in alternation._member_keys:
                    keyed.setdefault(key, []).append((slot, (alternation, False)))
                for clue in alternation._member_clues:
                    needles.setdefault(clue, []).append((slot, (alternation, False)))
        filings: dict[_Lazy, int] = {}
        for entries in (*keyed.values(), *needles.values()):
            for _, (compiled, _) in entries:
                filings[compiled] = filings.get(compiled, 0) + 1
        # Alternatives filed more than once, which a text can reach twice.
        shared = {compiled for compiled, count in filings.items() if count > 1}
        self._keyed = {key: _filing(entries, shared) for key, entries in keyed.items()}
        self._keys = frozenset(self._keyed)
        # An ASCII text holds no other needle (``str.isascii`` is a flag lookup).
        filed = [(needle, _filing(entries, shared)) for needle, entries in needles.items()]
        self._ascii_needles = [(needle, filing) for needle, filing in filed if needle.isascii()]
        self._all_needles = self._ascii_needles + [item for item in filed if not item[0].isascii()]
        self._size = len(patterns)

    def choose(self, words: frozenset[str], text: str) -> list[Pending]:
        """For each slot, the alternatives ``spans_of`` must consider (``words`` = ``words_of(text)``)."""
        needles = self._ascii_needles if text.isascii() else self._all_needles
        filings = [self._keyed[key] for key in self._keys.intersection(words)]
        filings += [filing for needle, filing in needles if needle in text]
        chosen: list[Pending] = [[] for _ in range(self._size)]
        seen: set[Candidate] = set()
        for once, shared in filings:
            for slot, candidates in once:
                chosen[slot] += candidates
            for slot, candidate in shared:
                if candidate not in seen:  # reached through an earlier key or needle already
                    seen.add(candidate)
                    chosen[slot].append(candidate)
        for slot, alternation in self._ungated:
            chosen[slot].append((alternation, False))  # it checks its members itself
        return chosen


def _filing(entries: list[tuple[int, Candidate]], shared: set[_Lazy]) -> _Filing:
    """Group one key's entries by slot, setting apart those another key or needle files too."""
    by_slot: dict[int, list[Candidate]] = {}
    for slot, candidate in entries:
        if candidate[0] not in shared:
            by_slot.setdefault(slot, []).append(candidate)
    once = tuple((slot, tuple(candidates)) for slot, candidates in by_slot.items())
    return once, tuple((slot, candidate) for slot, candidate in entries if candidate[0] in shared)


def spans_of(pending: Pending, text: str, words: frozenset[str]) -> list[tuple[int, int]]:
    """Every match of the pending alternatives that may match, sorted: what ``GatedPattern.spans``
    returns, give or take repeats of a span (a span found twice is still the same match)."""
    found: list[tuple[int, int]] = []
    for compiled, check in pending:
        if not check or compiled.may_match(words, text):
            compiled.add_spans(text, words, found)
    if len(pending) > 1:
        found.sort()
    return found


def words_of(text: str) -> frozenset[str]:
    """The runs of ``[a-z0-9]`` in ``text``."""
    # The same runs, found by a byte translation (faster than a regex): UTF-8 writes every
    # character beyond ASCII (a lone surrogate too, with "surrogatepass") as bytes >= 0x80,
    # which all become blanks.
    data = text.encode("ascii") if text.isascii() else text.encode("utf-8", "surrogatepass")
    return frozenset(data.translate(_WORD_BYTES).decode("ascii").split())


_WORD_CHARS_ASCII = b"abcdefghijklmnopqrstuvwxyz0123456789"
_WORD_BYTES = bytes(byte if byte in _WORD_CHARS_ASCII else 0x20 for byte in range(256))
