"""The rendering helpers: the ИОМ as DOCX and the competence chart as PNG."""

from __future__ import annotations

import gc
import io
import warnings
from datetime import date

import docx
import matplotlib.pyplot as plt
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from matplotlib.figure import Figure

from handlers.charts import area_chart
from handlers.documents import RouteDocument, route_docx
from tests.conftest import App
from tests.flows import onboard
from tests.test_workspace import seed_route, uid

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

COLUMNS = (
    "Профессиональный дефицит",
    "Задачи",
    "Формы и мероприятия",
    "Сроки",
    "Планируемый результат",
    "Отметка о выполнении",
)
ROWS = (
    (
        "Психолого-педагогические",
        "Освоить приёмы работы с детьми с ОВЗ\nСоставить адаптированную программу",
        "Курсы ПК «Инклюзивное образование», 36 ч",
        "до 15.03.2027",
        "Удостоверение о ПК",
        "",
    ),
    (
        "Цифровые компетенции",
        "Научиться работать в ФГИС «Моя школа»",
        "Стажировка в МБОУ СОШ № 5",
        "январь–февраль 2027",
        "Разработан цифровой урок",
        "выполнено",
    ),
)
HEADER = (
    ("ФИО", "Иванова Мария Сергеевна"),
    ("Должность", "учитель русского языка и литературы"),
    ("Организация", "МБОУ «Гимназия № 1»"),
    ("Муниципалитет", "г. Ярославль"),
    ("Период", "2026/2027 учебный год"),
    ("Статус", "молодой педагог"),
)
FOOTER = ("Всего часов: 96", "Сформирован: 22.11.2026 с помощью ЕФС-бота")
TITLE = "Индивидуальный образовательный маршрут"

AREAS = (
    "Предметные",
    "Методические",
    "Психолого-педагогические",
    "Коммуникативные",
    "Цифровые компетенции и информационная безопасность",
)


def _route(rows=ROWS) -> RouteDocument:
    return RouteDocument(title=TITLE, header=HEADER, columns=COLUMNS, rows=rows, footer=FOOTER)


def _route_table(document):
    tables = [t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == COLUMNS]
    assert len(tables) == 1
    return tables[0]


def test_route_docx_round_trip() -> None:
    data = route_docx(_route())
    assert data[:2] == b"PK"
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]

    assert texts[0] == TITLE
    title = document.paragraphs[0]
    assert title.alignment == 1  # WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in title.runs)
    for label, value in HEADER:
        assert f"{label}: {value}" in texts
    for line in FOOTER:
        assert line in texts

    table = _route_table(document)
    body = list(document.element.body)
    footer_at = next(body.index(p._p) for p in document.paragraphs if p.text == FOOTER[0])
    assert body.index(table._tbl) < footer_at
    assert table.style.name == "Table Grid"
    assert len(table.rows) == 1 + len(ROWS)
    for row, expected in zip(table.rows[1:], ROWS, strict=True):
        assert tuple(cell.text for cell in row.cells) == expected
    header_row = table.rows[0]
    assert header_row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in header_row.cells for run in cell.paragraphs[0].runs)
    widths = [column.width for column in table.columns]
    assert widths[1] > widths[0] > widths[3]  # tasks widest, deadlines narrow

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 1 and abs(section.page_height.mm - 210) < 1
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin

    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 11
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:cs")) == "Times New Roman"
    assert document.core_properties.title == TITLE


@pytest.mark.parametrize(
    "rows",
    [
        (*ROWS, ("слишком", "мало")),
        (ROWS[0] + ("лишняя",),),
        ("шесть символов",),
    ],
)
def test_route_docx_rejects_bad_rows(rows) -> None:
    with pytest.raises(ValueError, match="row"):
        route_docx(_route(rows))


def test_route_docx_empty_and_odd_text() -> None:
    data = route_docx(
        RouteDocument(title="ИОМ", header=(), columns=COLUMNS, rows=((("a\x00b\r\nc", *[""] * 5)),))
    )
    table = _route_table(docx.Document(io.BytesIO(data)))
    assert table.rows[1].cells[0].text == "ab\nc"

    table = _route_table(docx.Document(io.BytesIO(route_docx(_route(rows=())))))
    assert len(table.rows) == 1


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_area_chart_full() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a glyph missing from the font
        data = area_chart(
            AREAS,
            [45, 72, None, 88, 100],
            previous=[40, None, 55, 90, 80],
            threshold=60,
            title="Результаты самодиагностики",
            previous_label="Предыдущая диагностика",
            threshold_label="Порог дефицита",
            not_assessed_label="не оценено",
        )
    width, height = _png_size(data)
    assert 600 <= width <= 1200 and 400 <= height <= 1000
    assert len(data) <= 150_000


def test_area_chart_minimal_and_all_unassessed() -> None:
    data = area_chart(AREAS, [None] * len(AREAS), threshold=60, title="")
    _png_size(data)
    data = area_chart(["Одна"], [0], threshold=50, title="т", previous=[None])
    _png_size(data)


def test_area_chart_length_mismatch() -> None:
    with pytest.raises(ValueError):
        area_chart(AREAS, [1, 2], threshold=60, title="")
    with pytest.raises(ValueError):
        area_chart(AREAS, [1] * len(AREAS), previous=[1], threshold=60, title="")


def _live_figures() -> int:
    gc.collect()
    return sum(isinstance(obj, Figure) for obj in gc.get_objects())


def test_area_chart_leaves_no_figures() -> None:
    before = _live_figures()
    for i in range(20):
        area_chart(AREAS, [i * 5, 50, None, 70, 90], previous=[10, 20, 30, 40, 50], threshold=60, title="т")
        assert plt.get_fignums() == []
    assert _live_figures() <= before


# --- as the person receives them ---------------------------------------------------------------


@pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)
async def test_the_route_docx_arrives_as_a_file_byte_for_byte(app: App) -> None:
    """The ИОМ reaches the teacher as a file on either messenger — on MAX through the upload flow,
    sent again while MAX is still processing the upload — and opens with the route in it."""
    chat = app.chat()
    await onboard(chat)
    route = await seed_route(app, await uid(app, 1001), "active", [("planned", date(2027, 3, 1))])
    await chat.press("🗺 Мой ИОМ")
    app.max_stub.not_ready = 2  # type: ignore[union-attr]  # on MAX: two sends too early
    await chat.press("Скачать DOCX")
    [message] = [m for m in chat.received() if m.kind == "document"]
    assert message.document is not None
    name, content = message.document
    assert name == f"iom-{route.id}.docx" and content[:2] == b"PK"
    document = docx.Document(io.BytesIO(content))
    assert document.paragraphs[0].text == TITLE and "Иванова Мария Петровна" in document.paragraphs[1].text
    assert any(
        cell.text == "Пункт 1" for table in document.tables for row in table.rows for cell in row.cells
    )
