"""What a Telegram-shaped message becomes on MAX: its HTML subset, its length limit, its keyboards.

MAX's ``format: "html"`` knows b/strong, i/em, u/ins, s/del, a, code and pre; Telegram's other tags
(blockquote, spoilers, custom emoji, time) are dropped and their text kept. A text is at most 4,000
characters: a longer one is split at paragraph boundaries (then lines, then words). Inline keyboards
become an ``inline_keyboard`` attachment (≤ 30 rows, ≤ 7 buttons a row, ≤ 210 buttons, text ≤ 128,
payload ≤ 1,024); MAX has no reply keyboard, so its buttons become ``message`` buttons, which send
their label as the person's message — what a reply keyboard does on Telegram.
"""

from __future__ import annotations

import html
import re
from typing import Any

from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

MAX_TEXT_LENGTH = 4000
MAX_ROWS = 30
MAX_ROW_BUTTONS = 7
MAX_BUTTONS = 210
MAX_BUTTON_TEXT = 128
MAX_PAYLOAD_LENGTH = 1024

MAX_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "del", "a", "code", "pre"})
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
_APP_LINK = re.compile(r'<a\s+href="(?!https?://)[^"]*"\s*>(.*?)</a>', re.DOTALL)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply | None


class KeyboardTooBig(ValueError):
    """A keyboard MAX would refuse: more rows, buttons or characters than it allows."""


def to_max_html(text: str) -> str:
    """Telegram HTML as MAX's subset: tags MAX does not know are dropped, their text kept
    (``strike`` is MAX's ``s``); a link MAX cannot open (Telegram's ``tg://``) keeps its text only."""
    text = _APP_LINK.sub(r"\1", text)

    def keep(match: re.Match[str]) -> str:
        name = match.group(1).lower()
        if name == "strike":
            return match.group(0).replace(match.group(1), "s", 1)
        return match.group(0) if name in MAX_TAGS else ""

    return _TAG.sub(keep, text)


def plain(text: str) -> str:
    """The text without markup, as the person reads it."""
    return html.unescape(_TAG.sub("", text))


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Parts of at most ``limit`` characters as the person reads them (MAX counts the text, not its
    tags and escapes), cut at paragraph boundaries where possible, then at line ends, then between
    words; a tag is never cut in two (a part that would cut one is sent as plain, escaped text)."""
    if shown_length(text) <= limit:
        return [text]
    parts: list[str] = []
    for piece in _pieces(text, limit):
        if parts and shown_length(parts[-1]) + 2 + shown_length(piece) <= limit:
            parts[-1] = f"{parts[-1]}\n\n{piece}"
        else:
            parts.append(piece)
    return parts


def shown_length(text: str) -> int:
    """How long MAX takes ``text`` to be: its characters as shown, without tags and escapes."""
    return len(plain(text))


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        if shown_length(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        lines: list[str] = []
        for line in paragraph.split("\n"):
            for chunk in _cut_line(line, limit):
                if lines and shown_length(lines[-1]) + 1 + shown_length(chunk) <= limit:
                    lines[-1] = f"{lines[-1]}\n{chunk}"
                else:
                    lines.append(chunk)
        pieces.extend(lines)
    return [p for p in pieces if p.strip()]


def _balanced(chunk: str) -> bool:
    opened: list[str] = []
    for match in _TAG.finditer(chunk):
        name = match.group(1).lower()
        if match.group(0).startswith("</"):
            if not opened or opened.pop() != name:
                return False
        else:
            opened.append(name)
    return not opened and chunk.count("<") == len(_TAG.findall(chunk))


def _cut_line(line: str, limit: int) -> list[str]:
    if shown_length(line) <= limit:
        return [line]
    if not _balanced(line):
        line = html.escape(plain(line), quote=False)
    chunks: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        chunk, line = line[:cut], line[cut:].lstrip(" ")
        if not _balanced(chunk):  # a word too long, or a tag cut: this one goes plain
            chunk = plain(chunk)
            chunk = html.escape(chunk, quote=False)[:limit]
        chunks.append(chunk)
    if line:
        chunks.append(line)
    return chunks


def keyboard(markup: Markup) -> dict[str, Any] | None:
    """The ``inline_keyboard`` attachment for a Telegram keyboard, or None (no keyboard).

    Raises ``KeyboardTooBig`` for a keyboard beyond MAX's shapes: the handlers' keyboards are
    built for Telegram's limits (100 buttons, 8 a row), so one that does not fit is a bug to see."""
    if isinstance(markup, InlineKeyboardMarkup):
        rows = [[_inline_button(b) for b in row] for row in markup.inline_keyboard]
    elif isinstance(markup, ReplyKeyboardMarkup):
        rows = [[{"type": "message", "text": b.text} for b in row] for row in markup.keyboard]
    else:
        return None
    rows = reflow([row for row in rows if row])
    if not rows:
        return None
    _check(rows)
    return {"type": "inline_keyboard", "payload": {"buttons": rows}}


def _inline_button(button: Any) -> dict[str, Any]:
    if button.url:
        return {"type": "link", "text": button.text, "url": button.url}
    if button.callback_data is not None:
        return {"type": "callback", "text": button.text, "payload": button.callback_data}
    raise KeyboardTooBig(f"a button MAX cannot show: {button.text!r}")


def _check(rows: list[list[dict[str, Any]]]) -> None:
    if len(rows) > MAX_ROWS:
        raise KeyboardTooBig(f"{len(rows)} rows (MAX allows {MAX_ROWS})")
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise KeyboardTooBig(f"more than {MAX_BUTTONS} buttons")
    for row in rows:
        if len(row) > MAX_ROW_BUTTONS:
            raise KeyboardTooBig(f"{len(row)} buttons in a row (MAX allows {MAX_ROW_BUTTONS})")
        for button in row:
            if not button["text"] or len(button["text"]) > MAX_BUTTON_TEXT:
                raise KeyboardTooBig(f"button text of {len(button['text'])} characters")
            if len(button.get("payload", "")) > MAX_PAYLOAD_LENGTH:
                raise KeyboardTooBig("a button payload over 1,024 characters")


def reflow(rows: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows of more than 7 buttons broken into rows of 7 (Telegram allows 8 a row); more than 30
    rows (Telegram allows 100 buttons in any shape: a long list) laid out wider, neighbouring rows
    put together up to as many a row as it takes, the last row (the way back) kept as it is."""
    out: list[list[dict[str, Any]]] = []
    for row in rows:
        out.extend(row[i : i + MAX_ROW_BUTTONS] for i in range(0, len(row), MAX_ROW_BUTTONS))
    if len(out) <= MAX_ROWS:
        return out
    body, last = out[:-1], out[-1]
    for width in range(2, MAX_ROW_BUTTONS + 1):
        packed: list[list[dict[str, Any]]] = []
        for row in body:
            if packed and len(packed[-1]) + len(row) <= width:
                packed[-1] = [*packed[-1], *row]
            else:
                packed.append(list(row))
        if len(packed) + 1 <= MAX_ROWS:
            break
    return [*packed, last]
