"""DOCX documents for the bot, built with python-docx from its bundled default template.

The individual educational route (ИОМ): A4 landscape, Times New Roman 11, a title, «Label: value»
lines, a "Table Grid" table whose header row repeats on every page, and footer lines. All visible
strings come in already translated.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

__all__ = ["RouteDocument", "route_docx"]

FONT = "Times New Roman"
FONT_SIZE = Pt(11)
TITLE_SIZE = Pt(14)
LANGUAGE = "ru-RU"

PAGE_WIDTH = Mm(297)
PAGE_HEIGHT = Mm(210)
MARGIN = Mm(12.7)
MARGIN_LEFT = Mm(20)  # room for a binder
HEADER_FILL = "E7E6E6"

# Relative widths of the six ИОМ columns: deficit | tasks | forms | deadlines | result | mark.
SIX_COLUMN_WEIGHTS = (16, 25, 19, 11, 17, 12)

# Characters XML 1.0 cannot hold (python-docx raises on them); \t, \n, \r are allowed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class RouteDocument:
    title: str  # e.g. «Индивидуальный образовательный маршрут»
    header: Sequence[tuple[str, str]]  # (label, value) lines: ФИО, должность, организация, …
    columns: Sequence[str]  # column titles: дефицит | задачи | формы | сроки | результат | отметка
    rows: Sequence[Sequence[str]]  # one row per ИОМ item, len(columns) cells each
    footer: Sequence[str] = ()  # e.g. «Всего часов: 96», «Сформирован: 22.11.2026 с помощью ЕФС-бота»


def route_docx(document: RouteDocument) -> bytes:
    """The route as a DOCX file. Raises ``ValueError`` unless every row has one cell per column."""
    _validate(document)
    doc = Document()
    _setup_page(doc)
    _setup_fonts(doc)
    props = doc.core_properties
    props.title = _clean(document.title)
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.language = LANGUAGE

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(10)
    title.paragraph_format.keep_with_next = True
    run = title.add_run(_clean(document.title))
    run.bold = True
    run.font.size = TITLE_SIZE

    for i, (label, value) in enumerate(document.header, start=1):
        line = doc.add_paragraph()
        line.paragraph_format.space_after = Pt(8 if i == len(document.header) else 2)
        line.add_run(f"{_clean(label)}: ").bold = True
        line.add_run(_clean(value))

    _add_table(doc, document)

    for i, text in enumerate(document.footer):
        line = doc.add_paragraph(_clean(text))
        line.paragraph_format.space_before = Pt(8 if i == 0 else 0)
        line.paragraph_format.space_after = Pt(2)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _validate(document: RouteDocument) -> None:
    width = len(document.columns)
    if width == 0:
        raise ValueError("a route table needs at least one column")
    for number, row in enumerate(document.rows, start=1):
        if isinstance(row, str) or len(row) != width:
            cells = "a string" if isinstance(row, str) else f"{len(row)} cells"
            raise ValueError(f"row {number} has {cells}, expected {width}")


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN
    section.top_margin = MARGIN
    section.bottom_margin = MARGIN
    section.header_distance = Mm(6)
    section.footer_distance = Mm(6)


def _set_run_fonts(rpr) -> None:
    """Times New Roman for every script; theme fonts would otherwise win over explicit ones."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _setup_fonts(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_run_fonts(rpr)
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:  # single line spacing, no gap after paragraphs (table cells)
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = FONT_SIZE
    _set_run_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _column_widths(count: int) -> list[int]:
    usable = PAGE_WIDTH - MARGIN_LEFT - MARGIN
    weights = SIX_COLUMN_WEIGHTS if count == len(SIX_COLUMN_WEIGHTS) else (1,) * count
    total = sum(weights)
    return [usable * w // total for w in weights]


def _add_table(doc, document: RouteDocument) -> None:
    count = len(document.columns)
    widths = _column_widths(count)
    table = doc.add_table(rows=1, cols=count)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: Word keeps the widths below
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice follows
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(widths) // 635))  # EMU -> twentieths of a point

    header = table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))  # repeat on every page
    header_pr.append(OxmlElement("w:cantSplit"))
    for cell, text, width in zip(header.cells, document.columns, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(_clean(text)).bold = True
        _shade(cell, HEADER_FILL)

    for values in document.rows:
        row = table.add_row()
        for cell, text, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            cell.paragraphs[0].add_run(_clean(text))


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)
