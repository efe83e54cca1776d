"""Router-level guards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject

from handlers.render import stale
from locales import Translator


class ConsentRequired(BaseMiddleware):
    """Everything but /start and the consent itself needs a person who consented.

    Catches old buttons after /forget, and commands sent before the consent (whose pending
    question stays open).
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if data.get("user") is not None or get_flag(data, "anonymous"):
            return await handler(event, data)
        t: Translator = data["t"]
        if isinstance(event, CallbackQuery):
            await event.answer(t("need-start"), show_alert=True)
        elif isinstance(event, Message):
            await event.answer(t("need-start"))
        return None


def guard(*routers: Any) -> None:
    for router in routers:
        router.message.middleware(ConsentRequired())
        router.callback_query.middleware(ConsentRequired())


def _offers(message: Message, data: str | None) -> bool:
    markup = message.reply_markup
    return markup is not None and any(
        button.callback_data == data for row in markup.inline_keyboard for button in row
    )


class AccessibleMessage(BaseMiddleware):
    """A button on a message Telegram no longer shows us (too old, deleted) is stale: say so.

    So is a button on a photo or a file that does not carry it (forged): every screen the buttons
    edit is a text message, and Telegram refuses to edit the text of a photo or a file.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, CallbackQuery) and (
            not isinstance(event.message, Message)
            or (event.message.text is None and not _offers(event.message, event.data))
        ):
            await stale(event, data["t"])
            return None
        if isinstance(event, CallbackQuery):
            # The message the button is under, for handlers to take by name (``message: Message``).
            data["message"] = event.message
        return await handler(event, data)
