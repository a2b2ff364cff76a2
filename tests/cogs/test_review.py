"""The review buttons: "Not a violation" (moderators) and "I think this is wrong" (the warned member)."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.review import (
    ConfirmReviewButton,
    DismissButton,
    DismissReviewButton,
    DisputeButton,
    Review,
    review_item_view,
    review_view,
)
from cogs.watch import Watch
from db import Database, ReviewItem
from tests.cogs.toolkit import answer_text, assert_private, attach_modlog, modlog_posts, warn
from tests.helpers import (
    FakeClock,
    http_error,
    make_channel,
    make_interaction,
    make_member,
    make_message,
    sent_kwargs,
)


def click(bot: GigGuardBot, guild: Any, user: Any, *, manage_messages: bool = False) -> Any:
    interaction = make_interaction(guild, user=user, manage_messages=manage_messages)
    interaction.client = bot
    interaction.message = make_message("", author=user, channel=make_channel(guild), guild=guild)
    return interaction


async def test_buttons_rebuild_from_their_custom_id_after_a_restart() -> None:
    view = review_view(42)
    dismiss, dispute = view.children
    assert dismiss.custom_id == "gigguard:dismiss:42"  # type: ignore[attr-defined]
    match = re.fullmatch(DismissButton.__discord_ui_compiled_template__, dismiss.custom_id)  # type: ignore[attr-defined]
    rebuilt = await DismissButton.from_custom_id(None, dismiss.item, match)  # type: ignore[arg-type,attr-defined]
    assert rebuilt.warning_id == 42
    assert dispute.custom_id == "gigguard:dispute:42"  # type: ignore[attr-defined]


async def test_the_review_cog_registers_the_dynamic_buttons(bot: GigGuardBot) -> None:
    await bot.add_cog(Review(bot))
    assert {DismissButton, DisputeButton} <= set(bot._connection._view_store._dynamic_items.values())


async def test_a_moderator_dismisses_a_false_positive(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    modlog = await attach_modlog(bot, database, guild, monkeypatch)
    warning = await warn(database, guild.id, member.id)
    moderator = make_member(guild, manage_messages=True)
    interaction = click(bot, guild, moderator, manage_messages=True)

    await DismissButton(warning.id).callback(interaction)

    dismissed = await database.warnings.get(warning.id)
    assert (dismissed.status, dismissed.status_by) == ("dismissed", moderator.id)
    assert await database.warnings.count_active(guild.id, member.id) == 0
    stats = await database.stats.since(guild.id)
    assert [(row.kind, row.scope, row.key, row.count) for row in stats] == [
        ("dismissal", "rule", "test.email", 1),
        ("dismissal", "topic", "fiverr.email", 1),
    ]
    assert_private(interaction)
    assert "Dismissed warning" in answer_text(interaction)
    assert modlog_posts(modlog)[0]["embed"].title.startswith("Not a violation")
    interaction.message.edit.assert_awaited_once()  # the buttons come off


async def test_a_member_cannot_dismiss_even_their_own_warning(
    bot: GigGuardBot, database: Database, guild: Any, member: Any
) -> None:
    warning = await warn(database, guild.id, member.id)
    interaction = click(bot, guild, member)
    await DismissButton(warning.id).callback(interaction)
    assert (await database.warnings.get(warning.id)).status == "active"
    assert_private(interaction)
    assert "Manage Messages" in answer_text(interaction)


async def test_dismissing_twice_says_so(
    bot: GigGuardBot, database: Database, guild: Any, member: Any
) -> None:
    warning = await warn(database, guild.id, member.id)
    await database.warnings.set_status(warning.id, "pardoned", by=1, reason="x")
    interaction = click(bot, guild, make_member(guild), manage_messages=True)
    await DismissButton(warning.id).callback(interaction)
    assert "already pardoned" in answer_text(interaction)
    assert await database.stats.since(guild.id) == []


async def test_the_warned_member_sends_it_for_review_once(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    modlog = await attach_modlog(bot, database, guild, monkeypatch)
    warning = await warn(database, guild.id, member.id)
    interaction = click(bot, guild, member)

    await DisputeButton(warning.id).callback(interaction)

    assert (await database.warnings.get(warning.id)).review_requested_at is not None
    assert_private(interaction)
    assert "moderators will review" in answer_text(interaction)
    [posted] = modlog_posts(modlog)
    assert posted["embed"].title.startswith("Review requested")
    assert [item.custom_id for item in posted["view"].children] == [f"gigguard:dismiss:{warning.id}"]

    again = click(bot, guild, member)
    await DisputeButton(warning.id).callback(again)
    assert "already asked" in answer_text(again)
    assert len(modlog_posts(modlog)) == 1


async def test_only_the_warned_member_can_dispute(
    bot: GigGuardBot, database: Database, guild: Any, member: Any
) -> None:
    warning = await warn(database, guild.id, member.id)
    interaction = click(bot, guild, make_member(guild), manage_messages=True)
    await DisputeButton(warning.id).callback(interaction)
    assert "Only the member who was warned" in answer_text(interaction)
    assert (await database.warnings.get(warning.id)).review_requested_at is None


async def test_a_dispute_without_a_modlog_tells_the_member_to_ask_a_moderator(
    bot: GigGuardBot, database: Database, guild: Any, member: Any
) -> None:
    warning = await warn(database, guild.id, member.id)
    interaction = click(bot, guild, member)
    await DisputeButton(warning.id).callback(interaction)
    assert "tell a moderator" in answer_text(interaction)
    assert isinstance(
        interaction.response.send_message.await_args.kwargs["allowed_mentions"], discord.AllowedMentions
    )


async def test_a_failing_button_still_answers_the_member(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    warning = await warn(database, guild.id, member.id)

    async def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(database.warnings, "get", broken)
    interaction = click(bot, guild, member)

    await DisputeButton(warning.id).callback(interaction)

    assert_private(interaction)
    assert "went wrong" in answer_text(interaction)


# ---- review items: Confirm / Dismiss ------------------------------------------------------------


async def open_item(database: Database, guild: Any, member: Any, channel: Any, message_id: int) -> ReviewItem:
    item = await database.review_items.add(
        guild_id=guild.id,
        channel_id=channel.id,
        message_id=message_id,
        user_id=member.id,
        platform="fiverr",
        topic="payments",
        rule_ids=("contact.link-payment",),
        snippet="paypal.me/s***",
        confidence=0.74,
        reason="74% encourages; most telling: “pay me at paypal.me/s***”",
        text="pay me at paypal.me/s***",
    )
    assert item is not None
    return item


@pytest.fixture
async def queue(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any, Any]:
    """A mod-log, the channel the member wrote in (with their message) and the watcher loaded."""
    modlog = await attach_modlog(bot, database, guild, monkeypatch)
    channel = make_channel(guild)
    message = make_message("pay me at paypal.me/sam", author=member, channel=channel, guild=guild)
    channel.fetch_message.return_value = message
    channels = {modlog.id: modlog, channel.id: channel}
    monkeypatch.setattr(bot, "get_channel", channels.get)
    await bot.add_cog(Watch(bot, clock=FakeClock()))
    return modlog, channel, message


async def test_confirm_records_the_warning_as_an_automatic_one_and_answers_the_member(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, queue: tuple[Any, Any, Any]
) -> None:
    modlog, channel, message = queue
    item = await open_item(database, guild, member, channel, message.id)
    moderator = make_member(guild, manage_messages=True)
    interaction = click(bot, guild, moderator, manage_messages=True)

    await ConfirmReviewButton(item.id).callback(interaction)

    [warning] = await database.warnings.list_for_member(guild.id, member.id)
    assert (warning.message_id, warning.rules, warning.topic, warning.platform) == (
        message.id,
        ("contact.link-payment",),
        "payments",
        "fiverr",
    )
    assert warning.training_text == "pay me at paypal.me/s***"
    decided = await database.review_items.get(item.id)
    assert decided is not None
    assert (decided.decision, decided.decided_by, decided.warning_id) == (
        "confirmed",
        moderator.id,
        warning.id,
    )
    # The member's message is answered with the policy, exactly as the watcher does.
    [reply] = sent_kwargs(message.reply)
    assert reply["embed"].title == "Keep it on Fiverr: Payments"
    assert reply["allowed_mentions"].to_dict()["parse"] == []
    assert [b.custom_id for b in reply["view"].children] == [
        f"gigguard:dismiss:{warning.id}",
        f"gigguard:dispute:{warning.id}",
    ]
    assert_private(interaction)
    assert f"warning #{warning.id} recorded" in answer_text(interaction)
    assert modlog_posts(modlog)[-1]["embed"].title == f"Warning · #{warning.id}"
    edited = interaction.message.edit.await_args.kwargs["embed"]
    assert edited.title == f"Confirmed: warning recorded · item {item.id}"
    counted = {(r.kind, r.scope, r.key) for r in await database.stats.since(guild.id)}
    assert {
        ("review_confirmed", "rule", "contact.link-payment"),
        ("review_confirmed", "topic", "fiverr.payments"),
        ("warning", "rule", "contact.link-payment"),
    } <= counted


async def test_a_second_press_says_it_was_already_decided(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, queue: tuple[Any, Any, Any]
) -> None:
    _, channel, message = queue
    item = await open_item(database, guild, member, channel, message.id)
    first = make_member(guild, manage_messages=True)
    await DismissReviewButton(item.id).callback(click(bot, guild, first, manage_messages=True))
    second = click(bot, guild, make_member(guild, manage_messages=True), manage_messages=True)

    await ConfirmReviewButton(item.id).callback(second)

    assert_private(second)
    assert f"already decided: dismissed by <@{first.id}>" in answer_text(second)
    assert await database.warnings.count(guild.id) == 0
    message.reply.assert_not_awaited()


async def test_only_moderators_decide_review_items(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, queue: tuple[Any, Any, Any]
) -> None:
    _, channel, message = queue
    item = await open_item(database, guild, member, channel, message.id)
    for button in (ConfirmReviewButton(item.id), DismissReviewButton(item.id)):
        interaction = click(bot, guild, member)
        await button.callback(interaction)
        assert "Manage Messages" in answer_text(interaction)
    assert (await database.review_items.get(item.id)).decision is None  # type: ignore[union-attr]


async def test_confirm_of_a_deleted_message_says_so_and_still_records(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, queue: tuple[Any, Any, Any]
) -> None:
    _, channel, message = queue
    channel.fetch_message.side_effect = http_error(discord.NotFound, 404)
    item = await open_item(database, guild, member, channel, message.id)
    interaction = click(bot, guild, make_member(guild, manage_messages=True), manage_messages=True)

    await ConfirmReviewButton(item.id).callback(interaction)

    assert "message is gone" in answer_text(interaction)
    assert await database.warnings.count_active(guild.id, member.id) == 1
    message.reply.assert_not_awaited()


async def test_dismiss_records_nothing_about_the_member_and_counts_a_false_positive(
    bot: GigGuardBot, database: Database, guild: Any, member: Any, queue: tuple[Any, Any, Any]
) -> None:
    _, channel, message = queue
    item = await open_item(database, guild, member, channel, message.id)
    interaction = click(bot, guild, make_member(guild, manage_messages=True), manage_messages=True)

    await DismissReviewButton(item.id).callback(interaction)

    assert await database.warnings.count(guild.id) == 0
    assert (await database.review_items.get(item.id)).decision == "dismissed"  # type: ignore[union-attr]
    counted = {(r.kind, r.scope, r.key) for r in await database.stats.since(guild.id)}
    assert counted == {
        ("review_dismissed", "rule", "contact.link-payment"),
        ("review_dismissed", "topic", "fiverr.payments"),
    }
    assert "Dismissed review item" in answer_text(interaction)
    assert interaction.message.edit.await_args.kwargs["embed"].title.startswith("Dismissed: not a violation")


async def test_review_item_buttons_rebuild_from_their_custom_id() -> None:
    confirm, dismiss = review_item_view(7).children
    assert confirm.custom_id == "gigguard:review-confirm:7"  # type: ignore[attr-defined]
    assert dismiss.custom_id == "gigguard:review-dismiss:7"  # type: ignore[attr-defined]
    match = re.fullmatch(ConfirmReviewButton.__discord_ui_compiled_template__, confirm.custom_id)  # type: ignore[attr-defined]
    rebuilt = await ConfirmReviewButton.from_custom_id(None, confirm.item, match)  # type: ignore[arg-type,attr-defined]
    assert rebuilt.item_id == 7
