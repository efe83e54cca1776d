"""The bots of a deployment, one per messenger, and the one that reaches a given person.

``python -m bot run`` builds ``Bots`` from the tokens set (``BOT_TOKEN``, ``MAX_TOKEN``, or both); the
senders (outbox, broadcasts) take ``route(bots, user)`` for each person: the bot of the account
they last wrote from (``User.reach``: their own, or one they linked), to send to ``user.reach``'s
id there. A single ``Bot`` is accepted where ``Bots`` is (tests, one messenger) and serves only its own
messenger's people."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import Response, SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, Message

from bot.max.api import MaxApiError, MaxNetworkError, file_address, is_file_address
from bot.max.bot import MaxBot, messenger_of
from storage.models import User


class NoMessenger(TelegramBadRequest):
    """The person's messenger has no bot in this deployment (e.g. a MAX teacher, no ``MAX_TOKEN``):
    a bad request as far as the senders go — the message fails, and is not retried."""


class Bots:
    def __init__(self, *bots: Bot) -> None:
        self.by_messenger = {messenger_of(bot): bot for bot in bots}

    def __iter__(self) -> Iterator[Bot]:
        return iter(self.by_messenger.values())

    def for_messenger(self, messenger: str) -> Bot | None:
        return self.by_messenger.get(messenger)


def share_files(telegram: Bot, max_bot: MaxBot) -> None:
    """Let each bot send a file the other messenger names (a broadcast's photo or document made
    on the other one): the MAX bot fetches a Telegram file id through Telegram's bot; Telegram's
    bot has a MAX file (its download address) fetched by the MAX bot and uploads it
    (``FilesFromMax``)."""
    telegram.session.middleware(FilesFromMax(max_bot))

    async def fetch(file_id: str) -> tuple[str, bytes]:
        file = await telegram.get_file(file_id)
        buffer = io.BytesIO()
        await telegram.download_file(file.file_path or "", buffer)
        return PurePosixPath(file.file_path or "file").name, buffer.getvalue()

    max_bot.max_session.fetch_file = fetch


class FilesFromMax(BaseRequestMiddleware):
    """Telegram's bot sending a photo or document named by MAX (a broadcast made on MAX): the MAX
    bot fetches the file and it goes to Telegram as an upload. Telegram's file id of the first
    upload is kept, and every later send of the same file names it: a broadcast to 5,000
    Telegram teachers uploads the file once (per process), the others wait for that one."""

    def __init__(self, max_bot: MaxBot, capacity: int = 1024) -> None:
        self.max_bot = max_bot
        self.capacity = capacity
        self._telegram_ids: dict[str, str] = {}  # MAX file id → Telegram's
        self._locks: dict[str, asyncio.Lock] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        field = "photo" if isinstance(method, SendPhoto) else "document"
        file = getattr(method, field, None) if isinstance(method, SendPhoto | SendDocument) else None
        if not isinstance(file, str) or not is_file_address(file):
            return await make_request(bot, method)
        lock = self._locks.setdefault(file, asyncio.Lock())
        async with lock:  # the first send uploads; the others wait for its file id
            known = self._telegram_ids.get(file)
            if known is not None:
                return await make_request(bot, method.model_copy(update={field: known}))
            url, name = file_address(file)
            try:
                content = b"".join([chunk async for chunk in self.max_bot.max_session.max_api.download(url)])
            except (MaxApiError, MaxNetworkError) as error:
                raise TelegramNetworkError(
                    method, f"the file could not be fetched from MAX: {error}"
                ) from error
            upload = BufferedInputFile(
                content, filename=name or ("photo.jpg" if field == "photo" else "file")
            )
            response = await make_request(bot, method.model_copy(update={field: upload}))
            # What the chain hands back is the method's result (aiogram's annotation says Response).
            sent = getattr(response, "result", response)
            if isinstance(sent, Message):
                telegram_id = _file_id(sent)
                if telegram_id is not None:
                    if len(self._telegram_ids) >= self.capacity:  # the oldest broadcast's goes
                        oldest = next(iter(self._telegram_ids))
                        self._telegram_ids.pop(oldest)
                        self._locks.pop(oldest, None)
                    self._telegram_ids[file] = telegram_id
            return response


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    if message.document:
        return message.document.file_id
    return None


def route(bots: Bot | Bots, user: User) -> Bot:
    """The bot that reaches ``user`` where they last wrote from (to ``user.reach.external_id``
    there), or ``NoMessenger``."""
    messenger, chat_id = user.reach
    return route_to(bots, messenger, chat_id)


def route_to(bots: Bot | Bots, messenger: str, chat_id: int) -> Bot:
    """The bot of ``messenger`` (to reach ``chat_id`` there), or ``NoMessenger``."""
    bot = bots.for_messenger(messenger) if isinstance(bots, Bots) else bots
    if bot is None or messenger_of(bot) != messenger:
        raise NoMessenger(
            SendMessage(chat_id=chat_id, text="-"),
            f"Bad Request: no {messenger} bot in this deployment",
        )
    return bot


def message_ref(bot: Bot, message_id: int) -> str | None:
    """A message ``bot`` sent, named as its messenger names it, to be kept outside the process
    (the broadcast's progress message): ``"telegram:42"``, ``"max:mid.…"``. MAX's ids are strings
    that the MAX session gives ints in memory (``bot.max.ids``); the string is what any process,
    after any restart, can still edit. None if the MAX id is no longer known here."""
    if isinstance(bot, MaxBot):
        mid = bot.max_session.ids.to_mid(message_id)
        return f"{bot.messenger}:{mid}" if mid else None
    return f"{messenger_of(bot)}:{message_id}"


def kept_message(bots: Bot | Bots, ref: str) -> tuple[Bot, int]:
    """The bot and the message id in this process of a ``message_ref``; ``NoMessenger`` if its
    messenger has no bot here."""
    messenger, _, own = ref.partition(":")
    bot = route_to(bots, messenger, 0)
    if isinstance(bot, MaxBot):
        return bot, bot.max_session.ids.to_int(own)
    return bot, int(own)
