"""aiogram routers, one module or package per feature. Thin: parse an update → call a service → render
its result (``services``)."""

from __future__ import annotations

from aiogram import F, Router

from handlers import (
    admin,
    broadcasts,
    catalogue_import,
    diagnosis,
    digest,
    errors,
    events,
    fallback,
    inbox,
    indicators,
    internships,
    mentorship,
    menu,
    methodist,
    onboarding,
    privacy,
    profile,
    reminders,
    route,
    workspace,
)
from handlers.guards import AccessibleMessage, guard

# Everything but /start, the consent and the fallbacks needs a person who consented.
guard(
    broadcasts.router,
    broadcasts.answers_router,
    events.router,
    events.answers_router,
    indicators.router,
    reminders.router,
    privacy.router,
    admin.router,
    catalogue_import.router,
    catalogue_import.upload_router,
    profile.router,
    diagnosis.router,
    route.router,
    route.edit_router,
    internships.router,
    mentorship.router,
    mentorship.answers_router,
    methodist.router,
    methodist.outcome_router,
    digest.router,
    workspace.router,
    workspace.answers_router,
    inbox.router,
    menu.router,
    onboarding.router,
)

# In the order they are tried.
FEATURE_ROUTERS = (
    errors.router,
    onboarding.start_router,
    privacy.router,
    reminders.router,
    admin.router,
    catalogue_import.router,
    broadcasts.router,
    indicators.router,
    events.router,
    admin.denied,
    profile.router,
    diagnosis.router,
    route.router,
    internships.router,
    mentorship.router,
    methodist.router,
    digest.router,
    workspace.router,
    methodist.denied,
    inbox.router,
    menu.router,
    fallback.unknown_commands,
    route.edit_router,
    mentorship.answers_router,
    methodist.outcome_router,
    workspace.answers_router,
    catalogue_import.upload_router,
    broadcasts.answers_router,
    events.answers_router,
    onboarding.router,
    fallback.router,
)


def setup_routers() -> Router:
    """A root router over the feature routers, for one dispatcher.

    The feature routers live at module level (handlers register with decorators), so a new
    dispatcher in the same process — a test, or the sandbox after a restart — takes them over.
    """
    root = Router(name="root")
    # The bot works in private chats only; messages in groups are ignored.
    root.message.filter(F.chat.type == "private")
    root.callback_query.outer_middleware(AccessibleMessage())
    for router in FEATURE_ROUTERS:
        router._parent_router = None
    root.include_routers(*FEATURE_ROUTERS)
    return root
