"""Seeded, reproducible message streams for the benchmarks.

``realistic_stream`` imitates a freelancer community server: about 95% ordinary chat (gigs,
ranking, pricing, orders, tools, life, code, links, emoji, mentions, markdown), the rest
advice to go off-platform (plain and disguised), questions about the rule, and look-alikes
that use the same words harmlessly. ``iter_stream`` yields the same kind of messages without
end, for benches that feed a bot at a fixed rate. ``adversarial_set`` is hostile input
meant to find the detector's slowest path.

Everything is written from templates and word pools in the corpora's style; no corpus line
is copied. Every e-mail, number and handle is made up (555 numbers, example domains).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

KINDS = ("chat", "positive", "question", "lookalike")
DEFAULT_MIX: Mapping[str, float] = {"chat": 0.95, "positive": 0.02, "question": 0.015, "lookalike": 0.015}
MAX_CHAT_CHARS = 600


@dataclass(frozen=True, slots=True)
class StreamMessage:
    text: str
    kind: str  # one of KINDS: what the message was written to be (not a detector label)


@dataclass(frozen=True, slots=True)
class AdversarialMessage:
    text: str
    kind: str  # e.g. "at-run-10k", "zalgo-4k"


# ----------------------------------------------------------------------------- pools --
# Word lists read better packed than one item a line.
# fmt: off
_POOLS: dict[str, tuple[str, ...]] = {
    "platform": ("Fiverr", "fiverr", "Upwork", "upwork", "Freelancer", "PPH", "PeoplePerHour"),
    "buyer": ("buyer", "client", "customer", "buyers", "clients"),
    "niche": (
        "logo design", "video editing", "SEO", "WordPress", "Shopify", "voice over", "translation",
        "copywriting", "illustration", "UI/UX", "data entry", "podcast editing", "resume writing",
        "3D modeling", "motion graphics", "mobile app", "ghostwriting", "Excel dashboards",
        "thumbnail design", "product photography", "Python scripts", "web scraping", "bookkeeping",
        "music mixing", "subtitles", "pitch decks", "Notion templates", "Amazon listings",
    ),
    "level": (
        "Level 1", "Level 2", "Top Rated", "TRS", "Pro", "Rising Talent", "Top Rated Plus", "level one",
    ),
    "tool": (
        "Figma", "Canva", "Photoshop", "Illustrator", "Premiere", "DaVinci Resolve", "After Effects",
        "Notion", "VS Code", "Grammarly", "ChatGPT", "Blender", "Audacity", "Reaper", "CapCut", "Lightroom",
        "Procreate", "Trello", "Google Sheets", "Excel", "Final Cut", "Affinity Designer", "Elementor",
        "Webflow", "Framer", "Ahrefs", "Semrush", "Loom", "OBS", "Krita",
    ),
    "task": (
        "thumbnails", "color grading", "mockups", "invoices tracking", "time tracking", "subtitles",
        "noise removal", "keyword research", "wireframes", "vector tracing", "batch exports",
        "portfolio layouts", "proofreading", "audio cleanup", "storyboards", "product renders",
    ),
    "name": (
        "Ayesha", "Tunde", "Maria", "Rahul", "Chen", "Fatima", "Diego", "Olga", "Kwame", "Priya", "Sam",
        "Lena", "Bilal", "Ngozi", "Tomás", "Mei", "Hassan", "Ivy", "Juan", "Zara", "Arjun",
    ),
    "city": (
        "Lagos", "Karachi", "Manila", "Dhaka", "Nairobi", "Cairo", "Lahore", "Kyiv", "Bogotá", "Jakarta",
        "Accra", "Pune", "Lisbon", "Cebu", "Abuja", "Chittagong", "Medellín", "Tbilisi",
    ),
    "emoji": (
        "😂", "🔥", "🙏", "😭", "💀", "🎉", "👀", "😅", "🥲", "💯", "🤝", "☕", "😴", "🚀", "👍",
        "<:pepe_cry:887766554433221100>", "<:kekw:776655443322110099>", "<a:party:665544332211009988>",
    ),
    "daytime": ("morning", "afternoon", "evening", "night"),
    "month": ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "skill": (
        "After Effects expressions", "copywriting", "Blender sculpting", "React", "Figma auto layout",
        "sound design", "typography", "SEO audits", "Shopify Liquid", "color theory", "Python",
    ),
    "lang": ("py", "js", "css", "html", "bash", "json", "sql"),
    "site": (
        "https://www.youtube.com/watch?v={vid}", "https://github.com/{ghuser}/{repo}",
        "https://en.wikipedia.org/wiki/{wiki}", "https://docs.python.org/3/library/{pymod}.html",
        "https://www.figma.com/community/file/{snowflake}",
        "https://developer.mozilla.org/en-US/docs/Web/CSS/{cssprop}",
        "https://fonts.google.com/specimen/{font}", "https://www.reddit.com/r/{subreddit}/",
        "https://blog.hubspot.com/marketing/{slug}", "https://stackoverflow.com/questions/{big}",
    ),
    "wiki": (
        "Golden_ratio", "Kerning", "Color_theory", "Pareto_principle", "Rule_of_thirds", "Gestalt_psychology",
    ),
    "pymod": ("csv", "pathlib", "asyncio", "re", "json", "datetime", "itertools"),
    "cssprop": ("grid-template-areas", "clamp", "aspect-ratio", "object-fit", "backdrop-filter"),
    "font": ("Inter", "Poppins", "Montserrat", "Playfair+Display", "DM+Sans", "Space+Grotesk"),
    "subreddit": ("graphic_design", "VideoEditing", "freelance", "webdev", "copywriting", "blender"),
    "slug": ("pricing-strategy", "brand-guidelines", "landing-page-examples", "content-calendar"),
    "ghuser": ("octo-dev", "pixelsmith", "lena-codes", "tunde-ai", "kwame-labs"),
    "repo": ("thumbnail-kit", "scraper-starter", "invoice-tracker", "subtitle-sync", "dotfiles"),
    "short": (
        "lol", "lmao", "ty", "thanks!", "same", "+1", "fr", "true", "real", "oof", "nice", "gg", "congrats!!",
        "W", "L", "facts", "big if true", "that's rough", "welcome!", "ikr", "hmm", "no way", "ok", "yep",
        "nope", "brb", "gm", "gn", "💀💀", "🔥🔥🔥", "😂", "🙏", "haha yes", "mood", "same here tbh",
        "this ^", "wait what", "omg", "rip", "lets gooo",
    ),
    "reaction": ("congrats", "well done", "huge", "let's go", "so happy for you", "deserved", "nice one"),
    "feeling": ("tired", "burnt out", "motivated", "stressed", "happy", "bored", "nervous", "hyped"),
    "food": ("jollof", "biryani", "adobo", "pho", "pasta", "shawarma", "ramen", "momo"),
    "paymethod": ("PayPal", "Payoneer", "Wise", "bank transfer", "crypto", "USDT", "Skrill", "Venmo"),
    "messenger": ("WhatsApp", "Telegram", "Skype", "WeChat", "Discord", "Signal", "Instagram"),
    "mailhost": ("gmail", "yahoo", "outlook", "proton", "hotmail"),
    "handle": (
        "samdesigns", "ayesha.edits", "tunde_vo", "lenacreates", "pixelkwame", "maria.writes", "chen3d",
    ),
    "business": (
        "dental clinics", "SaaS startups", "coffee shops", "real estate agents", "Shopify stores", "coaches",
    ),
    "newsletter_tool": ("Substack", "Beehiiv", "ConvertKit", "Mailchimp", "Buttondown"),
    "fee_word": ("fees", "20% fee", "commission", "service fee", "cut"),
    "sign": ("", "", "", "!", "!!", "?", " lol", " 😂", " 🙏", " tbh", " ngl", "...", " fr"),
}

_CODE_SNIPPETS = (
    "def price(base, rush=False):\n    return base * (1.5 if rush else 1)",
    "const total = items.reduce((sum, i) => sum + i.price, 0);\nconsole.log(total);",
    ".hero {\n  display: grid;\n  grid-template-columns: 1fr 2fr;\n  gap: 24px;\n}",
    '<div class="card">\n  <h2>{{ title }}</h2>\n</div>',
    'for f in *.wav; do ffmpeg -i "$f" -ar 44100 "out/${f%.wav}.mp3"; done',
    '{\n  "width": 1920,\n  "height": 1080,\n  "fps": 30\n}',
    "SELECT gig, COUNT(*) AS orders FROM sales GROUP BY gig ORDER BY orders DESC;",
    "import pandas as pd\ndf = pd.read_csv('clicks.csv')\nprint(df.groupby('week').sum())",
    "@media (max-width: 768px) {\n  .nav { display: none; }\n}", "git rebase -i HEAD~3",
)


def _snowflake(rng: random.Random) -> str:
    return str(rng.randrange(10**17, 10**19))


_GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "n": lambda r: str(r.choice((r.randint(1, 9), r.randint(2, 40), r.randint(10, 300)))),
    "small": lambda r: str(r.randint(2, 12)),
    "pct": lambda r: str(r.choice((5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80))),
    "price": lambda r: str(r.choice((5, 10, 15, 20, 25, 30, 40, 45, 50, 60, 75, 80, 100, 150, 200, 400))),
    "years": lambda r: str(r.randint(1, 9)),
    "year": lambda r: str(r.randint(2023, 2026)),
    "day": lambda r: str(r.randint(1, 28)),
    "hour": lambda r: f"{r.randint(1, 12)}{r.choice(('am', 'pm', ' am', ' PM', ':30pm'))}",
    "duration": lambda r: r.choice(("a week", "2 days", "the update", "3 weeks", "a month", "yesterday")),
    "size": lambda r: r.choice(("1920x1080", "1080x1350", "3000x3000", "1280x720", "4K", "A4", "300 dpi")),
    "version": lambda r: f"{r.randint(1, 20)}.{r.randint(0, 9)}.{r.randint(0, 9)}",
    "snowflake": _snowflake,
    "mention": lambda r: r.choice(("<@{}>", "<@{}>", "<@!{}>", "<#{}>", "<@&{}>")).format(_snowflake(r)),
    "vid": lambda r: "".join(r.choice(string.ascii_letters + string.digits + "-_") for _ in range(11)),
    "big": lambda r: str(r.randint(10**6, 8 * 10**7)),
    "digits4": lambda r: f"{r.randint(0, 9999):04d}",
    "user": lambda r: (
        r.choice(_POOLS["handle"]).replace(".", "").replace("_", "") + r.choice(("", "22", "9"))
    ),
    "code": lambda r: r.choice(_CODE_SNIPPETS),
}


class _Slots(dict):
    """format_map() mapping that draws a fresh value for every placeholder it is asked for."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self._rng = rng

    def __missing__(self, key: str) -> str:
        if key in _GENERATORS:
            return _GENERATORS[key](self._rng)
        value = self._rng.choice(_POOLS[key])
        # Pool entries may hold placeholders of their own (URLs, for instance).
        return value.format_map(self) if "{" in value else value


