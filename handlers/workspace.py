"""Flow 7, «Мои педагоги»: the methodist's caseload — list, card, ИОМ approval, official ЦНППМ
diagnosis, transfer to practice, XLSX export — and /caseload, where an admin assigns teachers.

A methodist (an admin too, for their own caseload) reaches only the teachers of their caseload:
buttons carry bare ids, and every handler reads the object again through a caseload-scoped query
(``storage.caseload``), so a stale or forged button says «кнопка устарела» and changes nothing.
A teacher pressing any of these buttons gets «Нет доступа» from ``methodist.denied``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter, or_f
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.ext.asyncio import AsyncSession

from domain import diagnosis as scoring
from domain.framework import Area, Framework
from domain.profile import ProfileError, clean_text, is_manager, parse_date
from domain.region import Thresholds
from domain.roles import Role
from handlers.callbacks import MentorStaffAction, MentorStaffCb, RouteAction, RouteCb, WorkspaceCb
from handlers.charts import area_chart
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.render import edit_text, notify, profile_text, region_rules, typed_text
from handlers.render_worker import render_in_worker
from locales import Html, Translations, Translator
from storage import caseload
from storage.audit import audit
from storage.caseload import FILTERS, TeacherOverview
from storage.frameworks import Frameworks
from storage.learning import DiagnosisRepo
from storage.models import Diagnosis, Route, RouteItem, User
from storage.repositories import DirectoryRepo

log = logging.getLogger(__name__)
router = Router(name="workspace")
# /caseload must answer «Нет доступа» to a teacher too, and no router after this one sees it before
# the unknown-command fallback: so the command passes the role check here and is refused below.
router.message.filter(or_f(RoleFilter(Role.METHODIST, Role.ADMIN), Command("caseload")))
router.callback_query.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
# Typed answers (comments, official results); tried after menu buttons and commands.
answers_router = Router(name="workspace-answers")
answers_router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))

Clock = Callable[[], datetime]
PAGE = 10
COMMENT_MAX = 1000
SEARCH_MAX, SEARCH_RESULTS = 200, 20
# Per-field cuts that keep a page of lines well under Telegram's 4096 characters.
TITLE_CUT, EVIDENCE_CUT, COMMENT_CUT, NAME_CUT = 100, 100, 300, 60
NOT_ASSESSED, LEVELS = 0, (1, 2, 3, 4)


class ReturnComment(StatesGroup):
    comment = State()


class OfficialEntry(StatesGroup):
    date = State()
    levels = State()


class AssignSearch(StatesGroup):
    name = State()


# --- the teacher list -----------------------------------------------------------------------------


@router.callback_query(WorkspaceCb.filter(F.action == "list"))
async def teacher_list(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    chosen = callback_data.f or "all"
    if chosen not in FILTERS:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.clear()
    today = await _today(session, user, clock)
    teachers, total = await caseload.teachers_of(
        session, user.id, filter=chosen, page=callback_data.p, page_size=PAGE, today=today
    )
    pages = max(1, -(-total // PAGE))
    page = min(max(callback_data.p, 0), pages - 1)
    if page != callback_data.p:  # the list shrank since the button was drawn
        teachers, total = await caseload.teachers_of(
            session, user.id, filter=chosen, page=page, page_size=PAGE, today=today
        )
    await query.answer()
    assert isinstance(query.message, Message)
    text = t("ws-list", filter=t(f"ws-filter-{chosen}"), count=total, page=page + 1, pages=pages)
    if not teachers:
        text += "\n\n" + t("ws-list-empty")
    await edit_text(query.message, text, reply_markup=_list_markup(teachers, chosen, page, pages, t))


def _list_markup(
    teachers: Sequence[User], chosen: str, page: int, pages: int, t: Translator
) -> InlineKeyboardMarkup:
    filters = Keyboard()
    for name in FILTERS:
        mark = "• " if name == chosen else ""
        filters.button(text=mark + t(f"ws-filter-{name}"), callback_data=WorkspaceCb(action="list", f=name))
    filters.adjust(2)
    people = Keyboard()
    for teacher in teachers:
        people.button(
            text=_short(teacher.full_name or str(teacher.id), NAME_CUT),
            callback_data=WorkspaceCb(action="show", x=teacher.id, p=page, f=chosen),
        )
    people.adjust(1)
    filters.attach(people)
    filters.attach(_pager("list", 0, page, pages, t, f=chosen))
    tail = Keyboard()
    tail.button(text=t("ws-btn-export"), callback_data=WorkspaceCb(action="export"))
    tail.button(text=t("btn-back"), callback_data=MentorStaffCb(action=MentorStaffAction.MENU))
    tail.adjust(1)
    filters.attach(tail)
    return filters.as_markup()


def _pager(action: str, x: int, page: int, pages: int, t: Translator, f: str = "") -> Keyboard:
    nav = Keyboard()
    if page > 0:
        nav.button(text=t("btn-prev"), callback_data=WorkspaceCb(action=action, x=x, p=page - 1, f=f))
    if page < pages - 1:
        nav.button(text=t("btn-next"), callback_data=WorkspaceCb(action=action, x=x, p=page + 1, f=f))
    return nav


# --- the teacher card -----------------------------------------------------------------------------


@router.callback_query(WorkspaceCb.filter(F.action.in_({"card", "show", "ostop"})))
async def teacher_card(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    """The teacher's card.

    «card» comes from outside the workspace (the digest, a reminder, a notification) and opens the
    card as a new message, so that message stays; «show» redraws it in place while browsing;
    «ostop» is «show» that leaves an official-diagnosis entry unsaved.
    """
    teacher = await caseload.teacher_in_caseload(session, user.id, callback_data.x)
    if teacher is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _card(session, user, teacher.id, t, frameworks, clock, callback_data)
    if callback_data.action == "card":
        await query.message.answer(text, reply_markup=markup)
    else:
        await edit_text(query.message, text, reply_markup=markup)


async def _card(
    session: AsyncSession,
    user: User,
    teacher_id: int,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
    back: WorkspaceCb | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    [view] = await caseload.overview(
        session, user.id, await _today(session, user, clock), teacher_id=teacher_id
    )
    parts = [
        await profile_text(session, view.teacher, t, clock()),
        _diagnosis_section("ws-card-self", "ws-card-self-none", view.self_diagnosis, frameworks, t),
        _diagnosis_section("ws-card-official", "ws-card-official-none", view.official, frameworks, t),
        _route_section(view, t),
        _mentor_section(view, t),
    ]
    return "\n\n".join(parts), _card_markup(view, back, t)


def _diagnosis_section(
    key: str, none_key: str, diagnosis: Diagnosis | None, frameworks: Frameworks, t: Translator
) -> str:
    """Scores and deficits of one diagnosis; self and ЦНППМ results each get their own section."""
    if diagnosis is None:
        return t(none_key)
    areas = frameworks.get(diagnosis.framework_version).areas_for(diagnosis.manager)
    return t(
        key,
        date=_day(diagnosis),
        lines=Html("\n".join(_score_lines(diagnosis, areas, t))),
        deficits=_deficit_names(diagnosis, frameworks, t),
    )


def _deficit_names(diagnosis: Diagnosis, frameworks: Frameworks, t: Translator) -> str:
    """The deficits by the names of the diagnosis' own framework version, weakest first."""
    framework = frameworks.get(diagnosis.framework_version)
    names = [area.name.get(t.locale) for c in diagnosis.deficits if (area := framework.area(c))]
    return ", ".join(names) or t("diag-none")


