"""Profile rules: validation of typed answers and the derived young-teacher flag."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.profile import (
    ProfileError,
    YoungTeacherRule,
    age_on,
    experience_years,
    latest_start_year,
    missing_steps,
    narrow,
    parse_birth_date,
    parse_custom_name,
    parse_date,
    parse_full_name,
    parse_work_start_year,
)

TODAY = date(2026, 11, 22)


def code_of(call, *args):
    with pytest.raises(ProfileError) as err:
        call(*args)
    return err.value.code


class TestFullName:
    def test_accepts_and_normalises_spaces(self) -> None:
        assert parse_full_name("  Иванова   Мария  Петровна ") == "Иванова Мария Петровна"

    def test_accepts_hyphen_and_apostrophe(self) -> None:
        assert parse_full_name("Петрова-Водкина Анна") == "Петрова-Водкина Анна"
        assert parse_full_name("O'Neil John") == "O'Neil John"

    @pytest.mark.parametrize("text", ["", "   ", None])
    def test_empty(self, text: str | None) -> None:
        assert code_of(parse_full_name, text) == "err-fio-empty"

    def test_over_200_characters(self) -> None:
        assert code_of(parse_full_name, "Иванова " + "а" * 200) == "err-fio-too-long"

    def test_exactly_200_characters_is_fine(self) -> None:
        name = "Иванова " + "а" * 192
        assert len(name) == 200
        assert parse_full_name(name) == name

    @pytest.mark.parametrize("text", ["Иванова 123", "<b>Иванова</b> Мария", "Иван_ов Пётр"])
    def test_only_letters(self, text: str) -> None:
        assert code_of(parse_full_name, text) == "err-fio-chars"

    def test_needs_two_words(self) -> None:
        assert code_of(parse_full_name, "Мария") == "err-fio-short"


class TestDates:
    @pytest.mark.parametrize("text", ["14.05.1992", "14/05/1992", "14-5-1992", " 14.05.1992 "])
    def test_formats(self, text: str) -> None:
        assert parse_date(text) == date(1992, 5, 14)

    @pytest.mark.parametrize("text", ["31.02.1990", "29.02.1991", "00.01.1990", "12.13.1990"])
    def test_impossible(self, text: str) -> None:
        assert code_of(parse_date, text) == "err-date-impossible"

    def test_leap_day_exists_in_leap_years(self) -> None:
        assert parse_date("29.02.1992") == date(1992, 2, 29)

    @pytest.mark.parametrize("text", ["1990-05-14", "вчера", "14.05.92", "", "14.05"])
    def test_bad_format(self, text: str) -> None:
        assert code_of(parse_date, text) == "err-date-format"

    def test_future_birth_date(self) -> None:
        assert code_of(parse_birth_date, "01.01.2030", TODAY) == "err-date-future"

    def test_age_bounds(self) -> None:
        assert parse_birth_date("22.11.2008", TODAY) == date(2008, 11, 22)  # 18 today
        assert code_of(parse_birth_date, "23.11.2008", TODAY) == "err-age-range"  # 18 tomorrow
        assert parse_birth_date("23.11.1945", TODAY) == date(1945, 11, 23)  # 80
        assert code_of(parse_birth_date, "22.11.1945", TODAY) == "err-age-range"  # 81 today


class TestWorkStart:
    def test_valid(self) -> None:
        assert parse_work_start_year("2019", date(1995, 1, 1), TODAY) == 2019

    @pytest.mark.parametrize("text", ["19", "двадцать", "2019г", "", "20 19"])
    def test_format(self, text: str) -> None:
        assert code_of(parse_work_start_year, text, None, TODAY) == "err-year-format"

    def test_future(self) -> None:
        assert code_of(parse_work_start_year, "2027", None, TODAY) == "err-year-future"

    def test_before_age_16(self) -> None:
        assert code_of(parse_work_start_year, "2010", date(1995, 6, 1), TODAY) == "err-year-too-young"
        assert parse_work_start_year("2011", date(1995, 6, 1), TODAY) == 2011

    def test_too_long_ago(self) -> None:
        assert code_of(parse_work_start_year, "1900", None, TODAY) == "err-year-too-old"


class TestYoungTeacher:
    rule = YoungTeacherRule(max_age=35, max_experience_years=3)

    def test_young_and_new(self) -> None:
        assert self.rule.applies(date(1998, 3, 1), 2024, TODAY)

    def test_turns_35_tomorrow_is_still_young(self) -> None:
        assert self.rule.applies(date(1991, 11, 23), 2024, TODAY)

    def test_35_today_is_not(self) -> None:
        assert not self.rule.applies(date(1991, 11, 22), 2024, TODAY)

    def test_fourth_year_of_work_is_not(self) -> None:
        # Started 1 Sept 2023: three full years on 1 Sept 2026.
        assert not self.rule.applies(date(1998, 3, 1), 2023, TODAY)
        assert self.rule.applies(date(1998, 3, 1), 2023, date(2026, 8, 31))

    def test_unknown_answers_are_not_young(self) -> None:
        assert not self.rule.applies(None, 2024, TODAY)
        assert not self.rule.applies(date(1998, 3, 1), None, TODAY)

    def test_region_thresholds_apply(self) -> None:
        assert YoungTeacherRule(max_age=30, max_experience_years=3).applies(date(1998, 3, 1), 2024, TODAY)
        assert not YoungTeacherRule(max_age=25, max_experience_years=3).applies(date(1998, 3, 1), 2024, TODAY)

    def test_leap_day_birthday(self) -> None:
        born = date(1992, 2, 29)
        assert age_on(born, date(2027, 2, 28)) == 34
        assert age_on(born, date(2027, 3, 1)) == 35

    def test_experience_counts_from_september(self) -> None:
        assert experience_years(2026, date(2026, 8, 1)) == 0
        assert experience_years(2025, date(2026, 8, 31)) == 0
        assert experience_years(2025, date(2026, 9, 1)) == 1

    @given(st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 1, 1)), st.dates())
    def test_age_never_negative_after_birth(self, birth: date, today: date) -> None:
        if today >= birth:
            assert age_on(birth, today) >= 0


class Profile:
    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)


def test_missing_steps_in_order() -> None:
    assert missing_steps(Profile())[0] == "full_name"
    done = Profile(
        full_name="И И",
        position="teacher",
        region_code="kostroma",
        municipality_id=None,
        municipality_custom="Свой",
        school_id=None,
        school_custom="Школа",
        subjects=["math"],
        birth_date=date(1990, 1, 1),
        work_start_year=2015,
        qualification="first",
    )
    assert missing_steps(done) == []
    done.subjects = []
    assert missing_steps(done) == ["subjects"]


def test_narrow_is_case_and_yo_insensitive() -> None:
    items = [(1, "Сусанинская СОШ"), (2, "Андреевская СОШ"), (3, "Гимназия № 3"), (4, "Лицей «Ёлочка»")]
    assert narrow(items, "сусан") == [(1, "Сусанинская СОШ")]
    assert narrow(items, "СОШ андр") == [(2, "Андреевская СОШ")]
    assert narrow(items, "елочка") == [(4, "Лицей «Ёлочка»")]
    assert narrow(items, "  ") == items
    assert narrow(items, "xyz") == []


def test_custom_name_limits() -> None:
    assert parse_custom_name(" МОУ  СОШ № 5 ") == "МОУ СОШ № 5"
    assert code_of(parse_custom_name, "") == "err-name-empty"
    assert code_of(parse_custom_name, "я" * 301) == "err-name-too-long"
    assert code_of(parse_custom_name, "1") == "err-name-letters"
    assert code_of(parse_custom_name, "№ 5?") == "err-name-letters"
    assert parse_custom_name("Лицей 2") == "Лицей 2"


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    start=st.integers(min_value=1950, max_value=2100),
    min_years=st.integers(min_value=0, max_value=50),
)
def test_latest_start_year_is_exactly_the_experience_bound(today: date, start: int, min_years: int) -> None:
    """What the database filters by (start year <= bound) is what the rule says (experience >= m)."""
    assert (experience_years(start, today) >= min_years) == (start <= latest_start_year(min_years, today))


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    start=st.integers(min_value=1950, max_value=2100),
)
def test_nobody_young_falls_outside_the_query_bounds(today: date, birth: date, start: int) -> None:
    rule = YoungTeacherRule()
    earliest_birth, earliest_start = rule.earliest(today)
    if rule.applies(birth, start, today):
        assert birth >= earliest_birth and start >= earliest_start


def test_municipal_staff_see_their_municipality_and_regional_staff_the_region() -> None:
    from domain.roles import municipal_scope

    assert municipal_scope("methodist", "municipal_methodist", 7) == 7
    assert municipal_scope("admin", "mms", 7) == 7
    assert municipal_scope("methodist", "regional_methodist", 7) is None
    assert municipal_scope("admin", "cnppm", 7) is None
    assert municipal_scope("teacher", "mms", 7) is None  # not staff: no scope at all
    assert municipal_scope("methodist", "municipal_methodist", None) is None
