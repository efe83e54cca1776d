"""Charts, DOCX and XLSX are rendered off the event loop, in one dedicated worker thread.

Use ``await render_in_worker(fn, *args, **kwargs)`` for anything that builds a file: matplotlib
charts (``handlers.charts``, ``handlers.digest.count_chart``), python-docx documents
(``handlers.documents``) and openpyxl workbooks (``handlers.workspace``, ``handlers.indicators``).
The caller gathers everything on the loop first — database reads, lazy relationships,
translations — and passes plain data (strings, numbers, dates, lists, frozen dataclasses of
them): no ORM object, session or ``Translator`` crosses into the worker.

Why one thread and not a process pool: ``python bench/render_gap_bench.py`` on the 2-core CI machine
(idle), a 1 ms ticker task on the loop while diagnosis charts of 8 areas (~100–140 ms each) render —
its longest gap is the longest time nobody else's update could be served:

===============================  ===================  ==============  =========================
where the charts are drawn       one by one: p99 gap  max gap         8 at once: max gap
===============================  ===================  ==============  =========================
on the loop (before)             95–220 ms            220–610 ms      (all 8 in one stall)
this render thread               5–8 ms               14–40 ms (*)    ~20 ms (*)
``asyncio.to_thread`` (≤6 thr.)  5–15 ms              9–40 ms (*)     95–275 ms
process pool, 2, forkserver      3–4 ms               8–10 ms         5–8 ms
===============================  ===================  ==============  =========================

(*) A full garbage collection of the bot's ~335,000 objects takes ~230 ms whatever thread runs
it, and a chart's allocations can trigger one: then the gap is ~230 ms, on the loop or in a
thread alike (``gc.freeze()`` after start-up brings it to ~20 ms). A process pool keeps the loop
freest, but its processes cost more than they save here: each unpickles the renderer by importing
``handlers`` — aiogram, SQLAlchemy, matplotlib, openpyxl, python-docx — ~280 MiB PSS per process
(as much as the bot), the first chart after a start waits 3.5–6 s, and its workers outlive a
SIGKILLed bot unless they watch for it. One thread costs none of that and removes the stall of
every chart. One, not several: the renderers are Python holding the GIL, several rendering
threads starve the loop of the GIL (the 95–275 ms above), and matplotlib's shared font cache is
not thread-safe. Renders queue in order, so a long export delays the next chart, never the loop.

The executor is created once per process and reused by every event loop (tests run one per
test); its thread starts on first use and is joined at interpreter exit by ``concurrent.futures``.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

__all__ = ["RENDER_THREADS", "render_in_worker"]

P = ParamSpec("P")
R = TypeVar("R")

RENDER_THREADS = 1
_executor = ThreadPoolExecutor(max_workers=RENDER_THREADS, thread_name_prefix="render")


async def render_in_worker(fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)`` in the render thread; the loop serves other updates meanwhile.

    Context variables (e.g. the log context of the update) are copied, as ``asyncio.to_thread``
    does. Exceptions of ``fn`` are raised here. If the awaiting task is cancelled the render
    still finishes in the worker and its result is dropped.
    """
    loop = asyncio.get_running_loop()
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    return await loop.run_in_executor(_executor, call)
