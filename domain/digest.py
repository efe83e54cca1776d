"""The methodist's daily digest: what in a caseload needs attention, and what is new since last time.

Pure: the storage layer loads a :class:`Snapshot` of one methodist's caseload, :func:`build_digest`
sorts it into sections, and the handlers put the result into words. Nothing here speaks a
language or touches a database.

"Nothing new" (:meth:`Digest.is_empty`) means that no section gained an entry since ``since`` —
not that every section is empty. The standing sections (inactive teachers, young teachers without
support, ИОМ awaiting approval) are rarely empty in a real caseload, so "all counts zero" would
almost never allow a quiet day and the methodist would get the same list every morning. Each entry
therefore carries ``fresh``: whether the fact that put it in its section happened since ``since``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from domain.framework import AREA_CODES, MANAGERS_ONLY
from domain.paging import page_count

DEFAULT_DIGEST_TIME = "08:30"
# Where a methodist has no region (an admin without a profile): the federal centre's zone.
DEFAULT_TIMEZONE = "Europe/Moscow"


class QuietDay(StrEnum):
    """What a scheduled digest brings on a day with nothing new (``MethodistSettings.quiet_days``)."""

    SHORT = "short"  # one short line
    NONE = "none"  # no message at all


QUIET_DAYS = (QuietDay.SHORT, QuietDay.NONE)  # in the order the settings offer them
TOP_DEFICITS = 3  # deficits named next to a finished diagnosis

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class Kind(StrEnum):
    """A section of the digest. The values go into callback data: short, ASCII, no ``:``."""

    NEW = "new"  # profile completed since the last digest
    DIAGNOSED = "diag"  # self-diagnosis finished since the last digest
    AWAITING = "await"  # ИОМ submitted, awaiting the methodist's approval
    OVERDUE = "late"  # items of an active ИОМ past their due date
    EVIDENCE = "proof"  # items done with evidence, transfer into practice not yet confirmed
    YOUNG = "young"  # young teachers with no mentor and no other form of support
    INACTIVE = "idle"  # not seen for the region's inactivity period


# --- the snapshot (what storage loads) ------------------------------------------------------------


@dataclass(frozen=True)
class TeacherFacts:
    """One teacher of the caseload, reduced to what the digest looks at. Times are aware UTC."""

    id: int
    name: str
    created_at: datetime
    profile_completed_at: datetime | None = None
    last_seen_at: datetime | None = None
    # The latest finished self-diagnosis (official ЦНППМ results are kept apart).
    diagnosed_at: datetime | None = None
    deficits: tuple[str, ...] = ()  # area codes, weakest first
    # The newest ИОМ.
    route_status: str | None = None  # draft | submitted | returned | active | completed
    route_submitted_at: datetime | None = None
    # Items of the active ИОМ past their due date, and the latest such due date.
    overdue_items: int = 0
    latest_overdue_on: date | None = None
    # Done items with evidence whose transfer into practice nobody confirmed yet (any ИОМ).
    evidence_to_confirm: int = 0
    latest_evidence_at: datetime | None = None
    young: bool = False
    mentored: bool = False  # the mentee of an active mentor pair
    support_ended_at: datetime | None = None  # when their latest mentor pair closed
    # In ≥1 of the region's forms of support in the current reporting period: the one definition
    # C-6/R-5 counts (``domain.indicators.supported``, loaded by ``storage.indicators``).
    supported: bool = False


@dataclass(frozen=True)
class Snapshot:
    methodist_id: int
    timezone: str  # the methodist's region's zone: local dates are taken in it
    today: date  # the local date the overdue items were counted on
    teachers: tuple[TeacherFacts, ...]


# --- the digest (what the handlers render) --------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    teacher_id: int
    name: str
    # The moment that matters for the section: profile completed, diagnosis finished, ИОМ
    # submitted, latest evidence, last seen. None for an inactive teacher never seen at all.
    at: datetime | None = None
    fresh: bool = False  # the reason for the entry arose since the last digest
    quantity: int = 0  # overdue items, or pieces of evidence
    areas: tuple[str, ...] = ()  # the top deficits of a finished diagnosis


@dataclass(frozen=True)
class Section:
    kind: Kind
    entries: tuple[Entry, ...]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def fresh(self) -> int:
        return sum(entry.fresh for entry in self.entries)

    @property
    def quantity(self) -> int:
        return sum(entry.quantity for entry in self.entries)

    def pages(self, size: int) -> int:
        return page_count(self.count, size)

    def page(self, number: int, size: int) -> tuple[Entry, ...]:
        return self.entries[number * size : (number + 1) * size]


@dataclass(frozen=True)
class Digest:
    sections: tuple[Section, ...]  # every kind, in the order of ``Kind``, empty ones included
    teachers: int  # the caseload's size
    diagnosed: int  # teachers with a finished self-diagnosis
    # Area → number of teachers with that deficit in their latest self-diagnosis; most common first.
    deficits: tuple[tuple[str, int], ...]
    top: int  # entries of a section shown in the overview

    def section(self, kind: Kind) -> Section:
        return next(s for s in self.sections if s.kind == kind)

    def is_empty(self) -> bool:
        """Nothing new since ``since``: no section gained an entry (see the module's docstring)."""
        return not any(section.fresh for section in self.sections)


def build_digest(
    snapshot: Snapshot, *, since: datetime, now: datetime, inactivity_days: int, top: int = 5
) -> Digest:
    """Sort the caseload into the digest's sections; "new" means within (since, now]."""

    def recent(moment: datetime | None) -> bool:
        return moment is not None and since < moment <= now

    teachers = snapshot.teachers
    # An item due on day D becomes overdue at the start of D + 1 (local time), which falls after
    # ``since`` exactly when D is not before since's local date.
    since_local = since.astimezone(ZoneInfo(snapshot.timezone)).date()
    inactive_before = now - timedelta(days=inactivity_days)

    def idle_from(t: TeacherFacts) -> datetime:
        # Never seen counts from the day they joined: a teacher who registered yesterday is not idle.
        return t.last_seen_at or t.created_at

    # In the order of ``Kind``, which is the order the digest reads in.
    sections = (
        _section(
            Kind.NEW,
            (
                Entry(t.id, t.name, t.profile_completed_at, fresh=True)
                for t in teachers
                if recent(t.profile_completed_at)
            ),
            key=_latest_first,
        ),
        _section(
            Kind.DIAGNOSED,
            (
                Entry(t.id, t.name, t.diagnosed_at, fresh=True, areas=t.deficits[:TOP_DEFICITS])
                for t in teachers
                if recent(t.diagnosed_at)
            ),
            key=_latest_first,
        ),
        _section(
            Kind.AWAITING,
            (
                Entry(t.id, t.name, t.route_submitted_at, fresh=recent(t.route_submitted_at))
                for t in teachers
                if t.route_status == "submitted"
            ),
            key=_longest_waiting_first,
        ),
        _section(
            Kind.OVERDUE,
            (
                Entry(
                    t.id,
                    t.name,
                    fresh=t.latest_overdue_on is not None and t.latest_overdue_on >= since_local,
                    quantity=t.overdue_items,
                )
                for t in teachers
                if t.overdue_items
            ),
            key=_most_first,
        ),
        _section(
            Kind.EVIDENCE,
            (
                Entry(
                    t.id,
                    t.name,
                    t.latest_evidence_at,
                    fresh=recent(t.latest_evidence_at),
                    quantity=t.evidence_to_confirm,
                )
                for t in teachers
                if t.evidence_to_confirm
            ),
            key=_latest_first,
        ),
        _section(
            Kind.YOUNG,
            (
                Entry(
                    t.id,
                    t.name,
                    t.profile_completed_at,
                    # New in the caseload, or their mentor pair has just closed.
                    fresh=recent(t.profile_completed_at) or recent(t.support_ended_at),
                )
                for t in teachers
                if t.young and not t.supported
            ),
            key=_by_name,
        ),
        _section(
            Kind.INACTIVE,
            (
                Entry(
                    t.id,
                    t.name,
                    t.last_seen_at,
                    fresh=recent(idle_from(t) + timedelta(days=inactivity_days)),
                )
                for t in teachers
                if idle_from(t) < inactive_before
            ),
            key=_longest_idle_first,
        ),
    )
    deficits = caseload_deficits(t.deficits for t in teachers if t.diagnosed_at is not None)
    return Digest(
        sections=sections,
        teachers=len(teachers),
        diagnosed=sum(t.diagnosed_at is not None for t in teachers),
        deficits=deficits,
        top=top,
    )


def caseload_deficits(deficit_lists: Iterable[Iterable[str]]) -> tuple[tuple[str, int], ...]:
    """Area → how many teachers have it as a deficit, most common first.

    Every area of the framework is listed (a zero is information too) except the managers' one
    when no manager has it: most teachers never take that part.
    """
    counts = Counter(area for areas in deficit_lists for area in set(areas))
    order = {code: index for index, code in enumerate(AREA_CODES)}
    areas = [code for code in AREA_CODES if counts[code] or code not in MANAGERS_ONLY]
    areas += sorted(code for code in counts if code not in order)  # a newer framework's areas
    return tuple(
        (code, counts[code]) for code in sorted(areas, key=lambda c: (-counts[c], order.get(c, len(order))))
    )


def _section(kind: Kind, entries: Iterable[Entry], *, key: Callable[[Entry], tuple]) -> Section:
    return Section(kind, tuple(sorted(entries, key=key)))


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


def _latest_first(e: Entry) -> tuple:
    return (-_stamp(e.at), e.name, e.teacher_id)


def _longest_waiting_first(e: Entry) -> tuple:
    return (_stamp(e.at), e.name, e.teacher_id)


def _longest_idle_first(e: Entry) -> tuple:
    return (_stamp(e.at), e.name, e.teacher_id)  # never seen (None) first


def _most_first(e: Entry) -> tuple:
    return (-e.quantity, e.name, e.teacher_id)


def _by_name(e: Entry) -> tuple:
    return (e.name, e.teacher_id)


# --- when the digest is due -----------------------------------------------------------------------


class DigestTimeError(ValueError):
    """A typed time that is not HH:MM; ``code`` is a message key in ``locales/``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_digest_time(text: str | None) -> time:
    """«8:30», «08:30» or «8.30» → 08:30; anything else raises :class:`DigestTimeError`."""
    match = _TIME.match(text or "")
    if not match:
        raise DigestTimeError("digest-err-time-format")
    hours, minutes = int(match[1]), int(match[2])
    if hours > 23 or minutes > 59:
        raise DigestTimeError("digest-err-time-range")
    return time(hours, minutes)


def format_digest_time(moment: time) -> str:
    """The stored form, «HH:MM»."""
    return moment.strftime("%H:%M")


class DigestSchedule(Protocol):
    """What :func:`next_digest_at` needs of the methodist's settings (``MethodistSettings``)."""

    @property
    def digest_time(self) -> str: ...


def next_digest_at(settings: DigestSchedule | None, tz: str, now: datetime) -> datetime:
    """The next moment after ``now`` (UTC) at which the methodist's local clock shows the digest time.

    ``tz`` is the methodist's region's zone. No settings, or a stored time that does not parse,
    mean the default 08:30. Today's time when it is still ahead, tomorrow's otherwise. A local time
    that a DST change skips resolves to the same wall time with the pre-change offset.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    try:
        at = parse_digest_time(settings.digest_time if settings else DEFAULT_DIGEST_TIME)
    except DigestTimeError:
        at = parse_digest_time(DEFAULT_DIGEST_TIME)
    zone = ZoneInfo(tz)
    local_today = now.astimezone(zone).date()
    candidate = datetime.combine(local_today, at, tzinfo=zone)
    if candidate <= now:
        candidate = datetime.combine(local_today + timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(UTC)


def short_name(full_name: str, limit: int = 28) -> str:
    """«Иванова Мария Петровна» → «Иванова М. П.»: for buttons, where room is scarce."""
    parts = full_name.split()
    if not parts:
        return ""
    name = " ".join([parts[0], *(f"{p[0]}." for p in parts[1:3])])
    return name if len(name) <= limit else name[: limit - 1] + "…"
