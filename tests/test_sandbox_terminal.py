"""The real ``python -m bot sandbox`` process, typed into through a pseudo-terminal (stdlib ``pty``):
its clock runs the jobs (a reminder after ``:later``), and ``:as`` switches people, with what the bot
sends to someone else waiting in their chat."""

from __future__ import annotations

import asyncio
import codecs
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal needs a POSIX system")


class Terminal:
    """A process on a pseudo-terminal: type a line, read what it printed up to its next prompt."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: Path) -> None:
        master, slave = pty.openpty()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd)
        os.close(slave)
        self.master = master
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.pending = ""
        self.transcript = ""

    def expect(self, pattern: str, timeout: float = 30.0) -> str:
        """What was printed up to and including ``pattern`` (a regular expression); consumed."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.pending)
            if found:
                before, self.pending = self.pending[: found.end()], self.pending[found.end() :]
                return before
            left = deadline - time.monotonic()
            if left <= 0 or (self.process.poll() is not None and not self._readable(0)):
                raise AssertionError(f"no {pattern!r} in the terminal; it shows:\n{self.transcript[-3000:]}")
            if self._readable(min(left, 0.5)):
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the process closed the terminal
                    chunk = b""
                text = self.decoder.decode(chunk).replace("\r\n", "\n")
                self.pending += text
                self.transcript += text

    def _readable(self, timeout: float) -> bool:
        return bool(select.select([self.master], [], [], timeout)[0])

    def type(self, line: str, prompt: str) -> str:
        """Type ``line`` and Enter; the screen up to the next ``prompt`` (the typed line echoed first)."""
        os.write(self.master, line.encode() + b"\n")
        return self.expect(re.escape(prompt))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        os.close(self.master)


def onboard(term: Terminal, prompt: str, name: str, birth: str, started: str) -> str:
    """A teacher of Андреевская СОШ (Сусанинский район, Kostroma), teaching Начальные классы."""
    for line in ("/start", "1", name, "1", "1", "Сусанин", "1", "1", "1", "22", birth, started):
        term.type(line, prompt)
    return term.type("1", prompt)  # the category, then the main menu


def test_later_shows_a_reminder_and_as_switches_people(settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ADMIN_IDS": "", "TERM": "dumb"}
    argv = [sys.executable, "-m", "bot", "sandbox", "--database", settings.database_url]
    term = Terminal(argv, env=env, cwd=tmp_path)
    try:
        banner = term.expect(re.escape("1001> "), timeout=120)  # a cold start imports a lot
        assert ":help" in banner

        # The clock: a diagnosis begun and left, then three days later the reminder.
        menu = onboard(term, "1001> ", "Иванова Мария", "14.05.1998", "2024")
        assert "Профиль заполнен" in menu and "[1] 🧭 Самодиагностика" in menu
        term.type("1", "1001> ")
        term.type("1", "1001> ")  # Начать
        assert "2 из 31" in term.type("1", "1001> ")
        quiet = term.type("", "1001> ")  # the jobs run, but nothing is due yet
        assert "Вы начали самодиагностику" not in quiet
        later = term.type(":later 3d", "1001> ")
        assert "⏩ Часы песочницы" in later
        assert "Вы начали самодиагностику и ответили на 1 утверждение" in later
        assert "[1] Продолжить" in later

        # Another person in the same terminal: her own chat, and what she is sent by the first.
        switched = term.type(":as 3001", "3001> ")
        assert "Теперь вы — пользователь 3001" in switched and "/start" in switched
        onboard(term, "3001> ", "Петрова Анна", "01.02.1975", "2000")
        term.type("4", "3001> ")  # Наставничество
        assert "Только Telegram" in term.type("1", "3001> ")  # Готов быть наставником
        term.type("1", "3001> ")

        term.type(":as 1001", "1001> ")
        term.type("/menu", "1001> ")
        offer = term.type("4", "1001> ")
        assert "[1] Попросить: Петрова Анна" in offer
        asked = term.type("1", "1001> ")
        assert "Запрос отправлен: Петрова Анна" in asked
        assert "→ 3001: Запрос на наставничество" in asked  # a one-line notice, not the message

        theirs = term.type(":as 3001", "3001> ")
        assert "🤖 Запрос на наставничество" in theirs and "Иванова Мария" in theirs
        assert "[1] " in theirs  # her buttons to answer it
        assert "Нет такой команды: :oops" in term.type(":oops", "3001> ")

        os.write(term.master, b":quit\n")
        assert term.process.wait(30) == 0
    finally:
        term.close()


def test_the_sandbox_as_max_onboards_and_its_menu_is_message_buttons(
    settings: Settings, tmp_path: Path
) -> None:
    """``--messenger max``: the same conversation through MAX's bot and stand-in; MAX's menu is
    message buttons, numbered like Telegram's reply keyboard, and a diagnosis begins."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ADMIN_IDS": "", "MAX_ADMIN_IDS": "", "TERM": "dumb"}
    argv = [sys.executable, "-m", "bot", "sandbox", "--messenger", "max", "--database", settings.database_url]
    term = Terminal(argv, env=env, cwd=tmp_path)
    try:
        term.expect(re.escape("1001> "), timeout=120)
        menu = onboard(term, "1001> ", "Иванова Мария", "14.05.1998", "2024")
        assert "Профиль заполнен" in menu and "[1] 🧭 Самодиагностика" in menu
        term.type("1", "1001> ")
        assert "1 из 31" in term.type("1", "1001> ")  # Начать
        os.write(term.master, b":quit\n")
        assert term.process.wait(30) == 0
    finally:
        term.close()
    assert asyncio.run(_accounts(settings.database_url)) == [("max", 1001)]


async def _accounts(url: str) -> list[tuple[str, int]]:
    """(messenger, id) of every person in the database at ``url`` (SQLite or PostgreSQL)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT messenger, telegram_id FROM users"))
            return [(row[0], row[1]) for row in rows]
    finally:
        await engine.dispose()
