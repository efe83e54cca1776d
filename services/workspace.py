"""Flow 7, «Мои педагоги»: the methodist's caseload — list, card, ИОМ approval and return, official
ЦНППМ diagnosis, transfer to practice, export — and /caseload, where an admin assigns teachers.

A methodist (an admin too, for their own caseload) reaches only the teachers of their caseload:
every function reads the object again through a caseload-scoped query (``storage.caseload``), so
a stale or forged id is ``Stale`` and changes nothing. An admin reaches only the methodists and
teachers of their own region; anyone else asking for the admin's functions is ``Denied``.

The municipal layer (``domain.roles.municipal_scope``): municipal staff — a municipal methodist,
a specialist of the ММС — see and act on their municipality only. Their caseload reaches only its
teachers (``storage.caseload.reachable``); a municipal admin's /caseload lists, searches and assigns
only its staff, teachers, and schools; and a teacher of another municipality is never put into a
municipal methodist's caseload, whoever assigns. Anything outside is ``Stale``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain import diagnosis as scoring
from domain.framework import Area, Framework
from domain.paging import clamp, page_count, page_of
from domain.profile import ProfileError, clean_text, is_manager, parse_date
from domain.roles import Role, municipal_scope
from domain.route import ItemStatus, RouteStatus
from services.regions import Bodies, RegionRules, region_rules
from services.reminders import (
    Button,
    ByLocale,
    OpenCaseload,
    OpenRoute,
    OpenTeacherCard,
    hand_off,
    plan_route_approval,
)
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage import caseload
from storage.audit import audit
from storage.caseload import FILTERS, TeacherOverview
from storage.cnppm_import import store_official
from storage.frameworks import Frameworks
from storage.learning import DiagnosisRepo, RouteRepo
from storage.models import Diagnosis, Municipality, ProfessionalRecord, Route, RouteItem, School, User
from storage.records import RecordRepo

log = logging.getLogger(__name__)

PAGE = 10
COMMENT_MAX = 1000
SEARCH_MAX, SEARCH_RESULTS = 200, 20
ALL = "all"  # the filter of the whole caseload
INSTRUMENT_MAX = 200  # Diagnosis.instrument


# --- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TeacherPage:
    """One page of the caseload under ``list_filter``; ``page`` is within ``pages``."""

    teachers: list[User]
    total: int
    page: int
    pages: int
    list_filter: str


@dataclass(frozen=True, slots=True)
class Card:
    """A teacher of the caseload at a glance: profile, diagnoses, ИОМ (``basis``: the diagnosis
    it was drafted from), mentor."""

    view: TeacherOverview
    now: datetime
    basis: Diagnosis | None = None
    # The names of the region's bodies the card shows (the speaker's region).
    bodies: Bodies = field(default_factory=Bodies)
    # The teacher's contests, presented опыт and roles (002's indicators 3–6), newest first.
    records: Sequence[ProfessionalRecord] = ()


@dataclass(frozen=True, slots=True)
class Chart:
    """The teacher's latest self-diagnosis, the one before it, and their region's deficit threshold."""

    teacher: User
    latest: Diagnosis
    previous: Diagnosis | None
    areas: Sequence[Area]
    threshold: int


@dataclass(frozen=True, slots=True)
class NoSelfDiagnosis:
    """The teacher has not finished a self-diagnosis: there is nothing to chart."""


@dataclass(frozen=True, slots=True)
class RouteView:
    """A page of a route's items, numbered from ``first_number``."""

    route: Route
    teacher: User | None
    items: list[RouteItem]
    first_number: int
    page: int
    pages: int
    done: int
    total: int

    @property
    def awaits_approval(self) -> bool:
        return self.route.status == RouteStatus.SUBMITTED


@dataclass(frozen=True, slots=True)
class Approved:
    route: Route
    teacher: User | None
    card: Card


@dataclass(frozen=True, slots=True)
class ReturnAsked:
    """The route may be returned: the comment is asked for."""

    route_id: int


@dataclass(frozen=True, slots=True)
class Returned:
    route: Route
    teacher: User | None
    comment: str


