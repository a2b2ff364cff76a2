"""Errors in commands: a friendly private answer for the member, the traceback in the log."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
import pytest
from discord import app_commands

from bot import GigGuardBot
from cogs._checks import is_moderator
from cogs._errors import GENERIC_ERROR, report_app_command_error
from cogs.policy import Policy
from tests.helpers import make_guild, make_interaction, sent_kwargs


def invoke_error(exc: Exception) -> app_commands.CommandInvokeError:
    try:
        raise exc
    except Exception as raised:
        command = app_commands.Command(name="x", description="x", callback=_noop)
        return app_commands.CommandInvokeError(command, raised)


async def _noop(interaction: discord.Interaction) -> None:
    pass


async def test_cog_handler_answers_privately_and_logs_the_traceback(
    bot: GigGuardBot, caplog: pytest.LogCaptureFixture
) -> None:
    cog = Policy(bot)
    interaction = make_interaction(make_guild())
    with caplog.at_level(logging.ERROR):
        await cog.cog_app_command_error(interaction, invoke_error(RuntimeError("database on fire")))
    [kwargs] = sent_kwargs(interaction.response.send_message)
    error_id = re.search(r"error id: `([0-9a-f]{8})`", kwargs["content"])
    assert error_id, kwargs["content"]
    assert kwargs["content"] == GENERIC_ERROR.format(error_id=error_id[1])
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    # The same id is in the log line that carries the traceback.
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error_id[1] in record.getMessage()
    assert "Traceback" in caplog.text
    assert "database on fire" in caplog.text


async def test_every_error_gets_its_own_id(bot: GigGuardBot) -> None:
    cog = Policy(bot)
    contents = []
    for _ in range(2):
        interaction = make_interaction(make_guild())
        await cog.cog_app_command_error(interaction, invoke_error(RuntimeError("boom")))
        [kwargs] = sent_kwargs(interaction.response.send_message)
        contents.append(kwargs["content"])
    assert contents[0] != contents[1]


async def test_tree_fallback_does_not_answer_twice(bot: GigGuardBot) -> None:
    interaction = make_interaction(make_guild())
    error = invoke_error(RuntimeError("boom"))
    await report_app_command_error(interaction, error)  # the cog's handler
    await bot.tree.on_error(interaction, error)  # discord.py then calls the tree's
    assert interaction.response.send_message.await_count == 1


async def test_tree_fallback_answers_when_no_cog_did(bot: GigGuardBot) -> None:
    interaction = make_interaction(make_guild())
    await bot.tree.on_error(interaction, invoke_error(RuntimeError("boom")))
    interaction.response.send_message.assert_awaited_once()


async def test_after_a_deferred_response_the_followup_is_used(bot: GigGuardBot) -> None:
    interaction = make_interaction(make_guild())
    interaction.response.is_done.return_value = True
    await bot.tree.on_error(interaction, invoke_error(RuntimeError("boom")))
    interaction.response.send_message.assert_not_awaited()
    [kwargs] = sent_kwargs(interaction.followup.send)
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()


async def test_expected_refusals_are_explained_without_a_traceback(
    bot: GigGuardBot, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = make_interaction(make_guild(), manage_messages=False)
    with caplog.at_level(logging.INFO), pytest.raises(app_commands.MissingPermissions) as refused:
        is_moderator(interaction)
    await bot.tree.on_error(interaction, refused.value)
    [kwargs] = sent_kwargs(interaction.response.send_message)
    assert "Manage Messages" in kwargs["content"]
    assert "Traceback" not in caplog.text


def test_moderators_pass_the_check() -> None:
    assert is_moderator(make_interaction(make_guild(), manage_messages=True))
    with pytest.raises(app_commands.NoPrivateMessage):
        is_moderator(make_interaction(None))


async def test_a_failing_error_message_does_not_raise(bot: GigGuardBot) -> None:
    interaction: Any = make_interaction(make_guild())
    response = discord.NotFound(type("R", (), {"status": 404, "reason": "gone"})(), "Unknown interaction")
    interaction.response.send_message.side_effect = response
    await bot.tree.on_error(interaction, invoke_error(RuntimeError("boom")))
