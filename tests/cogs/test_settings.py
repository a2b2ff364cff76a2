"""/gigguard: config show|set|exempt_role|exempt_channel|shadow, modlog, stats, export, forget."""

from __future__ import annotations

import asyncio
import csv
import gc
import io
import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.settings import Settings, SetupModlogSelect, csv_safe, render_chart, summarise
from db import EXPORT_COLUMNS, Database, GuildSettings, StatRow, now_ts, week_start
from tests.cogs.toolkit import answer_text, answers, assert_private, attach_modlog, modlog_posts, warn
from tests.helpers import make_channel, make_guild, make_interaction, make_member, make_role, next_id


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
    ("setup_command", {}),
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
    assert "unknown platform '\\*\\*etsy\\*\\*'" in answer_text(interaction)
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
    assert "Platform: Upwork [upwork]" in answer_text(shown)
    assert "Topic: Payments outside the platform [payments]" in answer_text(shown)


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
        StatRow(this_week, "warning", "fiverr.email", 8, "topic"),
        StatRow(last_week, "warning", "fiverr.email", 2, "topic"),
        StatRow(this_week, "dismissal", "fiverr.email", 1, "topic"),
        StatRow(this_week, "shadow", "fiverr.links", 4, "topic"),
        StatRow(this_week, "answer", "fiverr.payments", 5, "topic"),
    ]
    summary = summarise(rows, weeks=12, now=now)
    rules, weeks = summary.rules, summary.weeks
    assert [r.key for r in rules] == ["r.email", "r.link"]
    assert rules[0].precision == pytest.approx(0.9)
    assert rules[1].precision is None
    assert [t.key for t in summary.topics] == ["fiverr.email", "fiverr.links"]
    assert summary.topics[0].precision == pytest.approx(0.9)
    assert len(weeks) == 12
    assert (weeks[-1].warnings, weeks[-1].dismissals, weeks[-1].answers) == (8, 1, 5)
    assert weeks[-2].warnings == 2
    assert weeks[0].week_start == this_week - 11 * 7 * 86_400


def test_the_chart_is_a_png() -> None:
    weeks = summarise([], weeks=12, now=now_ts()).weeks
    assert render_chart(weeks).startswith(b"\x89PNG")


async def test_stats_answers_privately_with_numbers_and_a_chart(
    cog: Settings, database: Database, guild: Any
) -> None:
    for _ in range(4):
        await database.stats.record_event(
            guild.id, "warning", topic="fiverr.email", rule_ids=["contact.email"]
        )
    await database.stats.record_event(guild.id, "dismissal", topic="fiverr.email", rule_ids=["contact.email"])
    await database.stats.record(guild.id, "answer", "fiverr.payments", scope="topic")
    interaction = as_moderator(guild)
    await cog.stats.callback(cog, interaction)
    interaction.response.defer.assert_awaited_once()
    [sent] = answers(interaction)
    assert sent["ephemeral"] is True
    embed = sent["embed"]
    assert "**4** warnings · **1** dismissed" in embed.description
    assert "precision **75%**" in embed.description
    assert "**1** questions answered" in embed.description
    fields = {field.name: field.value for field in embed.fields}
    assert "**Email (Fiverr) [email]**: 4 warned · 1 dismissed" in fields["Per topic"]
    assert "**Email address [contact.email]**: 4 warned" in fields["Per rule"]
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
    for author, message_id in ((member.id, 1), (other.id, 2)):
        item = await database.review_items.add(
            guild_id=guild.id, channel_id=3, message_id=message_id, user_id=author, platform="fiverr",
            topic="email", rule_ids=("contact.email",), snippet="", confidence=0.6, reason="",
        )  # fmt: skip
        assert item is not None
    await database.review_items.decide(item.id, "dismissed", by=member.id, guild_id=guild.id)
    assert cells_holding(Path(database.path), member.id)

    interaction = as_moderator(guild)
    await cog.forget.callback(cog, interaction, member=member)

    assert cells_holding(Path(database.path), member.id) == []
    assert await database.warnings.count_for_member(guild.id, other.id) == 1
    assert "Deleted 2 warning(s) and 1 review item(s)" in answer_text(interaction)
    assert await database.review_items.count(guild.id) == 1, "the other member's item stays"
    assert modlog_posts(modlog)[0]["embed"].title == "Member data deleted"


