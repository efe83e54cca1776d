"""Who a broadcast goes to, and how fast it may go.

``Audience`` is the validated form of ``Broadcast.audience`` (a JSON dict); ``Pacer`` spaces the
messages to Telegram's flood limits. Neither knows about aiogram or the database. The statuses of
broadcasts and of their deliveries are here too (the columns stay strings; a StrEnum equals them).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from domain.profile import SUBJECTS
from domain.roles import Role


class BroadcastStatus(StrEnum):
    DRAFT = "draft"  # the column's default; the wizard keeps its draft in the conversation instead
    SCHEDULED = "scheduled"  # waiting for its time (or for the sender, when sent «now»)
    SENDING = "sending"  # deliveries written, being sent
    DONE = "done"
    CANCELLED = "cancelled"


ACTIVE = (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING)

# Telegram: about 30 messages a second to many people for free; with paid broadcasts
# (``allow_paid_broadcast``) up to 1,000, each message past the free limit for 0.1 Star.
FREE_RATE = 30
PAID_RATE = 1000
STARS_PER_PAID_MESSAGE = 0.1  # may still be stopped
# MAX: 30 requests a second to its Bot API per bot, whatever they are (no paid broadcasts).
MAX_RATE = 30


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot (before or while sending)
    FAILED = "failed"  # Telegram refused it, or it kept failing


class MediaKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class AudienceToggle(StrEnum):
    """The audience filters the admin's wizard switches on and off with one button."""

    METHODISTS = "methodists"
    YOUNG = "young"
    NO_DIAGNOSIS = "nodiag"
    NO_ROUTE = "noroute"


class AudienceError(ValueError):
    pass


