"""The real bot deletes its own public replies when a server sets ``delete_replies_after``, and a
pending deletion survives a restart.

How the delay is made testable without waiting minutes: the bot runs unchanged (its pass every
``REPLY_DELETION_EVERY_S`` = 30 s, minutes of 60 s), and the test sets one minute with the real
command, checks that the reply was recorded as due about 60 s after it was posted, then moves
that row's due time into the past by writing the bot's database file directly, as if the minute
had gone by. What is tested is the bot's own loop finding the due row and deleting the reply on
Discord (the emulator), nothing else: the wait is at most one pass (30 s) rather than a minute.
After a restart the first pass runs as soon as the bot is connected, so the restart test waits
seconds.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from cogs.retention import REPLY_DELETION_EVERY_S
from devtools.emulator import Channel
from tests.e2e.conftest import (
    ASKS,
    ENCOURAGES,
    OwnServer,
    answer_to,
    demo_emulator,
    start_gigguard,
    table_rows,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]

MINUTES = 1


@dataclass
class Server(OwnServer):
    """Our own emulator and bot.py, on a server that auto-deletes replies after one minute."""

    member_prefix: str = "poster"

    async def command(self, name: str, **options: Any) -> str:
        interaction = await self.emu.slash_command(
            name, channel=self.general, member=self.moderator, options=options
        )
        answer = await answer_to(self.emu, interaction)
        assert answer.ephemeral
        return answer.text

    def pending(self, **where: int | str) -> list[sqlite3.Row]:
        return self.rows("reply_deletions", **where)

    def make_due(self, message_id: int) -> None:
        """The minute goes by: the row's due time is moved into the past in the database file."""
        with contextlib.closing(sqlite3.connect(self.bot.database_path, timeout=5)) as connection, connection:
            changed = connection.execute(
                "UPDATE reply_deletions SET due_at = ? WHERE message_id = ?",
                (int(time.time()) - 1, message_id),
            ).rowcount
        assert changed == 1

    def exists(self, message: dict[str, Any]) -> bool:
        return int(message["id"]) in self.emu.world.messages


@pytest_asyncio.fixture(scope="module", loop_scope="package")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    emu, guild, general, _, moderator = demo_emulator()
    workdir = tmp_path_factory.mktemp("auto-delete")
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, workdir)
        state = Server(emu, guild, general, moderator, bot, workdir)
        try:
            text = await state.command("gigguard config set", delete_replies_after=MINUTES)
            assert "Delete replies after 1 min" in text
            yield state
        finally:
            await state.bot.stop()
    finally:
        await emu.stop()


async def reply_to(server: Server, channel: Channel, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A member posts ``text``; the member's message and the bot's public reply, both on Discord."""
    sent = await server.emu.post_message(channel, await server.member(), text)
    reply = (await server.emu.wait_for_reply_to(sent)).response
    return sent, reply


async def test_a_warning_reply_is_deleted_once_due_and_the_mod_log_post_stays(server: Server) -> None:
    emu = server.emu
    modlog, channel = await server.channel(), await server.channel()
    assert "now go to" in await server.command("gigguard modlog", channel=modlog)
    mark = emu.mark()
    posted_at = int(time.time())
    sent, reply = await reply_to(server, channel, ENCOURAGES)
    replied_at = int(time.time())
    logged = await emu.wait_for_call("POST", rf"/channels/{modlog.id}/messages", since=mark)

    [row] = await emu.wait_until(lambda: server.pending(message_id=int(reply["id"])), what="pending row")
    assert (row["guild_id"], row["channel_id"]) == (server.guild.id, channel.id)
    assert posted_at + 60 * MINUTES <= row["due_at"] <= replied_at + 60 * MINUTES
    assert server.pending(message_id=int(logged.response["id"])) == [], "mod-log posts are never deleted"
    assert server.exists(reply), "not deleted before its time"

    server.make_due(int(reply["id"]))
    await emu.wait_for_call(
        "DELETE",
        rf"/channels/{channel.id}/messages/{reply['id']}",
        since=mark,
        within=REPLY_DELETION_EVERY_S + 15,
    )

    assert not server.exists(reply)
    assert server.exists(sent), "only the bot's own reply is deleted"
    assert server.exists(logged.response)
    await emu.wait_until(lambda: not server.pending(message_id=int(reply["id"])), what="row removed")
    assert emu.calls_matching("DELETE", rf"/channels/{modlog.id}/messages/\d+", since=mark) == []
    [warning] = table_rows(server.bot.database_path, "warnings", message_id=int(sent["id"]))
    assert warning["status"] == "active", "the warning itself is kept"


async def test_pending_deletions_survive_a_restart(server: Server) -> None:
    emu = server.emu
    channel = await server.channel()
    _, answer = await reply_to(server, channel, ASKS)  # due while the bot is down
    _, gone = await reply_to(server, await server.channel(), ASKS)  # deleted by hand meanwhile
    _, later = await reply_to(server, await server.channel(), ENCOURAGES)  # not due yet
    for message in (answer, gone, later):
        await emu.wait_until(lambda m=message: server.pending(message_id=int(m["id"])), what="pending row")
    [waiting] = server.pending(message_id=int(later["id"]))

    await server.bot.stop()
    server.make_due(int(answer["id"]))
    server.make_due(int(gone["id"]))
    await emu.delete_message(gone)
    mark = emu.mark()
    server.bot = await start_gigguard(emu, server.guild, server.workdir)

    await emu.wait_for_call("DELETE", rf"/channels/{channel.id}/messages/{answer['id']}", since=mark)
    assert not server.exists(answer)
    refused = await emu.wait_for_call("DELETE", rf"/channels/\d+/messages/{gone['id']}", since=mark)
    assert refused.status == 404
    await emu.wait_until(
        lambda: (
            not server.pending(message_id=int(answer["id"]))
            and not server.pending(message_id=int(gone["id"]))
        ),
        what="both rows removed",
    )
    await server.bot.wait_for_log(f"reply {gone['id']} in channel")
    assert "was already gone" in server.bot.log

    assert server.exists(later), "a reply that is not due yet stays"
    assert [tuple(row) for row in server.pending(message_id=int(later["id"]))] == [tuple(waiting)]
    assert emu.calls_matching("DELETE", rf"/channels/\d+/messages/{later['id']}", since=mark) == []
