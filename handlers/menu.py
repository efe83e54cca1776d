"""The main menu and /help; every section lives in its own module."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from domain.roles import Role
from handlers.filters import MenuButton
from handlers.render import main_menu
from locales import Translator
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="menu")


@router.message(Command("help"), flags={"anonymous": True})
@router.message(MenuButton("menu-help"), flags={"anonymous": True})
async def show_help(
    message: Message, uow: UnitOfWork, user: User | None, rules: RegionRules, t: Translator, role: Role
) -> None:
    text = t("help")
    if role in (Role.METHODIST, Role.ADMIN):
        text += "\n\n" + t("help-staff")
    if user is None or user.profile_completed_at is None:
        await message.answer(text)
    else:
        await message.answer(text, reply_markup=await main_menu(uow, user, role, rules, t))


@router.message(Command("menu"))
async def show_menu(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User | None,
    rules: RegionRules,
    t: Translator,
    role: Role,
) -> None:
    await state.clear()
    await message.answer(t("menu-intro"), reply_markup=await main_menu(uow, user, role, rules, t))
