"""Onboarding: when GigGuard joins a server it says, once, how to set it up.

The message goes to the server's system channel when GigGuard may post there, else to the
owner by DM; if neither works, the log says so and nothing else happens. A server that comes
back with its settings kept (retention's grace period) is not greeted again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from cogs._embeds import ANSWER_COLOUR, setup_steps

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)


def welcome_embed(platform_names: tuple[str, ...], platforms: tuple[str, ...]) -> discord.Embed:
    embed = discord.Embed(
        title="Thanks for adding GigGuard",
        description=(
            "I answer questions about marketplace rules and warn when someone advises taking "
            f"clients, their messages or their payments off {' or '.join(platform_names)}. "
            "Three steps for a moderator (Manage Messages):"
        ),
        colour=ANSWER_COLOUR,
    )
    for step in setup_steps(platforms, platform_names):
        embed.add_field(name=step.title, value=step.how, inline=False)
    embed.set_footer(text="/gigguard setup shows these steps and what is already done.")
    return embed


class Onboarding(commands.Cog):
    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        settings = await self.bot.db.guild_settings.get(guild.id)
        if settings.modlog_channel_id is not None:
            return  # set up before (a server that came back within the grace period)
        platforms = self.bot.platforms_for(settings)
        embed = welcome_embed(tuple(self.bot.engine.pack(p).name for p in platforms), platforms)
        if await self.post_in_system_channel(guild, embed) or await self.send_to_owner(guild, embed):
            return
        log.info("Could not greet guild %s: no system channel I may post in, owner DMs closed", guild.id)

    async def post_in_system_channel(self, guild: discord.Guild, embed: discord.Embed) -> bool:
        channel = guild.system_channel
        if channel is None:
            return False
        permissions = channel.permissions_for(guild.me)
        if not (permissions.send_messages and permissions.embed_links):
            return False
        try:
            await channel.send(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.info("Could not post the welcome in guild %s (HTTP %s)", guild.id, exc.status)
            return False
        return True

    async def send_to_owner(self, guild: discord.Guild, embed: discord.Embed) -> bool:
        owner = guild.owner
        if owner is None:
            try:
                owner = await guild.fetch_member(guild.owner_id) if guild.owner_id else None
            except discord.HTTPException:
                owner = None
        if owner is None:
            return False
        try:
            await owner.send(
                content=f"GigGuard was added to **{discord.utils.escape_markdown(guild.name)}**.",
                embed=embed,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as exc:
            log.info("Could not DM the owner of guild %s (HTTP %s)", guild.id, exc.status)
            return False
        return True


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Onboarding(bot))
