"""Where conversations live so they survive a restart: the project's database by default, Redis
(shared by all workers) when configured."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any, cast

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import Table, and_, bindparam, delete, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from storage.models import FsmRecord, utcnow

REDIS_PREFIX = "efs"
# Where conversations live, as services name it (they import no aiogram): /mydata and /forget
# reach the records kept in Redis through it.
ConversationStore = BaseStorage


# The session of the update being handled (bound by the dispatcher's unit of work): conversation
# state is read and written in the update's own transaction.
_update_session: ContextVar[AsyncSession | None] = ContextVar("efs_update_session", default=None)

_TABLE = cast(Table, FsmRecord.__table__)
# Built once: the compiled form is cached, and Core on the session's connection skips the ORM.
_READ = select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.key == bindparam("key"))
_INSERT = insert(_TABLE)
_UPDATE = (
    update(_TABLE)
    .where(_TABLE.c.key == bindparam("the_key"))
    .values(state=bindparam("state"), data=bindparam("data"), updated_at=bindparam("updated_at"))
)
_DELETE = delete(_TABLE).where(_TABLE.c.key == bindparam("key"))

_LOADED = "efs_fsm_loaded"  # key -> (state, data) as stored, per session
_PENDING = "efs_fsm_pending"  # key -> (telegram id, state, data) to store at the next commit


@contextlib.contextmanager
def bind_update_session(session: AsyncSession) -> Iterator[None]:
    """Conversation state read and written by the code inside goes through ``session``: reads in
    its transaction, writes with its next commit (whoever commits: a handler or the unit of work)."""
    token = _update_session.set(session)
    try:
        yield
    finally:
        _update_session.reset(token)


def has_staged_states(session: AsyncSession) -> bool:
    """Conversation changes wait for this session's next commit."""
    return bool(session.info.get(_PENDING))


def current_update_session() -> AsyncSession | None:
    """The session of the update being handled in this task, if any."""
    return _update_session.get()


# aiogram takes a bot's id from its token; MAX's bot (``bot.max.bot.MaxBot``) has this one, which
# no Telegram bot has. Conversations of the bots named here are kept under the messenger's name.
MAX_BOT_ID = 1
NAMED_BOTS: Mapping[int, str] = {MAX_BOT_ID: "max"}
NAMED_MESSENGERS = tuple(NAMED_BOTS.values())


class MessengerKeys(DefaultKeyBuilder):
    """Keys of conversations in the database: Telegram's as they always were
    (``fsm:<chat>:<user>:<destiny>``), another messenger's under its name (``fsm:max:…``), so that
    the same number on two messengers is two conversations. ``messengers`` names the bots (by
    aiogram's bot id) that are not Telegram's."""

    def __init__(self, messengers: Mapping[int, str] = NAMED_BOTS) -> None:
        super().__init__(with_destiny=True)
        self.messengers = dict(messengers)

    def build(self, key: StorageKey, part: Any = None) -> str:
        built = super().build(key, part)
        messenger = self.messengers.get(key.bot_id)
        if messenger is None:
            return built
        head = f"{self.prefix}{self.separator}"
        return f"{head}{messenger}{self.separator}{built.removeprefix(head)}"


def _of_messenger(telegram_id: int, messenger: str) -> Any:
    """The conversation records of the account ``telegram_id`` on ``messenger``."""
    mine = FsmRecord.telegram_id == telegram_id
    if messenger == "telegram":
        return and_(mine, *(~FsmRecord.key.like(f"fsm:{named}:%") for named in NAMED_MESSENGERS))
    return and_(mine, FsmRecord.key.like(f"fsm:{messenger}:%"))


