"""«Рассылка» for admins: compose → link button → audience → preview → send now, schedule or cancel;
the list of broadcasts with «Отменить». The sending itself is bot/broadcast.py.

Messages and callbacks of ``router`` pass the admin role filter. A non-admin pressing or forging one
of these buttons falls through to ``answers_router`` (tried last), which says «Нет доступа».
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audience import Audience
from domain.profile import SUBJECTS
from domain.roles import Role
from handlers.callbacks import AdminCb, BroadcastCb, EventRsvpCb
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from locales import Html, Translator
from storage.audit import audit
from storage.broadcasts import (
    cancel_broadcast,
    count_audience,
    create_broadcast,
    delivery_counts,
    recent_broadcasts,
)
from storage.models import Broadcast, User
from storage.repositories import DirectoryRepo

log = logging.getLogger(__name__)
router = Router(name="broadcasts")
router.message.filter(RoleFilter(Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.ADMIN))
# Typed answers of the broadcast wizard; tried after menu buttons and commands.
answers_router = Router(name="broadcasts-answers")
answers_router.message.filter(RoleFilter(Role.ADMIN))
Clock = Callable[[], datetime]

MAX_TEXT = 3500
MAX_CAPTION = 1000
MAX_BUTTON_TEXT = 64
MAX_URL = 500
FLAGS = {"young": "young_only", "nodiag": "no_diagnosis", "noroute": "no_route"}


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


async def send_content(bot: Bot, chat_id: int, broadcast: Broadcast, t: Translator) -> Message:
    """The broadcast as its recipients get it: HTML text or a captioned photo/document, buttons."""
    markup = content_markup(broadcast, t)
    if broadcast.media_kind == "photo" and broadcast.media_file_id:
        return await bot.send_photo(
            chat_id, broadcast.media_file_id, caption=broadcast.text or None, reply_markup=markup
        )
    if broadcast.media_kind == "document" and broadcast.media_file_id:
        return await bot.send_document(
            chat_id, broadcast.media_file_id, caption=broadcast.text or None, reply_markup=markup
        )
    return await bot.send_message(chat_id, broadcast.text, reply_markup=markup)


# --- the wizard ------------------------------------------------------------------------------------


@router.callback_query(AdminCb.filter(F.action == "broadcast"))
async def home(query: CallbackQuery, t: Translator) -> None:
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-new"), callback_data=BroadcastCb(action="new"))
    kb.button(text=t("broadcast-btn-list"), callback_data=BroadcastCb(action="list"))
    kb.button(text=t("btn-back"), callback_data=AdminCb(action="menu"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("broadcast-home"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == "new"))
async def start(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.set_state(Wizard.compose)
    await state.set_data({})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(
        t("broadcast-ask-text", max=MAX_TEXT, caption=MAX_CAPTION), reply_markup=_cancel(t)
    )


# Characters Telegram shows as nothing besides spaces: a text of only these it refuses to send.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2800\ufeff")


def _blank(text: str) -> bool:
    return all(char.isspace() or char in _INVISIBLE for char in text)


@answers_router.message(Wizard.compose)
async def got_content(message: Message, state: FSMContext, t: Translator) -> None:
    media_kind, file_id = None, None
    if message.photo:
        media_kind, file_id = "photo", message.photo[-1].file_id
    elif message.document:
        media_kind, file_id = "document", message.document.file_id
    visible = message.text or message.caption or ""
    if media_kind is None and _blank(message.text or ""):
        await message.answer(
            t("broadcast-ask-text", max=MAX_TEXT, caption=MAX_CAPTION), reply_markup=_cancel(t)
        )
        return
    limit = MAX_CAPTION if media_kind else MAX_TEXT
    if len(visible) > limit:
        await message.answer(t("broadcast-too-long", length=len(visible), max=limit), reply_markup=_cancel(t))
        return
    await state.update_data(
        text=message.html_text if visible else "", media_kind=media_kind, media_file_id=file_id, audience={}
    )
    await state.set_state(Wizard.button)
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-no-button"), callback_data=BroadcastCb(action="nobutton"))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action="cancel"))
    kb.adjust(1)
    await message.answer(t("broadcast-ask-button"), reply_markup=kb.as_markup())


@answers_router.message(Wizard.button)
async def got_button(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    parsed = parse_link_button(message.text or "")
    if parsed is None:
        await message.answer(t("broadcast-bad-button", max=MAX_BUTTON_TEXT), reply_markup=_cancel(t))
        return
    await state.update_data(button_text=parsed[0], button_url=parsed[1])
    await state.set_state(Wizard.audience)
    text, markup = await _audience_screen(
        session, await state.get_data(), _region(user, home_region), t, clock
    )
    await message.answer(text, reply_markup=markup)


def parse_link_button(text: str) -> tuple[str, str] | None:
    """«Текст кнопки https://адрес» (or «Текст | https://адрес») → (text, url); None if invalid."""
    label, _, url = text.strip().replace("|", " ").rpartition(" ")
    label = " ".join(label.split())
    if not label or len(label) > MAX_BUTTON_TEXT or len(url) > MAX_URL:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or "." not in (parts.hostname or ""):
        return None
    return label, url


