"""Loading and validating policy packs (rules/packs/*.toml).

A broken pack never crashes the caller with a raw traceback: every problem becomes a
``PackError`` naming the file and, where it can be found, the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Iterable
from pathlib import Path

import regex

from rules.model import (
    COMMUNITY_LABELS,
    DRAFT_LABELS,
    PHASES,
    PURPOSES,
    TOPIC_IDS,
    PackExample,
    PackPattern,
    PolicyPack,
    Source,
    StageRule,
    Topic,
)

PACKS_DIR = Path(__file__).resolve().parent / "packs"

# What a pack pattern may be used for (see rules/engine.py):
#   marketplace - words that put a message in this platform's client/order context
#   onplatform  - the platform's own compliant tools ("custom offer", "Upwork Messages")
#   channel     - an off-platform channel or payment route specific to this platform's users
PATTERN_KINDS: tuple[str, ...] = ("marketplace", "onplatform", "channel")

_REQUIRED_TOPIC_FIELDS = ("title", "summary", "alternatives", "why", "source")


class PackError(ValueError):
    """A policy pack that cannot be used. The message names the file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


def _line_of(raw: str, *needles: str) -> int | None:
    """1-based line of the first needle found in the raw TOML (best effort)."""
    for needle in needles:
        index = raw.find(needle)
        if index >= 0:
            return raw.count("\n", 0, index) + 1
    return None


