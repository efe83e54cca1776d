"""The aiogram ``Bot`` that speaks to MAX, and which messenger a bot is."""

from __future__ import annotations

from typing import Final

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from bot.max.api import MaxApi
from bot.max.ids import MessageIds
from bot.max.session import ChatPace, MaxSession
from storage.fsm import MAX_BOT_ID

TELEGRAM: Final = "telegram"
MAX: Final = "max"
# aiogram takes a bot's id from its token; a MAX bot's token is not shaped like Telegram's. This id
# (storage.fsm's) keys a MAX person's conversation apart from a Telegram person's with the same number.


class MaxBot(Bot):
    messenger = MAX

    def __init__(self, api: MaxApi, ids: MessageIds | None = None, pace: ChatPace | None = None) -> None:
        super().__init__(
            token=f"{MAX_BOT_ID}:max",
            session=MaxSession(api, ids, pace),
            default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
        )

    @property
    def max_session(self) -> MaxSession:
        assert isinstance(self.session, MaxSession)
        return self.session


def messenger_of(bot: Bot) -> str:
    """Which messenger ``bot`` serves (handlers, which do not import this, read ``bot.messenger``
    the same way)."""
    return str(getattr(bot, "messenger", TELEGRAM))
