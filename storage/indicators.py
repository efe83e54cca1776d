"""Loading the facts the indicators need, for one region, in a fixed number of queries.

Every query is an aggregate or a join scoped to the region's population (see
``domain.indicators`` for the definitions); nothing is queried per person, so a region of ten
teachers and one of ten thousand cost the same number of statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.indicators import (
    APPROVED_ROUTE_STATUSES,
    SCHOOL,
    SUPPORT_ITEM_KINDS,
    MethodistLoad,
    Occ,
    OfficialCounts,
    Period,
    PeriodKind,
    PersonFacts,
    ProgrammeCount,
    RegionFacts,
    Report,
    SchoolFacts,
    SchoolOcc,
    Span,
    SupportForm,
    compute,
    counts_for_c3,
    days_between,
    supported,
)
from domain.internships import HOLDS_SEAT
from domain.profile import YoungTeacherRule, is_manager
from domain.records import RecordKind
from domain.region import RegionSettings
from domain.roles import StaffTitle
from storage.audit import recent
from storage.models import (
    AuditEntry,
    Caseload,
    Diagnosis,
    Event,
    EventResponse,
    InternshipApplication,
    MentorPair,
    Municipality,
    OfficialStatistics,
    ProfessionalRecord,
    Program,
    Region,
    Route,
    RouteItem,
    School,
    User,
)

REGION_UNIT = "region"
ONE_DAY = timedelta(days=1)


def population(region_code: str) -> Any:
    """The ids of the region's педагогические работники и управленческие кадры."""
    return select(User.id).where(
        User.region_code == region_code,
        User.teaches(),
        User.profile_completed_at.is_not(None),
    )


