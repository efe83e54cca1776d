"""«Входящие»: one message listing what waits for this person (``services.inbox``), numbered, with a
button or two per entry. Most lead to the feature's own handlers (accept a request, open a card, a
route); internship applications are answered here, and the list is redrawn after each answer.

The main menu's button carries the count when the menu is sent (``handlers.render.main_menu``); an
empty inbox re-sends the menu, so a stale count does not linger."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.internships import Decision
from domain.roles import Role
from handlers import keyboards
from handlers.callbacks import (
    ApplicationAction,
    ApplicationCb,
    InboxAction,
    InboxCb,
    MentorAction,
    MentorCb,
    RouteAction,
    RouteCb,
    WorkspaceAction,
    WorkspaceCb,
)
from handlers.filters import MenuButton
from handlers.keyboards import Keyboard
from handlers.render import edit_text, refused, stale
from locales import Translator
from services import inbox as service
from services import internships
from services.regions import RegionRules
from services.results import Denied, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="inbox")

SHOWN = 20  # entries listed; the rest are counted
TEXT_LIMIT = 80  # characters of a name or a comment in a line

DECISIONS = {
    ApplicationAction.ACCEPT: Decision.ACCEPT,
    ApplicationAction.DECLINE: Decision.DECLINE,
    ApplicationAction.COMPLETE: Decision.COMPLETE,
}


@router.message(MenuButton("menu-inbox"))
async def show_inbox(
    message: Message, uow: UnitOfWork, user: User, rules: RegionRules, t: Translator, role: Role
) -> None:
    box = await service.inbox(uow, user, role, rules)
    text, markup = render(box, t)
    await message.answer(text, reply_markup=markup or keyboards.main_menu(t, role))


@router.callback_query(InboxCb.filter())
async def inbox_button(
    query: CallbackQuery,
    message: Message,
    callback_data: InboxCb,
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    t: Translator,
    role: Role,
) -> None:
    """From a notification (a new message) or the inbox's own «Обновить» (in place)."""
    box = await service.inbox(uow, user, role, rules)
    text, markup = render(box, t)
    await query.answer()
    if callback_data.action == InboxAction.REFRESH:
        await edit_text(message, text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


@router.callback_query(ApplicationCb.filter(F.action.in_(set(DECISIONS))))
async def answer_application(
    query: CallbackQuery,
    message: Message,
    callback_data: ApplicationCb,
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    t: Translator,
    role: Role,
) -> None:
    """The methodist (or an admin, for a teacher without one) answers; the teacher is told."""
    decided = await internships.decide(
        uow, user, role, callback_data.application_id, DECISIONS[callback_data.action]
    )
    if isinstance(decided, (Stale, Denied)):
        await refused(query, decided, t)
        if isinstance(decided, Stale):  # answered meanwhile (by another admin?): the list as it is now
            await _redraw(message, uow, user, rules, t, role)
        return
    await query.answer(t(f"inbox-application-{decided.status}", name=decided.teacher.full_name or "—"))
    await _redraw(message, uow, user, rules, t, role)


@router.callback_query(ApplicationCb.filter(F.action == ApplicationAction.SEEN))
async def answer_seen(
    query: CallbackQuery,
    message: Message,
    callback_data: ApplicationCb,
    uow: UnitOfWork,
    user: User,
    rules: RegionRules,
    t: Translator,
    role: Role,
) -> None:
    if isinstance(await internships.answer_seen(uow, user, callback_data.application_id), Stale):
        await stale(query, t)
        return
    await query.answer()
    await _redraw(message, uow, user, rules, t, role)


async def _redraw(
    message: Message, uow: UnitOfWork, user: User, rules: RegionRules, t: Translator, role: Role
) -> None:
    box = await service.inbox(uow, user, role, rules)
    text, markup = render(box, t)
    await edit_text(message, text, reply_markup=markup)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def render(box: service.Inbox, t: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    if not box.items:
        return t("inbox-empty"), None
    lines = [t("inbox-title", count=box.total)]
    kb = Keyboard()
    widths: list[int] = []

    def buttons(*pairs: tuple[str, CallbackData]) -> None:
        for key, data in pairs:
            kb.button(text=t(key, number=number), callback_data=data)
        widths.append(len(pairs))

    for number, item in enumerate(box.items[:SHOWN], start=1):
        name = _short(item.name) or t("inbox-no-name")
        match item.kind:
            case service.Kind.MENTOR_REQUEST:
                form = t(f"mentor-form-{item.text}") if item.text else ""
                lines.append(t("inbox-mentor-request", number=number, name=name, form=form))
                buttons(
                    ("inbox-btn-accept", MentorCb(action=MentorAction.ACCEPT, request_id=item.id)),
                    ("inbox-btn-decline", MentorCb(action=MentorAction.DECLINE, request_id=item.id)),
                )
            case service.Kind.ROUTE_TO_APPROVE:
                lines.append(t("inbox-route-to-approve", number=number, name=name))
                buttons(("inbox-btn-open", WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=item.id)))
            case service.Kind.TRANSFER_TO_CONFIRM:
                lines.append(t("inbox-transfer", number=number, name=name, count=item.count))
                buttons(("inbox-btn-open", WorkspaceCb(action=WorkspaceAction.ROUTE, route_id=item.id)))
            case service.Kind.APPLICATION:
                key = "inbox-application-orphan" if item.orphan else "inbox-application"
                site = _short(item.text)
                lines.append(t(key, number=number, name=name, organisation=site, start=item.day))
                buttons(
                    (
                        "inbox-btn-accept",
                        ApplicationCb(action=ApplicationAction.ACCEPT, application_id=item.id),
                    ),
                    (
                        "inbox-btn-decline",
                        ApplicationCb(action=ApplicationAction.DECLINE, application_id=item.id),
                    ),
                )
            case service.Kind.APPLICATION_ENDED:
                site = _short(item.text)
                lines.append(
                    t("inbox-application-ended", number=number, name=name, organisation=site, end=item.day)
                )
                buttons(
                    (
                        "inbox-btn-complete",
                        ApplicationCb(action=ApplicationAction.COMPLETE, application_id=item.id),
                    )
                )
            case service.Kind.APPLICATION_ANSWER:
                status = t(f"application-status-{item.status}")
                lines.append(
                    t(
                        "inbox-application-answer",
                        number=number,
                        organisation=_short(item.text),
                        status=status,
                    )
                )
                buttons(
                    ("inbox-btn-seen", ApplicationCb(action=ApplicationAction.SEEN, application_id=item.id))
                )
            case service.Kind.ROUTE_NO_METHODIST | service.Kind.NO_METHODIST:
                key = (
                    "inbox-route-no-methodist"
                    if item.kind == service.Kind.ROUTE_NO_METHODIST
                    else "inbox-no-methodist"
                )
                lines.append(t(key, number=number, name=name))
                buttons(
                    ("inbox-btn-assign", WorkspaceCb(action=WorkspaceAction.ASSIGN_FOR, teacher_id=item.id))
                )
            case service.Kind.ROUTE_RETURNED:
                comment = _short(item.text) or t("inbox-no-comment")
                lines.append(t("inbox-route-returned", number=number, comment=comment))
                buttons(("inbox-btn-open", RouteCb(action=RouteAction.VIEW, route_id=item.id)))
    if box.total > SHOWN:
        lines.append(t("inbox-more", count=box.total - SHOWN))
    kb.button(text=t("inbox-btn-refresh"), callback_data=InboxCb(action=InboxAction.REFRESH))
    widths.append(1)
    kb.adjust(*widths)
    return "\n".join(lines), kb.as_markup()
