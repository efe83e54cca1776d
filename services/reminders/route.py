"""Reminders of the ИОМ: an item's due date coming (N days before, the region's ``item_due_days``)
and passed, and a submitted route awaiting the methodist's approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from domain import reminders as policy
from services.regions import RegionRules
from services.reminders.registry import (
    Button,
    Due,
    Kind,
    NoPayload,
    OpenRouteItem,
    OpenTeacherCard,
    PlainKind,
    View,
    register,
    schedule,
)
from services.uow import UnitOfWork
from storage.learning import RouteRepo
from storage.models import Caseload, Route, RouteItem, User
from storage.outbox import Outbox

OVERDUE_DAYS = -1  # the ``days`` of an overdue reminder
ROUTE_APPROVAL = "route_approval"


@dataclass(frozen=True, slots=True)
class ItemPayload:
    """``days`` before the date (``OVERDUE_DAYS`` once it has passed), all the lead times of the
    region when planned, and the date planned for (absent in rows queued before it was kept: those
    of an item whose date changed were cancelled then, so they stand for the current date)."""

    days: int = 7
    all_days: tuple[int, ...] = (7, 1)
    due_on: date | None = None

    def dump(self) -> dict[str, Any]:
        raw: dict[str, Any] = {"days": self.days, "all": list(self.all_days)}
        if self.due_on is not None:
            raw["due_on"] = self.due_on.isoformat()
        return raw

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Self:
        due_on = raw.get("due_on")
        return cls(
            days=int(raw.get("days", 7)),
            all_days=tuple(int(d) for d in raw.get("all", (7, 1))),
            due_on=date.fromisoformat(due_on) if due_on else None,
        )


class ItemReminder(Kind[ItemPayload, RouteItem]):
    names = (*policy.ITEM_DUE_KINDS.values(), policy.ITEM_OVERDUE)
    group = "route"
    snoozable = True

    def load_payload(self, raw: dict[str, Any]) -> ItemPayload:
        return ItemPayload.load(raw)

    async def load(self, uow: UnitOfWork, due: Due[ItemPayload]) -> RouteItem | None:
        item = await RouteRepo(uow.session).item_own(due.ref_id or 0, due.user.id)
        if item is None or not policy.item_still_open(
            item.status, item.route.status, item.due_on, due.payload.due_on
        ):
            return None
        if due.kind != policy.ITEM_OVERDUE and not policy.item_reminder_applies(
            due.payload.days, due.payload.all_days, self._days_left(due, item)
        ):
            return None  # a closer reminder has taken over
        return item

    def show(self, due: Due[ItemPayload], item: RouteItem) -> View:
        return View(
            "remind-item-overdue" if due.kind == policy.ITEM_OVERDUE else "remind-item-due",
            {"title": item.title, "date": item.due_on, "days": max(self._days_left(due, item), 0)},
            (Button("remind-btn-open-item", OpenRouteItem(item.route_id, item.id)),),
        )

    @staticmethod
    def _days_left(due: Due[ItemPayload], item: RouteItem) -> int:
        return (item.due_on - due.now.date()).days


class RouteApproval(PlainKind[tuple[Route, str | None]]):
    names = (ROUTE_APPROVAL,)
    group = "approval"

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> tuple[Route, str | None] | None:
        route = await uow.session.get(Route, due.ref_id or 0)
        if route is None or not policy.route_awaits_approval(route.status):
            return None
        teacher = await uow.session.get(User, route.user_id)
        return route, teacher.full_name if teacher is not None else None

    def show(self, due: Due[NoPayload], subject: tuple[Route, str | None]) -> View:
        route, name = subject
        return View(
            "remind-route-approval",
            {"name": name or "—"},
            (Button("remind-btn-open-teacher", OpenTeacherCard(route.user_id)),),
        )


register(ItemReminder())
register(RouteApproval())


async def plan_route_items(uow: UnitOfWork, rules: RegionRules, user_id: int, items: list[RouteItem]) -> None:
    """Reminders before each item's due date and when it is overdue; a new date replaces the old."""
    outbox = Outbox(uow.session)
    lead_times = rules.reminders.item_due_days
    for item in items:
        await outbox.cancel_pending("item", item.id)
        plan = policy.item_reminders(item.id, item.due_on, rules.timezone, lead_times)
        for days, (kind, key, due) in zip((*lead_times, OVERDUE_DAYS), plan, strict=True):
            await schedule(
                uow,
                kind,
                user_id,
                key,
                due,
                ItemPayload(days, tuple(lead_times), item.due_on),
                ref_type="item",
                ref_id=item.id,
            )


async def plan_route_approval(uow: UnitOfWork, route: Route, now: datetime) -> bool:
    """Tell the teacher's methodist that a route awaits approval; False if the teacher has none."""
    caseload = await uow.session.get(Caseload, route.user_id)
    if caseload is None:
        return False
    await schedule(
        uow,
        ROUTE_APPROVAL,
        caseload.methodist_id,
        f"route_approval:{route.id}:{now.isoformat()}",
        now,
        NoPayload(),
        ref_type="route",
        ref_id=route.id,
    )
    return True
