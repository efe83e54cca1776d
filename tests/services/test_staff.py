"""services.staff without Telegram: invitations, their list and revoking, the staff list and taking
a role away — only for admins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.roles import INVITE_CODE_RE, Role
from services import staff as service
from services.results import DENIED, STALE
from services.uow import UnitOfWork
from storage.models import AuditEntry, Invite, User
from tests.conftest import NOW, Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def person(uow: UnitOfWork, telegram_id: int, role: Role, name: str) -> User:
    user = User(telegram_id=telegram_id, locale="ru", consent_at=NOW, role=role, full_name=name)
    uow.session.add(user)
    await uow.commit()
    return user


async def audited(database: Database, action: str) -> list[AuditEntry]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def test_invite_list_and_revoke(uow: UnitOfWork, database: Database, clock: Clock) -> None:
    import re

    admin = await person(uow, 1, Role.ADMIN, "Админов")
    invited = await service.invite(uow, admin, Role.ADMIN, Role.METHODIST, 48)
    assert isinstance(invited, service.Invited)
    invite = invited.invite
    assert re.match(INVITE_CODE_RE, invite.code) and invite.role == Role.METHODIST
    assert invite.expires_at == NOW + timedelta(hours=48) and invite.created_by == admin.id
    [entry] = await audited(database, "invite.create")
    assert (entry.target_id, entry.details) == (invite.id, {"role": "methodist"})

    clock.advance(hours=1)
    later = await service.invite(uow, admin, Role.ADMIN, Role.ADMIN, 1)  # expires in an hour
    assert isinstance(later, service.Invited)
    listed = await service.invites(uow, Role.ADMIN)
    assert isinstance(listed, service.Invites) and listed.count == 2
    clock.advance(hours=2)
    listed = await service.invites(uow, Role.ADMIN)
    assert isinstance(listed, service.Invites)
    assert [i.id for i in listed.shown] == [invite.id] and listed.count == 1

    assert await service.revoke(uow, admin, Role.ADMIN, invite.id) == service.Revoked(invite.id)
    assert await service.revoke(uow, admin, Role.ADMIN, invite.id) is STALE
    assert len(await audited(database, "invite.revoke")) == 1
    async with database.sessionmaker() as session:
        assert await session.get(Invite, invite.id) is None


async def test_a_used_invitation_cannot_be_revoked(uow: UnitOfWork) -> None:
    admin = await person(uow, 1, Role.ADMIN, "Админов")
    invited = await service.invite(uow, admin, Role.ADMIN, Role.METHODIST, 48)
    assert isinstance(invited, service.Invited)
    invited.invite.used_at, invited.invite.used_by = NOW, admin.id
    await uow.commit()
    assert await service.revoke(uow, admin, Role.ADMIN, invited.invite.id) is STALE


async def test_no_invitation_to_the_teacher_role(uow: UnitOfWork, database: Database) -> None:
    admin = await person(uow, 1, Role.ADMIN, "Админов")
    assert await service.invite(uow, admin, Role.ADMIN, Role.TEACHER, 48) is STALE
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 0


async def test_staff_and_demote(uow: UnitOfWork, database: Database) -> None:
    admin = await person(uow, 1, Role.ADMIN, "Админов")
    methodist = await person(uow, 2, Role.METHODIST, "Методистова")
    other_admin = await person(uow, 3, Role.ADMIN, "Бэ Админ")
    teacher = await person(uow, 4, Role.TEACHER, "Учителев")
    listed = await service.staff(uow, admin, Role.ADMIN)
    assert isinstance(listed, service.Staff)
    assert [u.id for u in listed.shown] == [other_admin.id, methodist.id] and listed.count == 2

    for target in (admin.id, teacher.id, 2**31 - 1):  # oneself, a teacher, nobody
        assert await service.demote(uow, admin, Role.ADMIN, target) is STALE
    demoted = await service.demote(uow, admin, Role.ADMIN, methodist.id)
    assert isinstance(demoted, service.Demoted) and demoted.user.id == methodist.id
    async with database.sessionmaker() as session:
        stored = await session.get(User, methodist.id)
        assert stored is not None and stored.role == Role.TEACHER
    [entry] = await audited(database, "role.remove")
    assert (entry.actor_id, entry.target_id, entry.details) == (admin.id, methodist.id, {"role": "methodist"})
    assert await service.demote(uow, admin, Role.ADMIN, methodist.id) is STALE  # a teacher now


async def test_only_admins(uow: UnitOfWork, database: Database) -> None:
    admin = await person(uow, 1, Role.ADMIN, "Админов")
    methodist = await person(uow, 2, Role.METHODIST, "Методистова")
    invited = await service.invite(uow, admin, Role.ADMIN, Role.METHODIST, 48)
    assert isinstance(invited, service.Invited)
    for role in (Role.METHODIST, Role.TEACHER):
        assert await service.invite(uow, methodist, role, Role.ADMIN, 48) is DENIED
        assert await service.invites(uow, role) is DENIED
        assert await service.revoke(uow, methodist, role, invited.invite.id) is DENIED
        assert await service.staff(uow, methodist, role) is DENIED
        assert await service.demote(uow, methodist, role, admin.id) is DENIED
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Invite)) == 1
        stored = await session.get(User, admin.id)
        assert stored is not None and stored.role == Role.ADMIN


async def test_what_a_confirmation_names_and_what_its_yes_rechecks(uow: UnitOfWork, clock: Clock) -> None:
    admin = await person(uow, 1, Role.ADMIN, "Админов")
    methodist = await person(uow, 2, Role.METHODIST, "Методистова Ольга")
    teacher = await person(uow, 3, Role.TEACHER, "Учителева")
    assert await service.to_demote(uow, admin, Role.ADMIN, methodist.id) == service.ToDemote(methodist)
    for nobody in (admin.id, teacher.id, 999):
        assert await service.to_demote(uow, admin, Role.ADMIN, nobody) is STALE
    assert await service.to_demote(uow, methodist, Role.METHODIST, methodist.id) is DENIED
    # «Да» for a role the person no longer holds changes nothing.
    assert await service.demote(uow, admin, Role.ADMIN, methodist.id, Role.ADMIN) is STALE
    assert methodist.role == Role.METHODIST
    assert await service.demote(uow, admin, Role.METHODIST, methodist.id, Role.METHODIST) is DENIED
    demoted = await service.demote(uow, admin, Role.ADMIN, methodist.id, Role.METHODIST)
    assert isinstance(demoted, service.Demoted) and methodist.role == Role.TEACHER
    assert await service.demote(uow, admin, Role.ADMIN, methodist.id, Role.METHODIST) is STALE  # twice

    invited = await service.invite(uow, admin, Role.ADMIN, Role.METHODIST, 1)
    assert isinstance(invited, service.Invited)
    invite_id = invited.invite.id
    assert await service.to_revoke(uow, Role.METHODIST, invite_id) is DENIED
    assert await service.to_revoke(uow, Role.ADMIN, invite_id) == service.ToRevoke(invited.invite)
    assert await service.to_revoke(uow, Role.ADMIN, 999) is STALE
    clock.advance(hours=2)
    assert await service.to_revoke(uow, Role.ADMIN, invite_id) is STALE  # expired meanwhile
