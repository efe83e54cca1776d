"""Fuzz: ten thousand seeded random updates through the real dispatcher, on SQLite (three thousand
on the PostgreSQL + Redis pass).

A cast of people — the admin, a methodist with a caseload, teachers with a diagnosis and a route,
newcomers who may or may not finish the wizard, and strangers who never consent — send random text
(up to 5,000 characters), commands, media and group messages; press the buttons the bot sent them,
buttons the bot sent to someone else, forged and mutated callback data (numbers changed to 0, −1,
2^31, 2^63; truncated; random bytes) and buttons on messages that are gone; and some say /forget
half-way through a flow. Scripted excursions with plausible answers take people deep (a diagnosis
to its chart, a route to approval, the event and broadcast wizards, the caseload, indicators); now
and then several people act at once, the clock moves on and the reminders and broadcasts due go out,
and the process restarts. Afterwards a new teacher still gets through /start to the main menu.

Nothing may escape the dispatcher or be logged at ERROR, every request must keep Telegram's limits
(and none may be refused except for the harmless races of editing a message that changed or
went away), every button is answered exactly once, and a stranger never sees anyone's data.

``FUZZ_SEED`` and ``FUZZ_UPDATES`` change the seed and the number of fuzzed updates (default 10,000
on SQLite, 3,000 on PostgreSQL, after about 130 scripted ones that set the cast up);
``FUZZ_VERBOSE=1`` also lists every kind of button offered and pressed. A failure prints, for each
kind of failure, the seed, the index of the first update that showed it, the update, the traceback,
and the FUZZ_SEED and FUZZ_UPDATES that replay the run up to it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.types import Update
from sqlalchemy import select

from bot.broadcast import BroadcastSender
from bot.jobs import tick
from domain.audience import Pacer
from handlers.keyboards import MAIN_MENU_KEYS
from storage.models import User
from telegram_stub import (
    CANT_BE_EDITED,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    NOT_MODIFIED,
    SentMessage,
)
from tests import engines
from tests.catalogue import seed_catalogue
from tests.chat import Chat
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard, onboard_elsewhere, staff_profile
from tests.test_workspace import kostroma_with, susanino

SEED = int(os.environ.get("FUZZ_SEED", "20261122"))
# 10,000 on SQLite (the embedded default, the figure); 3,000 on the PostgreSQL + Redis pass
# of scripts/test.sh, which checks the same on the other engine in a quarter of the time.
UPDATES = int(os.environ.get("FUZZ_UPDATES", "3000" if engines.postgres_url() else "10000"))
UPDATE_TIMEOUT = 30  # seconds one update may take before it counts as hung

# Distinctive names: none of them may ever reach a stranger.
ADMIN_NAME = "Аркадьев Всеволод Игнатьевич"
METHODIST_ID = 3_001
METHODIST_NAME = "Снежинская Радмила Ефимовна"
TEACHERS = {
    1_001: "Зефирова Ульяна Фёдоровна",
    1_002: "Кукушкин Ермолай Саввич",
    1_003: "Облепихин Мирон Ратиборович",
}
ELSEWHERE_ID, ELSEWHERE_NAME = 1_004, "Пряникова Злата Тихоновна"  # Kuzbass, typed-in school
NEWCOMERS = {5_001: "ru", 5_002: "en"}
STRANGERS = {7_001: "ru", 7_002: "en", 7_003: "ru"}
FRESH_ID, FRESH_NAME = 8_001, "Финальная Проверка Итоговна"

# Refusals that are Telegram's answer to a race (the message changed or went away meanwhile); the
# bot must cope with them, but the stand-in records them all the same.
HARMLESS_REFUSALS = (NOT_MODIFIED, EDIT_NOT_FOUND, CANT_BE_EDITED, DELETE_NOT_FOUND)

COMMANDS = (
    "/start", "/menu", "/help", "/mydata", "/forget", "/admin", "/caseload", "/digest",
    "/digest_settings", "/frobnicate", "/START", "/help@efs_demo_bot", "/menu now please",
    "/caseload 5", "/start@other_bot", "/start <script>", "/start inv_", "/start inv_AAAAAAAAAAAA",
    "/start " + "x" * 64, "/", "/admin 1", "/forget now", "/mydata@efs_demo_bot",
)  # fmt: skip
SENSIBLE_TEXTS = (
    "14.05.1998", "01.01.1990", "31.02.2027", "15.03.2027", "01.01.2030", "10.12.2026 15:00",
    "23.11.2026 12:00", "22.11.2026 12:00", "2024", "2015", "1950", "2100", "0", "1", "3", "5", "30",
    "-1", "9223372036854775808", "Сусанин", "Буй", "Кострома", "Посёлок", "Школа № 1",
    "Иванова Мария Петровна", "Ли", "да", "нет", "Отмена", "Готово", "https://example.ru/webinar",
    "http://example.ru", "https://localhost", "Записаться https://iro.example.ru/form", "Без кнопки",
    "Семинар «Функциональная грамотность»", "<b>жирный</b>", "a & b < c", "&amp;", "\u200b",
    "   ", "😀" * 10, "Я" * 301, "Комментарий методиста: доработайте пункт 2",
)  # fmt: skip
ALPHABET = (
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "      \n\t.,:;!?-–—«»\"'()[]{}/\\|@#$%^*_+=~`<>&"
    "\u200b\u200d\u202e\u00a0\ufeff\u0301"
    "😀🙂🤝📅🧭🗺👤❓✅❌ñçßøπ∑∞中文عربي"
)
CALLBACK_NUMBERS = ("0", "-1", str(2**31), str(2**31 - 1), str(2**63), str(2**63 - 1), str(-(2**63) - 1),
                    str(2**64), "99999999999999999999", "007", "1e3", "")  # fmt: skip

ACTIONS = {
    "press_newest": 30,  # a button on the newest message with buttons
    "press_older": 7,  # a button the bot sent earlier (maybe since edited away)
    "menu": 10,  # a main-menu label, typed or from the keyboard
    "sensible_text": 8,
    "random_text": 5,
    "command": 9,
    "media": 5,
    "group": 2,
    "edited": 1,
    "others_button": 6,
    "mutated": 9,
    "gone_message": 5,
    "forget": 1,
    "tour": 4,  # a scripted excursion into a deeper screen (see TOURS)
    "burst": 2,  # several people at once (see BURST_ACTIONS)
}
# What each person of a burst does: one update each, built before any of them is handled.
BURST_ACTIONS = {
    key: ACTIONS[key]
    for key in ("press_newest", "press_older", "menu", "sensible_text", "random_text", "command", "media",
                "others_button", "mutated", "gone_message")
}  # fmt: skip

# Answers to the bot's questions, by a pattern of the question (the first that matches).
CONTEXT_INPUTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"ДД\.ММ\.ГГГГ ЧЧ:ММ|дату и время",
     ("10.12.2026 15:00", "23.11.2026 12:00", "22.11.2026 12:00", "31.11.2026 15:00", "завтра в три")),
    (r"ЧЧ:ММ", ("07:45", "25:00", "7.45", "23:59")),
    (r"ДД\.ММ\.ГГГГ|[Дд]ата",
     ("15.03.2027", "15.11.2026", "01.12.2026", "01.01.2030", "31.02.2027", "14.05.1998")),
    (r"В каком году", ("2024", "2015", "1899", "2030")),
    (r"часть ФИО", ("Зефирова", "иванова", "Кукушкин", "%", "_")),
    (r"ФИО|фамилию", ("Иванова Мария Петровна", "Ли", "Петров Пётр")),
    (r"минут", ("90", "5", "1440", "45")),
    (r"кнопку-ссылку", ("Записаться https://iro.example.ru/form", "Без кнопки", "Кнопка http://bad")),
    (r"текст рассылки", ("Семинар <онлайн> & очно", "<b>Важно</b>: вебинар", "ж" * 5000, "\u2800")),
    (r"https:|адрес",
     ("https://example.ru/webinar", "http://example.ru", "https://localhost", "ул. Ленина, 1")),
    (r"Сколько мест", ("30", "0", "много", "100000")),
    (r"название мероприятия", ("Семинар «Функциональная грамотность»", "Я" * 301)),
    (r"Описание|Заметка|итог|Тема", ("Программа: два доклада и обсуждение", "Пропустить", "ок")),
    (r"комментарий|почему", ("Добавьте курс по <ФГОС> & стажировку", "   ", "х" * 1001)),
    (r"Подтвердите выполнение",
     ("https://example.org/certificate.pdf", "Посетила три урока коллег, взяла приём «мозговой штурм»",
      "да")),
    (r"связаться", ("+7 999 000-11-22", "mail@example.ru")),
    (r"муниципалитет", ("Сусанин", "Буй", "Кострома", "Посёлок")),
    (r"организаци", ("Школа № 1", "Сусанинская")),
)  # fmt: skip
LEVELS = ("1.", "2.", "3.", "4.", "Не применимо", "Не оценивалось")
IMPORT_FILES = (
    ("sites.csv", "external_id;organisation;municipality\ns9;Школа;Сусанинский район\n".encode()),
    ("programs.csv", b"external_id,title\n"),
    ("programs.xlsx", b"PK\x03\x04not really a workbook"),
)
# Scripted excursions, per kind of person: ("p", "label|label") presses the first button found (or
# types the reply-keyboard label) and ends the tour if there is none; ("t", text) types text; ANSWER
# answers the question on screen; ANY presses any button of the newest message; ("l", n) answers up
# to n questions of a diagnosis; ("doc", None) sends a catalogue file.
ANSWER, ANY = ("c", None), ("a", None)
Tour = tuple[str, tuple[tuple[str, Any], ...]]
TOURS: dict[str, tuple[Tour, ...]] = {
    "teacher": (
        ("diagnosis", (("p", "🧭 Самодиагностика"), ("p", "Продолжить|Начать|Пройти заново"), ("l", 60))),
        ("route", (
            ("p", "🗺 Мой ИОМ"), ("p", "Составить ИОМ|Открыть ИОМ"), ("p", "1|2|3"),
            ("p", "Изменить срок|Отметить выполненным|Удалить из маршрута"), ANSWER, ANSWER,
            ("p", "К маршруту|На согласование"), ("p", "На согласование|Скачать DOCX"),
        )),
        ("catalogue", (
            ("p", "🗺 Мой ИОМ"), ("p", "Открыть ИОМ|Составить ИОМ"), ("p", "Добавить из каталога"), ANY, ANY,
            ("p", "На согласование"),
        )),
        ("internships", (
            ("p", "🏫 Стажировки"), ("p", "1|2"), ("p", "Подать заявку|Отозвать заявку"), ("p", "Мои заявки"),
            ANY,
        )),
        ("mentorship", (("p", "🤝 Наставничество"), ANY, ANSWER, ANY, ANSWER, ANY)),
        ("events", (("p", "📅 Мероприятия"), ANY, ("p", "Пойду|Не смогу"), ("p", "Мои мероприятия"))),
        ("profile", (("p", "👤 Профиль"), ANY, ANSWER, ANY, ANY)),
    ),
    "methodist": (
        ("teacher card", (
            ("t", "🗂 Кабинет методиста"), ("p", "Мои педагоги"), ("p", "Зефирова|Кукушкин|Облепихин"),
            ("p", "Согласовать ИОМ|Вернуть на доработку|Официальная диагностика|🗺 ИОМ|График диагностики"),
            ANSWER, ("l", 8), ANY,
        )),
        ("mentors", (
            ("t", "🗂 Кабинет методиста"), ("p", "Молодые педагоги без наставника|Действующие пары|Выдвинуть"),
            ANY, ANY, ANSWER,
        )),
        ("export", (("t", "🗂 Кабинет методиста"), ("p", "Мои педагоги"), ("p", "Выгрузить в Excel"))),
        ("digest", (("t", "/digest"), ANY, ("t", "/digest_settings"), ANY, ANSWER)),
    ),
    "admin": (
        ("event wizard", (
            ("t", "/admin"), ("p", "📅 Мероприятия"), ("p", "Создать"), ANSWER, ANY, ANSWER, ANY, ANSWER,
            ANSWER, ("p", "Пропустить"), ("p", "Методические"), ("p", "Готово"), ("p", "Создать мероприятие"),
            ("p", "Объявить рассылкой"), ANY,
        )),
        ("broadcast wizard", (
            ("t", "/admin"), ("p", "Рассылка"), ("p", "Новая рассылка"), ANSWER, ANSWER, ANY,
            ("p", "Готово — предпросмотр"), ("p", "Отправить сейчас|Запланировать"), ANSWER,
        )),
        ("indicators", (("t", "/admin"), ("p", "Показатели"), ANY, ANY, ANY)),
        ("caseload", (("t", "/caseload"), ANY, ANSWER, ANY, ANY)),
        ("staff", (("t", "/admin"), ("p", "Сотрудники|Действующие приглашения"), ANY)),
        ("import", (("t", "/admin"), ("p", "Импорт каталогов"), ANY, ("doc", None))),
    ),
}  # fmt: skip


@dataclass
class Person:
    user_id: int
    kind: str  # admin | methodist | teacher | newcomer | stranger: what they are now
    name: str | None = None
    language: str = "ru"
    chat: Chat | None = None
    pending_forget: bool = False  # /forget was sent: the next action answers the question
    maybe_forgotten: bool = False  # pressed «Да, удалить всё» (or something like it)
    cast: str = ""  # what they were cast as

    def __post_init__(self) -> None:
        self.cast = self.cast or self.kind


@dataclass
class Failure:
    kind: str
    key: str
    index: int
    user_id: int | None
    update: dict[str, Any] | None
    detail: str


class FuzzChat(Chat):
    """A `Chat` whose every update goes through the fuzzer's checks."""

    fuzzer: Fuzzer

    async def _feed(self, update: dict[str, Any]) -> list[SentMessage]:
        self._seen = len(self.app.stub.outbox)
        await self.fuzzer.feed(update, self.user_id)
        self.replies = [m for m in self.app.stub.outbox[self._seen :] if m.chat_id == self.user_id]
        return self.replies


