"""The methodist's daily digest as an outbox kind: planned here once a day for every methodist with
a caseload, at the time of their settings in their region's zone; shown by the digest's own
presenter (``services.digest`` decides what it holds)."""

from __future__ import annotations

from domain import reminders as policy
from domain.digest import next_digest_at
from services.regions import region_rules
from services.reminders.registry import Due, NoPayload, PlainKind, View, register, schedule
from services.uow import UnitOfWork
from storage.digest import digest_recipients

DIGEST = "digest"


class Digest(PlainKind[None]):
    names = (DIGEST,)
    group = "digest"
    presenter = "digest"

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> None:
        return None  # the digest presenter decides whether there is anything to send

    def show(self, due: Due[NoPayload], subject: None) -> View:
        raise NotImplementedError("the digest has a presenter of its own")

    async def plan_periodic(self, uow: UnitOfWork, default_tz: str) -> int:
        """The next digest of every methodist with a caseload (one a local day: the key says which)."""
        now = uow.now()
        zones: dict[str | None, str] = {}
        planned = 0
        for methodist, settings in await digest_recipients(uow.session):
            region = methodist.region_code
            if region not in zones:
                zones[region] = (await region_rules(uow, region, default_tz)).timezone
            zone = zones[region]
            due = next_digest_at(settings, zone, now)
            key = f"digest:{methodist.id}:{policy.local(due, zone).date().isoformat()}"
            await schedule(
                uow, DIGEST, methodist.id, key, due, NoPayload(), ref_type="user", ref_id=methodist.id
            )
            planned += 1
        return planned


register(Digest())
