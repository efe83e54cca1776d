"""Flow 5: «Наставничество» — candidates with reasons, requests, pairs, meetings, the registry.

Every callback re-checks that the request or pair exists and that the presser is the side it
belongs to: accepting someone else's request or logging a meeting in someone else's pair is refused.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.mentorship import Candidate, Mentee, Ranked, pair_goals, rank_candidates
from domain.profile import ProfileError, experience_years, is_manager, parse_date
from domain.region import Thresholds
from handlers.callbacks import MentorCb
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text, notify, region_rules, typed_text, young_teacher_rule
from locales import Html, Translations, Translator
from storage.learning import DiagnosisRepo
from storage.mentorship import MentorRepo
from storage.models import MentorMeeting, MentorPair, MentorRequest, User

log = logging.getLogger(__name__)
router = Router(name="mentorship")
# Typed answers (contact, decline message, meeting, outcome); tried after menu buttons and commands.
answers_router = Router(name="mentorship-answers")
Clock = Callable[[], datetime]
TOP = 3
TOPIC_MAX, NOTE_MAX, MESSAGE_MAX, OUTCOME_MAX, CONTACT_MAX = 200, 1000, 500, 1000, 200


class MentorInput(StatesGroup):
    contact = State()
    decline_message = State()
    meeting_date = State()
    meeting_topic = State()
    meeting_note = State()
    outcome = State()


# --- context ------------------------------------------------------------------------------------


async def mentee_of(session: AsyncSession, user: User) -> Mentee:
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    return Mentee(
        user.id,
        frozenset(user.subjects),
        user.school_id,
        user.municipality_id,
        tuple(diagnosis.deficits) if diagnosis else (),
    )


async def ranked_for(
    session: AsyncSession, mentee_user: User, form: str, area: str | None, now: datetime
) -> tuple[list[Ranked], dict[int, User]]:
    thresholds, _ = await region_rules(session, mentee_user.region_code)
    repo = MentorRepo(session)
    rows = await repo.candidates(mentee_user.region_code)
    today = now.date()
    candidates = [
        Candidate(
            user_id=u.id,
            subjects=frozenset(u.subjects),
            school_id=u.school_id,
            municipality_id=u.municipality_id,
            strengths=frozenset(strengths),
            load=load,
            capacity=profile.capacity or thresholds.mentor_capacity,
            experience_years=experience_years(u.work_start_year, today) if u.work_start_year else 0,
            manager=is_manager(u.position),
        )
        for u, profile, load, strengths in rows
    ]
    ranked = rank_candidates(
        await mentee_of(session, mentee_user),
        candidates,
        form=form,
        min_experience=thresholds.mentor_min_experience_years,
        excluded=await repo.excluded_for(mentee_user.id),
        area=area,
    )
    return ranked, {u.id: u for u, _, _, _ in rows}


def describe(ranked: Ranked, mentor: User, t: Translator) -> str:
    parts = []
    for key, codes in ranked.reasons:
        if key == "mentor-reason-strength":
            parts.append(t(key, areas=", ".join(t(f"area-{c}") for c in codes)))
        elif key == "mentor-reason-load":
            parts.append(t(key, load=int(codes[0]), capacity=int(codes[1])))
        else:
            parts.append(t(key, subjects=", ".join(t(f"subject-{c}") for c in codes)))
    return t(
        "mentor-candidate",
        name=mentor.full_name or "—",
        school=mentor.school.name if mentor.school else (mentor.school_custom or "—"),
        subjects=", ".join(t(f"subject-{c}") for c in mentor.subjects) or "—",
        reasons="; ".join(parts),
    )


async def _load_places(session: AsyncSession, users: list[User]) -> None:
    for u in users:
        await session.refresh(u, ["school"])


# --- home -----------------------------------------------------------------------------------------


@router.message(MenuButton("menu-mentorship"))
async def home(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await state.clear()
    text, markup = await home_view(session, user, t, clock())
    await message.answer(text, reply_markup=markup)


@router.callback_query(MentorCb.filter(F.action == "home"))
async def home_again(
    query: CallbackQuery, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await home_view(session, user, t, clock())
    await edit_text(query.message, text, reply_markup=markup)


async def home_view(
    session: AsyncSession, user: User, t: Translator, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    repo = MentorRepo(session)
    thresholds, _ = await region_rules(session, user.region_code)
    young = (await young_teacher_rule(session, user.region_code)).applies(
        user.birth_date, user.work_start_year, now.date()
    )
    parts = [
        t(
            "mentor-intro",
            age=thresholds.young_teacher_max_age,
            years=thresholds.young_teacher_max_experience_years,
        )
    ]
    kb = Keyboard()
    pairs = await repo.active_pairs(user.id)
    for pair in pairs:
        other = await session.get(User, pair.mentor_id if pair.mentee_id == user.id else pair.mentee_id)
        role = "mentor-you-mentee" if pair.mentee_id == user.id else "mentor-you-mentor"
        line = t(role, name=other.full_name if other else "—", form=t(f"mentor-form-{pair.form}"))
        parts.append(line)
        kb.button(text=_short(line, 60), callback_data=MentorCb(action="pair", x=pair.id))
    pending = await repo.pending_of_mentee(user.id)
    if pending is not None:
        mentor = await session.get(User, pending.mentor_id)
        parts.append(
            t("mentor-pending", name=mentor.full_name if mentor else "—", until=pending.expires_at.date())
        )
        kb.button(text=t("mentor-btn-cancel-request"), callback_data=MentorCb(action="cancel", x=pending.id))
    elif young and not any(p.mentee_id == user.id and p.form == "young" for p in pairs):
        ranked, people = await ranked_for(session, user, "young", None, now)
        top = ranked[:TOP]
        await _load_places(session, [people[r.user_id] for r in top])
        if top:
            parts.append(t("mentor-young-offer"))
            for number, r in enumerate(top, 1):
                parts.append(f"{number}. " + describe(r, people[r.user_id], t))
                kb.button(
                    text=t("mentor-btn-ask", name=_short(people[r.user_id].full_name)),
                    callback_data=MentorCb(action="ask", x=r.user_id, a="young"),
                )
        else:
            parts.append(t("mentor-none-available"))
    if pending is None:
        diagnosis = await DiagnosisRepo(session).latest_done(user.id)
        if diagnosis and diagnosis.deficits:
            kb.button(text=t("mentor-btn-peer"), callback_data=MentorCb(action="peer"))
        if is_manager(user.position):
            kb.button(text=t("mentor-btn-management"), callback_data=MentorCb(action="list", a="management"))
    profile = await repo.profile(user.id)
    if profile is not None and profile.active:
        kb.button(text=t("mentor-btn-optout"), callback_data=MentorCb(action="optout"))
    elif (
        user.work_start_year
        and experience_years(user.work_start_year, now.date()) >= thresholds.mentor_min_experience_years
    ):
        kb.button(text=t("mentor-btn-optin"), callback_data=MentorCb(action="optin"))
    kb.adjust(1)
    return "\n\n".join(parts), kb.as_markup()


def _short(name: str | None, limit: int = 40) -> str:
    name = name or "—"
    return name if len(name) <= limit else name[: limit - 1] + "…"


# --- choosing a mentor ------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == "peer"))
async def choose_peer_area(query: CallbackQuery, session: AsyncSession, user: User, t: Translator) -> None:
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    if diagnosis is None or not diagnosis.deficits:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    kb = Keyboard()
    for area in diagnosis.deficits:
        kb.button(text=t(f"area-{area}"), callback_data=MentorCb(action="list", a=f"peer.{area}"))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="home"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("mentor-peer-choose"), reply_markup=kb.as_markup())


@router.callback_query(MentorCb.filter(F.action == "list"))
async def list_candidates(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    form, area = _form_area(callback_data.a)
    if form is None or not await _may_ask(session, user, form, area, clock()):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    ranked, people = await ranked_for(session, user, form, area, clock())
    top = ranked[:TOP]
    await _load_places(session, [people[r.user_id] for r in top])
    kb = Keyboard()
    lines = [t(f"mentor-list-{form}", area=t(f"area-{area}") if area else "")]
    for number, r in enumerate(top, 1):
        lines.append(f"{number}. " + describe(r, people[r.user_id], t))
        kb.button(
            text=t("mentor-btn-ask", name=_short(people[r.user_id].full_name)),
            callback_data=MentorCb(action="ask", x=r.user_id, a=callback_data.a),
        )
    if not top:
        lines.append(t("mentor-none-available"))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="home"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, "\n\n".join(lines), reply_markup=kb.as_markup())


def _form_area(value: str) -> tuple[str | None, str | None]:
    form, _, area = value.partition(".")
    if form in ("young", "management") and not area:
        return form, None
    if form == "peer" and area:
        return form, area
    return None, None


async def _may_ask(session: AsyncSession, user: User, form: str, area: str | None, now: datetime) -> bool:
    """Whether ``user`` may ask for a mentor of this form now."""
    if await MentorRepo(session).pending_of_mentee(user.id) is not None:
        return False
    if form == "young":
        rule = await young_teacher_rule(session, user.region_code)
        return rule.applies(user.birth_date, user.work_start_year, now.date())
    if form == "management":
        return is_manager(user.position)
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    return diagnosis is not None and area in diagnosis.deficits


@router.callback_query(MentorCb.filter(F.action == "ask"))
async def ask_mentor(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    form, area = _form_area(callback_data.a)
    now = clock()
    if form is None or not await _may_ask(session, user, form, area, now):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    ranked, people = await ranked_for(session, user, form, area, now)
    choice = next((r for r in ranked if r.user_id == callback_data.x), None)
    if choice is None:  # full since, declined before, or never a candidate
        await query.answer(t("mentor-unavailable"), show_alert=True)
        return
    thresholds, _ = await region_rules(session, user.region_code)
    request = await MentorRepo(session).create_request(
        user.id, choice.user_id, form, area, now, now + timedelta(days=thresholds.mentor_request_days)
    )
    await session.commit()
    mentor = people[choice.user_id]
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(
        query.message,
        t("mentor-requested", name=mentor.full_name, days=thresholds.mentor_request_days),
        reply_markup=None,
    )
    await _send_request(bot, translations, session, request, user, mentor)


async def _send_request(
    bot: Bot,
    translations: Translations,
    session: AsyncSession,
    request: MentorRequest,
    mentee: User,
    mentor: User,
) -> None:
    mt = translations.get(mentor.locale)
    await session.refresh(mentee, ["school"])
    mentee_of_request = await mentee_of(session, mentee)
    kb = Keyboard()
    kb.button(text=mt("mentor-btn-accept"), callback_data=MentorCb(action="accept", x=request.id))
    kb.button(text=mt("mentor-btn-decline"), callback_data=MentorCb(action="decline", x=request.id))
    kb.adjust(2)
    await notify(
        bot,
        translations,
        mentor,
        "mentor-request-received",
        kb.as_markup(),
        name=mentee.full_name or "—",
        school=mentee.school.name if mentee.school else (mentee.school_custom or "—"),
        subjects=", ".join(mt(f"subject-{c}") for c in mentee.subjects) or "—",
        form=mt(f"mentor-form-{request.form}"),
        deficits=", ".join(mt(f"area-{a}") for a in mentee_of_request.deficits) or mt("diag-none"),
        until=request.expires_at.date(),
    )


@router.callback_query(MentorCb.filter(F.action == "cancel"))
async def cancel_request(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    request = await MentorRepo(session).request(callback_data.x)
    if request is None or request.mentee_id != user.id or request.status != "pending":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    request.status, request.answered_at = "cancelled", clock()
    await session.commit()
    await query.answer(t("mentor-request-cancelled"))
    assert isinstance(query.message, Message)
    text, markup = await home_view(session, user, t, clock())
    await edit_text(query.message, text, reply_markup=markup)


# --- the mentor answers ---------------------------------------------------------------------------


async def _own_pending(session: AsyncSession, request_id: int, user: User) -> MentorRequest | None:
    request = await MentorRepo(session).request(request_id)
    if request is None or request.mentor_id != user.id or request.status != "pending":
        return None
    return request


@router.callback_query(MentorCb.filter(F.action == "accept"))
async def accept(
    query: CallbackQuery,
    callback_data: MentorCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    request = await _own_pending(session, callback_data.x, user)
    if request is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    repo = MentorRepo(session)
    thresholds, _ = await region_rules(session, user.region_code)
    profile = await repo.profile(user.id)
    capacity = (profile.capacity if profile else None) or thresholds.mentor_capacity
    if await repo.load(user.id) >= capacity:
        await query.answer(t("mentor-capacity-full", capacity=capacity), show_alert=True)
        return
    mentee = await session.get(User, request.mentee_id)
    assert mentee is not None
    now = clock()
    request.status, request.answered_at = "accepted", now
    deficits = (await mentee_of(session, mentee)).deficits
    pair = await repo.create_pair(
        mentee.id, user.id, request.form, pair_goals(deficits, request.area), now, None
    )
    await session.commit()
    log.info("mentor request accepted", extra={"pair_id": pair.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("mentor-accepted-you", name=mentee.full_name), reply_markup=None)
    await _announce_pair(bot, translations, session, pair, thresholds)


async def _announce_pair(
    bot: Bot, translations: Translations, session: AsyncSession, pair: MentorPair, thresholds: Thresholds
) -> None:
    """Both sides get each other's contact (only what the mentor allowed) and the plan."""
    mentee = await session.get(User, pair.mentee_id)
    mentor = await session.get(User, pair.mentor_id)
    assert mentee is not None and mentor is not None
    profile = await MentorRepo(session).profile(mentor.id)
    for person, other, key in (
        (mentee, mentor, "mentor-pair-mentee"),
        (mentor, mentee, "mentor-pair-mentor"),
    ):
        pt = translations.get(person.locale)
        contact = _telegram_link(other)
        if other is mentor and profile is not None and profile.contact:
            contact += "\n" + html.escape(profile.contact)
        kb = Keyboard()
        kb.button(text=pt("mentor-btn-open-pair"), callback_data=MentorCb(action="pair", x=pair.id))
        await notify(
            bot,
            translations,
            person,
            key,
            kb.as_markup(),
            name=other.full_name or "—",
            contact=Html(contact),
            form=pt(f"mentor-form-{pair.form}"),
            goals=", ".join(pt(f"area-{g}") for g in pair.goals) or pt("mentor-goals-open"),
            days=thresholds.mentor_meeting_reminder_days,
        )


