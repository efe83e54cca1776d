"""``python -m bot sandbox``: the whole system in one terminal, without Telegram.

The real dispatcher, handlers and database; the bot's requests go to an in-process stand-in for
the Bot API (``telegram_stub``), so no token and no network are needed. Buttons are pressed by
their number. Beside the updates the sandbox runs what ``python -m bot run`` runs in the
background (``bot.workers.Background``): the tick of ``bot.jobs`` (mentor requests lapsing,
reminders and digests planned and sent) and the broadcast sender (``bot.broadcast``), on the
sandbox's own clock, after every line — and ``:later 3d`` moves that clock forward.

Several people share the terminal: ``:as 3001`` switches to person 3001 with their own chat and
buttons. What the bot sends to someone else waits in their chat, and the current one sees a
one-line notice of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcast import BroadcastSender
from bot.factory import create_bot, create_dispatcher, open_database, utc_clock
from bot.jobs import send_handoffs, tick
from bot.sandbox_max import MaxTerminal, MaxView
from bot.settings import Settings
from domain.audience import Pacer
from locales import Translations, Translator
from storage.models import User
from telegram_stub import SentMessage, StubSession, TelegramStub

# A message of either stand-in, as the sandbox reads it.
Shown = SentMessage | MaxView

SANDBOX_DB = "sqlite+aiosqlite:///./data/sandbox.db"
FILES_DIR = Path("data/sandbox-files")
HISTORY = 10  # messages :history shows again
NOTICE_WIDTH = 70  # characters of a message to someone else shown in the current chat
LATER_LIMIT = timedelta(days=400)
BROADCAST_ROUNDS = 1000  # a bound on the broadcast sender's rounds after one line

log = logging.getLogger(__name__)


# --- what a typed line means ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quit:
    pass


@dataclass(frozen=True, slots=True)
class Help:
    pass


@dataclass(frozen=True, slots=True)
class SwitchTo:
    """``:as N``: be person N (their Telegram id) from now on."""

    user_id: int


@dataclass(frozen=True, slots=True)
class Later:
    """``:later 1d``: move the sandbox's clock forward and run what is due."""

    delta: timedelta


@dataclass(frozen=True, slots=True)
class ShowTime:
    pass


@dataclass(frozen=True, slots=True)
class People:
    pass


@dataclass(frozen=True, slots=True)
class History:
    """``:history``: the current person's last messages again, as they are now."""


@dataclass(frozen=True, slots=True)
class Wait:
    """An empty line: nobody types; the clock's jobs run and what came is shown."""


@dataclass(frozen=True, slots=True)
class Media:
    kind: str  # "photo" | "sticker"


@dataclass(frozen=True, slots=True)
class Number:
    """A number: the button with that number, or the text itself when there is no such button."""

    value: int
    text: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Mistake:
    """A sandbox command typed wrong: the message key and its arguments."""

    key: str
    args: dict[str, str] = field(default_factory=dict)


Command = (
    Quit | Help | SwitchTo | Later | ShowTime | People | History | Wait | Media | Number | Text | Mistake
)

_UNITS = {"d": "days", "h": "hours", "m": "minutes", "д": "days", "ч": "hours", "м": "minutes"}
_DURATION = re.compile(r"(\d{1,6})\s*([dhmдчм])")
_START_LINK = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]+)")
_SIMPLE: dict[str, Command] = {
    ":help": Help(),
    ":?": Help(),
    ":quit": Quit(),
    ":exit": Quit(),
    "/quit": Quit(),
    "/exit": Quit(),
    ":now": ShowTime(),
    ":time": ShowTime(),
    ":who": People(),
    ":history": History(),
    ":photo": Media("photo"),
    ":sticker": Media("sticker"),
}


