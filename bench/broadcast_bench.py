"""Broadcasts against a Telegram stand-in with real round trips and Telegram's limit.

Starts the Telegram stand-in (`telegram_stub`) over HTTP in a process of its own, as Telegram is a
server of its own (in the sender's process, the sender's work would delay the stand-in's clock and
bunch requests up), with a round trip of `--latency` ms on every request and a flood limit of
`--limit` messages a second (beyond it: 429, retry_after=1). Seeds `--recipients` people (each has
"written" to the stand-in, so it may write back) and runs the real sender over HTTP:

1. one worker (the real `BroadcastSender` in this process, SQLite): a broadcast to everybody,
   start to finish, with a lease of 3 s — short on purpose, so that leases run short and are
   renewed while messages wait (a row is sent only under its own lease);
2. the sender as a deployment runs it: a `python -m bot webhook` process on the same SQLite file
   sends another broadcast and is stopped half-way with SIGTERM (the deployment's normal stop: it
   finishes the messages on their way, records their answers, hands back the rows not sent, and
   exits); a new process resumes. With `--hard-kill` the first process is killed with SIGKILL
   instead: a message on its way, or answered and not yet recorded, is then "in doubt" — Telegram
   has no idempotency key, so the resumed sender may send it again — and the rows the dead
   process held wait for their lease (60 s). The bench prints the number in doubt next to the
   duplicates;
3. with `--workers 2`: two webhook worker processes (`python -m bot webhook`) on PostgreSQL and
   Redis (`TEST_POSTGRES_URL`, `TEST_REDIS_URL`, as `scripts/services.sh` sets them) sharing one
   `BROADCAST_RATE` through Redis, sending one broadcast together.

Prints each run's pace as a share of the limit (messages delivered over the time from the first to
the last), the 429s, duplicates (a recipient receiving the same broadcast twice) and missing
recipients, then the issue's goals as met or not met (after a SIGKILL: duplicates no more than
were in doubt). It asserts nothing.

Run:  python bench/broadcast_bench.py --recipients 5000 --latency 80 --limit 30
      python bench/broadcast_bench.py --recipients 5000 --latency 80 --limit 30 --hard-kill
      python bench/broadcast_bench.py --recipients 5000 --latency 300 --limit 30
      scripts/services.sh python bench/broadcast_bench.py --recipients 5000 --latency 80 --workers 2
Correctness only, on a shared machine: --recipients 600 (figures mean nothing there).
At 29 messages a second 5,000 recipients take about 3 minutes a run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from aiogram.client.default import DefaultBotProperties  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiohttp import ClientSession, web  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.broadcast import BroadcastSender  # noqa: E402
from bot.factory import freeze_startup_objects, open_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from domain.audience import Pacer  # noqa: E402
from locales import Translations  # noqa: E402
from storage.broadcasts import create_broadcast, delivery_counts  # noqa: E402
from storage.models import Broadcast, BroadcastDelivery, User  # noqa: E402
from telegram_stub import FloodLimit, TelegramStub, create_app  # noqa: E402

LEASE_SECONDS = 3.0
FIRST_ID = 10_000_000
GOAL_PACE = 0.9
STORM = 10  # more 429s than this in a run is a storm: the senders did not keep below the limit


class RecordingStub(TelegramStub):
    """Remembers who received which broadcast, and when."""

    def __init__(self) -> None:
        super().__init__()
        self.received: Counter[tuple[int, str]] = Counter()
        self.times: dict[str, list[float]] = {}

    async def handle(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = await super().handle(method, params, files)
        if method.lower() == "sendmessage" and status == 200:
            tag = str(params.get("text", ""))[:40]
            self.received[(int(params["chat_id"]), tag)] += 1
            self.times.setdefault(tag, []).append(time.monotonic())
        return status, body


class StandIn:
    """The stand-in in its own process (``--serve-stand-in``), and what it received."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.latency = args.latency / 1000
        self.process: asyncio.subprocess.Process | None = None
        self.http = ClientSession()

    async def __aenter__(self) -> StandIn:
        a = self.args
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--serve-stand-in",
            str(self.port),
            f"--recipients={a.recipients}",
            f"--latency={a.latency}",
            f"--limit={a.limit}",
        )
        for _ in range(1200):  # a minute: a busy machine imports slowly
            with contextlib.suppress(OSError):
                await self.stats()
                return self
            await asyncio.sleep(0.05)
        await self.__aexit__()
        raise RuntimeError("the stand-in did not start")

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()

    async def stats(self) -> dict[str, Any]:
        async with self.http.get(f"{self.url}/stats") as response:
            return dict(await response.json())

    async def reset(self) -> None:
        async with self.http.post(f"{self.url}/stats/reset"):
            pass

    async def received(self, tag: str) -> int:
        async with self.http.get(f"{self.url}/stats/count", params={"tag": tag}) as response:
            return int(await response.text())


