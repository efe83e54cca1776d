"""Sending at Telegram's limit (issue 15): the pacer on a fake clock, the send pool, paid
broadcasts reaching the request, and the preview's duration and cost."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage

from bot.pacing import SendPool, bot_pacers
from bot.settings import Settings
from domain.audience import Pacer, PauseBoard
from services.broadcasts import Pace, estimate
from telegram_stub import StubSession
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard
from tests.test_broadcasts import FakeTime, drain, queue, seed_recipients, sender


def most_in_one_second(slots: list[float]) -> int:
    """The most slots any half-open one-second window holds."""
    slots = sorted(slots)
    return max(sum(1 for s in slots if start <= s < start + 1) for start in slots)


def take(pacer: Pacer, fake: FakeTime, chats: list[int]) -> list[float]:
    """Reserve a slot per chat at once (as many requests in flight do); the slots' times."""
    return [fake.now + pacer.reserve(chat) for chat in chats]


@pytest.mark.parametrize("rate", [30.0, 29.5, 7.0, 1000.0])
def test_no_one_second_window_holds_more_than_the_rate(rate: float) -> None:
    fake = FakeTime()
    pacer = Pacer(rate, monotonic=fake.monotonic, sleep=fake.sleep)
    slots = take(pacer, fake, list(range(int(rate) * 5)))
    fake.now = slots[-1] + 0.3  # a late arrival may not squeeze in a burst either
    slots += take(pacer, fake, list(range(10_000, 10_000 + int(rate) * 2)))
    assert most_in_one_second(slots) <= int(rate)
    assert most_in_one_second(slots) >= int(rate) - 1  # and it fills the limit


def test_one_message_a_second_to_a_chat() -> None:
    fake = FakeTime()
    pacer = Pacer(30, monotonic=fake.monotonic, sleep=fake.sleep)
    mine = take(pacer, fake, [1, 1, 1])
    assert [b - a for a, b in itertools.pairwise(mine)] == [pytest.approx(1.0)] * 2


async def test_a_chat_waits_for_its_second_without_holding_the_others() -> None:
    fake = FakeTime()
    pacer = Pacer(30, monotonic=fake.monotonic, sleep=fake.sleep)
    await pacer.wait(1)
    await pacer.wait(1)  # waits its second first, then takes the next overall slot
    assert fake.now == pytest.approx(1.0)
    assert pacer.reserve(2) == pytest.approx(1 / 30, abs=1e-6)  # the one after it, not a second later


def test_429_pauses_every_sender_then_the_rate_steps_down_and_climbs_back() -> None:
    fake = FakeTime()
    board = PauseBoard()
    broadcasts = Pacer(25, monotonic=fake.monotonic, sleep=fake.sleep, pause=board)
    outbox = Pacer(5, monotonic=fake.monotonic, sleep=fake.sleep, pause=board)
    take(broadcasts, fake, [1, 2, 3])
    broadcasts.pause(7)
    broadcasts.pause(7)  # several requests in flight refused at once: one step down
    assert broadcasts.rate == pytest.approx(25 * broadcasts.step_down)
    assert outbox.reserve(99) == pytest.approx(7)  # the outbox waits too: one bot, one limit
    assert broadcasts.reserve(4) >= 7
    # After the pause the rate is lower, then climbs back to the ceiling and no higher.
    fake.now = 7.0
    after = take(broadcasts, fake, [10, 11])
    assert after[1] - after[0] == pytest.approx(1 / (25 * broadcasts.step_down), rel=0.05)
    fake.now = 9.0
    broadcasts.reserve(12)
    assert 25 * broadcasts.step_down < broadcasts.rate < 25
    fake.now = 60.0
    broadcasts.reserve(13)
    assert broadcasts.rate == 25
    # The window still holds: never more than the ceiling, whatever the climbing.
    fake.now = 61.0
    assert most_in_one_second(take(broadcasts, fake, list(range(100, 200)))) <= 25


def test_requests_in_flight_follow_the_rate_and_the_round_trip() -> None:
    pacer = Pacer(30)
    for _ in range(50):
        pacer.observe(0.08)
    at_80ms = pacer.in_flight
    for _ in range(50):
        pacer.observe(0.3)
    at_300ms = pacer.in_flight
    assert 30 * 0.08 < at_80ms < at_300ms and 30 * 0.3 < at_300ms <= pacer.max_in_flight
    pacer.pause(1)
    assert pacer.in_flight < at_300ms  # a slower rate needs fewer


async def test_the_pool_bounds_sends_under_way() -> None:
    pacer = Pacer(1000, per_chat=0.0)
    pacer.latency = 0.004  # 1000/s × 4 ms × 1.5 + 1 → 7 at once
    pool = SendPool(pacer)
    under_way, most = 0, 0

    async def send() -> None:
        nonlocal under_way, most
        under_way += 1
        most = max(most, under_way)
        await asyncio.sleep(0.001)
        under_way -= 1

    for _ in range(40):
        await pool.submit(send)
    await pool.drain()
    assert most == pacer.in_flight == 7 and pool.busy == 0


