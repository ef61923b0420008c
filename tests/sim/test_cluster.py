"""Replications on a real Dask cluster: a ``dask scheduler`` and a ``dask worker`` as processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor import InputError, load_demand, load_network
from corridor.sim import simulate
from corridor.sim._experiment import DASK_BATCH, dask_batch

DATA = Path(__file__).parents[1] / "data"
DASK = Path(sys.executable).parent / "dask"


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        procs.append(
            subprocess.Popen(
                [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                 "--host", "127.0.0.1", "--no-nanny", "--local-directory", str(folder)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
            )
        )  # fmt: skip
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_cluster_gives_the_same_result_as_local_processes(scheduler: str) -> None:
    network = load_network(DATA / "mini")
    demand = load_demand(DATA / "mini-demand", network)
    seen: list[int] = []
    # 85 replications: 9 chunks on one worker go as tasks of 2 chunks (the last of 1), which the
    # client still folds chunk by chunk, in replication order
    assert dask_batch(9, 1) == 2
    remote = simulate(
        network, demand, replications=85, seed=3, scheduler=scheduler, progress=lambda d, n: seen.append(d)
    )
    local = simulate(network, demand, replications=85, seed=3, workers=1)
    assert remote.to_json() == local.to_json()
    assert seen == [10, 20, 30, 40, 50, 60, 70, 80, 85]


def test_dask_tasks_are_few_but_at_least_four_per_worker() -> None:
    assert dask_batch(200, 2) == DASK_BATCH == 5  # 2,000 replications on 2 workers: 40 tasks of 50
    assert dask_batch(24, 2) == 3  # 8 tasks, four per worker
    assert dask_batch(3, 2) == 1  # fewer chunks than four per worker: one each
    assert dask_batch(200, 0) == 5  # a cluster that lists no worker yet


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_unreachable_scheduler_is_a_clean_error() -> None:
    network = load_network(DATA / "mini")
    demand = load_demand(DATA / "mini-demand", network)
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        simulate(network, demand, replications=2, scheduler="tcp://127.0.0.1:9")
