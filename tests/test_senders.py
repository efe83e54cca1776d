"""The senders under concurrency (issue 15) and per messenger (issue 16): a row whose lease ran out
while it waited is not sent again by the sender that leased it first; answers are recorded
idempotently and never dropped; every messenger has its own pace, and a 429 on one does not pause
the other."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from bot import broadcast as broadcast_module
from bot.broadcast import LEASE_SECONDS, BroadcastSender, broadcast_worker
from bot.factory import open_database
from bot.jobs import send_outbox
from bot.settings import Settings
from domain.audience import Pacer
from domain.roles import Role
from services import broadcasts as service
from services.broadcasts import Outcome
from services.results import Denied
from services.uow import UnitOfWork
from storage.broadcasts import create_broadcast
from storage.models import BroadcastDelivery, OutboxMessage, User
from telegram_stub import StubServer, TelegramStub
from tests.conftest import App
from tests.test_broadcasts import FakeTime, drain, queue, received, seed_recipients
from tests.test_outbox import seed_due, texts

ROOT = Path(__file__).resolve().parents[1]


class LongWait(FakeTime):
    """Fake time; the first wait of at least a minute (a 429's pause longer than the lease) lets
    ``meanwhile`` run — another worker, say, once the database's clock has moved on."""

    def __init__(self, app: App, meanwhile: Callable[[], Awaitable[object]]) -> None:
        super().__init__()
        self.app = app
        self.meanwhile: Callable[[], Awaitable[object]] | None = meanwhile

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        if seconds >= 60 and self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            await meanwhile()


def paced_sender(app: App, fake: FakeTime, **kwargs: object) -> BroadcastSender:
    return BroadcastSender(
        app.bot,
        app.database.sessionmaker,
        app.translations,
        app.clock,
        pacer=Pacer(25, monotonic=fake.monotonic, sleep=fake.sleep),
        monotonic=fake.monotonic,
        **kwargs,  # type: ignore[arg-type]
    )


async def statuses(app: App, bid: int) -> list[str]:
    async with app.database.sessionmaker() as session:
        rows = await session.scalars(
            select(BroadcastDelivery.status).where(BroadcastDelivery.broadcast_id == bid)
        )
        return sorted(rows)


async def test_a_row_whose_lease_ran_out_while_it_waited_is_not_sent_again(app: App) -> None:
    """The duplicate the bench once showed: a message waits out a 429 longer than its lease;
    meanwhile another sender leases the row and sends it; the first must not send it too."""
    recipients = await seed_recipients(app, 3)
    bid = await queue(app)
    other = paced_sender(app, FakeTime())

    async def meanwhile() -> None:
        # The messages on their way meanwhile are answered and recorded, as they are within a
        # round trip; only the refused one waits out the pause, past its lease.
        while len(first._holds) > 1:  # noqa: ASYNC110 - the sender's own tasks, no event to wait on
            await asyncio.sleep(0.01)
        app.clock.advance(seconds=90)
        await drain(other)

    wait = LongWait(app, meanwhile)
    first = paced_sender(app, wait)
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 90", retry_after=90)
    await drain(first)
    assert wait.meanwhile is None  # the other sender did run during the pause
    assert [received(app, uid) for uid in recipients] == [1, 1, 1]
    assert await statuses(app, bid) == ["sent", "sent", "sent"]


async def test_a_lease_running_out_in_a_long_wait_is_renewed_when_nobody_took_the_row(app: App) -> None:
    """The same long pause with nobody else about: the row is still the sender's (its lease was not
    taken), so the lease is renewed and the message goes — once."""
    recipients = await seed_recipients(app, 3)
    bid = await queue(app)

    async def nobody() -> None:
        app.clock.advance(seconds=90)

    wait = LongWait(app, nobody)
    s = paced_sender(app, wait)
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 90", retry_after=90)
    counts = await drain(s)
    assert counts.get("sent") == 3 and "expired" not in counts
    assert [received(app, uid) for uid in recipients] == [1, 1, 1]
    assert await statuses(app, bid) == ["sent", "sent", "sent"]


async def test_recording_is_idempotent_and_a_stale_lease_changes_nothing(app: App) -> None:
    await seed_recipients(app, 2)
    bid = await queue(app)
    async with app.database.sessionmaker() as session:
        uow = UnitOfWork(session, app.clock)
        await service.start(uow, bid)
        first = await service.lease(uow, bid, limit=2, lease_seconds=60)
        assert first is not None and len(first.rows) == 2
        a, b = (row.id for row in first.rows)
    app.clock.advance(seconds=61)  # the first sender's lease ran out; a second one leases the rows
    async with app.database.sessionmaker() as session:
        second = await service.lease(UnitOfWork(session, app.clock), bid, limit=2, lease_seconds=60)
        assert second is not None and len(second.rows) == 2
    async with app.database.sessionmaker() as session:
        uow = UnitOfWork(session, app.clock)
        # The first sender's late answers: a 429 hand-back must not free the second one's lease.
        assert await service.record(uow, [Outcome(a, "retry_after", lease=first.until)]) == {}
        assert await service.renew(uow, {a: first.until, b: first.until}, lease_seconds=60) == {}
        renewed = await service.renew(uow, {a: second.until}, lease_seconds=60)
        assert set(renewed) == {a}
    async with app.database.sessionmaker() as session:
        uow = UnitOfWork(session, app.clock)
        sent = Outcome(b, "sent", lease=second.until)
        assert await service.record(uow, [sent]) == {"sent": 1}
        assert await service.record(uow, [sent]) == {}  # twice: counted and marked once
        row = await session.get(BroadcastDelivery, a)
        assert row is not None and row.locked_until == renewed[a] and row.status == "pending"


async def test_answers_whose_commit_failed_are_recorded_again_not_resent(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipients = await seed_recipients(app, 4)
    bid = await queue(app)
    real = service.record
    failures = [RuntimeError("database is locked")]

    async def flaky(uow: UnitOfWork, outcomes: list[Outcome]) -> dict[str, int]:
        if failures:
            raise failures.pop()
        return await real(uow, outcomes)

    monkeypatch.setattr(broadcast_module.service, "record", flaky)
    s = paced_sender(app, FakeTime())
    await drain(s)
    app.clock.advance(seconds=LEASE_SECONDS + 1)  # had an answer been dropped, its row would go again
    await drain(s)
    assert not failures
    assert [received(app, uid) for uid in recipients] == [1, 1, 1, 1]
    assert await statuses(app, bid) == ["sent"] * 4


async def test_an_outbox_row_whose_lease_ran_out_while_it_waited_is_not_sent_again(app: App) -> None:
    """The outbox's equivalent: the batch waits (a 429 of the bot's broadcasts paused the shared
    board) past its lease; another worker sends the rows meanwhile; the first sends none again."""
    recipients = await seed_due(app, 2)

    async def other_worker() -> None:
        app.clock.advance(seconds=200)
        await send_outbox(app.bot, app.database.sessionmaker, app.translations, app.clock)

    wait = LongWait(app, other_worker)
    pacer = Pacer(5, monotonic=wait.monotonic, sleep=wait.sleep)
    pacer.pause(200)  # the bot was told to wait longer than the outbox's lease
    counts = await send_outbox(app.bot, app.database.sessionmaker, app.translations, app.clock, pacer=pacer)
    assert wait.meanwhile is None
    assert "sent" not in counts
    # The other worker's next round: a row it skipped while the first sender's recorder held it
    # (PostgreSQL's SKIP LOCKED, a moment) is sent now — once, by it.
    await send_outbox(app.bot, app.database.sessionmaker, app.translations, app.clock)
    assert [len(texts(app, uid, "Давно не виделись")) for uid in recipients] == [1, 1]
    async with app.database.sessionmaker() as session:
        rows = list(await session.scalars(select(OutboxMessage.status)))
    assert rows == ["sent", "sent"]


# --- per messenger ---------------------------------------------------------------------------------


async def seed_both(app: App) -> None:
    async with app.database.sessionmaker() as session:
        for messenger in ("telegram", "max"):
            session.add(
                User(
                    messenger=messenger, telegram_id=3003, locale="ru", role="teacher",
                    consent_at=app.clock.now, profile_completed_at=app.clock.now, subjects=[],
                    region_code="kostroma",
                )
            )  # fmt: skip
        await session.flush()
        await create_broadcast(
            session, created_by=None, region_code="kostroma", text="Семинар в пятницу", audience={}
        )
        await session.commit()
    app.stub.message_update(3003, "/start")


async def test_a_429_on_telegram_does_not_pause_max(app: App) -> None:
    assert app.max_stub is not None
    await seed_both(app)
    on_telegram, on_max = FakeTime(), FakeTime()
    pacers = {
        "telegram": Pacer(25, monotonic=on_telegram.monotonic, sleep=on_telegram.sleep),
        "max": Pacer(25, monotonic=on_max.monotonic, sleep=on_max.sleep),
    }
    sender = BroadcastSender(app.bots, app.database.sessionmaker, app.translations, app.clock, pacers=pacers)
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    await drain(sender)
    assert len([m for m in app.stub.outbox if m.chat_id == 3003 and "Семинар" in m.plain_text]) == 1
    assert len([m for m in app.max_stub.sent_to(3003) if "Семинар" in m.plain_text]) == 1
    # Telegram waited out its pause and stepped its rate down; MAX never waited, nor slowed.
    assert on_telegram.slept >= 7 and pacers["telegram"].rate < 25
    assert on_max.slept == 0 and pacers["max"].paused_until == 0 and pacers["max"].rate == 25


async def test_the_outbox_paces_each_messenger_apart(app: App) -> None:
    assert app.max_stub is not None
    async with app.database.sessionmaker() as session:
        for messenger in ("telegram", "max"):
            user = User(
                messenger=messenger, telegram_id=3005, locale="ru", consent_at=app.clock.now,
                subjects=[], region_code="kostroma", last_seen_at=app.clock.now - timedelta(days=40),
            )  # fmt: skip
            session.add(user)
            await session.flush()
            session.add(
                OutboxMessage(
                    user_id=user.id, kind="inactivity", key=f"inactive:{user.id}", due_at=app.clock.now,
                    ref_type="user", ref_id=user.id, payload={},
                )
            )  # fmt: skip
        await session.commit()
    app.stub.message_update(3005, "/start")
    on_telegram, on_max = FakeTime(), FakeTime()
    pacers = {
        "telegram": Pacer(5, monotonic=on_telegram.monotonic, sleep=on_telegram.sleep),
        "max": Pacer(5, monotonic=on_max.monotonic, sleep=on_max.sleep),
    }
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    counts = await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=pacers)
    assert counts == {"retry_after": 1, "sent": 1}  # Telegram's waits; MAX's went
    assert len(app.max_stub.sent_to(3005)) == 1
    assert pacers["telegram"].paused_until > 0 and pacers["max"].paused_until == 0


async def test_a_graceful_stop_hands_back_the_rows_still_waiting_and_a_new_sender_resumes_at_once(
    app: App,
) -> None:
    """SIGTERM during a long 429 pause: the worker returns without waiting the pause out, the
    answers in are recorded, the rows not sent are handed back (not left to their lease), and the
    next sender sends each of them once."""
    recipients = await seed_recipients(app, 6)
    bid = await queue(app)
    pacer = Pacer(25)  # real time: the pause below is really waited for, unless stopped
    stop = asyncio.Event()
    app.stub.fail_next("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)
    worker = asyncio.create_task(
        broadcast_worker(
            app.bot,
            app.database.sessionmaker,
            app.translations,
            app.clock,
            pacers={"telegram": pacer},
            stop=stop,
        )
    )
    while not pacer.paused_until:  # noqa: ASYNC110 - the pacer has no event to wait on
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(worker, 30)  # not 300: the waiting sends were let go
    async with app.database.sessionmaker() as session:
        rows = list(
            await session.scalars(select(BroadcastDelivery).where(BroadcastDelivery.broadcast_id == bid))
        )
    pending = [row for row in rows if row.status == "pending"]
    assert pending and all(row.locked_until is None for row in pending)  # handed back, not held
    sent_before = {uid for uid in recipients if received(app, uid)}
    assert len(sent_before) == len(rows) - len(pending)  # what went out was recorded
    await drain(paced_sender(app, FakeTime()))  # no clock moved: nothing waits for a lease
    assert [received(app, uid) for uid in recipients] == [1] * 6
    assert await statuses(app, bid) == ["sent"] * 6


async def test_the_preview_counts_the_max_people_at_maxs_rate(app: App) -> None:
    await seed_both(app)  # a Telegram and a MAX teacher
    async with app.database.sessionmaker() as session:
        user = User(telegram_id=1, locale="ru", role="admin", consent_at=app.clock.now, subjects=[])
        session.add(user)
        await session.commit()
        admin = service.Admin(user, Role.ADMIN, "kostroma")
        uow = UnitOfWork(session, app.clock)
        shown = await service.preview(
            uow, admin, service.Draft(text="Семинар"), service.Pace(25, max_rate=0.5)
        )
        assert not isinstance(shown, Denied)
        assert shown.count == 2 and shown.estimate.seconds == 2  # MAX's one, at 0.5 a second
        alone = await service.preview(uow, admin, service.Draft(text="Семинар"), service.Pace(25))
        assert not isinstance(alone, Denied) and alone.estimate.seconds == 2 / 25


# --- the real process ----------------------------------------------------------------------------


async def test_sigterm_drains_the_broadcast_sender_of_python_m_bot_run(tmp_path: Path) -> None:
    """``python -m bot run`` stopped with SIGTERM in the middle of a broadcast (the deployment's
    normal stop): it exits cleanly having recorded every message it delivered — none in doubt —
    and handed back the rows it had not sent; started again, it sends each of the rest once."""
    db = tmp_path / "bot.db"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=SecretStr("42:PROCESS"),
        database_url=f"sqlite+aiosqlite:///{db}",
    )
    database = await open_database(settings)  # migrated, the shipped regions loaded
    people = [9_100_000 + n for n in range(80)]
    async with database.sessionmaker() as session:
        now = datetime.now(UTC)
        session.add_all(
            User(
                telegram_id=uid, locale="ru", role="teacher", consent_at=now, profile_completed_at=now,
                subjects=[], region_code="kostroma",
            )
            for uid in people
        )  # fmt: skip
        await create_broadcast(session, created_by=None, region_code="kostroma", text="Семинар", audience={})
        await session.commit()
    await database.close()
    stub = TelegramStub()
    for uid in people:  # the stand-in delivers to those who wrote; the bot need not answer them
        stub.message_update(uid, "/start")
    stub._updates.clear()

    def delivered() -> Counter[int]:
        return Counter(m.chat_id for m in stub.outbox if "Семинар" in m.plain_text)

    def rows() -> list[tuple[int, str, str | None]]:
        with sqlite3.connect(db) as conn:
            query = (
                "SELECT u.telegram_id, d.status, d.locked_until FROM broadcast_deliveries d"
                " JOIN users u ON u.id = d.user_id"
            )
            return list(conn.execute(query))

    async def until(predicate: Callable[[], bool], process: asyncio.subprocess.Process) -> None:
        for _ in range(1200):
            if predicate() or process.returncode is not None:
                return
            await asyncio.sleep(0.05)

    async with StubServer(stub, latency=0.05) as server:
        first = await start_process(server.url, db)
        await until(lambda: sum(delivered().values()) >= 20, first)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), 60) == 0
        await asyncio.sleep(0.5)  # anything still on its way would arrive now
        at_stop = rows()
        sent = {uid for uid, status, _ in at_stop if status == "sent"}
        assert sent == set(delivered())  # every delivery recorded: none in doubt
        pending = [(uid, locked) for uid, status, locked in at_stop if status == "pending"]
        assert pending and all(locked is None for _, locked in pending)  # handed back at once
        second = await start_process(server.url, db)
        await until(lambda: len(delivered()) == len(people), second)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 60) == 0
    assert delivered() == Counter(dict.fromkeys(people, 1))  # each once
    assert {status for _, status, _ in rows()} == {"sent"}


async def start_process(url: str, db: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": "42:PROCESS",
        "TELEGRAM_API_URL": url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL
    )


@pytest.mark.postgres
async def test_on_postgresql_a_started_broadcast_has_statistics_for_its_rows(app: App) -> None:
    """Starting a broadcast analyses its fresh rows: without statistics the planner leased each
    chunk of 5,000 fresh rows in about a second (the two-worker bench ran at half the rate for the
    first minute, until autovacuum analysed the table)."""
    if not app.settings.database_url.startswith("postgresql"):
        pytest.fail("PostgreSQL tests need TEST_DATABASE_URL=postgresql+asyncpg://… (scripts/test.sh)")
    await seed_recipients(app, 40)
    bid = await queue(app)
    async with app.database.sessionmaker() as session:
        started = await service.start(UnitOfWork(session, app.clock), bid)
        assert started is not None and started.recipients == 40
    async with app.database.sessionmaker() as session:
        analysed = await session.scalar(
            text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'broadcast_deliveries'")
        )
        sampled = await session.scalar(
            text("SELECT reltuples FROM pg_class WHERE relname = 'broadcast_deliveries'")
        )
    assert analysed is not None and sampled >= 40
