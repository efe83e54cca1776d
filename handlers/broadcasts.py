"""«Рассылка» for admins (being built)."""

from __future__ import annotations

from aiogram import Router

router = Router(name="broadcasts")
# Typed answers of the broadcast wizard; tried after menu buttons and commands.
answers_router = Router(name="broadcasts-answers")
