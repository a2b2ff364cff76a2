"""The mod-log: embeds describing warnings and what moderators did, and posting them safely.

Posting never raises: a missing channel or permission is logged, and the caller carries on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs._embeds import ANSWER_COLOUR, OK_COLOUR, WARNING_COLOUR, safe_text, truncate
from db import GuildSettings, WarningRecord, now_ts

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

ESCALATION_COLOUR = discord.Colour.red()
NOTICE_COLOUR = discord.Colour.dark_grey()
SHADOW_COLOUR = discord.Colour.light_grey()

# event -> (title, colour)
EVENTS: dict[str, tuple[str, discord.Colour]] = {
    "warning": ("Warning", WARNING_COLOUR),
    "escalation": ("Escalation", ESCALATION_COLOUR),
    "pardon": ("Warning pardoned", OK_COLOUR),
    "dismissal": ("Not a violation: warning dismissed", OK_COLOUR),
    "review_request": ("Review requested by the member", ANSWER_COLOUR),
}


def warning_state(warning: WarningRecord, now: int | None = None) -> str:
    """What a person should read: active, expired, pardoned or dismissed."""
    if warning.status == "active" and not warning.is_active(now):
        return "expired"
    return warning.status


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def member_line(user_id: int) -> str:
    # A mention inside an embed never pings; it shows the member's name to moderators.
    return f"<@{user_id}> (`{user_id}`)"


def warning_event_embed(
    event: str,
    warning: WarningRecord,
    *,
    actor_id: int | None = None,
    reason: str | None = None,
    active: int | None = None,
    note: str | None = None,
    why: str | None = None,
) -> discord.Embed:
    """``reason``: a moderator's words; ``why``: the detector's one line (confidence, telling clause)."""
    title, colour = EVENTS[event]
    embed = discord.Embed(title=f"{title} · #{warning.id}", colour=colour)
    embed.add_field(name="Member", value=member_line(warning.user_id), inline=True)
    embed.add_field(name="Rule", value=safe_text(f"{warning.rule_id} ({warning.platform})", 256), inline=True)
    if active is not None:
        embed.add_field(name="Active warnings", value=str(active), inline=True)
    if why:
        embed.add_field(name="Why", value=safe_text(why, 512), inline=False)
    if warning.snippet or not why:
        embed.add_field(name="What was found", value=safe_text(warning.snippet or "—", 512), inline=False)
    embed.add_field(name="Message", value=f"[Jump to the message]({warning.jump_url})", inline=True)
    embed.add_field(name="Status", value=warning_state(warning), inline=True)
    if actor_id is not None:
        embed.add_field(name="By", value=member_line(actor_id), inline=True)
    if reason:
        embed.add_field(name="Reason", value=safe_text(reason, 512), inline=False)
    if note:
        embed.add_field(name="Note", value=truncate(note, 1024), inline=False)
    embed.timestamp = discord.utils.utcnow()
    return embed


def notice_embed(title: str, text: str) -> discord.Embed:
    """Something the moderators should know that is not a warning (a missing permission...)."""
    embed = discord.Embed(title=truncate(title, 256), description=truncate(text, 4096), colour=NOTICE_COLOUR)
    embed.timestamp = discord.utils.utcnow()
    return embed


def shadow_embed(*, user_id: int, rule_id: str, platform: str, snippet: str, jump_url: str) -> discord.Embed:
    embed = _detection_embed(
        "Shadow mode: would have warned",
        "Nothing was recorded and the member saw nothing.",
        user_id,
        rule_id,
        platform,
    )
    embed.add_field(name="What was found", value=safe_text(snippet or "—", 512), inline=False)
    return _with_jump_link(embed, jump_url)


def review_embed(
    *, user_id: int, rule_id: str, platform: str, confidence: float, reason: str, snippet: str, jump_url: str
) -> discord.Embed:
    """A message the detector was not sure enough about to warn in public: for a moderator to judge."""
    embed = _detection_embed(
        "For review: possible off-platform advice",
        "Not warned: the detector was not sure enough. Nothing was recorded about the member.",
        user_id,
        rule_id,
        platform,
    )
    embed.add_field(name="Confidence", value=f"{confidence:.0%}", inline=True)
    embed.add_field(name="Why", value=safe_text(reason or "—", 512), inline=False)
    if snippet:
        embed.add_field(name="What was found", value=safe_text(snippet, 512), inline=False)
    return _with_jump_link(embed, jump_url)


def _detection_embed(
    title: str, description: str, user_id: int, rule_id: str, platform: str
) -> discord.Embed:
    """A detection that recorded nothing (shadow mode, review): who and which rule."""
    embed = discord.Embed(title=title, description=description, colour=SHADOW_COLOUR)
    embed.add_field(name="Member", value=member_line(user_id), inline=True)
    embed.add_field(name="Rule", value=safe_text(f"{rule_id} ({platform})", 256), inline=True)
    return embed


def _with_jump_link(embed: discord.Embed, jump_url: str) -> discord.Embed:
    embed.add_field(name="Message", value=f"[Jump to the message]({jump_url})", inline=False)
    embed.timestamp = discord.utils.utcnow()
    return embed


def warning_line(warning: WarningRecord, now: int | None = None) -> tuple[str, str]:
    """One warning as an embed field (name, value) for /warnings and /mywarnings."""
    now = now_ts() if now is None else now
    state = warning_state(warning, now)
    name = truncate(f"#{warning.id} · {state} · {warning.rule_id}", 256)
    parts = [f"<t:{warning.created_at}:d> · [message]({warning.jump_url})"]
    if warning.snippet:
        parts.append(safe_text(warning.snippet, 200))
    if state == "active" and warning.expires_at:
        parts.append(f"expires <t:{warning.expires_at}:R>")
    if warning.status != "active":
        by = f" by <@{warning.status_by}>" if warning.status_by else ""
        why = f": {safe_text(warning.status_reason, 300)}" if warning.status_reason else ""
        parts.append(f"{warning.status}{by}{why}")
    if warning.review_requested_at:
        parts.append("review requested")
    return name, truncate("\n".join(parts), 1024)


WARNINGS_PER_PAGE = 5


def warning_pages(
    warnings: list[WarningRecord], *, title: str, active: int, now: int | None = None
) -> list[discord.Embed]:
    """Embeds of at most WARNINGS_PER_PAGE warnings each (one "none" page for an empty list)."""
    summary = f"{active} active · {len(warnings)} in total"
    if not warnings:
        return [discord.Embed(title=title, description="No warnings.", colour=ANSWER_COLOUR)]
    pages = []
    for start in range(0, len(warnings), WARNINGS_PER_PAGE):
        embed = discord.Embed(title=title, description=summary, colour=ANSWER_COLOUR)
        for warning in warnings[start : start + WARNINGS_PER_PAGE]:
            name, value = warning_line(warning, now)
            embed.add_field(name=name, value=value, inline=False)
        pages.append(embed)
    return pages


async def modlog_channel(bot: GigGuardBot, settings: GuildSettings) -> discord.abc.Messageable | None:
    if settings.modlog_channel_id is None:
        return None
    channel = bot.get_channel(settings.modlog_channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(settings.modlog_channel_id)
        except discord.HTTPException as exc:
            log.warning(
                "Mod-log channel %s of guild %s is unavailable (HTTP %s)",
                settings.modlog_channel_id,
                settings.guild_id,
                exc.status,
            )
            return None
    return channel if isinstance(channel, discord.abc.Messageable) else None


async def post_notice(bot: GigGuardBot, guild_id: int, title: str, text: str) -> bool:
    """Tell the server's mod-log something that is not a warning (a deletion, a bulk pardon)."""
    settings = await bot.db.guild_settings.get(guild_id)
    return await post_modlog(bot, settings, notice_embed(title, text))


async def post_modlog(
    bot: GigGuardBot,
    settings: GuildSettings,
    embed: discord.Embed,
    *,
    ping: bool = False,
    view: discord.ui.View | None = None,
) -> bool:
    """Post to the server's mod-log, if it has one. ``ping`` mentions the configured moderator role
    (and nothing else can be pinged). False when nothing was posted."""
    channel = await modlog_channel(bot, settings)
    if channel is None:
        return False
    content = None
    allowed = discord.AllowedMentions.none()
    if ping and settings.modlog_ping_role_id:
        content = f"<@&{settings.modlog_ping_role_id}>"
        # The only mention GigGuard ever allows: the role moderators chose for escalations.
        allowed = discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(settings.modlog_ping_role_id)],
        )
    kwargs: dict[str, Any] = {"content": content, "embed": embed, "allowed_mentions": allowed}
    if view is not None:
        kwargs["view"] = view
    try:
        await channel.send(**kwargs)
    except discord.HTTPException as exc:
        log.warning(
            "Could not post to the mod-log channel %s of guild %s (HTTP %s)",
            settings.modlog_channel_id,
            settings.guild_id,
            exc.status,
        )
        return False
    return True
