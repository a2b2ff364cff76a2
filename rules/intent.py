"""What a message is DOING with an off-platform channel: advising it, asking about it,
warning against it, or just mentioning the word.

The unit of judgement is the clause. A clause counts toward ``encourages`` when it refers
to an off-platform channel (or a trick to slip one past a filter) AND is phrased as advice,
endorsement or a boast, AND no negation or warning governs it. A message is ``asks`` when a
question clause is about contacting or paying a marketplace client outside the platform.
Whole-message context (reports of bans, scams, quotes of someone else, email marketing sold
as a service, the platform's own notification e-mails, clients found off any marketplace)
pulls a message back to ``none``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

from rules.gate import (
    GatedPattern,
    GateGroup,
    Pending,
    leading_literals,
    spans_of,
    split_alternatives,
    words_of,
)
from rules.lexicon import (
    CHANNEL_PHRASES,
    CONTACT_WORDS,
    EMAIL_PROVIDERS,
    EMAIL_WORDS,
    MESSENGER_SHORT,
    MESSENGER_WORDS,
    PAYMENT_PHRASES,
    PAYMENT_WORDS,
    PHONE_WORDS,
    SITE_WORDS,
    SOCIAL_SHORT,
    SOCIAL_WORDS,
    leet,
)
from rules.lexicon import (
    PATTERN_FLAGS as _FLAGS,
)
from rules.lexicon import (
    rx as _rx,
)
from rules.normalize import MIXED_TOKENS, deleet

# ---------------------------------------------------------------- channels (what) -----
# Each channel family maps to the policy topic a reply should explain.
_SERVICE_AFTER = (
    r"(?!\s*(?:bots?|chat\s*bots?|stickers?|sticker\s+packs?|api|business\s+api|channels?\s+and|"
    r"marketing|campaigns?|templates?|sequences?|signatures?|lists?\s+(?:cleaning|building)|newsletters?|"
    r"copy(?:writing)?|flows?|deliverability|design|automation|notifications?|verification|"
    r"writing|marketers?|integration|clone|group\s+for|groups?\b|button|widget|ads?|headline|audits?)\b)"
)


def _channel_families(with_leet: bool) -> dict[str, regex.Pattern[str]]:
    def words(items: list[str], after: str = _SERVICE_AFTER) -> str:
        # One alternative per word, longest first, so GatedPattern can run just the words present.
        ordered = sorted(set(items), key=len, reverse=True)
        return "|".join(rf"\b{leet(w, substitutions=with_leet)}\b{after}" for w in ordered)

    # "the email", "cold emails": an email as a thing, not a way to reach someone.
    not_a_channel = r"(?<!(?:cold\s|cold-|the\s|an\s|welcome\s|sales\s|marketing\s|test\s|newsletter\s)\w+)"
    return {
        "messaging": _rx(words(MESSENGER_WORDS) + "|" + "|".join(MESSENGER_SHORT)),
        "links": _rx(words(SOCIAL_WORDS) + "|" + "|".join(SOCIAL_SHORT + SITE_WORDS)),
        "email": _rx(
            words(EMAIL_WORDS + EMAIL_PROVIDERS, not_a_channel + _SERVICE_AFTER)
            + r"|\bmail\s+(?:me|them|him|her|id)\b"
        ),
        "payments": _rx(words(PAYMENT_WORDS) + "|" + "|".join(PAYMENT_PHRASES)),
        "phone": _rx("|".join(PHONE_WORDS)),
        "best_practices": _rx("|".join(CONTACT_WORDS)),
    }


def _any_of(families: dict[str, regex.Pattern[str]]) -> regex.Pattern[str]:
    return _rx("|".join(f"(?:{p.pattern})" for p in families.values()))


# Leetspeak ("wh4ts4pp", "p4yp4l") is undone by rules.normalize.deleet before these run,
# so plain literal patterns serve every message (and the regex module can use its fast
# literal-prefix search).
CHANNEL_FAMILIES = _channel_families(with_leet=False)
CHANNEL_ANY = _any_of(CHANNEL_FAMILIES)

# Going "direct", "off Fiverr", "outside the platform": a channel in its own right.
OFF_PLATFORM = _rx(
    r"\boff[- ]?(?:platform|site)\b|\boffsite\b|\boutside\s+(?:of\s+)?(?:the\s+)?(?:platform|site|app|fiverr|upwork|"
    r"freelancer|pph|peopleperhour|it)\b|\boff\s+(?:of\s+)?(?:fiverr|upwork|freelancer|the\s+platform)\b|"
    r"\bwithout\s+(?:fiverr|upwork|freelancer|pph|peopleperhour|the\s+platform)\b|\bstraight\s+to\s+(?:you|me)\b|"
    r"\bskip\s+the\s+(?:\d+\s*%\s+)?(?:cut|fee|fees|commission)\b|\bdirectly\b|\bgo(?:es)?\s+direct\b|\bdirect\s+(?:payment|deal)s?\b|"
    r"\b(?:do|does|doing)\s+it\s+direct(?:ly)?\b|\bskip\s+the\s+(?:platform|fees?|back-and-forth)|"
    r"\b(?:no|zero|without|skip\s+the)\s+\d{1,2}\s*%|\b\d{1,2}\s*%\s+(?:cut|fee|commission)\b|\bno\s+(?:platform\s+)?fees?\b|\bsave\s+(?:on\s+)?(?:the\s+)?(?:\d+\s*%|fees?)\b|"
    r"\b(?:20|10)\s*%\s+(?:saved|cut)\b|\bkeep\s+the\s+whole\s+amount\b|\bmove\s+(?:the\s+)?(?:convo|conversation|chat)\b|"
    r"\bpa(?:y|id|ying)\s+(?:you|me|them)\s+(?:outside|there|direct(?:ly)?)\b|\binvoice\s+(?:them|clients?|buyers?)\s+(?:yourself|directly)\b|"
    r"\belsewhere\b|\bmy\s+own\s+invoic\w*|\brather\s+than\s+(?:through|on|via|in)\s+(?:fiverr|upwork|freelancer|pph|the\s+platform)\b|"
    r"\boutside\s+(?:of\s+)?(?:the\s+)?(?:milestones?|escrow|contract|order)\b|\bjoin\s+my\s+(?:\w+\s+)?list\b|\bsign-?up\s+form\b|\bpor\s+fora\b|\bfuera\s+de\b|\bdirect[oa]\b|\bdun\s+(?:na\s+)?(?:kayo|tayo)\b|\bbahar\b|"
    r"\bdirect\s+invoic\w*|\bskip\s+(?:upwork|fiverr|freelancer|pph|the\s+site)\b|\b(?:everything|it|things|deals?|work|business|talks?)\s+outside\b|\boff\s+the\s+(?:site|platform|app)\b|"
    r"\b(?:come|comes|go|goes|book|pay|hire|contact|reach|email|message|talk)\s+(?:to\s+)?(?:you|me)\s+direct(?:ly)?\b|"
    r"\b(?:move|take|get|bring)\s+(?:\w+\s+){0,3}?off\b(?!\s+(?:work|topic|the\s+(?:order|gig)))|\bno\s+(?:fiverr|upwork|platform)\s+needed\b|\b(?:book|pay)\s+(?:you|me)\s+there\b|"
    r"\b(?:walang|no|zero|without)\s+(?:\w+\s+)?(?:cut|commission)\b|"
    r"\b(?:buyers?|clients?|customers?)\s+(?:\w+\s+){0,2}?(?:into|onto|to)\s+(?:my|your)\s+(?:\w+\s+)?"
    r"(?:newsletter|list|mailing\s+list|crm|server|community|group|dms?)\b"
)

# ----------------------------------------------------------- context (who, where) -----
MARKETPLACE = _rx(
    r"\b(?:buyers?|clients?|customers?|employers?|fiverr|fiver|fivver|upwork|freelancer(?:\.com)?|pph|"
    r"peopleperhour|gigs?|orders?|fees?|discount|proposals?|bids?|contracts?|deliver(?:y|ed|ing)?|reviews?|level\s*[12]|trs|"
    r"inbox|connects|milestones?|hourlie|award(?:ed)?|the\s+platform|(?<!day\s)jobs?)\b|\b(?:20|10)\s*%|\b\d{1,2}\s*%\s+(?:cut|fee|commission)\b"
)
NOT_MARKETPLACE = _rx(
    r"\bnot\s+(?:a\s+)?(?:fiverr|upwork|platform|marketplace|client)\b(?!'s)|\bno\s+(?:platform|upwork|fiverr|marketplace)\s+(?:involved|at\s+all)\b|"
    r"\bnothing\s+to\s+do\s+with\s+(?:fiverr|upwork|the\s+platform)|\b(?:none|not\s+any)\s+of\s+them\s+from\b|"
    r"\bnot\s+any\s+platform\b|\bfound\s+me\s+through\s+my\b|\b(?:came|come)\s+(?:via|through)\s+(?:my\s+own|referrals?)|"
    r"\breferrals?\b|\bmy\s+own\s+(?:network|blog)|\b(?:find|get)\s+your\s+own\s+clients\b|\bnothing\s+to\s+do\s+with\s+freelanc\w*|\bno\s+(?:fiverr|upwork|platform)\s+(?:buyers|clients|customers)\b|\bnever\s+on\s+any\s+platform\b|\bnot\s+any\s+marketplace\b|\bnon-?marketplace\b|\bnot\s+a\s+paid\s+(?:gig|job|project)\b|\bunpaid\b|\bfan\s+(?:project|animation|film)\b|\bfound\s+(?:on\s+\w+\s+)?myself\b|\bfrom\s+my\s+(?:blog|own)|\bnot\s+a\s+client\s+thing|"
    r"\bmeetup\b|\bfacebook\s+group\b|\bold\s+employer\b|\bcousin'?s\b|\bplatform\s+involved\b|"
    r"\bcollab(?:orat\w*)?\b|\bteam\s+up\b|\bstudy\s+group\b|\bcowork\b|\bgame\s+jam\b|\bsigned\s+up\s+on\s+my\b|"
    r"\bfind\s+me\s+(?:on|through|via)\s+google\b|\bdirect\s+clients\s+who\b"
)
PLATFORM_MAIL = _rx(
    r"\b(?:fiverr|upwork|freelancer)(?:'s)?\s+(?:just\s+)?(?:e-?mail(?:ed|s)?|sent\s+me|notification|withdrawal\s+confirmation)|"
    r"\be-?mails?\s+(?:from|by)\s+(?:fiverr|upwork|freelancer)|\bnotification\s+e-?mails?|\bnoreply@|"
    r"\bnew\s+message'?\s+e-?mails?|\bverify\s+my\s+(?:e-?mail|phone)|\b(?:fiverr|upwork)\s+support\b|\bsupport\s+(?:by|via)\s+e-?mail|"
    r"\bcs\s+(?:through|via)|\bhelp\s+center\b|\b(?:fiverr|upwork|freelancer(?:\.com)?)\s+keeps\s+sending\s+me\b|"
    r"\bturn\s+(?:them|it|those|these|notifications?)\s+off\b|\bgot\s+(?:this|an|a)\s+e-?mail\b|\byour\s+order\s+#|\border\s+#\w+\s+has\s+been\b"
)
WITHDRAWAL = _rx(
    r"\bwithdr[ae]w\w*|\breceive\s+my\s+(?:\w+\s+)?earnings|\bwithdrawals?\b|\bpayouts?\b|\blocal\s+bank\b|\bcash\s*out\b|"
    r"→\s*(?:payoneer|paypal|bank|wise)|\bbetter\s+(?:exchange\s+)?rates\b|\bexchange\s+rates?\b"
)
SERVICE = _rx(
    r"\b(?:cold\s+e-?mails?|e-?mail\s+(?:marketing|marketers?|templates?|sequences?|signatures?|list|newsletters?|"
    r"copy(?:writing)?|deliverability|design|flows?|campaigns?)|newsletter\s+design|"
    r"(?:whatsapp|telegram)\s+(?:bots?|chatbots?|sticker|business\s+api|channel)|bot\s+gigs?|"
    r"klaviyo|mailchimp|abandoned\s+cart|mockup|as\s+a\s+gig|stickers?\s+packs?|lead\s+gen\w*|business\s+emails|e-?mail\s+client|"
    r"for\s+your\s+outreach|transactional\s+e-?mails?|smtp|whatsapp\s+button|"
    r"(?:discord|telegram|whatsapp)\s+(?:server|bot|channel|group)\s+(?:setup|set\s*up|design|management)|"
    r"business\s+cards?|flyers?|letterheads?|brochures?|contact\s+(?:us\s+)?page|signup\s+form|email\s+signature)\b"
)

# ------------------------------------------------------------ stance (how) ----------
# The imperative verbs advice starts with, after fillers like "just", "bro", "pro tip:".
_IMPERATIVES = (
    "ask|get|collect|capture|grab|take|request|give|share|send|drop|put|add|include|write|type|leave|"
    "watermark|mention|say|move|shift|bring|invite|redirect|push|continue|connect|switch|email|mail|call|"
    "text|message|dm|pay|invoice|follow|reach|contact|find|join|use|accept|tell|spell|paste|split|name|"
    "screenshot|scan|pitch|offer|start|build|make|create|set|keep|copy|let|go|try|close|hit|sell|"
    "finish|ping|drop|record|upload|attach|store|save|lure|convince|slip|stick|sneak|hide|embed|tuck|insert|pop|"
    "throw|place|print|list|display|show|link|post|publish|route|steer|nudge|encourage|suggest|propose|quote|"
    "charge|bill|receive|swap|migrate|funnel|lead|point|slide|direct|request|hand|exchange|whatsapp|telegram|skype|"
    "reply|respond|answer|export|import|watermark|stamp|sign|register|open|download|ditch|avoid|ring|phone"
)
_FILLERS = (
    r"(?:just|so|bro|brother|sis|honestly|seriously|simply|then|and|also|ok|okay|yes|yeah|lol|lmao|yaar|abeg|"
    r"kindly|pls|please|guys|tip|pro\s+tip|hack|trick|psst|btw|fyi|easy|the\s+trick\s+is|tip\s+for\s+\w+|"
    r"for\s+\w+|on\s+\w+(?:\.com)?|(?:after|once|when|whenever|if|before|as\s+soon\s+as)\s+(?:[^,;:.!?]|\.(?=\S)){1,60},|"
    r"after\s+(?:the\s+)?(?:first\s+|1st\s+)?(?:order|delivery|review|job|contract)\s+|the\s+(?:moment|minute|second|day)\s+[\w\s'.]{1,50}?|"
    r"as\s+soon\s+as\s+[\w\s'.]{1,40}?|new\s+\w+|listen|look|folks|everyone|people|friends|in\s+the\s+\w+(?:\s+\w+)?|@\w+|first\s+order|"
    r"\w+\s+(?:here|tip))[\s,:!.-]*"
)
# A verb used as a noun ("contact details", "email, phone, ...") is not an instruction.
IMPERATIVE_START = _rx(
    rf"^[\s\W]*(?:{_FILLERS})*(?:{_IMPERATIVES})\b"
    r"(?!\s*,|\s+(?:details|info|information|form|page|list|us\b|button|icon|address|template|marketing))"
)


def _imperative_leads() -> tuple[str, ...]:
    """The literal text an IMPERATIVE_START filler or verb starts with ("just", "pro", "ask")."""
    fillers = _FILLERS.removeprefix("(?:").removesuffix(r")[\s,:!.-]*")
    leads: set[str] = set()
    for option in split_alternatives(fillers) + split_alternatives(_IMPERATIVES):
        literals = leading_literals(option)
        if literals is not None:  # the one without, "\w+\s+(?:here|tip)": see _is_imperative
            leads.update(text for text, _ in literals)
    return tuple(sorted(leads))


def _by_first_char(words: list[str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by first character: ``startswith`` then compares a handful, not all."""
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[0], []).append(word)
    return {char: tuple(group) for char, group in grouped.items()}


