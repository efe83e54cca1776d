"""Matching стажировочные площадки to a teacher: deficits first, then subjects, then the place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ApplicationStatus(StrEnum):
    """An application's life: the teacher applies; their methodist (or, with none, an admin of the
    region) accepts or declines it; an accepted internship is marked completed. The teacher may
    withdraw while it is applied or accepted."""

    APPLIED = "applied"  # waits for the methodist's answer
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # withdrawn by the teacher; applying again reuses the row


# An application that holds one of the site's seats.
HOLDS_SEAT = frozenset({ApplicationStatus.APPLIED, ApplicationStatus.ACCEPTED, ApplicationStatus.COMPLETED})
# What a teacher may still withdraw.
WITHDRAWABLE = frozenset({ApplicationStatus.APPLIED, ApplicationStatus.ACCEPTED})


class Decision(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COMPLETE = "complete"


_DECISIONS: dict[tuple[ApplicationStatus, Decision], ApplicationStatus] = {
    (ApplicationStatus.APPLIED, Decision.ACCEPT): ApplicationStatus.ACCEPTED,
    (ApplicationStatus.APPLIED, Decision.DECLINE): ApplicationStatus.DECLINED,
    (ApplicationStatus.ACCEPTED, Decision.COMPLETE): ApplicationStatus.COMPLETED,
}


def decide(status: str, decision: Decision) -> ApplicationStatus | None:
    """The status an answer moves an application to, or None if it no longer applies (answered
    already, withdrawn, or not accepted yet)."""
    try:
        return _DECISIONS.get((ApplicationStatus(status), decision))
    except ValueError:
        return None


class ApplyOutcome(StrEnum):
    """What became of an application: a seat taken, one already held, or no seat left."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    FULL = "full"


@dataclass(frozen=True)
class Site:
    id: int
    areas: frozenset[str]
    subjects: frozenset[str]
    municipality_id: int | None
    ends_on: date
    format: str = "ochno"


@dataclass(frozen=True)
class Match:
    site_id: int
    reasons: tuple[tuple[str, tuple[str, ...]], ...]  # (message key, the matching codes)
    rank: tuple[int, ...]


def match_sites(
    sites: Sequence[Site],
    *,
    deficits: Sequence[str],
    subjects: frozenset[str],
    municipality_id: int | None,
    today: date,
    area: str | None = None,
    municipality_filter: int | None = None,
) -> list[Match]:
    """Sites still open, filtered, best first, each with the reasons it fits."""
    matches = []
    for site in sites:
        if site.ends_on < today:
            continue
        if area is not None and area not in site.areas:
            continue
        if municipality_filter is not None and site.municipality_id != municipality_filter:
            continue
        covered = tuple(a for a in deficits if a in site.areas)
        common = tuple(sorted(site.subjects & subjects))
        near = municipality_id is not None and site.municipality_id == municipality_id
        remote = site.format == "distance"
        reasons: list[tuple[str, tuple[str, ...]]] = []
        if covered:
            reasons.append(("match-deficit", covered))
        if common:
            reasons.append(("match-subject", common))
        if near:
            reasons.append(("match-near", ()))
        elif remote:
            reasons.append(("match-remote", ()))
        rank = (-len(covered), -len(common), 0 if near else 1 if remote else 2, site.id)
        matches.append(Match(site.id, tuple(reasons), rank))
    return sorted(matches, key=lambda m: m.rank)


def has_free_seat(seats: int, taken: int) -> bool:
    return taken < seats
