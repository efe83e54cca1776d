"""Results every service may return besides its own dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Stale:
    """An old, forged or someone else's button, or an object that is gone: nothing changed.
    Rendered as «Эта кнопка устарела»."""


@dataclass(frozen=True, slots=True)
class Denied:
    """The person's role does not allow this: nothing changed."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """A typed or chosen value that does not pass: the message key (and its arguments) to show
    before the same question is asked again."""

    key: str
    args: dict[str, Any] = field(default_factory=dict)


STALE = Stale()
DENIED = Denied()
