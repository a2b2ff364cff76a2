"""End-to-end benchmark: the real bot.py on the local Discord emulator, fed messages at fixed rates.

    .venv/bin/python bench/e2e.py [--rates 50,200,500] [--seconds 20] [--seed 7] [--json out.json]

The emulator (devtools/emulator) runs in this process on its own event loop; bot.py runs as a
subprocess against it (temp database, fake token), exactly as the e2e tests start it. For each
rate, MESSAGE_CREATE events drawn from the realistic stream (bench/streams.py) are sent on a
fixed schedule (absolute deadlines, so a late send never shifts the ones after it).

Expectations come from ``rules.Engine.community`` run here on every text, with the platforms
the bot is started with: "encourages" must get a reply (and a warnings row), "asks" must get
an answer, anything else must get nothing. Each answerable message is posted by a member in a
channel used for nothing else, so the bot's per-member and per-channel cooldowns never hide a
reply; ordinary chat comes from a pool of members and channels.

Measured per rate: event -> reply latency (emulator clock: just before the event is written
to the gateway socket, to the arrival of the bot's reply POST), events lost (no reply within
5 s of the last send), replies nobody expected, warnings rows against encourages verdicts,
and the bot's RSS and peak RSS (/proc/PID/status VmRSS, VmHWM) when the rate ends.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import gc
import json
import math
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.streams import DEFAULT_MIX, iter_stream
from devtools.bot_process import BotProcess, start_bot_process
from devtools.emulator import Channel, FakeDiscord, Guild, Member
from devtools.emulator.world import MODERATOR_PERMISSIONS
from rules import Engine

# devtools.bot_process starts the bot with DEFAULT_PLATFORMS=fiverr and the server never changes
# it, so these are the platforms the bot's own scan uses.
BOT_PLATFORMS = ("fiverr",)
ANSWERED_LABELS = frozenset({"encourages", "asks"})
# What the bot does with a verdict: a public reply for warn and answer; review goes to the
# mod-log only, so the channel sees nothing.
_ACTION_LABEL = {"warn": "encourages", "answer": "asks"}
REPLY_GRACE_S = 5.0  # an expected reply later than this after the last send counts as lost
QUIET_CHECK_S = 0.5  # after the last expected reply, how long to watch for replies nobody expected
CHAT_MEMBERS = 300
CHAT_CHANNELS = 40
TARGET_RATE = 200  # the rate the latency target is judged at
TARGET_P99_MS = 50.0
TARGET_RSS_MIB = round(250e6 / 2**20, 1)  # issue 10: 250 MB, with the model and onnxruntime loaded
_MESSAGE_POST = re.compile(r"/channels/\d+/messages")


@dataclass(frozen=True, slots=True)
class Planned:
    """One message to send: what, by whom, where, and what the bot must do about it."""

    text: str
    label: str  # what the bot does: "encourages" (warn), "asks" (answer) or "none" (review or nothing)
    member: Member
    channel: Channel


@dataclass(slots=True)
class RateResult:
    rate: int
    seconds: float
    sent: int
    achieved_rate: float  # messages sent / time from first to last send
    send_lag_p99_ms: float  # how late the feeder was against its schedule
    send_lag_max_ms: float
    encourages: int
    asks: int
    replied: int  # expected replies that arrived within the grace period
    lost: int
    unexpected_replies: int  # replies to messages the engine leaves alone
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    latency_max_ms: float | None
    warnings_rows: int  # rows in the bot's warnings table for this rate's messages
    warnings_match: bool  # exactly one row per encourages verdict, none for anything else
    rss_mib: float | None
    peak_rss_mib: float | None
    bot_cpu_percent: float | None  # the bot's CPU time / wall time while fed (100 = one core)
    harness_cpu_percent: float  # this process (emulator + feeder): near 100 means the harness limits the run
    latency_p99_by_label_ms: dict[str, float] = field(
        default_factory=dict
    )  # encourages also posts to the mod-log
    lost_examples: list[str] = field(default_factory=list)  # a few texts, to debug a mismatch


# ------------------------------------------------------------------------- planning --
def plan_rates(
    engine: Engine,
    emu: FakeDiscord,
    guild: Guild,
    rates: Sequence[int],
    seconds: float,
    seed: int,
    mix: Mapping[str, float] = DEFAULT_MIX,
) -> list[list[Planned]]:
    """Every message of every rate, judged and placed, before the bot starts.

    Members and channels are added to the world now, so the bot learns them from GUILD_CREATE
    like those of any server it joins, and no setup traffic runs during a measured rate.
    """
    world = emu.world
    chat_members = [world.add_member(guild, f"member{n}") for n in range(CHAT_MEMBERS)]
    chat_channels = [world.add_channel(guild, f"chat-{n}") for n in range(CHAT_CHANNELS)]
    stream = iter_stream(seed, mix)
    fresh = 0
    plans: list[list[Planned]] = []
    for rate in rates:
        plan: list[Planned] = []
        for index in range(round(rate * seconds)):
            text = next(stream).text
            # What the bot does decides what the run expects: a reply for warn and answer.
            label = _ACTION_LABEL.get(engine.community(text, platforms=BOT_PLATFORMS).action, "none")
            if label in ANSWERED_LABELS:
                fresh += 1
                member = world.add_member(guild, f"seller{fresh}")
                channel = world.add_channel(guild, f"room-{fresh}")
            else:
                member = chat_members[index % len(chat_members)]
                channel = chat_channels[(index * 7) % len(chat_channels)]
            plan.append(Planned(text, label, member, channel))
        plans.append(plan)
    return plans


# ------------------------------------------------------------------------ measuring --
class ReplyIndex:
    """The first successful reply POST to each message id, read incrementally from ``emu.calls``."""

    def __init__(self, emu: FakeDiscord) -> None:
        self._emu = emu
        self._cursor = 0
        self.arrived: dict[str, float] = {}  # replied-to message id -> monotonic arrival of the POST

    def update(self) -> None:
        calls = self._emu.calls
        for call in calls[self._cursor :]:
            if call.method != "POST" or call.status >= 300 or not _MESSAGE_POST.fullmatch(call.path):
                continue
            reference = call.json.get("message_reference") if isinstance(call.json, dict) else None
            if reference:
                self.arrived.setdefault(str(reference["message_id"]), call.timestamp)
        self._cursor = len(calls)


async def feed(emu: FakeDiscord, plan: Sequence[Planned], rate: int) -> tuple[float, list[str], list[float]]:
    """Send ``plan`` at ``rate`` messages/s: (scheduled start, message ids, when each event was sent).

    Message i is due at start + i / rate; sent_at is taken just before the event is serialised
    and written to the bot's gateway socket."""
    ids: list[str] = []
    sent_at: list[float] = []
    start = time.monotonic() + 0.05
    for index, item in enumerate(plan):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)  # behind schedule: still let the emulator answer the bot's requests
        sent_at.append(time.monotonic())
        message = await emu.post_message(item.channel, item.member, item.text)
        ids.append(message["id"])
    return start, ids, sent_at


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1); the values need not be sorted."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered) - 1e-9)))  # tolerate 0.99 * n rounding up
    return ordered[rank - 1]


