"""The municipal layer without Telegram: municipal staff (``domain.roles.municipal_scope``) see and act
on their municipality only — caseloads, /caseload searches and assignment (one and in bulk), staff
management, broadcast audiences, event announcements. Anything outside is ``Stale``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.factory import Database
from domain.events import Audience
from domain.roles import Role, StaffTitle
from services import broadcasts, catalogues, events, records, staff, workspace
from services.broadcasts import Admin, Draft
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Invalid
from services.uow import UnitOfWork
from storage.digest import caseload_snapshot
from storage.models import AuditEntry, Broadcast, Caseload, Event, Municipality, School, User
from tests.conftest import NOW, Clock

_ids = iter(range(7000, 8000))


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
async def rules(uow: UnitOfWork) -> RegionRules:
    return await region_rules(uow, "saratov")


async def place(uow: UnitOfWork, external_id: str) -> Municipality:
    found = await uow.session.scalar(
        select(Municipality).where(
            Municipality.region_code == "saratov", Municipality.external_id == external_id
        )
    )
    assert found is not None
    return found


async def person(
    uow: UnitOfWork, name: str, municipality: Municipality, role: Role = Role.TEACHER, **kw: object
) -> User:
    user = User(
        telegram_id=next(_ids),
        locale="ru",
        consent_at=NOW,
        profile_completed_at=NOW,
        full_name=name,
        position="teacher",
        role=role,
        region_code="saratov",
        municipality_id=municipality.id,
        **kw,
    )
    uow.session.add(user)
    await uow.session.flush()
    return user


@pytest.fixture
async def people(uow: UnitOfWork) -> dict[str, User]:
    petrovsky, engels = await place(uow, "petrovsky"), await place(uow, "engelssky")
    found = {
        "petrovsk_teacher": await person(uow, "Петрова Анна", petrovsky),
        "engels_teacher": await person(uow, "Энгельсова Вера", engels),
        # A municipal methodist of Петровский район and a municipal admin (ММС) there.
        "petrovsk_methodist": await person(
            uow, "Методистова Ольга", petrovsky, Role.METHODIST, staff_title=StaffTitle.MUNICIPAL_METHODIST
        ),
        "petrovsk_admin": await person(
            uow, "Админова Ирина", petrovsky, Role.ADMIN, staff_title=StaffTitle.MMS
        ),
        "engels_methodist": await person(
            uow, "Энгельсова Мария", engels, Role.METHODIST, staff_title=StaffTitle.MUNICIPAL_METHODIST
        ),
        # Regional staff see the region.
        "regional_admin": await person(
            uow, "Регионова Елена", petrovsky, Role.ADMIN, staff_title=StaffTitle.CNPPM
        ),
    }
    await uow.commit()
    return found


async def test_a_municipal_methodist_does_not_reach_a_teacher_of_another_municipality(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    methodist = people["petrovsk_methodist"]
    # Even were the Engels teacher in the caseload (a stale rule, a move), the methodist does not reach them.
    uow.session.add_all(
        Caseload(teacher_id=people[t].id, methodist_id=methodist.id)
        for t in ("petrovsk_teacher", "engels_teacher")
    )
    await uow.commit()
    listed = await workspace.teacher_list(uow, methodist, rules, "all", 0)
    assert not isinstance(listed, type(STALE))
    assert [t.full_name for t in listed.teachers] == ["Петрова Анна"]
    assert await workspace.card(uow, methodist, rules, people["engels_teacher"].id) == STALE
    assert isinstance(
        await workspace.card(uow, methodist, rules, people["petrovsk_teacher"].id), workspace.Card
    )
    assert [v.teacher.full_name for v in (await workspace.export(uow, methodist, rules)).views] == [
        "Петрова Анна"
    ]


async def test_a_municipal_admin_searches_and_assigns_within_the_municipality(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    admin, methodist = people["petrovsk_admin"], people["petrovsk_methodist"]
    listed = await workspace.staff(uow, admin, Role.ADMIN, rules, 0)
    assert isinstance(listed, workspace.StaffPage)
    assert "Энгельсова Мария" not in [p.full_name for p, _ in listed.rows]
    # The other municipality's methodist: a forged id.
    assert await workspace.pick_methodist(uow, admin, Role.ADMIN, people["engels_methodist"].id) == STALE
    found = await workspace.find_teachers(uow, admin, Role.ADMIN, methodist.id, "ова")
    assert isinstance(found, workspace.Found)
    assert [t.full_name for t, _ in found.matches] == ["Петрова Анна"]
    # A forged teacher id from Энгельсский район: stale, nothing written.
    assert await workspace.assign(uow, admin, Role.ADMIN, people["engels_teacher"].id, methodist.id) == STALE
    assert await uow.session.scalar(select(func.count()).select_from(Caseload)) == 0
    done = await workspace.assign(uow, admin, Role.ADMIN, people["petrovsk_teacher"].id, methodist.id)
    assert isinstance(done, workspace.Assigned)


async def test_a_regional_admin_cannot_put_another_municipalitys_teacher_to_a_municipal_methodist(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    admin, methodist = people["regional_admin"], people["petrovsk_methodist"]
    assert await workspace.assign(uow, admin, Role.ADMIN, people["engels_teacher"].id, methodist.id) == STALE
    found = await workspace.find_teachers(uow, admin, Role.ADMIN, methodist.id, "ова")
    assert isinstance(found, workspace.Found)
    assert [t.full_name for t, _ in found.matches] == ["Петрова Анна"]
    # The regional admin's own search for a regional methodist covers the region.
    regional = await workspace.find_teachers(uow, admin, Role.ADMIN, admin.id, "ова")
    assert isinstance(regional, workspace.Found)
    assert {t.full_name for t, _ in regional.matches} >= {"Петрова Анна", "Энгельсова Вера"}


async def test_bulk_assignment_is_limited_to_the_municipality(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    admin, methodist = people["petrovsk_admin"], people["petrovsk_methodist"]
    petrovsky, engels = await place(uow, "petrovsky"), await place(uow, "engelssky")
    places = await workspace.bulk_places(uow, admin, Role.ADMIN, methodist.id, 0, for_school=False)
    assert isinstance(places, workspace.Places)
    assert [p.name for p in places.places] == ["Петровский муниципальный район"]
    assert await workspace.bulk_schools(uow, admin, Role.ADMIN, methodist.id, engels.id, 0) == STALE
    forged = workspace.BulkTarget(methodist.id, municipality_id=engels.id)
    assert await workspace.bulk_preview(uow, admin, Role.ADMIN, rules, forged) == STALE
    assert await workspace.bulk_assign(uow, admin, Role.ADMIN, rules, forged, forged) == STALE
    school = await uow.session.scalar(select(School).where(School.municipality_id == engels.id))
    if school is None:  # Энгельсский район lists no schools: a school of г. Саратов is as foreign
        school = await uow.session.scalar(
            select(School).where(School.municipality_id == (await place(uow, "saratov-city")).id)
        )
    assert school is not None
    forged_school = workspace.BulkTarget(methodist.id, school_id=school.id)
    assert await workspace.bulk_preview(uow, admin, Role.ADMIN, rules, forged_school) == STALE
    own = workspace.BulkTarget(methodist.id, municipality_id=petrovsky.id)
    preview = await workspace.bulk_preview(uow, admin, Role.ADMIN, rules, own)
    assert isinstance(preview, workspace.BulkPreview) and preview.teachers == 1
    assert isinstance(
        await workspace.bulk_assign(uow, admin, Role.ADMIN, rules, own, own), workspace.BulkAssigned
    )


async def test_a_municipal_admin_manages_the_staff_of_the_municipality_only(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    admin = people["petrovsk_admin"]
    listed = await staff.staff(uow, admin, Role.ADMIN)
    assert not isinstance(listed, type(STALE))
    names = [s.full_name for s in listed.shown]
    assert "Методистова Ольга" in names and "Энгельсова Мария" not in names
    assert await staff.to_demote(uow, admin, Role.ADMIN, people["engels_methodist"].id) == STALE
    assert await staff.demote(uow, admin, Role.ADMIN, people["engels_methodist"].id) == STALE
    await uow.session.refresh(people["engels_methodist"])
    assert people["engels_methodist"].role == Role.METHODIST
    assert await uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


async def test_a_municipal_admins_broadcast_reaches_the_municipality_only(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    admin = Admin(people["petrovsk_admin"], Role.ADMIN, "saratov")
    engels = await place(uow, "engelssky")
    places = await broadcasts.municipalities(uow, admin)
    assert [p.name for p in places] == ["Петровский муниципальный район"]  # type: ignore[union-attr]
    assert await broadcasts.choose_municipality(uow, admin, Draft(text="x"), engels.id) == STALE
    view = await broadcasts.audience(uow, admin, Draft(text="Привет"))
    assert isinstance(view, broadcasts.AudienceView)
    # Петрова Анна, and the staff of Петровский район; never Энгельсский район's people.
    assert view.count == 4
    assert view.municipalities == ("Петровский муниципальный район",)
    queued = await broadcasts.send_now(uow, admin, Draft(text="Привет"))
    assert isinstance(queued, broadcasts.Queued)
    assert queued.broadcast.audience == {"municipality_ids": [(await place(uow, "petrovsky")).id]}
    regional = await broadcasts.audience(
        uow, Admin(people["regional_admin"], Role.ADMIN, "saratov"), Draft(text="x")
    )
    assert isinstance(regional, broadcasts.AudienceView) and regional.count == 6


async def test_a_municipal_admin_announces_own_events_to_the_municipality_only(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    def event(author: User, key: str) -> Event:
        return Event(
            external_id=key,
            region_code="saratov",
            title="Семинар РМО",
            kind="seminar",
            starts_at=NOW + timedelta(days=3),
            created_by=author.id,
        )

    own, foreign = event(people["petrovsk_admin"], "ev-own"), event(people["engels_methodist"], "ev-foreign")
    uow.session.add_all([own, foreign])
    await uow.commit()
    admin = people["petrovsk_admin"]
    compose = lambda e, zone: e.title  # noqa: E731
    assert await events.announce(uow, admin, Role.ADMIN, rules, foreign.id, Audience.ALL, compose) == STALE
    done = await events.announce(uow, admin, Role.ADMIN, rules, own.id, Audience.ALL, compose)
    assert isinstance(done, events.Announced)
    sent = await uow.session.get(Broadcast, done.broadcast_id)
    assert sent is not None
    assert sent.audience["municipality_ids"] == [(await place(uow, "petrovsky")).id]


async def test_school_records_by_staff_of_the_schools_scope(
    uow: UnitOfWork, rules: RegionRules, people: dict[str, User]
) -> None:
    petrovsky = await place(uow, "petrovsky")
    own = await uow.session.scalar(select(School).where(School.municipality_id == petrovsky.id))
    foreign = await uow.session.scalar(
        select(School).where(School.municipality_id == (await place(uow, "saratov-city")).id)
    )
    assert own is not None and foreign is not None
    contest = records.Draft(kind="contest", level="municipal", title="Школа года", result="winner")
    admin = people["petrovsk_admin"]
    assert (
        await records.add_for_school(uow, admin, Role.ADMIN, rules, foreign.id, contest, "01.10.2026")
        == STALE
    )
    # A role is a person's, not a school's; an unfinished draft is not taken either.
    as_role = replace(contest, kind="role", result="jury")
    assert await records.add_for_school(uow, admin, Role.ADMIN, rules, own.id, as_role, "01.10.2026") == STALE
    unfinished = replace(contest, result="")
    assert (
        await records.add_for_school(uow, admin, Role.ADMIN, rules, own.id, unfinished, "01.10.2026") == STALE
    )
    bad = await records.add_for_school(uow, admin, Role.ADMIN, rules, own.id, contest, "01.01.2030")
    assert bad == Invalid("err-date-future")
    teacher = people["petrovsk_teacher"]
    assert (
        await records.add_for_school(uow, teacher, Role.TEACHER, rules, own.id, contest, "01.10.2026")
        == DENIED
    )
    saved = await records.add_for_school(uow, admin, Role.ADMIN, rules, own.id, contest, "01.10.2026")
    assert isinstance(saved, records.SchoolSaved) and saved.record.school_id == own.id
    # A regional admin reaches any school of the region.
    experience = records.Draft(kind="experience", level="regional", title="Наставничество в школе")
    regional = people["regional_admin"]
    done = await records.add_for_school(
        uow, regional, Role.ADMIN, rules, foreign.id, experience, "02.10.2026"
    )
    assert isinstance(done, records.SchoolSaved) and done.record.result is None


async def test_a_municipal_admin_cannot_upload_a_caseloads_file(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    async def read() -> bytes:
        raise AssertionError("the file is not read")

    refused = await catalogues.import_upload(
        uow,
        people["petrovsk_admin"],
        Role.ADMIN,
        "saratov",
        kind="caseloads",
        filename="c.csv",
        size=10,
        read=read,
    )
    assert refused == DENIED


async def test_the_digest_of_a_municipal_methodist_covers_their_municipality_only(
    uow: UnitOfWork, people: dict[str, User]
) -> None:
    methodist = people["petrovsk_methodist"]
    uow.session.add_all(
        Caseload(teacher_id=people[t].id, methodist_id=methodist.id)
        for t in ("petrovsk_teacher", "engels_teacher")
    )
    await uow.commit()
    snapshot = await caseload_snapshot(uow.session, methodist.id, NOW)
    assert [t.name for t in snapshot.teachers] == ["Петрова Анна"]
