"""Reminders planned with their cause: each planning function is called by a service in the same
transaction as the change that causes the reminder (a diagnosis started, a route item dated, a
route submitted, an RSVP), so the reminder exists exactly when the change does."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain import reminders as policy
from domain.route import add_months
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.models import Caseload, Diagnosis, Event, Route, RouteItem
from storage.outbox import Outbox


async def plan_unfinished_diagnosis(
    uow: UnitOfWork, rules: RegionRules, user_id: int, diagnosis: Diagnosis
) -> None:
    await Outbox(uow.session).schedule(
        user_id,
        "diagnosis_unfinished",
        f"diag_unfinished:{diagnosis.id}",
        diagnosis.started_at + timedelta(days=rules.reminders.unfinished_diagnosis_days),
        ref_type="diagnosis",
        ref_id=diagnosis.id,
    )


async def plan_rediagnosis(uow: UnitOfWork, rules: RegionRules, user_id: int, diagnosis: Diagnosis) -> None:
    finished = (
        (diagnosis.finished_at or diagnosis.started_at).astimezone(policy.ZoneInfo(rules.timezone)).date()
    )
    await Outbox(uow.session).schedule(
        user_id,
        "rediagnosis",
        f"rediag:{diagnosis.id}",
        policy.at_local(
            add_months(finished, rules.reminders.rediagnosis_months), policy.REMIND_AT, rules.timezone
        ),
        ref_type="diagnosis",
        ref_id=diagnosis.id,
    )


async def plan_route_items(uow: UnitOfWork, rules: RegionRules, user_id: int, items: list[RouteItem]) -> None:
    """Reminders before each item's due date and when it is overdue; a new date replaces the old."""
    outbox = Outbox(uow.session)
    for item in items:
        await outbox.cancel_pending("item", item.id)
        for kind, key, due in policy.item_reminders(
            item.id, item.due_on, rules.timezone, rules.reminders.item_due_days
        ):
            days = int(key.split(":", 1)[0].rsplit("_", 1)[-1]) if kind != "item_overdue" else -1
            await outbox.schedule(
                user_id,
                kind,
                key,
                due,
                ref_type="item",
                ref_id=item.id,
                payload={"days": days, "all": list(rules.reminders.item_due_days)},
            )


async def plan_route_approval(uow: UnitOfWork, route: Route, now: datetime) -> None:
    """Tell the teacher's methodist that a route awaits approval (if the teacher has one)."""
    caseload = await uow.session.get(Caseload, route.user_id)
    if caseload is None:
        return
    await Outbox(uow.session).schedule(
        caseload.methodist_id,
        "route_approval",
        f"route_approval:{route.id}:{now.isoformat()}",
        now,
        ref_type="route",
        ref_id=route.id,
    )


async def plan_event(uow: UnitOfWork, rules: RegionRules, user_id: int, event: Event) -> None:
    """A day and an hour before an event the person will attend; never after it has begun."""
    for kind, key, due in policy.event_reminders(
        event.id, user_id, event.starts_at, rules.reminders.event_before_hours
    ):
        await Outbox(uow.session).schedule(
            user_id,
            kind,
            key,
            due,
            ref_type="event",
            ref_id=event.id,
            payload={"expires_at": event.starts_at.isoformat()},
        )
