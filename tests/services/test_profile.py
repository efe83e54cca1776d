"""services.profile without Telegram: the card by the rules of the person's region, the language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.region import Thresholds
from services import profile
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.mentorship import MentorRepo
from storage.models import User
from storage.repositories import UserRepo
from tests.conftest import Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def teacher(uow: UnitOfWork, *, birth: date = date(1998, 5, 14), start: int = 2024) -> User:
    user = await UserRepo(uow.session).create(1001, "ru", uow.now())
    user.full_name, user.position, user.region_code = "Иванова Мария", "teacher", "kostroma"
    user.municipality_custom, user.school_custom = "Посёлок", "Школа"
    user.subjects, user.birth_date, user.work_start_year = ["math"], birth, start
    await uow.commit()
    return user


STRICT = Thresholds(young_teacher_max_age=20)  # nobody of 28 is young by these


async def test_the_card_has_the_places_and_who_is_young_by_the_region_rules(uow: UnitOfWork) -> None:
    user = await teacher(uow)
    card = await profile.card(uow, user, RegionRules(code="kostroma"))
    assert card.user.region is not None and card.user.region.name == "Костромская область"
    assert card.today == date(2026, 11, 22) and card.young
    assert not (await profile.card(uow, user, RegionRules(code="kostroma", thresholds=STRICT))).young


async def test_rules_of_another_region_are_not_used(uow: UnitOfWork) -> None:
    """After the region changed in this update, the person's new region decides."""
    user = await teacher(uow)
    card = await profile.card(uow, user, RegionRules(code="kuzbass", thresholds=STRICT))
    assert card.young  # by Kostroma's own rules


async def test_the_mentor_button_needs_experience_or_the_registry(uow: UnitOfWork) -> None:
    user = await teacher(uow)
    rules = RegionRules(code="kostroma")
    assert (await profile.card(uow, user, rules)).mentor is None  # two years of work: too new
    user.birth_date, user.work_start_year = date(1980, 1, 1), 2005
    assert (await profile.card(uow, user, rules)).mentor is False
    await MentorRepo(uow.session).enrol(user.id, "self", None, uow.now())
    assert (await profile.card(uow, user, rules)).mentor is True


async def test_switching_the_language_stores_it(uow: UnitOfWork, database: Database) -> None:
    user = await teacher(uow)
    card = await profile.switch_language(uow, user, RegionRules(code="kostroma"), ("ru", "en"))
    assert card.user.locale == "en"
    async with database.sessionmaker() as session:
        assert await session.scalar(select(User.locale)) == "en"
    await profile.switch_language(uow, user, RegionRules(code="kostroma"), ("ru", "en"))
    assert user.locale == "ru"
