"""The message watcher: guard clauses, warnings, answers, cooldowns, edits, failures."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs import _errors as errors_module
from cogs.watch import DetailsButton, Watch
from db import Database, now_ts
from tests.cogs.toolkit import attach_modlog, modlog_posts
from tests.helpers import (
    FakeClock,
    ScriptedEngine,
    community_verdict,
    http_error,
    make_channel,
    make_edit_event,
    make_interaction,
    make_member,
    make_message,
    make_role,
    make_user,
    sent_kwargs,
)

ADVICE = "just ask your buyer for their WhatsApp number and skip the fees"
QUESTION = "Is it allowed to email my Fiverr buyer?"


@pytest.fixture
def cog(bot: GigGuardBot, clock: FakeClock) -> Watch:
    return Watch(bot, clock=clock)


def post(text: str, member: Any, channel: Any, guild: Any, **kwargs: Any) -> Any:
    return make_message(text, author=member, channel=channel, guild=guild, **kwargs)


def encourages(engine: ScriptedEngine, topic: str = "email") -> None:
    engine.community_verdict = community_verdict("encourages", topic)


def asks(engine: ScriptedEngine, topic: str = "email") -> None:
    engine.community_verdict = community_verdict("asks", topic)


async def test_advice_is_recorded_before_the_reply(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    message = post(ADVICE, member, channel, guild)
    rows_when_replying: list[int] = []

    async def reply(**kwargs: Any) -> None:
        rows_when_replying.append(await database.warnings.count(guild.id))

    message.reply.side_effect = reply
    await cog.on_message(message)
    assert rows_when_replying == [1]
    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    assert (warning.message_id, warning.channel_id, warning.rule_id) == (message.id, channel.id, "test.email")
    assert warning.snippet == "s***@g****.com"
    assert ADVICE not in warning.snippet


async def test_warning_reply_carries_the_policy_and_pings_nobody(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine, "payments")
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)
    [kwargs] = sent_kwargs(message.reply)
    assert kwargs["mention_author"] is False
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    embed: discord.Embed = kwargs["embed"]
    assert "Fiverr payments summary." in embed.description
    fields = {field.name: field.value for field in embed.fields}
    assert "Fiverr payments alternative one" in fields["What to do instead"]
    assert fields["Why it protects you"] == "Fiverr payments why."
    assert "https://example.com/fiverr/payments" in fields["Source"]
    assert embed.footer.text.startswith("Active warnings: 1")


async def test_active_warning_count_grows(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any, clock: FakeClock
) -> None:
    encourages(engine)
    first, second = post(ADVICE, member, channel, guild), post(ADVICE, member, channel, guild)
    await cog.on_message(first)
    clock.now += 61
    await cog.on_message(second)
    assert sent_kwargs(second.reply)[0]["embed"].footer.text.startswith("Active warnings: 2")


async def test_a_503_on_the_reply_is_sent_again(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(errors_module, "SERVICE_UNAVAILABLE_DELAYS", (0.0, 0.0))
    encourages(engine)
    message = post(ADVICE, member, channel, guild)
    message.reply.side_effect = [http_error(discord.DiscordServerError, 503), None]
    await cog.on_message(message)
    assert message.reply.await_count == 2
    assert await database.warnings.count(guild.id) == 1


@pytest.mark.parametrize("status", [403, 500, 503])
async def test_reply_failure_keeps_the_warning_and_the_bot_carries_on(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    status: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(errors_module, "SERVICE_UNAVAILABLE_DELAYS", (0.0,))
    encourages(engine)
    failing = post(ADVICE, member, channel, guild)
    failing.reply.side_effect = http_error(
        discord.Forbidden if status == 403 else discord.DiscordServerError, status
    )
    with caplog.at_level(logging.WARNING, logger="cogs.watch"):
        await cog.on_message(failing)  # must not raise
    assert await database.warnings.count(guild.id) == 1
    assert str(channel.id) in caplog.text
    clock.now += 61
    other = make_member(guild)
    following = post(ADVICE, other, channel, guild)
    await cog.on_message(following)
    following.reply.assert_awaited_once()
    assert await database.warnings.count(guild.id) == 2


async def test_reply_cooldown_records_warnings_but_does_not_repeat_replies(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
) -> None:
    encourages(engine)
    messages = [post(ADVICE, member, channel, guild) for _ in range(3)]
    await cog.on_message(messages[0])
    clock.now += 30
    await cog.on_message(messages[1])
    assert await database.warnings.count_active(guild.id, member.id) == 2
    assert messages[0].reply.await_count == 1
    messages[1].reply.assert_not_awaited()
    clock.now += 31  # 61 s after the first reply
    await cog.on_message(messages[2])
    messages[2].reply.assert_awaited_once()


async def test_reply_cooldown_is_per_member(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    first = post(ADVICE, member, channel, guild)
    second = post(ADVICE, make_member(guild), channel, guild)
    await cog.on_message(first)
    await cog.on_message(second)
    first.reply.assert_awaited_once()
    second.reply.assert_awaited_once()


async def test_question_is_answered_without_a_warning(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    asks(engine)
    message = post(QUESTION, member, channel, guild)
    await cog.on_message(message)
    [kwargs] = sent_kwargs(message.reply)
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert kwargs["mention_author"] is False
    assert "Fiverr email summary." in kwargs["embed"].description
    assert "No warning" in kwargs["embed"].footer.text
    assert await database.warnings.count() == 0


async def test_a_question_about_another_platform_gets_that_platforms_rule_for_its_stage(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    """The server follows Fiverr; the member asks about an Upwork contract that has started."""
    engine.community_verdict = community_verdict("asks", "email", platform="upwork", phase="after")
    message = post("My Upwork contract started, can I email the client now?", member, channel, guild)
    await cog.on_message(message)
    [kwargs] = sent_kwargs(message.reply)
    embed = kwargs["embed"]
    assert embed.title.startswith("Upwork rules")
    assert "This server follows Fiverr; your message is about Upwork" in embed.description
    assert "**At the stage you describe:** Upwork email after the order." in embed.description
    assert "Upwork email summary." in embed.description
    assert await database.warnings.count() == 0


async def test_a_question_that_names_no_stage_gets_the_rule_alone(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    asks(engine)
    message = post(QUESTION, member, channel, guild)
    await cog.on_message(message)
    [kwargs] = sent_kwargs(message.reply)
    assert "stage you describe" not in kwargs["embed"].description
    assert "This server follows" not in kwargs["embed"].description


async def test_question_is_answered_once_per_topic_per_channel_in_the_window(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any, clock: FakeClock
) -> None:
    asks(engine, "email")
    first, repeat = post(QUESTION, member, channel, guild), post(QUESTION, make_member(guild), channel, guild)
    await cog.on_message(first)
    await cog.on_message(repeat)
    first.reply.assert_awaited_once()
    repeat.reply.assert_not_awaited()

    other_channel = post(QUESTION, member, make_channel(guild), guild)
    await cog.on_message(other_channel)
    other_channel.reply.assert_awaited_once()

    asks(engine, "payments")
    other_topic = post("Can I take PayPal?", member, channel, guild)
    await cog.on_message(other_topic)
    other_topic.reply.assert_awaited_once()

    asks(engine, "email")
    clock.now += 601  # the default ask cooldown is 600 s
    later = post(QUESTION, member, channel, guild)
    await cog.on_message(later)
    later.reply.assert_awaited_once()


async def test_clean_messages_get_nothing(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    message = post("I delivered the logo on Fiverr today", member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert await database.warnings.count() == 0


@pytest.mark.parametrize(
    "case",
    ["dm", "bot", "webhook", "system", "empty"],
)
async def test_guard_clauses_skip_without_asking_the_engine(
    cog: Watch, database: Database, engine: ScriptedEngine, guild: Any, channel: Any, case: str
) -> None:
    encourages(engine)
    author = make_member(guild, bot=case == "bot")
    message = make_message(
        "" if case == "empty" else ADVICE,
        author=make_user() if case == "dm" else author,
        channel=channel,
        guild=None if case == "dm" else guild,
        webhook_id=123 if case == "webhook" else None,
        system=case == "system",
    )
    await cog.on_message(message)
    assert engine.community_calls == []
    message.reply.assert_not_awaited()
    assert await database.warnings.count() == 0


async def test_exempt_role(
    cog: Watch, database: Database, engine: ScriptedEngine, channel: Any, guild: Any
) -> None:
    encourages(engine)
    trusted = make_role()
    await database.guild_settings.update(guild.id, exempt_role_ids=frozenset({trusted.id}))
    message = post(ADVICE, make_member(guild, roles=[make_role(), trusted]), channel, guild)
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    assert await database.warnings.count() == 0


async def test_exempt_channel_and_its_threads(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, guild: Any
) -> None:
    encourages(engine)
    exempt = make_channel(guild)
    await database.guild_settings.update(guild.id, exempt_channel_ids=frozenset({exempt.id}))
    in_channel = post(ADVICE, member, exempt, guild)
    in_thread = post(ADVICE, member, make_channel(guild, thread_parent_id=exempt.id), guild)
    await cog.on_message(in_channel)
    await cog.on_message(in_thread)
    assert await database.warnings.count() == 0


async def test_threads_and_forum_posts_are_watched(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, guild: Any
) -> None:
    encourages(engine)
    thread = make_channel(guild, thread_parent_id=make_channel(guild).id)
    message = post(ADVICE, member, thread, guild)
    await cog.on_message(message)
    message.reply.assert_awaited_once()
    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    assert warning.channel_id == thread.id


async def test_moderators_are_exempt_unless_configured(
    cog: Watch, database: Database, engine: ScriptedEngine, channel: Any, guild: Any
) -> None:
    encourages(engine)
    moderator = make_member(guild, manage_messages=True)
    await cog.on_message(post(ADVICE, moderator, channel, guild))
    assert await database.warnings.count() == 0

    await database.guild_settings.update(guild.id, exempt_moderators=False)
    message = post(ADVICE, moderator, channel, guild)
    await cog.on_message(message)
    assert await database.warnings.count() == 1
    message.reply.assert_awaited_once()


async def test_log_mode_records_without_replying(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, reply_mode="log")
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)
    assert await database.warnings.count() == 1
    message.reply.assert_not_awaited()


async def test_dm_mode_sends_the_policy_privately(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, reply_mode="dm")
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)
    message.reply.assert_not_awaited()
    [kwargs] = sent_kwargs(member.send)
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()


async def test_server_platforms_are_passed_to_the_engine(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    await cog.on_message(post("hello", member, channel, guild))
    await database.guild_settings.update(guild.id, platforms=("upwork", "not_a_pack"))
    await cog.on_message(post("hello", member, channel, guild))
    assert [platforms for _, platforms in engine.community_calls] == [("fiverr",), ("upwork",)]


# ---- edits ------------------------------------------------------------------------------------


async def test_edit_of_an_uncached_message_is_caught(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    edited = post(ADVICE, member, channel, guild)
    await cog.on_raw_message_edit(make_edit_event(edited, cached=None))
    edited.reply.assert_awaited_once()
    assert await database.warnings.exists_for_message(guild.id, edited.id)


async def test_edit_that_turns_a_clean_message_into_advice_counts(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    before = post("happy to help, message me", member, channel, guild)
    await cog.on_message(before)
    assert await database.warnings.count() == 0
    encourages(engine)
    after = post(ADVICE, member, channel, guild, message_id=before.id)
    await cog.on_raw_message_edit(make_edit_event(after, cached=before))
    assert await database.warnings.count() == 1
    after.reply.assert_awaited_once()


async def test_repeated_edits_never_warn_twice(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
) -> None:
    encourages(engine)
    original = post(ADVICE, member, channel, guild)
    await cog.on_message(original)
    for suffix in (" (edited)", " (edited again)"):
        clock.now += 120  # even outside the reply cooldown
        edited = post(ADVICE + suffix, member, channel, guild, message_id=original.id)
        await cog.on_raw_message_edit(make_edit_event(edited, cached=None))
        edited.reply.assert_not_awaited()
    assert await database.warnings.count() == 1


async def test_edit_without_new_text_is_ignored(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    message = post(ADVICE, member, channel, guild)
    await cog.on_raw_message_edit(make_edit_event(message, data={"id": str(message.id), "embeds": []}))
    await cog.on_raw_message_edit(make_edit_event(message, cached=message))  # same text: an unfurl
    assert engine.community_calls == []


async def test_edited_question_is_not_answered_again(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    asks(engine)
    message = post(QUESTION, member, channel, guild)
    await cog.on_raw_message_edit(make_edit_event(message))
    message.reply.assert_not_awaited()


# ---- compact reply style and the question cooldown setting --------------------------------------


def labels(view: discord.ui.View) -> list[str | None]:
    """The labels of a reply's buttons (all DynamicItems wrapping a Button), in order."""
    return [item.item.label for item in view.children if isinstance(item, discord.ui.DynamicItem)]


