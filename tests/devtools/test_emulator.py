"""The emulator against the real discord.py client: if these pass, discord.py believes it is on Discord."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import io
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands

from devtools.emulator import FakeDiscord
from devtools.emulator.world import pinged_targets
from tests.devtools.conftest import Server, make_bot

EPHEMERAL = 64


async def test_login_ready_and_guild_state(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    emu = server.emu

    assert bot.user is not None
    assert bot.user.id == emu.world.bot.id
    assert bot.application_id == emu.world.application_id
    guild = bot.get_guild(server.guild.id)
    assert guild is not None
    assert guild.name == "Emulator Test"
    assert {c.name for c in guild.text_channels} == {"general", "fiverr-help"}
    assert [t.name for t in guild.threads] == ["a thread"]
    assert guild.chunked, "member_count must match the members sent"
    newbie = guild.get_member(server.newbie.user.id)
    assert newbie is not None
    assert newbie.name == "newbie"
    assert [r.name for r in guild.get_member(server.moderator.user.id).roles] == ["@everyone", "Moderators"]
    assert emu.identify_count == 1
    assert emu.calls_matching("GET", "/users/@me")
    assert emu.calls_matching("GET", "/oauth2/applications/@me")
    await emu.wait_until(lambda: emu.heartbeat_count >= 1, what="first heartbeat")
    identify = next(frame for frame in emu.gateway_log if frame["op"] == 2)
    assert identify["d"]["token"] == "<redacted>"


async def test_channels_and_members_added_at_runtime(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    emu = server.emu
    channel = await emu.create_channel(server.guild, "late-channel")
    thread = await emu.create_channel(server.guild, "late thread", type=11, parent=server.general)
    member = await emu.add_member(server.guild, "latecomer")
    guild = bot.get_guild(server.guild.id)
    await emu.wait_until(lambda: guild.get_member(member.user.id), what="GUILD_MEMBER_ADD")
    assert isinstance(guild.get_channel(channel.id), discord.TextChannel)
    assert guild.get_thread(thread.id).parent_id == server.general.id


async def test_without_members_intent_only_the_bot_member_arrives(server: Server, start_bot: Any) -> None:
    bot = await start_bot(make_bot(members=False))
    guild = bot.get_guild(server.guild.id)
    assert guild is not None
    assert guild.get_member(server.newbie.user.id) is None
    assert guild.me is not None


async def test_command_sync_global_and_guild(server: Server, start_bot: Any) -> None:
    bot = make_bot()

    @bot.tree.command(name="ping", description="Ping.")
    async def ping(interaction: discord.Interaction, loud: bool = False) -> None:
        await interaction.response.send_message("pong")

    await start_bot(bot)
    synced = await bot.tree.sync()
    guild_object = discord.Object(server.guild.id)
    bot.tree.copy_global_to(guild=guild_object)
    synced_guild = await bot.tree.sync(guild=guild_object)

    assert [c.name for c in synced] == ["ping"]
    assert synced[0].id > 0
    assert [c.name for c in synced_guild] == ["ping"]
    put_global = server.emu.calls_matching("PUT", r"/applications/\d+/commands")
    put_guild = server.emu.calls_matching("PUT", rf"/applications/\d+/guilds/{server.guild.id}/commands")
    assert put_global[0].json[0]["options"][0]["name"] == "loud"
    assert len(put_guild) == 1
    assert server.emu.world.commands[None][0]["name"] == "ping"


async def test_message_reply_and_own_message_echo(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    seen: list[discord.Message] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message)
        if message.author.bot:
            return
        await message.reply(f"you said {message.content}", allowed_mentions=discord.AllowedMentions.none())

    await start_bot(bot)
    emu = server.emu
    sent = await emu.post_message(server.general, server.newbie, "hello @everyone <@&1>")
    reply = await emu.wait_for_reply_to(sent)

    assert reply.status == 200
    assert reply.json["content"] == "you said hello @everyone <@&1>"
    assert reply.json["allowed_mentions"] == {"parse": []}
    assert emu.pings_of(reply.response) == set()
    # Discord echoes the bot's own message back over the gateway; the bot sees it as a reply.
    await emu.wait_until(lambda: len(seen) == 2, what="own message echo")
    assert seen[0].author.id == server.newbie.user.id
    assert seen[0].guild is not None
    assert seen[1].author == bot.user
    assert seen[1].reference is not None
    assert seen[1].reference.message_id == int(sent["id"])
    assert emu.bot_messages(server.general)[0]["content"] == "you said hello @everyone <@&1>"


async def test_reply_without_allowed_mentions_would_ping(server: Server, start_bot: Any) -> None:
    bot = make_bot()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            await message.reply(message.content)

    await start_bot(bot)
    sent = await server.emu.post_message(server.general, server.newbie, "@everyone look")
    reply = await server.emu.wait_for_reply_to(sent)
    assert server.emu.pings_of(reply.response) == {"everyone", f"user:{server.newbie.user.id}"}


async def test_no_message_content_intent_blanks_content_unless_mentioned(
    server: Server, start_bot: Any
) -> None:
    bot = make_bot(message_content=False)
    contents: list[str] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        contents.append(message.content)

    await start_bot(bot)
    emu = server.emu
    await emu.post_message(server.general, server.newbie, "secret plan")
    await emu.post_message(server.general, server.newbie, f"{emu.world.bot.mention} hi")
    await emu.wait_until(lambda: len(contents) == 2)
    assert contents == ["", f"<@{emu.world.bot.id}> hi"]


async def test_edit_and_delete_events(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    edits: list[tuple[str, str]] = []
    raw_edits: list[str] = []
    deleted: list[int] = []

    @bot.event
    async def on_message_edit(before: discord.Message, after: discord.Message) -> None:
        edits.append((before.content, after.content))

    @bot.event
    async def on_raw_message_edit(payload: discord.RawMessageUpdateEvent) -> None:
        raw_edits.append(payload.message.content)

    @bot.event
    async def on_raw_message_delete(payload: discord.RawMessageDeleteEvent) -> None:
        deleted.append(payload.message_id)

    await start_bot(bot)
    emu = server.emu
    sent = await emu.post_message(server.general, server.newbie, "first")
    await emu.edit_message(sent, "second")
    await emu.wait_until(lambda: edits)
    assert edits == [("first", "second")]
    assert raw_edits == ["second"]
    await emu.delete_message(sent)
    await emu.wait_until(lambda: deleted)
    assert deleted == [int(sent["id"])]


async def test_fetches(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    emu = server.emu
    first = await emu.post_message(server.general, server.newbie, "one")
    await emu.post_message(server.general, server.newbie, "two")

    channel = await bot.fetch_channel(server.general.id)
    assert isinstance(channel, discord.TextChannel)
    assert channel.name == "general"
    fetched = await channel.fetch_message(int(first["id"]))
    assert fetched.content == "one"
    history = [m.content async for m in channel.history(limit=10)]
    assert history == ["two", "one"]
    guild = await bot.fetch_guild(server.guild.id)
    assert guild.name == "Emulator Test"
    member = await guild.fetch_member(server.newbie.user.id)
    assert member.name == "newbie"
    with pytest.raises(discord.NotFound):
        await channel.fetch_message(12345)


async def test_bot_edits_and_deletes_its_message(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    channel = bot.get_channel(server.general.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("draft", allowed_mentions=discord.AllowedMentions.none())
    edited = await message.edit(content="final")
    assert edited.content == "final"
    assert server.emu.world.messages[message.id]["content"] == "final"
    await message.delete()
    assert message.id not in server.emu.world.messages


async def test_slash_command_ephemeral_followup_and_edit(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    received: list[tuple[str, int, bool]] = []

    @bot.tree.command(name="policy", description="Show a policy.")
    async def policy(interaction: discord.Interaction, topic: str, count: int, public: bool = False) -> None:
        received.append((topic, count, public))
        callback = await interaction.response.send_message(f"policy {topic}", ephemeral=not public)
        assert isinstance(callback, discord.InteractionCallbackResponse)
        await interaction.followup.send("more", ephemeral=True)
        await interaction.edit_original_response(content=f"policy {topic} (edited)")

    await start_bot(bot)
    await bot.tree.sync()
    emu = server.emu
    interaction = await emu.slash_command(
        "policy", channel=server.general, member=server.newbie, options={"topic": "email", "count": "3"}
    )
    callback = await emu.wait_for_interaction_response(interaction)
    assert callback.query == {"with_response": "1"}
    assert callback.status == 200
    assert callback.json["type"] == 4
    assert callback.json["data"]["flags"] == EPHEMERAL
    assert received == [("email", 3, False)]
    followup = await emu.wait_for_call("POST", r"/webhooks/\d+/[^/]+")
    assert followup.json["flags"] == EPHEMERAL
    edit = await emu.wait_for_call("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.status == 200
    original = emu.interactions[int(interaction["id"])].original_message_id
    assert emu.world.messages[original]["content"] == "policy email (edited)"


async def test_deferred_response_then_edit_original(server: Server, start_bot: Any) -> None:
    bot = make_bot()

    @bot.tree.command(name="slow", description="Slow.")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="done")

    await start_bot(bot)
    interaction = await server.emu.slash_command("slow", channel=server.general, member=server.newbie)
    edit = await server.emu.wait_for_call("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    assert edit.status == 200
    assert edit.response["content"] == "done"
    assert edit.response["flags"] & EPHEMERAL
    callback = await server.emu.wait_for_interaction_response(interaction)
    assert callback.json["type"] == 5


async def test_subcommand_and_user_option(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    group = app_commands.Group(name="warnings", description="Warnings.")
    seen: list[tuple[str, int]] = []

    @group.command(name="list", description="List warnings.")
    async def list_warnings(interaction: discord.Interaction, member: discord.Member) -> None:
        seen.append((member.name, member.id))
        await interaction.response.send_message("none", ephemeral=True)

    bot.tree.add_command(group)
    await start_bot(bot)
    await bot.tree.sync()
    interaction = await server.emu.slash_command(
        "warnings list", channel=server.general, member=server.moderator, options={"member": server.newbie}
    )
    await server.emu.wait_for_interaction_response(interaction)
    assert seen == [("newbie", server.newbie.user.id)]


async def test_modal_roundtrip(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    submitted: list[str] = []

    class Draft(discord.ui.Modal, title="Check a draft"):
        text = discord.ui.TextInput(label="Draft", style=discord.TextStyle.paragraph)

        async def on_submit(self, interaction: discord.Interaction) -> None:
            submitted.append(self.text.value)
            await interaction.response.send_message("checked", ephemeral=True)

    @bot.tree.command(name="checkdraft", description="Check.")
    async def checkdraft(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Draft())

    await start_bot(bot)
    emu = server.emu
    opened = await emu.slash_command("checkdraft", channel=server.general, member=server.newbie)
    callback = await emu.wait_for_interaction_response(opened)
    assert callback.json["type"] == 9
    assert emu.modal_for(opened) is not None
    submit = await emu.submit_modal(opened, {"Draft": "my email is a@b.com"})
    answer = await emu.wait_for_interaction_response(submit)
    assert submitted == ["my email is a@b.com"]
    assert answer.json["data"]["flags"] == EPHEMERAL


async def test_message_context_menu(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    targets: list[str] = []

    @bot.tree.context_menu(name="Check for off-platform contact")
    async def check(interaction: discord.Interaction, message: discord.Message) -> None:
        targets.append(message.content)
        await interaction.response.send_message("ok", ephemeral=True)

    await start_bot(bot)
    await bot.tree.sync()
    emu = server.emu
    target = await emu.post_message(server.general, server.newbie, "email me at x@y.z")
    interaction = await emu.message_command(
        "Check for off-platform contact", target=target, channel=server.general, member=server.moderator
    )
    await emu.wait_for_interaction_response(interaction)
    assert targets == ["email me at x@y.z"]


async def test_button_click(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    clicks: list[int] = []

    class Confirm(discord.ui.View):
        @discord.ui.button(label="Confirm", custom_id="confirm")
        async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
            clicks.append(interaction.user.id)
            await interaction.response.edit_message(content="confirmed", view=None)

    await start_bot(bot)
    channel = bot.get_channel(server.general.id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("sure?", view=Confirm())
    emu = server.emu
    interaction = await emu.click_component({"id": str(message.id)}, "confirm", member=server.moderator)
    callback = await emu.wait_for_interaction_response(interaction)
    assert callback.json["type"] == 7
    assert clicks == [server.moderator.user.id]
    assert emu.world.messages[message.id]["content"] == "confirmed"


async def test_timeout_member(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    member = bot.get_guild(server.guild.id).get_member(server.newbie.user.id)
    until = discord.utils.utcnow() + datetime.timedelta(minutes=10)
    await member.timeout(until, reason="off-platform advice")
    call = await server.emu.wait_for_call("PATCH", rf"/guilds/\d+/members/{server.newbie.user.id}")
    assert call.json["communication_disabled_until"] == until.isoformat()
    assert call.headers["X-Audit-Log-Reason"] == "off-platform advice"
    assert server.newbie.communication_disabled_until == until.isoformat()


async def test_direct_messages_and_closed_dms(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    user = await bot.fetch_user(server.newbie.user.id)
    await user.send("heads up", allowed_mentions=discord.AllowedMentions.none())
    assert server.emu.calls_matching("POST", "/users/@me/channels")[0].json == {"recipient_id": user.id}
    dm_message = server.emu.bot_messages()[-1]
    assert dm_message["content"] == "heads up"
    assert "guild_id" not in dm_message

    other = await bot.fetch_user(server.moderator.user.id)
    server.emu.closed_dms.add(other.id)
    with pytest.raises(discord.Forbidden) as caught:
        await other.send("heads up")
    assert caught.value.code == 50007


async def test_rate_limit_is_retried_once(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    emu = server.emu
    emu.fail_next("POST", r"/channels/\d+/messages", 429, retry_after=0.1)
    channel = bot.get_channel(server.general.id)
    await channel.send("after a 429")
    statuses = [call.status for call in emu.calls_matching("POST", r"/channels/\d+/messages")]
    assert statuses == [429, 200]
    assert [m["content"] for m in emu.bot_messages(server.general)] == ["after a 429"]


async def test_a_fault_can_target_replies_to_one_author(server: Server, start_bot: Any) -> None:
    bot = make_bot()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            with contextlib.suppress(discord.Forbidden):
                await message.reply("noted", allowed_mentions=discord.AllowedMentions.none())

    await start_bot(bot)
    emu = server.emu
    emu.fail_next("POST", r"/channels/\d+/messages", 403, when=emu.replying_to(server.moderator))
    from_newbie = await emu.post_message(server.general, server.newbie, "one")
    from_moderator = await emu.post_message(server.general, server.moderator, "two")
    await emu.wait_until(lambda: emu.replies_to(from_moderator, successful=False))
    await emu.wait_for_reply_to(from_newbie)

    assert [call.status for call in emu.replies_to(from_newbie, successful=False)] == [200]
    assert [call.status for call in emu.replies_to(from_moderator, successful=False)] == [403]


async def test_forbidden_and_server_error_faults(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    emu = server.emu
    channel = bot.get_channel(server.general.id)
    emu.fail_next("POST", r"/channels/\d+/messages", 403)
    with pytest.raises(discord.Forbidden):
        await channel.send("nope")
    emu.fail_next("POST", r"/channels/\d+/messages", 500)
    await channel.send("after a 500")  # discord.py retries 5xx after 1 s
    statuses = [call.status for call in emu.calls_matching("POST", r"/channels/\d+/messages")]
    assert statuses == [403, 500, 200]


async def test_gateway_close_4000_resumes_and_replays_missed_events(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    seen: list[str] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            seen.append(message.content)

    await start_bot(bot)
    emu = server.emu
    await emu.post_message(server.general, server.newbie, "before")
    await emu.wait_until(lambda: seen == ["before"])
    await emu.close_gateway(4000)
    await emu.post_message(server.general, server.newbie, "during 1")  # buffered while disconnected
    await emu.post_message(server.general, server.newbie, "during 2")
    await emu.wait_until(lambda: emu.resume_count == 1, what="RESUME")
    await emu.post_message(server.general, server.newbie, "after")
    await emu.wait_until(lambda: len(seen) == 4, what="all four messages")
    await asyncio.sleep(0.2)
    assert seen == ["before", "during 1", "during 2", "after"]
    assert emu.identify_count == 1
    assert emu.gateway_connections == ["/gateway", "/resume-gateway"]


async def test_op7_reconnect_resumes(server: Server, start_bot: Any) -> None:
    await start_bot()
    emu = server.emu
    await emu.send_reconnect()
    await emu.wait_until(lambda: emu.resume_count == 1, what="RESUME after op 7")
    assert emu.identify_count == 1


async def test_op9_invalid_session_identifies_again(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    seen: list[str] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)

    await start_bot(bot)
    emu = server.emu
    await emu.invalidate_session(resumable=False)
    await emu.wait_until(
        lambda: emu.identify_count == 2 and emu.session and emu.session.socket, what="IDENTIFY"
    )
    await emu.post_message(server.general, server.newbie, "still here")
    await emu.wait_until(lambda: seen == ["still here"])
    assert emu.resume_count == 0
    assert emu.gateway_connections == ["/gateway", "/gateway"]


async def test_resume_of_forgotten_session_falls_back_to_identify(server: Server, start_bot: Any) -> None:
    await start_bot()
    emu = server.emu
    await emu.close_gateway(4000, forget_session=True)
    await emu.wait_until(lambda: emu.identify_count == 2, what="IDENTIFY after refused RESUME")
    assert emu.resume_count == 0
    assert any(frame["op"] == 6 for frame in emu.gateway_log), "the bot did try to RESUME first"


async def test_wrong_token_fails_login() -> None:
    async with FakeDiscord(token="right") as emu:
        original = discord.http.Route.BASE
        discord.http.Route.BASE = emu.api_base
        try:
            bot = make_bot()
            with pytest.raises(discord.LoginFailure):
                await bot.login("wrong")
            await bot.close()
        finally:
            discord.http.Route.BASE = original


async def test_privileged_intents_can_be_refused(server: Server, start_bot: Any) -> None:
    server.emu.privileged_intents_enabled = False
    bot = make_bot(message_content=True)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await start_bot(bot)


async def test_acknowledging_an_interaction_twice_is_an_error(server: Server) -> None:
    emu = server.emu
    interaction = await emu.slash_command("anything", channel=server.general, member=server.newbie)
    url = f"{emu.api_base}/interactions/{interaction['id']}/{interaction['token']}/callback"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"type": 4, "data": {"content": "one"}}) as first:
            assert first.status == 204
        async with session.post(url, params={"with_response": "1"}, json={"type": 4, "data": {}}) as second:
            assert second.status == 400
            assert second.headers["Content-Type"] == "application/json"
            assert (await second.json())["code"] == 40060


@pytest.mark.parametrize(
    ("content", "allowed", "reply_to", "expected"),
    [
        ("@everyone hi <@1> <@&2>", None, None, {"everyone", "user:1", "role:2"}),
        ("@everyone hi <@1> <@&2>", {"parse": []}, None, set()),
        ("plain", None, 7, {"user:7"}),
        ("plain", {"parse": []}, 7, set()),
        ("plain", {"parse": [], "replied_user": True}, 7, {"user:7"}),
        ("<@1> <@!3>", {"parse": [], "users": ["3"]}, None, {"user:3"}),
        ("@here <@&2>", {"parse": ["roles"]}, None, {"role:2"}),
    ],
)
def test_pinged_targets(
    content: str, allowed: dict[str, Any] | None, reply_to: int | None, expected: set[str]
) -> None:
    assert pinged_targets(content, allowed, reply_to) == expected


async def test_uploaded_files_get_an_attachment_url_that_serves_them(server: Server, start_bot: Any) -> None:
    bot = await start_bot()
    channel = bot.get_channel(server.general.id)
    assert isinstance(channel, discord.TextChannel)
    content = b"id,reason\n1,'=1+2\n"

    sent = await channel.send("export", file=discord.File(io.BytesIO(content), filename="export.csv"))

    [attachment] = sent.attachments  # discord.py needs url and proxy_url to build it
    assert attachment.filename == "export.csv"
    assert attachment.size == len(content)
    assert attachment.content_type == "text/csv"
    assert attachment.url.startswith(f"http://{server.emu.host}:{server.emu.port}/attachments/")
    assert await attachment.read() == content
    stored = server.emu.world.messages[sent.id]["attachments"]
    assert [a["url"] for a in stored] == [attachment.url]
    elsewhere = attachment.url.replace("export.csv", "other.csv")
    async with aiohttp.ClientSession() as session, session.get(elsewhere) as response:
        assert response.status == 404, "an attachment is only served under its own name"


async def test_role_option_arrives_resolved(server: Server, start_bot: Any) -> None:
    bot = make_bot()
    seen: list[tuple[str, int]] = []

    @bot.tree.command(name="exempt", description="Exempt a role.")
    async def exempt(interaction: discord.Interaction, role: discord.Role) -> None:
        seen.append((role.name, role.id))
        await interaction.response.send_message("ok", ephemeral=True)

    await start_bot(bot)
    await bot.tree.sync()
    interaction = await server.emu.slash_command(
        "exempt", channel=server.general, member=server.moderator, options={"role": server.mod_role}
    )
    await server.emu.wait_for_interaction_response(interaction)
    assert seen == [("Moderators", server.mod_role.id)]
