"""/gigguard: the server's settings, mod-log, stats, export and forget (moderators only)."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs._checks import is_moderator
from cogs._embeds import ANSWER_COLOUR, code_block, safe_text, truncate
from cogs._errors import report_app_command_error, respond
from cogs._guards import ensure_moderator
from cogs._modlog import member_line, notice_embed, post_modlog, post_notice
from db import EXPORT_COLUMNS, MAX_TIMEOUT_MINUTES, GuildSettings, StatRow, now_ts, week_start

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
class RuleStats:
    rule_id: str
    warnings: int
    dismissals: int
    shadow: int
    review_requests: int

    @property
    def precision(self) -> float | None:
        """Share of warnings moderators did not dismiss as false positives (None without warnings)."""
        if not self.warnings:
            return None
        return max(0.0, (self.warnings - self.dismissals) / self.warnings)


@dataclass(frozen=True, slots=True)
class WeekStats:
    week_start: int
    warnings: int
    dismissals: int
    answers: int

    @property
    def label(self) -> str:
        return dt.datetime.fromtimestamp(self.week_start, dt.UTC).strftime("%d %b")


def summarise(
    rows: list[StatRow], *, weeks: int = STATS_WEEKS, now: int | None = None
) -> tuple[list[RuleStats], list[WeekStats]]:
    """Per rule (busiest first) and per week (every one of the last ``weeks``, oldest first)."""
    by_rule: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_week: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row.kind != "answer":
            by_rule[row.key][row.kind] += row.count
        by_week[row.week_start][row.kind] += row.count
    rules = sorted(
        (
            RuleStats(rule, c["warning"], c["dismissal"], c["shadow"], c["review_request"])
            for rule, c in by_rule.items()
        ),
        key=lambda r: (-r.warnings, -r.shadow, r.rule_id),
    )
    last = week_start(now_ts() if now is None else now)
    week_list = []
    for index in range(weeks - 1, -1, -1):
        start = last - index * SECONDS_PER_WEEK
        counts = by_week.get(start, {})
        week_list.append(
            WeekStats(start, counts.get("warning", 0), counts.get("dismissal", 0), counts.get("answer", 0))
        )
    return rules, week_list


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


def stats_embed(rules: list[RuleStats], weeks: list[WeekStats]) -> discord.Embed:
    embed = discord.Embed(title=f"GigGuard stats: last {len(weeks)} weeks", colour=ANSWER_COLOUR)
    total_warnings = sum(w.warnings for w in weeks)
    total_dismissals = sum(w.dismissals for w in weeks)
    total_answers = sum(w.answers for w in weeks)
    precision = f"{(total_warnings - total_dismissals) / total_warnings:.0%}" if total_warnings else "—"
    embed.description = (
        f"**{total_warnings}** warnings · **{total_dismissals}** dismissed as not a violation · "
        f"precision **{precision}** · **{total_answers}** questions answered"
    )
    if rules:
        lines = [f"{'rule':<28} warn  dism  prec  shadow"]
        for rule in rules[:15]:
            prec = "  —" if rule.precision is None else f"{rule.precision:4.0%}"
            lines.append(
                f"{truncate(rule.rule_id, 28):<28} {rule.warnings:>4}  {rule.dismissals:>4}  {prec:>4}  "
                f"{rule.shadow:>6}"
            )
        embed.add_field(name="Per rule", value=code_block("\n".join(lines), 1024), inline=False)
    week_lines = [f"{'week of':<8} warn  dism  answers"]
    week_lines += [f"{w.label:<8} {w.warnings:>4}  {w.dismissals:>4}  {w.answers:>7}" for w in weeks]
    embed.add_field(name="Per week", value=code_block("\n".join(week_lines), 1024), inline=False)
    embed.set_footer(text="Precision: share of warnings moderators did not dismiss as false positives.")
    return embed


def settings_embed(settings: GuildSettings, platforms: tuple[str, ...]) -> discord.Embed:
    def ids(values: frozenset[int], kind: str) -> str:
        return ", ".join(f"<{kind}{value}>" for value in sorted(values)) or "none"

    embed = discord.Embed(title="GigGuard settings for this server", colour=ANSWER_COLOUR)
    add = embed.add_field
    add(name="Platforms", value=", ".join(platforms) + ("" if settings.platforms else " (default)"))
    add(name="Reply mode", value=REPLY_MODE_NAMES[settings.reply_mode])
    add(name="Reply cooldown", value=f"{settings.reply_cooldown_s} s per member")
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
    shadow = sorted(settings.shadow_platforms) + sorted(settings.shadow_rules)
    add(name="Shadow mode", value=safe_text(", ".join(shadow), 1024) if shadow else "off")
    return embed


# ---- the cog ----------------------------------------------------------------------------------


@app_commands.default_permissions(manage_messages=True)
@app_commands.guild_only()
class Settings(commands.GroupCog, group_name="gigguard", group_description="GigGuard for moderators"):
    config = app_commands.Group(name="config", description="GigGuard's settings for this server")

    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot
        super().__init__()

    async def update(self, interaction: discord.Interaction, **changes: Any) -> GuildSettings | None:
        """Apply changes; a bad value gets a clear private answer and changes nothing."""
        assert interaction.guild_id is not None
        try:
            return await self.bot.db.guild_settings.update(interaction.guild_id, **changes)
        except (ValueError, TypeError) as exc:
            await respond(interaction, f"Nothing was changed: {safe_text(str(exc), 500)}.")
            return None

    async def show(self, interaction: discord.Interaction, settings: GuildSettings, lead: str = "") -> None:
        embed = settings_embed(settings, self.bot.platforms_for(settings))
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
        reply_cooldown="Seconds between two warning replies to the same member",
        exempt_moderators="Skip members with Manage Messages",
        delete_contact_messages="Delete a warned message when it contains contact details",
        warning_lifetime_days="Days a warning counts (0 = forever; Fiverr uses 90)",
        escalation_ping_at="Active warnings that escalate to the mod-log (0 = never)",
        escalation_ping_role="The role pinged on escalation (the only thing GigGuard ever pings)",
        clear_ping_role="Stop pinging a role on escalation",
        timeout_at="Active warnings that time the member out (needs Moderate Members)",
        timeout_minutes="Timeout length in minutes (0 = timeouts off, the default)",
        retention_days="Days expired, pardoned or dismissed warnings are kept before deletion",
    )
    @app_commands.choices(
        reply_mode=[app_commands.Choice(name=name, value=mode) for mode, name in REPLY_MODE_NAMES.items()]
    )
    async def config_set(
        self,
        interaction: discord.Interaction,
        platforms: str | None = None,
        reply_mode: app_commands.Choice[str] | None = None,
        reply_cooldown: app_commands.Range[int, 0, 86_400] | None = None,
        exempt_moderators: bool | None = None,
        delete_contact_messages: bool | None = None,
        warning_lifetime_days: app_commands.Range[int, 0, 3650] | None = None,
        escalation_ping_at: app_commands.Range[int, 0, 100] | None = None,
        escalation_ping_role: discord.Role | None = None,
        clear_ping_role: bool | None = None,
        timeout_at: app_commands.Range[int, 0, 100] | None = None,
        timeout_minutes: app_commands.Range[int, 0, MAX_TIMEOUT_MINUTES] | None = None,
        retention_days: app_commands.Range[int, 1, 3650] | None = None,
    ) -> None:
        """Change settings; options left empty keep their value."""
        if not await ensure_moderator(interaction):
            return
        changes: dict[str, Any] = {}
        if platforms is not None:
            wanted = tuple(dict.fromkeys(p.strip().lower() for p in platforms.split(",") if p.strip()))
            unknown = [p for p in wanted if p not in self.bot.engine.platforms]
            if unknown or not wanted:
                named = safe_text(", ".join(unknown) or platforms, 200)
                known = ", ".join(self.bot.engine.platforms)
                await respond(interaction, f"Nothing was changed: unknown platform {named}. Known: {known}.")
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
        if settings.timeout_minutes and interaction.guild is not None:
            me = interaction.guild.me
            if me is not None and not me.guild_permissions.moderate_members:
                lead += " Note: timeouts need the Moderate Members permission, which I do not have."
        await self.show(interaction, settings, lead)

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
        target="A platform (fiverr...), a topic (email, payments...) or a rule id from the mod-log",
        enabled="True: detect and log only, no reply and no warning; False: act normally",
    )
    async def config_shadow(self, interaction: discord.Interaction, target: str, enabled: bool) -> None:
        """Shadow mode: try GigGuard on a platform or rule without replying or warning."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        key = target.strip().lower()
        if not key or len(key) > 100:
            await respond(interaction, "Name a platform, a topic or a rule id.")
            return
        current = await self.bot.db.guild_settings.get(interaction.guild_id)
        field = "shadow_platforms" if key in self.bot.engine.platforms else "shadow_rules"
        values: frozenset[str] = getattr(current, field)
        values = values | {key} if enabled else values - {key}
        settings = await self.update(interaction, **{field: frozenset(values)})
        if settings is not None:
            await self.show(interaction, settings, "Saved.")

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
        me = interaction.guild.me if interaction.guild is not None else None
        if me is not None:
            permissions = channel.permissions_for(me)
            if not (permissions.view_channel and permissions.send_messages and permissions.embed_links):
                await respond(
                    interaction,
                    f"I cannot post in {channel.mention}: I need View Channel, Send Messages and Embed Links "
                    "there. Nothing was changed.",
                )
                return
        settings = await self.update(interaction, modlog_channel_id=channel.id)
        if settings is None:
            return
        await respond(
            interaction, f"Warnings, pardons, dismissals and escalations now go to {channel.mention}."
        )
        await post_modlog(
            self.bot,
            settings,
            notice_embed(
                "Mod-log set", f"{member_line(interaction.user.id)} chose this channel for GigGuard."
            ),
        )

    @app_commands.command(name="stats")
    @app_commands.check(is_moderator)
    async def stats(self, interaction: discord.Interaction) -> None:
        """Warnings, dismissals, precision and questions answered, per rule and per week, with a chart."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        rows = await self.bot.db.stats.since(interaction.guild_id, STATS_WEEKS)
        rules, weeks = summarise(rows)
        embed = stats_embed(rules, weeks)
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
    async def export(self, interaction: discord.Interaction) -> None:
        """This server's warnings as a CSV file (only you see it)."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
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
            f"Deleted {result.warnings_deleted} warning(s) of {member_line(member.id)} and removed their id "
            f"from {result.moderator_references_removed} warning(s) they had acted on.",
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
