"""The ``weekly_stats`` table: counters per server, week and rule (no member ids)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.warnings import SECONDS_PER_DAY, now_ts

if TYPE_CHECKING:
    from db.database import Database

# warning: a warning recorded · dismissal: a moderator pressed "Not a violation" (a false positive)
# answer: a rule question answered · shadow: detected while in shadow mode · review_request: disputed
STAT_KINDS: tuple[str, ...] = ("warning", "dismissal", "answer", "shadow", "review_request", "review")
SECONDS_PER_WEEK = 7 * SECONDS_PER_DAY


def week_start(ts: int) -> int:
    """Monday 00:00 UTC of the week holding ``ts`` (1970-01-01 was a Thursday)."""
    days = ts // SECONDS_PER_DAY
    return (days - (days + 3) % 7) * SECONDS_PER_DAY


@dataclass(frozen=True, slots=True)
class StatRow:
    week_start: int
    kind: str
    key: str
    count: int


class StatsRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, guild_id: int, kind: str, key: str, *, now: int | None = None) -> None:
        """Add one to this week's counter."""
        if kind not in STAT_KINDS:
            raise ValueError(f"unknown stat kind {kind!r} (known: {', '.join(STAT_KINDS)})")
        week = week_start(now_ts() if now is None else now)
        await self._db.execute(
            """
            INSERT INTO weekly_stats (guild_id, week_start, kind, key, count) VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (guild_id, week_start, kind, key) DO UPDATE SET count = count + 1
            """,
            (guild_id, week, kind, key),
        )

    async def since(self, guild_id: int, weeks: int = 12, *, now: int | None = None) -> list[StatRow]:
        """Counters of the last ``weeks`` weeks (this one included), oldest first."""
        first = week_start(now_ts() if now is None else now) - (weeks - 1) * SECONDS_PER_WEEK
        rows = await self._db.fetchall(
            """
            SELECT week_start, kind, key, count FROM weekly_stats
            WHERE guild_id = ? AND week_start >= ? ORDER BY week_start, kind, key
            """,
            (guild_id, first),
        )
        return [StatRow(row["week_start"], row["kind"], row["key"], row["count"]) for row in rows]

    async def delete_guild(self, guild_id: int) -> int:
        return await self._db.execute("DELETE FROM weekly_stats WHERE guild_id = ?", (guild_id,))
