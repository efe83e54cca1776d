"""`import cnppm-results`: official ЦНППМ results from CSV/XLSX — matched by ФИО and organisation,
deficits stored as ЦНППМ recorded them, rows of people not yet in the bot kept and attached when
they register; all or nothing with a row-by-row report; a re-import does not duplicate.

The conversation test at the end: a teacher who registers after their result was imported sees it
on the first day and gets an ИОМ drafted from it, which says it rests on ЦНППМ's diagnosis."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.__main__ import main
from bot.factory import Database
from handlers.import_report import render_report
from locales import Translations, message_keys
from storage.cnppm_import import attach_pending
from storage.importers import KINDS, ImportReport, import_catalogue
from storage.models import CnppmPending, Diagnosis, Municipality, Route, School, User
from tests.conftest import NOW, App
from tests.flows import onboard

CONSENT = datetime(2026, 9, 1, tzinfo=UTC)
HEADER = "ФИО;Организация;Дата;Инструмент;Область;Результат;Дефицит\n"
INSTRUMENT = "Диагностика профессиональных компетенций"
GOOD = (
    HEADER
    # Иванова, in the bot (school picked from the directory): one diagnosis of three areas.
    + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;72;нет\n"
    + f"иванова  мария петровна;«Сусанинская СОШ»;15.10.2026;{INSTRUMENT};methodical;45;да\n"
    + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};IT- и цифровые;75%;да\n"
    # Смирнова typed her school after «Нет в списке».
    + f"Смирнова Ольга Павловна;Школа № 7 г. Буя;2026-10-20;{INSTRUMENT};Коммуникативные;55;нет\n"
    # Орлова is not in the bot yet: kept.
    + f"Орлова Нина Сергеевна;Андреевская СОШ;15.10.2026;{INSTRUMENT};Методические;40;да\n"
    + f"Орлова Нина Сергеевна;Андреевская СОШ;15.10.2026;{INSTRUMENT};Предметные;85;нет\n"
)


async def seed_people(session: AsyncSession) -> dict[str, User]:
    """Иванова at Сусанинская СОШ (picked), Смирнова at a school typed in, two Кузнецовы of the same
    name at the same school, and an Орлова of the same name in another region."""
    susanino = await session.scalar(select(Municipality).where(Municipality.external_id == "susaninsky"))
    assert susanino is not None
    school = await session.scalar(
        select(School).where(School.municipality_id == susanino.id, School.name == "Сусанинская СОШ")
    )
    assert school is not None

    def teacher(telegram_id: int, name: str, **place: object) -> User:
        values: dict[str, object] = {"region_code": "kostroma", "position": "teacher", **place}
        return User(
            telegram_id=telegram_id,
            locale="ru",
            consent_at=CONSENT,
            profile_completed_at=CONSENT,
            full_name=name,
            **values,
        )

    people = {
        "ivanova": teacher(1001, "Иванова Мария Петровна", municipality_id=susanino.id, school_id=school.id),
        "smirnova": teacher(1002, "Смирнова Ольга Павловна", school_custom="Школа №7 г. Буя"),
        "kuznetsova1": teacher(1003, "Кузнецова Вера Ильинична", school_custom="Лицей 3"),
        "kuznetsova2": teacher(1004, "Кузнецова Вера Ильинична", school_custom="лицей 3"),
        "orlova_elsewhere": teacher(
            1005, "Орлова Нина Сергеевна", region_code="kuzbass", school_custom="Андреевская СОШ"
        ),
    }
    session.add_all(people.values())
    await session.commit()
    return people


async def run(database: Database, content: bytes, filename: str = "results.csv") -> ImportReport:
    async with database.sessionmaker() as session:
        report = await import_catalogue(session, "cnppm-results", "kostroma", filename, content, now=NOW)
        if report.applied:
            await session.commit()
    return report


async def officials(database: Database) -> list[Diagnosis]:
    async with database.sessionmaker() as session:
        found = await session.scalars(
            select(Diagnosis).where(Diagnosis.source == "cnppm").order_by(Diagnosis.user_id, Diagnosis.id)
        )
        return list(found)


async def kept(database: Database) -> list[CnppmPending]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(CnppmPending).order_by(CnppmPending.area)))


async def test_results_are_recorded_as_cnppm_recorded_them_and_the_rest_kept(database: Database) -> None:
    async with database.sessionmaker() as session:
        people = await seed_people(session)
    report = await run(database, GOOD.encode())
    assert report.errors == [] and report.applied
    assert (report.created, report.updated) == (2, 0)
    assert report.notices == [("import-cnppm-pending", {"count": 1})]
    ivanova, smirnova = await officials(database)
    assert ivanova.user_id == people["ivanova"].id and smirnova.user_id == people["smirnova"].id
    # The deficits as recorded: 45 and 75 are deficits, 72 is not — the region's threshold (60) is
    # not applied. Weakest first.
    assert ivanova.scores == {"subject": 72, "methodical": 45, "it_digital": 75}
    assert (ivanova.deficits, ivanova.strengths) == (["methodical", "it_digital"], [])
    assert (ivanova.instrument, ivanova.status, ivanova.recorded_by) == (INSTRUMENT, "done", None)
    assert ivanova.finished_at is not None and ivanova.finished_at.date() == date(2026, 10, 15)
    assert (smirnova.scores, smirnova.deficits) == ({"communicative": 55}, [])
    assert [(row.full_name, row.area, row.result, row.deficit) for row in await kept(database)] == [
        ("Орлова Нина Сергеевна", "methodical", 40, True),
        ("Орлова Нина Сергеевна", "subject", 85, False),
    ]

    # The same file again: nothing repeated.
    again = await run(database, GOOD.encode())
    assert again.applied and (again.created, again.updated) == (0, 2)
    assert len(await officials(database)) == 2 and len(await kept(database)) == 2

    # Another instrument on the same day is another diagnosis; a new area of the same one completes it.
    more = (
        HEADER
        + "Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;Другой инструмент;Предметные;50;да\n"
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Коммуникативные;30;да\n"
    )
    report = await run(database, more.encode())
    assert report.applied and (report.created, report.updated) == (1, 1)
    first, second, _smirnova = await officials(database)
    assert first.scores["communicative"] == 30 and first.deficits == [
        "communicative",
        "methodical",
        "it_digital",
    ]
    assert (second.instrument, second.scores, second.deficits) == (
        "Другой инструмент",
        {"subject": 50},
        ["subject"],
    )


async def test_a_bad_value_in_every_column_an_ambiguous_person_and_nothing_written(
    database: Database,
) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
    bad = (
        HEADER
        + f";Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;72;нет\n"  # 2: no ФИО
        + f"Иванова Мария Петровна;{'О' * 301};15.10.2026;{INSTRUMENT};Предметные;72;нет\n"  # 3
        + f"Иванова Мария Петровна;Сусанинская СОШ;31.02.2026;{INSTRUMENT};Предметные;72;нет\n"  # 4
        + f"Иванова Мария Петровна;Сусанинская СОШ;01.01.2027;{INSTRUMENT};Предметные;72;нет\n"  # 5
        + "Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;;Предметные;72;нет\n"  # 6
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Астрономия;72;нет\n"  # 7
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;120;нет\n"  # 8
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;много;нет\n"  # 9
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;72;может быть\n"  # 10
        + f"Кузнецова Вера Ильинична;Лицей 3;15.10.2026;{INSTRUMENT};Предметные;72;нет\n"  # 11: two people
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Методические;50;да\n"  # 12: fine
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};methodical;51;да\n"  # 13: again
    )
    report = await run(database, bad.encode())
    assert not report.applied
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (2, "фио", "import-err-required"),
        (3, "организация", "import-err-too-long"),
        (4, "дата", "import-err-bad-date"),
        (5, "дата", "import-err-date-future"),
        (6, "инструмент", "import-err-required"),
        (7, "область", "import-err-unknown-area"),
        (8, "результат", "import-err-out-of-range"),
        (9, "результат", "import-err-not-number"),
        (10, "дефицит", "import-err-bad-boolean"),
        (11, "фио", "import-err-cnppm-ambiguous"),
        (13, "область", "import-err-cnppm-duplicate"),
    ]
    assert report.errors[-2].args["count"] == 2
    assert await officials(database) == [] and await kept(database) == []
    # Every error reads in both languages, with its row and column.
    translations = Translations()
    for locale in ("ru", "en"):
        text = render_report(report, translations.get(locale), limit=20)
        assert "Строка 11" in text or "Row 11" in text
    ru = render_report(report, translations.get("ru"), limit=20)
    assert "столбец «фио»" in ru and "носят 2 человека" in ru and "строке 12" in ru


async def test_kept_rows_are_attached_when_the_person_registers(database: Database) -> None:
    async with database.sessionmaker() as session:
        people = await seed_people(session)
    assert (await run(database, GOOD.encode())).applied
    async with database.sessionmaker() as session:
        # Орлова of the same name and school in another region gets nothing.
        elsewhere = await session.get(User, people["orlova_elsewhere"].id)
        assert elsewhere is not None and await attach_pending(session, elsewhere) == []
        orlova = User(
            telegram_id=1006,
            locale="ru",
            consent_at=NOW,
            full_name="Орлова  Нина Сергеевна",
            region_code="kostroma",
            position="teacher",
            school_custom="андреевская сош",
        )
        session.add(orlova)
        await session.flush()
        [diagnosis] = await attach_pending(session, orlova)
        await session.commit()
        assert (diagnosis.user_id, diagnosis.source, diagnosis.instrument) == (orlova.id, "cnppm", INSTRUMENT)
        assert (diagnosis.scores, diagnosis.deficits) == ({"methodical": 40, "subject": 85}, ["methodical"])
        assert await attach_pending(session, orlova) == []  # kept no longer
    assert await kept(database) == []


def test_the_kind_and_its_messages() -> None:
    # /admin's buttons carry a kind's position: appended after the kinds that were there before.
    assert KINDS[:6] == ("programs", "sites", "events", "schools", "mentors", "caseloads")
    assert "cnppm-results" in KINDS[6:]
    keys = {
        "import-kind-cnppm-results",
        "import-report-ok-cnppm-results",
        "import-cnppm-pending",
        "import-err-cnppm-ambiguous",
        "import-err-cnppm-duplicate",
        "import-err-not-number",
        "import-err-date-future",
    }
    for locale in ("ru", "en"):
        assert keys <= message_keys(locale)


async def test_xlsx_with_english_headers_and_date_cells(database: Database) -> None:
    async with database.sessionmaker() as session:
        people = await seed_people(session)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["full name", "organization", "date", "instrument", "area", "result", "deficit"])
    sheet.append(
        [
            "Иванова Мария Петровна",
            "Сусанинская СОШ",
            datetime(2026, 10, 15),
            INSTRUMENT,
            "subject",
            38.0,
            "yes",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run(database, buffer.getvalue(), "results.xlsx")
    assert report.applied and report.created == 1
    [official] = await officials(database)
    assert (official.user_id, official.scores, official.deficits) == (
        people["ivanova"].id,
        {"subject": 38},
        ["subject"],
    )


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_cli_import(db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cnppm.csv"
    path.write_text(GOOD.replace("2026", "2025"), encoding="utf-8")  # past whenever the test runs
    assert main(["import", "cnppm-results", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Результаты диагностики ЦНППМ загружены" in out and "пока не пользу" in out
    path.write_text(HEADER + f"Орлова Нина Сергеевна;Андреевская СОШ;15.10.2025;{INSTRUMENT};Химия;1;да\n")
    assert main(["import", "cnppm-results", str(path)]) == 2
    assert "Строка 2, столбец «область»: Неизвестная область компетенций «Химия»" in capsys.readouterr().out


# --- the teacher who registers after the import ------------------------------------------------------


async def test_a_teacher_registered_after_the_import_sees_the_result_and_gets_a_route_from_it(
    app: App,
) -> None:
    content = (
        HEADER
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Предметные;80;нет\n"
        + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Методические;45;да\n"
    )
    async with app.database.sessionmaker() as session:
        report = await import_catalogue(
            session, "cnppm-results", "kostroma", "r.csv", content.encode(), now=NOW
        )
        await session.commit()
    assert report.applied and report.notices == [("import-cnppm-pending", {"count": 1})]

    chat = app.chat(1001)
    await onboard(chat)  # Иванова Мария Петровна, Сусанинская СОШ picked from the directory
    chat.expect("Для вас уже есть результат диагностики ЦНППМ")
    await chat.press("Результаты ЦНППМ")
    chat.expect(
        "Результаты диагностики ЦНППМ",
        "15.10.2026",
        f"инструмент: {INSTRUMENT}",
        "Предметные компетенции: 80",
        "⚠️ Методические компетенции: 45 — дефицит",
        "Дефициты: Методические компетенции",
    )
    # A self-diagnosis taken afterwards (finding a deficit in «Предметные») is a preliminary
    # request: the route rests on ЦНППМ's diagnosis all the same.
    async with app.database.sessionmaker() as session:
        teacher = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert teacher is not None
        session.add(
            Diagnosis(
                user_id=teacher.id,
                source="self",
                framework_version="efs-2026",
                status="done",
                started_at=NOW,
                finished_at=NOW,
                scores={"subject": 20, "methodical": 90},
                deficits=["subject"],
                strengths=["methodical"],
            )
        )
        await session.commit()
    await chat.press("🗺 Мой ИОМ")
    chat.expect("Составлен черновик ИОМ", "Основа ИОМ: диагностика ЦНППМ от 15.10.2026", INSTRUMENT)
    assert "Методические" in chat.text and "Предметные:" not in chat.text
    async with app.database.sessionmaker() as session:
        route = await session.scalar(select(Route))
        official = await session.scalar(select(Diagnosis).where(Diagnosis.source == "cnppm"))
        assert route is not None and official is not None and route.diagnosis_id == official.id
        assert await session.scalar(select(func.count()).select_from(CnppmPending)) == 0
    # The DOCX says the same.
    await chat.press("Скачать DOCX")
    message = next(m for m in chat.replies if m.document is not None)
    _name, content = message.document  # type: ignore[misc]
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert f"Основа ИОМ: диагностика ЦНППМ от 15.10.2026 (инструмент: {INSTRUMENT})" in text
    assert "самодиагностика" not in text.lower()


async def test_a_draft_made_before_the_result_came_is_drafted_again_from_it(app: App) -> None:
    chat = app.chat(1001)
    await onboard(chat)
    async with app.database.sessionmaker() as session:
        teacher = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert teacher is not None
        session.add(
            Diagnosis(
                user_id=teacher.id,
                source="self",
                framework_version="efs-2026",
                status="done",
                started_at=NOW,
                finished_at=NOW,
                scores={"subject": 20},
                deficits=["subject"],
                strengths=[],
            )
        )
        await session.commit()
    await chat.press("🗺 Мой ИОМ")
    chat.expect("Основа: самодиагностика от 22.11.2026 — предварительный запрос")
    await chat.press("Составить ИОМ")
    chat.expect("Основа ИОМ: самодиагностика от 22.11.2026")
    content = HEADER + f"Иванова Мария Петровна;Сусанинская СОШ;15.10.2026;{INSTRUMENT};Методические;45;да\n"
    async with app.database.sessionmaker() as session:
        assert (
            await import_catalogue(session, "cnppm-results", "kostroma", "r.csv", content.encode(), now=NOW)
        ).applied
        await session.commit()
    await chat.press("🗺 Мой ИОМ")
    chat.expect("После составления черновика появились результаты диагностики ЦНППМ", "от 15.10.2026")
    redraft = next(b for row in chat.last_bot_message().reply_markup["inline_keyboard"] for b in row)
    await chat.press("Составить заново по диагностике ЦНППМ")
    chat.expect("составлен заново", "Основа ИОМ: диагностика ЦНППМ от 15.10.2026", "Методические")
    assert "Предметные:" not in chat.text
    async with app.database.sessionmaker() as session:
        [route] = list(await session.scalars(select(Route)))
        official = await session.scalar(select(Diagnosis).where(Diagnosis.source == "cnppm"))
        assert official is not None and route.diagnosis_id == official.id
    # The button again: the draft rests on it already.
    app.stub.callback_answers.clear()
    await chat.press_data(redraft["callback_data"])
    assert "устарела" in chat.alerts()[0]
    await chat.press("🗺 Мой ИОМ")
    assert "Составить заново" not in " ".join(chat.buttons())