@router.callback_query(BroadcastCb.filter(F.action == "nobutton"), Wizard.button)
async def no_button(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    await state.update_data(button_text=None, button_url=None)
    await state.set_state(Wizard.audience)
    await _show_audience(query, state, session, user, t, clock, home_region)


@router.callback_query(BroadcastCb.filter(F.action.in_({"aud", "mset", "sset"})), Wizard.audience)
async def change_audience(
    query: CallbackQuery,
    callback_data: BroadcastCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    data = await state.get_data()
    audience = dict(data.get("audience") or {})
    if callback_data.action == "aud" and callback_data.s == "methodists":
        audience["roles"] = [] if audience.get("roles") else [Role.METHODIST.value]
    elif callback_data.action == "aud" and callback_data.s in FLAGS:
        key = FLAGS[callback_data.s]
        audience[key] = not audience.get(key)
    elif callback_data.action == "mset":
        region = _region(user, home_region)
        place = await DirectoryRepo(session).municipality(callback_data.x) if callback_data.x else None
        if callback_data.x and (place is None or place.region_code != region):
            await query.answer(t("err-stale-button"), show_alert=True)
            return
        audience["municipality_ids"] = [callback_data.x] if callback_data.x else []
    elif callback_data.action == "sset":
        if callback_data.s and callback_data.s not in SUBJECTS:
            await query.answer(t("err-stale-button"), show_alert=True)
            return
        audience["subjects"] = [callback_data.s] if callback_data.s else []
    await state.update_data(audience=Audience.from_dict(audience).to_dict())
    await _show_audience(query, state, session, user, t, clock, home_region)


@router.callback_query(BroadcastCb.filter(F.action == "mun"), Wizard.audience)
async def pick_municipality(
    query: CallbackQuery, session: AsyncSession, user: User, t: Translator, home_region: str
) -> None:
    kb = Keyboard()
    kb.button(text=t("broadcast-any-municipality"), callback_data=BroadcastCb(action="mset", x=0))
    for place in (await DirectoryRepo(session).municipalities(_region(user, home_region)))[:90]:
        kb.button(text=place.name, callback_data=BroadcastCb(action="mset", x=place.id))
    kb.adjust(1, 2)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("broadcast-pick-municipality"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == "subj"), Wizard.audience)
async def pick_subject(query: CallbackQuery, t: Translator) -> None:
    kb = Keyboard()
    kb.button(text=t("broadcast-any-subject"), callback_data=BroadcastCb(action="sset"))
    for code in SUBJECTS:
        kb.button(text=t(f"subject-{code}"), callback_data=BroadcastCb(action="sset", s=code))
    kb.adjust(1, 2)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("broadcast-pick-subject"), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == "preview"), Wizard.audience)
