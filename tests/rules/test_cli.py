"""The detector's command line (rules/cli.py): check, scan, eval, test.

Most tests give the CLI a fake engine (rules.cli._load_engine is patched) so they check the
plumbing, whatever the real engine's accuracy is today. One subprocess test runs the real
``python -m rules`` with the real packs.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from rules import Finding, PolicyPack, Verdict, cli
from rules.cli import compute_metrics, main
from rules.model import PackExample, Source

REPO = Path(__file__).resolve().parents[2]


class FakeEngine:
    """Judges by keyword: 'whatsapp' encourages / violates, '?' asks. Records every call."""

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
        platform = platforms[0] if platforms else "fiverr"
        topic = "messaging" if label != "none" else None
        action = {"encourages": "warn", "asks": "answer"}.get(label, "none")
        return Verdict(
            "community", label, topic, platform, findings, f"fake says {label}", None, 0.875, action, "model"
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


def test_scan_jsonl_keeps_ids_and_writes_one_object_per_message(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [{"id": "m-1", "text": "find me on whatsapp"}, {"id": "m-2", "text": "is that allowed?"}],
    )
    assert main(["scan", str(source)]) == 0
    records = _output_records(capsys.readouterr().out)
    assert [(r["id"], r["verdict"], r["topic"], r["platform"]) for r in records] == [
        ("m-1", "encourages", "messaging", "fiverr"),
        ("m-2", "asks", "messaging", "fiverr"),
    ]
    assert records[0]["findings"][0]["rule_id"] == "messaging.whatsapp"
    assert "rewrite" not in records[0]


def test_scan_without_ids_numbers_messages_by_line(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"text": "hello"}, "", {"text": "whatsapp me"}])
    assert main(["scan", "--draft", str(source)]) == 0
    records = _output_records(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in records] == [(1, "ok"), (3, "violation")]
    assert records[1]["rewrite"] == "Let's keep talking here on Fiverr."
    assert records[0]["rewrite"] is None


def test_scan_reads_a_discord_chat_exporter_export(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = {
        "guild": {"id": "1", "name": "Freelancers"},
        "channel": {"id": "2", "name": "general"},
        "messages": [
            {"id": "9001", "type": "Default", "content": "ping me on whatsapp", "author": {"id": "5"}},
            {"id": "9002", "type": "Default", "content": "", "attachments": [{"url": "x.png"}]},
            {"id": "9003", "type": "Default", "content": "can I email buyers?"},
        ],
        "messageCount": 3,
    }
    source = tmp_path / "export.json"
    source.write_text(json.dumps(export, indent=2), encoding="utf-8")
    assert main(["scan", str(source)]) == 0
    records = _output_records(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in records] == [
        ("9001", "encourages"),
        ("9002", "none"),
        ("9003", "asks"),
    ]


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
    assert main(["scan", str(source)]) == 0
    captured = capsys.readouterr()
    assert [r["id"] for r in _output_records(captured.out)] == ["a", "d"]
    assert f"{source}:2: not valid JSON" in captured.err
    assert f"{source}:3: no string 'text' field" in captured.err
    assert "Traceback" not in captured.err


def test_scan_output_stays_valid_json_for_surrogates_and_nul(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "odd.jsonl"
    source.write_text('{"id": "x", "text": "\\ud800\\u0000 whatsapp"}\n', encoding="utf-8")
    assert main(["scan", str(source)]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # nothing unencodable reached stdout
    [record] = _output_records(out)
    assert record["findings"][0]["masked"] == "w******p \ud800\x00 "


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
    assert main(["scan", str(source)]) == 1
    captured = capsys.readouterr()
    assert [r["id"] for r in _output_records(captured.out)] == ["b"]
    assert f"{source}:1: the engine failed on this message (RuntimeError: engine bug)" in captured.err
    assert "the engine failed on 1 of 2 messages" in captured.err


def test_scan_missing_file_is_a_clear_error(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "/no/such/file.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "cannot read /no/such/file.jsonl" in err
    assert "Traceback" not in err


def test_scan_reads_stdin(
    engine: FakeEngine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": 7, "text": "whatsapp?"}\n'))
    assert main(["scan", "-"]) == 0
    assert [(r["id"], r["verdict"]) for r in _output_records(capsys.readouterr().out)] == [(7, "encourages")]


def test_scan_shows_progress_on_stderr_for_large_files(
    engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _jsonl(tmp_path / "big.jsonl", [{"text": f"message {n}"} for n in range(1001)])
    assert main(["scan", str(source)]) == 0
    captured = capsys.readouterr()
    assert "\rscanning 1001/1001 (100%)" in captured.err
    assert len(_output_records(captured.out)) == 1001  # progress never mixes into stdout

    small = _jsonl(tmp_path / "small.jsonl", [{"text": "one"}])
    assert main(["scan", str(small)]) == 0
    assert capsys.readouterr().err == ""  # not a terminal, few messages: no progress


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
