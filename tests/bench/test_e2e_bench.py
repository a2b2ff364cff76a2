"""Smoke test for the end-to-end benchmark: a 2-second run against the real bot.py.

No timing is asserted here; the targets are checked by the benchmark itself. The mix is rich
in positives and questions so the short run has replies to account for.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from bench import e2e

ANSWERABLE_MIX = {"chat": 0.5, "positive": 0.25, "question": 0.15, "lookalike": 0.1}
RATE_KEYS = {
    "rate",
    "sent",
    "achieved_rate",
    "encourages",
    "asks",
    "replied",
    "lost",
    "unexpected_replies",
    "latency_p50_ms",
    "latency_p99_ms",
    "latency_max_ms",
    "warnings_rows",
    "warnings_match",
    "rss_mib",
    "peak_rss_mib",
}


# Starts bot.py (the tests using it are marked e2e, like tests/e2e); one run shared by the module.
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def report() -> dict:
    return await e2e.run_benchmark([20], 2.0, seed=11, mix=ANSWERABLE_MIX)


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
async def test_short_run_answers_every_expected_message(report: dict) -> None:
    [rate] = report["rates"]
    assert set(rate) >= RATE_KEYS
    assert rate["rate"] == 20
    assert rate["sent"] == 40
    assert rate["encourages"] > 0
    assert rate["asks"] > 0
    assert rate["lost"] == 0
    assert rate["lost_examples"] == []
    assert rate["replied"] == rate["encourages"] + rate["asks"]
    assert rate["unexpected_replies"] == 0
    assert rate["warnings_match"]
    assert rate["warnings_rows"] == rate["encourages"]
    assert rate["latency_p99_ms"] is not None
    assert rate["peak_rss_mib"] is not None
    assert report["bot_exit_code"] == 0


@pytest.mark.e2e
@pytest.mark.asyncio(loop_scope="module")
async def test_report_names_every_target_and_prints_them(report: dict) -> None:
    names = [target["target"] for target in report["targets"]]
    assert any("p99" in name for name in names)
    assert any("RSS" in name for name in names)
    # 200 msg/s was not run, so the latency target is "not measured", not a pass.
    [latency] = [t for t in report["targets"] if "p99" in t["target"]]
    assert latency["passed"] is None
    assert report["all_passed"] is True
    printed = e2e.format_report(report)
    assert "PASS  0 events lost" in printed
    assert "n/a" in printed


def test_percentile_uses_nearest_rank() -> None:
    values = list(range(1, 101))
    assert e2e.percentile(values, 0.99) == 99
    assert e2e.percentile(values, 0.5) == 50
    assert e2e.percentile([7.0], 0.99) == 7.0
