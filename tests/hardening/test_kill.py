"""Kill tests: SIGKILL (and SIGTERM) at random points while ``simulate --out`` and ``report -o``
write, in real processes.  Afterwards each final name must be absent, complete, or the previous
version — never truncated — and SIGTERM must leave no temporary behind.

The kill points are drawn (seeded) from the moment the writer's temporary appears — the window in
which a half-written file could be seen — and from the whole run.
"""

from __future__ import annotations

import csv
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import MINI, MINI_DEMAND

SIM_FILES = {
    "closures.csv", "door_to_door.png", "flows.csv", "port_backlog.csv", "port_backlog.png",
    "stages.csv", "utilisation.csv", "utilisation.png",
}  # fmt: skip
SCENARIO = "name: kill\nnetwork: {net}\ndemand: {dem}\nchanges: []\n"


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "corridor", *args]


def _sim(out: Path) -> list[str]:
    return _cmd("simulate", "-n", str(MINI), "-d", str(MINI_DEMAND), "-r", "2", "--days", "30", "--workers", "1",
                "--out", str(out))  # fmt: skip


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".png":
        return data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82")
    if path.suffix == ".csv":
        rows = list(csv.reader(data.decode("utf-8").splitlines()))
        return data.endswith(b"\n") and len(rows) >= 1 and all(len(r) == len(rows[0]) for r in rows)
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    raise AssertionError(path)


def _run_and_kill(cmd: list[str], watch: Path, pattern: str, rng: random.Random, sig: int, budget_s: float) -> None:
    """Start ``cmd``; kill it with ``sig`` a random moment after a temporary matching ``pattern``
    appears in ``watch`` (or at a random moment of the run when ``rng`` says so)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        blind = rng.random() < 0.25
        deadline = time.monotonic() + (rng.uniform(0.5, budget_s) if blind else 120.0)
        while proc.poll() is None and time.monotonic() < deadline:
            if not blind and any(watch.glob(pattern)):
                time.sleep(rng.uniform(0.0, 0.05))
                break
            time.sleep(0.002)
        if proc.poll() is None:
            proc.send_signal(sig)
    finally:
        proc.wait(timeout=120)


@pytest.mark.slow
def test_sigkill_during_simulate_out_leaves_each_name_absent_complete_or_previous(tmp_path: Path) -> None:
    rng = random.Random(14)
    out = tmp_path / "out"
    first = subprocess.run(_sim(out), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    assert {p.name for p in out.iterdir()} == SIM_FILES
    previous = {p.name: p.read_bytes() for p in out.iterdir()}
    for _ in range(3):
        _run_and_kill(_sim(out), tmp_path, ".out.*.part", rng, signal.SIGKILL, 8.0)
        assert out.is_dir()
        names = {p.name for p in out.iterdir()}
        assert names == SIM_FILES  # an existing folder: every name stays (previous or new)
        for p in out.iterdir():
            assert p.read_bytes() == previous[p.name] or _complete(p), p
    fresh = tmp_path / "fresh"
    _run_and_kill(_sim(fresh), tmp_path, ".fresh.*.part", rng, signal.SIGKILL, 8.0)
    # a new folder appears whole or not at all
    assert not fresh.exists() or {p.name for p in fresh.iterdir()} == SIM_FILES
    for leftover in tmp_path.iterdir():
        assert leftover.name in ("out", "fresh") or (leftover.name.startswith(".") and leftover.name.endswith(".part"))


@pytest.mark.slow
def test_sigkill_and_sigterm_during_report(tmp_path: Path) -> None:
    rng = random.Random(2024)
    scen = tmp_path / "kill.yaml"
    scen.write_text(SCENARIO.format(net=MINI, dem=MINI_DEMAND), encoding="utf-8")
    target = tmp_path / "r.html"
    cmd = _cmd("report", str(scen), "--no-sim", "-o", str(target))
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    previous = target.read_bytes()
    for _ in range(2):
        _run_and_kill(cmd, tmp_path, ".r.html.*.part", rng, signal.SIGKILL, 6.0)
        assert target.read_bytes() == previous or _complete(target)
    # SIGTERM unwinds: the final name is previous or complete, and no temporary is left
    _run_and_kill(cmd, tmp_path, ".r.html.*.part", random.Random(0), signal.SIGTERM, 6.0)
    assert target.read_bytes() == previous or _complete(target)
    assert not list(tmp_path.glob(".r.html.*.part")), "SIGTERM must remove the temporary"