def _require_str(path: Path, raw: str, table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackError(path, f"{where}: '{key}' must be a non-empty string", _line_of(raw, where))
    return value.strip()


def load_pack(path: Path) -> PolicyPack:
    raw = _read(path)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        # Before Python 3.14 tomllib only puts "(at line N, column M)" in its message.
        found = regex.search(r"at line (\d+)", str(exc))
        line = getattr(exc, "lineno", None) or (int(found.group(1)) if found else None)
        raise PackError(path, f"invalid TOML: {exc}", line) from None

    pack_id = _require_str(path, raw, data, "id", "id")
    if not regex.fullmatch(r"[a-z][a-z0-9_]*", pack_id):
        raise PackError(path, f"id {pack_id!r} must be lower-case letters, digits, _", _line_of(raw, "id"))
    name = _require_str(path, raw, data, "name", "name")
    raw_aliases = data.get("aliases", [pack_id])
    if not isinstance(raw_aliases, list) or not all(isinstance(a, str) and a for a in raw_aliases):
        raise PackError(path, "'aliases' must be a list of strings", _line_of(raw, "aliases"))
    # An alias with capitals ("Freelancer") matches only as written: the bare word "freelancer"
    # names every member of the server, the capitalised one usually the site.
    aliases = tuple(a if any(c.isupper() for c in a) else a.lower() for a in raw_aliases)
    last_checked = data.get("last_checked")
    if not isinstance(last_checked, dt.date):
        raise PackError(
            path, "'last_checked' must be a TOML date (YYYY-MM-DD)", _line_of(raw, "last_checked")
        )

    sources = tuple(_sources(path, raw, data.get("sources", [])))
    if not sources:
        raise PackError(path, "at least one [[sources]] entry with title and url is required")

    topics = _topics(path, raw, data.get("topics", {}))
    patterns = tuple(_patterns(path, raw, data.get("patterns", [])))
    examples = tuple(_examples(path, raw, data.get("examples", [])))
    return PolicyPack(
        id=pack_id,
        name=name,
        path=str(path),
        aliases=aliases,
        last_checked=last_checked,
        sources=sources,
        topics=topics,
        patterns=patterns,
        examples=examples,
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, f"cannot read pack: {exc}") from None


def _sources(path: Path, raw: str, items: object) -> Iterable[Source]:
    if not isinstance(items, list):
        raise PackError(path, "'sources' must be an array of tables", _line_of(raw, "[[sources]]"))
    for item in items:
        if not isinstance(item, dict) or not str(item.get("url", "")).startswith("https://"):
            raise PackError(
                path, "every source needs a title and an https:// url", _line_of(raw, "[[sources]]")
            )
        yield Source(title=str(item.get("title", item["url"])), url=str(item["url"]))


def _topics(path: Path, raw: str, table: object) -> dict[str, Topic]:
    if not isinstance(table, dict):
        raise PackError(path, "'topics' must be a table", _line_of(raw, "[topics"))
    topics: dict[str, Topic] = {}
    for topic_id, body in table.items():
        header = f"[topics.{topic_id}]"
        if topic_id not in TOPIC_IDS:
            raise PackError(
                path, f"unknown topic {topic_id!r} (known: {', '.join(TOPIC_IDS)})", _line_of(raw, header)
            )
        if not isinstance(body, dict):
            raise PackError(path, f"{header} must be a table", _line_of(raw, header))
        for key in _REQUIRED_TOPIC_FIELDS:
            if key not in body:
                raise PackError(path, f"{header} is missing '{key}'", _line_of(raw, header))
        alternatives = body["alternatives"]
        if not isinstance(alternatives, list) or not all(isinstance(a, str) and a for a in alternatives):
            raise PackError(
                path, f"{header}: 'alternatives' must be a list of strings", _line_of(raw, header)
            )
        topics[topic_id] = Topic(
            id=topic_id,
            title=_require_str(path, raw, body, "title", header),
            summary=_require_str(path, raw, body, "summary", header),
            alternatives=tuple(a.strip() for a in alternatives),
            why=_require_str(path, raw, body, "why", header),
            source=_require_str(path, raw, body, "source", header),
            stages=_stages(path, raw, topic_id, body),
        )
    missing = [t for t in TOPIC_IDS if t not in topics]
    if missing:
        raise PackError(path, f"missing topics: {', '.join(missing)}", _line_of(raw, "[topics"))
    return topics


def _stages(path: Path, raw: str, topic_id: str, body: dict) -> dict[str, StageRule]:
    """``[topics.<id>.before]`` / ``[topics.<id>.after]``: the purposes allowed and the answer."""
    stages: dict[str, StageRule] = {}
    for phase in PHASES:
        table = body.get(phase)
        if table is None:
            continue
        header = f"[topics.{topic_id}.{phase}]"
        if not isinstance(table, dict):
            raise PackError(path, f"{header} must be a table", _line_of(raw, header))
        allowed = table.get("allowed", [])
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise PackError(path, f"{header}: 'allowed' must be a list of purposes", _line_of(raw, header))
        unknown = [a for a in allowed if a not in PURPOSES]
        if unknown:
            raise PackError(
                path,
                f"{header}: unknown purpose {unknown[0]!r} (known: {', '.join(PURPOSES)})",
                _line_of(raw, header),
            )
        if "payment" in allowed:
            raise PackError(
                path, f"{header}: payment off the platform cannot be 'allowed'", _line_of(raw, header)
            )
        answer = _require_str(path, raw, table, "answer", header)
        stages[phase] = StageRule(phase=phase, allowed=tuple(allowed), answer=answer)
    return stages


def _patterns(path: Path, raw: str, items: object) -> Iterable[PackPattern]:
    if not isinstance(items, list):
        raise PackError(path, "'patterns' must be an array of tables", _line_of(raw, "[[patterns]]"))
    seen: set[str] = set()
    for item in items:
        pattern_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        line = _line_of(raw, f'"{pattern_id}"', "[[patterns]]")
        if not pattern_id or pattern_id in seen:
            raise PackError(path, f"pattern id {pattern_id!r} is missing or repeated", line)
        seen.add(pattern_id)
        kind = item.get("kind")
        if kind not in PATTERN_KINDS:
            raise PackError(path, f"pattern {pattern_id!r}: kind must be one of {PATTERN_KINDS}", line)
        source = item.get("pattern")
        if not isinstance(source, str) or not source:
            raise PackError(path, f"pattern {pattern_id!r}: 'pattern' must be a non-empty string", line)
        try:
            regex.compile(source, regex.IGNORECASE | regex.VERSION1)
        except regex.error as exc:
            raise PackError(path, f"pattern {pattern_id!r} does not compile: {exc}", line) from None
        yield PackPattern(id=pattern_id, kind=kind, pattern=source, line=line or 0)


def _examples(path: Path, raw: str, items: object) -> Iterable[PackExample]:
    if not isinstance(items, list):
        raise PackError(path, "'examples' must be an array of tables", _line_of(raw, "[[examples]]"))
    for item in items:
        text = item.get("text") if isinstance(item, dict) else None
        line = _line_of(raw, str(text)[:40]) if text else _line_of(raw, "[[examples]]")
        if not isinstance(text, str) or not text:
            raise PackError(path, "every example needs a non-empty 'text'", line)
        mode = item.get("mode", "community")
        labels = COMMUNITY_LABELS if mode == "community" else DRAFT_LABELS if mode == "draft" else ()
        if not labels:
            raise PackError(path, f"example mode must be 'community' or 'draft', not {mode!r}", line)
        expect = item.get("expect")
        if expect not in labels:
            raise PackError(path, f"example expect must be one of {labels}, not {expect!r}", line)
        yield PackExample(mode=mode, text=text, expect=expect, line=line or 0)


def load_packs(directory: Path = PACKS_DIR) -> dict[str, PolicyPack]:
    """Every pack in the directory, keyed by id. Raises PackError on the first broken one."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise PackError(directory, "no policy packs (*.toml) found")
    packs: dict[str, PolicyPack] = {}
    for file in files:
        pack = load_pack(file)
        if pack.id in packs:
            raise PackError(file, f"pack id {pack.id!r} is already used by {packs[pack.id].path}")
        packs[pack.id] = pack
    return packs


def unknown_platform_message(name: str, known: Iterable[str]) -> str:
    """One line for a platform id no pack has: a "did you mean" and the ids that exist."""
    known = sorted(known)
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown platform {name!r} ({hint}known: {', '.join(known)})"


def alias_pattern(packs: Iterable[PolicyPack]) -> regex.Pattern[str]:
    """Every lower-case alias of the packs as a whole word, longest first, case-insensitive.

    Aliases written with capitals ("Freelancer") name the platform only as a proper noun and
    are matched on the original text instead (see Engine._platform).
    """
    lower = {alias for pack in packs for alias in pack.aliases if alias.islower()}
    aliases = sorted(lower, key=len, reverse=True)
    if not aliases:
        return regex.compile(r"(?!)")
    return regex.compile(
        r"(?<![\w.])(?:" + "|".join(regex.escape(alias) for alias in aliases) + r")(?![\w])", regex.IGNORECASE
    )
