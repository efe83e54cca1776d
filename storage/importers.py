"""Catalogue import (ДПП programmes, стажировочные площадки, events, schools) from CSV and XLSX.

Every row is validated before anything is written: the administrator gets every problem of the
file at once, and teachers never see a half-imported catalogue. Errors carry message keys
(``import-err-…`` in ``locales/*/import.ftl``), never text: the handler speaks the user's language.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.framework import AREA_CODES
from domain.profile import SUBJECTS
from domain.region import DEFAULT_CASELOAD_TARGET, RegionSettings
from locales import Translations
from storage.models import (
    Base,
    Event,
    InternshipSite,
    MentorProfile,
    Municipality,
    Program,
    Region,
    School,
    User,
)
from storage.regions_loader import DEMO_REGION

# New kinds go at the end: /admin's buttons carry a kind's position in this list.
KINDS = ("programs", "sites", "events", "schools", "mentors", "caseloads", "cnppm-results", "statistics")
MAX_ROWS = 10_000
DEMO_CATALOGUE_DIR = Path(__file__).parent / "catalog"
DEMO_KINDS = ("programs", "sites", "events")

# User values quoted back in an error are cut, so thirty errors still fit one Telegram message.
SHOWN_MAX = 80
DESCRIPTION_MAX = 2000  # Event.description is TEXT; a longer one would not fit a message anyway.
YEARS = (2000, 2100)  # a year outside is a typo (0226, 2206), not a plan

T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: header = 1, first data row = 2
    column: str | None  # the header as written in the file (normalised), None for the whole row
    code: str  # a message key in locales (import-err-…)
    args: dict[str, object] = field(default_factory=dict)


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    # What an applied import should draw attention to: (message key, its arguments).
    notices: list[tuple[str, dict[str, object]]] = field(default_factory=list)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; ``code`` is a message key, ``args_`` its arguments."""

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code = code
        # Named like ProfileError.args_: ``args`` belongs to BaseException and must stay a tuple.
        self.args_: dict[str, object] = args


# --- reading tables ---------------------------------------------------------------------------

_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """The data rows of the first sheet as ``{header: value}``, headers stripped and lowercased.

    Blank rows between data rows are kept (as all-empty dicts) so that list index + 2 is the
    row number the spreadsheet shows; blank rows at the end are dropped.
    """
    suffix = Path(filename).suffix.lower()
    if suffix in _CSV_SUFFIXES:
        grid = _csv_grid(content)
    elif suffix in _XLSX_SUFFIXES:
        grid = _xlsx_grid(content)
    else:
        raise ImportFileError("import-err-unknown-format", name=filename)
    return _records(grid)


def _records(grid: list[list[str]]) -> list[dict[str, str]]:
    if not grid:
        raise ImportFileError("import-err-empty")
    headers = [" ".join(h.split()).lower() for h in grid[0]]
    if not any(headers):
        raise ImportFileError("import-err-no-header")
    named = [h for h in headers if h]
    duplicate = next((h for h in named if named.count(h) > 1), None)
    if duplicate is not None:
        raise ImportFileError("import-err-duplicate-column", column=duplicate)
    data = grid[1:]
    if not data:
        raise ImportFileError("import-err-empty")
    return [
        {h: (row[i] if i < len(row) else "") for i, h in enumerate(headers) if h}  # unnamed columns: notes
        for row in data
    ]


