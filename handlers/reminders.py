"""Reminders: planning them with their cause, rendering them when due, and the person's settings.

Planning functions are called by handlers in the same transaction as the change that causes the
reminder (a diagnosis started, a route item dated, a route submitted). Rendering re-checks at send
time that the reminder still makes sense (the item is still open, the diagnosis still unfinished).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain import reminders as policy
from domain.region import Reminders
from handlers.callbacks import (
    DiagAction,
    DiagCb,
    MentorCb,
    NotifyCb,
    OutboxCb,
    RouteCb,
    WorkspaceAction,
    WorkspaceCb,
)
from handlers.keyboards import Keyboard
from locales import Translator
from storage.learning import DiagnosisRepo, RouteRepo
from storage.models import Diagnosis, Event, MentorPair, OutboxMessage, Route, User
from storage.outbox import Outbox
from storage.repositories import DirectoryRepo

router = Router(name="reminders")
Clock = Callable[[], datetime]
DEFAULT_TZ = "Europe/Moscow"


async def region_reminders(
    session: AsyncSession, region_code: str | None, fallback_tz: str = DEFAULT_TZ
) -> tuple[Reminders, str]:
    settings = await DirectoryRepo(session).region_settings(region_code)
    if settings is None:
        return Reminders(), fallback_tz
    return settings.reminders, settings.timezone


# --- rendering (at send time) ----------------------------------------------------------------------


async def render(
    session: AsyncSession, row: OutboxMessage, user: User, t: Translator, now: datetime
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The reminder's text and buttons, or None when it no longer applies."""
    kb = Keyboard()
    text: str | None = None
    if row.kind == "diagnosis_unfinished":
        diagnosis = await session.get(Diagnosis, row.ref_id)
        if diagnosis is None or diagnosis.status != "in_progress":
            return None
        text = t("remind-diagnosis-unfinished", done=diagnosis.position)
        kb.button(
            text=t("diag-btn-resume"),
            callback_data=DiagCb(action=DiagAction.RESUME, diagnosis_id=diagnosis.id),
        )
    elif row.kind == "rediagnosis":
        latest = await DiagnosisRepo(session).latest_done(user.id)
        if latest is None or latest.id != row.ref_id:
            return None
        text = t("remind-rediagnosis", date=(latest.finished_at or latest.started_at).date())
        kb.button(text=t("diag-btn-again"), callback_data=DiagCb(action=DiagAction.START))
    elif row.kind.startswith("item_"):
        item = await RouteRepo(session).item_own(row.ref_id or 0, user.id)
        if item is None or item.status == "done" or item.route.status == "completed":
            return None
        if row.key.rsplit(":", 1)[-1] != item.due_on.isoformat():
            return None  # the date changed since: a newer reminder stands
        key = "remind-item-overdue" if row.kind == "item_overdue" else "remind-item-due"
        days = (item.due_on - now.date()).days
        if row.kind != "item_overdue" and not policy.item_reminder_applies(
            int(row.payload.get("days", 7)), tuple(row.payload.get("all", (7, 1))), days
        ):
            return None
        text = t(key, title=item.title, date=item.due_on, days=max(days, 0))
        kb.button(
            text=t("remind-btn-open-item"), callback_data=RouteCb(action="item", r=item.route_id, x=item.id)
        )
    elif row.kind == "route_approval":
        route = await session.get(Route, row.ref_id)
        if route is None or route.status != "submitted":
            return None
        teacher = await session.get(User, route.user_id)
        text = t("remind-route-approval", name=teacher.full_name if teacher else "—")
        kb.button(
            text=t("remind-btn-open-teacher"),
            callback_data=WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=route.user_id),
        )
    elif row.kind == "mentor_meeting":
        pair = await session.get(MentorPair, row.ref_id)
        if pair is None or pair.status != "active":
            return None
        other = await session.get(User, pair.mentor_id if pair.mentee_id == user.id else pair.mentee_id)
        text = t(
            "mentor-meeting-reminder",
            name=other.full_name if other else "—",
            days=row.payload.get("days", 14),
        )
        kb.button(text=t("mentor-btn-open-pair"), callback_data=MentorCb(action="pair", x=pair.id))
    elif row.kind in ("event_day", "event_hour"):
        event = await session.get(Event, row.ref_id)
        if event is None or event.starts_at <= now:
            return None
        _, tz = await region_reminders(session, user.region_code)
        when = policy.local(event.starts_at, tz).strftime("%d.%m.%Y %H:%M")
        text = t(
            f"remind-{row.kind.replace('_', '-')}",
            title=event.title,
            when=when,
            place=event.place or event.url or "—",
        )
    elif row.kind == "inactivity":
        if user.last_seen_at is not None and user.last_seen_at > now - timedelta(days=7):
            return None
        text = t("remind-inactivity")
    if text is None:
        return None
    if row.kind in policy.SNOOZABLE:
        for days in policy.SNOOZE_DAYS:
            kb.button(
                text=t(f"remind-btn-snooze-{days}"), callback_data=OutboxCb(action="snooze", x=row.id, d=days)
            )
    kb.adjust(1)
    return text, kb.as_markup()


# --- the person's side: snooze and settings ---------------------------------------------------------


@router.callback_query(OutboxCb.filter(F.action == "snooze"))
async def snooze(
    query: CallbackQuery,
    callback_data: OutboxCb,
    session: AsyncSession,
    user: User,
    t: Translator,
    clock: Clock,
) -> None:
    row = await session.get(OutboxMessage, callback_data.x)
    if (
        row is None
        or row.user_id != user.id
        or callback_data.d not in policy.SNOOZE_DAYS
        or row.kind not in policy.SNOOZABLE
    ):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    now = clock()
    await Outbox(session).schedule(
        user.id,
        row.kind,
        f"{row.key}:snooze:{now.date().isoformat()}",
        policy.snoozed(now, callback_data.d),
        ref_type=row.ref_type,
        ref_id=row.ref_id,
        payload=row.payload,
    )
    await session.commit()
    await query.answer(t(f"remind-snoozed-{callback_data.d}"))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


def settings_view(user: User, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    off = set(user.notify_off or [])
    kb = Keyboard()
    for group in policy.GROUPS:
        mark = "🔕" if group in off else "🔔"
        kb.button(text=f"{mark} {t(f'notify-group-{group}')}", callback_data=NotifyCb(group=group))
    kb.adjust(1)
    return t("notify-settings"), kb.as_markup()


@router.callback_query(NotifyCb.filter())
async def toggle(
    query: CallbackQuery, callback_data: NotifyCb, session: AsyncSession, user: User, t: Translator
) -> None:
    if callback_data.group not in policy.GROUPS:
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    off = set(user.notify_off or [])
    off ^= {callback_data.group}
    user.notify_off = sorted(off)
    await session.commit()
    await query.answer(t("notify-off" if callback_data.group in off else "notify-on"))
    text, markup = settings_view(user, t)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)
