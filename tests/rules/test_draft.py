"""rules.draft through Engine.draft: violations, their look-alikes, and the compliant rewrite."""

from __future__ import annotations

import random
from typing import Any

import pytest
import regex

from rules import Engine
from rules.draft import clause_spans, is_deliverable_detail


def gap(reason: str) -> pytest.MarkDecorator:
    """A case a member or moderator would expect to pass that the engine still gets wrong."""
    return pytest.mark.xfail(strict=True, reason=reason)


def _found(cases: list[Any]) -> list[Any]:
    """The cases the engine already judges right: the rewrite checks only make sense for them."""
    return [case for case in cases if not case.marks]


# (draft, policy topic, contact detail that must never reach the rewrite; "" when there is none)
VIOLATIONS = [
    pytest.param(
        "Hi! Send the logo files to lena.prints@outlook.com and I'll start today",
        "email",
        "lena.prints@outlook.com",
        id="email-plain",
    ),
    pytest.param("write to me at anna dot k at mail dot com", "email", "anna dot k", id="email-spelled"),
    pytest.param(
        "Thanks Anna! My email is anna.k@mail.com if that's easier",
        "email",
        "anna.k@mail.com",
        id="email-offer",
    ),
    pytest.param("Could you share your email so I can send the invoice?", "email", "", id="asks-for-email"),
    pytest.param(
        "You can reach me on +44 7700 900431 if anything is unclear", "phone", "7700 900431", id="phone-intl"
    ),
    pytest.param("Here's my number: 0300 1234567", "phone", "1234567", id="phone-national"),
    pytest.param(
        "text me: zero seven seven zero zero nine zero zero four three one",
        "phone",
        "zero seven seven zero zero nine",
        id="phone-spelled",
    ),
    pytest.param("What's your WhatsApp? It's quicker to chat there", "messaging", "", id="asks-for-whatsapp"),
    pytest.param(
        "Great talking to you. Add me on Skype: mika.draws22. Looking forward!",
        "messaging",
        "mika.draws22",
        id="skype-handle",
    ),
    pytest.param(
        "Let's continue this on Telegram, my handle is @mika_draws",
        "messaging",
        "@mika_draws",
        id="telegram-handle",
    ),
    pytest.param(
        "Once this order is done, message me on WhatsApp for future work",
        "messaging",
        "",
        id="after-order-whatsapp",
    ),
    pytest.param(
        "Find me on insta @mika.draws for more samples",
        "links",
        "@mika.draws",
        id="instagram-handle",
        marks=gap("an Instagram handle maps to the messaging topic instead of links and profiles"),
    ),
    pytest.param("Check my other work on mikadraws.com", "links", "mikadraws.com", id="personal-site"),
    pytest.param(
        "Check my other work at mikadraws.com",
        "links",
        "mikadraws.com",
        id="personal-site-after-at",
    ),
    pytest.param(
        "Book a slot on calendly.com/mika/intro and we'll talk", "calls", "calendly.com/mika", id="calendly"
    ),
    pytest.param(
        "Pay me through paypal.me/mikadraws and I'll give you 10% off",
        "payments",
        "paypal.me/mikadraws",
        id="paypal-me",
    ),
    pytest.param("Please send payment to my PayPal, it's faster", "payments", "", id="paypal-word"),
    pytest.param(
        "Send the USDT to 0x52908400098527886E0F7030069857D2E4169EE7 please",
        "payments",
        "0x52908400098527886e0f7030069857d2e4169ee7",
        id="crypto-wallet",
    ),
    pytest.param(
        "If you cancel this order and pay me directly we both save the fees",
        "payments",
        "",
        id="cancel-and-pay",
    ),
    pytest.param(
        "I can give you a discount if we do the next project outside Fiverr",
        "after_order",
        "",
        id="next-project-outside",
    ),
]

