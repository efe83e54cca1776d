"""/mydata and /forget: what is stored about the person, and deleting all of it (152-ФЗ)."""

from __future__ import annotations

import json
import logging
from zoneinfo import ZoneInfo

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message, ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import keyboards
from handlers.callbacks import ForgetCb
from locales import Translator
from storage.fsm import forget_redis_states, redis_user_states
from storage.models import User
from storage.repositories import UserRepo

log = logging.getLogger(__name__)
router = Router(name="privacy")


@router.message(Command("mydata"))
async def my_data(
    message: Message, session: AsyncSession, user: User, t: Translator, timezone: str, state: FSMContext
) -> None:
    data = await UserRepo(session).export(user)
    data["conversation_state"] += await redis_user_states(state.storage, user.telegram_id)
    await message.answer(
        t(
            "mydata-summary",
            telegram_id=str(user.telegram_id),
            consent_at=user.consent_at.astimezone(ZoneInfo(timezone)).strftime("%d.%m.%Y %H:%M"),
            role=t(f"role-{user.role}"),
            full_name=user.full_name,
            region=data["region"],
            municipality=data["municipality"] or user.municipality_custom,
            school=data["school"] or user.school_custom,
            subjects=", ".join(t(f"subject-{code}") for code in user.subjects) or None,
            birth_date=user.birth_date,
            work_start=str(user.work_start_year) if user.work_start_year else None,
            qualification=t(f"qualification-{user.qualification}") if user.qualification else None,
            invites=len(data["invites"]),
        )
    )
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await message.answer_document(
        BufferedInputFile(payload, filename=f"mydata-{user.telegram_id}.json"), caption=t("mydata-file")
    )


@router.message(Command("forget"))
async def forget_ask(message: Message, t: Translator) -> None:
    await message.answer(t("forget-confirm"), reply_markup=keyboards.forget_confirm(t))


@router.callback_query(ForgetCb.filter())
async def forget_answer(
    query: CallbackQuery,
    callback_data: ForgetCb,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    t: Translator,
) -> None:
    await query.answer()
    assert isinstance(query.message, Message)
    if not callback_data.confirm:
        await query.message.edit_text(t("forget-cancelled"), reply_markup=None)
        return
    # Conversation records go first: if Redis fails, the person is still there to try again.
    await state.clear()
    await forget_redis_states(state.storage, user.telegram_id)
    await UserRepo(session).forget(user)
    await session.commit()
    log.info("user forgotten on request")
    await query.message.edit_text(t("forget-done"), reply_markup=None)
    await query.message.answer(t("forget-after"), reply_markup=ReplyKeyboardRemove())