def _collect(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """Rows up to the last non-blank one, stopping early when there are too many.

    Blank rows are only materialised when data follows them: a sheet formatted down to row
    1 048 576 must not fill the memory.
    """
    grid: list[list[str]] = []
    pending_blank = 0
    for row in rows:
        if not any(row):
            pending_blank += 1
            continue
        grid.extend([] for _ in range(pending_blank))
        pending_blank = 0
        grid.append(list(row))
        if len(grid) - 1 > MAX_ROWS:
            raise ImportFileError("import-err-too-many-rows", max=MAX_ROWS)
    return grid


def _decode(content: bytes) -> str:
    # Excel's «Unicode text» export is UTF-16; otherwise UTF-8 (with or without BOM), then the
    # Windows Cyrillic code page that Russian Excel uses for «CSV (разделители — запятые)».
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError("import-err-unreadable") from exc
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("import-err-unreadable")


def _delimiter(text: str) -> str:
    """The delimiter that splits the header line most: headers rarely contain ``;`` or tabs."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])  # ties go to ";" (Russian Excel) first
    return best if counts[best] else ","


def _csv_grid(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if "\x00" in text:  # a binary file renamed to .csv
        raise ImportFileError("import-err-unreadable")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return _collect([cell.strip() for cell in row] for row in reader)
    except csv.Error as exc:
        raise ImportFileError("import-err-unreadable") from exc


def _xlsx_grid(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ParseError, IndexError)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except unreadable as exc:
        raise ImportFileError("import-err-unreadable") from exc
    try:
        sheet = workbook.worksheets[0]
        return _collect([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    except unreadable as exc:
        raise ImportFileError("import-err-unreadable") from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A typed Excel cell as the text a person would have typed into a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d" if value.time() == time() else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 36 as 36.0
    return str(value).strip()


# --- columns and vocabularies -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the header must be present and every cell filled


_ID = Column("external_id", ("id", "код", "идентификатор", "внешний id"), required=True)
_AREAS = Column("areas", ("области", "области компетенций", "направления"))
_SUBJECTS = Column("subjects", ("предметы", "предмет"))
_URL = Column("url", ("ссылка", "сайт", "адрес сайта"))
_FORMAT = Column("format", ("формат", "форма обучения", "форма проведения"))
_MUNICIPALITY = Column("municipality", ("муниципалитет", "муниципальное образование"), required=True)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "programs": (
        _ID,
        Column("title", ("название", "наименование", "название программы"), required=True),
        Column("provider", ("организатор", "организация", "разработчик"), required=True),
        Column("hours", ("часы", "часов", "объём часов", "количество часов"), required=True),
        Column(_FORMAT.name, _FORMAT.aliases, required=True),
        Column("federal_registry", ("фр дпп", "в фр дпп", "федеральный реестр")),
        Column(_AREAS.name, _AREAS.aliases, required=True),
        _SUBJECTS,
        _URL,
    ),
    "sites": (
        _ID,
        Column("organisation", ("organization", "организация", "площадка"), required=True),
        _MUNICIPALITY,
        Column("topic", ("тема", "тема стажировки"), required=True),
        Column(_AREAS.name, _AREAS.aliases, required=True),
        _SUBJECTS,
        Column("starts_on", ("начало", "дата начала"), required=True),
        Column("ends_on", ("окончание", "дата окончания"), required=True),
        Column("seats", ("мест", "места", "количество мест"), required=True),
        _FORMAT,
        Column("contact", ("контакт", "контакты", "контактное лицо")),
    ),
    "events": (
        _ID,
        Column("title", ("название", "наименование"), required=True),
        Column("kind", ("вид", "тип", "вид мероприятия"), required=True),
        Column("starts_at", ("дата и время", "начало", "дата"), required=True),
        Column("duration_minutes", ("длительность", "продолжительность", "минут")),
        Column("place", ("место", "место проведения")),
        _URL,
        _AREAS,
        _SUBJECTS,
        Column("seats", ("мест", "количество мест")),
        Column("description", ("описание",)),
    ),
    # The mentor registry: people already in the bot, by their Telegram id or their MAX id (one of
    # the two in each row).
    "mentors": (
        Column("telegram_id", ("telegram id", "телеграм id", "id telegram")),
        Column("max_id", ("max id", "id max", "макс id")),
        Column("capacity", ("подопечных", "лимит подопечных", "вместимость")),
        Column("contact", ("контакт", "контакты")),
    ),
    # Who accompanies whom: a methodist, and the teachers of a municipality, of a school (in the
    # municipality when one is given) or one teacher. People by Telegram id or by exact ФИО.
    "caseloads": (
        Column("methodist", ("методист", "куратор"), required=True),
        Column(_MUNICIPALITY.name, _MUNICIPALITY.aliases),
        Column("school", ("школа", "образовательная организация", "оо")),
        Column("teacher", ("педагог", "учитель")),
    ),
    # Official ЦНППМ results (storage/cnppm_import.py): one row per person and area.
    "cnppm-results": (
        Column("full_name", ("фио", "full name", "name", "педагог"), required=True),
        Column(
            "organisation",
            ("организация", "organization", "образовательная организация", "оо"),
            required=True,
        ),
        Column("taken_on", ("дата", "date", "дата диагностики"), required=True),
        Column("instrument", ("инструмент", "диагностический инструмент"), required=True),
        Column("area", ("область", "область компетенций", "компетенция"), required=True),
        Column("result", ("результат", "балл", "score"), required=True),
        Column("deficit", ("дефицит", "дефицит выявлен"), required=True),
    ),
    # «Данные официальной статистики» (storage.statistics_import): the indicators' denominators.
    "statistics": (
        Column("year", ("год",), required=True),
        Column("level", ("уровень",), required=True),
        Column(_MUNICIPALITY.name, _MUNICIPALITY.aliases),
        Column("school", ("школа", "образовательная организация")),
        Column("teachers", ("педагоги", "педагогические работники", "педагогов")),
        Column("managers", ("управленческие кадры", "руководители")),
        Column("schools", ("оо", "количество оо", "образовательные организации")),
        Column("management_teams", ("управленческие команды",)),
        Column("young_teachers", ("молодые педагоги", "молодых педагогов")),
    ),
    "schools": (
        _MUNICIPALITY,
        _ID,
        Column("name", ("название", "наименование", "организация"), required=True),
        Column("internship_site_years", ("годы стажировочной площадки", "стажировочная площадка", "годы")),
    ),
}

_FORMATS = {
    **dict.fromkeys(("очно", "очная", "ochno"), "ochno"),
    **dict.fromkeys(("дистанционно", "дистанционная", "distance"), "distance"),
    **dict.fromkeys(("смешанно", "смешанная", "mixed"), "mixed"),
}
EVENT_KINDS: dict[str, str] = {
    "seminar": "семинар",
    "webinar": "вебинар",
    "master_class": "мастер-класс",
    "conference": "конференция",
    "readings": "педагогические чтения",
    "contest": "конкурс",
    "round_table": "круглый стол",
    "open_lesson": "открытый урок",
}
_BOOLEANS = {
    **dict.fromkeys(("да", "yes", "1", "true", "истина"), True),
    **dict.fromkeys(("нет", "no", "0", "false", "ложь"), False),
}


def _key(text: str) -> str:
    """Comparison form: case, ё/е, hyphens, underscores and spacing do not matter."""
    folded = text.casefold().replace("ё", "е").replace("-", " ").replace("_", " ")
    return " ".join(folded.split())


def _table(pairs: Iterable[tuple[str, T]]) -> dict[str, T]:
    return {_key(name): value for name, value in pairs}


_FORMAT_TABLE = _table(_FORMATS.items())
_EVENT_KIND_TABLE = _table(
    [*((name, code) for code, name in EVENT_KINDS.items()), *((c, c) for c in EVENT_KINDS)]
)
_BOOLEAN_TABLE = _table(_BOOLEANS.items())


@cache
def _named_codes(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Codes and their names in every catalogue (``area-<code>``, ``subject-<code>``)."""
    translations = Translations()
    pairs = [(code, code) for code in codes]
    for locale in translations.locales:
        t = translations.get(locale)
        pairs += [(t(f"{prefix}-{code}"), code) for code in codes if t.has(f"{prefix}-{code}")]
    return _table(pairs)


def _max_len(model: type[Base], column: str) -> int:
    length = model.__table__.c[column].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int), f"{model.__name__}.{column} has no length"
    return length


