"""A message's text with its contact details masked: what GigGuard may keep for retraining.

The engine's findings carry spans in the text it judged and a masked value
(``rules.model.Finding``); each span is replaced by its mask. No discord import.
"""

from __future__ import annotations

from collections.abc import Iterable

from rules.engine import MAX_CHARS
from rules.model import Finding

# What stands in for a finding that has no masked value of its own.
HIDDEN = "[contact hidden]"


def masked_text(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with every finding's span replaced by its masked value (overlaps: the first wins).

    Like the engine, only the first MAX_CHARS characters count (contacts beyond were never
    looked for, so they are not kept); NULs and lone surrogates become storable characters
    of the same length, so the spans still fit."""
    text = text[:MAX_CHARS].replace("\x00", " ")
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.span):
        start, end = finding.span
        if start < position or end <= start or start >= len(text):
            continue
        parts.append(text[position:start])
        parts.append(finding.masked or HIDDEN)
        position = min(end, len(text))
    parts.append(text[position:])
    return "".join(parts)
