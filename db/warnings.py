"""The ``warnings`` table: one row per warned message."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.database import Database

WARNING_STATUSES: tuple[str, ...] = ("active", "pardoned", "dismissed")
SECONDS_PER_DAY = 86_400
# What /gigguard export writes, in this order (the snippet is already masked).
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "user_id",
    "channel_id",
    "message_id",
    "rule_id",
    "platform",
    "topic",
    "snippet",
    "created_at",
    "expires_at",
    "status",
    "status_by",
    "status_reason",
    "status_at",
    "rule_ids",
)
# Columns that are not read as stored: a warning from before 0003 exports its one rule id.
_EXPORT_SQL = {"rule_ids": "CASE WHEN rule_ids = '[]' THEN json_array(rule_id) ELSE rule_ids END"}


def now_ts() -> int:
    """Current time as unix seconds (UTC), the unit of every timestamp in the database."""
    return int(time.time())


@dataclass(frozen=True, slots=True)
class WarningRecord:
    id: int
    guild_id: int
    user_id: int
    channel_id: int
    message_id: int
    rule_id: str
    platform: str
    topic: str | None
    snippet: str  # masked findings, never the message itself
    created_at: int
    expires_at: int | None
    status: str
    status_by: int | None
    status_reason: str | None
    status_at: int | None
    review_requested_at: int | None = None  # 0002: the member asked moderators to review it
    rule_ids: tuple[str, ...] = ()  # 0003: every rule of its findings (rule_id is the first)
    training_text: str | None = None  # 0003: masked message text, only with training data on

    def is_active(self, now: int | None = None) -> bool:
        """Counts toward the member's total: status active and not yet expired."""
        now = now_ts() if now is None else now
        return self.status == "active" and (self.expires_at is None or self.expires_at > now)

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"

    @property
    def rules(self) -> tuple[str, ...]:
        """Every rule id; a warning from before 0003 has its one rule_id."""
        return self.rule_ids or (self.rule_id,)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> WarningRecord:
        values = {key: row[key] for key in row.keys()}  # noqa: SIM118 (sqlite3.Row has no __iter__ of keys)
        values["rule_ids"] = tuple(json.loads(values.get("rule_ids") or "[]"))
        return cls(**values)


class WarningRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self,
        *,
        guild_id: int,
        user_id: int,
        channel_id: int,
        message_id: int,
        rule_id: str,
        platform: str,
        topic: str | None,
        snippet: str,
        lifetime_days: int | None,
        rule_ids: tuple[str, ...] = (),
        training_text: str | None = None,
        now: int | None = None,
    ) -> WarningRecord | None:
        """Record a warning. None when this message already has one (a message is warned once).

        ``rule_ids``: every rule of its findings (default: just ``rule_id``); ``training_text``:
        the masked message text, only when the server opted in to labelled training data."""
        now = now_ts() if now is None else now
        expires_at = now + lifetime_days * SECONDS_PER_DAY if lifetime_days else None
        warning_id = await self._db.insert(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, platform, topic,
                                  snippet, created_at, expires_at, rule_ids, training_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (guild_id, message_id) DO NOTHING
            """,
            (
                guild_id,
                user_id,
                channel_id,
                message_id,
                rule_id,
                platform,
                topic,
                snippet[:200],
                now,
                expires_at,
                json.dumps(list(dict.fromkeys(rule_ids or (rule_id,)))),
                training_text,
            ),
        )
        return None if warning_id is None else await self.get(warning_id)

    async def get(self, warning_id: int, *, guild_id: int | None = None) -> WarningRecord | None:
        """One warning; with guild_id, only if it belongs to that server."""
        row = await self._db.fetchone(
            "SELECT * FROM warnings WHERE id = ? AND (? IS NULL OR guild_id = ?)",
            (warning_id, guild_id, guild_id),
        )
        return None if row is None else WarningRecord.from_row(row)

    async def exists_for_message(self, guild_id: int, message_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM warnings WHERE guild_id = ? AND message_id = ?", (guild_id, message_id)
        )
        return row is not None

    async def count_active(self, guild_id: int, user_id: int, *, now: int | None = None) -> int:
        """Active, unexpired warnings of a member (pardoned, dismissed and expired ones do not count)."""
        now = now_ts() if now is None else now
        row = await self._db.fetchone(
            """
            SELECT COUNT(*) FROM warnings
            WHERE guild_id = ? AND user_id = ? AND status = 'active'
              AND (expires_at IS NULL OR expires_at > ?)
            """,
            (guild_id, user_id, now),
        )
        return int(row[0]) if row else 0

    async def list_for_member(
        self, guild_id: int, user_id: int, *, limit: int = 50, offset: int = 0
    ) -> list[WarningRecord]:
        """A member's warnings, every status, newest first."""
        rows = await self._db.fetchall(
            """
            SELECT * FROM warnings WHERE guild_id = ? AND user_id = ?
            ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
            """,
            (guild_id, user_id, limit, offset),
        )
        return [WarningRecord.from_row(row) for row in rows]

    async def set_status(
        self,
        warning_id: int,
        status: str,
        *,
        by: int,
        reason: str | None,
        guild_id: int | None = None,
        now: int | None = None,
    ) -> WarningRecord | None:
        """Change a warning's status, keeping who did it and why. None if there is no such warning."""
        if status not in WARNING_STATUSES:
            raise ValueError(f"unknown warning status {status!r} (known: {', '.join(WARNING_STATUSES)})")
        now = now_ts() if now is None else now
        changed = await self._db.execute(
            """
            UPDATE warnings SET status = ?, status_by = ?, status_reason = ?, status_at = ?
            WHERE id = ? AND (? IS NULL OR guild_id = ?)
            """,
            (status, by, reason, now, warning_id, guild_id, guild_id),
        )
        return await self.get(warning_id) if changed else None

    async def count(self, guild_id: int | None = None) -> int:
        """Rows stored, in one server or in all of them."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM warnings WHERE ? IS NULL OR guild_id = ?", (guild_id, guild_id)
        )
        return int(row[0]) if row else 0

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Privacy: delete every warning of a member in a server; the number deleted."""
        return await self._db.execute(
            "DELETE FROM warnings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )

    async def delete_guild(self, guild_id: int) -> int:
        return await self._db.execute("DELETE FROM warnings WHERE guild_id = ?", (guild_id,))

    # ---- 0002: the moderator toolkit ------------------------------------------------------

    async def count_for_member(self, guild_id: int, user_id: int) -> int:
        """A member's warnings of every status (for paging through them)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM warnings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        return int(row[0]) if row else 0

    async def clear_member(
        self, guild_id: int, user_id: int, *, by: int, reason: str, now: int | None = None
    ) -> int:
        """Pardon every active warning of a member (kept, with who and why); the number pardoned."""
        now = now_ts() if now is None else now
        return await self._db.execute(
            """
            UPDATE warnings SET status = 'pardoned', status_by = ?, status_reason = ?, status_at = ?
            WHERE guild_id = ? AND user_id = ? AND status = 'active'
            """,
            (by, reason, now, guild_id, user_id),
        )

    async def request_review(
        self, warning_id: int, *, guild_id: int, user_id: int, now: int | None = None
    ) -> WarningRecord | None:
        """The warned member disputes a warning: marked once. None if not theirs or already asked."""
        now = now_ts() if now is None else now
        changed = await self._db.execute(
            """
            UPDATE warnings SET review_requested_at = ?
            WHERE id = ? AND guild_id = ? AND user_id = ? AND review_requested_at IS NULL
            """,
            (now, warning_id, guild_id, user_id),
        )
        return await self.get(warning_id) if changed else None

    async def export_batches(self, guild_id: int, *, batch_size: int = 1000) -> AsyncIterator[list[tuple]]:
        """Every warning of a server as plain tuples (EXPORT_COLUMNS), oldest first, in batches.

        Keyset paging keeps each query short, so other coroutines run between batches.
        """
        columns = ", ".join(_EXPORT_SQL.get(column, column) for column in EXPORT_COLUMNS)
        last_id = 0
        while True:
            rows = await self._db.fetchall(
                f"SELECT {columns} FROM warnings WHERE guild_id = ? AND id > ? ORDER BY id LIMIT ?",
                (guild_id, last_id, batch_size),
            )
            if not rows:
                return
            yield [tuple(row) for row in rows]
            last_id = rows[-1][0]

    async def recent(
        self, guild_id: int, *, typed: str = "", status: str | None = None, limit: int = 25
    ) -> list[WarningRecord]:
        """The server's latest warnings whose number starts with ``typed`` (autocomplete)."""
        digits = "".join(c for c in typed if c.isdigit())
        rows = await self._db.fetchall(
            """
            SELECT * FROM warnings
            WHERE guild_id = ? AND CAST(id AS TEXT) LIKE ? AND (? IS NULL OR status = ?)
            ORDER BY created_at DESC, id DESC LIMIT ?
            """,
            (guild_id, f"{digits}%", status, status, limit),
        )
        return [WarningRecord.from_row(row) for row in rows]

    async def dismissed_with_text(self, guild_id: int) -> list[WarningRecord]:
        """Dismissed warnings that kept their masked text (the labelled export's negatives)."""
        rows = await self._db.fetchall(
            """
            SELECT * FROM warnings
            WHERE guild_id = ? AND status = 'dismissed' AND training_text IS NOT NULL ORDER BY status_at, id
            """,
            (guild_id,),
        )
        return [WarningRecord.from_row(row) for row in rows]

    async def count_by_moderator(self, guild_id: int, user_id: int) -> int:
        """Warnings of other members whose status this member changed (their id is stored there)."""
        row = await self._db.fetchone(
            "SELECT COUNT(*) FROM warnings WHERE guild_id = ? AND status_by = ?", (guild_id, user_id)
        )
        return int(row[0]) if row else 0