# --- validating rows --------------------------------------------------------------------------

_LIST_SPLIT = re.compile(r"[,;\n]")
_INT = re.compile(r"[+-]?\d+")
_DAY_RU = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DAY_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MOMENT_RU = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T,]+(\d{1,2})[:.](\d{2})(?::\d{2})?")
_MOMENT_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…"


@dataclass
class _Context:
    region: Region
    tz: ZoneInfo
    municipalities: dict[str, int]  # _key(name) and _key(external id) → id


class _Row:
    """One row's cells read by canonical column name; problems are collected, not raised."""

    def __init__(self, number: int, cells: dict[str, str], headers: dict[str, str], required: set[str]):
        self.number = number
        self.cells = cells
        self.headers = headers  # canonical name → header as written in the file
        self.required = required
        self.errors: list[RowError] = []

    def error(self, name: str, code: str, **args: object) -> None:
        self.errors.append(RowError(self.number, self.headers.get(name, name), code, args))

    def raw(self, name: str) -> str | None:
        """The cell, or None when it is empty (an error if the column is required)."""
        value = self.cells.get(self.headers[name], "") if name in self.headers else ""
        if value:
            return value
        if name in self.required:
            self.error(name, "import-err-required")
        return None

    def text(self, name: str, max_len: int) -> str | None:
        value = self.raw(name)
        if value is not None and len(value) > max_len:
            self.error(name, "import-err-too-long", max=max_len, length=len(value))
            return None
        return value

    def integer(self, name: str, low: int, high: int, default: int | None = None) -> int | None:
        value = self.raw(name)
        if value is None:
            return default
        compact = "".join(value.split())  # «1 000» as Russian Excel writes it
        if not _INT.fullmatch(compact):
            self.error(name, "import-err-not-integer", value=_shown(value))
            return None
        number = int(compact)
        if not low <= number <= high:
            self.error(name, "import-err-out-of-range", value=compact, min=low, max=high)
            return None
        return number

    def choice(self, name: str, table: dict[str, T], code: str, default: T | None = None) -> T | None:
        value = self.raw(name)
        if value is None:
            return default
        found = table.get(_key(value))
        if found is None:
            self.error(name, code, value=_shown(value))
        return found

    def boolean(self, name: str, default: bool) -> bool | None:
        value = self.raw(name)
        if value is None:
            return default
        found = _BOOLEAN_TABLE.get(_key(value))
        if found is None:
            self.error(name, "import-err-bad-boolean", value=_shown(value))
        return found

    def codes(self, name: str, table: dict[str, str], code: str, allowed: Sequence[str]) -> list[str]:
        """Several codes or names separated by commas or semicolons, each known; order kept."""
        value = self.raw(name)
        errors_before = len(self.errors)
        result: list[str] = []
        for part in _LIST_SPLIT.split(value or ""):
            if not part.strip():
                continue
            found = table.get(_key(part))
            if found is None:
                self.error(name, code, value=_shown(part.strip()), allowed=", ".join(allowed))
            elif found not in result:
                result.append(found)
        if value is not None and not result and name in self.required and len(self.errors) == errors_before:
            self.error(name, "import-err-required")  # a cell of bare separators
        return result

    def url(self, name: str, max_len: int) -> str | None:
        value = self.text(name, max_len)
        if value is not None and (not value.lower().startswith(("http://", "https://")) or " " in value):
            self.error(name, "import-err-bad-url", value=_shown(value))
            return None
        return value

    def day(self, name: str) -> date | None:
        value = self.raw(name)
        if value is None:
            return None
        if match := _DAY_RU.fullmatch(value):
            day, month, year = (int(g) for g in match.groups())
        elif match := _DAY_ISO.fullmatch(value):
            year, month, day = (int(g) for g in match.groups())
        else:
            self.error(name, "import-err-bad-date", value=_shown(value))
            return None
        try:
            parsed = date(year, month, day)
        except ValueError:
            self.error(name, "import-err-bad-date", value=_shown(value))
            return None
        return parsed if self._in_years(name, value, parsed.year) else None

    def moment(self, name: str, tz: ZoneInfo) -> datetime | None:
        """Local wall time of the region (or an explicit offset) as an aware UTC datetime."""
        value = self.raw(name)
        if value is None:
            return None
        try:
            if match := _MOMENT_RU.fullmatch(value):
                day, month, year, hour, minute = (int(g) for g in match.groups())
                parsed = datetime(year, month, day, hour, minute)  # noqa: DTZ001 — zone set below
            elif _MOMENT_ISO.fullmatch(value):
                parsed = datetime.fromisoformat(value)
            else:
                raise ValueError(value)
        except ValueError:
            self.error(name, "import-err-bad-datetime", value=_shown(value))
            return None
        if not self._in_years(name, value, parsed.year):
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed.astimezone(UTC)

    def years(self, name: str) -> list[int]:
        value = self.raw(name)
        parts = [p for p in re.split(r"[,;\s]+", value or "") if p]
        if not all(re.fullmatch(r"\d{4}", p) and YEARS[0] <= int(p) <= YEARS[1] for p in parts):
            self.error(name, "import-err-bad-years", value=_shown(value or ""))
            return []
        return sorted({int(p) for p in parts})

    def _in_years(self, name: str, value: str, year: int) -> bool:
        if YEARS[0] <= year <= YEARS[1]:
            return True
        self.error(name, "import-err-date-range", value=_shown(value), min=str(YEARS[0]), max=str(YEARS[1]))
        return False