def _score_lines(diagnosis: Diagnosis, areas: Iterable[Area], t: Translator) -> list[str]:
    lines = []
    for area in areas:
        name, value = area.name.get(t.locale), diagnosis.scores.get(area.code)
        if value is None:
            lines.append(t("diag-line-na", area=name))
        else:
            key = "diag-line-deficit" if area.code in diagnosis.deficits else "diag-line"
            lines.append(t(key, area=name, score=value))
    return lines


def _route_section(view: TeacherOverview, t: Translator) -> str:
    if view.route is None:
        return t("ws-card-route-none")
    return t(
        "ws-card-route",
        status=t(f"route-status-{view.route.status}"),
        done=view.items_done,
        total=view.items_total,
        overdue=view.items_overdue,
    )


def _mentor_section(view: TeacherOverview, t: Translator) -> str:
    if view.mentor is not None:
        return t("ws-card-mentor", name=view.mentor.full_name)
    return t("ws-card-mentor-none-young") if view.young else t("ws-card-mentor-none")


def _card_markup(view: TeacherOverview, back: WorkspaceCb | None, t: Translator) -> InlineKeyboardMarkup:
    teacher_id, route = view.teacher.id, view.route
    kb = Keyboard()
    if view.self_diagnosis is not None:
        kb.button(text=t("ws-btn-chart"), callback_data=WorkspaceCb(action="chart", x=teacher_id))
    if route is not None:
        kb.button(text=t("ws-btn-route"), callback_data=WorkspaceCb(action="route", x=route.id))
        if route.status == "submitted":
            kb.button(text=t("ws-btn-approve"), callback_data=WorkspaceCb(action="approve", x=route.id))
            kb.button(text=t("ws-btn-return"), callback_data=WorkspaceCb(action="return", x=route.id))
    kb.button(text=t("ws-btn-official"), callback_data=WorkspaceCb(action="official", x=teacher_id))
    page, chosen = (back.p, back.f) if back is not None and back.action == "show" else (0, "")
    kb.button(text=t("ws-btn-to-list"), callback_data=WorkspaceCb(action="list", p=page, f=chosen))
    kb.adjust(1)
    return kb.as_markup()


