"""ЦНППМ results import (``python -m bot import cnppm-results FILE``; /admin → «Импорт каталогов»).

One row per person and area: ФИО, организация, дата, инструмент, область, результат 0–100,
дефицит да/нет — as ЦНППМ recorded them; the bot's own deficit threshold is not applied. Rows of
one person, date and instrument make one diagnosis (source «cnppm»). A person is found by ФИО and
organisation (the school picked from the directory, or the organisation typed after «Нет в
списке»); a row naming nobody in the bot yet is valid and kept in ``cnppm_pending`` until that
person registers (``attach_pending``, at the end of onboarding). Every row is checked first; any
error and nothing is written. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.diagnosis import Source, Status, official_deficits
from domain.framework import AREA_CODES, Framework
from domain.profile import is_manager
from storage.importers import (
    ImportReport,
    _key,
    _max_len,
    _named_codes,
    _Row,
    _shown,
)
from storage.models import CnppmPending, Diagnosis, Region, School, User

KIND = "cnppm-results"
RESULT_RANGE = (0, 100)
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d+)?")
_QUOTES = str.maketrans("", "", "«»\"“”„'`")
_NUMBER_SIGN = re.compile(r"№\s*")


def organisation_key(name: str) -> str:
    """Comparison form of an organisation's name: as ``_key``, and neither quotes nor the space
    after «№» matter («Школа № 7» is «Школа №7»)."""
    return _key(_NUMBER_SIGN.sub("№", name.translate(_QUOTES)))


def person_key(name: str) -> str:
    return _key(name)


def noon(day: date) -> datetime:
    """An official diagnosis' date as stored: noon UTC is the same calendar day in every Russian zone."""
    return datetime.combine(day, time(12), tzinfo=UTC)


@dataclass(frozen=True)
class OfficialRow:
    """One valid row: a person's result in one area."""

    number: int
    full_name: str
    organisation: str
    taken_on: date
    instrument: str
    area: str
    result: int
    deficit: bool

    @property
    def person(self) -> tuple[str, str]:
        return person_key(self.full_name), organisation_key(self.organisation)

    @property
    def diagnosis_key(self) -> tuple[date, str]:
        return self.taken_on, _key(self.instrument)


# --- one diagnosis from rows ---------------------------------------------------------------------


async def _existing_official(
    session: AsyncSession, user_id: int, taken_on: date, instrument: str
) -> Diagnosis | None:
    """The person's official diagnosis of that date and instrument, if recorded already."""
    found = await session.scalars(
        select(Diagnosis).where(
            Diagnosis.user_id == user_id,
            Diagnosis.source == Source.CNPPM,
            Diagnosis.finished_at == noon(taken_on),
        )
    )
    return next((d for d in found if _key(d.instrument or "") == _key(instrument)), None)


async def store_official(
    session: AsyncSession,
    user: User,
    *,
    taken_on: date,
    instrument: str,
    framework_version: str,
    results: Mapping[str, tuple[int, bool]],
    recorded_by: int | None,
) -> tuple[Diagnosis, bool]:
    """Record ``results`` (area → (result, deficit)) as the person's official diagnosis of that date
    and instrument — merged into the one already recorded, if any. True when it is new."""
    diagnosis = await _existing_official(session, user.id, taken_on, instrument)
    created = diagnosis is None
    if diagnosis is None:
        diagnosis = Diagnosis(
            user_id=user.id,
            source=Source.CNPPM,
            framework_version=framework_version,
            status=Status.DONE,
            manager=is_manager(user.position),
            started_at=noon(taken_on),
            finished_at=noon(taken_on),
            scores={},
            deficits=[],
            strengths=[],
            instrument=instrument,
            recorded_by=recorded_by,
        )
        session.add(diagnosis)
    recorded = {code: (int(value), code in diagnosis.deficits) for code, value in diagnosis.scores.items()}
    recorded.update(results)
    diagnosis.scores = {code: value for code, (value, _) in recorded.items()}
    diagnosis.deficits = list(official_deficits(recorded))
    await session.flush()
    return diagnosis, created


# --- the people of a region ----------------------------------------------------------------------