# ---- free-text settings: validation and autocomplete ------------------------------------------


async def test_shadow_refuses_what_the_bot_never_reports_with_a_did_you_mean(
    cog: Settings, database: Database, guild: Any
) -> None:
    typo = as_moderator(guild)
    await cog.config_shadow.callback(cog, typo, target="paymnets", enabled=True)
    assert_private(typo)
    text = answer_text(typo)
    assert "Nothing was changed" in text
    assert "Did you mean Topic: Payments outside the platform [payments]?" in text
    await cog.config_shadow.callback(cog, as_moderator(guild), target="contact.emial", enabled=True)
    assert await database.guild_settings.get(guild.id) == GuildSettings(guild.id)


async def test_shadow_accepts_a_rule_id_or_its_human_name(
    cog: Settings, database: Database, guild: Any
) -> None:
    await cog.config_shadow.callback(cog, as_moderator(guild), target="contact.phone", enabled=True)
    named = as_moderator(guild)
    await cog.config_shadow.callback(cog, named, target="email address", enabled=True)
    assert (await database.guild_settings.get(guild.id)).shadow_rules == {"contact.phone", "contact.email"}
    assert "shadow mode on for Rule: Email address [contact.email]" in answer_text(named)


async def test_an_old_shadow_target_can_still_be_turned_off(
    cog: Settings, database: Database, guild: Any
) -> None:
    await database.guild_settings.update(guild.id, shadow_rules=frozenset({"fiverr.email"}))
    suggest = as_moderator(guild)
    choices = await cog.shadow_target_autocomplete(suggest, "")
    assert (choices[0].value, choices[0].name) == ("fiverr.email", "(on) No longer reported [fiverr.email]")
    await cog.config_shadow.callback(cog, as_moderator(guild), target="fiverr.email", enabled=False)
    assert (await database.guild_settings.get(guild.id)).shadow_rules == frozenset()


async def test_shadow_autocomplete_shows_human_names(cog: Settings, guild: Any) -> None:
    choices = await cog.shadow_target_autocomplete(as_moderator(guild), "link")
    names = {choice.value: choice.name for choice in choices}
    assert names["links"] == "Topic: Links, websites and social profiles [links]"
    assert names["contact.link-social"] == "Rule: Social media profile link [contact.link-social]"
    assert all(len(choice.name) <= 100 for choice in choices)
    assert await cog.shadow_target_autocomplete(as_member(guild), "") == [], "moderators only"
    platforms = await cog.shadow_target_autocomplete(as_moderator(guild), "upw")
    assert [(c.name, c.value) for c in platforms] == [("Platform: Upwork [upwork]", "upwork")]


async def test_platforms_autocomplete_completes_the_last_item(cog: Settings, guild: Any) -> None:
    choices = await cog.platforms_autocomplete(as_moderator(guild), "fiverr, up")
    assert [(c.name, c.value) for c in choices] == [("Fiverr, Upwork", "fiverr,upwork")]
    everything = await cog.platforms_autocomplete(as_moderator(guild), "")
    assert [c.value for c in everything] == ["fiverr", "upwork"]


async def test_a_misspelt_platform_gets_a_did_you_mean(cog: Settings, database: Database, guild: Any) -> None:
    interaction = as_moderator(guild)
    await cog.config_set.callback(cog, interaction, platforms="fiverr, upwrok")
    assert "unknown platform 'upwrok' (did you mean 'upwork'? known: fiverr, upwork)" in answer_text(
        interaction
    )
    assert await database.guild_settings.get(guild.id) == GuildSettings(guild.id)


