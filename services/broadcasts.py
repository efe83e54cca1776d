"""«Рассылка»: an admin composes a broadcast (a text, or a photo or document with a caption; a link
button; the audience), previews it, sends it now or schedules it, and stops it from the list.

The sender (``bot/broadcast.py``) paces the messages to Telegram; what it decides on the way —
starting a broadcast whose time has come, leasing deliveries, closing each one, finishing — is at
the end of this module, so that nothing of it lives next to the Telegram calls.

The draft lives in the conversation as ``Draft`` (``to_data``/``from_data``), not in the database,
until it is sent or scheduled.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from domain.audience import (
    ACTIVE,
    FREE_RATE,
    STARS_PER_PAID_MESSAGE,
    Audience,
    AudienceToggle,
    BroadcastStatus,
    DeliveryStatus,
    MediaKind,
)
from domain.profile import SUBJECTS
from domain.roles import Role, municipal_scope
from services.regions import RegionRules, region_rules
from services.results import DENIED, STALE, Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage import broadcasts as store
from storage.audit import audit
from storage.models import Broadcast, BroadcastDelivery, Municipality, User
from storage.repositories import DirectoryRepo

log = logging.getLogger(__name__)

MAX_TEXT = 3500
MAX_CAPTION = 1000
MAX_BUTTON_TEXT = 64
MAX_URL = 500
MUNICIPALITIES_SHOWN = 90  # buttons on one screen of the municipality picker
TIME_FORMAT = "%d.%m.%Y %H:%M"  # how the admin types the time of a scheduled broadcast
RETRY_LIMIT = 5  # network or server errors for one delivery before it is given up

# Characters Telegram shows as nothing besides spaces: a text of only these it refuses to send.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2800\ufeff")


@dataclass(frozen=True, slots=True)
class Admin:
    """Who is composing: the speaker, their effective role (admins from the settings included) and
    the bot's home region, which is the region of an admin who has none of their own."""

    user: User
    role: Role
    home_region: str

    @property
    def region(self) -> str:
        return self.user.region_code or self.home_region

    @property
    def allowed(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def municipality(self) -> int | None:
        """A municipal admin's one municipality (``domain.roles.municipal_scope``): their
        broadcasts reach its people only. None: the whole region."""
        return municipal_scope(self.role, self.user.staff_title, self.user.municipality_id)


@dataclass(frozen=True, slots=True)
class Draft:
    """The broadcast being composed, kept in the conversation between the wizard's steps."""

    text: str = ""  # HTML as Telegram accepts it (the caption, with media)
    media_kind: MediaKind | None = None
    media_file_id: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    audience: Audience = field(default_factory=Audience)

    def to_data(self) -> dict[str, Any]:
        """JSON for the conversation's storage."""
        return {
            "text": self.text,
            "media_kind": self.media_kind,
            "media_file_id": self.media_file_id,
            "button_text": self.button_text,
            "button_url": self.button_url,
            "audience": self.audience.to_dict(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Draft:
        kind = data.get("media_kind")
        return cls(
            text=data.get("text") or "",
            media_kind=MediaKind(kind) if kind else None,
            media_file_id=data.get("media_file_id"),
            button_text=data.get("button_text"),
            button_url=data.get("button_url"),
            audience=Audience.from_dict(data.get("audience") or {}),
        )

    def as_broadcast(self) -> Broadcast:
        """The message as it will go out, not stored: for the preview."""
        return Broadcast(
            text=self.text,
            media_kind=self.media_kind,
            media_file_id=self.media_file_id,
            button_text=self.button_text,
            button_url=self.button_url,
        )


@dataclass(frozen=True, slots=True)
class AudienceView:
    """The audience step: the draft, how many people it reaches now, and the names of the
    municipalities it is limited to (if any)."""

    draft: Draft
    count: int
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the deployment sends broadcasts (messages a second, the bot's — all workers'), and
    whether Telegram's paid broadcasts are on (``ALLOW_PAID_BROADCAST``). ``max_rate``: MAX's own
    rate (``MAX_BROADCAST_RATE``); MAX's people are sent to beside Telegram's, at that rate."""

    rate: float
    paid: bool = False
    max_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """How long a broadcast takes at ``rate`` (overall), and what it costs in Stars (None: free)."""

    seconds: float
    rate: float
    stars: int | None


def estimate(count: int, pace: Pace, on_max: int = 0) -> Estimate:
    """The duration for ``count`` recipients at the pace (``on_max`` of them on MAX, sent beside
    Telegram's at MAX's own rate: the longer of the two); with paid broadcasts, the Stars for the
    Telegram messages past the free limit — the share of them sent faster than ``FREE_RATE``."""
    on_max = min(on_max, count) if pace.max_rate else 0
    on_telegram = count - on_max
    seconds = on_telegram / pace.rate
    if on_max and pace.max_rate:
        seconds = max(seconds, on_max / pace.max_rate)
    stars = None
    if pace.paid:
        beyond = on_telegram * max(0.0, pace.rate - FREE_RATE) / pace.rate
        stars = math.ceil(beyond * STARS_PER_PAID_MESSAGE)
    rate = count / seconds if seconds else pace.rate
    return Estimate(seconds, rate, stars)


@dataclass(frozen=True, slots=True)
class Preview:
    broadcast: Broadcast  # not stored
    count: int
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class Queued:
    broadcast: Broadcast


@dataclass(frozen=True, slots=True)
class Scheduled:
    broadcast: Broadcast
    when: datetime  # in the region's time zone, as typed
    timezone: str


@dataclass(frozen=True, slots=True)
class Listed:
    """A line of the list: the broadcast, its deliveries by status, and whether it can be stopped."""

    broadcast: Broadcast
    deliveries: Mapping[str, int]
    stoppable: bool

    @property
    def total(self) -> int:
        return sum(self.deliveries.values())


@dataclass(frozen=True, slots=True)
class Stopped:
    broadcast: Broadcast


# --- composing -------------------------------------------------------------------------------------


def _blank(text: str) -> bool:
    return all(char.isspace() or char in _INVISIBLE for char in text)


def compose(
    *,
    text: str | None,
    caption: str | None,
    html: str,
    media_kind: MediaKind | None = None,
    media_file_id: str | None = None,
) -> Draft | Invalid:
    """The message of a new draft: a text, or a photo or document (with a caption or without).

    ``html`` is the text or caption as HTML. A message with neither media nor a visible text is
    asked for again; a text or caption over Telegram's limits is refused with its length."""
    visible = text or caption or ""
    if media_kind is None and _blank(text or ""):
        return Invalid("broadcast-ask-text", {"max": MAX_TEXT, "caption": MAX_CAPTION})
    limit = MAX_CAPTION if media_kind else MAX_TEXT
    if len(visible) > limit:
        return Invalid("broadcast-too-long", {"length": len(visible), "max": limit})
    return Draft(text=html if visible else "", media_kind=media_kind, media_file_id=media_file_id)


def parse_link_button(text: str) -> tuple[str, str] | None:
    """«Текст кнопки https://адрес» (or «Текст | https://адрес») → (text, url); None if invalid."""
    label, _, url = text.strip().replace("|", " ").rpartition(" ")
    label = " ".join(label.split())
    if not label or len(label) > MAX_BUTTON_TEXT or len(url) > MAX_URL:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or "." not in (parts.hostname or ""):
        return None
    return label, url


def with_button(draft: Draft, typed: str) -> Draft | Invalid:
    """The link button under the message, typed as «Текст https://адрес»."""
    parsed = parse_link_button(typed)
    if parsed is None:
        return Invalid("broadcast-bad-button", {"max": MAX_BUTTON_TEXT})
    return replace(draft, button_text=parsed[0], button_url=parsed[1])


def without_button(draft: Draft) -> Draft:
    return replace(draft, button_text=None, button_url=None)


# --- the audience --------------------------------------------------------------------------------------


def _scoped(admin: Admin, draft: Draft) -> Draft:
    """The draft with a municipal admin's audience limited to their municipality, whatever it says."""
    if admin.municipality is None:
        return draft
    return replace(draft, audience=replace(draft.audience, municipality_ids=(admin.municipality,)))


async def audience(uow: UnitOfWork, admin: Admin, draft: Draft) -> AudienceView | Denied:
    """The audience step for ``draft``: the count and the chosen municipalities' names."""
    if not admin.allowed:
        return DENIED
    draft = _scoped(admin, draft)
    count = await store.count_audience(uow.session, draft.audience.to_dict(), admin.region, uow.now().date())
    directory = DirectoryRepo(uow.session)
    places = [await directory.municipality(i) for i in draft.audience.municipality_ids]
    return AudienceView(draft, count, tuple(p.name for p in places if p is not None))


async def toggle(uow: UnitOfWork, admin: Admin, draft: Draft, what: AudienceToggle) -> AudienceView | Denied:
    """Switch one filter (methodists only, young teachers, no diagnosis yet, no route yet)."""
    return await audience(uow, admin, replace(draft, audience=draft.audience.toggled(what)))


async def municipalities(uow: UnitOfWork, admin: Admin) -> Sequence[Municipality] | Denied:
    """The municipalities of the admin's region a broadcast can be limited to."""
    if not admin.allowed:
        return DENIED
    places = await DirectoryRepo(uow.session).municipalities(admin.region)
    if admin.municipality is not None:
        places = [p for p in places if p.id == admin.municipality]
    return places[:MUNICIPALITIES_SHOWN]


async def choose_municipality(
    uow: UnitOfWork, admin: Admin, draft: Draft, municipality_id: int
) -> AudienceView | Stale | Denied:
    """Limit the audience to one municipality of the admin's region (0: any municipality)."""
    if not admin.allowed:
        return DENIED
    if municipality_id:
        place = await DirectoryRepo(uow.session).municipality(municipality_id)
        if place is None or place.region_code != admin.region:
            return STALE
        if admin.municipality is not None and place.id != admin.municipality:
            return STALE
    ids = (municipality_id,) if municipality_id else ()
    return await audience(uow, admin, replace(draft, audience=replace(draft.audience, municipality_ids=ids)))


async def choose_subject(
    uow: UnitOfWork, admin: Admin, draft: Draft, subject: str
) -> AudienceView | Stale | Denied:
    """Limit the audience to the teachers of one subject ("": any subject)."""
    if not admin.allowed:
        return DENIED
    if subject and subject not in SUBJECTS:
        return STALE
    subjects = (subject,) if subject else ()
    return await audience(uow, admin, replace(draft, audience=replace(draft.audience, subjects=subjects)))


async def preview(uow: UnitOfWork, admin: Admin, draft: Draft, pace: Pace) -> Preview | Denied:
    """The message as it will go out, how many it reaches, and how long (and, paid, how many
    Stars) that takes at the deployment's pace."""
    view = await audience(uow, admin, draft)
    if isinstance(view, Denied):
        return view
    on_max = 0
    if pace.max_rate:
        ids = await store.audience_user_ids(
            uow.session, _scoped(admin, draft).audience.to_dict(), admin.region, uow.now().date()
        )
        on_max = await store.count_on_messenger(uow.session, ids, "max")
    return Preview(draft.as_broadcast(), view.count, estimate(view.count, pace, on_max))


# --- sending and scheduling ----------------------------------------------------------------------------


async def send_now(uow: UnitOfWork, admin: Admin, draft: Draft) -> Queued | Denied:
    """Queue the draft for the sender, at once."""
    if not admin.allowed:
        return DENIED
    broadcast = await _create(uow, admin, draft, send_at=None)
    await _audited(uow, admin, "broadcast.send", broadcast)
    log.info("broadcast queued", extra={"user_id": admin.user.id, "broadcast_id": broadcast.id})
    return Queued(broadcast)


async def schedule_timezone(uow: UnitOfWork, admin: Admin, rules: RegionRules) -> str | Denied:
    """The time zone the admin types the time of a scheduled broadcast in: their region's.

    ``rules`` are the speaker's region's (the update's); an admin without a region schedules in
    the home region's time zone."""
    if not admin.allowed:
        return DENIED
    return await _timezone(uow, admin, rules)


async def schedule(
    uow: UnitOfWork, admin: Admin, rules: RegionRules, draft: Draft, typed: str
) -> Scheduled | Invalid | Denied:
    """Schedule the draft for «ДД.ММ.ГГГГ ЧЧ:ММ» in the region's time zone, which must be ahead."""
    if not admin.allowed:
        return DENIED
    tz = await _timezone(uow, admin, rules)
    try:
        when = datetime.strptime(typed.strip(), TIME_FORMAT).replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        return Invalid("broadcast-bad-time", {"tz": tz})
    if when <= uow.now():
        return Invalid("broadcast-time-past", {"tz": tz})
    broadcast = await _create(uow, admin, draft, send_at=when)
    await _audited(uow, admin, "broadcast.create", broadcast)
    return Scheduled(broadcast, when, tz)


async def _audited(uow: UnitOfWork, admin: Admin, action: str, broadcast: Broadcast) -> None:
    """Write ``action`` on ``broadcast`` to the audit log, by the admin, now; and commit."""
    await audit(
        uow.session,
        admin.user.id,
        action,
        target_type="broadcast",
        target_id=broadcast.id,
        at=uow.now(),
    )
    await uow.commit()


async def _timezone(uow: UnitOfWork, admin: Admin, rules: RegionRules) -> str:
    if rules.code == admin.region:
        return rules.timezone
    return (await region_rules(uow, admin.region, rules.timezone)).timezone


async def _create(uow: UnitOfWork, admin: Admin, draft: Draft, *, send_at: datetime | None) -> Broadcast:
    return await store.create_broadcast(
        uow.session,
        created_by=admin.user.id,
        region_code=admin.region,
        text=draft.text,
        audience=_scoped(admin, draft).audience.to_dict(),
        send_at=send_at,
        button_text=draft.button_text,
        button_url=draft.button_url,
        media_kind=draft.media_kind,
        media_file_id=draft.media_file_id,
    )


# --- the list ------------------------------------------------------------------------------------------


async def recent(uow: UnitOfWork, admin: Admin) -> list[Listed] | Denied:
    """The latest broadcasts, newest first, with their deliveries so far."""
    if not admin.allowed:
        return DENIED
    return [
        Listed(b, await store.delivery_counts(uow.session, b.id), b.status in ACTIVE)
        for b in await store.recent_broadcasts(uow.session)
    ]


async def stop(uow: UnitOfWork, admin: Admin, broadcast_id: int) -> Stopped | Stale | Denied:
    """Stop a scheduled or sending broadcast; what is not sent yet stays unsent."""
    if not admin.allowed:
        return DENIED
    broadcast = await store.cancel_broadcast(uow.session, broadcast_id, uow.now())
    if broadcast is None:
        return STALE
    await _audited(uow, admin, "broadcast.cancel", broadcast)
    log.info("broadcast cancelled", extra={"user_id": admin.user.id, "broadcast_id": broadcast.id})
    return Stopped(broadcast)


# --- the sender's decisions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    broadcast_id: int
    to_start: bool  # scheduled and its time has come: its deliveries are not written yet


@dataclass(frozen=True, slots=True)
class Started:
    broadcast: Broadcast
    recipients: int
    creator: User | None  # the admin to show the progress to; None if gone or blocked


@dataclass(frozen=True, slots=True)
class Chunk:
    broadcast: Broadcast
    rows: Sequence[BroadcastDelivery]
    until: datetime | None = None  # the lease's end: the rows are this sender's until then


@dataclass(frozen=True, slots=True)
class Progress:
    deliveries: Mapping[str, int]  # by status, every status present
    finished: bool  # nothing pending: the broadcast is done now

    @property
    def total(self) -> int:
        return sum(self.deliveries.values())


def backoff(attempts: int) -> timedelta:
    """Delay before retrying after the ``attempts``-th network or server error: 10 s, 20 s, 40 s…"""
    return timedelta(seconds=min(600, 5 * 2**attempts))


async def due(uow: UnitOfWork) -> list[Due]:
    """Broadcasts being sent, and scheduled ones whose time has come, oldest first."""
    return [
        Due(b.id, b.status == BroadcastStatus.SCHEDULED)
        for b in await store.due_broadcasts(uow.session, uow.now())
    ]


async def start(uow: UnitOfWork, broadcast_id: int) -> Started | None:
    """Write a delivery per recipient and mark the broadcast "sending", in one transaction.

    With several senders only the one whose conditional update wins does it; the others get None."""
    if not await store.claim_status(
        uow.session, broadcast_id, BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING
    ):
        await uow.rollback()
        return None
    broadcast = await uow.session.get(Broadcast, broadcast_id, populate_existing=True)
    assert broadcast is not None  # it was just updated in this transaction
    total = await store.write_deliveries(uow.session, broadcast, uow.now().date())
    await uow.commit()
    await uow.session.refresh(broadcast)
    log.info("broadcast started", extra={"broadcast_id": broadcast.id, "recipients": total})
    creator = await creator_of(uow, broadcast)
    if creator is not None and creator.blocked_at is not None:
        creator = None
    return Started(broadcast, total, creator)


async def creator_of(uow: UnitOfWork, broadcast: Broadcast) -> User | None:
    """The admin who made the broadcast (None for an event's automatic announcement or one gone)."""
    return await uow.session.get(User, broadcast.created_by) if broadcast.created_by else None


async def progress_message(
    uow: UnitOfWork, broadcast: Broadcast, chat_id: int, message_id: int, ref: str | None = None
) -> None:
    """Remember the admin's live progress message, to edit it as deliveries go out; ``ref`` names
    it as its messenger does (its messenger and its id there), for any process to edit."""
    broadcast.progress_chat_id, broadcast.progress_message_id = chat_id, message_id
    broadcast.progress_message_ref = ref
    await uow.commit()


async def lease(
    uow: UnitOfWork,
    broadcast_id: int,
    *,
    limit: int,
    lease_seconds: float,
    messenger: str | None = None,
) -> Chunk | None:
    """Up to ``limit`` pending deliveries nobody holds (of people on ``messenger``, if given), held
    for ``lease_seconds`` (they come back if the sender dies); None if the broadcast is no longer
    being sent (stopped meanwhile).

    The lease's end (``Chunk.until``) is also its mark: a row leased again gets a later end, so a
    sender can tell whether a row is still its own (``renew``, ``record``)."""
    broadcast = await uow.session.get(Broadcast, broadcast_id)
    if broadcast is None or broadcast.status != BroadcastStatus.SENDING:
        return None
    now = uow.now()
    rows = await store.lease_pending(
        uow.session, broadcast_id, now, limit=limit, lease_seconds=lease_seconds, messenger=messenger
    )
    await uow.commit()
    return Chunk(broadcast, rows, now + timedelta(seconds=lease_seconds))


async def renew(
    uow: UnitOfWork, held: Mapping[int, datetime], *, lease_seconds: float
) -> dict[int, datetime]:
    """Extend the leases of the deliveries a sender holds (``held``: delivery id → the lease's end
    it knows), in one commit; the new end of each renewed one.

    A row is renewed only if it is still pending and its lease is the one the sender knows —
    even if that lease ran out meanwhile, as long as nobody leased the row again. A row missing
    from the answer is no longer this sender's: it must not be sent."""
    until = uow.now() + timedelta(seconds=lease_seconds)
    renewed = await store.renew_leases(uow.session, held, until)
    await uow.commit()
    return {delivery_id: until for delivery_id in renewed}


@dataclass(frozen=True, slots=True)
class Recipient:
    """A leased delivery, with what the sender needs to send it (plain values: the sender's
    requests outlive the session that leased it)."""

    delivery_id: int
    chat_id: int
    locale: str
    messenger: str = "telegram"  # whose bot sends it (``User.reach``: where they last wrote from)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the messenger did with one delivery: ``sent``, ``blocked`` (the person blocked the
    bot), ``failed`` (refused: never retried), ``retry`` (a network or server error) or
    ``retry_after`` (Telegram kept asking to wait)."""

    delivery_id: int
    status: str
    reason: str = ""
    lease: datetime | None = None  # the end of the sender's lease of the row, as it knows it


async def recipients(uow: UnitOfWork, rows: Sequence[BroadcastDelivery]) -> tuple[list[Recipient], int]:
    """Who the leased ``rows`` go to, in one query; rows of people gone or who blocked the bot
    since the deliveries were written are closed unsent (how many: the second value)."""
    users = await store.users_by_id(uow.session, {row.user_id for row in rows})
    ready: list[Recipient] = []
    closed = 0
    for row in rows:
        user = users.get(row.user_id)
        if user is None or user.blocked_at is not None:
            row.status, row.error = DeliveryStatus.BLOCKED, "blocked before sending"
            closed += 1
        else:
            reach = user.reach  # one delivery a person: to the account they last wrote from
            ready.append(Recipient(row.id, reach.external_id, user.locale, reach.messenger))
    if closed:
        await uow.commit()
    return ready, closed


async def record(uow: UnitOfWork, outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Mark a batch of deliveries as the messenger answered them, in one commit; the outcomes
    counted (a ``retry`` past ``RETRY_LIMIT`` attempts counts as ``failed``).

    A person who blocked the bot is marked so (later broadcasts skip them); a network or server
    error is retried after ``backoff``; ``retry_after``, ``expired`` and ``released`` hand the row
    back for the next round.

    Idempotent, and harmless from a sender whose lease ran out: a row already closed stays as it
    is, and what only reschedules a row (``retry``, ``retry_after``, ``expired``) applies only
    while the row's lease is still the sender's (``Outcome.lease``) — never to a row another
    sender leased meanwhile and may be sending."""
    rows = await store.deliveries_by_id(uow.session, [o.delivery_id for o in outcomes], lock=True)
    counts: dict[str, int] = {}
    now = uow.now()
    for outcome in outcomes:
        row = rows.get(outcome.delivery_id)
        if row is None or row.status != DeliveryStatus.PENDING:
            twice = row is not None and row.status == outcome.status == DeliveryStatus.SENT
            if twice:
                log.warning("delivery sent twice", extra={"delivery_id": outcome.delivery_id})
            continue  # closed meanwhile (another sender after a lease ran out)
        status = outcome.status
        rescheduling = status in ("retry", "retry_after", "expired", "released")
        if rescheduling and outcome.lease is not None and row.locked_until != outcome.lease:
            continue  # leased again by another sender: its lease, not ours
        if status == DeliveryStatus.SENT:
            row.status, row.sent_at = DeliveryStatus.SENT, now
        elif status == DeliveryStatus.BLOCKED:
            row.status, row.error = DeliveryStatus.BLOCKED, "blocked by the user"
            user = await uow.session.get(User, row.user_id)
            if user is not None:
                user.blocked_at = now
        elif status == "retry":
            row.attempts += 1
            if row.attempts >= RETRY_LIMIT:
                row.status, row.error, status = DeliveryStatus.FAILED, outcome.reason[:300], "failed"
            else:
                row.locked_until = now + backoff(row.attempts)
        elif status in ("retry_after", "expired", "released"):
            row.locked_until = None
        else:
            row.status, row.error, status = DeliveryStatus.FAILED, outcome.reason[:300], "failed"
        counts[status] = counts.get(status, 0) + 1
    await uow.commit()
    return counts


async def progress(uow: UnitOfWork, broadcast: Broadcast) -> Progress | None:
    """The deliveries so far; when none is pending any more the broadcast is marked done here.

    None if it was stopped meanwhile or another sender finished it (that one reports). The
    sender's ``broadcast`` may come from the session that leased its rows: this one's copy is
    the one marked done."""
    if broadcast not in uow.session:
        current = await uow.session.get(Broadcast, broadcast.id)
        if current is None:
            return None
        broadcast = current
    tally = await store.delivery_counts(uow.session, broadcast.id)
    finished = tally[DeliveryStatus.PENDING] == 0
    if finished:
        claimed = await store.claim_status(
            uow.session, broadcast.id, BroadcastStatus.SENDING, BroadcastStatus.DONE, finished_at=uow.now()
        )
        if not claimed:
            await uow.rollback()
            return None
        await uow.commit()
        await uow.session.refresh(broadcast)
        log.info("broadcast done", extra={"broadcast_id": broadcast.id, **tally})
    return Progress(tally, finished)
