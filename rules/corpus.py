"""The training corpus: loading, checking, de-duplicating, splitting and hashing it.

The corpus lives in ``corpus/community/*.jsonl`` and ``corpus/drafts/*.jsonl``, one file per
writer; ``corpus/splits.toml`` names the writers of each split. The test split is written by
writers whose lines appear in no other split, so its figures measure how the model does on
text by people it never learned from. Nothing here needs more than the standard library.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rules.model import COMMUNITY_LABELS, DRAFT_LABELS, Mode

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
SPLITS = ("train", "validation", "test")
PLATFORMS = ("fiverr", "upwork", "freelancer", "peopleperhour", "generic")
COMMUNITY_REGISTERS = ("chat", "burst", "forum", "blog", "reply", "non-native", "code-switch", "moderator")
DRAFT_REGISTERS = ("chat", "message", "long", "non-native", "code-switch")
ROLES = ("freelancer", "client", "moderator", "other")
_FIELDS = ("id", "text", "label", "category", "platform", "register", "role", "writer", "borderline", "pair")


class CorpusError(ValueError):
    """A corpus line that breaks the format; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    text: str
    label: str
    category: str
    platform: str
    register: str
    role: str
    writer: str
    borderline: bool
    pair: str | None
    mode: Mode


def labels_of(mode: Mode) -> tuple[str, ...]:
    return COMMUNITY_LABELS if mode == "community" else DRAFT_LABELS


def dedup_key(text: str) -> str:
    """Texts that differ only in case, spacing or punctuation count as one."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def read_file(path: Path, mode: Mode) -> list[Example]:
    """Read one writer's file, checking every line; raises CorpusError naming file and line."""
    registers = COMMUNITY_REGISTERS if mode == "community" else DRAFT_REGISTERS
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{where}: not JSON ({error.msg})") from None
        missing = [name for name in _FIELDS if name not in row]
        if missing:
            raise CorpusError(f"{where}: missing {', '.join(missing)}")
        checks = (
            ("label", labels_of(mode)),
            ("platform", PLATFORMS),
            ("register", registers),
            ("role", ROLES),
        )
        for name, allowed in checks:
            if row[name] not in allowed:
                raise CorpusError(f"{where}: {name} {row[name]!r} is not one of {', '.join(allowed)}")
        if not isinstance(row["text"], str) or not row["text"].strip():
            raise CorpusError(f"{where}: empty text")
        examples.append(
            Example(
                id=str(row["id"]),
                text=row["text"],
                label=row["label"],
                category=str(row["category"]),
                platform=row["platform"],
                register=row["register"],
                role=row["role"],
                writer=str(row["writer"]),
                borderline=bool(row["borderline"]),
                pair=row["pair"] or None,
                mode=mode,
            )
        )
    return examples


def load(mode: Mode, directory: Path = CORPUS_DIR) -> list[Example]:
    """Every line of one mode, de-duplicated: the first occurrence of a text (in writer order) stays.

    Duplicates are dropped whole, with their pair partner kept: a pair is two different texts,
    so a dropped line never removes the other half's own label.
    """
    files = sorted((directory / ("community" if mode == "community" else "drafts")).glob("*.jsonl"))
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    examples = []
    for path in files:
        for example in read_file(path, mode):
            if example.id in seen_ids:
                raise CorpusError(f"{path}: id {example.id} is used twice")
            seen_ids.add(example.id)
            key = dedup_key(example.text)
            if key in seen_texts:
                continue
            seen_texts.add(key)
            examples.append(example)
    return examples


def split_writers(directory: Path = CORPUS_DIR) -> dict[str, tuple[str, ...]]:
    """``corpus/splits.toml``: which writers make up each split (disjoint)."""
    data = tomllib.loads((directory / "splits.toml").read_text(encoding="utf-8"))
    writers = {split: tuple(data[split]["writers"]) for split in SPLITS}
    everyone = [writer for split in SPLITS for writer in writers[split]]
    if len(everyone) != len(set(everyone)):
        raise CorpusError(f"{directory / 'splits.toml'}: a writer is in two splits")
    return writers


def split(examples: Iterable[Example], directory: Path = CORPUS_DIR) -> dict[str, list[Example]]:
    """Examples by split; a writer missing from splits.toml is an error, not silently trained on."""
    writers = split_writers(directory)
    split_of = {writer: name for name, members in writers.items() for writer in members}
    parts: dict[str, list[Example]] = {name: [] for name in SPLITS}
    for example in examples:
        if example.writer not in split_of:
            raise CorpusError(f"writer {example.writer} of {example.id} is in no split of splits.toml")
        parts[split_of[example.writer]].append(example)
    return parts


def corpus_hash(examples: Sequence[Example]) -> str:
    """sha256 over what training reads (id, text, label, writer), in a fixed order."""
    digest = hashlib.sha256()
    for example in sorted(examples, key=lambda e: (e.mode, e.id)):
        record = [example.mode, example.id, example.text, example.label, example.writer]
        digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def read_labelled(path: Path, mode: Mode) -> list[Example]:
    """A labelled JSONL file outside the corpus (``id``, ``text``, ``label``; the rest optional).

    Used by ``eval`` for the shared development corpus and other measuring sets; bad lines
    raise CorpusError naming the line.
    """
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise CorpusError(f"{path}:{number}: needs JSON with text and label") from None
        if label not in labels_of(mode):
            raise CorpusError(f"{path}:{number}: label {label!r} is not one of {', '.join(labels_of(mode))}")
        examples.append(
            Example(
                id=str(row.get("id", number)),
                text=str(text),
                label=label,
                category=str(row.get("category", "")),
                platform=str(row.get("platform", "generic")),
                register=str(row.get("register", "unknown")),
                role=str(row.get("role", "unknown")),
                writer=str(row.get("writer", path.stem)),
                borderline=bool(row.get("borderline", False)),
                pair=row.get("pair"),
                mode=mode,
            )
        )
    return examples
