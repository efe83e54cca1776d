"""The sandbox as MAX (``python -m bot sandbox --messenger max``): the terminal's people talk to
the MaxBot through MAX's stand-in (``max_stub``, over HTTP on the loopback), and the sandbox reads
what MAX would show. ``MaxTerminal`` gives the sandbox the same view of the stand-in it has of
Telegram's (``outbox``, ``messages``, ``callback_answers``, ``message_update``,
``callback_update``) and turns its updates into aiogram's as the poller does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.types import Update

from bot.max.bot import MaxBot
from bot.max.updates import to_update
from max_stub import MaxMessage, MaxStub


@dataclass
class MaxView:
    """A message as the sandbox reads Telegram's stand-in's ``SentMessage``."""

    message: MaxMessage
    message_id: int

    @property
    def chat_id(self) -> int:
        return self.message.user_id

    @property
    def edited(self) -> bool:
        return self.message.edited

    @property
    def plain_text(self) -> str:
        return self.message.plain_text

    @property
    def document(self) -> tuple[str, bytes] | None:
        return self.message.document

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return self.message.buttons

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """MAX's keyboard shaped as Telegram's: message buttons as a reply keyboard, the others
        inline."""
        rows = self.message.keyboard
        if not rows:
            return None
        if all(b["type"] == "message" for row in rows for b in row):
            return {"keyboard": [[{"text": b["text"]} for b in row] for row in rows]}
        return {"inline_keyboard": [[self._inline(b) for b in row] for row in rows]}

    @staticmethod
    def _inline(button: dict[str, Any]) -> dict[str, Any]:
        if button["type"] == "callback":
            return {"text": button["text"], "callback_data": button["payload"]}
        return {"text": button["text"], "url": button.get("url", "")}


class MaxTerminal:
    def __init__(self, stub: MaxStub, bot: MaxBot) -> None:
        self.stub, self.bot = stub, bot

    def _view(self, message: MaxMessage) -> MaxView:
        return MaxView(message, self.bot.max_session.ids.to_int(message.mid))

    @property
    def outbox(self) -> list[MaxView]:
        return [self._view(m) for m in self.stub.outbox]

    @property
    def messages(self) -> dict[str, MaxView]:
        return {mid: self._view(m) for mid, m in self.stub.messages.items()}

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        return [{"text": a.get("notification")} for a in self.stub.answers]

    def message_update(
        self, user_id: int, text: str | None = None, *, photo: bool = False, sticker: bool = False
    ) -> dict[str, Any]:
        if photo:
            return self.stub.message(user_id, text, file=("photo.jpg", b"\xff\xd8\xff\xd9"), image=True)
        return self.stub.message(user_id, None if sticker else text)

    def callback_update(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        mid = self.bot.max_session.ids.to_mid(message_id) or ""
        return self.stub.press(user_id, mid, data)

    def to_update(self, raw: dict[str, Any], bot: Bot) -> Update | None:
        self.stub.take_updates()  # fed here, not fetched by a poller
        return to_update(raw, self.bot.max_session.ids, bot)
