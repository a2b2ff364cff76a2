"""Detector benchmark: GigGuard's community scan and draft check against a naive AutoMod-style baseline.

    .venv/bin/python bench/detector.py [--messages 50000] [--seed 7] [--rounds 5] [--json out.json]
    .venv/bin/python bench/detector.py --profile [community|draft] [--messages 20000]

Contenders run in alternating rounds (the order rotates every round) so machine noise hits
all of them alike. Each round, per contender: one pass over the stream that times every
message (latency distribution) and the whole pass (throughput), then one pass over the
adversarial set. GC is off inside timed sections. The per-message clock costs every
contender the same couple of hundred nanoseconds; the report gives that overhead as measured.
The draft check is timed on every 10th message (--draft-every) to keep the run short.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import re2
import regex

from bench.streams import (
    ADVERSARIAL_SIZES,
    AdversarialMessage,
    StreamMessage,
    adversarial_set,
    realistic_stream,
    unique_fraction,
)
from rules import Engine

# A naive AutoMod-style filter: contact keywords, an e-mail and a phone number, one pattern.
# Written in the subset both `regex` and RE2 accept, so both engines run the very same source.
BASELINE_PATTERN = (
    r"(?i)\b(?:e-?mail|whats\s?app|telegram|skype|paypal|payoneer|phone|number|contact|gmail)\b"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|\+?\d[\d\s().-]{7,}\d"
)

# Labels that mean "leave the message alone"; anything else is acting on it.
QUIET_LABELS = frozenset({"none", "ok"})
TARGET_VS_BASELINE = 5.0  # community throughput >= 5x the regex baseline
TARGET_VS_RE2 = 5.0  # re2 throughput / community throughput <= 5
TARGET_P99_MS = 1.0
TARGET_ADVERSARIAL_MS = 20.0


@dataclass(frozen=True, slots=True)
class Contender:
    name: str
    run: Callable[[str], object]
    label: Callable[[object], str]  # the contender's answer, e.g. "encourages" or "match"
    # The baselines' adversarial figures are context only, and regex's are slow (O(n²) on long
    # words), so they get the adversarial set once; GigGuard's get it every round.
    adversarial_every_round: bool = False
    # Run on every n-th message of the stream only. The draft check is slow by design (it
    # normalises everything) and runs on /checkdraft, not on every message, so a sample keeps
    # the default run short without touching the community figures.
    sample_every: int = 1


@dataclass(slots=True)
class Samples:
    """Everything measured for one contender across rounds."""

    messages: int = 0  # stream messages per pass
    pass_seconds: list[float] = field(default_factory=list)
    per_message_ns: list[int] = field(default_factory=list)
    adversarial_ns: dict[str, list[int]] = field(default_factory=dict)  # adversarial kind -> one per round
    labels_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # stream kind -> label -> count


def build_contenders(
    engine: Engine, platforms: Sequence[str] | None, draft_every: int = 1
) -> list[Contender]:
    baseline = regex.compile(BASELINE_PATTERN)
    baseline_re2 = re2.compile(BASELINE_PATTERN)

    def community(text: str) -> object:
        return engine.community(text, platforms)

    def draft(text: str) -> object:
        return engine.draft(text, platforms)

    def verdict_label(verdict: object) -> str:
        return str(getattr(verdict, "label", "?"))

    def matched(match: object) -> str:
        return "none" if match is None else "match"

    def re2_search(text: str) -> object:
        # RE2 takes UTF-8; a message can hold lone surrogates (Discord's JSON allows them).
        try:
            return baseline_re2.search(text)
        except UnicodeEncodeError:
            return baseline_re2.search(text.encode("utf-8", "replace").decode("utf-8"))

    return [
        Contender("gigguard_community", community, verdict_label, adversarial_every_round=True),
        Contender(
            "gigguard_draft", draft, verdict_label, adversarial_every_round=True, sample_every=draft_every
        ),
        Contender("regex_baseline", baseline.search, matched),
        Contender("re2_baseline", re2_search, matched),
    ]


# ----------------------------------------------------------------------- measuring --
def _timed_pass(
    run: Callable[[str], object], texts: list[str], keep: bool
) -> tuple[float, list[int], list[object]]:
    """Run over ``texts`` timing each call; returns (whole pass seconds, per-call ns, results if kept)."""
    clock = time.perf_counter_ns
    timings: list[int] = []
    record = timings.append
    results: list[object] = []
    gc.disable()
    try:
        pass_start = time.perf_counter()
        if keep:
            for text in texts:
                start = clock()
                results.append(run(text))
                record(clock() - start)
        else:
            for text in texts:
                start = clock()
                run(text)
                record(clock() - start)
        pass_seconds = time.perf_counter() - pass_start
    finally:
        gc.enable()
    return pass_seconds, timings, results


def timer_overhead_ns(texts: list[str]) -> float:
    """What the timed loop itself costs per message (a no-op contender), in ns."""
    seconds, _, _ = _timed_pass(lambda _text: None, texts, keep=False)
    return seconds * 1e9 / max(len(texts), 1)


def _percentile(sorted_values: Sequence[int], fraction: float) -> int:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def measure(
    contenders: list[Contender],
    stream: list[StreamMessage],
    adversarial: list[AdversarialMessage],
    rounds: int,
    progress: Callable[[str], None] = lambda _line: None,
) -> dict[str, Samples]:
    texts = [m.text for m in stream]
    samples = {c.name: Samples(messages=len(stream[:: c.sample_every])) for c in contenders}
    # Warm up: compile caches, first-call paths, branch predictors.
    warm = texts[:300] + [m.text for m in adversarial[:4]]
    for contender in contenders:
        for text in warm:
            contender.run(text)
    for round_index in range(rounds):
        shift = round_index % len(contenders)
        for contender in contenders[shift:] + contenders[:shift]:
            took = samples[contender.name]
            gc.collect()
            sample = stream[:: contender.sample_every]
            seconds, timings, results = _timed_pass(
                contender.run, texts[:: contender.sample_every], keep=round_index == 0
            )
            took.pass_seconds.append(seconds)
            took.per_message_ns.extend(timings)
            for message, result in zip(sample, results, strict=False):
                counts = took.labels_by_kind.setdefault(message.kind, {})
                label = contender.label(result)
                counts[label] = counts.get(label, 0) + 1
            progress(
                f"round {round_index + 1}/{rounds} {contender.name:<20} "
                f"{took.messages / took.pass_seconds[-1]:>12,.0f} msg/s"
            )
            if round_index and not contender.adversarial_every_round:
                continue
            gc.collect()
            _, adversarial_timings, _ = _timed_pass(contender.run, [m.text for m in adversarial], keep=False)
            for message, elapsed in zip(adversarial, adversarial_timings, strict=True):
                took.adversarial_ns.setdefault(message.kind, []).append(elapsed)
    return samples


# ------------------------------------------------------------------------ reporting --
def _machine() -> dict[str, object]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "regex": regex.__version__,
    }


def build_report(
    samples: dict[str, Samples],
    stream: list[StreamMessage],
    adversarial: list[AdversarialMessage],
    settings: dict[str, object],
) -> dict[str, object]:
    lengths = sorted(len(m.text) for m in stream)
    kind_counts: dict[str, int] = {}
    for message in stream:
        kind_counts[message.kind] = kind_counts.get(message.kind, 0) + 1

    contenders: dict[str, dict[str, object]] = {}
    adversarial_report: dict[str, dict[str, object]] = {}
    for name, took in samples.items():
        ordered = sorted(took.per_message_ns)
        rates = [took.messages / seconds for seconds in took.pass_seconds]
        labelled = {kind: sum(labels.values()) for kind, labels in took.labels_by_kind.items()}
        contenders[name] = {
            "messages_per_pass": took.messages,
            "messages_per_s": statistics.median(rates),
            "messages_per_s_rounds": rates,
            "mean_us": statistics.fmean(ordered) / 1e3,
            "p50_us": _percentile(ordered, 0.50) / 1e3,
            "p99_us": _percentile(ordered, 0.99) / 1e3,
            "p999_us": _percentile(ordered, 0.999) / 1e3,
            "max_us": ordered[-1] / 1e3,
            # What each contender said about each kind of message (from round 1).
            "labels_by_kind": {
                kind: {label: n / labelled[kind] for label, n in sorted(labels.items())}
                for kind, labels in sorted(took.labels_by_kind.items())
            },
            "acted_fraction_by_kind": {
                kind: sum(n for label, n in labels.items() if label not in QUIET_LABELS) / labelled[kind]
                for kind, labels in sorted(took.labels_by_kind.items())
            },
        }
        # Per message, the median over rounds is the figure checked (one descheduled round on a
        # busy 2-core machine should not fail it); the single worst observation is reported too.
        per_kind_ms = {kind: statistics.median(values) / 1e6 for kind, values in took.adversarial_ns.items()}
        worst_kind = max(per_kind_ms, key=per_kind_ms.__getitem__)
        raw_kind = max(took.adversarial_ns, key=lambda kind: max(took.adversarial_ns[kind]))
        adversarial_report[name] = {
            "max_ms": per_kind_ms[worst_kind],
            "worst_kind": worst_kind,
            "worst_single_observation_ms": max(took.adversarial_ns[raw_kind]) / 1e6,
            "worst_single_observation_kind": raw_kind,
            "per_kind_ms": dict(sorted(per_kind_ms.items(), key=lambda item: -item[1])),
        }

    community = contenders["gigguard_community"]
    community_rate = community["messages_per_s"]
    ratios = {
        "community_over_regex_baseline": community_rate / contenders["regex_baseline"]["messages_per_s"],
        "community_over_re2": community_rate / contenders["re2_baseline"]["messages_per_s"],
        "re2_over_community": contenders["re2_baseline"]["messages_per_s"] / community_rate,
        "draft_over_regex_baseline": contenders["gigguard_draft"]["messages_per_s"]
        / contenders["regex_baseline"]["messages_per_s"],
    }
    targets = [
        _target(
            "community throughput >= 5x regex baseline",
            ratios["community_over_regex_baseline"],
            TARGET_VS_BASELINE,
            at_least=True,
            unit="x",
        ),
        _target(
            "re2 throughput / community <= 5 (within 5x of re2)",
            ratios["re2_over_community"],
            TARGET_VS_RE2,
            at_least=False,
            unit="x",
        ),
        _target("community p99 <= 1 ms", community["p99_us"] / 1e3, TARGET_P99_MS, at_least=False, unit="ms"),
        _target(
            "adversarial community max <= 20 ms",
            adversarial_report["gigguard_community"]["max_ms"],
            TARGET_ADVERSARIAL_MS,
            at_least=False,
            unit="ms",
        ),
        _target(
            "adversarial draft max <= 20 ms",
            adversarial_report["gigguard_draft"]["max_ms"],
            TARGET_ADVERSARIAL_MS,
            at_least=False,
            unit="ms",
        ),
    ]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": settings,
        "stream": {
            "messages": len(stream),
            "unique_fraction": unique_fraction(stream),
            "kinds": dict(sorted(kind_counts.items())),
            "length_chars": {
                "mean": statistics.fmean(lengths),
                "p50": _percentile(lengths, 0.5),
                "p99": _percentile(lengths, 0.99),
                "max": lengths[-1],
            },
        },
        "adversarial_messages": len(adversarial),
        "contenders": contenders,
        "ratios": ratios,
        "adversarial": adversarial_report,
        "targets": targets,
        "all_passed": all(t["passed"] for t in targets),
    }


def _target(name: str, value: float, limit: float, *, at_least: bool, unit: str) -> dict[str, object]:
    passed = value >= limit if at_least else value <= limit
    return {"name": name, "value": value, "limit": limit, "unit": unit, "passed": passed}


def format_report(report: dict) -> str:
    lines = []
    stream, machine = report["stream"], report["machine"]
    lines.append(
        f"machine: {machine['cpu']} ({machine['cpus']} CPUs), Python {machine['python']}; {report['date']}"
    )
    lines.append(
        f"stream: {stream['messages']:,} messages, {stream['unique_fraction']:.1%} unique, "
        f"kinds {stream['kinds']}, length mean {stream['length_chars']['mean']:.0f} / "
        f"p99 {stream['length_chars']['p99']} / max {stream['length_chars']['max']} chars; "
        f"rounds {report['settings']['rounds']}, platforms {report['settings']['platforms'] or 'all'}; "
        f"timing loop overhead {report['settings']['timer_overhead_ns_per_message']:.0f} ns/message"
    )
    cleared = report["settings"].get("prefilter_cleared_by_kind")
    if cleared:
        lines.append(
            "rules.prefilter.looks_clean clears: " + ", ".join(f"{k} {v:.1%}" for k, v in cleared.items())
        )
    lines.append("")
    lines.append(
        f"{'contender':<20} {'timed on':>9} {'msg/s':>12} {'p50 us':>9} {'p99 us':>9} {'max us':>10} "
        f"{'acted on: chat':>15} {'positive':>9} {'question':>9} {'lookalike':>10}"
    )
    for name, c in report["contenders"].items():
        flagged = c["acted_fraction_by_kind"]
        lines.append(
            f"{name:<20} {c['messages_per_pass']:>9,} {c['messages_per_s']:>12,.0f} "
            f"{c['p50_us']:>9.1f} {c['p99_us']:>9.1f} "
            f"{c['max_us']:>10.1f} {flagged.get('chat', 0):>15.1%} {flagged.get('positive', 0):>9.1%} "
            f"{flagged.get('question', 0):>9.1%} {flagged.get('lookalike', 0):>10.1%}"
        )
    for name in ("gigguard_community", "gigguard_draft"):
        labels = report["contenders"][name]["labels_by_kind"]
        lines.append(
            f"  {name} labels: "
            + "; ".join(
                f"{kind} " + ", ".join(f"{label} {share:.1%}" for label, share in shares.items())
                for kind, shares in labels.items()
            )
        )
    ratios = report["ratios"]
    lines.append("")
    lines.append(
        f"community / regex baseline throughput: {ratios['community_over_regex_baseline']:.2f}x; "
        f"community / re2: {ratios['community_over_re2']:.2f}x "
        f"(re2 / community {ratios['re2_over_community']:.2f}x); "
        f"draft / regex baseline: {ratios['draft_over_regex_baseline']:.3f}x"
    )
    lines.append("")
    lines.append(
        f"adversarial set ({report['adversarial_messages']} messages), median over rounds per message:"
    )
    for name, a in report["adversarial"].items():
        lines.append(
            f"  {name:<20} max {a['max_ms']:8.2f} ms ({a['worst_kind']}); worst single observation "
            f"{a['worst_single_observation_ms']:.2f} ms ({a['worst_single_observation_kind']})"
        )
    for name in ("gigguard_community", "gigguard_draft"):
        top = list(report["adversarial"][name]["per_kind_ms"].items())[:5]
        lines.append(f"  slowest for {name}: " + ", ".join(f"{kind} {ms:.2f} ms" for kind, ms in top))
    lines.append("")
    for target in report["targets"]:
        verdict = "PASS" if target["passed"] else "FAIL"
        lines.append(
            f"{verdict}  {target['name']}: {target['value']:.3f} {target['unit']} (limit {target['limit']})"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------------- entry --
def run_benchmark(
    messages: int = 50_000,
    seed: int = 7,
    rounds: int = 5,
    platforms: Sequence[str] | None = None,
    progress: Callable[[str], None] = lambda _line: None,
    adversarial_sizes: Sequence[int] = ADVERSARIAL_SIZES,
    draft_every: int = 10,
) -> dict[str, object]:
    engine = Engine.load()
    stream = realistic_stream(messages, seed)
    adversarial = adversarial_set(seed, adversarial_sizes)
    samples = measure(build_contenders(engine, platforms, draft_every), stream, adversarial, rounds, progress)
    settings = {
        "prefilter_cleared_by_kind": prefilter_cleared(stream),
        "messages": messages,
        "seed": seed,
        "rounds": rounds,
        "draft_every": draft_every,
        "platforms": list(platforms or []),
        "timer_overhead_ns_per_message": timer_overhead_ns([m.text for m in stream]),
        "baseline_pattern": BASELINE_PATTERN,
    }
    return build_report(samples, stream, adversarial, settings)


def prefilter_cleared(stream: list[StreamMessage]) -> dict[str, float] | None:
    """Share of each kind of message the engine's cheap first look clears (diagnostic only)."""
    try:
        from rules.prefilter import looks_clean
    except ImportError:  # an internal helper of rules/; the benchmark does not depend on it
        return None
    cleared: dict[str, list[int]] = {}
    for message in stream:
        counts = cleared.setdefault(message.kind, [0, 0])
        counts[0] += looks_clean(message.text)
        counts[1] += 1
    return {kind: done / total for kind, (done, total) in sorted(cleared.items())}


