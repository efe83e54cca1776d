"""Callback data factories. Prefixes are short: ``callback_data`` is limited to 64 bytes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from domain.route import ItemKind

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


class RouteAction(StrEnum):
    DRAFT = "draft"
    VIEW = "view"
    ITEM = "item"
    REMOVE = "rm"
    DATE = "date"
    DONE = "done"
    ADD = "add"  # choose an area
    ADD_AREA = "adda"  # choose what to add in ``area``
    ADD_ITEM = "addp"  # add ``kind`` (a catalogue ``entry_id``, or a generic item) in ``area``
    SUBMIT = "submit"
    DOCX = "docx"


class RouteCb(CallbackData, prefix="rt"):
    """ИОМ. ``page`` is the route's page to come back to. The longest, adding an internship to
    a route, packs to 58 bytes with every id at its maximum."""

    action: RouteAction
    route_id: Id = 0
    item_id: Id = 0
    page: Id = 0
    area: str = ""  # an area code
    kind: ItemKind | None = None  # what to add
    entry_id: Id = 0  # the catalogue entry (programme, site, event) to add

    @classmethod
    def unpack(cls, value: str) -> Self:
        return super().unpack(_with_defaults(cls, value))


class SiteAction(StrEnum):
    LIST = "list"
    AREAS = "areas"  # choose the area filter
    PLACES = "places"  # choose the municipality filter
    CARD = "card"
    APPLY = "apply"
    CANCEL = "cancel"
    MINE = "mine"


class SiteCb(CallbackData, prefix="st"):
    """Стажировки. ``area`` and ``municipality_id`` are the list's filters, kept while a card is open."""

    action: SiteAction
    site_id: Id = 0
    area: str = ""
    municipality_id: Id = 0
    page: Id = 0

    @classmethod
    def unpack(cls, value: str) -> Self:
        return super().unpack(_with_defaults(cls, value))


def _with_defaults(cls: type[CallbackData], value: str) -> str:
    """Callback data from before a factory gained its trailing fields — buttons stay in chats for
    weeks, under reminders too — with the missing fields at their defaults. Anything else as is."""
    parts = value.split(cls.__separator__)
    missing = list(cls.model_fields.values())[len(parts) - 1 :]
    if not missing or any(field.is_required() for field in missing):
        return value
    defaults = ("" if field.default is None else str(field.default) for field in missing)
    return cls.__separator__.join([*parts, *defaults])


class MentorCb(CallbackData, prefix="mt"):
    """Наставничество. Teacher actions, and ``m_*`` actions for methodists."""

    action: str
    x: Id = 0  # a user, request or pair id, or a page
    y: Id = 0  # a second id (the mentor when a methodist assigns)
    a: str = ""  # form, or "peer.<area>"


class WorkspaceCb(CallbackData, prefix="ws"):
    """The methodist's workspace: teacher list, card, approvals, official diagnosis, export."""

    action: str
    x: Id = 0  # a teacher, route, item or diagnosis id
    p: Id = 0  # page
    f: str = ""  # list filter


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
