"""/gigguard: config show|set|exempt_role|exempt_channel|shadow, modlog, stats, export, forget."""

from __future__ import annotations

import asyncio
import csv
import gc
import io
import sqlite3
import time
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.settings import Settings, csv_safe, render_chart, summarise
from db import EXPORT_COLUMNS, Database, GuildSettings, StatRow, now_ts, week_start
from tests.cogs.toolkit import answer_text, answers, assert_private, attach_modlog, modlog_posts, warn
from tests.helpers import make_channel, make_guild, make_interaction, make_member, make_role


@pytest.fixture
def cog(bot: GigGuardBot) -> Settings:
    return Settings(bot)


@pytest.fixture
def guild() -> Any:
    guild = make_guild()
    guild.me = make_member(
        guild, manage_messages=True
    )  # the bot: Permissions with only manage_messages unless a test sets more
    return guild


def as_moderator(guild: Any) -> Any:
    return make_interaction(guild, user=make_member(guild, manage_messages=True), manage_messages=True)


def as_member(guild: Any) -> Any:
    return make_interaction(guild, user=make_member(guild))


def set_bot_permissions(guild: Any, **permissions: bool) -> None:
    guild.me.guild_permissions = discord.Permissions(**permissions)


MODERATOR_COMMANDS = [
    ("config_show", {}),
    ("config_set", {"reply_mode": None, "timeout_minutes": 5}),
    ("config_exempt_role", {"role": None, "exempt": True}),
    ("config_exempt_channel", {"channel": None, "exempt": True}),
    ("config_shadow", {"target": "fiverr", "enabled": True}),
    ("modlog", {"channel": None}),
    ("stats", {}),
    ("export", {}),
    ("forget", {"member": None}),
]


@pytest.mark.parametrize(("command", "arguments"), MODERATOR_COMMANDS)
async def test_a_non_moderator_is_refused_by_every_gigguard_command_itself(
    cog: Settings, database: Database, guild: Any, command: str, arguments: dict[str, Any]
) -> None:
    member = make_member(guild)
    await warn(database, guild.id, member.id)
    values = {
        name: (member if name == "member" else make_role() if name == "role" else make_channel(guild))
        if value is None and name in ("member", "role", "channel")
        else value
        for name, value in arguments.items()
    }
    interaction = as_member(guild)
    await getattr(cog, command).callback(cog, interaction, **values)
    assert_private(interaction)
    assert answer_text(interaction) == "You need the Manage Messages permission for this."
    interaction.response.defer.assert_not_awaited()
    assert await database.guild_settings.get(guild.id) == GuildSettings(guild.id)
    assert await database.warnings.count(guild.id) == 1


async def test_config_set_changes_only_what_was_given_and_shows_everything(
    cog: Settings, database: Database, guild: Any
) -> None:
    interaction = as_moderator(guild)
    await cog.config_set.callback(
        cog,
        interaction,
        platforms="Upwork, fiverr",
        reply_mode=discord.app_commands.Choice(name="x", value="reply_dm"),
        warning_lifetime_days=30,
        timeout_minutes=15,
        delete_contact_messages=True,
    )
    settings = await database.guild_settings.get(guild.id)
    assert settings.platforms == ("upwork", "fiverr")
    assert (settings.reply_mode, settings.warning_lifetime_days, settings.timeout_minutes) == (
        "reply_dm",
        30,
        15,
    )
    assert settings.delete_contact_messages is True
    assert settings.reply_cooldown_s == 60, "untouched"
    assert_private(interaction)
    text = answer_text(interaction)
    assert "Saved." in text
    assert "Moderate Members" in text, "warns that timeouts need a permission the bot lacks"
    assert "3 active: 15 min timeout" in text


async def test_config_set_refuses_unknown_platforms_and_changes_nothing(
    cog: Settings, database: Database, guild: Any
) -> None:
    interaction = as_moderator(guild)
    await cog.config_set.callback(cog, interaction, platforms="fiverr, **etsy**", reply_cooldown=5)
    assert "unknown platform \\*\\*etsy\\*\\*" in answer_text(interaction)
    assert await database.guild_settings.get(guild.id) == GuildSettings(guild.id)


