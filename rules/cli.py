"""The detector's command line: ``python -m rules check|scan|eval|eval-contacts|test`` (see README).

Only the public API of ``rules`` is used here. Whatever the input (huge, NUL bytes, lone
surrogates, broken JSON lines), the CLI answers or explains; it never shows a traceback.
Exit codes: 0 done, 1 failures found (``test``) or messages the engine could not judge,
2 unusable input (missing file, broken pack, unknown platform, bad arguments).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # plain `field` is a loop variable in cmd_eval
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm  # type: ignore[import-untyped]  # ships no type information

from rules import Engine, Finding, ModelError, PackError, Verdict
from rules import corpus as corpus_files
from rules.model import ACTIONS, COMMUNITY_LABELS, DRAFT_LABELS

JsonId = str | int | float | None
Warn = Callable[[str], None]

# Progress goes to stderr: on a terminal a tqdm bar redrawn at most every PROGRESS_TTY_SECONDS;
# elsewhere (a log file) a plain line every PROGRESS_LOG_SECONDS, so logs hold no \r litter.
PROGRESS_TTY_SECONDS = 0.1
PROGRESS_LOG_SECONDS = 10.0
ERROR_TEXT_LIMIT = 160
# The stages that can decide a verdict, in cascade order (Verdict.stage), for the scan summary.
STAGES: tuple[str, ...] = ("prefilter", "lexical", "model", "contacts")


class InputError(Exception):
    """Input the CLI cannot use at all (missing file, not JSONL nor an export). Exit code 2."""


@dataclass(frozen=True, slots=True)
class Posted:
    """Who posted a message of a Discord export, where and when: what a moderator acts on."""

    author: str  # the author's user name ("" when the export has none)
    author_id: str
    channel: str  # the channel's name, from the top of the export
    channel_id: str
    timestamp: str  # ISO 8601, as the export wrote it


@dataclass(frozen=True, slots=True)
class Message:
    id: JsonId
    text: str
    where: str  # "FILE:LINE" or "FILE:messages[N]", for warnings
    label: str | None = None
    register: str = ""
    writer: str = ""
    posted: Posted | None = None  # Discord exports only


@dataclass(frozen=True, slots=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Metrics:
    labels: tuple[str, ...]
    scores: dict[str, LabelScore]
    confusion: dict[tuple[str, str], int]  # (gold, predicted) -> count
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


# ---------------------------------------------------------------------------------------------
# Metrics (pure)


def _ratio(numerator: int, denominator: int) -> float:
    # A label never predicted (or never present) scores 0, like sklearn's zero_division=0.
    return numerator / denominator if denominator else 0.0


def compute_metrics(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Metrics:
    """Per-label precision/recall/F1/support, accuracy and the confusion counts."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    confusion = {(g, p): 0 for g in labels for p in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[(g, p)] = confusion.get((g, p), 0) + 1
    scores: dict[str, LabelScore] = {}
    for label in labels:
        true_positive = confusion[(label, label)]
        predicted_count = sum(1 for p in predicted if p == label)
        support = sum(1 for g in gold if g == label)
        precision = _ratio(true_positive, predicted_count)
        recall = _ratio(true_positive, support)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = LabelScore(precision, recall, f1, support)
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return Metrics(tuple(labels), scores, confusion, correct, len(gold))


def format_metrics(metrics: Metrics) -> list[str]:
    """Confusion matrix, then the per-label table and accuracy LAST (hooks read the tail)."""
    width = max(len(label) for label in (*metrics.labels, "gold \\ pred"))
    cell = max(8, *(len(label) + 2 for label in metrics.labels))
    lines = ["confusion matrix (rows = gold, columns = predicted):"]
    lines.append("gold \\ pred".ljust(width) + "".join(label.rjust(cell) for label in metrics.labels))
    for gold in metrics.labels:
        counts = "".join(str(metrics.confusion[(gold, p)]).rjust(cell) for p in metrics.labels)
        lines.append(gold.ljust(width) + counts)
    lines.append("")
    lines.append(f"{'label'.ljust(width)}  precision  recall      f1  support")
    for label in metrics.labels:
        s = metrics.scores[label]
        lines.append(
            f"{label.ljust(width)}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:6.3f}  {s.support:7d}"
        )
    lines.append(f"{'accuracy'.ljust(width)}  {metrics.accuracy:9.3f}  ({metrics.correct}/{metrics.total})")
    return lines


# ---------------------------------------------------------------------------------------------
# Text safety: output must never raise, whatever the input held


