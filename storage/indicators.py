"""Loading the facts the indicators need, for one region, in a fixed number of queries.

Every query is an aggregate or a join scoped to the region's population (see
``domain.indicators`` for the definitions); nothing is queried per person, so a region of ten
teachers and one of ten thousand cost the same number of statements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.indicators import (
    APPROVED_ROUTE_STATUSES,
    MethodistLoad,
    PersonFacts,
    RegionFacts,
    Report,
    compute,
    counts_for_c3,
    days_between,
    is_supported,
)
from domain.profile import YoungTeacherRule, is_manager
from domain.region import RegionSettings
from storage.audit import recent
from storage.models import (
    AuditEntry,
    Caseload,
    Diagnosis,
    EventResponse,
    InternshipApplication,
    MentorPair,
    Municipality,
    Program,
    Region,
    Route,
    RouteItem,
    School,
    User,
)


def population(region_code: str) -> Any:
    """The ids of the region's педагогические работники и управленческие кадры."""
    return select(User.id).where(
        User.region_code == region_code,
        User.teaches(),
        User.profile_completed_at.is_not(None),
    )


def _flag(condition: Any) -> Any:
    return func.max(case((condition, 1), else_=0))


def _total(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def load_facts(
    session: AsyncSession, region_code: str, settings: RegionSettings | None, today: date
) -> RegionFacts:
    scope = population(region_code)
    rule = (
        YoungTeacherRule(
            max_age=settings.thresholds.young_teacher_max_age,
            max_experience_years=settings.thresholds.young_teacher_max_experience_years,
        )
        if settings
        else YoungTeacherRule()
    )

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
    # 3. The population, with whether each person has a methodist.
    people = (
        await session.execute(
            select(
                User.id,
                User.municipality_id,
                User.school_id,
                User.position,
                User.birth_date,
                User.work_start_year,
                Caseload.methodist_id,
            )
            .outerjoin(Caseload, Caseload.teacher_id == User.id)
            .where(User.id.in_(scope))
        )
    ).all()
    # 4. Diagnoses: an official one? a self-diagnosis? when was the first finished?
    done = Diagnosis.status == "done"
    diagnoses = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    Diagnosis.user_id,
                    _flag(and_(done, Diagnosis.source == "cnppm")),
                    _flag(and_(done, Diagnosis.source == "self")),
                    func.min(case((done, Diagnosis.finished_at), else_=None)),
                )
                .where(Diagnosis.user_id.in_(scope))
                .group_by(Diagnosis.user_id)
            )
        ).all()
    }
    # 5. Routes: built on a diagnosis (on an official one), completed, the first one.
    routes = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    Route.user_id,
                    _flag(Route.diagnosis_id.is_not(None)),
                    _flag(Diagnosis.source == "cnppm"),
                    _flag(Route.status == "completed"),
                    func.min(Route.created_at),
                )
                .outerjoin(Diagnosis, Diagnosis.id == Route.diagnosis_id)
                .where(Route.user_id.in_(scope))
                .group_by(Route.user_id)
            )
        ).all()
    }
    # 6. Done course items, with the programme's ФР ДПП flag and the deficits of the diagnosis
    #    the route was built on (the link is checked in the domain: a JSON list in SQLite).
    courses: dict[int, list[bool]] = defaultdict(list)
    for user_id, area, federal, deficits in (
        await session.execute(
            select(Route.user_id, RouteItem.area, Program.federal_registry, Diagnosis.deficits)
            .join(Route, Route.id == RouteItem.route_id)
            .outerjoin(Program, Program.id == RouteItem.program_id)
            .outerjoin(Diagnosis, Diagnosis.id == Route.diagnosis_id)
            .where(Route.user_id.in_(scope), RouteItem.kind == "course", RouteItem.status == "done")
        )
    ).all():
        courses[user_id].append(counts_for_c3(done=True, federal=bool(federal), area=area, deficits=deficits))
    # 7. Other items: internships done, mentorship in an approved route.
    items = {
        row[0]: row[1:]
        for row in (
            await session.execute(
                select(
                    Route.user_id,
                    _total(and_(RouteItem.kind == "internship", RouteItem.status == "done")),
                    _flag(and_(RouteItem.kind == "mentorship", Route.status.in_(APPROVED_ROUTE_STATUSES))),
                )
                .join(Route, Route.id == RouteItem.route_id)
                .where(Route.user_id.in_(scope))
                .group_by(Route.user_id)
            )
        ).all()
    }
    # 8. Active mentor pairs as mentee.
    pairs = dict(
        (
            await session.execute(
                select(MentorPair.mentee_id, func.count())
                .where(MentorPair.mentee_id.in_(scope), MentorPair.status == "active")
                .group_by(MentorPair.mentee_id)
            )
        ).all()
    )
    # 9. Internship applications still standing.
    applications = dict(
        (
            await session.execute(
                select(InternshipApplication.user_id, func.count())
                .where(InternshipApplication.user_id.in_(scope), InternshipApplication.status == "applied")
                .group_by(InternshipApplication.user_id)
            )
        ).all()
    )
    # 10. Events: said «Пойду», attended.
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
    # 11. C-5: teachers of the region per methodist (whoever is in a caseload, complete or not).
    teacher = select(User.id).where(User.region_code == region_code, User.teaches())
    methodist_rows = (
        await session.execute(
            select(Caseload.methodist_id, User.full_name, func.count())
            .join(User, User.id == Caseload.methodist_id)
            .where(Caseload.teacher_id.in_(teacher))
            .group_by(Caseload.methodist_id, User.full_name)
            .order_by(func.count().desc(), User.full_name)
        )
    ).all()
    # 12. R-6: the region's programmes.
    total, federal = (
        await session.execute(
            select(func.count(), _total(Program.federal_registry.is_(True))).where(
                Program.region_code == region_code
            )
        )
    ).one()

    facts = []
    for user_id, municipality_id, school_id, position, birth, start, methodist_id in people:
        cnppm, self_done, first_diagnosis = diagnoses.get(user_id, (0, 0, None))
        on_diagnosis, on_cnppm, completed, first_route = routes.get(user_id, (0, 0, 0, None))
        internships_done, mentorship_item = items.get(user_id, (0, 0))
        going, attended = events.get(user_id, (0, 0))
        done_courses = courses.get(user_id, [])
        facts.append(
            PersonFacts(
                user_id=user_id,
                municipality_id=municipality_id,
                school_id=school_id,
                manager=is_manager(position),
                young=rule.applies(birth, start, today),
                cnppm_diagnosis=bool(cnppm),
                route_on_diagnosis=bool(on_diagnosis),
                route_on_cnppm=bool(on_cnppm),
                fr_dpp_on_deficit=any(done_courses),
                course_done=bool(done_courses),
                supported=is_supported(
                    active_mentee=pairs.get(user_id, 0) > 0, approved_mentorship_item=bool(mentorship_item)
                ),
                self_diagnosis=bool(self_done),
                has_route=user_id in routes,
                route_completed=bool(completed),
                days_to_route=days_between(first_diagnosis, first_route),
                internships_applied=int(applications.get(user_id, 0)),
                internships_done=int(internships_done),
                active_pairs=int(pairs.get(user_id, 0)),
                events_going=int(going),
                events_attended=int(attended),
                has_methodist=methodist_id is not None,
            )
        )
    return RegionFacts(
        code=region_code,
        people=tuple(facts),
        municipalities=municipalities,
        schools=schools,
        methodists=tuple(MethodistLoad(key, name, int(count)) for key, name, count in methodist_rows),
        programs_total=int(total),
        programs_federal=int(federal),
    )


async def region_report(session: AsyncSession, region_code: str, today: date) -> tuple[Report, Region | None]:
    """The indicators of a region on ``today``, with the targets of that year."""
    region = await session.get(Region, region_code)
    settings = RegionSettings.model_validate(region.config) if region else None
    facts = await load_facts(session, region_code, settings, today)
    targets = settings.targets_for(today.year) if settings else None
    return compute(facts, targets), region


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
