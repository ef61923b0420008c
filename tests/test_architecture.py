"""The house rules that imports can break (STYLE.md), checked by walking every module's imports.

- Engines never import adapters.
- No package imports another package's private module (``corridor.network._tables`` from
  ``corridor.scenario``): a package's internals are reached only through its public names.
- Importing corridor does no I/O.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "corridor"
ENGINES = ("network", "demand", "scenario", "routing", "capacity", "sim", "tracking", "appraisal")
ENGINE_MODULES = ("units.py", "errors.py", "distributions.py")
ADAPTERS = (
    "corridor.report",
    "corridor.cli",
    "corridor.schemas",
    "corridor.service",
    "corridor.storage",
    "corridor.api",
    "corridor.web",
    "corridor.settings",
)


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


def _imported_names(path: Path) -> set[str]:
    """Every dotted name an import statement in ``path`` binds: ``a.b`` and ``a.b.c`` for ``from a.b import c``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def _module_of(path: Path, src: Path) -> str:
    """``corridor.network._load`` for ``network/_load.py`` (``corridor.network`` for its ``__init__``)."""
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(("corridor", *(parts[:-1] if parts[-1] == "__init__" else parts)))


def _owning_package(dotted: str, src: Path) -> str:
    """The package a private name belongs to: itself when it is a package, else its parent."""
    rel = dotted.split(".")[1:]
    return dotted if (src.joinpath(*rel)).is_dir() else dotted.rpartition(".")[0]


def cross_package_private_imports(path: Path, src: Path = SRC) -> list[str]:
    """Imports in ``path`` of a private module or name (``_x``) from outside the package that holds it.

    Inside a package (and its sub-packages) private names are shared freely; from outside, only
    the package's public names are used.
    """
    importer = _module_of(path, src)
    offenders = []
    for name in sorted(_imported_names(path)):
        parts = name.split(".")
        if parts[0] != "corridor":
            continue
        private_at = next((i for i, p in enumerate(parts) if p.startswith("_") and not p.startswith("__")), None)
        if private_at is None:
            continue
        owner = _owning_package(".".join(parts[:private_at]), src)
        if importer != owner and not importer.startswith(owner + "."):
            offenders.append(f"{path.relative_to(src)} imports {name}")
    return offenders


def test_no_package_imports_another_packages_private_module() -> None:
    offenders = [o for path in sorted(SRC.rglob("*.py")) for o in cross_package_private_imports(path)]
    assert offenders == []


def test_the_private_import_rule_catches_both_forms(tmp_path: Path) -> None:
    pkg = tmp_path / "corridor"
    for sub in ("scenario", "network", "cli", "demand"):
        (pkg / sub).mkdir(parents=True)
    probe = pkg / "scenario" / "probe.py"
    probe.write_text(
        "from corridor.network._tables import Column\n"
        "from corridor.network import _tables\n"
        "from corridor.scenario._model import Scenario\n"
        "from corridor.network.tables import check_limits\n"
        "from corridor.scenario._changes import Change\n",
        encoding="utf-8",
    )
    assert cross_package_private_imports(probe, pkg) == [
        "scenario/probe.py imports corridor.network._tables",
        "scenario/probe.py imports corridor.network._tables.Column",
    ]
    sibling = pkg / "cli" / "users.py"  # a private name of a module in the same package is fine
    sibling.write_text(
        "from corridor.cli.serve import _check_db\nfrom corridor.demand._load import x\n", encoding="utf-8"
    )
    assert cross_package_private_imports(sibling, pkg) == [
        "cli/users.py imports corridor.demand._load",
        "cli/users.py imports corridor.demand._load.x",
    ]


def test_the_walker_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from corridor.report.table import render_table\nimport corridor.cli\n", encoding="utf-8")
    assert {"corridor.report.table", "corridor.cli"} <= _imports(probe)
    assert len(_engine_files()) > 5


_FILES_READ = """
import sys
opened = []
def hook(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
        opened.append((event, str(args[0])))
sys.addaudithook(hook)
import importlib
importlib.import_module(sys.argv[1])
skip = (sys.prefix, sys.base_prefix)
code = (".py", ".pyc", ".so", ".pth")
for event, path in opened:
    if event == "open" and (path.endswith(code) or path.startswith(skip)):
        continue  # the import system reading code, or a third-party/stdlib module reading its own files
    if event != "open" and "/corridor/data" not in path:
        continue  # the import system listing package folders to find modules
    print(event, path)
"""


def _files_read_by_importing(module: str, *, path: Path | None = None) -> list[str]:
    """Every file opened (by any means: open, Path.read_text, os.open …) while importing ``module``,
    seen through the interpreter's audit hook, in a fresh process."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    if path is not None:
        env["PYTHONPATH"] = f"{path}{os.pathsep}{env.get('PYTHONPATH', '')}"
    out = subprocess.run(
        [sys.executable, "-c", _FILES_READ, module], capture_output=True, text=True, check=True, env=env
    ).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_importing_corridor_does_no_io() -> None:
    assert _files_read_by_importing("corridor") == []


def test_the_io_probe_sees_a_path_read_text(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "probe_reads.py").write_text(
        "from pathlib import Path\nTEXT = (Path(__file__).parent / 'data.csv').read_text()\n", encoding="utf-8"
    )
    found = _files_read_by_importing("probe_reads", path=tmp_path)
    assert any(line.endswith("data.csv") for line in found), found
