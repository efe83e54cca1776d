"""Competence framework files: every version stays loadable, since results keep theirs."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from domain.framework import Framework

FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"


class FrameworkError(ValueError):
    pass


class Frameworks:
    """All framework versions found in a folder, validated once."""

    def __init__(self, directory: Path = FRAMEWORKS_DIR) -> None:
        self._by_version: dict[str, Framework] = {}
        for path in sorted(directory.glob("*.yaml")):
            try:
                framework = Framework.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            except (ValidationError, yaml.YAMLError) as exc:
                raise FrameworkError(f"{path}: {exc}") from exc
            self._by_version[framework.version] = framework

    def get(self, version: str) -> Framework:
        try:
            return self._by_version[version]
        except KeyError:
            raise FrameworkError(f"no competence framework {version!r} in {FRAMEWORKS_DIR}") from None

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self._by_version)
