"""Linked accounts (issue 16): what is sent to a person with a Telegram and a MAX account goes to
the account she last wrote from — reminders, hand-offs, broadcasts — once; «Отвязать» in
«Профиль» ends the link, the profile staying where it is asked from."""

from __future__ import annotations

from sqlalchemy import select

from bot.broadcast import BroadcastSender
from bot.factory import create_max_bot
from bot.jobs import send_outbox
from bot.messengers import Bots, kept_message, message_ref
from domain.audience import Pacer
from handlers.callbacks import AccountAction, AccountCb
from storage.broadcasts import create_broadcast
from storage.models import BroadcastDelivery, LinkedAccount, User
from telegram_stub import SentMessage
from tests.chat import Chat
from tests.conftest import App
from tests.flows import onboard
from tests.max_chat import MaxChat
from tests.test_mentorship import make_mentor

REMINDER = "Вы начали самодиагностику"


async def linked(app: App) -> tuple[Chat, MaxChat]:
    """Мария on Telegram (1001), her MAX account (2002) linked with a code from «Профиль»."""
    app.messenger = "telegram"
    telegram = app.chat(1001)
    await onboard(telegram)
    await telegram.press("👤 Профиль")
    await telegram.press("Связать с другим мессенджером")
    code = telegram.text.split("/link ")[1].split()[0]
    app.messenger = "max"
    on_max = app.chat(2002)
    assert isinstance(on_max, MaxChat)
    await on_max.send(f"/link {code}")
    on_max.expect("Аккаунты связаны")
    return telegram, on_max


def on_telegram(app: App, fragment: str) -> list[str]:
    return [
        m.plain_text
        for m in app.stub.outbox
        if m.chat_id == 1001 and not m.edited and fragment in m.plain_text
    ]


def on_max(app: App, fragment: str) -> list[str]:
    assert app.max_stub is not None
    return [m.plain_text for m in app.max_stub.sent_to(2002) if not m.edited and fragment in m.plain_text]


async def send(app: App) -> dict[str, int]:
    return await send_outbox(app.bots, app.database.sessionmaker, app.translations, app.clock)


async def test_a_reminder_arrives_where_she_last_wrote_from_and_follows_her_back(app: App) -> None:
    telegram, max_chat = await linked(app)
    await telegram.press("🧭 Самодиагностика")  # on Telegram: the reminder is planned
    await telegram.press("Начать")
    await telegram.press("3.")
    await max_chat.press("👤 Профиль")  # then she writes from MAX
    app.clock.advance(days=2)
    assert (await send(app)).get("sent") == 1
    assert len(on_max(app, REMINDER)) == 1 and on_telegram(app, REMINDER) == []  # on MAX, once

    await max_chat.press("Напомнить завтра")  # the reminder's own button, on MAX
    await telegram.press("👤 Профиль")  # back on Telegram
    app.clock.advance(days=1)
    assert (await send(app)).get("sent") == 1
    assert len(on_telegram(app, REMINDER)) == 1 and len(on_max(app, REMINDER)) == 1


async def test_a_hand_off_goes_to_the_account_she_wrote_from_last(app: App) -> None:
    """The mentor's answer (a hand-off, sent by the worker at once) reaches the young teacher on
    MAX, where she wrote last, though she asked on Telegram; the next one, after a word from
    Telegram, on Telegram."""
    telegram, max_chat = await linked(app)
    app.messenger = "telegram"
    mentor = await make_mentor(app, 3001, "Сидорова Анна Павловна")
    await telegram.press("🤝 Наставничество")
    await telegram.press("Попросить: Сидорова")
    telegram.expect("Запрос отправлен")
    await max_chat.press("👤 Профиль")  # she writes from MAX
    await mentor.press("Принять")
    assert len(on_max(app, "Наставник найден")) == 1 and on_telegram(app, "Наставник найден") == []
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None and tuple(user.reach) == ("max", 2002)

    await telegram.send("/start")  # a word from Telegram: she is reached there again
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 1001))
        assert user is not None
        assert tuple(user.reach) == ("telegram", 1001) and user.last_messenger is None


