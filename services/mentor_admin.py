"""«Кабинет методиста», mentorship: young teachers without a mentor, assigning and reassigning a
mentor, the region's pairs (closing one), nominating experienced teachers into the registry.

Only a methodist or an admin may (``Denied`` for anyone else), and only within their own region:
a teacher or a pair of another region, or one that is gone, is ``Stale``. Every change is
written to the audit log in the same transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from domain.indicators import Period
from domain.mentorship import Form, PairStatus, RequestStatus, Source, Typed, pair_goals
from domain.roles import Role
from services.mentorship import (
    UNAVAILABLE,
    Closed,
    Offered,
    PairCard,
    Unavailable,
    announce,
    announcement,
    card,
    checked,
    close,
    offered,
    ranked,
    tell_closed,
)
from services.regions import RegionRules
from services.reminders import hand_off
from services.results import DENIED, STALE, Denied, Stale
from services.uow import UnitOfWork
from storage.audit import audit
from storage.indicators import supported_people
from storage.learning import DiagnosisRepo
from storage.mentorship import MentorRepo, nominee_candidates, region_active_pairs, region_young_teachers
from storage.models import MentorPair, User

log = logging.getLogger(__name__)
STAFF = frozenset({Role.METHODIST, Role.ADMIN})
PAGE = 10  # young teachers per page
CANDIDATES = 5
# A list of people is a button each, and «В меню» one more: 30 rows, as many as MAX shows.
PAIRS = 29  # the oldest; the digest and the teacher list reach the others
NOMINEES = 29  # the first of them by name; a nomination brings the next one in


@dataclass(frozen=True, slots=True)
class YoungPage:
    """The region's young teachers: how many, how many wait for a mentor, a page of those."""

    total: int
    waiting: int
    shown: list[User]
    page: int
    more: bool
    # Percent of them in ≥1 form of support in the current reporting period — C-6/R-5 as the
    # indicator counts it (the region's forms, ``domain.indicators.supported``) — and its target.
    share: int
    target: float | None = None


@dataclass(frozen=True, slots=True)
class TeacherCandidates:
    mentee: User
    offered: list[Offered]
    replacing: int  # the pair being replaced, 0 for none


@dataclass(frozen=True, slots=True)
class Assigned:
    """A pair made; both sides are told (queued)."""

    pair: MentorPair
    replaced: bool


@dataclass(frozen=True, slots=True)
class RegionPairs:
    count: int
    shown: list[tuple[MentorPair, str | None, str | None]]  # the pair, the mentee's and mentor's names


@dataclass(frozen=True, slots=True)
class Nominees:
    years: int  # of experience a mentor needs
    people: list[User]


@dataclass(frozen=True, slots=True)
class Nominated:
    person: User
    nominees: Nominees


async def _in_region(uow: UnitOfWork, methodist: User, user_id: int) -> User | None:
    person = await MentorRepo(uow.session).person(user_id)
    return person if person is not None and person.region_code == methodist.region_code else None


async def _pair_in_region(uow: UnitOfWork, methodist: User, pair_id: int) -> MentorPair | None:
    """An active pair whose mentee is of the methodist's region."""
    pair = await MentorRepo(uow.session).pair(pair_id)
    if pair is None or pair.status != PairStatus.ACTIVE:
        return None
    return pair if await _in_region(uow, methodist, pair.mentee_id) is not None else None


async def young_without_support(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, page: int
) -> YoungPage | Denied:
    if role not in STAFF:
        return DENIED
    young = await region_young_teachers(
        uow.session, methodist.region_code, rules.young_teacher, uow.now().date()
    )
    waiting = [person for person, paired in young if not paired]
    today = uow.now().astimezone(ZoneInfo(rules.timezone)).date()
    period = Period.containing(today, rules.reporting_period)
    supported = await supported_people(
        uow.session,
        [person.id for person, _ in young],
        rules.support_forms,
        rules.timezone,
        period.start,
        today,
    )
    share = 100 * len(supported) / len(young) if young else 0
    return YoungPage(
        total=len(young),
        waiting=len(waiting),
        shown=waiting[page * PAGE : (page + 1) * PAGE],
        page=page,
        more=(page + 1) * PAGE < len(waiting),
        share=round(share),
        target=rules.young_support_target,
    )


async def _replaced(uow: UnitOfWork, mentee: User, pair_id: int) -> MentorPair | Stale | None:
    """The active pair of ``mentee`` being replaced (None when none is)."""
    if not pair_id:
        return None
    pair = await MentorRepo(uow.session).pair(pair_id)
    if pair is None or pair.mentee_id != mentee.id or pair.status != PairStatus.ACTIVE:
        return STALE
    return pair


async def candidates(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, *, teacher_id: int, replacing: int
) -> TeacherCandidates | Stale | Denied:
    """The best mentors for a teacher of the region (in place of the pair ``replacing``, if any)."""
    if role not in STAFF:
        return DENIED
    mentee = await _in_region(uow, methodist, teacher_id)
    if mentee is None or isinstance(await _replaced(uow, mentee, replacing), Stale):
        return STALE
    return TeacherCandidates(
        mentee, await offered(uow, mentee, rules, Form.YOUNG, None, CANDIDATES), replacing
    )


