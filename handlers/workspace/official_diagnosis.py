"""The official ЦНППМ diagnosis a methodist records as ЦНППМ recorded it: the date, the instrument,
then per area the result 0–100 (typed, or «Не оценивалось») and whether a deficit was found (buttons).
Stored apart from the teacher's self-diagnoses; the teacher is told the deficits."""

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
    message: Message, state: FSMContext, uow: UnitOfWork, rules: RegionRules, user: User, t: Translator
) -> None:
    data = await OfficialData.load(state)
    asked = await service.official_date(uow, user, rules, teacher_id=data.teacher_id, text=message.text)
    if isinstance(asked, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(asked, Invalid):
        await message.answer(t(asked.key) + "\n\n" + t("ws-ask-official-date", name=data.name))
        return
    await data.ask_instrument(state, asked.taken)
    await message.answer(t("ws-ask-official-instrument", name=data.name, date=asked.taken))


@answers_router.message(OfficialEntry.instrument, F.text)
async def got_official_instrument(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator, frameworks: Frameworks
) -> None:
    data = await OfficialData.load(state)
    if data.taken is None:
        await question_gone(message, state, t)
        return
    question = await service.official_instrument(
        uow, user, frameworks, teacher_id=data.teacher_id, taken=data.taken, text=message.text
    )
    if isinstance(question, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(question, Invalid):
        await message.answer(
            t(question.key, **question.args)
            + "\n\n"
            + t("ws-ask-official-instrument", name=data.name, date=data.taken)
        )
        return
    await data.ask_result(state, question.instrument, {})
    text, markup = _result_question(question, t)
    await message.answer(text, reply_markup=markup)


@answers_router.message(OfficialEntry.result, F.text)
async def got_official_result(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, t: Translator, frameworks: Frameworks
) -> None:
    data = await OfficialData.load(state)
    if data.taken is None or data.instrument is None:
        await question_gone(message, state, t)
        return
    asked = await service.official_result(
        uow,
        user,
        frameworks,
        teacher_id=data.teacher_id,
        taken=data.taken,
        instrument=data.instrument,
        given=data.given,
        text=message.text,
    )
    if isinstance(asked, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(asked, Invalid):
        question = await service.official_question(
            uow,
            user,
            frameworks,
            teacher_id=data.teacher_id,
            taken=data.taken,
            instrument=data.instrument,
            given=data.given,
        )
        if isinstance(question, Stale):
            await question_gone(message, state, t)
            return
        text, markup = _result_question(question, t)
        await message.answer(t(asked.key, **asked.args) + "\n\n" + text, reply_markup=markup)
        return
    await data.ask_deficit(state, asked.result)
    text, markup = _deficit_question(asked.question, asked.result, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(
    WorkspaceCb.filter(F.action.in_({WorkspaceAction.OFFICIAL_DEFICIT, WorkspaceAction.OFFICIAL_SKIP}))
)
async def got_official_button(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    """«Дефицит: да / нет» for the area whose result was typed, or «Не оценивалось» for the area asked."""
    data = await OfficialData.load(state)
    deficit = callback_data.action == WorkspaceAction.OFFICIAL_DEFICIT
    expected = OfficialEntry.deficit if deficit else OfficialEntry.result
    # A button of an entry no longer under way, of another step or of another teacher's, is stale.
    if (
        await state.get_state() != expected.state
        or data.taken is None
        or data.instrument is None
        or data.teacher_id != callback_data.teacher_id
        or (deficit and (data.result is None or callback_data.level not in (0, 1)))
    ):
        await stale(query, t)
        return
    answer = service.OfficialArea(data.result, callback_data.level == 1) if data.result is not None else None
    outcome = await service.official_area(
        uow,
        user,
        frameworks,
        teacher_id=callback_data.teacher_id,
        taken=data.taken,
        instrument=data.instrument,
        given=data.given,
        area=callback_data.area,
        answer=answer if deficit else None,
    )
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    area = t(f"area-{callback_data.area}")
    if answer is not None and deficit:
        done = t("ws-official-area-done", area=area, result=answer.result, deficit=int(answer.deficit))
    else:
        done = t("ws-official-area-skipped", area=area)
    if isinstance(outcome, service.OfficialQuestion):
        await data.ask_result(state, data.instrument, outcome.given)
        await query.answer()
        await edit_text(message, done, reply_markup=None)
        text, markup = _result_question(outcome, t)
        await message.answer(text, reply_markup=markup)
        return
    if isinstance(outcome, service.NothingAssessed):
        await data.ask_result(state, data.instrument, {})  # nothing to record: ask again from the first
        await query.answer(t("ws-official-empty"), show_alert=True)
        text, markup = _result_question(outcome.question, t)
        await message.answer(text, reply_markup=markup)
        return
    await state.clear()
    teacher, diagnosis = outcome.teacher, outcome.diagnosis
    await query.answer(t("ws-official-saved-alert"))
    await edit_text(message, done, reply_markup=None)
    await message.answer(
        t("ws-official-saved", name=teacher.full_name)
        + "\n\n"
        + views.official_section(diagnosis, frameworks, t),
        reply_markup=views.to_card(teacher.id, t),
    )


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.OFFICIAL_LEVEL))
async def old_level_button(query: CallbackQuery, t: Translator) -> None:
    """A level button of an entry begun before results and deficits were entered as ЦНППМ's."""
    await stale(query, t)


@asks_again(OfficialEntry.date, expects=Expects.TEXT)
async def ask_date_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    await asking.message.answer(asking.t("ws-ask-official-date", name=data.name))
    return True


@asks_again(OfficialEntry.instrument, expects=Expects.TEXT)
async def ask_instrument_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    if data.taken is None:
        return False
    await asking.message.answer(asking.t("ws-ask-official-instrument", name=data.name, date=data.taken))
    return True


async def _asked(asking: Asking, data: OfficialData) -> service.OfficialQuestion | None:
    if data.taken is None or data.instrument is None:
        return None
    question = await service.official_question(
        asking.uow,
        asking.user,
        asking.data["frameworks"],
        teacher_id=data.teacher_id,
        taken=data.taken,
        instrument=data.instrument,
        given=data.given,
    )
    return None if isinstance(question, Stale) else question


@asks_again(OfficialEntry.result, expects=Expects.TEXT)
async def ask_result_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    question = await _asked(asking, data)
    if question is None:
        return False
    text, markup = _result_question(question, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


@asks_again(OfficialEntry.deficit, expects=Expects.BUTTON)
async def ask_deficit_again(asking: Asking) -> bool:
    data = await OfficialData.load(asking.state)
    question = await _asked(asking, data)
    if question is None or data.result is None:
        return False
    text, markup = _deficit_question(question, data.result, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


def _cancel(kb: Keyboard, teacher_id: int, t: Translator) -> None:
    kb.button(
        text=t("btn-cancel"),
        callback_data=WorkspaceCb(action=WorkspaceAction.OFFICIAL_STOP, teacher_id=teacher_id),
    )


def _heading(question: service.OfficialQuestion, t: Translator) -> str:
    return t(
        "ws-official-heading",
        name=question.teacher.full_name,
        date=question.taken,
        instrument=question.instrument,
        number=len(question.given) + 1,
        total=len(question.areas),
        area=question.area.name.get(t.locale),
    )


def _result_question(question: service.OfficialQuestion, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    teacher, area = question.teacher, question.area
    kb = Keyboard()
    kb.button(
        text=t("ws-btn-not-assessed"),
        callback_data=WorkspaceCb(
            action=WorkspaceAction.OFFICIAL_SKIP, teacher_id=teacher.id, area=area.code
        ),
    )
    _cancel(kb, teacher.id, t)
    kb.adjust(1)
    return _heading(question, t) + "\n" + t("ws-official-ask-result"), kb.as_markup()


def _deficit_question(
    question: service.OfficialQuestion, result: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    teacher, area = question.teacher, question.area

    def button(level: int) -> WorkspaceCb:
        return WorkspaceCb(
            action=WorkspaceAction.OFFICIAL_DEFICIT, teacher_id=teacher.id, level=level, area=area.code
        )

    kb = Keyboard()
    kb.button(text=t("ws-btn-deficit-yes"), callback_data=button(1))
    kb.button(text=t("ws-btn-deficit-no"), callback_data=button(0))
    _cancel(kb, teacher.id, t)
    kb.adjust(2, 1)
    return _heading(question, t) + "\n" + t("ws-official-ask-deficit", result=result), kb.as_markup()
