"""services.privacy without Telegram: /mydata's export and /forget."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.factory import Database
from domain.roles import Role
from locales import Translations
from services import privacy
from services.uow import UnitOfWork
from storage import personal
from storage.fsm import SqlStorage
from storage.models import (
    AuditEntry,
    Base,
    Broadcast,
    BroadcastDelivery,
    Caseload,
    Diagnosis,
    DiagnosisAnswer,
    Event,
    EventResponse,
    FsmRecord,
    InternshipApplication,
    InternshipSite,
    Invite,
    LinkCode,
    LinkedAccount,
    MentorMeeting,
    MentorPair,
    MentorProfile,
    MentorRequest,
    MethodistSettings,
    OutboxMessage,
    ProfessionalRecord,
    Route,
    RouteItem,
    User,
)
from storage.repositories import InviteRepo, UserRepo
from tests.conftest import Clock


@pytest.fixture
async def uow(database: Database, clock: Clock) -> AsyncIterator[UnitOfWork]:
    async with database.sessionmaker() as session:
        yield UnitOfWork(session, clock)


@pytest.fixture
def conversations(database: Database) -> SqlStorage:
    return SqlStorage(database.sessionmaker)


async def person(uow: UnitOfWork) -> User:
    """A methodist by invite, with an invite of their own and a conversation in progress."""
    users = UserRepo(uow.session)
    admin = await users.create(2002, "ru", uow.now())
    user = await users.create(1001, "ru", uow.now())
    user.full_name, user.region_code, user.school_custom = "Иванова Мария", "kostroma", "Школа"
    invites = InviteRepo(uow.session)
    await invites.create("used000code", Role.METHODIST, admin.id, uow.now() + timedelta(days=1))
    await invites.create("made000code", Role.METHODIST, user.id, uow.now() + timedelta(days=1))
    assert await invites.redeem("used000code", user.id, uow.now()) is not None
    uow.session.add(
        FsmRecord(key="fsm:1001:1001", telegram_id=1001, state="Onboarding:region", data={"x": 1})
    )
    await uow.commit()
    return user


async def test_my_data_is_everything_stored(uow: UnitOfWork, conversations: SqlStorage) -> None:
    user = await person(uow)
    mine = await privacy.my_data(uow, user, conversations)
    assert mine.user is user and mine.invites == 2
    data = mine.export
    assert data["user"]["full_name"] == "Иванова Мария" and data["user"]["telegram_id"] == 1001
    assert (data["region"], data["municipality"], data["school"]) == ("Костромская область", None, None)
    assert data["conversation_state"] == [{"state": "Onboarding:region", "data": {"x": 1}}]


async def test_forget_deletes_the_person_and_what_refers_to_them(
    uow: UnitOfWork, database: Database, conversations: SqlStorage
) -> None:
    user = await person(uow)
    await privacy.forget(uow, user, conversations)
    async with database.sessionmaker() as session:
        assert list(await session.scalars(select(User.telegram_id))) == [2002]  # only the other one
        assert list(await session.scalars(select(FsmRecord))) == []
        # The invite they used goes; the one they made stays, made by nobody.
        [left] = await session.scalars(select(Invite))
        assert (left.code, left.created_by) == ("made000code", None)


# --- /mydata is complete: the schema walk and every kind of row ---------------------------------


def _columns_pointing_at_people() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(fk.column.table.name == "users" and fk.column.name == "id" for fk in column.foreign_keys)
    }


def test_every_column_pointing_at_a_person_is_exported_or_said_not_personal() -> None:
    """A new table with a column pointing at ``users.id`` fails here until /mydata exports it
    (``storage.personal.OWN`` or ``ACTED_ON``) or says why it is not about the person."""
    listed = {(table, column) for table, columns in personal.OWN.items() for column in columns}
    listed |= {(table, column) for table, columns in personal.ACTED_ON.items() for column in columns}
    pointing = _columns_pointing_at_people()
    assert pointing - listed - set(personal.NOT_PERSONAL) == set(), "not in /mydata"
    # Nothing listed that is not a column pointing at a person (a renamed or dropped one).
    assert (listed | set(personal.NOT_PERSONAL)) - pointing == set()
    assert all(reason.strip() for reason in personal.NOT_PERSONAL.values())
    assert set(personal.SECTIONS) == set(personal.OWN) | set(personal.CHILDREN)


def test_the_children_of_exported_rows_point_at_them() -> None:
    for child, (column, parent) in personal.CHILDREN.items():
        [fk] = Base.metadata.tables[child].c[column].foreign_keys
        assert fk.column.table.name == parent and parent in personal.OWN


def test_every_section_has_a_line_in_the_summary(translations: Translations) -> None:
    for locale in translations.locales:
        t = translations.get(locale)
        for name in personal.SECTIONS:
            assert t(f"mydata-section-{name}", count=1) != f"mydata-section-{name}"


async def test_my_data_has_a_row_of_every_kind(uow: UnitOfWork, conversations: SqlStorage) -> None:
    user = await person(uow)
    users = UserRepo(uow.session)
    other = await users.create(3003, "ru", uow.now())
    other.full_name = "Петрова Анна Секретная"
    now, today = uow.now(), uow.now().date()
    s = uow.session
    diagnosis = Diagnosis(user_id=user.id, framework_version="efs-2026", status="done")
    route = Route(user_id=user.id, starts_on=today, ends_on=today)
    site = InternshipSite(
        external_id="s1",
        region_code="kostroma",
        organisation="Лицей",
        topic="Т",
        starts_on=today,
        ends_on=today,
        seats=3,
    )
    event = Event(external_id="e1", title="Семинар", kind="seminar", starts_at=now, created_by=user.id)
    pair = MentorPair(mentee_id=other.id, mentor_id=user.id, form="young")
    broadcast = Broadcast(text="Привет", created_by=user.id)
    # Another teacher's route the person approved: a reference, not the other person's data.
    others_route = Route(
        user_id=other.id, starts_on=today, ends_on=today, approved_by=user.id, comment="тайна"
    )
    s.add_all([diagnosis, route, site, event, pair, broadcast, others_route])
    await s.flush()
    s.add_all(
        [
            DiagnosisAnswer(diagnosis_id=diagnosis.id, statement_id="m1", level=3),
            RouteItem(
                route_id=route.id,
                area="methodical",
                kind="course",
                form="formal",
                title="Курс",
                due_on=today,
                evidence_kind="text",
                evidence="рефлексия",
            ),
            InternshipApplication(site_id=site.id, user_id=user.id),
            EventResponse(event_id=event.id, user_id=user.id),
            ProfessionalRecord(
                region_code=user.region_code or "kostroma",
                kind="contest",
                user_id=user.id,
                level="municipal",
                title="Учитель года",
                result="participant",
                happened_on=today,
            ),
            MentorProfile(user_id=user.id, contact="+7 900"),
            MentorRequest(mentee_id=other.id, mentor_id=user.id, form="young", expires_at=now),
            MentorMeeting(pair_id=pair.id, logged_by=other.id, met_on=today, topic="Урок"),
            Caseload(teacher_id=other.id, methodist_id=user.id),
            MethodistSettings(user_id=user.id),
            OutboxMessage(user_id=user.id, kind="item_due", key="k1", due_at=now),
            BroadcastDelivery(broadcast_id=broadcast.id, user_id=user.id),
            AuditEntry(actor_id=user.id, action="route.approve"),
            AuditEntry(actor_id=other.id, action="role.grant", target_type="user", target_id=user.id),
            AuditEntry(actor_id=other.id, action="something.else"),
            LinkedAccount(user_id=user.id, messenger="max", external_id=42, linked_at=now),
            LinkCode(user_id=user.id, code="ABCD2345", expires_at=now),
        ]
    )
    await uow.commit()

    mine = await privacy.my_data(uow, user, conversations)
    data = mine.export
    empty = [name for name in personal.SECTIONS if not data[name]]
    assert empty == []
    assert dict(mine.sections)["audit_log"] == 2  # by them and about them, not the third
    assert data["route_items"][0]["evidence"] == "рефлексия"
    assert data["mentor_meetings"][0]["topic"] == "Урок"  # of their pair, logged by the other
    assert data["acted_on"] == {"routes.approved_by": [others_route.id]}
    assert mine.acted_on == 1
    dumped = json.dumps(data, ensure_ascii=False, default=str)
    assert "тайна" not in dumped and "Секретная" not in dumped
    assert json.loads(dumped)["diagnosis_answers"][0]["level"] == 3
