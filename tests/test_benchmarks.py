"""Benchmarks that cannot rot: every ``benchmarks/*.py`` runs in its ``--quick`` mode (seconds) and
ends with the documented JSON line (DESIGN.md, "Benchmarks")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BENCHMARKS = sorted((ROOT / "benchmarks").glob("*.py"))
KEYS = {"benchmark": str, "ours_s": (int, float), "peer": str, "peer_s": (int, float), "ratio": (int, float),
        "equal_results": bool}  # fmt: skip


def check_json_lines(lines: list[str]) -> list[dict[str, object]]:
    """The trailing JSON comparison lines (one per comparison, headline last); raises if the last is not one."""
    found: list[dict[str, object]] = []
    for line in reversed(lines):
        if not line.startswith("{"):
            break
        found.insert(0, json.loads(line))
    assert found, f"the last line is not a JSON object: {lines[-1:]}"
    for item in found:
        for key, kind in KEYS.items():
            assert isinstance(item.get(key), kind), (
                f"{item.get('benchmark')}: {key} should be {kind}, got {item.get(key)!r}"
            )
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_quick_mode_completes_with_the_json_line(path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(path), "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    check_json_lines(lines)


def test_every_benchmark_has_a_quick_mode() -> None:
    assert BENCHMARKS
    for path in BENCHMARKS:
        assert "--quick" in path.read_text(encoding="utf-8"), path.name


def test_the_line_check_can_fail() -> None:
    good = '{"benchmark": "b", "ours_s": 0.1, "peer": "p", "peer_s": 1.0, "ratio": 10.0, "equal_results": true}'
    assert check_json_lines(["table", good])[0]["ratio"] == 10.0
    with pytest.raises(AssertionError, match="last line"):
        check_json_lines([good, "done"])
    with pytest.raises(AssertionError, match="ratio"):
        check_json_lines([good.replace('"ratio": 10.0', '"ratio": "fast"')])