_IMPERATIVE_LEADS = _imperative_leads()
_IMPERATIVE_LEADS_BY_CHAR = _by_first_char(list(_IMPERATIVE_LEADS))
_LEADING_BLANKS = _rx(r"[\s\W]*+")
_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _starts_with_lead(clause: str, leads: dict[str, tuple[str, ...]]) -> bool:
    """Whether ``clause``, past its leading blanks and symbols (``[\\s\\W]*``), starts with a lead."""
    # Blanks and symbols are what \w is not: a clause starting with a word character has none.
    start = 0 if clause[:1] in _ASCII_WORD_CHARS else _LEADING_BLANKS.match(clause).end()  # type: ignore[union-attr]
    return clause.startswith(leads.get(clause[start : start + 1], ()), start)


def _is_imperative(clause: str) -> bool:
    # A match starts, after blanks and symbols, with a filler or a verb: one of the leads, or
    # the fillers "@name" and "<word> here/tip". Without any of them the search would fail.
    if not (
        _starts_with_lead(clause, _IMPERATIVE_LEADS_BY_CHAR)
        or "@" in clause
        or "here" in clause
        or "tip" in clause
    ):
        return False
    return IMPERATIVE_START.search(clause) is not None


ADVICE = _rx(
    r"\bjust\s+(?:"
    + _IMPERATIVES
    + r")\b|\bjust\s+\w+\s+(?:your|their|his|her|them)\b|\byou\s+(?:should|can|could|gotta|have\s+to|need\s+to|must)\b|"
    r"\b(?:i\s+)?(?:would\s+)?(?:suggest|recommend|advise)\b|\bpro\s+tip\b|\btip\s*:|\btrick\b|\bhack\b|"
    r"\bthe\s+way\s+to\s+go\b|\bis\s+the\s+(?:way|answer|move|best)\b|\bis\s+(?:still\s+)?(?:the\s+)?best\b|"
    r"\bis\s+a\s+great\s+place\b|\bgreat\s+place\s+for\b|\bgang\b|\btrust\s+me\b|\bsimple\s+as\s+that\b|"
    r"\bdone\s*\.|\bworks?\s+(?:every|for\s+me|great|like|100|fine|\w+\s+time)|\bit\s+works\b|\bworth\s+it\b|"
    r"\bspot\s+on\b|\bgame\s+changer\b|\bgold\b|💰|🔥|\bwin\b|\bfree\s+leads\b|\bboth\s+(?:of\s+you\s+)?win\b|\b(?:everybody|everyone)\s+wins\b|"
    r"\bnever\s+looked\s+back\b|\bstill\s+do\s+it\b|\beveryone\s+does\s+it\b|\bstop\s+overthinking\b|"
    r"\btoo\s+scared\b|\bdoesn'?t\s+deserve\b|\bwho\s+cares\b|\bwhat\s+can\s+they\s+do\b|\bisn'?t\s+a\s+crime\b|\bdon'?t\s+own\b|"
    r"\bdoesn'?t\s+own\b|\beveryone\s+i\s+asked\b|\bnobody\s+ever\s+says\s+no\b|\bhear\s+me\s+out\b|"
    r"\bbe\s+smart\b|\bjust\s+be\b|\brelax\b|\bway\s+(?:easier|faster|better|more)\b|\bmy\s+rule\b|"
    r"\bno\s+(?:wahala|issue|issues|problem|drama|bs|cut)\b|\bsaves?\s+(?:me|you)\b|\bno\s+need\s+to\s+wait\b|"
    r"\b(?:cash\s*app|venmo|zelle|paypal|wise|whatsapp|telegram|email|dm|text)\s+(?:them|him|her|your\s+(?:buyers?|clients?))\b|"
    r"\b(?:have|get|let|make)\s+(?:them|him|her|(?:the\s+|your\s+)?(?:buyers?|clients?|customers?))\s+(?:to\s+)?"
    r"(?:pay|send|move|message|call|email|add|text|contact|reach)\b|"
    r"\b(?:give|tell|ask|send|take|move|ping|text|call|email|add|invite|get|shift|bring|message)\s+"
    r"(?:(?:the|your|every|all|those)\s+)?(?:buyers?|clients?|customers?|employers?|them)\b|"
    r"\b(?:drop|share|give|send)\s+(?:them\s+|him\s+|her\s+)?your\b|"
    r"\bshould\b(?!n)|\bdo\s+what\s+i\s+do\b|\brule\s+of\s+thumb\b|\bthat'?s\s+how\s+(?:you|i|we)\b|"
    r"\b(?:walang|zero|without)\s+(?:\w+\s+)?(?:cut|commission)\b|\bnahi\s+kat\w*|\b(?:le|de|bhej)\s+do\b|\b(?:le|kar)\s+lo\b|\bbaat\s+karo\b|"
    r"\bkar\s+do\b|\bbachega\b|\btipid\b|\bahorras\b|\beconomiza\w*|\bcomisi[oó]n\b|\bcomiss[aã]o\b|"
    r"\b(?:p[ií]dele|pide|pasa|cobra|manda|dile|pede|passa|chama|fala|kunin|bigay|sabihin|ibigay|kuha|collect\s+am)\b|"
    r"\btry\s+it\b|\bstill\s+works\b|\bworks?\s+(?:too|on)\b|\bjust\s+tried\b|\bzero\s+flags\b|\bnothing\s+wrong\s+with\b|\bworks\s*[.!]|\bworks$|"
    r"\blove\s+(?:it|the)\b|\bthey'?ll\s+add\s+you\b|\bthey\s+always\b|\bget\s+it\b|\bis\s+the\s+one\b|\bimo\b"
)
# First-person habits and boasts: "I always", "been taking buyers to whatsapp since 2018".
HABIT = _rx(
    r"\bi\s+(?:always|literally|just|usually|still|also|simply)\b|\bi\s+(?:ask|put|share|move|send|take|invoice|get|drop|"
    r"do|keep|give|add|collect|shift|tell|use)\s+(?:every|all|my|their|them|it|a|the|buyers|clients|repeat)\b|"
    r"\bi\s+(?:am|have\s+been|'ve\s+been|'m)\s+(?:doing|putting|taking|moving|sharing|using)\b|"
    r"\bthat'?s\s+the\s+play\b|(?:\bi(?:'ve|\s+have)?\s+|^\s*)(?:been|keep|kept)\s+(?:taking|doing|moving|sharing|putting|using|sending|giving|asking|dropping)\b|"
    r"\bbeen\s+(?:taking|doing|moving|sharing|putting|using)\b|\bi\s+did\s+it\b|\bi\s+do\s+it\b|\bi\s+dey\b|"
    r"\bmy\s+(?:\w+\s+)?(?:clients?|buyers?)\s+pay\s+me\b|\bi\s+get\s+\d|\bhow\s+i\s+built\b|\bmy\s+rule\b|"
    r"\bi\s+(?:literally\s+)?put\s+my\b|\bi\s+have\s+(?:my|a)\b|"
    r"\bi(?:'ve|\s+have)\s+(?:\w+\s+)?(?:moved|taken|sent|shared|invoiced|added|collected|given|put|used|exported)\b|"
    r"\bi\s+(?:take|move|invoice|send|add|export|collect|put|share|give|tell|shift|bring|switch|ask|text|call|email)\b|"
    r"\b(?:second|2nd|next)\s+order\s+onwards\b|\bi\s+(?:write|tell\s+them)\b"
)
BOAST = _rx(
    r"\bnever\s+(?:got|been|had|get|gotten)\s+(?:a\s+(?:single\s+)?|an\s+|any\s+|one\s+)?(?:banned|warn\w*|flagged|caught|issues?|problems?|suspended)|"
    r"\b(?:nobody|no\s*one)\s+(?:ever\s+|actually\s+|really\s+)?(?:gets?|got)\s+(?:banned|caught|flagged|warned)|"
    r"\bnever\s+(?:once\s+)?(?:flagged|warned|banned|caught)\s+me\b|\bdone\s+it\s+\d+|"
    r"\b(?:zero|no|0)\s+(?:warnings?|issues?|bans?|problems?)\b|\bstill\s+do\s+it\b|\bworth\s+it\b|\bbeen\s+fine\b|"
    r"\bnever\s+(?:a\s+)?(?:warning|issue|problem)\b|\bnot\s+as\s+smart\s+as\b|\bnever\s+once\s+(?:got|had|been)\b|"
    r"\bnothing\s+(?:ever\s+)?happened\b|\bno\s+one\s+(?:ever\s+)?(?:noticed|checks?)\b|\bthey\s+don'?t\s+check\b|"
    r"\bhas\s+no\s+clue\b|\bnever\s+said\s+a\s+word\b|\bnever\s+noticed\b"
)
# Tricks to slip details past the platform's filter: the strongest signal of all.
EVASION = _rx(
    r"\b(?:filter|bot|system|fiverr|upwork|algorithm|ai|it)\s+(?:is\s+)?(?:only\s+)?"
    r"(?:doesn'?t|does\s+not|don'?t|can'?t|cannot|won'?t|never|not|isn'?t|is\s+not)\s+"
    r"(?:\w+\s+){0,2}?(?:catch|catching|flag|flags|scan|scans|detect|detecting|see|sees|read|reads|match|know|knows|"
    r"transcribe|check|checks|understand|smart|notice|pick)\w*|"
    r"\b(?:filter|bot|system)\s+only\s+(?:reads|checks|looks\s+for|knows|sees)\b|"
    r"\b(?:isn'?t|aren'?t|not|never)\s+(?:being\s+)?(?:scanned|checked|read|detected|flagged|filtered|monitored)\b|"
    r"\bas\s+words\b|\bin\s+words\b|\bspell(?:ed)?\s+(?:it\s+)?out\b|\bsplit\s+(?:it|(?:your|the)\s+(?:\w+\s+){0,2}?\w+)\s+(?:over|across|into)\b|"
    r"\blets?\s+it\s+(?:through|pass|slide)\b|\bbuyers?\s+(?:just\s+)?figure\b|\bhas\s+no\s+clue\b|\bdon'?t\s+type\b|"
    r"\b(?:don'?t|doesn'?t|won'?t|never)\s+trigger\w*|\b(?:never|won'?t|don'?t)\s+find\s+out\b|\bno\s+(?:lo\s+)?detecta\b|\bnem\s+fica\s+sabendo\b|"
    r"\b(?:filter|bot|system)\s+(?:doesn'?t|does\s+not|can'?t|won'?t)\b|\bbuyers?\s+can\s+(?:still\s+)?read\s+it\b|"
    r"\bwrite\s+the\s+(?:@|at|dot)\s+as\b|\bsuperscript\b|\bemoji\s+(?:letters|digits|numbers)\b|\bfancy\s+text\b|\bbuyers?\s+(?:know|get)\s+what\b|\bnever\s+said\s+a\s+word\b|"
    r"\bscreenshot\s+of\s+your\b|\bas\s+a\s+screenshot\b|\b(?:chat|inbox)\s+(?:won'?t|doesn'?t|can'?t|never)\s+(?:flag|catch|see)\w*|\bimage\s+messages\b|\blink\s+blocker\b|\bwhere\s+the\s+(?:bot|filter|system)\s+(?:reads|sees|checks)\b|"
    r"\b(?:filter|bot|system)\s+never\s+(?:fires|triggers|notices|blocks|flags|catches)\b|\bonly\s+(?:reads|checks|looks\s+for|scans)\b|"
    r"\b(?:gets?|goes|went|going|slips?)\s+(?:right\s+|straight\s+)?(?:through|past)\b|\bspaced\s+out\b|\bget\s+past\b|\bskips\s+it\b|\binvisible\s+(?:to|char)|"
    r"\bwithout\s+getting\s+(?:caught|flagged)|\bso\s+(?:it|they|fiverr|the\s+bot)\s+(?:doesn'?t|does\s+not|can'?t|won'?t)|"
    r"\bso\s+the\s+(?:filter|bot|system)\s+\w+|\bnot\s+detecting\b|\bis\s+not\s+catching\b|\bnever\s+knows\b|"
    r"\b(?:fiverr|upwork)\s+can'?t\s+see\b|\bfilter\s+is\s+dumb|\bsees\s+garbage\b|\bfools?\s+the\b|"
    r"\b(?:bot|filter|system)\s+(?:won'?t|will\s+not)\s+\w+|\bbuyers?\s+(?:still\s+)?(?:gets?|understands?|reads?)\s+it\b|"
    r"\bbuyer\s+(?:just\s+)?figures\s+it\s+out\b|\bread\s+it\s+backwards\b|\bzero[- ]width\b|\bthe\s+usual\s+ending\b|"
    r"\blooks\s+(?:the\s+same|normal)\b|\bdoesn'?t\s+scan\b|\bfunny\s+e'?s\b|\bin\s+leet\b|\bcyrillic\b|\bsmall\s+caps\b|"
    r"\bfullwidth\b|\bwide\s+letters\b|\bfont\s+generator\b|\brussian\b|\bwith\s+spaces\b|\breversed\b|"
    r"\bsplit\s+it\s+over\b|\bas\s+an\s+image\b|\bscreenshot\s+your\b|\bwrite\s+it\s+(?:like|as)\b|\bspell\s+it\b|"
    r"\bthey\s+understand\b|\bnever\s+flags\b|\bit\s+goes\s+through\b|\bis\s+not\s+detecting\b"
)
# Where a channel is hidden: files, images, names.
HIDDEN_IN = _rx(
    r"\b(?:in|on|inside|into)\s+(?:the\s+|your\s+|my\s+)?(?:readme|read\s*me|file\s*name|zip|pdf|footer|image|images|"
    r"gig\s+(?:images?|video|gallery|faq)|portfolio\s+pieces|sample\s+images|delivery\s+(?:file|attachment)|"
    r"attachment|qr\s+code|bio|watermark)\b|\bgig\s+(?:images?|video|gallery|faq|description|title|cover|thumbnail)\b|"
    r"\bend\s+card\b|\bname\s+the\s+delivery\s+file\b|\bqr\s+code\b|\bwatermark\b"
)
NEGATION = _rx(
    r"\b(?:never|don'?t|dont|do\s+not|doesn'?t|does\s+not|not|no|stop|avoid|can'?t|cannot|won'?t|wouldn'?t|shouldn'?t|"
    r"isn'?t|aren'?t|unable|refuse[ds]?|declined?|instead\s+of)\b"
)
WARNING = _rx(
    r"\b(?:banned|ban|warnings?|warned|suspended|suspension|restricted|restricts?|restriction|disabled|closed\s+my|lost\s+my|"
    r"scam\w*|reported|report\s+(?:it|them|and)|psa|careful|not\s+worth|lesson|learned\s+the\s+hard\s+way|"
    r"against\s+(?:the\s+)?(?:tos|terms|rules|policy)|violation|removed|locking|rule\s*#?\d|mod\s+(?:here|note|team)|"
    r"from\s+the\s+mod|reminder|pinned|no\s+advice|not\s+cool|get\s+caught|gets?\s+caught|risk|denied|protection|"
    r"(?<!zero\s)(?<!no\s)chargebacks?|charge\s+back|dispute|lose\s+your\s+account|politely\s+(?:say|decline|refuse)|"
    r"moderator\s+here|used\s+to\s+think|it\s+isn'?t|say\s+no|got\s+flagged|flagged|caught|"
    r"cost\s+you|lost\s+(?:his|her|their)\b|lost\s+(?:a|an|the)\s+(?:\w+\s+){0,2}account|stay\s+on\s+(?:the\s+)?platform|not\s+allowed|isn'?t\s+allowed|prohibit\w*|terrible\s+advice|bad\s+advice|nobody\s+listen|"
    r"don'?t\s+listen\s+to\s+(?:him|her|them|this|that|it))\b|🚩|📌"
)
REPORTED = _rx(
    r"\b(?:someone|somebody|this\s+person|a\s+guy|people|(?:a\s+)?user)\s+(?:(?:in|on|at|from)\s+(?:\S+\s+){1,3})?"
    r"(?:is\s+|are\s+|keeps?\s+)?(?:telling|saying|posting|told|dm'?ed|messaged|advis\w+|spamming)|"
    r"\ba\s+(?:buyer|seller|client)\s+(?:is\s+|keeps?\s+)?(?:telling|saying|posting|advis\w+|spamming)|"
    r"\b(?:saw|seen)\s+a\s+(?:gig|seller|post|profile)|\breport(?:ed|ing)\b|\bblocked\b|\b(?:this|some)\s+guy\s+in\s+my\s+dms?\b|\bcan\s+you\s+take\s+a\s+look\b|"
    r"\bstop\s+telling\b|\bjokes?\s+(?:are|is)\s+still\b|\bremoved\b"
)
ASK_MARKERS = _rx(
    r"\b(?:please\s+guide|i\s+want\s+to\s+know|wondering|not\s+sure\s+(?:if|whether)|allowed|permissible|"
    r"against\s+(?:the\s+)?(?:tos|rules|terms)|violation|is\s+(?:that|it|this)\s+ok|ok\s+or\s+not|"
    r"what\s+do\s+i\s+do|what\s+counts|count\s+as|considered|penalty|or\s+still\s+no|or\s+not|need\s+clarity|"
    r"(?:pls|please|someone|anyone|can\s+someone|can\s+anyone)\s+explain|does\s+anyone\s+know|anyone\s+know\s+if|forbidden)\b"
)
ON_PLATFORM = _rx(
    r"(?<!(?:buyers?|clients?|customers?|employers?|sellers?|freelancers?|people|someone|everyone|me|i.m)\s)"
    r"\b(?:through|via|on|in|inside|using|with)\s+(?:the\s+)?(?:fiverr|upwork|freelancer|pph|the\s+platform|the\s+order|"
    r"the\s+inbox|upwork\s+messages|the\s+project\s+chat|workstream)\b|\bhere\b(?!\s+(?:is|are|'s))|"
    r"\b(?:fiverr|upwork)'?s?\s+(?:call|zoom|meeting|built-in)|\bcall\s+feature\b|\bcustom\s+offer\b|\border\s+page\b"
)

