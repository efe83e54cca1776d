"""The methodist's daily digest as an outbox kind: planned and shown by the digest's own code
(``bot.jobs`` plans it, the digest presenter renders it); here only its group and its presenter."""

from __future__ import annotations

from typing import Any

from services.reminders.registry import Due, Kind, NoPayload, View, register
from services.uow import UnitOfWork

DIGEST = "digest"


class Digest(Kind[NoPayload, None]):
    names = (DIGEST,)
    group = "digest"
    presenter = "digest"

    def load_payload(self, raw: dict[str, Any]) -> NoPayload:
        return NoPayload.load(raw)

    async def load(self, uow: UnitOfWork, due: Due[NoPayload]) -> None:
        return None  # the digest presenter decides whether there is anything to send

    def show(self, due: Due[NoPayload], subject: None) -> View:
        raise NotImplementedError("the digest has a presenter of its own")


register(Digest())
