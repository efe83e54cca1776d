"""«Давно не виделись»: someone not seen for the region's ``inactivity_days``. No change causes
it, so the scheduler's planner queues it (``plan_periodic``), once per absence."""

from __future__ import annotations

from datetime import timedelta

from domain import reminders as policy
from services.regions import region_rules
from services.reminders.registry import Due, NoPayload, PlainKind, View, register, schedule
from services.uow import UnitOfWork
from storage.models import User
from storage.outbox import Outbox
from storage.repositories import DirectoryRepo

INACTIVITY = "inactivity"


class Inactivity(PlainKind[User]):
    names = (INACTIVITY,)
    group = "inactivity"
    snoozable = True

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> User | None:
        return due.user if policy.still_inactive(due.user.last_seen_at, due.now) else None

    def show(self, due: Due[NoPayload], user: User) -> View:
        return View("remind-inactivity")

    async def plan_periodic(self, uow: UnitOfWork, default_tz: str) -> int:
        """Region by region, with its own threshold, only people not reminded since they were last
        seen: the database does the sifting, so a tick costs the same with 1,000 or 100,000 teachers."""
        now = uow.now()
        outbox = Outbox(uow.session)
        planned = 0
        codes: list[str | None] = [region.code for region in await DirectoryRepo(uow.session).regions()]
        for code in [*codes, None]:
            rules = (await region_rules(uow, code, default_tz)).reminders
            away = now - timedelta(days=rules.inactivity_days)
            for user in await outbox.not_reminded_since_seen(INACTIVITY, code, seen_before=away):
                assert user.last_seen_at is not None
                key = f"inactive:{user.id}:{user.last_seen_at.date().isoformat()}"
                await schedule(
                    uow, INACTIVITY, user.id, key, now, NoPayload(), ref_type="user", ref_id=user.id
                )
                planned += 1
        return planned


register(Inactivity())
