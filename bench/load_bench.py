"""Many people at once: the bot as it really runs, over HTTP, with Telegram's round trip.

N simulated people (default 50) use the bot at the same moment, as when a methodical meeting ends and
a school's teachers open the bot together. The bot is the real process, ``python -m bot run`` (long
polling, the tick and the senders beside it), pointed by TELEGRAM_API_URL at
`telegram_stub.StubServer` in this process; every request the bot makes takes a round trip of
--latency ms (default 50: half before the stand-in sees it, half on the way back). The database is a
fresh SQLite file, or a fresh database on a PostgreSQL server, with the shipped regions and the demo
catalogue.

Each person waits for the answer to an action before the next one (plus --think ms, default none) and
mixes, until they have sent --actions updates (or --duration has passed):

- onboarding: /start, consent and the profile wizard (the script of bench/dispatch_bench.py);
- «Самодиагностика»: start or resume, statements answered with the buttons the bot sent, sometimes
  «Назад»; about a third finish (result and chart), the others stop part-way, half with «Пауза»;
- «Мой ИОМ»: the draft from the last diagnosis, items opened, pages, now and then the DOCX;
- the other menus («Профиль», «Стажировки», «Наставничество», «Мероприятия», «Помощь») and a button
  of what they show; /start again;
- what people also do (--chaos, the share of actions preceded by one of these): old buttons pressed
  again, forged buttons (numbers changed to 0, -1, 2^31, 2^63, 2^64, fields truncated, enums out of
  their set, random data up to 64 bytes), junk text (long, HTML-like, unknown commands), stickers,
  photos and documents. Not during onboarding: the wizard forgets the subjects already ticked when it
  asks again after a sticker, and the person's script would be stranded there.
A person whose action failed (the generic error, or no answer) tries it again, up to twice, as the
error message asks.

An update is over when the bot's log says aiogram's "Update id=… is handled" (at INFO, as each update
ends). Latency as a person sees it: from the moment the update is made available to getUpdates until
the stand-in has received the bot's last reply to it (a message, an edit, a photo or document, the
button's answer). CPU per update: utime + stime of the bot process and its children (/proc) over the
measured run, divided by the updates.

A failed update is one that got the generic error reply («Что-то пошло не так…»), has an ERROR record
in the bot's log, broke a Telegram limit or had a call refused by the stand-in (other than the
harmless "message is not modified", "query is too old", "message to edit not found", which are
listed apart), had its button answered twice or never, got no reply at all, or did not end within
--timeout seconds. Each kind is counted and the bot's tracebacks are shown by exception.

Prints updates/s, p50/p95/p99/max latency, CPU per update and the failures, per database, then the
goals of issue 11 and whether each is met: 0 failed updates at 50 people; p99 ≤ 1 s at 50 people on
SQLite. It asserts nothing (exit status 0 whatever it measured).

Run: python bench/load_bench.py [--people 50] [--actions 80] [--duration 90] [--latency 50] [--think 0]
                                [--chaos 0.1] [--seed 2026] [--log FILE]
                                [--database-url sqlite] [--database-url postgresql+asyncpg://…]
The default run takes one to two minutes per database (4,000 updates, a bot start, one warm-up person).
Both engines, with a throw-away PostgreSQL:
     scripts/services.sh sh -c '.venv/bin/python bench/load_bench.py --database-url sqlite \\
         --database-url "$TEST_POSTGRES_URL"'
With a PostgreSQL URL the bench creates a database bench_<random> on that server and drops it after.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
for _path in (str(ROOT), str(BENCH)):  # the project, and dispatch_bench next to this file
    if _path not in sys.path:
        sys.path.insert(0, _path)

from dispatch_bench import (  # noqa: E402
    ANSWER,
    DIAG,
    FINISH,
    FIRST_NAMES,
    LEVELS,
    MENU,
    ONBOARDING,
    Conversation,
    DriverError,
    bench_settings,
    browse_menu,
    cb,
    fresh_database,
    onboard,
    percentile,
    weighted,
)
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.factory import open_database  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.callbacks import DiagCb, RouteCb  # noqa: E402
from locales import Translations  # noqa: E402
from storage.models import Diagnosis, Route, User  # noqa: E402
from telegram_stub import (  # noqa: E402
    EDIT_NOT_FOUND,
    NOT_MODIFIED,
    QUERY_INVALID,
    SentMessage,
    StubServer,
    TelegramStub,
)

FIRST_USER_ID = 71_000_000
WARMUP_USER_ID = FIRST_USER_ID - 1

# Kinds of update, in the order they are reported (the first five are dispatch_bench's).
ROUTE = "route: «Мой ИОМ», draft, items"
RESTART = "/start again"
STALE = "stale button (an old one pressed again)"
FORGED = "forged button (mutated callback data)"
JUNK = "junk text"
MEDIA = "media (sticker, photo, document)"
KINDS = (ONBOARDING, MENU, DIAG, ANSWER, FINISH, ROUTE, RESTART, STALE, FORGED, JUNK, MEDIA)
CHAOS = ((STALE, 30), (FORGED, 30), (JUNK, 25), (MEDIA, 15))

# Calls that are not a reply to anybody's update.
NOT_REPLIES = frozenset(
    {
        "getupdates",
        "getme",
        "deletewebhook",
        "setwebhook",
        "getwebhookinfo",
        "setmycommands",
        "close",
        "logout",
    }
)
# Telegram's answers a bot meets in normal work; the bot must cope with them, they are not failures.
HARMLESS = (NOT_MODIFIED, QUERY_INVALID, EDIT_NOT_FOUND)
# Numbers a forger puts in callback data: the edges of 32- and 64-bit integers, and beyond.
FORGED_NUMBERS = (
    "0",
    "-1",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
)
# Buttons a person exploring the menus does not press: they change the language, forget everything,
# or open the admin's tools; the script would lose its way.
UNEXPLORED = ("pf:", "c:", "fg:", "adm:")

_LOG_HEADER = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ([A-Z]+) ([\w.]+): (.*)$")
_HANDLED = re.compile(r"Update id=(\d+) is (handled|not handled)\. Duration (\d+) ms")
_UPDATE_ID = re.compile(r"update_id=(\d+)|[Uu]pdate (?:id=)?(\d+)")
_EXCEPTION_LINE = re.compile(r"(?:[A-Za-z_]\w*\.)*[A-Z]\w*(?:: |$)")  # "pkg.module.SomeError: …"
_CONTEXT = re.compile(r" \| (\w+=\S*\s?)+$")  # bot.logs.ContextFormatter's key=value pairs


class Enough(Exception):
    """The person has sent all their updates, or the run's time is over."""