def details_of(view: discord.ui.View) -> DetailsButton:
    button = view.children[0]
    assert isinstance(button, DetailsButton)
    return button


async def press_details(bot: GigGuardBot, view: discord.ui.View, guild: Any) -> discord.Embed:
    """Rebuild the Details button from its custom_id alone (as after a restart) and press it as
    another member: the one thing they get back, privately."""
    custom_id = details_of(view).custom_id
    match = re.fullmatch(DetailsButton.__discord_ui_compiled_template__, custom_id)
    assert match is not None
    interaction = make_interaction(guild)
    interaction.client = bot
    button = await DetailsButton.from_custom_id(interaction, details_of(view).item, match)
    await button.callback(interaction)
    [kwargs] = sent_kwargs(interaction.response.send_message)
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    return kwargs["embed"]


async def test_a_compact_warning_is_one_short_line_with_details_and_the_warning_buttons(
    cog: Watch,
    bot: GigGuardBot,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
) -> None:
    encourages(engine, "payments")
    await database.guild_settings.update(guild.id, reply_style="compact")
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)

    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    [kwargs] = sent_kwargs(message.reply)
    assert "embed" not in kwargs
    assert kwargs["content"] == (
        "Heads up: that could get a Fiverr account restricted (rule: Payments). Details: press **Details** "
        "below (only you will see them)."
    )
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert kwargs["mention_author"] is False
    view: discord.ui.View = kwargs["view"]
    assert labels(view) == ["Details", "Not a violation", "I think this is wrong"]
    assert view.children[1].custom_id == f"gigguard:dismiss:{warning.id}"  # type: ignore[attr-defined]

    embed = await press_details(bot, view, guild)
    assert embed.title == "Keep it on Fiverr: Payments"
    assert "Fiverr payments summary." in embed.description
    assert embed.footer.text == "Active warnings: 1 · warnings expire after 90 days"