@dataclass(frozen=True, slots=True)
class Transferred:
    item: RouteItem
    teacher: User | None
    route: RouteView


@dataclass(frozen=True, slots=True)
class OfficialAsked:
    """An official result may be entered for the teacher: the date is asked for."""

    teacher: User


@dataclass(frozen=True, slots=True)
class OfficialInstrumentAsked:
    """The date given: the instrument ЦНППМ used is asked for."""

    teacher: User
    taken: date


@dataclass(frozen=True, slots=True)
class OfficialArea:
    """One area of an official result as ЦНППМ recorded it."""

    result: int  # 0..100
    deficit: bool


@dataclass(frozen=True, slots=True)
class OfficialQuestion:
    """The result of the next area of an official result (``given``: the areas answered so far,
    None for «Не оценивалось»)."""

    teacher: User
    taken: date
    instrument: str
    framework: Framework
    given: Mapping[str, OfficialArea | None] = field(default_factory=dict)

    @property
    def areas(self) -> list[Area]:
        return list(self.framework.areas_for(is_manager(self.teacher.position)))

    @property
    def area(self) -> Area:
        """The area asked about."""
        return self.areas[len(self.given)]


@dataclass(frozen=True, slots=True)
class DeficitAsked:
    """The area's result typed: did ЦНППМ find a deficit there?"""

    question: OfficialQuestion
    result: int


@dataclass(frozen=True, slots=True)
class NothingAssessed:
    """Every area was «Не оценивалось»: nothing is recorded, and the first area is asked again."""

    question: OfficialQuestion


@dataclass(frozen=True, slots=True)
class OfficialRecorded:
    teacher: User
    diagnosis: Diagnosis
    taken: date


@dataclass(frozen=True, slots=True)
class Export:
    """The whole caseload, a row per teacher (empty when there is nobody)."""

    views: list[TeacherOverview]
    today: date


@dataclass(frozen=True, slots=True)
class StaffPage:
    """A page of the admin's region's methodists and admins with the size of their caseloads."""

    rows: list[tuple[User, int]]
    limit: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class MethodistPicked:
    methodist: User


@dataclass(frozen=True, slots=True)
class Found:
    """Teachers of the region matching ``query``, each with their current methodist."""

    methodist: User
    query: str
    matches: list[tuple[User, User | None]]


@dataclass(frozen=True, slots=True)
class Assigned:
    teacher: User
    methodist: User


@dataclass(frozen=True, slots=True)
class ForTeacher:
    """A teacher of the region and a page of the methodists they can be given to."""

    teacher: User
    staff: StaffPage


# --- the caseload ------------------------------------------------------------------------------------


def today(uow: UnitOfWork, rules: RegionRules) -> date:
    """Today in the speaker's region (dues and «not in the future» are calendar days there)."""
    return uow.now().astimezone(ZoneInfo(rules.timezone)).date()


async def teacher_list(
    uow: UnitOfWork, methodist: User, rules: RegionRules, list_filter: str, page: int
) -> TeacherPage | Stale:
    """A page of the caseload; a page past the last (the list shrank, or a forged one) is the last."""
    chosen = list_filter or ALL
    if chosen not in FILTERS:
        return STALE
    day = today(uow, rules)
    teachers, total = await caseload.teachers_of(
        uow.session, methodist.id, filter=chosen, page=page, page_size=PAGE, today=day
    )
    pages = page_count(total, PAGE)
    shown = clamp(page, pages)
    if shown != page:
        teachers, total = await caseload.teachers_of(
            uow.session, methodist.id, filter=chosen, page=shown, page_size=PAGE, today=day
        )
    return TeacherPage(teachers, total, shown, pages, chosen)


async def card(uow: UnitOfWork, methodist: User, rules: RegionRules, teacher_id: int) -> Card | Stale:
    """The card of a teacher of the caseload."""
    views = await caseload.overview(uow.session, methodist.id, today(uow, rules), teacher_id=teacher_id)
    if not views:
        return STALE
    view = views[0]
    basis = None
    if view.route is not None and view.route.diagnosis_id is not None:
        basis = await DiagnosisRepo(uow.session).get_own(view.route.diagnosis_id, view.teacher.id)
    records = await RecordRepo(uow.session).of_user(teacher_id)
    return Card(view, uow.now(), basis, rules.bodies, records)


