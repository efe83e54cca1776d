"""Scoring a diagnosis: a score per area, deficits, strengths, and the change since last time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from domain.framework import Framework

T = TypeVar("T")

NOT_APPLICABLE = 0  # the answer «Не применимо»; levels are 1..4
LEVELS = (1, 2, 3, 4)


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"  # a new one was started instead


class Source(StrEnum):
    SELF = "self"  # the teacher's own: a self-assessment, a preliminary request (запрос)
    CNPPM = "cnppm"  # the official ЦНППМ result, imported or entered by a methodist


RESULT_MIN, RESULT_MAX = 0, 100  # an official result per area, as ЦНППМ records it


def is_answer(value: int) -> bool:
    return value == NOT_APPLICABLE or value in LEVELS


@dataclass(frozen=True)
class AreaResult:
    code: str
    score: int | None  # 0..100; None when every statement was «Не применимо»
    answered: int


@dataclass(frozen=True)
class DiagnosisResult:
    areas: tuple[AreaResult, ...]
    deficits: tuple[str, ...]  # area codes, weakest first
    strengths: tuple[str, ...]  # area codes, strongest first

    def scores(self) -> dict[str, int | None]:
        return {a.code: a.score for a in self.areas}


def level_to_score(mean_level: float) -> int:
    """Level 1 is 0, level 4 is 100, linear between."""
    return round((mean_level - 1) / 3 * 100)


def score(
    framework: Framework,
    answers: Mapping[str, int],
    *,
    manager: bool,
    deficit_below: int,
    strength_from: int,
) -> DiagnosisResult:
    """Score ``answers`` (statement id → level 1..4, or 0 for «Не применимо»).

    Unanswered statements are ignored, so a partial diagnosis can be previewed too.
    """
    results = []
    for area in framework.areas_for(manager):
        levels = [
            answers[s.id] for s in area.statements if answers.get(s.id, NOT_APPLICABLE) != NOT_APPLICABLE
        ]
        value = level_to_score(sum(levels) / len(levels)) if levels else None
        results.append(AreaResult(area.code, value, len(levels)))
    deficits, strengths = classify(
        {a.code: a.score for a in results}, deficit_below=deficit_below, strength_from=strength_from
    )
    return DiagnosisResult(tuple(results), deficits, strengths)


def classify(
    scores: Mapping[str, int | None], *, deficit_below: int, strength_from: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Deficits (weakest first) and strengths (strongest first) among the scored areas.

    Shared by self-diagnoses and official ЦНППМ results, so both read the same way.
    """
    scored = {code: value for code, value in scores.items() if value is not None}
    deficits = tuple(
        sorted((c for c, v in scored.items() if v < deficit_below), key=lambda c: (scored[c], c))
    )
    strengths = tuple(
        sorted((c for c, v in scored.items() if v >= strength_from), key=lambda c: (-scored[c], c))
    )
    return deficits, strengths


def change(current: Mapping[str, int | None], previous: Mapping[str, int | None]) -> dict[str, int]:
    """Points gained (or lost) per area scored both times."""
    return {
        code: value - before
        for code, value in current.items()
        if value is not None and (before := previous.get(code)) is not None
    }


# --- official ЦНППМ results ---------------------------------------------------------------------


def official_deficits(results: Mapping[str, tuple[int, bool]]) -> tuple[str, ...]:
    """The deficits of an official result (area → (result, deficit as ЦНППМ recorded it)),
    weakest first. The bot's own threshold is not applied: ЦНППМ's finding stands."""
    return tuple(
        sorted((code for code, (_, deficit) in results.items() if deficit), key=lambda c: (results[c][0], c))
    )


def parse_result(text: str | None) -> int | None:
    """A typed official result: a whole number 0..100 («67» or «67%»); None when it is not one."""
    compact = "".join((text or "").split()).rstrip("%")
    if not compact.isdigit() or len(compact) > 3:
        return None
    value = int(compact)
    return value if RESULT_MIN <= value <= RESULT_MAX else None


def route_basis(official: T | None, own: T | None) -> T | None:
    """What an ИОМ is drafted from: the latest ЦНППМ diagnosis when there is one; the latest
    self-diagnosis (a preliminary request) only when there is none."""
    return official if official is not None else own
