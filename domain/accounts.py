"""Linking a person's accounts on two messengers with a one-time code.

The code is shown in «Профиль» on one messenger and sent to the bot on the other (``/link CODE``,
or MAX's and Telegram's start link with ``link_CODE``); it works once, within ``LINK_TTL``. It is
short enough to type: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from enum import StrEnum
from typing import NamedTuple

LINK_TTL = timedelta(minutes=15)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
LINK_PREFIX = "link_"  # the start link's payload: link_<code>
_CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


class Messenger(StrEnum):
    TELEGRAM = "telegram"
    MAX = "max"


class Account(NamedTuple):
    """A person's account on a messenger: what the messenger calls them (their user id there,
    which is also the id of their private chat with the bot)."""

    messenger: str
    external_id: int


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_code(text: str | None) -> str | None:
    """The code in what the person typed (any case, spaces and dashes ignored, with or without the
    start link's prefix), or None."""
    if not text:
        return None
    cleaned = text.strip()
    if cleaned.lower().startswith(LINK_PREFIX):
        cleaned = cleaned[len(LINK_PREFIX) :]
    cleaned = re.sub(r"[\s-]", "", cleaned).upper()
    return cleaned if _CODE_RE.fullmatch(cleaned) else None
