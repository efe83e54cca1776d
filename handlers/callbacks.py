"""Callback data factories. Prefixes are short: ``callback_data`` is limited to 64 bytes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from domain.audience import AudienceToggle
from domain.mentorship import Form
from domain.profile import Position, Qualification
from domain.roles import Role, StaffTitle
from domain.route import ItemKind

# Callback data is untrusted input: a person can send any bytes back as a button. Every number in
# a factory is one of these: a row id, and every id column is a 32-bit integer on PostgreSQL. A
# value no button of ours carries (negative, or past 2^31 - 1, which the database driver would refuse
# with an error) fails to unpack: the filter does not match, and the fallback answers «Эта кнопка
# устарела». Choices are checked where they are used (``F.action == …`` filters): an unknown one
# matches no handler and meets the same fallback.
ID_MAX = 2**31 - 1
Id = Annotated[int, Field(ge=0, le=ID_MAX)]


class ConsentAction(StrEnum):
    YES = "yes"
    NO = "no"
    LANGUAGE = "lang"  # the other language, before answering


class ConsentCb(CallbackData, prefix="c"):
    action: ConsentAction


class PositionCb(CallbackData, prefix="pos"):
    code: Position


class StaffTitleCb(CallbackData, prefix="sft"):
    code: StaffTitle


class AlsoTeacherCb(CallbackData, prefix="alt"):
    """«Я тоже педагог» (True) or not, in a staff profile."""

    also: bool


class RegionCb(CallbackData, prefix="reg"):
    code: str  # a region's code


class PickKind(StrEnum):
    MUNICIPALITY = "m"
    SCHOOL = "s"


class PickAction(StrEnum):
    ITEM = "item"  # the entry ``item_id``
    PAGE = "page"  # turn to ``page``
    NONE = "none"  # «Нет в списке»
    NOOP = "noop"  # the page indicator


class PickCb(CallbackData, prefix="pk"):
    """A directory picker: the municipality or the school."""

    kind: PickKind
    action: PickAction
    item_id: Id = 0
    page: Id = 0

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        if len(parts) == 4:  # pk:<kind>:<action>:<item or page>, the question open at an upgrade
            _, kind, action, number = parts
            item, page = (number, "0") if action == PickAction.ITEM else ("0", number)
            value = cls.__separator__.join((cls.__prefix__, kind, action, item, page))
        return super().unpack(value)


class SubjectAction(StrEnum):
    TICK = "tick"  # tick or untick ``subject``
    DONE = "done"


class SubjectCb(CallbackData, prefix="sub"):
    action: SubjectAction
    subject: str = ""  # a subject's code

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        if len(parts) == 2:  # sub:<subject code or "done">, the question open at an upgrade
            done = parts[1] == SubjectAction.DONE
            value = cls(action=SubjectAction.TICK, subject=parts[1]).pack() if not done else f"{value}:"
        return super().unpack(value)


class QualificationCb(CallbackData, prefix="q"):
    code: Qualification


class ProfileAction(StrEnum):
    """A button under the profile card: edit a field (``domain.profile.EDITS``), switch the
    language, or the notification settings."""

    FULL_NAME = "full_name"
    POSITION = "position"
    WORKPLACE = "workplace"
    SUBJECTS = "subjects"
    BIRTH_DATE = "birth_date"
    WORK_START = "work_start"
    QUALIFICATION = "qualification"
    STAFF_TITLE = "staff_title"
    ORGANISATION = "organisation"
    ALSO_TEACHER = "also_teacher"
    LANGUAGE = "language"
    NOTIFICATIONS = "notifications"
    LINK = "link"  # a code to link the person's account on the other messenger


class ProfileCb(CallbackData, prefix="pf"):
    action: ProfileAction


class ForgetCb(CallbackData, prefix="fg"):
    confirm: bool


class AdminAction(StrEnum):
    MENU = "menu"
    INVITE_METHODIST = "invite_methodist"
    INVITE_ADMIN = "invite_admin"
    INVITES = "invites"
    REVOKE = "revoke"  # asks to confirm revoking the invitation ``invite_id``
    REVOKE_YES = "revoke_yes"  # revokes it
    STAFF = "staff"
    DEMOTE = "demote"  # asks to confirm taking the role away from the staff member ``person_id``
    DEMOTE_YES = "demote_yes"  # takes their role ``staff_role`` away
    BROADCAST = "broadcast"
    EVENTS = "events"
    IMPORT = "import"
    IMPORT_KIND = "import_kind"  # the catalogue kind ``kind_index`` (of ``services.catalogues.KINDS``)
    INDICATORS = "indicators"
    INDICATORS_MUNICIPALITIES = "ind_mun"
    INDICATORS_XLSX = "ind_xlsx"
    AUDIT_LOG = "ind_log"  # the log's ``page``


class IndicatorsAction(StrEnum):
    SHOW = "show"  # the unit (``level``, ``unit_id``) for the period starting in ``year``
    UNITS = "units"  # the municipalities of the region / the schools of the municipality ``unit_id``
    XLSX = "xlsx"  # the report of the admin's scope for the period ``year``


class IndicatorsLevel(StrEnum):
    REGION = "r"
    MUNICIPALITY = "m"
    SCHOOL = "s"


class IndicatorsCb(CallbackData, prefix="ind"):
    """The indicator report: a unit, a period (the year it starts in; 0 = the current one)."""

    action: IndicatorsAction
    level: IndicatorsLevel = IndicatorsLevel.REGION
    unit_id: Id = 0
    year: Id = 0  # checked against the periods by the service (a forged one is stale)
    page: Id = 0


class AdminCb(CallbackData, prefix="adm"):
    """/admin: its menu, invitations, staff, catalogue import, indicators and the audit log."""

    action: AdminAction
    invite_id: Id = 0
    person_id: Id = 0
    kind_index: Id = 0
    page: Id = 0
    staff_role: Role | None = None  # the role a confirmation takes away: stale once it changed

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        if len(parts) == 3:  # adm:<action>:<value>, the layout of buttons sent before the upgrade
            action, number = parts[1], parts[2]
            field = {
                AdminAction.REVOKE: "invite_id",
                AdminAction.DEMOTE: "person_id",
                AdminAction.IMPORT_KIND: "kind_index",
                AdminAction.AUDIT_LOG: "page",
            }.get(AdminAction(action))  # ValueError if unknown
            return cls.model_validate({"action": action, **({field: number} if field else {})})
        return super().unpack(value)


class DiagAction(StrEnum):
    START = "start"
    RESUME = "resume"
    ANSWER = "ans"
    BACK = "back"
    PAUSE = "pause"
    RESULT = "result"
    OFFICIAL = "official"  # the person's ЦНППМ results


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
    REMOVE = "rm"  # asks to confirm removing ``item_id``
    REMOVE_YES = "rmy"  # removes it
    DATE = "date"
    DONE = "done"
    ADD = "add"  # choose an area
    ADD_AREA = "adda"  # choose what to add in ``area``
    ADD_ITEM = "addp"  # add ``kind`` (a catalogue ``entry_id``, or a generic item) in ``area``
    SUBMIT = "submit"
    DOCX = "docx"
    REDRAFT = "redraft"  # the draft drafted again from a ЦНППМ diagnosis it does not rest on


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
        parts = value.split(cls.__separator__)
        if len(parts) == 6:  # rt:<action>:<r>:<x>:<p>:<a>, the layout of buttons sent before the upgrade
            value = cls._from_old(*parts[1:]).pack()
        return super().unpack(value)

    @classmethod
    def _from_old(cls, action: str, r: str, x: str, p: str, a: str) -> RouteCb:
        """An «open item» under a reminder already delivered, and the route screens open at an
        upgrade: ``x`` was the item, or the catalogue entry to add whose ``a`` was "kind.area"."""
        fields: dict[str, object] = {"action": RouteAction(action), "route_id": r, "page": p}
        if action == RouteAction.ADD_ITEM:
            kind, _, area = a.partition(".")
            fields.update(entry_id=x, kind=kind, area=area)
        else:
            fields.update(item_id=x, area=a)
        return cls.model_validate(fields)


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
        parts = value.split(cls.__separator__)
        if len(parts) == 5:  # st:<action>:<x>:<a>:<m>, where x was the site, or the list's page
            action, x, area, municipality = parts[1:]
            number = "site_id" if action != SiteAction.LIST else "page"
            return cls.model_validate(
                {"action": SiteAction(action), number: x, "area": area, "municipality_id": municipality}
            )
        return super().unpack(value)


class ApplicationAction(StrEnum):
    ACCEPT = "accept"  # the methodist (or, with none, an admin) answers an application
    DECLINE = "decline"
    COMPLETE = "complete"  # an accepted internship is marked completed
    SEEN = "seen"  # the teacher has read the answer: it leaves «Входящие»


class ApplicationCb(CallbackData, prefix="ap"):
    """An internship application, answered from «Входящие»."""

    action: ApplicationAction
    application_id: Id


class InboxAction(StrEnum):
    SHOW = "show"  # «Входящие» as a new message (from a notification)
    REFRESH = "refresh"  # in place


class InboxCb(CallbackData, prefix="ib"):
    action: InboxAction


class MentorAction(StrEnum):
    HOME = "home"
    PEER = "peer"  # choose the area of a peer pair
    LIST = "list"  # candidates of a form (and area)
    ASK = "ask"
    CANCEL = "cancel"  # the mentee takes a request back
    ACCEPT = "accept"
    DECLINE = "decline"  # asks for a message first
    DECLINE_NOW = "decline_now"
    PAIR = "pair"
    LOG = "log"  # a meeting
    CLOSE = "close"  # asks to confirm: the outcome typed closes the pair, or «Отмена»
    CLOSE_CANCEL = "close_no"  # «Отмена»: the pair's card again
    NOTE_SKIP = "note_skip"
    OPT_IN = "optin"
    OPT_OUT = "optout"
    CONTACT_SKIP = "contact_skip"


class MentorCb(CallbackData, prefix="mt"):
    """Наставничество, the teacher's side: a request (``request_id``), a pair (``pair_id``), or a
    mentor to ask (``mentor_id``) for a form of mentorship (and the competence of a peer pair)."""

    action: MentorAction
    request_id: Id = 0
    pair_id: Id = 0
    mentor_id: Id = 0
    form: Form | None = None
    area: str = ""

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        if len(parts) == 5:  # mt:<action>:<x>:<y>:<a>, the layout of buttons sent before the upgrade
            value = _mentor_from_old(cls, *parts[1:])
        return super().unpack(value)


def _mentor_from_old(cls: type[MentorCb], action: str, x: str, _y: str, a: str) -> str:
    """A teacher's mentorship button in the old layout, where ``x`` was a request, a pair or a
    mentor by action and ``a`` the form or "peer.<area>" (a mentor's «Принять» under a request
    must keep working). The methodists' old ``m_*`` buttons, now their own factory, stay stale."""
    sep = cls.__separator__
    form, _, area = a.partition(".")
    ids = {"request": "0", "pair": "0", "mentor": "0"}
    if action in {MentorAction.ACCEPT, MentorAction.DECLINE, MentorAction.DECLINE_NOW, MentorAction.CANCEL}:
        ids["request"] = x
    elif action in {MentorAction.PAIR, MentorAction.LOG, MentorAction.CLOSE}:
        ids["pair"] = x
    elif action == MentorAction.ASK:
        ids["mentor"] = x
    return sep.join((cls.__prefix__, action, ids["request"], ids["pair"], ids["mentor"], form, area))


