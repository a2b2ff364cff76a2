"""GigGuard's configuration: read once at start-up from the environment and ``.env``.

``load_config()`` returns a frozen ``Config`` or raises ``ConfigError`` whose message is one
line a person can act on. Nothing here ever prints or logs the token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_DATABASE_PATH = Path("data") / "gigguard.db"
DEFAULT_PLATFORMS: tuple[str, ...] = ("fiverr",)
LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# A bot token is three base64url segments joined by dots (user id . timestamp . hmac).
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_PLATFORM_ID = re.compile(r"[a-z][a-z0-9_]*")


class ConfigError(ValueError):
    """Configuration that cannot be used. ``str(error)`` is one line, safe to print."""


@dataclass(frozen=True, slots=True)
class Config:
    token: str | None = field(repr=False)  # None only when allowed (``--check``)
    database_path: Path = DEFAULT_DATABASE_PATH
    default_platforms: tuple[str, ...] = DEFAULT_PLATFORMS
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    # Local testing only: point discord.py at the emulator (devtools/emulator).
    api_base: str | None = None
    gateway_url: str | None = None

    def __repr__(self) -> str:  # the token must never end up in a log line or traceback
        token = "set" if self.token else "missing"
        return (
            f"Config(token=<{token}>, database_path={str(self.database_path)!r}, "
            f"default_platforms={self.default_platforms!r}, log_level={self.log_level!r}, "
            f"dev_guild_id={self.dev_guild_id!r}, api_base={self.api_base!r}, "
            f"gateway_url={self.gateway_url!r})"
        )


def check_token(token: str | None) -> str:
    """The token, stripped; ConfigError when it is missing or cannot be a bot token."""
    if token is None or not token.strip():
        raise ConfigError(
            "DISCORD_TOKEN is not set: copy .env.example to .env and paste your bot token "
            "(Discord developer portal > your application > Bot > Reset Token)"
        )
    token = token.strip()
    if token.lower().startswith("bot "):
        raise ConfigError("DISCORD_TOKEN is malformed: put only the token in it, without the 'Bot ' prefix")
    if not _TOKEN_SHAPE.fullmatch(token):
        # Never echo the value: a half-pasted token is still a secret.
        raise ConfigError(
            "DISCORD_TOKEN is malformed: a bot token is three dot-separated parts "
            "(copy it again from the developer portal's Bot page)"
        )
    return token


def _platforms(raw: str | None) -> tuple[str, ...]:
    if raw is None or not raw.strip():
        return DEFAULT_PLATFORMS
    platforms = tuple(dict.fromkeys(p.strip().lower() for p in raw.split(",") if p.strip()))
    bad = [p for p in platforms if not _PLATFORM_ID.fullmatch(p)]
    if bad or not platforms:
        raise ConfigError(
            f"DEFAULT_PLATFORMS is malformed: expected a comma-separated list like 'fiverr,upwork', "
            f"got {raw!r}"
        )
    return platforms


def _log_level(raw: str | None) -> str:
    level = (raw or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return level


def _snowflake(name: str, raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ConfigError(f"{name} must be a numeric Discord id (right-click the server > Copy Server ID)")
    return int(raw.strip())


def _url(name: str, raw: str | None, schemes: tuple[str, ...]) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not value.startswith(schemes):
        raise ConfigError(f"{name} must start with {' or '.join(schemes)}, got {raw!r}")
    return value


def _strip_slash(url: str | None) -> str | None:
    # discord.py joins Route.BASE + "/users/@me": a trailing slash would double it.
    return url.rstrip("/") if url else url


def read_environment(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> dict[str, str]:
    """The process environment over the ``.env`` file (real environment variables win)."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def load_config(
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    *,
    require_token: bool = True,
) -> Config:
    """Build the Config once. With ``require_token=False`` a missing token is allowed (``--check``)."""
    env = read_environment(environ, env_file)
    raw_token = env.get("DISCORD_TOKEN")
    token: str | None
    if require_token:
        token = check_token(raw_token)
    else:  # the caller reports on it (``bot.py --check`` calls check_token itself)
        token = raw_token.strip() if raw_token and raw_token.strip() else None
    database_path = Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH).expanduser()
    return Config(
        token=token,
        database_path=database_path,
        default_platforms=_platforms(env.get("DEFAULT_PLATFORMS")),
        log_level=_log_level(env.get("LOG_LEVEL")),
        dev_guild_id=_snowflake("DEV_GUILD_ID", env.get("DEV_GUILD_ID")),
        api_base=_strip_slash(_url("DISCORD_API_BASE", env.get("DISCORD_API_BASE"), ("http://", "https://"))),
        gateway_url=_url("DISCORD_GATEWAY_URL", env.get("DISCORD_GATEWAY_URL"), ("ws://", "wss://")),
    )
