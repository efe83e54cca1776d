"""The catalogues: same keys in every language, Russian plurals, escaping of arguments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locales import Html, Translations, message_keys

SOURCES = [p for d in ("bot", "handlers") for p in Path(d).rglob("*.py")]


def test_same_keys_in_ru_and_en() -> None:
    ru, en = message_keys("ru"), message_keys("en")
    assert ru == en, {"only ru": ru - en, "only en": en - ru}


def test_every_literal_key_used_in_code_exists() -> None:
    keys = message_keys("ru")
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r'\bt\(\s*"([a-z][a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert used, "no keys found: the pattern is wrong"
    assert used - keys == set()


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "найден 1 вариант"),
        (2, "найдено 2 варианта"),
        (5, "найдено 5 вариантов"),
        (11, "11 вариантов"),
        (21, "найден 21 вариант"),
        (23, "23 варианта"),
        (111, "111 вариантов"),
    ],
)
def test_russian_plurals(translations: Translations, count: int, expected: str) -> None:
    assert expected in translations.get("ru")("picker-found", query="x", count=count)


def test_english_plurals(translations: Translations) -> None:
    t = translations.get("en")
    assert "1 match " in t("picker-found", query="x", count=1)
    assert "2 matches" in t("picker-found", query="x", count=2)


def test_arguments_are_escaped_unless_marked_html(translations: Translations) -> None:
    t = translations.get("ru")
    assert "&lt;b&gt;" in t("picker-nothing-found", query="<b>")
    assert "<b>" in t("picker-nothing-found", query=Html("<b>"))


def test_unknown_locale_falls_back_to_default(translations: Translations) -> None:
    assert translations.get("de").locale == "ru"