def memory_mib(pid: int) -> tuple[float | None, float | None]:
    """(VmRSS, VmHWM) of a process in MiB; (None, None) where /proc is not available."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)

    def mib(name: str) -> float | None:
        value = fields.get(name)
        return int(value.split()[0]) / 1024 if value else None  # /proc gives kB

    return mib("VmRSS"), mib("VmHWM")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far; None where /proc is not available."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def warned_message_ids(database_path: Path) -> set[int]:
    with contextlib.closing(sqlite3.connect(database_path, timeout=10)) as connection:
        return {row[0] for row in connection.execute("SELECT message_id FROM warnings")}


async def run_rate(
    emu: FakeDiscord, bot: BotProcess, replies: ReplyIndex, plan: Sequence[Planned], rate: int
) -> RateResult:
    cpu_before, wall_before = cpu_seconds(bot.process.pid), time.monotonic()
    harness_before = time.process_time()
    schedule_start, ids, sent_at = await feed(emu, plan, rate)
    cpu_after, wall_after = cpu_seconds(bot.process.pid), time.monotonic()
    harness_cpu = time.process_time() - harness_before
    last_send = sent_at[-1] if sent_at else schedule_start
    expected = {ids[i]: i for i, item in enumerate(plan) if item.label in ANSWERED_LABELS}

    def all_replied() -> bool:
        replies.update()
        return all(message_id in replies.arrived for message_id in expected)

    deadline = last_send + REPLY_GRACE_S
    with contextlib.suppress(TimeoutError):
        await emu.wait_until(all_replied, within=max(0.0, deadline - time.monotonic()), what="replies")
    await asyncio.sleep(QUIET_CHECK_S)
    replies.update()

    latencies: list[float] = []
    by_label: dict[str, list[float]] = {}
    lost: list[int] = []
    for message_id, index in expected.items():
        arrived = replies.arrived.get(message_id)
        if arrived is None or arrived > deadline:
            lost.append(index)
        else:
            latencies.append((arrived - sent_at[index]) * 1000)
            by_label.setdefault(plan[index].label, []).append(latencies[-1])
    unexpected = sum(
        1 for i, message_id in enumerate(ids) if message_id in replies.arrived and message_id not in expected
    )
    # Warnings are written before the reply is sent, so every row is in by now.
    warned = warned_message_ids(bot.database_path) & {int(message_id) for message_id in ids}
    should_warn = {int(ids[i]) for i, item in enumerate(plan) if item.label == "encourages"}
    rss, peak = memory_mib(bot.process.pid)
    lags = [(at - (schedule_start + i / rate)) * 1000 for i, at in enumerate(sent_at)]
    span = last_send - sent_at[0] if sent_at else 0.0

    def stat(share: float) -> float | None:
        return round(percentile(latencies, share), 2) if latencies else None

    return RateResult(
        rate=rate,
        seconds=round(span, 2),
        sent=len(ids),
        achieved_rate=round((len(ids) - 1) / span, 1) if span > 0 else float(len(ids)),
        send_lag_p99_ms=round(percentile(lags, 0.99), 2) if lags else 0.0,
        send_lag_max_ms=round(max(lags), 2) if lags else 0.0,
        encourages=len(should_warn),
        asks=sum(item.label == "asks" for item in plan),
        replied=len(latencies),
        lost=len(lost),
        unexpected_replies=unexpected,
        latency_p50_ms=round(statistics.median(latencies), 2) if latencies else None,
        latency_p99_ms=stat(0.99),
        latency_max_ms=round(max(latencies), 2) if latencies else None,
        warnings_rows=len(warned),
        warnings_match=warned == should_warn,
        rss_mib=round(rss, 1) if rss is not None else None,
        peak_rss_mib=round(peak, 1) if peak is not None else None,
        bot_cpu_percent=(
            round(100 * (cpu_after - cpu_before) / (wall_after - wall_before), 1)
            if cpu_before is not None and cpu_after is not None
            else None
        ),
        harness_cpu_percent=round(100 * harness_cpu / (wall_after - wall_before), 1),
        latency_p99_by_label_ms={
            label: round(percentile(values, 0.99), 2) for label, values in sorted(by_label.items())
        },
        lost_examples=[plan[i].text[:120] for i in lost[:3]],
    )


async def set_modlog(emu: FakeDiscord, guild: Guild, moderator: Member, channel: Channel) -> None:
    """Point the server's mod-log at ``channel`` with /gigguard modlog, as a moderator would."""
    since = emu.mark()
    interaction = await emu.slash_command(
        "gigguard modlog", channel=channel, member=moderator, options={"channel": channel}
    )
    await emu.wait_for_interaction_response(interaction)
    # The bot announces itself in the new mod-log once the setting is saved.
    await emu.wait_for_call("POST", rf"/channels/{channel.id}/messages", since=since)


