"""The detector's command line (rules/cli.py): check, scan, eval, test.

Most tests give the CLI a fake engine (rules.cli._load_engine is patched) so they check the
plumbing, whatever the real engine's accuracy is today. One subprocess test runs the real
``python -m rules`` with the real packs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from tqdm import tqdm

from rules import Finding, PolicyPack, Verdict, cli
from rules.cli import compute_metrics, main
from rules.model import PackExample, Source

REPO = Path(__file__).resolve().parents[2]


class FakeEngine:
    """Judges by keyword: 'whatsapp' encourages / violates, '?' asks. Records every call.

    Like the real engine, a text naming Upwork is judged for Upwork, 'email' makes the topic
    email, and ordinary chat (label none) is cleared by the prefilter.
    """

    def __init__(self, examples: Sequence[PackExample] = ()) -> None:
        self.platforms = ("fiverr", "upwork")
        self.default_platform = "fiverr"
        self.calls: list[tuple[str, str, tuple[str, ...] | None]] = []
        self.examples = tuple(examples)

    def _finding(self, text: str) -> tuple[Finding, ...]:
        start = text.lower().find("whatsapp")
        if start < 0:
            return ()
        # The masked form echoes the text around the hit, so odd input reaches the output.
        return (Finding("channel", (start, start + 8), "messaging.whatsapp", "w******p " + text[:3]),)

    def community(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        self.calls.append(("community", text, tuple(platforms) if platforms else None))
        findings = self._finding(text)
        label = "encourages" if findings else "asks" if "?" in text else "none"
        platform = platforms[0] if platforms else "upwork" if "upwork" in text.lower() else "fiverr"
        topic = None if label == "none" else "email" if "email" in text.lower() else "messaging"
        action = {"encourages": "warn", "asks": "answer"}.get(label, "none")
        stage = "prefilter" if label == "none" else "model"
        return Verdict(
            "community", label, topic, platform, findings, f"fake says {label}", None, 0.875, action, stage
        )  # type: ignore[arg-type]

    def explain(self, text: str, mode: str = "community") -> list[tuple[tuple[int, int], float]]:
        """Clauses split at '. '; a clause with 'whatsapp' moved the decision by 0.6."""
        clauses, start = [], 0
        for piece in text.split(". "):
            clauses.append(((start, start + len(piece)), 0.6 if "whatsapp" in piece else 0.0))
            start += len(piece) + 2
        return sorted(clauses, key=lambda item: -item[1])

    def draft(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        self.calls.append(("draft", text, tuple(platforms) if platforms else None))
        findings = self._finding(text)
        label = "violation" if findings else "ok"
        rewrite = "Let's keep talking here on Fiverr." if findings else None
        platform = platforms[0] if platforms else "fiverr"
        return Verdict("draft", label, "messaging" if findings else None, platform, findings, "fake", rewrite)

    def pack(self, platform: str) -> PolicyPack:
        return PolicyPack(
            id=platform,
            name=platform.title(),
            path=f"rules/packs/{platform}.toml",
            aliases=(platform,),
            last_checked=dt.date(2026, 1, 1),
            sources=(Source("terms", "https://example.com"),),
            topics={},
            examples=self.examples if platform == "fiverr" else (),
        )


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(cli, "_load_engine", lambda packs_dir=None: fake)
    return fake


def _jsonl(path: Path, records: Sequence[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _output_records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line]


# --- check -----------------------------------------------------------------------------------


def test_check_prints_a_readable_verdict(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "add me on whatsapp"]) == 0
    out = capsys.readouterr().out
    assert "verdict:     encourages" in out
    assert "platform:    fiverr" in out
    assert "topic:       messaging" in out
    assert "explanation: fake says encourages" in out
    assert "channel" in out
    assert "messaging.whatsapp" in out
    assert "w******p add" in out
    assert "span 10-18" in out
    assert "rewrite" not in out  # community verdicts have no rewrite


def test_check_json_is_one_object_with_the_contract_fields(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--json", "add me on whatsapp"]) == 0
    [record] = _output_records(capsys.readouterr().out)
    assert record == {
        "id": None,
        "verdict": "encourages",
        "topic": "messaging",
        "platform": "fiverr",
        "confidence": 0.875,
        "action": "warn",
        "stage": "model",
        "explanation": "fake says encourages",
        "findings": [
            {"kind": "channel", "span": [10, 18], "rule_id": "messaging.whatsapp", "masked": "w******p add"}
        ],
    }


def test_check_draft_shows_the_rewrite(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--draft", "my whatsapp is below"]) == 0
    out = capsys.readouterr().out
    assert "verdict:     violation" in out
    assert "Let's keep talking here on Fiverr." in out

    assert main(["check", "--draft", "--json", "my whatsapp is below"]) == 0
    [record] = _output_records(capsys.readouterr().out)
    assert record["verdict"] == "violation"
    assert record["rewrite"] == "Let's keep talking here on Fiverr."


def test_check_passes_the_platform_and_rejects_unknown_ones(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--platform", "upwork", "hello"]) == 0
    assert engine.calls[-1] == ("community", "hello", ("upwork",))
    assert "platform:    upwork" in capsys.readouterr().out

    assert main(["check", "--platform", "etsy", "hello"]) == 2
    err = capsys.readouterr().err
    assert "unknown platform 'etsy'" in err
    assert "fiverr, upwork" in err


def test_check_survives_nul_bytes_and_lone_surrogates(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = "\x00\ud800\x1b[31m whatsapp"
    assert main(["check", odd]) == 0
    out = capsys.readouterr().out
    assert "\\x00\\ud800\\x1b" in out  # shown escaped, not written raw to the terminal
    assert "\x1b" not in out

    assert main(["check", "--json", odd]) == 0
    [record] = _output_records(capsys.readouterr().out)
    assert record["findings"][0]["masked"] == "w******p \x00\ud800\x1b"  # the escape keeps it intact


def test_bad_arguments_exit_2_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["check"]) == 2


# --- scan ------------------------------------------------------------------------------------


def _scan_json(out: str) -> tuple[list[dict], dict]:
    """``scan --json`` output: every line is one JSON object; the last is the summary."""
    lines = out.splitlines()
    records = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    *messages, last = records
    assert list(last) == ["summary"]
    assert all("summary" not in record for record in messages)
    return messages, last["summary"]


def _scan_text(out: str) -> tuple[list[str], list[str]]:
    """``scan`` text output: (result lines, summary lines), split at the blank line between them."""
    lines = out.splitlines()
    blank = lines.index("")
    return lines[:blank], lines[blank + 1 :]


# Fake verdicts: warn (fiverr, messaging), warn (upwork), answer (email), none, none.
MIXED = [
    {"id": "m1", "text": "find me on whatsapp"},
    {"id": "m2", "text": "upwork folks, whatsapp me"},
    {"id": "m3", "text": "can I email buyers?"},
    {"id": "m4", "text": "hello"},
    {"id": "m5", "text": "nice weather today"},
]


def _export(tmp_path: Path) -> Path:
    export = {
        "guild": {"id": "1", "name": "Freelancers"},
        "channel": {"id": "2", "name": "general"},
        "messages": [
            {
                "id": "9001",
                "type": "Default",
                "timestamp": "2026-03-01T15:22:05.123+01:00",
                "content": "ping me on whatsapp",
                "author": {"id": "5", "name": "alice"},
            },
            {"id": "9002", "type": "Default", "content": "", "attachments": [{"url": "x.png"}]},
            {
                "id": "9003",
                "type": "Default",
                "timestamp": "2026-03-01T14:30:00+00:00",
                "content": "can I email buyers?\nasking for a friend",
                "author": {"id": "6", "name": "bob"},
            },
        ],
        "messageCount": 3,
    }
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export, indent=2), encoding="utf-8")
    return source


def test_scan_text_shows_each_result_then_a_summary(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", str(source)]) == 0
    results, summary = _scan_text(capsys.readouterr().out)
    # Each result starts with the action, so `grep ^warn` finds the warnings.
    assert [line.split()[:2] for line in results if not line.startswith(" ")] == [
        ["warn", "m1"],
        ["warn", "m2"],
        ["answer", "m3"],
        ["none", "m4"],
        ["none", "m5"],
    ]
    assert results[1].split() == [
        "encourages", "(0.875)", "platform", "fiverr", "topic", "messaging", "stage", "model"
    ]  # fmt: skip
    assert results[2].strip() == "find me on whatsapp"
    assert results[3].strip() == "found: channel messaging.whatsapp w******p fin (span 11-19)"
    assert summary[0] == f"summary of {source} (community mode)"
    assert summary[1].startswith("  messages:  5 read in ")
    assert summary[1].endswith(" msg/s)")
    assert summary[2:] == [
        "  actions:   warn 2, review 0, answer 1, none 2",
        "  labels:    encourages 2, asks 1, none 2",
        "  stages:    prefilter 2, model 3",
        "  flagged (warn, review or answer): 3",
        "    by platform: fiverr 2, upwork 1",
        "    by topic:    messaging 2, email 1",
    ]  # nothing hidden, so no "shown" line


def test_scan_json_summary_is_the_last_line_with_the_same_counts(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", "--json", str(source)]) == 0
    records, summary = _scan_json(capsys.readouterr().out)
    assert [r["id"] for r in records] == ["m1", "m2", "m3", "m4", "m5"]
    assert summary["seconds"] >= 0
    assert summary["per_second"] >= 0
    del summary["seconds"], summary["per_second"]
    assert summary == {
        "source": str(source),
        "mode": "community",
        "read": 5,
        "judged": 5,
        "skipped": 0,
        "failed": 0,
        "shown": 5,
        "hidden": 0,
        "filter": {"flagged": False, "actions": None},
        "actions": {"warn": 2, "review": 0, "answer": 1, "none": 2},
        "labels": {"encourages": 2, "asks": 1, "none": 2},
        "stages": {"prefilter": 2, "lexical": 0, "model": 3, "contacts": 0},
        "flagged": {
            "total": 3,
            "platforms": {"fiverr": 2, "upwork": 1},
            "topics": {"messaging": 2, "email": 1},
        },
    }


def test_scan_flagged_hides_none_verdicts_and_says_how_many(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", "--flagged", str(source)]) == 0
    out = capsys.readouterr().out
    results, summary = _scan_text(out)
    assert [line.split()[:2] for line in results if not line.startswith(" ")] == [
        ["warn", "m1"],
        ["warn", "m2"],
        ["answer", "m3"],
    ]
    assert "hello" not in out
    assert "nice weather" not in out
    assert "  actions:   warn 2, review 0, answer 1, none 2" in summary  # counts cover everything read
    assert summary[-1] == "  shown:     3 of 5; 2 hidden by --flagged"

    assert main(["scan", "--json", "--flagged", str(source)]) == 0
    records, json_summary = _scan_json(capsys.readouterr().out)
    assert [r["id"] for r in records] == ["m1", "m2", "m3"]
    assert all(r["action"] != "none" for r in records)
    assert (json_summary["shown"], json_summary["hidden"]) == (3, 2)
    assert json_summary["filter"] == {"flagged": True, "actions": None}


def test_scan_action_picks_the_actions_to_show(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", "--json", "--action", "answer,none", str(source)]) == 0
    records, summary = _scan_json(capsys.readouterr().out)
    assert [(r["id"], r["action"]) for r in records] == [("m3", "answer"), ("m4", "none"), ("m5", "none")]
    assert summary["filter"] == {"flagged": False, "actions": ["answer", "none"]}

    assert main(["scan", "--action", "warn", str(source)]) == 0
    _, text_summary = _scan_text(capsys.readouterr().out)
    assert text_summary[-1] == "  shown:     2 of 5; 3 hidden by --action warn"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--action", "warn,bogus"], "unknown action bogus"),
        (["--action", ","], "unknown action ','"),
        (["--draft", "--action", "warn"], "with --draft use --flagged"),
    ],
)
def test_scan_rejects_an_unusable_action_filter(
    engine: FakeEngine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", *arguments, str(source)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_scan_flagged_drafts_are_the_violations(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "drafts.jsonl", [{"text": "thanks!"}, {"text": "my whatsapp is below"}])
    assert main(["scan", "--draft", "--flagged", str(source)]) == 0
    results, summary = _scan_text(capsys.readouterr().out)
    assert results[0].split() == ["violation", "2"]
    assert results[-1].strip() == "rewrite: Let's keep talking here on Fiverr."
    assert "thanks" not in "\n".join(results)
    assert summary[0].endswith("(draft mode)")
    assert not any(line.startswith("  actions:") for line in summary)  # drafts carry no action
    assert "  labels:    violation 1, ok 1" in summary
    assert "  violations: 1" in summary
    assert summary[-1] == "  shown:     1 of 2; 1 hidden by --flagged"


def test_scan_jsonl_keeps_ids_and_writes_one_object_per_message(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [{"id": "m-1", "text": "find me on whatsapp"}, {"id": "m-2", "text": "is that allowed?"}],
    )
    assert main(["scan", "--json", str(source)]) == 0
    records, _ = _scan_json(capsys.readouterr().out)
    assert [(r["id"], r["verdict"], r["topic"], r["platform"]) for r in records] == [
        ("m-1", "encourages", "messaging", "fiverr"),
        ("m-2", "asks", "messaging", "fiverr"),
    ]
    assert records[0]["findings"][0]["rule_id"] == "messaging.whatsapp"
    assert "rewrite" not in records[0]
    # Plain JSONL has no author, channel or time: nothing is made up.
    assert not {"author", "channel", "timestamp"} & set(records[0])


def test_scan_without_ids_numbers_messages_by_line(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"text": "hello"}, "", {"text": "whatsapp me"}])
    assert main(["scan", "--draft", "--json", str(source)]) == 0
    records, _ = _scan_json(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in records] == [(1, "ok"), (3, "violation")]
    assert records[1]["rewrite"] == "Let's keep talking here on Fiverr."
    assert records[0]["rewrite"] is None


def test_scan_shows_who_posted_where_and_when_from_a_discord_export(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _export(tmp_path)
    assert main(["scan", str(source)]) == 0
    results, _ = _scan_text(capsys.readouterr().out)
    heads = [line for line in results if not line.startswith(" ")]
    # The time in UTC whatever offset the exporter used; the channel from the top of the export.
    assert heads == [
        "warn       9001  2026-03-01 14:22:05 UTC  #general  by alice (id 5)",
        "none       9002  #general",  # no author, no time: only what the export has
        "answer     9003  2026-03-01 14:30:00 UTC  #general  by bob (id 6)",
    ]
    shown = [line.strip() for line in results]
    assert "can I email buyers? asking for a friend" in shown  # a multi-line message on one line
    assert "(no text)" in shown

    assert main(["scan", "--json", str(source)]) == 0
    records, _ = _scan_json(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in records] == [
        ("9001", "encourages"),
        ("9002", "none"),
        ("9003", "asks"),
    ]
    assert records[0]["author"] == {"id": "5", "name": "alice"}
    assert records[0]["channel"] == {"id": "2", "name": "general"}
    assert records[0]["timestamp"] == "2026-03-01T15:22:05.123+01:00"  # as exported, nothing lost
    assert records[1]["author"] == {"id": None, "name": None}
    assert records[1]["timestamp"] is None


def test_scan_survives_odd_export_metadata(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = {
        "channel": "general",  # not an object: no channel shown
        "messages": [
            {
                "id": 1,
                "content": "hi",
                "author": {"id": 5, "name": "\x1b[31mmallory"},
                "timestamp": "yesterday",
            },
            {"id": 2, "content": "hi", "author": "bob", "timestamp": "0001-01-01T00:00:00+05:00"},
        ],
    }
    source = tmp_path / "odd.json"
    source.write_text(json.dumps(export), encoding="utf-8")
    assert main(["scan", str(source)]) == 0
    captured = capsys.readouterr()
    heads = [line for line in captured.out.splitlines() if line.startswith("none")]
    assert heads == [
        "none       1  yesterday  by \\x1b[31mmallory (id 5)",  # shown as written, escaped
        "none       2  0001-01-01T00:00:00+05:00",
    ]
    assert "Traceback" not in captured.err

    assert main(["scan", "--json", str(source)]) == 0
    records, _ = _scan_json(capsys.readouterr().out)
    assert records[0]["author"] == {"id": "5", "name": "\x1b[31mmallory"}
    assert records[1]["channel"] == {"id": None, "name": None}


@pytest.mark.parametrize("terminal", [True, False])
def test_scan_shows_a_tqdm_bar_on_stderr_only_on_a_terminal(
    engine: FakeEngine,
    bars: list[tqdm],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    terminal: bool,
) -> None:
    stdout, stderr = FakeTerminal(), FakeTerminal()
    for stream in (stdout, stderr):
        monkeypatch.setattr(stream, "isatty", lambda: terminal)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setattr(cli, "PROGRESS_TTY_SECONDS", 0.0)  # redraw at every message
    source = _jsonl(tmp_path / "in.jsonl", MIXED)
    assert main(["scan", "--flagged", str(source)]) == 0
    out, err = stdout.getvalue(), stderr.getvalue()
    assert "\r" not in out
    assert "scanning" not in out  # progress never mixes into stdout
    results, _ = _scan_text(out)
    assert [line.split()[:2] for line in results if not line.startswith(" ")] == [
        ["warn", "m1"],
        ["warn", "m2"],
        ["answer", "m3"],
    ]
    if not terminal:  # a log: no bar, and a scan this short writes no progress line either
        assert bars == []
        assert err == ""
        return
    [bar] = bars
    assert (bar.total, bar.n, bar.desc) == (5, 5, "scanning")
    assert re.search(r"\rscanning: 100%\|[^|]*\| 5/5 \[\d\d:\d\d<00:00, [\d.]+msg/s\]", err)
    assert err.endswith("\r")  # the bar is taken off at the end: the summary starts on a clean line


def test_scan_skips_a_bad_line_with_a_warning_and_goes_on(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "text": "hi"},
            '{"id": "b", "text": "broken',
            {"id": "c"},
            {"id": "d", "text": "whatsapp"},
        ],
    )
    assert main(["scan", "--json", str(source)]) == 0
    captured = capsys.readouterr()
    records, summary = _scan_json(captured.out)
    assert [r["id"] for r in records] == ["a", "d"]
    assert (summary["read"], summary["skipped"]) == (2, 2)
    assert f"{source}:2: not valid JSON" in captured.err
    assert f"{source}:3: no string 'text' field" in captured.err
    assert "Traceback" not in captured.err

    assert main(["scan", str(source)]) == 0
    _, text_summary = _scan_text(capsys.readouterr().out)
    assert "; skipped 2 (see warnings)" in text_summary[1]


def test_scan_output_stays_valid_json_for_surrogates_and_nul(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "odd.jsonl"
    source.write_text('{"id": "x", "text": "\\ud800\\u0000 whatsapp"}\n', encoding="utf-8")
    assert main(["scan", "--json", str(source)]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # nothing unencodable reached stdout
    [record], _ = _scan_json(out)
    assert record["findings"][0]["masked"] == "w******p \ud800\x00 "

    assert main(["scan", str(source)]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")
    assert "\\ud800\\x00 whatsapp" in out  # the text view shows them escaped
    assert "\x00" not in out


def test_scan_goes_on_when_the_engine_fails_on_one_message(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    judge_normally = engine.community

    def community(text: str, platforms: Sequence[str] | None = None) -> Verdict:
        if text == "boom":
            raise RuntimeError("engine bug")
        return judge_normally(text, platforms)

    monkeypatch.setattr(engine, "community", community)
    source = _jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "boom"}, {"id": "b", "text": "whatsapp"}])
    assert main(["scan", "--json", str(source)]) == 1
    captured = capsys.readouterr()
    records, summary = _scan_json(captured.out)
    assert [r["id"] for r in records] == ["b"]
    assert (summary["read"], summary["judged"], summary["failed"]) == (2, 1, 1)
    assert f"{source}:1: the engine failed on this message (RuntimeError: engine bug)" in captured.err
    assert "the engine failed on 1 of 2 messages" in captured.err

    assert main(["scan", str(source)]) == 1
    _, text_summary = _scan_text(capsys.readouterr().out)
    assert "2 read in " in text_summary[1]
    assert text_summary[1].endswith("; engine failed on 1 (see warnings)")


def test_scan_missing_file_is_a_clear_error(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "/no/such/file.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "cannot read /no/such/file.jsonl" in err
    assert "Traceback" not in err


def test_scan_reads_stdin(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": 7, "text": "whatsapp?"}\n'))
    assert main(["scan", "--json", "-"]) == 0
    records, summary = _scan_json(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in records] == [(7, "encourages")]
    assert summary["source"] == "<stdin>"


class TrickleStdin:
    """stdin handing out one line per readline(), noting what stdout held each time it was asked."""

    def __init__(self, lines: Sequence[str], stdout: io.StringIO) -> None:
        self.lines = list(lines)
        self.stdout = stdout
        self.stdout_when_asked: list[str] = []

    def readline(self) -> str:
        self.stdout_when_asked.append(self.stdout.getvalue())
        return self.lines.pop(0) if self.lines else ""


def test_scan_of_stdin_prints_each_result_before_reading_the_next_line(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout = io.StringIO()
    lines = [json.dumps(record) + "\n" for record in (MIXED[0], MIXED[3], MIXED[2])]  # warn, none, answer
    stdin = TrickleStdin(lines, stdout)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["scan", "--json", "--flagged", "-"]) == 0
    asked = stdin.stdout_when_asked  # stdout before each line was read, and before the end (EOF)
    assert len(asked) == 4
    assert asked[0] == ""
    assert [r["id"] for r in _output_records(asked[1])] == ["m1"]  # out before line 2 was read
    assert asked[2] == asked[1]  # m4 is hidden by --flagged
    assert [r["id"] for r in _output_records(asked[3])] == ["m1", "m3"]
    assert "summary" not in asked[3]  # the summary waits for the end of stdin
    records, summary = _scan_json(stdout.getvalue())
    assert [r["id"] for r in records] == ["m1", "m3"]
    assert (summary["read"], summary["shown"], summary["source"]) == (3, 2, "<stdin>")


def test_scan_of_stdin_decodes_bytes_line_by_line_like_a_file(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        b'\xef\xbb\xbf{"id": 1, "text": "whats\xffapp"}\n'  # a byte order mark, a byte that is not UTF-8
        b"\n"
        b"not json\n"
        b'{"id": 3, "text": "hi\xe2\x80\xa8there"}\n'  # U+2028 inside the text
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))  # with .buffer, as the real one
    assert main(["scan", "--json", "-"]) == 0
    captured = capsys.readouterr()
    records, summary = _scan_json(captured.out)
    assert [r["id"] for r in records] == [1, 3]  # byte order mark dropped; U+2028 splits no line
    assert (summary["read"], summary["skipped"]) == (2, 1)
    assert "<stdin>:3: not valid JSON" in captured.err  # line numbers count blank lines, as in a file


def test_scan_of_an_export_on_stdin_reads_it_whole(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pretty = _export(tmp_path).read_text(encoding="utf-8")  # "{" alone on the first line
    one_line = json.dumps(json.loads(pretty))
    for export in (pretty, one_line):
        monkeypatch.setattr(sys, "stdin", io.StringIO(export))
        assert main(["scan", "--json", "-"]) == 0
        captured = capsys.readouterr()
        records, summary = _scan_json(captured.out)
        assert [r["author"]["name"] for r in records] == ["alice", None, "bob"]
        assert (summary["read"], summary["skipped"]) == (3, 0)
        assert captured.err == ""


def test_scan_progress_in_a_log_is_plain_lines_never_carriage_returns(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"text": f"message {n}"} for n in range(3)])
    assert main(["scan", str(source)]) == 0
    assert capsys.readouterr().err == ""  # shorter than the log interval: no progress at all

    monkeypatch.setattr(cli, "PROGRESS_LOG_SECONDS", 0.0)  # a line at every message
    assert main(["scan", "--json", str(source)]) == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.err
    lines = captured.err.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "scanning 1/3 (33%)",
        "scanning 2/3 (66%)",
        "scanning 3/3 (100%)",
    ]
    assert all("msg/s" in line for line in lines)
    assert "left" in lines[0]
    assert "scanning" not in captured.out  # progress never mixes into stdout
    _scan_json(captured.out)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def bars(monkeypatch: pytest.MonkeyPatch) -> list[tqdm]:
    """Every tqdm bar the CLI makes, in order."""
    made: list[tqdm] = []

    class RecordedTqdm(tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(cli, "tqdm", RecordedTqdm)
    return made


def _last_drawn(terminal: io.StringIO) -> str:
    """What a terminal shows on the bar's line: the last text drawn after a carriage return."""
    return [part for part in terminal.getvalue().split("\r") if part.strip()][-1].rstrip()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_progress_on_a_terminal_is_a_tqdm_bar_with_rate_and_time_left(
    bars: list[tqdm], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "PROGRESS_TTY_SECONDS", 0.0)  # redraw at every update
    terminal = FakeTerminal()
    progress = cli.Progress(1000, "scanning", terminal)
    [bar] = bars
    assert bar.fp == terminal  # stderr (given here), never stdout
    time.sleep(0.01)  # some time passes, so that there is a rate
    progress.update(500)
    assert bar.n == 500
    # Count, percentage, elapsed<left, rate.
    assert re.fullmatch(
        r"scanning:  50%\|#+ *\| 500/1000 \[\d\d:\d\d<\d\d:\d\d, [\d.]+msg/s\]", _last_drawn(terminal)
    )
    progress.close()
    assert terminal.getvalue().endswith("\r")  # taken off: the caller's figures start on a clean line
    assert "\n" not in terminal.getvalue()