# --- the stand-in, recording who got what and when -----------------------------------------------


@dataclass
class Sent:
    """One update a person sent, and what became of it."""

    update_id: int
    user_id: int
    kind: str
    query_id: str | None
    pushed: float = 0.0
    ended: float | None = None  # when the bot's log said it was handled
    duration_ms: int | None = None  # aiogram's own "Duration"
    replies: list[float] = field(default_factory=list)  # when the stand-in received each reply
    answers: int = 0  # answerCallbackQuery calls, whatever the stand-in said
    alerts: list[str] = field(default_factory=list)  # texts of the button's answers
    error_reply: bool = False
    stale_answer: bool = False
    messages: list[SentMessage] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    harmless: list[str] = field(default_factory=list)
    log_errors: list[LogRecord] = field(default_factory=list)
    timed_out: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def latency(self) -> float | None:
        return self.replies[-1] - self.pushed if self.replies else None

    def failures(self) -> list[str]:
        """The kinds of failure of this update (empty: it went well)."""
        kinds = []
        if self.error_reply:
            kinds.append("error reply")
        if self.log_errors:
            kinds.append("ERROR in the bot's log")
        if self.violations:
            kinds.append("limit violation")
        if self.refused:
            kinds.append("refused call")
        if self.query_id is not None and self.answers > 1:
            kinds.append("button answered twice")
        if self.timed_out:
            kinds.append("timeout")
        elif self.query_id is not None and self.answers == 0:
            kinds.append("button never answered")
        elif self.query_id is None and not self.replies:
            kinds.append("message without a reply")
        return kinds


