"""The Telegram stand-in: Bot API answers and limits, in-process and over HTTP."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from telegram_stub import EntityParseError, StubServer, StubSession, TelegramStub, parse_html

USER = 1001
TOKEN = "42:TEST"


class GetNothing(TelegramMethod[bool]):
    """A method Telegram does not have."""

    __returning__ = bool
    __api_method__ = "getNothing"


@asynccontextmanager
async def stub_bot(stub: TelegramStub) -> AsyncIterator[Bot]:
    async with Bot(
        token=TOKEN, session=StubSession(stub), default=DefaultBotProperties(parse_mode="HTML")
    ) as bot:
        yield bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=f"Кнопка {i}", callback_data=d)] for i, d in enumerate(data)
        ]
    )


async def wait_until(condition: Callable[[], Any], within: float = 5.0) -> None:
    """Wait for the bot, running in its own tasks, to have done something."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 - the condition is the stub's state, not an event
            await asyncio.sleep(0.01)


# --- HTML parse mode -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>x</b> &lt;y&gt; &quot;&amp;", 'x <y> "&', [{"type": "bold", "offset": 0, "length": 1}]),
        ("😀<i>я</i>", "😀я", [{"type": "italic", "offset": 2, "length": 1}]),
        ("<i>a</    >", "a", [{"type": "italic", "offset": 0, "length": 1}]),
        ('<a href="https://e.com/?a=1&b=2">l</a>', "l",
         [{"type": "text_link", "offset": 0, "length": 1, "url": "https://e.com/?a=1&b=2"}]),
        ('<pre><code class="language-py">x</code></pre>', "x",
         [{"type": "pre", "offset": 0, "length": 1, "language": "py"}]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st",
         [{"type": "spoiler", "offset": 0, "length": 1}, {"type": "spoiler", "offset": 1, "length": 1}]),
        ("<blockquote expandable>q</blockquote>", "q",
         [{"type": "expandable_blockquote", "offset": 0, "length": 1}]),
        ("<b><i>bi</i></b>", "bi",
         [{"type": "bold", "offset": 0, "length": 2}, {"type": "italic", "offset": 0, "length": 2}]),
        ("<b></b>x", "x", []),
    ],
)  # fmt: skip
def test_parse_html(source: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(source) == (text, entities)


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<x>", 'Unsupported start tag "x" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            "<i aba>x</i>",
            'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 0',
        ),
        ("AT&T", 'Character "&" must be escaped as "&amp;" at byte offset 2'),
    ],
)
def test_parse_html_errors(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(source)
    assert str(raised.value) == error


# --- In-process session --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_send_message_answers_like_telegram() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "/start")  # message_id 1 in the chat
    async with stub_bot(stub) as bot:
        first = await bot.send_message(USER, "Привет, <b>мир</b> &amp; все", reply_markup=keyboard("a", "b"))
        second = await bot.send_message(USER, "Ещё")

    assert isinstance(first, Message)
    assert (first.message_id, second.message_id) == (2, 3)
    assert first.text == "Привет, мир & все"
    assert first.entities is not None and first.entities[0].type == "bold"
    assert first.from_user is not None and first.from_user.id == stub.bot_id and first.from_user.is_bot
    assert first.chat.id == USER and first.chat.type == "private"
    assert first.reply_markup is not None and first.reply_markup.inline_keyboard[1][0].callback_data == "b"

    method, params = stub.requests[0]
    assert method == "sendMessage"
    assert params["chat_id"] == USER
    assert params["parse_mode"] == "HTML"  # from DefaultBotProperties
    assert params["reply_markup"]["inline_keyboard"][0][0] == {"text": "Кнопка 0", "callback_data": "a"}

    sent = stub.last_message(USER)
    assert sent is not None and sent.message_id == 3
    recorded = stub.messages[(USER, 2)]
    assert recorded.plain_text == "Привет, мир & все"
    assert recorded.button_texts == ["Кнопка 0", "Кнопка 1"]
    assert stub.keyboard_of(recorded) == [[{"text": "Кнопка 0", "callback_data": "a"}],
                                          [{"text": "Кнопка 1", "callback_data": "b"}]]  # fmt: skip
    assert stub.violations == []


@pytest.mark.asyncio
async def test_reply_keyboard_is_recorded_but_not_echoed() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Да"), KeyboardButton(text="Нет")]])
    async with stub_bot(stub) as bot:
        message = await bot.send_message(USER, "Выбор?", reply_markup=markup)
    assert message.reply_markup is None
    sent = stub.last_message(USER)
    assert sent is not None and sent.button_texts == ["Да", "Нет"]


@pytest.mark.asyncio
async def test_unsupported_tag_is_refused_and_recorded() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        with pytest.raises(TelegramBadRequest) as raised:
            await bot.send_message(USER, "Скоро <x> дней")
    assert (
        raised.value.message
        == 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 11'
    )
    assert stub.violations == [
        'sendMessage: Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 11'
    ]
    assert stub.outbox == []


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        await bot.send_message(USER, "ok", reply_markup=keyboard("я" * 32))  # 64 bytes
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(USER, "too long", reply_markup=keyboard("я" * 32 + "a"))  # 65 bytes
    assert len(stub.outbox) == 1
    assert stub.violations == ["sendMessage: Bad Request: BUTTON_DATA_INVALID"]


@pytest.mark.asyncio
async def test_keyboard_is_limited_to_100_buttons() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        await bot.send_message(USER, "100", reply_markup=keyboard(*(str(i) for i in range(100))))
        with pytest.raises(TelegramBadRequest, match="reply markup is too long"):
            await bot.send_message(USER, "101", reply_markup=keyboard(*(str(i) for i in range(101))))


@pytest.mark.asyncio
async def test_inline_buttons_need_exactly_one_action() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        no_action = InlineKeyboardButton(text="no action")
        with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
            await bot.send_message(
                USER, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[no_action]])
            )
        two_actions = InlineKeyboardButton(text="two", url="https://e.com", callback_data="x")
        with pytest.raises(TelegramBadRequest, match="Exactly one of the optional fields"):
            await bot.send_message(
                USER, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[two_actions]])
            )


