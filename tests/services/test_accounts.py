"""services.accounts on a real database: a one-time code links an unknown account on the other
messenger to the person; a used, expired, same-messenger or unknown code, or an account that is
already someone's, changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.accounts import LINK_TTL, parse_code
from services import accounts as service
from services.accounts import Linked
from services.results import Invalid
from services.uow import UnitOfWork
from storage.models import LinkedAccount, User
from storage.repositories import UserRepo
from tests.conftest import NOW, Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def teacher(uow: UnitOfWork, external_id: int = 501, messenger: str = "telegram") -> User:
    user = User(
        messenger=messenger, telegram_id=external_id, locale="ru", role="teacher", consent_at=NOW,
        subjects=[], full_name="Иванова Мария",
    )  # fmt: skip
    uow.session.add(user)
    await uow.commit()
    return user


def test_codes_are_typed_loosely_and_checked_strictly() -> None:
    assert parse_code(" abcd-2345 ") == "ABCD2345"
    assert parse_code("link_ABCD2345") == "ABCD2345"
    for bad in (None, "", "ABCD234", "ABCD23450", "ABCD0345", "АБВГ2345"):  # 0 is not in the alphabet
        assert parse_code(bad) is None


async def test_a_code_links_a_max_account_once_and_both_are_the_same_person(uow: UnitOfWork) -> None:
    owner = await teacher(uow)
    issued = await service.issue_code(uow, owner, "telegram")
    assert issued.other == "max" and issued.expires_at == NOW + LINK_TTL
    linked = await service.link(uow, "max", 501, issued.code)  # the same number on MAX: another account
    assert isinstance(linked, Linked) and linked.user.id == owner.id
    repo = UserRepo(uow.session)
    assert (await repo.by_telegram_id(501, "max")) is owner
    assert (await repo.by_telegram_id(501, "telegram")) is owner
    again = await service.link(uow, "max", 777, issued.code)
    assert again == Invalid("link-code-invalid")  # once only
    assert await uow.session.scalar(select(func.count()).select_from(LinkedAccount)) == 1


async def test_refusals_change_nothing(uow: UnitOfWork, clock: Clock) -> None:
    owner = await teacher(uow)
    other = await teacher(uow, 900, messenger="max")
    code = (await service.issue_code(uow, owner, "telegram")).code
    assert await service.link(uow, "max", 900, code) == Invalid("link-account-known")  # has a profile
    assert await service.link(uow, "telegram", 901, code) == Invalid("link-same-messenger")
    assert await service.link(uow, "max", 902, "ZZZZZZZZ") == Invalid("link-code-invalid")
    clock.advance(seconds=LINK_TTL.total_seconds())
    assert await service.link(uow, "max", 903, code) == Invalid("link-code-invalid")  # expired
    assert await uow.session.scalar(select(func.count()).select_from(LinkedAccount)) == 0
    assert (await UserRepo(uow.session).by_telegram_id(900, "max")) is other
