"""The detector's command line: ``python -m rules check|scan|eval|test`` (see README, "Detector CLI").

Only the public API of ``rules`` is used here. Whatever the input (huge, NUL bytes, lone
surrogates, broken JSON lines), the CLI answers or explains; it never shows a traceback.
Exit codes: 0 done, 1 failures found (``test``) or messages the engine could not judge,
2 unusable input (missing file, broken pack, unknown platform, bad arguments).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from rules import Engine, Finding, ModelError, PackError, Verdict
from rules import corpus as corpus_files
from rules.model import ACTIONS, COMMUNITY_LABELS, DRAFT_LABELS

JsonId = str | int | float | None
Warn = Callable[[str], None]

PROGRESS_MIN_MESSAGES = 1000  # above this the progress bar shows even when stderr is not a terminal
ERROR_TEXT_LIMIT = 160


class InputError(Exception):
    """Input the CLI cannot use at all (missing file, not JSONL nor an export). Exit code 2."""


@dataclass(frozen=True, slots=True)
class Message:
    id: JsonId
    text: str
    where: str  # "FILE:LINE" or "FILE:messages[N]", for warnings
    label: str | None = None
    register: str = ""
    writer: str = ""


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


def _as_export(name: str, content: str) -> list[Any] | None:
    """The ``messages`` list when the content is one JSON object of a DiscordChatExporter export."""
    if not content.lstrip().startswith("{"):
        return None
    try:
        data = _parse_json(content)
    except ValueError:
        return None  # JSONL: several objects, one a line
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return data["messages"]
    if isinstance(data, dict) and content.strip().count("\n"):
        raise InputError(
            f"{name}: a JSON object without a 'messages' list is not a DiscordChatExporter export"
        )
    return None


def _export_messages(name: str, items: list[Any], warn: Warn) -> Iterable[Message]:
    for index, item in enumerate(items):
        where = f"{name}:messages[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("content"), str):
            warn(f"{where}: no string 'content', skipped")
            continue
        yield Message(id=item.get("id", index + 1), text=item["content"], where=where)


def _jsonl_messages(name: str, content: str, warn: Warn) -> Iterable[Message]:
    # split("\n"), not splitlines(): JSON strings may hold raw U+2028 and other line separators.
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
    export = _as_export(name, content)
    if export is not None:
        return list(_export_messages(name, export, warn))
    return list(_jsonl_messages(name, content, warn))


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
    """A plain \\r-updated counter on stderr, for large inputs or an interactive terminal."""

    def __init__(self, total: int, verb: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.verb = verb
        self.stream = stream or sys.stderr
        self.enabled = total > PROGRESS_MIN_MESSAGES or _is_tty(self.stream)
        self._last_time = 0.0
        self._shown = -1

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or done == self._shown or (now - self._last_time < 0.1 and done < self.total):
            return
        self._last_time, self._shown = now, done
        percent = 100 * done // self.total if self.total else 100
        self.stream.write(f"\r{self.verb} {done}/{self.total} ({percent}%)")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.update(self.total)
            self.stream.write("\n")
            self.stream.flush()


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
    messages: Sequence[Message],
    draft: bool,
    platforms: Sequence[str] | None,
    progress: Progress,
    failed: list[Message],
) -> Iterator[Judged]:
    """Verdicts as they come. A message the engine fails on is warned, added to ``failed``, skipped."""
    for done, message in enumerate(messages, start=1):
        started = time.perf_counter()
        try:
            verdict = judge(engine, message.text, draft, platforms)
        except Exception as exc:  # an engine bug must not stop a scan of a million messages
            failed.append(message)
            _warn(
                f"{message.where}: the engine failed on this message ({type(exc).__name__}: {exc}), skipped"
            )
        else:
            yield Judged(message, verdict, time.perf_counter() - started)
        progress.update(done)
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
    engine = _load_engine(args.packs)
    platforms = _platforms(engine, args.platform)
    messages = load_messages(args.file)
    progress = Progress(len(messages), "scanning")
    progress.enabled &= not _is_tty(sys.stdout)  # JSON lines scrolling by are progress enough
    failed: list[Message] = []
    for item in judge_each(engine, messages, args.draft, platforms, progress, failed):
        sys.stdout.write(to_json_line(verdict_record(item.verdict, item.message.id)) + "\n")
    sys.stdout.flush()
    if failed:
        _error(f"the engine failed on {len(failed)} of {len(messages)} messages (see warnings)")
        return 1
    return 0


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

    scan = commands.add_parser("scan", parents=[common], help="judge every message of a file, JSONL out")
    scan.add_argument(
        "file", help="JSONL with a 'text' field, a DiscordChatExporter JSON export, or - for stdin"
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
