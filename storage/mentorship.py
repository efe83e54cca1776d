"""Repository for the mentor registry, requests, pairs and meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.diagnosis import Status as DiagnosisStatus
from domain.mentorship import PairStatus, RequestStatus
from domain.profile import YoungTeacherRule, latest_start_year
from storage.models import Diagnosis, MentorMeeting, MentorPair, MentorProfile, MentorRequest, User


class MentorRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- people ---

    async def person(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def load_schools(self, users: Sequence[User]) -> None:
        """Load each person's school (for a candidate's card)."""
        for user in users:
            await self.session.refresh(user, ["school"])

    # --- registry ---

    async def profile(self, user_id: int) -> MentorProfile | None:
        return await self.session.get(MentorProfile, user_id)

    async def enrol(self, user_id: int, source: str, contact: str | None, now: datetime) -> MentorProfile:
        profile = await self.profile(user_id)
        if profile is None:
            profile = MentorProfile(user_id=user_id, source=source, created_at=now)
            self.session.add(profile)
        profile.active = True
        if contact is not None:
            profile.contact = contact
        await self.session.flush()
        return profile

    async def candidates(self, region_code: str | None) -> list[tuple[User, MentorProfile, int, list[str]]]:
        """Active mentors of a region with their load and the strengths of their latest self-diagnosis."""
        load = (
            select(MentorPair.mentor_id, func.count().label("n"))
            .where(MentorPair.status == PairStatus.ACTIVE)
            .group_by(MentorPair.mentor_id)
            .subquery()
        )
        latest = (
            select(Diagnosis.user_id, func.max(Diagnosis.id).label("id"))
            .where(Diagnosis.status == DiagnosisStatus.DONE, Diagnosis.source == "self")
            .group_by(Diagnosis.user_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(User, MentorProfile, func.coalesce(load.c.n, 0), Diagnosis.strengths)
            .join(MentorProfile, MentorProfile.user_id == User.id)
            .outerjoin(load, load.c.mentor_id == User.id)
            .outerjoin(latest, latest.c.user_id == User.id)
            .outerjoin(Diagnosis, Diagnosis.id == latest.c.id)
            .where(MentorProfile.active.is_(True), User.region_code == region_code)
            .order_by(User.id)
        )
        return [(user, profile, int(n), list(strengths or [])) for user, profile, n, strengths in rows.all()]

    async def load(self, mentor_id: int) -> int:
        return int(
            await self.session.scalar(
                select(func.count())
                .select_from(MentorPair)
                .where(MentorPair.mentor_id == mentor_id, MentorPair.status == PairStatus.ACTIVE)
            )
            or 0
        )

    # --- requests ---

    async def excluded_for(self, mentee_id: int) -> set[int]:
        """Mentors not to offer again: they declined or let a request lapse, or already mentor them."""
        declined = await self.session.scalars(
            select(MentorRequest.mentor_id).where(
                MentorRequest.mentee_id == mentee_id,
                MentorRequest.status.in_((RequestStatus.DECLINED, RequestStatus.EXPIRED)),
            )
        )
        current = await self.session.scalars(
            select(MentorPair.mentor_id).where(
                MentorPair.mentee_id == mentee_id, MentorPair.status == PairStatus.ACTIVE
            )
        )
        return set(declined) | set(current)

    async def pending_of_mentee(self, mentee_id: int) -> MentorRequest | None:
        return await self.session.scalar(
            select(MentorRequest).where(
                MentorRequest.mentee_id == mentee_id, MentorRequest.status == RequestStatus.PENDING
            )
        )

    async def request(self, request_id: int) -> MentorRequest | None:
        return await self.session.get(MentorRequest, request_id)

    async def create_request(
        self, mentee_id: int, mentor_id: int, form: str, area: str | None, now: datetime, expires: datetime
    ) -> MentorRequest:
        request = MentorRequest(
            mentee_id=mentee_id, mentor_id=mentor_id, form=form, area=area, created_at=now, expires_at=expires
        )
        self.session.add(request)
        await self.session.flush()
        return request

    async def lapsed_requests(self, now: datetime) -> Sequence[MentorRequest]:
        result = await self.session.scalars(
            select(MentorRequest)
            .where(MentorRequest.status == RequestStatus.PENDING, MentorRequest.expires_at <= now)
            .order_by(MentorRequest.id)
        )
        return list(result)

    # --- pairs and meetings ---

    async def active_pairs(self, user_id: int) -> Sequence[MentorPair]:
        result = await self.session.scalars(
            select(MentorPair)
            .where(
                MentorPair.status == PairStatus.ACTIVE,
                or_(MentorPair.mentee_id == user_id, MentorPair.mentor_id == user_id),
            )
            .order_by(MentorPair.id)
        )
        return list(result)

    async def pair_of(self, pair_id: int, user_id: int) -> MentorPair | None:
        """The pair if ``user_id`` is one of its two sides."""
        pair = await self.session.get(MentorPair, pair_id)
        return pair if pair is not None and user_id in (pair.mentee_id, pair.mentor_id) else None

    async def pair(self, pair_id: int) -> MentorPair | None:
        return await self.session.get(MentorPair, pair_id)

    async def create_pair(
        self,
        mentee_id: int,
        mentor_id: int,
        form: str,
        goals: list[str],
        now: datetime,
        assigned_by: int | None,
    ) -> MentorPair:
        pair = MentorPair(
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            form=form,
            goals=goals,
            started_at=now,
            assigned_by=assigned_by,
        )
        self.session.add(pair)
        await self.session.flush()
        return pair

    async def meetings(self, pair_id: int) -> Sequence[MentorMeeting]:
        result = await self.session.scalars(
            select(MentorMeeting)
            .where(MentorMeeting.pair_id == pair_id)
            .order_by(MentorMeeting.met_on.desc())
        )
        return list(result)

    async def add_meeting(self, meeting: MentorMeeting) -> None:
        self.session.add(meeting)
        await self.session.flush()

    async def pairs_to_remind(
        self, now: datetime, days: int
    ) -> Sequence[tuple[MentorPair, datetime | None, str | None]]:
        """Active pairs with no meeting logged (and no reminder sent) for ``days``: each with its
        last meeting's time and the mentee's region (whose rules say how long is too long)."""
        cutoff = now - timedelta(days=days)
        last = (
            select(MentorMeeting.pair_id, func.max(MentorMeeting.created_at).label("at"))
            .group_by(MentorMeeting.pair_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(MentorPair, last.c.at, User.region_code)
            .join(User, User.id == MentorPair.mentee_id)
            .outerjoin(last, last.c.pair_id == MentorPair.id)
            .where(
                MentorPair.status == PairStatus.ACTIVE,
                MentorPair.started_at <= cutoff,
                or_(last.c.at.is_(None), last.c.at <= cutoff),
                or_(MentorPair.last_reminder_at.is_(None), MentorPair.last_reminder_at <= cutoff),
            )
            .order_by(MentorPair.id)
        )
        return [(pair, at, region) for pair, at, region in rows.all()]


async def region_active_pairs(
    session: AsyncSession, region_code: str | None, *, limit: int
) -> tuple[int, list[tuple[MentorPair, str | None, str | None]]]:
    """How many active pairs the region has, and the first ``limit`` with the mentee's and the
    mentor's names (two queries, whatever the number of pairs)."""
    in_region = (MentorPair.status == PairStatus.ACTIVE, User.region_code == region_code)
    count = await session.scalar(
        select(func.count())
        .select_from(MentorPair)
        .join(User, User.id == MentorPair.mentee_id)
        .where(*in_region)
    )
    mentor = aliased(User)
    rows = await session.execute(
        select(MentorPair, User.full_name, mentor.full_name)
        .join(User, User.id == MentorPair.mentee_id)
        .outerjoin(mentor, mentor.id == MentorPair.mentor_id)
        .where(*in_region)
        .order_by(MentorPair.id)
        .limit(limit)
    )
    return count or 0, [(pair, mentee, mentor_name) for pair, mentee, mentor_name in rows]


