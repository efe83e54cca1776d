"""Records the municipal indicators count (002, indicators 3–6): a methodist enters a teacher's
contest, presented опыт or tutor/expert/jury role from the teacher's card, one question at a time —
kind → level → title → result or role → date — each answer checked, a bad one asked again. Staff
enter a school's contests and presented опыт for a school of their scope. ``python -m bot import
records`` brings many at once (``storage.records_import``).

A methodist reaches only the teachers of their caseload (a municipal one: of their municipality,
``storage.caseload.reachable``); staff reach only the schools of their region (municipal staff: of
their municipality). A stale or forged id or button is ``Stale`` and changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from domain.profile import ProfileError
from domain.record_entry import (
    LEVELS,
    PERSON_KINDS,
    SCHOOL_KINDS,
    Step,
    allowed,
    next_step,
    parse_day,
    parse_title,
    results_for,
)
from domain.records import RecordSource
from domain.roles import STAFF_ROLES, Role, municipal_scope
from services import catalogues
from services.regions import RegionRules
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from services.workspace import today
from storage import caseload, records_import
from storage.audit import audit
from storage.importers import ImportFileError
from storage.models import Municipality, ProfessionalRecord, School, User
from storage.records import RecordRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Draft:
    """A record being entered: what is known so far ("" while not asked)."""

    kind: str = ""
    level: str = ""
    title: str = ""
    result: str = ""

    @property
    def step(self) -> Step:
        return next_step(self.kind, self.level, self.title, self.result)

    def to_data(self) -> dict[str, str]:
        return {"kind": self.kind, "level": self.level, "title": self.title, "result": self.result}

    def choices(self, kinds: Iterable[str]) -> tuple[str, ...]:
        """What a button step offers: ``kinds`` (a person's or a school's), the levels, the results
        of the kind; nothing for a typed step."""
        if self.step == Step.KIND:
            return tuple(kinds)
        if self.step == Step.LEVEL:
            return LEVELS
        if self.step == Step.RESULT:
            return results_for(self.kind)
        return ()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Draft:
        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        return cls(text("kind"), text("level"), text("title"), text("result"))


@dataclass(frozen=True, slots=True)
class Asked:
    """The next question of a teacher's record: ``draft.step``, with the choices a button step offers."""

    teacher: User
    draft: Draft

    @property
    def step(self) -> Step:
        return self.draft.step

    @property
    def choices(self) -> tuple[str, ...]:
        return self.draft.choices(PERSON_KINDS)


@dataclass(frozen=True, slots=True)
class Saved:
    teacher: User
    record: ProfessionalRecord


@dataclass(frozen=True, slots=True)
class SchoolSaved:
    school: School
    record: ProfessionalRecord


async def _teacher(uow: UnitOfWork, methodist: User, teacher_id: int) -> User | None:
    return await caseload.teacher_in_caseload(uow.session, methodist.id, teacher_id)


async def start(uow: UnitOfWork, methodist: User, teacher_id: int) -> Asked | Stale:
    """A new record of a teacher of the caseload: its kind is asked."""
    teacher = await _teacher(uow, methodist, teacher_id)
    return STALE if teacher is None else Asked(teacher, Draft())


async def question(uow: UnitOfWork, methodist: User, teacher_id: int, draft: Draft) -> Asked | Stale:
    """The question under way, to ask it again."""
    teacher = await _teacher(uow, methodist, teacher_id)
    return STALE if teacher is None else Asked(teacher, draft)


async def choose(
    uow: UnitOfWork, methodist: User, teacher_id: int, draft: Draft, step: str, value: str
) -> Asked | Stale:
    """A button's answer (kind, level, result or role): only the question being asked, with one of
    its choices, is taken; an older message's button or a forged value is stale."""
    teacher = await _teacher(uow, methodist, teacher_id)
    if (
        teacher is None
        or step != draft.step
        or not allowed(draft.step, value, tuple(PERSON_KINDS), draft.kind)
    ):
        return STALE
    return Asked(teacher, replace(draft, **{draft.step.value: value}))


