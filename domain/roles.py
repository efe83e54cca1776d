"""Roles and invitations to them."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    TEACHER = "teacher"
    METHODIST = "methodist"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.METHODIST, Role.ADMIN})


class StaffTitle(StrEnum):
    """What a methodist or admin does: the role title of a staff profile."""

    REGIONAL_METHODIST = "regional_methodist"
    MUNICIPAL_METHODIST = "municipal_methodist"
    TUTOR = "tutor"
    CNPPM = "cnppm"  # специалист ЦНППМ
    IRO = "iro"  # специалист ИРО
    MMS = "mms"  # специалист муниципальной методической службы
    ADMINISTRATOR = "administrator"


# Municipal staff work for one municipality: their profile names it.
MUNICIPAL_TITLES = frozenset({StaffTitle.MUNICIPAL_METHODIST, StaffTitle.MMS})


def municipal_scope(role: str | None, title: str | None, municipality_id: int | None) -> int | None:
    """The one municipality a staff member may see and report on, or None for the whole region:
    municipal staff (a municipal methodist, a specialist of the ММС — as a methodist or an admin)
    see their municipality only; regional staff see the region."""
    if is_staff(role) and title in MUNICIPAL_TITLES and municipality_id is not None:
        return municipality_id
    return None


def is_staff(role: str | None) -> bool:
    """Methodists and admins fill a staff profile, not a teacher's."""
    return role in STAFF_ROLES


def counts_as_teacher(role: str | None, also_teacher: bool | None) -> bool:
    """A teacher, or a staff member who chose «Я тоже педагог»: counted in the indicators, put
    into caseloads, offered as a mentee."""
    return not is_staff(role) or bool(also_teacher)


# Deep-link payloads allow [A-Za-z0-9_-] and 64 characters; 16 random bytes are plenty.
INVITE_PREFIX = "inv_"
INVITE_CODE_RE = r"^inv_[A-Za-z0-9_-]{16,40}$"


def effective_role(stored: str | None, telegram_id: int, admin_ids: Iterable[int]) -> Role:
    """Admins listed in settings are admins whatever the database says."""
    if telegram_id in set(admin_ids):
        return Role.ADMIN
    return Role(stored) if stored else Role.TEACHER


def new_invite_code() -> str:
    return INVITE_PREFIX + secrets.token_urlsafe(16)


def invite_expiry(now: datetime, ttl_hours: int) -> datetime:
    return now + timedelta(hours=ttl_hours)


def invite_link(bot_username: str, code: str, messenger: str = "telegram") -> str:
    """The start link that opens the bot with ``code``: Telegram's, or MAX's (its payload arrives
    with the person's «Начать», ``bot_started``)."""
    if messenger == "max":
        return f"https://max.ru/{bot_username}?start={code}"
    return f"https://t.me/{bot_username}?start={code}"
