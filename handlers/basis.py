"""What an ИОМ rests on, said the same way on the route screen, in its DOCX and on the methodist's
card: ЦНППМ's diagnosis (its date and instrument), or the self-diagnosis as a preliminary request."""

from __future__ import annotations

from domain.diagnosis import Source
from locales import Translator
from storage.models import Diagnosis


def diagnosis_day(diagnosis: Diagnosis) -> str:
    return f"{(diagnosis.finished_at or diagnosis.started_at):%d.%m.%Y}"


def basis_value(diagnosis: Diagnosis | None, t: Translator) -> str:
    """«диагностика ЦНППМ от 12.03.2026 (инструмент)» or «самодиагностика от … — предварительный запрос»."""
    if diagnosis is None:
        return t("basis-none")
    if diagnosis.source == Source.CNPPM:
        return t("basis-cnppm", date=diagnosis_day(diagnosis), instrument=diagnosis.instrument or "—")
    return t("basis-self", date=diagnosis_day(diagnosis))


def basis_line(diagnosis: Diagnosis | None, t: Translator) -> str:
    """The line «Основа ИОМ: …» under a route."""
    return t("basis-line", basis=basis_value(diagnosis, t))
