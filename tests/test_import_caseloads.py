"""`import caseloads`: who accompanies whom from a CSV or XLSX file — a methodist and a municipality,
a school or a teacher per row — all or nothing, with the same row-by-row report as the catalogues."""

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
from storage.importers import ImportFileError, ImportReport, import_catalogue
from storage.models import AuditEntry, Caseload, Municipality, School, User
from storage.regions_loader import SHIPPED_REGIONS_DIR, load_region, read_region_file
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard

CONSENT = datetime(2026, 9, 1, tzinfo=UTC)
METHODIST, SECOND = 3001, 3002  # Telegram ids
TEACHERS = {  # Telegram id → (ФИО, municipality, school)
    1001: ("Иванова Мария Петровна", "susaninsky", "susaninskaya-soch"),
    1002: ("Петрова Анна Ивановна", "susaninsky", "andreevskaya-soch"),
    1003: ("Смирнова Ольга Павловна", "kostroma", "gimnaziya-1"),
    1004: ("Кузнецова Вера Ильинична", "susaninsky", "susaninskaya-soch"),
    1005: ("Кузнецова Вера Ильинична", "kostroma", "gimnaziya-1"),  # the same name as 1004
}


async def seed_people(session: AsyncSession) -> dict[int, int]:
    """Two methodists, an admin and five teachers of Kostroma; 1004 is with the first methodist by a
    rule. Telegram id → user id."""
    kostroma = select(Municipality).where(Municipality.region_code == "kostroma")
    places = {m.external_id: m.id for m in await session.scalars(kostroma)}
    schools = {
        s.external_id: s.id
        for s in await session.scalars(select(School).where(School.municipality_id.in_(places.values())))
    }
    people = [
        User(telegram_id=METHODIST, role="methodist", full_name="Методистова Анна Сергеевна"),
        User(telegram_id=SECOND, role="methodist", full_name="Бельская Ольга Ивановна"),
        # Staff work at schools too, and are never put into a caseload.
        User(
            telegram_id=ADMIN_ID,
            role="admin",
            full_name="Админов Админ",
            municipality_id=places["susaninsky"],
            school_id=schools["susaninskaya-soch"],
        ),
        *(
            User(
                telegram_id=telegram_id,
                role="teacher",
                full_name=name,
                municipality_id=places[municipality],
                school_id=schools[school],
            )
            for telegram_id, (name, municipality, school) in TEACHERS.items()
        ),
    ]
    for person in people:
        person.locale, person.consent_at, person.region_code = "ru", CONSENT, "kostroma"
        person.profile_completed_at = CONSENT
    session.add_all(people)
    await session.flush()
    ids = {p.telegram_id: p.id for p in people}
    session.add(Caseload(teacher_id=ids[1004], methodist_id=ids[METHODIST], source="rule"))
    await session.commit()
    return ids


async def run_import(database: Database, content: bytes, filename: str = "caseloads.csv") -> ImportReport:
    async with database.sessionmaker() as session:
        report = await import_catalogue(
            session, "caseloads", "kostroma", filename, content, actor_id=None, now=NOW
        )
        if report.applied:
            await session.commit()
    return report


async def caseloads(database: Database) -> dict[int, tuple[int, str]]:
    """Teacher's Telegram id → (methodist's Telegram id, source)."""
    async with database.sessionmaker() as session:
        telegram = {u.id: u.telegram_id for u in await session.scalars(select(User))}
        rows = await session.scalars(select(Caseload))
        return {telegram[r.teacher_id]: (telegram[r.methodist_id], r.source) for r in rows}


GOOD = (
    "methodist,municipality,school,teacher\n"
    f"{METHODIST},Сусанинский муниципальный район,,\n"
    "бельская ольга ивановна,,Андреевская СОШ,\n"  # a school row wins over the municipality's
    f"{SECOND},,,1004\n"  # and a teacher's row over both
)


