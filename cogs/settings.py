"""/gigguard: the server's settings, mod-log, stats, export and forget (moderators only)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import difflib
import io
import json
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs._checks import is_moderator
from cogs._embeds import ANSWER_COLOUR, FIELD_LIMIT, SetupStep, code_block, safe_text, setup_steps, truncate
from cogs._errors import report_app_command_error, respond
from cogs._guards import ensure_moderator
from cogs._modlog import member_line, notice_embed, post_modlog, post_notice
from db import (
    EXPORT_COLUMNS,
    MAX_DELETE_REPLIES_AFTER_MIN,
    MAX_TIMEOUT_MINUTES,
    GuildSettings,
    StatRow,
    now_ts,
    week_start,
)
from db.guild_settings import MAX_COOLDOWN_S
from rules import TOPIC_IDS, PolicyPack
from rules.naming import (
    TOPIC_NAMES,
    emittable_rule_ids,
    rule_name,
    search,
    topic_key_name,
)
from rules.policy import unknown_platform_message

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

STATS_WEEKS = 12
SECONDS_PER_WEEK = 7 * 86_400
REPLY_MODE_NAMES = {
    "reply": "reply in the channel",
    "reply_dm": "reply and DM the member",
    "dm": "DM the member only",
    "log": "record only (no reply)",
}
REPLY_STYLE_NAMES = {
    "full": "full: the policy embed in public",
    "compact": "compact: one line in public, the policy privately behind a Details button",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ---- pure helpers (tested directly) -----------------------------------------------------------


def csv_safe(value: Any) -> Any:
    """Spreadsheets run cells that start with = + - @ as formulas; such text gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(buffer: io.StringIO, rows: list[tuple]) -> None:
    writer = csv.writer(buffer)
    writer.writerows([tuple(csv_safe(value) for value in row) for row in rows])


@dataclass(frozen=True, slots=True)
class KeyStats:
    """The counters of one rule (key: a rule id) or one topic (key: "platform.topic")."""

    key: str
    warnings: int = 0
    dismissals: int = 0  # warnings moderators dismissed as not a violation
    shadow: int = 0
    review_requests: int = 0
    reviews: int = 0  # sent to the mod-log for review
    confirmed: int = 0  # review items moderators confirmed (each also counts as a warning)
    review_dismissals: int = 0  # review items moderators dismissed

    @property
    def precision(self) -> float | None:
        """Share of what GigGuard flagged that moderators upheld: warnings not dismissed, out of
        warnings plus review items dismissed (None when nothing was warned or judged)."""
        judged = self.warnings + self.review_dismissals
        if not judged:
            return None
        return max(0.0, (self.warnings - self.dismissals) / judged)


@dataclass(frozen=True, slots=True)
class WeekStats:
    week_start: int
    warnings: int
    dismissals: int
    answers: int

    @property
    def label(self) -> str:
        return dt.datetime.fromtimestamp(self.week_start, dt.UTC).strftime("%d %b")


@dataclass(frozen=True, slots=True)
class Summary:
    rules: list[KeyStats]  # busiest first
    topics: list[KeyStats]  # busiest first
    weeks: list[WeekStats]  # every one of the last weeks, oldest first
    totals: KeyStats  # every topic together
    answers: int


_COUNTER_OF_KIND = {
    "warning": "warnings",
    "dismissal": "dismissals",
    "shadow": "shadow",
    "review_request": "review_requests",
    "review": "reviews",
    "review_confirmed": "confirmed",
    "review_dismissed": "review_dismissals",
}


def _busiest(counts: dict[str, dict[str, int]]) -> list[KeyStats]:
    stats = [KeyStats(key, **dict(c)) for key, c in counts.items()]
    return sorted(stats, key=lambda s: (-s.warnings, -s.reviews, -s.shadow, s.key))


def summarise(rows: list[StatRow], *, weeks: int = STATS_WEEKS, now: int | None = None) -> Summary:
    """Per rule and per topic (busiest first) and per week. Every event is counted once in the
    topic rows (the totals) and once per rule that fired in the rule rows."""
    by_scope: dict[str, dict[str, dict[str, int]]] = {
        "rule": defaultdict(lambda: defaultdict(int)),
        "topic": defaultdict(lambda: defaultdict(int)),
    }
    by_week: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    answers = 0
    for row in rows:
        if row.kind == "answer":
            answers += row.count
            by_week[row.week_start]["answer"] += row.count
            continue
        counter = _COUNTER_OF_KIND.get(row.kind)
        if counter is None or row.scope not in by_scope:
            continue
        by_scope[row.scope][row.key][counter] += row.count
        if row.scope == "topic":
            by_week[row.week_start][row.kind] += row.count
    topics = _busiest(by_scope["topic"])
    totals: dict[str, int] = defaultdict(int)
    for topic in by_scope["topic"].values():
        for counter, count in topic.items():
            totals[counter] += count
    last = week_start(now_ts() if now is None else now)
    week_list = []
    for index in range(weeks - 1, -1, -1):
        start = last - index * SECONDS_PER_WEEK
        counts = by_week.get(start, {})
        week_list.append(
            WeekStats(start, counts.get("warning", 0), counts.get("dismissal", 0), counts.get("answer", 0))
        )
    return Summary(_busiest(by_scope["rule"]), topics, week_list, KeyStats("", **dict(totals)), answers)


