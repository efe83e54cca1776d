"""Records the municipal indicators count (002, «Показатели» 3–6): participation in конкурсы
профессионального мастерства (people and schools), «представил актуальный опыт» (schools), and the roles
педагог-тьютор / эксперт / член жюри (people), each at a level («на различных уровнях»)."""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    CONTEST = "contest"  # took part in a конкурс профессионального мастерства
    EXPERIENCE = "experience"  # presented актуальный опыт деятельности
    ROLE = "role"  # served as тьютор, эксперт or член жюри


class Level(StrEnum):
    SCHOOL = "school"
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    FEDERAL = "federal"
    INTERNATIONAL = "international"


class ContestResult(StrEnum):
    PARTICIPANT = "participant"
    PRIZE_WINNER = "prize_winner"  # призёр / лауреат
    WINNER = "winner"


class ExpertRole(StrEnum):
    TUTOR = "tutor"
    EXPERT = "expert"
    JURY = "jury"


class RecordSource(StrEnum):
    MANUAL = "manual"  # entered by a methodist
    IMPORTED = "imported"
