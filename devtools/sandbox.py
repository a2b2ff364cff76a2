"""``python bot.py --sandbox``: try GigGuard in a terminal, with no token and no network.

Starts the local Discord emulator with a demo server ("GigGuard Demo": #general, #fiverr-help,
a member "newbie", a "Moderators" role), runs the real bot.py against it with a throwaway
database, and turns each line you type into a message from the current member, or into a
slash command for lines starting with ``/``: the words are matched against the command tree the
bot synced (subcommand groups, subcommands, ``name:value`` options), as Discord's client would.
``:moderator`` gives the current member the Moderators role, ``:press`` presses the buttons of
GigGuard's messages. GigGuard's answers are printed, embeds and files as plain text.
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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devtools.bot_process import BotProcess, start_bot_process
from devtools.emulator import Channel, FakeDiscord, Guild, Member, RecordedCall, Role
from devtools.emulator.world import MANAGE_MESSAGES, MODERATOR_PERMISSIONS

EPHEMERAL = 1 << 6
# Application command option types (Discord API v10).
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING_OPTION = 3
INTEGER_OPTION = 4
BOOLEAN_OPTION = 5
USER_OPTION = 6
CHANNEL_OPTION = 7
ROLE_OPTION = 8
NUMBER_OPTION = 10
OPTION_KINDS = {
    STRING_OPTION: "TEXT",
    INTEGER_OPTION: "NUMBER",
    BOOLEAN_OPTION: "yes|no",
    USER_OPTION: "@member",
    CHANNEL_OPTION: "#channel",
    ROLE_OPTION: "@role",
    NUMBER_OPTION: "NUMBER",
}
# Component types and the link button style.
ACTION_ROW = 1
BUTTON = 2
LINK_STYLE = 5
# Interaction callback types the sandbox tells apart.
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_MODAL = 9
PERMISSION_NAMES = {
    1 << 1: "Kick Members",
    1 << 2: "Ban Members",
    1 << 3: "Administrator",
    1 << 5: "Manage Server",
    1 << 13: "Manage Messages",
    1 << 28: "Manage Roles",
    1 << 40: "Moderate Members",
}

TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")
FIRST_ANSWER_WITHIN = 3.0  # seconds to wait for GigGuard to say something
QUIET_AFTER = 0.4  # the answer is complete once nothing new came for this long
DEFERRED_WITHIN = 30.0  # how long a "thinking..." answer may take (charts, exports)
QUIT_WORDS = ("quit", "exit", ":quit", ":q")
MODERATOR_ROLE = "Moderators"
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
MARKDOWN_ESCAPE = re.compile(r"\\([*_~`|>\\])")
CODE_FENCE = re.compile(r"^```\w*(?:\n|$)", re.MULTILINE)
USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
CHANNEL_MENTION = re.compile(r"<#(\d+)>")
ANY_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")
TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")

HELP = """\
Type a message and press Enter: it is posted in the channel as {member}.
  /policy TOPIC [PLATFORM] [public]   what the rules say, e.g. /policy email fiverr
  /checkdraft [TEXT]                  check a draft before sending it; without TEXT a form opens
  /COMMAND [SUBCOMMAND] [name:value]  any command, e.g. /warnings list member:@newbie,
                                      /pardon warning_id:1 reason:posted by mistake
      option values: text runs to the next name:, members @name, channels #name, roles @name
  :commands         every command with its options (moderator-only ones marked)
  :moderator        become a moderator (the Moderators role: Manage Messages); :member undoes it
  :press            list the buttons of GigGuard's latest message that has buttons
  :press N          press its button N (or :press LABEL); a form it opens takes the next line
  :edit TEXT        edit your last message         :as NAME        speak as another member
  :channel NAME     switch channel (#general, #fiverr-help)
  :help             this help                      quit            leave (Ctrl-D works too)
Try: just ask your Fiverr buyer for their WhatsApp number and skip the fees
     Is it allowed to email my Fiverr buyer?
     :moderator, then /gigguard config show, /warnings list member:@{member}, /gigguard stats"""


class CommandError(ValueError):
    """A typed command Discord's client would not send; the message says why, for the terminal."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A typed slash command matched against the synced tree, ready for `FakeDiscord.slash_command`."""

    command: dict[str, Any]  # the synced top-level command
    path: str  # "gigguard config show": the command, then its group and subcommand if any
    options: dict[str, Any]  # option values as the emulator takes them (Member, Channel, Role, int...)


def subcommands(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in node.get("options") or [] if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]


def leaves(node: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    """Every runnable command path under `node` with its schema, e.g. ("gigguard config show", {...})."""
    children = subcommands(node)
    if not children:
        return [(path, node)]
    return [leaf for child in children for leaf in leaves(child, f"{path} {child['name']}")]


def usage(path: str, leaf: dict[str, Any]) -> str:
    """`/pardon warning_id:NUMBER reason:TEXT`, optional options in brackets, choices spelled out."""
    parts = [f"/{path}"]
    for option in leaf.get("options") or []:
        kind = "|".join(str(c["value"]) for c in option.get("choices") or []) or OPTION_KINDS.get(
            option["type"], "VALUE"
        )
        part = f"{option['name']}:{kind}"
        parts.append(part if option.get("required") else f"[{part}]")
    return " ".join(parts)


def permission_names(permissions: int) -> str:
    names = [name for bit, name in PERMISSION_NAMES.items() if permissions & bit]
    return " and ".join(names) or f"the permissions {permissions}"


def is_free_text(option: dict[str, Any]) -> bool:
    """A text option without choices or suggestions: its value may hold spaces."""
    return option["type"] == STRING_OPTION and not option.get("choices") and not option.get("autocomplete")


def parse_options(text: str, schema: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`/policy email fiverr public` -> {"topic": "email", "platform": "fiverr", "public": True}.

    `name:value` sets an option by name: a free text value runs to the next `name:`, any other
    value is one word. A word equal to a yes/no option's name sets it; other words fill the
    remaining options in order, the last one taking the rest of the line. Values stay text,
    except yes/no ones; `resolve_options` checks and converts the rest.
    """
    names = {option["name"]: option for option in schema}
    flags = {name for name, option in names.items() if option["type"] == BOOLEAN_OPTION}
    options: dict[str, Any] = {}
    words: list[str] = []
    pieces = [text]
    if names:
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        pieces = re.split(rf"(?<!\S)({alternatives}):", text, flags=re.IGNORECASE)
    words += pieces[0].split()
    for typed_name, typed_value in zip(pieces[1::2], pieces[2::2], strict=True):
        name, value = typed_name.lower(), typed_value.strip()
        if not is_free_text(names[name]):
            value, _, rest = value.partition(" ")
            words += rest.split()
        if value:
            options[name] = yes_or_no(name, value) if name in flags else unquote(value)
    for word in list(words):
        if word.lower() in flags and word.lower() not in options:
            options[word.lower()] = True
            words.remove(word)
    open_options = [o["name"] for o in schema if o["name"] not in options and o["type"] != BOOLEAN_OPTION]
    for index, name in enumerate(open_options):
        if not words:
            break
        is_last = index == len(open_options) - 1
        options[name] = " ".join(words) if is_last else words.pop(0)
        if is_last:
            words = []
    if words:
        raise CommandError(f"No option left for {' '.join(words)!r}.")
    return options


def unquote(value: str) -> str:
    """`"a b"` -> `a b`: quotes around a value are the typist's, not the value's."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def yes_or_no(name: str, value: str) -> bool:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise CommandError(f"{name} is yes or no, not {value!r}.")


def resolve_options(typed: dict[str, Any], schema: Sequence[dict[str, Any]], guild: Guild) -> dict[str, Any]:
    """Check typed options as Discord's client does (required, choices, ranges, who or what a
    mention names) and convert them to what the emulator sends: Member, Channel, Role, int..."""
    values: dict[str, Any] = {}
    for option in schema:
        name = option["name"]
        if name not in typed:
            if option.get("required"):
                kind = OPTION_KINDS.get(option["type"], "a value")
                raise CommandError(f"{name} is required ({kind}).")
            continue
        values[name] = option_value(option, typed[name], guild)
    return values


def option_value(option: dict[str, Any], value: Any, guild: Guild) -> Any:
    name, kind = option["name"], option["type"]
    if kind == BOOLEAN_OPTION:
        return value if isinstance(value, bool) else yes_or_no(name, str(value))
    text = str(value)
    if kind == STRING_OPTION:
        choices = option.get("choices") or []
        if choices:
            for choice in choices:
                if text.lower() in (str(choice["value"]).lower(), choice["name"].lower()):
                    return choice["value"]
            raise CommandError(f"{name} is one of: {', '.join(str(c['value']) for c in choices)}.")
        shortest, longest = option.get("min_length", 0), option.get("max_length", 6000)
        if not shortest <= len(text) <= longest:
            raise CommandError(f"{name} takes {shortest} to {longest} characters.")
        return text
    if kind in (INTEGER_OPTION, NUMBER_OPTION):
        try:
            number: float = int(text) if kind == INTEGER_OPTION else float(text)
        except ValueError:
            raise CommandError(f"{name} is a number, not {text!r}.") from None
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and number < low) or (high is not None and number > high):
            raise CommandError(f"{name} is between {low} and {high}.")
        return number
    if kind == USER_OPTION:
        return member_named(text, guild)
    if kind == CHANNEL_OPTION:
        channel = channel_named(text, guild)
        allowed = option.get("channel_types")
        if allowed and channel.type not in allowed:
            raise CommandError(f"#{channel.name} is not a kind of channel {name} accepts.")
        return channel
    if kind == ROLE_OPTION:
        return role_named(text, guild)
    raise CommandError(f"The sandbox cannot fill {name} (option type {kind}).")


def member_named(text: str, guild: Guild) -> Member:
    mention = USER_MENTION.fullmatch(text)
    for member in guild.members.values():
        if (mention and member.user.id == int(mention.group(1))) or member.user.name == text.lstrip("@"):
            return member
    names = ", ".join(f"@{m.user.name}" for m in guild.members.values() if not m.user.bot)
    raise CommandError(f"No member {text}. Members: {names}")


def channel_named(text: str, guild: Guild) -> Channel:
    mention = CHANNEL_MENTION.fullmatch(text)
    for channel in guild.channels.values():
        if (mention and channel.id == int(mention.group(1))) or channel.name == text.lstrip("#"):
            return channel
    raise CommandError(
        f"No channel {text}. Channels: {', '.join(f'#{c.name}' for c in guild.channels.values())}"
    )


def role_named(text: str, guild: Guild) -> Role:
    mention = ROLE_MENTION.fullmatch(text)
    for role in guild.roles.values():
        wanted = text if text == "@everyone" else text.lstrip("@")
        if (mention and role.id == int(mention.group(1))) or role.name.lower() == wanted.lower():
            return role
    raise CommandError(
        f"No role {text}. Roles: {', '.join('@' + r.name.lstrip('@') for r in guild.roles.values())}"
    )


def parse_command(text: str, commands: Sequence[dict[str, Any]], guild: Guild) -> CommandLine:
    """`/warnings list member:@newbie` -> the command, "warnings list", {"member": <Member newbie>}.

    Words after the command name pick its subcommand group and subcommand, as Discord's client
    makes you do; the rest are options (see `parse_options`). Raises CommandError with what to type.
    """
    name, _, rest = text.strip().removeprefix("/").partition(" ")
    command = next((c for c in commands if c["name"] == name.lower()), None)
    if command is None:
        known = ", ".join(f"/{c['name']}" for c in commands)
        raise CommandError(f"GigGuard has no /{name} command. Commands: {known or '(none synced)'}")
    path, node = command["name"], command
    while subcommands(node):
        word, _, remainder = rest.strip().partition(" ")
        child = next((o for o in subcommands(node) if o["name"] == word.lower()), None)
        if child is None:
            choices = "\n".join(f"  {usage(p, leaf)}" for p, leaf in leaves(node, path))
            said = f"/{path} has no subcommand {word!r}" if word else f"/{path} needs a subcommand"
            raise CommandError(f"{said}. Choose one:\n{choices}")
        path, node, rest = f"{path} {child['name']}", child, remainder
    schema = node.get("options") or []
    try:
        options = resolve_options(parse_options(rest, schema), schema, guild)
    except CommandError as error:
        raise CommandError(f"{error} Usage: {usage(path, node)}") from None
    return CommandLine(command, path, options)


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons (and menus) of a message, in the order Discord shows them."""
    found: list[dict[str, Any]] = []
    for row in message.get("components") or []:
        if row.get("type") == ACTION_ROW:
            found += row.get("components") or []
    return found


def button_text(component: dict[str, Any]) -> str:
    if component.get("type") != BUTTON:
        return f"[menu: {component.get('placeholder') or 'choose'}]"
    text = f"[{component.get('label') or (component.get('emoji') or {}).get('name') or '?'}]"
    if component.get("url"):
        text += f" <{component['url']}>"
    return text + (" (disabled)" if component.get("disabled") else "")


class Sandbox:
    """The demo server, the prompt state, and turning GigGuard's REST calls into text."""

    def __init__(self) -> None:
        self.emu = FakeDiscord()
        world = self.emu.world
        self.guild: Guild = world.add_guild("GigGuard Demo")
        self.channel: Channel = world.add_channel(self.guild, "general")
        world.add_channel(self.guild, "fiverr-help")
        self.moderator_role: Role = world.add_role(
            self.guild, MODERATOR_ROLE, permissions=MODERATOR_PERMISSIONS
        )
        self.member: Member = world.add_member(self.guild, "newbie")
        self.last_message: dict[str, Any] | None = None
        self.buttons_message_id: int | None = None  # GigGuard's latest printed message with buttons
        self.pending_modal: dict[str, Any] | None = None  # the interaction whose form is open
        self.database_path: Path | None = None  # the bot's throwaway database, once it runs

    # input --------------------------------------------------------------------------------

    def prompt(self) -> str:
        if self.pending_modal is not None:
            return "form> "
        role = " (moderator)" if self.is_moderator(self.member) else ""
        return f"{self.member.user.name}{role} in #{self.channel.name}> "

    def is_moderator(self, member: Member) -> bool:
        return bool(self.guild.permissions_of(member) & MANAGE_MESSAGES)

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the user wants to leave."""
        text = line.strip()
        if self.pending_modal is not None:
            opened, self.pending_modal = self.pending_modal, None
            await self.interact(self.emu.submit_modal(opened, text, member=self.member))
            return True
        if not text:
            return True
        if text.lower() in QUIT_WORDS:
            return False
        if text.startswith(":"):
            await self.meta(text)
            return True
        if text.startswith("/"):
            await self.slash(text)
            return True
        self.last_message = await self.act(self.emu.post_message(self.channel, self.member, text))
        return True

    async def meta(self, text: str) -> None:
        command, _, argument = text.partition(" ")
        argument = argument.strip()
        if command == ":help":
            say(HELP.format(member=self.member.user.name))
        elif command == ":commands":
            self.list_commands()
        elif command == ":moderator":
            await self.set_moderator(True)
        elif command == ":member":
            await self.set_moderator(False)
        elif command == ":press":
            await self.press(argument)
        elif command == ":edit":
            await self.edit(argument)
        elif command == ":as" and argument:
            name = argument.lstrip("@")
            try:
                self.member = self.guild.member_named(name)
            except KeyError:
                self.member = await self.emu.add_member(self.guild, name)
            self.last_message = None
            say(f"You are now {name}{' (a moderator)' if self.is_moderator(self.member) else ''}.")
        elif command == ":channel" and argument:
            try:
                self.channel = self.guild.text_channel(argument)
            except KeyError:
                say(f"No channel #{argument.lstrip('#')}. Channels: {self.channel_names()}")
        else:
            say("Unknown sandbox command; :help lists them.")

    def channel_names(self) -> str:
        return ", ".join(f"#{channel.name}" for channel in self.guild.channels.values())

    async def set_moderator(self, moderator: bool) -> None:
        """Give or take the Moderators role, and tell the bot as Discord would (GUILD_MEMBER_UPDATE)."""
        name, role_id = self.member.user.name, self.moderator_role.id
        if moderator == (role_id in self.member.role_ids):
            say(f"{name} {'is already' if moderator else 'is not'} a moderator.")
            return
        if moderator:
            self.member.role_ids.append(role_id)
        else:
            self.member.role_ids.remove(role_id)
        await self.emu.dispatch(
            "GUILD_MEMBER_UPDATE", {**self.member.payload(), "guild_id": str(self.guild.id)}
        )
        if moderator:
            say(
                f"{name} is now a moderator (role @{self.moderator_role.name}: Manage Messages). Try "
                "/gigguard config show, /gigguard stats, /warnings list member:@NAME, /gigguard export; "
                ":commands lists everything, :member makes you a plain member again."
            )
        elif self.is_moderator(self.member):
            say(f"{name} left @{self.moderator_role.name} but still moderates (they own the server).")
        else:
            say(f"{name} is a plain member again.")

    def list_commands(self) -> None:
        say("GigGuard's commands ([optional] options; * only moderators see it on Discord):")
        for command in self.slash_commands():
            mark = "*" if command.get("default_member_permissions") not in (None, "0") else " "
            for path, leaf in leaves(command, command["name"]):
                say(f" {mark} {usage(path, leaf)}")

    async def edit(self, text: str) -> None:
        if self.last_message is None:
            say("Nothing to edit yet: post a message first.")
        elif text:
            await self.act(self.emu.edit_message(self.last_message, text))

    async def slash(self, text: str) -> None:
        try:
            typed = parse_command(text, self.slash_commands(), self.guild)
        except CommandError as error:
            say(str(error))
            return
        needed = int(typed.command.get("default_member_permissions") or 0)
        if needed and self.guild.permissions_of(self.member) & needed != needed:
            say(
                f"On Discord only members with {permission_names(needed)} see /{typed.command['name']}. "
                "Type :moderator to become a moderator."
            )
            return
        await self.interact(
            self.emu.slash_command(
                typed.path, channel=self.channel, member=self.member, options=typed.options
            )
        )

    async def press(self, choice: str) -> None:
        """`:press` lists the buttons of GigGuard's latest message with buttons; `:press N` presses one."""
        message = self.emu.world.messages.get(self.buttons_message_id or 0)
        buttons = buttons_of(message) if message is not None else []
        if self.buttons_message_id is None:
            say("No buttons to press: none of GigGuard's messages so far has any.")
            return
        if message is None or not buttons:
            gone = "was deleted" if message is None else "has none any more"
            say(f"GigGuard's latest message with buttons {gone}.")
            return
        if not choice:
            say("Buttons on GigGuard's latest message with buttons:")
            for number, button in enumerate(buttons, start=1):
                say(f"  {number} {button_text(button)}")
            say("Press one with :press NUMBER (or :press LABEL).")
            return
        picked = next(
            (
                button
                for number, button in enumerate(buttons, start=1)
                if choice == str(number) or choice.lower() == str(button.get("label", "")).lower()
            ),
            None,
        )
        if picked is None:
            say(f"No button {choice!r}; :press lists them.")
        elif picked.get("disabled"):
            say(f"{button_text(picked)} is disabled.")
        elif picked.get("url"):
            say(f"{button_text(picked)} is a link: it opens {picked['url']}")
        elif picked.get("type") != BUTTON:
            say("The sandbox cannot pick from menus.")
        else:
            await self.interact(self.emu.click_component(message, picked["custom_id"], member=self.member))

    async def interact(self, action: Any) -> None:
        """Run an interaction and print the answer; a form GigGuard opens takes the next line."""
        interaction = await self.act(action)
        if self.emu.modal_for(interaction) is not None:
            self.pending_modal = interaction

    def slash_commands(self) -> list[dict[str, Any]]:
        synced = self.emu.world.commands.get(self.guild.id, []) + self.emu.world.commands.get(None, [])
        return [command for command in synced if command.get("type", 1) == 1]

    # output -------------------------------------------------------------------------------

    async def act(self, action: Any) -> Any:
        """Run an emulator action, then print whatever GigGuard does in answer."""
        mark = self.emu.mark()
        result = await action
        calls = await self.answer_calls(mark)
        lines: list[str] = []
        for call in calls:
            lines += self.render(call)
            message = self.message_of(call)
            if message is not None and buttons_of(message):
                self.buttons_message_id = int(message["id"])
        if not calls and isinstance(result, dict) and self.warned_silently(result):
            say("(GigGuard recorded a warning but stayed quiet: it replies to a member once per cooldown)")
        elif not lines:
            say("(GigGuard stays quiet)")
        for line in lines:
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
        """GigGuard's visible answers from `mark` on, once it went quiet and nothing deferred is due."""

        def answers() -> list[RecordedCall]:
            return [call for call in self.emu.calls[mark:] if call.status < 300 and is_visible_answer(call)]

        with contextlib.suppress(TimeoutError):
            await self.emu.wait_until(answers, within=FIRST_ANSWER_WITHIN)
        give_up = time.monotonic() + DEFERRED_WITHIN
        seen = -1
        while len(answers()) != seen or (awaiting_followup(answers()) and time.monotonic() < give_up):
            seen = len(answers())
            await asyncio.sleep(QUIET_AFTER)
        return answers()

    def message_of(self, call: RecordedCall) -> dict[str, Any] | None:
        """The stored message an answer created or changed (None for deferrals and forms)."""
        if "/callback" in call.path:
            record = self.emu.interactions.get(int(call.path.split("/")[2]))
            kind = (call.json or {}).get("type")
            if record is None:
                return None
            if kind == CALLBACK_MESSAGE and record.original_message_id is not None:
                return self.emu.world.messages.get(record.original_message_id)
            if kind == CALLBACK_UPDATE_MESSAGE and "message" in record.payload:
                return self.emu.world.messages.get(int(record.payload["message"]["id"]))
            return None
        return call.response if isinstance(call.response, dict) and "id" in call.response else None

    def render(self, call: RecordedCall) -> list[str]:
        return [self.readable(line) for line in self.render_call(call)]

    def readable(self, line: str) -> str:
        """Mentions and timestamps as Discord's client shows them: @newbie, #general, a date."""

        def name(match: re.Match[str]) -> str:
            kind, target = match.group(1), int(match.group(2))
            if kind == "#":
                channel = self.emu.world.channels.get(target)
                return f"#{channel.name}" if channel is not None else match.group(0)
            if kind == "@&":
                role = self.guild.roles.get(target)
                return f"@{role.name.lstrip('@')}" if role is not None else match.group(0)
            user = self.emu.world.users.get(target)
            return f"@{user.name}" if user is not None else match.group(0)

        def when(match: re.Match[str]) -> str:
            moment = datetime.fromtimestamp(int(match.group(1)), UTC)
            return moment.strftime("%Y-%m-%d" if match.group(2) in ("d", "D") else "%Y-%m-%d %H:%M UTC")

        return TIMESTAMP.sub(when, ANY_MENTION.sub(name, line))

    def render_call(self, call: RecordedCall) -> list[str]:
        body = call.json or {}
        if "/callback" in call.path:
            kind = body.get("type")
            data = body.get("data") or {}
            if kind == CALLBACK_MODAL:
                return [f'GigGuard opened a form "{data.get("title", "")}". Type its text on the next line:']
            if kind == CALLBACK_DEFERRED_MESSAGE:
                return ["GigGuard is thinking..."]
            if kind == CALLBACK_DEFERRED_UPDATE:
                return []
            who = "GigGuard (updated the message)" if kind == CALLBACK_UPDATE_MESSAGE else "GigGuard"
            return render_message(who, data, private=bool(int(data.get("flags") or 0) & EPHEMERAL))
        message = call.response if isinstance(call.response, dict) else body
        private = bool(int(message.get("flags") or 0) & EPHEMERAL)
        channel = self.emu.world.channels.get(int(message.get("channel_id", 0)))
        if channel is not None and channel.type == 1:
            who = "GigGuard (direct message to you)"
        elif channel is not None and channel.id != self.channel.id:
            who = f"GigGuard in #{channel.name}"
        elif call.method == "PATCH":
            who = "GigGuard (edited)"
        elif "message_reference" in body:
            who = "GigGuard (reply)"
        else:
            who = "GigGuard"
        return render_message(who, message, private=private)


def awaiting_followup(calls: Sequence[RecordedCall]) -> bool:
    """Whether an interaction was deferred ("thinking...") and its real answer has not come yet."""
    deferred = {
        call.path.split("/")[3]
        for call in calls
        if "/callback" in call.path and (call.json or {}).get("type") == CALLBACK_DEFERRED_MESSAGE
    }
    answered = {call.path.split("/")[3] for call in calls if call.path.startswith("/webhooks/")}
    return bool(deferred - answered)


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


def render_message(who: str, message: dict[str, Any], *, private: bool) -> list[str]:
    lines = [f"{who}{' (only you can see this)' if private else ''}:"]
    if message.get("content"):
        lines += indent(plain(message["content"]))
    for embed in message.get("embeds") or []:
        lines += render_embed(embed)
    for attachment in message.get("attachments") or []:
        where = attachment.get("url") or "(no URL)"
        lines.append(f"  file: {attachment.get('filename')} ({attachment.get('size', 0)} bytes) at {where}")
    buttons = buttons_of(message)
    if buttons:
        shown = "  ".join(f"{number} {button_text(b)}" for number, b in enumerate(buttons, start=1))
        lines.append(f"  buttons: {shown}   (:press NUMBER)")
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
    image = (embed.get("image") or {}).get("url")
    if image:
        shown = (
            f"the file {image.removeprefix('attachment://')}" if image.startswith("attachment://") else image
        )
        lines += indent(f"[image: {shown}]", "  | ")
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
