"""Long lists as embed pages with Previous / Next buttons that only the invoker may press."""

from __future__ import annotations

from typing import Any

import discord

from cogs._errors import respond

PAGE_TIMEOUT_S = 300.0


class Paginator(discord.ui.View):
    def __init__(self, pages: list[discord.Embed], *, owner_id: int, timeout: float = PAGE_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        if not pages:
            raise ValueError("a paginator needs at least one page")
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        for number, page in enumerate(pages, start=1):
            footer = f"Page {number}/{len(pages)}"
            page.set_footer(text=f"{page.footer.text} · {footer}" if page.footer.text else footer)
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.index == 0
        self.next_page.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await respond(interaction, "Only the person who ran this command can turn its pages.")
        return False

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=self.pages[self.index], view=self, allowed_mentions=discord.AllowedMentions.none()
        )

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)


async def send_pages(
    interaction: discord.Interaction, pages: list[discord.Embed], *, ephemeral: bool = True
) -> None:
    """One page: a plain embed. More: the first page with buttons."""
    if len(pages) == 1:
        await respond(interaction, embed=pages[0], ephemeral=ephemeral)
        return
    view = Paginator(pages, owner_id=interaction.user.id)
    kwargs: dict[str, Any] = {
        "embed": pages[0],
        "view": view,
        "ephemeral": ephemeral,
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
