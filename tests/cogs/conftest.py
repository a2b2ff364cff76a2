from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import GigGuardBot
from db import Database
from tests.helpers import FakeClock, ScriptedEngine, make_bot, make_channel, make_guild, make_member


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "gigguard.db"


@pytest.fixture
async def database(db_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def bot(database: Database, engine: ScriptedEngine) -> GigGuardBot:
    return make_bot(database, engine)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def guild() -> Any:
    return make_guild()


@pytest.fixture
def channel(guild: Any) -> Any:
    return make_channel(guild)


@pytest.fixture
def member(guild: Any) -> Any:
    return make_member(guild)
