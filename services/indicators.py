"""Monitoring indicators and the audit log, for admins: the region's report against its targets
(the summary, the municipalities below target and the XLSX report are three views of it) and the
audit log page by page.

The region is the admin's own, or the deployment's home region for an admin without one; the
day is the region's (UTC where the region is not loaded). Anyone but an admin gets ``DENIED``.
The indicators themselves are defined in ``domain.indicators`` and loaded by
``storage.indicators``; the handlers (``handlers.indicators``) put them into words and XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from domain.indicators import MUNICIPALITY, REGION, SCHOOL, Period, PeriodKind, Report, UnitReport
from domain.region import RegionSettings
from domain.roles import Role, municipal_scope
from services.results import DENIED, STALE, Denied, Stale
from services.uow import UnitOfWork
from storage.indicators import audit_page, region_report
from storage.models import User
from storage.repositories import DirectoryRepo

LOG_PAGE = 20  # audit entries on a page
FIRST_YEAR = 2000  # no report for a period before (a forged year)


@dataclass(frozen=True, slots=True)
class RegionName:
    """The region reported on; ``name`` is None when it is not loaded (only its code is known)."""

    code: str
    name: str | None = None
    name_en: str | None = None


@dataclass(frozen=True, slots=True)
class Indicators:
    """The indicators of the admin's scope for ``report.period`` with the change against the
    period before; ``unit`` is the unit shown (the region, a municipality or a school);
    ``scope`` the municipality a municipal admin is limited to (None: the whole region);
    ``current`` the period ``today`` is in (there is no report after it)."""

    report: Report
    region: RegionName
    today: date
    unit: UnitReport
    scope: int | None
    current: Period

    @property
    def period(self) -> Period:
        return self.report.period


async def region_indicators(
    uow: UnitOfWork,
    user: User,
    role: Role,
    home_region: str,
    *,
    year: int = 0,
    level: str = REGION,
    unit_id: int | None = None,
) -> Indicators | Denied | Stale:
    """The report of the admin's region (``home_region`` for an admin without a region) for the
    period starting in ``year`` (0: the current one), showing one unit. Municipal staff
    (``domain.roles.municipal_scope``) get their municipality only: the region or another unit is
    ``STALE`` for them, as is a unit not in the report or a period after the current one."""
    if role != Role.ADMIN:
        return DENIED
    code = user.region_code or home_region
    directory = DirectoryRepo(uow.session)
    region = await directory.region(code)
    settings = RegionSettings.model_validate(region.config) if region else None
    today = uow.now().astimezone(ZoneInfo(region.timezone) if region else UTC).date()
    current = Period.containing(today, settings.reporting_period if settings else PeriodKind.CALENDAR)
    if year and not FIRST_YEAR <= year <= current.year:
        return STALE
    period = Period(current.kind, year) if year else current
    scope = municipal_scope(role, user.staff_title, user.municipality_id)
    if scope is not None and level == REGION:
        level, unit_id = MUNICIPALITY, scope
    report, region = await region_report(uow.session, code, period, today, municipality=scope)
    unit = _unit(report, level, unit_id)
    if unit is None:
        return STALE
    name = RegionName(code, region.name, region.name_en) if region else RegionName(code)
    return Indicators(report, name, today, unit, scope, current)


def _unit(report: Report, level: str, unit_id: int | None) -> UnitReport | None:
    if level == REGION:
        return report.region
    if level not in (MUNICIPALITY, SCHOOL):
        return None
    return next((unit for unit in report.units(level) if unit.unit_id == unit_id), None)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One audit entry; ``at`` in the region's time, ``actor`` None for the system."""

    at: datetime
    actor: str | None
    action: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    """Page ``page`` (from 0) of the audit log, newest first; ``more`` when older entries follow."""

    entries: tuple[LogEntry, ...]
    page: int
    more: bool


async def audit_log(
    uow: UnitOfWork, user: User, role: Role, home_region: str, page: int
) -> AuditPage | Denied:
    """A page of the audit log (a page before the first is the first), in the admin's region's time."""
    if role != Role.ADMIN:
        return DENIED
    page = max(page, 0)
    rows = await audit_page(uow.session, limit=LOG_PAGE + 1, offset=page * LOG_PAGE)
    region = await DirectoryRepo(uow.session).region(user.region_code or home_region)
    zone = ZoneInfo(region.timezone) if region else UTC
    entries = tuple(
        LogEntry(entry.at.astimezone(zone), actor, entry.action) for entry, actor in rows[:LOG_PAGE]
    )
    return AuditPage(entries, page, len(rows) > LOG_PAGE)
