"""Faithfulness of terms (product.md): «выявление профессиональных дефицитов» is the ЦНППМ's function
in the documents; the bot's self-diagnosis is a self-assessment, a preliminary request."""

from __future__ import annotations

from pathlib import Path

import pytest

from locales import LOCALES_DIR, Translations, message_keys

SELF_KEYS = ("diag-intro", "diag-result", "help", "start-greeting", "route-need-diagnosis", "basis-self")


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_self_diagnosis_is_not_called_identifying_deficits(locale: str) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in Path(LOCALES_DIR, locale).glob("*.ftl"))
    for wrong in ("выявить профессиональные дефициты", "Самодиагностика профессиональных дефицитов"):
        assert wrong not in text
    for wrong in ("find your professional deficits", "Self-diagnosis of professional gaps"):
        assert wrong not in text
    assert set(SELF_KEYS) <= message_keys(locale)


def test_the_self_diagnosis_says_it_is_a_preliminary_request() -> None:
    t = Translations().get("ru")
    assert "предварительный запрос" in t("diag-intro", count=30, minutes=9, cnppm="ЦНППМ")
    assert "предварительный запрос" in t("basis-self", date="01.10.2026")
    assert "предварительный запрос" in t("help")
    assert "ЦНППМ" in t("basis-cnppm", date="15.10.2026", instrument="Инструмент")
    en = Translations().get("en")
    assert "preliminary request" in en("diag-intro", count=30, minutes=9, cnppm="ЦНППМ")
    assert "preliminary request" in en("basis-self", date="01.10.2026")
