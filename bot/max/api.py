"""MAX's Bot API over HTTP: the token in ``Authorization``, JSON in and out, errors as
``{"code": "...", "message": "..."}`` raised as ``MaxApiError``.

Written on aiohttp (already the bot's HTTP client) rather than taken from ``maxapi``/``maxo``: those
bring their own dispatcher, types and FSM, and the bot keeps aiogram's; only these few calls are
needed (``bot.max.session`` uses them), and the local stand-in (``max_stub``) checks them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import PurePosixPath
from typing import Any

import aiohttp

DEFAULT_TIMEOUT = 60.0


class MaxApiError(Exception):
    """MAX answered an error: the HTTP status, MAX's ``code`` and ``message``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class MaxNetworkError(Exception):
    """MAX could not be reached, or its answer was not JSON."""


class MaxApi:
    def __init__(self, token: str, base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers={"Authorization": self._token},
                json_serialize=lambda value: json.dumps(value, ensure_ascii=False),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def call(
        self,
        http_method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        seconds: float | None = None,
    ) -> dict[str, Any]:
        query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (params or {}).items()}
        try:
            async with self._client().request(
                http_method,
                f"{self.base_url}{path}",
                params=query,
                json=body,
                timeout=aiohttp.ClientTimeout(total=seconds or self._timeout),
            ) as response:
                text = await response.text()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise MaxNetworkError(f"{http_method} {path}: {exc!r}") from exc
        try:
            answer = json.loads(text) if text else {}
        except ValueError:
            raise MaxNetworkError(f"{http_method} {path}: {status} {text[:200]!r}") from None
        if status >= 400 or not isinstance(answer, dict):
            error = answer if isinstance(answer, dict) else {}
            raise MaxApiError(status, str(error.get("code", status)), str(error.get("message", text[:200])))
        return answer

    async def download(
        self, url: str, *, seconds: float | None = None, chunk_size: int = 65536
    ) -> AsyncIterator[bytes]:
        """The content at MAX's download address ``url``, in chunks."""
        try:
            async with self._client().get(
                url, timeout=aiohttp.ClientTimeout(total=seconds or self._timeout)
            ) as response:
                if response.status >= 400:
                    raise MaxApiError(response.status, "download.failed", await response.text())
                async for chunk in response.content.iter_chunked(chunk_size):
                    yield chunk
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise MaxNetworkError(f"download: {exc!r}") from exc

    async def upload(self, kind: str, filename: str, content: bytes) -> dict[str, Any]:
        """MAX's two-step upload: ask for an address (``POST /uploads?type=``), send the file
        there; the answer holds the token the attachment is sent with."""
        slot = await self.call("POST", "/uploads", params={"type": kind})
        # The name as it is (UTF-8), as aiogram sends Telegram's files: quoted, MAX would keep
        # «%D0%9F…» as the name a person sees.
        form = aiohttp.FormData(quote_fields=False)
        form.add_field("data", content, filename=filename)
        try:
            async with self._client().post(slot["url"], data=form) as response:
                text = await response.text()
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise MaxNetworkError(f"upload: {exc!r}") from exc
        try:
            answer = json.loads(text) if text else {}
        except ValueError:
            raise MaxNetworkError(f"upload: {status} {text[:200]!r}") from None
        if status >= 400:
            raise MaxApiError(status, str(answer.get("code", status)), str(answer.get("message", "")))
        if "token" not in answer and "photos" not in answer and slot.get("token"):
            answer["token"] = slot["token"]
        return answer


# A file a person sent on MAX is named, where aiogram wants a file id, by MAX's download address;
# a document's name follows after "#" (a fragment: never sent to the server), so that the file
# keeps its name when it is sent on (to Telegram, or again on MAX). Telegram's file ids never hold
# "://": such an id is always another messenger's file, which its bot fetches.
FILE_ID_LENGTH = 300  # what is stored of a file id (a broadcast's media_file_id)


def file_id(url: str, name: str | None = None) -> str:
    """The file id of MAX's file at ``url`` named ``name``: the name is shortened (its extension
    kept) to keep the id within ``FILE_ID_LENGTH``, and left out if even that does not fit."""
    room = FILE_ID_LENGTH - len(url) - 1
    if not name or room < 8:
        return url
    if len(name) > room:
        suffix = PurePosixPath(name).suffix[:7]
        name = name[: room - len(suffix)] + suffix
    return f"{url}#{name}"


def is_file_address(value: str) -> bool:
    return value.startswith(("https://", "http://"))


def file_address(value: str) -> tuple[str, str | None]:
    """The download address of a MAX file id, and the file's name if it has one."""
    url, _, name = value.partition("#")
    return url, name or None
