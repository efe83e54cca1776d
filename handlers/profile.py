"""«Профиль»: the card, editing any field through the wizard's steps, the language, the linked
account and «Отвязать». What the card shows and what an edit asks are decided by
``services.profile`` and ``services.onboarding``; linking and unlinking by ``services.accounts``."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.accounts import LINK_TTL
from domain.roles import Role
from handlers import keyboards
from handlers.callbacks import AccountAction, AccountCb, ProfileAction, ProfileCb
from handlers.filters import MenuButton
from handlers.onboarding import keep, show_question
from handlers.reminders import settings_view
from handlers.render import edit_text, main_menu, profile_card, profile_keyboard, stale
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
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    messenger: str,
) -> None:
    await state.clear()
    card = await service.card(uow, user, rules)
    text, markup = await _profile_view(uow, card, t, messenger)
    await message.answer(text, reply_markup=markup)


async def _profile_view(
    uow: UnitOfWork, card: service.ProfileCard, t: Translator, messenger: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The card and its buttons, with the account linked to this one and «Отвязать»."""
    linked = await accounts.other_accounts(uow, card.user, messenger)
    text, markup = profile_card(card, t), profile_keyboard(card, t)
    if linked:
        names = ", ".join(t(f"messenger-{other.messenger}") for other in linked)
        text += "\n\n" + t("profile-linked", messengers=names)
        markup = keyboards.with_unlink(t, markup, [(other.link_id, other.messenger) for other in linked])
    return text, markup


@router.callback_query(ProfileCb.filter(F.action == ProfileAction.LANGUAGE))
async def switch_language(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    translations: Translations,
    messenger: str,
) -> None:
    card = await service.switch_language(uow, user, rules, translations.locales)
    t = translations.get(card.user.locale)
    await query.answer(t("language-switched"))
    await message.answer(t("language-switched"), reply_markup=await main_menu(uow, user, role, rules, t))
    text, markup = await _profile_view(uow, card, t, messenger)
    await message.answer(text, reply_markup=markup)


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


@router.callback_query(AccountCb.filter(F.action == AccountAction.UNLINK))
async def unlink_ask(
    query: CallbackQuery,
    message: Message,
    callback_data: AccountCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    messenger: str,
) -> None:
    """«Отвязать»: what it means, and a confirmation."""
    other = await accounts.linked_account(uow, user, messenger, callback_data.link_id)
    if isinstance(other, Stale):
        await stale(query, t)
        return
    await query.answer()
    names = {"other": t(f"messenger-{other.messenger}"), "here": t(f"messenger-{messenger}")}
    yes = AccountCb(action=AccountAction.UNLINK_YES, link_id=other.link_id)
    no = AccountCb(action=AccountAction.CANCEL, link_id=other.link_id)
    await message.answer(
        t("unlink-confirm", **names), reply_markup=keyboards.confirm(t, t("btn-unlink-yes", **names), yes, no)
    )


@router.callback_query(AccountCb.filter(F.action == AccountAction.UNLINK_YES))
async def unlink(
    query: CallbackQuery,
    message: Message,
    callback_data: AccountCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    messenger: str,
    fsm_storage: BaseStorage,
) -> None:
    assert query.from_user is not None
    done = await accounts.unlink(uow, user, messenger, query.from_user.id, callback_data.link_id, fsm_storage)
    if isinstance(done, Stale):
        await stale(query, t)
        return
    await query.answer()
    names = {"other": t(f"messenger-{done.other}"), "here": t(f"messenger-{messenger}")}
    await edit_text(message, t("unlink-done", **names), reply_markup=None)


@router.callback_query(AccountCb.filter(F.action == AccountAction.CANCEL))
async def unlink_cancel(
    query: CallbackQuery,
    message: Message,
    callback_data: AccountCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    messenger: str,
) -> None:
    """«Отмена»: the link stays — said only while there is one (an old question's «Отмена» after
    unlinking is stale)."""
    if isinstance(await accounts.linked_account(uow, user, messenger, callback_data.link_id), Stale):
        await stale(query, t)
        return
    await query.answer()
    await edit_text(message, t("unlink-cancelled"), reply_markup=None)


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
