"""Filters shared by the routers."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message

from domain.roles import Role
from locales import Translations


class RoleFilter(Filter):
    """Passes when the speaker's effective role is one of ``roles``."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, event: object, role: Role | None = None) -> bool:
        return role in self.roles


class MenuButton(Filter):
    """A reply-keyboard button, recognised by its label in any locale."""

    def __init__(self, key: str) -> None:
        self.key = key

    async def __call__(self, message: Message, translations: Translations) -> bool:
        return message.text is not None and message.text in translations.all_texts(self.key)
