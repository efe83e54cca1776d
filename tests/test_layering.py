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
        ("handlers", {"bot", "telegram_stub", "max_stub"}),
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
    max_users = {
        module
        for package in ("bot", "handlers", "services", "storage", "domain", "locales")
        for module, names in _imports(package).items()
        if "max_stub" in names
    }
    assert max_users == {"bot/sandbox.py", "bot/sandbox_max.py"}  # tests and the sandbox only


def _modules(package: str) -> dict[str, set[str]]:
    """Full module names each file of ``package`` imports (``storage.models``, not ``storage``)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


# What a handler may take from storage: the models' types (to name what a service returned) and the
# competence frameworks (read-only files, loaded once at start).
HANDLER_STORAGE = {"storage.models", "storage.frameworks"}
DATABASE_CALLS = {"commit", "rollback", "flush", "execute", "scalar", "scalars", "get", "add", "delete"}


def test_handlers_only_translate_no_database_in_them() -> None:
    """No session, no query, no commit in ``handlers/``: every change goes through a service."""
    wrong: list[str] = []
    for module, names in _modules("handlers").items():
        stored = {n for n in names if n == "storage" or n.startswith("storage.")}
        stored = {n for n in stored if not any(n == s or n.startswith(s + ".") for s in HANDLER_STORAGE)}
        wrong += [f"{module} imports {name}" for name in sorted(stored)]
        wrong += [f"{module} imports {n}" for n in sorted(names) if n.split(".")[0] == "sqlalchemy"]
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.arg) and node.arg in {"session", "sessionmaker"}:
                wrong.append(f"{module}:{node.lineno} takes a {node.arg}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in DATABASE_CALLS
                and isinstance(node.func.value, ast.Name | ast.Attribute)
                and "session" in ast.unparse(node.func.value)
            ):
                wrong.append(f"{module}:{node.lineno} {ast.unparse(node.func)}()")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "select":
                wrong.append(f"{module}:{node.lineno} select()")
    assert wrong == []


def test_only_the_dispatcher_factory_imports_handlers() -> None:
    """The jobs, the senders and the CLI get Telegram's renderers from ``bot.factory``."""
    importers = {
        module
        for package in ("bot", "services", "storage", "domain", "locales")
        for module, names in _imports(package).items()
        if "handlers" in names
    }
    assert importers == {"bot/factory.py"}