class Stand(TelegramStub):
    """The stub, handing each reply to the update it answers (the sender's one update in flight)."""

    def __init__(self, error_texts: tuple[str, ...], stale_text: str) -> None:
        super().__init__()
        self.error_texts = error_texts
        self.stale_text = stale_text
        self.in_flight: dict[int, Sent] = {}  # user id → their update being handled
        self.queries: dict[str, Sent] = {}
        self.unattributed: Counter[str] = Counter()  # calls for nobody's update (the tick, late replies)

    async def handle(
        self, method: str, params: Mapping[str, Any], files: Mapping[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        name = method.lower()
        if name in NOT_REPLIES:
            return await super().handle(method, params, files)
        # The other methods are answered without awaiting anything: these counts are this call's.
        violations, errors, outbox = len(self.violations), len(self.errors), len(self.outbox)
        status, body = await super().handle(method, params, files)
        received = time.perf_counter()
        sent = self._update_of(name, params)
        if sent is None:
            self.unattributed[method] += 1
            return status, body
        sent.violations += self.violations[violations:]
        for refused_method, _, description in self.errors[errors:]:
            what = f"{refused_method}: {description}"
            (sent.harmless if description.startswith(HARMLESS) else sent.refused).append(what)
        sent.messages += self.outbox[outbox:]
        sent.answers += name == "answercallbackquery"
        if status == 200 and name != "sendchataction":
            sent.replies.append(received)
        text = str(params.get("text") or "")
        sent.error_reply |= any(error in text for error in self.error_texts)
        if name == "answercallbackquery" and text:
            sent.alerts.append(text)
            sent.stale_answer |= text == self.stale_text
        return status, body

    def _update_of(self, name: str, params: Mapping[str, Any]) -> Sent | None:
        if name == "answercallbackquery":
            return self.queries.get(str(params.get("callback_query_id") or ""))
        try:
            return self.in_flight.get(int(str(params.get("chat_id"))))
        except ValueError:
            return None


# --- the bot's log -------------------------------------------------------------------------------


@dataclass
class LogRecord:
    level: str
    logger: str
    message: str
    lines: list[str] = field(default_factory=list)  # the traceback, if any
    update_id: int | None = None

    @property
    def summary(self) -> str:
        """The last exception of the traceback, or the message: what the record is about."""
        raised = [line for line in self.lines if _EXCEPTION_LINE.match(line)]
        text = raised[-1] if raised else self.message
        return _CONTEXT.sub("", text)[:200]


class BotLog:
    """Reads the bot's output as it comes: ends updates, keeps ERROR and WARNING records."""

    def __init__(self, updates: dict[int, Sent], copy: TextIO | None) -> None:
        self.updates = updates
        self.copy = copy
        self.errors: list[LogRecord] = []
        self.warnings: list[LogRecord] = []
        self.ready = asyncio.Event()
        self.ended = asyncio.Event()
        self.tail: list[str] = []
        self.stopping = False  # set when the run is over: what comes next is the bot stopping
        self.after_run: list[LogRecord] = []  # ERROR records while it stops
        self._record: LogRecord | None = None

    async def read(self, stream: asyncio.StreamReader) -> None:
        try:
            while line := await stream.readline():
                self.line(line.decode("utf-8", "replace").rstrip("\n"))
        finally:
            self._finish()
            self.ended.set()
            for sent in self.updates.values():  # nobody waits for a bot that is gone
                sent.done.set()

    def line(self, text: str) -> None:
        if self.copy is not None:
            self.copy.write(text + "\n")
        self.tail = [*self.tail[-30:], text]
        header = _LOG_HEADER.match(text)
        if header is None:
            if self._record is not None:
                self._record.lines.append(text)
            return
        self._finish()
        level, logger, message = header.groups()
        handled = _HANDLED.search(message) if logger == "aiogram.event" else None
        if handled is not None:
            sent = self.updates.get(int(handled[1]))
            if sent is not None:
                sent.ended = time.perf_counter()
                sent.duration_ms = int(handled[3])
                sent.done.set()
            return
        if logger == "bot" and message.startswith("polling started"):
            self.ready.set()
        if level in ("WARNING", "ERROR", "CRITICAL"):
            found = _UPDATE_ID.search(message)
            update_id = int(found[1] or found[2]) if found else None
            self._record = LogRecord(level, logger, message, update_id=update_id)

    def _finish(self) -> None:
        record, self._record = self._record, None
        if record is None:
            return
        if self.stopping:
            if record.level != "WARNING":
                self.after_run.append(record)
            return
        (self.warnings if record.level == "WARNING" else self.errors).append(record)
        sent = self.updates.get(record.update_id) if record.update_id is not None else None
        if sent is not None and record.level != "WARNING":
            sent.log_errors.append(record)


# --- the people ----------------------------------------------------------------------------------


@dataclass
class Person(Conversation):
    """A dispatch_bench conversation, plus what this bench needs to remember."""

    onboarded: bool = False
    sent_count: int = 0
    history: list[tuple[int, str]] = field(default_factory=list)  # buttons seen: (message id, data)


class People:
    """Sends what people do to the stand-in and waits, as each person would, for the bot's answer."""

    def __init__(self, stand: Stand, args: argparse.Namespace, translations: Translations) -> None:
        self.stand = stand
        self.args = args
        self.t = translations.get("ru")
        self.updates: dict[int, Sent] = {}  # every update sent, by update id (warm-up included)
        self.measured: list[Sent] = []
        self.recording = False
        self.deadline = float("inf")
        self.cut_short: list[str] = []
        self.log: BotLog | None = None

    # -- what dispatch_bench's scripts call

    async def send(self, c: Conversation, kind: str, text: str) -> None:
        await self._maybe_chaos(c)
        await self._act(c, kind, lambda: self.stand.message_update(c.user_id, text, first_name=c.first_name))

    async def press(
        self, c: Conversation, kind: str, accept: Callable[[str], bool], *, kind_after: str | None = None
    ) -> str:
        """Press one of the matching buttons (at random) on the newest message having any."""
        await self._maybe_chaos(c)
        found = c.find(accept)
        if found is None:
            sent = getattr(c, "sent_count", "?")
            raise DriverError(
                f"user {c.user_id}: no such button after {sent} updates; the bot said: " + " | ".join(c.said)
            )
        message_id, datas = found
        data = c.rng.choice(datas)
        await self.press_data(c, kind, message_id, data, kind_after=kind_after)
        return data

    # -- this bench's own

    async def press_data(
        self, c: Conversation, kind: str, message_id: int, data: str, *, kind_after: str | None = None
    ) -> None:
        await self._act(c, kind, lambda: self.stand.callback_update(c.user_id, message_id, data), kind_after)

    async def _act(
        self,
        c: Conversation,
        kind: str,
        make: Callable[[], dict[str, Any]],
        kind_after: str | None = None,
    ) -> None:
        """An action of the script, tried again if it failed."""
        assert isinstance(c, Person)
        for _ in range(3):  # «Попробуйте ещё раз»
            sent = await self.deliver(c, kind, make(), kind_after)
            if not (sent.error_reply or sent.timed_out or not sent.replies):
                return

    async def _maybe_chaos(self, c: Conversation) -> None:
        """Now and then something besides the script, before the script's next action."""
        assert isinstance(c, Person)
        if self.recording and c.onboarded and c.rng.random() < self.args.chaos:
            await self.chaos(c, 1)

    async def deliver(
        self, c: Person, kind: str, update: dict[str, Any], kind_after: str | None = None
    ) -> Sent:
        """Make one update available to getUpdates and wait until the bot has handled it."""
        if self.log is not None and self.log.ended.is_set():
            raise Enough  # the bot is gone
        if self.recording and (c.sent_count >= self.args.actions or time.perf_counter() >= self.deadline):
            raise Enough
        if self.args.think:
            await asyncio.sleep(c.rng.uniform(0, 2 * self.args.think / 1000))
        query = update.get("callback_query")
        sent = Sent(update["update_id"], c.user_id, kind, query["id"] if query else None)
        self.updates[sent.update_id] = sent
        if sent.query_id is not None:
            self.stand.queries[sent.query_id] = sent
        self.stand.in_flight[c.user_id] = sent
        c.sent_count += 1
        photos = c.photos
        sent.pushed = time.perf_counter()
        self.stand.push_update(update)
        try:
            await asyncio.wait_for(sent.done.wait(), self.args.timeout)
        except TimeoutError:
            sent.timed_out = True
        if self.stand.in_flight.get(c.user_id) is sent:
            del self.stand.in_flight[c.user_id]
        absorb(c, sent.messages)
        c.said.extend(f"«{alert[:60]}»" for alert in sent.alerts)
        if kind_after is not None and c.photos > photos:
            sent.kind = kind_after
        if self.recording:
            self.measured.append(sent)
        return sent

    async def chaos(self, c: Person, times: int) -> None:
        """What people do besides the script."""
        rng = c.rng
        for _ in range(times):
            kind = weighted(rng, CHAOS)
            if kind in (STALE, FORGED) and not c.history:
                kind = JUNK
            if kind == STALE:
                newest = max(c.inline) if c.inline else 0
                old = [(m, d) for m, d in c.history if m != newest] or c.history
                message_id, data = rng.choice(old)
                update = self.stand.callback_update(c.user_id, message_id, data)
            elif kind == FORGED:
                message_id, data = rng.choice(c.history[-12:])
                update = self.stand.callback_update(c.user_id, message_id, forge(rng, data))
            elif kind == JUNK:
                update = self.stand.message_update(c.user_id, junk_text(rng), first_name=c.first_name)
            else:
                update = media_update(self.stand, c, rng)
            await self.deliver(c, kind, update)


def absorb(c: Person, messages: list[SentMessage]) -> None:
    """What the bot sent this person: the newest state of each message, its buttons, the menu."""
    for message in messages:
        if message.chat_id != c.user_id:
            continue
        if message.kind == "photo":
            c.photos += 1
        c.said.append(message.plain_text[:80])
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            c.inline[message.message_id] = message
            for button in message.buttons:
                if button.get("callback_data"):
                    c.history.append((message.message_id, str(button["callback_data"])))
        else:
            c.inline.pop(message.message_id, None)  # an edit that removed the buttons
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                c.reply_keyboard = [b["text"] for row in markup["keyboard"] for b in row]
            elif markup.get("remove_keyboard"):
                c.reply_keyboard = []
        if len(c.inline) > 12:  # old questions are only pressed again from the history
            del c.inline[min(c.inline)]
    if len(c.history) > 300:
        del c.history[: len(c.history) - 200]


def forge(rng: random.Random, data: str) -> str:
    """Callback data as a forger or a broken client sends it: never more than Telegram's 64 bytes."""
    parts = data.split(":")
    numeric = [i for i, part in enumerate(parts) if re.fullmatch(r"-?\d+", part)]
    roll = rng.random()
    if roll < 0.55 and numeric:
        for i in rng.sample(numeric, rng.randint(1, len(numeric))):
            parts[i] = rng.choice(FORGED_NUMBERS)
        forged = ":".join(parts)
    elif roll < 0.7 and len(data) > 1:
        forged = data[: rng.randint(1, len(data) - 1)]
    elif roll < 0.85 and len(parts) > 1:
        parts[rng.randrange(1, len(parts))] = rng.choice(("zzz", "ans", "x" * 20, "", "0x1f", "NaN", "🙂"))
        forged = ":".join(parts)
    else:
        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789:-_/\\%&<>\"' ёжщ🙂\u200b"
        forged = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 64)))
    while len(forged.encode()) > 64:
        forged = forged[:-1]
    return forged or "x"