async def run_benchmark(
    rates: Sequence[int],
    seconds: float,
    *,
    seed: int = 7,
    mix: Mapping[str, float] = DEFAULT_MIX,
    modlog: bool = True,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Start the emulator and bot.py, run every rate in turn, and return the report."""
    load_before = _load()
    engine = Engine.load()
    emu = FakeDiscord()
    guild = emu.world.add_guild("GigGuard bench")
    mod_role = emu.world.add_role(guild, "Moderators", permissions=MODERATOR_PERMISSIONS)
    moderator = emu.world.add_member(guild, "moderator", roles=[mod_role])
    modlog_channel = emu.world.add_channel(guild, "mod-log")
    progress(f"judging {sum(round(r * seconds) for r in rates):,} messages with Engine.community ...")
    plans = plan_rates(engine, emu, guild, rates, seconds, seed, mix)
    # Everything built so far lives to the end; keep the collector from walking it mid-rate.
    gc.collect()
    gc.freeze()
    results: list[RateResult] = []
    await emu.start()
    try:
        with tempfile.TemporaryDirectory(prefix="gigguard-e2e-") as workdir:
            started = time.monotonic()
            bot = await start_bot_process(emu, guild, Path(workdir))
            progress(f"bot.py ready in {time.monotonic() - started:.1f} s (pid {bot.process.pid})")
            try:
                if modlog:
                    await set_modlog(emu, guild, moderator, modlog_channel)
                replies = ReplyIndex(emu)
                startup_rss, _ = memory_mib(bot.process.pid)
                for rate, plan in zip(rates, plans, strict=True):
                    progress(f"{rate} msg/s for {seconds:g} s ...")
                    result = await run_rate(emu, bot, replies, plan, rate)
                    results.append(result)
                    progress(
                        f"  p99 {_ms(result.latency_p99_ms)} ms, lost {result.lost}, "
                        f"peak RSS {result.peak_rss_mib} MiB"
                    )
            finally:
                exit_code = await bot.stop()
    finally:
        await emu.stop()
        gc.unfreeze()
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "load_before": load_before,
        "load_after": _load(),
        "settings": {
            "rates": list(rates),
            "seconds": seconds,
            "seed": seed,
            "mix": dict(mix),
            "platforms": list(BOT_PLATFORMS),
            "modlog": modlog,
            "chat_members": CHAT_MEMBERS,
            "chat_channels": CHAT_CHANNELS,
        },
        "startup_rss_mib": round(startup_rss, 1) if startup_rss is not None else None,
        "bot_exit_code": exit_code,
        "rates": [asdict(result) for result in results],
    }
    report["targets"] = judge(results)
    report["all_passed"] = all(target["passed"] is not False for target in report["targets"])
    return report


def judge(results: Sequence[RateResult]) -> list[dict[str, Any]]:
    """The issue's targets, each with what was measured; ``passed`` is None when not measured."""
    at_target = [r for r in results if r.rate == TARGET_RATE]
    p99 = at_target[0].latency_p99_ms if at_target else None
    peaks = [r.peak_rss_mib for r in results if r.peak_rss_mib is not None]
    return [
        {
            "target": f"p99 event -> reply <= {TARGET_P99_MS:g} ms at {TARGET_RATE} msg/s",
            "measured": f"{p99} ms" if p99 is not None else f"not run ({TARGET_RATE} not in --rates)",
            "passed": None if p99 is None else p99 <= TARGET_P99_MS,
        },
        {
            "target": "0 events lost",
            "measured": ", ".join(f"{r.lost} at {r.rate}" for r in results),
            "passed": all(r.lost == 0 for r in results),
        },
        {
            "target": "no reply where the engine says none",
            "measured": ", ".join(f"{r.unexpected_replies} at {r.rate}" for r in results),
            "passed": all(r.unexpected_replies == 0 for r in results),
        },
        {
            "target": "warnings rows = encourages verdicts sent",
            "measured": ", ".join(f"{r.warnings_rows}/{r.encourages} at {r.rate}" for r in results),
            "passed": all(r.warnings_match for r in results),
        },
        {
            "target": f"bot RSS <= {TARGET_RSS_MIB:g} MiB (peak, VmHWM)",
            "measured": f"{max(peaks)} MiB" if peaks else "not available (no /proc)",
            "passed": max(peaks) <= TARGET_RSS_MIB if peaks else None,
        },
    ]


# ------------------------------------------------------------------------ reporting --
def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _load() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def format_report(report: dict[str, Any]) -> str:
    machine, settings = report["machine"], report["settings"]
    lines = [
        f"GigGuard e2e benchmark, {report['date']}: {machine['cpu']}, {machine['cpus']} CPUs, "
        f"Python {machine['python']}",
        f"load average before {report['load_before']}, after {report['load_after']}; "
        f"mod-log {'on' if settings['modlog'] else 'off'}; bot RSS after startup "
        f"{report['startup_rss_mib']} MiB",
        "",
        f"{'rate':>5} {'sent':>6} {'achieved':>8} {'lag p99':>7} {'enc':>4} {'asks':>4} {'replied':>7} "
        f"{'lost':>4} {'extra':>5} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'warn rows':>9} "
        f"{'RSS MiB':>7} {'peak':>6} {'CPU %':>5} {'harness':>7}",
    ]
    for r in report["rates"]:
        lines.append(
            f"{r['rate']:>5} {r['sent']:>6} {r['achieved_rate']:>8.1f} {r['send_lag_p99_ms']:>7.1f} "
            f"{r['encourages']:>4} {r['asks']:>4} {r['replied']:>7} {r['lost']:>4} "
            f"{r['unexpected_replies']:>5} {_ms(r['latency_p50_ms']):>7} {_ms(r['latency_p99_ms']):>7} "
            f"{_ms(r['latency_max_ms']):>7} {r['warnings_rows']:>4}/{r['encourages']:<4} "
            f"{r['rss_mib'] or '-':>7} {r['peak_rss_mib'] or '-':>6} {r['bot_cpu_percent'] or '-':>5} "
            f"{r['harness_cpu_percent']:>7}"
        )
        lines += [f"      lost: {text!r}" for text in r["lost_examples"]]
    lines += [
        "",
        "(lag p99: how late the feeder sent against its schedule, ms; extra: unexpected replies;",
        " CPU %: the bot's CPU time while the rate was fed, 100 = one core; harness: this process's)",
        "",
    ]
    for target in report["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[target["passed"]]
        lines.append(f"{verdict}  {target['target']}: {target['measured']}")
    return "\n".join(lines)


def parse_rates(text: str) -> list[int]:
    rates = [int(part) for part in text.split(",") if part.strip()]
    if not rates or min(rates) < 1:
        raise argparse.ArgumentTypeError("rates must be positive integers, e.g. 50,200,500")
    return rates


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=parse_rates, default=[50, 200, 500], help="msg/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each rate runs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-modlog", action="store_true", help="run without a mod-log channel")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.seconds <= 0:
        parser.error("--seconds must be positive")

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    report = asyncio.run(
        run_benchmark(args.rates, args.seconds, seed=args.seed, modlog=not args.no_modlog, progress=progress)
    )
    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nwrote {args.json}")
    return 0 if report["all_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
