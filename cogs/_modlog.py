"""The mod-log: embeds describing warnings and what moderators did, and posting them safely.

Posting never raises: a missing channel or permission is logged, and the caller carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord

from cogs._embeds import ANSWER_COLOUR, OK_COLOUR, WARNING_COLOUR, safe_text, truncate
from db import GuildSettings, ReviewItem, WarningRecord, now_ts
from rules import PolicyPack
from rules.naming import platform_name, rule_name, rules_line, topic_name

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


Packs = Mapping[str, PolicyPack]

# What GigGuard did about a detection, as a moderator reads it.
ACTION_NAMES: dict[str, str] = {
    "warn": "Warned (public reply, warning recorded)",
    "review": "For review (not warned; nothing recorded about the member)",
    "answer": "Answered with the policy (no warning)",
    "shadow": "Shadow mode: would have warned (nothing recorded, the member saw nothing)",
}


def _what_happened(
    embed: discord.Embed,
    packs: Packs,
    *,
    user_id: int,
    platform: str,
    topic: str | None,
    rule_ids: Sequence[str],
    action: str | None = None,
) -> None:
    """The fields every detection entry starts with: member, platform, topic, rules, action."""
    embed.add_field(name="Member", value=member_line(user_id), inline=True)
    embed.add_field(name="Platform", value=safe_text(platform_name(packs, platform), 256), inline=True)
    embed.add_field(name="Topic", value=safe_text(topic_name(packs, platform, topic), 256), inline=True)
    if rule_ids:
        embed.add_field(name="Rules", value=safe_text(rules_line(list(rule_ids)), 512), inline=False)
    if action is not None:
        embed.add_field(name="Action", value=ACTION_NAMES[action], inline=False)


def _detector(embed: discord.Embed, confidence: float | None, reason: str | None, snippet: str) -> None:
    """The detector's side: confidence, its one-line reason, the masked findings."""
    if confidence is not None:
        embed.add_field(name="Confidence", value=f"{confidence:.0%}", inline=True)
    if reason:
        embed.add_field(name="Why", value=safe_text(reason, 512), inline=False)
    if snippet or not reason:
        embed.add_field(name="What was found", value=safe_text(snippet or "—", 512), inline=False)


def warning_event_embed(
    event: str,
    warning: WarningRecord,
    *,
    packs: Packs,
    actor_id: int | None = None,
    reason: str | None = None,
    active: int | None = None,
    note: str | None = None,
    why: str | None = None,
    confidence: float | None = None,
) -> discord.Embed:
    """``reason``: a moderator's words; ``why``: the detector's one line (confidence, telling clause)."""
    title, colour = EVENTS[event]
    embed = discord.Embed(title=f"{title} · #{warning.id}", colour=colour)
    _what_happened(
        embed,
        packs,
        user_id=warning.user_id,
        platform=warning.platform,
        topic=warning.topic,
        rule_ids=warning.rules,
        action="warn" if event in ("warning", "escalation") else None,
    )
    if active is not None:
        embed.add_field(name="Active warnings", value=str(active), inline=True)
    _detector(embed, confidence, why, warning.snippet)
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


def detection_embed(
    action: str,
    packs: Packs,
    *,
    user_id: int,
    platform: str,
    topic: str | None,
    rule_ids: Sequence[str],
    confidence: float | None,
    reason: str,
    snippet: str,
    jump_url: str,
) -> discord.Embed:
    """A detection that recorded no warning: shadow mode ("shadow") or a question answered ("answer")."""
    title = {"shadow": "Shadow mode: would have warned", "answer": "Question answered"}[action]
    embed = discord.Embed(title=title, colour=SHADOW_COLOUR if action == "shadow" else ANSWER_COLOUR)
    _what_happened(
        embed, packs, user_id=user_id, platform=platform, topic=topic, rule_ids=rule_ids, action=action
    )
    _detector(embed, confidence, reason, snippet)
    return _with_jump_link(embed, jump_url)


REVIEW_DECISIONS = {"confirmed": "Confirmed: warning recorded", "dismissed": "Dismissed: not a violation"}


def review_embed(item: ReviewItem, packs: Packs, *, note: str | None = None) -> discord.Embed:
    """A review item: open (for a moderator to judge), or decided (who, when, what)."""
    if item.decision is None:
        title, colour = f"For review · item {item.id}: possible off-platform advice", SHADOW_COLOUR
    else:
        colour = WARNING_COLOUR if item.decision == "confirmed" else OK_COLOUR
        title = f"{REVIEW_DECISIONS[item.decision]} · item {item.id}"
    embed = discord.Embed(title=title, colour=colour)
    _what_happened(
        embed,
        packs,
        user_id=item.user_id,
        platform=item.platform,
        topic=item.topic,
        rule_ids=item.rule_ids,
        action="review",
    )
    _detector(embed, item.confidence, item.reason, item.snippet)
    embed.add_field(name="Message", value=f"[Jump to the message]({item.jump_url})", inline=True)
    if item.decision is not None:
        by = member_line(item.decided_by) if item.decided_by else "a moderator"
        embed.add_field(name="Decided", value=f"{item.decision} by {by} <t:{item.decided_at}:R>", inline=True)
    if item.warning_id is not None:
        embed.add_field(name="Warning", value=f"#{item.warning_id}", inline=True)
    if note:
        embed.add_field(name="Note", value=truncate(note, 1024), inline=False)
    embed.timestamp = discord.utils.utcnow()
    return embed


def _with_jump_link(embed: discord.Embed, jump_url: str) -> discord.Embed:
    embed.add_field(name="Message", value=f"[Jump to the message]({jump_url})", inline=False)
    embed.timestamp = discord.utils.utcnow()
    return embed


def warning_line(warning: WarningRecord, packs: Packs, now: int | None = None) -> tuple[str, str]:
    """One warning as an embed field (name, value) for /warnings and /mywarnings."""
    now = now_ts() if now is None else now
    state = warning_state(warning, now)
    name = truncate(f"#{warning.id} · {state} · {rule_name(warning.rule_id)}", 256)
    parts = [
        f"<t:{warning.created_at}:d> · [message]({warning.jump_url})",
        safe_text(f"Topic: {topic_name(packs, warning.platform, warning.topic)}", 300),
    ]
    if len(warning.rules) > 1:
        parts.append(safe_text(f"Also: {rules_line(list(warning.rules[1:]), limit=2)}", 300))
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
    warnings: list[WarningRecord], *, title: str, active: int, packs: Packs, now: int | None = None
) -> list[discord.Embed]:
    """Embeds of at most WARNINGS_PER_PAGE warnings each (one "none" page for an empty list)."""
    summary = f"{active} active · {len(warnings)} in total"
    if not warnings:
        return [discord.Embed(title=title, description="No warnings.", colour=ANSWER_COLOUR)]
    pages = []
    for start in range(0, len(warnings), WARNINGS_PER_PAGE):
        embed = discord.Embed(title=title, description=summary, colour=ANSWER_COLOUR)
        for warning in warnings[start : start + WARNINGS_PER_PAGE]:
            name, value = warning_line(warning, packs, now)
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
