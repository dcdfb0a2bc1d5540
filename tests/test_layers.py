"""The architecture stays what the folders say: imports flow one way.

``ui`` / ``cli`` → ``services`` → ``domain`` / ``storage`` / ``workbook`` / ``reports``;
the renderers (workbook/, reports/) get the period model and never fetch; no page reads the
repository; the rules (domain/) know nothing of Qt, SQL or files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ledger_app"


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """The ledger_app packages (services, storage …) and outside modules a file imports,
    at module level or inside functions: relative imports resolved against the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(parts[: len(parts) - node.level])
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def _offenders(folder: str, banned: tuple[str, ...]) -> list[str]:
    out = []
    for path in _modules(folder):
        for name in _imports(path):
            if any(name == b or name.startswith(b + ".") for b in banned):
                out.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return sorted(set(out))


@pytest.mark.parametrize(
    ("folder", "banned"),
    [
        # the renderers get the period model; they never fetch
        ("workbook", ("ledger_app.services", "ledger_app.storage", "ledger_app.ui", "PySide6")),
        ("reports", ("ledger_app.services", "ledger_app.storage", "ledger_app.ui", "PySide6")),
        # the rules: plain Python
        (
            "domain",
            (
                "ledger_app.services",
                "ledger_app.storage",
                "ledger_app.ui",
                "ledger_app.workbook",
                "ledger_app.reports",
                "PySide6",
                "sqlite3",
                "sqlite_utils",
                "openpyxl",
                "reportlab",
            ),
        ),
        ("storage", ("ledger_app.services", "ledger_app.ui", "PySide6")),
        ("services", ("ledger_app.ui", "PySide6")),
        # pages ask the services
        ("ui", ("ledger_app.storage",)),
    ],
)
def test_imports_flow_one_way(folder, banned):
    assert _offenders(folder, banned) == []


def test_no_page_reads_the_repository_or_the_database():
    """The GUI reads through services (and the period model), never ``ledger.repo`` or
    ``ledger.db``."""
    found = []
    for path in _modules("ui"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("repo", "db"):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} .{node.attr}")
    assert found == []


def test_the_checker_sees_a_violation(tmp_path, monkeypatch):
    """The test above can fail: a renderer importing a service is caught."""
    bad = tmp_path / "ledger_app" / "workbook"
    bad.mkdir(parents=True)
    (bad / "x.py").write_text("from ..services.period import load\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "ledger_app")
    assert _offenders("workbook", ("ledger_app.services",)) == [
        "workbook/x.py imports ledger_app.services.period",
        "workbook/x.py imports ledger_app.services.period.load",
    ]
