"""Monitoring indicators and the audit log for admins.

«📊 Показатели» in /admin: the summary of the admin's region (each indicator against its
target), the municipalities below target, the XLSX report with «адресные рекомендации», and
the audit log. Everything here is behind the admin role; a forged button from anyone else
falls through to ``admin.denied``. What is shown — the region, its day, the report, the log's
page — comes from ``services.indicators``; here it is put into words and an XLSX workbook
(written in the render worker).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from openpyxl import Workbook
from openpyxl.styles import Font

from domain.indicators import (
    BY_KEY,
    DEFINITIONS,
    FIGURES,
    LEVELS,
    REGION,
    SCHOOL,
    Definition,
    Figure,
    Recommendation,
    Report,
    Status,
    UnitReport,
    Value,
    below_target,
)
from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.render import no_access
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from services import indicators as service
from services.results import Denied
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="indicators")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))

MUNICIPALITIES_SHOWN = 25
TEXT_BUDGET = 3500
MARKS = {Status.MEETS: "✅", Status.BELOW: "⚠️", Status.NO_TARGET: "—", Status.NO_DATA: "—"}


# --- the summary -------------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.INDICATORS))
async def summary(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(uow, user, role, home_region)
    if isinstance(shown, Denied):
        await no_access(query, t)
        return
    await query.answer()
    await message.edit_text(
        summary_text(shown.report, _region_name(shown.region, t), shown.today, t), reply_markup=_summary_kb(t)
    )


def summary_text(report: Report, region_name: str, today: date, t: Translator) -> str:
    unit = report.region
    lines = [t("ind-summary-title", region=region_name, date=today, people=unit.people), ""]
    lines += [_indicator_line(d, unit.values[d.key], t) for d in DEFINITIONS if d.key in unit.values]
    lines += ["", t("ind-ops-title")]
    lines += [_figure_line(key, unit.figures[key], t) for key, _ in FIGURES]
    if report.recommendations:
        lines += ["", t("ind-summary-recs", count=len(report.recommendations))]
    return "\n".join(lines)


def _indicator_line(definition: Definition, value: Value, t: Translator) -> str:
    name = t(f"ind-{definition.key}-name")
    mark = MARKS[value.status]
    if value.status == Status.NO_DATA:
        return t("ind-line-nodata", mark=mark, id=definition.id, name=name)
    if definition.ratio:
        return t(
            "ind-line-c5",
            mark=mark,
            id=definition.id,
            name=name,
            avg=_num(value.value, t),
            max=value.maximum or 0,
            num=value.numerator,
            den=value.denominator,
            target=_target(definition, value, t),
        )
    return t(
        "ind-line",
        mark=mark,
        id=definition.id,
        name=name,
        value=_pct(value.value, t),
        num=value.numerator,
        den=value.denominator,
        target=_target(definition, value, t),
    )


def _target(definition: Definition, value: Value, t: Translator) -> str:
    if value.target is None:
        return t("ind-target-none")
    key = "ind-target-min" if definition.higher_is_better else "ind-target-max"
    return t(key, target=_num(value.target, t), unit="" if definition.ratio else "%")


def _figure_line(key: str, figure: Figure, t: Translator) -> str:
    return t(
        f"ind-fig-{key.replace('_', '-')}",
        num=figure.numerator,
        den=figure.denominator if figure.denominator is not None else 0,
        value=_pct(figure.value, t) if figure.denominator is not None else _num(figure.value, t),
    )


def _summary_kb(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(
        text=t("ind-btn-municipalities"), callback_data=AdminCb(action=AdminAction.INDICATORS_MUNICIPALITIES)
    )
    kb.button(text=t("ind-btn-xlsx"), callback_data=AdminCb(action=AdminAction.INDICATORS_XLSX))
    kb.button(text=t("ind-btn-log"), callback_data=AdminCb(action=AdminAction.AUDIT_LOG))
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    kb.adjust(1)
    return kb.as_markup()


def _back_kb(t: Translator, *extra: tuple[str, AdminCb]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for text, data in extra:
        kb.button(text=text, callback_data=data)
    kb.button(text=t("ind-btn-summary"), callback_data=AdminCb(action=AdminAction.INDICATORS))
    kb.adjust(*([len(extra)] if extra else []), 1)
    return kb.as_markup()


# --- municipalities below target ------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.INDICATORS_MUNICIPALITIES))
async def municipalities(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(uow, user, role, home_region)
    if isinstance(shown, Denied):
        await no_access(query, t)
        return
    await query.answer()
    await message.edit_text(municipalities_text(shown.report, t), reply_markup=_back_kb(t))


def municipalities_text(report: Report, t: Translator) -> str:
    below = [(unit, below_target(unit)) for unit in report.municipalities]
    below = [(unit, keys) for unit, keys in below if keys]
    if not report.municipalities:
        return t("ind-mun-empty")
    if not below:
        return t("ind-mun-all-meet", count=len(report.municipalities))
    lines = [t("ind-mun-title", count=len(below), total=len(report.municipalities)), ""]
    shown = 0
    for unit, keys in below[:MUNICIPALITIES_SHOWN]:
        if sum(len(line) + 1 for line in lines) > TEXT_BUDGET:
            break  # Telegram's 4096 characters: the rest is in the XLSX
        shown += 1
        parts = [
            t(
                "ind-mun-item",
                id=BY_KEY[key].id,
                value=_pct(unit.values[key].value, t),
                target=_num(unit.values[key].target, t),
            )
            for key in keys
        ]
        lines.append(
            t("ind-mun-line", name=_unit_name(unit, t), people=unit.people, items=Html("; ".join(parts)))
        )
    if len(below) > shown:
        lines.append(t("ind-mun-more", count=len(below) - shown))
    return "\n".join(lines)


# --- the XLSX report -----------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.INDICATORS_XLSX))
async def export(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(uow, user, role, home_region)
    if isinstance(shown, Denied):
        await no_access(query, t)
        return
    await query.answer()
    region_name = _region_name(shown.region, t)
    data = await render_in_worker(sheets_xlsx, indicator_sheets(shown.report, region_name, t))
    await message.answer_document(
        BufferedInputFile(data, filename=f"indicators-{shown.region.code}-{shown.today:%Y-%m-%d}.xlsx"),
        caption=t("ind-xlsx-caption", region=region_name, date=shown.today),
    )


# A sheet as plain data: (title, header, rows).
Sheet = tuple[str, list[str], list[list[object]]]


def indicator_sheets(report: Report, region_name: str, t: Translator) -> list[Sheet]:
    """The report's sheets, translated: built on the loop, written by :func:`sheets_xlsx`."""
    sheets: list[Sheet] = []
    for level in LEVELS:
        header, rows = _level_sheet(report, level, region_name, t)
        sheets.append((t(f"ind-xlsx-sheet-{level}"), header, rows))
    definitions: list[list[object]] = [
        [
            d.id,
            t(f"ind-{d.key}-name"),
            t(f"ind-{d.key}-num"),
            t(f"ind-{d.key}-den"),
            _target(d, report.region.values[d.key], t),
            ", ".join(t(f"ind-level-{level}") for level in d.levels),
            t("ind-xlsx-source", ref=d.source),
        ]
        for d in DEFINITIONS
    ]
    definitions += [
        [
            t("ind-xlsx-op"),
            t(f"ind-fig-{key.replace('_', '-')}-short"),
            None,
            None,
            None,
            None,
            t("ind-xlsx-op-source"),
        ]
        for key, _ in FIGURES
    ]
    sheets.append(
        (
            t("ind-xlsx-sheet-definitions"),
            [t(f"ind-xlsx-def-{c}") for c in ("id", "name", "num", "den", "target", "levels", "source")],
            definitions,
        )
    )
    sheets.append(
        (
            t("ind-xlsx-sheet-recommendations"),
            [
                t(f"ind-xlsx-rec-{c}")
                for c in ("level", "unit", "municipality", "indicator", "value", "target", "action")
            ],
            [_rec_row(rec, report, region_name, t) for rec in report.recommendations],
        )
    )
    return sheets


