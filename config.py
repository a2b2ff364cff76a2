"""GigGuard's configuration: read once at start-up from the environment and ``.env``.

``load_config()`` returns a frozen ``Config`` or raises ``ConfigError`` whose message is one
line a person can act on. Nothing here ever prints or logs the token.

Nothing depends on the current directory: ``.env`` and a relative ``DATABASE_PATH`` are found in
GigGuard's home, which is ``$GIGGUARD_HOME`` when set, else the checkout the code runs from,
else (an installed package) ``$XDG_DATA_HOME/gigguard`` or ``~/.local/share/gigguard``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values

PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_PATH = Path("data") / "gigguard.db"  # relative to GigGuard's home
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
    database_path: Path = PROJECT_DIR / DEFAULT_DATABASE_PATH  # always absolute
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


def gigguard_home(environ: Mapping[str, str] | None = None) -> Path:
    """Where ``.env`` and the default database live (see the module docstring)."""
    env = os.environ if environ is None else environ
    configured = env.get("GIGGUARD_HOME", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    if (PROJECT_DIR / "pyproject.toml").is_file():  # running from a checkout
        return PROJECT_DIR
    data_home = env.get("XDG_DATA_HOME", "").strip()
    return (Path(data_home) if data_home else Path.home() / ".local" / "share") / "gigguard"


def read_environment(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> dict[str, str]:
    """The process environment over the ``.env`` file (real environment variables win)."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    return values


def load_config(
    environ: Mapping[str, str] | None = None,
    env_file: Path | Literal["home"] | None = "home",
    *,
    require_token: bool = True,
) -> Config:
    """Build the Config once. With ``require_token=False`` a missing token is allowed (``--check``).

    ``env_file="home"`` reads ``.env`` from GigGuard's home; ``None`` reads no file.
    """
    home = gigguard_home(environ)
    env = read_environment(environ, home / ".env" if env_file == "home" else env_file)
    raw_token = env.get("DISCORD_TOKEN")
    token: str | None
    if require_token:
        token = check_token(raw_token)
    else:  # the caller reports on it (``bot.py --check`` calls check_token itself)
        token = raw_token.strip() if raw_token and raw_token.strip() else None
    # A relative path is relative to the home, never to wherever the bot was started from.
    database_path = home / Path(env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH).expanduser()
    return Config(
        token=token,
        database_path=database_path,
        default_platforms=_platforms(env.get("DEFAULT_PLATFORMS")),
        log_level=_log_level(env.get("LOG_LEVEL")),
        dev_guild_id=_snowflake("DEV_GUILD_ID", env.get("DEV_GUILD_ID")),
        api_base=_strip_slash(_url("DISCORD_API_BASE", env.get("DISCORD_API_BASE"), ("http://", "https://"))),
        gateway_url=_url("DISCORD_GATEWAY_URL", env.get("DISCORD_GATEWAY_URL"), ("ws://", "wss://")),
    )