# Possessive runs anchored at a run's start keep this linear on long stretches of blanks.
_CLAUSE_SPLIT = regex.compile(
    r"(?<=[.!?;:\n])\s++|(?<!\s)\s++(?:but|though|however|although)\s++|\n++|(?<!\s)\s++[—-]\s++|,\s++(?=then\b)|"
    rf",\s++(?=(?:just\s+)?(?:{_IMPERATIVES})\s+(?:the|their|your|his|her|them|every|all|a|for|to|on)\b)|"
    r",\s++(?=(?:should|can|could|may|is|are|do|does|will)\s+(?:i|we|that|it|this)\b|how\s+(?:do|can|should)\s+i\b)"
)
_QUOTED_LINE = regex.compile(r"(?m)^[ \t]*>.*$")
_QUOTE_MARK = regex.compile(r"(?m)^[ \t]*>{1,3}")
_ENDORSES_QUOTE = regex.compile(
    r"^\s*(?:this|exactly|\+1|agreed?|100\s*%|so\s+true|facts|true|yes+|real|based|same)\b|"
    r"\bworks\s+every\s+time\b|\bthis\s+is\s+the\s+way\b|\bdo\s+this\b",
    regex.MULTILINE,
)
# Someone's words in quotes ('Are you on WhatsApp?' in a script someone recommends) are not
# the member's own question.
_QUOTED_SEGMENT = regex.compile(r"(?<!\w)'[^'\n]{3,120}?'(?!\w)|\"[^\"\n]{3,120}?\"|“[^”\n]{3,120}?”")


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str
    start: int
    end: int
    rule_id: str


