"""The contact sets (tests/rules/data/contact_set*.jsonl): drafts, about half of them
look-alikes, each labelled with whether it holds a contact detail (or exact directions to one:
"same username on Telegram", "my number is on the PDF cover"). Three writers wrote them from a
brief, never reading the finder's code (corpus/briefs/contact_set_*.md for cs2 and cs3).
``python -m rules eval-contacts FILE`` prints the same figures with misses and false alarms.

Measured for issue 11 (2026-12-07), precision / recall:

| set | drafts | hand lists (8c24adc) | maintained data (ab9dc52) | with pointers (now) |
|---|---|---|---|---|
| cs1 | 416 | 0.905 / 0.746 | 0.969 / 0.912 | 0.980 / 0.961 |
| cs2 | 352 | - | 0.977 / 0.737 | 0.994 / 0.936 |
| cs3 | 413 | - | 0.926 / 0.665 | 0.937 / 0.791 |

cs1 and cs2 were read while the finder was improved (cs2 only after its "maintained data"
figures were taken), so their last column is not independent. cs3 was written while the pointer
finder was built and measured once, when it was done: its last column is the honest figure. All
are under the 0.97 target, so the floors below are the measured figures. What cs3 still misses
is a long tail, one trick each (a phone written as a sum, a handle in a hashtag, a Discord or
Signal username, pinyin for WeChat, a domain with spaces); 6 of its 11 false alarms are links to
well-known third-party sites named as a reference (a font, stock photos, a video).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules import Engine
from rules.cli import ContactEval, evaluate_contacts, format_contact_eval, load_contact_cases, main

DATA = Path(__file__).parent / "data"
TARGET = 0.97
# (file, measured precision, measured recall): floors, since each is under the target.
SETS = [
    ("contact_set.jsonl", 197 / 201, 197 / 205),
    ("contact_set_2.jsonl", 160 / 161, 160 / 171),
    ("contact_set_3.jsonl", 163 / 174, 163 / 206),
]


@pytest.fixture(scope="module", params=SETS, ids=[name for name, _, _ in SETS])
def measured(request: pytest.FixtureRequest, engine: Engine) -> tuple[str, ContactEval, float, float]:
    name, precision, recall = request.param
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not there")
    return str(path), evaluate_contacts(engine, load_contact_cases(str(path))), precision, recall


def test_contact_set_precision(measured: tuple[str, ContactEval, float, float]) -> None:
    path, result, precision, _ = measured
    assert result.precision >= min(TARGET, precision) - 1e-9, "\n".join(format_contact_eval(path, result))


def test_contact_set_recall(measured: tuple[str, ContactEval, float, float]) -> None:
    path, result, _, recall = measured
    assert result.recall >= min(TARGET, recall) - 1e-9, "\n".join(format_contact_eval(path, result))


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
