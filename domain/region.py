"""Region configuration: everything that differs between regions is data, not code.

A region is described by one YAML file (see ``storage/regions/``); this module defines what
such a file may contain and checks it. The loader in ``storage`` reads the file and reports
validation errors with the file name and the field path.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.indicators import (
    ALL_SUPPORT_FORMS,
    DENOMINATORS,
    LEVELS,
    SUBJECT,
    Fact,
    PeriodKind,
    SupportForm,
)

# 000:1156-1158 «не более 250 человек» (к 2024 году): used only where a region's registry has no C-5.
DEFAULT_CASELOAD_TARGET = 250

_CODE = r"^[a-z0-9][a-z0-9_-]{0,39}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisations(_Strict):
    """Names of the bodies of the regional system, as the region's documents spell them."""

    authority: str = Field(min_length=3, max_length=300)
    iro: str | None = Field(default=None, max_length=300)
    cnppm: str = Field(min_length=3, max_length=300)
    # The municipal methodical service exists «при наличии»: a region may have none.
    municipal_service: str | None = Field(default=None, max_length=300)
    # Short names shown in the interface where it would otherwise say «ЦНППМ» / «ИРО», as the
    # region's documents abbreviate them (e.g. «КОИРО», «КРИПКиПРО»).
    cnppm_short: str = Field(default="ЦНППМ", min_length=2, max_length=60)
    iro_short: str | None = Field(default=None, min_length=2, max_length=60)
    # A regional assessment centre, when the documents name one (Saratov: ГАУ СО «РЦОКО»).
    assessment_centre: str | None = Field(default=None, min_length=3, max_length=300)


class Labels(_Strict):
    """Terms that vary between regions (e.g. РМО in one, ММО in another)."""

    municipal_association: str = Field(default="РМО", min_length=2, max_length=20)
    school_association: str = Field(default="ШМО", min_length=2, max_length=20)


class Thresholds(_Strict):
    young_teacher_max_age: int = Field(default=35, ge=18, le=60)
    young_teacher_max_experience_years: int = Field(default=3, ge=1, le=10)
    school_association_min_teachers: int = Field(default=3, ge=1, le=100)
    mentor_min_experience_years: int = Field(default=5, ge=0, le=50)
    mentor_capacity: int = Field(default=2, ge=1, le=20)
    # A mentor who does not answer a request in this many days is passed over.
    mentor_request_days: int = Field(default=3, ge=1, le=30)
    # Either side of a pair is reminded to log a meeting when none was logged for this long.
    mentor_meeting_reminder_days: int = Field(default=14, ge=3, le=90)
    # An area scoring below this (0..100) is a deficit; from strength_threshold up, a strength.
    deficit_threshold: int = Field(default=60, ge=1, le=100)
    strength_threshold: int = Field(default=80, ge=1, le=100)
    # The period an ИОМ is planned over.
    route_period_months: int = Field(default=12, ge=1, le=36)


class MethodistRule(_Strict):
    """Teachers of a municipality (or of one school there) go to this methodist's caseload. The
    methodist is named by their id on the messenger they use: Telegram's or MAX's, one of the two."""

    municipality: str = Field(pattern=_CODE)  # a municipality id of this file
    school: str | None = Field(default=None, pattern=_CODE)
    methodist_telegram_id: int | None = Field(default=None, ge=1)
    methodist_max_id: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_methodist(self) -> MethodistRule:
        if (self.methodist_telegram_id is None) == (self.methodist_max_id is None):
            raise ValueError("a rule names its methodist by methodist_telegram_id or methodist_max_id")
        return self

    @property
    def methodist(self) -> tuple[str, int]:
        """The methodist's messenger and their id there."""
        if self.methodist_max_id is not None:
            return "max", self.methodist_max_id
        assert self.methodist_telegram_id is not None
        return "telegram", self.methodist_telegram_id


