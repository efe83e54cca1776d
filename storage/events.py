"""Events and the answers to them: «Пойду» / «Не смогу», seats, attendance."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events import Rsvp, can_go
from storage.models import Broadcast, Event, EventResponse, OutboxMessage, User

EVENT_REMINDER_KINDS = ("event_day", "event_hour")


def _in_region(region_code: str | None) -> ColumnElement[bool]:
    """Events of the region and those for every region (``region_code`` NULL)."""
    return or_(Event.region_code == region_code, Event.region_code.is_(None))


class EventRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, event_id: int) -> Event | None:
        return await self.session.get(Event, event_id)

    async def create(self, *, created_by: int | None, region_code: str | None, **fields: object) -> Event:
        event = Event(
            external_id=f"bot-{secrets.token_hex(8)}",
            created_by=created_by,
            region_code=region_code,
            **fields,
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def upcoming(
        self, region_code: str | None, now: datetime, *, every_region: bool = False
    ) -> list[Event]:
        """Events not yet begun, soonest first (of the region and all-region ones, or all)."""
        query = select(Event).where(Event.starts_at >= now)
        if not every_region:
            query = query.where(_in_region(region_code))
        return list(await self.session.scalars(query.order_by(Event.starts_at, Event.id)))

    async def started(
        self, region_code: str | None, now: datetime, *, days: int = 60, every_region: bool = False
    ) -> list[Event]:
        """Events that have begun within ``days``, newest first: the ones to mark attendance for."""
        query = select(Event).where(Event.starts_at <= now, Event.starts_at >= now - timedelta(days=days))
        if not every_region:
            query = query.where(_in_region(region_code))
        return list(await self.session.scalars(query.order_by(Event.starts_at.desc(), Event.id.desc())))

    async def going_counts(self, event_ids: Iterable[int]) -> dict[int, int]:
        """How many said «Пойду», per event, in one query."""
        ids = list(event_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(EventResponse.event_id, func.count())
            .where(EventResponse.event_id.in_(ids), EventResponse.going.is_(True))
            .group_by(EventResponse.event_id)
        )
        return {event_id: count for event_id, count in rows.all()}

    async def response(self, event_id: int, user_id: int) -> EventResponse | None:
        return await self.session.scalar(
            select(EventResponse).where(EventResponse.event_id == event_id, EventResponse.user_id == user_id)
        )

    async def responses_of(self, user_id: int, event_ids: Iterable[int]) -> dict[int, bool]:
        """The user's answers (``going``) to these events."""
        ids = list(event_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(EventResponse.event_id, EventResponse.going).where(
                EventResponse.user_id == user_id, EventResponse.event_id.in_(ids)
            )
        )
        return {event_id: going for event_id, going in rows.all()}

    async def mine(self, user_id: int, now: datetime) -> list[Event]:
        """Upcoming events the user said they will attend."""
        result = await self.session.scalars(
            select(Event)
            .join(EventResponse, EventResponse.event_id == Event.id)
            .where(EventResponse.user_id == user_id, EventResponse.going.is_(True), Event.starts_at >= now)
            .order_by(Event.starts_at, Event.id)
        )
        return list(result)

    async def set_response(self, event: Event, user_id: int, going: bool, now: datetime) -> Rsvp:
        """Answer «Пойду» / «Не смогу»: ``GOING``, ``NOT_GOING``, ``SAME`` (nothing changed) or ``FULL``.

        The seat check and the write run in one transaction that first takes the database's write
        lock (SQLite) or the event row's lock (PostgreSQL): two people never get the last seat both.
        """
        await self.session.execute(update(Event).where(Event.id == event.id).values(seats=Event.seats))
        existing = await self.response(event.id, user_id)
        if existing is not None and existing.going == going:
            return Rsvp.SAME
        if going:
            taken = (await self.going_counts([event.id])).get(event.id, 0)
            if not can_go(event.seats, taken):
                return Rsvp.FULL
        try:
            # A savepoint: a concurrent duplicate undoes this insert, not the caller's transaction.
            async with self.session.begin_nested():
                if existing is not None:
                    existing.going, existing.updated_at = going, now
                    if not going:
                        existing.attended = None
                else:
                    self.session.add(
                        EventResponse(
                            event_id=event.id, user_id=user_id, going=going, created_at=now, updated_at=now
                        )
                    )
        except IntegrityError:
            return Rsvp.SAME
        return Rsvp.GOING if going else Rsvp.NOT_GOING

    async def going_people(self, event_id: int) -> list[tuple[EventResponse, User]]:
        """Those who said «Пойду», by name."""
        rows = await self.session.execute(
            select(EventResponse, User)
            .join(User, User.id == EventResponse.user_id)
            .where(EventResponse.event_id == event_id, EventResponse.going.is_(True))
            .order_by(User.full_name, User.id)
        )
        return [(response, person) for response, person in rows.all()]

    async def mark_attendance(
        self, event_id: int, user_id: int, attended: bool, marked_by: int, now: datetime
    ) -> EventResponse | None:
        """Mark whether someone who said «Пойду» came; None if they had not said so."""
        response = await self.response(event_id, user_id)
        if response is None or not response.going:
            return None
        response.attended, response.marked_by, response.updated_at = attended, marked_by, now
        await self.session.flush()
        return response

    async def queued_announcement(self, event_id: int) -> int | None:
        """A broadcast of the event waiting to be sent or being sent, if any."""
        return await self.session.scalar(
            select(Broadcast.id).where(
                Broadcast.event_id == event_id, Broadcast.status.in_(("scheduled", "sending"))
            )
        )


# --- the person's event reminders ---------------------------------------------------------------


async def cancel_reminders(session: AsyncSession, event_id: int, user_id: int) -> None:
    """Cancel this person's pending reminders of the event (not anyone else's)."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.ref_type == "event",
            OutboxMessage.ref_id == event_id,
            OutboxMessage.user_id == user_id,
            OutboxMessage.status == "pending",
            OutboxMessage.kind.in_(EVENT_REMINDER_KINDS),
        )
        .values(status="cancelled", error="not going")
    )


async def reopen_reminders(session: AsyncSession, event_id: int, user_id: int, now: datetime) -> None:
    """Bring back reminders cancelled when the person said «Не смогу» and then «Пойду» again
    (the outbox keeps one row per reminder key); only those still ahead."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.ref_type == "event",
            OutboxMessage.ref_id == event_id,
            OutboxMessage.user_id == user_id,
            OutboxMessage.status == "cancelled",
            OutboxMessage.kind.in_(EVENT_REMINDER_KINDS),
            OutboxMessage.due_at > now,
        )
        .values(status="pending", error=None, locked_until=None)
    )
