"""«Импорт каталогов» for admins: send a CSV or XLSX file in the chat, get a row-by-row report.

Nothing is applied if any row is bad; a re-import updates entries by their external id.
"""

from __future__ import annotations

import io
import logging

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from domain.roles import Role
from handlers.callbacks import AdminCb
from handlers.filters import RoleFilter
from handlers.import_report import render_file_error, render_report
from handlers.keyboards import Keyboard
from locales import Translator
from storage.audit import audit
from storage.importers import KINDS, ImportFileError, import_catalogue
from storage.models import User

log = logging.getLogger(__name__)
router = Router(name="catalogue-import")
router.callback_query.filter(RoleFilter(Role.ADMIN))
# The file itself; tried after every menu button and command, like other typed answers.
upload_router = Router(name="catalogue-upload")
upload_router.message.filter(RoleFilter(Role.ADMIN))
MAX_FILE_BYTES = 5 * 1024 * 1024


class CatalogueImport(StatesGroup):
    file = State()


@router.callback_query(AdminCb.filter(F.action == "import"))
async def choose_kind(query: CallbackQuery, t: Translator) -> None:
    kb = Keyboard()
    for index, kind in enumerate(KINDS):
        kb.button(text=t(f"import-kind-{kind}"), callback_data=AdminCb(action="import_kind", value=index))
    kb.button(text=t("btn-back"), callback_data=AdminCb(action="menu"))
    kb.adjust(1)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("import-choose-kind"), reply_markup=kb.as_markup())


@router.callback_query(AdminCb.filter(F.action == "import_kind"))
async def ask_file(query: CallbackQuery, callback_data: AdminCb, state: FSMContext, t: Translator) -> None:
    if not 0 <= callback_data.value < len(KINDS):
        await query.answer(t("err-stale-button"), show_alert=True)
        return
    kind = KINDS[callback_data.value]
    await state.set_state(CatalogueImport.file)
    await state.set_data({"kind": kind})
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.answer(t("import-send-file", kind=t(f"import-kind-{kind}")))


@upload_router.message(CatalogueImport.file, F.document)
async def got_file(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    bot: Bot,
    t: Translator,
    home_region: str,
) -> None:
    assert message.document is not None
    kind = await state.get_value("kind")
    if kind not in KINDS:
        await state.clear()
        await message.answer(t("err-stale-button"))
        return
    if (message.document.file_size or 0) > MAX_FILE_BYTES:
        await message.answer(t("import-file-too-big", max=MAX_FILE_BYTES // (1024 * 1024)))
        return
    buffer = io.BytesIO()
    await bot.download(message.document, destination=buffer)
    region = user.region_code or home_region
    try:
        report = await import_catalogue(
            session, kind, region, message.document.file_name or "catalogue", buffer.getvalue()
        )
    except ImportFileError as err:
        await session.rollback()
        await message.answer(render_file_error(err, t))
        return
    if report.applied:
        await audit(
            session, user.id, "catalogue.import", kind=kind, created=report.created, updated=report.updated
        )
        await session.commit()
        await state.clear()
        log.info("catalogue imported", extra={"user_id": user.id, "kind": kind, "created": report.created})
    else:
        await session.rollback()
    await message.answer(render_report(report, t))


@upload_router.message(CatalogueImport.file)
async def file_expected(message: Message, t: Translator) -> None:
    await message.answer(t("import-file-expected"))
