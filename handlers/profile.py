"""«Профиль»: the card, editing any field through the wizard's steps, and the language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.roles import Role
from handlers import keyboards
from handlers.callbacks import ProfileCb
from handlers.filters import MenuButton
from handlers.onboarding import ask_step
from handlers.reminders import settings_view
from handlers.render import profile_markup, profile_text
from locales import Translations, Translator
from storage.models import User
from storage.repositories import UserRepo

router = Router(name="profile")
Clock = Callable[[], datetime]
EDIT_STEPS = {
    "full_name": "full_name",
    "position": "position",
    "workplace": "region",
    "subjects": "subjects",
    "birth_date": "birth_date",
    "work_start": "work_start",
    "qualification": "qualification",
}


@router.message(MenuButton("menu-profile"))
async def show_profile(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await state.clear()
    await UserRepo(session).load_places(user)
    await message.answer(
        await profile_text(session, user, t, clock()),
        reply_markup=await profile_markup(session, user, t, clock()),
    )


@router.callback_query(ProfileCb.filter(F.field == "language"))
async def switch_language(
    query: CallbackQuery,
    session: AsyncSession,
    user: User,
    role: Role,
    translations: Translations,
    t: Translator,
    clock: Clock,
) -> None:
    user.locale = next(loc for loc in translations.locales if loc != user.locale)
    await session.commit()
    t = translations.get(user.locale)
    await query.answer(t("language-switched"))
    assert isinstance(query.message, Message)
    await UserRepo(session).load_places(user)
    await query.message.answer(t("language-switched"), reply_markup=keyboards.main_menu(t, role))
    await query.message.answer(
        await profile_text(session, user, t, clock()),
        reply_markup=await profile_markup(session, user, t, clock()),
    )


@router.callback_query(ProfileCb.filter(F.field == "notifications"))
async def notification_settings(query: CallbackQuery, user: User, t: Translator) -> None:
    await query.answer()
    text, markup = settings_view(user, t)
    assert isinstance(query.message, Message)
    await query.message.answer(text, reply_markup=markup)


@router.callback_query(ProfileCb.filter())
async def edit_field(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    step = EDIT_STEPS.get(callback_data.field)
    if step is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    await state.set_data({"editing": True})
    assert isinstance(query.message, Message)
    await ask_step(step, query.message, state, session, user, t)
