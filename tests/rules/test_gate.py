"""Gated patterns find exactly what the whole pattern finds (rules/gate.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import regex

from rules import intent
from rules.gate import GatedPattern, expand, leading_words, split_alternatives, words_of
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
