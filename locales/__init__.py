"""Message catalogues (Fluent) and the translator the handlers receive.

Every argument is HTML-escaped unless wrapped in :class:`Html`, because messages are sent in
HTML parse mode and one stray ``<`` from a user's text would break the message for everyone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).parent
SUPPORTED = ("ru", "en")


class Html(str):
    """A string that is already safe HTML and must not be escaped again."""


class MissingMessage(KeyError):
    pass


@dataclass(frozen=True)
class Translator:
    locale: str
    bundle: FluentBundle

    def __call__(self, key: str, /, **args: object) -> str:
        message = self.bundle.get_message(key) if self.bundle.has_message(key) else None
        if message is None or message.value is None:
            raise MissingMessage(f"{self.locale}: no message {key!r}")
        text, errors = self.bundle.format_pattern(message.value, _prepare(args))
        if errors:
            raise MissingMessage(f"{self.locale}: {key}: {errors[0]}")
        if not isinstance(text, str):  # a pattern formats to text; FluentNone is only ever a placeable's
            raise MissingMessage(f"{self.locale}: {key}: no text")
        return text

    def has(self, key: str) -> bool:
        return self.bundle.has_message(key)


def _prepare(args: dict[str, object]) -> dict[str, object]:
    prepared: dict[str, object] = {}
    for name, value in args.items():
        if isinstance(value, Html):
            prepared[name] = str(value)
        elif isinstance(value, str):
            prepared[name] = html.escape(value, quote=False)
        elif isinstance(value, date):
            prepared[name] = value.strftime("%d.%m.%Y")
        elif value is None:
            prepared[name] = "—"
        else:
            prepared[name] = value
    return prepared


class Translations:
    """All catalogues, loaded once per process."""

    def __init__(self, directory: Path = LOCALES_DIR, locales: Iterable[str] = SUPPORTED) -> None:
        self._translators: dict[str, Translator] = {}
        for locale in locales:
            bundle = FluentBundle([locale], use_isolating=False)
            for path in sorted((directory / locale).glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._translators[locale] = Translator(locale, bundle)
        self.locales = tuple(self._translators)
        self._all_texts: dict[str, frozenset[str]] = {}

    def get(self, locale: str | None, default: str = "ru") -> Translator:
        return self._translators.get(locale or default) or self._translators[default]

    def all_texts(self, key: str) -> frozenset[str]:
        """The text of ``key`` in every locale: to recognise a reply-keyboard button."""
        if key not in self._all_texts:
            self._all_texts[key] = frozenset(t(key) for t in self._translators.values() if t.has(key))
        return self._all_texts[key]


def message_keys(locale: str, directory: Path = LOCALES_DIR) -> set[str]:
    from fluent.syntax import FluentParser, ast

    keys: set[str] = set()
    parser = FluentParser()
    for path in (directory / locale).glob("*.ftl"):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                raise ValueError(f"{path}: cannot parse: {(entry.content or '')[:80]!r}")
            if isinstance(entry, ast.Message):
                keys.add(entry.id.name)
    return keys
