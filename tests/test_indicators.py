"""Monitoring indicators over the database: hand-computed values on a seeded region (what storage
counts: approved routes only, ЦНППМ diagnoses only, regional methodists only, programmes per
organisation), recommendations, the admin's report by period and unit, the XLSX report, a municipal
admin of Петровский район, the audit log, access, and a fixed number of queries. The definitions
themselves, indicator by indicator: tests/test_domain_indicators.py."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import event, func, select

from bot.factory import Database
from domain.indicators import Period, PeriodKind, Status
from domain.records import RecordKind
from domain.roles import StaffTitle
from handlers.callbacks import AdminCb, IndicatorsAction, IndicatorsCb, IndicatorsLevel
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
    OfficialStatistics,
    ProfessionalRecord,
    Program,
    Route,
    RouteItem,
    School,
    User,
)
from tests.conftest import ADMIN_ID, NOW, App
from tests.flows import onboard

TODAY = date(2026, 11, 22)
DAY = timedelta(days=1)
Y2026 = Period(PeriodKind.CALENDAR, 2026)
YOUNG = {"birth_date": date(2000, 1, 1), "work_start_year": 2025}
SENIOR = {"birth_date": date(1980, 1, 1), "work_start_year": 2005}
_telegram = iter(range(50_000, 60_000))
# The admin's conversations run on both messengers.
BOTH = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


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
        messenger=data.pop("messenger", "telegram"),
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
    approved = status in ("active", "completed")
    return Route(
        user_id=user.id,
        diagnosis_id=diagnosis.id if diagnosis else None,
        status=status,
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=365),
        created_at=NOW - timedelta(days=days_ago),
        approved_at=NOW - timedelta(days=days_ago) if approved else None,
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
        done_at=NOW - timedelta(days=1) if done else None,
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
        met1 = _person(
            "Методистова Анна", mun_a, school_a, role="methodist", staff_title=StaffTitle.REGIONAL_METHODIST
        )
        # A municipal methodist's caseload is not C-5's («за 1 региональным методистом»).
        met2 = _person(
            "Бельская Ольга", mun_b, school_b, role="methodist", staff_title=StaffTitle.MUNICIPAL_METHODIST
        )
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
            areas=["managerial"],  # R-4's topic: управление качеством образования
            region_code="kostroma",
        )
        federal2 = Program(
            external_id="p-fed2",
            title="ФР 2",
            provider="Академия Минпросвещения",
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
                MentorPair(
                    mentee_id=t1.id, mentor_id=m1.id, form="young", status="active", started_at=NOW - 60 * DAY
                ),
                # Closed in 2025: no support in 2026.
                MentorPair(
                    mentee_id=t2.id,
                    mentor_id=m1.id,
                    form="young",
                    status="closed",
                    started_at=NOW - 500 * DAY,
                    closed_at=NOW - 400 * DAY,
                ),
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
                # Applied in 2025 (a form of support then, not in 2026).
                InternshipApplication(
                    site_id=site.id, user_id=t2.id, status="applied", created_at=NOW - 400 * DAY
                ),
                InternshipApplication(site_id=site.id, user_id=t3.id, status="cancelled", created_at=NOW),
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
        report, _ = await region_report(session, "kostroma", Y2026, TODAY)
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
    # methodists are not in it); no official statistics: every share is of the bot's users.
    assert region.people == 6
    assert all(v.basis == "bot" for v in region.values.values())
    # R-1: official ЦНППМ results: T1, M1 = 2/6. T2 and T4 have self-diagnoses only, T3's
    # ЦНППМ diagnosis is unfinished: none of them counts.
    assert _v(region, "R-1") == (2, 6, 33.3, Status.NO_TARGET)
    # R-2: *approved* routes on a *ЦНППМ* diagnosis: T1 (active), M1 (completed) = 2/6. T2's is a
    # draft, T3's has no diagnosis, T4's rests on a self-diagnosis.
    assert _v(region, "R-2") == (2, 6, 33.3, Status.NO_TARGET)
    # C-3: педагоги T1 T2 T3 T4 = 4; only T1's ФР ДПП course addresses a deficit of the approved
    # route's diagnosis (T2: a draft; T3: no diagnosis; T4: not ФР ДПП) → 1/4 = 25% < 30%.
    assert _v(region, "C-3/R-3") == (1, 4, 25.0, Status.BELOW)
    # C-4: management teams: sA (M1 took part: a course done in the approved ИОМ), sB (M2 didn't)
    # → 1/2 = 50% ≥ 40%. R-4: M1's programme is of the «управленческие» area → 1/2, no target.
    assert _v(region, "C-4") == (1, 2, 50.0, Status.MEETS)
    assert _v(region, "R-4") == (1, 2, 50.0, Status.NO_TARGET)
    # C-5: regional methodists only: Методистова has T1 T2 M1 T3 T4 = 5 (Бельская is municipal).
    c5 = region.values["C-5"]
    assert (c5.numerator, c5.denominator, c5.value, c5.maximum, c5.status) == (5, 1, 5.0, 5, Status.MEETS)
    # C-6: young педагоги T1 T2 T4 = 3; in 2026: T1 (a mentor), T4 (an approved ИОМ with a
    # mentorship item) → 2/3 < 70%. T2's pair and internship application were in 2025.
    assert _v(region, "C-6/R-5") == (2, 3, 66.7, Status.BELOW)
    # per organisation, Kostroma's catalogue (p-nowhere has no region).
    parts = [(p.name, p.numerator, p.denominator) for p in region.values["R-6"].parts]
    assert parts == [("Академия Минпросвещения", 1, 1), ("КОИРО", 1, 2)]
    # Nobody had joined by the end of 2025: nothing to compare with.
    assert region.values["R-1"].previous is None


async def test_operational_figures(database: Database) -> None:
    await seed(database)
    figures = (await _report(database)).region.figures
    # Self-diagnoses done: T1, T2, T4 = 3/6.
    assert (figures["self_diag"].numerator, figures["self_diag"].denominator) == (3, 6)
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
    assert _v(a, "R-1") == (2, 3, 66.7, Status.NO_TARGET)
    assert _v(a, "C-3/R-3") == (1, 2, 50.0, Status.MEETS)
    assert _v(a, "C-4") == (1, 1, 100.0, Status.MEETS)
    assert _v(a, "C-6/R-5") == (1, 2, 50.0, Status.BELOW)
    # mB (T3 T4 M2): R-1 0/3; C-3 0/2 = 0%; C-4 sB 0/1 = 0%; C-6 T4 1/1 = 100%.
    assert _v(b, "R-1") == (0, 3, 0.0, Status.NO_TARGET)
    assert _v(b, "C-3/R-3") == (0, 2, 0.0, Status.BELOW)
    assert _v(b, "C-4") == (0, 1, 0.0, Status.BELOW)
    assert _v(b, "C-6/R-5") == (1, 1, 100.0, Status.MEETS)
    assert "C-5" not in a.values and "R-6" not in a.values  # region level only
    schools = {u.name: u for u in report.schools}
    assert "C-4" not in schools[seeded.school_b].values  # region and municipality only
    assert _v(schools[seeded.school_b], "C-3/R-3") == (0, 2, 0.0, Status.BELOW)

    recs = {(r.level, r.name, r.indicator): r.args for r in report.recommendations}
    # Region: C-3 needs ⌈0.30·4⌉ − 1 = 1 more; C-6 needs ⌈0.70·3⌉ − 2 = 1 more.
    assert recs[("region", None, "C-3/R-3")] == {"needed": 1, "num": 1, "den": 4, "target": 30}
    assert recs[("region", None, "C-6/R-5")] == {"needed": 1, "num": 2, "den": 3, "target": 70}
    # mA: C-6 ⌈0.70·2⌉ − 1 = 1. mB: C-3 ⌈0.30·2⌉ − 0 = 1, C-4 ⌈0.40·1⌉ − 0 = 1.
    assert recs[("municipality", seeded.mun_a, "C-6/R-5")]["needed"] == 1
    assert recs[("municipality", seeded.mun_b, "C-3/R-3")]["needed"] == 1
    assert recs[("municipality", seeded.mun_b, "C-4")] == {"needed": 1, "num": 0, "den": 1, "target": 40}
    # Nothing for what meets its target or has none.
    assert not any(key == "C-4" for level, _, key in recs if level == "region")
    assert not any(key in ("R-1", "R-2", "R-4", "R-6") for _, _, key in recs)
    # region 2 (C-3, C-6) + mA 1 (C-6) + mB 2 (C-3, C-4) + sA 1 (C-6: T1 T2 1/2) + sB 1 (C-3)
    assert len(report.recommendations) == 7


async def test_official_statistics_become_the_denominators(database: Database) -> None:
    seeded = await seed(database)
    async with database.sessionmaker() as session:
        mun_a = await session.scalar(select(Municipality).where(Municipality.name == seeded.mun_a))
        assert mun_a is not None
        session.add_all(
            [
                OfficialStatistics(
                    region_code="kostroma",
                    year=2026,
                    unit="region",
                    teachers=100,
                    managers=20,
                    management_teams=8,
                ),
                OfficialStatistics(
                    region_code="kostroma",
                    year=2026,
                    unit=f"m{mun_a.id}",
                    municipality_id=mun_a.id,
                    young_teachers=10,
                ),
                # Another year's totals do not apply to 2026.
                OfficialStatistics(region_code="kostroma", year=2025, unit="region", young_teachers=1),
            ]
        )
        await session.commit()
    report = await _report(database)
    region = report.region
    assert (region.values["R-1"].denominator, region.values["R-1"].basis) == (120, "official")
    assert (region.values["C-3/R-3"].denominator, region.values["C-3/R-3"].basis) == (100, "official")
    assert (region.values["C-4"].numerator, region.values["C-4"].denominator) == (1, 8)
    assert (region.values["C-6/R-5"].denominator, region.values["C-6/R-5"].basis) == (3, "bot")
    a = next(u for u in report.municipalities if u.name == seeded.mun_a)
    assert (a.values["C-6/R-5"].numerator, a.values["C-6/R-5"].denominator, a.values["C-6/R-5"].basis) == (
        1,
        10,
        "official",
    )
    assert a.values["R-1"].basis == "bot"


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
    assert small <= 20


# --- the admin's chat ---------------------------------------------------------------------------------


async def admin_chat(app: App):  # type: ignore[no-untyped-def]
    async with app.database.sessionmaker() as session:
        (mun_a, school_a), _ = await _two_municipalities(session)
        admin = _person(
            "Админов Админ", mun_a, school_a, role="admin", telegram_id=ADMIN_ID, messenger=app.messenger
        )
        session.add(admin)
        await session.commit()
    chat = app.chat(ADMIN_ID)
    await chat.send("/admin")
    await chat.press("Показатели")
    return chat


@BOTH
async def test_summary_in_the_chat(app: App) -> None:
    await seed(app.database)
    admin = await admin_chat(app)
    admin.expect(
        "Показатели: Костромская область",
        "Период: 2026 год (01.01.2026 — 31.12.2026), данные на 22.11.2026",
        "R-1 Доля педагогических работников и управленческих кадров, прошедших диагностику "
        "профессиональных дефицитов в ЦНППМ",
        "33,3%: 2 из 6 из пользователей бота · без целевого значения · к 2025: нет данных для сравнения",
        "⚠️ C-3/R-3 доля педагогических работников, освоивших программы ДПО, вошедшие в "
        "Федеральный реестр и подобранные с учетом диагностики профессиональных компетенций",
        "25%: 1 из 4 из пользователей бота · целевое значение — не менее 30%",
        "✅ C-4 количество управленческих команд, принявших участие в программах повышения квалификации",
        "✅ C-5",
        "в среднем 5, максимум 5 (педагогов 5, региональных методистов 1) · целевое значение — не более 250",
        "⚠️ C-6/R-5",
        "66,7%: 2 из 3 из пользователей бота · целевое значение — не менее 70%",
        "R-6",
        "• КОИРО: 50% (1 из 2)",
        "Медиана дней от диагностики до ИОМ: 15",
        "2 адресные рекомендации",
    )
    assert "выполнил" not in admin.text
    assert {"‹ 2025", "🏘 По муниципалитетам", "📥 Выгрузить XLSX", "📜 Журнал действий"} <= set(
        admin.buttons()
    )
    assert "2027 ›" not in admin.buttons()  # no report after the current period

    await admin.press("По муниципалитетам")
    listed = admin.text
    assert "2026 год: ниже целевых значений 2 из 2" in listed
    assert "C-3/R-3 0% (цель 30%); C-4 0% (цель 40%)" in listed
    assert "C-6/R-5 50% (цель 70%)" in listed
    seeded = await _names(app)
    await admin.press("⚠️ " + seeded.mun_b)
    admin.expect(f"Показатели: {seeded.mun_b}", "Педагогов и управленцев в боте (профиль заполнен): 3")
    assert "C-5" not in admin.text and "R-6" not in admin.text
    await admin.press("По школам")
    await admin.press("⚠️ " + seeded.school_b)
    admin.expect(f"Показатели: {seeded.school_b}", "C-3/R-3")
    assert "C-4" not in admin.text
    await admin.press("‹ " + seeded.mun_b)
    admin.expect(f"Показатели: {seeded.mun_b}")

    # The report for 2025: nobody had joined by its end.
    await admin.press("‹ 2025")
    admin.expect("Период: 2025 год", "Педагогов и управленцев в боте (профиль заполнен): 0", "нет данных")
    assert "2026 ›" in admin.buttons()


async def _names(app: App) -> Seeded:
    async with app.database.sessionmaker() as session:
        (mun_a, school_a), (mun_b, school_b) = await _two_municipalities(session)
    return Seeded({}, mun_a.name, mun_b.name, school_a.name, school_b.name)


@BOTH
async def test_a_forged_or_future_period_is_stale(app: App) -> None:
    await seed(app.database)
    admin = await admin_chat(app)
    for year in (2027, 1999):
        await admin.press_data(IndicatorsCb(action=IndicatorsAction.SHOW, year=year).pack())
        assert any("устарела" in alert for alert in admin.alerts())
    await admin.press_data(
        IndicatorsCb(action=IndicatorsAction.SHOW, level=IndicatorsLevel.SCHOOL, unit_id=999_999).pack()
    )
    assert sum("устарела" in alert for alert in admin.alerts()) == 3
    assert "Показатели: Костромская область" in admin.last_bot_message().plain_text  # unchanged


@BOTH
async def test_xlsx_report(app: App) -> None:
    seeded = await seed(app.database)
    admin = await admin_chat(app)
    app.max_stub.not_ready = 1  # type: ignore[union-attr]  # on MAX: the upload is still being processed
    await admin.press("Выгрузить XLSX")
    message = admin.last_bot_message()
    assert message.kind == "document" and message.document is not None
    name, content = message.document
    assert name == "indicators-kostroma-2026.xlsx"
    assert "Показатели: Костромская область, 2026 год (данные на 22.11.2026)" in message.plain_text
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Регион",
        "Муниципалитеты",
        "Школы",
        "По организациям",
        "Определения",
        "Адресные рекомендации",
    ]
    region = book["Регион"]
    header = [c.value for c in region[1]]
    assert region.freeze_panes == "A2" and region["A1"].font.bold
    row = [c.value for c in region[2]]
    assert row[0] == "Костромская область" and row[header.index("Период")] == "2026"
    assert row[header.index("C-3/R-3, %")] == 25.0
    assert row[header.index("C-3/R-3: числитель/знаменатель")] == "1/4"
    assert row[header.index("C-3/R-3: знаменатель")] == "из пользователей бота"
    assert row[header.index("C-3/R-3: целевое значение")] == 30
    assert row[header.index("C-5: максимум")] == 5
    assert "C-3/R-3: 2025, %" in header and "C-3/R-3: изменение, п. п." in header
    municipalities = [[c.value for c in r] for r in book["Муниципалитеты"].iter_rows(min_row=2)]
    assert {r[0] for r in municipalities} == {seeded.mun_a, seeded.mun_b}
    organisations = [[c.value for c in r] for r in book["По организациям"].iter_rows(min_row=2)]
    assert organisations == [["R-6", "Академия Минпросвещения", 1, 1, 100], ["R-6", "КОИРО", 1, 2, 50]]
    definitions = [[c.value for c in r] for r in book["Определения"].iter_rows()]
    assert definitions[0][:4] == ["Показатель", "Формулировка (дословно)", "Числитель", "Знаменатель"]
    ids = [r[0] for r in definitions[1:9]]
    assert ids == ["R-1", "R-2", "C-3/R-3", "C-4", "R-4", "C-5", "C-6/R-5", "R-6"]
    r4 = definitions[5]
    assert r4[1] == (
        "Доля управленческих команд образовательных организаций, повысивших свою квалификацию по "
        "вопросам эффективности управления качеством образования."
    )
    assert "001:116" in r4[7]
    c5 = definitions[6]
    assert c5[4] == "2024: 250" and c5[5] == "нет"
    recs = [[c.value for c in r] for r in book["Адресные рекомендации"].iter_rows(min_row=2)]
    assert len(recs) == 7
    c4_b = next(r for r in recs if r[1] == seeded.mun_b and r[3] == "C-4")
    assert c4_b[0] == "Муниципалитет" and c4_b[4] == 0
    assert "нужен ещё 1" in c4_b[6]


@BOTH
async def test_a_municipal_admin_of_petrovsky_reads_its_six_indicators_and_the_xlsx(app: App) -> None:
    """A Petrovsk teacher registers; the municipal admin of Петровский район (a specialist of the ММС)
    sees that municipality only — its six indicators (002), and the XLSX without the region."""
    teacher = app.chat(1001)
    await teacher.send("/start")
    await teacher.press("Согласен")
    await teacher.send("Петрова Анна Сергеевна")
    await teacher.press("Учитель")
    await teacher.press("Саратовская")
    await teacher.send("Петров")
    await teacher.press("Петровский муниципальный район")
    await teacher.press("СОШ № 1 г. Петровска")
    await teacher.press("Математика")
    await teacher.press("Готово")
    await teacher.send("14.05.1998")
    await teacher.send("2024")
    await teacher.press("Первая")
    async with app.database.sessionmaker() as session:
        petrovsky = await session.scalar(select(Municipality).where(Municipality.external_id == "petrovsky"))
        assert petrovsky is not None
        person = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert person is not None and person.municipality_id == petrovsky.id and person.profile_completed_at
        session.add_all(
            [
                ProfessionalRecord(
                    region_code="saratov",
                    kind=RecordKind.CONTEST,
                    user_id=person.id,
                    level="municipal",
                    title="Учитель года",
                    result="participant",
                    happened_on=TODAY,
                ),
                ProfessionalRecord(
                    region_code="saratov",
                    kind=RecordKind.EXPERIENCE,
                    school_id=person.school_id,
                    level="regional",
                    title="Наставничество в школе",
                    happened_on=TODAY,
                ),
                User(
                    messenger=app.messenger,
                    telegram_id=ADMIN_ID,
                    locale="ru",
                    role="admin",
                    consent_at=NOW,
                    profile_completed_at=NOW,
                    full_name="Муниципальная Мария",
                    staff_title=StaffTitle.MMS,
                    organisation="Управление образования Петровского района",
                    region_code="saratov",
                    municipality_id=petrovsky.id,
                ),
            ]
        )
        await session.commit()
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Показатели")
    admin.expect(
        "Показатели: Петровский муниципальный район",
        "Период: 2026 год",
        "Педагогов и управленцев в боте (профиль заполнен): 1",
        "P-1 Доля педагогическихработников и управленческих кадров, повысивших квалификацию, "
        "прошедших курсы повышения квалификации и профессиональную переподготовку",
        "P-2 Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах "
        "поддержки и сопровождения в первые 3 года работы",
        "P-3 Доля педагогических работников и управленческих кадров, принявших участие в конкурсах "
        "профессионального мастерства на различных уровнях",
        "P-4 Доля образовательных организаций, принявших участие в профессиональных конкурсах на "
        "различных уровнях",
        "P-5 Доля образовательных организаций, представивших актуальный опыт деятельности (различные уровни)",
        "P-6 Доля педагогов-тьюторов, экспертов, членов жюри (различные уровни)",
    )
    text = admin.text
    # P-3: she took part in a contest → 1 of 1; P-5: her school presented опыт → 1 of 1; P-2: young,
    # no form of support → 0 of 1.
    assert "P-3" in text and "100%: 1 из 1 из пользователей бота" in text
    assert "0%: 0 из 1 из пользователей бота" in text
    assert "C-5" not in text and "R-6" not in text  # region-level indicators are not hers
    assert "Журнал действий" not in " ".join(admin.buttons())
    assert not any(b.startswith("‹ Саратовская") for b in admin.buttons())

    # The region is not hers: a forged button shows her municipality.
    await admin.press_data(IndicatorsCb(action=IndicatorsAction.SHOW, level=IndicatorsLevel.REGION).pack())
    assert "Показатели: Петровский муниципальный район" in admin.last_bot_message().plain_text

    app.max_stub.not_ready = 1  # type: ignore[union-attr]  # on MAX: the upload is still being processed
    await admin.press("Выгрузить XLSX")
    message = admin.last_bot_message()
    assert message.kind == "document" and message.document is not None
    name, content = message.document
    assert name == "indicators-saratov-2026.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert "Регион" not in book.sheetnames and "По организациям" not in book.sheetnames
    rows = [[c.value for c in r] for r in book["Муниципалитеты"].iter_rows()]
    header, (row,) = rows[0], rows[1:]
    assert row[0] == "Петровский муниципальный район"
    assert row[header.index("P-3, %")] == 100 and row[header.index("P-5, %")] == 100
    assert row[header.index("P-2: числитель/знаменатель")] == "0/1"
    definitions = [[c.value for c in r] for r in book["Определения"].iter_rows(min_row=2)]
    p6 = next(r for r in definitions if r[0] == "P-6")
    assert (
        p6[1] == "Доля педагогов-тьюторов, экспертов, членов жюри (различные уровни)."
        and "002:1903-1905" in p6[7]
    )


@BOTH
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


@BOTH
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


@BOTH
async def test_teacher_forging_the_button_gets_no_access(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press_data(AdminCb(action="indicators").pack())
    assert any("Нет доступа" in alert for alert in chat.alerts())
    await chat.press_data(AdminCb(action="ind_xlsx").pack())
    await chat.press_data(IndicatorsCb(action=IndicatorsAction.XLSX).pack())
    assert not any(m.kind == "document" for m in chat.replies)


def test_english_summary_renders(translations) -> None:  # type: ignore[no-untyped-def]
    from domain.indicators import RegionFacts, compute
    from handlers.indicators import unit_text
    from services.indicators import Indicators, RegionName
    from tests.test_domain_indicators import registry

    report = compute(RegionFacts("x", ()), registry(), Y2026)
    shown = Indicators(
        report, RegionName("x", "Регион", "Kostroma Oblast"), TODAY, report.region, None, Y2026
    )
    text = unit_text(shown, translations.get("en"))
    assert "Indicators: Kostroma Oblast" in text and "no data" in text and "year 2026" in text
    assert "Share of teachers and managers who took the diagnostics" in text
