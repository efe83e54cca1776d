"""End to end: the real aiogram Bot talks HTTP to a local fake Bot API server through
TELEGRAM_API_URL, and the whole onboarding runs through real long polling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.factory import Database, create_bot, create_dispatcher
from bot.settings import Settings
from telegram_stub import SentMessage, StubServer, TelegramStub
from tests.conftest import Clock

USER = 5005


async def wait_for(
    stub: TelegramStub, predicate: Callable[[SentMessage], bool], within: float = 10
) -> SentMessage:
    deadline = asyncio.get_running_loop().time() + within
    seen = 0
    while asyncio.get_running_loop().time() < deadline:
        for message in stub.outbox[seen:]:
            if predicate(message):
                return message
        seen = 0
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out; the bot said: {[m.plain_text[:60] for m in stub.outbox[-5:]]}")


def button(message: SentMessage, label: str) -> str:
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for b in row:
            if label in b["text"]:
                return b["callback_data"]
    raise AssertionError(f"no button {label!r} in {message.button_texts}")


async def test_onboarding_over_http_with_long_polling(
    settings: Settings, database: Database, clock: Clock
) -> None:
    stub = TelegramStub()
    async with StubServer(stub) as server:
        http_settings = settings.model_copy(update={"telegram_api_url": server.url})
        bot = create_bot(http_settings)
        dp = create_dispatcher(http_settings, database.sessionmaker, clock=clock)
        polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
        try:

            async def say(text: str, expect: str) -> SentMessage:
                stub.message_update(USER, text, push=True)
                return await wait_for(stub, lambda m: expect in m.plain_text and m.chat_id == USER)

            async def press(message: SentMessage, label: str, expect: str) -> SentMessage:
                stub.callback_update(USER, message.message_id, button(message, label), push=True)
                return await wait_for(
                    stub, lambda m: expect in m.plain_text and m.message_id > message.message_id
                )

            consent = await say("/start", "Согласие на обработку")
            await press(consent, "Согласен", "Как вас зовут")
            position = await say("Смирнова Елена Викторовна", "Ваша должность")
            region = await press(position, "Учитель", "Выберите регион")
            municipality = await press(region, "Костромская", "Выберите муниципалитет")
            found = await say("Вохом", "найден")
            school = await press(found, "Вохомский", "Выберите образовательную организацию")
            subjects = await press(school, "Лапшинская", "Какие предметы")
            stub.callback_update(USER, subjects.message_id, button(subjects, "Биология"), push=True)
            await wait_for(stub, lambda m: m.edited and "✅ Биология" in m.button_texts)
            await press(subjects, "Готово", "Дата рождения")
            await say("01.09.1999", "В каком году")
            category = await say("2025", "Квалификационная категория")
            done = await press(category, "Без категории", "Профиль заполнен")
            assert "Лапшинская" in done.plain_text and "Молодой педагог: да" in done.plain_text
            await wait_for(stub, lambda m: "👤 Профиль" in m.button_texts)
            assert municipality.message_id < done.message_id
        finally:
            await dp.stop_polling()
            await asyncio.wait_for(polling, timeout=10)
            await bot.session.close()
    methods = {name for name, _ in stub.requests}
    assert {"getMe", "getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery"} <= methods
    assert stub.violations == []
