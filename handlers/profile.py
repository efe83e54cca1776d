"""«Профиль» on Telegram: the card, editing any field through the wizard's steps, the language.
What the card shows and what an edit asks are decided by ``services.profile`` and
``services.onboarding``."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.accounts import LINK_TTL
from domain.roles import Role
from handlers.callbacks import ProfileAction, ProfileCb
from handlers.filters import MenuButton
from handlers.onboarding import keep, show_question
from handlers.reminders import settings_view
from handlers.render import main_menu, profile_card, profile_keyboard, stale
from locales import Translations, Translator
from services import accounts, onboarding
from services import profile as service
from services.regions import RegionRules
from services.results import Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="profile")


@router.message(MenuButton("menu-profile"))
async def show_profile(
    message: Message, state: FSMContext, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    await state.clear()
    card = await service.card(uow, user, rules)
    await message.answer(profile_card(card, t), reply_markup=profile_keyboard(card, t))


@router.callback_query(ProfileCb.filter(F.action == ProfileAction.LANGUAGE))
async def switch_language(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    translations: Translations,
) -> None:
    card = await service.switch_language(uow, user, rules, translations.locales)
    t = translations.get(card.user.locale)
    await query.answer(t("language-switched"))
    await message.answer(t("language-switched"), reply_markup=await main_menu(uow, user, role, rules, t))
    await message.answer(profile_card(card, t), reply_markup=profile_keyboard(card, t))


@router.callback_query(ProfileCb.filter(F.action == ProfileAction.NOTIFICATIONS))
async def notification_settings(query: CallbackQuery, message: Message, user: User, t: Translator) -> None:
    await query.answer()
    text, markup = settings_view(user, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ProfileCb.filter(F.action == ProfileAction.LINK))
async def link_code(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, t: Translator, messenger: str
) -> None:
    """A one-time code for the person's account on the other messenger (``services.accounts``)."""
    issued = await accounts.issue_code(uow, user, messenger)
    await query.answer()
    minutes = int(LINK_TTL.total_seconds() // 60)
    await message.answer(
        t("link-code", code=issued.code, messenger=t(f"messenger-{issued.other}"), minutes=minutes)
    )


@router.callback_query(ProfileCb.filter())
async def edit_field(
    query: CallbackQuery,
    message: Message,
    callback_data: ProfileCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    ask = await onboarding.edit(uow, user, callback_data.action)
    if isinstance(ask, Stale):
        await stale(query, t)
        return
    await query.answer()
    await keep(state, onboarding.Wizard(editing=True))
    await show_question(message, state, ask, t)
