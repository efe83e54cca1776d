"""The last resort: unknown commands, text nobody expected, and buttons from old messages.

Inside a question (``handlers.questions``) what the flow did not take gets a short hint and the
same question again, so the person keeps their place; outside any question, the menu."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from domain.roles import Role
from handlers import questions
from handlers.render import main_menu, stale
from locales import Translator
from storage.models import User

router = Router(name="fallback")
unknown_commands = Router(name="unknown-commands")


@unknown_commands.message(F.text.startswith("/"))
async def unknown_command(message: Message, t: Translator) -> None:
    await message.answer(t("unknown-command"))


@router.callback_query()
async def stale_button(query: CallbackQuery, t: Translator) -> None:
    await stale(query, t)


@router.message()
async def not_understood(
    message: Message, user: User | None, role: Role, t: Translator, raw_state: str | None = None, **data: Any
) -> None:
    if user is None:
        await message.answer(t("need-start"))
        return
    waiting = questions.question(raw_state)
    if waiting is not None and raw_state is not None:
        asking = questions.Asking(
            message=message,
            state=data["state"],
            raw_state=raw_state,
            uow=data["uow"],
            user=user,
            role=role,
            rules=data["rules"],
            t=t,
            data=data,
        )
        hint = questions.hint(waiting.expects, message)
        if hint is not None:
            await message.answer(t(hint))
        if await waiting.ask_again(asking):
            return
        await data["state"].clear()  # the question is gone: nothing to keep the place of
    menu = await main_menu(data["uow"], user, role, data["rules"], t)
    await message.answer(t("not-understood"), reply_markup=menu)