async def test_a_good_file_assigns_by_municipality_school_and_teacher(database: Database) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
        config = read_region_file(SHIPPED_REGIONS_DIR / "kostroma.yaml")
        # C-5's target (the one setting for teachers per methodist) down to 1.
        indicators = tuple(
            i.model_copy(update={"targets": {2024: 1}}) if i.id == "C-5" else i for i in config.indicators
        )
        await load_region(session, config.model_copy(update={"indicators": indicators}))
        await session.commit()
    report = await run_import(database, GOOD.encode())
    assert report.errors == []
    assert (report.applied, report.created, report.updated) == (True, 2, 1)
    assert report.notices == [
        ("import-caseloads-over-limit", {"name": "Бельская Ольга Ивановна", "count": 2, "limit": 1})
    ]
    assert await caseloads(database) == {
        1001: (METHODIST, "admin"),
        1002: (SECOND, "admin"),
        1004: (SECOND, "admin"),
    }  # 1003 and 1005 work in the city; the admin is staff
    async with database.sessionmaker() as session:
        assert {r.assigned_at for r in await session.scalars(select(Caseload))} == {NOW}
    text = render_report(report, Translations().get("ru"))
    assert (
        "Закрепление педагогов загружено" in text
        and "Закреплены впервые: 2, перешли от другого методиста: 1" in text
    )
    assert (
        "⚠️ У методиста Бельская Ольга Ивановна теперь педагогов: 2 — больше целевого значения региона "
        "(C-5: не более 1 на 1 регионального методиста)." in text
    )
    assert "Методистова" not in text

    # The same file again moves nobody.
    report = await run_import(database, GOOD.encode())
    assert (report.applied, report.created, report.updated) == (True, 0, 0)


