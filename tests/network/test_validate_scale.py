"""The validator's cost grows linearly with the number of problems (issue 13 item 3).

Timing is useless on a loaded machine, so the work is *counted*: every Python line executed while
validating (``sys.settrace``), on one synthetic network (about 480 nodes) with 20, 40 and 340 nodes
given an unknown country code.  The quadratic validator this replaced scanned a table's rows for
every problem to find its line: each added problem cost hundreds of lines (one per row).  A linear
one looks its lines up in an index built once: each added problem costs a bounded handful of lines,
whatever the table's size.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from corridor.errors import DataError
from corridor.network import load_network, write_network
from corridor.network.synthetic import synthetic_network


def _corrupt(folder: Path, bad: int) -> int:
    """Give the first ``bad`` nodes the unknown country code ``XX``; return how many rows changed."""
    path = folder / "nodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",").index("country")
    for i in range(1, bad + 1):
        cells = lines[i].split(",")
        cells[column] = "XX"
        lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def _count_lines(folder: Path) -> tuple[int, int]:
    """(Python lines executed, problems reported) while loading ``folder``."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    problems = 0
    sys.settrace(tracer)
    try:
        load_network(folder)
    except DataError as exc:
        problems = len(exc.problems)
    finally:
        sys.settrace(None)
    return count, problems


@pytest.mark.slow
def test_validation_work_grows_linearly_with_the_problems(tmp_path: Path) -> None:
    net = synthetic_network(900, seed=3)
    counts, found = [], []
    for bad in (20, 40, 340):
        folder = tmp_path / f"bad-{bad}"
        write_network(net, folder)
        _corrupt(folder, bad)
        lines, problems = _count_lines(folder)
        counts.append(lines)
        found.append(problems)
    rows = len(net.nodes)
    assert found[0] >= 20 and found[1] >= 40 and found[2] >= 340  # every bad row is reported
    per_problem = (counts[2] - counts[1]) / (found[2] - found[1])
    # a row scan per problem would add ≥ `rows` lines each; an index lookup a few
    assert per_problem < rows / 10, (counts, found, rows)
