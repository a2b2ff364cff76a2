"""Onboarding: one short setup message when GigGuard joins a server, where it can post it."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.onboarding import Onboarding
from cogs.settings import Settings
from db import Database
from tests.helpers import http_error, make_channel, make_guild, make_interaction, make_member, sent_kwargs


@pytest.fixture
def cog(bot: GigGuardBot) -> Onboarding:
    return Onboarding(bot)


def joined_guild(*, system_channel: bool = True, can_post: bool = True) -> Any:
    guild = make_guild()
    guild.me = make_member(guild)
    guild.me.guild_permissions = discord.Permissions(send_messages=can_post, embed_links=can_post)
    guild.system_channel = make_channel(guild) if system_channel else None
    guild.owner = make_member(guild)
    guild.owner_id = guild.owner.id
    return guild


async def test_the_setup_message_goes_to_the_system_channel_with_three_steps(cog: Onboarding) -> None:
    guild = joined_guild()
    await cog.on_guild_join(guild)
    [kwargs] = sent_kwargs(guild.system_channel.send)
    embed = kwargs["embed"]
    assert [field.name for field in embed.fields] == [
        "1. Choose the mod-log channel",
        "2. Choose the marketplaces",
        "3. Try it in shadow mode first",
    ]
    assert "/gigguard modlog" in embed.fields[0].value
    assert "shadow" in embed.fields[2].value
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    guild.owner.send.assert_not_awaited()


@pytest.mark.parametrize(
    "guild_kwargs",
    [{"system_channel": False}, {"can_post": False}],
    ids=["no-system-channel", "no-permission"],
)
async def test_without_a_usable_system_channel_the_owner_gets_a_dm(
    cog: Onboarding, guild_kwargs: dict[str, bool]
) -> None:
    guild = joined_guild(**guild_kwargs)
    await cog.on_guild_join(guild)
    [kwargs] = sent_kwargs(guild.owner.send)
    assert "Freelancers Hub" in kwargs["content"]
    assert kwargs["embed"].title == "Thanks for adding GigGuard"
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()


async def test_a_refused_post_falls_back_to_the_owner_and_closed_dms_are_only_logged(
    cog: Onboarding, caplog: pytest.LogCaptureFixture
) -> None:
    guild = joined_guild()
    guild.system_channel.send.side_effect = http_error(discord.Forbidden, 403)
    guild.owner.send.side_effect = http_error(discord.Forbidden, 403)
    with caplog.at_level(logging.INFO, logger="cogs.onboarding"):
        await cog.on_guild_join(guild)  # must not raise
    guild.owner.send.assert_awaited_once()
    assert "Could not greet guild" in caplog.text


async def test_a_server_that_was_set_up_before_is_not_greeted_again(
    cog: Onboarding, database: Database
) -> None:
    guild = joined_guild()
    await database.guild_settings.update(guild.id, modlog_channel_id=5)
    await cog.on_guild_join(guild)
    guild.system_channel.send.assert_not_awaited()
    guild.owner.send.assert_not_awaited()


async def test_the_welcome_and_gigguard_setup_give_the_same_commands(
    cog: Onboarding, bot: GigGuardBot
) -> None:
    guild = joined_guild()
    await cog.on_guild_join(guild)
    [kwargs] = sent_kwargs(guild.system_channel.send)
    welcome = {field.name: field.value for field in kwargs["embed"].fields}

    interaction = make_interaction(guild, user=make_member(guild, manage_messages=True), manage_messages=True)
    settings = Settings(bot)
    await settings.setup_command.callback(settings, interaction)
    [answer] = sent_kwargs(interaction.response.send_message)
    for field in answer["embed"].fields:
        title = field.name.removesuffix(": to do")
        assert welcome[title] in field.value, f"{title}: the welcome's text is the setup answer's"
