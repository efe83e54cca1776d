"""The same conversation as ``tests.chat.Chat``, held on MAX: what the person does goes to the MAX
stand-in as MAX updates, is converted as the bot's poller converts it and fed to the same
dispatcher; what the bot answers is read from the stand-in, as MAX shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.fsm.context import FSMContext

from bot.max.bot import MaxBot
from bot.max.updates import to_update
from max_stub import MaxMessage, MaxStub

if TYPE_CHECKING:
    from tests.conftest import App


class MaxChat:
    def __init__(
        self, app: App, user_id: int, *, first_name: str = "Мария", language_code: str = "ru"
    ) -> None:
        assert app.max_stub is not None and app.max_bot is not None
        self.app = app
        self.stub: MaxStub = app.max_stub
        self.bot: MaxBot = app.max_bot
        self.user_id = user_id
        self.first_name = first_name
        self.replies: list[MaxMessage] = []

    async def _feed(self, raw: dict[str, Any]) -> list[MaxMessage]:
        seen = len(self.stub.outbox)
        for pushed in self.stub.take_updates():
            update = to_update(pushed, self.bot.max_session.ids, self.bot)
            if update is not None:
                await self.app.dp.feed_update(self.bot, update)
        await self.app.deliver()
        ids = self.bot.max_session.ids
        for message in self.stub.outbox[seen:]:
            message.message_id = ids.to_int(message.mid)  # the int the bot knows it by
        self.replies = [m for m in self.stub.outbox[seen:] if m.user_id == self.user_id]
        return self.replies

    async def send(self, text: str) -> list[MaxMessage]:
        return await self._feed(self.stub.message(self.user_id, text, first_name=self.first_name))

    async def send_document(self, name: str, content: bytes, caption: str | None = None) -> list[MaxMessage]:
        return await self._feed(self.stub.message(self.user_id, caption, file=(name, content)))

    async def send_photo(self) -> list[MaxMessage]:
        return await self._feed(
            self.stub.message(self.user_id, None, file=("photo.jpg", b"\xff\xd8\xff\xd9"), image=True)
        )

    async def send_sticker(self) -> list[MaxMessage]:
        return await self._feed(self.stub.message(self.user_id, None))

    async def start(self, payload: str | None = None) -> list[MaxMessage]:
        """The person opens the bot («Начать»), from a deep link with ``payload`` or not."""
        return await self._feed(self.stub.start(self.user_id, payload))

    async def press(self, label: str) -> list[MaxMessage]:
        """Press the callback button whose text contains ``label`` on the newest message having it;
        or the message button (MAX's stand-in for a reply keyboard) with that text."""
        for message in reversed(list(self.stub.messages.values())):
            if message.user_id != self.user_id:
                continue
            for row in message.keyboard:
                for button in row:
                    if label in button["text"] and button["type"] == "callback":
                        return await self._feed(self.stub.press(self.user_id, message.mid, button["payload"]))
        if label in self.reply_keyboard():
            return await self.send(label)
        raise AssertionError(f"no button {label!r}; buttons now: {self.buttons()}")

    async def press_data(self, data: str, message_id: int | None = None) -> list[MaxMessage]:
        mid = self.last_bot_message().mid
        if message_id is not None:
            mid = self.bot.max_session.ids.to_mid(message_id) or mid
        return await self._feed(self.stub.press(self.user_id, mid, data))

    def last_bot_message(self) -> MaxMessage:
        """The newest message the bot sent or edited for this person, as ``Chat``'s: an edit of an
        older message (a card redrawn in place) is the newest thing the person sees."""
        sent = self.sent()
        assert sent, "the bot has said nothing"
        return sent[-1]

    @property
    def text(self) -> str:
        return "\n".join(m.plain_text for m in self.replies)

    def buttons(self) -> list[str]:
        """The callback buttons of the newest message having any."""
        for message in reversed(list(self.stub.messages.values())):
            if message.user_id != self.user_id:
                continue
            labels = [b["text"] for row in message.keyboard for b in row if b["type"] == "callback"]
            if labels:
                return labels
        return []

    def reply_keyboard(self) -> list[str]:
        """The message buttons of the newest message that has a keyboard (what the person can
        tap to say): MAX's counterpart of Telegram's reply keyboard."""
        for message in reversed(self.stub.sent_to(self.user_id)):
            if message.edited:
                continue
            labels = [b["text"] for row in message.keyboard for b in row if b["type"] == "message"]
            if labels:
                return labels
        return []

    def alerts(self) -> list[str]:
        return [a.get("notification", "") for a in self.stub.answers if a.get("notification")]

    def expect(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment in self.text, f"expected {fragment!r} in:\n{self.text}"

    # --- convB: reading the same on both messengers (tests.chat.Chat has the same) ---

    def clear_alerts(self) -> None:
        """Forget the button answers so far (``alerts()`` then lists only what comes next)."""
        self.stub.answers.clear()

    def message_text(self, message_id: int) -> str:
        """The bot's message ``message_id`` as it reads now (after any edits)."""
        mid = self.bot.max_session.ids.to_mid(message_id)
        assert mid is not None, f"no MAX message known as {message_id}"
        return self.stub.messages[mid].plain_text

    def received(self) -> list[MaxMessage]:
        """Everything the bot sent this person, in order, whatever caused it (a job, a hand-off)."""
        return [m for m in self.stub.sent_to(self.user_id) if not m.edited]

    async def open_link(self, payload: str) -> list[MaxMessage]:
        """The person opens the bot from a deep link with ``payload`` (``max.ru/…?start=``):
        MAX's «Начать», a ``bot_started`` with the payload."""
        return await self.start(payload)

    # --- convA: what the bot sent this person, and the stand-in refusing sends, on either messenger

    messenger = "max"
    messenger_name = "MAX"  # as the bot names it («Только MAX»)
    # --- convC: the same reading on both messengers (robustness, privacy, roles, broadcasts);
    # sent, clear_alerts and open_link as convA's and convB's (the same names, the same meaning) ---

    def sent(self) -> list[MaxMessage]:
        """Every message the bot sent this person (each send and each edit), in order, each with
        the int the bot knows it by (sent outside a conversation too: by a job)."""
        ids = self.bot.max_session.ids
        found = self.stub.sent_to(self.user_id)
        for message in found:
            message.message_id = ids.to_int(message.mid)
        return found

    def told(self) -> list[str]:
        """The text of each message in ``sent()``, as the person reads it."""
        return [m.plain_text for m in self.sent()]

    def fail_next_send(self, status: int, description: str, *, times: int = 1) -> None:
        """MAX refuses the next ``times`` messages the bot sends (to anyone), in its own format:
        403 ``chat.denied`` as a person who blocked the bot, 429 ``too.many.requests``, 5xx its
        own failure."""
        code = {403: "chat.denied", 429: "too.many.requests"}.get(status, "internal.error")
        self.stub.fail_next(status, code, description, times=times)

    def everything_said(self) -> str:
        return "\n".join(m.plain_text for m in self.sent())

    def answers(self) -> list[dict[str, Any]]:
        """Every answer to a pressed button MAX showed: its ``text``; MAX shows a notification,
        never a pop-up to close (``alert``). An answer without text is not sent to MAX at all."""
        return [{"text": a.get("notification") or "", "alert": False} for a in self.stub.answers]

    def callback_data(self, message_id: int, label: str) -> str:
        """The payload of the button starting with ``label`` on the bot's message ``message_id``."""
        mid = self.bot.max_session.ids.to_mid(message_id)
        assert mid is not None, f"the bot knows no message {message_id}"
        buttons = self.stub.messages[mid].buttons
        return str(next(b["callback_data"] for b in buttons if b["text"].startswith(label)))

    def fsm_context(self) -> FSMContext:
        """This person's conversation state, as the dispatcher keeps it for the MAX bot."""
        return self.app.dp.fsm.get_context(self.bot, chat_id=self.user_id, user_id=self.user_id)

    def start_link(self) -> str:
        """The start link of the bot (the stand-in's ``/me`` names it efs_bot)."""
        return "https://max.ru/efs_bot"

    async def press_on_gone_message(self, data: str) -> list[MaxMessage]:
        """A button pressed on a message MAX no longer has: the callback comes without it."""
        return await self._feed(self.stub.press(self.user_id, "mid.gone.0000000000000000", data))

    async def send_in_group(self, text: str) -> list[MaxMessage]:
        """The person writes ``text`` in a group chat the bot is in; everything the bot sent anyone."""
        raw = self.stub.message(self.user_id, text, first_name=self.first_name)
        raw["message"]["recipient"] = {"chat_id": -100500, "chat_type": "chat", "user_id": None}
        seen = len(self.stub.outbox)
        await self._feed(raw)
        return self.stub.outbox[seen:]

    def fail_next_answer(self) -> None:
        """The next answer to a pressed button is refused as too old (MAX no longer knows the
        callback: 404)."""
        press = self.stub.press

        def expired(user_id: int, mid: str, payload: str) -> dict[str, Any]:
            self.stub.press = press  # type: ignore[method-assign]
            update = press(user_id, mid, payload)
            self.stub._callbacks.pop(update["callback"]["callback_id"], None)
            return update

        self.stub.press = expired  # type: ignore[method-assign]

    async def send_formatted(self, text: str, markup: list[dict[str, Any]]) -> list[MaxMessage]:
        """The person writes ``text`` formatted in MAX's client: ``markup`` as MAX sends it
        (``{"type": "strong", "from": 0, "length": 7}``, a link with its ``url``)."""
        raw = self.stub.message(self.user_id, text, first_name=self.first_name)
        raw["message"]["body"]["markup"] = markup
        return await self._feed(raw)

    async def feed_raw(self, raw: dict[str, Any]) -> list[MaxMessage]:
        """An update exactly as ``raw`` (something MAX should never send), through the poller's path."""
        return await self._feed(self.stub._push(raw))
