"""Roles: admins from settings, single-use expiring invites, and the role filter on every action."""

from __future__ import annotations

from sqlalchemy import select

from handlers.callbacks import AdminAction, AdminCb
from storage.models import Invite, User
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard, staff_profile


async def make_invite(app: App, button: str = "Пригласить методиста") -> str:
    admin = app.chat(ADMIN_ID)
    if not admin.replies:
        await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press(button)
    text = next(m for m in admin.replies if "t.me" in m.plain_text).plain_text
    link = next(word for word in text.split() if word.startswith("https://t.me/"))
    assert link.startswith("https://t.me/efs_demo_bot?start=inv_")
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
    await newcomer.send(f"/start {code}")
    await newcomer.press("Согласен")
    newcomer.expect("Приглашение принято", "методист")
    assert await role_of(app, 3001) == "methodist"

    second = app.chat(3002)
    await second.send("/start")
    await second.press("Согласен")
    await second.send(f"/start {code}")
    second.expect("недействительна")
    assert await role_of(app, 3002) == "teacher"


async def test_existing_teacher_follows_admin_invite(app: App) -> None:
    code = await make_invite(app, "Пригласить администратора")
    chat = app.chat()
    await onboard(chat)
    await chat.send(f"/start {code}")
    chat.expect("Ваша роль: администратор", "профиль сотрудника")
    assert await role_of(app, 1001) == "admin"
    await staff_profile(chat, title="Специалист ЦНППМ")  # the region is known: not asked again
    assert "⚙️ Администрирование" in chat.reply_keyboard()


async def test_expired_invite_is_refused(app: App) -> None:
    code = await make_invite(app)
    app.clock.advance(hours=app.settings.invite_ttl_hours + 1)
    chat = app.chat()
    await chat.send(f"/start {code}")
    await chat.press("Согласен")
    chat.expect("недействительна")
    assert await role_of(app, 1001) == "teacher"


async def test_garbage_deep_link_is_refused_but_start_goes_on(app: App) -> None:
    chat = app.chat()
    await chat.send("/start <script>")
    chat.expect("недействительна", "Согласие")


async def test_revoked_invite_cannot_be_used(app: App) -> None:
    code = await make_invite(app)
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Действующие приглашения")
    admin.expect("1 действующее приглашение")
    await admin.press("✖")
    assert "Приглашение отозвано." in [a.get("text") for a in app.stub.callback_answers]
    async with app.database.sessionmaker() as session:
        assert await session.scalar(select(Invite).where(Invite.code == code)) is None


async def test_staff_list_and_demote(app: App) -> None:
    code = await make_invite(app)
    methodist = app.chat(3001)
    await methodist.send(f"/start {code}")
    await methodist.press("Согласен")
    await methodist.send("Методистова Ольга")
    admin = app.chat(ADMIN_ID)
    await admin.send("/admin")
    await admin.press("Сотрудники")
    admin.expect("1 сотрудник")
    await admin.press("Методистова Ольга")
    assert await role_of(app, 3001) == "teacher"


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
        AdminCb(action=AdminAction.DEMOTE, person_id=admin_row.id),
        AdminCb(action=AdminAction.STAFF),
        AdminCb(action=AdminAction.INVITES),
        AdminCb(action=AdminAction.MENU),
    ):
        app.stub.callback_answers.clear()
        await forged(chat, button)
        assert chat.alerts() == ["Нет доступа: этот раздел не для вашей роли."], button
    async with app.database.sessionmaker() as session:
        invites = list(await session.scalars(select(Invite)))
        assert [i.code for i in invites] == [code]
    assert await role_of(app, 1001) == "teacher"


async def test_methodist_cannot_use_admin_actions(app: App) -> None:
    code = await make_invite(app)
    methodist = app.chat(3001)
    await methodist.send(f"/start {code}")
    await methodist.press("Согласен")
    await forged(methodist, AdminCb(action=AdminAction.INVITE_ADMIN))
    assert "Нет доступа" in methodist.alerts()[-1]
    await methodist.send("/admin")
    methodist.expect("Нет доступа")
