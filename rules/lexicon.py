"""Word lists behind the detector, as regex sources. Generic across platforms; what is
specific to one marketplace lives in its pack (rules/packs/*.toml)."""

from __future__ import annotations

import regex

# Text reaching the detector's patterns is already lower-cased by rules.normalize; IGNORECASE
# would only slow the regex module down (it disables its literal-prefix search).
PATTERN_FLAGS = regex.VERSION0


def rx(source: str) -> regex.Pattern[str]:
    """Compile one of the detector's patterns."""
    return regex.compile(source, PATTERN_FLAGS)


# Leet and look-alike digits/symbols a cue word may use ("wh4ts4pp", "t3l3gr4m", "5ky93", "p@ypal").
_LEET: dict[str, str] = {
    "a": "a4@",
    "e": "e3",
    "i": "i1!l",
    "o": "o0",
    "s": "s5$z",
    "t": "t7+",
    "g": "g9",
    "l": "l1i",
    "p": "p9",
    "b": "b8",
    "z": "z2",
}


def leet(word: str, *, substitutions: bool = True) -> str:
    """A regex source matching ``word`` with leetspeak substitutions and optional dots/dashes."""
    parts = []
    for char in word:
        if char == " ":
            parts.append(r"[\s._-]?")
        elif substitutions and char in _LEET:
            parts.append(f"[{_LEET[char]}]")
        else:
            parts.append(char)
    return "".join(parts)


def alternation(words: list[str], *, with_leet: bool = False) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(leet(w, substitutions=with_leet) for w in words) + ")"


# Digits written as words, in English and in the languages members code-switch into most
# (Spanish, Portuguese, French): "five five five", "cinco cinco cinco", "cinq cinq cinq". ASCII
# spellings only ("tres", not "três"): the contact finder's pre-checks read words as ASCII runs.
DIGIT_WORD_VALUES: dict[str, str] = {
    word: str(value)
    for spelled in (
        "zero one two three four five six seven eight nine",
        "cero uno dos tres cuatro cinco seis siete ocho nueve",
        "zero um dois tres quatro cinco seis sete oito nove",
        "zero un deux trois quatre cinq six sept huit neuf",
    )
    for value, word in enumerate(spelled.split())
} | {"oh": "0"}


