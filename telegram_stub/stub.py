"""An in-process stand-in for the Telegram Bot API.

`TelegramStub` answers Bot API calls the way api.telegram.org does — same result objects, same
error codes and descriptions — and checks the limits Telegram enforces (text and caption length,
HTML markup, keyboards, callback data, callback answers). Tests and the terminal sandbox use it
instead of the network:

* `StubSession` plugs it into an aiogram `Bot` in-process; requests are serialised exactly as
  `AiohttpSession` serialises them, so the stub sees the same strings Telegram would.
* `telegram_stub.server.StubServer` exposes it over HTTP for a `Bot` with a stock `AiohttpSession`.

Incoming traffic is built with `message_update` / `callback_update` and delivered through
`getUpdates` (long polling included) or fed to a dispatcher directly.

Where the stub is stricter than Telegram it says so next to the check; such checks only exist to
catch bugs that Telegram would let through silently (e.g. an unescaped "&" in HTML text).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import itertools
import json
import mimetypes
import re
import secrets
import threading
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods.base import TelegramType

from telegram_stub.html import (
    EntityParseError,
    _is_blank,
    _strip_tags_leniently,
    _trim,
    _utf16_len,
    parse_html,
    visible_text,
)

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod
    from aiogram.types import InputFile

__all__ = [
    "SentMessage",
    "StubSession",
    "TelegramStub",
    "keyboard_rows",
]

# --- Telegram's limits -------------------------------------------------------------------------

MAX_TEXT_LENGTH = 4096  # characters of a message text after entity parsing
MAX_CAPTION_LENGTH = 1024  # characters of a media caption after entity parsing
MAX_RAW_TEXT_BYTES = 1 << 15  # the Bot API refuses longer raw `text` before parsing it
MAX_CALLBACK_DATA_BYTES = 64
MAX_KEYBOARD_BUTTONS = 100
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_BOT_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_COMMAND_DESCRIPTION_LENGTH = 256

# --- Telegram's error descriptions -------------------------------------------------------------

CHAT_NOT_FOUND = "Bad Request: chat not found"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
MESSAGE_ID_MISSING = "Bad Request: message identifier is not specified"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_MUST_BE_NON_EMPTY = "Bad Request: text must be non-empty"
RAW_TEXT_TOO_LONG = "Bad Request: text is too long"
TEXT_TOO_LONG = "Bad Request: message is too long"
EDITED_TEXT_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
EDITED_CAPTION_TOO_LONG = "Bad Request: MEDIA_CAPTION_TOO_LONG"
CANT_PARSE_ENTITIES = "Bad Request: can't parse entities: "
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
CANT_BE_EDITED = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
# Telegram's server rejects an empty button label; the MTProto name of the error is used.
BUTTON_TEXT_INVALID = "Bad Request: BUTTON_TEXT_INVALID"
MARKUP_TOO_LONG = "Bad Request: reply markup is too long"
TEXT_BUTTONS_UNALLOWED = (
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
# Stricter than Telegram, which silently uses the first action field it finds; the wording is the
# Bot API documentation's.
SEVERAL_BUTTON_ACTIONS = (
    "Bad Request: can't parse inline keyboard button: "
    "Exactly one of the optional fields must be used to specify type of the button"
)
INLINE_KEYBOARD_EXPECTED = "Bad Request: inline keyboard expected"
CALLBACK_ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
INVALID_FILE_ID = "Bad Request: invalid file_id"
FILE_EMPTY = "Bad Request: file must be non-empty"
FILE_TOO_BIG = "Bad Request: file is too big"
ENTITY_TOO_LARGE = "Request Entity Too Large"
WRONG_CHAT_ACTION = "Bad Request: wrong parameter action in request"
METHOD_NOT_FOUND = "Not Found: method not found"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
POLLING_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

# --- Request parameters ------------------------------------------------------------------------

# Form fields arrive as strings; these are converted back to what they mean.
_INT_FIELDS = frozenset(
    {
        "chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id", "from_chat_id",
        "reply_to_message_id", "message_thread_id", "max_connections", "duration", "width", "height",
    }
)  # fmt: skip
_BOOL_FIELDS = frozenset(
    {
        "show_alert", "disable_notification", "protect_content", "drop_pending_updates",
        "disable_web_page_preview", "allow_sending_without_reply", "disable_content_type_detection",
        "has_spoiler", "show_caption_above_media", "allow_paid_broadcast",
    }
)  # fmt: skip
_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "commands", "scope", "allowed_updates",
        "link_preview_options", "reply_parameters", "menu_button", "media",
    }
)  # fmt: skip

_CHAT_ACTIONS = frozenset(
    {
        "cancel", "typing", "record_video", "upload_video", "record_audio", "record_voice", "upload_audio",
        "upload_voice", "upload_photo", "upload_document", "choose_sticker", "pick_up_location",
        "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip

_INLINE_BUTTON_ACTIONS = (
    "url", "callback_data", "callback_game", "pay", "switch_inline_query", "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat", "login_url", "web_app", "copy_text",
)  # fmt: skip

# Content of the photos users "send": only ever compared, never decoded.
_FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

# Update types Telegram leaves out unless asked for explicitly in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# Telegram's bot command pattern; a command must not run on into a word or a path.
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")
_BOT_COMMAND_NAME_RE = re.compile(rf"[a-z0-9_]{{1,{MAX_COMMAND_LENGTH}}}")


# === Keyboards =================================================================================


def keyboard_rows(markup: Any) -> list[list[dict[str, Any]]]:
    """Rows of buttons of an inline or reply keyboard markup; [] for anything else."""
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard")
    if rows is None:
        rows = markup.get("keyboard")
    if not isinstance(rows, list):
        return []
    result: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            continue
        # Reply keyboard buttons may be plain strings.
        result.append([{"text": b} if isinstance(b, str) else b for b in row if isinstance(b, str | dict)])
    return result


def _has_action(button: Mapping[str, Any], key: str) -> bool:
    value = button.get(key)
    if value is None:
        return False
    # The Bot API treats an empty url or callback_data as absent (an empty switch_inline_query is fine).
    return value != "" if key in ("url", "callback_data") else True


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """The part of a reply_markup Telegram shows back in a Message: inline keyboards only."""
    if (
        isinstance(markup, dict)
        and isinstance(markup.get("inline_keyboard"), list)
        and "keyboard" not in markup
    ):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


# === Records ===================================================================================


@dataclass
class SentMessage:
    """One state of a message the bot sent (edits produce new records)."""

    chat_id: int
    message_id: int
    kind: str  # "text" | "document" | "photo"
    text: str | None  # text or caption as sent, markup included
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    document: tuple[str, bytes] | None = None  # (file name, content) of a document or photo
    edited: bool = False
    entities: list[dict[str, Any]] = field(default_factory=list)  # of the visible text, UTF-16 offsets
    date: int = 0
    edit_date: int | None = None
    file_id: str | None = None

    @property
    def plain_text(self) -> str:
        """The text or caption as the user sees it: tags stripped, entities unescaped, trimmed."""
        return visible_text(self.text, self.parse_mode)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in keyboard_rows(self.reply_markup) for button in row]

    @property
    def button_texts(self) -> list[str]:
        return [str(button.get("text", "")) for button in self.buttons]


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    content: bytes
    file_path: str
    kind: str  # "document" | "photo" | "sticker"


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    remaining: int


class _ApiError(Exception):
    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class _Call:
    """One API call being answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    stub: TelegramStub

    def violation(self, description: str) -> None:
        """Record a limit violation; in strict mode refuse the call with it, as Telegram would."""
        self.stub.violations.append(f"{self.method}: {description}")
        if self.stub.strict:
            raise _ApiError(400, description)


