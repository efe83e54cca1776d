"""Flow 1: /start, consent to personal-data processing, and the profile wizard.

Every answer is saved in the user's row as it is given and the step lives in the FSM storage
over the database, so a restart in the middle of the wizard continues where the user was.
The same steps serve editing from «Профиль» (``editing`` in the FSM data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import AsyncSession

from domain import profile as rules
from domain.profile import SUBJECTS, Position, ProfileError, Qualification
from domain.roles import INVITE_CODE_RE, Role, effective_role
from handlers import keyboards
from handlers.callbacks import ConsentCb, PickCb, PositionCb, QualificationCb, RegionCb, SubjectCb
from handlers.render import edit_text, profile_markup, profile_text, show_main_menu
from locales import Html, Translations, Translator
from storage.caseload import assign_by_rules
from storage.models import User
from storage.repositories import DirectoryRepo, InviteRepo, UserRepo

log = logging.getLogger(__name__)
# /start and the consent work for anyone; the wizard needs a person who consented.
start_router = Router(name="start")
router = Router(name="onboarding")
Clock = Callable[[], datetime]


class Onboarding(StatesGroup):
    consent = State()
    full_name = State()
    position = State()
    region = State()
    municipality = State()
    municipality_custom = State()
    school = State()
    school_custom = State()
    subjects = State()
    birth_date = State()
    work_start = State()
    qualification = State()


TEXT_STATES = (
    Onboarding.full_name,
    Onboarding.municipality_custom,
    Onboarding.school_custom,
    Onboarding.birth_date,
    Onboarding.work_start,
)
BUTTON_STATES = (
    Onboarding.consent,
    Onboarding.position,
    Onboarding.region,
    Onboarding.subjects,
    Onboarding.qualification,
)


# --- /start and consent ------------------------------------------------------------------------


@start_router.message(CommandStart())
async def start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    user: User | None,
    role: Role,
    t: Translator,
    clock: Clock,
    admin_ids: tuple[int, ...],
) -> None:
    code = command.args if command.args and re.fullmatch(INVITE_CODE_RE, command.args) else None
    if command.args and code is None:
        await message.answer(t("invite-invalid"))
    if user is None:
        await state.clear()
        await state.update_data(invite=code, locale=t.locale)
        await state.set_state(Onboarding.consent)
        await message.answer(t("start-greeting"), reply_markup=ReplyKeyboardRemove())
        await message.answer(t("consent-request"), reply_markup=keyboards.consent(t))
        return
    if code is not None:
        await redeem_invite(message, session, user, code, t, clock)
        role = effective_role(user.role, user.telegram_id, admin_ids)
    await state.set_data({})
    await continue_or_finish(message, state, session, user, role, t, clock, welcome_back=True)


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == "lang"))
async def consent_language(
    query: CallbackQuery, state: FSMContext, t: Translator, translations: Translations
) -> None:
    other = next(loc for loc in translations.locales if loc != t.locale)
    await state.update_data(locale=other)
    t = translations.get(other)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("start-greeting"))
        await query.message.answer(t("consent-request"), reply_markup=keyboards.consent(t))


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == "no"))
async def consent_declined(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    # Nothing about the person is kept: not even the conversation state.
    await state.clear()
    await query.answer()
    await _close_question(query, t("consent-declined"))


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == "yes"))
async def consent_given(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User | None,
    t: Translator,
    clock: Clock,
    admin_ids: tuple[int, ...],
) -> None:
    data = await state.get_data()
    if user is None:
        user = await UserRepo(session).create(query.from_user.id, t.locale, clock())
        await session.commit()
        log.info("consent given", extra={"user_id": user.id})
    await query.answer()
    await _close_question(query, t("consent-given"))
    assert isinstance(query.message, Message)
    if data.get("invite"):
        await redeem_invite(query.message, session, user, data["invite"], t, clock)
    await state.set_data({})
    role = effective_role(user.role, user.telegram_id, admin_ids)
    await continue_or_finish(query.message, state, session, user, role, t, clock)


async def redeem_invite(
    message: Message, session: AsyncSession, user: User, code: str, t: Translator, clock: Clock
) -> None:
    invite = await InviteRepo(session).redeem(code, user.id, clock())
    if invite is None:
        await message.answer(t("invite-invalid"))
        return
    granted = Role(invite.role)
    if Role(user.role) != Role.ADMIN:  # an invite never lowers a role
        user.role = granted
    await session.commit()
    log.info("invite redeemed", extra={"user_id": user.id, "role": granted})
    await message.answer(t("invite-accepted", role=t(f"role-{user.role}")))


# --- the wizard engine ---------------------------------------------------------------------------


async def continue_or_finish(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
    *,
    welcome_back: bool = False,
) -> None:
    """Ask the next missing answer, or finish: the end of onboarding, or back to the profile."""
    missing = rules.missing_steps(user)
    if missing:
        if welcome_back:
            await message.answer(t("wizard-resume"))
        await ask_step(missing[0], message, state, session, user, t)
        return
    editing = await state.get_value("editing", False)
    await state.clear()
    if user.profile_completed_at is None:
        user.profile_completed_at = clock()
        await assign_by_rules(session, user, now=clock())
        await session.commit()
        await UserRepo(session).load_places(user)
        await message.answer(t("wizard-done", profile=Html(await profile_text(session, user, t, clock()))))
        await show_main_menu(message, t, role)
    elif editing:
        await assign_by_rules(session, user, now=clock())
        await session.commit()
        await UserRepo(session).load_places(user)
        await message.answer(
            await profile_text(session, user, t, clock()),
            reply_markup=await profile_markup(session, user, t, clock()),
        )
    else:
        await show_main_menu(message, t, role, welcome_back=welcome_back)


async def ask_step(
    step: str, message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    """Send the question for ``step`` and put the conversation in its state."""
    directory = DirectoryRepo(session)
    if step == "full_name":
        await state.set_state(Onboarding.full_name)
        await message.answer(t("ask-full-name"))
    elif step == "position":
        await state.set_state(Onboarding.position)
        await message.answer(t("ask-position"), reply_markup=keyboards.positions(t))
    elif step == "region":
        await state.set_state(Onboarding.region)
        items = [(r.code, r.name if t.locale == "ru" else r.name_en) for r in await directory.regions()]
        await message.answer(t("ask-region"), reply_markup=keyboards.regions(items))
    elif step == "municipality":
        await state.update_data(query=None)
        if user.region_code is None:
            await ask_step("region", message, state, session, user, t)
            return
        await state.set_state(Onboarding.municipality)
        await _send_picker(message, "m", await _municipality_items(directory, user), None, 0, t)
    elif step == "school":
        await state.update_data(query=None)
        if user.municipality_id is None:
            # No directory for a municipality the user typed: the school is typed too.
            await state.set_state(Onboarding.school_custom)
            await message.answer(t("ask-school-custom"))
            return
        await state.set_state(Onboarding.school)
        await _send_picker(message, "s", await _school_items(directory, user), None, 0, t)
    elif step == "subjects":
        # Asked again at the same step (after a sticker or text): the subjects ticked so far stay.
        ticked = await state.get_value("subjects") if await state.get_state() == Onboarding.subjects else None
        selected = list(ticked if ticked is not None else user.subjects or [])
        await state.set_state(Onboarding.subjects)
        await state.update_data(subjects=selected)
        await message.answer(t("ask-subjects"), reply_markup=keyboards.subjects(t, selected))
    elif step == "birth_date":
        await state.set_state(Onboarding.birth_date)
        await message.answer(t("ask-birth-date"))
    elif step == "work_start":
        await state.set_state(Onboarding.work_start)
        await message.answer(t("ask-work-start"))
    elif step == "qualification":
        await state.set_state(Onboarding.qualification)
        await message.answer(t("ask-qualification"), reply_markup=keyboards.qualifications(t))
    else:  # pragma: no cover - the step names are a closed set in domain.profile.STEPS
        raise ValueError(step)


async def _saved(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    await session.commit()
    await continue_or_finish(message, state, session, user, role, t, clock)


async def _close_question(query: CallbackQuery, answer: str) -> None:
    """Replace a question's buttons with the chosen answer, so the old buttons cannot be reused."""
    if isinstance(query.message, Message) and query.message.html_text:
        await edit_text(query.message, f"{query.message.html_text}\n\n{answer}", reply_markup=None)


