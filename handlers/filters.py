"""Filters shared by the routers."""

from __future__ import annotations

import re

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


COUNTED = re.compile(r"^(.*\S) \(\d{1,6}\)$")  # «📥 Входящие (3)»: a label with a count


class MenuButton(Filter):
    """A reply-keyboard button, recognised by its label in any locale, with or without the count
    a label may carry (a keyboard sent before the count changed is still understood)."""

    def __init__(self, key: str) -> None:
        self.key = key

    async def __call__(self, message: Message, translations: Translations) -> bool:
        if message.text is None:
            return False
        labels = translations.all_texts(self.key)
        if message.text in labels:
            return True
        counted = COUNTED.match(message.text)
        return counted is not None and counted.group(1) in labels
