"""Broadcasts and their deliveries: who receives one, and the rows the sender works through."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Insert, and_, exists, func, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audience import ACTIVE, Audience, BroadcastStatus, DeliveryStatus, MediaKind
from domain.diagnosis import Status as DiagnosisStatus
from domain.profile import YoungTeacherRule
from domain.roles import Role
from storage.locks import lease
from storage.models import Broadcast, BroadcastDelivery, Diagnosis, Event, EventResponse, Route, User
from storage.repositories import DirectoryRepo


async def create_broadcast(
    session: AsyncSession,
    *,
    created_by: int | None,
    region_code: str | None,
    text: str,
    audience: dict[str, Any],
    event_id: int | None = None,
    send_at: datetime | None = None,
    button_text: str | None = None,
    button_url: str | None = None,
    media_kind: str | None = None,
    media_file_id: str | None = None,
) -> Broadcast:
    """Queue a broadcast (``send_at`` None: as soon as the sender runs). The caller commits.

    ``text`` is HTML as Telegram accepts it; ``audience`` is validated here (``AudienceError``).
    With ``event_id`` the message carries the «Пойду» / «Не смогу» buttons of that event.
    """
    if media_kind not in (None, *MediaKind) or (media_kind is None) != (media_file_id is None):
        raise ValueError("media_kind is photo or document, and comes with media_file_id")
    if (button_text is None) != (button_url is None):
        raise ValueError("a link button needs both a text and a URL")
    broadcast = Broadcast(
        created_by=created_by,
        region_code=region_code,
        text=text,
        audience=Audience.from_dict(audience).to_dict(),
        event_id=event_id,
        send_at=send_at,
        button_text=button_text,
        button_url=button_url,
        media_kind=media_kind,
        media_file_id=media_file_id,
        status=BroadcastStatus.SCHEDULED,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast


async def audience_user_ids(
    session: AsyncSession, audience: dict[str, Any], region_code: str | None, today: date
) -> list[int]:
    """Ids of the people a broadcast reaches: consented, profile completed, not blocked, filtered.

    ``region_code`` is the broadcast's region (None: every region) unless the audience names one.
    """
    a = Audience.from_dict(audience)
    query = select(User.id, User.region_code, User.subjects, User.birth_date, User.work_start_year).where(
        User.profile_completed_at.is_not(None), User.blocked_at.is_(None)
    )
    region = a.region or region_code
    event_subjects: set[str] = set()
    if a.event_invite is not None:
        event = await session.get(Event, a.event_invite)
        if event is None:
            return []
        region = event.region_code or region
        event_subjects = set(event.subjects or [])
    if region:
        query = query.where(User.region_code == region)
    if a.roles:
        # «Педагоги» are those who teach (staff who also chose «Я тоже педагог» among them); the
        # other roles are the stored ones.
        staff_roles = [role for role in a.roles if role != Role.TEACHER]
        chosen = [User.role.in_(staff_roles)] if staff_roles else []
        if Role.TEACHER in a.roles:
            chosen.append(User.teaches())
        query = query.where(or_(*chosen))
    if a.teachers_only():
        query = query.where(User.teaches())  # a teacher's filter never reaches staff who do not teach
    if a.municipality_ids:
        query = query.where(User.municipality_id.in_(a.municipality_ids))
    if a.school_ids:
        query = query.where(User.school_id.in_(a.school_ids))
    if a.no_diagnosis:
        query = query.where(
            ~exists().where(
                Diagnosis.user_id == User.id,
                Diagnosis.source == "self",
                Diagnosis.status == DiagnosisStatus.DONE,
            )
        )
    if a.no_route:
        query = query.where(~exists().where(Route.user_id == User.id))
    if a.event_id is not None:
        query = query.where(
            exists().where(
                EventResponse.event_id == a.event_id,
                EventResponse.user_id == User.id,
                EventResponse.going.is_(True),
            )
        )
    wanted = set(a.subjects)
    rules: dict[str | None, YoungTeacherRule] = {}
    ids = []
    # Subjects are a JSON list and the young-teacher rule depends on the region: checked here.
    for user_id, user_region, subjects, birth, start in await session.execute(query.order_by(User.id)):
        mine = set(subjects or [])
        if wanted and not wanted & mine:
            continue
        if event_subjects and not event_subjects & mine:
            continue
        if a.young_only:
            if user_region not in rules:
                rules[user_region] = await _young_rule(session, user_region)
            if not rules[user_region].applies(birth, start, today):
                continue
        ids.append(user_id)
    return ids


async def count_audience(
    session: AsyncSession, audience: dict[str, Any], region_code: str | None, today: date
) -> int:
    return len(await audience_user_ids(session, audience, region_code, today))


async def count_on_messenger(session: AsyncSession, user_ids: Sequence[int], messenger: str) -> int:
    """How many of ``user_ids`` are on ``messenger``."""
    total = 0
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        total += (
            await session.scalar(
                select(func.count()).select_from(User).where(User.id.in_(chunk), User.messenger == messenger)
            )
            or 0
        )
    return total


async def _young_rule(session: AsyncSession, region_code: str | None) -> YoungTeacherRule:
    settings = await DirectoryRepo(session).region_settings(region_code)
    if settings is None:
        return YoungTeacherRule()
    return YoungTeacherRule(
        max_age=settings.thresholds.young_teacher_max_age,
        max_experience_years=settings.thresholds.young_teacher_max_experience_years,
    )


# --- deliveries -------------------------------------------------------------------------------------


async def write_deliveries(session: AsyncSession, broadcast: Broadcast, today: date) -> int:
    """One pending row per recipient; rows already there are kept as they are. The caller commits."""
    user_ids = await audience_user_ids(session, broadcast.audience, broadcast.region_code, today)
    dialect = session.get_bind().dialect.name
    for start in range(0, len(user_ids), 500):
        rows = [
            {"broadcast_id": broadcast.id, "user_id": uid, "status": DeliveryStatus.PENDING, "attempts": 0}
            for uid in user_ids[start : start + 500]
        ]
        statement: Insert
        if dialect == "sqlite":
            statement = sqlite_insert(BroadcastDelivery).on_conflict_do_nothing()
        elif dialect == "postgresql":
            statement = pg_insert(BroadcastDelivery).on_conflict_do_nothing()
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
            statement = insert(BroadcastDelivery).prefix_with("IGNORE")
        await session.execute(statement, rows)
    if dialect == "postgresql" and user_ids:
        # Thousands of rows just written: without statistics on them (autovacuum analyses a minute
        # later or more) the planner leases each chunk with a plan fit for an empty table, about a
        # second a chunk at 5,000 rows — half the rate for the broadcast's first minute. ANALYZE
        # samples them in milliseconds and blocks no reader or writer.
        await session.execute(text("ANALYZE broadcast_deliveries"))
    return len(user_ids)


async def lease_pending(
    session: AsyncSession,
    broadcast_id: int,
    now: datetime,
    *,
    limit: int,
    lease_seconds: float,
    messenger: str | None = None,
) -> Sequence[BroadcastDelivery]:
    """Take up to ``limit`` pending rows nobody holds (of people on ``messenger``, if given); they
    come back when the lease runs out."""
    pending = (
        select(BroadcastDelivery)
        .where(
            BroadcastDelivery.broadcast_id == broadcast_id,
            BroadcastDelivery.status == DeliveryStatus.PENDING,
        )
        .order_by(BroadcastDelivery.id)
    )
    if messenger is not None:
        on_messenger = select(User.id).where(User.messenger == messenger)
        pending = pending.where(BroadcastDelivery.user_id.in_(on_messenger))
    return await lease(
        session, pending, BroadcastDelivery.locked_until, now, limit=limit, lease_seconds=lease_seconds
    )


async def users_by_id(session: AsyncSession, ids: set[int]) -> dict[int, User]:
    """The people of a leased chunk, in one query."""
    if not ids:
        return {}
    return {u.id: u for u in await session.scalars(select(User).where(User.id.in_(ids)))}


async def deliveries_by_id(
    session: AsyncSession, ids: Sequence[int], *, lock: bool = False
) -> dict[int, BroadcastDelivery]:
    """Deliveries by id, to mark a batch of them (``lock``: held until the commit, so that no
    other sender leases one of them between the reading and the marking)."""
    if not ids:
        return {}
    query = select(BroadcastDelivery).where(BroadcastDelivery.id.in_(ids))
    if lock:
        query = query.with_for_update()
    rows = await session.scalars(query.execution_options(populate_existing=True))
    return {row.id: row for row in rows}


async def renew_leases(session: AsyncSession, held: Mapping[int, datetime], until: datetime) -> list[int]:
    """Move the lease of each held row to ``until`` where the row is still pending and its lease
    is the one held (nobody leased it again); the ids renewed. The caller commits."""
    by_lease: dict[datetime, list[int]] = {}
    for delivery_id, lease_end in held.items():
        by_lease.setdefault(lease_end, []).append(delivery_id)
    renewed: list[int] = []
    for lease_end, ids in by_lease.items():
        result = await session.execute(
            update(BroadcastDelivery)
            .where(
                BroadcastDelivery.id.in_(ids),
                BroadcastDelivery.status == DeliveryStatus.PENDING,
                BroadcastDelivery.locked_until == lease_end,
            )
            .values(locked_until=until)
            .returning(BroadcastDelivery.id)
            .execution_options(synchronize_session=False)
        )
        renewed.extend(result.scalars())
    return renewed


async def delivery_counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    """Rows by status, every status present (0 when none)."""
    counts = {status.value: 0 for status in DeliveryStatus}
    result = await session.execute(
        select(BroadcastDelivery.status, func.count())
        .where(BroadcastDelivery.broadcast_id == broadcast_id)
        .group_by(BroadcastDelivery.status)
    )
    for status, count in result:
        counts[status] = count
    return counts


async def claim_status(
    session: AsyncSession, broadcast_id: int, old: str, new: str, **values: object
) -> bool:
    """Move a broadcast from ``old`` to ``new`` unless someone already did; True for the one who did.

    With several workers, exactly one starts a broadcast (and writes its deliveries) and exactly one
    finishes it (and sends the report): the conditional UPDATE waits for a concurrent one to commit
    and then finds the status changed. The caller commits.
    """
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == old)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def due_broadcasts(session: AsyncSession, now: datetime) -> Sequence[Broadcast]:
    """Broadcasts being sent and scheduled ones whose time has come, oldest first."""
    result = await session.scalars(
        select(Broadcast)
        .where(
            or_(
                Broadcast.status == BroadcastStatus.SENDING,
                and_(
                    Broadcast.status == BroadcastStatus.SCHEDULED,
                    or_(Broadcast.send_at.is_(None), Broadcast.send_at <= now),
                ),
            )
        )
        .order_by(Broadcast.id)
    )
    return list(result)


async def recent_broadcasts(session: AsyncSession, *, limit: int = 10) -> Sequence[Broadcast]:
    result = await session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit))
    return list(result)


async def cancel_broadcast(session: AsyncSession, broadcast_id: int, now: datetime) -> Broadcast | None:
    """Stop a scheduled or sending broadcast (rows not yet sent stay pending, never sent). None if it
    cannot be cancelled any more. The caller commits."""
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status.in_(ACTIVE))
        .values(status=BroadcastStatus.CANCELLED, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    broadcast = await session.get(Broadcast, broadcast_id, populate_existing=True)
    return broadcast