async def region_young_teachers(
    session: AsyncSession, region_code: str | None, rule: YoungTeacherRule, today: date
) -> list[tuple[User, bool]]:
    """The region's young teachers, by name, each with whether they are in an active mentor pair.

    The database narrows by birth date and start year (``rule.earliest``) so that a region of
    100,000 teachers does not come into memory; the rule itself decides on the rest.
    """
    earliest_birth, earliest_start = rule.earliest(today)
    supported = exists().where(MentorPair.mentee_id == User.id, MentorPair.status == PairStatus.ACTIVE)
    rows = await session.execute(
        select(User, supported)
        .where(
            User.region_code == region_code,
            User.teaches(),
            User.profile_completed_at.is_not(None),
            User.birth_date >= earliest_birth,
            User.work_start_year >= earliest_start,
        )
        .order_by(User.full_name, User.id)
    )
    return [
        (person, bool(paired))
        for person, paired in rows
        if rule.applies(person.birth_date, person.work_start_year, today)
    ]


async def nominee_candidates(
    session: AsyncSession, region_code: str | None, min_years: int, today: date, *, limit: int
) -> Sequence[User]:
    """Teachers of the region with at least ``min_years`` of experience who are not active mentors."""
    result = await session.scalars(
        select(User)
        .outerjoin(MentorProfile, MentorProfile.user_id == User.id)
        .where(
            User.region_code == region_code,
            User.profile_completed_at.is_not(None),
            User.work_start_year <= latest_start_year(min_years, today),
            or_(MentorProfile.user_id.is_(None), MentorProfile.active.is_(False)),
        )
        .order_by(User.full_name, User.id)
        .limit(limit)
    )
    return list(result)
