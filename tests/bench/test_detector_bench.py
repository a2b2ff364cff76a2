"""Smoke test for the detector benchmark: it runs end to end and reports every figure.

No timing is asserted here; the targets are checked by the benchmark itself.
"""

from __future__ import annotations

import json

import pytest

from bench import detector
from bench.streams import KINDS, adversarial_set, iter_stream, realistic_stream, unique_fraction


def test_stream_is_reproducible_and_mostly_chat() -> None:
    first = realistic_stream(400, seed=3)
    assert first == realistic_stream(400, seed=3)
    assert first != realistic_stream(400, seed=4)
    assert {m.kind for m in first} <= set(KINDS)
    assert sum(m.kind == "chat" for m in first) / len(first) > 0.85
    assert unique_fraction(first) > 0.5
    assert all(1 <= len(m.text) <= 700 for m in first)


def test_endless_stream_starts_like_the_fixed_one() -> None:
    stream = iter_stream(seed=5)
    assert [next(stream) for _ in range(50)] == realistic_stream(50, seed=5)


def test_adversarial_set_covers_both_sizes() -> None:
    messages = adversarial_set()
    assert {len(m.text) for m in messages} == {4_000, 10_000}
    assert len({m.kind for m in messages}) == len(messages)
    assert any("\x00" in m.text for m in messages)
    assert any("\ud800" in m.text for m in messages)


@pytest.fixture(scope="module")
def small_report() -> dict:
    # Short adversarial messages keep the smoke test quick; the real run uses 4k and 10k.
    return detector.run_benchmark(messages=200, seed=11, adversarial_sizes=(300,))


def test_report_has_every_figure(small_report: dict) -> None:
    stream = small_report["stream"]
    assert stream["messages"] == 200
    assert sum(stream["decided_by_stage"].values()) == 200
    assert set(stream["decided_by_stage"]) <= {"prefilter", "lexical", "model", "contacts"}
    assert stream["mean_ms"] > 0
    assert small_report["startup"]["seconds"] > 0
    assert small_report["hostile"]["community_worst_kind"]
    assert len(small_report["targets"]) == 4
    json.dumps(small_report)  # --json must be able to write it


def test_printed_report_names_every_target(small_report: dict) -> None:
    text = detector.format_report(small_report)
    for target in small_report["targets"]:
        assert target["name"] in text
    assert ("PASS" in text) or ("FAIL" in text)
