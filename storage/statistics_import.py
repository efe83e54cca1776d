"""«Данные официальной статистики»: the official totals of a region's units per year — the
denominators of the indicators' shares (``domain.indicators.OfficialCounts``).

One row per year and unit: the region, a municipality or a school (by name or id as in the region's
directory). The counts: педагоги, управленческие кадры, ОО, управленческие команды, молодые
педагоги; a count left empty is not known (the share then falls back to the bot's users and says
so). Every row is checked first; any bad value rejects the whole file with a row-by-row report, as
for the catalogues (``storage.importers``). A re-import replaces the year's counts of the units it
names. Columns: ``storage/catalog/README.md``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.indicators import MUNICIPALITY, REGION, SCHOOL
from storage.importers import (
    ImportReport,
    RowError,
    _context,
    _key,
    _municipality,
    _region_schools,
    _Row,
    _shown,
    _table,
)
from storage.indicators import unit_key
from storage.models import OfficialStatistics, Region

KIND = "statistics"
COUNTS = ("teachers", "managers", "schools", "management_teams", "young_teachers")
MAX_COUNT = 10_000_000
YEARS = (2000, 2100)

_LEVELS = _table(
    [
        *((name, REGION) for name in ("регион", "region", "субъект", "субъект рф")),
        *(
            (name, MUNICIPALITY)
            for name in ("муниципалитет", "municipality", "муниципальное образование", "муниципальный район")
        ),
        *((name, SCHOOL) for name in ("школа", "school", "оо", "образовательная организация", "организация")),
    ]
)


async def import_statistics(
    session: AsyncSession, region: Region, records: list[dict[str, str]], headers: dict[str, str]
) -> ImportReport:
    """Validate every row, then upsert by (year, unit) — or, on any error, write nothing."""
    required = {"year", "level"}
    ctx = await _context(session, region)
    schools = await _region_schools(session, set(ctx.municipalities.values()))
    report = ImportReport(KIND)
    valid: dict[tuple[int, str], dict[str, Any]] = {}
    first_rows: dict[tuple[int, str], int] = {}
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue
        row = _Row(index + 2, cells, headers, required)
        values = _parse(row, ctx, schools)
        if values is not None and not row.errors:
            key = (values["year"], values["unit"])
            if key in first_rows:
                row.errors.append(
                    RowError(
                        row.number, None, "import-err-stat-duplicate", {"first_row": str(first_rows[key])}
                    )
                )
            else:
                first_rows[key] = row.number
                valid[key] = values
        report.errors.extend(row.errors)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    existing = {
        (s.year, s.unit): s
        for s in await session.scalars(
            select(OfficialStatistics).where(OfficialStatistics.region_code == region.code)
        )
    }
    for key, values in valid.items():
        item = existing.get(key)
        if item is None:
            item = OfficialStatistics(region_code=region.code)
            session.add(item)
            report.created += 1
        else:
            report.updated += 1
        for name, value in values.items():
            setattr(item, name, value)
    await session.flush()
    report.applied = True
    return report


def _parse(row: _Row, ctx: Any, schools: Any) -> dict[str, Any] | None:
    year = row.integer("year", *YEARS)
    level = row.choice("level", _LEVELS, "import-err-stat-bad-level")
    counts = {name: row.integer(name, 0, MAX_COUNT) for name in COUNTS}
    municipality_id: int | None = None
    school_id: int | None = None
    if level in (MUNICIPALITY, SCHOOL):
        if row.raw("municipality") is None:
            row.error("municipality", "import-err-stat-unit-needed")
        else:
            municipality_id = _municipality(row, ctx)
    if level == SCHOOL:
        value = row.raw("school")
        if value is None:
            row.error("school", "import-err-stat-unit-needed")
        elif municipality_id is not None:
            school_id = schools.within.get((municipality_id, _key(value)))
            if school_id is None:
                row.error("school", "import-err-unknown-school", value=_shown(value))
    if level == REGION:
        for name in ("municipality", "school"):
            if row.raw(name) is not None:
                row.error(name, "import-err-stat-unit-extra")
    elif level == MUNICIPALITY and row.raw("school") is not None:
        row.error("school", "import-err-stat-unit-extra")
    filled = [name for name in COUNTS if row.raw(name) is not None]
    if not filled:
        row.errors.append(RowError(row.number, None, "import-err-stat-no-counts"))
    teachers, young = counts["teachers"], counts["young_teachers"]
    if teachers is not None and young is not None and young > teachers:
        row.error("young_teachers", "import-err-stat-more-than", value=str(young), other=str(teachers))
    schools_count, teams = counts["schools"], counts["management_teams"]
    if schools_count is not None and teams is not None and teams > schools_count:
        row.error("management_teams", "import-err-stat-more-than", value=str(teams), other=str(schools_count))
    if row.errors or year is None or level is None:
        return None
    unit = unit_key(municipality_id, school_id) if level != REGION else unit_key(None, None)
    return {
        "year": year,
        "unit": unit,
        "municipality_id": municipality_id if level == MUNICIPALITY else None,
        "school_id": school_id,
        **counts,
    }
