"""The emulator's model of Discord: users, guilds, channels, members, messages, and their JSON shapes.

Payload shapes follow Discord's API v10 as discord.py 2.7 parses them (see discord/types/).
Messages are kept as the very dicts Discord would send, so what the bot reads and what tests
inspect are the same thing.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Gateway intents (discord.flags.Intents values).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Channel types.
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11

ADMINISTRATOR = 1 << 3
MANAGE_MESSAGES = 1 << 13
MODERATE_MEMBERS = 1 << 40
# Roughly Discord's default @everyone: invite, react, view, send, embed, attach, read history,
# external emoji, connect, speak, change nickname, application commands, threads.
EVERYONE_PERMISSIONS = sum(1 << bit for bit in (0, 6, 10, 11, 14, 15, 16, 18, 20, 21, 26, 31, 35, 38))
MODERATOR_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | MODERATE_MEMBERS | (1 << 1) | (1 << 2)
# The bot's integration role: what GigGuard's invite link asks for.
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | MODERATE_MEMBERS


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


class SnowflakeFactory:
    """Time-based ids like Discord's, unique within one emulator."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self) -> int:
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (millis << 22) | (next(self._counter) & 0x3F_FFFF)


@dataclass
class User:
    id: int
    name: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class Role:
    id: int
    name: str
    permissions: int = EVERYONE_PERMISSIONS
    position: int = 0
    mentionable: bool = False
    bot_id: int | None = None  # set on a bot's own integration role

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.bot_id is not None,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)
    communication_disabled_until: str | None = None
    flags: int = 0

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(role_id) for role_id in self.role_ids],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": self.flags,
            "communication_disabled_until": self.communication_disabled_until,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Channel:
    id: int
    name: str
    type: int = GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    recipients: list[User] = field(default_factory=list)
    last_message_id: int | None = None

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "last_message_id": str(self.last_message_id) if self.last_message_id else None,
        }
        if self.type == DM:
            data["recipients"] = [user.payload() for user in self.recipients]
            data.pop("name")
            return data
        data.update(
            guild_id=str(self.guild_id),
            position=self.position,
            permission_overwrites=[],
            parent_id=str(self.parent_id) if self.parent_id else None,
            topic=self.topic,
            nsfw=False,
            rate_limit_per_user=0,
            flags=0,
        )
        if self.type == PUBLIC_THREAD:
            data.update(
                owner_id=str(self.guild_id),
                member_count=1,
                message_count=0,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso_now(),
                    "locked": False,
                },
            )
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    system_channel_id: int | None = None  # where Discord posts joins (and bots greet a server)

    @property
    def default_role(self) -> Role:
        return self.roles[self.id]

    def text_channel(self, name: str) -> Channel:
        for channel in self.channels.values():
            if channel.name == name.lstrip("#"):
                return channel
        raise KeyError(f"no channel named {name!r} in {self.name!r}")

    def member_named(self, name: str) -> Member:
        for member in self.members.values():
            if member.user.name == name:
                return member
        raise KeyError(f"no member named {name!r} in {self.name!r}")

    def permissions_of(self, member: Member) -> int:
        permissions = self.default_role.permissions
        for role_id in member.role_ids:
            permissions |= self.roles[role_id].permissions
        if member.user.id == self.owner_id or permissions & ADMINISTRATOR:
            return (1 << 53) - 1
        return permissions

    def payload(self, *, include_members: list[Member]) -> dict[str, Any]:
        """The GUILD_CREATE shape. member_count equals the full count, as on Discord."""
        plain_channels = [c for c in self.channels.values() if c.type != PUBLIC_THREAD]
        threads = [c for c in self.channels.values() if c.type == PUBLIC_THREAD]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.system_channel_id) if self.system_channel_id else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [member.payload() for member in include_members],
            "channels": [channel.payload() for channel in plain_channels],
            "threads": [thread.payload() for thread in threads],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def pinged_targets(
    content: str,
    allowed_mentions: dict[str, Any] | None,
    replied_to_author_id: int | None,
) -> set[str]:
    """Who a message would notify on Discord: "everyone", "user:<id>", "role:<id>".

    Mirrors Discord's allowed_mentions rules: without the field everything written pings
    (and a reply pings the replied-to author); with it, only what `parse` or the explicit
    `users`/`roles` lists allow, and the replied-to author only if `replied_user` is true.
    Role pings here ignore the role's `mentionable` flag, so a test fails safe.
    """
    users_written = set(USER_MENTION.findall(content))
    roles_written = set(ROLE_MENTION.findall(content))
    everyone_written = "@everyone" in content or "@here" in content
    targets: set[str] = set()
    if allowed_mentions is None:
        if everyone_written:
            targets.add("everyone")
        targets.update(f"user:{user_id}" for user_id in users_written)
        targets.update(f"role:{role_id}" for role_id in roles_written)
        if replied_to_author_id is not None:
            targets.add(f"user:{replied_to_author_id}")
        return targets
    parse = set(allowed_mentions.get("parse", []))
    if "everyone" in parse and everyone_written:
        targets.add("everyone")
    allowed_users = (
        users_written if "users" in parse else users_written & set(allowed_mentions.get("users", []))
    )
    allowed_roles = (
        roles_written if "roles" in parse else roles_written & set(allowed_mentions.get("roles", []))
    )
    targets.update(f"user:{user_id}" for user_id in allowed_users)
    targets.update(f"role:{role_id}" for role_id in allowed_roles)
    if replied_to_author_id is not None and allowed_mentions.get("replied_user", False):
        targets.add(f"user:{replied_to_author_id}")
    return targets


