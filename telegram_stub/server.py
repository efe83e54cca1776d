"""The Telegram stand-in over HTTP, for a `Bot` with a stock `AiohttpSession`.

    async with StubServer(stub) as server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
        bot = Bot(token="42:TEST", session=session)

Routes mirror api.telegram.org: ``/bot<token>/<method>`` (GET or POST; query string, urlencoded,
multipart or JSON parameters) and ``/file/bot<token>/<file_path>`` for files. Any token is accepted.
The server listens on the loopback interface only.

Real Telegram is tens to hundreds of milliseconds away; ``StubServer(stub, latency=0.05)`` makes every
request take that round trip: half of it before the stub sees the request, half before the answer
leaves, as a network in between would (a bot that is fast against an instant server can be slow in
production, and benches use this to show it).

Telegram also refuses a bot that sends too fast: ``StubServer(stub, limit=30)`` answers 429 with
``retry_after`` to a message (sendMessage, sendPhoto, sendDocument…) beyond 30 in any sliding second,
as it reaches the server; ``server.flood.refused`` counts them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from types import TracebackType
from typing import Any

from aiohttp import web

from telegram_stub.stub import MAX_UPLOAD_BYTES, TelegramStub

__all__ = ["FloodLimit", "StubServer", "create_app"]

_STUB_KEY = web.AppKey("telegram_stub", TelegramStub)
_dumps = partial(json.dumps, ensure_ascii=False)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """Parameters and uploaded files of a Bot API request, wherever they were put."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, tuple[str, bytes]] = {}
    if request.method != "POST" or not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update(body)
        return params, files
    form = await request.post()  # urlencoded and multipart alike
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = (value.filename, value.file.read())
        else:
            params[key] = value
    return params, files


async def _api(request: web.Request) -> web.Response:
    stub = request.app[_STUB_KEY]
    try:
        params, files = await _read_params(request)
    except web.HTTPRequestEntityTooLarge:
        return web.json_response(
            {"ok": False, "error_code": 413, "description": "Request Entity Too Large"},
            status=413,
            dumps=_dumps,
        )
    status, body = await stub.handle(request.match_info["method"], params, files)
    return web.json_response(body, status=status, dumps=_dumps)


async def _file(request: web.Request) -> web.Response:
    content = request.app[_STUB_KEY].file_content(request.match_info["path"])
    if content is None:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
    return web.Response(body=content, content_type="application/octet-stream")


def _round_trip(seconds: float) -> Callable[..., Awaitable[web.StreamResponse]]:
    """A middleware delaying each request by half of `seconds` on the way in and half on the way out."""
    half = seconds / 2

    @web.middleware
    async def delay(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        await asyncio.sleep(half)  # the request on its way to Telegram
        try:
            response = await handler(request)
        except ConnectionResetError:
            # The bot gave up on the request while it was on its way (a long poll cancelled as the
            # bot stops): nobody is left to read an answer.
            return web.Response(status=499, reason="Client Closed Request")
        await asyncio.sleep(half)  # the answer on its way back
        return response

    return delay


class FloodLimit:
    """Telegram's overall limit: at most ``limit`` messages in any sliding second; the rest are
    refused with 429 and ``retry_after``."""

    SENDS = frozenset(
        m.lower()
        for m in (
            "sendMessage",
            "sendPhoto",
            "sendDocument",
            "sendVideo",
            "sendAudio",
            "sendVoice",
            "sendAnimation",
            "copyMessage",
            "forwardMessage",
        )
    )

    def __init__(self, limit: int, retry_after: int = 1) -> None:
        if limit < 1:
            raise ValueError("the limit must be at least one message a second")
        self.limit = limit
        self.retry_after = retry_after
        self.refused = 0
        self._window: deque[float] = deque()

    def admit(self, now: float) -> bool:
        while self._window and self._window[0] <= now - 1:
            self._window.popleft()
        if len(self._window) >= self.limit:
            self.refused += 1
            return False
        self._window.append(now)
        return True

    def middleware(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        @web.middleware
        async def flood(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            method = request.match_info.get("method", "").lower()
            if method in self.SENDS and not self.admit(time.monotonic()):
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {self.retry_after}",
                    "parameters": {"retry_after": self.retry_after},
                }
                return web.json_response(body, status=429)
            return await handler(request)

        return flood


def create_app(
    stub: TelegramStub, *, latency: float = 0.0, flood: FloodLimit | None = None
) -> web.Application:
    """An aiohttp application answering Bot API requests from `stub`, each after a round trip of
    `latency` seconds (none by default), refusing messages beyond `flood`'s limit (none by default)."""
    if latency < 0:
        raise ValueError("latency must not be negative")
    middlewares = [_round_trip(latency)] if latency else []
    if flood is not None:  # inside the round trip: counted as the requests reach the server
        middlewares.append(flood.middleware())
    # Room for Telegram's 50 MB upload limit, so the stub itself can refuse bigger files.
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024, middlewares=middlewares)
    app[_STUB_KEY] = stub
    app.router.add_route("GET", "/bot{token}/{method}", _api)
    app.router.add_route("POST", "/bot{token}/{method}", _api)
    app.router.add_route("GET", "/file/bot{token}/{path:.+}", _file)
    return app


class StubServer:
    """Runs `create_app(stub)` on 127.0.0.1 for the duration of an ``async with`` block.

    `url` (e.g. "http://127.0.0.1:54321") is for `TelegramAPIServer.from_base`. `latency` is the
    round trip in seconds every request takes; `limit`, the messages a second beyond which it
    answers 429 (see the module's docstring).
    """

    def __init__(
        self,
        stub: TelegramStub,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        limit: int | None = None,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the Telegram stub serves the loopback interface only")
        if latency < 0:
            raise ValueError("latency must not be negative")
        self.stub = stub
        self.latency = latency
        self.flood = FloodLimit(limit) if limit is not None else None
        self.host = host
        self.port = port
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        # A long poll still waiting when the server stops is cut short rather than awaited.
        runner = web.AppRunner(
            create_app(self.stub, latency=self.latency, flood=self.flood),
            access_log=None,
            shutdown_timeout=0.5,
        )
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.url = f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> StubServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
