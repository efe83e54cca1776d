"""The methodist's daily digest on Telegram: on demand, paged by section, and its settings.

What a digest holds, and who may see or change what, is decided by ``services.digest``; here it
is put into words, a chart and buttons. The scheduler (owned by ``bot/``) reaches
:func:`render_digest` through ``bot.factory.Presenters`` for each methodist with a caseload and
sends what it returns — nothing at all on a quiet day when the methodist asked for that.
``/digest`` and the workspace button show the same digest at any time. Teachers never reach
these handlers: a teacher's ``/digest`` is an unknown command, a forged button gets «Нет доступа»
from ``methodist.denied``.
"""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from domain.digest import QUIET_DAYS, Digest, Entry, Kind, Section, short_name
from domain.roles import Role
from handlers.callbacks import DigestAction, DigestCb, WorkspaceAction, WorkspaceCb
from handlers.charts import DEFICIT_COLOR, DPI, FONT, TEXT_COLOR, WIDTH_IN
from handlers.filters import RoleFilter
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import edit_text, no_access, refused
from handlers.render_worker import render_in_worker
from locales import Translator
from services import digest as service
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="digest")
router.message.filter(RoleFilter(Role.METHODIST, Role.ADMIN))
router.callback_query.filter(RoleFilter(Role.METHODIST, Role.ADMIN))

RECENT = timedelta(days=2)  # shown with the time of day
PRESET_TIMES = ("07:00", "08:00", "08:30", "09:00", "12:00", "17:00")
NAME_LIMIT = 60  # characters of a name in the text; names may be 200 long
TEXT_LIMIT = 4096  # Telegram's limit, measured below in UTF-16 units like Telegram does
EMOJI = {
    Kind.NEW: "🆕",
    Kind.DIAGNOSED: "📝",
    Kind.AWAITING: "⏳",
    Kind.OVERDUE: "⌛",
    Kind.EVIDENCE: "📎",
    Kind.YOUNG: "🌱",
    Kind.INACTIVE: "💤",
}
# Sections whose every entry is new by definition: marking each one would only add noise.
ALL_FRESH = frozenset({Kind.NEW, Kind.DIAGNOSED})
# A typed answer that looks like an attempt at a time; other text goes on to the other routers,
# so a menu button or a command still works while the question is open.
TIME_LIKE = r"^[\d\s:.]{1,8}$"


class DigestSettingsForm(StatesGroup):
    time = State()


@dataclass
class DigestMessage:
    """What to send: the chart (a PNG photo, first) when there is one, then the text with buttons."""

    text: str
    markup: InlineKeyboardMarkup | None
    chart: bytes | None


async def render_digest(
    uow: UnitOfWork,
    methodist: User,
    t: Translator,
    *,
    since: datetime | None = None,
    page: int = 0,
    section: Kind | None = None,
    on_demand: bool = False,
    with_chart: bool = True,
) -> DigestMessage | None:
    """The digest of ``methodist``'s caseload as of the unit of work's clock; "new" means since
    ``since`` (24 h before).

    By default it is the scheduled digest: on a day with nothing new it is one short line, or
    None when the methodist chose "nothing" (``MethodistSettings.quiet_days``). ``on_demand``
    always gives the whole digest. ``section`` gives that section's ``page`` instead (no chart).
    None too when the methodist's own role has no digest.
    """
    if section is not None:
        shown_page = await service.section_page(uow, methodist, Role(methodist.role), section, page)
        return None if isinstance(shown_page, Stale | Denied) else _section_message(shown_page, t)
    if on_demand:
        today = await service.today(uow, methodist, Role(methodist.role), since=since)
        return None if isinstance(today, Denied) else await _digest_message(today, t, with_chart)
    shown = await service.scheduled(uow, methodist, since=since)
    if shown is None:
        return None
    if isinstance(shown, service.QuietLine):
        return DigestMessage(_View.of(shown, t).quiet_line(shown.digest), _open_button(t), None)
    return await _digest_message(shown, t, with_chart)


# --- handlers -------------------------------------------------------------------------------------


@router.message(Command("digest"))
async def digest_command(
    message: Message, uow: UnitOfWork, rules: RegionRules, role: Role, user: User, t: Translator
) -> None:
    today = await service.today(uow, user, role, rules=rules)
    if isinstance(today, Denied):
        await no_access(message, t)
        return
    await _send(message, await _digest_message(today, t))


