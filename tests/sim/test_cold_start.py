"""Cold start: whether the compiled kernel is in numba's on-disk cache is known before running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from corridor import load_demand, load_network
from corridor.sim import kernel_ready, simulate

MINI = Path(__file__).parents[1] / "data"


def test_kernel_ready_reads_numbas_cache(tmp_path: Path) -> None:
    network = load_network(MINI / "mini")
    simulate(network, load_demand(MINI / "mini-demand", network), days=5, warmup_days=0, replications=1, workers=1)
    assert kernel_ready()  # the run above compiled the kernel or loaded it: the cache holds it
    code = "from corridor.sim import kernel_ready; print(kernel_ready())"
    empty = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert empty.stdout.strip() == "False", empty.stderr
