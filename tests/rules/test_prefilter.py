"""rules.prefilter.looks_clean must never clear a message the full engine would flag."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from rules import Engine, load_packs
from rules.prefilter import looks_clean

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def cleared_but_judged(engine: Engine, texts: list[str]) -> list[str]:
    """Messages the prefilter clears although the engine would not call them 'none'."""
    return [text for text in texts if looks_clean(text) and engine.community(text).label != "none"]


def test_pack_examples_agree(engine: Engine) -> None:
    texts = [example.text for pack in load_packs().values() for example in pack.examples]
    assert texts
    assert cleared_but_judged(engine, texts) == []


@pytest.mark.parametrize("name", ["community.jsonl", "drafts.jsonl"])
def test_shared_corpus_agrees(engine: Engine, name: str) -> None:
    path = SHARED_CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    texts = [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert cleared_but_judged(engine, texts) == []


@pytest.mark.parametrize(
    "name",
    [
        "community_cases.jsonl",
        "draft_cases.jsonl",
        "community_cases_2.jsonl",
        "draft_cases_2.jsonl",
        "community_cases_3.jsonl",
        "draft_cases_3.jsonl",
    ],
)
def test_project_cases_agree(engine: Engine, name: str) -> None:
    path = Path(__file__).parent / "data" / name
    texts = [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert cleared_but_judged(engine, texts) == []


# Building blocks for a generated stream that mixes chat with everything the detector looks for.
_CHANNELS = [
    "whatsapp", "telegram", "skype", "email", "gmail", "paypal", "phone number", "number", "insta",
    "linkedin", "signal", "wechat", "venmo", "wise", "bank transfer", "my site", "website", "zoom",
    "calendly", "discord", "green app", "blue app", "paper plane app", "socials", "cash app", "dm",
    "text", "call", "straight to you", "keep the whole amount", "go direct", "off platform",
]  # fmt: skip
_MARKETPLACE = [
    "buyer", "client", "customer", "fiverr", "upwork", "order", "gig", "contract", "milestone",
    "fees", "the platform", "review", "inbox", "20%", "delivery", "job",
]  # fmt: skip
_STANCE = [
    "just ask your", "you should move your", "pro tip: take the", "I always send my", "get the",
    "tell the", "honestly just", "works every time,", "never got banned,", "move the",
    "after the first order ask the", "skip the fees and", "put it in the readme", "with spaces",
    "so the filter doesn't catch it", "never", "don't", "is it allowed to", "can I",
]  # fmt: skip
_CHAT = [
    "hey", "lol", "thanks", "today", "the logo", "looks great", "see you", "coffee", "weekend",
    "good morning", "nice work", "deadline", "revision", "font", "colors", "tomorrow", "ok", "sure",
]  # fmt: skip
_EMOJI = ["😀", "🔥", "💰", "👍", "🙏", "📞", "✉️", "🟢", ":)", "<:pepe:123456789012345678>"]
_MENTIONS = ["<@123456789012345678>", "<@!223456789012345678>", "<@&323456789012345678>", "<#42>", "@here"]
_CONTACTS = [
    "name at gmail dot com", "x (at) y [dot] com", "sam.d@mail.com", "moc.liamg@mas", "wa.me/44",
    "t.me/sam", "site.com", "@sam_d", "$samd", "zero three zero zero one two three four five six",
]  # fmt: skip
_LOOKALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}


def _disguise(word: str, rng: random.Random) -> str:
    trick = rng.randrange(10)
    if trick == 0:
        return " ".join(word)
    if trick == 1:
        return "-".join(word)
    if trick == 2:
        return ".".join(word)
    if trick == 3:
        return "".join(_LEET.get(c, c) for c in word)
    if trick == 4:
        return "".join(_LOOKALIKES.get(c, c) for c in word)
    if trick == 5:
        return "\u200b".join(word)
    if trick == 6:
        return "".join(chr(ord(c) + 0xFEE0) if "a" <= c <= "z" else c for c in word)  # full-width
    if trick == 7:
        return word.upper()
    if trick == 8:
        return f"**{word}**" if rng.random() < 0.5 else f"||{word}||"
    return word


def _digits(rng: random.Random) -> str:
    number = "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 13)))
    form = rng.randrange(6)
    if form == 0:
        return "+" + number
    if form == 1:
        return " ".join(number[i : i + 3] for i in range(0, len(number), 3))
    if form == 2:
        return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    if form == 3:
        return f"${rng.randint(5, 5000)}"
    if form == 4:
        return number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return number


def _message(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 9)):
        roll = rng.random()
        if roll < 0.18:
            parts.append(_disguise(rng.choice(_CHANNELS), rng))
        elif roll < 0.32:
            parts.append(rng.choice(_MARKETPLACE))
        elif roll < 0.42:
            parts.append(rng.choice(_STANCE))
        elif roll < 0.52:
            parts.append(_digits(rng))
        elif roll < 0.60:
            parts.append(rng.choice(_EMOJI))
        elif roll < 0.66:
            parts.append(rng.choice(_MENTIONS))
        elif roll < 0.70:
            parts.append(rng.choice(_CONTACTS))
        else:
            parts.append(rng.choice(_CHAT))
    text = rng.choice([" ", " ", ", ", "\n", ". "]).join(parts)
    if rng.random() < 0.2:
        text += "?"
    if rng.random() < 0.1:
        text = "> " + text
    return text


GENERATED = [_message(random.Random(f"prefilter-{seed}")) for seed in range(3000)]


def test_generated_stream_agrees(engine: Engine) -> None:
    cleared = [text for text in GENERATED if looks_clean(text)]
    # The stream must exercise both sides, or agreement would prove nothing.
    assert 100 < len(cleared) < len(GENERATED) - 1000
    assert cleared_but_judged(engine, cleared) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("good morning everyone", id="greeting"),
        pytest.param("that logo looks amazing, well done", id="praise"),
        pytest.param("anyone watching the match tonight?", id="question"),
        pytest.param("lunch break, brb", id="brb"),
        pytest.param("which font pairs well with Montserrat?", id="font-question"),
        pytest.param("congrats on the new job 🎉", id="emoji"),
        pytest.param("I charge $50 for a logo", id="price"),
        pytest.param("the deadline is tomorrow so I am stressed", id="deadline"),
    ],
)
def test_ordinary_chat_is_cleared(text: str) -> None:
    assert looks_clean(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("w h a t s a p p", id="spaced"),
        pytest.param("t.e.l.e.g.r.a.m", id="dotted"),
        pytest.param("whаtsаpp", id="cyrillic"),
        pytest.param("ｓｋｙｐｅ", id="full-width"),
        pytest.param("sky\u200bpe", id="zero-width"),
        pytest.param("wh4ts4pp", id="leet"),
        pytest.param("0300 1234567", id="digits"),
        pytest.param("٠٣٠٠١٢٣٤٥٦٧", id="arabic-digits"),
        pytest.param("sam@mail.com", id="address"),
        pytest.param("find me at t.me/sam", id="link"),
        pytest.param("ask the client to call you", id="weak-word-with-client"),
        pytest.param("pay me on cashapp", id="strong-word"),
    ],
)
def test_disguises_are_never_cleared(text: str) -> None:
    assert not looks_clean(text)
