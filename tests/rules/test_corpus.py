"""rules.corpus and the corpus itself: well-formed lines, writer-disjoint splits, real pairs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rules import corpus
from rules.corpus import CorpusError, Example

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MODES = ("community", "draft")


@pytest.fixture(scope="module")
def examples() -> dict[str, list[Example]]:
    return {mode: corpus.load(mode) for mode in MODES}


def test_enough_lines_from_enough_writers(examples: dict[str, list[Example]]) -> None:
    writers = {e.writer for mode in MODES for e in examples[mode]}
    assert len(writers) >= 6
    assert len(examples["community"]) >= 12_000
    assert len(examples["draft"]) >= 5_000


def test_raw_files_hold_no_duplicates() -> None:
    # load() would drop them silently; the files themselves must stay clean.
    for folder in ("community", "drafts"):
        keys = Counter()
        for path in (corpus.CORPUS_DIR / folder).glob("*.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    keys[corpus.dedup_key(json.loads(line)["text"])] += 1
        assert [key for key, count in keys.items() if count > 1] == []


def test_test_writers_wrote_nothing_else(examples: dict[str, list[Example]]) -> None:
    writers = corpus.split_writers()
    for mode in MODES:
        parts = corpus.split(examples[mode])
        test_writers = {e.writer for e in parts["test"]}
        other_writers = {e.writer for split in ("train", "validation") for e in parts[split]}
        assert test_writers
        assert test_writers <= set(writers["test"])
        assert not test_writers & other_writers


def test_every_split_covers_every_label_register_and_platform(examples: dict[str, list[Example]]) -> None:
    for mode in MODES:
        registers = corpus.COMMUNITY_REGISTERS if mode == "community" else corpus.DRAFT_REGISTERS
        for split, rows in corpus.split(examples[mode]).items():
            assert {e.label for e in rows} == set(corpus.labels_of(mode)), (mode, split)
            assert {e.register for e in rows} == set(registers), (mode, split)
            platforms = {e.platform for e in rows}
            assert platforms >= {"fiverr", "upwork", "freelancer", "peopleperhour"}, (mode, split)


def test_clients_write_too(examples: dict[str, list[Example]]) -> None:
    roles = Counter(e.role for mode in MODES for e in examples[mode])
    assert roles["client"] >= 500


def test_counterfactual_pairs_flip_the_label(examples: dict[str, list[Example]]) -> None:
    pairs: dict[str, list[Example]] = {}
    for mode in MODES:
        for example in examples[mode]:
            if example.pair:
                pairs.setdefault(example.pair, []).append(example)
    complete = {pid: rows for pid, rows in pairs.items() if len(rows) == 2}
    assert len(complete) >= 1_000
    for pid, (first, second) in complete.items():
        assert first.label != second.label, pid
        assert first.mode == second.mode, pid
        assert first.writer == second.writer, pid


def test_no_line_of_the_shared_corpus_is_in_the_test_split(examples: dict[str, list[Example]]) -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"{SHARED_CORPUS} is absent")
    shared = {
        corpus.dedup_key(json.loads(line)["text"])
        for name in ("community.jsonl", "drafts.jsonl")
        for line in (SHARED_CORPUS / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    for mode in MODES:
        test = corpus.split(examples[mode])["test"]
        assert [e.id for e in test if corpus.dedup_key(e.text) in shared] == []


def test_a_bad_line_names_its_file_and_line(tmp_path: Path) -> None:
    good = {
        "id": "x-1",
        "text": "hi",
        "label": "none",
        "category": "chat",
        "platform": "generic",
        "register": "chat",
        "role": "freelancer",
        "writer": "x",
        "borderline": False,
        "pair": None,
    }
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x-2", "label": "maybe"}) + "\n")
    with pytest.raises(CorpusError, match=r"x\.jsonl:2: label 'maybe'"):
        corpus.read_file(path, "community")
    path.write_text("{not json\n")
    with pytest.raises(CorpusError, match=r"x\.jsonl:1: not JSON"):
        corpus.read_file(path, "community")


def test_a_writer_outside_the_splits_is_an_error(examples: dict[str, list[Example]]) -> None:
    stray = examples["community"][0]
    with pytest.raises(CorpusError, match="in no split"):
        corpus.split([Example(**{**_fields(stray), "writer": "nobody"})])


def test_hash_changes_with_any_label(examples: dict[str, list[Example]]) -> None:
    rows = examples["draft"][:50]
    flipped = [
        Example(**{**_fields(rows[0]), "label": "ok" if rows[0].label == "violation" else "violation"})
    ]
    assert corpus.corpus_hash(rows) != corpus.corpus_hash(flipped + rows[1:])
    assert corpus.corpus_hash(rows) == corpus.corpus_hash(list(reversed(rows)))


def _fields(example: Example) -> dict[str, object]:
    return {name: getattr(example, name) for name in Example.__slots__}
