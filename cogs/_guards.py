"""The in-code moderator check every moderator command body starts with.

``moderator_only()`` (cogs/_checks.py) hides a command from non-moderators and refuses them
before the callback runs; servers can still re-grant a command to anyone in their integration
settings, and buttons have no such layer at all. So the command bodies check again, here.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from cogs._checks import is_moderator
from cogs._errors import friendly_message, respond

log = logging.getLogger(__name__)


async def ensure_moderator(interaction: discord.Interaction) -> bool:
    """True for a moderator in a server; otherwise answers privately why not and returns False."""
    try:
        return is_moderator(interaction)
    except app_commands.CheckFailure as refusal:
        message, _ = friendly_message(refusal)
        log.info("Refused a moderator action for user %s: %s", interaction.user.id, type(refusal).__name__)
        await respond(interaction, message)
        return False
