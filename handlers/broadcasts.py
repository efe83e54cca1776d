"""«Рассылка» for admins on Telegram: compose → link button → audience → preview → send now, schedule
or cancel; the list of broadcasts with «Отменить». What happens is decided by
``services.broadcasts``; the sending itself is bot/broadcast.py.

Messages and callbacks of ``router`` pass the admin role filter. A non-admin pressing or forging one
of these buttons falls through to ``answers_router`` (tried last), which says «Нет доступа».
"""

from __future__ import annotations

import math

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.audience import AudienceToggle, DeliveryStatus, MediaKind
from domain.profile import SUBJECTS
from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb, BroadcastAction, BroadcastCb, EventRsvpCb
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, local_time, no_access, refused, stale
from locales import Html, Translator
from services import broadcasts as service
from services.broadcasts import Admin, Draft, parse_link_button
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import Broadcast, User

__all__ = ["answers_router", "content_markup", "parse_link_button", "router", "send_content"]

router = Router(name="broadcasts")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))
# Typed answers of the broadcast wizard; tried after menu buttons and commands.
answers_router = Router(name="broadcasts-answers")
answers_router.message.filter(RoleFilter(Role.ADMIN))


class Wizard(StatesGroup):
    compose = State()
    button = State()
    audience = State()
    confirm = State()
    schedule = State()


# --- what recipients see (the sender uses these too) ---------------------------------------------


def content_markup(broadcast: Broadcast, t: Translator) -> InlineKeyboardMarkup | None:
    kb = Keyboard()
    if broadcast.event_id is not None:
        kb.button(
            text=t("event-btn-going"), callback_data=EventRsvpCb(event_id=broadcast.event_id, going=True)
        )
        kb.button(
            text=t("event-btn-not-going"), callback_data=EventRsvpCb(event_id=broadcast.event_id, going=False)
        )
    if broadcast.button_text and broadcast.button_url:
        kb.button(text=broadcast.button_text, url=broadcast.button_url)
    if not kb.buttons:
        return None
    kb.adjust(2, 1)
    return kb.as_markup()


async def send_content(
    bot: Bot, chat_id: int, broadcast: Broadcast, t: Translator, *, paid: bool = False
) -> Message:
    """The broadcast as its recipients get it: HTML text or a captioned photo/document, buttons.

    ``paid``: with Telegram's paid broadcasts (``allow_paid_broadcast``: past the free limit, in
    Stars) — the sender's choice for a deployment that opted in, never the preview's."""
    markup = content_markup(broadcast, t)
    allow_paid = True if paid else None
    if broadcast.media_kind == MediaKind.PHOTO and broadcast.media_file_id:
        return await bot.send_photo(
            chat_id,
            broadcast.media_file_id,
            caption=broadcast.text or None,
            reply_markup=markup,
            allow_paid_broadcast=allow_paid,
        )
    if broadcast.media_kind == MediaKind.DOCUMENT and broadcast.media_file_id:
        return await bot.send_document(
            chat_id,
            broadcast.media_file_id,
            caption=broadcast.text or None,
            reply_markup=markup,
            allow_paid_broadcast=allow_paid,
        )
    return await bot.send_message(
        chat_id, broadcast.text, reply_markup=markup, allow_paid_broadcast=allow_paid
    )


# --- the draft in the conversation -----------------------------------------------------------------------


async def _draft(state: FSMContext) -> Draft:
    return Draft.from_data(await state.get_data())


async def _keep(state: FSMContext, draft: Draft) -> None:
    await state.set_data(draft.to_data())


# --- the wizard ------------------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == AdminAction.BROADCAST))
async def home(query: CallbackQuery, message: Message, t: Translator) -> None:
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-new"), callback_data=BroadcastCb(action=BroadcastAction.NEW))
    kb.button(text=t("broadcast-btn-list"), callback_data=BroadcastCb(action=BroadcastAction.LIST))
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    kb.adjust(1)
    await query.answer()
    await message.edit_text(t("broadcast-home"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.NEW))
async def start(query: CallbackQuery, message: Message, state: FSMContext, t: Translator) -> None:
    await state.set_state(Wizard.compose)
    await state.set_data({})
    await query.answer()
    await message.answer(
        t("broadcast-ask-text", max=service.MAX_TEXT, caption=service.MAX_CAPTION), reply_markup=_cancel(t)
    )


