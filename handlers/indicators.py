"""Monitoring indicators and the audit log for admins.

«📊 Показатели» in /admin: a unit's indicators (the region, a municipality, a school) for a reporting
period with the change against the period before, each share against the official total when it is
loaded («из официального числа») and against the bot's users otherwise; the units below target; the
XLSX report with «адресные рекомендации»; the audit log. A municipal admin sees their municipality
and its schools only (``services.indicators``). Everything here is behind the admin role; a forged
button from anyone else falls through to ``admin.denied``, an old one answers «устарела». What is
shown comes from ``services.indicators``; here it is put into words and an XLSX workbook (written
in the render worker).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from openpyxl import Workbook
from openpyxl.styles import Font

from domain.indicators import (
    FIGURES,
    LEVELS,
    MUNICIPALITY,
    REGION,
    SCHOOL,
    Figure,
    Period,
    PeriodKind,
    Recommendation,
    Status,
    UnitReport,
    Value,
    below_target,
    per_methodist,
    per_organisation,
)
from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb, IndicatorsAction, IndicatorsCb, IndicatorsLevel
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.render import no_access, refused
from handlers.render_worker import render_in_worker
from locales import Html, Translator
from services import indicators as service
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="indicators")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))

UNITS_SHOWN = 25  # unit buttons on a page
PARTS_SHOWN = 5  # R-6 organisations in the message (all of them in the XLSX)
TEXT_BUDGET = 3800
MARKS = {Status.MEETS: "✅", Status.BELOW: "⚠️", Status.NO_TARGET: "▫️", Status.NO_DATA: "—"}
_LEVEL = {
    REGION: IndicatorsLevel.REGION,
    MUNICIPALITY: IndicatorsLevel.MUNICIPALITY,
    SCHOOL: IndicatorsLevel.SCHOOL,
}
_FROM_CB = {v: k for k, v in _LEVEL.items()}


# --- a unit --------------------------------------------------------------------------------------


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
    await _show(query, message, shown, t)


@router.callback_query(IndicatorsCb.filter(F.action == IndicatorsAction.SHOW))
async def show(
    query: CallbackQuery,
    message: Message,
    callback_data: IndicatorsCb,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(
        uow,
        user,
        role,
        home_region,
        year=callback_data.year,
        level=_FROM_CB[callback_data.level],
        unit_id=callback_data.unit_id or None,
    )
    await _show(query, message, shown, t)


async def _show(
    query: CallbackQuery, message: Message, shown: service.Indicators | Denied | Stale, t: Translator
) -> None:
    if isinstance(shown, Denied | Stale):
        await refused(query, shown, t)
        return
    await query.answer()
    await message.edit_text(unit_text(shown, t), reply_markup=_unit_kb(shown, t))


def unit_text(shown: service.Indicators, t: Translator) -> str:
    """The indicators of the unit shown, for its period; the wording is dropped (it is in the
    XLSX) when the whole would not fit a message."""
    for full in (True, False):
        text = _unit_text(shown, t, full=full)
        if len(text) <= TEXT_BUDGET:
            return text
    return text[:TEXT_BUDGET]


def _unit_text(shown: service.Indicators, t: Translator, *, full: bool) -> str:
    report, unit = shown.report, shown.unit
    lines = [
        t(
            "ind-summary-title",
            unit=_name(shown, unit, t),
            period=period_label(report.period, t),
            start=report.period.start.strftime("%d.%m.%Y"),
            end=report.period.end.strftime("%d.%m.%Y"),
            date=shown.today.strftime("%d.%m.%Y"),
            people=unit.people,
        ),
        "",
    ]
    for d in report.definitions:
        if d.id in unit.values:
            lines += indicator_lines(d, unit.values[d.id], report.period, t, full=full)
    if not unit.values:
        lines.append(t("ind-none-at-level"))
    if not full:
        lines += ["", t("ind-names-in-xlsx")]
    lines += ["", t("ind-ops-title")]
    lines += [_figure_line(key, unit.figures[key], t) for key, _ in FIGURES]
    recommendations = [
        r for r in report.recommendations if r.level == unit.level and r.unit_id == unit.unit_id
    ]
    if recommendations:
        lines += ["", t("ind-summary-recs", count=len(recommendations))]
    return "\n".join(lines)


def indicator_lines(d: Any, value: Value, period: Period, t: Translator, *, full: bool = True) -> list[str]:
    name = wording(d, t) if full else ""
    mark = MARKS[value.status]
    head = dict(mark=mark, id=d.id, name=name, cumulative=t("ind-cumulative") if d.cumulative else "")
    if per_organisation(d):
        lines = [t("ind-line-parts", **head, target=_target(d, value, t))]
        if not value.parts:
            lines.append(t("ind-parts-none"))
        for part in value.parts[:PARTS_SHOWN]:
            lines.append(
                t(
                    "ind-part",
                    name=part.name,
                    value=_pct(part.value, t),
                    num=part.numerator,
                    den=part.denominator,
                )
            )
        if len(value.parts) > PARTS_SHOWN:
            lines.append(t("ind-parts-more", count=len(value.parts) - PARTS_SHOWN))
        return lines
    if value.status == Status.NO_DATA:
        return [t("ind-line-nodata", **head, basis=t(f"ind-basis-{value.basis}"))]
    if per_methodist(d):
        return [
            t(
                "ind-line-c5",
                **head,
                avg=_num(value.value, t),
                max=value.maximum or 0,
                num=value.numerator,
                den=value.denominator,
                target=_target(d, value, t),
            )
        ]
    return [
        t(
            "ind-line",
            **head,
            value=_pct(value.value, t),
            num=value.numerator,
            den=value.denominator,
            basis=t(f"ind-basis-{value.basis}"),
            target=_target(d, value, t),
            change=_change(value, period.previous(), t),
        )
    ]


def wording(d: Any, t: Translator) -> str:
    """The document's wording (English where the registry gives one and the reader reads English)."""
    return str(d.wording_en if t.locale == "en" and d.wording_en else d.wording).rstrip(".;")


