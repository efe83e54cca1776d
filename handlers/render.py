"""Rendering shared by several routers: the profile card, the main menu, edits and alerts."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup

from domain.profile import age_on, experience_years
from domain.roles import Role
from handlers import keyboards
from locales import Translator
from services import inbox
from services.profile import ProfileCard
from services.regions import RegionRules
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import ProfessionalRecord, Region, User

log = logging.getLogger(__name__)


def local_time(moment: datetime, timezone: str) -> str:
    """A moment as «ДД.ММ.ГГГГ ЧЧ:ММ» on the clock of ``timezone``."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M")


def region_name(region: Region, t: Translator) -> str:
    """The region's name in the reader's language (Russian, else English)."""
    return region.name if t.locale == "ru" else region.name_en


def profile_card(card: ProfileCard, t: Translator) -> str:
    """The profile card (``services.profile.card``): a teacher's, or a staff member's with what
    they fill in as a teacher after it for one who also teaches."""
    user = card.user
    teacher = _teacher_fields(card, t)
    service = "\n" + t("profile-mms", name=card.methodical_service) if card.methodical_service else ""
    if card.records:
        service += "\n\n" + records_section(card.records, t)
    if not card.staff:
        return (
            t("profile-card", **teacher, role=t(f"role-{user.role}"), language=t("language-name")) + service
        )
    staff = t(
        "staff-card",
        full_name=user.full_name,
        staff_title=t(f"staff-title-{user.staff_title}", **card.bodies.fluent())
        if user.staff_title
        else None,
        organisation=user.organisation,
        region=teacher["region"],
        municipality=teacher["municipality"],
        also_teacher=t("yes") if card.teaches else t("no"),
        role=t(f"role-{user.role}"),
        language=t("language-name"),
    )
    if not card.teaches:
        return staff + service
    return staff + service + "\n\n" + t("staff-card-teaching", **teacher)


def records_section(records: Sequence[ProfessionalRecord], t: Translator) -> str:
    """A person's or a school's contests, presented опыт and roles, a line each (newest first)."""
    lines = [t("rec-section")]
    for record in records:
        args = {
            "date": record.happened_on,
            "kind": t(f"rec-kind-{record.kind}"),
            "level": t(f"rec-level-{record.level}"),
            "title": record.title,
        }
        if record.result:
            lines.append(t("rec-line-result", **args, result=t(f"rec-result-{record.result}")))
        else:
            lines.append(t("rec-line", **args))
    return "\n".join(lines)


def _teacher_fields(card: ProfileCard, t: Translator) -> dict[str, str | None]:
    user, today = card.user, card.today
    return dict(
        full_name=user.full_name,
        position=t(f"position-{user.position}") if user.position else None,
        region=region_name(user.region, t) if user.region is not None else None,
        municipality=user.municipality.name if user.municipality else user.municipality_custom,
        school=user.school.name if user.school else user.school_custom,
        subjects=", ".join(t(f"subject-{code}") for code in user.subjects) if user.subjects else None,
        birth_date=(
            t("birth-date-with-age", date=user.birth_date, age=age_on(user.birth_date, today))
            if user.birth_date
            else None
        ),
        work_start=(
            t(
                "work-start-with-experience",
                year=str(user.work_start_year),
                years=experience_years(user.work_start_year, today),
            )
            if user.work_start_year
            else None
        ),
        qualification=t(f"qualification-{user.qualification}") if user.qualification else None,
        young=t("yes") if card.young else t("no"),
    )


def profile_keyboard(card: ProfileCard, t: Translator) -> InlineKeyboardMarkup:
    """The profile's buttons, with «Готов быть наставником» for those experienced enough."""
    return keyboards.profile(t, card.mentor, card.fields or keyboards.PROFILE_FIELDS)


async def stale(event: CallbackQuery | Message, t: Translator) -> None:
    """An old, forged or someone else's button (a service returned ``Stale``), or a typed answer
    about something that is gone: nothing changed."""
    if isinstance(event, CallbackQuery):
        await event.answer(t("err-stale-button"), show_alert=True)
    else:
        await event.answer(t("err-stale-button"))


async def question_gone(message: Message, state: FSMContext, t: Translator) -> None:
    """A typed answer to a question whose object is gone (a service returned ``Stale``): the
    question is dropped and the person told, as for an old button."""
    await state.clear()
    await stale(message, t)


async def no_access(event: CallbackQuery | Message, t: Translator) -> None:
    """The speaker's role does not allow this (a service returned ``Denied``): nothing changed."""
    if isinstance(event, CallbackQuery):
        await event.answer(t("no-access"), show_alert=True)
    else:
        await event.answer(t("no-access"))


async def refused(event: CallbackQuery | Message, result: Stale | Denied, t: Translator) -> None:
    """Why nothing happened: «нет доступа» for ``Denied``, «кнопка устарела» for ``Stale``."""
    if isinstance(result, Denied):
        await no_access(event, t)
    else:
        await stale(event, t)


async def edit_text(message: Message, text: str, **kwargs: Any) -> None:
    """Edit a message; pressing the same button twice must not turn into an error."""
    try:
        await message.edit_text(text, **kwargs)
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:
            raise


async def show_main_menu(
    message: Message, t: Translator, role: Role, *, welcome_back: bool = False, waiting: int = 0
) -> None:
    text = t("menu-welcome-back") if welcome_back else t("menu-intro")
    await message.answer(text, reply_markup=keyboards.main_menu(t, role, waiting))


async def main_menu(
    uow: UnitOfWork, user: User | None, role: Role, rules: RegionRules, t: Translator
) -> ReplyKeyboardMarkup:
    """The main menu with the number of entries waiting in «Входящие»."""
    waiting = 0
    if user is not None and user.profile_completed_at is not None:
        waiting = await inbox.waiting(uow, user, role, rules)
    return keyboards.main_menu(t, role, waiting)


async def typed_text(message: Message, t: Translator, typed: str | Invalid, *, question: str) -> str | None:
    """A typed answer as a service checked it; if it did not pass, the person is told what is wrong
    and asked ``question`` again, and None comes back."""
    if isinstance(typed, Invalid):
        await message.answer(t(typed.key, **typed.args) + "\n\n" + question)
        return None
    return typed