async def chart(
    uow: UnitOfWork, methodist: User, teacher_id: int, frameworks: Frameworks
) -> Chart | NoSelfDiagnosis | Stale:
    teacher = await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)
    if teacher is None:
        return STALE
    diagnoses = DiagnosisRepo(uow.session)
    latest = await diagnoses.latest_done(teacher.id)
    if latest is None:
        return NoSelfDiagnosis()
    previous = await diagnoses.latest_done(teacher.id, before_id=latest.id)
    teacher_rules = await region_rules(uow, teacher.region_code)
    areas = frameworks.get(latest.framework_version).areas_for(latest.manager)
    return Chart(teacher, latest, previous, areas, teacher_rules.thresholds.deficit_threshold)


async def export(uow: UnitOfWork, methodist: User, rules: RegionRules) -> Export:
    day = today(uow, rules)
    return Export(await caseload.overview(uow.session, methodist.id, day), day)


# --- the ИОМ: items, approval, return, transfer to practice ----------------------------------------


async def route(uow: UnitOfWork, methodist: User, route_id: int, page: int) -> RouteView | Stale:
    """A page of the items of a caseload teacher's route."""
    found = await caseload.route_in_caseload(uow.session, methodist.id, route_id)
    if found is None:
        return STALE
    return await _route_view(uow, found, page)


async def _route_view(uow: UnitOfWork, route: Route, page: int) -> RouteView:
    items = route.items
    shown, page, pages = page_of(items, page, PAGE)
    return RouteView(
        route=route,
        teacher=await caseload.owner(uow.session, route),
        items=shown,
        first_number=page * PAGE + 1,
        page=page,
        pages=pages,
        done=sum(1 for i in items if i.status == ItemStatus.DONE),
        total=len(items),
    )


async def _submitted(uow: UnitOfWork, methodist: User, route_id: int) -> Route | None:
    """A caseload teacher's route awaiting approval."""
    found = await caseload.route_in_caseload(uow.session, methodist.id, route_id)
    return found if found is not None and found.status == RouteStatus.SUBMITTED else None


async def approve(uow: UnitOfWork, methodist: User, rules: RegionRules, route_id: int) -> Approved | Stale:
    submitted = await _submitted(uow, methodist, route_id)
    if submitted is None:
        return STALE
    await RouteRepo(uow.session).approve(submitted, methodist.id, uow.now())
    await audit(uow.session, methodist.id, "route.approve", target_type="route", target_id=submitted.id)
    teacher = await caseload.owner(uow.session, submitted)
    if teacher is not None:
        await hand_off(
            uow,
            teacher.id,
            "ws-notify-approved",
            {"name": methodist.full_name or "—"},
            (Button("ws-btn-open-route", OpenRoute(submitted.id)),),
            sender=methodist,
            ref=("route", submitted.id),
        )
    await uow.commit()
    log.info("route approved", extra={"user_id": methodist.id, "route_id": submitted.id})
    shown = await card(uow, methodist, rules, submitted.user_id)
    assert isinstance(shown, Card)  # the route is of the caseload: so is its teacher
    return Approved(submitted, teacher, shown)


async def ask_return(uow: UnitOfWork, methodist: User, route_id: int) -> ReturnAsked | Stale:
    submitted = await _submitted(uow, methodist, route_id)
    return STALE if submitted is None else ReturnAsked(submitted.id)


async def return_route(
    uow: UnitOfWork, methodist: User, route_id: int, text: str | None
) -> Returned | Invalid | Stale:
    """Return a submitted route for changes with the methodist's comment (``COMMENT_MAX``)."""
    submitted = await _submitted(uow, methodist, route_id)
    if submitted is None:
        return STALE
    try:
        comment = clean_text(text, max_len=COMMENT_MAX, error_prefix="err-name")
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    await RouteRepo(uow.session).return_for_changes(submitted, comment)
    await audit(uow.session, methodist.id, "route.return", target_type="route", target_id=submitted.id)
    teacher = await caseload.owner(uow.session, submitted)
    if teacher is not None:
        await hand_off(
            uow,
            teacher.id,
            "ws-notify-returned",
            {"name": methodist.full_name or "—", "comment": comment},
            (Button("ws-btn-open-route", OpenRoute(submitted.id)),),
            sender=methodist,
            ref=("route", submitted.id),
        )
    await uow.commit()
    log.info("route returned", extra={"user_id": methodist.id, "route_id": submitted.id})
    return Returned(submitted, teacher, comment)


