"""devtools.equivalence: a speed change that alters any output must be caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools import equivalence

TEXTS = [
    "thanks all, delivered my first logo today",
    "just ask the buyer for their whatsapp, works every time",
    "is it allowed to email my client after the order?",
    "my email is sam.design@gmail.com",
]


def test_differences_name_the_inputs_whose_output_changed() -> None:
    before = {"a": "x", "b": "y"}
    assert equivalence.differences("judge", before, {"a": "x", "b": "z"}) == ["b"]
    assert equivalence.differences("judge", before, dict(before)) == []


def test_the_prefilter_may_clear_less_but_never_more() -> None:
    before = {"chat": True, "advice": False}
    assert equivalence.differences("prefilter", before, {"chat": False, "advice": False}) == []
    assert equivalence.differences("prefilter", before, {"chat": True, "advice": True}) == ["advice"]


def test_outputs_cover_every_stage() -> None:
    found = equivalence.outputs(equivalence.STAGES, TEXTS, TEXTS[-1:])
    assert set(found) == set(equivalence.STAGES)
    assert found["prefilter"][TEXTS[0]] is True
    assert "encourages" in str(found["community"][TEXTS[1]])
    assert "sam" not in str(found["community"][TEXTS[3]])  # verdicts hold masked details only
    assert "violation" in str(found["draft"][TEXTS[3]])


def test_check_fails_when_a_stage_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.pkl"
    assert equivalence.main(["record", str(baseline), "--stream-size", "50"]) == 0
    assert equivalence.main(["check", str(baseline), "prefilter", "--stream-size", "50"]) == 0
    monkeypatch.setattr(equivalence, "looks_clean", lambda _text: True)  # a prefilter that clears all
    assert equivalence.main(["check", str(baseline), "prefilter", "--stream-size", "50"]) == 1
    assert "prefilter:" in capsys.readouterr().out


def test_unknown_stage_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        equivalence.main(["check", str(tmp_path / "none.pkl"), "speed"])


def test_an_input_missing_now_is_a_difference_not_a_crash() -> None:
    assert equivalence.differences("judge", {"gone": "x"}, {}) == ["gone"]
    assert equivalence.differences("prefilter", {"gone": False}, {}) == []  # nothing newly cleared