def _telegram_link(user: User) -> str:
    return f'<a href="tg://user?id={user.telegram_id}">{html.escape(user.full_name or "Telegram")}</a>'


@router.callback_query(MentorCb.filter(F.action == "decline"))
async def decline_ask_message(
    query: CallbackQuery,
    callback_data: MentorCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    request = await _own_pending(session, callback_data.x, user)
    if request is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(MentorInput.decline_message)
    await state.set_data({"request": request.id})
    kb = Keyboard()
    kb.button(text=t("mentor-btn-no-comment"), callback_data=MentorCb(action="decline_now", x=request.id))
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("mentor-decline-ask"), reply_markup=kb.as_markup())


@router.callback_query(MentorCb.filter(F.action == "decline_now"))
async def decline_without_message(
    query: CallbackQuery,
    callback_data: MentorCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await _decline(query.message, callback_data.x, None, state, session, user, bot, t, translations, clock)


@answers_router.message(MentorInput.decline_message, F.text)
async def decline_with_message(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    text = await typed_text(message, t, max_len=MESSAGE_MAX, question=t("mentor-decline-ask"))
    if text is None:
        return
    request_id = int(await state.get_value("request", 0))
    await _decline(message, request_id, text, state, session, user, bot, t, translations, clock)


async def _decline(
    message: Message,
    request_id: int,
    text: str | None,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    await state.clear()
    request = await _own_pending(session, request_id, user)
    if request is None:
        await message.answer(t("err-stale-button"))
        return
    request.status, request.answered_at, request.message = "declined", clock(), text
    await session.commit()
    await message.answer(t("mentor-declined-you"))
    mentee = await session.get(User, request.mentee_id)
    assert mentee is not None
    key = "mentor-declined-with-message" if text else "mentor-declined"
    await offer_next(
        bot, translations, session, mentee, key, clock(), name=user.full_name, message=text or ""
    )


async def offer_next(
    bot: Bot,
    translations: Translations,
    session: AsyncSession,
    mentee: User,
    key: str,
    now: datetime,
    **args: object,
) -> None:
    """Tell the mentee the request did not work out and offer the next candidates."""
    mt = translations.get(mentee.locale)
    text, markup = await home_view(session, mentee, mt, now)
    await notify(bot, translations, mentee, key, None, **args)
    try:
        await bot.send_message(mentee.telegram_id, text, reply_markup=markup)
    except Exception as exc:  # noqa: BLE001 - a blocked user must not stop the others
        log.warning("could not offer the next mentor to user %s: %r", mentee.id, exc)


# --- the pair ---------------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == "pair"))
async def pair_card(
    query: CallbackQuery, callback_data: MentorCb, session: AsyncSession, user: User, t: Translator
) -> None:
    pair = await MentorRepo(session).pair_of(callback_data.x, user.id)
    if pair is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _pair_view(session, pair, user, t)
    await edit_text(query.message, text, reply_markup=markup)


async def _pair_view(
    session: AsyncSession, pair: MentorPair, user: User, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    mentee = await session.get(User, pair.mentee_id)
    mentor = await session.get(User, pair.mentor_id)
    meetings = await MentorRepo(session).meetings(pair.id)
    history = [
        t("mentor-meeting-line", date=m.met_on, topic=m.topic, note=m.note or "") for m in meetings[:10]
    ]
    text = t(
        "mentor-pair-card",
        mentor=mentor.full_name if mentor else "—",
        mentee=mentee.full_name if mentee else "—",
        form=t(f"mentor-form-{pair.form}"),
        status=t(f"mentor-pair-{pair.status}"),
        since=pair.started_at.date(),
        goals=", ".join(t(f"area-{g}") for g in pair.goals) or t("mentor-goals-open"),
        count=len(meetings),
        history=Html("\n".join(history) if history else t("mentor-no-meetings")),
    )
    if pair.outcome:
        text += "\n" + t("mentor-outcome", outcome=pair.outcome)
    kb = Keyboard()
    if pair.status == "active":
        kb.button(text=t("mentor-btn-log"), callback_data=MentorCb(action="log", x=pair.id))
        kb.button(text=t("mentor-btn-close"), callback_data=MentorCb(action="close", x=pair.id))
    kb.button(text=t("btn-back"), callback_data=MentorCb(action="home"))
    kb.adjust(1)
    return text, kb.as_markup()


@router.callback_query(MentorCb.filter(F.action.in_({"log", "close"})))
async def pair_input(
    query: CallbackQuery,
    callback_data: MentorCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    pair = await MentorRepo(session).pair_of(callback_data.x, user.id)
    if pair is None or pair.status != "active":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    first = MentorInput.meeting_date if callback_data.action == "log" else MentorInput.outcome
    await state.set_state(first)
    await state.set_data({"pair": pair.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(
        t("mentor-ask-date" if callback_data.action == "log" else "mentor-ask-outcome")
    )


async def _pair_in_state(state: FSMContext, session: AsyncSession, user: User) -> MentorPair | None:
    pair = await MentorRepo(session).pair_of(int(await state.get_value("pair", 0)), user.id)
    return pair if pair is not None and pair.status == "active" else None


@answers_router.message(MentorInput.meeting_date, F.text)
async def meeting_date(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    pair = await _pair_in_state(state, session, user)
    if pair is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    try:
        day = parse_date(message.text)
    except ProfileError as err:
        await message.answer(t(err.code) + "\n\n" + t("mentor-ask-date"))
        return
    if day > clock().date():
        await message.answer(t("err-date-future") + "\n\n" + t("mentor-ask-date"))
        return
    if day < pair.started_at.date():
        await message.answer(t("mentor-date-before-pair", since=pair.started_at.date()))
        return
    await state.update_data(day=day.isoformat())
    await state.set_state(MentorInput.meeting_topic)
    await message.answer(t("mentor-ask-topic"))


@answers_router.message(MentorInput.meeting_topic, F.text)
async def meeting_topic(message: Message, state: FSMContext, t: Translator) -> None:
    topic = await typed_text(message, t, max_len=TOPIC_MAX, question=t("mentor-ask-topic"))
    if topic is None:
        return
    await state.update_data(topic=topic)
    await state.set_state(MentorInput.meeting_note)
    kb = Keyboard()
    kb.button(text=t("mentor-btn-skip"), callback_data=MentorCb(action="note_skip"))
    await message.answer(t("mentor-ask-note"), reply_markup=kb.as_markup())


@answers_router.message(MentorInput.meeting_note, F.text)
async def meeting_note(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    note = await typed_text(message, t, max_len=NOTE_MAX, question=t("mentor-ask-note"))
    if note is None:
        return
    await _save_meeting(message, note, state, session, user, t, clock)


@router.callback_query(MentorInput.meeting_note, MentorCb.filter(F.action == "note_skip"))
async def meeting_note_skipped(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await _save_meeting(query.message, None, state, session, user, t, clock)


async def _save_meeting(
    message: Message,
    note: str | None,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    data = await state.get_data()
    pair = await _pair_in_state(state, session, user)
    await state.clear()
    if pair is None or "day" not in data or "topic" not in data:
        await message.answer(t("err-stale-button"))
        return
    await MentorRepo(session).add_meeting(
        MentorMeeting(
            pair_id=pair.id,
            logged_by=user.id,
            met_on=date.fromisoformat(data["day"]),
            topic=data["topic"],
            note=note,
            created_at=clock(),
        )
    )
    await session.commit()
    await message.answer(t("mentor-meeting-saved"))
    text, markup = await _pair_view(session, pair, user, t)
    await message.answer(text, reply_markup=markup)


@answers_router.message(MentorInput.outcome, F.text)
async def close_pair(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    pair = await _pair_in_state(state, session, user)
    if pair is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    outcome = await typed_text(message, t, max_len=OUTCOME_MAX, question=t("mentor-ask-outcome"))
    if outcome is None:
        return
    await state.clear()
    await close(session, pair, outcome, clock())
    await message.answer(t("mentor-closed"))
    other = await session.get(User, pair.mentor_id if pair.mentee_id == user.id else pair.mentee_id)
    if other is not None:
        await notify(
            bot, translations, other, "mentor-closed-other", None, name=user.full_name, outcome=outcome
        )


async def close(session: AsyncSession, pair: MentorPair, outcome: str, now: datetime) -> None:
    pair.status, pair.closed_at, pair.outcome = "closed", now, outcome
    await session.commit()


# --- the registry -------------------------------------------------------------------------------------


@router.callback_query(MentorCb.filter(F.action == "optin"))
async def opt_in(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    thresholds, _ = await region_rules(session, user.region_code)
    years = experience_years(user.work_start_year, clock().date()) if user.work_start_year else 0
    if years < thresholds.mentor_min_experience_years:
        await query.answer(
            t("mentor-optin-too-early", years=thresholds.mentor_min_experience_years), show_alert=True
        )
        return
    await state.set_state(MentorInput.contact)
    kb = Keyboard()
    kb.button(text=t("mentor-btn-telegram-only"), callback_data=MentorCb(action="contact_skip"))
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("mentor-ask-contact"), reply_markup=kb.as_markup())


@router.callback_query(MentorInput.contact, MentorCb.filter(F.action == "contact_skip"))
async def opt_in_telegram_only(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await _enrol(query.message, None, state, session, user, t, clock)


@answers_router.message(MentorInput.contact, F.text)
async def opt_in_contact(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    contact = await typed_text(message, t, max_len=CONTACT_MAX, question=t("mentor-ask-contact"))
    if contact is None:
        return
    await _enrol(message, contact, state, session, user, t, clock)


async def _enrol(
    message: Message,
    contact: str | None,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    await state.clear()
    await MentorRepo(session).enrol(user.id, "opt_in", contact, clock())
    await session.commit()
    thresholds, _ = await region_rules(session, user.region_code)
    await message.answer(t("mentor-enrolled", capacity=thresholds.mentor_capacity))


@router.callback_query(MentorCb.filter(F.action == "optout"))
async def opt_out(
    query: CallbackQuery, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    profile = await MentorRepo(session).profile(user.id)
    if profile is None or not profile.active:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    profile.active = False
    await session.commit()
    await query.answer(t("mentor-left-registry"), show_alert=True)
    assert isinstance(query.message, Message)
    text, markup = await home_view(session, user, t, clock())
    await edit_text(query.message, text, reply_markup=markup)


# Registered last: anything but text in a state that waits for text.
@answers_router.message(MentorInput.meeting_date)
@answers_router.message(MentorInput.meeting_topic)
@answers_router.message(MentorInput.meeting_note)
@answers_router.message(MentorInput.outcome)
@answers_router.message(MentorInput.decline_message)
@answers_router.message(MentorInput.contact)
async def text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-text-expected"))
