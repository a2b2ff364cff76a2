"""``python bot.py --sandbox``: typed lines in, GigGuard's answers out as readable text."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from devtools.bot_process import BOT_PATH, REPO
from devtools.sandbox import Sandbox, parse_options, plain, render_embed

POLICY_OPTIONS: list[dict[str, Any]] = [
    {"name": "topic", "type": 3},
    {"name": "platform", "type": 3},
    {"name": "public", "type": 5},
]
CHECKDRAFT_OPTIONS: list[dict[str, Any]] = [{"name": "text", "type": 3}]


@pytest.mark.parametrize(
    ("text", "schema", "expected"),
    [
        ("email fiverr", POLICY_OPTIONS, {"topic": "email", "platform": "fiverr"}),
        ("email fiverr public", POLICY_OPTIONS, {"topic": "email", "platform": "fiverr", "public": True}),
        ("email", POLICY_OPTIONS, {"topic": "email"}),
        ("platform:upwork payments", POLICY_OPTIONS, {"platform": "upwork", "topic": "payments"}),
        ("public:no email", POLICY_OPTIONS, {"public": False, "topic": "email"}),
        ("", CHECKDRAFT_OPTIONS, {}),
        ("my email is a@b.com", CHECKDRAFT_OPTIONS, {"text": "my email is a@b.com"}),
    ],
)
def test_parse_options(text: str, schema: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    assert parse_options(text, schema) == expected


def test_embeds_render_as_plain_text() -> None:
    embed = {
        "title": "Fiverr rules: **Email**",
        "description": "Masked: s\\*\\*\\*@g\\*\\*\\*.com\n```\nSend this instead\n```",
        "fields": [{"name": "Source", "value": "[Fiverr help](https://help.fiverr.com/x)"}],
        "footer": {"text": "Active warnings: 1"},
    }
    text = "\n".join(render_embed(embed))
    assert "== Fiverr rules: Email ==" in text
    assert "s***@g***.com" in text
    assert "```" not in text
    assert "Fiverr help <https://help.fiverr.com/x>" in text
    assert "(Active warnings: 1)" in text
    assert plain("a **b** c") == "a b c"


def run_sandbox(stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BOT_PATH), "--sandbox"],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=180,
        check=False,
    )


@pytest.mark.e2e
def test_sandbox_session_shows_replies_commands_and_forms() -> None:
    session = "\n".join(
        [
            "hello everyone, first day here",
            "just ask your Fiverr buyer for their WhatsApp number and skip the fees",
            "/policy email fiverr",
            "/checkdraft",
            "my email is sam.design@gmail.com",
            "/nosuchcommand",
            "ok and also just ask your Fiverr buyer for their WhatsApp number and skip the fees",
        ]
    )
    result = run_sandbox(session + "\n")  # then end of input, like Ctrl-D

    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in out + result.stderr
    assert 'pretend Discord server "GigGuard Demo"' in out
    small_talk = out.split("newbie in #general> hello everyone, first day here\n", 1)[1]
    assert small_talk.startswith("(GigGuard stays quiet)"), "small talk gets no answer"
    warned = out.split("newbie in #general> just ask your Fiverr buyer", 1)[1].split("\n", 1)[1]
    assert warned.startswith("GigGuard (reply):\n  | == "), "the warning is shown with its embed"
    assert "/policy email fiverr\nGigGuard (only you can see this):" in out
    assert 'GigGuard opened a form "' in out
    form_answer = out.split("form> my email is sam.design@gmail.com\n", 1)[1]
    assert form_answer.startswith("GigGuard (only you can see this):")
    assert "GigGuard has no /nosuchcommand command" in out
    second = out.split("newbie in #general> ok and also just ask", 1)[1].split("\n", 1)[1]
    assert second.startswith("(GigGuard recorded a warning but stayed quiet"), (
        "the reply cooldown is explained"
    )
    assert out.rstrip().endswith("Bye.")


@pytest.mark.parametrize("word", ["quit", "exit", " QUIT "])
async def test_quit_words_end_the_session(word: str) -> None:
    assert await Sandbox().handle(word) is False


async def test_sandbox_commands_switch_member_and_channel() -> None:
    sandbox = Sandbox()
    assert await sandbox.handle(":as mod") is True
    assert await sandbox.handle(":channel #fiverr-help") is True
    assert sandbox.prompt() == "mod in #fiverr-help> "