def junk_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return (
            "".join(
                rng.choice("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcxyz0123456789 ") for _ in range(30)
            ).strip()
            or "ы"
        )
    if roll < 0.45:
        return "Очень длинный текст " * rng.randint(50, 200)  # up to Telegram's 4,096 characters
    if roll < 0.6:
        return rng.choice(
            ("<b>жирный</i>", "a & b < c", "<script>alert(1)</script>", "&amp;&lt;", "<a href='x'>")
        )
    if roll < 0.75:
        return rng.choice(
            ("/unknown", "/start junk junk", "/start@efs_demo_bot", "/help", "/mydata", "/admin")
        )
    if roll < 0.9:
        return rng.choice(("31.02.2020", "-1", "9223372036854775808", "0", "1e309", "NaN", "🙂" * 10))
    return rng.choice(("ok", "да", "нет", "спасибо", "?", "..."))


def media_update(stand: TelegramStub, c: Person, rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.45:
        return stand.message_update(c.user_id, sticker=True, first_name=c.first_name)
    if roll < 0.85:
        caption = rng.choice((None, "фото", "Очень длинная подпись " * 40))
        return stand.message_update(c.user_id, caption, photo=True, first_name=c.first_name)
    content = rng.randbytes(rng.randint(1, 4096))
    return stand.message_update(c.user_id, document=("отчёт.pdf", content), first_name=c.first_name)


# --- what a person does --------------------------------------------------------------------------


async def diagnosis(h: People, c: Person, *, finish: bool | None = None) -> None:
    rng = c.rng
    await h.send(c, DIAG, h.t("menu-diagnosis"))
    if c.find(cb(DiagCb, action="resume")) and rng.random() < 0.8:
        await h.press(c, DIAG, cb(DiagCb, action="resume"))
    else:
        await h.press(c, DIAG, cb(DiagCb, action="start"))
    finish = rng.random() < 0.35 if finish is None else finish
    target = 10**6 if finish else rng.randint(3, 20)
    answered = 0
    while answered < target and c.find(cb(DiagCb, action="ans")) is not None:
        if answered and rng.random() < 0.05:
            await h.press(c, ANSWER, cb(DiagCb, action="back"))
            answered -= 1
            continue
        await h.press(c, ANSWER, cb(DiagCb, action="ans", value=weighted(rng, LEVELS)), kind_after=FINISH)
        answered += 1
    if not finish and c.find(cb(DiagCb, action="pause")) and rng.random() < 0.5:
        await h.press(c, DIAG, cb(DiagCb, action="pause"))


def route_button(*actions: str) -> Callable[[str], bool]:
    prefixes = tuple(RouteCb.__prefix__ + RouteCb.__separator__ + a + RouteCb.__separator__ for a in actions)
    return lambda data: data.startswith(prefixes)


async def route(h: People, c: Person) -> None:
    rng = c.rng
    await h.send(c, ROUTE, h.t("menu-route"))
    if c.find(route_button("draft")):
        await h.press(c, ROUTE, route_button("draft"))
    for _ in range(rng.randint(0, 3)):
        actions = ("item", "view", "docx") if rng.random() < 0.05 else ("item", "view")
        if c.find(route_button(*actions)) is None:
            break
        await h.press(c, ROUTE, route_button(*actions))


async def menus(h: People, c: Person) -> None:
    await browse_menu(h, c, c.rng.randint(1, 2))  # type: ignore[arg-type]  # duck-typed: send, press, t
    if c.rng.random() < 0.5:
        explore = c.find(lambda data: not data.startswith(UNEXPLORED))
        if explore is not None:
            message_id, datas = explore
            await h.press_data(c, MENU, message_id, c.rng.choice(datas))


async def restart(h: People, c: Person) -> None:
    await h.send(c, RESTART, "/start")


async def chaos(h: People, c: Person) -> None:
    await h.chaos(c, c.rng.randint(1, 3))


SEGMENTS: tuple[tuple[Callable[[People, Person], Awaitable[None]], int], ...] = (
    (diagnosis, 35),
    (menus, 25),
    (route, 15),
    (chaos, 20),
    (restart, 5),
)


async def person(h: People, c: Person) -> None:
    """Onboarding, then what people do, until the person has sent their share of updates."""
    try:
        try:
            await onboard(h, c)  # type: ignore[arg-type]  # duck-typed: send, press, t
            c.onboarded = True
        except DriverError as exc:
            h.cut_short.append(str(exc))
            c.onboarded = True  # from now on, whatever the bot offers
        while True:
            segment = weighted(c.rng, SEGMENTS)
            if not c.reply_keyboard and segment not in (chaos, restart):
                segment = c.rng.choice((chaos, restart))
            try:
                await segment(h, c)
            except DriverError as exc:
                h.cut_short.append(str(exc))
    except Enough:
        return


async def warm_up(h: People, c: Person) -> None:
    """One person through the expensive first times (the chart, the draft), not counted."""
    await onboard(h, c)  # type: ignore[arg-type]  # duck-typed: send, press, t
    c.onboarded = True
    await diagnosis(h, c, finish=True)
    await route(h, c)


# --- the bot process -----------------------------------------------------------------------------


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process and its live descendants, plus its reaped children."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            raw = Path(f"/proc/{entry}/stat").read_text()
            stats[int(entry)] = raw[raw.rindex(")") + 2 :].split()
    if pid not in stats:
        return None
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, fields in stats.items() if int(fields[1]) == parent and p not in tree]
        tree.update(children)
        frontier += children
    total = sum(int(stats[p][11]) + int(stats[p][12]) for p in tree)
    total += int(stats[pid][13]) + int(stats[pid][14])
    return total / ticks


