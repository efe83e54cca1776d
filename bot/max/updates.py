"""MAX's updates as aiogram ``Update`` objects, for the same dispatcher and handlers.

- ``message_created`` in a dialog → a private ``Message`` (its text; other content arrives without
  text, as a sticker would, and the fallback handler answers it);
- ``message_callback`` → a ``CallbackQuery`` whose ``data`` is the button's payload, on the message
  the button was on (with its callback and link buttons as the inline keyboard);
- ``bot_started`` → the message ``/start <payload>``, as a Telegram deep link arrives.

A person's id on MAX is the chat id and the user id of the private chat (messages to them go by
``user_id``). Group chats and other update types are not handled (None)."""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

from aiogram import Bot
from aiogram.types import Update

from bot.max.api import file_id
from bot.max.ids import MessageIds

log = logging.getLogger(__name__)
_update_ids = itertools.count(1)


def to_update(raw: dict[str, Any], ids: MessageIds, bot: Bot) -> Update | None:
    """The update for the dispatcher, or None: a kind not handled, or one MAX should never send
    (no person, a person without a numeric id, fields of the wrong shape) — logged and skipped, so
    that one odd update never stops the polling loop or fails a webhook call."""
    try:
        update = _to_update(raw, ids, bot)
    except (ValueError, TypeError, AttributeError) as error:  # pydantic's ValidationError too
        log.warning("a MAX update skipped: %s", error, extra={"update_type": str(raw.get("update_type"))})
        return None
    if update is not None:
        person = update.message.from_user if update.message else update.callback_query.from_user  # type: ignore[union-attr]
        if person is None or person.id <= 0:
            log.warning(
                "a MAX update without a person skipped", extra={"update_type": raw.get("update_type")}
            )
            return None
    return update


def _to_update(raw: dict[str, Any], ids: MessageIds, bot: Bot) -> Update | None:
    kind = raw.get("update_type")
    locale = raw.get("user_locale")
    if kind == "message_created":
        message = raw.get("message") or {}
        recipient = message.get("recipient") or {}
        sender = message.get("sender") or {}
        if recipient.get("chat_type", "dialog") != "dialog" or not sender or sender.get("is_bot"):
            return None
        person = _user(sender, locale)
        text = (message.get("body") or {}).get("text")
        return _update(bot, message=_message(message, ids, person, text=text))
    if kind == "message_callback":
        callback = raw.get("callback") or {}
        person = _user(callback.get("user") or {}, locale)
        on = raw.get("message")
        query: dict[str, Any] = {
            "id": str(callback.get("callback_id", "")),
            "from": person,
            "chat_instance": "max",
            "data": callback.get("payload"),
        }
        if on:
            text = (on.get("body") or {}).get("text")
            query["message"] = _message(on, ids, person, text=text, by_bot=True)
        return _update(bot, callback_query=query)
    if kind == "bot_started":
        person = _user(raw.get("user") or {}, locale)
        payload = raw.get("payload")
        started = {
            "message_id": ids.fresh(),
            "date": _date(raw.get("timestamp")),
            "chat": {"id": person["id"], "type": "private", "first_name": person["first_name"]},
            "from": person,
            "text": f"/start {payload}" if payload else "/start",
        }
        return _update(bot, message=started)
    return None


def _update(bot: Bot, **event: Any) -> Update:
    # Validated with the bot in context, as aiogram does, so that ``message.answer()`` works.
    return Update.model_validate({"update_id": next(_update_ids), **event}, context={"bot": bot})


def _user(raw: dict[str, Any], locale: str | None) -> dict[str, Any]:
    return {
        "id": int(raw.get("user_id", 0)),
        "is_bot": bool(raw.get("is_bot", False)),
        "first_name": raw.get("first_name") or raw.get("name") or "",
        "last_name": raw.get("last_name"),
        "username": raw.get("username"),
        "language_code": (locale if isinstance(locale, str) and locale else "ru")[:2],
    }


