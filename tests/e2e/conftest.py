"""End-to-end fixtures: the emulator in-process, the real ``bot.py`` as a subprocess against it.

One bot process for the whole package (``gigguard`` fixture) keeps the suite fast: starting
bot.py costs seconds. Tests stay independent by using fresh members and channels (the bot's
cooldowns are per member and per channel). Tests that stop the bot start their own with
``start_gigguard``. Every test module here runs on the package's event loop:
``pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]``.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from devtools.bot_process import BotProcess, start_bot_process
from devtools.emulator import Channel, FakeDiscord, Guild, Member, Role
from devtools.emulator.world import MODERATOR_PERMISSIONS

# Texts with an unambiguous verdict (see the detector's contract).
ENCOURAGES = "just ask your Fiverr buyer for their WhatsApp number and skip the fees"
ASKS = "Is it allowed to email my Fiverr buyer?"
LOOKALIKE = "Never share your email with buyers, you'll get banned"
# Advice the model is not sure enough about to warn in public: it goes to the mod-log for review.
# The first carries a contact detail (an e-mail address).
FOR_REVIEW = "my clients write to sam.design@gmail.com"
FOR_REVIEW_PLAIN = "a buyer asked for my email so I gave it"


async def start_gigguard(emu: FakeDiscord, guild: Guild, workdir: Path) -> BotProcess:
    """bot.py against the emulator, ready; see devtools.bot_process."""
    return await start_bot_process(emu, guild, workdir)


@dataclass
class Harness:
    """What an e2e test drives: the emulator, the demo server, and the bot process."""

    emu: FakeDiscord
    guild: Guild
    general: Channel
    mod_role: Role
    moderator: Member
    bot: BotProcess
    _names: itertools.count[int] = field(default_factory=itertools.count)

    async def member(self) -> Member:
        """A member nobody has seen yet (the bot's reply cooldown is per member)."""
        return await self.emu.add_member(self.guild, f"seller{next(self._names)}")

    async def channel(self) -> Channel:
        """A fresh channel (the bot's answer cooldown is per channel and topic)."""
        return await self.emu.create_channel(self.guild, f"room-{next(self._names)}")

    def warnings(self, **where: int | str) -> list[sqlite3.Row]:
        """Rows of the bot's real ``warnings`` table, e.g. ``warnings(message_id=...)``."""
        return warning_rows(self.bot.database_path, **where)

    def review_items(self, **where: int | str) -> list[sqlite3.Row]:
        """Rows of the bot's real ``review_items`` table."""
        return table_rows(self.bot.database_path, "review_items", **where)


def warning_rows(database_path: Path, **where: int | str) -> list[sqlite3.Row]:
    return table_rows(database_path, "warnings", **where)


@dataclass
class OwnServer:
    """An e2e module's own emulator, server and bot.py (for tests that change server-wide
    settings or the database, which the shared ``gigguard`` harness must not)."""

    emu: FakeDiscord
    guild: Guild
    general: Channel
    moderator: Member
    bot: BotProcess
    workdir: Path
    names: int = 0
    member_prefix: str = "member"

    async def member(self) -> Member:
        self.names += 1
        return await self.emu.add_member(self.guild, f"{self.member_prefix}{self.names}")

    async def channel(self) -> Channel:
        self.names += 1
        return await self.emu.create_channel(self.guild, f"room-{self.names}")

    def rows(self, table: str, **where: int | str) -> list[sqlite3.Row]:
        return table_rows(self.bot.database_path, table, **where)


def table_rows(database_path: Path, table: str, **where: int | str) -> list[sqlite3.Row]:
    clause = " AND ".join(f"{column} = ?" for column in where) or "1"
    with contextlib.closing(sqlite3.connect(database_path, timeout=5)) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(f"SELECT * FROM {table} WHERE {clause}", tuple(where.values())).fetchall()


@pytest_asyncio.fixture(loop_scope="package")
async def modlog(gigguard: Harness) -> AsyncIterator[Channel]:
    """A mod-log channel set with /gigguard modlog; turned off again afterwards for other tests."""
    emu = gigguard.emu
    channel = await gigguard.channel()
    setting = await emu.slash_command(
        "gigguard modlog", channel=gigguard.general, member=gigguard.moderator, options={"channel": channel}
    )
    answer = await answer_to(emu, setting)
    assert answer.ephemeral
    assert "now go to" in answer.text
    yield channel
    await answer_to(
        emu, await emu.slash_command("gigguard modlog", channel=gigguard.general, member=gigguard.moderator)
    )


def demo_emulator() -> tuple[FakeDiscord, Guild, Channel, Role, Member]:
    emu = FakeDiscord()
    guild = emu.world.add_guild("GigGuard E2E")
    general = emu.world.add_channel(guild, "general")
    mod_role = emu.world.add_role(guild, "Moderators", permissions=MODERATOR_PERMISSIONS)
    moderator = emu.world.add_member(guild, "moderator", roles=[mod_role])
    return emu, guild, general, mod_role, moderator


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def gigguard(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    """The emulator plus one bot.py process, shared by every e2e test (each uses fresh members)."""
    emu, guild, general, mod_role, moderator = demo_emulator()
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, tmp_path_factory.mktemp("gigguard"))
        try:
            yield Harness(emu, guild, general, mod_role, moderator, bot)
        finally:
            await bot.stop()
    finally:
        await emu.stop()


def embeds_of(call: Any) -> list[dict[str, Any]]:
    """The embeds of a recorded message POST or interaction callback."""
    body = call.json or {}
    return (body.get("data") or body).get("embeds") or []


def embed_text(embed: dict[str, Any]) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{field['name']} {field['value']}" for field in embed.get("fields", [])]
    parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(part for part in parts if part)


EPHEMERAL = 1 << 6
# Interaction callback types.
CHANNEL_MESSAGE = 4
DEFERRED = 5
UPDATE_MESSAGE = 7
MODAL = 9


@dataclass
class Answer:
    """What the member sees in answer to an interaction, whether sent at once or after a deferral."""

    flags: int
    data: dict[str, Any]

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def text(self) -> str:
        parts = [self.data.get("content") or ""]
        parts += [embed_text(embed) for embed in self.data.get("embeds") or []]
        return "\n".join(parts)


async def answer_to(emu: FakeDiscord, interaction: dict[str, Any]) -> Answer:
    """The bot's visible answer to `interaction`: its message, or the edit/follow-up after a deferral."""
    callback = await emu.wait_for_interaction_response(interaction)
    assert callback.status == 200, callback.response
    body = callback.json
    if body["type"] in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
        return Answer(int(body["data"].get("flags") or 0), body["data"])
    assert body["type"] == DEFERRED, f"unexpected callback type {body['type']}"
    flags = int((body.get("data") or {}).get("flags") or 0)
    token = interaction["token"]
    edit = await emu.wait_for_call(
        None,
        rf"/webhooks/\d+/{token}(/messages/@original)?",
        predicate=lambda call: call.method in ("PATCH", "POST"),
    )
    return Answer(flags if edit.method == "PATCH" else int(edit.json.get("flags") or 0), edit.json)
