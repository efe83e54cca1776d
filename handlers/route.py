"""Flow 3: «Мой ИОМ» — draft from the diagnosis, view, edit, submit, mark done, export DOCX."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.framework import AREA_CODES
from domain.profile import ProfileError, is_manager, parse_date
from domain.route import (
    KIND_FORMS,
    Catalogue,
    EventOption,
    ProgramOption,
    SiteOption,
    Teacher,
    draft_route,
    route_end,
)
from handlers.callbacks import DiagAction, DiagCb, RouteCb
from handlers.documents import RouteDocument, route_docx
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text, region_rules, young_teacher_rule
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from services.regions import RegionRules
from services.reminders import plan_route_approval, plan_route_items
from services.uow import UnitOfWork
from storage.learning import CatalogueRepo, DiagnosisRepo, RouteRepo
from storage.models import Route, RouteItem, User
from storage.repositories import DirectoryRepo, UserRepo

router = Router(name="route")
# Typed answers of the route's own questions; tried after every menu button and command.
edit_router = Router(name="route-edit")
Clock = Callable[[], datetime]
PAGE = 5
EDITABLE = {"draft", "returned", "submitted", "active"}
GENERIC_KINDS = ("association", "open_lesson", "self_education")
REFLECTION_MIN, REFLECTION_MAX = 10, 2000
_URL = re.compile(r"^https?://\S+$")


class RouteEdit(StatesGroup):
    due_date = State()
    evidence = State()


# --- viewing ------------------------------------------------------------------------------------


@router.message(MenuButton("menu-route"))
async def route_home(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    await state.clear()
    route = await RouteRepo(session).current(user.id)
    if route is None or route.status == "completed":
        await _offer_draft(message, session, user, t, completed=route is not None)
        return
    text, markup = _route_view(route, 0, t)
    await message.answer(text, reply_markup=markup)


async def _offer_draft(
    message: Message, session: AsyncSession, user: User, t: Translator, *, completed: bool
) -> None:
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    kb = Keyboard()
    if diagnosis is None:
        kb.button(text=t("diag-btn-start"), callback_data=DiagCb(action=DiagAction.START))
        await message.answer(t("route-need-diagnosis"), reply_markup=kb.as_markup())
        return
    kb.button(text=t("route-btn-draft"), callback_data=RouteCb(action="draft"))
    key = "route-offer-new" if completed else "route-offer"
    date = (diagnosis.finished_at or diagnosis.started_at).date()
    await message.answer(t(key, date=date), reply_markup=kb.as_markup())


@router.callback_query(RouteCb.filter(F.action == "view"))
async def view_page(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    route = await RouteRepo(session).get_own(callback_data.r, user.id)
    if route is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = _route_view(route, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


def _route_view(route: Route, page: int, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    items = route.items
    pages = max(1, -(-len(items) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines = []
    kb = Keyboard()
    for number, item in enumerate(items[page * PAGE : (page + 1) * PAGE], start=page * PAGE + 1):
        lines.append(
            t(
                "route-line",
                number=number,
                mark="✅" if item.status == "done" else "⬜",
                area=t(f"area-{item.area}"),
                title=item.title,
                due=item.due_on,
                hours=item.hours,
            )
        )
        kb.button(text=str(number), callback_data=RouteCb(action="item", r=route.id, x=item.id, p=page))
    kb.adjust(PAGE)
    nav = Keyboard()
    if page > 0:
        nav.button(text=t("btn-prev"), callback_data=RouteCb(action="view", r=route.id, p=page - 1))
    if page < pages - 1:
        nav.button(text=t("btn-next"), callback_data=RouteCb(action="view", r=route.id, p=page + 1))
    kb.attach(nav)
    actions = Keyboard()
    if route.status in EDITABLE:
        actions.button(text=t("route-btn-add"), callback_data=RouteCb(action="add", r=route.id))
    if route.status in {"draft", "returned"}:
        actions.button(text=t("route-btn-submit"), callback_data=RouteCb(action="submit", r=route.id))
    actions.button(text=t("route-btn-docx"), callback_data=RouteCb(action="docx", r=route.id))
    actions.adjust(1)
    kb.attach(actions)
    done = sum(1 for i in items if i.status == "done")
    text = t(
        "route-view",
        status=t(f"route-status-{route.status}"),
        start=route.starts_on,
        end=route.ends_on,
        hours=sum(i.hours for i in items),
        done=done,
        total=len(items),
        lines=Html("\n".join(lines) if lines else t("route-empty")),
        page=page + 1,
        pages=pages,
    )
    if route.comment:
        text += "\n\n" + t("route-comment", comment=route.comment)
    return text, kb.as_markup()


# --- drafting -----------------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == "draft"))
async def draft(
    query: CallbackQuery,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    assert isinstance(query.message, Message)
    routes = RouteRepo(session)
    existing = await routes.current(user.id)
    if existing is not None and existing.status != "completed":
        await query.answer()
        text, markup = _route_view(existing, 0, t)
        await query.message.answer(t("route-exists") + "\n\n" + text, reply_markup=markup)
        return
    diagnosis = await DiagnosisRepo(session).latest_done(user.id)
    if diagnosis is None:
        await query.answer(t("route-need-diagnosis"), show_alert=True)
        return
    thresholds, _ = await region_rules(session, user.region_code)
    today = clock().date()
    deficits = list(diagnosis.deficits) or _weakest(diagnosis.scores)
    young = (await young_teacher_rule(session, user.region_code)).applies(
        user.birth_date, user.work_start_year, today
    )
    catalogue = await _catalogue(session, user.region_code, clock)
    teacher = Teacher(frozenset(user.subjects), user.municipality_id, young)
    items = draft_route(
        deficits, teacher, catalogue, start=today, period_months=thresholds.route_period_months
    )
    labels = await DirectoryRepo(session).region_settings(user.region_code)
    association = labels.labels.school_association if labels else "ШМО"
    municipal = labels.labels.municipal_association if labels else "РМО"
    titles = {
        index: t(
            f"route-kind-{item.kind}", area=t(f"area-{item.area}"), school=association, municipal=municipal
        )
        for index, item in enumerate(items)
        if item.title is None
    }
    route = await routes.create(
        user.id, diagnosis.id, items, titles, today, route_end(today, thresholds.route_period_months)
    )
    await plan_route_items(uow, rules, user.id, list(route.items))
    await session.commit()
    await query.answer()
    text, markup = _route_view(route, 0, t)
    intro = t("route-drafted", count=len(items)) if diagnosis.deficits else t("route-drafted-no-deficits")
    await query.message.answer(intro + "\n\n" + text, reply_markup=markup)


def _weakest(scores: dict[str, int | None]) -> list[str]:
    scored = sorted((v, k) for k, v in scores.items() if v is not None)
    return [scored[0][1]] if scored else []


async def _catalogue(session: AsyncSession, region_code: str | None, clock: Clock) -> Catalogue:
    repo = CatalogueRepo(session)
    programs = [
        ProgramOption(p.id, p.title, p.hours, p.federal_registry, frozenset(p.areas), frozenset(p.subjects))
        for p in await repo.programs(region_code)
    ]
    sites = [
        SiteOption(
            s.id,
            _site_title(s.organisation, s.topic),
            s.municipality_id,
            frozenset(s.areas),
            frozenset(s.subjects),
        )
        for s in await repo.sites(region_code)
        if s.ends_on >= clock().date()
    ]
    events = [
        EventOption(
            e.id, e.title, e.starts_at.date(), frozenset(e.areas), max(1, round(e.duration_minutes / 60))
        )
        for e in await repo.events(region_code, clock())
    ]
    return Catalogue(programs, sites, events)


def _site_title(organisation: str, topic: str) -> str:
    return f"{organisation}: {topic}"[:500]


# --- one item ----------------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == "item"))
async def item_card(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    item = await RouteRepo(session).item_own(callback_data.x, user.id)
    if item is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = _item_view(item, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


def _item_view(item: RouteItem, page: int, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    reason = item.reason or {}
    args = {k: t(f"area-{v}") if k == "area" else v for k, v in (reason.get("args") or {}).items()}
    text = t(
        "route-item",
        title=item.title,
        area=t(f"area-{item.area}"),
        kind=t(f"route-kindname-{item.kind}"),
        form=t(f"route-form-{item.form}"),
        hours=item.hours,
        due=item.due_on,
        status=t(f"route-item-{item.status}"),
        reason=t(reason["key"], **args) if reason.get("key") else t("reason-added"),
    )
    if item.status == "done":
        text += "\n" + t(
            f"route-evidence-{item.evidence_kind or 'text'}",
            evidence=item.evidence_name or item.evidence or "",
        )
    kb = Keyboard()
    route = item.route
    if route.status in EDITABLE:
        if item.status != "done":
            kb.button(
                text=t("route-btn-done"), callback_data=RouteCb(action="done", r=route.id, x=item.id, p=page)
            )
        kb.button(
            text=t("route-btn-date"), callback_data=RouteCb(action="date", r=route.id, x=item.id, p=page)
        )
        kb.button(
            text=t("route-btn-remove"), callback_data=RouteCb(action="rm", r=route.id, x=item.id, p=page)
        )
    kb.button(text=t("route-btn-back"), callback_data=RouteCb(action="view", r=route.id, p=page))
    kb.adjust(1)
    return text, kb.as_markup()


@router.callback_query(RouteCb.filter(F.action == "rm"))
async def remove_item(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    routes = RouteRepo(session)
    item = await routes.item_own(callback_data.x, user.id)
    if item is None or item.route.status not in EDITABLE:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    route = item.route
    await session.delete(item)
    _back_to_draft(route)
    await session.commit()
    fresh = await routes.get_own(route.id, user.id)
    assert fresh is not None and isinstance(query.message, Message)
    await query.answer(t("route-removed"))
    text, markup = _route_view(fresh, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


def _back_to_draft(route: Route) -> None:
    """A change after submitting needs a new approval."""
    if route.status == "submitted":
        route.status = "draft"
        route.submitted_at = None


@router.callback_query(RouteCb.filter(F.action == "date"))
async def ask_date(
    query: CallbackQuery,
    callback_data: RouteCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    item = await RouteRepo(session).item_own(callback_data.x, user.id)
    if item is None or item.route.status not in EDITABLE:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(RouteEdit.due_date)
    await state.set_data({"item": item.id, "page": callback_data.p})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("route-ask-date", start=item.route.starts_on, end=item.route.ends_on))


@edit_router.message(RouteEdit.due_date, F.text)
async def got_date(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    data = await state.get_data()
    item = await RouteRepo(session).item_own(int(data.get("item", 0)), user.id)
    if item is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    route = item.route
    try:
        due = parse_date(message.text)
    except ProfileError as err:
        await message.answer(
            t(err.code) + "\n\n" + t("route-ask-date", start=route.starts_on, end=route.ends_on)
        )
        return
    if not route.starts_on <= due <= route.ends_on:
        await message.answer(t("route-date-outside", start=route.starts_on, end=route.ends_on))
        return
    item.due_on = due
    _back_to_draft(route)
    await plan_route_items(uow, rules, user.id, [item])
    await session.commit()
    await state.clear()
    await message.answer(t("route-date-changed", date=due))
    text, markup = _item_view(item, int(data.get("page", 0)), t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(RouteCb.filter(F.action == "done"))
async def ask_evidence(
    query: CallbackQuery,
    callback_data: RouteCb,
    state: FSMContext,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    item = await RouteRepo(session).item_own(callback_data.x, user.id)
    if item is None or item.status == "done" or item.route.status not in EDITABLE:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(RouteEdit.evidence)
    await state.set_data({"item": item.id, "page": callback_data.p})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("route-ask-evidence", title=item.title))


@edit_router.message(RouteEdit.evidence)
async def got_evidence(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator, clock: Clock
) -> None:
    data = await state.get_data()
    routes = RouteRepo(session)
    item = await routes.item_own(int(data.get("item", 0)), user.id)
    if item is None or item.status == "done":
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    evidence = _evidence_of(message)
    if evidence is None:
        await message.answer(t("route-evidence-invalid", min=REFLECTION_MIN, max=REFLECTION_MAX))
        return
    item.evidence_kind, item.evidence, item.evidence_name = evidence
    item.status, item.done_at = "done", clock()
    route = await routes.get_own(item.route_id, user.id)
    assert route is not None
    all_done = all(i.status == "done" for i in route.items)
    if all_done:
        route.status, route.completed_at = "completed", clock()
    await session.commit()
    await state.clear()
    await message.answer(t("route-item-marked", title=item.title))
    if all_done:
        kb = Keyboard()
        kb.button(text=t("diag-btn-again"), callback_data=DiagCb(action=DiagAction.START))
        await message.answer(t("route-completed"), reply_markup=kb.as_markup())
        return
    text, markup = _route_view(route, int(data.get("page", 0)), t)
    await message.answer(text, reply_markup=markup)


def _evidence_of(message: Message) -> tuple[str, str, str | None] | None:
    """(kind, value, display name) of a document, photo, link or short reflection."""
    if message.document is not None:
        return "document", message.document.file_id, (message.document.file_name or "")[:300]
    if message.photo:
        return "photo", message.photo[-1].file_id, None
    text = (message.text or "").strip()
    if _URL.match(text) and len(text) <= 500:
        return "link", text, text
    if REFLECTION_MIN <= len(text) <= REFLECTION_MAX:
        return "text", text, None
    return None


# --- adding from the catalogue ----------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == "add"))
async def add_choose_area(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    route = await RouteRepo(session).get_own(callback_data.r, user.id)
    if route is None or route.status not in EDITABLE:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    kb = Keyboard()
    areas = [a for a in AREA_CODES if a != "managerial" or is_manager(user.position)]
    for area in areas:
        kb.button(text=t(f"area-{area}"), callback_data=RouteCb(action="adda", r=route.id, a=area))
    kb.button(text=t("route-btn-back"), callback_data=RouteCb(action="view", r=route.id))
    kb.adjust(1)
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("route-add-area"), reply_markup=kb.as_markup())


@router.callback_query(RouteCb.filter(F.action == "adda"))
async def add_choose_item(
    query: CallbackQuery,
    callback_data: RouteCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    route = await RouteRepo(session).get_own(callback_data.r, user.id)
    if route is None or route.status not in EDITABLE or callback_data.a not in AREA_CODES:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    area = callback_data.a
    catalogue = await _catalogue(session, user.region_code, clock)
    have = {(i.kind, i.program_id or i.site_id or i.event_id) for i in route.items}
    have_generic = {(i.kind, i.area) for i in route.items}
    kb = Keyboard()
    options: list[tuple[str, str, int]] = []
    options += [
        (p.title, "course", p.id)
        for p in catalogue.programs
        if area in p.areas and ("course", p.id) not in have
    ]
    options += [
        (s.title, "internship", s.id)
        for s in catalogue.sites
        if area in s.areas and ("internship", s.id) not in have
    ]
    options += [
        (e.title, "event", e.id) for e in catalogue.events if area in e.areas and ("event", e.id) not in have
    ]
    for label, kind, ref in options[:20]:
        kb.button(
            text=_short(label), callback_data=RouteCb(action="addp", r=route.id, x=ref, a=f"{kind}.{area}")
        )
    for kind in GENERIC_KINDS:
        if (kind, area) not in have_generic:
            kb.button(
                text=t(f"route-kindname-{kind}"),
                callback_data=RouteCb(action="addp", r=route.id, a=f"{kind}.{area}"),
            )
    kb.button(text=t("route-btn-back"), callback_data=RouteCb(action="view", r=route.id))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await edit_text(query.message, t("route-add-item", area=t(f"area-{area}")), reply_markup=kb.as_markup())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@router.callback_query(RouteCb.filter(F.action == "addp"))
async def add_item(
    query: CallbackQuery,
    callback_data: RouteCb,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    routes = RouteRepo(session)
    route = await routes.get_own(callback_data.r, user.id)
    kind, _, area = callback_data.a.partition(".")
    if route is None or route.status not in EDITABLE or area not in AREA_CODES or kind not in KIND_FORMS:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    catalogue = await _catalogue(session, user.region_code, clock)
    item = RouteItem(
        route_id=route.id,
        area=area,
        kind=kind,
        form=KIND_FORMS[kind],
        due_on=route.ends_on,
        reason={"key": "reason-added", "args": {}},
    )
    if kind == "course":
        program = next((p for p in catalogue.programs if p.id == callback_data.x and area in p.areas), None)
        if program is None:
            await query.answer(t("err-stale-button"), show_alert=True)
            return
        item.title, item.hours, item.program_id = program.title, program.hours, program.id
    elif kind == "internship":
        site = next((s for s in catalogue.sites if s.id == callback_data.x and area in s.areas), None)
        if site is None:
            await query.answer(t("err-stale-button"), show_alert=True)
            return
        item.title, item.hours, item.site_id = site.title, site.hours, site.id
    elif kind == "event":
        event = next((e for e in catalogue.events if e.id == callback_data.x and area in e.areas), None)
        if event is None:
            await query.answer(t("err-stale-button"), show_alert=True)
            return
        item.title, item.hours, item.event_id = event.title, event.hours, event.id
        item.due_on = min(max(event.day, route.starts_on), route.ends_on)
    else:
        settings = await DirectoryRepo(session).region_settings(user.region_code)
        item.title = t(
            f"route-kind-{kind}",
            area=t(f"area-{area}"),
            school=settings.labels.school_association if settings else "ШМО",
            municipal=settings.labels.municipal_association if settings else "РМО",
        )
        item.hours = {"association": 6, "open_lesson": 4, "self_education": 10}.get(kind, 0)
    session.add(item)
    _back_to_draft(route)
    await session.flush()
    await plan_route_items(uow, rules, user.id, [item])
    await session.commit()
    fresh = await routes.get_own(route.id, user.id)
    assert fresh is not None and isinstance(query.message, Message)
    await query.answer(t("route-added"))
    text, markup = _route_view(fresh, 0, t)
    await edit_text(query.message, text, reply_markup=markup)


# --- submit and export --------------------------------------------------------------------------


@router.callback_query(RouteCb.filter(F.action == "submit"))
async def submit(
    query: CallbackQuery,
    callback_data: RouteCb,
    session: AsyncSession,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    route = await RouteRepo(session).get_own(callback_data.r, user.id)
    if route is None or route.status not in {"draft", "returned"}:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    if not route.items:
        await query.answer(t("route-submit-empty"), show_alert=True)
        return
    route.status, route.submitted_at = "submitted", clock()
    await plan_route_approval(uow, route, clock())
    await session.commit()
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = _route_view(route, 0, t)
    await edit_text(query.message, text, reply_markup=markup)
    await query.message.answer(t("route-submitted"))


@router.callback_query(RouteCb.filter(F.action == "docx"))
async def export_docx(
    query: CallbackQuery, callback_data: RouteCb, session: AsyncSession, user: User, t: Translator
) -> None:
    route = await RouteRepo(session).get_own(callback_data.r, user.id)
    if route is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    await UserRepo(session).load_places(user)
    diagnosis = await DiagnosisRepo(session).get_own(route.diagnosis_id or 0, user.id)
    document = RouteDocument(
        title=t("docx-title"),
        header=[
            (t("docx-fio"), user.full_name or ""),
            (t("docx-position"), t(f"position-{user.position}") if user.position else ""),
            (t("docx-school"), user.school.name if user.school else (user.school_custom or "")),
            (
                t("docx-municipality"),
                user.municipality.name if user.municipality else (user.municipality_custom or ""),
            ),
            (t("docx-period"), f"{route.starts_on:%d.%m.%Y} – {route.ends_on:%d.%m.%Y}"),
            (t("docx-status"), t(f"route-status-{route.status}")),
            (
                t("docx-diagnosis"),
                f"{(diagnosis.finished_at or diagnosis.started_at):%d.%m.%Y}" if diagnosis else "—",
            ),
            (
                t("docx-deficits"),
                ", ".join(t(f"area-{a}") for a in diagnosis.deficits)
                if diagnosis and diagnosis.deficits
                else "—",
            ),
        ],
        columns=[t(f"docx-col-{c}") for c in ("deficit", "tasks", "forms", "due", "result", "done")],
        rows=[
            [
                t(f"area-{item.area}"),
                item.title,
                t(
                    "docx-forms",
                    kind=t(f"route-kindname-{item.kind}"),
                    form=t(f"route-form-{item.form}"),
                    hours=item.hours,
                ),
                f"{item.due_on:%d.%m.%Y}",
                t(f"docx-result-{item.kind}"),
                f"{item.done_at:%d.%m.%Y}" if item.done_at else "",
            ]
            for item in route.items
        ],
        footer=[t("docx-total", hours=sum(i.hours for i in route.items))],
    )
    data = await render_in_worker(route_docx, document)
    assert isinstance(query.message, Message)
    await query.message.answer_document(
        BufferedInputFile(data, filename=f"iom-{route.id}.docx"), caption=t("docx-caption")
    )


@edit_router.message(StateFilter(RouteEdit.due_date))
async def date_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-text-expected"))