def _areas(row: _Row) -> list[str]:
    return row.codes("areas", _named_codes("area", AREA_CODES), "import-err-unknown-area", AREA_CODES)


def _subjects(row: _Row) -> list[str]:
    return row.codes("subjects", _named_codes("subject", SUBJECTS), "import-err-unknown-subject", SUBJECTS)


def _format(row: _Row, default: str | None = None) -> str | None:
    return row.choice("format", _FORMAT_TABLE, "import-err-bad-format", default)


def _parse_program(row: _Row, ctx: _Context) -> dict[str, Any]:
    return {
        "external_id": row.text("external_id", _max_len(Program, "external_id")),
        "title": row.text("title", _max_len(Program, "title")),
        "provider": row.text("provider", _max_len(Program, "provider")),
        "hours": row.integer("hours", 1, 2000),
        "format": _format(row),
        "federal_registry": row.boolean("federal_registry", default=False),
        "areas": _areas(row),
        "subjects": _subjects(row),
        "url": row.url("url", _max_len(Program, "url")),
    }


def _parse_site(row: _Row, ctx: _Context) -> dict[str, Any]:
    values = {
        "external_id": row.text("external_id", _max_len(InternshipSite, "external_id")),
        "organisation": row.text("organisation", _max_len(InternshipSite, "organisation")),
        "municipality_id": _municipality(row, ctx),
        "topic": row.text("topic", _max_len(InternshipSite, "topic")),
        "areas": _areas(row),
        "subjects": _subjects(row),
        "starts_on": row.day("starts_on"),
        "ends_on": row.day("ends_on"),
        "seats": row.integer("seats", 1, 1000),
        "format": _format(row, default="ochno"),
        "contact": row.text("contact", _max_len(InternshipSite, "contact")),
    }
    starts, ends = values["starts_on"], values["ends_on"]
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        row.error("ends_on", "import-err-date-order", starts=row.raw("starts_on"), ends=row.raw("ends_on"))
    return values


