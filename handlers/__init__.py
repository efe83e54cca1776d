"""aiogram routers, one module per feature. Thin: parse → call domain/storage → render."""

from __future__ import annotations

from aiogram import F, Router

from handlers import admin, errors, fallback, menu, onboarding, privacy, profile
from handlers.guards import guard


def setup_routers() -> Router:
    root = Router(name="root")
    # The bot works in private chats only; a group gets nothing (see ``onboarding.group_chat``).
    root.message.filter(F.chat.type == "private")
    guard(privacy.router, admin.router, profile.router, menu.router, onboarding.router)
    root.include_routers(
        errors.router,
        onboarding.start_router,
        privacy.router,
        admin.router,
        admin.denied,
        profile.router,
        menu.router,
        fallback.unknown_commands,
        onboarding.router,
        fallback.router,
    )
    return root
