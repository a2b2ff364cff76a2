"""/checkdraft and the "Check for off-platform contact" message menu.

A draft is something a member plans to send a client. It is judged, answered privately, and
forgotten: never stored, never logged (not even at DEBUG), not even its length.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs._embeds import draft_embed
from cogs._errors import report_app_command_error, respond

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

DRAFT_MAX_LENGTH = 4000  # Discord's limit for a modal text field
CONTEXT_MENU_NAME = "Check for off-platform contact"


class DraftModal(discord.ui.Modal, title="Check a draft"):
    draft: discord.ui.Label[DraftModal] = discord.ui.Label(
        text="Your draft message",
        description="Multi-line is fine. Nothing you paste here is stored.",
        component=discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            placeholder="Paste the message you plan to send your client",
            max_length=DRAFT_MAX_LENGTH,
        ),
    )

    @property
    def draft_input(self) -> discord.ui.TextInput[DraftModal]:
        return self.draft.component  # type: ignore[return-value]

    def __init__(self, cog: Drafts) -> None:
        super().__init__()
        self.cog = cog

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.check_and_answer(interaction, self.draft_input.value)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        # A Modal's on_error takes no item (discord.py types it through View's signature).
        await report_app_command_error(interaction, error)


class Drafts(commands.Cog):
    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot
        self.context_menu = app_commands.ContextMenu(name=CONTEXT_MENU_NAME, callback=self.check_message)
        self.context_menu.guild_only = True

    async def cog_load(self) -> None:
        # Context menus cannot live inside a cog class; they are added to the tree by hand.
        self.bot.tree.add_command(self.context_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.context_menu.name, type=self.context_menu.type)

    @app_commands.command(name="checkdraft")
    @app_commands.guild_only()
    @app_commands.describe(text="A one-line draft; leave it out to paste a longer one in a form")
    async def checkdraft(self, interaction: discord.Interaction, text: str | None = None) -> None:
        """Check a message before you send it to a client: is it safe under the platform's rules?"""
        if text is None or not text.strip():
            await interaction.response.send_modal(DraftModal(self))
            return
        await self.check_and_answer(interaction, text)

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        if not message.content:
            await respond(interaction, "That message has no text to check.")
            return
        await self.check_and_answer(interaction, message.content)

    async def check_and_answer(self, interaction: discord.Interaction, text: str) -> None:
        """Judge the draft and answer only the member who asked."""
        if not text.strip():
            await respond(interaction, "There is nothing to check: the draft is empty.")
            return
        platforms = None
        if interaction.guild_id is not None:
            settings = await self.bot.db.guild_settings.get(interaction.guild_id)
            platforms = self.bot.platforms_for(settings)
        # The model runs in a worker thread: the event loop keeps serving everyone else.
        verdict = await asyncio.to_thread(self.bot.engine.draft, text, platforms)
        pack = self.bot.engine.pack(verdict.platform)
        topic = pack.topics.get(verdict.topic) if verdict.topic else None
        await respond(interaction, embed=draft_embed(verdict, pack, topic), ephemeral=True)

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_app_command_error(interaction, error)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Drafts(bot))
