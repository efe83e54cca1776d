"""The outbox: rows for every message to be sent later, written with the change that causes them.

A sender takes due rows by leasing them (``locked_until``), sends each, and marks it sent in its
own commit straight after Telegram accepts it. A row leased by a sender that died becomes due
again when its lease runs out. On PostgreSQL the lease is taken with ``FOR UPDATE SKIP LOCKED``, so
senders in several workers never take the same row; a sender that stops gracefully hands back
what it leased but did not send (``release``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reminders import OutboxStatus
from storage.locks import lease
from storage.models import OutboxMessage, User


class Outbox:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schedule(
        self,
        user_id: int,
        kind: str,
        key: str,
        due_at: datetime,
        *,
        ref_type: str | None = None,
        ref_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> OutboxMessage:
        """Queue a message once: the same ``key`` again only moves a pending row's due time."""
        row = await self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        if row is None:
            row = OutboxMessage(
                user_id=user_id,
                kind=kind,
                key=key,
                due_at=due_at,
                ref_type=ref_type,
                ref_id=ref_id,
                payload=payload or {},
            )
            self.session.add(row)
        elif row.status == OutboxStatus.PENDING:
            row.due_at = due_at
        await self.session.flush()
        return row

    async def latest_to(self, user_id: int, ref_type: str, ref_id: int) -> OutboxMessage | None:
        """The newest message to ``user_id`` about ``(ref_type, ref_id)``: how a hand-off fared."""
        return await self.session.scalar(
            select(OutboxMessage)
            .where(
                OutboxMessage.user_id == user_id,
                OutboxMessage.ref_type == ref_type,
                OutboxMessage.ref_id == ref_id,
            )
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )

    async def cancel_pending(self, ref_type: str, ref_id: int, kinds: Sequence[str] | None = None) -> None:
        query = update(OutboxMessage).where(
            OutboxMessage.ref_type == ref_type,
            OutboxMessage.ref_id == ref_id,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        if kinds is not None:
            query = query.where(OutboxMessage.kind.in_(kinds))
        await self.session.execute(query.values(status=OutboxStatus.CANCELLED, error="superseded"))

    async def lease_due(self, now: datetime, *, limit: int, lease_seconds: int) -> list[OutboxMessage]:
        """Take up to ``limit`` due rows for ``lease_seconds``; the caller commits."""
        due = (
            select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return await lease(
            self.session, due, OutboxMessage.locked_until, now, limit=limit, lease_seconds=lease_seconds
        )

    def release(self, rows: Sequence[OutboxMessage]) -> None:
        """Hand back leased rows that were not sent, for any sender to take at once; the caller commits."""
        for row in rows:
            if row.status == OutboxStatus.PENDING:
                row.locked_until = None

    async def of_user(self, user_id: int) -> Sequence[OutboxMessage]:
        result = await self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.user_id == user_id).order_by(OutboxMessage.id)
        )
        return list(result)

    async def get(self, row_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, row_id)

    async def not_reminded_since_seen(
        self, kind: str, region_code: str | None, *, seen_before: datetime
    ) -> Sequence[User]:
        """People of a region (``None``: of none) last seen before ``seen_before`` who have no
        ``kind`` row due after they were last seen."""
        reminded = exists().where(  # by the indexed user_id: one look-up per person
            OutboxMessage.user_id == User.id,
            OutboxMessage.kind == kind,
            OutboxMessage.due_at > User.last_seen_at,
        )
        in_region = User.region_code == region_code if region_code else User.region_code.is_(None)
        result = await self.session.scalars(
            select(User).where(in_region, User.last_seen_at < seen_before, ~reminded)
        )
        return list(result)
