"""Records 002's municipal indicators count, entered by a methodist from the teacher's card through the
real dispatcher: kind → level → title → result/role → date, a bad answer at each step asked again,
forged buttons stale; shown on the card and in the teacher's /profile."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from handlers.callbacks import RecordAction, RecordCb
from storage.models import AuditEntry, ProfessionalRecord
from tests.conftest import App
from tests.test_workspace import TEACHER, caseload_with_teacher, make_methodist, open_list, uid

STALE = "Эта кнопка устарела"


def assert_stale(app: App) -> None:
    """The last button pressed was answered «устарела» (an alert, no message)."""
    assert STALE in app.stub.callback_answers[-1].get("text", "")


async def count(app: App) -> int:
    async with app.database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ProfessionalRecord)) or 0)


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
    assert_stale(app)
    await methodist.press_data(pick("level", "regional"))
    assert_stale(app)
    await methodist.press_data(pick("kind", "contest", who=teacher_id + 100))
    assert_stale(app)
    await methodist.send("конкурс")  # typed where a button is expected: the question again
    methodist.expect("Что записать?")
    await methodist.press("Конкурс профессионального мастерства")
    methodist.expect("Уровень:")
    await methodist.press_data(pick("level", "galactic"))
    assert_stale(app)
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
    assert_stale(app)
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
    assert_stale(app)
    assert await count(app) == 1
    # The card and the teacher's own profile show it.
    await methodist.press("К карточке")
    methodist.expect("Конкурсы, опыт, роли", "Учитель года — 2026")
    await teacher.send("👤 Профиль")
    teacher.expect("Конкурсы, опыт, роли", "Учитель года — 2026 — победитель")


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
    assert_stale(app)
    assert await count(app) == 0
