"""Charts, DOCX and XLSX are rendered in the render worker thread, never on the event loop.

Each rendering function reached by a conversation is wrapped in a spy that records the thread it
runs in (and whether an event loop runs there) and checks that it got plain data only — no ORM
object, session or translator crosses into the worker. The last test holds a chart in the worker
and serves another person meanwhile: other people's updates keep flowing while a chart renders.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import threading
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

import pytest

import handlers.diagnosis
import handlers.digest
import handlers.indicators
import handlers.route
import handlers.workspace.card
import handlers.workspace.export
from handlers import render_worker
from handlers.render_worker import render_in_worker
from tests.catalogue import seed_catalogue
from tests.conftest import App
from tests.flows import onboard
from tests.test_diagnosis_flow import FRAMEWORK, answer_all
from tests.test_digest import _seeded as seed_digest_caseloads
from tests.test_indicators import admin_chat
from tests.test_indicators import seed as seed_indicators
from tests.test_route_flow import diagnosed
from tests.test_workspace import add, caseload_with_teacher, open_list, seed_route, self_diagnosis, uid

PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"  # DOCX and XLSX are zip files

PLAIN = (str, int, float, bool, bytes, date, type(None))  # datetime is a date


def impure(value: object, where: str = "") -> list[str]:
    """Paths to everything in ``value`` that is not plain data (empty when all of it is)."""
    if isinstance(value, PLAIN):
        return []
    if isinstance(value, list | tuple):
        return [p for i, item in enumerate(value) for p in impure(item, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in impure(k, where) + impure(v, f"{where}[{k!r}]")]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = getattr(value, "__dataclass_params__", None)
        if params is not None and params.frozen:
            fields = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
            return [p for name, item in fields for p in impure(item, f"{where}.{name}")]
    return [f"{where or 'argument'}: {type(value).__module__}.{type(value).__qualname__}"]


@dataclasses.dataclass
class Call:
    name: str
    thread: int
    thread_name: str
    loop_running: bool
    impure: list[str]


class Spy:
    """Wraps rendering functions where their callers look them up; records each call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.calls: list[Call] = []
        self.hold: threading.Event | None = None  # set by a test: the render waits for it
        self.started = threading.Event()

    def wrap(self, module: ModuleType, name: str) -> None:
        real: Callable[..., bytes] = getattr(module, name)

        def spy(*args: Any, **kwargs: Any) -> bytes:
            try:
                asyncio.get_running_loop()
                running = True
            except RuntimeError:
                running = False
            thread = threading.current_thread()
            self.calls.append(Call(name, threading.get_ident(), thread.name, running, impure((args, kwargs))))
            self.started.set()
            if self.hold is not None:
                self.hold.wait(120)  # released by the test; bounded so a failure cannot wedge the worker
            return real(*args, **kwargs)

        self.monkeypatch.setattr(module, name, spy)

    def assert_rendered_off_the_loop(self, name: str) -> None:
        calls = [c for c in self.calls if c.name == name]
        assert calls, f"{name} was not called"
        loop_thread = threading.get_ident()  # the test runs on the event loop's thread
        for call in calls:
            assert call.thread != loop_thread, f"{name} ran on the event loop's thread"
            assert not call.loop_running, f"{name} ran in a thread with a running event loop"
            assert call.thread_name.startswith("render"), call.thread_name
            assert call.impure == [], f"{name} got more than plain data: {call.impure}"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(monkeypatch)


# --- the helper -----------------------------------------------------------------------------------

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def _where(tag: str, *, suffix: str = "") -> tuple[str, int, str, str]:
    return tag + suffix, threading.get_ident(), threading.current_thread().name, request_id.get()


def _fail() -> None:
    raise ValueError("row 3 has 2 cells, expected 6")


async def test_render_in_worker_runs_in_one_dedicated_thread() -> None:
    request_id.set("update-7")
    first = await render_in_worker(_where, "a", suffix="!")
    second = await render_in_worker(_where, "b")
    assert first[0] == "a!" and second[0] == "b"  # positional and keyword arguments reach fn
    assert first[1] != threading.get_ident()
    assert first[1] == second[1], "renders share the single worker thread (matplotlib's caches)"
    assert first[2].startswith("render")
    assert render_worker.RENDER_THREADS == 1
    assert first[3] == "update-7", "context variables (the update's log context) are copied"


async def test_render_in_worker_raises_what_the_renderer_raises() -> None:
    with pytest.raises(ValueError, match="row 3"):
        await render_in_worker(_fail)
    assert await render_in_worker(str.upper, "ok") == "OK"  # the worker survives an error


def test_impure_finds_orm_objects_and_translators(translations: Any) -> None:
    from storage.models import User

    assert impure((["a", 1, None, date(2026, 1, 1)], {"k": 2.5})) == []
    assert impure((["a", User()],)) == ["[0][1]: storage.models.User"]
    assert impure(((), {"t": translations.get("ru")})) != []


# --- through the conversations --------------------------------------------------------------------


