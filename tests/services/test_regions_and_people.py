"""The small services every update uses: the region's rules as one value, and a person's language
for code outside an update (the error handler)."""

from __future__ import annotations

import pytest

from bot.factory import Database
from services import people
from services.regions import DEFAULT_FRAMEWORK, region_rules
from services.uow import UnitsOfWork
from storage.models import User
from tests.conftest import NOW, Clock


@pytest.fixture
def units(database: Database, clock: Clock) -> UnitsOfWork:
    return UnitsOfWork(database.sessionmaker, clock)


async def test_a_regions_rules_come_from_its_settings_and_an_unknown_one_gets_the_defaults(
    units: UnitsOfWork,
) -> None:
    async with units.open() as uow:
        kuzbass = await region_rules(uow, "kuzbass")
        nowhere = await region_rules(uow, None, "Asia/Yekaterinburg")
        unknown = await region_rules(uow, "atlantis")
    assert (kuzbass.code, kuzbass.timezone) == ("kuzbass", "Asia/Novokuznetsk")
    assert kuzbass.thresholds.deficit_threshold == 60
    assert (kuzbass.caseload_target, kuzbass.young_support_target, kuzbass.reporting_period) == (
        250,
        70,
        "school",
    )
    assert kuzbass.young_teacher.max_age == kuzbass.thresholds.young_teacher_max_age
    assert (nowhere.timezone, nowhere.framework, nowhere.reporting_period) == (
        "Asia/Yekaterinburg",
        DEFAULT_FRAMEWORK,
        "calendar",
    )
    assert unknown.code == "atlantis" and unknown.timezone == "Europe/Moscow"


async def test_a_persons_language_is_read_in_a_unit_of_work_of_its_own(units: UnitsOfWork) -> None:
    async with units.open() as uow:
        assert uow.now() == NOW
        uow.session.add(User(telegram_id=5005, locale="en", consent_at=NOW))
        await uow.commit()
    async with units.open() as uow:
        assert await people.language(uow, 5005) == "en"
        assert await people.language(uow, 5006) is None  # before the consent nothing is stored