def render_chart(weeks: list[WeekStats]) -> bytes:
    """A PNG bar chart of the weeks. CPU-bound: call it in a thread. matplotlib loads lazily."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Figure + Agg canvas, never pyplot: no global state, safe off the main thread.
    figure = Figure(figsize=(8, 3.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(weeks)))
    width = 0.28
    axes.bar([p - width for p in positions], [w.warnings for w in weeks], width, label="warnings")
    axes.bar(positions, [w.dismissals for w in weeks], width, label="dismissed")
    axes.bar([p + width for p in positions], [w.answers for w in weeks], width, label="questions answered")
    axes.set_xticks(positions, [w.label for w in weeks], rotation=45, fontsize=8)
    axes.set_title(f"GigGuard, last {len(weeks)} weeks")
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def stats_line(name: str, stats: KeyStats) -> str:
    """One rule or topic: its human name, then what happened and the precision."""
    parts = [f"{stats.warnings} warned", f"{stats.dismissals} dismissed"]
    if stats.confirmed or stats.review_dismissals or stats.reviews:
        parts.append(
            f"review {stats.confirmed} confirmed / {stats.review_dismissals} dismissed of {stats.reviews}"
        )
    if stats.shadow:
        parts.append(f"{stats.shadow} shadow")
    parts.append(f"precision {_percent(stats.precision)}")
    return truncate(f"**{safe_text(name, 120)}**: " + " · ".join(parts), 300)


def _line_fields(embed: discord.Embed, title: str, lines: list[str]) -> None:
    """Lines as one or more fields of at most 1024 characters."""
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > FIELD_LIMIT:
            embed.add_field(name=title, value="\n".join(chunk), inline=False)
            title, chunk = f"{title} (more)", []
        chunk.append(line)
    if chunk:
        embed.add_field(name=title, value="\n".join(chunk), inline=False)


STATS_TOPICS_SHOWN = 8
STATS_RULES_SHOWN = 10


def stats_embed(summary: Summary, packs: Mapping[str, PolicyPack]) -> discord.Embed:
    weeks = summary.weeks
    totals = summary.totals
    embed = discord.Embed(title=f"GigGuard stats: last {len(weeks)} weeks", colour=ANSWER_COLOUR)
    embed.description = (
        f"**{totals.warnings}** warnings · **{totals.dismissals}** dismissed as not a violation · "
        f"review items **{totals.confirmed}** confirmed, **{totals.review_dismissals}** dismissed "
        f"(of {totals.reviews}) · precision **{_percent(totals.precision)}** · "
        f"**{summary.answers}** questions answered"
    )
    if summary.topics:
        lines = [stats_line(topic_key_name(packs, t.key), t) for t in summary.topics[:STATS_TOPICS_SHOWN]]
        _line_fields(embed, "Per topic", lines)
    if summary.rules:
        lines = [stats_line(rule_name(r.key), r) for r in summary.rules[:STATS_RULES_SHOWN]]
        _line_fields(embed, "Per rule", lines)
    week_lines = [f"{'week of':<8} warn  dism  answers"]
    week_lines += [f"{w.label:<8} {w.warnings:>4}  {w.dismissals:>4}  {w.answers:>7}" for w in weeks]
    embed.add_field(name="Per week", value=code_block("\n".join(week_lines), 1024), inline=False)
    embed.set_footer(
        text="Precision: share of what GigGuard flagged that moderators upheld (warnings not dismissed, "
        "out of warnings plus review items dismissed). A warning counts once per rule that fired."
    )
    return embed


# ---- free-text settings: validated, with a "did you mean" -----------------------------------


def shadow_targets(packs: Mapping[str, PolicyPack]) -> dict[str, str]:
    """Everything shadow mode accepts (value -> human name): platforms, topics, rule ids."""
    targets = {pack_id: f"Platform: {pack.name} [{pack_id}]" for pack_id, pack in packs.items()}
    targets.update({topic: f"Topic: {TOPIC_NAMES[topic]} [{topic}]" for topic in TOPIC_IDS})
    targets.update({rule_id: f"Rule: {rule_name(rule_id)}" for rule_id in emittable_rule_ids()})
    return targets


def shadow_target_name(packs: Mapping[str, PolicyPack], value: str) -> str:
    return shadow_targets(packs).get(value, f"No longer reported [{value}]")


def resolve_shadow_target(packs: Mapping[str, PolicyPack], typed: str) -> tuple[str | None, str]:
    """(the target, "") for an id or a human name; (None, why not, with a did-you-mean) otherwise."""
    key = typed.strip().lower()
    targets = shadow_targets(packs)
    if key in targets:
        return key, ""
    by_name = {name.lower(): value for value, name in targets.items()}
    by_name.update({name.split(": ", 1)[1].rsplit(" [", 1)[0].lower(): v for v, name in targets.items()})
    if key in by_name:
        return by_name[key], ""
    close = difflib.get_close_matches(key, [*targets, *by_name], n=1, cutoff=0.6)
    hint = ""
    if close:
        value = close[0] if close[0] in targets else by_name[close[0]]
        hint = f" Did you mean {targets[value]}?"
    return None, (
        f"{safe_text(repr(typed.strip()[:100]), 200)} is not a platform, topic or rule GigGuard "
        f"reports.{hint} Start typing in the target box to pick from the list."
    )


def platforms_problem(wanted: tuple[str, ...], known: tuple[str, ...]) -> str | None:
    """Why a platform list cannot be used (unknown ids, with a did-you-mean), or None."""
    if not wanted:
        return f"name at least one platform ({', '.join(known)})"
    unknown = [p for p in wanted if p not in known]
    if unknown:
        return safe_text("; ".join(unknown_platform_message(name, known) for name in unknown), 500)
    return None


def platform_choices(packs: Mapping[str, PolicyPack], current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a comma-separated platform list: the items typed so far, plus one more."""
    *done, last = current.split(",")
    chosen = [p.strip().lower() for p in done if p.strip().lower() in packs]
    chosen = list(dict.fromkeys(chosen))
    typed = last.strip().lower()
    choices = []
    if not typed and chosen:
        choices.append(chosen)
    for pack_id, pack in packs.items():
        if pack_id in chosen:
            continue
        if typed and not (pack_id.startswith(typed) or typed in pack.name.lower()):
            continue
        choices.append([*chosen, pack_id])
    return [
        app_commands.Choice(name=truncate(", ".join(packs[p].name for p in ids), 100), value=",".join(ids))
        for ids in choices[:25]
    ]