def parse_duration(text: str) -> timedelta | None:
    """``1d``, ``3h``, ``30m`` or several of them (``1d12h``); None if that is not a duration."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _DURATION.sub("", compact):
        return None
    delta = timedelta()
    for amount, unit in _DURATION.findall(compact):
        delta += timedelta(**{_UNITS[unit]: int(amount)})
    return delta


def parse(line: str) -> Command:
    """What one typed line asks for. A line starting with «:» is a sandbox command; «!» sends the
    rest as it is (``!1`` is the text «1», ``!:as`` the text «:as»)."""
    text = line.strip()
    if not text:
        return Wait()
    if text.startswith("!") and len(text) > 1:
        return Text(text[1:])
    simple = _SIMPLE.get(text.lower())
    if simple is not None:
        return simple
    if text.isdigit():
        return Number(int(text), text)
    if not text.startswith(":"):
        return Text(text)
    name, _, rest = text.partition(" ")
    name, rest = name.lower(), rest.strip()
    if name == ":as":
        if not rest.isdigit() or not 0 < int(rest) < 2**52:
            return Mistake("sandbox-as-usage")
        return SwitchTo(int(rest))
    if name == ":later":
        delta = parse_duration(rest)
        if delta is None or delta <= timedelta():
            return Mistake("sandbox-later-usage")
        if delta > LATER_LIMIT:
            return Mistake("sandbox-later-too-far", {"days": str(LATER_LIMIT.days)})
        return Later(delta)
    if name in _SIMPLE:
        return Mistake("sandbox-no-argument", {"command": name})
    return Mistake("sandbox-unknown-command", {"command": name})


# --- the clock and what runs on it ------------------------------------------------------------------


class SandboxClock:
    """Real time, moved forward by ``:later``. With a ``file``, how far it was moved is kept there,
    so that a restart does not take the clock back behind what the database already holds."""

    def __init__(self, real: Callable[[], datetime] = utc_clock, *, file: Path | None = None) -> None:
        self._real = real
        self.file = file
        self.offset = timedelta()
        if file is not None:
            with contextlib.suppress(OSError, ValueError, OverflowError):  # none yet, or spoilt
                self.offset = timedelta(seconds=max(0.0, float(file.read_text(encoding="utf-8"))))

    def __call__(self) -> datetime:
        return self._real() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
        if self.file is not None:
            try:
                self.file.write_text(f"{self.offset.total_seconds():.0f}\n", encoding="utf-8")
            except OSError as exc:
                log.warning("the sandbox's clock is not kept: %s", exc)


def clock_file(database_url: str) -> Path | None:
    """Where a SQLite sandbox database keeps its clock: beside it (``sandbox.db.clock``)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + ".clock")


class Clockwork:
    """What ``python -m bot run`` runs beside the updates (``bot.workers.Background``), run on
    demand with the sandbox's clock: the minute tick (lapsed mentor requests, meeting reminders,
    reminders and digests planned and sent) and the broadcast sender until nothing is left."""

    def __init__(
        self,
        bot: Bot,
        sessionmaker: async_sessionmaker[AsyncSession],
        translations: Translations,
        clock: Callable[[], datetime],
    ) -> None:
        self.bot, self.sessionmaker, self.translations, self.clock = bot, sessionmaker, translations, clock
        # No real Telegram to spare: no waiting between messages.
        self.pacer = Pacer(rate=1_000_000, per_chat=0.0)
        self.broadcasts = BroadcastSender(bot, sessionmaker, translations, clock, pacer=self.pacer)

    async def __call__(self) -> None:
        try:
            await tick(self.bot, self.sessionmaker, self.translations, self.clock, self.pacer)
            for _ in range(BROADCAST_ROUNDS):
                if not await self.broadcasts.run_once():
                    break
        except Exception:
            log.exception("the sandbox's jobs failed")


# --- the people in the terminal ---------------------------------------------------------------------


@dataclass
class Person:
    """One person's chat: what of the bot's messages they have seen, and their buttons."""

    user_id: int
    shown: int = 0  # messages of the stub's outbox before this index were shown (or not theirs)
    buttons: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # label, button, message
    reply_keyboard: list[str] = field(default_factory=list)


