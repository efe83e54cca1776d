"""Flow 2: «Самодиагностика» on Telegram: the statement message is edited in place, the result is
sent as text and a chart. What happens is decided by ``services.diagnosis``."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from domain import diagnosis as scoring
from handlers.callbacks import DiagAction, DiagCb, RouteAction, RouteCb
from handlers.charts import area_chart
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, stale
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from services import diagnosis as service
from services.regions import RegionRules
from services.results import Stale
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import User

router = Router(name="diagnosis")


class DiagnosisQuestion(StatesGroup):
    """A statement is on screen (its answers are buttons; the position lives in the diagnosis row):
    the conversation knows which diagnosis, so a message that is not an answer asks it again."""

    statement = State()


async def _asking(state: FSMContext, question: service.Question, *, take_over: bool = True) -> None:
    """The conversation waits on ``question``'s statement. An answer given from an old message
    while another question is being asked (``take_over=False``) leaves that question be."""
    if not take_over and await state.get_state() not in (None, DiagnosisQuestion.statement.state):
        return
    await state.set_state(DiagnosisQuestion.statement)
    await state.set_data({"diagnosis": question.diagnosis.id})


async def _done_asking(state: FSMContext) -> None:
    """No statement on screen any more (paused, finished); another question is left be."""
    if await state.get_state() == DiagnosisQuestion.statement.state:
        await state.clear()


@asks_again(DiagnosisQuestion.statement, expects=Expects.BUTTON)
async def ask_again(asking: Asking) -> bool:
    diagnosis_id = await asking.state.get_value("diagnosis", 0)
    question = await service.resume(
        asking.uow, asking.user.id, int(diagnosis_id or 0), asking.data["frameworks"]
    )
    if isinstance(question, Stale):
        return False
    await _asking(asking.state, question)
    text, markup = _statement_view(question, asking.t)
    await asking.message.answer(text, reply_markup=markup)
    return True


@router.message(MenuButton("menu-diagnosis"))
async def diagnosis_home(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    await state.clear()
    home = await service.home(uow, user, rules, frameworks)
    kb = Keyboard()
    if isinstance(home, service.NeedProfile):
        await message.answer(t("diag-need-profile"))
        return
    if isinstance(home, service.Unfinished):
        kb.button(
            text=t("diag-btn-resume"),
            callback_data=DiagCb(action=DiagAction.RESUME, diagnosis_id=home.diagnosis.id),
        )
        kb.button(text=t("diag-btn-restart"), callback_data=DiagCb(action=DiagAction.START))
        kb.adjust(1)
        await message.answer(
            t("diag-unfinished", done=home.diagnosis.position, total=home.total), reply_markup=kb.as_markup()
        )
        return
    kb.button(
        text=t("diag-btn-start") if home.last is None else t("diag-btn-again"),
        callback_data=DiagCb(action=DiagAction.START),
    )
    if home.last is not None:
        kb.button(
            text=t("diag-btn-result"),
            callback_data=DiagCb(action=DiagAction.RESULT, diagnosis_id=home.last.id),
        )
    kb.button(text=t("diag-btn-official"), callback_data=DiagCb(action=DiagAction.OFFICIAL))
    kb.adjust(1)
    await message.answer(
        t(
            "diag-intro",
            count=home.statements,
            minutes=max(5, round(home.statements * 0.3)),
            **rules.bodies.fluent(),
        ),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(DiagCb.filter(F.action == DiagAction.START))
async def start_diagnosis(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    question = await service.start(uow, user, rules, frameworks)
    await _asking(state, question)
    await query.answer()
    text, markup = _statement_view(question, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(DiagCb.filter(F.action == DiagAction.RESUME))
async def resume_diagnosis(
    query: CallbackQuery,
    message: Message,
    callback_data: DiagCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    question = await service.resume(uow, user.id, callback_data.diagnosis_id, frameworks)
    if isinstance(question, Stale):
        await stale(query, t)
        return
    await _asking(state, question)
    await query.answer()
    text, markup = _statement_view(question, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(DiagCb.filter(F.action == DiagAction.PAUSE))
async def pause_diagnosis(
    query: CallbackQuery,
    message: Message,
    callback_data: DiagCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    paused = await service.pause(uow, user.id, callback_data.diagnosis_id, callback_data.position, frameworks)
    if isinstance(paused, Stale):
        await stale(query, t)
        return
    await _done_asking(state)
    await query.answer()
    kb = Keyboard()
    kb.button(
        text=t("diag-btn-resume"),
        callback_data=DiagCb(action=DiagAction.RESUME, diagnosis_id=paused.diagnosis.id),
    )
    await edit_text(
        message,
        t("diag-paused", done=paused.diagnosis.position, total=paused.total),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(DiagCb.filter(F.action.in_({DiagAction.ANSWER, DiagAction.BACK})))
async def answer_statement(
    query: CallbackQuery,
    message: Message,
    callback_data: DiagCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    outcome: service.Question | service.Result | Stale
    if callback_data.action == DiagAction.BACK:
        outcome = await service.back(
            uow, user.id, callback_data.diagnosis_id, callback_data.position, frameworks
        )
    else:
        outcome = await service.answer(
            uow,
            user,
            rules,
            frameworks,
            diagnosis_id=callback_data.diagnosis_id,
            position=callback_data.position,
            value=callback_data.value,
        )
    if isinstance(outcome, Stale):
        await stale(query, t)
        return
    await query.answer()
    if isinstance(outcome, service.Question):
        await _asking(state, outcome, take_over=False)
        text, markup = _statement_view(outcome, t)
        await edit_text(message, text, reply_markup=markup)
        return
    await _done_asking(state)
    await edit_text(message, t("diag-finished"), reply_markup=None)
    await send_result(message, outcome, t, rules)


@router.callback_query(DiagCb.filter(F.action == DiagAction.RESULT))
async def show_result(
    query: CallbackQuery,
    message: Message,
    callback_data: DiagCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    result = await service.result(uow, user.id, callback_data.diagnosis_id, rules, frameworks)
    if isinstance(result, Stale):
        await stale(query, t)
        return
    await query.answer()
    await send_result(message, result, t, rules)


@router.callback_query(DiagCb.filter(F.action == DiagAction.OFFICIAL))
async def show_official(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, t: Translator, frameworks: Frameworks
) -> None:
    """«Результаты ЦНППМ»: the official diagnoses, each with its date, instrument, result per area
    and the deficits as ЦНППМ recorded them."""
    shown = await service.official(uow, user.id, frameworks)
    await query.answer()
    if not shown.diagnoses:
        await message.answer(t("diag-official-none"))
        return
    kb = Keyboard()
    kb.button(text=t("route-btn-my"), callback_data=RouteCb(action=RouteAction.DRAFT))
    await message.answer(official_text(shown, t), reply_markup=kb.as_markup())


def official_text(shown: service.Official, t: Translator) -> str:
    parts = [t("diag-official-title")]
    for diagnosis, framework in shown.diagnoses:
        areas = framework.areas_for(diagnosis.manager)
        lines = []
        for area in areas:
            value, name = diagnosis.scores.get(area.code), area.name.get(t.locale)
            if value is None:
                lines.append(t("diag-line-na", area=name))
            else:
                key = (
                    "diag-official-line-deficit" if area.code in diagnosis.deficits else "diag-official-line"
                )
                lines.append(t(key, area=name, score=value))
        names = {a.code: a.name.get(t.locale) for a in framework.areas}
        parts.append(
            t(
                "diag-official",
                date=(diagnosis.finished_at or diagnosis.started_at).date(),
                instrument=diagnosis.instrument or "—",
                lines=Html("\n".join(lines)),
                deficits=", ".join(names.get(c, c) for c in diagnosis.deficits) or t("diag-none"),
            )
        )
    return "\n\n".join([*parts, t("diag-official-route")])


async def send_result(message: Message, result: service.Result, t: Translator, rules: RegionRules) -> None:
    """The result as a chart, then as text (scores, deficits, strengths, change); the note under it
    names the region's ЦНППМ (``rules.bodies``)."""
    diagnosis, previous = result.diagnosis, result.previous
    areas = result.framework.areas_for(diagnosis.manager)
    lines = []
    for area in areas:
        value = diagnosis.scores.get(area.code)
        name = area.name.get(t.locale)
        if value is None:
            lines.append(t("diag-line-na", area=name))
            continue
        key = "diag-line-deficit" if area.code in diagnosis.deficits else "diag-line"
        line = t(key, area=name, score=value)
        if area.code in result.change:
            line += " " + t("diag-change", points=f"{result.change[area.code]:+d}")
        lines.append(line)
    names = {a.code: a.name.get(t.locale) for a in areas}
    text = t(
        "diag-result",
        date=(diagnosis.finished_at or diagnosis.started_at).date(),
        lines=Html("\n".join(lines)),
        deficits=", ".join(names[c] for c in diagnosis.deficits) or t("diag-none"),
        strengths=", ".join(names[c] for c in diagnosis.strengths) or t("diag-none"),
        threshold=result.threshold,
        **rules.bodies.fluent(),
    )
    if previous is not None:
        text += "\n\n" + t("diag-compared", date=(previous.finished_at or previous.started_at).date())
    kb = Keyboard()
    kb.button(text=t("route-btn-draft"), callback_data=RouteCb(action=RouteAction.DRAFT))
    chart = await render_in_worker(
        area_chart,
        [names[a.code] for a in areas],
        [diagnosis.scores.get(a.code) for a in areas],
        previous=[previous.scores.get(a.code) for a in areas] if previous else None,
        threshold=result.threshold,
        title=t("diag-chart-title"),
        previous_label=t("diag-chart-previous"),
        threshold_label=t("diag-chart-threshold"),
        not_assessed_label=t("diag-chart-na"),
    )
    await message.answer_photo(
        BufferedInputFile(chart, filename="diagnosis.png"), caption=t("diag-chart-caption")
    )
    await message.answer(text, reply_markup=kb.as_markup())


