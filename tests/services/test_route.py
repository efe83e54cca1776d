"""services.route on a real database, without Telegram: drafting, editing, marking done,
adding, submitting, exporting, and every someone-else's or gone object as Stale."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.region import Labels
from domain.route import (
    Evidence,
    EvidenceKind,
    ItemKind,
    ItemStatus,
    RouteStatus,
    after_edit,
    evidence_of,
    is_complete,
)
from services import route as service
from services.regions import RegionRules, region_rules
from services.results import STALE, Invalid
from services.uow import UnitOfWork
from storage.models import Caseload, Diagnosis, Municipality, OutboxMessage, Route, User
from tests.catalogue import seed_catalogue
from tests.conftest import NOW, Clock


def name(kind: ItemKind, area: str, labels: Labels) -> str:
    """A stand-in for the translated title: enough to see what it was asked for."""
    return f"{kind}|{area}|{labels.school_association}/{labels.municipal_association}"


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


async def rules_of(uow: UnitOfWork, user: User) -> RegionRules:
    return await region_rules(uow, user.region_code)


async def make_user(
    uow: UnitOfWork,
    telegram_id: int = 1001,
    *,
    region: str = "kostroma",
    position: str = "teacher",
    young: bool = True,
    role: str = "teacher",
) -> User:
    susanino = await uow.session.scalar(select(Municipality).where(Municipality.name.like("Сусанинск%")))
    user = User(
        telegram_id=telegram_id,
        locale="ru",
        role=role,
        consent_at=NOW,
        profile_completed_at=NOW,
        full_name=f"Учитель {telegram_id}",
        position=position,
        region_code=region,
        municipality_id=susanino.id if susanino is not None and region == "kostroma" else None,
        school_custom="Сусанинская СОШ",
        subjects=["math"],
        birth_date=date(1998, 5, 14) if young else date(1970, 1, 1),
        work_start_year=2024 if young else 1995,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user


async def diagnose(uow: UnitOfWork, user: User, deficits: list[str], **scores: int) -> Diagnosis:
    diagnosis = Diagnosis(
        user_id=user.id,
        framework_version="efs-2026",
        status="done",
        started_at=NOW,
        finished_at=NOW,
        scores=scores or dict.fromkeys(deficits, 20),
        deficits=deficits,
        strengths=[],
        source="self",
    )
    uow.session.add(diagnosis)
    await uow.session.flush()
    return diagnosis


async def drafted(uow: UnitOfWork, user: User, deficits: list[str] | None = None) -> Route:
    await diagnose(uow, user, deficits if deficits is not None else ["methodical"])
    outcome = await service.draft(uow, user, await rules_of(uow, user), name)
    assert isinstance(outcome, service.Drafted)
    return outcome.route


async def seed(database: Database) -> dict[str, int]:
    return await seed_catalogue(SimpleNamespace(database=database))  # type: ignore[arg-type]


async def stored_route(database: Database, route_id: int) -> Route:
    """The route as committed, read in a session of its own."""
    async with database.sessionmaker() as session:
        route = await session.get(Route, route_id)
        assert route is not None
        await session.refresh(route, ["items"])
        return route


async def reminders(database: Database, ref_type: str) -> list[OutboxMessage]:
    async with database.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.ref_type == ref_type, OutboxMessage.status == "pending")
        )
        return list(rows)


# --- the domain's rules ---------------------------------------------------------------------------


def test_a_change_takes_only_a_submitted_route_back_to_the_draft() -> None:
    assert after_edit(RouteStatus.SUBMITTED) == RouteStatus.DRAFT
    for status in (RouteStatus.DRAFT, RouteStatus.RETURNED, RouteStatus.ACTIVE):
        assert after_edit(status) == status


def test_a_route_is_complete_when_it_has_items_all_done() -> None:
    assert is_complete([ItemStatus.DONE, "done"])
    assert not is_complete([ItemStatus.DONE, ItemStatus.PLANNED])
    assert not is_complete([])


def test_evidence_is_a_file_a_link_or_a_long_enough_reflection() -> None:
    assert evidence_of(document=("F1", "удостоверение.pdf")) == Evidence(
        EvidenceKind.DOCUMENT, "F1", "удостоверение.pdf"
    )
    assert evidence_of(photo="P1") == Evidence(EvidenceKind.PHOTO, "P1")
    assert evidence_of(text=" https://example.org/a ") == Evidence(
        EvidenceKind.LINK, "https://example.org/a", "https://example.org/a"
    )
    assert evidence_of(text="Посетила три урока коллег").kind == EvidenceKind.TEXT  # type: ignore[union-attr]
    assert evidence_of(text="да") is None
    assert evidence_of(text="x" * 2001) is None
    assert evidence_of() is None


# --- viewing and drafting -----------------------------------------------------------------------


async def test_home_offers_a_diagnosis_then_a_draft_then_shows_the_route(uow: UnitOfWork) -> None:
    user = await make_user(uow)
    home = await service.home(uow, user.id)
    assert home == service.Offer(None, completed=False)
    diagnosis = await diagnose(uow, user, ["methodical"])
    home = await service.home(uow, user.id)
    assert isinstance(home, service.Offer) and home.diagnosis is diagnosis and not home.completed
    drafted_route = (await service.draft(uow, user, await rules_of(uow, user), name)).route  # type: ignore[union-attr]
    home = await service.home(uow, user.id)
    assert isinstance(home, service.Shown) and home.route.id == drafted_route.id


async def test_draft_needs_a_finished_diagnosis(uow: UnitOfWork) -> None:
    user = await make_user(uow)
    assert await service.draft(uow, user, await rules_of(uow, user), name) == service.NeedDiagnosis()


async def test_draft_covers_the_deficits_names_generic_items_and_plans_reminders(
    uow: UnitOfWork, database: Database
) -> None:
    await seed(database)
    user = await make_user(uow)
    await diagnose(uow, user, ["methodical", "communicative"])
    outcome = await service.draft(uow, user, await rules_of(uow, user), name)
    assert isinstance(outcome, service.Drafted) and outcome.from_deficits
    route = await stored_route(database, outcome.route.id)  # committed
    assert route.status == RouteStatus.DRAFT and route.user_id == user.id
    assert {i.area for i in route.items} == {"methodical", "communicative"}
    assert any(i.kind == ItemKind.MENTORSHIP for i in route.items)  # a young teacher
    # Nothing in the catalogue for communication: colleagues, named in Kostroma's own terms.
    association = next(i for i in route.items if i.kind == ItemKind.ASSOCIATION)
    assert association.title == "association|communicative|ШМО/ММО"
    course = next(i for i in route.items if i.kind == ItemKind.COURSE and i.area == "methodical")
    assert course.reason["key"] == "reason-course-registry"
    assert all(route.starts_on <= i.due_on <= route.ends_on for i in route.items)
    planned = {r.ref_id for r in await reminders(database, "item")}
    assert planned == {i.id for i in route.items}
    # A second draft shows the route under way instead of drafting another.
    again = await service.draft(uow, user, await rules_of(uow, user), name)
    assert isinstance(again, service.Exists) and again.route.id == route.id


async def test_without_deficits_the_weakest_area_is_taken(uow: UnitOfWork) -> None:
    user = await make_user(uow, young=False)
    await diagnose(uow, user, [], subject=80, psych_ped=55, methodical=70)
    outcome = await service.draft(uow, user, await rules_of(uow, user), name)
    assert isinstance(outcome, service.Drafted) and not outcome.from_deficits
    assert {i.area for i in outcome.route.items} == {"psych_ped"}


async def test_someone_elses_or_a_missing_route_and_item_are_stale(
    uow: UnitOfWork, database: Database
) -> None:
    owner, other = await make_user(uow), await make_user(uow, 2002)
    route = await drafted(uow, owner)
    item = route.items[0]
    rules = await rules_of(uow, other)
    assert await service.view(uow, other.id, route.id) is STALE
    assert await service.view(uow, owner.id, 999_999) is STALE
    assert await service.item(uow, other.id, item.id) is STALE
    assert await service.to_remove(uow, other.id, item.id) is STALE
    assert await service.remove_item(uow, other.id, item.id) is STALE
    assert await service.ask_date(uow, other.id, item.id) is STALE
    assert await service.change_date(uow, other.id, rules, item.id, "01.02.2027") is STALE
    assert await service.ask_evidence(uow, other.id, item.id) is STALE
    assert await service.mark_done(uow, other.id, item.id, Evidence(EvidenceKind.PHOTO, "P")) is STALE
    assert await service.add_areas(uow, other, route.id) is STALE
    assert await service.add_options(uow, other, rules, route.id, "subject") is STALE
    added = await service.add_item(
        uow, other, rules, name, route_id=route.id, kind=ItemKind.SELF_EDUCATION, area="subject"
    )
    assert added is STALE
    assert await service.submit(uow, other.id, route.id) is STALE
    assert await service.export(uow, other, route.id) is STALE
    stored = await stored_route(database, route.id)
    assert stored.status == RouteStatus.DRAFT and len(stored.items) == len(route.items)
    assert all(i.status == ItemStatus.PLANNED for i in stored.items)
    shown = await service.view(uow, owner.id, route.id)
    assert isinstance(shown, service.Shown) and shown.route.id == route.id
    card = await service.item(uow, owner.id, item.id)
    assert isinstance(card, service.ItemShown) and card.item.route.id == route.id


# --- one item -----------------------------------------------------------------------------------


async def test_a_new_date_within_the_period_moves_the_reminders(uow: UnitOfWork, database: Database) -> None:
    user = await make_user(uow)
    route = await drafted(uow, user)
    item = route.items[0]
    rules = await rules_of(uow, user)
    asked = await service.ask_date(uow, user.id, item.id)
    assert isinstance(asked, service.ItemShown) and asked.item.id == item.id
    bad = await service.change_date(uow, user.id, rules, item.id, "31.02.2027")
    assert bad == Invalid("err-date-impossible", {"start": route.starts_on, "end": route.ends_on})
    assert await service.change_date(uow, user.id, rules, item.id, "завтра") == Invalid(
        "err-date-format", {"start": route.starts_on, "end": route.ends_on}
    )
    outside = await service.change_date(uow, user.id, rules, item.id, "01.01.2030")
    assert outside == service.DateOutside(route.starts_on, route.ends_on)
    changed = await service.change_date(uow, user.id, rules, item.id, "15.03.2027")
    assert isinstance(changed, service.DateChanged) and changed.item.due_on == date(2027, 3, 15)
    stored = next(i for i in (await stored_route(database, route.id)).items if i.id == item.id)
    assert stored.due_on == date(2027, 3, 15)
    due = sorted(r.due_at for r in await reminders(database, "item") if r.ref_id == item.id)
    assert due and due[-1].date() >= date(2027, 3, 15)  # the overdue reminder follows the new date


async def test_a_change_to_a_submitted_route_takes_it_back_to_the_draft(
    uow: UnitOfWork, database: Database
) -> None:
    user = await make_user(uow)
    route = await drafted(uow, user)
    rules = await rules_of(uow, user)
    assert isinstance(await service.submit(uow, user.id, route.id), service.Shown)
    assert (await stored_route(database, route.id)).status == RouteStatus.SUBMITTED
    await service.change_date(uow, user.id, rules, route.items[0].id, "15.03.2027")
    stored = await stored_route(database, route.id)
    assert stored.status == RouteStatus.DRAFT and stored.submitted_at is None
    await service.submit(uow, user.id, route.id)
    removed = await service.remove_item(uow, user.id, route.items[-1].id)
    assert isinstance(removed, service.Shown)
    stored = await stored_route(database, route.id)
    assert stored.status == RouteStatus.DRAFT and len(stored.items) == len(removed.route.items)


async def test_an_active_route_stays_approved_when_edited(uow: UnitOfWork, database: Database) -> None:
    user = await make_user(uow)
    route = await drafted(uow, user)
    route.status = RouteStatus.ACTIVE
    await uow.commit()
    before = len(route.items)
    removed = await service.remove_item(uow, user.id, route.items[0].id)
    assert isinstance(removed, service.Shown) and len(removed.route.items) == before - 1
    assert (await stored_route(database, route.id)).status == RouteStatus.ACTIVE


async def test_marking_every_item_done_completes_the_route(uow: UnitOfWork, database: Database) -> None:
    user = await make_user(uow, young=False)
    route = await drafted(uow, user)
    items = list(route.items)
    assert len(items) > 1
    first = items[0]
    assert await service.mark_done(uow, user.id, first.id, None) == Invalid(
        "route-evidence-invalid", {"min": 10, "max": 2000}
    )
    marked = await service.mark_done(
        uow, user.id, first.id, Evidence(EvidenceKind.LINK, "https://e.org", "https://e.org")
    )
    assert isinstance(marked, service.Marked) and not marked.completed
    assert marked.item.status == ItemStatus.DONE and marked.item.done_at == NOW
    # Done once: its buttons are stale now.
    assert await service.ask_evidence(uow, user.id, first.id) is STALE
    assert await service.mark_done(uow, user.id, first.id, Evidence(EvidenceKind.PHOTO, "P")) is STALE
    for item in items[1:]:
        assert isinstance(await service.ask_evidence(uow, user.id, item.id), service.ItemShown)
        marked = await service.mark_done(uow, user.id, item.id, Evidence(EvidenceKind.PHOTO, "P"))
        assert isinstance(marked, service.Marked)
    assert marked.completed
    stored = await stored_route(database, route.id)
    assert stored.status == RouteStatus.COMPLETED and stored.completed_at == NOW
    assert {i.evidence_kind for i in stored.items} == {EvidenceKind.LINK, EvidenceKind.PHOTO}
    # A completed route can no longer be changed; «Мой ИОМ» offers a new one.
    rules = await rules_of(uow, user)
    assert await service.ask_date(uow, user.id, first.id) is STALE
    assert await service.change_date(uow, user.id, rules, first.id, "15.03.2027") is STALE
    assert await service.to_remove(uow, user.id, first.id) is STALE
    assert await service.remove_item(uow, user.id, first.id) is STALE
    assert await service.add_areas(uow, user, route.id) is STALE
    home = await service.home(uow, user.id)
    assert isinstance(home, service.Offer) and home.completed


# --- adding -------------------------------------------------------------------------------------


async def test_the_managerial_area_is_offered_to_managers_only(uow: UnitOfWork) -> None:
    teacher = await make_user(uow)
    manager = await make_user(uow, 2002, position="deputy")
    teachers_route, managers_route = await drafted(uow, teacher), await drafted(uow, manager)
    for_teacher = await service.add_areas(uow, teacher, teachers_route.id)
    for_manager = await service.add_areas(uow, manager, managers_route.id)
    assert isinstance(for_teacher, service.AddAreas) and isinstance(for_manager, service.AddAreas)
    assert "managerial" not in for_teacher.areas and "managerial" in for_manager.areas
    assert set(for_manager.areas) - set(for_teacher.areas) == {"managerial"}


async def test_adding_a_catalogue_entry_once(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    user = await make_user(uow)
    route = await drafted(uow, user, ["subject"])
    rules = await rules_of(uow, user)
    assert await service.add_options(uow, user, rules, route.id, "no-such-area") is STALE
    options = await service.add_options(uow, user, rules, route.id, "it_digital")
    assert isinstance(options, service.AddOptions)
    assert service.Option("Цифровая школа", ItemKind.COURSE, ids["p3"]) in options.entries
    assert set(options.generic) == {ItemKind.ASSOCIATION, ItemKind.OPEN_LESSON, ItemKind.SELF_EDUCATION}
    before = len(route.items)

    async def add(kind: str, area: str = "it_digital", entry_id: int = 0) -> object:
        return await service.add_item(
            uow, user, rules, name, route_id=route.id, kind=kind, area=area, entry_id=entry_id
        )

    added = await add(ItemKind.COURSE, entry_id=ids["p3"])
    assert isinstance(added, service.Shown) and len(added.route.items) == before + 1
    course = next(i for i in added.route.items if i.program_id == ids["p3"])
    assert course.title == "Цифровая школа" and course.hours == 24 and course.due_on == route.ends_on
    assert course.reason == {"key": "reason-added", "args": {}}
    assert course.id in {r.ref_id for r in await reminders(database, "item")}
    # A second press, a course of another area, an unknown entry or kind: nothing added.
    assert await add(ItemKind.COURSE, entry_id=ids["p3"]) is STALE
    assert await add(ItemKind.COURSE, area="subject", entry_id=ids["p3"]) is STALE
    assert await add(ItemKind.COURSE, entry_id=999_999) is STALE
    assert await add(ItemKind.MENTORSHIP) is STALE
    assert await add("nonsense") is STALE
    options = await service.add_options(uow, user, rules, route.id, "it_digital")
    assert isinstance(options, service.AddOptions)
    assert all(o.entry_id != ids["p3"] or o.kind != ItemKind.COURSE for o in options.entries)
    # A generic item is titled in the region's terms, once per area.
    generic = await add(ItemKind.ASSOCIATION)
    assert isinstance(generic, service.Shown)
    assert any(i.title == "association|it_digital|ШМО/ММО" and i.hours == 6 for i in generic.route.items)
    assert await add(ItemKind.ASSOCIATION) is STALE
    stored = await stored_route(database, route.id)
    assert len(stored.items) == before + 2


async def test_an_event_is_due_on_its_day(uow: UnitOfWork, database: Database) -> None:
    ids = await seed(database)
    user = await make_user(uow)
    route = await drafted(uow, user, ["it_digital"])
    added = await service.add_item(
        uow,
        user,
        await rules_of(uow, user),
        name,
        route_id=route.id,
        kind=ItemKind.EVENT,
        area="subject",
        entry_id=ids["e1"],
    )
    assert isinstance(added, service.Shown)
    event = next(i for i in added.route.items if i.event_id == ids["e1"])
    assert event.due_on == date(2026, 12, 10) and event.hours == 1


# --- submit and export --------------------------------------------------------------------------


async def test_submit_tells_the_methodist_once(uow: UnitOfWork, database: Database, clock: Clock) -> None:
    user = await make_user(uow)
    methodist = await make_user(uow, 3003, role="methodist")
    uow.session.add(Caseload(teacher_id=user.id, methodist_id=methodist.id))
    route = await drafted(uow, user)
    submitted = await service.submit(uow, user.id, route.id)
    assert isinstance(submitted, service.Shown)
    stored = await stored_route(database, route.id)
    assert stored.status == RouteStatus.SUBMITTED and stored.submitted_at == NOW
    [approval] = await reminders(database, "route")
    assert (
        approval.user_id == methodist.id and approval.kind == "route_approval" and approval.ref_id == route.id
    )
    assert await service.submit(uow, user.id, route.id) is STALE  # already submitted


async def test_an_empty_route_cannot_be_submitted(uow: UnitOfWork, database: Database) -> None:
    user = await make_user(uow, young=False)
    route = await drafted(uow, user)
    for item in list(route.items):
        await service.remove_item(uow, user.id, item.id)
    assert await service.submit(uow, user.id, route.id) == Invalid("route-submit-empty")
    assert (await stored_route(database, route.id)).status == RouteStatus.DRAFT


async def test_export_has_the_teachers_places_and_the_diagnosis(uow: UnitOfWork) -> None:
    user = await make_user(uow)
    route = await drafted(uow, user, ["methodical"])
    export = await service.export(uow, user, route.id)
    assert isinstance(export, service.Export)
    assert export.route.id == route.id
    assert export.user.municipality is not None and export.user.municipality.name.startswith("Сусанинск")
    assert export.diagnosis is not None and export.diagnosis.deficits == ["methodical"]
    assert len(export.route.items) == len(route.items)


async def test_the_clock_of_the_unit_of_work_dates_the_route(uow: UnitOfWork, clock: Clock) -> None:
    clock.now = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    user = await make_user(uow)
    route = await drafted(uow, user)
    assert route.starts_on == date(2027, 1, 10)


async def test_a_removal_is_confirmed_then_done_once(uow: UnitOfWork, database: Database) -> None:
    user = await make_user(uow)
    route = await drafted(uow, user)
    item = route.items[0]
    count = len(route.items)
    asked = await service.to_remove(uow, user.id, item.id)
    assert isinstance(asked, service.ItemShown) and asked.item.id == item.id
    assert len((await stored_route(database, route.id)).items) == count  # asking changes nothing
    removed = await service.remove_item(uow, user.id, item.id)
    assert isinstance(removed, service.Shown) and item.id not in {i.id for i in removed.route.items}
    assert await service.remove_item(uow, user.id, item.id) is STALE  # a second «Да»
    assert await service.to_remove(uow, user.id, item.id) is STALE
    assert len((await stored_route(database, route.id)).items) == count - 1