async def test_config_exempt_role_and_channel_add_and_remove(
    cog: Settings, database: Database, guild: Any
) -> None:
    role, channel = make_role(), make_channel(guild)
    await cog.config_exempt_role.callback(cog, as_moderator(guild), role=role, exempt=True)
    await cog.config_exempt_channel.callback(cog, as_moderator(guild), channel=channel, exempt=True)
    settings = await database.guild_settings.get(guild.id)
    assert settings.exempt_role_ids == {role.id}
    assert settings.exempt_channel_ids == {channel.id}
    await cog.config_exempt_role.callback(cog, as_moderator(guild), role=role, exempt=False)
    assert (await database.guild_settings.get(guild.id)).exempt_role_ids == frozenset()


async def test_config_shadow_by_platform_or_rule(cog: Settings, database: Database, guild: Any) -> None:
    await cog.config_shadow.callback(cog, as_moderator(guild), target="Upwork", enabled=True)
    await cog.config_shadow.callback(cog, as_moderator(guild), target="payments", enabled=True)
    settings = await database.guild_settings.get(guild.id)
    assert settings.shadow_platforms == {"upwork"}
    assert settings.shadow_rules == {"payments"}
    shown = as_moderator(guild)
    await cog.config_show.callback(cog, shown)
    assert "upwork, payments" in answer_text(shown)


