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