def settings_embed(
    settings: GuildSettings, platforms: tuple[str, ...], packs: Mapping[str, PolicyPack]
) -> discord.Embed:
    def ids(values: frozenset[int], kind: str) -> str:
        return ", ".join(f"<{kind}{value}>" for value in sorted(values)) or "none"

    embed = discord.Embed(title="GigGuard settings for this server", colour=ANSWER_COLOUR)
    add = embed.add_field
    add(name="Platforms", value=", ".join(platforms) + ("" if settings.platforms else " (default)"))
    add(name="Reply mode", value=REPLY_MODE_NAMES[settings.reply_mode])
    add(name="Reply style", value=REPLY_STYLE_NAMES[settings.reply_style])
    add(name="Reply cooldown", value=f"{settings.reply_cooldown_s} s per member")
    add(
        name="Question cooldown",
        value=f"{settings.ask_cooldown_s} s per topic per channel"
        if settings.ask_cooldown_s
        else "none: every question is answered",
    )
    add(
        name="Delete replies",
        value=f"after {settings.delete_replies_after_min} min (warnings, answers and removal notices "
        "in the channel; never DMs or the mod-log)"
        if settings.delete_replies_after_min
        else "never: replies stay",
    )
    add(name="Exempt roles", value=truncate(ids(settings.exempt_role_ids, "@&"), 1024))
    add(name="Exempt channels", value=truncate(ids(settings.exempt_channel_ids, "#"), 1024))
    add(name="Moderators exempt", value="yes" if settings.exempt_moderators else "no")
    add(
        name="Delete messages with contact details", value="yes" if settings.delete_contact_messages else "no"
    )
    add(
        name="Warning lifetime",
        value=f"{settings.warning_lifetime_days} days" if settings.warning_lifetime_days else "never expire",
    )
    add(name="Keep expired/pardoned warnings", value=f"{settings.retention_days} days")
    ping_role = f" (pings <@&{settings.modlog_ping_role_id}>)" if settings.modlog_ping_role_id else ""
    ladder = [
        "1st active warning: the policy reply",
        f"{settings.escalation_ping_at} active: mod-log escalation{ping_role}"
        if settings.escalation_ping_at
        else "mod-log escalation: off",
        f"{settings.escalation_timeout_at} active: {settings.timeout_minutes} min timeout"
        if settings.timeout_minutes and settings.escalation_timeout_at
        else "timeout: off",
    ]
    add(name="Escalation (active warnings only)", value="\n".join(ladder), inline=False)
    add(
        name="Mod-log",
        value=f"<#{settings.modlog_channel_id}>"
        if settings.modlog_channel_id
        else "not set (/gigguard modlog)",
    )
    shadow = [shadow_target_name(packs, v) for v in sorted(settings.shadow_platforms | settings.shadow_rules)]
    add(name="Shadow mode", value=safe_text("\n".join(shadow), 1024) if shadow else "off", inline=False)
    add(
        name="Labelled training data",
        value="on: masked text of warnings and review items is kept for the labelled export"
        if settings.training_data
        else "off (no message text is stored)",
        inline=False,
    )
    return embed


# ---- /gigguard setup: the welcome message's three steps, done or to do ------------------------


def modlog_problem(channel: discord.abc.GuildChannel, me: discord.Member | None) -> str | None:
    """Why GigGuard cannot post in the channel (a sentence), or None when it can (or cannot tell)."""
    if me is None:
        return None
    permissions = channel.permissions_for(me)
    if permissions.view_channel and permissions.send_messages and permissions.embed_links:
        return None
    return f"I cannot post in <#{channel.id}>: I need View Channel, Send Messages and Embed Links there."


@dataclass(frozen=True, slots=True)
class StepStatus:
    step: SetupStep
    done: bool
    state: str  # what is set now, in words


