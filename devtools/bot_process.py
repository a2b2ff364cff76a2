"""Run the real ``bot.py`` as a subprocess pointed at a FakeDiscord (used by the sandbox and e2e tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from devtools.emulator import FakeDiscord, Guild

REPO = Path(__file__).resolve().parents[1]
BOT_PATH = REPO / "bot.py"
# Shaped like a real token (three dot-separated parts) so the bot's config check accepts it.
FAKE_TOKEN = "RmFrZUdpZ0d1YXJkQm90.emulator.bm90LWEtcmVhbC10b2tlbi1qdXN0LWEtdGVzdA"
READY_LINE = "GigGuard ready as"
STARTUP_TIMEOUT = 60.0  # generous: a loaded CI machine imports discord.py slowly
# Variables of a developer's environment that must not leak into a bot pointed at the emulator.
_BOT_VARIABLES = ("DISCORD_", "GIGGUARD_", "DATABASE_PATH", "DEFAULT_PLATFORMS", "DEV_GUILD_ID", "LOG_LEVEL")


@dataclass
class BotProcess:
    """A running ``python bot.py`` and everything it printed (stdout and stderr together)."""

    process: asyncio.subprocess.Process
    database_path: Path
    output: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def log(self) -> str:
        return "".join(self.output)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.output.append(line.decode(errors="replace"))

    async def wait_for_log(self, text: str, *, within: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + within
        while text not in self.log:
            if self.process.returncode is not None:
                raise RuntimeError(
                    f"bot.py exited with {self.process.returncode} before {text!r}:\n{self.log}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"bot.py did not log {text!r} within {within}s:\n{self.log}")
            await asyncio.sleep(0.02)

    async def stop(self, *, within: float = 15.0) -> int:
        """SIGTERM (TerminateProcess on Windows), then wait; kill only if it hangs. The exit code."""
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), within)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._reader, 5)
        assert self.process.returncode is not None
        return self.process.returncode


def bot_environment(emu: FakeDiscord, database_path: Path, guild: Guild) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(_BOT_VARIABLES)}
    env.update(
        DISCORD_TOKEN=FAKE_TOKEN,
        GIGGUARD_HOME=str(database_path.parent),  # no developer's .env is read
        DATABASE_PATH=str(database_path),
        DEFAULT_PLATFORMS="fiverr",
        LOG_LEVEL="INFO",  # the ready line is logged at INFO
        DEV_GUILD_ID=str(guild.id),  # commands sync to the server at once, as during development
        DISCORD_API_BASE=emu.api_base,
        DISCORD_GATEWAY_URL=emu.gateway_url,
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


async def start_bot_process(emu: FakeDiscord, guild: Guild, workdir: Path) -> BotProcess:
    """Start bot.py against the emulator and wait until it is ready.

    The working directory is `workdir`, so a developer's ``.env`` is not read; the database is
    ``workdir/gigguard.db``. Raises RuntimeError/TimeoutError (with the bot's output) on failure.
    """
    database_path = workdir / "gigguard.db"
    identified_before = emu.identify_count
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(BOT_PATH),
        cwd=workdir,
        env=bot_environment(emu, database_path, guild),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    bot = BotProcess(process, database_path)
    bot._reader = asyncio.create_task(bot._read())
    try:
        await bot.wait_for_log(READY_LINE)
        await emu.wait_until(lambda: emu.identify_count > identified_before, what="IDENTIFY")
    except BaseException:
        await bot.stop()
        raise
    return bot
