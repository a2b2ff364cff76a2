"""Warning tools: /warnings list|clear, /pardon (moderators); /mywarnings and /mydata (everyone)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs._checks import is_moderator, moderator_only
from cogs._embeds import ANSWER_COLOUR, safe_text, truncate
from cogs._errors import report_app_command_error, respond
from cogs._guards import ensure_moderator
from cogs._modlog import (
    member_line,
    post_modlog,
    post_notice,
    warning_event_embed,
    warning_pages,
)
from cogs._pages import send_pages
from db import WarningRecord
from rules.naming import RULE_NAMES

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

MAX_LISTED = 500  # warnings shown in one list (newest first); /gigguard export has them all
REASON_MAX = 300
CONFIRM_TIMEOUT_S = 120.0


class ConfirmDelete(discord.ui.View):
    """ "Delete my data" / "Keep it", for the member who asked only."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_S)
        self.owner_id = owner_id
        self.confirmed: bool | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await respond(interaction, "Only the member who asked can confirm this.")
        return False

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.confirmed = True
        await interaction.response.defer()
        self.stop()

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.confirmed = False
        await interaction.response.defer()
        self.stop()


def warning_choice_name(warning: WarningRecord, guild: discord.Guild | None) -> str:
    """A short description of a warning for autocomplete (at most 100 characters, plain text)."""
    member = guild.get_member(warning.user_id) if guild is not None else None
    who = member.display_name if member is not None else f"member {warning.user_id}"
    when = dt.datetime.fromtimestamp(warning.created_at, dt.UTC).strftime("%d %b %Y")
    rule = RULE_NAMES.get(warning.rule_id, warning.rule_id)
    return truncate(f"#{warning.id} · {who} · {rule} · {when}", 100)