@dataclass(frozen=True, slots=True)
class Judgement:
    label: str
    family: str | None  # policy topic of the strongest channel
    cues: tuple[Cue, ...]
    reason: str
    score: float


def channel_family(text: str) -> str | None:
    """The policy topic of the first channel family named in ``text``, or of an off-platform move."""
    words = words_of(text)
    # Gated: each family pattern holds hundreds of words; run whole they cost ~0.2 ms per 100
    # characters, while a gated search runs only the words present (same answer, rules/gate.py).
    for family, pattern in _G_FAMILIES.items():
        if pattern.spans(text, words):
            return family
    if _G["OFF_PLATFORM"].spans(text, words):
        return "payments" if _PAYMENT_HINT.search(text) else "after_order"
    return None


_PAYMENT_HINT = _rx(r"\bpa(?:y|id)|fee|%|invoice|discount")


@lru_cache(maxsize=4096)
def _family_of_channel(channel: str) -> str | None:
    """``channel_family`` of a matched channel: the same few words recur, so remember them."""
    return channel_family(channel)


# What ``regex`` counts as ``\s`` (Unicode White_Space; a test checks the list).
SPACES = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# Where a split can begin: a blank after [.!?;:\n], a comma, a newline, or the blanks before a
# dash or "but"/"(al)though"/"however". Plain characters: ``re`` finds them as ``regex`` would,
# without trying lookbehinds at every position.
_SPLIT_MARKS = re.compile(r"[.!?;:,\n—-]")
_SPLIT_WORDS = ("but", "though", "however")
_SPLIT_WORDS_ALL = (*_SPLIT_WORDS, "although")  # what the split's second alternative accepts


