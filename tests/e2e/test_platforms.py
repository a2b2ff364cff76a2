"""The real bot on a server that follows Fiverr: messages about another platform get that
platform's rules, for the stage of the deal they describe, and warnings are recorded under it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness, embed_text, embeds_of

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


async def test_an_upwork_question_after_the_contract_started_gets_upworks_answer_for_that_stage(
    gigguard: Harness,
) -> None:
    emu = gigguard.emu
    channel = await gigguard.channel()
    sent = await emu.post_message(
        channel,
        await gigguard.member(),
        "My Upwork contract started yesterday, is it ok to move our calls to Zoom now?",
    )

    reply = await emu.wait_for_reply_to(sent)

    [embed] = embeds_of(reply)
    text = embed_text(embed)
    assert embed["title"].startswith("Upwork rules")
    assert "This server follows Fiverr; your message is about Upwork" in text
    assert "Yes, once the contract has started" in text
    assert "Payments stay on Upwork" in text
    assert gigguard.warnings(message_id=int(sent["id"])) == []


async def test_an_upwork_question_before_the_contract_gets_the_before_rule(gigguard: Harness) -> None:
    emu = gigguard.emu
    channel = await gigguard.channel()
    sent = await emu.post_message(
        channel,
        await gigguard.member(),
        "Can I share my email with an Upwork client before the contract starts?",
    )

    reply = await emu.wait_for_reply_to(sent)

    text = embed_text(embeds_of(reply)[0])
    assert "Before a contract starts, no email addresses" in text
    assert "Fiverr" not in embeds_of(reply)[0]["title"]


async def test_advice_about_upwork_payments_is_recorded_as_an_upwork_warning(gigguard: Harness) -> None:
    emu = gigguard.emu
    sent = await emu.post_message(
        gigguard.general,
        await gigguard.member(),
        "tell your upwork client to pay you on paypal after the first milestone, saves you the fee",
    )

    reply = await emu.wait_for_reply_to(sent)

    assert "Upwork" in embeds_of(reply)[0]["title"]
    [row] = gigguard.warnings(message_id=int(sent["id"]))
    assert row["platform"] == "upwork"
