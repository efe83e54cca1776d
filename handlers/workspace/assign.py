"""/caseload: an admin assigns teachers of the region to its methodists (and admins), seeing each
one's caseload against the region's limit (C-5)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.roles import Role
from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, no_access, refused
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import AssignData, AssignSearch, previewed, remember_preview
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


def _staff_view(
    staff: service.StaffPage,
    t: Translator,
    *,
    pick: Callable[[User], WorkspaceCb] = lambda person: WorkspaceCb(
        action=WorkspaceAction.ASSIGN_PICK, methodist_id=person.id
    ),
    page: Callable[[int], WorkspaceCb] = lambda p: WorkspaceCb(action=WorkspaceAction.STAFF, page=p),
    title: str = "ws-staff",
    **args: object,
) -> tuple[str, InlineKeyboardMarkup]:
    """Methodists of the admin's region with their caseloads (⚠️ over the region's target, C-5),
    each a button (``pick``): /caseload's list, or the methodists for one teacher (``title``)."""
    limit = staff.limit
    lines, kb = [], Keyboard()
    for person, count in staff.rows:
        name = short(person.full_name or str(person.telegram_id), NAME_CUT)
        key = "ws-staff-line-over" if count > limit else "ws-staff-line"
        lines.append(t(key, name=name, role=t(f"role-{person.role}"), count=count, limit=limit))
        kb.button(text=t("ws-btn-assign-to", name=name), callback_data=pick(person))
    kb.adjust(1)
    kb.attach(pager(staff.page, staff.pages, t, page))
    if not staff.rows:
        return t("ws-staff-none"), kb.as_markup()
    lines_html = Html("\n".join(lines))
    text = t(title, limit=limit, lines=lines_html, page=staff.page + 1, pages=staff.pages, **args)
    return text, kb.as_markup()


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.ASSIGN_FOR), RoleFilter(Role.ADMIN))
async def methodists_for_teacher(
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
    """From «Входящие»: a teacher without a methodist, and the region's methodists to give them to."""
    found = await service.methodists_for(uow, user, role, rules, callback_data.teacher_id, callback_data.page)
    if isinstance(found, (Stale, Denied)):
        await refused(query, found, t)
        return
    await state.clear()
    await query.answer()
    teacher = found.teacher
    text, markup = _staff_view(
        found.staff,
        t,
        pick=lambda person: WorkspaceCb(
            action=WorkspaceAction.ASSIGN_SET, teacher_id=teacher.id, methodist_id=person.id
        ),
        page=lambda p: WorkspaceCb(action=WorkspaceAction.ASSIGN_FOR, teacher_id=teacher.id, page=p),
        title="ws-assign-for",
        name=teacher.full_name or "—",
    )
    await message.answer(text, reply_markup=markup)


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
    methodist_id = picked.methodist.id
    kb = Keyboard()
    kb.button(
        text=t("ws-btn-bulk-municipality"),
        callback_data=WorkspaceCb(action=WorkspaceAction.BULK_MUNICIPALITIES, methodist_id=methodist_id),
    )
    kb.button(
        text=t("ws-btn-bulk-school"),
        callback_data=WorkspaceCb(action=WorkspaceAction.BULK_SCHOOL_PLACES, methodist_id=methodist_id),
    )
    kb.adjust(2)
    await message.answer(
        t("ws-ask-teacher-name", name=picked.methodist.full_name), reply_markup=kb.as_markup()
    )


@asks_again(AssignSearch.name, expects=Expects.TEXT)
async def ask_name_again(asking: Asking) -> bool:
    data = await AssignData.load(asking.state)
    picked = await service.pick_methodist(asking.uow, asking.user, asking.role, data.methodist_id)
    if isinstance(picked, (Stale, Denied)):
        return False
    await asking.message.answer(asking.t("ws-ask-teacher-name", name=picked.methodist.full_name))
    return True


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


# --- in bulk: every teacher of a municipality or a school ------------------------------------------


def _back_to_staff(kb: Keyboard, t: Translator) -> None:
    kb.button(text=t("ws-btn-staff"), callback_data=WorkspaceCb(action=WorkspaceAction.STAFF))


@router.callback_query(
    WorkspaceCb.filter(
        F.action.in_({WorkspaceAction.BULK_MUNICIPALITIES, WorkspaceAction.BULK_SCHOOL_PLACES})
    ),
    RoleFilter(Role.ADMIN),
)
async def bulk_places(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    """The region's municipalities: one to assign all its teachers, or one to pick a school in."""
    for_school = callback_data.action == WorkspaceAction.BULK_SCHOOL_PLACES
    places = await service.bulk_places(
        uow, user, role, callback_data.methodist_id, callback_data.page, for_school=for_school
    )
    if isinstance(places, (Stale, Denied)):
        await refused(query, places, t)
        return
    methodist_id = places.methodist.id
    kb = Keyboard()
    for place in places.places:
        if for_school:
            button = WorkspaceCb(
                action=WorkspaceAction.BULK_SCHOOLS, methodist_id=methodist_id, municipality_id=place.id
            )
        else:
            button = WorkspaceCb(
                action=WorkspaceAction.BULK_PREVIEW, methodist_id=methodist_id, municipality_id=place.id
            )
        kb.button(text=short(place.name, NAME_CUT), callback_data=button)
    kb.adjust(2)
    kb.attach(
        pager(
            places.page,
            places.pages,
            t,
            lambda p: WorkspaceCb(action=callback_data.action, methodist_id=methodist_id, page=p),
        )
    )
    back = Keyboard()
    _back_to_staff(back, t)
    kb.attach(back)
    key = "ws-bulk-pick-municipality-school" if for_school else "ws-bulk-pick-municipality"
    text = t("ws-bulk-none") if not places.places else t(key, name=places.methodist.full_name)
    await query.answer()
    await edit_text(message, text, reply_markup=kb.as_markup())


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.BULK_SCHOOLS), RoleFilter(Role.ADMIN))
async def bulk_schools(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
) -> None:
    """The schools of a municipality, to assign one's teachers."""
    schools = await service.bulk_schools(
        uow, user, role, callback_data.methodist_id, callback_data.municipality_id, callback_data.page
    )
    if isinstance(schools, (Stale, Denied)):
        await refused(query, schools, t)
        return
    methodist_id, municipality_id = schools.methodist.id, schools.municipality.id
    kb = Keyboard()
    for school in schools.schools:
        kb.button(
            text=short(school.name, NAME_CUT),
            callback_data=WorkspaceCb(
                action=WorkspaceAction.BULK_PREVIEW, methodist_id=methodist_id, school_id=school.id
            ),
        )
    kb.adjust(1)
    kb.attach(
        pager(
            schools.page,
            schools.pages,
            t,
            lambda p: WorkspaceCb(
                action=WorkspaceAction.BULK_SCHOOLS,
                methodist_id=methodist_id,
                municipality_id=municipality_id,
                page=p,
            ),
        )
    )
    back = Keyboard()
    back.button(
        text=t("ws-btn-bulk-back-places"),
        callback_data=WorkspaceCb(action=WorkspaceAction.BULK_SCHOOL_PLACES, methodist_id=methodist_id),
    )
    kb.attach(back)
    key = "ws-bulk-pick-school" if schools.schools else "ws-bulk-no-schools"
    await query.answer()
    await edit_text(
        message,
        t(key, name=schools.methodist.full_name, municipality=schools.municipality.name),
        reply_markup=kb.as_markup(),
    )


