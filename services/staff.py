"""Staff: invitations to the methodist and admin roles (single-use, expiring), the staff list, and
taking a role away. Only an admin may do any of it (``role`` is the speaker's effective role:
admins listed in the settings are admins whatever their row says)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from domain.roles import Role, invite_expiry, new_invite_code
from services.results import DENIED, STALE, Denied, Stale
from services.uow import UnitOfWork
from storage.audit import audit
from storage.models import Invite, User
from storage.repositories import InviteRepo, UserRepo

log = logging.getLogger(__name__)

GRANTED_BY_INVITE = frozenset({Role.METHODIST, Role.ADMIN})
SHOWN = 50  # invitations or staff members listed with a button each


@dataclass(frozen=True, slots=True)
class Invited:
    invite: Invite  # its ``code`` goes into the link, its ``expires_at`` is shown


@dataclass(frozen=True, slots=True)
class Invites:
    """The invitations still usable, newest first: ``shown`` of them get a «revoke» button."""

    shown: Sequence[Invite]
    count: int


@dataclass(frozen=True, slots=True)
class Staff:
    """The other methodists and admins: ``shown`` of them get a «take the role away» button."""

    shown: Sequence[User]
    count: int


@dataclass(frozen=True, slots=True)
class Revoked:
    invite_id: int


@dataclass(frozen=True, slots=True)
class Demoted:
    user: User


async def invite(
    uow: UnitOfWork, admin: User, role: Role, granted: Role, ttl_hours: int
) -> Invited | Stale | Denied:
    """A new invitation to ``granted`` (methodist or admin), valid for ``ttl_hours``."""
    if role != Role.ADMIN:
        return DENIED
    if granted not in GRANTED_BY_INVITE:
        return STALE
    expires = invite_expiry(uow.now(), ttl_hours)
    created = await InviteRepo(uow.session).create(new_invite_code(), granted, admin.id, expires)
    await audit(
        uow.session, admin.id, "invite.create", target_type="invite", target_id=created.id, role=granted.value
    )
    await uow.commit()
    log.info("invite created", extra={"user_id": admin.id, "role": granted})
    return Invited(created)


async def invites(uow: UnitOfWork, role: Role) -> Invites | Denied:
    if role != Role.ADMIN:
        return DENIED
    active = await InviteRepo(uow.session).active(uow.now())
    return Invites(active[:SHOWN], len(active))


async def revoke(uow: UnitOfWork, admin: User, role: Role, invite_id: int) -> Revoked | Stale | Denied:
    """Delete an unused invitation; ``Stale`` if it was used or revoked already."""
    if role != Role.ADMIN:
        return DENIED
    if not await InviteRepo(uow.session).revoke(invite_id):
        return STALE  # the delete matched nothing: nothing to undo
    await audit(uow.session, admin.id, "invite.revoke", target_type="invite", target_id=invite_id)
    await uow.commit()
    return Revoked(invite_id)


async def staff(uow: UnitOfWork, admin: User, role: Role) -> Staff | Denied:
    """Methodists and admins but the speaker, by role and name."""
    if role != Role.ADMIN:
        return DENIED
    others = [s for s in await UserRepo(uow.session).staff() if s.id != admin.id]
    return Staff(others[:SHOWN], len(others))


async def demote(uow: UnitOfWork, admin: User, role: Role, user_id: int) -> Demoted | Stale | Denied:
    """Make a methodist or an admin a teacher again; ``Stale`` for oneself, a teacher, or nobody."""
    if role != Role.ADMIN:
        return DENIED
    target = await uow.session.get(User, user_id)
    if target is None or target.id == admin.id or target.role == Role.TEACHER:
        return STALE
    await audit(
        uow.session, admin.id, "role.remove", target_type="user", target_id=target.id, role=target.role
    )
    target.role = Role.TEACHER
    await uow.commit()
    log.info("role removed", extra={"user_id": admin.id, "target_id": target.id})
    return Demoted(target)
