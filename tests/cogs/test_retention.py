"""The retention task: old warnings purged, servers that left purged after 30 days, returns kept."""

from __future__ import annotations

from typing import Any

import pytest

from bot import GigGuardBot
from cogs.retention import Retention
from db import Database, GuildSettings, now_ts
from db.warnings import SECONDS_PER_DAY
from tests.cogs.toolkit import warn
from tests.helpers import make_guild


@pytest.fixture
def cog(bot: GigGuardBot) -> Retention:
    return Retention(bot)


async def test_a_pass_purges_old_warnings_and_long_gone_servers(
    cog: Retention, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = now_ts()
    stays, gone = make_guild(), make_guild()
    kept = await warn(database, stays.id, 1)
    old = await warn(database, stays.id, 1, now=now - 400 * SECONDS_PER_DAY)  # expired 310 days ago
    await database.guild_settings.update(gone.id, modlog_channel_id=5)
    await warn(database, gone.id, 1)
    await database.departures.mark_left(gone.id, now=now - 31 * SECONDS_PER_DAY)
    monkeypatch.setattr(cog.bot, "get_guild", lambda guild_id: None)

    assert await cog.purge_once() == (1, 1)

    assert await database.warnings.get(kept.id) is not None
    assert await database.warnings.get(old.id) is None
    assert await database.warnings.count(gone.id) == 0
    assert await database.guild_settings.get(gone.id) == GuildSettings(gone.id)


async def test_leaving_starts_the_grace_period_and_coming_back_cancels_it(
    cog: Retention, database: Database
) -> None:
    guild: Any = make_guild()
    await database.guild_settings.update(guild.id, modlog_channel_id=5)
    await cog.on_guild_remove(guild)
    assert await database.departures.left_at(guild.id) is not None
    await cog.on_guild_join(guild)
    assert await database.departures.left_at(guild.id) is None
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id == 5


async def test_a_recent_departure_keeps_the_settings(cog: Retention, database: Database) -> None:
    guild: Any = make_guild()
    await database.guild_settings.update(guild.id, modlog_channel_id=5)
    await cog.on_guild_remove(guild)
    assert await cog.purge_once() == (0, 0)
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id == 5
