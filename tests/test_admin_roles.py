"""Roles: admins from settings, single-use expiring invites, and the role filter on every action."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb
from storage.models import Invite, User
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard, staff_profile

# Roles, invitations and the role filter are the same on both messengers: every conversation runs
# on each (an invitation is a start link of the messenger it was made on).
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def make_invite(app: App, button: str = "Пригласить методиста") -> str:
    admin = app.chat(ADMIN_ID)
    if not admin.replies:
        await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press(button)
    text = next(m for m in admin.replies if admin.start_link() in m.plain_text).plain_text
    link = next(word for word in text.split() if word.startswith(admin.start_link()))
    assert link.startswith(f"{admin.start_link()}?start=inv_")
    return link.split("start=")[1]


async def role_of(app: App, telegram_id: int) -> str:
    async with app.database.sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user.role


async def test_admin_from_settings_opens_the_menu(app: App) -> None:
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    assert "⚙️ Администрирование" in admin.reply_keyboard()
    await admin.send("/admin")
    admin.expect("Администрирование")
    assert "➕ Пригласить методиста" in admin.buttons()


async def test_teacher_is_told_admin_is_not_for_them(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.send("/admin")
    chat.expect("Нет доступа")


async def test_invite_grants_methodist_once(app: App) -> None:
    code = await make_invite(app)
    newcomer = app.chat(3001)
    await newcomer.open_link(code)
    await newcomer.press("Согласен")
    newcomer.expect("Приглашение принято", "методист")
    assert await role_of(app, 3001) == "methodist"

    second = app.chat(3002)
    await second.send("/start")
    await second.press("Согласен")
    await second.open_link(code)
    second.expect("недействительна")
    assert await role_of(app, 3002) == "teacher"


async def test_existing_teacher_follows_admin_invite(app: App) -> None:
    code = await make_invite(app, "Пригласить администратора")
    chat = app.chat()
    await onboard(chat)
    await chat.open_link(code)
    chat.expect("Ваша роль: администратор", "профиль сотрудника")
    assert await role_of(app, 1001) == "admin"
    await staff_profile(chat, title="Специалист ЦНППМ")  # the region is known: not asked again
    assert "⚙️ Администрирование" in chat.reply_keyboard()


async def test_expired_invite_is_refused(app: App) -> None:
    code = await make_invite(app)
    app.clock.advance(hours=app.settings.invite_ttl_hours + 1)
    chat = app.chat()
    await chat.open_link(code)
    await chat.press("Согласен")
    chat.expect("недействительна")
    assert await role_of(app, 1001) == "teacher"


async def test_garbage_deep_link_is_refused_but_start_goes_on(app: App) -> None:
    chat = app.chat()
    await chat.open_link("<script>")
    chat.expect("недействительна", "Согласие")


async def invite_count(app: App) -> int:
    """Invitations not used yet."""
    async with app.database.sessionmaker() as session:
        return len(list(await session.scalars(select(Invite).where(Invite.used_at.is_(None)))))


async def test_revoking_an_invite_asks_first_then_redraws_the_list(app: App) -> None:
    code = await make_invite(app)
    await make_invite(app, "Пригласить администратора")
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Действующие приглашения")
    admin.expect("2 действующих приглашения")
    listed = admin.last_bot_message().message_id
    revoke = next(b for b in admin.buttons() if "✖ методист" in b)
    await admin.press(revoke)
    admin.expect("Отозвать приглашение (методист, действует до")
    assert admin.buttons() == ["Да, отозвать", "Отмена"]
    assert admin.last_bot_message().message_id == listed  # in place
    assert await invite_count(app) == 2  # nothing yet

    await admin.press("Отмена")
    admin.expect("2 действующих приглашения")
    assert admin.last_bot_message().message_id == listed
    assert await invite_count(app) == 2

    await admin.press(revoke)
    confirmation = next(b for b in admin.last_bot_message().buttons if b["text"] == "Да, отозвать")
    admin.clear_alerts()
    await admin.press("Да, отозвать")
    # Answered once, with a passing note rather than a pop-up to close.
    assert admin.answers() == [{"text": "Приглашение отозвано.", "alert": False}]
    admin.expect("1 действующее приглашение")
    assert admin.last_bot_message().message_id == listed
    assert not [b for b in admin.buttons() if "✖ методист" in b]
    assert await invite_count(app) == 1
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(Invite).where(Invite.code == code)) is None

    # A second «Да» on the old confirmation: already done.
    admin.clear_alerts()
    await admin.press_data(confirmation["callback_data"], listed)
    assert "устарела" in admin.alerts()[0]
    assert "1 действующее приглашение" in admin.last_bot_message().plain_text  # the list stays
    assert await invite_count(app) == 1

    newcomer = app.chat(3001)
    await newcomer.open_link(code)
    await newcomer.press("Согласен")
    newcomer.expect("недействительна")


async def test_an_invite_used_before_the_confirmation_is_stale(app: App) -> None:
    code = await make_invite(app)
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Действующие приглашения")
    await admin.press("✖")
    methodist = app.chat(3001)
    await methodist.open_link(code)
    await methodist.press("Согласен")
    assert await role_of(app, 3001) == "methodist"
    admin.clear_alerts()
    await admin.press("Да, отозвать")
    assert "устарела" in admin.alerts()[0]
    admin.expect("Действующих приглашений нет")
    assert await role_of(app, 3001) == "methodist"


async def staff_member(app: App, telegram_id: int = 3001, name: str = "Методистова Ольга Ивановна") -> None:
    code = await make_invite(app)
    methodist = app.chat(telegram_id)
    await methodist.open_link(code)
    await methodist.press("Согласен")
    await methodist.send(name)


async def test_removing_a_role_asks_first_then_redraws_the_list(app: App) -> None:
    await staff_member(app)
    await staff_member(app, 3002, "Второва Анна Сергеевна")
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Сотрудники")
    admin.expect("2 сотрудника")
    listed = admin.last_bot_message().message_id
    await admin.press("Методистова Ольга")
    admin.expect("Снять роль методиста: Методистова О. И.?")
    assert admin.buttons() == ["Да, снять", "Отмена"]
    assert admin.last_bot_message().message_id == listed
    assert await role_of(app, 3001) == "methodist"

    await admin.press("Отмена")
    admin.expect("2 сотрудника")
    assert await role_of(app, 3001) == "methodist"

    await admin.press("Методистова Ольга")
    confirmation = next(b for b in admin.last_bot_message().buttons if b["text"] == "Да, снять")
    admin.clear_alerts()
    await admin.press("Да, снять")
    assert [a["text"] for a in admin.answers()] == ["Роль снята."]
    admin.expect("1 сотрудник")
    assert admin.last_bot_message().message_id == listed
    assert not [b for b in admin.buttons() if "Методистова" in b]
    assert "Второва Анна Сергеевна" in " ".join(admin.buttons())
    assert await role_of(app, 3001) == "teacher"

    # A second «Да» on the old confirmation: already done, nothing changes.
    admin.clear_alerts()
    await admin.press_data(confirmation["callback_data"], listed)
    assert "устарела" in admin.alerts()[0]
    assert await role_of(app, 3001) == "teacher"
    assert await role_of(app, 3002) == "methodist"


async def test_an_old_confirmation_does_not_take_away_a_role_given_again(app: App) -> None:
    await staff_member(app)
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Сотрудники")
    await admin.press("Методистова Ольга")
    confirmation = next(b for b in admin.last_bot_message().buttons if b["text"] == "Да, снять")
    async with app.database.sessionmaker() as session:
        person = await session.scalar(select(User).where(User.telegram_id == 3001))
        assert person is not None
        person.role = "admin"  # promoted meanwhile (another admin's invitation)
        await session.commit()
    admin.clear_alerts()
    await admin.press_data(confirmation["callback_data"])
    assert "устарела" in admin.alerts()[0]
    assert await role_of(app, 3001) == "admin"


async def test_an_answer_telegram_refuses_as_too_old_does_not_break_the_removal(app: App) -> None:
    await staff_member(app)
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Сотрудники")
    listed = admin.last_bot_message().message_id
    admin.fail_next_answer()
    await admin.press("Методистова Ольга")  # the answer fails: the confirmation is shown anyway
    admin.expect("Снять роль методиста")
    admin.fail_next_answer()
    await admin.press("Да, снять")
    admin.expect("Других методистов и администраторов пока нет")
    assert admin.last_bot_message().message_id == listed
    assert await role_of(app, 3001) == "teacher"


async def test_an_answer_telegram_refuses_as_too_old_does_not_break_revoking(app: App) -> None:
    await make_invite(app)
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Действующие приглашения")
    admin.fail_next_answer()
    await admin.press("✖")
    admin.fail_next_answer()
    await admin.press("Да, отозвать")
    admin.expect("Действующих приглашений нет")
    assert await invite_count(app) == 0


async def forged(chat: Chat, button: AdminCb) -> None:
    await chat.press_data(button.pack())


async def test_teacher_forging_admin_callbacks_gets_no_access_and_nothing_changes(app: App) -> None:
    code = await make_invite(app)
    chat = app.chat()
    await onboard(chat)
    async with app.database.sessionmaker() as session:
        admin_row = await session.scalar(select(User).where(User.telegram_id == ADMIN_ID))
        assert admin_row is not None
    for button in (
        AdminCb(action=AdminAction.INVITE_ADMIN),
        AdminCb(action=AdminAction.INVITE_METHODIST),
        AdminCb(action=AdminAction.REVOKE, invite_id=1),
        AdminCb(action=AdminAction.REVOKE_YES, invite_id=1),
        AdminCb(action=AdminAction.DEMOTE, person_id=admin_row.id),
        AdminCb(action=AdminAction.DEMOTE_YES, person_id=admin_row.id, staff_role=Role.ADMIN),
        AdminCb(action=AdminAction.STAFF),
        AdminCb(action=AdminAction.INVITES),
        AdminCb(action=AdminAction.MENU),
    ):
        chat.clear_alerts()
        await forged(chat, button)
        assert chat.alerts() == ["Нет доступа: этот раздел не для вашей роли."], button
    async with app.database.sessionmaker() as session:
        invites = list(await session.scalars(select(Invite)))
        assert [i.code for i in invites] == [code]
    assert await role_of(app, 1001) == "teacher"


async def test_methodist_cannot_use_admin_actions(app: App) -> None:
    code = await make_invite(app)
    methodist = app.chat(3001)
    await methodist.open_link(code)
    await methodist.press("Согласен")
    await forged(methodist, AdminCb(action=AdminAction.INVITE_ADMIN))
    assert "Нет доступа" in methodist.alerts()[-1]
    await methodist.send("/admin")
    methodist.expect("Нет доступа")


async def test_a_confirmation_forged_by_a_teacher_or_a_methodist_changes_nothing(app: App) -> None:
    await staff_member(app)
    code = await make_invite(app)
    teacher = app.chat()
    await onboard(teacher)
    async with app.database.sessionmaker() as session:
        rows = {u.telegram_id: u for u in await session.scalars(select(User))}
        invite = await session.scalar(select(Invite).where(Invite.code == code))
        assert invite is not None
    methodist = app.chat(3001)
    for chat in (teacher, methodist):
        for button in (
            AdminCb(action=AdminAction.DEMOTE_YES, person_id=rows[3001].id, staff_role=Role.METHODIST),
            AdminCb(action=AdminAction.DEMOTE_YES, person_id=rows[ADMIN_ID].id, staff_role=Role.ADMIN),
            AdminCb(action=AdminAction.REVOKE_YES, invite_id=invite.id),
        ):
            chat.clear_alerts()
            await forged(chat, button)
            assert chat.alerts() == ["Нет доступа: этот раздел не для вашей роли."], button
    assert await role_of(app, 3001) == "methodist"
    assert await role_of(app, ADMIN_ID) == rows[ADMIN_ID].role
    assert await invite_count(app) == 1


async def test_a_confirmation_without_the_role_it_takes_away_is_stale(app: App) -> None:
    await staff_member(app)
    admin = app.chat(ADMIN_ID)
    async with app.database.sessionmaker() as session:
        person = await session.scalar(select(User).where(User.telegram_id == 3001))
        assert person is not None
    admin.clear_alerts()
    await forged(admin, AdminCb(action=AdminAction.DEMOTE_YES, person_id=person.id))
    assert "устарела" in admin.alerts()[0]
    assert await role_of(app, 3001) == "methodist"


async def test_an_admin_id_of_the_other_messenger_is_nobody_special_here(app: App) -> None:
    """ADMIN_IDS are Telegram ids, MAX_ADMIN_IDS MAX ids: the same number on the other messenger
    is someone else."""
    mine, theirs = ("admin_ids", "max_admin_ids")
    if app.messenger == "max":
        mine, theirs = theirs, mine
    setattr(app.settings, mine, ())
    setattr(app.settings, theirs, (ADMIN_ID,))
    app.restart()
    chat = app.chat(ADMIN_ID)
    await onboard(chat)  # a teacher's questions, not a staff profile
    assert await role_of(app, ADMIN_ID) == "teacher"
    assert "⚙️ Администрирование" not in chat.reply_keyboard()
    await chat.send("/admin")
    chat.expect("Нет доступа")


async def test_a_staff_list_of_forty_has_a_button_for_each(app: App) -> None:
    """Forty methodists: forty buttons and the way back (MAX lays them out in its 30 rows)."""
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    names = [f"Методистова {letter}{second} Ивановна" for letter in "АБВГД" for second in "абвгдеёж"]
    async with app.database.sessionmaker() as session:
        for number, name in enumerate(names):
            session.add(
                User(
                    messenger=app.messenger, telegram_id=5000 + number, locale="ru", role="methodist",
                    full_name=name, consent_at=app.clock.now, subjects=[], region_code="kostroma",
                )
            )  # fmt: skip
        await session.commit()
    await admin.send("/admin")
    await admin.press("Сотрудники")
    admin.expect("40 сотрудников")
    assert len(admin.buttons()) == 41
    await admin.press("Методистова Дж")
    admin.expect("Снять роль методиста: Методистова Д. И.?")
    await admin.press("Да, снять")
    admin.expect("39 сотрудников")
    assert await role_of(app, 5039) == "teacher"