async def give_title(
    uow: UnitOfWork, methodist: User, teacher_id: int, draft: Draft, text: str | None
) -> Asked | Invalid | Stale:
    teacher = await _teacher(uow, methodist, teacher_id)
    if teacher is None or draft.step != Step.TITLE:
        return STALE
    try:
        title = parse_title(text)
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    return Asked(teacher, replace(draft, title=title))


async def give_date(
    uow: UnitOfWork, methodist: User, rules: RegionRules, teacher_id: int, draft: Draft, text: str | None
) -> Saved | Invalid | Stale:
    """The date: the record is written (audited)."""
    teacher = await _teacher(uow, methodist, teacher_id)
    region = teacher.region_code or methodist.region_code if teacher is not None else None
    if teacher is None or region is None or draft.step != Step.DATE:
        return STALE
    try:
        day = parse_day(text, today(uow, rules))
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    record = await RecordRepo(uow.session).add(
        ProfessionalRecord(
            region_code=region,
            kind=draft.kind,
            user_id=teacher.id,
            level=draft.level,
            title=draft.title,
            result=draft.result or None,
            happened_on=day,
            source=RecordSource.MANUAL,
            entered_by=methodist.id,
        )
    )
    await audit(
        uow.session, methodist.id, "record.add", target_type="user", target_id=teacher.id, kind=draft.kind
    )
    await uow.commit()
    log.info(
        "record added", extra={"user_id": methodist.id, "teacher_id": teacher.id, "record_id": record.id}
    )
    return Saved(teacher, record)


async def of_teacher(uow: UnitOfWork, teacher_id: int) -> Sequence[ProfessionalRecord]:
    """A person's latest records (the card and /profile show them)."""
    return await RecordRepo(uow.session).of_user(teacher_id)


# --- a school's records -------------------------------------------------------------------------

PLACES_SHOWN = 90  # municipalities or schools listed with a button each


@dataclass(frozen=True, slots=True)
class Places:
    """The municipalities whose schools the speaker may enter records for (one, for municipal staff)."""

    places: Sequence[Municipality]


@dataclass(frozen=True, slots=True)
class Schools:
    municipality: Municipality
    schools: Sequence[School]


@dataclass(frozen=True, slots=True)
class SchoolCard:
    """A school with its latest records."""

    school: School
    municipality: Municipality
    records: Sequence[ProfessionalRecord]


@dataclass(frozen=True, slots=True)
class SchoolAsked:
    """The next question of a school's record (``draft.step``) and the choices a button step offers."""

    school: School
    draft: Draft

    @property
    def step(self) -> Step:
        return self.draft.step

    @property
    def choices(self) -> tuple[str, ...]:
        return self.draft.choices(SCHOOL_KINDS)


def _staff_scope(person: User, role: Role) -> tuple[bool, int | None]:
    """Whether ``role`` may enter school records, and the one municipality it is limited to."""
    return role in STAFF_ROLES, municipal_scope(role, person.staff_title, person.municipality_id)


async def _school(
    uow: UnitOfWork, person: User, role: Role, school_id: int
) -> tuple[School, Municipality] | None:
    """A school of the speaker's region (of their municipality, for municipal staff)."""
    found = await caseload.region_school(uow.session, person.region_code, school_id)
    if found is None:
        return None
    scope = _staff_scope(person, role)[1]
    return None if scope is not None and found[1].id != scope else found


async def school_places(uow: UnitOfWork, person: User, role: Role) -> Places | Denied:
    staff, scope = _staff_scope(person, role)
    if not staff:
        return DENIED
    places = await caseload.region_municipalities(uow.session, person.region_code, scope)
    return Places(places[:PLACES_SHOWN])


async def school_list(
    uow: UnitOfWork, person: User, role: Role, municipality_id: int
) -> Schools | Stale | Denied:
    staff, scope = _staff_scope(person, role)
    if not staff:
        return DENIED
    place = await caseload.region_municipality(uow.session, person.region_code, municipality_id)
    if place is None or (scope is not None and place.id != scope):
        return STALE
    schools = await caseload.municipality_schools(uow.session, place.id)
    return Schools(place, schools[:PLACES_SHOWN])


