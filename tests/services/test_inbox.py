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
from domain.internships import ApplicationStatus, Decision
from domain.mentorship import Form, Source
from domain.roles import Role
from domain.route import ItemStatus, RouteStatus
from services import inbox as service
from services import internships, mentorship, workspace
from services import route as route_service
from services.inbox import Kind
from services.receivers import Holder
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE
from services.uow import UnitOfWork
from storage.models import (
    Caseload,
    InternshipSite,
    MentorProfile,
    Municipality,
    OutboxMessage,
    Route,
    RouteItem,
    User,
)
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


async def kinds(uow: UnitOfWork, user: User, rules: RegionRules) -> list[tuple[Kind, int]]:
    box = await service.inbox(uow, user, Role(user.role), rules)
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


async def test_everyone_starts_with_an_empty_inbox(uow: UnitOfWork, rules: RegionRules) -> None:
    methodist = await person(uow, "Пустой методист", role=Role.METHODIST)
    teacher = await person(uow, "Пустой педагог")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    admin = await person(uow, "Пустой админ", role=Role.ADMIN)
    for user, role in ((methodist, Role.METHODIST), (teacher, Role.TEACHER), (admin, Role.ADMIN)):
        assert (await service.inbox(uow, user, role, rules)).items == []


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
    box = await service.inbox(uow, mentor, Role.TEACHER, rules)
    assert [(i.kind, i.id, i.name, i.text) for i in box.items] == [
        (Kind.MENTOR_REQUEST, asked.request.id, "Иванова Мария", Form.YOUNG),
        (Kind.MENTOR_REQUEST, asked2.request.id, "Петрова Ольга", Form.YOUNG),
    ]
    for nobody in (other, mentee, second):
        assert await kinds(uow, nobody, rules) == []
    accepted = await mentorship.accept(uow, mentor, rules, asked.request.id)
    assert isinstance(accepted, mentorship.Accepted)
    assert await kinds(uow, mentor, rules) == [(Kind.MENTOR_REQUEST, asked2.request.id)]
    await mentorship.cancel_request(uow, second, rules, asked2.request.id)  # taken back
    assert await kinds(uow, mentor, rules) == []


async def test_a_submitted_route_waits_for_its_methodist_until_approved(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    stranger = await person(uow, "Методист Чужой", role=Role.METHODIST)
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    box = await service.inbox(uow, methodist, Role.METHODIST, rules)
    assert [(i.kind, i.id, i.route_id, i.name) for i in box.items] == [
        (Kind.ROUTE_TO_APPROVE, teacher.id, route.id, "Иванова Мария")
    ]
    for nobody in (stranger, admin, teacher):
        assert await kinds(uow, nobody, rules) == []
    # The same methodist's inbox as a teacher's role (say, demoted) shows no caseload.
    assert (await service.inbox(uow, methodist, Role.TEACHER, rules)).items == []
    approved = await workspace.approve(uow, methodist, rules, route.id)
    assert isinstance(approved, workspace.Approved)
    assert await kinds(uow, methodist, rules) == []


async def test_an_admin_sees_their_own_caseload(uow: UnitOfWork, rules: RegionRules) -> None:
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=admin.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    box = await service.inbox(uow, admin, Role.ADMIN, rules)
    assert [(i.kind, i.id, i.route_id) for i in box.items] == [(Kind.ROUTE_TO_APPROVE, teacher.id, route.id)]


async def test_done_items_wait_for_confirmation_per_route(uow: UnitOfWork, rules: RegionRules) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.ACTIVE, done=2)
    box = await service.inbox(uow, methodist, Role.METHODIST, rules)
    assert [(i.kind, i.id, i.count) for i in box.items] == [(Kind.TRANSFER_TO_CONFIRM, route.id, 2)]
    assert await kinds(uow, teacher, rules) == []
    items = sorted(item.id for item in await route_items(uow, route))
    assert isinstance(await workspace.confirm_transfer(uow, methodist, items[0], 0), workspace.Transferred)
    box = await service.inbox(uow, methodist, Role.METHODIST, rules)
    assert [(i.kind, i.id, i.count) for i in box.items] == [(Kind.TRANSFER_TO_CONFIRM, route.id, 1)]
    assert isinstance(await workspace.confirm_transfer(uow, methodist, items[1], 0), workspace.Transferred)
    assert await kinds(uow, methodist, rules) == []


async def route_items(uow: UnitOfWork, route: Route) -> list[RouteItem]:
    return list(await uow.session.scalars(select(RouteItem).where(RouteItem.route_id == route.id)))


