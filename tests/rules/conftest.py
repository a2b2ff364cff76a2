"""Fixtures shared by the detector's unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Engine
from rules.cli import Message, Metrics, compute_metrics, load_messages


def shortfalls(metrics: Metrics, targets: dict[str, tuple[float, float]]) -> list[str]:
    """Each label whose precision or recall is under its (minimum precision, minimum recall)."""
    missed = []
    for label, (min_precision, min_recall) in targets.items():
        score = metrics.scores[label]
        if score.precision < min_precision:
            missed.append(f"{label} precision {score.precision:.3f} < {min_precision}")
        if score.recall < min_recall:
            missed.append(f"{label} recall {score.recall:.3f} < {min_recall}")
    return missed


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The real engine with the shipped packs (loading them is cheap once ``rules`` is imported)."""
    return Engine.load()


def judge_file(
    engine: Engine, path: Path, draft: bool, labels: tuple[str, ...]
) -> tuple[list[Message], list[str], Metrics]:
    """A labelled JSONL file through the engine: (messages, predicted labels, metrics)."""
    messages = [m for m in load_messages(str(path)) if m.label in labels]
    judge = engine.draft if draft else engine.community
    predicted = [judge(m.text).label for m in messages]
    return messages, predicted, compute_metrics([m.label or "" for m in messages], predicted, labels)
