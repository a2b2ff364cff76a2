"""The ``guild_departures`` table: when the bot left a server (its data goes 30 days later)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from db.warnings import SECONDS_PER_DAY, now_ts

if TYPE_CHECKING:
    from db.database import Database

DEPARTURE_GRACE_DAYS = 30


class GuildDepartureRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def mark_left(self, guild_id: int, *, now: int | None = None) -> None:
        """The bot was removed: start the grace period (an earlier departure keeps its date)."""
        await self._db.execute(
            """
            INSERT INTO guild_departures (guild_id, left_at) VALUES (?, ?)
            ON CONFLICT (guild_id) DO NOTHING
            """,
            (guild_id, now_ts() if now is None else now),
        )

    async def mark_returned(self, guild_id: int) -> bool:
        """The bot is back: nothing will be purged. True if a departure was pending."""
        return await self._db.execute("DELETE FROM guild_departures WHERE guild_id = ?", (guild_id,)) > 0

    async def left_at(self, guild_id: int) -> int | None:
        row = await self._db.fetchone("SELECT left_at FROM guild_departures WHERE guild_id = ?", (guild_id,))
        return None if row is None else int(row[0])

    async def due(self, *, grace_days: int = DEPARTURE_GRACE_DAYS, now: int | None = None) -> list[int]:
        """Servers gone for longer than the grace period."""
        cutoff = (now_ts() if now is None else now) - grace_days * SECONDS_PER_DAY
        rows = await self._db.fetchall(
            "SELECT guild_id FROM guild_departures WHERE left_at <= ? ORDER BY left_at", (cutoff,)
        )
        return [int(row[0]) for row in rows]
