"""The review queue's storage: one item per message, one decision, and what privacy and retention do."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import Database, ReviewItem
from db.warnings import SECONDS_PER_DAY

GUILD, MEMBER, MODERATOR = 10, 20, 99
NOW = 1_700_000_000


async def open_item(database: Database, message_id: int = 40, **kw: object) -> ReviewItem:
    values: dict[str, object] = {
        "guild_id": GUILD,
        "channel_id": 30,
        "message_id": message_id,
        "user_id": MEMBER,
        "platform": "fiverr",
        "topic": "email",
        "rule_ids": ("contact.email", "contact.phone"),
        "snippet": "s***@g****.com",
        "confidence": 0.71,
        "reason": "71% encourages; most telling: “write me at s***@g****.com”",
        "now": NOW,
    }
    values.update(kw)
    item = await database.review_items.add(**values)  # type: ignore[arg-type]
    assert item is not None
    return item


async def test_an_item_keeps_what_the_moderator_needs_and_one_message_is_reviewed_once(
    database: Database,
) -> None:
    item = await open_item(database)
    assert (item.platform, item.topic, item.rule_ids, item.confidence) == (
        "fiverr",
        "email",
        ("contact.email", "contact.phone"),
        0.71,
    )
    assert item.decision is None
    assert item.text is None
    assert item.jump_url == "https://discord.com/channels/10/30/40"
    assert await database.review_items.add(  # an edit of the same message
        guild_id=GUILD, channel_id=30, message_id=40, user_id=MEMBER, platform="fiverr", topic="email",
        rule_ids=(), snippet="", confidence=0.5, reason="",
    ) is None  # fmt: skip


async def test_a_decision_is_recorded_once_with_who_and_when(database: Database) -> None:
    item = await open_item(database)
    decided = await database.review_items.decide(
        item.id, "confirmed", by=MODERATOR, guild_id=GUILD, now=NOW + 5
    )
    assert decided is not None
    assert (decided.decision, decided.decided_by, decided.decided_at) == ("confirmed", MODERATOR, NOW + 5)
    assert await database.review_items.decide(item.id, "dismissed", by=1, guild_id=GUILD) is None
    assert (await database.review_items.get(item.id)).decision == "confirmed"  # type: ignore[union-attr]
    # Another server cannot decide it.
    other = await open_item(database, message_id=41)
    assert await database.review_items.decide(other.id, "dismissed", by=1, guild_id=GUILD + 1) is None
    with pytest.raises(ValueError, match="unknown decision"):
        await database.review_items.decide(other.id, "maybe", by=1, guild_id=GUILD)


async def test_forget_member_deletes_their_items_and_anonymises_decisions(database: Database) -> None:
    mine = await open_item(database)
    theirs = await open_item(database, message_id=41, user_id=MEMBER + 1)
    await database.review_items.decide(theirs.id, "dismissed", by=MEMBER, guild_id=GUILD)
    result = await database.privacy.forget_member(GUILD, MEMBER)
    assert result.review_items_deleted == 1
    assert result.moderator_references_removed == 1
    assert await database.review_items.get(mine.id) is None
    kept = await database.review_items.get(theirs.id)
    assert kept is not None
    assert (kept.decided_by, kept.decision) == (None, "dismissed")


async def test_retention_and_forget_guild_remove_items(database: Database) -> None:
    old = await open_item(database, now=NOW)
    fresh = await open_item(database, message_id=41, now=NOW + 179 * SECONDS_PER_DAY)
    await database.privacy.purge_expired(now=NOW + 181 * SECONDS_PER_DAY)
    assert await database.review_items.get(old.id) is None
    assert await database.review_items.get(fresh.id) is not None
    await database.privacy.forget_guild(GUILD)
    assert await database.review_items.count() == 0


async def test_turning_training_data_off_deletes_the_kept_texts(database: Database, db_path: Path) -> None:
    item = await open_item(database, text="write me at s***@g****.com")
    warning = await database.warnings.add(
        guild_id=GUILD, user_id=MEMBER, channel_id=30, message_id=50, rule_id="contact.email",
        platform="fiverr", topic="email", snippet="", lifetime_days=90, training_text="masked",
    )  # fmt: skip
    assert warning is not None
    assert warning.training_text == "masked"
    assert await database.privacy.drop_training_texts(GUILD) == 2
    assert (await database.review_items.get(item.id)).text is None  # type: ignore[union-attr]
    assert (await database.warnings.get(warning.id)).training_text is None  # type: ignore[union-attr]


async def test_decided_items_carry_the_status_of_the_warning_a_confirm_recorded(database: Database) -> None:
    item = await open_item(database, text="t")
    await database.review_items.decide(item.id, "confirmed", by=MODERATOR, guild_id=GUILD)
    warning = await database.warnings.add(
        guild_id=GUILD, user_id=MEMBER, channel_id=30, message_id=40, rule_id="contact.email",
        platform="fiverr", topic="email", snippet="", lifetime_days=90,
    )  # fmt: skip
    assert warning is not None
    await database.review_items.link_warning(item.id, warning.id)
    await database.warnings.set_status(warning.id, "dismissed", by=MODERATOR, reason="fp", now=NOW + 9)
    [(decided, status, status_at)] = await database.review_items.decided(GUILD)
    assert (decided.warning_id, status, status_at) == (warning.id, "dismissed", NOW + 9)


async def test_stats_count_an_event_once_per_topic_and_once_per_rule(database: Database) -> None:
    await database.stats.record_event(
        GUILD,
        "review_confirmed",
        topic="fiverr.email",
        rule_ids=["contact.email", "contact.phone", "contact.email"],
    )
    rows = sorted((r.kind, r.scope, r.key, r.count) for r in await database.stats.since(GUILD))
    assert rows == [
        ("review_confirmed", "rule", "contact.email", 1),
        ("review_confirmed", "rule", "contact.phone", 1),
        ("review_confirmed", "topic", "fiverr.email", 1),
    ]
    with pytest.raises(ValueError, match="unknown stat scope"):
        await database.stats.record(GUILD, "warning", "x", scope="member")