OK = [
    pytest.param("Thanks for the order! I'll deliver the first draft on Friday", id="order-talk"),
    pytest.param("Could you upload the brief in the order page? I'll start right away", id="order-page"),
    pytest.param("Please send the reference images through the order page", id="files-through-order"),
    pytest.param("Revisions are unlimited, just message me here", id="message-me-here"),
    pytest.param("I'd love to help! Please place the order and we'll go from there", id="place-the-order"),
    # the words used harmlessly
    pytest.param("The email template you ordered is attached to the delivery", id="email-template"),
    pytest.param("I'll write 5 cold emails for your campaign as part of the package", id="cold-emails"),
    pytest.param("The WhatsApp sticker pack you ordered is in the delivery", id="whatsapp-stickers"),
    pytest.param("The PayPal button on your site is now working", id="paypal-button"),
    pytest.param("Your Instagram carousel designs are attached to the order", id="instagram-designs"),
    pytest.param("I added your phone number to the website footer as you asked", id="phone-in-footer"),
    pytest.param("I'll add your phone mockup to the website design", id="phone-mockup"),
    pytest.param(
        "The contact form on your new site sends to your email as requested",
        id="contact-form-work",
    ),
    pytest.param(
        "my gig is at fiverr.com/mika/logo-design if you want the bigger package",
        id="own-gig-link",
    ),
    pytest.param(
        "I'm looking at yahoo answers for ideas on the slogan",
        id="looking-at-yahoo",
    ),
    # polite refusals
    pytest.param("I can't share my WhatsApp, but let's keep chatting here on Fiverr", id="refuse-whatsapp"),
    pytest.param(
        "Sorry, I'm not able to take payment outside Upwork, please use the milestone", id="refuse-pay"
    ),
    pytest.param("I'd rather keep everything in the Fiverr inbox so we're both protected", id="prefer-inbox"),
    pytest.param(
        "Sorry, Fiverr doesn't allow me to share my phone number, but I'm always available here",
        id="refuse-phone",
    ),
    pytest.param("I'm not able to move to Telegram, let's keep it on Upwork", id="refuse-telegram"),
    # the platform's own call features
    pytest.param(
        "We can hop on a Fiverr call using the built-in call feature if that helps", id="fiverr-call"
    ),
    pytest.param("Happy to do a Zoom call through Upwork's meeting tool", id="upwork-zoom"),
    pytest.param(
        "Let's schedule a Zoom meeting through Upwork so it stays on the contract", id="upwork-meeting"
    ),
    pytest.param("You can start a Fiverr call with me from the inbox anytime", id="call-from-inbox"),
]


@pytest.mark.parametrize(("text", "topic", "secret"), VIOLATIONS)
def test_violation(engine: Engine, text: str, topic: str, secret: str) -> None:
    verdict = engine.draft(text)
    assert verdict.label == "violation"
    assert verdict.topic == topic


@pytest.mark.parametrize("text", OK)
def test_ok(engine: Engine, text: str) -> None:
    verdict = engine.draft(text)
    assert verdict.label == "ok"
    assert verdict.rewrite is None
    assert verdict.findings == ()


@pytest.mark.parametrize(("text", "topic", "secret"), _found(VIOLATIONS))
def test_rewrite_drops_every_finding(engine: Engine, text: str, topic: str, secret: str) -> None:
    verdict = engine.draft(text)
    assert verdict.rewrite
    rewrite = verdict.rewrite.casefold()
    for finding in verdict.findings:
        assert text[slice(*finding.span)].casefold() not in rewrite, finding
    if secret:
        assert secret.casefold() not in rewrite


@pytest.mark.parametrize(("text", "topic", "secret"), _found(VIOLATIONS))
def test_rewrite_keeps_the_client_on_the_platform(engine: Engine, text: str, topic: str, secret: str) -> None:
    verdict = engine.draft(text)
    assert verdict.rewrite
    platform_name = engine.pack(verdict.platform).name
    assert platform_name in verdict.rewrite
    # "here on Fiverr", "through Upwork's own call tool", "on my Fiverr profile"
    on_platform = ("here", f"through {platform_name}", f"on {platform_name}", f"my {platform_name}")
    assert any(phrase in verdict.rewrite for phrase in on_platform)


def test_rewrite_keeps_the_harmless_part(engine: Engine) -> None:
    verdict = engine.draft("Great talking to you. Add me on Skype: mika.draws22. Looking forward!")
    assert verdict.rewrite
    assert "looking forward" in verdict.rewrite.casefold()


