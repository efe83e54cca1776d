"""Region configuration files: the shipped ones load, bad ones are refused with file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import event

from bot.factory import Database
from domain.region import RegionConfig
from storage import repositories
from storage.models import Region
from storage.regions_loader import (
    SHIPPED_REGIONS_DIR,
    RegionConfigError,
    load_region,
    read_region_file,
    shipped_region_files,
)
from storage.repositories import DirectoryRepo


def test_two_regions_ship_and_validate() -> None:
    configs = {c.code: c for c in map(read_region_file, shipped_region_files())}
    assert {"kostroma", "kuzbass"} <= set(configs)
    assert configs["kostroma"].timezone == "Europe/Moscow"
    assert configs["kuzbass"].timezone == "Asia/Novokuznetsk"


def test_kostroma_keeps_buy_and_buysky_apart_with_2024_internship_schools() -> None:
    kostroma = read_region_file(next(p for p in shipped_region_files() if p.stem == "kostroma"))
    names = [m.name for m in kostroma.municipalities]
    buy = [n for n in names if "Буй" in n]
    assert len(buy) == 2, buy
    sites = [s.name for m in kostroma.municipalities for s in m.schools if 2024 in s.internship_site_years]
    assert len(sites) == 14
    assert any("Лапшинская" in s for s in sites)


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _valid() -> dict:
    source = next(p for p in shipped_region_files() if p.stem == "kostroma")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(timezone="Mars/Olympus"), "timezone"),
        (
            lambda d: d["thresholds"].update(young_teacher_max_age="тридцать"),
            "thresholds.young_teacher_max_age",
        ),
        (lambda d: d.pop("organisations"), "organisations"),
        (lambda d: d["municipalities"].append(dict(d["municipalities"][0])), "municipalities"),
        (lambda d: d.update(unexpected=1), "unexpected"),
        (lambda d: d["municipalities"][0].update(kind="village"), "municipalities.0.kind"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, change, field: str) -> None:
    data = _valid()
    change(data)
    path = _write(tmp_path, data)
    with pytest.raises(RegionConfigError) as err:
        read_region_file(path)
    assert str(path) in str(err.value)
    assert field in str(err.value)


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(RegionConfigError, match="not valid YAML"):
        read_region_file(path)


def test_targets_by_year() -> None:
    config = RegionConfig.model_validate(_valid())
    assert config.targets_for(2030).c6_young_supported_share is not None
    assert config.settings().code == config.code


async def test_region_settings_are_read_once_and_forgotten_when_the_region_is_loaded(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM regions" in statement:
            statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    async with database.sessionmaker() as session:
        first = await DirectoryRepo(session).region_settings("kostroma")
        again = await DirectoryRepo(session).region_settings("kostroma")
    assert first is not None and again is first and len(statements) == 1

    # Another process changes the row: seen once the minute is over.
    async with database.sessionmaker() as session:
        region = await session.get(Region, "kostroma")
        assert region is not None
        region.config = {**region.config, "framework": "changed-elsewhere"}
        await session.commit()
    async with database.sessionmaker() as session:
        assert (await DirectoryRepo(session).region_settings("kostroma")) is first
        monkeypatch.setattr(repositories, "REGION_SETTINGS_TTL_S", 0.0)
        changed = await DirectoryRepo(session).region_settings("kostroma")
    assert changed is not None and changed.framework == "changed-elsewhere"
    monkeypatch.undo()

    # load-region in this process: seen at once, after its commit.
    config = read_region_file(SHIPPED_REGIONS_DIR / "kostroma.yaml")
    async with database.sessionmaker() as session:
        await load_region(session, config)
        await session.commit()
    async with database.sessionmaker() as session:
        reloaded = await DirectoryRepo(session).region_settings("kostroma")
    assert reloaded is not None and reloaded.framework == config.settings().framework
