"""Monitoring indicators of the regional system (РС НМС), computed from per-person facts.

Pure: no database, no language. Texts (names, numerators, denominators, recommendations) are
locale keys ``ind-<key>-name|num|den`` and ``ind-rec-<key>``; ``storage.indicators`` loads the
facts, the handlers render them.

Sources: 000 = the federal Concept of ЕФС (§VI «Показатели эффективности», L1126-1162, with the
targets «к 2024 году»); 001 = the methodological recommendations to the regions (§4 and model
regulation §6.1, L111-118 / L407-413, no targets). See docs/reference/seed-notes-federal.md §7.

Population («педагогические работники и управленческие кадры»): consented users of the region
with a completed profile and the role *teacher* (methodists and admins are staff of the
system, not its subject). ``manager`` is by position (domain.profile.MANAGEMENT_POSITIONS).

The definitions, as data (``DEFINITIONS``):

R-1  (001) numerator: persons with ≥1 *finished ЦНППМ* diagnosis (``Diagnosis.source ==
     "cnppm"``, status done); denominator: the whole population. Self-diagnoses never count:
     the documents know diagnostics «в ЦНППМ» only, a self-diagnosis is a preliminary request.
R-2  (001) numerator: persons with an ИОМ built on a diagnosis (``Route.diagnosis_id`` set,
     any status); denominator: the whole population. The share built on a ЦНППМ diagnosis
     alone is given next to it as the operational figure ``route_cnppm``.
C-3/R-3 (000 ≥30%, 001) numerator: педагогические работники (population minus managers:
     the documents name «управленческие кадры» separately and C-3/R-3 speak of педагоги only)
     with ≥1 *done* course item of a ФР ДПП programme (``Program.federal_registry``) in a route
     built on a diagnosis, whose area was among that diagnosis' deficits («подобранные с учетом
     диагностики»); denominator: педагогические работники. A course not linked to a deficit,
     or from outside ФР ДПП, doesn't count.
C-4/R-4 (000 ≥40% of teams) a management team = the managers of one school (known from the
     directory; a typed-in school can't be grouped). Numerator: schools whose managers include
     one with a *done* course item (any programme: C-4 counts «участие в программах ПК»);
     denominator: schools with ≥1 manager. Count = the numerator.
C-5  (000 ≤250) teachers of the region in a methodist's caseload / methodists with a caseload
     in the region (the average); the maximum is shown with it. Meets the target only when
     *every* methodist has ≤ target teachers («закрепленных за 1 региональным методистом»).
     Region level only.
C-6/R-5 (000 ≥70%, 001) denominator: young педагогические работники by the region's rule
     (under 35 **and** in the first 3 years, domain.profile.YoungTeacherRule); numerator: those
     in ≥1 form of support: the mentee of an *active* mentor pair (any form), or an *approved*
     ИОМ (status active or completed) with a mentorship item — the methodist agreed a named
     form of support. Being in a methodist's caseload alone is not counted: every teacher is
     assigned one by rule, so it would say nothing.
R-6  (001) the region's programmes (``Program.region_code``) placed in ФР ДПП / all the
     region's programmes. Region level only.

Operational figures (product-defined, not official; ``FIGURES``): self-diagnoses done (persons),
ИОМ on a ЦНППМ diagnosis, median days from the first finished diagnosis (any source) to the
first ИОМ, ИОМ completion (persons with a completed ИОМ / persons with an ИОМ), internship
applications (active) and internships done (done route items), active mentor pairs (as
mentee), event participation (attended / said «Пойду»).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import median
from typing import Any

REGION, MUNICIPALITY, SCHOOL = "region", "municipality", "school"
LEVELS = (REGION, MUNICIPALITY, SCHOOL)


class Status(StrEnum):
    MEETS = "meets"
    BELOW = "below"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Definition:
    id: str  # as the documents number it
    key: str  # locale keys ind-<key>-name / -num / -den
    source: str  # the document and lines the wording comes from
    target: str | None = None  # the field of domain.region.Targets
    higher_is_better: bool = True
    ratio: bool = False  # C-5 is a number of teachers, not a percent
    levels: tuple[str, ...] = LEVELS


DEFINITIONS: tuple[Definition, ...] = (
    Definition("R-1", "r1", "001 §4 (L111-118; L407-413)"),
    Definition("R-2", "r2", "001 §4 (L111-118; L407-413)"),
    Definition("C-3/R-3", "c3", "000 §VI (L1144-1146); 001 §4", "c3_dpp_share"),
    Definition("C-4/R-4", "c4", "000 §VI (L1126-1162); 001 §4", "c4_management_teams_share"),
    Definition(
        "C-5",
        "c5",
        "000 §VI (L1156-1158)",
        "c5_teachers_per_methodist",
        higher_is_better=False,
        ratio=True,
        levels=(REGION,),
    ),
    Definition("C-6/R-5", "c6", "000 §VI (L1126-1162); 001 §4", "c6_young_supported_share"),
    Definition("R-6", "r6", "001 §4 (L111-118; L407-413)", levels=(REGION,)),
)
BY_KEY = {d.key: d for d in DEFINITIONS}

# Operational figures: key → whether it is a share (numerator/denominator) or a plain number.
FIGURES: tuple[tuple[str, bool], ...] = (
    ("self_diag", True),
    ("route_cnppm", True),
    ("days_to_route", False),
    ("route_done", True),
    ("internships_applied", False),
    ("internships_done", False),
    ("mentor_pairs", False),
    ("events", True),
)

# Route statuses in which the methodist has approved the ИОМ.
APPROVED_ROUTE_STATUSES = frozenset({"active", "completed"})


# --- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """What the indicators need to know about one person of the population."""

    user_id: int
    municipality_id: int | None
    school_id: int | None
    manager: bool = False
    young: bool = False
    cnppm_diagnosis: bool = False
    route_on_diagnosis: bool = False
    route_on_cnppm: bool = False  # operational
    fr_dpp_on_deficit: bool = False  # C-3
    course_done: bool = False  # C-4
    supported: bool = False  # C-6
    self_diagnosis: bool = False
    has_route: bool = False
    route_completed: bool = False
    days_to_route: int | None = None
    internships_applied: int = 0
    internships_done: int = 0
    active_pairs: int = 0
    events_going: int = 0
    events_attended: int = 0
    has_methodist: bool = True


@dataclass(frozen=True)
class MethodistLoad:
    methodist_id: int
    name: str | None
    teachers: int


@dataclass(frozen=True)
class RegionFacts:
    code: str
    people: tuple[PersonFacts, ...]
    municipalities: dict[int, str] = field(default_factory=dict)  # id → name
    schools: dict[int, tuple[int, str]] = field(default_factory=dict)  # id → (municipality id, name)
    methodists: tuple[MethodistLoad, ...] = ()
    programs_total: int = 0
    programs_federal: int = 0


def linked_to_deficit(area: str | None, deficits: Collection[str] | None) -> bool:
    """C-3: a course item counts only when the area it addresses was a deficit of the diagnosis
    its route was built on."""
    return bool(area) and area in (deficits or ())


def counts_for_c3(*, done: bool, federal: bool, area: str | None, deficits: Collection[str] | None) -> bool:
    return done and federal and linked_to_deficit(area, deficits)


def is_supported(*, active_mentee: bool, approved_mentorship_item: bool) -> bool:
    """C-6: a form of support the data can show (see the module docstring)."""
    return active_mentee or approved_mentorship_item


def days_between(first_diagnosis: Any, first_route: Any) -> int | None:
    """Whole days from the first finished diagnosis to the first ИОМ; None when either is
    missing or the route came first (it wasn't built on that diagnosis)."""
    if first_diagnosis is None or first_route is None or first_route < first_diagnosis:
        return None
    return int((first_route - first_diagnosis).total_seconds() // 86400)


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One indicator of one unit. ``value`` is a percent (C-5: the average number)."""

    numerator: int
    denominator: int
    value: float | None
    target: float | None
    status: Status
    maximum: int | None = None  # C-5: the largest caseload
    over: int = 0  # C-5: methodists above the target
    excess: int = 0  # C-5: teachers above the target in all

    @property
    def percent(self) -> float | None:
        return self.value


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int | None  # None: a plain number (or a median)
    value: float | None  # a percent for shares, the number otherwise


def share(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else 100 * numerator / denominator


def status_of(value: float | None, target: float | None, *, higher_is_better: bool = True) -> Status:
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    ok = value >= target if higher_is_better else value <= target
    return Status.MEETS if ok else Status.BELOW


def share_value(numerator: int, denominator: int, target: float | None) -> Value:
    value = share(numerator, denominator)
    return Value(numerator, denominator, value, target, status_of(value, target))


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


# --- units -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReport:
    level: str
    unit_id: int | str | None  # region code, municipality or school id; None: typed in, not in the directory
    name: str | None  # None: «не из справочника»
    municipality_id: int | None  # for schools
    people: int
    values: dict[str, Value]
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Recommendation:
    level: str
    unit_id: int | str | None
    name: str | None
    indicator: str  # a definition key
    code: str  # locale key ind-rec-<code>
    args: dict[str, int | float]
    municipality_id: int | None = None  # for schools


@dataclass(frozen=True)
class Report:
    region: UnitReport
    municipalities: tuple[UnitReport, ...]
    schools: tuple[UnitReport, ...]
    recommendations: tuple[Recommendation, ...]
    methodists: tuple[MethodistLoad, ...]

    def units(self, level: str) -> tuple[UnitReport, ...]:
        return {REGION: (self.region,), MUNICIPALITY: self.municipalities, SCHOOL: self.schools}[level]


def _targets_dict(targets: Any) -> dict[str, float | None]:
    if targets is None:
        return {}
    if isinstance(targets, dict):
        return targets
    return {d.target: getattr(targets, d.target, None) for d in DEFINITIONS if d.target}


def unit_values(
    people: list[PersonFacts],
    level: str,
    targets: dict[str, float | None],
    *,
    methodists: Iterable[MethodistLoad] = (),
    programs: tuple[int, int] = (0, 0),
) -> dict[str, Value]:
    def target(key: str) -> float | None:
        name = BY_KEY[key].target
        return targets.get(name) if name else None

    pedagogues = [p for p in people if not p.manager]
    young = [p for p in pedagogues if p.young]
    teams: dict[int, bool] = defaultdict(bool)
    for p in people:
        if p.manager and p.school_id is not None:
            teams[p.school_id] |= p.course_done
    values = {
        "r1": share_value(sum(p.cnppm_diagnosis for p in people), len(people), None),
        "r2": share_value(sum(p.route_on_diagnosis for p in people), len(people), None),
        "c3": share_value(sum(p.fr_dpp_on_deficit for p in pedagogues), len(pedagogues), target("c3")),
        "c4": share_value(sum(teams.values()), len(teams), target("c4")),
        "c6": share_value(sum(p.supported for p in young), len(young), target("c6")),
    }
    if level == REGION:
        values["c5"] = caseload_value(methodists, target("c5"))
        federal, total = programs
        values["r6"] = share_value(federal, total, None)
    return {d.key: values[d.key] for d in DEFINITIONS if d.key in values}


def unit_figures(people: list[PersonFacts]) -> dict[str, Figure]:
    with_route = [p for p in people if p.has_route]
    days = [p.days_to_route for p in people if p.days_to_route is not None]
    going = sum(p.events_going for p in people)

    def ratio(numerator: int, denominator: int) -> Figure:
        return Figure(numerator, denominator, share(numerator, denominator))

    return {
        "self_diag": ratio(sum(p.self_diagnosis for p in people), len(people)),
        "route_cnppm": ratio(sum(p.route_on_cnppm for p in people), len(people)),
        "days_to_route": Figure(len(days), None, float(median(days)) if days else None),
        "route_done": ratio(sum(p.route_completed for p in with_route), len(with_route)),
        "internships_applied": _count(sum(p.internships_applied for p in people)),
        "internships_done": _count(sum(p.internships_done for p in people)),
        "mentor_pairs": _count(sum(p.active_pairs for p in people)),
        "events": ratio(sum(p.events_attended for p in people), going),
    }


def _count(n: int) -> Figure:
    return Figure(n, None, float(n))


def compute(facts: RegionFacts, targets: Any) -> Report:
    """The report of a region: the region, each municipality and each school with people."""
    goals = _targets_dict(targets)
    people = list(facts.people)
    region = UnitReport(
        REGION,
        facts.code,
        None,
        None,
        len(people),
        unit_values(
            people,
            REGION,
            goals,
            methodists=facts.methodists,
            programs=(facts.programs_federal, facts.programs_total),
        ),
        unit_figures(people),
    )
    by_municipality: dict[int | None, list[PersonFacts]] = defaultdict(list)
    by_school: dict[tuple[int | None, int | None], list[PersonFacts]] = defaultdict(list)
    for p in people:
        by_municipality[p.municipality_id].append(p)
        by_school[(p.municipality_id, p.school_id)].append(p)

    def municipality_name(key: int | None) -> str | None:
        return facts.municipalities.get(key) if key is not None else None

    municipalities = tuple(
        UnitReport(
            MUNICIPALITY,
            key,
            municipality_name(key),
            key,
            len(group),
            unit_values(group, MUNICIPALITY, goals),
            unit_figures(group),
        )
        for key, group in sorted(by_municipality.items(), key=lambda kv: _sort_name(municipality_name(kv[0])))
    )

    def school_name(key: int | None) -> str | None:
        return facts.schools[key][1] if key is not None and key in facts.schools else None

    schools = tuple(
        UnitReport(
            SCHOOL,
            school,
            school_name(school),
            municipality,
            len(group),
            unit_values(group, SCHOOL, goals),
            unit_figures(group),
        )
        for (municipality, school), group in sorted(
            by_school.items(),
            key=lambda kv: (_sort_name(municipality_name(kv[0][0])), _sort_name(school_name(kv[0][1]))),
        )
    )
    recommendations = tuple(
        rec
        for unit in (region, *municipalities, *schools)
        for rec in recommend(unit, people_of(unit, people))
    )
    return Report(region, municipalities, schools, recommendations, facts.methodists)


def people_of(unit: UnitReport, people: list[PersonFacts]) -> list[PersonFacts]:
    if unit.level == REGION:
        return people
    if unit.level == MUNICIPALITY:
        return [p for p in people if p.municipality_id == unit.unit_id]
    return [p for p in people if p.municipality_id == unit.municipality_id and p.school_id == unit.unit_id]


def _sort_name(name: str | None) -> tuple[int, str]:
    return (1, "") if name is None else (0, name.casefold())


# --- «адресные рекомендации» -------------------------------------------------------------------

_Rule = Callable[[Value, list[PersonFacts]], dict[str, int | float]]


def _rec_c3(value: Value, people: list[PersonFacts]) -> dict[str, int | float]:
    return {
        "needed": needed(value),
        "num": value.numerator,
        "den": value.denominator,
        "target": _plain(value.target),
    }


def _rec_c4(value: Value, people: list[PersonFacts]) -> dict[str, int | float]:
    return {
        "needed": needed(value),
        "num": value.numerator,
        "den": value.denominator,
        "target": _plain(value.target),
    }


def _rec_c5(value: Value, people: list[PersonFacts]) -> dict[str, int | float]:
    target = int(value.target or 0)
    more = max(0, math.ceil(value.numerator / target) - value.denominator) if target else 0
    return {
        "over": value.over,
        "excess": value.excess,
        "target": target,
        "maximum": value.maximum or 0,
        "more": more,
    }


def _rec_c6(value: Value, people: list[PersonFacts]) -> dict[str, int | float]:
    return {
        "needed": needed(value),
        "unsupported": value.denominator - value.numerator,
        "den": value.denominator,
        "target": _plain(value.target),
    }


def _plain(number: float | None) -> int | float:
    """30.0 → 30: targets read as whole numbers in messages."""
    if number is None:
        return 0
    return int(number) if float(number).is_integer() else number


RULES: dict[str, _Rule] = {"c3": _rec_c3, "c4": _rec_c4, "c5": _rec_c5, "c6": _rec_c6}


def recommend(unit: UnitReport, people: list[PersonFacts]) -> list[Recommendation]:
    """For each indicator of ``unit`` below its target: what to do, with numbers."""
    found = []
    for key, rule in RULES.items():
        value = unit.values.get(key)
        if value is None or value.status != Status.BELOW:
            continue
        found.append(
            Recommendation(
                unit.level, unit.unit_id, unit.name, key, key, rule(value, people), unit.municipality_id
            )
        )
    return found


def below_target(unit: UnitReport) -> list[str]:
    """The keys of the indicators of ``unit`` that are below their targets."""
    return [key for key, value in unit.values.items() if value.status == Status.BELOW]
