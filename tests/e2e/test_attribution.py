"""A server upgrading from schema 2: its old warnings and counters stay, and /gigguard stats shows
topics and rules by name with a precision that counts moderators' review decisions."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from db import Database
from db.database import MIGRATIONS_DIR
from db.stats import week_start
from tests.e2e.conftest import (
    FOR_REVIEW,
    FOR_REVIEW_PLAIN,
    Harness,
    answer_to,
    demo_emulator,
    embeds_of,
    start_gigguard,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


async def schema_2_database(path: Path, guild_id: int, user_id: int) -> None:
    """What GigGuard 0002 left: one active warning and this week's counters, by rule only."""
    old = path.parent / "migrations-0002"
    old.mkdir(parents=True)
    for name in ("0001_initial.sql", "0002_moderation.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old / name)
    database = await Database.open(path, migrations_dir=old)
    await database.close()
    now = int(time.time())
    with sqlite3.connect(path) as connection:
        connection.execute(
            """
            INSERT INTO warnings (guild_id, user_id, channel_id, message_id, rule_id, platform, topic,
                                  snippet, created_at, expires_at)
            VALUES (?, ?, 1, 2, 'contact.email', 'fiverr', 'email', 's***@g****.com', ?, NULL)
            """,
            (guild_id, user_id, now),
        )
        connection.executemany(
            "INSERT INTO weekly_stats (guild_id, week_start, kind, key, count) VALUES (?, ?, ?, ?, ?)",
            [
                (guild_id, week_start(now), "warning", "contact.email", 3),
                (guild_id, week_start(now), "dismissal", "contact.email", 1),
            ],
        )


async def review_and_decide(harness: Harness, modlog: Any, text: str, decision: str) -> None:
    emu = harness.emu
    mark = emu.mark()
    sent = await emu.post_message(harness.general, await harness.member(), text)
    post = await emu.wait_for_call(
        "POST",
        rf"/channels/{modlog.id}/messages",
        since=mark,
        predicate=lambda call: any(e.get("title", "").startswith("For review") for e in embeds_of(call)),
    )
    [item] = harness.review_items(message_id=int(sent["id"]))
    custom_id = f"gigguard:review-{decision}:{item['id']}"
    await answer_to(emu, await emu.click_component(post.response, custom_id, member=harness.moderator))


async def test_an_upgraded_server_keeps_its_history_and_stats_count_review_decisions(tmp_path: Path) -> None:
    emu, guild, general, mod_role, moderator = demo_emulator()
    veteran = emu.world.add_member(guild, "veteran")
    await schema_2_database(tmp_path / "gigguard.db", guild.id, veteran.user.id)
    await emu.start()
    try:
        bot = await start_gigguard(emu, guild, tmp_path)
        try:
            harness = Harness(emu, guild, general, mod_role, moderator, bot)
            listing = await answer_to(
                emu,
                await emu.slash_command(
                    "warnings list", channel=general, member=moderator, options={"member": veteran}
                ),
            )
            # The warning from before the upgrade, with its rule's human name.
            assert "#1 · active · Email address [contact.email]" in listing.text
            assert "Topic: Email addresses (Fiverr) [email]" in listing.text

            modlog = await harness.channel()
            await answer_to(
                emu,
                await emu.slash_command(
                    "gigguard modlog", channel=general, member=moderator, options={"channel": modlog}
                ),
            )
            await review_and_decide(harness, modlog, FOR_REVIEW, "confirm")
            await review_and_decide(harness, modlog, FOR_REVIEW_PLAIN, "dismiss")

            stats = await answer_to(
                emu, await emu.slash_command("gigguard stats", channel=general, member=moderator)
            )
        finally:
            await bot.stop()
    finally:
        await emu.stop()

    assert stats.ephemeral
    [embed] = stats.data["embeds"]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    # 4 warnings (3 old, 1 confirmed), 1 dismissed, 1 review item dismissed: 3 of 5 upheld.
    assert "**4** warnings · **1** dismissed" in embed["description"]
    assert "review items **1** confirmed, **1** dismissed (of 2)" in embed["description"]
    assert "precision **60%**" in embed["description"]
    topics = fields["Per topic"]
    assert (
        "**Email addresses (Fiverr) [email]**: 1 warned · 0 dismissed · "
        "review 1 confirmed / 1 dismissed of 2 · precision 50%"
    ) in topics
    assert "**Topic not recorded**: 3 warned · 1 dismissed · precision 67%" in topics
    rules = fields["Per rule"]
    assert (
        "**Email address [contact.email]**: 4 warned · 1 dismissed · "
        "review 1 confirmed / 0 dismissed of 1 · precision 75%"
    ) in rules
    assert (
        "**Advice to move off the platform (wording) [model.advice]**: 0 warned · 0 dismissed · "
        "review 0 confirmed / 1 dismissed of 1 · precision 0%"
    ) in rules