def _clauses(text: str) -> list[tuple[int, int]]:
    """The spans between ``_CLAUSE_SPLIT`` matches, as its ``finditer`` finds them."""
    starts: set[int] = set()
    before_words: list[int] = []  # where a dash or split word starts
    for mark in _SPLIT_MARKS.finditer(text):
        position = mark.start()
        char = text[position]
        if char == ",":
            starts.add(position)
        elif char == "-" or char == "—":
            before_words.append(position)
        else:
            if char == "\n":
                starts.add(position)
            if text[position + 1 : position + 2] in SPACES:
                starts.add(position + 1)
    for word in _SPLIT_WORDS:
        at = text.find(word)
        while at >= 0:
            before_words.append(at - 2 if word == "though" and text[at - 2 : at] == "al" else at)
            at = text.find(word, at + 1)
    for position in before_words:
        # The split starts at the first of the blanks right before the dash or word.
        blank = position
        while blank and text[blank - 1] in SPACES:
            blank -= 1
        if blank < position:
            starts.add(blank)
    spans: list[tuple[int, int]] = []
    start = 0
    # finditer would find nothing at the other positions, so trying just these is the same.
    for position in sorted(starts):
        if position < start:
            continue  # inside the last split
        end = _split_end(text, position)
        if end is None:
            continue
        if position > start:
            spans.append((start, position))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _split_end(text: str, position: int) -> int | None:
    """Where the ``_CLAUSE_SPLIT`` match at ``position`` ends (None: no match there)."""
    char = text[position]
    if char == ",":
        # Only the comma alternatives start at a comma, and each needs blanks and then one of
        # the words its lookahead starts with.
        after = _after_spaces(text, position + 1)
        if after == position + 1 or not text.startswith(_COMMA_LEADS.get(text[after : after + 1], ()), after):
            return None
    elif char in SPACES and position and text[position - 1] in ".!?;:\n":
        # The first alternative, (?<=[.!?;:\n])\s++, matches: the run of blanks.
        return _after_spaces(text, position)
    elif char == "\n" and not (
        (position == 0 or text[position - 1] not in SPACES)
        and text.startswith(_SPLIT_WORDS_ALL, _after_spaces(text, position))
    ):
        # Not after a blank or a split word: the first alternative that fits is \n++.
        end = position
        while end < len(text) and text[end] == "\n":
            end += 1
        return end
    match = _CLAUSE_SPLIT.match(text, position)
    return None if match is None else match.end()


def _after_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in SPACES:
        position += 1
    return position


# The words a comma split's lookahead starts with ("..., then", "..., ask the", "..., should i").
_COMMA_LEADS = _by_first_char(
    [*"then just should can could may is are do does will how".split(), *split_alternatives(_IMPERATIVES)]
)


