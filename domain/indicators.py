"""Monitoring indicators of the regional system (РС НМС): a registry per region, over a fixed set of
counted facts, for a reporting period.

Pure: no database, no language. An indicator is data (``domain.region.IndicatorDef``, in the region
file; the federal C-* and the recommendations' R-* ship as defaults in
``storage/regions/defaults/indicators.yaml``): the document's exact wording, the source line, a
numerator and a denominator from :class:`Fact`, the unit levels, targets by year and whether it is
counted «нарастающим итогом». ``storage.indicators`` loads dated facts about people, schools,
regional methodists and programmes; :func:`compute` counts them for a period and for the period
before it.

The counted facts (what each one means, once):

People («педагогические работники и управленческие кадры»): consented users of the region with a
completed profile who teach (``User.teaches``; staff only when «Я тоже педагог»); a person is in the
population of a period when their profile was completed by its last day. ``manager`` is by position.
- ``teachers``: педагогические работники — the population minus управленческие кадры;
- ``managers``; ``teachers_and_managers``: both;
- ``young_teachers``: педагогические работники under the region's age **and** in the first years
  of work (``domain.profile.YoungTeacherRule``) on the period's last day;
- ``young_supported``: of those, in ≥1 form of support (:func:`supported`, the region's list);
- ``cnppm_diagnosed``: ПР+УК with a finished ЦНППМ diagnosis (``Diagnosis.source == "cnppm"``);
  self-diagnoses never count (a preliminary request);
- ``route_on_cnppm``: ПР+УК with an *approved* ИОМ built on a ЦНППМ diagnosis (the day it was
  approved);
- ``fr_dpp_on_deficit``: педагогические работники who completed a course item of an *approved* ИОМ
  on a programme in ФР ДПП whose area was a deficit of the diagnosis the route rests on
  («подобранные с учетом диагностики»);
- ``qualification_done``: ПР+УК who completed a course item (КПК / ПП) of an approved ИОМ;
- ``professional_growth``: педагогические работники taking part in the system of professional
  growth (Kuzbass K4; 003 does not define «охват»): a ЦНППМ diagnosis, an approved ИОМ, a completed
  course or a form of support in the period;
- ``contest_participants``: ПР+УК with a конкурс профессионального мастерства record (any level);
- ``tutors_experts_jurors``: ПР+УК recorded as тьютор, эксперт or член жюри (any level).
Schools (of the directory; a typed-in school cannot be counted):
- ``schools``: ОО with a person of the population or a record; ``management_teams``: ОО with ≥1
  manager (a management team = the managers of one school);
- ``teams_in_pk``: management teams one of whose members took part in a programme of повышение
  квалификации (a completed course item of an approved ИОМ: the evidence of participation);
- ``teams_quality_pk``: the same on a programme of the quality-management topic (R-4 «по вопросам
  эффективности управления качеством образования»: a programme of the region's configured areas);
- ``schools_in_contests`` / ``schools_presented_experience``: ОО with a school record of the kind.
Methodists (C-5, region level, the present state): ``teachers_in_caseloads`` per
``regional_methodists`` (only staff titled региональный методист).
Programmes (R-6, per organisation — «реализуемых организацией»): ``programmes_in_fr_dpp`` of
``programmes``, each provider of the region's catalogue on its own.

Denominators ``teachers``, ``managers``, ``teachers_and_managers``, ``schools``,
``management_teams`` and ``young_teachers`` are the official totals of the unit and year
(«данные официальной статистики», ``python -m bot import statistics``) when loaded, and bot users
otherwise; every value says which (:class:`Basis`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from statistics import median
from typing import Any, Protocol

from domain.profile import YoungTeacherRule

REGION, MUNICIPALITY, SCHOOL = "region", "municipality", "school"
LEVELS = (REGION, MUNICIPALITY, SCHOOL)


class Status(StrEnum):
    MEETS = "meets"
    BELOW = "below"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


class Basis(StrEnum):
    """What a share's denominator is: the official total or the bot's users."""

    OFFICIAL = "official"
    BOT = "bot"


class Fact(StrEnum):
    """A counted fact: an indicator's numerator and denominator are two of these."""

    TEACHERS = "teachers"
    MANAGERS = "managers"
    TEACHERS_AND_MANAGERS = "teachers_and_managers"
    YOUNG_TEACHERS = "young_teachers"
    YOUNG_SUPPORTED = "young_supported"
    CNPPM_DIAGNOSED = "cnppm_diagnosed"
    ROUTE_ON_CNPPM = "route_on_cnppm"
    FR_DPP_ON_DEFICIT = "fr_dpp_on_deficit"
    QUALIFICATION_DONE = "qualification_done"
    PROFESSIONAL_GROWTH = "professional_growth"
    CONTEST_PARTICIPANTS = "contest_participants"
    TUTORS_EXPERTS_JURORS = "tutors_experts_jurors"
    SCHOOLS = "schools"
    MANAGEMENT_TEAMS = "management_teams"
    TEAMS_IN_PK = "teams_in_pk"
    TEAMS_QUALITY_PK = "teams_quality_pk"
    SCHOOLS_IN_CONTESTS = "schools_in_contests"
    SCHOOLS_PRESENTED_EXPERIENCE = "schools_presented_experience"
    TEACHERS_IN_CASELOADS = "teachers_in_caseloads"
    REGIONAL_METHODISTS = "regional_methodists"
    PROGRAMMES = "programmes"
    PROGRAMMES_IN_FR_DPP = "programmes_in_fr_dpp"


