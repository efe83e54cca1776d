"""Broadcast throughput against a rate-limited Telegram stand-in over HTTP, and a kill half-way.

Starts `telegram_stub.StubServer` with a stub that, like Telegram, refuses more than 30
sendMessage calls in any sliding second (429, retry_after=1). Seeds N recipients in a temporary
SQLite database (each has "written" to the stub, so it may write back), then runs the real
`BroadcastSender` with a real aiogram `Bot` over HTTP at the given rate (default 29/s):

1. one broadcast to everybody, start to finish;
2. another broadcast whose sender task is cancelled half-way; a new sender starts after the lease
   (3 s here) runs out and finishes it.

Prints the achieved rate as a share of Telegram's 30/s, the 429s received and the duplicates
(a recipient receiving the same broadcast twice). It asserts nothing.

Run: python bench/broadcast_bench.py [--recipients 2000] [--rate 29]
The default is 2,000 recipients (about 70 s a run); `--recipients 10000` takes about 6 min a run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import tempfile
import time
from collections import Counter, deque
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from pydantic import SecretStr
from sqlalchemy import insert, select

from bot.broadcast import BroadcastSender
from bot.factory import open_database
from bot.settings import Settings
from domain.audience import Pacer
from locales import Translations
from storage.broadcasts import create_broadcast, delivery_counts
from storage.models import Broadcast, User
from telegram_stub import StubServer, TelegramStub

TELEGRAM_LIMIT = 30
LEASE_SECONDS = 3.0
FIRST_ID = 10_000_000


class RateLimitedStub(TelegramStub):
    """Telegram's overall flood limit: at most 30 sendMessage calls in any sliding second."""

    def __init__(self, limit: int = TELEGRAM_LIMIT) -> None:
        super().__init__()
        self.limit = limit
        self.window: deque[float] = deque()
        self.too_many = 0
        self.received: Counter[tuple[int, str]] = Counter()
        self.times: list[float] = []

    async def handle(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        if method.lower() != "sendmessage":
            return await super().handle(method, params, files)
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1:
            self.window.popleft()
        if len(self.window) >= self.limit:
            self.too_many += 1
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
        self.window.append(now)
        status, body = await super().handle(method, params, files)
        if status == 200:
            self.received[(int(params["chat_id"]), str(params.get("text", ""))[:40])] += 1
            self.times.append(now)
        return status, body


def utc_clock() -> datetime:
    return datetime.now(UTC)


async def seed(settings: Settings, stub: TelegramStub, recipients: int) -> None:
    db = await open_database(settings)
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
        await session.execute(insert(User), rows)
        await session.commit()
    await db.close()
    for n in range(recipients):
        stub.message_update(FIRST_ID + n, "/start")


async def queue(settings: Settings, text: str) -> int:
    db = await open_database(settings, load_regions=False)
    async with db.sessionmaker() as session:
        broadcast = await create_broadcast(
            session, created_by=None, region_code="kostroma", text=text, audience={}
        )
        await session.commit()
        bid = broadcast.id
    await db.close()
    return bid


async def run_sender(sender: BroadcastSender, sessionmaker: Any, bid: int) -> None:
    while True:
        counts = await sender.run_once()
        if not counts:
            async with sessionmaker() as session:
                broadcast = await session.get(Broadcast, bid)
                if broadcast is not None and broadcast.status == "done":
                    return
            await asyncio.sleep(0.2)


def report(title: str, stub: RateLimitedStub, text: str, recipients: int, elapsed: float) -> None:
    mine = {chat: n for (chat, prefix), n in stub.received.items() if prefix == text[:40]}
    delivered = sum(mine.values())
    duplicates = sum(n - 1 for n in mine.values() if n > 1)
    missing = recipients - len(mine)
    rate = delivered / elapsed if elapsed else 0.0
    print(f"{title}")
    print(f"  delivered {delivered} of {recipients} in {elapsed:.1f} s: {rate:.1f} msg/s")
    print(f"  achieved rate / Telegram's 30 msg/s: {rate / TELEGRAM_LIMIT:.3f} (goal ≥ 0.9)")
    print(f"  429 answers: {stub.too_many}; duplicates: {duplicates}; missing: {missing}")


async def main(recipients: int, rate: float) -> None:
    translations = Translations()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr("42:TEST"),
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
        )
        stub = RateLimitedStub()
        async with StubServer(stub) as server:
            bot = Bot(
                "42:TEST",
                session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)),
                default=DefaultBotProperties(parse_mode="HTML"),
            )
            await seed(settings, stub, recipients)
            db = await open_database(settings, load_regions=False)
            print(f"{recipients} recipients, sender rate {rate}/s, lease {LEASE_SECONDS} s, stub limit 30/s")

            def sender() -> BroadcastSender:
                return BroadcastSender(
                    bot,
                    db.sessionmaker,
                    translations,
                    utc_clock,
                    pacer=Pacer(rate),
                    lease_seconds=LEASE_SECONDS,
                )

            # 1. start to finish
            text = "<b>Прогон 1</b>: семинар в пятницу"
            bid = await queue(settings, text)
            start = time.monotonic()
            await run_sender(sender(), db.sessionmaker, bid)
            report(
                "1. one sender, start to finish",
                stub,
                text,
                recipients,
                time.monotonic() - start,
            )

            # 2. killed half-way, resumed by a new sender after the lease
            stub.too_many = 0
            text = "<b>Прогон 2</b>: вебинар в среду"
            bid = await queue(settings, text)
            start = time.monotonic()
            first = asyncio.create_task(run_sender(sender(), db.sessionmaker, bid))
            while sum(n for (_, p), n in stub.received.items() if p == text[:40]) < recipients // 2:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            first.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await first
            killed_at = time.monotonic()
            await run_sender(sender(), db.sessionmaker, bid)
            elapsed = time.monotonic() - start
            report(
                "2. sender cancelled half-way, a new one resumes",
                stub,
                text,
                recipients,
                elapsed,
            )
            print(
                f"  killed after {killed_at - start:.1f} s; the new sender sent the free rows at once and the"
                f" dead one's leased chunk after its {LEASE_SECONDS:.0f} s lease"
            )
            async with db.sessionmaker() as session:
                tally = await delivery_counts(session, bid)
                status = await session.scalar(select(Broadcast.status).where(Broadcast.id == bid))
            print(f"  deliveries by status: {tally}; broadcast {status}")
            await db.close()
            await bot.session.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=29)
    args = parser.parse_args()
    # The kill in run 2 interrupts a pooled connection's reset; SQLAlchemy logs that at length.
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    asyncio.run(main(args.recipients, args.rate))