def to_json_line(record: dict[str, Any]) -> str:
    """One JSON line; lone surrogates become \\udXXX escapes (still valid JSON, nothing lost)."""
    return json.dumps(record, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8")


def printable(text: str, keep_newlines: bool = False) -> str:
    """Text safe for a terminal: control characters, NULs and lone surrogates shown as escapes."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or (keep_newlines and ch == "\n") else ascii(ch)[1:-1] for ch in text
    )


def one_line(text: str, limit: int = ERROR_TEXT_LIMIT) -> str:
    short = text[:limit] + ("…" if len(text) > limit else "")
    return printable(short)


def _warn(message: str) -> None:
    print(f"warning: {printable(message)}", file=sys.stderr)


def _error(message: str) -> None:
    print(f"error: {printable(message, keep_newlines=True)}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Input: JSONL (text, optional id/label) or a DiscordChatExporter JSON export


def _read_source(source: str) -> tuple[str, str]:
    """(display name, decoded content) of a file path or "-" for stdin."""
    if source == "-":
        stream = sys.stdin
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        name = "<stdin>"
    else:
        name = source
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {source}: {exc.strerror or exc}") from None
    if isinstance(data, bytes):
        # Undecodable bytes become U+FFFD rather than losing the whole line.
        data = data.decode("utf-8-sig", errors="replace")
    return name, data


def _parse_json(text: str) -> Any:
    """json.loads, or raises ValueError (also for nesting too deep to parse)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _as_export(name: str, content: str) -> dict[str, Any] | None:
    """The export object when the content is one JSON object of a DiscordChatExporter export."""
    if not content.lstrip().startswith("{"):
        return None
    try:
        data = _parse_json(content)
    except ValueError:
        return None  # JSONL: several objects, one a line
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return data
    if isinstance(data, dict) and content.strip().count("\n"):
        raise InputError(
            f"{name}: a JSON object without a 'messages' list is not a DiscordChatExporter export"
        )
    return None


def _export_messages(name: str, export: dict[str, Any], warn: Warn) -> Iterable[Message]:
    # One export is one channel: its name and id sit at the top, not in each message.
    channel = _nested(export, "channel")
    for index, item in enumerate(export["messages"]):
        where = f"{name}:messages[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            warn(f"{where}: no string 'content', skipped")
            continue
        author = _nested(item, "author")
        posted = Posted(
            author=_text_field(author, "name"),
            author_id=_text_field(author, "id"),
            channel=_text_field(channel, "name"),
            channel_id=_text_field(channel, "id"),
            timestamp=_text_field(item, "timestamp"),
        )
        yield Message(id=item.get("id", index + 1), text=item["content"], where=where, posted=posted)


def _nested(record: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object of an export, or an empty one when it is missing or not an object."""
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def _text_field(record: dict[str, Any], key: str) -> str:
    """A field of an export as text ("" when missing): ids may be numbers in hand-made exports."""
    value = record.get(key)
    return "" if value is None or isinstance(value, dict | list) else str(value)


def _jsonl_messages(name: str, lines: Iterable[str], warn: Warn) -> Iterator[Message]:
    """The messages of JSONL lines, one by one as the lines come (stdin: as they arrive)."""
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        where = f"{name}:{number}"
        try:
            record = _parse_json(line)
        except ValueError as exc:
            warn(f"{where}: not valid JSON ({getattr(exc, 'msg', exc)}), line skipped")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            warn(f"{where}: no string 'text' field, line skipped")
            continue
        message_id = record.get("id")
        label = record.get("label")
        yield Message(
            id=number if message_id is None else message_id,
            text=record["text"],
            where=where,
            label=label if isinstance(label, str) else None,
            register=str(record.get("register") or ""),
            writer=str(record.get("writer") or ""),
        )


def load_messages(source: str, warn: Warn = _warn) -> list[Message]:
    """Every usable message of a JSONL file or a DiscordChatExporter export; bad entries warned."""
    name, content = _read_source(source)
    return _messages_in(name, content, warn)


def _messages_in(name: str, content: str, warn: Warn) -> list[Message]:
    export = _as_export(name, content)
    if export is not None:
        return list(_export_messages(name, export, warn))
    # split("\n"), not splitlines(): JSON strings may hold raw U+2028 and other line separators.
    return list(_jsonl_messages(name, content.split("\n"), warn))


def scan_input(source: str, warn: Warn = _warn) -> tuple[Iterable[Message], int | None]:
    """scan's messages and how many there are (None: not known before the end).

    JSONL on stdin is judged as its lines arrive (``tail -f chat.jsonl | python -m rules scan -``),
    so its count is not known; a file, or an export on stdin (one JSON document), is read whole.
    """
    if source != "-":
        messages = load_messages(source, warn)
        return messages, len(messages)
    lines = _stdin_lines()
    head: list[str] = []  # up to the first line with something on it, which tells JSONL from an export
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if head and _starts_a_document(head[-1].strip()):
        messages = _messages_in("<stdin>", "".join(itertools.chain(head, lines)), warn)
        return messages, len(messages)
    return _jsonl_messages("<stdin>", itertools.chain(head, lines), warn), None


def _stdin_lines() -> Iterator[str]:
    """stdin's lines as they arrive, each decoded as ``_read_source`` decodes a whole file."""
    stream = sys.stdin
    if not hasattr(stream, "buffer"):  # a text stream put in its place (tests)
        yield from iter(stream.readline, "")
        return
    # readline() splits at b"\n" only, like split("\n") above, and returns as soon as a line is in.
    for number, raw in enumerate(iter(stream.buffer.readline, b"")):
        yield raw.decode("utf-8-sig" if number == 0 else "utf-8", errors="replace")


def _starts_a_document(first_line: str) -> bool:
    """Whether stdin holds one JSON document (an export) rather than JSONL, told by its first
    line: ``{`` alone (pretty-printed, as DiscordChatExporter writes it) or a one-line export."""
    if first_line == "{":
        return True
    if not first_line.startswith("{"):
        return False
    try:
        record = _parse_json(first_line)
    except ValueError:
        return False  # a broken JSONL line: warned and skipped like any other
    return isinstance(record, dict) and isinstance(record.get("messages"), list)


# ---------------------------------------------------------------------------------------------
# Engine


def _load_engine(packs_dir: Path | None = None) -> Engine:
    """The one place the CLI builds its engine (tests patch this)."""
    return Engine.load(packs_dir) if packs_dir is not None else Engine.load()


def _platforms(engine: Engine, platform: str | None) -> tuple[str, ...] | None:
    if platform is None:
        return None
    if platform not in engine.platforms:
        raise InputError(f"unknown platform {platform!r} (known: {', '.join(engine.platforms)})")
    return (platform,)


def judge(engine: Engine, text: str, draft: bool, platforms: Sequence[str] | None) -> Verdict:
    return engine.draft(text, platforms) if draft else engine.community(text, platforms)


def _finding_record(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "span": list(finding.span),
        "rule_id": finding.rule_id,
        "masked": finding.masked,
    }


def verdict_record(verdict: Verdict, message_id: JsonId = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": message_id,
        "verdict": verdict.label,
        "topic": verdict.topic,
        "platform": verdict.platform,
        "confidence": verdict.confidence,
        "action": verdict.action,
        "stage": verdict.stage,
        "explanation": verdict.explanation,
        "findings": [_finding_record(f) for f in verdict.findings],
    }
    if verdict.mode == "draft":
        record["rewrite"] = verdict.rewrite
    return record


class Progress:
    """Count, rate and time left on stderr (never stdout), in a form that suits where it goes.

    On a terminal (``live``): a tqdm bar, redrawn at most every PROGRESS_TTY_SECONDS and taken
    off when done. Anywhere else (a log file, a pipe): no ``\\r`` at all, a plain line every
    PROGRESS_LOG_SECONDS, so a run shorter than that writes nothing, and a long one ends its log
    with the last count. A ``total`` of None is not known in advance (stdin, judged as it
    arrives): count and rate, no time left. ``Progress(0, "")`` shows nothing (callers use it to
    ask for no progress).
    """

    def __init__(
        self,
        total: int | None,
        verb: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,  # the log lines' clock; tqdm keeps its own
    ) -> None:
        self.total = total
        self.verb = verb
        self.stream = stream or sys.stderr
        self.enabled = total != 0
        self.live = _is_tty(self.stream)
        self._clock = clock
        self._started = clock()
        self._last_shown = self._started
        self._done = 0
        self._logged: int | None = None  # the count of the last line written to a log
        self._bar: tqdm | None = None
        if self.enabled and self.live:
            self._bar = tqdm(
                total=total,
                desc=verb,
                unit="msg",
                file=self.stream,
                mininterval=PROGRESS_TTY_SECONDS,  # read here, not at import, so tests can shorten it
                miniters=1,  # look at the clock at every message: stdin may bring one a minute
                position=0,  # one bar, on the bottom line
                leave=False,  # the caller prints its own figures after
                dynamic_ncols=True,
            )

    def update(self, done: int) -> None:
        self._done = done
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            return
        if not self.enabled:
            return
        now = self._clock()
        # Read the interval here, not as a default argument, so tests can shorten it.
        if now - self._last_shown < PROGRESS_LOG_SECONDS:
            return
        self._last_shown = now
        self._log(done, now)

    def line(self, done: int, elapsed: float) -> str:
        """``scanning 1200/5000 (24%), 310 msg/s, 12 s left``: rate and time left once known;
        ``scanning 1200, 310 msg/s`` when the total is not known."""
        if self.total is None:
            line = f"{self.verb} {done}"
        else:
            percent = 100 * done // self.total if self.total else 100
            line = f"{self.verb} {done}/{self.total} ({percent}%)"
        if done and elapsed > 0:
            rate = done / elapsed
            line += f", {format_rate(rate)}"
            if self.total is not None and done < self.total:
                line += f", {format_duration((self.total - done) / rate)} left"
        return line

    def write(self, text: str, out: TextIO) -> None:
        """Print a result to ``out`` (stdout). When that is a terminal too, as a rule the one the
        bar is on, the bar is taken off first and drawn again under the text: they never mix."""
        if self._bar is None or not _is_tty(out):
            out.write(text)
            return
        self._bar.clear()
        out.write(text)
        out.flush()
        self._bar.refresh()

    def clear(self) -> None:
        """Take the bar off the terminal until its next redraw, before a warning goes there."""
        if self._bar is not None:
            self._bar.clear()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # leave=False: the bar goes, the terminal is left clean
            self._bar = None
        elif self.enabled and not self.live and self._logged not in (None, self._done):
            self._log(self._done, self._clock())

    def _log(self, done: int, now: float) -> None:
        self.stream.write(self.line(done, now - self._started) + "\n")
        self.stream.flush()
        self._logged = done


def format_rate(per_second: float) -> str:
    return f"{per_second:.0f} msg/s" if per_second >= 10 else f"{per_second:.1f} msg/s"


def format_duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``2 h 07 min``: as precise as a person waiting needs."""
    whole = round(seconds)
    if seconds < 1:
        return f"{seconds:.2f} s"
    if whole < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@dataclass(frozen=True, slots=True)
class Judged:
    message: Message
    verdict: Verdict
    seconds: float


def judge_each(
    engine: Engine,
    messages: Iterable[Message],
    draft: bool,
    platforms: Sequence[str] | None,
    progress: Progress,
    failed: list[Message],
) -> Iterator[Judged]:
    """Verdicts as they come (stdin: as its lines arrive). A message the engine fails on is
    warned, added to ``failed``, skipped. The progress is closed at the end, or when stopped."""
    try:
        for done, message in enumerate(messages, start=1):
            started = time.perf_counter()
            try:
                verdict = judge(engine, message.text, draft, platforms)
            except Exception as exc:  # an engine bug must not stop a scan of a million messages
                failed.append(message)
                progress.clear()  # the warning gets a line of its own on a terminal
                _warn(
                    f"{message.where}: the engine failed on this message ({type(exc).__name__}: {exc}),"
                    " skipped"
                )
            else:
                yield Judged(message, verdict, time.perf_counter() - started)
            progress.update(done)
    finally:
        progress.close()


# ---------------------------------------------------------------------------------------------
# Commands


def cmd_check(args: argparse.Namespace) -> int:
    engine = _load_engine(args.packs)
    verdict = judge(engine, args.text, args.draft, _platforms(engine, args.platform))
    if args.json:
        record = verdict_record(verdict)
        if args.explain:
            record["clauses"] = [
                {"span": list(span), "effect": effect}
                for span, effect in engine.explain(args.text, verdict.mode)
            ]
        print(to_json_line(record))
    else:
        print("\n".join(format_verdict(verdict)))
        if args.explain:
            print("\n".join(format_explanation(engine, args.text, verdict)))
    return 0


def format_explanation(engine: Engine, text: str, verdict: Verdict) -> list[str]:
    """What moved the decision: each clause and how much leaving it out changes the flagged label."""
    flagged = "violation" if verdict.mode == "draft" else "encourages"
    lines = [f"stage:       {verdict.stage}", f"clauses, by how much leaving each out lowers p({flagged}):"]
    for (start, end), effect in engine.explain(text, verdict.mode):
        lines.append(f"  {effect:+.3f}  {one_line(' '.join(text[start:end].split()), 100)}")
    if verdict.stage == "prefilter":
        lines.append("  (the prefilter cleared it: none of the listed words, no contact shapes)")
    return lines


def format_verdict(verdict: Verdict) -> list[str]:
    lines = [
        f"verdict:     {verdict.label}",
        f"confidence:  {verdict.confidence:.3f}",
        f"action:      {verdict.action}",
        f"platform:    {verdict.platform}",
        f"topic:       {verdict.topic or '-'}",
        f"explanation: {printable(verdict.explanation) or '-'}",
    ]
    if verdict.findings:
        lines.append("findings:")
        for f in verdict.findings:
            lines.append(
                f"  {f.kind:<10} {f.rule_id:<28} {printable(f.masked):<24} span {f.span[0]}-{f.span[1]}"
            )
    else:
        lines.append("findings:    none")
    if verdict.mode == "draft":
        if verdict.rewrite is None:
            lines.append("rewrite:     - (nothing to change)")
        else:
            lines.append("rewrite:")
            lines.extend(f"  {line}" for line in printable(verdict.rewrite, keep_newlines=True).split("\n"))
    return lines


def cmd_scan(args: argparse.Namespace) -> int:
    if args.draft and args.action:
        raise InputError("--action picks community actions (drafts have none): with --draft use --flagged")
    engine = _load_engine(args.packs)
    platforms = _platforms(engine, args.platform)
    tally = ScanTally(
        source="<stdin>" if args.file == "-" else args.file,
        mode="draft" if args.draft else "community",
        flagged_only=args.flagged,
        actions=args.action,
    )

    def warn(message: str) -> None:  # a bad line of stdin can come while the bar is shown
        tally.skipped += 1
        progress.clear()
        _warn(message)

    progress = Progress(0, "")  # nothing to show while a file is read
    messages, total = scan_input(args.file, warn)
    streaming = total is None  # JSONL on stdin: each result goes out as soon as it is known
    progress = Progress(total, "scanning")
    failed: list[Message] = []
    started = time.monotonic()
    for item in judge_each(engine, messages, args.draft, platforms, progress, failed):
        if not tally.add(item.verdict):
            continue
        result = to_json_line(scan_record(item)) if args.json else "\n".join(format_scan_item(item))
        progress.write(result + "\n", sys.stdout)
        if streaming:
            sys.stdout.flush()
    tally.seconds = time.monotonic() - started
    tally.failed = len(failed)
    if args.json:
        sys.stdout.write(to_json_line({"summary": tally.record()}) + "\n")
    else:
        sys.stdout.write("\n".join(["", *format_scan_summary(tally)]) + "\n")
    sys.stdout.flush()
    if failed:
        read = tally.judged + tally.failed
        _error(f"the engine failed on {len(failed)} of {read} messages (see warnings)")
        return 1
    return 0


def acted_on(verdict: Verdict) -> bool:
    """What ``scan --flagged`` keeps: a message the bot acts on (any action but ``none``), or a
    draft that breaks the rules (drafts carry no action)."""
    return verdict.label == "violation" if verdict.mode == "draft" else verdict.action != "none"


def _action_list(value: str) -> tuple[str, ...]:
    """``--action warn,review``: known actions, in the order given (argparse reports a bad one)."""
    actions = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [action for action in actions if action not in ACTIONS]
    if unknown or not actions:
        raise argparse.ArgumentTypeError(
            f"unknown action {', '.join(unknown) or repr(value)}: use {', '.join(ACTIONS)}, comma-separated"
        )
    return actions


def _ordered(counts: Counter[str], known: Sequence[str]) -> dict[str, int]:
    """Counts under every known key in its order (zeros too, so the keys never vary), then any other."""
    ordered = {key: counts[key] for key in known}
    ordered.update(sorted((key, n) for key, n in counts.items() if key not in ordered))
    return ordered


def _counts(counts: dict[str, int] | Counter[str]) -> str:
    return ", ".join(f"{printable(key)} {n}" for key, n in counts.items()) or "-"


@dataclass(slots=True)
class ScanTally:
    """What the summary at the end of a scan reports, counted as the verdicts come."""

    source: str
    mode: str  # community | draft
    flagged_only: bool = False  # --flagged
    actions: tuple[str, ...] | None = None  # --action
    skipped: int = 0  # input entries skipped with a warning (not JSON, no text)
    failed: int = 0  # messages the engine failed on
    shown: int = 0
    seconds: float = 0.0
    by_action: Counter[str] = dataclass_field(default_factory=Counter)
    by_label: Counter[str] = dataclass_field(default_factory=Counter)
    by_stage: Counter[str] = dataclass_field(default_factory=Counter)
    flagged_platforms: Counter[str] = dataclass_field(default_factory=Counter)  # flagged = acted_on
    flagged_topics: Counter[str] = dataclass_field(default_factory=Counter)

    def add(self, verdict: Verdict) -> bool:
        """Count one verdict; True when the filters let it be shown."""
        self.by_action[verdict.action] += 1
        self.by_label[verdict.label] += 1
        self.by_stage[verdict.stage] += 1
        flagged = acted_on(verdict)
        if flagged:
            self.flagged_platforms[verdict.platform] += 1
            self.flagged_topics[verdict.topic or "-"] += 1
        shown = (flagged or not self.flagged_only) and (
            self.actions is None or verdict.action in self.actions
        )
        self.shown += shown
        return shown

    @property
    def judged(self) -> int:
        return sum(self.by_label.values())

    @property
    def flagged(self) -> int:
        return sum(self.flagged_platforms.values())

    @property
    def hidden_by(self) -> str:
        """The options that hid messages, as typed: ``--flagged --action warn,review``."""
        options = ["--flagged"] if self.flagged_only else []
        if self.actions is not None:
            options.append("--action " + ",".join(self.actions))
        return " ".join(options)

    @property
    def per_second(self) -> float:
        return self.judged / self.seconds if self.seconds > 0 else 0.0

    def record(self) -> dict[str, Any]:
        """The summary as one JSON object (the last line of ``scan --json``)."""
        return {
            "source": self.source,
            "mode": self.mode,
            "read": self.judged + self.failed,
            "judged": self.judged,
            "skipped": self.skipped,
            "failed": self.failed,
            "shown": self.shown,
            "hidden": self.judged - self.shown,
            "filter": {"flagged": self.flagged_only, "actions": list(self.actions) if self.actions else None},
            "actions": _ordered(self.by_action, ACTIONS),
            "labels": _ordered(self.by_label, DRAFT_LABELS if self.mode == "draft" else COMMUNITY_LABELS),
            "stages": _ordered(self.by_stage, STAGES),
            "flagged": {
                "total": self.flagged,
                "platforms": dict(self.flagged_platforms.most_common()),
                "topics": dict(self.flagged_topics.most_common()),
            },
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
        }


def format_scan_summary(tally: ScanTally) -> list[str]:
    """The summary after the results, for a moderator: what was read, decided, flagged, hidden."""
    record = tally.record()
    read = f"{record['read']} read in {format_duration(tally.seconds)} ({format_rate(tally.per_second)})"
    problems = [f"skipped {tally.skipped}"] if tally.skipped else []
    problems += [f"engine failed on {tally.failed}"] if tally.failed else []
    if problems:
        read += f"; {', '.join(problems)} (see warnings)"
    flagged = "violations" if tally.mode == "draft" else "flagged (warn, review or answer)"
    lines = [f"summary of {printable(tally.source)} ({tally.mode} mode)", f"  messages:  {read}"]
    if tally.mode == "community":  # drafts carry no action
        lines.append(f"  actions:   {_counts(record['actions'])}")
    lines += [
        f"  labels:    {_counts(record['labels'])}",
        f"  stages:    {_counts({stage: n for stage, n in record['stages'].items() if n})}",
        f"  {flagged}: {tally.flagged}",
    ]
    if tally.flagged:
        lines.append(f"    by platform: {_counts(record['flagged']['platforms'])}")
        lines.append(f"    by topic:    {_counts(record['flagged']['topics'])}")
    if tally.hidden_by:
        hidden = record["hidden"]
        lines.append(f"  shown:     {tally.shown} of {tally.judged}; {hidden} hidden by {tally.hidden_by}")
    return lines


def scan_record(item: Judged) -> dict[str, Any]:
    """``check --json``'s fields, plus author, channel and timestamp for a Discord export."""
    record = verdict_record(item.verdict, item.message.id)
    posted = item.message.posted
    if posted is not None:
        record["author"] = {"id": posted.author_id or None, "name": posted.author or None}
        record["channel"] = {"id": posted.channel_id or None, "name": posted.channel or None}
        record["timestamp"] = posted.timestamp or None
    return record


def format_scan_item(item: Judged) -> list[str]:
    """One result: what the bot would do, the id and who/where/when; the verdict; the text; findings.

    The first line starts with the action (the label for drafts), so ``grep ^warn`` finds warnings.
    """
    verdict, message = item.verdict, item.message
    decision = verdict.label if verdict.mode == "draft" else verdict.action
    head = [decision.ljust(9), printable(str(message.id))]
    if message.posted is not None:
        head += format_posted(message.posted)
    indent = " " * 11
    text = " ".join(message.text.split())  # an export's multi-line message on one line
    lines = [
        "  ".join(head),
        f"{indent}{verdict.label} ({verdict.confidence:.3f})  platform {verdict.platform}"
        f"  topic {verdict.topic or '-'}  stage {verdict.stage}",
        f"{indent}{one_line(text) if text else '(no text)'}",
    ]
    for f in verdict.findings:  # masked, as everywhere the CLI shows a finding
        span = f"{f.span[0]}-{f.span[1]}"
        lines.append(f"{indent}found: {f.kind} {f.rule_id} {printable(f.masked)} (span {span})")
    if verdict.rewrite is not None:
        lines.append(f"{indent}rewrite: {one_line(' '.join(verdict.rewrite.split()), 300)}")
    return lines


def format_posted(posted: Posted) -> list[str]:
    """``2026-03-01 14:22:05 UTC``, ``#general``, ``by alice (id 5)``: the parts the export has."""
    parts = []
    if posted.timestamp:
        parts.append(format_timestamp(posted.timestamp))
    if posted.channel:
        parts.append("#" + posted.channel)
    if posted.author or posted.author_id:
        parts.append(f"by {posted.author or '?'}" + (f" (id {posted.author_id})" if posted.author_id else ""))
    return [printable(part) for part in parts]


def format_timestamp(value: str) -> str:
    """An export's ISO 8601 time in UTC to the second, whatever offset the exporter used."""
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return moment.strftime("%Y-%m-%d %H:%M:%S")  # no offset given: its zone is unknown
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (ValueError, OverflowError):  # not ISO 8601, or year 1 pushed out of range
        return value  # shown as written


def cmd_eval(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.split is None):
        raise InputError("give a labelled FILE or --split train|validation|test (one of them)")
    engine = _load_engine(args.packs)
    platforms = _platforms(engine, args.platform)
    labels = DRAFT_LABELS if args.draft else COMMUNITY_LABELS
    source = args.file if args.file is not None else f"corpus {args.split} split"
    messages = _split_messages(args.split, args.draft) if args.split else load_messages(args.file)
    messages = _labelled(messages, labels, args.draft)
    if not messages:
        raise InputError(f"{source}: no lines with a label in {', '.join(labels)}")
    failed: list[Message] = []
    progress = Progress(len(messages), "evaluating")
    judged = list(judge_each(engine, messages, args.draft, platforms, progress, failed))
    gold = [item.message.label or "" for item in judged]
    predicted = [item.verdict.label for item in judged]
    metrics = compute_metrics(gold, predicted, labels)

    print(_timing_line(source, judged, "draft" if args.draft else "community"))
    if args.errors:
        print("\n".join(format_errors(judged)))
    flagged = labels[0]
    for field in ("register", "writer"):
        if len({getattr(item.message, field) for item in judged}) > 1:
            print("\n".join(format_groups(judged, field, labels)))
    print("\n".join(format_calibration(judged)))
    if not args.draft:
        print("\n".join(format_actions(judged)))
    print(f"stages: {format_stages(judged)}; flagged label: {flagged}")
    print("\n".join(format_metrics(metrics)))
    return 1 if failed else 0


@dataclass(frozen=True, slots=True)
class ContactCase:
    """One line of a contact set: a draft and whether it holds a contact detail."""

    id: JsonId
    text: str
    has_contact: bool
    category: str
    platform: str
    where: str


@dataclass(frozen=True, slots=True)
class ContactEval:
    """How ``Engine.draft`` finds contact details on a contact set (a finding whose kind is not
    "move" is a contact detail)."""

    cases: tuple[ContactCase, ...]
    misses: tuple[ContactCase, ...]  # has_contact, nothing found
    false_alarms: tuple[ContactCase, ...]  # no contact, something found

    @property
    def positives(self) -> int:
        return sum(case.has_contact for case in self.cases)

    @property
    def precision(self) -> float:
        found = self.positives - len(self.misses) + len(self.false_alarms)
        return _ratio(self.positives - len(self.misses), found)

    @property
    def recall(self) -> float:
        return _ratio(self.positives - len(self.misses), self.positives)


def load_contact_cases(source: str, warn: Warn = _warn) -> list[ContactCase]:
    """The lines of a contact set (JSONL: id, text, has_contact, category, platform); bad lines warned."""
    name, content = _read_source(source)
    cases = []
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        where = f"{name}:{number}"
        try:
            record = _parse_json(line)
        except ValueError as exc:
            warn(f"{where}: not valid JSON ({getattr(exc, 'msg', exc)}), line skipped")
            continue
        if not (
            isinstance(record, dict)
            and isinstance(record.get("text"), str)
            and isinstance(record.get("has_contact"), bool)
        ):
            warn(f"{where}: no string 'text' and boolean 'has_contact', line skipped")
            continue
        cases.append(
            ContactCase(
                id=record.get("id", number),
                text=record["text"],
                has_contact=record["has_contact"],
                category=str(record.get("category") or "-"),
                platform=str(record.get("platform") or ""),
                where=where,
            )
        )
    return cases


def evaluate_contacts(engine: Engine, cases: Sequence[ContactCase]) -> ContactEval:
    """Each case's draft through the engine, for its own platform when the packs know it."""
    misses, false_alarms = [], []
    for case in cases:
        platforms = (case.platform,) if case.platform in engine.platforms else None
        verdict = engine.draft(case.text, platforms)
        found = any(finding.kind != "move" for finding in verdict.findings)
        if case.has_contact and not found:
            misses.append(case)
        elif found and not case.has_contact:
            false_alarms.append(case)
    return ContactEval(tuple(cases), tuple(misses), tuple(false_alarms))


def format_contact_eval(source: str, result: ContactEval) -> list[str]:
    total, positives = len(result.cases), result.positives
    found = positives - len(result.misses)
    lines = [
        f"{source}: {total} drafts, {positives} with a contact detail, {total - positives} without",
        f"precision {result.precision:.3f} ({found} of {found + len(result.false_alarms)} flagged)",
        f"recall    {result.recall:.3f} ({found} of {positives} found)",
    ]
    for title, cases in (("misses", result.misses), ("false alarms", result.false_alarms)):
        lines.append(f"{title}: {len(cases)}")
        by_category: dict[str, list[ContactCase]] = {}
        for case in cases:
            by_category.setdefault(case.category, []).append(case)
        for category, group in sorted(by_category.items(), key=lambda item: (-len(item[1]), item[0])):
            lines.append(f"  {category}: {len(group)}")
            lines.extend(f"    [{case.id}] {one_line(case.text)}" for case in group)
    return lines


def cmd_eval_contacts(args: argparse.Namespace) -> int:
    cases = load_contact_cases(args.file)
    if not cases:
        raise InputError(f"{args.file}: no lines with 'text' and 'has_contact'")
    engine = _load_engine(args.packs)
    print("\n".join(format_contact_eval(args.file, evaluate_contacts(engine, cases))))
    return 0


def _split_messages(split: str, draft: bool) -> list[Message]:
    try:
        examples = corpus_files.split(corpus_files.load("draft" if draft else "community"))[split]
    except (OSError, corpus_files.CorpusError) as exc:
        raise InputError(f"corpus: {exc}") from None
    return [
        Message(e.id, e.text, f"corpus:{e.id}", e.label, register=e.register, writer=e.writer)
        for e in examples
    ]


def format_groups(judged: Sequence[Judged], field: str, labels: Sequence[str]) -> list[str]:
    """Precision / recall of each non-``none`` label, per register or per writer."""
    groups: dict[str, list[Judged]] = {}
    for item in judged:
        groups.setdefault(getattr(item.message, field) or "-", []).append(item)
    shown = [label for label in labels if label not in ("none", "ok")]
    header = f"{('by ' + field).ljust(14)}{'n':>6}" + "".join(
        f"{label + ' P':>14}{'R':>7}" for label in shown
    )
    lines = [header + f"{'accuracy':>10}"]
    for name in sorted(groups):
        items = groups[name]
        metrics = compute_metrics(
            [i.message.label or "" for i in items], [i.verdict.label for i in items], labels
        )
        cells = "".join(
            f"{metrics.scores[label].precision:14.3f}{metrics.scores[label].recall:7.3f}" for label in shown
        )
        lines.append(f"{name[:14].ljust(14)}{len(items):6d}{cells}{metrics.accuracy:10.3f}")
    lines.append("")
    return lines


def format_calibration(judged: Sequence[Judged]) -> list[str]:
    """Confidence bins against how often the label was right (a calibrated model matches them)."""
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]
    lines = ["calibration (model-decided messages):  confidence      n   mean conf   accuracy"]
    decided = [item for item in judged if item.verdict.stage == "model"]
    error = 0.0
    for low, high in bins:
        items = [i for i in decided if low <= i.verdict.confidence < high]
        if not items:
            continue
        mean = sum(i.verdict.confidence for i in items) / len(items)
        right = sum(i.verdict.label == i.message.label for i in items) / len(items)
        error += abs(mean - right) * len(items)
        lines.append(f"{'':40}{low:.2f}-{min(high, 1.0):.2f} {len(items):6d} {mean:11.3f} {right:10.3f}")
    if decided:
        lines.append(f"{'':40}expected calibration error {error / len(decided):.3f}")
    lines.append("")
    return lines


def format_actions(judged: Sequence[Judged]) -> list[str]:
    """What members and moderators would see: warnings, review items, answers."""

    def count(action: str, gold: str | None = None) -> int:
        return sum(
            1 for i in judged if i.verdict.action == action and (gold is None or i.message.label == gold)
        )

    advice = sum(1 for i in judged if i.message.label == "encourages")
    questions = sum(1 for i in judged if i.message.label == "asks")
    not_advice = len(judged) - advice
    warned, reviewed, answered = count("warn"), count("review"), count("answer")
    false_warnings = warned - count("warn", "encourages")
    lines = [
        "actions: " + ", ".join(f"{action} {count(action)}" for action in ACTIONS),
        f"  warn precision (advice among warnings)     {_ratio(count('warn', 'encourages'), warned):.3f}"
        f"  ({count('warn', 'encourages')}/{warned})",
        f"  advice warned                              {_ratio(count('warn', 'encourages'), advice):.3f}",
        f"  advice caught by warn + review             "
        f"{_ratio(count('warn', 'encourages') + count('review', 'encourages'), advice):.3f}",
        f"  review items that are advice               {_ratio(count('review', 'encourages'), reviewed):.3f}"
        f"  ({reviewed} items)",
        f"  false public warnings on non-advice        {_ratio(false_warnings, not_advice):.3f}"
        f"  ({false_warnings}/{not_advice})",
        f"  questions answered                         {_ratio(count('answer', 'asks'), questions):.3f}"
        f"  (answer precision {_ratio(count('answer', 'asks'), answered):.3f})",
        "",
    ]
    return lines


def format_stages(judged: Sequence[Judged]) -> str:
    stages: dict[str, int] = {}
    for item in judged:
        stages[item.verdict.stage] = stages.get(item.verdict.stage, 0) + 1
    return ", ".join(f"{name} {number}" for name, number in sorted(stages.items()))


def _labelled(messages: list[Message], labels: Sequence[str], draft: bool) -> list[Message]:
    usable = [m for m in messages if m.label in labels]
    skipped = len(messages) - len(usable)
    if skipped:
        hint = "" if draft else " (drafts file? use --draft)"
        _warn(f"{skipped} lines have no label in {', '.join(labels)}; skipped{hint}")
    return usable


def _timing_line(source: str, judged: Sequence[Judged], mode: str) -> str:
    total = sum(item.seconds for item in judged)
    slowest = max(judged, key=lambda item: item.seconds, default=None)
    line = f"{source}: {len(judged)} messages, mode {mode}, {total:.2f} s"
    if slowest is not None:
        line += f" ({1000 * total / len(judged):.2f} ms/message, slowest {1000 * slowest.seconds:.1f} ms"
        line += f" id {slowest.message.id})"
    return printable(line)


def format_errors(judged: Sequence[Judged]) -> list[str]:
    wrong = [item for item in judged if item.verdict.label != item.message.label]
    lines = [f"misclassified ({len(wrong)}):"]
    for item in wrong:
        lines.append(
            f"{printable(str(item.message.id))}  gold={item.message.label}  predicted={item.verdict.label}"
            f"  {one_line(item.message.text)}"
        )
    lines.append("")
    return lines


def cmd_test(args: argparse.Namespace) -> int:
    engine = _load_engine(args.packs)
    total = 0
    failures: list[str] = []
    for platform in engine.platforms:
        pack = engine.pack(platform)
        for example in pack.examples:
            total += 1
            verdict = judge(engine, example.text, example.mode == "draft", (pack.id,))
            if verdict.label != example.expect:
                failures.append(
                    f"{_display_path(pack.path)}:{example.line}: expected {example.expect},"
                    f" got {verdict.label}: {one_line(example.text)}"
                )
    for failure in failures:
        print(failure)
    packs = len(engine.platforms)
    print(f"{total} examples in {packs} packs: {total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def _display_path(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path


# ---------------------------------------------------------------------------------------------
# Entry point


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--packs", type=Path, metavar="DIR", help="policy packs directory (default: rules/packs)"
    )

    parser = argparse.ArgumentParser(
        prog="python -m rules", description="GigGuard's off-platform contact detector."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", parents=[common], help="judge one text")
    check.add_argument("text")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=cmd_check)

    scan = commands.add_parser(
        "scan", parents=[common], help="judge every message of a file or a Discord export, then a summary"
    )
    scan.add_argument(
        "file",
        help="JSONL with a 'text' field, a DiscordChatExporter JSON export, or - for stdin"
        " (JSONL there is judged line by line as it arrives)",
    )
    scan.add_argument(
        "--json", action="store_true", help='one JSON object per message, then one {"summary": ...}'
    )
    scan.add_argument(
        "--flagged",
        action="store_true",
        help="show only messages the bot acts on (action not none; drafts: violations)",
    )
    scan.add_argument(
        "--action",
        type=_action_list,
        metavar="A[,A...]",
        help=f"show only these actions ({', '.join(ACTIONS)}), e.g. --action warn,review",
    )
    scan.set_defaults(handler=cmd_scan)

    evaluate = commands.add_parser("eval", parents=[common], help="precision/recall on a labelled JSONL file")
    evaluate.add_argument(
        "file",
        nargs="?",
        help="JSONL with 'text', 'label' and 'id' fields (optional 'register', 'writer'), or -",
    )
    evaluate.add_argument(
        "--split", choices=corpus_files.SPLITS, help="evaluate a split of the corpus instead"
    )
    evaluate.add_argument("--errors", action="store_true", help="list every misclassified line")
    evaluate.set_defaults(handler=cmd_eval)
    check.add_argument(
        "--explain", action="store_true", help="show what moved the decision, clause by clause"
    )

    train = commands.add_parser(
        "train", help="fine-tune the models on the corpus (needs requirements-train.txt)"
    )
    train.set_defaults(handler=cmd_train)
    _add_train_arguments(train)

    for sub in (check, scan, evaluate):
        sub.add_argument("--draft", action="store_true", help="draft mode: violation / ok")
        sub.add_argument("--platform", metavar="P", help="judge for this pack only (default: all packs)")

    contacts = commands.add_parser(
        "eval-contacts",
        parents=[common],
        help="precision/recall of contact details in drafts on a contact set",
    )
    contacts.add_argument(
        "file", help="JSONL with 'text', 'has_contact' and optional 'id', 'category', 'platform', or -"
    )
    contacts.set_defaults(handler=cmd_eval_contacts)

    test = commands.add_parser("test", parents=[common], help="run every pack's [[examples]]")
    test.set_defaults(handler=cmd_test)
    return parser


def _add_train_arguments(parser: argparse.ArgumentParser) -> None:
    from rules import train

    train.add_arguments(parser)


def cmd_train(args: argparse.Namespace) -> int:
    try:
        from rules import train
    except ImportError as exc:
        raise InputError(f"training needs pip install -r requirements-train.txt ({exc})") from None
    return train.main(args)


def _silence_stdout() -> None:
    # After a closed pipe (`... | head`), stop Python's own flush at exit from complaining.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help or a usage error: argparse already printed why
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return args.handler(args)
    except (PackError, InputError, ModelError) as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
