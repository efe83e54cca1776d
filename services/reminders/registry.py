"""The registry of reminder kinds, and what a kind is made of.

A kind (one module of this package per group of kinds) declares, once:

- its **payload**: a frozen dataclass written into ``OutboxMessage.payload`` when it is planned and
  read back when it is due (``dump`` / ``load``; ``load`` accepts the rows queued before it existed);
  a kind with none derives from ``PlainKind``;
- how it is **planned**: the module's ``plan_*`` functions, called by the service whose change causes
  the reminder (``schedule`` below writes the row);
- whether it **still applies** when it is due: ``load`` fetches what it is about and asks the domain's
  rule (``domain.reminders``), or returns ``None``;
- how it is **shown**: ``show`` returns a messenger-neutral ``View`` (a message key, its arguments and
  buttons described as actions); the messenger's renderer turns it into text and a keyboard.

The sender (``services.reminders.sending``) and the planners call only this registry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from domain import reminders as policy
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.models import OutboxMessage, User
from storage.outbox import Outbox

# --- the neutral view ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResumeDiagnosis:
    diagnosis_id: int


@dataclass(frozen=True, slots=True)
class StartDiagnosis:
    pass


@dataclass(frozen=True, slots=True)
class OpenRouteItem:
    route_id: int
    item_id: int


@dataclass(frozen=True, slots=True)
class OpenTeacherCard:
    teacher_id: int


@dataclass(frozen=True, slots=True)
class OpenMentorPair:
    pair_id: int


@dataclass(frozen=True, slots=True)
class Snooze:
    """Put the reminder (outbox row ``outbox_id``) off by ``days``."""

    outbox_id: int
    days: int


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """The mentor accepts (or declines) mentorship request ``request_id``."""

    request_id: int
    accept: bool


@dataclass(frozen=True, slots=True)
class OpenRoute:
    route_id: int


@dataclass(frozen=True, slots=True)
class OpenMentorship:
    """«Наставничество»: the person's pairs, request, or the candidates."""


@dataclass(frozen=True, slots=True)
class OpenCaseload:
    """«Мои педагоги»: the methodist's caseload."""


@dataclass(frozen=True, slots=True)
class OpenInbox:
    """«Входящие»: what waits for the person."""


Action = (
    ResumeDiagnosis
    | StartDiagnosis
    | OpenRouteItem
    | OpenTeacherCard
    | OpenMentorPair
    | Snooze
    | AnswerRequest
    | OpenRoute
    | OpenMentorship
    | OpenCaseload
    | OpenInbox
)
# The actions a queued message may carry, by name (a hand-off's payload stores them so).
ACTIONS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        ResumeDiagnosis,
        StartDiagnosis,
        OpenRouteItem,
        OpenTeacherCard,
        OpenMentorPair,
        AnswerRequest,
        OpenRoute,
        OpenMentorship,
        OpenCaseload,
        OpenInbox,
    )
}


# --- arguments translated by the messenger in the recipient's language -----------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A message key, shown translated (``t(key)``)."""

    key: str


@dataclass(frozen=True, slots=True)
class Terms:
    """Message keys shown translated and joined with commas; ``empty`` when there are none."""

    keys: tuple[str, ...]
    empty: str


