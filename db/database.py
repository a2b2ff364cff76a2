"""The SQLite connection, its migrations, and the repositories built on it.

All SQL in GigGuard lives in ``db/``. Cogs reach the data through ``bot.db`` (a ``Database``):
``bot.db.warnings``, ``bot.db.guild_settings``, ``bot.db.stats``, ``bot.db.departures``,
``bot.db.review_items``, ``bot.db.reply_deletions`` and ``bot.db.privacy`` (deletions that span
tables).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from db.guild_departures import GuildDepartureRepository
from db.guild_settings import GuildSettingsRepository
from db.privacy import PrivacyRepository
from db.reply_deletions import ReplyDeletionRepository
from db.review_items import ReviewItemRepository
from db.stats import StatsRepository
from db.warnings import WarningRepository

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
# A write that finds the database locked by another program is tried again for this long (far
# longer than SQLite's own wait) before the error reaches the caller.
LOCKED_RETRY_LIMIT_S = 600.0
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATION_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


T = TypeVar("T")


class DatabaseError(Exception):
    """The database cannot be used. The message says why and what to do; nothing was dropped."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def discover_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Migrations ``0001_*.sql``, ``0002_*.sql``... in order; the numbering must have no gaps."""
    migrations: list[Migration] = []
    for file in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.fullmatch(file.name)
        if match is None:
            raise DatabaseError(f"{file}: migration files are named NNNN_lower_case_name.sql")
        migrations.append(Migration(int(match.group(1)), file.name, file.read_text(encoding="utf-8")))
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise DatabaseError(f"{directory}: expected migration {expected:04d}, found {migration.name}")
    return migrations


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite touches it (it might be someone's data)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot read the database file {path}: {exc.strerror or exc}") from None
    if header and header != _SQLITE_HEADER:
        raise DatabaseError(
            f"{path} is not a SQLite database (corrupt, or another file): GigGuard left it untouched; "
            "point DATABASE_PATH at another file or restore a backup"
        )


class Database:
    """One aiosqlite connection in autocommit mode; writes are serialised by a lock."""

    def __init__(self, connection: aiosqlite.Connection, path: Path, schema_version: int) -> None:
        self._connection = connection
        self._write_lock = asyncio.Lock()
        self.path = path
        self.schema_version = schema_version
        self._closed = False
        self.warnings = WarningRepository(self)
        self.guild_settings = GuildSettingsRepository(self)
        self.stats = StatsRepository(self)
        self.departures = GuildDepartureRepository(self)
        self.privacy = PrivacyRepository(self)
        self.review_items = ReviewItemRepository(self)
        self.reply_deletions = ReplyDeletionRepository(self)

    @classmethod
    async def open(cls, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR) -> Database:
        """Open (creating if needed) and migrate. Raises DatabaseError with a readable message."""
        path = Path(path)
        migrations = discover_migrations(migrations_dir)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create the folder for {path}: {exc.strerror or exc}") from None
        _check_header(path)
        try:
            connection = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from None
        try:
            connection.row_factory = sqlite3.Row
            await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await connection.execute("PRAGMA foreign_keys = ON")
            await connection.execute("PRAGMA journal_mode = WAL")
            version = await _user_version(connection)
            latest = migrations[-1].version if migrations else 0
            if version > latest:
                raise DatabaseError(
                    f"{path} was written by a newer GigGuard (schema version {version}, this version "
                    f"knows up to {latest}): upgrade GigGuard; the database was left untouched"
                )
            for migration in migrations[version:]:
                await _apply(connection, migration)
                log.info("Database %s migrated to version %d (%s)", path, migration.version, migration.name)
            version = await _user_version(connection)
        except DatabaseError:
            await connection.close()
            raise
        except sqlite3.DatabaseError as exc:
            await connection.close()
            raise DatabaseError(
                f"{path} cannot be used ({exc}): it may be corrupt; GigGuard left it untouched, "
                "point DATABASE_PATH at another file or restore a backup"
            ) from None
        return cls(connection, path, version)

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        """Close the connection (WAL checkpointed by SQLite). Safe to call twice."""
        if not self._closed:
            self._closed = True
            await self._connection.close()

    async def backup(self, target: Path) -> None:
        """A consistent copy of the database at ``target`` (safe while the bot runs: VACUUM INTO
        reads one snapshot, whatever the write-ahead log holds). ``target``'s folder must exist and
        the file must not (SQLite refuses to overwrite it)."""
        try:
            await self._while_locked(lambda: self._connection.execute("VACUUM INTO ?", (str(target),)))
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot write the backup {target}: {exc}") from None

    async def integrity_check(self) -> str:
        """SQLite's own quick check: "ok" or the first problems found."""
        rows = await self._connection.execute_fetchall("PRAGMA quick_check")
        return "; ".join(str(row[0]) for row in rows)

    # The small surface repositories use. Reads run concurrently; writes take the lock so a
    # transaction() in progress never swallows another coroutine's statement.

    async def fetchone(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._connection.execute(sql, parameters) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(await self._connection.execute_fetchall(sql, parameters))

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> int:
        """Run one write statement; the number of rows it changed."""

        async def run() -> int:
            async with self._connection.execute(sql, parameters) as cursor:
                return cursor.rowcount

        async with self._write_lock:
            return await self._while_locked(run)

    async def insert(self, sql: str, parameters: Sequence[Any] = ()) -> int | None:
        """Run one INSERT; the new rowid, or None when nothing was inserted (ON CONFLICT DO NOTHING)."""

        async def run() -> int | None:
            async with self._connection.execute(sql, parameters) as cursor:
                return cursor.lastrowid if cursor.rowcount > 0 else None

        async with self._write_lock:
            return await self._while_locked(run)

    async def _while_locked(self, write: Callable[[], Awaitable[T]]) -> T:
        """Run a write; while another process holds the database, keep trying (bounded).

        SQLite itself waits BUSY_TIMEOUT_MS; a backup or a long query from another program can
        hold the file longer, and a warning must not be lost for that.
        """
        started = time.monotonic()
        delay = 0.25
        while True:
            try:
                return await write()
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if not _is_busy(exc) or waited >= LOCKED_RETRY_LIMIT_S:
                    raise
                log.warning(
                    "Database %s is locked by another program (waited %.0f s); trying the write again",
                    self.path,
                    waited,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Several writes that stand or fall together (rolled back on any exception)."""
        async with self._write_lock:
            # BEGIN IMMEDIATE takes the write lock up front: once it succeeds nothing inside waits.
            await self._while_locked(lambda: self._connection.execute("BEGIN IMMEDIATE"))
            try:
                yield self._connection
            except BaseException:
                await self._connection.execute("ROLLBACK")
                raise
            await self._connection.execute("COMMIT")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


async def _user_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _apply(connection: aiosqlite.Connection, migration: Migration) -> None:
    """One migration and its version bump in one transaction: it applies fully or not at all."""
    script = f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
    try:
        await connection.executescript(script)
    except sqlite3.Error as exc:
        if connection.in_transaction:
            await connection.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            raise
        raise DatabaseError(f"migration {migration.name} failed and was rolled back: {exc}") from None
