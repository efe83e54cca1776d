"""Drafting an individual educational route (ИОМ) from a diagnosis: pure, deterministic.

Every deficit gets at least one item, with the reason it was chosen. Items mix the three forms
of professional learning the documents name: formal (ДПП courses, ФР ДПП first), non-formal
(internships, seminars, the methodical associations, open lessons, mentorship for young
teachers) and informal (self-education).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

FORMAL, NONFORMAL, INFORMAL = "formal", "nonformal", "informal"


class RouteStatus(StrEnum):
    """A route's life: drafted, submitted to the methodist, approved (``ACTIVE``) or returned for
    changes, and completed when every item is done. A change to a submitted route takes it back to
    the draft: it needs a new approval."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # на согласовании
    RETURNED = "returned"
    ACTIVE = "active"  # approved by the methodist
    COMPLETED = "completed"


class ItemStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


# Item kinds and their form of learning.
KIND_FORMS = {
    "course": FORMAL,
    "internship": NONFORMAL,
    "event": NONFORMAL,
    "association": NONFORMAL,  # ШМО / РМО (ММО)
    "open_lesson": NONFORMAL,
    "mentorship": NONFORMAL,
    "self_education": INFORMAL,
}
# Hours planned for items that have no catalogue entry to take them from.
DEFAULT_HOURS = {"association": 6, "open_lesson": 4, "mentorship": 12, "self_education": 10, "event": 2}


@dataclass(frozen=True)
class ProgramOption:
    id: int
    title: str
    hours: int
    federal_registry: bool
    areas: frozenset[str]
    subjects: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SiteOption:
    id: int
    title: str
    municipality_id: int | None
    areas: frozenset[str]
    subjects: frozenset[str] = frozenset()
    hours: int = 16


@dataclass(frozen=True)
class EventOption:
    id: int
    title: str
    day: date
    areas: frozenset[str]
    hours: int = 2


@dataclass(frozen=True)
class Teacher:
    subjects: frozenset[str]
    municipality_id: int | None
    young: bool


@dataclass(frozen=True)
class Catalogue:
    programs: Sequence[ProgramOption] = ()
    sites: Sequence[SiteOption] = ()
    events: Sequence[EventOption] = ()


@dataclass(frozen=True)
class DraftItem:
    area: str
    kind: str
    form: str
    hours: int
    due: date
    reason: str  # a message key
    reason_args: dict[str, str | int] = field(default_factory=dict)
    program_id: int | None = None
    site_id: int | None = None
    event_id: int | None = None
    title: str | None = None  # catalogue items carry their title; generic ones are named by kind

    @property
    def ref(self) -> tuple[str, int | None]:
        ref_id = self.program_id or self.site_id or self.event_id
        return (self.kind, ref_id) if ref_id is not None else (f"{self.kind}:{self.area}", None)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def route_end(start: date, period_months: int) -> date:
    return add_months(start, period_months)


def draft_route(
    deficits: Sequence[str],
    teacher: Teacher,
    catalogue: Catalogue,
    *,
    start: date,
    period_months: int,
) -> list[DraftItem]:
    """Items for every deficit area (weakest first), due dates spread over the period."""
    end = route_end(start, period_months)
    planned: list[tuple[str, str, dict]] = []  # area, kind, details
    used: set[tuple[str, int | None]] = set()
    for area in deficits:
        for item in _items_for_area(area, teacher, catalogue, start, end, used):
            planned.append(item)
    if teacher.young and deficits:
        planned.append((deficits[0], "mentorship", {"reason": "reason-young-teacher"}))
    return _schedule(planned, start, end)


def _items_for_area(
    area: str, teacher: Teacher, catalogue: Catalogue, start: date, end: date, used: set
) -> list[tuple[str, str, dict]]:
    items: list[tuple[str, str, dict]] = []
    program = _best_program(area, teacher, catalogue.programs, used)
    if program is not None:
        used.add(("course", program.id))
        reason = "reason-course-registry" if program.federal_registry else "reason-course"
        items.append((area, "course", {"program": program, "reason": reason}))
    site = _best_site(area, teacher, catalogue.sites, used)
    event = _best_event(area, catalogue.events, start, end, used)
    if site is not None:
        used.add(("internship", site.id))
        same_place = site.municipality_id is not None and site.municipality_id == teacher.municipality_id
        reason = "reason-internship-near" if same_place else "reason-internship"
        items.append((area, "internship", {"site": site, "reason": reason}))
    elif event is not None:
        used.add(("event", event.id))
        items.append((area, "event", {"event": event, "reason": "reason-event"}))
    else:
        # Horizontal learning is always possible: the school or municipal methodical association.
        items.append((area, "association", {"reason": "reason-association"}))
    if program is None:
        items.append((area, "open_lesson", {"reason": "reason-open-lesson"}))
    items.append((area, "self_education", {"reason": "reason-self-education"}))
    return items


def _subject_overlap(subjects: frozenset[str], teacher: Teacher) -> int:
    return len(subjects & teacher.subjects)


def _best_program(
    area: str, teacher: Teacher, programs: Sequence[ProgramOption], used: set
) -> ProgramOption | None:
    fitting = [p for p in programs if area in p.areas and ("course", p.id) not in used]
    if not fitting:
        return None
    # ФР ДПП first, then a subject match (or a programme for every subject), then shorter, then id.
    return min(
        fitting,
        key=lambda p: (
            not p.federal_registry,
            -_subject_overlap(p.subjects, teacher) if p.subjects else 0,
            bool(p.subjects) and not _subject_overlap(p.subjects, teacher),
            p.hours,
            p.id,
        ),
    )


def _best_site(area: str, teacher: Teacher, sites: Sequence[SiteOption], used: set) -> SiteOption | None:
    fitting = [s for s in sites if area in s.areas and ("internship", s.id) not in used]
    if not fitting:
        return None
    return min(
        fitting,
        key=lambda s: (
            s.municipality_id != teacher.municipality_id,
            -_subject_overlap(s.subjects, teacher),
            s.id,
        ),
    )


def _best_event(
    area: str, events: Sequence[EventOption], start: date, end: date, used: set
) -> EventOption | None:
    fitting = [e for e in events if area in e.areas and start <= e.day <= end and ("event", e.id) not in used]
    return min(fitting, key=lambda e: (e.day, e.id)) if fitting else None


def _schedule(planned: list[tuple[str, str, dict]], start: date, end: date) -> list[DraftItem]:
    """Spread due dates evenly over the period; an event is due on its own day."""
    total_days = (end - start).days
    count = len(planned)
    items: list[DraftItem] = []
    for index, (area, kind, details) in enumerate(planned):
        due = start + timedelta(days=total_days * (index + 1) // count) if count else end
        program: ProgramOption | None = details.get("program")
        site: SiteOption | None = details.get("site")
        event: EventOption | None = details.get("event")
        hours = DEFAULT_HOURS.get(kind, 0)
        title = None
        if program is not None:
            hours, title = program.hours, program.title
        elif site is not None:
            hours, title = site.hours, site.title
        elif event is not None:
            hours, title, due = event.hours, event.title, event.day
        items.append(
            DraftItem(
                area=area,
                kind=kind,
                form=KIND_FORMS[kind],
                hours=hours,
                due=min(max(due, start), end),
                reason=details["reason"],
                reason_args={"area": area},
                program_id=program.id if program else None,
                site_id=site.id if site else None,
                event_id=event.id if event else None,
                title=title,
            )
        )
    return items


def total_hours(items: Sequence[DraftItem]) -> int:
    return sum(i.hours for i in items)
