"""The adversarial corpus's harness: run the real CLI in-process and classify the outcome.

Every case asserts one of three outcome classes — ``ok`` (exit 0), ``error`` (exit 1 with
``error: …`` naming the file, line or field given in ``expect``) or ``usage`` (exit 2 naming the
flag) — and, whatever the class: no traceback, bounded time, bounded output and memory, and no
file left half-written (no temporaries, no final names unless the run succeeded).
"""

from __future__ import annotations

import contextlib
import io
import resource
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from corridor.cli import main

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "mini"
MINI_DEMAND = DATA / "mini-demand"

MAX_CASE_S = 30.0
"""Wall time one in-process case may take on the shared 2-core machine (most take < 1 s)."""
MAX_OUTPUT_CHARS = 200_000
"""No error message may be longer than this (a 10 MB name must not be echoed)."""
MAX_RSS_BYTES = 3 * 1024**3
"""Peak resident memory of the test process; a runaway would pass it."""


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float


def run_cli(args: Sequence[str]) -> Outcome:
    """Run ``corridor ARGS`` through the real entry point (error mapping included)."""
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Outcome(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


@dataclass(frozen=True)
class Case:
    """One adversarial input: how to make it, what to run, and the outcome class expected."""

    id: str
    outcome: str  # "ok" | "error" | "usage"
    expect: tuple[str, ...] = ()
    make: Callable[[Path], None] = field(default=lambda folder: None)
    args: tuple[str, ...] = ()


def check_outcome(case: Case, result: Outcome) -> None:
    text = result.out + result.err
    assert "Traceback" not in text, text[-2000:]
    assert result.seconds < MAX_CASE_S, f"{case.id} took {result.seconds:.1f} s"
    assert len(text) < MAX_OUTPUT_CHARS, f"{case.id} printed {len(text):,} characters"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MAX_RSS_BYTES
    expected_code = {"ok": 0, "error": 1, "usage": 2}[case.outcome]
    assert result.code == expected_code, f"{case.id}: exit {result.code}, expected {expected_code}\n{text[-3000:]}"
    if case.outcome == "error":
        assert result.err.startswith("error: "), result.err[:500]
    if case.outcome == "usage":
        assert "Error: Invalid value for" in result.err or "Error:" in result.err, result.err[:500]
    for needle in case.expect:
        assert needle in result.err, f"{case.id}: {needle!r} not in\n{result.err[:3000]}"


def no_partial_files(folder: Path) -> list[str]:
    """Names under ``folder`` that an interrupted or failed write could have left."""
    return [str(p) for p in folder.rglob("*") if p.name.endswith(".part") or ".part" in p.name]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A scratch folder with copies of the mini network (``net``) and demand set (``dem``)."""
    shutil.copytree(MINI, tmp_path / "net")
    shutil.copytree(MINI_DEMAND, tmp_path / "dem")
    return tmp_path
