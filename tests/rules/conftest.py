"""Fixtures shared by the detector's unit tests."""

from __future__ import annotations

import pytest

from rules import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The real engine with the shipped packs (loading them is cheap once ``rules`` is imported)."""
    return Engine.load()
