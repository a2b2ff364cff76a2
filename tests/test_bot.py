"""bot.py: start-up errors, --check, the Bot subclass's set-up and shutdown."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import discord
import pytest
import yarl

import bot as bot_module
from bot import EXTENSIONS, GigGuardBot, bot_intents, configure_logging, point_at_local_discord
from config import Config
from db import Database, discover_migrations
from tests.helpers import ScriptedEngine, make_bot

REPO = Path(__file__).resolve().parents[1]
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


def run_bot_py(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python bot.py`` in a clean environment (no inherited token) whose home is ``cwd``."""
    clean = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO), "GIGGUARD_HOME": str(cwd), **env}
    return subprocess.run(
        [sys.executable, str(REPO / "bot.py"), *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot_py(tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing created before the config is valid


def test_malformed_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot_py(tmp_path, DISCORD_TOKEN="paste-your-token-here")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("gigguard: error: DISCORD_TOKEN is malformed")
    assert result.stderr.count("\n") == 1
    assert "paste-your-token-here" not in result.stderr


def test_check_passes_on_a_fresh_clone_without_a_token(tmp_path: Path) -> None:
    result = run_bot_py(tmp_path, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "token:     missing" in result.stdout
    assert re.search(r"packs: +[1-9]\d* loaded", result.stdout)
    assert f"schema version {discover_migrations()[-1].version}" in result.stdout
    assert result.stdout.rstrip().endswith("check:     ok")
    assert (tmp_path / "data" / "gigguard.db").is_file()


def test_check_from_another_directory_uses_the_homes_env_and_database(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\n")
    result = run_bot_py(elsewhere, "--check", GIGGUARD_HOME=str(home))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "token:     set" in result.stdout
    assert f"database:  {home.resolve() / 'data' / 'gigguard.db'} " in result.stdout
    assert not (elsewhere / "data").exists()


def test_backup_writes_a_consistent_copy_and_refuses_to_overwrite(tmp_path: Path) -> None:
    assert run_bot_py(tmp_path, "--check").returncode == 0  # creates the database
    with contextlib.closing(sqlite3.connect(tmp_path / "data" / "gigguard.db")) as connection:
        connection.execute("INSERT INTO guild_settings (guild_id, created_at, updated_at) VALUES (7, 1, 1)")
        connection.commit()
    copy = tmp_path / "backups" / "gg-copy.db"
    copy.parent.mkdir()
    result = run_bot_py(tmp_path, "--backup", str(copy))
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("SELECT guild_id FROM guild_settings").fetchall() == [(7,)]
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = run_bot_py(tmp_path, "--backup", str(copy))
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_check_reports_a_broken_database_and_fails(tmp_path: Path) -> None:
    broken = tmp_path / "notes.db"
    broken.write_text("not a database")
    result = run_bot_py(tmp_path, "--check", DATABASE_PATH=str(broken), DISCORD_TOKEN=TOKEN)
    assert result.returncode == 1
    assert "token:     set" in result.stdout
    assert "is not a SQLite database" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    assert broken.read_text() == "not a database"


def test_an_unknown_default_platform_stops_start_up_with_a_suggestion(tmp_path: Path) -> None:
    result = run_bot_py(tmp_path, DISCORD_TOKEN=TOKEN, DEFAULT_PLATFORMS="fiverr,upwrok")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown platform 'upwrok' (did you mean 'upwork'?" in result.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was created


def test_check_reports_an_unknown_default_platform_with_exit_2(tmp_path: Path) -> None:
    result = run_bot_py(tmp_path, "--check", DEFAULT_PLATFORMS="fivver")
    assert result.returncode == 2
    assert "platforms: error: DEFAULT_PLATFORMS: unknown platform 'fivver' (did you mean 'fiverr'?" in (
        result.stdout
    )


def closed_port() -> int:
    """A local port nothing listens on: connecting to it fails at once, like an unreachable Discord."""
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_unreachable_discord_is_retried_then_reported_in_one_line_with_exit_3(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")
    config = Config(token=TOKEN, database_path=tmp_path / "gg.db")
    with caplog.at_level(logging.WARNING, logger="gigguard"):
        exit_code = await bot_module.run_bot(config, login_retry_delays=(0, 0))
    assert exit_code == bot_module.EXIT_NETWORK == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("gigguard: error: cannot reach Discord (Cannot connect to host 127.0.0.1")
    assert "check the network" in err
    assert "Traceback" not in err + caplog.text
    assert caplog.text.count("trying again") == 2  # two retries before giving up
    assert TOKEN not in err + caplog.text


def test_voice_notes_are_dropped_and_other_library_warnings_kept(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging(Config(token=None))
    library = logging.getLogger("discord.client")
    with caplog.at_level(logging.WARNING, logger="discord.client"):
        library.warning("PyNaCl is not installed, voice will NOT be supported")
        library.warning("davey is not installed, voice will NOT be supported")
        library.warning("Shard ID None heartbeat blocked for more than 10 seconds.")
    assert "voice" not in caplog.text
    assert "heartbeat blocked" in caplog.text


def test_intents_are_the_minimum() -> None:
    intents = bot_intents()
    assert intents.guilds
    assert intents.guild_messages
    assert intents.message_content
    assert not intents.members
    assert not intents.presences
    assert not intents.dm_messages


def test_local_discord_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )
    config = Config(token=None, api_base="http://127.0.0.1:9999/api/v10", gateway_url="ws://127.0.0.1:9999/")
    point_at_local_discord(config)
    assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9999/api/v10/users/@me"
    assert yarl.URL("ws://127.0.0.1:9999/") == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


@pytest.fixture
async def database(tmp_path: Path):
    database = await Database.open(tmp_path / "bot.db")
    yield database
    await database.close()


async def test_setup_hook_loads_every_cog_and_survives_a_broken_one(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    bot = GigGuardBot(
        Config(token=None),
        engine=ScriptedEngine(),
        database=database,
        extensions=(*EXTENSIONS, "cogs.missing"),
    )  # type: ignore[arg-type]
    with (
        mock.patch.object(bot.tree, "sync", mock.AsyncMock(return_value=[])) as sync,
        caplog.at_level(logging.ERROR),
    ):
        await bot.setup_hook()
    assert set(bot.cogs) == {
        "Watch",
        "Policy",
        "Drafts",
        "Review",
        "Moderation",
        "Settings",
        "Retention",
        "Onboarding",
    }
    assert list(bot.failed_extensions) == ["cogs.missing"]
    assert "Could not load extension cogs.missing" in caplog.text
    sync.assert_awaited_once_with()
    names = {command.name for command in bot.tree.get_commands()}
    assert {"policy", "checkdraft", "Check for off-platform contact"} <= names
    assert {"warnings", "pardon", "mywarnings", "mydata", "gigguard"} <= names


async def test_dev_guild_gets_an_instant_sync(database: Database) -> None:
    bot = make_bot(database, dev_guild_id=42)
    with mock.patch.object(bot.tree, "sync", mock.AsyncMock(return_value=[])) as sync:
        await bot.setup_hook()
    assert sync.await_args.kwargs["guild"].id == 42


async def test_a_failed_sync_is_logged_not_fatal(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_bot(database)
    failure = discord.HTTPException(mock.Mock(status=500, reason="boom"), "boom")
    with (
        mock.patch.object(bot.tree, "sync", mock.AsyncMock(side_effect=failure)),
        caplog.at_level(logging.ERROR),
    ):
        await bot.setup_hook()
    assert "Command sync failed" in caplog.text
    assert "Watch" in bot.cogs


async def test_setup_hook_builds_the_engine_and_opens_the_database(tmp_path: Path) -> None:
    bot = GigGuardBot(Config(token=None, database_path=tmp_path / "d" / "g.db"), extensions=())
    with mock.patch.object(bot.tree, "sync", mock.AsyncMock(return_value=[])):
        await bot.setup_hook()
    try:
        assert bot.engine.platforms
        assert bot.db.schema_version >= 1
    finally:
        await bot.close()
    assert bot.db.closed


async def test_close_closes_the_database(database: Database) -> None:
    bot = make_bot(database)
    await bot.close()
    assert database.closed


async def test_ready_line_is_logged(database: Database, caplog: pytest.LogCaptureFixture) -> None:
    bot = make_bot(database)
    with caplog.at_level(logging.INFO, logger="gigguard"):
        await bot.on_ready()
    assert "GigGuard ready as" in caplog.text
    assert "in 0 guilds" in caplog.text


def test_sandbox_flag_is_wired(monkeypatch: pytest.MonkeyPatch) -> None:
    called = mock.Mock(return_value=0)
    fake = type(sys)("devtools.sandbox")
    fake.main = called  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "devtools.sandbox", fake)
    import devtools

    monkeypatch.setattr(devtools, "sandbox", fake, raising=False)
    assert bot_module.main(["--sandbox"]) == 0
    called.assert_called_once_with()


def test_debug_logging_keeps_discord_payloads_out() -> None:
    root, library = logging.getLogger(), logging.getLogger("discord")
    saved = (list(root.handlers), root.level, library.level)
    try:
        configure_logging(Config(token=None, log_level="DEBUG"))
        assert logging.getLogger("cogs.watch").isEnabledFor(logging.DEBUG)
        # discord.gateway logs every raw event (message text, draft options) at DEBUG.
        assert not logging.getLogger("discord.gateway").isEnabledFor(logging.DEBUG)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])  # setLevel also clears logging's per-logger caches
        library.setLevel(saved[2])
