"""rules.intent through Engine.community: what a server message is doing with an outside channel."""

from __future__ import annotations

import random
from typing import Any

import pytest
import regex

from rules import TOPIC_IDS, Engine, intent
from rules.gate import expand, leading_literals, requirements, split_alternatives
from rules.normalize import MIXED_TOKENS


def gap(reason: str) -> pytest.MarkDecorator:
    """A case a member or moderator would expect to pass that the engine still gets wrong."""
    return pytest.mark.xfail(strict=True, reason=reason)


def _judged_right(cases: list[Any]) -> list[Any]:
    """The cases without a known gap, for checks that only make sense on a right label."""
    return [case for case in cases if not case.marks]


ENCOURAGES = [
    # directives and endorsements
    pytest.param("just ask your buyer for their WhatsApp number and skip the fees", id="just-ask"),
    pytest.param(
        "Pro tip: get the client's email before delivery so you can invoice them later", id="pro-tip"
    ),
    pytest.param("You should move repeat buyers to Telegram, way easier", id="you-should"),
    pytest.param("take your buyers to email after the first order", id="imperative-after-order"),
    pytest.param("after the first order, move the buyer to email", id="leading-condition"),
    pytest.param("Just invoice your upwork clients through Wise and save the 10%", id="invoice-outside"),
    pytest.param("Get your clients to pay you by bank transfer, no platform fees", id="pay-by-bank"),
    pytest.param("link your instagram in the gig description, buyers love it", id="instagram-in-gig"),
    pytest.param(
        "> move the buyer to email after the order\nthis exactly, works every time", id="endorses-a-quote"
    ),
    pytest.param(
        "honestly best move is to take them to email once the order is done",
        id="best-move",
    ),
    pytest.param(
        "tell clients to call you, phone is faster than the inbox",
        id="call-you",
    ),
    # boasts and habits
    pytest.param("I always send my clients my Skype after the first order, works every time", id="i-always"),
    pytest.param(
        "I've been taking Upwork clients to WhatsApp since 2019, never got banned", id="never-banned"
    ),
    pytest.param("moved all my fiverr buyers to paypal, zero warnings so far", id="zero-warnings"),
    # tricks to slip past the filter
    pytest.param("write your number with spaces so the filter doesn't catch it", id="spaces-trick"),
    pytest.param("spell your gmail as name at gmail dot com, the bot can't read it", id="spell-it-out"),
    pytest.param("put your handle in the gig image, fiverr never scans images", id="handle-in-image"),
    pytest.param("drop your number in the delivery readme, nobody checks it", id="number-in-readme"),
    pytest.param("add a QR code to your gig image that links to your site", id="qr-code"),
    pytest.param("use a font generator for your telegram so fiverr can't see it", id="font-generator"),
    pytest.param("tell the buyer to add you on w h a t s a p p", id="spaced-channel"),
    pytest.param("tell the buyer to add you on ｗｈａｔｓａｐｐ", id="full-width-channel"),
    pytest.param("tell the buyer to add you on whаtsаpp", id="cyrillic-channel"),
    pytest.param("tell the buyer to add you on wh4ts4pp", id="leet-channel"),
    pytest.param(
        "tell the buyer to add you on what||s||app",
        id="spoiler-inside-channel",
        marks=gap("markdown inside the word splits it, so the channel is missed"),
    ),
    # euphemisms
    pytest.param("tell the buyer to find you on the green app", id="green-app"),
    pytest.param("ask the buyer if they're on the blue app", id="blue-app"),
    pytest.param("tell your client to hit you up on the paper plane app", id="paper-plane-app"),
]

