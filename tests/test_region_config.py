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


def test_the_regions_ship_and_validate() -> None:
    configs = {c.code: c for c in map(read_region_file, shipped_region_files())}
    assert {"kostroma", "kuzbass", "saratov"} <= set(configs)
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


def _shipped(code: str) -> RegionConfig:
    return read_region_file(SHIPPED_REGIONS_DIR / f"{code}.yaml")


def test_the_registry_ships_as_defaults_and_regions_add_their_own() -> None:
    defaults = ["R-1", "R-2", "C-3/R-3", "C-4", "R-4", "C-5", "C-6/R-5", "R-6"]
    assert [i.id for i in _shipped("kostroma").indicators] == defaults
    assert [i.id for i in _shipped("kuzbass").indicators] == [*defaults, "K4", "K6"]
    saratov = _shipped("saratov")
    assert [i.id for i in saratov.indicators] == [*defaults, *(f"P-{n}" for n in range(1, 7))]
    assert all(i.levels == ("municipality",) for i in saratov.indicators if i.id.startswith("P-"))
    k6 = next(i for i in _shipped("kuzbass").indicators if i.id == "K6")
    assert k6.cumulative and k6.target_for(2025) == 30 and k6.target_for(2023) is None
    k4 = next(i for i in _shipped("kuzbass").indicators if i.id == "K4")
    assert "не менее 50 % учителей" in k4.wording and k4.target_for(2024) == 50


def test_the_250_target_is_one_setting_of_c5() -> None:
    config = RegionConfig.model_validate(_valid())
    assert "methodist_max_caseload" not in config.thresholds.model_dump()
    assert _shipped("kostroma").caseload_target(2030) == 250
    data = _valid()
    data["indicators"] = [
        {
            "id": "C-5",
            "wording": "количество педагогических работников на методиста",
            "source": "000:1156",
            "numerator": "teachers_in_caseloads",
            "denominator": "regional_methodists",
            "levels": ["region"],
            "targets": {2024: 250, 2026: 200},
            "higher_is_better": False,
        }
    ]
    config = RegionConfig.model_validate(data)
    assert (config.caseload_target(2025), config.caseload_target(2027)) == (250, 200)
    assert config.settings().code == config.code


def test_a_region_overrides_a_default_by_id(tmp_path: Path) -> None:
    data = _valid()
    data["indicators"] = [
        {
            "id": "C-6/R-5",
            "wording": "доля педагогических работников в возрасте до 35 лет (региональная цель)",
            "source": "000:1160-1162",
            "numerator": "young_supported",
            "denominator": "young_teachers",
            "targets": {2025: 80},
        }
    ]
    config = read_region_file(_write(tmp_path, data))
    c6 = [i for i in config.indicators if i.id == "C-6/R-5"]
    assert len(c6) == 1 and c6[0].target_for(2025) == 80 and len(config.indicators) == 8


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"numerator": "schools_in_contests", "denominator": "teachers"}, "indicators.8"),
        ({"numerator": "young_supported", "denominator": "young_supported"}, "indicators.8"),
        ({"numerator": "counted_nowhere", "denominator": "teachers"}, "indicators.8.numerator"),
        ({"source": "line 5"}, "indicators.8.source"),
        ({"targets": {2024: 130}}, "indicators.8"),
        ({"levels": ["district"]}, "indicators.8.levels"),
    ],
)
def test_a_bad_indicator_is_refused_with_its_field(tmp_path: Path, entry: dict, field: str) -> None:
    data = _valid()
    good = {
        "id": "X-1",
        "wording": "Доля педагогических работников, принявших участие в чём-то",
        "source": "002:1889",
        "numerator": "contest_participants",
        "denominator": "teachers_and_managers",
    }
    data["indicators"] = [{**good, **entry}]
    with pytest.raises(RegionConfigError) as err:
        read_region_file(_write(tmp_path, data))
    assert field in str(err.value)


def test_periods_and_support_forms_are_settings(tmp_path: Path) -> None:
    assert _shipped("kuzbass").reporting_period == "school"
    assert _shipped("kostroma").reporting_period == "calendar"
    data = _valid()
    data["support_forms"] = ["mentorship"]
    assert read_region_file(_write(tmp_path, data)).support_forms == ("mentorship",)
    data["support_forms"] = ["moral_support"]
    with pytest.raises(RegionConfigError, match="support_forms"):
        read_region_file(_write(tmp_path, data))


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
