"""«Входящие»: what waits for this person's answer, whatever their role.

Read from the database, not from the notifications sent: a mentorship request is listed whether or
not its message reached the mentor, and is gone once answered (or lapsed, or taken back); an ИОМ
waits in its methodist's inbox until approved or returned; a returned ИОМ waits in the teacher's
until resubmitted. Nothing here changes anything; the buttons lead to the features' own handlers,
which re-check everything as for any other button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.roles import Role
from services.uow import UnitOfWork
from storage.inbox import InboxRepo
from storage.models import User


class Kind(StrEnum):
    MENTOR_REQUEST = "mentor_request"  # id: the request
    ROUTE_TO_APPROVE = "route_to_approve"  # id: the teacher (their card); route_id: the route
    TRANSFER_TO_CONFIRM = "transfer_to_confirm"  # id: the route; count: its items
    ROUTE_RETURNED = "route_returned"  # id: the route; text: the methodist's comment


@dataclass(frozen=True)
class Item:
    kind: Kind
    id: int
    name: str = ""  # the other person, where there is one
    text: str = ""  # a form of mentorship, a comment
    count: int = 0
    route_id: int = 0


@dataclass(frozen=True)
class Inbox:
    items: list[Item] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)


async def inbox(uow: UnitOfWork, user: User, role: Role) -> Inbox:
    """Everything waiting for ``user``: the mentor's requests first, then the methodist's approvals
    and confirmations (a methodist's or an admin's own caseload), then the teacher's returned ИОМ."""
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
    items += [
        Item(Kind.ROUTE_RETURNED, route_id, text=comment or "")
        for route_id, comment in await repo.returned_routes(user.id)
    ]
    await uow.release()
    return Inbox(items)
