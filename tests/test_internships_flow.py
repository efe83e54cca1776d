"""Flow 4: «Стажировки» — matched list with reasons, filters, applying, seats, «Мои заявки»."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.callbacks import SiteAction, SiteCb
from storage.models import InternshipApplication
from tests.catalogue import seed_catalogue
from tests.conftest import App
from tests.flows import onboard, onboard_elsewhere
from tests.test_route_flow import diagnosed

# Every internship conversation runs on both messengers.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def applications(app: App) -> list[InternshipApplication]:
    async with app.database.sessionmaker() as session:
        return list(await session.scalars(select(InternshipApplication)))


async def test_list_puts_matches_first_with_reasons(app: App) -> None:
    await seed_catalogue(app)
    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("🏫 Стажировки")
    chat.expect("Найдено 2 площадки", "по вашим дефицитам: Методические", "ваши предметы: Математика")
    chat.expect("в вашем муниципалитете")
    assert chat.text.index("Сусанинская СОШ") < chat.text.index("СОШ № 9")


async def test_filters_by_area_and_municipality(app: App) -> None:
    await seed_catalogue(app)
    chat = app.chat()
    await onboard(chat)
    await chat.press("🏫 Стажировки")
    await chat.press("Область")
    await chat.press("IT- и цифровые")
    chat.expect("Найдена 1 площадка", "СОШ № 9")
    assert "Сусанинская СОШ" not in chat.text
    await chat.press("Сбросить")
    await chat.press("Муниципалитет")
    await chat.press("Сусанинский")
    chat.expect("Сусанинская СОШ")
    await chat.press("Область")
    await chat.press("IT- и цифровые")
    chat.expect("не найдено")


async def test_apply_once_cancel_and_mine(app: App) -> None:
    ids = await seed_catalogue(app)
    chat = app.chat()
    await onboard(chat)
    await chat.press("🏫 Стажировки")
    await chat.press("1")
    chat.expect("Свободных мест: 5 из 5")
    await chat.press("Подать заявку")
    chat.expect("Заявка подана и ждёт ответа", "Свободных мест: 4 из 5")
    await chat.press_data(
        SiteCb(action=SiteAction.APPLY, site_id=ids["s1"]).pack()
    )  # a forged second application
    assert "уже подали заявку" in chat.alerts()[-1]
    assert len(await applications(app)) == 1
    await chat.press("К списку")
    await chat.press("Мои заявки")
    chat.expect("Сусанинская СОШ")
    await chat.press("Сусанинская СОШ")
    await chat.press("Отозвать заявку")
    chat.expect("Свободных мест: 5 из 5")
    [application] = await applications(app)
    assert application.status == "cancelled"
    await chat.press("Подать заявку")  # applying again after withdrawing is allowed
    [application] = await applications(app)
    assert application.status == "applied"


async def test_applying_to_a_full_site_is_refused(app: App) -> None:
    ids = await seed_catalogue(app)
    first, second = app.chat(), app.chat(2002)
    await onboard(first)
    await onboard(second, name="Петров Пётр")
    await first.press_data(
        SiteCb(action=SiteAction.CARD, site_id=ids["s2"]).pack(), first.last_bot_message().message_id
    )
    await first.press("Подать заявку")
    await second.press_data(
        SiteCb(action=SiteAction.CARD, site_id=ids["s2"]).pack(), second.last_bot_message().message_id
    )
    second.expect("Свободных мест: 0 из 1", "Мест нет")
    assert "Подать заявку" not in " ".join(second.buttons())
    await second.press_data(
        SiteCb(action=SiteAction.APPLY, site_id=ids["s2"]).pack()
    )  # a stale or forged button
    assert "свободных мест уже нет" in second.alerts()[-1]
    assert [a.user_id for a in await applications(app) if a.status == "applied"] != [] and len(
        await applications(app)
    ) == 1


async def test_site_of_another_region_is_out_of_reach(app: App) -> None:
    ids = await seed_catalogue(app)
    chat = app.chat()
    await onboard_elsewhere(chat)
    await chat.press("🏫 Стажировки")
    chat.expect("не найдено")
    app.stub.callback_answers.clear()
    await chat.press_data(SiteCb(action=SiteAction.APPLY, site_id=ids["s1"]).pack())
    assert "устарела" in chat.alerts()[0]
    assert await applications(app) == []