def test_progress_on_a_terminal_without_a_total_shows_count_and_rate_but_no_time_left(
    bars: list[tqdm], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "PROGRESS_TTY_SECONDS", 0.0)
    terminal = FakeTerminal()
    progress = cli.Progress(None, "scanning", terminal)  # stdin, judged as it arrives
    time.sleep(0.01)
    progress.update(3)
    assert re.fullmatch(r"scanning: 3msg \[\d\d:\d\d, [\d.]+msg/s\]", _last_drawn(terminal))
    progress.close()
    assert bars[0].total is None


def test_progress_write_takes_the_bar_off_a_shared_terminal_and_draws_it_again_below(
    bars: list[tqdm], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "PROGRESS_TTY_SECONDS", 0.0)
    terminal = FakeTerminal()  # results and the bar on one terminal
    progress = cli.Progress(10, "scanning", terminal)
    progress.update(1)
    progress.write("warn       m1\n", terminal)
    before, after = terminal.getvalue().split("warn       m1\n")
    assert re.search(r"\| 1/10 .*\r *\r$", before)  # the bar drawn, then blanked out
    assert after.startswith("\rscanning:  10%")  # and drawn again under the result
    progress.close()

    # Results to a file or a pipe leave the bar alone.
    terminal, results = FakeTerminal(), io.StringIO()
    progress = cli.Progress(10, "scanning", terminal)
    shown = terminal.getvalue()
    progress.write("warn       m1\n", results)
    assert (terminal.getvalue(), results.getvalue()) == (shown, "warn       m1\n")
    progress.close()


