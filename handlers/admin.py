"""/admin: invitations to the methodist and admin roles, and the staff list. What happens is
decided by ``services.staff``.

Every handler here sits behind the admin role filter; whoever else presses or forges one of
these buttons reaches ``denied`` below and nothing changes.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from domain.roles import Role, invite_link
from handlers import keyboards
from handlers.callbacks import AdminAction, AdminCb
from handlers.filters import MenuButton, RoleFilter
from handlers.render import edit_text, local_time, no_access, refused, stale
from locales import Translator
from services import staff as service
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="admin")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))
denied = Router(name="admin-denied")
INVITE_ROLES = {AdminAction.INVITE_METHODIST: Role.METHODIST, AdminAction.INVITE_ADMIN: Role.ADMIN}


@router.message(Command("admin"))
@router.message(MenuButton("menu-admin"))
async def admin_menu(message: Message, t: Translator) -> None:
    await message.answer(t("admin-menu"), reply_markup=keyboards.admin_menu(t))


@router.callback_query(AdminCb.filter(F.action == AdminAction.MENU))
async def admin_menu_again(query: CallbackQuery, message: Message, t: Translator) -> None:
    await query.answer()
    await message.edit_text(t("admin-menu"), reply_markup=keyboards.admin_menu(t))


@router.callback_query(AdminCb.filter(F.action.in_(INVITE_ROLES)))
async def create_invite(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    bot: Bot,
    t: Translator,
    invite_ttl_hours: int,
    timezone: str,
) -> None:
    invited = await service.invite(uow, user, role, INVITE_ROLES[callback_data.action], invite_ttl_hours)
    if isinstance(invited, (Stale, Denied)):
        await refused(query, invited, t)
        return
    invite = invited.invite
    me = await bot.me()
    await query.answer()
    await message.answer(
        t(
            "admin-invite-created",
            role=t(f"role-{invite.role}"),
            link=invite_link(me.username or "", invite.code),
            expires=local_time(invite.expires_at, timezone),
        )
    )


@router.callback_query(AdminCb.filter(F.action == AdminAction.INVITES))
async def list_invites(
    query: CallbackQuery, message: Message, uow: UnitOfWork, role: Role, t: Translator, timezone: str
) -> None:
    await _show_invites(query, message, uow, role, t, timezone)


@router.callback_query(AdminCb.filter(F.action == AdminAction.REVOKE))
async def revoke_invite(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    timezone: str,
) -> None:
    revoked = await service.revoke(uow, user, role, callback_data.invite_id)
    if isinstance(revoked, Denied):
        await no_access(query, t)
        return
    if isinstance(revoked, Stale):
        await stale(query, t)  # and the list as it is now
    else:
        await query.answer(t("admin-invite-revoked"))
    await _show_invites(query, message, uow, role, t, timezone)


@router.callback_query(AdminCb.filter(F.action == AdminAction.STAFF))
async def list_staff(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    await _show_staff(query, message, uow, user, role, t)


@router.callback_query(AdminCb.filter(F.action == AdminAction.DEMOTE))
async def demote(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    demoted = await service.demote(uow, user, role, callback_data.person_id)
    if isinstance(demoted, (Stale, Denied)):
        await refused(query, demoted, t)
        return
    await query.answer(t("admin-demoted"))
    await _show_staff(query, message, uow, user, role, t)


async def _show_invites(
    query: CallbackQuery, message: Message, uow: UnitOfWork, role: Role, t: Translator, timezone: str
) -> None:
    invites = await service.invites(uow, role)
    if isinstance(invites, Denied):
        await no_access(query, t)
        return
    await query.answer()
    if not invites.count:
        await edit_text(message, t("admin-invites-none"), reply_markup=keyboards.admin_list(t, []))
        return
    buttons = [
        (
            AdminCb(action=AdminAction.REVOKE, invite_id=i.id),
            t("admin-invite-revoke", role=t(f"role-{i.role}"), expires=local_time(i.expires_at, timezone)),
        )
        for i in invites.shown
    ]
    await edit_text(
        message,
        t("admin-invites", count=invites.count),
        reply_markup=keyboards.admin_list(t, buttons),
    )


async def _show_staff(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    staff = await service.staff(uow, user, role)
    if isinstance(staff, Denied):
        await no_access(query, t)
        return
    await query.answer()
    buttons = [
        (
            AdminCb(action=AdminAction.DEMOTE, person_id=s.id),
            t("admin-staff-demote", name=s.full_name or str(s.telegram_id), role=t(f"role-{s.role}")),
        )
        for s in staff.shown
    ]
    text = t("admin-staff", count=staff.count) if staff.count else t("admin-staff-none")
    await edit_text(message, text, reply_markup=keyboards.admin_list(t, buttons))


@denied.message(Command("admin"))
@denied.message(MenuButton("menu-admin"))
async def denied_command(message: Message, t: Translator) -> None:
    await no_access(message, t)


@denied.callback_query(AdminCb.filter())
async def denied_button(query: CallbackQuery, t: Translator) -> None:
    await no_access(query, t)