@dataclass(frozen=True)
class Audience:
    """Filters combined with AND; an empty filter means "everyone" for that dimension.

    ``event_id``: the people who answered «Пойду» to that event.
    ``event_invite``: the people an event is for (its region and, if it has any, its subjects).
    """

    roles: tuple[str, ...] = ()
    region: str | None = None
    municipality_ids: tuple[int, ...] = ()
    school_ids: tuple[int, ...] = ()
    subjects: tuple[str, ...] = ()
    young_only: bool = False
    no_diagnosis: bool = False
    no_route: bool = False
    event_id: int | None = None
    event_invite: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Audience:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise AudienceError(f"unknown audience filters: {', '.join(sorted(unknown))}")
        roles = tuple(str(r) for r in data.get("roles") or ())
        if any(r not in set(Role) for r in roles):
            raise AudienceError(f"unknown role in {roles}")
        subjects = tuple(str(s) for s in data.get("subjects") or ())
        if any(s not in SUBJECTS for s in subjects):
            raise AudienceError(f"unknown subject in {subjects}")
        region = data.get("region")
        return cls(
            roles=roles,
            region=str(region) if region else None,
            municipality_ids=_ids(data.get("municipality_ids")),
            school_ids=_ids(data.get("school_ids")),
            subjects=subjects,
            young_only=bool(data.get("young_only")),
            no_diagnosis=bool(data.get("no_diagnosis")),
            no_route=bool(data.get("no_route")),
            event_id=_optional_id(data.get("event_id")),
            event_invite=_optional_id(data.get("event_invite")),
        )

    def to_dict(self) -> dict[str, Any]:
        """Only the filters that are set, JSON-ready."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value in (None, False, ()):
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def teachers_only(self) -> bool:
        """A filter that only means something for teachers (subjects, young, no diagnosis or
        route): methodists and admins who do not teach are not in such an audience."""
        return bool(self.subjects or self.young_only or self.no_diagnosis or self.no_route)

    def toggled(self, what: AudienceToggle) -> Audience:
        """The audience with one switchable filter turned the other way."""
        if what == AudienceToggle.METHODISTS:
            return dataclasses.replace(self, roles=() if self.roles else (Role.METHODIST.value,))
        if what == AudienceToggle.YOUNG:
            return dataclasses.replace(self, young_only=not self.young_only)
        if what == AudienceToggle.NO_DIAGNOSIS:
            return dataclasses.replace(self, no_diagnosis=not self.no_diagnosis)
        return dataclasses.replace(self, no_route=not self.no_route)

    def describe(self) -> list[tuple[str, dict[str, Any]]]:
        """The filters for a preview, as (catalogue key, arguments); ``audience-all`` if none."""
        lines: list[tuple[str, dict[str, Any]]] = []
        for role in self.roles:
            lines.append(("audience-role", {"role": role}))
        if self.municipality_ids:
            lines.append(("audience-municipalities", {"ids": list(self.municipality_ids)}))
        if self.school_ids:
            lines.append(("audience-schools", {"count": len(self.school_ids)}))
        for subject in self.subjects:
            lines.append(("audience-subject", {"subject": subject}))
        for flag in ("young_only", "no_diagnosis", "no_route"):
            if getattr(self, flag):
                lines.append((f"audience-{flag.replace('_', '-')}", {}))
        if self.event_id is not None:
            lines.append(("audience-event-going", {"event_id": self.event_id}))
        if self.event_invite is not None:
            lines.append(("audience-event-invite", {"event_id": self.event_invite}))
        return lines or [("audience-all", {})]


def _ids(value: Any) -> tuple[int, ...]:
    if not value:
        return ()
    try:
        ids = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise AudienceError(f"ids expected, got {value!r}") from None
    if any(i <= 0 for i in ids):
        raise AudienceError(f"positive ids expected, got {value!r}")
    return ids


def _optional_id(value: Any) -> int | None:
    if value is None:
        return None
    ids = _ids([value])
    return ids[0]


class Pacer:
    """Spaces messages: at most ``rate`` a second overall and one per ``per_chat`` seconds to a chat.

    Every send reserves the next free slot: slots are at least ``1 / rate`` apart and no one-second
    window holds more than ``rate`` of them, however late a send comes and however many sends wait
    at once (several requests are in flight; the pacer, not the round trip, sets the pace).

    Telegram's 429 (``too_many``) holds every slot back for ``retry_after`` — every sender that
    shares ``pause`` (a ``PauseBoard``: the bot's broadcasts and its outbox in one worker) — and
    steps the rate down to ``step_down`` of what it was; it then climbs back by ``climb`` of the
    ceiling a second, so a bot sharing its limit with something else settles below the 429s
    instead of hitting them again at full speed (additive increase, multiplicative decrease).

    ``observe`` takes each request's round trip; ``in_flight`` is how many requests must be under
    way at once to keep the rate whatever the round trip (the sender's pool size).
    """

    def __init__(
        self,
        rate: float = 25.0,
        per_chat: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        pause: PauseBoard | None = None,
        step_down: float = 0.85,
        floor: float = 0.2,
        climb: float = 0.05,
        max_in_flight: int = 100,  # aiogram's AiohttpSession keeps up to 100 connections
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.ceiling = rate
        self.rate = rate
        self.per_chat = per_chat
        self.board = pause or PauseBoard()
        self.step_down, self.floor, self.climb = step_down, floor, climb
        self.max_in_flight = max_in_flight
        self.latency = 0.25  # seconds: a first guess at the round trip, corrected by ``observe``
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._climb_from = 0.0
        self._cut_until = 0.0
        self._chat_next: dict[int, float] = {}
        # The last ``rate`` slots: the next one is at least a second after the oldest of them.
        self._window: deque[float] = deque(maxlen=max(1, min(int(rate), 10_000)))
        self._gone: deque[float] = deque(maxlen=self._window.maxlen)

    @property
    def interval(self) -> float:
        # A hair over 1/rate, so that ``rate`` slots never fit in one second by rounding.
        return 1.0 / self.rate + 1e-9

    def reserve(self, chat_id: int) -> float:
        """Take the next slot for ``chat_id``; returns how many seconds to wait for it."""
        now = self._monotonic()
        self._recover(now)
        slot = max(now, self._next, self.board.until, self._chat_next.get(chat_id, 0.0))
        if len(self._window) == self._window.maxlen:
            slot = max(slot, self._window[0] + 1.0)
        self._window.append(slot)
        self._next = slot + self.interval
        self._chat_next[chat_id] = slot + self.per_chat
        if len(self._chat_next) > 4096:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        return slot - now

    async def wait(self, chat_id: int) -> None:
        """Wait for the chat's own next second, then for a slot of the overall rate."""
        early = self._chat_next.get(chat_id, 0.0) - self._monotonic()
        if early > 0:  # not holding an overall slot meanwhile: others go first
            await self._sleep(early)
        delay = self.reserve(chat_id)
        if delay > 0:
            await self._sleep(delay)
        await self._gate()

    async def _gate(self) -> None:
        """The window once more, on the times the sends really go: senders that woke late
        together (a busy machine) must not go out as a burst."""
        gone = self._gone
        while len(gone) == gone.maxlen and (late := gone[0] + 1.0 - self._monotonic()) > 0:
            await self._sleep(late)
        gone.append(self._monotonic())

    def pause(self, seconds: float) -> None:
        """Nothing goes out for ``seconds`` from now (Telegram's retry_after), and the rate steps
        down — once per pause, however many requests in flight were refused."""
        now = self._monotonic()
        until = now + seconds
        self.board.until = max(self.board.until, until)
        self._next = max(self._next, until)
        if now >= self._cut_until:
            self.rate = max(self.ceiling * self.floor, self.rate * self.step_down)
            self._cut_until = until
        self._climb_from = max(self._climb_from, until)

    async def too_many(self, retry_after: float) -> None:
        """A 429: ``pause``, for every sender of the bot that shares this pacer's pause."""
        self.pause(retry_after)

    def _recover(self, now: float) -> None:
        if self.rate < self.ceiling and now > self._climb_from:
            self.rate = min(self.ceiling, self.rate + self.climb * self.ceiling * (now - self._climb_from))
        self._climb_from = max(self._climb_from, now)

    def observe(self, seconds: float) -> None:
        """A request's round trip (a moving average of them sizes ``in_flight``)."""
        self.latency += 0.2 * (seconds - self.latency)

    @property
    def in_flight(self) -> int:
        """Requests to have under way at once: the rate times the round trip, with room to spare."""
        return max(1, min(self.max_in_flight, math.ceil(self.rate * self.latency * 1.5) + 1))

    @property
    def paused_until(self) -> float:
        return self.board.until


@dataclass
class PauseBoard:
    """Until when (monotonic seconds) a 429 holds every sender of the bot in this process."""

    until: float = 0.0