def sheets_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of the given sheets, in order (no translation, no report: plain data only)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, header, rows in sheets:
        _sheet(book, title, header, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _level_sheet(
    report: Report, level: str, region_name: str, t: Translator
) -> tuple[list[str], list[list[object]]]:
    definitions = [d for d in DEFINITIONS if level in d.levels]
    header = [t(f"ind-level-{level}")]
    if level == SCHOOL:
        header.append(t("ind-level-municipality"))
    header.append(t("ind-xlsx-people"))
    for d in definitions:
        header += [
            t("ind-xlsx-col-value", id=d.id) if not d.ratio else t("ind-xlsx-col-avg", id=d.id),
            t("ind-xlsx-col-fraction", id=d.id),
            t("ind-xlsx-col-target", id=d.id),
        ]
        if d.ratio:
            header.append(t("ind-xlsx-col-max", id=d.id))
    for key, is_share in FIGURES:
        header.append(t(f"ind-fig-{key.replace('_', '-')}-short"))
        if is_share:
            header.append(t("ind-xlsx-col-fraction", id=t(f"ind-fig-{key.replace('_', '-')}-short")))
    names = {u.unit_id: _unit_name(u, t) for u in report.municipalities}
    rows: list[list[object]] = []
    for unit in report.units(level):
        row: list[object] = [region_name if level == REGION else _unit_name(unit, t)]
        if level == SCHOOL:
            row.append(names.get(unit.municipality_id, t("ind-unit-other")))
        row.append(unit.people)
        for d in definitions:
            value = unit.values[d.key]
            row += [_round(value.value), f"{value.numerator}/{value.denominator}", value.target]
            if d.ratio:
                row.append(value.maximum)
        for key, is_share in FIGURES:
            figure = unit.figures[key]
            row.append(_round(figure.value))
            if is_share:
                row.append(f"{figure.numerator}/{figure.denominator}")
        rows.append(row)
    return header, rows


def _rec_row(rec: Recommendation, report: Report, region_name: str, t: Translator) -> list[object]:
    unit = next(
        u
        for u in report.units(rec.level)
        if u.unit_id == rec.unit_id and (rec.level != SCHOOL or u.municipality_id == rec.municipality_id)
    )
    names = {u.unit_id: _unit_name(u, t) for u in report.municipalities}
    value = unit.values[rec.indicator]
    return [
        t(f"ind-level-{rec.level}"),
        region_name if rec.level == REGION else _unit_name(unit, t),
        names.get(rec.municipality_id, t("ind-unit-other")) if rec.level == SCHOOL else None,
        BY_KEY[rec.indicator].id,
        _round(value.value),
        value.target,
        t(f"ind-rec-{rec.code}", **rec.args),
    ]


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a typed name, never a formula
    for column in sheet.iter_cols(max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = max(
            12, min(60, len(str(column[0].value)) + 4)
        )
    sheet.freeze_panes = "A2"


# --- the audit log -------------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.AUDIT_LOG))
async def audit_log(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.audit_log(uow, user, role, home_region, callback_data.page)
    if isinstance(shown, Denied):
        await no_access(query, t)
        return
    await query.answer()
    if not shown.entries:
        text = t("ind-log-empty")
    else:
        lines = [t("ind-log-title", page=shown.page + 1), ""]
        for entry in shown.entries:
            lines.append(
                t(
                    "ind-log-line",
                    when=entry.at.strftime("%d.%m.%Y %H:%M"),
                    who=entry.actor or t("ind-log-system"),
                    what=_action_label(entry.action, t),
                )
            )
        text = "\n".join(lines)
    buttons = []
    if shown.page > 0:
        buttons.append((t("ind-btn-newer"), AdminCb(action=AdminAction.AUDIT_LOG, page=shown.page - 1)))
    if shown.more:
        buttons.append((t("ind-btn-older"), AdminCb(action=AdminAction.AUDIT_LOG, page=shown.page + 1)))
    await message.edit_text(text, reply_markup=_back_kb(t, *buttons))


def _action_label(code: str, t: Translator) -> str:
    key = "ind-action-" + code.replace(".", "-").replace("_", "-")
    return t(key) if t.has(key) else code


# --- helpers ---------------------------------------------------------------------------------------


def _region_name(region: service.RegionName, t: Translator) -> str:
    if region.name is None:
        return region.code
    return (region.name_en if t.locale == "en" else region.name) or region.code


def _unit_name(unit: UnitReport, t: Translator) -> str:
    return unit.name or t("ind-unit-other")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _num(value: float | None, t: Translator) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if t.locale == "ru" else text


def _pct(value: float | None, t: Translator) -> str:
    return "—" if value is None else _num(value, t) + "%"
