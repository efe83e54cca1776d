"""Loading a methodist's caseload for the digest: a fixed number of queries, whatever its size.

Every query is restricted to the caseload with ``IN (SELECT teacher_id FROM caseloads WHERE
methodist_id = ?)`` and returns at most one row per teacher: the latest diagnosis and the newest
ИОМ are picked with ``row_number()`` windows, the route items and the mentor pairs are aggregated
with ``GROUP BY``; the forms of support are those of the indicators (``storage.indicators.
supported_people``). A digest of 250 teachers costs the same twelve statements as one of five.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.digest import DEFAULT_DIGEST_TIME, DEFAULT_TIMEZONE, QUIET_DAYS, Snapshot, TeacherFacts
from domain.indicators import ALL_SUPPORT_FORMS
from domain.profile import YoungTeacherRule
from domain.region import RegionSettings
from storage.caseload import reachable
from storage.indicators import supported_people
from storage.models import (
    Caseload,
    Diagnosis,
    MentorPair,
    MethodistSettings,
    Region,
    Route,
    RouteItem,
    User,
)


async def caseload_snapshot(
    session: AsyncSession, methodist_id: int, now: datetime, *, default_timezone: str = DEFAULT_TIMEZONE
) -> Snapshot:
    """Everything the digest looks at for one methodist's teachers, as of ``now`` (aware UTC)."""
    # The teachers the methodist reaches (a municipal methodist: of their municipality only).
    caseload = reachable(methodist_id)
    own_region = await session.scalar(select(User.region_code).where(User.id == methodist_id))
    people = (
        await session.execute(
            select(
                User.id,
                User.full_name,
                User.created_at,
                User.profile_completed_at,
                User.last_seen_at,
                User.birth_date,
                User.work_start_year,
                User.region_code,
            )
            .where(User.id.in_(caseload))
            .order_by(User.full_name, User.id)
        )
    ).all()

    regions = await _regions(session, {p.region_code for p in people} | {own_region})
    # Overdue is judged by the methodist's calendar: one date for the whole caseload, which in
    # practice shares the methodist's region (and it keeps the count a single aggregate query).
    zone = regions[own_region][0] if own_region in regions else default_timezone
    today = now.astimezone(ZoneInfo(zone)).date()

    diagnoses = await _latest_diagnoses(session, caseload)
    routes = await _newest_routes(session, caseload)
    items = await _item_counts(session, caseload, today)
    pairs = await _mentor_pairs(session, caseload)
    # Young teachers in no form of support today (the region's list, as C-6/R-5 counts them).
    forms = regions[own_region][2] if own_region in regions else ALL_SUPPORT_FORMS
    supported = await supported_people(session, caseload, forms, zone, today, today)

    default_rule = YoungTeacherRule()
    teachers = []
    for p in people:
        rule = regions[p.region_code][1] if p.region_code in regions else default_rule
        diagnosed_at, deficits = diagnoses.get(p.id, (None, ()))
        route_status, submitted_at = routes.get(p.id, (None, None))
        overdue, latest_overdue, evidence, latest_evidence = items.get(p.id, (0, None, 0, None))
        mentored, support_ended_at = pairs.get(p.id, (False, None))
        teachers.append(
            TeacherFacts(
                id=p.id,
                name=p.full_name or f"#{p.id}",
                created_at=p.created_at,
                profile_completed_at=p.profile_completed_at,
                last_seen_at=p.last_seen_at,
                diagnosed_at=diagnosed_at,
                deficits=deficits,
                route_status=route_status,
                route_submitted_at=submitted_at,
                overdue_items=overdue,
                latest_overdue_on=latest_overdue,
                evidence_to_confirm=evidence,
                latest_evidence_at=latest_evidence,
                young=rule.applies(p.birth_date, p.work_start_year, today),
                mentored=mentored,
                support_ended_at=support_ended_at,
                supported=p.id in supported,
            )
        )
    return Snapshot(methodist_id=methodist_id, timezone=zone, today=today, teachers=tuple(teachers))


async def methodists_with_caseload(session: AsyncSession) -> list[User]:
    """Everyone some caseload names as its methodist: the recipients of daily digests."""
    result = await session.scalars(
        select(User).where(User.id.in_(select(Caseload.methodist_id).distinct())).order_by(User.id)
    )
    return list(result)


async def digest_recipients(session: AsyncSession) -> list[tuple[User, MethodistSettings | None]]:
    """``methodists_with_caseload`` with their digest settings (None if never saved), in one query:
    the planner reads them all every tick."""
    result = await session.execute(
        select(User, MethodistSettings)
        .outerjoin(MethodistSettings, MethodistSettings.user_id == User.id)
        .where(User.id.in_(select(Caseload.methodist_id).distinct()))
        .order_by(User.id)
    )
    return [(user, settings) for user, settings in result]