@answers_router.message(Wizard.compose)
async def got_content(message: Message, state: FSMContext, t: Translator) -> None:
    media_kind, file_id = None, None
    if message.photo:
        media_kind, file_id = MediaKind.PHOTO, message.photo[-1].file_id
    elif message.document:
        media_kind, file_id = MediaKind.DOCUMENT, message.document.file_id
    draft = service.compose(
        text=message.text,
        caption=message.caption,
        html=message.html_text if message.text or message.caption else "",
        media_kind=media_kind,
        media_file_id=file_id,
    )
    if isinstance(draft, Invalid):
        await message.answer(t(draft.key, **draft.args), reply_markup=_cancel(t))
        return
    await _keep(state, draft)
    await state.set_state(Wizard.button)
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-no-button"), callback_data=BroadcastCb(action=BroadcastAction.NO_BUTTON))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action=BroadcastAction.CANCEL))
    kb.adjust(1)
    await message.answer(t("broadcast-ask-button"), reply_markup=kb.as_markup())


@answers_router.message(Wizard.button)
async def got_button(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
) -> None:
    draft = service.with_button(await _draft(state), message.text or "")
    if isinstance(draft, Invalid):
        await message.answer(t(draft.key, **draft.args), reply_markup=_cancel(t))
        return
    view = await service.audience(uow, Admin(user, role, home_region), draft)
    if isinstance(view, Denied):
        await no_access(message, t)
        return
    await _keep(state, draft)
    await state.set_state(Wizard.audience)
    text, markup = _audience_screen(view, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.NO_BUTTON), Wizard.button)
async def no_button(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
) -> None:
    draft = service.without_button(await _draft(state))
    view = await service.audience(uow, Admin(user, role, home_region), draft)
    await state.set_state(Wizard.audience)
    await _show_audience(query, message, state, view, t)


@router.callback_query(
    BroadcastCb.filter(
        F.action.in_({BroadcastAction.TOGGLE, BroadcastAction.MUNICIPALITY, BroadcastAction.SUBJECT})
    ),
    Wizard.audience,
)
async def change_audience(
    query: CallbackQuery,
    message: Message,
    callback_data: BroadcastCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
) -> None:
    admin, draft = Admin(user, role, home_region), await _draft(state)
    view: service.AudienceView | Stale | Denied
    if callback_data.action == BroadcastAction.MUNICIPALITY:
        view = await service.choose_municipality(uow, admin, draft, callback_data.municipality_id)
    elif callback_data.action == BroadcastAction.SUBJECT:
        view = await service.choose_subject(uow, admin, draft, callback_data.subject)
    elif callback_data.toggle is not None:
        view = await service.toggle(uow, admin, draft, callback_data.toggle)
    else:
        view = await service.audience(uow, admin, draft)
    await _show_audience(query, message, state, view, t)


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.MUNICIPALITIES), Wizard.audience)
async def pick_municipality(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
) -> None:
    places = await service.municipalities(uow, Admin(user, role, home_region))
    if isinstance(places, Denied):
        await no_access(query, t)
        return
    kb = Keyboard()
    kb.button(
        text=t("broadcast-any-municipality"),
        callback_data=BroadcastCb(action=BroadcastAction.MUNICIPALITY, municipality_id=0),
    )
    for place in places:
        kb.button(
            text=place.name,
            callback_data=BroadcastCb(action=BroadcastAction.MUNICIPALITY, municipality_id=place.id),
        )
    kb.adjust(1, 2)
    await query.answer()
    await message.edit_text(t("broadcast-pick-municipality"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.SUBJECTS), Wizard.audience)
async def pick_subject(query: CallbackQuery, message: Message, t: Translator) -> None:
    kb = Keyboard()
    kb.button(text=t("broadcast-any-subject"), callback_data=BroadcastCb(action=BroadcastAction.SUBJECT))
    for code in SUBJECTS:
        kb.button(
            text=t(f"subject-{code}"), callback_data=BroadcastCb(action=BroadcastAction.SUBJECT, subject=code)
        )
    kb.adjust(1, 2)
    await query.answer()
    await message.edit_text(t("broadcast-pick-subject"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.PREVIEW), Wizard.audience)
async def preview(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    bot: Bot,
    t: Translator,
    home_region: str,
    broadcast_pace: service.Pace,
) -> None:
    shown = await service.preview(uow, Admin(user, role, home_region), await _draft(state), broadcast_pace)
    if isinstance(shown, Denied):
        await no_access(query, t)
        return
    await query.answer()
    await state.set_state(Wizard.confirm)
    await _send_preview(bot, message, shown, t)


