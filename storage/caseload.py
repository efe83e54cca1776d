"""Caseloads: which methodist accompanies which teacher, and what the methodist sees of them.

A teacher is put into a caseload by the region's ``methodist_rules`` (a school rule wins over a
municipality rule) when the profile is completed or the workplace changes, or explicitly by an
admin. An admin's choice is never overridden by a rule.

Every query here is bounded by the caseload: a handful of statements whatever its size, never one
per teacher. The caseload-scoped getters (``teacher_in_caseload`` …) are what every methodist
button re-checks, so a stale or forged id reaches nothing outside the methodist's own teachers.
Like the other repositories, nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from domain.profile import YoungTeacherRule, narrow
from domain.region import MethodistRule
from domain.roles import MUNICIPAL_TITLES, Role, counts_as_teacher
from storage.models import (
    Caseload,
    Diagnosis,
    MentorPair,
    Municipality,
    Route,
    RouteItem,
    School,
    User,
    utcnow,
)
from storage.repositories import DirectoryRepo

RULE, ADMIN = "rule", "admin"
FILTERS = ("all", "no_diagnosis", "no_route", "overdue", "young_unsupported")
STAFF_ROLES = (Role.METHODIST.value, Role.ADMIN.value)


# --- assignment --------------------------------------------------------------------------------


async def assign_by_rules(
    session: AsyncSession, teacher: User, *, now: datetime | None = None
) -> Caseload | None:
    """Put a teacher into the caseload the region's rules name; the caseload, or None.

    An admin's assignment stays as it is. A rule-made assignment follows the teacher's workplace:
    it moves to another methodist, or is dropped when no rule (or no such methodist) fits any more.
    """
    existing = await session.get(Caseload, teacher.id)
    # Staff complete a profile too, but are not accompanied by a methodist unless they also teach.
    teaches = counts_as_teacher(teacher.role, teacher.also_teacher)
    if teaches and existing is not None and existing.source == ADMIN:
        return existing
    methodist = await _methodist_by_rules(session, teacher) if teaches else None
    if methodist is not None and methodist.id == teacher.id:
        methodist = None  # nobody accompanies themselves
    if methodist is None:
        if existing is not None:
            await unassign(session, teacher.id)
        return None
    if existing is None:
        existing = Caseload(teacher_id=teacher.id, source=RULE)
        session.add(existing)
    elif existing.methodist_id == methodist.id:
        return existing  # unchanged: keep the date, the digest counts newcomers by it
    existing.methodist_id, existing.assigned_at, existing.assigned_by = methodist.id, now or utcnow(), None
    await session.flush()
    return existing


async def _methodist_by_rules(session: AsyncSession, teacher: User) -> User | None:
    settings = await DirectoryRepo(session).region_settings(teacher.region_code)
    if settings is None or not settings.methodist_rules or teacher.municipality_id is None:
        return None
    municipality = await session.scalar(
        select(Municipality.external_id).where(Municipality.id == teacher.municipality_id)
    )
    school = (
        await session.scalar(select(School.external_id).where(School.id == teacher.school_id))
        if teacher.school_id is not None
        else None
    )
    rule = _best_rule(settings.methodist_rules, municipality, school)
    if rule is None:
        return None
    messenger, methodist_id = rule.methodist
    return await session.scalar(
        select(User).where(
            User.messenger == messenger, User.telegram_id == methodist_id, User.role.in_(STAFF_ROLES)
        )
    )


def _best_rule(
    rules: Iterable[MethodistRule], municipality: str | None, school: str | None
) -> MethodistRule | None:
    """The rule for the teacher's school, else the one for the whole municipality."""
    here = [r for r in rules if r.municipality == municipality]
    by_school = next((r for r in here if school is not None and r.school == school), None)
    return by_school or next((r for r in here if r.school is None), None)


async def assign(
    session: AsyncSession,
    teacher_id: int,
    methodist_id: int,
    by_user_id: int | None,
    *,
    now: datetime | None = None,
) -> Caseload:
    """An admin's explicit assignment; rules leave it alone from now on."""
    caseload = await session.get(Caseload, teacher_id)
    if caseload is None:
        caseload = Caseload(teacher_id=teacher_id)
        session.add(caseload)
    caseload.methodist_id, caseload.source = methodist_id, ADMIN
    caseload.assigned_at, caseload.assigned_by = now or utcnow(), by_user_id
    await session.flush()
    return caseload