async def saved_settings(session: AsyncSession, methodist_id: int) -> MethodistSettings | None:
    """The methodist's digest settings, if ever saved."""
    return await session.get(MethodistSettings, methodist_id)


async def digest_settings(session: AsyncSession, methodist_id: int) -> MethodistSettings:
    """The methodist's digest settings, created with the defaults on first use (not committed)."""
    settings = await session.get(MethodistSettings, methodist_id)
    if settings is None:
        settings = MethodistSettings(
            user_id=methodist_id, digest_time=DEFAULT_DIGEST_TIME, quiet_days=QUIET_DAYS[0]
        )
        session.add(settings)
    return settings


async def _regions(
    session: AsyncSession, codes: set[str | None]
) -> dict[str | None, tuple[str, YoungTeacherRule, tuple[str, ...]]]:
    """Time zone, young-teacher rule and forms of support of each region involved (usually one)."""
    wanted = sorted(code for code in codes if code is not None)
    rows = await session.execute(
        select(Region.code, Region.timezone, Region.config).where(Region.code.in_(wanted))
    )
    regions: dict[str | None, tuple[str, YoungTeacherRule, tuple[str, ...]]] = {}
    for code, timezone, config in rows:
        settings = RegionSettings.model_validate(config)
        thresholds = settings.thresholds
        regions[code] = (
            timezone,
            YoungTeacherRule(thresholds.young_teacher_max_age, thresholds.young_teacher_max_experience_years),
            tuple(settings.support_forms),
        )
    return regions


async def _latest_diagnoses(
    session: AsyncSession, caseload: Select[int]
) -> dict[int, tuple[datetime, tuple[str, ...]]]:
    """The latest finished self-diagnosis per teacher (newest id wins, as in ``DiagnosisRepo``)."""
    ranked = (
        select(
            Diagnosis.user_id,
            Diagnosis.finished_at,
            Diagnosis.deficits,
            func.row_number().over(partition_by=Diagnosis.user_id, order_by=Diagnosis.id.desc()).label("n"),
        )
        .where(
            Diagnosis.user_id.in_(caseload),
            Diagnosis.source == "self",
            Diagnosis.status == "done",
            Diagnosis.finished_at.is_not(None),
        )
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.user_id, ranked.c.finished_at, ranked.c.deficits).where(ranked.c.n == 1)
    )
    return {user_id: (finished_at, tuple(deficits or ())) for user_id, finished_at, deficits in rows}


async def _newest_routes(
    session: AsyncSession, caseload: Select[int]
) -> dict[int, tuple[str, datetime | None]]:
    """Status and submission time of each teacher's newest ИОМ (as in ``RouteRepo.current``)."""
    ranked = (
        select(
            Route.user_id,
            Route.status,
            Route.submitted_at,
            func.row_number().over(partition_by=Route.user_id, order_by=Route.id.desc()).label("n"),
        )
        .where(Route.user_id.in_(caseload))
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.user_id, ranked.c.status, ranked.c.submitted_at).where(ranked.c.n == 1)
    )
    return {user_id: (status, submitted_at) for user_id, status, submitted_at in rows}


async def _item_counts(
    session: AsyncSession, caseload: Select[int], today: date
) -> dict[int, tuple[int, date | None, int, datetime | None]]:
    """Per teacher: overdue items and the latest overdue due date; unconfirmed evidence and the
    latest time such an item was done.

    Overdue counts only on an active (approved) ИОМ: dates in a draft or a returned route are
    proposals. Evidence counts on any ИОМ: a finished route can still wait for confirmation.
    """
    overdue = and_(Route.status == "active", RouteItem.status == "planned", RouteItem.due_on < today)
    evidence = and_(
        RouteItem.status == "done",
        RouteItem.evidence_kind.is_not(None),
        RouteItem.transfer_confirmed_at.is_(None),
    )
    rows = await session.execute(
        select(
            Route.user_id,
            func.sum(case((overdue, 1), else_=0)),
            func.max(case((overdue, RouteItem.due_on))),
            func.sum(case((evidence, 1), else_=0)),
            func.max(case((evidence, RouteItem.done_at))),
        )
        .join(Route, Route.id == RouteItem.route_id)
        .where(Route.user_id.in_(caseload), or_(overdue, evidence))
        .group_by(Route.user_id)
    )
    return {row[0]: (int(row[1]), row[2], int(row[3]), row[4]) for row in rows}


async def _mentor_pairs(
    session: AsyncSession, caseload: Select[int]
) -> dict[int, tuple[bool, datetime | None]]:
    """Per mentee: whether a pair is active, and when the latest pair closed."""
    rows = await session.execute(
        select(
            MentorPair.mentee_id,
            func.max(case((MentorPair.status == "active", 1), else_=0)),
            func.max(MentorPair.closed_at),
        )
        .where(MentorPair.mentee_id.in_(caseload))
        .group_by(MentorPair.mentee_id)
    )
    return {mentee_id: (bool(active), closed_at) for mentee_id, active, closed_at in rows}
