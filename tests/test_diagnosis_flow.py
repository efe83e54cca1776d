"""Flow 2 through the real dispatcher: a whole self-diagnosis, pause, restart, result, re-diagnosis."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.callbacks import DiagAction, DiagCb
from storage.frameworks import Frameworks
from storage.models import Diagnosis, DiagnosisAnswer
from tests.chat import Chat
from tests.conftest import App
from tests.flows import onboard

# Every diagnosis conversation runs on both messengers.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)

FRAMEWORK = Frameworks().get("efs-2026")
TEACHER_QUESTIONS = len(FRAMEWORK.statements_for(manager=False))


async def answer_all(chat: Chat, level_for_area: dict[str, str], *, count: int | None = None) -> None:
    """Answer statements by pressing the level button chosen for the statement's area."""
    questions = FRAMEWORK.statements_for(manager=False)
    start = int(chat.last_bot_message().plain_text.split(" · ")[1].split()[0]) - 1
    for area, _statement in questions[start : start + (count or len(questions))]:
        await chat.press(level_for_area.get(area.code, "3."))


async def diagnoses(app: App) -> list[Diagnosis]:
    async with app.database.sessionmaker() as session:
        return list(await session.scalars(select(Diagnosis).order_by(Diagnosis.id)))


async def test_intro_says_what_it_is(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    chat.expect(f"{TEACHER_QUESTIONS} утверждени", "около", "Результат видите только вы и ваш методист")
    chat.expect(
        "предварительный запрос",
        "выявление профессиональных дефицитов — официальная диагностика — проводит ЦНППМ",
    )


async def test_whole_diagnosis_with_a_restart_in_the_middle(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    chat.expect(f"1 из {TEACHER_QUESTIONS}", "Предметные")
    weak = {"methodical": "1.", "it_digital": "2."}
    await answer_all(chat, weak, count=7)
    chat.expect(f"8 из {TEACHER_QUESTIONS}")
    [diagnosis] = await diagnoses(app)
    assert diagnosis.position == 7

    app.restart()  # the process restarts; the teacher comes back later
    await chat.press("🧭 Самодиагностика")
    chat.expect(f"отвечено 7 из {TEACHER_QUESTIONS}")
    await chat.press("Продолжить")
    chat.expect(f"8 из {TEACHER_QUESTIONS}")
    await answer_all(chat, weak)

    chat.expect(
        "Самодиагностика завершена", "Результаты самодиагностики", "Запрос на развитие:", "Методические"
    )
    assert any(m.kind == "photo" for m in chat.replies), "the chart is sent"
    [diagnosis] = await diagnoses(app)
    assert diagnosis.status == "done"
    assert diagnosis.deficits == ["methodical", "it_digital"]
    assert diagnosis.scores["methodical"] == 0 and diagnosis.scores["subject"] == 67
    assert "managerial" not in diagnosis.scores  # a teacher is not asked the managers' area
    async with app.database.sessionmaker() as session:
        answers = list(await session.scalars(select(DiagnosisAnswer)))
    assert len(answers) == TEACHER_QUESTIONS


async def test_back_changes_an_answer_and_not_applicable_is_not_counted(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await chat.press("1.")
    await chat.press("Назад")
    chat.expect(f"1 из {TEACHER_QUESTIONS}")
    assert any(label.startswith("✓ 1.") for label in chat.buttons())
    await chat.press("4.")
    chat.expect(f"2 из {TEACHER_QUESTIONS}")
    subject_count = len(FRAMEWORK.area("subject").statements)  # type: ignore[union-attr]
    for _ in range(subject_count - 1):
        await chat.press("Не применимо")
    await answer_all(chat, {})
    [diagnosis] = await diagnoses(app)
    assert diagnosis.scores["subject"] == 100  # one answer at level 4, the rest «Не применимо»


async def test_pause_then_resume(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await chat.press("2.")
    await chat.press("Пауза")
    chat.expect("Пауза. Отвечено 1 из")
    await chat.press("Продолжить")
    chat.expect(f"2 из {TEACHER_QUESTIONS}")


async def test_old_and_forged_answers_are_refused(app: App) -> None:
    chat = app.chat()
    other = app.chat(2002)
    await onboard(chat)
    await onboard(other, name="Петров Пётр")
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    [mine] = await diagnoses(app)
    await chat.press("3.")
    app.stub.callback_answers.clear()
    await chat.press_data(
        DiagCb(action=DiagAction.ANSWER, diagnosis_id=mine.id, position=0, value=1).pack()
    )  # the first statement again
    assert "устарела" in chat.alerts()[0]
    app.stub.callback_answers.clear()
    await other.press_data(
        DiagCb(action=DiagAction.ANSWER, diagnosis_id=mine.id, position=1, value=1).pack()
    )  # someone else's diagnosis
    assert "устарела" in other.alerts()[0]
    await chat.press_data(
        DiagCb(action=DiagAction.ANSWER, diagnosis_id=mine.id, position=1, value=9).pack()
    )  # no such level
    [mine] = await diagnoses(app)
    assert mine.position == 1


async def test_second_diagnosis_shows_the_change(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await answer_all(chat, {"methodical": "1."})
    await chat.press("🧭 Самодиагностика")
    await chat.press("Пройти заново")
    await answer_all(chat, {"methodical": "3."})
    chat.expect("+67 к прошлому разу", "по сравнению с самодиагностикой от")
    first, second = await diagnoses(app)
    assert first.deficits == ["methodical"] and second.deficits == []


async def test_english_diagnosis(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("👤 Профиль")
    await chat.press("English")
    await chat.press("🧭 Self-diagnosis")
    await chat.press("Start")
    chat.expect(f"1 of {TEACHER_QUESTIONS}", "Subject")
