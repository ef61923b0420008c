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


RECORD = ROOT / "scripts" / "record_benchmarks.py"
PERFORMANCE = ROOT / "docs" / "performance.md"


def _recorded(text: str) -> dict[str, list[str]]:
    """Each recorded section's output lines (its ```text block), by benchmark name."""
    found = {}
    for part in text.split("\n## `benchmarks/")[1:]:
        name = part.split(".py`", 1)[0]
        block = part.split("```text\n", 1)[1].split("\n```", 1)[0]
        found[name] = [line for line in block.splitlines() if line.strip()]
    return found


def test_recorded_runs_are_of_existing_benchmarks_and_end_with_their_json_lines() -> None:
    recorded = _recorded(PERFORMANCE.read_text(encoding="utf-8"))
    assert recorded, "docs/performance.md records no run"
    names = {p.stem for p in BENCHMARKS}
    for name, lines in recorded.items():
        assert name in names, f"docs/performance.md records benchmarks/{name}.py, which does not exist"
        check_json_lines(lines)


@pytest.mark.slow
def test_recording_a_run_replaces_only_its_own_section(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    kept = "## `benchmarks/routing.py`\n\nRecorded earlier\n\n```text\nold table\n" + '{"benchmark": "x"}\n```\n'
    page.write_text("# old title\n\n" + kept + "\n## `benchmarks/appraisal.py`\n\n```text\nstale\n```\n")
    run = [sys.executable, str(RECORD), "appraisal", "--page", str(page), "--", "--quick"]
    proc = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = page.read_text(encoding="utf-8")
    assert kept in text and "stale" not in text
    section = _recorded(text)["appraisal"]
    check_json_lines(section)
    assert "`.venv/bin/python benchmarks/appraisal.py --quick`" in text


def test_recording_an_unknown_benchmark_is_refused_and_leaves_the_page(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text("unchanged\n")
    proc = subprocess.run(
        [sys.executable, str(RECORD), "routeing", "--page", str(page)], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "no such benchmark: routeing" in proc.stderr
    assert page.read_text() == "unchanged\n"
