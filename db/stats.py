"""The ``weekly_stats`` table: counters per server, week, topic and rule (no member ids)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.warnings import SECONDS_PER_DAY, now_ts

if TYPE_CHECKING:
    from db.database import Database

# warning: a warning recorded (automatic, or a review item a moderator confirmed)
# dismissal: a moderator pressed "Not a violation" on a warning (a false positive)
# answer: a rule question answered · shadow: detected while in shadow mode
# review_request: the warned member disputed · review: sent to the mod-log for review
# review_confirmed / review_dismissed: a moderator's decision on a review item
STAT_KINDS: tuple[str, ...] = (
    "warning",
    "dismissal",
    "answer",
    "shadow",
    "review_request",
    "review",
    "review_confirmed",
    "review_dismissed",
)
# rule: key is a rule id · topic: key is "platform.topic" (see rules.naming.topic_key)
STAT_SCOPES: tuple[str, ...] = ("rule", "topic")
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
    scope: str = "rule"


_UPSERT = """
    INSERT INTO weekly_stats (guild_id, week_start, kind, scope, key, count) VALUES (?, ?, ?, ?, ?, 1)
    ON CONFLICT (guild_id, week_start, kind, scope, key) DO UPDATE SET count = count + 1
"""


class StatsRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(
        self, guild_id: int, kind: str, key: str, *, scope: str = "rule", now: int | None = None
    ) -> None:
        """Add one to this week's counter of one rule (or, with scope="topic", one topic)."""
        _check(kind, scope)
        week = week_start(now_ts() if now is None else now)
        await self._db.execute(_UPSERT, (guild_id, week, kind, scope, key))

    async def record_event(
        self, guild_id: int, kind: str, *, topic: str, rule_ids: Iterable[str], now: int | None = None
    ) -> None:
        """One event: counted once for its topic key and once for each of its rule ids, together."""
        _check(kind, "topic")
        week = week_start(now_ts() if now is None else now)
        rows = [(guild_id, week, kind, "topic", topic)]
        rows += [(guild_id, week, kind, "rule", rule_id) for rule_id in dict.fromkeys(rule_ids)]
        async with self._db.transaction() as connection:
            await connection.executemany(_UPSERT, rows)

    async def since(self, guild_id: int, weeks: int = 12, *, now: int | None = None) -> list[StatRow]:
        """Counters of the last ``weeks`` weeks (this one included), oldest first."""
        first = week_start(now_ts() if now is None else now) - (weeks - 1) * SECONDS_PER_WEEK
        rows = await self._db.fetchall(
            """
            SELECT week_start, kind, key, count, scope FROM weekly_stats
            WHERE guild_id = ? AND week_start >= ? ORDER BY week_start, kind, scope, key
            """,
            (guild_id, first),
        )
        return [
            StatRow(row["week_start"], row["kind"], row["key"], row["count"], row["scope"]) for row in rows
        ]

    async def delete_guild(self, guild_id: int) -> int:
        return await self._db.execute("DELETE FROM weekly_stats WHERE guild_id = ?", (guild_id,))


def _check(kind: str, scope: str) -> None:
    if kind not in STAT_KINDS:
        raise ValueError(f"unknown stat kind {kind!r} (known: {', '.join(STAT_KINDS)})")
    if scope not in STAT_SCOPES:
        raise ValueError(f"unknown stat scope {scope!r} (known: {', '.join(STAT_SCOPES)})")