class Subject(StrEnum):
    PERSON = "person"
    SCHOOL = "school"
    METHODIST = "methodist"
    PROGRAMME = "programme"


SUBJECT: dict[Fact, Subject] = {
    **{
        f: Subject.PERSON
        for f in (
            Fact.TEACHERS,
            Fact.MANAGERS,
            Fact.TEACHERS_AND_MANAGERS,
            Fact.YOUNG_TEACHERS,
            Fact.YOUNG_SUPPORTED,
            Fact.CNPPM_DIAGNOSED,
            Fact.ROUTE_ON_CNPPM,
            Fact.FR_DPP_ON_DEFICIT,
            Fact.QUALIFICATION_DONE,
            Fact.PROFESSIONAL_GROWTH,
            Fact.CONTEST_PARTICIPANTS,
            Fact.TUTORS_EXPERTS_JURORS,
        )
    },
    **{
        f: Subject.SCHOOL
        for f in (
            Fact.SCHOOLS,
            Fact.MANAGEMENT_TEAMS,
            Fact.TEAMS_IN_PK,
            Fact.TEAMS_QUALITY_PK,
            Fact.SCHOOLS_IN_CONTESTS,
            Fact.SCHOOLS_PRESENTED_EXPERIENCE,
        )
    },
    Fact.TEACHERS_IN_CASELOADS: Subject.METHODIST,
    Fact.REGIONAL_METHODISTS: Subject.METHODIST,
    Fact.PROGRAMMES: Subject.PROGRAMME,
    Fact.PROGRAMMES_IN_FR_DPP: Subject.PROGRAMME,
}
# Denominators the official statistics give, with the field of :class:`OfficialCounts`.
OFFICIAL: dict[Fact, tuple[str, ...]] = {
    Fact.TEACHERS: ("teachers",),
    Fact.MANAGERS: ("managers",),
    Fact.TEACHERS_AND_MANAGERS: ("teachers", "managers"),
    Fact.SCHOOLS: ("schools",),
    Fact.MANAGEMENT_TEAMS: ("management_teams",),
    Fact.YOUNG_TEACHERS: ("young_teachers",),
}
DENOMINATORS = frozenset(
    {*OFFICIAL, Fact.REGIONAL_METHODISTS, Fact.PROGRAMMES}
)  # what may stand under the line


