"""/mydata and /forget on Telegram: the summary and the JSON file of what is stored about the
person, and deleting all of it (152-ФЗ), done by ``services.privacy``."""

from __future__ import annotations

import json

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import BufferedInputFile, CallbackQuery, Message, ReplyKeyboardRemove

from handlers import keyboards
from handlers.callbacks import ForgetCb
from handlers.render import local_time
from locales import Translator
from services import privacy as service
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="privacy")


@router.message(Command("mydata"))
async def my_data(
    message: Message, uow: UnitOfWork, user: User, t: Translator, timezone: str, fsm_storage: BaseStorage
) -> None:
    mine = await service.my_data(uow, user, fsm_storage)
    data = mine.export
    await message.answer(
        t(
            "mydata-summary",
            messenger=t(f"messenger-{user.messenger}"),
            account_id=str(user.telegram_id),
            consent_at=local_time(user.consent_at, timezone),
            role=t(f"role-{user.role}"),
            full_name=user.full_name,
            region=data["region"],
            municipality=data["municipality"] or user.municipality_custom,
            school=data["school"] or user.school_custom,
            subjects=", ".join(t(f"subject-{code}") for code in user.subjects) or None,
            birth_date=user.birth_date,
            work_start=str(user.work_start_year) if user.work_start_year else None,
            qualification=t(f"qualification-{user.qualification}") if user.qualification else None,
            invites=mine.invites,
        )
        + "\n\n"
        + _rows_summary(mine, t)
    )
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await message.answer_document(
        BufferedInputFile(payload, filename=f"mydata-{user.telegram_id}.json"), caption=t("mydata-file")
    )


def _rows_summary(mine: service.MyData, t: Translator) -> str:
    """What else is stored, by kind, with how many rows of each."""
    lines = [t("mydata-rows")]
    lines += [t(f"mydata-section-{name}", count=count) for name, count in mine.sections]
    if mine.acted_on:
        lines.append(t("mydata-acted-on", count=mine.acted_on))
    if mine.export["conversation_state"]:
        lines.append(t("mydata-conversation"))
    if len(lines) == 1:
        lines.append(t("mydata-rows-none"))
    return "\n".join(lines)


@router.message(Command("forget"))
async def forget_ask(message: Message, t: Translator) -> None:
    await message.answer(t("forget-confirm"), reply_markup=keyboards.forget_confirm(t))


@router.callback_query(ForgetCb.filter())
async def forget_answer(
    query: CallbackQuery,
    message: Message,
    callback_data: ForgetCb,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    t: Translator,
    fsm_storage: BaseStorage,
) -> None:
    await query.answer()
    if not callback_data.confirm:
        await message.edit_text(t("forget-cancelled"), reply_markup=None)
        return
    # The conversation goes first: if the storage fails, the person is still there to try again.
    await state.clear()
    await service.forget(uow, user, fsm_storage)
    await message.edit_text(t("forget-done"), reply_markup=None)
    await message.answer(t("forget-after"), reply_markup=ReplyKeyboardRemove())
