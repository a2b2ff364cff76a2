"""ReplyDeletionRepository and migration 0005 on a real SQLite file: pending deletions of the
bot's replies are kept across a reopen (a restart), handed out when due, and removed with the
server's data; a schema-4 database migrates keeping every row."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from db import Database, GuildSettings, PendingDeletion, discover_migrations
from db.database import MIGRATIONS_DIR

NOW = 1_700_000_000
GUILD = 10
OTHER_GUILD = 11


async def schedule(database: Database, message_id: int, *, after_s: int, guild_id: int = GUILD) -> None:
    await database.reply_deletions.schedule(
        guild_id=guild_id, channel_id=500 + guild_id, message_id=message_id, after_s=after_s, now=NOW
    )


async def test_a_pending_deletion_survives_a_reopen_and_is_handed_out_only_when_due(db_path: Path) -> None:
    database = await Database.open(db_path)
    await schedule(database, 1, after_s=300)
    await schedule(database, 2, after_s=60)
    await database.close()

    reopened = await Database.open(db_path)
    try:
        deletions = reopened.reply_deletions
        assert await deletions.due(now=NOW + 59) == []
        assert await deletions.due(now=NOW + 60) == [PendingDeletion(2, GUILD, 510, NOW + 60)]
        assert [p.message_id for p in await deletions.due(now=NOW + 3600)] == [2, 1], "longest overdue first"
        assert [p.message_id for p in await deletions.due(now=NOW + 3600, limit=1)] == [2]
        assert await deletions.done(2)
        assert not await deletions.done(2)
        assert await deletions.pending(GUILD) == [PendingDeletion(1, GUILD, 510, NOW + 300)]
    finally:
        await reopened.close()


async def test_scheduling_a_reply_again_moves_its_time_instead_of_adding_a_row(database: Database) -> None:
    await schedule(database, 1, after_s=300)
    await schedule(database, 1, after_s=60)
    assert await database.reply_deletions.pending(GUILD) == [PendingDeletion(1, GUILD, 510, NOW + 60)]


async def test_cancel_guild_keeps_other_servers_replies(database: Database) -> None:
    await schedule(database, 1, after_s=60)
    await schedule(database, 2, after_s=60)
    await schedule(database, 3, after_s=60, guild_id=OTHER_GUILD)
    assert await database.reply_deletions.cancel_guild(GUILD) == 2
    assert await database.reply_deletions.pending(GUILD) == []
    assert [p.message_id for p in await database.reply_deletions.pending(OTHER_GUILD)] == [3]


async def test_forgetting_a_server_drops_its_pending_deletions_only(database: Database) -> None:
    await schedule(database, 1, after_s=60)
    await schedule(database, 3, after_s=60, guild_id=OTHER_GUILD)
    await database.privacy.forget_guild(GUILD)
    assert await database.reply_deletions.pending(GUILD) == []
    assert [p.message_id for p in await database.reply_deletions.pending(OTHER_GUILD)] == [3]


async def test_forgetting_a_member_keeps_the_deletion_of_the_bots_reply_to_them(database: Database) -> None:
    """The rows hold the bot's own message ids, nothing about the member: /gigguard forget has
    nothing to remove there, and the reply that named them still goes when due."""
    await schedule(database, 1, after_s=60)
    await database.privacy.forget_member(GUILD, 20)
    assert [p.message_id for p in await database.reply_deletions.pending(GUILD)] == [1]


async def test_delete_replies_after_is_stored_and_bounded(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.guild_settings.update(GUILD, delete_replies_after_min=1440)
    with pytest.raises(ValueError, match="cannot exceed 1440"):
        await database.guild_settings.update(GUILD, delete_replies_after_min=1441)
    with pytest.raises(ValueError, match="negative"):
        await database.guild_settings.update(OTHER_GUILD, delete_replies_after_min=-1)
    await database.close()
    reopened = await Database.open(db_path)
    try:
        assert (await reopened.guild_settings.get(GUILD)).delete_replies_after_min == 1440
        assert (await reopened.guild_settings.get(OTHER_GUILD)).delete_replies_after_min == 0
        assert GuildSettings(1).delete_replies_after_min == 0, "replies are kept unless a server chooses"
    finally:
        await reopened.close()


# ---- migration 0005 over a schema-4 database ---------------------------------------------------


async def schema_4_database(path: Path, tmp_path: Path) -> None:
    """A database as GigGuard left it before 0005: a server's settings, a warning, a review item."""
    old = tmp_path / "migrations-0004"
    old.mkdir()
    for migration in discover_migrations()[:4]:
        shutil.copy(MIGRATIONS_DIR / migration.name, old / migration.name)
    database = await Database.open(path, migrations_dir=old)
    assert database.schema_version == 4
    await database.close()
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            """
            INSERT INTO guild_settings (guild_id, platforms, reply_mode, reply_style, ask_cooldown_s,
                                        modlog_channel_id, created_at, updated_at)
            VALUES (?, '["upwork"]', 'reply_dm', 'compact', 0, 77, ?, ?)
            """,
            (GUILD, NOW, NOW),
        )
        connection.execute(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, rule_ids, platform,
                                  topic, snippet, created_at, expires_at)
            VALUES (?, 20, 30, 40, 'contact.email', '["contact.email"]', 'upwork', 'email', 's***', ?, NULL)
            """,
            (GUILD, NOW),
        )
        connection.execute(
            """
            INSERT INTO review_items (guild_id, channel_id, message_id, user_id, platform, confidence,
                                      created_at)
            VALUES (?, 30, 41, 21, 'upwork', 0.6, ?)
            """,
            (GUILD, NOW),
        )


async def test_a_schema_4_database_migrates_keeping_settings_warnings_and_review_items(
    db_path: Path, tmp_path: Path
) -> None:
    await schema_4_database(db_path, tmp_path)

    database = await Database.open(db_path)
    try:
        assert database.schema_version == discover_migrations()[-1].version >= 5
        settings = await database.guild_settings.get(GUILD)
        assert settings.delete_replies_after_min == 0, "replies are kept until the server chooses"
        assert (settings.platforms, settings.reply_mode, settings.reply_style) == (
            ("upwork",),
            "reply_dm",
            "compact",
        )
        assert (settings.ask_cooldown_s, settings.modlog_channel_id) == (0, 77)
        [warning] = await database.warnings.list_for_member(GUILD, 20)
        assert (warning.message_id, warning.rules, warning.status) == (40, ("contact.email",), "active")
        assert await database.review_items.count(GUILD) == 1
        assert await database.reply_deletions.pending(GUILD) == []
        await database.guild_settings.update(GUILD, delete_replies_after_min=15)
        await schedule(database, 99, after_s=900)
    finally:
        await database.close()

    reopened = await Database.open(db_path)
    try:
        settings = await reopened.guild_settings.get(GUILD)
        assert (settings.delete_replies_after_min, settings.reply_style) == (15, "compact")
        assert await reopened.reply_deletions.pending(GUILD) == [PendingDeletion(99, GUILD, 510, NOW + 900)]
    finally:
        await reopened.close()
