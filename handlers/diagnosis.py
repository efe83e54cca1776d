"""Flow 2: «Самодиагностика». One statement per message, every answer stored as it is given.

The position lives in the diagnosis row, not in the FSM, so the teacher can pause, come back
days later or after a restart, and continue at the same statement. The statement message is
edited in place; its buttons carry the diagnosis id and the statement index, so a button from
an old message is recognised as stale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain import diagnosis as scoring
from domain.framework import Framework
from domain.profile import is_manager
from handlers.callbacks import DiagCb, RouteCb
from handlers.charts import area_chart
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.reminders import plan_rediagnosis, plan_unfinished_diagnosis
from handlers.render import edit_text, region_rules
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from storage.frameworks import Frameworks
from storage.learning import DiagnosisRepo
from storage.models import Diagnosis, User

router = Router(name="diagnosis")
Clock = Callable[[], datetime]


@router.message(MenuButton("menu-diagnosis"))
async def diagnosis_home(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    await state.clear()
    if user.profile_completed_at is None:
        await message.answer(t("diag-need-profile"))
        return
    repo = DiagnosisRepo(session)
    current = await repo.in_progress(user.id)
    kb = Keyboard()
    if current is not None:
        total = len(frameworks.get(current.framework_version).statements_for(current.manager))
        kb.button(text=t("diag-btn-resume"), callback_data=DiagCb(action="resume", d=current.id))
        kb.button(text=t("diag-btn-restart"), callback_data=DiagCb(action="start"))
        kb.adjust(1)
        await message.answer(
            t("diag-unfinished", done=current.position, total=total), reply_markup=kb.as_markup()
        )
        return
    _, version = await region_rules(session, user.region_code)
    framework = frameworks.get(version)
    last = await repo.latest_done(user.id)
    kb.button(
        text=t("diag-btn-start") if last is None else t("diag-btn-again"),
        callback_data=DiagCb(action="start"),
    )
    if last is not None:
        kb.button(text=t("diag-btn-result"), callback_data=DiagCb(action="result", d=last.id))
    kb.adjust(1)
    count = len(framework.statements_for(is_manager(user.position)))
    await message.answer(
        t("diag-intro", count=count, minutes=max(5, round(count * 0.3))), reply_markup=kb.as_markup()
    )


@router.callback_query(DiagCb.filter(F.action == "start"))
async def start_diagnosis(
    query: CallbackQuery,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    repo = DiagnosisRepo(session)
    unfinished = await repo.in_progress(user.id)
    if unfinished is not None:
        unfinished.status = "abandoned"
    _, version = await region_rules(session, user.region_code)
    diagnosis = await repo.start(user.id, version, is_manager(user.position), clock())
    await plan_unfinished_diagnosis(session, user, diagnosis)
    await session.commit()
    await query.answer()
    assert isinstance(query.message, Message)
    framework = frameworks.get(version)
    text, markup = _statement_view(diagnosis, framework, {}, t)
    await query.message.answer(text, reply_markup=markup)


@router.callback_query(DiagCb.filter(F.action == "resume"))
async def resume_diagnosis(
    query: CallbackQuery,
    callback_data: DiagCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    repo = DiagnosisRepo(session)
    diagnosis = await repo.get_own(callback_data.d, user.id)
    if diagnosis is None or diagnosis.status != "in_progress":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    answers = await repo.answers(diagnosis.id)
    text, markup = _statement_view(diagnosis, frameworks.get(diagnosis.framework_version), answers, t)
    await query.message.answer(text, reply_markup=markup)


@router.callback_query(DiagCb.filter(F.action.in_({"ans", "back", "pause"})))
async def answer_statement(
    query: CallbackQuery,
    callback_data: DiagCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    repo = DiagnosisRepo(session)
    diagnosis = await repo.get_own(callback_data.d, user.id)
    # Only the statement being asked can be answered: anything else is an old or forged button.
    if diagnosis is None or diagnosis.status != "in_progress" or callback_data.i != diagnosis.position:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    framework = frameworks.get(diagnosis.framework_version)
    questions = framework.statements_for(diagnosis.manager)
    assert isinstance(query.message, Message)
    if callback_data.action == "pause":
        await query.answer()
        kb = Keyboard()
        kb.button(text=t("diag-btn-resume"), callback_data=DiagCb(action="resume", d=diagnosis.id))
        await edit_text(
            query.message,
            t("diag-paused", done=diagnosis.position, total=len(questions)),
            reply_markup=kb.as_markup(),
        )
        return
    if callback_data.action != "back" and callback_data.v not in (scoring.NOT_APPLICABLE, 1, 2, 3, 4):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    answers = await repo.answers(diagnosis.id)
    if callback_data.action == "back":
        diagnosis.position = max(0, diagnosis.position - 1)
    else:
        _, statement = questions[diagnosis.position]
        await repo.answer(diagnosis, answers, statement.id, callback_data.v, clock())
        diagnosis.position += 1
    if diagnosis.position >= len(questions):
        await _finish(query, diagnosis, framework, answers, session, user, t, clock)
        return
    await session.commit()
    await query.answer()
    text, markup = _statement_view(diagnosis, framework, answers, t)
    await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(DiagCb.filter(F.action == "result"))
async def show_result(
    query: CallbackQuery,
    callback_data: DiagCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    diagnosis = await DiagnosisRepo(session).get_own(callback_data.d, user.id)
    if diagnosis is None or diagnosis.status != "done":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    await send_result(query.message, diagnosis, frameworks.get(diagnosis.framework_version), session, user, t)


async def _finish(
    query: CallbackQuery,
    diagnosis: Diagnosis,
    framework: Framework,
    answers: dict[str, int],
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    thresholds, _ = await region_rules(session, user.region_code)
    result = scoring.score(
        framework,
        answers,
        manager=diagnosis.manager,
        deficit_below=thresholds.deficit_threshold,
        strength_from=thresholds.strength_threshold,
    )
    diagnosis.status = "done"
    diagnosis.finished_at = clock()
    diagnosis.scores = result.scores()
    diagnosis.deficits = list(result.deficits)
    diagnosis.strengths = list(result.strengths)
    await plan_rediagnosis(session, user, diagnosis)
    await session.commit()
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("diag-finished"), reply_markup=None)
    await send_result(query.message, diagnosis, framework, session, user, t)


async def send_result(
    message: Message,
    diagnosis: Diagnosis,
    framework: Framework,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    """The result as text (scores, deficits, strengths, change) and as a chart."""
    previous = await DiagnosisRepo(session).latest_done(user.id, before_id=diagnosis.id)
    delta = scoring.change(diagnosis.scores, previous.scores) if previous else {}
    thresholds, _ = await region_rules(session, user.region_code)
    areas = framework.areas_for(diagnosis.manager)
    lines = []
    for area in areas:
        value = diagnosis.scores.get(area.code)
        name = area.name.get(t.locale)
        if value is None:
            lines.append(t("diag-line-na", area=name))
            continue
        key = "diag-line-deficit" if area.code in diagnosis.deficits else "diag-line"
        line = t(key, area=name, score=value)
        if area.code in delta:
            line += " " + t("diag-change", points=f"{delta[area.code]:+d}")
        lines.append(line)
    names = {a.code: a.name.get(t.locale) for a in areas}
    text = t(
        "diag-result",
        date=(diagnosis.finished_at or diagnosis.started_at).date(),
        lines=Html("\n".join(lines)),
        deficits=", ".join(names[c] for c in diagnosis.deficits) or t("diag-none"),
        strengths=", ".join(names[c] for c in diagnosis.strengths) or t("diag-none"),
        threshold=thresholds.deficit_threshold,
    )
    if previous is not None:
        text += "\n\n" + t("diag-compared", date=(previous.finished_at or previous.started_at).date())
    kb = Keyboard()
    kb.button(text=t("route-btn-draft"), callback_data=RouteCb(action="draft"))
    chart = await render_in_worker(
        area_chart,
        [names[a.code] for a in areas],
        [diagnosis.scores.get(a.code) for a in areas],
        previous=[previous.scores.get(a.code) for a in areas] if previous else None,
        threshold=thresholds.deficit_threshold,
        title=t("diag-chart-title"),
        previous_label=t("diag-chart-previous"),
        threshold_label=t("diag-chart-threshold"),
        not_assessed_label=t("diag-chart-na"),
    )
    await message.answer_photo(
        BufferedInputFile(chart, filename="diagnosis.png"), caption=t("diag-chart-caption")
    )
    await message.answer(text, reply_markup=kb.as_markup())


def _statement_view(
    diagnosis: Diagnosis, framework: Framework, answers: dict[str, int], t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    questions = framework.statements_for(diagnosis.manager)
    area, statement = questions[diagnosis.position]
    given = answers.get(statement.id)
    kb = Keyboard()
    for level in framework.scale:
        mark = "✓ " if given == level.value else ""
        kb.button(
            text=f"{mark}{level.value}. {level.label.get(t.locale)}",
            callback_data=DiagCb(action="ans", d=diagnosis.id, i=diagnosis.position, v=level.value),
        )
    na_mark = "✓ " if given == scoring.NOT_APPLICABLE else ""
    kb.button(
        text=na_mark + t("diag-btn-na"),
        callback_data=DiagCb(action="ans", d=diagnosis.id, i=diagnosis.position, v=scoring.NOT_APPLICABLE),
    )
    nav = 1
    if diagnosis.position > 0:
        kb.button(
            text=t("diag-btn-back"), callback_data=DiagCb(action="back", d=diagnosis.id, i=diagnosis.position)
        )
        nav = 2
    kb.button(
        text=t("diag-btn-pause"), callback_data=DiagCb(action="pause", d=diagnosis.id, i=diagnosis.position)
    )
    kb.adjust(1, 1, 1, 1, 1, nav)
    text = t(
        "diag-statement",
        number=diagnosis.position + 1,
        total=len(questions),
        area=area.name.get(t.locale),
        statement=statement.text.get(t.locale),
    )
    return text, kb.as_markup()