# ---- stats with review decisions, the labelled export ------------------------------------------


async def test_stats_precision_counts_review_decisions_per_topic_and_rule(
    cog: Settings, database: Database, guild: Any
) -> None:
    for kind in ("warning", "warning", "warning", "dismissal", "review", "review", "review_dismissed"):
        await database.stats.record_event(guild.id, kind, topic="fiverr.payments", rule_ids=["contact.iban"])
    await database.stats.record_event(guild.id, "review", topic="fiverr.payments", rule_ids=["contact.iban"])
    await database.stats.record_event(
        guild.id, "review_confirmed", topic="fiverr.payments", rule_ids=["contact.iban"]
    )
    await database.stats.record_event(guild.id, "warning", topic="fiverr.payments", rule_ids=["contact.iban"])
    interaction = as_moderator(guild)
    await cog.stats.callback(cog, interaction)
    [sent] = answers(interaction)
    embed = sent["embed"]
    fields = {field.name: field.value for field in embed.fields}
    # 4 warnings (one from a confirmed review), 1 dismissed, 1 review item dismissed: 3 of 5 upheld.
    assert (
        "**Payments (Fiverr) [payments]**: 4 warned · 1 dismissed · review 1 confirmed / 1 dismissed of 3 "
        "· precision 60%" in fields["Per topic"]
    )
    assert "**Bank account (IBAN) [contact.iban]**: 4 warned" in fields["Per rule"]
    assert "precision **60%**" in embed.description
    assert len(embed) <= 6000


async def test_turning_training_data_off_deletes_the_kept_texts(
    cog: Settings, database: Database, guild: Any
) -> None:
    await database.guild_settings.update(guild.id, training_data=True)
    await warn_with_text(database, guild.id, "t")
    interaction = as_moderator(guild)
    await cog.config_set.callback(cog, interaction, training_data=False)
    assert "masked texts kept for the labelled export were deleted (1)" in answer_text(interaction)
    assert "Labelled training data off" in answer_text(interaction)


async def warn_with_text(database: Database, guild_id: int, text: str, **kw: Any) -> Any:
    warning = await database.warnings.add(
        guild_id=guild_id, user_id=1, channel_id=2, message_id=next_id(), rule_id="contact.email",
        platform="fiverr", topic="email", snippet="", lifetime_days=90, training_text=text, **kw,
    )  # fmt: skip
    assert warning is not None
    return warning


def jsonl_of(interaction: Any) -> list[dict[str, Any]]:
    [sent] = answers(interaction)
    return [json.loads(line) for line in sent["file"].fp.read().decode("utf-8").splitlines()]


async def test_the_labelled_export_is_opt_in(cog: Settings, database: Database, guild: Any) -> None:
    interaction = as_moderator(guild)
    await cog.export.callback(cog, interaction, format=discord.app_commands.Choice(name="x", value="jsonl"))
    assert_private(interaction)
    assert "labelled export is off" in answer_text(interaction)
    assert "file" not in answers(interaction)[0]