def _bad_request(description: str) -> _ApiError:
    return _ApiError(400, description)


def _to_bool(value: str) -> bool:
    return value.strip().lower() in ("true", "yes", "1")


def _normalise_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Turn form-encoded values back into Python values; returns (params, error description)."""
    result: dict[str, Any] = {}
    error: str | None = None
    for key, value in params.items():
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, Enum):
            # aiogram hands str-enums (e.g. ParseMode.HTML) to the session as they are; on the
            # wire they are their values.
            value = value.value
        if isinstance(value, str):
            if key in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    if error is None:
                        what = "reply keyboard markup" if key == "reply_markup" else key
                        error = f"Bad Request: can't parse {what} JSON object"
            elif key in _INT_FIELDS:
                with contextlib.suppress(ValueError):  # e.g. chat_id "@username" stays a string
                    value = int(value)
            elif key in _BOOL_FIELDS:
                value = _to_bool(value)
        result[key] = value
    return result, error


def _as_int(value: Any, default: int = 0) -> int:
    if value is None or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


_Handler = Callable[["TelegramStub", _Call], Any]
_HANDLERS: dict[str, tuple[str, _Handler]] = {}


def _api_method(name: str) -> Callable[[_Handler], _Handler]:
    """Register a TelegramStub method as the handler of the Bot API method `name`."""

    def register(func: _Handler) -> _Handler:
        _HANDLERS[name.lower()] = (name, func)
        return func

    return register


# === The emulator ==============================================================================


class TelegramStub:
    """A Bot API endpoint for one bot, talking to users in private chats."""

    def __init__(
        self,
        *,
        bot_id: int = 4242,
        username: str = "efs_demo_bot",
        first_name: str = "ЕФС",
        strict: bool = True,
    ) -> None:
        self.bot_id = bot_id
        self.username = username
        self.first_name = first_name
        self.strict = strict

        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.outbox: list[SentMessage] = []
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.violations: list[str] = []
        # Every refused call as (method, HTTP status, description), injected failures included.
        self.errors: list[tuple[str, int, str]] = []

        self._users: dict[int, dict[str, Any]] = {}
        self._user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._update_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: frozenset[str] | None = None
        self._pending_queries: set[str] = set()
        self._query_ids = itertools.count(secrets.randbits(52) + (1 << 60))
        self._files: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._failures: dict[str, list[_Failure]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}
        self._webhook_url = ""
        self.webhook: dict[str, Any] = {}  # the last setWebhook's url, secret_token, allowed_updates

        # Long polling: getUpdates waits on an event that push_update sets. The lock guards the
        # update queue because push_update may be called from another thread (a terminal reader).
        self._lock = threading.Lock()
        self._waiter: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        self._pushed = 0  # number of updates ever pushed: a poller that saw it change must look again
        self._poll_generation = 0

    # --- Entry point ---------------------------------------------------------------------------

    async def handle(
        self,
        method: str,
        params: Mapping[str, Any],
        files: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, JSON body) exactly as Telegram would."""
        handler_entry = _HANDLERS.get(method.lower())
        name = handler_entry[0] if handler_entry else method
        normalised, decode_error = _normalise_params(params)
        self.requests.append((name, normalised))

        failure = self._take_failure(name)
        if failure is not None:
            return self._refuse(name, failure)
        if handler_entry is None:
            return self._refuse(name, _ApiError(404, METHOD_NOT_FOUND))
        if decode_error is not None:
            return self._refuse(name, _bad_request(decode_error))

        call = _Call(name, normalised, dict(files or {}), self)
        try:
            result = handler_entry[1](self, call)
            if inspect.isawaitable(result):
                result = await result
        except _ApiError as error:
            return self._refuse(name, error)
        return 200, {"ok": True, "result": result}

    def _refuse(self, method: str, error: _ApiError) -> tuple[int, dict[str, Any]]:
        self.errors.append((method, error.status, error.description))
        body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return error.status, body

    def fail_next(
        self, method: str, status: int, description: str, *, retry_after: int | None = None, times: int = 1
    ) -> None:
        """Make the next `times` calls of `method` fail with this error (429 gets retry_after)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        queue = self._failures.setdefault(method.lower(), [])
        queue.append(_Failure(status, description, retry_after, times))

    def _take_failure(self, method: str) -> _ApiError | None:
        queue = self._failures.get(method.lower())
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.pop(0)
        return _ApiError(failure.status, failure.description, retry_after=failure.retry_after)

    # --- Inspection helpers --------------------------------------------------------------------

    def last_message(self, chat_id: int) -> SentMessage | None:
        """The latest outbox entry (a send or an edit) for the chat."""
        for message in reversed(self.outbox):
            if message.chat_id == chat_id:
                return message
        return None

    def keyboard_of(self, message: SentMessage) -> list[list[dict[str, Any]]]:
        """Rows of buttons (inline or reply keyboard) of the message; [] if it has none."""
        return keyboard_rows(message.reply_markup)

    def file_content(self, file_path: str) -> bytes | None:
        """Bytes of a stored file by its getFile path (what /file/bot<token>/<path> serves)."""
        for stored in self._files.values():
            if stored.file_path == file_path:
                return stored.content
        return None

    # --- Incoming updates ----------------------------------------------------------------------

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        first_name: str = "Тест",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        photo: bool = False,
        sticker: bool = False,
        document: tuple[str, bytes] | None = None,
        push: bool = False,
    ) -> dict[str, Any]:
        """A message from the user in their private chat with the bot, as an update.

        With photo or document, `text` becomes the caption. The user becomes known, so the bot may
        write to them from now on.
        """
        if sticker and (text is not None or photo or document is not None):
            raise ValueError("a sticker message has neither text nor other media")
        if text is None and not (photo or sticker or document is not None):
            raise ValueError("a message needs text, a photo, a sticker or a document")
        user = self._register_user(user_id, first_name, last_name, username, language_code)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(user_id),
            "from": user,
            "chat": self._chat_json(user_id),
            "date": int(time.time()),
        }
        if photo:
            stored = self._store_file("photo", "photo.jpg", _FAKE_JPEG)
            message["photo"] = self._photo_sizes(stored)
        elif document is not None:
            stored = self._store_file("document", document[0], document[1])
            message["document"] = self._document_json(stored)
        elif sticker:
            stored = self._store_file("sticker", "sticker.webp", b"RIFF\0\0\0\0WEBP")
            message["sticker"] = {
                "file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "type": "regular",
                "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "🙂",
                "file_size": len(stored.content),
            }  # fmt: skip
        if text is not None:
            field_name = "text" if "photo" not in message and "document" not in message else "caption"
            message[field_name] = text
            command = _COMMAND_RE.match(text) if field_name == "text" else None
            if command:
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command[0])}]
        self._user_messages[(user_id, message["message_id"])] = message
        update = {"update_id": next(self._update_ids), "message": message}
        if push:
            self.push_update(update)
        return update

    def callback_update(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        push: bool = False,
        language_code: str | None = "ru",
    ) -> dict[str, Any]:
        """The user pressing a callback button on bot message (user_id, message_id), as an update.

        The query id is remembered: answerCallbackQuery must answer it, once.
        """
        known = self._users.get(user_id)
        user = self._register_user(
            user_id,
            known["first_name"] if known else "Тест",
            known.get("last_name") if known else None,
            known.get("username") if known else None,
            language_code,
        )
        sent = self.messages.get((user_id, message_id))
        if sent is not None:
            message = self._message_json(sent)
        else:
            # What Telegram sends for a message the bot can no longer access.
            message = {"chat": self._chat_json(user_id), "message_id": message_id, "date": 0}
        query_id = str(next(self._query_ids))
        self._pending_queries.add(query_id)
        update = {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": query_id,
                "from": user,
                "message": message,
                "chat_instance": str((user_id * 2654435761 + self.bot_id) % (1 << 62)),
                "data": data,
            },
        }
        if push:
            self.push_update(update)
        return update

    def add_user(self, user_id: int, *, first_name: str = "Тест", language_code: str | None = "ru") -> None:
        """A user who wrote to the bot before (an earlier run): the bot may write to them."""
        self._register_user(user_id, first_name, None, None, language_code)

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates, waking a long poll in progress. Thread-safe."""
        with self._lock:
            self._updates.append(update)
            self._pushed += 1
        self._notify_pollers()

    def _register_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return dict(user)

    def _new_message_id(self, chat_id: int) -> int:
        # One counter per chat for both sides, as in Telegram's private chats.
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    # --- JSON objects --------------------------------------------------------------------------

    def _bot_json(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def _chat_json(self, chat_id: int) -> dict[str, Any]:
        user = self._users.get(chat_id, {})
        chat: dict[str, Any] = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "")}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        return chat

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(),
            "chat": self._chat_json(message.chat_id),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        visible = message.plain_text
        if message.kind == "text":
            result["text"] = visible
            if message.entities:
                result["entities"] = message.entities
        else:
            stored = self._files.get(message.file_id or "")
            if stored is not None:
                if message.kind == "photo":
                    result["photo"] = self._photo_sizes(stored)
                else:
                    result["document"] = self._document_json(stored)
            if visible:
                result["caption"] = visible
                if message.entities:
                    result["caption_entities"] = message.entities
        markup = _inline_markup(message.reply_markup)
        if markup is not None:
            result["reply_markup"] = markup
        return json.loads(json.dumps(result))  # callers get their own copy of the stored state

    @staticmethod
    def _document_json(stored: _StoredFile) -> dict[str, Any]:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": mimetypes.guess_type(stored.file_name)[0] or "application/octet-stream",
            "file_size": len(stored.content),
        }

    @staticmethod
    def _photo_sizes(stored: _StoredFile) -> list[dict[str, Any]]:
        # Telegram offers several sizes; all of them point at the same bytes here.
        return [
            {
                "file_id": f"{stored.file_id}_{side}",
                "file_unique_id": f"{stored.file_unique_id}{side}",
                "width": side,
                "height": side,
                "file_size": len(stored.content),
            }
            for side in (90, 320, 800)
        ]

    def _store_file(self, kind: str, file_name: str, content: bytes) -> _StoredFile:
        prefix = {"photo": "AgACAgIAAxkBAAI", "sticker": "CAACAgIAAxkBAAI"}.get(kind, "BQACAgIAAxkBAAI")
        number = next(self._file_counter)
        extension = "." + file_name.rsplit(".", 1)[1] if "." in file_name else ""
        stored = _StoredFile(
            file_id=prefix + secrets.token_urlsafe(24),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            file_name=file_name,
            content=content,
            file_path=f"{kind}s/file_{number}{extension}",
            kind=kind,
        )
        self._files[stored.file_id] = stored
        return stored

    def _find_file(self, file_id: str) -> _StoredFile | None:
        stored = self._files.get(file_id)
        if stored is None and "_" in file_id:
            stored = self._files.get(file_id.rsplit("_", 1)[0])  # one of the photo sizes
        return stored

    # --- Shared checks -------------------------------------------------------------------------

    def _chat_of(self, call: _Call) -> int:
        """The chat_id of the call, which must be a user who has written to the bot."""
        chat_id = call.params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request(CHAT_ID_EMPTY)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for user in self._users.values():
                if user.get("username", "").lower() == chat_id[1:].lower():
                    return int(user["id"])
            raise _bad_request(CHAT_NOT_FOUND)
        if isinstance(chat_id, int) and chat_id in self._users:
            return chat_id
        raise _bad_request(CHAT_NOT_FOUND)

    def _message_id_of(self, call: _Call) -> int:
        message_id = call.params.get("message_id")
        if not isinstance(message_id, int) or message_id <= 0:
            raise _bad_request(MESSAGE_ID_MISSING)
        return message_id

    def _check_reply(self, call: _Call, chat_id: int) -> None:
        reply = call.params.get("reply_parameters")
        reply_to = (
            reply.get("message_id") if isinstance(reply, dict) else call.params.get("reply_to_message_id")
        )
        if reply_to is None:
            return
        allow_missing = call.params.get("allow_sending_without_reply") or (
            isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        )
        key = (chat_id, _as_int(reply_to))
        if key not in self.messages and key not in self._user_messages and not allow_missing:
            raise _bad_request(REPLY_NOT_FOUND)

    def _format(
        self, call: _Call, text: str, parse_mode: Any, explicit_entities: Any
    ) -> tuple[str, list[dict[str, Any]]]:
        """Visible text and entities of `text` under `parse_mode`, trimmed as Telegram trims.

        Markdown modes are not parsed (the project uses HTML); their text is taken as is. Entities
        Telegram detects by itself (URLs, mentions, hashtags, …) are not added.
        """
        mode = str(parse_mode or "").lower()
        visible, entities = text, []
        if mode in ("", "none"):
            if isinstance(explicit_entities, list):
                entities = [dict(e) for e in explicit_entities if isinstance(e, dict)]
        elif mode == "html":
            try:
                visible, entities = parse_html(text)
            except EntityParseError as error:
                call.violation(CANT_PARSE_ENTITIES + str(error))
                visible = _strip_tags_leniently(text)
        elif mode not in ("markdown", "markdownv2"):
            call.violation(UNSUPPORTED_PARSE_MODE)
        return _trim(visible, entities)

    def _check_markup(self, call: _Call, markup: Any, *, inline_only: bool) -> None:
        """Check a reply_markup against Telegram's rules (violations, see `_Call.violation`)."""
        if markup is None:
            return
        if not isinstance(markup, dict):
            call.violation("Bad Request: object expected as reply markup")
            return
        if "keyboard" in markup:
            if inline_only:
                call.violation(INLINE_KEYBOARD_EXPECTED)
                return
            self._check_reply_keyboard(call, markup["keyboard"])
        elif "inline_keyboard" in markup:
            self._check_inline_keyboard(call, markup["inline_keyboard"])
        elif inline_only:
            call.violation(INLINE_KEYBOARD_EXPECTED)

    @staticmethod
    def _check_inline_keyboard(call: _Call, rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            call.violation(
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
            return
        buttons = [button for row in rows for button in row]
        for button in buttons:
            if not isinstance(button, dict):
                call.violation(
                    "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
                continue
            label = button.get("text")
            if not isinstance(label, str):
                call.violation("Bad Request: can't parse inline keyboard button: Can't find field \"text\"")
            actions = [key for key in _INLINE_BUTTON_ACTIONS if _has_action(button, key)]
            if not actions:
                call.violation(TEXT_BUTTONS_UNALLOWED)
            elif len(actions) > 1:
                call.violation(SEVERAL_BUTTON_ACTIONS)
            if isinstance(label, str) and not label.strip():
                call.violation(BUTTON_TEXT_INVALID)
            data = button.get("callback_data")
            if isinstance(data, str) and len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                call.violation(BUTTON_DATA_INVALID)
        if len(buttons) > MAX_KEYBOARD_BUTTONS:
            call.violation(MARKUP_TOO_LONG)

    @staticmethod
    def _check_reply_keyboard(call: _Call, rows: Any) -> None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            call.violation('Bad Request: field "keyboard" must be an Array of Arrays')
            return
        buttons = [button for row in rows for button in row]
        for button in buttons:
            label = button.get("text") if isinstance(button, dict) else button
            if not isinstance(label, str):
                call.violation(
                    "Bad Request: can't parse keyboard button: KeyboardButton must be a String or an Object"
                    if not isinstance(button, dict)
                    else "Bad Request: can't parse keyboard button: Can't find field \"text\""
                )
            elif not label.strip():
                call.violation(BUTTON_TEXT_INVALID)
        # Telegram accepts somewhat bigger reply keyboards; the project keeps them to 100 buttons.
        if len(buttons) > MAX_KEYBOARD_BUTTONS:
            call.violation(MARKUP_TOO_LONG)

    def _record(self, message: SentMessage) -> SentMessage:
        self.outbox.append(message)
        self.messages[(message.chat_id, message.message_id)] = message
        return message

    # --- Bot, updates, webhook -----------------------------------------------------------------

    @_api_method("getMe")
    def _get_me(self, call: _Call) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @_api_method("logOut")
    def _log_out(self, call: _Call) -> bool:
        return True

    @_api_method("close")
    def _close(self, call: _Call) -> bool:
        return True

    @_api_method("getUpdates")
    async def _get_updates(self, call: _Call) -> list[dict[str, Any]]:
        if self._webhook_url:
            raise _ApiError(409, WEBHOOK_ACTIVE)
        params = call.params
        offset = _as_int(params.get("offset"))
        limit = min(max(_as_int(params.get("limit"), 100), 1), 100)
        timeout = max(_as_int(params.get("timeout")), 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(str(kind) for kind in allowed) or None

        # A newer getUpdates ends one still waiting, with 409, as Telegram does.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        self._confirm_updates(offset)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise _ApiError(409, POLLING_CONFLICT)
            pushed = self._pushed
            batch = self._take_updates(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            await self._wait_for_updates(remaining, pushed)

    def _confirm_updates(self, offset: int) -> None:
        with self._lock:
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]

    def _take_updates(self, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            # Telegram never generates updates of types the bot did not ask for.
            self._updates = [u for u in self._updates if self._is_allowed(u)]
            return [json.loads(json.dumps(u)) for u in self._updates[:limit]]

    def _is_allowed(self, update: Mapping[str, Any]) -> bool:
        kinds = [key for key in update if key != "update_id"]
        if self._allowed_updates is None:
            return not any(kind in _OPT_IN_UPDATES for kind in kinds)
        return any(kind in self._allowed_updates for kind in kinds)

    async def _wait_for_updates(self, seconds: float, pushed: int) -> None:
        loop = asyncio.get_running_loop()
        if self._waiter is None or self._waiter[0] is not loop:
            self._waiter = (loop, asyncio.Event())
        event = self._waiter[1]
        if self._pushed != pushed:
            return  # pushed from another thread before the event existed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)

    def _wake_pollers(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter[1].set()

    def _notify_pollers(self) -> None:
        waiter = self._waiter
        if waiter is None:
            return
        loop = waiter[0]
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake_pollers()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._wake_pollers)

    @_api_method("deleteWebhook")
    def _delete_webhook(self, call: _Call) -> bool:
        self._webhook_url = ""
        self.webhook = {}
        if call.params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    @_api_method("setWebhook")
    def _set_webhook(self, call: _Call) -> bool:
        url = str(call.params.get("url") or "")
        parts = urlsplit(url)
        # Telegram wants https; the stand-in also takes http on the loopback, where tests run.
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
            raise _bad_request("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = call.params.get("secret_token")
        if secret is not None and not _WEBHOOK_SECRET_RE.fullmatch(str(secret)):
            raise _bad_request("Bad Request: secret token contains unallowed characters")
        allowed = call.params.get("allowed_updates")
        self._webhook_url = url
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": list(allowed) if isinstance(allowed, list) else None,
        }
        if call.params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    @_api_method("getWebhookInfo")
    def _get_webhook_info(self, call: _Call) -> dict[str, Any]:
        with self._lock:
            pending = len(self._updates)
        return {"url": self._webhook_url, "has_custom_certificate": False, "pending_update_count": pending}

    # --- Commands and descriptions -------------------------------------------------------------

    @staticmethod
    def _command_key(call: _Call) -> tuple[str, str]:
        scope = call.params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(call.params.get("language_code") or "")

    @_api_method("setMyCommands")
    def _set_my_commands(self, call: _Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request('Bad Request: parameter "commands" is required')
        if len(commands) > MAX_BOT_COMMANDS:
            call.violation("Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            description = command.get("description") if isinstance(command, dict) else None
            if not isinstance(name, str) or not _BOT_COMMAND_NAME_RE.fullmatch(name.removeprefix("/")):
                call.violation("Bad Request: BOT_COMMAND_INVALID")
            if (
                not isinstance(description, str)
                or not 1 <= len(description) <= MAX_COMMAND_DESCRIPTION_LENGTH
            ):
                call.violation("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._command_key(call)] = [
            {
                "command": str(c.get("command", "")).removeprefix("/"),
                "description": str(c.get("description", "")),
            }
            for c in commands
            if isinstance(c, dict)
        ]
        return True

    @_api_method("getMyCommands")
    def _get_my_commands(self, call: _Call) -> list[dict[str, Any]]:
        return list(self._commands.get(self._command_key(call), []))

    @_api_method("deleteMyCommands")
    def _delete_my_commands(self, call: _Call) -> bool:
        self._commands.pop(self._command_key(call), None)
        return True

    @_api_method("setMyDescription")
    def _set_my_description(self, call: _Call) -> bool:
        self._descriptions[("description", str(call.params.get("language_code") or ""))] = str(
            call.params.get("description") or ""
        )
        return True

    @_api_method("getMyDescription")
    def _get_my_description(self, call: _Call) -> dict[str, Any]:
        key = ("description", str(call.params.get("language_code") or ""))
        return {"description": self._descriptions.get(key, "")}

    @_api_method("setMyShortDescription")
    def _set_my_short_description(self, call: _Call) -> bool:
        self._descriptions[("short_description", str(call.params.get("language_code") or ""))] = str(
            call.params.get("short_description") or ""
        )
        return True

    @_api_method("getMyShortDescription")
    def _get_my_short_description(self, call: _Call) -> dict[str, Any]:
        key = ("short_description", str(call.params.get("language_code") or ""))
        return {"short_description": self._descriptions.get(key, "")}

    @_api_method("setChatMenuButton")
    def _set_chat_menu_button(self, call: _Call) -> bool:
        return True

    @_api_method("getChatMenuButton")
    def _get_chat_menu_button(self, call: _Call) -> dict[str, Any]:
        return {"type": "commands"}

    # --- Chats ---------------------------------------------------------------------------------

    @_api_method("getChat")
    def _get_chat(self, call: _Call) -> dict[str, Any]:
        chat_id = self._chat_of(call)
        return {
            **self._chat_json(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    @_api_method("sendChatAction")
    def _send_chat_action(self, call: _Call) -> bool:
        if str(call.params.get("action") or "").lower() not in _CHAT_ACTIONS:
            raise _bad_request(WRONG_CHAT_ACTION)
        self._chat_of(call)
        return True

    # --- Sending -------------------------------------------------------------------------------

    @_api_method("sendMessage")
    def _send_message(self, call: _Call) -> dict[str, Any]:
        params = call.params
        text = str(params.get("text") or "")
        # Checked as the request is read, before the chat is looked up.
        if not text:
            call.violation(TEXT_EMPTY)
        if len(text.encode("utf-8", "surrogatepass")) > MAX_RAW_TEXT_BYTES:
            call.violation(RAW_TEXT_TOO_LONG)
        visible, entities = self._format(call, text, params.get("parse_mode"), params.get("entities"))
        chat_id = self._chat_of(call)
        self._check_reply(call, chat_id)
        if text and _is_blank(visible):
            call.violation(TEXT_MUST_BE_NON_EMPTY)
        if len(visible) > MAX_TEXT_LENGTH:
            call.violation(TEXT_TOO_LONG)
        markup = params.get("reply_markup")
        self._check_markup(call, markup, inline_only=False)
        message = SentMessage(
            chat_id=chat_id,
            message_id=self._new_message_id(chat_id),
            kind="text",
            text=text,
            parse_mode=_parse_mode_of(params),
            reply_markup=markup,
            entities=entities,
            date=int(time.time()),
        )
        return self._message_json(self._record(message))

    @_api_method("sendDocument")
    def _send_document(self, call: _Call) -> dict[str, Any]:
        return self._send_media(call, "document")

    @_api_method("sendPhoto")
    def _send_photo(self, call: _Call) -> dict[str, Any]:
        return self._send_media(call, "photo")

    def _send_media(self, call: _Call, kind: str) -> dict[str, Any]:
        params = call.params
        stored = self._input_file(call, kind)
        caption = str(params.get("caption") or "")
        visible, entities = self._format(
            call, caption, params.get("parse_mode"), params.get("caption_entities")
        )
        chat_id = self._chat_of(call)
        self._check_reply(call, chat_id)
        if len(visible) > MAX_CAPTION_LENGTH:
            call.violation(CAPTION_TOO_LONG)
        markup = params.get("reply_markup")
        self._check_markup(call, markup, inline_only=False)
        message = SentMessage(
            chat_id=chat_id,
            message_id=self._new_message_id(chat_id),
            kind=kind,
            text=caption or None,
            parse_mode=_parse_mode_of(params),
            reply_markup=markup,
            document=(stored.file_name, stored.content),
            entities=entities if visible else [],
            date=int(time.time()),
            file_id=stored.file_id,
        )
        return self._message_json(self._record(message))

    def _input_file(self, call: _Call, kind: str) -> _StoredFile:
        """The file of a send: an upload (multipart or attach://), a known file_id, or a URL."""
        value = call.params.get(kind)
        upload: tuple[str, bytes] | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value.removeprefix("attach://"))
        elif kind in call.files:
            upload = call.files[kind]
        elif isinstance(value, str) and value:
            if value.startswith(("http://", "https://")):
                # Telegram would download it; the stub has no network, so the content stays empty.
                name = urlsplit(value).path.rsplit("/", 1)[-1] or kind
                return self._store_file(kind, name, b"")
            known = self._find_file(value)
            if known is None:
                raise _bad_request(WRONG_FILE_ID)
            return known
        if upload is None:
            raise _bad_request(f"Bad Request: there is no {kind} in the request")
        file_name, content = upload
        if not content:
            raise _bad_request(FILE_EMPTY)
        if len(content) > MAX_UPLOAD_BYTES:
            raise _ApiError(413, ENTITY_TOO_LARGE)
        return self._store_file(kind, file_name or kind, content)

    @_api_method("getFile")
    def _get_file(self, call: _Call) -> dict[str, Any]:
        stored = self._find_file(str(call.params.get("file_id") or ""))
        if stored is None:
            raise _bad_request(INVALID_FILE_ID)
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise _bad_request(FILE_TOO_BIG)
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    # --- Editing and deleting ------------------------------------------------------------------

    def _message_to_edit(self, call: _Call) -> SentMessage:
        if call.params.get("inline_message_id"):
            raise _bad_request("Bad Request: MESSAGE_ID_INVALID")  # inline messages are not emulated
        chat_id = call.params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request(CHAT_ID_EMPTY)
        key = (_as_int(chat_id), self._message_id_of(call))
        message = self.messages.get(key)
        if message is None:
            raise _bad_request(CANT_BE_EDITED if key in self._user_messages else EDIT_NOT_FOUND)
        return message

    def _apply_edit(self, current: SentMessage, **changes: Any) -> dict[str, Any]:
        edited = dataclasses.replace(current, edited=True, edit_date=int(time.time()), **changes)
        unchanged = (
            edited.plain_text == current.plain_text
            and edited.entities == current.entities
            and _inline_markup(edited.reply_markup) == _inline_markup(current.reply_markup)
        )
        if unchanged:
            raise _bad_request(NOT_MODIFIED)
        return self._message_json(self._record(edited))

    @_api_method("editMessageText")
    def _edit_message_text(self, call: _Call) -> dict[str, Any]:
        params = call.params
        text = str(params.get("text") or "")
        if not text:
            call.violation(TEXT_EMPTY)
        if len(text.encode("utf-8", "surrogatepass")) > MAX_RAW_TEXT_BYTES:
            call.violation(RAW_TEXT_TOO_LONG)
        visible, entities = self._format(call, text, params.get("parse_mode"), params.get("entities"))
        markup = params.get("reply_markup")
        current = self._message_to_edit(call)
        if current.kind != "text":
            raise _bad_request(NO_TEXT_TO_EDIT)
        if text and _is_blank(visible):
            call.violation(TEXT_MUST_BE_NON_EMPTY)
        if len(visible) > MAX_TEXT_LENGTH:
            call.violation(EDITED_TEXT_TOO_LONG)
        self._check_markup(call, markup, inline_only=True)
        # Without reply_markup the edit removes the inline keyboard, as in Telegram.
        return self._apply_edit(
            current, text=text, parse_mode=_parse_mode_of(params), entities=entities, reply_markup=markup
        )

    @_api_method("editMessageCaption")
    def _edit_message_caption(self, call: _Call) -> dict[str, Any]:
        params = call.params
        caption = str(params.get("caption") or "")
        visible, entities = self._format(
            call, caption, params.get("parse_mode"), params.get("caption_entities")
        )
        markup = params.get("reply_markup")
        current = self._message_to_edit(call)
        if current.kind == "text":
            raise _bad_request(NO_CAPTION_TO_EDIT)
        if len(visible) > MAX_CAPTION_LENGTH:
            call.violation(EDITED_CAPTION_TOO_LONG)
        self._check_markup(call, markup, inline_only=True)
        return self._apply_edit(
            current,
            text=caption or None,
            parse_mode=_parse_mode_of(params),
            entities=entities if visible else [],
            reply_markup=markup,
        )

    @_api_method("editMessageReplyMarkup")
    def _edit_message_reply_markup(self, call: _Call) -> dict[str, Any]:
        markup = call.params.get("reply_markup")
        current = self._message_to_edit(call)
        self._check_markup(call, markup, inline_only=True)
        return self._apply_edit(current, reply_markup=markup)

    @_api_method("deleteMessage")
    def _delete_message(self, call: _Call) -> bool:
        chat_id = self._chat_of(call)
        key = (chat_id, self._message_id_of(call))
        if self.messages.pop(key, None) is None and self._user_messages.pop(key, None) is None:
            raise _bad_request(DELETE_NOT_FOUND)
        return True

    # --- Callback queries ----------------------------------------------------------------------

    @_api_method("answerCallbackQuery")
    def _answer_callback_query(self, call: _Call) -> bool:
        """Answer a pending query once; `callback_answers` records the successful answers."""
        query_id = str(call.params.get("callback_query_id") or "")
        if query_id not in self._pending_queries:
            raise _bad_request(QUERY_INVALID)
        text = call.params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            call.violation(CALLBACK_ANSWER_TOO_LONG)
        self._pending_queries.discard(query_id)
        self.callback_answers.append(dict(call.params))
        return True


def _parse_mode_of(params: Mapping[str, Any]) -> str | None:
    mode = params.get("parse_mode")
    return str(mode) if mode else None


# === aiogram session ===========================================================================


class StubSession(BaseSession):
    """An aiogram session that answers from a `TelegramStub` in-process.

    Requests are serialised as `AiohttpSession.build_form_data` serialises them and responses go
    through `check_response`, so a bot sees the same values and the same exceptions as over HTTP.
    """

    def __init__(self, stub: TelegramStub, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stub = stub

    async def close(self) -> None:
        return None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if not prepared:  # what build_form_data leaves out
                continue
            params[key] = prepared
        uploads: dict[str, tuple[str, bytes]] = {}
        for key, input_file in files.items():
            content = b"".join([chunk async for chunk in input_file.read(bot)])
            uploads[key] = (input_file.filename or key, content)

        request_timeout = self.timeout if timeout is None else timeout
        try:
            status, body = await asyncio.wait_for(
                self.stub.handle(method.__api_method__, params, uploads), request_timeout
            )
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=self.json_dumps(body)
        )
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - BaseSession's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """Content of a stored file for a file URL (…/file/bot<token>/<file_path>); else nothing."""
        _, marker, rest = url.partition("/file/bot")
        content = self.stub.file_content(rest.partition("/")[2]) if marker else None
        if content:
            for start in range(0, len(content), chunk_size):
                yield content[start : start + chunk_size]
