"""The retention task: old warnings purged, servers that left purged after 30 days, returns kept."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.retention import REPLY_DELETION_EVERY_S, Retention
from db import Database, GuildSettings, now_ts
from db.warnings import SECONDS_PER_DAY
from tests.cogs.toolkit import warn
from tests.helpers import http_error, make_guild, spec_mock


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


# ---- auto-delete of the bot's public replies ----------------------------------------------------


class FakeChannels:
    """Stands in for bot.get_partial_messageable: spec'd channels whose partial messages record
    the deletions Discord was asked for; ``errors`` makes a message's delete fail."""

    def __init__(self) -> None:
        self.deleted: list[tuple[int, int]] = []  # (channel id, message id)
        self.errors: dict[int, discord.HTTPException] = {}

    def __call__(self, channel_id: int, *, guild_id: int | None = None, type: Any = None) -> Any:
        channel = spec_mock(discord.PartialMessageable)

        def get_partial_message(message_id: int) -> Any:
            message = spec_mock(discord.PartialMessage)

            async def delete(*, delay: float | None = None) -> None:
                if message_id in self.errors:
                    raise self.errors[message_id]
                self.deleted.append((channel_id, message_id))

            message.delete.side_effect = delete
            return message

        channel.get_partial_message.side_effect = get_partial_message
        return channel


@pytest.fixture
def channels(cog: Retention, monkeypatch: pytest.MonkeyPatch) -> FakeChannels:
    fake = FakeChannels()
    monkeypatch.setattr(cog.bot, "get_partial_messageable", fake)
    return fake


async def schedule(database: Database, guild_id: int, message_id: int, *, due_in: int, now: int) -> None:
    await database.reply_deletions.schedule(
        guild_id=guild_id, channel_id=guild_id + 1, message_id=message_id, after_s=due_in, now=now
    )


async def test_a_pass_deletes_the_replies_that_are_due_and_keeps_the_rest(
    cog: Retention, database: Database, channels: FakeChannels
) -> None:
    now = now_ts()
    guild, other = make_guild(), make_guild()
    await schedule(database, guild.id, 1, due_in=-5, now=now)
    await schedule(database, other.id, 2, due_in=0, now=now)
    await schedule(database, guild.id, 3, due_in=60, now=now)

    assert await cog.delete_due_replies(now=now) == 2

    assert channels.deleted == [(guild.id + 1, 1), (other.id + 1, 2)]
    assert [p.message_id for p in await database.reply_deletions.pending(guild.id)] == [3]
    assert await database.reply_deletions.pending(other.id) == []
    assert await cog.delete_due_replies(now=now + 59) == 0
    assert await cog.delete_due_replies(now=now + 60) == 1
    assert channels.deleted[-1] == (guild.id + 1, 3)


@pytest.mark.parametrize(
    ("error", "logged"),
    [
        (http_error(discord.NotFound, 404), "was already gone"),
        (http_error(discord.Forbidden, 403), "no permission to delete reply"),
    ],
)
async def test_a_reply_already_gone_or_not_deletable_is_dropped_with_a_log_line(
    cog: Retention,
    database: Database,
    channels: FakeChannels,
    caplog: pytest.LogCaptureFixture,
    error: discord.HTTPException,
    logged: str,
) -> None:
    now = now_ts()
    guild = make_guild()
    await schedule(database, guild.id, 1, due_in=0, now=now)
    await schedule(database, guild.id, 2, due_in=0, now=now)
    channels.errors[1] = error
    with caplog.at_level(logging.INFO, logger="cogs.retention"):
        assert await cog.delete_due_replies(now=now) == 1
    assert channels.deleted == [(guild.id + 1, 2)], "the next reply is still deleted"
    assert await database.reply_deletions.pending(guild.id) == []
    assert logged in caplog.text
    assert "reply 1 " in caplog.text


async def test_a_discord_error_is_tried_again_next_pass_and_given_up_a_day_late(
    cog: Retention, database: Database, channels: FakeChannels, caplog: pytest.LogCaptureFixture
) -> None:
    now = now_ts()
    guild = make_guild()
    await schedule(database, guild.id, 1, due_in=0, now=now)
    await schedule(database, guild.id, 2, due_in=0, now=now)
    channels.errors[1] = channels.errors[2] = http_error(discord.DiscordServerError, 503)

    assert await cog.delete_due_replies(now=now) == 0
    assert [p.message_id for p in await database.reply_deletions.pending(guild.id)] == [1, 2]
    assert "trying again next pass" in caplog.text

    del channels.errors[1]
    assert await cog.delete_due_replies(now=now + REPLY_DELETION_EVERY_S) == 1
    assert channels.deleted == [(guild.id + 1, 1)]
    assert [p.message_id for p in await database.reply_deletions.pending(guild.id)] == [2]

    assert await cog.delete_due_replies(now=now + 86_400) == 0
    assert await database.reply_deletions.pending(guild.id) == []
    assert "dropped: it has failed for a day" in caplog.text


async def test_the_loop_starts_when_connected_and_runs_a_pass_at_once(
    cog: Retention, database: Database, channels: FakeChannels, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What fell due while the bot was down is deleted as soon as it is back."""
    guild = make_guild()
    await schedule(database, guild.id, 1, due_in=-600, now=now_ts())
    monkeypatch.setattr(cog.purge_task, "start", lambda: None)  # not this test's business
    await cog.on_ready()
    try:
        assert cog.reply_deletion_task.is_running()
        for _ in range(200):
            if channels.deleted:
                break
            await asyncio.sleep(0.01)
        assert channels.deleted == [(guild.id + 1, 1)]
    finally:
        cog.reply_deletion_task.cancel()
