"""/checkdraft and the message menu: private answers, and drafts are never stored or logged."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.drafts import CONTEXT_MENU_NAME, DraftModal, Drafts
from db import Database
from rules import Finding, Verdict
from tests.helpers import (
    ScriptedEngine,
    make_channel,
    make_guild,
    make_interaction,
    make_member,
    make_message,
    sent_kwargs,
)

DRAFT = "Hi! my email is sam.design@gmail.com, write me there @everyone"
REWRITE = "Hi! Let's keep talking here in Fiverr messages so everything stays protected."


@pytest.fixture
async def cog(bot: GigGuardBot) -> Drafts:
    cog = Drafts(bot)
    await bot.add_cog(cog)
    return cog


@pytest.fixture
def guild() -> Any:
    return make_guild()


def violation(engine: ScriptedEngine) -> None:
    engine.draft_verdict = Verdict(
        mode="draft",
        label="violation",
        topic="email",
        platform="fiverr",
        findings=(Finding(kind="email", span=(16, 36), rule_id="contact.email", masked="s***@g****.com"),),
        explanation="It shares an e-mail address with a client.",
        rewrite=REWRITE + "\n```\n@everyone",
    )


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def answer(interaction: Any) -> dict[str, Any]:
    [kwargs] = sent_kwargs(interaction.response.send_message)
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    return kwargs


async def test_violation_shows_verdict_findings_why_and_a_copyable_rewrite(
    cog: Drafts, engine: ScriptedEngine, guild: Any
) -> None:
    violation(engine)
    interaction = make_interaction(guild)
    await cog.checkdraft.callback(cog, interaction, text=DRAFT)
    embed: discord.Embed = answer(interaction)["embed"]
    assert "flagged" in embed.title
    fields = {field.name: field.value for field in embed.fields}
    assert "s\\*\\*\\*@g\\*\\*\\*\\*.com" in fields["What I found"]  # masked, and escaped
    assert "sam.design" not in str(embed.to_dict())
    assert "e-mail address" in fields["Why"]
    assert "Fiverr email summary." in fields["Why"]
    # The rewrite sits in one code block; its own fence cannot close it early.
    assert embed.description.count("```") == 2
    assert REWRITE in embed.description
    assert engine.draft_calls == [(DRAFT, ("fiverr",))]


async def test_ok_draft(cog: Drafts, guild: Any) -> None:
    interaction = make_interaction(guild)
    await cog.checkdraft.callback(cog, interaction, text="Thanks, I will deliver on Friday via Fiverr.")
    assert answer(interaction)["embed"].title == "Looks fine to send"


async def test_without_text_a_multiline_modal_opens(cog: Drafts, engine: ScriptedEngine, guild: Any) -> None:
    interaction = make_interaction(guild)
    await cog.checkdraft.callback(cog, interaction, text=None)
    [call] = interaction.response.send_modal.await_args_list
    modal = call.args[0]
    assert isinstance(modal, DraftModal)
    assert modal.draft_input.style == discord.TextStyle.paragraph
    [field] = modal.to_dict()["components"]  # one multi-line field, not two
    assert field["component"]["style"] == discord.TextStyle.paragraph.value
    interaction.response.send_message.assert_not_awaited()

    violation(engine)
    submit = make_interaction(guild)
    modal.draft_input._value = "line one\nmy email is sam.design@gmail.com"
    await modal.on_submit(submit)
    assert "flagged" in answer(submit)["embed"].title
    assert engine.draft_calls == [("line one\nmy email is sam.design@gmail.com", ("fiverr",))]


async def test_context_menu_checks_the_message(
    cog: Drafts, bot: GigGuardBot, engine: ScriptedEngine, guild: Any
) -> None:
    menu = bot.tree.get_command(CONTEXT_MENU_NAME, type=discord.AppCommandType.message)
    assert menu is not None
    assert menu.guild_only
    violation(engine)
    author = make_member(guild)
    message = make_message(DRAFT, author=author, channel=make_channel(guild), guild=guild)
    interaction = make_interaction(guild)
    await menu.callback(interaction, message)
    assert "flagged" in answer(interaction)["embed"].title


async def test_checkdraft_stores_nothing_and_logs_nothing(
    cog: Drafts, database: Database, engine: ScriptedEngine, guild: Any, caplog: pytest.LogCaptureFixture
) -> None:
    before = row_counts(Path(database.path))
    violation(engine)
    with caplog.at_level(logging.DEBUG):
        interaction = make_interaction(guild)
        await cog.checkdraft.callback(cog, interaction, text=DRAFT)
        modal_submit = make_interaction(guild)
        modal = DraftModal(cog)
        modal.draft_input._value = DRAFT
        await modal.on_submit(modal_submit)
    assert row_counts(Path(database.path)) == before
    assert "sam.design" not in caplog.text
    assert DRAFT not in caplog.text


async def test_empty_draft_gets_a_friendly_answer(cog: Drafts, engine: ScriptedEngine, guild: Any) -> None:
    interaction = make_interaction(guild)
    await cog.check_and_answer(interaction, "   ")
    assert "empty" in answer(interaction)["content"]
    assert engine.draft_calls == []
