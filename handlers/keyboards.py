"""Keyboards. Every label comes from the catalogues; every callback from ``handlers.callbacks``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.paging import page_of
from domain.profile import SUBJECTS, Position, Qualification
from domain.roles import Role, StaffTitle
from handlers.callbacks import (
    AccountAction,
    AccountCb,
    AdminAction,
    AdminCb,
    AlsoTeacherCb,
    ConsentAction,
    ConsentCb,
    ForgetCb,
    MentorAction,
    MentorCb,
    PickAction,
    PickCb,
    PickKind,
    PositionCb,
    ProfileAction,
    ProfileCb,
    QualificationCb,
    RegionCb,
    StaffTitleCb,
    SubjectAction,
    SubjectCb,
)
from locales import Translator
from services.regions import Bodies

MAIN_MENU_KEYS = (
    ("menu-diagnosis", "menu-route"),
    ("menu-internships", "menu-mentorship"),
    ("menu-events", "menu-profile"),
    ("menu-inbox", "menu-help"),
)
STAFF_MENU_KEYS = {Role.METHODIST: ("menu-methodist",), Role.ADMIN: ("menu-methodist", "menu-admin")}
PICKER_PAGE_SIZE = 8


class Keyboard(InlineKeyboardBuilder):
    """aiogram's inline keyboard builder without its deep copies: ``export`` (which ``add``, and so
    every ``button``, calls) deep-copied the whole markup, pydantic models and all — a quarter of
    the CPU of a diagnosis answer. Rows are copied, buttons shared: a builder is thrown away once
    its markup is made."""

    def export(self) -> list[list[InlineKeyboardButton]]:
        return [list(row) for row in self._markup]


def main_menu(t: Translator, role: Role, waiting: int = 0) -> ReplyKeyboardMarkup:
    """The menu; «Входящие» carries the number of entries waiting, if any (``MenuButton`` reads the
    label with or without it)."""

    def label(key: str) -> str:
        return t("menu-inbox-count", count=waiting) if key == "menu-inbox" and waiting else t(key)

    rows = [[KeyboardButton(text=label(key)) for key in row] for row in MAIN_MENU_KEYS]
    staff = STAFF_MENU_KEYS.get(role)
    if staff:
        rows.append([KeyboardButton(text=t(key)) for key in staff])
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)


def consent(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("btn-consent-yes"), callback_data=ConsentCb(action=ConsentAction.YES))
    kb.button(text=t("btn-consent-no"), callback_data=ConsentCb(action=ConsentAction.NO))
    kb.button(text=t("btn-switch-language"), callback_data=ConsentCb(action=ConsentAction.LANGUAGE))
    kb.adjust(2, 1)
    return kb.as_markup()


def positions(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for position in Position:
        kb.button(text=t(f"position-{position.value}"), callback_data=PositionCb(code=position))
    kb.adjust(1)
    return kb.as_markup()


def staff_titles(t: Translator, bodies: Bodies | None = None) -> InlineKeyboardMarkup:
    """The staff role titles; «Специалист ЦНППМ/ИРО» under the region's names of its bodies."""
    names = (bodies or Bodies()).fluent()
    kb = Keyboard()
    for title in StaffTitle:
        kb.button(text=t(f"staff-title-{title.value}", **names), callback_data=StaffTitleCb(code=title))
    kb.adjust(1)
    return kb.as_markup()


def also_teacher(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("btn-also-teacher-yes"), callback_data=AlsoTeacherCb(also=True))
    kb.button(text=t("btn-also-teacher-no"), callback_data=AlsoTeacherCb(also=False))
    kb.adjust(1)
    return kb.as_markup()