def _parse_event(row: _Row, ctx: _Context) -> dict[str, Any]:
    return {
        "external_id": row.text("external_id", _max_len(Event, "external_id")),
        "title": row.text("title", _max_len(Event, "title")),
        "kind": _event_kind(row),
        "starts_at": row.moment("starts_at", ctx.tz),
        "duration_minutes": row.integer("duration_minutes", 10, 1440, default=90),
        "place": row.text("place", _max_len(Event, "place")),
        "url": row.url("url", _max_len(Event, "url")),
        "areas": _areas(row),
        "subjects": _subjects(row),
        "seats": row.integer("seats", 1, 100_000),
        "description": row.text("description", DESCRIPTION_MAX),
    }


def _event_kind(row: _Row) -> str | None:
    return row.choice("kind", _EVENT_KIND_TABLE, "import-err-bad-event-kind")


def _parse_school(row: _Row, ctx: _Context) -> dict[str, Any]:
    return {
        "municipality_id": _municipality(row, ctx),
        "external_id": row.text("external_id", _max_len(School, "external_id")),
        "name": row.text("name", _max_len(School, "name")),
        "internship_site_years": row.years("internship_site_years"),
    }


def _municipality(row: _Row, ctx: _Context) -> int | None:
    return row.choice("municipality", ctx.municipalities, "import-err-unknown-municipality")


_PARSERS: dict[str, Callable[[_Row, _Context], dict[str, Any]]] = {
    "programs": _parse_program,
    "sites": _parse_site,
    "events": _parse_event,
    "schools": _parse_school,
}
_Catalogued = Program | InternshipSite | Event | School
_MODELS: dict[str, type[_Catalogued]] = {
    "programs": Program,
    "sites": InternshipSite,
    "events": Event,
    "schools": School,
}


def _map_headers(kind: str, headers: Iterable[str]) -> dict[str, str]:
    """Canonical column name → the header used in the file; unknown headers are ignored."""
    columns = COLUMNS[kind]
    names = _table((alias, c.name) for c in columns for alias in (c.name, *c.aliases))
    mapped: dict[str, str] = {}
    for header in headers:
        name = names.get(_key(header.rstrip("*")))
        if name is None:
            continue
        if name in mapped:
            raise ImportFileError("import-err-duplicate-column", column=header)
        mapped[name] = header
    missing = [c for c in columns if c.required and c.name not in mapped]
    if missing:
        listed = ", ".join(f"{c.name} ({c.aliases[0]})" if c.aliases else c.name for c in missing)
        raise ImportFileError("import-err-missing-columns", columns=listed)
    return mapped


# --- importing --------------------------------------------------------------------------------

_Key = str | tuple[int, str]


def _row_key(kind: str, values: dict[str, Any]) -> _Key | None:
    if values["external_id"] is None:
        return None
    if kind == "schools":
        # School ids are unique within a municipality only.
        return (
            None if values["municipality_id"] is None else (values["municipality_id"], values["external_id"])
        )
    return str(values["external_id"])


async def _context(session: AsyncSession, region: Region) -> _Context:
    municipalities: dict[str, int] = {}
    for m in await session.scalars(select(Municipality).where(Municipality.region_code == region.code)):
        municipalities.setdefault(_key(m.external_id), m.id)
        # Names win over ids when both could match: the admin's guide asks for names.
        municipalities[_key(m.name)] = m.id
    return _Context(region, ZoneInfo(region.timezone), municipalities)