@dataclass(frozen=True, slots=True)
class ByLocale:
    """A text already written in each language (``ru``, ``en``); ``empty`` (a key) when blank."""

    ru: str
    en: str
    empty: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A person the recipient can write to: a link to their chat, and what else they allowed."""

    messenger_id: int
    name: str
    contact: str | None = None
    messenger: str = "telegram"  # where ``messenger_id`` is an account: a link only opens there


@dataclass(frozen=True, slots=True)
class Button:
    label: str  # a message key
    action: Action


@dataclass(frozen=True, slots=True)
class View:
    """A reminder as any messenger can show it: ``text`` is a message key, ``args`` its arguments."""

    text: str
    args: dict[str, Any] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True, slots=True)
class Delegated:
    """A kind shown by a presenter of its own (the methodist's digest), not as a ``View``."""

    presenter: str


# --- payloads -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoPayload:
    """A kind that needs nothing beyond the row's reference (``ref_id``)."""

    def dump(self) -> dict[str, Any]:
        return {}

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Self:
        return cls()


class Payload(Protocol):
    def dump(self) -> dict[str, Any]: ...


P = TypeVar("P", bound=Payload)
S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Due(Generic[P]):
    """A reminder at send time: its kind, its row's id and reference, its typed payload, the
    recipient, the recipient's region rules and the time."""

    kind: str
    outbox_id: int
    ref_id: int | None
    payload: P
    user: User
    rules: RegionRules
    now: datetime


class Kind(ABC, Generic[P, S]):
    """One kind of reminder (or a few sharing a shape: ``names``). ``S`` is what it is about."""

    names: ClassVar[tuple[str, ...]]  # the values of ``OutboxMessage.kind`` it handles
    group: ClassVar[str]  # the group a person can switch off (``domain.reminders.GROUPS``)
    snoozable: ClassVar[bool] = False
    quiet_hours: ClassVar[bool] = True  # held by the recipient's quiet hours (a reminder is)
    presenter: ClassVar[str | None] = None  # a presenter of its own instead of a ``View``

    @abstractmethod
    def load_payload(self, raw: dict[str, Any]) -> P:
        """The typed payload of a row (rows queued by older versions included)."""

    def expires_at(self, payload: P) -> datetime | None:
        """After this moment the reminder is pointless: quiet hours lasting past it cancel it."""
        return None

    @abstractmethod
    async def load(self, uow: UnitOfWork, due: Due[P]) -> S | None:
        """What the reminder is about, if it still applies (the domain's rule); else ``None``."""

    @abstractmethod
    def show(self, due: Due[P], subject: S) -> View:
        """The reminder's message key, arguments and buttons (without the snooze buttons)."""

    async def undelivered(self, uow: UnitOfWork, row: OutboxMessage, reason: str) -> None:
        """The row will never be sent (``reason``): whatever the kind does then (the caller commits)."""

    async def plan_periodic(self, uow: UnitOfWork, default_tz: str) -> int:
        """Queue what no single change causes (someone away for a month); how many were queued."""
        return 0

    def view(self, due: Due[P], subject: S) -> View:
        shown = self.show(due, subject)
        if not self.snoozable:
            return shown
        snooze = tuple(
            Button(f"remind-btn-snooze-{days}", Snooze(due.outbox_id, days)) for days in policy.SNOOZE_DAYS
        )
        return View(shown.text, shown.args, shown.buttons + snooze)


class PlainKind(Kind[NoPayload, S]):
    """A kind whose rows carry no payload: what it is about is the row's reference alone."""

    def load_payload(self, raw: dict[str, Any]) -> NoPayload:
        return NoPayload.load(raw)


KINDS: dict[str, Kind[Any, Any]] = {}


def register(kind: Kind[Any, Any]) -> Kind[Any, Any]:
    for name in kind.names:
        assert name not in KINDS, f"reminder kind {name!r} declared twice"
        assert kind.group in (*policy.GROUPS, policy.HANDOFFS), (
            f"reminder kind {name!r}: unknown group {kind.group!r}"
        )
        KINDS[name] = kind
    return kind


def kind_of(name: str) -> Kind[Any, Any] | None:
    return KINDS.get(name)


def kinds() -> list[Kind[Any, Any]]:
    """Every kind once (a kind may handle several names)."""
    return list({id(kind): kind for kind in KINDS.values()}.values())


def group_of(name: str) -> str | None:
    kind = KINDS.get(name)
    return kind.group if kind is not None else None


async def schedule(
    uow: UnitOfWork,
    name: str,
    user_id: int,
    key: str,
    due_at: datetime,
    payload: Payload,
    *,
    ref_type: str | None = None,
    ref_id: int | None = None,
) -> None:
    """Queue one reminder of kind ``name`` (once per ``key``: planning again only moves its time)."""
    assert name in KINDS, f"unknown reminder kind {name!r}"
    await Outbox(uow.session).schedule(
        user_id, name, key, due_at, ref_type=ref_type, ref_id=ref_id, payload=payload.dump()
    )
