"""Repositories: the queries the handlers need, by name. They never commit; the caller does."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import bindparam, delete, event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from domain.region import RegionSettings
from domain.roles import Role
from storage.fsm import forget_user_states, user_states
from storage.models import (
    AuditEntry,
    Invite,
    LinkedAccount,
    Municipality,
    Region,
    School,
    User,
    utcnow,
)
from storage.personal import rows_about

REGION_SETTINGS_TTL_S = 60.0
# Per database (engine): tests and benches open several in one process.
_REGION_SETTINGS: WeakKeyDictionary[Engine, dict[str, tuple[float, RegionSettings | None]]] = (
    WeakKeyDictionary()
)


def _region_cache(session: AsyncSession) -> dict[str, tuple[float, RegionSettings | None]]:
    bind = session.bind
    engine = getattr(bind, "sync_engine", bind)
    if not isinstance(engine, Engine):
        return {}  # an unbound session: nothing to key a cache by
    return _REGION_SETTINGS.setdefault(engine, {})


def forget_region_settings(session: AsyncSession) -> None:
    """A region's settings change in this session: once it commits, the next read of any region's
    settings goes to the database (until then, others still read what is committed)."""
    session.info[_FORGET_REGIONS] = True


_FORGET_REGIONS = "efs_forget_region_settings"


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    if session.info.pop(_FORGET_REGIONS, False):
        engine = session.bind
        if isinstance(engine, Engine):
            _REGION_SETTINGS.pop(engine, None)


# Run for every update: built once.
_USER_BY_ACCOUNT = select(User).where(
    User.messenger == bindparam("messenger"), User.telegram_id == bindparam("external_id")
)
_USER_BY_LINKED_ACCOUNT = (
    select(User)
    .join(LinkedAccount, LinkedAccount.user_id == User.id)
    .where(
        LinkedAccount.messenger == bindparam("messenger"),
        LinkedAccount.external_id == bindparam("external_id"),
    )
)


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int, messenger: str = "telegram") -> User | None:
        """The person with this account: their id on ``messenger`` (Telegram's unless said), their
        own account or one they linked."""
        account = {"messenger": messenger, "external_id": telegram_id}
        user = await self.session.scalar(_USER_BY_ACCOUNT, account)
        if user is None:  # only someone new or on a linked account gets this far
            user = await self.session.scalar(_USER_BY_LINKED_ACCOUNT, account)
        return user

    async def create(self, telegram_id: int, locale: str, now: datetime, messenger: str = "telegram") -> User:
        user = User(
            messenger=messenger,
            telegram_id=telegram_id,
            locale=locale,
            consent_at=now,
            role=Role.TEACHER,
            subjects=[],
        )
        self.session.add(user)
        await self.session.flush()
        return user

    async def load_places(self, user: User) -> User:
        """Load region, municipality and school names, which only some screens show."""
        await self.session.refresh(user, ["region", "municipality", "school"])
        return user

    async def accounts(self, user: User) -> list[tuple[str, int]]:
        """The person's accounts: their own, then those they linked."""
        linked = await self.session.execute(
            select(LinkedAccount.messenger, LinkedAccount.external_id).where(LinkedAccount.user_id == user.id)
        )
        return [(user.messenger, user.telegram_id), *((m, int(e)) for m, e in linked)]

    async def forget(self, user: User) -> None:
        """Delete the person and everything that refers to them."""
        await self.session.execute(update(Invite).where(Invite.created_by == user.id).values(created_by=None))
        await self.session.execute(delete(Invite).where(Invite.used_by == user.id))
        for messenger, external_id in await self.accounts(user):
            await forget_user_states(self.session, external_id, messenger)
        # The log keeps what was done, not to whom: the person's id goes from its entries.
        await self.session.execute(
            update(AuditEntry)
            .where(AuditEntry.target_type == "user", AuditEntry.target_id == user.id)
            .values(target_id=None)
        )
        await self.session.delete(user)
        await self.session.flush()

    async def export(self, user: User) -> dict[str, Any]:
        """Everything stored about the person, as plain JSON-ready data: their row, the names of
        their places, every row about them (``storage.personal``) and their conversations."""
        await self.load_places(user)
        rows = await rows_about(self.session, user.id)
        states = [
            state
            for messenger, external_id in await self.accounts(user)
            for state in await user_states(self.session, external_id, messenger)
        ]
        return {
            "user": _row(user),
            "region": user.region.name if user.region else None,
            "municipality": user.municipality.name if user.municipality else None,
            "school": user.school.name if user.school else None,
            **rows,
            "conversation_state": [{"state": s.state, "data": s.data} for s in states],
        }

    async def staff(self) -> Sequence[User]:
        result = await self.session.scalars(
            select(User).where(User.role != Role.TEACHER).order_by(User.role, User.full_name)
        )
        return list(result)


def _row(obj: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        values[column.key] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


class DirectoryRepo:
    """Regions, municipalities and schools as loaded from the region configuration."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def regions(self) -> Sequence[Region]:
        return list(await self.session.scalars(select(Region).order_by(Region.code)))

    async def region(self, code: str) -> Region | None:
        return await self.session.get(Region, code)

    async def region_settings(self, code: str | None) -> RegionSettings | None:
        """The region's validated settings, read at most once a minute per database and process
        (``load_region`` in this process forgets them at once; another process's is seen within
        the minute)."""
        if not code:
            return None
        cache = _region_cache(self.session)
        now = time.monotonic()
        cached = cache.get(code)
        if cached is not None and now - cached[0] < REGION_SETTINGS_TTL_S:
            return cached[1]
        config = await self.session.scalar(select(Region.config).where(Region.code == code))
        settings = RegionSettings.model_validate(config) if config is not None else None
        cache[code] = (now, settings)
        return settings

    async def municipalities(self, region_code: str) -> Sequence[Municipality]:
        result = await self.session.scalars(
            select(Municipality).where(Municipality.region_code == region_code).order_by(Municipality.name)
        )
        return list(result)

    async def municipality(self, municipality_id: int) -> Municipality | None:
        return await self.session.get(Municipality, municipality_id)

    async def schools(self, municipality_id: int) -> Sequence[School]:
        result = await self.session.scalars(
            select(School).where(School.municipality_id == municipality_id).order_by(School.name)
        )
        return list(result)

    async def school(self, school_id: int) -> School | None:
        return await self.session.get(School, school_id)

    async def count_regions(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Region)) or 0)


class InviteRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, code: str, role: Role, created_by: int | None, expires_at: datetime) -> Invite:
        invite = Invite(code=code, role=role, created_by=created_by, expires_at=expires_at)
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def redeem(self, code: str, user_id: int, now: datetime) -> Invite | None:
        """Mark the invite used by ``user_id`` if it is still valid; atomic, so single-use."""
        result = await self.session.execute(
            update(Invite)
            .where(Invite.code == code, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_by=user_id, used_at=now)
            .returning(Invite.id)
        )
        invite_id = result.scalar_one_or_none()
        return await self.session.get(Invite, invite_id) if invite_id is not None else None

    async def active(self, now: datetime | None = None) -> Sequence[Invite]:
        moment = now or utcnow()
        result = await self.session.scalars(
            select(Invite)
            .where(Invite.used_at.is_(None), Invite.expires_at > moment)
            .order_by(Invite.created_at.desc())
        )
        return list(result)

    async def revoke(self, invite_id: int) -> bool:
        result = await self.session.execute(
            delete(Invite).where(Invite.id == invite_id, Invite.used_at.is_(None)).returning(Invite.id)
        )
        return result.scalar_one_or_none() is not None
