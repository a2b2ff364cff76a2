"""Configuration: read once, clear one-line errors, the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import DEFAULT_DATABASE_PATH, PROJECT_DIR, ConfigError, gigguard_home, load_config

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_defaults_with_only_a_token() -> None:
    config = load_config({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert config.token == TOKEN
    assert config.database_path == PROJECT_DIR / DEFAULT_DATABASE_PATH  # the checkout's, not the cwd's
    assert config.default_platforms == ("fiverr",)
    assert config.log_level == "INFO"
    assert config.dev_guild_id is None
    assert config.api_base is None
    assert config.gateway_url is None


def test_every_variable_is_read() -> None:
    config = load_config(
        {
            "DISCORD_TOKEN": f"  {TOKEN}\n",
            "DATABASE_PATH": "/tmp/x/gg.db",
            "DEFAULT_PLATFORMS": "Upwork, fiverr,upwork",
            "LOG_LEVEL": "debug",
            "DEV_GUILD_ID": "123456789012345678",
            "DISCORD_API_BASE": "http://127.0.0.1:8080/api/v10/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8080/gateway",
        },
        env_file=None,
    )
    assert config.token == TOKEN
    assert config.database_path == Path("/tmp/x/gg.db")
    assert config.default_platforms == ("upwork", "fiverr")
    assert config.log_level == "DEBUG"
    assert config.dev_guild_id == 123456789012345678
    assert config.api_base == "http://127.0.0.1:8080/api/v10"
    assert config.gateway_url == "ws://127.0.0.1:8080/gateway"


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"DISCORD_TOKEN={TOKEN}\nLOG_LEVEL=WARNING\n# a comment\n")
    config = load_config({"LOG_LEVEL": "ERROR"}, env_file=env_file)
    assert config.token == TOKEN
    assert config.log_level == "ERROR"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "   "}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "your-bot-token-here"}, "DISCORD_TOKEN is malformed"),
        ({"DISCORD_TOKEN": f"Bot {TOKEN}"}, "without the 'Bot ' prefix"),
        ({"DISCORD_TOKEN": TOKEN.replace(".", " . ")}, "DISCORD_TOKEN is malformed"),
        ({"DISCORD_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"DISCORD_TOKEN": TOKEN, "DEV_GUILD_ID": "my server"}, "DEV_GUILD_ID must be a numeric"),
        ({"DISCORD_TOKEN": TOKEN, "DEFAULT_PLATFORMS": "Fiverr!"}, "DEFAULT_PLATFORMS is malformed"),
        ({"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": "127.0.0.1:80"}, "DISCORD_API_BASE must start with"),
        ({"DISCORD_TOKEN": TOKEN, "DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL must start with"),
    ],
)
def test_bad_configuration_is_one_clear_line(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        load_config(environ, env_file=None)
    assert "\n" not in str(raised.value)


def test_a_malformed_token_is_never_echoed() -> None:
    secret = "not-a-token-but-still-secret"
    with pytest.raises(ConfigError) as raised:
        load_config({"DISCORD_TOKEN": secret}, env_file=None)
    assert secret not in str(raised.value)


def test_the_token_is_not_in_repr() -> None:
    config = load_config({"DISCORD_TOKEN": TOKEN}, env_file=None)
    assert TOKEN not in repr(config)
    assert TOKEN not in str(config)
    assert "token=<set>" in repr(config)


def test_check_mode_allows_a_missing_token() -> None:
    assert load_config({}, env_file=None, require_token=False).token is None


def test_home_is_gigguard_home_when_set_else_the_checkout(tmp_path: Path) -> None:
    assert gigguard_home({"GIGGUARD_HOME": str(tmp_path)}) == tmp_path.resolve()
    assert gigguard_home({}) == PROJECT_DIR


def test_env_file_and_a_relative_database_path_are_found_in_the_home_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    (home / ".env").write_text(f"DISCORD_TOKEN={TOKEN}\nDATABASE_PATH=db/gg.db\n")
    monkeypatch.chdir(elsewhere)
    config = load_config({"GIGGUARD_HOME": str(home)})
    assert config.token == TOKEN
    assert config.database_path == home.resolve() / "db" / "gg.db"
