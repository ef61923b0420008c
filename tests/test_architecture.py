"""Engines never import adapters (STYLE.md): walk every engine module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "corridor"
ENGINES = ("network", "demand", "scenario", "routing", "capacity", "sim", "appraisal")
ENGINE_MODULES = ("units.py", "errors.py")
ADAPTERS = ("corridor.report", "corridor.cli", "corridor.storage", "corridor.api", "corridor.web", "corridor.settings")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _engine_files() -> list[Path]:
    files = [SRC / m for m in ENGINE_MODULES]
    for pkg in ENGINES:
        files += sorted((SRC / pkg).rglob("*.py"))
    return [f for f in files if f.exists()]


def test_engines_import_no_adapter() -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {mod}"
        for path in _engine_files()
        for mod in _imports(path)
        if mod.startswith(ADAPTERS)
    ]
    assert offenders == []


def test_the_walker_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from corridor.report.table import render_table\nimport corridor.cli\n", encoding="utf-8")
    assert {"corridor.report.table", "corridor.cli"} <= _imports(probe)
    assert len(_engine_files()) > 5


def test_importing_corridor_does_no_io() -> None:
    import subprocess
    import sys

    code = (
        "import builtins, sys\n"
        "opened = []\n"
        "real = builtins.open\n"
        "builtins.open = lambda *a, **k: (opened.append(a[0]), real(*a, **k))[1]\n"
        "import corridor\n"
        "print([o for o in opened if 'corridor' in str(o)])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
