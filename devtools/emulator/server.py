"""FakeDiscord: an aiohttp app speaking enough Discord REST v10 + gateway for the real discord.py.

Typical test use::

    emu = FakeDiscord()
    guild = emu.world.add_guild("Test")
    channel = emu.world.add_channel(guild, "general")
    member = emu.world.add_member(guild, "newbie")
    await emu.start()                      # 127.0.0.1, free port
    ... point the bot at emu.api_base / emu.gateway_url, wait for it to be ready ...
    sent = await emu.post_message(channel, member, "hello")
    reply = await emu.wait_for_reply_to(sent)
    assert reply.json["allowed_mentions"]["parse"] == []
    await emu.stop()

Everything the bot asks over REST is recorded in ``emu.calls`` (method, path, query, JSON body,
status, monotonic timestamp). ``fail_next`` injects HTTP faults; ``close_gateway``,
``send_reconnect`` and ``invalidate_session`` inject gateway faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import mimetypes
import re
import secrets
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from devtools.emulator.world import (
    DM,
    GUILD_TEXT,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    PUBLIC_THREAD,
    Channel,
    Guild,
    Member,
    Role,
    User,
    World,
    iso_now,
    pinged_targets,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
EPHEMERAL = 1 << 6
ATTACHMENT_SIZE_LIMIT = 25 * 1024 * 1024

# Gateway opcodes.
OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

# Interaction types and callback types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
APPLICATION_COMMAND_AUTOCOMPLETE = 4
MODAL_SUBMIT = 5
CALLBACK_MESSAGE = 4
CALLBACK_DEFERRED_MESSAGE = 5
CALLBACK_DEFERRED_UPDATE = 6
CALLBACK_UPDATE_MESSAGE = 7
CALLBACK_AUTOCOMPLETE_RESULT = 8
CALLBACK_MODAL = 9

# Slash command option types.
OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_CHANNEL = 7
OPTION_ROLE = 8
OPTION_NUMBER = 10

# Close codes after which Discord does not allow resuming.
NON_RESUMABLE_CLOSE_CODES = {4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014}


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """One REST request the bot made, and what the emulator answered."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # the JSON body (payload_json for multipart uploads), or None
    status: int
    timestamp: float  # time.monotonic() when the request arrived
    response: Any = None
    headers: dict[str, str] = field(default_factory=dict)  # the interesting ones: audit log reason
    files: tuple[tuple[str, bytes], ...] = ()  # uploaded attachments: (filename, content)

    def matches(self, method: str | None, path: str | None) -> bool:
        return (method is None or self.method == method.upper()) and (
            path is None or re.fullmatch(path, self.path) is not None
        )


@dataclass(slots=True)
class Fault:
    """An injected failure for the next `times` requests matching method and path (a regex)."""

    method: str | None
    path: str
    status: int
    retry_after: float = 0.05
    times: int = 1
    is_global: bool = False
    when: Callable[[Any], bool] | None = None  # extra test on the request's JSON body
    used: int = 0

    def applies_to(self, method: str, path: str, body: Any) -> bool:
        return (
            self.used < self.times
            and (self.method is None or self.method.upper() == method)
            and re.fullmatch(self.path, path) is not None
            and (self.when is None or bool(self.when(body)))
        )


@dataclass(slots=True)
class GatewaySession:
    session_id: str
    intents: int
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)  # every dispatch, for RESUME replay
    socket: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(slots=True)
class InteractionRecord:
    payload: dict[str, Any]
    responses: list[dict[str, Any]] = field(default_factory=list)
    original_message_id: int | None = None
    modal: dict[str, Any] | None = None


class Route:
    def __init__(self, method: str, pattern: str, handler: Callable[..., Awaitable[Any]]) -> None:
        self.method = method
        self.regex = re.compile(pattern)
        self.handler = handler


class DiscordError(Exception):
    """Raised by a handler to answer with a Discord-shaped JSON error."""

    def __init__(self, status: int, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "code": code}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": discord.py treats "application/json; charset=utf-8" as text.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def no_content() -> web.Response:
    return web.Response(status=204)


