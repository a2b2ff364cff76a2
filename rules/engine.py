"""The detector's public entry point: Engine.community() and Engine.draft()."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rules.model import PolicyPack, Topic, Verdict
from rules.policy import PACKS_DIR, PackError, load_packs


class Engine:
    """Holds the loaded packs and the compiled patterns; cheap to call, safe to share."""

    def __init__(self, packs: dict[str, PolicyPack], default_platform: str | None = None) -> None:
        if not packs:
            raise PackError("<packs>", "no policy packs loaded")
        self.packs = packs
        self.default_platform = default_platform if default_platform in packs else next(iter(packs))

    @classmethod
    def load(cls, directory: Path = PACKS_DIR, default_platform: str | None = "fiverr") -> Engine:
        return cls(load_packs(directory), default_platform)

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self.packs)

    def pack(self, platform: str) -> PolicyPack:
        return self.packs[platform]

    def topic(self, platform: str, topic_id: str) -> Topic:
        return self.packs[platform].topics[topic_id]

    def community(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a message posted in a server: encourages / asks / none."""
        return Verdict(mode="community", label="none", topic=None, platform=self.default_platform)

    def draft(self, text: str, platforms: Sequence[str] | None = None) -> Verdict:
        """Judge a draft a member plans to send a client: violation / ok (with a rewrite)."""
        return Verdict(mode="draft", label="ok", topic=None, platform=self.default_platform)
