"""«Профиль»: see and edit every field, switch the language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import User
from tests.conftest import App
from tests.flows import onboard

# Every profile conversation runs on both messengers.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def the_user(app: App, telegram_id: int = 1001) -> User:
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


async def test_profile_shows_every_field(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("👤 Профиль")
    chat.expect(
        "ФИО: Иванова Мария Петровна",
        "Должность: Учитель",
        "Регион: Костромская область",
        "Муниципалитет: Сусанинский",
        "Организация: Сусанинская СОШ",
        "Предметы: Математика, Физика",
        "Дата рождения: 14.05.1998 (28 лет)",
        "2024 (стаж 2 года)",
        "Квалификационная категория: Первая",
        "Молодой педагог: да",
        "Роль: педагог",
    )


async def test_edit_each_simple_field(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("👤 Профиль")
    await chat.press("ФИО")
    await chat.send("Петрова Анна Ивановна")
    chat.expect("ФИО: Петрова Анна Ивановна")
    await chat.press("Должность")
    await chat.press("Заместитель руководителя")
    chat.expect("Должность: Заместитель руководителя")
    await chat.press("Категория")
    await chat.press("Высшая")
    chat.expect("Квалификационная категория: Высшая")
    await chat.press("Дата рождения")
    await chat.send("31.02.1990")
    chat.expect("Такой даты не бывает")
    await chat.send("01.03.1985")
    chat.expect("Дата рождения: 01.03.1985", "Молодой педагог: нет")
    await chat.press("Начало работы")
    await chat.send("2010")
    chat.expect("2010 (стаж 16 лет)")
    await chat.press("Предметы")
    await chat.press("Физика")  # untick
    await chat.press("Информатика")
    await chat.press("Готово")
    chat.expect("Предметы: Математика, Информатика")
    user = await the_user(app)
    assert (user.full_name, user.position, user.qualification) == (
        "Петрова Анна Ивановна",
        "deputy",
        "highest",
    )
    assert user.subjects == ["math", "informatics"]


async def test_edit_workplace_asks_region_municipality_school(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("👤 Профиль")
    await chat.press("Место работы")
    await chat.press("Кузбасс")
    chat.expect("Выберите муниципалитет")
    await chat.send("Новокузнец")
    await chat.press("Новокузнецкий")
    chat.expect("Выберите образовательную организацию")
    school = chat.buttons()[0]
    await chat.press(school)
    chat.expect("Регион: Кемеровская область", f"Организация: {school}")


async def test_birth_date_edit_that_conflicts_with_work_start_asks_it_again(app: App) -> None:
    chat = app.chat()
    await onboard(chat, birth="01.01.1990", work_start="2010")
    await chat.press("👤 Профиль")
    await chat.press("Дата рождения")
    await chat.send("01.01.1998")  # would mean working from age 12
    chat.expect("В каком году вы начали")
    await chat.send("2020")
    chat.expect("2020 (стаж 6 лет)")


async def test_switch_language_both_ways(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("👤 Профиль")
    await chat.press("English")
    chat.expect("Interface language: English", "Full name: Иванова Мария Петровна", "Position: Teacher")
    assert "👤 Profile" in chat.reply_keyboard()
    await chat.press("👤 Profile")
    chat.expect("Young teacher: yes")
    await chat.press("Русский")
    chat.expect("Язык интерфейса: русский")
    assert (await the_user(app)).locale == "ru"


async def test_every_menu_button_answers(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    for button in chat.reply_keyboard():
        await chat.press(button)
        assert chat.replies, button
        assert "пока в разработке" not in chat.text and "Я не понял" not in chat.text, button
    await chat.press("❓ Помощь")
    chat.expect("Что я умею", "/mydata")
