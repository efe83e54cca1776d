"""Real worker processes (``python -m bot webhook``) for the deployment tests."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import OutboxMessage, Region, User
from telegram_stub import TelegramStub

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "42:WORKER"
FIRST_TELEGRAM_ID = 5_000_000_000  # past 2**32, as real Telegram ids now are


async def wait_until(predicate: Callable[[], bool], within: float = 30, what: str = "") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Worker:
    process: asyncio.subprocess.Process
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def logs(self) -> list[dict[str, Any]]:
        """The worker's JSON log lines (anything else it printed is kept as {"raw": line})."""
        entries = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                entries.append({"raw": line})
        return entries

    def sent_by_outbox(self) -> int:
        return sum(int(e.get("sent", 0)) for e in self.logs() if e.get("msg") == "outbox sent")

    async def health(self) -> tuple[int, dict[str, Any]]:
        async with aiohttp.ClientSession() as http, http.get(f"{self.base}/healthz") as response:
            return response.status, await response.json()

    async def wait_healthy(self, within: float = 60) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            if self.process.returncode is not None:
                raise AssertionError(f"worker exited {self.process.returncode}: {self.log_path.read_text()}")
            try:
                status, body = await self.health()
                if status == 200:
                    return body
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"worker not healthy in {within} s: {self.log_path.read_text()[-2000:]}")

    async def terminate(self, within: float = 40) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), within)

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()


async def start_worker(
    api_url: str, database_url: str, log_path: Path, *, command: str = "webhook", **env: str
) -> Worker:
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "WORKERS", "OUTBOX_RATE")},
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": database_url,
        "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
        "WEB_PORT": str(port),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        **env,
    }
    handle = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, cwd=ROOT, env=environment, stdout=handle, stderr=handle
    )
    handle.close()
    return Worker(process, port, log_path)


async def seed_due_reminders(
    sessionmaker: async_sessionmaker[AsyncSession], stub: TelegramStub, count: int, now: datetime
) -> list[int]:
    """``count`` teachers of the demo region, each with one inactivity reminder due a minute ago,
    and no quiet hours in the region (so the test does not depend on the time of day). Each
    teacher has written to the stand-in, so the bot may write to them. Returns their Telegram ids."""
    ids = [FIRST_TELEGRAM_ID + n for n in range(count)]
    async with sessionmaker() as session:
        region = await session.get(Region, "kostroma")
        assert region is not None
        config = copy.deepcopy(region.config)
        config.setdefault("reminders", {}).update(quiet_from="00:00", quiet_to="00:00")
        region.config = config
        users = [
            User(telegram_id=tid, locale="ru", role="teacher", consent_at=now, region_code="kostroma")
            for tid in ids
        ]
        session.add_all(users)
        await session.flush()
        session.add_all(
            OutboxMessage(
                user_id=user.id,
                kind="inactivity",
                key=f"inactive:{user.id}:test",
                due_at=now - timedelta(minutes=1),
                ref_type="user",
                ref_id=user.id,
                payload={},
            )
            for user in users
        )
        await session.commit()
    for tid in ids:
        stub.message_update(tid, "/start")  # known to the stand-in; the update is not delivered
    return ids