async def _existing(session: AsyncSession, kind: str, ctx: _Context, keys: Iterable[_Key]) -> dict[_Key, Any]:
    if kind == "schools":
        ids = set(ctx.municipalities.values())
        schools = await session.scalars(select(School).where(School.municipality_id.in_(ids)))
        return {(s.municipality_id, s.external_id): s for s in schools}
    model = _MODELS[kind]
    found: dict[_Key, Any] = {}
    for chunk in _chunks(sorted(str(k) for k in keys), 500):  # SQLite limits bound parameters
        # Annotated: select() of a union of classes would otherwise infer their common Base.
        statement: Select[_Catalogued] = select(model)
        for item in await session.scalars(statement.where(model.external_id.in_(chunk))):
            found[item.external_id] = item
    return found


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def import_catalogue(
    session: AsyncSession,
    kind: str,
    region_code: str,
    filename: str,
    content: bytes,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Validate every row, then upsert by external id — or, on any error, write nothing.

    ``actor_id`` and ``now`` say who assigns caseloads, and when (an admin's upload; none from the
    command line). Only flushes: the caller commits (or rolls back) the session.
    """
    if kind not in KINDS:
        raise ImportFileError("import-err-unknown-kind", kind=kind)
    region = await session.get(Region, region_code)
    if region is None:
        raise ImportFileError("import-err-unknown-region", region=region_code)
    # Parsing an upload (up to 5 MB of XLSX: seconds of openpyxl) must not stop the event loop.
    records = await asyncio.to_thread(read_table, filename, content)
    headers = _map_headers(kind, records[0].keys())
    if kind == "mentors":
        return await _import_mentors(session, region, records, headers)
    if kind == "caseloads":
        return await _import_caseloads(session, region, records, headers, actor_id, now)
    if kind == "cnppm-results":
        return await _import_cnppm(session, region, records, headers, actor_id, now)
    if kind == "statistics":
        from storage.statistics_import import import_statistics  # it builds on this module

        return await import_statistics(session, region, records, headers)
    required = {c.name for c in COLUMNS[kind] if c.required}
    ctx = await _context(session, region)

    report = ImportReport(kind)
    valid: dict[_Key, tuple[int, dict[str, Any]]] = {}
    first_rows: dict[_Key, int] = {}
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue  # a blank line between data rows
        row = _Row(index + 2, cells, headers, required)
        values = _PARSERS[kind](row, ctx)
        key = _row_key(kind, values)
        if key is not None and key in first_rows:
            row.error(
                "external_id",
                "import-err-duplicate-id",
                value=values["external_id"],
                first_row=str(first_rows[key]),
            )
        elif key is not None:
            first_rows[key] = row.number
        report.errors.extend(row.errors)
        if not row.errors and key is not None:
            valid[key] = (row.number, values)

    existing = await _existing(session, kind, ctx, valid)
    if kind != "schools":
        report.errors += _foreign(existing, valid, headers, region.code)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)  # stable: a row's errors keep the column order
        return report

    for key, (_, values) in valid.items():
        item = existing.get(key)
        if item is None:
            item = _MODELS[kind]()
            session.add(item)
            report.created += 1
        else:
            report.updated += 1
        for name, value in values.items():
            setattr(item, name, value)
        if not isinstance(item, School):  # every kind but "schools" belongs to the region itself
            item.region_code = region.code
    await session.flush()
    report.applied = True
    return report


def _foreign(
    existing: dict[_Key, Any],
    valid: dict[_Key, tuple[int, dict[str, Any]]],
    headers: dict[str, str],
    region: str,
) -> list[RowError]:
    """External ids are unique across regions: one region's file must not take over another's rows."""
    return [
        RowError(
            number,
            headers["external_id"],
            "import-err-foreign-id",
            {"value": str(key), "region": item.region_code or "—"},
        )
        for key, (number, _) in valid.items()
        if (item := existing.get(key)) is not None and item.region_code != region
    ]


async def _import_mentors(
    session: AsyncSession, region: Region, records: list[dict[str, str]], headers: dict[str, str]
) -> ImportReport:
    """Put registered teachers of the region into the mentor registry (source «imported»)."""
    from storage.repositories import UserRepo  # storage modules import each other only where needed

    if "telegram_id" not in headers and "max_id" not in headers:
        raise ImportFileError("import-err-missing-columns", columns="telegram_id | max_id")
    required = {c.name for c in COLUMNS["mentors"] if c.required}
    report = ImportReport("mentors")
    valid: dict[int, tuple[User, int | None, str | None]] = {}
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue
        row = _Row(index + 2, cells, headers, required)
        telegram_id = row.integer("telegram_id", 1, 10**15)
        max_id = row.integer("max_id", 1, 10**15)
        capacity = row.integer("capacity", 1, 20)
        contact = row.text("contact", _max_len(MentorProfile, "contact"))
        if (telegram_id is None) == (max_id is None) and not row.errors:
            row.error("telegram_id" if "telegram_id" in headers else "max_id", "import-err-one-account")
        elif not row.errors:
            column, messenger, account = (
                ("max_id", "max", max_id) if max_id is not None else ("telegram_id", "telegram", telegram_id)
            )
            assert account is not None
            user = await UserRepo(session).by_telegram_id(account, messenger)  # own or linked account
            shown = f"{'MAX' if messenger == 'max' else 'Telegram'} ID {account}"
            if user is None or user.region_code != region.code:
                row.error(column, "import-err-unknown-user", value=shown)
            elif user.id in valid:
                row.error(column, "import-err-duplicate-id", value=shown, first_row="—")
            else:
                valid[user.id] = (user, capacity, contact)
        report.errors.extend(row.errors)
    if report.errors:
        return report
    for user, capacity, contact in valid.values():
        profile = await session.get(MentorProfile, user.id)
        if profile is None:
            profile = MentorProfile(user_id=user.id, source="imported")
            session.add(profile)
            report.created += 1
        else:
            report.updated += 1
        profile.active = True
        profile.capacity = capacity
        if contact is not None:
            profile.contact = contact
    await session.flush()
    report.applied = True
    return report


# --- caseloads -------------------------------------------------------------------------------

_TARGETS = ("teacher", "school", "municipality")  # the most specific row wins for a teacher


# A person named by their MAX id in a file: «MAX 123456» (or «max:123456»); a bare number is a
# Telegram id.
_MAX_ACCOUNT = re.compile(r"(?:max|макс)[:№#]?(\d+)", re.IGNORECASE)


@dataclass
class _People:
    """Users of a region found by their account — a Telegram id, or a MAX id written «MAX 123» —
    or by ФИО (``_key``; several people may share one)."""

    by_account: dict[tuple[str, int], int] = field(default_factory=dict)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    def add(self, user_id: int, messenger: str, external_id: int, name: str | None) -> None:
        self.by_account[(messenger, external_id)] = user_id
        if name:
            self.by_name.setdefault(_key(name), []).append(user_id)

    def find(self, row: _Row, column: str, unknown: str) -> int | None:
        """The person a cell names; an error when nobody, or several people, bear that name."""
        value = row.raw(column)
        if value is None:
            return None
        compact = "".join(value.split())
        on_max = _MAX_ACCOUNT.fullmatch(compact)
        if on_max or _INT.fullmatch(compact):
            account = ("max", int(on_max.group(1))) if on_max else ("telegram", int(compact))
            found = self.by_account.get(account)
            if found is None:
                row.error(column, unknown, value=_shown(value))
            return found
        named = self.by_name.get(_key(value), [])
        if len(named) > 1:
            row.error(column, "import-err-ambiguous-person", value=_shown(value), count=len(named))
            return None
        if not named:
            row.error(column, unknown, value=_shown(value))
            return None
        return named[0]


async def _import_caseloads(
    session: AsyncSession,
    region: Region,
    records: list[dict[str, str]],
    headers: dict[str, str],
    actor_id: int | None,
    now: datetime | None,
) -> ImportReport:
    """Assign teachers of the region to its methodists, as an admin would in /caseload: every row
    checked first, then every assignment written — or none. A row names a methodist and either a
    teacher, a school, or a whole municipality; for a teacher named by several rows the most
    specific wins (teacher, then school, then municipality). ``created`` counts teachers put into a
    caseload for the first time, ``updated`` those moved from another methodist."""
    from storage import caseload  # storage modules import each other only where needed

    if not any(target in headers for target in _TARGETS):
        listed = "municipality | school | teacher (муниципалитет | школа | педагог)"
        raise ImportFileError("import-err-missing-columns", columns=listed)
    ctx = await _context(session, region)
    staff, teachers = _People(), _People()
    for user in await session.scalars(
        select(User).where(User.region_code == region.code, User.role.in_(caseload.STAFF_ROLES))
    ):
        staff.add(user.id, user.messenger, user.telegram_id, user.full_name)
    teacher_rows = await session.execute(
        select(
            User.id, User.messenger, User.telegram_id, User.full_name, User.municipality_id, User.school_id
        ).where(caseload.is_assignable_teacher(region.code))
    )
    places: dict[int, tuple[int | None, int | None]] = {}  # teacher → (municipality, school)
    for user_id, messenger, external_id, name, municipality_id, school_id in teacher_rows.all():
        teachers.add(user_id, messenger, external_id, name)
        places[user_id] = (municipality_id, school_id)
    schools = await _region_schools(session, set(ctx.municipalities.values()))

    required = {c.name for c in COLUMNS["caseloads"] if c.required}
    report = ImportReport("caseloads")
    first_rows: dict[tuple[str, int], int] = {}
    wanted: list[tuple[str, int, int]] = []  # (target kind, target id, methodist id)
    for index, cells in enumerate(records):
        if not any(cells.values()):
            continue
        row = _Row(index + 2, cells, headers, required)
        methodist = staff.find(row, "methodist", "import-err-unknown-methodist")
        target = _caseload_target(row, ctx, schools, teachers)
        if target is not None:
            if target in first_rows:
                column = target[0]
                row.error(
                    column,
                    "import-err-duplicate-target",
                    value=_shown(row.raw(column) or ""),
                    first_row=str(first_rows[target]),
                )
            else:
                first_rows[target] = row.number
        report.errors.extend(row.errors)
        if not row.errors and methodist is not None and target is not None:
            wanted.append((*target, methodist))
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    # Teachers of each target, indexed once: a file of 10 000 rows over a region of as many teachers
    # must not compare every row with every teacher.
    covered: dict[tuple[str, int], list[int]] = {}
    for teacher_id, (municipality_id, school_id) in places.items():
        covered.setdefault(("teacher", teacher_id), []).append(teacher_id)
        if school_id is not None:
            covered.setdefault(("school", school_id), []).append(teacher_id)
        if municipality_id is not None:
            covered.setdefault(("municipality", municipality_id), []).append(teacher_id)
    chosen: dict[int, tuple[int, int]] = {}  # teacher → (specificity, methodist)
    for kind, target_id, methodist_id in wanted:
        rank = _TARGETS.index(kind)
        for teacher_id in covered.get((kind, target_id), []):
            if teacher_id not in chosen or rank < chosen[teacher_id][0]:
                chosen[teacher_id] = (rank, methodist_id)
    written = await caseload.assign_many(
        session, {teacher: methodist for teacher, (_, methodist) in chosen.items()}, actor_id, now=now
    )
    report.created, report.updated, report.applied = written.created, written.moved, True
    report.notices = await _over_limit(session, region, {methodist for _, _, methodist in wanted})
    return report


async def _over_limit(
    session: AsyncSession, region: Region, methodist_ids: set[int]
) -> list[tuple[str, dict[str, object]]]:
    """The methodists of the file whose caseload is now over the region's limit (C-5)."""
    from storage import caseload
    from storage.repositories import DirectoryRepo

    settings = await DirectoryRepo(session).region_settings(region.code)
    limit = settings.caseload_target(datetime.now(UTC).year) if settings else DEFAULT_CASELOAD_TARGET
    counts = await caseload.caseload_counts(session)
    over = [key for key in methodist_ids if counts.get(key, 0) > limit]
    names = {
        u.id: u.full_name or str(u.telegram_id)
        for u in await session.scalars(select(User).where(User.id.in_(over)))
    }
    return [
        ("import-caseloads-over-limit", {"name": names[key], "count": counts[key], "limit": limit})
        for key in sorted(over, key=lambda k: (names[k], k))
    ]


@dataclass
class _Schools:
    """The region's schools by ``_key`` of name or external id, all and per municipality."""

    anywhere: dict[str, set[int]] = field(default_factory=dict)
    within: dict[tuple[int, str], int] = field(default_factory=dict)


async def _region_schools(session: AsyncSession, municipality_ids: set[int]) -> _Schools:
    found = _Schools()
    for school in await session.scalars(select(School).where(School.municipality_id.in_(municipality_ids))):
        for name in (school.external_id, school.name):
            found.anywhere.setdefault(_key(name), set()).add(school.id)
            found.within[(school.municipality_id, _key(name))] = school.id
    return found


def _caseload_target(
    row: _Row, ctx: _Context, schools: _Schools, teachers: _People
) -> tuple[str, int] | None:
    """What a row assigns: ("teacher" | "school" | "municipality", its id); errors on the row."""
    filled = {name for name in _TARGETS if row.raw(name) is not None}
    if "teacher" in filled:
        if len(filled) > 1:
            row.error("teacher", "import-err-caseload-one-target")
            return None
        found = teachers.find(row, "teacher", "import-err-unknown-teacher")
        return None if found is None else ("teacher", found)
    municipality = _municipality(row, ctx) if "municipality" in filled else None
    if "school" in filled:
        if "municipality" in filled and municipality is None:
            return None  # the municipality's error is reported
        value = row.raw("school") or ""
        if municipality is not None:
            school = schools.within.get((municipality, _key(value)))
            candidates = set() if school is None else {school}
        else:
            candidates = schools.anywhere.get(_key(value), set())
        if len(candidates) > 1:
            row.error("school", "import-err-ambiguous-school", value=_shown(value))
            return None
        if not candidates:
            row.error("school", "import-err-unknown-school", value=_shown(value))
            return None
        return ("school", candidates.pop())
    if municipality is not None:
        return ("municipality", municipality)
    if not filled:
        row.errors.append(RowError(row.number, None, "import-err-caseload-no-target"))
    return None


# --- ЦНППМ results (storage/cnppm_import.py) -------------------------------------------------


async def _import_cnppm(
    session: AsyncSession,
    region: Region,
    records: list[dict[str, str]],
    headers: dict[str, str],
    actor_id: int | None,
    now: datetime | None,
) -> ImportReport:
    from storage.cnppm_import import import_cnppm_results
    from storage.frameworks import Frameworks
    from storage.repositories import DirectoryRepo

    settings = await DirectoryRepo(session).region_settings(region.code)
    framework = Frameworks().get((settings or RegionSettings.model_validate(region.config)).framework)
    required = {c.name for c in COLUMNS["cnppm-results"] if c.required}
    return await import_cnppm_results(
        session,
        region,
        records,
        headers,
        required,
        framework,
        actor_id=actor_id,
        now=now or datetime.now(UTC),
    )


async def load_demo_catalogue(session: AsyncSession) -> list[ImportReport]:
    """Import the shipped demo files for the demo region; the caller commits.

    The files are ours, so any error is a bug and raises instead of being reported.
    """
    reports = []
    for kind in DEMO_KINDS:
        path = DEMO_CATALOGUE_DIR / f"{kind}.csv"
        report = await import_catalogue(session, kind, DEMO_REGION, path.name, path.read_bytes())
        if not report.applied:
            problems = "; ".join(f"row {e.row} {e.column}: {e.code} {e.args}" for e in report.errors[:10])
            raise ValueError(f"{path}: {problems}")
        reports.append(report)
    return reports
