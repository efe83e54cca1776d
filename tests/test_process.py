"""The real process: `python -m bot run` against the local Bot API stand-in over HTTP.

A hard kill loses nothing the user already confirmed, a restart continues the wizard where the
user was, and SIGTERM stops the bot cleanly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from telegram_stub import SentMessage, StubServer, TelegramStub

USER = 7007
ROOT = Path(__file__).resolve().parents[1]


async def start_bot(url: str, db: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": "42:PROCESS",
        "TELEGRAM_API_URL": url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "LOG_LEVEL": "INFO",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def wait_for(
    stub: TelegramStub, predicate: Callable[[SentMessage], bool], within: float = 30
) -> SentMessage:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        for message in stub.outbox:
            if predicate(message):
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out; last messages: {[m.plain_text[:50] for m in stub.outbox[-3:]]}")


def callback(message: SentMessage, label: str) -> str:
    return next(b["callback_data"] for b in message.buttons if label in b["text"])


async def test_hard_kill_restart_and_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    stub = TelegramStub()
    async with StubServer(stub) as server:
        process = await start_bot(server.url, db)
        try:
            stub.message_update(USER, "/start", push=True)
            consent = await wait_for(stub, lambda m: "Согласие" in m.plain_text)
            stub.callback_update(USER, consent.message_id, callback(consent, "Согласен"), push=True)
            await wait_for(stub, lambda m: "Как вас зовут" in m.plain_text)
            stub.message_update(USER, "Кузнецова Ольга Ивановна", push=True)
            position = await wait_for(stub, lambda m: "Ваша должность" in m.plain_text)
        finally:
            process.kill()  # SIGKILL: no chance to clean up
            await process.wait()

        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT full_name FROM users WHERE telegram_id = ?", (USER,)).fetchone()
        assert row == ("Кузнецова Ольга Ивановна",)

        process = await start_bot(server.url, db)
        try:
            stub.callback_update(USER, position.message_id, callback(position, "Учитель"), push=True)
            await wait_for(stub, lambda m: "Выберите регион" in m.plain_text)
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode()
        assert b"stopped" in output


async def test_run_without_token_explains_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode == 2
    assert "@BotFather" in err.decode() and "python -m bot sandbox" in err.decode()
