"""Deleting data: one member's (on request), one server's (after it left), expired warnings (retention).

These touch several tables, so each runs in one transaction: it happens fully or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.guild_settings import GuildSettings
from db.warnings import SECONDS_PER_DAY, now_ts

if TYPE_CHECKING:
    from db.database import Database

DEFAULT_RETENTION_DAYS = GuildSettings(0).retention_days


@dataclass(frozen=True, slots=True)
class ForgetResult:
    warnings_deleted: int
    moderator_references_removed: int  # warnings/review items of others this member decided on
    review_items_deleted: int = 0


class PrivacyRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def forget_member(self, guild_id: int, user_id: int) -> ForgetResult:
        """Delete every row about a member in a server, and their id where they acted as a moderator.

        The moderator's reason stays on the other member's warning; only who gave it goes.
        """
        async with self._db.transaction() as connection:
            deleted = await connection.execute(
                "DELETE FROM warnings WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            anonymised = await connection.execute(
                "UPDATE warnings SET status_by = NULL WHERE guild_id = ? AND status_by = ?",
                (guild_id, user_id),
            )
            reviews = await connection.execute(
                "DELETE FROM review_items WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            decisions = await connection.execute(
                "UPDATE review_items SET decided_by = NULL WHERE guild_id = ? AND decided_by = ?",
                (guild_id, user_id),
            )
        return ForgetResult(deleted.rowcount, anonymised.rowcount + decisions.rowcount, reviews.rowcount)

    async def forget_guild(self, guild_id: int) -> int:
        """Delete everything stored about a server (settings, warnings, counters, departure, and the
        replies it still had to delete: the bot can no longer reach them)."""
        removed = 0
        tables = (
            "warnings",
            "review_items",
            "weekly_stats",
            "guild_settings",
            "guild_departures",
            "reply_deletions",
        )
        async with self._db.transaction() as connection:
            for table in tables:
                cursor = await connection.execute(f"DELETE FROM {table} WHERE guild_id = ?", (guild_id,))
                removed += cursor.rowcount
        self._db.guild_settings.forget_cached(guild_id)
        return removed

    async def drop_training_texts(self, guild_id: int) -> int:
        """The server turned the labelled export off: delete the masked texts kept for it."""
        removed = 0
        async with self._db.transaction() as connection:
            for table, column in (("warnings", "training_text"), ("review_items", "text")):
                cursor = await connection.execute(
                    f"UPDATE {table} SET {column} = NULL WHERE guild_id = ? AND {column} IS NOT NULL",
                    (guild_id,),
                )
                removed += cursor.rowcount
        return removed

    async def purge_expired(self, *, now: int | None = None) -> int:
        """Retention: delete warnings that stopped counting (expired, pardoned or dismissed) more
        than the server's ``retention_days`` ago. Active, unexpired warnings are never purged.
        Review items go ``retention_days`` after their decision (open ones after their creation)."""
        now = now_ts() if now is None else now
        reviews = await self._db.execute(
            """
            DELETE FROM review_items WHERE id IN (
                SELECT r.id FROM review_items AS r
                LEFT JOIN guild_settings AS g ON g.guild_id = r.guild_id
                WHERE COALESCE(r.decided_at, r.created_at) + COALESCE(g.retention_days, ?) * ? <= ?
            )
            """,
            (DEFAULT_RETENTION_DAYS, SECONDS_PER_DAY, now),
        )
        return reviews + await self._db.execute(
            """
            DELETE FROM warnings WHERE id IN (
                SELECT w.id FROM warnings AS w
                LEFT JOIN guild_settings AS g ON g.guild_id = w.guild_id
                WHERE (CASE WHEN w.status = 'active' THEN w.expires_at ELSE w.status_at END)
                      + COALESCE(g.retention_days, ?) * ? <= ?
            )
            """,
            (DEFAULT_RETENTION_DAYS, SECONDS_PER_DAY, now),
        )