async def test_a_broadcast_reaches_a_linked_teacher_once_on_the_account_she_used_last(app: App) -> None:
    _, max_chat = await linked(app)
    await max_chat.press("👤 Профиль")  # she last wrote from MAX
    async with app.database.sessionmaker() as session:
        await create_broadcast(
            session, created_by=None, region_code="kostroma", text="Семинар в пятницу", audience={}
        )
        await session.commit()
    sender = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await sender.run_once():
            break
    assert len(on_max(app, "Семинар")) == 1 and on_telegram(app, "Семинар") == []
    async with app.database.sessionmaker() as session:
        statuses = list(await session.scalars(select(BroadcastDelivery.status)))
    assert statuses == ["sent"]  # one person, one delivery


# --- message ids: MAX's are strings ------------------------------------------------------------


async def test_the_progress_of_a_broadcast_made_on_max_is_edited_after_a_restart(app: App) -> None:
    """The admin's progress message is on MAX; the sender that finishes the broadcast is another
    process (a new MAX bot whose ids start afresh): its edit still lands on that message."""
    assert app.max_stub is not None and app.max_bot is not None
    admin_id = 9001
    async with app.database.sessionmaker() as session:
        admin = User(
            messenger="max", telegram_id=admin_id, locale="ru", role="admin", consent_at=app.clock.now,
            profile_completed_at=app.clock.now, subjects=[],
        )  # fmt: skip
        session.add(admin)
        for number in (3003, 3004):
            session.add(
                User(
                    messenger="max", telegram_id=number, locale="ru", role="teacher",
                    consent_at=app.clock.now,
                    profile_completed_at=app.clock.now, subjects=[], region_code="kostroma",
                )
            )  # fmt: skip
        await session.flush()
        await create_broadcast(
            session, created_by=admin.id, region_code="kostroma", text="Семинар", audience={}
        )
        await session.commit()
    first = BroadcastSender(
        app.bots, app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000), chunk=1
    )
    await first.run_once()  # the progress message and one delivery
    await first.settle()
    [progress] = [m for m in app.max_stub.sent_to(admin_id) if "Рассылка №" in m.plain_text]
    assert "отправлено 0 из 2" in progress.plain_text

    restarted = create_max_bot(app.settings, app.max_bot.max_session.max_api)  # new ids, same DB
    assert restarted.max_session.ids.to_mid(1) is None
    second = BroadcastSender(
        Bots(app.bot, restarted), app.database.sessionmaker, app.translations, app.clock, pacer=Pacer(1000)
    )
    for _ in range(5):
        if not await second.run_once():
            break
    edits = [m for m in app.max_stub.outbox if m.edited and m.mid == progress.mid]
    assert edits and "отправлено 2 из 2" in edits[-1].plain_text
    assert any("завершена" in m.plain_text for m in app.max_stub.sent_to(admin_id))
    assert len(app.max_stub.sent_to(3003)) == len(app.max_stub.sent_to(3004)) == 1


def test_a_message_ref_names_the_message_as_its_messenger_does(app: App) -> None:
    assert app.max_bot is not None
    ids = app.max_bot.max_session.ids
    number = ids.to_int("mid.bot.00000000000000aa")
    assert message_ref(app.max_bot, number) == "max:mid.bot.00000000000000aa"
    assert message_ref(app.bot, 42) == "telegram:42"
    fresh = create_max_bot(app.settings, app.max_bot.max_session.max_api)
    bot, again = kept_message(Bots(app.bot, fresh), "max:mid.bot.00000000000000aa")
    assert bot is fresh and fresh.max_session.ids.to_mid(again) == "mid.bot.00000000000000aa"
    assert kept_message(app.bots, "telegram:42") == (app.bot, 42)