async def test_compact_style_keeps_the_dm_in_full(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, reply_style="compact", reply_mode="reply_dm")
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)
    [public] = sent_kwargs(message.reply)
    assert public["content"].startswith("Heads up:")
    [private] = sent_kwargs(member.send)
    assert private["embed"].title.startswith("Keep it on Fiverr")


async def test_a_compact_answer_has_only_details_and_shows_the_stage_answer_privately(
    cog: Watch,
    bot: GigGuardBot,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
) -> None:
    engine.community_verdict = community_verdict("asks", "email", platform="upwork", phase="after")
    await database.guild_settings.update(guild.id, reply_style="compact")
    message = post("My Upwork contract started, can I email the client now?", member, channel, guild)
    await cog.on_message(message)

    [kwargs] = sent_kwargs(message.reply)
    assert kwargs["content"].startswith("Upwork has a rule on this (Email).")
    assert "no warning was given" in kwargs["content"]
    assert labels(kwargs["view"]) == ["Details"]
    embed = await press_details(bot, kwargs["view"], guild)
    assert embed.title == "Upwork rules: Email"
    assert "**At the stage you describe:** Upwork email after the order." in embed.description
    assert "This server follows Fiverr; your message is about Upwork" in embed.description
    assert embed.footer.text == "No warning was given: this is just the policy."
    assert await database.warnings.count() == 0