def _total(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def unit_key(municipality_id: int | None, school_id: int | None) -> str:
    """``OfficialStatistics.unit`` of a unit: "region", "m<id>" or "s<id>"."""
    if school_id is not None:
        return f"s{school_id}"
    if municipality_id is not None:
        return f"m{municipality_id}"
    return REGION_UNIT


class _Day:
    """UTC moments to the region's dates."""

    def __init__(self, timezone: str | None) -> None:
        self.zone = ZoneInfo(timezone) if timezone else UTC

    def __call__(self, moment: datetime | None) -> date | None:
        return moment.astimezone(self.zone).date() if moment is not None else None


async def person_spans(
    session: AsyncSession,
    scope: Any,
    timezone: str | None,
    *,
    quality_areas: tuple[str, ...] = ("managerial",),
    support_only: bool = False,
) -> dict[int, dict[str, list[Span]]]:
    """The dated occurrences (``domain.indicators.Occ`` and ``SupportForm``) of the people in
    ``scope`` (a select of user ids), in a fixed number of queries. ``support_only``: the forms of
    support alone (the digest and the screens)."""
    day = _Day(timezone)
    spans: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))

    def add(user_id: int, key: str, span: Span | None) -> None:
        if span is not None:
            spans[user_id][key].append(span)

    # Approved routes: when approved, until completed or planned to end; on what diagnosis.
    approved = Route.status.in_(APPROVED_ROUTE_STATUSES)
    route_rows = (
        await session.execute(
            select(
                Route.id,
                Route.user_id,
                Route.approved_at,
                Route.submitted_at,
                Route.created_at,
                Route.completed_at,
                Route.ends_on,
                Diagnosis.source,
                Diagnosis.deficits,
            )
            .outerjoin(Diagnosis, Diagnosis.id == Route.diagnosis_id)
            .where(Route.user_id.in_(scope), approved)
        )
    ).all()
    route_span: dict[int, Span] = {}
    route_deficits: dict[int, list[str]] = {}
    for (
        route_id,
        user_id,
        approved_at,
        submitted_at,
        created_at,
        completed_at,
        ends_on,
        source,
        deficits,
    ) in route_rows:
        start = day(approved_at or submitted_at or created_at)
        assert start is not None
        end = day(completed_at) or ends_on
        route_span[route_id] = Span(start, max(start, end) if end else None)
        route_deficits[route_id] = list(deficits or [])
        if not support_only:
            add(user_id, Occ.APPROVED_ROUTE, route_span[route_id])
            if source == "cnppm":
                add(user_id, Occ.ROUTE_ON_CNPPM, route_span[route_id])
    # Items of the approved routes: support items, done courses and internships.
    item_rows = (
        await session.execute(
            select(
                Route.id,
                Route.user_id,
                RouteItem.kind,
                RouteItem.status,
                RouteItem.done_at,
                RouteItem.area,
                Program.federal_registry,
                Program.areas,
            )
            .select_from(RouteItem)
            .join(Route, Route.id == RouteItem.route_id)
            .outerjoin(Program, Program.id == RouteItem.program_id)
            .where(Route.user_id.in_(scope), approved)
        )
    ).all()
    for route_id, user_id, kind, status, done_at, area, federal, areas in item_rows:
        form = SUPPORT_ITEM_KINDS.get(kind)
        if form is not None:
            add(user_id, form, route_span[route_id])
        if status != "done":
            continue
        # An item marked done without a date (older data) counts from its route's approval.
        done = day(done_at) or route_span[route_id].start
        if kind == "internship":
            add(user_id, SupportForm.INTERNSHIP, Span.day(done))
        if kind == "course" and not support_only:
            add(user_id, Occ.COURSE_DONE, Span.day(done))
            if counts_for_c3(done=True, federal=bool(federal), area=area, deficits=route_deficits[route_id]):
                add(user_id, Occ.FR_DPP_ON_DEFICIT, Span.day(done))
            if set(areas or ()) & set(quality_areas):
                add(user_id, Occ.QUALITY_COURSE_DONE, Span.day(done))
    # Mentor pairs as mentee.
    for user_id, started_at, closed_at in (
        await session.execute(
            select(MentorPair.mentee_id, MentorPair.started_at, MentorPair.closed_at).where(
                MentorPair.mentee_id.in_(scope)
            )
        )
    ).all():
        start, closed = day(started_at), day(closed_at)
        assert start is not None
        # The day a pair closed is no longer a day in it (the last day in it is the one before).
        add(
            user_id,
            SupportForm.MENTORSHIP,
            Span(start, None if closed is None else max(start, closed - ONE_DAY)),
        )
    # Internship applications standing (applied, accepted or completed; not declined or withdrawn).
    for user_id, created_at in (
        await session.execute(
            select(InternshipApplication.user_id, InternshipApplication.created_at).where(
                InternshipApplication.user_id.in_(scope), InternshipApplication.status.in_(HOLDS_SEAT)
            )
        )
    ).all():
        add(user_id, SupportForm.INTERNSHIP, Span.day(day(created_at)))  # type: ignore[arg-type]
    # Events attended.
    for user_id, starts_at in (
        await session.execute(
            select(EventResponse.user_id, Event.starts_at)
            .join(Event, Event.id == EventResponse.event_id)
            .where(EventResponse.user_id.in_(scope), EventResponse.attended.is_(True))
        )
    ).all():
        add(user_id, SupportForm.EVENTS, Span.day(day(starts_at)))  # type: ignore[arg-type]
    if support_only:
        return spans
    # Finished ЦНППМ diagnoses.
    for user_id, finished_at in (
        await session.execute(
            select(Diagnosis.user_id, Diagnosis.finished_at).where(
                Diagnosis.user_id.in_(scope),
                Diagnosis.source == "cnppm",
                Diagnosis.status == "done",
                Diagnosis.finished_at.is_not(None),
            )
        )
    ).all():
        add(user_id, Occ.CNPPM_DIAGNOSIS, Span.day(day(finished_at)))  # type: ignore[arg-type]
    # A person's records: конкурсы, roles (тьютор, эксперт, член жюри).
    for record_user, kind, happened_on in (
        await session.execute(
            select(ProfessionalRecord.user_id, ProfessionalRecord.kind, ProfessionalRecord.happened_on).where(
                ProfessionalRecord.user_id.in_(scope)
            )
        )
    ).all():
        occurrence = {RecordKind.CONTEST: Occ.CONTEST, RecordKind.ROLE: Occ.ROLE}.get(RecordKind(kind))
        if occurrence is not None and record_user is not None:
            add(record_user, occurrence, Span.day(happened_on))
    return spans


async def supported_people(
    session: AsyncSession, user_ids: Any, forms: Sequence[str], timezone: str | None, start: date, end: date
) -> set[int]:
    """The people of ``user_ids`` (a select of ids) in ≥1 of ``forms`` of support between
    ``start`` and ``end`` — the definition C-6/R-5 counts (``domain.indicators.supported``): the
    report asks over its period, the digest asks about today."""
    spans = await person_spans(session, user_ids, timezone, support_only=True)
    return {
        user_id
        for user_id, found in spans.items()
        if supported({key: tuple(v) for key, v in found.items()}, tuple(forms), start, end)
    }


