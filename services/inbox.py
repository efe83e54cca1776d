"""«Входящие»: what waits for this person's answer, whatever their role.

Read from the database, not from the notifications sent: a mentorship request is listed whether or
not its message reached the mentor, and is gone once answered (or lapsed, or taken back); an ИОМ
waits in its methodist's inbox until approved or returned; a returned ИОМ waits in the teacher's
until resubmitted; an internship application waits for its answer, and the answer in the teacher's
inbox until read. What a teacher without a methodist hands over waits in the region's admins'
inbox, and so does the teacher, until a methodist is assigned. Nothing here changes anything; the
buttons lead to the features' own handlers, which re-check everything as for any other button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.internships import ApplicationStatus
from domain.roles import Role, municipal_scope
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.inbox import InboxRepo
from storage.models import User


class Kind(StrEnum):
    MENTOR_REQUEST = "mentor_request"  # id: the request
    ROUTE_TO_APPROVE = "route_to_approve"  # id: the teacher (their card); route_id: the route
    TRANSFER_TO_CONFIRM = "transfer_to_confirm"  # id: the route; count: its items
    ROUTE_RETURNED = "route_returned"  # id: the route; text: the methodist's comment
    APPLICATION = "application"  # id: the application; text: the site; day: its start; orphan
    APPLICATION_ENDED = "application_ended"  # accepted, the internship over: id, text, day (its end)
    APPLICATION_ANSWER = "application_answer"  # id: the teacher's application; text: site; status
    ROUTE_NO_METHODIST = "route_no_methodist"  # id: the teacher, whose ИОМ nobody can approve yet
    NO_METHODIST = "no_methodist"  # id: a teacher of the region nobody accompanies


@dataclass(frozen=True)
class Item:
    kind: Kind
    id: int
    name: str = ""  # the other person, where there is one
    text: str = ""  # a form of mentorship, a comment
    count: int = 0
    route_id: int = 0
    day: date | None = None
    status: str = ""
    orphan: bool = False  # the teacher has no methodist: an admin answers for now


@dataclass(frozen=True)
class Inbox:
    items: list[Item] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)


async def inbox(uow: UnitOfWork, user: User, role: Role, rules: RegionRules) -> Inbox:
    """Everything waiting for ``user``: the mentor's requests first; then the methodist's approvals,
    confirmations and internship applications (a methodist's or an admin's own caseload, and for an
    admin the region's teachers without a methodist, who are listed until one is assigned); then the
    teacher's returned ИОМ and the answers to their applications."""
    repo = InboxRepo(uow.session)
    items = [
        Item(Kind.MENTOR_REQUEST, request_id, name=name or "", text=form)
        for request_id, name, form in await repo.requests_to_mentor(user.id, uow.now())
    ]
    if role in (Role.METHODIST, Role.ADMIN):
        items += [
            Item(Kind.ROUTE_TO_APPROVE, teacher_id, name=name or "", route_id=route_id)
            for route_id, teacher_id, name in await repo.submitted_routes(user.id)
        ]
        items += [
            Item(Kind.TRANSFER_TO_CONFIRM, route_id, name=name or "", count=count)
            for route_id, name, count in await repo.transfers_to_confirm(user.id)
        ]
    if role in (Role.METHODIST, Role.ADMIN):
        today = uow.now().astimezone(ZoneInfo(rules.timezone)).date()
        scope = municipal_scope(role, user.staff_title, user.municipality_id)
        for application, site, name, orphan in await repo.applications_to_answer(
            user.id, user.region_code, admin=role == Role.ADMIN, today=today, municipality_id=scope
        ):
            if application.status == ApplicationStatus.APPLIED:
                items.append(
                    Item(
                        Kind.APPLICATION,
                        application.id,
                        name or "",
                        site.organisation,
                        day=site.starts_on,
                        orphan=orphan,
                    )
                )
            else:
                items.append(
                    Item(
                        Kind.APPLICATION_ENDED,
                        application.id,
                        name or "",
                        site.organisation,
                        day=site.ends_on,
                    )
                )
    if role == Role.ADMIN:
        scope = municipal_scope(role, user.staff_title, user.municipality_id)
        for teacher_id, name, submitted in await repo.without_methodist(user.region_code, scope):
            kind = Kind.ROUTE_NO_METHODIST if submitted else Kind.NO_METHODIST
            items.append(Item(kind, teacher_id, name or ""))
    items += [
        Item(Kind.ROUTE_RETURNED, route_id, text=comment or "")
        for route_id, comment in await repo.returned_routes(user.id)
    ]
    items += [
        Item(Kind.APPLICATION_ANSWER, application.id, text=site.organisation, status=application.status)
        for application, site in await repo.answers_unseen(user.id)
    ]
    await uow.release()
    return Inbox(items)


async def waiting(uow: UnitOfWork, user: User, role: Role, rules: RegionRules) -> int:
    """How many entries wait (the count on the menu's «Входящие» button)."""
    return (await inbox(uow, user, role, rules)).total
