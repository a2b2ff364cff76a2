"""The ``review_items`` table: detections sent to the mod-log for a moderator to decide.

A moderator's decision is recorded once (``decide`` only changes an open item), with who and
when; a Confirm also links the warning it recorded.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.warnings import now_ts

if TYPE_CHECKING:
    from db.database import Database

DECISIONS: tuple[str, ...] = ("confirmed", "dismissed")


@dataclass(frozen=True, slots=True)
class ReviewItem:
    id: int
    guild_id: int
    channel_id: int
    message_id: int
    user_id: int
    platform: str
    topic: str | None
    phase: str | None
    rule_ids: tuple[str, ...]
    snippet: str  # masked findings only
    confidence: float
    reason: str
    text: str | None  # masked message text, only with training data on
    created_at: int
    decision: str | None = None  # None while open; see DECISIONS
    decided_by: int | None = None
    decided_at: int | None = None
    warning_id: int | None = None

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> ReviewItem:
        values = {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row has no __iter__ of keys)
        values["rule_ids"] = tuple(json.loads(values["rule_ids"] or "[]"))
        return cls(**values)


class ReviewItemRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        user_id: int,
        platform: str,
        topic: str | None,
        rule_ids: tuple[str, ...],
        snippet: str,
        confidence: float,
        reason: str,
        phase: str | None = None,
        text: str | None = None,
        now: int | None = None,
    ) -> ReviewItem | None:
        """Open a review item. None when this message already has one (a message is reviewed once)."""
        item_id = await self._db.insert(
            """
            INSERT INTO review_items (guild_id, channel_id, message_id, user_id, platform, topic, phase,
                                      rule_ids, snippet, confidence, reason, text, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (guild_id, message_id) DO NOTHING
            """,
            (
                guild_id,
                channel_id,
                message_id,
                user_id,
                platform,
                topic,
                phase,
                json.dumps(list(dict.fromkeys(rule_ids))),
                snippet[:200],
                confidence,
                reason[:300],
                text,
                now_ts() if now is None else now,
            ),
        )
        return None if item_id is None else await self.get(item_id)

    async def exists_for_message(self, guild_id: int, message_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM review_items WHERE guild_id = ? AND message_id = ?", (guild_id, message_id)
        )
        return row is not None

    async def get(self, item_id: int, *, guild_id: int | None = None) -> ReviewItem | None:
        row = await self._db.fetchone(
            "SELECT * FROM review_items WHERE id = ? AND (? IS NULL OR guild_id = ?)",
            (item_id, guild_id, guild_id),
        )
        return None if row is None else ReviewItem.from_row(row)

    async def decide(
        self, item_id: int, decision: str, *, by: int, guild_id: int, now: int | None = None
    ) -> ReviewItem | None:
        """Record a moderator's decision on an open item. None if it was already decided (or is gone)."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        changed = await self._db.execute(
            """
            UPDATE review_items SET decision = ?, decided_by = ?, decided_at = ?
            WHERE id = ? AND guild_id = ? AND decision IS NULL
            """,
            (decision, by, now_ts() if now is None else now, item_id, guild_id),
        )
        return await self.get(item_id) if changed else None

    async def link_warning(self, item_id: int, warning_id: int) -> None:
        """The warning a Confirm recorded."""
        await self._db.execute("UPDATE review_items SET warning_id = ? WHERE id = ?", (warning_id, item_id))

    async def decided(self, guild_id: int) -> list[tuple[ReviewItem, str | None, int | None]]:
        """Decided items, each with the status (and its time) of the warning a Confirm recorded:
        a confirmed item whose warning was dismissed later was not a violation after all."""
        rows = await self._db.fetchall(
            """
            SELECT r.*, w.status AS warning_status, w.status_at AS warning_status_at
            FROM review_items AS r LEFT JOIN warnings AS w ON w.id = r.warning_id
            WHERE r.guild_id = ? AND r.decision IS NOT NULL ORDER BY r.decided_at, r.id
            """,
            (guild_id,),
        )
        items = []
        for row in rows:
            values = {key: row[key] for key in row.keys() if not key.startswith("warning_status")}  # noqa: SIM118
            values["rule_ids"] = tuple(json.loads(values["rule_ids"] or "[]"))
            items.append((ReviewItem(**values), row["warning_status"], row["warning_status_at"]))
        return items

    async def count_for_member(self, guild_id: int, user_id: int) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM review_items WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return int(row[0]) if row else 0

    async def count(self, guild_id: int | None = None) -> int:
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM review_items WHERE ? IS NULL OR guild_id = ?", (guild_id, guild_id)
        )
        return int(row[0]) if row else 0
