"""``python -m bot import records FILE``: the records 002's municipal indicators count (contests,
presented опыт, tutor/expert/jury roles) of people and schools of a region, from CSV or XLSX.

A row names either a person (``ФИО``, with ``Организация`` — the school as they picked or typed it,
or a staff member's organisation — when the name alone is ambiguous) or a school (``Школа``: its name
or id, with ``Муниципалитет`` when the name occurs in several); then ``Вид``, ``Уровень``,
``Название``, ``Результат`` (a contest's result, a role's role; empty for опыт) and ``Дата``. Every
row is checked first; any bad one and nothing is written (the report names the row and the column).
A row identical to a record already stored is skipped, so a file may be imported again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.record_entry import LEVELS, PERSON_KINDS, SCHOOL_KINDS, results_for
from domain.records import ContestResult, ExpertRole, RecordKind, RecordSource
from storage.importers import (
    Column,
    ImportFileError,
    ImportReport,
    RowError,
    _Context,
    _context,
    _key,
    _max_len,
    _municipality,
    _named_codes,
    _region_schools,
    _Row,
    _shown,
    _table,
    read_table,
)
from storage.models import ProfessionalRecord, Region, School, User

KIND = "records"

COLUMNS = (
    Column("full_name", ("фио", "педагог", "name")),
    Column("organisation", ("организация", "organization", "место работы")),
    Column("school", ("школа", "образовательная организация", "оо", "school name")),
    Column("municipality", ("муниципалитет", "муниципальное образование")),
    Column("kind", ("вид", "вид записи"), required=True),
    Column("level", ("уровень",), required=True),
    Column("title", ("название", "наименование", "конкурс, тема"), required=True),
    Column("result", ("результат", "роль", "результат/роль", "result/role", "role")),
    Column("date", ("дата",), required=True),
)

_KINDS = {
    **_named_codes("rec-kind", tuple(RecordKind)),
    **_table(
        [
            ("конкурс", RecordKind.CONTEST),
            ("конкурс профессионального мастерства", RecordKind.CONTEST),
            ("профессиональный конкурс", RecordKind.CONTEST),
            ("опыт", RecordKind.EXPERIENCE),
            ("актуальный опыт", RecordKind.EXPERIENCE),
            ("представил опыт", RecordKind.EXPERIENCE),
            ("представлен опыт", RecordKind.EXPERIENCE),
            ("роль", RecordKind.ROLE),
        ]
    ),
}
_LEVELS = {
    **_named_codes("rec-level", LEVELS),
    **_table(
        [
            ("школьный", "school"),
            ("уровень оо", "school"),
            ("муниципальный", "municipal"),
            ("районный", "municipal"),
            ("региональный", "regional"),
            ("областной", "regional"),
            ("федеральный", "federal"),
            ("всероссийский", "federal"),
            ("международный", "international"),
        ]
    ),
}
_RESULTS = {
    **_named_codes("rec-result", (*ContestResult, *ExpertRole)),
    **_table(
        [
            ("призёр", ContestResult.PRIZE_WINNER),
            ("лауреат", ContestResult.PRIZE_WINNER),
            ("призёр, лауреат", ContestResult.PRIZE_WINNER),
            ("тьютор", ExpertRole.TUTOR),
            ("жюри", ExpertRole.JURY),
        ]
    ),
}


@dataclass
class _People:
    """The region's people by ``_key`` of ФИО, each with the organisations they gave."""

    by_name: dict[str, list[tuple[int, set[str]]]] = field(default_factory=dict)

    def find(self, row: _Row, organisation: str | None) -> int | None:
        value = row.raw("full_name") or ""
        named = self.by_name.get(_key(value), [])
        if not named:
            row.error("full_name", "import-err-record-unknown-person", value=_shown(value))
            return None
        if organisation is not None:
            named = [p for p in named if _key(organisation) in p[1]]
            if not named:
                row.error(
                    "organisation", "import-err-record-unknown-organisation", value=_shown(organisation)
                )
                return None
        if len(named) > 1:
            row.error(
                "full_name", "import-err-record-ambiguous-person", value=_shown(value), count=len(named)
            )
            return None
        return named[0][0]


async def _people(session: AsyncSession, region: str) -> _People:
    found = _People()
    rows = await session.execute(
        select(User.id, User.full_name, User.school_custom, User.organisation, School.name)
        .outerjoin(School, School.id == User.school_id)
        .where(User.region_code == region, User.full_name.is_not(None))
    )
    for user_id, name, custom, organisation, school in rows.all():
        places = {_key(v) for v in (custom, organisation, school) if v}
        found.by_name.setdefault(_key(name or ""), []).append((user_id, places))
    return found


def _map_headers(headers: Iterable[str]) -> dict[str, str]:
    names = _table((alias, c.name) for c in COLUMNS for alias in (c.name, *c.aliases))
    mapped: dict[str, str] = {}
    for header in headers:
        name = names.get(_key(header.rstrip("*")))
        if name is None:
            continue
        if name in mapped:
            raise ImportFileError("import-err-duplicate-column", column=header)
        mapped[name] = header
    missing = [c for c in COLUMNS if c.required and c.name not in mapped]
    if "full_name" not in mapped and "school" not in mapped:
        missing.insert(0, Column("full_name | school", ("фио | школа",)))
    if missing:
        listed = ", ".join(f"{c.name} ({c.aliases[0]})" for c in missing)
        raise ImportFileError("import-err-missing-columns", columns=listed)
    return mapped