def test_progress_elsewhere_is_never_a_tqdm_bar(bars: list[tqdm]) -> None:
    log = io.StringIO()  # isatty() is False: a log file or a pipe
    progress = cli.Progress(1000, "scanning", log)
    progress.update(500)
    progress.close()
    assert bars == []
    assert not progress.live


def test_progress_in_a_log_writes_a_line_every_interval() -> None:
    log, clock = io.StringIO(), FakeClock()
    progress = cli.Progress(99, "evaluating", log, clock)
    for done in range(1, 100):
        clock.now += 0.5  # 2 messages a second: 49.5 s in all
        progress.update(done)
    progress.close()
    assert "\r" not in log.getvalue()
    assert log.getvalue().splitlines() == [
        "evaluating 20/99 (20%), 2.0 msg/s, 40 s left",
        "evaluating 40/99 (40%), 2.0 msg/s, 30 s left",
        "evaluating 60/99 (60%), 2.0 msg/s, 20 s left",
        "evaluating 80/99 (80%), 2.0 msg/s, 9.5 s left",
        "evaluating 99/99 (100%), 2.0 msg/s",  # on close: a log ends with the last count
    ]


def test_progress_in_a_log_without_a_total_writes_count_and_rate() -> None:
    log, clock = io.StringIO(), FakeClock()
    progress = cli.Progress(None, "scanning", log, clock)
    for done in range(1, 26):
        clock.now += 0.5
        progress.update(done)
    progress.close()
    assert log.getvalue().splitlines() == [
        "scanning 20, 2.0 msg/s",
        "scanning 25, 2.0 msg/s",  # on close
    ]


