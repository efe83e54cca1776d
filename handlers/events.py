"""«Мероприятия» (being built)."""

from __future__ import annotations

from aiogram import Router

router = Router(name="events")
answers_router = Router(name="events-answers")