async def test_xlsx_with_russian_headers_and_a_school_within_a_municipality(database: Database) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Методист", "Муниципалитет", "Школа", "Педагог"])
    sheet.append([SECOND, "г. Кострома", "Гимназия № 1", None])  # 3002 typed as a number: 3002.0 in Excel
    sheet.append(["Методистова Анна Сергеевна", None, None, "Петрова  Анна Ивановна"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run_import(database, buffer.getvalue(), "caseloads.xlsx")
    assert report.errors == [] and (report.created, report.updated) == (3, 0)
    assert await caseloads(database) == {
        1003: (SECOND, "admin"),
        1005: (SECOND, "admin"),
        1002: (METHODIST, "admin"),
        1004: (METHODIST, "rule"),
    }


async def test_every_bad_row_is_reported_and_nothing_is_written(database: Database) -> None:
    async with database.sessionmaker() as session:
        await seed_people(session)
    bad = (
        "methodist;municipality;school;teacher\n"
        f"{METHODIST};;;1001\n"  # 2: good, but not written
        "Неизвестный Методист;;;1002\n"  # 3: nobody of that name
        "1003;г. Кострома;Гимназия № 1;\n"  # 4: a teacher is not a methodist
        f"{METHODIST};;;Кузнецова Вера Ильинична\n"  # 5: two teachers bear the name
        f"{METHODIST};Сусанинский муниципальный район;;1002\n"  # 6: a teacher and a municipality
        f"{METHODIST};;;\n"  # 7: whom?
        f"{METHODIST};;Школа № 999;\n"  # 8: no such school
        f"{METHODIST};г. Кострома;Андреевская СОШ;\n"  # 9: not a school of that municipality
        f"{SECOND};;;1001\n"  # 10: the teacher of row 2 again
        f"{METHODIST};Нигде;;\n"  # 11: no such municipality
        f"{METHODIST};;;{ADMIN_ID}\n"  # 12: staff are not teachers
        "\n"
        ";Сусанинский муниципальный район;;\n"  # 14: no methodist
    )
    report = await run_import(database, bad.encode())
    assert not report.applied
    assert {(e.row, e.column, e.code) for e in report.errors} == {
        (3, "methodist", "import-err-unknown-methodist"),
        (4, "methodist", "import-err-unknown-methodist"),
        (5, "teacher", "import-err-ambiguous-person"),
        (6, "teacher", "import-err-caseload-one-target"),
        (7, None, "import-err-caseload-no-target"),
        (8, "school", "import-err-unknown-school"),
        (9, "school", "import-err-unknown-school"),
        (10, "teacher", "import-err-duplicate-target"),
        (11, "municipality", "import-err-unknown-municipality"),
        (12, "teacher", "import-err-unknown-teacher"),
        (14, "methodist", "import-err-required"),
    }
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert await caseloads(database) == {1004: (METHODIST, "rule")}
    text = render_report(report, Translations().get("ru"))
    assert "Строка 5, столбец «teacher»: ФИО «Кузнецова Вера Ильинична» носят 2 человека в регионе" in text
    assert "Строка 10, столбец «teacher»: «1001» уже закреплён(а) в строке 2." in text
    assert "Строка 7: Кого закрепить?" in text


async def test_people_on_max_are_named_by_their_max_id(database: Database) -> None:
    """A region on both messengers: «MAX 3001» is the methodist on MAX, a bare 3001 the Telegram
    one; a MAX teacher is named «max:1001» even though a Telegram teacher has the number 1001."""
    async with database.sessionmaker() as session:
        ids = await seed_people(session)
        municipality = await session.scalar(select(User.municipality_id).where(User.id == ids[1001]))
        on_max = [
            User(messenger="max", telegram_id=METHODIST, role="methodist", full_name="Максова Ирина"),
            User(
                messenger="max",
                telegram_id=1001,
                role="teacher",
                full_name="Максимова Юлия",
                municipality_id=municipality,
            ),
        ]
        for person in on_max:
            person.locale, person.consent_at, person.region_code = "ru", CONSENT, "kostroma"
            person.profile_completed_at = CONSENT
        session.add_all(on_max)
        await session.commit()
        max_methodist, max_teacher = on_max[0].id, on_max[1].id
    content = f"methodist;teacher\nMAX {METHODIST};max:1001\n{METHODIST};1001\nМАКС 9999;1002\n"
    report = await run_import(database, content.encode())
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (4, "methodist", "import-err-unknown-methodist")
    ]
    report = await run_import(database, content.rsplit("МАКС", 1)[0].encode())
    assert report.errors == [] and report.applied and report.created == 2
    async with database.sessionmaker() as session:
        assigned = {r.teacher_id: r.methodist_id for r in await session.scalars(select(Caseload))}
    assert assigned[max_teacher] == max_methodist
    assert assigned[ids[1001]] == ids[METHODIST]


async def test_a_file_without_a_target_column_is_refused(database: Database) -> None:
    with pytest.raises(ImportFileError) as refused:
        await run_import(database, f"methodist,name\n{METHODIST},x\n".encode())
    assert refused.value.code == "import-err-missing-columns"
    with pytest.raises(ImportFileError) as refused:
        await run_import(database, b"school\nx\n")
    assert refused.value.code == "import-err-missing-columns"


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_cli_import_caseloads(db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load-demo"]) == 0

    async def seed() -> None:
        engine = create_async_engine(f"sqlite+aiosqlite:///{db_env}")
        async with async_sessionmaker(engine)() as session:
            await seed_people(session)
        await engine.dispose()

    asyncio.run(seed())
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "Никто,,,1003\n", encoding="utf-8")
    assert main(["import", "caseloads", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "не загружен" in out and "Строка 5, столбец «methodist»: Методист «Никто» не найден" in out
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM caseloads").fetchone()[0] == 1

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import", "caseloads", str(good), "--region", "kostroma"]) == 0
    out = capsys.readouterr().out
    assert "Закрепление педагогов загружено" in out and "<b>" not in out
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM caseloads WHERE source = 'admin'").fetchone()[0] == 3
        [(details,)] = conn.execute(
            "SELECT details FROM audit_log WHERE action = 'catalogue.import'"
        ).fetchall()
    assert '"caseloads"' in details

    assert main(["import", "caseloads", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err


async def test_admin_imports_caseloads_in_the_chat(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    methodist = app.chat(METHODIST)
    await onboard(methodist, name="Методистова Анна Сергеевна", birth="01.01.1980", work_start="2005")
    await onboard(app.chat(1001))
    async with app.database.sessionmaker() as session:
        await session.execute(
            User.__table__.update().where(User.telegram_id == METHODIST).values(role="methodist")
        )
        # The ADMIN_IDS admin is stored with a teacher's role today: they work elsewhere here.
        await session.execute(
            User.__table__.update().where(User.telegram_id == ADMIN_ID).values(school_id=None)
        )
        await session.commit()
    await admin.send("/admin")
    await admin.press("Импорт каталогов")
    await admin.press("закрепление педагогов")
    admin.expect("Пришлите файл CSV или XLSX")
    bad = "методист;школа\nНикто;Сусанинская СОШ\n"
    await admin._feed(app.stub.message_update(ADMIN_ID, document=("c.csv", bad.encode("utf-8"))))
    admin.expect("не загружен", "Строка 2, столбец «методист»: Методист «Никто» не найден")
    assert await caseloads(app.database) == {}
    good = f"методист;школа\n{METHODIST};Сусанинская СОШ\n"
    await admin._feed(app.stub.message_update(ADMIN_ID, document=("c.csv", good.encode("utf-8"))))
    admin.expect("Закрепление педагогов загружено", "Закреплены впервые: 1")
    assert await caseloads(app.database) == {1001: (METHODIST, "admin")}
    async with app.database.sessionmaker() as session:
        row = await session.scalar(select(Caseload))
        admin_id = await session.scalar(select(User.id).where(User.telegram_id == ADMIN_ID))
        assert row is not None and (row.assigned_by, row.assigned_at) == (admin_id, NOW)
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "catalogue.import"))
        assert entry is not None and entry.details["kind"] == "caseloads"
