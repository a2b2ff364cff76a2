"""``python bot.py --sandbox``: try GigGuard in a terminal, with no token and no network.

Starts the local Discord emulator with a demo server ("GigGuard Demo": #general, #fiverr-help,
a member "newbie"), runs the real bot.py against it with a throwaway database, and turns each
line you type into a message from "newbie" (or a slash command, for lines starting with
/policy or /checkdraft). GigGuard's answers are printed, embeds as plain text.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import sys
import tempfile
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devtools.bot_process import BotProcess, start_bot_process
from devtools.emulator import Channel, FakeDiscord, Guild, Member, RecordedCall

EPHEMERAL = 1 << 6
BOOLEAN_OPTION = 5
TRUE_WORDS = ("true", "yes", "on", "1")
FIRST_ANSWER_WITHIN = 3.0  # seconds to wait for GigGuard to say something
QUIET_AFTER = 0.4  # the answer is complete once nothing new came for this long
QUIT_WORDS = ("quit", "exit", ":quit", ":q")
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
MARKDOWN_ESCAPE = re.compile(r"\\([*_~`|>\\])")
CODE_FENCE = re.compile(r"^```\w*(?:\n|$)", re.MULTILINE)

HELP = """\
Type a message and press Enter: it is posted in the channel as {member}.
  /policy TOPIC [PLATFORM] [public]   what the rules say, e.g. /policy email fiverr
  /checkdraft [TEXT]                  check a draft before sending it; without TEXT a form opens
  :edit TEXT        edit your last message         :as NAME        speak as another member
  :channel NAME     switch channel (#general, #fiverr-help)
  :help             this help                      quit            leave (Ctrl-D works too)
Try: just ask your Fiverr buyer for their WhatsApp number and skip the fees
     Is it allowed to email my Fiverr buyer?"""


class Sandbox:
    """The demo server, the prompt state, and turning GigGuard's REST calls into text."""

    def __init__(self) -> None:
        self.emu = FakeDiscord()
        world = self.emu.world
        self.guild: Guild = world.add_guild("GigGuard Demo")
        self.channel: Channel = world.add_channel(self.guild, "general")
        world.add_channel(self.guild, "fiverr-help")
        self.member: Member = world.add_member(self.guild, "newbie")
        self.last_message: dict[str, Any] | None = None
        self.pending_modal: dict[str, Any] | None = None  # the interaction whose form is open
        self.database_path: Path | None = None  # the bot's throwaway database, once it runs

    # input --------------------------------------------------------------------------------

    def prompt(self) -> str:
        if self.pending_modal is not None:
            return "form> "
        return f"{self.member.user.name} in #{self.channel.name}> "

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the user wants to leave."""
        text = line.strip()
        if self.pending_modal is not None:
            opened, self.pending_modal = self.pending_modal, None
            await self.act(self.emu.submit_modal(opened, text, member=self.member))
            return True
        if not text:
            return True
        if text.lower() in QUIT_WORDS:
            return False
        if text.startswith(":"):
            self.meta(text)
            if text.startswith(":edit"):
                await self.edit(text.removeprefix(":edit").strip())
            return True
        if text.startswith("/"):
            await self.slash(text)
            return True
        self.last_message = await self.act(self.emu.post_message(self.channel, self.member, text))
        return True

    def meta(self, text: str) -> None:
        command, _, argument = text.partition(" ")
        argument = argument.strip()
        if command == ":help":
            say(HELP.format(member=self.member.user.name))
        elif command == ":as" and argument:
            try:
                self.member = self.guild.member_named(argument)
            except KeyError:
                self.member = self.emu.world.add_member(self.guild, argument)
            self.last_message = None
            say(f"You are now {argument}.")
        elif command == ":channel" and argument:
            try:
                self.channel = self.guild.text_channel(argument)
            except KeyError:
                say(f"No channel #{argument.lstrip('#')}. Channels: {self.channel_names()}")
        elif command != ":edit":
            say("Unknown sandbox command; :help lists them.")

    def channel_names(self) -> str:
        return ", ".join(f"#{channel.name}" for channel in self.guild.channels.values())

    async def edit(self, text: str) -> None:
        if self.last_message is None:
            say("Nothing to edit yet: post a message first.")
        elif text:
            await self.act(self.emu.edit_message(self.last_message, text))

    async def slash(self, text: str) -> None:
        name, _, rest = text[1:].partition(" ")
        command = self.command(name)
        if command is None:
            known = ", ".join(f"/{c['name']}" for c in self.slash_commands())
            say(f"GigGuard has no /{name} command. Commands: {known or '(none synced)'}")
            return
        options = parse_options(rest, command.get("options", []))
        interaction = await self.act(
            self.emu.slash_command(name, channel=self.channel, member=self.member, options=options)
        )
        if self.emu.modal_for(interaction) is not None:
            self.pending_modal = interaction

    def slash_commands(self) -> list[dict[str, Any]]:
        synced = self.emu.world.commands.get(self.guild.id, []) + self.emu.world.commands.get(None, [])
        return [command for command in synced if command.get("type", 1) == 1]

    def command(self, name: str) -> dict[str, Any] | None:
        return next((c for c in self.slash_commands() if c["name"] == name.lower()), None)

    # output -------------------------------------------------------------------------------

    async def act(self, action: Any) -> Any:
        """Run an emulator action, then print whatever GigGuard does in answer."""
        mark = self.emu.mark()
        result = await action
        calls = await self.answer_calls(mark)
        if not calls and isinstance(result, dict) and self.warned_silently(result):
            say("(GigGuard recorded a warning but stayed quiet: it replies to a member once per cooldown)")
        elif not calls:
            say("(GigGuard stays quiet)")
        for call in calls:
            for line in self.render(call):
                say(line)
        return result

    def warned_silently(self, message: dict[str, Any]) -> bool:
        """Whether the bot stored a warning for a message it did not answer (reply cooldown)."""
        if self.database_path is None or "author" not in message:
            return False
        try:
            with contextlib.closing(sqlite3.connect(self.database_path, timeout=2)) as connection:
                query = "SELECT 1 FROM warnings WHERE message_id = ?"
                return connection.execute(query, (int(message["id"]),)).fetchone() is not None
        except sqlite3.Error:
            return False

    async def answer_calls(self, mark: int) -> list[RecordedCall]:
        def answers() -> list[RecordedCall]:
            return [call for call in self.emu.calls[mark:] if call.status < 300 and is_visible_answer(call)]

        with contextlib.suppress(TimeoutError):
            await self.emu.wait_until(answers, within=FIRST_ANSWER_WITHIN)
        seen = -1
        while len(answers()) != seen:  # wait for follow-ups until GigGuard goes quiet
            seen = len(answers())
            await asyncio.sleep(QUIET_AFTER)
        return answers()

    def render(self, call: RecordedCall) -> list[str]:
        body = call.json or {}
        if "/callback" in call.path:
            kind = body.get("type")
            data = body.get("data") or {}
            if kind == 9:
                return [f'GigGuard opened a form "{data.get("title", "")}". Type its text on the next line:']
            if kind == 5:
                return ["GigGuard is thinking..."]
            return render_message("GigGuard", data, private=bool(int(data.get("flags") or 0) & EPHEMERAL))
        message = call.response if isinstance(call.response, dict) else body
        private = bool(int(message.get("flags") or 0) & EPHEMERAL)
        channel = self.emu.world.channels.get(int(message.get("channel_id", 0)))
        if channel is not None and channel.type == 1:
            who = "GigGuard (direct message to you)"
        elif call.method == "PATCH":
            who = "GigGuard (edited)"
        elif "message_reference" in body:
            who = "GigGuard (reply)"
        else:
            who = "GigGuard"
        return render_message(who, message, private=private)


def is_visible_answer(call: RecordedCall) -> bool:
    if call.method == "POST":
        return (
            re.fullmatch(
                r"/channels/\d+/messages|/interactions/\d+/[^/]+/callback|/webhooks/\d+/[^/]+", call.path
            )
            is not None
        )
    if call.method == "PATCH":
        return (
            re.fullmatch(r"/channels/\d+/messages/\d+|/webhooks/\d+/[^/]+/messages/[^/]+", call.path)
            is not None
        )
    return False


def parse_options(text: str, schema: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`/policy email fiverr public` -> {"topic": "email", "platform": "fiverr", "public": True}.

    `name:value` sets an option by name; a word equal to a yes/no option's name sets it; other
    words fill the remaining options in order, the last one taking the rest of the line.
    """
    options: dict[str, Any] = {}
    names = {option["name"]: option for option in schema}
    flags = {name for name, option in names.items() if option["type"] == BOOLEAN_OPTION}
    words: list[str] = []
    for word in text.split():
        key, separator, value = word.partition(":")
        if separator and key in names and value:
            options[key] = value.lower() in TRUE_WORDS if key in flags else value
        elif word.lower() in flags:
            options[word.lower()] = True
        else:
            words.append(word)
    open_options = [o["name"] for o in schema if o["name"] not in options and o["type"] != BOOLEAN_OPTION]
    for index, name in enumerate(open_options):
        if not words:
            break
        is_last = index == len(open_options) - 1
        options[name] = " ".join(words) if is_last else words.pop(0)
        if is_last:
            words = []
    return options


def render_message(who: str, message: dict[str, Any], *, private: bool) -> list[str]:
    lines = [f"{who}{' (only you can see this)' if private else ''}:"]
    if message.get("content"):
        lines += indent(plain(message["content"]))
    for embed in message.get("embeds") or []:
        lines += render_embed(embed)
    for row in message.get("components") or []:
        labels = [c.get("label") for c in row.get("components", []) if c.get("label")]
        if labels:
            lines.append("  " + "  ".join(f"[{label}]" for label in labels))
    return lines


def render_embed(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if embed.get("title"):
        lines += indent(f"== {plain(embed['title'])} ==", "  | ")
    if embed.get("description"):
        lines += indent(plain(embed["description"]), "  | ")
    for field in embed.get("fields") or []:
        lines += indent(f"{plain(field['name'])}:", "  | ")
        lines += indent(plain(field["value"]), "  |   ")
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines += indent(f"({plain(footer)})", "  | ")
    return lines


def plain(text: str) -> str:
    """Discord markdown to terminal text: links as "title <url>", no bold markers, fences or escapes."""
    text = LINK.sub(r"\1 <\2>", text)
    text = CODE_FENCE.sub("", text).replace("**", "").replace("__", "")
    return MARKDOWN_ESCAPE.sub(r"\1", text).strip("\n")


def indent(text: str, prefix: str = "  ") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width=100, subsequent_indent="  ") or [""]
        lines += [prefix + line for line in wrapped]
    return lines


def say(text: str) -> None:
    print(text, flush=True)


def start_stdin_reader(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Lines from stdin, read in a daemon thread so a pending read never blocks the exit. None = EOF."""
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read, name="sandbox-stdin", daemon=True).start()
    return lines


async def run(workdir: Path) -> int:
    sandbox = Sandbox()
    await sandbox.emu.start()
    bot: BotProcess | None = None
    try:
        say(f'GigGuard sandbox: a pretend Discord server "{sandbox.guild.name}" ({sandbox.channel_names()}).')
        say("Starting GigGuard (no token, no network, nothing saved)...")
        try:
            bot = await start_bot_process(sandbox.emu, sandbox.guild, workdir)
        except (RuntimeError, TimeoutError) as error:
            say(f"GigGuard did not start:\n{error}")
            return 1
        sandbox.database_path = bot.database_path
        say("GigGuard is online.\n")
        say(HELP.format(member=sandbox.member.user.name))
        lines = start_stdin_reader(asyncio.get_running_loop())
        echo = not sys.stdin.isatty()  # piped input: show what was "typed"
        while True:
            print(f"\n{sandbox.prompt()}", end="", flush=True)
            line = await lines.get()
            if line is None:
                say("")
                break
            if echo:
                say(line.rstrip("\n"))
            if not await sandbox.handle(line):
                break
            if bot.process.returncode is not None:
                say(f"GigGuard stopped unexpectedly (exit code {bot.process.returncode}):\n{bot.log[-3000:]}")
                return 1
        say("Stopping GigGuard...")
        return 0
    finally:
        if bot is not None:
            await bot.stop()
        await sandbox.emu.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python bot.py --sandbox`` (and ``python -m devtools.sandbox``)."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # embeds use bullets and dots old consoles lack
    with tempfile.TemporaryDirectory(prefix="gigguard-sandbox-") as workdir:
        try:
            code = asyncio.run(run(Path(workdir)))
        except KeyboardInterrupt:
            code = 0
    say("Bye.")
    return code


if __name__ == "__main__":
    sys.exit(main())
