"""/admin: invitations to the methodist and admin roles, and the staff list. What happens is
decided by ``services.staff``.

Every handler here sits behind the admin role filter; whoever else presses or forges one of
these buttons reaches ``denied`` below and nothing changes.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from domain.digest import short_name
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
    messenger: str,
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
            link=invite_link(me.username or "", invite.code, messenger),
            expires=local_time(invite.expires_at, timezone),
        )
    )


@router.callback_query(AdminCb.filter(F.action == AdminAction.INVITES))
async def list_invites(
    query: CallbackQuery, message: Message, uow: UnitOfWork, role: Role, t: Translator, timezone: str
) -> None:
    await _show_invites(query, message, uow, role, t, timezone)


@router.callback_query(AdminCb.filter(F.action == AdminAction.REVOKE))
async def ask_revoke(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    role: Role,
    t: Translator,
    timezone: str,
) -> None:
    """✖ on an invitation: which one, and «Да, отозвать» / «Отмена»."""
    found = await service.to_revoke(uow, role, callback_data.invite_id)
    if isinstance(found, Denied):
        await no_access(query, t)
        return
    if isinstance(found, Stale):  # used or revoked meanwhile: the list as it is now
        await _show_invites(query, message, uow, role, t, timezone, answer=t("err-stale-button"), alert=True)
        return
    invite = found.invite
    await query.answer()
    await edit_text(
        message,
        t(
            "admin-revoke-confirm",
            role=t(f"role-{invite.role}"),
            expires=local_time(invite.expires_at, timezone),
        ),
        reply_markup=keyboards.confirm(
            t,
            t("admin-btn-revoke-yes"),
            AdminCb(action=AdminAction.REVOKE_YES, invite_id=invite.id),
            AdminCb(action=AdminAction.INVITES),
        ),
    )


@router.callback_query(AdminCb.filter(F.action == AdminAction.REVOKE_YES))
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
    gone = isinstance(revoked, Stale)  # revoked or used meanwhile (a second «Да»)
    done = t("err-stale-button") if gone else t("admin-invite-revoked")
    await _show_invites(query, message, uow, role, t, timezone, answer=done, alert=gone)  # as it is now


@router.callback_query(AdminCb.filter(F.action == AdminAction.STAFF))
async def list_staff(
    query: CallbackQuery, message: Message, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    await _show_staff(query, message, uow, user, role, t)


@router.callback_query(AdminCb.filter(F.action == AdminAction.DEMOTE))
async def ask_demote(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    """✖ on a staff member: whose role, and «Да, снять» / «Отмена»."""
    found = await service.to_demote(uow, user, role, callback_data.person_id)
    if isinstance(found, Denied):
        await no_access(query, t)
        return
    if isinstance(found, Stale):
        await _show_staff(query, message, uow, user, role, t, answer=t("err-stale-button"), alert=True)
        return
    person = found.user
    await query.answer()
    await edit_text(
        message,
        t(
            "admin-demote-confirm",
            name=short_name(person.full_name) if person.full_name else str(person.telegram_id),
            role=person.role,
        ),
        reply_markup=keyboards.confirm(
            t,
            t("admin-btn-demote-yes"),
            AdminCb(action=AdminAction.DEMOTE_YES, person_id=person.id, staff_role=Role(person.role)),
            AdminCb(action=AdminAction.STAFF),
        ),
    )


@router.callback_query(AdminCb.filter(F.action == AdminAction.DEMOTE_YES))
async def demote(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    if callback_data.staff_role is None:  # a confirmation always names the role it takes away
        await stale(query, t)
        return
    demoted = await service.demote(uow, user, role, callback_data.person_id, callback_data.staff_role)
    if isinstance(demoted, Denied):
        await no_access(query, t)
        return
    gone = isinstance(demoted, Stale)  # taken away meanwhile (a second «Да»), or the role changed
    done = t("err-stale-button") if gone else t("admin-demoted")
    await _show_staff(query, message, uow, user, role, t, answer=done, alert=gone)  # as it is now


async def _show_invites(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    role: Role,
    t: Translator,
    timezone: str,
    *,
    answer: str | None = None,
    alert: bool = False,
) -> None:
    """The invitations still usable, in place of the button's message; ``answer`` is the button's
    one answer (what happened; an ``alert`` when nothing did)."""
    invites = await service.invites(uow, role)
    if isinstance(invites, Denied):
        await no_access(query, t)
        return
    await query.answer(answer, show_alert=alert)
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
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    *,
    answer: str | None = None,
    alert: bool = False,
) -> None:
    staff = await service.staff(uow, user, role)
    if isinstance(staff, Denied):
        await no_access(query, t)
        return
    await query.answer(answer, show_alert=alert)
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