async def confirm_transfer(uow: UnitOfWork, methodist: User, item_id: int, page: int) -> Transferred | Stale:
    """Confirm that a done item went into practice (once); the route's page comes back."""
    item = await caseload.item_in_caseload(uow.session, methodist.id, item_id)
    if item is None or item.status != ItemStatus.DONE or item.transfer_confirmed_at is not None:
        return STALE
    await RouteRepo(uow.session).confirm_transfer(item, methodist.id, uow.now())
    await audit(uow.session, methodist.id, "item.transfer", target_type="item", target_id=item.id)
    found = await caseload.route_in_caseload(uow.session, methodist.id, item.route_id)
    assert found is not None  # the item is of the caseload
    teacher = await caseload.owner(uow.session, found)
    if teacher is not None:
        await hand_off(
            uow,
            teacher.id,
            "ws-notify-transfer",
            {"name": methodist.full_name or "—", "title": item.title},
            sender=methodist,
            ref=("item", item.id),
        )
    await uow.commit()
    view = await _route_view(uow, found, page)
    return Transferred(item, view.teacher, view)


# --- official ЦНППМ diagnosis ------------------------------------------------------------------------
#
# The methodist records what ЦНППМ recorded: the date, the instrument, then per area of the teacher's
# framework a result 0–100 (or «Не оценивалось») and whether ЦНППМ found a deficit there. Nothing is
# re-derived with the bot's threshold. The same shape as the import (``storage.cnppm_import``); an
# entry of a date and instrument already recorded completes that diagnosis rather than repeat it.


async def ask_official(uow: UnitOfWork, methodist: User, teacher_id: int) -> OfficialAsked | Stale:
    teacher = await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)
    return STALE if teacher is None else OfficialAsked(teacher)


async def _official_framework(uow: UnitOfWork, teacher: User, frameworks: Frameworks) -> Framework:
    """The framework the teacher's region uses now: its areas are what an official result covers."""
    return frameworks.get((await region_rules(uow, teacher.region_code)).framework)


async def official_date(
    uow: UnitOfWork,
    methodist: User,
    rules: RegionRules,
    *,
    teacher_id: int,
    text: str | None,
) -> OfficialInstrumentAsked | Invalid | Stale:
    """The date the official diagnosis was taken (not in the future): the instrument is asked next."""
    teacher = await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)
    if teacher is None:
        return STALE
    try:
        taken = parse_date(text)
        if taken > today(uow, rules):
            raise ProfileError("err-date-future")
    except ProfileError as err:
        return Invalid(err.code)
    return OfficialInstrumentAsked(teacher, taken)


async def official_instrument(
    uow: UnitOfWork,
    methodist: User,
    frameworks: Frameworks,
    *,
    teacher_id: int,
    taken: date,
    text: str | None,
) -> OfficialQuestion | Invalid | Stale:
    """The instrument ЦНППМ used (its name as ЦНППМ gives it): the first area's question."""
    teacher = await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)
    if teacher is None:
        return STALE
    try:
        instrument = clean_text(text, max_len=INSTRUMENT_MAX, error_prefix="ws-err-instrument")
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    return OfficialQuestion(teacher, taken, instrument, await _official_framework(uow, teacher, frameworks))


async def official_question(
    uow: UnitOfWork,
    methodist: User,
    frameworks: Frameworks,
    *,
    teacher_id: int,
    taken: date,
    instrument: str,
    given: Mapping[str, OfficialArea | None],
) -> OfficialQuestion | Stale:
    """The area being asked of an official result under way (``given`` so far), to ask it again;
    ``Stale`` when the teacher is no longer in the caseload."""
    teacher = await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)
    if teacher is None:
        return STALE
    framework = await _official_framework(uow, teacher, frameworks)
    asked = OfficialQuestion(teacher, taken, instrument, framework, dict(given))
    return asked if len(asked.given) < len(asked.areas) else STALE