class SupportForm(StrEnum):
    """A form of «поддержка и сопровождение» the data can show; the region lists which count."""

    MENTORSHIP = "mentorship"  # the mentee of a mentor pair
    ROUTE_SUPPORT_ITEM = "route_support_item"  # an approved ИОМ with a mentorship item
    INTERNSHIP = "internship"  # an internship applied for or done
    ASSOCIATION = "association"  # an approved ИОМ with a methodical association item (ШМО/РМО)
    EVENTS = "events"  # attended an event


ALL_SUPPORT_FORMS = tuple(SupportForm)


class Occ(StrEnum):
    """A dated occurrence about a person (besides the support forms)."""

    CNPPM_DIAGNOSIS = "cnppm_diagnosis"
    ROUTE_ON_CNPPM = "route_on_cnppm"
    APPROVED_ROUTE = "approved_route"
    FR_DPP_ON_DEFICIT = "fr_dpp_on_deficit"
    COURSE_DONE = "course_done"
    QUALITY_COURSE_DONE = "quality_course_done"
    CONTEST = "contest"
    ROLE = "role"


class SchoolOcc(StrEnum):
    CONTEST = "contest"
    EXPERIENCE = "experience"


# Route statuses in which the methodist has approved the ИОМ.
APPROVED_ROUTE_STATUSES = frozenset({"active", "completed"})
# Route item kinds that are a form of support when the ИОМ is approved.
SUPPORT_ITEM_KINDS = {"mentorship": SupportForm.ROUTE_SUPPORT_ITEM, "association": SupportForm.ASSOCIATION}


# --- periods -----------------------------------------------------------------------------------


class PeriodKind(StrEnum):
    CALENDAR = "calendar"  # 1 January – 31 December
    SCHOOL = "school"  # 1 September – 31 August


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period, named by the year it starts in (school year 2024 = 2024/25)."""

    kind: PeriodKind
    year: int

    @property
    def start(self) -> date:
        return date(self.year, 1, 1) if self.kind == PeriodKind.CALENDAR else date(self.year, 9, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31) if self.kind == PeriodKind.CALENDAR else date(self.year + 1, 8, 31)

    @property
    def label(self) -> str:
        return (
            str(self.year) if self.kind == PeriodKind.CALENDAR else f"{self.year}/{(self.year + 1) % 100:02d}"
        )

    def previous(self) -> Period:
        return Period(self.kind, self.year - 1)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        if kind == PeriodKind.SCHOOL and day.month < 9:
            return cls(kind, day.year - 1)
        return cls(kind, day.year)


# --- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """When something held: a day (``end == start``) or a stretch (``end`` None: still holds)."""

    start: date
    end: date | None = None

    @classmethod
    def day(cls, day: date) -> Span:
        return cls(day, day)

    def overlaps(self, start: date, end: date) -> bool:
        return self.start <= end and (self.end is None or self.end >= start)


Spans = Mapping[str, tuple[Span, ...]]


@dataclass(frozen=True)
class PersonFacts:
    """One person of the population with their dated occurrences (keys: :class:`Occ` and
    :class:`SupportForm` values) and the operational figures' current facts."""

    user_id: int
    municipality_id: int | None
    school_id: int | None
    joined: date  # the day their profile was completed
    manager: bool = False
    birth_date: date | None = None
    work_start_year: int | None = None
    spans: Spans = field(default_factory=dict)
    # Operational figures (the present state, product-defined).
    self_diagnosis: bool = False
    has_route: bool = False
    route_completed: bool = False
    days_to_route: int | None = None
    internships_applied: int = 0
    internships_done: int = 0
    active_pairs: int = 0
    events_going: int = 0
    events_attended: int = 0

    def has(self, key: str, start: date, end: date) -> bool:
        return any(s.overlaps(start, end) for s in self.spans.get(key, ()))


@dataclass(frozen=True)
class SchoolFacts:
    school_id: int
    municipality_id: int
    spans: Spans = field(default_factory=dict)  # keys: SchoolOcc


