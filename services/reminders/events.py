"""Reminders of events a person said they will attend: a day and an hour before (the region's
``event_before_hours``); never once the event has begun."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from domain import reminders as policy
from services.regions import RegionRules
from services.reminders.registry import Due, Kind, View, register, schedule
from services.uow import UnitOfWork
from storage.events import EventRepo
from storage.models import Event

TEXTS = {"event_day": "remind-event-day", "event_hour": "remind-event-hour"}


@dataclass(frozen=True, slots=True)
class EventPayload:
    expires_at: datetime | None = None  # the event's start: quiet hours lasting past it cancel it

    def dump(self) -> dict[str, Any]:
        return {"expires_at": self.expires_at.isoformat()} if self.expires_at is not None else {}

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Self:
        expires = raw.get("expires_at")
        return cls(datetime.fromisoformat(expires) if expires else None)


class EventReminder(Kind[EventPayload, Event]):
    names = tuple(TEXTS)
    group = "events"

    def load_payload(self, raw: dict[str, Any]) -> EventPayload:
        return EventPayload.load(raw)

    def expires_at(self, payload: EventPayload) -> datetime | None:
        return payload.expires_at

    async def load(self, uow: UnitOfWork, due: Due[EventPayload]) -> Event | None:
        event = await EventRepo(uow.session).get(due.ref_id or 0)
        return event if event is not None and policy.event_ahead(event.starts_at, due.now) else None

    def show(self, due: Due[EventPayload], event: Event) -> View:
        return View(
            TEXTS[due.kind],
            {
                "title": event.title,
                "when": policy.local(event.starts_at, due.rules.timezone).strftime("%d.%m.%Y %H:%M"),
                "place": event.place or event.url or "—",
            },
        )


register(EventReminder())


async def plan_event(uow: UnitOfWork, rules: RegionRules, user_id: int, event: Event) -> None:
    """A day and an hour before an event the person will attend; never after it has begun."""
    for kind, key, due in policy.event_reminders(
        event.id, user_id, event.starts_at, rules.reminders.event_before_hours
    ):
        await schedule(
            uow, kind, user_id, key, due, EventPayload(event.starts_at), ref_type="event", ref_id=event.id
        )
