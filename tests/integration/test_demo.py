"""The README's main job, as a user runs it: `corridor demo` in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corridor.cli.demo import DEMO_SCENARIOS


@pytest.mark.slow
def test_demo_writes_map_and_report(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "corridor", "demo", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("middle-corridor ")
    png = tmp_path / "out" / "middle-corridor.png"
    html = tmp_path / "out" / "report.html"
    assert png.stat().st_size > 50_000
    text = html.read_text(encoding="utf-8")
    for name in DEMO_SCENARIOS:
        assert name in text
    assert any(str(html) in line for line in lines)
