"""services.digest without Telegram: a unit of work over a real (migrated) database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.factory import Database
from domain.digest import Kind, QuietDay
from domain.roles import Role
from services import digest as service
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.digest import saved_settings
from storage.models import MethodistSettings, User
from tests.conftest import NOW, Clock
from tests.test_digest import Seed, seed_caseloads

DAY = timedelta(days=1)


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def _rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, "kostroma")


async def test_today_covers_the_methodists_own_caseload_only(uow: UnitOfWork) -> None:
    a, b = await seed_caseloads(uow.session)
    mine = await service.today(uow, a, Role.METHODIST, rules=await _rules(uow))
    theirs = await service.today(uow, b, Role.METHODIST)  # the region's rules read by the service
    assert isinstance(mine, service.Today) and isinstance(theirs, service.Today)
    assert (mine.digest.teachers, theirs.digest.teachers) == (8, 2)
    assert (mine.timezone, mine.now, mine.inactivity_days) == ("Europe/Moscow", NOW, 30)
    names = {e.name for s in mine.digest.sections for e in s.entries}
    assert "Сидорова Ольга Ивановна" in names and "Чужой Учитель Иванович" not in names
    assert mine.digest.diagnosed == 2


async def test_a_teacher_has_no_digest(uow: UnitOfWork) -> None:
    a, _ = await seed_caseloads(uow.session)
    rules = await _rules(uow)
    assert await service.today(uow, a, Role.TEACHER, rules=rules) is DENIED
    assert await service.section_page(uow, a, Role.TEACHER, "idle", 0) is DENIED
    assert await service.settings(uow, a, Role.TEACHER, rules) is DENIED
    assert await service.set_quiet(uow, a, Role.TEACHER, rules, "none") is DENIED
    assert await service.set_time(uow, a, Role.TEACHER, rules, "07:45") is DENIED
    assert await saved_settings(uow.session, a.id) is None  # nothing written


async def _idle_caseload(uow: UnitOfWork, teachers: int) -> User:
    seed = Seed(uow.session)
    methodist = await seed.person("Методистова Алла Борисовна", role="methodist")
    for i in range(teachers):
        await seed.teacher(methodist, f"Неактивная{i:02d} Анна Ивановна", seen=NOW - (40 + i) * DAY)
    await uow.commit()
    return methodist


async def test_a_section_page_by_page_clamped_to_the_last(uow: UnitOfWork) -> None:
    methodist = await _idle_caseload(uow, 14)
    first = await service.section_page(uow, methodist, Role.METHODIST, "idle", 0)
    assert isinstance(first, service.SectionPage)
    assert (first.section.kind, first.page, first.pages, len(first.entries)) == (Kind.INACTIVE, 0, 2, 10)
    assert first.entries[0].name == "Неактивная13 Анна Ивановна"  # the longest away first
    late = await service.section_page(uow, methodist, Role.ADMIN, Kind.INACTIVE, 9)  # gone: the last
    assert isinstance(late, service.SectionPage) and (late.page, len(late.entries)) == (1, 4)
    empty = await service.section_page(uow, methodist, Role.METHODIST, "new", 3)
    assert isinstance(empty, service.SectionPage) and (empty.page, empty.pages, empty.entries) == (0, 1, ())


async def test_an_unknown_section_is_stale(uow: UnitOfWork) -> None:
    methodist = await _idle_caseload(uow, 1)
    assert await service.section_page(uow, methodist, Role.METHODIST, "secret", 0) is STALE
    assert await service.section_page(uow, methodist, Role.METHODIST, "", 0) is STALE


async def test_scheduled_on_a_quiet_day_a_short_line_or_nothing(uow: UnitOfWork) -> None:
    methodist = await _idle_caseload(uow, 2)  # away for weeks: nothing new today
    quiet = await service.scheduled(uow, methodist)
    assert isinstance(quiet, service.QuietLine) and quiet.digest.teachers == 2
    # Weeks ago the same teachers were news: the whole digest.
    earlier = await service.scheduled(uow, methodist, since=NOW - 60 * DAY)
    assert isinstance(earlier, service.Today) and earlier.digest.section(Kind.INACTIVE).fresh == 2

    uow.session.add(MethodistSettings(user_id=methodist.id, digest_time="08:30", quiet_days=QuietDay.NONE))
    await uow.commit()
    assert await service.scheduled(uow, methodist) is None
    # On demand there is always the whole digest.
    assert isinstance(await service.today(uow, methodist, Role.METHODIST), service.Today)


async def test_scheduled_with_news_is_the_whole_digest(uow: UnitOfWork) -> None:
    a, _ = await seed_caseloads(uow.session)
    uow.session.add(MethodistSettings(user_id=a.id, digest_time="08:30", quiet_days=QuietDay.NONE))
    await uow.commit()
    shown = await service.scheduled(uow, a)
    assert isinstance(shown, service.Today) and not shown.digest.is_empty()


async def test_settings_defaults_saved_then_changed(uow: UnitOfWork) -> None:
    methodist = await _idle_caseload(uow, 1)
    rules = await _rules(uow)
    settings = await service.settings(uow, methodist, Role.METHODIST, rules)
    assert isinstance(settings, service.Settings)
    assert (settings.digest_time, settings.quiet_days, settings.timezone) == (
        "08:30",
        QuietDay.SHORT,
        rules.timezone,
    )
    # NOW is 12:30 in Moscow: today's 08:30 has passed.
    assert settings.next_at == datetime(2026, 11, 23, 5, 30, tzinfo=UTC)
    assert settings.next_at.utcoffset() == timedelta(hours=3)  # local to the region
    assert await saved_settings(uow.session, methodist.id) is not None

    preset = await service.set_preset_time(uow, methodist, Role.METHODIST, rules, "1700")
    assert isinstance(preset, service.TimeSaved) and preset.settings.digest_time == "17:00"
    assert preset.settings.next_at == datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # still ahead today
    typed = await service.set_time(uow, methodist, Role.METHODIST, rules, " 7.45 ")
    assert isinstance(typed, service.TimeSaved) and typed.settings.digest_time == "07:45"
    quiet = await service.set_quiet(uow, methodist, Role.ADMIN, rules, "none")
    assert isinstance(quiet, service.QuietSaved) and quiet.settings.quiet_days == QuietDay.NONE

    await uow.session.rollback()  # what was committed stays
    stored = await saved_settings(uow.session, methodist.id)
    assert stored is not None and (stored.digest_time, stored.quiet_days) == ("07:45", "none")


async def test_settings_reject_what_does_not_parse(uow: UnitOfWork) -> None:
    methodist = await _idle_caseload(uow, 1)
    rules = await _rules(uow)
    assert await service.set_time(uow, methodist, Role.METHODIST, rules, "25:00") == Invalid(
        "digest-err-time-range"
    )
    assert await service.set_time(uow, methodist, Role.METHODIST, rules, "830") == Invalid(
        "digest-err-time-format"
    )
    assert await service.set_time(uow, methodist, Role.METHODIST, rules, None) == Invalid(
        "digest-err-time-format"
    )
    # Forged buttons: nothing but a preset time or a quiet-day mode.
    assert await service.set_preset_time(uow, methodist, Role.METHODIST, rules, "2500") is STALE
    assert await service.set_preset_time(uow, methodist, Role.METHODIST, rules, "ab:c") is STALE
    assert await service.set_quiet(uow, methodist, Role.METHODIST, rules, "loud") is STALE
    assert await saved_settings(uow.session, methodist.id) is None