def bot_environment(url: str, database_url: str) -> dict[str, str]:
    """The environment of `python -m bot run`: this one without the bot's own settings, then ours."""
    ours = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    env.update(
        BOT_TOKEN="42:LOADBENCH",
        TELEGRAM_API_URL=url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        LOG_FORMAT="text",
        REGION="kostroma",
        DEFAULT_LOCALE="ru",
        PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))),
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Outcome:
    engine: str
    people: int
    measured: list[Sent]
    wall: float
    bot_cpu: float | None
    own_cpu: float
    load: tuple[float, float]  # the machine's 1-minute load average before and after: others' work
    log: BotLog
    stand: Stand
    warm_updates: int
    cut_short: list[str]
    database: dict[str, int]
    exit_status: int | None


async def run_engine(args: argparse.Namespace, base_url: str | None, translations: Translations) -> Outcome:
    engine = "SQLite"
    if base_url is not None and make_url(base_url).get_backend_name() != "sqlite":
        engine = "PostgreSQL"
    t_ru, t_en = translations.get("ru"), translations.get("en")
    stand = Stand((t_ru("error-generic"), t_en("error-generic")), t_ru("err-stale-button"))
    async with fresh_database(base_url) as url:
        db = await open_database(bench_settings(url), demo_catalogue=True)
        await db.close()
        people = People(stand, args, translations)
        log_file = open(args.log, "a", encoding="utf-8") if args.log else None  # noqa: SIM115, ASYNC230
        if log_file is not None:
            log_file.write(f"=== load bench: {engine}, {args.people} people ===\n")
        log = BotLog(people.updates, log_file)
        people.log = log
        async with StubServer(stand, latency=args.latency / 1000) as server:
            with tempfile.TemporaryDirectory() as cwd:  # no .env of the developer's is read
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    cwd=cwd,
                    env=bot_environment(server.url, url),
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.STDOUT,
                )
                assert process.stdout is not None
                reader = asyncio.create_task(log.read(process.stdout))
                try:
                    outcome = await drive(args, engine, people, stand, log, process.pid)
                finally:
                    exit_status = await stop(process)
                    await reader
                    if log_file is not None:
                        log_file.close()
        outcome.exit_status = exit_status
        outcome.database = await database_counts(url, [FIRST_USER_ID + n for n in range(args.people)])
    return outcome