def _describe(update: dict[str, Any] | None) -> str:
    """The update in a line: who did what where."""
    if not update:
        return "a scripted flow"
    if "job" in update:
        return str(update["job"])
    if "callback_query" in update:
        query = update["callback_query"]
        message = query.get("message") or {}
        kinds = [k for k in ("text", "photo", "document", "caption") if k in message] or ["inaccessible"]
        return (
            f"{query['from']['id']} pressed {query.get('data')!r} on message {message.get('message_id')} "
            f"({', '.join(kinds)})"
        )
    key = "message" if "message" in update else "edited_message"
    message = update.get(key) or {}
    content = message.get("text", message.get("caption"))
    kinds = [k for k in ("photo", "document", "sticker", "voice", "location", "contact", "dice", "video")
             if k in message]  # fmt: skip
    what = f"{'/'.join(kinds)} " if kinds else ""
    if content is not None:
        what += repr(content[:120]) + (f"… ({len(content)} characters)" if len(content) > 120 else "")
    chat = message.get("chat", {})
    return f"{message.get('from', {}).get('id')} sent {what} ({key} in a {chat.get('type')} chat)"


def _tail(trace: str) -> str:
    """The innermost frames of the project's own code in a traceback, and the exception."""
    lines = trace.strip().splitlines()
    for packages in (("handlers", "storage", "domain"), ("bot",)):
        ours = [
            i
            for i, line in enumerate(lines)
            if line.lstrip().startswith("File ") and "/site-packages/" not in line and _ours(line, packages)
        ]
        if ours:
            return "\n".join([*(text for i in ours[-3:] for text in lines[i : i + 2]), lines[-1]])
    return "\n".join(lines[-8:])


