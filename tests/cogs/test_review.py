"""The review buttons: "Not a violation" (moderators) and "I think this is wrong" (the warned member)."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.review import DismissButton, DisputeButton, Review, review_view
from db import Database
from tests.cogs.toolkit import answer_text, assert_private, attach_modlog, modlog_posts, warn
from tests.helpers import make_channel, make_interaction, make_member, make_message


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
    assert [(row.kind, row.key, row.count) for row in stats] == [("dismissal", "test.email", 1)]
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
