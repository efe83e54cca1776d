"""Catalogue import: formats, validation of every row, all-or-nothing writes, reports and the CLI."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.__main__ import main
from bot.factory import Database
from domain.framework import AREA_CODES
from handlers.import_report import render_file_error, render_report
from locales import Translations, message_keys
from storage.importers import (
    ImportFileError,
    ImportReport,
    RowError,
    import_catalogue,
    load_demo_catalogue,
    read_table,
)
from storage.models import Event, InternshipSite, Municipality, Program, School

ACADEMY = "ФГАОУ ДПО «Академия Минпросвещения России»"
PROGRAMS = (
    "external_id,title,provider,hours,format,federal_registry,areas,subjects,url\n"
    f'p-1,Школа современного учителя математики,{ACADEMY},72,дистанционно,да,"Предметные, methodical",'
    "Математика,https://apkpro.ru/\n"
    "p-2,Цифровые образовательные ресурсы,ОГБОУ ДПО «КОИРО»,24,Очно,,IT- и цифровые,,\n"
)


async def run_import(
    database: Database, kind: str, content: bytes, filename: str = "file.csv", region: str = "kostroma"
) -> ImportReport:
    async with database.sessionmaker() as session:
        report = await import_catalogue(session, kind, region, filename, content)
        if report.applied:
            await session.commit()
    return report


async def count(database: Database, model: type) -> int:
    async with database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def codes(report: ImportReport) -> set[tuple[int, str | None, str]]:
    return {(e.row, e.column, e.code) for e in report.errors}


async def test_csv_import_then_reimport_updates(database: Database) -> None:
    report = await run_import(database, "programs", PROGRAMS.encode())
    assert report.errors == []
    assert (report.applied, report.created, report.updated) == (True, 2, 0)

    changed = PROGRAMS.replace("Цифровые образовательные ресурсы", "Цифровые ресурсы в работе педагога")
    changed += "p-3,Формирование функциональной грамотности,ОГБОУ ДПО «КОИРО»,36,смешанно,нет,psych_ped,,\n"
    report = await run_import(database, "programs", changed.encode())
    assert (report.applied, report.created, report.updated) == (True, 1, 2)
    assert await count(database, Program) == 3

    async with database.sessionmaker() as session:
        programs = {p.external_id: p for p in await session.scalars(select(Program))}
    math, digital = programs["p-1"], programs["p-2"]
    assert (math.hours, math.format, math.federal_registry) == (72, "distance", True)
    assert (math.areas, math.subjects, math.url) == (
        ["subject", "methodical"],
        ["math"],
        "https://apkpro.ru/",
    )
    assert (digital.title, digital.format, digital.federal_registry) == (
        "Цифровые ресурсы в работе педагога",
        "ochno",
        False,
    )
    assert (digital.areas, digital.subjects, digital.url, digital.region_code) == (
        ["it_digital"],
        [],
        None,
        "kostroma",
    )


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_xlsx_with_russian_headers_and_date_cells(database: Database) -> None:
    header = [
        "ID",
        "Организация",
        "Муниципалитет",
        "Тема",
        "Области",
        "Предметы",
        "Начало",
        "Окончание",
        "Мест",
    ]
    good = [
        "s-1",
        "СОШ № 2",
        "Г. ШАРЬЯ",  # names match whatever the case
        "Проектная деятельность",
        "Методические",
        "Физика; Химия",
        datetime(2027, 1, 18),  # a date cell
        "22.01.2027",
        10.0,  # Excel keeps numbers as floats
    ]
    bad = ["s-2", "СОШ № 4", "г. Шарья", "Тема", "Методические", "", "2027-02-01", "2027-02-05", 12.5]
    # Row 2 is left blank: numbering must still match what Excel shows.
    report = await run_import(database, "sites", xlsx([header, [], good, bad]), filename="Площадки.XLSX")
    assert codes(report) == {(4, "мест", "import-err-not-integer")}
    assert await count(database, InternshipSite) == 0

    report = await run_import(database, "sites", xlsx([[*header, "Формат"], [*good, "смешанно"]]), "s.xlsx")
    assert report.errors == []
    assert (report.applied, report.created) == (True, 1)
    async with database.sessionmaker() as session:
        site = await session.scalar(select(InternshipSite))
        assert site is not None
        municipality = await session.get(Municipality, site.municipality_id)
    assert municipality is not None and municipality.name == "г. Шарья"
    assert (site.starts_on, site.ends_on) == (date(2027, 1, 18), date(2027, 1, 22))
    assert (site.seats, site.format, site.subjects, site.areas) == (
        10,
        "mixed",
        ["physics", "chemistry"],
        ["methodical"],
    )


async def test_cp1251_with_semicolons_and_local_time(database: Database) -> None:
    text = (
        "Код;Название;Вид;Дата и время;Место;Области;Мест\r\n"
        "e-1;Смысловое чтение;Мастер-класс;10.12.2026 14:00;Гимназия № 3, г. Шарья;"
        "Методические, Предметные;25\r\n"
        "e-2;Моя школа;вебинар;2026-12-17T15:30;;;\r\n"
    )
    report = await run_import(database, "events", text.encode("cp1251"))
    assert report.errors == []
    assert report.created == 2
    async with database.sessionmaker() as session:
        events = {e.external_id: e for e in await session.scalars(select(Event))}
    first, second = events["e-1"], events["e-2"]
    # Europe/Moscow is UTC+3 all year.
    assert first.starts_at == datetime(2026, 12, 10, 11, 0, tzinfo=UTC)
    assert (first.kind, first.duration_minutes, first.seats, first.place) == (
        "master_class",
        90,
        25,
        "Гимназия № 3, г. Шарья",
    )
    assert first.areas == ["methodical", "subject"]
    assert second.starts_at == datetime(2026, 12, 17, 12, 30, tzinfo=UTC)
    assert (second.kind, second.seats, second.place, second.areas) == ("webinar", None, None, [])


async def test_every_bad_row_is_reported_and_nothing_is_written(database: Database) -> None:
    text = "\n".join(
        [
            "external_id,title,provider,hours,format,areas,url",
            "ok-1,Хорошая программа,КОИРО,36,очно,methodical,",  # row 2: fine
            "bad-3,Программа,КОИРО,много,заочно,methodical,",  # row 3: two errors
            "bad-4,,КОИРО,36,очно,methodical,",  # row 4: title empty
            "bad-5,Программа,КОИРО,36,очно,магия,",  # row 5: unknown area
            ",,,,,,",  # row 6: blank, skipped
            "bad-7,Программа,КОИРО,5000,очно,methodical,ftp://example.org",  # row 7: two errors
            "bad-8," + "Я" * 501 + ",КОИРО,36,очно,,",  # row 8: too long, areas empty
        ]
    )
    report = await run_import(database, "programs", text.encode())
    assert not report.applied
    assert codes(report) == {
        (3, "hours", "import-err-not-integer"),
        (3, "format", "import-err-bad-format"),
        (4, "title", "import-err-required"),
        (5, "areas", "import-err-unknown-area"),
        (7, "hours", "import-err-out-of-range"),
        (7, "url", "import-err-bad-url"),
        (8, "title", "import-err-too-long"),
        (8, "areas", "import-err-required"),
    }
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert next(e for e in report.errors if e.code == "import-err-too-long").args == {
        "max": 500,
        "length": 501,
    }
    assert next(e for e in report.errors if e.code == "import-err-unknown-area").args["value"] == "магия"
    assert await count(database, Program) == 0


async def test_unknown_municipality_and_date_order(database: Database) -> None:
    text = (
        "external_id;organisation;municipality;topic;areas;starts_on;ends_on;seats\n"
        "s-1;СОШ № 9;г. Неизвестный;Тема;Методические;01.02.2027;05.02.2027;10\n"
        "s-2;СОШ № 9;г. Буй;Тема;Методические;05.02.2027;01.02.2027;0\n"
        "s-3;СОШ № 9;г. Буй;Тема;Методические;31.02.2027;2027-13-01;5\n"
    )
    report = await run_import(database, "sites", text.encode())
    assert codes(report) == {
        (2, "municipality", "import-err-unknown-municipality"),
        (3, "seats", "import-err-out-of-range"),
        (3, "ends_on", "import-err-date-order"),
        (4, "starts_on", "import-err-bad-date"),
        (4, "ends_on", "import-err-bad-date"),
    }
    assert report.errors[0].args["value"] == "г. Неизвестный"
    assert await count(database, InternshipSite) == 0


async def test_missing_required_column_is_a_file_error(database: Database) -> None:
    text = "external_id,название,provider,format,areas\np-1,Программа,КОИРО,очно,methodical\n"
    with pytest.raises(ImportFileError) as caught:
        await run_import(database, "programs", text.encode())
    assert caught.value.code == "import-err-missing-columns"
    assert "hours" in str(caught.value.args_["columns"])
    assert "title" not in str(caught.value.args_["columns"])  # «название» is its alias


async def test_duplicate_external_id_in_file(database: Database) -> None:
    text = PROGRAMS + "p-1,Ещё раз,КОИРО,36,очно,,methodical,,\n"
    report = await run_import(database, "programs", text.encode())
    assert codes(report) == {(4, "external_id", "import-err-duplicate-id")}
    assert report.errors[0].args == {"value": "p-1", "first_row": "2"}
    assert await count(database, Program) == 0


async def test_external_id_of_another_region_is_not_taken_over(database: Database) -> None:
    assert (await run_import(database, "programs", PROGRAMS.encode())).applied
    report = await run_import(database, "programs", PROGRAMS.encode(), region="kuzbass")
    assert codes(report) == {
        (2, "external_id", "import-err-foreign-id"),
        (3, "external_id", "import-err-foreign-id"),
    }
    async with database.sessionmaker() as session:
        assert set(await session.scalars(select(Program.region_code))) == {"kostroma"}


async def test_schools_are_added_to_the_municipality_and_updated(database: Database) -> None:
    text = (
        "муниципалитет,id,название,годы\n"
        'г. Галич,soch-1,СОШ № 1,"2024, 2025"\n'
        "г. Буй,soch-9,СОШ № 9 г. Буя,\n"
    )
    before = await count(database, School)
    report = await run_import(database, "schools", text.encode())
    # Буй's СОШ № 9 comes from the region file: it is renamed, not duplicated.
    assert (report.applied, report.created, report.updated) == (True, 1, 1)
    assert await count(database, School) == before + 1
    async with database.sessionmaker() as session:
        school = await session.scalar(
            select(School)
            .join(Municipality)
            .where(Municipality.name == "г. Галич", School.external_id == "soch-1")
        )
        assert school is not None and school.internship_site_years == [2024, 2025]
        renamed = await session.scalar(select(School).where(School.name == "СОШ № 9 г. Буя"))
        assert renamed is not None

    bad = "municipality,external_id,name,internship_site_years\nг. Галич,soch-2,СОШ № 2,двадцать\n"
    assert codes(await run_import(database, "schools", bad.encode())) == {
        (2, "internship_site_years", "import-err-bad-years")
    }


async def test_file_level_errors(database: Database) -> None:
    cases = [
        ("programs.xls", b"\xd0\xcf\x11\xe0", "import-err-unknown-format"),
        ("programs.csv", b"", "import-err-empty"),
        ("programs.csv", b"external_id,title\n\n\n", "import-err-empty"),
        ("programs.xlsx", b"not a zip", "import-err-unreadable"),
        ("programs.csv", b"title,Title\nx,y\n", "import-err-duplicate-column"),
    ]
    for filename, content, code in cases:
        with pytest.raises(ImportFileError) as caught:
            await run_import(database, "programs", content, filename=filename)
        assert caught.value.code == code, filename
    too_many = "external_id\n" + "x\n" * 10_001
    with pytest.raises(ImportFileError) as caught:
        read_table("big.csv", too_many.encode())
    assert caught.value.code == "import-err-too-many-rows"
    with pytest.raises(ImportFileError) as caught:
        await run_import(database, "programs", PROGRAMS.encode(), region="atlantis")
    assert caught.value.code == "import-err-unknown-region"


def test_read_table_normalises_headers_and_keeps_row_numbers() -> None:
    rows = read_table("x.csv", "\ufeff Title ;AREAS\n  a  ; b\n;\nc;d\n;\n".encode())
    assert rows == [{"title": "a", "areas": "b"}, {"title": "", "areas": ""}, {"title": "c", "areas": "d"}]
    tabbed = read_table("x.tsv", b"a\tb\n1\t2\n")
    assert tabbed == [{"a": "1", "b": "2"}]


async def test_demo_catalogue_loads(database: Database) -> None:
    async with database.sessionmaker() as session:
        reports = await load_demo_catalogue(session)
        await session.commit()
    assert all(r.applied and r.created > 0 for r in reports)
    async with database.sessionmaker() as session:
        programs = list(await session.scalars(select(Program)))
        sites = list(await session.scalars(select(InternshipSite)))
        events = list(await session.scalars(select(Event)))
    assert len(programs) >= 12
    for area in AREA_CODES:
        assert sum(area in p.areas for p in programs) >= 2, area
    assert {p.federal_registry for p in programs} == {True, False}
    assert all(s.municipality_id is not None and s.region_code == "kostroma" for s in sites)
    assert any(s.seats == 1 for s in sites)
    assert {"seminar", "webinar", "master_class", "readings", "conference", "contest"} <= {
        e.kind for e in events
    }
    async with database.sessionmaker() as session:  # loading again updates, never duplicates
        assert all(r.created == 0 for r in await load_demo_catalogue(session))


def test_every_error_code_has_a_message_in_both_languages() -> None:
    source = Path("storage/importers.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(import-err-[a-z-]+)"', source))
    assert len(used) > 15
    for locale in ("ru", "en"):
        assert used - message_keys(locale) == set(), locale


def test_report_rendering(translations: Translations) -> None:
    t = translations.get("ru")
    ok = render_report(ImportReport("programs", created=5, updated=21, applied=True), t)
    assert "Добавлено 5 записей" in ok and "обновлена 21 запись" in ok

    errors = [RowError(n, "title", "import-err-too-long", {"max": 500, "length": 900}) for n in range(2, 102)]
    errors.append(RowError(200, None, "import-err-bad-url", {"value": "<script>"}))
    failed = ImportReport("sites", errors=errors)
    text = render_report(failed, t)
    assert "найдено 101 ошибка" not in text and "найдена 101 ошибка" in text
    assert "Строка 2, столбец «title»" in text
    assert "…и ещё 71 ошибка" in text
    assert len(text) < 4096

    everything = render_report(failed, t, limit=1000, plain=True, max_chars=None)
    assert "Строка 200: Ссылка «<script>»" in everything and "<b>" not in everything
    long_values = [RowError(n, "url", "import-err-bad-url", {"value": "x" * 80}) for n in range(2, 500)]
    assert len(render_report(ImportReport("events", errors=long_values), t, limit=500)) < 4096

    en = translations.get("en")
    assert "1 record added, 0 records updated" in render_report(
        ImportReport("events", created=1, applied=True), en
    )
    error = ImportFileError("import-err-missing-columns", columns="hours (часы)")
    assert render_file_error(error, t) == "Нет обязательных столбцов: hours (часы)."


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_cli_import(db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "programs.csv"
    good.write_text(PROGRAMS, encoding="utf-8")
    assert main(["import", "programs", str(good)]) == 0
    out = capsys.readouterr().out
    assert "Каталог «программы ДПП» загружен" in out and "Добавлено 2 записи" in out and "<b>" not in out

    bad = tmp_path / "bad.csv"
    bad.write_text(PROGRAMS.replace("72", "семьдесят"), encoding="utf-8")
    assert main(["import", "programs", str(bad), "--region", "kostroma"]) == 2
    out = capsys.readouterr().out
    assert "не загружен" in out and "Строка 2, столбец «hours»: «семьдесят» — не целое число." in out

    assert main(["import", "programs", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err
    assert main(["import", "sites", str(good)]) == 2  # a programmes file is not a sites file
    assert "Нет обязательных столбцов" in capsys.readouterr().err

    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM programs").fetchone()[0] == 2
        assert conn.execute("SELECT hours FROM programs WHERE external_id = 'p-1'").fetchone()[0] == 72


def test_cli_load_demo_loads_the_catalogue(db_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-demo"]) == 0
    assert "loaded demo programs" in capsys.readouterr().out
    assert main(["load-demo"]) == 0
    with sqlite3.connect(db_env) as conn:
        programs = conn.execute("SELECT count(*) FROM programs").fetchone()[0]
        sites = conn.execute("SELECT count(*) FROM internship_sites").fetchone()[0]
    assert programs >= 12 and sites >= 10


async def test_admin_imports_a_catalogue_in_the_chat(app) -> None:
    from sqlalchemy import func, select

    from storage.models import Program
    from tests.conftest import ADMIN_ID
    from tests.flows import onboard

    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Импорт каталогов")
    await admin.press("программы ДПП")
    admin.expect("Пришлите файл CSV или XLSX")
    bad = "external_id;title;provider;hours;format;areas\nx1;Курс;КОИРО;много;очно;Методические\n"
    await admin._feed(app.stub.message_update(ADMIN_ID, document=("programs.csv", bad.encode("utf-8"))))
    admin.expect("Строка 2", "часы" if "часы" in admin.text else "hours")
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Program)) == 0
    good = "external_id;title;provider;hours;format;areas\nx1;Курс <b>;КОИРО;36;очно;Методические\n"
    await admin._feed(app.stub.message_update(ADMIN_ID, document=("programs.csv", good.encode("utf-8"))))
    async with app.database.sessionmaker() as session:
        program = await session.scalar(select(Program))
        assert program is not None and program.title == "Курс <b>" and program.hours == 36
    teacher = app.chat(2002)
    await onboard(teacher, name="Петров Пётр")
    from handlers.callbacks import AdminAction, AdminCb

    await teacher.press_data(AdminCb(action=AdminAction.IMPORT_KIND, kind_index=0).pack())
    assert "Нет доступа" in teacher.alerts()[-1]
