"""rules.topics: the stage and purpose a message describes, and what the packs allow at each stage."""

from __future__ import annotations

import pytest

from rules import Engine
from rules.model import PHASES
from rules.policy import PackError
from rules.topics import beyond_the_deal, phase_of, purpose_of


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("can i share my email with an upwork client before the contract starts?", "before"),
        ("in my proposal can i put my github", "before"),
        ("he hasn't hired me yet but wants my skype", "before"),
        ("my upwork contract started yesterday, is it ok to move our calls to zoom now?", "after"),
        ("once the contract is active can we use slack", "after"),
        ("during the order the buyer asked for my login", "after"),
        ("the order is in progress and he wants a call", "after"),
        ("after the first order move them to whatsapp", None),
        ("what's everyone's favourite font", None),
    ],
)
def test_phase_is_the_stage_the_text_describes(text: str, phase: str | None) -> None:
    assert phase_of(text) == phase


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        ("can we move our calls to zoom", "talk"),
        ("he wants my email for quickbooks access", "access"),
        ("can i send the files through google drive", "files"),
        ("buyer wants to pay by paypal for the next call", "payment"),
        ("nice weather today", None),
    ],
)
def test_purpose_prefers_payment_then_access_files_talk(text: str, purpose: str | None) -> None:
    assert purpose_of(text) == purpose


@pytest.mark.parametrize(
    "text",
    [
        "after the first order move them to whatsapp",
        "for future projects just work directly",
        "contract started, now take it outside and skip the fee",
    ],
)
def test_later_work_and_going_around_the_platform_are_never_a_stage_exception(text: str) -> None:
    assert beyond_the_deal(text)


def test_every_pack_states_both_stages_for_every_contact_topic(engine: Engine) -> None:
    for pack in engine.packs.values():
        for topic_id in ("email", "messaging", "phone", "calls", "links", "payments"):
            topic = pack.topics[topic_id]
            assert set(topic.stages) == set(PHASES), f"{pack.id}.{topic_id}"
            assert not topic.allows("after", "payment"), f"{pack.id}: payment is never allowed"


def test_upwork_allows_talk_after_the_contract_starts_and_fiverr_does_not_before_an_order(
    engine: Engine,
) -> None:
    upwork_email = engine.topic("upwork", "email")
    assert upwork_email.allows("after", "talk")
    assert not upwork_email.allows("before", "talk")
    assert upwork_email.allows("before", "access")  # system access for scoping
    assert not engine.topic("fiverr", "email").allows("before", "access")
    assert not engine.topic("freelancer", "messaging").allows("after", "talk")


def test_a_question_gets_the_rule_for_the_stage_it_describes(engine: Engine) -> None:
    before = engine.community(
        "Can I share my email with an Upwork client before the contract starts?", ["fiverr"]
    )
    assert (before.action, before.platform, before.topic, before.phase) == (
        "answer",
        "upwork",
        "email",
        "before",
    )
    assert "Before a contract starts" in (engine.topic("upwork", "email").answer_for(before.phase) or "")

    after = engine.community(
        "My Upwork contract started yesterday, is it ok to move our calls to Zoom now?", ["fiverr"]
    )
    assert (after.action, after.platform, after.phase, after.purpose) == ("answer", "upwork", "after", "talk")
    answer = engine.topic("upwork", after.topic or "calls").answer_for("after") or ""
    assert answer.startswith("Yes, once the contract has started")
    assert "Payments stay on Upwork" in answer


def test_advice_allowed_at_its_stage_is_not_warned(engine: Engine) -> None:
    allowed = engine.community(
        "upwork contract is active now so just move the daily talk to slack", ["fiverr"]
    )
    assert allowed.platform == "upwork"
    assert allowed.action != "warn"
    # The same stage with payment, or with later work, is still a warning.
    paid = engine.community("upwork contract is active now so just take the payments to paypal", ["fiverr"])
    assert paid.action == "warn"
    later = engine.community(
        "after the first upwork contract move the client to slack and skip fees", ["fiverr"]
    )
    assert later.action == "warn"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("moving my Fiverr buyer to Upwork, just send him an invite", "fiverr", id="from-fiverr"),
        pytest.param("take your upwork clients over to fiverr, lower fees", "upwork", id="from-upwork"),
        pytest.param("bring your Fiverr buyers onto PeoplePerHour", "fiverr", id="onto"),
        pytest.param("fiverr -> upwork, same client, no fees lol", "fiverr", id="arrow"),
    ],
)
def test_a_message_naming_two_platforms_is_about_the_one_business_leaves(
    engine: Engine, text: str, expected: str
) -> None:
    assert engine.community(text, ["peopleperhour"]).platform == expected


def test_an_unknown_default_platform_is_an_error_with_a_suggestion(engine: Engine) -> None:
    with pytest.raises(PackError, match=r"unknown platform 'fivver' \(did you mean 'fiverr'\?"):
        Engine(engine.packs, "fivver", engine.model)
