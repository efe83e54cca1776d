"""A small catalogue for flow tests, independent of the shipped demo files."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.models import Event, InternshipSite, Municipality, Program
from tests.conftest import App


async def seed_catalogue(app: App, *, seats: int = 5) -> dict[str, int]:
    async with app.database.sessionmaker() as session:
        susanino = await session.scalar(select(Municipality).where(Municipality.name.like("Сусанинск%")))
        buy = await session.scalar(select(Municipality).where(Municipality.name == "г. Буй"))
        assert susanino is not None and buy is not None
        rows = [
            Program(
                external_id="p1",
                title="Методика <обучения> & практика",
                provider="КОИРО",
                hours=36,
                format="distance",
                federal_registry=True,
                areas=["methodical"],
                subjects=["math"],
            ),
            Program(
                external_id="p2",
                title="Региональный курс по методике",
                provider="КОИРО",
                hours=16,
                format="ochno",
                federal_registry=False,
                areas=["methodical"],
                subjects=[],
            ),
            Program(
                external_id="p3",
                title="Цифровая школа",
                provider="Академия Минпросвещения",
                hours=24,
                format="distance",
                federal_registry=True,
                areas=["it_digital"],
                subjects=[],
            ),
            InternshipSite(
                external_id="s1",
                region_code="kostroma",
                organisation="Сусанинская СОШ",
                municipality_id=susanino.id,
                topic="Функциональная грамотность",
                areas=["methodical"],
                subjects=["math"],
                starts_on=date(2027, 2, 1),
                ends_on=date(2027, 2, 5),
                seats=seats,
                format="ochno",
                contact="ЦНППМ",
            ),
            InternshipSite(
                external_id="s2",
                region_code="kostroma",
                organisation="СОШ № 9",
                municipality_id=buy.id,
                topic="Цифровые сервисы на уроке",
                areas=["it_digital"],
                subjects=[],
                starts_on=date(2027, 3, 1),
                ends_on=date(2027, 3, 5),
                seats=1,
                format="ochno",
                contact=None,
            ),
            Event(
                external_id="e1",
                region_code="kostroma",
                title="Вебинар о функциональной грамотности",
                kind="webinar",
                starts_at=datetime(2026, 12, 10, 11, 0, tzinfo=UTC),
                duration_minutes=60,
                areas=["methodical", "subject"],
                subjects=[],
            ),
        ]
        session.add_all(rows)
        await session.commit()
        return {r.external_id: r.id for r in rows}