async def serve_stand_in(port: int, recipients: int, latency_ms: float, limit: int) -> None:
    """The stand-in's process: the stub over HTTP, and its tallies at /stats."""
    stub = RecordingStub()
    for n in range(recipients):
        stub.message_update(FIRST_ID + n, "/start")
    flood = FloodLimit(limit)
    app = create_app(stub, latency=latency_ms / 1000, flood=flood)

    async def stats(_request: web.Request) -> web.Response:
        received = [[chat, tag, n] for (chat, tag), n in stub.received.items()]
        return web.json_response({"received": received, "times": stub.times, "refused": flood.refused})

    async def count(request: web.Request) -> web.Response:
        tag = request.query["tag"]
        return web.Response(text=str(sum(n for (_, t), n in stub.received.items() if t == tag)))

    async def reset(_request: web.Request) -> web.Response:
        flood.refused = 0
        return web.Response(text="ok")

    app.router.add_get("/stats", stats)
    app.router.add_get("/stats/count", count)
    app.router.add_post("/stats/reset", reset)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


@dataclass
class Result:
    title: str
    latency: float
    delivered: int
    pace: float  # share of the limit
    refused: int
    duplicates: int
    missing: int
    in_doubt: int = 0  # a hard kill: delivered and not recorded when the process died


def utc_clock() -> datetime:
    return datetime.now(UTC)


def settings_for(database_url: str) -> Settings:
    return Settings(_env_file=None, bot_token=SecretStr("42:TEST"), database_url=database_url)  # type: ignore[call-arg]


async def seed(database_url: str, recipients: int) -> None:
    db = await open_database(settings_for(database_url))
    now = utc_clock()
    rows = [
        {
            "telegram_id": FIRST_ID + n,
            "locale": "ru",
            "role": "teacher",
            "consent_at": now,
            "profile_completed_at": now,
            "region_code": "kostroma",
            "subjects": [],
            "notify_off": [],
        }
        for n in range(recipients)
    ]
    async with db.sessionmaker() as session:
        for start in range(0, len(rows), 1000):
            await session.execute(insert(User), rows[start : start + 1000])
        await session.commit()
    await db.close()


async def queue(database_url: str, text: str) -> int:
    db = await open_database(settings_for(database_url), load_regions=False)
    async with db.sessionmaker() as session:
        broadcast = await create_broadcast(
            session, created_by=None, region_code="kostroma", text=text, audience={}
        )
        await session.commit()
        bid = broadcast.id
    await db.close()
    return bid