async def preview(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    data = await state.get_data()
    draft = _draft(data)
    count = await count_audience(
        session, data.get("audience") or {}, _region(user, home_region), clock().date()
    )
    await query.answer()
    assert isinstance(query.message, Message)
    await state.set_state(Wizard.confirm)
    await send_content(bot, query.message.chat.id, draft, t)
    kb = Keyboard()
    kb.button(text=t("broadcast-btn-send-now"), callback_data=BroadcastCb(action="send"))
    kb.button(text=t("broadcast-btn-schedule"), callback_data=BroadcastCb(action="schedule"))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action="cancel"))
    kb.adjust(1)
    await query.message.answer(t("broadcast-preview", count=count), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == "send"), Wizard.confirm)
async def send_now(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    broadcast = await _create(session, state, user, home_region, send_at=None)
    await audit(
        session, user.id, "broadcast.send", target_type="broadcast", target_id=broadcast.id, at=clock()
    )
    await session.commit()
    await state.clear()
    log.info("broadcast queued", extra={"user_id": user.id, "broadcast_id": broadcast.id})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("broadcast-queued", id=broadcast.id))


@router.callback_query(BroadcastCb.filter(F.action == "schedule"), Wizard.confirm)
async def ask_time(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    home_region: str,
    timezone: str,
) -> None:
    await state.set_state(Wizard.schedule)
    await query.answer()
    assert isinstance(query.message, Message)
    tz = await _region_tz(session, _region(user, home_region), timezone)
    await query.message.edit_text(t("broadcast-ask-time", tz=tz), reply_markup=_cancel(t))


@answers_router.message(Wizard.schedule)
async def got_time(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
    timezone: str,
) -> None:
    tz = await _region_tz(session, _region(user, home_region), timezone)
    try:
        when = datetime.strptime((message.text or "").strip(), "%d.%m.%Y %H:%M").replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        await message.answer(t("broadcast-bad-time", tz=tz), reply_markup=_cancel(t))
        return
    if when <= clock():
        await message.answer(t("broadcast-time-past", tz=tz), reply_markup=_cancel(t))
        return
    broadcast = await _create(session, state, user, home_region, send_at=when)
    await audit(
        session, user.id, "broadcast.create", target_type="broadcast", target_id=broadcast.id, at=clock()
    )
    await session.commit()
    await state.clear()
    await message.answer(
        t("broadcast-scheduled", id=broadcast.id, when=when.strftime("%d.%m.%Y %H:%M"), tz=tz)
    )


