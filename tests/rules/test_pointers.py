"""Directions to a contact detail (rules/pointers.py) and handles standing alone in a draft."""

from __future__ import annotations

import pytest

from rules import Engine
from rules.normalize import deobfuscate, normalize
from rules.pointers import find_pointers


def _pointer_rules(text: str) -> list[str]:
    return [pointer.rule_id for pointer in find_pointers(deobfuscate(normalize(text)).text)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("my number is on the cover page of the portfolio pdf, call me", "contact.pointer-in-file"),
        ("I'll put my website in the delivery file so you can book me later", "contact.pointer-in-file"),
        ("there's a note in the zip with my personal email, use that", "contact.pointer-in-file"),
        ("Same username on Telegram, text me there", "contact.pointer-same-name"),
        ("my Skype is the same as my Fiverr name", "contact.pointer-same-name"),
        ("you'll find me on LinkedIn under the same name", "contact.pointer-same-name"),
        ("search 'Gull Point Audio' on Instagram and DM us", "contact.pointer-search"),
        ("just google 'Marrow Lane Studio', the contact form is on the first page", "contact.pointer-search"),
        ("scan the QR in my profile photo, it opens my WhatsApp", "contact.pointer-qr"),
        ("the link in my insta bio goes to my booking page", "contact.pointer-profile"),
        ("ping me on the green app instead, Facebook name Mira Okoye Prints", "contact.pointer-profile-name"),
        ("you can see my email in the final frame of the teaser, write there", "contact.pointer-in-file"),
        ("my number is the one in the document properties of the quote", "contact.pointer-in-file"),
        ("look at my second gig's description for my discord", "contact.pointer-in-file"),
        ("our studio's website is in the filename of the mockup", "contact.pointer-in-file"),
        ("Viber works, same number as the one on my resume", "contact.pointer-same-name"),
        ("Facebook, same name as here, send a request", "contact.pointer-same-name"),
        ("the handle I use everywhere is 'copperkite', any app", "contact.pointer-same-name"),
        (
            "faster on the blue app with the plane icon. Username is identical to this one",
            "contact.pointer-same-name",
        ),
        ("I'm 'Nadia R. Sound' on SoundCloud, the message button works", "contact.pointer-search"),
        ("bin auf Xing als 'Lena Kraus Grafik', schreib mir dort", "contact.pointer-search"),
        ("sa Messenger na lang po tayo, hanapin niyo 'Ana Tutor Iloilo'", "contact.pointer-search"),
        ('my whatsapp is under "Oak Lane Interiors", search it', "contact.pointer-search"),
        ("my handle is the same as here, but on the green app", "contact.pointer-same-name"),
        ("same name on every platform, you'll find me", "contact.pointer-same-name"),
        ("write to me at my Fiverr username at gmail", "contact.pointer-same-name"),
        ("búscame, el mismo usuario pero en Telegram", "contact.pointer-same-name"),
        ("scan the barcode in the gig image, it opens my WhatsApp", "contact.pointer-qr"),
        ("voice notes on Telegram, username in my cover photo", "contact.pointer-in-file"),
        ("text me at the number at the end of my showreel video", "contact.pointer-in-file"),
        ("the channel is mine, the business email is in the About tab", "contact.pointer-in-file"),
        ("vcard attached, import it to your phone", "contact.pointer-in-file"),
        ("easier on twitter? I'm the only 'dana_motion' there", "contact.pointer-search"),
    ],
)
def test_pointers_are_found(text: str, rule: str) -> None:
    assert rule in _pointer_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "search 'minimal line logo' on Fiverr to see what buyers like",  # a marketplace, not off it
        "the fonts are in the zip, with a readme on installing them",
        "your phone number is on the flyer's back, as in your brief",
        "same deadline as last time? I can deliver on Friday",
        "I found the reference image on Pinterest, attached to the order",
        "please keep all messages here on the order page",
        "you can see my changes in the final frame of the teaser",
        "same colour as the one in my first draft, just lighter",
        "check the brief's description for my deadline",
        "the number in my invoice is the order id, as always",
        "same name as the file you sent, just with v2 at the end",
    ],
)
def test_lookalikes_are_not_pointers(text: str) -> None:
    assert _pointer_rules(text) == []


