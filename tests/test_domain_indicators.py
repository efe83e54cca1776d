"""The indicator registry on a small fixed population, by hand: every shipped indicator (the
federal C-*, the recommendations' R-*, Kuzbass's K4/K6, Petrovsk's six) with the document line its
wording comes from; reporting periods and the change against the previous one; official totals as
denominators against the bot's users."""

from __future__ import annotations

from datetime import date

import pytest

from domain.indicators import (
    MUNICIPALITY,
    REGION,
    Basis,
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
    Status,
    SupportForm,
    compute,
    supported,
)
from domain.region import IndicatorDef
from storage.regions_loader import SHIPPED_REGIONS_DIR, read_region_file

Y2025 = Period(PeriodKind.CALENDAR, 2025)
JOINED = date(2024, 1, 10)
YOUNG_A = {"birth_date": date(2000, 5, 1), "work_start_year": 2024}
YOUNG_B = {"birth_date": date(1999, 3, 1), "work_start_year": 2023}
YOUNG_F = {"birth_date": date(2001, 1, 1), "work_start_year": 2025}
SENIOR = {"birth_date": date(1980, 1, 1), "work_start_year": 2005}


def day(text: str) -> Span:
    return Span.day(date.fromisoformat(text))


def span(start: str, end: str | None) -> Span:
    return Span(date.fromisoformat(start), None if end is None else date.fromisoformat(end))


# Municipality 1 «Петровский» (schools 11, 12), municipality 2 «Другой» (school 21).
PEOPLE = (
    # A: young teacher; ЦНППМ diagnosis, an approved ИОМ on it, a ФР ДПП course for a deficit,
    # a mentor since February, a contest — all in 2025.
    PersonFacts(
        1,
        1,
        11,
        JOINED,
        **YOUNG_A,
        spans={
            Occ.CNPPM_DIAGNOSIS: (day("2025-03-01"),),
            Occ.ROUTE_ON_CNPPM: (span("2025-04-01", "2026-03-31"),),
            Occ.APPROVED_ROUTE: (span("2025-04-01", "2026-03-31"),),
            Occ.FR_DPP_ON_DEFICIT: (day("2025-06-01"),),
            Occ.COURSE_DONE: (day("2025-06-01"),),
            SupportForm.MENTORSHIP: (span("2025-02-01", None),),
            Occ.CONTEST: (day("2025-05-05"),),
        },
    ),
    # B: young teacher; an event and a course in 2024 only; a jury member in 2025.
    PersonFacts(
        2,
        1,
        11,
        JOINED,
        **YOUNG_B,
        spans={
            SupportForm.EVENTS: (day("2024-10-10"),),
            Occ.COURSE_DONE: (day("2024-11-01"),),
            Occ.ROLE: (day("2025-09-01"),),
        },
    ),
    # C: the head of school 11; a quality-management course in 2025; ЦНППМ and an ИОМ on it in 2024.
    PersonFacts(
        3,
        1,
        11,
        JOINED,
        manager=True,
        **SENIOR,
        spans={
            Occ.COURSE_DONE: (day("2025-02-02"),),
            Occ.QUALITY_COURSE_DONE: (day("2025-02-02"),),
            Occ.CNPPM_DIAGNOSIS: (day("2024-05-05"),),
            Occ.ROUTE_ON_CNPPM: (span("2024-06-01", "2024-12-31"),),
            Occ.APPROVED_ROUTE: (span("2024-06-01", "2024-12-31"),),
        },
    ),
    # D: senior teacher of school 12; an approved ИОМ (no ЦНППМ diagnosis) and an internship in 2025.
    PersonFacts(
        4,
        1,
        12,
        JOINED,
        **SENIOR,
        spans={Occ.APPROVED_ROUTE: (span("2025-01-15", None),), SupportForm.INTERNSHIP: (day("2025-10-10"),)},
    ),
    # E: the deputy head of school 12; a course in 2024 only.
    PersonFacts(5, 1, 12, JOINED, manager=True, **SENIOR, spans={Occ.COURSE_DONE: (day("2024-03-03"),)}),
    # F: young teacher of municipality 2, joined September 2025; a methodical association in
    # her approved ИОМ; a contest in 2024 (before she joined the bot: still a 2024 fact).
    PersonFacts(
        6,
        2,
        21,
        date(2025, 9, 10),
        **YOUNG_F,
        spans={
            SupportForm.ASSOCIATION: (span("2025-09-01", "2026-05-31"),),
            Occ.CONTEST: (day("2024-04-04"),),
        },
    ),
    # G: joined in 2026: not in the 2025 population.
    PersonFacts(7, 2, 21, date(2026, 1, 5), **SENIOR, spans={Occ.CNPPM_DIAGNOSIS: (day("2026-01-10"),)}),
)
SCHOOLS = (
    SchoolFacts(11, 1, {SchoolOcc.CONTEST: (day("2025-04-01"),), SchoolOcc.EXPERIENCE: (day("2025-11-11"),)}),
    SchoolFacts(12, 1, {SchoolOcc.EXPERIENCE: (day("2024-02-02"),)}),
    SchoolFacts(21, 2, {SchoolOcc.CONTEST: (day("2025-03-03"),)}),
)
FACTS = RegionFacts(
    "test",
    PEOPLE,
    municipalities={1: "Петровский муниципальный район", 2: "Другой"},
    schools={11: (1, "СОШ № 1"), 12: (1, "СОШ № 2"), 21: (2, "СОШ № 3")},
    school_facts=SCHOOLS,
    methodists=(MethodistLoad(1, "Региональный 1", 120), MethodistLoad(2, "Региональный 2", 300)),
    programmes=(ProgrammeCount("ГАУ ДПО «СОИРО»", 4, 3), ProgrammeCount("ЦНППМ", 2, 0)),
)


