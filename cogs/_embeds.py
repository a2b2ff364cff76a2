"""Embeds the bot sends, and the escaping every echoed member text goes through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import discord

from rules import PolicyPack, Topic, Verdict

WARNING_COLOUR = discord.Colour.orange()
ANSWER_COLOUR = discord.Colour.blurple()
VIOLATION_COLOUR = discord.Colour.red()
OK_COLOUR = discord.Colour.green()

FIELD_LIMIT = 1024
DESCRIPTION_LIMIT = 4096


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_text(text: str, limit: int = FIELD_LIMIT) -> str:
    """Member text made inert: no markdown, no mentions (on top of AllowedMentions.none())."""
    return truncate(discord.utils.escape_markdown(discord.utils.escape_mentions(text)), limit)


def code_block(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Text shown verbatim for copying. Mentions do not render in code blocks; only a fence could
    break out, so a triple backtick gets zero-width spaces."""
    body = text.replace("```", "`\u200b`\u200b`")
    body = truncate(body, limit - 8)
    return f"```\n{body}\n```"


def bullets(items: tuple[str, ...] | list[str], limit: int = FIELD_LIMIT) -> str:
    return truncate("\n".join(f"• {item}" for item in items), limit) or "—"


PolicyFraming = Literal["warning", "answer", "reference"]


def policy_embed(
    pack: PolicyPack,
    topic: Topic,
    *,
    framing: PolicyFraming,
    active_warnings: int | None = None,
    lifetime_days: int | None = None,
    stage_answer: str | None = None,
    followed: tuple[str, ...] = (),
) -> discord.Embed:
    """The policy for one topic: the rule, what to do instead, why, and the source.

    ``stage_answer`` is the pack's rule for the stage the member described (before or after the
    order/contract); ``followed`` names the server's platforms, mentioned when the message was
    about another one.
    """
    if framing == "warning":
        title = f"Keep it on {pack.name}: {topic.title}"
        lead = (
            f"This looks like advice to take a {pack.name} client, their messages or their payment "
            "off the platform."
        )
        colour = WARNING_COLOUR
    elif framing == "answer":
        title = f"{pack.name} rules: {topic.title}"
        lead = "Good question. Here is what the platform's rules say."
        colour = ANSWER_COLOUR
    else:
        title = f"{pack.name} rules: {topic.title}"
        lead = ""
        colour = ANSWER_COLOUR
    parts = [lead] if lead else []
    if followed and pack.name not in followed:
        parts.append(
            f"This server follows {' and '.join(followed)}; your message is about {pack.name}, "
            f"so these are {pack.name}'s rules."
        )
    if stage_answer:
        parts.append(f"**At the stage you describe:** {stage_answer}")
    parts.append(f"**The rule:** {topic.summary}")
    description = "\n\n".join(parts)
    embed = discord.Embed(
        title=truncate(title, 256), description=truncate(description, DESCRIPTION_LIMIT), colour=colour
    )
    embed.add_field(name="What to do instead", value=bullets(topic.alternatives), inline=False)
    embed.add_field(name="Why it protects you", value=truncate(topic.why, FIELD_LIMIT), inline=False)
    embed.add_field(
        name="Source",
        value=truncate(
            f"[{pack.name}: {topic.title}]({topic.source}) · checked {pack.last_checked:%Y-%m-%d}",
            FIELD_LIMIT,
        ),
        inline=False,
    )
    if framing == "warning" and active_warnings is not None:
        expiry = f" · warnings expire after {lifetime_days} days" if lifetime_days else ""
        embed.set_footer(text=f"Active warnings: {active_warnings}{expiry}")
    elif framing == "answer":
        embed.set_footer(text="No warning was given: this is just the policy.")
    return embed


def compact_line(pack: PolicyPack, topic: Topic, *, framing: PolicyFraming) -> str:
    """The one public line of the compact reply style; the Details button shows policy_embed."""
    if framing == "warning":
        return (
            f"Heads up: that could get a {pack.name} account restricted (rule: {topic.title}). "
            "Details: press **Details** below (only you will see them)."
        )
    return (
        f"{pack.name} has a rule on this ({topic.title}). Details: press **Details** below (only you "
        "will see them); no warning was given."
    )


# ---- setting GigGuard up: the welcome message and /gigguard setup share these steps --------------


@dataclass(frozen=True, slots=True)
class SetupStep:
    key: str  # "modlog" | "platforms" | "shadow"
    title: str
    command: str  # exactly what to type
    why: str

    @property
    def how(self) -> str:
        return f"`{self.command}`: {self.why}"


def setup_steps(platforms: tuple[str, ...], platform_names: tuple[str, ...] = ()) -> list[SetupStep]:
    """The three steps a moderator takes (the welcome message and /gigguard setup show them)."""
    first = platforms[0] if platforms else "fiverr"
    now = ", ".join(platform_names or platforms) or first
    return [
        SetupStep(
            "modlog",
            "1. Choose the mod-log channel",
            "/gigguard modlog channel:#mod-log",
            "warnings, items for review and escalations go there. Until it is set, moderators see nothing.",
        ),
        SetupStep(
            "platforms",
            "2. Choose the marketplaces",
            f"/gigguard config set platforms:{','.join(platforms) or first}",
            f"whose rules apply (now: {now}). A message about another platform still gets that "
            "platform's rules.",
        ),
        SetupStep(
            "shadow",
            "3. Try it in shadow mode first",
            f"/gigguard config shadow target:{first} enabled:true",
            "GigGuard only logs what it would have done, and warns no one. Turn it off "
            "(`enabled:false`) when you trust it.",
        ),
    ]


def draft_embed(verdict: Verdict, pack: PolicyPack, topic: Topic | None) -> discord.Embed:
    """The /checkdraft answer: verdict, masked findings, why, and the rewrite ready to copy."""
    if not verdict.flagged:
        embed = discord.Embed(
            title="Looks fine to send",
            description=truncate(
                verdict.explanation or f"Nothing in this draft takes the conversation off {pack.name}.",
                DESCRIPTION_LIMIT,
            ),
            colour=OK_COLOUR,
        )
        embed.set_footer(text="Your draft was not stored.")
        return embed
    description = "**Send this instead** (copy it):\n" + code_block(
        verdict.rewrite or "", DESCRIPTION_LIMIT - 40
    )
    embed = discord.Embed(
        title=f"This draft could get your {pack.name} account flagged",
        description=description,
        colour=VIOLATION_COLOUR,
    )
    findings = [safe_text(f.masked, 200) for f in verdict.findings if f.masked]
    if findings:
        embed.add_field(name="What I found", value=bullets(findings), inline=False)
    why = discord.utils.escape_mentions(verdict.explanation or "")
    if topic is not None:
        why = f"{why}\n\n**The rule:** {topic.summary}\n{topic.why}".strip()
    if why:
        embed.add_field(name="Why", value=truncate(why, FIELD_LIMIT), inline=False)
    if topic is not None:
        embed.add_field(
            name="Source", value=truncate(f"[{pack.name}: {topic.title}]({topic.source})", FIELD_LIMIT)
        )
    embed.set_footer(text="Your draft was not stored.")
    return embed
