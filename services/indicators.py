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

from domain.indicators import Report
from domain.roles import Role
from services.results import DENIED, Denied
from services.uow import UnitOfWork
from storage.indicators import audit_page, region_report
from storage.models import User
from storage.repositories import DirectoryRepo

LOG_PAGE = 20  # audit entries on a page


@dataclass(frozen=True, slots=True)
class RegionName:
    """The region reported on; ``name`` is None when it is not loaded (only its code is known)."""

    code: str
    name: str | None = None
    name_en: str | None = None


@dataclass(frozen=True, slots=True)
class Indicators:
    """The region's indicators on ``today`` (the region's date), with that year's targets."""

    report: Report
    region: RegionName
    today: date


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


async def region_indicators(uow: UnitOfWork, user: User, role: Role, home_region: str) -> Indicators | Denied:
    """The indicators of the admin's region (``home_region`` for an admin without a region)."""
    if role != Role.ADMIN:
        return DENIED
    code = user.region_code or home_region
    region = await DirectoryRepo(uow.session).region(code)
    today = uow.now().astimezone(ZoneInfo(region.timezone) if region else UTC).date()
    report, region = await region_report(uow.session, code, today)
    name = RegionName(code, region.name, region.name_en) if region else RegionName(code)
    return Indicators(report, name, today)


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
