"""The real bot when Discord misbehaves: rate limits, errors on replies, gateway drops, SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import ENCOURAGES, Harness, demo_emulator, start_gigguard

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]

CREATE_MESSAGE = r"/channels/\d+/messages"


async def test_a_rate_limited_reply_is_retried_and_sent_once(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    emu.fail_next("POST", CREATE_MESSAGE, 429, retry_after=0.2, when=emu.replying_to(member))
    sent = await emu.post_message(gigguard.general, member, ENCOURAGES)

    await emu.wait_for_reply_to(sent)
    await asyncio.sleep(0.5)  # a duplicate would show up now

    attempts = emu.replies_to(sent, successful=False)
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].timestamp - attempts[0].timestamp >= 0.2, "the bot waited retry_after"
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1


async def test_a_server_error_on_the_reply_is_retried_and_the_warning_kept(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    emu.fail_next("POST", CREATE_MESSAGE, 500, when=emu.replying_to(member))
    sent = await emu.post_message(gigguard.general, member, ENCOURAGES)

    await emu.wait_for_reply_to(sent)

    assert [call.status for call in emu.replies_to(sent, successful=False)] == [500, 200]
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1


async def test_a_forbidden_reply_keeps_the_warning_and_the_bot_keeps_answering(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    emu.fail_next("POST", CREATE_MESSAGE, 403, when=emu.replying_to(member))
    refused = await emu.post_message(gigguard.general, member, ENCOURAGES)
    await emu.wait_until(lambda: emu.replies_to(refused, successful=False), what="the refused reply")

    following = await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES)
    await emu.wait_for_reply_to(following)

    assert [call.status for call in emu.replies_to(refused, successful=False)] == [403]
    assert len(gigguard.warnings(message_id=int(refused["id"]))) == 1
    assert len(gigguard.warnings(message_id=int(following["id"]))) == 1


async def test_gateway_close_4000_resumes_and_every_message_is_answered_once(gigguard: Harness) -> None:
    emu = gigguard.emu
    resumes = emu.resume_count
    identifies = emu.identify_count
    first = await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES)
    await emu.close_gateway(4000)
    # Posted while the bot is disconnected: Discord keeps them and replays them on RESUME.
    missed = [await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES) for _ in range(2)]
    await emu.wait_until(lambda: emu.resume_count == resumes + 1, what="RESUME")
    after = await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES)

    messages = [first, *missed, after]
    for message in messages:
        await emu.wait_for_reply_to(message)
    await asyncio.sleep(0.5)  # a duplicate would show up now

    assert [len(emu.replies_to(message)) for message in messages] == [1, 1, 1, 1]
    assert [len(gigguard.warnings(message_id=int(m["id"]))) for m in messages] == [1, 1, 1, 1]
    assert emu.identify_count == identifies, "a resume, not a new session"


async def test_op7_reconnect_resumes_and_keeps_answering(gigguard: Harness) -> None:
    emu = gigguard.emu
    resumes = emu.resume_count
    await emu.send_reconnect()
    await emu.wait_until(lambda: emu.resume_count == resumes + 1, what="RESUME after op 7")
    sent = await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES)
    await emu.wait_for_reply_to(sent)


async def test_sigterm_shuts_down_cleanly_with_the_database_intact(tmp_path: Path) -> None:
    emu, guild, general, _, _ = demo_emulator()
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, tmp_path)
        try:
            member = emu.world.add_member(guild, "seller")
            sent = await emu.post_message(general, member, ENCOURAGES)
            await emu.wait_for_reply_to(sent)
            bot.process.send_signal(signal.SIGTERM)
            exit_code = await bot.stop()
        finally:
            await bot.stop()
    finally:
        await emu.stop()

    assert exit_code == 0, bot.log
    assert "Traceback" not in bot.log
    with contextlib.closing(sqlite3.connect(bot.database_path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = connection.execute("SELECT message_id FROM warnings").fetchall()
    assert rows == [(int(sent["id"]),)]
    assert wal_is_empty(bot.database_path), "the database was closed, its write-ahead log checkpointed"


async def test_sigterm_lets_a_reply_in_flight_finish_before_closing(tmp_path: Path) -> None:
    """The reply is held up by a rate limit when SIGTERM arrives: it is still sent, the warning kept."""
    emu, guild, general, _, _ = demo_emulator()
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, tmp_path)
        try:
            member = emu.world.add_member(guild, "seller")
            emu.fail_next("POST", CREATE_MESSAGE, 429, retry_after=1.5, when=emu.replying_to(member))
            sent = await emu.post_message(general, member, ENCOURAGES)
            await emu.wait_until(
                lambda: emu.replies_to(sent, successful=False), what="the rate-limited reply"
            )
            bot.process.send_signal(signal.SIGTERM)  # the handler is waiting out the rate limit
            exit_code = await bot.stop()
        finally:
            await bot.stop()
    finally:
        await emu.stop()

    assert exit_code == 0, bot.log
    assert [call.status for call in emu.replies_to(sent, successful=False)] == [429, 200]
    assert "Letting 1 running handler(s) finish" in bot.log
    assert "Traceback" not in bot.log
    with contextlib.closing(sqlite3.connect(bot.database_path)) as connection:
        rows = connection.execute("SELECT message_id FROM warnings").fetchall()
    assert rows == [(int(sent["id"]),)]


async def test_a_503_on_the_reply_is_retried_like_a_500(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    emu.fail_next("POST", CREATE_MESSAGE, 503, when=emu.replying_to(member))
    sent = await emu.post_message(gigguard.general, member, ENCOURAGES)

    await emu.wait_for_reply_to(sent)

    assert [call.status for call in emu.replies_to(sent, successful=False)] == [503, 200]
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1


async def test_a_database_locked_by_another_program_delays_the_warning_but_keeps_it(
    gigguard: Harness,
) -> None:
    """A backup holds the write lock longer than SQLite's own 5 s wait; the warning still lands."""
    emu = gigguard.emu
    member = await gigguard.member()
    locker = sqlite3.connect(gigguard.bot.database_path, isolation_level=None, check_same_thread=False)
    try:
        locker.execute("BEGIN IMMEDIATE")
        sent = await emu.post_message(gigguard.general, member, ENCOURAGES)
        await asyncio.sleep(6.5)
        assert not gigguard.warnings(message_id=int(sent["id"]))  # still waiting for the lock
        locker.execute("COMMIT")
    finally:
        locker.close()
    await emu.wait_for_reply_to(sent, within=20)
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1
    assert "is locked by another program" in gigguard.bot.log


def wal_is_empty(database_path: Path) -> bool:
    wal = Path(f"{database_path}-wal")
    return not wal.exists() or wal.stat().st_size == 0
