"""MAX's message ids are strings (``mid.…``); aiogram's are ints. Each MAX id seen — sent by the bot
or arriving with an update — gets an int here, and back.

In memory, per process: every update carries the MAX id of the message it is about, so a button
pressed on a message sent before a restart (or by another worker) gets an int again on arrival.
An int means nothing to another process or after a restart: what is kept outside the process
(the broadcast's progress message) keeps MAX's own id instead (``bot.messengers.message_ref``),
and gets an int here again when it is used (``kept_message``). The oldest ids are forgotten past
``capacity``."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class MessageIds:
    def __init__(self, capacity: int = 200_000) -> None:
        self._by_mid: OrderedDict[str, int] = OrderedDict()
        self._by_int: dict[int, str] = {}
        self._next = 1
        self._capacity = capacity
        self._files: dict[str, list[dict[str, Any]]] = {}

    def to_int(self, mid: str) -> int:
        number = self._by_mid.get(mid)
        if number is not None:
            self._by_mid.move_to_end(mid)
            return number
        number, self._next = self._next, self._next + 1
        self._by_mid[mid] = number
        self._by_int[number] = mid
        if len(self._by_mid) > self._capacity:
            _old, old_number = self._by_mid.popitem(last=False)
            self._by_int.pop(old_number, None)
        return number

    def to_mid(self, number: int) -> str | None:
        return self._by_int.get(number)

    def remember_files(self, mid: str, attachments: list[dict[str, Any]]) -> None:
        """The file or image attachments of a message: an edit on MAX replaces all attachments, so
        an edit of its text or buttons sends them again (from the bot's own sending, or from the
        message an update about it carries)."""
        files = [a for a in attachments if a.get("type") in ("file", "image")]
        if files:
            self._files[mid] = files
            while len(self._files) > self._capacity:
                self._files.pop(next(iter(self._files)))

    def files(self, mid: str) -> list[dict[str, Any]]:
        return list(self._files.get(mid, ()))

    def fresh(self) -> int:
        """An int that names no MAX message (an update without one: ``bot_started``)."""
        number, self._next = self._next, self._next + 1
        return number
