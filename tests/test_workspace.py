"""Flow 7: the methodist's caseload — rules and admin assignment, list, card, approvals, official
ЦНППМ diagnosis, transfer to practice, XLSX export, and isolation between methodists."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import event, select, update

from domain.region import MethodistRule
from handlers.callbacks import ID_MAX, WorkspaceAction, WorkspaceCb
from storage.caseload import FILTERS, methodist_of, overview, teachers_of
from storage.learning import DiagnosisRepo
from storage.models import (
    AuditEntry,
    Caseload,
    Diagnosis,
    MentorPair,
    Municipality,
    Route,
    RouteItem,
    School,
    User,
)
from storage.regions_loader import SHIPPED_REGIONS_DIR, load_region, read_region_file
from tests.chat import Chat
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard
from tests.max_chat import MaxChat

TEACHER = "Иванова Мария Петровна"
YOUNG = {"birth_date": date(1998, 5, 14), "work_start_year": 2024}  # 28 years old, 2 years of work
SENIOR = {"birth_date": date(1980, 1, 1), "work_start_year": 2005}
# The methodist's conversations run on both messengers.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


# --- set-up ------------------------------------------------------------------------------------


async def kostroma_with(app: App, *rules: MethodistRule, max_caseload: int | None = None) -> None:
    """The shipped Kostroma configuration with caseload rules (and a caseload limit) of the test."""
    config = read_region_file(SHIPPED_REGIONS_DIR / "kostroma.yaml")
    indicators = config.indicators
    if max_caseload is not None:  # C-5's target: the one setting for teachers per methodist
        indicators = tuple(
            i.model_copy(update={"targets": {2024: max_caseload}}) if i.id == "C-5" else i for i in indicators
        )
    config = config.model_copy(update={"methodist_rules": rules, "indicators": indicators})
    async with app.database.sessionmaker() as session:
        await load_region(session, config)
        await session.commit()


def susanino(telegram_id: int, school: str | None = None, *, messenger: str = "telegram") -> MethodistRule:
    """Сусанинский район's (or one school's) teachers to the methodist with this id on ``messenger``."""
    if messenger == "max":
        return MethodistRule(municipality="susaninsky", school=school, methodist_max_id=telegram_id)
    return MethodistRule(municipality="susaninsky", school=school, methodist_telegram_id=telegram_id)


async def make_methodist(app: App, telegram_id: int, name: str) -> Chat:
    """A colleague onboarded in Kostroma whose role an admin set to methodist."""
    chat = app.chat(telegram_id)
    await onboard(chat, name=name, birth="01.01.1980", work_start="2005")
    async with app.database.sessionmaker() as session:
        on = (User.messenger == chat.messenger, User.telegram_id == telegram_id)
        await session.execute(update(User).where(*on).values(role="methodist"))
        await session.commit()
    return chat


async def uid(app: App, telegram_id: int) -> int:
    async with app.database.sessionmaker() as session:
        user_id = await session.scalar(select(User.id).where(User.telegram_id == telegram_id))
        assert user_id is not None
        return user_id


async def caseload_of(app: App, telegram_id: int) -> Caseload | None:
    async with app.database.sessionmaker() as session:
        return await session.get(Caseload, await uid(app, telegram_id))


async def open_list(chat: Chat) -> None:
    await chat.send("🗂 Кабинет методиста")  # typed: the role came after the keyboard was drawn
    await chat.press_data(WorkspaceCb(action=WorkspaceAction.LIST).pack())


async def invite_code(app: App) -> str:
    """The admin's «Пригласить методиста» link's start payload, on the test's messenger."""
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Пригласить методиста")
    link = next(word for word in admin.text.split() if word.startswith("https://") and "start=" in word)
    return link.split("start=")[1]


async def add(app: App, *rows: object) -> None:
    async with app.database.sessionmaker() as session:
        session.add_all(rows)
        await session.commit()


def self_diagnosis(
    user_id: int, scores: dict[str, int | None], deficits: list[str], day: int = 20
) -> Diagnosis:
    moment = datetime(2026, 11, day, 10, 0, tzinfo=UTC)
    return Diagnosis(
        user_id=user_id,
        source="self",
        framework_version="efs-2026",
        status="done",
        started_at=moment,
        finished_at=moment,
        scores=scores,
        deficits=deficits,
    )


async def seed_route(app: App, user_id: int, status: str, items: list[tuple[str, date]]) -> Route:
    """A route with items (status, due date); done items carry a short reflection."""
    async with app.database.sessionmaker() as session:
        route = Route(user_id=user_id, status=status, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31))
        session.add(route)
        await session.flush()
        for number, (item_status, due) in enumerate(items, 1):
            done = item_status == "done"
            session.add(
                RouteItem(
                    route_id=route.id,
                    area="methodical",
                    kind="self_education",
                    form="informal",
                    title=f"Пункт {number}",
                    hours=10,
                    due_on=due,
                    status=item_status,
                    done_at=NOW if done else None,
                    evidence_kind="text" if done else None,
                    evidence="Провела открытый урок с новым приёмом" if done else None,
                )
            )
        await session.commit()
        await session.refresh(route, ["items"])
        return route


async def fetch(app: App, model: type, key: int):
    async with app.database.sessionmaker() as session:
        return await session.get(model, key)


# --- assignment --------------------------------------------------------------------------------


