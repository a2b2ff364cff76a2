"""Watches server messages (new and edited) for advice that takes marketplace deals off-platform.

Thin on purpose: guard clauses, one call into rules, one into db, then Discord.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from cogs._checks import can_moderate
from cogs._embeds import compact_line, policy_embed
from cogs._errors import report_app_command_error, respond, retry_unavailable
from cogs._modlog import (
    detection_embed,
    member_line,
    notice_embed,
    ordinal,
    post_modlog,
    review_embed,
    warning_event_embed,
)
from cogs.review import DismissButton, DisputeButton, review_item_view, review_view
from db import GuildSettings, ReviewItem, WarningRecord
from rules import Verdict
from rules.naming import MODEL_ADVICE, topic_key
from rules.redact import masked_text

if TYPE_CHECKING:
    from bot import GigGuardBot

log = logging.getLogger(__name__)

FALLBACK_TOPIC = "best_practices"
_PRUNE_AT = 10_000  # cooldown entries kept before expired ones are dropped
# Finding kinds that are contact details (deleted with the message when a server asks for it).
CONTACT_KINDS = frozenset({"email", "phone", "handle", "link", "social", "meeting", "payment"})
CONTACT_RULE_PREFIX = "contact."  # the rule ids of contact-detail findings (rules/contacts.py)
SECONDS_PER_MINUTE = 60


class Cooldowns:
    """In-memory "at most once per window" keys. Lost on restart, which only means one extra reply.

    A window is measured with the length asked for now, so a moderator who shortens a cooldown
    (or sets it to 0) sees the change at once, windows already running included."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._started: dict[tuple[int, ...] | tuple[int, str], float] = {}
        self._longest = 0.0  # the longest window asked for: older starts can be dropped

    def try_acquire(self, key: tuple[int, ...] | tuple[int, str], seconds: float) -> bool:
        """True (and starts the window) when the key is free; False while its window runs."""
        now = self._clock()
        started = self._started.get(key)
        if started is not None and now - started < seconds:
            return False
        self._longest = max(self._longest, seconds)
        if len(self._started) >= _PRUNE_AT:
            self._started = {k: v for k, v in self._started.items() if now - v < self._longest}
        self._started[key] = now
        return True


class DetailsButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"gigguard:details:(?P<framing>warning|answer):(?P<platform>[^:]+):(?P<topic>[^:]+)"
    r":(?P<phase>[^:]+):(?P<active>\d+|-)",
):
    """On a compact reply: the full policy embed, privately, for whoever presses it. Its custom_id
    carries what the embed needs, so it works on replies posted before a restart."""

    def __init__(
        self, framing: str, platform: str, topic: str | None, phase: str | None, active: int | None
    ) -> None:
        custom_id = (
            f"gigguard:details:{framing}:{platform}:{topic or '-'}:{phase or '-'}:"
            f"{'-' if active is None else active}"
        )
        super().__init__(
            discord.ui.Button(label="Details", style=discord.ButtonStyle.primary, custom_id=custom_id)
        )
        self.framing = framing
        self.platform = platform
        self.topic = topic
        self.phase = phase
        self.active = active

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DetailsButton:
        def optional(value: str) -> str | None:
            return None if value == "-" else value

        active = match["active"]
        return cls(
            match["framing"],
            match["platform"],
            optional(match["topic"]),
            optional(match["phase"]),
            None if active == "-" else int(active),
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self.show(interaction)
        except Exception as exc:
            await report_app_command_error(interaction, exc)

    async def show(self, interaction: discord.Interaction) -> None:
        bot: GigGuardBot = interaction.client  # type: ignore[assignment]
        if self.platform not in bot.engine.packs:
            await respond(
                interaction, "This rule is no longer available: the bot's host removed its platform."
            )
            return
        guild_id = interaction.guild_id
        settings = await bot.db.guild_settings.get(guild_id) if guild_id else GuildSettings(0)
        embed = policy_embed_for(
            bot, self.platform, self.topic, self.phase, self.framing, self.active, settings
        )
        await respond(interaction, embed=embed)


def compact_view(details: DetailsButton, warning_id: int | None = None) -> discord.ui.View:
    """Details first, then (for a warning) the same two buttons as the full reply."""
    view = discord.ui.View(timeout=None)
    view.add_item(details)
    if warning_id is not None:
        view.add_item(DismissButton(warning_id))
        view.add_item(DisputeButton(warning_id))
    return view


def policy_embed_for(
    bot: GigGuardBot,
    platform: str,
    topic_id: str | None,
    phase: str | None,
    framing: str,
    active: int | None,
    settings: GuildSettings,
) -> discord.Embed:
    """The full policy embed of a warning or an answer (the public reply, or behind Details)."""
    engine = bot.engine
    pack = engine.pack(platform)
    topic = pack.topics.get(topic_id or FALLBACK_TOPIC) or pack.topics[FALLBACK_TOPIC]
    return policy_embed(
        pack,
        topic,
        framing=framing,  # type: ignore[arg-type]
        active_warnings=active,
        lifetime_days=settings.warning_lifetime_days or None,
        stage_answer=topic.answer_for(phase) if topic.id == topic_id else None,
        followed=tuple(engine.pack(p).name for p in bot.platforms_for(settings)),
    )


@dataclass(frozen=True, slots=True)
class PolicyReply:
    """What a public reply carries: the full embed, or (compact style) one line and Details."""

    content: str | None
    embed: discord.Embed | None
    details: DetailsButton | None

    def view(self, warning_id: int | None = None) -> discord.ui.View | None:
        if self.details is not None:
            return compact_view(self.details, warning_id)
        return review_view(warning_id) if warning_id is not None else None


class Watch(commands.Cog):
    def __init__(self, bot: GigGuardBot, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.bot = bot
        self.reply_cooldowns = Cooldowns(clock)  # per (guild, member)
        self.ask_cooldowns = Cooldowns(clock)  # per (channel, topic)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DetailsButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DetailsButton)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        await self.inspect(message, edited=False)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        # The raw event fires for every edit, cached or not; payload.message is the full new message.
        if "content" not in payload.data:
            return  # an embed unfurl or a flag change, not an edit of the text
        before = payload.cached_message
        if before is not None and before.content == payload.message.content:
            return
        await self.inspect(payload.message, edited=True)

    async def inspect(self, message: discord.Message, *, edited: bool) -> None:
        if not self.should_inspect(message):
            return
        assert message.guild is not None  # should_inspect skips DMs
        settings = await self.bot.db.guild_settings.get(message.guild.id)
        if self.is_exempt(message, settings):
            return
        verdict = await self.judge(message.content, self.bot.platforms_for(settings))
        if verdict.action == "warn":
            if settings.is_shadowed(
                rule_ids=rule_ids_of(verdict), topic=verdict.topic, platform=verdict.platform
            ):
                await self.shadow(message, verdict, settings)
                return
            await self.warn(message, verdict, settings)
        elif verdict.action == "review":
            await self.review(message, verdict, settings)
        elif verdict.action == "answer" and not edited:
            # Questions are answered when asked; re-answering on edits would only add noise.
            await self.answer(message, verdict, settings)

    async def judge(self, content: str, platforms: tuple[str, ...]) -> Verdict:
        """The cheap stages on the event loop; the transformer, when needed, in a worker thread."""
        engine = self.bot.engine
        verdict = engine.community_cheap(content, platforms)
        if verdict is None:
            verdict = await asyncio.to_thread(engine.community, content, platforms)
        return verdict

    @staticmethod
    def should_inspect(message: discord.Message) -> bool:
        if message.guild is None:
            return False  # DMs: GigGuard moderates servers
        if message.author.bot or message.webhook_id is not None:
            return False
        if message.is_system():
            return False  # joins, pins, boosts...
        return bool(message.content)

    @staticmethod
    def is_exempt(message: discord.Message, settings: GuildSettings) -> bool:
        channel = message.channel
        parent_id = getattr(channel, "parent_id", None)  # threads and forum posts follow their parent
        if channel.id in settings.exempt_channel_ids or parent_id in settings.exempt_channel_ids:
            return True
        author = message.author
        if isinstance(author, discord.Member):
            if any(role.id in settings.exempt_role_ids for role in author.roles):
                return True
            if settings.exempt_moderators and can_moderate(author, channel):  # type: ignore[arg-type]
                return True
        return False

    async def warn(self, message: discord.Message, verdict: Verdict, settings: GuildSettings) -> None:
        assert message.guild is not None
        # The UNIQUE (guild, message) constraint is the real guard; this check saves a write.
        if await self.bot.db.warnings.exists_for_message(message.guild.id, message.id):
            return

        async def why() -> str:
            # The detector's reason asks the model once per clause: after the member's reply.
            return await asyncio.to_thread(self.bot.engine.reason, message.content, verdict)

        await self.record_warning(
            Detection.of(verdict),
            settings,
            message=message,
            user_id=message.author.id,
            channel_id=message.channel.id,
            message_id=message.id,
            member=message.author if isinstance(message.author, discord.Member) else None,
            why=why,
            training_text=training_text(message.content, verdict, settings),
        )

    async def record_warning(
        self,
        detection: Detection,
        settings: GuildSettings,
        *,
        message: discord.Message | None,
        user_id: int,
        channel_id: int,
        message_id: int,
        member: discord.Member | None,
        why: Callable[[], Awaitable[str]],
        training_text: str | None = None,
        cooldown: bool = True,
    ) -> Warned | None:
        """Record a warning, escalate, answer the member and post to the mod-log: what an automatic
        warning does, and what a moderator's Confirm on a review item does (``message`` is None
        when the message is gone: no reply then). None when the message already had a warning."""
        guild_id = settings.guild_id
        warnings = self.bot.db.warnings
        warning = await warnings.add(
            guild_id=guild_id,
            user_id=user_id,
            channel_id=channel_id,
            message_id=message_id,
            rule_id=detection.rule_ids[0],
            rule_ids=detection.rule_ids,
            platform=detection.platform,
            topic=detection.topic,
            snippet=detection.snippet,
            lifetime_days=settings.warning_lifetime_days or None,
            training_text=training_text,
        )
        if warning is None:
            return None  # another event for the same message got there first
        log.info(
            "Warning #%d: user %s in guild %s, rules %s",
            warning.id,
            warning.user_id,
            warning.guild_id,
            ",".join(warning.rules),
        )
        await self.bot.db.stats.record_event(
            guild_id, "warning", topic=topic_key(detection.platform, detection.topic), rule_ids=warning.rules
        )
        active = await warnings.count_active(guild_id, user_id)
        deleted, post_to_modlog = await self.escalate(
            message, detection, warning, settings, active, member=member, why=why
        )
        replied = False
        try:
            if settings.reply_mode == "log" or message is None:
                return Warned(warning, replied)
            if cooldown and not self.reply_cooldowns.try_acquire(
                (guild_id, user_id), settings.reply_cooldown_s
            ):
                log.debug("Reply cooldown: warning #%d recorded without a reply", warning.id)
                return Warned(warning, replied)
            embed = policy_embed_for(
                self.bot, detection.platform, detection.topic, detection.phase, "warning", active, settings
            )
            public = self.public_reply(
                embed, detection.platform, detection.topic, detection.phase, "warning", active, settings
            )
            replied = await self.deliver(
                message,
                embed,
                settings.reply_mode,
                warning,
                deleted=deleted,
                public=public,
                delete_after_min=settings.delete_replies_after_min,
            )
        finally:
            # The member's reply goes first: a busy (rate-limited) mod-log must not hold it back.
            await post_to_modlog()
        return Warned(warning, replied)

    async def escalate(
        self,
        message: discord.Message | None,
        detection: Detection,
        warning: WarningRecord,
        settings: GuildSettings,
        active: int,
        *,
        member: discord.Member | None,
        why: Callable[[], Awaitable[str]],
    ) -> tuple[bool, Callable[[], Awaitable[Any]]]:
        """The ladder, counted over active warnings: optional deletion of contact details,
        optional timeout, and the mod-log post (a ping from escalation_ping_at), returned to be
        sent after the member's reply. Also whether the message was deleted.
        Every failure is reported in the mod-log; none stops the warning."""
        escalated = bool(settings.escalation_ping_at) and active >= settings.escalation_ping_at
        notes: list[str] = []
        deleted = False
        if message is None:
            notes.append("The message is gone (deleted before a moderator confirmed): nobody was answered.")
        elif settings.delete_contact_messages and detection.contacts:
            deleted = await self.delete_contact_message(message, warning)
            notes.append(
                "The message was deleted (it carried contact details)."
                if deleted
                else "I could not delete the message: I need Manage Messages in that channel."
            )
        timeout_due = (
            settings.timeout_minutes > 0
            and settings.escalation_timeout_at > 0
            and active >= settings.escalation_timeout_at
        )
        if timeout_due:
            escalated = True
            notes.append(await self.time_out(member, warning, settings, active))
        event = "escalation" if escalated else "warning"

        async def post_to_modlog() -> Any:
            embed = warning_event_embed(
                event,
                warning,
                packs=self.bot.engine.packs,
                active=active,
                note="\n".join(notes) or None,
                why=await why(),
                confidence=detection.confidence,
            )
            if escalated:
                embed.description = f"{ordinal(active)} active warning for this member."
            view = review_view(warning.id, dispute=False)
            return await post_modlog(self.bot, settings, embed, ping=escalated, view=view)

        return deleted, post_to_modlog

    async def delete_contact_message(self, message: discord.Message, warning: WarningRecord) -> bool:
        try:
            await message.delete()
        except discord.NotFound:
            return True  # already gone
        except discord.HTTPException as exc:
            log.warning("Could not delete message for warning #%d (HTTP %s)", warning.id, exc.status)
            return False
        return True

    async def time_out(
        self, member: discord.Member | None, warning: WarningRecord, settings: GuildSettings, active: int
    ) -> str:
        """Time the member out; what happened, as a sentence for the mod-log."""
        minutes = settings.timeout_minutes
        if not isinstance(member, discord.Member):
            return "No timeout: the author is no longer a member of the server."
        try:
            await member.timeout(
                dt.timedelta(minutes=minutes),
                reason=f"GigGuard: {ordinal(active)} active warning (#{warning.id})",
            )
        except discord.Forbidden:
            log.warning("No permission to time out user %s (warning #%d)", member.id, warning.id)
            await post_modlog(
                self.bot,
                settings,
                notice_embed(
                    "Timeout failed: missing permission",
                    f"I could not time out {member_line(member.id)} after warning #{warning.id}: I need "
                    "the Moderate Members permission, and my role must be above theirs.",
                ),
            )
            return "Timeout failed: missing permission (Moderate Members, or their role is above mine)."
        except discord.HTTPException as exc:
            log.warning("Timeout of user %s failed (HTTP %s)", member.id, exc.status)
            return f"Timeout failed (Discord answered HTTP {exc.status})."
        log.info("Timed out user %s for %d minutes (warning #%d)", member.id, minutes, warning.id)
        return f"Timed out for {minutes} minutes."

    async def shadow(self, message: discord.Message, verdict: Verdict, settings: GuildSettings) -> None:
        """Shadow mode: log what would have been warned, record nothing about the member."""
        assert message.guild is not None
        rule_ids = rule_ids_of(verdict)
        await self.bot.db.stats.record_event(
            message.guild.id, "shadow", topic=topic_key(verdict.platform, verdict.topic), rule_ids=rule_ids
        )
        if settings.modlog_channel_id is None:
            return  # nobody would read the reason: do not spend the model on it
        await post_modlog(self.bot, settings, await self.detection_entry("shadow", message, verdict))

    async def detection_entry(self, action: str, message: discord.Message, verdict: Verdict) -> discord.Embed:
        """The mod-log entry of a detection that recorded no warning (shadow mode, an answer)."""
        assert message.guild is not None
        reason = await asyncio.to_thread(self.bot.engine.reason, message.content, verdict)
        return detection_embed(
            action,
            self.bot.engine.packs,
            user_id=message.author.id,
            platform=verdict.platform,
            topic=verdict.topic,
            rule_ids=rule_ids_of(verdict) if action == "shadow" else (),
            confidence=verdict.confidence,
            reason=reason,
            snippet=verdict.masked_snippet,
            jump_url=jump_url(message),
        )

    async def review(self, message: discord.Message, verdict: Verdict, settings: GuildSettings) -> None:
        """Not sure enough for a public warning: a review item for a moderator to confirm or dismiss.
        Nothing is recorded about the member unless a moderator confirms."""
        assert message.guild is not None
        if await self.bot.db.review_items.exists_for_message(message.guild.id, message.id):
            return  # already under review (an edit of the same message): spare the model
        rule_ids = rule_ids_of(verdict)
        reason = await asyncio.to_thread(self.bot.engine.reason, message.content, verdict)
        item = await self.bot.db.review_items.add(
            guild_id=message.guild.id,
            channel_id=message.channel.id,
            message_id=message.id,
            user_id=message.author.id,
            platform=verdict.platform,
            topic=verdict.topic,
            phase=verdict.phase,
            rule_ids=rule_ids,
            snippet=verdict.masked_snippet,
            confidence=verdict.confidence,
            reason=reason,
            text=training_text(message.content, verdict, settings),
        )
        if item is None:
            return  # already under review (an edit of the same message)
        await self.bot.db.stats.record_event(
            message.guild.id, "review", topic=topic_key(verdict.platform, verdict.topic), rule_ids=rule_ids
        )
        embed = review_embed(item, self.bot.engine.packs)
        await post_modlog(self.bot, settings, embed, view=review_item_view(item.id))

    async def answer(self, message: discord.Message, verdict: Verdict, settings: GuildSettings) -> None:
        assert message.guild is not None
        if settings.reply_mode == "log":
            return
        topic = verdict.topic or FALLBACK_TOPIC
        if not self.ask_cooldowns.try_acquire((message.channel.id, topic), settings.ask_cooldown_s):
            return
        embed = policy_embed_for(
            self.bot, verdict.platform, verdict.topic, verdict.phase, "answer", None, settings
        )
        public = self.public_reply(
            embed, verdict.platform, verdict.topic, verdict.phase, "answer", None, settings
        )
        if not await self.reply(
            message,
            public.embed,
            content=public.content,
            view=public.view(),
            delete_after_min=settings.delete_replies_after_min,
        ):
            return
        await self.bot.db.stats.record(
            message.guild.id, "answer", topic_key(verdict.platform, topic), scope="topic"
        )
        if settings.modlog_channel_id is not None:
            await post_modlog(self.bot, settings, await self.detection_entry("answer", message, verdict))

    def public_reply(
        self,
        embed: discord.Embed,
        platform: str,
        topic_id: str | None,
        phase: str | None,
        framing: str,
        active: int | None,
        settings: GuildSettings,
    ) -> PolicyReply:
        """The full embed, or in the compact reply style one line plus a Details button."""
        if settings.reply_style != "compact":
            return PolicyReply(None, embed, None)
        pack = self.bot.engine.pack(platform)
        topic = pack.topics.get(topic_id or FALLBACK_TOPIC) or pack.topics[FALLBACK_TOPIC]
        line = compact_line(pack, topic, framing=framing)  # type: ignore[arg-type]
        return PolicyReply(line, None, DetailsButton(framing, platform, topic_id, phase, active))

    async def deliver(
        self,
        message: discord.Message,
        embed: discord.Embed,
        reply_mode: str,
        warning: WarningRecord,
        *,
        deleted: bool = False,
        public: PolicyReply | None = None,
        delete_after_min: int = 0,
    ) -> bool:
        """The member's answer in the server's reply mode; True when it reached them. ``public``
        is what goes in the channel (the full embed unless the server chose the compact style);
        a DM always carries the full embed. With ``delete_after_min`` the channel post (never the
        DM) is deleted that many minutes later."""
        public = public or PolicyReply(None, embed, None)
        delivered = False
        if reply_mode in ("reply", "reply_dm"):
            if deleted:  # nothing left to reply to: say it in the channel
                delivered = await self.send_in_channel(
                    message, public, warning, delete_after_min=delete_after_min
                )
            else:
                delivered = await self.reply(
                    message,
                    public.embed,
                    content=public.content,
                    view=public.view(warning.id),
                    delete_after_min=delete_after_min,
                )
        if reply_mode in ("dm", "reply_dm"):
            try:
                await message.author.send(
                    embed=embed,
                    view=review_view(warning.id, dismiss=False),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
                delivered = True
            except discord.HTTPException as exc:  # DMs closed (403) or Discord trouble
                log.info(
                    "Could not DM user %s about warning #%d (HTTP %s)",
                    message.author.id,
                    warning.id,
                    exc.status,
                )
        return delivered

    async def send_in_channel(
        self,
        message: discord.Message,
        public: PolicyReply,
        warning: WarningRecord,
        *,
        delete_after_min: int = 0,
    ) -> bool:
        content = f"A message from {member_line(message.author.id)} was removed: it shared contact details."
        if public.content:
            content = f"{content}\n{public.content}"
        kwargs: dict[str, Any] = {} if public.embed is None else {"embed": public.embed}
        view = public.view(warning.id)
        if view is not None:
            kwargs["view"] = view
        try:
            sent = await message.channel.send(
                content=content,
                allowed_mentions=discord.AllowedMentions.none(),
                **kwargs,
            )
        except discord.HTTPException as exc:
            log.warning("Could not post in channel %s (HTTP %s)", message.channel.id, exc.status)
            return False
        await self.delete_later(message, sent, delete_after_min)
        return True

    async def reply(
        self,
        message: discord.Message,
        embed: discord.Embed | None,
        *,
        content: str | None = None,
        view: discord.ui.View | None = None,
        delete_after_min: int = 0,
    ) -> bool:
        """Reply without pinging anyone. A refusal is logged; the caller's record stays. With
        ``delete_after_min`` the reply is deleted that many minutes later."""
        kwargs: dict[str, Any] = {} if view is None else {"view": view}
        if embed is not None:
            kwargs["embed"] = embed
        if content is not None:
            kwargs["content"] = content
        try:
            sent = await retry_unavailable(
                lambda: message.reply(
                    mention_author=False,
                    allowed_mentions=discord.AllowedMentions.none(),
                    **kwargs,
                )
            )
        except discord.Forbidden:
            log.warning("No permission to reply in channel %s", message.channel.id)
            return False
        except discord.HTTPException as exc:
            log.warning(
                "Reply in channel %s failed (HTTP %s): %s", message.channel.id, exc.status, type(exc).__name__
            )
            return False
        await self.delete_later(message, sent, delete_after_min)
        return True

    async def delete_later(self, message: discord.Message, sent: discord.Message, minutes: int) -> None:
        """Auto-delete (a server setting): record the public post ``sent`` in answer to ``message``
        for deletion in ``minutes`` (0: keep it). Recorded in the database, so a restart does not
        forget it; the retention cog's loop deletes it when due."""
        if minutes <= 0 or message.guild is None:
            return
        await self.bot.db.reply_deletions.schedule(
            guild_id=message.guild.id,
            channel_id=message.channel.id,
            message_id=sent.id,
            after_s=minutes * SECONDS_PER_MINUTE,
        )


def rule_ids_of(verdict: Verdict) -> tuple[str, ...]:
    """Every rule that fired, in the order found; advice judged from its wording alone (no
    contact detail) is ``model.advice``."""
    found = tuple(dict.fromkeys(finding.rule_id for finding in verdict.findings if finding.rule_id))
    return found or (MODEL_ADVICE,)


def rule_id_of(verdict: Verdict) -> str:
    """The warning's primary rule: the first that fired (see rule_ids_of)."""
    return rule_ids_of(verdict)[0]


def jump_url(message: discord.Message) -> str:
    guild_id = message.guild.id if message.guild is not None else "@me"
    return f"https://discord.com/channels/{guild_id}/{message.channel.id}/{message.id}"


def training_text(content: str, verdict: Verdict, settings: GuildSettings) -> str | None:
    """The message with contact details masked, only for a server that opted in to training data."""
    return masked_text(content, verdict.findings) if settings.training_data else None


@dataclass(frozen=True, slots=True)
class Detection:
    """What a warning is about, from a verdict or from a review item a moderator confirmed."""

    platform: str
    topic: str | None
    phase: str | None
    rule_ids: tuple[str, ...]
    snippet: str  # masked findings
    confidence: float
    contacts: bool  # carries contact details (deleted with the message when a server asks)

    @classmethod
    def of(cls, verdict: Verdict) -> Detection:
        return cls(
            platform=verdict.platform,
            topic=verdict.topic,
            phase=verdict.phase,
            rule_ids=rule_ids_of(verdict),
            snippet=verdict.masked_snippet,
            confidence=verdict.confidence,
            contacts=any(finding.kind in CONTACT_KINDS for finding in verdict.findings),
        )

    @classmethod
    def of_review(cls, item: ReviewItem) -> Detection:
        return cls(
            platform=item.platform,
            topic=item.topic,
            phase=item.phase,
            rule_ids=item.rule_ids or (MODEL_ADVICE,),
            snippet=item.snippet,
            confidence=item.confidence,
            contacts=any(rule_id.startswith(CONTACT_RULE_PREFIX) for rule_id in item.rule_ids),
        )


@dataclass(frozen=True, slots=True)
class Warned:
    warning: WarningRecord
    replied: bool  # the member got the policy (reply, channel post or DM)


async def setup(bot: GigGuardBot) -> None:
    await bot.add_cog(Watch(bot))