# --- «Отвязать» ----------------------------------------------------------------------------------


async def accounts_now(app: App) -> tuple[list[tuple[str, int, str | None]], list[tuple[str, int]]]:
    async with app.database.sessionmaker() as session:
        people = (await session.execute(select(User.messenger, User.telegram_id, User.full_name))).all()
        links = (await session.execute(select(LinkedAccount.messenger, LinkedAccount.external_id))).all()
    return [tuple(p) for p in people], [tuple(link) for link in links]  # type: ignore[misc]


async def test_unlinking_from_telegram_keeps_the_profile_there_and_max_starts_afresh(app: App) -> None:
    telegram, max_chat = await linked(app)
    await telegram.press("👤 Профиль")
    telegram.expect("Связан аккаунт: MAX")
    await telegram.press("Отвязать MAX")
    telegram.expect("останутся здесь, в Telegram", "Аккаунт MAX не сохранит ничего", "как нового человека")
    await telegram.press("Отмена")
    telegram.expect("остались связаны")
    assert (await accounts_now(app))[1] == [("max", 2002)]

    await telegram.press("👤 Профиль")
    await telegram.press("Отвязать MAX")
    confirm = telegram.last_bot_message()
    await telegram.press("Да, отвязать MAX")
    telegram.expect("Аккаунт MAX отвязан", "в Telegram")
    assert await accounts_now(app) == ([("telegram", 1001, "Иванова Мария Петровна")], [])

    for label in ("Да, отвязать", "Отмена"):  # the old question's buttons
        await telegram.press_data(telegram_button(confirm, label), confirm.message_id)
        assert "Эта кнопка устарела" in telegram.alerts()[-1]
        assert "остались связаны" not in telegram.text
    await max_chat.send("/start")  # a stranger now: the consent, nothing of hers
    max_chat.expect("Согласие")
    assert "Иванова" not in max_chat.text
    await telegram.press("👤 Профиль")
    assert "Связан аккаунт" not in telegram.text and not [b for b in telegram.buttons() if "Отвязать" in b]


async def test_unlinking_from_max_moves_the_profile_to_max_and_telegram_starts_afresh(app: App) -> None:
    telegram, max_chat = await linked(app)
    await max_chat.press("👤 Профиль")
    max_chat.expect("Связан аккаунт: Telegram", "Иванова Мария Петровна")
    await max_chat.press("Отвязать Telegram")
    max_chat.expect("останутся здесь, в MAX", "Аккаунт Telegram не сохранит ничего")
    await max_chat.press("Да, отвязать Telegram")
    max_chat.expect("Аккаунт Telegram отвязан")
    assert await accounts_now(app) == ([("max", 2002, "Иванова Мария Петровна")], [])
    await max_chat.press("👤 Профиль")
    max_chat.expect("Иванова Мария Петровна", "Сусанинская СОШ")
    await telegram.send("/start")
    telegram.expect("Согласие")
    assert "Иванова" not in telegram.text


async def test_a_forged_unlink_button_is_stale_and_changes_nothing(app: App) -> None:
    telegram, _ = await linked(app)
    other = app.chat(5005)  # someone else's link id, a link that never was
    assert isinstance(other, MaxChat)
    await onboard(other, name="Петрова Анна Ивановна")
    for link_id in (999, 0):  # a link that never was
        await telegram.press_data(AccountCb(action=AccountAction.UNLINK_YES, link_id=link_id).pack())
        assert "Эта кнопка устарела" in telegram.alerts()[-1]
    for action in (AccountAction.UNLINK, AccountAction.UNLINK_YES):  # Мария's link, pressed by another
        await other.press_data(AccountCb(action=action, link_id=1).pack())
        assert "Эта кнопка устарела" in other.alerts()[-1]
    assert (await accounts_now(app))[1] == [("max", 2002)]


def telegram_button(message: SentMessage, label: str) -> str:
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        for button in row:
            if label in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(label)