ASKS = [
    pytest.param("Is it allowed to email my Fiverr buyer?", id="allowed-email"),
    pytest.param("can I give my whatsapp to an upwork client after the contract ends?", id="after-contract"),
    pytest.param("My client asked for my WhatsApp, what do I do?", id="client-asked"),
    pytest.param("is sharing a calendly link with a buyer against the rules?", id="calendly"),
    pytest.param("anyone know if paypal invoices are ok for repeat fiverr clients?", id="paypal-repeat"),
    pytest.param("guys can we share linkedin with fiverr clients?", id="linkedin"),
    pytest.param("What happens if I share my phone number with an upwork client?", id="what-happens"),
    pytest.param("Can a Fiverr buyer pay me via PayPal for a tip?", id="tip-paypal"),
    pytest.param(
        "A buyer messaged me asking for my WhatsApp, what do I do?",
        id="buyer-messaged-me",
    ),
    pytest.param(
        "> ask your client for their email after the order\nis this allowed?",
        id="asks-about-a-quote",
    ),
    # without a question mark
    pytest.param(
        "Is it allowed to email my Fiverr buyer",
        id="no-mark-allowed",
    ),
    pytest.param(
        "wondering if I can send my phone number to a buyer after delivery",
        id="no-mark-wondering",
    ),
    pytest.param(
        "can I give my whatsapp to an upwork client after the contract ends",
        id="no-mark-can-i",
    ),
    pytest.param(
        "A buyer keeps asking for my phone number, should I give it",
        id="no-mark-should-i",
    ),
]

NONE = [
    # negation and warnings
    pytest.param("Never share your email with a Fiverr buyer, you'll get banned", id="never-share"),
    pytest.param("Don't move clients to WhatsApp, it's against the ToS", id="dont-move"),
    pytest.param("Do not, under any circumstances, ask buyers for WhatsApp", id="do-not"),
    pytest.param("never ever take payment outside fiverr", id="never-pay-outside"),
    pytest.param("PSA: a friend lost her account for asking a buyer's email", id="psa"),
    # ban reports
    pytest.param("I got banned last week for sharing my telegram with a client", id="got-banned"),
    pytest.param("my account got restricted after a buyer sent me his whatsapp", id="restricted"),
    # reported speech and quotes
    pytest.param("He said to move my buyers to Telegram. That sounds risky to me", id="he-said"),
    pytest.param("I saw a gig offering 'contact me on whatsapp' and reported it", id="saw-and-reported"),
    pytest.param("I was told to ask my buyer for their email, but I didn't", id="was-told"),
    pytest.param('"just give them your email" is the worst advice I\'ve heard here', id="quoted-advice"),
    pytest.param(
        "Someone in another server is telling people to take clients to telegram, can a mod check?",
        id="someone-is-telling",
    ),
    pytest.param(
        'My client said "just add me on skype" and I said no',
        id="client-said",
    ),
    pytest.param(
        "> ask your client for their email after the order\nwhy would anyone do that",
        id="quote-then-disapproval",
    ),
    pytest.param(
        "> ask your client for their email after the order\nreported to the mods",
        id="quote-then-report",
    ),
    # moderators and rules
    pytest.param(
        "Mod note: sharing email or phone with buyers before an order is not allowed on Fiverr", id="mod-note"
    ),
    pytest.param("Rule 3: no advice about taking clients off-platform", id="rule-text"),
    pytest.param(
        "Reminder from the mod team: do not share payment details with clients, it breaks rule 4",
        id="mod-reminder",
    ),
    pytest.param("Please don't post your personal email in this channel, use DMs", id="channel-rule"),
    # email marketing and bots sold as a service
    pytest.param("I sell cold email campaigns as a gig on Fiverr", id="cold-email-gig"),
    pytest.param("I write email newsletters for Shopify brands as a Fiverr gig", id="newsletter-gig"),
    pytest.param("I design email signatures on Fiverr, here's my portfolio", id="signature-gig"),
    pytest.param("I build WhatsApp bots for clients, DM for the portfolio", id="whatsapp-bot-gig"),
    pytest.param("selling whatsapp chatbot setups on fiverr, anyone interested", id="chatbot-gig"),
    # the platform's own e-mails, withdrawals
    pytest.param("Fiverr emailed me about a new message from my buyer", id="fiverr-emailed"),
    pytest.param("Upwork sent me a notification email about the contract", id="upwork-notification"),
    pytest.param("Fiverr sent me an email saying my gig was approved", id="gig-approved-email"),
    pytest.param("How long does a withdrawal to PayPal take on Fiverr?", id="withdrawal-question"),
    pytest.param("I withdrew my Fiverr earnings to Payoneer", id="withdrew"),
    pytest.param("My Upwork withdrawal to bank took 3 days", id="withdrawal-bank"),
    # clients from outside any marketplace, member collaborations
    pytest.param("My direct client from my own website pays me on PayPal", id="own-website-client"),
    pytest.param(
        "these clients came through referrals, not Fiverr, so I invoice them on Wise", id="referrals"
    ),
    pytest.param(
        "My own clients from LinkedIn pay me on PayPal, no marketplace involved", id="no-marketplace"
    ),
    pytest.param("Found this client at a local meetup, we just use email", id="meetup-client"),
    pytest.param("anyone want to collab on a game jam? add me on discord", id="game-jam"),
    pytest.param("looking for a designer to team up with, my email is in my bio", id="team-up"),
    pytest.param("Anyone up for a collab? My portfolio is at mikadraws.com", id="collab-portfolio"),
    # ordinary chat
    pytest.param("lol no", id="lol-no"),
    pytest.param("what's everyone listening to while working today", id="music"),
    pytest.param("finally hit level 2 on fiverr after 40 orders!", id="level-up"),
    pytest.param("my buyer left a 5 star review, so happy", id="happy-review"),
]


