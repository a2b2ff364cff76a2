"""rules.engine.Engine: hostile input never breaks it, and verdicts speak for the right platform."""

from __future__ import annotations

import pytest

from rules import TOPIC_IDS, Engine, Verdict
from rules.model import ACTIONS, COMMUNITY_LABELS, DRAFT_LABELS

_ZALGO = "".join(chr(0x300 + i % 0x70) for i in range(60))

BAD_INPUT = [
    pytest.param("", id="empty"),
    pytest.param(" \n\t  \n", id="whitespace"),
    pytest.param("\n" * 5000, id="newlines"),
    pytest.param(("ask your buyer for their whatsapp, it works " * 300)[:10_000], id="10k-advice"),
    pytest.param(("x" * 9_990) + " a@b.com", id="contact-past-the-limit"),
    pytest.param("email\x00me\x00at sam@mail.com", id="nul-bytes"),
    pytest.param("hi \ud800 whatsapp \udfff", id="lone-surrogates"),
    pytest.param("my email is sam@mail.com \ud83d", id="trailing-half-pair"),
    pytest.param("w" + _ZALGO + "hatsapp" + _ZALGO, id="zalgo"),
    pytest.param(_ZALGO * 100, id="only-combining-marks"),
    pytest.param("@" * 5000, id="5000-at-signs"),
    pytest.param("7" * 5000, id="long-digit-run"),
    pytest.param(" ".join("0300 1234567" for _ in range(400)), id="many-phone-numbers"),
    pytest.param(" ".join(f"u{i}@m{i}.com" for i in range(500)), id="many-addresses"),
    pytest.param("**||~~***__>>> x ~~||**" * 200, id="nested-markdown"),
    pytest.param("a " * 5000, id="spaced-letters"),
    pytest.param("a-" * 5000, id="dashed-letters"),
    pytest.param(" at dot " * 1000, id="at-dot-repeated"),
    pytest.param("(at)[dot]" * 1000, id="bracket-forms-repeated"),
    pytest.param("\u202e" * 1000 + "moc.liamg@mas", id="bidi-flood"),
    pytest.param("\u200b" * 4000 + "whatsapp", id="zero-width-flood"),
    pytest.param("Ωmega шрифт 漢字 whatsаpp ١٢٣ 𝐞𝐦𝐚𝐢𝐥 👩\u200d💻", id="mixed-scripts"),
    pytest.param("🔥" * 3000, id="emoji-flood"),
    pytest.param("<@123456789012345678>" * 300, id="mention-flood"),
    pytest.param("> " * 3000, id="quote-markers"),
    pytest.param("?" * 5000, id="question-marks"),
]


def _assert_sound(verdict: Verdict, text: str, labels: tuple[str, ...]) -> None:
    assert isinstance(verdict, Verdict)
    assert verdict.label in labels
    assert verdict.topic is None or verdict.topic in TOPIC_IDS
    for finding in verdict.findings:
        start, end = finding.span
        assert 0 <= start <= end <= len(text), finding
    assert len(verdict.masked_snippet) <= 200


@pytest.mark.parametrize("text", BAD_INPUT)
def test_community_survives_bad_input(engine: Engine, text: str) -> None:
    _assert_sound(engine.community(text), text, COMMUNITY_LABELS)


@pytest.mark.parametrize("text", BAD_INPUT)
def test_draft_survives_bad_input(engine: Engine, text: str) -> None:
    verdict = engine.draft(text)
    _assert_sound(verdict, text, DRAFT_LABELS)
    assert (verdict.rewrite is not None) == (verdict.label == "violation")


def test_nul_bytes_do_not_hide_an_address(engine: Engine) -> None:
    text = "write to\x00sam@mail.com\x00thanks"
    verdict = engine.draft(text)
    assert "sam@mail.com" in [text[slice(*f.span)] for f in verdict.findings]


def test_lone_surrogate_does_not_hide_an_address(engine: Engine) -> None:
    text = "\ud800 my email is sam.design@gmail.com"
    verdict = engine.draft(text)
    assert verdict.label == "violation"
    assert "sam.design@gmail.com" in [text[slice(*f.span)] for f in verdict.findings]


FLAGGED = "just ask your buyer for their WhatsApp number and skip the fees"


@pytest.mark.parametrize(
    ("platforms", "expected"),
    [
        pytest.param(("upwork",), "upwork", id="one-enabled"),
        pytest.param(("peopleperhour",), "peopleperhour", id="another-enabled"),
        pytest.param(None, "fiverr", id="none-means-default"),
        pytest.param((), "fiverr", id="empty-means-default"),
        pytest.param(("nosuchsite",), "fiverr", id="unknown-ignored"),
        pytest.param(("nosuchsite", "upwork"), "upwork", id="unknown-skipped"),
        pytest.param(("freelancer", "upwork"), "freelancer", id="first-enabled"),
    ],
)
def test_platform_follows_the_enabled_platforms(
    engine: Engine, platforms: tuple[str, ...] | None, expected: str
) -> None:
    assert engine.community(FLAGGED, platforms=platforms).platform == expected
    assert engine.draft("my email is sam.design@gmail.com", platforms=platforms).platform == expected


