"""Callback data factories. Prefixes are short: ``callback_data`` is limited to 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


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
    value: int = 0


class SubjectCb(CallbackData, prefix="sub"):
    code: str  # a subject code, or "done"


class QualificationCb(CallbackData, prefix="q"):
    code: str


class ProfileCb(CallbackData, prefix="pf"):
    field: str


class MenuCb(CallbackData, prefix="mn"):
    action: str


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class AdminCb(CallbackData, prefix="adm"):
    action: str
    value: int = 0


class DiagCb(CallbackData, prefix="dg"):
    """Self-diagnosis: start | resume | restart | ans | back | pause | result."""

    action: str
    d: int = 0  # diagnosis id
    i: int = 0  # statement index
    v: int = 0  # level 1..4, 0 = «Не применимо»


class RouteCb(CallbackData, prefix="rt"):
    """ИОМ: draft | view | item | rm | date | done | add | addp | submit | docx | rediag."""

    action: str
    r: int = 0  # route id
    x: int = 0  # item id, catalogue id or page
    p: int = 0  # page
    a: str = ""  # area code, or "kind.area" when adding


class SiteCb(CallbackData, prefix="st"):
    """Стажировки: list | area | card | apply | mine | cancel."""

    action: str
    x: int = 0  # site id or page
    a: str = ""  # area filter
    m: int = 0  # municipality filter


class MentorCb(CallbackData, prefix="mt"):
    """Наставничество. Teacher actions, and ``m_*`` actions for methodists."""

    action: str
    x: int = 0  # a user, request or pair id, or a page
    y: int = 0  # a second id (the mentor when a methodist assigns)
    a: str = ""  # form, or "peer.<area>"


class WorkspaceCb(CallbackData, prefix="ws"):
    """The methodist's workspace: teacher list, card, approvals, official diagnosis, export."""

    action: str
    x: int = 0  # a teacher, route, item or diagnosis id
    p: int = 0  # page
    f: str = ""  # list filter


class DigestCb(CallbackData, prefix="dj"):
    """The methodist's daily digest: pages of its sections."""

    action: str
    p: int = 0
    s: str = ""  # section


class OutboxCb(CallbackData, prefix="ob"):
    """Buttons under a reminder («Напомнить завтра» / «через неделю»)."""

    action: str
    x: int = 0  # outbox row id
    d: int = 0  # days


class NotifyCb(CallbackData, prefix="nt"):
    """«Профиль → Уведомления»: switch a group of reminders on or off."""

    group: str


class EventRsvpCb(CallbackData, prefix="rv"):
    """«Пойду» / «Не смогу» under an event announcement."""

    event_id: int
    going: bool
