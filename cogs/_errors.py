"""One place that turns an interaction error into a friendly ephemeral answer and a log line.

Both layers call it: each cog's ``cog_app_command_error`` and the tree's ``on_error``
fallback (bot.GigGuardTree). discord.py calls both for the same error, so the first call marks
the interaction as handled and the second does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord
from discord import app_commands

log = logging.getLogger(__name__)

T = TypeVar("T")
# discord.py retries 500, 502, 504 and 524 itself but gives up at once on 503 (Discord's
# "service unavailable" during incidents); these pauses give a reply the same chances.
SERVICE_UNAVAILABLE_DELAYS: tuple[float, ...] = (1.0, 3.0, 5.0)

_HANDLED = "gigguard_error_handled"
GENERIC_ERROR = (
    "Sorry, something went wrong on my side. If it keeps happening, give the server's moderators "
    "this error id: `{error_id}` (the bot's host finds the details under it in the log)."
)


def new_error_id() -> str:
    """A short id that ties the member's error message to the log line with the traceback."""
    return secrets.token_hex(4)


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
        error_id = new_error_id()
        message = message.format(error_id=error_id)
        # Only identifiers: option values may be a member's draft, which is never logged.
        log.error(
            "Error %s in %s (guild %s, channel %s, user %s)",
            error_id,
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


async def retry_unavailable(send: Callable[[], Awaitable[T]]) -> T:
    """Run ``send``; when Discord answers 503, wait and send again (the last error is raised)."""
    for delay in SERVICE_UNAVAILABLE_DELAYS:
        try:
            return await send()
        except discord.DiscordServerError as exc:
            if exc.status != 503:
                raise
            log.info("Discord answered 503; sending again in %.0f s", delay)
            await asyncio.sleep(delay)
    return await send()
