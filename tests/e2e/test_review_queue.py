"""The real bot's review queue: unsure advice in the mod-log with Confirm / Dismiss, autocomplete
of free-text settings and warning ids, and the labelled JSONL export."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from devtools.emulator import Channel
from tests.e2e.conftest import (
    ENCOURAGES,
    FOR_REVIEW,
    FOR_REVIEW_PLAIN,
    Harness,
    answer_to,
    embed_text,
    embeds_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {field["name"]: field["value"] for field in embed.get("fields", [])}


def buttons(message: dict[str, Any]) -> list[str]:
    return [button["custom_id"] for row in message.get("components", []) for button in row["components"]]


async def sent_for_review(
    gigguard: Harness, modlog: Channel, text: str = FOR_REVIEW
) -> tuple[Any, dict, Any]:
    """A fresh member posts unsure advice: (the member, their message, the mod-log post call)."""
    emu = gigguard.emu
    mark = emu.mark()
    member = await gigguard.member()
    sent = await emu.post_message(gigguard.general, member, text)
    post = await emu.wait_for_call(
        "POST",
        rf"/channels/{modlog.id}/messages",
        since=mark,
        predicate=lambda call: any(e.get("title", "").startswith("For review") for e in embeds_of(call)),
    )
    return member, sent, post


async def test_unsure_advice_is_a_review_item_that_says_what_happened(
    gigguard: Harness, modlog: Channel
) -> None:
    member, sent, post = await sent_for_review(gigguard, modlog)

    [item] = gigguard.review_items(message_id=int(sent["id"]))
    [embed] = embeds_of(post)
    shown = fields(embed)
    assert shown["Platform"] == "Fiverr"
    assert shown["Topic"] == "Email addresses (Fiverr) [email]"
    assert shown["Rules"] == "Email address [contact.email]"  # a human name, the id after it
    assert shown["Action"].startswith("For review")
    assert shown["Confidence"].endswith("%")
    assert "most telling" in shown["Why"]
    assert "sam.design" not in embed_text(embed), "contact details are masked"
    assert "s\\*\\*\\*@g\\*\\*\\*.com" in shown["What was found"]
    assert f"/channels/{gigguard.guild.id}/{gigguard.general.id}/{sent['id']}" in shown["Message"]
    assert post.json["allowed_mentions"]["parse"] == []
    assert buttons(post.response) == [
        f"gigguard:review-confirm:{item['id']}",
        f"gigguard:review-dismiss:{item['id']}",
    ]
    # Nothing is recorded about the member, and they see nothing.
    assert gigguard.warnings(message_id=int(sent["id"])) == []
    assert item["user_id"] == member.user.id
    assert item["decision"] is None
    assert item["text"] is None, "no message text without the server's opt-in"
    await gigguard.emu.expect_no_reply_to(sent)


async def test_confirm_records_the_warning_and_answers_the_member_once(
    gigguard: Harness, modlog: Channel
) -> None:
    emu = gigguard.emu
    member, sent, post = await sent_for_review(gigguard, modlog)
    [item] = gigguard.review_items(message_id=int(sent["id"]))
    confirm = f"gigguard:review-confirm:{item['id']}"

    # A member (here: the author) cannot decide.
    refused = await answer_to(emu, await emu.click_component(post.response, confirm, member=member))
    assert refused.ephemeral
    assert "Manage Messages" in refused.text
    assert gigguard.review_items(id=item["id"])[0]["decision"] is None
    assert gigguard.warnings(message_id=int(sent["id"])) == []

    mark = emu.mark()
    done = await answer_to(emu, await emu.click_component(post.response, confirm, member=gigguard.moderator))
    assert done.ephemeral
    [warning] = gigguard.warnings(message_id=int(sent["id"]))
    assert f"warning #{warning['id']} recorded" in done.text
    assert "answered with the policy" in done.text
    # Recorded as an automatic warning would be: who, where, what, with its topic and every rule.
    assert (warning["user_id"], warning["status"], warning["topic"]) == (member.user.id, "active", "email")
    assert json.loads(warning["rule_ids"]) == ["contact.email"]
    decided = gigguard.review_items(id=item["id"])[0]
    assert (decided["decision"], decided["decided_by"], decided["warning_id"]) == (
        "confirmed",
        gigguard.moderator.user.id,
        warning["id"],
    )
    # The member's message gets the policy reply (no ping), with the warning's buttons.
    reply = await emu.wait_for_reply_to(sent)
    assert reply.json["allowed_mentions"]["parse"] == []
    assert "Keep it on Fiverr" in embed_text(embeds_of(reply)[0])
    assert f"gigguard:dismiss:{warning['id']}" in buttons(reply.response)
    # The mod-log gets the warning entry, and the review post shows the decision without buttons.
    await emu.wait_for_call(
        "POST",
        rf"/channels/{modlog.id}/messages",
        since=mark,
        predicate=lambda call: any(
            e.get("title", "") == f"Warning · #{warning['id']}" for e in embeds_of(call)
        ),
    )
    edit = await emu.wait_for_call(
        "PATCH", rf"/channels/{modlog.id}/messages/{post.response['id']}", since=mark
    )
    assert embeds_of(edit)[0]["title"].startswith("Confirmed")
    assert buttons(edit.response) == [confirm, f"gigguard:review-dismiss:{item['id']}"], "kept for others"

    again = await answer_to(emu, await emu.click_component(post.response, confirm, member=gigguard.moderator))
    assert again.ephemeral
    assert "already decided: confirmed" in again.text
    assert len(gigguard.warnings(message_id=int(sent["id"]))) == 1
    assert len(emu.replies_to(sent)) == 1, "the member is answered once"


async def test_confirm_when_the_message_is_gone_still_records(gigguard: Harness, modlog: Channel) -> None:
    emu = gigguard.emu
    member, sent, post = await sent_for_review(gigguard, modlog, FOR_REVIEW_PLAIN)
    [item] = gigguard.review_items(message_id=int(sent["id"]))
    await emu.delete_message(sent)

    done = await answer_to(
        emu,
        await emu.click_component(
            post.response, f"gigguard:review-confirm:{item['id']}", member=gigguard.moderator
        ),
    )

    assert "message is gone" in done.text
    [warning] = gigguard.warnings(message_id=int(sent["id"]))
    assert warning["user_id"] == member.user.id
    assert json.loads(warning["rule_ids"]) == ["model.advice"], "advice judged from its wording alone"
    assert emu.replies_to(sent) == []


async def test_dismiss_closes_the_item_and_records_nothing_about_the_member(
    gigguard: Harness, modlog: Channel
) -> None:
    emu = gigguard.emu
    member, sent, post = await sent_for_review(gigguard, modlog)
    [item] = gigguard.review_items(message_id=int(sent["id"]))
    dismiss = f"gigguard:review-dismiss:{item['id']}"

    refused = await answer_to(emu, await emu.click_component(post.response, dismiss, member=member))
    assert "Manage Messages" in refused.text

    mark = emu.mark()
    done = await answer_to(emu, await emu.click_component(post.response, dismiss, member=gigguard.moderator))
    assert done.ephemeral
    assert f"Dismissed review item {item['id']}" in done.text
    decided = gigguard.review_items(id=item["id"])[0]
    assert (decided["decision"], decided["decided_by"]) == ("dismissed", gigguard.moderator.user.id)
    assert gigguard.warnings(message_id=int(sent["id"])) == []
    edit = await emu.wait_for_call(
        "PATCH", rf"/channels/{modlog.id}/messages/{post.response['id']}", since=mark
    )
    assert embeds_of(edit)[0]["title"].startswith("Dismissed")

    again = await answer_to(
        emu,
        await emu.click_component(
            post.response, f"gigguard:review-confirm:{item['id']}", member=gigguard.moderator
        ),
    )
    assert "already decided: dismissed" in again.text
    assert gigguard.warnings(message_id=int(sent["id"])) == []
    await emu.expect_no_reply_to(sent)


# ---- autocomplete and validation of free-text options ------------------------------------------


async def test_shadow_target_autocompletes_human_names_and_refuses_unknown_targets(gigguard: Harness) -> None:
    emu = gigguard.emu
    suggest = await emu.autocomplete(
        "gigguard config shadow",
        channel=gigguard.general,
        member=gigguard.moderator,
        focused="target",
        typed="pay",
    )
    choices = {choice["value"]: choice["name"] for choice in await emu.choices_for(suggest)}
    assert choices["payments"] == "Topic: Payments outside the platform [payments]"
    assert choices["contact.link-payment"] == "Rule: Payment link (PayPal, Wise...) [contact.link-payment]"

    rules = await emu.autocomplete(
        "gigguard config shadow",
        channel=gigguard.general,
        member=gigguard.moderator,
        focused="target",
        typed="email",
    )
    assert {"contact.email": "Rule: Email address [contact.email]"}.items() <= {
        c["value"]: c["name"] for c in await emu.choices_for(rules)
    }.items()

    typo = await answer_to(
        emu,
        await emu.slash_command(
            "gigguard config shadow",
            channel=gigguard.general,
            member=gigguard.moderator,
            options={"target": "paymnts", "enabled": True},
        ),
    )
    assert typo.ephemeral
    assert "Nothing was changed" in typo.text
    assert "Did you mean Topic: Payments outside the platform [payments]?" in typo.text


async def test_platforms_are_validated_and_autocompleted(gigguard: Harness) -> None:
    emu = gigguard.emu
    suggest = await emu.autocomplete(
        "gigguard config set",
        channel=gigguard.general,
        member=gigguard.moderator,
        focused="platforms",
        typed="fiverr,up",
    )
    assert await emu.choices_for(suggest) == [{"name": "Fiverr, Upwork", "value": "fiverr,upwork"}]

    refused = await answer_to(
        emu,
        await emu.slash_command(
            "gigguard config set",
            channel=gigguard.general,
            member=gigguard.moderator,
            options={"platforms": "fiverr, upwrok"},
        ),
    )
    assert "Nothing was changed: unknown platform 'upwrok' (did you mean 'upwork'?" in refused.text


async def test_pardon_autocompletes_this_servers_latest_warnings(gigguard: Harness) -> None:
    emu = gigguard.emu
    member = await gigguard.member()
    ids = []
    for text in (ENCOURAGES, ENCOURAGES + " today"):
        sent = await emu.post_message(gigguard.general, member, text)
        await emu.wait_until(
            lambda sent=sent: gigguard.warnings(message_id=int(sent["id"])), what="a warning"
        )
        ids.append(gigguard.warnings(message_id=int(sent["id"]))[0]["id"])

    suggest = await emu.autocomplete(
        "pardon", channel=gigguard.general, member=gigguard.moderator, focused="warning_id", typed=""
    )
    choices = await emu.choices_for(suggest)
    assert [c["value"] for c in choices[:2]] == [ids[1], ids[0]], "latest first"
    assert choices[0]["name"].startswith(f"#{ids[1]} · ")
    assert "Messenger" in choices[0]["name"] or "Advice" in choices[0]["name"], "a human description"

    # Typing narrows by number; members get no suggestions at all.
    narrowed = await emu.autocomplete(
        "pardon", channel=gigguard.general, member=gigguard.moderator, focused="warning_id", typed=str(ids[0])
    )
    assert ids[0] in [c["value"] for c in await emu.choices_for(narrowed)]
    as_member = await emu.autocomplete(
        "pardon", channel=gigguard.general, member=member, focused="warning_id", typed=""
    )
    assert await emu.choices_for(as_member) == []


# ---- the labelled export --------------------------------------------------------------------


@pytest_asyncio.fixture(loop_scope="package")
async def training_data(gigguard: Harness) -> AsyncIterator[None]:
    """The server opts in to labelled training data; out again afterwards (its texts are deleted)."""
    yield None
    await answer_to(
        gigguard.emu,
        await gigguard.emu.slash_command(
            "gigguard config set",
            channel=gigguard.general,
            member=gigguard.moderator,
            options={"training_data": False},
        ),
    )


async def export_lines(gigguard: Harness) -> tuple[Any, list[dict[str, Any]]]:
    emu = gigguard.emu
    mark = emu.mark()
    interaction = await emu.slash_command(
        "gigguard export", channel=gigguard.general, member=gigguard.moderator, options={"format": "jsonl"}
    )
    answer = await answer_to(emu, interaction)
    uploads = [f for call in emu.calls[mark:] for f in call.files]
    lines = [json.loads(line) for _, data in uploads for line in data.decode("utf-8").splitlines()]
    return answer, lines


async def decide(gigguard: Harness, post: Any, item_id: int, decision: str) -> None:
    await answer_to(
        gigguard.emu,
        await gigguard.emu.click_component(
            post.response, f"gigguard:review-{decision}:{item_id}", member=gigguard.moderator
        ),
    )


async def test_labelled_export_is_opt_in_and_masks_contact_details(
    gigguard: Harness, modlog: Channel, training_data: None
) -> None:
    emu = gigguard.emu
    # Off (the default): nothing is kept, and the export says how to turn it on.
    _, before, post = await sent_for_review(gigguard, modlog)
    [unlabelled] = gigguard.review_items(message_id=int(before["id"]))
    await decide(gigguard, post, unlabelled["id"], "dismiss")
    refused, lines = await export_lines(gigguard)
    assert "labelled export is off" in refused.text
    assert lines == []

    turned_on = await answer_to(
        emu,
        await emu.slash_command(
            "gigguard config set",
            channel=gigguard.general,
            member=gigguard.moderator,
            options={"training_data": True},
        ),
    )
    assert "Labelled training data on" in turned_on.text

    _, confirmed_msg, confirmed_post = await sent_for_review(gigguard, modlog)
    [confirmed] = gigguard.review_items(message_id=int(confirmed_msg["id"]))
    await decide(gigguard, confirmed_post, confirmed["id"], "confirm")
    _, dismissed_msg, dismissed_post = await sent_for_review(gigguard, modlog, FOR_REVIEW_PLAIN)
    [dismissed] = gigguard.review_items(message_id=int(dismissed_msg["id"]))
    await decide(gigguard, dismissed_post, dismissed["id"], "dismiss")

    answer, lines = await export_lines(gigguard)
    assert answer.ephemeral
    by_id = {line["id"]: line for line in lines}
    assert f"review-{unlabelled['id']}" not in by_id, "decided before the opt-in: no text, no line"
    line = by_id[f"review-{confirmed['id']}"]
    assert line["label"] == "encourages"
    assert (line["platform"], line["topic"], line["rule_ids"]) == ("fiverr", "email", ["contact.email"])
    assert line["text"] == "my clients write to s***@g***.com", "the contact is masked"
    assert line["decided_at"].endswith("Z")
    negative = by_id[f"review-{dismissed['id']}"]
    assert (negative["label"], negative["text"]) == ("none", FOR_REVIEW_PLAIN)
    assert negative["rule_ids"] == ["model.advice"]
    assert "sam.design" not in json.dumps(lines)
