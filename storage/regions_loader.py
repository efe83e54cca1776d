"""Region configuration files: read, validate, and load into the directory tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.region import RegionConfig
from storage.models import Municipality, Region, School
from storage.repositories import forget_region_settings

SHIPPED_REGIONS_DIR = Path(__file__).parent / "regions"
DEFAULT_INDICATORS = SHIPPED_REGIONS_DIR / "defaults" / "indicators.yaml"
DEMO_REGION = "kostroma"


class RegionConfigError(ValueError):
    """A region file that cannot be used; the message names the file and the field."""


def read_region_file(path: Path) -> RegionConfig:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegionConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise RegionConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise RegionConfigError(f"{path}: expected a mapping at the top level")
    raw["indicators"] = with_default_indicators(raw.get("indicators"), path)
    try:
        return RegionConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()
        )
        raise RegionConfigError(f"{path}: {problems}") from exc


def default_indicators() -> list[dict[str, Any]]:
    """The shipped indicator registry every region gets (federal C-*, recommendations' R-*)."""
    raw = yaml.safe_load(DEFAULT_INDICATORS.read_text(encoding="utf-8"))
    return list(raw["indicators"])


def with_default_indicators(own: Any, path: Path) -> list[Any]:
    """The defaults, each replaced by the region's entry of the same id, then the region's own."""
    if own is None:
        own = []
    if not isinstance(own, list):
        raise RegionConfigError(f"{path}: indicators: expected a list")
    defaults = default_indicators()
    default_ids = {entry["id"] for entry in defaults}
    mine = {entry.get("id"): entry for entry in own if isinstance(entry, dict)}
    merged = [mine.get(entry["id"], entry) for entry in defaults]
    return merged + [
        entry for entry in own if not (isinstance(entry, dict) and entry.get("id") in default_ids)
    ]


def shipped_region_files() -> list[Path]:
    return sorted(SHIPPED_REGIONS_DIR.glob("*.yaml"))


async def load_region(session: AsyncSession, config: RegionConfig) -> None:
    """Insert or update a region and its directories by their external ids.

    Entries missing from the file are kept: users may still refer to them.
    """
    region = await session.get(Region, config.code)
    if region is None:
        region = Region(code=config.code)
        session.add(region)
    region.name = config.name
    region.name_en = config.name_en
    region.timezone = config.timezone
    region.config = config.settings().model_dump(mode="json")
    forget_region_settings(session)

    existing = {
        m.external_id: m
        for m in await session.scalars(select(Municipality).where(Municipality.region_code == config.code))
    }
    for item in config.municipalities:
        municipality = existing.get(item.id)
        if municipality is None:
            municipality = Municipality(region_code=config.code, external_id=item.id)
            session.add(municipality)
        municipality.name = item.name
        municipality.kind = item.kind
        municipality.methodical_service = item.methodical_service
        await session.flush()
        schools = {
            s.external_id: s
            for s in await session.scalars(select(School).where(School.municipality_id == municipality.id))
        }
        for school_item in item.schools:
            school = schools.get(school_item.id)
            if school is None:
                school = School(municipality_id=municipality.id, external_id=school_item.id)
                session.add(school)
            school.name = school_item.name
            school.internship_site_years = list(school_item.internship_site_years)
    await session.flush()


async def load_shipped_regions(session: AsyncSession) -> list[str]:
    configs = [read_region_file(path) for path in shipped_region_files()]
    for config in configs:
        await load_region(session, config)
    await session.commit()
    return [c.code for c in configs]