def period_label(period: Period, t: Translator) -> str:
    key = "ind-period-school" if period.kind == PeriodKind.SCHOOL else "ind-period-calendar"
    return t(key, label=period.label)


def _change(value: Value, previous: Period, t: Translator) -> str:
    if value.change is None:
        return t("ind-change-none", previous=previous.label)
    sign = "+" if value.change > 0 else ("−" if value.change < 0 else "±")
    return t(
        "ind-change",
        previous=previous.label,
        delta=sign + _num(abs(value.change), t),
        before=_pct(value.previous, t),
    )


def _target(d: Any, value: Value, t: Translator) -> str:
    if value.target is None:
        return t("ind-target-none")
    key = "ind-target-min" if d.higher_is_better else "ind-target-max"
    return t(key, target=_num(value.target, t), unit="" if per_methodist(d) else "%")


def _figure_line(key: str, figure: Figure, t: Translator) -> str:
    return t(
        f"ind-fig-{key.replace('_', '-')}",
        num=figure.numerator,
        den=figure.denominator if figure.denominator is not None else 0,
        value=_pct(figure.value, t) if figure.denominator is not None else _num(figure.value, t),
    )


def _cb(
    action: IndicatorsAction, shown: service.Indicators, level: str, unit_id: int | str | None, **kw: int
) -> IndicatorsCb:
    return IndicatorsCb(
        action=action,
        level=_LEVEL[level],
        unit_id=unit_id if isinstance(unit_id, int) else 0,
        year=kw.pop("year", shown.period.year),
        **kw,
    )


