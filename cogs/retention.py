"""Retention: purge warnings past their server's retention time, and servers gone for 30 days."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from db import DEPARTURE_GRACE_DAYS

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

PURGE_EVERY_HOURS = 6


class Retention(commands.Cog):
    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # Started once connected (on_ready can fire again after a reconnect).
        if not self.purge_task.is_running():
            self.purge_task.start()

    async def cog_unload(self) -> None:
        self.purge_task.cancel()

    async def purge_once(self) -> tuple[int, int]:
        """One pass: (warnings purged, servers purged)."""
        warnings = await self.bot.db.privacy.purge_expired()
        guilds = 0
        for guild_id in await self.bot.db.departures.due(grace_days=DEPARTURE_GRACE_DAYS):
            if self.bot.get_guild(guild_id) is not None:  # back, and we missed the join event
                await self.bot.db.departures.mark_returned(guild_id)
                continue
            await self.bot.db.privacy.forget_guild(guild_id)
            guilds += 1
        if warnings or guilds:
            log.info(
                "Retention: purged %d old warnings and the data of %d departed servers", warnings, guilds
            )
        return warnings, guilds

    @tasks.loop(hours=PURGE_EVERY_HOURS)
    async def purge_task(self) -> None:
        try:
            await self.purge_once()
        except Exception:  # the next pass tries again; the bot keeps running
            log.exception("Retention pass failed")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.bot.db.departures.mark_left(guild.id)
        log.info("Removed from guild %s: its data will be purged in %d days", guild.id, DEPARTURE_GRACE_DAYS)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await self.bot.db.departures.mark_returned(guild.id):
            log.info("Back in guild %s: its data is kept", guild.id)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Retention(bot))
