"""services.inbox on a real database: each kind of entry reaches the right person only, and is gone
once handled by anyone entitled (a request answered, a route approved or resubmitted, an item
confirmed) — read from the state, not from the notifications sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from itertools import count

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.mentorship import Form, Source
from domain.roles import Role
from domain.route import ItemStatus, RouteStatus
from services import inbox as service
from services import mentorship, workspace
from services import route as route_service
from services.inbox import Kind
from services.regions import RegionRules, region_rules
from services.uow import UnitOfWork
from storage.models import Caseload, MentorProfile, Route, RouteItem, User
from tests.conftest import NOW, Clock

REGION = "kostroma"
_ids = count(9100)


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
async def rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, REGION)


async def person(uow: UnitOfWork, name: str, *, role: Role = Role.TEACHER, young: bool = True) -> User:
    user = User(
        telegram_id=next(_ids),
        locale="ru",
        role=role,
        consent_at=NOW,
        profile_completed_at=NOW,
        full_name=name,
        position="teacher",
        region_code=REGION,
        subjects=["math"],
        birth_date=date(1998, 5, 14) if young else date(1980, 1, 1),
        work_start_year=2024 if young else 2005,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user


async def kinds(uow: UnitOfWork, user: User) -> list[tuple[Kind, int]]:
    box = await service.inbox(uow, user, Role(user.role))
    assert box.total == len(box.items)
    return [(item.kind, item.id) for item in box.items]


async def a_route(uow: UnitOfWork, teacher: User, status: RouteStatus, *, done: int = 0) -> Route:
    route = Route(
        user_id=teacher.id,
        status=status,
        starts_on=NOW.date(),
        ends_on=NOW.date() + timedelta(days=180),
        submitted_at=NOW if status == RouteStatus.SUBMITTED else None,
        comment="Добавьте стажировку" if status == RouteStatus.RETURNED else None,
    )
    uow.session.add(route)
    await uow.session.flush()
    for n in range(max(done, 1)):
        uow.session.add(
            RouteItem(
                route_id=route.id,
                area="methodical",
                kind="course",
                form="formal",
                title=f"Курс {n}",
                hours=36,
                due_on=NOW.date() + timedelta(days=30),
                status=ItemStatus.DONE if n < done else ItemStatus.PLANNED,
                done_at=NOW if n < done else None,
            )
        )
    await uow.commit()
    return route


async def test_everyone_starts_with_an_empty_inbox(uow: UnitOfWork) -> None:
    for role in Role:
        user = await person(uow, f"Пустой {role}", role=role)
        assert (await service.inbox(uow, user, role)).items == []


async def test_a_request_waits_for_its_mentor_only_until_answered(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    mentor = await person(uow, "Сидорова Анна", young=False)
    other = await person(uow, "Другой Наставник", young=False)
    for m in (mentor, other):
        uow.session.add(MentorProfile(user_id=m.id, source=Source.OPT_IN))
    mentee = await person(uow, "Иванова Мария")
    second = await person(uow, "Петрова Ольга")
    await uow.commit()
    asked = await mentorship.ask(uow, mentee, rules, mentor_id=mentor.id, form=Form.YOUNG, area=None)
    assert isinstance(asked, mentorship.Requested)
    asked2 = await mentorship.ask(uow, second, rules, mentor_id=mentor.id, form=Form.YOUNG, area=None)
    assert isinstance(asked2, mentorship.Requested)
    box = await service.inbox(uow, mentor, Role.TEACHER)
    assert [(i.kind, i.id, i.name, i.text) for i in box.items] == [
        (Kind.MENTOR_REQUEST, asked.request.id, "Иванова Мария", Form.YOUNG),
        (Kind.MENTOR_REQUEST, asked2.request.id, "Петрова Ольга", Form.YOUNG),
    ]
    for nobody in (other, mentee, second):
        assert await kinds(uow, nobody) == []
    accepted = await mentorship.accept(uow, mentor, rules, asked.request.id)
    assert isinstance(accepted, mentorship.Accepted)
    assert await kinds(uow, mentor) == [(Kind.MENTOR_REQUEST, asked2.request.id)]
    await mentorship.cancel_request(uow, second, rules, asked2.request.id)  # taken back
    assert await kinds(uow, mentor) == []


async def test_a_submitted_route_waits_for_its_methodist_until_approved(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    stranger = await person(uow, "Методист Чужой", role=Role.METHODIST)
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    box = await service.inbox(uow, methodist, Role.METHODIST)
    assert [(i.kind, i.id, i.route_id, i.name) for i in box.items] == [
        (Kind.ROUTE_TO_APPROVE, teacher.id, route.id, "Иванова Мария")
    ]
    for nobody in (stranger, admin, teacher):
        assert await kinds(uow, nobody) == []
    # The same methodist's inbox as a teacher's role (say, demoted) shows no caseload.
    assert (await service.inbox(uow, methodist, Role.TEACHER)).items == []
    approved = await workspace.approve(uow, methodist, rules, route.id)
    assert isinstance(approved, workspace.Approved)
    assert await kinds(uow, methodist) == []


async def test_an_admin_sees_their_own_caseload(uow: UnitOfWork) -> None:
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=admin.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    box = await service.inbox(uow, admin, Role.ADMIN)
    assert [(i.kind, i.id, i.route_id) for i in box.items] == [(Kind.ROUTE_TO_APPROVE, teacher.id, route.id)]


async def test_done_items_wait_for_confirmation_per_route(uow: UnitOfWork) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.ACTIVE, done=2)
    box = await service.inbox(uow, methodist, Role.METHODIST)
    assert [(i.kind, i.id, i.count) for i in box.items] == [(Kind.TRANSFER_TO_CONFIRM, route.id, 2)]
    assert await kinds(uow, teacher) == []
    items = sorted(item.id for item in await route_items(uow, route))
    assert isinstance(await workspace.confirm_transfer(uow, methodist, items[0], 0), workspace.Transferred)
    box = await service.inbox(uow, methodist, Role.METHODIST)
    assert [(i.kind, i.id, i.count) for i in box.items] == [(Kind.TRANSFER_TO_CONFIRM, route.id, 1)]
    assert isinstance(await workspace.confirm_transfer(uow, methodist, items[1], 0), workspace.Transferred)
    assert await kinds(uow, methodist) == []


async def route_items(uow: UnitOfWork, route: Route) -> list[RouteItem]:
    return list(await uow.session.scalars(select(RouteItem).where(RouteItem.route_id == route.id)))


async def test_a_returned_route_waits_for_its_teacher_until_resubmitted(uow: UnitOfWork) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    teacher = await person(uow, "Иванова Мария")
    other = await person(uow, "Петрова Ольга")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    returned = await workspace.return_route(uow, methodist, route.id, "Добавьте стажировку")
    assert isinstance(returned, workspace.Returned)
    box = await service.inbox(uow, teacher, Role.TEACHER)
    assert [(i.kind, i.id, i.text) for i in box.items] == [
        (Kind.ROUTE_RETURNED, route.id, "Добавьте стажировку")
    ]
    assert await kinds(uow, methodist) == [] and await kinds(uow, other) == []
    submitted = await route_service.submit(uow, teacher.id, route.id)
    assert isinstance(submitted, route_service.Submitted)
    assert await kinds(uow, teacher) == []
    assert await kinds(uow, methodist) == [(Kind.ROUTE_TO_APPROVE, teacher.id)]