class Sandbox:
    """People talking to the bot in one terminal; the current one's numbered buttons on screen."""

    def __init__(
        self,
        bot: Bot,
        dp: Dispatcher,
        stub: TelegramStub | MaxTerminal,
        user_id: int,
        t: Translator,
        *,
        clock: SandboxClock | None = None,
        jobs: Callable[[], Awaitable[None]] | None = None,
        timezone: str = "Europe/Moscow",
        known: set[int] | None = None,
    ) -> None:
        self.bot, self.dp, self.stub, self.t = bot, dp, stub, t
        self.known = set(known or ())  # people who wrote to the bot (in this run or an earlier one)
        self.clock = clock or SandboxClock()
        self.jobs = jobs
        self.timezone = timezone
        self.people: dict[int, Person] = {}
        self.person = self._person(user_id)
        self.noticed = 0  # messages of the outbox before this index were shown or noticed
        self.answers_shown = 0
        self.said: list[str] = []  # the sandbox's own lines since the last render

    @property
    def user_id(self) -> int:
        return self.person.user_id

    @property
    def buttons(self) -> list[tuple[str, dict[str, Any], int]]:
        return self.person.buttons

    def say(self, key: str, **args: str) -> str:
        """A sandbox message for the terminal (the translator escapes for Telegram's HTML)."""
        return html.unescape(self.t(key, **args))

    def _person(self, user_id: int) -> Person:
        if user_id not in self.people:
            self.people[user_id] = Person(user_id)
        return self.people[user_id]

    async def feed(self, update: dict[str, Any]) -> None:
        self.known.add(self.user_id)
        if isinstance(self.stub, MaxTerminal):  # MAX's update, as its poller converts it
            converted = self.stub.to_update(update, self.bot)
            if converted is not None:
                await self.dp.feed_update(self.bot, converted)
        else:
            await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))
        if self.dp["outbox_wakeup"].take():  # what a worker's sender does at once: the hand-offs
            units = self.dp["units"]
            await send_handoffs(self.bot, units.sessionmaker, self.dp["translations"], units.clock)

    async def handle_line(self, line: str) -> bool:
        """Act on one typed line, then let the clock's jobs run; False means quit."""
        command = parse(line)
        match command:
            case Quit():
                return False
            case Help():
                self.said.append(self.say("sandbox-help"))
                return True
            case Mistake(key, args):
                self.said.append(self.say(key, **args))
                return True
            case ShowTime():
                self.said.append(self.say("sandbox-time", now=self.now_text()))
                return True
            case People():
                self.said.append(self._people_text())
                return True
            case History():
                self.said.append(self._history_text())
                return True
            case SwitchTo(user_id):
                self._switch(user_id)
                return True
            case Later(delta):
                self.clock.advance(delta)
                self.said.append(self.say("sandbox-later", now=self.now_text()))
            case Wait():
                pass
            case Media(kind):
                update = self.stub.message_update(
                    self.user_id, photo=kind == "photo", sticker=kind == "sticker"
                )
                await self.feed(update)
            case Number(value, _) if 1 <= value <= len(self.person.buttons) + len(self.person.reply_keyboard):
                await self.press(value)
            case Number(_, text) | Text(text):
                await self.feed(self.stub.message_update(self.user_id, text))
        if self.jobs is not None:
            await self.jobs()
        return True

    async def press(self, number: int) -> None:
        person = self.person
        if number <= len(person.buttons):
            _, button, message_id = person.buttons[number - 1]
            if "callback_data" in button:
                await self.feed(self.stub.callback_update(self.user_id, message_id, button["callback_data"]))
            else:
                self.said.append(self.say("sandbox-link", url=button.get("url", "")))
        else:
            text = person.reply_keyboard[number - len(person.buttons) - 1]
            await self.feed(self.stub.message_update(self.user_id, text))

    def _switch(self, user_id: int) -> None:
        self.person = self._person(user_id)
        self.said.append(self.say("sandbox-switched", user_id=str(user_id)))
        if user_id not in self.known and not any(m.chat_id == user_id for m in self._outbox()):
            self.said.append(self.say("sandbox-switched-new"))
        elif not self._unseen(self.person):
            self.said.append(self.say("sandbox-switched-nothing-new"))

    def _outbox(self) -> list[Shown]:
        return list[Shown](self.stub.outbox)

    def _unseen(self, person: Person) -> list[Shown]:
        return [m for m in self._outbox()[person.shown :] if m.chat_id == person.user_id]

    def now_text(self) -> str:
        try:
            zone = ZoneInfo(self.timezone)
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        return self.clock().astimezone(zone).strftime("%d.%m.%Y %H:%M") + f" ({zone.key})"

    def _history_text(self) -> str:
        """The last messages of the current chat as they are now (edits applied)."""
        mine = sorted(
            (m for m in self.stub.messages.values() if m.chat_id == self.user_id), key=lambda m: m.message_id
        )
        if not mine:
            return self.say("sandbox-history-empty")
        shown = [self._render_message(m, as_edited=False) for m in mine[-HISTORY:]]
        return "\n".join([self.say("sandbox-history", count=str(len(shown))), *shown])

    def _people_text(self) -> str:
        lines = [self.say("sandbox-people")]
        for user_id in sorted(self.people):
            person = self.people[user_id]
            if user_id == self.user_id:
                lines.append(self.say("sandbox-people-you", user_id=str(user_id)))
            else:
                unseen = str(len(self._unseen(person)))
                lines.append(self.say("sandbox-people-other", user_id=str(user_id), unseen=unseen))
        return "\n".join(lines)

    def render(self) -> str:
        """What happened since the last call: the sandbox's own lines, the current person's new
        messages and answers, a notice of each message to someone else, then the buttons."""
        lines, self.said = self.said, []
        person = self.person
        start = min(person.shown, self.noticed)
        for index, message in enumerate(self._outbox()[start:], start):
            if message.chat_id == person.user_id:
                if index >= person.shown:
                    lines.append(self._render_message(message))
            elif index >= self.noticed:
                self._person(message.chat_id)
                lines.append(self._notice(message))
        person.shown = self.noticed = len(self._outbox())
        for answer in self.stub.callback_answers[self.answers_shown :]:
            if answer.get("text"):
                lines.append(f"💬 {answer['text']}")
        self.answers_shown = len(self.stub.callback_answers)
        self._collect_buttons()
        numbered = [f"[{i}] {label}" for i, (label, _, _) in enumerate(person.buttons, 1)]
        offset = len(person.buttons)
        numbered += [f"[{offset + i}] {label}" for i, label in enumerate(person.reply_keyboard, 1)]
        if numbered:
            lines.append("   " + "  ".join(numbered))
        return "\n".join(lines)

    def _render_message(self, message: Shown, *, as_edited: bool | None = None) -> str:
        edited = message.edited if as_edited is None else as_edited
        prefix = "🤖 " + (self.say("sandbox-edited") + " " if edited else "")
        body = message.plain_text or ""
        if message.document is not None:
            FILES_DIR.mkdir(parents=True, exist_ok=True)
            name, content = message.document
            path = FILES_DIR / Path(name).name
            path.write_bytes(content)
            body = f"{body}\n📎 {path}" if body else f"📎 {path}"
        urls = [body, *(str(button.get("url", "")) for button in message.buttons)]
        for start in dict.fromkeys(_START_LINK.findall("\n".join(urls))):
            body += "\n" + self.say("sandbox-start-link", command=f"/start {start}")
        return prefix + body.replace("\n", "\n   ")

    def _notice(self, message: Shown) -> str:
        """«→ 3001: Запрос на наставничество…»: the first line of a message to someone else."""
        first = next((line.strip() for line in (message.plain_text or "").splitlines() if line.strip()), "")
        if not first and message.document is not None:
            first = "📎 " + Path(message.document[0]).name
        more = len(first) > NOTICE_WIDTH or len((message.plain_text or "").strip()) > len(first)
        text = first[:NOTICE_WIDTH].rstrip() + ("…" if more else "")
        edited = " " + self.say("sandbox-edited") if message.edited else ""
        return f"→ {message.chat_id}{edited}: {text}"

    def _collect_buttons(self) -> None:
        person = self.person
        for message in reversed(self._outbox()):
            if message.chat_id != person.user_id:
                continue
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                person.reply_keyboard = [b["text"] for row in markup["keyboard"] for b in row]
                break
            if markup.get("remove_keyboard"):
                person.reply_keyboard = []
                break
        # Only the newest message's buttons are numbered: older ones are usually answered already.
        mine = [m for m in self.stub.messages.values() if m.chat_id == person.user_id]
        newest = max(mine, key=lambda m: m.message_id, default=None)
        rows = (newest.reply_markup or {}).get("inline_keyboard", []) if newest else []
        person.buttons = [(b["text"], b, newest.message_id) for row in rows for b in row] if newest else []

    def prompt(self) -> str:
        return f"{self.user_id}> "


