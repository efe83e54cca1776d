"""The broadcast sender: deliveries at Telegram's limit whatever the round trip, resumable, fair
between broadcasts.

A broadcast whose time has come gets one delivery row per recipient (written in the transaction
that marks it "sending"). Each round the sender leases a chunk of pending rows of every broadcast
being sent — round-robin, so a big one does not starve a small one — and hands each to the send
pool (``bot.pacing.SendPool``): several requests are under way at once, as many as the rate times
the observed round trip, and every one first takes its slot from the one ``Pacer`` (at most the
rate in any second, one message a second to a chat). Answers are marked in batches: whatever
arrived while the previous batch was being committed goes in the next commit.

Leases: a row is sent only by the sender whose lease it is. A message starts only with at least
half its lease left (``guard``); a row whose lease is short by then — it waited out a long 429, or
the machine stalled — has the leases in hand renewed first, on condition that nobody leased it
again (the lease's end is its mark: ``services.broadcasts.renew``); a row somebody else leased
meanwhile is let go unsent. Answers are recorded idempotently (a row already closed stays as it
is; a hand-back applies only under the sender's own lease), and a commit of answers that fails is
tried again rather than dropped — a dropped answer would let its row go again.

Each messenger is a ``Lane`` of its own: its people leased apart, its own pacer (its rate, its 429
pause: a 429 from Telegram does not hold back MAX), its own requests under way. ``broadcast_worker``
runs the lanes side by side.

A sender that is stopped (cancelled) waits for the answers of the messages already on their way
and marks them before it goes, so a stop and a resume send nothing twice. Stopped gracefully
(``stopping``: SIGTERM through ``Background.stop``), it also lets go of the messages still waiting
for their slot and hands their rows back at once; cancelled, rows it had leased and not sent come
back when their lease runs out. Only a hard kill (the process gone at once) can
send twice, at most the messages that were on their way or answered and not yet committed (a
commit follows each answer at once) — Telegram has no idempotency key.

The messenger's answers: 429 pauses every sender of that messenger's bot for ``retry_after`` and
steps its rate down (``Pacer.too_many``); 403 marks the delivery blocked and the person blocked
(later broadcasts skip them); 400 fails the delivery with the reason; network errors and 5xx are
retried with a growing delay, up to ``services.broadcasts.RETRY_LIMIT`` attempts.

``allow_paid_broadcast`` (``ALLOW_PAID_BROADCAST``) sends every broadcast message with Telegram's
paid broadcasts: up to 1,000 messages a second, the messages over the free limit paid in Stars.

The sender only paces and talks to Telegram: who receives a broadcast, claiming it, leasing rows,
recording answers and finishing are decided by ``services.broadcasts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import telegram_presenters
from bot.messengers import Bots, NoMessenger, kept_message, message_ref, messenger_of, route, route_to
from bot.pacing import SendPool
from domain.accounts import Messenger
from domain.audience import DeliveryStatus, Pacer
from locales import Translations
from services import broadcasts as service
from services.broadcasts import Outcome, Recipient
from services.uow import UnitOfWork
from storage.models import Broadcast

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
RETRY_AFTER_LIMIT = 5  # 429s in a row for one message before it is left for a later round
LEASE_SECONDS = 60.0
CHUNK = 5  # the least rows leased at a time; more when more are under way at once
RECORD_TRIES = 6  # commits of a batch of answers tried before its rows are left to their lease


@dataclass(eq=False)
class _Hold:
    """A delivery this sender leased and has not recorded yet: until when its lease runs (as
    last leased or renewed). The object is the lease: a row leased again gets a new one."""

    until: datetime | None


@dataclass(eq=False)
class Lane:
    """The sending of one messenger's people (``None``: everybody's) at that messenger's pace: its
    own pacer — its rate, its 429 pause — and its own requests under way."""

    messenger: str | None
    pacer: Pacer
    pool: SendPool = field(init=False)

    def __post_init__(self) -> None:
        self.pool = SendPool(self.pacer)

    @property
    def chunk_size(self) -> int:
        """Rows leased at a time: twice what is under way at once (so the pool never runs dry
        while the next chunk is leased), at least ``CHUNK``."""
        return max(CHUNK, 2 * self.pacer.in_flight)


class BroadcastSender:
    def __init__(
        self,
        bot: Bot | Bots,
        sessionmaker: async_sessionmaker[AsyncSession],
        translations: Translations,
        clock: Clock,
        *,
        pacer: Pacer | None = None,
        pacers: Mapping[str, Pacer] | None = None,
        chunk: int | None = None,
        lease_seconds: float = LEASE_SECONDS,
        progress_every: float = 5.0,
        paid: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``pacers``: one per messenger (each messenger's people are leased and sent apart, at
        its own pace); or one ``pacer`` for everybody."""
        self.bot = bot
        self.sessionmaker = sessionmaker
        self.translations = translations
        self.clock = clock
        if pacers:
            self.lanes = [Lane(messenger, p) for messenger, p in pacers.items()]
        else:
            self.lanes = [Lane(None, pacer or Pacer())]
        self.pacer = self.lanes[0].pacer
        self.pool = self.lanes[0].pool
        self.chunk = chunk
        self.lease_seconds = lease_seconds
        # A message starts only with this much of its lease left: enough for its round trip and
        # the commit of its answer before anybody else may lease the row again.
        self.guard = timedelta(seconds=lease_seconds / 2)
        self.progress_every = progress_every
        self.paid = paid
        self._monotonic = monotonic
        self._progress_at: dict[int, float] = {}
        self._holds: dict[int, _Hold] = {}
        self._renewing = asyncio.Lock()
        self._answers: list[tuple[Outcome, _Hold]] = []
        self._recorded: dict[str, int] = {}
        self._recorder: asyncio.Task[None] | None = None
        self._stopping = False
        self._waiting: set[asyncio.Task[object]] = set()  # sends waiting for their slot

    def _pacer_for(self, messenger: str) -> Pacer:
        for lane in self.lanes:
            if lane.messenger in (None, messenger):
                return lane.pacer
        return self.pacer

    async def run_once(self, lanes: Sequence[Lane] | None = None) -> dict[str, int]:
        """One round: start what is due, then lease and hand to the pools a chunk of every
        broadcast being sent, for every lane (messenger) at once; a broadcast that ran out of rows
        is finished once its answers are in.

        Returns what happened by name: "leased", the answers recorded meanwhile ("sent",
        "blocked", "failed", "retry", "retry_after", "expired") and "finished"; empty when there
        was nothing to do. Stopped (cancelled), it first records the answers of what is on its
        way."""
        lanes = list(lanes or self.lanes)
        counts: dict[str, int] = {}
        try:
            async with self.sessionmaker() as session:
                uow = UnitOfWork(session, self.clock)
                due = await service.due(uow)
                for broadcast in due:
                    if broadcast.to_start:
                        await self._start(uow, broadcast.broadcast_id)
            if due:
                await asyncio.gather(*(self._lane_round(lane, due, counts) for lane in lanes))
            else:
                await self.settle(lanes)
        except BaseException:
            await self.settle(lanes)
            raise
        for outcome, n in self._recorded.items():
            counts[outcome] = counts.get(outcome, 0) + n
        self._recorded.clear()
        return counts

    async def _lane_round(self, lane: Lane, due: Sequence[service.Due], counts: dict[str, int]) -> None:
        for broadcast in due:
            await self._send_chunk(lane, broadcast.broadcast_id, counts)

    async def _start(self, uow: UnitOfWork, broadcast_id: int) -> None:
        """Deliveries and the "sending" mark (``services.broadcasts.start``), then the admin's
        progress message."""
        started = await service.start(uow, broadcast_id)
        if started is None or started.creator is None:
            return
        broadcast, creator, total = started.broadcast, started.creator, started.recipients
        t = self.translations.get(creator.locale)
        reach = creator.reach  # where the admin last wrote from
        pacer = self._pacer_for(reach.messenger)
        try:
            await pacer.wait(reach.external_id)
            bot = route(self.bot, creator)
            message = await bot.send_message(
                reach.external_id,
                t("broadcast-progress", id=broadcast.id, sent=0, total=total, blocked=0, failed=0),
            )
        except TelegramRetryAfter as exc:
            await pacer.too_many(exc.retry_after)
            return
        except TelegramAPIError as exc:
            log.warning("no progress message", extra={"broadcast_id": broadcast.id, "error": str(exc)})
            return
        ref = message_ref(bot, message.message_id)  # MAX's own id: any process edits it later
        await service.progress_message(uow, broadcast, reach.external_id, message.message_id, ref)
        self._progress_at[broadcast.id] = self._monotonic()

    @property
    def chunk_size(self) -> int:
        return self.chunk or self.lanes[0].chunk_size

    async def _send_chunk(self, lane: Lane, broadcast_id: int, counts: dict[str, int]) -> None:
        size = self.chunk or lane.chunk_size
        async with self.sessionmaker() as session:
            uow = UnitOfWork(session, self.clock)
            chunk = await service.lease(
                uow, broadcast_id, limit=size, lease_seconds=self.lease_seconds, messenger=lane.messenger
            )
            if chunk is None:  # stopped meanwhile
                return
            ready, closed = await service.recipients(uow, chunk.rows)
        if chunk.rows:
            counts["leased"] = counts.get("leased", 0) + len(chunk.rows)
        if closed:
            counts[DeliveryStatus.BLOCKED] = counts.get(DeliveryStatus.BLOCKED, 0) + closed
        for recipient in ready:
            hold = _Hold(chunk.until)
            self._holds[recipient.delivery_id] = hold  # a row leased again: the old copy stays unsent
            await lane.pool.submit(functools.partial(self._send, lane, chunk.broadcast, recipient, hold))
        if len(chunk.rows) < size:  # the last rows: finish once their answers are in
            await self.settle([lane])
            await self._report(chunk.broadcast, counts)
        elif self._progress_due(broadcast_id):
            await self._report(chunk.broadcast, counts)

    async def _send(self, lane: Lane, broadcast: Broadcast, to: Recipient, hold: _Hold) -> None:
        """One message through the lane's pacer, its answer kept for the next batch of marks —
        only while the row is still this sender's (``_still_mine``)."""
        t = self.translations.get(to.locale)
        outcome = Outcome(to.delivery_id, "retry_after")
        pacer = lane.pacer
        for _ in range(RETRY_AFTER_LIMIT):
            if not await self._slot(pacer, to.chat_id):
                outcome = Outcome(to.delivery_id, "released")  # stopping: handed back at once
                break
            if not await self._still_mine(to.delivery_id, hold):
                outcome = Outcome(to.delivery_id, "expired")
                break
            began = time.monotonic()
            try:
                bot = route_to(self.bot, to.messenger, to.chat_id)  # the person's own messenger
                paid = self.paid and messenger_of(bot) == Messenger.TELEGRAM  # Stars are Telegram's
                await telegram_presenters().broadcast(bot, to.chat_id, broadcast, t, paid=paid)
            except TelegramRetryAfter as exc:
                log.warning("the messenger asked to wait", extra={"retry_after": exc.retry_after})
                await pacer.too_many(exc.retry_after)
                continue
            except TelegramForbiddenError:
                outcome = Outcome(to.delivery_id, DeliveryStatus.BLOCKED)
            except TelegramBadRequest as exc:
                outcome = Outcome(to.delivery_id, DeliveryStatus.FAILED, exc.message)
            except (TelegramNetworkError, TelegramServerError) as exc:
                outcome = Outcome(to.delivery_id, "retry", str(exc))
            except TelegramAPIError as exc:
                outcome = Outcome(to.delivery_id, DeliveryStatus.FAILED, str(exc))
            except Exception as exc:  # a bug or a transport's surprise: retried later, not held
                log.exception("broadcast message not sent", extra={"delivery_id": to.delivery_id})
                outcome = Outcome(to.delivery_id, "retry", repr(exc))
            else:
                pacer.observe(time.monotonic() - began)
                outcome = Outcome(to.delivery_id, DeliveryStatus.SENT)
            break
        self._answers.append((outcome, hold))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record())

    async def _slot(self, pacer: Pacer, chat_id: int) -> bool:
        """Wait for the message's slot; False if the sender is stopping (``stopping``) before it
        came: the message is not sent, its row handed back for the next sender."""
        task = asyncio.current_task()
        if self._stopping or task is None:
            return not self._stopping
        self._waiting.add(task)
        try:
            await pacer.wait(chat_id)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            task.uncancel()
            return False
        finally:
            self._waiting.discard(task)
        return not self._stopping

    def stopping(self) -> None:
        """A graceful stop (SIGTERM): the messages on their way are finished and recorded; those
        still waiting for their slot (a 429's pause, the rate) are not sent, and their rows are
        handed back at once rather than when their lease runs out."""
        self._stopping = True
        for task in list(self._waiting):
            task.cancel()

    async def _still_mine(self, delivery_id: int, hold: _Hold) -> bool:
        """Whether the row may be sent now: this sender still holds it (not leased again since),
        with at least ``guard`` of its lease left — renewing the leases in hand when short."""
        if self._holds.get(delivery_id) is not hold:
            return False
        if hold.until is None or self.clock() + self.guard < hold.until:
            return True
        await self._renew()
        if self._holds.get(delivery_id) is not hold or hold.until is None:
            return False
        return self.clock() + self.guard < hold.until

    async def _renew(self) -> None:
        """Extend the lease of every row in hand (waiting, on its way, answered and not yet
        recorded) whose lease is past half; a row somebody else leased meanwhile is let go."""
        async with self._renewing:
            now = self.clock()
            short = [
                (delivery_id, hold, hold.until)
                for delivery_id, hold in self._holds.items()
                if hold.until is not None and now + self.guard >= hold.until
            ]
            if not short:
                return  # renewed meanwhile
            held = {delivery_id: until for delivery_id, _, until in short if until is not None}
            try:
                async with self.sessionmaker() as session:
                    uow = UnitOfWork(session, self.clock)
                    renewed = await service.renew(uow, held, lease_seconds=self.lease_seconds)
            except Exception:
                log.exception("leases not renewed: their rows are not sent once the lease is short")
                return
            for delivery_id, hold, until in short:
                if delivery_id in renewed and hold.until == until:
                    hold.until = renewed[delivery_id]
                elif delivery_id not in renewed and self._holds.get(delivery_id) is hold:
                    del self._holds[delivery_id]  # another sender's now: not sent from here
            let_go = len(short) - len(renewed)
            if let_go:  # mostly rows whose answers were just committed; or leased again elsewhere
                log.info("leases not renewed: answered meanwhile or leased again", extra={"rows": let_go})

    async def _record(self) -> None:
        """Commit the answers in batches: all that came while the previous commit ran. A commit
        that fails is tried again (the rows' leases renewed meanwhile): an answer dropped would
        let its row be sent again."""
        failures = 0
        while self._answers:
            batch, self._answers = self._answers, []
            outcomes = [replace(outcome, lease=hold.until) for outcome, hold in batch]
            try:
                async with self.sessionmaker() as session:
                    recorded = await service.record(UnitOfWork(session, self.clock), outcomes)
            except Exception:
                failures += 1
                if failures < RECORD_TRIES:
                    log.warning("answers not recorded yet: trying again", exc_info=True)
                    self._answers = batch + self._answers
                    await asyncio.sleep(min(5.0, 0.2 * 2**failures))
                    await self._renew()
                    continue
                log.exception("answers not recorded: their rows come back when the lease runs out")
                recorded = {}
            failures = 0
            for outcome, hold in batch:
                if self._holds.get(outcome.delivery_id) is hold:
                    del self._holds[outcome.delivery_id]
            for outcome_name, n in recorded.items():
                self._recorded[outcome_name] = self._recorded.get(outcome_name, 0) + n

    async def settle(self, lanes: Sequence[Lane] | None = None) -> None:
        """Every message on its way answered and every answer committed (shielded: a stop waits)."""
        for lane in lanes or self.lanes:
            await lane.pool.drain()
        while self._recorder is not None and not self._recorder.done():
            await asyncio.shield(self._recorder)
        if self._answers:  # an answer that came as the recorder finished
            self._recorder = asyncio.create_task(self._record())
            await asyncio.shield(self._recorder)

    def _progress_due(self, broadcast_id: int) -> bool:
        last = self._progress_at.get(broadcast_id)
        return last is None or self._monotonic() - last >= self.progress_every

    async def _report(self, broadcast: Broadcast, counts: dict[str, int]) -> None:
        async with self.sessionmaker() as session:
            await self._show_progress(UnitOfWork(session, self.clock), broadcast, counts)

    async def _show_progress(self, uow: UnitOfWork, broadcast: Broadcast, counts: dict[str, int]) -> None:
        """Edit the live progress; when nothing is pending any more, finish with the final report."""
        progress = await service.progress(uow, broadcast)
        if progress is None:
            return  # stopped meanwhile, or another worker finished it
        if progress.finished:
            counts["finished"] = counts.get("finished", 0) + 1
        elif not self._progress_due(broadcast.id):
            return
        creator = await service.creator_of(uow, broadcast)
        if creator is None or broadcast.progress_chat_id is None:
            return
        message_id = broadcast.progress_message_id
        try:
            if broadcast.progress_message_ref:  # the messenger it was sent on, its id there
                bot, message_id = kept_message(self.bot, broadcast.progress_message_ref)
            else:
                bot = route(self.bot, creator)
        except NoMessenger:
            return
        t = self.translations.get(creator.locale)
        tally = progress.deliveries
        args = {
            "id": broadcast.id,
            "total": progress.total,
            "blocked": tally[DeliveryStatus.BLOCKED],
            "failed": tally[DeliveryStatus.FAILED],
        }
        self._progress_at[broadcast.id] = self._monotonic()
        if message_id is not None:
            await self._call(
                bot.edit_message_text,
                broadcast.progress_chat_id,
                messenger_of(bot),
                text=t("broadcast-progress", sent=tally[DeliveryStatus.SENT], **args),
                chat_id=broadcast.progress_chat_id,
                message_id=message_id,
            )
        if progress.finished:
            self._progress_at.pop(broadcast.id, None)
            await self._call(
                bot.send_message,
                broadcast.progress_chat_id,
                messenger_of(bot),
                chat_id=broadcast.progress_chat_id,
                text=t("broadcast-report", delivered=tally[DeliveryStatus.SENT], **args),
            )

    async def _call(
        self, method: Callable[..., object], pace_chat: int, messenger: str, **kwargs: object
    ) -> None:
        """A message to the admin: paced like the rest; "not modified" and the like are harmless."""
        pacer = self._pacer_for(messenger)
        await pacer.wait(pace_chat)
        try:
            await method(**kwargs)  # type: ignore[misc]
        except TelegramRetryAfter as exc:
            await pacer.too_many(exc.retry_after)
        except TelegramAPIError as exc:
            log.debug("progress message not updated", extra={"error": str(exc)})


async def broadcast_worker(
    bot: Bot | Bots,
    sessionmaker: async_sessionmaker[AsyncSession],
    translations: Translations,
    clock: Clock,
    *,
    pacers: Mapping[str, Pacer],
    stop: asyncio.Event,
    paid: bool = False,
    idle_seconds: float = 1.0,
) -> None:
    """Run the sender until ``stop`` is set, each messenger's lane on its own (a 429 that pauses
    one messenger's lane leaves the others sending); a lane sleeps briefly whenever it has nothing
    to send. Stopped, it records the answers of what is on its way before it returns."""
    sender = BroadcastSender(bot, sessionmaker, translations, clock, pacers=pacers, paid=paid)

    async def on_stop() -> None:
        await stop.wait()
        sender.stopping()

    async def run(lane: Lane) -> None:
        while not stop.is_set():
            try:
                counts = await sender.run_once([lane])
            except Exception:
                log.exception("broadcast round failed", extra={"messenger": lane.messenger})
                counts = {}
            if not counts:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds)

    watcher = asyncio.create_task(on_stop())
    try:
        await asyncio.gather(*(run(lane) for lane in sender.lanes))
    finally:
        watcher.cancel()
        await sender.settle()