async def official_result(
    uow: UnitOfWork,
    methodist: User,
    frameworks: Frameworks,
    *,
    teacher_id: int,
    taken: date,
    instrument: str,
    given: Mapping[str, OfficialArea | None],
    text: str | None,
) -> DeficitAsked | Invalid | Stale:
    """The result typed for the area being asked (0–100): whether ЦНППМ found a deficit is next."""
    asked = await official_question(
        uow, methodist, frameworks, teacher_id=teacher_id, taken=taken, instrument=instrument, given=given
    )
    if isinstance(asked, Stale):
        return asked
    value = scoring.parse_result(text)
    if value is None:
        return Invalid("ws-err-official-result", {"min": scoring.RESULT_MIN, "max": scoring.RESULT_MAX})
    return DeficitAsked(asked, value)


async def official_area(
    uow: UnitOfWork,
    methodist: User,
    frameworks: Frameworks,
    *,
    teacher_id: int,
    taken: date,
    instrument: str,
    given: Mapping[str, OfficialArea | None],
    area: str,
    answer: OfficialArea | None,
) -> OfficialQuestion | NothingAssessed | OfficialRecorded | Stale:
    """The area being asked answered — its result and deficit as ЦНППМ recorded them, or None for
    «Не оценивалось»: the next area's question, or after the last the result recorded (unless no
    area was assessed at all)."""
    asked = await official_question(
        uow, methodist, frameworks, teacher_id=teacher_id, taken=taken, instrument=instrument, given=given
    )
    # Only the question being asked can be answered: an older message's buttons are stale.
    if isinstance(asked, Stale) or area != asked.area.code:
        return STALE
    if answer is not None and not scoring.RESULT_MIN <= answer.result <= scoring.RESULT_MAX:
        return STALE
    teacher, framework = asked.teacher, asked.framework
    now_given = {**given, area: answer}
    if len(now_given) < len(asked.areas):
        return OfficialQuestion(teacher, taken, instrument, framework, now_given)
    results = {code: (a.result, a.deficit) for code, a in now_given.items() if a is not None}
    if not results:
        return NothingAssessed(OfficialQuestion(teacher, taken, instrument, framework))
    diagnosis, _ = await store_official(
        uow.session,
        teacher,
        taken_on=taken,
        instrument=instrument,
        framework_version=framework.version,
        results=results,
        recorded_by=methodist.id,
    )
    await audit(
        uow.session, methodist.id, "diagnosis.official", target_type="diagnosis", target_id=diagnosis.id
    )
    names = [found for code in diagnosis.deficits if (found := framework.area(code))]
    await hand_off(
        uow,
        teacher.id,
        "ws-notify-official",
        {
            "name": methodist.full_name or "—",
            "date": taken,
            "instrument": instrument,
            "deficits": ByLocale(
                ", ".join(a.name.get("ru") for a in names),
                ", ".join(a.name.get("en") for a in names),
                "diag-none",
            ),
        },
        sender=methodist,
        ref=("diagnosis", diagnosis.id),
    )
    await uow.commit()
    log.info("official diagnosis recorded", extra={"user_id": methodist.id, "diagnosis_id": diagnosis.id})
    return OfficialRecorded(teacher, diagnosis, taken)


# --- /caseload: the admin assigns teachers to methodists -----------------------------------------


def _scope(person: User, role: str | None = None) -> int | None:
    """The one municipality ``person`` (as ``role``, their stored role by default) works in, or
    None for the whole region (``domain.roles.municipal_scope``)."""
    return municipal_scope(role or person.role, person.staff_title, person.municipality_id)


def _within(scope: int | None, municipality_id: int | None) -> bool:
    return scope is None or municipality_id == scope


async def _staff_member(uow: UnitOfWork, admin: User, role: Role, methodist_id: int) -> User | None:
    """A methodist or admin of the admin's region (of their municipality, for a municipal admin)."""
    methodist = await caseload.staff_member(uow.session, admin.region_code, methodist_id)
    if methodist is None or not _within(_scope(admin, role), methodist.municipality_id):
        return None
    return methodist


