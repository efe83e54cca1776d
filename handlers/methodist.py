"""«Кабинет методиста», mentorship part: assign, reassign and close pairs, nominate mentors.

Every handler sits behind the methodist/admin role filter and acts only within the methodist's
own region; a teacher who presses or forges one of these buttons gets «Нет доступа».
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.mentorship import pair_goals
from domain.roles import Role
from handlers.callbacks import DigestCb, MentorCb, WorkspaceAction, WorkspaceCb
from handlers.filters import MenuButton, RoleFilter
from handlers.keyboards import Keyboard
from handlers.mentorship import OUTCOME_MAX, _announce_pair, close, describe, ranked_for
from handlers.render import edit_text, notify, region_rules, typed_text, young_teacher_rule
from locales import Translations, Translator
from storage.audit import audit
from storage.mentorship import MentorRepo, nominee_candidates, region_active_pairs, region_young_teachers
from storage.models import User

log = logging.getLogger(__name__)
router = Router(name="methodist")
router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
outcome_router = Router(name="methodist-outcome")
outcome_router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
denied = Router(name="methodist-denied")
Clock = Callable[[], datetime]
PAGE = 10
PAIRS = 50  # the oldest; the digest and the teacher list reach the others
NOMINEES = 30  # the first of them by name; a nomination brings the next one in


class PairOutcome(StatesGroup):
    outcome = State()


@router.message(MenuButton("menu-methodist"))
async def workspace(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("methodist-menu"), reply_markup=_menu(t))


def _menu(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("methodist-btn-digest"), callback_data=DigestCb(action="show"))
    kb.button(text=t("methodist-btn-teachers"), callback_data=WorkspaceCb(action=WorkspaceAction.LIST))
    kb.button(text=t("methodist-btn-unsupported"), callback_data=MentorCb(action="m_young"))
    kb.button(text=t("methodist-btn-pairs"), callback_data=MentorCb(action="m_pairs"))
    kb.button(text=t("methodist-btn-nominate"), callback_data=MentorCb(action="m_nominees"))
    kb.adjust(1)
    return kb.as_markup()


@router.callback_query(MentorCb.filter(F.action == "m_menu"))
async def workspace_again(query: CallbackQuery, t: Translator) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("methodist-menu"), reply_markup=_menu(t))


async def _in_region(session: AsyncSession, methodist: User, user_id: int) -> User | None:
    person = await session.get(User, user_id)
    return person if person is not None and person.region_code == methodist.region_code else None


@router.callback_query(MentorCb.filter(F.action == "m_young"))
async def young_without_support(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    rule = await young_teacher_rule(session, user.region_code)
    young = await region_young_teachers(session, user.region_code, rule, clock().date())
    waiting = [person for person, supported in young if not supported]
    page = max(0, callback_data.x)
    kb = Keyboard()
    for person in waiting[page * PAGE : (page + 1) * PAGE]:
        kb.button(
            text=person.full_name or str(person.id), callback_data=MentorCb(action="m_teacher", x=person.id)
        )
    if (page + 1) * PAGE < len(waiting):
        kb.button(text=t("btn-next"), callback_data=MentorCb(action="m_young", x=page + 1))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="m_menu"))
    kb.adjust(1)
    share = 100 * (len(young) - len(waiting)) / len(young) if young else 0
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(
        query.message,
        t("methodist-young", total=len(young), waiting=len(waiting), share=round(share)),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(MentorCb.filter(F.action == "m_teacher"))
async def candidates_for_teacher(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    mentee = await _in_region(session, user, callback_data.x)
    if mentee is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    reassign = callback_data.y  # a pair being replaced, if any
    ranked, people = await ranked_for(session, mentee, "young", None, clock())
    kb = Keyboard()
    lines = [t("methodist-candidates", name=mentee.full_name)]
    for number, r in enumerate(ranked[:5], 1):
        person = people[r.user_id]
        await session.refresh(person, ["school"])
        lines.append(f"{number}. " + describe(r, person, t))
        kb.button(
            text=t("methodist-btn-assign", name=(person.full_name or "—")[:40]),
            callback_data=MentorCb(
                action="m_assign", x=mentee.id, y=r.user_id, a=f"r{reassign}" if reassign else ""
            ),
        )
    if not ranked:
        lines.append(t("mentor-none-available"))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="m_menu"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, "\n\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(MentorCb.filter(F.action == "m_assign"))
async def assign(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    mentee = await _in_region(session, user, callback_data.x)
    now = clock()
    if mentee is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    repo = MentorRepo(session)
    replaced = None
    if callback_data.a.startswith("r") and callback_data.a[1:].isdigit():
        replaced = await repo.pair(int(callback_data.a[1:]))
        if replaced is None or replaced.mentee_id != mentee.id or replaced.status != "active":
            await query.answer(t("err-stale-button"), show_alert=True)
            return
    ranked, _ = await ranked_for(session, mentee, "young", None, now)
    if not any(r.user_id == callback_data.y for r in ranked):  # over capacity, declined, or not a mentor
        await query.answer(t("mentor-unavailable"), show_alert=True)
        return
    if replaced is not None:
        replaced.status, replaced.closed_at, replaced.outcome = (
            "closed",
            now,
            t("methodist-reassigned-outcome"),
        )
    deficits = await _deficits(session, mentee.id)
    pair = await repo.create_pair(mentee.id, callback_data.y, "young", pair_goals(deficits), now, user.id)
    await audit(
        session, user.id, "pair.assign", target_type="pair", target_id=pair.id, replaced=bool(replaced)
    )
    await session.commit()
    log.info("pair assigned by methodist", extra={"user_id": user.id, "pair_id": pair.id})
    await query.answer(t("methodist-assigned"), show_alert=True)
    thresholds, _ = await region_rules(session, mentee.region_code)
    await _announce_pair(bot, translations, session, pair, thresholds)
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("methodist-menu"), reply_markup=_menu(t))


async def _deficits(session: AsyncSession, user_id: int) -> list[str]:
    from storage.learning import DiagnosisRepo

    diagnosis = await DiagnosisRepo(session).latest_done(user_id)
    return list(diagnosis.deficits) if diagnosis else []


@router.callback_query(MentorCb.filter(F.action == "m_pairs"))
async def pairs(query: CallbackQuery, session: AsyncSession, user: User, t: Translator) -> None:
    count, shown = await region_active_pairs(session, user.region_code, limit=PAIRS)
    kb = Keyboard()
    for pair, mentee, mentor in shown:
        kb.button(
            text=t("methodist-pair", mentee=mentee or "—", mentor=mentor or "—"),
            callback_data=MentorCb(action="m_pair", x=pair.id),
        )
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="m_menu"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("methodist-pairs", count=count), reply_markup=kb.as_markup())


async def _pair_in_region(session: AsyncSession, methodist: User, pair_id: int):
    pair = await MentorRepo(session).pair(pair_id)
    if pair is None or pair.status != "active":
        return None
    return pair if await _in_region(session, methodist, pair.mentee_id) is not None else None


@router.callback_query(MentorCb.filter(F.action == "m_pair"))
async def pair_actions(
    query: CallbackQuery, callback_data: MentorCb, session: AsyncSession, user: User, t: Translator
) -> None:
    pair = await _pair_in_region(session, user, callback_data.x)
    if pair is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    mentee, mentor = await session.get(User, pair.mentee_id), await session.get(User, pair.mentor_id)
    meetings = await MentorRepo(session).meetings(pair.id)
    kb = Keyboard()
    kb.button(
        text=t("methodist-btn-reassign"),
        callback_data=MentorCb(action="m_teacher", x=pair.mentee_id, y=pair.id),
    )
    kb.button(text=t("methodist-btn-close"), callback_data=MentorCb(action="m_close", x=pair.id))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="m_pairs"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(
        query.message,
        t(
            "methodist-pair-card",
            mentee=mentee.full_name if mentee else "—",
            mentor=mentor.full_name if mentor else "—",
            since=pair.started_at.date(),
            count=len(meetings),
            last=meetings[0].met_on if meetings else None,
        ),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(MentorCb.filter(F.action == "m_close"))
async def ask_outcome(
    query: CallbackQuery,
    callback_data: MentorCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    pair = await _pair_in_region(session, user, callback_data.x)
    if pair is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(PairOutcome.outcome)
    await state.set_data({"pair": pair.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("mentor-ask-outcome"))


@outcome_router.message(PairOutcome.outcome, F.text)
async def got_outcome(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    pair = await _pair_in_region(session, user, int(await state.get_value("pair", 0)))
    if pair is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    outcome = await typed_text(message, t, max_len=OUTCOME_MAX, question=t("mentor-ask-outcome"))
    if outcome is None:
        return
    await state.clear()
    await audit(session, user.id, "pair.close", target_type="pair", target_id=pair.id)
    await close(session, pair, outcome, clock())
    await message.answer(t("mentor-closed"))
    for side in (pair.mentee_id, pair.mentor_id):
        person = await session.get(User, side)
        if person is not None:
            await notify(
                bot, translations, person, "mentor-closed-other", None, name=user.full_name, outcome=outcome
            )


@outcome_router.message(PairOutcome.outcome)
async def outcome_text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-text-expected"))


@router.callback_query(MentorCb.filter(F.action == "m_nominees"))
async def nominees(
    query: CallbackQuery, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await show_nominees(query.message, session, user, t, clock)


async def show_nominees(
    message: Message, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    thresholds, _ = await region_rules(session, user.region_code)
    eligible = await nominee_candidates(
        session, user.region_code, thresholds.mentor_min_experience_years, clock().date(), limit=NOMINEES
    )
    kb = Keyboard()
    for person in eligible:
        kb.button(
            text=person.full_name or str(person.id), callback_data=MentorCb(action="m_nominate", x=person.id)
        )
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="m_menu"))
    kb.adjust(1)
    await edit_text(
        message,
        t("methodist-nominees", years=thresholds.mentor_min_experience_years),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(MentorCb.filter(F.action == "m_nominate"))
async def nominate(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    person = await _in_region(session, user, callback_data.x)
    if person is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await MentorRepo(session).enrol(person.id, "nominated", None, clock())
    await audit(session, user.id, "mentor.nominate", target_type="user", target_id=person.id)
    await session.commit()
    await query.answer(t("methodist-nominated"), show_alert=True)  # the one answer this press gets
    await notify(bot, translations, person, "mentor-nominated-you", None, name=user.full_name)
    if isinstance(query.message, Message):
        await show_nominees(query.message, session, user, t, clock)


@denied.message(MenuButton("menu-methodist"))
async def denied_menu(message: Message, t: Translator) -> None:
    await message.answer(t("no-access"))


@denied.callback_query(MentorCb.filter(F.action.startswith("m_")))
@denied.callback_query(WorkspaceCb.filter())
@denied.callback_query(DigestCb.filter())
async def denied_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("no-access"), show_alert=True)
