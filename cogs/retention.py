"""Retention: purge warnings past their server's retention time, and servers gone for 30 days;
delete the bot's own public replies once due (a server's ``delete_replies_after`` setting)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord.ext import commands, tasks

from db import DEPARTURE_GRACE_DAYS, PendingDeletion, now_ts

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

PURGE_EVERY_HOURS = 6
# Replies due for deletion are looked for this often: a reply goes at most this late.
REPLY_DELETION_EVERY_S = 30
REPLY_DELETIONS_PER_PASS = 50  # the oldest first; any more wait for the next pass
# A deletion Discord answers with another error (a 5xx after discord.py's own retries) is tried
# again every pass until this long after its due time, then dropped with a warning; 403 and 404
# are dropped at once. A network error ends the pass: everything left is tried on the next one.
REPLY_DELETION_GIVE_UP_S = 86_400


class Retention(commands.Cog):
    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        # Started once connected (on_ready can fire again after a reconnect).
        if not self.purge_task.is_running():
            self.purge_task.start()
        if not self.reply_deletion_task.is_running():
            # The first pass runs at once: what fell due while the bot was down goes now.
            self.reply_deletion_task.start()

    async def cog_unload(self) -> None:
        self.purge_task.cancel()
        self.reply_deletion_task.cancel()

    async def purge_once(self) -> tuple[int, int]:
        """One pass: (warnings purged, servers purged)."""
        warnings = await self.bot.db.privacy.purge_expired()
        guilds = 0
        for guild_id in await self.bot.db.departures.due(grace_days=DEPARTURE_GRACE_DAYS):
            if self.bot.get_guild(guild_id) is not None:  # back, and we missed the join event
                await self.bot.db.departures.mark_returned(guild_id)
                continue
            await self.bot.db.privacy.forget_guild(guild_id)
            guilds += 1
        if warnings or guilds:
            log.info(
                "Retention: purged %d old warnings and the data of %d departed servers", warnings, guilds
            )
        return warnings, guilds

    @tasks.loop(hours=PURGE_EVERY_HOURS)
    async def purge_task(self) -> None:
        try:
            await self.purge_once()
        except Exception:  # the next pass tries again; the bot keeps running
            log.exception("Retention pass failed")

    async def delete_due_replies(self, *, now: int | None = None) -> int:
        """One pass over the replies due for deletion; how many were deleted. A reply already gone
        (404) or that the bot may no longer delete (403) is dropped; other errors wait for the
        next pass (until REPLY_DELETION_GIVE_UP_S after the due time)."""
        now = now_ts() if now is None else now
        repository = self.bot.db.reply_deletions
        deleted = 0
        for pending in await repository.due(now=now, limit=REPLY_DELETIONS_PER_PASS):
            outcome = await self.delete_reply(pending, now)
            if outcome == "retry":
                continue
            deleted += outcome == "deleted"
            await repository.done(pending.message_id)
        if deleted:
            log.info("Auto-delete: deleted %d of GigGuard's replies", deleted)
        return deleted

    async def delete_reply(self, pending: PendingDeletion, now: int) -> Literal["deleted", "drop", "retry"]:
        """Delete one reply: "deleted", "drop" (no point trying again; logged) or "retry"."""
        channel = self.bot.get_partial_messageable(pending.channel_id, guild_id=pending.guild_id)
        try:
            await channel.get_partial_message(pending.message_id).delete()
        except discord.NotFound:
            log.info(
                "Auto-delete: reply %s in channel %s was already gone", pending.message_id, pending.channel_id
            )
            return "drop"
        except discord.Forbidden:
            log.warning(
                "Auto-delete: no permission to delete reply %s in channel %s (guild %s); dropped",
                pending.message_id,
                pending.channel_id,
                pending.guild_id,
            )
            return "drop"
        except discord.HTTPException as exc:
            give_up = now - pending.due_at >= REPLY_DELETION_GIVE_UP_S
            log.warning(
                "Auto-delete of reply %s in channel %s failed (HTTP %s); %s",
                pending.message_id,
                pending.channel_id,
                exc.status,
                "dropped: it has failed for a day" if give_up else "trying again next pass",
            )
            return "drop" if give_up else "retry"
        return "deleted"

    @tasks.loop(seconds=REPLY_DELETION_EVERY_S)
    async def reply_deletion_task(self) -> None:
        try:
            await self.delete_due_replies()
        except Exception:  # the next pass tries again; the bot keeps running
            log.exception("Auto-delete pass failed")

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        await self.bot.db.departures.mark_left(guild.id)
        log.info("Removed from guild %s: its data will be purged in %d days", guild.id, DEPARTURE_GRACE_DAYS)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await self.bot.db.departures.mark_returned(guild.id):
            log.info("Back in guild %s: its data is kept", guild.id)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Retention(bot))
