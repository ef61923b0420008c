"""Shortest-path trees for column generation: Dijkstra from many origins, each stopping at its last target.

Pricing a round of column generation needs, for every origin, the cheapest path to each of its
destinations under the round's dual-adjusted arc weights — on a national network hundreds of
origins over 50k nodes, every round.  scipy's ``csgraph.dijkstra`` (a Fibonacci heap) always
grows the whole tree and holds the GIL.  This one is compiled with numba (cached on disk like the
simulation kernel), uses a binary heap with lazy deletion, stops each origin's search once all of
its targets are settled, and releases the GIL.  The distances to the targets and the predecessors
on their paths are those of any exact Dijkstra; a predecessor changes only on a strict
improvement, so among equal-cost paths the first one found is kept, as in scipy.

Nodes that were not settled when an origin's search stopped keep a tentative distance (≥ their
true one) or ``inf``: read only the targets' distances and the paths to them.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

#: Predecessor of an origin and of nodes not reached (scipy's value).
NO_PRED = -9999
#: Searches per thread below which one thread does them all (a thread costs ~0.1 ms to start).
_PER_THREAD = 16
#: At most this many threads (the searches share nothing but the graph: they scale with cores).
MAX_THREADS = 4


def _cores() -> int:
    """Cores this process may run on (``sched_getaffinity`` is Linux-only; elsewhere all of them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def shortest_trees(
    graph: sp.csr_array, sources: NDArray[np.intp], targets: list[NDArray[np.intp]] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Dijkstra on ``graph`` (non-negative weights; every stored entry is an arc, zeros included)
    from each of ``sources``; the search from ``sources[j]`` stops once every node of
    ``targets[j]`` is settled (``None`` or an empty array: grow the tree whole).  Returns
    ``(dist, pred)``, one row per source, as ``scipy.sparse.csgraph.dijkstra(...,
    return_predecessors=True)`` does.  Searches are split over up to :data:`MAX_THREADS` threads
    (the cores this process may use), each filling its own rows."""
    from corridor.capacity._trees_kernel import grow_trees  # numba loads on first use, not on import

    n = graph.shape[0]
    src = np.asarray(sources, dtype=np.int64).reshape(-1)
    if targets is None:
        ptr = np.zeros(src.size + 1, dtype=np.int64)
        flat = np.zeros(0, dtype=np.int64)
    else:
        sizes = np.array([t.size for t in targets], dtype=np.int64)
        ptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        flat = np.concatenate(targets).astype(np.int64) if targets else np.zeros(0, dtype=np.int64)
    csr = sp.csr_array(graph)
    dist = np.full((src.size, n), np.inf)
    pred = np.full((src.size, n), NO_PRED, dtype=np.int32)
    indptr = csr.indptr.astype(np.int64)
    indices = csr.indices.astype(np.int32, copy=False)
    weights = csr.data.astype(np.float64, copy=False)

    def chunk(bounds: tuple[int, int]) -> None:
        a, b = bounds
        grow_trees(
            indptr, indices, weights, src[a:b], ptr[a : b + 1] - ptr[a], flat[ptr[a] : ptr[b]], dist[a:b], pred[a:b]
        )

    threads = max(1, min(MAX_THREADS, _cores(), src.size // _PER_THREAD))
    cuts = np.linspace(0, src.size, threads + 1).astype(int).tolist()
    parts = list(itertools.pairwise(cuts))
    if threads == 1:
        chunk(parts[0])
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="corridor-trees") as pool:
            list(pool.map(chunk, parts))
    return cast(NDArray[np.float64], dist), cast(NDArray[np.int32], pred)
