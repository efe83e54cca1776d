"""Flow 5: «Наставничество», the teacher's side — candidates with reasons, requests, pairs,
meetings, the mentor registry — and the scheduler's part (requests nobody answered, meeting
reminders).

A request answers only to its mentor while it is pending, and the mentee may take it back; a pair
answers only to its two sides. Anything else — someone else's request or pair, one already
answered or closed, a forged id — is ``Stale``. What the other side is to be told is queued here,
in the transaction of the change, as a hand-off (``services.reminders.hand_off``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.mentorship import (
    Candidate,
    Form,
    Mentee,
    PairStatus,
    Ranked,
    RequestStatus,
    Source,
    Typed,
    form_and_area,
    pair_goals,
    rank_candidates,
)
from domain.profile import ProfileError, clean_text, experience_years, is_manager, parse_date
from domain.region import Thresholds
from domain.reminders import Delivery, delivery
from services.regions import RegionRules, region_rules
from services.reminders import (
    AnswerRequest,
    Button,
    Mention,
    OpenMentorPair,
    OpenMentorship,
    Term,
    Terms,
    hand_off,
    plan_mentor_meeting,
)
from services.results import STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.learning import DiagnosisRepo
from storage.mentorship import MentorRepo
from storage.models import MentorMeeting, MentorPair, MentorRequest, User
from storage.outbox import Outbox

log = logging.getLogger(__name__)
TOP = 3  # candidates offered at once
# The scheduler looks at pairs quiet for at least this long; each region's own (longer) rule decides.
SHORTEST_REMINDER_DAYS = 3


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Offered:
    """A candidate mentor (the school loaded) and why they are offered."""

    ranked: Ranked
    mentor: User


@dataclass(frozen=True, slots=True)
class PairLine:
    """An active pair seen from one side: the other person, and whether this side is the mentee."""

    pair: MentorPair
    other: User | None
    as_mentee: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """The mentee's request waiting for ``mentor``'s answer, and how its message to the mentor fared
    (it waits in the mentor's «Входящие» either way)."""

    request: MentorRequest
    mentor: User | None
    delivery: Delivery = Delivery.SENDING


@dataclass(frozen=True, slots=True)
class Home:
    """What «Наставничество» shows ``user``: the pairs, a pending request or (to a young teacher
    without a mentor) the best candidates, which other forms they may look for, and the registry.

    ``young_offer`` is None when no young-teacher offer applies, empty when nobody is available.
    ``mentor`` is True in the registry, False when experienced enough to join, None otherwise."""

    user: User
    thresholds: Thresholds
    pairs: list[PairLine]
    pending: Pending | None
    young_offer: list[Offered] | None
    peer: bool
    management: bool
    mentor: bool | None


@dataclass(frozen=True, slots=True)
class PeerAreas:
    """The deficits of the latest self-diagnosis: the areas a peer pair can be about."""

    areas: list[str]


@dataclass(frozen=True, slots=True)
class Candidates:
    form: Form
    area: str | None
    offered: list[Offered]


@dataclass(frozen=True, slots=True)
class Unavailable:
    """The chosen mentor is not a candidate (any more): full, declined before, or never one."""


UNAVAILABLE = Unavailable()


@dataclass(frozen=True, slots=True)
class Requested:
    """A request sent (queued for ``mentor``, with the mentee's school and deficits)."""

    request: MentorRequest
    mentee: User
    mentor: User
    deficits: tuple[str, ...]
    days: int  # to answer


@dataclass(frozen=True, slots=True)
class Announcement:
    """A new pair: both sides get each other's contact (the mentor's only as far as they allowed)
    and the plan (``announce``)."""

    pair: MentorPair
    mentee: User
    mentor: User
    mentor_contact: str | None
    meeting_days: int  # how long without a logged meeting before a reminder


@dataclass(frozen=True, slots=True)
class CapacityFull:
    capacity: int


@dataclass(frozen=True, slots=True)
class Accepted:
    """A pair made; both sides are told (queued)."""

    mentee: User
    pair: MentorPair


@dataclass(frozen=True, slots=True)
class Declined:
    """The mentee is told (queued), with a way to the next candidates."""


@dataclass(frozen=True, slots=True)
class PairCard:
    pair: MentorPair
    mentee: User | None
    mentor: User | None
    meetings: list[MentorMeeting]  # newest first
    mentor_contact: str | None  # what the mentor allowed besides Telegram


@dataclass(frozen=True, slots=True)
class Closed:
    """The pair is closed: ``others`` are told the outcome (queued)."""

    pair: MentorPair
    others: list[User]


@dataclass(frozen=True, slots=True)
class Enrolled:
    capacity: int  # the region's default number of mentees


# --- candidates --------------------------------------------------------------------------------


async def _mentee(uow: UnitOfWork, user: User) -> Mentee:
    diagnosis = await DiagnosisRepo(uow.session).latest_done(user.id)
    return Mentee(
        user.id,
        frozenset(user.subjects),
        user.school_id,
        user.municipality_id,
        tuple(diagnosis.deficits) if diagnosis else (),
    )


def _experience(user: User, today: date) -> int:
    return experience_years(user.work_start_year, today) if user.work_start_year else 0


async def ranked(
    uow: UnitOfWork, mentee: User, rules: RegionRules, form: Form, area: str | None
) -> tuple[list[Ranked], dict[int, User]]:
    """The mentee's region's mentors who may take them, best first, and the people by id."""
    repo = MentorRepo(uow.session)
    rows = await repo.candidates(mentee.region_code)
    today = uow.now().date()
    thresholds = rules.thresholds
    candidates = [
        Candidate(
            user_id=u.id,
            subjects=frozenset(u.subjects),
            school_id=u.school_id,
            municipality_id=u.municipality_id,
            strengths=frozenset(strengths),
            load=load,
            capacity=profile.capacity or thresholds.mentor_capacity,
            experience_years=_experience(u, today),
            manager=is_manager(u.position),
        )
        for u, profile, load, strengths in rows
    ]
    result = rank_candidates(
        await _mentee(uow, mentee),
        candidates,
        form=form,
        min_experience=thresholds.mentor_min_experience_years,
        excluded=await repo.excluded_for(mentee.id),
        area=area,
    )
    return result, {u.id: u for u, _, _, _ in rows}


async def offered(
    uow: UnitOfWork, mentee: User, rules: RegionRules, form: Form, area: str | None, limit: int
) -> list[Offered]:
    """The best ``limit`` candidates, their schools loaded for their cards."""
    best, people = await ranked(uow, mentee, rules, form, area)
    top = [Offered(r, people[r.user_id]) for r in best[:limit]]
    await MentorRepo(uow.session).load_schools([o.mentor for o in top])
    return top


# --- home ----------------------------------------------------------------------------------------


async def home(uow: UnitOfWork, user: User, rules: RegionRules) -> Home:
    repo = MentorRepo(uow.session)
    today = uow.now().date()
    thresholds = rules.thresholds
    pairs = await repo.active_pairs(user.id)
    lines = [
        PairLine(
            pair,
            await repo.person(pair.mentor_id if pair.mentee_id == user.id else pair.mentee_id),
            pair.mentee_id == user.id,
        )
        for pair in pairs
    ]
    request = await repo.pending_of_mentee(user.id)
    pending, young_offer = None, None
    if request is not None:
        sent = await Outbox(uow.session).latest_to(request.mentor_id, "request", request.id)
        state = delivery(sent.status, sent.error) if sent is not None else Delivery.SENDING
        pending = Pending(request, await repo.person(request.mentor_id), state)
    elif rules.young_teacher.applies(user.birth_date, user.work_start_year, today) and not any(
        p.mentee_id == user.id and p.form == Form.YOUNG for p in pairs
    ):
        young_offer = await offered(uow, user, rules, Form.YOUNG, None, TOP)
    peer = management = False
    if request is None:
        diagnosis = await DiagnosisRepo(uow.session).latest_done(user.id)
        peer = bool(diagnosis and diagnosis.deficits)
        management = is_manager(user.position)
    profile = await repo.profile(user.id)
    mentor: bool | None = None
    if profile is not None and profile.active:
        mentor = True
    elif user.work_start_year and _experience(user, today) >= thresholds.mentor_min_experience_years:
        mentor = False
    return Home(user, thresholds, lines, pending, young_offer, peer, management, mentor)


# --- choosing a mentor -----------------------------------------------------------------------------


async def peer_areas(uow: UnitOfWork, user: User) -> PeerAreas | Stale:
    diagnosis = await DiagnosisRepo(uow.session).latest_done(user.id)
    if diagnosis is None or not diagnosis.deficits:
        return STALE
    return PeerAreas(list(diagnosis.deficits))


async def _may_ask(uow: UnitOfWork, user: User, rules: RegionRules, form: Form, area: str | None) -> bool:
    """Whether ``user`` may ask for a mentor of this form now: no request pending, and young for
    «молодой специалист», a manager for управленческое, the area a deficit for a peer pair."""
    if await MentorRepo(uow.session).pending_of_mentee(user.id) is not None:
        return False
    if form == Form.YOUNG:
        return rules.young_teacher.applies(user.birth_date, user.work_start_year, uow.now().date())
    if form == Form.MANAGEMENT:
        return is_manager(user.position)
    diagnosis = await DiagnosisRepo(uow.session).latest_done(user.id)
    return diagnosis is not None and area in diagnosis.deficits


async def candidates(
    uow: UnitOfWork, user: User, rules: RegionRules, form: str | None, area: str | None
) -> Candidates | Stale:
    chosen = form_and_area(form, area)
    if chosen is None or not await _may_ask(uow, user, rules, *chosen):
        return STALE
    return Candidates(*chosen, await offered(uow, user, rules, *chosen, TOP))


async def ask(
    uow: UnitOfWork, user: User, rules: RegionRules, *, mentor_id: int, form: str | None, area: str | None
) -> Requested | Unavailable | Stale:
    """Ask ``mentor_id`` to mentor ``user``; the request lapses after the region's days."""
    chosen = form_and_area(form, area)
    if chosen is None or not await _may_ask(uow, user, rules, *chosen):
        return STALE
    best, people = await ranked(uow, user, rules, *chosen)
    if not any(r.user_id == mentor_id for r in best):
        return UNAVAILABLE
    now = uow.now()
    days = rules.thresholds.mentor_request_days
    repo = MentorRepo(uow.session)
    await repo.load_schools([user])
    deficits = (await _mentee(uow, user)).deficits
    request = await repo.create_request(
        user.id, mentor_id, chosen[0], chosen[1], now, now + timedelta(days=days)
    )
    await hand_off(
        uow,
        mentor_id,
        "mentor-request-received",
        {
            "name": user.full_name or "—",
            "school": user.school.name if user.school else (user.school_custom or "—"),
            "subjects": Terms(tuple(f"subject-{c}" for c in user.subjects or ()), ""),
            "form": Term(f"mentor-form-{request.form}"),
            "deficits": Terms(tuple(f"area-{a}" for a in deficits), "diag-none"),
            "until": request.expires_at.date(),
        },
        (
            Button("mentor-btn-accept", AnswerRequest(request.id, accept=True)),
            Button("mentor-btn-decline", AnswerRequest(request.id, accept=False)),
        ),
        sender=user,
        ref=("request", request.id),
    )
    await uow.commit()
    return Requested(request, user, people[mentor_id], deficits, days)


async def cancel_request(uow: UnitOfWork, user: User, rules: RegionRules, request_id: int) -> Home | Stale:
    """The mentee takes their pending request back; their home as it is then."""
    request = await MentorRepo(uow.session).request(request_id)
    if request is None or request.mentee_id != user.id or request.status != RequestStatus.PENDING:
        return STALE
    request.status, request.answered_at = RequestStatus.CANCELLED, uow.now()
    await uow.commit()
    return await home(uow, user, rules)


# --- the mentor answers -----------------------------------------------------------------------------


async def request_to_answer(uow: UnitOfWork, user: User, request_id: int) -> MentorRequest | Stale:
    """A request still waiting for ``user``'s answer as its mentor."""
    request = await MentorRepo(uow.session).request(request_id)
    if request is None or request.mentor_id != user.id or request.status != RequestStatus.PENDING:
        return STALE
    return request


async def accept(
    uow: UnitOfWork, user: User, rules: RegionRules, request_id: int
) -> Accepted | CapacityFull | Stale:
    """The mentor accepts: a pair with the mentee's deficits (or the peer pair's area) as goals."""
    request = await request_to_answer(uow, user, request_id)
    if isinstance(request, Stale):
        return STALE
    repo = MentorRepo(uow.session)
    profile = await repo.profile(user.id)
    capacity = (profile.capacity if profile else None) or rules.thresholds.mentor_capacity
    if await repo.load(user.id) >= capacity:
        return CapacityFull(capacity)
    mentee = await repo.person(request.mentee_id)
    if mentee is None:
        return STALE
    now = uow.now()
    request.status, request.answered_at = RequestStatus.ACCEPTED, now
    deficits = (await _mentee(uow, mentee)).deficits
    pair = await repo.create_pair(
        mentee.id, user.id, request.form, pair_goals(deficits, request.area), now, None
    )
    await uow.flush()
    await announce(uow, await announcement(uow, pair, mentee, user, rules), sender=user)
    await uow.commit()
    log.info("mentor request accepted", extra={"pair_id": pair.id})
    return Accepted(mentee, pair)


async def announcement(
    uow: UnitOfWork, pair: MentorPair, mentee: User, mentor: User, rules: RegionRules
) -> Announcement:
    profile = await MentorRepo(uow.session).profile(mentor.id)
    contact = profile.contact if profile is not None else None
    return Announcement(pair, mentee, mentor, contact, rules.thresholds.mentor_meeting_reminder_days)


async def announce(uow: UnitOfWork, new: Announcement, *, sender: User) -> None:
    """Queue, for both sides of a new pair, the other's contact (the mentor's only as far as they
    allowed) and the plan; ``sender`` (who made the pair) is told if one cannot be delivered. The
    caller commits."""
    pair = new.pair
    for person, other, key in (
        (new.mentee, new.mentor, "mentor-pair-mentee"),
        (new.mentor, new.mentee, "mentor-pair-mentor"),
    ):
        contact = new.mentor_contact if other is new.mentor else None
        await hand_off(
            uow,
            person.id,
            key,
            {
                "name": other.full_name or "—",
                "contact": Mention(
                    other.telegram_id, other.full_name or "Telegram", contact, other.messenger
                ),
                "form": Term(f"mentor-form-{pair.form}"),
                "goals": Terms(tuple(f"area-{g}" for g in pair.goals), "mentor-goals-open"),
                "days": new.meeting_days,
            },
            (Button("mentor-btn-open-pair", OpenMentorPair(pair.id)),),
            sender=sender if sender.id != person.id else None,
            ref=("pair", pair.id),
        )


def typed(kind: Typed, text: str | None) -> str | Invalid:
    """A typed answer of a mentorship conversation, its spaces tidied: not empty, not longer than
    the kind allows. The services that store one take it only checked by this."""
    try:
        return clean_text(text, max_len=kind.max_len, error_prefix="err-name")
    except ProfileError as err:
        return Invalid(err.code, dict(err.args_))


def checked(kind: Typed, text: str) -> str:
    """``text`` as ``typed`` leaves it; a text that does not pass is the caller's mistake."""
    value = typed(kind, text)
    if isinstance(value, Invalid):
        raise ValueError(f"{kind} not checked with services.mentorship.typed: {value.key}")
    return value


async def decline(uow: UnitOfWork, user: User, request_id: int, message: str | None) -> Declined | Stale:
    """The mentor declines (with a message, checked by ``typed``, or without); the mentee gets the
    next candidates."""
    message = checked(Typed.DECLINE_MESSAGE, message) if message is not None else None
    request = await request_to_answer(uow, user, request_id)
    if isinstance(request, Stale):
        return STALE
    request.status, request.answered_at, request.message = RequestStatus.DECLINED, uow.now(), message
    await hand_off(
        uow,
        request.mentee_id,
        "mentor-declined-with-message" if message else "mentor-declined",
        {"name": user.full_name or "—", "message": message or ""},
        (Button("mentor-btn-other-candidates", OpenMentorship()),),
        sender=user,
        ref=("request", request.id),
    )
    await uow.commit()
    return Declined()


# --- the pair --------------------------------------------------------------------------------------


async def pair_card(uow: UnitOfWork, user: User, pair_id: int) -> PairCard | Stale:
    """A pair of ``user``'s own (active or closed) with its meetings."""
    repo = MentorRepo(uow.session)
    pair = await repo.pair_of(pair_id, user.id)
    if pair is None:
        return STALE
    return await card(uow, pair)


async def card(uow: UnitOfWork, pair: MentorPair) -> PairCard:
    repo = MentorRepo(uow.session)
    profile = await repo.profile(pair.mentor_id)
    return PairCard(
        pair,
        await repo.person(pair.mentee_id),
        await repo.person(pair.mentor_id),
        list(await repo.meetings(pair.id)),
        profile.contact if profile is not None else None,
    )


async def to_close(uow: UnitOfWork, user: User, pair_id: int) -> PairCard | Stale:
    """An active pair of ``user``'s own, with both people, to name when asking to confirm closing it."""
    pair = await active_pair(uow, user, pair_id)
    return STALE if isinstance(pair, Stale) else await card(uow, pair)


async def active_pair(uow: UnitOfWork, user: User, pair_id: int) -> MentorPair | Stale:
    """An active pair of ``user``'s own: one they may log a meeting in or close."""
    pair = await MentorRepo(uow.session).pair_of(pair_id, user.id)
    if pair is None or pair.status != PairStatus.ACTIVE:
        return STALE
    return pair


async def meeting_date(uow: UnitOfWork, user: User, pair_id: int, text: str | None) -> date | Invalid | Stale:
    """A typed meeting date: a real date, not in the future, not before the pair began."""
    pair = await active_pair(uow, user, pair_id)
    if isinstance(pair, Stale):
        return STALE
    try:
        day = parse_date(text)
    except ProfileError as err:
        return Invalid(err.code)
    if day > uow.now().date():
        return Invalid("err-date-future")
    if day < pair.started_at.date():
        return Invalid("mentor-date-before-pair", {"since": pair.started_at.date()})
    return day


async def log_meeting(
    uow: UnitOfWork, user: User, pair_id: int, *, day: date, topic: str, note: str | None
) -> PairCard | Stale:
    """Record a meeting of an active pair (topic and note checked by ``typed``); the pair's card."""
    topic = checked(Typed.TOPIC, topic)
    note = checked(Typed.NOTE, note) if note is not None else None
    pair = await active_pair(uow, user, pair_id)
    if isinstance(pair, Stale):
        return STALE
    repo = MentorRepo(uow.session)
    await repo.add_meeting(
        MentorMeeting(
            pair_id=pair.id, logged_by=user.id, met_on=day, topic=topic, note=note, created_at=uow.now()
        )
    )
    await uow.commit()
    return await card(uow, pair)


def close(pair: MentorPair, outcome: str, now: datetime) -> None:
    pair.status, pair.closed_at, pair.outcome = PairStatus.CLOSED, now, outcome


async def close_pair(uow: UnitOfWork, user: User, pair_id: int, outcome: str) -> Closed | Stale:
    """One side closes the pair with its outcome (checked by ``typed``); the other side is to be told."""
    outcome = checked(Typed.OUTCOME, outcome)
    pair = await active_pair(uow, user, pair_id)
    if isinstance(pair, Stale):
        return STALE
    close(pair, outcome, uow.now())
    other = await MentorRepo(uow.session).person(
        pair.mentor_id if pair.mentee_id == user.id else pair.mentee_id
    )
    others = [other] if other is not None else []
    await tell_closed(uow, pair, others, user, outcome)
    await uow.commit()
    return Closed(pair, others)


async def tell_closed(
    uow: UnitOfWork, pair: MentorPair, others: list[User], closer: User, outcome: str
) -> None:
    """Queue the outcome for the sides of a closed pair who did not close it; the caller commits."""
    for person in others:
        await hand_off(
            uow,
            person.id,
            "mentor-closed-other",
            {"name": closer.full_name or "—", "outcome": outcome},
            sender=closer,
            ref=("pair", pair.id),
        )


# --- the registry ----------------------------------------------------------------------------------


async def check_opt_in(uow: UnitOfWork, user: User, rules: RegionRules) -> Invalid | None:
    """None if ``user`` has the experience a mentor needs; else why not."""
    years = rules.thresholds.mentor_min_experience_years
    if _experience(user, uow.now().date()) < years:
        return Invalid("mentor-optin-too-early", {"years": years})
    return None


async def enrol(uow: UnitOfWork, user: User, rules: RegionRules, contact: str | None) -> Enrolled:
    """Into the registry (again), with the contact a mentee will get besides Telegram (checked by
    ``typed``)."""
    contact = checked(Typed.CONTACT, contact) if contact is not None else None
    await MentorRepo(uow.session).enrol(user.id, Source.OPT_IN, contact, uow.now())
    await uow.commit()
    return Enrolled(rules.thresholds.mentor_capacity)


async def opt_out(uow: UnitOfWork, user: User, rules: RegionRules) -> Home | Stale:
    """Out of the registry (the pairs go on); the home as it is then."""
    profile = await MentorRepo(uow.session).profile(user.id)
    if profile is None or not profile.active:
        return STALE
    profile.active = False
    await uow.commit()
    return await home(uow, user, rules)


# --- the scheduler -----------------------------------------------------------------------------------


async def lapse_requests(uow: UnitOfWork) -> int:
    """Pass over the requests nobody answered in time: each lapses in the same commit as its notice
    to the mentee (a hand-off through the outbox, with the way to the next candidates), so a lapse
    is never unannounced, whatever happens to Telegram. How many lapsed."""
    repo = MentorRepo(uow.session)
    now = uow.now()
    lapsed = 0
    for request in await repo.lapsed_requests(now):
        request.status, request.answered_at = RequestStatus.EXPIRED, now
        mentor = await repo.person(request.mentor_id)
        await hand_off(
            uow,
            request.mentee_id,
            "mentor-request-lapsed",
            {"name": (mentor.full_name if mentor else None) or "—"},
            (Button("mentor-btn-other-candidates", OpenMentorship()),),
            ref=("request", request.id),
        )
        await uow.commit()
        lapsed += 1
    return lapsed


async def remind_meetings(uow: UnitOfWork) -> int:
    """Queue a reminder to both sides of every pair with no meeting logged (and no reminder) for
    its region's number of days; each pair in its own commit. How many pairs were reminded."""
    repo = MentorRepo(uow.session)
    now = uow.now()
    days_by_region: dict[str | None, int] = {}
    reminded = 0
    for pair, last_meeting, region_code in await repo.pairs_to_remind(now, SHORTEST_REMINDER_DAYS):
        if region_code not in days_by_region:
            rules = await region_rules(uow, region_code)
            days_by_region[region_code] = rules.thresholds.mentor_meeting_reminder_days
        days = days_by_region[region_code]
        since = pair.last_reminder_at or pair.started_at
        if last_meeting is not None:
            since = max(since, last_meeting)
        if now - since < timedelta(days=days):
            continue  # the region allows longer between meetings: no query spent on it
        mentee, mentor = await repo.person(pair.mentee_id), await repo.person(pair.mentor_id)
        if mentee is None or mentor is None:
            continue
        pair.last_reminder_at = now
        for person in (mentee, mentor):
            await plan_mentor_meeting(uow, pair.id, person.id, days, now)
        await uow.commit()  # the reminder rows and the mark in one transaction
        reminded += 1
    return reminded