async def _send_preview(bot: Bot, message: Message, shown: service.Preview, t: Translator) -> None:
    await send_content(bot, message.chat.id, shown.broadcast, t)
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-send-now"), callback_data=BroadcastCb(action=BroadcastAction.SEND))
    kb.button(text=t("broadcast-btn-schedule"), callback_data=BroadcastCb(action=BroadcastAction.SCHEDULE))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action=BroadcastAction.CANCEL))
    kb.adjust(1)
    summary = [t("broadcast-preview", count=shown.count), _eta(shown.estimate, t)]
    if shown.estimate.stars is not None:
        summary.append(t("broadcast-preview-stars", stars=shown.estimate.stars))
    await message.answer("\n".join(summary), reply_markup=kb.as_markup())


def _eta(estimate: service.Estimate, t: Translator) -> str:
    """«≈ 35 минут при 25 сообщениях в секунду»: minutes rounded up, hours past the hour."""
    minutes = math.ceil(estimate.seconds / 60)
    if estimate.seconds < 60:
        eta = t("broadcast-eta-moment")
    elif minutes < 60:
        eta = t("broadcast-eta-minutes", minutes=minutes)
    else:
        eta = t("broadcast-eta-hours", hours=minutes // 60, minutes=minutes % 60)
    rate = round(estimate.rate) if estimate.rate >= 10 else round(estimate.rate, 1)
    return t("broadcast-preview-pace", eta=eta, rate=rate)


@asks_again(Wizard.audience, Wizard.confirm, expects=Expects.BUTTON)
async def ask_again(asking: Asking) -> bool:
    """The audience or the preview with its buttons again, the draft as it was."""
    admin = Admin(asking.user, asking.role, asking.data["home_region"])
    draft = await _draft(asking.state)
    if asking.raw_state == Wizard.audience.state:
        view = await service.audience(asking.uow, admin, draft)
        if isinstance(view, Denied):
            return False
        text, markup = _audience_screen(view, asking.t)
        await asking.message.answer(text, reply_markup=markup)
        return True
    shown = await service.preview(asking.uow, admin, draft, asking.data["broadcast_pace"])
    if isinstance(shown, Denied):
        return False
    await _send_preview(asking.data["bot"], asking.message, shown, asking.t)
    return True


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.SEND), Wizard.confirm)
async def send_now(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
) -> None:
    queued = await service.send_now(uow, Admin(user, role, home_region), await _draft(state))
    if isinstance(queued, Denied):
        await no_access(query, t)
        return
    await state.clear()
    await query.answer()
    await message.edit_text(t("broadcast-queued", id=queued.broadcast.id))


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.SCHEDULE), Wizard.confirm)
async def ask_time(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    rules: RegionRules,
    t: Translator,
    home_region: str,
) -> None:
    tz = await service.schedule_timezone(uow, Admin(user, role, home_region), rules)
    if isinstance(tz, Denied):
        await no_access(query, t)
        return
    await state.set_state(Wizard.schedule)
    await query.answer()
    await message.edit_text(t("broadcast-ask-time", tz=tz), reply_markup=_cancel(t))


@answers_router.message(Wizard.schedule)
async def got_time(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    rules: RegionRules,
    t: Translator,
    home_region: str,
) -> None:
    admin = Admin(user, role, home_region)
    scheduled = await service.schedule(uow, admin, rules, await _draft(state), message.text or "")
    if isinstance(scheduled, Denied):
        await no_access(message, t)
        return
    if isinstance(scheduled, Invalid):
        await message.answer(t(scheduled.key, **scheduled.args), reply_markup=_cancel(t))
        return
    await state.clear()
    await message.answer(
        t(
            "broadcast-scheduled",
            id=scheduled.broadcast.id,
            when=scheduled.when.strftime(service.TIME_FORMAT),
            tz=scheduled.timezone,
        )
    )


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.CANCEL))
async def cancel_wizard(query: CallbackQuery, message: Message, state: FSMContext, t: Translator) -> None:
    if await state.get_state() not in {s.state for s in Wizard.__states__}:
        await stale(query, t)
        return
    await state.clear()
    await query.answer()
    await message.edit_text(t("broadcast-wizard-cancelled"))


# --- the list --------------------------------------------------------------------------------------


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.LIST))
async def list_broadcasts(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
    timezone: str,
) -> None:
    await _show_list(query, message, uow, Admin(user, role, home_region), t, timezone)


@router.callback_query(BroadcastCb.filter(F.action == BroadcastAction.STOP))
async def stop_broadcast(
    query: CallbackQuery,
    message: Message,
    callback_data: BroadcastCb,
    uow: UnitOfWork,
    user: User,
    role: Role,
    t: Translator,
    home_region: str,
    timezone: str,
) -> None:
    admin = Admin(user, role, home_region)
    stopped = await service.stop(uow, admin, callback_data.broadcast_id)
    if isinstance(stopped, (Stale, Denied)):
        await refused(query, stopped, t)
        return
    await query.answer(t("broadcast-cancelled", id=stopped.broadcast.id))
    await _show_list(query, message, uow, admin, t, timezone)