async def test_diagnosis_chart_renders_off_the_loop(app: App, spy: Spy) -> None:
    spy.wrap(handlers.diagnosis, "area_chart")
    chat = app.chat()
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await answer_all(chat, {"methodical": "1."})
    chat.expect("Результаты самодиагностики")
    [photo] = [m for m in chat.replies if m.kind == "photo"]
    assert photo.document is not None and photo.document[1].startswith(PNG)
    spy.assert_rendered_off_the_loop("area_chart")

    await chat.send("🧭 Самодиагностика")  # the result again, from the diagnosis menu
    await chat.press("Последний результат")
    assert [m.kind for m in chat.replies] == ["photo", "text"]
    assert len(spy.calls) == 2
    spy.assert_rendered_off_the_loop("area_chart")


async def test_route_docx_renders_off_the_loop(app: App, spy: Spy) -> None:
    spy.wrap(handlers.route, "route_docx")
    await seed_catalogue(app)
    chat = app.chat()
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    await chat.press("Скачать DOCX")
    [message] = [m for m in chat.replies if m.kind == "document"]
    assert message.document is not None and message.document[1].startswith(ZIP)
    spy.assert_rendered_off_the_loop("route_docx")


async def test_methodist_chart_and_caseload_xlsx_render_off_the_loop(app: App, spy: Spy) -> None:
    spy.wrap(handlers.workspace.card, "area_chart")
    spy.wrap(handlers.workspace.export, "caseload_xlsx")
    methodist, _teacher = await caseload_with_teacher(app)
    teacher_id = await uid(app, 1001)
    await add(app, self_diagnosis(teacher_id, {"methodical": 33, "it_digital": None}, ["methodical"]))
    await seed_route(app, teacher_id, "submitted", [("done", date(2026, 10, 1))])
    await open_list(methodist)
    await methodist.press("Иванова Мария Петровна")
    await methodist.press("График диагностики")
    chart = methodist.last_bot_message()
    assert chart.kind == "photo" and chart.document is not None and chart.document[1].startswith(PNG)
    spy.assert_rendered_off_the_loop("area_chart")

    await open_list(methodist)
    await methodist.press("Выгрузить в Excel")
    sheet = methodist.last_bot_message()
    assert sheet.kind == "document" and sheet.document is not None and sheet.document[1].startswith(ZIP)
    spy.assert_rendered_off_the_loop("caseload_xlsx")


async def test_indicators_xlsx_renders_off_the_loop(app: App, spy: Spy) -> None:
    spy.wrap(handlers.indicators, "sheets_xlsx")
    await seed_indicators(app.database)
    admin = await admin_chat(app)
    await admin.press("Выгрузить XLSX")
    message = admin.last_bot_message()
    assert message.kind == "document" and message.document is not None
    assert message.document[1].startswith(ZIP)
    spy.assert_rendered_off_the_loop("sheets_xlsx")


async def test_digest_chart_renders_off_the_loop(app: App, spy: Spy) -> None:
    spy.wrap(handlers.digest, "count_chart")
    await seed_digest_caseloads(app)
    methodist = app.chat(5001)
    await methodist.send("/digest")
    photo, _text = methodist.replies
    assert photo.kind == "photo" and photo.document is not None and photo.document[1].startswith(PNG)
    spy.assert_rendered_off_the_loop("count_chart")


async def test_others_are_served_while_a_chart_renders(app: App, spy: Spy) -> None:
    """Ирина's last answer draws her chart; the chart is held in the worker until Пётр, pressing a
    button meanwhile, has had his answer. On the loop, Пётр would wait for the chart (here: forever)."""
    spy.wrap(handlers.diagnosis, "area_chart")
    irina, petr = app.chat(1001), app.chat(1002, first_name="Пётр")
    await onboard(irina, name="Смирнова Ирина Олеговна")
    await onboard(petr, name="Петров Пётр Петрович")
    await irina.press("🧭 Самодиагностика")
    await irina.press("Начать")
    questions = len(FRAMEWORK.statements_for(manager=False))
    await answer_all(irina, {}, count=questions - 1)

    spy.hold = threading.Event()
    last = asyncio.create_task(irina.press("3."))
    try:
        # Ирина's update runs until her chart is in the worker (or it ends without one).
        started = asyncio.create_task(asyncio.to_thread(spy.started.wait, 120))
        await asyncio.wait({started, last}, return_when=asyncio.FIRST_COMPLETED)
        assert spy.started.is_set(), "the chart was not drawn"
        assert not last.done()

        await asyncio.wait_for(petr.press("🧭 Самодиагностика"), 120)  # a deadlock guard, not a limit
        petr.expect("Самодиагностика — самооценка, предварительный запрос")
        assert "Начать" in petr.buttons()
        assert not last.done(), "Ирина's chart is still being drawn while Пётр is answered"
    finally:
        spy.hold.set()
        spy.started.set()  # ends the waiting thread too, should the chart never have started
    await last
    irina.expect("Результаты самодиагностики")
    assert any(m.kind == "photo" for m in irina.replies)
    spy.assert_rendered_off_the_loop("area_chart")
