"""``services.mentorship`` and ``services.mentor_admin`` without Telegram: a real database, a unit
of work, people and pairs made directly, and the plain results checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.mentorship import Form, PairStatus, RequestStatus, Source, Typed
from domain.roles import Role
from services import mentor_admin as admin
from services import mentorship as service
from services.regions import RegionRules, region_rules
from services.reminders import Button, Mention, OpenMentorPair, OpenMentorship
from services.reminders.handoff import HandoffPayload
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.models import (
    AuditEntry,
    Diagnosis,
    MentorPair,
    MentorProfile,
    MentorRequest,
    OutboxMessage,
    User,
)
from tests.conftest import NOW, Clock

REGION, OTHER_REGION = "kostroma", "kuzbass"


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
async def rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, REGION)


_ids = iter(range(7000, 8000))


async def queued(uow: UnitOfWork, user: User) -> list[HandoffPayload]:
    """The hand-offs queued for ``user``, oldest first."""
    rows = await uow.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.kind == "handoff")
        .order_by(OutboxMessage.id)
    )
    return [HandoffPayload.load(row.payload) for row in rows]


async def person(
    uow: UnitOfWork,
    name: str,
    *,
    birth: date = date(1998, 5, 14),
    start: int = 2024,
    region: str = REGION,
    subjects: tuple[str, ...] = ("math",),
    position: str = "teacher",
    role: str = "teacher",
) -> User:
    """A teacher with a completed profile (young by default: 28, in the third year of work)."""
    user = User(
        telegram_id=next(_ids),
        locale="ru",
        role=role,
        consent_at=NOW,
        profile_completed_at=NOW,
        full_name=name,
        position=position,
        region_code=region,
        subjects=list(subjects),
        birth_date=birth,
        work_start_year=start,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user


async def mentor(
    uow: UnitOfWork, name: str, *, capacity: int | None = None, contact: str | None = None
) -> User:
    """An experienced teacher in the mentor registry."""
    user = await person(uow, name, birth=date(1980, 1, 1), start=2005)
    uow.session.add(MentorProfile(user_id=user.id, source=Source.OPT_IN, capacity=capacity, contact=contact))
    await uow.commit()
    return user


async def diagnosed(uow: UnitOfWork, user: User, *, deficits: list[str], strengths: list[str]) -> None:
    uow.session.add(
        Diagnosis(
            user_id=user.id,
            framework_version="efs-2026",
            status="done",
            started_at=NOW,
            finished_at=NOW,
            deficits=deficits,
            strengths=strengths,
        )
    )
    await uow.commit()


async def requested(uow: UnitOfWork, rules: RegionRules, mentee: User, mentor_id: int) -> service.Requested:
    result = await service.ask(uow, mentee, rules, mentor_id=mentor_id, form=Form.YOUNG, area=None)
    assert isinstance(result, service.Requested)
    return result


async def paired(uow: UnitOfWork, rules: RegionRules) -> tuple[User, User, MentorPair]:
    teacher = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    ask = await requested(uow, rules, mentee, teacher.id)
    accepted = await service.accept(uow, teacher, rules, ask.request.id)
    assert isinstance(accepted, service.Accepted)
    return teacher, mentee, accepted.pair


# --- the teacher's side ---------------------------------------------------------------------------


async def test_home_offers_a_young_teacher_the_best_mentors(uow: UnitOfWork, rules: RegionRules) -> None:
    near = await mentor(uow, "Сидорова Анна")
    far = await mentor(uow, "Кузнецов Олег")
    far.subjects = ["russian"]
    mentee = await person(uow, "Иванова Мария")
    home = await service.home(uow, mentee, rules)
    assert home.young_offer is not None
    assert [o.mentor.id for o in home.young_offer] == [near.id, far.id]  # the same subject first
    assert home.pending is None and home.pairs == [] and home.mentor is None  # too young to mentor
    assert not home.peer and not home.management
    mentor_home = await service.home(uow, near, rules)
    assert mentor_home.young_offer is None and mentor_home.mentor is True


async def test_ask_sends_one_request_at_a_time(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    await diagnosed(uow, mentee, deficits=["methodical"], strengths=[])
    ask = await requested(uow, rules, mentee, teacher.id)
    assert (ask.mentor.id, ask.deficits, ask.days) == (teacher.id, ("methodical",), 3)
    assert ask.request.status == RequestStatus.PENDING
    assert ask.request.expires_at == NOW + timedelta(days=3)
    # A request pending: no second one, no list, and the home shows it.
    assert await service.ask(uow, mentee, rules, mentor_id=teacher.id, form=Form.YOUNG, area=None) == STALE
    assert await service.candidates(uow, mentee, rules, Form.YOUNG, None) == STALE
    home = await service.home(uow, mentee, rules)
    assert home.pending is not None and home.pending.mentor is not None
    assert home.pending.mentor.id == teacher.id and home.young_offer is None


async def test_ask_refuses_forms_the_teacher_may_not_ask_for(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    seasoned = await person(uow, "Опытная Ольга", birth=date(1985, 1, 1), start=2010)
    for form, area, who in (
        ("bogus", None, mentee),
        (Form.PEER, None, mentee),  # a peer pair names its area
        (Form.YOUNG, "methodical", mentee),
        (Form.PEER, "methodical", mentee),  # not a deficit of hers
        (Form.MANAGEMENT, None, mentee),  # not a manager
        (Form.YOUNG, None, seasoned),  # not young
    ):
        assert await service.ask(uow, who, rules, mentor_id=teacher.id, form=form, area=area) == STALE
        assert await service.candidates(uow, who, rules, form, area) == STALE
    forged = await service.ask(uow, mentee, rules, mentor_id=mentee.id, form=Form.YOUNG, area=None)
    assert forged == service.UNAVAILABLE
    assert list(await uow.session.scalars(select(MentorRequest))) == []


async def test_peer_candidates_are_strong_in_the_area(uow: UnitOfWork, rules: RegionRules) -> None:
    strong = await mentor(uow, "Сильная Коллега")
    await diagnosed(uow, strong, deficits=[], strengths=["methodical"])
    await mentor(uow, "Обычная Коллега")
    seeker = await person(uow, "Ищущая Коллега", birth=date(1985, 1, 1), start=2010)
    await diagnosed(uow, seeker, deficits=["methodical"], strengths=[])
    assert await service.peer_areas(uow, seeker) == service.PeerAreas(["methodical"])
    assert await service.peer_areas(uow, strong) == STALE  # no deficits
    found = await service.candidates(uow, seeker, rules, Form.PEER, "methodical")
    assert isinstance(found, service.Candidates)
    assert [o.mentor.id for o in found.offered] == [strong.id]
    ask = await service.ask(uow, seeker, rules, mentor_id=strong.id, form=Form.PEER, area="methodical")
    assert isinstance(ask, service.Requested)
    accepted = await service.accept(uow, strong, rules, ask.request.id)
    assert isinstance(accepted, service.Accepted)
    assert (accepted.pair.form, accepted.pair.goals) == (Form.PEER, ["methodical"])


async def test_cancel_only_ones_own_pending_request(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    stranger = await person(uow, "Чужой Человек")
    ask = await requested(uow, rules, mentee, teacher.id)
    assert await service.cancel_request(uow, stranger, rules, ask.request.id) == STALE
    assert await service.cancel_request(uow, teacher, rules, ask.request.id) == STALE
    home = await service.cancel_request(uow, mentee, rules, ask.request.id)
    assert isinstance(home, service.Home) and home.pending is None and home.young_offer
    assert ask.request.status == RequestStatus.CANCELLED and ask.request.answered_at == NOW
    assert await service.cancel_request(uow, mentee, rules, ask.request.id) == STALE  # not twice


async def test_accept_makes_a_pair_with_the_contact_and_goals(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна", contact="+7 900 000-00-00")
    mentee = await person(uow, "Иванова Мария")
    await diagnosed(uow, mentee, deficits=["methodical", "subject"], strengths=[])
    ask = await requested(uow, rules, mentee, teacher.id)
    for who in (mentee, await person(uow, "Чужой Человек")):
        assert await service.accept(uow, who, rules, ask.request.id) == STALE
        assert await service.request_to_answer(uow, who, ask.request.id) == STALE
    assert await service.accept(uow, teacher, rules, 999_999) == STALE
    accepted = await service.accept(uow, teacher, rules, ask.request.id)
    assert isinstance(accepted, service.Accepted)
    pair = accepted.pair
    assert (pair.status, pair.form, pair.goals) == (PairStatus.ACTIVE, Form.YOUNG, ["methodical", "subject"])
    # Both sides get each other's contact (the mentor's as far as allowed), in one transaction.
    to_mentee, to_mentor = await queued(uow, mentee), await queued(uow, teacher)
    assert to_mentee[-1].text == "mentor-pair-mentee" and to_mentor[-1].text == "mentor-pair-mentor"
    assert to_mentee[-1].args["contact"] == Mention(teacher.telegram_id, "Сидорова Анна", "+7 900 000-00-00")
    assert to_mentor[-1].args["contact"] == Mention(mentee.telegram_id, "Иванова Мария", None)
    assert to_mentee[-1].args["days"] == 14
    assert to_mentee[-1].buttons == (Button("mentor-btn-open-pair", OpenMentorPair(pair.id)),)
    assert to_mentee[-1].sender_id == teacher.id and to_mentor[-1].sender_id is None  # not to oneself
    assert ask.request.status == RequestStatus.ACCEPTED
    assert await service.accept(uow, teacher, rules, ask.request.id) == STALE  # answered already
    home = await service.home(uow, mentee, rules)
    assert [(line.other.id if line.other else None, line.as_mentee) for line in home.pairs] == [
        (teacher.id, True)
    ]
    assert home.young_offer is None  # she has her mentor


async def test_accept_never_goes_over_capacity(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна", capacity=1)
    first, second = await person(uow, "Первая Учительница"), await person(uow, "Вторая Учительница")
    one = await requested(uow, rules, first, teacher.id)
    two = await requested(uow, rules, second, teacher.id)
    assert isinstance(await service.accept(uow, teacher, rules, one.request.id), service.Accepted)
    assert await service.accept(uow, teacher, rules, two.request.id) == service.CapacityFull(1)
    assert two.request.status == RequestStatus.PENDING


async def test_decline_offers_the_mentee_the_next(uow: UnitOfWork, rules: RegionRules) -> None:
    first = await mentor(uow, "Сидорова Анна")
    second = await mentor(uow, "Кузнецов Олег")
    mentee = await person(uow, "Иванова Мария")
    ask = await requested(uow, rules, mentee, first.id)
    assert await service.decline(uow, second, ask.request.id, "нет") == STALE
    declined = await service.decline(uow, first, ask.request.id, "не успею")
    assert isinstance(declined, service.Declined)
    [told] = await queued(uow, mentee)
    assert (told.text, told.args["message"], told.sender_id) == (
        "mentor-declined-with-message",
        "не успею",
        first.id,
    )
    assert told.buttons == (Button("mentor-btn-other-candidates", OpenMentorship()),)
    home = await service.home(uow, mentee, rules)
    assert [o.mentor.id for o in home.young_offer or []] == [second.id]  # never again
    assert (ask.request.status, ask.request.message) == (RequestStatus.DECLINED, "не успею")
    assert await service.decline(uow, first, ask.request.id, None) == STALE


async def test_meetings_are_logged_by_the_pair_only(
    uow: UnitOfWork, rules: RegionRules, clock: Clock
) -> None:
    teacher, mentee, pair = await paired(uow, rules)
    stranger = await person(uow, "Чужой Человек")
    assert await service.pair_card(uow, stranger, pair.id) == STALE
    assert await service.meeting_date(uow, stranger, pair.id, "22.11.2026") == STALE
    assert await service.meeting_date(uow, mentee, pair.id, "завтра") == Invalid("err-date-format")
    assert await service.meeting_date(uow, mentee, pair.id, "31.02.2026") == Invalid("err-date-impossible")
    assert await service.meeting_date(uow, mentee, pair.id, "01.01.2030") == Invalid("err-date-future")
    assert await service.meeting_date(uow, mentee, pair.id, "01.01.2020") == Invalid(
        "mentor-date-before-pair", {"since": NOW.date()}
    )
    assert await service.meeting_date(uow, mentee, pair.id, "22.11.2026") == NOW.date()
    assert (
        await service.log_meeting(uow, stranger, pair.id, day=NOW.date(), topic="Чужая", note=None) == STALE
    )
    card = await service.log_meeting(uow, teacher, pair.id, day=NOW.date(), topic="План", note="заметка")
    assert isinstance(card, service.PairCard)
    assert [(m.topic, m.note, m.logged_by) for m in card.meetings] == [("План", "заметка", teacher.id)]
    assert card.mentee is not None and card.mentee.id == mentee.id


async def test_closing_tells_the_other_side(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher, mentee, pair = await paired(uow, rules)
    stranger = await person(uow, "Чужой Человек")
    assert await service.to_close(uow, stranger, pair.id) == STALE
    asked = await service.to_close(uow, mentee, pair.id)  # what the confirmation names
    assert isinstance(asked, service.PairCard) and asked.mentor is not None and asked.mentor.id == teacher.id
    assert pair.status == PairStatus.ACTIVE  # asking changes nothing
    assert await service.close_pair(uow, stranger, pair.id, "итог") == STALE
    closed = await service.close_pair(uow, mentee, pair.id, "Провели 6 встреч")
    assert isinstance(closed, service.Closed) and [p.id for p in closed.others] == [teacher.id]
    told = (await queued(uow, teacher))[-1]
    assert (told.text, told.args["outcome"], told.sender_id) == (
        "mentor-closed-other",
        "Провели 6 встреч",
        mentee.id,
    )
    assert (pair.status, pair.outcome, pair.closed_at) == (PairStatus.CLOSED, "Провели 6 встреч", NOW)
    assert await service.active_pair(uow, teacher, pair.id) == STALE
    assert await service.to_close(uow, teacher, pair.id) == STALE
    assert await service.close_pair(uow, teacher, pair.id, "ещё раз") == STALE
    card = await service.pair_card(uow, teacher, pair.id)  # the history stays
    assert isinstance(card, service.PairCard) and card.pair.status == PairStatus.CLOSED


async def test_the_registry(uow: UnitOfWork, rules: RegionRules) -> None:
    young = await person(uow, "Иванова Мария")
    seasoned = await person(uow, "Опытная Ольга", birth=date(1985, 1, 1), start=2010)
    assert await service.check_opt_in(uow, young, rules) == Invalid("mentor-optin-too-early", {"years": 5})
    assert await service.check_opt_in(uow, seasoned, rules) is None
    assert (await service.home(uow, seasoned, rules)).mentor is False
    assert await service.opt_out(uow, seasoned, rules) == STALE  # not in the registry
    assert await service.enrol(uow, seasoned, rules, "почта") == service.Enrolled(2)
    profile = await uow.session.get(MentorProfile, seasoned.id)
    assert profile is not None and (profile.active, profile.source, profile.contact) == (
        True,
        "opt_in",
        "почта",
    )
    home = await service.opt_out(uow, seasoned, rules)
    assert isinstance(home, service.Home) and home.mentor is False and profile.active is False
    assert await service.opt_out(uow, seasoned, rules) == STALE


# --- the scheduler ----------------------------------------------------------------------------------


async def test_lapsed_requests_tell_the_mentee_once(
    uow: UnitOfWork, rules: RegionRules, clock: Clock
) -> None:
    first = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    ask = await requested(uow, rules, mentee, first.id)
    clock.advance(days=2)
    assert await service.lapse_requests(uow) == 0
    clock.advance(days=2)
    assert await service.lapse_requests(uow) == 1
    assert ask.request.status == RequestStatus.EXPIRED
    notice = await uow.session.scalar(
        select(OutboxMessage).where(OutboxMessage.user_id == mentee.id, OutboxMessage.kind == "handoff")
    )
    # Queued in the lapse's own commit: a lapse is never unannounced, whatever Telegram does.
    assert notice is not None and notice.payload["text"] == "mentor-request-lapsed"
    assert notice.payload["args"]["name"] == "Сидорова Анна"
    assert [b["action"] for b in notice.payload["buttons"]] == ["OpenMentorship"]
    assert await service.lapse_requests(uow) == 0


async def test_meeting_reminders_once_per_quiet_spell(
    uow: UnitOfWork, rules: RegionRules, clock: Clock
) -> None:
    teacher, mentee, pair = await paired(uow, rules)
    clock.advance(days=13)
    assert await service.remind_meetings(uow) == 0
    clock.advance(days=2)
    assert await service.remind_meetings(uow) == 1
    rows = list(
        await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "mentor_meeting"))
    )
    assert sorted(r.user_id for r in rows) == sorted([teacher.id, mentee.id])
    assert all(r.payload == {"days": 14} and r.ref_id == pair.id for r in rows)
    assert await service.remind_meetings(uow) == 0
    assert pair.last_reminder_at == clock()


# --- the methodist's side -------------------------------------------------------------------------


async def staff(uow: UnitOfWork) -> User:
    return await person(uow, "Методистова Ольга", birth=date(1970, 1, 1), start=1995, role="methodist")


async def test_a_teacher_is_denied_everything(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher = await mentor(uow, "Сидорова Анна")
    mentee = await person(uow, "Иванова Мария")
    role = Role.TEACHER
    assert await admin.young_without_support(uow, mentee, role, rules, 0) == DENIED
    assert await admin.candidates(uow, mentee, role, rules, teacher_id=mentee.id, replacing=0) == DENIED
    assert (
        await admin.assign(
            uow,
            mentee,
            role,
            rules,
            teacher_id=mentee.id,
            mentor_id=teacher.id,
            replacing=0,
            replaced_outcome="",
        )
        == DENIED
    )
    assert await admin.region_pairs(uow, mentee, role) == DENIED
    assert await admin.pair_card(uow, mentee, role, 1) == DENIED
    assert await admin.close_pair(uow, mentee, role, 1, "итог") == DENIED
    assert await admin.nominees(uow, mentee, role, rules) == DENIED
    assert await admin.nominate(uow, mentee, role, rules, teacher.id) == DENIED
    assert list(await uow.session.scalars(select(MentorPair))) == []


async def test_assign_and_reassign_within_the_region(uow: UnitOfWork, rules: RegionRules) -> None:
    first = await mentor(uow, "Сидорова Анна")
    second = await mentor(uow, "Кузнецов Олег")
    mentee = await person(uow, "Иванова Мария")
    elsewhere = await person(uow, "Петров Пётр", region=OTHER_REGION)
    methodist = await staff(uow)
    role = Role.METHODIST
    young = await admin.young_without_support(uow, methodist, role, rules, 0)
    assert isinstance(young, admin.YoungPage)
    assert (young.total, young.waiting, [p.id for p in young.shown], young.more) == (1, 1, [mentee.id], False)
    assert await admin.candidates(uow, methodist, role, rules, teacher_id=elsewhere.id, replacing=0) == STALE
    found = await admin.candidates(uow, methodist, role, rules, teacher_id=mentee.id, replacing=0)
    assert isinstance(found, admin.TeacherCandidates)
    assert [o.mentor.id for o in found.offered] == [first.id, second.id]

    async def assign(mentor_id: int, replacing: int = 0, teacher_id: int = mentee.id) -> object:
        return await admin.assign(
            uow,
            methodist,
            role,
            rules,
            teacher_id=teacher_id,
            mentor_id=mentor_id,
            replacing=replacing,
            replaced_outcome="переназначено методистом",
        )

    assert await assign(first.id, teacher_id=elsewhere.id) == STALE
    assert await assign(mentee.id) == service.UNAVAILABLE
    assigned = await assign(first.id)
    assert isinstance(assigned, admin.Assigned) and not assigned.replaced
    old = assigned.pair
    assert (old.mentor_id, old.assigned_by, old.status) == (first.id, methodist.id, PairStatus.ACTIVE)
    assert await assign(second.id, replacing=999_999) == STALE
    assert (
        await admin.candidates(uow, methodist, role, rules, teacher_id=mentee.id, replacing=999_999) == STALE
    )
    reassigned = await assign(second.id, replacing=old.id)
    assert isinstance(reassigned, admin.Assigned) and reassigned.replaced
    assert (old.status, old.outcome) == (PairStatus.CLOSED, "переназначено методистом")
    assert await assign(first.id, replacing=old.id) == STALE  # closed already
    actions = list(
        await uow.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == methodist.id))
    )
    assert actions == ["pair.assign", "pair.assign"]
    young = await admin.young_without_support(uow, methodist, role, rules, 0)
    assert isinstance(young, admin.YoungPage) and (young.waiting, young.share) == (0, 100)


async def test_the_region_pairs_and_closing_one(uow: UnitOfWork, rules: RegionRules) -> None:
    teacher, mentee, pair = await paired(uow, rules)
    methodist = await staff(uow)
    outsider = await person(uow, "Чужой Методист", region=OTHER_REGION, role="methodist")
    role = Role.METHODIST
    pairs = await admin.region_pairs(uow, methodist, role)
    assert isinstance(pairs, admin.RegionPairs) and pairs.count == 1
    assert [(p.id, a, b) for p, a, b in pairs.shown] == [(pair.id, "Иванова Мария", "Сидорова Анна")]
    assert await admin.pair_card(uow, outsider, role, pair.id) == STALE
    assert await admin.close_pair(uow, outsider, role, pair.id, "итог") == STALE
    card = await admin.pair_card(uow, methodist, role, pair.id)
    assert isinstance(card, service.PairCard) and card.meetings == []
    assert await admin.pair_to_close(uow, methodist, role, pair.id) == pair
    closed = await admin.close_pair(uow, methodist, Role.ADMIN, pair.id, "Итог методиста")
    assert isinstance(closed, service.Closed)
    assert sorted(p.id for p in closed.others) == sorted([teacher.id, mentee.id])
    assert (pair.status, pair.outcome) == (PairStatus.CLOSED, "Итог методиста")
    assert await admin.pair_card(uow, methodist, role, pair.id) == STALE  # only active pairs here
    assert await admin.close_pair(uow, methodist, role, pair.id, "ещё") == STALE


async def test_nominating_an_experienced_teacher(uow: UnitOfWork, rules: RegionRules) -> None:
    await mentor(uow, "Сидорова Анна")  # in the registry already
    seasoned = await person(uow, "Орлова Вера", birth=date(1975, 1, 1), start=2000)
    await person(uow, "Иванова Мария")  # too little experience
    elsewhere = await person(uow, "Петров Пётр", birth=date(1975, 1, 1), start=2000, region=OTHER_REGION)
    methodist = await staff(uow)
    role = Role.METHODIST
    found = await admin.nominees(uow, methodist, role, rules)
    assert isinstance(found, admin.Nominees) and found.years == 5
    assert [p.full_name for p in found.people] == ["Методистова Ольга", "Орлова Вера"]
    assert await admin.nominate(uow, methodist, role, rules, elsewhere.id) == STALE
    assert await admin.nominate(uow, methodist, role, rules, 999_999) == STALE
    nominated = await admin.nominate(uow, methodist, role, rules, seasoned.id)
    assert isinstance(nominated, admin.Nominated) and nominated.person.id == seasoned.id
    assert [p.full_name for p in nominated.nominees.people] == ["Методистова Ольга"]
    profile = await uow.session.get(MentorProfile, seasoned.id)
    assert profile is not None and (profile.source, profile.active) == (Source.NOMINATED, True)
    [entry] = await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "mentor.nominate"))
    assert (entry.actor_id, entry.target_id) == (methodist.id, seasoned.id)


def test_what_is_typed_in_a_mentorship_conversation_is_checked_by_the_service() -> None:
    assert service.typed(Typed.TOPIC, "  Первая   встреча ") == "Первая встреча"
    assert service.typed(Typed.TOPIC, "   ") == Invalid("err-name-empty")
    too_long = service.typed(Typed.CONTACT, "x" * 201)
    assert isinstance(too_long, Invalid) and too_long.key == "err-name-too-long"
    assert too_long.args["max"] == 200
    assert service.typed(Typed.NOTE, "x" * 1000) == "x" * 1000
    with pytest.raises(ValueError, match="not checked"):
        service.checked(Typed.OUTCOME, "")  # a service never stores what typed() would refuse
