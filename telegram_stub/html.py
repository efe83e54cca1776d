"""Telegram's HTML parse mode, as the Bot API checks and parses it.

`parse_html` turns HTML-formatted text into plain text and message entities (offsets in UTF-16
code units, ordered as Telegram orders them), or raises `EntityParseError` worded as Telegram
words its "can't parse entities" errors. `visible_text` is what a user sees of a text sent with a
parse mode, and never raises.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["EntityParseError", "parse_html", "visible_text"]


class EntityParseError(ValueError):
    """Markup Telegram cannot parse; the message is worded as Telegram words it."""


_HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "tg-emoji",
        "tg-time", "code", "pre", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TAG_ENTITIES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler",
}  # fmt: skip
_ENTITY_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49, "text_mention": 49,
    "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93, "spoiler": 94, "custom_emoji": 99,
}  # fmt: skip
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Telegram's tokenizer treats NUL as a space: it is what it reads past the end of the text.
_HTML_SPACES = frozenset(" \t\n\r\v\f\0")
_END = "\0"
_TRIMMED = " \t\n\r\v\f"
# Characters that show nothing: a text made only of these counts as empty.
_INVISIBLE = frozenset(
    _TRIMMED + "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c"
    "\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u2800\u3000\ufeff"
)


@dataclass
class _OpenTag:
    name: str
    attributes: dict[str, str]
    utf16_offset: int
    output_index: int  # index into the output characters, to read the tag's text back


_MARKUP_START = re.compile("[<&]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _ascii_lower(text: str) -> str:
    # Telegram lower-cases tag names byte-wise, so only ASCII letters change.
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at text[pos] == "&": (character, next index) or None."""

    def at(i: int) -> str:
        return text[i] if i < len(text) else _END

    end = pos + 1
    if at(end) == "#":
        end += 1
        code = 0
        if at(end) == "x":
            end += 1
            while at(end) in "0123456789abcdefABCDEF" and at(end) != _END:
                code = code * 16 + int(at(end), 16)
                end += 1
                if code >= 0x10FFFF:
                    return None
        else:
            while "0" <= at(end) <= "9":
                code = code * 10 + int(at(end))
                end += 1
                if code >= 0x10FFFF:
                    return None
        if code == 0:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(code)
    else:
        while at(end).isascii() and at(end).isalpha():
            end += 1
        named = _NAMED_HTML_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if at(end) == ";":
        end += 1
    return char, end


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse text in Telegram's HTML parse mode into (visible text, Bot API entities).

    A port of the tokenizer of TDLib's ``parse_html``: the same tags, the same leniency (attribute
    values, ``</>`` closing any tag) and the same error messages, raised as `EntityParseError`.
    One deliberate difference: an "&" that starts no character reference is an error here, while
    Telegram shows it as is — the Bot API documentation requires it to be escaped, and an unescaped
    "&" usually means user input was not escaped either. Offsets are in UTF-16 code units.
    """
    length = len(source)

    def at(i: int) -> str:
        return source[i] if i < length else _END

    def is_space(ch: str) -> bool:
        return ch in _HTML_SPACES

    output: list[str] = []
    utf16 = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < length:
        ch = source[i]
        if ch == "&":
            decoded = _decode_html_entity(source, i)
            if decoded is None:
                raise EntityParseError(
                    f'Character "&" must be escaped as "&amp;" at byte offset {_byte_offset(source, i)}'
                )
            char, i = decoded
            output.append(char)
            utf16 += _utf16_len(char)
            continue
        if ch != "<":
            # A run of plain text up to the next tag or character reference, in one piece.
            found = _MARKUP_START.search(source, i + 1)
            end = found.start() if found else length
            output.append(source[i:end])
            utf16 += _utf16_len(source[i:end])
            i = end
            continue

        begin = i
        offset = _byte_offset(source, begin)
        i += 1
        if at(i) != "/":
            while not is_space(at(i)) and at(i) != ">":
                i += 1
            if i >= length:
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            tag = _ascii_lower(source[begin + 1 : i])
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
            attributes: dict[str, str] = {}
            while at(i) != ">":
                while i < length and is_space(at(i)):
                    i += 1
                if at(i) == ">":
                    break
                name_begin = i
                while not is_space(at(i)) and at(i) not in "=>":
                    i += 1
                name = source[name_begin:i]
                if not name:
                    raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
                while i < length and is_space(at(i)):
                    i += 1
                if at(i) != "=":
                    if tag == "blockquote" and name == "expandable":
                        attributes[name] = ""
                        continue
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {offset}'
                    )
                i += 1
                while i < length and is_space(at(i)):
                    i += 1
                if i >= length:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {offset}')
                if at(i) not in "'\"":
                    # An unquoted value is a name token: letters, digits, periods and hyphens.
                    token_begin = i
                    while at(i).isascii() and (at(i).isalnum() or at(i) in ".-") and at(i) != _END:
                        i += 1
                    value = _ascii_lower(source[token_begin:i])
                    if not is_space(at(i)) and at(i) != ">":
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {_byte_offset(source, token_begin)}"
                        )
                else:
                    quote = at(i)
                    i += 1
                    chars: list[str] = []
                    while i < length and at(i) != quote:
                        if at(i) == "&":
                            # Inside attribute values Telegram keeps an unknown "&" as is, and so do
                            # we: URLs with query strings are common there.
                            decoded = _decode_html_entity(source, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(at(i))
                        i += 1
                    if at(i) == quote:
                        i += 1
                    value = "".join(chars)
                if i >= length:
                    raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
                attributes[name] = value
            if tag == "span" and attributes.get("class") != "tg-spoiler":
                raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            stack.append(_OpenTag(tag, attributes, utf16, len(output)))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
            while not is_space(at(i)) and at(i) != ">":
                i += 1
            end_name = source[begin + 2 : i]
            while i < length and is_space(at(i)):
                i += 1
            if at(i) != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
            opened = stack.pop()
            if end_name and _ascii_lower(end_name) != opened.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{opened.name}>", '
                    f'found "</{end_name}>"'
                )
            if utf16 > opened.utf16_offset:
                _close_entity(
                    opened, utf16 - opened.utf16_offset, "".join(output[opened.output_index :]), entities
                )
        i += 1  # past ">"
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')

    for entity in entities:
        entity.pop("_language", None)
    # Telegram's order: by offset, longer first, then by its fixed type priority.
    entities.sort(key=lambda e: (e["offset"], -e["length"], _ENTITY_PRIORITY.get(e["type"], 50)))
    return "".join(output), entities


def _close_entity(opened: _OpenTag, length: int, inner_text: str, entities: list[dict[str, Any]]) -> None:
    """Append the entity a closed tag produces, if it produces one."""
    offset = opened.utf16_offset
    tag = opened.name
    attributes = opened.attributes
    entity: dict[str, Any] = {"offset": offset, "length": length}
    if tag in _SIMPLE_TAG_ENTITIES:
        entity["type"] = _SIMPLE_TAG_ENTITIES[tag]
    elif tag == "a":
        url = attributes.get("href") or inner_text
        if url.startswith("tg://user?id="):
            try:
                user_id = int(url.removeprefix("tg://user?id="))
            except ValueError:
                return
            entity.update(type="text_mention", user={"id": user_id, "is_bot": False, "first_name": ""})
        else:
            normalised = _normalise_url(url)
            if normalised is None:
                return  # Telegram silently drops links it cannot use
            entity.update(type="text_link", url=normalised)
    elif tag == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit() or int(emoji_id) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=emoji_id)
    elif tag == "tg-time":
        unix = attributes.get("unix", "")
        if not unix.isdigit() or int(unix) == 0:
            return
        entity.update(type="date_time", unix_time=int(unix))
        if attributes.get("format"):
            entity["date_time_format"] = attributes["format"]
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attributes else "blockquote"
    elif tag == "code":
        css_class = attributes.get("class", "")
        language = css_class.removeprefix("language-") if css_class.startswith("language-") else ""
        last = entities[-1] if entities else None
        if (
            language
            and last
            and last["type"] == "pre"
            and not last.get("language")
            and _same_span(last, entity)
        ):
            last["language"] = language  # <code class="language-x"><pre>…</pre></code>
            return
        entity["type"] = "code"
        if language:
            entity["_language"] = language  # consumed by an enclosing <pre>
    elif tag == "pre":
        last = entities[-1] if entities else None
        if last and last["type"] == "code" and last.get("_language") and _same_span(last, entity):
            entities.pop()  # <pre><code class="language-x">…</code></pre> is one pre entity
            entity.update(type="pre", language=last["_language"])
        else:
            entity["type"] = "pre"
    entities.append({"type": entity.pop("type"), **entity})  # "type" first, as Telegram writes it


def _same_span(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a["offset"] == b["offset"] and a["length"] == b["length"]


def _normalise_url(url: str) -> str | None:
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if url.startswith(("tg:", "mailto:")):
        return url
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https", "ftp", "tonsite") or not parts.netloc:
        return None
    if not parts.path and not parts.query and not parts.fragment:
        url += "/"
    return url


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace as Telegram does, moving the entities with the text."""
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return text, entities
    lead = _utf16_len(text[: len(text) - len(text.lstrip(_TRIMMED))])
    total = _utf16_len(stripped)
    moved: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return stripped, moved


def _strip_tags_leniently(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", text))


def visible_text(text: str | None, parse_mode: str | None) -> str:
    """What the user sees for text sent with parse_mode: markup parsed, whitespace trimmed.

    Never raises: markup Telegram would refuse is stripped as well as possible.
    """
    if not text:
        return ""
    if (parse_mode or "").lower() == "html":
        try:
            text = parse_html(text)[0]
        except EntityParseError:
            text = _strip_tags_leniently(text)
    return text.strip(_TRIMMED)


def _is_blank(text: str) -> bool:
    return all(ch in _INVISIBLE for ch in text)
