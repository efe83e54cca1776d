"""aiogram FSM storage over the project's database, so a conversation survives a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import FsmRecord


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
