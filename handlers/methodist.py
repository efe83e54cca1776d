"""«Кабинет методиста», mentorship part: assign, reassign and close pairs, nominate mentors.

Every handler sits behind the methodist/admin role filter; ``services.mentor_admin`` keeps each
action within the methodist's own region. A teacher who presses or forges one of these buttons
gets «Нет доступа».
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.mentorship import Typed
from domain.roles import Role
from handlers.callbacks import (
    DigestAction,
    DigestCb,
    MentorStaffAction,
    MentorStaffCb,
    WorkspaceAction,
    WorkspaceCb,
)
from handlers.filters import MenuButton, RoleFilter
from handlers.keyboards import Keyboard
from handlers.mentorship import candidates_view
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, no_access, question_gone, refused, stale, typed_text
from locales import Translator
from services import mentor_admin as service
from services import mentorship
from services.mentorship import Unavailable
from services.regions import RegionRules
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="methodist")
router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
outcome_router = Router(name="methodist-outcome")
outcome_router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
denied = Router(name="methodist-denied")


class PairOutcome(StatesGroup):
    outcome = State()


def _cb(action: MentorStaffAction, **ids: int) -> MentorStaffCb:
    return MentorStaffCb(action=action, **ids)


@router.message(MenuButton("menu-methodist"))
async def workspace(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("methodist-menu"), reply_markup=_menu(t))


def _menu(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("methodist-btn-digest"), callback_data=DigestCb(action=DigestAction.SHOW))
    kb.button(text=t("methodist-btn-teachers"), callback_data=WorkspaceCb(action=WorkspaceAction.LIST))
    kb.button(text=t("methodist-btn-unsupported"), callback_data=_cb(MentorStaffAction.YOUNG))
    kb.button(text=t("methodist-btn-pairs"), callback_data=_cb(MentorStaffAction.PAIRS))
    kb.button(text=t("methodist-btn-nominate"), callback_data=_cb(MentorStaffAction.NOMINEES))
    kb.adjust(1)
    return kb.as_markup()


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.MENU))
async def workspace_again(query: CallbackQuery, message: Message, t: Translator) -> None:
    await query.answer()
    await edit_text(message, t("methodist-menu"), reply_markup=_menu(t))


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.YOUNG))
async def young_without_support(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    young = await service.young_without_support(uow, user, role, rules, callback_data.page)
    if isinstance(young, Denied):
        await refused(query, young, t)
        return
    kb = Keyboard()
    for person in young.shown:
        kb.button(
            text=person.full_name or str(person.id),
            callback_data=_cb(MentorStaffAction.TEACHER, teacher_id=person.id),
        )
    if young.more:
        kb.button(text=t("btn-next"), callback_data=_cb(MentorStaffAction.YOUNG, page=young.page + 1))
    kb.button(text=t("btn-back"), callback_data=_cb(MentorStaffAction.MENU))
    kb.adjust(1)
    await query.answer()
    await edit_text(
        message,
        t(
            "methodist-young",
            total=young.total,
            waiting=young.waiting,
            share=young.share,
            target="—" if young.target is None else f"{young.target:g}",
        ),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.TEACHER))
async def candidates_for_teacher(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    found = await service.candidates(
        uow, user, role, rules, teacher_id=callback_data.teacher_id, replacing=callback_data.pair_id
    )
    if isinstance(found, (Stale, Denied)):
        await refused(query, found, t)
        return
    mentee = found.mentee
    text, markup = candidates_view(
        t("methodist-candidates", name=mentee.full_name),
        found.offered,
        t,
        lambda candidate: (
            t("methodist-btn-assign", name=(candidate.mentor.full_name or "—")[:40]),
            _cb(
                MentorStaffAction.ASSIGN,
                teacher_id=mentee.id,
                mentor_id=candidate.mentor.id,
                pair_id=found.replacing,
            ),
        ),
        _cb(MentorStaffAction.MENU),
    )
    await query.answer()
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.ASSIGN))
async def assign(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    assigned = await service.assign(
        uow,
        user,
        role,
        rules,
        teacher_id=callback_data.teacher_id,
        mentor_id=callback_data.mentor_id,
        replacing=callback_data.pair_id,
        replaced_outcome=t("methodist-reassigned-outcome"),
    )
    if isinstance(assigned, (Stale, Denied)):
        await refused(query, assigned, t)
        return
    if isinstance(assigned, Unavailable):
        await query.answer(t("mentor-unavailable"), show_alert=True)
        return
    await query.answer(t("methodist-assigned"), show_alert=True)
    await edit_text(message, t("methodist-menu"), reply_markup=_menu(t))


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.PAIRS))
async def pairs(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    found = await service.region_pairs(uow, user, role)
    if isinstance(found, Denied):
        await refused(query, found, t)
        return
    await query.answer()
    text, markup = _pairs_view(found, t)
    await edit_text(message, text, reply_markup=markup)


def _pairs_view(found: service.RegionPairs, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    for pair, mentee, mentor in found.shown:
        kb.button(
            text=t("methodist-pair", mentee=mentee or "—", mentor=mentor or "—"),
            callback_data=_cb(MentorStaffAction.PAIR, pair_id=pair.id),
        )
    kb.button(text=t("btn-back"), callback_data=_cb(MentorStaffAction.MENU))
    kb.adjust(1)
    return t("methodist-pairs", count=found.count), kb.as_markup()


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.PAIR))
async def pair_actions(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    card = await service.pair_card(uow, user, role, callback_data.pair_id)
    if isinstance(card, (Stale, Denied)):
        await refused(query, card, t)
        return
    await query.answer()
    text, markup = _pair_view(card, t)
    await edit_text(message, text, reply_markup=markup)


def _pair_view(card: mentorship.PairCard, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    pair, meetings = card.pair, card.meetings
    kb = Keyboard()
    kb.button(
        text=t("methodist-btn-reassign"),
        callback_data=_cb(MentorStaffAction.TEACHER, teacher_id=pair.mentee_id, pair_id=pair.id),
    )
    kb.button(text=t("methodist-btn-close"), callback_data=_cb(MentorStaffAction.CLOSE, pair_id=pair.id))
    kb.button(text=t("btn-back"), callback_data=_cb(MentorStaffAction.PAIRS))
    kb.adjust(1)
    text = t(
        "methodist-pair-card",
        mentee=card.mentee.full_name if card.mentee else "—",
        mentor=card.mentor.full_name if card.mentor else "—",
        since=pair.started_at.date(),
        count=len(meetings),
        last=meetings[0].met_on if meetings else None,
    )
    return text, kb.as_markup()


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.CLOSE))
async def ask_outcome(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    """«Завершить пару»: the card asks to confirm in place — the outcome typed closes the pair,
    «Отмена» shows the card again."""
    card = await service.pair_card(uow, user, role, callback_data.pair_id)
    if isinstance(card, (Stale, Denied)):
        await refused(query, card, t)
        return
    await state.set_state(PairOutcome.outcome)
    await state.set_data({"pair": card.pair.id})
    await query.answer()
    kb = Keyboard()
    kb.button(text=t("btn-cancel"), callback_data=_cb(MentorStaffAction.CLOSE_CANCEL, pair_id=card.pair.id))
    question = t(
        "methodist-close-confirm",
        mentee=card.mentee.full_name if card.mentee else "—",
        mentor=card.mentor.full_name if card.mentor else "—",
    )
    await edit_text(message, question + "\n\n" + t("mentor-ask-outcome"), reply_markup=kb.as_markup())


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.CLOSE_CANCEL))
async def close_cancelled(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    card = await service.pair_card(uow, user, role, callback_data.pair_id)
    if isinstance(card, Denied):
        await refused(query, card, t)
        return
    asked = await state.get_state() == PairOutcome.outcome.state  # and no other question since
    if asked and int(await state.get_value("pair", 0)) == callback_data.pair_id:
        await state.clear()
    if isinstance(card, Stale):  # closed meanwhile: the pairs as they are now
        await query.answer(t("err-stale-button"), show_alert=True)
        found = await service.region_pairs(uow, user, role)
        if not isinstance(found, Denied):
            text, markup = _pairs_view(found, t)
            await edit_text(message, text, reply_markup=markup)
        return
    await query.answer()
    text, markup = _pair_view(card, t)
    await edit_text(message, text, reply_markup=markup)


@outcome_router.message(PairOutcome.outcome, F.text)
async def got_outcome(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    pair_id = int(await state.get_value("pair", 0))
    if isinstance(await service.pair_to_close(uow, user, role, pair_id), (Stale, Denied)):
        await question_gone(message, state, t)
        return
    outcome = await typed_text(
        message, t, mentorship.typed(Typed.OUTCOME, message.text), question=t("mentor-ask-outcome")
    )
    if outcome is None:
        return
    await state.clear()
    closed = await service.close_pair(uow, user, role, pair_id, outcome)
    if isinstance(closed, (Stale, Denied)):
        await stale(message, t)
        return
    found = await service.region_pairs(uow, user, role)  # the pairs it was closed from, without it
    if isinstance(found, Denied):
        await message.answer(t("mentor-closed"))
    else:
        text, markup = _pairs_view(found, t)
        await message.answer(t("mentor-closed") + "\n\n" + text, reply_markup=markup)


@asks_again(PairOutcome.outcome, expects=Expects.TEXT)
async def ask_outcome_again(asking: Asking) -> bool:
    await asking.message.answer(asking.t("mentor-ask-outcome"))
    return True


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.NOMINEES))
async def nominees(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    found = await service.nominees(uow, user, role, rules)
    if isinstance(found, Denied):
        await refused(query, found, t)
        return
    await query.answer()
    await show_nominees(message, found, t)


async def show_nominees(message: Message, nominees: service.Nominees, t: Translator) -> None:
    kb = Keyboard()
    for person in nominees.people:
        kb.button(
            text=person.full_name or str(person.id),
            callback_data=_cb(MentorStaffAction.NOMINATE, teacher_id=person.id),
        )
    kb.button(text=t("btn-back"), callback_data=_cb(MentorStaffAction.MENU))
    kb.adjust(1)
    await edit_text(message, t("methodist-nominees", years=nominees.years), reply_markup=kb.as_markup())


@router.callback_query(MentorStaffCb.filter(F.action == MentorStaffAction.NOMINATE))
async def nominate(
    query: CallbackQuery,
    message: Message,
    callback_data: MentorStaffCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    nominated = await service.nominate(uow, user, role, rules, callback_data.teacher_id)
    if isinstance(nominated, (Stale, Denied)):
        await refused(query, nominated, t)
        return
    await query.answer(t("methodist-nominated"), show_alert=True)  # the one answer this press gets
    await show_nominees(message, nominated.nominees, t)


@denied.message(MenuButton("menu-methodist"))
async def denied_menu(message: Message, t: Translator) -> None:
    await no_access(message, t)


@denied.callback_query(MentorStaffCb.filter())
@denied.callback_query(WorkspaceCb.filter())
@denied.callback_query(DigestCb.filter())
async def denied_button(query: CallbackQuery, t: Translator) -> None:
    await no_access(query, t)
