"""The moderator toolkit's storage: new settings, review requests, export, stats, departures, privacy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Database, GuildSettings, week_start
from db.stats import SECONDS_PER_WEEK
from db.warnings import SECONDS_PER_DAY

GUILD, MEMBER, OTHER, MODERATOR = 10, 20, 21, 99
NOW = 1_700_000_000


async def add(database: Database, message_id: int, *, user_id: int = MEMBER, guild_id: int = GUILD, **kw):
    values = {
        "guild_id": guild_id,
        "user_id": user_id,
        "channel_id": 30,
        "message_id": message_id,
        "rule_id": "contact.email",
        "platform": "fiverr",
        "topic": "email",
        "snippet": "s***@g****.com",
        "lifetime_days": 90,
        "now": NOW,
    }
    values.update(kw)
    return await database.warnings.add(**values)


def rows_mentioning(path: Path, value: int) -> list[tuple[str, str]]:
    """(table, column) of every cell in every table that holds ``value``."""
    found = []
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert {"warnings", "guild_settings", "weekly_stats", "guild_departures"} <= set(tables)
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                hits = connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,))
                if hits.fetchone()[0]:
                    found.append((table, column))
    return found


async def test_new_settings_round_trip_through_the_file(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.guild_settings.update(
        GUILD,
        delete_contact_messages=True,
        escalation_ping_at=3,
        escalation_timeout_at=4,
        timeout_minutes=60,
        modlog_ping_role_id=55,
        shadow_rules=frozenset({"payments", "contact.email"}),
        shadow_platforms=frozenset({"upwork"}),
        retention_days=30,
    )
    await database.close()
    reopened = await Database.open(db_path)
    try:
        settings = await reopened.guild_settings.get(GUILD)
    finally:
        await reopened.close()
    assert settings.delete_contact_messages is True
    assert (settings.escalation_ping_at, settings.escalation_timeout_at, settings.timeout_minutes) == (
        3,
        4,
        60,
    )
    assert settings.modlog_ping_role_id == 55
    assert settings.shadow_rules == {"payments", "contact.email"}
    assert settings.shadow_platforms == {"upwork"}
    assert settings.retention_days == 30


def test_defaults_are_the_issue_s_ladder() -> None:
    settings = GuildSettings(1)
    assert (settings.escalation_ping_at, settings.escalation_timeout_at) == (2, 3)
    assert settings.timeout_minutes == 0, "timeouts are off by default"
    assert settings.delete_contact_messages is False
    assert settings.warning_lifetime_days == 90


@pytest.mark.parametrize(
    ("field", "value"),
    [("timeout_minutes", 28 * 24 * 60 + 1), ("retention_days", -1), ("escalation_ping_at", -1)],
)
async def test_bad_values_are_refused_and_nothing_changes(database: Database, field: str, value: int) -> None:
    with pytest.raises(ValueError, match=field):
        await database.guild_settings.update(GUILD, **{field: value})
    assert await database.guild_settings.get(GUILD) == GuildSettings(GUILD)


def test_shadow_matches_platform_rule_or_topic() -> None:
    settings = GuildSettings(
        1, shadow_rules=frozenset({"payments", "x.rule"}), shadow_platforms=frozenset({"upwork"})
    )
    assert settings.is_shadowed(rule_id="a.b", topic="email", platform="upwork")
    assert settings.is_shadowed(rule_id="x.rule", topic="email", platform="fiverr")
    assert settings.is_shadowed(rule_id="a.b", topic="payments", platform="fiverr")
    assert not settings.is_shadowed(rule_id="a.b", topic="email", platform="fiverr")


async def test_clear_member_pardons_only_their_active_warnings_and_keeps_them(database: Database) -> None:
    first, second = await add(database, 1), await add(database, 2)
    await database.warnings.set_status(second.id, "dismissed", by=MODERATOR, reason="fp", now=NOW)
    await add(database, 3, user_id=OTHER)
    assert (
        await database.warnings.clear_member(GUILD, MEMBER, by=MODERATOR, reason="fresh start", now=NOW) == 1
    )
    cleared = await database.warnings.get(first.id)
    assert (cleared.status, cleared.status_by, cleared.status_reason) == (
        "pardoned",
        MODERATOR,
        "fresh start",
    )
    assert (await database.warnings.get(second.id)).status == "dismissed"
    assert await database.warnings.count_active(GUILD, OTHER, now=NOW) == 1
    assert await database.warnings.count(GUILD) == 3, "a pardon deletes nothing"


async def test_a_review_is_requested_once_and_only_by_the_warned_member(database: Database) -> None:
    warning = await add(database, 1)
    assert await database.warnings.request_review(warning.id, guild_id=GUILD, user_id=OTHER) is None
    requested = await database.warnings.request_review(warning.id, guild_id=GUILD, user_id=MEMBER, now=5)
    assert requested is not None
    assert requested.review_requested_at == 5
    assert await database.warnings.request_review(warning.id, guild_id=GUILD, user_id=MEMBER) is None


async def test_export_batches_cover_every_row_of_the_server_once(database: Database) -> None:
    for message_id in range(1, 8):
        await add(database, message_id)
    await add(database, 100, guild_id=GUILD + 1)
    batches = [batch async for batch in database.warnings.export_batches(GUILD, batch_size=3)]
    assert [len(batch) for batch in batches] == [3, 3, 1]
    message_ids = [row[3] for batch in batches for row in batch]
    assert message_ids == list(range(1, 8))


def test_week_start_is_monday_midnight_utc() -> None:
    monday = 1_704_067_200  # 2024-01-01 00:00 UTC, a Monday
    assert week_start(monday) == monday
    assert week_start(monday + 6 * SECONDS_PER_DAY + 86_399) == monday
    assert week_start(monday - 1) == monday - SECONDS_PER_WEEK


async def test_stats_count_per_week_kind_and_key(database: Database) -> None:
    stats = database.stats
    await stats.record(GUILD, "warning", "r.a", now=NOW)
    await stats.record(GUILD, "warning", "r.a", now=NOW)
    await stats.record(GUILD, "dismissal", "r.a", now=NOW)
    await stats.record(GUILD, "warning", "r.a", now=NOW - 20 * SECONDS_PER_WEEK)  # too old
    await stats.record(GUILD + 1, "warning", "r.a", now=NOW)  # another server
    rows = await stats.since(GUILD, 12, now=NOW)
    assert {(row.kind, row.key, row.count) for row in rows} == {
        ("warning", "r.a", 2),
        ("dismissal", "r.a", 1),
    }
    with pytest.raises(ValueError, match="unknown stat kind"):
        await stats.record(GUILD, "bogus", "r.a")


async def test_departures_are_due_after_thirty_days_unless_the_bot_returns(database: Database) -> None:
    departures = database.departures
    await departures.mark_left(1, now=NOW)
    await departures.mark_left(1, now=NOW + 10 * SECONDS_PER_DAY)  # a second event keeps the first date
    await departures.mark_left(2, now=NOW)
    assert await departures.left_at(1) == NOW
    assert await departures.due(now=NOW + 29 * SECONDS_PER_DAY) == []
    assert await departures.mark_returned(2)
    assert await departures.due(now=NOW + 30 * SECONDS_PER_DAY) == [1]


async def test_forget_member_leaves_no_row_about_them_in_any_table(database: Database, db_path: Path) -> None:
    await add(database, 1)
    await add(database, 2)
    others = await add(database, 3, user_id=OTHER)
    # MEMBER is also a moderator who pardoned someone else's warning.
    await database.warnings.set_status(others.id, "pardoned", by=MEMBER, reason="context", now=NOW)
    await database.stats.record(GUILD, "warning", "contact.email")
    await database.guild_settings.update(GUILD, modlog_channel_id=5)
    elsewhere = await add(database, 4, guild_id=GUILD + 1)  # another server is not touched

    result = await database.privacy.forget_member(GUILD, MEMBER)

    assert (result.warnings_deleted, result.moderator_references_removed) == (2, 1)
    assert rows_mentioning(db_path, MEMBER) == [("warnings", "user_id")]  # only the other server's row
    kept = await database.warnings.get(others.id)
    assert (kept.status, kept.status_reason, kept.status_by) == ("pardoned", "context", None)
    assert await database.warnings.get(elsewhere.id) is not None
    await database.privacy.forget_member(GUILD + 1, MEMBER)
    assert rows_mentioning(db_path, MEMBER) == []


async def test_forget_guild_deletes_everything_about_the_server(database: Database, db_path: Path) -> None:
    await add(database, 1)
    await database.stats.record(GUILD, "answer", "email")
    await database.guild_settings.update(GUILD, modlog_channel_id=5)
    await database.departures.mark_left(GUILD)
    await add(database, 2, guild_id=GUILD + 1)
    assert await database.privacy.forget_guild(GUILD) == 4
    assert rows_mentioning(db_path, GUILD) == []
    assert await database.guild_settings.get(GUILD) == GuildSettings(GUILD), "no stale cached copy"
    assert await database.warnings.count(GUILD + 1) == 1


async def test_retention_purges_only_warnings_that_stopped_counting_long_ago(database: Database) -> None:
    day = SECONDS_PER_DAY
    await database.guild_settings.update(GUILD, retention_days=30)
    active = await add(database, 1, now=NOW)  # expires NOW + 90d
    old_expired = await add(database, 2, now=NOW - 200 * day)  # expired 110 days ago
    recent_expired = await add(database, 3, now=NOW - 100 * day)  # expired 10 days ago
    old_pardon = await add(database, 4, now=NOW)
    await database.warnings.set_status(
        old_pardon.id, "pardoned", by=MODERATOR, reason="x", now=NOW - 31 * day
    )
    never_expires = await add(database, 5, now=NOW - 5000 * day, lifetime_days=None)
    default_server = await add(database, 6, guild_id=GUILD + 1, now=NOW - 200 * day)  # 180-day default
    assert await database.privacy.purge_expired(now=NOW) == 2
    remaining = {w.id for w in await database.warnings.list_for_member(GUILD, MEMBER)}
    assert remaining == {active.id, recent_expired.id, never_expires.id}
    assert old_expired.id not in remaining
    assert await database.warnings.get(default_server.id) is not None
