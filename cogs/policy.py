"""/policy: show a platform's rule on one topic, privately or for the whole channel."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs._embeds import policy_embed, safe_text
from cogs._errors import report_app_command_error, respond
from rules import PolicyPack, Topic

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

MAX_CHOICES = 25  # Discord's limit for autocomplete


def find_topic(pack: PolicyPack, wanted: str) -> Topic | None:
    """A topic by id or by title, ignoring case (autocomplete sends the id; typing may send a title)."""
    key = wanted.strip().lower()
    for topic in pack.topics.values():
        if key in (topic.id, topic.title.lower()):
            return topic
    return None


class Policy(commands.Cog):
    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    async def server_platform(self, guild_id: int | None) -> str:
        """The server's first enabled platform."""
        if guild_id is None:
            return self.bot.engine.default_platform
        settings = await self.bot.db.guild_settings.get(guild_id)
        return self.bot.platforms_for(settings)[0]

    @app_commands.command(name="policy")
    @app_commands.guild_only()
    @app_commands.describe(
        topic="What you want to know about (start typing: email, payments, calls...)",
        platform="Which marketplace (defaults to this server's)",
        public="Post the answer for everyone in this channel (default: only you see it)",
    )
    async def policy(
        self, interaction: discord.Interaction, topic: str, platform: str | None = None, public: bool = False
    ) -> None:
        """What a marketplace's rules say about a topic, what to do instead, and why."""
        engine = self.bot.engine
        platform_id = (platform or "").strip().lower() or await self.server_platform(interaction.guild_id)
        if platform_id not in engine.platforms:
            known = ", ".join(engine.platforms)
            await respond(
                interaction, f"I have no rules for {safe_text(platform_id, 100)}. Pick one of: {known}."
            )
            return
        pack = engine.pack(platform_id)
        found = find_topic(pack, topic)
        if found is None:
            topics = ", ".join(t.id for t in pack.topics.values())
            await respond(
                interaction, f"I do not know the topic {safe_text(topic, 100)}. Try one of: {topics}."
            )
            return
        embed = policy_embed(pack, found, framing="reference")
        await respond(interaction, embed=embed, ephemeral=not public)

    @policy.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        engine = self.bot.engine
        platform = getattr(interaction.namespace, "platform", None)
        if platform not in engine.platforms:
            platform = await self.server_platform(interaction.guild_id)
        needle = current.strip().lower()
        return [
            app_commands.Choice(name=topic.title[:100], value=topic.id)
            for topic in engine.pack(platform).topics.values()
            if needle in topic.id or needle in topic.title.lower()
        ][:MAX_CHOICES]

    @policy.autocomplete("platform")
    async def platform_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        engine = self.bot.engine
        needle = current.strip().lower()
        return [
            app_commands.Choice(name=engine.pack(platform_id).name[:100], value=platform_id)
            for platform_id in engine.platforms
            if needle in platform_id or needle in engine.pack(platform_id).name.lower()
        ][:MAX_CHOICES]

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_app_command_error(interaction, error)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Policy(bot))