class _FakeTime:
    """A monotonic clock that moves only when someone sleeps: pacing without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


class ErrorLog(logging.Handler):
    def __init__(self, fuzzer: Fuzzer) -> None:
        super().__init__(logging.ERROR)
        self.fuzzer = fuzzer

    def emit(self, record: logging.LogRecord) -> None:
        self.fuzzer.error_records.append(record)


def _normalise(text: str) -> str:
    return re.sub(r"\d+", "N", text)[:160]


def _exception_key(error: BaseException) -> str:
    return f"{type(error).__name__}: {_normalise(str(error))} @ {_project_frame(error.__traceback__)}"


def _project_frame(tb: Any) -> str:
    """The innermost frame of the project's handlers, storage or domain code (or else of its bot
    package): where the failure is to be looked for."""
    frames = [f for f in traceback.extract_tb(tb) if "/site-packages/" not in f.filename]
    for packages in (("handlers", "storage", "domain"), ("bot",)):
        ours = [f for f in frames if _ours(f.filename, packages)]
        if ours:
            return f"{'/'.join(ours[-1].filename.split('/')[-2:])}:{ours[-1].lineno} in {ours[-1].name}"
    return ""


def _ours(filename: str, packages: tuple[str, ...]) -> bool:
    return any(f"/{pkg}/" in filename for pkg in packages) and "telegram_stub" not in filename


class Fuzzer:
    def __init__(self, app: App, rng: random.Random) -> None:
        self.app = app
        self.stub = app.stub
        self.rng = rng
        self.index = -1  # the update being fed
        self.people: dict[int, Person] = {}
        self.failures: list[Failure] = []
        self.error_records: list[logging.LogRecord] = []
        self.owner_of_query: dict[str, int] = {}
        self.harmless: Counter[str] = Counter()
        self.pressed: Counter[str] = Counter()  # "prefix:action" of every real button pressed
        self.offered: Counter[str] = Counter()  # "prefix:action" of every button the bot sent
        # What the bot sent, per person: message id -> callback data of its current keyboard.
        self.inline: dict[int, dict[int, list[str]]] = defaultdict(dict)
        self.history: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self.all_data: list[tuple[int, str]] = []
        self.reply_keyboard: dict[int, list[str]] = {}
        self.labels: dict[tuple[int, int], list[tuple[str, str]]] = {}  # (chat, message) -> buttons
        self.media: dict[int, list[int]] = defaultdict(list)  # photos and files the bot sent, per chat
        self.tours: Counter[str] = Counter()
        self._outbox_seen = 0
        self._requests_seen = 0
        self._errors_seen = 0
        self._violations_seen = 0
        self._logged = 0
        self.scripted = 0  # updates of the scripted set-up, before the fuzzing
        self.collecting: list[tuple[dict[str, Any], int]] | None = None
        self.action = "set-up"  # what the fuzz meant to do, for the report
        self.actions: dict[int, str] = {}  # update index -> action
        self.batch: list[tuple[int, int, dict[str, Any]]] = []
        self.secrets = self._secret_words()
        keys = [key for row in MAIN_MENU_KEYS for key in row] + ["menu-methodist", "menu-admin"]
        self.menu_labels = sorted({label for key in keys for label in app.translations.all_texts(key)})

    @staticmethod
    def _secret_words() -> tuple[str, ...]:
        names = [ADMIN_NAME, METHODIST_NAME, ELSEWHERE_NAME, *TEACHERS.values()]
        return tuple(name.split()[0] for name in names)  # the surnames are unique enough

    # --- the cast ------------------------------------------------------------------------------

    def person(self, user_id: int, kind: str, name: str | None = None, language: str = "ru") -> Person:
        # Strangers' Telegram names are markup: whatever greets them must escape it.
        first_name = "<b>Гость</b> & Co" if kind == "stranger" else f"Имя{user_id}"
        chat = FuzzChat(self.app, user_id, first_name=first_name, language_code=language)
        chat.fuzzer = self
        self.app.chats[user_id] = chat
        person = Person(user_id, kind, name, language, chat)
        self.people[user_id] = person
        return person

    async def flow(self, person: Person, what: str, steps: Any) -> bool:
        """A scripted conversation (onboarding, an invite); a step the bot does not offer is a failure."""
        try:
            await steps
        except AssertionError as error:
            self.fail("flow", f"{what}: {_normalise(str(error))}", person.user_id, None, str(error))
            return False
        return True

    async def onboard(self, person: Person) -> bool:
        assert person.chat is not None and person.name is not None
        if person.user_id == ELSEWHERE_ID:
            return await self.flow(person, "onboarding", onboard_elsewhere(person.chat, name=person.name))
        birth, start = ("01.01.1980", "2005") if person.cast != "teacher" else ("14.05.1998", "2024")
        done = await self.flow(
            person, "onboarding", onboard(person.chat, name=person.name, birth=birth, work_start=start)
        )
        if done and person.cast == "methodist":
            await self.make_methodist(person)
        if done and person.cast == "admin":
            for other in self.people.values():
                if (
                    other.cast == "methodist"
                    and other.kind == "teacher"
                    and await self.registered(other.user_id)
                ):
                    await self.make_methodist(other)
        return done

    async def make_methodist(self, person: Person) -> None:
        person.kind = "teacher"
        # Only the admin can invite; while they are gone, the methodist is a teacher.
        if await self.registered(ADMIN_ID) and await self.flow(
            person, "methodist invite", self.promote(person)
        ):
            person.kind = "methodist"

    async def reset(self, person: Person) -> None:
        """Whatever is left of a person (a consent, half a wizard) goes, as a clean slate."""
        assert person.chat is not None
        await person.chat.send("/forget")
        newest = self.newest_buttons(person)
        if newest is not None and "fg:1" in newest[1]:
            await self.press(person, "fg:1", newest[0])

    async def promote(self, person: Person) -> None:
        admin = self.people[ADMIN_ID].chat
        assert admin is not None and person.chat is not None
        await admin.send("/admin")
        await admin.press("Пригласить методиста")
        links = [w for m in admin.replies for w in m.plain_text.split() if w.startswith("https://t.me/")]
        assert links, f"no invite link in: {admin.text}"
        await person.chat.send(f"/start {links[0].split('start=')[1]}")
        person.chat.expect("методист")
        await staff_profile(person.chat)  # a methodist now: the staff profile is asked

    async def registered(self, user_id: int) -> bool:
        async with self.app.database.sessionmaker() as session:
            user = await session.scalar(select(User).where(User.telegram_id == user_id))
            return user is not None and user.profile_completed_at is not None

    # --- feeding and checking ------------------------------------------------------------------

    async def feed(self, update: dict[str, Any], user_id: int) -> None:
        if self.collecting is not None:  # a burst is being put together
            self.collecting.append((update, user_id))
            return
        fed = await self.dispatch(update, user_id)
        self.check([fed])

    async def burst(self, updates: list[tuple[dict[str, Any], int]]) -> None:
        """Several people's updates at once, as polling and webhooks hand them over."""
        fed = await asyncio.gather(*(self.dispatch(update, user_id) for update, user_id in updates))
        self.check(list(fed))

    async def dispatch(self, update: dict[str, Any], user_id: int) -> tuple[int, int, dict[str, Any]]:
        self.index += 1
        index = self.index
        self.actions[index] = self.action
        query = update.get("callback_query")
        if query is not None:
            self.owner_of_query[query["id"]] = user_id
        snapshot = json.loads(json.dumps(update))
        try:
            async with asyncio.timeout(UPDATE_TIMEOUT):
                await self.app.dp.feed_update(
                    self.app.bot, Update.model_validate(update, context={"bot": self.app.bot})
                )
        except Exception as error:  # noqa: BLE001 - every escape is a finding
            trace = "".join(traceback.format_exception(error))
            self.failures.append(
                Failure("unhandled exception", _exception_key(error), index, user_id, snapshot, trace)
            )
        return index, user_id, snapshot

    def fail(
        self, kind: str, key: str, user_id: int | None, update: dict[str, Any] | None, detail: str
    ) -> None:
        index = self.index
        if self.batch and len(self.batch) > 1:
            index = self.batch[0][0]
            indices = ", ".join(str(i) for i, _, _ in self.batch)
            detail += f"\n(in a burst of {len(self.batch)} updates at once: {indices}; replay may differ)"
        self.failures.append(Failure(kind, key, index, user_id, update, detail))

    def check(self, batch: list[tuple[int, int, dict[str, Any]]]) -> None:
        """What the updates of ``batch`` (one, or a burst) did: logs, refusals, answers, messages."""
        self.batch = batch
        _, user_id, update = batch[0]
        for record in self.error_records[self._logged :]:
            exc = record.exc_info[1] if record.exc_info else None
            key = (
                _exception_key(exc)
                if exc is not None
                else f"{record.name}: {_normalise(record.getMessage())}"
            )
            trace = "".join(traceback.format_exception(exc)) if exc is not None else record.getMessage()
            update_id = getattr(record, "update_id", None)
            culprit = next((b for b in batch if b[2].get("update_id") == update_id), batch[0])
            self.failures.append(Failure("ERROR log record", key, culprit[0], culprit[1], culprit[2], trace))
        self._logged = len(self.error_records)

        for violation in self.stub.violations[self._violations_seen :]:
            self.fail("limit violation", _normalise(violation), user_id, update, violation)
        self._violations_seen = len(self.stub.violations)

        for method, status, description in self.stub.errors[self._errors_seen :]:
            if description in HARMLESS_REFUSALS:
                self.harmless[f"{method}: {description[:60]}"] += 1
                continue
            self.fail(
                "refused call", f"{method}: {status} {_normalise(description)}", user_id, update, description
            )
        self._errors_seen = len(self.stub.errors)

        answers: Counter[str] = Counter()
        for method, params in self.stub.requests[self._requests_seen :]:
            if method == "answerCallbackQuery":
                answers[str(params.get("callback_query_id"))] += 1
                owner = self.owner_of_query.get(str(params.get("callback_query_id")))
                if owner in STRANGERS:
                    self.check_stranger(owner, str(params.get("text") or ""), [], update, "alert")
        self._requests_seen = len(self.stub.requests)
        for index, sender, fed in batch:
            query = fed.get("callback_query")
            if query is not None and answers[query["id"]] != 1:
                prefix = str(query.get("data", "")).split(":")[0]
                self.failures.append(
                    Failure(
                        "button not answered exactly once",
                        f"answered {answers[query['id']]} times (callback prefix {prefix!r})",
                        index,
                        sender,
                        fed,
                        f"answerCallbackQuery calls for query {query['id']}: {answers[query['id']]}",
                    )
                )

        # In a burst the messages interleave by chance; taken per chat they come in a fixed order.
        for message in sorted(self.stub.outbox[self._outbox_seen :], key=lambda m: m.chat_id):
            self.track(message)
            if message.chat_id in STRANGERS:
                self.check_stranger(
                    message.chat_id, message.plain_text, message.button_texts, update, message.kind
                )
            if message.chat_id < 0:
                self.fail("answered in a group", message.kind, user_id, update, message.plain_text[:500])
        self._outbox_seen = len(self.stub.outbox)
        self.batch = []

    def check_stranger(
        self, user_id: int, text: str, buttons: list[str], update: dict[str, Any], kind: str
    ) -> None:
        seen = " ".join([text, *buttons])
        leaked = [word for word in self.secrets if word in seen]
        if leaked or kind not in ("text", "alert"):
            self.fail(
                "a stranger saw someone's data",
                f"{kind}: {', '.join(leaked)}",
                user_id,
                update,
                f"sent to {user_id} ({kind}): {seen[:500]}",
            )

    def track(self, message: SentMessage) -> None:
        """Remember the buttons the bot sent, per person and message."""
        chat_id, markup = message.chat_id, message.reply_markup or {}
        if message.kind != "text" and not message.edited:
            self.media[chat_id].append(message.message_id)
        if "keyboard" in markup:
            self.reply_keyboard[chat_id] = [b["text"] for row in markup["keyboard"] for b in row]
        elif markup.get("remove_keyboard"):
            self.reply_keyboard[chat_id] = []
        data = [
            b["callback_data"]
            for row in markup.get("inline_keyboard", [])
            for b in row
            if "callback_data" in b
        ]
        if data:
            self.inline[chat_id][message.message_id] = data
            self.labels[(chat_id, message.message_id)] = [
                (b["text"], b["callback_data"])
                for row in markup["inline_keyboard"]
                for b in row
                if "callback_data" in b
            ]
            history = self.history[chat_id]
            for item in data:
                self.offered[":".join(item.split(":")[:2])] += 1
                history.append((message.message_id, item))
                if len(self.all_data) < 4000:
                    self.all_data.append((chat_id, item))
                else:
                    self.all_data[self.rng.randrange(len(self.all_data))] = (chat_id, item)
            del history[:-400]
        elif message.edited or "keyboard" not in markup:
            self.inline[chat_id].pop(message.message_id, None)

    # --- actions -------------------------------------------------------------------------------

    def pick_person(self) -> Person:
        pending = [p for p in self.people.values() if p.pending_forget]
        if pending and self.rng.random() < 0.7:
            return pending[0]
        weights = {"admin": 14, "methodist": 14, "teacher": 40, "newcomer": 16, "stranger": 16}
        kinds = [kind for kind in weights if any(p.kind == kind for p in self.people.values())]
        kind = self.rng.choices(kinds, weights=[weights[kind] for kind in kinds])[0]
        return self.rng.choice([p for p in self.people.values() if p.kind == kind])

    def allowed(self, person: Person, data: str) -> bool:
        # A stranger never consents (nor follows an invite): they stay unregistered.
        return not (person.kind == "stranger" and data.startswith("c:y"))

    def newest_buttons(self, person: Person) -> tuple[int, list[str]] | None:
        mine = self.inline[person.user_id]
        for message_id in sorted(mine, reverse=True):
            if (person.user_id, message_id) in self.stub.messages:
                return message_id, mine[message_id]
            del mine[message_id]
        return None

    def own_message_id(self, person: Person) -> int:
        """A message in the person's chat to press a forged button on: mostly the newest with
        buttons, sometimes a photo or a file the bot sent, or whatever came last."""
        newest = self.newest_buttons(person)
        roll = self.rng.random()
        if newest is not None and roll < 0.75:
            return newest[0]
        media = [m for m in self.media[person.user_id][-20:] if (person.user_id, m) in self.stub.messages]
        if media and roll < 0.9:
            return self.rng.choice(media)
        message = self.stub.last_message(person.user_id)
        return message.message_id if message is not None else 1

    async def press(self, person: Person, data: str, message_id: int) -> None:
        assert person.chat is not None
        if data == "fg:1":
            person.maybe_forgotten = True
        await person.chat.press_data(data, message_id)

    async def step(self) -> None:
        person = self.pick_person()
        chat = person.chat
        assert chat is not None
        if person.kind in ("admin", "methodist", "teacher") and person.maybe_forgotten:
            person.maybe_forgotten = False
            if not await self.registered(person.user_id):
                self.action = "onboarding again after /forget"
                await self.reset(person)
                if not await self.onboard(person):
                    person.kind = "newcomer"  # no longer a registered person the fuzz relies on
                return
        if person.pending_forget:
            person.pending_forget = False
            newest = self.newest_buttons(person)
            if newest is not None and any(d.startswith("fg:") for d in newest[1]):
                self.action = "answering /forget"
                await self.press(person, "fg:1" if self.rng.random() < 0.7 else "fg:0", newest[0])
                return
        action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        self.action = action
        await getattr(self, f"do_{action}")(person)

    async def jobs(self) -> None:
        """What the scheduler and the broadcast sender do meanwhile: reminders, digests, mentorship
        prompts and broadcasts reach people (with buttons of their own to press)."""
        fake = _FakeTime()
        app = self.app
        pacer = Pacer(1000.0, per_chat=0.0, monotonic=fake.monotonic, sleep=fake.sleep)
        sender = BroadcastSender(
            app.bot, app.database.sessionmaker, app.translations, app.clock, pacer=pacer,
            monotonic=fake.monotonic,
        )  # fmt: skip
        self.index += 1
        self.actions[self.index] = "jobs"
        try:
            await tick(app.bot, app.database.sessionmaker, app.translations, app.clock, pacer)
            for _ in range(100):
                if not await sender.run_once():
                    break
        except Exception as error:  # noqa: BLE001 - every escape is a finding
            trace = "".join(traceback.format_exception(error))
            self.failures.append(
                Failure("unhandled exception", _exception_key(error), self.index, None, None, trace)
            )
        self.check([(self.index, 0, {"update_id": None, "job": "tick and broadcasts"})])

    async def do_burst(self, person: Person) -> None:
        """Two to six people act at the same moment, each with one update."""
        others = [p for p in self.people.values() if p is not person and not p.maybe_forgotten]
        cast = [person, *self.rng.sample(others, min(len(others), self.rng.randint(1, 5)))]
        self.collecting = []
        actions = []
        try:
            for member in cast:
                action = self.rng.choices(list(BURST_ACTIONS), weights=list(BURST_ACTIONS.values()))[0]
                actions.append(action)
                await getattr(self, f"do_{action}")(member)
            updates = self.collecting
        finally:
            self.collecting = None
        self.action = f"burst: {', '.join(actions)}"
        await self.burst(updates)

    async def do_press_newest(self, person: Person) -> None:
        newest = self.newest_buttons(person)
        choices = [d for d in newest[1] if self.allowed(person, d)] if newest else []
        if newest is None or not choices:
            await self.do_menu(person)
            return
        data = self.rng.choice(choices)
        self.pressed[":".join(data.split(":")[:2])] += 1
        await self.press(person, data, newest[0])

    async def do_press_older(self, person: Person) -> None:
        history = [h for h in self.history[person.user_id][-200:] if self.allowed(person, h[1])]
        if not history:
            await self.do_press_newest(person)
            return
        message_id, data = self.rng.choice(history)
        await self.press(person, data, message_id)

    async def do_menu(self, person: Person) -> None:
        assert person.chat is not None
        keyboard = self.reply_keyboard.get(person.user_id) or []
        label = self.rng.choice(keyboard if keyboard and self.rng.random() < 0.85 else self.menu_labels)
        await person.chat.send(label)

    def contextual_text(self, person: Person) -> str | None:
        """A plausible answer to the question the bot asked last, if it asked one."""
        message = self.stub.last_message(person.user_id)
        if message is None:
            return None
        question = message.plain_text
        for pattern, answers in CONTEXT_INPUTS:
            if re.search(pattern, question):
                return self.rng.choice(answers)
        return None

    async def do_sensible_text(self, person: Person) -> None:
        assert person.chat is not None
        text = (self.rng.random() < 0.7 and self.contextual_text(person)) or self.rng.choice(SENSIBLE_TEXTS)
        if person.kind == "stranger" and self.rng.random() < 0.3:
            text = self.rng.choice(self.secrets)  # fishing for someone by their name
        await person.chat.send(text)

    def find_button(self, person: Person, labels: str, depth: int = 6) -> tuple[int, str] | None:
        """A button whose label is one of ``labels`` ("a|b") on the person's newest messages."""
        wanted = labels.split("|")
        mine = self.inline[person.user_id]
        for message_id in sorted(mine, reverse=True)[:depth]:
            if (person.user_id, message_id) not in self.stub.messages:
                continue
            buttons = self.labels.get((person.user_id, message_id), [])
            for match in (str.__eq__, str.startswith, str.__contains__):
                for label in wanted:
                    for text, data in buttons:
                        if match(text, label) and self.allowed(person, data):
                            return message_id, data
        return None

    async def do_tour(self, person: Person) -> None:
        """A scripted excursion into a deeper screen, with plausible answers; it ends quietly where
        the screen it expects is not there (the fuzz took the person elsewhere)."""
        assert person.chat is not None
        tours = TOURS.get(person.kind, ())
        if person.kind in ("admin", "methodist") and self.rng.random() < 0.3:
            tours = TOURS["teacher"]  # staff are teachers too
        if not tours:
            await self.do_press_newest(person)
            return
        name, steps = self.rng.choice(tours)
        self.tours[name] += 1
        self.action = f"tour: {name}"
        for step in steps:
            what, arg = step
            if what == "t":
                await person.chat.send(arg)
            elif what == "c":
                await person.chat.send(self.contextual_text(person) or self.rng.choice(SENSIBLE_TEXTS))
            elif what == "doc":
                content = self.rng.choice(IMPORT_FILES)
                await person.chat._feed(self.stub.message_update(person.user_id, document=content))
            elif what == "a":
                newest = self.newest_buttons(person)
                if newest is None:
                    return
                choices = [d for d in newest[1] if self.allowed(person, d)]
                if choices:
                    await self.press(person, self.rng.choice(choices), newest[0])
            elif what == "l":
                for _ in range(arg):
                    levels = self.rng.sample(LEVELS, len(LEVELS))
                    found = self.find_button(person, "|".join(levels), depth=1)
                    if found is None:
                        break
                    await self.press(person, found[1], found[0])
            else:
                found = self.find_button(person, arg)
                if found is not None:
                    await self.press(person, found[1], found[0])
                    continue
                label = next(
                    (k for k in self.reply_keyboard.get(person.user_id, []) if k in arg.split("|")), None
                )
                if label is None:
                    return
                await person.chat.send(label)

    def random_text(self) -> str:
        roll = self.rng.random()
        length = (
            self.rng.randint(1, 40) if roll < 0.7 else self.rng.randint(41, 1000) if roll < 0.9
            else self.rng.randint(1001, 5000)
        )  # fmt: skip
        return "".join(self.rng.choices(ALPHABET, k=length))

    async def do_random_text(self, person: Person) -> None:
        assert person.chat is not None
        await person.chat.send(self.random_text())

    async def do_command(self, person: Person) -> None:
        assert person.chat is not None
        command = self.rng.choice(COMMANDS)
        if person.kind == "stranger":
            command = command.replace("/start inv_", "/start nv_")
        await person.chat.send(command)
        if command.startswith("/forget") and person.kind in ("admin", "methodist", "teacher"):
            person.pending_forget = True

    async def do_forget(self, person: Person) -> None:
        """/forget half-way through whatever the person was doing."""
        assert person.chat is not None
        await person.chat.send("/forget")
        person.pending_forget = person.kind != "stranger"

    def media_update(self, person: Person) -> dict[str, Any]:
        kind = self.rng.choice(
            ("photo", "photo_caption", "sticker", "document", "voice", "location", "contact", "dice", "video")
        )
        uid = person.user_id
        if kind == "photo":
            return self.stub.message_update(uid, photo=True)
        if kind == "photo_caption":
            return self.stub.message_update(uid, self.random_text()[:1024], photo=True)
        if kind == "sticker":
            return self.stub.message_update(uid, sticker=True)
        if kind == "document":
            name = self.rng.choice(
                ("catalogue.xlsx", "sites.csv", "report.docx", "x", "данные.json", "a.xlsx")
            )
            content = self.rng.choice(
                (
                    self.rng.randbytes(self.rng.randint(1, 300)),
                    b"external_id;title\n1;\xff\xfe\n",
                    "external_id,title,provider\np9,Курс,КОИРО\n".encode(),
                    b"PK\x03\x04" + self.rng.randbytes(64),
                )
            )
            caption = self.random_text()[:200] if self.rng.random() < 0.3 else None
            return self.stub.message_update(uid, caption, document=(name, content))
        update = self.stub.message_update(uid, "x")
        message = update["message"]
        del message["text"]
        if kind == "voice":
            message["voice"] = {"file_id": f"voice{uid}", "file_unique_id": f"v{uid}", "duration": 3}
        elif kind == "location":
            message["location"] = {"latitude": 57.77, "longitude": 40.93}
        elif kind == "contact":
            message["contact"] = {"phone_number": "+79990001122", "first_name": "Кто-то", "user_id": 1_001}
        elif kind == "dice":
            message["dice"] = {"emoji": "🎲", "value": 6}
        else:
            message["video"] = {
                "file_id": f"video{uid}", "file_unique_id": f"vd{uid}", "width": 1, "height": 1, "duration": 1
            }  # fmt: skip
        return update

    async def do_media(self, person: Person) -> None:
        assert person.chat is not None
        await person.chat._feed(self.media_update(person))

    async def do_group(self, person: Person) -> None:
        assert person.chat is not None
        text = self.rng.choice((*COMMANDS, self.random_text(), *self.menu_labels))
        update = self.stub.message_update(person.user_id, text)
        kind = self.rng.choice(("group", "supergroup"))
        update["message"]["chat"] = {
            "id": -100_500 - self.rng.randrange(3),
            "type": kind,
            "title": "Учительская",
        }
        await person.chat._feed(update)

    async def do_edited(self, person: Person) -> None:
        assert person.chat is not None
        update = self.stub.message_update(person.user_id, self.rng.choice((*COMMANDS, *SENSIBLE_TEXTS)))
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = update["edited_message"]["date"] + 5
        await person.chat._feed(update)

    async def do_others_button(self, person: Person) -> None:
        others = [(uid, d) for uid, d in self.all_data if uid != person.user_id and self.allowed(person, d)]
        if not others:
            await self.do_press_newest(person)
            return
        owner, data = self.rng.choice(others)
        message_id = self.own_message_id(person)
        if self.rng.random() < 0.2:
            # The id of one of the other person's messages, which in this chat is something else.
            theirs = [mid for mid, d in self.history[owner] if d == data]
            message_id = theirs[-1] if theirs else message_id
        await self.press(person, data, message_id)

    def mutate(self, data: str) -> str:
        op = self.rng.choice(("number", "number", "number", "field", "truncate", "bytes", "extra", "prefix"))
        parts = data.split(":")
        if op == "number":
            numeric = [i for i, part in enumerate(parts) if re.fullmatch(r"-?\d+", part)]
            if numeric:
                parts[self.rng.choice(numeric)] = self.rng.choice(CALLBACK_NUMBERS)
            else:
                parts.append(self.rng.choice(CALLBACK_NUMBERS))
            data = ":".join(parts)
        elif op == "field" and len(parts) > 1:
            parts[self.rng.randrange(1, len(parts))] = self.rng.choice(
                ("", "x", "ans", "view", "menu", "card", "list", "yes", "1", "None", "<b>", "ы" * 20)
            )
            data = ":".join(parts)
        elif op == "truncate":
            data = data[: self.rng.randrange(max(1, len(data)))]
        elif op == "bytes":
            raw = self.rng.randbytes(self.rng.randint(0, 64))
            data = raw.decode("utf-8", "ignore") if self.rng.random() < 0.5 else raw.decode("latin-1")
        elif op == "extra":
            data += ":" + self.rng.choice((*CALLBACK_NUMBERS, "x", ":", "::"))
        else:
            other = self.rng.choice(self.all_data)[1] if self.all_data else "x:y"
            data = ":".join([other.split(":")[0], *parts[1:]])
        encoded = data.encode("utf-8")[:64]  # Telegram carries at most 64 bytes
        return encoded.decode("utf-8", "ignore")

    async def do_mutated(self, person: Person) -> None:
        source = self.history[person.user_id][-50:] if self.rng.random() < 0.7 else []
        base = (
            self.rng.choice(source)[1]
            if source
            else (self.rng.choice(self.all_data)[1] if self.all_data else "")
        )
        data = self.mutate(base)
        if not self.allowed(person, data):
            data = "c:no"
        await self.press(person, data, self.own_message_id(person))

    async def do_gone_message(self, person: Person) -> None:
        assert person.chat is not None
        variant = self.rng.choice(("never sent", "deleted", "deleted meanwhile"))
        self.action = f"gone_message: {variant}"
        history = [h for h in self.history[person.user_id] if self.allowed(person, h[1])]
        data = self.rng.choice(history)[1] if history else "pf:full_name"
        if variant == "never sent" or not history:
            await self.press(person, data, self.rng.choice((0, 10**6 + self.rng.randrange(1000), 2**31 - 1)))
            return
        newest = self.newest_buttons(person)
        if newest is None:
            await self.press(person, data, 10**6)
            return
        message_id, buttons = (
            newest
            if self.rng.random() < 0.6
            else self.rng.choice(sorted(self.inline[person.user_id].items()))
        )
        buttons = [d for d in buttons if self.allowed(person, d)]
        if not buttons:
            return
        data = self.rng.choice(buttons)
        gone = self.stub.messages.pop((person.user_id, message_id), None)  # the person deleted it
        self.inline[person.user_id].pop(message_id, None)
        update = self.stub.callback_update(person.user_id, message_id, data)
        if variant == "deleted meanwhile" and gone is not None and gone.kind == "text":
            # The press reached the bot before the deletion did: the update still has the message.
            message: dict[str, Any] = {
                "message_id": message_id,
                "from": {"id": self.stub.bot_id, "is_bot": True, "first_name": self.stub.first_name},
                "chat": {"id": person.user_id, "type": "private", "first_name": person.chat.first_name},
                "date": gone.date,
                "text": gone.plain_text,
                "reply_markup": gone.reply_markup,
            }
            if gone.entities:
                message["entities"] = gone.entities
            update["callback_query"]["message"] = message
        if data == "fg:1":
            person.maybe_forgotten = True
        await person.chat._feed(update)

    # --- the report ----------------------------------------------------------------------------

    def report(self, seed: int, count: int, seconds: float) -> str:
        lines = [
            f"fuzz: seed {seed}, {count} fuzzed updates after {self.scripted} scripted ones, "
            f"{seconds:.1f} s in all",
        ]
        groups: dict[tuple[str, str], list[Failure]] = defaultdict(list)
        for failure in self.failures:
            groups[(failure.kind, failure.key)].append(failure)
        if groups:
            lines.append(f"{len(self.failures)} failures of {len(groups)} kinds:")
        for (kind, key), items in sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]))):
            first = items[0]
            update = json.dumps(first.update, ensure_ascii=False) if first.update else "(a scripted flow)"
            if len(update) > 1500:
                update = update[:1500] + f"… ({len(update)} characters)"
            lines += [
                "",
                f"== {kind} ×{len(items)}: {key}",
                f"   first: seed {seed}, update index {first.index}, user {first.user_id} "
                f"({self.people[first.user_id].kind if first.user_id in self.people else '?'}); replay: "
                f"FUZZ_SEED={seed} FUZZ_UPDATES={max(1, first.index + 1 - self.scripted)} "
                "pytest tests/test_fuzz.py",
                f"   what: {_describe(first.update)} [{self.actions.get(first.index, 'set-up')}]",
                f"   update: {update}",
                "   " + _tail(first.detail).replace("\n", "\n   "),
            ]
        if self.harmless:
            lines.append("")
            lines.append("harmless refusals (races with edits and deletions): " + ", ".join(
                f"{key} ×{n}" for key, n in self.harmless.most_common()
            ))  # fmt: skip
        prefixes = Counter(key.split(":")[0] for key in self.offered)
        lines.append("")
        lines.append(
            f"screens reached: {len(self.offered)} kinds of button offered "
            f"({', '.join(f'{p} {n}' for p, n in sorted(prefixes.items()))}); {len(self.pressed)} pressed"
        )
        lines.append("tours: " + ", ".join(f"{k} {n}" for k, n in sorted(self.tours.items())))
        if os.environ.get("FUZZ_VERBOSE"):
            lines.append("offered: " + ", ".join(f"{k} {n}" for k, n in sorted(self.offered.items())))
            lines.append("pressed: " + ", ".join(f"{k} {n}" for k, n in sorted(self.pressed.items())))
        return "\n".join(lines)


