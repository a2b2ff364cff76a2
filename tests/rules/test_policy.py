"""Policy packs: the shipped packs are complete and fit in Discord embeds; broken packs fail clearly.

Running the packs' examples through the engine is tests/rules/test_pack_examples (the lead's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import regex

from rules import TOPIC_IDS, PackError, PolicyPack, load_packs
from rules.policy import PACKS_DIR, PATTERN_KINDS, load_pack

REQUIRED_PACK_IDS = ("fiverr", "upwork", "freelancer", "peopleperhour")
# Every pack file in rules/packs is checked, so a new pack gets these tests without edits here.
SHIPPED_PACK_IDS = tuple(sorted(path.stem for path in PACKS_DIR.glob("*.toml")))

# Discord embed budget for a /policy answer (see the "Policy packs" section).
MAX_SUMMARY_CHARS = 600
MAX_ALTERNATIVE_CHARS = 160
MAX_WHY_CHARS = 300
ALTERNATIVES_PER_TOPIC = range(2, 6)
MIN_EXAMPLES_PER_MODE = 8


@pytest.fixture(scope="module")
def packs() -> dict[str, PolicyPack]:
    return load_packs()


# --- shipped packs ------------------------------------------------------------------------------


def test_every_required_pack_ships_and_is_named_after_its_file(packs: dict[str, PolicyPack]) -> None:
    assert set(REQUIRED_PACK_IDS) <= set(packs)
    assert all(Path(pack.path).stem == pack_id for pack_id, pack in packs.items())


@pytest.mark.parametrize("pack_id", SHIPPED_PACK_IDS)
def test_pack_covers_every_topic_with_https_sources(packs: dict[str, PolicyPack], pack_id: str) -> None:
    pack = packs[pack_id]
    assert set(pack.topics) == set(TOPIC_IDS)
    assert pack.sources
    assert all(source.url.startswith("https://") and source.title for source in pack.sources)
    for topic in pack.topics.values():
        assert topic.source.startswith("https://"), f"{pack_id}.{topic.id} source is not https"
        assert topic.title
        assert topic.summary
        assert topic.why


@pytest.mark.parametrize("pack_id", SHIPPED_PACK_IDS)
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_text_fits_a_discord_embed(packs: dict[str, PolicyPack], pack_id: str, topic_id: str) -> None:
    topic = packs[pack_id].topics[topic_id]
    assert len(topic.summary) <= MAX_SUMMARY_CHARS, f"summary is {len(topic.summary)} chars"
    assert len(topic.why) <= MAX_WHY_CHARS, f"why is {len(topic.why)} chars"
    assert len(topic.alternatives) in ALTERNATIVES_PER_TOPIC
    too_long = [a for a in topic.alternatives if len(a) > MAX_ALTERNATIVE_CHARS]
    assert not too_long, f"alternatives over {MAX_ALTERNATIVE_CHARS} chars: {too_long}"


@pytest.mark.parametrize("pack_id", SHIPPED_PACK_IDS)
def test_pack_examples_cover_every_label(packs: dict[str, PolicyPack], pack_id: str) -> None:
    examples = packs[pack_id].examples
    per_mode = Counter(example.mode for example in examples)
    labels = {(example.mode, example.expect) for example in examples}
    assert per_mode["community"] >= MIN_EXAMPLES_PER_MODE
    assert per_mode["draft"] >= MIN_EXAMPLES_PER_MODE
    assert labels == {
        ("community", "encourages"),
        ("community", "asks"),
        ("community", "none"),
        ("draft", "violation"),
        ("draft", "ok"),
    }
    texts = [example.text for example in examples]
    assert len(texts) == len(set(texts)), "an example is repeated"


@pytest.mark.parametrize("pack_id", SHIPPED_PACK_IDS)
def test_example_lines_point_at_the_example(packs: dict[str, PolicyPack], pack_id: str) -> None:
    # `python -m rules test` reports a failing example as file:line, so the line must be right.
    pack = packs[pack_id]
    lines = Path(pack.path).read_text(encoding="utf-8").splitlines()
    for example in pack.examples:
        assert example.line > 0, example.text
        assert example.text[:40] in lines[example.line - 1], example.text


def test_aliases_are_lower_case_and_unique_to_one_pack(packs: dict[str, PolicyPack]) -> None:
    owners: dict[str, str] = {}
    for pack in packs.values():
        assert pack.aliases, pack.id
        for alias in pack.aliases:
            assert alias == alias.strip(), alias
            # Capitals mark a proper-noun alias, matched only as written ("Freelancer").
            assert alias.islower() or alias[0].isupper(), alias
            assert alias not in owners, f"{alias!r} names both {owners.get(alias)} and {pack.id}"
            owners[alias] = pack.id
    # "freelancer" names every member of the server, not Freelancer.com.
    assert "freelancer" not in owners
    for misspelling, pack_id in [
        ("fivver", "fiverr"),
        ("fiver", "fiverr"),
        ("upwrok", "upwork"),
        ("pph", "peopleperhour"),
    ]:
        assert owners[misspelling] == pack_id


@pytest.mark.parametrize("pack_id", SHIPPED_PACK_IDS)
def test_pack_patterns_are_named_and_cover_both_main_kinds(
    packs: dict[str, PolicyPack], pack_id: str
) -> None:
    patterns = packs[pack_id].patterns
    assert {"marketplace", "onplatform"} <= {pattern.kind for pattern in patterns}
    assert all(pattern.kind in PATTERN_KINDS for pattern in patterns)
    assert all(pattern.id.startswith(f"{pack_id}.") for pattern in patterns)


def _matches(pack: PolicyPack, kind: str, text: str) -> bool:
    return any(
        regex.search(pattern.pattern, text, regex.IGNORECASE | regex.VERSION1)
        for pattern in pack.patterns
        if pattern.kind == kind
    )


@pytest.mark.parametrize(
    ("pack_id", "kind", "text", "matches"),
    [
        ("fiverr", "marketplace", "my buyer left a 5 star review on the gig", True),
        ("fiverr", "marketplace", "lost my TRS badge last week", True),
        ("fiverr", "marketplace", "two new orders this morning", True),
        ("fiverr", "marketplace", "I moved house in order to save money", False),
        ("fiverr", "onplatform", "send them a custom offer instead", True),
        ("fiverr", "onplatform", "start the call from the order page", True),
        ("fiverr", "onplatform", "open a ticket in the Resolution Centre", True),
        ("fiverr", "onplatform", "I deliver the files through the order", True),
        ("fiverr", "onplatform", "send me your WhatsApp", False),
        ("upwork", "marketplace", "my JSS dropped after that contract", True),
        ("upwork", "marketplace", "ran out of connects again", True),
        ("upwork", "marketplace", "the weather is nice today", False),
        ("upwork", "onplatform", "let's keep it in Upwork Messages", True),
        ("upwork", "onplatform", "I used the meeting scheduler", True),
        ("upwork", "onplatform", "fund the next milestone please", True),
        ("upwork", "onplatform", "add me on Skype", False),
        ("freelancer", "marketplace", "the employer awarded me the project", True),
        ("freelancer", "marketplace", "I placed 40 bids this week", True),
        ("freelancer", "onplatform", "create a Milestone Payment first", True),
        ("freelancer", "onplatform", "we talked in the project chat", True),
        ("freelancer", "onplatform", "text me on Telegram", False),
        ("peopleperhour", "marketplace", "a buyer bought two of my Hourlies", True),
        ("peopleperhour", "marketplace", "lunch was great", False),
        ("peopleperhour", "onplatform", "I posted the agreement in the WorkStream", True),
        ("peopleperhour", "onplatform", "email me the brief", False),
    ],
)
def test_pack_pattern_matches(
    packs: dict[str, PolicyPack], pack_id: str, kind: str, text: str, matches: bool
) -> None:
    assert _matches(packs[pack_id], kind, text) is matches


# --- broken packs -------------------------------------------------------------------------------


def _valid_pack_lines() -> list[str]:
    """A minimal pack that loads; each broken case changes one thing in it."""
    lines = [
        'id = "demo"',
        'name = "Demo"',
        "last_checked = 2026-11-23",
        "",
        "[[sources]]",
        'title = "Demo terms"',
        'url = "https://example.com/terms"',
    ]
    for topic_id in TOPIC_IDS:
        lines += [
            "",
            f"[topics.{topic_id}]",
            f'title = "Title of {topic_id}"',
            'summary = "Keep it on the platform."',
            'alternatives = ["Use the inbox.", "Use the order page."]',
            'why = "It protects your payment."',
            'source = "https://example.com/policy"',
        ]
    lines += [
        "",
        "[[patterns]]",
        'id = "demo.terms"',
        'kind = "marketplace"',
        "pattern = '\\bgigs?\\b'",
        "",
        "[[examples]]",
        'mode = "community"',
        'text = "Just ask your buyer for their WhatsApp and skip the fees."',
        'expect = "encourages"',
    ]
    return lines


def _index(lines: list[str], line: str) -> int:
    return lines.index(line)


def _invalid_toml(lines: list[str]) -> tuple[int, int]:
    at = _index(lines, 'name = "Demo"')
    lines[at] = 'name = "Demo'  # unterminated string
    return at + 1, at + 1


def _pattern_does_not_compile(lines: list[str]) -> tuple[int, int]:
    at = len(lines)
    lines += ["", "[[patterns]]", 'id = "demo.broken"', 'kind = "onplatform"', "pattern = '(?:custom offer'"]
    return at + 2, at + 5  # anywhere in that [[patterns]] table


def _unknown_topic(lines: list[str]) -> tuple[int, int]:
    at = _index(lines, "[topics.email]")
    lines[at] = "[topics.emails]"
    return at + 1, at + 1


def _bad_expect_label(lines: list[str]) -> tuple[int, int]:
    at = len(lines)
    lines += [
        "",
        "[[examples]]",
        'mode = "draft"',
        'text = "Sorry, I only work through the platform."',
        'expect = "encourages"',  # a community label in a draft example
    ]
    return at + 2, at + 5


# (how to break the minimal pack, a word the error must name)
BROKEN_PACKS = [
    pytest.param(_invalid_toml, "invalid TOML", id="invalid-toml"),
    pytest.param(_pattern_does_not_compile, "demo.broken", id="pattern-does-not-compile"),
    pytest.param(_unknown_topic, "emails", id="unknown-topic"),
    pytest.param(_bad_expect_label, "encourages", id="bad-expect-label"),
]


def _reported_line(error: PackError) -> int | None:
    """The line the error names: PackError.line, or tomllib's '(at line N' inside the message."""
    if error.line:
        return error.line
    found = re.search(r"\bline (\d+)", str(error))
    return int(found[1]) if found else None


def _write(tmp_path: Path, lines: list[str], name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_minimal_pack_used_below_is_valid(tmp_path: Path) -> None:
    pack = load_pack(_write(tmp_path, _valid_pack_lines()))
    assert pack.id == "demo"
    assert set(pack.topics) == set(TOPIC_IDS)


@pytest.mark.parametrize(("break_pack", "names"), BROKEN_PACKS)
def test_broken_pack_error_names_file_and_line(
    tmp_path: Path, break_pack: Callable[[list[str]], tuple[int, int]], names: str
) -> None:
    lines = _valid_pack_lines()
    first_line, last_line = break_pack(lines)
    path = _write(tmp_path, lines, "broken_pack.toml")

    with pytest.raises(PackError) as caught:
        load_pack(path)

    message = str(caught.value)
    assert "broken_pack.toml" in message
    assert names in message
    line = _reported_line(caught.value)
    assert line is not None, f"no line in: {message}"
    assert first_line <= line <= last_line, f"line {line} not in {first_line}..{last_line}: {message}"


def _drop_topic(lines: list[str], topic_id: str) -> list[str]:
    start = _index(lines, f"[topics.{topic_id}]")
    end = lines.index("", start)
    return lines[:start] + lines[end:]


def test_missing_topic_error_names_file_and_topic(tmp_path: Path) -> None:
    path = _write(tmp_path, _drop_topic(_valid_pack_lines(), "calls"), "no_calls.toml")
    with pytest.raises(PackError, match=r"no_calls\.toml.*missing topics: calls"):
        load_pack(path)


def test_missing_topic_error_names_a_line(tmp_path: Path) -> None:
    lines = _drop_topic(_valid_pack_lines(), "calls")
    path = _write(tmp_path, lines, "no_calls.toml")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    # The [topics.*] section is where the topic belongs; its first header is the place to point at.
    assert _reported_line(caught.value) == _index(lines, f"[topics.{TOPIC_IDS[0]}]") + 1


def test_load_packs_names_the_broken_file_among_good_ones(tmp_path: Path) -> None:
    _write(tmp_path, _valid_pack_lines(), "a_good.toml")
    broken = _valid_pack_lines()
    _unknown_topic(broken)
    broken[0] = 'id = "other"'
    _write(tmp_path, broken, "b_broken.toml")

    with pytest.raises(PackError, match=r"b_broken\.toml:\d+: unknown topic 'emails'"):
        load_packs(tmp_path)


def test_load_packs_on_an_empty_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no policy packs") as caught:
        load_packs(tmp_path)
    assert str(tmp_path) in str(caught.value)