@dataclass(frozen=True)
class MethodistLoad:
    methodist_id: int
    name: str | None
    teachers: int


@dataclass(frozen=True)
class ProgrammeCount:
    """One organisation's programmes in the region's catalogue (R-6)."""

    organisation: str
    total: int
    federal: int


@dataclass(frozen=True)
class OfficialCounts:
    """The official statistics of one unit and year; None: not given."""

    teachers: int | None = None
    managers: int | None = None
    schools: int | None = None
    management_teams: int | None = None
    young_teachers: int | None = None

    def total(self, fact: Fact) -> int | None:
        fields = OFFICIAL.get(fact)
        if not fields:
            return None
        values = [getattr(self, name) for name in fields]
        return None if any(v is None for v in values) else sum(values)


UnitKey = tuple[str, int | str | None]  # (level, unit id)


@dataclass(frozen=True)
class RegionFacts:
    code: str
    people: tuple[PersonFacts, ...]
    municipalities: dict[int, str] = field(default_factory=dict)  # id → name
    schools: dict[int, tuple[int, str]] = field(default_factory=dict)  # id → (municipality id, name)
    school_facts: tuple[SchoolFacts, ...] = ()
    methodists: tuple[MethodistLoad, ...] = ()  # regional methodists only
    programmes: tuple[ProgrammeCount, ...] = ()
    # (year, level, unit id) → counts; the region's unit id is its code.
    official: Mapping[tuple[int, str, int | str], OfficialCounts] = field(default_factory=dict)


def linked_to_deficit(area: str | None, deficits: Collection[str] | None) -> bool:
    """C-3: a course item counts only when the area it addresses was a deficit of the diagnosis
    its route was built on."""
    return bool(area) and area in (deficits or ())


def counts_for_c3(*, done: bool, federal: bool, area: str | None, deficits: Collection[str] | None) -> bool:
    return done and federal and linked_to_deficit(area, deficits)


def supported(spans: Spans, forms: Iterable[str], start: date, end: date) -> bool:
    """In ≥1 of the region's forms of support between ``start`` and ``end`` — the one definition
    the indicator (C-6/R-5, Petrovsk 2), the methodist's digest and every screen use."""
    return any(s.overlaps(start, end) for form in forms for s in spans.get(form, ()))


