"""Наставничество: who may mentor, who needs a mentor, and ranking candidates with reasons.

Forms (the documents' own): «наставник – молодой специалист» (``young``), a peer pair by
competence (``peer``: «учитель, владеющий компетенцией – учитель, которому её необходимо
сформировать»), and управленческое наставничество (``management``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Typed(StrEnum):
    """What a mentorship conversation asks to be typed, each with its longest allowed length."""

    TOPIC = "topic"  # of a meeting
    NOTE = "note"  # of a meeting
    DECLINE_MESSAGE = "decline_message"  # from a mentor who declines a request
    OUTCOME = "outcome"  # of a pair, when it is closed
    CONTACT = "contact"  # a mentor's contact besides Telegram

    @property
    def max_len(self) -> int:
        return TYPED_MAX[self]


TYPED_MAX = {
    Typed.TOPIC: 200,
    Typed.NOTE: 1000,
    Typed.DECLINE_MESSAGE: 500,
    Typed.OUTCOME: 1000,
    Typed.CONTACT: 200,
}


class Form(StrEnum):
    YOUNG = "young"
    PEER = "peer"
    MANAGEMENT = "management"


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # the mentor did not answer in time
    CANCELLED = "cancelled"  # the mentee took it back
    SUPERSEDED = "superseded"  # a methodist paired the mentee while it waited


class PairStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Source(StrEnum):
    """How a teacher came into the mentor registry."""

    OPT_IN = "opt_in"
    NOMINATED = "nominated"
    IMPORTED = "imported"


FORMS = tuple(Form)


def form_and_area(form: str | None, area: str | None) -> tuple[Form, str | None] | None:
    """A form someone may ask for, with its area: a peer pair names one, the others none."""
    if form in (Form.YOUNG, Form.MANAGEMENT) and not area:
        return Form(form), None
    if form == Form.PEER and area:
        return Form.PEER, area
    return None


@dataclass(frozen=True)
class Candidate:
    user_id: int
    subjects: frozenset[str]
    school_id: int | None
    municipality_id: int | None
    strengths: frozenset[str]  # competence areas from the latest self-diagnosis
    load: int  # active pairs as a mentor
    capacity: int
    experience_years: int
    manager: bool = False


@dataclass(frozen=True)
class Mentee:
    user_id: int
    subjects: frozenset[str]
    school_id: int | None
    municipality_id: int | None
    deficits: tuple[str, ...]


@dataclass(frozen=True)
class Ranked:
    user_id: int
    reasons: tuple[tuple[str, tuple[str, ...]], ...]  # (message key, codes)
    rank: tuple[int, ...]


def can_mentor(candidate: Candidate, *, min_experience: int, form: str) -> bool:
    if candidate.experience_years < min_experience or candidate.load >= candidate.capacity:
        return False
    return candidate.manager if form == Form.MANAGEMENT else True


def rank_candidates(
    mentee: Mentee,
    candidates: Sequence[Candidate],
    *,
    form: str,
    min_experience: int,
    excluded: Collection[int] = (),
    area: str | None = None,
) -> list[Ranked]:
    """Candidates best first: same subject and school, then same subject and municipality, then
    strength in the mentee's deficits, then the lighter load. Never over capacity, never the
    mentee, never anyone in ``excluded`` (who declined this mentee or let the request lapse).

    For a peer pair only colleagues strong in ``area`` qualify.
    """
    ranked = []
    needs = (area,) if area else mentee.deficits
    for c in candidates:
        if c.user_id == mentee.user_id or c.user_id in excluded:
            continue
        if not can_mentor(c, min_experience=min_experience, form=form):
            continue
        if form == Form.PEER and (area is None or area not in c.strengths):
            continue
        common = tuple(sorted(c.subjects & mentee.subjects))
        same_school = mentee.school_id is not None and c.school_id == mentee.school_id
        same_place = mentee.municipality_id is not None and c.municipality_id == mentee.municipality_id
        strong = tuple(a for a in needs if a in c.strengths)
        if common and same_school:
            tier, reasons = 0, [("mentor-reason-school-subject", common)]
        elif common and same_place:
            tier, reasons = 1, [("mentor-reason-place-subject", common)]
        elif strong:
            tier, reasons = 2, []
        else:
            tier, reasons = 3, [("mentor-reason-subject", common)] if common else []
        if strong:
            reasons.append(("mentor-reason-strength", strong))
        reasons.append(("mentor-reason-load", (str(c.load), str(c.capacity))))
        ranked.append(Ranked(c.user_id, tuple(reasons), (tier, -len(strong), c.load, c.user_id)))
    return sorted(ranked, key=lambda r: r.rank)


def pair_goals(deficits: Sequence[str], area: str | None = None) -> list[str]:
    """The pair plan's goals: the competence of a peer pair, or the mentee's deficits (none
    without a self-diagnosis: the pair sets them at its first meeting)."""
    if area:
        return [area]
    return list(deficits)


def supported_share(young: Collection[int], supported: Collection[int]) -> float | None:
    """C-6: the share (0..100) of young teachers in at least one form of support."""
    if not young:
        return None
    return 100 * len(set(young) & set(supported)) / len(set(young))