# "... Is that actually allowed?": the member asks about what they just described.
_ASKS_ABOUT_IT = _rx(
    r"\b(?:is|are|was|would)\s+(?:that|this|it|doing\s+that)\s+(?:\w+\s+){0,2}?"
    r"(?:allowed|ok|okay|fine|legit|against|permitted|a\s+violation|safe|true|right)\b"
)
# Questions without a '?': "can I share my Behance with a buyer", "wondering whether it's fine..."
_INVERTED_QUESTION = _rx(
    r"^[\s\W]*(?:(?:like|so|and|also|but|hi|hello|hey|guys|sir|mods)[\s,:!.—-]*)*"
    r"(?:can|could|may|should|is|are|am|do|does|will|would)\s+(?:i|we|you|he|she|they|it|that|this|there|my|a|the|fiverr|upwork|buyers?|clients?)\b"
)
# The fillers and verbs an _INVERTED_QUESTION match starts with, after blanks and symbols.
_INVERTED_LEADS = _by_first_char(
    sorted(text for text, _ in leading_literals(_INVERTED_QUESTION.pattern.removeprefix(r"^[\s\W]*")) or ())
)
_ASK_PHRASE = _rx(
    r"\b(?:(?:i'?d\s+like|i\s+want|want)\s+to\s+know|not\s+sure\s+(?:if|whether)|anyone\s+know\s*$|"
    r"what'?s\s+the\s+(?:rule|policy|deal)\b|what\s+(?:should|do|can)\s+i\s+(?:reply|say|tell|answer|do)\b|"
    r"what\s+am\s+i\s+supposed\s+to|^\s*how\s+(?:do|can|should)\s+i\b|\bor\s+not\s*$|or\s+am\s+i\s+allowed|or\s+will\s+i\s+get|wondering\s+(?:if|whether)|need\s+clarity|(?:pls|please)\s+explain|"
    r"does\s+anyone\s+know|anyone\s+know\s+(?:if|whether)|allowed\s+or\s+not|ok\s+or\s+not|fine\s+or\s+not)\b"
)


# Every _ASK_PHRASE match holds one of these words (a test checks it): without them, no search.
_ASK_WORDS = ("know", "sure", "what", "how", "not", "allowed", "will", "wondering", "clarity", "explain")


def _has_ask_phrase(clause: str) -> bool:
    return any(word in clause for word in _ASK_WORDS) and _ASK_PHRASE.search(clause) is not None


def _is_question(clause: str, following: str) -> bool:
    stripped = clause.rstrip(" \t)\"'*_~")
    if stripped.endswith("?") or following.lstrip().startswith("?"):
        return True
    if stripped.endswith((".", "!")):
        return _has_ask_phrase(clause)
    inverted = _starts_with_lead(clause, _INVERTED_LEADS) and _INVERTED_QUESTION.search(clause) is not None
    return inverted or _has_ask_phrase(clause)


_NOT_A_NEGATION = _rx(
    r"no\s+(?:20|10|5)\s*%|no\s+(?:platform\s+)?fees?|no\s+need|not\s+as\s+smart|don'?t\s+care|doesn'?t\s+care|"
    r"doesn'?t\s+matter|no\s+(?:wahala|issue|problem|bs)|won'?t\s+make\s+it|don'?t\s+listen|don'?t\s+worry|don'?t\s+be\s+scared"
)
# Nicknames for messengers are themselves a way round the filter.
EUPHEMISM = _rx(
    r"(?:green|blue|purple|paper[ -]plane)\s+(?:chat\s+)?app|app\s+with\s+the\s+(?:green|blue|paper)|'\s*s\s*app\s*'|"
    r"\bblue\s+s\b|'whats'|\bw\.a\.|\bwhats\b(?!\s*(?:up|the|new|in|on|your|a|going|happening|wrong))|\bwapp\b|"
    r"\bthe\s+(?:green|blue)\s+(?:one|icon|bird)\b|\bblue\s+bird\b|\bpaper\s+plane\b|\b(?:blue|green)\s+(?:\w+\s+)?(?:app|site)\b|"
    r"\bthe\s+s\s+app\b"
)
_META_MENTION = _rx(r"\bthe\s+word\s+'[^'\n]{1,30}'|\bthe\s+word\s+\"[^\"\n]{1,30}\"")
_PROHIBITION = _rx(
    r"(?:^|[.!?]\s+)(?:just\s+|so\s+)?(?:don'?t|do\s+not)(?:\s+do\s+it)?\s*[.!]*\s*$|\bnot\s+worth\s+it\b|"
    r"\bjust\s+don'?t\s*(?:[.!]|$)|(?:^|\n)[\s>]*no\s*[.!,]\s|\bused\s+to\s+think\b|\bit\s+(?:isn'?t|is\s+not|wasn'?t)\s*[.!]"
)
# Someone else's advice, retold: not the member's own endorsement (but they may still ask).
HEARSAY = _rx(
    r"\b(?:blog|article|video|post|course|guru|youtuber|someone|people|friend)\s+(?:\w+\s+){0,3}?"
    r"(?:that\s+)?(?:says?|said|claims?|suggests?|recommends?|told\s+me)\b|"
    r"\b(?:read|saw|heard|watched)\s+(?:\w+\s+){0,3}?(?:blog|article|video|post|course|youtube|tiktok)\s+(?:\w+\s+){0,2}?that\b"
)
PERMISSION = _rx(
    r"\b(?:allowed|allow|permissible|permitted|forbidden|against\s+(?:the\s+)?(?:\w+\s+)?(?:tos|rules|terms|policy)|tos|rules|"
    r"violation|ok\s+or\s+not|"
    r"count\s+as|counts?|considered|penalty|off[- ]platform|ok|okay|banned|fine)\b"
)


_ON_PLATFORM_ACT = _rx(
    r"\b(?:keep|kept|stay|talk|chat|communicat|message|repl|call|schedul|use|using|continue|deliver|upload|send|"
    r"pay|book|meet|do|share|sort|work|answer|respond|reach)\w*\b[^.!?]*$|^\s*$|\bhere\b"
)


# "fiverr can't see your gmail": a claim about the filter, whose "can't" negates nothing.
_DETECTION_CLAIM = _rx(
    r"\b(?:fiverr|upwork|the\s+(?:bot|filter|system)|it)\s+(?:can'?t|cannot|doesn'?t|does\s+not|won'?t|never)\s+"
    r"(?:see|catch|detect|flag|scan|read|know|notice|match)\w*"
)


def _negated_before(clause: str, anchor: int) -> bool:
    """A negation before the channel mention inside the clause, not part of a boast."""
    head = clause[:anchor]
    if "n't" in head or "not" in head or "never" in head:
        # "fiverr can't see your gmail" is a trick, not a warning: its negation does not count.
        head = _DETECTION_CLAIM.sub(lambda m: " " * len(m.group()), head)
    for match in NEGATION.finditer(head):
        if match.group().startswith("instead") and anchor - match.end() > 12:
            continue  # "instead of" negates only the words right after it
        tail = clause[match.start() : match.start() + 40]
        if BOAST.match(tail) or _NOT_A_NEGATION.match(tail):
            continue
        return True
    return False


_CODE_SPAN = regex.compile(r"`{1,3}[^`]*[=^{};\\][^`]*`{1,3}")
_DISMISSAL = _rx(
    r"\bagainst\s+(?:the\s+)?(?:tos|rules|terms)\s+but\b|\bwho\s+cares\s+what\b|\bdoesn'?t\s+own\s+the\b|"
    r"\bisn'?t\s+a\s+crime\b|\bwhat\s+can\s+they\s+do\b|\beveryone\s+does\s+it\b|\bstop\s+overthinking\b|"
    r"\btoo\s+scared\b|\bgives\s+you\s+like\s+\d\s+chances\b|\bnothing\s+wrong\s+with\b|"
    r"\bdon'?t\s+listen\s+to\s+(?:the\s+)?mods?\b|\bjust\s+for\s+show\b|\brules\s+are\s+for\s+(?:people|those)\s+who\b|\bnobody\s+(?:enforces|checks)\b|\bignore\s+the\s+mods?\b|\beveryone\s+does\b"
)