@pytest.mark.asyncio
async def test_text_length_counts_visible_characters() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        with pytest.raises(TelegramBadRequest) as raised:
            await bot.send_message(USER, "x" * 4097)
        assert raised.value.message == "Bad Request: message is too long"
        message = await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>")
        assert message.text == "x" * 4096
        with pytest.raises(TelegramBadRequest, match="message text is empty"):
            await bot.send_message(USER, "")
        with pytest.raises(TelegramBadRequest, match="text must be non-empty"):
            await bot.send_message(USER, "<b> </b>\n")


@pytest.mark.asyncio
async def test_unknown_chat_is_not_found() -> None:
    stub = TelegramStub()
    async with stub_bot(stub) as bot:
        with pytest.raises(TelegramBadRequest) as raised:
            await bot.send_message(777, "hello")
    assert raised.value.message == "Bad Request: chat not found"
    assert stub.violations == []  # a state error, not a limit violation


@pytest.mark.asyncio
async def test_edits() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        sent = await bot.send_message(USER, "Шаг <b>1</b>", reply_markup=keyboard("next"))
        with pytest.raises(TelegramBadRequest) as raised:
            await bot.edit_message_text("Шаг <b>1</b>", chat_id=USER, message_id=sent.message_id,
                                        reply_markup=keyboard("next"))  # fmt: skip
        assert raised.value.message.startswith("Bad Request: message is not modified: specified new message")

        edited = await bot.edit_message_text("Шаг <b>2</b>", chat_id=USER, message_id=sent.message_id,
                                             reply_markup=keyboard("next"))  # fmt: skip
        assert isinstance(edited, Message) and edited.text == "Шаг 2" and edited.edit_date is not None

        # The same text without reply_markup removes the keyboard: that is a modification.
        await bot.edit_message_text("Шаг <b>2</b>", chat_id=USER, message_id=sent.message_id)
        with pytest.raises(TelegramBadRequest, match="message is not modified"):
            await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)

        with pytest.raises(TelegramBadRequest) as raised:
            await bot.edit_message_text("x", chat_id=USER, message_id=999)
        assert raised.value.message == "Bad Request: message to edit not found"
        with pytest.raises(TelegramBadRequest, match="message can't be edited"):
            await bot.edit_message_text("x", chat_id=USER, message_id=1)  # the user's own message
        with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
            await bot.edit_message_text("x" * 4097, chat_id=USER, message_id=sent.message_id)

        assert await bot.delete_message(USER, sent.message_id) is True
        with pytest.raises(TelegramBadRequest, match="message to delete not found"):
            await bot.delete_message(USER, sent.message_id)

    assert [(m.plain_text, m.edited, bool(m.buttons)) for m in stub.outbox] == [
        ("Шаг 1", False, True),
        ("Шаг 2", True, True),
        ("Шаг 2", True, False),
    ]
    assert (USER, sent.message_id) not in stub.messages


