"""Flow 7: the methodist's daily digest — on demand, a section page by page, the scheduled one,
and its settings (when it comes, what a quiet day brings).

The digest is always recomputed from today's data: a button pressed days later shows today's
list, never another's. It covers the caseload of the methodist who asks (``Caseload``), so there
is nobody else's to reach; a teacher (by role) gets ``DENIED``. Putting it into words, the chart
and the buttons is the handlers' part (``handlers.digest``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.digest import (
    QUIET_DAYS,
    Digest,
    DigestTimeError,
    Entry,
    Kind,
    QuietDay,
    Section,
    build_digest,
    format_digest_time,
    next_digest_at,
    parse_digest_time,
)
from domain.roles import Role
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.digest import caseload_snapshot, digest_settings, saved_settings
from storage.models import MethodistSettings, User

DIGEST_PERIOD = timedelta(hours=24)  # "new" in a digest: since this long ago
SECTION_PAGE = 10  # entries on a page of one section
STAFF = frozenset({Role.METHODIST, Role.ADMIN})  # who has a digest


@dataclass(frozen=True, slots=True)
class Today:
    """The digest of the caseload as of ``now``: counts, top entries, the deficits' chart."""

    digest: Digest
    now: datetime
    timezone: str  # the caseload's calendar (the methodist's region)
    inactivity_days: int


@dataclass(frozen=True, slots=True)
class QuietLine:
    """A scheduled digest on a day with nothing new, when the methodist wants one short line."""

    digest: Digest
    now: datetime
    timezone: str


@dataclass(frozen=True, slots=True)
class SectionPage:
    """Page ``page`` (from 0, of ``pages``) of one section; past the last page, the last one."""

    section: Section
    page: int
    pages: int
    entries: tuple[Entry, ...]
    now: datetime
    timezone: str
    inactivity_days: int


@dataclass(frozen=True, slots=True)
class Settings:
    """When the digest comes and what a quiet day brings; ``next_at`` is local to ``timezone``."""

    digest_time: str
    quiet_days: QuietDay
    timezone: str
    next_at: datetime


@dataclass(frozen=True, slots=True)
class TimeSaved:
    """The digest's time changed: the settings as they now are."""

    settings: Settings


@dataclass(frozen=True, slots=True)
class QuietSaved:
    """What a quiet day brings changed: the settings as they now are."""

    settings: Settings


async def today(
    uow: UnitOfWork,
    methodist: User,
    role: Role,
    *,
    rules: RegionRules | None = None,
    since: datetime | None = None,
) -> Today | Denied:
    """The whole digest, whatever the day brought (on demand). ``rules``: the methodist's region's
    (read here when not given); "new" means since ``since``, 24 hours ago by default."""
    if role not in STAFF:
        return DENIED
    return await _today(uow, methodist, rules, since)


async def scheduled(
    uow: UnitOfWork, methodist: User, *, since: datetime | None = None
) -> Today | QuietLine | None:
    """The digest the scheduler sends ``methodist`` (whoever a caseload names): the whole digest,
    or on a day with nothing new one short line — or nothing, when the methodist asked for that."""
    shown = await _today(uow, methodist, None, since)
    if not shown.digest.is_empty():
        return shown
    settings = await saved_settings(uow.session, methodist.id)
    if settings is not None and settings.quiet_days == QuietDay.NONE:
        return None
    return QuietLine(shown.digest, shown.now, shown.timezone)


async def section_page(
    uow: UnitOfWork,
    methodist: User,
    role: Role,
    section: str,
    page: int,
    *,
    rules: RegionRules | None = None,
) -> SectionPage | Stale | Denied:
    """One page of the section named ``section`` (a ``Kind`` value); an unknown name is ``STALE``."""
    if role not in STAFF:
        return DENIED
    try:
        kind = Kind(section)
    except ValueError:
        return STALE
    shown = await _today(uow, methodist, rules, None)
    chosen = shown.digest.section(kind)
    pages = chosen.pages(SECTION_PAGE)
    page = min(max(page, 0), pages - 1)  # the list may have shrunk since the button was sent
    return SectionPage(
        chosen,
        page,
        pages,
        chosen.page(page, SECTION_PAGE),
        shown.now,
        shown.timezone,
        shown.inactivity_days,
    )


async def settings(uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules) -> Settings | Denied:
    """The methodist's digest settings (the defaults are saved on first look)."""
    if role not in STAFF:
        return DENIED
    stored = await digest_settings(uow.session, methodist.id)
    await uow.commit()
    return _settings(stored, rules, uow.now())


async def set_preset_time(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, hhmm: str
) -> TimeSaved | Stale | Denied:
    """A preset time from a button, as «HHMM» (callback data cannot carry the «:»)."""
    if role not in STAFF:
        return DENIED
    try:
        at = parse_digest_time(f"{hhmm[:2]}:{hhmm[2:]}")
    except DigestTimeError:
        return STALE
    return TimeSaved(await _save(uow, methodist, rules, digest_time=format_digest_time(at)))


async def set_time(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, text: str | None
) -> TimeSaved | Invalid | Denied:
    """A typed time («8:30», «08.30»); one that does not parse is ``Invalid`` with its message key."""
    if role not in STAFF:
        return DENIED
    try:
        at = parse_digest_time(text)
    except DigestTimeError as err:
        return Invalid(err.code)
    return TimeSaved(await _save(uow, methodist, rules, digest_time=format_digest_time(at)))


async def set_quiet(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, mode: str
) -> QuietSaved | Stale | Denied:
    """What a quiet day brings: a ``QuietDay`` value; anything else is ``STALE``."""
    if role not in STAFF:
        return DENIED
    if mode not in QUIET_DAYS:
        return STALE
    return QuietSaved(await _save(uow, methodist, rules, quiet_days=QuietDay(mode)))


# --- helpers --------------------------------------------------------------------------------------


async def _today(
    uow: UnitOfWork, methodist: User, rules: RegionRules | None, since: datetime | None
) -> Today:
    now = uow.now()
    if rules is None:
        rules = await region_rules(uow, methodist.region_code)
    snapshot = await caseload_snapshot(uow.session, methodist.id, now)
    inactivity_days = rules.reminders.inactivity_days
    digest = build_digest(
        snapshot,
        since=since if since is not None else now - DIGEST_PERIOD,
        now=now,
        inactivity_days=inactivity_days,
    )
    return Today(digest, now, snapshot.timezone, inactivity_days)


async def _save(
    uow: UnitOfWork,
    methodist: User,
    rules: RegionRules,
    *,
    digest_time: str | None = None,
    quiet_days: QuietDay | None = None,
) -> Settings:
    stored = await digest_settings(uow.session, methodist.id)
    if digest_time is not None:
        stored.digest_time = digest_time
    if quiet_days is not None:
        stored.quiet_days = quiet_days
    await uow.commit()
    return _settings(stored, rules, uow.now())


def _settings(stored: MethodistSettings, rules: RegionRules, now: datetime) -> Settings:
    zone = rules.timezone
    upcoming = next_digest_at(stored, zone, now).astimezone(ZoneInfo(zone))
    quiet = QuietDay(stored.quiet_days) if stored.quiet_days in QUIET_DAYS else QuietDay.SHORT
    return Settings(stored.digest_time, quiet, zone, upcoming)
