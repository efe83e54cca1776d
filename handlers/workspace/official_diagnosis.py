"""The official ЦНППМ diagnosis a methodist records: the date it was taken, then a level per area
(buttons), stored apart from the teacher's self-diagnoses; the teacher is told the deficits."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, stale
from handlers.workspace import views
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import OfficialData, OfficialEntry
from locales import Translator
from services import workspace as service
from services.regions import RegionRules
from services.results import Invalid, Stale
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import User


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.OFFICIAL))
async def ask_official_date(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    asked = await service.ask_official(uow, user, callback_data.teacher_id)
    if isinstance(asked, Stale):
        await stale(query, t)
        return
    await OfficialData(asked.teacher.id, asked.teacher.full_name).ask_date(state)
    await query.answer()
    await message.answer(t("ws-ask-official-date", name=asked.teacher.full_name))


@answers_router.message(OfficialEntry.date, F.text)
async def got_official_date(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    data = await OfficialData.load(state)
    question = await service.official_date(
        uow, user, rules, frameworks, teacher_id=data.teacher_id, text=message.text
    )
    if isinstance(question, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(question, Invalid):
        await message.answer(t(question.key) + "\n\n" + t("ws-ask-official-date", name=data.name))
        return
    await data.ask_levels(state, question.taken, {})
    text, markup = _level_question(question, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.OFFICIAL_LEVEL))
async def got_official_level(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    data = await OfficialData.load(state)
    # A button of an entry no longer under way, or of another teacher's, is stale.
    entering = await state.get_state() == OfficialEntry.levels.state
    if not entering or data.taken is None or data.teacher_id != callback_data.teacher_id:
        await stale(query, t)
        return
    outcome = await service.official_level(
        uow,
        user,
        frameworks,
        teacher_id=callback_data.teacher_id,
        taken=data.taken,
        levels=data.levels,
        area=callback_data.area,
        level=callback_data.level,
    )
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    if isinstance(outcome, service.OfficialQuestion):
        await data.ask_levels(state, data.taken, dict(outcome.levels))
        await query.answer()
        text, markup = _level_question(outcome, t)
        await edit_text(message, text, reply_markup=markup)
        return
    if isinstance(outcome, service.NothingAssessed):
        await data.ask_levels(state, data.taken, {})  # nothing to record: ask again from the first area
        await query.answer(t("ws-official-empty"), show_alert=True)
        text, markup = _level_question(outcome.question, t)
        await edit_text(message, text, reply_markup=markup)
        return
    await state.clear()
    teacher, diagnosis = outcome.teacher, outcome.diagnosis
    await query.answer(t("ws-official-saved-alert"))
    await edit_text(
        message,
        t("ws-official-saved", name=teacher.full_name)
        + "\n\n"
        + views.official_section(diagnosis, frameworks, t),
        reply_markup=views.to_card(teacher.id, t),
    )


@asks_again(OfficialEntry.date, expects=Expects.TEXT)
async def ask_date_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    await asking.message.answer(asking.t("ws-ask-official-date", name=data.name))
    return True


@asks_again(OfficialEntry.levels, expects=Expects.BUTTON)
async def ask_level_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    if data.taken is None:
        return False
    question = await service.official_question(
        asking.uow,
        asking.user,
        asking.data["frameworks"],
        teacher_id=data.teacher_id,
        taken=data.taken,
        levels=data.levels,
    )
    if isinstance(question, Stale):
        return False
    text, markup = _level_question(question, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


def _level_question(question: service.OfficialQuestion, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    teacher, area = question.teacher, question.area

    def button(level: int) -> WorkspaceCb:
        return WorkspaceCb(
            action=WorkspaceAction.OFFICIAL_LEVEL, teacher_id=teacher.id, level=level, area=area.code
        )

    kb = Keyboard()
    for level in question.framework.scale:
        kb.button(text=f"{level.value}. {level.label.get(t.locale)}", callback_data=button(level.value))
    kb.button(text=t("ws-btn-not-assessed"), callback_data=button(service.NOT_ASSESSED))
    kb.button(
        text=t("btn-cancel"),
        callback_data=WorkspaceCb(action=WorkspaceAction.OFFICIAL_STOP, teacher_id=teacher.id),
    )
    kb.adjust(1)
    text = t(
        "ws-official-area",
        name=teacher.full_name,
        date=question.taken,
        number=len(question.levels) + 1,
        total=len(question.areas),
        area=area.name.get(t.locale),
    )
    return text, kb.as_markup()
