"""The teacher card, and the chart of the teacher's self-diagnosis."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.charts import area_chart
from handlers.render import edit_text, stale
from handlers.render_worker import render_in_worker
from handlers.workspace import views
from handlers.workspace.routers import router
from locales import Translator
from services import workspace as service
from services.regions import RegionRules
from services.results import Stale
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import User

OPENS = {WorkspaceAction.CARD, WorkspaceAction.SHOW, WorkspaceAction.OFFICIAL_STOP}


@router.callback_query(WorkspaceCb.filter(F.action.in_(OPENS)))
async def teacher_card(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    """The teacher's card.

    «card» comes from outside the workspace (the digest, a reminder, a notification) and opens the
    card as a new message, so that message stays; «show» redraws it in place while browsing;
    «ostop» is «show» that leaves an official-diagnosis entry unsaved.
    """
    card = await service.card(uow, user, rules, callback_data.teacher_id)
    if isinstance(card, Stale):
        await stale(query, t)
        return
    await state.clear()
    await query.answer()
    text, markup = views.card(card, frameworks, t, callback_data)
    if callback_data.action == WorkspaceAction.CARD:
        await message.answer(text, reply_markup=markup)
    else:
        await edit_text(message, text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.CHART))
async def diagnosis_chart(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    chart = await service.chart(uow, user, callback_data.teacher_id, frameworks)
    if isinstance(chart, Stale):
        await stale(query, t)
        return
    if isinstance(chart, service.NoSelfDiagnosis):
        await query.answer(t("ws-no-self-diagnosis"), show_alert=True)
        return
    latest, previous, areas = chart.latest, chart.previous, chart.areas
    image = await render_in_worker(
        area_chart,
        [a.name.get(t.locale) for a in areas],
        [latest.scores.get(a.code) for a in areas],
        previous=[previous.scores.get(a.code) for a in areas] if previous else None,
        threshold=chart.threshold,
        title=t("diag-chart-title"),
        previous_label=t("diag-chart-previous"),
        threshold_label=t("diag-chart-threshold"),
        not_assessed_label=t("diag-chart-na"),
    )
    await query.answer()
    name = views.short(chart.teacher.full_name or "", views.NAME_CUT)
    await message.answer_photo(
        BufferedInputFile(image, filename="diagnosis.png"),
        caption=t("ws-chart-caption", name=name, date=views.day(latest)),
    )