class SqlStorage(BaseStorage):
    """aiogram's FSM storage in the project's database.

    Inside an update it uses the update's session: no second connection, no second transaction
    that could wait for the first one's write lock, and the state changes commit together with what
    the handler did (or not at all when it fails). Outside an update (a test, a tool) it opens a
    short session of its own per call."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], key_builder: KeyBuilder | None = None
    ) -> None:
        self._sessionmaker = sessionmaker
        self._keys = key_builder or MessengerKeys()

    async def _read(self, session: AsyncSession, built: str) -> tuple[str | None, dict[str, Any]]:
        pending: dict[str, tuple[int, str | None, dict[str, Any]]] = session.info.get(_PENDING, {})
        if built in pending:
            _user, state, data = pending[built]
            return state, data
        loaded: dict[str, tuple[str | None, dict[str, Any]] | None] = session.info.setdefault(_LOADED, {})
        if built not in loaded:
            # On the session's connection, as Core: no autoflush of the handler's writes, no ORM;
            # one hop into SQLAlchemy's sync world for both.
            loaded[built] = await session.run_sync(_read_record, built)
        stored = loaded[built]
        return (stored[0], dict(stored[1])) if stored is not None else (None, {})

    async def _put(self, key: StorageKey, **values: Any) -> None:
        built = self._keys.build(key)
        session = _update_session.get()
        if session is None:
            async with self._sessionmaker() as own:
                await self._stage(own, key, built, values)
                await own.commit()
            return
        await self._stage(session, key, built, values)

    async def _stage(
        self, session: AsyncSession, key: StorageKey, built: str, values: dict[str, Any]
    ) -> None:
        state, data = await self._read(session, built)
        state = values.get("state", state)
        data = dict(values.get("data", data))
        session.info.setdefault(_PENDING, {})[built] = (key.user_id, state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._put(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._get(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._put(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return (await self._get(key))[1]

    async def _get(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        built = self._keys.build(key)
        session = _update_session.get()
        if session is not None:
            return await self._read(session, built)
        async with self._sessionmaker() as own:
            return await self._read(own, built)

    async def close(self) -> None:
        return None


def _read_record(session: Session, built: str) -> tuple[str | None, dict[str, Any]] | None:
    row = session.connection().execute(_READ, {"key": built}).one_or_none()
    return (row.state, dict(row.data or {})) if row is not None else None


@event.listens_for(Session, "before_commit")
def _store_pending_states(session: Session) -> None:
    """Write the conversation changes staged in this session, in its transaction, skipping those
    that change nothing (most updates set the state they already had)."""
    pending: dict[str, tuple[int, str | None, dict[str, Any]]] = session.info.pop(_PENDING, {})
    loaded: dict[str, tuple[str | None, dict[str, Any]] | None] = session.info.setdefault(_LOADED, {})
    for built, (telegram_id, state, data) in pending.items():
        stored = loaded.get(built)
        if stored == (state, data) or (stored is None and state is None and not data):
            continue
        values = {"state": state, "data": data, "updated_at": utcnow()}
        if state is None and not data:
            session.connection().execute(_DELETE, {"key": built})
        elif stored is None:
            session.connection().execute(_INSERT, {**values, "key": built, "telegram_id": telegram_id})
        else:
            session.connection().execute(_UPDATE, {**values, "the_key": built})
        loaded[built] = (state, data) if state is not None or data else None


@event.listens_for(Session, "after_rollback")
def _drop_staged_states(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_LOADED, None)


async def forget_user_states(session: AsyncSession, telegram_id: int, messenger: str = "telegram") -> None:
    await session.execute(delete(FsmRecord).where(_of_messenger(telegram_id, messenger)))


async def user_states(
    session: AsyncSession, telegram_id: int, messenger: str = "telegram"
) -> list[FsmRecord]:
    result = await session.scalars(select(FsmRecord).where(_of_messenger(telegram_id, messenger)))
    return list(result)


def redis_storage(url: str, *, prefix: str = REDIS_PREFIX) -> RedisStorage:
    """aiogram's RedisStorage with keys ``<prefix>:<bot id>:<chat id>:<user id>:<destiny>:<part>``
    (part: state, data, or the lock of its event isolation). The bot id keeps two bots on one
    Redis apart."""
    keys = DefaultKeyBuilder(prefix=prefix, with_bot_id=True, with_destiny=True)
    # Timeouts, so that a Redis that hangs fails an update (and /healthz) instead of stalling it.
    timeouts = {"socket_timeout": 5.0, "socket_connect_timeout": 5.0, "health_check_interval": 30}
    return RedisStorage.from_url(url, key_builder=keys, connection_kwargs=timeouts)


def _key_builder(storage: RedisStorage) -> DefaultKeyBuilder:
    keys = storage.key_builder
    assert isinstance(keys, DefaultKeyBuilder) and keys.with_destiny, "keys as redis_storage builds them"
    return keys


async def _redis_user_keys(
    storage: RedisStorage, telegram_id: int, messenger: str = "telegram"
) -> list[tuple[str, str]]:
    """(key, part) of the account's state and data in every chat and destiny, of its messenger's
    bot only (the same number on another messenger is someone else). Locks are left out: the
    update asking holds one, and locks expire by themselves."""
    keys = _key_builder(storage)
    sep, user = keys.separator, str(telegram_id)
    pattern = f"{_glob_escape(keys.prefix)}{sep}*{sep}{user}{sep}*"
    found: list[tuple[str, str]] = []
    async for raw in storage.redis.scan_iter(match=pattern, count=1000):
        key = raw.decode() if isinstance(raw, bytes) else raw
        *_, bot_id, _chat, user_id, _destiny, part = key.split(sep)
        theirs = NAMED_BOTS.get(int(bot_id), "telegram") == messenger if bot_id.isdigit() else False
        if user_id == user and part in ("state", "data") and theirs:
            found.append((key, part))
    return found


async def forget_redis_states(storage: BaseStorage, telegram_id: int, messenger: str = "telegram") -> None:
    """Delete the person's state and data in every chat and destiny when they live in Redis.
    (The database's own records go in ``UserRepo.forget``, in its transaction.)"""
    if not isinstance(storage, RedisStorage):
        return
    doomed = [key for key, _part in await _redis_user_keys(storage, telegram_id, messenger)]
    if doomed:
        await storage.redis.delete(*doomed)


async def redis_user_states(
    storage: BaseStorage, telegram_id: int, messenger: str = "telegram"
) -> list[dict[str, Any]]:
    """The person's conversation records in Redis, for /mydata (empty with the database storage,
    whose records ``UserRepo.export`` reads itself)."""
    if not isinstance(storage, RedisStorage):
        return []
    records: dict[str, dict[str, Any]] = {}
    for key, part in await _redis_user_keys(storage, telegram_id, messenger):
        raw = await storage.redis.get(key)
        if raw is None:
            continue
        text = raw.decode() if isinstance(raw, bytes) else str(raw)
        where = key.rsplit(_key_builder(storage).separator, 1)[0]  # the key without :state / :data
        record = records.setdefault(where, {"state": None, "data": {}})
        record[part] = json.loads(text) if part == "data" else text
    return list(records.values())


def _glob_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)
