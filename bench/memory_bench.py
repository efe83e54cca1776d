"""The memory of a bot process with 1,000 teachers in the database against 100,000.

For each size the bench fills a fresh database (the project's migrations, the shipped regions, the
demo catalogue) with synthetic teachers in bulk: complete profiles at real municipalities and schools
of Kostroma and Kuzbass, one methodist per 250 teachers with the caseload, mentors in the registry
(about 6 % of the experienced) and pairs for about half of the young, self-diagnoses (about 60 % done,
8 % in progress with their answers so far; the answers of finished ones are left out: only the scores
are read later), ИОМ for about 40 % with 3–9 items, and when each was last seen (a few weeks at most
for most, a long time for some). Then a fresh Python process, so the sizes compare, does what
`python -m bot run` does, minus polling (the Bot API is the in-process `TelegramStub`):

1. imports what `run` imports;
2. opens the database, builds the bot, the dispatcher, the scheduler (started paused: the bench runs
   the jobs itself), starts the broadcast worker and sets the commands: ready to poll;
3. feeds updates through the dispatcher: existing teachers (/start, «Наставничество» — for young
   teachers that ranks the region's mentors —, two other menu sections, «Самодиагностика»),
   methodists («Кабинет методиста» and each of its buttons, /digest), and new teachers going through
   onboarding, the menu and a self-diagnosis;
4. runs one scheduler tick as `bot.jobs.tick` does: `mentorship_tick`, `plan_outbox` (inactivity
   reminders and the digests) and `send_outbox`, unpaced and stopped after --send-batches batches of
   50 (a production tick sends about 225 at 5 messages/s).

After each step it reads VmRSS (resident now) and VmHWM (the peak so far) from /proc/self/status.
It also times each kind of update and the tick's parts, since what grows with the database shows
there first.

Run: python bench/memory_bench.py [--sizes 1000,100000] [--seed 2026]
                                  [--database-url postgresql+asyncpg://user@host:port/postgres]
Default: a fresh SQLite file per size in a temporary directory; with a PostgreSQL URL a database
bench_<random> is created on that server per size and dropped afterwards. Prints what it measured;
it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):  # the project, and dispatch_bench next to this file
    if path not in sys.path:
        sys.path.insert(0, path)

FIRST_TELEGRAM_ID = 80_000_000  # existing people: FIRST_TELEGRAM_ID + users.id
PER_METHODIST = 250
BATCH = 10_000  # rows per executemany
METHODISTS_PLAYED = 3  # each presses every button of «Кабинет методиста»
METHODIST_ACTIONS = ("digest", "teachers", "young", "pairs", "nominees")


def memory() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


# --- filling the database (the parent process) ----------------------------------------------------


def _days(n: float) -> timedelta:
    return timedelta(days=n)


class Rows:
    """Rows of a chunk of methodists with their teachers, with explicit ids (no RETURNING needed)."""

    def __init__(self) -> None:
        from storage.models import (
            Caseload,
            Diagnosis,
            DiagnosisAnswer,
            MentorPair,
            MentorProfile,
            Route,
            RouteItem,
            User,
        )

        # Parents first: inserted in this order.
        self.tables: dict[Any, list[dict[str, Any]]] = {
            User: [],
            Caseload: [],
            MentorProfile: [],
            MentorPair: [],
            Diagnosis: [],
            DiagnosisAnswer: [],
            Route: [],
            RouteItem: [],
        }

    def add(self, model: Any, row: dict[str, Any]) -> None:
        self.tables[model].append(row)


class Generator:
    def __init__(self, rng: random.Random, now: datetime, directory: dict[str, list[tuple[int, list[int]]]]):
        from domain.framework import AREA_CODES
        from storage.frameworks import Frameworks

        self.rng = rng
        self.now = now
        self.directory = directory  # region → [(municipality id, [school ids])]
        self.areas = [a for a in AREA_CODES if a != "managerial"]
        framework = Frameworks().get("efs-2026")
        self.statements = [s.id for _, s in framework.statements_for(False)]
        self.ids: dict[str, Iterator[int]] = defaultdict(lambda: iter(range(1, 10**9)))
        self.mentors: dict[str, list[int]] = defaultdict(list)
        # Telegram ids of who might be played in the bot process: sampled at the end (`people`).
        self.sample: dict[str, list[int]] = {"teachers": [], "young": [], "methodists": []}

    def chunk(self, methodists: int, teachers: int) -> Rows:
        rows = Rows()
        for _ in range(methodists):
            self._methodist(rows, min(PER_METHODIST, teachers))
            teachers -= PER_METHODIST
        return rows

    def _user(self, rows: Rows, role: str, region: str, young: bool) -> int:
        rng, now = self.rng, self.now
        from storage.models import User

        user_id = next(self.ids["user"])
        created = now - _days(rng.uniform(3, 700))
        seen_roll = rng.random()
        seen = None if seen_roll < 0.03 else max(created, now - _days(rng.expovariate(1 / 12)))
        municipality, schools = rng.choice(self.directory[region])
        if young:
            birth = date(rng.randint(1996, 2002), rng.randint(1, 12), rng.randint(1, 28))
            start = rng.randint(2023, 2025)
        else:
            birth = date(rng.randint(1962, 1993), rng.randint(1, 12), rng.randint(1, 28))
            start = rng.randint(birth.year + 21, min(birth.year + 35, 2024))
        rows.add(
            User,
            {
                "id": user_id,
                "telegram_id": FIRST_TELEGRAM_ID + user_id,
                "locale": "ru",
                "role": role,
                "consent_at": created,
                "created_at": created,
                "updated_at": created,
                "profile_completed_at": created,
                "full_name": f"Педагогова Мария {user_id:06d}",
                "position": "teacher"
                if rng.random() < 0.88 or role != "teacher"
                else rng.choice(("head", "deputy")),
                "region_code": region,
                "municipality_id": municipality,
                "municipality_custom": None,
                "school_id": rng.choice(schools) if schools else None,
                "school_custom": None if schools else "МБОУ «Школа № 1»",
                "subjects": rng.sample(
                    ["math", "russian", "physics", "history", "primary", "biology"], rng.randint(1, 2)
                ),
                "birth_date": birth,
                "work_start_year": start,
                "qualification": rng.choice(("none", "first", "highest", "conformity")),
                "last_seen_at": seen,
                "notify_off": [],
                "blocked_at": None,
            },
        )
        return user_id

    def _methodist(self, rows: Rows, teachers: int) -> None:
        from storage.models import Caseload, MentorPair, MentorProfile

        rng, now = self.rng, self.now
        region = "kostroma" if rng.random() < 0.6 else "kuzbass"
        methodist = self._user(rows, "methodist", region, young=False)
        self.sample["methodists"].append(FIRST_TELEGRAM_ID + methodist)
        for _ in range(teachers):
            young = rng.random() < 0.15
            teacher = self._user(rows, "teacher", region, young)
            rows.add(
                Caseload,
                {
                    "teacher_id": teacher,
                    "methodist_id": methodist,
                    "source": "rule",
                    "assigned_at": now - _days(rng.uniform(1, 300)),
                    "assigned_by": None,
                },
            )
            if young:
                mentors = self.mentors[region]
                if mentors and rng.random() < 0.5:
                    rows.add(
                        MentorPair,
                        {
                            "id": next(self.ids["pair"]),
                            "mentee_id": teacher,
                            "mentor_id": rng.choice(mentors[-400:]),
                            "form": "young",
                            "status": "active",
                            "goals": [],
                            "started_at": now - _days(rng.uniform(20, 300)),
                            "closed_at": None,
                            "outcome": None,
                            "assigned_by": methodist,
                            # Most were reminded at some point: a steady state, not all due at once.
                            "last_reminder_at": now - _days(rng.uniform(0, 20))
                            if rng.random() < 0.7
                            else None,
                        },
                    )
                else:
                    self.sample["young"].append(FIRST_TELEGRAM_ID + teacher)
            elif rng.random() < 0.06:
                self.mentors[region].append(teacher)
                rows.add(
                    MentorProfile,
                    {
                        "user_id": teacher,
                        "source": "opt_in",
                        "active": True,
                        "capacity": None,
                        "contact": None,
                        "created_at": now - _days(rng.uniform(1, 300)),
                    },
                )
            if not young:
                self.sample["teachers"].append(FIRST_TELEGRAM_ID + teacher)
            self._diagnoses(rows, teacher)

    def _diagnoses(self, rows: Rows, teacher: int) -> None:
        from storage.models import Diagnosis, DiagnosisAnswer

        rng, now = self.rng, self.now
        roll = rng.random()
        done = None
        if roll < 0.6:
            for _ in range(rng.choice((1, 1, 1, 2))):
                done = next(self.ids["diagnosis"])
                finished = now - _days(rng.uniform(1, 300))
                scores = {a: rng.choice((17, 33, 50, 67, 83, 100)) for a in self.areas}
                rows.add(
                    Diagnosis,
                    {
                        "id": done,
                        "user_id": teacher,
                        "source": "self",
                        "framework_version": "efs-2026",
                        "status": "done",
                        "position": len(self.statements),
                        "manager": False,
                        "started_at": finished - timedelta(minutes=12),
                        "finished_at": finished,
                        "scores": scores,
                        "deficits": [a for a, v in scores.items() if v < 60],
                        "strengths": [a for a, v in scores.items() if v >= 80],
                        "recorded_by": None,
                    },
                )
            if rng.random() < 0.67:
                self._route(rows, teacher, done)
        elif roll < 0.68:
            diagnosis = next(self.ids["diagnosis"])
            position = rng.randint(1, len(self.statements) - 1)
            started = now - _days(rng.uniform(0, 30))
            rows.add(
                Diagnosis,
                {
                    "id": diagnosis,
                    "user_id": teacher,
                    "source": "self",
                    "framework_version": "efs-2026",
                    "status": "in_progress",
                    "position": position,
                    "manager": False,
                    "started_at": started,
                    "finished_at": None,
                    "scores": {},
                    "deficits": [],
                    "strengths": [],
                    "recorded_by": None,
                },
            )
            for statement in self.statements[:position]:
                rows.add(
                    DiagnosisAnswer,
                    {
                        "id": next(self.ids["answer"]),
                        "diagnosis_id": diagnosis,
                        "statement_id": statement,
                        "level": rng.randint(0, 4),
                        "answered_at": started,
                    },
                )

    def _route(self, rows: Rows, teacher: int, diagnosis: int | None) -> None:
        from storage.models import Route, RouteItem

        rng, now = self.rng, self.now
        route = next(self.ids["route"])
        status = rng.choice(("draft", "submitted", "active", "active", "active", "completed"))
        submitted = None if status == "draft" else now - _days(rng.uniform(1, 120))
        rows.add(
            Route,
            {
                "id": route,
                "user_id": teacher,
                "diagnosis_id": diagnosis,
                "status": status,
                "starts_on": (now - _days(60)).date(),
                "ends_on": (now + _days(300)).date(),
                "created_at": (submitted or now) - _days(1),
                "submitted_at": submitted,
                "completed_at": None,
                "comment": None,
                "approved_at": None,
                "approved_by": None,
            },
        )
        for _ in range(rng.randint(3, 9)):
            done = rng.random() < 0.3
            rows.add(
                RouteItem,
                {
                    "id": next(self.ids["item"]),
                    "route_id": route,
                    "area": rng.choice(self.areas),
                    "kind": "course",
                    "form": "formal",
                    "title": "Курс повышения квалификации",
                    "program_id": None,
                    "site_id": None,
                    "event_id": None,
                    "hours": 36,
                    "due_on": (now + _days(rng.randint(-60, 300))).date(),
                    "reason": {},
                    "status": "done" if done else "planned",
                    "done_at": now - _days(rng.uniform(0, 60)) if done else None,
                    "evidence_kind": "link" if done else None,
                    "evidence": "https://example.org" if done else None,
                    "evidence_name": None,
                    "transfer_confirmed_at": None,
                    "transfer_confirmed_by": None,
                },
            )


async def populate(
    url: str, size: int, seed: int, existing: int
) -> tuple[dict[str, int], dict[str, list[int]], float]:
    """Fill the database; returns rows per table, the people the bot process will play (chosen at
    random: ``existing`` teachers, 30 % of them young ones without a mentor, and methodists), and the
    seconds it took."""
    from dispatch_bench import bench_settings
    from sqlalchemy import insert, select, text

    from bot.factory import open_database
    from storage.models import Municipality, School

    started = time.perf_counter()
    settings = bench_settings(url)
    db = await open_database(settings, demo_catalogue=True)
    async with db.sessionmaker() as session:
        places = (
            await session.execute(
                select(Municipality.region_code, Municipality.id, School.id).outerjoin(
                    School, School.municipality_id == Municipality.id
                )
            )
        ).all()
    schools: dict[tuple[str, int], list[int]] = defaultdict(list)
    for region, municipality, school in places:
        schools[(region, municipality)] += [school] if school is not None else []
    directory: dict[str, list[tuple[int, list[int]]]] = defaultdict(list)
    for (region, municipality), ids in schools.items():
        directory[region].append((municipality, ids))

    generator = Generator(random.Random(seed), datetime.now(UTC), directory)
    counts: dict[str, int] = defaultdict(int)
    methodists = math.ceil(size / PER_METHODIST)
    per_chunk = 20  # methodists (5,000 teachers) at a time: memory stays flat
    left = size
    for first in range(0, methodists, per_chunk):
        n = min(per_chunk, methodists - first)
        rows = generator.chunk(n, min(left, n * PER_METHODIST))
        left -= n * PER_METHODIST
        async with db.engine.begin() as conn:
            for model, table_rows in rows.tables.items():  # parents first
                counts[model.__tablename__] += len(table_rows)
                for start in range(0, len(table_rows), BATCH):
                    await conn.execute(insert(model), table_rows[start : start + BATCH])
    if db.engine.dialect.name == "postgresql":
        async with db.engine.begin() as conn:
            for table in ("users", "mentor_pairs", "diagnoses", "diagnosis_answers", "routes", "route_items"):
                # The rows came with their ids: move each sequence past them, as inserts would have.
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            await conn.execute(text("ANALYZE"))  # fresh statistics, as autovacuum would have by now
    await db.close()
    rng = random.Random(seed)
    wanted = {
        "teachers": existing - existing * 3 // 10,
        "young": existing * 3 // 10,
        "methodists": METHODISTS_PLAYED,
    }
    people = {
        kind: sorted(rng.sample(ids, min(len(ids), wanted[kind]))) for kind, ids in generator.sample.items()
    }
    return dict(counts), people, time.perf_counter() - started


# --- the bot process (the child) ------------------------------------------------------------------


async def child(args: argparse.Namespace) -> dict[str, Any]:
    stages: list[tuple[str, float, float]] = []

    def mark(name: str) -> None:
        stages.append((name, *memory()))

    mark("python started")
    from aiogram.types import Update  # noqa: F401 - what `run` imports, before anything is built

    from bot.factory import create_bot, create_dispatcher, open_database, set_commands, utc_clock
    from bot.jobs import mentorship_tick, plan_outbox, send_outbox
    from bot.workers import Background

    mark("imports of `python -m bot run`")

    import logging

    import dispatch_bench as d
    from sqlalchemy import func, select

    from handlers.callbacks import DiagCb, DigestCb, MentorStaffAction, MentorStaffCb, WorkspaceCb
    from locales import Translations
    from storage.models import OutboxMessage, User
    from telegram_stub import StubSession

    errors = d.ErrorLog()
    root, level_before = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.INFO)  # as `run` logs; counted, not printed
    root.addHandler(errors)
    settings = d.bench_settings(args.child)
    db = await open_database(settings)
    translations = Translations()
    stub = d.TimedStub()
    bot = create_bot(settings, session=StubSession(stub))
    dp = create_dispatcher(settings, db.sessionmaker, translations=translations)
    background = Background(
        bot, db.engine, db.sessionmaker, translations, utc_clock, settings, wakeup=dp["outbox_wakeup"]
    )
    await bot.delete_webhook(drop_pending_updates=False)
    await set_commands(bot, translations, settings.default_locale)
    background.start()
    background.scheduler.pause()  # before its first tick: the bench runs the tick's parts itself
    await background.lock.acquire()  # this process holds the clock, as a lone `run` does
    await asyncio.sleep(0.1)  # the broadcast worker's first round
    mark("ready to poll (database open, dispatcher, scheduler, broadcast worker)")

    sample = json.loads(args.people)
    rng = random.Random(args.seed)
    h = d.Harness(stub, bot, translations)
    h.dp, h.run = dp, d.Run()
    t = h.t

    def conversation(telegram_id: int) -> d.Conversation:
        c = d.Conversation(telegram_id, random.Random(rng.random()), "Мария")
        h.convs[telegram_id] = c
        return c

    # Existing teachers, the young ones too (for them «Наставничество» ranks the region's mentors).
    for telegram_id in sample["teachers"] + sample["young"]:
        c = conversation(telegram_id)
        who = "young" if telegram_id in sample["young"] else "teacher"
        await h.send(c, f"{who}: /start", "/start")
        await h.send(c, f"{who}: {t('menu-mentorship')}", t("menu-mentorship"))
        others = [x for x in c.reply_keyboard if x not in (t("menu-mentorship"), t("menu-diagnosis"))]
        for label in c.rng.sample(others, 2):
            await h.send(c, f"{who}: {label}", label)
        await h.send(c, f"{who}: {t('menu-diagnosis')}", t("menu-diagnosis"))
        if c.find(d.cb(DiagCb, action="resume")):
            await h.press(c, f"{who}: diagnosis resume", d.cb(DiagCb, action="resume"))
    mark(f"after {len(sample['teachers'] + sample['young'])} existing teachers' updates")
    # Methodists: their workspace, each button of it, and the digest on demand.
    buttons = {
        "digest": d.cb(DigestCb, action="show"),
        "teachers": d.cb(WorkspaceCb, action="list"),
        "young": d.cb(MentorStaffCb, action=MentorStaffAction.YOUNG),
        "pairs": d.cb(MentorStaffCb, action=MentorStaffAction.PAIRS),
        "nominees": d.cb(MentorStaffCb, action=MentorStaffAction.NOMINEES),
    }
    for telegram_id in sample["methodists"]:
        c = conversation(telegram_id)
        await h.send(c, "methodist: /start", "/start")
        for action in METHODIST_ACTIONS:
            await h.send(c, f"methodist: {t('menu-methodist')}", t("menu-methodist"))
            await h.press(c, f"methodist: {action}", buttons[action])
        await h.send(c, "methodist: /digest", "/digest")
    mark(f"after {len(sample['methodists'])} methodists' updates")
    # New teachers: the whole conversation of the dispatch bench.
    for n in range(args.new_users):
        await d.teacher(h, conversation(d.FIRST_USER_ID + n))
    mark(f"after {args.new_users} new teachers' conversations")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    mentorship = await mentorship_tick(bot, db.sessionmaker, translations, utc_clock)
    timings["mentorship_tick"] = time.perf_counter() - started
    mark("after mentorship_tick")
    started = time.perf_counter()
    planned = await plan_outbox(db.sessionmaker, utc_clock)
    timings["plan_outbox"] = time.perf_counter() - started
    mark("after plan_outbox")
    # The recipients have written to the bot before (the stub refuses chats it has not seen).
    async with db.sessionmaker() as session:
        due = await session.scalars(
            select(User.telegram_id)
            .join(OutboxMessage, OutboxMessage.user_id == User.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.due_at <= utc_clock())
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(args.send_batches * 50)
        )
        for telegram_id in due:
            stub.message_update(telegram_id, "/start")
    sent: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for _ in range(args.send_batches):
        counts = await send_outbox(bot, db.sessionmaker, translations, utc_clock)
        for key, value in counts.items():
            sent[key] += value
        if not counts:
            break
    timings["send_outbox"] = time.perf_counter() - started
    mark(f"after send_outbox (≤ {args.send_batches} batches of 50)")
    # A minute later: what every tick costs once the backlog is handled, and what a teacher pressing
    # «Помощь» meanwhile waits (the jobs share the event loop with the updates).
    ticking = True
    prober = conversation((sample["teachers"] + sample["young"] + sample["methodists"])[0])

    async def probe() -> None:
        while ticking:
            await h.send(prober, f"{t('menu-help')} while the second tick runs", t("menu-help"))
            await asyncio.sleep(0.05)

    probing = asyncio.create_task(probe())
    started = time.perf_counter()
    await mentorship_tick(bot, db.sessionmaker, translations, utc_clock)
    timings["mentorship_tick again"] = time.perf_counter() - started
    started = time.perf_counter()
    await plan_outbox(db.sessionmaker, utc_clock)
    timings["plan_outbox again"] = time.perf_counter() - started
    ticking = False
    await probing
    mark("after a second mentorship_tick and plan_outbox")
    async with db.sessionmaker() as session:
        pending = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )
        kinds = dict(
            (
                await session.execute(select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind))
            ).all()
        )

    await background.stop()
    await bot.session.close()
    await dp.storage.close()
    await db.close()
    root.removeHandler(errors)
    root.setLevel(level_before)
    latencies = {label: [len(v), statistics.mean(v), max(v)] for label, v in sorted(h.run.latencies.items())}
    return {
        "stages": stages,
        "latencies": latencies,
        "timings": timings,
        "planned": planned,
        "mentorship": mentorship,
        "sent": dict(sent),
        "outbox": {"pending": pending, **kinds},
        "errors": {
            "exceptions": h.run.exceptions[:5],
            "log": [f"{name} {level}: {n}" for (name, level), n in errors.counts.items()],
            "samples": errors.samples,
            "violations": stub.violations[:5],
            "refused": [" ".join(map(str, e)) for e in stub.errors[:5]],
        },
    }


# --- the parent: one database and one fresh process per size --------------------------------------


async def measure(args: argparse.Namespace, size: int) -> dict[str, Any]:
    from dispatch_bench import fresh_database

    async with fresh_database(args.database_url) as url:
        counts, people, seconds = await populate(url, size, args.seed, args.existing)
        if args.in_process:  # for the smoke test: the figures then include what this process held
            inner = argparse.Namespace(**{**vars(args), "child": url, "people": json.dumps(people)})
            result = json.loads(json.dumps(await child(inner)))
            result.update(size=size, rows=counts, fill_seconds=seconds)
            return result
        command = [
            sys.executable,
            str(BENCH / "memory_bench.py"),
            "--child",
            url,
            "--people",
            json.dumps(people),
            "--seed",
            str(args.seed),
            "--new-users",
            str(args.new_users),
            "--send-batches",
            str(args.send_batches),
        ]
        done = await asyncio.to_thread(
            subprocess.run, command, capture_output=True, text=True, check=False, cwd=ROOT
        )
        if done.returncode != 0:
            raise SystemExit(f"the bot process failed:\n{done.stdout}\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result.update(size=size, rows=counts, fill_seconds=seconds)
        return result


def report(results: list[dict[str, Any]]) -> None:
    sizes = [r["size"] for r in results]
    width = 24
    head = "".join(f"{f'{s:,} teachers':>{width}}" for s in sizes)
    print("\nrows: " + " | ".join(", ".join(f"{k} {v:,}" for k, v in r["rows"].items()) for r in results))
    print("filled in " + ", ".join(f"{r['fill_seconds']:.0f} s" for r in results))
    print(f"\n{'memory, MiB: RSS now (peak so far)':<70}{head}")
    for i, (stage, _, _) in enumerate(results[0]["stages"]):
        cells = []
        for r in results:
            _, rss, peak = r["stages"][i]
            cells.append(f"{f'{rss:.0f} ({peak:.0f})':>{width}}")
        print(f"  {stage:<68}{''.join(cells)}")
    print(f"\n{'the tick':<70}{head}")
    for name in (
        "mentorship_tick",
        "plan_outbox",
        "send_outbox",
        "mentorship_tick again",
        "plan_outbox again",
    ):
        print(f"  {name + ', s':<68}" + "".join(f"{r['timings'][name]:>{width}.2f}" for r in results))
    print(f"  {'rows planned by plan_outbox':<68}" + "".join(f"{r['planned']:>{width},}" for r in results))
    for r in results:
        sent = ", ".join(f"{k} {v}" for k, v in sorted(r["sent"].items())) or "nothing due"
        rows = ", ".join(f"{k} {v:,}" for k, v in sorted(r["outbox"].items()))
        print(f"  with {r['size']:,} teachers: send_outbox {sent}; outbox rows afterwards: {rows}")
    print(f"\n{'updates: count, mean ms (max ms)':<70}{head}")
    for label in dict.fromkeys(label for r in results for label in r["latencies"]):
        cells = []
        for r in results:
            n, mean, top = r["latencies"].get(label, [0, 0.0, 0.0])
            cells.append(f"{f'{n} × {mean * 1e3:.1f} ({top * 1e3:.0f})':>{width}}")
        print(f"  {label[:68]:<68}" + "".join(cells))
    for r in results:
        problems = [x for key in ("exceptions", "log", "violations", "refused") for x in r["errors"][key]]
        print(
            f"errors with {r['size']:,} teachers: "
            + ("none" if not problems else "; ".join(problems + r["errors"]["samples"]))
        )


async def main(args: argparse.Namespace) -> None:
    from sqlalchemy.engine import make_url

    url = args.database_url
    engine = "SQLite (a fresh file per size)"
    if url and make_url(url).get_backend_name() != "sqlite":
        parsed = make_url(url)
        engine = f"PostgreSQL at {parsed.host}:{parsed.port} (a fresh database bench_… per size)"
    print(
        f"memory bench: {engine}; sizes {', '.join(f'{s:,}' for s in args.sizes)}; seed {args.seed}; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; one fresh process per size"
    )
    results = []
    for size in args.sizes:
        results.append(await measure(args, size))
    report(results)


def size_list(text: str) -> list[int]:
    values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("one or more positive integers, comma-separated")
    return values


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", type=size_list, default=[1000, 100_000], help="teachers (default 1000,100000)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--existing",
        type=int,
        default=100,
        help="existing teachers played, 30 %% of them young (default 100)",
    )
    parser.add_argument("--new-users", type=int, default=10, help="new teachers onboarding (default 10)")
    parser.add_argument("--send-batches", type=int, default=5, help="send_outbox batches of 50 (default 5)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgresql+asyncpg://user@host:port/db): a database bench_<random> "
        "is created there per size and dropped; default: a fresh SQLite file in a temporary directory",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the database URL of the bot process
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)  # tests only
    parser.add_argument("--people", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(asyncio.run(child(arguments))))
    else:
        asyncio.run(main(arguments))
