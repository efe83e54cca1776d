"""``python -m bot sandbox``: chat with the real dispatcher, handlers and database in a terminal.

The bot's requests go to an in-process stand-in for the Bot API (``telegram_stub``), so no
token and no network are needed. Buttons are pressed by their number.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic import SecretStr

from bot.factory import create_bot, create_dispatcher, open_database
from bot.jobs import send_handoffs
from bot.settings import Settings
from locales import Translations, Translator
from telegram_stub import SentMessage, StubSession, TelegramStub

SANDBOX_DB = "sqlite+aiosqlite:///./data/sandbox.db"
FILES_DIR = Path("data/sandbox-files")


class Sandbox:
    """One pretend user talking to the bot; keeps the numbered buttons on screen."""

    def __init__(self, bot: Bot, dp: Dispatcher, stub: TelegramStub, user_id: int, t: Translator) -> None:
        self.bot, self.dp, self.stub, self.user_id, self.t = bot, dp, stub, user_id, t
        self.buttons: list[tuple[str, dict[str, Any], int]] = []  # (label, button, message_id)
        self.reply_keyboard: list[str] = []
        self.shown = 0
        self.answers_shown = 0

    async def feed(self, update: dict[str, Any]) -> None:
        await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))
        if self.dp["outbox_wakeup"].take():  # what a worker's sender does at once: the hand-offs
            units = self.dp["units"]
            await send_handoffs(self.bot, units.sessionmaker, self.dp["translations"], units.clock)

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line; False means quit."""
        text = line.strip()
        if text in {"/quit", "/exit"}:
            return False
        if text.isdigit() and 1 <= int(text) <= len(self.buttons) + len(self.reply_keyboard):
            await self.press(int(text))
        elif text == ":photo":
            await self.feed(self.stub.message_update(self.user_id, photo=True))
        elif text == ":sticker":
            await self.feed(self.stub.message_update(self.user_id, sticker=True))
        else:
            await self.feed(self.stub.message_update(self.user_id, text.removeprefix("!") or text))
        return True

    async def press(self, number: int) -> None:
        if number <= len(self.buttons):
            _, button, message_id = self.buttons[number - 1]
            if "callback_data" in button:
                await self.feed(self.stub.callback_update(self.user_id, message_id, button["callback_data"]))
            else:
                print(self.t("sandbox-link", url=button.get("url", "")))
        else:
            await self.feed(
                self.stub.message_update(self.user_id, self.reply_keyboard[number - len(self.buttons) - 1])
            )

    def render(self) -> str:
        """What the bot said since the last call, then the buttons one can press."""
        lines: list[str] = []
        for message in self.stub.outbox[self.shown :]:
            if message.chat_id != self.user_id:
                continue
            lines.append(self._render_message(message))
        self.shown = len(self.stub.outbox)
        for answer in self.stub.callback_answers[self.answers_shown :]:
            if answer.get("text"):
                lines.append(f"💬 {answer['text']}")
        self.answers_shown = len(self.stub.callback_answers)
        self._collect_buttons()
        numbered = [f"[{i}] {label}" for i, (label, _, _) in enumerate(self.buttons, 1)]
        offset = len(self.buttons)
        numbered += [f"[{offset + i}] {label}" for i, label in enumerate(self.reply_keyboard, 1)]
        if numbered:
            lines.append("   " + "  ".join(numbered))
        return "\n".join(lines)

    def _render_message(self, message: SentMessage) -> str:
        prefix = "🤖 " + (self.t("sandbox-edited") + " " if message.edited else "")
        body = message.plain_text or ""
        if message.document is not None:
            FILES_DIR.mkdir(parents=True, exist_ok=True)
            name, content = message.document
            path = FILES_DIR / Path(name).name
            path.write_bytes(content)
            body = f"{body}\n📎 {path}"
        return prefix + body.replace("\n", "\n   ")

    def _collect_buttons(self) -> None:
        for message in reversed(self.stub.outbox):
            if message.chat_id != self.user_id:
                continue
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                self.reply_keyboard = [b["text"] for row in markup["keyboard"] for b in row]
                break
            if markup.get("remove_keyboard"):
                self.reply_keyboard = []
                break
        # Only the newest message's buttons are numbered: older ones are usually answered already.
        mine = [m for m in self.stub.messages.values() if m.chat_id == self.user_id]
        newest = max(mine, key=lambda m: m.message_id, default=None)
        rows = (newest.reply_markup or {}).get("inline_keyboard", []) if newest else []
        self.buttons = [(b["text"], b, newest.message_id) for row in rows for b in row] if newest else []


async def run_sandbox(settings: Settings, user_id: int, *, admin: bool, database_url: str | None) -> int:
    admin_ids = (*settings.admin_ids, user_id) if admin else settings.admin_ids
    settings = settings.model_copy(
        update={
            "database_url": database_url or SANDBOX_DB,
            "redis_url": None,  # the sandbox needs no services: conversations stay in its database
            "bot_token": SecretStr("4242:SANDBOX"),
            "admin_ids": admin_ids,
        }
    )
    db = await open_database(settings, demo_catalogue=True)
    translations = Translations()
    t = translations.get(settings.default_locale)
    stub = TelegramStub()
    bot = create_bot(settings, session=StubSession(stub))
    dp = create_dispatcher(settings, db.sessionmaker, translations=translations)
    sandbox = Sandbox(bot, dp, stub, user_id, t)
    print(t("sandbox-banner", database=settings.database_url, user_id=str(user_id)))
    try:
        await dp.emit_startup(bot=bot)
        while True:
            try:
                line = await asyncio.to_thread(input, "> ")
            except EOFError:
                break
            if not line.strip():
                continue
            if not await sandbox.handle_line(line):
                break
            output = sandbox.render()
            if output:
                print(output)
    finally:
        await dp.emit_shutdown(bot=bot)
        await bot.session.close()
        await db.close()
    return 0
