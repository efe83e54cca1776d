"""Callback data factories. Prefixes are short: ``callback_data`` is limited to 64 bytes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Callback data is untrusted input: a person can send any bytes back as a button. Every number in
# a factory is one of these: a row id, and every id column is a 32-bit integer on PostgreSQL. A
# value no button of ours carries (negative, or past 2^31 - 1, which the database driver would refuse
# with an error) fails to unpack: the filter does not match, and the fallback answers «Эта кнопка
# устарела». Choices are checked where they are used (``F.action == …`` filters): an unknown one
# matches no handler and meets the same fallback.
ID_MAX = 2**31 - 1
Id = Annotated[int, Field(ge=0, le=ID_MAX)]


class ConsentCb(CallbackData, prefix="c"):
    action: str  # yes | no | lang


class PositionCb(CallbackData, prefix="pos"):
    code: str


class RegionCb(CallbackData, prefix="reg"):
    code: str


class PickCb(CallbackData, prefix="pk"):
    """A directory picker: municipality (``m``) or school (``s``)."""

    kind: str
    action: str  # item | page | none | noop (the page number)
    value: Id = 0


class SubjectCb(CallbackData, prefix="sub"):
    code: str  # a subject code, or "done"


class QualificationCb(CallbackData, prefix="q"):
    code: str


class ProfileCb(CallbackData, prefix="pf"):
    field: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class AdminCb(CallbackData, prefix="adm"):
    action: str
    value: Id = 0


class DiagAction(StrEnum):
    START = "start"
    RESUME = "resume"
    ANSWER = "ans"
    BACK = "back"
    PAUSE = "pause"
    RESULT = "result"


class DiagCb(CallbackData, prefix="dg"):
    """Self-diagnosis. ``position`` is the statement a button answers (stale once it moved on)."""

    action: DiagAction
    diagnosis_id: Id = 0
    position: Id = 0
    value: Id = 0  # level 1..4, 0 = «Не применимо»


class RouteCb(CallbackData, prefix="rt"):
    """ИОМ: draft | view | item | rm | date | done | add | addp | submit | docx | rediag."""

    action: str
    r: Id = 0  # route id
    x: Id = 0  # item id, catalogue id or page
    p: Id = 0  # page
    a: str = ""  # area code, or "kind.area" when adding


class SiteCb(CallbackData, prefix="st"):
    """Стажировки: list | area | card | apply | mine | cancel."""

    action: str
    x: Id = 0  # site id or page
    a: str = ""  # area filter
    m: Id = 0  # municipality filter


class MentorCb(CallbackData, prefix="mt"):
    """Наставничество. Teacher actions, and ``m_*`` actions for methodists."""

    action: str
    x: Id = 0  # a user, request or pair id, or a page
    y: Id = 0  # a second id (the mentor when a methodist assigns)
    a: str = ""  # form, or "peer.<area>"


class WorkspaceAction(StrEnum):
    LIST = "list"  # the caseload, a page of it under a filter
    CARD = "card"  # a teacher's card as a new message (from the digest, a reminder, a notification)
    SHOW = "show"  # the card in place, while browsing the list
    OFFICIAL_STOP = "ostop"  # the card in place, leaving an official-diagnosis entry unsaved
    CHART = "chart"
    ROUTE = "route"
    APPROVE = "approve"
    RETURN = "return"
    TRANSFER = "transfer"
    OFFICIAL = "official"
    OFFICIAL_LEVEL = "olevel"
    EXPORT = "export"
    STAFF = "a_list"  # /caseload: the region's methodists (admins)
    ASSIGN_PICK = "a_pick"
    ASSIGN_SET = "a_set"


class WorkspaceCb(CallbackData, prefix="ws"):
    """The methodist's workspace: teacher list, card, approvals, official diagnosis, export, and the
    admin's /caseload. ``teacher_id`` comes first, so a card button reads ``ws:card:<teacher id>:…``."""

    action: WorkspaceAction
    teacher_id: Id = 0
    page: Id = 0
    list_filter: str = ""  # a caseload filter (``storage.caseload.FILTERS``); "" is «all»
    route_id: Id = 0
    item_id: Id = 0
    methodist_id: Id = 0  # the methodist an admin assigns a teacher to
    level: Id = 0  # an official result's level 1..4, 0 = «Не оценивалось»
    area: str = ""  # the area an official level is given for


class DigestCb(CallbackData, prefix="dj"):
    """The methodist's daily digest: pages of its sections."""

    action: str
    p: Id = 0
    s: str = ""  # section


class OutboxCb(CallbackData, prefix="ob"):
    """Buttons under a reminder («Напомнить завтра» / «через неделю»)."""

    action: str
    x: Id = 0  # outbox row id
    d: Id = 0  # days


class NotifyCb(CallbackData, prefix="nt"):
    """«Профиль → Уведомления»: switch a group of reminders on or off."""

    group: str


class EventRsvpCb(CallbackData, prefix="rv"):
    """«Пойду» / «Не смогу» under an event announcement."""

    event_id: Id
    going: bool


class BroadcastCb(CallbackData, prefix="bc"):
    """new | list | nobutton | aud (toggle ``s``) | mun | mset | subj | sset | preview | send |
    schedule | cancel | stop (a broadcast ``x``)."""

    action: str
    x: Id = 0
    s: str = ""


class EventCb(CallbackData, prefix="evt"):
    """Teachers: list | card | mine. Staff: past | att (attendance list) | mark (toggle)."""

    action: str
    x: Id = 0  # event id
    y: Id = 0  # a person (attendance)
    p: Id = 0  # page