class Moderation(commands.Cog):
    warnings_group = app_commands.Group(
        name="warnings",
        description="Moderators: members' GigGuard warnings",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )
    mydata_group = app_commands.Group(
        name="mydata", description="What GigGuard stores about you, and deleting it", guild_only=True
    )

    def __init__(self, bot: GigGuardBot) -> None:
        self.bot = bot

    async def member_pages(self, guild_id: int, user_id: int, title: str) -> list[discord.Embed]:
        warnings = self.bot.db.warnings
        listed = await warnings.list_for_member(guild_id, user_id, limit=MAX_LISTED)
        active = await warnings.count_active(guild_id, user_id)
        return warning_pages(listed, title=title, active=active, packs=self.bot.engine.packs)

    @warnings_group.command(name="list")
    @app_commands.check(is_moderator)
    @app_commands.describe(member="Whose warnings to show (active, expired, pardoned and dismissed)")
    async def warnings_list(self, interaction: discord.Interaction, member: discord.User) -> None:
        """A member's warnings with rule, date, jump link and status."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        title = safe_text(f"Warnings of {member.display_name}", 256)
        pages = await self.member_pages(interaction.guild_id, member.id, title)
        await send_pages(interaction, pages)

    @warnings_group.command(name="clear")
    @app_commands.check(is_moderator)
    @app_commands.describe(member="Whose active warnings to pardon", reason="Why (kept with the warnings)")
    async def warnings_clear(
        self,
        interaction: discord.Interaction,
        member: discord.User,
        reason: app_commands.Range[str, 1, REASON_MAX],
    ) -> None:
        """Pardon all of a member's active warnings. Nothing is deleted: who and why are kept."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        cleared = await self.bot.db.warnings.clear_member(
            interaction.guild_id, member.id, by=interaction.user.id, reason=reason
        )
        if not cleared:
            await respond(interaction, f"{member_line(member.id)} has no active warnings.")
            return
        log.info("User %s pardoned %d warnings of %s", interaction.user.id, cleared, member.id)
        await respond(interaction, f"Pardoned {cleared} active warning(s) of {member_line(member.id)}.")
        await post_notice(
            self.bot,
            interaction.guild_id,
            "Warnings cleared",
            f"{member_line(interaction.user.id)} pardoned {cleared} active warning(s) of "
            f"{member_line(member.id)}.\n**Reason:** {safe_text(reason, REASON_MAX)}",
        )

    @app_commands.command(name="pardon")
    @moderator_only()
    @app_commands.describe(
        warning_id="The warning's number (start typing: latest first)", reason="Why (kept)"
    )
    async def pardon(
        self,
        interaction: discord.Interaction,
        warning_id: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, REASON_MAX],
    ) -> None:
        """Pardon one warning: it stops counting, and the record keeps who pardoned it and why."""
        if not await ensure_moderator(interaction):
            return
        assert interaction.guild_id is not None
        warnings = self.bot.db.warnings
        warning = await warnings.get(warning_id, guild_id=interaction.guild_id)
        if warning is None:
            await respond(interaction, f"There is no warning #{warning_id} in this server.")
            return
        if warning.status != "active":
            await respond(interaction, f"Warning #{warning_id} is already {warning.status}.")
            return
        pardoned = await warnings.set_status(
            warning_id, "pardoned", by=interaction.user.id, reason=reason, guild_id=interaction.guild_id
        )
        if pardoned is None:
            await respond(interaction, f"There is no warning #{warning_id} in this server.")
            return
        log.info("Warning #%d pardoned by %s", warning_id, interaction.user.id)
        active = await warnings.count_active(interaction.guild_id, pardoned.user_id)
        await respond(
            interaction,
            f"Pardoned warning #{warning_id} of {member_line(pardoned.user_id)} "
            f"({active} active warning(s) left).",
        )
        settings = await self.bot.db.guild_settings.get(interaction.guild_id)
        await post_modlog(
            self.bot,
            settings,
            warning_event_embed(
                "pardon",
                pardoned,
                packs=self.bot.engine.packs,
                actor_id=interaction.user.id,
                reason=reason,
                active=active,
            ),
        )

    @pardon.autocomplete("warning_id")
    async def warning_id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This server's active warnings, latest first, each with who, what and when."""
        try:
            is_moderator(interaction)
        except app_commands.CheckFailure:
            return []  # warnings are moderators' business, even as suggestions
        assert interaction.guild_id is not None
        found = await self.bot.db.warnings.recent(interaction.guild_id, typed=str(current), status="active")
        return [
            app_commands.Choice(name=warning_choice_name(w, interaction.guild), value=w.id) for w in found
        ]

    @app_commands.command(name="mywarnings")
    @app_commands.guild_only()
    async def mywarnings(self, interaction: discord.Interaction) -> None:
        """Your own GigGuard warnings in this server (only you see the answer)."""
        assert interaction.guild_id is not None
        pages = await self.member_pages(interaction.guild_id, interaction.user.id, "Your warnings")
        await send_pages(interaction, pages)

    @mydata_group.command(name="show")
    async def mydata_show(self, interaction: discord.Interaction) -> None:
        """What GigGuard stores about you in this server."""
        if interaction.guild_id is None:
            await respond(interaction, "This command only works in a server.")
            return
        warnings = self.bot.db.warnings
        total = await warnings.count_for_member(interaction.guild_id, interaction.user.id)
        active = await warnings.count_active(interaction.guild_id, interaction.user.id)
        acted = await warnings.count_by_moderator(interaction.guild_id, interaction.user.id)
        reviews = await self.bot.db.review_items.count_for_member(interaction.guild_id, interaction.user.id)
        settings = await self.bot.db.guild_settings.get(interaction.guild_id)
        embed = discord.Embed(title="What GigGuard stores about you here", colour=ANSWER_COLOUR)
        embed.add_field(
            name="Warnings",
            value=(
                f"{total} warning(s), {active} active. Each holds: the message's id, channel and date, "
                "the rule, and what was found with contact details masked. Never the message itself."
            ),
            inline=False,
        )
        if reviews:
            embed.add_field(
                name="Sent for review",
                value=f"{reviews} message(s) the moderators were asked to look at: the same details as a "
                "warning, the detector's confidence and reason, and their decision.",
                inline=False,
            )
        if acted:
            embed.add_field(
                name="As a moderator",
                value=f"Your id is on {acted} warning(s) of others that you pardoned or dismissed.",
                inline=False,
            )
        lifetime = (
            f"Warnings stop counting after {settings.warning_lifetime_days} days"
            if settings.warning_lifetime_days
            else "Warnings do not expire in this server"
        )
        embed.add_field(
            name="How long",
            value=f"{lifetime}; they are deleted {settings.retention_days} days after that, "
            "or after a pardon or dismissal.",
            inline=False,
        )
        embed.set_footer(text="/mywarnings lists them · /mydata delete deletes all of it")
        await respond(interaction, embed=embed)

    @mydata_group.command(name="delete")
    async def mydata_delete(self, interaction: discord.Interaction) -> None:
        """Delete everything GigGuard stores about you in this server (asks to confirm)."""
        if interaction.guild_id is None:
            await respond(interaction, "This command only works in a server.")
            return
        view = ConfirmDelete(interaction.user.id)
        await interaction.response.send_message(
            "Delete everything GigGuard stores about you in this server? This cannot be undone.",
            view=view,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        await view.wait()
        if not view.confirmed:
            await interaction.edit_original_response(
                content="Nothing was deleted.", view=None, allowed_mentions=discord.AllowedMentions.none()
            )
            return
        result = await self.bot.db.privacy.forget_member(interaction.guild_id, interaction.user.id)
        log.info("User %s deleted their data in guild %s", interaction.user.id, interaction.guild_id)
        await interaction.edit_original_response(
            content=f"Done: deleted {result.warnings_deleted} warning(s) and every other trace of you.",
            view=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        await post_notice(
            self.bot,
            interaction.guild_id,
            "A member deleted their data",
            f"{member_line(interaction.user.id)} used /mydata delete: "
            f"{result.warnings_deleted} warning(s) deleted.",
        )

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_app_command_error(interaction, error)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Moderation(bot))