async def test_the_labelled_export_has_one_line_per_decision(
    cog: Settings, database: Database, guild: Any
) -> None:
    await database.guild_settings.update(guild.id, training_data=True)
    items = database.review_items

    async def item(text: str | None, decision: str) -> Any:
        opened = await items.add(
            guild_id=guild.id, channel_id=2, message_id=next_id(), user_id=1, platform="upwork",
            topic="payments", rule_ids=("contact.link-payment",), snippet="", confidence=0.7, reason="",
            text=text,
        )  # fmt: skip
        assert opened is not None
        return await items.decide(opened.id, decision, by=9, guild_id=guild.id)

    confirmed = await item("pay me at paypal.me/s***", "confirmed")
    dismissed = await item("I never use paypal.me/s***", "dismissed")
    await item(None, "dismissed")  # decided before the opt-in: no text, no line
    warning = await warn_with_text(database, guild.id, "mail s***@g***.com")
    await database.warnings.set_status(warning.id, "dismissed", by=9, reason="fp")
    await warn_with_text(database, guild.id, "still active")  # nobody decided: no line

    interaction = as_moderator(guild)
    await cog.export.callback(cog, interaction, format=discord.app_commands.Choice(name="x", value="jsonl"))

    lines = jsonl_of(interaction)
    assert [(line["id"], line["label"]) for line in lines] == [
        (f"review-{confirmed.id}", "encourages"),
        (f"review-{dismissed.id}", "none"),
        (f"warning-{warning.id}", "none"),
    ]
    assert lines[0] == {
        "id": f"review-{confirmed.id}",
        "text": "pay me at paypal.me/s***",
        "label": "encourages",
        "platform": "upwork",
        "topic": "payments",
        "rule_ids": ["contact.link-payment"],
        "decided_at": lines[0]["decided_at"],
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[0]["decided_at"])
    assert lines[2]["rule_ids"] == ["contact.email"]
    assert "3 labelled line(s)" in answers(interaction)[0]["content"]


# ---- reply style, question cooldown, /gigguard setup ------------------------------------------


async def test_reply_style_and_question_cooldown_are_set_and_shown(
    cog: Settings, database: Database, guild: Any
) -> None:
    interaction = as_moderator(guild)
    await cog.config_set.callback(
        cog,
        interaction,
        reply_style=discord.app_commands.Choice(name="compact", value="compact"),
        question_cooldown=90,
    )
    settings = await database.guild_settings.get(guild.id)
    assert (settings.reply_style, settings.ask_cooldown_s) == ("compact", 90)
    text = answer_text(interaction)
    assert "Reply style compact: one line in public, the policy privately behind a Details button" in text
    assert "Question cooldown 90 s per topic per channel" in text

    shown = as_moderator(guild)
    await cog.config_set.callback(cog, shown, question_cooldown=0)
    assert "Question cooldown none: every question is answered" in answer_text(shown)
    assert (await database.guild_settings.get(guild.id)).reply_style == "compact", "untouched"


async def test_config_show_names_the_defaults(cog: Settings, guild: Any) -> None:
    interaction = as_moderator(guild)
    await cog.config_show.callback(cog, interaction)
    text = answer_text(interaction)
    assert "Reply style full: the policy embed in public" in text
    assert "Question cooldown 600 s per topic per channel" in text


def setup_fields(interaction: Any) -> dict[str, str]:
    [sent] = answers(interaction)
    return {field.name: field.value for field in sent["embed"].fields}


def setup_components(view: discord.ui.View | None) -> list[str]:
    assert view is not None
    return [item.custom_id for item in view.children if isinstance(item, discord.ui.DynamicItem)]


async def test_setup_on_a_fresh_server_has_every_step_to_do_with_the_command_and_a_control(
    cog: Settings, guild: Any
) -> None:
    interaction = as_moderator(guild)
    await cog.setup_command.callback(cog, interaction)
    assert_private(interaction)
    [sent] = answers(interaction)
    assert sent["embed"].title == "GigGuard setup: 0 of 3 steps done"
    fields = setup_fields(interaction)
    assert fields == {
        "1. Choose the mod-log channel: to do": "Not set: moderators see nothing of what GigGuard does.\n"
        "`/gigguard modlog channel:#mod-log`: warnings, items for review and escalations go there. "
        "Until it is set, moderators see nothing.",
        "2. Choose the marketplaces: to do": "Not chosen: the default (Fiverr) applies.\n"
        "`/gigguard config set platforms:fiverr`: whose rules apply (now: Fiverr). A message about another "
        "platform still gets that platform's rules.",
        "3. Try it in shadow mode first: to do": "Off: GigGuard replies and warns from the first message.\n"
        "`/gigguard config shadow target:fiverr enabled:true`: GigGuard only logs what it would have done, "
        "and warns no one. Turn it off (`enabled:false`) when you trust it.",
    }
    assert setup_components(sent["view"]) == [
        "gigguard:setup:modlog",
        "gigguard:setup:platforms",
        "gigguard:setup:shadow:fiverr",
    ]


