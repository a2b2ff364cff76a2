"""Shared set-up for the moderator toolkit's cog tests (mod-log channel, answers, warnings)."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot import GigGuardBot
from db import Database, WarningRecord
from tests.helpers import make_channel, next_id, sent_kwargs

NONE = discord.AllowedMentions.none().to_dict()


async def attach_modlog(
    bot: GigGuardBot, database: Database, guild: Any, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """A mod-log channel the (never connected) bot can find, configured for the server."""
    channel = make_channel(guild)
    monkeypatch.setattr(bot, "get_channel", lambda channel_id: channel if channel_id == channel.id else None)
    await database.guild_settings.update(guild.id, modlog_channel_id=channel.id)
    return channel


def modlog_posts(channel: Any) -> list[dict[str, Any]]:
    posts = sent_kwargs(channel.send)
    for post in posts:
        assert post["allowed_mentions"].to_dict()["parse"] == [], "the mod-log never pings by parsing"
    return posts


def answers(interaction: Any) -> list[dict[str, Any]]:
    """Everything sent in answer to an interaction (direct responses and follow-ups)."""
    sent = sent_kwargs(interaction.response.send_message) + sent_kwargs(interaction.followup.send)
    for kwargs in sent:
        assert kwargs["allowed_mentions"].to_dict() == NONE
    return sent


def answer_text(interaction: Any) -> str:
    parts = []
    for kwargs in answers(interaction):
        parts.append(kwargs.get("content") or "")
        embed = kwargs.get("embed")
        if embed is not None:
            parts += [embed.title or "", embed.description or ""]
            parts += [f"{field.name} {field.value}" for field in embed.fields]
    return "\n".join(parts)


def assert_private(interaction: Any) -> None:
    sent = answers(interaction)
    assert sent, "the interaction got an answer"
    assert all(kwargs.get("ephemeral") for kwargs in sent)


async def warn(
    database: Database,
    guild_id: int,
    user_id: int,
    *,
    rule_id: str = "test.email",
    now: int | None = None,
    lifetime_days: int | None = 90,
) -> WarningRecord:
    warning = await database.warnings.add(
        guild_id=guild_id,
        user_id=user_id,
        channel_id=next_id(),
        message_id=next_id(),
        rule_id=rule_id,
        platform="fiverr",
        topic="email",
        snippet="s***@g****.com",
        lifetime_days=lifetime_days,
        now=now,
    )
    assert warning is not None
    return warning