class Reminders(_Strict):
    """When reminders are due, in days, and the quiet hours (local time) that postpone them."""

    unfinished_diagnosis_days: int = Field(default=2, ge=1, le=60)
    item_due_days: tuple[int, ...] = (7, 1)
    rediagnosis_months: int = Field(default=12, ge=1, le=60)
    inactivity_days: int = Field(default=30, ge=7, le=365)
    event_before_hours: tuple[int, ...] = (24, 1)
    quiet_from: str = Field(default="21:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    quiet_to: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class IndicatorDef(_Strict):
    """One monitoring indicator, as its document words it (``domain.indicators``)."""

    id: str = Field(pattern=r"^[A-ZА-Я][A-Za-zА-Яа-я0-9/-]{0,19}$")
    wording: str = Field(min_length=10, max_length=600)  # word for word
    wording_en: str | None = Field(default=None, max_length=600)
    source: str = Field(pattern=r"^\d{3}:\d+(-\d+)?(; ?\d{3}:\d+(-\d+)?)*$")  # "000:1144-1146"
    numerator: Fact
    denominator: Fact
    levels: tuple[Literal["region", "municipality", "school"], ...] = LEVELS  # type: ignore[assignment]
    # Targets by year («к 2024 году - не менее 30%»): the latest year not after the period's applies.
    targets: dict[int, float] = Field(default_factory=dict)
    # «не более» (C-5) rather than «не менее».
    higher_is_better: bool = True
    # «нарастающим итогом»: everything up to the period's end, not the period alone.
    cumulative: bool = False

    @model_validator(mode="after")
    def _counted(self) -> IndicatorDef:
        if self.denominator not in DENOMINATORS:
            raise ValueError(f"{self.denominator} cannot be a denominator")
        if SUBJECT[self.numerator] != SUBJECT[self.denominator] or self.numerator == self.denominator:
            raise ValueError(f"{self.numerator} is not counted among {self.denominator}")
        if self.denominator in (Fact.REGIONAL_METHODISTS, Fact.PROGRAMMES) and self.levels != ("region",):
            raise ValueError(f"{self.denominator} is counted for the region only")
        if not self.levels:
            raise ValueError("no levels")
        for year, value in self.targets.items():
            if (
                not 2000 <= year <= 2100
                or value < 0
                or (self.denominator != Fact.REGIONAL_METHODISTS and value > 100)
            ):
                raise ValueError(f"bad target {value} for {year}")
        return self

    def target_for(self, year: int) -> float | None:
        years = sorted(y for y in self.targets if y <= year)
        return self.targets[years[-1]] if years else None


class School(_Strict):
    id: str = Field(pattern=_CODE)
    name: str = Field(min_length=2, max_length=300)
    # Years in which the school is a стажировочная площадка of the region.
    internship_site_years: tuple[int, ...] = ()


class Municipality(_Strict):
    id: str = Field(pattern=_CODE)
    name: str = Field(min_length=2, max_length=200)
    kind: str = Field(pattern=r"^(city_okrug|municipal_okrug|municipal_district|city)$")
    # The municipality's own methodical service (ММС), «при наличии»: shown to its teachers and staff
    # instead of the region's generic ``organisations.municipal_service``.
    methodical_service: str | None = Field(default=None, min_length=3, max_length=300)
    schools: tuple[School, ...] = ()

    @model_validator(mode="after")
    def _unique_schools(self) -> Municipality:
        _ensure_unique([s.id for s in self.schools], "schools")
        return self


class RegionSettings(_Strict):
    """A region's settings without its directories: what the running bot consults."""

    code: str = Field(pattern=_CODE)
    name: str = Field(min_length=2, max_length=200)
    name_en: str = Field(min_length=2, max_length=200)
    timezone: str
    organisations: Organisations
    labels: Labels = Labels()
    thresholds: Thresholds = Thresholds()
    reminders: Reminders = Reminders()
    # Caseload rules: which methodist accompanies the teachers of a municipality or school.
    methodist_rules: tuple[MethodistRule, ...] = ()
    # The version of the competence framework used for new diagnoses (storage/frameworks/).
    framework: str = Field(default="efs-2026", pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$")
    # The indicator registry: the shipped defaults (storage/regions/defaults/indicators.yaml, merged
    # by the loader) with the region's own and its overrides (same id).
    indicators: tuple[IndicatorDef, ...] = ()
    # What counts as «различные формы поддержки и сопровождения» (C-6/R-5, the digest, every screen).
    support_forms: tuple[SupportForm, ...] = ALL_SUPPORT_FORMS
    # The reporting period: calendar year or school year (1 September – 31 August).
    reporting_period: PeriodKind = PeriodKind.CALENDAR
    # R-4 «по вопросам эффективности управления качеством образования»: programmes of these areas.
    quality_management_areas: tuple[str, ...] = ("managerial",)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _unique_indicators(self) -> RegionSettings:
        _ensure_unique([i.id for i in self.indicators], "indicators")
        if not self.support_forms:
            raise ValueError("support_forms: at least one form")
        return self

    def young_support_target(self, year: int) -> float | None:
        """C-6/R-5's target for ``year``: young teachers in forms of support, percent."""
        for indicator in self.indicators:
            if indicator.numerator == Fact.YOUNG_SUPPORTED and indicator.denominator == Fact.YOUNG_TEACHERS:
                return indicator.target_for(year)
        return None

    def caseload_target(self, year: int) -> int:
        """The one setting for teachers per regional methodist: C-5's «целевое значение» for
        ``year`` (a target, not a norm); the Concept's 250 where the registry gives none."""
        for indicator in self.indicators:
            if indicator.denominator == Fact.REGIONAL_METHODISTS:
                target = indicator.target_for(year)
                if target is not None:
                    return int(target)
        return DEFAULT_CASELOAD_TARGET


class RegionConfig(RegionSettings):
    """A whole region file: the settings and the directories of municipalities and schools."""

    municipalities: tuple[Municipality, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> RegionConfig:
        _ensure_unique([m.id for m in self.municipalities], "municipalities")
        _ensure_unique([m.name for m in self.municipalities], "municipality names")
        return self

    def settings(self) -> RegionSettings:
        return RegionSettings.model_validate(self.model_dump(exclude={"municipalities"}))


def _ensure_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate id in {what}: {value!r}")
        seen.add(value)
