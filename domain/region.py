"""Region configuration: everything that differs between regions is data, not code.

A region is described by one YAML file (see ``storage/regions/``); this module defines what
such a file may contain and checks it. The loader in ``storage`` reads the file and reports
validation errors with the file name and the field path.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    methodist_max_caseload: int = Field(default=250, ge=1, le=10_000)
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
    """Teachers of a municipality (or of one school there) go to this methodist's caseload."""

    municipality: str = Field(pattern=_CODE)  # a municipality id of this file
    school: str | None = Field(default=None, pattern=_CODE)
    methodist_telegram_id: int = Field(ge=1)


class Reminders(_Strict):
    """When reminders are due, in days, and the quiet hours (local time) that postpone them."""

    unfinished_diagnosis_days: int = Field(default=2, ge=1, le=60)
    item_due_days: tuple[int, ...] = (7, 1)
    rediagnosis_months: int = Field(default=12, ge=1, le=60)
    inactivity_days: int = Field(default=30, ge=7, le=365)
    event_before_hours: tuple[int, ...] = (24, 1)
    quiet_from: str = Field(default="21:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    quiet_to: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class Targets(_Strict):
    """Indicator targets in percent (C-5 is a number of teachers per methodist)."""

    c3_dpp_share: float | None = Field(default=30, ge=0, le=100)
    c4_management_teams_share: float | None = Field(default=40, ge=0, le=100)
    c5_teachers_per_methodist: int | None = Field(default=250, ge=1)
    c6_young_supported_share: float | None = Field(default=70, ge=0, le=100)


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
    # Targets by year; the report uses the latest year not after the reporting date.
    targets: dict[int, Targets] = Field(default_factory=lambda: {2024: Targets()})

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    def targets_for(self, year: int) -> Targets:
        years = sorted(y for y in self.targets if y <= year)
        return self.targets[years[-1]] if years else Targets()


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
