"""Opening, migrating and refusing databases (a real SQLite file in a temp dir)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from db import Database, DatabaseError, discover_migrations
from db import database as database_module


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


# Plain file access, kept out of the async tests (the files are tiny).
def read(path: Path) -> bytes:
    return path.read_bytes()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA user_version").fetchone()[0]


async def test_fresh_database_is_created_with_its_folder_and_migrated(db_path: Path) -> None:
    assert not db_path.parent.exists()
    database = await Database.open(db_path)
    await database.close()
    latest = discover_migrations()[-1].version
    assert database.schema_version == latest
    assert user_version(db_path) == latest
    assert {"warnings", "guild_settings"} <= table_names(db_path)


async def test_reopening_is_idempotent_and_keeps_data(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.warnings.add(
        guild_id=1, user_id=2, channel_id=3, message_id=4, rule_id="r", platform="fiverr",
        topic="email", snippet="", lifetime_days=90,
    )  # fmt: skip
    await database.close()
    again = await Database.open(db_path)
    try:
        assert again.schema_version == discover_migrations()[-1].version
        assert await again.warnings.count() == 1
    finally:
        await again.close()


async def test_pragmas_wal_foreign_keys_and_busy_timeout(database: Database) -> None:
    assert (await database.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await database.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await database.fetchone("PRAGMA busy_timeout"))[0] >= 1000


async def test_newer_schema_version_is_refused_and_left_untouched(db_path: Path) -> None:
    await (await Database.open(db_path)).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA user_version = 99")
    before = read(db_path)
    with pytest.raises(DatabaseError, match=r"newer GigGuard \(schema version 99"):
        await Database.open(db_path)
    assert user_version(db_path) == 99
    assert {"warnings", "guild_settings"} <= table_names(db_path)
    assert read(db_path) == before


async def test_a_file_that_is_not_sqlite_is_refused_with_a_clear_message(db_path: Path) -> None:
    notes = b"these are someone's notes, not a database\n" * 20
    write(db_path, notes)
    with pytest.raises(DatabaseError, match="is not a SQLite database") as raised:
        await Database.open(db_path)
    assert "Traceback" not in str(raised.value)
    assert read(db_path) == notes


async def test_a_corrupt_sqlite_file_is_refused(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.close()
    data = bytearray(read(db_path))
    data[16:4096] = b"\xff" * (4096 - 16)  # keep the magic header, wreck the rest of page 1
    write(db_path, bytes(data))
    with pytest.raises(DatabaseError, match=r"cannot be used \(.*\): it may be corrupt"):
        await Database.open(db_path)


async def test_a_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text("CREATE TABLE first (id INTEGER);")
    (migrations / "0002_broken.sql").write_text("CREATE TABLE second (id INTEGER);\nTHIS IS NOT SQL;")
    path = tmp_path / "test.db"
    with pytest.raises(DatabaseError, match=r"0002_broken\.sql failed and was rolled back"):
        await Database.open(path, migrations_dir=migrations)
    assert user_version(path) == 1
    assert "first" in table_names(path)
    assert "second" not in table_names(path)


def test_migration_numbering_must_have_no_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0003_c.sql").write_text("")
    with pytest.raises(DatabaseError, match="expected migration 0002"):
        discover_migrations(tmp_path)


async def test_close_is_safe_twice(db_path: Path) -> None:
    database = await Database.open(db_path)
    await database.close()
    await database.close()
    assert database.closed


async def test_transaction_rolls_back_on_error(database: Database) -> None:
    async def insert_then_fail() -> None:
        async with database.transaction() as connection:
            await connection.execute(
                "INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, platform,"
                " created_at) VALUES (1, 2, 3, 4, 'r', 'fiverr', 0)"
            )
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    assert await database.warnings.count() == 0


def hold_write_lock(path: Path, seconds: float, started: threading.Event) -> None:
    """Another program (a backup, a sqlite3 shell) holding the database's write lock."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        connection.execute("COMMIT")


async def test_a_warning_written_while_another_program_locks_the_database_is_not_lost(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)  # SQLite's own wait, made short
    database = await Database.open(db_path)
    try:
        started = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(db_path, 1.5, started))
        holder.start()
        started.wait(5)
        warning = await database.warnings.add(
            guild_id=1,
            user_id=2,
            channel_id=3,
            message_id=4,
            rule_id="contact.email",
            platform="fiverr",
            topic="email",
            snippet="",
            lifetime_days=None,
        )
        holder.join()
        assert warning is not None
        assert await database.warnings.count() == 1
        assert "is locked by another program" in caplog.text
    finally:
        await database.close()


async def test_a_lock_held_past_the_limit_is_reported_not_hidden(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(database_module, "LOCKED_RETRY_LIMIT_S", 0.3)
    database = await Database.open(db_path)
    try:
        started = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(db_path, 1.5, started))
        holder.start()
        started.wait(5)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await database.warnings.add(
                guild_id=1,
                user_id=2,
                channel_id=3,
                message_id=4,
                rule_id="contact.email",
                platform="fiverr",
                topic="email",
                snippet="",
                lifetime_days=None,
            )
        holder.join()
    finally:
        await database.close()
