"""Entering the records 002's municipal indicators count (``domain.records``): which kinds a person
or a school may have, which result or role each kind asks for, and the checks of a title and a date.

The levels and the results are the product's lists, not the documents': 002 says only «на различных
уровнях» (indicators 3–6) and names the roles «педагогов-тьюторов, экспертов, членов жюри» (6)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.profile import ProfileError, clean_text, parse_date
from domain.records import ContestResult, ExpertRole, Level, RecordKind

TITLE_MAX = 300  # ProfessionalRecord.title
EARLIEST = date(2000, 1, 1)  # an older date is a typo, not a record

# A person takes part in contests, presents опыт, serves as tutor/expert/jury member; a school
# takes part in contests and presents опыт (002, indicators 3–6).
PERSON_KINDS = (RecordKind.CONTEST, RecordKind.EXPERIENCE, RecordKind.ROLE)
SCHOOL_KINDS = (RecordKind.CONTEST, RecordKind.EXPERIENCE)
LEVELS = tuple(Level)


def results_for(kind: str) -> tuple[str, ...]:
    """The result a contest asks for, the role a role asks for; nothing for a presented опыт."""
    if kind == RecordKind.CONTEST:
        return tuple(ContestResult)
    if kind == RecordKind.ROLE:
        return tuple(ExpertRole)
    return ()


class Step(StrEnum):
    KIND = "kind"
    LEVEL = "level"
    TITLE = "title"
    RESULT = "result"
    DATE = "date"


def next_step(kind: str, level: str, title: str, result: str) -> Step:
    """The question to ask of a record given what is known: kind → level → title → result/role → date."""
    if not kind:
        return Step.KIND
    if not level:
        return Step.LEVEL
    if not title:
        return Step.TITLE
    if results_for(kind) and not result:
        return Step.RESULT
    return Step.DATE


def allowed(step: Step, value: str, kinds: tuple[str, ...], kind: str) -> bool:
    """A button's value is one the step offers (anything else is an old or forged button)."""
    if step == Step.KIND:
        return value in kinds
    if step == Step.LEVEL:
        return value in LEVELS
    if step == Step.RESULT:
        return value in results_for(kind)
    return False


def parse_title(text: str | None) -> str:
    """The contest's name, the опыт's topic, or what the person served as tutor, expert or juror in."""
    value = clean_text(text, max_len=TITLE_MAX, error_prefix="err-name")
    if sum(1 for char in value if char.isalpha()) < 2:
        raise ProfileError("rec-err-title-letters")
    return value


def parse_day(text: str | None, today: date) -> date:
    """ДД.ММ.ГГГГ, not in the future and not before 2000."""
    day = parse_date(text)
    if day > today:
        raise ProfileError("err-date-future")
    if day < EARLIEST:
        raise ProfileError("rec-err-date-old", year=str(EARLIEST.year))
    return day
