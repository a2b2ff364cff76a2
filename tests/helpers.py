"""Spec'd mocks of discord.py objects and a scripted engine for cog tests.

In the spirit of python-discord's tests/helpers.py: every mock is built with ``spec_set`` from
the real discord.py class, so a misspelt attribute fails the test instead of passing silently;
coroutine methods (``Message.reply``, ``InteractionResponse.send_message``...) become AsyncMocks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import discord

from bot import GigGuardBot
from config import Config
from db import Database
from rules import TOPIC_IDS, Finding, PolicyPack, Topic, Verdict
from rules.model import Source, StageRule

_ids = itertools.count(100_000_000_000_000_000)


def next_id() -> int:
    return next(_ids)


def spec_mock(cls: type, **attributes: Any) -> Any:
    """A non-callable mock with spec_set=cls and the given attributes."""
    instance = mock.NonCallableMagicMock(spec_set=cls)
    for name, value in attributes.items():
        setattr(instance, name, value)
    return instance


def make_guild(guild_id: int | None = None) -> Any:
    return spec_mock(discord.Guild, id=guild_id or next_id(), name="Freelancers Hub")


def make_role(role_id: int | None = None) -> Any:
    return spec_mock(discord.Role, id=role_id or next_id(), name="role")


def make_member(
    guild: Any,
    *,
    member_id: int | None = None,
    roles: Sequence[Any] = (),
    manage_messages: bool = False,
    bot: bool = False,
) -> Any:
    member = spec_mock(
        discord.Member,
        id=member_id or next_id(),
        guild=guild,
        bot=bot,
        roles=list(roles),
        display_name="sam",
        mention="<@1>",
        guild_permissions=discord.Permissions(manage_messages=manage_messages),
    )
    member.send.return_value = None
    return member


def make_user(*, bot: bool = False) -> Any:
    return spec_mock(discord.User, id=next_id(), bot=bot, display_name="sam")


def make_channel(guild: Any, *, channel_id: int | None = None, thread_parent_id: int | None = None) -> Any:
    """A text channel, or a thread (forum posts are threads too) when thread_parent_id is given."""
    cls = discord.Thread if thread_parent_id is not None else discord.TextChannel
    channel = spec_mock(cls, id=channel_id or next_id(), guild=guild, name="general")
    if thread_parent_id is not None:
        channel.parent_id = thread_parent_id

    def permissions_for(member: Any) -> discord.Permissions:
        return member.guild_permissions

    channel.permissions_for.side_effect = permissions_for
    return channel


def make_message(
    content: str,
    *,
    author: Any,
    channel: Any,
    guild: Any | None,
    message_id: int | None = None,
    webhook_id: int | None = None,
    system: bool = False,
) -> Any:
    message = spec_mock(
        discord.Message,
        id=message_id or next_id(),
        content=content,
        author=author,
        channel=channel,
        guild=guild,
        webhook_id=webhook_id,
    )
    message.is_system.return_value = system
    return message


def make_edit_event(message: Any, *, cached: Any | None = None, data: dict | None = None) -> Any:
    """The real RawMessageUpdateEvent discord.py builds from MESSAGE_UPDATE (full message data)."""
    payload = discord.RawMessageUpdateEvent(
        data=data if data is not None else {"id": str(message.id), "content": message.content},  # type: ignore[arg-type]
        message=message,
    )
    payload.cached_message = cached
    return payload


def make_interaction(
    guild: Any | None,
    *,
    user: Any | None = None,
    manage_messages: bool = False,
    namespace: dict | None = None,
) -> Any:
    response = spec_mock(discord.InteractionResponse)
    response.is_done.return_value = False
    followup = spec_mock(discord.Webhook)
    interaction = spec_mock(
        discord.Interaction,
        id=next_id(),
        guild=guild,
        guild_id=guild.id if guild is not None else None,
        channel_id=next_id(),
        user=user or (make_member(guild) if guild is not None else make_user()),
        permissions=discord.Permissions(manage_messages=manage_messages),
        response=response,
        followup=followup,
        extras={},
        command=None,
        namespace=types.SimpleNamespace(**(namespace or {})),
    )
    return interaction


def http_error(cls: type[discord.HTTPException], status: int) -> discord.HTTPException:
    response = mock.Mock(status=status, reason="error")
    return cls(response, {"message": "error", "code": 0})


def sent_kwargs(async_mock: mock.AsyncMock) -> list[dict[str, Any]]:
    return [call.kwargs for call in async_mock.await_args_list]


# ---- a small pack and a scripted engine -------------------------------------------------------


def make_pack(pack_id: str = "fiverr", name: str = "Fiverr") -> PolicyPack:
    topics = {
        topic_id: Topic(
            id=topic_id,
            title=f"{topic_id.replace('_', ' ').title()}",
            summary=f"{name} {topic_id} summary.",
            alternatives=(f"{name} {topic_id} alternative one", f"{name} {topic_id} alternative two"),
            why=f"{name} {topic_id} why.",
            source=f"https://example.com/{pack_id}/{topic_id}",
            stages={
                "before": StageRule("before", (), f"{name} {topic_id} before the order."),
                "after": StageRule("after", ("talk",), f"{name} {topic_id} after the order."),
            },
        )
        for topic_id in TOPIC_IDS
    }
    return PolicyPack(
        id=pack_id,
        name=name,
        path=f"{pack_id}.toml",
        aliases=(pack_id,),
        last_checked=dt.date(2025, 1, 1),
        sources=(Source(title=f"{name} Terms", url=f"https://example.com/{pack_id}"),),
        topics=topics,
    )


_ACTION_OF_LABEL = {"encourages": "warn", "asks": "answer", "none": "none"}


def community_verdict(
    label: str,
    topic: str | None = "email",
    platform: str = "fiverr",
    action: str | None = None,
    phase: str | None = None,
) -> Verdict:
    """A model-decided verdict; the action follows the label unless given (e.g. "review")."""
    findings = ()
    if label == "encourages":
        findings = (Finding(kind="email", span=(0, 5), rule_id=f"test.{topic}", masked="s***@g****.com"),)
    return Verdict(
        mode="community",
        label=label,
        topic=topic,
        platform=platform,
        findings=findings,
        confidence=0.9,
        action=action or _ACTION_OF_LABEL[label],  # type: ignore[arg-type]
        stage="model",
        phase=phase,
    )


class ScriptedEngine:
    """Stands in for rules.Engine with the same surface; returns the verdicts a test sets."""

    def __init__(self, packs: Sequence[PolicyPack] = ()) -> None:
        packs = packs or (make_pack(), make_pack("upwork", "Upwork"))
        self.packs = {pack.id: pack for pack in packs}
        self.default_platform = next(iter(self.packs))
        self.community_verdict = community_verdict("none")
        self.draft_verdict = Verdict(mode="draft", label="ok", topic=None, platform=self.default_platform)
        self.community_calls: list[tuple[str, tuple[str, ...] | None]] = []
        self.draft_calls: list[tuple[str, tuple[str, ...] | None]] = []

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self.packs)

    def pack(self, platform: str) -> PolicyPack:
        return self.packs[platform]

    def topic(self, platform: str, topic_id: str) -> Topic:
        return self.packs[platform].topics[topic_id]

    def community(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        self.community_calls.append((text, tuple(platforms) if platforms else None))
        return self.community_verdict

    def community_cheap(self, text: str, platforms: Sequence[str] | None = None) -> Verdict | None:
        return None  # every message goes to ``community``, as if the transformer were needed

    def reason(self, text: str, verdict: Verdict) -> str:
        return f"{verdict.confidence:.0%} {verdict.label}; most telling: “{text[:40]}”"

    def draft(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        self.draft_calls.append((text, tuple(platforms) if platforms else None))
        return self.draft_verdict


def make_bot(database: Database, engine: Any | None = None, **config: Any) -> GigGuardBot:
    """A real GigGuardBot (never connected) with a scripted engine and a real database."""
    settings = Config(token=None, database_path=Path(database.path), **config)
    return GigGuardBot(settings, engine=engine or ScriptedEngine(), database=database)  # type: ignore[arg-type]


class FakeClock:
    """A monotonic clock the tests move by hand (cooldowns)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
