"""Monitoring indicators: hand-computed values on a seeded region, recommendations, the admin's
summary, the XLSX report, the audit log, access, and a fixed number of queries."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import event, func, select

from bot.factory import Database
from domain.indicators import MethodistLoad, RegionFacts, Status, caseload_value, compute, needed
from handlers.callbacks import AdminCb
from storage.audit import audit
from storage.indicators import load_facts, region_report
from storage.models import (
    Caseload,
    Diagnosis,
    Event,
    EventResponse,
    InternshipApplication,
    InternshipSite,
    MentorPair,
    Municipality,
    Program,
    Route,
    RouteItem,
    School,
    User,
)
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard

TODAY = date(2026, 11, 22)
YOUNG = {"birth_date": date(2000, 1, 1), "work_start_year": 2025}
SENIOR = {"birth_date": date(1980, 1, 1), "work_start_year": 2005}
_telegram = iter(range(50_000, 60_000))


@dataclass
class Seeded:
    ids: dict[str, int]
    mun_a: str
    mun_b: str
    school_a: str
    school_b: str


async def _two_municipalities(session) -> list[tuple[Municipality, School]]:  # type: ignore[no-untyped-def]
    rows = (
        await session.execute(
            select(Municipality, School)
            .join(School, School.municipality_id == Municipality.id)
            .where(Municipality.region_code == "kostroma")
            .order_by(Municipality.id, School.id)
        )
    ).all()
    picked: dict[int, tuple[Municipality, School]] = {}
    for municipality, school in rows:
        picked.setdefault(municipality.id, (municipality, school))
    return list(picked.values())[:2]


def _person(
    name: str, municipality: Municipality, school: School, *, position: str = "teacher", **extra
) -> User:  # type: ignore[no-untyped-def]
    data = {**SENIOR, **extra}
    return User(
        telegram_id=data.pop("telegram_id", None) or next(_telegram),
        locale="ru",
        role=data.pop("role", "teacher"),
        consent_at=NOW,
        profile_completed_at=data.pop("profile_completed_at", NOW),
        full_name=name,
        position=position,
        region_code=data.pop("region_code", "kostroma"),
        municipality_id=municipality.id,
        school_id=school.id,
        subjects=["math"],
        **data,
    )


def _diagnosis(
    user: User, source: str, deficits: list[str], days_ago: int, status: str = "done"
) -> Diagnosis:
    return Diagnosis(
        user_id=user.id,
        source=source,
        framework_version="efs-2026",
        status=status,
        finished_at=NOW - timedelta(days=days_ago) if status == "done" else None,
        deficits=deficits,
    )


def _route(user: User, diagnosis: Diagnosis | None, status: str, days_ago: int) -> Route:
    return Route(
        user_id=user.id,
        diagnosis_id=diagnosis.id if diagnosis else None,
        status=status,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=365),
        created_at=NOW - timedelta(days=days_ago),
    )


def _item(
    route: Route, kind: str, area: str, *, program: Program | None = None, done: bool = True
) -> RouteItem:
    return RouteItem(
        route_id=route.id,
        area=area,
        kind=kind,
        form="formal",
        title=f"{kind} {area}",
        program_id=program.id if program else None,
        due_on=TODAY,
        status="done" if done else "planned",
    )


async def seed(database: Database) -> Seeded:
    """Six people in two municipalities of Kostroma, plus people who must not count.

    mA / school sA: T1 young teacher, T2 young teacher, M1 head (manager)
    mB / school sB: T3 senior teacher, T4 young teacher, M2 deputy head (manager)
    """
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Program)) == 0
        (mun_a, school_a), (mun_b, school_b) = await _two_municipalities(session)
        t1 = _person("Т1 Первая", mun_a, school_a, **YOUNG)
        t2 = _person("Т2 Вторая", mun_a, school_a, **YOUNG)
        m1 = _person("М1 Директор", mun_a, school_a, position="head")
        t3 = _person("Т3 Третья", mun_b, school_b)
        t4 = _person("Т4 Четвёртая", mun_b, school_b, **YOUNG)
        m2 = _person("М2 Завуч", mun_b, school_b, position="deputy")
        # Not in the population: another region, an unfinished profile, a methodist.
        other = _person("Х Кузбасс", mun_a, school_a, region_code="kuzbass")
        unfinished = _person("Х Незаполненный", mun_a, school_a, profile_completed_at=None)
        met1 = _person("Методистова Анна", mun_a, school_a, role="methodist")
        met2 = _person("Бельская Ольга", mun_b, school_b, role="methodist")
        session.add_all([t1, t2, m1, t3, t4, m2, other, unfinished, met1, met2])
        federal = Program(
            external_id="p-fed",
            title="ФР",
            provider="КОИРО",
            hours=36,
            format="distance",
            federal_registry=True,
            region_code="kostroma",
        )
        regional = Program(
            external_id="p-reg",
            title="Рег",
            provider="КОИРО",
            hours=24,
            format="ochno",
            federal_registry=False,
            region_code="kostroma",
        )
        federal2 = Program(
            external_id="p-fed2",
            title="ФР 2",
            provider="КОИРО",
            hours=36,
            format="mixed",
            federal_registry=True,
            region_code="kostroma",
        )
        elsewhere = Program(
            external_id="p-nowhere",
            title="Без региона",
            provider="Академия",
            hours=72,
            format="distance",
            federal_registry=True,
            region_code=None,
        )
        session.add_all([federal, regional, federal2, elsewhere])
        await session.flush()

        d1_self = _diagnosis(t1, "self", ["methodical"], 30)
        d1 = _diagnosis(t1, "cnppm", ["methodical", "it_digital"], 20)
        d2 = _diagnosis(t2, "self", ["methodical"], 15)
        dm1 = _diagnosis(m1, "cnppm", ["management"], 40)
        d3 = _diagnosis(t3, "cnppm", ["methodical"], 0, status="in_progress")
        d4 = _diagnosis(t4, "self", ["psychological"], 12)
        d_other = _diagnosis(other, "cnppm", ["methodical"], 5)
        session.add_all([d1_self, d1, d2, dm1, d3, d4, d_other])
        await session.flush()

        r1 = _route(t1, d1, "active", 10)
        r2 = _route(t2, d2, "draft", 5)
        rm1 = _route(m1, dm1, "completed", 10)
        r3 = _route(t3, None, "active", 3)
        r4 = _route(t4, d4, "active", 10)
        session.add_all([r1, r2, rm1, r3, r4])
        await session.flush()
        session.add_all(
            [
                _item(r1, "course", "methodical", program=federal),  # ФР ДПП + a deficit of d1: counts
                _item(r1, "internship", "methodical"),
                _item(r2, "course", "it_digital", program=federal),  # not a deficit of d2: doesn't count
                _item(rm1, "course", "management", program=regional),  # a manager's course: C-4
                _item(r3, "course", "methodical", program=federal),  # route without a diagnosis
                _item(r4, "mentorship", "psychological", done=False),  # approved route with mentorship
                _item(r4, "course", "psychological", program=regional),  # not ФР ДПП
            ]
        )
        session.add_all(
            [
                MentorPair(mentee_id=t1.id, mentor_id=m1.id, form="young", status="active"),
                MentorPair(mentee_id=t2.id, mentor_id=m1.id, form="young", status="closed"),
                *(Caseload(teacher_id=p.id, methodist_id=met1.id) for p in (t1, t2, m1, t3, t4)),
                Caseload(teacher_id=m2.id, methodist_id=met2.id),
            ]
        )
        site = InternshipSite(
            external_id="s-1",
            region_code="kostroma",
            organisation="Гимназия",
            topic="ФГОС",
            starts_on=TODAY,
            ends_on=TODAY,
            seats=5,
        )
        meeting = Event(
            external_id="e-1", region_code="kostroma", title="Семинар", kind="seminar", starts_at=NOW
        )
        session.add_all([site, meeting])
        await session.flush()
        session.add_all(
            [
                InternshipApplication(site_id=site.id, user_id=t2.id, status="applied"),
                InternshipApplication(site_id=site.id, user_id=t3.id, status="cancelled"),
                EventResponse(event_id=meeting.id, user_id=t1.id, going=True, attended=True),
                EventResponse(event_id=meeting.id, user_id=t2.id, going=True, attended=False),
                EventResponse(event_id=meeting.id, user_id=t3.id, going=False),
            ]
        )
        await session.commit()
        ids = {"t1": t1.id, "t2": t2.id, "m1": m1.id, "t3": t3.id, "t4": t4.id, "m2": m2.id, "met1": met1.id}
        return Seeded(ids, mun_a.name, mun_b.name, school_a.name, school_b.name)


async def _report(database: Database):  # type: ignore[no-untyped-def]
    async with database.sessionmaker() as session:
        report, _ = await region_report(session, "kostroma", TODAY)
    return report


def _v(unit, key):  # type: ignore[no-untyped-def]
    value = unit.values[key]
    return (
        value.numerator,
        value.denominator,
        None if value.value is None else round(value.value, 1),
        value.status,
    )


async def test_region_indicators_match_hand_computed_values(database: Database) -> None:
    await seed(database)
    region = (await _report(database)).region
    # Population: T1 T2 M1 T3 T4 M2 = 6 (the Kuzbass teacher, the unfinished profile and the
    # methodists are not in it).
    assert region.people == 6
    # R-1: official ЦНППМ results: T1, M1 = 2/6. T2 and T4 have self-diagnoses only, T3's
    # ЦНППМ diagnosis is unfinished: none of them counts.
    assert _v(region, "r1") == (2, 6, 33.3, Status.NO_TARGET)
    # R-2: routes with a diagnosis: T1, T2, M1, T4 = 4/6 (T3's route has none).
    assert _v(region, "r2") == (4, 6, 66.7, Status.NO_TARGET)
    # C-3: педагоги T1 T2 T3 T4 = 4; only T1's ФР ДПП course addresses a deficit of the route's
    # diagnosis (T2: it_digital ∉ {methodical}; T3: no diagnosis; T4: not ФР ДПП) → 1/4 = 25% < 30%.
    assert _v(region, "c3") == (1, 4, 25.0, Status.BELOW)
    # C-4: schools with managers: sA (M1 did a course), sB (M2 didn't) → 1/2 = 50% ≥ 40%.
    assert _v(region, "c4") == (1, 2, 50.0, Status.MEETS)
    # C-5: methodist 1 has T1 T2 M1 T3 T4 = 5, methodist 2 has M2 = 1 → 6/2 = 3 on average, max 5.
    c5 = region.values["c5"]
    assert (c5.numerator, c5.denominator, c5.value, c5.maximum, c5.status) == (6, 2, 3.0, 5, Status.MEETS)
    # C-6: young педагоги T1 T2 T4 = 3; T1 (active pair), T4 (active ИОМ with mentorship) → 2/3 = 66.7% < 70%.
    # T2's pair is closed.
    assert _v(region, "c6") == (2, 3, 66.7, Status.BELOW)
    # Kostroma's programmes: p-fed, p-reg, p-fed2 → 2 in ФР ДПП / 3 (p-nowhere has no region).
    assert _v(region, "r6") == (2, 3, 66.7, Status.NO_TARGET)


async def test_operational_figures(database: Database) -> None:
    await seed(database)
    figures = (await _report(database)).region.figures
    # Self-diagnoses done: T1, T2, T4 = 3/6.
    assert (figures["self_diag"].numerator, figures["self_diag"].denominator) == (3, 6)
    # Routes on a ЦНППМ diagnosis: T1, M1 = 2/6.
    assert (figures["route_cnppm"].numerator, figures["route_cnppm"].denominator) == (2, 6)
    # Days from the first finished diagnosis to the first route: T1 30-10 = 20, T2 15-5 = 10,
    # M1 40-10 = 30, T4 12-10 = 2 → median of [2, 10, 20, 30] = 15.
    assert figures["days_to_route"].value == 15
    # Completed routes: M1 of 5 people with a route = 1/5 = 20%.
    assert (figures["route_done"].numerator, figures["route_done"].denominator) == (1, 5)
    assert figures["internships_applied"].numerator == 1  # T2 (T3 cancelled)
    assert figures["internships_done"].numerator == 1  # T1's internship item
    assert figures["mentor_pairs"].numerator == 1  # T1's (T2's is closed)
    # Events: attended T1 of going T1, T2 → 1/2 (T3 said «Не смогу»).
    assert (figures["events"].numerator, figures["events"].denominator) == (1, 2)


async def test_municipalities_schools_and_recommendations(database: Database) -> None:
    seeded = await seed(database)
    report = await _report(database)
    by_name = {u.name: u for u in report.municipalities}
    a, b = by_name[seeded.mun_a], by_name[seeded.mun_b]
    # mA (T1 T2 M1): R-1 T1 M1 = 2/3; C-3 1/2 = 50% meets; C-4 sA 1/1; C-6 young T1 T2 → 1/2 = 50% < 70%.
    assert _v(a, "r1") == (2, 3, 66.7, Status.NO_TARGET)
    assert _v(a, "c3") == (1, 2, 50.0, Status.MEETS)
    assert _v(a, "c4") == (1, 1, 100.0, Status.MEETS)
    assert _v(a, "c6") == (1, 2, 50.0, Status.BELOW)
    # mB (T3 T4 M2): R-1 0/3; C-3 0/2 = 0%; C-4 sB 0/1 = 0%; C-6 T4 1/1 = 100%.
    assert _v(b, "r1") == (0, 3, 0.0, Status.NO_TARGET)
    assert _v(b, "c3") == (0, 2, 0.0, Status.BELOW)
    assert _v(b, "c4") == (0, 1, 0.0, Status.BELOW)
    assert _v(b, "c6") == (1, 1, 100.0, Status.MEETS)
    assert "c5" not in a.values and "r6" not in a.values  # region-level only
    schools = {u.name: u for u in report.schools}
    assert _v(schools[seeded.school_b], "c4") == (0, 1, 0.0, Status.BELOW)

    recs = {(r.level, r.name, r.indicator): r.args for r in report.recommendations}
    # Region: C-3 needs ⌈0.30·4⌉ − 1 = 1 more; C-6 needs ⌈0.70·3⌉ − 2 = 1 more, 1 unsupported.
    assert recs[("region", None, "c3")] == {"needed": 1, "num": 1, "den": 4, "target": 30}
    assert recs[("region", None, "c6")] == {"needed": 1, "unsupported": 1, "den": 3, "target": 70}
    # mA: C-6 ⌈0.70·2⌉ − 1 = 1. mB: C-3 ⌈0.30·2⌉ − 0 = 1, C-4 ⌈0.40·1⌉ − 0 = 1.
    assert recs[("municipality", seeded.mun_a, "c6")]["needed"] == 1
    assert recs[("municipality", seeded.mun_b, "c3")]["needed"] == 1
    assert recs[("municipality", seeded.mun_b, "c4")] == {"needed": 1, "num": 0, "den": 1, "target": 40}
    assert ("school", seeded.school_b, "c4") in recs
    # Nothing for what meets its target or has none.
    assert not any(key == "c4" for level, _, key in recs if level == "region")
    assert not any(key in ("r1", "r2", "r6") for _, _, key in recs)
    # region 2 + mA 1 + mB 2 + sA 1 + sB 2
    assert len(report.recommendations) == 8


def test_caseload_over_the_limit_is_below_target_with_a_recommendation() -> None:
    value = caseload_value([MethodistLoad(1, "A", 300), MethodistLoad(2, "B", 100)], 250)
    # (300 + 100) / 2 = 200 on average, but one methodist has 300 > 250: 50 too many.
    assert (value.value, value.maximum, value.over, value.excess, value.status) == (
        200,
        300,
        1,
        50,
        Status.BELOW,
    )
    report = compute(
        RegionFacts("x", (), methodists=(MethodistLoad(1, "A", 300), MethodistLoad(2, "B", 100))),
        {"c5_teachers_per_methodist": 250},
    )
    (rec,) = report.recommendations
    # ⌈400 / 250⌉ − 2 = 0 more methodists: redistributing is enough.
    assert rec.args == {"over": 1, "excess": 50, "target": 250, "maximum": 300, "more": 0}


def test_empty_denominators_give_no_data() -> None:
    report = compute(RegionFacts("x", ()), {"c3_dpp_share": 30})
    assert all(v.value is None and v.status == Status.NO_DATA for v in report.region.values.values())
    assert report.recommendations == ()
    assert needed(report.region.values["c3"]) == 0


# --- a fixed number of queries ---------------------------------------------------------------------


async def _count_statements(database: Database) -> int:
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = database.engine.sync_engine
    async with database.sessionmaker() as session:
        await session.connection()  # outside the count: opening the connection
        event.listen(engine, "before_cursor_execute", listener)
        try:
            await load_facts(session, "kostroma", None, TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


async def test_facts_load_in_a_fixed_number_of_queries(database: Database) -> None:
    seeded = await seed(database)
    small = await _count_statements(database)
    async with database.sessionmaker() as session:
        (mun_a, school_a), _ = await _two_municipalities(session)
        for n in range(40):
            person = _person(f"Массовый {n}", mun_a, school_a, **YOUNG)
            session.add(person)
            await session.flush()
            diagnosis = _diagnosis(person, "cnppm", ["methodical"], 5)
            session.add(diagnosis)
            await session.flush()
            route = _route(person, diagnosis, "active", 1)
            session.add(route)
            await session.flush()
            session.add_all(
                [
                    _item(route, "course", "methodical"),
                    Caseload(teacher_id=person.id, methodist_id=seeded.ids["met1"]),
                    MentorPair(mentee_id=person.id, mentor_id=seeded.ids["m1"], form="young"),
                ]
            )
        await session.commit()
    large = await _count_statements(database)
    assert small == large
    assert small <= 12


# --- the admin's chat ---------------------------------------------------------------------------------


async def admin_chat(app: App):  # type: ignore[no-untyped-def]
    async with app.database.sessionmaker() as session:
        (mun_a, school_a), _ = await _two_municipalities(session)
        session.add(_person("Админов Админ", mun_a, school_a, role="admin", telegram_id=ADMIN_ID))
        await session.commit()
    chat = app.chat(ADMIN_ID)
    await chat.send("/admin")
    await chat.press("Показатели")
    return chat


async def test_summary_in_the_chat(app: App) -> None:
    await seed(app.database)
    admin = await admin_chat(app)
    admin.expect(
        "Показатели: Костромская область",
        "на 22.11.2026",
        "— R-1 Прошли диагностику профессиональных дефицитов в ЦНППМ: 33,3% (2 из 6)",
        "⚠️ C-3/R-3",
        "25% (1 из 4) · цель ≥ 30%",
        "✅ C-4/R-4",
        "50% (1 из 2)",
        "✅ C-5",
        "в среднем 3, максимум 5",
        "⚠️ C-6/R-5",
        "66,7% (2 из 3) · цель ≥ 70%",
        "R-6",
        "Медиана дней от диагностики до ИОМ: 15",
        "8 адресных рекомендаций",
    )
    assert {"🏘 По муниципалитетам", "📥 Выгрузить XLSX", "📜 Журнал действий"} <= set(admin.buttons())

    await admin.press("По муниципалитетам")
    seeded_b = admin.text
    assert "Ниже цели" in seeded_b and "2 муниципалитета из 2" in seeded_b
    assert "C-3/R-3 0% (цель 30%); C-4/R-4 0% (цель 40%)" in seeded_b
    assert "C-6/R-5 50% (цель 70%)" in seeded_b


async def test_xlsx_report(app: App) -> None:
    seeded = await seed(app.database)
    admin = await admin_chat(app)
    await admin.press("Выгрузить XLSX")
    message = admin.last_bot_message()
    assert message.kind == "document" and message.document is not None
    name, content = message.document
    assert name == "indicators-kostroma-2026-11-22.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Регион", "Муниципалитеты", "Школы", "Определения", "Адресные рекомендации"]
    region = book["Регион"]
    header = [c.value for c in region[1]]
    assert region.freeze_panes == "A2" and region["A1"].font.bold
    row = [c.value for c in region[2]]
    assert row[0] == "Костромская область"
    assert row[header.index("C-3/R-3, %")] == 25.0
    assert row[header.index("C-3/R-3: числитель/знаменатель")] == "1/4"
    assert row[header.index("C-3/R-3: цель")] == 30
    assert row[header.index("C-5: максимум")] == 5
    municipalities = [[c.value for c in r] for r in book["Муниципалитеты"].iter_rows(min_row=2)]
    assert {r[0] for r in municipalities} == {seeded.mun_a, seeded.mun_b}
    definitions = [[c.value for c in r] for r in book["Определения"].iter_rows()]
    assert definitions[0][:4] == ["Показатель", "Формулировка", "Числитель", "Знаменатель"]
    assert [r[0] for r in definitions[1:8]] == ["R-1", "R-2", "C-3/R-3", "C-4/R-4", "C-5", "C-6/R-5", "R-6"]
    recs = [[c.value for c in r] for r in book["Адресные рекомендации"].iter_rows(min_row=2)]
    assert len(recs) == 8
    c4_b = next(r for r in recs if r[1] == seeded.mun_b and r[3] == "C-4/R-4")
    assert c4_b[0] == "Муниципалитет" and c4_b[4] == 0
    assert "Включить управленческую команду ещё 1 школы" in c4_b[6]
    c6 = next(r for r in recs if r[0] == "Регион" and r[3] == "C-6/R-5")
    assert "Закрепить наставника за 1 молодым педагогом" in c6[6]


async def test_audit_log_view(app: App) -> None:
    admin = await admin_chat(app)
    async with app.database.sessionmaker() as session:
        actor = await session.scalar(select(User.id).where(User.telegram_id == ADMIN_ID))
        await audit(session, actor, "invite.create", target_type="invite", target_id=1, at=NOW)
        await audit(session, None, "something.new", at=NOW - timedelta(hours=1))
        await session.commit()
    await admin.press("Журнал действий")
    admin.expect("Журнал действий", "22.11.2026 12:30 · Админов Админ · создано приглашение")
    admin.expect("22.11.2026 11:30 · система · something.new")
    assert "Старее ›" not in admin.buttons()


async def test_audit_log_pages(app: App) -> None:
    admin = await admin_chat(app)
    async with app.database.sessionmaker() as session:
        for n in range(25):
            await audit(session, None, "route.approve", at=NOW - timedelta(minutes=n))
        await session.commit()
    await admin.press("Журнал действий")
    assert admin.text.count("ИОМ согласован") == 20
    await admin.press("Старее ›")
    assert admin.text.count("ИОМ согласован") == 5 and "страница 2" in admin.text
    await admin.press("‹ Новее")
    assert "страница 1" in admin.text


async def test_teacher_forging_the_button_gets_no_access(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press_data(AdminCb(action="indicators").pack())
    assert any("Нет доступа" in alert for alert in chat.alerts())
    await chat.press_data(AdminCb(action="ind_xlsx").pack())
    assert not any(m.kind == "document" for m in chat.replies)


@pytest.mark.parametrize("locale", ["en"])
def test_english_summary_renders(translations, locale: str) -> None:  # type: ignore[no-untyped-def]
    from handlers.indicators import summary_text

    report = compute(RegionFacts("x", ()), {"c3_dpp_share": 30})
    text = summary_text(report, "Kostroma Oblast", TODAY, translations.get(locale))
    assert "Indicators: Kostroma Oblast" in text and "no data" in text
