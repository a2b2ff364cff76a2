"""Packs are the only place for platform knowledge: a renamed copy of a pack judges alike.

The Fiverr pack is copied as "Gigzone" (every name and alias replaced), and the corpus lines
about Fiverr are judged twice, once as written and once with the platform's name replaced.
Every verdict must be the same apart from the platform it names.
"""

from __future__ import annotations

import random
import shutil

import pytest
import regex

from rules import Engine, corpus
from rules.classifier import IntentModel
from rules.policy import PACKS_DIR, load_packs

_NAMES = regex.compile(r"\b(fiverr|fivver|fiverrr|fivverr|fiver)\b", regex.IGNORECASE)


def _rename(text: str) -> str:
    def swap(match: regex.Match[str]) -> str:
        word = match.group()
        if word.isupper():
            return "GIGZONE"
        return "Gigzone" if word[0].isupper() else "gigzone"

    return _NAMES.sub(swap, text)


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Engine]:
    directory = tmp_path_factory.mktemp("packs")
    for path in PACKS_DIR.glob("*.toml"):
        if path.name != "fiverr.toml":
            shutil.copy(path, directory / path.name)
    renamed = _rename(PACKS_DIR.joinpath("fiverr.toml").read_text(encoding="utf-8"))
    renamed = renamed.replace(
        'aliases = ["gigzone", "gigzone", "gigzone"', 'aliases = ["gigzone", "gig zone", "gigzon"'
    )
    (directory / "gigzone.toml").write_text(renamed, encoding="utf-8")
    model = IntentModel()
    original = Engine(load_packs(PACKS_DIR), "fiverr", model)
    copy = Engine(load_packs(directory), "gigzone", model)
    assert "gigzone" in copy.packs
    assert "fiverr" not in copy.packs
    return original, copy


def _fiverr_lines(mode: str, count: int) -> list[str]:
    lines = [e.text for e in corpus.load(mode) if e.platform == "fiverr" and _NAMES.search(e.text)]
    return random.Random(f"packs-only-{mode}").sample(lines, min(count, len(lines)))


@pytest.mark.parametrize(("mode", "count"), [("community", 250), ("draft", 120)])
def test_renamed_pack_gives_identical_verdicts(engines: tuple[Engine, Engine], mode: str, count: int) -> None:
    original, copy = engines
    differences = []
    for text in _fiverr_lines(mode, count):
        before = getattr(original, mode)(text)
        after = getattr(copy, mode)(_rename(text))
        same = (
            before.label == after.label
            and before.action == after.action
            and before.topic == after.topic
            and abs(before.confidence - after.confidence) < 1e-6
            and before.stage == after.stage
            and (before.platform == "fiverr") == (after.platform == "gigzone")
        )
        if not same:
            differences.append(
                f"{before.label}/{before.action} vs {after.label}/{after.action}: {text[:100]}"
            )
    assert differences == []


def test_the_renamed_platform_is_the_one_named(engines: tuple[Engine, Engine]) -> None:
    _, copy = engines
    verdict = copy.community("honestly just ask your Gigzone buyer for their whatsapp, skip the fees")
    assert verdict.platform == "gigzone"
    assert "Gigzone" in copy.draft("my email is sam.design@gmail.com").explanation