class MentorStaffAction(StrEnum):
    MENU = "menu"
    YOUNG = "young"  # young teachers without a mentor, by page
    TEACHER = "teacher"  # candidates for one of them
    ASSIGN = "assign"
    PAIRS = "pairs"
    PAIR = "pair"
    CLOSE = "close"  # asks to confirm: the outcome typed closes the pair, or «Отмена»
    CLOSE_CANCEL = "close_no"  # «Отмена»: the pair's card again
    NOMINEES = "nominees"
    NOMINATE = "nominate"


class MentorStaffCb(CallbackData, prefix="mm"):
    """«Кабинет методиста», mentorship: a teacher (the mentee, or the one nominated), the mentor
    assigned, the pair shown, closed or replaced (``pair_id``), a page of the list."""

    action: MentorStaffAction
    teacher_id: Id = 0
    mentor_id: Id = 0
    pair_id: Id = 0
    page: Id = 0


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
    # A level 1..4 per area, as official results were entered before they took ЦНППМ's own result
    # and deficit: such a button is answered as stale.
    OFFICIAL_LEVEL = "olevel"
    OFFICIAL_SKIP = "oskip"  # the area asked of an official result: «Не оценивалось»
    OFFICIAL_DEFICIT = "odef"  # whether ЦНППМ found a deficit in the area asked (``level``: 1 yes, 0 no)
    EXPORT = "export"
    STAFF = "a_list"  # /caseload: the region's methodists (admins)
    ASSIGN_PICK = "a_pick"
    ASSIGN_SET = "a_set"
    ASSIGN_FOR = "a_for"  # a teacher without a methodist (from «Входящие»): the methodists to pick
    # Assigning a whole municipality or school: its municipalities (to assign one, or to pick a school
    # in one), the schools of a municipality, the preview of what moves, and its confirmation.
    BULK_MUNICIPALITIES = "a_muns"
    BULK_SCHOOL_PLACES = "a_smun"
    BULK_SCHOOLS = "a_schs"
    BULK_PREVIEW = "a_prev"
    BULK_CONFIRM = "a_conf"


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
    level: Id = 0  # OFFICIAL_DEFICIT: 1 a deficit, 0 none
    area: str = ""  # the area of an official result the button answers
    municipality_id: Id = 0  # a municipality whose teachers (or whose schools) an admin assigns
    school_id: Id = 0  # a school whose teachers an admin assigns

    @classmethod
    def unpack(cls, value: str) -> Self:
        parts = value.split(cls.__separator__)
        if len(parts) == 5:  # ws:<action>:<x>:<p>:<f>, the layout of buttons sent before the upgrade
            value = cls._from_old(*parts[1:]).pack()
        elif len(parts) == 10:  # the named layout before municipality_id and school_id were added
            value = cls.__separator__.join((*parts, "0", "0"))
        return super().unpack(value)

    @classmethod
    def _from_old(cls, action: str, x: str, p: str, f: str) -> WorkspaceCb:
        """A button in the old layout, where ``x`` was a teacher, a route or an item and ``p`` a
        page, a methodist or a level by action: the card under a digest or a notification, and the
        screens open at an upgrade, keep working. Values are checked when the result is unpacked."""
        fields: dict[str, object] = {"action": WorkspaceAction(action)}  # ValueError if unknown
        if action in {WorkspaceAction.APPROVE, WorkspaceAction.RETURN}:
            fields["route_id"] = x
        elif action == WorkspaceAction.ROUTE:
            fields.update(route_id=x, page=p)
        elif action == WorkspaceAction.ASSIGN_PICK:
            fields["methodist_id"] = x
        elif action == WorkspaceAction.TRANSFER:
            fields.update(item_id=x, page=p)
        elif action == WorkspaceAction.OFFICIAL_LEVEL:
            fields.update(teacher_id=x, level=p, area=f)
        elif action == WorkspaceAction.ASSIGN_SET:
            fields.update(teacher_id=x, methodist_id=p)
        else:
            fields.update(teacher_id=x, page=p, list_filter=f)
        return cls.model_validate(fields)