class World:
    """Everything the fake Discord knows. Tests build it before (or while) the bot runs."""

    def __init__(self, bot_name: str = "GigGuard") -> None:
        self.new_id = SnowflakeFactory()
        self.application_id = self.new_id()
        self.bot = User(self.application_id, bot_name, bot=True)
        self.owner = User(self.new_id(), "owner")
        self.users: dict[int, User] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        # Application commands the bot registered: key None = global, else guild id.
        self.commands: dict[int | None, list[dict[str, Any]]] = {}

    # building -----------------------------------------------------------------------------

    def add_guild(self, name: str, *, owner: User | None = None) -> Guild:
        owner = owner or self.owner
        guild_id = self.new_id()
        guild = Guild(guild_id, name, owner.id)
        guild.roles[guild_id] = Role(guild_id, "@everyone")
        self.guilds[guild_id] = guild
        self.add_member(guild, owner)
        bot_role = self.add_role(guild, self.bot.name, permissions=BOT_PERMISSIONS)
        bot_role.bot_id = self.bot.id
        self.add_member(guild, self.bot, roles=[bot_role])
        return guild

    def add_role(self, guild: Guild, name: str, *, permissions: int = EVERYONE_PERMISSIONS) -> Role:
        role = Role(self.new_id(), name, permissions=permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    def add_channel(
        self, guild: Guild, name: str, *, type: int = GUILD_TEXT, parent: Channel | None = None
    ) -> Channel:
        channel = Channel(
            self.new_id(),
            name.lstrip("#"),
            type=type,
            guild_id=guild.id,
            position=len(guild.channels),
            parent_id=parent.id if parent else None,
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def add_user(self, name: str, *, bot: bool = False) -> User:
        user = User(self.new_id(), name, bot=bot)
        self.users[user.id] = user
        return user

    def add_member(self, guild: Guild, user: User | str, *, roles: list[Role] | None = None) -> Member:
        if isinstance(user, str):
            user = self.add_user(user)
        member = Member(user, guild.id, role_ids=[role.id for role in roles or []])
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: User) -> Channel:
        for channel in self.channels.values():
            if channel.type == DM and channel.recipients and channel.recipients[0].id == user.id:
                return channel
        channel = Channel(self.new_id(), "", type=DM, recipients=[user])
        self.channels[channel.id] = channel
        return channel

    # messages -----------------------------------------------------------------------------

    def message_payload(
        self,
        channel: Channel,
        author: User,
        content: str,
        *,
        embeds: list[dict[str, Any]] | None = None,
        reference: dict[str, Any] | None = None,
        components: list[dict[str, Any]] | None = None,
        flags: int = 0,
        attachments: list[dict[str, Any]] | None = None,
        message_type: int = 0,
    ) -> dict[str, Any]:
        """Build and store a full message as Discord would deliver it."""
        message_id = self.new_id()
        guild = self.guilds.get(channel.guild_id) if channel.guild_id else None
        data: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel.id),
            "author": author.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            **self.mention_fields(content),
            "attachments": attachments or [],
            "embeds": embeds or [],
            "reactions": [],
            "pinned": False,
            "type": 19 if reference and message_type == 0 else message_type,
            "flags": flags,
            "components": components or [],
        }
        if guild is not None:
            data["guild_id"] = str(guild.id)
            member = guild.members.get(author.id)
            if member is not None:
                data["member"] = member.payload(with_user=False)
        if reference:
            data["message_reference"] = {"type": 0, "channel_id": str(channel.id), **reference}
            referenced = self.messages.get(int(reference["message_id"]))
            if referenced is not None:
                # One level deep, as Discord sends it.
                data["referenced_message"] = {
                    k: v for k, v in referenced.items() if k != "referenced_message"
                }
        self.messages[message_id] = data
        channel.last_message_id = message_id
        return data

    def mention_fields(self, content: str) -> dict[str, Any]:
        """The mention_everyone / mentions / mention_roles fields Discord derives from content."""
        return {
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": [
                self.users[int(user_id)].payload()
                for user_id in dict.fromkeys(USER_MENTION.findall(content))
                if int(user_id) in self.users
            ],
            "mention_roles": list(dict.fromkeys(ROLE_MENTION.findall(content))),
        }
