"""services.workspace without Telegram: a real database, a unit of work, plain arguments.

Every function reaches only the methodist's own caseload (an admin: the people of their region);
anything else is ``Stale`` and changes nothing, and the admin's functions are ``Denied`` to others."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.diagnosis import Source, Status
from domain.roles import Role
from domain.route import ItemStatus, RouteStatus
from services import workspace as service
from services.regions import RegionRules, region_rules
from services.reminders import Button, OpenRoute
from services.reminders.handoff import HandoffPayload
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import (
    AuditEntry,
    Caseload,
    Diagnosis,
    Municipality,
    OutboxMessage,
    Route,
    RouteItem,
    School,
    User,
)
from tests.conftest import NOW, Clock

FRAMEWORKS = Frameworks()
YOUNG = {"birth_date": date(1998, 5, 14), "work_start_year": 2024}


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
async def rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, "kostroma")


_telegram_ids = iter(range(5000, 6000))


async def person(
    uow: UnitOfWork, name: str, role: Role = Role.TEACHER, region: str = "kostroma", **kw: object
) -> User:
    user = User(
        telegram_id=next(_telegram_ids),
        locale="ru",
        consent_at=NOW,
        profile_completed_at=NOW,
        full_name=name,
        position="teacher",
        role=role,
        region_code=region,
        **kw,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user


async def in_caseload(uow: UnitOfWork, methodist: User, *teachers: User) -> None:
    uow.session.add_all(Caseload(teacher_id=t.id, methodist_id=methodist.id) for t in teachers)
    await uow.commit()


async def route_of(uow: UnitOfWork, teacher: User, status: RouteStatus, *items: ItemStatus) -> Route:
    route = Route(user_id=teacher.id, status=status, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31))
    uow.session.add(route)
    await uow.session.flush()
    for number, item_status in enumerate(items, 1):
        uow.session.add(
            RouteItem(
                route_id=route.id,
                area="methodical",
                kind="self_education",
                form="informal",
                title=f"Пункт {number}",
                due_on=date(2027, 1, number),
                status=item_status,
            )
        )
    await uow.commit()
    await uow.session.refresh(route, ["items"])
    return route


def self_diagnosis(teacher: User, day: int, methodical: int) -> Diagnosis:
    moment = datetime(2026, 11, day, 10, tzinfo=UTC)
    return Diagnosis(
        user_id=teacher.id,
        source=Source.SELF,
        framework_version="efs-2026",
        status=Status.DONE,
        started_at=moment,
        finished_at=moment,
        scores={"methodical": methodical},
        deficits=["methodical"],
    )


async def audited(uow: UnitOfWork, action: str) -> int:
    return int(await uow.session.scalar(select(func.count()).where(AuditEntry.action == action)) or 0)


@pytest.fixture
async def people(uow: UnitOfWork) -> dict[str, User]:
    """A methodist with two teachers, another methodist with one, an admin, and a teacher of
    another region."""
    found = {
        "methodist": await person(uow, "Методистова Анна", Role.METHODIST),
        "other": await person(uow, "Бельская Ольга", Role.METHODIST),
        "admin": await person(uow, "Админов Админ", Role.ADMIN),
        "mine": await person(uow, "Иванова Мария", **YOUNG),
        "also": await person(uow, "Петрова Анна"),
        "theirs": await person(uow, "Сидорова Нина"),
        "far": await person(uow, "Кузнецова Ира", region="kuzbass"),
    }
    await in_caseload(uow, found["methodist"], found["mine"], found["also"])
    await in_caseload(uow, found["other"], found["theirs"])
    return found


# --- the caseload ------------------------------------------------------------------------------


async def queued(uow: UnitOfWork, user: User) -> list[HandoffPayload]:
    """The hand-offs queued for ``user``, oldest first."""
    rows = await uow.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.kind == "handoff")
        .order_by(OutboxMessage.id)
    )
    return [HandoffPayload.load(row.payload) for row in rows]


async def test_the_list_is_the_methodists_own_caseload_page_by_page(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    shown = await service.teacher_list(uow, people["methodist"], rules, "", 0)
    assert isinstance(shown, service.TeacherPage)
    assert [t.full_name for t in shown.teachers] == ["Иванова Мария", "Петрова Анна"]
    assert (shown.total, shown.page, shown.pages, shown.list_filter) == (2, 0, 1, "all")
    # A page past the last (the list shrank, or a forged button) is the last one.
    past = await service.teacher_list(uow, people["methodist"], rules, "no_route", 2**31 - 1)
    assert isinstance(past, service.TeacherPage) and (past.page, past.total) == (0, 2)
    young = await service.teacher_list(uow, people["methodist"], rules, "young_unsupported", 0)
    assert isinstance(young, service.TeacherPage) and [t.full_name for t in young.teachers] == [
        "Иванова Мария"
    ]
    assert await service.teacher_list(uow, people["methodist"], rules, "everything", 0) is STALE


async def test_a_card_only_of_ones_own_teacher(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    route = await route_of(uow, people["mine"], RouteStatus.SUBMITTED, ItemStatus.DONE, ItemStatus.PLANNED)
    card = await service.card(uow, people["methodist"], rules, people["mine"].id)
    assert isinstance(card, service.Card)
    assert card.view.teacher.id == people["mine"].id and card.view.young
    assert card.view.route is not None and card.view.route.id == route.id
    assert (card.view.items_done, card.view.items_total) == (1, 2)
    assert card.now == NOW
    for forged in (people["theirs"].id, people["methodist"].id, 2**31 - 1):
        assert await service.card(uow, people["methodist"], rules, forged) is STALE


async def test_the_chart_compares_the_latest_self_diagnosis_with_the_one_before(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    methodist, mine = people["methodist"], people["mine"]
    assert isinstance(await service.chart(uow, methodist, mine.id, FRAMEWORKS), service.NoSelfDiagnosis)
    uow.session.add_all([self_diagnosis(mine, 1, 20), self_diagnosis(mine, 20, 40)])
    await uow.commit()
    chart = await service.chart(uow, methodist, mine.id, FRAMEWORKS)
    assert isinstance(chart, service.Chart)
    assert chart.latest.scores == {"methodical": 40}
    assert chart.previous is not None and chart.previous.scores == {"methodical": 20}
    assert [a.code for a in chart.areas][:2] == ["subject", "methodical"]
    assert chart.threshold == (await region_rules(uow, "kostroma")).thresholds.deficit_threshold
    assert await service.chart(uow, people["other"], mine.id, FRAMEWORKS) is STALE


# --- the ИОМ --------------------------------------------------------------------------------------


async def test_route_items_come_a_page_at_a_time(uow: UnitOfWork, people: dict[str, User]) -> None:
    route = await route_of(
        uow, people["mine"], RouteStatus.ACTIVE, *[ItemStatus.PLANNED] * 12, ItemStatus.DONE
    )
    second = await service.route(uow, people["methodist"], route.id, 1)
    assert isinstance(second, service.RouteView)
    assert [i.title for i in second.items] == ["Пункт 11", "Пункт 12", "Пункт 13"]
    assert (second.first_number, second.page, second.pages, second.done, second.total) == (11, 1, 2, 1, 13)
    assert second.teacher is not None and second.teacher.id == people["mine"].id
    assert not second.awaits_approval
    assert await service.route(uow, people["other"], route.id, 0) is STALE


async def test_approval_of_a_submitted_route(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    route = await route_of(uow, people["mine"], RouteStatus.SUBMITTED)
    route.comment = "Добавьте курс"
    await uow.commit()
    assert await service.approve(uow, people["other"], rules, route.id) is STALE
    assert route.status == RouteStatus.SUBMITTED and await audited(uow, "route.approve") == 0

    approved = await service.approve(uow, people["methodist"], rules, route.id)
    assert isinstance(approved, service.Approved)
    assert approved.teacher is not None and approved.teacher.id == people["mine"].id
    assert approved.card.view.route is not None and approved.card.view.route.status == RouteStatus.ACTIVE
    await uow.session.refresh(route)
    assert (route.status, route.approved_by, route.comment) == (
        RouteStatus.ACTIVE,
        people["methodist"].id,
        None,
    )
    assert route.approved_at is not None and route.approved_at.replace(tzinfo=UTC) == NOW
    assert await audited(uow, "route.approve") == 1
    [told] = await queued(uow, people["mine"])  # in the approval's transaction
    assert (told.text, told.sender_id) == ("ws-notify-approved", people["methodist"].id)
    assert told.buttons == (Button("ws-btn-open-route", OpenRoute(route.id)),)
    assert await service.approve(uow, people["methodist"], rules, route.id) is STALE  # not submitted now


async def test_return_with_a_comment(uow: UnitOfWork, people: dict[str, User]) -> None:
    methodist = people["methodist"]
    route = await route_of(uow, people["mine"], RouteStatus.SUBMITTED)
    assert await service.ask_return(uow, people["other"], route.id) is STALE
    assert await service.ask_return(uow, methodist, route.id) == service.ReturnAsked(route.id)
    assert await service.return_route(uow, methodist, route.id, "   ") == Invalid("err-name-empty")
    too_long = await service.return_route(uow, methodist, route.id, "х" * 1001)
    assert too_long == Invalid("err-name-too-long", {"max": 1000, "length": 1001})
    assert await service.return_route(uow, people["other"], route.id, "Чужой") is STALE

    returned = await service.return_route(uow, methodist, route.id, "  Добавьте   стажировку ")
    assert isinstance(returned, service.Returned) and returned.comment == "Добавьте стажировку"
    await uow.session.refresh(route)
    assert (route.status, route.comment) == (RouteStatus.RETURNED, "Добавьте стажировку")
    assert await audited(uow, "route.return") == 1
    [told] = await queued(uow, people["mine"])
    assert (told.text, told.args["comment"]) == ("ws-notify-returned", "Добавьте стажировку")
    assert await service.return_route(uow, methodist, route.id, "Ещё раз") is STALE
    assert len(await queued(uow, people["mine"])) == 1  # nothing more for a refused one


async def test_transfer_to_practice_once_for_a_done_item(uow: UnitOfWork, people: dict[str, User]) -> None:
    route = await route_of(uow, people["mine"], RouteStatus.ACTIVE, ItemStatus.DONE, ItemStatus.PLANNED)
    done, planned = route.items
    assert await service.confirm_transfer(uow, people["methodist"], planned.id, 0) is STALE
    assert await service.confirm_transfer(uow, people["other"], done.id, 0) is STALE
    transferred = await service.confirm_transfer(uow, people["methodist"], done.id, 0)
    assert isinstance(transferred, service.Transferred)
    assert transferred.item.transfer_confirmed_by == people["methodist"].id
    assert transferred.item.transfer_confirmed_at is not None
    assert transferred.route.route.id == route.id and transferred.teacher is not None
    assert await audited(uow, "item.transfer") == 1
    assert await service.confirm_transfer(uow, people["methodist"], done.id, 0) is STALE  # once


# --- official ЦНППМ diagnosis --------------------------------------------------------------------


TAKEN, INSTRUMENT = date(2026, 11, 15), "Диагностика профессиональных компетенций"


async def test_an_official_result_area_by_area(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    """Date, instrument, then per area ЦНППМ's result and deficit — stored as entered: a result
    below the region's threshold without a deficit, one above it with a deficit."""
    methodist, mine = people["methodist"], people["mine"]
    assert await service.ask_official(uow, people["other"], mine.id) is STALE
    asked = await service.ask_official(uow, methodist, mine.id)
    assert isinstance(asked, service.OfficialAsked) and asked.teacher.id == mine.id

    async def date_of(text: str) -> object:
        return await service.official_date(uow, methodist, rules, teacher_id=mine.id, text=text)

    assert await date_of("01.01.2030") == Invalid("err-date-future")
    assert await date_of("31.02.2026") == Invalid("err-date-impossible")
    assert await date_of("вчера") == Invalid("err-date-format")
    assert (
        await service.official_date(uow, people["other"], rules, teacher_id=mine.id, text="15.11.2026")
        is STALE
    )
    instrument_asked = await date_of("15.11.2026")
    assert isinstance(instrument_asked, service.OfficialInstrumentAsked) and instrument_asked.taken == TAKEN

    async def instrument_of(text: str) -> object:
        return await service.official_instrument(
            uow, methodist, FRAMEWORKS, teacher_id=mine.id, taken=TAKEN, text=text
        )

    assert await instrument_of("  ") == Invalid("ws-err-instrument-empty")
    assert await instrument_of("и" * 201) == Invalid(
        "ws-err-instrument-too-long", {"max": 200, "length": 201}
    )
    question = await instrument_of(f"  {INSTRUMENT} ")
    assert isinstance(question, service.OfficialQuestion)
    assert (question.taken, question.instrument, question.area.code, len(question.areas)) == (
        TAKEN,
        INSTRUMENT,
        "subject",
        5,
    )

    async def result(given: dict[str, service.OfficialArea | None], text: str) -> object:
        return await service.official_result(
            uow,
            methodist,
            FRAMEWORKS,
            teacher_id=mine.id,
            taken=TAKEN,
            instrument=INSTRUMENT,
            given=given,
            text=text,
        )

    bad = Invalid("ws-err-official-result", {"min": 0, "max": 100})
    assert await result({}, "101") == bad
    assert await result({}, "-1") == bad
    assert await result({}, "сорок") == bad
    deficit_asked = await result({}, "45")
    assert isinstance(deficit_asked, service.DeficitAsked) and deficit_asked.result == 45

    async def answer(
        given: dict[str, service.OfficialArea | None],
        area: str,
        value: service.OfficialArea | None,
        who: User = methodist,
    ) -> object:
        return await service.official_area(
            uow,
            who,
            FRAMEWORKS,
            teacher_id=mine.id,
            taken=TAKEN,
            instrument=INSTRUMENT,
            given=given,
            area=area,
            answer=value,
        )

    Area = service.OfficialArea
    # Only the area being asked, with a result of 0..100, by a methodist of the teacher.
    assert await answer({}, "methodical", Area(30, True)) is STALE
    assert await answer({}, "subject", Area(130, True)) is STALE
    assert await answer({}, "subject", Area(30, True), people["other"]) is STALE
    given: dict[str, service.OfficialArea | None] = {}
    steps = (
        ("subject", Area(45, False)),
        ("methodical", Area(70, True)),
        ("psych_ped", None),
        ("communicative", Area(90, False)),
    )
    for area, value in steps:
        asked_next = await answer(given, area, value)
        assert isinstance(asked_next, service.OfficialQuestion)
        given = dict(asked_next.given)
    assert asked_next.area.code == "it_digital"
    recorded = await answer(given, "it_digital", Area(30, True))
    assert isinstance(recorded, service.OfficialRecorded)
    official = recorded.diagnosis
    assert official.scores == {"subject": 45, "methodical": 70, "communicative": 90, "it_digital": 30}
    assert (official.deficits, official.strengths) == (["it_digital", "methodical"], [])
    assert (official.source, official.status, official.recorded_by, official.instrument) == (
        Source.CNPPM,
        Status.DONE,
        methodist.id,
        INSTRUMENT,
    )
    assert official.finished_at is not None and official.finished_at.date() == TAKEN
    assert await audited(uow, "diagnosis.official") == 1
    card = await service.card(uow, methodist, rules, mine.id)
    assert (
        isinstance(card, service.Card) and card.view.official is not None and card.view.self_diagnosis is None
    )
    # The same date and instrument entered again completes that diagnosis instead of repeating it.
    again = await answer(
        {"subject": None, "methodical": None, "psych_ped": Area(55, True), "communicative": None},
        "it_digital",
        None,
    )
    assert isinstance(again, service.OfficialRecorded) and again.diagnosis.id == official.id
    assert again.diagnosis.scores["psych_ped"] == 55
    assert again.diagnosis.deficits == ["it_digital", "psych_ped", "methodical"]
    count = select(func.count()).where(Diagnosis.source == Source.CNPPM)
    assert await uow.session.scalar(count) == 1


