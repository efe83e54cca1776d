"""«Импорт каталогов» for admins: send a CSV or XLSX file in the chat, get a row-by-row report.
What happens is decided by ``services.catalogues``.

Nothing is applied if any row is bad; a re-import updates entries by their external id.
"""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from domain.roles import Role
from handlers.callbacks import AdminAction, AdminCb
from handlers.filters import RoleFilter
from handlers.import_report import render_file_error, render_report
from handlers.keyboards import Keyboard
from handlers.questions import Asking, Expects, asks_again
from handlers.render import no_access, question_gone, refused
from locales import Translator
from services import catalogues as service
from services.results import Denied, Invalid, Stale
from services.uow import UnitOfWork
from storage.models import User

router = Router(name="catalogue-import")
router.callback_query.filter(RoleFilter(Role.ADMIN))
# The file itself; tried after every menu button and command, like other typed answers.
upload_router = Router(name="catalogue-upload")
upload_router.message.filter(RoleFilter(Role.ADMIN))


class CatalogueImport(StatesGroup):
    file = State()


@router.callback_query(AdminCb.filter(F.action == AdminAction.IMPORT))
async def choose_kind(query: CallbackQuery, message: Message, t: Translator) -> None:
    kb = Keyboard()
    for index, kind in enumerate(service.KINDS):
        kb.button(
            text=t(f"import-kind-{kind}"),
            callback_data=AdminCb(action=AdminAction.IMPORT_KIND, kind_index=index),
        )
    kb.button(text=t("btn-back"), callback_data=AdminCb(action=AdminAction.MENU))
    kb.adjust(1)
    await query.answer()
    await message.answer(t("import-choose-kind"), reply_markup=kb.as_markup())


@router.callback_query(AdminCb.filter(F.action == AdminAction.IMPORT_KIND))
async def ask_file(
    query: CallbackQuery,
    message: Message,
    callback_data: AdminCb,
    state: FSMContext,
    role: Role,
    t: Translator,
) -> None:
    kind = service.kind_at(role, callback_data.kind_index)
    if isinstance(kind, (Stale, Denied)):
        await refused(query, kind, t)
        return
    await state.set_state(CatalogueImport.file)
    await state.set_data({"kind": kind})
    await query.answer()
    await message.answer(t("import-send-file", kind=t(f"import-kind-{kind}")))


@upload_router.message(CatalogueImport.file, F.document)
async def got_file(
    message: Message,
    state: FSMContext,
    uow: UnitOfWork,
    user: User,
    role: Role,
    bot: Bot,
    t: Translator,
    home_region: str,
) -> None:
    document = message.document
    assert document is not None  # the F.document filter

    async def download() -> bytes:
        buffer = io.BytesIO()
        await bot.download(document, destination=buffer)
        return buffer.getvalue()

    result = await service.import_upload(
        uow,
        user,
        role,
        home_region,
        kind=await state.get_value("kind"),
        filename=document.file_name,
        size=document.file_size,
        read=download,
    )
    if isinstance(result, Denied):
        await no_access(message, t)
    elif isinstance(result, Stale):
        await question_gone(message, state, t)
    elif isinstance(result, Invalid):
        await message.answer(t(result.key, **result.args))
    elif isinstance(result, service.Rejected):
        await message.answer(render_file_error(result.error, t))
    else:
        if result.report.applied:
            await state.clear()
        await message.answer(render_report(result.report, t))


@asks_again(CatalogueImport.file, expects=Expects.FILE)
async def ask_file_again(asking: Asking) -> bool:
    kind = await asking.state.get_value("kind")
    if not isinstance(kind, str):
        return False
    await asking.message.answer(asking.t("import-send-file", kind=asking.t(f"import-kind-{kind}")))
    return True