def _may_hold(methodist: User, municipality_id: int | None) -> bool:
    """A municipal methodist accompanies only teachers of their own municipality."""
    return _within(_scope(methodist), municipality_id)


async def staff(
    uow: UnitOfWork, admin: User, role: Role, rules: RegionRules, page: int
) -> StaffPage | Denied:
    """Methodists and admins of the admin's region with their caseloads, and the region's limit (C-5)."""
    if role != Role.ADMIN:
        return DENIED
    people = await caseload.region_staff(uow.session, admin.region_code, _scope(admin, role))
    counts = await caseload.caseload_counts(uow.session)
    shown, page, pages = page_of(people, page, PAGE)
    rows = [(person, counts.get(person.id, 0)) for person in shown]
    return StaffPage(rows, rules.caseload_target, page, pages)


async def methodists_for(
    uow: UnitOfWork, admin: User, role: Role, rules: RegionRules, teacher_id: int, page: int
) -> ForTeacher | Stale | Denied:
    """The region's methodists to give one teacher of the region to (from «Входящие», where a teacher
    without a methodist waits)."""
    staff_page = await staff(uow, admin, role, rules, page)
    if isinstance(staff_page, Denied):
        return staff_page
    teacher = await caseload.region_teacher(uow.session, admin.region_code, teacher_id)
    return STALE if teacher is None else ForTeacher(teacher, staff_page)


async def pick_methodist(
    uow: UnitOfWork, admin: User, role: Role, methodist_id: int
) -> MethodistPicked | Stale | Denied:
    """A methodist (or admin) of the admin's region to assign teachers to."""
    if role != Role.ADMIN:
        return DENIED
    methodist = await _staff_member(uow, admin, role, methodist_id)
    return STALE if methodist is None else MethodistPicked(methodist)


async def find_teachers(
    uow: UnitOfWork, admin: User, role: Role, methodist_id: int, text: str | None
) -> Found | Invalid | Stale | Denied:
    """Teachers of the admin's region whose name contains every word typed (``SEARCH_RESULTS``)."""
    if role != Role.ADMIN:
        return DENIED
    methodist = await _staff_member(uow, admin, role, methodist_id)
    if methodist is None:
        return STALE
    try:
        query = clean_text(text, max_len=SEARCH_MAX, error_prefix="err-name")
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    # A municipal admin finds their municipality's teachers; for a municipal methodist, only theirs.
    scope = _scope(admin, role) or _scope(methodist)
    matches = await caseload.find_teachers(
        uow.session, admin.region_code, query, limit=SEARCH_RESULTS, municipality_id=scope
    )
    return Found(methodist, query, matches)


async def assign(
    uow: UnitOfWork, admin: User, role: Role, teacher_id: int, methodist_id: int
) -> Assigned | Stale | Denied:
    """Put a teacher of the admin's region into a caseload of the region; rules leave it alone then."""
    if role != Role.ADMIN:
        return DENIED
    teacher = await caseload.region_teacher(uow.session, admin.region_code, teacher_id)
    methodist = await _staff_member(uow, admin, role, methodist_id)
    if teacher is None or methodist is None:
        return STALE
    if not _within(_scope(admin, role), teacher.municipality_id) or not _may_hold(
        methodist, teacher.municipality_id
    ):
        return STALE
    await caseload.assign(uow.session, teacher.id, methodist.id, admin.id, now=uow.now())
    await audit(
        uow.session,
        admin.id,
        "caseload.assign",
        target_type="user",
        target_id=teacher.id,
        methodist=methodist.id,
    )
    await hand_off(
        uow,
        methodist.id,
        "ws-notify-assigned",
        {"name": teacher.full_name or "—"},
        (Button("ws-btn-open-card", OpenTeacherCard(teacher.id)),),
        sender=admin,
        ref=("user", teacher.id),
    )
    await hand_off(
        uow,
        teacher.id,
        "ws-notify-teacher-assigned",
        {"name": methodist.full_name or "—"},
        sender=admin,
        ref=("user", methodist.id),
    )
    # An ИОМ that waited while the teacher had no methodist is now the new methodist's to approve.
    waiting = await RouteRepo(uow.session).current(teacher.id)
    if waiting is not None and waiting.status == RouteStatus.SUBMITTED:
        await plan_route_approval(uow, waiting, uow.now())
    await uow.commit()
    log.info(
        "teacher assigned",
        extra={"user_id": admin.id, "teacher_id": teacher.id, "methodist_id": methodist.id},
    )
    return Assigned(teacher, methodist)