def _target(callback_data: WorkspaceCb) -> service.BulkTarget:
    return service.BulkTarget(
        callback_data.methodist_id, callback_data.municipality_id, callback_data.school_id
    )


def _unit(municipality: str, school: str | None, t: Translator) -> str:
    if school is None:
        return t("ws-bulk-unit-municipality", municipality=municipality)
    return t("ws-bulk-unit-school", school=school, municipality=municipality)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.BULK_PREVIEW), RoleFilter(Role.ADMIN))
async def bulk_preview(
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
    """How many teachers would move, and the methodist's caseload after, before anything is written."""
    preview = await service.bulk_preview(uow, user, role, rules, _target(callback_data))
    if isinstance(preview, (Stale, Denied)):
        await refused(query, preview, t)
        return
    await remember_preview(state, preview.target)
    unit = Html(_unit(preview.municipality.name, preview.school.name if preview.school else None, t))
    lines = [
        t(
            "ws-bulk-preview",
            name=preview.methodist.full_name,
            unit=unit,
            teachers=preview.teachers,
            moving=preview.moving,
            from_others=preview.from_others,
            already=preview.already,
            now=preview.caseload_now,
            after=preview.caseload_after,
            limit=preview.limit,
        )
    ]
    if preview.over_limit:
        lines.append(t("ws-bulk-over-limit", after=preview.caseload_after, limit=preview.limit))
    kb = Keyboard()
    if preview.moving:
        kb.button(
            text=t("ws-btn-bulk-confirm", count=preview.moving),
            callback_data=WorkspaceCb(
                action=WorkspaceAction.BULK_CONFIRM,
                methodist_id=preview.target.methodist_id,
                municipality_id=preview.target.municipality_id,
                school_id=preview.target.school_id,
            ),
        )
    else:
        lines.append(t("ws-bulk-nothing"))
    _back_to_staff(kb, t)
    kb.adjust(1)
    await query.answer()
    await edit_text(message, "\n\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.BULK_CONFIRM), RoleFilter(Role.ADMIN))
async def bulk_confirm(
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
    done = await service.bulk_assign(uow, user, role, rules, _target(callback_data), await previewed(state))
    if isinstance(done, (Stale, Denied)):
        await refused(query, done, t)
        return
    await state.clear()
    await query.answer(t("ws-bulk-assigned-alert"))
    school = done.school.name if done.school else None
    text = t(
        "ws-bulk-assigned",
        name=done.methodist.full_name,
        unit=Html(_unit(done.municipality.name, school, t)),
        moved=done.moved,
        from_others=done.from_others,
        after=done.caseload_after,
    )
    if done.over_limit:
        text += "\n\n" + t("ws-bulk-over-limit", after=done.caseload_after, limit=done.limit)
    kb = Keyboard()
    _back_to_staff(kb, t)
    await edit_text(message, text, reply_markup=kb.as_markup())
