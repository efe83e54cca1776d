"""The fallback keeps the person's place: inside a question, a hint and the same question again;
outside any question, the menu."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers import questions
from handlers.broadcasts import Wizard as BroadcastWizard
from handlers.catalogue_import import CatalogueImport
from handlers.diagnosis import DiagnosisQuestion
from handlers.digest import DigestSettingsForm
from handlers.events.wizard import EventWizard
from handlers.mentorship import MentorInput
from handlers.methodist import PairOutcome
from handlers.onboarding import Onboarding
from handlers.route import RouteEdit
from handlers.workspace.states import AssignSearch, OfficialEntry, ReturnComment
from storage.models import Caseload, Diagnosis, DiagnosisAnswer
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard

# The fallback keeps the person's place the same way on both messengers.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


@BOTH
async def test_free_text_and_a_sticker_at_a_diagnosis_statement(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await chat.press("3.")
    statement = chat.last_bot_message().plain_text
    assert "2 из" in statement

    await chat.send("а можно подумать?")
    chat.expect("выберите вариант кнопкой")
    assert "Я не понял" not in chat.text
    assert chat.replies[-1].plain_text == statement, "the same statement, asked again"
    assert any("4." in b for b in chat.buttons()), "with its buttons"
    await chat.send_sticker()
    chat.expect("выберите вариант кнопкой")
    assert chat.replies[-1].plain_text == statement

    await chat.press("4.")  # on the statement asked again: the answer counts
    chat.expect("3 из")
    async with app.database.sessionmaker() as session:
        diagnosis = await session.scalar(select(Diagnosis))
        assert diagnosis is not None and diagnosis.position == 2
        levels = list(await session.scalars(select(DiagnosisAnswer.level).order_by(DiagnosisAnswer.id)))
    assert levels == [3, 4]


@BOTH
async def test_an_old_statement_answered_inside_another_question_keeps_that_question(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    statement_id = chat.last_bot_message().message_id
    await chat.press("👤 Профиль")
    await chat.press("ФИО")
    chat.expect("Как вас зовут")
    await chat.press_data(chat.callback_data(statement_id, "3."), statement_id)
    chat.expect("2 из")
    await chat.send_sticker()
    chat.expect("нужен ответ текстом", "Как вас зовут")
    await chat.send("Петрова Анна Ивановна")
    chat.expect("Петрова Анна Ивановна")


@BOTH
async def test_after_a_pause_free_text_gets_the_menu(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await chat.press("Пауза")
    await chat.send("привет")
    chat.expect("Я не понял")


@BOTH
async def test_a_diagnosis_gone_meanwhile_gets_the_menu(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    async with app.database.sessionmaker() as session:
        diagnosis = await session.scalar(select(Diagnosis))
        assert diagnosis is not None
        await session.delete(diagnosis)
        await session.commit()
    await chat.send("привет")
    chat.expect("Я не понял")
    await chat.send("привет")
    chat.expect("Я не понял")


@BOTH
async def test_a_sticker_at_the_name_question(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send_sticker()
    chat.expect("нужен ответ текстом", "Как вас зовут")
    assert "Я не понял" not in chat.text
    await chat.send("Иванова Мария")
    chat.expect("Ваша должность")


@BOTH
async def test_a_photo_at_the_municipality_picker(app: App) -> None:
    chat = app.chat()
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send_photo()
    chat.expect("нужен ответ текстом", "муниципалитет")
    assert "Нет в списке" in chat.buttons()


async def admin_in_the_event_wizard(app: App) -> Chat:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("📅 Мероприятия")
    await admin.press("Создать")
    await admin.send("Семинар «Функциональная грамотность»")
    admin.expect("Шаг 2 из 8")
    return admin


@BOTH
async def test_free_text_at_the_event_wizards_button_step(app: App) -> None:
    admin = await admin_in_the_event_wizard(app)
    await admin.send("семинар")
    admin.expect("выберите вариант кнопкой", "Шаг 2 из 8")
    assert "Я не понял" not in admin.text
    assert any("Семинар" in b for b in admin.buttons())
    await admin.press("Семинар")
    admin.expect("Шаг 3 из 8")
    await admin.send_sticker()
    admin.expect("нужен ответ текстом", "Шаг 3 из 8")


@BOTH
async def test_outside_any_question_the_menu(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("привет")
    chat.expect("Я не понял")
    assert chat.reply_keyboard(), "the main menu"
    await chat.send_sticker()
    chat.expect("Я не понял")


def test_every_question_of_the_flows_is_asked_again() -> None:
    """Each state that waits on a typed answer or a button is in the registry."""
    waiting = [
        *Onboarding.__states__,
        *EventWizard.__states__,
        DiagnosisQuestion.statement,
        BroadcastWizard.audience,
        BroadcastWizard.confirm,
        *MentorInput.__states__,
        *RouteEdit.__states__,
        ReturnComment.comment,
        *OfficialEntry.__states__,
        AssignSearch.name,
        PairOutcome.outcome,
        DigestSettingsForm.time,
        CatalogueImport.file,
    ]
    missing = [s.state for s in waiting if questions.question(s.state) is None]
    assert missing == []


@BOTH
async def test_free_text_at_an_official_results_deficit_and_a_sticker_at_its_date(app: App) -> None:
    from tests.test_workspace import TEACHER, make_methodist, open_list, uid

    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    await onboard(app.chat(1001))
    async with app.database.sessionmaker() as session:  # an admin's assignment, on either messenger
        session.add(
            Caseload(teacher_id=await uid(app, 1001), methodist_id=await uid(app, 3001), source="admin")
        )
        await session.commit()
    await open_list(methodist)
    await methodist.press(TEACHER)
    await methodist.press("Официальная диагностика ЦНППМ")
    await methodist.send_sticker()
    methodist.expect("нужен ответ текстом", "дату проведения диагностики")
    await methodist.send("15.11.2026")
    await methodist.send_sticker()
    methodist.expect("нужен ответ текстом", "инструмент диагностики")
    await methodist.send("Диагностика ЦНППМ")
    await methodist.send_sticker()
    methodist.expect("нужен ответ текстом", "Область 1 из 5: Предметные")
    await methodist.send("55")
    await methodist.press("Дефицит: да")
    methodist.expect("Область 2 из 5: Методические")
    await methodist.send("60")
    await methodist.send("два")
    methodist.expect("выберите вариант кнопкой", "Область 2 из 5: Методические", "Результат: 60")
    assert "Я не понял" not in methodist.text
    await methodist.press("Дефицит: нет")  # on the question asked again: it counts
    methodist.expect("Область 3 из 5")


@BOTH
async def test_a_photo_at_a_mentorship_meetings_topic(app: App) -> None:
    from tests.test_mentorship import accepted_pair

    _mentor, mentee = await accepted_pair(app)
    await mentee.press("Открыть пару")
    await mentee.press("Записать встречу")
    await mentee.send("22.11.2026")
    mentee.expect("Тема встречи")
    await mentee.send_photo()
    mentee.expect("нужен ответ текстом", "Тема встречи")
    await mentee.send("Урок-исследование")
    mentee.expect("Пропустить")