@pytest.mark.parametrize("text", ENCOURAGES)
def test_encourages(engine: Engine, text: str) -> None:
    assert engine.community(text).label == "encourages"


@pytest.mark.parametrize("text", ASKS)
def test_asks(engine: Engine, text: str) -> None:
    assert engine.community(text).label == "asks"


@pytest.mark.parametrize("text", NONE)
def test_none(engine: Engine, text: str) -> None:
    assert engine.community(text).label == "none"


# (message, the policy topic a reply should explain)
TOPICS = [
    pytest.param("just ask your buyer for their email after the order", "email", id="email"),
    pytest.param("spell your gmail as name at gmail dot com so the bot can't read it", "email", id="gmail"),
    pytest.param("You should move repeat buyers to Telegram, way easier", "messaging", id="telegram"),
    pytest.param("tell the buyer to find you on the green app", "messaging", id="green-app"),
    pytest.param("write your number with spaces so the filter doesn't catch it", "phone", id="phone"),
    pytest.param("Just invoice your upwork clients through Wise and save the 10%", "payments", id="wise"),
    pytest.param("moved all my fiverr buyers to paypal, zero warnings so far", "payments", id="paypal"),
    pytest.param("link your instagram in the gig description, buyers love it", "links", id="instagram"),
    pytest.param("add a QR code to your gig image that links to your site", "links", id="own-site"),
    pytest.param("Is it allowed to email my Fiverr buyer?", "email", id="asks-email"),
    pytest.param("Can a Fiverr buyer pay me via PayPal for a tip?", "payments", id="asks-payments"),
]


@pytest.mark.parametrize(("text", "topic"), TOPICS)
def test_topic_of_a_flagged_or_asking_message(engine: Engine, text: str, topic: str) -> None:
    verdict = engine.community(text)
    assert verdict.label != "none"
    assert verdict.topic == topic


@pytest.mark.parametrize("text", _judged_right(ENCOURAGES))
def test_flagged_verdict_explains_itself(engine: Engine, text: str) -> None:
    verdict = engine.community(text)
    assert verdict.flagged
    assert verdict.topic in TOPIC_IDS
    assert verdict.explanation
    assert verdict.findings
    for finding in verdict.findings:
        assert 0 <= finding.span[0] <= finding.span[1] <= len(text)


@pytest.mark.parametrize("text", _judged_right(NONE))
def test_unflagged_verdict_has_no_topic(engine: Engine, text: str) -> None:
    verdict = engine.community(text)
    assert not verdict.flagged
    assert verdict.topic is None


