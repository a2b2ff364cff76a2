"""The real bot watching a server: replies, warnings in the real database, silence on look-alikes."""

from __future__ import annotations

import pytest

from devtools.bot_process import FAKE_TOKEN
from tests.e2e.conftest import ASKS, ENCOURAGES, LOOKALIKE, Harness, embed_text, embeds_of

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


async def test_advice_to_go_off_platform_gets_a_policy_reply_and_a_warning(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    sent = await emu.post_message(gigguard.general, member, ENCOURAGES)

    reply = await emu.wait_for_reply_to(sent)

    embeds = embeds_of(reply)
    assert len(embeds) == 1
    assert "fiverr" in embed_text(embeds[0]).lower()
    assert reply.json["allowed_mentions"]["parse"] == []
    assert emu.pings_of(reply.response) == set()
    rows = gigguard.warnings(message_id=int(sent["id"]))
    assert len(rows) == 1
    assert rows[0]["user_id"] == member.user.id
    assert rows[0]["guild_id"] == gigguard.guild.id
    assert rows[0]["channel_id"] == gigguard.general.id
    assert "WhatsApp number" not in rows[0]["snippet"], "the message itself is never stored"


async def test_a_rule_question_gets_an_answer_and_no_warning(gigguard: Harness) -> None:
    emu = gigguard.emu
    channel = await gigguard.channel()
    sent = await emu.post_message(channel, await gigguard.member(), ASKS)

    reply = await emu.wait_for_reply_to(sent)

    assert embeds_of(reply), "the answer carries the policy embed"
    assert emu.pings_of(reply.response) == set()
    assert gigguard.warnings(message_id=int(sent["id"])) == []


async def test_a_look_alike_gets_no_reply(gigguard: Harness) -> None:
    emu = gigguard.emu
    channel = await gigguard.channel()
    sent = await emu.post_message(channel, await gigguard.member(), LOOKALIKE)

    await emu.expect_no_call("POST", rf"/channels/{channel.id}/messages", within=1.0)
    assert gigguard.warnings(message_id=int(sent["id"])) == []


async def test_an_edit_that_adds_contact_advice_is_warned_exactly_once(gigguard: Harness) -> None:
    emu = gigguard.emu
    sent = await emu.post_message(gigguard.general, await gigguard.member(), "any tips for a first gig?")
    await emu.expect_no_reply_to(sent, within=0.5)
    await emu.edit_message(sent, f"any tips for a first gig? {ENCOURAGES}")
    await emu.wait_for_reply_to(sent)
    mark = emu.mark()

    await emu.edit_message(sent, f"any tips for a first gig? {ENCOURAGES}")  # the same edit again
    await emu.edit_message(sent, f"any tips for a first gig?? {ENCOURAGES}")  # and a small change

    await emu.expect_no_reply_to(sent, since=mark, within=1.0)
    assert len(emu.replies_to(sent)) == 1
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1


async def test_mention_injection_cannot_make_the_bot_ping(gigguard: Harness) -> None:
    emu = gigguard.emu
    text = f"@everyone @here {gigguard.mod_role.mention} {gigguard.moderator.user.mention} {ENCOURAGES}"
    sent = await emu.post_message(gigguard.general, await gigguard.member(), text)

    reply = await emu.wait_for_reply_to(sent)

    assert reply.json["allowed_mentions"]["parse"] == []
    assert not reply.json["allowed_mentions"].get("replied_user")
    assert emu.pings_of(reply.response) == set()


async def test_other_bots_are_ignored(gigguard: Harness) -> None:
    emu = gigguard.emu
    other_bot = emu.world.add_user("OtherBot", bot=True)
    emu.world.add_member(gigguard.guild, other_bot)
    channel = await gigguard.channel()
    await emu.post_message(channel, other_bot, ENCOURAGES)
    await emu.expect_no_call("POST", rf"/channels/{channel.id}/messages", within=1.0)


async def test_the_token_never_reaches_the_log(gigguard: Harness) -> None:
    assert "GigGuard ready as" in gigguard.bot.log
    assert FAKE_TOKEN not in gigguard.bot.log
    assert FAKE_TOKEN.split(".")[-1] not in gigguard.bot.log