@BOTH
async def test_rules_assign_on_onboarding_and_follow_the_workplace(app: App) -> None:
    code = await invite_code(app)  # the admin onboards before any rule exists: no caseload
    municipal = app.chat(3001)
    await onboard(municipal, name="Методистова Анна Сергеевна", birth="01.01.1980", work_start="2005")
    await municipal.open_link(code)
    municipal.expect("Ваша роль: методист")
    await make_methodist(app, 3002, "Школьная Ольга Ивановна")
    await kostroma_with(
        app,
        susanino(3001, messenger=app.messenger),
        susanino(3002, school="susaninskaya-soch", messenger=app.messenger),
    )

    teacher = app.chat(1001)
    await onboard(teacher)
    row = await caseload_of(app, 1001)
    assert row is not None and (row.methodist_id, row.source) == (await uid(app, 3002), "rule")
    assert row.assigned_at == NOW

    # Another school of the municipality: the municipality's rule applies now.
    await teacher.press("👤 Профиль")
    await teacher.press("Место работы")
    await teacher.press("Костромская")
    await teacher.send("Сусанин")
    await teacher.press("Сусанинский")
    await teacher.press("Андреевская СОШ")
    row = await caseload_of(app, 1001)
    assert row is not None and (row.methodist_id, row.source) == (await uid(app, 3001), "rule")

    # A municipality no rule covers: the rule-made assignment is dropped.
    await teacher.press("Место работы")
    await teacher.press("Костромская")
    await teacher.send("Кострома")
    await teacher.press("г. Кострома")
    await teacher.press("Гимназия № 1")
    assert await caseload_of(app, 1001) is None
    # Staff are never put into a caseload, the admin onboarded before the rules either.
    for staff in (3001, 3002, ADMIN_ID):
        assert await caseload_of(app, staff) is None


