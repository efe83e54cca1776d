"""The terminal sandbox: typed lines and numbered buttons drive the real dispatcher."""

from __future__ import annotations

from pydantic import SecretStr

from bot.factory import Database, create_bot, create_dispatcher
from bot.sandbox import Sandbox
from bot.settings import Settings
from locales import Translations
from telegram_stub import StubSession, TelegramStub


async def test_sandbox_conversation(
    settings: Settings, database: Database, translations: Translations
) -> None:
    stub = TelegramStub()
    settings = settings.model_copy(update={"bot_token": SecretStr("4242:SANDBOX")})
    bot = create_bot(settings, session=StubSession(stub))
    dp = create_dispatcher(settings, database.sessionmaker, translations=translations)
    sandbox = Sandbox(bot, dp, stub, 1001, translations.get("ru"))
    try:
        assert await sandbox.handle_line("/start")
        screen = sandbox.render()
        assert "Согласие" in screen and "[1] Согласен" in screen
        await sandbox.handle_line("1")
        assert "Как вас зовут" in sandbox.render()
        await sandbox.handle_line(":photo")
        assert "нужен ответ текстом" in sandbox.render()
        await sandbox.handle_line("Иванова Мария")
        screen = sandbox.render()
        assert "[1] Учитель" in screen
        await sandbox.handle_line("1")
        screen = sandbox.render()
        assert "✓ Учитель" in screen and "Выберите регион" in screen
        await sandbox.handle_line("99")  # no such button: sent as text
        assert "кнопкой" in sandbox.render()
        assert not await sandbox.handle_line("/quit")
    finally:
        await bot.session.close()
    assert stub.violations == []
