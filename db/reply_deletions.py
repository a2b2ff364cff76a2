"""The ``reply_deletions`` table: the bot's public replies to delete once they are due.

A server that sets ``delete_replies_after_min`` gets each public reply recorded here when it is
sent; the retention cog's loop deletes what is due. Rows hold only the ids of the bot's own
messages and a time, nothing about a member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.warnings import now_ts

if TYPE_CHECKING:
    from db.database import Database


@dataclass(frozen=True, slots=True)
class PendingDeletion:
    message_id: int  # the bot's reply
    guild_id: int
    channel_id: int
    due_at: int  # unix seconds


class ReplyDeletionRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def schedule(
        self, *, guild_id: int, channel_id: int, message_id: int, after_s: int, now: int | None = None
    ) -> PendingDeletion:
        """Delete the reply ``after_s`` seconds from now (a second call for it moves the time)."""
        due_at = (now_ts() if now is None else now) + after_s
        await self._db.execute(
            """
            INSERT INTO reply_deletions (message_id, guild_id, channel_id, due_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (message_id) DO UPDATE SET due_at = excluded.due_at
            """,
            (message_id, guild_id, channel_id, due_at),
        )
        return PendingDeletion(message_id, guild_id, channel_id, due_at)

    async def due(self, *, now: int | None = None, limit: int = 50) -> list[PendingDeletion]:
        """Replies whose time has come, longest overdue first (at most ``limit``)."""
        rows = await self._db.fetchall(
            """
            SELECT message_id, guild_id, channel_id, due_at FROM reply_deletions
            WHERE due_at <= ? ORDER BY due_at, message_id LIMIT ?
            """,
            (now_ts() if now is None else now, limit),
        )
        return [PendingDeletion(*(int(value) for value in row)) for row in rows]

    async def done(self, message_id: int) -> bool:
        """The reply was deleted (or cannot be): forget it. True if a row was removed."""
        return await self._db.execute("DELETE FROM reply_deletions WHERE message_id = ?", (message_id,)) > 0

    async def cancel_guild(self, guild_id: int) -> int:
        """The server turned auto-delete off: its replies stay. How many were pending."""
        return await self._db.execute("DELETE FROM reply_deletions WHERE guild_id = ?", (guild_id,))

    async def pending(self, guild_id: int) -> list[PendingDeletion]:
        """Every reply of the server still to delete, soonest first."""
        rows = await self._db.fetchall(
            """
            SELECT message_id, guild_id, channel_id, due_at FROM reply_deletions
            WHERE guild_id = ? ORDER BY due_at, message_id
            """,
            (guild_id,),
        )
        return [PendingDeletion(*(int(value) for value in row)) for row in rows]