async def test_the_full_style_is_the_default_and_has_no_details_button(
    cog: Watch, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    asks(engine)
    message = post(QUESTION, member, channel, guild)
    await cog.on_message(message)
    [kwargs] = sent_kwargs(message.reply)
    assert "content" not in kwargs
    assert "view" not in kwargs
    assert kwargs["embed"].title == "Fiverr rules: Email"


async def test_a_compact_notice_for_a_deleted_message_keeps_details(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, reply_style="compact", delete_contact_messages=True)
    message = post(ADVICE, member, channel, guild)
    await cog.on_message(message)
    message.delete.assert_awaited_once()
    [kwargs] = sent_kwargs(channel.send)
    assert "was removed: it shared contact details.\nHeads up: that could get a Fiverr" in kwargs["content"]
    assert "embed" not in kwargs
    assert labels(kwargs["view"]) == [
        "Details",
        "Not a violation",
        "I think this is wrong",
    ]  # type: ignore[attr-defined]


async def test_details_for_a_platform_the_host_removed_says_so(bot: GigGuardBot, guild: Any) -> None:
    interaction = make_interaction(guild)
    interaction.client = bot
    await DetailsButton("answer", "etsy", "email", None, None).callback(interaction)
    [kwargs] = sent_kwargs(interaction.response.send_message)
    assert kwargs["ephemeral"] is True
    assert "no longer available" in kwargs["content"]


@pytest.mark.parametrize("seconds", [0, 30])
async def test_the_question_cooldown_is_the_servers_setting(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
    seconds: int,
) -> None:
    asks(engine)
    await database.guild_settings.update(guild.id, ask_cooldown_s=seconds)
    first = post(QUESTION, member, channel, guild)
    await cog.on_message(first)
    clock.now += seconds / 2
    during = post(QUESTION, make_member(guild), channel, guild)
    await cog.on_message(during)
    clock.now += seconds / 2 + 1
    after = post(QUESTION, make_member(guild), channel, guild)
    await cog.on_message(after)
    first.reply.assert_awaited_once()
    assert during.reply.await_count == (1 if seconds == 0 else 0)
    after.reply.assert_awaited_once()


async def test_a_shorter_question_cooldown_applies_to_a_window_already_running(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
) -> None:
    asks(engine)
    await cog.on_message(post(QUESTION, member, channel, guild))  # the default 600 s window starts
    clock.now += 120
    await database.guild_settings.update(guild.id, ask_cooldown_s=60)
    later = post(QUESTION, make_member(guild), channel, guild)
    await cog.on_message(later)
    later.reply.assert_awaited_once()


# ---- auto-delete of public replies (delete_replies_after) ---------------------------------------


def bot_post(channel: Any, guild: Any) -> Any:
    """What Discord returns for a message the bot posted (its id is what gets deleted later)."""
    return make_message("", author=make_member(guild, bot=True), channel=channel, guild=guild)


async def pending_ids(database: Database, guild: Any) -> list[int]:
    return [p.message_id for p in await database.reply_deletions.pending(guild.id)]


async def test_a_warning_reply_is_scheduled_for_deletion_after_the_servers_minutes(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, delete_replies_after_min=5)
    message = post(ADVICE, member, channel, guild)
    reply = bot_post(channel, guild)
    message.reply.return_value = reply
    before = now_ts()
    await cog.on_message(message)
    after = now_ts()

    message.reply.assert_awaited_once()
    [pending] = await database.reply_deletions.pending(guild.id)
    assert (pending.message_id, pending.channel_id, pending.guild_id) == (reply.id, channel.id, guild.id)
    assert before + 300 <= pending.due_at <= after + 300
    assert await database.warnings.count(guild.id) == 1, "the warning itself is kept"


async def test_an_answer_to_a_question_is_scheduled_for_deletion(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    asks(engine)
    await database.guild_settings.update(guild.id, delete_replies_after_min=1, reply_style="compact")
    message = post(QUESTION, member, channel, guild)
    answer = bot_post(channel, guild)
    message.reply.return_value = answer
    await cog.on_message(message)
    assert await pending_ids(database, guild) == [answer.id]


async def test_the_message_removed_notice_is_scheduled_for_deletion(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, delete_replies_after_min=10, delete_contact_messages=True)
    message = post(ADVICE, member, channel, guild)
    notice = bot_post(channel, guild)
    channel.send.return_value = notice
    await cog.on_message(message)
    message.delete.assert_awaited_once()
    assert "was removed" in sent_kwargs(channel.send)[0]["content"]
    assert await pending_ids(database, guild) == [notice.id]


async def test_only_the_channel_reply_is_scheduled_never_the_dm_or_the_mod_log(
    cog: Watch,
    bot: GigGuardBot,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    modlog = await attach_modlog(bot, database, guild, monkeypatch)
    modlog.send.return_value = bot_post(modlog, guild)
    encourages(engine)
    await database.guild_settings.update(guild.id, delete_replies_after_min=5, reply_mode="reply_dm")
    message = post(ADVICE, member, channel, guild)
    reply = bot_post(channel, guild)
    message.reply.return_value = reply
    member.send.return_value = bot_post(make_channel(guild), guild)

    await cog.on_message(message)

    member.send.assert_awaited_once()
    assert modlog_posts(modlog), "the warning was posted to the mod-log"
    assert await pending_ids(database, guild) == [reply.id]


async def test_nothing_is_scheduled_in_dm_mode(
    cog: Watch, database: Database, engine: ScriptedEngine, member: Any, channel: Any, guild: Any
) -> None:
    encourages(engine)
    await database.guild_settings.update(guild.id, delete_replies_after_min=5, reply_mode="dm")
    member.send.return_value = bot_post(make_channel(guild), guild)
    await cog.on_message(post(ADVICE, member, channel, guild))
    member.send.assert_awaited_once()
    assert await pending_ids(database, guild) == []


async def test_replies_are_kept_by_default_and_a_failed_reply_schedules_nothing(
    cog: Watch,
    database: Database,
    engine: ScriptedEngine,
    member: Any,
    channel: Any,
    guild: Any,
    clock: FakeClock,
) -> None:
    encourages(engine)
    kept = post(ADVICE, member, channel, guild)
    kept.reply.return_value = bot_post(channel, guild)
    await cog.on_message(kept)
    kept.reply.assert_awaited_once()
    assert await pending_ids(database, guild) == [], "0 (the default) keeps replies"

    await database.guild_settings.update(guild.id, delete_replies_after_min=5)
    clock.now += 61
    refused = post(ADVICE, member, channel, guild)
    refused.reply.side_effect = http_error(discord.Forbidden, 403)
    await cog.on_message(refused)
    assert await pending_ids(database, guild) == []
    assert await database.warnings.count(guild.id) == 2
