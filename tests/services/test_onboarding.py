"""services.onboarding without Telegram: the consent, invites and every step of the wizard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.profile import Position, Qualification, Step
from domain.roles import Role
from services import onboarding
from services.regions import RegionRules, region_rules
from services.results import STALE, Invalid
from services.uow import UnitOfWork
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


async def stored(database: Database, telegram_id: int = 1001) -> User:
    """The person as committed (read in a session of its own)."""
    async with database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def new_user(uow: UnitOfWork, telegram_id: int = 1001) -> User:
    started = await onboarding.consent(
        uow, telegram_id, None, "ru", RegionRules(), invite=None, admin_ids=ADMINS
    )
    assert isinstance(started.next, onboarding.Ask)
    user = await UserRepo(uow.session).by_telegram_id(telegram_id)
    assert user is not None
    return user


async def municipality_of(uow: UnitOfWork, name: str) -> Municipality:
    found = await uow.session.scalar(select(Municipality).where(Municipality.name.startswith(name)))
    assert found is not None
    return found


async def school_in(uow: UnitOfWork, municipality_id: int) -> School:
    found = await uow.session.scalar(
        select(School).where(School.municipality_id == municipality_id).order_by(School.id)
    )
    assert found is not None
    return found


async def invite(uow: UnitOfWork, clock: Clock, role: Role = Role.METHODIST) -> str:
    await InviteRepo(uow.session).create("abc123def456", role, None, clock() + timedelta(days=1))
    await uow.commit()
    return "abc123def456"


# --- the consent and /start -----------------------------------------------------------------------


async def test_consent_stores_the_person_in_their_language_and_asks_the_name(
    uow: UnitOfWork, database: Database, clock: Clock
) -> None:
    started = await onboarding.consent(uow, 1001, None, "en", RegionRules(), invite=None, admin_ids=ADMINS)
    assert started == onboarding.Started(onboarding.Ask(Step.FULL_NAME), Role.TEACHER, None)
    user = await stored(database)
    assert (user.locale, user.role, user.consent_at) == ("en", "teacher", clock())


async def test_consent_twice_keeps_one_person(uow: UnitOfWork, database: Database) -> None:
    user = await new_user(uow)
    again = await onboarding.consent(uow, 1001, user, "en", RegionRules(), invite=None, admin_ids=ADMINS)
    assert again.next == onboarding.Ask(Step.FULL_NAME)
    async with database.sessionmaker() as session:
        assert len(list(await session.scalars(select(User)))) == 1
    assert (await stored(database)).locale == "ru"


async def test_an_invite_at_the_consent_grants_its_role_once(
    uow: UnitOfWork, database: Database, clock: Clock
) -> None:
    code = await invite(uow, clock)
    started = await onboarding.consent(uow, 1001, None, "ru", RegionRules(), invite=code, admin_ids=ADMINS)
    assert (started.invite, started.role) == (Role.METHODIST, Role.METHODIST)
    assert (await stored(database)).role == "methodist"
    second = await onboarding.consent(uow, 1002, None, "ru", RegionRules(), invite=code, admin_ids=ADMINS)
    assert second.invite == Invalid("invite-invalid")
    assert (second.role, (await stored(database, 1002)).role) == (Role.TEACHER, "teacher")


async def test_an_expired_invite_is_invalid(uow: UnitOfWork, database: Database, clock: Clock) -> None:
    code = await invite(uow, clock)
    user = await new_user(uow)
    clock.advance(days=2)
    started = await onboarding.restart(uow, user, RegionRules(), invite=code, admin_ids=ADMINS)
    assert started.invite == Invalid("invite-invalid")
    assert (await stored(database)).role == "teacher"


async def test_an_invite_never_lowers_an_admin(uow: UnitOfWork, database: Database, clock: Clock) -> None:
    user = await new_user(uow)
    user.role = Role.ADMIN
    await uow.commit()
    code = await invite(uow, clock)
    started = await onboarding.restart(uow, user, RegionRules(), invite=code, admin_ids=())
    assert (started.invite, started.role) == (Role.ADMIN, Role.ADMIN)
    assert (await stored(database)).role == "admin"


async def test_start_in_the_middle_resumes_at_the_first_missing_answer(uow: UnitOfWork) -> None:
    user = await new_user(uow)
    await onboarding.answer(uow, user, RegionRules(), Step.FULL_NAME, "Иванова Мария", editing=False)
    started = await onboarding.restart(uow, user, RegionRules(), invite=None, admin_ids=ADMINS)
    assert started.next == onboarding.Ask(Step.POSITION, resumed=True)


# --- the whole wizard -----------------------------------------------------------------------------


async def test_the_whole_wizard_stores_each_answer_and_completes_the_profile(
    uow: UnitOfWork, database: Database, kostroma: RegionRules, clock: Clock
) -> None:
    user = await new_user(uow)
    rules = RegionRules()  # before the region is chosen

    refused = await onboarding.answer(uow, user, rules, Step.FULL_NAME, "Иванова", editing=False)
    assert refused == Invalid("err-fio-short")
    assert (await stored(database)).full_name is None
    asked = await onboarding.answer(uow, user, rules, Step.FULL_NAME, "  Иванова   Мария ", editing=False)
    assert asked == onboarding.Ask(Step.POSITION)
    assert (await stored(database)).full_name == "Иванова Мария"

    asked = await onboarding.choose_position(uow, user, rules, Position.TEACHER, editing=False)
    assert isinstance(asked, onboarding.Ask) and asked.step == Step.REGION
    assert {r.code for r in asked.regions} == {"kostroma", "kuzbass", "saratov"}

    assert await onboarding.choose_region(uow, user, rules, "atlantis", editing=False) == STALE
    saved = await onboarding.choose_region(uow, user, rules, "kostroma", editing=False)
    assert saved != STALE and isinstance(saved, onboarding.Saved)
    assert saved.region is not None and saved.region.name == "Костромская область"
    asked = saved.next
    assert isinstance(asked, onboarding.Ask) and asked.picker is not None
    assert asked.step == Step.MUNICIPALITY and len(asked.picker.items) > 8

    narrowed = await onboarding.search(uow, user, Step.MUNICIPALITY, "  буй ")
    assert narrowed.query == "буй" and narrowed.matched
    assert sorted(name for _, name in narrowed.items) == ["Буйский муниципальный район", "г. Буй"]
    nothing = await onboarding.search(uow, user, Step.MUNICIPALITY, "Атлантида")
    assert not nothing.matched and nothing.items == asked.picker.items
    second = await onboarding.page(uow, user, Step.MUNICIPALITY, None, 1)
    assert second.page == 1 and second.items == asked.picker.items

    susanin = await municipality_of(uow, "Сусанинский")
    assert await onboarding.pick(uow, user, rules, Step.MUNICIPALITY, 999_999, editing=False) == STALE
    saved = await onboarding.pick(uow, user, rules, Step.MUNICIPALITY, susanin.id, editing=False)
    assert isinstance(saved, onboarding.Saved) and saved.place == susanin.name
    asked = saved.next
    assert isinstance(asked, onboarding.Ask) and asked.step == Step.SCHOOL and asked.picker is not None
    school_id, school_name = asked.picker.items[0]
    saved = await onboarding.pick(uow, user, rules, Step.SCHOOL, school_id, editing=False)
    assert isinstance(saved, onboarding.Saved) and saved.place == school_name
    assert saved.next == onboarding.Ask(Step.SUBJECTS)

    ticked = onboarding.tick_subject([], "physics")
    assert ticked == ["physics"]
    assert onboarding.tick_subject(["physics", "math"], "physics") == ["math"]
    assert onboarding.tick_subject(["math"], "astrology") == STALE
    assert await onboarding.choose_subjects(uow, user, rules, [], editing=False) == Invalid(
        "err-subjects-empty"
    )
    asked = await onboarding.choose_subjects(uow, user, rules, ["physics", "math"], editing=False)
    assert asked == onboarding.Ask(Step.BIRTH_DATE)
    assert (await stored(database)).subjects == ["math", "physics"]  # the catalogue's order

    assert await onboarding.answer(uow, user, rules, Step.BIRTH_DATE, "31.02.1998", editing=False) == Invalid(
        "err-date-impossible"
    )
    assert await onboarding.answer(uow, user, rules, Step.BIRTH_DATE, "14.05.1998", editing=False) == (
        onboarding.Ask(Step.WORK_START)
    )
    refused = await onboarding.answer(uow, user, rules, Step.WORK_START, "2010", editing=False)
    assert refused == Invalid("err-year-too-young", {"min": 16, "earliest": 2014})
    asked = await onboarding.answer(uow, user, rules, Step.WORK_START, "2024", editing=False)
    assert asked == onboarding.Ask(Step.QUALIFICATION)

    done = await onboarding.choose_qualification(uow, user, rules, Qualification.FIRST, editing=False)
    assert isinstance(done, onboarding.Completed)
    assert done.card.young  # 28 years old, second year of work, by Kostroma's rules
    assert done.card.user.school is not None and done.card.user.school.name == school_name
    user_now = await stored(database)
    assert user_now.profile_completed_at == clock()
    assert (user_now.birth_date, user_now.work_start_year, user_now.qualification) == (
        date(1998, 5, 14),
        2024,
        "first",
    )
    # Nothing missing any more: /start opens the menu.
    started = await onboarding.restart(uow, user, kostroma, invite=None, admin_ids=ADMINS)
    assert started.next == onboarding.Ready(welcome_back=True)


async def named(uow: UnitOfWork) -> User:
    """A person who answered the name and the position."""
    user = await new_user(uow)
    await onboarding.answer(uow, user, RegionRules(), Step.FULL_NAME, "Иванова Мария", editing=False)
    await onboarding.choose_position(uow, user, RegionRules(), Position.TEACHER, editing=False)
    return user


async def test_a_school_of_another_municipality_is_stale(uow: UnitOfWork, database: Database) -> None:
    user = await named(uow)
    rules = RegionRules()
    await onboarding.choose_region(uow, user, rules, "kostroma", editing=False)
    susanin = await municipality_of(uow, "Сусанинский")
    sharya = await municipality_of(uow, "г. Шарья")
    await onboarding.pick(uow, user, rules, Step.MUNICIPALITY, susanin.id, editing=False)
    elsewhere = await school_in(uow, sharya.id)
    assert await onboarding.pick(uow, user, rules, Step.SCHOOL, elsewhere.id, editing=False) == STALE
    assert (await stored(database)).school_id is None


async def test_a_municipality_of_another_region_is_stale(uow: UnitOfWork) -> None:
    user = await named(uow)
    await onboarding.choose_region(uow, user, RegionRules(), "kuzbass", editing=False)
    susanin = await municipality_of(uow, "Сусанинский")
    assert (
        await onboarding.pick(uow, user, RegionRules(), Step.MUNICIPALITY, susanin.id, editing=False) == STALE
    )


async def test_places_not_in_the_directory_are_typed(uow: UnitOfWork, database: Database) -> None:
    user = await named(uow)
    rules = RegionRules()
    await onboarding.choose_region(uow, user, rules, "kuzbass", editing=False)
    assert onboarding.not_in_list(Step.MUNICIPALITY) == onboarding.Ask(Step.MUNICIPALITY_CUSTOM)
    assert await onboarding.answer(
        uow, user, rules, Step.MUNICIPALITY_CUSTOM, "   ", editing=False
    ) == Invalid("err-name-empty")
    asked = await onboarding.answer(
        uow, user, rules, Step.MUNICIPALITY_CUSTOM, "Новый посёлок", editing=False
    )
    # No directory for a typed municipality: the school is typed too.
    assert asked == onboarding.Ask(Step.SCHOOL_CUSTOM)
    asked = await onboarding.answer(uow, user, rules, Step.SCHOOL_CUSTOM, "Школа <на горе>", editing=False)
    assert asked == onboarding.Ask(Step.SUBJECTS)
    user_now = await stored(database)
    assert (user_now.municipality_id, user_now.municipality_custom) == (None, "Новый посёлок")
    assert (user_now.school_id, user_now.school_custom) == (None, "Школа <на горе>")


async def test_choosing_another_region_asks_the_workplace_again(uow: UnitOfWork, database: Database) -> None:
    user = await named(uow)
    rules = RegionRules()
    await onboarding.choose_region(uow, user, rules, "kostroma", editing=False)
    susanin = await municipality_of(uow, "Сусанинский")
    await onboarding.pick(uow, user, rules, Step.MUNICIPALITY, susanin.id, editing=False)
    saved = await onboarding.choose_region(uow, user, rules, "kuzbass", editing=False)
    assert isinstance(saved, onboarding.Saved) and isinstance(saved.next, onboarding.Ask)
    assert saved.next.step == Step.MUNICIPALITY
    user_now = await stored(database)
    assert (user_now.region_code, user_now.municipality_id, user_now.school_id) == ("kuzbass", None, None)


# --- editing from «Профиль» -----------------------------------------------------------------------


async def completed(uow: UnitOfWork, *, birth: str = "01.01.1990", start: str = "2010") -> User:
    user = await named(uow)
    rules = RegionRules()
    await onboarding.choose_region(uow, user, rules, "kuzbass", editing=False)
    await onboarding.answer(uow, user, rules, Step.MUNICIPALITY_CUSTOM, "Посёлок", editing=False)
    await onboarding.answer(uow, user, rules, Step.SCHOOL_CUSTOM, "Школа", editing=False)
    await onboarding.choose_subjects(uow, user, rules, ["chemistry"], editing=False)
    await onboarding.answer(uow, user, rules, Step.BIRTH_DATE, birth, editing=False)
    await onboarding.answer(uow, user, rules, Step.WORK_START, start, editing=False)
    done = await onboarding.choose_qualification(uow, user, rules, Qualification.NONE, editing=False)
    assert isinstance(done, onboarding.Completed)
    return user


async def test_edit_asks_the_field_and_gives_the_card_back(uow: UnitOfWork, database: Database) -> None:
    user = await completed(uow)
    rules = await region_rules(uow, "kuzbass")
    assert await onboarding.edit(uow, user, "full_name") == onboarding.Ask(Step.FULL_NAME)
    edited = await onboarding.answer(uow, user, rules, Step.FULL_NAME, "Петрова Анна", editing=True)
    assert isinstance(edited, onboarding.Edited) and edited.card.user.full_name == "Петрова Анна"
    assert (await stored(database)).full_name == "Петрова Анна"
    # Not editing and nothing missing: the menu.
    again = await onboarding.answer(uow, user, rules, Step.FULL_NAME, "Петрова Анна", editing=False)
    assert again == onboarding.Ready()


async def test_edit_of_the_workplace_starts_at_the_region(uow: UnitOfWork) -> None:
    user = await completed(uow)
    asked = await onboarding.edit(uow, user, "workplace")
    assert isinstance(asked, onboarding.Ask) and asked.step == Step.REGION and asked.regions


async def test_edit_of_the_subjects_ticks_the_stored_ones(uow: UnitOfWork) -> None:
    user = await completed(uow)
    assert await onboarding.edit(uow, user, "subjects") == onboarding.Ask(
        Step.SUBJECTS, subjects=("chemistry",)
    )
    asked = await onboarding.ask(uow, user, Step.SUBJECTS, ticked=["math"])
    assert asked.subjects == ("math",)


async def test_what_cannot_be_edited_is_stale(uow: UnitOfWork) -> None:
    user = await completed(uow)
    for field in ("role", "telegram_id", "language", ""):
        assert await onboarding.edit(uow, user, field) == STALE


async def test_a_birth_date_that_conflicts_with_the_work_start_asks_it_again(
    uow: UnitOfWork, database: Database
) -> None:
    user = await completed(uow, birth="01.01.1990", start="2010")
    rules = RegionRules()
    asked = await onboarding.answer(uow, user, rules, Step.BIRTH_DATE, "01.01.1998", editing=True)
    assert asked == onboarding.Ask(Step.WORK_START)
    assert (await stored(database)).work_start_year is None
    edited = await onboarding.answer(uow, user, rules, Step.WORK_START, "2020", editing=True)
    assert isinstance(edited, onboarding.Edited)


# --- the conversation's data ----------------------------------------------------------------------


def test_wizard_data_keeps_only_what_is_set() -> None:
    assert onboarding.Wizard().as_dict() == {}
    data = onboarding.Wizard(editing=True, subjects=["math"], query="буй")
    assert data.as_dict() == {"editing": True, "subjects": ["math"], "query": "буй"}
    assert onboarding.Wizard.from_dict(data.as_dict()) == data
    # Keys of other flows, and values cleared to None, are not the wizard's.
    assert onboarding.Wizard.from_dict({"draft": "x", "query": None, "locale": "en"}) == onboarding.Wizard(
        locale="en"
    )
