"""WarningRepository on a real SQLite file."""

from __future__ import annotations

import pytest

from db import Database, WarningRecord
from db.warnings import SECONDS_PER_DAY

GUILD, MEMBER, CHANNEL = 10, 20, 30


async def add(database: Database, message_id: int, *, user_id: int = MEMBER, now: int = 1_000_000, **kw):
    values = {
        "guild_id": GUILD,
        "user_id": user_id,
        "channel_id": CHANNEL,
        "message_id": message_id,
        "rule_id": "contact.email",
        "platform": "fiverr",
        "topic": "email",
        "snippet": "s***@g****.com",
        "lifetime_days": 90,
        "now": now,
    }
    values.update(kw)
    return await database.warnings.add(**values)


async def test_add_stores_every_field_and_an_expiry(database: Database) -> None:
    warning = await add(database, 1)
    assert isinstance(warning, WarningRecord)
    assert (warning.guild_id, warning.user_id, warning.channel_id, warning.message_id) == (
        GUILD,
        MEMBER,
        CHANNEL,
        1,
    )
    assert warning.rule_id == "contact.email"
    assert warning.snippet == "s***@g****.com"
    assert warning.status == "active"
    assert warning.expires_at == 1_000_000 + 90 * SECONDS_PER_DAY
    assert warning.jump_url == f"https://discord.com/channels/{GUILD}/{CHANNEL}/1"


async def test_the_same_message_is_never_warned_twice(database: Database) -> None:
    assert await add(database, 1) is not None
    assert await add(database, 1, rule_id="other") is None
    assert await database.warnings.count(GUILD) == 1
    assert await database.warnings.exists_for_message(GUILD, 1)
    assert not await database.warnings.exists_for_message(GUILD, 2)


async def test_snippet_is_capped(database: Database) -> None:
    warning = await add(database, 1, snippet="x" * 1000)
    assert warning is not None
    assert len(warning.snippet) == 200


async def test_count_active_ignores_pardoned_dismissed_and_expired(database: Database) -> None:
    now = 2_000_000
    await add(database, 1, now=now)
    pardoned = await add(database, 2, now=now)
    dismissed = await add(database, 3, now=now)
    await add(database, 4, now=now - 100 * SECONDS_PER_DAY)  # expired 10 days ago
    await add(database, 5, now=now, lifetime_days=None)  # never expires
    await add(database, 6, user_id=MEMBER + 1, now=now)  # someone else
    await database.warnings.set_status(pardoned.id, "pardoned", by=99, reason="context", now=now)
    await database.warnings.set_status(dismissed.id, "dismissed", by=99, reason="false positive", now=now)
    assert await database.warnings.count_active(GUILD, MEMBER, now=now + 1) == 2


async def test_set_status_keeps_who_and_why(database: Database) -> None:
    warning = await add(database, 1)
    changed = await database.warnings.set_status(warning.id, "pardoned", by=77, reason="joke", now=5)
    assert changed is not None
    assert (changed.status, changed.status_by, changed.status_reason, changed.status_at) == (
        "pardoned",
        77,
        "joke",
        5,
    )
    assert not changed.is_active(now=6)


async def test_set_status_refuses_unknown_status_and_other_guilds(database: Database) -> None:
    warning = await add(database, 1)
    with pytest.raises(ValueError, match="unknown warning status"):
        await database.warnings.set_status(warning.id, "deleted", by=1, reason=None)
    assert (
        await database.warnings.set_status(warning.id, "pardoned", by=1, reason=None, guild_id=GUILD + 1)
        is None
    )
    assert (await database.warnings.get(warning.id)).status == "active"


async def test_list_for_member_newest_first(database: Database) -> None:
    await add(database, 1, now=100)
    await add(database, 2, now=300)
    await add(database, 3, now=200)
    listed = await database.warnings.list_for_member(GUILD, MEMBER)
    assert [w.message_id for w in listed] == [2, 3, 1]
    assert [
        w.message_id for w in await database.warnings.list_for_member(GUILD, MEMBER, limit=1, offset=1)
    ] == [3]


async def test_delete_member_removes_only_that_member(database: Database) -> None:
    await add(database, 1)
    await add(database, 2)
    await add(database, 3, user_id=MEMBER + 1)
    assert await database.warnings.delete_member(GUILD, MEMBER) == 2
    assert await database.warnings.count(GUILD) == 1