def _statement_view(question: service.Question, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    diagnosis, framework = question.diagnosis, question.framework
    questions = framework.statements_for(diagnosis.manager)
    area, statement = questions[diagnosis.position]
    given = question.answers.get(statement.id)

    def button(action: DiagAction, value: int = 0) -> DiagCb:
        return DiagCb(action=action, diagnosis_id=diagnosis.id, position=diagnosis.position, value=value)

    kb = Keyboard()
    for level in framework.scale:
        mark = "✓ " if given == level.value else ""
        kb.button(
            text=f"{mark}{level.value}. {level.label.get(t.locale)}",
            callback_data=button(DiagAction.ANSWER, level.value),
        )
    na_mark = "✓ " if given == scoring.NOT_APPLICABLE else ""
    kb.button(
        text=na_mark + t("diag-btn-na"), callback_data=button(DiagAction.ANSWER, scoring.NOT_APPLICABLE)
    )
    nav = 1
    if diagnosis.position > 0:
        kb.button(text=t("diag-btn-back"), callback_data=button(DiagAction.BACK))
        nav = 2
    kb.button(text=t("diag-btn-pause"), callback_data=button(DiagAction.PAUSE))
    kb.adjust(1, 1, 1, 1, 1, nav)
    text = t(
        "diag-statement",
        number=diagnosis.position + 1,
        total=len(questions),
        area=area.name.get(t.locale),
        statement=statement.text.get(t.locale),
    )
    return text, kb.as_markup()
