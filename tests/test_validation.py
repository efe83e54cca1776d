"""Every typed answer of the wizard is validated: a clear message and the same question again."""

from __future__ import annotations

import pytest

from tests.chat import Chat
from tests.conftest import App
from tests.flows import until_subjects

# Every validation conversation runs on both messengers.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def until_birth_date(chat: Chat) -> None:
    await until_subjects(chat)
    await chat.press("Химия")
    await chat.press("Готово")
    chat.expect("Дата рождения")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("31.02.1990", "Такой даты не бывает"),
        ("1990-05-14", "ДД.ММ.ГГГГ"),
        ("01.01.2030", "ещё не наступила"),
        ("01.01.2015", "от 18 до 80 лет"),
        ("01.01.1930", "96 лет"),
    ],
)
async def test_birth_date(app: App, answer: str, message: str) -> None:
    chat = app.chat()
    await until_birth_date(chat)
    await chat.send(answer)
    chat.expect(message, "Дата рождения в формате ДД.ММ.ГГГГ")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("2030", "ещё не наступил"),
        ("19", "четырёх цифр"),
        ("2000", "раньше 16 лет"),
    ],
)
async def test_work_start_year(app: App, answer: str, message: str) -> None:
    chat = app.chat()
    await until_birth_date(chat)
    await chat.send("14.05.1990")
    await chat.send(answer)
    chat.expect(message, "В каком году вы начали")


async def test_full_name_empty_long_and_strange(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова " + "а" * 4990)
    chat.expect("Слишком длинно", "не больше 200", "Как вас зовут")
    await chat.send("<script>alert(1)</script>")
    chat.expect("только буквы")
    await chat.send("Мария")
    chat.expect("фамилию и имя")


async def test_photo_or_sticker_where_text_is_expected(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send_photo()
    chat.expect("нужен ответ текстом", "Как вас зовут")
    await chat.send_sticker()
    chat.expect("нужен ответ текстом")


async def test_free_text_where_a_button_is_expected(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.send("да, согласен")
    chat.expect("выберите вариант кнопкой", "Согласие на обработку")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.send("учитель")
    chat.expect("выберите вариант кнопкой", "Ваша должность")
    assert "Учитель" in chat.buttons()


async def test_long_custom_school_name(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.press("Нет в списке")
    await chat.send("Новый")
    await chat.send("Ш" * 5000)
    chat.expect("Слишком длинно", "Напишите название вашей образовательной организации")


async def test_custom_places_must_be_names(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.press("Нет в списке")
    await chat.send("7")
    chat.expect("Напишите название словами", "Напишите название муниципалитета")
    await chat.send("Новый")
    await chat.send("1")
    chat.expect("Напишите название словами", "Напишите название вашей образовательной организации")
    await chat.send("Лицей 2")
    chat.expect("Какие предметы вы ведёте")