@BOTH
async def test_admin_assignment_overrides_rules_and_is_kept(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    second = await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    await kostroma_with(app, susanino(3001, messenger=app.messenger))
    teacher = app.chat(1001)
    await onboard(teacher)
    assert (await caseload_of(app, 1001)).methodist_id == await uid(app, 3001)  # type: ignore[union-attr]

    await admin.send("/caseload")
    admin.expect("Закрепление педагогов", "Методистова Анна Сергеевна (методист) — 1", "Бельская")
    assert "⚠️" not in admin.text
    await admin.press("Закрепить за: Бельская")
    admin.expect("Напишите часть ФИО")
    await admin.send("Сидоров")
    admin.expect("не нашлось")
    await admin.send("иванова мария")
    admin.expect("Иванова Мария Петровна — сейчас: Методистова Анна Сергеевна")
    await admin.press(TEACHER)
    admin.expect("закреплён(а) за методистом Бельская Ольга Ивановна")
    row = await caseload_of(app, 1001)
    assert row is not None
    assert (row.methodist_id, row.source, row.assigned_by) == (
        await uid(app, 3002),
        "admin",
        await uid(app, ADMIN_ID),
    )
    notice = second.last_bot_message()
    assert "Администратор закрепил за вами педагога: Иванова Мария Петровна" in notice.plain_text
    await second.press("Открыть карточку")  # a new message: the notification stays as it was
    second.expect("ФИО: Иванова Мария Петровна")
    assert "Администратор закрепил" in second.message_text(notice.message_id)

    # A rule never takes the teacher back, even when the workplace changes.
    await teacher.press("👤 Профиль")
    await teacher.press("Место работы")
    await teacher.press("Костромская")
    await teacher.send("Сусанин")
    await teacher.press("Сусанинский")
    await teacher.press("Андреевская СОШ")
    row = await caseload_of(app, 1001)
    assert row is not None and (row.methodist_id, row.source) == (await uid(app, 3002), "admin")
    async with app.database.sessionmaker() as session:
        methodist = await methodist_of(session, await uid(app, 1001))
        assert methodist is not None and methodist.full_name == "Бельская Ольга Ивановна"


@BOTH
async def test_caseload_over_the_limit_is_flagged(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    await kostroma_with(app, susanino(3001, messenger=app.messenger), max_caseload=1)
    await onboard(app.chat(1001))
    await onboard(app.chat(1002), name="Петрова Анна Ивановна")
    await admin.send("/caseload")
    admin.expect(
        "не более 1 на 1 регионального методиста",
        "⚠️ Методистова Анна Сергеевна (методист) — 2, больше целевого значения 1",
        "Бельская Ольга Ивановна (методист) — 0",
    )
    assert admin.text.count("⚠️") == 1


async def move_to_the_city(app: App, *telegram_ids: int) -> None:
    """People onboarded at Сусанинская СОШ who work in г. Кострома instead."""
    async with app.database.sessionmaker() as session:
        city = await session.scalar(select(Municipality).where(Municipality.external_id == "kostroma"))
        assert city is not None
        await session.execute(
            update(User)
            .where(User.telegram_id.in_(telegram_ids))
            .values(municipality_id=city.id, school_id=None, school_custom="Лицей")
        )
        await session.commit()


@BOTH
async def test_admin_assigns_a_municipality_then_a_school_in_bulk(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    second = await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    await onboard(app.chat(1003), name="Смирнова Ольга Павловна")  # before any rule: no methodist
    await kostroma_with(app, susanino(3001, messenger=app.messenger), max_caseload=2)
    await onboard(app.chat(1001))
    await onboard(app.chat(1002), name="Петрова Анна Ивановна")
    # A teacher of another municipality stays where she is.
    await onboard(app.chat(1004), name="Кузнецова Вера Ильинична")
    # The admin works in the city too (an ADMIN_IDS admin is stored with a teacher's role today).
    await move_to_the_city(app, 1004, ADMIN_ID)
    admin_id, first_id, second_id = await uid(app, ADMIN_ID), await uid(app, 3001), await uid(app, 3002)

    await admin.send("/caseload")
    await admin.press("Закрепить за: Бельская")
    admin.expect("Напишите часть ФИО", "всех педагогов муниципалитета или школы")
    await admin.press("По муниципалитету")
    admin.expect("Всех педагогов какого муниципалитета закрепить за методистом Бельская Ольга Ивановна?")
    assert not any("Сусанинский" in b for b in admin.buttons())  # on the second page
    await admin.press("Далее ›")
    await admin.press("Сусанинский")
    admin.expect(
        "Закрепить за методистом Бельская Ольга Ивановна всех педагогов: Сусанинский муниципальный район?",
        "Педагогов там: 3.",
        "Перейдут к методисту: 3, из них сейчас у другого методиста: 2.",
        "Уже закреплены за ним: 0.",
        "станет 3 (сейчас 0; целевое значение региона — не более 2)",
        "⚠️ Это больше целевого значения региона: 3 при целевом значении не более 2.",
    )
    preview = admin.last_bot_message()
    confirm = next(b["callback_data"] for b in preview.buttons if "Закрепить: 3" in b["text"])
    for teacher in (1001, 1002):  # nothing written yet
        assert (await caseload_of(app, teacher)).methodist_id == first_id  # type: ignore[union-attr]
    assert await caseload_of(app, 1003) is None
    await admin.press("Закрепить: 3")
    assert "Педагоги закреплены." in admin.alerts()
    admin.expect(
        "За методистом Бельская Ольга Ивановна закреплены педагоги: Сусанинский муниципальный район — 3, "
        "из них от другого методиста: 2.",
        "Теперь у методиста педагогов: 3.",
        "⚠️",
    )
    for teacher in (1001, 1002, 1003):
        row = await caseload_of(app, teacher)
        assert row is not None
        assert (row.methodist_id, row.source, row.assigned_by, row.assigned_at) == (
            second_id,
            "admin",
            admin_id,
            NOW,
        )
    assert (await caseload_of(app, 1004)).methodist_id == first_id  # type: ignore[union-attr]
    notice = second.last_bot_message().plain_text
    assert "Администратор закрепил за вами педагогов: 3 (Сусанинский муниципальный район)" in notice
    async with app.database.sessionmaker() as session:
        [entry] = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "caseload.assign_bulk"))
        )
        assert (entry.actor_id, entry.target_type, entry.details["methodist"]) == (
            admin_id,
            "municipality",
            second_id,
        )
        assert len(entry.details["teachers"]) == 3 and entry.details["from_others"] == 2

    # The same confirmation again (an old button) changes nothing.
    async with app.database.sessionmaker() as session:
        await session.execute(update(Caseload).values(assigned_at=datetime(2026, 1, 1, tzinfo=UTC)))
        await session.commit()
    admin.clear_alerts()
    await admin.press_data(confirm, preview.message_id)
    assert "устарела" in admin.alerts()[0]
    assert (await caseload_of(app, 1001)).assigned_at == datetime(2026, 1, 1, tzinfo=UTC)  # type: ignore[union-attr]

    # By school: everyone at Сусанинская СОШ back to the first methodist.
    await admin.send("/caseload")
    await admin.press("Закрепить за: Методистова")
    await admin.press("По школе")
    admin.expect("В каком муниципалитете школа")
    await admin.press("Далее ›")
    await admin.press("Сусанинский")
    admin.expect("Педагогов какой школы (Сусанинский муниципальный район)")
    assert "Андреевская СОШ" in admin.buttons()
    await admin.press("Сусанинская СОШ")
    admin.expect(
        "всех педагогов: Сусанинская СОШ (Сусанинский муниципальный район)?",
        "Педагогов там: 3.",
        "Перейдут к методисту: 3, из них сейчас у другого методиста: 3.",
        "станет 4 (сейчас 1;",
        "⚠️",
    )
    await admin.press("Закрепить: 3")
    for teacher in (1001, 1002, 1003):
        assert (await caseload_of(app, teacher)).methodist_id == first_id  # type: ignore[union-attr]

    # Previewing the same school again: nobody is left to move, no confirmation is offered.
    await admin.send("/caseload")
    await admin.press("Закрепить за: Методистова")
    await admin.press("По школе")
    await admin.press("Далее ›")
    await admin.press("Сусанинский")
    await admin.press("Сусанинская СОШ")
    admin.expect("Перейдут к методисту: 0", "Уже закреплены за ним: 3.", "Закреплять некого")
    assert not any(b.startswith("✓ Закрепить") for b in admin.buttons())


