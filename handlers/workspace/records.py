"""A teacher's record (a contest, a presented опыт, a tutor/expert/jury role — 002's indicators 3–6)
that a methodist enters from the card: kind → level → title → result or role → date. Buttons for the
choices, typed answers for the title and the date; a bad answer gets its reason and the same question."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.record_entry import Step
from handlers.callbacks import RecordAction, RecordCb
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, records_section, stale
from handlers.workspace import views
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import RecordData, RecordEntry
from locales import Translator
from services import records as service
from services.regions import RegionRules
from services.results import Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User


@router.callback_query(RecordCb.filter(F.action == RecordAction.ADD))
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


@router.callback_query(RecordCb.filter(F.action == RecordAction.PICK))
async def picked(
    query: CallbackQuery,
    message: Message,
    callback_data: RecordCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    data = await RecordData.load(state)
    # A button of an entry no longer under way, or of another teacher's, is stale.
    if await state.get_state() != RecordEntry.choice.state or data.teacher_id != callback_data.teacher_id:
        await stale(query, t)
        return
    asked = await service.choose(
        uow, user, data.teacher_id, data.draft, callback_data.step, callback_data.value
    )
    if isinstance(asked, Stale):
        await stale(query, t)
        return
    await RecordData(data.teacher_id, data.name, asked.draft).save(state)
    await query.answer()
    text, markup = _question(asked, t)
    await edit_text(message, text, reply_markup=markup)


@answers_router.message(RecordEntry.title, F.text)
async def got_title(message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator) -> None:
    data = await RecordData.load(state)
    asked = await service.give_title(uow, user, data.teacher_id, data.draft, message.text)
    if isinstance(asked, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(asked, Invalid):
        again = await service.question(uow, user, data.teacher_id, data.draft)
        if isinstance(again, Stale):
            await question_gone(message, state, t)
            return
        text, markup = _question(again, t)
        await message.answer(t(asked.key, **asked.args) + "\n\n" + text, reply_markup=markup)
        return
    await RecordData(data.teacher_id, data.name, asked.draft).save(state)
    text, markup = _question(asked, t)
    await message.answer(text, reply_markup=markup)


@answers_router.message(RecordEntry.date, F.text)
async def got_date(
    message: Message, state: FSMContext, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    data = await RecordData.load(state)
    saved = await service.give_date(uow, user, rules, data.teacher_id, data.draft, message.text)
    if isinstance(saved, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(saved, Invalid):
        again = await service.question(uow, user, data.teacher_id, data.draft)
        if isinstance(again, Stale):
            await question_gone(message, state, t)
            return
        text, markup = _question(again, t)
        await message.answer(t(saved.key, **saved.args) + "\n\n" + text, reply_markup=markup)
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
    if await state.get_state() in {
        s.state for s in (RecordEntry.choice, RecordEntry.title, RecordEntry.date)
    }:
        await state.clear()
    await query.answer()
    await edit_text(message, t("rec-stopped"), reply_markup=views.to_card(callback_data.teacher_id, t))


@asks_again(RecordEntry.choice, expects=Expects.BUTTON)
async def ask_choice_again(asking: Asking) -> bool:
    return await ask_again(asking)


@asks_again(RecordEntry.title, RecordEntry.date, expects=Expects.TEXT)
async def ask_again(asking: Asking) -> bool:
    data = await RecordData.load(asking.state)
    again = await service.question(asking.uow, asking.user, data.teacher_id, data.draft)
    if isinstance(again, Stale):
        return False
    text, markup = _question(again, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


def _question(asked: service.Asked, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """The question ``asked.step`` with its buttons (choices and «Отмена»)."""
    teacher, draft, step = asked.teacher, asked.draft, asked.step
    kb = Keyboard()
    prefix = {Step.RESULT: "rec-result-", Step.KIND: "rec-kind-", Step.LEVEL: "rec-level-"}.get(step)
    for value in asked.choices:
        kb.button(
            text=t(f"{prefix}{value}"),
            callback_data=RecordCb(
                action=RecordAction.PICK, teacher_id=teacher.id, step=step.value, value=value
            ),
        )
    kb.button(text=t("btn-cancel"), callback_data=RecordCb(action=RecordAction.STOP, teacher_id=teacher.id))
    kb.adjust(1)
    key = f"rec-ask-{step.value}"
    if step in (Step.TITLE, Step.RESULT):
        key += f"-{draft.kind}"
    return t("rec-header", name=teacher.full_name) + "\n" + t(key), kb.as_markup()
