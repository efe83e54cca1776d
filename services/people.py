"""Who a messenger account is, for code that has no update's unit of work."""

from __future__ import annotations

from services.uow import UnitOfWork
from storage.repositories import UserRepo


async def language(uow: UnitOfWork, telegram_id: int, messenger: str = "telegram") -> str | None:
    """The language the person chose, or None before the consent."""
    user = await UserRepo(uow.session).by_telegram_id(telegram_id, messenger)
    return user.locale if user else None