def test_progress_of_nothing_shows_nothing(bars: list[tqdm]) -> None:
    # rules/train.py asks for no progress with Progress(0, "").
    terminal = FakeTerminal()
    progress = cli.Progress(0, "", terminal, FakeClock())
    progress.update(5)
    progress.write("a result\n", terminal)
    progress.close()
    assert terminal.getvalue() == "a result\n"
    assert bars == []


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.012, "0.01 s"), (4.25, "4.2 s"), (42.4, "42 s"), (185, "3 min 05 s"), (7620, "2 h 07 min")],
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert cli.format_duration(seconds) == shown


# --- eval ------------------------------------------------------------------------------------


def test_compute_metrics_matches_hand_computed_figures() -> None:
    gold = ["encourages", "encourages", "encourages", "asks", "asks", "none", "none", "none"]
    predicted = ["encourages", "encourages", "none", "asks", "encourages", "none", "none", "asks"]
    metrics = compute_metrics(gold, predicted, ("encourages", "asks", "none"))
    # encourages: TP 2, predicted 3, gold 3 -> P 2/3, R 2/3
    assert metrics.scores["encourages"].precision == pytest.approx(2 / 3)
    assert metrics.scores["encourages"].recall == pytest.approx(2 / 3)
    # asks: TP 1, predicted 2, gold 2 -> P 0.5, R 0.5
    assert metrics.scores["asks"].precision == pytest.approx(0.5)
    assert metrics.scores["asks"].recall == pytest.approx(0.5)
    # none: TP 2, predicted 3, gold 3
    assert metrics.scores["none"].f1 == pytest.approx(2 / 3)
    assert metrics.scores["none"].support == 3
    assert metrics.accuracy == pytest.approx(5 / 8)
    assert metrics.confusion[("asks", "encourages")] == 1
    assert metrics.confusion[("encourages", "none")] == 1
    assert metrics.confusion[("none", "encourages")] == 0


