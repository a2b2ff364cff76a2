"""Accuracy floors on the shared development corpus (../shared/corpus), never trained on.

Floors just under what model 1.0.0 measures (rules/models/MODEL_CARD.md); raise them as models
improve.

Skipped when the corpus is not beside the checkout (e.g. a fresh clone on its own).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Engine
from rules.model import COMMUNITY_LABELS, DRAFT_LABELS
from tests.rules.conftest import judge_file, shortfalls

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

# (file, draft mode, labels, {label: (minimum precision, minimum recall)})
TARGETS = [
    ("community.jsonl", False, COMMUNITY_LABELS, {"encourages": (0.85, 0.90), "asks": (0.80, 0.95)}),
    ("drafts.jsonl", True, DRAFT_LABELS, {"violation": (0.95, 0.97)}),
]


@pytest.mark.parametrize(("name", "draft", "labels", "targets"), TARGETS, ids=[t[0] for t in TARGETS])
def test_corpus_meets_the_targets(
    engine: Engine,
    name: str,
    draft: bool,
    labels: tuple[str, ...],
    targets: dict[str, tuple[float, float]],
) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    _, _, metrics = judge_file(engine, path, draft, labels)

    missed = shortfalls(metrics, targets)
    assert not missed, f"{name}: " + "; ".join(missed)
