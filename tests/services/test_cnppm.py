"""The official ЦНППМ chain in the services, on a real database without Telegram: kept results
attached at the end of onboarding, the teacher's «Результаты ЦНППМ», and the ИОМ drafted from the
latest ЦНППМ diagnosis (a self-diagnosis only when there is none), its basis kept in
``Route.diagnosis_id``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.diagnosis import official_deficits, parse_result, route_basis
from domain.profile import Position, Qualification, Step
from services import diagnosis as diagnosis_service
from services import onboarding
from services import route as route_service
from services.regions import RegionRules, region_rules
from services.results import STALE
from services.uow import UnitOfWork
from storage.cnppm_import import store_official
from storage.frameworks import Frameworks
from storage.importers import import_catalogue
from storage.models import Diagnosis, Route, User
from tests.conftest import NOW, Clock
from tests.services.test_route import make_user, name

FRAMEWORKS = Frameworks()
INSTRUMENT = "Диагностика профессиональных компетенций"


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


def self_diagnosis(user: User, deficits: list[str], when: datetime = NOW) -> Diagnosis:
    return Diagnosis(
        user_id=user.id,
        source="self",
        framework_version="efs-2026",
        status="done",
        started_at=when,
        finished_at=when,
        scores=dict.fromkeys(deficits, 20),
        deficits=deficits,
        strengths=[],
    )


# --- the domain's rules ----------------------------------------------------------------------------


def test_deficits_are_those_recorded_weakest_first() -> None:
    results = {"subject": (40, False), "methodical": (75, True), "it_digital": (30, True)}
    assert official_deficits(results) == ("it_digital", "methodical")
    assert official_deficits({}) == ()


def test_a_typed_result_is_a_whole_number_from_0_to_100() -> None:
    assert [parse_result(t) for t in ("0", "100", " 67 ", "67%", "1 0")] == [0, 100, 67, 67, 10]
    assert [parse_result(t) for t in ("101", "-1", "6.5", "сорок", "", None, "0100")] == [None] * 7


def test_the_basis_is_the_official_diagnosis_when_there_is_one() -> None:
    assert route_basis("official", "self") == "official"
    assert route_basis(None, "self") == "self"
    assert route_basis(None, None) is None


# --- drafting ----------------------------------------------------------------------------------------


async def test_the_route_is_drafted_from_the_latest_official_diagnosis(uow: UnitOfWork) -> None:
    teacher = await make_user(uow)
    rules = await region_rules(uow, teacher.region_code)
    uow.session.add(self_diagnosis(teacher, ["subject"]))
    await uow.session.flush()
    offer = await route_service.home(uow, teacher.id)
    assert isinstance(offer, route_service.Offer) and offer.diagnosis is not None
    assert offer.diagnosis.source == "self"  # no official one yet: the preliminary request
    older, _ = await store_official(
        uow.session,
        teacher,
        taken_on=date(2026, 3, 1),
        instrument=INSTRUMENT,
        framework_version="efs-2026",
        results={"communicative": (20, True)},
        recorded_by=None,
    )
    latest, _ = await store_official(
        uow.session,
        teacher,
        taken_on=date(2026, 10, 15),
        instrument=INSTRUMENT,
        framework_version="efs-2026",
        results={"subject": (30, False), "methodical": (70, True)},
        recorded_by=None,
    )
    # A self-diagnosis newer than both changes nothing.
    uow.session.add(self_diagnosis(teacher, ["subject"], datetime(2026, 11, 21, tzinfo=UTC)))
    await uow.commit()
    offer = await route_service.home(uow, teacher.id)
    assert isinstance(offer, route_service.Offer) and offer.diagnosis is not None
    assert offer.diagnosis.id == latest.id != older.id
    drafted = await route_service.draft(uow, teacher, rules, name)
    assert isinstance(drafted, route_service.Drafted) and drafted.from_deficits
    route = drafted.route
    assert route.diagnosis_id == latest.id and route.diagnosis is not None
    assert route.diagnosis.source == "cnppm" and route.diagnosis.instrument == INSTRUMENT
    # ЦНППМ's deficit (methodical, 70) is covered; its low result without a deficit (subject, 30)
    # is not, and neither is the self-diagnosis' deficit.
    areas = {item.area for item in route.items if item.kind != "mentorship"}
    assert areas == {"methodical"}
    exported = await route_service.export(uow, teacher, route.id)
    assert isinstance(exported, route_service.Export) and exported.diagnosis is not None
    assert exported.diagnosis.id == latest.id


async def test_without_an_official_diagnosis_the_self_diagnosis_is_the_basis(uow: UnitOfWork) -> None:
    teacher = await make_user(uow)
    own = self_diagnosis(teacher, ["subject"])
    uow.session.add(own)
    await uow.session.flush()
    drafted = await route_service.draft(uow, teacher, await region_rules(uow, teacher.region_code), name)
    assert isinstance(drafted, route_service.Drafted)
    assert drafted.route.diagnosis_id == own.id and drafted.route.diagnosis is not None
    assert drafted.route.diagnosis.source == "self"


# --- the teacher's screen --------------------------------------------------------------------------


async def test_the_teachers_official_results_newest_first(uow: UnitOfWork) -> None:
    teacher = await make_user(uow)
    assert (await diagnosis_service.official(uow, teacher.id, FRAMEWORKS)).diagnoses == []
    for day in (date(2026, 3, 1), date(2026, 10, 15)):
        await store_official(
            uow.session,
            teacher,
            taken_on=day,
            instrument=INSTRUMENT,
            framework_version="efs-2026",
            results={"subject": (50, True)},
            recorded_by=None,
        )
    uow.session.add(self_diagnosis(teacher, ["methodical"]))
    await uow.commit()
    shown = await diagnosis_service.official(uow, teacher.id, FRAMEWORKS)
    days = [d.finished_at.date() for d, _ in shown.diagnoses if d.finished_at is not None]
    assert days == [date(2026, 10, 15), date(2026, 3, 1)]
    assert all(d.source == "cnppm" and f.version == "efs-2026" for d, f in shown.diagnoses)


# --- attached at the end of onboarding ------------------------------------------------------------


async def test_results_imported_before_registration_are_attached_at_its_end(
    uow: UnitOfWork, database: Database
) -> None:
    content = (
        "ФИО;Организация;Дата;Инструмент;Область;Результат;Дефицит\n"
        f"Иванова Мария;Школа № 5;15.10.2026;{INSTRUMENT};Методические;45;да\n"
        f"Иванова Мария;Школа № 5;15.10.2026;{INSTRUMENT};Предметные;80;нет\n"
        f"Иванова Мария;Другая школа;15.10.2026;{INSTRUMENT};Предметные;10;да\n"
    )
    async with database.sessionmaker() as session:
        report = await import_catalogue(
            session, "cnppm-results", "kostroma", "r.csv", content.encode(), now=NOW
        )
        await session.commit()
    assert report.applied and report.created == 0

    started = await onboarding.consent(uow, 1001, None, "ru", RegionRules(), invite=None, admin_ids=())
    assert isinstance(started.next, onboarding.Ask)
    user = await uow.session.scalar(select(User).where(User.telegram_id == 1001))
    assert user is not None
    rules = RegionRules()
    await onboarding.answer(uow, user, rules, Step.FULL_NAME, "Иванова Мария", editing=False)
    await onboarding.choose_position(uow, user, rules, Position.TEACHER, editing=False)
    await onboarding.choose_region(uow, user, rules, "kostroma", editing=False)
    await onboarding.answer(uow, user, rules, Step.MUNICIPALITY_CUSTOM, "Посёлок", editing=False)
    await onboarding.answer(uow, user, rules, Step.SCHOOL_CUSTOM, "Школа №5", editing=False)
    await onboarding.choose_subjects(uow, user, rules, ["chemistry"], editing=False)
    await onboarding.answer(uow, user, rules, Step.BIRTH_DATE, "01.01.1990", editing=False)
    await onboarding.answer(uow, user, rules, Step.WORK_START, "2010", editing=False)
    done = await onboarding.choose_qualification(uow, user, rules, Qualification.NONE, editing=False)
    assert isinstance(done, onboarding.Completed) and done.official == 1
    async with database.sessionmaker() as session:
        [official] = list(await session.scalars(select(Diagnosis).where(Diagnosis.user_id == user.id)))
        assert (official.source, official.scores, official.deficits) == (
            "cnppm",
            {"methodical": 45, "subject": 80},
            ["methodical"],
        )
        assert await session.scalar(select(Route)) is None  # nothing drafted behind the teacher's back


async def test_only_a_draft_is_drafted_again_and_only_from_a_cnppm_diagnosis_it_does_not_rest_on(
    uow: UnitOfWork,
) -> None:
    teacher, other = await make_user(uow), await make_user(uow, 1002)
    rules = await region_rules(uow, teacher.region_code)
    uow.session.add(self_diagnosis(teacher, ["subject"]))
    await uow.session.flush()
    first = await route_service.draft(uow, teacher, rules, name)
    assert isinstance(first, route_service.Drafted)
    shown = await route_service.home(uow, teacher.id)
    assert isinstance(shown, route_service.Shown) and shown.newer_basis is None  # nothing newer
    assert await route_service.redraft(uow, teacher, rules, name, first.route.id) is STALE
    official, _ = await store_official(
        uow.session,
        teacher,
        taken_on=date(2026, 10, 15),
        instrument=INSTRUMENT,
        framework_version="efs-2026",
        results={"methodical": (40, True)},
        recorded_by=None,
    )
    await uow.commit()
    shown = await route_service.home(uow, teacher.id)
    assert isinstance(shown, route_service.Shown) and shown.newer_basis is not None
    assert shown.newer_basis.id == official.id
    assert await route_service.redraft(uow, other, rules, name, first.route.id) is STALE  # not theirs
    again = await route_service.redraft(uow, teacher, rules, name, first.route.id)
    assert isinstance(again, route_service.Drafted) and again.route.diagnosis_id == official.id
    assert {i.area for i in again.route.items if i.kind != "mentorship"} == {"methodical"}
    assert list(await uow.session.scalars(select(Route.id))) == [again.route.id]
    # A route sent to the methodist is theirs to change: no new draft over it.
    sent = await route_service.submit(uow, teacher.id, again.route.id)
    assert isinstance(sent, route_service.Submitted)
    await store_official(
        uow.session,
        teacher,
        taken_on=date(2026, 11, 1),
        instrument=INSTRUMENT,
        framework_version="efs-2026",
        results={"subject": (40, True)},
        recorded_by=None,
    )
    await uow.commit()
    shown = await route_service.home(uow, teacher.id)
    assert isinstance(shown, route_service.Shown) and shown.newer_basis is None
    assert await route_service.redraft(uow, teacher, rules, name, again.route.id) is STALE
