"""Reminders on Telegram: a neutral reminder view (``services.reminders``) as text and an inline
keyboard, and the person's side — putting a reminder off, and «Профиль → Уведомления».

What a reminder says, and whether it still applies, is decided by its kind in
``services.reminders``; the sender (``bot.jobs``) reaches ``render`` through
``bot.factory.telegram_presenters().reminder``."""

from __future__ import annotations

import html
from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.callbacks import (
    DiagAction,
    DiagCb,
    InboxAction,
    InboxCb,
    MentorAction,
    MentorCb,
    NotifyCb,
    OutboxAction,
    OutboxCb,
    RouteAction,
    RouteCb,
    WorkspaceAction,
    WorkspaceCb,
)
from handlers.keyboards import Keyboard
from handlers.render import edit_text, stale
from locales import Html, Translator
from services.reminders import (
    Action,
    AnswerRequest,
    ByLocale,
    Mention,
    OpenCaseload,
    OpenInbox,
    OpenMentorPair,
    OpenMentorship,
    OpenRoute,
    OpenRouteItem,
    OpenTeacherCard,
    ResumeDiagnosis,
    Snooze,
    StartDiagnosis,
    Term,
    Terms,
    View,
)
from services.reminders import preferences as service
from services.results import Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="reminders")


# --- rendering (at send time) ----------------------------------------------------------------------


def callback(action: Action) -> CallbackData:
    """The button a neutral action becomes on Telegram."""
    match action:
        case ResumeDiagnosis(diagnosis_id=diagnosis_id):
            return DiagCb(action=DiagAction.RESUME, diagnosis_id=diagnosis_id)
        case StartDiagnosis():
            return DiagCb(action=DiagAction.START)
        case OpenRouteItem(route_id=route_id, item_id=item_id):
            return RouteCb(action=RouteAction.ITEM, route_id=route_id, item_id=item_id)
        case OpenTeacherCard(teacher_id=teacher_id):
            return WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=teacher_id)
        case OpenMentorPair(pair_id=pair_id):
            return MentorCb(action=MentorAction.PAIR, pair_id=pair_id)
        case Snooze(outbox_id=outbox_id, days=days):
            return OutboxCb(action=OutboxAction.SNOOZE, outbox_id=outbox_id, days=days)
        case AnswerRequest(request_id=request_id, accept=accept):
            answer = MentorAction.ACCEPT if accept else MentorAction.DECLINE
            return MentorCb(action=answer, request_id=request_id)
        case OpenRoute(route_id=route_id):
            return RouteCb(action=RouteAction.VIEW, route_id=route_id)
        case OpenMentorship():
            return MentorCb(action=MentorAction.HOME)
        case OpenCaseload():
            return WorkspaceCb(action=WorkspaceAction.LIST)
        case OpenInbox():
            return InboxCb(action=InboxAction.SHOW)


def argument(value: Any, t: Translator) -> Any:
    """An argument of a queued message in the reader's language: a key translated, keys joined,
    a person as a link to their chat (with the contact they allowed)."""
    match value:
        case Term(key=key):
            return t(key)
        case Terms(keys=keys, empty=empty):
            return ", ".join(t(k) for k in keys) or (t(empty) if empty else "—")
        case ByLocale(ru=ru, en=en, empty=empty):
            return (en if t.locale == "en" else ru) or (t(empty) if empty else "—")
        case Mention(messenger_id=messenger_id, name=name, contact=contact, messenger=messenger):
            shown = html.escape(name or "Telegram")
            # Telegram's chat link names a Telegram account; a MAX account has none to link to.
            link = f'<a href="tg://user?id={messenger_id}">{shown}</a>' if messenger == "telegram" else shown
            return Html(link + ("\n" + html.escape(contact) if contact else ""))
        case _:
            return value  # a plain value (a name, a number, a date) as it is


def render(view: View, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder's text and buttons, one button a row."""
    kb = Keyboard()
    for button in view.buttons:
        kb.button(text=t(button.label), callback_data=callback(button.action))
    kb.adjust(1)
    args = {name: argument(value, t) for name, value in view.args.items()}
    return t(view.text, **args), kb.as_markup()


# --- the person's side: snooze and settings ---------------------------------------------------------


@router.callback_query(OutboxCb.filter(F.action == OutboxAction.SNOOZE))
async def snooze(
    query: CallbackQuery,
    message: Message,
    callback_data: OutboxCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    snoozed = await service.snooze(uow, user.id, callback_data.outbox_id, callback_data.days)
    if isinstance(snoozed, Stale):
        await stale(query, t)
        return
    await query.answer(t(f"remind-snoozed-{snoozed.days}"))
    await message.edit_reply_markup(reply_markup=None)


def notify_view(settings: service.NotifySettings, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    kb = Keyboard()
    for group in settings.groups:
        mark = "🔔" if group.on else "🔕"
        kb.button(
            text=f"{mark} {t(f'notify-group-{group.group}')}", callback_data=NotifyCb(group=group.group)
        )
    kb.adjust(1)
    return t("notify-settings"), kb.as_markup()


def settings_view(user: User, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """«Профиль → Уведомления» of ``user``."""
    return notify_view(service.notify_settings(user), t)


@router.callback_query(NotifyCb.filter())
async def toggle(
    query: CallbackQuery,
    message: Message,
    callback_data: NotifyCb,
    uow: UnitOfWork,
    user: User,
    t: Translator,
) -> None:
    toggled = await service.toggle_group(uow, user, callback_data.group)
    if isinstance(toggled, Stale):
        await stale(query, t)
        return
    await query.answer(t("notify-on" if toggled.on else "notify-off"))
    text, markup = notify_view(toggled.settings, t)
    await edit_text(message, text, reply_markup=markup)
