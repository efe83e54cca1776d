"""`import statistics`: the official totals per year and unit (region, municipality, school) — the
indicators' denominators — from a CSV or XLSX file, all or nothing, with a bad value reported in
every column, Russian and English headers, a re-import replacing a unit's year."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.__main__ import main
from bot.factory import Database
from handlers.import_report import render_report
from locales import Translations
from storage.importers import ImportReport, import_catalogue
from storage.models import Municipality, OfficialStatistics, School

HEADER = (
    "Год;Уровень;Муниципалитет;Школа;Педагоги;Управленческие кадры;ОО;Управленческие команды;"
    "Молодые педагоги\n"
)
GOOD = (
    HEADER
    + "2025;регион;;;9 500;1 800;520;510;1 100\n"
    + "2025;муниципалитет;Сусанинский муниципальный район;;120;30;12;12;15\n"
    + "2025;школа;susaninsky;Сусанинская СОШ;40;5;;;6\n"
    + "2024;Регион;;;9400;;;;\n"
)


async def run_import(database: Database, content: bytes, filename: str = "statistics.csv") -> ImportReport:
    async with database.sessionmaker() as session:
        report = await import_catalogue(session, "statistics", "kostroma", filename, content)
        if report.applied:
            await session.commit()
    return report


async def stored(database: Database) -> dict[tuple[int, str], tuple[int | None, ...]]:
    async with database.sessionmaker() as session:
        return {
            (s.year, s.unit): (s.teachers, s.managers, s.schools, s.management_teams, s.young_teachers)
            for s in await session.scalars(select(OfficialStatistics))
        }


async def test_a_good_file_loads_every_level(database: Database) -> None:
    report = await run_import(database, GOOD.encode())
    assert report.errors == [] and (report.applied, report.created, report.updated) == (True, 4, 0)
    async with database.sessionmaker() as session:
        susanino = await session.scalar(select(Municipality).where(Municipality.external_id == "susaninsky"))
        assert susanino is not None
        school = await session.scalar(
            select(School).where(School.municipality_id == susanino.id, School.name == "Сусанинская СОШ")
        )
        assert school is not None
        row = await session.scalar(
            select(OfficialStatistics).where(OfficialStatistics.unit == f"m{susanino.id}")
        )
        assert row is not None and row.municipality_id == susanino.id and row.school_id is None
    assert await stored(database) == {
        (2025, "region"): (9500, 1800, 520, 510, 1100),
        (2025, f"m{susanino.id}"): (120, 30, 12, 12, 15),
        (2025, f"s{school.id}"): (40, 5, None, None, 6),
        (2024, "region"): (9400, None, None, None, None),
    }
    text = render_report(report, Translations().get("ru"))
    assert (
        "Официальная статистика загружена" in text and "Новых строк (год и единица): 4, заменено: 0" in text
    )

    # Again, in English, with other counts: the unit's year is replaced whole, the rest kept.
    english = "year,level,municipality,school,teachers,managers\n2025,region,,,9600,\n"
    again = await run_import(database, english.encode())
    assert (again.applied, again.created, again.updated) == (True, 0, 1)
    after = await stored(database)
    assert after[(2025, "region")] == (9600, None, None, None, None)
    assert after[(2024, "region")] == (9400, None, None, None, None)


BAD_ROWS = [
    # (the row, the column named in the report, the message's key)
    ("20x5;регион;;;10;;;;", "Год", "import-err-not-integer"),
    ("1990;регион;;;10;;;;", "Год", "import-err-out-of-range"),
    (";регион;;;10;;;;", "Год", "import-err-required"),
    ("2025;область;;;10;;;;", "Уровень", "import-err-stat-bad-level"),
    ("2025;муниципалитет;Атлантида;;10;;;;", "Муниципалитет", "import-err-unknown-municipality"),
    ("2025;муниципалитет;;;10;;;;", "Муниципалитет", "import-err-stat-unit-needed"),
    ("2025;регион;Сусанинский муниципальный район;;10;;;;", "Муниципалитет", "import-err-stat-unit-extra"),
    ("2025;школа;susaninsky;Школа № 999;10;;;;", "Школа", "import-err-unknown-school"),
    ("2025;школа;susaninsky;;10;;;;", "Школа", "import-err-stat-unit-needed"),
    ("2025;муниципалитет;susaninsky;Сусанинская СОШ;10;;;;", "Школа", "import-err-stat-unit-extra"),
    ("2025;регион;;;много;;;;", "Педагоги", "import-err-not-integer"),
    ("2025;регион;;;10;-3;;;", "Управленческие кадры", "import-err-out-of-range"),
    ("2025;регион;;;10;;пять;;", "ОО", "import-err-not-integer"),
    ("2025;регион;;;10;;5;6;", "Управленческие команды", "import-err-stat-more-than"),
    ("2025;регион;;;10;;;;11", "Молодые педагоги", "import-err-stat-more-than"),
    ("2025;регион;;;;;;;", None, "import-err-stat-no-counts"),
]


@pytest.mark.parametrize(("row", "column", "code"), BAD_ROWS)
async def test_a_bad_value_in_every_column_rejects_the_file(
    database: Database, row: str, column: str | None, code: str
) -> None:
    content = (GOOD + row + "\n").encode()
    report = await run_import(database, content)
    assert not report.applied and await stored(database) == {}
    (error,) = report.errors
    # The column as the file names it (headers are read case-insensitively: normalised).
    assert (error.row, error.column, error.code) == (6, column and column.lower(), code)
    text = render_report(report, Translations().get("ru"))
    assert "не загружен" in text and "Строка 6" in text


async def test_the_same_unit_and_year_twice(database: Database) -> None:
    report = await run_import(database, (GOOD + "2025;Регион;;;1;;;;\n").encode())
    (error,) = report.errors
    assert (error.row, error.code, error.args) == (6, "import-err-stat-duplicate", {"first_row": "2"})


async def test_xlsx(database: Database) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Год", "Уровень", "Муниципалитет", "Школа", "Педагоги", "Молодые педагоги"])
    sheet.append([2025, "муниципалитет", "Сусанинский муниципальный район", None, 120, 15])
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run_import(database, buffer.getvalue(), "statistics.xlsx")
    assert report.applied and report.created == 1


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_cli_import_statistics(db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-demo"]) == 0
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "2025;регион;;;много;;;;\n", encoding="utf-8")
    assert main(["import", "statistics", str(bad), "--region", "kostroma"]) == 2
    out = capsys.readouterr().out
    assert "Строка 6, столбец «педагоги»: «много» — не целое число." in out
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM official_statistics").fetchone()[0] == 0
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import", "statistics", str(good), "--region", "kostroma"]) == 0
    assert "Официальная статистика загружена" in capsys.readouterr().out
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM official_statistics").fetchone()[0] == 4