async def test_an_official_result_with_nothing_assessed_is_not_recorded(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    given: dict[str, service.OfficialArea | None] = dict.fromkeys(
        ("subject", "methodical", "psych_ped", "communicative")
    )
    nothing = await service.official_area(
        uow,
        people["methodist"],
        FRAMEWORKS,
        teacher_id=people["mine"].id,
        taken=TAKEN,
        instrument=INSTRUMENT,
        given=given,
        area="it_digital",
        answer=None,
    )
    assert isinstance(nothing, service.NothingAssessed)
    assert nothing.question.given == {} and nothing.question.area.code == "subject"
    assert await uow.session.scalar(select(func.count()).where(Diagnosis.source == Source.CNPPM)) == 0


async def test_the_export_is_the_whole_caseload(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    export = await service.export(uow, people["methodist"], rules)
    assert [v.teacher.full_name for v in export.views] == ["Иванова Мария", "Петрова Анна"]
    assert export.today == date(2026, 11, 22)
    admin = await service.export(uow, people["admin"], rules)
    assert admin.views == []


# --- /caseload -------------------------------------------------------------------------------------


async def test_the_staff_of_the_admins_region_with_their_caseloads(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    staff = await service.staff(uow, people["admin"], Role.ADMIN, rules, 5)
    assert isinstance(staff, service.StaffPage)
    assert [(p.full_name, count) for p, count in staff.rows] == [
        ("Админов Админ", 0),
        ("Бельская Ольга", 1),
        ("Методистова Анна", 2),
    ]
    assert (staff.page, staff.pages, staff.limit) == (0, 1, rules.caseload_target)
    assert await service.staff(uow, people["methodist"], Role.METHODIST, rules, 0) is DENIED


async def test_search_and_assignment_stay_in_the_admins_region(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    admin, other, mine = people["admin"], people["other"], people["mine"]
    assert await service.pick_methodist(uow, admin, Role.METHODIST, other.id) is DENIED
    assert await service.pick_methodist(uow, admin, Role.ADMIN, mine.id) is STALE  # a teacher
    picked = await service.pick_methodist(uow, admin, Role.ADMIN, other.id)
    assert isinstance(picked, service.MethodistPicked) and picked.methodist.id == other.id

    assert await service.find_teachers(uow, admin, Role.ADMIN, other.id, " ") == Invalid("err-name-empty")
    assert await service.find_teachers(uow, admin, Role.ADMIN, mine.id, "Иванова") is STALE
    assert await service.find_teachers(uow, admin, Role.TEACHER, other.id, "Иванова") is DENIED
    found = await service.find_teachers(uow, admin, Role.ADMIN, other.id, "иванова мария")
    assert isinstance(found, service.Found)
    assert [(t.id, current.id if current else None) for t, current in found.matches] == [
        (mine.id, people["methodist"].id)
    ]
    far = await service.find_teachers(uow, admin, Role.ADMIN, other.id, "Кузнецова")
    assert isinstance(far, service.Found) and far.matches == []

    assert await service.assign(uow, admin, Role.METHODIST, mine.id, other.id) is DENIED
    assert await service.assign(uow, admin, Role.ADMIN, people["far"].id, other.id) is STALE
    assert await service.assign(uow, admin, Role.ADMIN, people["methodist"].id, other.id) is STALE  # staff
    assert await service.assign(uow, admin, Role.ADMIN, mine.id, mine.id) is STALE  # not staff
    assigned = await service.assign(uow, admin, Role.ADMIN, mine.id, other.id)
    assert isinstance(assigned, service.Assigned) and (assigned.teacher.id, assigned.methodist.id) == (
        mine.id,
        other.id,
    )
    row = await uow.session.get(Caseload, mine.id)
    assert row is not None and (row.methodist_id, row.source, row.assigned_by) == (
        other.id,
        "admin",
        admin.id,
    )
    assert await audited(uow, "caseload.assign") == 1


async def test_the_official_results_area_being_asked_to_ask_it_again(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    methodist, mine = people["methodist"], people["mine"]

    async def asked(given: dict[str, service.OfficialArea | None], who: User = methodist) -> object:
        return await service.official_question(
            uow, who, FRAMEWORKS, teacher_id=mine.id, taken=TAKEN, instrument=INSTRUMENT, given=given
        )

    question = await asked({"subject": service.OfficialArea(60, False)})
    assert isinstance(question, service.OfficialQuestion) and question.area.code == "methodical"
    assert dict(question.given) == {"subject": service.OfficialArea(60, False)}
    assert await asked({}, people["other"]) is STALE  # not their teacher
    every: dict[str, service.OfficialArea | None] = dict.fromkeys(a.code for a in question.areas)
    assert await asked(every) is STALE  # nothing left to ask


# --- in bulk: a municipality's or a school's teachers ----------------------------------------------


async def places_of(uow: UnitOfWork) -> tuple[int, int, int, int]:
    """Сусанинский район, its Сусанинская and Андреевская СОШ, and a municipality of Kuzbass."""
    susanino = await uow.session.scalar(select(Municipality).where(Municipality.external_id == "susaninsky"))
    assert susanino is not None
    schools = {
        s.external_id: s.id
        for s in await uow.session.scalars(select(School).where(School.municipality_id == susanino.id))
    }
    foreign = await uow.session.scalar(select(Municipality.id).where(Municipality.region_code == "kuzbass"))
    assert foreign is not None
    return susanino.id, schools["susaninskaya-soch"], schools["andreevskaya-soch"], foreign


async def place(uow: UnitOfWork, municipality_id: int, school_id: int | None, *people: User) -> None:
    for someone in people:
        someone.municipality_id, someone.school_id = municipality_id, school_id
    await uow.commit()


async def test_the_pickers_list_the_admins_region_only(uow: UnitOfWork, people: dict[str, User]) -> None:
    admin, other = people["admin"], people["other"]
    susanino, _, _, foreign = await places_of(uow)
    first = await service.bulk_places(uow, admin, Role.ADMIN, other.id, 0, for_school=False)
    assert isinstance(first, service.Places) and (first.page, first.pages, len(first.places)) == (0, 2, 20)
    last = await service.bulk_places(uow, admin, Role.ADMIN, other.id, 7, for_school=True)
    assert isinstance(last, service.Places) and last.page == 1 and last.for_school
    names = [p.name for p in first.places + last.places]
    assert "Сусанинский муниципальный район" in names and len(names) == len(set(names)) == 29
    assert all(p.region_code == "kostroma" for p in first.places + last.places)
    assert names.index("г. Кострома") < names.index("Галичский муниципальный район")  # by the alphabet
    assert await service.bulk_places(uow, admin, Role.METHODIST, other.id, 0, for_school=False) is DENIED
    assert await service.bulk_places(uow, admin, Role.ADMIN, people["mine"].id, 0, for_school=False) is STALE

    schools = await service.bulk_schools(uow, admin, Role.ADMIN, other.id, susanino, 0)
    assert isinstance(schools, service.Schools)
    assert [s.name for s in schools.schools] == ["Андреевская СОШ", "Сусанинская СОШ"]
    assert await service.bulk_schools(uow, admin, Role.ADMIN, other.id, foreign, 0) is STALE
    assert await service.bulk_schools(uow, admin, Role.ADMIN, people["far"].id, susanino, 0) is STALE
    assert await service.bulk_schools(uow, admin, Role.TEACHER, other.id, susanino, 0) is DENIED


async def test_a_preview_counts_who_moves_and_only_it_can_be_confirmed(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    admin, other, methodist = people["admin"], people["other"], people["methodist"]
    susanino, main_school, second_school, foreign = await places_of(uow)
    await place(uow, susanino, main_school, people["mine"], people["theirs"], admin, methodist)
    await place(uow, susanino, second_school, people["also"])
    newcomer = await person(uow, "Новикова Ольга", municipality_id=susanino, school_id=second_school)
    # Someone who has not finished the profile is not found by the single assignment either.
    unfinished = await person(uow, "Недозаполнена Анна", municipality_id=susanino)
    unfinished.profile_completed_at = None
    await uow.commit()

    by_place = service.BulkTarget(other.id, municipality_id=susanino)
    preview = await service.bulk_preview(uow, admin, Role.ADMIN, rules, by_place)
    assert isinstance(preview, service.BulkPreview)
    # mine, also (the first methodist's), theirs (other's already), the newcomer; staff are not counted.
    assert (preview.teachers, preview.moving, preview.from_others, preview.already) == (4, 3, 2, 1)
    assert (preview.caseload_now, preview.caseload_after) == (1, 4)
    assert preview.limit == rules.caseload_target and not preview.over_limit
    tight = replace(rules, caseload_target=3)
    squeezed = await service.bulk_preview(uow, admin, Role.ADMIN, tight, by_place)
    assert isinstance(squeezed, service.BulkPreview) and squeezed.over_limit and squeezed.limit == 3
    assert await audited(uow, "caseload.assign_bulk") == 0  # a preview writes nothing

    for forged in (
        service.BulkTarget(other.id, municipality_id=foreign),
        service.BulkTarget(other.id, school_id=10**6),
        service.BulkTarget(other.id, municipality_id=susanino, school_id=main_school),
        service.BulkTarget(other.id),
        service.BulkTarget(people["mine"].id, municipality_id=susanino),  # a teacher is not staff
        service.BulkTarget(people["far"].id, municipality_id=susanino),  # another region's methodist
    ):
        assert await service.bulk_preview(uow, admin, Role.ADMIN, rules, forged) is STALE, forged
        assert await service.bulk_assign(uow, admin, Role.ADMIN, rules, forged, forged) is STALE, forged
    assert await service.bulk_preview(uow, admin, Role.METHODIST, rules, by_place) is DENIED
    assert await service.bulk_assign(uow, admin, Role.METHODIST, rules, by_place, by_place) is DENIED
    # Not the preview shown last (or none at all): stale.
    by_school = service.BulkTarget(other.id, school_id=second_school)
    assert await service.bulk_assign(uow, admin, Role.ADMIN, rules, by_place, by_school) is STALE
    assert await service.bulk_assign(uow, admin, Role.ADMIN, rules, by_place, None) is STALE
    assert await uow.session.scalar(select(func.count()).select_from(Caseload)) == 3

    done = await service.bulk_assign(uow, admin, Role.ADMIN, rules, by_place, by_place)
    assert isinstance(done, service.BulkAssigned)
    assert (done.moved, done.from_others, done.caseload_after) == (3, 2, 4)
    for teacher in (people["mine"], people["also"], people["theirs"], newcomer):
        row = await uow.session.get(Caseload, teacher.id)
        assert row is not None and (row.methodist_id, row.source, row.assigned_by) == (
            other.id,
            "admin",
            admin.id,
        )
    for staff in (admin, methodist):
        assert await uow.session.get(Caseload, staff.id) is None
    assert await audited(uow, "caseload.assign_bulk") == 1
    # Confirmed once: nobody is left to move, the same confirmation is stale.
    assert await service.bulk_assign(uow, admin, Role.ADMIN, rules, by_place, by_place) is STALE

    back = service.BulkTarget(methodist.id, school_id=second_school)
    preview = await service.bulk_preview(uow, admin, Role.ADMIN, rules, back)
    assert isinstance(preview, service.BulkPreview)
    assert (preview.teachers, preview.moving, preview.from_others, preview.caseload_after) == (2, 2, 2, 2)
    done = await service.bulk_assign(uow, admin, Role.ADMIN, rules, back, back)
    assert isinstance(done, service.BulkAssigned) and done.school is not None
    assert (await uow.session.get(Caseload, people["mine"].id)).methodist_id == other.id  # type: ignore[union-attr]
    assert (await uow.session.get(Caseload, newcomer.id)).methodist_id == methodist.id  # type: ignore[union-attr]
