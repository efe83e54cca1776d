"""The command line: migrate, load-demo, load-region with a broken file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return path


def test_migrate_then_load_demo(db_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["load-demo"]) == 0
    assert "loaded region kostroma" in capsys.readouterr().out
    with sqlite3.connect(db_env) as conn:
        regions = {row[0] for row in conn.execute("SELECT code FROM regions")}
        buy = conn.execute("SELECT count(*) FROM municipalities WHERE name LIKE '%Буй%'").fetchone()[0]
    assert {"kostroma", "kuzbass"} <= regions
    assert buy == 2
    assert main(["load-demo"]) == 0  # loading again updates, never duplicates
    with sqlite3.connect(db_env) as conn:
        assert conn.execute("SELECT count(*) FROM municipalities WHERE name LIKE '%Буй%'").fetchone()[0] == 2


def test_load_region_reports_file_and_field(
    db_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: test\nname: Тест\nname_en: Test\ntimezone: Nowhere/Land\n", encoding="utf-8")
    assert main(["load-region", str(broken)]) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "timezone" in err and "organisations" in err


def test_bad_admin_ids_are_a_clear_configuration_error(
    db_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ADMIN_IDS", "12,abc")
    assert main(["migrate"]) == 2
    assert "ADMIN_IDS" in capsys.readouterr().err


def test_webhook_without_a_public_address_says_what_to_set(
    db_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_TOKEN", "42:CLI")
    monkeypatch.delenv("WEBHOOK_BASE_URL", raising=False)
    assert main(["webhook"]) == 2
    err = capsys.readouterr().err
    assert "WEBHOOK_BASE_URL" in err and "/telegram/webhook" in err and "python -m bot run" in err


def test_log_format_json_writes_one_json_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import logging

    from bot.logs import setup_logging

    setup_logging("INFO", "json")
    try:
        logging.getLogger("bot.test").info("outbox sent", extra={"sent": 3, "тема": "ИОМ"})
    finally:
        setup_logging("INFO")
    entry = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert entry["msg"] == "outbox sent" and entry["sent"] == 3 and entry["тема"] == "ИОМ"
    assert entry["level"] == "INFO" and entry["logger"] == "bot.test" and ":" in entry["worker"]


def test_a_webhook_secret_telegram_would_refuse_is_a_configuration_error(
    db_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", "пароль с пробелами")
    assert main(["webhook"]) == 2
    assert "WEBHOOK_SECRET must be 1-256 characters" in capsys.readouterr().err
