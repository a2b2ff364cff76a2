"""Gated patterns find exactly what the whole pattern finds (rules/gate.py)."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import regex

from rules import draft, intent  # noqa: F401  (draft defines gated patterns too)
from rules.gate import (
    _REGISTRY,
    GatedPattern,
    GateGroup,
    Requirements,
    expand,
    leading_literals,
    leading_words,
    required_literals,
    requirements,
    spans_of,
    split_alternatives,
    words_of,
)
from rules.normalize import deobfuscate, normalize

DATA = Path(__file__).parent / "data"
GATED = {**{name: pattern for name, pattern in intent._G.items()}, "CHANNEL": intent._G_CHANNEL}


def _texts() -> list[str]:
    texts = [
        json.loads(line)["text"]
        for path in sorted(DATA.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(11)
    words = (
        "just ask your buyer for their whatsapp email number never don't pay paypal bank via direct".split()
    )
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) for _ in range(300)]
    return [deobfuscate(normalize(text)).text for text in texts]


TEXTS = _texts()


@pytest.mark.parametrize("name", sorted(GATED))
def test_gated_pattern_finds_the_leftmost_match_of_the_whole_pattern(name: str) -> None:
    gated: GatedPattern = GATED[name]
    whole = regex.compile(gated.pattern, intent._FLAGS)
    for text in TEXTS:
        spans = gated.spans(text, words_of(text))
        found = whole.search(text)
        assert (spans[0][0] if spans else None) == (found.start() if found else None), (name, text)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"a|(b|c)|\[x|y\]|d", ["a", "(b|c)", r"\[x", r"y\]", "d"]),
        (r"[a|b]|c", ["[a|b]", "c"]),
    ],
)
def test_split_alternatives_respects_groups_classes_and_escapes(source: str, expected: list[str]) -> None:
    assert split_alternatives(source) == expected


def test_expand_distributes_a_leading_group() -> None:
    assert expand(r"\b(?:a|(?:c|d)y)x") == [r"\bax", r"\bcyx", r"\bdyx"]
    # A group after a literal, or a quantified one, is left alone.
    assert expand(r"\b(?:a|b(?:c|d))x") == [r"\bax", r"\bb(?:c|d)x"]
    assert expand(r"\b(?:a|b)?x") == [r"\b(?:a|b)?x"]


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        (r"\bjust\s+(?:ask|get)\b", ({"just"}, True)),
        (r"\bdoesn'?t\s+own", ({"doesn"}, False)),
        (r"\b(?:trust|simple)\s+me", ({"trust", "simple"}, True)),
        (r"\b(?:i\s+)?suggest", None),
        ("💰", None),
    ],
)
def test_leading_words(alternative: str, expected: object) -> None:
    assert leading_words(alternative) == expected


def _whole_spans(gated: GatedPattern) -> Callable[[str], list[tuple[int, int]]]:
    """What the gated search must equal: every alternative run over the whole text, no gating
    (the alternatives without a leading word run together, as one alternation)."""
    alternatives = [piece for top in split_alternatives(gated.pattern) for piece in expand(top)]
    gated_ones = [regex.compile(a, intent._FLAGS) for a in alternatives if leading_words(a) is not None]
    rest = [a for a in alternatives if leading_words(a) is None]
    compiled = gated_ones + ([regex.compile("|".join(rest), intent._FLAGS)] if rest else [])

    def spans(text: str) -> list[tuple[int, int]]:
        return sorted(match.span() for pattern in compiled for match in pattern.finditer(text))

    return spans


@pytest.mark.parametrize("index", range(len(_REGISTRY)))
def test_gated_spans_equal_every_alternative_run_everywhere(index: int) -> None:
    # Gating by required words and leading literals may skip only alternatives that cannot match.
    gated = _REGISTRY[index]
    whole = _whole_spans(gated)
    for text in TEXTS + TRICKY:
        assert gated.spans(text, words_of(text)) == whole(text), (gated.pattern[:60], text)


# Texts that sit right on the gates' edges: separators, apostrophes, words glued together.
TRICKY = [
    "e-mail me",
    "e mail me",
    "e.mail",
    "email",
    "my e_mail",
    "w.a. me",
    "wa business",
    "wa-business",
    "don't type it",
    "dont type it",
    "don t type",
    "whats app",
    "whatsapp",
    "the  s app",
    "the s app",
    "ko-fi",
    "kofi",
    "user is telling",
    "a user is telling everyone",
    "buyers figure",
    "buyersfigure",
    "pay me directly",
    "paying directly",
    "via fiverr",
    "me via fiverr",
    "through the platform",
    "телеграм",
    "📌 pinned",
    "→ payoneer",
    "no. 5",
    "no.",
    "i'd suggest",
    "i would recommend it",
]


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        (r"\bthe\s+s\s+app\b", Requirements(frozenset({"the", "s", "app"}))),
        (r"\bko-fi\b", Requirements(frozenset({"ko", "fi"}))),
        # "e-?mail": one word or two; "buyers?": either spelling.
        (r"\be-?mail\b", Requirements(choices=((frozenset({"e", "mail"}), frozenset({"email"})),))),
        (r"\bbuyers?\b", Requirements(choices=((frozenset({"buyer"}), frozenset({"buyers"})),))),
        # Not whole words: "army phone" matches "my\s+phone"; "buyers?" may continue ("ownership").
        (r"my\s+phone\b", Requirements(frozenset({"phone"}))),
        (r"\bmy\s+own", Requirements(frozenset({"my"}))),
        (r"\bno*\b", Requirements()),
        (r"\b\w+\s+app\b", Requirements(frozenset({"app"}))),
        # Blanks in a row split words like one blank, so the spellings do not run out of room.
        (
            r"^(?:just\s+|so\s+)?(?:don'?t|do\s+not)(?:\s+do\s+it)?\s*[.!]*\s*$",
            Requirements(choices=((frozenset({"do", "not"}), frozenset({"don", "t"}), frozenset({"dont"})),)),
        ),
    ],
)
def test_requirements_are_whole_words_every_match_has(alternative: str, expected: Requirements) -> None:
    assert requirements(alternative) == expected


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        (r"\be-?mail", {("e-mail", True), ("email", True)}),
        (r"w\.a\.?", {("w.a", False)}),
        (r"(?<!x)\b(?:on|via)\s", {("on", True), ("via", True)}),
        (r"\bbuyers?\b", {("buyer", True)}),
        (r"\s*foo", None),
    ],
)
def test_leading_literals(alternative: str, expected: set[tuple[str, bool]] | None) -> None:
    assert leading_literals(alternative) == (None if expected is None else frozenset(expected))


def test_a_group_chooses_for_each_pattern_what_the_pattern_would_run() -> None:
    # Choosing in one pass for the judge's patterns finds the spans each pattern finds alone
    # (a span found twice, through two of an alternative's words, counts once).
    patterns = list(intent._GROUP.slots)
    group = GateGroup(patterns)
    for text in TEXTS + TRICKY:
        words = words_of(text)
        chosen = group.choose(words, text)
        for slot, pattern in enumerate(patterns):
            assert sorted(set(spans_of(chosen[slot], text, words))) == sorted(
                set(pattern.spans(text, words))
            ), (pattern.pattern[:60], text)


@pytest.mark.parametrize(
    "text",
    [
        "hi, my WhatsApp is +1 555 0100!",
        "tab\tnew\nline__under_score",
        "caf\u00e9 na\u00efve 42x",
        "",
        "...",
        "a1-b2",
        "emoji👍ok 🚀42 ёж",
        "lone\ud800surrogate",
    ],
)
def test_words_of_is_the_runs_of_lower_case_letters_and_digits(text: str) -> None:
    assert words_of(text) == frozenset(re.findall(r"[a-z0-9]+", text))


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        (r"\bthe\s+'?s\s*app'?", ["the", "app", "s"]),
        (r"pay(?:ing|s)?\s+(?:me\s+)?directly", ["directly", "pay"]),
        (r"\bw\.a\.", ["w.a."]),
        (r"ab+c?d", ["a", "d"]),  # a repeated or optional character ends a run
        (r"a[bc]de(?=fg)", ["de", "a"]),
        (r"\x41bc", []),  # an escape with an argument: not modelled
        (r"(?i)abc", []),
        (r"a|b", []),
    ],
)
def test_required_literals(alternative: str, expected: list[str]) -> None:
    assert required_literals(alternative) == expected


def test_required_literals_are_in_every_match() -> None:
    # May_match drops an alternative whose required literal the text lacks: it must be in every match.
    checked = 0
    for pattern in GATED.values():
        for alternative in {piece for top in split_alternatives(pattern.pattern) for piece in expand(top)}:
            literals = required_literals(alternative, intent._FLAGS)
            if not literals:
                continue
            compiled = regex.compile(alternative, intent._FLAGS)
            for text in TEXTS:
                for match in compiled.finditer(text):
                    checked += 1
                    assert all(literal in match.group() for literal in literals), (alternative, text)
    assert checked > 100