async def test_setup_says_when_the_mod_log_is_set_but_unusable(
    cog: Settings, database: Database, guild: Any
) -> None:
    channel = make_channel(guild)
    guild.get_channel.side_effect = lambda channel_id: channel if channel_id == channel.id else None
    await database.guild_settings.update(guild.id, modlog_channel_id=channel.id)
    cannot_post = as_moderator(guild)
    await cog.setup_command.callback(cog, cannot_post)
    step = setup_fields(cannot_post)["1. Choose the mod-log channel: to do"]
    assert step.startswith(
        f"Set to <#{channel.id}>, but I cannot post in <#{channel.id}>: I need View Channel, Send Messages"
    )

    await database.guild_settings.update(guild.id, modlog_channel_id=next_id())
    gone = as_moderator(guild)
    await cog.setup_command.callback(cog, gone)
    assert (
        "that channel is gone or hidden from me" in setup_fields(gone)["1. Choose the mod-log channel: to do"]
    )


async def test_setup_after_everything_is_done_has_no_controls(
    cog: Settings, database: Database, guild: Any
) -> None:
    channel = make_channel(guild)
    guild.get_channel.side_effect = lambda channel_id: channel if channel_id == channel.id else None
    set_bot_permissions(guild, view_channel=True, send_messages=True, embed_links=True)
    await database.guild_settings.update(
        guild.id, modlog_channel_id=channel.id, platforms=("upwork",), shadow_rules=frozenset({"payments"})
    )
    interaction = as_moderator(guild)
    await cog.setup_command.callback(cog, interaction)
    [sent] = answers(interaction)
    assert sent["embed"].title == "GigGuard setup: 3 of 3 steps done"
    assert setup_fields(interaction) == {
        "1. Choose the mod-log channel: done": f"<#{channel.id}>: I can post there.",
        "2. Choose the marketplaces: done": "Chosen: Upwork.",
        "3. Try it in shadow mode first: done": "On for Topic: Payments outside the platform [payments].",
    }
    assert "view" not in sent


def component_interaction(guild: Any, bot: GigGuardBot, *, moderator: bool = True) -> Any:
    interaction = as_moderator(guild) if moderator else as_member(guild)
    interaction.client = bot
    return interaction


