"""``MaxSession``: aiogram's session interface over MAX's Bot API, so that the handlers' calls
(``message.answer``, ``callback.message.edit_text``, ``bot.send_document`` …) reach a MAX user.

Each aiogram method becomes MAX's call with the text, markup and keyboard adapted
(``bot.max.render``); MAX's answers come back as aiogram objects, and MAX's errors as aiogram's
exceptions with Telegram's wording where the meaning is the same («message to edit not found»,
«bot was blocked by the user», 429), so the bot's error policy (``bot.answers``, the senders) holds
on MAX unchanged. A method MAX has no use for (commands, webhooks, chat actions) is a no-op."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteMyCommands,
    DeleteWebhook,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendChatAction,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, File, InputFile, Message, User

from bot.max.api import MaxApi, MaxApiError, MaxNetworkError
from bot.max.ids import MessageIds
from bot.max.render import MAX_TEXT_LENGTH, keyboard, split_text, to_max_html
from bot.max.updates import file_name

log = logging.getLogger(__name__)

_NO_OPS = (SetMyCommands, DeleteMyCommands, DeleteWebhook, SendChatAction)
# MAX refuses a message whose uploaded file it is still processing: wait and send again.
ATTACHMENT_RETRIES = 5
ATTACHMENT_WAIT = 0.5
UPLOADS_KEPT = 256


# A file another messenger holds, by its id there: (file name, content). A broadcast made on
# Telegram names its photo by Telegram's file id; the MAX bot fetches it through Telegram's bot.
FetchFile = Callable[[str], Awaitable[tuple[str, bytes]]]


# MAX allows about two messages a second to one chat; a handler often says two or three things at
# once (an answer, a card, the menu): the third waits for its second rather than being refused.
PER_CHAT = 2
PER_CHAT_WINDOW = 1.0


class ChatPace:
    """At most ``per_chat`` messages to a chat in any ``window`` seconds: a send past that waits.

    A send counts from when MAX answered it (``sent``), not from when it left: MAX saw it before
    that, so the window the next one waits for holds on MAX's side whatever the network did."""

    def __init__(
        self,
        per_chat: int = PER_CHAT,
        window: float = PER_CHAT_WINDOW,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.per_chat, self.window = per_chat, window
        self._monotonic, self._sleep = monotonic, sleep
        self._sent: dict[int, deque[float]] = {}

    async def wait(self, chat_id: int) -> None:
        now = self._monotonic()
        recent = self._sent.get(chat_id)
        if recent is None:
            return
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.per_chat:
            # Until the oldest that counts leaves the window.
            await self._sleep(recent[-self.per_chat] + self.window - now)

    def sent(self, chat_id: int) -> None:
        now = self._monotonic()
        self._sent.setdefault(chat_id, deque(maxlen=self.per_chat)).append(now)
        if len(self._sent) > 4096:  # chats quiet for a window are forgotten
            self._sent = {c: q for c, q in self._sent.items() if q and q[-1] > now - self.window}


class MaxSession(BaseSession):
    fetch_file: FetchFile | None = None

    def __init__(self, api: MaxApi, ids: MessageIds | None = None, pace: ChatPace | None = None) -> None:
        # aiogram downloads a file from ``api.file_url(token, file_path)``: the file's path is
        # MAX's download address already (``GetFile`` below), so it is used as it is.
        super().__init__(api=TelegramAPIServer(base="max:{token}/{method}", file="{path}"))
        self.max_api = api
        self.ids = ids or MessageIds()
        self.pace = pace or ChatPace()
        # A file named by an id (a broadcast's photo, sent to each recipient): its MAX attachment.
        self.uploaded: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self._upload_locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def close(self) -> None:
        await self.max_api.close()

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - aiogram's interface
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        """A file the person sent: ``url`` is MAX's download address (the file's id here)."""
        try:
            async for chunk in self.max_api.download(url, seconds=timeout, chunk_size=chunk_size):
                yield chunk
        except MaxApiError as error:
            raise TelegramBadRequest(GetFile(file_id=url), f"Bad Request: {error.code}") from error
        except MaxNetworkError as error:
            raise TelegramNetworkError(GetFile(file_id=url), str(error)) from error

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        try:
            result = await self._call(bot, method)
        except MaxApiError as error:
            raise _as_telegram_error(method, error) from error
        except MaxNetworkError as error:
            raise TelegramNetworkError(method, str(error)) from error
        return cast(TelegramType, result)

    async def _call(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            me = await self.max_api.call("GET", "/me")
            return User(
                id=me["user_id"],
                is_bot=True,
                first_name=me.get("first_name") or me.get("name") or "",
                username=me.get("username"),
            )
        if isinstance(method, SendMessage):
            return await self._send_text(bot, int(method.chat_id), method.text, method.reply_markup)
        if isinstance(method, EditMessageText | EditMessageCaption):
            text = (method.text if isinstance(method, EditMessageText) else method.caption) or ""
            return await self._edit(bot, method, text, method.reply_markup)
        if isinstance(method, EditMessageReplyMarkup):
            mid = self._mid(method, method.message_id)
            attachment = keyboard(method.reply_markup)
            kept = self.ids.files(mid)  # MAX replaces every attachment: the file stays
            await self.max_api.call(
                "PUT",
                "/messages",
                params={"message_id": mid},
                body={"attachments": [*kept, attachment] if attachment else kept},
            )
            return True
        if isinstance(method, DeleteMessage):
            mid = self._mid(method, method.message_id)
            await self.max_api.call("DELETE", "/messages", params={"message_id": mid})
            return True
        if isinstance(method, AnswerCallbackQuery):
            if method.text:  # MAX wants something to show; the button stops waiting either way
                await self.max_api.call(
                    "POST",
                    "/answers",
                    params={"callback_id": method.callback_query_id},
                    body={"notification": method.text},
                )
            return True
        if isinstance(method, SendDocument | SendPhoto):
            return await self._send_file(bot, method)
        if isinstance(method, GetFile):  # a file the person sent: its id is where MAX serves it
            return File(file_id=method.file_id, file_unique_id=method.file_id[:64], file_path=method.file_id)
        if isinstance(method, _NO_OPS):
            return True
        raise TelegramBadRequest(method, f"Bad Request: {type(method).__name__} is not supported on MAX")

    async def _post(
        self, chat_id: int, body: dict[str, Any], params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message to a person: paced for their chat, and sent once more after MAX's 429."""
        query = {"user_id": chat_id, **(params or {})}
        await self.pace.wait(chat_id)
        try:
            answer = await self.max_api.call("POST", "/messages", params=query, body=body)
        except MaxApiError as error:
            if error.status != 429:
                raise
            await asyncio.sleep(PER_CHAT_WINDOW)
            answer = await self.max_api.call("POST", "/messages", params=query, body=body)
        self.pace.sent(chat_id)
        return answer

    def _mid(self, method: TelegramMethod[Any], message_id: int | None) -> str:
        mid = self.ids.to_mid(message_id) if message_id is not None else None
        if mid is None:
            what = "delete" if isinstance(method, DeleteMessage) else "edit"
            raise TelegramBadRequest(method, f"Bad Request: message to {what} not found")
        return mid

    async def _send_text(self, bot: Bot, chat_id: int, text: str, markup: Any) -> Message:
        parts = split_text(to_max_html(text), MAX_TEXT_LENGTH)
        attachment = keyboard(markup)
        sent: dict[str, Any] = {}
        for index, part in enumerate(parts):
            body: dict[str, Any] = {"text": part, "format": "html"}
            if attachment is not None and index == len(parts) - 1:
                body["attachments"] = [attachment]
            answer = await self._post(chat_id, body, {"disable_link_preview": True})
            sent = answer.get("message", answer)
        return self._message(bot, chat_id, sent, text=text)

    async def _edit(self, bot: Bot, method: Any, text: str, markup: Any) -> Message | bool:
        mid = self._mid(method, method.message_id)
        parts = split_text(to_max_html(text), MAX_TEXT_LENGTH)
        attachment = keyboard(markup)
        body: dict[str, Any] = {"text": parts[0], "format": "html"}
        kept = self.ids.files(mid)  # MAX replaces every attachment: the file stays
        body["attachments"] = [*kept, attachment] if attachment and len(parts) == 1 else kept
        await self.max_api.call("PUT", "/messages", params={"message_id": mid}, body=body)
        chat_id = int(method.chat_id or 0)
        if len(parts) > 1 and chat_id:  # what does not fit follows as new messages
            return await self._send_text(bot, chat_id, "\n\n".join(parts[1:]), markup)
        return self._message(bot, chat_id, {"body": {"mid": mid}}, text=text)

    async def _send_file(self, bot: Bot, method: SendDocument | SendPhoto) -> Message:
        file = method.document if isinstance(method, SendDocument) else method.photo
        kind = "file" if isinstance(method, SendDocument) else "image"
        if isinstance(file, InputFile):
            payload = await self._upload(kind, file.filename or "file", await _read(bot, file))
        else:
            # A file named by an id (a broadcast's photo, to each recipient): MAX takes the token
            # again, so it is fetched and uploaded once; sends at the same time wait for that one.
            async with self._upload_locks.setdefault((kind, file), asyncio.Lock()):
                kept = self.uploaded.get((kind, file))
                if kept is None:
                    kept = self.uploaded[(kind, file)] = await self._upload(
                        kind, *await self._fetch(method, kind, file)
                    )
                    while len(self.uploaded) > UPLOADS_KEPT:
                        self._upload_locks.pop(self.uploaded.popitem(last=False)[0], None)
                payload = kept
        attachments: list[dict[str, Any]] = [{"type": kind, "payload": payload}]
        buttons = keyboard(method.reply_markup)
        body: dict[str, Any] = {"attachments": [*attachments, buttons] if buttons else attachments}
        if method.caption:
            body |= {"text": split_text(to_max_html(method.caption))[0], "format": "html"}
        chat_id = int(method.chat_id)
        for attempt in range(ATTACHMENT_RETRIES):
            try:
                answer = await self._post(chat_id, body)
                break
            except MaxApiError as error:
                if error.code != "attachment.not.ready" or attempt == ATTACHMENT_RETRIES - 1:
                    raise
                await asyncio.sleep(ATTACHMENT_WAIT * (attempt + 1))
        sent = answer.get("message", answer)
        self.ids.remember_files(str((sent.get("body") or {}).get("mid") or ""), attachments)
        return self._message(bot, chat_id, sent, text=method.caption)

    async def _fetch(self, method: SendDocument | SendPhoto, kind: str, file: str) -> tuple[str, bytes]:
        """The name and content of a file named by an id: its MAX address, or another messenger's id."""
        if file.startswith(("https://", "http://")):  # a file sent on MAX: its address there
            name = file_name(file) or ("photo.jpg" if kind == "image" else "file")
            return name, b"".join([chunk async for chunk in self.max_api.download(file)])
        if self.fetch_file is None:
            raise TelegramBadRequest(method, "Bad Request: a file id of another messenger, and no bot for it")
        return await self.fetch_file(file)

    async def _upload(self, kind: str, name: str, content: bytes) -> dict[str, Any]:
        """MAX's attachment payload for the file uploaded."""
        uploaded = await self.max_api.upload(kind, name, content)
        return {"photos": uploaded["photos"]} if "photos" in uploaded else {"token": uploaded["token"]}

    def _message(self, bot: Bot, chat_id: int, sent: dict[str, Any], *, text: str | None) -> Message:
        body = sent.get("body") or {}
        mid = str(body.get("mid") or "")
        message_id = self.ids.to_int(mid) if mid else self.ids.fresh()
        stamp = sent.get("timestamp")
        return Message.model_validate(
            {
                "message_id": message_id,
                "date": int(stamp / 1000) if stamp else int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": text,
            },
            context={"bot": bot},
        )


async def _read(bot: Bot, file: InputFile) -> bytes:
    if isinstance(file, BufferedInputFile):
        return file.data
    return b"".join([chunk async for chunk in file.read(bot)])


def _as_telegram_error(method: TelegramMethod[Any], error: MaxApiError) -> Exception:
    """MAX's error as the aiogram exception with Telegram's meaning."""
    detail = f"{error.code}: {error.message}"
    if error.status == 429 or error.code == "too.many.requests":
        return TelegramRetryAfter(method, f"Too Many Requests: {detail}", retry_after=1)
    if error.status == 403 or error.code in ("chat.denied", "access.denied"):
        return TelegramForbiddenError(method, f"Forbidden: bot was blocked by the user ({detail})")
    if error.status >= 500:
        return TelegramServerError(method, detail)
    if error.status == 404 or error.code == "not.found":
        if isinstance(method, EditMessageText | EditMessageCaption | EditMessageReplyMarkup):
            return TelegramBadRequest(method, f"Bad Request: message to edit not found ({detail})")
        if isinstance(method, DeleteMessage):
            return TelegramBadRequest(method, f"Bad Request: message to delete not found ({detail})")
        if isinstance(method, AnswerCallbackQuery):
            return TelegramBadRequest(method, f"Bad Request: query is too old ({detail})")
        if isinstance(method, SendMessage | SendDocument | SendPhoto):
            return TelegramBadRequest(method, f"Bad Request: chat not found ({detail})")
        return TelegramNotFound(method, detail)
    return TelegramBadRequest(method, f"Bad Request: {detail}")
