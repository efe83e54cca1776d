"""``python -m bot webhook`` as a real process against the local Bot API stand-in.

On the engine under test: SQLite in the first pass, PostgreSQL in the second (with Redis when the
pass runs on Redis), so the same worker is checked on both.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from redis.asyncio import Redis
from sqlalchemy import func, select

from bot.factory import Database, create_dispatcher
from bot.settings import Settings
from storage.models import OutboxMessage, User
from telegram_stub import SentMessage, StubServer, TelegramStub
from tests import engines
from tests.workers import Worker, seed_due_reminders, start_worker, wait_until

USER = 7101
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def to_user(stub: TelegramStub, user_id: int) -> list[SentMessage]:
    return [m for m in stub.outbox if m.chat_id == user_id]


async def post(worker: Worker, update: dict, secret: str | None) -> int:  # type: ignore[type-arg]
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{worker.base}/telegram/webhook", json=update, headers=headers) as response,
    ):
        return response.status


async def test_webhook_worker_checks_the_secret_serves_updates_and_stops_cleanly(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    stub = TelegramStub()
    # In the PostgreSQL + Redis pass the worker keeps its conversations in Redis, as deployed.
    on_redis = engines.fsm_on_redis()
    env = {"REDIS_URL": engines.redis_url()} if on_redis else {}
    async with StubServer(stub) as server:
        worker = await start_worker(server.url, settings.database_url, tmp_path / "worker.log", **env)
        try:
            health = await worker.wait_healthy()
            assert health["status"] == "ok" and health["database"] == "ok"
            assert health.get("redis") == ("ok" if on_redis else None)

            # The webhook is registered with a secret and exactly the update types the bot handles.
            webhook = stub.webhook
            assert webhook["url"] == f"{worker.base}/telegram/webhook"
            expected = create_dispatcher(settings, database.sessionmaker).resolve_used_update_types()
            assert sorted(webhook["allowed_updates"]) == sorted(expected)
            secret = webhook["secret_token"]
            assert secret and "WORKER" not in secret  # derived from the token, not the token

            start = stub.message_update(USER, "/start")
            assert await post(worker, start, None) == 401
            assert await post(worker, start, "forged") == 401
            assert to_user(stub, USER) == []  # a forged update reaches nobody

            assert await post(worker, start, secret) == 200
            # The answer comes back only when the update has been handled.
            consent = next(m for m in to_user(stub, USER) if "Согласие" in m.plain_text)
            data = next(b["callback_data"] for b in consent.buttons if "Согласен" in b["text"])
            assert await post(worker, stub.callback_update(USER, consent.message_id, data), secret) == 200
            assert "Как вас зовут" in to_user(stub, USER)[-1].plain_text
        finally:
            code = await worker.terminate()
        logs = worker.logs()
    if on_redis:  # the wizard's place is in Redis, under the deployment's prefix; then tidy up
        redis = Redis.from_url(engines.redis_url())
        keys = [k async for k in redis.scan_iter(match=f"efs:42:{USER}:{USER}:*")]
        assert keys, "the worker kept no conversation in Redis"
        await redis.delete(*keys)
        await redis.aclose()
    assert code == 0
    assert [e for e in logs if "raw" in e] == []  # every line is structured
    assert any(e.get("msg") == "stopped" for e in logs)
    assert all({"ts", "level", "logger", "msg", "worker"} <= e.keys() for e in logs)
    assert stub.violations == []


async def test_sigterm_finishes_the_message_in_hand_and_hands_back_the_rest(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    stub = TelegramStub()
    ids = await seed_due_reminders(database.sessionmaker, stub, 40, datetime.now(UTC))
    async with StubServer(stub) as server:
        # 8 messages a second: a few seconds of sending, cut short by SIGTERM.
        env = {"OUTBOX_RATE": "8"}
        worker = await start_worker(server.url, settings.database_url, tmp_path / "a.log", **env)
        try:
            await wait_until(lambda: len(stub.outbox) >= 10, what="the first reminders")
        finally:
            assert await worker.terminate(within=20) == 0
        sent_before = len(stub.outbox)
        assert sent_before < len(ids)

        async with database.sessionmaker() as session:
            rows = list(await session.scalars(select(OutboxMessage)))
        # Every message Telegram accepted is marked sent; nothing else is, and nothing stays leased.
        assert sum(r.status == "sent" for r in rows) == sent_before
        assert all(r.locked_until is None for r in rows if r.status == "pending")

        # A new start sends the rest at once (no lease to wait out), each reminder exactly once.
        again = await start_worker(server.url, settings.database_url, tmp_path / "b.log", OUTBOX_RATE="30")
        try:
            await wait_until(lambda: len(stub.outbox) >= len(ids), within=30, what="the rest")
            await asyncio.sleep(0.5)  # room for a duplicate to show up, if there were one
        finally:
            assert await again.terminate() == 0
    assert sorted(m.chat_id for m in stub.outbox) == sorted(ids)
    async with database.sessionmaker() as session:
        statuses = list(await session.scalars(select(OutboxMessage.status).distinct()))
        users = await session.scalar(select(func.count()).select_from(User))
    assert statuses == ["sent"]
    assert users == len(ids)
    assert stub.violations == []
