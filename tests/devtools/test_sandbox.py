"""``python bot.py --sandbox``: typed lines in, GigGuard's answers out as readable text.

Three layers: the parsing of typed commands against a synced command tree (plain functions), the
sandbox driving a small discord.py bot built like GigGuard (moderator group, subcommands, member
options, buttons, a file) through the emulator, and whole sessions of the real ``bot.py --sandbox``.
"""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from devtools.bot_process import BOT_PATH, REPO
from devtools.emulator import World
from devtools.emulator.world import MODERATOR_PERMISSIONS
from devtools.sandbox import CommandError, Sandbox, parse_command, parse_options, plain, render_embed
from tests.devtools.conftest import make_bot

POLICY_OPTIONS: list[dict[str, Any]] = [  # as GigGuard syncs /policy: both texts have suggestions
    {"name": "topic", "type": 3, "required": True, "autocomplete": True},
    {"name": "platform", "type": 3, "autocomplete": True},
    {"name": "public", "type": 5},
]
CHECKDRAFT_OPTIONS: list[dict[str, Any]] = [{"name": "text", "type": 3}]
PARDON_OPTIONS: list[dict[str, Any]] = [
    {"name": "warning_id", "type": 4, "required": True, "autocomplete": True, "min_value": 1},
    {"name": "reason", "type": 3, "required": True, "min_length": 1, "max_length": 300},
]


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
        (
            "warning_id:3 reason:posted by mistake",
            PARDON_OPTIONS,
            {"warning_id": "3", "reason": "posted by mistake"},
        ),
        ('reason:"spam, really" warning_id:4', PARDON_OPTIONS, {"warning_id": "4", "reason": "spam, really"}),
        ("3 it was fine after all", PARDON_OPTIONS, {"warning_id": "3", "reason": "it was fine after all"}),
    ],
)
def test_parse_options(text: str, schema: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    assert parse_options(text, schema) == expected


@pytest.mark.parametrize(
    ("text", "schema", "said"),
    [
        ("email public:maybe", POLICY_OPTIONS, "public is yes or no, not 'maybe'"),
        ("email fiverr extra words", [*POLICY_OPTIONS[:2]], None),  # the last option takes the rest
        ("", [], None),
        ("stray", [], "No option left for 'stray'"),
    ],
)
def test_parse_options_refuses_what_discord_would_not_send(
    text: str, schema: list[dict[str, Any]], said: str | None
) -> None:
    if said is None:
        parse_options(text, schema)
        return
    with pytest.raises(CommandError, match=re.escape(said)):
        parse_options(text, schema)


# The shape of the tree GigGuard syncs (a subset): a group with a subcommand group, subcommands
# with member, role, integer and choice options, moderator-only commands.
SYNCED: list[dict[str, Any]] = [
    {"name": "policy", "type": 1, "options": POLICY_OPTIONS},
    {
        "name": "warnings",
        "type": 1,
        "default_member_permissions": "8192",
        "options": [
            {"name": "list", "type": 1, "options": [{"name": "member", "type": 6, "required": True}]}
        ],
    },
    {"name": "pardon", "type": 1, "default_member_permissions": "8192", "options": PARDON_OPTIONS},
    {
        "name": "gigguard",
        "type": 1,
        "default_member_permissions": "8192",
        "options": [
            {
                "name": "config",
                "type": 2,
                "options": [
                    {"name": "show", "type": 1},
                    {
                        "name": "exempt_role",
                        "type": 1,
                        "options": [
                            {"name": "role", "type": 8, "required": True},
                            {"name": "exempt", "type": 5, "required": True},
                        ],
                    },
                ],
            },
            {
                "name": "export",
                "type": 1,
                "options": [
                    {
                        "name": "format",
                        "type": 3,
                        "choices": [
                            {"name": "warnings (CSV)", "value": "csv"},
                            {"name": "labelled decisions for retraining (JSONL)", "value": "jsonl"},
                        ],
                    }
                ],
            },
        ],
    },
]


@pytest.fixture
def world() -> World:
    world = World()
    guild = world.add_guild("Demo")
    world.add_channel(guild, "general")
    world.add_role(guild, "Moderators", permissions=MODERATOR_PERMISSIONS)
    world.add_member(guild, "newbie")
    return world


def test_subcommand_groups_and_subcommands_are_words_after_the_command(world: World) -> None:
    [guild] = world.guilds.values()
    typed = parse_command("/gigguard config show", SYNCED, guild)
    assert (typed.path, typed.options) == ("gigguard config show", {})
    assert typed.command["name"] == "gigguard"
    export = parse_command("/gigguard export format:CSV", SYNCED, guild)
    assert (export.path, export.options) == ("gigguard export", {"format": "csv"})


@pytest.mark.parametrize(
    "written", ["member:@newbie", "member:newbie", "@newbie", "member:<@{id}>", "<@!{id}>"]
)
def test_a_member_option_names_a_member_of_the_server(world: World, written: str) -> None:
    [guild] = world.guilds.values()
    newbie = guild.member_named("newbie")
    typed = parse_command(f"/warnings list {written.format(id=newbie.user.id)}", SYNCED, guild)
    assert typed.path == "warnings list"
    assert typed.options == {"member": newbie}


def test_role_integer_and_yes_no_options_are_converted(world: World) -> None:
    [guild] = world.guilds.values()
    role = next(r for r in guild.roles.values() if r.name == "Moderators")
    typed = parse_command("/gigguard config exempt_role role:@Moderators exempt:yes", SYNCED, guild)
    assert typed.options == {"role": role, "exempt": True}
    pardon = parse_command("/pardon warning_id:3 reason:posted by mistake", SYNCED, guild)
    assert pardon.options == {"warning_id": 3, "reason": "posted by mistake"}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("/nosuchcommand", "GigGuard has no /nosuchcommand command. Commands: /policy, /warnings"),
        ("/gigguard", "/gigguard needs a subcommand. Choose one:\n  /gigguard config show\n"),
        ("/gigguard config shwo", "/gigguard config has no subcommand 'shwo'"),
        ("/warnings list", "member is required (@member). Usage: /warnings list member:@member"),
        ("/warnings list member:@ghost", "No member @ghost. Members: @owner, @newbie"),
        ("/pardon warning_id:0 reason:x", "warning_id is between 1 and None"),
        ("/pardon warning_id:three reason:x", "warning_id is a number, not 'three'"),
        ("/pardon warning_id:3", "reason is required (TEXT). Usage: /pardon warning_id:NUMBER reason:TEXT"),
        ("/gigguard export format:pdf", "format is one of: csv, jsonl"),
        ("/gigguard config exempt_role role:@admins exempt:no", "No role @admins. Roles: @everyone"),
    ],
)
def test_commands_discord_would_not_send_say_what_to_type(world: World, text: str, said: str) -> None:
    [guild] = world.guilds.values()
    with pytest.raises(CommandError) as refused:
        parse_command(text, SYNCED, guild)
    assert said in str(refused.value)


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