@router.callback_query(BroadcastCb.filter(F.action == "cancel"))
async def cancel_wizard(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    if await state.get_state() not in {s.state for s in Wizard.__states__}:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await state.clear()
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(t("broadcast-wizard-cancelled"))


# --- the list --------------------------------------------------------------------------------------


@router.callback_query(BroadcastCb.filter(F.action == "list"))
async def list_broadcasts(query: CallbackQuery, session: AsyncSession, t: Translator, timezone: str) -> None:
    broadcasts = await recent_broadcasts(session)
    lines = [t("broadcast-list-title")] if broadcasts else [t("broadcast-list-empty")]
    kb = Keyboard()
    for b in broadcasts:
        tally = await delivery_counts(session, b.id)
        moment = b.send_at or b.created_at
        lines.append(
            t(
                "broadcast-line",
                id=b.id,
                status=t(f"broadcast-status-{b.status}"),
                when=moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M"),
                sent=tally["sent"],
                total=sum(tally.values()),
            )
        )
        if b.status in ("scheduled", "sending"):
            kb.button(text=t("broadcast-btn-stop", id=b.id), callback_data=BroadcastCb(action="stop", x=b.id))
    kb.button(text=t("btn-back"), callback_data=AdminCb(action="broadcast"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text("\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(BroadcastCb.filter(F.action == "stop"))
async def stop_broadcast(
    query: CallbackQuery,
    callback_data: BroadcastCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    timezone: str,
) -> None:
    broadcast = await cancel_broadcast(session, callback_data.x, clock())
    if broadcast is None:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    await audit(
        session, user.id, "broadcast.cancel", target_type="broadcast", target_id=broadcast.id, at=clock()
    )
    await session.commit()
    log.info("broadcast cancelled", extra={"user_id": user.id, "broadcast_id": broadcast.id})
    await query.answer(t("broadcast-cancelled", id=broadcast.id))
    await list_broadcasts(query, session, t, timezone)


@router.callback_query(BroadcastCb.filter())
async def stale(query: CallbackQuery, t: Translator) -> None:
    """A wizard button from a step that is over (sent, cancelled, or before a restart)."""
    await query.answer(t("err-stale-button"), show_alert=True)


@answers_router.callback_query(BroadcastCb.filter())
async def denied(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("no-access"), show_alert=True)


# --- helpers -------------------------------------------------------------------------------------------


def _cancel(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action="cancel"))
    return kb.as_markup()


def _region(user: User, home_region: str) -> str:
    return user.region_code or home_region


async def _region_tz(session: AsyncSession, region: str, default: str) -> str:
    settings = await DirectoryRepo(session).region_settings(region)
    return settings.timezone if settings else default


def _draft(data: dict[str, Any]) -> Broadcast:
    """The message as it will go out, not stored: for the preview."""
    return Broadcast(
        text=Html(data.get("text") or ""),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
        button_text=data.get("button_text"),
        button_url=data.get("button_url"),
    )


async def _create(
    session: AsyncSession, state: FSMContext, user: User, home_region: str, *, send_at: datetime | None
) -> Broadcast:
    data = await state.get_data()
    return await create_broadcast(
        session,
        created_by=user.id,
        region_code=_region(user, home_region),
        text=data.get("text") or "",
        audience=data.get("audience") or {},
        send_at=send_at,
        button_text=data.get("button_text"),
        button_url=data.get("button_url"),
        media_kind=data.get("media_kind"),
        media_file_id=data.get("media_file_id"),
    )


async def _audience_screen(
    session: AsyncSession, data: dict[str, Any], region: str, t: Translator, clock: Clock
) -> tuple[str, InlineKeyboardMarkup]:
    audience = Audience.from_dict(data.get("audience") or {})
    count = await count_audience(session, audience.to_dict(), region, clock().date())
    lines = []
    for key, args in audience.describe():
        if key == "audience-role":
            args = {"role": t(f"role-{args['role']}")}
        elif key == "audience-municipalities":
            places = [await DirectoryRepo(session).municipality(i) for i in args["ids"]]
            args = {"names": ", ".join(p.name for p in places if p is not None)}
        elif key == "audience-subject":
            args = {"subject": t(f"subject-{args['subject']}")}
        lines.append("• " + t(key, **args))
    text = t("broadcast-audience", filters=Html("\n".join(lines)), count=count)

    def mark(on: bool, key: str) -> str:
        return ("✅ " if on else "") + t(key)

    kb = Keyboard()
    kb.button(
        text=mark(bool(audience.roles), "broadcast-btn-methodists"),
        callback_data=BroadcastCb(action="aud", s="methodists"),
    )
    kb.button(
        text=mark(audience.young_only, "broadcast-btn-young"),
        callback_data=BroadcastCb(action="aud", s="young"),
    )
    kb.button(
        text=mark(audience.no_diagnosis, "broadcast-btn-no-diagnosis"),
        callback_data=BroadcastCb(action="aud", s="nodiag"),
    )
    kb.button(
        text=mark(audience.no_route, "broadcast-btn-no-route"),
        callback_data=BroadcastCb(action="aud", s="noroute"),
    )
    kb.button(
        text=mark(bool(audience.municipality_ids), "broadcast-btn-municipality"),
        callback_data=BroadcastCb(action="mun"),
    )
    kb.button(
        text=mark(bool(audience.subjects), "broadcast-btn-subject"), callback_data=BroadcastCb(action="subj")
    )
    kb.button(text=t("broadcast-btn-preview"), callback_data=BroadcastCb(action="preview"))
    kb.button(text=t("btn-cancel"), callback_data=BroadcastCb(action="cancel"))
    kb.adjust(2, 2, 2, 1, 1)
    return text, kb.as_markup()


async def _show_audience(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
    home_region: str,
) -> None:
    text, markup = await _audience_screen(
        session, await state.get_data(), _region(user, home_region), t, clock
    )
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.edit_text(text, reply_markup=markup)
