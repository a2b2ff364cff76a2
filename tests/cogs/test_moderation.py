"""/warnings list|clear, /pardon, /mywarnings, /mydata show|delete."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot import GigGuardBot
from cogs._pages import Paginator
from cogs.moderation import Moderation
from db import Database
from db.warnings import SECONDS_PER_DAY, now_ts
from tests.cogs.toolkit import answer_text, answers, assert_private, attach_modlog, modlog_posts, warn
from tests.helpers import make_interaction, make_member


@pytest.fixture
def cog(bot: GigGuardBot) -> Moderation:
    return Moderation(bot)


def as_moderator(guild: Any) -> Any:
    return make_interaction(guild, user=make_member(guild, manage_messages=True), manage_messages=True)


def as_member(guild: Any, user: Any | None = None) -> Any:
    return make_interaction(guild, user=user or make_member(guild))


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("warnings_list", {}),
        ("warnings_clear", {"reason": "fresh start"}),
        ("pardon", {"reason": "joke"}),
    ],
)
async def test_a_non_moderator_is_refused_by_the_command_itself(
    cog: Moderation, database: Database, guild: Any, member: Any, command: str, arguments: dict[str, Any]
) -> None:
    warning = await warn(database, guild.id, member.id)
    interaction = as_member(guild)
    target = {"warning_id": warning.id} if command == "pardon" else {"member": member}
    # The callback itself, bypassing discord.py's checks: a server may have re-granted the command.
    await getattr(cog, command).callback(cog, interaction, **target, **arguments)
    assert_private(interaction)
    assert answer_text(interaction) == "You need the Manage Messages permission for this."
    assert (await database.warnings.get(warning.id)).status == "active"


async def test_warnings_list_shows_every_status_with_rule_date_link(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    active = await warn(database, guild.id, member.id)
    expired = await warn(database, guild.id, member.id, now=now_ts() - 100 * SECONDS_PER_DAY)
    pardoned = await warn(database, guild.id, member.id, rule_id="test.payments")
    await database.warnings.set_status(pardoned.id, "pardoned", by=7, reason="**bold** @everyone")
    interaction = as_moderator(guild)

    await cog.warnings_list.callback(cog, interaction, member=member)

    assert_private(interaction)
    text = answer_text(interaction)
    assert "1 active · 3 in total" in text
    assert f"#{active.id} · active · Advice about email addresses [test.email]" in text
    assert f"#{expired.id} · expired" in text
    assert f"#{pardoned.id} · pardoned · Advice about payments outside the platform [test.payments]" in text
    assert "Topic: Email (Fiverr) [email]" in text, "the pack's topic title, escaped"
    assert "pardoned by <@7>: \\*\\*bold\\*\\* @\u200beveryone" in text  # escaped member-visible text
    assert active.jump_url in text
    assert f"<t:{active.created_at}:d>" in text


async def test_long_lists_are_paginated_and_only_the_invoker_turns_pages(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    for _ in range(12):
        await warn(database, guild.id, member.id)
    interaction = as_moderator(guild)
    await cog.warnings_list.callback(cog, interaction, member=member)
    [sent] = answers(interaction)
    view: Paginator = sent["view"]
    assert len(view.pages) == 3
    assert "Page 1/3" in sent["embed"].footer.text
    assert view.previous_page.disabled
    assert not view.next_page.disabled

    stranger = as_member(guild)
    assert await view.interaction_check(stranger) is False
    assert "Only the person who ran this command" in answer_text(stranger)

    assert await view.interaction_check(make_interaction(guild, user=interaction.user)) is True
    turn = make_interaction(guild, user=interaction.user)
    await view.next_page.callback(turn)
    shown = turn.response.edit_message.await_args.kwargs
    assert shown["embed"] is view.pages[1]
    assert not view.previous_page.disabled


async def test_pardon_keeps_the_warning_with_moderator_and_reason(
    cog: Moderation, database: Database, guild: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    modlog = await attach_modlog(cog.bot, database, guild, monkeypatch)
    warning = await warn(database, guild.id, member.id)
    interaction = as_moderator(guild)

    await cog.pardon.callback(cog, interaction, warning_id=warning.id, reason="it was a joke")

    pardoned = await database.warnings.get(warning.id)
    assert (pardoned.status, pardoned.status_by, pardoned.status_reason) == (
        "pardoned",
        interaction.user.id,
        "it was a joke",
    )
    assert await database.warnings.count_active(guild.id, member.id) == 0
    assert "0 active warning(s) left" in answer_text(interaction)
    [posted] = modlog_posts(modlog)
    assert posted["embed"].title == f"Warning pardoned · #{warning.id}"


async def test_pardon_refuses_another_server_s_warning_and_a_second_pardon(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    elsewhere = await warn(database, guild.id + 1, member.id)
    interaction = as_moderator(guild)
    await cog.pardon.callback(cog, interaction, warning_id=elsewhere.id, reason="x")
    assert f"no warning #{elsewhere.id} in this server" in answer_text(interaction)
    assert (await database.warnings.get(elsewhere.id)).status == "active"

    mine = await warn(database, guild.id, member.id)
    await cog.pardon.callback(cog, as_moderator(guild), warning_id=mine.id, reason="x")
    again = as_moderator(guild)
    await cog.pardon.callback(cog, again, warning_id=mine.id, reason="y")
    assert "already pardoned" in answer_text(again)
    assert (await database.warnings.get(mine.id)).status_reason == "x"


async def test_warnings_clear_pardons_all_active_and_deletes_nothing(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    for _ in range(3):
        await warn(database, guild.id, member.id)
    interaction = as_moderator(guild)
    await cog.warnings_clear.callback(cog, interaction, member=member, reason="fresh start")
    assert "Pardoned 3 active warning(s)" in answer_text(interaction)
    assert await database.warnings.count_active(guild.id, member.id) == 0
    assert await database.warnings.count(guild.id) == 3
    again = as_moderator(guild)
    await cog.warnings_clear.callback(cog, again, member=member, reason="again")
    assert "has no active warnings" in answer_text(again)


async def test_mywarnings_shows_only_the_caller_s_own_privately(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    mine = await warn(database, guild.id, member.id)
    theirs = await warn(database, guild.id, member.id + 1)
    interaction = as_member(guild, member)
    await cog.mywarnings.callback(cog, interaction)
    assert_private(interaction)
    text = answer_text(interaction)
    assert f"#{mine.id} ·" in text
    assert f"#{theirs.id} ·" not in text


async def test_mydata_show_describes_what_is_stored(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    await warn(database, guild.id, member.id)
    interaction = as_member(guild, member)
    await cog.mydata_show.callback(cog, interaction)
    assert_private(interaction)
    text = answer_text(interaction)
    assert "1 warning(s), 1 active" in text
    assert "Never the message itself" in text


async def run_mydata_delete(cog: Moderation, interaction: Any, *, confirm: bool) -> None:
    asked = asyncio.Event()
    interaction.response.send_message.side_effect = lambda *args, **kwargs: asked.set()
    task = asyncio.create_task(cog.mydata_delete.callback(cog, interaction))
    await asyncio.wait_for(asked.wait(), 5)
    view = interaction.response.send_message.await_args.kwargs["view"]
    button = view.confirm if confirm else view.cancel
    await button.callback(make_interaction(interaction.guild, user=interaction.user))
    await task


async def test_mydata_delete_removes_everything_after_confirmation(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    await warn(database, guild.id, member.id)
    await warn(database, guild.id, member.id)
    cancelled = as_member(guild, member)
    await run_mydata_delete(cog, cancelled, confirm=False)
    assert await database.warnings.count_for_member(guild.id, member.id) == 2
    assert "Nothing was deleted" in cancelled.edit_original_response.await_args.kwargs["content"]

    confirmed = as_member(guild, member)
    await run_mydata_delete(cog, confirmed, confirm=True)
    assert await database.warnings.count_for_member(guild.id, member.id) == 0
    assert "deleted 2 warning(s)" in confirmed.edit_original_response.await_args.kwargs["content"]
    assert confirmed.response.send_message.await_args.kwargs["ephemeral"] is True


async def test_pardon_autocompletes_active_warnings_latest_first(
    cog: Moderation, database: Database, guild: Any, member: Any
) -> None:
    older = await warn(
        database, guild.id, member.id, rule_id="contact.email", now=now_ts() - 3 * SECONDS_PER_DAY
    )
    newer = await warn(database, guild.id, member.id, rule_id="model.advice")
    pardoned = await warn(database, guild.id, member.id)
    await database.warnings.set_status(pardoned.id, "pardoned", by=1, reason="x")
    await warn(database, guild.id + 1, member.id)  # another server's
    guild.get_member.return_value = member

    choices = await cog.warning_id_autocomplete(as_moderator(guild), "")

    assert [c.value for c in choices] == [newer.id, older.id]
    assert choices[0].name.startswith(f"#{newer.id} · sam · Advice to move off the platform (wording) · ")
    assert choices[1].name.startswith(f"#{older.id} · sam · Email address · ")
    assert all(len(c.name) <= 100 for c in choices)
    narrowed = await cog.warning_id_autocomplete(as_moderator(guild), str(older.id))
    assert [c.value for c in narrowed] == [older.id]


async def test_pardon_autocomplete_shows_members_nothing(
    cog: Moderation, database: Database, guild: Any
) -> None:
    await warn(database, guild.id, 1)
    assert await cog.warning_id_autocomplete(as_member(guild), "") == []