def regions(items: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for code, name in items:
        kb.button(text=name, callback_data=RegionCb(code=code))
    kb.adjust(1)
    return kb.as_markup()


def picker(
    t: Translator, kind: PickKind, items: Sequence[tuple[int, str]], page: int
) -> InlineKeyboardMarkup:
    """One page of a directory with paging and «Нет в списке»."""
    shown, page, pages = page_of(items, page, PICKER_PAGE_SIZE)
    kb = Keyboard()
    for item_id, name in shown:
        kb.row(
            InlineKeyboardButton(
                text=name, callback_data=PickCb(kind=kind, action=PickAction.ITEM, item_id=item_id).pack()
            )
        )
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(_pick_button(t("btn-prev"), kind, PickAction.PAGE, page - 1))
        nav.append(_pick_button(t("picker-page", page=page + 1, pages=pages), kind, PickAction.NOOP, page))
        if page < pages - 1:
            nav.append(_pick_button(t("btn-next"), kind, PickAction.PAGE, page + 1))
        kb.row(*nav)
    kb.row(_pick_button(t("btn-not-in-list"), kind, PickAction.NONE, 0))
    return kb.as_markup()


def _pick_button(text: str, kind: PickKind, action: PickAction, page: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=PickCb(kind=kind, action=action, page=page).pack())


def subjects(t: Translator, selected: Iterable[str]) -> InlineKeyboardMarkup:
    chosen = set(selected)
    kb = Keyboard()
    for code in SUBJECTS:
        mark = "✅ " if code in chosen else ""
        kb.button(
            text=mark + t(f"subject-{code}"), callback_data=SubjectCb(action=SubjectAction.TICK, subject=code)
        )
    kb.adjust(2)
    kb.row(
        InlineKeyboardButton(text=t("btn-done"), callback_data=SubjectCb(action=SubjectAction.DONE).pack())
    )
    return kb.as_markup()


def qualifications(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for item in Qualification:
        kb.button(text=t(f"qualification-{item.value}"), callback_data=QualificationCb(code=item))
    kb.adjust(1)
    return kb.as_markup()


PROFILE_FIELDS = (
    "full_name",
    "position",
    "workplace",
    "subjects",
    "birth_date",
    "work_start",
    "qualification",
)


def profile(
    t: Translator, mentor: bool | None = None, fields: Sequence[str] = PROFILE_FIELDS
) -> InlineKeyboardMarkup:
    """The profile's edit buttons (``fields``: a staff profile has its own); ``mentor`` is whether
    the person is in the mentor registry (None when they may not mentor yet, and no button is
    shown)."""
    kb = Keyboard()
    for field in fields:
        kb.button(
            text=t(f"btn-edit-{field.replace('_', '-')}"),
            callback_data=ProfileCb(action=ProfileAction(field)),
        )
    kb.button(text=t("btn-switch-language"), callback_data=ProfileCb(action=ProfileAction.LANGUAGE))
    kb.button(text=t("btn-notifications"), callback_data=ProfileCb(action=ProfileAction.NOTIFICATIONS))
    kb.button(text=t("btn-link-account"), callback_data=ProfileCb(action=ProfileAction.LINK))
    if mentor is not None:
        kb.button(
            text=t("mentor-btn-optout") if mentor else t("mentor-btn-optin"),
            callback_data=MentorCb(action=MentorAction.OPT_OUT if mentor else MentorAction.OPT_IN),
        )
    kb.adjust(2)
    return kb.as_markup()


def forget_confirm(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    kb.button(text=t("btn-forget-yes"), callback_data=ForgetCb(confirm=True))
    kb.button(text=t("btn-cancel"), callback_data=ForgetCb(confirm=False))
    kb.adjust(1)
    return kb.as_markup()


ADMIN_ACTIONS = (
    AdminAction.INVITE_METHODIST,
    AdminAction.INVITE_ADMIN,
    AdminAction.INVITES,
    AdminAction.STAFF,
    AdminAction.BROADCAST,
    AdminAction.EVENTS,
    AdminAction.IMPORT,
    AdminAction.INDICATORS,
)


def admin_menu(t: Translator) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for action in ADMIN_ACTIONS:
        kb.button(text=t(f"admin-btn-{action.replace('_', '-')}"), callback_data=AdminCb(action=action))
    kb.adjust(1)
    return kb.as_markup()


def admin_list(t: Translator, items: Iterable[tuple[AdminCb, str]]) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for button, label in items:
        kb.button(text=label, callback_data=button)
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    kb.adjust(1)
    return kb.as_markup()


def confirm(
    t: Translator, yes: str, confirmed: CallbackData, cancelled: CallbackData
) -> InlineKeyboardMarkup:
    """A destructive action's confirmation: ``yes`` (what it does, «Да, снять») and «Отмена»."""
    kb = Keyboard()
    kb.button(text=yes, callback_data=confirmed)
    kb.button(text=t("btn-cancel"), callback_data=cancelled)
    kb.adjust(2)
    return kb.as_markup()


# --- linked accounts (issue 16) ---


def with_unlink(
    t: Translator, markup: InlineKeyboardMarkup, linked: Iterable[tuple[int, str]]
) -> InlineKeyboardMarkup:
    """The profile's buttons and «Отвязать <messenger>» for each linked account (its link id and
    messenger)."""
    rows = [
        [
            InlineKeyboardButton(
                text=t("btn-unlink", messenger=t(f"messenger-{messenger}")),
                callback_data=AccountCb(action=AccountAction.UNLINK, link_id=link_id).pack(),
            )
        ]
        for link_id, messenger in linked
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, *rows])