# ------------------------------------------------------------------------ templates --
_CHAT = (
    # greetings and life
    "gm everyone{sign}", "good {daytime} from {city} {emoji}", "hey {name}, welcome to the server!",
    "anyone else up at {hour} working on orders{sign}", "coffee number {small} today {emoji}",
    "power went out in {city} again, lost {n} minutes of render", "feeling {feeling} today ngl",
    "just had {food} and now I can't focus{sign}", "weekend plans? mine is {n} revisions{sign}",
    "my cat just walked across the keyboard mid-export {emoji}", "happy {weekday} y'all {emoji}",
    "{reaction} {mention}{sign}", "welcome {mention}! check the pinned messages first",
    "is it just me or is {weekday} the slowest day{sign}", "back after {duration} off, what did I miss",
    # gigs and ranking
    "my {niche} gig dropped to page {small} after {duration}", "impressions up {pct}% this week {emoji}",
    "finally hit {level} today!! took {years} years {emoji}", "how long did {level} take you guys?",
    "is {niche} oversaturated in {year} or am I doing something wrong",
    "changed my gig thumbnail and clicks went from {n} to {n}{sign}",
    "what's a normal conversion rate for {niche}? mine is like {pct}%",
    "new gig is live, {niche} for {business}. feedback welcome",
    "anyone know if gig video actually helps ranking{sign}", "my gig got {n} views and zero orders {emoji}",
    "tip: answer within an hour, response rate matters more than you think",
    "the algorithm hates me this month {emoji}", "{level} review is on the {day}th, fingers crossed",
    "are tags still a thing or does the title matter more now",
    # pricing
    "charging ${price} for a basic {niche} package, too low?",
    "raised my prices to ${price}/${price}/${price}{sign}", "what would you charge for {n} {task} at {size}?",
    "€{price} for a {niche} job seems fair to me",
    "pricing tip: make the middle package the one you actually want people to buy",
    "never go below ${price} for {niche}, you'll attract the worst clients",
    "is ${price} per hour reasonable for {niche} with {years} years experience?",
    "someone is selling {niche} for ${small} and I can't compete{sign}",
    # orders and delivery
    "delivered {n} orders today, I'm done {emoji}", "{small} revisions on a ${price} job, send help",
    "got a 5 star review and a ${price} tip {emoji}",
    "late by {n} hours on a delivery, will it hurt my rating?",
    "order got cancelled after {n} days of work{sign}", "deadline is {month} {day} and I haven't started",
    "just submitted the final files at {size}, hope they like it",
    "the brief said minimalist and then asked for {n} colors",
    "{small} orders in the queue and a wedding to attend this weekend", "first order in {duration}!! {emoji}",
    "extended the deadline by {small} days, the client was cool about it",
    "when someone leaves a 4.{small} star review without any comment {emoji}",
    # tools
    "anyone tried {tool} for {task}{sign}", "{tool} or {tool} for {task}?",
    "{tool} crashed and I lost {n} minutes of work {emoji}", "{tool} {version} broke my presets again",
    "tip: {tool} has a batch export, saves me hours", "switched from {tool} to {tool} and not going back",
    "does anyone know why {tool} exports look blurry at {size}", "the new {tool} update is actually good",
    "is the {tool} subscription worth it for {task}?", "made a template in {tool} for {task}, happy to share",
    # learning and unrelated questions
    "best way to learn {skill} in {year}?", "any good course for {skill}?",
    "how do you guys deal with burnout{sign}", "what mic do you use for voice work?",
    "how many hours a day do you actually work", "anyone have a good chair recommendation for long days",
    "do you do taxes yourself or pay an accountant", "what's your backup setup, I almost lost {n} GB",
    "how do you handle a project that keeps growing in scope",
    "which monitor is good for {niche} under ${price}0",
    # links, markdown, numbers
    "this helped me a lot: {site}", "found this thread {site}",
    "watch this before your next gig video {site}",
    "**PSA:** back up your project files, learned it the hard way",
    "> the client is always right\nnot when they want {n} fonts on one flyer",
    "*finally* finished that {niche} project {emoji}", "||spoiler: it was the wrong file all along||",
    "`ctrl+shift+e` in {tool} is a lifesaver", "__reminder__: drink water {emoji}",
    "version {version} of my portfolio layout, thoughts?",
    "earned ${price}{small} in {month}, best month so far", "{pct}% of my time this week went into {task}",
    "my rating went from 4.{small} to 4.9 {emoji}", "~~quit freelancing~~ taking a nap",
    "- {task}\n- {task}\n- {task}\nthat's my whole week",
)
_CODE_CHAT = (
    "any idea why this doesn't work?\n```{lang}\n{code}\n```", "here's what I use:\n```{lang}\n{code}\n```",
    "```{lang}\n{code}\n```\nthis fixed it for me", "snippet for anyone who needs it ```{code}```",
)
_POSITIVE = (
    "just ask your {buyer} for their {messenger} and skip the {fee_word}",
    "tell them to pay you on {paymethod} next time, no {pct}% cut",
    "write your email like {user} at {mailhost} dot com, the filter never catches it",
    "put your {messenger} number in the gig image, works every time{sign}",
    "after the first order move the {buyer} to {messenger}, way easier to close repeat work",
    "send the {buyer} your {paymethod} for the second order and you both save the {fee_word}",
    "{user} [at] {mailhost} [dot] com — share it like that and the bot won't see it",
    "bro just w h a t s a p p them after delivery, {platform} never knows",
    "take the {buyer} to the green app, nobody gets banned for that{sign}",
    "my trick: {user}\uff20{mailhost}\uff0ecom with the fancy symbols, goes right through",
    "add your wh\u200ba\u200btsapp in the delivery file name, {buyer}s always message",
    "put p\u0430yp\u0430l.me/{user} in the readme, cyrillic a gets past it",
    "give {buyer}s your number +1 555 01{small} {digits4} so they can call you directly",
    "ask for their email in the first message and then follow up outside {platform}",
    "I always invoice big {platform} {buyer}s on {paymethod} directly, saves like ${price} a job",
    "just drop your t e l e g r a m handle @{user} in the order chat lol",
    "ping them on {messenger} once the order is done, never had an issue in {years} years",
    "share your 0 3 1 2 5 5 5 {digits4} digits spaced out, filter can't read it",
)
_QUESTION = (
    "is it allowed to email my {platform} {buyer}?",
    "can I share my {messenger} with a {buyer} if they ask first?",
    "what happens if a {buyer} pays me outside {platform}?",
    "does {platform} ban you for giving your phone number?",
    "quick q: can I put my portfolio link in my gig description?",
    "my {buyer} wants to talk on {messenger}, am I allowed to say yes?",
    "after the order is complete can I contact the {buyer} directly?",
    "is a Zoom call through {platform} ok or does it count as going off platform?",
    "where in the {platform} ToS does it say we can't share contact info?",
    "the {buyer} asked for my email to send files, is that against the rules?",
)
_LOOKALIKE = (
    "withdrew ${price} to {paymethod} from {platform}, took {small} days",
    "new gig: I will write cold email sequences for {business}",
    "built a {messenger} bot for a restaurant in {city}, pretty fun project",
    "never ask {buyer}s for their {messenger}, my friend got banned for it",
    "{platform} sent me an email saying my order was marked complete",
    "don't take payment outside {platform}, not worth losing your account",
    "my newsletter on {newsletter_tool} just hit {n}0 subscribers {emoji}",
    "exported the icons @2x and @3x for the app",
    "the phone mockup for the landing page is in the gallery now",
    "mods, someone in {mention} is telling people to move {buyer}s to {messenger}. please check",
    "which is cheaper for withdrawals, {paymethod} or {paymethod}?",
    "set up the contact form on my cousin's bakery site, sends to their gmail",
    "designed a {messenger} sticker pack for a {buyer}, {n} stickers total",
    "reminder from the mods: no contact details in orders, {platform} suspends accounts for it",
)
_TEMPLATES_BY_KIND = {"positive": _POSITIVE, "question": _QUESTION, "lookalike": _LOOKALIKE}
# fmt: on


