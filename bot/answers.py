"""Telegram's answers that are not errors, and buttons answered exactly once — in one place.

- ``HarmlessAnswers`` is a request middleware of the bot's session: "message is not modified" (the
  screen already shows it), "query is too old" (the person pressed long ago), "message to edit/delete
  not found" (they deleted it) are logged and taken as done, so they never abort a handler half-way
  or reach the error handler.
- ``AnswerOnce`` is an outer middleware on callback queries: a button is answered exactly once. The
  first answer a handler gives (with its text or alert) is the one sent; a later one is dropped; a
  handler that gave none gets the empty answer that stops the button's spinner.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageMedia,
    EditMessageReplyMarkup,
    EditMessageText,
    Response,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, TelegramObject

log = logging.getLogger(__name__)

_EDITS = (EditMessageText, EditMessageCaption, EditMessageReplyMarkup, EditMessageMedia)
# Substrings of Telegram's descriptions, per method, that mean "nothing to do".
_HARMLESS: tuple[tuple[tuple[type[TelegramMethod[Any]], ...], tuple[str, ...]], ...] = (
    (_EDITS, ("message is not modified", "message to edit not found", "message can't be edited")),
    (
        (AnswerCallbackQuery,),
        ("query is too old", "query id is invalid", "query is already answered"),
    ),
    ((DeleteMessage,), ("message to delete not found", "message can't be deleted")),
)


def harmless(method: TelegramMethod[Any], error: TelegramBadRequest) -> bool:
    description = error.message.lower()
    return any(
        isinstance(method, methods) and any(text in description for text in texts)
        for methods, texts in _HARMLESS
    )


@dataclass
class _Pressed:
    query_id: str
    answered: bool = False


_pressed: ContextVar[_Pressed | None] = ContextVar("efs_pressed_button", default=None)


class HarmlessAnswers(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        pressed = _pressed.get()
        answering = (
            pressed is not None
            and isinstance(method, AnswerCallbackQuery)
            and method.callback_query_id == pressed.query_id
        )
        if answering:
            assert pressed is not None
            if pressed.answered:
                log.debug("button %s already answered; a second answer dropped", pressed.query_id)
                return True  # type: ignore[return-value]  # what answerCallbackQuery returns
            pressed.answered = True
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            if not harmless(method, error):
                raise
            log.info("%s: %s (taken as done)", type(method).__name__, error.message)
            return True  # type: ignore[return-value]  # edits and answers return True as well


class KeepResponseModels(BaseRequestMiddleware):
    """aiogram parses every answer with ``Response[method.__returning__]``; pydantic keeps such
    parametrised models in a weak cache only, so each one was garbage and built again — schema and
    validator — for nearly every request (a seventh of an update's CPU). Holding them here makes
    the cache hit."""

    def __init__(self) -> None:
        self._models: dict[Any, type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._models:
            self._models[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


class AnswerOnce(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        pressed = _Pressed(event.id)
        token = _pressed.set(pressed)
        # Not reset when the handler fails: the error handler's alert then counts as the answer,
        # or is dropped if the handler had answered already.
        result = await handler(event, data)
        _pressed.reset(token)
        if not pressed.answered:
            await data["bot"](AnswerCallbackQuery(callback_query_id=event.id))
        return result
