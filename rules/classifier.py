"""The learned judgement: a lexical model and a fine-tuned MiniLM, both read from ``rules/models/``.

Two stages, cheapest first:

- ``lexical``: a logistic regression over hashed word unigrams and bigrams (numpy only, about
  20 µs). It decides the community messages it is sure are ``none``.
- ``transformer``: all-MiniLM-L6-v2 fine-tuned with a community head (encourages / asks /
  none) and a draft head (violation / ok), run as an int8 ONNX graph by onnxruntime. It sees
  only what the cheaper stages could not decide.

Both read the text as ``model_input`` prepares it, in training and at run time alike: the
detector's normalisation (look-alike letters folded, invisible characters and Discord mention
tokens removed, lower case) with every platform name the packs know replaced by one word.
Probabilities are calibrated with the temperature fitted on the validation split; the
thresholds that turn them into actions are in ``intent.json`` and the model card. Nothing
here downloads anything or imports torch.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import regex

from rules.normalize import normalize

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODELS_DIR = Path(__file__).resolve().parent / "models"
COMMUNITY_CLASSES = ("encourages", "asks", "none")
DRAFT_CLASSES = ("violation", "ok")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[@$€£%]")


class ModelError(RuntimeError):
    """The shipped model is missing or unusable; the message names the file."""


# Every platform name the packs know reads as this one word: the model judges what a message
# does, and which platform it concerns is the packs' business (a renamed pack judges alike).
PLATFORM_WORD = "marketplace"


def model_input(normalized: str, aliases: regex.Pattern[str]) -> str:
    """What both models read, given ``normalize(text).text`` and ``policy.alias_pattern``."""
    return " ".join(aliases.sub(PLATFORM_WORD, normalized).split())


def model_text(text: str, aliases: regex.Pattern[str]) -> str:
    """``model_input`` of a raw text."""
    return model_input(normalize(text).text, aliases)


def lexical_features(text: str, buckets: int) -> np.ndarray:
    """Hashed word unigrams and bigrams of ``model_text`` output (indices, may repeat)."""
    words = _WORD.findall(text)
    grams = words + [f"{a} {b}" for a, b in pairwise(words)]
    if not grams:
        return np.zeros(0, dtype=np.int64)
    return np.fromiter((zlib.crc32(g.encode()) % buckets for g in grams), dtype=np.int64, count=len(grams))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where probabilities become actions (set on the validation split; see the model card)."""

    warn: float  # p(encourages) at or above: public reply and a warning
    review: float  # p(encourages) at or above (below warn): the mod-log, for a moderator
    answer: float  # p(asks) at or above: the policy as an answer
    violation: float  # p(violation) at or above: a draft breaks the rules
    lexical_clear: float  # lexical p(none) at or above: decided without the transformer


class IntentModel:
    """Loaded once, shared; ``community``/``draft`` are thread-safe (onnxruntime sessions are)."""

    def __init__(self, directory: Path = MODELS_DIR, threads: int = 1) -> None:
        meta_path = directory / "intent.json"
        try:
            self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
            self.thresholds = Thresholds(**self.meta["thresholds"])
            self.max_tokens = int(self.meta["max_tokens"])
            self.head_tokens = int(self.meta["head_tokens"])
            self.temperature = {k: float(v) for k, v in self.meta["temperature"].items()}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"{meta_path}: cannot read the model metadata ({error})") from error
        self.version = str(self.meta.get("version", "?"))
        self._load_lexical(directory / "lexical.npz")
        self._load_transformer(directory, threads)
        # onnxruntime prepares its kernels on the first run of each input size; do it now, so
        # the first long message after start-up does not pay for it.
        self.logits("warm up " * self.max_tokens)

    def _load_lexical(self, path: Path) -> None:
        try:
            with np.load(path, allow_pickle=False) as data:
                self._lex_weights = data["weights"].astype(np.float32)
                self._lex_bias = data["bias"].astype(np.float32)
        except (OSError, ValueError, KeyError) as error:
            raise ModelError(f"{path}: cannot read the lexical model ({error})") from error
        self._lex_buckets = self._lex_weights.shape[0]

    def _load_transformer(self, directory: Path, threads: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        except Exception as error:  # tokenizers raises a bare Exception
            raise ModelError(
                f"{directory / 'tokenizer.json'}: cannot read the tokenizer ({error})"
            ) from error
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._cls = special_token(self._tokenizer, "[CLS]")
        self._sep = special_token(self._tokenizer, "[SEP]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(directory / "intent.onnx"), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own exception types
            raise ModelError(f"{directory / 'intent.onnx'}: cannot load the model ({error})") from error

    # ----------------------------------------------------------------- lexical --
    def lexical(self, text: str) -> np.ndarray:
        """Community probabilities (encourages, asks, none) from the lexical model."""
        indices = lexical_features(text, self._lex_buckets)
        logits = self._lex_bias + self._lex_weights[indices].sum(axis=0)
        return softmax(logits[None, :])[0]

    # ------------------------------------------------------------- transformer --
    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids and attention mask; a long text keeps its head and its tail."""
        rows = [
            framed(encoding.ids, self._cls, self._sep, self.max_tokens, self.head_tokens)
            for encoding in self._tokenizer.encode_batch(texts, add_special_tokens=False)
        ]
        width = max(len(row) for row in rows)
        input_ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for index, row in enumerate(rows):
            input_ids[index, : len(row)] = row
            mask[index, : len(row)] = 1
        return input_ids, mask

    def community(self, texts: list[str]) -> np.ndarray:
        """Calibrated community probabilities, one row per text (columns: COMMUNITY_CLASSES)."""
        return self._predict(texts, 0, self.temperature["community"])

    def draft(self, texts: list[str]) -> np.ndarray:
        """Calibrated draft probabilities, one row per text (columns: DRAFT_CLASSES)."""
        return self._predict(texts, 1, self.temperature["draft"])

    def logits(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Raw (community, draft) logits of one text.

        One text per run, never a batch: the int8 graph quantises activations per run, so padding
        and neighbours in a batch would shift a message's answer by a few hundredths.
        """
        input_ids, mask = self.encode([text])
        community, draft = self._session.run(
            ["community_logits", "draft_logits"], {"input_ids": input_ids, "attention_mask": mask}
        )
        return community[0], draft[0]

    def _predict(self, texts: list[str], head: int, temperature: float) -> np.ndarray:
        if not texts:
            return np.zeros(
                (0, len(COMMUNITY_CLASSES) if head == 0 else len(DRAFT_CLASSES)), dtype=np.float32
            )
        logits = np.stack([self.logits(text)[head] for text in texts])
        return softmax(logits / temperature)


def special_token(tokenizer: Tokenizer, token: str) -> int:
    """The id of a special token the model needs; ModelError when the tokenizer lacks it."""
    token_id = tokenizer.token_to_id(token)
    if token_id is None:
        raise ModelError(f"the tokenizer has no {token} token")
    return token_id


def framed(ids: list[int], cls: int, sep: int, max_tokens: int, head_tokens: int) -> list[int]:
    """``[CLS] ids [SEP]`` in at most ``max_tokens``: a longer text keeps its head and its tail
    (the question or the advice is often at the end of a long post). Training uses it too."""
    body = max_tokens - 2
    if len(ids) > body:
        ids = ids[:head_tokens] + ids[len(ids) - (body - head_tokens) :]
    return [cls, *ids, sep]


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