def registry() -> tuple[IndicatorDef, ...]:
    """The shipped registry: the defaults and Kuzbass's own, plus Petrovsk's six."""
    kuzbass = read_region_file(SHIPPED_REGIONS_DIR / "kuzbass.yaml").indicators
    saratov = read_region_file(SHIPPED_REGIONS_DIR / "saratov.yaml").indicators
    return (*kuzbass, *(i for i in saratov if i.id.startswith("P-")))


def report(facts: RegionFacts = FACTS, period: Period = Y2025) -> Report:
    return compute(facts, registry(), period)


def unit(r: Report, level: str, key: int | None = None):  # type: ignore[no-untyped-def]
    return r.region if level == REGION else next(u for u in r.units(level) if u.unit_id == key)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# id, the document's line, level (municipality id), numerator, denominator, % in 2025, status,
# % in 2024 (the previous period).
TABLE = [
    # 2025 population: A B C D E F (G joined in 2026); педагоги A B D F, управленцы C E.
    # ЦНППМ diagnosis in the period: A (C's was in 2024).
    ("R-1", "001:112", REGION, None, 1, 6, 16.7, Status.NO_TARGET, 20.0),
    # approved ИОМ on a ЦНППМ diagnosis in force in the period: A (C's ended in 2024).
    ("R-2", "001:113", REGION, None, 1, 6, 16.7, Status.NO_TARGET, 20.0),
    # C-3/R-3: a ФР ДПП course for a deficit, педагоги only: A → 1/4 < 30%.
    ("C-3/R-3", "000:1144-1146; 001:115", REGION, None, 1, 4, 25.0, Status.BELOW, 0.0),
    # C-4: management teams (schools with managers: 11 C, 12 E) that took part in ПК: 11 (C, 2025).
    ("C-4", "000:1148-1150", REGION, None, 1, 2, 50.0, Status.MEETS, 50.0),
    # on the quality-management topic: 11 (C).
    ("R-4", "001:116", REGION, None, 1, 2, 50.0, Status.NO_TARGET, 0.0),
    # C-6/R-5: young педагоги A B F; supported: A (mentor), F (РМО in the ИОМ); B's event was 2024.
    ("C-6/R-5", "000:1160-1162; 001:117", REGION, None, 2, 3, 66.7, Status.BELOW, 50.0),
    # K4: педагоги in the system of professional growth: A (ЦНППМ), D (ИОМ), F (support); not B.
    # In 2024 (A B D): B only (an event, a course).
    ("K4", "003:728-730", REGION, None, 3, 4, 75.0, Status.MEETS, 33.3),
    # K6 (нарастающим итогом): ever an approved ИОМ on ЦНППМ by the period's end: A, C.
    ("K6", "003:736-742", REGION, None, 2, 6, 33.3, Status.MEETS, 20.0),
    # Petrovsk, municipality 1 (A B C D E; schools 11 12):
    # P-1: КПК/ПП completed in 2025: A, C.
    ("P-1", "002:1879-1883", MUNICIPALITY, 1, 2, 5, 40.0, Status.NO_TARGET, 40.0),
    # P-2: young A B; supported A.
    ("P-2", "002:1885-1887", MUNICIPALITY, 1, 1, 2, 50.0, Status.NO_TARGET, 50.0),
    # P-3: contests (people): A.
    ("P-3", "002:1889-1893", MUNICIPALITY, 1, 1, 5, 20.0, Status.NO_TARGET, 0.0),
    # P-4: schools in contests: 11 of 11, 12.
    ("P-4", "002:1895-1897", MUNICIPALITY, 1, 1, 2, 50.0, Status.NO_TARGET, 0.0),
    # P-5: schools that presented опыт: 11 (12's was 2024).
    ("P-5", "002:1899-1901", MUNICIPALITY, 1, 1, 2, 50.0, Status.NO_TARGET, 50.0),
    # P-6: тьюторы, эксперты, члены жюри: B.
    ("P-6", "002:1903-1905", MUNICIPALITY, 1, 1, 5, 20.0, Status.NO_TARGET, 0.0),
    # Municipality 2 (F; school 21): P-2 F supported; P-3 F's contest was 2024; P-4 21's was 2025.
    # In 2024 nobody of it had joined: no people, but school 21 is known by its record (0 of 1).
    ("P-2", "002:1885-1887", MUNICIPALITY, 2, 1, 1, 100.0, Status.NO_TARGET, None),
    ("P-3", "002:1889-1893", MUNICIPALITY, 2, 0, 1, 0.0, Status.NO_TARGET, None),
    ("P-4", "002:1895-1897", MUNICIPALITY, 2, 1, 1, 100.0, Status.NO_TARGET, 0.0),
]