def _unit_kb(shown: service.Indicators, t: Translator) -> InlineKeyboardMarkup:
    unit = shown.unit
    kb = Keyboard()
    periods = 1
    kb.button(
        text=t("ind-btn-prev", label=shown.period.previous().label),
        callback_data=_cb(IndicatorsAction.SHOW, shown, unit.level, unit.unit_id, year=shown.period.year - 1),
    )
    if shown.period.year < shown.current.year:
        periods = 2
        kb.button(
            text=t("ind-btn-next", label=Period(shown.period.kind, shown.period.year + 1).label),
            callback_data=_cb(
                IndicatorsAction.SHOW, shown, unit.level, unit.unit_id, year=shown.period.year + 1
            ),
        )
    rows = [periods]
    if unit.level == REGION:
        kb.button(
            text=t("ind-btn-municipalities"), callback_data=_cb(IndicatorsAction.UNITS, shown, REGION, None)
        )
        rows.append(1)
    elif unit.level == MUNICIPALITY:
        kb.button(
            text=t("ind-btn-schools"),
            callback_data=_cb(IndicatorsAction.UNITS, shown, MUNICIPALITY, unit.unit_id),
        )
        rows.append(1)
    kb.button(text=t("ind-btn-xlsx"), callback_data=_cb(IndicatorsAction.XLSX, shown, REGION, None))
    rows.append(1)
    up = _up(shown, t)
    if up is not None:
        kb.button(text=up[0], callback_data=up[1])
        rows.append(1)
    if shown.scope is None:
        kb.button(text=t("ind-btn-log"), callback_data=AdminCb(action=AdminAction.AUDIT_LOG))
        rows.append(1)
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    rows.append(1)
    kb.adjust(*rows)
    return kb.as_markup()


def _up(shown: service.Indicators, t: Translator) -> tuple[str, IndicatorsCb] | None:
    """The unit above the one shown (within the admin's scope)."""
    unit = shown.unit
    if unit.level == SCHOOL:
        above = next((u for u in shown.report.municipalities if u.unit_id == unit.municipality_id), None)
        if above is not None:
            return "‹ " + (above.name or "—"), _cb(IndicatorsAction.SHOW, shown, MUNICIPALITY, above.unit_id)
    if unit.level == MUNICIPALITY and shown.scope is None:
        return "‹ " + _region_name(shown.region, t), _cb(IndicatorsAction.SHOW, shown, REGION, None)
    return None


# --- the units below ------------------------------------------------------------------------------


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
    """A button sent before periods existed: the municipalities of the current period."""
    shown = await service.region_indicators(uow, user, role, home_region)
    await _units(query, message, shown, t, 0)


