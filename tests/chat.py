"""A conversation with the bot that reads like one: send, press, expect."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Update

from telegram_stub import QUERY_INVALID, SentMessage

if TYPE_CHECKING:
    from tests.conftest import App


class Chat:
    def __init__(
        self, app: App, user_id: int, *, first_name: str = "Мария", language_code: str = "ru"
    ) -> None:
        self.app = app
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self._seen = 0
        self.replies: list[SentMessage] = []

    async def _feed(self, update: dict[str, Any]) -> list[SentMessage]:
        self._seen = len(self.app.stub.outbox)
        await self.app.dp.feed_update(
            self.app.bot, Update.model_validate(update, context={"bot": self.app.bot})
        )
        await self.app.deliver()  # what the update handed to someone else goes at once
        self.replies = [m for m in self.app.stub.outbox[self._seen :] if m.chat_id == self.user_id]
        return self.replies

    async def send(self, text: str) -> list[SentMessage]:
        return await self._feed(
            self.app.stub.message_update(
                self.user_id, text, first_name=self.first_name, language_code=self.language_code
            )
        )

    async def send_photo(self) -> list[SentMessage]:
        return await self._feed(self.app.stub.message_update(self.user_id, photo=True))

    async def send_sticker(self) -> list[SentMessage]:
        return await self._feed(self.app.stub.message_update(self.user_id, sticker=True))

    async def press(self, label: str) -> list[SentMessage]:
        """Press the inline button whose text contains ``label`` on the newest message having it,
        or the reply-keyboard button with that text."""
        for message in reversed(list(self.app.stub.messages.values())):
            if message.chat_id != self.user_id:
                continue
            for row in (message.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if label in button["text"]:
                        return await self.press_data(button["callback_data"], message.message_id)
        if label in self.reply_keyboard():
            return await self.send(label)
        raise AssertionError(f"no button {label!r}; buttons now: {self.buttons()}")

    async def press_data(self, data: str, message_id: int | None = None) -> list[SentMessage]:
        """Send a callback as if a button with ``data`` was pressed (or forged)."""
        if message_id is None:
            message_id = self.last_bot_message().message_id
        return await self._feed(self.app.stub.callback_update(self.user_id, message_id, data))

    # --- reading what the bot said ---

    def last_bot_message(self) -> SentMessage:
        message = self.app.stub.last_message(self.user_id)
        assert message is not None, "the bot has said nothing"
        return message

    @property
    def text(self) -> str:
        """Everything the bot said in answer to the last action, as the user sees it."""
        return "\n".join(m.plain_text for m in self.replies)

    def buttons(self) -> list[str]:
        for message in reversed(list(self.app.stub.messages.values())):
            if message.chat_id == self.user_id and (message.reply_markup or {}).get("inline_keyboard"):
                return [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
        return []

    def reply_keyboard(self) -> list[str]:
        for message in reversed(self.app.stub.outbox):
            if message.chat_id != self.user_id:
                continue
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return [b["text"] for row in markup["keyboard"] for b in row]
            if markup.get("remove_keyboard"):
                return []
        return []

    def alerts(self) -> list[str]:
        return [a.get("text", "") for a in self.app.stub.callback_answers if a.get("text")]

    def expect(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment in self.text, f"expected {fragment!r} in:\n{self.text}"

    # --- convB: reading the same on both messengers (tests.max_chat.MaxChat has the same) ---

    def clear_alerts(self) -> None:
        """Forget the button answers so far (``alerts()`` then lists only what comes next)."""
        self.app.stub.callback_answers.clear()

    def message_text(self, message_id: int) -> str:
        """The bot's message ``message_id`` as it reads now (after any edits)."""
        return self.app.stub.messages[(self.user_id, message_id)].plain_text

    def received(self) -> list[SentMessage]:
        """Everything the bot sent this person, in order, whatever caused it (a job, a hand-off)."""
        return [m for m in self.app.stub.outbox if m.chat_id == self.user_id and not m.edited]

    async def open_link(self, payload: str) -> list[SentMessage]:
        """The person opens the bot from a deep link with ``payload`` (``t.me/…?start=``)."""
        return await self.send(f"/start {payload}")

    # --- convA: what the bot sent this person, and the stand-in refusing sends, on either messenger

    messenger = "telegram"
    messenger_name = "Telegram"  # as the bot names it («Только Telegram»)

    def sent(self) -> list[SentMessage]:
        """Every message the bot sent this person (each send and each edit), in order."""
        return [m for m in self.app.stub.outbox if m.chat_id == self.user_id]

    def told(self) -> list[str]:
        """The text of each message in ``sent()``, as the person reads it."""
        return [m.plain_text for m in self.sent()]

    def fail_next_send(self, status: int, description: str, *, times: int = 1) -> None:
        """The messenger refuses the next ``times`` messages the bot sends (to anyone): 403 as a
        person who blocked the bot, 429 as too many requests, 5xx as its own failure."""
        self.app.stub.fail_next("sendMessage", status, description, times=times)

    # --- convC: the same reading on both messengers (robustness, privacy, roles, broadcasts);
    # sent, clear_alerts and open_link as convA's and convB's (the same names, the same meaning) ---

    def everything_said(self) -> str:
        return "\n".join(m.plain_text for m in self.sent())

    def answers(self) -> list[dict[str, Any]]:
        """Every answer to a pressed button: its ``text`` ("" for none) and ``alert`` (shown as a
        pop-up to close, not a passing note)."""
        return [
            {"text": a.get("text") or "", "alert": bool(a.get("show_alert"))}
            for a in self.app.stub.callback_answers
        ]

    def callback_data(self, message_id: int, label: str) -> str:
        """The data of the button starting with ``label`` on the bot's message ``message_id``."""
        message = self.app.stub.messages[(self.user_id, message_id)]
        return next(b["callback_data"] for b in message.buttons if b["text"].startswith(label))

    def fsm_context(self) -> FSMContext:
        """This person's conversation state, as the dispatcher keeps it."""
        return self.app.dp.fsm.get_context(self.app.bot, chat_id=self.user_id, user_id=self.user_id)

    def start_link(self) -> str:
        """The start link of the bot (``…?start=`` a deep link's payload)."""
        return f"https://t.me/{self.app.stub.username}"

    async def press_on_gone_message(self, data: str) -> list[SentMessage]:
        """A button pressed on a message the messenger no longer has (deleted, or never sent)."""
        return await self.press_data(data, message_id=987_654)

    async def send_in_group(self, text: str) -> list[SentMessage]:
        """The person writes ``text`` in a group the bot is in; everything the bot sent anyone."""
        update = self.app.stub.message_update(self.user_id, text)
        update["message"]["chat"] = {"id": -100500, "type": "group", "title": "Учительская"}
        seen = len(self.app.stub.outbox)
        await self.app.dp.feed_update(
            self.app.bot, Update.model_validate(update, context={"bot": self.app.bot})
        )
        return self.app.stub.outbox[seen:]

    def fail_next_answer(self) -> None:
        """The next answer to a pressed button is refused as too old."""
        self.app.stub.fail_next("answerCallbackQuery", 400, QUERY_INVALID)

    async def send_document(self, name: str, content: bytes, caption: str | None = None) -> list[SentMessage]:
        """The person sends a file (``MaxChat.send_document`` on MAX)."""
        return await self._feed(self.app.stub.message_update(self.user_id, caption, document=(name, content)))
