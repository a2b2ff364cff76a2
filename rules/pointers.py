"""Directions to a contact detail: a draft that tells the client where to find one.

"My number is on the cover of the PDF", "same username on Telegram", "search 'Blue Finch
Audio' on Instagram", "scan the QR in my profile picture": no address or number is written, so
``rules.contacts`` finds nothing, yet the client is told exactly how to reach the member off
the platform. Each pattern below is one way of pointing; a match is a ``pointer`` contact, with
the span of the pointing words, and makes a draft a violation like a written detail does.

Every pattern needs two things: the member's own detail or name ("my email", "same username",
a quoted name to search) and a place off the platform or inside a file (Instagram, the PDF's
footer, the watermark). "Search 'minimalist logo' on Fiverr" or "the font is in the zip" name
only one of them and are not pointers. Works on the normalised view (lower case, look-alike
letters folded, obfuscation undone), like the contact finder.
"""

from __future__ import annotations

import regex

from rules.contacts import Contact
from rules.lexicon import EMAIL_PROVIDERS, MESSENGER_WORDS, PAYMENT_WORDS, SOCIAL_WORDS, alternation, rx

# Places off the platform: messengers, social networks, payment apps, mail providers, and the
# nicknames people use for them ("the green app").
_CHANNEL = (
    "(?:"
    + alternation([*MESSENGER_WORDS, *SOCIAL_WORDS, *PAYMENT_WORDS, *EMAIL_PROVIDERS], with_leet=True)
    + r"|ig|fb|tg|wa|x|tele|insta|snap|google(?:\s+maps)?|discord|slack|whatsapp\s+business"
    # networks and shops of one's own that the channel lists leave to the model elsewhere
    + r"|xing|etsy|bandcamp|substack|medium|reddit|vimeo|soundcloud|twitch|teams|clubhouse|shopee|lazada"
    + r"|(?:the\s+)?(?:green|blue)\s+app"
    + r"|every\s+(?:app|platform|network|social)s?|all\s+(?:the\s+)?(?:apps|socials|platforms|networks))"
)
# A detail someone can be reached or paid by.
_DETAIL = (
    r"(?:(?:direct|personal|private|real|work|business|mobile|cell|phone|whatsapp|contact|email|e-mail|"
    r"portfolio|agency(?:'s)?|studio(?:'s)?|company(?:'s)?|own)\s+)?"
    r"(?:e-?mail(?:\s+address)?|mail|number|phone(?:\s+number)?|cell|mobile|whats\s*app|wa|contact(?:s|\s+details|"
    r"\s+info)?|details|website(?:\s+address)?|site|web\s*page|address|socials|handle|user\s*name|skype|telegram|insta(?:gram)?|ig|"
    r"discord|signal|viber|snapchat|facebook|fb|"
    r"linkedin|calendly|booking\s+(?:page|link)|business\s+card|card|qr(?:\s+code)?|paypal)"
)
# Where a detail can hide inside the work or the profile.
_PLACE = (
    r"(?:pdf|image|images|picture|pic|photo|screenshot|file|files|watermark|cover(?:\s+page)?|footer|header|"
    r"readme|video|frame|logo|bio|profile(?:\s+(?:pic|picture|photo))?|delivery|zip|attachment|requirements|"
    r"invoice|signature|mockup|sample|samples|doc|document|slide|deck|portfolio|metadata|credits|"
    r"last\s+page|first\s+page|page\s+\d+|corner|package|folder|thumbnail|banner|intro|outro|end\s+card|"
    r"file\s*name|cv|resume|r[eé]sum[eé]|description|bottom)"
)
_NAME = r"(?:user\s*name|name|handle|nick(?:name)?|id|tag)"
_QUOTED = r"[\"'“‘][^\"'”’\n]{2,60}[\"'”’]"
_QUOTE_MARKS = ("'", '"', "“", "‘")  # what a _QUOTED name cannot be without
_GAP = r"[^.!?\n]{0,40}?"
# Verbs that send the client to look someone up, in the languages members code-switch into.
_SEARCH = (
    r"(?:search(?:\s+for)?|look\s+(?:up|for)|type|find"
    r"|busca(?:me|r)?|procura|cherche[sz]?|such(?:e|en)|hanapin\w*)"
)