class DigestAction(StrEnum):
    SHOW = "show"  # the whole digest, sent anew
    PAGE = "page"  # a page of one section (``choice``: the section), edited in place
    BACK = "back"  # from a section's page back to the overview
    SETTINGS = "settings"
    TIME = "time"  # a preset time (``choice``: "0830", callback data cannot carry the ":")
    OTHER_TIME = "other"  # asks for a typed time
    QUIET = "quiet"  # what a quiet day brings (``choice``: "short" or "none")


class DigestCb(CallbackData, prefix="dj"):
    """The methodist's daily digest: pages of its sections, and its settings.

    The fields keep the order of the packed data buttons already sent carry
    (``dj:page:<page>:<section>``)."""

    action: DigestAction
    page: Id = 0
    choice: str = ""  # the section of a page, the preset time, or the quiet-day mode


class OutboxAction(StrEnum):
    SNOOZE = "snooze"


class OutboxCb(CallbackData, prefix="ob"):
    """Buttons under a reminder («Напомнить завтра» / «через неделю»)."""

    action: OutboxAction
    outbox_id: Id = 0
    days: Id = 0


class NotifyCb(CallbackData, prefix="nt"):
    """«Профиль → Уведомления»: switch a group of reminders on or off."""

    group: str  # one of ``domain.reminders.GROUPS``