async def assign(
    uow: UnitOfWork,
    methodist: User,
    role: Role,
    rules: RegionRules,
    *,
    teacher_id: int,
    mentor_id: int,
    replacing: int,
    replaced_outcome: str,
) -> Assigned | Unavailable | Stale | Denied:
    """A pair of the teacher and a mentor who may take them; the pair ``replacing`` (if any) is
    closed with ``replaced_outcome``."""
    if role not in STAFF:
        return DENIED
    mentee = await _in_region(uow, methodist, teacher_id)
    if mentee is None:
        return STALE
    replaced = await _replaced(uow, mentee, replacing)
    if isinstance(replaced, Stale):
        return STALE
    best, people = await ranked(uow, mentee, rules, Form.YOUNG, None)
    if not any(r.user_id == mentor_id for r in best):  # over capacity, declined, or not a mentor
        return UNAVAILABLE
    now = uow.now()
    if replaced is not None:
        close(replaced, replaced_outcome, now)
    waiting = await MentorRepo(uow.session).pending_of_mentee(mentee.id)
    if waiting is not None:  # the methodist answered it: the mentor's «Принять» goes stale
        waiting.status, waiting.answered_at = RequestStatus.SUPERSEDED, now
    diagnosis = await DiagnosisRepo(uow.session).latest_done(mentee.id)
    deficits = list(diagnosis.deficits) if diagnosis else []
    pair = await MentorRepo(uow.session).create_pair(
        mentee.id, mentor_id, Form.YOUNG, pair_goals(deficits), now, methodist.id
    )
    await audit(
        uow.session,
        methodist.id,
        "pair.assign",
        target_type="pair",
        target_id=pair.id,
        replaced=bool(replaced),
    )
    await announce(uow, await announcement(uow, pair, mentee, people[mentor_id], rules), sender=methodist)
    await uow.commit()
    log.info("pair assigned by methodist", extra={"user_id": methodist.id, "pair_id": pair.id})
    return Assigned(pair, replaced is not None)


async def region_pairs(uow: UnitOfWork, methodist: User, role: Role) -> RegionPairs | Denied:
    if role not in STAFF:
        return DENIED
    count, shown = await region_active_pairs(uow.session, methodist.region_code, limit=PAIRS)
    return RegionPairs(count, shown)


async def pair_card(uow: UnitOfWork, methodist: User, role: Role, pair_id: int) -> PairCard | Stale | Denied:
    """An active pair of the region with its meetings."""
    if role not in STAFF:
        return DENIED
    pair = await _pair_in_region(uow, methodist, pair_id)
    if pair is None:
        return STALE
    return await card(uow, pair)


async def pair_to_close(
    uow: UnitOfWork, methodist: User, role: Role, pair_id: int
) -> MentorPair | Stale | Denied:
    if role not in STAFF:
        return DENIED
    pair = await _pair_in_region(uow, methodist, pair_id)
    return STALE if pair is None else pair


async def close_pair(
    uow: UnitOfWork, methodist: User, role: Role, pair_id: int, outcome: str
) -> Closed | Stale | Denied:
    """Close an active pair of the region with its outcome (checked by ``mentorship.typed``); both
    sides are to be told."""
    outcome = checked(Typed.OUTCOME, outcome)
    pair = await pair_to_close(uow, methodist, role, pair_id)
    if not isinstance(pair, MentorPair):
        return pair
    await audit(uow.session, methodist.id, "pair.close", target_type="pair", target_id=pair.id)
    close(pair, outcome, uow.now())
    repo = MentorRepo(uow.session)
    sides = [await repo.person(pair.mentee_id), await repo.person(pair.mentor_id)]
    others = [person for person in sides if person is not None]
    await tell_closed(uow, pair, others, methodist, outcome)
    await uow.commit()
    return Closed(pair, others)


async def nominees(uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules) -> Nominees | Denied:
    """Teachers of the region experienced enough to mentor who are not in the registry."""
    if role not in STAFF:
        return DENIED
    return await _nominees(uow, methodist, rules)


async def _nominees(uow: UnitOfWork, methodist: User, rules: RegionRules) -> Nominees:
    years = rules.thresholds.mentor_min_experience_years
    people = await nominee_candidates(
        uow.session, methodist.region_code, years, uow.now().date(), limit=NOMINEES
    )
    return Nominees(years, list(people))


async def nominate(
    uow: UnitOfWork, methodist: User, role: Role, rules: RegionRules, teacher_id: int
) -> Nominated | Stale | Denied:
    """Put a teacher of the region into the registry and tell them (queued). The list after it."""
    if role not in STAFF:
        return DENIED
    person = await _in_region(uow, methodist, teacher_id)
    if person is None:
        return STALE
    await MentorRepo(uow.session).enrol(person.id, Source.NOMINATED, None, uow.now())
    await audit(uow.session, methodist.id, "mentor.nominate", target_type="user", target_id=person.id)
    await hand_off(
        uow, person.id, "mentor-nominated-you", {"name": methodist.full_name or "—"}, sender=methodist
    )
    await uow.commit()
    return Nominated(person, await _nominees(uow, methodist, rules))