@pytest.mark.parametrize(("id_", "line", "level", "key", "num", "den", "pct", "status", "before"), TABLE)
def test_every_indicator_by_hand(
    id_: str,
    line: str,
    level: str,
    key: int | None,
    num: int,
    den: int,
    pct: float,
    status: Status,
    before: float | None,
) -> None:
    r = report()
    assert r.definition(id_).source == line
    value = unit(r, level, key).values[id_]
    assert (value.numerator, value.denominator, rounded(value.value), value.status) == (num, den, pct, status)
    assert value.basis == Basis.BOT
    assert rounded(value.previous) == before


def test_the_2024_population_is_who_had_joined_by_its_end() -> None:
    # 2024: A B C D E (F joined in September 2025, G in 2026); C-6: young A B, B's event → 1/2.
    r = report(period=Period(PeriodKind.CALENDAR, 2024))
    assert r.region.people == 5
    c6 = r.region.values["C-6/R-5"]
    assert (c6.numerator, c6.denominator, c6.value) == (1, 2, 50.0)
    # K6 (cumulative) by the end of 2024: C only of 5.
    assert (r.region.values["K6"].numerator, r.region.values["K6"].denominator) == (1, 5)


def test_c5_counts_regional_methodists_and_every_one_must_meet_the_target() -> None:
    c5 = report().region.values["C-5"]
    # (120 + 300) / 2 = 210 on average, but one has 300 > 250: 50 above the target.
    assert (c5.numerator, c5.denominator, c5.value, c5.maximum, c5.over, c5.excess, c5.status) == (
        420,
        2,
        210.0,
        300,
        1,
        50,
        Status.BELOW,
    )
    (rec,) = [r for r in report().recommendations if r.indicator == "C-5"]
    # ⌈420 / 250⌉ − 2 = 0 more methodists: redistributing is enough.
    assert rec.args == {"over": 1, "excess": 50, "target": 250, "maximum": 300, "more": 0}


def test_r6_is_per_organisation() -> None:
    r6 = report().region.values["R-6"]
    # Not one share over the region: the lowest organisation's is the value (no target in 001).
    assert (r6.value, r6.status) == (0.0, Status.NO_TARGET)
    assert [(p.name, p.numerator, p.denominator, p.value) for p in r6.parts] == [
        ("ГАУ ДПО «СОИРО»", 3, 4, 75.0),
        ("ЦНППМ", 0, 2, 0.0),
    ]
    assert report().definition("R-6").source == "001:118"


def test_levels_the_registry_names() -> None:
    r = report()
    assert "P-1" not in r.region.values and "P-1" in unit(r, MUNICIPALITY, 1).values
    assert "C-5" in r.region.values and "C-5" not in unit(r, MUNICIPALITY, 1).values
    school = next(u for u in r.schools if u.unit_id == 11)
    assert "C-4" not in school.values and "C-3/R-3" in school.values