def _strip_spans(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        start, end = max(start, 0), min(end, len(text))
        if end > start:
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _strip(pattern: regex.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def judge_community(
    text: str,
    contacts_present: bool,
    obfuscated: bool,
    marketplace_hint: bool | Callable[[], bool] = False,
    contact_spans: tuple[tuple[int, int], ...] = (),
) -> Judgement:
    """Classify a normalised, de-obfuscated community message.

    ``marketplace_hint`` may be a function: it is then called only when the message's own
    words leave the question open (the engine's check costs a big pattern search).
    """
    body = text
    if ">" in text:
        # Quoted lines are someone else's words, unless the member's own reply endorses them.
        own = _QUOTED_LINE.sub(lambda m: " " * len(m.group()), text)
        endorsed = _ENDORSES_QUOTE.search(own) and not WARNING.search(own)
        # "heres how i handle new buyers:" then "> greet them / > ask budget": bullets, not quotes.
        bullets = _BULLETS.search(text) is not None
        endorsed = endorsed or bullets
        body = _QUOTE_MARK.sub(lambda m: " " * len(m.group()), text) if endorsed else own
    has_code = "`" in text and bool(_CODE_SPAN.search(body))
    if has_code:
        body = _strip(_CODE_SPAN, body)
    body = body.replace("_", " ")  # "samdesigns_gmail.zip": underscores separate words here
    if "the word" in body:
        body = _strip(_META_MENTION, body)
    if MIXED_TOKENS.search(body):
        # "1" may stand for "i" or "l": judge both readings and keep the stronger verdict.
        reading_i = deleet(body, "i")
        judgement = _judge(reading_i, contacts_present, obfuscated, marketplace_hint, has_code, contact_spans)
        if judgement.label == "encourages" or "1" not in body:
            return judgement
        reading_l = deleet(body, "l")
        # The second reading matters only if it spells a channel the first did not ("te1egram").
        if reading_l == reading_i or _LEXICON_WORDS.isdisjoint(
            set(words_of(reading_l)) - set(words_of(reading_i))
        ):
            return judgement
        other = _judge(reading_l, contacts_present, obfuscated, marketplace_hint, has_code, contact_spans)
        return max((judgement, other), key=lambda j: (_STRENGTH[j.label], j.score))
    return _judge(body, contacts_present, obfuscated, marketplace_hint, has_code, contact_spans)


_STRENGTH = {"none": 0, "asks": 1, "encourages": 2}
_BULLETS = regex.compile(r":\s*\n[ \t]*>")
_OWN_CONTACT = regex.compile(r"\b(?:your|my|ur)\s+(?:\w+\s+)?$")
_LEXICON_WORDS = frozenset(word for phrase in CHANNEL_PHRASES for word in regex.findall(r"[a-z0-9]+", phrase))


def _judge(
    body: str,
    contacts_present: bool,
    obfuscated: bool,
    marketplace_hint: bool | Callable[[], bool],
    has_code: bool,
    contact_spans: tuple[tuple[int, int], ...] = (),
) -> Judgement:
    probe = _Probe(body)
    channel_any = _G_CHANNEL
    if not (
        contacts_present
        or probe.has(channel_any)
        or probe.has(_G["OFF_PLATFORM"])
        or probe.has(_G["EVASION"])
        or probe.has(_G["_DISMISSAL"])
    ) and ("?" not in body or not probe.has(_G["PERMISSION"])):
        return Judgement("none", None, (), "", 0.0)
    obfuscated = obfuscated or probe.has(_G["EUPHEMISM"])
    marketplace = (
        probe.has(_G["MARKETPLACE"])
        or probe.has(_G["BOAST"])
        or probe.has(_G["EVASION"])
        or (marketplace_hint() if callable(marketplace_hint) else marketplace_hint)
    )
    not_marketplace = probe.has(_G["NOT_MARKETPLACE"])
    reported = probe.has(_G["REPORTED"])
    platform_mail = probe.has(_G["PLATFORM_MAIL"])
    withdrawal = probe.has(_G["WITHDRAWAL"])
    service = probe.has(_G["SERVICE"])
    dismissal = probe.search(_G["_DISMISSAL"])

    cues: list[Cue] = []
    encourage = 0.0
    asked = False
    message_advice = False
    asks_about_it = False
    message_imperative = False
    advised_channel = False
    open_channels: list[tuple[int, int]] = []
    family: str | None = None
    quoted = (
        [m.span() for m in _QUOTED_SEGMENT.finditer(body)]
        if ("'" in body or '"' in body or "“" in body)
        else []
    )
    clause_spans_list = _clauses(body)
    for index, (start, end) in enumerate(clause_spans_list):
        clause = body[start:end]
        previous_start = clause_spans_list[index - 1][0] if index else start
        channel = (
            probe.search(channel_any, start, end)
            or probe.search(_G["OFF_PLATFORM"], start, end)
            # A contact detail itself ("t.me/yourname") is a channel too.
            or (
                next(((c0, c1) for c0, c1 in contact_spans if start <= c0 < end), None)
                if contact_spans
                else None
            )
        )
        evasion = probe.search(_G["EVASION"], start, end)
        question = _is_question(clause, body[end : end + 3]) and not (
            quoted and any(q0 <= start < q1 for q0, q1 in quoted)
        )
        boast = probe.has(_G["BOAST"], start, end)
        imperative = _is_imperative(clause)
        if question:
            # "weekend plans?" next to unrelated advice is not a rules question.
            around = previous_start  # the question and the clause before it ("..., can I reply?")
            asked = asked or bool(
                channel
                or _INVERTED_QUESTION.search(clause)
                or probe.has(channel_any, around, end)
                or probe.has(_G["OFF_PLATFORM"], around, end)
                or probe.has(_G["PERMISSION"], around, end)
                or probe.has(_G["MARKETPLACE"], around, end)
                or probe.has(_G["ASK_MARKERS"], around, end)
                or probe.has(_G["WARNING"], around, end)
            )
            asks_about_it = asks_about_it or bool(_ASKS_ABOUT_IT.search(clause))
            if channel and family is None:
                family = _family_of_channel(body[channel[0] : channel[1]])
            continue
        advice = imperative or probe.has(_G["ADVICE"], start, end) or probe.has(_G["HABIT"], start, end)
        message_imperative = message_imperative or imperative
        # Advice that stays on the platform ("just send them a custom offer") backs nothing off it.
        stays_on = probe.has(_G["ON_PLATFORM"], start, end) and not probe.has(_G["OFF_PLATFORM"], start, end)
        if (
            (advice or boast)
            and not stays_on
            and (boast or not NEGATION.search(_strip(BOAST, clause) if boast else clause))
        ):
            message_advice = True
        if boast:
            encourage += 1.0
            cues.append(Cue("boast", start, end, "intent.boast-never-banned"))
        if channel and any(q0 <= channel[0] < q1 for q0, q1 in quoted):
            # Someone else's words in quotes ("'kindly share your whatsapp' messages I get") count
            # only when the member's own words around them give the advice.
            outside = _strip_spans(body, quoted)
            if not (
                any(_is_imperative(outside[s0:e0]) for s0, e0 in clause_spans_list)
                or ADVICE.search(outside)
                or HABIT.search(outside)
            ):
                channel = None
        if not channel and not evasion:
            continue
        anchor = (channel[0] if channel else evasion[0]) - start  # type: ignore[index]
        negated = _negated_before(clause, anchor)
        if channel and family is None:
            family = _family_of_channel(body[channel[0] : channel[1]])
        if evasion and not negated:
            encourage += 2.0
            cues.append(Cue("evasion", *evasion, "intent.filter-evasion"))
        if not channel:
            continue
        hidden = probe.search(_G["HIDDEN_IN"], start, end)
        if hidden and not negated:
            encourage += 1.5
            cues.append(Cue("evasion", *hidden, "intent.hidden-contact"))
        if negated:
            encourage -= 1.0
            continue
        off_platform = probe.has(_G["OFF_PLATFORM"], start, end)
        # "use the Fiverr call", "let's keep it here": the clause stays on the platform, unless
        # it opens with the platform as its topic ("on Upwork, ...") or hands over the member's
        # own contact ("drop your telegram handle in the order chat").
        own_contact = _OWN_CONTACT.search(body[max(start, channel[0] - 20) : channel[0]])
        platform_place = probe.search(_G["ON_PLATFORM"], start + 4, end)
        on_platform = (
            platform_place is not None
            and not own_contact
            and not probe.has(_G["EVASION"])
            # "keep it here", "schedule one through Fiverr": an act on the platform, not a
            # mention of it ("ring the employer before the award on Freelancer").
            and _ON_PLATFORM_ACT.search(body[max(start, platform_place[0] - 30) : platform_place[0]])
            is not None
        )
        if on_platform and not off_platform and not imperative:
            continue
        if (
            off_platform
            or probe.has(_G_FAMILIES["messaging"], start, end)
            or probe.has(_G_FAMILIES["payments"], start, end)
        ):
            open_channels.append(channel)
        if advice:
            advised_channel = True
            encourage += 1.5 if imperative else 1.0
            cues.append(Cue("directive", *channel, "intent.offplatform-advice"))
    if open_channels and message_advice and not advised_channel and encourage >= 0:
        # "My rule: first order on Fiverr. Everything after that goes direct."
        encourage += 1.0
        cues.append(Cue("directive", *open_channels[0], "intent.offplatform-advice"))
    if (
        obfuscated
        and (contacts_present or open_channels or advised_channel)
        and (message_advice or encourage > 0)
    ):
        encourage += 1.5
        cues.append(Cue("evasion", 0, 0, "intent.obfuscated-contact"))
    if dismissal:
        encourage += 2.0
        cues.append(Cue("dismissal", *dismissal, "intent.rule-dismissal"))

    # Context that pulls back toward "none".
    penalty = 0.0
    if not_marketplace:
        penalty += 2.0
    if not marketplace and not obfuscated and not probe.has(_G["OFF_PLATFORM"]):
        penalty += 1.5
    # Boasts ("never got banned") and tricks ("without getting caught") use warning words;
    # they must not count as warnings.
    if probe.has(_G["WARNING"]) or probe.has(_G["_PROHIBITION"]):
        calm = body
        for name, pattern in (("BOAST", BOAST), ("EVASION", EVASION), ("_DISMISSAL", _DISMISSAL)):
            # Nothing to blank when the probe found no match in the (still unchanged) body.
            if calm is not body or probe.has(_G[name]):
                calm = _strip(pattern, calm)
        if calm is body:  # the probe already knows what the whole patterns would find
            warning, prohibition = probe.has(_G["WARNING"]), probe.has(_G["_PROHIBITION"])
        else:
            warning, prohibition = bool(WARNING.search(calm)), bool(_PROHIBITION.search(calm))
        if encourage < 3.0 and warning:
            penalty += 1.5
        if prohibition:
            penalty += 2.0
    if reported:
        penalty += 4.0
    if quoted and probe.has(_G["CLIENT_SAID"]):
        penalty += 3.0
    if not message_imperative and probe.has(_G["HEARSAY"]):
        penalty += 3.0
    if platform_mail or withdrawal:
        penalty += 2.0
    if asks_about_it and not any(cue.kind == "evasion" for cue in cues):
        penalty += 2.0
    if service and not probe.has(_G["CLIENT_CONTACT"]):
        penalty += 1.5
    score = encourage - penalty
    if score >= 1.0:
        return Judgement("encourages", family, tuple(cues), "advice to move off-platform", score)
    if (
        not asked
        or not_marketplace
        or platform_mail
        or withdrawal
        or service
        or reported
        or has_code
        or probe.has(_G["_MOD_CONTEXT"])
    ):
        return Judgement("none", family, tuple(cues), "", score)
    topical = (
        probe.has(channel_any)
        or probe.has(_G["OFF_PLATFORM"])
        or (marketplace and probe.has(_G["PERMISSION"]))
    )
    first_question = body.find("?")
    answered = first_question >= 0 and _ANSWER.search(body, first_question) is not None
    if topical and (marketplace or probe.has(_G["ASK_MARKERS"])) and not answered:
        cues.append(Cue("question", 0, 0, "intent.question"))
        return Judgement("asks", family, tuple(cues), "a question about the rules", 1.0)
    return Judgement("none", family, tuple(cues), "", score)


class _Probe:
    """One message's text and word set. Each gated pattern is run once over the whole text;
    clause-level questions are then answered from the cached match spans."""

    __slots__ = ("_cache", "_chosen", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = words_of(text)
        self._cache: dict[GatedPattern, list[tuple[int, int]]] = {}
        self._chosen: list[Pending] | None = None  # each pattern's candidate alternatives

    def _run(self, pattern: GatedPattern) -> list[tuple[int, int]]:
        if self._chosen is None:
            self._chosen = _GROUP.choose(self.words, self.text)
        pending = self._chosen[_GROUP.slots[pattern]]
        # Most patterns have no candidate in a given message.
        spans = self._cache[pattern] = spans_of(pending, self.text, self.words) if pending else []
        return spans

    def search(self, pattern: GatedPattern, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """The first match that starts inside [start, end)."""
        spans = self._cache.get(pattern)
        if spans is None:
            spans = self._run(pattern)
        if not spans:
            return None
        index = bisect_left(spans, (start, -1)) if start else 0  # no span sorts before (0, -1)
        if index < len(spans) and spans[index][0] < (len(self.text) if end is None else end):
            return spans[index]
        return None

    def has(self, pattern: GatedPattern, start: int = 0, end: int | None = None) -> bool:
        spans = self._cache.get(pattern)
        if spans is None:
            spans = self._run(pattern)
        if not spans:
            return False  # the usual answer, without the search below
        if not start and end is None:
            return spans[0][0] < len(self.text)  # ``search`` over the whole text
        return self.search(pattern, start, end) is not None


# Moderators' posts: rules, pinned notes. They explain; they neither ask nor advise.
_MOD_CONTEXT = _rx(
    r"\bcan\s+you\s+pin\b|\bpin\s+the\b|📌|\bmod\s+(?:here|note|team)\b|\bfrom\s+the\s+mods?\b|\bpinned\b|\brule\s*#\s*\d"
)
# The client's own contact details as the thing being collected: "your buyers' emails".
CLIENT_CONTACT = _rx(
    r"\b(?:their|buyers?'?s?|clients?'?s?|customers?'?s?)\s+(?:e-?mails?|numbers?|whatsapps?|phones?|contacts?|socials?|"
    r"contact\s+(?:details|info))\b"
)
# What a client said, in quotes, is theirs; the member may still ask what to do about it.
CLIENT_SAID = _rx(r"\b(?:client|buyer|customer|employer)\s+(?:just\s+)?(?:said|says|asked|wrote|told\s+me)\b")
# A question followed by its own answer is a moderator or a warning, not a member asking.
_ANSWER = _rx(
    r"(?:^|[.!?]\s+)(?:no\b[.,!]|nope\b|not\s+worth|never\b|do\s+not\b|don'?t\b(?!\s+(?:wanna|want))|stop\b|avoid\b)|"
    r"\bprohibit\w*|\blocking\s+this|\bdon'?t\s+(?:move|take|share|give|send)\s+(?:them|it|your)\b"
)


# Gated twins of the patterns the judge runs on every message (see rules/gate.py).
_G: dict[str, GatedPattern] = {
    name: GatedPattern(globals()[name].pattern, _FLAGS)
    for name in (
        "OFF_PLATFORM",
        "EVASION",
        "_DISMISSAL",
        "PERMISSION",
        "EUPHEMISM",
        "MARKETPLACE",
        "BOAST",
        "NOT_MARKETPLACE",
        "REPORTED",
        "PLATFORM_MAIL",
        "WITHDRAWAL",
        "SERVICE",
        "ADVICE",
        "HABIT",
        "HIDDEN_IN",
        "ON_PLATFORM",
        "WARNING",
        "_PROHIBITION",
        "HEARSAY",
        "ASK_MARKERS",
        "_MOD_CONTEXT",
        "CLIENT_CONTACT",
        "CLIENT_SAID",
    )
}
_G_CHANNEL = GatedPattern(CHANNEL_ANY.pattern, _FLAGS)
_G_FAMILIES = {family: GatedPattern(pattern.pattern, _FLAGS) for family, pattern in CHANNEL_FAMILIES.items()}
# Every pattern above the judge asks about, for the probe's one pass choosing their alternatives.
_GROUP = GateGroup([*_G.values(), _G_CHANNEL, _G_FAMILIES["messaging"], _G_FAMILIES["payments"]])
