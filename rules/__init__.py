"""GigGuard's detector: plain ``str`` in, frozen dataclasses out. Imports nothing from discord."""

from rules.classifier import ModelError
from rules.engine import Engine
from rules.model import TOPIC_IDS, Finding, PolicyPack, Topic, Verdict
from rules.policy import PackError, load_packs

__all__ = [
    "TOPIC_IDS",
    "Engine",
    "Finding",
    "ModelError",
    "PackError",
    "PolicyPack",
    "Topic",
    "Verdict",
    "load_packs",
]
