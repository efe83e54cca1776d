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
from services import broadcasts
from services.accounts import Linked
from services.results import STALE, Invalid
from services.uow import UnitOfWork
from storage.broadcasts import create_broadcast
from storage.models import BroadcastDelivery, LinkedAccount, User
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


async def linked_pair(uow: UnitOfWork) -> tuple[User, int]:
    """Мария on Telegram (501), her MAX account 2002 linked: the link's id."""
    owner = await teacher(uow)
    code = (await service.issue_code(uow, owner, "telegram")).code
    assert isinstance(await service.link(uow, "max", 2002, code), Linked)
    link_id = await uow.session.scalar(select(LinkedAccount.id))
    assert link_id is not None
    return owner, link_id


async def test_what_is_sent_goes_where_she_last_wrote_from(uow: UnitOfWork) -> None:
    owner, _ = await linked_pair(uow)
    assert tuple(owner.reach) == ("max", 2002)  # linking is writing from the new account
    assert service.wrote_from(owner, "max", 2002) is False  # nothing to write
    assert service.wrote_from(owner, "telegram", 501) is True
    assert tuple(owner.reach) == ("telegram", 501) and owner.last_messenger is None
    assert service.wrote_from(owner, "telegram", 501) is False
    assert service.wrote_from(owner, "max", 2002) is True and tuple(owner.reach) == ("max", 2002)


async def test_the_linked_account_is_named_from_either_side(uow: UnitOfWork) -> None:
    owner, link_id = await linked_pair(uow)
    assert await service.other_accounts(uow, owner, "telegram") == [service.OtherAccount(link_id, "max")]
    assert await service.other_accounts(uow, owner, "max") == [service.OtherAccount(link_id, "telegram")]
    assert await service.linked_account(uow, owner, "max", link_id + 1) == STALE


async def test_unlinking_from_the_own_account_forgets_the_other(uow: UnitOfWork) -> None:
    owner, link_id = await linked_pair(uow)
    done = await service.unlink(uow, owner, "telegram", 501, link_id)
    assert done == service.Unlinked("max")
    assert tuple(owner.reach) == ("telegram", 501) and owner.last_messenger is None
    repo = UserRepo(uow.session)
    assert await repo.by_telegram_id(2002, "max") is None  # a stranger again
    assert await repo.by_telegram_id(501, "telegram") is owner
    assert await service.unlink(uow, owner, "telegram", 501, link_id) == STALE  # once


async def test_unlinking_from_the_linked_account_moves_the_profile_to_it(uow: UnitOfWork) -> None:
    owner, link_id = await linked_pair(uow)
    done = await service.unlink(uow, owner, "max", 2002, link_id)
    assert done == service.Unlinked("telegram")
    assert (owner.messenger, owner.telegram_id, owner.full_name) == ("max", 2002, "Иванова Мария")
    assert tuple(owner.reach) == ("max", 2002)
    repo = UserRepo(uow.session)
    assert await repo.by_telegram_id(501, "telegram") is None
    assert await uow.session.scalar(select(func.count()).select_from(LinkedAccount)) == 0


async def test_an_unlink_of_someone_elses_or_from_a_stranger_changes_nothing(uow: UnitOfWork) -> None:
    owner, link_id = await linked_pair(uow)
    other = await teacher(uow, 900, messenger="max")
    assert await service.unlink(uow, other, "max", 900, link_id) == STALE  # not her link
    assert await service.unlink(uow, owner, "max", 3003, link_id) == STALE  # not her account
    assert await service.unlink(uow, owner, "telegram", 501, 0) == STALE
    assert await uow.session.scalar(select(func.count()).select_from(LinkedAccount)) == 1


async def test_a_broadcast_delivery_goes_to_the_account_she_last_wrote_from(uow: UnitOfWork) -> None:
    owner, _ = await linked_pair(uow)  # she last wrote from MAX: linking
    broadcast = await create_broadcast(
        uow.session, created_by=None, region_code=None, text="Семинар", audience={}
    )
    uow.session.add(BroadcastDelivery(broadcast_id=broadcast.id, user_id=owner.id))
    await uow.commit()
    rows = list(await uow.session.scalars(select(BroadcastDelivery)))
    ready, closed = await broadcasts.recipients(uow, rows)
    assert closed == 0 and [(r.messenger, r.chat_id) for r in ready] == [("max", 2002)]
    service.wrote_from(owner, "telegram", 501)
    await uow.commit()
    ready, _ = await broadcasts.recipients(uow, rows)
    assert [(r.messenger, r.chat_id) for r in ready] == [("telegram", 501)]  # one person, one delivery
