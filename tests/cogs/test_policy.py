"""/policy: the rule for a topic, private by default, with autocomplete from the packs."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot import GigGuardBot
from cogs.policy import Policy
from db import Database
from tests.helpers import make_guild, make_interaction, sent_kwargs


@pytest.fixture
def cog(bot: GigGuardBot) -> Policy:
    return Policy(bot)


@pytest.fixture
def guild() -> Any:
    return make_guild()


async def run_policy(cog: Policy, interaction: Any, **options: Any) -> dict[str, Any]:
    await cog.policy.callback(cog, interaction, **options)
    [kwargs] = sent_kwargs(interaction.response.send_message)
    assert kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    return kwargs


async def test_private_by_default_with_the_servers_platform(cog: Policy, guild: Any) -> None:
    kwargs = await run_policy(cog, make_interaction(guild), topic="payments")
    assert kwargs["ephemeral"] is True
    embed: discord.Embed = kwargs["embed"]
    assert embed.title == "Fiverr rules: Payments"
    assert "Fiverr payments summary." in embed.description
    fields = {field.name: field.value for field in embed.fields}
    assert "Fiverr payments alternative two" in fields["What to do instead"]
    assert "https://example.com/fiverr/payments" in fields["Source"]


async def test_public_posts_for_the_channel(cog: Policy, guild: Any) -> None:
    kwargs = await run_policy(cog, make_interaction(guild), topic="email", public=True)
    assert kwargs["ephemeral"] is False


async def test_platform_option_and_server_default(cog: Policy, database: Database, guild: Any) -> None:
    kwargs = await run_policy(cog, make_interaction(guild), topic="email", platform="upwork")
    assert kwargs["embed"].title.startswith("Upwork")
    await database.guild_settings.update(guild.id, platforms=("upwork",))
    kwargs = await run_policy(cog, make_interaction(guild), topic="email")
    assert kwargs["embed"].title.startswith("Upwork")


async def test_topic_by_title_is_accepted(cog: Policy, guild: Any) -> None:
    kwargs = await run_policy(cog, make_interaction(guild), topic="After Order")
    assert kwargs["embed"].title == "Fiverr rules: After Order"


async def test_unknown_topic_and_platform_get_a_helpful_private_answer(cog: Policy, guild: Any) -> None:
    kwargs = await run_policy(cog, make_interaction(guild), topic="@everyone *bold*")
    assert kwargs["ephemeral"] is True
    assert "email" in kwargs["content"]
    assert "payments" in kwargs["content"]
    assert "@everyone" not in kwargs["content"]  # echoed text is escaped
    assert "\\*bold\\*" in kwargs["content"]
    kwargs = await run_policy(cog, make_interaction(guild), topic="email", platform="etsy")
    assert "fiverr, upwork" in kwargs["content"]


async def test_topic_autocomplete_filters_the_packs_topics(cog: Policy, guild: Any) -> None:
    choices = await cog.topic_autocomplete(make_interaction(guild, namespace={"platform": None}), "pay")
    assert [(c.name, c.value) for c in choices] == [("Payments", "payments")]
    everything = await cog.topic_autocomplete(make_interaction(guild, namespace={}), "")
    assert len(everything) == 9


async def test_platform_autocomplete(cog: Policy, guild: Any) -> None:
    choices = await cog.platform_autocomplete(make_interaction(guild), "up")
    assert [(c.name, c.value) for c in choices] == [("Upwork", "upwork")]


def test_command_shape(cog: Policy) -> None:
    command = cog.policy
    assert command.guild_only is True
    assert command.description.startswith("What a marketplace's rules say")
    assert {p.name: p.required for p in command.parameters} == {
        "topic": True,
        "platform": False,
        "public": False,
    }
    assert all(p.description != "…" for p in command.parameters)
