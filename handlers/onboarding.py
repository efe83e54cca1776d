"""Flow 1 on Telegram: /start, the consent to personal-data processing, and the profile wizard.

What is asked next, and whether an answer passes, is decided by ``services.onboarding``; here the
questions are sent, answered questions lose their buttons, and the conversation's state (the
question being asked, ``services.onboarding.Wizard``) lives in the FSM storage over the database,
so a restart in the middle of the wizard continues where the person was. The same steps serve
editing from «Профиль» (``Wizard.editing``).
"""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from domain.accounts import LINK_PREFIX, parse_code
from domain.profile import Step
from domain.roles import INVITE_CODE_RE, Role, effective_role
from handlers import keyboards
from handlers.callbacks import (
    AlsoTeacherCb,
    ConsentAction,
    ConsentCb,
    DiagAction,
    DiagCb,
    PickAction,
    PickCb,
    PickKind,
    PositionCb,
    QualificationCb,
    RegionCb,
    StaffTitleCb,
    SubjectAction,
    SubjectCb,
)
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import (
    edit_text,
    main_menu,
    profile_card,
    profile_keyboard,
    region_name,
    show_main_menu,
    stale,
)
from locales import Html, Translations, Translator
from services import accounts
from services import onboarding as service
from services.regions import RegionRules, region_rules
from services.results import Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User

# /start and the consent work for anyone; the wizard needs a person who consented.
start_router = Router(name="start")
router = Router(name="onboarding")


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
    staff_title = State()
    organisation = State()
    also_teacher = State()


# The state of each question (named alike: a state stored before a restart is read back as its step).
STATES: dict[Step, State] = {step: getattr(Onboarding, step.value) for step in Step}
STEP_OF_STATE: dict[str | None, Step] = {state.state: step for step, state in STATES.items()}
QUESTIONS: dict[Step, str] = {
    Step.FULL_NAME: "ask-full-name",
    Step.POSITION: "ask-position",
    Step.REGION: "ask-region",
    Step.MUNICIPALITY: "ask-municipality",
    Step.SCHOOL: "ask-school",
    Step.SUBJECTS: "ask-subjects",
    Step.BIRTH_DATE: "ask-birth-date",
    Step.WORK_START: "ask-work-start",
    Step.QUALIFICATION: "ask-qualification",
    Step.MUNICIPALITY_CUSTOM: "ask-municipality-custom",
    Step.SCHOOL_CUSTOM: "ask-school-custom",
    Step.STAFF_TITLE: "ask-staff-title",
    Step.ORGANISATION: "ask-organisation",
    Step.ALSO_TEACHER: "ask-also-teacher",
}
TEXT_STATES = (
    Onboarding.full_name,
    Onboarding.municipality_custom,
    Onboarding.school_custom,
    Onboarding.birth_date,
    Onboarding.work_start,
    Onboarding.organisation,
)
BUTTON_STATES = (
    Onboarding.consent,
    Onboarding.position,
    Onboarding.region,
    Onboarding.subjects,
    Onboarding.qualification,
    Onboarding.staff_title,
    Onboarding.also_teacher,
)
PICKER_STEPS = {PickKind.MUNICIPALITY: Step.MUNICIPALITY, PickKind.SCHOOL: Step.SCHOOL}
PICKER_KINDS = {step: kind for kind, step in PICKER_STEPS.items()}


async def wizard(state: FSMContext) -> service.Wizard:
    return service.Wizard.from_dict(await state.get_data())


async def keep(state: FSMContext, data: service.Wizard) -> None:
    await state.set_data(data.as_dict())


# --- /start and consent ------------------------------------------------------------------------


@start_router.message(Command("link"))
async def link_account(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User | None,
    t: Translator,
    translations: Translations,
    admin_ids: tuple[int, ...],
    messenger: str,
) -> None:
    """``/link CODE`` from an account the bot does not know: it becomes the person's who got the
    code in «Профиль» on the other messenger (``services.accounts``)."""
    await _link(message, command.args, state, uow, rules, user, t, translations, admin_ids, messenger)


