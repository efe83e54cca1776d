"""services.privacy without Telegram: /mydata's export and /forget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.roles import Role
from services import privacy
from services.uow import UnitOfWork
from storage.fsm import SqlStorage
from storage.models import FsmRecord, Invite, User
from storage.repositories import InviteRepo, UserRepo
from tests.conftest import Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
def conversations(database: Database) -> SqlStorage:
    return SqlStorage(database.sessionmaker)


async def person(uow: UnitOfWork) -> User:
    """A methodist by invite, with an invite of their own and a conversation in progress."""
    users = UserRepo(uow.session)
    admin = await users.create(2002, "ru", uow.now())
    user = await users.create(1001, "ru", uow.now())
    user.full_name, user.region_code, user.school_custom = "Иванова Мария", "kostroma", "Школа"
    invites = InviteRepo(uow.session)
    await invites.create("used000code", Role.METHODIST, admin.id, uow.now() + timedelta(days=1))
    await invites.create("made000code", Role.METHODIST, user.id, uow.now() + timedelta(days=1))
    assert await invites.redeem("used000code", user.id, uow.now()) is not None
    uow.session.add(
        FsmRecord(key="fsm:1001:1001", telegram_id=1001, state="Onboarding:region", data={"x": 1})
    )
    await uow.commit()
    return user


async def test_my_data_is_everything_stored(uow: UnitOfWork, conversations: SqlStorage) -> None:
    user = await person(uow)
    mine = await privacy.my_data(uow, user, conversations)
    assert mine.user is user and mine.invites == 2
    data = mine.export
    assert data["user"]["full_name"] == "Иванова Мария" and data["user"]["telegram_id"] == 1001
    assert (data["region"], data["municipality"], data["school"]) == ("Костромская область", None, None)
    assert data["conversation_state"] == [{"state": "Onboarding:region", "data": {"x": 1}}]


async def test_forget_deletes_the_person_and_what_refers_to_them(
    uow: UnitOfWork, database: Database, conversations: SqlStorage
) -> None:
    user = await person(uow)
    await privacy.forget(uow, user, conversations)
    async with database.sessionmaker() as session:
        assert list(await session.scalars(select(User.telegram_id))) == [2002]  # only the other one
        assert list(await session.scalars(select(FsmRecord))) == []
        # The invite they used goes; the one they made stays, made by nobody.
        [left] = await session.scalars(select(Invite))
        assert (left.code, left.created_by) == ("made000code", None)
