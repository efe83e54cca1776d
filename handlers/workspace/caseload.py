"""«Мои педагоги»: the caseload, a page at a time, under a filter."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callbacks import MentorStaffAction, MentorStaffCb, WorkspaceAction, WorkspaceCb
from handlers.keyboards import Keyboard
from handlers.render import edit_text, stale
from handlers.workspace.routers import router
from handlers.workspace.views import NAME_CUT, pager, short
from locales import Translator
from services import workspace as service
from services.regions import RegionRules
from services.results import Stale
from services.uow import UnitOfWork
from storage.models import User


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.LIST))
async def teacher_list(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
) -> None:
    shown = await service.teacher_list(uow, user, rules, callback_data.list_filter, callback_data.page)
    if isinstance(shown, Stale):
        await stale(query, t)
        return
    await state.clear()
    await query.answer()
    text = t(
        "ws-list",
        filter=t(f"ws-filter-{shown.list_filter}"),
        count=shown.total,
        page=shown.page + 1,
        pages=shown.pages,
    )
    if not shown.teachers:
        text += "\n\n" + t("ws-list-empty")
    await edit_text(message, text, reply_markup=_list_markup(shown, t))


def _list_markup(shown: service.TeacherPage, t: Translator) -> InlineKeyboardMarkup:
    chosen, page = shown.list_filter, shown.page
    filters = Keyboard()
    for name in service.FILTERS:
        mark = "• " if name == chosen else ""
        filters.button(
            text=mark + t(f"ws-filter-{name}"),
            callback_data=WorkspaceCb(action=WorkspaceAction.LIST, list_filter=name),
        )
    filters.adjust(2)
    people = Keyboard()
    for teacher in shown.teachers:
        people.button(
            text=short(teacher.full_name or str(teacher.id), NAME_CUT),
            callback_data=WorkspaceCb(
                action=WorkspaceAction.SHOW, teacher_id=teacher.id, page=page, list_filter=chosen
            ),
        )
    people.adjust(1)
    filters.attach(people)
    filters.attach(
        pager(
            page,
            shown.pages,
            t,
            lambda p: WorkspaceCb(action=WorkspaceAction.LIST, page=p, list_filter=chosen),
        )
    )
    tail = Keyboard()
    tail.button(text=t("ws-btn-export"), callback_data=WorkspaceCb(action=WorkspaceAction.EXPORT))
    tail.button(text=t("btn-back"), callback_data=MentorStaffCb(action=MentorStaffAction.MENU))
    tail.adjust(1)
    filters.attach(tail)
    return filters.as_markup()
