"""Records 002's municipal indicators count (indicators 3–6): a teacher's contest, presented опыт or
tutor/expert/jury role, entered by their methodist from the card; a school's contest or presented
опыт, entered by staff from /schools (their region's schools; municipal staff: their municipality's).

kind → level → title → result or role → date: buttons for the choices, typed answers for the title
and the date; a bad answer gets its reason and the same question, an old or forged button «устарела»."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.record_entry import Step
from domain.roles import Role
from handlers.callbacks import RecordAction, RecordCb
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, records_section, refused, stale
from handlers.workspace import views
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import RecordData, RecordEntry
from locales import Translator
from services import records as service
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User

ENTRY_STATES = {s.state for s in (RecordEntry.choice, RecordEntry.title, RecordEntry.date)}
Asked = service.Asked | service.SchoolAsked


# --- a teacher's record, from the card -------------------------------------------------------------


@router.callback_query(RecordCb.filter((F.action == RecordAction.ADD) & (F.teacher_id > 0)))
async def start_record(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    asked = await service.start(uow, user, callback_data.teacher_id)
    if isinstance(asked, Stale):
        await stale(query, t)
        return
    await RecordData(asked.teacher.id, asked.teacher.full_name, asked.draft).save(state)
    await query.answer()
    text, markup = _question(asked, t)
    await message.answer(text, reply_markup=markup)


# --- a school's record, from /schools ----------------------------------------------------------------


@router.message(Command("schools"))
async def school_places(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    places = await service.school_places(uow, user, role)
    if isinstance(places, Denied):
        await refused(message, places, t)
        return
    await state.clear()
    kb = Keyboard()
    for place in places.places:
        kb.button(
            text=place.name, callback_data=RecordCb(action=RecordAction.SCHOOLS, municipality_id=place.id)
        )
    kb.adjust(1)
    await message.answer(t("rec-schools-places"), reply_markup=kb.as_markup())


@router.callback_query(RecordCb.filter(F.action == RecordAction.SCHOOLS))
async def school_list(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    found = await service.school_list(uow, user, role, callback_data.municipality_id)
    if isinstance(found, Stale | Denied):
        await refused(query, found, t)
        return
    await query.answer()
    kb = Keyboard()
    for school in found.schools:
        kb.button(text=school.name, callback_data=RecordCb(action=RecordAction.SCHOOL, school_id=school.id))
    kb.adjust(1)
    key = "rec-schools-list" if found.schools else "rec-schools-none"
    await edit_text(message, t(key, municipality=found.municipality.name), reply_markup=kb.as_markup())


@router.callback_query(RecordCb.filter(F.action == RecordAction.SCHOOL))
async def school_card(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    card = await service.school_card(uow, user, role, callback_data.school_id)
    if isinstance(card, Stale | Denied):
        await refused(query, card, t)
        return
    if await state.get_state() in ENTRY_STATES:
        await state.clear()
    await query.answer()
    text = t("rec-school-card", school=card.school.name, municipality=card.municipality.name)
    text += "\n\n" + (records_section(card.records, t) if card.records else t("rec-none"))
    kb = Keyboard()
    kb.button(
        text=t("rec-btn-add-school"),
        callback_data=RecordCb(action=RecordAction.ADD, school_id=card.school.id),
    )
    kb.button(
        text=t("btn-back"),
        callback_data=RecordCb(action=RecordAction.SCHOOLS, municipality_id=card.municipality.id),
    )
    kb.adjust(1)
    await edit_text(message, text, reply_markup=kb.as_markup())


@router.callback_query(RecordCb.filter((F.action == RecordAction.ADD) & (F.teacher_id == 0)))
async def start_school_record(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    asked = await service.school_question(uow, user, role, callback_data.school_id, service.Draft())
    if isinstance(asked, Stale | Denied):
        await refused(query, asked, t)
        return
    await RecordData(0, asked.school.name, asked.draft, asked.school.id).save(state)
    await query.answer()
    text, markup = _question(asked, t)
    await message.answer(text, reply_markup=markup)


# --- the questions, for both ---------------------------------------------------------------------


@router.callback_query(RecordCb.filter(F.action == RecordAction.PICK))
async def picked(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await RecordData.load(state)
    # A button of an entry no longer under way, or of another teacher's or school's, is stale.
    same = (data.teacher_id, data.school_id) == (callback_data.teacher_id, callback_data.school_id)
    if await state.get_state() != RecordEntry.choice.state or not same:
        await stale(query, t)
        return
    asked: Asked | Stale | Denied
    if data.school_id:
        asked = await service.school_choose(
            uow, user, role, data.school_id, data.draft, callback_data.step, callback_data.value
        )
    else:
        asked = await service.choose(
            uow, user, data.teacher_id, data.draft, callback_data.step, callback_data.value
        )
    if isinstance(asked, Stale | Denied):
        await refused(query, asked, t)
        return
    await RecordData(data.teacher_id, data.name, asked.draft, data.school_id).save(state)
    await query.answer()
    text, markup = _question(asked, t)
    await edit_text(message, text, reply_markup=markup)


@answers_router.message(RecordEntry.title, F.text)
async def got_title(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    data = await RecordData.load(state)
    asked: Asked | Invalid | Stale | Denied
    if data.school_id:
        asked = await service.school_title(uow, user, role, data.school_id, data.draft, message.text)
    else:
        asked = await service.give_title(uow, user, data.teacher_id, data.draft, message.text)
    if isinstance(asked, Stale | Denied):
        await question_gone(message, state, t)
        return
    if isinstance(asked, Invalid):
        await _again(message, state, uow, user, role, data, t, asked)
        return
    await RecordData(data.teacher_id, data.name, asked.draft, data.school_id).save(state)
    text, markup = _question(asked, t)
    await message.answer(text, reply_markup=markup)


@answers_router.message(RecordEntry.date, F.text)
async def got_date(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    data = await RecordData.load(state)
    if data.school_id:
        saved_school = await service.add_for_school(
            uow, user, role, rules, data.school_id, data.draft, message.text
        )
        if isinstance(saved_school, Stale | Denied):
            await question_gone(message, state, t)
            return
        if isinstance(saved_school, Invalid):
            await _again(message, state, uow, user, role, data, t, saved_school)
            return
        await state.clear()
        kb = Keyboard()
        kb.button(
            text=t("rec-btn-to-school"),
            callback_data=RecordCb(action=RecordAction.SCHOOL, school_id=saved_school.school.id),
        )
        await message.answer(t("rec-saved", name=saved_school.school.name), reply_markup=kb.as_markup())
        return
    saved = await service.give_date(uow, user, rules, data.teacher_id, data.draft, message.text)
    if isinstance(saved, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(saved, Invalid):
        await _again(message, state, uow, user, role, data, t, saved)
        return
    await state.clear()
    shown = await service.of_teacher(uow, saved.teacher.id)
    await message.answer(
        t("rec-saved", name=saved.teacher.full_name) + "\n\n" + records_section(shown, t),
        reply_markup=views.to_card(saved.teacher.id, t),
    )


@router.callback_query(RecordCb.filter(F.action == RecordAction.STOP))
async def stop_record(
    query: CallbackQuery, message: Message, callback_data: RecordCb, state: FSMContext, t: Translator
) -> None:
    if await state.get_state() in ENTRY_STATES:
        await state.clear()
    await query.answer()
    if callback_data.school_id:
        kb = Keyboard()
        kb.button(
            text=t("rec-btn-to-school"),
            callback_data=RecordCb(action=RecordAction.SCHOOL, school_id=callback_data.school_id),
        )
        markup = kb.as_markup()
    else:
        markup = views.to_card(callback_data.teacher_id, t)
    await edit_text(message, t("rec-stopped"), reply_markup=markup)


async def _current(uow: UnitOfWork, user: User, role: Role, data: RecordData) -> Asked | Stale | Denied:
    """The question under way, to ask it again."""
    if data.school_id:
        return await service.school_question(uow, user, role, data.school_id, data.draft)
    return await service.question(uow, user, data.teacher_id, data.draft)


async def _again(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    data: RecordData,
    t: Translator,
    invalid: Invalid,
) -> None:
    """The reason an answer was not taken, and the same question."""
    again = await _current(uow, user, role, data)
    if isinstance(again, Stale | Denied):
        await question_gone(message, state, t)
        return
    text, markup = _question(again, t)
    await message.answer(t(invalid.key, **invalid.args) + "\n\n" + text, reply_markup=markup)


@asks_again(RecordEntry.choice, expects=Expects.BUTTON)
async def ask_choice_again(asking: Asking) -> bool:
    return await ask_again(asking)


@asks_again(RecordEntry.title, RecordEntry.date, expects=Expects.TEXT)
async def ask_again(asking: Asking) -> bool:
    data = await RecordData.load(asking.state)
    again = await _current(asking.uow, asking.user, asking.role, data)
    if isinstance(again, Stale | Denied):
        return False
    text, markup = _question(again, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


def _question(asked: Asked, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """The question ``asked.step`` with its buttons (choices and «Отмена»)."""
    draft, step = asked.draft, asked.step
    if isinstance(asked, service.SchoolAsked):
        teacher_id, school_id, name = 0, asked.school.id, asked.school.name
    else:
        teacher_id, school_id, name = asked.teacher.id, 0, asked.teacher.full_name or "—"
    kb = Keyboard()
    prefix = {Step.RESULT: "rec-result-", Step.KIND: "rec-kind-", Step.LEVEL: "rec-level-"}.get(step)
    for value in asked.choices:
        kb.button(
            text=t(f"{prefix}{value}"),
            callback_data=RecordCb(
                action=RecordAction.PICK,
                teacher_id=teacher_id,
                school_id=school_id,
                step=step.value,
                value=value,
            ),
        )
    stop = RecordCb(action=RecordAction.STOP, teacher_id=teacher_id, school_id=school_id)
    kb.button(text=t("btn-cancel"), callback_data=stop)
    kb.adjust(1)
    key = f"rec-ask-{step.value}"
    if step in (Step.TITLE, Step.RESULT):
        key += f"-{draft.kind}"
        if isinstance(asked, service.SchoolAsked) and step == Step.TITLE:
            key += "-school"
    return t("rec-header", name=name) + "\n" + t(key), kb.as_markup()