@pytest.mark.asyncio
async def test_callback_query_is_answered_once() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        sent = await bot.send_message(USER, "Нажми", reply_markup=keyboard("go"))
        update = stub.callback_update(USER, sent.message_id, "go")
        query = update["callback_query"]
        assert query["message"]["text"] == "Нажми"
        assert query["message"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"

        assert await bot.answer_callback_query(query["id"], text="Готово") is True
        with pytest.raises(TelegramBadRequest) as raised:
            await bot.answer_callback_query(query["id"])
        assert raised.value.message == (
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )

        second = stub.callback_update(USER, sent.message_id, "go")["callback_query"]["id"]
        with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
            await bot.answer_callback_query(second, text="я" * 201)
        assert await bot.answer_callback_query(second, text="я" * 200) is True

    assert [answer.get("text") for answer in stub.callback_answers] == ["Готово", "я" * 200]
    gone = stub.callback_update(USER, 999, "go")["callback_query"]["message"]
    assert gone == {"chat": gone["chat"], "message_id": 999, "date": 0}


@pytest.mark.asyncio
async def test_fail_next_injects_telegram_errors() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    async with stub_bot(stub) as bot:
        with pytest.raises(TelegramRetryAfter) as raised:
            await bot.send_message(USER, "x")
        assert raised.value.retry_after == 7
        await bot.send_message(USER, "x")  # only the next call failed
        stub.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", times=2)
        for _ in range(2):
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(USER, "x")
    assert stub.errors[0] == ("sendMessage", 429, "Too Many Requests: retry after 7")
    assert len(stub.errors) == 3 and len(stub.requests) == 4 and len(stub.outbox) == 1


@pytest.mark.asyncio
async def test_lenient_mode_records_violations_but_sends() -> None:
    stub = TelegramStub(strict=False)
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        message = await bot.send_message(USER, "a <x> b", reply_markup=keyboard("я" * 40))
    assert message.text == "a  b"
    assert stub.violations == [
        'sendMessage: Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 2',
        "sendMessage: Bad Request: BUTTON_DATA_INVALID",
    ]


@pytest.mark.asyncio
async def test_documents_upload_and_download() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with stub_bot(stub) as bot:
        sent = await bot.send_document(USER, BufferedInputFile(b"a;b\n1;2\n", filename="report.csv"),
                                       caption="<i>Отчёт</i>")  # fmt: skip
        assert sent.document is not None and sent.document.file_name == "report.csv"
        assert sent.caption == "Отчёт"
        again = await bot.send_document(USER, sent.document.file_id)  # re-send by file_id
        assert again.document is not None and again.document.file_id == sent.document.file_id
        buffer = io.BytesIO()
        await bot.download(sent.document.file_id, destination=buffer)
        assert buffer.getvalue() == b"a;b\n1;2\n"

        incoming = stub.message_update(USER, "вот", document=("list.txt", b"data"))["message"]["document"]
        buffer = io.BytesIO()
        await bot.download(incoming["file_id"], destination=buffer)
        assert buffer.getvalue() == b"data"

        with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
            await bot.send_document(USER, "nonsense")
        with pytest.raises(TelegramBadRequest, match="message caption is too long"):
            await bot.send_photo(USER, BufferedInputFile(b"\xff\xd8", filename="p.jpg"), caption="x" * 1025)

    assert stub.outbox[0].kind == "document"
    assert stub.outbox[0].document == ("report.csv", b"a;b\n1;2\n")
    assert stub.outbox[0].text == "<i>Отчёт</i>" and stub.outbox[0].plain_text == "Отчёт"


@pytest.mark.asyncio
async def test_commands_and_misc_methods() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi", username="tester")
    async with stub_bot(stub) as bot:
        me = await bot.get_me()
        assert (me.id, me.username, me.first_name) == (4242, "efs_demo_bot", "ЕФС")
        await bot.set_my_commands([BotCommand(command="start", description="Начать")])
        await bot.set_my_commands([BotCommand(command="help", description="Помощь")], language_code="en")
        assert [c.command for c in await bot.get_my_commands()] == ["start"]
        assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["help"]
        assert await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=USER)) == []
        await bot.delete_my_commands()
        assert await bot.get_my_commands() == []
        with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand(command="Старт", description="x")])

        chat = await bot.get_chat(USER)
        assert (chat.id, chat.type, chat.username) == (USER, "private", "tester")
        assert await bot.send_chat_action(USER, "typing") is True
        assert (await bot.send_message("@tester", "by username")).chat.id == USER

    status, body = await stub.handle("noSuchMethod", {})
    assert (status, body) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    status, body = await stub.handle("SENDMESSAGE", {"chat_id": str(USER), "text": "case-insensitive"})
    assert status == 200 and body["result"]["text"] == "case-insensitive"
    assert stub.requests[-1] == ("sendMessage", {"chat_id": USER, "text": "case-insensitive"})