def test_rewrite_speaks_for_the_chosen_platform(engine: Engine) -> None:
    verdict = engine.draft("Here's my number: 0300 1234567", platforms=("upwork",))
    assert verdict.rewrite
    assert "Upwork" in verdict.rewrite
    assert "Fiverr" not in verdict.rewrite


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        pytest.param("Thanks Anna! My email is anna.k@mail.com if that's easier", "Thanks Anna!", id="name"),
        pytest.param(
            "Hello from São Paulo. Call me on +55 11 91234 5678", "Hello from São Paulo.", id="accented-words"
        ),
    ],
)
def test_rewrite_keeps_the_members_own_wording(engine: Engine, text: str, kept: str) -> None:
    verdict = engine.draft(text)
    assert verdict.rewrite
    assert verdict.rewrite.startswith(kept)


@pytest.mark.parametrize(("text", "topic", "secret"), _found(VIOLATIONS))
def test_explanation_and_snippet_are_safe(engine: Engine, text: str, topic: str, secret: str) -> None:
    verdict = engine.draft(text)
    assert engine.pack(verdict.platform).name in verdict.explanation
    if secret:
        assert secret.casefold() not in verdict.masked_snippet.casefold()
        assert secret.casefold() not in verdict.explanation.casefold()


# ------------------------------------------------------------ speed-ups stay exact --
# rules.draft takes a few short cuts for speed; each must give exactly what the plain way gives.

# The clause breaks as the regex module reads them: rules.draft runs a stdlib re twin of this.
_CLAUSE_REFERENCE = regex.compile(r"(?<=[.!?;\n])\s++|,\s++(?:but|and|so)\s++|(?<!\s)\s++but\s++|\n++")


def _reference_clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_REFERENCE.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    return spans + ([(start, len(text))] if start < len(text) else [])


@pytest.mark.parametrize(
    "text",
    [
        "Hi! Thanks for the order. I'll start today; more soon",
        "I can't share it, but let's keep chatting here",
        "ok,  but   then\n\n\nmaybe, and so on, so what",
        " but leading blank, then but\tbut",
        "dots...  then\u3000ideographic space and\u2028line separator",
        "no break.\x1cafter a file separator;\x1fnor here",  # stdlib \s would split these
        "\n\nstarts with newlines\n",
        "",
    ],
)
def test_clause_spans_match_the_regex_module_reading(text: str) -> None:
    assert clause_spans(text) == _reference_clauses(text)


def test_clause_spans_match_on_random_text() -> None:
    rng = random.Random(6)
    pieces = ["but", "and", "so", "a", "word", " ", "  ", "\n", ",", ".", "!", "?", ";", "\t", "\x1c", "\xa0"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert clause_spans(text) == _reference_clauses(text), repr(text)


def test_clause_spans_are_not_shared_between_texts() -> None:
    first = clause_spans("one. two")
    first.append((99, 100))  # a caller changing its list must not change the next answer
    assert clause_spans("one. two") == [(0, 4), (5, 8)]
    assert clause_spans("three") == [(0, 5)]


def test_deliverable_answers_are_per_draft() -> None:
    # Same clause positions, different drafts: the second must not reuse the first one's answer.
    flyer = "put your shop number on the flyer: 555 123 4567"
    mine = "put down my own number for you 22: 555 123 4567"
    assert len(flyer) == len(mine)
    spans = [(0, len(flyer))]
    start = flyer.index("555")
    assert mine.index("555") == start
    assert is_deliverable_detail(flyer, start, len(flyer), spans)
    assert not is_deliverable_detail(mine, start, len(mine), spans)
    assert is_deliverable_detail(flyer, start, len(flyer), spans)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(30, 35, True, id="inside-the-flyer-clause"),
        pytest.param(5, 10, False, id="inside-a-plain-clause"),
        pytest.param(20, 30, True, id="starts-in-the-gap-and-runs-into-the-flyer-clause"),
        pytest.param(20, 21, False, id="only-in-the-gap"),
    ],
)
def test_deliverable_detail_finds_its_clause(start: int, end: int, expected: bool) -> None:
    text = "hello there friend.   the flyer shows 555 123 4567"
    clauses = clause_spans(text)
    assert clauses == [(0, 19), (22, len(text))]
    assert is_deliverable_detail(text, start, end, clauses) is expected


