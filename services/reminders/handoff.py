"""Hand-offs: what one person's act sends another — a mentorship request and its answer, a new
pair, a returned or approved ИОМ, an official diagnosis, an assignment — as outbox rows.

A hand-off is queued by the service that makes the change, in the same transaction, so it exists
exactly when the change does and is never lost: the sender retries network errors and 5xx with a
growing pause, honours 429, and records a 403 (the recipient blocked the bot). Quiet hours do not
hold it (someone is waiting for it), and nobody can switch it off. The messenger's layer sends it
at once after the commit (``UnitOfWork.queued``), not at the next tick.

Its payload carries the message key, its arguments (``Term``/``Terms``/``Mention`` or plain values,
translated at send time in the RECIPIENT's language) and its buttons as neutral actions. A
hand-off that could not be delivered tells its sender so (once: that notice has no sender).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Self
from uuid import uuid4

from domain import reminders as policy
from services.reminders.registry import (
    ACTIONS,
    Action,
    AnswerRequest,
    Button,
    ByLocale,
    Due,
    Kind,
    Mention,
    Term,
    Terms,
    View,
    register,
    schedule,
)
from services.uow import UnitOfWork
from storage.models import MentorRequest, OutboxMessage, User

HANDOFF = "handoff"

Arg = str | int | date | Term | Terms | ByLocale | Mention


def _dump_arg(value: Arg) -> Any:
    match value:
        case Term(key=key):
            return {"term": key}
        case Terms(keys=keys, empty=empty):
            return {"terms": list(keys), "empty": empty}
        case ByLocale(ru=ru, en=en, empty=empty):
            return {"ru": ru, "en": en, "empty": empty}
        case Mention(messenger_id=messenger_id, name=name, contact=contact, messenger=messenger):
            return {"mention": messenger_id, "name": name, "contact": contact, "messenger": messenger}
        case date():
            return {"date": value.isoformat()}
        case _:
            return value


def _load_arg(raw: Any) -> Arg:
    if isinstance(raw, dict):
        if "term" in raw:
            return Term(str(raw["term"]))
        if "terms" in raw:
            return Terms(tuple(str(k) for k in raw["terms"]), str(raw.get("empty", "")))
        if "mention" in raw:
            messenger = str(raw.get("messenger") or "telegram")
            return Mention(int(raw["mention"]), str(raw.get("name") or ""), raw.get("contact"), messenger)
        if "ru" in raw:
            return ByLocale(str(raw["ru"]), str(raw.get("en", "")), str(raw.get("empty", "")))
        if "date" in raw:
            return date.fromisoformat(str(raw["date"]))
    return raw


def _dump_action(action: Action) -> dict[str, Any]:
    return {"action": type(action).__name__, **dataclasses.asdict(action)}


def _load_action(raw: dict[str, Any]) -> Action | None:
    cls = ACTIONS.get(str(raw.get("action")))
    if cls is None:
        return None
    fields = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in fields})


@dataclass(frozen=True, slots=True)
class HandoffPayload:
    """The message (a key and its arguments), its buttons, and who caused it (told if it fails)."""

    text: str
    args: dict[str, Arg] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    sender_id: int | None = None

    def dump(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "args": {name: _dump_arg(value) for name, value in self.args.items()},
            "buttons": [{"label": b.label, **_dump_action(b.action)} for b in self.buttons],
            "sender_id": self.sender_id,
        }

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Self:
        buttons = []
        for button in raw.get("buttons") or []:
            action = _load_action(button)
            if action is not None:
                buttons.append(Button(str(button.get("label")), action))
        sender = raw.get("sender_id")
        return cls(
            text=str(raw.get("text", "")),
            args={name: _load_arg(value) for name, value in (raw.get("args") or {}).items()},
            buttons=tuple(buttons),
            sender_id=int(sender) if sender is not None else None,
        )


class Handoff(Kind[HandoffPayload, HandoffPayload]):
    names = (HANDOFF,)
    group = policy.HANDOFFS
    quiet_hours = False

    def load_payload(self, raw: dict[str, Any]) -> HandoffPayload:
        return HandoffPayload.load(raw)

    async def load(self, uow: UnitOfWork, due: Due[HandoffPayload]) -> HandoffPayload | None:
        """What was handed over, as it was — unless it asks for an answer nobody can give any more
        (a request taken back or answered before a delayed send)."""
        for button in due.payload.buttons:
            if isinstance(button.action, AnswerRequest):
                request = await uow.session.get(MentorRequest, button.action.request_id)
                if request is None or not policy.request_open(request.status):
                    return None
        return due.payload

    def show(self, due: Due[HandoffPayload], subject: HandoffPayload) -> View:
        return View(subject.text, dict(subject.args), subject.buttons)

    async def undelivered(self, uow: UnitOfWork, row: OutboxMessage, reason: str) -> None:
        payload = self.load_payload(row.payload)
        if payload.sender_id is None:
            return
        recipient = await uow.session.get(User, row.user_id)
        await hand_off(
            uow,
            payload.sender_id,
            policy.undelivered_notice(reason),
            {"name": (recipient.full_name if recipient is not None else None) or "—"},
            ref=("outbox", row.id),
        )


register(Handoff())


async def hand_off(
    uow: UnitOfWork,
    to: int,
    text: str,
    args: dict[str, Arg] | None = None,
    buttons: tuple[Button, ...] = (),
    *,
    sender: User | None = None,
    ref: tuple[str, int] | None = None,
) -> None:
    """Queue ``text`` (a message key with ``args``) for person ``to``, sent at once after the
    caller commits; ``sender`` (who caused it) is told if it cannot be delivered."""
    await schedule(
        uow,
        HANDOFF,
        to,
        f"{HANDOFF}:{uuid4().hex}",
        uow.now(),
        HandoffPayload(text, dict(args or {}), buttons, sender.id if sender is not None else None),
        ref_type=ref[0] if ref else None,
        ref_id=ref[1] if ref else None,
    )
    uow.queued()
