"""Time to build every methodist's daily digest over a region-sized database.

Builds a fresh SQLite database in a temporary directory (the project's migrations, the shipped
regions), bulk-inserts 400 methodists × 250 teachers with a realistic mix — self-diagnoses for
about 60 %, ИОМ for about 40 % with items (some overdue, some done with evidence), young teachers,
mentor pairs — then builds all 400 snapshots and digest texts as the scheduler would, counting the
SQL statements of each. Charts are timed apart, for a sample, since they cost more than the text.

Run: python bench/digest_bench.py [--methodists N] [--teachers N] [--seed S]
Prints what it measured; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.digest import build_digest
from domain.framework import AREA_CODES
from handlers.digest import deficit_chart, render_digest
from locales import Translations
from services.uow import UnitOfWork
from storage import migrate
from storage.db import create_engine, create_sessionmaker
from storage.digest import caseload_snapshot, methodists_with_caseload
from storage.models import Caseload, Diagnosis, MentorPair, Route, RouteItem, User
from storage.regions_loader import load_shipped_regions

NOW = datetime(2026, 11, 22, 5, 30, tzinfo=UTC)  # 08:30 in Moscow, the default digest time
REGIONS = ("kostroma", "kuzbass")
DEFICIT_AREAS = [code for code in AREA_CODES if code != "managerial"]
ROUTE_STATUSES = ("draft", "submitted", "returned", "active", "active", "active", "completed")
BATCH = 20_000  # rows per executemany: big enough to amortise, small enough to keep memory flat


def _days(n: float) -> timedelta:
    return timedelta(days=n)


def generate(rng: random.Random, methodists: int, per_methodist: int) -> dict[type, list[dict[str, Any]]]:
    """All rows, with explicit ids so that nothing needs RETURNING and executemany stays plain."""
    rows: dict[type, list[dict[str, Any]]] = {
        User: [],
        Caseload: [],
        Diagnosis: [],
        Route: [],
        RouteItem: [],
        MentorPair: [],
    }
    ids = iter(range(1, 10**9))
    diagnosis_ids, route_ids, item_ids, pair_ids = (iter(range(1, 10**9)) for _ in range(4))

    def user(role: str, region: str, **fields: Any) -> int:
        user_id = next(ids)
        created = fields.pop("created", NOW - _days(rng.uniform(30, 700)))
        rows[User].append(
            {
                "id": user_id,
                "telegram_id": 10_000_000 + user_id,
                "locale": "ru",
                "role": role,
                "consent_at": created,
                "created_at": created,
                "updated_at": created,
                "profile_completed_at": created,
                "full_name": fields.pop("name"),
                "position": "teacher",
                "region_code": region,
                "subjects": ["math"],
                "birth_date": fields.pop("birth", date(1980, 1, 1)),
                "work_start_year": fields.pop("work_start", 2005),
                "qualification": "first",
                "last_seen_at": fields.pop("seen", None),
                "notify_off": [],
            }
        )
        return user_id

    for m in range(methodists):
        region = REGIONS[m % len(REGIONS)]
        methodist = user("methodist", region, name=f"Методист {m:03d} Иванович", seen=NOW - _days(1))
        mentors: list[int] = []
        for i in range(per_methodist):
            young = rng.random() < 0.15
            created = (
                NOW - _days(rng.uniform(0, 3)) if rng.random() < 0.01 else NOW - _days(rng.uniform(30, 700))
            )
            seen_roll = rng.random()
            seen = None if seen_roll < 0.05 else NOW - _days(rng.expovariate(1 / 12))
            teacher = user(
                "teacher",
                region,
                name=f"Педагогова Мария {m:03d}-{i:03d}",
                created=created,
                seen=seen if seen is None or seen > created else created,
                birth=date(rng.randint(1994, 2002), rng.randint(1, 12), rng.randint(1, 28))
                if young
                else date(rng.randint(1960, 1990), rng.randint(1, 12), rng.randint(1, 28)),
                work_start=rng.randint(2024, 2026) if young else rng.randint(1985, 2020),
            )
            rows[Caseload].append(
                {
                    "teacher_id": teacher,
                    "methodist_id": methodist,
                    "source": "rule",
                    "assigned_at": created,
                    "assigned_by": None,
                }
            )
            if not young and len(mentors) < 20 and rng.random() < 0.1:
                mentors.append(teacher)
            if young and mentors and rng.random() < 0.6:
                closed = rng.random() < 0.15
                rows[MentorPair].append(
                    {
                        "id": next(pair_ids),
                        "mentee_id": teacher,
                        "mentor_id": rng.choice(mentors),
                        "form": "young",
                        "status": "closed" if closed else "active",
                        "goals": [],
                        "started_at": NOW - _days(rng.uniform(30, 300)),
                        "closed_at": NOW - _days(rng.uniform(0, 20)) if closed else None,
                        "outcome": None,
                        "assigned_by": methodist,
                        "last_reminder_at": None,
                    }
                )
            if rng.random() < 0.6:
                diagnosis = None
                for _ in range(rng.choice((1, 1, 1, 2))):  # some teachers took it twice
                    diagnosis = next(diagnosis_ids)
                    finished = NOW - _days(rng.uniform(0, 200))
                    rows[Diagnosis].append(
                        {
                            "id": diagnosis,
                            "user_id": teacher,
                            "source": "self",
                            "framework_version": "efs-2026",
                            "status": "done",
                            "position": 30,
                            "manager": False,
                            "started_at": finished - timedelta(minutes=12),
                            "finished_at": finished,
                            "scores": {},
                            "deficits": rng.sample(DEFICIT_AREAS, rng.randint(0, 3)),
                            "strengths": [],
                            "recorded_by": None,
                        }
                    )
                if rng.random() < 0.67:  # ~40 % of all teachers
                    _route(rng, rows, teacher, diagnosis, next(route_ids), item_ids)
    return rows


def _route(
    rng: random.Random,
    rows: dict[type, list[dict[str, Any]]],
    teacher: int,
    diagnosis: int | None,
    route_id: int,
    item_ids: Iterator[int],
) -> None:
    status = rng.choice(ROUTE_STATUSES)
    submitted = None if status == "draft" else NOW - _days(rng.uniform(0, 120))
    rows[Route].append(
        {
            "id": route_id,
            "user_id": teacher,
            "diagnosis_id": diagnosis,
            "status": status,
            "starts_on": date(2026, 9, 1),
            "ends_on": date(2027, 8, 31),
            "created_at": (submitted or NOW) - _days(1),
            "submitted_at": submitted,
            "completed_at": None,
            "comment": None,
            "approved_at": None,
            "approved_by": None,
        }
    )
    for _ in range(rng.randint(3, 9)):
        due = date(2026, 9, 15) + _days(rng.randint(0, 330))
        done = rng.random() < (0.9 if status == "completed" else 0.3)
        done_at = NOW - _days(rng.uniform(0, 60)) if done else None
        evidence = rng.choice(("document", "photo", "link", "text")) if done and rng.random() < 0.8 else None
        rows[RouteItem].append(
            {
                "id": next(item_ids),
                "route_id": route_id,
                "area": rng.choice(DEFICIT_AREAS),
                "kind": "course",
                "form": "formal",
                "title": "Курс повышения квалификации",
                "program_id": None,
                "site_id": None,
                "event_id": None,
                "hours": 36,
                "due_on": due,
                "reason": {},
                "status": "done" if done else "planned",
                "done_at": done_at,
                "evidence_kind": evidence,
                "evidence": "https://example.org" if evidence else None,
                "evidence_name": None,
                "transfer_confirmed_at": NOW - _days(1) if evidence and rng.random() < 0.5 else None,
                "transfer_confirmed_by": None,
            }
        )


async def build_database(engine: AsyncEngine, rows: dict[type, list[dict[str, Any]]]) -> None:
    await migrate.upgrade(engine)
    async with create_sessionmaker(engine)() as session:
        await load_shipped_regions(session)
    async with engine.begin() as conn:
        for model, table_rows in rows.items():  # parents first: the dict keeps insertion order
            for start in range(0, len(table_rows), BATCH):
                await conn.execute(insert(model), table_rows[start : start + BATCH])


def _summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (
        f"{name}: total {sum(values):.2f} s over {len(values)}, "
        f"mean {statistics.mean(values) * 1e3:.1f} ms, p50 {statistics.median(values) * 1e3:.1f} ms, "
        f"p95 {p95 * 1e3:.1f} ms, max {ordered[-1] * 1e3:.1f} ms"
    )


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    started = time.perf_counter()
    rows = generate(rng, args.methodists, args.teachers)
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await build_database(engine, rows)
        loaded = time.perf_counter()
        print(
            "rows: " + ", ".join(f"{model.__tablename__} {len(r):,}" for model, r in rows.items())  # type: ignore[attr-defined]
        )
        print(f"generate {generated - started:.1f} s, insert {loaded - generated:.1f} s")

        t = Translations().get("ru")
        sessionmaker = create_sessionmaker(engine)
        async with sessionmaker() as session:
            methodists = await methodists_with_caseload(session)

        queries: list[int] = []  # statements of each digest, counted as the engine runs them

        def count(*_: Any) -> None:
            queries[-1] += 1

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        times, lengths = [], []
        for methodist in methodists:
            queries.append(0)
            began = time.perf_counter()
            async with sessionmaker() as session:  # one session per digest, as the scheduler would
                message = await render_digest(
                    UnitOfWork(session, lambda: NOW), methodist, t, with_chart=False
                )
            times.append(time.perf_counter() - began)
            if message is not None:
                lengths.append(len(message.text))
        event.remove(engine.sync_engine, "before_cursor_execute", count)

        snapshot_times = []  # the database's share of the above
        for methodist in methodists:
            began = time.perf_counter()
            async with sessionmaker() as session:
                await caseload_snapshot(session, methodist.id, NOW)
            snapshot_times.append(time.perf_counter() - began)

        chart_times = []
        async with sessionmaker() as session:
            for methodist in methodists[:: max(1, len(methodists) // 20)][:20]:
                snapshot = await caseload_snapshot(session, methodist.id, NOW)
                digest = build_digest(snapshot, since=NOW - timedelta(days=1), now=NOW, inactivity_days=30)
                began = time.perf_counter()
                deficit_chart(digest, t)
                chart_times.append(time.perf_counter() - began)
        await engine.dispose()

    print(f"digests: {len(methodists)} methodists × {args.teachers} teachers")
    print(_summary("digest (snapshot + text)", times))
    print(_summary("  of which the snapshot alone", snapshot_times))
    print(
        f"SQL statements per digest: min {min(queries)}, max {max(queries)} "
        f"(snapshot 7, region settings 1, methodist settings only on a quiet day)"
    )
    print(f"text length: mean {statistics.mean(lengths):.0f}, max {max(lengths)} characters")
    print(_summary("chart (sample)", chart_times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--methodists", type=int, default=400)
    parser.add_argument("--teachers", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2026)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
