"""GigGuard's entry point.

python bot.py            run the bot (needs DISCORD_TOKEN, see .env.example)
python bot.py --check    validate configuration, rule packs and database, without Discord
python bot.py --sandbox  try GigGuard against a local Discord emulator, no token needed
python bot.py --backup PATH  a consistent copy of the database (safe while the bot runs)

Installed with ``pip install .``, the same commands are ``gigguard``, ``gigguard --check``...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from cogs._errors import report_app_command_error
from config import Config, ConfigError, check_token, load_config
from db import Database, DatabaseError, GuildSettings

if TYPE_CHECKING:
    from rules import Engine

# ``rules`` is imported where it is used: compiling the detector takes a moment, and a
# configuration error should be reported at once.

log = logging.getLogger("gigguard")

EXTENSIONS: tuple[str, ...] = (
    "cogs.watch",
    "cogs.policy",
    "cogs.drafts",
    "cogs.review",
    "cogs.moderation",
    "cogs.settings",
    "cogs.retention",
    "cogs.onboarding",
)

EXIT_OK = 0
EXIT_STARTUP_FAILED = 1  # packs, database or Discord refused us
EXIT_CONFIG = 2  # configuration is missing or malformed
EXIT_NETWORK = 3  # Discord could not be reached (network, DNS, proxy, or Discord down)

# Logging in is retried with these pauses (seconds) when Discord cannot be reached: a network
# that comes up a little after the bot (a container starting) should not need a restart.
LOGIN_RETRY_DELAYS: tuple[float, ...] = (2, 5, 10, 20)
# On SIGTERM, handlers already running get this long to finish (reply, record) before the
# gateway and the database close.
SHUTDOWN_GRACE_S = 10.0
# Events dropped once shutdown has begun: work that would start and then be cut off.
EVENTS_REFUSED_WHILE_STOPPING = frozenset({"message", "message_edit", "raw_message_edit", "interaction"})
# discord.py runs each event handler in a task named "discord.py: on_<event>", and each app
# command in one named "CommandTree-invoker": the work in flight at shutdown.
HANDLER_TASK_PREFIXES = ("discord.py: on_", "CommandTree-invoker")


class GigGuardTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        # Fallback for everything the cogs' own handlers did not answer (context menus, checks...).
        await report_app_command_error(interaction, error)


def bot_intents() -> discord.Intents:
    """Only what the features need: server structure, server messages and their text."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True  # privileged: enable it in the developer portal (README)
    return intents


