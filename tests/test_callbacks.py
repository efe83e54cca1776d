"""Buttons: the longest fit Telegram's 64 bytes; a button sent before its factory changed layout (under
a request, a reminder, an open question) still means what it meant; and every place that builds a
button names fields its factory has (pydantic would drop an unknown one silently: a renamed field
left behind would build a button that points at nothing)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from aiogram.filters.callback_data import CallbackData

from domain.mentorship import Form
from domain.route import ItemKind
from handlers import callbacks
from handlers.callbacks import (
    ID_MAX,
    AdminAction,
    AdminCb,
    MentorAction,
    MentorCb,
    PickAction,
    PickCb,
    PickKind,
    RouteAction,
    RouteCb,
    SiteAction,
    SiteCb,
    SubjectAction,
    SubjectCb,
    WorkspaceAction,
    WorkspaceCb,
)
from tests.conftest import App
from tests.flows import onboard

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "data",
    [
        RouteCb(
            action=RouteAction.ADD_ITEM,
            route_id=ID_MAX,
            area="communicative",
            kind=ItemKind.INTERNSHIP,
            entry_id=ID_MAX,
        ),
        RouteCb(
            action=RouteAction.ADD_ITEM, route_id=ID_MAX, area="communicative", kind=ItemKind.SELF_EDUCATION
        ),
        RouteCb(action=RouteAction.DONE, route_id=ID_MAX, item_id=ID_MAX, page=ID_MAX),
        RouteCb(action=RouteAction.SUBMIT, route_id=ID_MAX),
        SiteCb(action=SiteAction.CANCEL, site_id=ID_MAX, area="communicative", municipality_id=ID_MAX),
        SiteCb(action=SiteAction.PLACES, area="communicative", municipality_id=ID_MAX, page=ID_MAX),
        WorkspaceCb(
            action=WorkspaceAction.SHOW, teacher_id=ID_MAX, page=ID_MAX, list_filter="young_unsupported"
        ),
        WorkspaceCb(
            action=WorkspaceAction.BULK_SCHOOLS, methodist_id=ID_MAX, municipality_id=ID_MAX, page=ID_MAX
        ),
        WorkspaceCb(action=WorkspaceAction.BULK_CONFIRM, methodist_id=ID_MAX, school_id=ID_MAX),
    ],
)
def test_the_longest_buttons_fit(data: RouteCb | SiteCb | WorkspaceCb) -> None:
    packed = data.pack()
    assert len(packed.encode()) <= 64, packed
    assert type(data).unpack(packed) == data


def test_buttons_of_the_earlier_layout_still_unpack() -> None:
    assert RouteCb.unpack("rt:item:12:34:1:") == RouteCb(
        action=RouteAction.ITEM, route_id=12, item_id=34, page=1
    )
    assert RouteCb.unpack("rt:view:12:0:0:") == RouteCb(action=RouteAction.VIEW, route_id=12)
    assert SiteCb.unpack("st:card:7::0") == SiteCb(action=SiteAction.CARD, site_id=7)


@pytest.mark.parametrize(
    "data",
    [
        "rt:item:12:34:1::::",  # too many fields
        "rt:addp:1:0:0:subject:mentoring:0",  # no such kind
        "rt:nope:1:0:0::",  # no such action
        f"rt:item:{ID_MAX + 1}:0:0:",
        "st:card:x::0",
    ],
)
def test_anything_else_does_not_unpack(data: str) -> None:
    factory = RouteCb if data.startswith("rt:") else SiteCb
    with pytest.raises((TypeError, ValueError)):
        factory.unpack(data)


@pytest.mark.parametrize(
    ("old", "now"),
    [
        ("mt:accept:12:0:", MentorCb(action=MentorAction.ACCEPT, request_id=12)),
        ("mt:decline_now:12:0:", MentorCb(action=MentorAction.DECLINE_NOW, request_id=12)),
        ("mt:cancel:12:0:", MentorCb(action=MentorAction.CANCEL, request_id=12)),
        ("mt:pair:7:0:", MentorCb(action=MentorAction.PAIR, pair_id=7)),
        ("mt:log:7:0:", MentorCb(action=MentorAction.LOG, pair_id=7)),
        ("mt:ask:5:0:young", MentorCb(action=MentorAction.ASK, mentor_id=5, form=Form.YOUNG)),
        ("mt:list:0:0:peer.digital", MentorCb(action=MentorAction.LIST, form=Form.PEER, area="digital")),
        ("mt:home:0:0:", MentorCb(action=MentorAction.HOME)),
        ("pk:m:item:12", PickCb(kind=PickKind.MUNICIPALITY, action=PickAction.ITEM, item_id=12)),
        ("pk:s:page:2", PickCb(kind=PickKind.SCHOOL, action=PickAction.PAGE, page=2)),
        ("pk:m:none:0", PickCb(kind=PickKind.MUNICIPALITY, action=PickAction.NONE)),
        ("sub:math", SubjectCb(action=SubjectAction.TICK, subject="math")),
        ("sub:done", SubjectCb(action=SubjectAction.DONE)),
        ("ws:card:5:0:", WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=5)),
        (
            "ws:show:5:2:young",
            WorkspaceCb(action=WorkspaceAction.SHOW, teacher_id=5, page=2, list_filter="young"),
        ),
        ("ws:approve:9:0:", WorkspaceCb(action=WorkspaceAction.APPROVE, route_id=9)),
        ("ws:transfer:4:1:", WorkspaceCb(action=WorkspaceAction.TRANSFER, item_id=4, page=1)),
        (
            "ws:olevel:5:3:digital",
            WorkspaceCb(action=WorkspaceAction.OFFICIAL_LEVEL, teacher_id=5, level=3, area="digital"),
        ),
        ("ws:a_set:5:7:", WorkspaceCb(action=WorkspaceAction.ASSIGN_SET, teacher_id=5, methodist_id=7)),
        ("ws:a_pick:7:0:", WorkspaceCb(action=WorkspaceAction.ASSIGN_PICK, methodist_id=7)),
        ("ws:route:9:2:", WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=9, page=2)),
        # The named layout before a municipality's or a school's teachers could be assigned at once.
        (
            "ws:a_set:5:0::0:0:7:0:",
            WorkspaceCb(action=WorkspaceAction.ASSIGN_SET, teacher_id=5, methodist_id=7),
        ),
        (
            "ws:olevel:5:0::0:0:0:3:digital",
            WorkspaceCb(action=WorkspaceAction.OFFICIAL_LEVEL, teacher_id=5, level=3, area="digital"),
        ),
        (
            "rt:addp:5:17:0:course.subject",
            RouteCb(
                action=RouteAction.ADD_ITEM, route_id=5, entry_id=17, kind=ItemKind.COURSE, area="subject"
            ),
        ),
        ("rt:done:5:17:1:", RouteCb(action=RouteAction.DONE, route_id=5, item_id=17, page=1)),
        ("st:list:2:subject:4", SiteCb(action=SiteAction.LIST, page=2, area="subject", municipality_id=4)),
        (
            "st:apply:8:subject:4",
            SiteCb(action=SiteAction.APPLY, site_id=8, area="subject", municipality_id=4),
        ),
        ("adm:revoke:5", AdminCb(action=AdminAction.REVOKE, invite_id=5)),
        ("adm:demote:6", AdminCb(action=AdminAction.DEMOTE, person_id=6)),
        ("adm:ind_log:2", AdminCb(action=AdminAction.AUDIT_LOG, page=2)),
        ("adm:import_kind:1", AdminCb(action=AdminAction.IMPORT_KIND, kind_index=1)),
        ("adm:menu:0", AdminCb(action=AdminAction.MENU)),
    ],
)
def test_buttons_sent_before_the_upgrade_mean_what_they_meant(old: str, now: CallbackData) -> None:
    assert type(now).unpack(old) == now
    assert type(now).unpack(now.pack()) == now


@pytest.mark.parametrize(
    "data",
    [
        "mt:m_pair:5:0:",
        f"mt:accept:{ID_MAX + 1}:0:",
        "mt:accept:x:0:",
        "pk:m:item:-1",
        "pk:q:item:1",
        "ws:nope:1:0:",
        "ws:card:-1:0:",
        f"ws:olevel:5:{ID_MAX + 1}:digital",
        "adm:ev_new:0",
        f"adm:revoke:{ID_MAX + 1}",
    ],
)
def test_old_layouts_are_checked_like_new_ones(data: str) -> None:
    factory = {"mt": MentorCb, "pk": PickCb, "ws": WorkspaceCb, "adm": AdminCb}[data.split(":")[0]]
    with pytest.raises((TypeError, ValueError)):
        factory.unpack(data)


async def test_a_mentor_accepts_a_request_from_a_button_sent_before_the_upgrade(app: App) -> None:
    mentor = app.chat(3001)
    await onboard(mentor, name="Сидорова Анна Павловна", birth="01.01.1980", work_start="2005")
    await mentor.press("👤 Профиль")
    await mentor.press("Готов быть наставником")
    await mentor.press("Только Telegram")
    mentee = app.chat(1001)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Попросить: Сидорова")
    request = mentor.last_bot_message()
    accept = next(b["callback_data"] for b in request.buttons if "Принять" in b["text"])
    request_id = MentorCb.unpack(accept).request_id
    await mentor.press_data(f"mt:accept:{request_id}:0:", request.message_id)
    mentor.expect("Вы приняли запрос")
    assert "Наставник найден" in mentee.last_bot_message().plain_text


def _factories() -> dict[str, set[str]]:
    return {
        name: set(obj.model_fields)
        for name, obj in vars(callbacks).items()
        if isinstance(obj, type) and issubclass(obj, CallbackData) and obj is not CallbackData
    }


def test_every_button_built_names_fields_its_factory_has() -> None:
    factories = _factories()
    wrong = []
    for folder in ("handlers", "services", "bot", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                fields = factories.get(node.func.id)
                if fields is None:
                    continue
                unknown = {k.arg for k in node.keywords if k.arg is not None} - fields
                if unknown:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id} {sorted(unknown)}")
    assert wrong == []