async def test_fuzz(app: App, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    caplog.set_level(logging.WARNING)  # not every update's INFO lines: the ERROR ones are caught below
    fuzzer = Fuzzer(app, random.Random(SEED))
    handler = ErrorLog(fuzzer)
    logging.getLogger().addHandler(handler)
    try:
        await seed_catalogue(app)
        await kostroma_with(app, susanino(METHODIST_ID))  # the methodist gets Сусанино's teachers
        cast = [
            fuzzer.person(ADMIN_ID, "admin", ADMIN_NAME),
            fuzzer.person(METHODIST_ID, "methodist", METHODIST_NAME),
            *(fuzzer.person(uid, "teacher", name) for uid, name in TEACHERS.items()),
            fuzzer.person(ELSEWHERE_ID, "teacher", ELSEWHERE_NAME),
        ]
        for uid, language in NEWCOMERS.items():
            fuzzer.person(uid, "newcomer", language=language)
        for uid, language in STRANGERS.items():
            fuzzer.person(uid, "stranger", language=language)
        for person in cast:
            await fuzzer.onboard(person)
        # One teacher with a finished diagnosis and a route, one half-way through a diagnosis.
        first, second = (fuzzer.people[uid].chat for uid in list(TEACHERS)[:2])
        assert first is not None and second is not None
        await fuzzer.flow(fuzzer.people[1_001], "diagnosis", _diagnose(first, answers=None))
        await fuzzer.flow(fuzzer.people[1_001], "route", first.press("Составить ИОМ"))
        await fuzzer.flow(fuzzer.people[1_002], "diagnosis", _diagnose(second, answers=5))

        fuzzer.scripted = scripted = fuzzer.index + 1
        steps = 0
        while fuzzer.index + 1 < scripted + UPDATES:
            steps += 1
            if steps % 700 == 0:
                app.clock.advance(hours=fuzzer.rng.choice((1, 5, 24, 72)))
                await fuzzer.jobs()
            if steps % 2500 == 0:
                app.restart()  # a new process over the same database: conversations must survive
            await fuzzer.step()
        fuzzed = fuzzer.index + 1 - scripted

        # Whatever happened, a new teacher still gets to the main menu.
        fresh = fuzzer.person(FRESH_ID, "teacher", FRESH_NAME)
        if await fuzzer.onboard(fresh):
            assert fresh.chat is not None
            await fresh.chat.send("/menu")
            if "🧭 Самодиагностика" not in fresh.chat.reply_keyboard():
                fuzzer.fail("flow", "a fresh teacher has no main menu", FRESH_ID, None, fresh.chat.text)
            if not await fuzzer.registered(FRESH_ID):
                fuzzer.fail("flow", "a fresh teacher is not registered", FRESH_ID, None, "")
        async with app.database.sessionmaker() as session:
            for uid in STRANGERS:
                if await session.scalar(select(User.id).where(User.telegram_id == uid)) is not None:
                    fuzzer.fail("a stranger saw someone's data", "a stranger was registered", uid, None, "")
    finally:
        logging.getLogger().removeHandler(handler)

    report = fuzzer.report(SEED, fuzzed, time.perf_counter() - started)
    with capsys.disabled():
        print("\n" + report)
    # The failures are in the report; the fixture's own checks would only repeat them.
    app.stub.violations.clear()
    caplog.clear()
    assert not fuzzer.failures, report


async def _diagnose(chat: Chat, *, answers: int | None) -> None:
    from tests.test_diagnosis_flow import answer_all

    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await answer_all(chat, {"methodical": "1.", "it_digital": "2."}, count=answers)