# Each pattern with the words it cannot match without: a pattern runs only on a text that holds
# one of them, so ordinary drafts (and pasted walls of text) pay for a few substring checks.
POINTERS: tuple[tuple[str, tuple[str, ...], regex.Pattern[str]], ...] = (
    # "my number is on the cover page", "our email's in the footer of the proposal pdf"
    (
        "contact.pointer-in-file",
        ("my", "our"),
        rx(
            rf"\b(?:my|our)\s+{_DETAIL}\b{_GAP}\b(?:is|are|'s|will\s+be|sits?|shows?|appears?)\s+"
            rf"(?:the\s+(?:one|same\s+as(?:\s+the\s+one)?)\s+)?"
            rf"(?:(?:written|printed|hidden|included|shown|listed)\s+)?(?:on|in|at|inside)\b{_GAP}\b{_PLACE}\b"
        ),
    ),
    # "you'll see my website address in the video's end card", "find my email on the last page"
    (
        "contact.pointer-in-file",
        ("my", "our"),
        rx(
            rf"\b(?:see|find|spot|get|grab|copy)\s+(?:my|our)\s+{_DETAIL}\b\s+(?:in|on|at|inside)\b{_GAP}\b{_PLACE}\b"
        ),
    ),
    # "check my other gig description for my skype"
    (
        "contact.pointer-in-file",
        ("for my", "for our"),
        rx(
            rf"\b(?:check|see|read|look\s+at)\s+(?:my|our|the)\b{_GAP}\b{_PLACE}\b{_GAP}\bfor\s+(?:my|our)\s+{_DETAIL}\b"
        ),
    ),
    # "I put my number in the image", "I'll write my WhatsApp in the requirements box"
    (
        "contact.pointer-in-file",
        ("my", "our"),
        rx(
            rf"\b(?:put|added|add|include|included|including|left|leave|wrote|write|written|uploaded|upload|"
            rf"attached|attach|hid|hidden|placed|embedded|stamped|added)\s+(?:my|our)\s+{_DETAIL}\b{_GAP}"
            rf"\b(?:in|on|into|inside|at|to)\s+(?:the|my|our|this|that|each|every|a)?\b{_GAP}\b{_PLACE}\b"
        ),
    ),
    # "the number at the end of my demo reel video", "the business email is in the About tab",
    # "vcard attached"
    (
        "contact.pointer-in-file",
        ("end of", " in my", " on my", " in our", " on our", "about", "vcard", "v-card", ".vcf"),
        rx(
            rf"\b(?:at|call|text|dial|ring|to|via)\s+(?:the|my)\s+(?:number|e-?mail|handle|user\s*name)\s+"
            rf"(?:at\s+the\s+end\s+of|in|on)\s+(?:my|our)\s+"
            rf"(?:\w+\s+){{0,2}}?{_PLACE}\b"
            rf"|\b(?:e-?mail|number|contact)\b[^.!?\n]{{0,25}}?\b(?:is|are)\s+(?:in|on)\s+(?:the|my)\s+about\s+(?:tab|page|section)"
            rf"|\bv-?card\b|\.vcf\b"
        ),
    ),
    # "a readme in the zip with my personal email", "the sample video ends with my email"
    (
        "contact.pointer-in-file",
        ("my", "our"),
        rx(rf"\b{_PLACE}\b{_GAP}\b(?:with|has|holds|shows|ends\s+with|includes)\s+(?:my|our)\s+{_DETAIL}\b"),
    ),
    # "my Skype is the same as my Fiverr name", "IG is same as my username here"
    (
        "contact.pointer-same-name",
        ("same", "name"),
        rx(
            rf"\b{_CHANNEL}\b\s*(?:is|=|:|-|–|—|,)?\s*(?:just\s+|literally\s+)?(?:the\s+)?same\s+(?:as\s+)?"
            rf"(?:my\s+|our\s+|the\s+)?(?:\w+\s+){{0,2}}?(?:{_NAME}|e-?mail|number)\b"
            rf"|\bmy\s+{_CHANNEL}\s+(?:is|=)\s+(?:just\s+)?my\s+(?:full\s+|real\s+)?name\b"
        ),
    ),
    # "same username on Telegram", "LinkedIn under the same name", "same handle on every app",
    # "same as my Fiverr username but at gmail"
    (
        "contact.pointer-same-name",
        ("same",),
        rx(
            rf"\bsame\s+(?:as\s+(?:my|our)\s+(?:\w+\s+){{0,2}}?)?{_NAME}\b{_GAP}(?:\b(?:on|at|in|for)|@)\s*"
            rf"(?:the\s+)?{_CHANNEL}\b"
            rf"|\b{_CHANNEL}\b\s+(?:under|with|by)\s+(?:exactly\s+)?(?:the\s+)?same\s+{_NAME}\b"
            # "my handle is the same as here but on the blue app"
            rf"|\b{_NAME}\s+is\s+(?:the\s+)?same\s+as\s+(?:here|this\s+one)\b[^\n]{{0,60}}?\bon\s+(?:the\s+)?{_CHANNEL}\b"
            rf"|\b(?:on|at)\s+{_CHANNEL}\b\s*[,(-]?\s*same\s+{_NAME}\b"
        ),
    ),
    # "email me at my Fiverr username at gmail"; "el mismo nombre de usuario, pero en Telegram",
    # "mesmo usuário no Insta"
    (
        "contact.pointer-same-name",
        (" at ", " @ ", "mismo", "mesmo"),
        rx(
            rf"\bmy\s+(?:\w+\s+)?(?:user\s*name|name|handle)\s+(?:at|@)\s+(?:the\s+)?{_CHANNEL}\b"
            rf"|\b(?:mismo|mesmo)\s+(?:nombre|nome|usuario|usu[aá]rio)\b[^\n]{{0,40}}?\b(?:en|no|na|em|on)\s+{_CHANNEL}\b"
        ),
    ),
    # "same number as the one in my profile pic", "the username I use everywhere else"
    (
        "contact.pointer-same-name",
        ("same", "everywhere", "every app", "all apps"),
        rx(
            rf"\bsame\s+{_DETAIL}\s+as\s+(?:the\s+one\s+)?(?:in|on|at)\s+(?:my|our|the)\b{_GAP}\b{_PLACE}\b"
            rf"|\b{_NAME}\s+(?:i|we)\s+use\s+(?:everywhere|on\s+every\s+app|on\s+all\s+(?:the\s+)?apps)"
        ),
    ),
    # "search 'Blue Finch Audio' on Instagram", "type "Hollow Reed" in Telegram search"
    (
        "contact.pointer-search",
        _QUOTE_MARKS,
        rx(
            rf"\b{_SEARCH}\s+(?:us\s+|me\s+)?{_QUOTED}\s*"
            rf"(?:up\s+)?(?:on|in|at)\s+(?:the\s+)?{_CHANNEL}\b"
            rf"|\b{_CHANNEL}\s+(?:search\s+)?(?:for\s+)?{_QUOTED}"
            # "I'm 'Dmitri K. Voice' on SoundCloud", "auf Xing als 'Jonas Brenner Sprecher'"
            rf"|\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+{_QUOTED}\s+(?:on|in)\s+{_CHANNEL}\b"
            # "my whats app is under "Bea Cole Interiors""
            rf"|\b(?:my|our)\s+{_DETAIL}\s+(?:is\s+)?(?:under|as)\s+(?:the\s+name\s+)?{_QUOTED}"
        ),
    ),
    # "Google 'Harlow Voice Studio' and you'll find my contact page", "google my name plus ..."
    (
        "contact.pointer-search",
        ("google",),
        rx(
            rf"\bgoogle\s+(?:{_QUOTED}|my\s+(?:full\s+)?name|our\s+(?:studio|company|business)\s+name)"
            rf"[^.!?\n]{{0,80}}?\b(?:contact|site|website|page|reach|book|number|email|form)\b"
        ),
    ),
    # "msg me on the blue app, Facebook name Priya Designs", "find me on LinkedIn"
    (
        "contact.pointer-profile-name",
        ("name", "find", "search", "look"),
        rx(
            rf"\b{_CHANNEL}\b[^.!?\n]{{0,40}}?\b(?:profile\s+|page\s+|account\s+)?name\s*(?:is\s+|:\s*|-\s*)?"
            rf"(?!is\b|as\b|here\b)[a-z]{{2,}}"
            rf"|\b(?:find|search\s+for|look)\s+(?:me|us)\s+(?:up\s+)?on\s+(?:{alternation(SOCIAL_WORDS)}|fb|ig)\b"
        ),
    ),
    # "scan the QR in my profile picture, it opens my WhatsApp", "my WhatsApp QR"
    (
        "contact.pointer-qr",
        ("qr", "barcode"),
        rx(
            rf"\b(?:qr(?:\s+code)?|barcode)\b{_GAP}\b(?:opens|goes\s+to|links?\s+to|takes\s+you\s+to|for)\s+(?:my|our)\b"
            rf"|\b(?:my|our)\s+(?:{_CHANNEL}\s+)?qr(?:\s+code)?\b"
            rf"|\bscan\s+(?:the|my|our|this)\s+qr\b{_GAP}\b(?:my|our)\b"
        ),
    ),
    # "the link in my Instagram bio", "my username here + .com is my website"
    (
        "contact.pointer-profile",
        ("bio", "+", "plus", "reverse"),
        rx(
            rf"\blink\s+in\s+(?:my|our)\s+(?:{_CHANNEL}\s+)?bio\b"
            rf"|\b(?:my|our)\s+(?:user\s*name|name|handle)\s+(?:here\s+)?(?:\+|plus)\s*\.?(?:com|net|io|co)\b"
            rf"|\breverse\s+my\s+{_NAME}\b"
        ),
    ),
)


