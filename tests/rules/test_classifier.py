"""rules.classifier and the shipped model in rules/models: what was trained is what ships."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rules import ModelError, corpus, load_packs
from rules.classifier import (
    COMMUNITY_CLASSES,
    MODELS_DIR,
    PLATFORM_WORD,
    IntentModel,
    lexical_features,
    model_text,
)
from rules.policy import alias_pattern

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel()


@pytest.fixture(scope="module")
def meta() -> dict[str, object]:
    return json.loads((MODELS_DIR / "intent.json").read_text(encoding="utf-8"))


def test_shipped_model_was_trained_on_this_corpus(meta: dict[str, object]) -> None:
    """Change the corpus and this fails until the model is retrained (with a version bump)."""
    examples = corpus.load("community") + corpus.load("draft")
    assert meta["corpus_sha256"] == corpus.corpus_hash(examples)


def test_model_card_matches_the_shipped_model(meta: dict[str, object]) -> None:
    card = (MODELS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"intent model {meta['version']}" in card
    assert str(meta["corpus_sha256"]) in card
    thresholds = meta["thresholds"]
    assert isinstance(thresholds, dict)
    for value in thresholds.values():
        assert f"{value}" in card
    for digest in dict(meta["base_sha256"]).values():  # type: ignore[call-overload]
        assert digest in card


def test_model_fits_the_size_budget() -> None:
    assert (MODELS_DIR / "intent.onnx").stat().st_size <= 30 * 1024 * 1024


def test_no_pickles_ship() -> None:
    with np.load(MODELS_DIR / "lexical.npz", allow_pickle=False) as data:
        assert set(data.files) == {"weights", "bias"}
    assert not list(MODELS_DIR.glob("*.pkl"))
    assert not list(MODELS_DIR.glob("*.pt"))


def test_running_the_detector_never_imports_training_libraries() -> None:
    code = (
        "import sys, rules; e = rules.Engine.load(); e.community('ask the buyer for their whatsapp');"
        "print(sorted(m for m in ('torch', 'transformers', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_probabilities_are_distributions(model: IntentModel) -> None:
    texts = ["hello", "just give the buyer your whatsapp", "is it allowed to email my client?" * 40]
    for probs in (model.community(texts), model.draft(texts)):
        assert probs.shape[0] == 3
        assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert np.isclose(model.lexical("hello there").sum(), 1.0, atol=1e-5)


def test_batches_do_not_change_answers(model: IntentModel) -> None:
    texts = ["short one", "a much longer message about an order and a buyer " * 5, "ok"]
    together = model.community(texts)
    alone = np.stack([model.community([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-3)


def test_long_text_keeps_its_head_and_its_tail(model: IntentModel) -> None:
    words = ["start"] + ["filler"] * 2_000 + ["finish"]
    ids, mask = model.encode([" ".join(words)])
    assert ids.shape[1] == model.max_tokens
    tokens = model._tokenizer.decode(ids[0].tolist()).split()
    assert tokens[0] == "start"
    assert tokens[-1] == "finish"
    assert mask.sum() == model.max_tokens


def test_platform_names_read_as_one_word() -> None:
    aliases = alias_pattern(load_packs().values())
    assert model_text("My FIVERR buyer and my upwork client", aliases) == (
        f"my {PLATFORM_WORD} buyer and my {PLATFORM_WORD} client"
    )


def test_lexical_features_are_stable() -> None:
    # crc32, not hash(): the same buckets in every process (PYTHONHASHSEED varies).
    assert (
        lexical_features("ask the buyer", 1 << 18).tolist()
        == lexical_features("ask the buyer", 1 << 18).tolist()
    )
    assert len(lexical_features("ask the buyer", 1 << 18)) == 5  # 3 words, 2 bigrams


@pytest.mark.parametrize("broken", ["intent.json", "intent.onnx", "lexical.npz", "tokenizer.json"])
def test_a_broken_model_file_is_named(tmp_path: Path, broken: str) -> None:
    for path in MODELS_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    (tmp_path / broken).write_bytes(b"\x00not a model")
    with pytest.raises(ModelError, match=broken.replace(".", r"\.")):
        IntentModel(tmp_path)


def test_a_missing_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"intent\.json"):
        IntentModel(tmp_path)


def test_classes_are_in_the_order_the_heads_were_trained() -> None:
    assert COMMUNITY_CLASSES == ("encourages", "asks", "none")


@pytest.mark.parametrize("mode", ["community", "draft"])
def test_the_shipped_model_reproduces_its_cards_test_figures(meta: dict[str, object], mode: str) -> None:
    """The card's test-split figures are what the shipped files give through the whole engine."""
    from rules import Engine
    from rules.cli import compute_metrics

    engine = Engine.load()
    rows = corpus.split(corpus.load(mode))["test"]
    judge = engine.community if mode == "community" else engine.draft
    labels = corpus.labels_of(mode)
    metrics = compute_metrics([e.label for e in rows], [judge(e.text).label for e in rows], labels)
    card = dict(meta["figures"])[f"{mode}_test"]  # type: ignore[call-overload]
    # int8 kernels may round differently on another processor; a message or two may flip.
    assert metrics.accuracy == pytest.approx(card["accuracy"], abs=0.003)
    for label in labels:
        assert metrics.scores[label].precision == pytest.approx(card[f"{label}_precision"], abs=0.005)
        assert metrics.scores[label].recall == pytest.approx(card[f"{label}_recall"], abs=0.005)