@BOTH
async def test_bulk_assignment_refuses_old_forged_and_foreign_buttons(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    await onboard(app.chat(1001))
    await move_to_the_city(app, ADMIN_ID)
    first_id, second_id = await uid(app, 3001), await uid(app, 3002)
    async with app.database.sessionmaker() as session:
        susanino_id = await session.scalar(
            select(Municipality.id).where(Municipality.external_id == "susaninsky")
        )
        school_id = await session.scalar(select(School.id).where(School.external_id == "susaninskaya-soch"))
        foreign = await session.scalar(select(Municipality.id).where(Municipality.region_code != "kostroma"))
    assert susanino_id and school_id and foreign

    def bulk(action: WorkspaceAction, methodist_id: int = second_id, **unit: int) -> str:
        return WorkspaceCb(action=action, methodist_id=methodist_id, **unit).pack()

    await admin.send("/caseload")
    await admin.press("Закрепить за: Бельская")
    await admin.press_data(bulk(WorkspaceAction.BULK_PREVIEW, municipality_id=susanino_id))
    admin.expect("Перейдут к методисту: 1")
    forged = [
        bulk(WorkspaceAction.BULK_PREVIEW, municipality_id=foreign),  # another region's municipality
        bulk(WorkspaceAction.BULK_PREVIEW, municipality_id=ID_MAX),
        bulk(WorkspaceAction.BULK_PREVIEW, school_id=ID_MAX),
        bulk(WorkspaceAction.BULK_PREVIEW, municipality_id=susanino_id, school_id=school_id),  # both
        bulk(WorkspaceAction.BULK_PREVIEW),  # neither
        bulk(WorkspaceAction.BULK_PREVIEW, await uid(app, 1001), municipality_id=susanino_id),  # a teacher
        bulk(WorkspaceAction.BULK_SCHOOLS, municipality_id=foreign),
        bulk(WorkspaceAction.BULK_MUNICIPALITIES, ID_MAX),
        # Not the preview shown last: another methodist, another unit.
        bulk(WorkspaceAction.BULK_CONFIRM, first_id, municipality_id=susanino_id),
        bulk(WorkspaceAction.BULK_CONFIRM, school_id=school_id),
        bulk(WorkspaceAction.BULK_CONFIRM, municipality_id=foreign),
    ]
    for data in forged:
        admin.clear_alerts()
        await admin.press_data(data)
        assert "устарела" in admin.alerts()[0], data
    assert await caseload_of(app, 1001) is None

    # A methodist (and a teacher) pressing the admin's buttons: «Нет доступа», nothing written.
    teacher = app.chat(1001)
    for chat in (methodist, teacher):
        for data in (
            bulk(WorkspaceAction.BULK_MUNICIPALITIES),
            bulk(WorkspaceAction.BULK_PREVIEW, municipality_id=susanino_id),
            bulk(WorkspaceAction.BULK_CONFIRM, municipality_id=susanino_id),
        ):
            chat.clear_alerts()
            await chat.press_data(data)
            assert "Нет доступа" in chat.alerts()[0], data
    assert await caseload_of(app, 1001) is None

    # The preview shown last is still the admin's to confirm.
    await admin.press_data(bulk(WorkspaceAction.BULK_CONFIRM, municipality_id=susanino_id))
    assert (await caseload_of(app, 1001)).methodist_id == second_id  # type: ignore[union-attr]


# --- the list ----------------------------------------------------------------------------------


@BOTH
async def test_list_filters_and_paging(app: App) -> None:
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    other = await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    mine, theirs = await uid(app, 3001), await uid(app, 3002)
    async with app.database.sessionmaker() as session:
        people = {}
        for n in range(1, 14):
            person = User(
                telegram_id=7000 + n,
                locale="ru",
                consent_at=NOW,
                profile_completed_at=NOW,
                full_name=f"Педагог {n:02d}",
                position="teacher",
                region_code="kostroma",
                subjects=["math"],
                **(YOUNG if n <= 5 or n == 13 else SENIOR),
            )
            session.add(person)
            await session.flush()
            people[n] = person.id
            session.add(Caseload(teacher_id=person.id, methodist_id=mine if n <= 12 else theirs))
        await session.commit()
    p = people
    await add(
        app,
        *(self_diagnosis(p[n], {"methodical": 30}, ["methodical"]) for n in (1, 2, 6, 7, 8)),
        Diagnosis(user_id=p[3], source="self", framework_version="efs-2026", status="in_progress"),
        Diagnosis(user_id=p[4], source="cnppm", framework_version="efs-2026", status="done"),
        MentorPair(mentee_id=p[2], mentor_id=p[6], form="young", status="active"),
        MentorPair(mentee_id=p[3], mentor_id=p[6], form="young", status="closed"),
    )
    await seed_route(app, p[1], "active", [("planned", date(2026, 11, 1))])  # overdue
    await seed_route(app, p[2], "completed", [("done", date(2026, 10, 1))])
    await seed_route(app, p[6], "draft", [("planned", date(2026, 12, 31)), ("done", date(2026, 10, 1))])
    await seed_route(app, p[7], "submitted", [("planned", date(2026, 11, 21))])  # overdue since today
    await seed_route(app, p[8], "active", [("planned", date(2026, 11, 22))])  # due today: not yet
    await seed_route(app, p[9], "draft", [])

    def names(*numbers: int) -> list[str]:
        return [f"Педагог {n:02d}" for n in numbers]

    def listed() -> list[str]:
        return [b for b in methodist.buttons() if b.startswith("Педагог")]

    await open_list(methodist)
    methodist.expect("Мои педагоги · Все", "12 педагогов · страница 1 из 2")
    assert listed() == names(*range(1, 11))
    await methodist.press("Далее ›")
    methodist.expect("страница 2 из 2")
    assert listed() == names(11, 12)
    expected = {
        "Без диагностики": ("7 педагогов", names(3, 4, 5, 9, 10, 11, 12)),
        "Без ИОМ": ("6 педагогов", names(3, 4, 5, 10, 11, 12)),
        "Просрочка": ("2 педагога", names(1, 7)),
        "Молодые без наставника": ("4 педагога", names(1, 3, 4, 5)),
    }
    for label, (count, teachers) in expected.items():
        await methodist.press(label)
        methodist.expect(f"· {label}", count, "страница 1 из 1")
        assert listed() == teachers, label
        assert f"• {label}" in methodist.buttons()
    # A page that no longer exists shows the last one.
    await methodist.press_data(WorkspaceCb(action=WorkspaceAction.LIST, page=7, list_filter="overdue").pack())
    assert listed() == names(1, 7)
    await open_list(other)
    other.expect("1 педагог ·")
    assert [b for b in other.buttons() if b.startswith("Педагог")] == names(13)


# --- card, approval, return ---------------------------------------------------------------------


async def caseload_with_teacher(app: App) -> tuple[Chat, Chat]:
    """A methodist by rule and one young teacher of theirs at Сусанинская СОШ."""
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    await kostroma_with(app, susanino(3001, messenger=app.messenger))
    teacher = app.chat(1001)
    await onboard(teacher)
    return methodist, teacher


@BOTH
async def test_card_shows_profile_diagnoses_route_and_mentorship(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    teacher_id = await uid(app, 1001)
    scores = {"subject": 80, "methodical": 33, "psych_ped": 67, "communicative": 100, "it_digital": None}
    await add(app, self_diagnosis(teacher_id, scores, ["methodical"]))
    await seed_route(
        app,
        teacher_id,
        "submitted",
        [("done", date(2026, 10, 1)), ("planned", date(2026, 11, 10)), ("planned", date(2027, 3, 1))],
    )
    await open_list(methodist)
    await methodist.press(TEACHER)
    methodist.expect(
        "ФИО: Иванова Мария Петровна",
        "Организация: Сусанинская СОШ",
        "Самодиагностика (20.11.2026)",
        "⚠️ Методические компетенции: 33",
        "IT- и цифровые компетенции: не оценивалось",
        "Запрос на развитие: Методические компетенции",
        "Официальная диагностика ЦНППМ КОИРО: результатов нет",
        "ИОМ: на согласовании",
        "Выполнено пунктов: 1 из 3 · просрочено: 1",
        "молодой педагог без наставника",
    )
    buttons = methodist.buttons()
    for label in ("График диагностики", "ИОМ", "Согласовать ИОМ", "Вернуть на доработку", "ЦНППМ"):
        assert any(label in b for b in buttons), label
    app.max_stub.not_ready = 1  # type: ignore[union-attr]  # on MAX: the upload is still being processed
    await methodist.press("График диагностики")
    chart = methodist.last_bot_message()
    assert chart.kind == "photo" and "Самодиагностика: Иванова Мария Петровна, 20.11.2026" in chart.plain_text
    await methodist.press("К списку педагогов")
    methodist.expect("Мои педагоги")


@pytest.mark.parametrize(("methodist_on", "teacher_on"), [("telegram", "max"), ("max", "telegram")])
async def test_a_methodist_and_a_teacher_on_different_messengers(
    app: App, methodist_on: str, teacher_on: str
) -> None:
    """One region serves both messengers at once: a rule puts a teacher on one messenger into the
    caseload of a methodist on the other; a return and an approval reach the teacher on theirs,
    whose buttons work there, and the digest lists the teacher."""

    def on(messenger: str, user_id: int) -> Chat:
        chat = MaxChat(app, user_id) if messenger == "max" else Chat(app, user_id)
        app.chats[user_id] = chat
        return chat  # type: ignore[return-value]

    methodist = on(methodist_on, 3001)
    await onboard(methodist, name="Методистова Анна Сергеевна", birth="01.01.1980", work_start="2005")
    async with app.database.sessionmaker() as session:
        await session.execute(update(User).where(User.telegram_id == 3001).values(role="methodist"))
        await session.commit()
    await kostroma_with(app, susanino(3001, messenger=methodist_on))
    teacher = on(teacher_on, 1001)
    await onboard(teacher)
    assert (await caseload_of(app, 1001)).methodist_id == await uid(app, 3001)  # type: ignore[union-attr]
    route = await seed_route(app, await uid(app, 1001), "submitted", [("planned", date(2027, 3, 1))])
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Вернуть на доработку")
    await methodist.send("Добавьте стажировку")
    methodist.expect("ИОМ возвращён на доработку")
    assert "Комментарий: Добавьте стажировку" in teacher.last_bot_message().plain_text
    await teacher.press("Открыть ИОМ")
    teacher.expect("Комментарий методиста: Добавьте стажировку")
    await teacher.press("На согласование")
    teacher.expect("отправлен методисту на согласование")
    await methodist.press("К списку педагогов")
    await methodist.press(TEACHER)
    await methodist.press("Согласовать ИОМ")
    assert (await fetch(app, Route, route.id)).status == "active"
    assert "согласовал(а) ваш ИОМ" in teacher.last_bot_message().plain_text
    await methodist.send("/digest")
    methodist.expect("Сводка на 22.11.2026", "Иванова Мария Петровна")
    # Each heard only on their own messenger.
    telegram_chats = {m.chat_id for m in app.stub.outbox}
    max_chats = {m.user_id for m in app.max_stub.outbox}  # type: ignore[union-attr]
    assert (telegram_chats, max_chats) == (
        ({3001}, {1001}) if methodist_on == "telegram" else ({1001}, {3001})
    )


@BOTH
async def test_return_with_comment_then_approve(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    route = await seed_route(app, await uid(app, 1001), "submitted", [("planned", date(2027, 3, 1))])
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Вернуть на доработку")
    methodist.expect("Напишите комментарий")
    await methodist.send("   ")
    methodist.expect("сообщение пустое")
    await methodist.send("х" * 1001)
    methodist.expect("Слишком длинно")
    await methodist.send("Добавьте курс по <ФГОС> & стажировку")
    methodist.expect("ИОМ возвращён на доработку")
    returned = await fetch(app, Route, route.id)
    assert (returned.status, returned.comment) == ("returned", "Добавьте курс по <ФГОС> & стажировку")
    note = teacher.last_bot_message().plain_text
    assert (
        "вернул(а) ваш ИОМ на доработку" in note
        and "Комментарий: Добавьте курс по <ФГОС> & стажировку" in note
    )
    await teacher.press("Открыть ИОМ")
    teacher.expect("возвращён на доработку", "Комментарий методиста: Добавьте курс")
    await teacher.press("На согласование")
    teacher.expect("отправлен методисту на согласование")
    assert (await fetch(app, Route, route.id)).status == "submitted"

    await methodist.press("К списку педагогов")  # the card on screen still shows the earlier state
    await methodist.press(TEACHER)
    await methodist.press("Согласовать ИОМ")
    assert "ИОМ согласован, уведомление педагогу отправлено." in methodist.alerts()
    approved = await fetch(app, Route, route.id)
    assert (approved.status, approved.approved_at, approved.approved_by, approved.comment) == (
        "active",
        NOW,
        await uid(app, 3001),
        None,
    )
    assert "согласовал(а) ваш ИОМ" in teacher.last_bot_message().plain_text
    methodist.expect("ИОМ: согласован, выполняется")
    assert not any("Согласовать" in b for b in methodist.buttons())
    # The approval button of an older message is stale now.
    methodist.clear_alerts()
    await methodist.press_data(WorkspaceCb(action=WorkspaceAction.APPROVE, route_id=route.id).pack())
    assert "устарела" in methodist.alerts()[0]


# --- official ЦНППМ diagnosis, transfer to practice --------------------------------------------


@BOTH
async def test_official_diagnosis_is_stored_apart_from_self_diagnosis(app: App) -> None:
    """The methodist records ЦНППМ's result as ЦНППМ recorded it: per area a result 0–100 and a
    deficit yes/no, the instrument and the date; nothing is re-derived with the bot's threshold."""
    methodist, teacher = await caseload_with_teacher(app)
    teacher_id = await uid(app, 1001)
    await add(app, self_diagnosis(teacher_id, {"methodical": 33}, ["methodical"]))
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Официальная диагностика ЦНППМ")
    methodist.expect("дату проведения диагностики")
    await methodist.send("01.01.2030")
    methodist.expect("ещё не наступила")
    await methodist.send("31.02.2026")
    methodist.expect("Такой даты не бывает")
    await methodist.send("15.11.2026")
    methodist.expect("инструмент диагностики")
    await methodist.send("   ")
    methodist.expect("Напишите название инструмента", "инструмент диагностики")
    await methodist.send("Диагностика предметных и методических компетенций")
    methodist.expect("Область 1 из 5: Предметные", "число от 0 до 100")
    await methodist.send("101")
    methodist.expect("целое число от 0 до 100", "Область 1 из 5: Предметные")
    await methodist.send("45")
    methodist.expect("Результат: 45", "Выявил ли ЦНППМ дефицит")
    first_question = methodist.last_bot_message()
    # 45 is below the region's threshold (60), but ЦНППМ found no deficit: that is what is stored.
    await methodist.press("Дефицит: нет")
    methodist.expect("Область 2 из 5: Методические")
    # The first question's buttons are stale once it is answered.
    methodist.clear_alerts()
    await methodist.press_data(
        WorkspaceCb(
            action=WorkspaceAction.OFFICIAL_DEFICIT, teacher_id=teacher_id, level=1, area="subject"
        ).pack()
    )
    assert "устарела" in methodist.alerts()[0]
    await methodist.send("70%")
    await methodist.press("Дефицит: да")  # above the threshold, a deficit all the same
    await methodist.press("Не оценивалось")
    await methodist.send("90")
    await methodist.press("Дефицит: нет")
    await methodist.send("30")
    await methodist.press("Дефицит: да")
    methodist.expect(
        "Результаты официальной диагностики ЦНППМ сохранены",
        "Диагностика предметных и методических компетенций",
        "Дефициты: IT- и цифровые компетенции, Методические компетенции",
    )
    async with app.database.sessionmaker() as session:
        official = await session.scalar(select(Diagnosis).where(Diagnosis.source == "cnppm"))
        assert official is not None
        assert official.scores == {"subject": 45, "methodical": 70, "communicative": 90, "it_digital": 30}
        assert (official.deficits, official.strengths) == (["it_digital", "methodical"], [])
        assert official.instrument == "Диагностика предметных и методических компетенций"
        assert (official.status, official.recorded_by, official.user_id) == (
            "done",
            await uid(app, 3001),
            teacher_id,
        )
        assert official.finished_at is not None and official.finished_at.date() == date(2026, 11, 15)
        latest_self = await DiagnosisRepo(session).latest_done(teacher_id)  # self-diagnoses only
        assert latest_self is not None and latest_self.source == "self"
    note = teacher.last_bot_message().plain_text
    assert (
        "диагностики в ЦНППМ от 15.11.2026" in note
        and "IT- и цифровые компетенции, Методические компетенции" in note
    )
    await methodist.press("К карточке педагога")
    methodist.expect(
        "Самодиагностика (20.11.2026)",
        "Официальная диагностика ЦНППМ КОИРО (15.11.2026, инструмент: Диагностика предметных",
        "Предметные компетенции: 45",
        "⚠️ Методические компетенции: 70",
    )
    assert methodist.text.index("Самодиагностика") < methodist.text.index(
        "Официальная диагностика ЦНППМ КОИРО ("
    )
    methodist.clear_alerts()
    await methodist.press_data(first_question.buttons[0]["callback_data"])
    assert "устарела" in methodist.alerts()[0]


@BOTH
async def test_the_card_says_the_route_rests_on_the_imported_cnppm_diagnosis(app: App) -> None:
    from storage.importers import import_catalogue

    methodist, teacher = await caseload_with_teacher(app)
    content = (
        "ФИО;Организация;Дата;Инструмент;Область;Результат;Дефицит\n"
        "Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;Диагностика ЦНППМ;Методические;48;да\n"
    )
    async with app.database.sessionmaker() as session:
        report = await import_catalogue(
            session, "cnppm-results", "kostroma", "r.csv", content.encode(), now=NOW
        )
        await session.commit()
    assert report.applied and report.created == 1  # the teacher is in the bot: recorded at once
    await teacher.press("🗺 Мой ИОМ")
    teacher.expect("Основа: диагностика ЦНППМ от 15.10.2026 (инструмент: Диагностика ЦНППМ)")
    await teacher.press("Составить ИОМ")
    await open_list(methodist)
    await methodist.press(TEACHER)
    methodist.expect(
        "Официальная диагностика ЦНППМ КОИРО (15.10.2026, инструмент: Диагностика ЦНППМ)",
        "⚠️ Методические компетенции: 48",
        "ИОМ: черновик",
        "Основа ИОМ: диагностика ЦНППМ от 15.10.2026 (инструмент: Диагностика ЦНППМ)",
    )


@BOTH
async def test_official_diagnosis_needs_one_assessed_area_and_can_be_cancelled(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Официальная диагностика ЦНППМ")
    await methodist.send("15.11.2026")
    await methodist.send("Диагностика ЦНППМ")
    await methodist.send("четыре")
    methodist.expect("целое число от 0 до 100")
    for _ in range(5):
        await methodist.press("Не оценивалось")
    assert "ни одна область" in methodist.alerts()[-1]
    methodist.expect("Область 1 из 5")
    await methodist.send("50")
    await methodist.send("да")  # a button is expected
    methodist.expect("выберите вариант кнопкой")
    await methodist.press("Отмена")
    methodist.expect("ФИО: Иванова Мария Петровна")
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(Diagnosis).where(Diagnosis.source == "cnppm")) is None


@BOTH
async def test_transfer_to_practice_is_confirmed_for_done_items(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    route = await seed_route(
        app, await uid(app, 1001), "active", [("done", date(2026, 10, 1)), ("planned", date(2027, 3, 1))]
    )
    done, planned = route.items
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("🗺 ИОМ")
    methodist.expect("1. ✅ Методические: Пункт 1", "💬 Провела открытый урок", "2. ⬜ Методические: Пункт 2")
    assert [b for b in methodist.buttons() if "перенос" in b] == ["🔁 Подтвердить перенос в практику: 1"]
    methodist.clear_alerts()
    await methodist.press_data(
        WorkspaceCb(action=WorkspaceAction.TRANSFER, item_id=planned.id).pack()
    )  # not done yet
    assert "устарела" in methodist.alerts()[0]
    await methodist.press("Подтвердить перенос в практику: 1")
    methodist.expect("перенос в практику подтверждён 22.11.2026")
    assert not any("перенос" in b for b in methodist.buttons())
    item = await fetch(app, RouteItem, done.id)
    assert (item.transfer_confirmed_at, item.transfer_confirmed_by) == (NOW, await uid(app, 3001))
    assert "подтвердил(а) перенос в практику: «Пункт 1»" in teacher.last_bot_message().plain_text
    assert (await fetch(app, RouteItem, planned.id)).transfer_confirmed_at is None


# --- export ------------------------------------------------------------------------------------


@BOTH
async def test_export_xlsx_has_a_header_and_a_row_per_teacher(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    await onboard(app.chat(1002), name="Петрова Анна Ивановна", birth="01.01.1980", work_start="2005")
    teacher_id = await uid(app, 1001)
    await add(
        app,
        self_diagnosis(teacher_id, {"methodical": 33, "it_digital": 20}, ["it_digital", "methodical"]),
        MentorPair(mentee_id=await uid(app, 1002), mentor_id=await uid(app, 3001), form="peer"),
    )
    await seed_route(
        app,
        teacher_id,
        "submitted",
        [("done", date(2026, 10, 1)), ("planned", date(2026, 11, 10)), ("planned", date(2027, 3, 1))],
    )
    await open_list(methodist)
    app.max_stub.not_ready = 1  # type: ignore[union-attr]  # on MAX: the upload is still being processed
    await methodist.press("Выгрузить в Excel")
    message = methodist.last_bot_message()
    assert message.kind == "document" and message.document is not None
    name, content = message.document
    assert name == "caseload-2026-11-22.xlsx"
    assert "Закреплённые педагоги на 22.11.2026: 2 человека" in message.plain_text
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "ФИО",
        "Должность",
        "Организация",
        "Муниципалитет",
        "Предметы",
        "Молодой педагог",
        "Самодиагностика (дата)",
        "Дефициты (самодиагностика)",
        "Диагностика ЦНППМ (дата)",
        "Статус ИОМ",
        "Выполнено пунктов",
        "Всего пунктов",
        "Просрочено",
        "Наставник",
    )
    assert rows[1] == (
        TEACHER,
        "Учитель",
        "Сусанинская СОШ",
        "Сусанинский муниципальный район",
        "Математика, Физика",
        "да",
        datetime(2026, 11, 20),
        "IT- и цифровые компетенции, Методические компетенции",
        None,
        "на согласовании",
        1,
        3,
        1,
        None,
    )
    assert (
        rows[2][0] == "Петрова Анна Ивановна"
        and rows[2][5] == "нет"
        and rows[2][-1] == "Методистова Анна Сергеевна"
    )
    assert len(rows) == 3
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and sheet.column_dimensions["A"].width == 32


# --- isolation --------------------------------------------------------------------------------


@BOTH
async def test_another_methodist_and_a_teacher_reach_nothing(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    intruder = await make_methodist(app, 3002, "Бельская Ольга Ивановна")
    teacher_id = await uid(app, 1001)
    await add(app, self_diagnosis(teacher_id, {"methodical": 33}, ["methodical"]))
    route = await seed_route(app, teacher_id, "submitted", [("done", date(2026, 10, 1))])
    [item] = route.items
    await open_list(intruder)
    intruder.expect("0 педагогов", "никто не подходит")
    forged = [
        WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=teacher_id),
        WorkspaceCb(action=WorkspaceAction.SHOW, teacher_id=teacher_id),
        WorkspaceCb(action=WorkspaceAction.OFFICIAL_STOP, teacher_id=teacher_id),
        WorkspaceCb(action=WorkspaceAction.CHART, teacher_id=teacher_id),
        WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=route.id),
        WorkspaceCb(action=WorkspaceAction.APPROVE, route_id=route.id),
        WorkspaceCb(action=WorkspaceAction.RETURN, route_id=route.id),
        WorkspaceCb(action=WorkspaceAction.TRANSFER, item_id=item.id),
        WorkspaceCb(action=WorkspaceAction.OFFICIAL, teacher_id=teacher_id),
        WorkspaceCb(action=WorkspaceAction.OFFICIAL_LEVEL, teacher_id=teacher_id, level=4, area="subject"),
        WorkspaceCb(action=WorkspaceAction.OFFICIAL_DEFICIT, teacher_id=teacher_id, level=1, area="subject"),
        WorkspaceCb(action=WorkspaceAction.OFFICIAL_SKIP, teacher_id=teacher_id, area="subject"),
        WorkspaceCb(action=WorkspaceAction.LIST, list_filter="everything"),
    ]
    for data in forged:
        intruder.clear_alerts()
        await intruder.press_data(data.pack())
        assert "устарела" in intruder.alerts()[0], data
    await intruder.send("Одобряю")  # no comment was asked: nothing is taken as one
    # Admin-only buttons and the command are refused to a methodist.
    intruder.clear_alerts()
    await intruder.press_data(
        WorkspaceCb(
            action=WorkspaceAction.ASSIGN_SET, teacher_id=teacher_id, methodist_id=await uid(app, 3002)
        ).pack()
    )
    assert "Нет доступа" in intruder.alerts()[0]
    await intruder.send("/caseload")
    intruder.expect("Нет доступа")

    # The teacher forging workspace buttons or sending /caseload gets «Нет доступа».
    for data in (
        WorkspaceCb(action=WorkspaceAction.LIST),
        WorkspaceCb(action=WorkspaceAction.APPROVE, route_id=route.id),
    ):
        teacher.clear_alerts()
        await teacher.press_data(data.pack())
        assert "Нет доступа" in teacher.alerts()[0]
    await teacher.send("/caseload")
    teacher.expect("Нет доступа")

    after = await fetch(app, Route, route.id)
    assert (after.status, after.comment, after.approved_by) == ("submitted", None, None)
    assert (await fetch(app, RouteItem, item.id)).transfer_confirmed_at is None
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(Diagnosis).where(Diagnosis.source == "cnppm")) is None
    row = await caseload_of(app, 1001)
    assert row is not None and row.methodist_id == await uid(app, 3001)
    # The teacher's own methodist still can.
    await open_list(methodist)
    await methodist.press(TEACHER)
    methodist.expect("ФИО: Иванова Мария Петровна")


# --- bounded queries -------------------------------------------------------------------------------


# Counts the queries of the caseload screens' storage: the same on either messenger.
async def test_caseload_queries_do_not_grow_with_the_caseload(app: App) -> None:
    await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    methodist_id = await uid(app, 3001)

    async def grow_to(size: int) -> None:
        """Young teachers, each with a self-diagnosis and a route with an overdue item."""
        async with app.database.sessionmaker() as session:
            have = len(list(await session.scalars(select(Caseload))))
            for n in range(have, size):
                person = User(
                    telegram_id=8000 + n,
                    locale="ru",
                    consent_at=NOW,
                    full_name=f"Педагог {n:02d}",
                    region_code="kostroma",
                    **YOUNG,
                )
                session.add(person)
                await session.flush()
                route = Route(
                    user_id=person.id, status="active", starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31)
                )
                session.add_all([Caseload(teacher_id=person.id, methodist_id=methodist_id), route])
                session.add(self_diagnosis(person.id, {"methodical": 30}, ["methodical"]))
                await session.flush()
                session.add(
                    RouteItem(
                        route_id=route.id,
                        area="methodical",
                        kind="self_education",
                        form="informal",
                        title="Пункт",
                        due_on=date(2026, 11, 1),
                    )
                )
            await session.commit()

    async def statements(size: int) -> int:
        executed: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            executed.append(statement)

        engine = app.database.engine.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            async with app.database.sessionmaker() as session:
                views = await overview(session, methodist_id, NOW.date())
                assert len(views) == size and all(v.items_overdue == 1 and v.young for v in views)
                for name in FILTERS:
                    await teachers_of(
                        session, methodist_id, filter=name, page=0, page_size=10, today=NOW.date()
                    )
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(executed)

    await grow_to(2)
    few = await statements(2)
    await grow_to(12)
    assert await statements(12) == few


def test_a_rule_names_the_methodist_by_one_account() -> None:
    assert susanino(3001).methodist_account == ("telegram", 3001)
    assert susanino(3001, messenger="max").methodist_account == ("max", 3001)
    for accounts in ({}, {"methodist_telegram_id": 3001, "methodist_max_id": 3001}):
        with pytest.raises(ValueError, match="one of methodist_telegram_id, methodist_max_id"):
            MethodistRule(municipality="susaninsky", **accounts)
