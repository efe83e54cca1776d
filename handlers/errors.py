"""The global error handler: log with context, tell the user, never leave them in silence."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from locales import Translations
from services import people
from services.uow import UnitsOfWork

log = logging.getLogger(__name__)
router = Router(name="errors")


@router.errors()
async def on_error(
    event: ErrorEvent,
    bot: Bot,
    translations: Translations,
    units: UnitsOfWork,
    default_locale: str,
) -> None:
    update = event.update
    query = update.callback_query
    message = update.message or (query.message if query else None)
    sender = (update.message.from_user if update.message else None) or (query.from_user if query else None)
    log.error(
        "update %s failed: %r",
        update.update_id,
        event.exception,
        exc_info=event.exception,
        extra={"update_id": update.update_id, "user_id": sender.id if sender else None},
    )
    if sender is None:
        return
    locale = None
    try:
        async with units.open() as uow:
            # The bot says which messenger the person wrote on (a MAX bot has ``messenger``).
            messenger = getattr(bot, "messenger", "telegram")
            locale = await people.language(uow, sender.id, messenger)
    except Exception:  # noqa: BLE001 - the database may be why we are here
        log.warning("could not read the user's language while handling an error")
    t = translations.get(locale, default_locale)
    try:
        if query is not None:
            await query.answer(t("error-generic"), show_alert=True)
        elif message is not None:
            await bot.send_message(sender.id, t("error-generic"))
    except TelegramAPIError:
        log.warning("could not tell user %s about the error", sender.id)