class EventRsvpCb(CallbackData, prefix="rv"):
    """«Пойду» / «Не смогу» under an event announcement."""

    event_id: Id
    going: bool


class BroadcastAction(StrEnum):
    NEW = "new"
    LIST = "list"
    NO_BUTTON = "nobutton"
    TOGGLE = "aud"  # switch the filter ``toggle``
    MUNICIPALITIES = "mun"  # the municipality picker
    MUNICIPALITY = "mset"  # limit to ``municipality_id`` (0: any)
    SUBJECTS = "subj"  # the subject picker
    SUBJECT = "sset"  # limit to ``subject`` ("": any)
    PREVIEW = "preview"
    SEND = "send"
    SCHEDULE = "schedule"
    CANCEL = "cancel"  # the wizard
    STOP = "stop"  # the broadcast ``broadcast_id``


class BroadcastCb(CallbackData, prefix="bc"):
    """The admin's «Рассылка»: the wizard's steps, the list and «Отменить №…»."""

    action: BroadcastAction
    broadcast_id: Id = 0
    municipality_id: Id = 0
    toggle: AudienceToggle | None = None
    subject: str = ""


class EventAction(StrEnum):
    LIST = "list"
    CARD = "card"
    MINE = "mine"
    PAST = "past"  # staff: events to mark attendance for
    ATTENDANCE = "att"  # staff: who said «Пойду» to an event
    MARK = "mark"  # staff: toggle whether a person came