def is_assignable_teacher(region_code: str | None, municipality_id: int | None = None) -> ColumnElement[bool]:
    """The teachers of a region an admin may put into a caseload: those the single assignment's search
    finds (counted as a teacher — a teacher, or staff who also teach —, profile completed); of one
    municipality only for a municipal admin (``municipality_id``)."""
    return and_(
        User.region_code == region_code,
        User.teaches(),
        User.profile_completed_at.is_not(None),
        User.municipality_id == municipality_id if municipality_id is not None else true(),
    )


async def teachers_in(
    session: AsyncSession,
    region_code: str | None,
    *,
    municipality_id: int | None = None,
    school_id: int | None = None,
) -> dict[int, int | None]:
    """Teacher id → their current methodist's id (None: no caseload) for the assignable teachers of
    a municipality or a school of the region; one query whatever their number."""
    query = (
        select(User.id, Caseload.methodist_id)
        .outerjoin(Caseload, Caseload.teacher_id == User.id)
        .where(is_assignable_teacher(region_code))
    )
    if municipality_id is not None:
        query = query.where(User.municipality_id == municipality_id)
    if school_id is not None:
        query = query.where(User.school_id == school_id)
    rows = await session.execute(query)
    return {teacher_id: methodist_id for teacher_id, methodist_id in rows.all()}


@dataclass(frozen=True)
class Assignment:
    """What writing many admin assignments changed: teachers put into a caseload for the first time,
    and teachers moved from another methodist (those already with theirs only become the admin's)."""

    created: int
    moved: int


async def assign_many(
    session: AsyncSession,
    methodists: dict[int, int],
    by_user_id: int | None,
    *,
    now: datetime | None = None,
) -> Assignment:
    """Admin assignments of many teachers at once (teacher id → methodist id), in a handful of
    statements. A teacher already with the methodist keeps the date they came (the digest counts
    newcomers by it); rules leave every one of them alone from now on."""
    created = moved = 0
    moment = now or utcnow()
    teacher_ids = sorted(methodists)
    existing: dict[int, Caseload] = {}
    for start in range(0, len(teacher_ids), 500):  # SQLite limits bound parameters
        chunk = teacher_ids[start : start + 500]
        for found in await session.scalars(select(Caseload).where(Caseload.teacher_id.in_(chunk))):
            existing[found.teacher_id] = found
    for teacher_id in teacher_ids:
        methodist_id = methodists[teacher_id]
        row = existing.get(teacher_id)
        if row is None:
            session.add(
                Caseload(
                    teacher_id=teacher_id,
                    methodist_id=methodist_id,
                    source=ADMIN,
                    assigned_at=moment,
                    assigned_by=by_user_id,
                )
            )
            created += 1
            continue
        if row.methodist_id != methodist_id:
            row.methodist_id, row.assigned_at = methodist_id, moment
            moved += 1
        row.source, row.assigned_by = ADMIN, by_user_id
    await session.flush()
    return Assignment(created, moved)


async def region_municipalities(
    session: AsyncSession, region_code: str | None, municipality_id: int | None = None
) -> list[Municipality]:
    """The municipalities of a region by name (sorted here: a database's collation may not know
    Russian); only ``municipality_id`` when given (a municipal admin's)."""
    query = select(Municipality).where(Municipality.region_code == region_code)
    if municipality_id is not None:
        query = query.where(Municipality.id == municipality_id)
    result = await session.scalars(query)
    return sorted(result, key=lambda m: (_alphabetical(m.name), m.id))


async def region_municipality(
    session: AsyncSession, region_code: str | None, municipality_id: int
) -> Municipality | None:
    """A municipality of the region, or None (another region's, or none such)."""
    found = await session.get(Municipality, municipality_id)
    return found if found is not None and found.region_code == region_code else None


async def municipality_schools(session: AsyncSession, municipality_id: int) -> list[School]:
    """The schools of a municipality by name."""
    result = await session.scalars(select(School).where(School.municipality_id == municipality_id))
    return sorted(result, key=lambda s: (_alphabetical(s.name), s.id))


def _alphabetical(name: str) -> str:
    return name.casefold().replace("ё", "е")


