"""Staff profiles through the chat: methodists and admins are asked who they are as staff, never a
teacher's birth date or subjects, and count as teachers only with «Я тоже педагог»."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Caseload, User
from tests.conftest import ADMIN_ID, App
from tests.flows import STAFF_QUESTION, onboard, onboard_staff, staff_profile
from tests.test_admin_roles import make_invite

# Staff profiles are asked the same way on both messengers: every conversation runs on each.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)

TEACHER_QUESTIONS = ("Дата рождения", "Какие предметы", "начали педагогическую работу", "Квалификационная")


async def person(app: App, telegram_id: int) -> User:
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


def everything_said(app: App, telegram_id: int) -> str:
    return app.chat(telegram_id).everything_said()


async def indicators(app: App) -> str:
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Показатели")
    return admin.text


@BOTH
async def test_an_admin_from_settings_fills_a_staff_profile_and_is_not_counted(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await admin.send("/start")
    await admin.press("Согласен")
    assert (await person(app, ADMIN_ID)).role == "admin"  # an admin from the consent on
    await admin.send("Админов Админ Админович")
    admin.expect(STAFF_QUESTION)
    assert "Специалист ЦНППМ" in admin.buttons() and "Учитель" not in admin.buttons()
    await admin.press("Специалист ЦНППМ")
    admin.expect("название вашей организации")
    await admin.send("ЦНППМ Костромской области")
    await admin.press("Костромская")
    admin.expect("тоже ведёте педагогическую работу")
    await admin.press("Нет")
    admin.expect(
        "Профиль заполнен",
        "Профиль сотрудника",
        "Роль: Специалист ЦНППМ",
        "Организация: ЦНППМ Костромской области",
        "Регион: Костромская область",
        "Я тоже педагог: нет",
    )
    assert "⚙️ Администрирование" in admin.reply_keyboard()
    said = everything_said(app, ADMIN_ID)
    assert not any(question in said for question in TEACHER_QUESTIONS), said
    stored = await person(app, ADMIN_ID)
    assert stored.role == "admin" and stored.staff_title == "cnppm" and stored.also_teacher is False
    assert stored.birth_date is None and stored.subjects == []

    await onboard(app.chat(1001))
    # One teacher in the region: the admin is not among those counted.
    assert "R-1 Доля педагогических работников и управленческих кадров" in (text := await indicators(app))
    assert "0%: 0 из 1 из пользователей бота" in text
    async with app.database.sessionmaker() as session:
        assert await session.get(Caseload, stored.id) is None


@BOTH
async def test_an_invited_municipal_methodist_picks_a_municipality(app: App) -> None:
    code = await make_invite(app)
    methodist = app.chat(3001)
    await methodist.open_link(code)
    await methodist.press("Согласен")
    methodist.expect("Приглашение принято", "методист")
    await methodist.send("Методистова Анна Сергеевна")
    methodist.expect(STAFF_QUESTION)
    await methodist.press("Муниципальный методист")
    await methodist.send("ММС Сусанинского района")
    await methodist.press("Костромская")
    methodist.expect("Выберите муниципалитет")
    await methodist.send("Сусанин")
    await methodist.press("Сусанинский")
    await methodist.press("Нет")
    methodist.expect("Профиль заполнен", "Роль: Муниципальный методист", "Муниципалитет: Сусанинский")
    said = everything_said(app, 3001)
    assert not any(question in said for question in TEACHER_QUESTIONS), said
    assert "образовательную организацию" not in said  # no school is asked of staff
    stored = await person(app, 3001)
    assert stored.role == "methodist" and stored.staff_title == "municipal_methodist"
    assert stored.municipality_id is not None and stored.school_id is None
    assert stored.profile_completed_at is not None


@BOTH
async def test_a_regional_methodist_is_not_asked_a_municipality(app: App) -> None:
    code = await make_invite(app)
    methodist = app.chat(3001)
    await methodist.open_link(code)
    await methodist.press("Согласен")
    await methodist.send("Методистова Анна Сергеевна")
    await staff_profile(methodist, title="Региональный методист")
    assert "Выберите муниципалитет" not in everything_said(app, 3001)
    methodist.expect("Профиль заполнен", "Роль: Региональный методист")


@BOTH
async def test_i_teach_too_fills_the_teacher_profile_and_counts(app: App) -> None:
    await onboard_staff(app.chat(ADMIN_ID), name="Админов Админ")
    await onboard(app.chat(1001))
    code = await make_invite(app)
    tutor = app.chat(3001)
    await tutor.open_link(code)
    await tutor.press("Согласен")
    await tutor.send("Тьюторова Вера Павловна")
    await tutor.press("Тьютор")
    await tutor.send("ИРО Костромской области")
    await tutor.press("Костромская")
    await tutor.press("Да, я тоже педагог")
    # The teacher's questions follow: the workplace, then what a teacher answers.
    await tutor.send("Сусанин")
    await tutor.press("Сусанинский")
    await tutor.press("Учитель")
    await tutor.press("Сусанинская СОШ")
    await tutor.press("Химия")
    await tutor.press("Готово")
    tutor.expect("Дата рождения")
    await tutor.send("01.02.1985")
    await tutor.send("2008")
    await tutor.press("Высшая")
    tutor.expect(
        "Профиль заполнен",
        "Роль: Тьютор",
        "Я тоже педагог: да",
        "Как педагог",
        "Предметы: Химия",
        "Место работы: Сусанинская СОШ",
    )
    stored = await person(app, 3001)
    assert stored.role == "methodist" and stored.also_teacher is True
    # The teacher and the tutor who teaches: two counted, the admin not.
    assert "0%: 0 из 2 из пользователей бота" in await indicators(app)


@BOTH
async def test_bad_answers_are_refused_and_asked_again(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await admin.send("/start")
    await admin.press("Согласен")
    await admin.send("Админов Админ")
    await admin.send("просто текст")  # a button is expected
    admin.expect("выберите вариант кнопкой", STAFF_QUESTION)
    await admin.press("Администратор")
    await admin.send("12")
    admin.expect("Напишите название словами", "название вашей организации")
    await admin.send("x" * 301)
    admin.expect("Слишком длинно", "название вашей организации")
    await admin.send_sticker()
    admin.expect("название вашей организации")
    assert (await person(app, ADMIN_ID)).organisation is None
    await admin.send("Департамент образования")
    await admin.press("Костромская")
    await admin.send("не знаю")
    admin.expect("выберите вариант кнопкой", "тоже ведёте педагогическую работу")
    await admin.press("Нет")
    admin.expect("Профиль заполнен", "Организация: Департамент образования")


@BOTH
async def test_staff_profile_card_edits_and_the_teacher_switch(app: App) -> None:
    await onboard_staff(app.chat(ADMIN_ID), name="Админов Админ")
    admin = app.chat(ADMIN_ID)
    await admin.press("👤 Профиль")
    admin.expect("Профиль сотрудника", "Я тоже педагог: нет")
    assert "✏️ Дата рождения" not in admin.buttons() and "✏️ Предметы" not in admin.buttons()
    await admin.press("✏️ Организация")
    await admin.send("ИРО Костромской области")
    admin.expect("Организация: ИРО Костромской области")
    await admin.press("✏️ Роль")
    await admin.press("Специалист ММС")
    admin.expect("Выберите муниципалитет")  # a municipal title needs the municipality
    await admin.send("Шарья")
    await admin.press("г. Шарья")
    admin.expect("Роль: Специалист ММС", "Муниципалитет: г. Шарья")

    await admin.press("✏️ Я тоже педагог")
    await admin.press("Да, я тоже педагог")
    await admin.press("Учитель")  # the municipality is known: the position, then the school
    await admin.press("Гимназия № 3")
    await admin.press("Математика")
    await admin.press("Готово")
    await admin.send("10.10.1990")
    await admin.send("2012")
    await admin.press("Первая")
    admin.expect("Я тоже педагог: да", "Как педагог", "Место работы: Гимназия № 3")
    assert "✏️ Дата рождения" in admin.buttons()
    assert (await person(app, ADMIN_ID)).also_teacher is True

    await admin.press("✏️ Я тоже педагог")
    await admin.press("Нет")
    admin.expect("Я тоже педагог: нет")
    assert "Как педагог" not in admin.text
    stored = await person(app, ADMIN_ID)
    assert stored.also_teacher is False and stored.birth_date is not None  # kept, not counted


@BOTH
async def test_a_teachers_field_button_of_staff_who_do_not_teach_is_stale(app: App) -> None:
    from handlers.callbacks import ProfileAction, ProfileCb

    await onboard_staff(app.chat(ADMIN_ID), name="Админов Админ")
    admin = app.chat(ADMIN_ID)
    await admin.press("👤 Профиль")
    await admin.press_data(ProfileCb(action=ProfileAction.BIRTH_DATE).pack())
    assert any("устарела" in alert for alert in admin.alerts())
    assert "Дата рождения" not in admin.text


def test_callback_prefixes_are_distinct() -> None:
    """The staff profile's buttons added prefixes: none may be another button's (a «st» of the
    role title once read as an internship site's)."""
    from aiogram.filters.callback_data import CallbackData

    from handlers import callbacks

    factories = [
        value
        for value in vars(callbacks).values()
        if isinstance(value, type) and issubclass(value, CallbackData) and value is not CallbackData
    ]
    prefixes = [factory.__prefix__ for factory in factories]
    assert len(prefixes) == len(set(prefixes)), sorted(prefixes)
