"""The watcher's moderator side: mod-log posts, escalation with decay, timeouts, shadow mode, deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.watch import Watch
from db import Database
from db.warnings import SECONDS_PER_DAY, now_ts
from rules import Finding, Verdict
from tests.cogs.toolkit import attach_modlog, modlog_posts, warn
from tests.helpers import (
    FakeClock,
    ScriptedEngine,
    community_verdict,
    http_error,
    make_message,
    sent_kwargs,
)

ADVICE = "just ask your buyer for their WhatsApp number and skip the fees"


@pytest.fixture
def cog(bot: GigGuardBot, clock: FakeClock) -> Watch:
    return Watch(bot, clock=clock)


@pytest.fixture
async def modlog(bot: GigGuardBot, database: Database, guild: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    return await attach_modlog(bot, database, guild, monkeypatch)


@pytest.fixture(autouse=True)
def encourages(engine: ScriptedEngine) -> None:
    engine.community_verdict = community_verdict("encourages", "email")


def post(member: Any, channel: Any, guild: Any) -> Any:
    return make_message(ADVICE, author=member, channel=channel, guild=guild)


def custom_ids(view: discord.ui.View) -> list[str]:
    return [item.custom_id for item in view.children]  # type: ignore[attr-defined]


def field(embed: discord.Embed, name: str) -> str:
    return next(f.value for f in embed.fields if f.name == name)


async def test_every_warning_goes_to_the_modlog_with_member_rule_snippet_and_link(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    message = post(member, channel, guild)
    await cog.on_message(message)
    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    [posted] = modlog_posts(modlog)
    embed: discord.Embed = posted["embed"]
    assert embed.title == f"Warning · #{warning.id}"
    assert str(member.id) in field(embed, "Member")
    assert "[test.email]" in field(embed, "Rules"), "a human name, then the id in brackets"
    assert field(embed, "Platform") == "Fiverr"
    assert "Email" in field(embed, "Topic")
    assert field(embed, "Action").startswith("Warned")
    assert field(embed, "Confidence") == "90%"
    assert field(embed, "What was found") == discord.utils.escape_markdown("s***@g****.com")
    assert "most telling" in field(embed, "Why"), "the detector's one-line reason"
    assert f"/channels/{guild.id}/{channel.id}/{message.id}" in field(embed, "Message")
    assert ADVICE not in str(embed.to_dict()), "the whole message is never echoed"
    assert posted["content"] is None, "a first warning pings nobody"
    assert custom_ids(posted["view"]) == [f"gigguard:dismiss:{warning.id}"]


async def test_the_member_is_answered_before_the_modlog_is_posted(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any
) -> None:
    # A busy (rate-limited) mod-log channel must not hold back the member's reply.
    order: list[str] = []
    message = post(member, channel, guild)
    message.reply.side_effect = lambda *args, **kwargs: order.append("reply")
    modlog.send.side_effect = lambda *args, **kwargs: order.append("modlog")
    await cog.on_message(message)
    assert order == ["reply", "modlog"]


async def test_the_warning_reply_carries_both_review_buttons(
    cog: Watch, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    message = post(member, channel, guild)
    await cog.on_message(message)
    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    [reply] = sent_kwargs(message.reply)
    assert custom_ids(reply["view"]) == [f"gigguard:dismiss:{warning.id}", f"gigguard:dispute:{warning.id}"]


async def test_the_second_active_warning_escalates_and_pings_only_the_chosen_role(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database, clock: FakeClock
) -> None:
    await database.guild_settings.update(guild.id, modlog_ping_role_id=4242)
    await cog.on_message(post(member, channel, guild))
    clock.now += 3600
    await cog.on_message(post(member, channel, guild))
    first, second = modlog_posts(modlog)
    assert first["embed"].title.startswith("Warning")
    assert second["embed"].title.startswith("Escalation")
    assert "2nd active warning" in second["embed"].description
    assert second["content"] == "<@&4242>"
    mentions = second["allowed_mentions"].to_dict()
    assert mentions["parse"] == []
    assert mentions["roles"] == [4242]
    assert not mentions.get("users")


async def test_pardoned_and_expired_warnings_do_not_count_toward_escalation(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    await database.guild_settings.update(guild.id, escalation_timeout_at=2, timeout_minutes=10)
    pardoned = await warn(database, guild.id, member.id)
    await database.warnings.set_status(pardoned.id, "pardoned", by=1, reason="context")
    dismissed = await warn(database, guild.id, member.id)
    await database.warnings.set_status(dismissed.id, "dismissed", by=1, reason="false positive")
    await warn(database, guild.id, member.id, now=now_ts() - 91 * SECONDS_PER_DAY)  # expired yesterday

    message = post(member, channel, guild)
    await cog.on_message(message)

    [posted] = modlog_posts(modlog)
    assert posted["embed"].title.startswith("Warning"), "one active warning: no escalation"
    assert field(posted["embed"], "Active warnings") == "1"
    member.timeout.assert_not_awaited()
    assert sent_kwargs(message.reply)[0]["embed"].footer.text.startswith("Active warnings: 1")


async def test_the_third_active_warning_times_out_when_enabled(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    await database.guild_settings.update(guild.id, timeout_minutes=10)
    await warn(database, guild.id, member.id)
    await warn(database, guild.id, member.id)
    await cog.on_message(post(member, channel, guild))
    member.timeout.assert_awaited_once()
    assert member.timeout.await_args.args[0] == dt.timedelta(minutes=10)
    [posted] = modlog_posts(modlog)
    assert "Timed out for 10 minutes" in field(posted["embed"], "Note")


async def test_timeouts_are_off_by_default(
    cog: Watch, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    for _ in range(4):
        await warn(database, guild.id, member.id)
    await cog.on_message(post(member, channel, guild))
    member.timeout.assert_not_awaited()


async def test_timeout_without_permission_is_reported_in_the_modlog_not_a_crash(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    await database.guild_settings.update(guild.id, timeout_minutes=10)
    await warn(database, guild.id, member.id)
    await warn(database, guild.id, member.id)
    member.timeout.side_effect = http_error(discord.Forbidden, 403)
    message = post(member, channel, guild)

    await cog.on_message(message)

    titles = [p["embed"].title for p in modlog_posts(modlog)]
    assert "Timeout failed: missing permission" in titles
    assert any(t.startswith("Escalation") for t in titles)
    message.reply.assert_awaited_once()  # the member still gets the policy
    assert await database.warnings.count_active(guild.id, member.id) == 3


async def test_a_modlog_that_refuses_posts_does_not_stop_the_reply(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    modlog.send.side_effect = http_error(discord.Forbidden, 403)
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_awaited_once()
    assert await database.warnings.count(guild.id) == 1


async def test_shadow_mode_logs_but_neither_warns_nor_replies(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    await database.guild_settings.update(guild.id, shadow_rules=frozenset({"email"}))
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert await database.warnings.count(guild.id) == 0
    [posted] = modlog_posts(modlog)
    assert posted["embed"].title == "Shadow mode: would have warned"
    assert "[test.email]" in field(posted["embed"], "Rules")
    assert "Email" in field(posted["embed"], "Topic")
    stats = await database.stats.since(guild.id)
    assert [(row.kind, row.scope, row.key) for row in stats] == [
        ("shadow", "rule", "test.email"),
        ("shadow", "topic", "fiverr.email"),
    ]


async def test_unsure_advice_goes_to_the_modlog_for_review_only(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    engine.community_verdict = community_verdict("encourages", "email", action="review")
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert await database.warnings.count(guild.id) == 0
    [posted] = modlog_posts(modlog)
    embed = posted["embed"]
    [item] = [await database.review_items.get(1)]
    assert item is not None
    assert (item.user_id, item.decision) == (member.id, None)
    assert embed.title == f"For review · item {item.id}: possible off-platform advice"
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Confidence"] == "90%"
    assert fields["Action"].startswith("For review")
    assert fields["Platform"] == "Fiverr"
    assert [b.custom_id for b in posted["view"].children] == [  # type: ignore[attr-defined]
        f"gigguard:review-confirm:{item.id}",
        f"gigguard:review-dismiss:{item.id}",
    ]
    assert "most telling" in fields["Why"]
    assert "@g" in fields["What was found"]  # the masked finding (markdown escaped)
    assert str(message.id) in fields["Message"]
    stats = await database.stats.since(guild.id)
    assert [(row.kind, row.scope, row.key) for row in stats] == [
        ("review", "rule", "test.email"),
        ("review", "topic", "fiverr.email"),
    ]


async def test_shadow_mode_per_platform(
    cog: Watch, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    await database.guild_settings.update(guild.id, shadow_platforms=frozenset({"upwork"}))
    engine.community_verdict = community_verdict("encourages", "email", platform="upwork")
    await cog.on_message(post(member, channel, guild))
    assert await database.warnings.count(guild.id) == 0
    engine.community_verdict = community_verdict("encourages", "email", platform="fiverr")
    await cog.on_message(post(member, channel, guild))
    assert await database.warnings.count(guild.id) == 1


async def test_contact_details_are_deleted_when_the_server_asks_and_the_policy_is_posted_instead(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database
) -> None:
    await database.guild_settings.update(guild.id, delete_contact_messages=True)
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.delete.assert_awaited_once()
    message.reply.assert_not_awaited()  # nothing left to reply to
    [sent] = sent_kwargs(channel.send)
    assert "was removed" in sent["content"]
    assert sent["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert "deleted" in field(modlog_posts(modlog)[0]["embed"], "Note")


async def test_advice_without_contact_details_is_not_deleted(
    cog: Watch, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    await database.guild_settings.update(guild.id, delete_contact_messages=True)
    engine.community_verdict = Verdict(
        mode="community",
        label="encourages",
        topic="messaging",
        platform="fiverr",
        findings=(Finding(kind="move", span=(0, 4), rule_id="test.move", masked=""),),
        action="warn",
    )
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.delete.assert_not_awaited()
    message.reply.assert_awaited_once()


async def test_deletion_is_off_by_default_and_a_refusal_is_reported(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database, clock: FakeClock
) -> None:
    first = post(member, channel, guild)
    await cog.on_message(first)
    first.delete.assert_not_awaited()
    await database.guild_settings.update(guild.id, delete_contact_messages=True)
    clock.now += 3600  # past the reply cooldown
    second = post(member, channel, guild)
    second.delete.side_effect = http_error(discord.Forbidden, 403)
    await cog.on_message(second)
    second.reply.assert_awaited_once()  # still there, so the reply goes to it
    assert "could not delete" in field(modlog_posts(modlog)[-1]["embed"], "Note")


async def test_warnings_and_answers_are_counted_for_stats(
    cog: Watch, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    await cog.on_message(post(member, channel, guild))
    engine.community_verdict = community_verdict("asks", "payments")
    await cog.on_message(post(member, channel, guild))
    rows = {(row.kind, row.scope, row.key): row.count for row in await database.stats.since(guild.id)}
    assert rows == {
        ("warning", "rule", "test.email"): 1,
        ("warning", "topic", "fiverr.email"): 1,
        ("answer", "topic", "fiverr.payments"): 1,
    }


async def test_an_answered_question_is_logged_with_its_topic_and_no_warning(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    engine.community_verdict = community_verdict("asks", "payments")
    message = post(member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_awaited_once()
    [posted] = modlog_posts(modlog)
    embed = posted["embed"]
    assert embed.title == "Question answered"
    assert field(embed, "Action") == "Answered with the policy (no warning)"
    assert field(embed, "Topic") == "Payments (Fiverr) [payments]"
    assert field(embed, "Confidence") == "90%"
    assert "most telling" in field(embed, "Why")
    assert await database.warnings.count(guild.id) == 0


async def test_a_rule_in_shadow_mode_never_acts_alone(
    cog: Watch, modlog: Any, member: Any, channel: Any, guild: Any, database: Database, engine: ScriptedEngine
) -> None:
    await database.guild_settings.update(guild.id, shadow_rules=frozenset({"contact.link-social"}))
    social = Finding(kind="social", span=(0, 4), rule_id="contact.link-social", masked="linkedin.com/in/s***")
    phone = Finding(kind="phone", span=(5, 9), rule_id="contact.phone", masked="+1 *** 4567")
    verdict = community_verdict("encourages", "links")
    engine.community_verdict = dataclasses.replace(verdict, findings=(social,))
    await cog.on_message(post(member, channel, guild))
    assert await database.warnings.count(guild.id) == 0, "only the shadowed rule fired"
    engine.community_verdict = dataclasses.replace(verdict, findings=(social, phone))
    await cog.on_message(post(member, channel, guild))
    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    assert warning.rules == ("contact.link-social", "contact.phone"), "another rule fired: it acts"
