"""`import records`: contests, presented опыт and tutor/expert/jury roles of people and schools from a
CSV or XLSX file — people by ФИО (and organisation), schools by name — all or nothing, a bad row in
every column reported with its row and column; importing the same file again adds nothing."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.__main__ import main
from bot.factory import Database
from handlers.import_report import render_report
from locales import Translations
from storage.importers import ImportFileError, ImportReport
from storage.models import Municipality, ProfessionalRecord, School, User
from storage.records_import import import_records
from tests.conftest import NOW
from tests.test_cli import db_env  # noqa: F401 — the fixture

CONSENT = datetime(2026, 9, 1, tzinfo=UTC)
HEADER = "ФИО,Организация,Школа,Муниципалитет,Вид,Уровень,Название,Результат,Дата\n"
GOOD = (
    HEADER
    + "Сидорова Анна Викторовна,,,,конкурс,региональный,Учитель года — 2026,победитель,15.10.2026\n"
    + "Кузнецова Вера Ильинична,СОШ № 2 г. Петровска,,,роль,муниципальный,Конкурс «Педагогический дебют»,"
    "член жюри,01.11.2026\n" + ",,СОШ № 1 г. Петровска,Петровский муниципальный район,опыт,региональный,"
    "Наставничество в школе,,20.09.2026\n"
    + ",,soch-2-petrovsk,,contest,federal,Школа года,participant,2026-05-01\n"
)


async def seed_people(session: AsyncSession) -> dict[str, int]:
    """Teachers of Петровский район: Сидорова (СОШ № 1), two Кузнецова Вера Ильинична (СОШ № 1 and
    СОШ № 2). Name → user id (the second Кузнецова under «Кузнецова 2»)."""
    petrovsky = await session.scalar(
        select(Municipality).where(
            Municipality.region_code == "saratov", Municipality.external_id == "petrovsky"
        )
    )
    assert petrovsky is not None
    schools = {
        s.external_id: s.id
        for s in await session.scalars(select(School).where(School.municipality_id == petrovsky.id))
    }
    people = {
        "Сидорова": User(
            telegram_id=1101, full_name="Сидорова Анна Викторовна", school_id=schools["soch-1-petrovsk"]
        ),
        "Кузнецова": User(
            telegram_id=1102, full_name="Кузнецова Вера Ильинична", school_id=schools["soch-1-petrovsk"]
        ),
        "Кузнецова 2": User(
            telegram_id=1103, full_name="Кузнецова Вера Ильинична", school_id=schools["soch-2-petrovsk"]
        ),
    }
    for person in people.values():
        person.locale, person.consent_at, person.region_code = "ru", CONSENT, "saratov"
        person.municipality_id, person.role, person.profile_completed_at = petrovsky.id, "teacher", CONSENT
    session.add_all(people.values())
    await session.flush()
    ids = {name: p.id for name, p in people.items()}
    await session.commit()
    return ids


async def run_import(database: Database, content: bytes, filename: str = "records.csv") -> ImportReport:
    async with database.sessionmaker() as session:
        report = await import_records(session, "saratov", filename, content, today=NOW.date())
        if report.applied:
            await session.commit()
    return report


async def stored(database: Database) -> list[ProfessionalRecord]:
    async with database.sessionmaker() as session:
        return list(await session.scalars(select(ProfessionalRecord).order_by(ProfessionalRecord.id)))


async def test_a_good_file_adds_people_and_schools_records_once(database: Database) -> None:
    async with database.sessionmaker() as session:
        ids = await seed_people(session)
    report = await run_import(database, GOOD.encode())
    assert report.applied and report.created == 4, report.errors
    rows = await stored(database)
    assert [(r.user_id, r.kind, r.level, r.result) for r in rows[:2]] == [
        (ids["Сидорова"], "contest", "regional", "winner"),
        (ids["Кузнецова 2"], "role", "municipal", "jury"),  # the organisation told the namesakes apart
    ]
    assert [(r.school_id is not None, r.kind, r.result) for r in rows[2:]] == [
        (True, "experience", None),
        (True, "contest", "participant"),
    ]
    assert {r.source for r in rows} == {"imported"}
    again = await run_import(database, GOOD.encode())
    assert again.applied and again.created == 0
    assert again.notices == [("import-records-already", {"count": 4})]
    assert len(await stored(database)) == 4


BAD_ROWS = [
    # (row, the bad cells, the column reported, the message key)
    (
        "Никто Никтович,,,,конкурс,региональный,Конкурс,участник,01.10.2026",
        "фио",
        "import-err-record-unknown-person",
    ),
    (
        "Сидорова Анна Викторовна,Другая школа,,,конкурс,региональный,Конкурс,участник,01.10.2026",
        "организация",
        "import-err-record-unknown-organisation",
    ),
    (
        "Кузнецова Вера Ильинична,,,,конкурс,региональный,Конкурс,участник,01.10.2026",
        "фио",
        "import-err-record-ambiguous-person",
    ),
    (",,Школа № 999,,опыт,региональный,Опыт,,01.10.2026", "школа", "import-err-unknown-school"),
    (
        ",,СОШ № 1 г. Петровска,Марсианский район,опыт,региональный,Опыт,,01.10.2026",
        "муниципалитет",
        "import-err-unknown-municipality",
    ),
    (
        "Сидорова Анна Викторовна,,СОШ № 1 г. Петровска,,опыт,региональный,Опыт,,01.10.2026",
        None,
        "import-err-record-one-subject",
    ),
    (
        "Сидорова Анна Викторовна,,,,олимпиада,региональный,Конкурс,участник,01.10.2026",
        "вид",
        "import-err-record-kind",
    ),
    (
        ",,СОШ № 1 г. Петровска,,роль,региональный,Экспертиза,эксперт,01.10.2026",
        "вид",
        "import-err-record-school-kind",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,галактический,Конкурс,участник,01.10.2026",
        "уровень",
        "import-err-record-level",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,2026,участник,01.10.2026",
        "название",
        "import-err-record-title",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,,участник,01.10.2026",
        "название",
        "import-err-required",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Конкурс,чемпион,01.10.2026",
        "результат",
        "import-err-record-result",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Конкурс,эксперт,01.10.2026",
        "результат",
        "import-err-record-result",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Конкурс,,01.10.2026",
        "результат",
        "import-err-record-result-missing",
    ),
    (
        "Сидорова Анна Викторовна,,,,опыт,региональный,Опыт,победитель,01.10.2026",
        "результат",
        "import-err-record-result",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Конкурс,участник,32.01.2026",
        "дата",
        "import-err-bad-date",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Конкурс,участник,01.01.2030",
        "дата",
        "import-err-record-date-future",
    ),
    (
        "Сидорова Анна Викторовна,,,,конкурс,региональный,Учитель года — 2026,победитель,15.10.2026",
        None,
        "import-err-record-duplicate",
    ),
]


async def test_a_bad_row_in_every_column_writes_nothing_and_names_row_and_column(database: Database) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
    content = GOOD + "".join(row + "\n" for row, _, _ in BAD_ROWS)
    report = await run_import(database, content.encode())
    assert not report.applied
    got = [(e.row, e.column, e.code) for e in report.errors]
    first = GOOD.count("\n") + 1  # the first bad row's number as the spreadsheet shows it
    assert got == [(first + i, column, code) for i, (_, column, code) in enumerate(BAD_ROWS)]
    assert await stored(database) == []
    text = render_report(
        report, Translations().get("ru"), limit=len(report.errors), plain=True, max_chars=None
    )
    assert "Никто Никтович" in text and "Такая же запись уже есть в строке 2" in text


async def test_missing_columns_and_an_xlsx_file(database: Database) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
    with pytest.raises(ImportFileError) as err:
        await run_import(
            database, "Вид,Уровень,Название,Дата\nконкурс,региональный,Конкурс,01.10.2026\n".encode()
        )
    assert err.value.code == "import-err-missing-columns" and "full_name | school" in str(err.value.args_)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in GOOD.splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    # English headers are accepted too.
    report = await run_import(database, buffer.getvalue(), "records.xlsx")
    assert report.applied and report.created == 4


def test_the_command_line_import(db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert main(["load-demo"]) == 0

    async def seed() -> None:
        engine = create_async_engine(f"sqlite+aiosqlite:///{db_env}")
        async with async_sessionmaker(engine)() as session:
            await seed_people(session)
        await engine.dispose()

    asyncio.run(seed())
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + BAD_ROWS[0][0] + "\n", encoding="utf-8")
    assert main(["import", "records", str(bad), "--region", "saratov"]) == 2
    out = capsys.readouterr().out
    assert "Строка 6, столбец «фио»" in out and "Никто Никтович" in out
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import", "records", str(good), "--region", "saratov"]) == 0
    assert "Записи добавлены: 4" in capsys.readouterr().out
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM professional_records").fetchone()[0] == 4
        assert (
            conn.execute("SELECT count(*) FROM audit_log WHERE action = 'catalogue.import'").fetchone()[0]
            == 1
        )
