"""The real bot on a server of its own: /gigguard setup on a fresh server, the mod-log saved from
its answer, the compact reply style (warnings and answers, Details privately, buttons that survive
a restart), the question cooldown setting, and migration 0004 over a schema-3 database."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from db import Database
from db.database import MIGRATIONS_DIR
from devtools.emulator import Member
from tests.e2e.conftest import (
    ASKS,
    ENCOURAGES,
    Answer,
    OwnServer,
    answer_to,
    demo_emulator,
    embeds_of,
    start_gigguard,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]

OLD_GUILD = 4242  # a server that used GigGuard before migration 0004
OLD_NOW = 1_700_000_000
CHANNEL_SELECT = 8


@dataclass
class Server(OwnServer):
    """Our own emulator, a fresh server, and bot.py on a database that was at schema 3."""

    member_prefix: str = "freelancer"

    async def command(self, name: str, member: Member | None = None, **options: Any) -> dict[str, Any]:
        return await self.emu.slash_command(
            name, channel=self.general, member=member or self.moderator, options=options
        )

    async def answer(self, name: str, member: Member | None = None, **options: Any) -> Answer:
        return await answer_to(self.emu, await self.command(name, member, **options))


async def schema_3_database(path: Path, tmp_path: Path) -> None:
    """A database as GigGuard left it before 0004: another server's settings and a warning."""
    old = tmp_path / "migrations-0003"
    old.mkdir()
    for name in ("0001_initial.sql", "0002_moderation.sql", "0003_attribution_review.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old / name)
    database = await Database.open(path, migrations_dir=old)
    assert database.schema_version == 3
    await database.close()
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            """
            INSERT INTO guild_settings (guild_id, platforms, reply_mode, ask_cooldown_s, shadow_rules,
                                        created_at, updated_at)
            VALUES (?, '["upwork"]', 'dm', 120, '["payments"]', ?, ?)
            """,
            (OLD_GUILD, OLD_NOW, OLD_NOW),
        )
        connection.execute(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, rule_ids, platform,
                                  topic, snippet, created_at, expires_at)
            VALUES (?, 20, 30, 40, 'contact.email', '["contact.email"]', 'upwork', 'email', 's***', ?, NULL)
            """,
            (OLD_GUILD, OLD_NOW),
        )


@pytest_asyncio.fixture(scope="module", loop_scope="package")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    emu, guild, general, _, moderator = demo_emulator()
    workdir = tmp_path_factory.mktemp("setup-and-compact")
    await schema_3_database(workdir / "gigguard.db", workdir)
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, workdir)
        state = Server(emu, guild, general, moderator, bot, workdir)
        try:
            yield state
        finally:
            await state.bot.stop()
    finally:
        await emu.stop()


def components(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for row in message.get("components") or [] for item in row["components"]]


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [item["custom_id"] for item in components(message)]


def fields(answer: Answer) -> dict[str, str]:
    [embed] = answer.data["embeds"]
    return {field["name"]: field["value"] for field in embed["fields"]}


async def setup_message(server: Server) -> tuple[Answer, dict[str, Any]]:
    """/gigguard setup as the moderator: what they see, and the message (to press its components)."""
    interaction = await server.command("gigguard setup")
    answer = await answer_to(server.emu, interaction)
    callback = await server.emu.wait_for_interaction_response(interaction)
    return answer, callback.response["resource"]["message"]


async def test_migration_0004_keeps_a_schema_3_servers_settings_and_warnings(server: Server) -> None:
    with contextlib.closing(sqlite3.connect(server.bot.database_path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] >= 4
    [old] = server.rows("guild_settings", guild_id=OLD_GUILD)
    assert (old["reply_style"], old["reply_mode"], old["ask_cooldown_s"]) == ("full", "dm", 120)
    assert (old["platforms"], old["shadow_rules"]) == ('["upwork"]', '["payments"]')
    [warning] = server.rows("warnings", guild_id=OLD_GUILD)
    assert (warning["user_id"], warning["rule_id"], warning["status"]) == (20, "contact.email", "active")
    assert server.rows("guild_settings", guild_id=server.guild.id) == [], "the new server is fresh"


async def test_setup_on_a_fresh_server_shows_every_step_to_do_with_its_command(server: Server) -> None:
    answer, message = await setup_message(server)

    assert answer.ephemeral
    assert answer.data["embeds"][0]["title"] == "GigGuard setup: 0 of 3 steps done"
    shown = fields(answer)
    assert list(shown) == [
        "1. Choose the mod-log channel: to do",
        "2. Choose the marketplaces: to do",
        "3. Try it in shadow mode first: to do",
    ]
    assert "`/gigguard modlog channel:#mod-log`" in shown["1. Choose the mod-log channel: to do"]
    assert "the default (Fiverr) applies" in shown["2. Choose the marketplaces: to do"]
    assert "`/gigguard config set platforms:fiverr`" in shown["2. Choose the marketplaces: to do"]
    assert (
        "`/gigguard config shadow target:fiverr enabled:true`"
        in shown["3. Try it in shadow mode first: to do"]
    )
    assert custom_ids(message) == [
        "gigguard:setup:modlog",
        "gigguard:setup:platforms",
        "gigguard:setup:shadow:fiverr",
    ]
    assert components(message)[0]["type"] == CHANNEL_SELECT
    assert components(message)[2]["label"] == "Try shadow mode on Fiverr"
    assert answer.data["allowed_mentions"]["parse"] == []

    refused = await server.answer("gigguard setup", await server.member())
    assert refused.ephemeral
    assert "Manage Messages" in refused.text
    assert "steps done" not in refused.text


async def test_the_mod_log_is_saved_from_the_setup_answer_and_setup_then_shows_it_done(
    server: Server,
) -> None:
    emu = server.emu
    modlog = await server.channel()
    _, message = await setup_message(server)
    mark = emu.mark()

    picked = await answer_to(
        emu,
        await emu.click_component(
            message,
            "gigguard:setup:modlog",
            member=server.moderator,
            component_type=CHANNEL_SELECT,
            values=[str(modlog.id)],
        ),
    )

    assert f"now go to <#{modlog.id}>" in picked.text
    assert "GigGuard setup: 1 of 3 steps done" in picked.text
    assert "1. Choose the mod-log channel: done" in picked.text
    [row] = server.rows("guild_settings", guild_id=server.guild.id)
    assert row["modlog_channel_id"] == modlog.id
    notice = await emu.wait_for_call("POST", rf"/channels/{modlog.id}/messages", since=mark)
    assert embeds_of(notice)[0]["title"] == "Mod-log set"
    assert notice.json["allowed_mentions"]["parse"] == []

    again, message = await setup_message(server)
    shown = fields(again)
    assert shown["1. Choose the mod-log channel: done"] == f"<#{modlog.id}>: I can post there."
    assert "2. Choose the marketplaces: to do" in shown
    assert "gigguard:setup:modlog" not in custom_ids(message), "nothing left to pick there"


async def test_a_compact_warning_is_one_line_in_public_with_details_for_whoever_presses(
    server: Server,
) -> None:
    emu = server.emu
    saved = await server.answer("gigguard config set", reply_style="compact")
    assert "compact: one line in public" in saved.text

    member, reader = await server.member(), await server.member()
    sent = await emu.post_message(server.general, member, ENCOURAGES)
    reply = await emu.wait_for_reply_to(sent)

    [warning] = server.rows("warnings", message_id=int(sent["id"]))
    assert (warning["user_id"], warning["status"]) == (member.user.id, "active")
    line = reply.json["content"]
    assert line.startswith("Heads up: that could get a Fiverr account restricted (rule: ")
    assert "Details" in line
    assert len(line) < 250
    assert embeds_of(reply) == []
    assert reply.json["allowed_mentions"]["parse"] == []
    details, dismiss, dispute = custom_ids(reply.response)
    assert details.startswith("gigguard:details:warning:fiverr:")
    assert (dismiss, dispute) == (f"gigguard:dismiss:{warning['id']}", f"gigguard:dispute:{warning['id']}")

    shown = await answer_to(emu, await emu.click_component(reply.response, details, member=reader))
    assert shown.ephemeral
    text = shown.text
    assert "Keep it on Fiverr" in text
    assert "What to do instead" in text
    assert "Active warnings: 1" in text

    disputed = await answer_to(emu, await emu.click_component(reply.response, dispute, member=member))
    assert "moderators will review" in disputed.text


async def test_a_compact_answer_to_a_question(server: Server) -> None:
    emu = server.emu
    channel = await server.channel()
    sent = await emu.post_message(channel, await server.member(), ASKS)
    reply = await emu.wait_for_reply_to(sent)

    assert reply.json["content"].startswith("Fiverr has a rule on this (Email addresses).")
    assert embeds_of(reply) == []
    [details] = custom_ids(reply.response)
    assert details.startswith("gigguard:details:answer:fiverr:email:")
    shown = await answer_to(
        emu, await emu.click_component(reply.response, details, member=await server.member())
    )
    assert shown.ephemeral
    assert "Fiverr rules: Email addresses" in shown.text
    assert "No warning was given" in shown.text
    assert server.rows("warnings", message_id=int(sent["id"])) == []


async def test_the_question_cooldown_setting_is_respected(server: Server) -> None:
    emu = server.emu
    off = await server.answer("gigguard config set", question_cooldown=0)
    assert "Question cooldown none: every question is answered" in off.text
    channel = await server.channel()
    first = await emu.post_message(channel, await server.member(), ASKS)
    await emu.wait_for_reply_to(first)
    second = await emu.post_message(channel, await server.member(), ASKS)
    await emu.wait_for_reply_to(second)  # answered again at once: no cooldown

    hour = await server.answer("gigguard config set", question_cooldown=3600)
    assert "Question cooldown 3600 s per topic per channel" in hour.text
    third = await emu.post_message(channel, await server.member(), ASKS)
    await emu.expect_no_reply_to(third)


async def test_try_shadow_mode_from_the_setup_answer(server: Server) -> None:
    emu = server.emu
    _, message = await setup_message(server)
    pressed = await answer_to(
        emu, await emu.click_component(message, "gigguard:setup:shadow:fiverr", member=server.moderator)
    )
    assert "shadow mode on for Platform: Fiverr [fiverr]" in pressed.text
    assert "3. Try it in shadow mode first: done" in pressed.text
    [row] = server.rows("guild_settings", guild_id=server.guild.id)
    assert row["shadow_platforms"] == '["fiverr"]'
    # Back to acting normally for the tests that follow.
    await server.answer("gigguard config shadow", target="fiverr", enabled=False)


async def test_compact_reply_buttons_work_after_a_restart(server: Server) -> None:
    emu = server.emu
    member = await server.member()
    sent = await emu.post_message(server.general, member, ENCOURAGES)
    reply = await emu.wait_for_reply_to(sent)
    [warning] = server.rows("warnings", message_id=int(sent["id"]))
    details, dismiss, _ = custom_ids(reply.response)

    await server.bot.stop()
    server.bot = await start_gigguard(emu, server.guild, server.workdir)

    shown = await answer_to(emu, await emu.click_component(reply.response, details, member=member))
    assert shown.ephemeral
    assert "Keep it on Fiverr" in shown.text
    dismissed = await answer_to(
        emu, await emu.click_component(reply.response, dismiss, member=server.moderator)
    )
    assert f"Dismissed warning #{warning['id']}" in dismissed.text
    assert server.rows("warnings", id=warning["id"])[0]["status"] == "dismissed"