async def test_a_returned_route_waits_for_its_teacher_until_resubmitted(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    teacher = await person(uow, "Иванова Мария")
    other = await person(uow, "Петрова Ольга")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    route = await a_route(uow, teacher, RouteStatus.SUBMITTED)
    returned = await workspace.return_route(uow, methodist, route.id, "Добавьте стажировку")
    assert isinstance(returned, workspace.Returned)
    box = await service.inbox(uow, teacher, Role.TEACHER, rules)
    assert [(i.kind, i.id, i.text) for i in box.items] == [
        (Kind.ROUTE_RETURNED, route.id, "Добавьте стажировку")
    ]
    assert await kinds(uow, methodist, rules) == [] and await kinds(uow, other, rules) == []
    submitted = await route_service.submit(uow, teacher.id, route.id)
    assert isinstance(submitted, route_service.Submitted)
    assert await kinds(uow, teacher, rules) == []
    assert await kinds(uow, methodist, rules) == [(Kind.ROUTE_TO_APPROVE, teacher.id)]


async def a_site(uow: UnitOfWork, *, ends_in_days: int = 40) -> InternshipSite:
    site = InternshipSite(
        external_id=f"site-{next(_ids)}",
        region_code=REGION,
        organisation="Сусанинская СОШ",
        topic="Наставничество",
        starts_on=NOW.date() + timedelta(days=ends_in_days - 30),
        ends_on=NOW.date() + timedelta(days=ends_in_days),
        seats=3,
    )
    uow.session.add(site)
    await uow.commit()
    return site


async def handoffs_to(uow: UnitOfWork, user: User) -> list[str]:
    rows = await uow.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id, OutboxMessage.kind == "handoff")
    )
    return [row.payload["text"] for row in rows]


async def test_an_application_waits_for_the_methodist_then_its_answer_for_the_teacher(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    stranger = await person(uow, "Методист Чужой", role=Role.METHODIST)
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    teacher = await person(uow, "Иванова Мария")
    uow.session.add(Caseload(teacher_id=teacher.id, methodist_id=methodist.id))
    site = await a_site(uow)
    applied = await internships.apply(uow, teacher, site.id)
    assert isinstance(applied, internships.Applied) and applied.holder == Holder.METHODIST
    assert await handoffs_to(uow, methodist) == ["site-notify-applied"]
    [(kind, application_id)] = await kinds(uow, methodist, rules)
    assert kind == Kind.APPLICATION
    for nobody in (stranger, admin, teacher):  # the admin: the teacher has a methodist
        assert await kinds(uow, nobody, rules) == []
    assert await internships.decide(uow, stranger, Role.METHODIST, application_id, Decision.ACCEPT) == STALE
    assert await internships.decide(uow, admin, Role.ADMIN, application_id, Decision.ACCEPT) == STALE
    assert await internships.decide(uow, teacher, Role.TEACHER, application_id, Decision.ACCEPT) == DENIED
    # Completing before accepting does not apply.
    assert (
        await internships.decide(uow, methodist, Role.METHODIST, application_id, Decision.COMPLETE) == STALE
    )

    decided = await internships.decide(uow, methodist, Role.METHODIST, application_id, Decision.ACCEPT)
    assert isinstance(decided, internships.Decided) and decided.status == ApplicationStatus.ACCEPTED
    assert await internships.decide(uow, methodist, Role.METHODIST, application_id, Decision.DECLINE) == STALE
    assert await kinds(uow, methodist, rules) == []  # not ended yet: nothing to mark
    assert await handoffs_to(uow, teacher) == ["site-notify-accepted"]
    assert await kinds(uow, teacher, rules) == [(Kind.APPLICATION_ANSWER, application_id)]
    assert await internships.answer_seen(uow, stranger, application_id) == STALE  # not theirs
    assert await internships.answer_seen(uow, teacher, application_id) is None
    assert await kinds(uow, teacher, rules) == []
    card = await internships.card(uow, teacher, site.id)
    assert isinstance(card, internships.Card) and card.status == ApplicationStatus.ACCEPTED and card.applied

    site.ends_on = NOW.date() - timedelta(days=1)  # the internship is over: mark it
    await uow.commit()
    assert await kinds(uow, methodist, rules) == [(Kind.APPLICATION_ENDED, application_id)]
    done = await internships.decide(uow, methodist, Role.METHODIST, application_id, Decision.COMPLETE)
    assert isinstance(done, internships.Decided) and done.status == ApplicationStatus.COMPLETED
    assert await kinds(uow, methodist, rules) == []
    assert await kinds(uow, teacher, rules) == [(Kind.APPLICATION_ANSWER, application_id)]


async def test_a_teacher_without_a_methodist_is_the_admins_until_one_is_assigned(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    admin = await person(uow, "Админ Олег", role=Role.ADMIN)
    other_admin = await person(uow, "Админ Вера", role=Role.ADMIN)
    methodist = await person(uow, "Методист Ирина", role=Role.METHODIST)
    teacher = await person(uow, "Иванова Мария")
    await uow.commit()
    for each in (admin, other_admin):
        assert await kinds(uow, each, rules) == [(Kind.NO_METHODIST, teacher.id)]
    assert await kinds(uow, methodist, rules) == []

    route = await a_route(uow, teacher, RouteStatus.DRAFT)
    submitted = await route_service.submit(uow, teacher.id, route.id)
    assert isinstance(submitted, route_service.Submitted) and submitted.holder == Holder.ADMINS
    for each in (admin, other_admin):  # both told, and it waits for both
        assert await handoffs_to(uow, each) == ["route-notify-no-methodist"]
        assert await kinds(uow, each, rules) == [(Kind.ROUTE_NO_METHODIST, teacher.id)]

    site = await a_site(uow)
    applied = await internships.apply(uow, teacher, site.id)
    assert isinstance(applied, internships.Applied) and applied.holder == Holder.ADMINS
    box = await service.inbox(uow, admin, Role.ADMIN, rules)
    [application] = [i for i in box.items if i.kind == Kind.APPLICATION]
    assert application.orphan
    declined = await internships.decide(uow, other_admin, Role.ADMIN, application.id, Decision.DECLINE)
    assert isinstance(declined, internships.Decided)  # one admin answers: gone for both
    assert Kind.APPLICATION not in {kind for kind, _ in await kinds(uow, admin, rules)}

    assigned = await workspace.assign(uow, admin, Role.ADMIN, teacher.id, methodist.id)
    assert isinstance(assigned, workspace.Assigned)
    assert await kinds(uow, admin, rules) == []
    assert await kinds(uow, methodist, rules) == [(Kind.ROUTE_TO_APPROVE, teacher.id)]
    assert "ws-notify-teacher-assigned" in await handoffs_to(uow, teacher)
    approval = await uow.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.user_id == methodist.id, OutboxMessage.kind == "route_approval"
        )
    )
    assert approval is not None and approval.ref_id == route.id  # the methodist is reminded of it


