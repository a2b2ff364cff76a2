"""Human names for rule ids and topics (rules/naming.py), and the masked text kept for retraining."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules import TOPIC_IDS, Finding
from rules.contacts import LINK_KINDS
from rules.naming import (
    MODEL_ADVICE,
    RULE_NAMES,
    TOPIC_NAMES,
    emittable_rule_ids,
    rule_name,
    rules_line,
    search,
    topic_key,
    topic_key_name,
    topic_name,
)
from rules.policy import load_packs
from rules.redact import HIDDEN, masked_text

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def rule_ids_in_contacts() -> set[str]:
    """Every rule id rules/contacts.py and rules/pointers.py can give a finding (literals, and
    the link kinds)."""
    names = ("contacts.py", "pointers.py")
    source = "".join((RULES_DIR / name).read_text(encoding="utf-8") for name in names)
    literal = set(re.findall(r'"(contact\.[a-z-]+)"', source))
    links = {f"contact.link-{kind}" for kind in {*LINK_KINDS.values(), "link"}}
    return literal | links


def test_every_rule_the_detector_emits_has_a_human_name() -> None:
    missing = rule_ids_in_contacts() - set(RULE_NAMES)
    assert not missing, f"add a human name in rules/naming.py for {sorted(missing)}"
    assert MODEL_ADVICE in emittable_rule_ids()


def test_names_come_first_and_the_id_follows_in_brackets() -> None:
    assert rule_name("contact.email") == "Email address [contact.email]"
    assert rule_name("model.advice") == "Advice to move off the platform (wording) [model.advice]"
    # Rule ids of warnings recorded before 0003 ("platform.topic") still get a name.
    assert rule_name("fiverr.payments") == "Advice about payments outside the platform [fiverr.payments]"
    assert rule_name("x") == "Older rule [x]"
    assert rules_line(["contact.email", "contact.phone", "contact.iban", "contact.skype-id"], limit=2) == (
        "Email address [contact.email]; Phone number [contact.phone] and 2 more"
    )


def test_topic_names_come_from_the_packs() -> None:
    packs = load_packs()
    assert set(TOPIC_NAMES) == set(TOPIC_IDS)
    assert topic_name(packs, "upwork", "payments") == "Payments outside Upwork [payments]"
    assert topic_name(packs, "fiverr", "email") == "Email addresses (Fiverr) [email]"
    assert topic_name(packs, "nowhere", "calls") == "Calls and video meetings [calls]"
    assert topic_name(packs, "fiverr", None) == "Topic not recorded"
    assert topic_key("upwork", "payments") == "upwork.payments"
    assert topic_key_name(packs, "upwork.payments") == "Payments outside Upwork [payments]"
    assert topic_key_name(packs, "email") == "Email addresses [email]", "an answer counted before 0003"
    assert topic_key_name(packs, "") == "Topic not recorded"


def test_search_matches_names_and_ids_prefix_first() -> None:
    choices = [
        ("Rule: Email address [contact.email]", "contact.email"),
        ("Topic: Email addresses [email]", "email"),
    ]
    assert [value for _, value in search(choices, "em")] == ["email", "contact.email"]
    assert search(choices, "zzz") == []


@pytest.mark.parametrize(
    ("text", "findings", "kept"),
    [
        (
            "mail me at sam@gmail.com or call +1 555 123 4567",
            (
                Finding("email", (11, 24), "contact.email", "s***@g****.com"),
                Finding("phone", (33, 48), "contact.phone", "+1 *** *** 4567"),
            ),
            "mail me at s***@g****.com or call +1 *** *** 4567",
        ),
        ("no contacts here", (), "no contacts here"),
        ("id: live:sam", (Finding("handle", (4, 12), "contact.skype-id", ""),), f"id: {HIDDEN}"),
        # Overlapping findings: the first wins, nothing of the second leaks.
        ("x sam@gmail.com", (Finding("a", (2, 15), "r", "M1"), Finding("b", (6, 15), "r", "M2")), "x M1"),
        # What cannot be stored becomes a character of the same length, so the spans still fit.
        ("a\x00b \ud800 c@d.io", (Finding("email", (6, 12), "contact.email", "c@d.**"),), "a b ? c@d.**"),
    ],
)
def test_masked_text_replaces_every_finding(text: str, findings: tuple[Finding, ...], kept: str) -> None:
    assert masked_text(text, findings) == kept
