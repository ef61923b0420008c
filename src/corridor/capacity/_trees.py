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

**Goal-directed searches.**  Most origins of a national demand set have one or two destinations
(1,000 ODs on the 100k-link synthetic network: 935 origins), so a search that grows a tree until its
targets are settled explores every node nearer than the farthest target, in all directions.  Given
:class:`Landmarks` (ALT: A*, landmarks, triangle inequality; picked farthest-first by
:func:`corridor.landmarks.landmark_distances`), a search with at most
:data:`GUIDED_TARGETS` targets is an A* keyed by distance + ``h(v)``, ``h`` the smallest landmark
bound to any of its targets.  The bounds hold for any graph whose every arc weighs at least what
it weighed where the landmarks were computed (:meth:`Landmarks.admits`, vectorised); the caller
(:mod:`._paths`) builds them on each round's own weights, see docs/design/capacity-scale.md.
The targets' distances are exact either way (a node is re-queued whenever its distance improves,
and a target's key is its distance), and so are the paths to them; among equal-cost paths a
guided search may keep another one than plain Dijkstra would (the first one it finds),
deterministically for the same graph and sources.
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
#: Searches with at most this many distinct targets are guided by landmarks (when given); with
#: more, the bound (the least over the targets) is costlier to evaluate and weaker than it saves.
GUIDED_TARGETS = 8
#: At most this many threads (the searches share nothing but the graph: they scale with cores).
MAX_THREADS = 4


def _cores() -> int:
    """Cores this process may run on (``sched_getaffinity`` is Linux-only; elsewhere all of them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Landmarks:
    """Landmark distances on a graph of base weights, and the check that they bound another graph."""

    def __init__(self, base: sp.csr_array, count: int = 12) -> None:
        from corridor.landmarks import landmark_distances

        self.base = sp.csr_array(base)
        self.base.sort_indices()
        self.count = count
        forward, backward = landmark_distances(self.base, count)
        n = self.base.shape[0]
        #: (nodes, landmarks), C order: a node's bounds are read together
        self.from_landmark = np.ascontiguousarray(forward.T.reshape(n, -1))
        self.to_landmark = np.ascontiguousarray(backward.T.reshape(n, -1))

    def admits(self, graph: sp.csr_array) -> bool:
        """Whether every arc of ``graph`` joins nodes the base graph joins, at a weight ≥ the base
        weight (then every landmark bound is a consistent lower bound on ``graph``'s distances)."""
        return at_least(graph, self.base)


def at_least(graph: sp.csr_array, base: sp.csr_array) -> bool:
    """Whether every arc of ``graph`` is an arc of ``base`` weighing at least as much there."""
    g = sp.csr_array(graph)
    g.sort_indices()
    b = sp.csr_array(base)
    b.sort_indices()
    if g.shape != b.shape:
        return False
    if np.array_equal(g.indptr, b.indptr) and np.array_equal(g.indices, b.indices):
        return bool((g.data >= b.data).all())
    if b.nnz == 0:
        return bool(g.nnz == 0)
    n = g.shape[0]
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr)) * n + g.indices
    base_keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(b.indptr)) * n + b.indices
    pos = np.minimum(np.searchsorted(base_keys, keys), base_keys.size - 1)
    return bool((base_keys[pos] == keys).all() and (g.data >= b.data[pos]).all())


def shortest_trees(
    graph: sp.csr_array,
    sources: NDArray[np.intp],
    targets: list[NDArray[np.intp]] | None = None,
    landmarks: Landmarks | None = None,
    *,
    guided_heap: int | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Dijkstra on ``graph`` (non-negative weights; every stored entry is an arc, zeros included)
    from each of ``sources``; the search from ``sources[j]`` stops once every node of
    ``targets[j]`` is settled (``None`` or an empty array: grow the tree whole).  Returns
    ``(dist, pred)``, one row per source, as ``scipy.sparse.csgraph.dijkstra(...,
    return_predecessors=True)`` does.  With ``landmarks`` (valid for ``graph``: the caller checks
    :meth:`Landmarks.admits`), searches with 1 to :data:`GUIDED_TARGETS` distinct targets are A*
    (module docstring).  Searches are split over up to :data:`MAX_THREADS` threads
    (the cores this process may use), each filling its own rows.  ``guided_heap`` caps the heap of
    a guided search (default: the arcs + 1 a plain one needs); one that overflows it is grown again
    plainly, which a small cap forces (the tests do)."""
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
    if landmarks is not None and targets is not None:
        lm_from, lm_to = landmarks.from_landmark, landmarks.to_landmark
        guided = np.array([0 < np.unique(t).size <= GUIDED_TARGETS for t in targets], dtype=np.bool_)
    else:
        lm_from = lm_to = np.zeros((n, 0))
        guided = np.zeros(src.size, dtype=np.bool_)
    dist = np.full((src.size, n), np.inf)
    pred = np.full((src.size, n), NO_PRED, dtype=np.int32)
    indptr = csr.indptr.astype(np.int64)
    indices = csr.indices.astype(np.int32, copy=False)
    weights = csr.data.astype(np.float64, copy=False)
    heap = indices.size + 1 if guided_heap is None else guided_heap

    def chunk(bounds: tuple[int, int]) -> None:
        a, b = bounds
        grow_trees(
            indptr,
            indices,
            weights,
            src[a:b],
            ptr[a : b + 1] - ptr[a],
            flat[ptr[a] : ptr[b]],
            dist[a:b],
            pred[a:b],
            lm_from,
            lm_to,
            guided[a:b],
            heap,
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
