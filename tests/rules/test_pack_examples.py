"""Every [[examples]] entry of every policy pack, judged by the engine for that pack's platform.

The same check as ``python -m rules test``, one pytest case per example ("fiverr.toml:123").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Engine, PackError, load_packs
from rules.model import PackExample, PolicyPack


def _cases() -> list[object]:
    try:
        packs = load_packs()
    except PackError as exc:
        # A broken pack is a failure here, not an empty (silently skipped) parameter list.
        return [pytest.param(None, None, exc, id="packs")]
    return [
        pytest.param(pack, example, None, id=f"{Path(pack.path).name}:{example.line}")
        for pack in packs.values()
        for example in pack.examples
    ]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.mark.parametrize(("pack", "example", "load_error"), _cases())
def test_pack_example(
    engine: Engine, pack: PolicyPack | None, example: PackExample | None, load_error: PackError | None
) -> None:
    if load_error is not None:
        pytest.fail(str(load_error))
    assert pack is not None
    assert example is not None
    judge = engine.draft if example.mode == "draft" else engine.community
    verdict = judge(example.text, platforms=(pack.id,))
    assert verdict.label == example.expect, f"{pack.path}:{example.line}: {example.text}"