class FakeDiscord:
    """The emulator. Build `world` first, `await start()`, drive it, `await stop()`."""

    def __init__(
        self,
        world: World | None = None,
        *,
        token: str | None = None,
        heartbeat_interval_ms: int = 41_250,
        privileged_intents_enabled: bool = True,
    ) -> None:
        self.world = world or World()
        self.token = token  # None: any token is accepted
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.privileged_intents_enabled = privileged_intents_enabled
        self.calls: list[RecordedCall] = []
        self.faults: list[Fault] = []
        self.gateway_log: list[dict[str, Any]] = []  # frames the bot sent (op + d), tokens redacted
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.gateway_connections: list[str] = []  # path of every websocket connection
        self.sessions: dict[str, GatewaySession] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.closed_dms: set[int] = set()  # user ids whose DMs answer 403 / 50007
        self.pings: dict[int, set[str]] = {}  # message id -> who it would notify
        self.uploads: dict[int, tuple[str, bytes]] = {}  # attachment id -> (filename, content)
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.host = "127.0.0.1"
        self.port = 0
        self._routes = self._build_routes()

    # lifecycle ------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/resume-gateway", self._gateway_handler)
        app.router.add_get(r"/attachments/{attachment_id:\d+}/{filename}", self._attachment_handler)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest_handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        self.host, self.port = server.sockets[0].getsockname()[:2]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        for socket in list(self._sockets):
            with contextlib.suppress(Exception):
                await socket.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/resume-gateway"

    # waiting --------------------------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], Any], *, within: float = 10.0, what: str = "") -> Any:
        """Poll `condition` until it returns something truthy; return that. TimeoutError otherwise."""
        deadline = time.monotonic() + within
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() >= deadline:
                recent = "\n".join(f"  {c.method} {c.path} -> {c.status} {c.json}" for c in self.calls[-8:])
                raise TimeoutError(
                    f"timed out after {within}s waiting for {what or condition}; recent calls:\n{recent}"
                )
            await asyncio.sleep(0.01)

    def mark(self) -> int:
        """A position in `calls`; pass it as `since` to look only at later calls."""
        return len(self.calls)

    def calls_matching(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        since: int = 0,
        predicate: Callable[[RecordedCall], bool] | None = None,
    ) -> list[RecordedCall]:
        return [
            call
            for call in self.calls[since:]
            if call.matches(method, path) and (predicate is None or predicate(call))
        ]

    async def wait_for_call(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        since: int = 0,
        predicate: Callable[[RecordedCall], bool] | None = None,
        within: float = 10.0,
    ) -> RecordedCall:
        """The first recorded call (from `since`) matching method, path regex and predicate."""

        def first() -> RecordedCall | None:
            found = self.calls_matching(method, path, since=since, predicate=predicate)
            return found[0] if found else None

        return await self.wait_until(first, within=within, what=f"{method} {path}")

    async def wait_for_reply_to(
        self, message: dict[str, Any], *, within: float = 10.0, successful: bool = True
    ) -> RecordedCall:
        """The bot's POST that replies to `message` (message_reference), by default a 2xx one."""
        return await self.wait_for_call(
            "POST",
            r"/channels/\d+/messages",
            predicate=lambda call: (
                _reply_target(call) == message["id"] and (not successful or call.status < 300)
            ),
            within=within,
        )

    def replying_to(self, author: Member | User) -> Callable[[Any], bool]:
        """A `when` for fail_next: the request is a reply to a message written by `author`."""
        user = author.user if isinstance(author, Member) else author

        def check(body: Any) -> bool:
            reference = body.get("message_reference") if isinstance(body, dict) else None
            replied = self.world.messages.get(int(reference["message_id"])) if reference else None
            return replied is not None and replied["author"]["id"] == str(user.id)

        return check

    async def expect_no_reply_to(
        self, message: dict[str, Any], *, since: int = 0, within: float = 0.75
    ) -> None:
        """Wait `within` seconds and fail if the bot replied (or tried to) to `message` after `since`."""
        await self.expect_no_call(
            "POST",
            r"/channels/\d+/messages",
            since=since,
            predicate=lambda call: _reply_target(call) == message["id"],
            within=within,
        )

    def replies_to(self, message: dict[str, Any], *, successful: bool = True) -> list[RecordedCall]:
        return self.calls_matching(
            "POST",
            r"/channels/\d+/messages",
            predicate=lambda call: (
                _reply_target(call) == message["id"] and (not successful or call.status < 300)
            ),
        )

    async def wait_for_interaction_response(
        self, interaction: dict[str, Any], *, within: float = 10.0
    ) -> RecordedCall:
        """The bot's callback POST for `interaction` (the JSON is {"type": ..., "data": {...}})."""
        path = rf"/interactions/{interaction['id']}/[^/]+/callback"
        return await self.wait_for_call("POST", path, within=within)

    async def expect_no_call(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        since: int = 0,
        predicate: Callable[[RecordedCall], bool] | None = None,
        within: float = 0.75,
    ) -> None:
        """Wait `within` seconds and fail if a matching call shows up (the bot stays silent)."""
        await asyncio.sleep(within)
        found = self.calls_matching(method, path, since=since, predicate=predicate)
        if found:
            raise AssertionError(f"unexpected calls: {[(c.method, c.path, c.json) for c in found]}")

    # faults ---------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str | None,
        path: str,
        status: int,
        *,
        retry_after: float = 0.05,
        times: int = 1,
        is_global: bool = False,
        when: Callable[[Any], bool] | None = None,
    ) -> Fault:
        """Answer the next `times` requests matching `method`, the `path` regex and `when` with `status`.

        `when` gets the request's JSON body; use it (e.g. with `replying_to`) so that a reply still
        in flight from an earlier test cannot take the fault. 429 answers carry `retry_after` and
        a `Via` header (discord.py only retries those); 403 answers are "Missing Permissions"
        (50013); 5xx answers are plain server errors.
        """
        fault = Fault(
            method, path, status, retry_after=retry_after, times=times, is_global=is_global, when=when
        )
        self.faults.append(fault)
        return fault

    def _fault_response(self, fault: Fault) -> tuple[web.Response, Any]:
        if fault.status == 429:
            body = {
                "message": "You are being rate limited.",
                "retry_after": fault.retry_after,
                "global": fault.is_global,
            }
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(max(1, round(fault.retry_after))),
                "X-RateLimit-Scope": "global" if fault.is_global else "user",
            }
            return json_response(body, 429, headers), body
        if fault.status == 403:
            body = {"message": "Missing Permissions", "code": 50013}
        elif fault.status >= 500:
            body = {"message": f"{fault.status}: Internal Server Error", "code": 0}
        else:
            body = {"message": f"{fault.status}: injected error", "code": 0}
        return json_response(body, fault.status), body

    # gateway faults -------------------------------------------------------------------------

    @property
    def session(self) -> GatewaySession | None:
        """The current gateway session (the last IDENTIFY that was not invalidated)."""
        return next(reversed(self.sessions.values()), None)

    async def close_gateway(self, code: int = 4000, *, forget_session: bool = False) -> None:
        """Close the bot's websocket with `code`. 4000-style codes keep the session resumable.

        With `forget_session` the session is dropped as well, so the bot's RESUME is answered
        with op 9 and it has to IDENTIFY again.
        """
        session = self.session
        if session is None or session.socket is None:
            raise RuntimeError("no gateway connection to close")
        socket, session.socket = session.socket, None  # later dispatches are buffered for RESUME
        if forget_session or code in NON_RESUMABLE_CLOSE_CODES:
            self.sessions.pop(session.session_id, None)
        await socket.close(code=code)

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client should close and RESUME."""
        session = self._connected_session()
        await self._send(session.socket, {"op": OP_RECONNECT, "d": None})

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; when not resumable the session is gone and IDENTIFY is needed."""
        session = self._connected_session()
        socket = session.socket
        if not resumable:
            self.sessions.pop(session.session_id, None)
            session.socket = None
        await self._send(socket, {"op": OP_INVALID_SESSION, "d": resumable})

    def _connected_session(self) -> GatewaySession:
        session = self.session
        if session is None or session.socket is None:
            raise RuntimeError("the bot is not connected to the gateway")
        return session

    # injecting events -----------------------------------------------------------------------

    async def create_channel(
        self, guild: Guild, name: str, *, type: int = GUILD_TEXT, parent: Channel | None = None
    ) -> Channel:
        """Add a channel (or thread) while the bot runs: CHANNEL_CREATE / THREAD_CREATE is dispatched."""
        channel = self.world.add_channel(guild, name, type=type, parent=parent)
        event = "THREAD_CREATE" if type == PUBLIC_THREAD else "CHANNEL_CREATE"
        await self.dispatch(
            event,
            {**channel.payload(), "newly_created": True} if type == PUBLIC_THREAD else channel.payload(),
        )
        return channel

    async def add_member(self, guild: Guild, name: str, *, roles: list[Role] | None = None) -> Member:
        """A user joins while the bot runs: GUILD_MEMBER_ADD (needs the members intent to be seen)."""
        member = self.world.add_member(guild, name, roles=roles)
        await self.dispatch("GUILD_MEMBER_ADD", {**member.payload(), "guild_id": str(guild.id)})
        return member

    async def post_message(
        self,
        channel: Channel,
        author: Member | User,
        content: str,
        *,
        reply_to: dict[str, Any] | None = None,
        embeds: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A member posts a message: stored, then MESSAGE_CREATE is dispatched. Returns the message."""
        user = author.user if isinstance(author, Member) else author
        reference = None
        if reply_to is not None:
            reference = {"message_id": reply_to["id"], "guild_id": reply_to.get("guild_id")}
        message = self.world.message_payload(
            channel, user, content, embeds=embeds, attachments=attachments, reference=reference
        )
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def edit_message(self, message: dict[str, Any], content: str) -> dict[str, Any]:
        """The author edits a message: MESSAGE_UPDATE with the full, updated message."""
        stored = self.world.messages[int(message["id"])]
        stored.update(content=content, edited_timestamp=iso_now(), **self.world.mention_fields(content))
        await self.dispatch("MESSAGE_UPDATE", stored)
        return stored

    async def delete_message(self, message: dict[str, Any]) -> None:
        self.world.messages.pop(int(message["id"]), None)
        data = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            data["guild_id"] = message["guild_id"]
        await self.dispatch("MESSAGE_DELETE", data)

    async def slash_command(
        self,
        name: str,
        *,
        channel: Channel,
        member: Member | User,
        options: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A member runs `/name` (subcommands as "group sub"). Option types come from the synced commands."""
        data = self._command_data(name, channel, options)
        return await self._inject_interaction(APPLICATION_COMMAND, data, channel=channel, member=member)

    async def autocomplete(
        self,
        name: str,
        *,
        channel: Channel,
        member: Member | User,
        focused: str,
        typed: str,
        options: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A member types `typed` into option `focused` of `/name` (other `options` already filled):
        Discord asks the bot for suggestions. ``choices_for`` reads its answer."""
        data = self._command_data(name, channel, options, focused=(focused, typed))
        return await self._inject_interaction(
            APPLICATION_COMMAND_AUTOCOMPLETE, data, channel=channel, member=member
        )

    async def choices_for(self, interaction: dict[str, Any], *, within: float = 10.0) -> list[dict[str, Any]]:
        """The suggestions the bot answered an autocomplete interaction with ([{name, value}])."""
        callback = await self.wait_for_interaction_response(interaction, within=within)
        body = callback.json or {}
        if callback.status != 200 or body.get("type") != CALLBACK_AUTOCOMPLETE_RESULT:
            raise AssertionError(f"not an autocomplete answer: {callback.status} {body}")
        return list((body.get("data") or {}).get("choices") or [])

    def _command_data(
        self,
        name: str,
        channel: Channel,
        options: dict[str, Any] | None,
        *,
        focused: tuple[str, str] | None = None,
    ) -> dict[str, Any]:
        guild = self.world.guilds.get(channel.guild_id) if channel.guild_id else None
        root, *sub_path = name.split()
        command = self._find_command(root, 1, guild)
        schema = command.get("options", []) if command else []
        resolved: dict[str, dict[str, Any]] = {}
        leaf: list[dict[str, Any]] = []
        top = leaf
        for sub_name in sub_path:
            sub_schema = next((o for o in schema if o["name"] == sub_name), None)
            sub_type = sub_schema["type"] if sub_schema else OPTION_SUB_COMMAND
            nested: list[dict[str, Any]] = []
            leaf.append({"name": sub_name, "type": sub_type, "options": nested})
            leaf = nested
            schema = sub_schema.get("options", []) if sub_schema else []
        for option_name, value in (options or {}).items():
            option_schema = next((o for o in schema if o["name"] == option_name), None)
            leaf.append(self._option_payload(option_name, value, option_schema, resolved))
        if focused is not None:
            # What is being typed arrives as text, whatever the option's type, marked as focused.
            focused_name, typed = focused
            option_schema = next((o for o in schema if o["name"] == focused_name), None)
            option_type = option_schema["type"] if option_schema else OPTION_STRING
            leaf.append({"name": focused_name, "type": option_type, "value": typed, "focused": True})
        data: dict[str, Any] = {
            "id": str(command["id"]) if command else str(self.world.new_id()),
            "name": root,
            "type": 1,
            "options": top,
        }
        if resolved:
            data["resolved"] = resolved
        if command and command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return data

    async def message_command(
        self, name: str, *, target: dict[str, Any], channel: Channel, member: Member | User
    ) -> dict[str, Any]:
        """A member picks the message context-menu command `name` on `target`."""
        guild = self.world.guilds.get(channel.guild_id) if channel.guild_id else None
        command = self._find_command(name, 3, guild)
        data = {
            "id": str(command["id"]) if command else str(self.world.new_id()),
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: self.world.messages.get(int(target["id"]), target)}},
        }
        return await self._inject_interaction(APPLICATION_COMMAND, data, channel=channel, member=member)

    def modal_for(self, interaction: dict[str, Any]) -> dict[str, Any] | None:
        """The modal the bot opened in answer to `interaction`, if any."""
        record = self.interactions.get(int(interaction["id"]))
        return record.modal if record else None

    async def submit_modal(
        self,
        opened_by: dict[str, Any],
        values: dict[str, str] | str,
        *,
        member: Member | User | None = None,
    ) -> dict[str, Any]:
        """Submit the modal the bot opened for `opened_by`.

        `values` maps a text input's custom_id or label to its value; a plain string fills the
        first text input.
        """
        modal = self.modal_for(opened_by)
        if modal is None:
            raise RuntimeError("the bot did not answer this interaction with a modal")
        channel = self.world.channels[int(opened_by["channel_id"])]
        member = member or self._interaction_member(opened_by)
        state = {"first": True}

        def fill(component: dict[str, Any], label: str | None = None) -> dict[str, Any] | None:
            kind = component.get("type")
            if kind == 1:
                children = [fill(child) for child in component.get("components", [])]
                return {"type": 1, "components": [c for c in children if c is not None]}
            if kind == 18:
                inner = fill(component["component"], component.get("label"))
                return {"type": 18, "id": component.get("id", 0), "component": inner}
            if kind == 4:
                custom_id = component["custom_id"]
                if isinstance(values, str):
                    value = values if state["first"] else ""
                else:
                    value = values.get(custom_id, values.get(label or component.get("label", ""), ""))
                state["first"] = False
                return {"type": 4, "id": component.get("id", 0), "custom_id": custom_id, "value": value}
            if kind in (3, 5, 6, 7, 8):
                return {
                    "type": kind,
                    "id": component.get("id", 0),
                    "custom_id": component["custom_id"],
                    "values": [],
                }
            return None

        rows = [fill(component) for component in modal.get("components", [])]
        data = {"custom_id": modal["custom_id"], "components": [row for row in rows if row is not None]}
        return await self._inject_interaction(MODAL_SUBMIT, data, channel=channel, member=member)

    async def click_component(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        member: Member | User,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> dict[str, Any]:
        """A member clicks a button (or picks select `values`) on one of the bot's messages."""
        stored = self.world.messages.get(int(message["id"]), message)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        channel = self.world.channels[int(stored["channel_id"])]
        return await self._inject_interaction(
            MESSAGE_COMPONENT, data, channel=channel, member=member, message=stored
        )

    def _find_command(self, name: str, command_type: int, guild: Guild | None) -> dict[str, Any] | None:
        scopes = [guild.id, None] if guild else [None]
        for scope in scopes:
            for command in self.world.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == command_type:
                    return command
        return None

    def _option_payload(
        self, name: str, value: Any, schema: dict[str, Any] | None, resolved: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        if schema is not None:
            option_type = schema["type"]
        elif isinstance(value, bool):
            option_type = OPTION_BOOLEAN
        elif isinstance(value, int):
            option_type = OPTION_INTEGER
        elif isinstance(value, float):
            option_type = OPTION_NUMBER
        elif isinstance(value, Member | User):
            option_type = OPTION_USER
        elif isinstance(value, Channel):
            option_type = OPTION_CHANNEL
        elif isinstance(value, Role):
            option_type = OPTION_ROLE
        else:
            option_type = OPTION_STRING
        if option_type == OPTION_USER:
            member = value if isinstance(value, Member) else None
            user = value.user if isinstance(value, Member) else value
            if isinstance(user, str | int):
                user = self.world.users[int(user)]
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if member is not None:
                resolved.setdefault("members", {})[str(user.id)] = member.payload(with_user=False)
            value = str(user.id)
        elif option_type == OPTION_CHANNEL:
            channel = value if isinstance(value, Channel) else self.world.channels[int(value)]
            resolved.setdefault("channels", {})[str(channel.id)] = {**channel.payload(), "permissions": "0"}
            value = str(channel.id)
        elif option_type == OPTION_ROLE:
            role = value
            if not isinstance(role, Role):
                role = next(g.roles[int(value)] for g in self.world.guilds.values() if int(value) in g.roles)
            resolved.setdefault("roles", {})[str(role.id)] = role.payload()
            value = str(role.id)
        elif option_type == OPTION_INTEGER:
            value = int(value)
        elif option_type == OPTION_NUMBER:
            value = float(value)
        elif option_type == OPTION_BOOLEAN and isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "y", "on")
        elif option_type == OPTION_STRING:
            value = str(value)
        return {"name": name, "type": option_type, "value": value}

    def _interaction_member(self, interaction: dict[str, Any]) -> Member | User:
        if "member" in interaction:
            guild = self.world.guilds[int(interaction["guild_id"])]
            return guild.members[int(interaction["member"]["user"]["id"])]
        return self.world.users[int(interaction["user"]["id"])]

    async def _inject_interaction(
        self,
        interaction_type: int,
        data: dict[str, Any],
        *,
        channel: Channel,
        member: Member | User,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        guild = self.world.guilds.get(channel.guild_id) if channel.guild_id else None
        user = member.user if isinstance(member, Member) else member
        interaction_id = self.world.new_id()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.world.application_id),
            "type": interaction_type,
            "data": data,
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            "version": 1,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "app_permissions": str((1 << 53) - 1),
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            guild_member = member if isinstance(member, Member) else guild.members[user.id]
            payload.update(
                guild_id=str(guild.id),
                guild_locale="en-US",
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                member={**guild_member.payload(), "permissions": str(guild.permissions_of(guild_member))},
                authorizing_integration_owners={"0": str(guild.id)},
                context=0,
            )
        else:
            payload.update(user=user.payload(), authorizing_integration_owners={"1": str(user.id)}, context=1)
        if message is not None:
            payload["message"] = message
        self.interactions[interaction_id] = InteractionRecord(payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    # gateway --------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to the current session, filtered by its intents; buffered if disconnected."""
        session = self.session
        if session is None:
            log.warning("dropping %s: the bot has not identified yet", event)
            return
        view = self._filtered_for(session, event, data)
        if view is None:
            return
        async with session.lock:
            session.sequence += 1
            frame = {"op": OP_DISPATCH, "t": event, "s": session.sequence, "d": view}
            session.sent.append(frame)
            if session.socket is not None:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await session.socket.send_str(json.dumps(frame))

    def _filtered_for(
        self, session: GatewaySession, event: str, data: dict[str, Any]
    ) -> dict[str, Any] | None:
        intents = session.intents
        if event.startswith("MESSAGE_"):
            needed = INTENT_GUILD_MESSAGES if "guild_id" in data else INTENT_DIRECT_MESSAGES
            if not intents & needed:
                return None
            hides_content = (
                event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and not intents & INTENT_MESSAGE_CONTENT
            )
            if hides_content and not self._content_always_visible(data):
                data = copy.deepcopy(data)
                data.update(content="", embeds=[], attachments=[], components=[])
                data.pop("poll", None)
        elif event.startswith("GUILD_MEMBER"):
            if not intents & INTENT_GUILD_MEMBERS:
                return None
        elif event.startswith(("GUILD_", "CHANNEL_", "THREAD_")) and not intents & INTENT_GUILDS:
            return None
        return data

    def _content_always_visible(self, message: dict[str, Any]) -> bool:
        # Discord still sends content in DMs, for the bot's own messages, and when it is mentioned.
        bot_id = str(self.world.bot.id)
        return (
            "guild_id" not in message
            or message.get("author", {}).get("id") == bot_id
            or any(user.get("id") == bot_id for user in message.get("mentions", []))
        )

    async def _send(self, socket: web.WebSocketResponse | None, frame: dict[str, Any]) -> None:
        if socket is None or socket.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await socket.send_str(json.dumps(frame))

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await socket.prepare(request)
        self._sockets.add(socket)
        self.gateway_connections.append(request.path)
        await self._send(socket, {"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                await self._on_gateway_frame(socket, frame)
        finally:
            self._sockets.discard(socket)
            for session in self.sessions.values():
                if session.socket is socket:
                    session.socket = None
        return socket

    async def _on_gateway_frame(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        logged = copy.deepcopy(frame)
        if isinstance(logged.get("d"), dict) and "token" in logged["d"]:
            logged["d"]["token"] = "<redacted>"
        self.gateway_log.append(logged)
        if op == OP_HEARTBEAT:
            self.heartbeat_count += 1
            await self._send(socket, {"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            await self._identify(socket, data or {})
        elif op == OP_RESUME:
            await self._resume(socket, data or {})
        elif op == OP_REQUEST_GUILD_MEMBERS:
            await self._send_member_chunk(socket, data or {})
        elif op == OP_PRESENCE_UPDATE:
            pass
        else:
            log.debug("ignoring gateway op %s", op)

    def _token_ok(self, token: str | None) -> bool:
        if not token:
            return False
        token = token.removeprefix("Bot ")
        return self.token is None or token == self.token

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if not self._token_ok(data.get("token")):
            await socket.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED_INTENTS and not self.privileged_intents_enabled:
            await socket.close(code=4014, message=b"Disallowed intent(s).")
            return
        self.identify_count += 1
        # One shard, one session: a fresh IDENTIFY replaces whatever was there.
        for old in list(self.sessions.values()):
            old.socket = None
        self.sessions.clear()
        session = GatewaySession(session_id=secrets.token_hex(16), intents=intents, socket=socket)
        self.sessions[session.session_id] = session
        ready = {
            "v": 10,
            "user": {**self.world.bot.payload(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in self.world.guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.resume_gateway_url,
            "session_type": "normal",
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in self.world.guilds.values():
            if intents & INTENT_GUILD_MEMBERS:
                members = list(guild.members.values())
            else:
                # Without the members intent Discord only sends the bot itself.
                members = [m for m in guild.members.values() if m.user.id == self.world.bot.id]
            await self.dispatch("GUILD_CREATE", guild.payload(include_members=members))

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or not self._token_ok(data.get("token")):
            await self._send(socket, {"op": OP_INVALID_SESSION, "d": False})
            return
        self.resume_count += 1
        last_seen = data.get("seq") or 0
        async with session.lock:
            session.socket = socket
            for frame in session.sent:
                if frame["s"] > last_seen:
                    await self._send(socket, frame)
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})

    async def _send_member_chunk(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        members = [member.payload() for member in guild.members.values()]
        chunk = {"guild_id": str(guild.id), "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # REST -----------------------------------------------------------------------------------

    def _build_routes(self) -> list[Route]:
        snowflake = r"(\d+)"
        table: list[tuple[str, str, Callable[..., Awaitable[Any]]]] = [
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway_bot),
            ("GET", r"/users/@me", self._get_me),
            ("GET", rf"/users/{snowflake}", self._get_user),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/oauth2/applications/@me", self._get_application),
            ("GET", r"/applications/@me", self._get_application),
            ("PUT", rf"/applications/{snowflake}/commands", self._put_commands),
            ("GET", rf"/applications/{snowflake}/commands", self._get_commands),
            ("PUT", rf"/applications/{snowflake}/guilds/{snowflake}/commands", self._put_commands),
            ("GET", rf"/applications/{snowflake}/guilds/{snowflake}/commands", self._get_commands),
            ("GET", rf"/channels/{snowflake}", self._get_channel),
            ("GET", rf"/channels/{snowflake}/messages", self._get_messages),
            ("POST", rf"/channels/{snowflake}/messages", self._create_message),
            ("GET", rf"/channels/{snowflake}/messages/{snowflake}", self._get_message),
            ("PATCH", rf"/channels/{snowflake}/messages/{snowflake}", self._edit_message),
            ("DELETE", rf"/channels/{snowflake}/messages/{snowflake}", self._delete_message),
            ("POST", rf"/channels/{snowflake}/typing", self._no_content),
            ("PUT", rf"/channels/{snowflake}/messages/{snowflake}/reactions/[^/]+/@me", self._no_content),
            ("GET", rf"/guilds/{snowflake}", self._get_guild),
            ("GET", rf"/guilds/{snowflake}/channels", self._get_guild_channels),
            ("GET", rf"/guilds/{snowflake}/roles", self._get_roles),
            ("GET", rf"/guilds/{snowflake}/members/{snowflake}", self._get_member),
            ("PATCH", rf"/guilds/{snowflake}/members/{snowflake}", self._edit_member),
            ("POST", rf"/interactions/{snowflake}/([^/]+)/callback", self._interaction_callback),
            ("POST", rf"/webhooks/{snowflake}/([^/]+)", self._create_followup),
            ("GET", rf"/webhooks/{snowflake}/([^/]+)/messages/(@original|\d+)", self._get_webhook_message),
            ("PATCH", rf"/webhooks/{snowflake}/([^/]+)/messages/(@original|\d+)", self._edit_webhook_message),
            (
                "DELETE",
                rf"/webhooks/{snowflake}/([^/]+)/messages/(@original|\d+)",
                self._delete_webhook_message,
            ),
        ]
        return [Route(method, "^" + pattern + "$", handler) for method, pattern, handler in table]

    async def _rest_handler(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        path = "/" + request.match_info["tail"]
        method = request.method
        body, files = await _read_body(request)
        self._publish_uploads(body, files)
        reason = request.headers.get("X-Audit-Log-Reason")
        headers = {"X-Audit-Log-Reason": reason} if reason else {}

        def record(status: int, response: Any) -> None:
            self.calls.append(
                RecordedCall(
                    method, path, dict(request.query), body, status, arrived, response, headers, files
                )
            )

        for fault in self.faults:
            if fault.applies_to(method, path, body):
                fault.used += 1
                response, payload = self._fault_response(fault)
                record(fault.status, payload)
                return response
        if not path.startswith(("/interactions/", "/webhooks/", "/gateway")) and not self._token_ok(
            request.headers.get("Authorization")
        ):
            payload = {"message": "401: Unauthorized", "code": 0}
            record(401, payload)
            return json_response(payload, 401)
        for route in self._routes:
            if route.method != method:
                continue
            match = route.regex.match(path)
            if match is None:
                continue
            try:
                result = await route.handler(request, body, *match.groups())
            except DiscordError as error:
                record(error.status, error.body)
                return json_response(error.body, error.status)
            if result is None:
                record(204, None)
                return no_content()
            record(200, result)
            return json_response(result)
        payload = {"message": "404: Not Found", "code": 0}
        record(404, payload)
        log.warning("emulator has no route for %s %s", method, path)
        return json_response(payload, 404)

    async def _no_content(self, request: web.Request, body: Any, *ids: str) -> None:
        return None

    async def _get_gateway(self, request: web.Request, body: Any) -> dict[str, Any]:
        return {"url": self.gateway_url}

    async def _get_gateway_bot(self, request: web.Request, body: Any) -> dict[str, Any]:
        return {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }

    async def _get_me(self, request: web.Request, body: Any) -> dict[str, Any]:
        return {**self.world.bot.payload(), "verified": True, "mfa_enabled": False}

    async def _get_user(self, request: web.Request, body: Any, user_id: str) -> dict[str, Any]:
        user = self.world.users.get(int(user_id))
        if user is None:
            raise DiscordError(404, "Unknown User", 10013)
        return user.payload()

    async def _create_dm(self, request: web.Request, body: Any) -> dict[str, Any]:
        user = self.world.users.get(int(body["recipient_id"]))
        if user is None:
            raise DiscordError(404, "Unknown User", 10013)
        return self.world.dm_channel(user).payload()

    async def _get_application(self, request: web.Request, body: Any) -> dict[str, Any]:
        return {
            "id": str(self.world.application_id),
            "name": self.world.bot.name,
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.world.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": (1 << 19) | (1 << 15),  # message content + guild members intents (limited)
            "bot": self.world.bot.payload(),
        }

    async def _put_commands(
        self, request: web.Request, body: Any, application_id: str, guild_id: str | None = None
    ) -> list[dict[str, Any]]:
        scope = int(guild_id) if guild_id else None
        stored = []
        for command in body or []:
            saved = {
                "id": str(self.world.new_id()),
                "application_id": application_id,
                "version": str(self.world.new_id()),
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                **command,
            }
            if scope is not None:
                saved["guild_id"] = str(scope)
            stored.append(saved)
        self.world.commands[scope] = stored
        return stored

    async def _get_commands(
        self, request: web.Request, body: Any, application_id: str, guild_id: str | None = None
    ) -> list[dict[str, Any]]:
        return self.world.commands.get(int(guild_id) if guild_id else None, [])

    def _channel(self, channel_id: str) -> Channel:
        channel = self.world.channels.get(int(channel_id))
        if channel is None:
            raise DiscordError(404, "Unknown Channel", 10003)
        return channel

    def _guild(self, guild_id: str) -> Guild:
        guild = self.world.guilds.get(int(guild_id))
        if guild is None:
            raise DiscordError(404, "Unknown Guild", 10004)
        return guild

    def _message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        message = self.world.messages.get(int(message_id))
        if message is None or message["channel_id"] != channel_id:
            raise DiscordError(404, "Unknown Message", 10008)
        return message

    async def _get_channel(self, request: web.Request, body: Any, channel_id: str) -> dict[str, Any]:
        return self._channel(channel_id).payload()

    async def _get_messages(self, request: web.Request, body: Any, channel_id: str) -> list[dict[str, Any]]:
        self._channel(channel_id)
        limit = int(request.query.get("limit", 50))
        before = int(request.query.get("before", 1 << 63))
        after = int(request.query.get("after", 0))
        found = [
            message
            for message_id, message in self.world.messages.items()
            if message["channel_id"] == channel_id
            and after < message_id < before
            and not message["flags"] & EPHEMERAL
        ]
        found.sort(key=lambda message: int(message["id"]), reverse=True)  # newest first, as Discord
        return found[:limit]

    async def _get_message(
        self, request: web.Request, body: Any, channel_id: str, message_id: str
    ) -> dict[str, Any]:
        return self._message(channel_id, message_id)

    async def _create_message(self, request: web.Request, body: Any, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if channel.type == DM and channel.recipients and channel.recipients[0].id in self.closed_dms:
            raise DiscordError(403, "Cannot send messages to this user", 50007)
        body = body or {}
        if not any(
            body.get(key) for key in ("content", "embeds", "components", "attachments", "sticker_ids")
        ):
            raise DiscordError(400, "Cannot send an empty message", 50006)
        reference = body.get("message_reference")
        if reference is not None and int(reference["message_id"]) not in self.world.messages:
            if reference.get("fail_if_not_exists", True):
                raise DiscordError(400, "Invalid Form Body: Unknown message", 50035)
            reference = None
        message = self._bot_message(channel, body, reference=reference)
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    def _bot_message(
        self,
        channel: Channel,
        body: dict[str, Any],
        *,
        reference: dict[str, Any] | None = None,
        interaction: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message = self.world.message_payload(
            channel,
            self.world.bot,
            body.get("content") or "",
            embeds=body.get("embeds"),
            components=body.get("components"),
            flags=int(body.get("flags") or 0),
            attachments=body.get("attachments"),
            reference={"message_id": str(reference["message_id"])} if reference else None,
        )
        if interaction is not None:
            user = interaction.get("member", {}).get("user") or interaction.get("user")
            message["interaction_metadata"] = {
                "id": interaction["id"],
                "type": interaction["type"],
                "user": user,
                "authorizing_integration_owners": interaction.get("authorizing_integration_owners", {}),
            }
            message["webhook_id"] = str(self.world.application_id)
            message["type"] = 20 if interaction["type"] == APPLICATION_COMMAND else 0
        replied_author = None
        if reference is not None:
            replied = self.world.messages.get(int(reference["message_id"]))
            replied_author = int(replied["author"]["id"]) if replied else None
        self.pings[int(message["id"])] = pinged_targets(
            message["content"], body.get("allowed_mentions"), replied_author
        )
        return message

    async def _edit_message(
        self, request: web.Request, body: Any, channel_id: str, message_id: str
    ) -> dict[str, Any]:
        message = self._message(channel_id, message_id)
        if message["author"]["id"] != str(self.world.bot.id):
            raise DiscordError(403, "Cannot edit a message authored by another user", 50005)
        self._apply_edit(message, body or {})
        await self.dispatch("MESSAGE_UPDATE", message)
        return message

    def _apply_edit(self, message: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("content", "embeds", "components", "flags", "attachments"):
            if key in body and body[key] is not None:
                message[key] = body[key]
        message["edited_timestamp"] = iso_now()
        self.pings[int(message["id"])] = pinged_targets(
            message["content"], body.get("allowed_mentions"), None
        )

    async def _delete_message(
        self, request: web.Request, body: Any, channel_id: str, message_id: str
    ) -> None:
        message = self._message(channel_id, message_id)
        await self.delete_message(message)

    async def _get_guild(self, request: web.Request, body: Any, guild_id: str) -> dict[str, Any]:
        guild = self._guild(guild_id)
        data = guild.payload(include_members=[])
        for key in ("members", "channels", "threads", "presences", "voice_states", "joined_at", "large"):
            data.pop(key, None)
        if request.query.get("with_counts") in ("true", "1"):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return data

    async def _get_guild_channels(
        self, request: web.Request, body: Any, guild_id: str
    ) -> list[dict[str, Any]]:
        return [channel.payload() for channel in self._guild(guild_id).channels.values()]

    async def _get_roles(self, request: web.Request, body: Any, guild_id: str) -> list[dict[str, Any]]:
        return [role.payload() for role in self._guild(guild_id).roles.values()]

    async def _get_member(
        self, request: web.Request, body: Any, guild_id: str, user_id: str
    ) -> dict[str, Any]:
        member = self._guild(guild_id).members.get(int(user_id))
        if member is None:
            raise DiscordError(404, "Unknown Member", 10007)
        return member.payload()

    async def _edit_member(
        self, request: web.Request, body: Any, guild_id: str, user_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        member = guild.members.get(int(user_id))
        if member is None:
            raise DiscordError(404, "Unknown Member", 10007)
        body = body or {}
        if "communication_disabled_until" in body:
            member.communication_disabled_until = body["communication_disabled_until"]
        if "nick" in body:
            member.nick = body["nick"]
        if "roles" in body:
            member.role_ids = [int(role_id) for role_id in body["roles"]]
        data = {**member.payload(), "guild_id": str(guild.id)}
        await self.dispatch("GUILD_MEMBER_UPDATE", data)
        return member.payload()

    # interactions and their webhooks ---------------------------------------------------------

    def _interaction(self, interaction_id: str, token: str) -> InteractionRecord:
        record = self.interactions.get(int(interaction_id))
        if record is None or record.payload["token"] != token:
            raise DiscordError(404, "Unknown interaction", 10062)
        return record

    def _interaction_by_token(self, token: str) -> InteractionRecord:
        for record in self.interactions.values():
            if record.payload["token"] == token:
                return record
        raise DiscordError(404, "Unknown Webhook", 10015)

    async def _interaction_callback(
        self, request: web.Request, body: Any, interaction_id: str, token: str
    ) -> dict[str, Any] | None:
        record = self._interaction(interaction_id, token)
        if record.responses:
            raise DiscordError(400, "Interaction has already been acknowledged.", 40060)
        body = body or {}
        record.responses.append(body)
        callback_type = body.get("type")
        data = body.get("data") or {}
        channel = self.world.channels[int(record.payload["channel_id"])]
        message = None
        if callback_type == CALLBACK_MESSAGE:
            message = self._bot_message(channel, data, interaction=record.payload)
            record.original_message_id = int(message["id"])
            if not message["flags"] & EPHEMERAL:
                await self.dispatch("MESSAGE_CREATE", message)
        elif callback_type == CALLBACK_UPDATE_MESSAGE and "message" in record.payload:
            message = self.world.messages.get(int(record.payload["message"]["id"]))
            if message is not None:
                self._apply_edit(message, data)
                await self.dispatch("MESSAGE_UPDATE", message)
        elif callback_type == CALLBACK_MODAL:
            record.modal = data
        if request.query.get("with_response") not in ("1", "true"):
            return None
        flags = int(data.get("flags") or 0)
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": record.payload["type"],
                "response_message_loading": callback_type == CALLBACK_DEFERRED_MESSAGE,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            },
            "resource": {"type": callback_type},
        }
        if message is not None:
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"]["message"] = message
        return result

    async def _create_followup(self, request: web.Request, body: Any, application_id: str, token: str) -> Any:
        record = self._interaction_by_token(token)
        channel = self.world.channels[int(record.payload["channel_id"])]
        message = self._bot_message(channel, body or {}, interaction=record.payload)
        if not message["flags"] & EPHEMERAL:
            await self.dispatch("MESSAGE_CREATE", message)
        return message if request.query.get("wait") in ("true", "1") else None

    def _webhook_message(self, record: InteractionRecord, message_ref: str) -> dict[str, Any]:
        message_id = record.original_message_id if message_ref == "@original" else int(message_ref)
        message = self.world.messages.get(message_id) if message_id else None
        if message is None:
            raise DiscordError(404, "Unknown Message", 10008)
        return message

    async def _get_webhook_message(
        self, request: web.Request, body: Any, application_id: str, token: str, message_ref: str
    ) -> dict[str, Any]:
        return self._webhook_message(self._interaction_by_token(token), message_ref)

    async def _edit_webhook_message(
        self, request: web.Request, body: Any, application_id: str, token: str, message_ref: str
    ) -> dict[str, Any]:
        record = self._interaction_by_token(token)
        if message_ref == "@original" and record.original_message_id is None:
            # After a deferral the first edit creates the visible response.
            channel = self.world.channels[int(record.payload["channel_id"])]
            deferred_flags = (
                int((record.responses[0].get("data") or {}).get("flags") or 0) if record.responses else 0
            )
            message = self._bot_message(
                channel, {**(body or {}), "flags": deferred_flags}, interaction=record.payload
            )
            record.original_message_id = int(message["id"])
            if not deferred_flags & EPHEMERAL:
                await self.dispatch("MESSAGE_CREATE", message)
            return message
        message = self._webhook_message(record, message_ref)
        self._apply_edit(message, body or {})
        if not message["flags"] & EPHEMERAL:
            await self.dispatch("MESSAGE_UPDATE", message)
        return message

    async def _delete_webhook_message(
        self, request: web.Request, body: Any, application_id: str, token: str, message_ref: str
    ) -> None:
        message = self._webhook_message(self._interaction_by_token(token), message_ref)
        await self.delete_message(message)

    # uploaded files ---------------------------------------------------------------------------

    def _publish_uploads(self, body: Any, files: tuple[tuple[str, bytes], ...]) -> None:
        """Complete an upload's attachments as Discord answers them: a snowflake id, the size, a
        content type and a `url` (and `proxy_url`) where the emulator serves the bytes."""
        if not files or not isinstance(body, dict):
            return
        for attachment, (filename, data) in zip(body.get("attachments") or [], files, strict=False):
            attachment_id = self.world.new_id()
            self.uploads[attachment_id] = (filename, data)
            url = f"http://{self.host}:{self.port}/attachments/{attachment_id}/{urllib.parse.quote(filename)}"
            attachment.update(
                id=str(attachment_id),
                filename=filename,
                size=len(data),
                url=url,
                proxy_url=url,
                content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
            )

    async def _attachment_handler(self, request: web.Request) -> web.Response:
        """An uploaded file's bytes at its attachment URL (Discord's CDN, here)."""
        upload = self.uploads.get(int(request.match_info["attachment_id"]))
        if upload is None or upload[0] != request.match_info["filename"]:
            raise web.HTTPNotFound()
        filename, data = upload
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return web.Response(body=data, content_type=content_type)

    # reading what the bot did ----------------------------------------------------------------

    def bot_messages(self, channel: Channel | None = None) -> list[dict[str, Any]]:
        """Every message the bot has posted (replies, interaction responses, DMs), oldest first."""
        bot_id = str(self.world.bot.id)
        return [
            message
            for message in self.world.messages.values()
            if message["author"]["id"] == bot_id
            and (channel is None or message["channel_id"] == str(channel.id))
        ]

    def pings_of(self, message: dict[str, Any] | int | str) -> set[str]:
        """Who one of the bot's messages would notify: {"everyone", "user:<id>", "role:<id>"}."""
        message_id = int(message["id"]) if isinstance(message, dict) else int(message)
        return self.pings.get(message_id, set())


def _reply_target(call: RecordedCall) -> str | None:
    reference = (call.json or {}).get("message_reference") if isinstance(call.json, dict) else None
    return str(reference["message_id"]) if reference else None


async def _read_body(request: web.Request) -> tuple[Any, tuple[tuple[str, bytes], ...]]:
    """The JSON body (payload_json for uploads) and the uploaded files' (filename, content)."""
    if not request.can_read_body:
        return None, ()
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.post()
        payload = json.loads(str(form.get("payload_json", "{}")))
        files = [(key, value) for key, value in form.items() if key.startswith("files[")]
        contents = tuple(
            (getattr(value, "filename", ""), value.file.read() if hasattr(value, "file") else b"")
            for _, value in files
        )
        uploads = [
            {"id": str(index), "filename": filename, "size": len(data)}
            for index, (filename, data) in enumerate(contents)
        ]
        if uploads:
            payload["attachments"] = uploads
        return payload, contents
    raw = await request.read()
    if not raw:
        return None, ()
    try:
        return json.loads(raw), ()
    except ValueError:
        return raw.decode(errors="replace"), ()
