"""Dependencies point one way: the domain knows no framework, services and storage know no messenger,
and the Bot API stand-in is not part of the bot. Read from the source, so a new import cannot slip in."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: str) -> dict[str, set[str]]:
    """Top-level names each module of ``package`` imports, by file."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (
            "domain",
            {"aiogram", "sqlalchemy", "aiohttp", "bot", "handlers", "services", "storage", "telegram_stub"},
        ),
        # storage/fsm.py implements aiogram's storage interface: the one aiogram import there.
        ("storage", {"bot", "handlers", "services", "telegram_stub"}),
        # The application layer serves any messenger: no messenger library, nothing above it.
        ("services", {"aiogram", "aiohttp", "bot", "handlers", "telegram_stub"}),
        ("handlers", {"bot", "telegram_stub"}),
        ("locales", {"aiogram", "sqlalchemy", "bot", "handlers", "storage"}),
    ],
)
def test_a_layer_imports_nothing_above_it(package: str, forbidden: set[str]) -> None:
    imports = _imports(package)
    wrong = {module: sorted(names & forbidden) for module, names in imports.items() if names & forbidden}
    assert wrong == {}


def test_the_bot_api_stand_in_is_used_only_by_the_sandbox_tests_and_benches() -> None:
    users = {
        module
        for package in ("bot", "handlers", "services", "storage", "domain", "locales")
        for module, names in _imports(package).items()
        if "telegram_stub" in names
    }
    assert users == {"bot/sandbox.py"}
