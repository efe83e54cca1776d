"""The audit log: who did what, when. Written in the same transaction as the action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def audit(
    session: AsyncSession,
    actor_id: int | None,
    action: str,
    *,
    target_type: str | None = None,
    target_id: int | None = None,
    at: datetime | None = None,
    **details: Any,
) -> None:
    """Record an action (``action`` is a short code such as ``invite.create``); the caller commits."""
    entry = AuditEntry(
        actor_id=actor_id, action=action, target_type=target_type, target_id=target_id, details=details
    )
    if at is not None:
        entry.at = at
    session.add(entry)


async def recent(session: AsyncSession, *, limit: int = 20, offset: int = 0) -> Sequence[AuditEntry]:
    result = await session.scalars(
        select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    )
    return list(result)