def test_without_redis_each_worker_takes_its_share(settings: Settings) -> None:
    configured = settings.model_copy(
        update={"workers": 4, "redis_url": None, "max_broadcast_rate": 20, "max_outbox_rate": 2}
    )
    pacers = bot_pacers(configured, {"telegram": 42})
    telegram, max_ = "telegram", "max"
    assert pacers.broadcasts[telegram].ceiling == settings.broadcast_rate / 4
    assert pacers.outbox[telegram].ceiling == settings.outbox_rate / 4
    assert pacers.broadcasts[max_].ceiling == 20 / 4 and pacers.outbox[max_].ceiling == 2 / 4
    # One pause for a messenger's senders; another messenger's is its own.
    assert pacers.broadcasts[telegram].board is pacers.outbox[telegram].board
    assert pacers.broadcasts[max_].board is pacers.outbox[max_].board
    assert pacers.broadcasts[telegram].board is not pacers.broadcasts[max_].board
    pacers.broadcasts[telegram].pause(5)
    assert pacers.outbox[telegram].paused_until > 0 and pacers.broadcasts[max_].paused_until == 0


def test_a_rate_over_telegrams_free_limit_needs_paid_broadcasts() -> None:
    with pytest.raises(ValueError, match="ALLOW_PAID_BROADCAST"):
        Settings(_env_file=None, broadcast_rate=100)  # type: ignore[call-arg]
    paid = Settings(_env_file=None, broadcast_rate=1000, allow_paid_broadcast=True)  # type: ignore[call-arg]
    assert paid.broadcast_rate == 1000


def test_estimates_of_duration_and_stars() -> None:
    kostroma = estimate(10_000, Pace(25))
    assert kostroma.seconds == 400 and kostroma.stars is None
    national = estimate(1_060_000, Pace(29))
    assert national.seconds / 3600 == pytest.approx(10.15, abs=0.01)
    paid = estimate(1_060_000, Pace(1000, paid=True))
    assert paid.seconds == 1060
    # 0.1 Star for each message past the free 30 a second: 97 % of them at 1,000/s.
    assert paid.stars == 102_820
    assert estimate(100, Pace(30, paid=True)).stars == 0
    # Issue 16: MAX's people go beside Telegram's, at MAX's own rate; Stars are Telegram's only.
    both = estimate(10_000, Pace(25, max_rate=20), on_max=4_000)
    assert both.seconds == max(6_000 / 25, 4_000 / 20) == 240
    mostly_max = estimate(10_000, Pace(25, max_rate=20), on_max=8_000)
    assert mostly_max.seconds == 400 and mostly_max.rate == 25
    assert estimate(1_000, Pace(1000, paid=True, max_rate=25), on_max=1_000).stars == 0
    assert estimate(10_000, Pace(25), on_max=4_000).seconds == 400  # no MAX bot: one rate


class Recording(StubSession):
    def __init__(self, stub) -> None:  # type: ignore[no-untyped-def]
        super().__init__(stub)
        self.paid: list[bool | None] = []

    async def make_request(self, bot, method, timeout=None):  # type: ignore[no-untyped-def] # noqa: ASYNC109
        if isinstance(method, SendMessage):
            self.paid.append(method.allow_paid_broadcast)
        return await super().make_request(bot, method, timeout)


@pytest.mark.parametrize("paid", [True, False])
async def test_paid_broadcasts_reach_the_request(app: App, paid: bool) -> None:
    await seed_recipients(app, 3)
    await queue(app)
    session = Recording(app.stub)
    bot = Bot(app.bot.token, session=session, default=app.bot.default)
    assert (await drain(sender(app, FakeTime(), bot, paid=paid)))["sent"] == 3
    assert session.paid == ([True] * 3 if paid else [None] * 3)


async def test_a_sender_sends_each_once_with_requests_in_flight(app: App) -> None:
    recipients = await seed_recipients(app, 60)
    await queue(app)
    s = sender(app, FakeTime())
    assert s.chunk_size > 5  # the chunk follows what is under way at once
    assert (await drain(s))["sent"] == 60
    got = Counter(m.chat_id for m in app.stub.outbox if "Семинар" in m.plain_text)
    assert got == Counter(recipients)


async def test_preview_says_how_long_at_the_current_rate(app: App) -> None:
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send("Семинар в пятницу")
    await admin.send("Записаться https://iro.example.ru/form")
    await admin.press("Готово")
    summary = admin.last_bot_message().plain_text
    assert "Получателей: 1" in summary
    assert "Отправка займёт меньше минуты (по 25 сообщ. в секунду)" in summary
    assert "Stars" not in summary


@pytest.fixture
def paid_app(app: App) -> App:
    app.settings = app.settings.model_copy(update={"broadcast_rate": 1000.0, "allow_paid_broadcast": True})
    app.restart()
    return app


async def test_preview_with_paid_broadcasts_shows_the_cost(paid_app: App) -> None:
    app = paid_app
    admin = app.chat(ADMIN_ID, first_name="Админ")
    await onboard(admin, name="Админова Анна")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send("Семинар в пятницу")
    await admin.send("Записаться https://iro.example.ru/form")
    await admin.press("Готово")
    summary = admin.last_bot_message().plain_text
    assert "по 1\xa0000 сообщ. в секунду" in summary  # Fluent groups the digits
    assert "Платная рассылка Telegram: ≈ 1 Stars" in summary  # 1 × 0.97 × 0.1, rounded up
