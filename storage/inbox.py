"""Read-only queries behind «Входящие»: what waits for one person's answer, read from the state of the
database (never from the messages sent), so a hand-off is listed whether or not its notification
arrived and is gone once anyone entitled has handled it. Nothing here writes or commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from domain.internships import ApplicationStatus
from domain.mentorship import RequestStatus
from domain.route import ItemStatus, RouteStatus
from storage.caseload import is_assignable_teacher
from storage.models import (
    Caseload,
    InternshipApplication,
    InternshipSite,
    MentorRequest,
    Route,
    RouteItem,
    User,
)

LIMIT = 500  # rows read per kind: the inbox shows 20, and counts the rest


class InboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def requests_to_mentor(
        self, mentor_id: int, now: datetime
    ) -> Sequence[tuple[int, str | None, str]]:
        """Pending, unexpired mentorship requests addressed to the mentor: (request id, mentee's name,
        form), oldest first."""
        rows = await self.session.execute(
            select(MentorRequest.id, User.full_name, MentorRequest.form)
            .join(User, User.id == MentorRequest.mentee_id)
            .where(
                MentorRequest.mentor_id == mentor_id,
                MentorRequest.status == RequestStatus.PENDING,
                MentorRequest.expires_at > now,
            )
            .order_by(MentorRequest.created_at, MentorRequest.id)
            .limit(LIMIT)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def submitted_routes(self, methodist_id: int) -> Sequence[tuple[int, int, str | None]]:
        """Routes of the methodist's caseload waiting for approval: (route id, teacher id, name)."""
        rows = await self.session.execute(
            select(Route.id, User.id, User.full_name)
            .join(Caseload, Caseload.teacher_id == Route.user_id)
            .join(User, User.id == Route.user_id)
            .where(Caseload.methodist_id == methodist_id, Route.status == RouteStatus.SUBMITTED)
            .order_by(Route.submitted_at, Route.id)
            .limit(LIMIT)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def transfers_to_confirm(self, methodist_id: int) -> Sequence[tuple[int, str | None, int]]:
        """Routes of the caseload with done items whose transfer to practice is not confirmed yet:
        (route id, teacher's name, how many such items)."""
        count = func.count(RouteItem.id)
        rows = await self.session.execute(
            select(Route.id, User.full_name, count)
            .join(RouteItem, RouteItem.route_id == Route.id)
            .join(Caseload, Caseload.teacher_id == Route.user_id)
            .join(User, User.id == Route.user_id)
            .where(
                Caseload.methodist_id == methodist_id,
                RouteItem.status == ItemStatus.DONE,
                RouteItem.transfer_confirmed_at.is_(None),
            )
            .group_by(Route.id, User.full_name)
            .order_by(func.min(RouteItem.done_at), Route.id)
            .limit(LIMIT)
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def returned_routes(self, teacher_id: int) -> Sequence[tuple[int, str | None]]:
        """The teacher's routes returned for changes: (route id, the methodist's comment)."""
        rows = await self.session.execute(
            select(Route.id, Route.comment)
            .where(Route.user_id == teacher_id, Route.status == RouteStatus.RETURNED)
            .order_by(Route.id)
        )
        return [(row[0], row[1]) for row in rows]

    # --- internship applications: answered by the teacher's methodist, or an admin while none ----

    async def applications_to_answer(
        self,
        methodist_id: int,
        region_code: str | None,
        *,
        admin: bool,
        today: date,
        municipality_id: int | None = None,
    ) -> Sequence[tuple[InternshipApplication, InternshipSite, str | None, bool]]:
        """Applications of the methodist's caseload (and, for an admin, of the region's teachers
        without a methodist) that wait for an answer — applied ones, and accepted ones whose
        internship has ended, to be marked completed: (application, site, teacher's name, whether the
        teacher has no methodist), oldest first."""
        waiting = or_(
            InternshipApplication.status == ApplicationStatus.APPLIED,
            and_(
                InternshipApplication.status == ApplicationStatus.ACCEPTED,
                InternshipSite.ends_on < today,
            ),
        )
        rows = await self.session.execute(
            select(InternshipApplication, InternshipSite, User.full_name, Caseload.teacher_id.is_(None))
            .join(InternshipSite, InternshipSite.id == InternshipApplication.site_id)
            .join(User, User.id == InternshipApplication.user_id)
            .outerjoin(Caseload, Caseload.teacher_id == InternshipApplication.user_id)
            .where(
                waiting,
                self._answered_by(methodist_id, region_code, admin=admin, municipality_id=municipality_id),
            )
            .order_by(InternshipApplication.created_at, InternshipApplication.id)
            .limit(LIMIT)
        )
        return [(a, site, name, bool(orphan)) for a, site, name, orphan in rows.all()]

    @staticmethod
    def _answered_by(
        methodist_id: int, region_code: str | None, *, admin: bool, municipality_id: int | None
    ) -> ColumnElement[bool]:
        """The methodist's own caseload, and for an admin the teachers of the region (a municipal
        admin: of the municipality) without a methodist."""
        mine = Caseload.methodist_id == methodist_id
        if not admin or region_code is None:
            return mine
        orphans = and_(Caseload.teacher_id.is_(None), User.region_code == region_code)
        if municipality_id is not None:
            orphans = and_(orphans, User.municipality_id == municipality_id)
        return or_(mine, orphans)

    async def answers_unseen(self, teacher_id: int) -> Sequence[tuple[InternshipApplication, InternshipSite]]:
        """Answers to the teacher's applications they have not marked as read yet."""
        rows = await self.session.execute(
            select(InternshipApplication, InternshipSite)
            .join(InternshipSite, InternshipSite.id == InternshipApplication.site_id)
            .where(
                InternshipApplication.user_id == teacher_id,
                InternshipApplication.decided_at.is_not(None),
                InternshipApplication.answer_seen_at.is_(None),
                InternshipApplication.status.in_(
                    (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.COMPLETED)
                ),
            )
            .order_by(InternshipApplication.decided_at, InternshipApplication.id)
        )
        return [(a, site) for a, site in rows.all()]

    # --- teachers without a methodist: the region's admins' until one is assigned -----------------

    async def without_methodist(
        self, region_code: str | None, municipality_id: int | None = None
    ) -> Sequence[tuple[int, str | None, bool]]:
        """Teachers of the region nobody accompanies: (teacher id, name, whether an ИОМ of theirs
        waits for approval), those with a waiting ИОМ first, then by registration."""
        if region_code is None:
            return []
        submitted = exists().where(Route.user_id == User.id, Route.status == RouteStatus.SUBMITTED)
        rows = await self.session.execute(
            select(User.id, User.full_name, submitted)
            .where(
                is_assignable_teacher(region_code),
                ~exists().where(Caseload.teacher_id == User.id),
                User.municipality_id == municipality_id if municipality_id is not None else true(),
            )
            .order_by(submitted.desc(), User.profile_completed_at, User.id)
            .limit(LIMIT)
        )
        return [(row[0], row[1], bool(row[2])) for row in rows]
