"""The cogs wired to the real rules.Engine and packs, with texts whose verdict is unambiguous."""

from __future__ import annotations

import logging

import pytest

from cogs.drafts import Drafts
from cogs.watch import Watch
from db import Database
from rules import Engine
from tests.helpers import make_bot, make_channel, make_guild, make_interaction, make_member, make_message

ADVICE = "just ask your buyer for their WhatsApp number and skip the fees"
QUESTION = "Is it allowed to email my Fiverr buyer?"
DRAFT = "my email is sam.design@gmail.com"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


async def test_advice_is_warned_and_a_question_answered(database: Database, engine: Engine) -> None:
    cog = Watch(make_bot(database, engine))
    guild = make_guild()
    channel = make_channel(guild)
    advice = make_message(ADVICE, author=make_member(guild), channel=channel, guild=guild)
    question = make_message(QUESTION, author=make_member(guild), channel=channel, guild=guild)
    await cog.on_message(advice)
    await cog.on_message(question)
    advice.reply.assert_awaited_once()
    question.reply.assert_awaited_once()
    assert await database.warnings.count() == 1
    assert await database.warnings.exists_for_message(guild.id, advice.id)


async def test_draft_with_an_email_gets_a_rewrite_and_is_not_logged(
    database: Database, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_bot(database, engine)
    cog = Drafts(bot)
    interaction = make_interaction(make_guild())
    with caplog.at_level(logging.DEBUG):
        await cog.checkdraft.callback(cog, interaction, text=DRAFT)
    embed = interaction.response.send_message.await_args.kwargs["embed"]
    assert "flagged" in embed.title
    assert "```" in embed.description
    assert "sam.design@gmail.com" not in str(embed.to_dict())
    assert "sam.design" not in caplog.text
    assert await database.warnings.count() == 0
