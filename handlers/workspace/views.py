"""What several workspace screens show: the teacher card, a route's items, diagnosis sections,
pagers, and the cuts that keep a page of lines under Telegram's 4096 characters."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from aiogram.types import InlineKeyboardMarkup

from domain.framework import Area
from domain.route import ItemStatus, RouteStatus
from handlers.basis import basis_line
from handlers.callbacks import RecordAction, RecordCb, WorkspaceAction, WorkspaceCb
from handlers.keyboards import Keyboard
from handlers.render import profile_card
from locales import Html, Translator
from services import workspace as service
from services.profile import ProfileCard
from services.regions import DEFAULT_CNPPM, Bodies
from storage.frameworks import Frameworks
from storage.models import Diagnosis, ProfessionalRecord, RouteItem

# Per-field cuts that keep a page of lines well under Telegram's 4096 characters.
TITLE_CUT, EVIDENCE_CUT, COMMENT_CUT, NAME_CUT = 100, 100, 300, 60


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day(diagnosis: Diagnosis) -> date:
    return (diagnosis.finished_at or diagnosis.started_at).date()


def pager(page: int, pages: int, t: Translator, button: Callable[[int], WorkspaceCb]) -> Keyboard:
    """‹ Назад / Далее › around ``page``; ``button`` makes the callback data of a page."""
    nav = Keyboard()
    if page > 0:
        nav.button(text=t("btn-prev"), callback_data=button(page - 1))
    if page < pages - 1:
        nav.button(text=t("btn-next"), callback_data=button(page + 1))
    return nav


def to_card(teacher_id: int, t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=t("ws-btn-to-card"),
        callback_data=WorkspaceCb(action=WorkspaceAction.SHOW, teacher_id=teacher_id),
    )
    return kb.as_markup()


# --- diagnoses -----------------------------------------------------------------------------------


def diagnosis_section(
    key: str,
    none_key: str,
    diagnosis: Diagnosis | None,
    frameworks: Frameworks,
    t: Translator,
    **names: str,
) -> str:
    """Scores and deficits of one diagnosis; self and ЦНППМ results each get their own section
    (``names``: the region's body names the strings show, ``Bodies.fluent``)."""
    if diagnosis is None:
        return t(none_key, **names)
    areas = frameworks.get(diagnosis.framework_version).areas_for(diagnosis.manager)
    return t(
        key,
        date=day(diagnosis),
        instrument=diagnosis.instrument or "—",
        lines=Html("\n".join(_score_lines(diagnosis, areas, t))),
        deficits=deficit_names(diagnosis, frameworks, t),
        **names,
    )


def official_section(
    diagnosis: Diagnosis | None, frameworks: Frameworks, t: Translator, cnppm: str = DEFAULT_CNPPM
) -> str:
    """The official result, under the name of the region's ЦНППМ (``RegionRules.bodies``)."""
    return diagnosis_section(
        "ws-card-official", "ws-card-official-none", diagnosis, frameworks, t, cnppm=cnppm
    )


def deficit_names(diagnosis: Diagnosis, frameworks: Frameworks, t: Translator) -> str:
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


# --- the teacher card ----------------------------------------------------------------------------


def card(
    shown: service.Card, frameworks: Frameworks, t: Translator, back: WorkspaceCb | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The card's text and buttons; ``back`` is the list button that opened it (its page and filter)."""
    view = shown.view
    parts = [
        teacher_profile(view, t, shown.now.date(), shown.records, shown.bodies),
        diagnosis_section("ws-card-self", "ws-card-self-none", view.self_diagnosis, frameworks, t),
        official_section(view.official, frameworks, t, shown.bodies.cnppm),
        _route_section(view, t) + ("\n" + basis_line(shown.basis, t) if view.route is not None else ""),
        _mentor_section(view, t),
    ]
    return "\n\n".join(parts), _card_markup(view, back, t, shown.bodies.cnppm)


def teacher_profile(
    view: service.TeacherOverview,
    t: Translator,
    today: date,
    records: Sequence[ProfessionalRecord] = (),
    bodies: Bodies | None = None,
) -> str:
    """The teacher's profile card (``handlers.render``): the one place the workspace shows it, with
    their municipality's methodical service and their records (contests, опыт, roles)."""
    place = view.teacher.municipality
    service_name = place.methodical_service if place is not None else None
    return profile_card(
        ProfileCard(
            view.teacher,
            today,
            view.young,
            mentor=None,
            methodical_service=service_name,
            records=records,
            bodies=bodies or Bodies(),
        ),
        t,
    )


def _route_section(view: service.TeacherOverview, t: Translator) -> str:
    if view.route is None:
        return t("ws-card-route-none")
    return t(
        "ws-card-route",
        status=t(f"route-status-{view.route.status}"),
        done=view.items_done,
        total=view.items_total,
        overdue=view.items_overdue,
    )


def _mentor_section(view: service.TeacherOverview, t: Translator) -> str:
    if view.mentor is not None:
        return t("ws-card-mentor", name=view.mentor.full_name)
    return t("ws-card-mentor-none-young") if view.young else t("ws-card-mentor-none")


def _approval_buttons(kb: Keyboard, route_id: int, t: Translator) -> None:
    kb.button(
        text=t("ws-btn-approve"), callback_data=WorkspaceCb(action=WorkspaceAction.APPROVE, route_id=route_id)
    )
    kb.button(
        text=t("ws-btn-return"), callback_data=WorkspaceCb(action=WorkspaceAction.RETURN, route_id=route_id)
    )


def _card_markup(
    view: service.TeacherOverview, back: WorkspaceCb | None, t: Translator, cnppm: str
) -> InlineKeyboardMarkup:
    teacher_id, route = view.teacher.id, view.route
    kb = Keyboard()
    if view.self_diagnosis is not None:
        kb.button(
            text=t("ws-btn-chart"),
            callback_data=WorkspaceCb(action=WorkspaceAction.CHART, teacher_id=teacher_id),
        )
    if route is not None:
        kb.button(
            text=t("ws-btn-route"), callback_data=WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=route.id)
        )
        if route.status == RouteStatus.SUBMITTED:
            _approval_buttons(kb, route.id, t)
    kb.button(
        text=t("ws-btn-official", cnppm=cnppm),
        callback_data=WorkspaceCb(action=WorkspaceAction.OFFICIAL, teacher_id=teacher_id),
    )
    kb.button(text=t("rec-btn-add"), callback_data=RecordCb(action=RecordAction.ADD, teacher_id=teacher_id))
    page, chosen = 0, ""
    if back is not None and back.action == WorkspaceAction.SHOW:
        page, chosen = back.page, back.list_filter
    kb.button(
        text=t("ws-btn-to-list"),
        callback_data=WorkspaceCb(action=WorkspaceAction.LIST, page=page, list_filter=chosen),
    )
    kb.adjust(1)
    return kb.as_markup()


# --- a route's items -----------------------------------------------------------------------------


def route(view: service.RouteView, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the route's items, with «перенос в практику» for done items not yet confirmed."""
    route, page = view.route, view.page
    lines = []
    confirm = Keyboard()
    for number, item in enumerate(view.items, start=view.first_number):
        lines.append(_item_line(number, item, t))
        if item.status == ItemStatus.DONE and item.transfer_confirmed_at is None:
            confirm.button(
                text=t("ws-btn-transfer", number=number),
                callback_data=WorkspaceCb(action=WorkspaceAction.TRANSFER, item_id=item.id, page=page),
            )
    confirm.adjust(1)
    kb = Keyboard()
    kb.attach(confirm)
    kb.attach(
        pager(
            page,
            view.pages,
            t,
            lambda p: WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=route.id, page=p),
        )
    )
    actions = Keyboard()
    if view.awaits_approval:
        _approval_buttons(actions, route.id, t)
    actions.button(
        text=t("ws-btn-to-card"),
        callback_data=WorkspaceCb(action=WorkspaceAction.SHOW, teacher_id=route.user_id),
    )
    actions.adjust(1)
    kb.attach(actions)
    text = t(
        "ws-route",
        name=view.teacher.full_name if view.teacher else None,
        status=t(f"route-status-{route.status}"),
        start=route.starts_on,
        end=route.ends_on,
        done=view.done,
        total=view.total,
        lines=Html("\n".join(lines) if lines else t("ws-route-empty")),
        page=page + 1,
        pages=view.pages,
    )
    if route.comment:
        text += "\n\n" + t("route-comment", comment=short(route.comment, COMMENT_CUT))
    return text, kb.as_markup()


def _item_line(number: int, item: RouteItem, t: Translator) -> str:
    done = item.status == ItemStatus.DONE
    line = t(
        "ws-route-line",
        number=number,
        mark="✅" if done else "⬜",
        area=t(f"area-{item.area}"),
        title=short(item.title, TITLE_CUT),
        due=item.due_on,
    )
    if done:
        shown = item.evidence_name or item.evidence or ""
        line += "\n" + t(f"ws-evidence-{item.evidence_kind or 'text'}", evidence=short(shown, EVIDENCE_CUT))
    if item.transfer_confirmed_at is not None:
        line += "\n" + t("ws-transferred", date=item.transfer_confirmed_at.date())
    return line