async def _link(
    message: Message,
    typed: str | None,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User | None,
    t: Translator,
    translations: Translations,
    admin_ids: tuple[int, ...],
    messenger: str,
) -> None:
    code = parse_code(typed)
    if code is None:
        await message.answer(t("link-usage"))
        return
    if user is not None:
        await message.answer(t("link-account-known"))
        return
    assert message.from_user is not None
    linked = await accounts.link(uow, messenger, message.from_user.id, code)
    if isinstance(linked, Invalid):
        await message.answer(t(linked.key, **linked.args))
        return
    await state.clear()
    person = linked.user
    t = translations.get(person.locale)
    role = effective_role(person.role, message.from_user.id, admin_ids)
    theirs = await region_rules(uow, person.region_code, rules.timezone)
    await message.answer(
        t("link-done", name=person.full_name or ""),
        reply_markup=await main_menu(uow, person, role, theirs, t),
    )


@start_router.message(CommandStart())
async def start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User | None,
    t: Translator,
    admin_ids: tuple[int, ...],
    translations: Translations,
    messenger: str,
) -> None:
    if command.args and command.args.startswith(LINK_PREFIX):  # a start link to link accounts
        await _link(message, command.args, state, uow, rules, user, t, translations, admin_ids, messenger)
        return
    code = command.args if command.args and re.fullmatch(INVITE_CODE_RE, command.args) else None
    if command.args and code is None:
        await message.answer(t("invite-invalid"))
    if user is None:
        await state.clear()
        await keep(state, service.Wizard(invite=code, locale=t.locale))
        await state.set_state(Onboarding.consent)
        await message.answer(t("start-greeting"), reply_markup=ReplyKeyboardRemove())
        await message.answer(t("consent-request"), reply_markup=keyboards.consent(t))
        return
    started = await service.restart(uow, user, rules, invite=code, admin_ids=admin_ids)
    await _begin(message, state, started, t)


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == ConsentAction.LANGUAGE))
async def consent_language(
    query: CallbackQuery, message: Message, state: FSMContext, t: Translator, translations: Translations
) -> None:
    other = next(loc for loc in translations.locales if loc != t.locale)
    data = await wizard(state)
    data.locale = other
    await keep(state, data)
    t = translations.get(other)
    await query.answer()
    await message.answer(t("start-greeting"))
    await message.answer(t("consent-request"), reply_markup=keyboards.consent(t))


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == ConsentAction.NO))
async def consent_declined(query: CallbackQuery, message: Message, state: FSMContext, t: Translator) -> None:
    # Nothing about the person is kept: not even the conversation state.
    await state.clear()
    await query.answer()
    await _close_question(message, t("consent-declined"))


@start_router.callback_query(Onboarding.consent, ConsentCb.filter(F.action == ConsentAction.YES))
async def consent_given(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User | None,
    t: Translator,
    admin_ids: tuple[int, ...],
    messenger: str,
) -> None:
    data = await wizard(state)
    started = await service.consent(
        uow,
        query.from_user.id,
        user,
        t.locale,
        rules,
        invite=data.invite,
        admin_ids=admin_ids,
        messenger=messenger,
    )
    await query.answer()
    await _close_question(message, t("consent-given"))
    await _begin(message, state, started, t)


async def _begin(message: Message, state: FSMContext, started: service.Started, t: Translator) -> None:
    """After /start or the consent: the invite's outcome, then the wizard or the menu."""
    if isinstance(started.invite, Invalid):
        await message.answer(t(started.invite.key, **started.invite.args))
    elif started.invite is not None:
        await message.answer(t("invite-accepted", role=t(f"role-{started.invite}")))
    await keep(state, service.Wizard())
    await show_next(message, state, started.next, started.role, t)


@start_router.message(Onboarding.consent, ~F.text.startswith("/"))
async def consent_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-button-expected"))
    await message.answer(t("consent-request"), reply_markup=keyboards.consent(t))


# --- showing what comes next --------------------------------------------------------------------


async def show_next(
    message: Message, state: FSMContext, outcome: service.Next, role: Role, t: Translator
) -> None:
    """Ask the next question, or finish: the end of onboarding, back to the profile, the menu."""
    if isinstance(outcome, service.Ask):
        if outcome.resumed:
            await message.answer(t("wizard-resume"))
        await show_question(message, state, outcome, t)
        return
    await state.clear()
    if isinstance(outcome, service.Completed):
        await message.answer(t("wizard-done", profile=Html(profile_card(outcome.card, t))))
        await show_main_menu(message, t, role)
        if outcome.official:  # ЦНППМ results imported before the person came: theirs from day one
            kb = Keyboard()
            kb.button(text=t("diag-btn-official"), callback_data=DiagCb(action=DiagAction.OFFICIAL))
            await message.answer(
                t("diag-official-attached", count=outcome.official), reply_markup=kb.as_markup()
            )
    elif isinstance(outcome, service.Edited):
        await message.answer(profile_card(outcome.card, t), reply_markup=profile_keyboard(outcome.card, t))
    else:
        await show_main_menu(message, t, role, welcome_back=outcome.welcome_back, waiting=outcome.waiting)


