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


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"
