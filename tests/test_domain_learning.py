"""Scoring, route drafting and internship matching: examples and properties (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.diagnosis import NOT_APPLICABLE, change, level_to_score, score
from domain.framework import AREA_CODES
from domain.internships import Site, has_free_seat, match_sites
from domain.route import (
    Catalogue,
    EventOption,
    ProgramOption,
    SiteOption,
    Teacher,
    add_months,
    draft_route,
    route_end,
    total_hours,
)
from storage.frameworks import Frameworks

FRAMEWORK = Frameworks().get("efs-2026")
STATEMENTS = [s.id for _, s in FRAMEWORK.statements_for(manager=True)]
TEACHER_AREAS = [a.code for a in FRAMEWORK.areas_for(manager=False)]
START = date(2026, 11, 22)

answers_st = st.fixed_dictionaries({sid: st.integers(min_value=0, max_value=4) for sid in STATEMENTS})


def test_level_scale_maps_to_0_100() -> None:
    assert [level_to_score(v) for v in (1, 2, 3, 4)] == [0, 33, 67, 100]


def test_example_scores_deficits_and_strengths() -> None:
    answers = {s.id: 4 for _, s in FRAMEWORK.statements_for(manager=False)}
    methodical = FRAMEWORK.area("methodical")
    assert methodical is not None
    for statement in methodical.statements:
        answers[statement.id] = 1
    result = score(FRAMEWORK, answers, manager=False, deficit_below=60, strength_from=80)
    assert result.deficits == ("methodical",)
    assert "subject" in result.strengths and "methodical" not in result.strengths
    assert "managerial" not in result.scores()


def test_all_not_applicable_is_not_assessed() -> None:
    answers = {sid: NOT_APPLICABLE for sid in STATEMENTS}
    result = score(FRAMEWORK, answers, manager=True, deficit_below=60, strength_from=80)
    assert all(v is None for v in result.scores().values())
    assert result.deficits == () and result.strengths == ()


def test_change_only_for_areas_scored_both_times() -> None:
    assert change({"a": 50, "b": None, "c": 70}, {"a": 40, "b": 10, "d": 5}) == {"a": 10}


@given(answers_st, st.sampled_from(STATEMENTS), st.integers(min_value=1, max_value=100))
def test_scoring_is_monotonic(answers: dict[str, int], raised: str, threshold: int) -> None:
    """Raising one answer never lowers any area's score and never adds a deficit."""
    before = score(FRAMEWORK, answers, manager=True, deficit_below=threshold, strength_from=80)
    if answers[raised] in (NOT_APPLICABLE, 4):
        return
    after_answers = {**answers, raised: answers[raised] + 1}
    after = score(FRAMEWORK, after_answers, manager=True, deficit_below=threshold, strength_from=80)
    for old, new in zip(before.areas, after.areas, strict=True):
        assert old.score is None or (new.score is not None and new.score >= old.score)
    assert set(after.deficits) <= set(before.deficits)


@given(answers_st)
def test_scores_are_within_0_100(answers: dict[str, int]) -> None:
    result = score(FRAMEWORK, answers, manager=True, deficit_below=60, strength_from=80)
    assert all(v is None or 0 <= v <= 100 for v in result.scores().values())


# --- route drafting ---

area_set = st.frozensets(st.sampled_from(AREA_CODES), min_size=1, max_size=3)
programs_st = st.lists(
    st.builds(
        ProgramOption,
        id=st.integers(1, 10_000),
        title=st.just("Курс"),
        hours=st.integers(8, 144),
        federal_registry=st.booleans(),
        areas=area_set,
        subjects=st.frozensets(st.sampled_from(["math", "physics", "russian"]), max_size=2),
    ),
    max_size=12,
    unique_by=lambda p: p.id,
)
sites_st = st.lists(
    st.builds(
        SiteOption,
        id=st.integers(1, 10_000),
        title=st.just("Площадка"),
        municipality_id=st.sampled_from([None, 1, 2, 3]),
        areas=area_set,
        subjects=st.frozensets(st.sampled_from(["math", "physics"]), max_size=2),
    ),
    max_size=8,
    unique_by=lambda s: s.id,
)
events_st = st.lists(
    st.builds(
        EventOption,
        id=st.integers(1, 10_000),
        title=st.just("Семинар"),
        day=st.dates(min_value=START - timedelta(days=30), max_value=START + timedelta(days=500)),
        areas=area_set,
    ),
    max_size=8,
    unique_by=lambda e: e.id,
)
deficits_st = st.lists(st.sampled_from(AREA_CODES), unique=True, max_size=6)
teacher_st = st.builds(
    Teacher,
    subjects=st.frozensets(st.sampled_from(["math", "physics", "russian"]), max_size=2),
    municipality_id=st.sampled_from([None, 1, 2]),
    young=st.booleans(),
)


