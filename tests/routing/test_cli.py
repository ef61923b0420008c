from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from corridor.cli import main

from .conftest import MINI


def test_cli_json(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gj = tmp_path / "r.geojson"
    assert main(["route", "Alpha", "Zulu", "-n", str(MINI), "--cargo", "2x40HC", "--json", "--geojson", str(gj)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["routes"][0]["nodes"] == ["A", "G", "J", "P", "Q", "Z"]
    assert json.loads(gj.read_text())["features"][0]["geometry"]["type"] == "LineString"


def test_cli_table(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["route", "A", "Z", "-n", str(MINI), "--depart", "2025-01-10"]) == 0
    out = capsys.readouterr().out
    assert "door to door" in out and "Options" in out and "CO2e (well-to-wheel)" in out


def test_cli_errors_are_clean() -> None:
    for args, needle in (
        (["route", "Alpah", "Z"], "did you mean"),
        (["route", "A", "Z", "--avoid", "ferry"], "avoid ferry cuts the network"),  # the engine names its parameter
        (["route", "A", "Z", "--cargo", "2x50HC"], "--cargo"),
        (["route", "A", "Z", "--depart", "next week"], "--depart"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "corridor.cli", *args, "-n", str(MINI)], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 1, proc.stderr
        assert needle in proc.stderr and "Traceback" not in proc.stderr


def test_output_fits_columns_and_json_keeps_the_full_path() -> None:  # issue 11: 124-182 columns, paths to 469
    import json
    import os
    import subprocess
    import sys

    for columns in (80, 100):
        env = {**os.environ, "COLUMNS": str(columns)}
        args = [sys.executable, "-m", "corridor", "route", "Xi'an", "Duisburg", "-k", "4", "--depart", "2025-01-10"]
        out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
        assert max(len(line) for line in out.splitlines()) <= columns
        assert "arrives P50" in out and "USD per container" in out
        assert "closure season" in out  # January departure meets the Caspian storms
    data = json.loads(subprocess.run([*args, "--json"], env=env, capture_output=True, text=True, check=True).stdout)
    first = data["routes"][0]
    assert first["nodes"][0] == "CNXIA" and first["nodes"][-1] == "DEDUI"
    assert first["arrival"]["p50"].startswith("2025-01-") or first["arrival"]["p50"].startswith("2025-02-")
    assert first["cost_usd"]["per_unit"]["unit"] == "container"


def test_route_text_path_imports_no_heavy_library(tmp_path: Path) -> None:  # issue 11: start-up was 1.7-4 s
    """`corridor route` (text output, cache warm) must not pay for pydantic, scipy, numba or matplotlib."""
    import os

    code = (
        "import sys\nfrom corridor.cli import main\n"
        "code = main(['route', 'Altynkol', 'Baku'])\n"
        "heavy = sorted(m for m in ('pydantic', 'scipy', 'numba', 'matplotlib', 'networkx', 'highspy') if m in sys.modules)\n"
        "print('HEAVY', ','.join(heavy))\nsys.exit(code)\n"
    )
    env = {**os.environ, "CORRIDOR_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first call fills the cache, the second takes the cache-hit path
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "HEAVY \n" in proc.stdout or proc.stdout.rstrip().endswith("HEAVY"), proc.stdout[-300:]
    assert "Altynkol" in proc.stdout


def _stages(err: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith("[")]


def test_progress_names_each_stage_on_stderr_only_when_asked(capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: every phase that can exceed a second says so on stderr (load, arrays, search)."""
    assert main(["route", "A", "Z", "-n", str(MINI), "--progress"]) == 0
    captured = capsys.readouterr()
    assert _stages(captured.err) == ["loading network …", "routing arrays …", "searching …", "done"]
    assert "Options" in captured.out and "loading" not in captured.out  # stdout keeps only the answer
    assert main(["route", "Altynkol", "Baku", "--progress"]) == 0  # the bundled network times a demand set
    assert _stages(capsys.readouterr().err) == [
        "loading network …", "expected queueing of demand 2024 …", "routing arrays …", "searching …", "done",
    ]  # fmt: skip
    assert main(["route", "A", "Z", "-n", str(MINI)]) == 0  # stderr is not a terminal here: quiet by default
    assert capsys.readouterr().err == ""
    assert main(["route", "A", "Z", "-n", str(MINI), "--no-progress"]) == 0
    assert capsys.readouterr().err == ""
