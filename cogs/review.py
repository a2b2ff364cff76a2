"""The review loop: buttons on every warning reply and on every review item in the mod-log.

"Not a violation" (moderators): dismisses the warning and counts a false positive for its rules.
"I think this is wrong" (the warned member): sends the warning to the mod-log for review.
"Confirm" / "Dismiss" (moderators, on a review item): records the warning exactly as an
automatic one (reply to the member included), or closes the item as not a violation.

The buttons are DynamicItems: their custom_id carries the warning or review item id, so they
keep working after a restart without any stored view state.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord
from discord.ext import commands

from cogs._errors import report_app_command_error, respond
from cogs._guards import ensure_moderator
from cogs._modlog import member_line, post_modlog, review_embed, warning_event_embed, warning_state
from db import ReviewItem
from rules.naming import topic_key

if TYPE_CHECKING:
    from bot import GigGuardBot
    from cogs.watch import Watch

log = logging.getLogger(__name__)

DISMISS_REASON = "Not a violation (review button)"


def client_of(interaction: discord.Interaction) -> GigGuardBot:
    return interaction.client  # type: ignore[return-value]


class _RecordButton(discord.ui.DynamicItem[discord.ui.Button], template=r"gigguard:unregistered:(?P<id>\d+)"):
    """A button whose custom_id carries one record id (a warning or a review item), so it keeps
    working after a restart. Subclasses give the id prefix (matching their template), the label,
    the style and what a press does; only the subclasses are registered."""

    prefix: ClassVar[str]
    text: ClassVar[str]
    button_style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, record_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.text, style=self.button_style, custom_id=f"gigguard:{self.prefix}:{record_id}"
            )
        )
        self.record_id = record_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(self.press, interaction, self.record_id)

    async def press(self, interaction: discord.Interaction, record_id: int) -> None:
        raise NotImplementedError


class DismissButton(_RecordButton, template=r"gigguard:dismiss:(?P<id>\d+)"):
    prefix, text = "dismiss", "Not a violation"

    @property
    def warning_id(self) -> int:
        return self.record_id

    async def press(self, interaction: discord.Interaction, record_id: int) -> None:
        await dismiss_warning(interaction, record_id)


class DisputeButton(_RecordButton, template=r"gigguard:dispute:(?P<id>\d+)"):
    prefix, text = "dispute", "I think this is wrong"

    @property
    def warning_id(self) -> int:
        return self.record_id

    async def press(self, interaction: discord.Interaction, record_id: int) -> None:
        await dispute_warning(interaction, record_id)


class ConfirmReviewButton(_RecordButton, template=r"gigguard:review-confirm:(?P<id>\d+)"):
    prefix, text, button_style = "review-confirm", "Confirm", discord.ButtonStyle.danger

    @property
    def item_id(self) -> int:
        return self.record_id

    async def press(self, interaction: discord.Interaction, record_id: int) -> None:
        await confirm_review(interaction, record_id)


class DismissReviewButton(_RecordButton, template=r"gigguard:review-dismiss:(?P<id>\d+)"):
    prefix, text = "review-dismiss", "Dismiss"

    @property
    def item_id(self) -> int:
        return self.record_id

    async def press(self, interaction: discord.Interaction, record_id: int) -> None:
        await dismiss_review(interaction, record_id)


async def _guarded(handler: Any, interaction: discord.Interaction, item_id: int) -> None:
    """Run a button handler; a failure goes through the one error path (a private answer for the
    member, the traceback in the log)."""
    try:
        await handler(interaction, item_id)
    except Exception as exc:
        await report_app_command_error(interaction, exc)


def review_item_view(item_id: int) -> discord.ui.View:
    """Confirm / Dismiss for one review item (persistent: no timeout)."""
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmReviewButton(item_id))
    view.add_item(DismissReviewButton(item_id))
    return view


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
    await bot.db.stats.record_event(
        interaction.guild_id,
        "dismissal",
        topic=topic_key(dismissed.platform, dismissed.topic),
        rule_ids=dismissed.rules,
    )
    log.info("Warning #%d dismissed as a false positive by %s", warning_id, interaction.user.id)
    await respond(
        interaction,
        f"Dismissed warning #{warning_id}: it no longer counts, and a false positive was noted "
        "for its rules and topic. Thank you!",
    )
    settings = await bot.db.guild_settings.get(interaction.guild_id)
    await post_modlog(
        bot,
        settings,
        warning_event_embed(
            "dismissal",
            dismissed,
            packs=bot.engine.packs,
            actor_id=interaction.user.id,
            reason=DISMISS_REASON,
        ),
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
    await bot.db.stats.record_event(
        warning.guild_id,
        "review_request",
        topic=topic_key(warning.platform, warning.topic),
        rule_ids=warning.rules,
    )
    settings = await bot.db.guild_settings.get(warning.guild_id)
    posted = await post_modlog(
        bot,
        settings,
        warning_event_embed("review_request", requested, packs=bot.engine.packs),
        view=review_view(warning_id, dispute=False),
    )
    if posted:
        await respond(interaction, "Thanks: the moderators will review this warning.")
    else:
        await respond(
            interaction,
            "Noted. This server has no mod-log channel, so please also tell a moderator directly.",
        )


def already_decided(item: ReviewItem) -> str:
    by = f" by {member_line(item.decided_by)}" if item.decided_by else ""
    return f"Review item {item.id} was already decided: {item.decision}{by} <t:{item.decided_at}:R>."


async def confirm_review(interaction: discord.Interaction, item_id: int) -> None:
    """A moderator confirms a review item: the warning is recorded exactly as an automatic one."""
    if not await ensure_moderator(interaction):
        return
    bot = client_of(interaction)
    assert interaction.guild_id is not None  # ensure_moderator refuses DMs
    items = bot.db.review_items
    item = await items.get(item_id, guild_id=interaction.guild_id)
    if item is None:
        await respond(interaction, f"Review item {item_id} no longer exists (it may have been deleted).")
        return
    if item.decision is not None:
        await respond(interaction, already_decided(item))
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    decided = await items.decide(item_id, "confirmed", by=interaction.user.id, guild_id=interaction.guild_id)
    if decided is None:  # another moderator pressed a button in the meantime
        again = await items.get(item_id)
        await respond(interaction, already_decided(again) if again else f"Review item {item_id} is gone.")
        return
    await bot.db.stats.record_event(
        item.guild_id, "review_confirmed", topic=topic_key(item.platform, item.topic), rule_ids=item.rule_ids
    )
    log.info("Review item %d confirmed by %s", item_id, interaction.user.id)
    watch: Watch | None = bot.get_cog("Watch")  # type: ignore[assignment]
    if watch is None:
        await respond(interaction, "Confirmed, but the watcher is not loaded: no warning could be recorded.")
        return
    from cogs.watch import Detection  # cogs.watch imports this module

    message = await fetch_message(bot, item.channel_id, item.message_id)
    member = message.author if message is not None else None
    if not isinstance(member, discord.Member) and interaction.guild is not None:
        member = interaction.guild.get_member(item.user_id)

    async def why() -> str:
        return item.reason

    settings = await bot.db.guild_settings.get(item.guild_id)
    warned = await watch.record_warning(
        Detection.of_review(item),
        settings,
        message=message,
        user_id=item.user_id,
        channel_id=item.channel_id,
        message_id=item.message_id,
        member=member if isinstance(member, discord.Member) else None,
        why=why,
        training_text=item.text,
        cooldown=False,  # a moderator decided: the member is told, whatever the reply cooldown
    )
    who = member_line(item.user_id)
    if warned is None:
        text = f"Confirmed. That message already had a warning, so nothing new was recorded for {who}."
    else:
        await items.link_warning(item_id, warned.warning.id)
        text = f"Confirmed: warning #{warned.warning.id} recorded for {who}"
        if message is None:
            text += ". The message is gone (deleted), so nobody was answered; the warning still counts."
        elif warned.replied:
            text += ", and they were answered with the policy."
        else:
            text += " (no reply: the server's reply mode, or I could not post there)."
    await respond(interaction, text)
    final = await items.get(item_id)
    if final is not None:
        await show_decision(interaction, final, bot)


async def dismiss_review(interaction: discord.Interaction, item_id: int) -> None:
    """A moderator dismisses a review item: nothing is recorded about the member; a false positive is."""
    if not await ensure_moderator(interaction):
        return
    bot = client_of(interaction)
    assert interaction.guild_id is not None
    items = bot.db.review_items
    decided = await items.decide(item_id, "dismissed", by=interaction.user.id, guild_id=interaction.guild_id)
    if decided is None:
        item = await items.get(item_id, guild_id=interaction.guild_id)
        await respond(
            interaction,
            already_decided(item)
            if item
            else f"Review item {item_id} no longer exists (it may have been deleted).",
        )
        return
    await bot.db.stats.record_event(
        decided.guild_id,
        "review_dismissed",
        topic=topic_key(decided.platform, decided.topic),
        rule_ids=decided.rule_ids,
    )
    log.info("Review item %d dismissed by %s", item_id, interaction.user.id)
    await respond(
        interaction,
        f"Dismissed review item {item_id}: nothing is recorded about the member, and a false positive "
        "was noted for its rules and topic.",
    )
    await show_decision(interaction, decided, bot)


async def fetch_message(bot: GigGuardBot, channel_id: int, message_id: int) -> discord.Message | None:
    """The member's message, or None when it (or its channel) is gone or out of reach."""
    channel = bot.get_channel(channel_id)
    try:
        if channel is None:
            channel = await bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return None
        return await channel.fetch_message(message_id)
    except discord.HTTPException as exc:
        log.info("Message %s in channel %s is out of reach (HTTP %s)", message_id, channel_id, exc.status)
        return None


async def show_decision(interaction: discord.Interaction, item: ReviewItem, bot: GigGuardBot) -> None:
    """The review item's mod-log post shows the decision (best effort). Its buttons stay: another
    moderator who presses one is told who decided and when."""
    message = interaction.message
    if message is None:
        return
    try:
        await message.edit(
            embed=review_embed(item, bot.engine.packs), allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException as exc:
        log.info("Could not update review item %d's post (HTTP %s)", item.id, exc.status)


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

    DYNAMIC_ITEMS: tuple[Any, ...] = (DismissButton, DisputeButton, ConfirmReviewButton, DismissReviewButton)

    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*self.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*self.DYNAMIC_ITEMS)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Review(bot))