def days_between(first_diagnosis: Any, first_route: Any) -> int | None:
    """Whole days from the first finished diagnosis to the first ИОМ; None when either is
    missing or the route came first (it wasn't built on that diagnosis)."""
    if first_diagnosis is None or first_route is None or first_route < first_diagnosis:
        return None
    return int((first_route - first_diagnosis).total_seconds() // 86400)


# --- the registry ------------------------------------------------------------------------------


class Definition(Protocol):
    """What :func:`compute` reads of an indicator (``domain.region.IndicatorDef``)."""

    @property
    def id(self) -> str: ...
    @property
    def wording(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def numerator(self) -> Fact: ...
    @property
    def denominator(self) -> Fact: ...
    @property
    def levels(self) -> tuple[str, ...]: ...
    @property
    def cumulative(self) -> bool: ...
    @property
    def higher_is_better(self) -> bool: ...

    def target_for(self, year: int) -> float | None: ...


def per_methodist(d: Definition) -> bool:
    return d.denominator == Fact.REGIONAL_METHODISTS


def per_organisation(d: Definition) -> bool:
    return d.denominator == Fact.PROGRAMMES


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """R-6: one organisation's share."""

    name: str
    numerator: int
    denominator: int
    value: float | None


@dataclass(frozen=True)
class Value:
    """One indicator of one unit for a period. ``value`` is a percent (C-5: the average number).
    ``previous`` is the value of the period before; ``change`` the difference (percentage points)."""

    numerator: int
    denominator: int
    value: float | None
    target: float | None
    status: Status
    basis: Basis = Basis.BOT
    previous: float | None = None
    maximum: int | None = None  # C-5: the largest caseload
    over: int = 0  # C-5: methodists above the target
    excess: int = 0  # C-5: teachers above the target in all
    parts: tuple[Part, ...] = ()  # per organisation

    @property
    def percent(self) -> float | None:
        return self.value

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int | None  # None: a plain number (or a median)
    value: float | None  # a percent for shares, the number otherwise


FIGURES: tuple[tuple[str, bool], ...] = (
    ("self_diag", True),
    ("days_to_route", False),
    ("route_done", True),
    ("internships_applied", False),
    ("internships_done", False),
    ("mentor_pairs", False),
    ("events", True),
)


def share(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else 100 * numerator / denominator


def status_of(value: float | None, target: float | None, *, higher_is_better: bool = True) -> Status:
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    ok = value >= target if higher_is_better else value <= target
    return Status.MEETS if ok else Status.BELOW


def caseload_value(loads: Iterable[MethodistLoad], target: float | None) -> Value:
    """C-5: the average (total / methodists); meets only if every methodist is within target."""
    counts = [m.teachers for m in loads if m.teachers > 0]
    total, methodists = sum(counts), len(counts)
    if not counts:
        return Value(0, 0, None, target, Status.NO_DATA)
    biggest = max(counts)
    over = [c for c in counts if target is not None and c > target]
    excess = sum(c - int(target) for c in over) if target is not None else 0
    return Value(
        total,
        methodists,
        total / methodists,
        target,
        status_of(biggest, target, higher_is_better=False),
        maximum=biggest,
        over=len(over),
        excess=excess,
    )


def needed(value: Value) -> int:
    """How many more in the numerator would bring a share up to its target."""
    if value.target is None or value.denominator == 0:
        return 0
    return max(0, math.ceil(value.target * value.denominator / 100 - value.numerator - 1e-9))


# --- counting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counter:
    """Counts facts of one unit's people and schools over a window of days."""

    people: Sequence[PersonFacts]
    schools: Sequence[SchoolFacts]
    start: date
    end: date  # the period's last day: the population and «young» are taken on it
    rule: YoungTeacherRule
    forms: tuple[str, ...]

    def _in(self, p: PersonFacts, key: str) -> bool:
        return p.has(key, self.start, self.end)

    def _young(self, p: PersonFacts) -> bool:
        return not p.manager and self.rule.applies(p.birth_date, p.work_start_year, self.end)

    def _supported(self, p: PersonFacts) -> bool:
        return supported(p.spans, self.forms, self.start, self.end)

    def members(self, fact: Fact) -> set[int]:
        people = [p for p in self.people if p.joined <= self.end]
        teachers = [p for p in people if not p.manager]
        person_rules: dict[Fact, Any] = {
            Fact.TEACHERS: (teachers, lambda p: True),
            Fact.MANAGERS: (people, lambda p: p.manager),
            Fact.TEACHERS_AND_MANAGERS: (people, lambda p: True),
            Fact.YOUNG_TEACHERS: (teachers, self._young),
            Fact.YOUNG_SUPPORTED: (teachers, lambda p: self._young(p) and self._supported(p)),
            Fact.CNPPM_DIAGNOSED: (people, lambda p: self._in(p, Occ.CNPPM_DIAGNOSIS)),
            Fact.ROUTE_ON_CNPPM: (people, lambda p: self._in(p, Occ.ROUTE_ON_CNPPM)),
            Fact.FR_DPP_ON_DEFICIT: (teachers, lambda p: self._in(p, Occ.FR_DPP_ON_DEFICIT)),
            Fact.QUALIFICATION_DONE: (people, lambda p: self._in(p, Occ.COURSE_DONE)),
            Fact.PROFESSIONAL_GROWTH: (
                teachers,
                lambda p: (
                    any(self._in(p, k) for k in (Occ.CNPPM_DIAGNOSIS, Occ.APPROVED_ROUTE, Occ.COURSE_DONE))
                    or self._supported(p)
                ),
            ),
            Fact.CONTEST_PARTICIPANTS: (people, lambda p: self._in(p, Occ.CONTEST)),
            Fact.TUTORS_EXPERTS_JURORS: (people, lambda p: self._in(p, Occ.ROLE)),
        }
        if fact in person_rules:
            group, test = person_rules[fact]
            return {p.user_id for p in group if test(p)}
        managers = [p for p in people if p.manager and p.school_id is not None]
        if fact == Fact.SCHOOLS:
            with_people = {p.school_id for p in people if p.school_id is not None}
            return with_people | {s.school_id for s in self.schools if s.spans}
        if fact == Fact.MANAGEMENT_TEAMS:
            return {p.school_id for p in managers if p.school_id is not None}
        if fact == Fact.TEAMS_IN_PK:
            return {p.school_id for p in managers if p.school_id is not None and self._in(p, Occ.COURSE_DONE)}
        if fact == Fact.TEAMS_QUALITY_PK:
            return {
                p.school_id
                for p in managers
                if p.school_id is not None and self._in(p, Occ.QUALITY_COURSE_DONE)
            }
        school_key = {
            Fact.SCHOOLS_IN_CONTESTS: SchoolOcc.CONTEST,
            Fact.SCHOOLS_PRESENTED_EXPERIENCE: SchoolOcc.EXPERIENCE,
        }.get(fact)
        if school_key is not None:
            return {
                s.school_id
                for s in self.schools
                if any(x.overlaps(self.start, self.end) for x in s.spans.get(school_key, ()))
            }
        raise ValueError(f"{fact} is not counted per unit")


# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReport:
    level: str
    unit_id: int | str | None  # region code, municipality or school id; None: typed in, not in the directory
    name: str | None  # None: «не из справочника»
    municipality_id: int | None  # for schools
    people: int
    values: dict[str, Value]  # indicator id → value
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Recommendation:
    level: str
    unit_id: int | str | None
    name: str | None
    indicator: str  # an indicator id
    code: str  # locale key ind-rec-<code>
    args: dict[str, int | float]
    municipality_id: int | None = None  # for schools


@dataclass(frozen=True)
class Report:
    period: Period
    definitions: tuple[Any, ...]  # the registry, in order (Definition)
    region: UnitReport
    municipalities: tuple[UnitReport, ...]
    schools: tuple[UnitReport, ...]
    recommendations: tuple[Recommendation, ...]
    methodists: tuple[MethodistLoad, ...]

    def units(self, level: str) -> tuple[UnitReport, ...]:
        return {REGION: (self.region,), MUNICIPALITY: self.municipalities, SCHOOL: self.schools}[level]

    def definition(self, indicator: str) -> Any:
        return next(d for d in self.definitions if d.id == indicator)


def _window(d: Definition, period: Period) -> tuple[date, date]:
    return (date.min if d.cumulative else period.start), period.end


def _share(
    d: Definition,
    counter_for: Any,
    official: OfficialCounts | None,
    period: Period,
) -> tuple[int, int, float | None, Basis]:
    counter: Counter = counter_for(*_window(d, period))
    numerator = counter.members(d.numerator)
    official_total = official.total(d.denominator) if official is not None else None
    if official_total is not None:
        return len(numerator), official_total, share(len(numerator), official_total), Basis.OFFICIAL
    denominator = counter.members(d.denominator)
    # A numerator outside the bot's denominator cannot be (the facts nest), but stay safe.
    denominator |= numerator
    return len(numerator), len(denominator), share(len(numerator), len(denominator)), Basis.BOT


def unit_values(
    definitions: Sequence[Any],
    level: str,
    period: Period,
    counters: Any,  # (period, start, end) → Counter
    official: Mapping[int, OfficialCounts],  # year → counts of this unit
    *,
    methodists: Iterable[MethodistLoad] = (),
    programmes: Sequence[ProgrammeCount] = (),
) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for d in definitions:
        if level not in d.levels:
            continue
        target = d.target_for(period.year)
        if per_methodist(d):
            values[d.id] = caseload_value(methodists, target)
            continue
        if per_organisation(d):
            parts = tuple(
                Part(p.organisation, p.federal, p.total, share(p.federal, p.total))
                for p in sorted(programmes, key=lambda p: p.organisation.casefold())
            )
            federal, total = sum(p.federal for p in programmes), sum(p.total for p in programmes)
            lowest = min((p.value for p in parts if p.value is not None), default=None)
            values[d.id] = Value(
                federal,
                total,
                lowest,
                target,
                status_of(lowest, target, higher_is_better=d.higher_is_better),
                parts=parts,
            )
            continue
        num, den, value, basis = _share(
            d, lambda s, e, p=period: counters(p, s, e), official.get(period.year), period
        )
        before = period.previous()
        _, _, previous, _ = _share(
            d, lambda s, e, p=before: counters(p, s, e), official.get(before.year), before
        )
        values[d.id] = Value(
            num,
            den,
            value,
            target,
            status_of(value, target, higher_is_better=d.higher_is_better),
            basis=basis,
            previous=previous,
        )
    return values


def unit_figures(people: list[PersonFacts]) -> dict[str, Figure]:
    with_route = [p for p in people if p.has_route]
    days = [p.days_to_route for p in people if p.days_to_route is not None]
    going = sum(p.events_going for p in people)

    def ratio(numerator: int, denominator: int) -> Figure:
        return Figure(numerator, denominator, share(numerator, denominator))

    return {
        "self_diag": ratio(sum(p.self_diagnosis for p in people), len(people)),
        "days_to_route": Figure(len(days), None, float(median(days)) if days else None),
        "route_done": ratio(sum(p.route_completed for p in with_route), len(with_route)),
        "internships_applied": _count(sum(p.internships_applied for p in people)),
        "internships_done": _count(sum(p.internships_done for p in people)),
        "mentor_pairs": _count(sum(p.active_pairs for p in people)),
        "events": ratio(sum(p.events_attended for p in people), going),
    }


def _count(n: int) -> Figure:
    return Figure(n, None, float(n))


def compute(
    facts: RegionFacts,
    definitions: Sequence[Any],
    period: Period,
    *,
    rule: YoungTeacherRule | None = None,
    support_forms: Iterable[str] = ALL_SUPPORT_FORMS,
    municipality: int | None = None,
) -> Report:
    """The report of a region for ``period``: the region, each municipality and each school with
    people (only ``municipality`` and its schools when given: a municipal admin's report)."""
    rule = rule or YoungTeacherRule()
    forms = tuple(str(f) for f in support_forms)
    people = list(facts.people)
    school_facts = list(facts.school_facts)
    official: dict[UnitKey, dict[int, OfficialCounts]] = defaultdict(dict)
    for (year, level, unit_id), counts in facts.official.items():
        official[(level, unit_id)][year] = counts

    def counters_for(group: list[PersonFacts], schools: list[SchoolFacts]) -> Any:
        def make(period_: Period, start: date, end: date) -> Counter:
            return Counter(group, schools, start, end, rule, forms)

        return make

    def unit(
        level: str,
        key: int | str | None,
        name: str | None,
        municipality_id: int | None,
        group: list[PersonFacts],
        schools: list[SchoolFacts],
    ) -> UnitReport:
        in_period = [p for p in group if p.joined <= period.end]
        return UnitReport(
            level,
            key,
            name,
            municipality_id,
            len(in_period),
            unit_values(
                definitions,
                level,
                period,
                counters_for(group, schools),
                official.get((level, key), {}) if key is not None else {},
                methodists=facts.methodists if level == REGION else (),
                programmes=facts.programmes if level == REGION else (),
            ),
            unit_figures(in_period),
        )

    by_municipality: dict[int | None, list[PersonFacts]] = defaultdict(list)
    by_school: dict[tuple[int | None, int | None], list[PersonFacts]] = defaultdict(list)
    for p in people:
        by_municipality[p.municipality_id].append(p)
        by_school[(p.municipality_id, p.school_id)].append(p)
    schools_by_municipality: dict[int, list[SchoolFacts]] = defaultdict(list)
    for s in school_facts:
        schools_by_municipality[s.municipality_id].append(s)
        by_municipality.setdefault(s.municipality_id, [])
        by_school.setdefault((s.municipality_id, s.school_id), [])
    school_by_id = {s.school_id: s for s in school_facts}
    # Units the bot has nobody of yet still report where official totals are loaded (and a
    # municipal admin's own municipality always does).
    for _, level, key in facts.official:
        if level == MUNICIPALITY and isinstance(key, int) and key in facts.municipalities:
            by_municipality.setdefault(key, [])
        if level == SCHOOL and isinstance(key, int) and key in facts.schools:
            by_school.setdefault((facts.schools[key][0], key), [])
            by_municipality.setdefault(facts.schools[key][0], [])
    if municipality is not None:
        by_municipality.setdefault(municipality, [])

    region = unit(REGION, facts.code, None, None, people, school_facts)

    def municipality_name(key: int | None) -> str | None:
        return facts.municipalities.get(key) if key is not None else None

    def school_name(key: int | None) -> str | None:
        return facts.schools[key][1] if key is not None and key in facts.schools else None

    municipalities = tuple(
        unit(
            MUNICIPALITY,
            key,
            municipality_name(key),
            key,
            group,
            schools_by_municipality.get(key, []) if key is not None else [],
        )
        for key, group in sorted(by_municipality.items(), key=lambda kv: _sort_name(municipality_name(kv[0])))
        if municipality is None or key == municipality
    )
    schools = tuple(
        unit(
            SCHOOL,
            school,
            school_name(school),
            mun,
            group,
            [school_by_id[school]] if school is not None and school in school_by_id else [],
        )
        for (mun, school), group in sorted(
            by_school.items(),
            key=lambda kv: (_sort_name(municipality_name(kv[0][0])), _sort_name(school_name(kv[0][1]))),
        )
        if municipality is None or mun == municipality
    )
    units = (*municipalities, *schools) if municipality is not None else (region, *municipalities, *schools)
    recommendations = tuple(rec for u in units for rec in recommend(u, definitions))
    return Report(
        period, tuple(definitions), region, municipalities, schools, recommendations, facts.methodists
    )


def _sort_name(name: str | None) -> tuple[int, str]:
    return (1, "") if name is None else (0, name.casefold())


# --- «адресные рекомендации» -------------------------------------------------------------------


def _plain(number: float | None) -> int | float:
    """30.0 → 30: targets read as whole numbers in messages."""
    if number is None:
        return 0
    return int(number) if float(number).is_integer() else number


def recommend(unit: UnitReport, definitions: Sequence[Any]) -> list[Recommendation]:
    """For each indicator of ``unit`` below its target: what to do, with numbers."""
    found = []
    for d in definitions:
        value = unit.values.get(d.id)
        if value is None or value.status != Status.BELOW:
            continue
        if per_methodist(d):
            target = int(value.target or 0)
            more = max(0, math.ceil(value.numerator / target) - value.denominator) if target else 0
            code = "caseload"
            args: dict[str, int | float] = {
                "over": value.over,
                "excess": value.excess,
                "target": target,
                "maximum": value.maximum or 0,
                "more": more,
            }
        elif per_organisation(d):
            code = "programmes"
            args = {"target": _plain(value.target)}
        else:
            code = "share"
            args = {
                "needed": needed(value),
                "num": value.numerator,
                "den": value.denominator,
                "target": _plain(value.target),
            }
        found.append(
            Recommendation(unit.level, unit.unit_id, unit.name, d.id, code, args, unit.municipality_id)
        )
    return found


def below_target(unit: UnitReport) -> list[str]:
    """The ids of the indicators of ``unit`` that are below their targets."""
    return [key for key, value in unit.values.items() if value.status == Status.BELOW]