async def test_picking_the_mod_log_in_setup_checks_permission_saves_and_shows_it_done(
    cog: Settings, database: Database, guild: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cog.bot, "get_cog", lambda name: cog if name == "Settings" else None)
    channel = make_channel(guild)
    guild.get_channel.side_effect = lambda channel_id: channel if channel_id == channel.id else None
    select = SetupModlogSelect()

    refused = component_interaction(guild, cog.bot)
    await cog.setup_modlog(refused, [str(channel.id)])
    assert answer_text(refused) == (
        f"I cannot post in <#{channel.id}>: I need View Channel, Send Messages and Embed Links there. "
        "Nothing was changed."
    )
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id is None

    member = component_interaction(guild, cog.bot, moderator=False)
    set_bot_permissions(guild, view_channel=True, send_messages=True, embed_links=True)
    await cog.setup_modlog(member, [str(channel.id)])
    assert answer_text(member) == "You need the Manage Messages permission for this."
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id is None

    monkeypatch.setattr(cog.bot, "get_channel", lambda channel_id: channel)
    saved = component_interaction(guild, cog.bot)
    # What discord.py does with the component's data when the select is used (no resolved data
    # here: the values stay channel ids, as the emulator sends them).
    select._refresh_state(
        saved, {"custom_id": "gigguard:setup:modlog", "component_type": 8, "values": [str(channel.id)]}
    )
    await select.callback(saved)
    assert (await database.guild_settings.get(guild.id)).modlog_channel_id == channel.id
    [edit] = [call.kwargs for call in saved.response.edit_message.await_args_list]
    assert (
        edit["content"] == f"Saved: warnings, pardons, dismissals and escalations now go to <#{channel.id}>."
    )
    assert edit["embed"].title == "GigGuard setup: 1 of 3 steps done"
    assert edit["embed"].fields[0].name == "1. Choose the mod-log channel: done"
    assert edit["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert "gigguard:setup:modlog" not in setup_components(edit["view"])
    assert modlog_posts(channel)[0]["embed"].title == "Mod-log set"


async def test_the_setup_shadow_button_and_platform_picker_save(
    cog: Settings, database: Database, guild: Any
) -> None:
    shadow = component_interaction(guild, cog.bot)
    await cog.setup_shadow(shadow, "fiverr")
    assert (await database.guild_settings.get(guild.id)).shadow_platforms == {"fiverr"}
    [edit] = [call.kwargs for call in shadow.response.edit_message.await_args_list]
    assert edit["content"].startswith("Saved: shadow mode on for Platform: Fiverr [fiverr].")
    assert "`/gigguard config shadow target:fiverr enabled:false`" in edit["content"]
    assert edit["embed"].fields[2].name == "3. Try it in shadow mode first: done"

    platforms = component_interaction(guild, cog.bot)
    await cog.setup_platforms(platforms, ("upwork", "fiverr"))
    assert (await database.guild_settings.get(guild.id)).platforms == ("upwork", "fiverr")
    [edit] = [call.kwargs for call in platforms.response.edit_message.await_args_list]
    assert edit["content"] == "Saved: GigGuard follows Upwork, Fiverr."

    refused = component_interaction(guild, cog.bot, moderator=False)
    await cog.setup_shadow(refused, "upwork")
    assert answer_text(refused) == "You need the Manage Messages permission for this."
    assert (await database.guild_settings.get(guild.id)).shadow_platforms == {"fiverr"}


# ---- delete_replies_after: auto-delete of the bot's public replies -------------------------------


async def test_delete_replies_after_is_set_shown_and_bounded_to_a_day(
    cog: Settings, database: Database, guild: Any
) -> None:
    shown = as_moderator(guild)
    await cog.config_show.callback(cog, shown)
    assert "Delete replies never: replies stay" in answer_text(shown)

    interaction = as_moderator(guild)
    await cog.config_set.callback(cog, interaction, delete_replies_after=15)
    assert (await database.guild_settings.get(guild.id)).delete_replies_after_min == 15
    assert_private(interaction)
    text = answer_text(interaction)
    assert "Saved." in text
    assert "Delete replies after 15 min (warnings, answers and removal notices in the channel" in text
    assert "never DMs or the mod-log" in text

    option = cog.config_set.get_parameter("delete_replies_after")
    assert option is not None
    assert (option.min_value, option.max_value, option.required) == (0, 1440, False)


async def test_turning_auto_delete_off_keeps_the_replies_waiting_in_this_server_only(
    cog: Settings, database: Database, guild: Any
) -> None:
    elsewhere = make_guild()
    await database.guild_settings.update(guild.id, delete_replies_after_min=5)
    for guild_id, message_id in ((guild.id, 1), (guild.id, 2), (elsewhere.id, 3)):
        await database.reply_deletions.schedule(
            guild_id=guild_id, channel_id=9, message_id=message_id, after_s=300
        )

    longer = as_moderator(guild)
    await cog.config_set.callback(cog, longer, delete_replies_after=30)
    assert "Replies already waiting keep the time they were given." in answer_text(longer)
    assert len(await database.reply_deletions.pending(guild.id)) == 2

    off = as_moderator(guild)
    await cog.config_set.callback(cog, off, delete_replies_after=0)
    text = answer_text(off)
    assert "2 reply(ies) waiting to be deleted will stay." in text
    assert "Delete replies never: replies stay" in text
    assert await database.reply_deletions.pending(guild.id) == []
    assert [p.message_id for p in await database.reply_deletions.pending(elsewhere.id)] == [3]