async def _organisations(session: AsyncSession, user: User) -> set[str]:
    """The organisations a person named (``organisation_key``): the school picked, or typed."""
    names = [user.school_custom, user.organisation]
    if user.school_id is not None:
        names.append(await session.scalar(select(School.name).where(School.id == user.school_id)))
    return {organisation_key(n) for n in names if n}


async def _people(session: AsyncSession, region_code: str) -> dict[tuple[str, str], list[User]]:
    """The region's people by (ФИО, organisation) as compared."""
    schools = dict(
        (
            await session.execute(
                select(User.id, School.name)
                .join(School, School.id == User.school_id)
                .where(User.region_code == region_code)
            )
        ).all()
    )
    found: dict[tuple[str, str], list[User]] = {}
    for user in await session.scalars(
        select(User).where(User.region_code == region_code, User.full_name.is_not(None))
    ):
        names = {
            organisation_key(n) for n in (schools.get(user.id), user.school_custom, user.organisation) if n
        }
        for name in names:
            found.setdefault((person_key(user.full_name or ""), name), []).append(user)
    return found


# --- importing -----------------------------------------------------------------------------------


def _areas(framework: Framework) -> dict[str, str]:
    """The framework's areas by code and by name, in every language (``_key``): the framework's
    names and the short ones of the catalogues (``area-<code>``: «Предметные», «Subject»)."""
    codes = {area.code for area in framework.areas}
    table = {name: code for name, code in _named_codes("area", AREA_CODES).items() if code in codes}
    for area in framework.areas:
        for name in (area.code, area.name.ru, area.name.en):
            table[_key(name)] = area.code
    return table


def _result(row: _Row) -> int | None:
    """0–100; «67%», «67,5» (rounded) as ЦНППМ's exports write it."""
    value = row.raw("result")
    if value is None:
        return None
    compact = "".join(value.split()).rstrip("%")
    if not _NUMBER.fullmatch(compact):
        row.error("result", "import-err-not-number", value=_shown(value))
        return None
    number = int(float(compact.replace(",", ".")) + 0.5)
    low, high = RESULT_RANGE
    if not low <= number <= high:
        row.error("result", "import-err-out-of-range", value=compact, min=low, max=high)
        return None
    return number


def _area(row: _Row, areas: dict[str, str]) -> str | None:
    value = row.raw("area")
    if value is None:
        return None
    found = areas.get(_key(value))
    if found is None:
        allowed = ", ".join(dict.fromkeys(areas.values()))
        row.error("area", "import-err-unknown-area", value=_shown(value), allowed=allowed)
    return found


def _parse(row: _Row, areas: dict[str, str], today: date) -> OfficialRow | None:
    full_name = row.text("full_name", _max_len(CnppmPending, "full_name"))
    organisation = row.text("organisation", _max_len(CnppmPending, "organisation"))
    taken_on = row.day("taken_on")
    if taken_on is not None and taken_on > today:
        row.error("taken_on", "import-err-date-future", value=_shown(row.raw("taken_on") or ""))
        taken_on = None
    instrument = row.text("instrument", _max_len(CnppmPending, "instrument"))
    area = _area(row, areas)
    result = _result(row)
    deficit = row.boolean("deficit", default=False)  # required: an empty cell is an error
    if (
        row.errors
        or full_name is None
        or organisation is None
        or taken_on is None
        or instrument is None
        or area is None
        or result is None
        or deficit is None
    ):
        return None
    return OfficialRow(row.number, full_name, organisation, taken_on, instrument, area, result, deficit)


