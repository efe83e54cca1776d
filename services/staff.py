"""Staff: invitations to the methodist and admin roles (single-use, expiring), the staff list, and
taking a role away. Only an admin may do any of it (``role`` is the speaker's effective role:
admins listed in the settings are admins whatever their row says).

A municipal admin (``domain.roles.municipal_scope``: an admin whose staff title is of the ММС or a
municipal methodist's) sees and takes roles away from the staff of their municipality only."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from domain.roles import Role, invite_expiry, municipal_scope, new_invite_code
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
class ToRevoke:
    """An invitation an admin is about to revoke: asked to confirm first."""

    invite: Invite


@dataclass(frozen=True, slots=True)
class ToDemote:
    """A staff member whose role an admin is about to take away: asked to confirm first."""

    user: User


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


async def to_revoke(uow: UnitOfWork, role: Role, invite_id: int) -> ToRevoke | Stale | Denied:
    """The invitation to name on the confirmation; ``Stale`` if it was used, revoked or has expired."""
    if role != Role.ADMIN:
        return DENIED
    found = await uow.session.get(Invite, invite_id)
    if found is None or found.used_at is not None or found.expires_at <= uow.now():
        return STALE
    return ToRevoke(found)


async def revoke(uow: UnitOfWork, admin: User, role: Role, invite_id: int) -> Revoked | Stale | Denied:
    """Delete an unused invitation (confirmed); ``Stale`` if it was used or revoked already."""
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
    scope = municipal_scope(role, admin.staff_title, admin.municipality_id)
    others = [
        s
        for s in await UserRepo(uow.session).staff()
        if s.id != admin.id and (scope is None or s.municipality_id == scope)
    ]
    return Staff(others[:SHOWN], len(others))


async def _staff_member(
    uow: UnitOfWork, admin: User, role: Role, user_id: int, held: Role | None
) -> User | None:
    """Another person holding a staff role (``held``, when the confirmation named one), of the
    admin's municipality for a municipal admin."""
    target = await uow.session.get(User, user_id)
    if target is None or target.id == admin.id or target.role not in GRANTED_BY_INVITE:
        return None
    scope = municipal_scope(role, admin.staff_title, admin.municipality_id)
    if scope is not None and target.municipality_id != scope:
        return None
    if held is not None and target.role != held:
        return None  # the role changed since the confirmation was shown
    return target


async def to_demote(uow: UnitOfWork, admin: User, role: Role, user_id: int) -> ToDemote | Stale | Denied:
    """The staff member to name on the confirmation; ``Stale`` for oneself, a teacher, or nobody."""
    if role != Role.ADMIN:
        return DENIED
    target = await _staff_member(uow, admin, role, user_id, None)
    return STALE if target is None else ToDemote(target)


async def demote(
    uow: UnitOfWork, admin: User, role: Role, user_id: int, held: Role | None = None
) -> Demoted | Stale | Denied:
    """Make a methodist or an admin a teacher again (confirmed, for the role ``held`` when given);
    ``Stale`` for oneself, a teacher, somebody whose role is no longer ``held``, or nobody."""
    if role != Role.ADMIN:
        return DENIED
    target = await _staff_member(uow, admin, role, user_id, held)
    if target is None:
        return STALE
    await audit(
        uow.session, admin.id, "role.remove", target_type="user", target_id=target.id, role=target.role
    )
    target.role = Role.TEACHER
    await uow.commit()
    log.info("role removed", extra={"user_id": admin.id, "target_id": target.id})
    return Demoted(target)