def _message(
    raw: dict[str, Any], ids: MessageIds, person: dict[str, Any], *, text: str | None, by_bot: bool = False
) -> dict[str, Any]:
    body = raw.get("body") or {}
    mid = str(body.get("mid") or "")
    message: dict[str, Any] = {
        "message_id": ids.to_int(mid) if mid else ids.fresh(),
        "date": _date(raw.get("timestamp")),
        "chat": {"id": person["id"], "type": "private", "first_name": person["first_name"]},
    }
    if by_bot and mid:  # the bot's message a button was on: its files stay through edits
        ids.remember_files(mid, body.get("attachments") or [])
    content = None if by_bot else _content(body.get("attachments") or [])
    entities = _entities(body.get("markup"), text) if text else []
    if content is not None:  # with a file, the text is its caption
        message |= content | ({"caption": text} if text else {})
        if entities:
            message["caption_entities"] = entities
    else:
        message["text"] = text
        if entities:
            message["entities"] = entities
    if by_bot and (markup := _inline_markup(body.get("attachments"))):
        message["reply_markup"] = markup  # the buttons it carries, as Telegram gives them
    if not by_bot:
        message["from"] = person
    return message


def _inline_markup(attachments: Any) -> dict[str, Any] | None:
    """The callback and link buttons of a message's ``inline_keyboard``, as Telegram's inline
    keyboard: a button pressed on a file or photo without a caption is known to be the message's
    own (``handlers.guards.AccessibleMessage``), not a forged one."""
    for attachment in attachments if isinstance(attachments, list) else []:
        if not isinstance(attachment, dict) or attachment.get("type") != "inline_keyboard":
            continue
        rows = []
        for row in (attachment.get("payload") or {}).get("buttons") or []:
            buttons = [shaped for b in row if (shaped := _inline_button(b)) is not None]
            if buttons:
                rows.append(buttons)
        return {"inline_keyboard": rows} if rows else None
    return None


def _inline_button(button: Any) -> dict[str, str] | None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        return None
    if button.get("type") == "callback" and isinstance(button.get("payload"), str):
        return {"text": button["text"], "callback_data": button["payload"]}
    if button.get("type") == "link" and isinstance(button.get("url"), str):
        return {"text": button["text"], "url": button["url"]}
    return None


# MAX's formatting of a text (``body.markup``; MAX gives the text without it) as Telegram's entities,
# so that what the bot keeps of a formatted text keeps its bold, links, …: a broadcast written on
# MAX, a question the bot closes by editing its own message (``html_text``). The offsets are in
# UTF-16 code units, as Telegram's.
_ENTITY = {
    "strong": "bold",
    "heading": "bold",
    "emphasized": "italic",
    "monospaced": "code",
    "strikethrough": "strikethrough",
    "underline": "underline",
    "link": "text_link",
}


def _entities(markup: Any, text: str) -> list[dict[str, Any]]:
    size = len(text.encode("utf-16-le")) // 2
    entities = []
    for element in markup if isinstance(markup, list) else []:
        kind = _ENTITY.get(str(element.get("type"))) if isinstance(element, dict) else None
        start, length = (element.get("from"), element.get("length")) if kind else (None, None)
        if not isinstance(start, int) or not isinstance(length, int):
            continue
        if not kind or start < 0 or length <= 0 or start + length > size:  # beyond the text: left out
            continue
        entity: dict[str, Any] = {"type": kind, "offset": start, "length": length}
        if kind == "text_link":
            url = element.get("url")
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                continue
            entity["url"] = url
        entities.append(entity)
    return entities


def _content(attachments: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A file or a picture the person sent, as aiogram's document or photo. Its id is MAX's
    download address, which ``MaxSession`` hands to ``bot.download``."""
    for attachment in attachments:
        kind, payload = attachment.get("type"), attachment.get("payload") or {}
        url = payload.get("url")
        if not url:
            continue
        unique = str(payload.get("token") or payload.get("photo_id") or url)[:64]
        if kind == "file":
            name = attachment.get("filename")
            document = {"file_id": file_id(url, name), "file_unique_id": unique, "file_name": name}
            if isinstance(attachment.get("size"), int):
                document["file_size"] = attachment["size"]
            return {"document": document}
        if kind == "image":
            return {"photo": [{"file_id": url, "file_unique_id": unique, "width": 0, "height": 0}]}
    return None


def _date(millis: Any) -> int:
    if isinstance(millis, int | float) and millis > 0:
        return int(millis / 1000)
    return int(time.time())
