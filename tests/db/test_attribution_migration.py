"""Migration 0003 on a database written at schema 2: old rows stay readable, counters keep their totals."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from db import Database, discover_migrations
from db.database import MIGRATIONS_DIR
from db.stats import week_start

NOW = 1_700_000_000
GUILD = 10


async def schema_2_database(path: Path, tmp_path: Path) -> None:
    """A database as GigGuard left it before 0003, with a warning, counters and settings."""
    old = tmp_path / "migrations-0002"
    old.mkdir()
    for name in ("0001_initial.sql", "0002_moderation.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old / name)
    database = await Database.open(path, migrations_dir=old)
    assert database.schema_version == 2
    await database.close()
    week = week_start(NOW)
    with sqlite3.connect(path) as connection:
        connection.execute(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, platform, topic,
                                  snippet, created_at, expires_at, status, status_by, status_at)
            VALUES (?, 20, 30, 40, 'fiverr.payments', 'fiverr', 'payments', 'p***', ?, NULL,
                    'dismissed', 99, ?)
            """,
            (GUILD, NOW, NOW),
        )
        connection.executemany(
            "INSERT INTO weekly_stats (guild_id, week_start, kind, key, count) VALUES (?, ?, ?, ?, ?)",
            [
                (GUILD, week, "warning", "contact.email", 3),
                (GUILD, week, "warning", "fiverr.payments", 2),
                (GUILD, week, "dismissal", "contact.email", 1),
                (GUILD, week, "answer", "email", 4),
            ],
        )
        connection.execute(
            "INSERT INTO guild_settings (guild_id, shadow_rules, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (GUILD, '["payments"]', NOW, NOW),
        )


async def test_a_schema_2_database_migrates_and_keeps_every_row(db_path: Path, tmp_path: Path) -> None:
    await schema_2_database(db_path, tmp_path)

    database = await Database.open(db_path)
    try:
        assert database.schema_version == discover_migrations()[-1].version >= 3
        [warning] = await database.warnings.list_for_member(GUILD, 20)
        # An old warning keeps its one rule and topic; nothing about it was lost.
        assert (warning.rule_id, warning.rules, warning.topic) == (
            "fiverr.payments",
            ("fiverr.payments",),
            "payments",
        )
        assert (warning.status, warning.status_by, warning.training_text) == ("dismissed", 99, None)
        batches = [batch async for batch in database.warnings.export_batches(GUILD)]
        assert batches[0][0][-1] == '["fiverr.payments"]', "the export names the old warning's rule"

        rows = {(r.kind, r.scope, r.key): r.count for r in await database.stats.since(GUILD, now=NOW)}
        assert rows == {
            ("warning", "rule", "contact.email"): 3,
            ("warning", "rule", "fiverr.payments"): 2,
            ("dismissal", "rule", "contact.email"): 1,
            # The old counters had no topic: one "topic not recorded" row per kind keeps the totals.
            ("warning", "topic", ""): 5,
            ("dismissal", "topic", ""): 1,
            ("answer", "topic", "email"): 4,
        }
        settings = await database.guild_settings.get(GUILD)
        assert settings.shadow_rules == {"payments"}
        assert settings.training_data is False, "the labelled export is opt-in"
        # New rows go next to the old ones.
        await database.stats.record_event(
            GUILD, "warning", topic="fiverr.email", rule_ids=["contact.email"], now=NOW
        )
        after = {(r.kind, r.scope, r.key): r.count for r in await database.stats.since(GUILD, now=NOW)}
        assert after[("warning", "rule", "contact.email")] == 4
        assert after[("warning", "topic", "fiverr.email")] == 1
    finally:
        await database.close()