@pytest.mark.asyncio
async def test_updates_for_commands_and_media() -> None:
    stub = TelegramStub()
    command = stub.message_update(USER, "/start@efs_demo_bot deep", username="u", last_name="Ф")["message"]
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 19}]
    assert command["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Тест",
        "last_name": "Ф",
        "username": "u",
    }
    assert command["from"]["language_code"] == "ru"
    assert "entities" not in stub.message_update(USER, "/старт")["message"]
    photo = stub.message_update(USER, "подпись", photo=True)["message"]
    assert photo["caption"] == "подпись" and photo["photo"][-1]["width"] == 800
    sticker = stub.message_update(USER, sticker=True)["message"]
    assert sticker["sticker"]["type"] == "regular"
    assert [command["message_id"], photo["message_id"], sticker["message_id"]] == [1, 3, 4]


@pytest.mark.asyncio
async def test_get_updates_offsets_and_conflicts() -> None:
    stub = TelegramStub()
    first = stub.message_update(USER, "one", push=True)
    second = stub.message_update(USER, "two", push=True)
    async with stub_bot(stub) as bot:
        updates = await bot.get_updates()
        assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
        assert len(await bot.get_updates(limit=1)) == 1
        assert [u.update_id for u in await bot.get_updates(offset=second["update_id"])] == [
            second["update_id"]
        ]
        assert await bot.get_updates(offset=second["update_id"] + 1) == []

        waiting = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.05)
        newer = asyncio.create_task(bot.get_updates(timeout=10))
        with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
            await waiting
        stub.callback_update(USER, 5, "x", push=True)
        (update,) = await asyncio.wait_for(newer, 2)
        assert update.callback_query is not None and update.callback_query.data == "x"

        # Updates of types not asked for are never delivered.
        stub.message_update(USER, "skipped", push=True)
        assert await bot.get_updates(offset=update.update_id + 1, allowed_updates=["callback_query"]) == []


@pytest.mark.asyncio
async def test_updates_pushed_from_another_thread_wake_the_poll() -> None:
    stub = TelegramStub()
    async with stub_bot(stub) as bot:
        polling = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.05)
        await asyncio.to_thread(stub.message_update, USER, "из потока", push=True)
        updates = await asyncio.wait_for(polling, 2)
    assert [u.message.text for u in updates if u.message] == ["из потока"]


