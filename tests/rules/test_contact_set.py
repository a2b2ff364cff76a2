"""The contact set (tests/rules/data/contact_set.jsonl): drafts, half of them look-alikes, each
labelled with whether it holds a contact detail. ``python -m rules eval-contacts FILE`` prints the
same figures with the misses and false alarms by category.

Measured for issue 11 (2026-12-07, 416 drafts, 205 with a contact detail):

- before (commit 8c24adc): precision 0.905 (153 of 169 flagged), recall 0.746 (153 of 205);
- after: precision 0.969 (187 of 193 flagged), recall 0.912 (187 of 205).

Both are under the 0.97 target, so the floors below are the measured figures. Recall cannot
reach 0.97 by finding details: 10 of the 18 misses name no detail at all ("my email is in my
profile photo", "same name as my Fiverr username", "Google 'Harlow Voice Studio'"); they are
the draft model's to flag (a "move" finding), and a "move" finding is not a contact detail
here. The rest: scrambled digits (2), a bare name after "username" or "mine is" (2), a dotted
name before "at gmail", an ending the public suffix list does not know ("crumbandco.bakery"),
a seven-digit number alone in a signature, "same name as here: DesignByDee". Of the 6 false
alarms, 4 are bare links to third-party sites (figma.com, fonts.google.com) and 2 are the
client's own details with a cue the deliverable check does not know ("invitation proof").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Engine
from rules.cli import ContactEval, evaluate_contacts, format_contact_eval, load_contact_cases, main

CONTACT_SET = Path(__file__).parent / "data" / "contact_set.jsonl"
TARGET = 0.97
MIN_PRECISION = min(TARGET, 187 / 193)  # measured: 0.969
MIN_RECALL = min(TARGET, 187 / 205)  # measured: 0.912


@pytest.fixture(scope="module")
def result(engine: Engine) -> ContactEval:
    if not CONTACT_SET.exists():
        pytest.skip(f"{CONTACT_SET} is not there")
    return evaluate_contacts(engine, load_contact_cases(str(CONTACT_SET)))


def _report(result: ContactEval) -> str:
    return "\n".join(format_contact_eval(str(CONTACT_SET), result))


def test_contact_set_precision(result: ContactEval) -> None:
    assert result.precision >= MIN_PRECISION, _report(result)


def test_contact_set_recall(result: ContactEval) -> None:
    assert result.recall >= MIN_RECALL, _report(result)


def test_eval_contacts_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "set.jsonl"
    source.write_text(
        '{"id": "a", "text": "write to sam@acme.club", "has_contact": true, "category": "email"}\n'
        '{"id": "b", "text": "logo.ai and notes.md attached", "has_contact": false, "category": "files"}\n'
        '{"id": "c", "text": "see you in the order", "has_contact": true, "category": "nothing"}\n'
        "not json\n",
        encoding="utf-8",
    )
    assert main(["eval-contacts", str(source)]) == 0
    captured = capsys.readouterr()
    assert "3 drafts, 2 with a contact detail, 1 without" in captured.out
    assert "precision 1.000 (1 of 1 flagged)" in captured.out
    assert "recall    0.500 (1 of 2 found)" in captured.out
    assert "misses: 1\n  nothing: 1\n    [c] see you in the order" in captured.out
    assert "not valid JSON" in captured.err


def test_eval_contacts_needs_labelled_lines(tmp_path: Path) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text('{"text": "no label"}\n', encoding="utf-8")
    assert main(["eval-contacts", str(source)]) == 2
