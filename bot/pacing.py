"""Each messenger's limits for the whole bot, however many workers send: the pacers and the send pool.

Every messenger has its own pacers (Telegram: ``BROADCAST_RATE``, ``OUTBOX_RATE``; MAX:
``MAX_BROADCAST_RATE``, ``MAX_OUTBOX_RATE``), its own 429 pause and, with Redis, its own key: a
429 from Telegram does not hold back MAX, nor the other way round. MAX's two messages a second to
one chat are kept by the MAX session itself (``bot.max.session.ChatPace``).

Without Redis every worker paces itself at its share of the deployment's rates (``WORKERS``
divides them) with ``domain.audience.Pacer``. With ``REDIS_URL`` the pacers of every worker take
their slots from one reservation in Redis (``SharedPacer``): a Lua script, atomic, on Redis's own
clock, keeps the next free slot, the last second's slots, the current rate (stepped down after a
429, climbing back) and the bot's pause — so the limit is the bot's, not each worker's, and a
429 seen by one worker holds back all of them.

``SendPool`` bounds the requests under way at once to the pacer's ``in_flight`` (the rate times the
observed round trip): enough to fill the limit whatever the round trip, never an unbounded crowd.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

from aiogram import Bot
from redis.asyncio import Redis

from bot.max.bot import MAX, TELEGRAM, messenger_of
from bot.settings import Settings
from domain.audience import Pacer, PauseBoard
from storage.fsm import REDIS_PREFIX

# KEYS: the lane's state (hash), the lane's last slots (list), the bot's pause (string).
# ARGV: ceiling, floor (share of the ceiling), climb (share of the ceiling a second), window size.
# Times are seconds on Redis's clock since EPOCH (so that 6 decimals fit Lua's number formatting).
# Returns the wait in seconds and the current rate, as strings.
_RESERVE = """
local t = redis.call('TIME')
local now = (tonumber(t[1]) - 1700000000) + tonumber(t[2]) / 1000000
local ceiling, floor, climb, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local s = redis.call('HMGET', KEYS[1], 'next', 'rate', 'climb_from')
local nxt = tonumber(s[1]) or 0
local rate = math.min(tonumber(s[2]) or ceiling, ceiling)
local climb_from = tonumber(s[3]) or now
if rate < ceiling and now > climb_from then
  rate = math.min(ceiling, rate + climb * ceiling * (now - climb_from))
end
if now > climb_from then climb_from = now end
local pause = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
local slot = math.max(now, nxt, pause)
if redis.call('LLEN', KEYS[2]) >= n then
  slot = math.max(slot, tonumber(redis.call('LINDEX', KEYS[2], -n)) + 1)
end
redis.call('RPUSH', KEYS[2], string.format('%.6f', slot))
redis.call('LTRIM', KEYS[2], -n, -1)
redis.call('HSET', KEYS[1], 'next', string.format('%.6f', slot + 1 / rate + 0.000001),
  'rate', string.format('%.6f', rate), 'climb_from', string.format('%.6f', climb_from))
redis.call('EXPIRE', KEYS[1], 3600)
redis.call('EXPIRE', KEYS[2], 3600)
return {string.format('%.6f', slot - now), string.format('%.6f', rate)}
"""

# KEYS: the lane's state, the bot's pause. ARGV: retry_after, ceiling, floor, step_down.
# The pause covers every lane; the rate of this lane steps down once per pause.
_TOO_MANY = """
local t = redis.call('TIME')
local now = (tonumber(t[1]) - 1700000000) + tonumber(t[2]) / 1000000
local seconds, ceiling = tonumber(ARGV[1]), tonumber(ARGV[2])
local floor, step = tonumber(ARGV[3]), tonumber(ARGV[4])
local till = now + seconds
local pause = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if till > pause then
  redis.call('SET', KEYS[2], string.format('%.6f', till), 'EX', math.ceil(seconds) + 60)
end
local s = redis.call('HMGET', KEYS[1], 'rate', 'cut_until', 'next')
local rate = tonumber(s[1]) or ceiling
if now >= (tonumber(s[2]) or 0) then
  rate = math.max(ceiling * floor, rate * step)
  redis.call('HSET', KEYS[1], 'rate', string.format('%.6f', rate), 'cut_until', string.format('%.6f', till))
end
redis.call('HSET', KEYS[1], 'climb_from', string.format('%.6f', math.max(till, pause)),
  'next', string.format('%.6f', math.max(tonumber(s[3]) or 0, till)))
