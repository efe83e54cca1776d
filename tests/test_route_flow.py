"""Flow 3: «Мой ИОМ» drafted from a diagnosis, edited, submitted, done with evidence, exported."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from domain.route import ItemKind
from handlers.callbacks import RouteAction, RouteCb
from storage.models import Route, RouteItem
from tests.catalogue import seed_catalogue
from tests.chat import Chat
from tests.conftest import App
from tests.flows import onboard
from tests.test_diagnosis_flow import answer_all

# Every ИОМ conversation runs on both messengers.
pytestmark = pytest.mark.parametrize("messenger", ["telegram", "max"], indirect=True)


async def diagnosed(app: App, chat: Chat, weak: dict[str, str] | None = None) -> None:
    await onboard(chat)
    await chat.press("🧭 Самодиагностика")
    await chat.press("Начать")
    await answer_all(chat, weak if weak is not None else {"methodical": "1.", "it_digital": "1."})


async def the_route(app: App) -> Route:
    async with app.database.sessionmaker() as session:
        route = await session.scalar(select(Route))
        assert route is not None
        await session.refresh(route, ["items"])
        return route


async def test_route_needs_a_diagnosis_first(app: App) -> None:
    chat = app.chat()
    await onboard(chat)
    await chat.press("🗺 Мой ИОМ")
    chat.expect("по самодиагностике как предварительному запросу")
    assert "Начать" in chat.buttons()


async def test_draft_covers_every_deficit_with_reasons(app: App) -> None:
    await seed_catalogue(app)
    chat = app.chat()
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    chat.expect(
        "Составлен черновик ИОМ", "черновик", "Методические", "IT- и цифровые", "Основа ИОМ: самодиагностика"
    )
    chat.expect("Методика <обучения> & практика")  # escaped in HTML, shown as typed
    route = await the_route(app)
    assert route.status == "draft"
    areas = {i.area for i in route.items}
    assert {"methodical", "it_digital"} <= areas
    course = next(i for i in route.items if i.kind == "course" and i.area == "methodical")
    assert course.title.startswith("Методика") and course.reason["key"] == "reason-course-registry"
    assert any(i.kind == "mentorship" for i in route.items)  # she is a young teacher
    assert all(route.starts_on <= i.due_on <= route.ends_on for i in route.items)
    # the same button again shows the existing route rather than a second one
    await chat.press("Составить ИОМ")
    chat.expect("У вас уже есть ИОМ")
    async with app.database.sessionmaker() as session:
        assert len(list(await session.scalars(select(Route)))) == 1


async def test_item_card_change_date_remove_add_submit(app: App) -> None:
    await seed_catalogue(app)
    chat = app.chat()
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    await chat.press("1")
    chat.expect("Почему этот пункт:")
    await chat.press("Изменить срок")
    await chat.send("01.01.2030")
    chat.expect("в пределах маршрута")
    await chat.send("31.02.2027")
    chat.expect("Такой даты не бывает")
    await chat.send("15.03.2027")
    chat.expect("Срок изменён на 15.03.2027")
    route = await the_route(app)
    before = len(route.items)
    await chat.press("Удалить из маршрута")
    await chat.press("Да, удалить")
    assert len((await the_route(app)).items) == before - 1
    await chat.press("Добавить из каталога")
    await chat.press("IT- и цифровые")
    added = [b for b in chat.buttons() if "Цифровая школа" in b or "Самообразование" in b]
    await chat.press(added[0])
    assert "Пункт добавлен." in chat.alerts()
    assert len((await the_route(app)).items) == before
    await chat.press("На согласование")
    chat.expect("методист вам пока не назначен")  # nobody is told it has reached a methodist
    assert "отправлен методисту" not in chat.text
    route = await the_route(app)
    assert route.status == "submitted" and route.submitted_at is not None


async def test_mark_done_with_evidence_until_complete_then_rediagnosis(app: App) -> None:
    chat = app.chat()
    await diagnosed(app, chat, {"methodical": "1."})
    await chat.press("Составить ИОМ")
    route = await the_route(app)
    for index, item in enumerate(route.items):
        await chat.press_data(RouteCb(action=RouteAction.ITEM, route_id=route.id, item_id=item.id).pack())
        await chat.press("Отметить выполненным")
        if index == 0:
            await chat.send("да")  # too short for a reflection
            chat.expect("Нужен документ, фото, ссылка")
            await chat.send_photo()
        elif index == 1:
            await chat.send("https://example.org/certificate.pdf")
        else:
            await chat.send("Посетила три урока коллег, взяла приём «мозговой штурм»")
    chat.expect("Все пункты ИОМ выполнены")
    route = await the_route(app)
    assert route.status == "completed"
    kinds = {i.evidence_kind for i in route.items}
    assert {"photo", "link", "text"} <= kinds
    await chat.press("Пройти заново")
    chat.expect("1 из")


async def test_docx_export_has_the_table(app: App) -> None:
    await seed_catalogue(app)
    chat = app.chat()
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    await chat.press("Скачать DOCX")
    message = next(m for m in chat.replies if m.document is not None)
    name, content = message.document  # type: ignore[misc]
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    table = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "Дефицит")
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Дефицит", "Задачи", "Формы", "Сроки", "Результат", "Отметка о выполнении"]
    route = await the_route(app)
    assert len(table.rows) == len(route.items) + 1
    first = [c.text for c in table.rows[1].cells]
    assert first[1] == route.items[0].title and first[3] == f"{route.items[0].due_on:%d.%m.%Y}"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Иванова Мария Петровна" in text and "Сусанинская СОШ" in text
    # No ЦНППМ result: the route rests on the self-diagnosis, which is a preliminary request.
    assert "Основа ИОМ: самодиагностика от" in text and "предварительный запрос" in text


async def test_someone_elses_route_is_out_of_reach(app: App) -> None:
    chat, other = app.chat(), app.chat(2002)
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    await onboard(other, name="Петров Пётр")
    route = await the_route(app)
    item = route.items[0]
    for data in (
        RouteCb(action=RouteAction.VIEW, route_id=route.id).pack(),
        RouteCb(action=RouteAction.ITEM, route_id=route.id, item_id=item.id).pack(),
        RouteCb(action=RouteAction.REMOVE, route_id=route.id, item_id=item.id).pack(),
        RouteCb(action=RouteAction.REMOVE_YES, route_id=route.id, item_id=item.id).pack(),
        RouteCb(action=RouteAction.SUBMIT, route_id=route.id).pack(),
        RouteCb(action=RouteAction.DOCX, route_id=route.id).pack(),
        RouteCb(
            action=RouteAction.ADD_ITEM, route_id=route.id, area="subject", kind=ItemKind.SELF_EDUCATION
        ).pack(),
    ):
        other.clear_alerts()
        await other.press_data(data)
        assert "устарела" in other.alerts()[0], data
    assert not [m for m in other.replies if m.document is not None]
    async with app.database.sessionmaker() as session:
        assert len(list(await session.scalars(select(RouteItem)))) == len(route.items)
    assert (await the_route(app)).status == "draft"


async def test_removing_an_item_asks_first_then_redraws_the_route(app: App) -> None:
    chat = app.chat()
    await diagnosed(app, chat)
    await chat.press("Составить ИОМ")
    route = await the_route(app)
    before = len(route.items)
    first = route.items[0]
    await chat.press("1")
    card = chat.last_bot_message().message_id
    await chat.press("Удалить из маршрута")
    chat.expect(f"Удалить из маршрута пункт «{first.title}»?")
    assert chat.buttons() == ["Да, удалить", "Отмена"]
    assert len((await the_route(app)).items) == before  # nothing yet

    await chat.press("Отмена")  # back to the item's card
    chat.expect(first.title, "Почему этот пункт:")
    assert "🗑 Удалить из маршрута" in chat.buttons()
    assert len((await the_route(app)).items) == before

    await chat.press("Удалить из маршрута")
    confirmation = next(b for b in chat.last_bot_message().buttons if b["text"] == "Да, удалить")
    chat.clear_alerts()
    await chat.press("Да, удалить")
    assert chat.alerts() == ["Пункт удалён."]
    chat.expect("Мой ИОМ", f"выполнено 0 из {before - 1}")
    assert chat.last_bot_message().message_id == card  # the route, in place
    route = await the_route(app)
    assert len(route.items) == before - 1 and first.id not in {i.id for i in route.items}

    # A second «Да» on the old confirmation: already removed, nothing else goes.
    chat.clear_alerts()
    await chat.press_data(confirmation["callback_data"], card)
    assert "устарела" in chat.alerts()[0]
    assert len((await the_route(app)).items) == before - 1