def setup_status(
    settings: GuildSettings,
    platforms: tuple[str, ...],
    packs: Mapping[str, PolicyPack],
    guild: discord.Guild | None,
) -> list[StepStatus]:
    """Each setup step, done or to do, from this server's settings (and its channels)."""
    names = tuple(packs[p].name if p in packs else p for p in platforms)
    modlog, choose, shadow = setup_steps(platforms, names)
    statuses: list[StepStatus] = []

    channel_id = settings.modlog_channel_id
    if channel_id is None:
        statuses.append(StepStatus(modlog, False, "Not set: moderators see nothing of what GigGuard does."))
    else:
        channel = guild.get_channel(channel_id) if guild is not None else None
        if not isinstance(channel, discord.abc.GuildChannel):
            statuses.append(
                StepStatus(
                    modlog, False, f"Set to <#{channel_id}>, but that channel is gone or hidden from me."
                )
            )
        else:
            problem = modlog_problem(channel, guild.me if guild is not None else None)
            if problem is None:
                statuses.append(StepStatus(modlog, True, f"<#{channel_id}>: I can post there."))
            else:
                statuses.append(StepStatus(modlog, False, f"Set to <#{channel_id}>, but {problem}"))

    if settings.platforms:
        statuses.append(StepStatus(choose, True, f"Chosen: {', '.join(names)}."))
    else:
        statuses.append(StepStatus(choose, False, f"Not chosen: the default ({', '.join(names)}) applies."))

    shadowed = sorted(settings.shadow_platforms | settings.shadow_rules)
    if shadowed:
        on = ", ".join(shadow_target_name(packs, target) for target in shadowed)
        statuses.append(StepStatus(shadow, True, safe_text(f"On for {on}.", 500)))
    else:
        statuses.append(StepStatus(shadow, False, "Off: GigGuard replies and warns from the first message."))
    return statuses


def setup_embed(statuses: list[StepStatus]) -> discord.Embed:
    done = sum(status.done for status in statuses)
    embed = discord.Embed(title=f"GigGuard setup: {done} of {len(statuses)} steps done", colour=ANSWER_COLOUR)
    embed.description = (
        "Everything is set up. `/gigguard config show` lists every setting."
        if done == len(statuses)
        else "For each step left: the exact command, or use the menus and buttons below."
    )
    for status in statuses:
        value = status.state if status.done else f"{status.state}\n{status.step.how}"
        embed.add_field(
            name=f"{status.step.title}: {'done' if status.done else 'to do'}",
            value=truncate(value, FIELD_LIMIT),
            inline=False,
        )
    return embed


SETUP_SHADOW_BUTTONS = 4  # at most this many "Try shadow mode on ..." buttons (one per platform)


def setup_view(
    statuses: list[StepStatus], platforms: tuple[str, ...], packs: Mapping[str, PolicyPack]
) -> discord.ui.View | None:
    """A channel picker for the mod-log, a platform picker and "Try shadow mode" buttons, for the
    steps still to do (None when all are done)."""
    todo = {status.step.key for status in statuses if not status.done}
    view = discord.ui.View(timeout=None)
    if "modlog" in todo:
        view.add_item(SetupModlogSelect())
    if "platforms" in todo:
        view.add_item(SetupPlatformsSelect(packs, platforms))
    if "shadow" in todo:
        for platform in [p for p in platforms if p in packs][:SETUP_SHADOW_BUTTONS]:
            view.add_item(SetupShadowButton(platform, packs[platform].name))
    return view if view.children else None


def settings_cog(interaction: discord.Interaction) -> Settings:
    cog = interaction.client.get_cog("Settings")  # type: ignore[attr-defined]
    assert isinstance(cog, Settings)
    return cog