class EventCb(CallbackData, prefix="evt"):
    """«Мероприятия»: teachers' list, card and «Мои мероприятия»; staff's attendance."""

    action: EventAction
    event_id: Id = 0
    person_id: Id = 0  # whose attendance is marked
    page: Id = 0


class EventAdminAction(StrEnum):
    LIST = "list"
    CARD = "card"
    NEW = "new"
    CANCEL = "cancel"
    KIND = "kind"
    DURATION = "dur"
    NO_LIMIT = "seats"
    NO_DESCRIPTION = "nodesc"
    AREA = "area"
    AREAS_DONE = "areas_done"
    SAVE = "save"
    ANNOUNCE = "announce"
    ANNOUNCE_ALL = "ann_all"
    ANNOUNCE_SUBJECTS = "ann_subj"


class EventAdminCb(CallbackData, prefix="eva"):
    """The admin's events: the list and a card, the creation wizard, announcing. The admin menu's
    entry button is ``AdminCb(action="events")``."""

    action: EventAdminAction
    event_id: Id = 0
    page: Id = 0
    index: Id = 0  # the chosen kind's or area's position in the offered list
    minutes: Id = 0  # the chosen duration


class RecordAction(StrEnum):
    ADD = "add"  # a new record of the teacher (or of the school): its kind is asked
    PICK = "pick"  # a button's answer: the kind, the level, the result or role
    STOP = "stop"  # leave the record unsaved: back to the card
    SCHOOLS = "schools"  # /schools: the schools of ``municipality_id``
    SCHOOL = "school"  # a school's card with its records


class RecordCb(CallbackData, prefix="rec"):
    """A teacher's record (contest, presented опыт, tutor/expert/jury role) a methodist enters from the
    card, or a school's (contest, опыт) staff enter from /schools: the step answered
    (``domain.record_entry.Step``) and the value chosen. A school's buttons have ``teacher_id`` 0."""

    action: RecordAction
    teacher_id: Id = 0
    school_id: Id = 0
    municipality_id: Id = 0
    step: str = ""
    value: str = ""


class AccountAction(StrEnum):
    """«Профиль»'s linked account (``services.accounts``)."""

    UNLINK = "unlink"  # asks to confirm ending the link ``link_id``
    UNLINK_YES = "unlink_yes"  # ends it
    CANCEL = "cancel"  # keeps it


class AccountCb(CallbackData, prefix="ac"):
    action: AccountAction
    link_id: Id = 0  # linked_accounts.id: a button about one link, stale once it is gone
