"""The real process on MAX only: `python -m bot run` with MAX_TOKEN (no BOT_TOKEN) against the local
MAX stand-in over HTTP - the whole onboarding, the whole self-diagnosis with its chart uploaded to
MAX, then SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from max_stub import MaxMessage, MaxStub, MaxStubServer
from storage.frameworks import Frameworks

USER = 8008
QUESTIONS = len(Frameworks().get("efs-2026").statements_for(manager=False))
ROOT = Path(__file__).resolve().parents[1]


async def wait_for(stub: MaxStub, predicate: Callable[[MaxMessage], bool], within: float = 30) -> MaxMessage:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        for message in reversed(stub.outbox):
            if predicate(message):
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out; last messages: {[m.plain_text[:50] for m in stub.outbox[-3:]]}")


def payload(message: MaxMessage, label: str) -> str:
    return next(b["payload"] for row in message.keyboard for b in row if label in b["text"])


async def test_run_with_only_max_token_onboards_and_completes_a_diagnosis(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    stub = MaxStub()
    async with MaxStubServer(stub) as server:
        env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
        env |= {
            "MAX_TOKEN": "max-process-token",
            "MAX_API_URL": server.url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
            "LOG_LEVEL": "INFO",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:

            async def say(text: str, expect: str) -> MaxMessage:
                seen = len(stub.outbox)
                stub.message(USER, text)
                return await wait_for(stub, lambda m: expect in m.plain_text and stub.outbox.index(m) >= seen)

            async def press(message: MaxMessage, label: str, expect: str) -> MaxMessage:
                seen = len(stub.outbox)
                stub.press(USER, message.mid, payload(message, label))
                return await wait_for(stub, lambda m: expect in m.plain_text and stub.outbox.index(m) >= seen)

            seen = len(stub.outbox)
            stub.start(USER)  # «Начать»: MAX's bot_started
            consent = await wait_for(stub, lambda m: "Согласие" in m.plain_text and m.keyboard != [])
            assert seen == 0
            await press(consent, "Согласен", "Как вас зовут")
            position = await say("Смирнова Елена Викторовна", "Ваша должность")
            region = await press(position, "Учитель", "Выберите регион")
            await press(region, "Костромская", "Выберите муниципалитет")
            found = await say("Вохом", "найден")
            school = await press(found, "Вохомский", "Выберите образовательную организацию")
            subjects = await press(school, "Лапшинская", "Какие предметы")
            stub.press(USER, subjects.mid, payload(subjects, "Биология"))
            await wait_for(stub, lambda m: m.edited and "✅ Биология" in m.button_texts)
            await press(stub.messages[subjects.mid], "Готово", "Дата рождения")
            await say("01.09.1999", "В каком году")
            category = await say("2025", "Квалификационная категория")
            done = await press(category, "Без категории", "Профиль заполнен")
            assert "Лапшинская" in done.plain_text
            menu = await wait_for(stub, lambda m: "🧭 Самодиагностика" in m.button_texts)
            assert {b["type"] for row in menu.keyboard for b in row} == {"message"}

            intro = await say("🧭 Самодиагностика", "утверждени")
            question = await press(intro, "Начать", f"1 из {QUESTIONS}")
            for number in range(2, QUESTIONS + 1):  # every statement, «3.» each time
                question = await press(question, "3.", f"{number} из {QUESTIONS}")
            stub.press(USER, question.mid, payload(question, "3."))
            await wait_for(stub, lambda m: "Самодиагностика завершена" in m.plain_text)
            chart = await wait_for(stub, lambda m: m.kind == "photo")  # the chart, uploaded to MAX
            assert chart.document is not None and chart.document[1].startswith(b"\x89PNG")
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode()
        assert b"stopped" in output
    with sqlite3.connect(db) as conn:
        user = conn.execute("SELECT messenger, telegram_id, full_name FROM users").fetchall()
        answers = conn.execute("SELECT count(*) FROM diagnosis_answers").fetchone()
    assert user == [("max", USER, "Смирнова Елена Викторовна")]
    assert answers == (QUESTIONS,)
    assert {("GET", "/me"), ("GET", "/updates"), ("POST", "/messages"), ("PUT", "/messages")} <= set(
        stub.requests
    )
    assert stub.violations == []


async def test_run_with_both_tokens_serves_telegram_and_max_in_one_process(tmp_path: Path) -> None:
    from telegram_stub import StubServer, TelegramStub

    db = tmp_path / "bot.db"
    telegram, max_stub = TelegramStub(), MaxStub()
    async with StubServer(telegram) as tg_server, MaxStubServer(max_stub) as max_server:
        env = {
            **os.environ,
            "BOT_TOKEN": "42:BOTH",
            "TELEGRAM_API_URL": tg_server.url,
            "MAX_TOKEN": "max-both-token",
            "MAX_API_URL": max_server.url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            telegram.message_update(USER, "/start", push=True)
            max_stub.start(USER)  # the same number on MAX: someone else
            await wait_for(max_stub, lambda m: "Согласие" in m.plain_text)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 30
            while not any("Согласие" in m.plain_text for m in telegram.outbox if m.chat_id == USER):
                assert loop.time() < deadline, "Telegram's person got no answer"
                await asyncio.sleep(0.05)
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode()
        assert b"stopped" in output
    assert max_stub.violations == [] and telegram.violations == []


async def test_a_wrong_max_token_stops_the_start_with_an_error(tmp_path: Path) -> None:
    stub = MaxStub()
    async with MaxStubServer(stub) as server:
        env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
        env |= {
            "MAX_TOKEN": "x",
            "MAX_API_URL": server.url + "/nowhere",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'b.db'}",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1, output.decode()
    assert b"polling failed" in output and b"stopped" in output
