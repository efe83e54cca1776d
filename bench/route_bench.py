"""Time to score a self-diagnosis and draft an ИОМ, for 10,000 synthetic teachers.

Run: python bench/route_bench.py [--teachers N] [--seed S]
Prints what it measured; it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date

from domain.diagnosis import score
from domain.framework import AREA_CODES
from domain.route import Catalogue, EventOption, ProgramOption, SiteOption, Teacher, draft_route
from storage.frameworks import Frameworks

SUBJECTS = ("math", "physics", "russian", "history", "biology", "primary")


def synthetic_catalogue(rng: random.Random) -> Catalogue:
    def areas() -> frozenset[str]:
        return frozenset(rng.sample(AREA_CODES, rng.randint(1, 3)))

    programs = [
        ProgramOption(
            i,
            f"Курс {i}",
            rng.choice((16, 24, 36, 72)),
            rng.random() < 0.6,
            areas(),
            frozenset(rng.sample(SUBJECTS, rng.randint(0, 2))),
        )
        for i in range(1, 301)
    ]
    sites = [SiteOption(i, f"Площадка {i}", rng.randint(1, 30), areas()) for i in range(1, 61)]
    events = [
        EventOption(i, f"Семинар {i}", date(2027, rng.randint(1, 12), rng.randint(1, 28)), areas())
        for i in range(1, 121)
    ]
    return Catalogue(programs, sites, events)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    framework = Frameworks().get("efs-2026")
    catalogue = synthetic_catalogue(rng)
    teachers = []
    for _ in range(args.teachers):
        manager = rng.random() < 0.1
        answers = {s.id: rng.choice((0, 1, 2, 2, 3, 3, 4)) for _, s in framework.statements_for(manager)}
        teacher = Teacher(
            frozenset(rng.sample(SUBJECTS, rng.randint(1, 2))), rng.randint(1, 30), rng.random() < 0.2
        )
        teachers.append((manager, answers, teacher))

    score_times, draft_times, items = [], [], 0
    for manager, answers, teacher in teachers:
        started = time.perf_counter()
        result = score(framework, answers, manager=manager, deficit_below=60, strength_from=80)
        scored = time.perf_counter()
        route = draft_route(result.deficits, teacher, catalogue, start=date(2026, 11, 22), period_months=12)
        drafted = time.perf_counter()
        score_times.append(scored - started)
        draft_times.append(drafted - scored)
        items += len(route)

    def summary(name: str, values: list[float]) -> str:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95) - 1]
        return (
            f"{name:>6}: total {sum(values):.3f} s, per teacher mean {statistics.mean(values) * 1e6:.1f} µs, "
            f"p50 {statistics.median(values) * 1e6:.1f} µs, p95 {p95 * 1e6:.1f} µs"
        )

    print(
        f"teachers: {len(teachers)}, catalogue: {len(catalogue.programs)} programmes, "
        f"{len(catalogue.sites)} sites, {len(catalogue.events)} events"
    )
    print(summary("score", score_times))
    print(summary("draft", draft_times))
    print(f"route items drafted: {items} ({items / len(teachers):.1f} per teacher)")


if __name__ == "__main__":
    main()
