"""The methodist's workspace (being built)."""

from __future__ import annotations

from aiogram import Router

router = Router(name="workspace")
# Typed answers (comments, official results); tried after menu buttons and commands.
answers_router = Router(name="workspace-answers")