def test_compute_metrics_scores_a_never_predicted_label_zero() -> None:
    metrics = compute_metrics(["violation", "ok"], ["ok", "ok"], ("violation", "ok"))
    assert metrics.scores["violation"] == cli.LabelScore(0.0, 0.0, 0.0, 1)
    assert metrics.scores["ok"].precision == pytest.approx(0.5)
    assert metrics.scores["ok"].recall == pytest.approx(1.0)
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        compute_metrics(["ok", "ok"], ["ok"], ("violation", "ok"))


def _labelled_file(tmp_path: Path) -> Path:
    # Fake engine: 'whatsapp' -> encourages, '?' -> asks, else none.
    return _jsonl(
        tmp_path / "labelled.jsonl",
        [
            {"id": "e1", "text": "use whatsapp", "label": "encourages"},  # right
            {"id": "e2", "text": "whatsapp is best", "label": "encourages"},  # right
            {"id": "e3", "text": "email them " + "x" * 300, "label": "encourages"},  # missed -> none
            {"id": "a1", "text": "allowed?", "label": "asks"},  # right
            {"id": "a2", "text": "whatsapp allowed?", "label": "asks"},  # -> encourages
            {"id": "n1", "text": "hello", "label": "none"},  # right
            {"id": "n2", "text": "nice day?", "label": "none"},  # -> asks
        ],
    )


