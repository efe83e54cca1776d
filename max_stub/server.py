"""``MaxStub`` over HTTP, on the loopback interface, for the bot's own client (``MAX_API_URL``).

Routes as MAX's: ``GET /me``, ``GET /updates``, ``POST|PUT|DELETE /messages``, ``POST /answers``,
``POST /uploads`` (and ``POST /upload/<slot>``, where the upload's address points). Every request
must carry ``Authorization`` (any token)."""

from __future__ import annotations

import json
from functools import partial
from types import TracebackType
from typing import Any

from aiohttp import web

from max_stub.stub import MaxStub

_STUB = web.AppKey("max_stub", MaxStub)
_dumps = partial(json.dumps, ensure_ascii=False)


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


async def _api(request: web.Request) -> web.Response:
    if not request.headers.get("Authorization"):
        return _json(401, {"code": "verify.token", "message": "Invalid access_token"})
    body: dict[str, Any] = {}
    if request.can_read_body:
        try:
            parsed = await request.json()
        except ValueError:
            return _json(400, {"code": "proto.payload", "message": "body is not JSON"})
        body = parsed if isinstance(parsed, dict) else {}
    status, answer = await request.app[_STUB].handle(request.method, request.path, dict(request.query), body)
    if status == 200 and request.path == "/uploads":
        answer = {**answer, "url": f"{request.scheme}://{request.host}{answer['url']}"}
    return _json(status, answer)


async def _upload(request: web.Request) -> web.Response:
    form = await request.post()
    field = form.get("data")
    if not isinstance(field, web.FileField):
        return _json(400, {"code": "proto.payload", "message": "no file"})
    status, answer = request.app[_STUB].receive_upload(
        request.match_info["slot"], field.filename, field.file.read()
    )
    return _json(status, answer)


async def _file(request: web.Request) -> web.Response:
    content = request.app[_STUB].user_files.get(request.match_info["token"])
    if content is None:
        return _json(404, {"code": "not.found", "message": "File not found"})
    return web.Response(body=content, content_type="application/octet-stream")


def create_app(stub: MaxStub) -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app[_STUB] = stub
    app.router.add_post("/upload/{slot}", _upload)
    app.router.add_get("/files/{token}", _file)
    for method in ("GET", "POST", "PUT", "DELETE"):
        app.router.add_route(method, "/{path:(me|updates|messages|answers|uploads|subscriptions)}", _api)
    return app


class MaxStubServer:
    def __init__(self, stub: MaxStub, port: int = 0) -> None:
        self.stub = stub
        self.port = port
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> MaxStubServer:
        runner = web.AppRunner(create_app(self.stub), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stub.base_url = self.url
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
