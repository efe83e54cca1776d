"""Region configuration files: the shipped ones load, bad ones are refused with file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from domain.region import RegionConfig
from storage.regions_loader import RegionConfigError, read_region_file, shipped_region_files


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
