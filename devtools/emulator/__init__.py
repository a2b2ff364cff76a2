"""A fake Discord (REST API v10 + gateway) on 127.0.0.1 for the unmodified discord.py client.

Used by the end-to-end tests and by ``python bot.py --sandbox``. Start with :class:`FakeDiscord`.
"""

from devtools.emulator.server import FakeDiscord, Fault, RecordedCall
from devtools.emulator.world import Channel, Guild, Member, Role, User, World

__all__ = ["Channel", "FakeDiscord", "Fault", "Guild", "Member", "RecordedCall", "Role", "User", "World"]