class SetupModlogSelect(discord.ui.DynamicItem[discord.ui.ChannelSelect], template=r"gigguard:setup:modlog"):
    """Pick the mod-log channel from the /gigguard setup answer (same check as /gigguard modlog)."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.ChannelSelect(
                custom_id="gigguard:setup:modlog",
                placeholder="1. Pick the mod-log channel",
                channel_types=[discord.ChannelType.text],
                min_values=1,
                max_values=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SetupModlogSelect:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await settings_cog(interaction).setup_modlog(interaction, self.item.values)
        except Exception as exc:
            await report_app_command_error(interaction, exc)


class SetupPlatformsSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"gigguard:setup:platforms"):
    """Choose the marketplaces from the /gigguard setup answer."""

    def __init__(self, packs: Mapping[str, PolicyPack], current: tuple[str, ...] = ()) -> None:
        options = [
            discord.SelectOption(label=pack.name, value=pack_id, default=pack_id in current)
            for pack_id, pack in list(packs.items())[:25]
        ]
        super().__init__(
            discord.ui.Select(
                custom_id="gigguard:setup:platforms",
                placeholder="2. Choose the marketplaces",
                options=options,
                min_values=1,
                max_values=len(options),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SetupPlatformsSelect:
        return cls(interaction.client.engine.packs)  # type: ignore[attr-defined]

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await settings_cog(interaction).setup_platforms(interaction, tuple(self.item.values))
        except Exception as exc:
            await report_app_command_error(interaction, exc)


class SetupShadowButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"gigguard:setup:shadow:(?P<platform>[^:]+)"
):
    """Turn shadow mode on for one platform from the /gigguard setup answer."""

    def __init__(self, platform: str, name: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=truncate(f"Try shadow mode on {name or platform}", 80),
                style=discord.ButtonStyle.secondary,
                custom_id=f"gigguard:setup:shadow:{platform}",
            )
        )
        self.platform = platform

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SetupShadowButton:
        return cls(match["platform"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await settings_cog(interaction).setup_shadow(interaction, self.platform)
        except Exception as exc:
            await report_app_command_error(interaction, exc)


SETUP_ITEMS: tuple[Any, ...] = (SetupModlogSelect, SetupPlatformsSelect, SetupShadowButton)


def labelled_line(line_id: str, text: str, label: str, source: Any, decided_at: int) -> dict[str, Any]:
    """One line of the labelled export (the fields ``python -m rules eval`` reads, and more)."""
    rule_ids = source.rules if hasattr(source, "rules") else source.rule_ids
    return {
        "id": line_id,
        "text": text,
        "label": label,
        "platform": source.platform,
        "topic": source.topic,
        "rule_ids": list(rule_ids),
        "decided_at": dt.datetime.fromtimestamp(decided_at, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# ---- the cog ----------------------------------------------------------------------------------


@app_commands.default_permissions(manage_messages=True)
@app_commands.guild_only()
class Settings(commands.GroupCog, group_name="gigguard", group_description="GigGuard for moderators"):
    config = app_commands.Group(name="config", description="GigGuard's settings for this server")

    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*SETUP_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*SETUP_ITEMS)

    async def update(self, interaction: discord.Interaction, **changes: Any) -> GuildSettings | None:
        """Apply changes; a bad value gets a clear private answer and changes nothing."""
        assert interaction.guild_id is not None
        try:
            return await self.bot.db.guild_settings.update(interaction.guild_id, **changes)
        except (ValueError, TypeError) as exc:
            await respond(interaction, f"Nothing was changed: {safe_text(str(exc), 500)}.")
            return None

    async def show(self, interaction: discord.Interaction, settings: GuildSettings, lead: str = "") -> None:
        embed = settings_embed(settings, self.bot.platforms_for(settings), self.bot.engine.packs)
        await respond(interaction, lead or None, embed=embed)

    @config.command(name="show")
    @app_commands.check(is_moderator)
    async def config_show(self, interaction: discord.Interaction) -> None:
        """Every GigGuard setting of this server."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        await self.show(interaction, await self.bot.db.guild_settings.get(interaction.guild_id))

    @config.command(name="set")
    @app_commands.check(is_moderator)
    @app_commands.describe(
        platforms="Marketplaces whose rules apply, comma-separated (e.g. fiverr,upwork)",
        reply_mode="How GigGuard answers a warning",
        reply_style="Full policy embed in public, or one line with a private Details button",
        reply_cooldown="Seconds between two warning replies to the same member",
        question_cooldown="Seconds before a question on the same topic is answered again in a channel",
        exempt_moderators="Skip members with Manage Messages",
        delete_contact_messages="Delete a warned message when it contains contact details",
        warning_lifetime_days="Days a warning counts (0 = forever; Fiverr uses 90)",
        escalation_ping_at="Active warnings that escalate to the mod-log (0 = never)",
        escalation_ping_role="The role pinged on escalation (the only thing GigGuard ever pings)",
        clear_ping_role="Stop pinging a role on escalation",
        timeout_at="Active warnings that time the member out (needs Moderate Members)",
        timeout_minutes="Timeout length in minutes (0 = timeouts off, the default)",
        retention_days="Days expired, pardoned or dismissed warnings are kept before deletion",
        training_data="Keep the masked text of decided detections for a labelled export (off: nothing kept)",
        delete_replies_after="Minutes after which GigGuard deletes its public replies (0 = keep them)",
    )
    @app_commands.choices(
        reply_mode=[app_commands.Choice(name=name, value=mode) for mode, name in REPLY_MODE_NAMES.items()],
        reply_style=[
            app_commands.Choice(name=name.split(":")[0], value=style)
            for style, name in REPLY_STYLE_NAMES.items()
        ],
    )
    async def config_set(
        self,
        interaction: discord.Interaction,
        platforms: str | None = None,
        reply_mode: app_commands.Choice[str] | None = None,
        reply_cooldown: app_commands.Range[int, 0, MAX_COOLDOWN_S] | None = None,
        exempt_moderators: bool | None = None,
        delete_contact_messages: bool | None = None,
        warning_lifetime_days: app_commands.Range[int, 0, 3650] | None = None,
        escalation_ping_at: app_commands.Range[int, 0, 100] | None = None,
        escalation_ping_role: discord.Role | None = None,
        clear_ping_role: bool | None = None,
        timeout_at: app_commands.Range[int, 0, 100] | None = None,
        timeout_minutes: app_commands.Range[int, 0, MAX_TIMEOUT_MINUTES] | None = None,
        retention_days: app_commands.Range[int, 1, 3650] | None = None,
        training_data: bool | None = None,
        reply_style: app_commands.Choice[str] | None = None,
        question_cooldown: app_commands.Range[int, 0, MAX_COOLDOWN_S] | None = None,
        delete_replies_after: app_commands.Range[int, 0, MAX_DELETE_REPLIES_AFTER_MIN] | None = None,
    ) -> None:
        """Change settings; options left empty keep their value."""
        if not await ensure_moderator(interaction):
            return
        changes: dict[str, Any] = {}
        if platforms is not None:
            wanted = tuple(dict.fromkeys(p.strip().lower() for p in platforms.split(",") if p.strip()))
            problem = platforms_problem(wanted, self.bot.engine.platforms)
            if problem is not None:
                await respond(interaction, f"Nothing was changed: {problem}.")
                return
            changes["platforms"] = wanted
        optional = {
            "reply_mode": reply_mode.value if reply_mode else None,
            "reply_cooldown_s": reply_cooldown,
            "exempt_moderators": exempt_moderators,
            "delete_contact_messages": delete_contact_messages,
            "warning_lifetime_days": warning_lifetime_days,
            "escalation_ping_at": escalation_ping_at,
            "escalation_timeout_at": timeout_at,
            "timeout_minutes": timeout_minutes,
            "retention_days": retention_days,
            "modlog_ping_role_id": escalation_ping_role.id if escalation_ping_role else None,
            "training_data": training_data,
            "reply_style": reply_style.value if reply_style else None,
            "ask_cooldown_s": question_cooldown,
            "delete_replies_after_min": delete_replies_after,
        }
        changes.update({name: value for name, value in optional.items() if value is not None})
        if clear_ping_role:
            changes["modlog_ping_role_id"] = None
        if not changes:
            await respond(interaction, "Nothing to change: pick at least one option.")
            return
        settings = await self.update(interaction, **changes)
        if settings is None:
            return
        log.info(
            "Guild %s settings changed by %s: %s", interaction.guild_id, interaction.user.id, sorted(changes)
        )
        lead = "Saved."
        if training_data is False:
            dropped = await self.bot.db.privacy.drop_training_texts(settings.guild_id)
            if dropped:
                lead += f" The masked texts kept for the labelled export were deleted ({dropped})."
        if delete_replies_after == 0:
            kept = await self.bot.db.reply_deletions.cancel_guild(settings.guild_id)
            if kept:
                lead += f" {kept} reply(ies) waiting to be deleted will stay."
        elif delete_replies_after and await self.bot.db.reply_deletions.pending(settings.guild_id):
            lead += " Replies already waiting keep the time they were given."
        if settings.timeout_minutes and interaction.guild is not None:
            me = interaction.guild.me
            if me is not None and not me.guild_permissions.moderate_members:
                lead += " Note: timeouts need the Moderate Members permission, which I do not have."
        await self.show(interaction, settings, lead)

    @config_set.autocomplete("platforms")
    async def platforms_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return platform_choices(self.bot.engine.packs, current)

    @config.command(name="exempt_role")
    @app_commands.check(is_moderator)
    @app_commands.describe(role="The role", exempt="True: never watch this role; False: watch it again")
    async def config_exempt_role(
        self, interaction: discord.Interaction, role: discord.Role, exempt: bool
    ) -> None:
        """Exempt a role from GigGuard (or stop exempting it)."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        current = await self.bot.db.guild_settings.get(interaction.guild_id)
        roles = current.exempt_role_ids | {role.id} if exempt else current.exempt_role_ids - {role.id}
        settings = await self.update(interaction, exempt_role_ids=frozenset(roles))
        if settings is not None:
            await self.show(interaction, settings, "Saved.")

    @config.command(name="exempt_channel")
    @app_commands.check(is_moderator)
    @app_commands.describe(
        channel="The channel (its threads follow it)", exempt="True: never watch it; False: watch it again"
    )
    async def config_exempt_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | discord.ForumChannel | discord.Thread,
        exempt: bool,
    ) -> None:
        """Exempt a channel from GigGuard (or stop exempting it)."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        current = await self.bot.db.guild_settings.get(interaction.guild_id)
        ids = current.exempt_channel_ids
        channels = ids | {channel.id} if exempt else ids - {channel.id}
        settings = await self.update(interaction, exempt_channel_ids=frozenset(channels))
        if settings is not None:
            await self.show(interaction, settings, "Saved.")

    @config.command(name="shadow")
    @app_commands.check(is_moderator)
    @app_commands.describe(
        target="A platform, a topic or a rule (start typing to pick one)",
        enabled="True: detect and log only, no reply and no warning; False: act normally",
    )
    async def config_shadow(self, interaction: discord.Interaction, target: str, enabled: bool) -> None:
        """Shadow mode: try GigGuard on a platform or rule without replying or warning."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        packs = self.bot.engine.packs
        current = await self.bot.db.guild_settings.get(interaction.guild_id)
        key, problem = resolve_shadow_target(packs, target)
        stale = target.strip().lower()
        if key is None and not enabled and stale in current.shadow_platforms | current.shadow_rules:
            key = stale  # a target from an older version: it can still be turned off
        if key is None:
            await respond(interaction, f"Nothing was changed: {problem}")
            return
        field = "shadow_platforms" if key in self.bot.engine.platforms else "shadow_rules"
        values: frozenset[str] = getattr(current, field)
        values = values | {key} if enabled else values - {key}
        settings = await self.update(interaction, **{field: frozenset(values)})
        if settings is not None:
            state = "on" if enabled else "off"
            await self.show(
                interaction, settings, f"Saved: shadow mode {state} for {shadow_target_name(packs, key)}."
            )

    @config_shadow.autocomplete("target")
    async def shadow_target_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            is_moderator(interaction)
        except app_commands.CheckFailure:
            return []  # the server's settings are moderators' business, even as suggestions
        packs = self.bot.engine.packs
        choices = list(shadow_targets(packs).items())
        if interaction.guild_id is not None:
            # What is shadowed now comes first (to turn it off), including targets from older versions.
            settings = await self.bot.db.guild_settings.get(interaction.guild_id)
            shadowed = sorted(settings.shadow_platforms | settings.shadow_rules)
            choices = [(v, f"(on) {shadow_target_name(packs, v)}") for v in shadowed] + [
                (v, n) for v, n in choices if v not in shadowed
            ]
        hits = search(((name, value) for value, name in choices), current)
        return [app_commands.Choice(name=truncate(name, 100), value=value) for name, value in hits]

    @app_commands.command(name="modlog")
    @app_commands.check(is_moderator)
    @app_commands.describe(channel="Where warnings, pardons and escalations are posted (empty: stop posting)")
    async def modlog(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        """Set (or turn off) the mod-log channel."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        if channel is None:
            settings = await self.update(interaction, modlog_channel_id=None)
            if settings is not None:
                await respond(interaction, "The mod-log is off: nothing will be posted.")
            return
        settings = await self.save_modlog(interaction, channel)
        if settings is not None:
            await respond(
                interaction, f"Warnings, pardons, dismissals and escalations now go to {channel.mention}."
            )
            await self.announce_modlog(interaction, settings)

    async def save_modlog(
        self, interaction: discord.Interaction, channel: discord.abc.GuildChannel
    ) -> GuildSettings | None:
        """Make the channel the mod-log if GigGuard can post there (else say why, change nothing).
        Shared by /gigguard modlog and the channel picker of /gigguard setup."""
        me = interaction.guild.me if interaction.guild is not None else None
        problem = modlog_problem(channel, me)
        if problem is not None:
            await respond(interaction, f"{problem} Nothing was changed.")
            return None
        return await self.update(interaction, modlog_channel_id=channel.id)

    async def announce_modlog(self, interaction: discord.Interaction, settings: GuildSettings) -> None:
        await post_modlog(
            self.bot,
            settings,
            notice_embed(
                "Mod-log set", f"{member_line(interaction.user.id)} chose this channel for GigGuard."
            ),
        )

    # ---- /gigguard setup ----------------------------------------------------------------------

    async def setup_answer(
        self, interaction: discord.Interaction, settings: GuildSettings
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        packs = self.bot.engine.packs
        platforms = self.bot.platforms_for(settings)
        statuses = setup_status(settings, platforms, packs, interaction.guild)
        return setup_embed(statuses), setup_view(statuses, platforms, packs)

    @app_commands.command(name="setup")
    @app_commands.check(is_moderator)
    async def setup_command(self, interaction: discord.Interaction) -> None:
        """The three setup steps: what is done, and the command (or a button) for what is left."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        embed, view = await self.setup_answer(
            interaction, await self.bot.db.guild_settings.get(interaction.guild_id)
        )
        kwargs: dict[str, Any] = {} if view is None else {"view": view}
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none(), **kwargs
        )

    async def refresh_setup(
        self, interaction: discord.Interaction, settings: GuildSettings, lead: str
    ) -> None:
        """Show the setup answer again, in place, with what was just saved on top."""
        embed, view = await self.setup_answer(interaction, settings)
        await interaction.response.edit_message(
            content=lead, embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
        )

    async def setup_modlog(self, interaction: discord.Interaction, picked: list[Any]) -> None:
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        channel_id = int(getattr(picked[0], "id", picked[0])) if picked else None
        guild = interaction.guild
        channel = guild.get_channel(channel_id) if guild is not None and channel_id is not None else None
        if not isinstance(channel, discord.abc.GuildChannel):
            await respond(interaction, "I cannot see that channel. Nothing was changed.")
            return
        settings = await self.save_modlog(interaction, channel)
        if settings is None:
            return
        log.info(
            "Guild %s: mod-log set to %s by %s (setup)", interaction.guild_id, channel.id, interaction.user.id
        )
        await self.refresh_setup(
            interaction,
            settings,
            f"Saved: warnings, pardons, dismissals and escalations now go to <#{channel.id}>.",
        )
        await self.announce_modlog(interaction, settings)

    async def setup_platforms(self, interaction: discord.Interaction, picked: tuple[str, ...]) -> None:
        if not await ensure_moderator(interaction):
            return
        problem = platforms_problem(picked, self.bot.engine.platforms)
        if problem is not None:
            await respond(interaction, f"Nothing was changed: {problem}.")
            return
        settings = await self.update(interaction, platforms=picked)
        if settings is None:
            return
        log.info("Guild %s: platforms set by %s (setup)", interaction.guild_id, interaction.user.id)
        names = ", ".join(self.bot.engine.pack(p).name for p in picked)
        await self.refresh_setup(interaction, settings, f"Saved: GigGuard follows {names}.")

    async def setup_shadow(self, interaction: discord.Interaction, platform: str) -> None:
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        if platform not in self.bot.engine.platforms:
            await respond(
                interaction, f"Nothing was changed: {safe_text(platform, 100)} is no longer a platform."
            )
            return
        current = await self.bot.db.guild_settings.get(interaction.guild_id)
        settings = await self.update(interaction, shadow_platforms=current.shadow_platforms | {platform})
        if settings is None:
            return
        log.info(
            "Guild %s: shadow mode on for %s by %s (setup)",
            interaction.guild_id,
            platform,
            interaction.user.id,
        )
        await self.refresh_setup(
            interaction,
            settings,
            f"Saved: shadow mode on for {shadow_target_name(self.bot.engine.packs, platform)}. "
            f"Turn it off with `/gigguard config shadow target:{platform} enabled:false`.",
        )

    @app_commands.command(name="stats")
    @app_commands.check(is_moderator)
    async def stats(self, interaction: discord.Interaction) -> None:
        """Warnings, review decisions, precision and answers per topic, rule and week, with a chart."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        rows = await self.bot.db.stats.since(interaction.guild_id, STATS_WEEKS)
        summary = summarise(rows)
        weeks = summary.weeks
        embed = stats_embed(summary, self.bot.engine.packs)
        kwargs: dict[str, Any] = {
            "embed": embed,
            "ephemeral": True,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        try:
            png = await asyncio.to_thread(render_chart, weeks)
        except Exception:  # no chart is better than no stats (matplotlib missing or failing)
            log.exception("Could not render the stats chart for guild %s", interaction.guild_id)
        else:
            embed.set_image(url="attachment://gigguard-stats.png")
            kwargs["file"] = discord.File(io.BytesIO(png), filename="gigguard-stats.png")
        await interaction.followup.send(**kwargs)

    @app_commands.command(name="export")
    @app_commands.check(is_moderator)
    @app_commands.describe(format="CSV of every warning, or labelled JSONL of moderators' decisions")
    @app_commands.choices(
        format=[
            app_commands.Choice(name="warnings (CSV)", value="csv"),
            app_commands.Choice(name="labelled decisions for retraining (JSONL)", value="jsonl"),
        ]
    )
    async def export(
        self, interaction: discord.Interaction, format: app_commands.Choice[str] | None = None
    ) -> None:
        """Warnings as CSV, or moderators' decisions as labelled JSONL (only you see it)."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        if format is not None and format.value == "jsonl":
            await self.export_labelled(interaction)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        data, count = await self.export_csv(interaction.guild_id)
        file = discord.File(io.BytesIO(data), filename=f"gigguard-warnings-{interaction.guild_id}.csv")
        await interaction.followup.send(
            content=f"{count} warning(s). Snippets are masked; times are unix seconds (UTC).",
            file=file,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def export_csv(self, guild_id: int) -> tuple[bytes, int]:
        """The CSV bytes and the number of rows. Batches are read and formatted off the event loop."""
        buffer = io.StringIO()
        csv.writer(buffer).writerow(EXPORT_COLUMNS)
        count = 0
        async for batch in self.bot.db.warnings.export_batches(guild_id):
            await asyncio.to_thread(write_csv_rows, buffer, batch)
            count += len(batch)
        data = await asyncio.to_thread(lambda: buffer.getvalue().encode("utf-8"))
        return data, count

    async def export_labelled(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.db.guild_settings.get(interaction.guild_id)
        if not settings.training_data:
            await respond(
                interaction,
                "The labelled export is off for this server, so no message text is kept. Turn it on with "
                "`/gigguard config set training_data:True`: decisions made from then on are exported, "
                "with contact details masked.",
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        data, count = await self.labelled_jsonl(interaction.guild_id)
        file = discord.File(io.BytesIO(data), filename=f"gigguard-labelled-{interaction.guild_id}.jsonl")
        await interaction.followup.send(
            content=f"{count} labelled line(s): `encourages` for confirmed detections, `none` for dismissed "
            "ones; contact details are masked. Only decisions made while training data was on have text.",
            file=file,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def labelled_jsonl(self, guild_id: int) -> tuple[bytes, int]:
        """Moderators' decisions with the masked text kept for them, one JSON object a line, oldest first."""
        lines: list[tuple[int, dict[str, Any]]] = []
        from_reviews: set[int] = set()
        for item, warning_status, warning_status_at in await self.bot.db.review_items.decided(guild_id):
            if item.warning_id is not None:
                from_reviews.add(item.warning_id)
            if item.text is None or item.decided_at is None:
                continue
            # A confirmed item whose warning was dismissed later was not a violation after all.
            overturned = item.decision == "confirmed" and warning_status == "dismissed"
            label = "encourages" if item.decision == "confirmed" and not overturned else "none"
            decided_at = warning_status_at if overturned and warning_status_at else item.decided_at
            lines.append((decided_at, labelled_line(f"review-{item.id}", item.text, label, item, decided_at)))
        for warning in await self.bot.db.warnings.dismissed_with_text(guild_id):
            if warning.id in from_reviews or warning.training_text is None or warning.status_at is None:
                continue
            line = labelled_line(
                f"warning-{warning.id}", warning.training_text, "none", warning, warning.status_at
            )
            lines.append((warning.status_at, line))
        lines.sort(key=lambda pair: pair[0])

        def encode() -> bytes:
            return "".join(json.dumps(line, ensure_ascii=False) + "\n" for _, line in lines).encode("utf-8")

        return await asyncio.to_thread(encode), len(lines)

    @app_commands.command(name="forget")
    @app_commands.check(is_moderator)
    @app_commands.describe(member="The member whose data GigGuard deletes in this server")
    async def forget(self, interaction: discord.Interaction, member: discord.User) -> None:
        """Delete every row GigGuard stores about a member in this server (cannot be undone)."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        result = await self.bot.db.privacy.forget_member(interaction.guild_id, member.id)
        log.info("Guild %s: user %s forgot user %s", interaction.guild_id, interaction.user.id, member.id)
        await respond(
            interaction,
            f"Deleted {result.warnings_deleted} warning(s) and {result.review_items_deleted} review item(s) "
            f"of {member_line(member.id)}, and removed their id from {result.moderator_references_removed} "
            "record(s) they had acted on.",
        )
        await post_notice(
            self.bot,
            interaction.guild_id,
            "Member data deleted",
            f"{member_line(interaction.user.id)} used /gigguard forget: "
            f"{result.warnings_deleted} warning(s) deleted.",
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_app_command_error(interaction, error)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Settings(bot))
