"""«Мероприятия» on Telegram; what happens is decided by ``services.events``.

- ``teachers``: the list of events ahead, a card, «Пойду» / «Не смогу», «Мои мероприятия»;
- ``attendance``: marking who came (admins and methodists);
- ``admin``: the admin's events and an event's card (entered by the admin menu's
  ``AdminCb(action="events")``);
- ``wizard``: the admin's wizard for a new event (its typed answers are ``answers_router``);
- ``announce``: announcing an event as a broadcast;
- ``views``: how an event reads, shared by all of them.

``router`` is tried before ``handlers.admin.denied``: every admin button here is refused to anyone
else with «Нет доступа» (by the service, or by ``denied`` below for the wizard's buttons), and
nothing changes. ``answers_router`` is tried after menu buttons and commands.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery

from handlers.callbacks import EventAdminCb
from handlers.events import admin, announce, attendance, teachers, wizard
from handlers.render import no_access
from locales import Translator

# The wizard's buttons pressed (or forged) by someone who is not an admin.
denied = Router(name="events-denied")


@denied.callback_query(EventAdminCb.filter())
async def admin_only(query: CallbackQuery, t: Translator) -> None:
    await no_access(query, t)


router = Router(name="events")
router.include_routers(
    teachers.router, attendance.router, admin.router, announce.router, wizard.router, denied
)
answers_router = wizard.answers_router

__all__ = ["answers_router", "router"]