def test_eval_prints_hand_computed_precision_and_recall_last(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(_labelled_file(tmp_path))]) == 0
    lines = capsys.readouterr().out.splitlines()
    # encourages: TP 2, predicted 3, gold 3 -> 0.667 / 0.667; asks: TP 1, predicted 2, gold 2 -> 0.5 / 0.5;
    # none: TP 1, predicted 2, gold 2 -> 0.5 / 0.5; accuracy 4/7.
    assert lines[-4].split() == ["encourages", "0.667", "0.667", "0.667", "3"]
    assert lines[-3].split() == ["asks", "0.500", "0.500", "0.500", "2"]
    assert lines[-2].split() == ["none", "0.500", "0.500", "0.500", "2"]
    assert lines[-1].split() == ["accuracy", "0.571", "(4/7)"]
    # Confusion matrix just above: rows gold, columns predicted.
    assert lines[-10].split() == ["gold", "\\", "pred", "encourages", "asks", "none"]
    assert lines[-9].split() == ["encourages", "2", "0", "1"]
    assert lines[-8].split() == ["asks", "1", "1", "0"]
    assert lines[-7].split() == ["none", "0", "1", "1"]
    assert "misclassified" not in "\n".join(lines)


def test_eval_shows_what_members_and_moderators_would_see(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(_labelled_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    # Fake actions: encourages -> warn (3, of which 2 advice), asks -> answer (2, of which 1 question).
    assert "actions: warn 3, review 0, answer 2, none 2" in out
    assert "warn precision (advice among warnings)     0.667  (2/3)" in out
    assert "false public warnings on non-advice        0.250  (1/4)" in out
    assert "questions answered                         0.500  (answer precision 0.500)" in out
    assert "calibration (model-decided messages)" in out
    assert "expected calibration error" in out


def test_eval_by_register_and_writer(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(
        tmp_path / "registers.jsonl",
        [
            {"text": "use whatsapp", "label": "encourages", "register": "chat", "writer": "w1"},
            {"text": "email them", "label": "encourages", "register": "forum", "writer": "w2"},
            {"text": "hello", "label": "none", "register": "forum", "writer": "w2"},
        ],
    )
    assert main(["eval", str(source)]) == 0
    lines = capsys.readouterr().out.splitlines()
    chat = next(line for line in lines if line.startswith("chat "))
    forum = next(line for line in lines if line.startswith("forum "))
    assert chat.split()[:4] == ["chat", "1", "1.000", "1.000"]  # n, encourages P, R
    assert forum.split()[:4] == ["forum", "2", "0.000", "0.000"]
    assert any(line.startswith("by writer") for line in lines)


def test_eval_needs_a_file_or_a_split(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 2
    assert "--split" in capsys.readouterr().err


def test_check_explain_lists_clauses_by_effect(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--explain", "hi there. add me on whatsapp"]) == 0
    out = capsys.readouterr().out
    assert "confidence:  0.875" in out
    assert "action:      warn" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("clauses"))
    assert lines[start + 1].split() == ["+0.600", "add", "me", "on", "whatsapp"]
    assert lines[start + 2].split() == ["+0.000", "hi", "there"]


def test_check_explain_json_carries_the_clauses(
    engine: FakeEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--json", "--explain", "hi there. add me on whatsapp"]) == 0
    [record] = _output_records(capsys.readouterr().out)
    assert record["clauses"][0] == {"span": [10, 28], "effect": 0.6}


def test_eval_errors_lists_each_miss_on_one_line_before_the_table(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--errors", str(_labelled_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    start = lines.index("misclassified (3):")
    errors = lines[start + 1 : start + 4]
    assert [line.split()[:3] for line in errors] == [
        ["e3", "gold=encourages", "predicted=none"],
        ["a2", "gold=asks", "predicted=encourages"],
        ["n2", "gold=none", "predicted=asks"],
    ]
    assert errors[0].endswith("x" * 149 + "…")  # text cut to 160 characters
    assert lines[-1].startswith("accuracy")


def test_eval_draft_uses_violation_and_ok(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(
        tmp_path / "drafts.jsonl",
        [
            {"id": "d1", "text": "my whatsapp", "label": "violation"},
            {"id": "d2", "text": "call me: 555 0100", "label": "violation"},
            {"id": "d3", "text": "thanks!", "label": "ok"},
        ],
    )
    assert main(["eval", "--draft", str(source)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # violation: TP 1, predicted 1, gold 2 -> P 1.0, R 0.5; ok: TP 1, predicted 2, gold 1 -> P 0.5, R 1.0
    assert lines[-3].split() == ["violation", "1.000", "0.500", "0.667", "2"]
    assert lines[-2].split() == ["ok", "0.500", "1.000", "0.667", "1"]
    assert all(call[0] == "draft" for call in engine.calls)


def test_eval_of_a_drafts_file_in_community_mode_says_to_use_draft(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "drafts.jsonl", [{"id": "d1", "text": "hi", "label": "ok"}])
    assert main(["eval", str(source)]) == 2
    assert "use --draft" in capsys.readouterr().err


# --- test ------------------------------------------------------------------------------------


def test_test_command_reports_failing_examples_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeEngine(
        [
            PackExample("community", "text me on whatsapp", "encourages", 40),
            PackExample("draft", "my whatsapp: 555", "violation", 50),
            PackExample("community", "is email allowed", "asks", 60),  # fake says none
        ]
    )
    monkeypatch.setattr(cli, "_load_engine", lambda packs_dir=None: fake)
    assert main(["test"]) == 1
    out = capsys.readouterr().out
    assert "rules/packs/fiverr.toml:60: expected asks, got none: is email allowed" in out
    assert "3 examples in 2 packs: 2 passed, 1 failed" in out
    assert ("draft", "my whatsapp: 555", ("fiverr",)) in fake.calls  # judged for its own pack


def test_test_command_exits_0_when_every_example_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeEngine([PackExample("community", "hello", "none", 10)])
    monkeypatch.setattr(cli, "_load_engine", lambda packs_dir=None: fake)
    assert main(["test"]) == 0
    assert "1 examples in 2 packs: 1 passed, 0 failed" in capsys.readouterr().out


def test_a_broken_pack_is_named_with_its_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "broken"\nname = "Broken"\nlast_checked = [\n', encoding="utf-8")
    assert main(["check", "--packs", str(tmp_path), "hello"]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:" in err
    assert "invalid TOML" in err
    assert "Traceback" not in err


# --- the module entry point ------------------------------------------------------------------


def test_python_dash_m_rules_check_runs_with_the_real_packs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rules", "check", "--json", "hello everyone, happy Monday"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["verdict"] == "none"
    assert record["platform"] in ("fiverr", "upwork", "freelancer", "peopleperhour")


def test_python_dash_m_rules_scan_of_an_export_writes_json_and_no_carriage_returns(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rules", "scan", "--json", str(_export(tmp_path))],
        cwd=REPO,
        capture_output=True,  # stderr is a pipe, as with a log file
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    records, summary = _scan_json(result.stdout)
    assert [r["author"]["name"] for r in records] == ["alice", None, "bob"]
    assert summary["read"] == 3
    assert sum(summary["actions"].values()) == 3


def test_python_dash_m_rules_scan_of_stdin_answers_each_line_before_stdin_is_closed() -> None:
    # As `tail -f chat.jsonl | python -m rules scan -`: the pipe stays open, results must not wait.
    # Without PYTHONUNBUFFERED, stdout to a pipe is block-buffered unless scan flushes it.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "rules", "scan", "--json", "-"],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue[str] = queue.Queue()

    def read_stdout() -> None:
        for line in process.stdout:
            lines.put(line)

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    try:
        process.stdin.write(json.dumps({"id": "live-1", "text": "hello everyone, happy Monday"}) + "\n")
        process.stdin.flush()
        try:
            first = json.loads(lines.get(timeout=60))
        except queue.Empty:
            pytest.fail("no result within 60 s of the first line, with stdin still open")
        assert (first["id"], first["verdict"]) == ("live-1", "none")
        assert process.poll() is None  # still reading stdin

        process.stdin.write(json.dumps({"id": "live-2", "text": "good morning all"}) + "\n")
        process.stdin.close()  # EOF: now the summary
        assert process.wait(timeout=60) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    records, summary = _scan_json("".join(rest))
    assert [r["id"] for r in records] == ["live-2"]
    assert (summary["read"], summary["source"]) == (2, "<stdin>")
    assert "\r" not in process.stderr.read()  # stderr is a pipe: no bar
