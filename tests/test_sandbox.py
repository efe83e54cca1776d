"""The terminal sandbox: typed lines and numbered buttons drive the real dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.factory import Database, create_bot, create_dispatcher
from bot.sandbox import (
    Command,
    Help,
    History,
    Later,
    Media,
    Mistake,
    Number,
    People,
    Quit,
    Sandbox,
    SandboxClock,
    ShowTime,
    SwitchTo,
    Text,
    Wait,
    clock_file,
    parse,
    parse_duration,
)
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


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("", Wait()),
        ("   ", Wait()),
        ("3", Number(3, "3")),
        ("007", Number(7, "007")),
        ("!1", Text("1")),
        ("!:as 3", Text(":as 3")),
        ("!", Text("!")),
        ("Иванова Мария", Text("Иванова Мария")),
        ("/start", Text("/start")),
        (":help", Help()),
        (":HELP", Help()),
        (":quit", Quit()),
        ("/quit", Quit()),
        ("/exit", Quit()),
        (":now", ShowTime()),
        (":who", People()),
        (":history", History()),
        (":photo", Media("photo")),
        (":sticker", Media("sticker")),
        (":as 3001", SwitchTo(3001)),
        (":as   42 ", SwitchTo(42)),
        (":later 1d", Later(timedelta(days=1))),
        (":later 3h", Later(timedelta(hours=3))),
        (":later 30m", Later(timedelta(minutes=30))),
        (":later 1d12h", Later(timedelta(days=1, hours=12))),
        (":later 2д", Later(timedelta(days=2))),
        (":LATER 1D 2H", Later(timedelta(days=1, hours=2))),
    ],
)
def test_a_line_means_a_command(line: str, command: Command) -> None:
    assert parse(line) == command


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (":as", "sandbox-as-usage"),
        (":as Анна", "sandbox-as-usage"),
        (":as -5", "sandbox-as-usage"),
        (":as 0", "sandbox-as-usage"),
        (":later", "sandbox-later-usage"),
        (":later 3", "sandbox-later-usage"),
        (":later 3x", "sandbox-later-usage"),
        (":later 0m", "sandbox-later-usage"),
        (":later d", "sandbox-later-usage"),
        (":later 1d tomorrow", "sandbox-later-usage"),
        (":later 401d", "sandbox-later-too-far"),
        (":help me", "sandbox-no-argument"),
        (":oops", "sandbox-unknown-command"),
        (":", "sandbox-unknown-command"),
    ],
)
def test_a_mistyped_command_is_named_and_explained(line: str, key: str, translations: Translations) -> None:
    mistake = parse(line)
    assert isinstance(mistake, Mistake) and mistake.key == key
    for locale in ("ru", "en"):
        assert translations.get(locale)(mistake.key, **mistake.args)


def test_durations() -> None:
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("1d 1h 1m") == timedelta(days=1, hours=1, minutes=1)
    assert parse_duration("1w") is None
    assert parse_duration("-1d") is None
    assert parse_duration("") is None


async def test_a_message_to_someone_else_waits_in_their_chat(
    settings: Settings, database: Database, translations: Translations
) -> None:
    stub = TelegramStub()
    settings = settings.model_copy(update={"bot_token": SecretStr("4242:SANDBOX")})
    bot = create_bot(settings, session=StubSession(stub))
    dp = create_dispatcher(settings, database.sessionmaker, translations=translations)
    ran: list[str] = []

    async def jobs() -> None:
        ran.append("tick")

    sandbox = Sandbox(bot, dp, stub, 1001, translations.get("ru"), jobs=jobs, known={3001})
    stub.add_user(3001)
    try:
        await sandbox.handle_line("/start")
        assert ran == ["tick"]  # the clock's jobs run after every line
        sandbox.render()
        await bot.send_message(3001, "<b>Запрос на наставничество</b>\nот Ивановой Марии, молодого педагога")
        await bot.send_message(3001, "x" * 100)
        screen = sandbox.render()
        assert "→ 3001: Запрос на наставничество…" in screen
        assert f"→ 3001: {'x' * 70}…" in screen
        assert "Ивановой" not in screen  # only a notice here

        await sandbox.handle_line(":as 3001")
        assert ran == ["tick"]  # switching is not a moment passing
        screen = sandbox.render()
        assert "Теперь вы — пользователь 3001" in screen and "начните с /start" not in screen
        assert "🤖 Запрос на наставничество\n   от Ивановой Марии" in screen
        assert "Ивановой" not in sandbox.render()  # shown once
        await sandbox.handle_line(":history")
        screen = sandbox.render()
        assert "Последние сообщения этого чата (2)" in screen and "от Ивановой Марии" in screen

        await sandbox.handle_line(":as 1001")
        screen = sandbox.render()
        assert "Новых сообщений нет" in screen and "Запрос" not in screen
        assert "[1] Согласен" in screen  # the first person's buttons are back

        await bot.send_message(1001, "Ссылка: https://t.me/efs_demo_bot?start=inv_AbC-1_x")
        assert "/start inv_AbC-1_x" in sandbox.render()  # how to open it here

        await sandbox.handle_line(":as 5005")
        assert "начните с /start" in sandbox.render()
        await sandbox.handle_line(":history")
        assert "пока нет сообщений бота" in sandbox.render()
        await sandbox.handle_line(":who")
        assert "1001 — непрочитанных: 0" in sandbox.render()
    finally:
        await bot.session.close()
    assert stub.violations == []


def test_the_clock_is_kept_beside_a_sqlite_database(tmp_path: Path) -> None:
    real = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    file = clock_file(f"sqlite+aiosqlite:///{tmp_path}/sandbox.db")
    assert file == tmp_path / "sandbox.db.clock"
    clock = SandboxClock(lambda: real, file=file)
    assert clock() == real
    clock.advance(timedelta(days=3))
    clock.advance(timedelta(minutes=30))
    assert clock() == real + timedelta(days=3, minutes=30)
    assert SandboxClock(lambda: real, file=file)() == real + timedelta(days=3, minutes=30)  # a restart
    file.write_text("nonsense")
    assert SandboxClock(lambda: real, file=file)() == real
    assert clock_file("postgresql+asyncpg://u@h/db") is None
    assert clock_file("sqlite+aiosqlite:///:memory:") is None