# --- /caseload in bulk: every teacher of a municipality or a school -----------------------------

BULK_PAGE = 20  # municipalities or schools on a picker's page


@dataclass(frozen=True, slots=True)
class BulkTarget:
    """Whom to assign where: the teachers of a municipality (``school_id`` 0) or of a school
    (``municipality_id`` 0) to a methodist. A preview's target; its confirmation must name the same."""

    methodist_id: int
    municipality_id: int = 0
    school_id: int = 0


@dataclass(frozen=True, slots=True)
class Places:
    """A page of the region's municipalities to choose from (``for_school``: to pick a school in)."""

    methodist: User
    places: list[Municipality]
    page: int
    pages: int
    for_school: bool


@dataclass(frozen=True, slots=True)
class Schools:
    """A page of a municipality's schools to choose from."""

    methodist: User
    municipality: Municipality
    schools: list[School]
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class BulkPreview:
    """What assigning a municipality's or a school's teachers would do: ``teachers`` there, of whom
    ``moving`` come to the methodist (``from_others`` of them from another methodist) and the rest
    are theirs already; the caseload now and after, against the region's limit (C-5)."""

    target: BulkTarget
    methodist: User
    municipality: Municipality
    school: School | None
    teachers: int
    moving: int
    from_others: int
    caseload_now: int
    limit: int

    @property
    def already(self) -> int:
        return self.teachers - self.moving

    @property
    def caseload_after(self) -> int:
        return self.caseload_now + self.moving

    @property
    def over_limit(self) -> bool:
        return self.caseload_after > self.limit


@dataclass(frozen=True, slots=True)
class BulkAssigned:
    """The assignment written: ``moved`` teachers came (``from_others`` from another methodist)."""

    methodist: User
    municipality: Municipality
    school: School | None
    moved: int
    from_others: int
    caseload_after: int
    limit: int

    @property
    def over_limit(self) -> bool:
        return self.caseload_after > self.limit


async def bulk_places(
    uow: UnitOfWork, admin: User, role: Role, methodist_id: int, page: int, *, for_school: bool
) -> Places | Stale | Denied:
    """The municipalities of the admin's region, to assign one's teachers (or to pick a school in)."""
    if role != Role.ADMIN:
        return DENIED
    methodist = await _staff_member(uow, admin, role, methodist_id)
    if methodist is None:
        return STALE
    places = await caseload.region_municipalities(
        uow.session, admin.region_code, _scope(admin, role) or _scope(methodist)
    )
    shown, page, pages = page_of(places, page, BULK_PAGE)
    return Places(methodist, shown, page, pages, for_school)


async def bulk_schools(
    uow: UnitOfWork, admin: User, role: Role, methodist_id: int, municipality_id: int, page: int
) -> Schools | Stale | Denied:
    """The schools of a municipality of the admin's region, to assign one's teachers."""
    if role != Role.ADMIN:
        return DENIED
    methodist = await _staff_member(uow, admin, role, methodist_id)
    municipality = await caseload.region_municipality(uow.session, admin.region_code, municipality_id)
    if methodist is None or municipality is None:
        return STALE
    if not _within(_scope(admin, role), municipality.id) or not _may_hold(methodist, municipality.id):
        return STALE
    schools = await caseload.municipality_schools(uow.session, municipality.id)
    shown, page, pages = page_of(schools, page, BULK_PAGE)
    return Schools(methodist, municipality, shown, page, pages)


