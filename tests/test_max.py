"""MAX: what MAX is sent (HTML subset, length, keyboards), the session's calls and errors against the
stand-in, the deep link of ``bot_started``, one person per messenger account, and the senders
routing each person to their own messenger."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramUnauthorizedError
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from sqlalchemy import select

from bot.broadcast import BroadcastSender
from bot.factory import create_max_bot
from bot.max.api import FILE_ID_LENGTH, MaxApi, MaxApiError, file_address, file_id
from bot.max.bot import MaxBot
from bot.max.render import MAX_TEXT_LENGTH, KeyboardTooBig, keyboard, plain, split_text, to_max_html
from bot.max.session import ChatPace
from bot.max.updates import to_update
from domain.audience import Pacer
from handlers.reminders import argument
from locales import Translations
from max_stub import MaxStub, MaxStubServer
from services.reminders import Mention
from services.reminders.handoff import _dump_arg, _load_arg
from storage.broadcasts import create_broadcast
from storage.fsm import MAX_BOT_ID
from storage.models import BroadcastDelivery, Program, User
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard
from tests.max_chat import MaxChat

ON_MAX = pytest.mark.parametrize("messenger", ["max"], indirect=True)

# --- rendering ----------------------------------------------------------------------------------


def test_html_keeps_max_tags_and_drops_the_others_with_their_text_kept() -> None:
    text = '<b>Итог</b> <i>и</i> <a href="https://x.ru">ссылка</a> <code>1</code>'
    assert to_max_html(text) == text
    assert to_max_html("<blockquote>цитата</blockquote> <tg-spoiler>тайна</tg-spoiler>") == "цитата тайна"
    assert to_max_html("<strike>было</strike>") == "<s>было</s>"
    assert to_max_html("1 &lt; 2 &amp; 3") == "1 &lt; 2 &amp; 3"  # entities stay escaped
    # Telegram's chat link opens nothing on MAX: the name stays, the link goes.
    assert to_max_html('Наставник: <a href="tg://user?id=5">Петрова Анна</a>') == "Наставник: Петрова Анна"


def test_long_text_is_split_at_paragraphs_within_the_limit_and_nothing_is_lost() -> None:
    paragraphs = [f"<b>Абзац {n}</b>\n" + "слово " * 150 for n in range(40)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_text(text)
    assert len(parts) > 1 and all(len(part) <= MAX_TEXT_LENGTH for part in parts)
    assert all(part.startswith("<b>Абзац") for part in parts)  # each part begins with a paragraph
    assert "\n\n".join(parts) == text
    assert split_text("коротко") == ["коротко"]


def test_a_paragraph_longer_than_the_limit_is_cut_between_words_and_tags_are_never_cut() -> None:
    text = "<b>" + "длинное " * 1200 + "</b>"
    parts = split_text(text)
    assert all(len(part) <= MAX_TEXT_LENGTH for part in parts)
    assert all(part.count("<") == part.count(">") for part in parts)
    assert " ".join(plain(part) for part in parts).split() == plain(text).split()


def test_inline_keyboard_becomes_callback_and_link_buttons_in_rows_of_seven() -> None:
    row = [InlineKeyboardButton(text=f"{n}", callback_data=f"d:{n}") for n in range(8)]
    link = [InlineKeyboardButton(text="Сайт", url="https://iro.example.ru")]
    attachment = keyboard(InlineKeyboardMarkup(inline_keyboard=[row, link]))
    assert attachment is not None and attachment["type"] == "inline_keyboard"
    rows = attachment["payload"]["buttons"]
    assert [len(r) for r in rows] == [7, 1, 1]
    assert rows[0][0] == {"type": "callback", "text": "0", "payload": "d:0"}
    assert rows[2][0] == {"type": "link", "text": "Сайт", "url": "https://iro.example.ru"}


def test_reply_keyboard_becomes_message_buttons_and_removal_none() -> None:
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="👤 Профиль"), KeyboardButton(text="❓ Помощь")]]
    )
    attachment = keyboard(markup)
    assert attachment is not None
    assert attachment["payload"]["buttons"] == [
        [{"type": "message", "text": "👤 Профиль"}, {"type": "message", "text": "❓ Помощь"}]
    ]
    assert keyboard(ReplyKeyboardRemove()) is None and keyboard(None) is None


def test_a_keyboard_beyond_max_shapes_is_refused() -> None:
    def rows(count: int) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="x")] for _ in range(count)]
        )

    assert keyboard(rows(30)) is not None
    # More than 30 rows are laid out wider (the last kept as it is); more than 210 buttons cannot be.
    wide = keyboard(rows(61))
    assert wide is not None and len(wide["payload"]["buttons"]) <= 30
    assert (
        sum(len(row) for row in wide["payload"]["buttons"]) == 61 and len(wide["payload"]["buttons"][-1]) == 1
    )
    with pytest.raises(KeyboardTooBig):
        keyboard(rows(211))
    with pytest.raises(KeyboardTooBig):
        keyboard(
            InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="я" * 129, callback_data="x")]])
        )


# --- the stand-in and the session ---------------------------------------------------------------


async def test_stand_in_answers_errors_in_max_format_and_records_what_it_refused() -> None:
    stub = MaxStub()
    async with MaxStubServer(stub) as server:
        api = MaxApi("token", server.url)
        try:
            with pytest.raises(MaxApiError) as refused:
                await api.call("POST", "/messages", params={"user_id": 1}, body={"text": "x" * 4001})
            assert (refused.value.status, refused.value.code) == (400, "proto.payload")
            with pytest.raises(MaxApiError) as bad_tag:
                await api.call(
                    "POST", "/messages", params={"user_id": 1},
                    body={"text": "<blockquote>x</blockquote>", "format": "html"},
                )  # fmt: skip
            assert "blockquote" in bad_tag.value.message
            with pytest.raises(MaxApiError) as missing:
                await api.call("PUT", "/messages", params={"message_id": "mid.none"}, body={"text": "x"})
            assert (missing.value.status, missing.value.code) == (404, "not.found")
        finally:
            await api.close()
    assert len(stub.violations) == 2
    stub.violations.clear()


@ON_MAX
async def test_a_long_message_arrives_in_parts_with_the_keyboard_on_the_last(app: App) -> None:
    assert app.max_bot is not None and app.max_stub is not None
    text = "\n\n".join(f"Абзац {n}. " + "текст " * 200 for n in range(12))
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Дальше", callback_data="n")]])
    await app.max_bot.send_message(4242, text, reply_markup=markup)
    parts = app.max_stub.sent_to(4242)
    assert len(parts) >= 3
    assert [bool(p.keyboard) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert " ".join(p.plain_text for p in parts).split() == text.split()


@ON_MAX
async def test_blocked_is_forbidden_and_a_vanished_message_is_harmless(app: App) -> None:
    assert app.max_bot is not None and app.max_stub is not None
    app.max_stub.blocked.add(5151)
    with pytest.raises(TelegramForbiddenError):
        await app.max_bot.send_message(5151, "привет")
    sent = await app.max_bot.send_message(5252, "привет")
    await app.max_bot.delete_message(5252, sent.message_id)
    assert await app.max_bot.edit_message_text("снова", chat_id=5252, message_id=sent.message_id) is True
    assert await app.max_bot.edit_message_text("x", chat_id=5252, message_id=10**9) is True


@ON_MAX
async def test_a_document_goes_through_the_upload_and_waits_until_it_is_ready(app: App) -> None:
    assert app.max_bot is not None and app.max_stub is not None
    app.max_stub.not_ready = 2  # MAX is still processing the file twice
    await app.max_bot.send_document(
        6161, BufferedInputFile(b"PK\x03\x04data", filename="iom.docx"), caption="ИОМ"
    )
    [message] = app.max_stub.sent_to(6161)
    assert message.kind == "document" and message.plain_text == "ИОМ"
    assert list(app.max_stub.uploads.values()) == [("iom.docx", b"PK\x03\x04data")]


# --- conversations on MAX ------------------------------------------------------------------------


@ON_MAX
async def test_bot_started_with_a_deep_link_payload_is_a_start_with_an_invite(app: App) -> None:
    chat = app.chat()
    assert isinstance(chat, MaxChat)
    await chat.start("not-a-valid-code")
    chat.expect("Ссылка-приглашение недействительна", "Согласие")
    await chat.start()
    chat.expect("Согласие")
    assert "недействительна" not in chat.text


@ON_MAX
async def test_the_same_number_on_telegram_and_max_is_two_people(app: App) -> None:
    await onboard(app.chat(1001))  # on MAX
    app.messenger = "telegram"
    telegram = app.chat(2002)
    app.chats[1001] = telegram.__class__(app, 1001)  # the Telegram account numbered 1001
    await app.chats[1001].send("/start")
    app.chats[1001].expect("Согласие")  # a stranger to the bot, not the MAX teacher
    async with app.database.sessionmaker() as session:
        people = (await session.execute(select(User.messenger, User.telegram_id))).all()
    assert people == [("max", 1001)]


async def test_a_broadcast_reaches_a_telegram_and_a_max_teacher_once_each(app: App) -> None:
    assert app.max_stub is not None
    async with app.database.sessionmaker() as session:
        for messenger in ("telegram", "max"):  # the same number on both: two people
            session.add(
                User(
                    messenger=messenger, telegram_id=3003, locale="ru", role="teacher",
                    consent_at=app.clock.now, profile_completed_at=app.clock.now, subjects=[],
                    region_code="kostroma",
                )
            )  # fmt: skip
        await session.flush()
        await create_broadcast(
            session, created_by=None, region_code="kostroma", text="<b>Семинар</b> в пятницу", audience={}
        )
        await session.commit()
    app.stub.message_update(3003, "/start")  # the Telegram stand-in delivers to those who wrote
    sender = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await sender.run_once():
            break
    on_telegram = [m for m in app.stub.outbox if m.chat_id == 3003 and "Семинар" in m.plain_text]
    on_max = [m for m in app.max_stub.sent_to(3003) if "Семинар" in m.plain_text]
    assert len(on_telegram) == 1 and len(on_max) == 1
    assert on_max[0].text == "<b>Семинар</b> в пятницу" and on_max[0].format == "html"
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert sorted(statuses) == ["sent", "sent"]


async def test_without_a_max_bot_a_max_teacher_is_failed_not_sent_elsewhere(app: App) -> None:
    async with app.database.sessionmaker() as session:
        session.add(
            User(
                messenger="max", telegram_id=3004, locale="ru", role="teacher", consent_at=app.clock.now,
                profile_completed_at=app.clock.now, subjects=[], region_code="kostroma",
            )
        )  # fmt: skip
        await create_broadcast(session, created_by=None, region_code="kostroma", text="Семинар", audience={})
        await session.commit()
    app.stub.message_update(3004, "/start")
    sender = BroadcastSender(
        app.bot, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await sender.run_once():
            break
    assert not [m for m in app.stub.outbox if m.chat_id == 3004]  # not the Telegram 3004
    async with app.database.sessionmaker() as session:
        [delivery] = list(await session.scalars(select(BroadcastDelivery)))
    assert delivery.status == "failed" and "no max bot" in (delivery.error or "")


async def test_a_teacher_links_telegram_and_max_with_a_code_and_both_see_one_profile(app: App) -> None:
    telegram = app.chat(1001)
    await onboard(telegram)
    await telegram.press("👤 Профиль")
    await telegram.press("Связать с другим мессенджером")
    telegram.expect("Код для связи аккаунтов", "в MAX", "/link")
    code = telegram.text.split("/link ")[1].split()[0]

    app.messenger = "max"
    on_max = app.chat(2002)  # a MAX account the bot does not know
    await on_max.send(f"/link {code}")
    on_max.expect("Аккаунты связаны", "Иванова Мария Петровна")
    assert "👤 Профиль" in on_max.reply_keyboard()
    await on_max.press("👤 Профиль")
    on_max.expect("Иванова Мария Петровна", "Сусанинская СОШ")

    stranger = app.chat(3003)
    await stranger.send(f"/link {code}")  # the code worked once
    stranger.expect("Код не подошёл")
    async with app.database.sessionmaker() as session:
        people = (await session.execute(select(User.messenger, User.telegram_id))).all()
    assert people == [("telegram", 1001)]  # one person, two accounts


@ON_MAX
async def test_an_invite_made_on_max_is_a_max_start_link_and_grants_the_role_through_bot_started(
    app: App,
) -> None:
    admin = app.chat(ADMIN_ID)  # MAX_ADMIN_IDS names the admin on MAX
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Пригласить методиста")
    link = next(word for word in admin.text.split() if word.startswith("https://"))
    assert link.startswith("https://max.ru/efs_bot?start=inv_")
    newcomer = app.chat(3001)
    assert isinstance(newcomer, MaxChat)
    await newcomer.start(link.split("start=")[1])  # «Начать» from the link: bot_started's payload
    await newcomer.press("Согласен")
    newcomer.expect("Приглашение принято", "методист")
    async with app.database.sessionmaker() as session:
        role = await session.scalar(
            select(User.role).where(User.messenger == "max", User.telegram_id == 3001)
        )
    assert role == "methodist"


@ON_MAX
async def test_an_admin_imports_a_catalogue_by_sending_the_file_on_max(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    assert isinstance(admin, MaxChat)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Импорт каталогов")
    await admin.press("программы ДПП")
    admin.expect("Пришлите файл CSV или XLSX")
    bad = "external_id;title;provider;hours;format;areas\nx1;Курс;КОИРО;много;очно;Методические\n"
    await admin.send_document("programs.csv", bad.encode("utf-8"))
    admin.expect("Строка 2")
    good = "external_id;title;provider;hours;format;areas\nx1;Курс <b>;КОИРО;36;очно;Методические\n"
    await admin.send_document("programs.csv", good.encode("utf-8"))
    async with app.database.sessionmaker() as session:
        program = await session.scalar(select(Program))
    assert program is not None and program.title == "Курс <b>" and program.hours == 36


def test_a_person_on_max_is_named_without_a_telegram_link_and_the_mention_survives_the_outbox(
    translations: Translations,
) -> None:
    t = translations.get("ru")
    on_max = Mention(1001, "Петрова Анна", "+7 900", messenger="max")
    assert str(argument(on_max, t)) == "Петрова Анна\n+7 900"  # tg://user?id=1001 is someone else
    on_telegram = Mention(1001, "Петрова Анна")
    assert 'href="tg://user?id=1001"' in str(argument(on_telegram, t))
    assert _load_arg(_dump_arg(on_max)) == on_max  # as a queued hand-off keeps it
    assert _load_arg({"mention": 5, "name": "Анна"}) == Mention(5, "Анна")  # queued before: Telegram


async def test_the_same_number_on_both_messengers_keeps_two_conversations_and_forgets_one(app: App) -> None:
    telegram = app.chat(4004)
    await telegram.send("/start")
    await telegram.press("Согласен")
    telegram.expect("Как вас зовут")  # Telegram's 4004 is asked the name
    app.messenger = "max"
    app.chats.pop(4004)
    on_max = app.chat(4004)
    await on_max.send("/start")
    on_max.expect("Согласие")  # MAX's 4004 is a stranger at the consent, not at the name
    await on_max.send("Смирнова Елена")
    on_max.expect("кнопк")  # at the consent a typed text is not an answer
    await telegram.send("Иванова Мария")
    telegram.expect("Ваша должность")  # Telegram's conversation went on where it was
    await on_max.press("Согласен")
    await on_max.send("Смирнова Елена")
    await on_max.send("/forget")
    await on_max.press("Да")
    async with app.database.sessionmaker() as session:
        people = (await session.execute(select(User.messenger, User.full_name))).all()
    assert people == [("telegram", "Иванова Мария")]
    # Telegram's conversation is kept, MAX's is gone (in the database: fsm:max:…; in Redis the
    # MAX bot's id, 1, leads the key).
    keys = [key for key in await app.fsm_keys() if not key.endswith(":lock")]
    assert keys and not [key for key in keys if key.startswith("fsm:max:") or f":{MAX_BOT_ID}:4004:" in key]
    assert all(":4004:" in key for key in keys)


async def test_a_photo_broadcast_made_on_telegram_reaches_a_max_teacher_as_an_image(app: App) -> None:
    assert app.max_stub is not None
    app.messenger = "max"
    await onboard(app.chat(1001))  # a teacher on MAX
    app.messenger = "telegram"
    admin = app.chat(ADMIN_ID, first_name="Админ")  # the admin on Telegram
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send_photo()
    await admin.press("Без кнопки")
    await admin.press("Готово")
    await admin.press("Отправить сейчас")
    sender = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await sender.run_once():
            break
    [image] = [m for m in app.max_stub.sent_to(1001) if m.kind == "photo"]
    photos = [f.content for f in app.stub._files.values() if f.kind == "photo"]  # what the admin sent
    assert image.document is not None and image.document[1] in photos  # Telegram's photo, uploaded to MAX
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert statuses == ["sent", "sent"]  # the MAX teacher's, and the admin's own on Telegram


@ON_MAX
async def test_editing_the_buttons_or_text_of_a_file_message_keeps_the_file(app: App) -> None:
    assert app.max_bot is not None and app.max_stub is not None
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Иду", callback_data="go")]])
    sent = await app.max_bot.send_document(
        7171, BufferedInputFile(b"%PDF", filename="program.pdf"), caption="Программа", reply_markup=markup
    )
    await app.max_bot.edit_message_reply_markup(chat_id=7171, message_id=sent.message_id, reply_markup=None)
    [current] = [m for m in app.max_stub.messages.values() if m.user_id == 7171]
    assert current.kind == "document" and current.keyboard == []
    # After a restart the bot knows the message only from the update about it: still kept.
    fresh = create_max_bot(app.settings, app.max_bot.max_session.max_api)
    update = to_update(app.max_stub.press(7171, current.mid, "go"), fresh.max_session.ids, fresh)
    assert update is not None and update.callback_query is not None and update.callback_query.message
    await fresh.edit_message_text(
        "Программа (обновлена)", chat_id=7171, message_id=update.callback_query.message.message_id
    )
    [current] = [m for m in app.max_stub.messages.values() if m.user_id == 7171]
    assert current.kind == "document" and current.plain_text == "Программа (обновлена)"


async def test_the_chat_pace_lets_two_a_second_through_and_holds_the_third() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pace = ChatPace(monotonic=lambda: now[0], sleep=sleep)
    for _ in range(5):  # sent at 0, 0, 1, 1, 2
        await pace.wait(1)
        pace.sent(1)
    await pace.wait(2)  # another chat does not wait for this one
    assert slept == [1.0, 1.0] and now[0] == 2.0


async def test_a_burst_to_one_chat_is_paced_within_max_limit_and_nothing_is_refused() -> None:
    stub = MaxStub(per_chat_limit=2)
    async with MaxStubServer(stub) as server:
        bot = MaxBot(MaxApi("token", server.url))  # MAX's own pace: two a second a chat
        try:
            for n in range(4):
                await bot.send_message(8181, f"сообщение {n}")
        finally:
            await bot.session.close()
    assert [m.plain_text for m in stub.sent_to(8181)] == [f"сообщение {n}" for n in range(4)]
    assert stub.refused_for_rate == 0


# --- issue 16, accounts/ids: broadcast media made on MAX ---------------------------------------------


async def broadcast_from_max(app: App, attach: str) -> None:
    """Two teachers on Telegram; the admin on MAX makes a broadcast with a photo or a document
    and sends it; the sender delivers it."""
    assert app.max_stub is not None
    for number in (1001, 1002):
        await onboard(app.chat(number))  # on Telegram
    app.messenger = "max"
    admin = app.chat(ADMIN_ID, first_name="Админ")  # MAX_ADMIN_IDS names the admin on MAX
    assert isinstance(admin, MaxChat)
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    if attach == "photo":
        await admin.send_photo()
    else:
        await admin.send_document("программа.pdf", b"%PDF-1.4 programme", caption="Программа семинара")
    await admin.press("Без кнопки")
    await admin.press("Готово")
    await admin.press("Отправить сейчас")
    sender = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await sender.run_once():
            break


@pytest.mark.parametrize("attach", ["photo", "document"])
async def test_broadcast_media_made_on_max_reaches_telegram_teachers_uploaded_once(
    app: App, attach: str
) -> None:
    """MAX names the admin's file by its download address: the MAX bot fetches it and Telegram
    gets it uploaded, once — the second teacher's send names Telegram's file id."""
    await broadcast_from_max(app, attach)
    content = b"\xff\xd8\xff\xd9" if attach == "photo" else b"%PDF-1.4 programme"
    got = [m for m in app.stub.outbox if m.chat_id in (1001, 1002) and m.kind == attach]
    assert sorted(m.chat_id for m in got) == [1001, 1002]
    assert all(m.document is not None and m.document[1] == content for m in got)  # the admin's file
    if attach == "document":
        assert all(m.document is not None and m.document[0] == "программа.pdf" for m in got)
        assert all("Программа семинара" in m.plain_text for m in got)
    uploads = [f for f in app.stub._files.values() if f.kind == attach and f.content == content]
    assert len(uploads) == 1  # one upload for every teacher
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert statuses.count("sent") == len(statuses) == 3  # two on Telegram, the admin's own on MAX


def test_a_max_file_id_keeps_the_name_within_what_is_stored() -> None:
    url = "https://files.max.example/d/abc?sig=1"
    assert file_address(file_id(url, "программа #2.pdf")) == (url, "программа #2.pdf")
    assert file_address(file_id(url)) == (url, None)
    long = file_id(url, "очень длинное имя " * 30 + ".docx")
    assert len(long) == FILE_ID_LENGTH and long.endswith(".docx") and file_address(long)[0] == url
    assert file_id("https://x/" + "a" * 295, "name.pdf") == "https://x/" + "a" * 295  # no room: no name


async def test_a_refused_token_is_unauthorized_not_a_bad_request() -> None:
    """MAX answers 401 to a token it does not accept: aiogram's «Unauthorized», as Telegram's
    401 is, not a request to fix (400)."""
    stub = MaxStub()
    async with MaxStubServer(stub) as server:
        bot = MaxBot(MaxApi("", server.url))  # no token at all: the stand-in refuses with 401
        try:
            with pytest.raises(TelegramUnauthorizedError, match=r"verify\.token"):
                await bot.me()
            with pytest.raises(TelegramUnauthorizedError):
                await bot.send_message(1, "Здравствуйте")
        finally:
            await bot.session.close()


async def test_a_photo_broadcast_made_on_telegram_is_uploaded_to_max_once_and_again_if_refused(
    app: App,
) -> None:
    """Four MAX teachers: the MAX bot fetches Telegram's photo and uploads it once, the token goes
    to each; a token MAX no longer accepts gets one fresh upload, which the next ones reuse."""
    assert app.max_stub is not None and app.max_bot is not None
    app.messenger = "max"
    for number in (1001, 1002, 1003, 1004):
        await onboard(app.chat(number))
    app.messenger = "telegram"
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send_photo()
    await admin.press("Без кнопки")
    await admin.press("Готово")
    await admin.press("Отправить сейчас")
    sender = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000), chunk=2
    )
    await sender.run_once()  # the first two teachers (and the admin's own on Telegram)
    await sender.settle()
    photo = next(f.content for f in app.stub._files.values() if f.kind == "photo")
    assert [content for _name, content in app.max_stub.uploads.values()] == [photo]
    app.max_stub.uploads.clear()  # MAX forgets the upload: its token is refused from now on
    for _ in range(5):
        if not await sender.run_once():
            break
    teachers = (1001, 1002, 1003, 1004)
    images = [m for number in teachers for m in app.max_stub.sent_to(number) if m.kind == "photo"]
    assert len(images) == 4 and all(m.document is not None and m.document[1] == photo for m in images)
    assert len(app.max_stub.uploads) == 1  # one fresh upload for the rest
    refused = app.max_stub.violations  # the sends that named the forgotten token
    assert refused and set(refused) == {"attachment token unknown"}
    refused.clear()
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert sorted(statuses) == ["sent"] * 5
