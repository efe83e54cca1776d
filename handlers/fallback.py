"""The last resort: unknown commands, text nobody expected, and buttons from old messages."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from domain.roles import Role
from handlers import keyboards
from handlers.render import stale
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
async def not_understood(message: Message, user: User | None, role: Role, t: Translator) -> None:
    if user is None:
        await message.answer(t("need-start"))
        return
    await message.answer(t("not-understood"), reply_markup=keyboards.main_menu(t, role))
