"""The competence framework of the self-diagnosis: versioned data, validated here.

A framework file (``storage/frameworks/<version>.yaml``) lists competence areas, each with
behavioural statements, and a four-level scale. «Не применимо» is always available and is not
part of the scale. A diagnosis keeps the version it was taken with.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

AREA_CODES = ("subject", "methodical", "psych_ped", "communicative", "it_digital", "managerial")
MANAGERS_ONLY = frozenset({"managerial"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    ru: str = Field(min_length=2, max_length=600)
    en: str = Field(min_length=2, max_length=600)

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


class Level(_Strict):
    value: int = Field(ge=1, le=4)
    label: Text
    description: Text


class Statement(_Strict):
    id: str = Field(pattern=r"^[a-z_]+-[0-9]{1,2}$")
    text: Text


class Area(_Strict):
    code: str
    name: Text
    statements: tuple[Statement, ...] = Field(min_length=5, max_length=8)

    @property
    def managers_only(self) -> bool:
        return self.code in MANAGERS_ONLY


class Framework(_Strict):
    version: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$")
    title: Text
    sources: tuple[str, ...] = ()
    scale: tuple[Level, ...] = Field(min_length=4, max_length=4)
    areas: tuple[Area, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if [level.value for level in self.scale] != [1, 2, 3, 4]:
            raise ValueError("scale must list levels 1, 2, 3, 4 in order")
        codes = [a.code for a in self.areas]
        unknown = set(codes) - set(AREA_CODES)
        if unknown:
            raise ValueError(f"unknown area codes: {sorted(unknown)}")
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate area codes")
        ids = [s.id for a in self.areas for s in a.statements]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate statement ids")
        return self

    def areas_for(self, manager: bool) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if manager or not a.managers_only)

    def statements_for(self, manager: bool) -> tuple[tuple[Area, Statement], ...]:
        """The questionnaire in the order it is asked."""
        return tuple((area, s) for area in self.areas_for(manager) for s in area.statements)

    def area(self, code: str) -> Area | None:
        return next((a for a in self.areas if a.code == code), None)
