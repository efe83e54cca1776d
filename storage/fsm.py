"""Where conversations live so they survive a restart: the project's database by default, Redis
(shared by all workers) when configured."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import FsmRecord

REDIS_PREFIX = "efs"


class SqlStorage(BaseStorage):
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], key_builder: KeyBuilder | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)

    async def _get(self, key: StorageKey) -> FsmRecord | None:
        async with self._sessionmaker() as session:
            return await session.get(FsmRecord, self._keys.build(key))

    async def _put(self, key: StorageKey, **values: Any) -> None:
        built = self._keys.build(key)
        async with self._sessionmaker() as session:
            record = await session.get(FsmRecord, built)
            if record is None:
                record = FsmRecord(key=built, telegram_id=key.user_id, state=None, data={})
            for name, value in values.items():
                setattr(record, name, value)
            empty = record.state is None and not record.data
            if empty and record in session:
                await session.delete(record)  # nothing left to remember
            elif not empty:
                session.add(record)
            await session.commit()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._put(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        record = await self._get(key)
        return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._put(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = await self._get(key)
        return dict(record.data) if record else {}

    async def close(self) -> None:
        return None


async def forget_user_states(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(FsmRecord).where(FsmRecord.telegram_id == telegram_id))


async def user_states(session: AsyncSession, telegram_id: int) -> list[FsmRecord]:
    result = await session.scalars(select(FsmRecord).where(FsmRecord.telegram_id == telegram_id))
    return list(result)


def redis_storage(url: str, *, prefix: str = REDIS_PREFIX) -> RedisStorage:
    """aiogram's RedisStorage with keys ``<prefix>:<bot id>:<chat id>:<user id>:<destiny>:<part>``
    (part: state, data, or the lock of its event isolation). The bot id keeps two bots on one
    Redis apart."""
    keys = DefaultKeyBuilder(prefix=prefix, with_bot_id=True, with_destiny=True)
    # Timeouts, so that a Redis that hangs fails an update (and /healthz) instead of stalling it.
    timeouts = {"socket_timeout": 5.0, "socket_connect_timeout": 5.0, "health_check_interval": 30}
    return RedisStorage.from_url(url, key_builder=keys, connection_kwargs=timeouts)


async def _redis_user_keys(storage: RedisStorage, telegram_id: int) -> list[tuple[str, str]]:
    """(key, part) of the person's state and data in every chat and destiny. Locks are left out:
    the update asking holds one, and locks expire by themselves."""
    keys = storage.key_builder
    assert isinstance(keys, DefaultKeyBuilder) and keys.with_destiny, "keys as redis_storage builds them"
    sep, user = keys.separator, str(telegram_id)
    pattern = f"{_glob_escape(keys.prefix)}{sep}*{sep}{user}{sep}*"
    found: list[tuple[str, str]] = []
    async for raw in storage.redis.scan_iter(match=pattern, count=1000):
        key = raw.decode() if isinstance(raw, bytes) else raw
        *_, user_id, _destiny, part = key.split(sep)
        if user_id == user and part in ("state", "data"):
            found.append((key, part))
    return found


async def forget_redis_states(storage: BaseStorage, telegram_id: int) -> None:
    """Delete the person's state and data in every chat and destiny when they live in Redis.
    (The database's own records go in ``UserRepo.forget``, in its transaction.)"""
    if not isinstance(storage, RedisStorage):
        return
    doomed = [key for key, _part in await _redis_user_keys(storage, telegram_id)]
    if doomed:
        await storage.redis.delete(*doomed)


async def redis_user_states(storage: BaseStorage, telegram_id: int) -> list[dict[str, Any]]:
    """The person's conversation records in Redis, for /mydata (empty with the database storage,
    whose records ``UserRepo.export`` reads itself)."""
    if not isinstance(storage, RedisStorage):
        return []
    records: dict[str, dict[str, Any]] = {}
    for key, part in await _redis_user_keys(storage, telegram_id):
        raw = await storage.redis.get(key)
        if raw is None:
            continue
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        where = key.rsplit(storage.key_builder.separator, 1)[0]  # the key without :state / :data
        record = records.setdefault(where, {"state": None, "data": {}})
        record[part] = json.loads(text) if part == "data" else text
    return list(records.values())


def _glob_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)