@router.callback_query(BroadcastCb.filter())
async def stale_step(query: CallbackQuery, t: Translator) -> None:
    """A wizard button from a step that is over (sent, cancelled, or before a restart)."""
    await stale(query, t)


@answers_router.callback_query(BroadcastCb.filter())
async def denied(query: CallbackQuery, t: Translator) -> None:
    await no_access(query, t)


# --- helpers -------------------------------------------------------------------------------------------


def _cancel(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action=BroadcastAction.CANCEL))
    return kb.as_markup()


async def _show_list(
    query: CallbackQuery, message: Message, uow: UnitOfWork, admin: Admin, t: Translator, timezone: str
) -> None:
    broadcasts = await service.recent(uow, admin)
    if isinstance(broadcasts, Denied):
        await no_access(query, t)
        return
    lines = [t("broadcast-list-title")] if broadcasts else [t("broadcast-list-empty")]
    kb = Keyboard()
    for line in broadcasts:
        b = line.broadcast
        moment = b.send_at or b.created_at
        lines.append(
            t(
                "broadcast-line",
                id=b.id,
                status=t(f"broadcast-status-{b.status}"),
                when=local_time(moment, timezone),
                sent=line.deliveries[DeliveryStatus.SENT],
                total=line.total,
            )
        )
        if line.stoppable:
            kb.button(
                text=t("broadcast-btn-stop", id=b.id),
                callback_data=BroadcastCb(action=BroadcastAction.STOP, broadcast_id=b.id),
            )
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.BROADCAST))
    kb.adjust(1)
    await query.answer()
    await edit_text(message, "\n".join(lines), reply_markup=kb.as_markup())


def _audience_screen(view: service.AudienceView, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    audience = view.draft.audience
    lines = []
    for key, args in audience.describe():
        if key == "audience-role":
            args = {"role": t(f"role-{args['role']}")}
        elif key == "audience-municipalities":
            args = {"names": ", ".join(view.municipalities)}
        elif key == "audience-subject":
            args = {"subject": t(f"subject-{args['subject']}")}
        lines.append("• " + t(key, **args))
    text = t("broadcast-audience", filters=Html("\n".join(lines)), count=view.count)

    def mark(on: bool, key: str) -> str:
        return ("✅ " if on else "") + t(key)

    def toggle(what: AudienceToggle) -> BroadcastCb:
        return BroadcastCb(action=BroadcastAction.TOGGLE, toggle=what)

    kb = Keyboard()
    kb.button(
        text=mark(bool(audience.roles), "broadcast-btn-methodists"),
        callback_data=toggle(AudienceToggle.METHODISTS),
    )
    kb.button(
        text=mark(audience.young_only, "broadcast-btn-young"), callback_data=toggle(AudienceToggle.YOUNG)
    )
    kb.button(
        text=mark(audience.no_diagnosis, "broadcast-btn-no-diagnosis"),
        callback_data=toggle(AudienceToggle.NO_DIAGNOSIS),
    )
    kb.button(
        text=mark(audience.no_route, "broadcast-btn-no-route"), callback_data=toggle(AudienceToggle.NO_ROUTE)
    )
    kb.button(
        text=mark(bool(audience.municipality_ids), "broadcast-btn-municipality"),
        callback_data=BroadcastCb(action=BroadcastAction.MUNICIPALITIES),
    )
    kb.button(
        text=mark(bool(audience.subjects), "broadcast-btn-subject"),
        callback_data=BroadcastCb(action=BroadcastAction.SUBJECTS),
    )
    kb.button(text=t("broadcast-btn-preview"), callback_data=BroadcastCb(action=BroadcastAction.PREVIEW))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action=BroadcastAction.CANCEL))
    kb.adjust(2, 2, 2, 1, 1)
    return text, kb.as_markup()


async def _show_audience(
    query: CallbackQuery,
    message: Message,
    state: FSMContext,
    view: service.AudienceView | Stale | Denied,
    t: Translator,
) -> None:
    """The audience step again, with the draft as the service left it."""
    if isinstance(view, (Stale, Denied)):
        await refused(query, view, t)
        return
    await _keep(state, view.draft)
    text, markup = _audience_screen(view, t)
    await query.answer()
    await message.edit_text(text, reply_markup=markup)