# Issue 11: a detail shared after the order/contract started only for access to a tool, which
# the pack allows at that stage, is no violation; talk moved elsewhere and payment details are.
ALLOWED_AT_STAGE = [
    pytest.param(
        "The order started, here is the login email for the QuickBooks invite: sam@acme.club",
        "fiverr",
        id="fiverr-access-email-after-order",
    ),
    pytest.param(
        "Now that the contract has started, add me to the GitHub repo as a collaborator: sam@acme.club",
        "upwork",
        id="upwork-access-after-contract",
    ),
]


@pytest.mark.parametrize(("text", "platform"), ALLOWED_AT_STAGE)
def test_detail_allowed_at_its_stage_is_ok(engine: Engine, text: str, platform: str) -> None:
    verdict = engine.draft(text, platforms=(platform,))
    assert verdict.label == "ok", verdict
    assert verdict.phase == "after"
    assert verdict.rewrite is None


NOT_ALLOWED_AT_STAGE = [
    pytest.param(
        "The contract is active, you can reach me on +44 7700 900431 for the call about the work",
        "upwork",
        id="talk-is-not-system-access",
    ),
    pytest.param(
        "Order placed, nice! Let's move to WhatsApp now, +44 7700 900 347, easier for voice notes",
        "fiverr",
        id="moving-the-talk-after-the-order",
    ),
    pytest.param(
        "Here is the login email for the QuickBooks invite: sam@acme.club",
        "fiverr",
        id="no-stage-named",
    ),
    pytest.param(
        "Before you order, here is my email for the QuickBooks invite: sam@acme.club",
        "fiverr",
        id="before-the-order",
    ),
    pytest.param(
        "The order started, here is the login email for the QuickBooks invite: sam@acme.club",
        "peopleperhour",
        id="pack-allows-nothing",
    ),
    pytest.param(
        "The order started, send the invoice payment to my PayPal sam@acme.club",
        "fiverr",
        id="payment-purpose",
    ),
    pytest.param(
        "The contract has started, pay the milestone to IBAN DE89 3704 0044 0532 0130 00",
        "upwork",
        id="payment-detail",
    ),
    pytest.param(
        "The order started, here is my email for the QuickBooks access and for future orders: sam@acme.club",
        "fiverr",
        id="beyond-the-deal",
    ),
]


@pytest.mark.parametrize(("text", "platform"), NOT_ALLOWED_AT_STAGE)
def test_detail_not_allowed_at_its_stage_is_a_violation(engine: Engine, text: str, platform: str) -> None:
    verdict = engine.draft(text, platforms=(platform,))
    assert verdict.label == "violation"
    assert any(finding.kind != "move" for finding in verdict.findings)


# The client's own details in a deliverable (rules.draft.is_deliverable_detail), issue 11.
CLIENTS_OWN = [
    pytest.param(
        "Here's the business card proof. Front: Dr. Helen Ames, DDS. Back: 555-0147 · helen@amesdental.com",
        id="cue-three-clauses-back",
    ),
    pytest.param(
        "Your contact page is live, the form goes to hello@yourbakery.com, the address you gave me",
        id="me-as-an-object-is-not-mine",
    ),
    pytest.param("Your domain brightsmileortho.com expires in 20 days", id="your-domain"),
]


@pytest.mark.parametrize("text", CLIENTS_OWN)
def test_clients_own_detail_is_ok(engine: Engine, text: str) -> None:
    assert not [f for f in engine.draft(text).findings if f.kind != "move"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Loved your flyer! Email me at sam@acme.club for the next one", id="email-me"),
        pytest.param("Business card looks great.\n\nReach us at sam@acme.club", id="another-paragraph"),
    ],
)
def test_members_own_detail_near_a_deliverable_counts(engine: Engine, text: str) -> None:
    assert [f for f in engine.draft(text).findings if f.kind != "move"]
