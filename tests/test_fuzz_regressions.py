"""Conversations for the failures the fuzz test (tests/test_fuzz.py) found in single handlers."""

from __future__ import annotations

import pytest

from handlers.callbacks import (
    ID_MAX,
    AdminAction,
    AdminCb,
    EventAction,
    EventCb,
    WorkspaceAction,
    WorkspaceCb,
)
from tests.conftest import ADMIN_ID, App
from tests.flows import onboard
from tests.test_workspace import kostroma_with, make_methodist, open_list, susanino


async def test_a_forged_button_on_a_file_is_stale(app: App) -> None:
    # fuzz seed 20261122, update 5317: «Мероприятия» pressed (forged) on the /mydata file; the
    # handler edited the file's "text" and Telegram refused: there is no text in the message to edit.
    chat = app.chat()
    await onboard(chat)
    await chat.send("/mydata")
    document = chat.last_bot_message()
    assert document.kind == "document"
    app.stub.callback_answers.clear()
    await chat.press_data(EventCb(action=EventAction.LIST).pack(), message_id=document.message_id)
    assert "устарела" in chat.alerts()[0]
    assert app.stub.errors == []


async def test_a_forged_page_past_the_last_shows_the_last_page(app: App) -> None:
    # fuzz seed 20261122, update 2455: «Мои педагоги» with the largest page a button may carry made
    # an OFFSET of page × 10 (when that was 2^63 − 1: too large for SQLite, OverflowError).
    methodist = await make_methodist(app, 3001, "Методистова Анна Сергеевна")
    await kostroma_with(app, susanino(3001))
    await onboard(app.chat(1001))
    await open_list(methodist)
    await methodist.press_data(
        WorkspaceCb(action=WorkspaceAction.LIST, page=ID_MAX, list_filter="no_route").pack()
    )
    methodist.expect("Без ИОМ", "1 педагог", "страница 1 из 1")
    assert "Иванова Мария Петровна" in methodist.buttons()


async def test_a_forged_page_of_the_audit_log_is_empty(app: App) -> None:
    # The same OFFSET overflow in «Показатели → Журнал действий».
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Показатели")
    await admin.press_data(AdminCb(action=AdminAction.AUDIT_LOG, page=ID_MAX).pack())
    admin.expect("Журнал действий")


@pytest.mark.parametrize("text", ["   ", "\u200b", "\u2800 \u200d"])
async def test_a_broadcast_of_invisible_text_is_asked_again(app: App, text: str) -> None:
    # fuzz seed 23, update 767: the admin's broadcast text was spaces and zero-width characters; the
    # preview sent it as it was and Telegram refused: text must be non-empty.
    admin = app.chat(ADMIN_ID)
    await onboard(admin, name="Админов Админ")
    await admin.send("/admin")
    await admin.press("Рассылка")
    await admin.press("Новая рассылка")
    await admin.send(text)
    admin.expect("Пришлите текст рассылки")
    assert "Без кнопки" not in admin.buttons()
    await admin.send("Семинар в пятницу")
    await admin.press("Без кнопки")
    await admin.press("Готово")
    assert admin.replies[0].plain_text == "Семинар в пятницу"