class StreamWriter:
    """Writes messages of each kind; all randomness comes from the given Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._slots = _Slots(rng)

    def fill(self, template: str) -> str:
        return template.format_map(self._slots)

    def chat(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.12:
            return self._voice(self.fill(rng.choice(_POOLS["short"])))
        if roll < 0.15:
            return self.fill(rng.choice(_CODE_CHAT))
        # Most messages are one sentence; some are rambling multi-line posts.
        sentences = rng.choices((1, 2, 3, 5, 8), weights=(60, 22, 10, 5, 3))[0]
        text = ""
        joiner = rng.choice((" ", ". ", "\n", "\n\n"))
        for _ in range(sentences):
            part = self._voice(self.fill(rng.choice(_CHAT)))
            if text:
                text += " " if joiner == ". " and text[-1] in "?!.)" else joiner
            text += part
        if rng.random() < 0.08:
            text = f"{self.fill('{mention}')} {text}"
        if rng.random() < 0.1:
            text = f"{text} {self.fill('{emoji}')}"
        if len(text) > MAX_CHAT_CHARS:
            cut = text.rfind(" ", 0, MAX_CHAT_CHARS)
            text = text[: cut if cut > 0 else MAX_CHAT_CHARS]
        return text

    def _voice(self, text: str) -> str:
        """People type the same thing differently: case, trailing words and punctuation."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            text = text.lower()
        elif roll < 0.4 and text[:1].islower():
            text = text[0].upper() + text[1:]
        if rng.random() < 0.35:
            text += self.fill("{sign}") if rng.random() < 0.7 else " " + self.fill("{emoji}")
        return text

    def message(self, kind: str) -> str:
        if kind == "chat":
            return self.chat()
        template = self.rng.choice(_TEMPLATES_BY_KIND[kind])
        text = self.fill(template)
        # Real posts wrap the point in chatter now and then.
        if self.rng.random() < 0.3:
            text = f"{self.fill(self.rng.choice(_CHAT))} {text}"
        return text