def test_directive_finding_points_at_the_channel(engine: Engine) -> None:
    text = "just ask your buyer for their WhatsApp number and skip the fees"
    spans = [text[slice(*f.span)] for f in engine.community(text).findings if f.kind == "directive"]
    assert "WhatsApp" in spans


def test_obfuscated_channel_finding_points_at_the_disguise(engine: Engine) -> None:
    text = "tell the buyer to add you on w h a t s a p p"
    spans = [text[slice(*f.span)] for f in engine.community(text).findings]
    assert "w h a t s a p p" in spans


# ---------------------------------------------------------------- exact shortcuts -----
# The judge skips regex passes that provably find nothing; these check each proof.

CLAUSE_TEXTS = [
    "just ask. then move them to email",
    "ok,then send it\nnext line\n\n  indented",
    "it works   but  only once; although rare - and — dashes",
    "no space after.period and,comma",
    "e.g. this, ask the buyer for their number, should i do it",
    "trailing blanks \u2003\u3000 but\u00a0though however",
    "abut thoughtful however,",
    "al though it's fine: yes!  ok?\tfine",
    "...!!!   ,,, --- ——",
    "",
    "  ",
    # Commas split only before blanks and a lead word; newlines before "but" or after a blank.
    "fine, ask the buyer, ok, maybe,then ,  just send them, how do i, so",
    "line one\nbut not this\n\n\nthree \nfour\n although five\n—six",
    "\nstart\n",
]