@pytest.mark.parametrize(
    ("text", "platforms", "expected"),
    [
        pytest.param("just ask your Upwork client for their WhatsApp", None, "upwork", id="upwork-named"),
        pytest.param("PeoplePerHour buyers: ask for their whatsapp", None, "peopleperhour", id="pph-named"),
        pytest.param("pph buyers: ask for their whatsapp", None, "peopleperhour", id="pph-alias"),
        pytest.param(
            "freelancer.com buyers: ask for their whatsapp", None, "freelancer", id="freelancer-domain"
        ),
        pytest.param("I am a freelancer, ask buyers for whatsapp", None, "fiverr", id="freelancer-the-word"),
        pytest.param(
            "just ask your Upwork client for their WhatsApp",
            ("fiverr", "upwork"),
            "upwork",
            id="named-and-enabled",
        ),
        pytest.param(
            "just ask your Upwork client for their WhatsApp",
            ("fiverr",),
            "upwork",
            id="named-but-not-enabled",
        ),
    ],
)
def test_platform_named_in_the_message(
    engine: Engine, text: str, platforms: tuple[str, ...] | None, expected: str
) -> None:
    assert engine.community(text, platforms=platforms).platform == expected


def test_ordinary_chat_speaks_for_each_servers_platform(engine: Engine) -> None:
    """Cleared messages share one answer per platform set; a server never gets another's."""
    chat = "thanks everyone, delivered my first logo today"
    assert engine.community(chat, ["upwork"]).platform == "upwork"
    assert engine.community(chat, ["peopleperhour", "fiverr"]).platform == "peopleperhour"
    assert engine.community(chat, ["upwork"]).platform == "upwork"
    assert engine.community(chat).platform == "fiverr"
    assert engine.community(chat).label == "none"


def test_draft_platform_named_in_the_message(engine: Engine) -> None:
    verdict = engine.draft("my email is sam@gmail.com, we can skip the Upwork contract")
    assert verdict.platform == "upwork"
    assert "Upwork" in verdict.explanation


def test_every_platform_answers_every_topic(engine: Engine) -> None:
    for platform in engine.platforms:
        for topic_id in TOPIC_IDS:
            topic = engine.topic(platform, topic_id)
            assert topic.summary
            assert topic.source.startswith("https://")


@pytest.mark.parametrize(
    ("judge", "text", "label"),
    [
        pytest.param("community", FLAGGED, "encourages", id="community-flagged"),
        pytest.param("community", "Is it allowed to email my Fiverr buyer?", "asks", id="community-asks"),
        pytest.param("draft", "my email is sam.design@gmail.com", "violation", id="draft-violation"),
    ],
)
def test_verdict_label_and_flag_agree(engine: Engine, judge: str, text: str, label: str) -> None:
    verdict = getattr(engine, judge)(text)
    assert verdict.label == label
    assert verdict.flagged == (label in ("encourages", "violation"))
    assert verdict.mode == judge


def test_masked_snippet_never_holds_the_raw_contact(engine: Engine) -> None:
    verdict = engine.draft("reach me at mika.draws@gmail.com or +44 7700 900431 or t.me/mikadraws")
    snippet = verdict.masked_snippet
    assert snippet
    for secret in ("mika.draws", "7700 900431", "7700900431", "mikadraws"):
        assert secret not in snippet


def test_actions_follow_the_verdict(engine: Engine) -> None:
    advice = engine.community(FLAGGED)
    question = engine.community("Is it allowed to email my Fiverr buyer?")
    chat = engine.community("thanks everyone, delivered my first logo today")
    assert advice.action in ("warn", "review")
    assert question.action == "answer"
    assert chat.action == "none"
    assert chat.stage in ("prefilter", "lexical")  # decided without the transformer
    for verdict in (advice, question, chat):
        assert verdict.action in ACTIONS
        assert 0.0 <= verdict.confidence <= 1.0


def test_community_cheap_decides_only_what_it_can(engine: Engine) -> None:
    assert engine.community_cheap("lol same, my cat sat on the keyboard") is not None
    assert engine.community_cheap(FLAGGED) is None  # the transformer must see advice


def test_explain_names_the_clause_that_moved_the_decision(engine: Engine) -> None:
    text = "Congrats on the new level! Also just ask your buyer for their WhatsApp and skip the fees."
    clauses = engine.explain(text)
    assert len(clauses) >= 2
    (start, end), effect = clauses[0]
    assert "WhatsApp" in text[start:end]
    assert effect > 0


def test_reason_masks_contact_details(engine: Engine) -> None:
    text = "just message buyers from mika.draws@gmail.com instead, way cheaper than the fees"
    verdict = engine.community(text)
    reason = engine.reason(text, verdict)
    assert "mika.draws@gmail.com" not in reason
