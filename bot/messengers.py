"""The bots of a deployment, one per messenger, and the one that reaches a given person.

``python -m bot run`` builds ``Bots`` from the tokens set (``BOT_TOKEN``, ``MAX_TOKEN``, or both); the
senders (outbox, broadcasts) take ``route(bots, user)`` for each person: their own messenger's bot.
A single ``Bot`` is accepted where ``Bots`` is (tests, one messenger) and serves only its own
messenger's people."""

from __future__ import annotations

import asyncio
import io
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendDocument, SendMessage, SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, Message

from bot.max.bot import MaxBot, messenger_of
from bot.max.updates import file_name
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
    """Let the MAX bot send what was sent with a Telegram file id (a broadcast's photo or
    document made on Telegram): it fetches the file through Telegram's bot; and the Telegram bot
    send what was sent on MAX (named by its MAX download address): ``FilesFromMax``."""
    telegram.session.middleware(FilesFromMax(max_bot))

    async def fetch(file_id: str) -> tuple[str, bytes]:
        file = await telegram.get_file(file_id)
        buffer = io.BytesIO()
        await telegram.download_file(file.file_path or "", buffer)
        return PurePosixPath(file.file_path or "file").name, buffer.getvalue()

    max_bot.max_session.fetch_file = fetch


class FilesFromMax(BaseRequestMiddleware):
    """A photo or document sent on MAX is known by its MAX download address. Telegram fetches a
    URL itself only for some files (a document only as PDF or ZIP) and MAX's addresses expire, so
    the Telegram bot downloads it through MAX's API and uploads it, under its name; Telegram's id
    of that upload serves the next recipients (a broadcast uploads once)."""

    def __init__(self, max_bot: MaxBot, capacity: int = 256) -> None:
        self.max_bot = max_bot
        self.capacity = capacity
        self.uploaded: OrderedDict[str, str] = OrderedDict()  # MAX address → Telegram's file id
        self._locks: dict[str, asyncio.Lock] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        field = "photo" if isinstance(method, SendPhoto) else "document"
        address = getattr(method, field, None) if isinstance(method, SendPhoto | SendDocument) else None
        if not isinstance(address, str) or not address.startswith(("https://", "http://")):
            return await make_request(bot, method)
        async with self._locks.setdefault(address, asyncio.Lock()):  # sends at once wait for one
            known = self.uploaded.get(address)
            if known is not None:
                return await make_request(bot, cast(Any, method.model_copy(update={field: known})))
            api = self.max_bot.max_session.max_api
            content = b"".join([chunk async for chunk in api.download(address)])
            name = file_name(address) or ("photo.jpg" if field == "photo" else "file")
            upload = BufferedInputFile(content, filename=name)
            sent = await make_request(bot, cast(Any, method.model_copy(update={field: upload})))
            if isinstance(sent, Message):
                file_id = (sent.photo[-1].file_id if sent.photo else None) or (
                    sent.document.file_id if sent.document else None
                )
                if file_id:
                    self.uploaded[address] = file_id
                    while len(self.uploaded) > self.capacity:
                        self._locks.pop(self.uploaded.popitem(last=False)[0], None)
        return sent


def route(bots: Bot | Bots, user: User) -> Bot:
    """The bot that reaches ``user``, or ``NoMessenger``."""
    return route_to(bots, user.messenger, user.telegram_id)


def route_to(bots: Bot | Bots, messenger: str, chat_id: int) -> Bot:
    """The bot of ``messenger`` (to reach ``chat_id`` there), or ``NoMessenger``."""
    bot = bots.for_messenger(messenger) if isinstance(bots, Bots) else bots
    if bot is None or messenger_of(bot) != messenger:
        raise NoMessenger(
            SendMessage(chat_id=chat_id, text="-"),
            f"Bad Request: no {messenger} bot in this deployment",
        )
    return bot
