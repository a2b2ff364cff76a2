"""The review loop: buttons on every warning reply.

"Not a violation" (moderators): dismisses the warning and counts a false positive for its rule.
"I think this is wrong" (the warned member): sends the warning to the mod-log for review.

The buttons are DynamicItems: their custom_id carries the warning id, so they keep working
after a restart without any stored view state.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from cogs._errors import respond
from cogs._guards import ensure_moderator
from cogs._modlog import post_modlog, warning_event_embed, warning_state

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

DISMISS_REASON = "Not a violation (review button)"


def client_of(interaction: discord.Interaction) -> GigGuardBot:
    return interaction.client  # type: ignore[return-value]


class DismissButton(discord.ui.DynamicItem[discord.ui.Button], template=r"gigguard:dismiss:(?P<id>\d+)"):
    def __init__(self, warning_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Not a violation",
                style=discord.ButtonStyle.secondary,
                custom_id=f"gigguard:dismiss:{warning_id}",
            )
        )
        self.warning_id = warning_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DismissButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(dismiss_warning, interaction, self.warning_id)


class DisputeButton(discord.ui.DynamicItem[discord.ui.Button], template=r"gigguard:dispute:(?P<id>\d+)"):
    def __init__(self, warning_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="I think this is wrong",
                style=discord.ButtonStyle.secondary,
                custom_id=f"gigguard:dispute:{warning_id}",
            )
        )
        self.warning_id = warning_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DisputeButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(dispute_warning, interaction, self.warning_id)


async def _guarded(handler: Any, interaction: discord.Interaction, warning_id: int) -> None:
    """Run a button handler; on failure the member gets a plain answer and the log the traceback."""
    try:
        await handler(interaction, warning_id)
    except Exception:
        log.exception("Review button failed for warning #%d", warning_id)
        try:
            await respond(
                interaction, "Something went wrong with this button; the moderators can check the log."
            )
        except discord.HTTPException:
            log.warning("Could not tell the member that the button failed")


def review_view(warning_id: int, *, dismiss: bool = True, dispute: bool = True) -> discord.ui.View:
    """The buttons for one warning (persistent: no timeout)."""
    view = discord.ui.View(timeout=None)
    if dismiss:
        view.add_item(DismissButton(warning_id))
    if dispute:
        view.add_item(DisputeButton(warning_id))
    return view


async def dismiss_warning(interaction: discord.Interaction, warning_id: int) -> None:
    if not await ensure_moderator(interaction):
        return
    bot = client_of(interaction)
    assert interaction.guild_id is not None  # ensure_moderator refuses DMs
    warning = await bot.db.warnings.get(warning_id, guild_id=interaction.guild_id)
    if warning is None:
        await respond(interaction, f"Warning #{warning_id} no longer exists (it may have been deleted).")
        return
    if warning.status != "active":
        await respond(interaction, f"Warning #{warning_id} is already {warning.status}.")
        return
    dismissed = await bot.db.warnings.set_status(
        warning_id, "dismissed", by=interaction.user.id, reason=DISMISS_REASON, guild_id=interaction.guild_id
    )
    if dismissed is None:
        await respond(interaction, f"Warning #{warning_id} no longer exists.")
        return
    await bot.db.stats.record(interaction.guild_id, "dismissal", dismissed.rule_id)
    log.info("Warning #%d dismissed as a false positive by %s", warning_id, interaction.user.id)
    await respond(
        interaction,
        f"Dismissed warning #{warning_id}: it no longer counts, and the rule's "
        "false positive was noted. Thank you!",
    )
    settings = await bot.db.guild_settings.get(interaction.guild_id)
    await post_modlog(
        bot,
        settings,
        warning_event_embed("dismissal", dismissed, actor_id=interaction.user.id, reason=DISMISS_REASON),
    )
    await remove_buttons(interaction)


async def dispute_warning(interaction: discord.Interaction, warning_id: int) -> None:
    bot = client_of(interaction)
    warning = await bot.db.warnings.get(warning_id)
    if warning is None or (interaction.guild_id is not None and warning.guild_id != interaction.guild_id):
        await respond(interaction, f"Warning #{warning_id} no longer exists.")
        return
    if warning.user_id != interaction.user.id:
        await respond(interaction, "Only the member who was warned can ask for a review of this warning.")
        return
    if warning.status != "active":
        await respond(interaction, f"This warning was already {warning_state(warning)}: nothing to review.")
        return
    requested = await bot.db.warnings.request_review(
        warning_id, guild_id=warning.guild_id, user_id=interaction.user.id
    )
    if requested is None:
        await respond(interaction, "You already asked for a review of this warning; the moderators have it.")
        return
    await bot.db.stats.record(warning.guild_id, "review_request", warning.rule_id)
    settings = await bot.db.guild_settings.get(warning.guild_id)
    posted = await post_modlog(
        bot,
        settings,
        warning_event_embed("review_request", requested),
        view=review_view(warning_id, dispute=False),
    )
    if posted:
        await respond(interaction, "Thanks: the moderators will review this warning.")
    else:
        await respond(
            interaction,
            "Noted. This server has no mod-log channel, so please also tell a moderator directly.",
        )


async def remove_buttons(interaction: discord.Interaction) -> None:
    """Take the buttons off a dismissed warning's message (best effort)."""
    message = interaction.message
    if message is None:
        return
    try:
        await message.edit(view=None, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as exc:
        log.info("Could not remove the review buttons from message %s (HTTP %s)", message.id, exc.status)


class Review(commands.Cog):
    """Registers the buttons so clicks on any warning reply (even from before a restart) arrive."""

    DYNAMIC_ITEMS: tuple[Any, ...] = (DismissButton, DisputeButton)

    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*self.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*self.DYNAMIC_ITEMS)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Review(bot))