@pytest.mark.asyncio
async def test_dispatcher_round_trip() -> None:
    stub = TelegramStub()
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Привет, <b>мир</b>!", reply_markup=keyboard("go"))

    @dp.callback_query(F.data == "go")
    async def go(query: CallbackQuery) -> None:
        await query.answer("Поехали")
        assert isinstance(query.message, Message)
        await query.message.edit_text("Поехали!")

    stub.message_update(USER, "/start", push=True)
    async with stub_bot(stub) as bot:
        polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False,
                                                       polling_timeout=1))  # fmt: skip
        try:
            await wait_until(lambda: stub.last_message(USER) is not None)
            greeting = stub.last_message(USER)
            assert greeting is not None and greeting.plain_text == "Привет, мир!"
            stub.callback_update(USER, greeting.message_id, "go", push=True)
            await wait_until(lambda: (m := stub.last_message(USER)) is not None and m.edited)
        finally:
            await dp.stop_polling()
            await polling

    assert [a["text"] for a in stub.callback_answers] == ["Поехали"]
    assert stub.messages[(USER, greeting.message_id)].plain_text == "Поехали!"
    assert stub.violations == []


# --- Over HTTP -----------------------------------------------------------------------------------


@asynccontextmanager
async def http_bot(stub: TelegramStub) -> AsyncIterator[tuple[StubServer, Bot]]:
    async with StubServer(stub) as server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        async with Bot(token=TOKEN, session=session) as bot:
            yield server, bot


@pytest.mark.asyncio
async def test_http_send_and_upload() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with http_bot(stub) as (server, bot):
        assert server.url.startswith("http://127.0.0.1:")
        me = await bot.get_me()
        assert me.username == "efs_demo_bot"
        message = await bot.send_message(
            USER, "Привет, <b>мир</b>", parse_mode="HTML", reply_markup=keyboard("a")
        )
        assert message.text == "Привет, мир" and message.message_id == 2
        document = await bot.send_document(USER, BufferedInputFile("Данные".encode(), filename="данные.txt"))
        assert document.document is not None and document.document.file_name == "данные.txt"
        with pytest.raises(TelegramBadRequest, match="Unsupported start tag"):
            await bot.send_message(USER, "<x>", parse_mode="HTML")
        buffer = io.BytesIO()
        await bot.download(document.document.file_id, destination=buffer)
        assert buffer.getvalue() == "Данные".encode()

    assert stub.outbox[0].reply_markup == {"inline_keyboard": [[{"text": "Кнопка 0", "callback_data": "a"}]]}
    assert stub.outbox[1].kind == "document"
    assert stub.outbox[1].document == ("данные.txt", "Данные".encode())


@pytest.mark.asyncio
async def test_http_long_polling_wakes_on_push() -> None:
    stub = TelegramStub()
    async with http_bot(stub) as (_, bot):
        polling = asyncio.create_task(bot.get_updates(timeout=10))
        await asyncio.sleep(0.3)
        assert not polling.done()
        loop = asyncio.get_running_loop()
        pushed_at = loop.time()
        stub.message_update(USER, "привет", push=True)
        updates = await asyncio.wait_for(polling, 5)
        assert loop.time() - pushed_at < 2
        assert [u.message.text for u in updates if u.message] == ["привет"]
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []


@pytest.mark.asyncio
async def test_http_raw_requests() -> None:
    stub = TelegramStub()
    stub.message_update(USER, "hi")
    async with StubServer(stub) as server, aiohttp.ClientSession() as client:
        async with client.post(f"{server.url}/bot{TOKEN}/sendMessage",
                               json={"chat_id": USER, "text": "json body"}) as response:  # fmt: skip
            assert response.status == 200
            assert (await response.json())["result"]["text"] == "json body"
        async with client.get(f"{server.url}/bot{TOKEN}/sendMessage",
                              params={"chat_id": str(USER), "text": "query"}) as response:  # fmt: skip
            assert (await response.json())["result"]["text"] == "query"
        async with client.post(f"{server.url}/bot{TOKEN}/getNothing") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }


@pytest.mark.asyncio
async def test_http_errors_map_to_aiogram_exceptions() -> None:
    stub = TelegramStub()
    stub.fail_next("getMe", 429, "Too Many Requests: retry after 3", retry_after=3)
    async with http_bot(stub) as (_, bot):
        with pytest.raises(TelegramRetryAfter) as raised:
            await bot.get_me()
        assert raised.value.retry_after == 3
        with pytest.raises(TelegramNotFound):
            await bot(GetNothing())


def test_server_refuses_non_loopback_hosts() -> None:
    with pytest.raises(ValueError, match="loopback"):
        StubServer(TelegramStub(), host="0.0.0.0")
