"""The person's side of reminders: putting one off («Напомнить завтра» / «через неделю») and
switching groups of them off («Профиль → Уведомления»)."""

from __future__ import annotations

from dataclasses import dataclass

from domain import reminders as policy
from services.reminders.registry import kind_of
from services.results import STALE, Stale
from services.uow import UnitOfWork
from storage.models import User
from storage.outbox import Outbox


@dataclass(frozen=True, slots=True)
class Snoozed:
    days: int


@dataclass(frozen=True, slots=True)
class GroupSetting:
    group: str
    on: bool


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """Every group a person can switch off, in order, and whether it is on."""

    groups: tuple[GroupSetting, ...]


@dataclass(frozen=True, slots=True)
class Toggled:
    group: str
    on: bool
    settings: NotifySettings


async def snooze(uow: UnitOfWork, user_id: int, outbox_id: int, days: int) -> Snoozed | Stale:
    """The same reminder again in ``days``: only one's own, of a kind that can be put off, by one of
    the offered delays."""
    outbox = Outbox(uow.session)
    row = await outbox.get(outbox_id)
    if row is None or row.user_id != user_id or days not in policy.SNOOZE_DAYS:
        return STALE
    kind = kind_of(row.kind)
    if kind is None or not kind.snoozable:
        return STALE
    now = uow.now()
    await outbox.schedule(
        user_id,
        row.kind,
        f"{row.key}:snooze:{now.date().isoformat()}",
        policy.snoozed(now, days),
        ref_type=row.ref_type,
        ref_id=row.ref_id,
        payload=row.payload,
    )
    await uow.commit()
    return Snoozed(days)


def notify_settings(user: User) -> NotifySettings:
    off = set(user.notify_off or [])
    return NotifySettings(tuple(GroupSetting(group, group not in off) for group in policy.GROUPS))


async def toggle_group(uow: UnitOfWork, user: User, group: str) -> Toggled | Stale:
    """Switch a group of reminders off, or back on."""
    if group not in policy.GROUPS:
        return STALE
    off = set(user.notify_off or []) ^ {group}
    user.notify_off = sorted(off)
    await uow.commit()
    return Toggled(group, group not in off, notify_settings(user))