# Pointers that name the place first and point a little later ("…on Messenger? Just search
# 'Jericho Tutor'"): each pattern matches the pointing words, and a channel must be named in the
# given number of characters before them. One short search at each match, rather than a scan of
# the whole text that tries every channel's name at every position (hostile drafts are 10,000
# characters long).
_CHANNEL_BEFORE = rx(rf"\b{_CHANNEL}\b[^\n]*$")
_CHANNEL_JUST_BEFORE = rx(rf"\b{_CHANNEL}\s+$")
# ... and not the client's own: "your IG handle is in the bottom corner" is their deliverable.
_OWN_CHANNEL_BEFORE = rx(rf"(?<!your\s)\b{_CHANNEL}\b(?:(?!\byour\b)[^.!?\n])*$")
AFTER_A_CHANNEL: tuple[tuple[str, tuple[str, ...], int, regex.Pattern[str], regex.Pattern[str]], ...] = (
    # "…on Messenger? Hanapin niyo lang po 'Jericho Tutor Math Cebu'"
    (
        "contact.pointer-search",
        _QUOTE_MARKS,
        80,
        _CHANNEL_BEFORE,
        rx(rf"\b{_SEARCH}\s+(?:\w+\s+){{0,3}}?{_QUOTED}"),
    ),
    # "dm u on twitter? i'm the only 'priyanka_ux' there", "on Teams, she's 'Bea Lindqvist'"
    (
        "contact.pointer-search",
        _QUOTE_MARKS,
        40,
        _CHANNEL_BEFORE,
        rx(rf"\b(?:i'?m|i\s+am|she'?s|he'?s|we'?re)\s+(?:the\s+only\s+)?{_QUOTED}"),
    ),
    # "auf Xing als 'Jonas Brenner Sprecher'"
    (
        "contact.pointer-search",
        _QUOTE_MARKS,
        30,
        _CHANNEL_JUST_BEFORE,
        rx(rf"\b(?:as|als|under|como)\s+{_QUOTED}"),
    ),
    # "the blue app with the paper plane. Username is identical to this one."
    (
        "contact.pointer-same-name",
        ("same", "identical"),
        100,
        _CHANNEL_BEFORE,
        rx(
            rf"\b{_NAME}\s+(?:is\s+)?(?:identical|the\s+same|same)\s+(?:to|as)\s+"
            rf"(?:this\s+one|the\s+one\s+here|here|mine\s+here|this)\b"
        ),
    ),
    # "voice notes on Telegram, username in my cover photo"
    (
        "contact.pointer-in-file",
        ("in ", "on "),
        40,
        _OWN_CHANNEL_BEFORE,
        rx(rf"\b{_NAME}\s+(?:is\s+)?(?:in|on)\s+(?:my|our|the)\s+(?:\w+\s+)?{_PLACE}\b"),
    ),
)


def find_pointers(text: str) -> list[Contact]:
    """Each pointer in the normalised view ``text`` as a ``pointer`` contact, not overlapping."""
    found: list[Contact] = []

    def add(rule_id: str, match: regex.Match[str]) -> None:
        pointer = Contact("pointer", match.start(), match.end(), match.group(), rule_id)
        if not pointer.overlaps(found):
            found.append(pointer)

    for rule_id, needs, pattern in POINTERS:
        if any(word in text for word in needs):
            for match in pattern.finditer(text):
                add(rule_id, match)
    for rule_id, needs, reach, channel_before, pattern in AFTER_A_CHANNEL:
        if any(word in text for word in needs):
            for match in pattern.finditer(text):
                if channel_before.search(text, max(0, match.start() - reach), match.start()):
                    add(rule_id, match)
    return sorted(found, key=lambda contact: contact.start)
