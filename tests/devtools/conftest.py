"""Fixtures: the emulator with a small server, and a plain discord.py bot (not bot.py) logged into it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import discord
import pytest
import yarl
from discord.ext import commands

from devtools.emulator import Channel, FakeDiscord, Guild, Member, Role
from devtools.emulator.world import MODERATOR_PERMISSIONS


@dataclass
class Server:
    emu: FakeDiscord
    guild: Guild
    general: Channel
    help: Channel
    newbie: Member
    moderator: Member
    mod_role: Role


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    emu = FakeDiscord()
    world = emu.world
    guild = world.add_guild("Emulator Test")
    general = world.add_channel(guild, "general")
    help_channel = world.add_channel(guild, "fiverr-help")
    world.add_channel(guild, "a thread", type=11, parent=general)
    mod_role = world.add_role(guild, "Moderators", permissions=MODERATOR_PERMISSIONS)
    newbie = world.add_member(guild, "newbie")
    moderator = world.add_member(guild, "mod", roles=[mod_role])
    await emu.start()
    monkeypatch.setattr(discord.http.Route, "BASE", emu.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(emu.gateway_url))
    yield Server(emu, guild, general, help_channel, newbie, moderator, mod_role)
    await emu.stop()


@pytest.fixture
async def start_bot() -> AsyncIterator[Callable[..., object]]:
    """Start a discord.py Bot against the emulator; every bot started is closed at teardown."""
    running: list[tuple[commands.Bot, asyncio.Task[None]]] = []

    async def start(
        bot: commands.Bot | None = None, *, token: str = "fake-token", wait_ready: bool = True
    ) -> commands.Bot:
        if bot is None:
            bot = make_bot()
        task = asyncio.create_task(bot.start(token))
        running.append((bot, task))
        if wait_ready:
            ready = asyncio.create_task(bot.wait_until_ready())
            done, _ = await asyncio.wait({ready, task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                ready.cancel()
                task.result()  # raises the start error
            assert ready in done, "bot did not become ready"
        return bot

    yield start
    for bot, task in running:
        await bot.close()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


def make_bot(*, message_content: bool = True, members: bool = True) -> commands.Bot:
    intents = discord.Intents.default()
    intents.message_content = message_content
    intents.members = members
    # guild_ready_timeout: do not wait the default 2 s for more GUILD_CREATEs.
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)

    async def identify_without_delay(shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before every re-IDENTIFY; needless against the emulator."""

    bot.before_identify_hook = identify_without_delay  # type: ignore[method-assign]
    return bot