async def test_with_neither_methodist_nor_admin_the_teacher_is_told_nobody_has_it(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    teacher = await person(uow, "Иванова Мария")
    route = await a_route(uow, teacher, RouteStatus.DRAFT)
    submitted = await route_service.submit(uow, teacher.id, route.id)
    assert isinstance(submitted, route_service.Submitted) and submitted.holder == Holder.NOBODY
    assert await uow.session.scalar(select(OutboxMessage.id)) is None


async def test_a_municipal_admin_has_the_teachers_of_their_municipality_only(
    uow: UnitOfWork, rules: RegionRules
) -> None:
    here, there = (
        await uow.session.scalars(
            select(Municipality.id)
            .where(Municipality.region_code == REGION)
            .order_by(Municipality.id)
            .limit(2)
        )
    ).all()
    regional = await person(uow, "Админ Регион", role=Role.ADMIN)
    local = await person(uow, "Админ ММС", role=Role.ADMIN)
    local.staff_title, local.municipality_id = "mms", here
    mine = await person(uow, "Педагог Здешний")
    mine.municipality_id = here
    other = await person(uow, "Педагог Нездешний")
    other.municipality_id = there
    await uow.commit()
    assert await kinds(uow, regional, rules) == [(Kind.NO_METHODIST, mine.id), (Kind.NO_METHODIST, other.id)]
    assert await kinds(uow, local, rules) == [(Kind.NO_METHODIST, mine.id)]
    site = await a_site(uow)
    applied = await internships.apply(uow, other, site.id)
    assert isinstance(applied, internships.Applied)
    assert await handoffs_to(uow, local) == []  # not told about another municipality's teacher
    [application_id] = [
        i.id
        for i in (await service.inbox(uow, regional, Role.ADMIN, rules)).items
        if i.kind == Kind.APPLICATION
    ]
    assert await internships.decide(uow, local, Role.ADMIN, application_id, Decision.ACCEPT) == STALE