# The sandbox driving a discord.py bot built like GigGuard ---------------------------------------

CHART = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def gigguard_like_bot() -> commands.Bot:
    """Moderator commands in a group with a subcommand group, a member option, a deferred answer
    with a file, and a reply with two buttons: the shapes the sandbox must handle."""
    bot = make_bot()
    moderators = discord.Permissions(manage_messages=True)
    gigguard = app_commands.Group(
        name="gigguard", description="For moderators.", default_permissions=moderators
    )
    config = app_commands.Group(name="config", description="Settings.", parent=gigguard)
    warnings = app_commands.Group(name="warnings", description="Warnings.", default_permissions=moderators)

    @config.command(name="show", description="Show the settings.")
    async def show(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"settings, shown to {interaction.user.name}", ephemeral=True)

    @gigguard.command(name="stats", description="Figures and a chart.")
    async def stats(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(1.0)  # longer than the sandbox's quiet pause: it must wait for this
        chart = discord.File(io.BytesIO(CHART), filename="chart.png")
        await interaction.followup.send("7 warnings", file=chart, ephemeral=True)

    @warnings.command(name="list", description="A member's warnings.")
    async def list_warnings(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"warnings of {member.name} ({member.id})", ephemeral=True)

    class Review(discord.ui.View):
        @discord.ui.button(label="Not a violation", custom_id="toy:dismiss")
        async def dismiss(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            await interaction.response.edit_message(
                content=f"dismissed by {interaction.user.name}", view=None
            )

        @discord.ui.button(label="I think this is wrong", custom_id="toy:dispute")
        async def dispute(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            await interaction.response.send_message("a moderator will look", ephemeral=True)

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot and "whatsapp" in message.content.lower():
            await message.reply("keep it on Fiverr", view=Review(timeout=None))

    bot.tree.add_command(gigguard)
    bot.tree.add_command(warnings)
    return bot


@pytest.fixture
async def sandbox(
    monkeypatch: pytest.MonkeyPatch, start_bot: Callable[..., Any]
) -> AsyncIterator[tuple[Sandbox, commands.Bot]]:
    """The sandbox's demo server with the GigGuard-like bot logged in and its commands synced."""
    sandbox = Sandbox()
    await sandbox.emu.start()
    monkeypatch.setattr(discord.http.Route, "BASE", sandbox.emu.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(sandbox.emu.gateway_url)
    )
    bot = await start_bot(gigguard_like_bot())
    await bot.tree.sync()
    yield sandbox, bot
    await sandbox.emu.stop()


async def typed(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], line: str) -> str:
    """What the terminal shows after typing `line`."""
    capsys.readouterr()
    assert await sandbox.handle(line) is True
    return capsys.readouterr().out


async def test_moderator_role_is_given_and_taken_and_the_bot_sees_it(
    sandbox: tuple[Sandbox, commands.Bot], capsys: pytest.CaptureFixture[str]
) -> None:
    demo, bot = sandbox
    guild = bot.get_guild(demo.guild.id)
    assert guild is not None
    newbie = demo.member.user.id

    out = await typed(demo, capsys, "/gigguard config show")
    assert "On Discord only members with Manage Messages see /gigguard" in out, "hidden from members"
    assert not demo.emu.interactions, "nothing was sent"

    out = await typed(demo, capsys, ":moderator")
    assert "newbie is now a moderator (role @Moderators: Manage Messages)" in out
    assert demo.prompt() == "newbie (moderator) in #general> "
    seen = await demo.emu.wait_until(lambda: guild.get_member(newbie), what="GUILD_MEMBER_UPDATE")
    await demo.emu.wait_until(
        lambda: seen.guild_permissions.manage_messages, what="the role reaching the bot"
    )

    out = await typed(demo, capsys, "/gigguard config show")
    assert "GigGuard (only you can see this):\n  settings, shown to newbie" in out

    out = await typed(demo, capsys, ":member")
    assert "newbie is a plain member again." in out
    assert demo.prompt() == "newbie in #general> "
    await demo.emu.wait_until(lambda: not guild.get_member(newbie).guild_permissions.manage_messages)  # type: ignore[union-attr]
    assert "only members with Manage Messages" in await typed(demo, capsys, "/warnings list @newbie")


async def test_a_subcommand_arrives_as_the_nested_interaction_discord_sends(
    sandbox: tuple[Sandbox, commands.Bot], capsys: pytest.CaptureFixture[str]
) -> None:
    demo, _ = sandbox
    await typed(demo, capsys, ":moderator")

    out = await typed(demo, capsys, "/gigguard config show")

    assert "settings, shown to newbie" in out
    [interaction] = [record.payload for record in demo.emu.interactions.values()]
    assert interaction["data"]["name"] == "gigguard"
    assert interaction["data"]["options"] == [
        {"name": "config", "type": 2, "options": [{"name": "show", "type": 1, "options": []}]}
    ]


async def test_a_member_option_is_written_as_a_mention(
    sandbox: tuple[Sandbox, commands.Bot], capsys: pytest.CaptureFixture[str]
) -> None:
    demo, _ = sandbox
    await typed(demo, capsys, ":as mod")
    await typed(demo, capsys, ":moderator")
    newbie = demo.guild.member_named("newbie").user.id

    out = await typed(demo, capsys, "/warnings list member:@newbie")

    assert f"warnings of newbie ({newbie})" in out, "discord.py resolved the member"
    assert f"warnings of newbie ({newbie})" in await typed(demo, capsys, f"/warnings list <@{newbie}>")
    out = await typed(demo, capsys, "/warnings list member:@nobody")
    assert "No member @nobody. Members: @owner, @newbie, @mod" in out


async def test_buttons_are_listed_and_pressed_from_the_prompt(
    sandbox: tuple[Sandbox, commands.Bot], capsys: pytest.CaptureFixture[str]
) -> None:
    demo, _ = sandbox
    assert "No buttons to press" in await typed(demo, capsys, ":press")

    out = await typed(demo, capsys, "my whatsapp is in my bio")
    assert (
        "GigGuard (reply):\n  keep it on Fiverr\n  buttons: 1 [Not a violation]  2 [I think this is wrong]"
        in out
    )
    listed = await typed(demo, capsys, ":press")
    assert "  1 [Not a violation]\n  2 [I think this is wrong]\n" in listed

    out = await typed(demo, capsys, ":press 2")
    assert "GigGuard (only you can see this):\n  a moderator will look" in out
    out = await typed(demo, capsys, ":press not a violation")
    assert "GigGuard (updated the message):\n  dismissed by newbie" in out
    assert "buttons:" not in out, "the bot took its buttons away"
    assert "has none any more" in await typed(demo, capsys, ":press 1")


async def test_a_file_upload_is_shown_with_its_url_after_the_bot_thinks(
    sandbox: tuple[Sandbox, commands.Bot], capsys: pytest.CaptureFixture[str]
) -> None:
    demo, _ = sandbox
    await typed(demo, capsys, ":moderator")

    out = await typed(demo, capsys, "/gigguard stats")

    assert "GigGuard is thinking...\nGigGuard (only you can see this):\n  7 warnings\n" in out
    shown = re.search(r"  file: chart\.png \((\d+) bytes\) at (http://\S+)", out)
    assert shown is not None, out
    assert int(shown.group(1)) == len(CHART)
    async with aiohttp.ClientSession() as session, session.get(shown.group(2)) as response:
        assert await response.read() == CHART


# Whole sessions of the real bot.py --sandbox ----------------------------------------------------


def run_sandbox(stdin: str, *, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BOT_PATH), "--sandbox"],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
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


def answer_after(out: str, typed: str) -> str:
    """What the sandbox printed for one typed line (with its prompt, if given), up to the next prompt."""
    marker = typed if "> " in typed else f"> {typed}"
    return out.split(f"{marker}\n", 1)[1].split("\n\n", 1)[0]


@pytest.mark.e2e
def test_sandbox_session_as_a_moderator_from_another_directory(tmp_path: Path) -> None:
    session = [
        "just ask your Fiverr buyer for their WhatsApp number and skip the fees",
        ":press",
        ":press 2",
        "/warnings list member:@newbie",
        ":moderator",
        "/gigguard config show",
        "/warnings list member:@newbie",
        "/gigguard stats",
        "/gigguard export",
        ":press 1",
        ":member",
        ":help",
    ]
    result = run_sandbox("\n".join(session) + "\n", cwd=tmp_path)  # not the checkout: no .env, no devtools

    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "Traceback" not in out + result.stderr
    assert "something went wrong" not in out
    warned = answer_after(out, session[0])
    assert warned.startswith("GigGuard (reply):")
    assert re.search(r"  buttons: 1 \[[^]]+\]  2 \[[^]]+\]   \(:press NUMBER\)", warned), warned
    assert re.search(r"\n  1 \[[^]]+\]\n  2 \[[^]]+\]\nPress one with", answer_after(out, ":press"))
    assert answer_after(out, ":press 2").startswith("GigGuard (only you can see this):\n  ")
    assert answer_after(out, session[3]).startswith(
        "On Discord only members with Manage Messages see /warnings"
    )
    assert "newbie (moderator) in #general> /gigguard config show\n" in out, "the prompt says who you are"
    settings = answer_after(out, "/gigguard config show")
    assert settings.startswith("GigGuard (only you can see this):\n  | == "), "the settings embed"
    listed = answer_after(out, "newbie (moderator) in #general> /warnings list member:@newbie")
    assert listed.startswith("GigGuard (only you can see this):\n  | == ")
    assert "#1" in listed, "newbie's warning #1 is listed"
    assert "newbie" in listed
    stats = answer_after(out, "/gigguard stats")
    assert stats.startswith("GigGuard is thinking...\nGigGuard (only you can see this):\n  | == ")
    assert re.search(r"\n  file: gigguard-stats\.png \([1-9]\d* bytes\) at http://127\.0\.0\.1:\d+/", stats)
    export = answer_after(out, "/gigguard export")
    assert re.search(
        r"\n  file: gigguard-warnings-\d+\.csv \([1-9]\d* bytes\) at http://127\.0\.0\.1:", export
    )
    dismissed = answer_after(out, ":press 1")
    assert dismissed.startswith("GigGuard (only you can see this):\n  ")
    assert "#1" in dismissed.split("\n", 2)[1], "warning #1 is dismissed"
    assert "newbie in #general> :help\n" in out, ":member made newbie a plain member again"
    help_text = answer_after(out, ":help")
    for command in (":moderator", ":member", ":press N", ":commands"):
        assert command in help_text


@pytest.mark.parametrize("word", ["quit", "exit", " QUIT "])
async def test_quit_words_end_the_session(word: str) -> None:
    assert await Sandbox().handle(word) is False


async def test_sandbox_commands_switch_member_and_channel() -> None:
    sandbox = Sandbox()
    assert await sandbox.handle(":as mod") is True
    assert await sandbox.handle(":channel #fiverr-help") is True
    assert sandbox.prompt() == "mod in #fiverr-help> "
