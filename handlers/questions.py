"""The questions a conversation waits on, and how each is asked again.

A flow registers the states of its questions with ``asks_again``: what a question expects (a typed
answer, a button, a file) and how to ask it again (re-send it with its buttons, its content taken
from the flow's service). Whatever the flow's own handlers do not take — text where a button is
expected, a sticker or a photo where text is — reaches ``handlers.fallback``, which gives a short
hint and asks the same question again; outside any question it shows the menu.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import Message

from domain.roles import Role
from locales import Translator
from services.regions import RegionRules
from services.uow import UnitOfWork
from storage.models import User


class Expects(StrEnum):
    """What a question waits for, named by the hint given when something else arrives."""

    TEXT = "err-text-expected"
    BUTTON = "err-button-expected"
    FILE = "import-file-expected"


@dataclass(frozen=True, slots=True)
class Asking:
    """The message that did not answer, and what the flow needs to ask its question again.
    ``data`` is the rest of the update's handler data (``frameworks``, ``clock``, ``bot``…)."""

    message: Message
    state: FSMContext
    raw_state: str
    uow: UnitOfWork
    user: User
    role: Role
    rules: RegionRules
    t: Translator
    data: Mapping[str, Any]


# Ask the question again; False when it is gone (its object deleted, the conversation over).
AskAgain = Callable[[Asking], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Question:
    expects: Expects
    ask_again: AskAgain


_QUESTIONS: dict[str, Question] = {}


def asks_again(*states: State, expects: Expects) -> Callable[[AskAgain], AskAgain]:
    """Register ``ask_again`` as the way to repeat the questions of ``states``."""

    def register(ask_again: AskAgain) -> AskAgain:
        for state in states:
            name = state.state
            assert name is not None and name not in _QUESTIONS, f"{name} registered twice"
            _QUESTIONS[name] = Question(expects, ask_again)
        return ask_again

    return register


def question(raw_state: str | None) -> Question | None:
    """The question the conversation waits on in ``raw_state``, if it is one."""
    return _QUESTIONS.get(raw_state) if raw_state else None


def registered() -> frozenset[str]:
    return frozenset(_QUESTIONS)


def hint(expects: Expects, message: Message) -> str | None:
    """The hint for what arrived: none for text at a typed question (the flow's own check, which
    did not take it, is what the question says again)."""
    if expects == Expects.TEXT and message.text:
        return None
    return expects.value