async def bulk_preview(
    uow: UnitOfWork, admin: User, role: Role, rules: RegionRules, target: BulkTarget
) -> BulkPreview | Stale | Denied:
    """How many teachers of the municipality or school would come to the methodist, and the caseload
    that makes; nothing is written."""
    if role != Role.ADMIN:
        return DENIED
    found = await _bulk(uow, admin, role, rules, target)
    return STALE if found is None else found[0]


async def bulk_assign(
    uow: UnitOfWork,
    admin: User,
    role: Role,
    rules: RegionRules,
    target: BulkTarget,
    previewed: BulkTarget | None,
) -> BulkAssigned | Stale | Denied:
    """Assign every teacher of the municipality or school to the methodist, in one transaction,
    audited. Only the preview shown last can be confirmed (``previewed``): an older one, or one
    already confirmed, is stale. The numbers are those of the moment of confirmation."""
    if role != Role.ADMIN:
        return DENIED
    if previewed != target:
        return STALE
    found = await _bulk(uow, admin, role, rules, target)
    if found is None:
        return STALE
    preview, current = found
    if not preview.moving:
        return STALE  # nothing to move: no confirmation was offered
    methodist = preview.methodist
    moving = sorted(teacher for teacher, holder in current.items() if holder != methodist.id)
    # Those already with the methodist stay (from the date they came), now by the admin's choice too.
    everyone = dict.fromkeys(current, methodist.id)
    written = await caseload.assign_many(uow.session, everyone, admin.id, now=uow.now())
    unit, unit_id = (
        ("school", target.school_id) if preview.school else ("municipality", target.municipality_id)
    )
    await audit(
        uow.session,
        admin.id,
        "caseload.assign_bulk",
        target_type=unit,
        target_id=unit_id,
        methodist=methodist.id,
        teachers=moving,
        from_others=written.moved,
    )
    unit = preview.municipality.name
    if preview.school is not None:
        unit = f"{preview.school.name} ({unit})"
    await hand_off(
        uow,
        methodist.id,
        "ws-notify-assigned-bulk",
        {"count": len(moving), "unit": unit},
        (Button("ws-btn-open-list", OpenCaseload()),),
        sender=admin,
        ref=("user", methodist.id),
    )
    await uow.commit()
    log.info(
        "teachers assigned in bulk",
        extra={"user_id": admin.id, "methodist_id": methodist.id, "count": len(moving)},
    )
    return BulkAssigned(
        methodist=methodist,
        municipality=preview.municipality,
        school=preview.school,
        moved=len(moving),
        from_others=written.moved,
        caseload_after=preview.caseload_now + len(moving),
        limit=preview.limit,
    )


async def _bulk(
    uow: UnitOfWork, admin: User, role: Role, rules: RegionRules, target: BulkTarget
) -> tuple[BulkPreview, dict[int, int | None]] | None:
    """The preview of ``target`` and its teachers (id → current methodist), or None when the methodist,
    the municipality or the school is not of the admin's region — of the admin's municipality, for a
    municipal admin; of the methodist's, for a municipal methodist — (or the target names neither or both)."""
    if bool(target.municipality_id) == bool(target.school_id):
        return None
    region = admin.region_code
    methodist = await _staff_member(uow, admin, role, target.methodist_id)
    if methodist is None:
        return None
    school: School | None = None
    if target.school_id:
        found = await caseload.region_school(uow.session, region, target.school_id)
        if found is None:
            return None
        school, municipality = found
        current = await caseload.teachers_in(uow.session, region, school_id=school.id)
    else:
        place = await caseload.region_municipality(uow.session, region, target.municipality_id)
        if place is None:
            return None
        municipality = place
        current = await caseload.teachers_in(uow.session, region, municipality_id=municipality.id)
    if not _within(_scope(admin, role), municipality.id) or not _may_hold(methodist, municipality.id):
        return None
    moving = [holder for holder in current.values() if holder != methodist.id]
    counts = await caseload.caseload_counts(uow.session)
    preview = BulkPreview(
        target=target,
        methodist=methodist,
        municipality=municipality,
        school=school,
        teachers=len(current),
        moving=len(moving),
        from_others=sum(1 for holder in moving if holder is not None),
        caseload_now=counts.get(methodist.id, 0),
        limit=rules.caseload_target,
    )
    return preview, current