@settings(max_examples=200)
@given(deficits_st, teacher_st, programs_st, sites_st, events_st, st.integers(1, 36))
def test_drafting_properties(deficits, teacher, programs, sites, events, months) -> None:
    catalogue = Catalogue(programs, sites, events)
    items = draft_route(deficits, teacher, catalogue, start=START, period_months=months)
    end = route_end(START, months)
    # every deficit covered
    assert set(deficits) <= {i.area for i in items}
    # no item twice
    refs = [i.ref for i in items]
    assert len(refs) == len(set(refs))
    # dates inside the route period
    assert all(START <= i.due <= end for i in items)
    # deterministic
    assert draft_route(deficits, teacher, catalogue, start=START, period_months=months) == items
    # every item says why
    assert all(i.reason.startswith("reason-") for i in items)
    # a mix of forms whenever there is a deficit
    if deficits:
        assert {"informal"} <= {i.form for i in items}
        assert {"nonformal"} <= {i.form for i in items}
    assert total_hours(items) == sum(i.hours for i in items)


def test_federal_registry_course_comes_first_and_mentorship_for_young() -> None:
    programs = [
        ProgramOption(1, "Региональный курс", 16, False, frozenset({"methodical"})),
        ProgramOption(2, "Курс ФР ДПП", 72, True, frozenset({"methodical"})),
    ]
    teacher = Teacher(frozenset({"math"}), 1, young=True)
    items = draft_route(["methodical"], teacher, Catalogue(programs), start=START, period_months=12)
    course = next(i for i in items if i.kind == "course")
    assert course.program_id == 2 and course.reason == "reason-course-registry"
    assert any(i.kind == "mentorship" for i in items)
    old = draft_route(
        ["methodical"],
        Teacher(frozenset(), 1, young=False),
        Catalogue(programs),
        start=START,
        period_months=12,
    )
    assert not any(i.kind == "mentorship" for i in old)


def test_near_internship_preferred() -> None:
    sites = [
        SiteOption(1, "Далеко", 5, frozenset({"subject"})),
        SiteOption(2, "Рядом", 1, frozenset({"subject"})),
    ]
    items = draft_route(
        ["subject"], Teacher(frozenset(), 1, False), Catalogue(sites=sites), start=START, period_months=6
    )
    internship = next(i for i in items if i.kind == "internship")
    assert internship.site_id == 2 and internship.reason == "reason-internship-near"


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 22), 12) == date(2027, 11, 22)


# --- internships ---


def test_matching_orders_by_deficits_then_subjects_then_place() -> None:
    today = date(2026, 11, 22)
    sites = [
        Site(1, frozenset({"subject"}), frozenset(), 9, date(2027, 5, 1)),
        Site(2, frozenset({"methodical"}), frozenset({"math"}), 9, date(2027, 5, 1)),
        Site(3, frozenset({"methodical"}), frozenset({"math"}), 1, date(2027, 5, 1)),
        Site(4, frozenset({"methodical"}), frozenset(), 1, date(2026, 1, 1)),  # already over
    ]
    matches = match_sites(
        sites, deficits=["methodical"], subjects=frozenset({"math"}), municipality_id=1, today=today
    )
    assert [m.site_id for m in matches] == [3, 2, 1]
    assert matches[0].reasons == (
        ("match-deficit", ("methodical",)),
        ("match-subject", ("math",)),
        ("match-near", ()),
    )
    only = match_sites(
        sites, deficits=[], subjects=frozenset(), municipality_id=1, today=today, area="subject"
    )
    assert [m.site_id for m in only] == [1]


def test_seats() -> None:
    assert has_free_seat(5, 4) and not has_free_seat(5, 5)