def test_a_pointer_makes_a_draft_a_violation_with_a_masked_finding(engine: Engine) -> None:
    verdict = engine.draft("Same username on Telegram, message me there for the full price list.")
    assert verdict.label == "violation"
    pointer = next(f for f in verdict.findings if f.kind == "pointer")
    assert pointer.rule_id == "contact.pointer-same-name"
    assert "telegram" not in pointer.masked.lower()
    assert "contains directions to a contact detail outside the platform" in verdict.explanation


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mi usuario es @dani_motion_mx, ahí te paso precio", True),
        ("DM me on reddit u/lowpolyleo", True),
        ("Wrap it with @app.route('/orders') and @login_required, then restart", False),  # code
        ("Validation now rejects '@gmail.com' on its own", False),  # a domain, not a handle
        ("I'll ask @sarah about the brief and get back to you here", False),  # a plain name
        ("Insta is where I post more: @maple.and.rye.studio", True),  # named network: a handle
        ("The contact form posts to @acme.studio's server now", False),  # no network: a domain
        ("ig / tiktok / yt: everywhere @MiraMakesMaps", True),  # any @name once a network is named
        ("I'll ask @Sarah on the team and get back to you here", False),  # no network named before
    ],
)
def test_bare_handles_in_drafts(engine: Engine, text: str, found: bool) -> None:
    verdict = engine.draft(text)
    assert any(f.rule_id == "contact.bare-handle" for f in verdict.findings) is found


def test_bare_handles_are_not_contacts_in_server_chat(engine: Engine) -> None:
    verdict = engine.community("lol @kai_99 you were right about that buyer")
    assert not any(f.rule_id == "contact.bare-handle" for f in verdict.findings)


def test_a_site_named_as_a_source_is_not_a_contact(engine: Engine) -> None:
    source = engine.draft("The images are from unsplash.com and pexels.com, free for commercial use.")
    assert not any(f.kind == "link" for f in source.findings)
    own = engine.draft("See more of my work at hollowpine.studio before you order.")
    assert [f.rule_id for f in own.findings] == ["contact.link-link"]
    assert own.label == "violation"


@pytest.mark.parametrize(
    "text",
    [
        "Colours inspired by coolors.co, I picked five shades from there.",
        "I want an intro similar to this: youtube.com/watch?v=abc123, just faster cuts.",
        "Like the layout on airbnb.com listings, but with your palette.",
        "The tutorial you sent (youtube.com/watch?v=q1w2e3) covers the transition you want?",
        "Reference for the typography: behance.net/gallery/12345/sample, not mine.",
        "For inspo check dribbble.com/shots/998877-cafe-menu (not mine), that's the mood.",
        "Reference track: open.spotify.com/track/abc123xyz, aim for that snare.",
        "You can preview it at fonts.google.com before we pick one.",
        "Look at github.com/acme/ui-kit issue 41, the same bug shows up in your build.",
    ],
)
def test_sites_given_as_a_reference_are_not_contacts(engine: Engine, text: str) -> None:
    assert not any(f.kind in ("link", "social") for f in engine.draft(text).findings)


def test_a_social_link_of_ones_own_is_still_a_contact(engine: Engine) -> None:
    assert [f.kind for f in engine.draft("my portfolio is at behance.net/samdraws").findings] == ["social"]


def test_the_clients_quoted_footer_is_their_deliverable(engine: Engine) -> None:
    footer = engine.draft('I\'ve added your footer: "Call us: 020 7946 0321". Are the hours right?')
    assert not any(f.kind == "phone" for f in footer.findings)
    own = engine.draft("I've added your footer. Call us: 020 7946 0321 if you want more work.")
    assert any(f.kind == "phone" for f in own.findings)


@pytest.mark.parametrize(
    "text",
    [
        "envoyez-moi un mail à claire.dumont arobase atelierbleu.fr",
        "napisz do mnie: ola.zielinska(małpa)tuszpress.pl",
        "tiktok is where I answer fastest: @beatsbymaya_",
        "weixin: zhangwei_3d_render",
    ],
)
def test_other_languages_and_trailing_underscores(engine: Engine, text: str) -> None:
    assert engine.draft(text).findings[0].kind in ("email", "handle")


@pytest.mark.parametrize(
    "text",
    [
        "Meta description: 'Book a table at Luca's on 555-0144 tonight' (148 characters).",
        "Alt text for the hero image: 'Call Pine Street Vets on 555-0109 for emergencies'",
        "The CV now lists your email (r.mendes@inboxly.example) at the top, as you asked.",
        "The form sends to hello@bright-dental.example, the address you gave in the requirements.",
    ],
)
def test_text_written_for_the_client_is_their_deliverable(engine: Engine, text: str) -> None:
    assert not any(f.kind in ("phone", "email") for f in engine.draft(text).findings)


def test_a_handle_two_finders_see_is_reported_once(engine: Engine) -> None:
    # BARE_HANDLE and the any-@name-after-a-network pattern both match "@maple_rye".
    findings = engine.draft("Insta is where I post more: @maple_rye").findings
    assert [f.rule_id for f in findings] == ["contact.bare-handle"]
