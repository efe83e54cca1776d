"""services.indicators without Telegram: a unit of work over a real (migrated) database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.factory import Database
from domain.indicators import Period, PeriodKind, Status
from domain.roles import Role, StaffTitle
from services import indicators as service
from services.results import DENIED, STALE
from services.uow import UnitOfWork
from storage.audit import audit
from storage.models import User
from tests.conftest import NOW, Clock
from tests.test_indicators import seed


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def _admin(uow: UnitOfWork, region_code: str | None, name: str = "Админов Админ") -> User:
    user = User(
        telegram_id=900_001,
        locale="ru",
        consent_at=NOW,
        role="admin",
        full_name=name,
        region_code=region_code,
    )
    uow.session.add(user)
    await uow.commit()
    return user


async def test_the_admins_region_on_its_own_day(database: Database, uow: UnitOfWork) -> None:
    await seed(database)
    admin = await _admin(uow, "kostroma")
    shown = await service.region_indicators(uow, admin, Role.ADMIN, "kuzbass")
    assert isinstance(shown, service.Indicators)
    assert shown.region == service.RegionName("kostroma", "Костромская область", shown.region.name_en)
    assert shown.region.name_en and shown.today == date(2026, 11, 22)
    assert shown.report.region.people == 6  # the same report the definitions give (tests/test_indicators.py)
    assert shown.report.region.values["C-3/R-3"].status == Status.BELOW
    assert {unit.name for unit in shown.report.municipalities} and len(shown.report.recommendations) == 7
    # Kostroma reports by calendar year: the current one, and the unit shown is the region.
    assert (
        shown.period == Period(PeriodKind.CALENDAR, 2026) == shown.current
        and shown.unit is shown.report.region
    )


async def test_a_past_period_and_a_unit(database: Database, uow: UnitOfWork) -> None:
    await seed(database)
    admin = await _admin(uow, "kostroma")
    past = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma", year=2024)
    assert isinstance(past, service.Indicators) and past.period.label == "2024" and past.unit.people == 0
    assert await service.region_indicators(uow, admin, Role.ADMIN, "kostroma", year=2027) is STALE
    current = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma")
    assert isinstance(current, service.Indicators)
    municipality = current.report.municipalities[0]
    shown = await service.region_indicators(
        uow, admin, Role.ADMIN, "kostroma", level="municipality", unit_id=municipality.unit_id
    )
    assert isinstance(shown, service.Indicators) and shown.unit.name == municipality.name
    assert (
        await service.region_indicators(uow, admin, Role.ADMIN, "kostroma", level="school", unit_id=10**9)
        is STALE
    )


async def test_a_municipal_admin_sees_their_municipality_only(database: Database, uow: UnitOfWork) -> None:
    await seed(database)
    admin = await _admin(uow, "kostroma")
    current = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma")
    assert isinstance(current, service.Indicators)
    mine, other = current.report.municipalities[0], current.report.municipalities[1]
    admin.staff_title, admin.municipality_id = StaffTitle.MMS, mine.unit_id
    await uow.commit()
    shown = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma")
    assert isinstance(shown, service.Indicators) and shown.scope == mine.unit_id
    assert shown.unit.unit_id == mine.unit_id and [u.unit_id for u in shown.report.municipalities] == [
        mine.unit_id
    ]
    assert {s.municipality_id for s in shown.report.schools} == {mine.unit_id}
    assert (
        await service.region_indicators(
            uow, admin, Role.ADMIN, "kostroma", level="municipality", unit_id=other.unit_id
        )
        is STALE
    )


async def test_an_admin_without_a_region_sees_the_home_region(database: Database, uow: UnitOfWork) -> None:
    await seed(database)
    admin = await _admin(uow, None)
    shown = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma")
    assert isinstance(shown, service.Indicators) and shown.region.code == "kostroma"
    assert shown.report.region.people == 6


async def test_the_day_is_the_regions_or_utcs(uow: UnitOfWork, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)  # already the 23rd in Kostroma
    admin = await _admin(uow, None)
    kostroma = await service.region_indicators(uow, admin, Role.ADMIN, "kostroma")
    nowhere = await service.region_indicators(uow, admin, Role.ADMIN, "atlantis")  # not loaded
    assert isinstance(kostroma, service.Indicators) and isinstance(nowhere, service.Indicators)
    assert kostroma.today == date(2026, 11, 23) and nowhere.today == date(2026, 11, 22)
    assert nowhere.region == service.RegionName("atlantis") and nowhere.report.region.people == 0


async def test_only_an_admin_sees_indicators_and_the_log(uow: UnitOfWork) -> None:
    person = await _admin(uow, "kostroma")
    for role in (Role.TEACHER, Role.METHODIST):
        assert await service.region_indicators(uow, person, role, "kostroma") is DENIED
        assert await service.audit_log(uow, person, role, "kostroma", 0) is DENIED


async def test_the_audit_log_page_by_page_in_the_regions_time(uow: UnitOfWork) -> None:
    admin = await _admin(uow, "kostroma")
    nameless = User(telegram_id=900_002, locale="ru", consent_at=NOW, role="methodist", full_name=None)
    uow.session.add(nameless)
    await uow.flush()
    await audit(uow.session, admin.id, "invite.create", at=NOW)
    await audit(uow.session, nameless.id, "route.approve", at=NOW - timedelta(minutes=1))
    for n in range(2, 25):
        await audit(uow.session, None, "route.approve", at=NOW - timedelta(minutes=n))
    await uow.commit()

    first = await service.audit_log(uow, admin, Role.ADMIN, "kuzbass", 0)
    assert isinstance(first, service.AuditPage) and (first.page, len(first.entries), first.more) == (
        0,
        20,
        True,
    )
    newest = first.entries[0]
    assert (newest.actor, newest.action) == ("Админов Админ", "invite.create")
    assert newest.at == NOW and newest.at.utcoffset() == timedelta(hours=3)  # Kostroma's time
    assert first.entries[1].actor is None and first.entries[2].actor is None  # no name; the system
    assert [e.at for e in first.entries] == sorted((e.at for e in first.entries), reverse=True)

    second = await service.audit_log(uow, admin, Role.ADMIN, "kuzbass", 1)
    assert isinstance(second, service.AuditPage) and (second.page, len(second.entries), second.more) == (
        1,
        5,
        False,
    )
    assert second.entries[-1].at == NOW - timedelta(minutes=24)
    before = await service.audit_log(uow, admin, Role.ADMIN, "kuzbass", -3)  # before the first: the first
    assert isinstance(before, service.AuditPage) and before.page == 0 and before.entries == first.entries
    past = await service.audit_log(uow, admin, Role.ADMIN, "kuzbass", 9)
    assert isinstance(past, service.AuditPage) and (past.entries, past.more) == ((), False)