async def show_question(message: Message, state: FSMContext, ask: service.Ask, t: Translator) -> None:
    """Send the question and put the conversation in its state."""
    data = await wizard(state)
    data.query = None
    if ask.step == Step.SUBJECTS:
        data.subjects = list(ask.subjects)
    await keep(state, data)
    await state.set_state(STATES[ask.step])
    if ask.picker is not None:
        await _send_picker(message, ask.picker, t)
    elif ask.step == Step.POSITION:
        await message.answer(t("ask-position"), reply_markup=keyboards.positions(t))
    elif ask.step == Step.REGION:
        items = [(r.code, region_name(r, t)) for r in ask.regions]
        await message.answer(t("ask-region"), reply_markup=keyboards.regions(items))
    elif ask.step == Step.SUBJECTS:
        await message.answer(t("ask-subjects"), reply_markup=keyboards.subjects(t, ask.subjects))
    elif ask.step == Step.QUALIFICATION:
        await message.answer(t("ask-qualification"), reply_markup=keyboards.qualifications(t))
    elif ask.step == Step.STAFF_TITLE:
        await message.answer(t("ask-staff-title"), reply_markup=keyboards.staff_titles(t))
    elif ask.step == Step.ALSO_TEACHER:
        await message.answer(t("ask-also-teacher"), reply_markup=keyboards.also_teacher(t))
    else:
        await message.answer(t(QUESTIONS[ask.step]))


async def _close_question(message: Message, answer: str) -> None:
    """Replace a question's buttons with the chosen answer, so the old buttons cannot be reused."""
    if message.html_text:
        await edit_text(message, f"{message.html_text}\n\n{answer}", reply_markup=None)


async def _chosen(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    chosen: str,
    outcome: service.Next,
    role: Role,
    t: Translator,
) -> None:
    """A button answered the question: it shows «✓ ``chosen``» instead of its buttons, and what
    comes next is asked."""
    await query.answer()
    await _close_question(message, "✓ " + chosen)
    await show_next(message, state, outcome, role, t)


# --- typed answers --------------------------------------------------------------------------------


