"""Hand-offs: what one person's act sends another goes through the outbox — sent at once (the
wake-up, not the minute tick), retried on 5xx, recorded on 403 with the sender told, in the
recipient's language, and not held by quiet hours."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.jobs import send_outbox
from bot.wakeup import Wakeup
from bot.workers import Background
from domain.reminders import OutboxStatus
from storage.models import MentorPair, OutboxMessage, User
from tests.chat import Chat
from tests.conftest import App
from tests.flows import onboard
from tests.max_chat import MaxChat
from tests.test_mentorship import make_mentor

MENTOR, MENTEE = 3001, 1001

# Every hand-off runs on both messengers: the mentor and the mentee on the test's messenger.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def handoffs(app: App) -> list[OutboxMessage]:
    async with app.database.sessionmaker() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == "handoff").order_by(OutboxMessage.id)
        return list(await session.scalars(query))


async def ask(app: App, *fail: tuple[int, str, int]) -> None:
    """The young teacher asks Сидорова; the messenger refuses the next ``fail`` sends (status, text,
    times)."""
    mentee = app.chat(MENTEE)
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    for status, description, times in fail:
        mentee.fail_next_send(status, description, times=times)
    await mentee.press("Попросить: Сидорова")
    mentee.expect("Запрос отправлен")


def told(app: App, chat_id: int) -> list[str]:
    return app.chat(chat_id).told()


async def test_a_request_that_failed_with_5xx_arrives_on_retry_and_is_accepted(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (502, "Bad Gateway", 1))
    assert not any("Запрос на наставничество" in text for text in told(app, MENTOR))
    [row] = await handoffs(app)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)  # kept, to be tried again
    assert await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock) == {}
    app.clock.advance(minutes=3)  # the pause after a first failure
    counts = await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    assert counts == {"sent": 1}
    assert "Запрос на наставничество" in mentor.last_bot_message().plain_text
    await mentor.press("Принять")
    mentor.expect("Вы приняли запрос")
    assert "Наставник найден" in app.chat(MENTEE).last_bot_message().plain_text
    assert [r.status for r in await handoffs(app)] == ["sent", "sent", "sent"]  # request, both cards


async def test_a_mentor_who_blocked_the_bot_the_requester_is_told_it_was_not_delivered(app: App) -> None:
    await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (403, "Forbidden: bot was blocked by the user", 1))
    request, notice = await handoffs(app)
    assert (request.status, request.error) == (OutboxStatus.FAILED, "blocked")  # the delivery state
    assert notice.status == OutboxStatus.SENT and notice.ref_id == request.id
    assert "Не доставлено: Сидорова Анна Павловна заблокировал(а) бота" in told(app, MENTEE)[-1]
    async with app.database.sessionmaker() as session:
        mentor = await session.scalar(select(User).where(User.telegram_id == MENTOR))
        assert mentor is not None and mentor.blocked_at is not None


async def test_a_hand_off_given_up_after_the_retries_tells_the_sender_once(app: App) -> None:
    await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (500, "Internal Server Error", 5))
    for _ in range(5):
        app.clock.advance(hours=1)
        await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    request, notice = await handoffs(app)
    assert (request.status, request.attempts) == (OutboxStatus.FAILED, 5)
    assert notice.status == OutboxStatus.SENT
    notice = "Не удалось доставить сообщение для Сидорова Анна Павловна: мессенджер его не принял"
    assert notice in told(app, MENTEE)[-1]  # not «Telegram» when the mentor is on MAX
    assert not any("Запрос на наставничество" in text for text in told(app, MENTOR))


async def test_a_request_taken_back_before_its_delayed_send_is_not_sent(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app, (502, "Bad Gateway", 1))
    mentee = app.chat(MENTEE)
    await mentee.press("🤝 Наставничество")
    await mentee.press("Отменить запрос")
    app.clock.advance(minutes=3)
    counts = await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)
    assert counts == {"cancelled": 1}
    assert "Запрос на наставничество" not in mentor.last_bot_message().plain_text
    assert not any("Не доставлено" in text for text in told(app, MENTEE))  # she took it back herself


async def test_the_answer_arrives_in_the_recipients_language(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    async with app.database.sessionmaker() as session:
        await session.execute(update(User).where(User.telegram_id == MENTOR).values(locale="en"))
        await session.commit()
    await ask(app)  # the mentee speaks Russian; the mentor reads English
    request = mentor.last_bot_message()
    assert (
        any("Accept" in b for b in request.button_texts)
        and "Запрос на наставничество" not in request.plain_text
    )
    await mentor.press("Accept")
    note = app.chat(MENTEE).last_bot_message().plain_text
    assert "Наставник найден" in note  # and the mentee reads Russian


async def test_quiet_hours_do_not_hold_a_reply(app: App) -> None:
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    app.clock.now = datetime(2026, 11, 22, 20, 30, tzinfo=UTC)  # 23:30 in Kostroma: quiet hours
    await ask(app)
    assert "Запрос на наставничество" in mentor.last_bot_message().plain_text
    await mentor.press("Отклонить")
    await mentor.press("Без комментария")
    assert "не может стать вашим наставником" in app.chat(MENTEE).last_bot_message().plain_text


async def test_the_worker_sends_a_hand_off_at_once_without_the_minute_tick(app: App) -> None:
    """The worker's own sender (``Background``) wakes on the update's ring: the request reaches the
    mentor well within a second, with no tick run."""
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    wakeup: Wakeup = app.dp["outbox_wakeup"]
    background = Background(
        app.bots,
        app.database.engine,
        app.database.sessionmaker,
        app.translations,
        app.clock,
        app.settings,
        wakeup=wakeup,
    )
    app.auto_deliver = False  # the worker's sender, not the test's, sends it
    sender = asyncio.create_task(background._send_handoffs())
    try:
        await ask(app)
        for _ in range(100):
            if any("Запрос на наставничество" in text for text in told(app, MENTOR)):
                break
            await asyncio.sleep(0.01)
        assert "Запрос на наставничество" in mentor.last_bot_message().plain_text
    finally:
        background.stop_event.set()
        await asyncio.wait_for(sender, 5)


async def test_a_methodists_pair_reaches_both_through_the_outbox(app: App) -> None:
    """Closing a pair tells the other side through the outbox; its row records the delivery."""
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    await ask(app)
    await mentor.press("Принять")
    async with app.database.sessionmaker() as session:
        [pair] = list(await session.scalars(select(MentorPair)))
    assert pair.status == "active"
    mentee = app.chat(MENTEE)
    await mentee.press("Открыть пару")
    await mentee.press("Завершить")
    await mentee.send("Цели достигнуты")
    assert "Цели достигнуты" in mentor.last_bot_message().plain_text
    assert [r.status for r in await handoffs(app)][-1] == OutboxStatus.SENT


async def test_a_request_to_a_mentor_who_blocked_the_bot_on_the_other_messenger(app: App) -> None:
    """The mentor is on the test's messenger, the teacher who asks on the other. The mentor's
    messenger refuses the request (blocked); the teacher is told on hers, and the request waits in
    the mentor's «Входящие»."""
    app.chats[MENTEE] = (MaxChat if app.messenger == "telegram" else Chat)(app, MENTEE)
    mentor = await make_mentor(app, MENTOR, "Сидорова Анна Павловна")
    mentee = app.chat(MENTEE)
    assert mentor.messenger == app.messenger != mentee.messenger
    await onboard(mentee)
    await mentee.press("🤝 Наставничество")
    mentor.fail_next_send(403, "Forbidden: bot was blocked by the user")
    await mentee.press("Попросить: Сидорова")
    mentee.expect("Запрос отправлен")
    request, notice = await handoffs(app)
    assert (request.status, request.error) == (OutboxStatus.FAILED, "blocked")
    assert notice.status == OutboxStatus.SENT
    assert "Не доставлено: Сидорова Анна Павловна заблокировал(а) бота" in mentee.told()[-1]
    await mentor.press("📥 Входящие")
    mentor.expect("1. Запрос наставничества от Иванова Мария Петровна")
