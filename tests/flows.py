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
    """The whole onboarding of a teacher at Сусанинская СОШ (Kostroma), answered right first time."""
    await chat.send("/start")
    await chat.press("Согласен")
    await chat.send(name)
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
