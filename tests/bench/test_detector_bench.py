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
    return detector.run_benchmark(messages=200, seed=11, rounds=1, adversarial_sizes=(300,))


def test_report_has_every_figure(small_report: dict) -> None:
    contenders = small_report["contenders"]
    assert set(contenders) == {"gigguard_community", "gigguard_draft", "regex_baseline", "re2_baseline"}
    for figures in contenders.values():
        assert {"messages_per_s", "p50_us", "p99_us", "max_us", "labels_by_kind"} <= set(figures)
        assert figures["messages_per_s"] > 0
    assert {"community_over_regex_baseline", "re2_over_community"} <= set(small_report["ratios"])
    for name in ("gigguard_community", "gigguard_draft"):
        adversarial = small_report["adversarial"][name]
        assert adversarial["worst_kind"] in adversarial["per_kind_ms"]
    assert len(small_report["targets"]) == 5
    assert small_report["stream"]["messages"] == 200
    json.dumps(small_report)  # --json must be able to write it


def test_printed_report_names_every_target(small_report: dict) -> None:
    text = detector.format_report(small_report)
    for target in small_report["targets"]:
        assert target["name"] in text
    assert ("PASS" in text) or ("FAIL" in text)


def test_baseline_pattern_runs_the_same_in_both_engines() -> None:
    contenders = {c.name: c for c in detector.build_contenders(detector.Engine.load(), None)}
    for text in ("mail me at sam@example.com", "call +1 555 010 4477", "whatsapp?", "nice logo", "\ud800x"):
        regex_label = contenders["regex_baseline"].label(contenders["regex_baseline"].run(text))
        re2_label = contenders["re2_baseline"].label(contenders["re2_baseline"].run(text))
        assert regex_label == re2_label
