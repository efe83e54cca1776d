"""Sending the outbox, messenger-neutral: lease due rows, decide for each whether it goes now, later
or not at all, compose it through its kind, and record what the messenger did with it.

The messenger's sender (``bot.jobs.send_outbox``) calls these in this order: ``lease``, then per row
``prepare`` → ``compose``, then (sends the batch) → ``sent_all`` for the rows the messenger accepted,
``close`` / ``failed_attempt`` / ``wait`` / ``release`` for the others. Every function that changes
rows commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import reminders as policy
from domain.reminders import OutboxStatus
from services.regions import RegionRules, region_rules
from services.reminders.registry import Delegated, Due, View, kind_of, kinds
from services.uow import UnitOfWork
from storage.models import OutboxMessage, User
from storage.outbox import Outbox

RETRY_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Ready:
    """Send now, to ``user``, in the time of ``rules``."""

    user: User
    rules: RegionRules


@dataclass(frozen=True, slots=True)
class Closed:
    """Not sent, for good (``status`` is ``failed`` or ``cancelled``)."""

    status: OutboxStatus


@dataclass(frozen=True, slots=True)
class Postponed:
    """Due in the recipient's quiet hours: moved to their end."""


async def lease(uow: UnitOfWork, *, limit: int, lease_seconds: int) -> list[OutboxMessage]:
    rows = await Outbox(uow.session).lease_due(uow.now(), limit=limit, lease_seconds=lease_seconds)
    await uow.commit()
    return rows


async def release(uow: UnitOfWork, rows: Sequence[OutboxMessage]) -> None:
    """Hand back leased rows not sent (a graceful stop), for any sender to take at once."""
    Outbox(uow.session).release(rows)
    await uow.commit()


async def close(uow: UnitOfWork, row: OutboxMessage, status: OutboxStatus, reason: str) -> Closed:
    """The row ends unsent (``reason`` kept on it); one that failed tells whom its kind says (a
    hand-off's sender), in the same commit."""
    row.status, row.error = status, reason[:300]
    kind = kind_of(row.kind)
    if status == OutboxStatus.FAILED and kind is not None:
        await kind.undelivered(uow, row, reason)
    await uow.commit()
    return Closed(status)


async def prepare(uow: UnitOfWork, row: OutboxMessage, default_tz: str) -> Ready | Closed | Postponed:
    """Whether the row goes now: its recipient is there, has not switched its group off, and is
    not in quiet hours (which postpone it, or cancel it if they last past its point) — unless its
    kind is a hand-off, which someone is waiting for."""
    user = await uow.session.get(User, row.user_id)
    if user is None or user.blocked_at is not None:
        return await close(uow, row, OutboxStatus.FAILED, "blocked")
    kind = kind_of(row.kind)
    if kind is None:
        return await close(uow, row, OutboxStatus.CANCELLED, "unknown kind")
    if kind.group in set(user.notify_off or []):
        return await close(uow, row, OutboxStatus.CANCELLED, "switched off")
    rules = await region_rules(uow, user.region_code, default_tz)
    if not kind.quiet_hours:
        return Ready(user, rules)
    quiet = rules.reminders
    now = uow.now()
    when = policy.deliverable_at(
        row.due_at, rules.timezone, policy.parse_hhmm(quiet.quiet_from), policy.parse_hhmm(quiet.quiet_to)
    )
    if when > now:
        expires = kind.expires_at(kind.load_payload(row.payload))
        if expires is not None and when >= expires:
            return await close(uow, row, OutboxStatus.CANCELLED, "quiet hours until it no longer matters")
        row.due_at, row.locked_until = when, None
        await uow.commit()
        return Postponed()
    return Ready(user, rules)


async def compose(uow: UnitOfWork, row: OutboxMessage, ready: Ready) -> View | Delegated | None:
    """The reminder as a neutral view (or the presenter of its own that shows it), or ``None`` when
    it no longer applies."""
    kind = kind_of(row.kind)
    if kind is None:
        return None
    if kind.presenter is not None:
        return Delegated(kind.presenter)
    due = Due(
        row.kind, row.id, row.ref_id, kind.load_payload(row.payload), ready.user, ready.rules, uow.now()
    )
    subject = await kind.load(uow, due)
    return None if subject is None else kind.view(due, subject)


async def still_leased(uow: UnitOfWork, row: OutboxMessage, until: datetime | None) -> bool:
    """Whether ``row`` is still pending under the lease that ends at ``until`` (read afresh, and
    held until the commit): an answer from a sender whose lease ran out must not reschedule or
    close a row another sender leased meanwhile. ``until`` None: no lease to compare."""
    await uow.session.refresh(row, with_for_update=True)
    if row.status != OutboxStatus.PENDING:
        return False
    return until is None or row.locked_until == until


async def sent_all(uow: UnitOfWork, rows: Sequence[OutboxMessage]) -> None:
    """The messenger accepted these: marked sent together, in one commit."""
    for row in rows:
        row.status, row.sent_at = OutboxStatus.SENT, uow.now()
    await uow.commit()


async def wait(uow: UnitOfWork, rows: Sequence[OutboxMessage], seconds: float) -> None:
    """The messenger asked the whole bot to wait: these rows wait as long."""
    until = uow.now() + timedelta(seconds=seconds)
    for row in rows:
        row.locked_until = until
    await uow.commit()


async def failed_attempt(uow: UnitOfWork, row: OutboxMessage, error: str) -> bool:
    """A network or server error: try again later with a growing pause, or give up after
    ``RETRY_LIMIT`` attempts. Whether it will be retried."""
    row.attempts += 1
    if row.attempts >= RETRY_LIMIT:
        await close(uow, row, OutboxStatus.FAILED, error)
        return False
    row.locked_until = uow.now() + timedelta(seconds=60 * 2**row.attempts)
    await uow.commit()
    return True


async def blocked(uow: UnitOfWork, row: OutboxMessage, user: User) -> Closed:
    """The person blocked the bot: nothing more is sent until they write again."""
    user.blocked_at = uow.now()
    return await close(uow, row, OutboxStatus.FAILED, "blocked")


async def plan_periodic(uow: UnitOfWork, default_tz: str) -> int:
    """Queue what no single change causes, kind by kind, and commit; how many were queued."""
    planned = 0
    for kind in kinds():
        planned += await kind.plan_periodic(uow, default_tz)
    await uow.commit()
    return planned
