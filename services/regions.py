"""The region's rules as one value, read once per update (the bot's middleware) or per job step,
and passed to services as an argument."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.indicators import ALL_SUPPORT_FORMS, PeriodKind, SupportForm
from domain.profile import YoungTeacherRule
from domain.region import DEFAULT_CASELOAD_TARGET, Organisations, Reminders, Thresholds
from services.uow import UnitOfWork
from storage.repositories import DirectoryRepo

DEFAULT_FRAMEWORK = "efs-2026"
DEFAULT_TZ = "Europe/Moscow"
DEFAULT_CNPPM, DEFAULT_IRO = "ЦНППМ", "ИРО"


@dataclass(frozen=True, slots=True)
class Bodies:
    """The names of the region's bodies the interface shows (short forms, as its documents write
    them): where a screen would say «ЦНППМ» or «ИРО». Defaults where the region names none."""

    cnppm: str = DEFAULT_CNPPM
    iro: str = DEFAULT_IRO
    # The region's generic municipal methodical service (a municipality may name its own).
    municipal_service: str | None = None

    @classmethod
    def of(cls, organisations: Organisations) -> Bodies:
        return cls(
            cnppm=organisations.cnppm_short,
            iro=organisations.iro_short or DEFAULT_IRO,
            municipal_service=organisations.municipal_service,
        )

    def fluent(self) -> dict[str, str]:
        """The Fluent variables ``cnppm`` and ``iro`` of the strings that name the bodies."""
        return {"cnppm": self.cnppm, "iro": self.iro}


@dataclass(frozen=True, slots=True)
class RegionRules:
    """What a service needs of the region: thresholds, reminder timings, the competence framework's
    version, the time zone and the indicators' targets. Defaults where the region is unknown."""

    code: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    reminders: Reminders = field(default_factory=Reminders)
    framework: str = DEFAULT_FRAMEWORK
    timezone: str = DEFAULT_TZ
    # C-5's target for this year: teachers per regional methodist (the one setting for 250).
    caseload_target: int = DEFAULT_CASELOAD_TARGET
    # What counts as a form of support (domain.indicators.supported).
    support_forms: tuple[SupportForm, ...] = ALL_SUPPORT_FORMS
    reporting_period: PeriodKind = PeriodKind.CALENDAR
    # C-6/R-5's target for this year (percent of young teachers in forms of support).
    young_support_target: float | None = 70
    bodies: Bodies = field(default_factory=Bodies)

    @property
    def young_teacher(self) -> YoungTeacherRule:
        return YoungTeacherRule(
            max_age=self.thresholds.young_teacher_max_age,
            max_experience_years=self.thresholds.young_teacher_max_experience_years,
        )


async def region_rules(uow: UnitOfWork, code: str | None, fallback_tz: str = DEFAULT_TZ) -> RegionRules:
    """The rules of region ``code`` (cached for a minute per database by ``DirectoryRepo``)."""
    settings = await DirectoryRepo(uow.session).region_settings(code)
    if settings is None:
        return RegionRules(code=code, timezone=fallback_tz)
    return RegionRules(
        code=code,
        thresholds=settings.thresholds,
        reminders=settings.reminders,
        framework=settings.framework,
        timezone=settings.timezone,
        caseload_target=settings.caseload_target(uow.now().year),
        support_forms=settings.support_forms,
        reporting_period=settings.reporting_period,
        young_support_target=settings.young_support_target(uow.now().year),
        bodies=Bodies.of(settings.organisations),
    )