# --- typed answers --------------------------------------------------------------------------------


@router.message(Onboarding.full_name, F.text)
async def got_full_name(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    try:
        user.full_name = rules.parse_full_name(message.text)
    except ProfileError as err:
        await _reject(message, err, t, "ask-full-name")
        return
    await _saved(message, state, session, user, role, t, clock)


@router.message(Onboarding.birth_date, F.text)
async def got_birth_date(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    today = clock().date()
    try:
        birth = rules.parse_birth_date(message.text, today)
        if user.work_start_year is not None and user.work_start_year - birth.year < rules.MIN_WORK_AGE:
            # An edit must keep the profile consistent: the year work began is asked again.
            user.work_start_year = None
    except ProfileError as err:
        await _reject(message, err, t, "ask-birth-date")
        return
    user.birth_date = birth
    await _saved(message, state, session, user, role, t, clock)


@router.message(Onboarding.work_start, F.text)
async def got_work_start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    try:
        user.work_start_year = rules.parse_work_start_year(message.text, user.birth_date, clock().date())
    except ProfileError as err:
        await _reject(message, err, t, "ask-work-start")
        return
    await _saved(message, state, session, user, role, t, clock)


@router.message(Onboarding.municipality_custom, F.text)
async def got_municipality_custom(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    try:
        user.municipality_custom = rules.parse_custom_name(message.text)
    except ProfileError as err:
        await _reject(message, err, t, "ask-municipality-custom")
        return
    user.municipality_id = None
    user.school_id = user.school_custom = None
    await _saved(message, state, session, user, role, t, clock)


@router.message(Onboarding.school_custom, F.text)
async def got_school_custom(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    try:
        user.school_custom = rules.parse_custom_name(message.text)
    except ProfileError as err:
        await _reject(message, err, t, "ask-school-custom")
        return
    user.school_id = None
    await _saved(message, state, session, user, role, t, clock)


async def _reject(message: Message, err: ProfileError, t: Translator, question: str) -> None:
    await message.answer(t(err.code, **err.args_) + "\n\n" + t(question))


@router.message(StateFilter(*TEXT_STATES))
async def text_expected(message: Message, state: FSMContext, t: Translator) -> None:
    """A photo, sticker or file where a typed answer is expected."""
    question = {
        Onboarding.full_name.state: "ask-full-name",
        Onboarding.municipality_custom.state: "ask-municipality-custom",
        Onboarding.school_custom.state: "ask-school-custom",
        Onboarding.birth_date.state: "ask-birth-date",
        Onboarding.work_start.state: "ask-work-start",
    }[await state.get_state() or ""]
    await message.answer(t("err-text-expected") + "\n\n" + t(question))


# --- buttons ------------------------------------------------------------------------------------


@router.callback_query(Onboarding.position, PositionCb.filter())
async def got_position(
    query: CallbackQuery,
    callback_data: PositionCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    if callback_data.code not in {p.value for p in Position}:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    user.position = callback_data.code
    await query.answer()
    await _close_question(query, "✓ " + t(f"position-{callback_data.code}"))
    assert isinstance(query.message, Message)
    await _saved(query.message, state, session, user, role, t, clock)


@router.callback_query(Onboarding.region, RegionCb.filter())
async def got_region(
    query: CallbackQuery,
    callback_data: RegionCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    region = await DirectoryRepo(session).region(callback_data.code)
    if region is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    user.region_code = region.code
    # A new region means a new place of work: municipality and school are asked again.
    user.municipality_id = user.school_id = None
    user.municipality_custom = user.school_custom = None
    await query.answer()
    await _close_question(query, "✓ " + (region.name if t.locale == "ru" else region.name_en))
    assert isinstance(query.message, Message)
    await _saved(query.message, state, session, user, role, t, clock)


@router.callback_query(Onboarding.qualification, QualificationCb.filter())
async def got_qualification(
    query: CallbackQuery,
    callback_data: QualificationCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    if callback_data.code not in {q.value for q in Qualification}:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    user.qualification = callback_data.code
    await query.answer()
    await _close_question(query, "✓ " + t(f"qualification-{callback_data.code}"))
    assert isinstance(query.message, Message)
    await _saved(query.message, state, session, user, role, t, clock)


@router.callback_query(Onboarding.subjects, SubjectCb.filter())
async def got_subject(
    query: CallbackQuery,
    callback_data: SubjectCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    selected: list[str] = list(await state.get_value("subjects", []))
    if callback_data.code == "done":
        if not selected:
            await query.answer(t("err-subjects-empty"), show_alert=True)
            return
        user.subjects = [code for code in SUBJECTS if code in selected]
        await query.answer()
        names = ", ".join(t(f"subject-{code}") for code in user.subjects)
        await _close_question(query, "✓ " + names)
        assert isinstance(query.message, Message)
        await _saved(query.message, state, session, user, role, t, clock)
        return
    if callback_data.code not in SUBJECTS:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    if callback_data.code in selected:
        selected.remove(callback_data.code)
    else:
        selected.append(callback_data.code)
    await state.update_data(subjects=selected)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=keyboards.subjects(t, selected))


@router.message(StateFilter(*BUTTON_STATES))
async def button_expected(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    """Free text where a button is expected: say so and ask again."""
    await message.answer(t("err-button-expected"))
    current = await state.get_state() or ""
    await ask_step(current.split(":")[-1], message, state, session, user, t)


@start_router.message(Onboarding.consent, ~F.text.startswith("/"))
async def consent_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-button-expected"))
    await message.answer(t("consent-request"), reply_markup=keyboards.consent(t))


# --- directory pickers: municipality and school -------------------------------------------------


async def _municipality_items(directory: DirectoryRepo, user: User) -> list[tuple[int, str]]:
    assert user.region_code is not None
    return [(m.id, m.name) for m in await directory.municipalities(user.region_code)]


async def _school_items(directory: DirectoryRepo, user: User) -> list[tuple[int, str]]:
    assert user.municipality_id is not None
    return [(s.id, s.name) for s in await directory.schools(user.municipality_id)]


async def _send_picker(
    message: Message,
    kind: str,
    items: list[tuple[int, str]],
    query: str | None,
    page: int,
    t: Translator,
    *,
    edit: bool = False,
) -> None:
    found = rules.narrow(items, query)
    key = "ask-municipality" if kind == "m" else "ask-school"
    if query and not found:
        text = t("picker-nothing-found", query=query) + "\n\n" + t(key)
        found = items
    elif query:
        text = t("picker-found", query=query, count=len(found))
    else:
        text = t(key)
    markup = keyboards.picker(t, kind, found, page)
    if edit:
        await edit_text(message, text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(Onboarding.municipality, F.text)
@router.message(Onboarding.school, F.text)
async def picker_search(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    query = (message.text or "").strip()[:100]
    await state.update_data(query=query)
    directory = DirectoryRepo(session)
    if await state.get_state() == Onboarding.municipality.state:
        await _send_picker(message, "m", await _municipality_items(directory, user), query, 0, t)
    else:
        await _send_picker(message, "s", await _school_items(directory, user), query, 0, t)


@router.callback_query(Onboarding.municipality, PickCb.filter(F.kind == "m"))
@router.callback_query(Onboarding.school, PickCb.filter(F.kind == "s"))
async def picker_pressed(
    query: CallbackQuery,
    callback_data: PickCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    role: Role,
    t: Translator,
    clock: Clock,
) -> None:
    assert isinstance(query.message, Message)
    directory = DirectoryRepo(session)
    is_municipality = callback_data.kind == "m"
    items = await (
        _municipality_items(directory, user) if is_municipality else _school_items(directory, user)
    )
    if callback_data.action == "noop":
        await query.answer()
        return
    if callback_data.action == "page":
        await query.answer()
        search = await state.get_value("query")
        await _send_picker(
            query.message, callback_data.kind, items, search, callback_data.value, t, edit=True
        )
        return
    if callback_data.action == "none":
        await query.answer()
        await _close_question(query, "✓ " + t("btn-not-in-list"))
        custom = Onboarding.municipality_custom if is_municipality else Onboarding.school_custom
        await state.set_state(custom)
        await query.message.answer(t("ask-municipality-custom" if is_municipality else "ask-school-custom"))
        return
    chosen = dict(items).get(callback_data.value)
    if chosen is None:
        # Not in this user's region or municipality: an old or forged button.
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    if is_municipality:
        user.municipality_id, user.municipality_custom = callback_data.value, None
        user.school_id = user.school_custom = None
    else:
        user.school_id, user.school_custom = callback_data.value, None
    await query.answer()
    await _close_question(query, "✓ " + chosen)
    await _saved(query.message, state, session, user, role, t, clock)
