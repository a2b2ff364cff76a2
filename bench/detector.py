"""Detector benchmark: what the cascade costs on freelancer chat, at start-up and on hostile input.

    .venv/bin/python bench/detector.py [--messages 50000] [--seed 7] [--json out.json]

One run, one process, one thread (the bot gives the transformer a worker thread, which costs
the same CPU). Figures:

- start-up: a fresh interpreter importing ``rules`` and loading the engine (packs and models),
  with its peak RSS;
- the stream (bench/streams.py): chat where buyer, order, client, payment and review are
  everyday words, with advice, questions and look-alikes mixed in. Every message is timed
  through ``Engine.community``; the report gives the mean net of start-up, p50/p99/max, and
  how many messages each stage decided (prefilter, lexical, model);
- drafts: every 10th stream message through ``Engine.draft``;
- hostile input: every message of ``adversarial_set`` (4,000 and 10,000 characters) through both.

Targets (issue 10): mean <= 0.4 ms a message, start-up <= 5 s, hostile <= 30 ms.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.streams import ADVERSARIAL_SIZES, adversarial_set, realistic_stream
from rules import Engine

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEAN_MS = 0.4
TARGET_STARTUP_S = 5.0
TARGET_HOSTILE_MS = 30.0
_STARTUP_CODE = (
    "import resource, time; t = time.perf_counter(); from rules import Engine; Engine.load(); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def measure_startup() -> dict[str, float]:
    """Seconds and peak RSS (MiB) of a fresh interpreter that imports rules and loads the engine."""
    out = subprocess.run(
        [sys.executable, "-c", _STARTUP_CODE], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return {"seconds": round(float(out[0]), 3), "peak_rss_mib": round(int(out[1]) / 1024, 1)}


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _timed(function: Callable[[str], Any], texts: Sequence[str]) -> tuple[list[float], list[Any]]:
    """Milliseconds per call, and the results."""
    times, results = [], []
    gc.disable()
    try:
        for text in texts:
            started = time.perf_counter()
            results.append(function(text))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        gc.enable()
    return times, results


def run_benchmark(
    messages: int = 50_000, seed: int = 7, adversarial_sizes: Sequence[int] = ADVERSARIAL_SIZES
) -> dict[str, object]:
    startup = measure_startup()
    engine = Engine.load()
    stream = realistic_stream(messages, seed=seed)
    texts = [m.text for m in stream]
    times, verdicts = _timed(engine.community, texts)
    stages = Counter(v.stage for v in verdicts)
    actions_by_kind: dict[str, Counter[str]] = {}
    for message, verdict in zip(stream, verdicts, strict=True):
        actions_by_kind.setdefault(message.kind, Counter())[verdict.action] += 1
    by_stage: dict[str, list[float]] = {}
    for verdict, ms in zip(verdicts, times, strict=True):
        by_stage.setdefault(verdict.stage, []).append(ms)
    draft_times, _ = _timed(engine.draft, texts[::10])
    hostile = adversarial_set(seed=seed, sizes=adversarial_sizes)
    hostile_community, _ = _timed(engine.community, [m.text for m in hostile])
    hostile_draft, _ = _timed(engine.draft, [m.text for m in hostile])
    worst_community = max(range(len(hostile)), key=lambda i: hostile_community[i])
    worst_draft = max(range(len(hostile)), key=lambda i: hostile_draft[i])
    mean = statistics.fmean(times)
    report: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "date": datetime.date.today().isoformat(),
            "model": engine.model.version,
        },
        "startup": startup,
        "stream": {
            "messages": len(texts),
            "mean_ms": round(mean, 4),
            "p50_ms": round(_percentile(times, 0.5), 4),
            "p99_ms": round(_percentile(times, 0.99), 3),
            "max_ms": round(max(times), 2),
            "decided_by_stage": dict(stages),
            "mean_ms_by_stage": {
                stage: round(statistics.fmean(ms), 4) for stage, ms in sorted(by_stage.items())
            },
            "reached_transformer": round(stages.get("model", 0) / len(texts), 4),
            "actions_by_kind": {kind: dict(c) for kind, c in sorted(actions_by_kind.items())},
        },
        "drafts": {
            "messages": len(draft_times),
            "mean_ms": round(statistics.fmean(draft_times), 3),
            "p99_ms": round(_percentile(draft_times, 0.99), 3),
        },
        "hostile": {
            "messages": len(hostile),
            "community_worst_ms": round(hostile_community[worst_community], 2),
            "community_worst_kind": hostile[worst_community].kind,
            "draft_worst_ms": round(hostile_draft[worst_draft], 2),
            "draft_worst_kind": hostile[worst_draft].kind,
        },
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    report["targets"] = [
        _target("mean per message (ms)", mean, TARGET_MEAN_MS),
        _target("start-up (s)", startup["seconds"], TARGET_STARTUP_S),
        _target("hostile, community (ms)", hostile_community[worst_community], TARGET_HOSTILE_MS),
        _target("hostile, draft (ms)", hostile_draft[worst_draft], TARGET_HOSTILE_MS),
    ]
    return report


def _target(name: str, value: float, limit: float) -> dict[str, object]:
    return {"name": name, "value": round(value, 4), "limit": limit, "passed": value <= limit}


def format_report(report: dict) -> str:
    stream, hostile, startup = report["stream"], report["hostile"], report["startup"]
    lines = [
        f"machine: {report['machine']}",
        f"start-up: {startup['seconds']} s, peak RSS {startup['peak_rss_mib']} MiB",
        f"stream: {stream['messages']:,} messages, mean {stream['mean_ms']} ms, p50 {stream['p50_ms']} ms,"
        f" p99 {stream['p99_ms']} ms, max {stream['max_ms']} ms",
        f"  decided by stage: {stream['decided_by_stage']}",
        f"  reached the transformer: {stream['reached_transformer']:.2%}",
        f"  mean ms by stage: {stream['mean_ms_by_stage']}",
        f"  actions by kind: {stream['actions_by_kind']}",
        f"drafts: {report['drafts']['messages']:,}, mean {report['drafts']['mean_ms']} ms,"
        f" p99 {report['drafts']['p99_ms']} ms",
        f"hostile ({hostile['messages']} messages): community worst {hostile['community_worst_ms']} ms"
        f" ({hostile['community_worst_kind']}), draft worst {hostile['draft_worst_ms']} ms"
        f" ({hostile['draft_worst_kind']})",
        f"peak RSS of this process: {report['peak_rss_mib']} MiB",
        "targets:",
    ]
    for target in report["targets"]:
        verdict = "PASS" if target["passed"] else "FAIL"
        lines.append(f"  {verdict}  {target['name']}: {target['value']} (limit {target['limit']})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    args = parser.parse_args(argv)
    report = run_benchmark(args.messages, args.seed)
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