@router.callback_query(IndicatorsCb.filter(F.action == IndicatorsAction.UNITS))
async def units(
    query: CallbackQuery,
    message: Message,
    callback_data: IndicatorsCb,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(
        uow,
        user,
        role,
        home_region,
        year=callback_data.year,
        level=_FROM_CB[callback_data.level],
        unit_id=callback_data.unit_id or None,
    )
    await _units(query, message, shown, t, callback_data.page)


async def _units(
    query: CallbackQuery,
    message: Message,
    shown: service.Indicators | Denied | Stale,
    t: Translator,
    page: int,
) -> None:
    if isinstance(shown, Denied | Stale):
        await refused(query, shown, t)
        return
    children = _children(shown)
    page = min(page, max(0, (len(children) - 1) // UNITS_SHOWN))
    await query.answer()
    kb = Keyboard()
    for child in children[page * UNITS_SHOWN : (page + 1) * UNITS_SHOWN]:
        mark = "⚠️ " if below_target(child) else ""
        kb.button(
            text=mark + _unit_name(child, t),
            callback_data=_cb(IndicatorsAction.SHOW, shown, child.level, child.unit_id),
        )
    more = []
    if page > 0:
        more.append((t("ind-btn-newer-page"), page - 1))
    if (page + 1) * UNITS_SHOWN < len(children):
        more.append((t("ind-btn-older-page"), page + 1))
    for text, to in more:
        kb.button(
            text=text,
            callback_data=_cb(IndicatorsAction.UNITS, shown, shown.unit.level, shown.unit.unit_id, page=to),
        )
    kb.button(
        text="‹ " + _name(shown, shown.unit, t),
        callback_data=_cb(IndicatorsAction.SHOW, shown, shown.unit.level, shown.unit.unit_id),
    )
    kb.adjust(*([1] * min(UNITS_SHOWN, len(children))), *([len(more)] if more else []), 1)
    await message.edit_text(units_text(shown, children, t), reply_markup=kb.as_markup())


def _children(shown: service.Indicators) -> list[UnitReport]:
    unit = shown.unit
    if unit.level == REGION:
        return [u for u in shown.report.municipalities if u.unit_id is not None]
    if unit.level == MUNICIPALITY:
        return [
            u for u in shown.report.schools if u.municipality_id == unit.unit_id and u.unit_id is not None
        ]
    return []


def units_text(shown: service.Indicators, children: Sequence[UnitReport], t: Translator) -> str:
    period = period_label(shown.period, t)
    if not children:
        return t("ind-units-empty", period=period)
    below = [(unit, below_target(unit)) for unit in children]
    below = [(unit, keys) for unit, keys in below if keys]
    if not below:
        return t("ind-units-all-meet", count=len(children), period=period)
    lines = [t("ind-units-title", count=len(below), total=len(children), period=period), ""]
    shown_count = 0
    for unit, keys in below:
        if sum(len(line) + 1 for line in lines) > TEXT_BUDGET - 300:
            break  # Telegram's 4096 characters: the rest is in the XLSX
        shown_count += 1
        parts = [
            t(
                "ind-units-item",
                id=key,
                value=_pct(unit.values[key].value, t),
                target=_num(unit.values[key].target, t),
            )
            for key in keys
        ]
        lines.append(
            t("ind-units-line", name=_unit_name(unit, t), people=unit.people, items=Html("; ".join(parts)))
        )
    if len(below) > shown_count:
        lines.append(t("ind-units-more", count=len(below) - shown_count))
    return "\n".join(lines)


# --- the XLSX report -----------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.INDICATORS_XLSX))
async def export_current(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(uow, user, role, home_region)
    await _export(query, message, shown, t)


@router.callback_query(IndicatorsCb.filter(F.action == IndicatorsAction.XLSX))
async def export(
    query: CallbackQuery,
    message: Message,
    callback_data: IndicatorsCb,
    uow: UnitOfWork,
    role: Role,
    user: User,
    t: Translator,
    home_region: str,
) -> None:
    shown = await service.region_indicators(uow, user, role, home_region, year=callback_data.year)
    await _export(query, message, shown, t)


async def _export(
    query: CallbackQuery, message: Message, shown: service.Indicators | Denied | Stale, t: Translator
) -> None:
    if isinstance(shown, Denied | Stale):
        await refused(query, shown, t)
        return
    await query.answer()
    name = _name(shown, shown.unit, t)
    data = await render_in_worker(sheets_xlsx, indicator_sheets(shown, t))
    await message.answer_document(
        BufferedInputFile(
            data, filename=f"indicators-{shown.region.code}-{shown.period.label.replace('/', '-')}.xlsx"
        ),
        caption=t(
            "ind-xlsx-caption",
            unit=name,
            period=period_label(shown.period, t),
            date=shown.today.strftime("%d.%m.%Y"),
        ),
    )


# A sheet as plain data: (title, header, rows).
Sheet = tuple[str, list[str], list[list[object]]]


def indicator_sheets(shown: service.Indicators, t: Translator) -> list[Sheet]:
    """The report's sheets, translated: built on the loop, written by :func:`sheets_xlsx`. A
    municipal admin's report has no region sheet."""
    report = shown.report
    sheets: list[Sheet] = []
    for level in LEVELS:
        if level == REGION and shown.scope is not None:
            continue
        header, rows = _level_sheet(shown, level, t)
        sheets.append((t(f"ind-xlsx-sheet-{level}"), header, rows))
    organisations = [
        [d.id, part.name, part.numerator, part.denominator, _round(part.value)]
        for d in report.definitions
        if per_organisation(d) and shown.scope is None
        for part in report.region.values[d.id].parts
    ]
    if organisations:
        sheets.append(
            (
                t("ind-xlsx-sheet-organisations"),
                [t(f"ind-xlsx-org-{c}") for c in ("id", "name", "num", "den", "value")],
                organisations,
            )
        )
    definitions: list[list[object]] = [
        [
            d.id,
            d.wording,
            t(f"ind-fact-{d.numerator.replace('_', '-')}"),
            t(f"ind-fact-{d.denominator.replace('_', '-')}"),
            "; ".join(f"{year}: {_num(value, t)}" for year, value in sorted(d.targets.items())) or None,
            t("ind-xlsx-yes") if d.cumulative else t("ind-xlsx-no"),
            ", ".join(t(f"ind-level-{level}") for level in d.levels),
            t("ind-xlsx-source", ref=d.source),
        ]
        for d in report.definitions
    ]
    definitions += [
        [
            t("ind-xlsx-op"),
            t(f"ind-fig-{key.replace('_', '-')}-short"),
            None,
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
            [
                t(f"ind-xlsx-def-{c}")
                for c in ("id", "name", "num", "den", "target", "cumulative", "levels", "source")
            ],
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
            [_rec_row(rec, shown, t) for rec in report.recommendations],
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
    shown: service.Indicators, level: str, t: Translator
) -> tuple[list[str], list[list[object]]]:
    report = shown.report
    definitions = [d for d in report.definitions if level in d.levels and not per_organisation(d)]
    header = [t(f"ind-level-{level}")]
    if level == SCHOOL:
        header.append(t("ind-level-municipality"))
    header += [t("ind-xlsx-period"), t("ind-xlsx-people")]
    previous = report.period.previous().label
    for d in definitions:
        if per_methodist(d):
            header += [
                t("ind-xlsx-col-avg", id=d.id),
                t("ind-xlsx-col-fraction", id=d.id),
                t("ind-xlsx-col-target", id=d.id),
                t("ind-xlsx-col-max", id=d.id),
            ]
            continue
        header += [
            t("ind-xlsx-col-value", id=d.id),
            t("ind-xlsx-col-fraction", id=d.id),
            t("ind-xlsx-col-basis", id=d.id),
            t("ind-xlsx-col-previous", id=d.id, previous=previous),
            t("ind-xlsx-col-change", id=d.id),
            t("ind-xlsx-col-target", id=d.id),
        ]
    for key, is_share in FIGURES:
        header.append(t(f"ind-fig-{key.replace('_', '-')}-short"))
        if is_share:
            header.append(t("ind-xlsx-col-fraction", id=t(f"ind-fig-{key.replace('_', '-')}-short")))
    names = {u.unit_id: _unit_name(u, t) for u in report.municipalities}
    rows: list[list[object]] = []
    for unit in report.units(level):
        row: list[object] = [_region_name(shown.region, t) if level == REGION else _unit_name(unit, t)]
        if level == SCHOOL:
            row.append(names.get(unit.municipality_id, t("ind-unit-other")))
        row += [report.period.label, unit.people]
        for d in definitions:
            value = unit.values[d.id]
            if per_methodist(d):
                row += [
                    _round(value.value),
                    f"{value.numerator}/{value.denominator}",
                    value.target,
                    value.maximum,
                ]
                continue
            row += [
                _round(value.value),
                f"{value.numerator}/{value.denominator}",
                t(f"ind-basis-{value.basis}"),
                _round(value.previous),
                _round(value.change),
                value.target,
            ]
        for key, is_share in FIGURES:
            figure = unit.figures[key]
            row.append(_round(figure.value))
            if is_share:
                row.append(f"{figure.numerator}/{figure.denominator}")
        rows.append(row)
    return header, rows


def _rec_row(rec: Recommendation, shown: service.Indicators, t: Translator) -> list[object]:
    report = shown.report
    unit = next(
        u
        for u in report.units(rec.level)
        if u.unit_id == rec.unit_id and (rec.level != SCHOOL or u.municipality_id == rec.municipality_id)
    )
    names = {u.unit_id: _unit_name(u, t) for u in report.municipalities}
    value = unit.values[rec.indicator]
    return [
        t(f"ind-level-{rec.level}"),
        _region_name(shown.region, t) if rec.level == REGION else _unit_name(unit, t),
        names.get(rec.municipality_id, t("ind-unit-other")) if rec.level == SCHOOL else None,
        rec.indicator,
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


def _back_kb(t: Translator, *extra: tuple[str, AdminCb]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for text, data in extra:
        kb.button(text=text, callback_data=data)
    kb.button(text=t("ind-btn-summary"), callback_data=AdminCb(action=AdminAction.INDICATORS))
    kb.adjust(*([len(extra)] if extra else []), 1)
    return kb.as_markup()


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


def _region_name(region: service.RegionName, t: Translator | None) -> str:
    if region.name is None:
        return region.code
    return (region.name_en if t is not None and t.locale == "en" else region.name) or region.code


def _name(shown: service.Indicators, unit: UnitReport, t: Translator) -> str:
    return _region_name(shown.region, t) if unit.level == REGION else _unit_name(unit, t)


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