def test_the_change_against_the_previous_period() -> None:
    c6 = report().region.values["C-6/R-5"]
    assert rounded(c6.change) == 16.7  # 66.7% in 2025 against 50% in 2024
    assert report().region.values["R-1"].change == pytest.approx(100 / 6 - 20)  # 1/6 against 1/5


def test_official_totals_are_the_denominators_when_loaded() -> None:
    official = {
        (2025, MUNICIPALITY, 1): OfficialCounts(
            teachers=40, managers=10, schools=5, management_teams=5, young_teachers=8
        ),
        (2025, REGION, "test"): OfficialCounts(teachers=200),  # managers unknown
    }
    r = report(RegionFacts(**{**FACTS.__dict__, "official": official}))
    petrovsky = unit(r, MUNICIPALITY, 1)
    expected = {
        "P-1": (2, 50, 4.0),
        "P-2": (1, 8, 12.5),
        "P-3": (1, 50, 2.0),
        "P-4": (1, 5, 20.0),
        "P-6": (1, 50, 2.0),
    }
    for id_, (num, den, pct) in expected.items():
        value = petrovsky.values[id_]
        assert (value.numerator, value.denominator, value.value, value.basis) == (
            num,
            den,
            pct,
            Basis.OFFICIAL,
        )
        assert value.previous is not None  # 2024 has no official totals: of the bot's users then
    # The region: педагоги are official (C-3: 1 of 200), ПР+УК not (managers unknown): bot users.
    c3, r1 = r.region.values["C-3/R-3"], r.region.values["R-1"]
    assert (c3.numerator, c3.denominator, c3.basis) == (1, 200, Basis.OFFICIAL)
    assert (r1.numerator, r1.denominator, r1.basis) == (1, 6, Basis.BOT)
    # Municipality 2 has no official totals: of the bot's users.
    assert unit(r, MUNICIPALITY, 2).values["P-2"].basis == Basis.BOT


def test_a_municipal_report_has_that_municipality_and_its_schools_only() -> None:
    r = compute(FACTS, registry(), Y2025, municipality=2)
    assert [u.unit_id for u in r.municipalities] == [2]
    assert {u.unit_id for u in r.schools} == {21}
    assert all(rec.level != REGION for rec in r.recommendations)
    empty = compute(FACTS, registry(), Y2025, municipality=99)  # nobody there yet
    assert [u.unit_id for u in empty.municipalities] == [99] and empty.municipalities[0].people == 0


def test_school_years() -> None:
    school = Period.containing(date(2026, 3, 1), PeriodKind.SCHOOL)
    assert (school.year, school.label, school.start, school.end) == (
        2025,
        "2025/26",
        date(2025, 9, 1),
        date(2026, 8, 31),
    )
    assert Period.containing(date(2026, 9, 1), PeriodKind.SCHOOL).label == "2026/27"
    assert school.previous().label == "2024/25"
    assert Period.containing(date(2026, 3, 1), PeriodKind.CALENDAR).label == "2026"
    # School year 2025/26: C-3 — A's course (June 2025) is in 2024/25, not in it.
    r = report(period=school)
    assert r.region.values["C-3/R-3"].numerator == 0
    assert report(period=Period(PeriodKind.SCHOOL, 2024)).region.values["C-3/R-3"].numerator == 1


def test_support_forms_are_the_regions_list() -> None:
    spans = {
        SupportForm.EVENTS: (day("2025-05-05"),),
        SupportForm.MENTORSHIP: (span("2024-01-01", "2024-06-30"),),
    }
    assert supported(spans, [SupportForm.EVENTS], date(2025, 1, 1), date(2025, 12, 31))
    assert not supported(spans, [SupportForm.MENTORSHIP], date(2025, 1, 1), date(2025, 12, 31))
    assert supported(spans, [SupportForm.MENTORSHIP], date(2024, 6, 30), date(2024, 6, 30))
    # C-6 with mentorship alone: A only of A B F.
    r = compute(FACTS, registry(), Y2025, support_forms=[SupportForm.MENTORSHIP])
    assert (r.region.values["C-6/R-5"].numerator, r.region.values["C-6/R-5"].denominator) == (1, 3)


def test_no_people_no_data() -> None:
    r = compute(RegionFacts("x", ()), registry(), Y2025)
    assert all(v.status == Status.NO_DATA for key, v in r.region.values.items() if key != "R-6")
    assert r.recommendations == ()
