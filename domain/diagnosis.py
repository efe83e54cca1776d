"""Scoring a diagnosis: a score per area, deficits, strengths, and the change since last time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.framework import Framework

NOT_APPLICABLE = 0  # the answer «Не применимо»; levels are 1..4
LEVELS = (1, 2, 3, 4)


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"  # a new one was started instead


class Source(StrEnum):
    SELF = "self"  # the teacher's own
    CNPPM = "cnppm"  # the official ЦНППМ result a methodist records


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
