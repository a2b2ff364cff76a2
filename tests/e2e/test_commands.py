"""The real bot's application commands: /policy, /checkdraft (text and modal), the message context menu."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ENCOURAGES, MODAL, Harness, answer_to

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]

DRAFT = "Hi! Thanks for the order. my email is sam.design@gmail.com if you want to send files"


async def test_commands_are_synced_to_the_dev_server(gigguard: Harness) -> None:
    synced = gigguard.emu.world.commands.get(gigguard.guild.id, [])
    names = {(command["name"], command.get("type", 1)) for command in synced}
    assert {("policy", 1), ("checkdraft", 1), ("Check for off-platform contact", 3)} <= names


async def test_policy_is_private_by_default(gigguard: Harness) -> None:
    emu = gigguard.emu
    interaction = await emu.slash_command(
        "policy",
        channel=gigguard.general,
        member=await gigguard.member(),
        options={"topic": "email", "platform": "fiverr"},
    )
    answer = await answer_to(emu, interaction)

    assert answer.ephemeral
    assert answer.data.get("embeds"), "the policy comes as an embed"
    assert "email" in answer.text.lower()


async def test_policy_can_be_posted_publicly(gigguard: Harness) -> None:
    emu = gigguard.emu
    interaction = await emu.slash_command(
        "policy",
        channel=gigguard.general,
        member=await gigguard.member(),
        options={"topic": "payments", "platform": "fiverr", "public": True},
    )
    answer = await answer_to(emu, interaction)

    assert not answer.ephemeral
    assert answer.data["allowed_mentions"]["parse"] == []


async def test_checkdraft_with_text_answers_privately_and_stores_nothing(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    interaction = await emu.slash_command(
        "checkdraft", channel=gigguard.general, member=member, options={"text": DRAFT}
    )
    answer = await answer_to(emu, interaction)

    assert answer.ephemeral
    assert answer.text.strip(), "the member gets a verdict"
    assert gigguard.warnings(user_id=member.user.id) == []
    assert "sam.design@gmail.com" not in gigguard.bot.log, "drafts are never logged"


async def test_checkdraft_without_text_opens_a_modal_then_answers_privately(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    opened = await emu.slash_command("checkdraft", channel=gigguard.general, member=member)
    callback = await emu.wait_for_interaction_response(opened)
    assert callback.json["type"] == MODAL

    submitted = await emu.submit_modal(opened, DRAFT)
    answer = await answer_to(emu, submitted)

    assert answer.ephemeral
    assert answer.text.strip()
    assert gigguard.warnings(user_id=member.user.id) == []


async def test_context_menu_checks_a_message_privately(gigguard: Harness) -> None:
    emu = gigguard.emu
    target = await emu.post_message(gigguard.general, await gigguard.member(), ENCOURAGES)
    interaction = await emu.message_command(
        "Check for off-platform contact", target=target, channel=gigguard.general, member=gigguard.moderator
    )
    answer = await answer_to(emu, interaction)

    assert answer.ephemeral
    assert answer.text.strip()