redis.call('EXPIRE', KEYS[1], 3600)
return string.format('%.6f', rate)
"""


class SharedPacer(Pacer):
    """A ``Pacer`` whose slots, rate and pause live in Redis, shared by every worker of the bot.

    ``lane`` keeps the broadcasts' rate and the outbox's apart (each has its own ceiling); the pause
    after a 429 is one for the bot. One message a second to a chat stays this worker's own rule:
    a chat's messages come from the worker that leased them."""

    def __init__(
        self,
        redis: Redis,
        key: str,
        lane: str,
        rate: float,
        per_chat: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        pause: PauseBoard | None = None,
    ) -> None:
        super().__init__(rate, per_chat, monotonic=monotonic, sleep=sleep, pause=pause)
        self.redis = redis
        self._keys = [f"{key}:{lane}", f"{key}:{lane}:slots", f"{key}:pause"]
        self._reserve = redis.register_script(_RESERVE)
        self._too_many = redis.register_script(_TOO_MANY)

    async def wait(self, chat_id: int) -> None:
        early = self._chat_next.get(chat_id, 0.0) - self._monotonic()
        if early > 0:
            await self._sleep(early)
        delay = await self.reserve_shared(chat_id)
        if delay > 0:
            await self._sleep(delay)
        await self._gate()

    async def reserve_shared(self, chat_id: int) -> float:
        """Take the bot's next slot from Redis for ``chat_id``; how many seconds to wait for it."""
        args = [self.ceiling, self.floor, self.climb, len_window(self.ceiling)]
        delay, rate = await self._reserve(keys=self._keys, args=args)
        self.rate = float(rate)
        now = self._monotonic()
        slot = max(now + float(delay), self.board.until)  # a 429 seen here meanwhile
        self._chat_next[chat_id] = slot + self.per_chat
        return slot - now

    async def too_many(self, retry_after: float) -> None:
        self.pause(retry_after)
        keys = [self._keys[0], self._keys[2]]
        rate = await self._too_many(keys=keys, args=[retry_after, self.ceiling, self.floor, self.step_down])
        self.rate = float(rate)


def len_window(rate: float) -> int:
    return max(1, min(int(rate), 10_000))


class SendPool:
    """At most ``pacer.in_flight`` sends under way at once (it follows the rate and round trip)."""

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.busy = 0
        self._freed = asyncio.Condition()
        self.tasks: set[asyncio.Task[None]] = set()

    async def submit(self, send: Callable[[], Awaitable[None]]) -> None:
        """Start ``send()`` as soon as the pool has room (waiting here until then)."""
        async with self._freed:
            await self._freed.wait_for(lambda: self.busy < self.pacer.in_flight)
            self.busy += 1
        task = asyncio.create_task(self._run(send()))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, send: Awaitable[None]) -> None:
        try:
            await send
        finally:
            async with self._freed:
                self.busy -= 1
                self._freed.notify_all()

    async def drain(self) -> None:
        """Wait for every send under way (even if the waiter is cancelled meanwhile: a message on
        its way is answered and recorded, not left to be sent twice)."""
        while self.tasks:
            await asyncio.shield(asyncio.gather(*self.tasks, return_exceptions=True))


@dataclass
class BotPacers:
    """The pacers of one worker, per messenger (``telegram``, ``max``): broadcasts and the outbox,
    one pause between them per messenger (and, with Redis, with every other worker) — a 429 from
    one messenger holds back that messenger's senders only."""

    broadcasts: dict[str, Pacer]
    outbox: dict[str, Pacer]
    redis: Redis | None = None

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


def rates(settings: Settings) -> dict[str, tuple[float, float]]:
    """Each messenger's (broadcast rate, outbox rate), the deployment's."""
    return {
        TELEGRAM: (settings.broadcast_rate, settings.outbox_rate),
        MAX: (settings.max_broadcast_rate, settings.max_outbox_rate),
    }


def pace_key(messenger: str, bot_id: int | str) -> str:
    """The Redis key of a bot's pace: one per messenger and bot."""
    return f"{REDIS_PREFIX}:pace:{messenger}:{bot_id}"


def bot_pacers(settings: Settings, bot_ids: Mapping[str, int | str]) -> BotPacers:
    """Every messenger's pacers (``bot_ids``: the bot of each messenger, keying its shared pace).
    With ``REDIS_URL``, the deployment's rates shared through Redis; without, this worker's share
    of them (``WORKERS``)."""
    broadcasts: dict[str, Pacer] = {}
    outbox: dict[str, Pacer] = {}
    redis = (
        Redis.from_url(settings.redis_url, socket_timeout=5.0, socket_connect_timeout=5.0)
        if settings.redis_url
        else None
    )
    for messenger, (broadcast_rate, outbox_rate) in rates(settings).items():
        board = PauseBoard()
        if redis is not None:
            key = pace_key(messenger, bot_ids.get(messenger, 0))
            broadcasts[messenger] = SharedPacer(redis, key, "broadcasts", broadcast_rate, pause=board)
            outbox[messenger] = SharedPacer(redis, key, "outbox", outbox_rate, pause=board)
        else:
            broadcasts[messenger] = Pacer(broadcast_rate / settings.workers, pause=board)
            outbox[messenger] = Pacer(outbox_rate / settings.workers, pause=board)
    return BotPacers(broadcasts, outbox, redis)


def bot_ids(bots: Iterable[Bot], settings: Settings) -> dict[str, int | str]:
    """What keys each messenger's pace in Redis: the Telegram bot's id; for MAX, whose bots all
    carry one placeholder id, a digest of the token."""
    ids: dict[str, int | str] = {}
    for bot in bots:
        messenger = messenger_of(bot)
        if messenger == MAX and settings.max_token is not None:
            token = settings.max_token.get_secret_value().encode()
            ids[messenger] = hashlib.sha256(token).hexdigest()[:16]
        else:
            ids[messenger] = bot.id
    return ids