async def drive(
    args: argparse.Namespace, engine: str, people: People, stand: Stand, log: BotLog, pid: int
) -> Outcome:
    ready = asyncio.create_task(log.ready.wait())
    ended = asyncio.create_task(log.ended.wait())
    await asyncio.wait({ready, ended}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
    ended.cancel()
    if not log.ready.is_set():
        ready.cancel()
        tail = "\n".join(log.tail[-20:])
        raise RuntimeError(f"the bot did not start polling; its last lines:\n{tail}")
    rng = random.Random(args.seed)
    warm = [
        Person(WARMUP_USER_ID - n, random.Random(rng.random()), rng.choice(FIRST_NAMES))
        for n in range(args.warmup)
    ]
    await asyncio.gather(*(warm_up(people, c) for c in warm))
    warm_updates = len(people.updates)
    errors, warnings = len(log.errors), len(log.warnings)
    persons = [
        Person(FIRST_USER_ID + n, random.Random(rng.random()), rng.choice(FIRST_NAMES))
        for n in range(args.people)
    ]
    people.recording = True
    stand.unattributed.clear()
    cpu_before, own_before = process_cpu(pid), time.process_time()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    people.deadline = started + args.duration
    await asyncio.gather(*(person(people, c) for c in persons))
    wall = time.perf_counter() - started
    cpu_after, own_after = process_cpu(pid), time.process_time()
    del log.errors[:errors], log.warnings[:warnings]  # warm-up's own are not the run's
    log.stopping = True
    log.stopping = True  # what the bot logs from now on is its stopping, not the run
    bot_cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return Outcome(
        engine,
        args.people,
        people.measured,
        wall,
        bot_cpu,
        own_after - own_before,
        (load, os.getloadavg()[0]),
        log,
        stand,
        warm_updates,
        people.cut_short,
        {},
        None,
    )


async def stop(process: asyncio.subprocess.Process) -> int | None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
    return process.returncode


async def database_counts(url: str, ids: list[int]) -> dict[str, int]:
    db = await open_database(bench_settings(url), load_regions=False)
    try:
        async with db.sessionmaker() as session:
            mine = User.telegram_id.in_(ids)
            return {
                "profiles complete": await session.scalar(
                    select(func.count()).select_from(User).where(mine, User.profile_completed_at.is_not(None))
                )
                or 0,
                "diagnoses done": await session.scalar(
                    select(func.count())
                    .select_from(Diagnosis)
                    .join(User, User.id == Diagnosis.user_id)
                    .where(mine, Diagnosis.status == "done")
                )
                or 0,
                "routes": await session.scalar(
                    select(func.count()).select_from(Route).join(User, User.id == Route.user_id).where(mine)
                )
                or 0,
            }
    finally:
        await db.close()


# --- report --------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f} ms"


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return (
        f"p50 {ms(statistics.median(values))}, p95 {ms(percentile(values, 0.95))}, "
        f"p99 {ms(percentile(values, 0.99))}, max {ms(max(values))}"
    )


def _normalised(summary: str) -> str:
    return re.sub(r"\d{4,}", "…", summary)


def excerpt(record: LogRecord, frames: int) -> list[str]:
    """The last `frames` frames of the project's own code in a traceback, and the exception."""
    lines = record.lines
    own = [
        i
        for i, line in enumerate(lines)
        if line.lstrip().startswith('File "') and "site-packages" not in line and "/lib/python" not in line
    ]
    shown = []
    for i in own[-frames:]:
        shown.append(lines[i].strip().replace(str(ROOT) + os.sep, ""))
        if i + 1 < len(lines) and not lines[i + 1].lstrip().startswith("File "):
            shown.append("  " + lines[i + 1].strip())
    return shown + [_CONTEXT.sub("", line) for line in lines if _EXCEPTION_LINE.match(line)][-2:]


def report(o: Outcome, args: argparse.Namespace) -> None:
    sents = o.measured
    total = len(sents)
    presses = sum(1 for s in sents if s.query_id is not None)
    print(f"\n{o.engine}: {o.people} people at once")
    if not total:
        print("  no updates were measured")
        return
    print(
        f"  {total:,} updates in {o.wall:.1f} s: {total / o.wall:.1f} updates/s "
        f"({total - presses:,} messages + {presses:,} button presses; "
        f"warm-up {o.warm_updates} more, not counted)"
    )
    latencies = [s.latency for s in sents if s.latency is not None]
    first = [s.replies[0] - s.pushed for s in sents if s.replies]
    durations = [s.duration_ms / 1000 for s in sents if s.duration_ms is not None]
    print(
        "  latency as a person sees it (update available → the bot's last reply received): "
        + spread(latencies)
    )
    print(f"  to the bot's first reply: {spread(first)}")
    print(f"  the bot's own time per update (aiogram's \"Duration\"): {spread(durations)}")
    if o.bot_cpu is not None:
        print(
            f"  CPU of the bot process: {o.bot_cpu:.1f} s = {o.bot_cpu / total * 1e3:.2f} ms per update "
            f"({o.bot_cpu / o.wall:.0%} of one core); this process (stand-in and people): {o.own_cpu:.1f} s "
            f"({o.own_cpu / o.wall:.0%} of one core)"
        )
    else:
        print("  CPU of the bot process: n/a (no /proc)")
    print(
        f"  the machine: {os.cpu_count()} CPUs, load average {o.load[0]:.1f} → {o.load[1]:.1f} "
        "(more than the bot and this process make the figures noisy)"
    )
    print("  by kind of update:")
    for kind in KINDS:
        values = [s.latency for s in sents if s.kind == kind and s.latency is not None]
        count = sum(1 for s in sents if s.kind == kind)
        if count:
            bad = sum(1 for s in sents if s.kind == kind and s.failures())
            print(f"    {kind:<42} {count:6,d} updates, {bad:4d} failed, {spread(values)}")

    failed = [s for s in sents if s.failures()]
    kinds = Counter(kind for s in sents for kind in s.failures())
    print(f"  failed updates: {len(failed):,} of {total:,} ({len(failed) / total:.1%})")
    order = (
        "error reply", "ERROR in the bot's log", "limit violation", "refused call", "button answered twice",
        "button never answered", "message without a reply", "timeout",
    )  # fmt: skip
    labels = {
        "error reply": f"the generic error reply «{args.error_text[:40]}…»",
        "timeout": f"timeouts (not ended within {args.timeout:g} s)",
    }
    for kind in order:
        print(f"    {labels.get(kind, kind)}: {kinds[kind]:,}")
    errors = o.log.errors
    attributed = sum(1 for r in errors if r.update_id is not None)
    print(
        f"  ERROR records in the bot's log: {len(errors):,} ({attributed:,} naming an update), by exception:"
    )
    by_exception = Counter(_normalised(r.summary) for r in errors)
    for summary, count in by_exception.most_common(12):
        print(f"    {count:5,d} × {summary}")
    if o.log.warnings:
        print(f"  WARNING records: {len(o.log.warnings):,}:")
        for summary, count in Counter(_normalised(r.message)[:150] for r in o.log.warnings).most_common(5):
            print(f"    {count:5,d} × {summary}")
    for title, calls in (
        ("limit violations", [v for s in sents for v in s.violations]),
        ("refused calls", [v for s in sents for v in s.refused]),
        ("harmless refusals (not failures)", [v for s in sents for v in s.harmless]),
    ):
        grouped = Counter(v[:160] for v in calls)
        print(f"  {title}: {len(calls):,}" + (":" if grouped else ""))
        for text, count in grouped.most_common(6):
            print(f"    {count:5,d} × {text}")
    other = [e for e in o.stand.errors if e[0].lower() in NOT_REPLIES]
    stale = sum(1 for s in sents if s.stale_answer)
    print(
        f"  stale-button answers: {stale:,}; bot calls for no update in flight: "
        f"{sum(o.stand.unattributed.values()):,}; refused calls of polling and start-up: {len(other)}; "
        f"scripts cut short (the bot did not offer what the person expected): {len(o.cut_short)}; "
        f"bot exit status {o.exit_status}"
    )
    for line in o.cut_short[:3]:
        print("    " + " ".join(line.split())[:300])
    for record in o.log.after_run[:3]:
        print(f"  ERROR while the bot stopped: {record.summary}")
    print("  database after the run: " + ", ".join(f"{k} {v}" for k, v in o.database.items()))
    examples = list({_normalised(r.summary): r for r in reversed(errors)}.values())[::-1]
    if examples:
        print(f"  tracebacks, one per exception (the project's last {args.traceback_frames} frames):")
    for record in examples[: args.tracebacks]:
        print(f"    {record.level} {record.logger}: {record.message[:200]}")
        for line in excerpt(record, args.traceback_frames):
            print(f"      {line[:200]}")


def goals(outcomes: list[Outcome]) -> None:
    print("\ngoals (issue 11):")
    for o in outcomes:
        total = len(o.measured)
        failed = sum(1 for s in o.measured if s.failures())
        judged = o.people >= 50
        status = ("met" if failed == 0 else "NOT met") if judged else f"not judged ({o.people} people)"
        print(f"  0 failed updates at 50 people, {o.engine}: {status} — {failed:,} failed of {total:,}")
        if o.engine == "SQLite":
            latencies = [s.latency for s in o.measured if s.latency is not None]
            p99 = percentile(latencies, 0.99) if latencies else float("inf")
            status = ("met" if p99 <= 1.0 else "NOT met") if judged else f"not judged ({o.people} people)"
            print(f"  p99 ≤ 1 s at 50 people on SQLite: {status} — p99 {ms(p99)}")


async def main(args: argparse.Namespace) -> None:
    translations = Translations()
    args.error_text = translations.get("ru")("error-generic")
    urls = [None if u in (None, "sqlite") else u for u in (args.database_url or [None])]
    print(
        f"load bench: {args.people} people at once, up to {args.actions} updates each "
        f"(none started after {args.duration:g} s), "
        f"round trip {args.latency:g} ms, think {args.think:g} ms, chaos {args.chaos:.0%}, seed {args.seed}; "
        f"the bot: `python -m bot run` over HTTP; Python {platform.python_version()}, "
        f"aiogram {version('aiogram')}, "
        f"SQLAlchemy {version('sqlalchemy')}, {os.cpu_count()} CPUs"
    )
    outcomes = []
    for url in urls:
        outcome = await run_engine(args, url, translations)
        report(outcome, args)
        outcomes.append(outcome)
    goals(outcomes)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--people", type=int, default=50, help="people at once (default 50)")
    p.add_argument("--actions", type=int, default=80, help="updates each person sends (default 80)")
    p.add_argument(
        "--duration", type=float, default=90, help="seconds after which nobody starts another (90)"
    )
    p.add_argument("--latency", type=float, default=50, help="round trip to the Bot API in ms (default 50)")
    p.add_argument("--think", type=float, default=0, help="mean pause in ms before each action (default 0)")
    p.add_argument("--chaos", type=float, default=0.1, help="share of actions preceded by junk (default 0.1)")
    p.add_argument("--timeout", type=float, default=30, help="seconds an update may take (default 30)")
    p.add_argument("--warmup", type=int, default=1, help="warm-up people, not counted (default 1)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument(
        "--database-url",
        action="append",
        help="'sqlite' (the default: a fresh file in a temporary directory) or a PostgreSQL server "
        "(postgresql+asyncpg://user@host:port/db: a database bench_<random> is created there and dropped); "
        "repeat to run on each in turn",
    )
    p.add_argument("--log", help="append the bot's whole log to this file")
    p.add_argument("--tracebacks", type=int, default=6, help="tracebacks shown, one per exception (6)")
    p.add_argument("--traceback-frames", type=int, default=3, help="the project's frames shown of each (3)")
    return p


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