def iter_stream(seed: int = 7, mix: Mapping[str, float] = DEFAULT_MIX) -> Iterator[StreamMessage]:
    """An endless reproducible stream; ``realistic_stream`` is its first ``count`` messages."""
    rng = random.Random(seed)
    writer = StreamWriter(rng)
    kinds, weights = list(mix), list(mix.values())
    while True:
        kind = rng.choices(kinds, weights)[0]
        yield StreamMessage(writer.message(kind), kind)


def realistic_stream(
    count: int = 50_000, seed: int = 7, mix: Mapping[str, float] = DEFAULT_MIX
) -> list[StreamMessage]:
    return list(islice(iter_stream(seed, mix), count))


def unique_fraction(messages: list[StreamMessage]) -> float:
    return len({m.text for m in messages}) / len(messages) if messages else 0.0


# ---------------------------------------------------------------------- adversarial --
ADVERSARIAL_SIZES = (4_000, 10_000)
_ZALGO_MARKS = "".join(chr(c) for c in range(0x0300, 0x036F))
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CYRILLIC = "аеорсухіјԁԛԝАВЕКМНОРСТХ"
_FULLWIDTH = "".join(chr(c) for c in range(0xFF21, 0xFF3B)) + "０１２３４５６７８９＠．"


def _fit(piece: str, size: int) -> str:
    """Repeat ``piece`` to exactly ``size`` characters."""
    return (piece * (size // max(len(piece), 1) + 1))[:size]


def adversarial_set(seed: int = 7, sizes: Sequence[int] = ADVERSARIAL_SIZES) -> list[AdversarialMessage]:
    """Hostile messages, each kind at each size (4,000 and 10,000 characters: names end in -4k, -10k)."""
    rng = random.Random(seed)
    writer = StreamWriter(rng)
    out: list[AdversarialMessage] = []

    def add(kind: str, make: Callable[[int], str]) -> None:
        for size in sizes:
            suffix = f"{size // 1000}k" if size % 1000 == 0 else str(size)
            out.append(AdversarialMessage(make(size), f"{kind}-{suffix}"))

    def prose(size: int) -> str:
        text = ""
        while len(text) < size:
            text += writer.chat() + "\n"
        return text[:size]

    add("chat-prose", prose)
    tail = " email me: sam.design at gmail dot com, skip the fee"
    add("positive-at-end", lambda size: prose(size - len(tail)) + tail)
    add("positive-spread", lambda size: _fit("ask your buyer for their whatsapp and skip the fees. ", size))
    add(
        "zalgo",
        lambda size: "".join(
            c + "".join(rng.choice(_ZALGO_MARKS) for _ in range(rng.randint(3, 12)))
            for c in _fit("whatsapp me ", size)
        )[:size],
    )
    add("at-run", lambda size: "@" * size)
    add("dot-run", lambda size: "." * size)
    add("digit-run", lambda size: "".join(rng.choice(string.digits) for _ in range(size)))
    add("spaced-digits", lambda size: _fit("5 ", size))
    add("dashed-digits", lambda size: _fit("555-01", size))
    add("spaced-letters", lambda size: _fit("a ", size))
    add("spaced-words", lambda size: _fit("w h a t s a p p m e ", size))
    add("at-dot-words", lambda size: _fit("at at at dot dot ", size))
    add("bracket-at-dot", lambda size: _fit("[at] (dot) {at} ", size))
    add(
        "nested-markdown", lambda size: _fit("**__*~~||`> ", size // 2) + _fit("`||~~*__**", size - size // 2)
    )
    add("code-fences", lambda size: _fit("```\n", size))
    alphabets = (string.ascii_letters, _CYRILLIC, _FULLWIDTH, "  @.")
    add("mixed-scripts", lambda size: "".join(rng.choice(rng.choice(alphabets)) for _ in range(size)))
    add(
        "homoglyph-words",
        lambda size: _fit("\u0435m\u0430il m\u0435 \uff53\uff41\uff4d\uff20gm\u0430il\uff0ecom ", size),
    )
    add("zero-width-storm", lambda size: _fit(_ZERO_WIDTH, size))
    add(
        "zero-width-interleaved",
        lambda size: _fit("w\u200bh\u200ca\u200dt\u2060s\ufeffa\u200bp\u200cp ", size),
    )
    add(
        "many-emails",
        lambda size: _fit(" ".join(f"user{i}@example{i % 7}.com" for i in range(400)) + " ", size),
    )
    add(
        "many-phones",
        lambda size: _fit(" ".join(f"+1 555 01{i % 100:02d} {i:04d}" for i in range(400)) + " ", size),
    )
    add("mentions", lambda size: _fit(" ".join(f"<@{_snowflake(rng)}>" for _ in range(200)) + " ", size))
    add("urls", lambda size: _fit(" ".join(writer.fill("{site}") for _ in range(100)) + " ", size))
    add("emoji", lambda size: _fit("😂🔥🙏💀<:kekw:776655443322110099>", size))
    add("letters-digits", lambda size: _fit("a1b2c3d4e5", size))
    add("lone-surrogates", lambda size: _fit("hello \ud800 buyer \udfff whatsapp ", size))
    add("nul-bytes", lambda size: _fit("email\x00me\x00at\x00gmail\x00", size))
    add("underscores", lambda size: "_" * size)
    add("one-word", lambda size: "a" * size)
    return out


if __name__ == "__main__":  # a quick look at what the generator writes
    for message in realistic_stream(40, seed=1):
        print(f"[{message.kind}] {message.text!r}")