async def known_people(
    sessionmaker: async_sessionmaker[AsyncSession], messenger: str = "telegram"
) -> list[tuple[int, str]]:
    """Everyone of ``messenger`` in the sandbox's database (an earlier run's people): (their id
    there, language)."""
    async with sessionmaker() as session:
        rows = await session.execute(select(User.telegram_id, User.locale).where(User.messenger == messenger))
        return [(telegram_id, locale) for telegram_id, locale in rows]


async def run_sandbox(
    settings: Settings, user_id: int, *, admin: bool, database_url: str | None, messenger: str = "telegram"
) -> int:
    admin_ids = (*settings.admin_ids, user_id) if admin else settings.admin_ids
    max_admin_ids = (*settings.max_admin_ids, user_id) if admin else settings.max_admin_ids
    settings = settings.model_copy(
        update={
            "database_url": database_url or SANDBOX_DB,
            "redis_url": None,  # the sandbox needs no services: conversations stay in its database
            "bot_token": SecretStr("4242:SANDBOX"),
            "admin_ids": admin_ids,
            "max_admin_ids": max_admin_ids,
        }
    )
    async with contextlib.AsyncExitStack() as stack:
        if messenger == "max":
            from bot.factory import create_max_bot
            from bot.max.api import MaxApi
            from max_stub import MaxStub, MaxStubServer

            max_stub = MaxStub()
            server = await stack.enter_async_context(MaxStubServer(max_stub))
            max_bot = create_max_bot(settings, MaxApi("sandbox", server.url))
            return await _sandbox(settings, user_id, max_bot, lambda _known: MaxTerminal(max_stub, max_bot))

        def telegram(known: list[tuple[int, str]]) -> TelegramStub:
            stub = TelegramStub()
            for known_id, locale in known:
                stub.add_user(known_id, language_code=locale)  # they wrote to the bot in an earlier run
            return stub

        return await _sandbox(settings, user_id, None, telegram)
    return 0  # pragma: no cover - the block returns


