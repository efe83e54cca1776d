"""The bots of a deployment, one per messenger, and the one that reaches a given person.

``python -m bot run`` builds ``Bots`` from the tokens set (``BOT_TOKEN``, ``MAX_TOKEN``, or both); the
senders (outbox, broadcasts) take ``route(bots, user)`` for each person: the bot of the account
they last wrote from (``User.reach``: their own, or one they linked), to send to ``user.reach``'s
id there. A single ``Bot`` is accepted where ``Bots`` is (tests, one messenger) and serves only its own
messenger's people."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import PurePosixPath

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendMessage

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
    """Let the MAX bot send what was sent with a Telegram file id (a broadcast's photo or
    document made on Telegram): it fetches the file through Telegram's bot."""

    async def fetch(file_id: str) -> tuple[str, bytes]:
        file = await telegram.get_file(file_id)
        buffer = io.BytesIO()
        await telegram.download_file(file.file_path or "", buffer)
        return PurePosixPath(file.file_path or "file").name, buffer.getvalue()

    max_bot.max_session.fetch_file = fetch


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