async def import_cnppm_results(
    session: AsyncSession,
    region: Region,
    records: list[dict[str, str]],
    headers: dict[str, str],
    required: set[str],
    framework: Framework,
    *,
    actor_id: int | None,
    now: datetime,
) -> ImportReport:
    """Check every row, then record the diagnoses of the people found and keep the rest — or, on
    any error, write nothing. ``created``/``updated`` count diagnoses; a notice says how many people
    are kept for later."""
    report = ImportReport(KIND)
    areas = _areas(framework)
    today = now.astimezone(ZoneInfo(region.timezone)).date()  # «not in the future» in the region
    people = await _people(session, region.code)
    first_rows: dict[tuple[tuple[str, str], tuple[date, str], str], int] = {}
    matched: dict[tuple[int, date, str], list[OfficialRow]] = {}
    users: dict[int, User] = {}
    pending: list[OfficialRow] = []
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue
        row = _Row(index + 2, cells, headers, required)
        parsed = _parse(row, areas, today)
        if parsed is not None:
            key = (parsed.person, parsed.diagnosis_key, parsed.area)
            if key in first_rows:
                row.error(
                    "area", "import-err-cnppm-duplicate", value=parsed.area, first_row=str(first_rows[key])
                )
            else:
                first_rows[key] = row.number
                found = people.get(parsed.person, [])
                if len(found) > 1:
                    row.error(
                        "full_name",
                        "import-err-cnppm-ambiguous",
                        value=_shown(parsed.full_name),
                        organisation=_shown(parsed.organisation),
                        count=len(found),
                    )
                elif found:
                    user = found[0]
                    users[user.id] = user
                    matched.setdefault((user.id, *parsed.diagnosis_key), []).append(parsed)
                else:
                    pending.append(parsed)
        report.errors.extend(row.errors)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    for (user_id, taken_on, _), rows in matched.items():
        _, created = await store_official(
            session,
            users[user_id],
            taken_on=taken_on,
            instrument=rows[0].instrument,
            framework_version=framework.version,
            results={r.area: (r.result, r.deficit) for r in rows},
            recorded_by=actor_id,
        )
        if created:
            report.created += 1
        else:
            report.updated += 1
    await _keep(session, region.code, framework.version, pending, now)
    waiting = {r.person for r in pending}
    if waiting:
        report.notices.append(("import-cnppm-pending", {"count": len(waiting)}))
    report.applied = True
    return report


async def _keep(
    session: AsyncSession, region_code: str, version: str, rows: Iterable[OfficialRow], now: datetime
) -> None:
    """Keep rows for people not in the bot yet; a row kept already is updated, not repeated."""
    rows = list(rows)
    if not rows:
        return
    kept_already = {
        (k.person_key, k.organisation_key, k.taken_on, k.instrument_key, k.area): k
        for k in await session.scalars(select(CnppmPending).where(CnppmPending.region_code == region_code))
    }
    for row in rows:
        (name_key, org_key), (taken_on, instrument_key) = row.person, row.diagnosis_key
        kept = kept_already.get((name_key, org_key, taken_on, instrument_key, row.area))
        if kept is None:
            kept = CnppmPending(
                region_code=region_code,
                person_key=name_key,
                organisation_key=org_key,
                taken_on=taken_on,
                instrument_key=instrument_key,
                area=row.area,
            )
            session.add(kept)
        kept.full_name, kept.organisation, kept.instrument = row.full_name, row.organisation, row.instrument
        kept.framework_version, kept.result, kept.deficit = version, row.result, row.deficit
        kept.imported_at = now
    await session.flush()


# --- attaching at registration -------------------------------------------------------------------


async def attach_pending(session: AsyncSession, user: User) -> list[Diagnosis]:
    """The kept rows of this person (their ФИО and organisation, in their region) recorded as their
    official diagnoses, and no longer kept. Only flushes."""
    if user.region_code is None or not user.full_name:
        return []
    organisations = await _organisations(session, user)
    if not organisations:
        return []
    rows = list(
        await session.scalars(
            select(CnppmPending)
            .where(
                CnppmPending.region_code == user.region_code,
                CnppmPending.person_key == person_key(user.full_name),
                CnppmPending.organisation_key.in_(organisations),
            )
            .order_by(CnppmPending.taken_on, CnppmPending.id)
        )
    )
    groups: dict[tuple[date, str], list[CnppmPending]] = {}
    for row in rows:
        groups.setdefault((row.taken_on, row.instrument_key), []).append(row)
    recorded = []
    for (taken_on, _), group in groups.items():
        diagnosis, _ = await store_official(
            session,
            user,
            taken_on=taken_on,
            instrument=group[0].instrument,
            framework_version=group[0].framework_version,
            results={r.area: (r.result, r.deficit) for r in group},
            recorded_by=None,
        )
        recorded.append(diagnosis)
    if rows:
        await session.execute(delete(CnppmPending).where(CnppmPending.id.in_([r.id for r in rows])))
    return recorded


__all__ = ["KIND", "OfficialRow", "attach_pending", "import_cnppm_results", "store_official"]
