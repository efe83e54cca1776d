"""Records 002's municipal indicators count, entered by a methodist from the teacher's card through the
real dispatcher: kind → level → title → result/role → date, a bad answer at each step asked again,
forged buttons stale; shown on the card and in the teacher's /profile."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update

from handlers.callbacks import ID_MAX, RecordAction, RecordCb
from storage.models import AuditEntry, Municipality, ProfessionalRecord, School, User
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard
from tests.test_workspace import TEACHER, caseload_with_teacher, make_methodist, open_list, uid

STALE = "Эта кнопка устарела"
# Every conversation here runs on both messengers.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


def assert_stale(chat: Chat) -> None:
    """The last button pressed was answered «устарела» (an alert, no message); the alerts are
    forgotten, so the next check needs an answer of its own."""
    alerts = chat.alerts()
    assert alerts and STALE in alerts[-1], alerts
    chat.clear_alerts()


async def count(app: App) -> int:
    async with app.database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ProfessionalRecord)) or 0)


@BOTH
async def test_a_methodist_records_a_contest_checking_every_answer(app: App) -> None:
    methodist, teacher = await caseload_with_teacher(app)
    teacher_id = await uid(app, 1001)
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Добавить: конкурс, опыт, роль")
    methodist.expect("Новая запись", "Что записать?")

    def pick(step: str, value: str, who: int = teacher_id) -> str:
        return RecordCb(action=RecordAction.PICK, teacher_id=who, step=step, value=value).pack()

    # Kind: a forged value, a forged step, another teacher's button — stale, nothing changes.
    await methodist.press_data(pick("kind", "olympiad"))
    assert_stale(methodist)
    await methodist.press_data(pick("level", "regional"))
    assert_stale(methodist)
    await methodist.press_data(pick("kind", "contest", who=teacher_id + 100))
    assert_stale(methodist)
    await methodist.send("конкурс")  # typed where a button is expected: the question again
    methodist.expect("Что записать?")
    await methodist.press("Конкурс профессионального мастерства")
    methodist.expect("Уровень:")
    await methodist.press_data(pick("level", "galactic"))
    assert_stale(methodist)
    await methodist.press("региональный уровень")
    methodist.expect("Напишите название конкурса")
    # Title: no letters, too long — each with its reason and the same question.
    await methodist.send("2026")
    methodist.expect("Напишите название словами", "Напишите название конкурса")
    await methodist.send("Я" * 301)
    methodist.expect("Слишком длинно", "Напишите название конкурса")
    await methodist.send("Учитель года — 2026")
    methodist.expect("Результат участия:")
    await methodist.press_data(pick("result", "tutor"))  # a role is not a contest's result
    assert_stale(methodist)
    await methodist.press("победитель")
    methodist.expect("Напишите дату")
    # Date: unreadable, impossible, future, too old — each asked again.
    for typed, reason in (
        ("вчера", "Не получилось прочитать дату"),
        ("31.02.2026", "Такой даты не бывает"),
        ("01.01.2030", "Эта дата ещё не наступила"),
        ("01.01.1990", "Дата раньше 2000 года"),
    ):
        await methodist.send(typed)
        methodist.expect(reason, "Напишите дату")
        assert await count(app) == 0
    await methodist.send("15.10.2026")
    methodist.expect(
        "Запись сохранена: Иванова Мария Петровна",
        "15.10.2026 · Конкурс профессионального мастерства (региональный уровень): "
        "Учитель года — 2026 — победитель",
    )
    async with app.database.sessionmaker() as session:
        [record] = list(await session.scalars(select(ProfessionalRecord)))
        assert (record.user_id, record.kind, record.level, record.result) == (
            teacher_id,
            "contest",
            "regional",
            "winner",
        )
        assert record.happened_on == date(2026, 10, 15) and record.source == "manual"
        assert await session.scalar(select(func.count()).where(AuditEntry.action == "record.add")) == 1
    # An old button of the finished entry changes nothing.
    await methodist.press_data(pick("result", "winner"))
    assert_stale(methodist)
    assert await count(app) == 1
    # The card and the teacher's own profile show it.
    await methodist.press("К карточке")
    methodist.expect("Конкурсы, опыт, роли", "Учитель года — 2026")
    await teacher.send("👤 Профиль")
    teacher.expect("Конкурсы, опыт, роли", "Учитель года — 2026 — победитель")


@BOTH
async def test_a_presented_experience_asks_no_result_and_a_role_asks_the_role(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Добавить: конкурс, опыт, роль")
    await methodist.press("Представлен актуальный опыт")
    await methodist.press("муниципальный уровень")
    await methodist.send("Формирующее оценивание на уроках математики, семинар РМО")
    methodist.expect("Напишите дату")  # no result for a presented опыт
    await methodist.send("01.11.2026")
    methodist.expect("Представлен актуальный опыт (муниципальный уровень): Формирующее оценивание")
    await methodist.press("К карточке")
    await methodist.press("Добавить: конкурс, опыт, роль")
    await methodist.press("Тьютор, эксперт, член жюри")
    await methodist.press("федеральный уровень")
    methodist.expect("где педагог был тьютором, экспертом или членом жюри")
    await methodist.send("Всероссийский конкурс «Учитель года»")
    methodist.expect("Роль:")
    await methodist.press("член жюри")
    await methodist.send("02.11.2026")
    methodist.expect("Всероссийский конкурс «Учитель года» — член жюри")
    assert await count(app) == 2


@BOTH
async def test_cancel_saves_nothing_and_another_methodist_cannot_start(app: App) -> None:
    methodist, _teacher = await caseload_with_teacher(app)
    teacher_id = await uid(app, 1001)
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Добавить: конкурс, опыт, роль")
    await methodist.press("Конкурс профессионального мастерства")
    await methodist.press("Отмена")
    methodist.expect("Запись не сохранена")
    other = await make_methodist(app, 3002, "Другова Елена Ивановна")
    await other.send("🗂 Кабинет методиста")
    await other.press_data(RecordCb(action=RecordAction.ADD, teacher_id=teacher_id).pack())
    assert_stale(other)
    assert await count(app) == 0


@BOTH
async def test_staff_record_a_schools_contest_from_schools(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/schools")
    admin.expect("Школы: конкурсы и опыт", "Выберите муниципалитет")
    await admin.press("Сусанинский")
    await admin.press("Сусанинская СОШ")
    admin.expect("Сусанинская СОШ", "Записей пока нет")
    await admin.press("Добавить: конкурс, опыт")
    kinds = admin.buttons()
    assert "Тьютор, эксперт, член жюри" not in kinds  # a role is a person's, not a school's
    async with app.database.sessionmaker() as session:
        school_id = await session.scalar(select(School.id).where(School.name == "Сусанинская СОШ"))
    assert school_id is not None
    forged = RecordCb(action=RecordAction.PICK, school_id=school_id, step="kind", value="role")
    await admin.press_data(forged.pack())
    assert_stale(admin)
    await admin.press("Конкурс профессионального мастерства")
    await admin.press("региональный уровень")
    admin.expect("в котором участвовала организация")
    await admin.send("!!")
    admin.expect("Напишите название словами", "в котором участвовала организация")
    await admin.send("Школа года — 2026")
    await admin.press("призёр, лауреат")
    await admin.send("99.99.2026")
    admin.expect("Такой даты не бывает", "Напишите дату")
    await admin.send("10.10.2026")
    admin.expect("Запись сохранена: Сусанинская СОШ")
    await admin.press("К школе")
    admin.expect("Школа года — 2026 — призёр, лауреат")
    async with app.database.sessionmaker() as session:
        [record] = list(await session.scalars(select(ProfessionalRecord)))
        assert (record.school_id, record.user_id, record.kind, record.result) == (
            school_id,
            None,
            "contest",
            "prize_winner",
        )


@BOTH
async def test_a_municipal_admin_reaches_only_the_municipalitys_schools(app: App) -> None:
    from tests.test_region_saratov import PETROVSK_ADMIN, petrovsk_people

    await petrovsk_people(app)
    async with app.database.sessionmaker() as session:  # the admin is on the test's messenger
        await session.execute(
            update(User).where(User.telegram_id == PETROVSK_ADMIN).values(messenger=app.messenger)
        )
        await session.commit()
    admin = app.chat(PETROVSK_ADMIN)
    await admin.send("/schools")
    assert admin.buttons() == ["Петровский муниципальный район"]
    async with app.database.sessionmaker() as session:
        city = await session.scalar(select(Municipality).where(Municipality.external_id == "saratov-city"))
        assert city is not None
        foreign = await session.scalar(select(School.id).where(School.municipality_id == city.id))
    await admin.press_data(RecordCb(action=RecordAction.SCHOOLS, municipality_id=city.id).pack())
    assert_stale(admin)
    await admin.press_data(RecordCb(action=RecordAction.SCHOOL, school_id=foreign or 0).pack())
    assert_stale(admin)
    await admin.press_data(RecordCb(action=RecordAction.ADD, school_id=foreign or 0).pack())
    assert_stale(admin)
    await admin.press("Петровский")
    assert "СОШ № 1 г. Петровска" in admin.buttons()


def test_the_longest_record_button_fits() -> None:
    longest = RecordCb(
        action=RecordAction.SCHOOLS,
        teacher_id=ID_MAX,
        school_id=ID_MAX,
        municipality_id=ID_MAX,
        step="result",
        value="prize_winner",
    )
    assert len(longest.pack().encode()) <= 64
