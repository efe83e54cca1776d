"""Staff profiles without Telegram: services.onboarding and services.profile for methodists and
admins, and who counts as a teacher in the indicators, caseloads and the mentee lists."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.profile import Position, Qualification, Step, missing_steps
from domain.roles import Role, StaffTitle, counts_as_teacher
from services import indicators, onboarding
from services import profile as profile_service
from services.regions import RegionRules, region_rules
from services.results import STALE, Invalid
from services.uow import UnitOfWork
from storage.caseload import find_teachers, region_teacher
from storage.mentorship import region_young_teachers
from storage.models import Municipality, School, User
from storage.repositories import InviteRepo, UserRepo
from tests.conftest import ADMIN_ID, Clock

ADMINS = (ADMIN_ID,)


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
async def kostroma(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, "kostroma")


async def stored(database: Database, telegram_id: int) -> User:
    async with database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def susanino(uow: UnitOfWork) -> tuple[Municipality, School]:
    municipality = await uow.session.scalar(
        select(Municipality).where(Municipality.name.startswith("Сусанинский"))
    )
    assert municipality is not None
    school = await uow.session.scalar(select(School).where(School.municipality_id == municipality.id))
    assert school is not None
    return municipality, school


async def staff_member(
    uow: UnitOfWork, rules: RegionRules, title: StaffTitle = StaffTitle.REGIONAL_METHODIST
) -> User:
    """An admin of the settings, through the staff profile up to «Я тоже педагог»."""
    started = await onboarding.consent(uow, ADMIN_ID, None, "ru", rules, invite=None, admin_ids=ADMINS)
    assert started.role == Role.ADMIN and started.next == onboarding.Ask(Step.FULL_NAME)
    user = await UserRepo(uow.session).by_telegram_id(ADMIN_ID)
    assert user is not None
    nxt = await onboarding.answer(uow, user, rules, Step.FULL_NAME, "Админов Админ", editing=False)
    assert nxt == onboarding.Ask(Step.STAFF_TITLE)
    nxt = await onboarding.choose_staff_title(uow, user, rules, title, editing=False)
    assert nxt == onboarding.Ask(Step.ORGANISATION)
    nxt = await onboarding.answer(uow, user, rules, Step.ORGANISATION, "ЦНППМ", editing=False)
    assert isinstance(nxt, onboarding.Ask) and nxt.step == Step.REGION
    saved = await onboarding.choose_region(uow, user, rules, "kostroma", editing=False)
    assert not isinstance(saved, type(STALE))
    return user


async def teacher(uow: UnitOfWork, telegram_id: int = 1001, *, birth: date = date(1998, 5, 14)) -> User:
    municipality, school = await susanino(uow)
    user = User(
        telegram_id=telegram_id,
        locale="ru",
        consent_at=uow.now(),
        role=Role.TEACHER,
        profile_completed_at=uow.now(),
        full_name=f"Учитель {telegram_id}",
        position=Position.TEACHER,
        region_code="kostroma",
        municipality_id=municipality.id,
        school_id=school.id,
        subjects=["math"],
        birth_date=birth,
        work_start_year=2024,
        qualification=Qualification.FIRST,
    )
    uow.session.add(user)
    await uow.commit()
    return user


# --- the domain -----------------------------------------------------------------------------------


def test_who_counts_as_a_teacher() -> None:
    assert counts_as_teacher(Role.TEACHER, None)
    assert not counts_as_teacher(Role.ADMIN, None) and not counts_as_teacher(Role.METHODIST, False)
    assert counts_as_teacher(Role.METHODIST, True)


def test_missing_steps_of_a_staff_profile() -> None:
    @dataclass
    class Person:
        role: str = Role.METHODIST
        full_name: str = "Методистова Анна"
        staff_title: str | None = None
        organisation: str | None = None
        region_code: str | None = "kostroma"
        municipality_id: int | None = None
        municipality_custom: str | None = None
        also_teacher: bool | None = None
        position: str | None = None
        school_id: int | None = None
        school_custom: str | None = None
        birth_date: date | None = None
        work_start_year: int | None = None
        qualification: str | None = None
        subjects: list[str] = field(default_factory=list)

    person = Person()
    assert missing_steps(person) == [Step.STAFF_TITLE, Step.ORGANISATION, Step.ALSO_TEACHER]
    person.staff_title, person.organisation = StaffTitle.MMS, "ММС"
    assert missing_steps(person) == [Step.MUNICIPALITY, Step.ALSO_TEACHER]
    person.staff_title, person.also_teacher = StaffTitle.TUTOR, False
    assert missing_steps(person) == []
    person.also_teacher = True
    assert missing_steps(person) == [
        Step.MUNICIPALITY,
        Step.POSITION,
        Step.SCHOOL,
        Step.SUBJECTS,
        Step.BIRTH_DATE,
        Step.WORK_START,
        Step.QUALIFICATION,
    ]


# --- the wizard -------------------------------------------------------------------------------------


async def test_an_admin_of_the_settings_is_stored_as_admin_and_never_asked_a_birth_date(
    uow: UnitOfWork, database: Database, kostroma: RegionRules
) -> None:
    user = await staff_member(uow, kostroma)
    assert (await stored(database, ADMIN_ID)).role == "admin"
    done = await onboarding.choose_also_teacher(uow, user, kostroma, False, editing=False)
    assert isinstance(done, onboarding.Completed)
    assert done.card.staff and not done.card.teaches and done.card.mentor is None
    assert "birth_date" not in done.card.fields and "organisation" in done.card.fields
    row = await stored(database, ADMIN_ID)
    assert (row.staff_title, row.organisation, row.also_teacher) == ("regional_methodist", "ЦНППМ", False)
    assert row.birth_date is None and row.profile_completed_at is not None


async def test_a_registered_person_listed_as_admin_becomes_one_at_start(
    uow: UnitOfWork, database: Database, kostroma: RegionRules
) -> None:
    user = await teacher(uow, ADMIN_ID)
    started = await onboarding.restart(uow, user, kostroma, invite=None, admin_ids=ADMINS)
    assert started.role == Role.ADMIN and started.next == onboarding.Ask(Step.STAFF_TITLE, resumed=True)
    assert (await stored(database, ADMIN_ID)).role == "admin"


async def test_an_invited_municipal_methodist_is_asked_the_municipality(
    uow: UnitOfWork, database: Database, clock: Clock, kostroma: RegionRules
) -> None:
    await InviteRepo(uow.session).create("abc123def456", Role.METHODIST, None, clock() + timedelta(days=1))
    await uow.commit()
    started = await onboarding.consent(
        uow, 3001, None, "ru", kostroma, invite="abc123def456", admin_ids=ADMINS
    )
    assert started.invite == Role.METHODIST
    user = await UserRepo(uow.session).by_telegram_id(3001)
    assert user is not None
    await onboarding.answer(uow, user, kostroma, Step.FULL_NAME, "Методистова Анна", editing=False)
    await onboarding.choose_staff_title(uow, user, kostroma, StaffTitle.MUNICIPAL_METHODIST, editing=False)
    await onboarding.answer(uow, user, kostroma, Step.ORGANISATION, "ММС района", editing=False)
    saved = await onboarding.choose_region(uow, user, kostroma, "kostroma", editing=False)
    assert isinstance(saved, onboarding.Saved) and isinstance(saved.next, onboarding.Ask)
    assert saved.next.step == Step.MUNICIPALITY and saved.next.picker is not None
    municipality, _ = await susanino(uow)
    picked = await onboarding.pick(uow, user, kostroma, Step.MUNICIPALITY, municipality.id, editing=False)
    assert isinstance(picked, onboarding.Saved) and picked.next == onboarding.Ask(Step.ALSO_TEACHER)
    done = await onboarding.choose_also_teacher(uow, user, kostroma, False, editing=False)
    assert isinstance(done, onboarding.Completed)
    row = await stored(database, 3001)
    assert (row.role, row.municipality_id, row.school_id) == ("methodist", municipality.id, None)


async def test_bad_organisation_is_invalid_and_nothing_changes(
    uow: UnitOfWork, database: Database, kostroma: RegionRules
) -> None:
    started = await onboarding.consent(uow, ADMIN_ID, None, "ru", kostroma, invite=None, admin_ids=ADMINS)
    assert started.role == Role.ADMIN
    user = await UserRepo(uow.session).by_telegram_id(ADMIN_ID)
    assert user is not None
    for text, key in (
        ("", "err-organisation-empty"),
        ("12", "err-organisation-letters"),
        (None, "err-organisation-empty"),
    ):
        outcome = await onboarding.answer(uow, user, kostroma, Step.ORGANISATION, text, editing=False)
        assert isinstance(outcome, Invalid) and outcome.key == key
    too_long = await onboarding.answer(uow, user, kostroma, Step.ORGANISATION, "Ц" * 301, editing=False)
    assert too_long == Invalid("err-organisation-too-long", {"max": 300, "length": 301})
    assert (await stored(database, ADMIN_ID)).organisation is None


async def test_staff_choices_of_a_teacher_are_stale(uow: UnitOfWork, kostroma: RegionRules) -> None:
    user = await teacher(uow)
    assert await onboarding.choose_staff_title(uow, user, kostroma, StaffTitle.TUTOR, editing=False) == STALE
    assert await onboarding.choose_also_teacher(uow, user, kostroma, True, editing=False) == STALE
    assert await onboarding.edit(uow, user, "organisation") == STALE
    assert user.staff_title is None and user.also_teacher is None


async def test_teacher_fields_are_edited_only_by_staff_who_teach(
    uow: UnitOfWork, kostroma: RegionRules
) -> None:
    user = await staff_member(uow, kostroma)
    await onboarding.choose_also_teacher(uow, user, kostroma, False, editing=False)
    assert await onboarding.edit(uow, user, "birth_date") == STALE
    assert await onboarding.edit(uow, user, "organisation") == onboarding.Ask(Step.ORGANISATION)
    switched = await onboarding.choose_also_teacher(uow, user, kostroma, True, editing=True)
    assert isinstance(switched, onboarding.Ask) and switched.step == Step.MUNICIPALITY
    assert await onboarding.edit(uow, user, "birth_date") == onboarding.Ask(Step.BIRTH_DATE)


# --- who counts as a teacher ----------------------------------------------------------------------


async def test_staff_count_as_teachers_only_when_they_teach(
    uow: UnitOfWork, database: Database, kostroma: RegionRules
) -> None:
    await teacher(uow)
    admin = await staff_member(uow, kostroma)
    await onboarding.choose_also_teacher(uow, admin, kostroma, False, editing=False)
    # A methodist whose teacher's columns are filled (say, a teacher promoted by an invite).
    promoted = await teacher(uow, 1002, birth=date(1999, 1, 1))
    promoted.role, promoted.staff_title, promoted.organisation = Role.METHODIST, StaffTitle.TUTOR, "ИРО"
    promoted.also_teacher = False
    await uow.commit()

    async def counted() -> int:
        shown = await indicators.region_indicators(uow, admin, Role.ADMIN, "kostroma")
        assert isinstance(shown, indicators.Indicators)
        return shown.report.region.people

    today = uow.now().date()
    assert await counted() == 1
    assert [u.telegram_id for u, _ in await find_teachers(uow.session, "kostroma", "", limit=10)] == [1001]
    assert await region_teacher(uow.session, "kostroma", promoted.id) is None
    young = await region_young_teachers(uow.session, "kostroma", kostroma.young_teacher, today)
    assert [u.telegram_id for u, _ in young] == [1001]

    profile = await profile_service.card(uow, promoted, kostroma)
    assert profile.staff and not profile.teaches and not profile.young

    done = await onboarding.choose_also_teacher(uow, promoted, kostroma, True, editing=True)
    assert isinstance(done, onboarding.Edited) and done.card.teaches  # nothing more to ask
    assert await counted() == 2
    found = await find_teachers(uow.session, "kostroma", "", limit=10)
    assert sorted(u.telegram_id for u, _ in found) == [1001, 1002]
    assert await region_teacher(uow.session, "kostroma", promoted.id) == promoted
    young = await region_young_teachers(uow.session, "kostroma", kostroma.young_teacher, today)
    assert sorted(u.telegram_id for u, _ in young) == [1001, 1002]
