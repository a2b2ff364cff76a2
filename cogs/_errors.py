"""One place that turns an interaction error into a friendly ephemeral answer and a log line.

Both layers call it: each cog's ``cog_app_command_error`` and the tree's ``on_error``
fallback (bot.GigGuardTree). discord.py calls both for the same error, so the first call marks
the interaction as handled and the second does nothing.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

log = logging.getLogger(__name__)

_HANDLED = "gigguard_error_handled"
GENERIC_ERROR = (
    "Sorry, something went wrong on my side. The moderators can find the details in the bot's log."
)


def friendly_message(error: BaseException) -> tuple[str, bool]:
    """What to tell the member, and whether this is a bug worth a traceback in the log."""
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server.", False
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Messages permission for this.", False
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"I am missing a permission here: {missing}.", False
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s.", False
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here.", False
    if isinstance(error, app_commands.TransformerError):
        return "I could not understand one of the options; pick a value from the list.", False
    return GENERIC_ERROR, True


async def respond(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    ephemeral: bool = True,
) -> None:
    """Answer an interaction whether or not it was already answered or deferred."""
    kwargs: dict = {"ephemeral": ephemeral, "allowed_mentions": discord.AllowedMentions.none()}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


async def report_app_command_error(interaction: discord.Interaction, error: BaseException) -> None:
    if interaction.extras.get(_HANDLED):
        return
    interaction.extras[_HANDLED] = True
    original = getattr(error, "original", error)  # CommandInvokeError wraps the real exception
    message, is_bug = friendly_message(original)
    command = interaction.command.qualified_name if interaction.command else "interaction"
    if is_bug:
        # Only identifiers: option values may be a member's draft, which is never logged.
        log.error(
            "Error in %s (guild %s, channel %s, user %s)",
            command,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            exc_info=(type(original), original, original.__traceback__),
        )
    else:
        log.info("Refused %s for user %s: %s", command, interaction.user.id, type(original).__name__)
    try:
        await respond(interaction, message)
    except discord.HTTPException:
        log.warning("Could not send the error message for %s (interaction expired?)", command)