@router.callback_query(WorkspaceCb.filter(F.action == "chart"))
async def diagnosis_chart(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    teacher = await caseload.teacher_in_caseload(session, user.id, callback_data.x)
    if teacher is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    diagnoses = DiagnosisRepo(session)
    latest = await diagnoses.latest_done(teacher.id)
    if latest is None:
        await query.answer(t("ws-no-self-diagnosis"), show_alert=True)
        return
    previous = await diagnoses.latest_done(teacher.id, before_id=latest.id)
    thresholds, _ = await region_rules(session, teacher.region_code)
    areas = frameworks.get(latest.framework_version).areas_for(latest.manager)
    chart = await render_in_worker(
        area_chart,
        [a.name.get(t.locale) for a in areas],
        [latest.scores.get(a.code) for a in areas],
        previous=[previous.scores.get(a.code) for a in areas] if previous else None,
        threshold=thresholds.deficit_threshold,
        title=t("diag-chart-title"),
        previous_label=t("diag-chart-previous"),
        threshold_label=t("diag-chart-threshold"),
        not_assessed_label=t("diag-chart-na"),
    )
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer_photo(
        BufferedInputFile(chart, filename="diagnosis.png"),
        caption=t("ws-chart-caption", name=_short(teacher.full_name or "", NAME_CUT), date=_day(latest)),
    )


# --- the ИОМ: items, approval, return, transfer to practice ------------------------------------


@router.callback_query(WorkspaceCb.filter(F.action == "route"))
async def route_items(
    query: CallbackQuery, callback_data: WorkspaceCb, session: AsyncSession, user: User, t: Translator
) -> None:
    route = await caseload.route_in_caseload(session, user.id, callback_data.x)
    if route is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _route_view(session, route, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


async def _route_view(
    session: AsyncSession, route: Route, page: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    teacher = await session.get(User, route.user_id)
    items = route.items
    pages = max(1, -(-len(items) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines = []
    confirm = Keyboard()
    for number, item in enumerate(items[page * PAGE : (page + 1) * PAGE], start=page * PAGE + 1):
        lines.append(_item_line(number, item, t))
        if item.status == "done" and item.transfer_confirmed_at is None:
            confirm.button(
                text=t("ws-btn-transfer", number=number),
                callback_data=WorkspaceCb(action="transfer", x=item.id, p=page),
            )
    confirm.adjust(1)
    kb = Keyboard()
    kb.attach(confirm)
    kb.attach(_pager("route", route.id, page, pages, t))
    actions = Keyboard()
    if route.status == "submitted":
        actions.button(text=t("ws-btn-approve"), callback_data=WorkspaceCb(action="approve", x=route.id))
        actions.button(text=t("ws-btn-return"), callback_data=WorkspaceCb(action="return", x=route.id))
    actions.button(text=t("ws-btn-to-card"), callback_data=WorkspaceCb(action="show", x=route.user_id))
    actions.adjust(1)
    kb.attach(actions)
    text = t(
        "ws-route",
        name=teacher.full_name if teacher else None,
        status=t(f"route-status-{route.status}"),
        start=route.starts_on,
        end=route.ends_on,
        done=sum(1 for i in items if i.status == "done"),
        total=len(items),
        lines=Html("\n".join(lines) if lines else t("ws-route-empty")),
        page=page + 1,
        pages=pages,
    )
    if route.comment:
        text += "\n\n" + t("route-comment", comment=_short(route.comment, COMMENT_CUT))
    return text, kb.as_markup()


def _item_line(number: int, item: RouteItem, t: Translator) -> str:
    line = t(
        "ws-route-line",
        number=number,
        mark="✅" if item.status == "done" else "⬜",
        area=t(f"area-{item.area}"),
        title=_short(item.title, TITLE_CUT),
        due=item.due_on,
    )
    if item.status == "done":
        shown = item.evidence_name or item.evidence or ""
        line += "\n" + t(f"ws-evidence-{item.evidence_kind or 'text'}", evidence=_short(shown, EVIDENCE_CUT))
    if item.transfer_confirmed_at is not None:
        line += "\n" + t("ws-transferred", date=item.transfer_confirmed_at.date())
    return line


@router.callback_query(WorkspaceCb.filter(F.action == "approve"))
async def approve_route(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    route = await caseload.route_in_caseload(session, user.id, callback_data.x)
    if route is None or route.status != "submitted":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    # The comment of an earlier return no longer applies to an approved route.
    route.status, route.approved_at, route.approved_by, route.comment = "active", clock(), user.id, None
    await audit(session, user.id, "route.approve", target_type="route", target_id=route.id)
    await session.commit()
    log.info("route approved", extra={"user_id": user.id, "route_id": route.id})
    await query.answer(t("ws-approved"), show_alert=True)
    teacher = await session.get(User, route.user_id)
    if teacher is not None:
        await notify(
            bot,
            translations,
            teacher,
            "ws-notify-approved",
            _open_route(route, translations, teacher),
            name=user.full_name,
        )
    assert isinstance(query.message, Message)
    text, markup = await _card(session, user, route.user_id, t, frameworks, clock)
    await edit_text(query.message, text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == "return"))
async def ask_return_comment(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    route = await caseload.route_in_caseload(session, user.id, callback_data.x)
    if route is None or route.status != "submitted":
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(ReturnComment.comment)
    await state.set_data({"route": route.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("ws-ask-comment", max=COMMENT_MAX))


@answers_router.message(ReturnComment.comment, F.text)
async def got_return_comment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
) -> None:
    route = await caseload.route_in_caseload(session, user.id, int(await state.get_value("route", 0)))
    if route is None or route.status != "submitted":
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    comment = await typed_text(message, t, max_len=COMMENT_MAX, question=t("ws-ask-comment", max=COMMENT_MAX))
    if comment is None:
        return
    route.status, route.comment = "returned", comment
    await audit(session, user.id, "route.return", target_type="route", target_id=route.id)
    await session.commit()
    await state.clear()
    log.info("route returned", extra={"user_id": user.id, "route_id": route.id})
    await message.answer(t("ws-returned"))
    teacher = await session.get(User, route.user_id)
    if teacher is not None:
        await notify(
            bot,
            translations,
            teacher,
            "ws-notify-returned",
            _open_route(route, translations, teacher),
            name=user.full_name,
            comment=comment,
        )


@router.callback_query(WorkspaceCb.filter(F.action == "transfer"))
async def confirm_transfer(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    item = await caseload.item_in_caseload(session, user.id, callback_data.x)
    if item is None or item.status != "done" or item.transfer_confirmed_at is not None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    item.transfer_confirmed_at, item.transfer_confirmed_by = clock(), user.id
    await audit(session, user.id, "item.transfer", target_type="item", target_id=item.id)
    await session.commit()
    await query.answer(t("ws-transfer-confirmed"))
    teacher = await session.get(User, item.route.user_id)
    if teacher is not None:
        await notify(
            bot, translations, teacher, "ws-notify-transfer", None, name=user.full_name, title=item.title
        )
    route = await caseload.route_in_caseload(session, user.id, item.route_id)
    assert route is not None and isinstance(query.message, Message)
    text, markup = await _route_view(session, route, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


def _open_route(route: Route, translations: Translations, teacher: User) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=translations.get(teacher.locale)("ws-btn-open-route"),
        callback_data=RouteCb(action=RouteAction.VIEW, route_id=route.id),
    )
    return kb.as_markup()


# --- official ЦНППМ diagnosis -------------------------------------------------------------------


@router.callback_query(WorkspaceCb.filter(F.action == "official"))
async def ask_official_date(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    teacher = await caseload.teacher_in_caseload(session, user.id, callback_data.x)
    if teacher is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(OfficialEntry.date)
    await state.set_data({"teacher": teacher.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("ws-ask-official-date", name=teacher.full_name))


@answers_router.message(OfficialEntry.date, F.text)
async def got_official_date(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    teacher = await caseload.teacher_in_caseload(session, user.id, int(await state.get_value("teacher", 0)))
    if teacher is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    try:
        taken = parse_date(message.text)
        if taken > await _today(session, user, clock):
            raise ProfileError("err-date-future")
    except ProfileError as err:
        await message.answer(t(err.code) + "\n\n" + t("ws-ask-official-date", name=teacher.full_name))
        return
    await state.set_state(OfficialEntry.levels)
    await state.update_data(date=taken.isoformat(), levels={})
    framework = await _official_framework(session, teacher, frameworks)
    text, markup = _level_question(teacher, taken, framework, {}, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == "olevel"))
async def got_official_level(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    frameworks: Frameworks,
) -> None:
    data = await state.get_data()
    teacher = await caseload.teacher_in_caseload(session, user.id, callback_data.x)
    in_progress = await state.get_state() == OfficialEntry.levels.state
    if teacher is None or not in_progress or data.get("teacher") != teacher.id:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    framework = await _official_framework(session, teacher, frameworks)
    areas = framework.areas_for(is_manager(teacher.position))
    levels: dict[str, int] = dict(data.get("levels") or {})
    # Only the question being asked can be answered: an older message's buttons are stale.
    expected = next((a.code for a in areas if a.code not in levels), None)
    if callback_data.f != expected or callback_data.p not in (NOT_ASSESSED, *LEVELS):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    levels[callback_data.f] = callback_data.p
    taken = date.fromisoformat(data["date"])
    assert isinstance(query.message, Message)
    if len(levels) < len(areas):
        await state.update_data(levels=levels)
        await query.answer()
        text, markup = _level_question(teacher, taken, framework, levels, t)
        await edit_text(query.message, text, reply_markup=markup)
        return
    if all(level == NOT_ASSESSED for level in levels.values()):
        await state.update_data(levels={})  # nothing to record: ask again from the first area
        await query.answer(t("ws-official-empty"), show_alert=True)
        text, markup = _level_question(teacher, taken, framework, {}, t)
        await edit_text(query.message, text, reply_markup=markup)
        return
    diagnosis = await _official_diagnosis(session, teacher, user, taken, levels, framework.version)
    session.add(diagnosis)
    await session.flush()
    await audit(session, user.id, "diagnosis.official", target_type="diagnosis", target_id=diagnosis.id)
    await session.commit()
    await state.clear()
    log.info("official diagnosis recorded", extra={"user_id": user.id, "diagnosis_id": diagnosis.id})
    await query.answer(t("ws-official-saved-alert"))
    await edit_text(
        query.message,
        t("ws-official-saved", name=teacher.full_name)
        + "\n\n"
        + _diagnosis_section("ws-card-official", "ws-card-official-none", diagnosis, frameworks, t),
        reply_markup=_to_card(teacher.id, t),
    )
    await notify(
        bot,
        translations,
        teacher,
        "ws-notify-official",
        None,
        name=user.full_name,
        date=taken,
        deficits=_deficit_names(diagnosis, frameworks, translations.get(teacher.locale)),
    )


async def _official_framework(session: AsyncSession, teacher: User, frameworks: Frameworks) -> Framework:
    """The framework the teacher's region uses now: its areas are what an official result covers."""
    _, version = await region_rules(session, teacher.region_code)
    return frameworks.get(version)


def _level_question(
    teacher: User, taken: date, framework: Framework, levels: Mapping[str, int], t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    areas = framework.areas_for(is_manager(teacher.position))
    area = areas[len(levels)]
    kb = Keyboard()
    for level in framework.scale:
        kb.button(
            text=f"{level.value}. {level.label.get(t.locale)}",
            callback_data=WorkspaceCb(action="olevel", x=teacher.id, p=level.value, f=area.code),
        )
    kb.button(
        text=t("ws-btn-not-assessed"),
        callback_data=WorkspaceCb(action="olevel", x=teacher.id, p=NOT_ASSESSED, f=area.code),
    )
    kb.button(text=t("btn-cancel"), callback_data=WorkspaceCb(action="ostop", x=teacher.id))
    kb.adjust(1)
    text = t(
        "ws-official-area",
        name=teacher.full_name,
        date=taken,
        number=len(levels) + 1,
        total=len(areas),
        area=area.name.get(t.locale),
    )
    return text, kb.as_markup()


async def _official_diagnosis(
    session: AsyncSession,
    teacher: User,
    methodist: User,
    taken: date,
    levels: Mapping[str, int],
    version: str,
) -> Diagnosis:
    """The ЦНППМ result as a diagnosis row of its own (source «cnppm»), scored like a self-diagnosis."""
    thresholds, _ = await region_rules(session, teacher.region_code)
    scores, deficits, strengths = _official_result(levels, thresholds)
    # Noon UTC is the same calendar day in every Russian time zone.
    moment = datetime.combine(taken, time(12), tzinfo=UTC)
    return Diagnosis(
        user_id=teacher.id,
        source="cnppm",
        framework_version=version,
        status="done",
        manager=is_manager(teacher.position),
        started_at=moment,
        finished_at=moment,
        scores=scores,
        deficits=deficits,
        strengths=strengths,
        recorded_by=methodist.id,
    )


def _official_result(
    levels: Mapping[str, int], thresholds: Thresholds
) -> tuple[dict[str, int | None], list[str], list[str]]:
    """Scores, deficits (weakest first) and strengths of one level per area, as self-diagnoses score."""
    scores = {code: scoring.level_to_score(level) if level else None for code, level in levels.items()}
    deficits, strengths = scoring.classify(
        scores, deficit_below=thresholds.deficit_threshold, strength_from=thresholds.strength_threshold
    )
    return scores, list(deficits), list(strengths)


@answers_router.message(OfficialEntry.levels)
async def level_button_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-button-expected"))


def _to_card(teacher_id: int, t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("ws-btn-to-card"), callback_data=WorkspaceCb(action="show", x=teacher_id))
    return kb.as_markup()


# --- export -----------------------------------------------------------------------------------------


EXPORT_COLUMNS = (
    ("fio", 32),
    ("position", 22),
    ("school", 30),
    ("municipality", 26),
    ("subjects", 28),
    ("young", 12),
    ("self-date", 14),
    ("self-deficits", 34),
    ("official-date", 16),
    ("route-status", 22),
    ("items-done", 12),
    ("items-total", 12),
    ("overdue", 12),
    ("mentor", 28),
)


@router.callback_query(WorkspaceCb.filter(F.action == "export"))
async def export_caseload(
    query: CallbackQuery,
    session: AsyncSession,
    user: User,
    t: Translator,
    frameworks: Frameworks,
    clock: Clock,
) -> None:
    today = await _today(session, user, clock)
    views = await caseload.overview(session, user.id, today)
    if not views:
        await query.answer(t("ws-export-empty"), show_alert=True)
        return
    await query.answer()
    columns = [(t(f"ws-col-{key}"), width) for key, width in EXPORT_COLUMNS]
    rows = [_export_row(view, frameworks, t) for view in views]
    data = await render_in_worker(caseload_xlsx, columns, rows, t("ws-export-sheet"))
    assert isinstance(query.message, Message)
    await query.message.answer_document(
        BufferedInputFile(data, filename=f"caseload-{today:%Y-%m-%d}.xlsx"),
        caption=t("ws-export-caption", count=len(rows), date=today),
    )


def _export_row(view: TeacherOverview, frameworks: Frameworks, t: Translator) -> list[object]:
    """One teacher's row; None leaves a cell empty."""
    teacher, diagnosis, route = view.teacher, view.self_diagnosis, view.route
    return [
        teacher.full_name,
        t(f"position-{teacher.position}") if teacher.position else None,
        teacher.school.name if teacher.school else teacher.school_custom,
        teacher.municipality.name if teacher.municipality else teacher.municipality_custom,
        ", ".join(t(f"subject-{code}") for code in teacher.subjects) or None,
        t("yes") if view.young else t("no"),
        _day(diagnosis) if diagnosis else None,
        _deficit_names(diagnosis, frameworks, t) if diagnosis else None,
        _day(view.official) if view.official else None,
        t(f"route-status-{route.status}") if route else None,
        view.items_done,
        view.items_total,
        view.items_overdue,
        view.mentor.full_name if view.mentor else None,
    ]


def caseload_xlsx(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[object]], title: str) -> bytes:
    """A one-sheet workbook: a bold frozen header row of (name, width) columns, dates as dates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text (a school's name), never a formula
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- /caseload: the admin assigns teachers to methodists -----------------------------------------


@router.message(Command("caseload"), RoleFilter(Role.ADMIN))
async def caseload_admin(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    await state.clear()
    text, markup = await _staff_view(session, user, 0, t)
    await message.answer(text, reply_markup=markup)


@router.message(Command("caseload"))
async def caseload_denied(message: Message, t: Translator) -> None:
    await message.answer(t("no-access"))


@router.callback_query(WorkspaceCb.filter(F.action == "a_list"), RoleFilter(Role.ADMIN))
async def staff_page(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    text, markup = await _staff_view(session, user, callback_data.p, t)
    await edit_text(query.message, text, reply_markup=markup)


async def _staff_view(
    session: AsyncSession, admin: User, page: int, t: Translator
) -> tuple[str, InlineKeyboardMarkup]:
    """Methodists of the admin's region with their caseloads; ⚠️ over the region's limit (C-5)."""
    staff = await caseload.region_staff(session, admin.region_code)
    counts = await caseload.caseload_counts(session)
    thresholds, _ = await region_rules(session, admin.region_code)
    limit = thresholds.methodist_max_caseload
    pages = max(1, -(-len(staff) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines, kb = [], Keyboard()
    for person in staff[page * PAGE : (page + 1) * PAGE]:
        count = counts.get(person.id, 0)
        name = _short(person.full_name or str(person.telegram_id), NAME_CUT)
        key = "ws-staff-line-over" if count > limit else "ws-staff-line"
        lines.append(t(key, name=name, role=t(f"role-{person.role}"), count=count, limit=limit))
        kb.button(
            text=t("ws-btn-assign-to", name=name), callback_data=WorkspaceCb(action="a_pick", x=person.id)
        )
    kb.adjust(1)
    kb.attach(_pager("a_list", 0, page, pages, t))
    if not staff:
        return t("ws-staff-none"), kb.as_markup()
    text = t("ws-staff", limit=limit, lines=Html("\n".join(lines)), page=page + 1, pages=pages)
    return text, kb.as_markup()


async def _staff_member(session: AsyncSession, admin: User, user_id: int) -> User | None:
    """A methodist or admin of the admin's own region."""
    person = await session.get(User, user_id)
    if person is None or person.region_code != admin.region_code or person.role not in caseload.STAFF_ROLES:
        return None
    return person


async def _region_teacher(session: AsyncSession, admin: User, user_id: int) -> User | None:
    """A teacher of the admin's own region (staff are never put into a caseload)."""
    person = await session.get(User, user_id)
    if person is None or person.region_code != admin.region_code or person.role != Role.TEACHER:
        return None
    return person


@router.callback_query(WorkspaceCb.filter(F.action == "a_pick"), RoleFilter(Role.ADMIN))
async def ask_teacher_name(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    methodist = await _staff_member(session, user, callback_data.x)
    if methodist is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.set_state(AssignSearch.name)
    await state.set_data({"methodist": methodist.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("ws-ask-teacher-name", name=methodist.full_name))


@answers_router.message(AssignSearch.name, F.text, RoleFilter(Role.ADMIN))
async def got_teacher_name(
    message: Message, state: FSMContext, session: AsyncSession, user: User, t: Translator
) -> None:
    methodist = await _staff_member(session, user, int(await state.get_value("methodist", 0)))
    if methodist is None:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    try:
        text = clean_text(message.text, max_len=SEARCH_MAX, error_prefix="err-name")
    except ProfileError as err:
        await message.answer(t(err.code, **err.args_))
        return
    found = await caseload.find_teachers(session, user.region_code, text, limit=SEARCH_RESULTS)
    if not found:
        await message.answer(t("ws-search-nothing", query=text))
        return
    kb = Keyboard()
    lines = []
    for teacher, current in found:
        name = _short(teacher.full_name or str(teacher.id), NAME_CUT)
        holder = _short(current.full_name or "", NAME_CUT) if current else None
        lines.append(t("ws-search-line", name=name, current=holder))
        kb.button(text=name, callback_data=WorkspaceCb(action="a_set", x=teacher.id, p=methodist.id))
    kb.adjust(1)
    await message.answer(
        t("ws-search-found", name=methodist.full_name, lines=Html("\n".join(lines))),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(WorkspaceCb.filter(F.action == "a_set"), RoleFilter(Role.ADMIN))
async def assign_teacher(
    query: CallbackQuery,
    callback_data: WorkspaceCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    translations: Translations,
    clock: Clock,
) -> None:
    """Assign the teacher ``x`` to the methodist ``p`` (the page field carries the second id)."""
    teacher = await _region_teacher(session, user, callback_data.x)
    methodist = await _staff_member(session, user, callback_data.p)
    if teacher is None or methodist is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await caseload.assign(session, teacher.id, methodist.id, user.id, now=clock())
    await audit(
        session, user.id, "caseload.assign", target_type="user", target_id=teacher.id, methodist=methodist.id
    )
    await session.commit()
    await state.clear()
    log.info(
        "teacher assigned", extra={"user_id": user.id, "teacher_id": teacher.id, "methodist_id": methodist.id}
    )
    await query.answer(t("ws-assigned-alert"))
    assert isinstance(query.message, Message)
    kb = Keyboard()
    kb.button(text=t("ws-btn-staff"), callback_data=WorkspaceCb(action="a_list"))
    await edit_text(
        query.message,
        t("ws-assigned", teacher=teacher.full_name, methodist=methodist.full_name),
        reply_markup=kb.as_markup(),
    )
    open_card = Keyboard()
    open_card.button(
        text=translations.get(methodist.locale)("ws-btn-open-card"),
        callback_data=WorkspaceCb(action="card", x=teacher.id),
    )
    await notify(
        bot, translations, methodist, "ws-notify-assigned", open_card.as_markup(), name=teacher.full_name
    )


@answers_router.message(StateFilter(ReturnComment.comment, OfficialEntry.date, AssignSearch.name))
async def text_expected(message: Message, t: Translator) -> None:
    await message.answer(t("err-text-expected"))


# --- helpers ------------------------------------------------------------------------------------


async def _today(session: AsyncSession, user: User, clock: Clock) -> date:
    """Today in the user's region (dues and «not in the future» are calendar days there)."""
    settings = await DirectoryRepo(session).region_settings(user.region_code)
    return clock().astimezone(ZoneInfo(settings.timezone) if settings else UTC).date()


def _day(diagnosis: Diagnosis) -> date:
    return (diagnosis.finished_at or diagnosis.started_at).date()


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
