"""Permission helpers shared by the cogs (one definition of "moderator")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")

# What makes someone a moderator for GigGuard: they can already remove messages.
MODERATOR_PERMISSION = "manage_messages"


def can_moderate(
    member: discord.Member | discord.User, channel: discord.abc.GuildChannel | discord.Thread
) -> bool:
    """True when the member has Manage Messages in that channel (False for non-members)."""
    if not isinstance(member, discord.Member):
        return False
    try:
        return channel.permissions_for(member).manage_messages
    except discord.ClientException:  # a thread whose parent is not cached
        return member.guild_permissions.manage_messages


def is_moderator(interaction: discord.Interaction) -> bool:
    """The runtime check behind moderator_only(): default permissions can be overridden per server."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not interaction.permissions.manage_messages:
        raise app_commands.MissingPermissions([MODERATOR_PERMISSION])
    return True


def moderator_only() -> Callable[[T], T]:
    """Hide the command from non-moderators AND refuse them in code."""

    def decorator(func: T) -> T:
        func = app_commands.default_permissions(manage_messages=True)(func)
        func = app_commands.guild_only()(func)
        return app_commands.check(is_moderator)(func)

    return decorator
