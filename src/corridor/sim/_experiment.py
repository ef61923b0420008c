"""Replications: one independent random stream each, run in chunks on this process, on local
processes, or on a Dask distributed cluster — and reduced in replication order, so the result does
not depend on where or in which order chunks ran.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from corridor.errors import InputError
from corridor.sim._plan import Plan
from corridor.sim._replication import run_one

F64 = NDArray[np.float64]
#: Replications per chunk at least (and in the last ones); at most :data:`CHUNK_MAX`.
CHUNK = 10
CHUNK_MAX = 50

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Chunk:
    """Per-replication figures of consecutive replications, plus sums over them."""

    first: int
    flow_dlv: F64  # (r, flow) measured quantity delivered per kernel flow (an OD's path)
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
    hist: F64  # (od, bins) summed over the chunk, columns ``hist_lo`` on (the rest are empty)
    backlog_sum: F64  # (slots, 2, days); emptied once folded into the totals
    backlog_sq: F64
    backlog_max: F64  # (r, slots, 2)
    trace: F64  # replication 0 only, when asked
    hist_lo: int = 0


def run_chunk(
    plan: Plan, seeds: list[np.random.SeedSequence], first: int, trace: bool, room: list[int] | None = None
) -> Chunk:
    """Run consecutive replications (``first`` is the index of the first one), keeping per
    replication only its summary figures and adding histograms and backlogs up as it goes.
    Figures of the kernel's flows (one per OD and path) are added up per OD first.

    Numerical libraries run single-threaded meanwhile: one replication is one busy thread, so
    workers never compete with idle BLAS threads spinning on the same cores (see
    docs/design/simulation-throughput.md); other engines keep their threads outside this scope.
    ``room`` (cohorts the kernel's pool needs, see ``run_one``) is what earlier replications learnt:
    it saves re-running a replication that ran out of room; results do not depend on it."""
    with threadpool_limits(limits=1):
        return _run_chunk(plan, seeds, first, trace, room if room is not None else [0])


def fold_by_od(flow_od: NDArray[np.int64], n_od: int, values: F64) -> F64:
    """Add per-flow figures (first axis: kernel flows) up into per-OD figures, in flow order.

    Same sums as ``Plan.by_od`` without its matrix product (a BLAS call in the per-replication
    path, which starts the BLAS thread pool)."""
    out = np.zeros((n_od, *values.shape[1:]))
    for k, f in enumerate(flow_od.tolist()):
        out[f] += values[k]
    return out


def _run_chunk(plan: Plan, seeds: list[np.random.SeedSequence], first: int, trace: bool, room: list[int]) -> Chunk:
    rows: dict[str, list[F64]] = {}
    hist: F64 | None = None
    b_sum: F64 | None = None
    b_sq: F64 | None = None
    trace_rows = np.zeros((0, 8))
    n_od = len(plan.ods)
    buffer = np.zeros((n_od, plan.bins))
    for i, seed in enumerate(seeds):
        raw = run_one(plan, seed, trace=trace and first + i == 0, room=room, hist=buffer)
        if trace and first + i == 0:
            trace_rows = raw.trace
        r = raw.stats
        od_hist = r.hist  # the kernel adds histograms up per OD itself (into ``buffer``: used up below)
        gen, dlv, sys_, tsum, stage = (
            fold_by_od(plan.flow_od, n_od, x) for x in (r.gen[:, 0], r.dlv[:, 0], r.sys[:, 0], r.tsum, r.stage)
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = tsum / dlv
        summary = {
            "flow_dlv": r.dlv[:, 0], "gen": gen, "dlv": dlv, "sys": sys_, "mean": mean,
            "quant": r.quant, "stage": stage, "node_busy": r.node_busy,
            "node_jobs": r.node_jobs, "sailings": r.sailings, "loaded": r.loaded, "wait_qh": r.wait_qh,
            "wait_q": r.wait_q, "svc_busy": r.svc_busy, "closed_h": raw.closed_h,
            "backlog_max": r.backlog.max(axis=2) if r.backlog.shape[2] else np.zeros(r.backlog.shape[:2]),
        }  # fmt: skip
        for key, value in summary.items():
            rows.setdefault(key, []).append(value)
        if hist is None:
            hist = od_hist.copy()
        else:
            hist += od_hist
        b_sum = r.backlog.copy() if b_sum is None else b_sum + r.backlog
        b_sq = r.backlog**2 if b_sq is None else b_sq + r.backlog**2
    assert hist is not None and b_sum is not None and b_sq is not None
    stacked = {key: np.stack(values) for key, values in rows.items()}
    # only the columns with cargo travel back to the parent (a tenth of the bins, typically)
    used = np.flatnonzero(hist.any(axis=0))
    lo, hi = (int(used[0]), int(used[-1]) + 1) if used.size else (0, 0)
    return Chunk(
        first=first, hist=hist[:, lo:hi].copy(), hist_lo=lo, backlog_sum=b_sum, backlog_sq=b_sq, trace=trace_rows,
        **stacked,
    )  # fmt: skip


@dataclass
class RunTotals:
    """Histograms and backlog sums over every replication, added in replication order."""

    hist: F64 | None = None
    backlog_sum: F64 | None = None
    backlog_sq: F64 | None = None

    def add(self, chunk: Chunk, bins: int) -> Chunk:
        """Fold the chunk's large arrays in; return the chunk without them."""
        if self.hist is None:
            self.hist = np.zeros((chunk.hist.shape[0], bins))
        self.hist[:, chunk.hist_lo : chunk.hist_lo + chunk.hist.shape[1]] += chunk.hist  # empty columns add 0
        for name in ("backlog_sum", "backlog_sq"):
            mine, theirs = getattr(self, name), getattr(chunk, name)
            setattr(self, name, theirs.copy() if mine is None else mine + theirs)
        empty = np.zeros(0)
        return replace(chunk, hist=empty, backlog_sum=empty, backlog_sq=empty)


def chunk_sizes(replications: int) -> list[int]:
    """Replications per chunk, in order: a function of ``replications`` alone, so that sums are
    formed in the same order for any worker count or cluster.

    Each chunk costs a task and a result of ~0.75 MB (its histograms) that the parent receives
    while the workers compute; large runs take fewer, larger chunks (one in fifty of the
    replications, at most :data:`CHUNK_MAX`) and end with chunks of :data:`CHUNK`, so that the
    workers finish together (the last fifth of the replications, at least)."""
    big = max(CHUNK, min(CHUNK_MAX, replications // 50))
    tail = replications if big == CHUNK else max(replications // 5, CHUNK)
    head = (replications - tail) // big * big
    sizes = [big] * (head // big)
    rest = replications - head
    sizes += [CHUNK] * (rest // CHUNK) + ([rest % CHUNK] if rest % CHUNK else [])
    return sizes


def _tasks(seed: int, replications: int) -> Iterator[tuple[int, list[np.random.SeedSequence]]]:
    children = np.random.SeedSequence(seed).spawn(replications)
    first = 0
    for size in chunk_sizes(replications):
        yield first, children[first : first + size]
        first += size


def run_replications(
    plan: Plan,
    *,
    replications: int,
    seed: int,
    workers: int,
    scheduler: str | None,
    trace: bool,
    progress: Progress | None,
) -> tuple[list[Chunk], RunTotals]:
    """All chunks in replication order (their large arrays folded into the totals).

    Chunks may finish in any order; they are folded in replication order, holding at most the
    early finishers, so memory stays bounded and sums do not depend on the worker count."""
    totals = RunTotals()
    done: list[Chunk] = []
    waiting: dict[int, Chunk] = {}
    count = 0
    folded = 0  # replications folded so far: the first replication of the next chunk in order

    def tick(chunk: Chunk) -> None:
        nonlocal count, folded
        count += chunk.gen.shape[0]
        waiting[chunk.first] = chunk
        while folded in waiting:
            nxt = totals.add(waiting.pop(folded), plan.bins)
            done.append(nxt)
            folded += nxt.gen.shape[0]
        if progress is not None:
            progress(count, replications)

    tasks = list(_tasks(seed, replications))
    room = [0]  # the kernel's room, learnt by the first replication and shared with every chunk
    if scheduler:
        _run_dask(plan, tasks, scheduler, trace, tick)
    elif workers <= 1 or len(tasks) == 1:
        for first, seeds in tasks:
            tick(run_chunk(plan, seeds, first, trace, room))
    else:
        # fork: workers inherit the compiled kernel and need no ``if __name__ == "__main__"`` guard;
        # compile (or load) it here first, once, rather than in every worker at the same time
        with threadpool_limits(limits=1):
            run_one(plan, tasks[0][1][0], room=room)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        # the plan goes to each worker once, at its start (inherited under fork), not with every chunk
        with ProcessPoolExecutor(
            max_workers=min(workers, len(tasks)), mp_context=context, initializer=_worker_start, initargs=(plan, room)
        ) as pool:
            futures = [pool.submit(_worker_chunk, seeds, first, trace) for first, seeds in tasks]
            for future in as_completed(futures):
                tick(future.result())
    return done, totals


#: A local worker's plan and kernel room, set once when the worker starts (``_worker_start``).
_WORKER: tuple[Plan, list[int]] | None = None


def _worker_start(plan: Plan, room: list[int]) -> None:
    global _WORKER  # one plan per worker process, for its whole life
    _WORKER = (plan, list(room))


def _worker_chunk(seeds: list[np.random.SeedSequence], first: int, trace: bool) -> Chunk:
    assert _WORKER is not None, "the worker was started without its plan"
    plan, room = _WORKER
    return run_chunk(plan, seeds, first, trace, room)


#: Dask: at most this many chunks per task (each task costs the client and scheduler ~10-20 ms).
DASK_BATCH = 5


def run_chunks(plan: Plan, batch: list[tuple[int, list[np.random.SeedSequence]]], trace: bool) -> list[Chunk]:
    """Several consecutive chunks in one task, each kept apart (folded one by one, in order)."""
    room = [0]
    return [run_chunk(plan, seeds, first, trace, room) for first, seeds in batch]


def dask_batch(n_chunks: int, n_workers: int) -> int:
    """Chunks per Dask task: few tasks (each costs the client and scheduler CPU on the same
    machine or network), but at least four per worker so that the last ones even out."""
    return max(1, min(DASK_BATCH, n_chunks // (4 * max(n_workers, 1))))


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
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        shared = client.scatter(plan, broadcast=True)  # type: ignore[no-untyped-call]
        size = dask_batch(len(tasks), len(client.scheduler_info()["workers"]))
        batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
        futures = [client.submit(run_chunks, shared, batch, trace, pure=False) for batch in batches]
        for future in futures:  # in replication order: progress moves as the earliest chunks finish
            for chunk in future.result():
                tick(chunk)
