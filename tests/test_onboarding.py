"""Flow 1 through the real dispatcher: /start, consent, the profile wizard, the main menu."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.models import User
from tests.conftest import App
from tests.flows import onboard, until_subjects

# The conversation is the same on both messengers: these run on each.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def users(app: App) -> list[User]:
    async with app.database.sessionmaker() as session:
        return list(await session.scalars(select(User)))


@BOTH
async def test_start_greets_in_russian_and_asks_consent(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    chat.expect("Здравствуйте", "ИОМ", "152-ФЗ")
    assert {"Согласен", "Не согласен"} <= set(chat.buttons())


@BOTH
async def test_declining_stores_nothing_and_says_how_to_return(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Не согласен")
    chat.expect("ничего не сохранил", "/start")
    assert await users(app) == []
    assert await app.fsm_keys() == []


@BOTH
async def test_whole_onboarding_builds_the_profile_and_opens_the_menu(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    chat.expect("Профиль заполнен", "Иванова Мария Петровна", "Сусанинская СОШ", "Математика, Физика")
    chat.expect("Молодой педагог: да")
    card = next(m for m in chat.replies if "Профиль заполнен" in m.plain_text)
    assert "<b>Профиль</b>" in (card.text or "")  # the card's own markup is not escaped
    assert chat.reply_keyboard() == [
        "🧭 Самодиагностика",
        "🗺 Мой ИОМ",
        "🏫 Стажировки",
        "🤝 Наставничество",
        "📅 Мероприятия",
        "👤 Профиль",
        "📥 Входящие",
        "❓ Помощь",
    ]
    [user] = await users(app)
    assert user.full_name == "Иванова Мария Петровна"
    assert user.position == "teacher"
    assert user.region_code == "kostroma"
    assert user.school_id is not None and user.school_custom is None
    assert user.subjects == ["math", "physics"]
    assert user.birth_date == date(1998, 5, 14)
    assert user.work_start_year == 2024
    assert user.qualification == "first"
    assert user.profile_completed_at is not None


@BOTH
async def test_not_young_when_over_35(app: App) -> None:
    chat = app.chat()
    await onboard(chat, birth="01.01.1980", work_start="2024")
    chat.expect("Молодой педагог: нет")


async def test_answer_is_closed_on_the_question_so_old_buttons_cannot_repeat(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    question = next(m for m in reversed(app.stub.outbox) if "Ваша должность" in m.plain_text)
    assert question.edited and "✓ Учитель" in question.plain_text and question.reply_markup is None


async def test_municipality_not_in_list_then_school_typed(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Петров Пётр")
    await chat.press("Руководитель")
    await chat.press("Кузбасс")
    await chat.press("Нет в списке")
    chat.expect("Напишите название муниципалитета")
    await chat.send("Новый посёлок")
    chat.expect("Напишите название вашей образовательной организации")
    await chat.send("Школа <на горе> & Ко")
    chat.expect("Какие предметы")
    [user] = await users(app)
    assert user.region_code == "kuzbass"
    assert (user.municipality_id, user.municipality_custom) == (None, "Новый посёлок")
    assert user.school_custom == "Школа <на горе> & Ко"


async def test_typing_narrows_the_list_and_nothing_found_says_so(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send("Буй")
    labels = [b for b in chat.buttons() if "Буй" in b]
    assert len(labels) == 2, chat.buttons()  # г. Буй and Буйский are two municipalities
    await chat.send("Атлантида")
    chat.expect("ничего не нашлось")
    assert "Нет в списке" in chat.buttons()


async def test_picker_pages_through_a_long_list(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    first_page = chat.buttons()
    await chat.press("Далее")
    second_page = chat.buttons()
    assert first_page != second_page
    await chat.press("Назад")
    assert chat.buttons() == first_page


async def test_subjects_need_at_least_one(app: App) -> None:
    chat = app.chat()
    await until_subjects(chat)
    await chat.press("Готово")
    assert "Отметьте хотя бы один предмет." in chat.alerts()
    await chat.press("Химия")
    assert "✅ Химия" in chat.buttons()
    await chat.press("Химия")
    assert "Химия" in chat.buttons() and "✅ Химия" not in chat.buttons()


async def test_a_sticker_at_the_subjects_keeps_the_subjects_ticked_so_far(app: App) -> None:
    chat = app.chat()
    await until_subjects(chat)
    await chat.press("Химия")
    await chat.send_sticker()
    chat.expect("Пожалуйста, выберите вариант кнопкой")
    assert "✅ Химия" in chat.buttons()
    await chat.send("биология")
    assert "✅ Химия" in chat.buttons()
    await chat.press("Готово")
    chat.expect("Дата рождения")


async def test_returning_user_gets_the_menu(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/start")
    chat.expect("С возвращением")


async def test_restart_in_the_middle_of_the_wizard_continues_there(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    app.restart()  # a new dispatcher: nothing survives but the database (and Redis, if used)
    await chat.press("Костромская")
    chat.expect("Выберите муниципалитет")
    [user] = await users(app)
    assert (user.full_name, user.position, user.region_code) == ("Иванова Мария", "teacher", "kostroma")


async def test_start_in_the_middle_resumes_the_missing_answer(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.send("/start")
    chat.expect("Продолжим", "Ваша должность")


async def test_english_from_the_greeting(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("English")
    chat.expect("Hello", "Consent to personal data processing")
    await chat.press("I agree")
    chat.expect("What is your name")
    [user] = await users(app)
    assert user.locale == "en"


async def test_two_users_do_not_see_each_other(app: App) -> None:
    anna, boris = app.chat(2001), app.chat(2002)
    await anna.send("/start")
    await boris.send("/start")
    await anna.press("Согласен")
    await anna.send("Анна Сергеевна")
    assert all(m.chat_id == 2001 for m in anna.replies)
    assert len(await users(app)) == 1


async def test_page_indicator_and_a_double_press_are_harmless(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    picker = chat.last_bot_message()
    indicator = next(label for label in chat.buttons() if " / " in label)
    await chat.press(indicator)
    assert chat.replies == []  # nothing to change
    data = next(b["callback_data"] for b in picker.buttons if "Далее" in b["text"])
    await chat.press_data(data, picker.message_id)
    await chat.press_data(data, picker.message_id)  # the same page again: "not modified", swallowed
    assert "Далее" in " ".join(chat.buttons()) or "Назад" in " ".join(chat.buttons())
