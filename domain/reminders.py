"""Reminder policy: when reminders may arrive, and whether one still applies when it is due.

Times are computed in UTC and checked in the recipient's local time: nothing arrives in quiet
hours (by default 21:00–08:00); a reminder due then is postponed to the end of the quiet hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class OutboxStatus(StrEnum):
    """Where an outbox row stands (the column stays a string)."""

    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


# The groups a person can switch off in «Профиль → Уведомления», in the order shown. Each reminder
# kind names its group (``services.reminders``).
GROUPS = ("diagnosis", "route", "approval", "mentorship", "events", "inactivity", "digest")
# What one person's act sends another (a request, an answer, an approval): never switched off and
# never held by quiet hours — someone is waiting for it.
HANDOFFS = "handoffs"
# Item reminders N days before a due date that have a kind of their own; any other lead time is
# sent as the 7-day kind (its payload says how many days).
ITEM_DUE_KINDS = {7: "item_due_7", 1: "item_due_1"}
ITEM_OVERDUE = "item_overdue"
INACTIVITY_RECHECK = timedelta(days=7)
REMIND_AT = time(10, 0)  # date-based reminders go out at 10:00 local time
SNOOZE_DAYS = (1, 7)


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def in_quiet_hours(moment: time, quiet_from: time, quiet_to: time) -> bool:
    """Whether a local time of day falls in the quiet hours, which may span midnight."""
    if quiet_from == quiet_to:
        return False
    if quiet_from < quiet_to:
        return quiet_from <= moment < quiet_to
    return moment >= quiet_from or moment < quiet_to


def deliverable_at(due: datetime, tz: str, quiet_from: time, quiet_to: time) -> datetime:
    """``due`` itself, or the end of the quiet hours it falls in (as UTC)."""
    here = local(due, tz)
    if not in_quiet_hours(here.timetz().replace(tzinfo=None), quiet_from, quiet_to):
        return due
    day = here.date()
    if here.time() >= quiet_to:  # evening part: the quiet hours end tomorrow morning
        day += timedelta(days=1)
    return at_local(day, quiet_to, tz)


def at_local(day: date, moment: time, tz: str) -> datetime:
    """A local date and time as an aware UTC datetime (DST handled by zoneinfo)."""
    return datetime.combine(day, moment, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def item_reminders(
    item_id: int, due_on: date, tz: str, days_before: tuple[int, ...]
) -> list[tuple[str, str, datetime]]:
    """(kind, key, due time) of the reminders of one ИОМ item: N days before, and overdue."""
    plan = []
    for days in days_before:
        kind = ITEM_DUE_KINDS.get(days, ITEM_DUE_KINDS[7])
        plan.append(
            (
                kind,
                f"item_due_{days}:{item_id}:{due_on.isoformat()}",
                at_local(due_on - timedelta(days=days), REMIND_AT, tz),
            )
        )
    plan.append(
        (
            ITEM_OVERDUE,
            f"item_overdue:{item_id}:{due_on.isoformat()}",
            at_local(due_on + timedelta(days=1), REMIND_AT, tz),
        )
    )
    return plan


def event_reminders(
    event_id: int, user_id: int, starts_at: datetime, hours_before: tuple[int, ...]
) -> list[tuple[str, str, datetime]]:
    """A day and an hour before an event the person said they will attend."""
    plan = []
    for hours in hours_before:
        kind = "event_hour" if hours <= 1 else "event_day"
        plan.append((kind, f"{kind}:{event_id}:{user_id}:{hours}", starts_at - timedelta(hours=hours)))
    return plan


def snoozed(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def item_reminder_applies(days_before: int, all_days: tuple[int, ...], days_left: int) -> bool:
    """A reminder N days before a due date still applies only while no closer one has taken over
    (a sender that was down must not send «in 7 days» and «in 1 day» on the same morning)."""
    closer = max((d for d in all_days if d < days_before), default=-1)
    return days_left > closer


# --- whether a reminder still applies when it is due ------------------------------------------------


def item_still_open(item_status: str, route_status: str, due_on: date, planned_for: date | None) -> bool:
    """An item reminder applies while the item is not done, its route not completed, and its date
    is still the one the reminder was planned for (``None``: a row from before the date was kept)."""
    if item_status == "done" or route_status == "completed":
        return False
    return planned_for is None or planned_for == due_on


def route_awaits_approval(route_status: str) -> bool:
    return route_status == "submitted"


class Delivery(StrEnum):
    """What the sender of a hand-off is told about it: on its way, delivered (Telegram accepted
    it), or not delivered — the recipient blocked the bot, or the messenger refused it."""

    SENDING = "sending"
    DELIVERED = "delivered"
    BLOCKED = "blocked"
    FAILED = "failed"


def delivery(status: str, error: str | None) -> Delivery:
    if status == OutboxStatus.SENT:
        return Delivery.DELIVERED
    if status == OutboxStatus.FAILED:
        return Delivery.BLOCKED if error == "blocked" else Delivery.FAILED
    return Delivery.SENDING


def undelivered_notice(reason: str | None) -> str:
    """The message key telling a sender their hand-off did not reach its recipient."""
    return "handoff-undelivered-blocked" if reason == "blocked" else "handoff-undelivered"


def request_open(request_status: str) -> bool:
    """A mentorship request can still be answered (a hand-off asking for the answer still applies)."""
    return request_status == "pending"


def pair_active(pair_status: str) -> bool:
    return pair_status == "active"


def event_ahead(starts_at: datetime, now: datetime) -> bool:
    """An event reminder never arrives once the event has begun."""
    return starts_at > now


def still_inactive(last_seen_at: datetime | None, now: datetime) -> bool:
    """Someone seen in the last week has come back: the inactivity reminder no longer applies."""
    return last_seen_at is None or last_seen_at <= now - INACTIVITY_RECHECK
