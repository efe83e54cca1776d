"""Reminders as a registry of kinds (``registry``): each kind, in one module of this package, says
how it is planned (with a typed payload), whether it still applies when it is due, and how it is
shown (a messenger-neutral ``View``). Adding a kind is one module in this package (every module
is imported below, and registers its kinds) and one message key in the locales; a button that
does something new also needs an ``Action`` here and its button in the messenger's renderer.

Planning functions are called by services in the same transaction as the change that causes the
reminder (a diagnosis started, a route item dated, a route submitted, an RSVP), so the reminder
exists exactly when the change does. ``sending`` is what the outbox sender calls; ``preferences``
is the person's side (snoozing, switching groups off).
"""

from __future__ import annotations

import importlib
import pkgutil

from services.reminders.diagnosis import plan_rediagnosis, plan_unfinished_diagnosis
from services.reminders.events import plan_event
from services.reminders.handoff import hand_off
from services.reminders.mentorship import plan_mentor_meeting
from services.reminders.registry import (
    KINDS,
    Action,
    AnswerRequest,
    Button,
    ByLocale,
    Delegated,
    Mention,
    OpenCaseload,
    OpenInbox,
    OpenMentorPair,
    OpenMentorship,
    OpenRoute,
    OpenRouteItem,
    OpenTeacherCard,
    ResumeDiagnosis,
    Snooze,
    StartDiagnosis,
    Term,
    Terms,
    View,
    group_of,
    kind_of,
    kinds,
)
from services.reminders.route import plan_route_approval, plan_route_items

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "KINDS",
    "Action",
    "AnswerRequest",
    "Button",
    "ByLocale",
    "Delegated",
    "Mention",
    "OpenCaseload",
    "OpenInbox",
    "OpenMentorPair",
    "OpenMentorship",
    "OpenRoute",
    "OpenRouteItem",
    "OpenTeacherCard",
    "ResumeDiagnosis",
    "Snooze",
    "StartDiagnosis",
    "Term",
    "Terms",
    "View",
    "group_of",
    "hand_off",
    "kind_of",
    "kinds",
    "plan_event",
    "plan_mentor_meeting",
    "plan_rediagnosis",
    "plan_route_approval",
    "plan_route_items",
    "plan_unfinished_diagnosis",
]
