"""Replications: one independent random stream each, run in chunks on this process, on local
processes, or on a Dask distributed cluster — and reduced in replication order, so the result does
not depend on where or in which order chunks ran.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InputError
from corridor.sim._plan import Plan
from corridor.sim._replication import Raw, hist_quantiles, run_one

F64 = NDArray[np.float64]
#: Replications per task: fixed, so that sums are formed in the same order for any worker count.
CHUNK = 10

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Chunk:
    """Per-replication figures of consecutive replications, plus sums over them."""

    first: int
    gen: F64  # (r, od) measured quantities
    dlv: F64
    sys: F64
    mean: F64  # (r, od) mean door-to-door hours (NaN if nothing delivered)
    quant: F64  # (r, od, 3)
    stage: F64  # (r, od, cat) quantity-hours
    node_busy: F64
    node_jobs: F64
    sailings: F64  # (r, s, 2)
    loaded: F64
    wait_qh: F64
    wait_q: F64
    svc_busy: F64
    closed_h: F64  # (r, closures)
    hist: F64  # (od, bins) summed over the chunk
    backlog_sum: F64  # (slots, 2, days)
    backlog_sq: F64
    backlog_max: F64  # (r, slots, 2)
    trace: F64  # replication 0 only, when asked


def run_chunk(plan: Plan, seeds: list[np.random.SeedSequence], first: int, trace: bool) -> Chunk:
    """Run consecutive replications (``first`` is the index of the first one)."""
    raws: list[Raw] = [run_one(plan, seed, trace=trace and first + i == 0) for i, seed in enumerate(seeds)]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.stack([r.tsum / r.dlv[:, 0] for r in raws])
    backlog = np.stack([r.backlog for r in raws])
    return Chunk(
        first=first,
        gen=np.stack([r.gen[:, 0] for r in raws]),
        dlv=np.stack([r.dlv[:, 0] for r in raws]),
        sys=np.stack([r.sys[:, 0] for r in raws]),
        mean=mean,
        quant=np.stack([hist_quantiles(r.hist, plan.bin_h) for r in raws]),
        stage=np.stack([r.stage for r in raws]),
        node_busy=np.stack([r.node_busy for r in raws]),
        node_jobs=np.stack([r.node_jobs for r in raws]),
        sailings=np.stack([r.sailings for r in raws]),
        loaded=np.stack([r.loaded for r in raws]),
        wait_qh=np.stack([r.wait_qh for r in raws]),
        wait_q=np.stack([r.wait_q for r in raws]),
        svc_busy=np.stack([r.svc_busy for r in raws]),
        closed_h=np.stack([r.closed_h for r in raws]),
        hist=np.sum([r.hist for r in raws], axis=0),
        backlog_sum=backlog.sum(axis=0),
        backlog_sq=(backlog**2).sum(axis=0),
        backlog_max=backlog.max(axis=3) if backlog.shape[3] else np.zeros(backlog.shape[:3]),
        trace=raws[0].trace if trace and first == 0 else np.zeros((0, 8)),
    )


def _tasks(seed: int, replications: int) -> Iterator[tuple[int, list[np.random.SeedSequence]]]:
    children = np.random.SeedSequence(seed).spawn(replications)
    for first in range(0, replications, CHUNK):
        yield first, children[first : first + CHUNK]


def run_replications(
    plan: Plan,
    *,
    replications: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    trace: bool,
    progress: Progress | None,
) -> list[Chunk]:
    """All chunks, in replication order."""
    done: list[Chunk] = []

    def tick(chunk: Chunk) -> None:
        done.append(chunk)
        if progress is not None:
            progress(sum(c.gen.shape[0] for c in done), replications)

    tasks = list(_tasks(seed, replications))
    if scheduler:
        _run_dask(plan, tasks, scheduler, trace, tick)
    elif workers <= 1 or len(tasks) == 1:
        for first, seeds in tasks:
            tick(run_chunk(plan, seeds, first, trace))
    else:
        # fork: workers inherit the compiled kernel and need no ``if __name__ == "__main__"`` guard
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
            futures = [pool.submit(run_chunk, plan, seeds, first, trace) for first, seeds in tasks]
            for future in as_completed(futures):
                tick(future.result())
    return sorted(done, key=lambda c: c.first)


def _run_dask(
    plan: Plan,
    tasks: list[tuple[int, list[np.random.SeedSequence]]],
    scheduler: str,
    trace: bool,
    tick: Callable[[Chunk], None],
) -> None:
    from distributed import Client

    try:
        client = Client(scheduler, timeout="5s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        shared = client.scatter(plan, broadcast=True)  # type: ignore[no-untyped-call]
        futures = [client.submit(run_chunk, shared, seeds, first, trace, pure=False) for first, seeds in tasks]
        for future in futures:  # in replication order: progress moves as the earliest chunks finish
            tick(future.result())