async def load_facts(
    session: AsyncSession, region_code: str, settings: RegionSettings | None, today: date
) -> RegionFacts:
    scope = population(region_code)
    timezone = settings.timezone if settings else None
    day = _Day(timezone)

    # 1. Directories.
    municipalities = {
        key: name
        for key, name in (
            await session.execute(
                select(Municipality.id, Municipality.name).where(Municipality.region_code == region_code)
            )
        ).all()
    }
    # 2.
    schools = {
        key: (municipality, name)
        for key, municipality, name in (
            await session.execute(
                select(School.id, School.municipality_id, School.name)
                .join(Municipality, Municipality.id == School.municipality_id)
                .where(Municipality.region_code == region_code)
            )
        ).all()
    }
    # 3. The population.
    people = (
        await session.execute(
            select(
                User.id,
                User.municipality_id,
                User.school_id,
                User.position,
                User.birth_date,
                User.work_start_year,
                User.profile_completed_at,
            ).where(User.id.in_(scope))
        )
    ).all()
    # 4-10. Dated occurrences.
    spans = await person_spans(
        session,
        scope,
        timezone,
        quality_areas=settings.quality_management_areas if settings else ("managerial",),
    )
    # 11. Operational figures: self-diagnoses, first diagnosis and route, completion, counts.
    done = Diagnosis.status == "done"
    diagnoses = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    Diagnosis.user_id,
                    func.max(case((and_(done, Diagnosis.source == "self"), 1), else_=0)),
                    func.min(case((done, Diagnosis.finished_at), else_=None)),
                )
                .where(Diagnosis.user_id.in_(scope))
                .group_by(Diagnosis.user_id)
            )
        ).all()
    }
    routes = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    Route.user_id,
                    func.max(case((Route.status == "completed", 1), else_=0)),
                    func.min(Route.created_at),
                )
                .where(Route.user_id.in_(scope))
                .group_by(Route.user_id)
            )
        ).all()
    }
    internships_done = dict(
        (
            await session.execute(
                select(Route.user_id, func.count())
                .select_from(RouteItem)
                .join(Route, Route.id == RouteItem.route_id)
                .where(Route.user_id.in_(scope), RouteItem.kind == "internship", RouteItem.status == "done")
                .group_by(Route.user_id)
            )
        ).all()
    )
    pairs = dict(
        (
            await session.execute(
                select(MentorPair.mentee_id, func.count())
                .where(MentorPair.mentee_id.in_(scope), MentorPair.status == "active")
                .group_by(MentorPair.mentee_id)
            )
        ).all()
    )
    applications = dict(
        (
            await session.execute(
                select(InternshipApplication.user_id, func.count())
                .where(InternshipApplication.user_id.in_(scope), InternshipApplication.status.in_(HOLDS_SEAT))
                .group_by(InternshipApplication.user_id)
            )
        ).all()
    )
    events = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    EventResponse.user_id,
                    _total(EventResponse.going.is_(True)),
                    _total(EventResponse.attended.is_(True)),
                )
                .where(EventResponse.user_id.in_(scope))
                .group_by(EventResponse.user_id)
            )
        ).all()
    }
    # 12. Schools' records: конкурсы, presented опыт.
    school_spans: dict[int, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for school_id, kind, happened_on in (
        await session.execute(
            select(
                ProfessionalRecord.school_id, ProfessionalRecord.kind, ProfessionalRecord.happened_on
            ).where(ProfessionalRecord.region_code == region_code, ProfessionalRecord.school_id.is_not(None))
        )
    ).all():
        key = {RecordKind.CONTEST: SchoolOcc.CONTEST, RecordKind.EXPERIENCE: SchoolOcc.EXPERIENCE}.get(
            RecordKind(kind)
        )
        if key is not None and school_id in schools:
            school_spans[school_id][key].append(Span.day(happened_on))
    # 13. C-5: teachers of the region per *regional* methodist.
    teacher = select(User.id).where(User.region_code == region_code, User.teaches())
    methodist = User.__table__.alias("methodist")
    methodist_rows = (
        await session.execute(
            select(Caseload.methodist_id, methodist.c.full_name, func.count())
            .join(methodist, methodist.c.id == Caseload.methodist_id)
            .where(
                Caseload.teacher_id.in_(teacher),
                methodist.c.staff_title == StaffTitle.REGIONAL_METHODIST,
            )
            .group_by(Caseload.methodist_id, methodist.c.full_name)
            .order_by(func.count().desc(), methodist.c.full_name)
        )
    ).all()
    # 14. R-6: the region's programmes, per organisation.
    programmes = (
        await session.execute(
            select(Program.provider, func.count(), _total(Program.federal_registry.is_(True)))
            .where(Program.region_code == region_code)
            .group_by(Program.provider)
        )
    ).all()
    # 15. Official statistics.
    official: dict[tuple[int, str, int | str], OfficialCounts] = {}
    for row in await session.scalars(
        select(OfficialStatistics).where(OfficialStatistics.region_code == region_code)
    ):
        level, unit_id = _unit_of(row, region_code)
        official[(row.year, level, unit_id)] = OfficialCounts(
            row.teachers, row.managers, row.schools, row.management_teams, row.young_teachers
        )

    facts = []
    for user_id, municipality_id, school_id, position, birth, start, completed_at in people:
        self_done, first_diagnosis = diagnoses.get(user_id, (0, None))
        completed, first_route = routes.get(user_id, (0, None))
        going, attended = events.get(user_id, (0, 0))
        joined = day(completed_at)
        assert joined is not None
        facts.append(
            PersonFacts(
                user_id=user_id,
                municipality_id=municipality_id,
                school_id=school_id,
                joined=joined,
                manager=is_manager(position),
                birth_date=birth,
                work_start_year=start,
                spans={key: tuple(found) for key, found in spans.get(user_id, {}).items()},
                self_diagnosis=bool(self_done),
                has_route=user_id in routes,
                route_completed=bool(completed),
                days_to_route=days_between(first_diagnosis, first_route),
                internships_applied=int(applications.get(user_id, 0)),
                internships_done=int(internships_done.get(user_id, 0)),
                active_pairs=int(pairs.get(user_id, 0)),
                events_going=int(going),
                events_attended=int(attended),
            )
        )
    return RegionFacts(
        code=region_code,
        people=tuple(facts),
        municipalities=municipalities,
        schools=schools,
        school_facts=tuple(
            SchoolFacts(key, schools[key][0], {k: tuple(v) for k, v in found.items()})
            for key, found in sorted(school_spans.items())
        ),
        methodists=tuple(MethodistLoad(key, name, int(count)) for key, name, count in methodist_rows),
        programmes=tuple(
            ProgrammeCount(name, int(total), int(federal)) for name, total, federal in programmes
        ),
        official=official,
    )


def _unit_of(row: OfficialStatistics, region_code: str) -> tuple[str, int | str]:
    if row.school_id is not None:
        return SCHOOL, row.school_id
    if row.municipality_id is not None:
        return "municipality", row.municipality_id
    return "region", region_code


async def region_report(
    session: AsyncSession,
    region_code: str,
    period: Period | None,
    today: date,
    *,
    municipality: int | None = None,
) -> tuple[Report, Region | None]:
    """The indicators of a region for ``period`` (the one containing ``today`` when None), each
    with the change against the period before; ``municipality``: that municipality only."""
    region = await session.get(Region, region_code)
    settings = RegionSettings.model_validate(region.config) if region else None
    facts = await load_facts(session, region_code, settings, today)
    if period is None:
        period = Period.containing(today, settings.reporting_period if settings else PeriodKind.CALENDAR)
    rule = (
        YoungTeacherRule(
            max_age=settings.thresholds.young_teacher_max_age,
            max_experience_years=settings.thresholds.young_teacher_max_experience_years,
        )
        if settings
        else YoungTeacherRule()
    )
    report = compute(
        facts,
        settings.indicators if settings else (),
        period,
        rule=rule,
        support_forms=settings.support_forms if settings else tuple(SupportForm),
        municipality=municipality,
    )
    return report, region


async def audit_page(
    session: AsyncSession, *, limit: int, offset: int
) -> Sequence[tuple[AuditEntry, str | None]]:
    """Audit entries, newest first, each with its actor's name (None: the system, or nobody known)."""
    entries = await recent(session, limit=limit, offset=offset)
    actors = {e.actor_id for e in entries if e.actor_id is not None}
    names: dict[int, str | None] = {}
    if actors:
        rows = await session.execute(select(User.id, User.full_name).where(User.id.in_(actors)))
        names = {user_id: name for user_id, name in rows}
    return [(entry, names.get(entry.actor_id) if entry.actor_id is not None else None) for entry in entries]
