"""Reusable conversation steps."""

from __future__ import annotations

from tests.chat import Chat


async def onboard(
    chat: Chat,
    *,
    name: str = "Иванова Мария Петровна",
    birth: str = "14.05.1998",
    work_start: str = "2024",
) -> None:
    """The whole onboarding of a teacher at Сусанинская СОШ (Kostroma), answered right first time.
    Someone the bot asks a staff profile of instead (an admin of ``ADMIN_IDS``) fills that one
    (``staff_profile``): a regional methodist of ЦНППМ in Kostroma who does not teach."""
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send(name)
    if STAFF_QUESTION in chat.text:
        await staff_profile(chat)
        return
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send("Сусанин")
    await chat.press("Сусанинский")
    await chat.press("Сусанинская СОШ")
    await chat.press("Математика")
    await chat.press("Физика")
    await chat.press("Готово")
    await chat.send(birth)
    await chat.send(work_start)
    await chat.press("Первая")


STAFF_QUESTION = "профиль сотрудника"


async def staff_profile(
    chat: Chat,
    *,
    title: str = "Региональный методист",
    organisation: str = "ЦНППМ Костромской области",
    municipality: str | None = None,
) -> None:
    """A staff profile from its role question on: ``title``, ``organisation``, Kostroma, the
    ``municipality`` picked (for a municipal title), not a teacher."""
    assert STAFF_QUESTION in chat.text, chat.text
    await chat.press(title)
    await chat.send(organisation)
    if "Выберите регион" in chat.text:  # not asked of someone whose region is known
        await chat.press("Костромская")
    if municipality is not None:
        await chat.send(municipality)
        await chat.press(municipality)
    await chat.press("Нет")


async def onboard_staff(chat: Chat, *, name: str = "Методистова Ольга Ивановна", **profile: str) -> None:
    """Consent, the name, then the staff profile (``staff_profile``) of someone the bot knows as
    staff (an admin of ``ADMIN_IDS``)."""
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send(name)
    await staff_profile(chat, **profile)


async def onboard_elsewhere(chat: Chat, *, name: str = "Петров Пётр") -> None:
    """A teacher in Kuzbass (Asia/Novokuznetsk) whose municipality and school are typed in."""
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send(name)
    await chat.press("Учитель")
    await chat.press("Кузбасс")
    await chat.press("Нет в списке")
    await chat.send("Посёлок")
    await chat.send("Школа")
    await chat.press("Химия")
    await chat.press("Готово")
    await chat.send("01.01.1990")
    await chat.send("2015")
    await chat.press("Первая")


async def until_subjects(chat: Chat) -> None:
    """A teacher of Гимназия № 3, Шарья, up to the subjects question (nothing ticked yet)."""
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send("Иванова Мария")
    await chat.press("Учитель")
    await chat.press("Костромская")
    await chat.send("Шарья")
    await chat.press("г. Шарья")
    await chat.press("Гимназия № 3")