def profile(mode: str, messages: int, seed: int, platforms: Sequence[str] | None, top: int = 25) -> str:
    """cProfile one pass of ``mode`` over the stream; cProfile's overhead inflates small functions."""
    engine = Engine.load()
    texts = [m.text for m in realistic_stream(messages, seed)]
    judge = engine.community if mode == "community" else engine.draft
    for text in texts[:200]:
        judge(text, platforms)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        judge(text, platforms)
    profiler.disable()
    from io import StringIO

    out = StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000, help="size of the realistic stream")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--draft-every", type=int, default=10, help="time the draft check on every n-th message (default 10)"
    )
    parser.add_argument("--platforms", default="", help="comma-separated enabled platforms (default: all)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="community",
        choices=("community", "draft"),
        help="instead of benchmarking, cProfile one pass and print the top functions",
    )
    args = parser.parse_args(argv)
    if min(args.messages, args.rounds, args.draft_every) < 1:
        parser.error("--messages, --rounds and --draft-every must be at least 1")
    platforms = tuple(p for p in args.platforms.split(",") if p) or None

    if args.profile:
        print(profile(args.profile, args.messages, args.seed, platforms))
        return 0

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    report = run_benchmark(
        args.messages, args.seed, args.rounds, platforms, progress, draft_every=args.draft_every
    )
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0 if report["all_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