MESSENGER_WORDS = [
    # common misspellings and other languages' names for the same apps
    "telegarm",
    "telgram",
    "telegrm",
    "whtsapp",
    "watsap",
    "wasap",
    "guasap",
    "zap",
    "zapzap",
    "skipe",
    "skyp",
    "wechats",
    "weixin",
    "微信",
    "카톡",
    "واتساب",
    "واتس",
    "تيليجرام",
    "تلغرام",
    "ватсап",
    "вотсап",
    "телеграм",
    "whatsapp",
    "whats app",
    "whatsap",
    "watsapp",
    "whatapp",
    "whatsup",
    "wa business",
    "telegram",
    "telegramm",
    "skype",
    "signal",
    "wechat",
    "viber",
    "snapchat",
    "imo",
    "kik",
    "threema",
    "line id",
    "zalo",
    "kakaotalk",
    "kakao",
    "wickr",
    "messenger",
]
# Short or euphemistic forms, matched literally (no leet: too short to be safe).
MESSENGER_SHORT = [
    r"\b(?:their|your|my|ur)\s+'?wa'?\b",
    r"\bthe\s+(?:ghost|camera|yellow)\s+app\b",
    r"\b(?:they|you|buyers?|clients?)\s+snap\b",
    r"\b(?:teu|seu|meu|no|pelo|pro)\s+zap\b",
    r"\b(?:ms\s+|microsoft\s+)?teams\s+(?:call|calls|meeting|meetings|channel|id|link|chat)\b",
    r"\bgoogle\s+chat\b",
    r"\bwapp\b",
    r"\bwa\b(?=\s*\?)",
    r"\bthe\s+(?:green|blue)\s+(?:one|icon|bird)\b",
    r"\bblue\s+bird\b",
    r"\bpaper\s+plane\b",
    r"\b(?:blue|green)\s+(?:\w+\s+)?(?:app|site)\b",
    r"\bthe\s+s\s+app\b",
    r"w\.a\.?",
    r"\bwa\b(?=\s*(?:me|pe|\.me|/|:|number|no\b))",
    r"'whats'",
    r"\bwhats\b(?!\s*(?:up|the|new|in|on|your|a|going|happening|wrong))",
    r"\btg\b",
    r"\bsnap\b(?=\s*[:@])",
    r"\bsnap\b(?=\s+(?:me|them|account))",
    r"(?:green|blue|purple|paper[ -]plane)\s+(?:chat\s+)?app",
    r"app\s+with\s+the\s+(?:green|blue|paper[ -]plane)",
    r"\bthe\s+'?s\s*app'?",
    r"\bblue\s+s\b",
    r"\bdiscord\b(?=\s*(?::|id|username|server for|handle|tag))",
    r"\bdiscord\b",
    r"\bslack\b",
    r"\bline\b(?=\s*(?:id|:|app))",
]
SOCIAL_WORDS = [
    "instagram",
    "insta",
    "linkedin",
    "facebook",
    "twitter",
    "tiktok",
    "behance",
    "dribbble",
    "pinterest",
    "youtube",
    "linktree",
    "linktr.ee",
    "threads",
    "reddit",
    "soundcloud",
    "bluesky",
    "bsky",
    "twitch",
    "tumblr",
    "mastodon",
]
SOCIAL_SHORT = [r"\big\b", r"\bfb\b", r"\bx\b(?=\s*(?:@|:|handle|account))"]
EMAIL_WORDS = [
    "email",
    "e-mail",
    "e mail",
    "gmail",
    "mail id",
    "email id",
    "emails",
    "emailing",
    "emailed",
    "gee mail",
    "google mail",
    "big g",
    "gmial",
    "gamil",
    "emial",
    "e-mial",
    "correo",
    "e-mail id",
]
EMAIL_PROVIDERS = [
    "gmail",
    "yahoo",
    "hotmail",
    "outlook",
    "protonmail",
    "proton",
    "icloud",
    "aol",
    "gmx",
    "yandex",
    "zoho",
]
PAYMENT_WORDS = [
    "pix",
    "binance",
    "ko-fi",
    "kofi",
    "xero",
    "buymeacoffee",
    "opay",
    "palmpay",
    "moniepoint",
    "bkash",
    "nagad",
    "sadapay",
    "paypall",
    "paypl",
    "paypal",
    "payoneer",
    "wise",
    "transferwise",
    "venmo",
    "cash app",
    "cashapp",
    "zelle",
    "gcash",
    "jazzcash",
    "easypaisa",
    "mpesa",
    "m-pesa",
    "paytm",
    "skrill",
    "revolut",
    "western union",
    "stripe",
    "usdt",
    "bitcoin",
    "btc",
    "crypto",
    "ethereum",
    "wisetag",
]
PAYMENT_PHRASES = [
    r"bank\s+(?:transfer|details|account|wire|deposit)",
    r"wire\s+transfer",
    r"\biban\b",
    r"\bupi\b",
    r"\b(?:no|pelo|via|chave|my|meu|minha)\s+pix\b|\bpix\s+(?:key|chave)\b",
    r"direct\s+(?:payment|transfer|deposit)",
    r"pay(?:ing|s)?\s+(?:me\s+|you\s+|them\s+)?directly",
    r"friends?\s*(?:&|and)\s*family",
    r"payment\s+link",
    r"request-?payment",
    r"\bwallet\b",
    r"pay(?:ment|ing)?\s+(?:me\s+)?outside",
    r"(?:straight\s+)?(?:to|into)\s+(?:my|your)\s+(?:bank|account|wallet)\b",
    r"\bpay\s+(?:you\s+|me\s+)?(?:via|by|through|with|on|in)\s+(?:bank|crypto|cash)\b",
    r"\b(?:wise|payment|paypal|payoneer|stripe)\s+request\s+links?\b|\brequest\s+links?\b",
]
PHONE_WORDS = [
    r"(?:phone|mobile|cell|contact|whatsapp|telephone|tel)\s*(?:number|no\b\.?|num\b|#)",
    r"(?:my|your|their|his|her|ur|a|the\s+buyer'?s?|the\s+client'?s?)\s+(?:phone|mobile|cell|number|num|digits)\b",
    r"\bnumber\b(?=\s+(?:to|so|for)\b)",
    r"\bthe\s+digits\b",
    r"\b(?:call|text|ring|phone|sms|whatsapp)\s+(?:me|you|them|him|her|the\s+(?:buyer|client|employer))\b",
    r"\bcalling\s+them\b",
    r"\b(?:by|via|over)\s+(?:sms|text|phone)\b",
    r"\bon\s+their\s+(?:mobile|cell|phone)\b",
]
SITE_WORDS = [
    r"\b(?:my\s+)?(?:dropbox|google\s+drive|wetransfer)\s+links?\b",
    r"\blinks?\s+to\s+my\b",
    r"\bgoogle\s+(?:my|me|your)\b",
    r"\bsearch\s+(?:for\s+)?(?:my|me|'[^'\n]{2,40}'|\"[^\"\n]{2,40}\")\s+(?:\w+\s+)?on\s+google\b",
    r"\b(?:portfolio|personal|own|website|site|external|behance|dribbble)\s+links?\b",
    r"\b(?:booking|landing|payment)\s+page\b",
    r"\b(?:zoom|meet|teams|calendly|booking)\s+(?:link|room|url|id)\b",
    r"\bgoogle\s+meet\b",
    r"\bcalendly\b",
    r"(?:personal|portfolio|own|business)\s+(?:web)?site",
    r"\bwebsite\b",
    r"\bcontact\s+form\b",
    r"\bqr\s+code\b",
    r"\bsite\s+url\b",
    r"\bwebsite\s+url\b",
    r"\b(?:my|your)\s+site\b",
    r"\burl\b",
]
CONTACT_WORDS = [
    r"\b(?:my|your|their|his|her)\s+(?:personal\s+|private\s+|own\s+)?(?:mail|inbox|mailbox)\b",
    r"contact\s+(?:info|information|details|detail|number|no)",
    r"\bcontact\s+(?:me|them|him|her|the\s+buyer)\b",
    r"\bhandle\b",
    r"\busername\b",
    r"\bsocials\b",
    r"\b(?:my|your|their)\s+details\b",
]

