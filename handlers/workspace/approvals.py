"""The ИОМ of a caseload teacher: its items, approval, return with a comment, and the
confirmation that a done item went into practice."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from handlers.callbacks import WorkspaceAction, WorkspaceCb
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, question_gone, stale
from handlers.workspace import views
from handlers.workspace.routers import answers_router, router
from handlers.workspace.states import ReturnComment, ReturnData
from locales import Translator
from services import workspace as service
from services.regions import RegionRules
from services.results import Invalid, Stale
from services.uow import UnitOfWork
from storage.frameworks import Frameworks
from storage.models import User


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.ROUTE))
async def route_items(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    view = await service.route(uow, user, callback_data.route_id, callback_data.page)
    if isinstance(view, Stale):
        await stale(query, t)
        return
    await query.answer()
    text, markup = views.route(view, t)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.APPROVE))
async def approve_route(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    rules: RegionRules,
    user: User,
    t: Translator,
    frameworks: Frameworks,
) -> None:
    approved = await service.approve(uow, user, rules, callback_data.route_id)
    if isinstance(approved, Stale):
        await stale(query, t)
        return
    await query.answer(t("ws-approved"), show_alert=True)
    text, markup = views.card(approved.card, frameworks, t)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.RETURN))
async def ask_return_comment(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    asked = await service.ask_return(uow, user, callback_data.route_id)
    if isinstance(asked, Stale):
        await stale(query, t)
        return
    await ReturnData(asked.route_id).start(state)
    await query.answer()
    await message.answer(t("ws-ask-comment", max=service.COMMENT_MAX))


@asks_again(ReturnComment.comment, expects=Expects.TEXT)
async def ask_comment_again(asking: Asking) -> bool:
    await asking.message.answer(asking.t("ws-ask-comment", max=service.COMMENT_MAX))
    return True


@answers_router.message(ReturnComment.comment, F.text)
async def got_return_comment(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    data = await ReturnData.load(state)
    returned = await service.return_route(uow, user, data.route_id, message.text)
    if isinstance(returned, Stale):
        await question_gone(message, state, t)
        return
    if isinstance(returned, Invalid):
        question = t("ws-ask-comment", max=service.COMMENT_MAX)
        await message.answer(t(returned.key, **returned.args) + "\n\n" + question)
        return
    await state.clear()
    await message.answer(t("ws-returned"))


@router.callback_query(WorkspaceCb.filter(F.action == WorkspaceAction.TRANSFER))
async def confirm_transfer(
    query: CallbackQuery,
    message: Message,
    callback_data: WorkspaceCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    done = await service.confirm_transfer(uow, user, callback_data.item_id, callback_data.page)
    if isinstance(done, Stale):
        await stale(query, t)
        return
    await query.answer(t("ws-transfer-confirmed"))
    text, markup = views.route(done.route, t)
    await edit_text(message, text, reply_markup=markup)
