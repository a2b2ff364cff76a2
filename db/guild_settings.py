"""The ``guild_settings`` table: one row per server that changed a default.

A server without a row gets ``GuildSettings(guild_id)`` (every default); nothing is written
until a setting changes. Reads are cached in memory: every write goes through this class, so
the cache cannot go stale within one process.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from db.warnings import now_ts

if TYPE_CHECKING:
    import sqlite3

    from db.database import Database

# reply: reply in the channel · reply_dm: reply and DM the member · dm: DM only · log: record only
REPLY_MODES: tuple[str, ...] = ("reply", "reply_dm", "dm", "log")
# full: the policy embed in public · compact: one line in public, the embed behind a Details button
REPLY_STYLES: tuple[str, ...] = ("full", "compact")
MAX_COOLDOWN_S = 86_400  # the longest reply or question cooldown a moderator can set
MAX_TIMEOUT_MINUTES = 28 * 24 * 60  # Discord refuses longer timeouts
MAX_DELETE_REPLIES_AFTER_MIN = 24 * 60  # the longest a public reply can wait for its auto-delete


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    platforms: tuple[str, ...] = ()  # empty = the bot's DEFAULT_PLATFORMS
    reply_mode: str = "reply"
    reply_cooldown_s: int = 60
    ask_cooldown_s: int = 600  # per topic per channel ("question cooldown")
    exempt_role_ids: frozenset[int] = field(default_factory=frozenset)
    exempt_channel_ids: frozenset[int] = field(default_factory=frozenset)
    exempt_moderators: bool = True
    modlog_channel_id: int | None = None
    warning_lifetime_days: int = 90
    # 0002: the moderator toolkit
    delete_contact_messages: bool = False  # delete a warned message that carries contact details
    escalation_ping_at: int = 2  # the active warning that pings the mod-log (0 = never)
    escalation_timeout_at: int = 3  # the active warning that times the member out (0 = never)
    timeout_minutes: int = 0  # 0 = timeouts off (the default)
    modlog_ping_role_id: int | None = None  # the one role an escalation may ping
    shadow_rules: frozenset[str] = field(default_factory=frozenset)  # rule ids or topic ids
    shadow_platforms: frozenset[str] = field(default_factory=frozenset)
    retention_days: int = 180  # days an expired, pardoned or dismissed warning is kept
    # 0003: keep the masked text of detections for the labelled export (opt-in, off by default)
    training_data: bool = False
    # 0004: how the public warning reply and answer look (see REPLY_STYLES)
    reply_style: str = "full"
    # 0005: delete the bot's public replies after this many minutes (0 = keep them, the default)
    delete_replies_after_min: int = 0

    def __post_init__(self) -> None:
        if self.reply_mode not in REPLY_MODES:
            raise ValueError(f"reply mode must be one of {', '.join(REPLY_MODES)}, not {self.reply_mode!r}")
        if self.reply_style not in REPLY_STYLES:
            raise ValueError(
                f"reply style must be one of {', '.join(REPLY_STYLES)}, not {self.reply_style!r}"
            )
        for name in (
            "reply_cooldown_s",
            "ask_cooldown_s",
            "warning_lifetime_days",
            "escalation_ping_at",
            "escalation_timeout_at",
            "timeout_minutes",
            "retention_days",
            "delete_replies_after_min",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.timeout_minutes > MAX_TIMEOUT_MINUTES:
            raise ValueError(f"timeout_minutes cannot exceed {MAX_TIMEOUT_MINUTES} (Discord's 28 days)")
        if self.delete_replies_after_min > MAX_DELETE_REPLIES_AFTER_MIN:
            raise ValueError(
                f"delete_replies_after_min cannot exceed {MAX_DELETE_REPLIES_AFTER_MIN} (one day)"
            )

    def is_shadowed(
        self, *, rule_id: str | None = None, topic: str | None, platform: str, rule_ids: tuple[str, ...] = ()
    ) -> bool:
        """Shadow mode: detect and log to the mod-log, but neither reply nor warn.

        Shadowed: the platform, the topic, or every one of the detection's rules (a rule still
        on trial never acts alone; another rule that fired still does)."""
        if platform in self.shadow_platforms:
            return True
        if topic is not None and topic in self.shadow_rules:
            return True
        rules = rule_ids or ((rule_id,) if rule_id else ())
        return bool(rules) and all(rule in self.shadow_rules for rule in rules)


def _json_ids(values: frozenset[int]) -> str:
    return json.dumps(sorted(values))


# How each field is stored and read back: (to the column, from the column).
# A later migration that adds a column adds a field above and, if it is not a plain
# int/str/None, a line here.
_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "platforms": (lambda v: json.dumps(list(v)) if v else None, lambda v: tuple(json.loads(v)) if v else ()),
    "exempt_role_ids": (_json_ids, lambda v: frozenset(int(i) for i in json.loads(v or "[]"))),
    "exempt_channel_ids": (_json_ids, lambda v: frozenset(int(i) for i in json.loads(v or "[]"))),
    "exempt_moderators": (int, bool),
    "delete_contact_messages": (int, bool),
    "training_data": (int, bool),
    "shadow_rules": (lambda v: json.dumps(sorted(v)), lambda v: frozenset(json.loads(v or "[]"))),
    "shadow_platforms": (lambda v: json.dumps(sorted(v)), lambda v: frozenset(json.loads(v or "[]"))),
}
_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(GuildSettings))


def _to_column(name: str, value: Any) -> Any:
    return _CODECS[name][0](value) if name in _CODECS else value


def _from_row(row: sqlite3.Row) -> GuildSettings:
    keys = set(row.keys())
    values = {
        name: (_CODECS[name][1](row[name]) if name in _CODECS else row[name])
        for name in _FIELDS
        if name in keys
    }
    return GuildSettings(**values)


class GuildSettingsRepository:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._cache: dict[int, GuildSettings] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        """The server's settings (defaults when it never changed any)."""
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone("SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,))
        settings = GuildSettings(guild_id) if row is None else _from_row(row)
        self._cache[guild_id] = settings
        return settings

    async def save(self, settings: GuildSettings) -> GuildSettings:
        """Insert or replace the server's row with these settings."""
        now = now_ts()
        columns = ", ".join(_FIELDS)
        placeholders = ", ".join("?" for _ in _FIELDS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in _FIELDS if name != "guild_id")
        values = [_to_column(name, getattr(settings, name)) for name in _FIELDS]
        await self._db.execute(
            f"""
            INSERT INTO guild_settings ({columns}, created_at, updated_at) VALUES ({placeholders}, ?, ?)
            ON CONFLICT (guild_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at
            """,
            (*values, now, now),
        )
        self._cache[settings.guild_id] = settings
        return settings

    async def update(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Change some settings, keep the rest. ValueError/TypeError on an unknown field or bad value."""
        current = await self.get(guild_id)
        return await self.save(dataclasses.replace(current, **changes))

    async def delete(self, guild_id: int) -> bool:
        """Forget the server's settings (back to defaults). True if a row was deleted."""
        self._cache.pop(guild_id, None)
        return await self._db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,)) > 0

    def forget_cached(self, guild_id: int) -> None:
        """Drop the cached copy after the row was deleted elsewhere (db.privacy)."""
        self._cache.pop(guild_id, None)
