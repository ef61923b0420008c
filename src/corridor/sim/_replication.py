"""One replication and one chunk of replications: draw closures, run the kernel, check conservation,
reduce to per-replication figures.  Runs in whichever process or Dask worker was given the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.errors import InfeasibleError
from corridor.sim._closures import draw_episodes
from corridor.sim._codes import FITS, TRACE_FULL
from corridor.sim._layout import Closed, Stats, clock, inputs
from corridor.sim._plan import Plan
from corridor.units import HOURS_PER_DAY

F64 = NDArray[np.float64]
QUANTILES = (0.5, 0.9, 0.95)


@dataclass(frozen=True)
class Raw:
    """The kernel's output for one replication: its statistics (one declaration of their fields,
    :class:`~corridor.sim._layout.Stats`; ``backlog`` here is per measured day), the event log and
    each closure rule's closed hours."""

    stats: Stats
    trace: F64
    closed_h: F64


def hist_quantiles(hist: F64, bin_h: float, qs: tuple[float, ...] = QUANTILES) -> F64:
    """Quantiles (columns: ``qs``) of each row of ``hist``, linear within a bin; NaN for empty rows.

    It runs once per replication: one ``searchsorted`` per row finds, for every ``q``, the first
    bin whose cumulative quantity reaches ``q × total``; the interpolation is vectorised."""
    rows = hist.shape[0]
    out = np.full((rows, len(qs)), np.nan)
    if rows == 0 or hist.shape[1] == 0:
        return out
    cum = np.cumsum(hist, axis=1)
    total = cum[:, -1]
    target = np.asarray(qs)[None, :] * total[:, None]  # (rows, qs)
    k = np.zeros(target.shape, dtype=np.int64)
    for row in np.flatnonzero(total > 0).tolist():
        k[row] = np.searchsorted(cum[row], target[row], side="left")
    k = np.minimum(k, hist.shape[1] - 1)
    r = np.arange(rows)[:, None]
    below = np.where(k > 0, cum[r, k - 1], 0.0)
    width = hist[r, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(width > 0, (target - below) / width, 0.0)
    return np.where((total > 0)[:, None], (k + frac) * bin_h, out)


def kernel_ready() -> bool:
    """Whether numba's on-disk cache already holds the compiled kernel for this source; if not,
    the first replication compiles it (about 30 s on one core) and caches it for later runs."""
    from corridor.sim._kernel import run_replication

    try:  # numba's cache layout is not public: anything unexpected means "not ready"
        return bool(getattr(run_replication, "_cache")._cache_file._load_index())  # noqa: B009
    except Exception:
        return False


def run_one(
    plan: Plan,
    seed: np.random.SeedSequence,
    *,
    trace: bool = False,
    room: list[int] | None = None,
    hist: F64 | None = None,
) -> Raw:
    """Run one replication from its own seed; retry with more room if the kernel ran out.

    ``room`` (one number: cohorts the pool holds) carries what one replication learnt to the next.
    ``hist`` (ODs × bins, float64), if given, is overwritten with the door-to-door histogram and
    returned as ``stats.hist``: a caller that runs many replications reuses one buffer instead of
    a fresh 1.9 MB (wb-2030) per replication, which costs page faults where the allocator returns
    freed memory to the system at once (Dask's workers set ``MALLOC_TRIM_THRESHOLD_``).
    """
    from corridor.sim._kernel import run_replication  # numba loads on first use, not on import

    room = room if room is not None else [0]
    lot_cap = max(room[0], int(min(4_000_000, 256 + float(np.sum(plan.od_rate)) * HOURS_PER_DAY * 60.0)))
    trace_cap = 4096 if trace else 0
    groups = inputs(plan)
    if hist is None:
        hist = np.zeros((len(plan.ods), plan.bins))
    while True:
        rng = np.random.Generator(np.random.PCG64(seed))
        episodes = draw_episodes(plan, rng)
        closed = Closed(*(getattr(episodes, name) for name in Closed._fields))
        overflow, stats, log = run_replication(rng, *groups, closed, clock(plan, QUANTILES, lot_cap, trace_cap), hist)
        if overflow == FITS:
            break
        if overflow == TRACE_FULL:
            trace_cap *= 4
        else:
            lot_cap *= 2
    room[0] = lot_cap
    _check_conservation(plan, stats)
    first = int(plan.warmup_h // HOURS_PER_DAY)
    daily = np.cumsum(stats.backlog, axis=2)[:, :, 1 : first + plan.days + 1][:, :, first:]
    return Raw(stats._replace(backlog=daily[: len(plan.slot_nodes)]), np.asarray(log), episodes.closed_h)


def _check_conservation(plan: Plan, stats: Stats) -> None:
    generated, delivered, in_system = stats.gen[:, 1], stats.dlv[:, 1], stats.sys[:, 1]
    gap = np.abs(generated - delivered - in_system)
    if np.any(gap > 1e-6 * np.maximum(generated, 1.0)):
        bad = int(np.argmax(gap))
        f = plan.flows[bad]
        raise InfeasibleError(
            f"simulation lost cargo on {f.origin}→{f.destination} ({f.cargo}): generated {generated[bad]:.6g}, "
            f"delivered {delivered[bad]:.6g}, in system {in_system[bad]:.6g}"
        )
