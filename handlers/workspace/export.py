"""The caseload as an XLSX workbook, a row per teacher, rendered in the render worker."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from aiogram import F
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.render_worker import render_in_worker
from handlers.workspace import views
from handlers.workspace.routers import router
from locales import Translator
from services import workspace as service
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import User

EXPORT_COLUMNS = (
    ("fio", 32),
    ("position", 22),
    ("school", 30),
    ("municipality", 26),
    ("subjects", 28),
    ("young", 12),
    ("self-date", 14),
    ("self-deficits", 34),
    ("official-date", 16),
    ("route-status", 22),
    ("items-done", 12),
    ("items-total", 12),
    ("overdue", 12),
    ("mentor", 28),
)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.EXPORT))
async def export_caseload(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    export = await service.export(uow, user, rules)
    if not export.views:
        await query.answer(t("ws-export-empty"), show_alert=True)
        return
    await query.answer()
    columns = [(t(f"ws-col-{key}"), width) for key, width in EXPORT_COLUMNS]
    rows = [_export_row(view, frameworks, t) for view in export.views]
    data = await render_in_worker(caseload_xlsx, columns, rows, t("ws-export-sheet"))
    await message.answer_document(
        BufferedInputFile(data, filename=f"caseload-{export.today:%Y-%m-%d}.xlsx"),
        caption=t("ws-export-caption", count=len(rows), date=export.today),
    )


def _export_row(view: service.TeacherOverview, frameworks: Frameworks, t: Translator) -> list[object]:
    """One teacher's row; None leaves a cell empty."""
    teacher, diagnosis, route = view.teacher, view.self_diagnosis, view.route
    return [
        teacher.full_name,
        t(f"position-{teacher.position}") if teacher.position else None,
        teacher.school.name if teacher.school else teacher.school_custom,
        teacher.municipality.name if teacher.municipality else teacher.municipality_custom,
        ", ".join(t(f"subject-{code}") for code in teacher.subjects) or None,
        t("yes") if view.young else t("no"),
        views.day(diagnosis) if diagnosis else None,
        views.deficit_names(diagnosis, frameworks, t) if diagnosis else None,
        views.day(view.official) if view.official else None,
        t(f"route-status-{route.status}") if route else None,
        view.items_done,
        view.items_total,
        view.items_overdue,
        view.mentor.full_name if view.mentor else None,
    ]


def caseload_xlsx(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[object]], title: str) -> bytes:
    """A one-sheet workbook: a bold frozen header row of (name, width) columns, dates as dates."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text (a school's name), never a formula
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