class GigGuardBot(commands.Bot):
    """The bot. Cogs reach the detector as ``bot.engine`` and the data as ``bot.db``."""

    engine: Engine
    db: Database

    def __init__(
        self,
        config: Config,
        *,
        engine: Engine | None = None,
        database: Database | None = None,
        extensions: Sequence[str] = EXTENSIONS,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            tree_cls=GigGuardTree,
            help_command=None,
            # Safety net: individual sends pass AllowedMentions.none() as well.
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.config = config
        self.initial_extensions = tuple(extensions)
        self.failed_extensions: dict[str, BaseException] = {}
        if engine is not None:
            self.engine = engine
        if database is not None:
            self.db = database

    async def setup_hook(self) -> None:
        if not hasattr(self, "engine"):
            from rules import Engine

            self.engine = Engine.load(default_platform=self.config.default_platforms[0])
        if not hasattr(self, "db"):
            self.db = await Database.open(self.config.database_path)
            log.info("Database: %s", self.config.database_path)
        for extension in self.initial_extensions:
            try:
                await self.load_extension(extension)
            except Exception as exc:  # one broken cog must not take the others down
                self.failed_extensions[extension] = exc
                log.exception("Could not load extension %s", extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        try:
            if self.config.dev_guild_id is not None:
                guild = discord.Object(id=self.config.dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("Synced %d commands to development server %s", len(synced), guild.id)
            else:
                synced = await self.tree.sync()
                log.info("Synced %d global commands (they can take up to an hour to appear)", len(synced))
        except discord.HTTPException:
            log.exception("Command sync failed; the message watcher still works, commands may be stale")

    async def on_ready(self) -> None:
        log.info("GigGuard ready as %s in %d guilds", self.user, len(self.guilds))

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        if self.stopping and event_name in EVENTS_REFUSED_WHILE_STOPPING:
            return  # shutting down: Discord re-delivers nothing, so start nothing half-way
        super().dispatch(event_name, *args, **kwargs)

    @property
    def stopping(self) -> bool:
        return getattr(self, "_stopping", False)

    def handlers_in_flight(self) -> list[asyncio.Task[Any]]:
        current = asyncio.current_task()
        return [
            task
            for task in asyncio.all_tasks()
            if task is not current and not task.done() and task.get_name().startswith(HANDLER_TASK_PREFIXES)
        ]

    async def close(self) -> None:
        """Stop taking events, let running handlers finish (bounded), then close Discord and the database."""
        self._stopping = True
        try:
            running = self.handlers_in_flight()
            if running:
                log.info("Letting %d running handler(s) finish before closing", len(running))
                _, unfinished = await asyncio.wait(running, timeout=SHUTDOWN_GRACE_S)
                if unfinished:
                    log.warning(
                        "%d handler(s) still running after %.0f s; closing anyway",
                        len(unfinished),
                        SHUTDOWN_GRACE_S,
                    )
            await super().close()
        finally:
            database = getattr(self, "db", None)
            if database is not None:
                await database.close()
                log.info("Database closed")

    async def login_with_retry(self, token: str, delays: Sequence[float] = LOGIN_RETRY_DELAYS) -> None:
        """Log in; when Discord cannot be reached, wait and try again (raises the last error)."""
        for attempt, delay in enumerate([*delays, None], start=1):
            try:
                await self.login(token)
                return
            except (OSError, TimeoutError, discord.DiscordServerError) as exc:
                if delay is None or self.is_closed() or self.stopping:
                    raise
                log.warning(
                    "Cannot reach Discord (%s); trying again in %.0f s (attempt %d of %d)",
                    network_problem(exc),
                    delay,
                    attempt,
                    len(delays) + 1,
                )
                await asyncio.sleep(delay)

    def platforms_for(self, settings: GuildSettings) -> tuple[str, ...]:
        """The server's enabled platforms that have a loaded pack (the configured default otherwise)."""
        known = set(self.engine.platforms)
        enabled = tuple(p for p in settings.platforms if p in known)
        if enabled:
            return enabled
        defaults = tuple(p for p in self.config.default_platforms if p in known)
        return defaults or (self.engine.default_platform,)


def configure_logging(config: Config) -> None:
    level = logging.getLevelName(config.log_level)
    # discord.py colours its output inside containers even when it is piped to a file; plain
    # lines there keep logs greppable.
    if sys.stderr.isatty():
        discord.utils.setup_logging(level=level, root=True)
    else:
        plain = logging.Formatter(
            "[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{"
        )
        discord.utils.setup_logging(level=level, root=True, formatter=plain)
    # discord.py's DEBUG output holds raw gateway payloads and request bodies: message text and
    # /checkdraft drafts. Those must never reach a log, so the library stays at INFO or above.
    logging.getLogger("discord").setLevel(max(level, logging.INFO))
    # GigGuard never joins voice: the library's "voice will NOT be supported" notes are noise.
    logging.getLogger("discord.client").addFilter(_drop_voice_notes)


def _drop_voice_notes(record: logging.LogRecord) -> bool:
    return "voice will NOT be supported" not in record.getMessage()


def point_at_local_discord(config: Config) -> None:
    """Local testing only: talk to an emulator instead of discord.com (DISCORD_API_BASE/GATEWAY_URL)."""
    if config.api_base:
        discord.http.Route.BASE = config.api_base
        log.warning("Using Discord API at %s (local testing only)", config.api_base)
    if config.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)
        log.warning("Using Discord gateway at %s (local testing only)", config.gateway_url)


def network_problem(exc: BaseException) -> str:
    """One line saying what failed, without the traceback."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, discord.HTTPException):
        return f"Discord answered HTTP {exc.status}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


async def run_bot(config: Config, login_retry_delays: Sequence[float] = LOGIN_RETRY_DELAYS) -> int:
    from rules import ModelError, PackError

    bot = GigGuardBot(config)
    loop = asyncio.get_running_loop()
    stop_task: asyncio.Task[None] | None = None

    def request_stop(name: str) -> None:
        nonlocal stop_task
        if stop_task is None:
            log.info("%s received, shutting down", name)
            stop_task = loop.create_task(bot.close())

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, AttributeError):  # Windows has no signal handlers
            loop.add_signal_handler(sig, request_stop, sig.name)
    try:
        async with bot:
            await bot.login_with_retry(config.token or "", login_retry_delays)
            await bot.connect()
    except (OSError, TimeoutError, discord.DiscordServerError, discord.GatewayNotFound) as exc:
        if stop_task is not None:  # the network failed while we were stopping anyway
            log.info("GigGuard stopped")
            return EXIT_OK
        print(
            f"gigguard: error: cannot reach Discord ({network_problem(exc)}); check the network, DNS, "
            "proxy or firewall, and https://discordstatus.com",
            file=sys.stderr,
        )
        return EXIT_NETWORK
    except discord.LoginFailure:
        print(
            "gigguard: error: Discord rejected DISCORD_TOKEN (reset it in the developer portal)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        print(
            "gigguard: error: the Message Content intent is not enabled for this application "
            "(developer portal > Bot > Privileged Gateway Intents)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except (PackError, ModelError, DatabaseError) as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_STARTUP_FAILED
    finally:
        if stop_task is not None:  # let close() finish (database closed) before the loop ends
            await stop_task
    log.info("GigGuard stopped")
    return EXIT_OK


async def check(config: Config) -> int:
    """``--check``: report on configuration, packs and database; 0 when packs and database are usable."""
    from rules import Engine, ModelError, PackError

    problems = 0
    try:
        check_token(config.token)
        print("token:     set (not verified with Discord)")
    except ConfigError as exc:
        if config.token is None:
            print("token:     missing (needed to run the bot, not for this check)")
        else:
            print(f"token:     {exc}")
            problems += 1
    config_problems = 0
    try:
        engine = Engine.load()
    except (PackError, ModelError) as exc:
        print(f"packs:     error: {exc}")
        problems += 1
    else:
        corpus = str(engine.model.meta.get("corpus_sha256", "?"))[:12]
        print(f"model:     intent {engine.model.version} (corpus {corpus})")
        names = ", ".join(f"{pack.id} ({len(pack.topics)} topics)" for pack in engine.packs.values())
        print(f"packs:     {len(engine.packs)} loaded: {names}")
        unknown = unknown_platforms(config, engine.packs)
        if unknown:
            print(f"platforms: error: {unknown}")
            config_problems += 1
        else:
            print(f"platforms: default {', '.join(config.default_platforms)}")
    try:
        database = await Database.open(config.database_path)
    except DatabaseError as exc:
        print(f"database:  error: {exc}")
        problems += 1
    else:
        try:
            integrity = await database.integrity_check()
            warnings = await database.warnings.count()
        finally:
            await database.close()
        print(
            f"database:  {config.database_path} (schema version {database.schema_version}, "
            f"{warnings} warnings, integrity {integrity})"
        )
        if integrity != "ok":
            problems += 1
    if config.dev_guild_id:
        print(f"commands:  synced to development server {config.dev_guild_id}")
    if config.api_base or config.gateway_url:
        print(f"discord:   local testing endpoints {config.api_base or '-'} / {config.gateway_url or '-'}")
    total = problems + config_problems
    print("check:     ok" if not total else f"check:     {total} problem(s)")
    if config_problems:
        return EXIT_CONFIG
    return EXIT_OK if not problems else EXIT_STARTUP_FAILED


def unknown_platforms(config: Config, packs: Iterable[str]) -> str | None:
    """One line naming the DEFAULT_PLATFORMS no pack has, with a "did you mean", else None."""
    from rules.policy import unknown_platform_message

    known = list(packs)
    bad = [p for p in config.default_platforms if p not in known]
    if not bad:
        return None
    return "DEFAULT_PLATFORMS: " + "; ".join(unknown_platform_message(p, known) for p in bad)


async def backup(config: Config, target: Path) -> int:
    """``--backup PATH``: a consistent copy of the database, safe while the bot is running."""
    try:
        database = await Database.open(config.database_path)
    except DatabaseError as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_STARTUP_FAILED
    try:
        await database.backup(target)
    except DatabaseError as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_STARTUP_FAILED
    finally:
        await database.close()
    print(f"backup:    {config.database_path} -> {target}")
    return EXIT_OK


def run_sandbox() -> int:
    try:
        from devtools import sandbox  # optional: the local emulator and demo server
    except ImportError as exc:
        print(f"gigguard: error: the sandbox is not available in this checkout ({exc})", file=sys.stderr)
        return EXIT_STARTUP_FAILED
    return int(sandbox.main() or 0)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gigguard", description="GigGuard: keeps marketplace deals on-platform."
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="validate configuration, packs and database, then exit"
    )
    mode.add_argument("--sandbox", action="store_true", help="try the bot against a local Discord emulator")
    mode.add_argument(
        "--backup",
        metavar="PATH",
        type=Path,
        help="write a consistent copy of the database to PATH (safe while the bot runs), then exit",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.sandbox:
        return run_sandbox()
    try:
        config = load_config(require_token=not (args.check or args.backup))
    except ConfigError as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.check:
        return asyncio.run(check(config))
    if args.backup is not None:
        target = args.backup.expanduser().resolve()
        if target.exists() or not target.parent.is_dir():
            print(
                f"gigguard: error: {target} already exists or its folder does not: choose a new file "
                "in an existing folder",
                file=sys.stderr,
            )
            return EXIT_CONFIG
        return asyncio.run(backup(config, target))
    from rules import PackError, load_packs

    try:
        unknown = unknown_platforms(config, load_packs())
    except PackError as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_STARTUP_FAILED
    if unknown:
        print(f"gigguard: error: {unknown}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(config)
    point_at_local_discord(config)
    try:
        return asyncio.run(run_bot(config))
    except KeyboardInterrupt:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