@router.message(StateFilter(*TEXT_STATES), F.text)
async def got_text(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    step = STEP_OF_STATE[raw_state]
    data = await wizard(state)
    outcome = await service.answer(uow, user, rules, step, message.text, editing=data.editing)
    if isinstance(outcome, Invalid):
        await message.answer(t(outcome.key, **outcome.args) + "\n\n" + t(QUESTIONS[step]))
        return
    await show_next(message, state, outcome, role, t)


# --- buttons ------------------------------------------------------------------------------------


@router.callback_query(Onboarding.position, PositionCb.filter())
async def got_position(
    query: CallbackQuery,
    message: Message,
    callback_data: PositionCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    outcome = await service.choose_position(uow, user, rules, callback_data.code, editing=data.editing)
    await _chosen(query, message, state, t(f"position-{callback_data.code}"), outcome, role, t)


@router.callback_query(Onboarding.region, RegionCb.filter())
async def got_region(
    query: CallbackQuery,
    message: Message,
    callback_data: RegionCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    saved = await service.choose_region(uow, user, rules, callback_data.code, editing=data.editing)
    if isinstance(saved, Stale) or saved.region is None:
        await stale(query, t)
        return
    await _chosen(query, message, state, region_name(saved.region, t), saved.next, role, t)


@router.callback_query(Onboarding.qualification, QualificationCb.filter())
async def got_qualification(
    query: CallbackQuery,
    message: Message,
    callback_data: QualificationCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    outcome = await service.choose_qualification(uow, user, rules, callback_data.code, editing=data.editing)
    await _chosen(query, message, state, t(f"qualification-{callback_data.code}"), outcome, role, t)


@router.callback_query(Onboarding.staff_title, StaffTitleCb.filter())
async def got_staff_title(
    query: CallbackQuery,
    message: Message,
    callback_data: StaffTitleCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    outcome = await service.choose_staff_title(uow, user, rules, callback_data.code, editing=data.editing)
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    title = t(f"staff-title-{callback_data.code}", **rules.bodies.fluent())
    await _chosen(query, message, state, title, outcome, role, t)


@router.callback_query(Onboarding.also_teacher, AlsoTeacherCb.filter())
async def got_also_teacher(
    query: CallbackQuery,
    message: Message,
    callback_data: AlsoTeacherCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    outcome = await service.choose_also_teacher(uow, user, rules, callback_data.also, editing=data.editing)
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    chosen = t("btn-also-teacher-yes") if callback_data.also else t("btn-also-teacher-no")
    await _chosen(query, message, state, chosen, outcome, role, t)


@router.callback_query(Onboarding.subjects, SubjectCb.filter(F.action == SubjectAction.TICK))
async def tick_subject(
    query: CallbackQuery, message: Message, callback_data: SubjectCb, state: FSMContext, t: Translator
) -> None:
    data = await wizard(state)
    ticked = service.tick_subject(data.subjects or [], callback_data.subject)
    if isinstance(ticked, Stale):
        await stale(query, t)
        return
    data.subjects = ticked
    await keep(state, data)
    await query.answer()
    await message.edit_reply_markup(reply_markup=keyboards.subjects(t, ticked))


@router.callback_query(Onboarding.subjects, SubjectCb.filter(F.action == SubjectAction.DONE))
async def subjects_done(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await wizard(state)
    outcome = await service.choose_subjects(uow, user, rules, data.subjects or [], editing=data.editing)
    if isinstance(outcome, Invalid):
        await query.answer(t(outcome.key, **outcome.args), show_alert=True)
        return
    chosen = ", ".join(t(f"subject-{code}") for code in user.subjects)
    await _chosen(query, message, state, chosen, outcome, role, t)


@asks_again(*TEXT_STATES, Onboarding.municipality, Onboarding.school, expects=Expects.TEXT)
@asks_again(*BUTTON_STATES, expects=Expects.BUTTON)
async def ask_again(asking: Asking) -> bool:
    """Something the question did not expect (``handlers.fallback`` gave the hint): the same
    question again, the subjects ticked so far kept."""
    step = STEP_OF_STATE.get(asking.raw_state)
    if step is None:  # the consent, asked again of someone who has given it already
        await asking.message.answer(asking.t("consent-request"), reply_markup=keyboards.consent(asking.t))
        return True
    data = await wizard(asking.state)
    ticked = data.subjects if step == Step.SUBJECTS else None
    ask = await service.ask(asking.uow, asking.user, step, ticked=ticked)
    await show_question(asking.message, asking.state, ask, asking.t)
    return True


# --- directory pickers: municipality and school -------------------------------------------------


async def _send_picker(
    message: Message, picker: service.Picker, t: Translator, *, edit: bool = False
) -> None:
    question = QUESTIONS[picker.step]
    if not picker.matched:
        text = t("picker-nothing-found", query=picker.query) + "\n\n" + t(question)
    elif picker.query:
        text = t("picker-found", query=picker.query, count=len(picker.items))
    else:
        text = t(question)
    markup = keyboards.picker(t, PICKER_KINDS[picker.step], picker.items, picker.page)
    if edit:
        await edit_text(message, text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.message(Onboarding.municipality, F.text)
@router.message(Onboarding.school, F.text)
async def picker_search(
    message: Message, state: FSMContext, raw_state: str | None, uow: UnitOfWork, user: User, t: Translator
) -> None:
    picker = await service.search(uow, user, STEP_OF_STATE[raw_state], message.text)
    data = await wizard(state)
    data.query = picker.query
    await keep(state, data)
    await _send_picker(message, picker, t)


@router.callback_query(Onboarding.municipality, PickCb.filter(F.kind == PickKind.MUNICIPALITY))
@router.callback_query(Onboarding.school, PickCb.filter(F.kind == PickKind.SCHOOL))
async def picker_pressed(
    query: CallbackQuery,
    message: Message,
    callback_data: PickCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    step = PICKER_STEPS[callback_data.kind]
    data = await wizard(state)
    if callback_data.action == PickAction.NOOP:
        await query.answer()
    elif callback_data.action == PickAction.PAGE:
        picker = await service.page(uow, user, step, data.query, callback_data.page)
        await query.answer()
        await _send_picker(message, picker, t, edit=True)
    elif callback_data.action == PickAction.NONE:
        await query.answer()
        await _close_question(message, "✓ " + t("btn-not-in-list"))
        await show_question(message, state, service.not_in_list(step), t)
    else:
        saved = await service.pick(uow, user, rules, step, callback_data.item_id, editing=data.editing)
        if isinstance(saved, Stale):
            await stale(query, t)
            return
        await _chosen(query, message, state, saved.place or "", saved.next, role, t)
