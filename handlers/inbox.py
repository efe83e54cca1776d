"""«Входящие»: one message listing what waits for this person (``services.inbox``), numbered, with a
button or two per entry that lead to the feature's own handlers (accept a request, open a card, a
route). The count is the message's first line: the reply keyboard is not re-sent on every change."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import InlineKeyboardMarkup, Message

from domain.roles import Role
from handlers.callbacks import (
    MentorAction,
    MentorCb,
    RouteAction,
    RouteCb,
    WorkspaceAction,
    WorkspaceCb,
)
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from locales import Translator
from services import inbox as service
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="inbox")

SHOWN = 20  # entries listed; the rest are counted
TEXT_LIMIT = 80  # characters of a name or a comment in a line


@router.message(MenuButton("menu-inbox"))
async def show_inbox(message: Message, uow: UnitOfWork, user: User, t: Translator, role: Role) -> None:
    box = await service.inbox(uow, user, role)
    text, markup = render(box, t)
    await message.answer(text, reply_markup=markup)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def render(box: service.Inbox, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    if not box.items:
        return t("inbox-empty"), None
    lines = [t("inbox-title", count=box.total)]
    kb = Keyboard()
    widths: list[int] = []
    for number, item in enumerate(box.items[:SHOWN], start=1):
        name = _short(item.name) or t("inbox-no-name")
        if item.kind == service.Kind.MENTOR_REQUEST:
            form = t(f"mentor-form-{item.text}") if item.text else ""
            lines.append(t("inbox-mentor-request", number=number, name=name, form=form))
            kb.button(
                text=t("inbox-btn-accept", number=number),
                callback_data=MentorCb(action=MentorAction.ACCEPT, request_id=item.id),
            )
            kb.button(
                text=t("inbox-btn-decline", number=number),
                callback_data=MentorCb(action=MentorAction.DECLINE, request_id=item.id),
            )
            widths.append(2)
        elif item.kind == service.Kind.ROUTE_TO_APPROVE:
            lines.append(t("inbox-route-to-approve", number=number, name=name))
            kb.button(
                text=t("inbox-btn-open", number=number),
                callback_data=WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=item.id),
            )
            widths.append(1)
        elif item.kind == service.Kind.TRANSFER_TO_CONFIRM:
            lines.append(t("inbox-transfer", number=number, name=name, count=item.count))
            kb.button(
                text=t("inbox-btn-open", number=number),
                callback_data=WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=item.id),
            )
            widths.append(1)
        else:  # ROUTE_RETURNED
            comment = _short(item.text) or t("inbox-no-comment")
            lines.append(t("inbox-route-returned", number=number, comment=comment))
            kb.button(
                text=t("inbox-btn-open", number=number),
                callback_data=RouteCb(action=RouteAction.VIEW, route_id=item.id),
            )
            widths.append(1)
    if box.total > SHOWN:
        lines.append(t("inbox-more", count=box.total - SHOWN))
    kb.adjust(*widths)
    return "\n".join(lines), kb.as_markup()
