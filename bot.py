"""GigGuard's entry point.

python bot.py            run the bot (needs DISCORD_TOKEN, see .env.example)
python bot.py --check    validate configuration, rule packs and database, without Discord
python bot.py --sandbox  try GigGuard against a local Discord emulator, no token needed
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

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
)

EXIT_OK = 0
EXIT_STARTUP_FAILED = 1  # packs, database or Discord refused us
EXIT_CONFIG = 2  # configuration is missing or malformed


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

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            database = getattr(self, "db", None)
            if database is not None:
                await database.close()
                log.info("Database closed")

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


def point_at_local_discord(config: Config) -> None:
    """Local testing only: talk to an emulator instead of discord.com (DISCORD_API_BASE/GATEWAY_URL)."""
    if config.api_base:
        discord.http.Route.BASE = config.api_base
        log.warning("Using Discord API at %s (local testing only)", config.api_base)
    if config.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(config.gateway_url)
        log.warning("Using Discord gateway at %s (local testing only)", config.gateway_url)


async def run_bot(config: Config) -> int:
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
            await bot.start(config.token or "")
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
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.sandbox:
        return run_sandbox()
    try:
        config = load_config(require_token=not args.check)
    except ConfigError as exc:
        print(f"gigguard: error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.check:
        return asyncio.run(check(config))
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
