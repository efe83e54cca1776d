"""How long the event loop stalls while charts render: on the loop, in the render thread, in
``asyncio.to_thread`` (several threads), in a process pool.

A ticker task on the loop sleeps 1 ms at a time and records its gaps while diagnosis charts (eight
areas, ~120 ms each) are drawn one after another, then eight at once. Its longest gap is the
longest time nobody else's update could have been served. ``python bench/render_gap_bench.py
[--charts 20] [--rounds 2]``; the figures are quoted in ``handlers/render_worker.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures as cf
import multiprocessing
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.charts import area_chart
from handlers.documents import RouteDocument, route_docx
from handlers.render_worker import render_in_worker
from handlers.workspace.export import caseload_xlsx

LABELS = [
    "Предметные компетенции",
    "Методические компетенции",
    "Психолого-педагогические компетенции",
    "Коммуникативные компетенции",
    "IT- и цифровые компетенции",
    "Воспитательная деятельность",
    "Оценочная деятельность",
    "Управленческие компетенции",
]
SCORES = [45, 80, None, 61, 72, 33, 90, 55]
PREVIOUS = [40, 70, 50, None, 60, 30, 95, 50]


def chart() -> bytes:
    return area_chart(
        LABELS,
        SCORES,
        previous=PREVIOUS,
        threshold=60,
        title="Профиль по областям компетенций",
        previous_label="Прошлая диагностика",
        threshold_label="Порог дефицита",
        not_assessed_label="не оценивалось",
    )


def docx() -> bytes:
    columns = ["Дефицит", "Задачи", "Формы", "Сроки", "Результат", "Отметка"]
    rows = [
        [f"Область {i}", "Освоить приём " * 4, "Курс, 36 ч", "01.03.2027", "Удостоверение", ""]
        for i in range(12)
    ]
    return route_docx(
        RouteDocument("ИОМ", [("ФИО", "Иванова Мария Петровна")] * 8, columns, rows, ["Всего: 96"])
    )


def xlsx() -> bytes:
    columns = [(f"Столбец {i}", 14) for i in range(14)]
    rows = [[f"Педагог {n}", "Учитель", "Сусанинская СОШ", 3, None, "да"] * 2 + [n, 1] for n in range(250)]
    return caseload_xlsx(columns, rows, "Педагоги")


async def _ticking(work: Callable[[], Awaitable[None]]) -> tuple[float, float, float]:
    """(wall s, max gap ms, p99 gap ms) of a 1 ms ticker while ``work`` runs."""
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    gaps.clear()
    started = time.perf_counter()
    await work()
    wall = time.perf_counter() - started
    stop.set()
    await task
    gaps.sort()
    return wall, gaps[-1] * 1000, gaps[int(len(gaps) * 0.99)] * 1000


def _gaps(worst: float, p99: float) -> str:
    return f"ticker max gap {worst:6.1f} ms, p99 {p99:5.1f} ms"


async def main(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("forkserver")
    processes = cf.ProcessPoolExecutor(2, mp_context=context)
    started = time.perf_counter()
    await loop.run_in_executor(processes, chart)
    print(
        f"process pool: first chart (start, imports, fonts) {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    chart()  # fonts warm in this process
    await render_in_worker(chart)
    await asyncio.to_thread(chart)

    async def inline() -> bytes:
        result = chart()
        await asyncio.sleep(0.005)  # let the ticker run between two charts
        return result

    modes: dict[str, Callable[[], Awaitable[bytes]]] = {
        "on the loop": inline,
        "render_in_worker (1 thread)": lambda: render_in_worker(chart),
        "asyncio.to_thread (default pool)": lambda: asyncio.to_thread(chart),
        "process pool (2, forkserver)": lambda: loop.run_in_executor(processes, chart),
    }
    for _ in range(args.rounds):
        for name, render in modes.items():

            async def one_by_one(render: Callable[[], Awaitable[bytes]] = render) -> None:
                for _ in range(args.charts):
                    await render()

            wall, worst, p99 = await _ticking(one_by_one)
            per = wall / args.charts * 1000
            print(f"{name:34} one by one: {per:6.1f} ms/chart, {_gaps(worst, p99)}")
    for name, render in list(modes.items())[1:]:

        async def at_once(render: Callable[[], Awaitable[bytes]] = render) -> None:
            await asyncio.gather(*(render() for _ in range(8)))

        wall, worst, p99 = await _ticking(at_once)
        print(f"{name:34} 8 at once:  {wall * 1000:6.0f} ms in all,  {_gaps(worst, p99)}")
    for name, fn in (("ИОМ DOCX, 12 rows", docx), ("caseload XLSX, 250 rows", xlsx)):
        started = time.perf_counter()
        for _ in range(5):
            fn()
        print(f"{name:34} {(time.perf_counter() - started) / 5 * 1000:6.1f} ms each (on any thread)")
    processes.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    asyncio.run(main(parser.parse_args()))