async def measure(title: str, stand_in: StandIn, text: str, recipients: int, limit: int) -> Result:
    tag = text[:40]
    stats = await stand_in.stats()
    mine = {chat: n for chat, prefix, n in stats["received"] if prefix == tag}
    delivered = sum(mine.values())
    times = sorted(stats["times"].get(tag, []))
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    result = Result(
        title,
        stand_in.latency,
        delivered,
        rate / limit,
        int(stats["refused"]),
        sum(n - 1 for n in mine.values() if n > 1),
        recipients - len(mine),
    )
    print(title)
    print(f"  delivered {delivered} of {recipients} in {span:.1f} s, first to last: {rate:.1f} msg/s")
    print(f"  pace / the limit of {limit} msg/s: {result.pace:.3f}")
    print(f"  429 answers: {result.refused}; duplicates: {result.duplicates}; missing: {result.missing}")
    print(f"  load average (1 min) of this shared machine at the end: {os.getloadavg()[0]:.2f}")
    if span:  # where the time went: messages in each 10 s from the first
        buckets = [0] * (int(span // 10) + 1)
        for moment in times:
            buckets[int((moment - times[0]) // 10)] += 1
        print(f"  messages per 10 s: {' '.join(map(str, buckets))}")
    return result


async def run_sender(sender: BroadcastSender, sessionmaker: Any, bid: int) -> None:
    while True:
        counts = await sender.run_once()
        if not counts:
            async with sessionmaker() as session:
                broadcast = await session.get(Broadcast, bid)
                if broadcast is not None and broadcast.status == "done":
                    return
            await asyncio.sleep(0.2)


async def one_worker(args: argparse.Namespace) -> list[Result]:
    translations = Translations()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        async with StandIn(args) as server:
            bot = Bot(
                "42:TEST",
                session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)),
                default=DefaultBotProperties(parse_mode="HTML"),
            )
            await seed(url, args.recipients)
            db = await open_database(settings_for(url), load_regions=False)
            pacer = Pacer(args.rate)  # one pacer for the process, as a worker has
            freeze_startup_objects()  # as a worker does once started: no 230 ms collections

            def sender() -> BroadcastSender:
                return BroadcastSender(
                    bot, db.sessionmaker, translations, utc_clock, pacer=pacer, lease_seconds=LEASE_SECONDS
                )

            # 1. start to finish
            text = f"<b>Прогон 1</b>: семинар в пятницу ({args.latency:.0f} мс)"
            bid = await queue(url, text)
            await run_sender(sender(), db.sessionmaker, bid)
            results.append(
                await measure("1. one worker, start to finish", server, text, args.recipients, args.limit)
            )

            # 2. the sender's process stopped half-way, a new process resumes
            if not args.skip_kill:
                await server.reset()
                results.append(await stopped_and_resumed(args, server, url, db.sessionmaker))
            await db.close()
            await bot.session.close()
    return results


def worker_env(args: argparse.Namespace, server: StandIn, database_url: str) -> dict[str, str]:
    """The environment of a `python -m bot webhook` worker against the stand-in."""
    return {
        **os.environ,
        "BOT_TOKEN": "42:TEST",
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": server.url,
        "WEBHOOK_BASE_URL": "https://bot.example.org",
        "BROADCAST_RATE": str(args.rate),
        "LOG_LEVEL": os.environ.get("BENCH_WORKER_LOG_LEVEL", "WARNING"),
        "REGION": "kostroma",
        "PYTHONPATH": str(ROOT),
        "WEB_PORT": str(free_port()),
    }


async def start_worker(env: Mapping[str, str], cwd: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "webhook", cwd=cwd, env=dict(env), stdout=asyncio.subprocess.DEVNULL
    )


async def stop_worker(worker: asyncio.subprocess.Process, signum: int = signal.SIGTERM) -> float:
    """Signal the worker and wait for it to exit; how long it took."""
    began = time.monotonic()
    if worker.returncode is None:
        worker.send_signal(signum)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(worker.wait(), 60)
    if worker.returncode is None:
        print("  the worker did not exit within 60 s of the signal: killed")
        worker.kill()
        await worker.wait()
    return time.monotonic() - began


async def rows_by_chat(sessionmaker: Any, bid: int) -> dict[int, str]:
    """Each recipient's delivery status, by chat."""
    async with sessionmaker() as session:
        result = await session.execute(
            select(User.telegram_id, BroadcastDelivery.status)
            .join(User, User.id == BroadcastDelivery.user_id)
            .where(BroadcastDelivery.broadcast_id == bid)
        )
        return {int(chat): str(status) for chat, status in result}


async def stopped_and_resumed(
    args: argparse.Namespace, server: StandIn, url: str, sessionmaker: Any
) -> Result:
    """The real sender in a process of its own (`python -m bot webhook` on the same SQLite file),
    stopped half-way as a deployment stops it (SIGTERM: it finishes what is on its way, records the
    answers and exits) or, with --hard-kill, killed (SIGKILL); then a new process resumes."""
    how = "killed (SIGKILL)" if args.hard_kill else "stopped (SIGTERM)"
    text = f"<b>Прогон 2</b>: вебинар в среду ({args.latency:.0f} мс)"
    tag = text[:40]
    bid = await queue(url, text)
    with tempfile.TemporaryDirectory() as cwd:
        first = await start_worker(worker_env(args, server, url), cwd)
        deadline = time.monotonic() + 3 * args.recipients / args.rate + 120
        while await server.received(tag) < args.recipients // 2 and time.monotonic() < deadline:
            if first.returncode is not None:
                print("  the first worker exited early")
                break
            await asyncio.sleep(0.05)
        took = await stop_worker(first, signal.SIGKILL if args.hard_kill else signal.SIGTERM)
        await asyncio.sleep(args.latency / 1000 + 1)  # the stand-in answers what was on its way
        # In doubt: delivered by the stand-in, not marked sent - the answers the dead process never
        # committed (or the messages on their way). A resumed sender sends those again.
        stats = await server.stats()
        delivered = {chat for chat, prefix, _ in stats["received"] if prefix == tag}
        statuses = await rows_by_chat(sessionmaker, bid)
        in_doubt = sum(1 for chat in delivered if statuses.get(chat) == "pending")
        at_stop = Counter(statuses.values())
        print(
            f"  first worker {how} after {len(delivered)} deliveries: exited in {took:.1f} s"
            f" (code {first.returncode}); rows {dict(at_stop)}; in doubt: {in_doubt}"
        )
        second = await start_worker(worker_env(args, server, url), cwd)
        deadline = time.monotonic() + 3 * args.recipients / args.rate + 180  # a kill: leases run out
        while time.monotonic() < deadline:
            async with sessionmaker() as session:
                status = await session.scalar(select(Broadcast.status).where(Broadcast.id == bid))
            if status == "done" or second.returncode is not None:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # anything sent twice would come now
        await stop_worker(second)
    result = await measure(
        f"2. the sender's process {how} half-way, a new process resumes",
        server,
        text,
        args.recipients,
        args.limit,
    )
    result.in_doubt = in_doubt
    print(f"  in doubt at the stop (delivered, not recorded): {in_doubt}; duplicates: {result.duplicates}")
    async with sessionmaker() as session:
        tally = await delivery_counts(session, bid)
        status = await session.scalar(select(Broadcast.status).where(Broadcast.id == bid))
    print(f"  at the end: {tally}; broadcast {status}")
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def fresh_postgres(base_url: str) -> AsyncIterator[str]:
    """A database bench_<random> on the PostgreSQL server, dropped afterwards."""
    import asyncpg

    url = make_url(base_url)
    name = f"bench_{uuid.uuid4().hex[:12]}"
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        conn = await asyncpg.connect(dsn)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


async def two_workers(args: argparse.Namespace, postgres: str, redis: str) -> Result:
    """Two `python -m bot webhook` processes sharing BROADCAST_RATE through Redis."""
    async with fresh_postgres(postgres) as url, StandIn(args) as server:
        await seed(url, args.recipients)
        text = f"<b>Прогон 3</b>: два воркера ({args.latency:.0f} мс)"
        bid = await queue(url, text)
        env = {
            **os.environ,
            "BOT_TOKEN": "42:TEST",
            "DATABASE_URL": url,
            "REDIS_URL": f"{redis.rstrip('/').rsplit('/', 1)[0]}/{uuid.uuid4().int % 15 + 1}",
            "TELEGRAM_API_URL": server.url,
            "WEBHOOK_BASE_URL": "https://bot.example.org",
            "WORKERS": "2",
            "BROADCAST_RATE": str(args.rate),
            "LOG_LEVEL": os.environ.get("BENCH_WORKER_LOG_LEVEL", "WARNING"),
            "REGION": "kostroma",
            "PYTHONPATH": str(ROOT),
        }
        with tempfile.TemporaryDirectory() as cwd:
            workers = [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "webhook",
                    cwd=cwd,
                    env={**env, "WEB_PORT": str(free_port())},
                    stdout=asyncio.subprocess.DEVNULL,
                )
                for _ in range(2)
            ]
            try:
                tag = text[:40]
                deadline = time.monotonic() + 3 * args.recipients / args.rate + 60
                while time.monotonic() < deadline:
                    if await server.received(tag) >= args.recipients:
                        break
                    if any(w.returncode is not None for w in workers):
                        print("  a worker exited early")
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(2)  # anything sent twice would come now
            finally:
                for worker in workers:
                    if worker.returncode is None:
                        worker.send_signal(signal.SIGTERM)
                for worker in workers:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(worker.wait(), 30)
                    if worker.returncode is None:
                        worker.kill()
                        await worker.wait()
        result = await measure(
            "3. two webhook workers on PostgreSQL + Redis, one shared rate",
            server,
            text,
            args.recipients,
            args.limit,
        )
        db = await open_database(settings_for(url), load_regions=False)
        async with db.sessionmaker() as session:
            print(f"  deliveries: {await delivery_counts(session, bid)}")
        await db.close()
    return result


def goals(results: list[Result], recipients: int) -> None:
    """The issue's goals: the pace of the start-to-finish runs (the resumed run waits out a lease
    on purpose), and no duplicates, nothing missing, no storm of 429s in any."""
    print("\nGoals (issue 15):")
    for r in results:
        print(f"  {r.title}, {r.latency * 1000:.0f} ms:")
        if not r.title.startswith("2."):
            pace = "met" if r.pace >= GOAL_PACE else "NOT MET"
            print(f"    pace ≥ {GOAL_PACE} of the limit: {pace} ({r.pace:.3f})")
        if "SIGKILL" in r.title:  # Telegram has no idempotency key: what was in doubt may go twice
            met = "met" if r.duplicates <= r.in_doubt else "NOT MET"
            print(f"    duplicates ≤ in doubt at the kill: {met} ({r.duplicates} ≤ {r.in_doubt})")
        else:
            print(f"    0 duplicates: {'met' if r.duplicates == 0 else 'NOT MET'} ({r.duplicates})")
        print(f"    0 missing: {'met' if r.missing == 0 else 'NOT MET'} ({r.missing})")
        print(f"    no storm of 429s (≤ {STORM}): {'met' if r.refused <= STORM else 'NOT MET'} ({r.refused})")
    if recipients < 5000:
        print(f"  (the issue's goals are for 5,000 recipients; this run had {recipients})")


async def main(args: argparse.Namespace) -> None:
    print(
        f"{args.recipients} recipients, sender rate {args.rate}/s, round trip {args.latency:.0f} ms,"
        f" stand-in limit {args.limit}/s, lease {LEASE_SECONDS:.0f} s in run 1 (60 s in the processes)"
    )
    results = [] if args.workers == 2 else await one_worker(args)
    if args.workers == 2:
        postgres, redis = os.environ.get("TEST_POSTGRES_URL"), os.environ.get("TEST_REDIS_URL")
        if not postgres or not redis:
            print(
                "3. two webhook workers: skipped — TEST_POSTGRES_URL and TEST_REDIS_URL are not set"
                " (run it under scripts/services.sh, which starts PostgreSQL and Redis)"
            )
        else:
            results.append(await two_workers(args, postgres, redis))
    goals(results, args.recipients)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=29, help="BROADCAST_RATE, messages a second")
    parser.add_argument("--latency", type=float, default=80, help="round trip of every request, ms")
    parser.add_argument("--limit", type=int, default=30, help="the stand-in's 429 threshold, messages/s")
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--skip-kill", action="store_true", help="only the start-to-finish run")
    parser.add_argument(
        "--hard-kill", action="store_true", help="run 2 kills the sender's process (SIGKILL), not SIGTERM"
    )
    parser.add_argument("--serve-stand-in", type=int, metavar="PORT", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_stand_in:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                serve_stand_in(
                    arguments.serve_stand_in, arguments.recipients, arguments.latency, arguments.limit
                )
            )
        sys.exit(0)
    # The stop in run 2 interrupts a pooled connection's reset; SQLAlchemy logs that at length.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    asyncio.run(main(arguments))
