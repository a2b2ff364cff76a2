"""Prove a speed change changed nothing: record every detector stage's output, then compare.

    python -m devtools.equivalence record BASELINE.pkl [--extra FILE.jsonl ...]
    python -m devtools.equivalence check BASELINE.pkl [STAGE ...] [--extra FILE.jsonl ...]

Record once before the work, check after every change. Stages: prefilter, normalize,
deobfuscate, contacts, judge, community, draft (default: all). Inputs: two generated bench
streams, the adversarial set, the pack examples, tests/rules/data, the shared corpora when
they are beside the checkout, and any --extra JSONL files (one {"text": ...} per line; e.g.
held-out sets kept outside the repository). The prefilter may clear less than before, never
more. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path

from bench.streams import adversarial_set, realistic_stream
from rules import Engine
from rules.contacts import find_contacts
from rules.engine import _CHANNEL_CONTACTS, _safe
from rules.intent import judge_community
from rules.normalize import deobfuscate, normalize
from rules.prefilter import looks_clean

ROOT = Path(__file__).resolve().parent.parent

STAGES = ("prefilter", "normalize", "deobfuscate", "contacts", "judge", "community", "draft")
SHARED_CORPORA = ROOT.parent / "shared" / "corpus"
_SUMMARY = "Record every detector stage's output, or compare with a recorded baseline."


def _texts_of(paths: Iterable[Path]) -> list[str]:
    return [
        json.loads(line)["text"] for path in paths for line in path.read_text().splitlines() if line.strip()
    ]


def inputs(extra: Sequence[Path] = (), stream_size: int = 50_000) -> tuple[list[str], list[str]]:
    """(community inputs, draft inputs), without repeats, in a stable order."""
    engine = Engine.load()
    examples = [example.text for pack in engine.packs.values() for example in pack.examples]
    adversarial = [message.text for message in adversarial_set(7)]
    community = [message.text for message in realistic_stream(stream_size, 7)]
    community += [message.text for message in realistic_stream(stream_size * 3 // 5, 11)]
    cases = ROOT / "tests" / "rules" / "data"
    community += adversarial + examples + _texts_of(sorted(cases.glob("community_cases*.jsonl")))
    drafts = examples + adversarial + _texts_of(sorted(cases.glob("draft_cases*.jsonl")))
    if SHARED_CORPORA.is_dir():
        community += _texts_of([SHARED_CORPORA / "community.jsonl"])
        drafts += _texts_of([SHARED_CORPORA / "drafts.jsonl"])
    community += _texts_of(extra)
    community = list(dict.fromkeys(community))
    drafts = list(dict.fromkeys(drafts + community[::7]))
    return community, drafts


def outputs(stages: Sequence[str], community: list[str], drafts: list[str]) -> dict[str, dict[str, object]]:
    """Each stage's output per input, as comparable values (reprs of the frozen results)."""
    engine = Engine.load()
    found: dict[str, dict[str, object]] = {stage: {} for stage in stages}
    pipeline = {"normalize", "deobfuscate", "contacts", "judge"} & set(stages)
    for raw in community:
        text = _safe(raw)
        if "prefilter" in found:
            found["prefilter"][raw] = looks_clean(text)
        if "community" in found:
            found["community"][raw] = repr(engine.community(raw))
            found["community"][raw + "\x00fiverr"] = repr(engine.community(raw, ["fiverr"]))
        if not pipeline:
            continue
        norm = normalize(text)
        view = deobfuscate(norm)
        contacts = find_contacts(view, ("fiverr.com",))
        if "normalize" in found:
            found["normalize"][raw] = (norm.text, norm.origin, norm.lookalikes)
        if "deobfuscate" in found:
            found["deobfuscate"][raw] = (view.text, view.origin, view.lookalikes)
        if "contacts" in found:
            found["contacts"][raw] = repr(contacts)
        if "judge" in found:
            spans = tuple((c.start, c.end) for c in contacts if c.kind in _CHANNEL_CONTACTS)
            plain = judge_community(view.text, bool(contacts), norm.lookalikes > 0, False, spans)
            found["judge"][raw] = repr(plain)
            found["judge"][raw + "\x00hinted"] = repr(judge_community(view.text, False, True, True, ()))
    for raw in drafts if "draft" in found else ():
        found["draft"][raw] = repr(engine.draft(raw))
    return found


def differences(stage: str, before: dict[str, object], now: dict[str, object]) -> list[str]:
    """Inputs whose output changed; for the prefilter, only those it now clears and did not."""
    changed = [key for key, value in before.items() if now.get(key) != value]
    if stage == "prefilter":
        changed = [key for key in changed if now.get(key) is True]
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.equivalence", description=_SUMMARY)
    parser.add_argument("command", choices=("record", "check"))
    parser.add_argument("baseline", type=Path)
    parser.add_argument("stages", nargs="*", metavar="STAGE", help=f"{', '.join(STAGES)} (default: all)")
    parser.add_argument("--extra", type=Path, nargs="*", default=[], help="more JSONL inputs")
    parser.add_argument("--stream-size", type=int, default=50_000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stages = args.stages or list(STAGES)
    if unknown := sorted(set(stages) - set(STAGES)):
        parser.error(f"unknown stage {', '.join(unknown)}; stages are {', '.join(STAGES)}")
    community, drafts = inputs(args.extra, args.stream_size)
    if args.command == "record":
        args.baseline.write_bytes(pickle.dumps(outputs(STAGES, community, drafts)))
        print(f"recorded {len(community):,} community and {len(drafts):,} draft inputs in {args.baseline}")
        return 0
    before = pickle.loads(args.baseline.read_bytes())
    now = outputs(stages, community, drafts)
    failed = False
    for stage in stages:
        changed = differences(stage, before[stage], now[stage])
        failed = failed or bool(changed)
        print(f"{stage}: {len(before[stage]):,} inputs, {len(changed)} differ")
        for key in changed[:5]:
            print(f"  input: {key[:200]!r}")
            print(f"    was: {before[stage][key]!r:.400}")
            print(f"    now: {now[stage].get(key)!r:.400}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
