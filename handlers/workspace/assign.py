"""/caseload: an admin assigns teachers of the region to its methodists (and admins), seeing each
one's caseload against the region's limit (C-5)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.roles import Role
from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.render import edit_text, no_access, refused
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import AssignData, AssignSearch
from handlers.workspace.views import NAME_CUT, pager, short
from locales import Html, Translator
from services import workspace as service
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User


@router.message(Command("caseload"), RoleFilter(Role.ADMIN))
async def caseload_admin(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    await state.clear()
    staff = await service.staff(uow, user, role, rules, 0)
    if isinstance(staff, Denied):
        await no_access(message, t)
        return
    text, markup = _staff_view(staff, t)
    await message.answer(text, reply_markup=markup)


@router.message(Command("caseload"))
async def caseload_denied(message: Message, t: Translator) -> None:
    await no_access(message, t)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.STAFF), RoleFilter(Role.ADMIN))
async def staff_page(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    staff = await service.staff(uow, user, role, rules, callback_data.page)
    if isinstance(staff, Denied):
        await no_access(query, t)
        return
    await state.clear()
    await query.answer()
    text, markup = _staff_view(staff, t)
    await edit_text(message, text, reply_markup=markup)


def _staff_view(staff: service.StaffPage, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """Methodists of the admin's region with their caseloads; ⚠️ over the region's limit (C-5)."""
    limit = staff.limit
    lines, kb = [], Keyboard()
    for person, count in staff.rows:
        name = short(person.full_name or str(person.telegram_id), NAME_CUT)
        key = "ws-staff-line-over" if count > limit else "ws-staff-line"
        lines.append(t(key, name=name, role=t(f"role-{person.role}"), count=count, limit=limit))
        kb.button(
            text=t("ws-btn-assign-to", name=name),
            callback_data=WorkspaceCb(action=WorkspaceAction.ASSIGN_PICK, methodist_id=person.id),
        )
    kb.adjust(1)
    kb.attach(pager(staff.page, staff.pages, t, lambda p: WorkspaceCb(action=WorkspaceAction.STAFF, page=p)))
    if not staff.rows:
        return t("ws-staff-none"), kb.as_markup()
    text = t("ws-staff", limit=limit, lines=Html("\n".join(lines)), page=staff.page + 1, pages=staff.pages)
    return text, kb.as_markup()


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.ASSIGN_PICK), RoleFilter(Role.ADMIN))
async def ask_teacher_name(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    picked = await service.pick_methodist(uow, user, role, callback_data.methodist_id)
    if isinstance(picked, (Stale, Denied)):
        await refused(query, picked, t)
        return
    await AssignData(picked.methodist.id).start(state)
    await query.answer()
    await message.answer(t("ws-ask-teacher-name", name=picked.methodist.full_name))


@answers_router.message(AssignSearch.name, F.text, RoleFilter(Role.ADMIN))
async def got_teacher_name(
    message: Message, state: FSMContext, uow: UnitOfWork, user: User, role: Role, t: Translator
) -> None:
    data = await AssignData.load(state)
    found = await service.find_teachers(uow, user, role, data.methodist_id, message.text)
    if isinstance(found, Stale | Denied):
        await state.clear()
        await refused(message, found, t)
        return
    if isinstance(found, Invalid):
        await message.answer(t(found.key, **found.args))
        return
    if not found.matches:
        await message.answer(t("ws-search-nothing", query=found.query))
        return
    kb = Keyboard()
    lines = []
    for teacher, current in found.matches:
        name = short(teacher.full_name or str(teacher.id), NAME_CUT)
        holder = short(current.full_name or "", NAME_CUT) if current else None
        lines.append(t("ws-search-line", name=name, current=holder))
        kb.button(
            text=name,
            callback_data=WorkspaceCb(
                action=WorkspaceAction.ASSIGN_SET, teacher_id=teacher.id, methodist_id=found.methodist.id
            ),
        )
    kb.adjust(1)
    await message.answer(
        t("ws-search-found", name=found.methodist.full_name, lines=Html("\n".join(lines))),
        reply_markup=kb.as_markup(),
    )


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.ASSIGN_SET), RoleFilter(Role.ADMIN))
async def assign_teacher(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    assigned = await service.assign(uow, user, role, callback_data.teacher_id, callback_data.methodist_id)
    if isinstance(assigned, (Stale, Denied)):
        await refused(query, assigned, t)
        return
    teacher, methodist = assigned.teacher, assigned.methodist
    await state.clear()
    await query.answer(t("ws-assigned-alert"))
    kb = Keyboard()
    kb.button(text=t("ws-btn-staff"), callback_data=WorkspaceCb(action=WorkspaceAction.STAFF))
    await edit_text(
        message,
        t("ws-assigned", teacher=teacher.full_name, methodist=methodist.full_name),
        reply_markup=kb.as_markup(),
    )
