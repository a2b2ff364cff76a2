"""The contact sets (tests/rules/data/contact_set*.jsonl): drafts, about half of them
look-alikes, each labelled with whether it holds a contact detail (or exact directions to one:
"same username on Telegram", "my number is on the PDF cover"). Eight writers wrote them from a
brief, never reading the finder's code (corpus/briefs/contact_set_*.md for cs2 to cs8).
``python -m rules eval-contacts FILE`` prints the same figures with misses and false alarms.

Measured for issue 11, precision / recall:

Columns: hand lists (8c24adc), maintained data (ab9dc52), pointers (bf0a985), start of session 6
(ccb6bb0), end of session 6 (5b67094), now.

| set | n | 8c24adc | ab9dc52 | bf0a985 | ccb6bb0 | 5b67094 | now |
|---|---|---|---|---|---|---|---|
| cs1 | 416 | 0.905/0.746 | 0.969/0.912 | 0.980/0.961 | 0.985/0.961 | 0.985/0.961 | 0.985/0.961 |
| cs2 | 352 | - | 0.977/0.737 | 0.994/0.936 | 0.994/0.936 | 0.994/0.936 | 0.994/0.936 |
| cs3 | 413 | - | 0.926/0.665 | 0.937/0.791 | 0.971/0.811 | 0.971/0.811 | 0.977/0.830 |
| cs4 | 405 | - | 0.903/0.657 | 0.925/0.753 | 0.937/0.753 | 0.956/0.874 | 0.961/0.874 |
| cs5 | 346 | - | - | - | 0.977/0.765 | 0.986/0.800 | 0.986/0.829 |
| cs6 | 393 | - | - | - | 0.972/0.711 | 0.973/0.753 | 0.982/0.866 |
| cs7 | 526 | - | - | - | - | 0.918/0.635 | 0.963/0.791 |
| cs8 | 492 | - | - | - | - | 0.961/0.813 | 0.963/0.871 |

When each set was read: cs1 and cs2 while the pointer finder was built; cs3 was held out
until the pointer finder was done (0.937 / 0.791 is its honest figure); cs4 was held out until
b60b45a (0.937 / 0.753) and read on 2026-12-08 for the last column. cs5 was measured at ccb6bb0
and once more (0.978 / 0.771) before it was read; cs6 was written after that and never read
before both its figures were taken (0.973 / 0.742 is its honest figure). Digits spelled in
Spanish, Portuguese and French were added after that, prompted by the names of missed categories
in cs4 to cs6 (not their text), which moved cs6 to 0.973 / 0.753. cs6 was read at 5b67094 for
the last column (brackets of other scripts, "dot" in other languages, circled digits, numbers in
pairs, labelled handles, more pointers); cs7, written by a new writer meanwhile, was measured at
5b67094 and after those changes without being read (0.918 / 0.635, then 0.910 / 0.688: its honest
figures), then read for the last column (joiners outside ASCII, "oh" and "double-seven", labels
in other languages, IBAN countries, reference links to social sites, more pointers). cs8 was
written meanwhile by another new writer and never read: 0.961 / 0.813 at 5b67094, 0.958 / 0.851
after the cs6 changes, 0.963 / 0.871 after the cs7 ones.
All are under the 0.97 recall target, so the floors below are the measured figures. What the
later sets miss is a long tail, one trick each (numbers spelled in Spanish or French, a phone
split over two messages, a handle in a riddle, a contact on a YouTube About tab or a T-shirt in
a photo, e-mail words in other languages); most false alarms are the client's own details in a
deliverable, sites named as a reference, and access e-mails after the order started.
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
    ("contact_set.jsonl", 197 / 200, 197 / 205),
    ("contact_set_2.jsonl", 160 / 161, 160 / 171),
    ("contact_set_3.jsonl", 171 / 175, 171 / 206),
    ("contact_set_4.jsonl", 173 / 180, 173 / 198),
    ("contact_set_5.jsonl", 141 / 143, 141 / 170),
    ("contact_set_6.jsonl", 168 / 171, 168 / 194),
    ("contact_set_7.jsonl", 208 / 216, 208 / 263),
    ("contact_set_8.jsonl", 210 / 218, 210 / 241),
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
