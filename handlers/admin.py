"""/admin: invitations to the methodist and admin roles, and the staff list.

Every handler here sits behind the admin role filter; whoever else presses or forges one of
these buttons reaches ``denied`` below and nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.roles import Role, invite_expiry, invite_link, new_invite_code
from handlers import keyboards
from handlers.callbacks import AdminCb
from handlers.filters import MenuButton, RoleFilter
from locales import Translator
from storage.audit import audit
from storage.models import User
from storage.repositories import InviteRepo, UserRepo

log = logging.getLogger(__name__)
router = Router(name="admin")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))
denied = Router(name="admin-denied")
Clock = Callable[[], datetime]
INVITE_ROLES = {"invite_methodist": Role.METHODIST, "invite_admin": Role.ADMIN}


@router.message(Command("admin"))
@router.message(MenuButton("menu-admin"))
async def admin_menu(message: Message, t: Translator) -> None:
    await message.answer(t("admin-menu"), reply_markup=keyboards.admin_menu(t))


@router.callback_query(AdminCb.filter(F.action == "menu"))
async def admin_menu_again(query: CallbackQuery, t: Translator) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("admin-menu"), reply_markup=keyboards.admin_menu(t))


@router.callback_query(AdminCb.filter(F.action.in_(INVITE_ROLES)))
async def create_invite(
    query: CallbackQuery,
    callback_data: AdminCb,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    clock: Clock,
    invite_ttl_hours: int,
    timezone: str,
) -> None:
    role = INVITE_ROLES[callback_data.action]
    code = new_invite_code()
    expires = invite_expiry(clock(), invite_ttl_hours)
    invite = await InviteRepo(session).create(code, role, user.id, expires)
    await audit(session, user.id, "invite.create", target_type="invite", target_id=invite.id, role=role.value)
    await session.commit()
    log.info("invite created", extra={"user_id": user.id, "role": role})
    me = await bot.me()
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(
        t(
            "admin-invite-created",
            role=t(f"role-{role}"),
            link=invite_link(me.username or "", code),
            expires=_local(expires, timezone),
        )
    )


@router.callback_query(AdminCb.filter(F.action == "invites"))
async def list_invites(
    query: CallbackQuery, session: AsyncSession, t: Translator, clock: Clock, timezone: str
) -> None:
    invites = await InviteRepo(session).active(clock())
    await query.answer()
    assert isinstance(query.message, Message)
    if not invites:
        await query.message.edit_text(
            t("admin-invites-none"), reply_markup=keyboards.admin_list(t, "menu", [])
        )
        return
    buttons = [
        (i.id, t("admin-invite-revoke", role=t(f"role-{i.role}"), expires=_local(i.expires_at, timezone)))
        for i in invites[:50]
    ]
    await query.message.edit_text(
        t("admin-invites", count=len(invites)), reply_markup=keyboards.admin_list(t, "revoke", buttons)
    )


@router.callback_query(AdminCb.filter(F.action == "revoke"))
async def revoke_invite(
    query: CallbackQuery,
    callback_data: AdminCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    revoked = await InviteRepo(session).revoke(callback_data.value)
    if revoked:
        await audit(session, user.id, "invite.revoke", target_type="invite", target_id=callback_data.value)
    await session.commit()
    await query.answer(
        t("admin-invite-revoked") if revoked else t("err-stale-button"), show_alert=not revoked
    )
    await list_invites(query, session, t, clock, timezone)


@router.callback_query(AdminCb.filter(F.action == "staff"))
async def list_staff(query: CallbackQuery, session: AsyncSession, user: User, t: Translator) -> None:
    staff = [s for s in await UserRepo(session).staff() if s.id != user.id]
    await query.answer()
    assert isinstance(query.message, Message)
    buttons = [
        (s.id, t("admin-staff-demote", name=s.full_name or str(s.telegram_id), role=t(f"role-{s.role}")))
        for s in staff[:50]
    ]
    text = t("admin-staff", count=len(staff)) if staff else t("admin-staff-none")
    await query.message.edit_text(text, reply_markup=keyboards.admin_list(t, "demote", buttons))


@router.callback_query(AdminCb.filter(F.action == "demote"))
async def demote(
    query: CallbackQuery, callback_data: AdminCb, session: AsyncSession, user: User, t: Translator
) -> None:
    target = await session.get(User, callback_data.value)
    if target is None or target.id == user.id or target.role == Role.TEACHER:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await audit(session, user.id, "role.remove", target_type="user", target_id=target.id, role=target.role)
    target.role = Role.TEACHER
    await session.commit()
    log.info("role removed", extra={"user_id": user.id, "target_id": target.id})
    await query.answer(t("admin-demoted"))
    await list_staff(query, session, user, t)


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


@denied.message(Command("admin"))
@denied.message(MenuButton("menu-admin"))
async def denied_command(message: Message, t: Translator) -> None:
    await message.answer(t("no-access"))


@denied.callback_query(AdminCb.filter())
async def denied_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("no-access"), show_alert=True)