async def school_card(
    uow: UnitOfWork, person: User, role: Role, school_id: int
) -> SchoolCard | Stale | Denied:
    if not _staff_scope(person, role)[0]:
        return DENIED
    found = await _school(uow, person, role, school_id)
    if found is None:
        return STALE
    return SchoolCard(found[0], found[1], await RecordRepo(uow.session).of_school(school_id))


async def school_question(
    uow: UnitOfWork, person: User, role: Role, school_id: int, draft: Draft
) -> SchoolAsked | Stale | Denied:
    """The question under way of a school's record (a new one with an empty ``draft``)."""
    if not _staff_scope(person, role)[0]:
        return DENIED
    found = await _school(uow, person, role, school_id)
    return STALE if found is None else SchoolAsked(found[0], draft)


async def school_choose(
    uow: UnitOfWork, person: User, role: Role, school_id: int, draft: Draft, step: str, value: str
) -> SchoolAsked | Stale | Denied:
    asked = await school_question(uow, person, role, school_id, draft)
    if not isinstance(asked, SchoolAsked):
        return asked
    if step != draft.step or not allowed(draft.step, value, tuple(SCHOOL_KINDS), draft.kind):
        return STALE
    return SchoolAsked(asked.school, replace(draft, **{draft.step.value: value}))


async def school_title(
    uow: UnitOfWork, person: User, role: Role, school_id: int, draft: Draft, text: str | None
) -> SchoolAsked | Invalid | Stale | Denied:
    asked = await school_question(uow, person, role, school_id, draft)
    if not isinstance(asked, SchoolAsked):
        return asked
    if draft.step != Step.TITLE:
        return STALE
    try:
        title = parse_title(text)
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    return SchoolAsked(asked.school, replace(draft, title=title))


async def add_for_school(
    uow: UnitOfWork,
    person: User,
    role: Role,
    rules: RegionRules,
    school_id: int,
    draft: Draft,
    text: str | None,
) -> SchoolSaved | Invalid | Stale | Denied:
    """A school's contest or presented опыт (a complete ``draft`` and the date typed), by a methodist
    or an admin, for a school of their region — of their municipality, for municipal staff."""
    if role not in STAFF_ROLES:
        return DENIED
    found = await _school(uow, person, role, school_id)
    if found is None:
        return STALE
    school, municipality = found
    if (
        draft.kind not in SCHOOL_KINDS
        or draft.step != Step.DATE
        or not allowed(Step.LEVEL, draft.level, (), draft.kind)
        or (draft.result and not allowed(Step.RESULT, draft.result, (), draft.kind))
    ):
        return STALE
    try:
        title = parse_title(draft.title)
        day = parse_day(text, today(uow, rules))
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))
    record = await RecordRepo(uow.session).add(
        ProfessionalRecord(
            region_code=municipality.region_code,
            kind=draft.kind,
            school_id=school.id,
            level=draft.level,
            title=title,
            result=draft.result or None,
            happened_on=day,
            source=RecordSource.MANUAL,
            entered_by=person.id,
        )
    )
    await audit(
        uow.session, person.id, "record.add", target_type="school", target_id=school.id, kind=draft.kind
    )
    await uow.commit()
    return SchoolSaved(school, record)


# --- import -------------------------------------------------------------------------------------


async def import_file(
    uow: UnitOfWork, region_code: str, filename: str, content: bytes
) -> catalogues.Imported | catalogues.Rejected:
    """``python -m bot import records``: every row checked, then all written (committed, audited) —
    or nothing, with the errors row by row (``storage.records_import``)."""
    try:
        report = await records_import.import_records(
            uow.session, region_code, filename, content, today=uow.now().date()
        )
    except ImportFileError as err:
        await uow.release()
        return catalogues.Rejected(err)
    if not report.applied:
        await uow.release()
        return catalogues.Imported(report)
    await audit(
        uow.session, None, "catalogue.import", kind=records_import.KIND, created=report.created, source="cli"
    )
    await uow.commit()
    return catalogues.Imported(report)
