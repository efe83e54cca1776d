"""MAX's Bot API in memory: what it stores, what it checks, what it answers.

Checked as MAX checks them: text ≤ 4,000 characters, ``format: "html"`` with MAX's tag set only
(b/strong, i/em, u/ins, s/del, a, code, pre), an ``inline_keyboard`` attachment of ≤ 30 rows,
≤ 7 buttons a row, ≤ 210 buttons, button text ≤ 128 characters, callback payload ≤ 1,024, a file
attachment only with a token from ``/uploads``. A refused request answers HTTP 400 with
``{"code": "proto.payload", "message": …}`` and is recorded in ``violations``: the bot must never
send what MAX refuses."""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 4000
MAX_ROWS = 30
MAX_ROW_BUTTONS = 7
MAX_BUTTONS = 210
MAX_BUTTON_TEXT = 128
MAX_PAYLOAD = 1024
HTML_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "del", "a", "code", "pre"})
BUTTON_TYPES = frozenset({"callback", "link", "message", "request_contact", "request_geo_location"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")

Answer = tuple[int, dict[str, Any]]


def error(status: int, code: str, message: str) -> Answer:
    return status, {"code": code, "message": message}


@dataclass
class MaxMessage:
    """One state of a message the bot sent (an edit adds a new state)."""

    user_id: int
    mid: str
    text: str
    format: str | None
    attachments: list[dict[str, Any]]
    edited: bool = False
    timestamp: int = 0
    # The bot's int for this message (``bot.max.ids``), filled in by the test harness, so that a
    # test reads it as it reads the Telegram stand-in's ``message_id``.
    message_id: int = 0
    document: tuple[str, bytes] | None = None  # (file name, content) of a file or image sent

    @property
    def chat_id(self) -> int:
        return self.user_id

    @property
    def parse_mode(self) -> str | None:
        return "HTML" if self.format == "html" else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The buttons, shaped as Telegram's (``callback_data`` for a callback's payload)."""
        shaped = []
        for row in self.keyboard:
            for button in row:
                entry = {"text": button["text"]}
                if button["type"] == "callback":
                    entry["callback_data"] = button["payload"]
                elif button["type"] == "link":
                    entry["url"] = button["url"]
                shaped.append(entry)
        return shaped

    @property
    def plain_text(self) -> str:
        text = _TAG.sub("", self.text) if self.format == "html" else self.text
        return html.unescape(text).strip()

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        for attachment in self.attachments:
            if attachment.get("type") == "inline_keyboard":
                return list(attachment["payload"]["buttons"])
        return []

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.keyboard for b in row]

    @property
    def kind(self) -> str:
        """ "photo", "document" or "text", as the Telegram stand-in names what was sent."""
        kinds = {a.get("type") for a in self.attachments}
        return "photo" if "image" in kinds else "document" if "file" in kinds else "text"

    @property
    def files(self) -> list[dict[str, Any]]:
        return [a for a in self.attachments if a.get("type") in ("file", "image")]


@dataclass
class MaxStub:
    bot_id: int = 7_000_001
    bot_name: str = "ЕФС бот"
    outbox: list[MaxMessage] = field(default_factory=list)  # every state, in order
    messages: dict[str, MaxMessage] = field(default_factory=dict)  # the current state by mid
    answers: list[dict[str, Any]] = field(default_factory=list)  # POST /answers bodies
    violations: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # token → (name, content)
    subscriptions: list[dict[str, Any]] = field(default_factory=list)  # POST /subscriptions bodies
    not_ready: int = 0
    # MAX's per-chat limit when set (messages in any second): beyond it 429 too.many.requests.
    per_chat_limit: int | None = None
    base_url: str = "http://127.0.0.1"  # where files people send are served (the server sets it)
    user_files: dict[str, bytes] = field(
        default_factory=dict
    )  # token → content  # how many sends of a fresh upload answer attachment.not.ready first

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._marker = 0
        self._arrived = asyncio.Event()
        self._seq = itertools.count(1)
        self._callbacks: dict[str, int] = {}  # callback id → the user who pressed
        self._pending_uploads: dict[str, str] = {}  # upload slot → kind
        self._fresh: dict[str, int] = {}
        self._sent_at: dict[int, list[float]] = {}
        self.refused_for_rate = 0
        self._failures: list[list[Any]] = []  # [status, code, message, times left] (fail_next)

    # --- what a person does ------------------------------------------------------------------

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update.setdefault("timestamp", int(time.time() * 1000))
        self._updates.append(update)
        self._arrived.set()
        return update

    @staticmethod
    def _user(user_id: int, first_name: str = "Мария") -> dict[str, Any]:
        return {"user_id": user_id, "first_name": first_name, "is_bot": False, "name": first_name}

    def message(
        self,
        user_id: int,
        text: str | None,
        *,
        first_name: str = "Мария",
        file: tuple[str, bytes] | None = None,
        image: bool = False,
    ) -> dict[str, Any]:
        """The person writes ``text`` (None: something without text, e.g. a sticker), or sends
        ``file`` (name, content) with ``text`` as its caption; the bot downloads it from the
        stand-in's ``/files/`` (``base_url``, set by the server)."""
        seq = next(self._seq)
        body: dict[str, Any] = {"mid": f"mid.user.{seq:016x}", "seq": seq, "text": text}
        if file is not None:
            token = secrets.token_hex(10)
            self.user_files[token] = file[1]
            body["attachments"] = [
                {
                    "type": "image" if image else "file",
                    "payload": {"url": f"{self.base_url}/files/{token}", "token": token},
                    "filename": file[0],
                    "size": len(file[1]),
                }
            ]
        elif text is None:
            body["attachments"] = [{"type": "sticker", "payload": {"code": "x"}}]
        return self._push(
            {
                "update_type": "message_created",
                "message": {
                    "sender": self._user(user_id, first_name),
                    "recipient": {"chat_id": -user_id, "chat_type": "dialog", "user_id": self.bot_id},
                    "body": body,
                },
                "user_locale": "ru",
            }
        )

    def press(self, user_id: int, mid: str, payload: str) -> dict[str, Any]:
        """The person presses a callback button with ``payload`` on the message ``mid``."""
        callback_id = f"cb.{secrets.token_hex(6)}"
        self._callbacks[callback_id] = user_id
        on = self.messages.get(mid)
        message = (
            {
                "sender": {"user_id": self.bot_id, "first_name": self.bot_name, "is_bot": True},
                "recipient": {"chat_id": -user_id, "chat_type": "dialog", "user_id": user_id},
                "body": {"mid": mid, "seq": 0, **_body_text(on), "attachments": on.attachments},
            }
            if on is not None
            else None
        )
        update: dict[str, Any] = {
            "update_type": "message_callback",
            "callback": {"callback_id": callback_id, "payload": payload, "user": self._user(user_id)},
            "user_locale": "ru",
        }
        if message is not None:
            update["message"] = message
        return self._push(update)

    def start(self, user_id: int, payload: str | None = None) -> dict[str, Any]:
        """The person opens the bot (with a deep link's ``payload``)."""
        return self._push(
            {
                "update_type": "bot_started",
                "chat_id": -user_id,
                "user": self._user(user_id),
                "payload": payload,
                "user_locale": "ru",
            }
        )

    def take_updates(self) -> list[dict[str, Any]]:
        """The updates not yet fetched (for feeding a dispatcher directly)."""
        updates, self._updates = self._updates[self._marker :], self._updates
        self._marker = len(self._updates)
        return updates

    def fail_next(self, status: int, code: str, message: str, *, times: int = 1) -> None:
        """Refuse the next ``times`` messages the bot sends (``POST /messages``, to anyone) with
        this error, in MAX's format."""
        self._failures.append([status, code, message, times])

    # --- reading what the bot did ------------------------------------------------------------

    def sent_to(self, user_id: int) -> list[MaxMessage]:
        return [m for m in self.outbox if m.user_id == user_id]

    def last_message(self, user_id: int) -> MaxMessage | None:
        current = [m for m in self.messages.values() if m.user_id == user_id]
        return current[-1] if current else None

    # --- the API -----------------------------------------------------------------------------

    async def handle(
        self, http_method: str, path: str, params: dict[str, str], body: dict[str, Any]
    ) -> Answer:
        self.requests.append((http_method, path))
        route = (http_method, path.rstrip("/"))
        if route == ("GET", "/me"):
            return 200, {"user_id": self.bot_id, "first_name": self.bot_name, "username": "efs_bot",
                         "is_bot": True}  # fmt: skip
        if route == ("GET", "/updates"):
            return await self._get_updates(params)
        if route == ("POST", "/messages"):
            return self._send(params, body)
        if route == ("PUT", "/messages"):
            return self._edit(params, body)
        if route == ("DELETE", "/messages"):
            mid = params.get("message_id", "")
            if self.messages.pop(mid, None) is None:
                return error(404, "not.found", f"Message {mid} not found")
            return 200, {"success": True}
        if route == ("POST", "/subscriptions"):
            url, secret = body.get("url"), body.get("secret")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                return self._refuse(f"subscription url {url!r}")
            if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{5,256}", str(secret)):
                return self._refuse("subscription secret must be 5-256 of A-Z, a-z, 0-9, _ and -")
            self.subscriptions.append(body)
            return 200, {"success": True}
        if route == ("POST", "/answers"):
            return self._answer(params, body)
        if route == ("POST", "/uploads"):
            kind = params.get("type", "")
            if kind not in ("image", "video", "audio", "file"):
                return self._refuse(f"unknown upload type {kind!r}", code="proto.payload")
            slot = secrets.token_hex(8)
            self._pending_uploads[slot] = kind
            return 200, {"url": f"/upload/{slot}"}
        return error(404, "not.found", f"Path {path} not found")

    def receive_upload(self, slot: str, filename: str, content: bytes) -> Answer:
        kind = self._pending_uploads.pop(slot, None)
        if kind is None:
            return error(404, "not.found", "Upload not found")
        if not content:
            return self._refuse("empty file")
        token = secrets.token_hex(12)
        self.uploads[token] = (filename, content)
        self._fresh[token] = self.not_ready
        if kind == "image":
            return 200, {"photos": {"p1": {"token": token}}}
        return 200, {"token": token}

    async def _get_updates(self, params: dict[str, str]) -> Answer:
        marker = int(params.get("marker") or self._marker)
        timeout = min(int(params.get("timeout", 30)), 90)
        limit = int(params.get("limit", 100))
        if marker >= len(self._updates) and timeout > 0:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        types = set(filter(None, params.get("types", "").split(",")))
        batch = self._updates[marker : marker + limit]
        new_marker = marker + len(batch)
        self._marker = max(self._marker, new_marker)
        return 200, {
            "updates": [u for u in batch if not types or u["update_type"] in types],
            "marker": new_marker,
        }

    def _refuse(self, why: str, *, code: str = "proto.payload") -> Answer:
        self.violations.append(why)
        return error(400, code, why)

    def _check_body(self, body: dict[str, Any], *, editing: bool = False) -> str | None:
        text = body.get("text")
        attachments = body.get("attachments")
        if text is None and not attachments and not editing:
            return "text or attachments required"
        if text is not None:
            if not isinstance(text, str):
                return "text must be a string"
            fmt = body.get("format")
            if fmt not in (None, "html", "markdown"):
                return f"unknown format {fmt!r}"
            shown = html.unescape(_TAG.sub("", text)) if fmt == "html" else text
            if len(shown) > MAX_TEXT:
                return f"text of {len(shown)} characters (MAX allows {MAX_TEXT})"
            if fmt == "html":
                problem = _check_html(text)
                if problem:
                    return problem
        for attachment in attachments or []:
            problem = self._check_attachment(attachment)
            if problem:
                return problem
        keyboards = [a for a in attachments or [] if a.get("type") == "inline_keyboard"]
        if len(keyboards) > 1:
            return "more than one inline keyboard"
        return None

    def _check_attachment(self, attachment: dict[str, Any]) -> str | None:
        kind = attachment.get("type")
        if kind == "inline_keyboard":
            return _check_keyboard(attachment.get("payload", {}).get("buttons"))
        if kind in ("file", "image"):
            payload = attachment.get("payload") or {}
            tokens = [payload.get("token")] + [p.get("token") for p in (payload.get("photos") or {}).values()]
            if not any(t in self.uploads for t in tokens if t):
                return "attachment token unknown"
            return None
        return f"attachment type {kind!r} not supported by the stand-in"

    def _file_of(self, body: dict[str, Any]) -> tuple[str, bytes] | None:
        for attachment in body.get("attachments") or []:
            payload = attachment.get("payload") or {}
            tokens = [payload.get("token")] + [p.get("token") for p in (payload.get("photos") or {}).values()]
            for token in tokens:
                if token in self.uploads:
                    return self.uploads[token]
        return None

    def _not_ready(self, body: dict[str, Any]) -> bool:
        for attachment in body.get("attachments") or []:
            payload = attachment.get("payload") or {}
            tokens = [payload.get("token")] + [p.get("token") for p in (payload.get("photos") or {}).values()]
            for token in tokens:
                if token and self._fresh.get(token, 0) > 0:
                    self._fresh[token] -= 1
                    return True
        return False

    def _send(self, params: dict[str, str], body: dict[str, Any]) -> Answer:
        if "user_id" not in params:
            return self._refuse("user_id or chat_id required")
        user_id = int(params["user_id"])
        problem = self._check_body(body)
        if problem:
            return self._refuse(problem)
        if self._failures:
            failure = self._failures[0]
            failure[3] -= 1
            if failure[3] <= 0:
                self._failures.pop(0)
            return error(failure[0], failure[1], failure[2])
        if user_id in self.blocked:
            return error(403, "chat.denied", "Bot is blocked by the user")
        if self.per_chat_limit is not None:
            now = time.monotonic()
            recent = [t for t in self._sent_at.get(user_id, []) if t > now - 1.0]
            if len(recent) >= self.per_chat_limit:
                self.refused_for_rate += 1
                return error(429, "too.many.requests", "Too many requests to this chat")
            self._sent_at[user_id] = [*recent, now]
        if self._not_ready(body):
            return error(400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed")
        seq = next(self._seq)
        mid = f"mid.bot.{seq:016x}"
        message = MaxMessage(
            user_id, mid, body.get("text") or "", body.get("format"), list(body.get("attachments") or []),
            timestamp=int(time.time() * 1000), document=self._file_of(body),
        )  # fmt: skip
        self.messages[mid] = message
        self.outbox.append(message)
        return 200, {"message": self._as_json(message)}

    def _edit(self, params: dict[str, str], body: dict[str, Any]) -> Answer:
        mid = params.get("message_id", "")
        current = self.messages.get(mid)
        if current is None:
            return error(404, "not.found", f"Message {mid} not found")
        problem = self._check_body(body, editing=True)
        if problem:
            return self._refuse(problem)
        attachments = body.get("attachments")
        edited = MaxMessage(
            current.user_id,
            mid,
            body["text"] if body.get("text") is not None else current.text,
            body.get("format", current.format) if body.get("text") is not None else current.format,
            current.attachments if attachments is None else list(attachments),
            edited=True,
            timestamp=current.timestamp,
            message_id=current.message_id,
            document=current.document,
        )
        self.messages[mid] = edited
        self.outbox.append(edited)
        return 200, {"success": True}

    def _answer(self, params: dict[str, str], body: dict[str, Any]) -> Answer:
        callback_id = params.get("callback_id", "")
        if callback_id not in self._callbacks:
            return error(404, "not.found", "Callback not found")
        if not body.get("message") and not body.get("notification"):
            return self._refuse("message or notification required")
        self.answers.append(body)
        return 200, {"success": True}

    @staticmethod
    def _as_json(message: MaxMessage) -> dict[str, Any]:
        return {
            "recipient": {"chat_id": -message.user_id, "chat_type": "dialog", "user_id": message.user_id},
            "timestamp": message.timestamp,
            "body": {"mid": message.mid, "seq": 0, **_body_text(message), "attachments": message.attachments},
        }


# How MAX gives a message's text back: as the person reads it, its formatting apart (``markup``:
# type, ``from`` and ``length`` in UTF-16 code units, a link's ``url``), never the HTML it was sent in.
_MARKUP = {"b": "strong", "strong": "strong", "i": "emphasized", "em": "emphasized", "u": "underline",
           "ins": "underline", "s": "strikethrough", "del": "strikethrough", "code": "monospaced",
           "pre": "monospaced", "a": "link"}  # fmt: skip
_HREF = re.compile(r'href="([^"]*)"')


def _body_text(message: MaxMessage) -> dict[str, Any]:
    if message.format != "html":
        return {"text": message.text}
    plain, markup, opened, at = "", [], [], 0

    def units(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    for match in _TAG.finditer(message.text):
        plain += html.unescape(message.text[at : match.start()])
        at = match.end()
        name = match.group(2).lower()
        if match.group(1) != "/":
            href = _HREF.search(match.group(3) or "")
            opened.append((name, units(plain), html.unescape(href.group(1)) if href else None))
        elif opened:
            kind, start, url = opened.pop()
            if units(plain) > start and kind in _MARKUP:
                element = {"type": _MARKUP[kind], "from": start, "length": units(plain) - start}
                markup.append(element | ({"url": url} if kind == "a" and url else {}))
    plain += html.unescape(message.text[at:])
    return {"text": plain, "markup": sorted(markup, key=lambda m: m["from"])} if markup else {"text": plain}


def _check_html(text: str) -> str | None:
    opened: list[str] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in HTML_TAGS:
            return f"tag <{name}> is not supported"
        if closing:
            if not opened or opened.pop() != name:
                return f"unbalanced </{name}>"
        else:
            if name == "a" and not re.search(r'href="https?://', match.group(3) or ""):
                return f"a link MAX cannot open: {match.group(0)}"
            opened.append(name)
    if opened:
        return f"unclosed <{opened[-1]}>"
    return None


def _check_keyboard(rows: Any) -> str | None:
    if not isinstance(rows, list) or not rows:
        return "inline keyboard without buttons"
    if len(rows) > MAX_ROWS:
        return f"{len(rows)} keyboard rows (MAX allows {MAX_ROWS})"
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        return f"more than {MAX_BUTTONS} buttons"
    for row in rows:
        if not isinstance(row, list) or not row or len(row) > MAX_ROW_BUTTONS:
            return f"a keyboard row of {len(row) if isinstance(row, list) else '?'} buttons"
        for button in row:
            text = button.get("text")
            if button.get("type") not in BUTTON_TYPES:
                return f"button type {button.get('type')!r}"
            if not isinstance(text, str) or not text or len(text) > MAX_BUTTON_TEXT:
                return f"button text {text!r}"
            if button["type"] == "callback":
                payload = button.get("payload")
                if not isinstance(payload, str) or not payload or len(payload) > MAX_PAYLOAD:
                    return f"callback payload {payload!r}"
            if button["type"] == "link" and not str(button.get("url", "")).startswith(
                ("http://", "https://")
            ):
                return f"link button without an http(s) url: {button.get('url')!r}"
    return None
