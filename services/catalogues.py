"""«Импорт каталогов»: an admin (or the operator, from the command line) imports a catalogue file —
programmes, internship sites, events, schools or mentors — for a region.

Every row is checked first; if any is bad nothing is written and the report lists the errors row
by row. A re-import updates entries by their external id. Reading the file (seconds of openpyxl
for a large XLSX) runs in a worker thread, not in the event loop (``storage.importers``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from domain.roles import Role, municipal_scope
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage import importers
from storage.audit import audit
from storage.importers import KINDS, ImportFileError, ImportReport, RowError
from storage.models import User

__all__ = [
    "KINDS",
    "MAX_FILE_BYTES",
    "ImportFileError",
    "ImportReport",
    "Imported",
    "Rejected",
    "RowError",
    "import_file",
    "import_upload",
    "kind_at",
]

log = logging.getLogger(__name__)
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Imported:
    """Every row checked: ``report.applied`` if it was written, else the errors row by row."""

    report: ImportReport


@dataclass(frozen=True, slots=True)
class Rejected:
    """The file as a whole cannot be imported (unreadable, a required column missing…)."""

    error: ImportFileError


def kind_at(role: Role, index: int) -> str | Stale | Denied:
    """The catalogue kind of the ``index``-th choice (``KINDS``)."""
    if role != Role.ADMIN:
        return DENIED
    if not 0 <= index < len(KINDS):
        return STALE
    return KINDS[index]


async def import_upload(
    uow: UnitOfWork,
    admin: User,
    role: Role,
    home_region: str,
    *,
    kind: str | None,
    filename: str | None,
    size: int | None,
    read: Callable[[], Awaitable[bytes]],
) -> Imported | Rejected | Invalid | Stale | Denied:
    """A file an admin sent for ``kind``, into their region (the home region if they have none).

    ``read`` fetches the file's bytes; it is called only for a known kind and a file within
    ``MAX_FILE_BYTES``. An applied import is audited and committed."""
    if role != Role.ADMIN:
        return DENIED
    if kind not in KINDS:
        return STALE
    if kind == "caseloads" and municipal_scope(role, admin.staff_title, admin.municipality_id) is not None:
        return DENIED  # a file assigns across the region: a municipal admin assigns in /caseload
    if (size or 0) > MAX_FILE_BYTES:
        return Invalid("import-file-too-big", {"max": MAX_FILE_BYTES // (1024 * 1024)})
    content = await read()
    admin_id, region = admin.id, admin.region_code or home_region
    result = await _check_and_write(uow, kind, region, filename or "catalogue", content, admin_id)
    if isinstance(result, Imported) and result.report.applied:
        report = result.report
        await audit(
            uow.session,
            admin_id,
            "catalogue.import",
            kind=kind,
            created=report.created,
            updated=report.updated,
        )
        await uow.commit()
        # Not ``created``: a LogRecord has that attribute, and logging refuses to overwrite it.
        log.info(
            "catalogue imported", extra={"user_id": admin_id, "kind": kind, "rows_created": report.created}
        )
    return result


async def import_file(
    uow: UnitOfWork, kind: str, region_code: str, filename: str, content: bytes
) -> Imported | Rejected:
    """Check every row of ``content``, then write them all (committed) — or nothing."""
    result = await _check_and_write(uow, kind, region_code, filename, content)
    if isinstance(result, Imported) and result.report.applied:
        report = result.report
        if kind == "caseloads":  # who accompanies whom changed, as by an admin in /caseload
            await audit(
                uow.session,
                None,
                "catalogue.import",
                kind=kind,
                created=report.created,
                updated=report.updated,
                source="cli",
            )
        await uow.commit()
    return result


async def _check_and_write(
    uow: UnitOfWork, kind: str, region_code: str, filename: str, content: bytes, actor_id: int | None = None
) -> Imported | Rejected:
    """The import, flushed but not committed when every row passed. Otherwise nothing was written
    (the rows are all checked before the first write): the reading transaction just ends, and the
    objects the caller holds (the speaker) stay loaded."""
    try:
        report = await importers.import_catalogue(
            uow.session, kind, region_code, filename, content, actor_id=actor_id, now=uow.now()
        )
    except ImportFileError as err:
        await uow.release()
        return Rejected(err)
    if not report.applied:
        await uow.release()
    return Imported(report)
