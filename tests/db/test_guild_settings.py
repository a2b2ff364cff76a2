"""GuildSettingsRepository on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Database, GuildSettings


async def test_a_new_server_gets_the_defaults_without_a_row(database: Database) -> None:
    settings = await database.guild_settings.get(1)
    assert settings == GuildSettings(1)
    assert settings.reply_cooldown_s == 60
    assert settings.warning_lifetime_days == 90
    assert settings.exempt_moderators is True
    assert (await database.fetchone("SELECT COUNT(*) FROM guild_settings"))[0] == 0


async def test_update_round_trips_through_the_file(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.guild_settings.update(
        1,
        platforms=("upwork", "fiverr"),
        exempt_role_ids=frozenset({5, 6}),
        exempt_channel_ids=frozenset({7}),
        exempt_moderators=False,
        modlog_channel_id=8,
        reply_mode="log",
    )
    await database.close()
    reopened = await Database.open(db_path)
    try:
        settings = await reopened.guild_settings.get(1)
    finally:
        await reopened.close()
    assert settings.platforms == ("upwork", "fiverr")
    assert settings.exempt_role_ids == frozenset({5, 6})
    assert settings.exempt_channel_ids == frozenset({7})
    assert settings.exempt_moderators is False
    assert settings.modlog_channel_id == 8
    assert settings.reply_mode == "log"
    assert settings.reply_cooldown_s == 60  # untouched


async def test_bad_values_are_refused_and_nothing_is_written(database: Database) -> None:
    with pytest.raises(ValueError, match="reply mode"):
        await database.guild_settings.update(1, reply_mode="shout")
    with pytest.raises(ValueError, match="negative"):
        await database.guild_settings.update(1, reply_cooldown_s=-1)
    with pytest.raises(TypeError):
        await database.guild_settings.update(1, no_such_setting=True)
    assert (await database.fetchone("SELECT COUNT(*) FROM guild_settings"))[0] == 0


async def test_delete_goes_back_to_defaults(database: Database) -> None:
    await database.guild_settings.update(1, reply_cooldown_s=5)
    assert await database.guild_settings.delete(1)
    assert await database.guild_settings.get(1) == GuildSettings(1)
    assert not await database.guild_settings.delete(1)
