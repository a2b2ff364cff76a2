"""The real bot's moderator toolkit: the mod-log post, /warnings, /pardon and the review buttons."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.emulator import Channel
from tests.e2e.conftest import ENCOURAGES, Harness, embed_text, embeds_of
from tests.e2e.test_commands import answer_to

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


async def warned(gigguard: Harness) -> tuple[Any, dict[str, Any], Any, int]:
    """A fresh member posts advice; (member, their message, the bot's reply call, the warning id)."""
    member = await gigguard.member()
    sent = await gigguard.emu.post_message(gigguard.general, member, ENCOURAGES)
    reply = await gigguard.emu.wait_for_reply_to(sent)
    [row] = gigguard.warnings(message_id=int(sent["id"]))
    return member, sent, reply, int(row["id"])


def modlog_posts(gigguard: Harness, channel: Channel, since: int = 0) -> list[Any]:
    return gigguard.emu.calls_matching("POST", rf"/channels/{channel.id}/messages", since=since)


async def next_modlog_post(gigguard: Harness, channel: Channel, since: int, title: str) -> Any:
    return await gigguard.emu.wait_for_call(
        "POST",
        rf"/channels/{channel.id}/messages",
        since=since,
        predicate=lambda call: any(e.get("title", "").startswith(title) for e in embeds_of(call)),
    )


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [button["custom_id"] for row in message.get("components", []) for button in row["components"]]


async def test_a_warning_is_posted_to_the_modlog_without_pinging_anyone(
    gigguard: Harness, modlog: Channel
) -> None:
    mark = gigguard.emu.mark()
    member, sent, _, warning_id = await warned(gigguard)

    post = await next_modlog_post(gigguard, modlog, mark, "Warning")

    [embed] = embeds_of(post)
    text = embed_text(embed)
    assert f"#{warning_id}" in embed["title"]
    assert str(member.user.id) in text
    assert f"/channels/{gigguard.guild.id}/{gigguard.general.id}/{sent['id']}" in text
    # The detector's reason quotes the one clause that weighed most (contacts masked), no more.
    [why] = [field["value"] for field in embed["fields"] if field["name"] == "Why"]
    assert "most telling" in why
    assert len(why) <= 200
    assert post.json["allowed_mentions"]["parse"] == []
    assert gigguard.emu.pings_of(post.response) == set()
    assert custom_ids(post.response) == [f"gigguard:dismiss:{warning_id}"]


async def test_warnings_list_then_pardon(gigguard: Harness) -> None:
    emu = gigguard.emu
    member, _, _, warning_id = await warned(gigguard)

    listing = await answer_to(
        emu,
        await emu.slash_command(
            "warnings list", channel=gigguard.general, member=gigguard.moderator, options={"member": member}
        ),
    )
    assert listing.ephemeral
    assert f"#{warning_id} · active" in listing.text

    pardon = await answer_to(
        emu,
        await emu.slash_command(
            "pardon",
            channel=gigguard.general,
            member=gigguard.moderator,
            options={"warning_id": warning_id, "reason": "first time, explained in DM"},
        ),
    )
    assert pardon.ephemeral
    assert f"Pardoned warning #{warning_id}" in pardon.text
    [row] = gigguard.warnings(id=warning_id)
    assert (row["status"], row["status_by"], row["status_reason"]) == (
        "pardoned",
        gigguard.moderator.user.id,
        "first time, explained in DM",
    )

    mine = await answer_to(
        emu, await emu.slash_command("mywarnings", channel=gigguard.general, member=member)
    )
    assert mine.ephemeral
    assert f"#{warning_id} · pardoned" in mine.text


async def test_a_member_cannot_pardon(gigguard: Harness) -> None:
    emu = gigguard.emu
    member, _, _, warning_id = await warned(gigguard)
    refused = await answer_to(
        emu,
        await emu.slash_command(
            "pardon",
            channel=gigguard.general,
            member=member,
            options={"warning_id": warning_id, "reason": "me"},
        ),
    )
    assert refused.ephemeral
    assert "Manage Messages" in refused.text
    assert gigguard.warnings(id=warning_id)[0]["status"] == "active"


async def test_review_buttons_dispute_then_dismiss(gigguard: Harness, modlog: Channel) -> None:
    emu = gigguard.emu
    member, _, reply, warning_id = await warned(gigguard)
    message = reply.response
    assert custom_ids(message) == [f"gigguard:dismiss:{warning_id}", f"gigguard:dispute:{warning_id}"]

    # Someone else cannot dispute it, and a member cannot dismiss it.
    bystander = await gigguard.member()
    not_theirs = await answer_to(
        emu, await emu.click_component(message, f"gigguard:dispute:{warning_id}", member=bystander)
    )
    assert not_theirs.ephemeral
    assert "Only the member who was warned" in not_theirs.text
    not_a_mod = await answer_to(
        emu, await emu.click_component(message, f"gigguard:dismiss:{warning_id}", member=member)
    )
    assert "Manage Messages" in not_a_mod.text

    mark = emu.mark()
    disputed = await answer_to(
        emu, await emu.click_component(message, f"gigguard:dispute:{warning_id}", member=member)
    )
    assert disputed.ephemeral
    assert "moderators will review" in disputed.text
    review = await next_modlog_post(gigguard, modlog, mark, "Review requested")
    assert review.json["allowed_mentions"]["parse"] == []

    dismissed = await answer_to(
        emu, await emu.click_component(message, f"gigguard:dismiss:{warning_id}", member=gigguard.moderator)
    )
    assert dismissed.ephemeral
    assert f"Dismissed warning #{warning_id}" in dismissed.text
    [row] = gigguard.warnings(id=warning_id)
    assert (row["status"], row["status_by"]) == ("dismissed", gigguard.moderator.user.id)
    assert row["review_requested_at"] is not None
    await next_modlog_post(gigguard, modlog, mark, "Not a violation")
