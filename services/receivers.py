"""Who receives what a teacher hands over (an ИОМ to approve, an internship application): their
methodist; a teacher without one is the region's admins' (the ЦНППМ's) until a methodist is assigned.
Nobody's hand-off is addressed to no one, and the teacher is told who has it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.roles import Role, municipal_scope
from services.uow import UnitOfWork
from storage import caseload
from storage.models import User


class Holder(StrEnum):
    METHODIST = "methodist"  # the teacher's methodist has it
    ADMINS = "admins"  # no methodist: the region's admins have it
    NOBODY = "nobody"  # neither: kept, and waiting for the first admin or methodist


@dataclass(frozen=True, slots=True)
class Receivers:
    holder: Holder
    people: tuple[User, ...]


async def receivers_of(uow: UnitOfWork, teacher: User) -> Receivers:
    methodist = await caseload.methodist_of(uow.session, teacher.id)
    if methodist is not None:
        return Receivers(Holder.METHODIST, (methodist,))
    everyone = await caseload.region_admins(uow.session, teacher.region_code)
    admins = tuple(a for a in everyone if a.id != teacher.id and _covers(a, teacher))
    return Receivers(Holder.ADMINS if admins else Holder.NOBODY, admins)


async def may_answer_for(uow: UnitOfWork, actor: User, role: Role, teacher: User) -> bool:
    """Whether ``actor`` answers ``teacher``'s hand-offs: their methodist, or, while they have none,
    an admin of their region."""
    methodist = await caseload.methodist_of(uow.session, teacher.id)
    if methodist is not None:
        return methodist.id == actor.id
    return (
        role == Role.ADMIN
        and actor.region_code is not None
        and actor.region_code == teacher.region_code
        and _covers(actor, teacher)
    )


def _covers(admin: User, teacher: User) -> bool:
    """A regional admin covers the region's teachers; a municipal one (an ММС specialist) only the
    teachers of their municipality."""
    scope = municipal_scope(admin.role, admin.staff_title, admin.municipality_id)
    return scope is None or scope == teacher.municipality_id