async def test_modlog_needs_permission_to_post_there(
    cog: Settings, database: Database, guild: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = make_channel(guild)
    refused = as_moderator(guild)
    await cog.modlog.callback(cog, refused, channel=channel)
    assert "I cannot post in" in answer_text(refused)
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id is None

    set_bot_permissions(guild, view_channel=True, send_messages=True, embed_links=True)
    monkeypatch.setattr(cog.bot, "get_channel", lambda channel_id: channel)
    accepted = as_moderator(guild)
    await cog.modlog.callback(cog, accepted, channel=channel)
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id == channel.id
    assert modlog_posts(channel)[0]["embed"].title == "Mod-log set"

    off = as_moderator(guild)
    await cog.modlog.callback(cog, off, channel=None)
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id is None


def test_summary_per_rule_and_per_week_with_precision() -> None:
    now = 1_704_067_200 + 3 * 86_400  # a Thursday
    this_week, last_week = week_start(now), week_start(now) - 7 * 86_400
    rows = [
        StatRow(this_week, "warning", "r.email", 8),
        StatRow(last_week, "warning", "r.email", 2),
        StatRow(this_week, "dismissal", "r.email", 1),
        StatRow(this_week, "shadow", "r.link", 4),
        StatRow(this_week, "answer", "payments", 5),
    ]
    rules, weeks = summarise(rows, weeks=12, now=now)
    assert [r.rule_id for r in rules] == ["r.email", "r.link"]
    assert rules[0].precision == pytest.approx(0.9)
    assert rules[1].precision is None
    assert len(weeks) == 12
    assert (weeks[-1].warnings, weeks[-1].dismissals, weeks[-1].answers) == (8, 1, 5)
    assert weeks[-2].warnings == 2
    assert weeks[0].week_start == this_week - 11 * 7 * 86_400


def test_the_chart_is_a_png() -> None:
    _, weeks = summarise([], weeks=12, now=now_ts())
    assert render_chart(weeks).startswith(b"\x89PNG")


async def test_stats_answers_privately_with_numbers_and_a_chart(
    cog: Settings, database: Database, guild: Any
) -> None:
    for _ in range(4):
        await database.stats.record(guild.id, "warning", "test.email")
    await database.stats.record(guild.id, "dismissal", "test.email")
    await database.stats.record(guild.id, "answer", "payments")
    interaction = as_moderator(guild)
    await cog.stats.callback(cog, interaction)
    interaction.response.defer.assert_awaited_once()
    [sent] = answers(interaction)
    assert sent["ephemeral"] is True
    embed = sent["embed"]
    assert "**4** warnings · **1** dismissed" in embed.description
    assert "precision **75%**" in embed.description
    assert "**1** questions answered" in embed.description
    assert "test.email" in embed.fields[0].value
    assert sent["file"].filename == "gigguard-stats.png"
    assert embed.image.url == "attachment://gigguard-stats.png"


@pytest.mark.parametrize(
    ("value", "safe"), [("=1+1", "'=1+1"), ("@x", "'@x"), ("-2", "'-2"), ("s***", "s***"), (5, 5)]
)
def test_csv_cells_cannot_become_formulas(value: Any, safe: Any) -> None:
    assert csv_safe(value) == safe


async def insert_many(database: Database, guild_id: int, count: int) -> None:
    now = now_ts()
    rows = [
        (
            guild_id,
            1000 + i % 50,
            77,
            10_000 + i,
            "test.email",
            "fiverr",
            "email",
            "=s***@g****.com",
            now,
            None,
        )
        for i in range(count)
    ]
    async with database.transaction() as connection:
        await connection.executemany(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, platform, topic,
                                  snippet, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            rows,
        )


async def test_export_of_10000_warnings_keeps_the_event_loop_responsive(
    cog: Settings, database: Database, guild: Any
) -> None:
    await insert_many(database, guild.id, 10_000)
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        # How late each 5 ms tick is: a blocked loop shows up as one long gap.
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            current = time.perf_counter()
            gaps.append(current - last)
            last = current

    # Objects left by earlier tests (the detector, other bots) would make one full garbage
    # collection slow; that pause is not the export's, so they are frozen out of the count.
    gc.collect()
    gc.freeze()
    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    interaction = as_moderator(guild)
    await cog.export.callback(cog, interaction)
    stop.set()
    await ticking
    gc.unfreeze()

    assert max(gaps) < 0.035, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"
    [sent] = answers(interaction)
    assert sent["ephemeral"] is True
    assert sent["content"].startswith("10000 warning(s)")
    rows = list(csv.reader(io.StringIO(sent["file"].fp.read().decode("utf-8"))))
    assert rows[0] == list(EXPORT_COLUMNS)
    assert len(rows) == 10_001
    assert rows[1][EXPORT_COLUMNS.index("snippet")] == "'=s***@g****.com"


async def test_export_holds_only_this_server(cog: Settings, database: Database, guild: Any) -> None:
    await warn(database, guild.id, 1)
    await warn(database, guild.id + 1, 1)
    interaction = as_moderator(guild)
    await cog.export.callback(cog, interaction)
    [sent] = answers(interaction)
    assert len(sent["file"].fp.read().decode().strip().splitlines()) == 2


def cells_holding(path: Path, value: int) -> list[str]:
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        hits = []
        for table in tables:
            for column in [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]:
                if connection.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (value,)).fetchone():
                    hits.append(f"{table}.{column}")
    return hits


async def test_forget_leaves_no_row_about_the_member_in_any_table(
    cog: Settings, database: Database, guild: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    modlog = await attach_modlog(cog.bot, database, guild, monkeypatch)
    member, other = make_member(guild), make_member(guild)
    await warn(database, guild.id, member.id)
    reviewed = await warn(database, guild.id, member.id)
    await database.warnings.request_review(reviewed.id, guild_id=guild.id, user_id=member.id)
    others = await warn(database, guild.id, other.id)
    await database.warnings.set_status(others.id, "dismissed", by=member.id, reason="fp")
    await database.stats.record(guild.id, "warning", "test.email")
    assert cells_holding(Path(database.path), member.id)

    interaction = as_moderator(guild)
    await cog.forget.callback(cog, interaction, member=member)

    assert cells_holding(Path(database.path), member.id) == []
    assert await database.warnings.count_for_member(guild.id, other.id) == 1
    assert "Deleted 2 warning(s)" in answer_text(interaction)
    assert modlog_posts(modlog)[0]["embed"].title == "Member data deleted"
