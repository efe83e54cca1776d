"""Teacher and staff profiles: the finite choices, validation of typed answers, derived facts,
and which questions a profile still lacks (a teacher's, or a methodist's or admin's staff profile,
with the teacher's questions after it for staff who also teach).

Validation functions return the parsed value or raise :class:`ProfileError` whose ``code`` is a
message key in ``locales/`` — the domain never speaks a language itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.roles import MUNICIPAL_TITLES, counts_as_teacher, is_staff


class Position(StrEnum):
    TEACHER = "teacher"
    HEAD = "head"
    DEPUTY_HEAD = "deputy"
    UNIT_HEAD = "unit_head"
    ADDITIONAL_ED = "addl_ed"
    OTHER = "other"


# Управленческие кадры: the positions that take the management part of the framework.
MANAGEMENT_POSITIONS = frozenset({Position.HEAD, Position.DEPUTY_HEAD, Position.UNIT_HEAD})


class Qualification(StrEnum):
    NONE = "none"
    CONFORMITY = "conformity"  # соответствие занимаемой должности
    FIRST = "first"
    HIGHEST = "highest"
    METHODIST = "methodist"  # педагог-методист (since 2023)
    MENTOR = "mentor"  # педагог-наставник (since 2023)


SUBJECTS: tuple[str, ...] = (
    "primary",
    "russian",
    "literature",
    "native",
    "foreign",
    "math",
    "informatics",
    "physics",
    "chemistry",
    "biology",
    "geography",
    "history",
    "social",
    "arts",
    "music",
    "technology",
    "pe",
    "obzr",
    "preschool",
    "addl",
    "other",
)

FULL_NAME_MAX = 200
CUSTOM_NAME_MAX = 300
ORGANISATION_MAX = 300
MIN_AGE, MAX_AGE = 18, 80
MIN_WORK_AGE = 16
# Only the year pedagogical work began is asked; experience counts from the start of that
# school year (1 September), which is when almost every teacher starts.
SCHOOL_YEAR_START = (9, 1)

_DATE = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
_SPACES = re.compile(r"\s+")
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]*)*$")


class ProfileError(ValueError):
    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


def clean_text(text: str | None, *, max_len: int, error_prefix: str) -> str:
    value = _SPACES.sub(" ", text or "").strip()
    if not value:
        raise ProfileError(f"{error_prefix}-empty")
    if len(value) > max_len:
        raise ProfileError(f"{error_prefix}-too-long", max=max_len, length=len(value))
    return value


def parse_full_name(text: str | None) -> str:
    value = clean_text(text, max_len=FULL_NAME_MAX, error_prefix="err-fio")
    if not _NAME_CHARS.match(value):
        raise ProfileError("err-fio-chars")
    if len(value.split(" ")) < 2:
        raise ProfileError("err-fio-short")
    return value


def parse_custom_name(text: str | None) -> str:
    """A school or municipality typed by the user when it is not in the directory: a name, so at
    least two letters («1» or «??» would reach the methodist's lists and reports as a school)."""
    value = clean_text(text, max_len=CUSTOM_NAME_MAX, error_prefix="err-name")
    if sum(1 for char in value if char.isalpha()) < 2:
        raise ProfileError("err-name-letters")
    return value


def parse_organisation(text: str | None) -> str:
    """A staff member's organisation, typed (ЦНППМ, ИРО, a municipal methodical service, a
    school): a name, so at least two letters."""
    value = clean_text(text, max_len=ORGANISATION_MAX, error_prefix="err-organisation")
    if sum(1 for char in value if char.isalpha()) < 2:
        raise ProfileError("err-organisation-letters")
    return value


def parse_date(text: str | None) -> date:
    match = _DATE.match(text or "")
    if not match:
        raise ProfileError("err-date-format")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ProfileError("err-date-impossible") from None


def age_on(birth: date, today: date) -> int:
    """Full years of age; a person born on 29 February turns a year older on 1 March."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def parse_birth_date(text: str | None, today: date) -> date:
    birth = parse_date(text)
    if birth > today:
        raise ProfileError("err-date-future")
    age = age_on(birth, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ProfileError("err-age-range", min=MIN_AGE, max=MAX_AGE, age=age)
    return birth


def parse_work_start_year(text: str | None, birth: date | None, today: date) -> int:
    value = (text or "").strip()
    if not re.fullmatch(r"\d{4}", value):
        raise ProfileError("err-year-format")
    year = int(value)
    if year > today.year:
        raise ProfileError("err-year-future")
    if birth is not None and year - birth.year < MIN_WORK_AGE:
        raise ProfileError("err-year-too-young", min=MIN_WORK_AGE, earliest=birth.year + MIN_WORK_AGE)
    if year < today.year - (MAX_AGE - MIN_WORK_AGE):
        raise ProfileError("err-year-too-old")
    return year


def experience_years(work_start_year: int, today: date) -> int:
    """Full years of pedagogical work, counted from 1 September of the starting year."""
    month, day = SCHOOL_YEAR_START
    start = date(work_start_year, month, day)
    if today < start:
        return 0
    return age_on(start, today)


@dataclass(frozen=True)
class YoungTeacherRule:
    max_age: int = 35
    max_experience_years: int = 3

    def applies(self, birth: date | None, work_start_year: int | None, today: date) -> bool:
        """Under ``max_age`` **and** within the first ``max_experience_years`` years of work."""
        if birth is None or work_start_year is None:
            return False
        return (
            age_on(birth, today) < self.max_age
            and experience_years(work_start_year, today) < self.max_experience_years
        )

    def earliest(self, today: date) -> tuple[date, int]:
        """(birth date, start year) before which nobody can be young on ``today``: a bound for a
        database query to narrow by; ``applies`` still decides."""
        return date(today.year - self.max_age - 1, 1, 1), today.year - self.max_experience_years - 1


def latest_start_year(min_years: int, today: date) -> int:
    """The latest year of starting work that gives at least ``min_years`` full years by ``today``
    (no bound at all for zero years)."""
    if min_years <= 0:
        return date.max.year
    year = today.year - min_years
    return year if experience_years(year, today) >= min_years else year - 1


def is_manager(position: str | None) -> bool:
    return position in MANAGEMENT_POSITIONS


class Step(StrEnum):
    """A question of the profile wizard. The first nine are the answers a teacher's profile needs,
    in the order they are asked; the next two stand in for a picker when the place is not in the
    directory (the name is typed); the last three belong to a staff profile."""

    FULL_NAME = "full_name"
    POSITION = "position"
    REGION = "region"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"
    SUBJECTS = "subjects"
    BIRTH_DATE = "birth_date"
    WORK_START = "work_start"
    QUALIFICATION = "qualification"
    MUNICIPALITY_CUSTOM = "municipality_custom"
    SCHOOL_CUSTOM = "school_custom"
    STAFF_TITLE = "staff_title"
    ORGANISATION = "organisation"
    ALSO_TEACHER = "also_teacher"


# The wizard asks the missing fields in this order; the same order resumes an interrupted one.
STEPS: tuple[Step, ...] = (
    Step.FULL_NAME,
    Step.POSITION,
    Step.REGION,
    Step.MUNICIPALITY,
    Step.SCHOOL,
    Step.SUBJECTS,
    Step.BIRTH_DATE,
    Step.WORK_START,
    Step.QUALIFICATION,
)

# A staff member's profile (methodists, admins): who they are and where they work. A municipal
# title adds the municipality; «Я тоже педагог» adds the teacher's questions after these.
STAFF_STEPS: tuple[Step, ...] = (
    Step.FULL_NAME,
    Step.STAFF_TITLE,
    Step.ORGANISATION,
    Step.REGION,
    Step.MUNICIPALITY,
    Step.ALSO_TEACHER,
)
TEACHER_STEPS_OF_STAFF: tuple[Step, ...] = tuple(s for s in STEPS if s not in STAFF_STEPS)

# What «Профиль» can edit, and the step each edit starts at (the workplace: from the region on).
STAFF_EDITS: dict[str, Step] = {
    "full_name": Step.FULL_NAME,
    "staff_title": Step.STAFF_TITLE,
    "organisation": Step.ORGANISATION,
    "workplace": Step.REGION,
    "also_teacher": Step.ALSO_TEACHER,
}
EDITS: dict[str, Step] = {
    "full_name": Step.FULL_NAME,
    "position": Step.POSITION,
    "workplace": Step.REGION,
    "subjects": Step.SUBJECTS,
    "birth_date": Step.BIRTH_DATE,
    "work_start": Step.WORK_START,
    "qualification": Step.QUALIFICATION,
}


def staff_profile(profile: object) -> bool:
    """Whether ``profile`` is a staff member's (a methodist's or an admin's)."""
    return is_staff(getattr(profile, "role", None))


def teaches(profile: object) -> bool:
    """A teacher, or a staff member who chose «Я тоже педагог»."""
    return counts_as_teacher(getattr(profile, "role", None), getattr(profile, "also_teacher", None))


def edits_of(profile: object) -> dict[str, Step]:
    """What «Профиль» can edit for ``profile``: a staff member's own fields, and the teacher's
    ones too when they also teach."""
    if not staff_profile(profile):
        return EDITS
    if not teaches(profile):
        return STAFF_EDITS
    return {**STAFF_EDITS, **{k: v for k, v in EDITS.items() if k not in STAFF_EDITS}}


def missing_steps(profile: object) -> list[Step]:
    """The steps whose answers ``profile`` (any object with the profile attributes) lacks: a
    teacher's profile, or a staff member's (with the teacher's after it for one who also teaches)."""
    present = {
        Step.FULL_NAME: bool(getattr(profile, "full_name", None)),
        Step.POSITION: bool(getattr(profile, "position", None)),
        Step.REGION: bool(getattr(profile, "region_code", None)),
        Step.MUNICIPALITY: bool(
            getattr(profile, "municipality_id", None) or getattr(profile, "municipality_custom", None)
        ),
        Step.SCHOOL: bool(getattr(profile, "school_id", None) or getattr(profile, "school_custom", None)),
        Step.SUBJECTS: bool(getattr(profile, "subjects", None)),
        Step.BIRTH_DATE: getattr(profile, "birth_date", None) is not None,
        Step.WORK_START: getattr(profile, "work_start_year", None) is not None,
        Step.QUALIFICATION: bool(getattr(profile, "qualification", None)),
        Step.STAFF_TITLE: bool(getattr(profile, "staff_title", None)),
        Step.ORGANISATION: bool(getattr(profile, "organisation", None)),
        Step.ALSO_TEACHER: getattr(profile, "also_teacher", None) is not None,
    }
    if not staff_profile(profile):
        return [step for step in STEPS if not present[step]]
    steps = [
        step
        for step in STAFF_STEPS
        if step != Step.MUNICIPALITY or getattr(profile, "staff_title", None) in MUNICIPAL_TITLES
    ]
    if getattr(profile, "also_teacher", None):
        steps += [Step.MUNICIPALITY, *TEACHER_STEPS_OF_STAFF]
    seen: list[Step] = []
    for step in steps:
        if step not in seen and not present[step]:
            seen.append(step)
    return seen


def question_for(step: Step, profile: object) -> Step:
    """What is actually asked for ``step``: the municipality needs a region first, and a school
    is typed where the municipality was (no directory to pick from)."""
    if step == Step.MUNICIPALITY and getattr(profile, "region_code", None) is None:
        return Step.REGION
    if step == Step.SCHOOL and getattr(profile, "municipality_id", None) is None:
        return Step.SCHOOL_CUSTOM
    return step


def work_start_conflicts(birth: date, work_start_year: int | None) -> bool:
    """A new birth date that would mean working before ``MIN_WORK_AGE``: the year work began is
    asked again, so the profile stays consistent."""
    return work_start_year is not None and work_start_year - birth.year < MIN_WORK_AGE


def toggle_subject(selected: list[str], code: str) -> list[str] | None:
    """The ticked subjects after pressing ``code``; None for a code that is not a subject."""
    if code not in SUBJECTS:
        return None
    return [c for c in selected if c != code] if code in selected else [*selected, code]


def ordered_subjects(selected: list[str]) -> list[str]:
    """The ticked subjects in the catalogue's order (how they are stored and shown)."""
    return [code for code in SUBJECTS if code in selected]


def narrow(items: list[tuple[int, str]], query: str | None) -> list[tuple[int, str]]:
    """Directory entries whose name contains every word of ``query``, case- and ё-insensitively."""
    words = _fold(query or "").split()
    if not words:
        return items
    return [(key, name) for key, name in items if all(w in _fold(name) for w in words)]


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")
