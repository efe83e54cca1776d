"""Read-only queries behind «Входящие»: what waits for one person's answer, read from the state of the
database (never from the messages sent), so a hand-off is listed whether or not its notification
arrived and is gone once anyone entitled has handled it. Nothing here writes or commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.mentorship import RequestStatus
from domain.route import ItemStatus, RouteStatus
from storage.models import Caseload, MentorRequest, Route, RouteItem, User

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