@router.callback_query(DigestCb.filter(F.action == DigestAction.SHOW))
async def digest_button(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    today = await service.today(uow, user, role, rules=rules)
    if isinstance(today, Denied):
        await no_access(query, t)
        return
    await query.answer()
    await _send(message, await _digest_message(today, t))


@router.callback_query(DigestCb.filter(F.action == DigestAction.PAGE))
async def section_page(
    query: CallbackQuery,
    message: Message,
    callback_data: DigestCb,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    shown = await service.section_page(uow, user, role, callback_data.choice, callback_data.page, rules=rules)
    if isinstance(shown, (Stale, Denied)):
        await refused(query, shown, t)
        return
    digest = _section_message(shown, t)
    await query.answer()
    await edit_text(message, digest.text, reply_markup=digest.markup)


@router.callback_query(DigestCb.filter(F.action == DigestAction.BACK))
async def back_to_overview(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    today = await service.today(uow, user, role, rules=rules)
    if isinstance(today, Denied):
        await no_access(query, t)
        return
    digest = await _digest_message(today, t, with_chart=False)
    await query.answer()
    await edit_text(message, digest.text, reply_markup=digest.markup)


@router.message(Command("digest_settings"))
async def settings_command(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    await state.clear()
    settings = await service.settings(uow, user, role, rules)
    if isinstance(settings, Denied):
        await no_access(message, t)
        return
    text, markup = _settings_view(settings, t)
    await message.answer(text, reply_markup=markup)


@router.callback_query(DigestCb.filter(F.action == DigestAction.SETTINGS))
async def settings_button(
    query: CallbackQuery,
    message: Message,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    settings = await service.settings(uow, user, role, rules)
    if isinstance(settings, Denied):
        await no_access(query, t)
        return
    text, markup = _settings_view(settings, t)
    await query.answer()
    await message.answer(text, reply_markup=markup)


@router.callback_query(DigestCb.filter(F.action.in_({DigestAction.TIME, DigestAction.QUIET})))
async def change_setting(
    query: CallbackQuery,
    message: Message,
    callback_data: DigestCb,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    saved: service.TimeSaved | service.QuietSaved | Stale | Denied
    if callback_data.action == DigestAction.TIME:
        saved = await service.set_preset_time(uow, user, role, rules, callback_data.choice)
    else:
        saved = await service.set_quiet(uow, user, role, rules, callback_data.choice)
    if isinstance(saved, (Stale, Denied)):
        await refused(query, saved, t)
        return
    if isinstance(saved, service.TimeSaved):
        await query.answer(t("digest-time-saved", time=saved.settings.digest_time))
    else:
        await query.answer(t("digest-quiet-saved"))
    text, markup = _settings_view(saved.settings, t)
    await edit_text(message, text, reply_markup=markup)


@router.callback_query(DigestCb.filter(F.action == DigestAction.OTHER_TIME))
async def ask_time(query: CallbackQuery, message: Message, state: FSMContext, t: Translator) -> None:
    await state.set_state(DigestSettingsForm.time)
    await query.answer()
    await message.answer(t("digest-ask-time"))


@asks_again(DigestSettingsForm.time, expects=Expects.TEXT)
async def ask_time_again(asking: Asking) -> bool:
    await asking.message.answer(asking.t("digest-ask-time"))
    return True


@router.message(DigestSettingsForm.time, F.text.regexp(TIME_LIKE))
async def got_time(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    rules: RegionRules,
    role: Role,
    user: User,
    t: Translator,
) -> None:
    saved = await service.set_time(uow, user, role, rules, message.text)
    if isinstance(saved, Invalid):
        await message.answer(t(saved.key, **saved.args))
        return
    await state.clear()
    if isinstance(saved, Denied):
        await no_access(message, t)
        return
    text, markup = _settings_view(saved.settings, t)
    await message.answer(
        t("digest-time-saved", time=saved.settings.digest_time) + "\n\n" + text, reply_markup=markup
    )


# --- rendering ------------------------------------------------------------------------------------


async def _digest_message(today: service.Today, t: Translator, with_chart: bool = True) -> DigestMessage:
    """The overview: the counts and top entries, the deficits' chart when anyone is diagnosed."""
    digest = today.digest
    if digest.teachers == 0:
        return DigestMessage(t("digest-empty-caseload"), None, None)
    chart = None
    if with_chart and digest.diagnosed:
        chart = await render_in_worker(deficit_chart_call(digest, t))  # matplotlib takes ~0.1 s
    text, shown = _View.of(today, t).overview(digest)
    return DigestMessage(text, _overview_markup(digest, shown, t), chart)


async def _send(message: Message, digest: DigestMessage) -> None:
    if digest.chart is not None:
        await message.answer_photo(BufferedInputFile(digest.chart, filename="digest.png"))
    await message.answer(digest.text, reply_markup=digest.markup)


@dataclass(frozen=True)
class _View:
    """Puts a digest into words: one translator, one time zone, one moment."""

    t: Translator
    zone: ZoneInfo
    now: datetime
    inactivity_days: int

    @classmethod
    def of(cls, shown: service.Today | service.QuietLine | service.SectionPage, t: Translator) -> _View:
        days = shown.inactivity_days if not isinstance(shown, service.QuietLine) else 0
        return cls(t, ZoneInfo(shown.timezone), shown.now, days)

    def quiet_line(self, digest: Digest) -> str:
        return self.t("digest-quiet", date=self.now.astimezone(self.zone).date(), teachers=digest.teachers)

    def overview(self, digest: Digest) -> tuple[str, int]:
        """Counts first, then the top entries of each section, as many as fit in one message
        (names may be 200 characters long); the text, and how many entries per section it shows."""
        for shown in range(digest.top, -1, -1):
            text = self._overview(digest, shown)
            if _utf16_len(text) < TEXT_LIMIT:
                return text, shown
        raise AssertionError("the counts alone exceed a message")  # seven short lines: unreachable

    def _overview(self, digest: Digest, shown: int) -> str:
        t = self.t
        counts = [t("digest-title", date=self.now.astimezone(self.zone).date(), teachers=digest.teachers)]
        for section in digest.sections:
            line = f"{EMOJI[section.kind]} {self.count(section)}"
            if section.fresh and section.kind not in ALL_FRESH:
                line += " " + t("digest-fresh", count=section.fresh)
            counts.append(line)
        blocks = ["\n".join(counts)]
        for section in digest.sections:
            if not section.count or not shown:
                continue
            lines = [self.heading(section)]
            lines += [self.line(section.kind, entry) for entry in section.entries[:shown]]
            if section.count > shown:
                lines.append(t("digest-more", count=section.count - shown))
            blocks.append("\n".join(lines))
        if any(s.fresh for s in digest.sections if s.kind not in ALL_FRESH):
            blocks.append(f"<i>{t('digest-legend')}</i>")
        return "\n\n".join(blocks)

    def count(self, section: Section) -> str:
        key = f"digest-count-{section.kind.value}"
        return self.t(key, count=section.count, items=section.quantity, days=self.inactivity_days)

    def heading(self, section: Section) -> str:
        return f"{EMOJI[section.kind]} <b>{self.t(f'digest-head-{section.kind.value}')}</b>"

    def line(self, kind: Kind, entry: Entry) -> str:
        t = self.t
        name = _clip(entry.name, NAME_LIMIT)
        when = self.when(entry.at)
        match kind:
            case Kind.DIAGNOSED if entry.areas:
                areas = ", ".join(t(f"area-{code}") for code in entry.areas)
                text = t("digest-line-diag", name=name, areas=areas)
            case Kind.DIAGNOSED:
                text = t("digest-line-diag-none", name=name)
            case Kind.INACTIVE if entry.at is None:
                text = t("digest-line-idle-never", name=name)
            case _:
                text = t(f"digest-line-{kind.value}", name=name, when=when, items=entry.quantity)
        if entry.fresh and kind not in ALL_FRESH:
            text = f"{t('digest-fresh-mark')} {text}"
        return f"• {text}"

    def when(self, moment: datetime | None) -> str:
        """The hour matters for what happened in the last two days, the year only when it differs."""
        if moment is None:
            return "—"
        local = moment.astimezone(self.zone)
        if self.now - moment < RECENT:
            return local.strftime("%d.%m %H:%M")
        if local.year != self.now.astimezone(self.zone).year:
            return local.strftime("%d.%m.%Y")
        return local.strftime("%d.%m")


def _overview_markup(digest: Digest, shown: int, t: Translator) -> InlineKeyboardMarkup:
    """A button per teacher in the text (marked with their sections), then «all N» per longer section.

    Rows are built directly: ``InlineKeyboardBuilder`` deep-copies its markup on every button,
    which made the keyboard cost as much as the whole snapshot.
    """
    people: dict[int, tuple[list[str], str]] = {}
    for section in digest.sections:
        for entry in section.entries[:shown]:
            marks, _ = people.setdefault(entry.teacher_id, ([], entry.name))
            marks.append(EMOJI[section.kind])
    teachers = [
        _button(
            f"{''.join(marks)} {short_name(name)}",
            WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=teacher_id),
        )
        for teacher_id, (marks, name) in people.items()
    ]
    rows = [teachers[i : i + 2] for i in range(0, len(teachers), 2)]
    for section in digest.sections:
        if section.count > shown:
            label = t("digest-btn-all", section=t(f"digest-short-{section.kind.value}"), count=section.count)
            rows.append(
                [
                    _button(
                        f"{EMOJI[section.kind]} {label}",
                        DigestCb(action=DigestAction.PAGE, choice=section.kind.value),
                    )
                ]
            )
    rows.append([_button(t("digest-btn-settings"), DigestCb(action=DigestAction.SETTINGS))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _section_message(shown: service.SectionPage, t: Translator) -> DigestMessage:
    view, section, page = _View.of(shown, t), shown.section, shown.page
    lines = [
        f"{view.heading(section)}: {section.count} · {t('digest-page', page=page + 1, pages=shown.pages)}"
    ]
    lines += [view.line(section.kind, entry) for entry in shown.entries] or [t("digest-page-empty")]
    rows = [
        [
            _button(
                short_name(entry.name, 40),
                WorkspaceCb(action=WorkspaceAction.CARD, teacher_id=entry.teacher_id),
            )
        ]
        for entry in shown.entries
    ]
    kind = section.kind.value
    nav = []
    if page > 0:
        nav.append(_button(t("btn-prev"), DigestCb(action=DigestAction.PAGE, choice=kind, page=page - 1)))
    if page + 1 < shown.pages:
        nav.append(_button(t("btn-next"), DigestCb(action=DigestAction.PAGE, choice=kind, page=page + 1)))
    rows += [nav] if nav else []
    rows.append([_button(t("digest-btn-back"), DigestCb(action=DigestAction.BACK))])
    return DigestMessage("\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows), None)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _open_button(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(t("digest-btn-open"), DigestCb(action=DigestAction.SHOW))]]
    )


def _settings_view(settings: service.Settings, t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "digest-settings",
        time=settings.digest_time,
        zone=settings.timezone,
        next=settings.next_at.strftime("%d.%m %H:%M"),
        quiet=t(f"digest-quiet-{settings.quiet_days}"),
    )
    kb = Keyboard()
    for preset in PRESET_TIMES:
        mark = "✓ " if preset == settings.digest_time else ""
        kb.button(
            text=mark + preset,
            callback_data=DigestCb(action=DigestAction.TIME, choice=preset.replace(":", "")),
        )
    custom = settings.digest_time not in PRESET_TIMES
    other = t("digest-btn-time-other") + (f" ✓ {settings.digest_time}" if custom else "")
    kb.button(text=other, callback_data=DigestCb(action=DigestAction.OTHER_TIME))
    for quiet in QUIET_DAYS:
        mark = "✓ " if quiet == settings.quiet_days else ""
        kb.button(
            text=mark + t(f"digest-btn-quiet-{quiet}"),
            callback_data=DigestCb(action=DigestAction.QUIET, choice=quiet),
        )
    kb.button(text=t("digest-btn-open"), callback_data=DigestCb(action=DigestAction.SHOW))
    kb.adjust(3, 3, 1, 2, 1)
    return text, kb.as_markup()


# --- the chart ------------------------------------------------------------------------------------


def deficit_chart(digest: Digest, t: Translator) -> bytes:
    """Deficits across the caseload: per area, how many of the diagnosed teachers have it (PNG)."""
    return deficit_chart_call(digest, t)()


def deficit_chart_call(digest: Digest, t: Translator) -> functools.partial[bytes]:
    """:func:`deficit_chart` as a call on plain data: translated here, drawn by whoever calls it."""
    return functools.partial(
        count_chart,
        [t(f"area-{code}") for code, _ in digest.deficits],
        [count for _, count in digest.deficits],
        total=digest.diagnosed,
        title=t("digest-chart-title", count=digest.diagnosed),
        axis_label=t("digest-chart-axis"),
    )


def count_chart(
    labels: Sequence[str], counts: Sequence[int], *, total: int, title: str, axis_label: str
) -> bytes:
    """Horizontal bars of ``counts`` out of ``total``, first label on top; drawn like ``area_chart``."""
    n = len(labels)
    fig = Figure(figsize=(WIDTH_IN, min(7.0, max(3.5, 1.4 + 0.55 * n))), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    try:
        ax = fig.add_subplot()
        top = max(total, 1)
        ax.barh(range(n), counts, height=0.6, color=DEFICIT_COLOR, zorder=2)
        for i, count in enumerate(counts):
            share = round(100 * count / top)
            ax.text(
                count + top * 0.01,
                i,
                f"{count} ({share}%)",
                va="center",
                ha="left",
                fontfamily=FONT,
                fontsize=10,
                color=TEXT_COLOR,
                zorder=4,
            )
        ax.set_xlim(0, top * 1.18)  # room for the label right of the longest bar
        ax.set_ylim(max(n, 1) - 0.5, -0.5)
        ax.set_yticks(
            range(n),
            labels=[textwrap.fill(label, 24) for label in labels],
            fontfamily=FONT,
            fontsize=9.5,
            color=TEXT_COLOR,
        )
        locator = ax.xaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
            locator.set_params(integer=True)
        ax.set_xlabel(axis_label, fontfamily=FONT, fontsize=9, color=TEXT_COLOR)
        ax.tick_params(axis="x", labelsize=9, colors=TEXT_COLOR)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color="#E3E3E3", linewidth=0.8, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.suptitle(textwrap.fill(title, 64), fontfamily=FONT, fontsize=12, color=TEXT_COLOR)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()
    finally:
        fig.clear()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