def _subject(row: _Row, ctx: _Context, people: _People, schools: Any) -> tuple[str, int] | None:
    """Whose record: ("user" | "school", id); errors on the row."""
    person, school = row.raw("full_name"), row.raw("school")
    if (person is None) == (school is None):
        row.errors.append(RowError(row.number, None, "import-err-record-one-subject"))
        return None
    if person is not None:
        found = people.find(row, row.raw("organisation"))
        return None if found is None else ("user", found)
    municipality = _municipality(row, ctx) if row.raw("municipality") is not None else None
    if row.raw("municipality") is not None and municipality is None:
        return None  # the municipality's error is reported
    value = school or ""
    if municipality is not None:
        one = schools.within.get((municipality, _key(value)))
        candidates = set() if one is None else {one}
    else:
        candidates = set(schools.anywhere.get(_key(value), set()))
    if len(candidates) > 1:
        row.error("school", "import-err-ambiguous-school", value=_shown(value))
        return None
    if not candidates:
        row.error("school", "import-err-unknown-school", value=_shown(value))
        return None
    return ("school", candidates.pop())


def _parse(
    row: _Row, ctx: _Context, people: _People, schools: Any, today: date
) -> tuple[tuple[str, int], dict[str, Any]] | None:
    subject = _subject(row, ctx, people, schools)
    kind = row.choice("kind", _KINDS, "import-err-record-kind")
    level = row.choice("level", _LEVELS, "import-err-record-level")
    title = row.text("title", _max_len(ProfessionalRecord, "title"))
    if title is not None and sum(1 for c in title if c.isalpha()) < 2:
        row.error("title", "import-err-record-title", value=_shown(title))
    raw_result = row.raw("result")
    result = row.choice("result", _RESULTS, "import-err-record-result")
    happened = row.day("date")
    if happened is not None and happened > today:
        row.error("date", "import-err-record-date-future", value=_shown(row.raw("date") or ""))
    if kind is not None:
        allowed_kinds = PERSON_KINDS if subject is None or subject[0] == "user" else SCHOOL_KINDS
        if kind not in allowed_kinds:
            row.error("kind", "import-err-record-school-kind", value=_shown(row.raw("kind") or ""))
        wanted = results_for(kind)
        if wanted and raw_result is None:
            row.error("result", "import-err-record-result-missing")
        elif result is not None and result not in wanted:
            row.error("result", "import-err-record-result", value=_shown(raw_result or ""))
    if row.errors or subject is None:
        return None
    return subject, {
        "kind": kind,
        "level": level,
        "title": title,
        "result": result,
        "happened_on": happened,
    }


def _identity(subject: tuple[str, int], values: dict[str, Any]) -> tuple[Any, ...]:
    return (
        *subject,
        values["kind"],
        values["level"],
        _key(values["title"]),
        values["result"],
        values["happened_on"],
    )


async def import_records(
    session: AsyncSession, region_code: str, filename: str, content: bytes, *, today: date
) -> ImportReport:
    """Validate every row, then add the records — or, on any error, nothing. Only flushes."""
    region = await session.get(Region, region_code)
    if region is None:
        raise ImportFileError("import-err-unknown-region", region=region_code)
    records = await asyncio.to_thread(read_table, filename, content)
    headers = _map_headers(records[0].keys())
    required = {c.name for c in COLUMNS if c.required}
    ctx = await _context(session, region)
    people = await _people(session, region.code)
    schools = await _region_schools(session, set(ctx.municipalities.values()))

    report = ImportReport(KIND)
    first_rows: dict[tuple[Any, ...], int] = {}
    wanted: list[tuple[tuple[str, int], dict[str, Any]]] = []
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue
        row = _Row(index + 2, cells, headers, required)
        parsed = _parse(row, ctx, people, schools, today)
        if parsed is not None:
            identity = _identity(*parsed)
            if identity in first_rows:
                row.errors.append(
                    RowError(
                        row.number,
                        None,
                        "import-err-record-duplicate",
                        {"first_row": str(first_rows[identity])},
                    )
                )
            else:
                first_rows[identity] = row.number
                wanted.append(parsed)
        report.errors.extend(row.errors)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    stored = {
        _identity(
            ("user", r.user_id) if r.user_id is not None else ("school", r.school_id or 0),
            {
                "kind": r.kind,
                "level": r.level,
                "title": r.title,
                "result": r.result,
                "happened_on": r.happened_on,
            },
        )
        for r in await session.scalars(
            select(ProfessionalRecord).where(ProfessionalRecord.region_code == region.code)
        )
    }
    skipped = 0
    for subject, values in wanted:
        if _identity(subject, values) in stored:
            skipped += 1
            continue
        session.add(
            ProfessionalRecord(
                region_code=region.code,
                user_id=subject[1] if subject[0] == "user" else None,
                school_id=subject[1] if subject[0] == "school" else None,
                source=RecordSource.IMPORTED,
                **values,
            )
        )
        report.created += 1
    await session.flush()
    if skipped:
        report.notices.append(("import-records-already", {"count": skipped}))
    report.applied = True
    return report