async def region_school(
    session: AsyncSession, region_code: str | None, school_id: int
) -> tuple[School, Municipality] | None:
    """A school of the region with its municipality, or None."""
    row = (
        await session.execute(
            select(School, Municipality)
            .join(Municipality, Municipality.id == School.municipality_id)
            .where(School.id == school_id, Municipality.region_code == region_code)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def unassign(session: AsyncSession, teacher_id: int) -> bool:
    """Take a teacher out of any caseload; False if there was none."""
    caseload = await session.get(Caseload, teacher_id)
    if caseload is None:
        return False
    await session.delete(caseload)
    await session.flush()
    return True


async def caseload_counts(session: AsyncSession) -> dict[int, int]:
    """Methodist id → number of teachers in the caseload (C-5: at most 250 each)."""
    rows = await session.execute(select(Caseload.methodist_id, func.count()).group_by(Caseload.methodist_id))
    return {methodist_id: count for methodist_id, count in rows.all()}


async def methodist_of(session: AsyncSession, teacher_id: int) -> User | None:
    """The methodist who accompanies the teacher, if any."""
    return await session.scalar(
        select(User).join(Caseload, Caseload.methodist_id == User.id).where(Caseload.teacher_id == teacher_id)
    )


async def region_admins(session: AsyncSession, region_code: str | None) -> list[User]:
    """The admins of a region: who receives a teacher's hand-off when the teacher has no methodist."""
    if region_code is None:
        return []
    result = await session.scalars(
        select(User).where(User.role == Role.ADMIN, User.region_code == region_code).order_by(User.id)
    )
    return list(result)


async def region_staff(
    session: AsyncSession, region_code: str | None, municipality_id: int | None = None
) -> list[User]:
    """Methodists and admins of a region: those a teacher can be assigned to (of one municipality
    only, for a municipal admin's ``municipality_id``)."""
    query = select(User).where(User.role.in_(STAFF_ROLES), User.region_code == region_code)
    if municipality_id is not None:
        query = query.where(User.municipality_id == municipality_id)
    result = await session.scalars(query.order_by(User.full_name, User.id))
    return list(result)


async def find_teachers(
    session: AsyncSession,
    region_code: str | None,
    query: str,
    *,
    limit: int,
    municipality_id: int | None = None,
) -> list[tuple[User, User | None]]:
    """Teachers of a region whose name contains every word of ``query``, with their methodist.

    Matching is done in Python (``narrow``): SQLite folds the case of ASCII only. Only ids and
    names of the region are read for it, then the matches in one more query.
    """
    names = await session.execute(
        select(User.id, User.full_name).where(is_assignable_teacher(region_code, municipality_id))
    )
    ids = [key for key, _ in narrow([(key, name or "") for key, name in names.all()], query)][:limit]
    methodist = aliased(User)
    rows = await session.execute(
        select(User, methodist)
        .outerjoin(Caseload, Caseload.teacher_id == User.id)
        .outerjoin(methodist, methodist.id == Caseload.methodist_id)
        .where(User.id.in_(ids))
        .order_by(User.full_name, User.id)
    )
    return [(teacher, current) for teacher, current in rows.all()]


async def staff_member(session: AsyncSession, region_code: str | None, user_id: int) -> User | None:
    """A methodist or admin of the region: someone a teacher of it can be assigned to."""
    return await _of_region(session, region_code, user_id, STAFF_ROLES)


async def region_teacher(session: AsyncSession, region_code: str | None, user_id: int) -> User | None:
    """A teacher of the region (staff are put into a caseload only when they also teach)."""
    person = await _of_region(session, region_code, user_id, (Role.TEACHER, *STAFF_ROLES))
    return person if person is not None and counts_as_teacher(person.role, person.also_teacher) else None


async def _of_region(
    session: AsyncSession, region_code: str | None, user_id: int, roles: Sequence[str]
) -> User | None:
    person = await session.get(User, user_id)
    if person is None or person.region_code != region_code or person.role not in roles:
        return None
    return person


# --- the methodist's view: caseload-scoped getters ----------------------------------------------


def reachable(methodist_id: int) -> Select[Any]:
    """The ids of the teachers of the methodist's caseload the methodist may reach: all of them,
    except that municipal staff (``domain.roles.municipal_scope``: a municipal methodist or an ММС
    specialist with a municipality) reach only the teachers of their own municipality."""
    staff, teacher = aliased(User), aliased(User)
    return (
        select(Caseload.teacher_id)
        .join(staff, staff.id == Caseload.methodist_id)
        .join(teacher, teacher.id == Caseload.teacher_id)
        .where(
            Caseload.methodist_id == methodist_id,
            or_(
                staff.role.not_in(STAFF_ROLES),
                staff.staff_title.is_(None),
                staff.staff_title.not_in(sorted(MUNICIPAL_TITLES)),
                staff.municipality_id.is_(None),
                teacher.municipality_id == staff.municipality_id,
            ),
        )
    )


async def teacher_in_caseload(session: AsyncSession, methodist_id: int, teacher_id: int) -> User | None:
    """The teacher if they are in the methodist's caseload (and within a municipal methodist's
    municipality: ``reachable``)."""
    return await session.scalar(
        select(User).where(User.id == teacher_id, User.id.in_(reachable(methodist_id)))
    )


async def route_in_caseload(session: AsyncSession, methodist_id: int, route_id: int) -> Route | None:
    """A route (with its items) of one of the methodist's teachers."""
    return await session.scalar(
        select(Route)
        .where(Route.id == route_id, Route.user_id.in_(reachable(methodist_id)))
        .options(selectinload(Route.items))
    )


async def item_in_caseload(session: AsyncSession, methodist_id: int, item_id: int) -> RouteItem | None:
    """A route item (with its route) of one of the methodist's teachers."""
    return await session.scalar(
        select(RouteItem)
        .join(Route, Route.id == RouteItem.route_id)
        .where(RouteItem.id == item_id, Route.user_id.in_(reachable(methodist_id)))
        .options(selectinload(RouteItem.route))
    )


async def owner(session: AsyncSession, route: Route) -> User | None:
    """The teacher a route (of the caseload, read by the getters above) belongs to."""
    return await session.get(User, route.user_id)


async def record_official(session: AsyncSession, diagnosis: Diagnosis) -> Diagnosis:
    """Store an official ЦНППМ result (a diagnosis row of source «cnppm»); its id is set."""
    session.add(diagnosis)
    await session.flush()
    return diagnosis


async def teachers_of(
    session: AsyncSession,
    methodist_id: int,
    *,
    filter: str,
    page: int,
    page_size: int,
    today: date,
) -> tuple[list[User], int]:
    """One page of the caseload (by name) matching ``filter`` (see ``FILTERS``), and the total.

    ``no_diagnosis``: no finished self-diagnosis. ``no_route``: no ИОМ in any status.
    ``overdue``: a planned item past its date in a route not completed.
    ``young_unsupported``: young by their region's rule and not a mentee of an active pair.
    """
    if filter not in FILTERS:
        raise ValueError(f"unknown caseload filter {filter!r}")
    query = select(User).where(User.id.in_(reachable(methodist_id)))
    if filter == "no_diagnosis":
        query = query.where(~exists().where(*_done_self(User.id)))
    elif filter == "no_route":
        query = query.where(~exists().where(Route.user_id == User.id))
    elif filter == "overdue":
        query = query.where(
            exists().where(Route.user_id == User.id, RouteItem.route_id == Route.id, _overdue(today))
        )
    elif filter == "young_unsupported":
        young = await _young_ids(session, methodist_id, today)
        query = query.where(User.id.in_(young), ~exists().where(*_mentee_of_active_pair(User.id)))
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    result = await session.scalars(
        query.order_by(User.full_name, User.id).offset(max(page, 0) * page_size).limit(page_size)
    )
    return list(result), total


def _done_self(user_id: Any) -> tuple[Any, ...]:
    return (Diagnosis.user_id == user_id, Diagnosis.source == "self", Diagnosis.status == "done")


def _overdue(today: date) -> ColumnElement[bool]:
    """A RouteItem (joined to its Route) planned, past its date, in a route still running."""
    return and_(Route.status != "completed", RouteItem.status == "planned", RouteItem.due_on < today)


def _mentee_of_active_pair(user_id: Any) -> tuple[Any, ...]:
    return (MentorPair.mentee_id == user_id, MentorPair.status == "active")


async def _young_ids(session: AsyncSession, methodist_id: int, today: date) -> list[int]:
    """Young teachers of the caseload, each by the rule of their own region.

    Ages are computed by the domain rule rather than in SQL so there is one definition of
    «молодой педагог»; reading three columns of a caseload (≤250 rows by design) is cheap.
    """
    rows = (
        await session.execute(
            select(User.id, User.region_code, User.birth_date, User.work_start_year).where(
                User.id.in_(reachable(methodist_id))
            )
        )
    ).all()
    rules = await young_rules(session, {region for _, region, _, _ in rows})
    return [key for key, region, birth, start in rows if rules[region].applies(birth, start, today)]


async def young_rules(
    session: AsyncSession, region_codes: Iterable[str | None]
) -> dict[str | None, YoungTeacherRule]:
    """The young-teacher rule of each region (the defaults where a region is unknown)."""
    directory = DirectoryRepo(session)
    rules: dict[str | None, YoungTeacherRule] = {}
    for code in set(region_codes):
        settings = await directory.region_settings(code)
        rules[code] = (
            YoungTeacherRule(
                max_age=settings.thresholds.young_teacher_max_age,
                max_experience_years=settings.thresholds.young_teacher_max_experience_years,
            )
            if settings
            else YoungTeacherRule()
        )
    return rules


# --- the overview: a card, or every row of the export --------------------------------------------


@dataclass(frozen=True)
class TeacherOverview:
    """What a methodist needs to know about one teacher at a glance."""

    teacher: User  # region, municipality and school loaded
    young: bool
    self_diagnosis: Diagnosis | None  # the latest finished self-diagnosis
    official: Diagnosis | None  # the latest ЦНППМ result
    route: Route | None  # the newest ИОМ (items not loaded)
    items_done: int
    items_total: int
    items_overdue: int
    mentor: User | None  # of an active pair in which the teacher is the mentee


async def overview(
    session: AsyncSession, methodist_id: int, today: date, *, teacher_id: int | None = None
) -> list[TeacherOverview]:
    """The caseload (or one teacher of it) by name, in a fixed number of queries."""
    scope = reachable(methodist_id)
    if teacher_id is not None:
        scope = scope.where(Caseload.teacher_id == teacher_id)
    teachers = list(
        await session.scalars(
            select(User)
            .where(User.id.in_(scope))
            .options(selectinload(User.region), selectinload(User.municipality), selectinload(User.school))
            .order_by(User.full_name, User.id)
        )
    )
    self_diagnoses = await _latest_by_user(
        session, Diagnosis, scope, _done_self(Diagnosis.user_id), Diagnosis.id.desc()
    )
    # Official results may be entered out of order: the latest is the one of the latest date.
    official = await _latest_by_user(
        session,
        Diagnosis,
        scope,
        (Diagnosis.source == "cnppm", Diagnosis.status == "done"),
        Diagnosis.finished_at.desc(),
        Diagnosis.id.desc(),
    )
    routes = await _latest_by_user(session, Route, scope, (), Route.id.desc())
    counts = await _item_counts(session, [r.id for r in routes.values()], today)
    mentors = await _mentors(session, scope)
    rules = await young_rules(session, {t.region_code for t in teachers})
    views = []
    for teacher in teachers:
        route = routes.get(teacher.id)
        done, total, overdue = counts.get(route.id, (0, 0, 0)) if route else (0, 0, 0)
        views.append(
            TeacherOverview(
                teacher=teacher,
                young=rules[teacher.region_code].applies(teacher.birth_date, teacher.work_start_year, today),
                self_diagnosis=self_diagnoses.get(teacher.id),
                official=official.get(teacher.id),
                route=route,
                items_done=done,
                items_total=total,
                items_overdue=overdue,
                mentor=mentors.get(teacher.id),
            )
        )
    return views


_PerUser = TypeVar("_PerUser", Diagnosis, Route)


async def _latest_by_user(
    session: AsyncSession,
    model: type[_PerUser],
    scope: Select[Any],
    where: tuple[Any, ...],
    *order: Any,
) -> dict[int, _PerUser]:
    """The first row of ``model`` by ``order`` per user in ``scope`` meeting ``where``."""
    ranked = (
        select(model.id, func.row_number().over(partition_by=model.user_id, order_by=order).label("n"))
        .where(model.user_id.in_(scope), *where)
        .subquery()
    )
    rows = await session.scalars(select(model).join(ranked, ranked.c.id == model.id).where(ranked.c.n == 1))
    return {row.user_id: row for row in rows}


async def _item_counts(
    session: AsyncSession, route_ids: Sequence[int], today: date
) -> dict[int, tuple[int, int, int]]:
    """Route id → (items done, items in all, items overdue)."""
    if not route_ids:
        return {}
    rows = await session.execute(
        select(
            RouteItem.route_id,
            func.sum(case((RouteItem.status == "done", 1), else_=0)),
            func.count(),
            func.sum(case((_overdue(today), 1), else_=0)),
        )
        .join(Route, Route.id == RouteItem.route_id)
        .where(RouteItem.route_id.in_(route_ids))
        .group_by(RouteItem.route_id)
    )
    return {route_id: (int(done), int(total), int(overdue)) for route_id, done, total, overdue in rows.all()}


async def _mentors(session: AsyncSession, scope: Select[Any]) -> dict[int, User]:
    mentor = aliased(User)
    rows = await session.execute(
        select(MentorPair.mentee_id, mentor)
        .join(mentor, mentor.id == MentorPair.mentor_id)
        .where(MentorPair.mentee_id.in_(scope), MentorPair.status == "active")
        .order_by(MentorPair.id)
    )
    return {mentee_id: person for mentee_id, person in rows.all()}
