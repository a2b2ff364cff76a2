"""Migration 0004 (reply style) on a database written at schema 3: every row and setting is kept."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import Database, discover_migrations
from db.database import MIGRATIONS_DIR

NOW = 1_700_000_000
GUILD = 10


async def schema_3_database(path: Path, tmp_path: Path) -> None:
    """A database as GigGuard left it before 0004: a server's settings and a warning."""
    old = tmp_path / "migrations-0003"
    old.mkdir()
    for name in ("0001_initial.sql", "0002_moderation.sql", "0003_attribution_review.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old / name)
    database = await Database.open(path, migrations_dir=old)
    assert database.schema_version == 3
    await database.close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            """
            INSERT INTO guild_settings (guild_id, platforms, reply_mode, reply_cooldown_s, ask_cooldown_s,
                                        modlog_channel_id, training_data, created_at, updated_at)
            VALUES (?, '["upwork"]', 'reply_dm', 30, 120, 77, 1, ?, ?)
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


async def test_a_schema_3_database_migrates_keeping_settings_and_warnings(
    db_path: Path, tmp_path: Path
) -> None:
    await schema_3_database(db_path, tmp_path)

    database = await Database.open(db_path)
    try:
        assert database.schema_version == discover_migrations()[-1].version >= 4
        settings = await database.guild_settings.get(GUILD)
        assert settings.reply_style == "full", "servers keep the full reply until they choose"
        assert (settings.platforms, settings.reply_mode, settings.reply_cooldown_s) == (
            ("upwork",),
            "reply_dm",
            30,
        )
        assert (settings.ask_cooldown_s, settings.modlog_channel_id, settings.training_data) == (
            120,
            77,
            True,
        )
        [warning] = await database.warnings.list_for_member(GUILD, 20)
        assert (warning.rules, warning.platform, warning.status) == (("contact.email",), "upwork", "active")
        await database.guild_settings.update(GUILD, reply_style="compact", ask_cooldown_s=0)
    finally:
        await database.close()

    reopened = await Database.open(db_path)
    try:
        settings = await reopened.guild_settings.get(GUILD)
        assert (settings.reply_style, settings.ask_cooldown_s, settings.reply_mode) == (
            "compact",
            0,
            "reply_dm",
        )
    finally:
        await reopened.close()


async def test_an_unknown_reply_style_is_refused_and_nothing_is_written(database: Database) -> None:
    with pytest.raises(ValueError, match="reply style must be one of full, compact"):
        await database.guild_settings.update(1, reply_style="tiny")
    assert (await database.fetchone("SELECT COUNT(*) FROM guild_settings"))[0] == 0
