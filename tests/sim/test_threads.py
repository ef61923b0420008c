"""The per-replication path is one busy thread per worker: no BLAS thread pool spinning beside it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from corridor import load_demand, load_network
from corridor.sim._experiment import run_chunk
from corridor.sim._plan import build_plan
from corridor.sim._rules import SimRules

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/task")


def _cpu_by_thread() -> dict[str, float]:
    """CPU seconds (user + system) of every thread of this process."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
        out[task.name] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return out


def test_replications_keep_one_thread_busy() -> None:
    network = load_network("middle-corridor")
    # the bundled wb-2030 plan: 27 kernel flows × 9,481 histogram bins, large enough that a matrix
    # product over them is multi-threaded by OpenBLAS
    plan = build_plan(network, load_demand("wb-2030", network), SimRules(), days=365, warmup_days=30)
    seeds = np.random.SeedSequence(3).spawn(42)
    big = np.ones((300, 300))
    _ = big @ big  # the BLAS thread pool exists, as it does after the capacity assignment
    run_chunk(plan, seeds[:2], 0, False)  # loads the compiled kernel
    before = _cpu_by_thread()
    # 40 replications (~0.5 s of kernel CPU): long enough that the test runner's own threads are noise
    run_chunk(plan, seeds[2:], 2, False)
    after = _cpu_by_thread()
    spent = {tid: after[tid] - before.get(tid, 0.0) for tid in after}
    total = sum(spent.values())
    assert total > 0.05, f"too little CPU measured to judge ({total:.3f} s)"
    # a spinning BLAS pool burns about as much as the kernel's thread (measured before the fix: two
    # threads at ~0.2 s each); a quarter of the total leaves room for the test runner's own I/O thread
    busy = [tid for tid, s in spent.items() if s > 0.25 * total]
    assert len(busy) == 1, f"busy threads (CPU s): { {t: round(spent[t], 3) for t in busy} }"
    # and the limit is scoped to the replications: other engines keep their BLAS threads
    assert max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas") == (os.cpu_count() or 1)
