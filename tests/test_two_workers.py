"""Two workers on one PostgreSQL: 1,000 due reminders, and a broadcast, each sent exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.broadcast import BroadcastSender
from bot.factory import Database
from bot.settings import Settings
from domain.audience import Pacer
from storage.db import create_engine, create_sessionmaker
from storage.models import OutboxMessage, User
from telegram_stub import StubServer, TelegramStub
from tests.conftest import ADMIN_ID, App
from tests.test_broadcasts import queue, seed_recipients, status_of
from tests.workers import seed_due_reminders, start_worker, wait_until

pytestmark = pytest.mark.postgres
REMINDERS = 1000


async def test_two_workers_send_each_of_1000_due_reminders_exactly_once(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.fail("PostgreSQL tests need TEST_DATABASE_URL=postgresql+asyncpg://… (scripts/test.sh)")
    stub = TelegramStub()
    ids = await seed_due_reminders(database.sessionmaker, stub, REMINDERS, datetime.now(UTC))
    # The deployment's share of Telegram's limit for reminders, split between its two workers.
    env = {"WORKERS": "2", "OUTBOX_RATE": "30"}
    async with StubServer(stub) as server:
        workers = [
            await start_worker(server.url, settings.database_url, tmp_path / f"w{n}.log", **env)
            for n in (1, 2)
        ]
        try:
            health = [await w.wait_healthy() for w in workers]
            await wait_until(lambda: len(stub.outbox) >= REMINDERS, within=120, what="1,000 reminders")
            await asyncio.sleep(1)  # room for a duplicate to show up, if there were one
            health = [(await w.health())[1] for w in workers]
        finally:
            codes = [await w.terminate() for w in workers]
    assert codes == [0, 0]

    per_chat = Counter(m.chat_id for m in stub.outbox)
    assert len(stub.outbox) == REMINDERS, f"{len(stub.outbox)} messages for {REMINDERS} reminders"
    assert set(per_chat) == set(ids) and set(per_chat.values()) == {1}
    async with database.sessionmaker() as session:
        result = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        by_status = {status: count for status, count in result}
    assert by_status == {"sent": REMINDERS}

    # Both workers sent (the rows were shared out), and exactly one of them held the clock.
    sent = [w.sent_by_outbox() for w in workers]
    assert sum(sent) == REMINDERS and min(sent) > 0, sent
    holders = [any(e.get("msg") == "clock lock taken: this worker plans" for e in w.logs()) for w in workers]
    assert sorted(holders) == [False, True]
    assert sorted(h["clock"] for h in health) == ["holder", "standby"]
    assert stub.violations == []


async def test_two_broadcast_senders_share_one_broadcast_and_one_reports(app: App) -> None:
    """Two workers' senders, each on its own connection pool, drain the same broadcast at once."""
    if not app.settings.database_url.startswith("postgresql"):
        pytest.fail("PostgreSQL tests need TEST_DATABASE_URL=postgresql+asyncpg://… (scripts/test.sh)")
    recipients = await seed_recipients(app, 300)
    await seed_recipients(app, 1, first=ADMIN_ID, role="admin")
    async with app.database.sessionmaker() as session:
        admin = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin is not None
        admin_id = admin.id
    bid = await queue(app, "Семинар для двух воркеров", created_by=admin_id)

    engines = [create_engine(app.settings.database_url) for _ in range(2)]
    senders = [
        BroadcastSender(app.bot, create_sessionmaker(e), app.translations, app.clock, pacer=Pacer(2000))
        for e in engines
    ]

    async def drain(sender: BroadcastSender) -> int:
        sent = 0
        while counts := await sender.run_once():
            sent += counts.get("sent", 0)
        return sent

    try:
        sent = await asyncio.gather(*(drain(s) for s in senders))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(sent) == len(recipients) + 1 and min(sent) > 0, sent  # the admin is a teacher too
    per_chat = Counter(m.chat_id for m in app.stub.outbox if not m.edited and "Семинар" in m.plain_text)
    assert set(per_chat) == {*recipients, ADMIN_ID} and set(per_chat.values()) == {1}
    to_admin = [m.plain_text for m in app.stub.outbox if m.chat_id == ADMIN_ID and not m.edited]
    assert sum(text.startswith(f"Рассылка №{bid}: отправлено 0") for text in to_admin) == 1  # one start
    assert sum(f"Рассылка №{bid} завершена" in text for text in to_admin) == 1  # one report
    assert "Доставлено: 301 сообщение из 301" in to_admin[-1]
    assert await status_of(app, bid) == "done"
