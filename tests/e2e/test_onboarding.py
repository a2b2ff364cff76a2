"""The real bot joining a new server: one setup message in the system channel."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness, embeds_of

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


async def test_joining_a_server_posts_the_three_setup_steps_once(gigguard: Harness) -> None:
    emu = gigguard.emu
    guild = emu.world.add_guild("New Freelancers Server")
    welcome = emu.world.add_channel(guild, "welcome")
    guild.system_channel_id = welcome.id
    bot_member = guild.members[emu.world.bot.id]

    joined = guild.payload(include_members=[bot_member])
    del joined["unavailable"]  # Discord leaves it out when the bot is added to a server (a join)
    await emu.dispatch("GUILD_CREATE", joined)

    call = await emu.wait_for_call("POST", rf"/channels/{welcome.id}/messages", within=5)
    [embed] = embeds_of(call)
    assert embed["title"] == "Thanks for adding GigGuard"
    assert [field["name"] for field in embed["fields"]] == [
        "1. Choose the mod-log channel",
        "2. Choose the marketplaces",
        "3. Try it in shadow mode first",
    ]
    assert call.json["allowed_mentions"]["parse"] == []
    after_welcome = emu.mark()
    await emu.expect_no_call("POST", rf"/channels/{welcome.id}/messages", since=after_welcome, within=1.0)