def _spans_between_splits(text: str) -> list[tuple[int, int]]:
    """The clauses as the split pattern alone gives them (what _clauses must return)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in intent._CLAUSE_SPLIT.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


@pytest.mark.parametrize("text", CLAUSE_TEXTS)
def test_clauses_are_the_spans_between_clause_splits(text: str) -> None:
    assert intent._clauses(text) == _spans_between_splits(text)


def test_clauses_agree_with_the_split_pattern_on_generated_text() -> None:
    # _clauses answers most split positions without the pattern; every shortcut must agree.
    pieces = [*"a word \n , . ! ? ; : - — \t \u2003".split(" "), " ", "  ", "\n\n", ", ", ". "]
    pieces += ["but", "though", "although", "however", "then", "just", "ask", "the", "should", "i", "how"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert intent._clauses(text) == _spans_between_splits(text), text


def test_comma_leads_start_every_comma_split() -> None:
    leads = [lead for group in intent._COMMA_LEADS.values() for lead in group]
    commas = [part for part in split_alternatives(intent._CLAUSE_SPLIT.pattern) if part.startswith(",")]
    assert commas
    for part in commas:
        lookahead = part.removeprefix(r",\s++(?=").removesuffix(")")
        for option in split_alternatives(lookahead):
            if option.startswith(rf"(?:just\s+)?(?:{intent._IMPERATIVES})"):
                starts = ["just", *split_alternatives(intent._IMPERATIVES)]  # too many for leading_literals
            else:
                literals = leading_literals(option)
                assert literals is not None, option
                starts = [text for text, _ in literals]
            assert all(text.startswith(tuple(leads)) for text in starts), option


@pytest.mark.parametrize(
    "clause",
    [
        "can i share it",
        "  hey, so can we",
        "so... is it ok",
        "does the buyer",
        "would you",
        "i can",
        "",
        "?! may i",
    ],
)
def test_inverted_question_check_agrees_with_the_pattern(clause: str) -> None:
    assert intent._INVERTED_LEADS  # the pattern's leads were found
    found = intent._INVERTED_QUESTION.search(clause) is not None
    assert (intent._starts_with_lead(clause, intent._INVERTED_LEADS) and found) == found


def test_spaces_are_what_regex_calls_whitespace() -> None:
    every_char = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert set(regex.findall(r"\s", every_char)) == intent.SPACES


@pytest.mark.parametrize(
    "text", ["abc", "ab1", "1ab", "a$", "$a", "a@", "@a", "12 34", "x 1", "$ a", "é1", "1é"]
)
def test_mixed_token_check_agrees_with_the_plain_pattern(text: str) -> None:
    assert bool(MIXED_TOKENS.search(text)) == bool(regex.search(r"[a-z][0-9@$]|[0-9$][a-z]", text))


def test_every_ask_phrase_holds_an_ask_word() -> None:
    def holds(word: str) -> bool:
        return any(ask in word for ask in intent._ASK_WORDS)

    source = intent._ASK_PHRASE.pattern
    assert source.startswith(r"\b(?:")
    assert source.endswith(r")\b")
    for option in split_alternatives(source[len(r"\b(?:") : -len(r")\b")]):
        for alternative in expand(r"\b" + option + r"\b"):
            needs = requirements(alternative)
            assert any(holds(word) for word in needs.words) or any(
                all(any(holds(word) for word in spelling) for spelling in choice) for choice in needs.choices
            ), alternative


def test_imperative_leads_cover_every_filler_and_verb() -> None:
    fillers = intent._FILLERS.removeprefix("(?:").removesuffix(r")[\s,:!.-]*")
    options = split_alternatives(fillers) + split_alternatives(intent._IMPERATIVES)
    # _is_imperative checks these two itself; any other filler must start with a literal.
    assert [option for option in options if leading_literals(option) is None] == [r"\w+\s+(?:here|tip)"]
    assert [lead for lead in intent._IMPERATIVE_LEADS if not lead[0].isalnum()] == ["@"]


@pytest.mark.parametrize(
    "clause",
    [
        "just ask them",
        "  -- ask the buyer",
        "@sam send it",
        "@samsend it",
        "bro here ask them",
        "my tip: ask",
        "after the order, move them",
        "i would ask",
        "the moment they pay send it",
        "ask, details",
        "ask details",
        "wow",
    ],
)
def test_imperative_check_agrees_with_the_pattern(clause: str) -> None:
    assert intent._is_imperative(clause) == bool(intent.IMPERATIVE_START.search(clause))


@pytest.mark.parametrize(
    ("text", "hint_needed"),
    [
        # Nothing about contact at all: the judge stops before it needs any marketplace context.
        ("anyone watching the match tonight", False),
        # "buyer" is the judge's own marketplace word: the engine's pack check is not needed.
        ("just ask the buyer for their whatsapp number", False),
        # A channel and advice, but no marketplace word of the judge's own: the hint decides.
        ("just ask for their whatsapp number, works every time", True),
    ],
)
def test_marketplace_hint_is_asked_only_when_it_can_decide(text: str, hint_needed: bool) -> None:
    calls: list[None] = []

    def hint() -> bool:
        calls.append(None)
        return True

    lazy = intent.judge_community(text, contacts_present=False, obfuscated=False, marketplace_hint=hint)
    eager = intent.judge_community(text, contacts_present=False, obfuscated=False, marketplace_hint=True)
    assert lazy == eager
    assert bool(calls) == hint_needed
    assert len(calls) <= 1


@pytest.mark.parametrize(
    "text",
    [
        "add me on whatsapp or telegram",
        "send it to my gmail",
        "pay me with paypal",
        "my instagram is in the bio",
        "call my number",
        "let's do it directly and skip the fees",  # off-platform only, with a payment word
        "we can move the chat elsewhere",  # off-platform only
        "atsapp number cut mid-word, then ogram",  # a window may cut a word in two
        "nothing to see here",
        "",
    ],
)
def test_gated_channel_family_matches_the_whole_patterns(text: str) -> None:
    assert intent.channel_family(text) == _family_by_whole_patterns(text)


def _family_by_whole_patterns(text: str) -> str | None:
    for family, pattern in intent.CHANNEL_FAMILIES.items():
        if pattern.search(text):
            return family
    if intent.OFF_PLATFORM.search(text):
        return "payments" if intent._PAYMENT_HINT.search(text) else "after_order"
    return None