# Every channel name the detector knows, for checks that only need the words.
CHANNEL_PHRASES: tuple[str, ...] = (
    *MESSENGER_WORDS,
    *EMAIL_WORDS,
    *EMAIL_PROVIDERS,
    *PAYMENT_WORDS,
    *SOCIAL_WORDS,
)

# Channel names a misspelling of one is read as ("telegrma", "teleqram", "whatsaap", "skpye"):
# rules.normalize.deobfuscate puts the name in place of a word one edit away from it. Names that
# an everyday word lies one edit from ("discard", "vibes", "strike", "skill", "revolt",
# "thread"), and the five-letter ones, take only two swapped letters ("discrod", "skpye").
# The corpus and bench/streams.py hold no word these would change; EVERYDAY_NEAR_CHANNELS are
# everyday words found by hand that would.
FUZZY_CHANNELS = [
    "whatsapp",
    "telegram",
    "signal",
    "wechat",
    "snapchat",
    "kakaotalk",
    "threema",
    "messenger",
    "instagram",
    "facebook",
    "twitter",
    "tiktok",
    "linkedin",
    "pinterest",
    "youtube",
    "behance",
    "dribbble",
    "paypal",
    "payoneer",
    "binance",
    "jazzcash",
    "easypaisa",
    "hotmail",
    "outlook",
    "icloud",
    "protonmail",
]
SWAPPED_ONLY_CHANNELS = [
    "skype",
    "viber",
    "discord",
    "threads",
    "venmo",
    "zelle",
    "stripe",
    "skrill",
    "revolut",
    "gmail",
    "yahoo",
]
EVERYDAY_NEAR_CHANNELS = frozenset({"webchat", "twister", "twitted", "outlooks", "signals"})