async def _sandbox(
    settings: Settings,
    user_id: int,
    max_bot: Bot | None,
    make_stub: Callable[[list[tuple[int, str]]], TelegramStub | MaxTerminal],
) -> int:
    db = await open_database(settings, demo_catalogue=True)
    translations = Translations()
    t = translations.get(settings.default_locale)
    known = await known_people(db.sessionmaker, "max" if max_bot is not None else "telegram")
    stub = make_stub(known)
    clock = SandboxClock(file=clock_file(settings.database_url))
    bot = max_bot or create_bot(settings, session=StubSession(stub))  # type: ignore[arg-type]
    dp = create_dispatcher(settings, db.sessionmaker, translations=translations, clock=clock)
    jobs = Clockwork(bot, db.sessionmaker, translations, clock)
    sandbox = Sandbox(
        bot,
        dp,
        stub,
        user_id,
        t,
        clock=clock,
        jobs=jobs,
        timezone=settings.timezone,
        known={known_id for known_id, _ in known},
    )
    messenger = "MAX" if max_bot is not None else "Telegram"
    print(
        sandbox.say(
            "sandbox-banner", database=settings.database_url, user_id=str(user_id), messenger=messenger
        )
    )
    if clock.offset:
        print(sandbox.say("sandbox-time", now=sandbox.now_text()))
    try:
        await dp.emit_startup(bot=bot)
        while True:
            try:
                line = await asyncio.to_thread(input, sandbox.prompt())
            except EOFError:
                break
            if not await sandbox.handle_line(line):
                break
            output = sandbox.render()
            if output:
                print(output, flush=True)
    finally:
        await dp.emit_shutdown(bot=bot)
        await bot.session.close()
        await db.close()
    return 0
