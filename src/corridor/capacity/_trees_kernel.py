"""The compiled Dijkstra of :mod:`._trees` (numba, cached on disk; imported on first use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

F = TypeVar("F", bound=Callable[..., Any])


def _jit(func: F) -> F:
    """Compiled, cached on disk, GIL released (so that threads can grow trees side by side)."""
    return cast(F, numba.njit(cache=True, nogil=True)(func))


def _inline(func: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(func))


@_inline
def _sift_down(heap_d: NDArray[np.float64], heap_v: NDArray[np.int32], size: int) -> None:
    """Move the last entry (at ``size``) to the root and sift it down."""
    ld, lv = heap_d[size], heap_v[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and heap_d[c + 1] < heap_d[c]:
            c += 1
        if heap_d[c] < ld:
            heap_d[i] = heap_d[c]
            heap_v[i] = heap_v[c]
            i = c
        else:
            break
    heap_d[i] = ld
    heap_v[i] = lv


@_inline
def _push(heap_d: NDArray[np.float64], heap_v: NDArray[np.int32], size: int, d: float, v: int) -> None:
    """Add ``(d, v)`` at ``size`` and sift it up."""
    i = size
    while i > 0:
        p = (i - 1) // 2
        if heap_d[p] > d:
            heap_d[i] = heap_d[p]
            heap_v[i] = heap_v[p]
            i = p
        else:
            break
    heap_d[i] = d
    heap_v[i] = v


@_jit
def _mark_targets(
    wanted: NDArray[np.int32], stamp: int, target_ptr: NDArray[np.int64], targets: NDArray[np.int64], s: int
) -> int:
    """Stamp search ``s``'s targets; return how many distinct ones (-1: none, grow the whole tree)."""
    if target_ptr[s + 1] == target_ptr[s]:
        return -1
    left = 0
    for t in range(target_ptr[s], target_ptr[s + 1]):
        v = targets[t]
        if wanted[v] != stamp:
            wanted[v] = stamp
            left += 1
    return left


@_inline
def _bound(
    lm_from: NDArray[np.float64],
    lm_to: NDArray[np.float64],
    t_from: NDArray[np.float64],
    t_to: NDArray[np.float64],
    lo: int,
    hi: int,
    v: int,
) -> float:
    """ALT lower bound on the distance from ``v`` to the nearest of the targets whose landmark rows
    are ``t_from[lo:hi]``/``t_to[lo:hi]`` (``inf``: ``v`` reaches none of them)."""
    best = np.inf
    n_lm = lm_from.shape[1]
    for t in range(lo, hi):
        b = 0.0
        for k in range(n_lm):
            fv, ft = lm_from[v, k], t_from[t, k]
            if fv < np.inf:  # L reaches v: d(v, t) ≥ d(L, t) − d(L, v), inf when L reaches v but not t
                b = max(b, ft - fv)
            tv, tt = lm_to[v, k], t_to[t, k]
            if tt < np.inf:  # t reaches L: d(v, t) ≥ d(v, L) − d(t, L), inf when v does not reach L
                b = max(b, tv - tt)
        if b < best:
            best = b
            if best <= 0.0:
                break
    return best


@_jit
def grow_trees(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    sources: NDArray[np.int64],
    target_ptr: NDArray[np.int64],
    targets: NDArray[np.int64],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    lm_from: NDArray[np.float64],
    lm_to: NDArray[np.float64],
    guided: NDArray[np.bool_],
    guided_heap: int,
) -> int:
    """Fill row ``s`` of ``dist`` (``inf`` on entry) and ``pred`` with the tree from ``sources[s]``,
    stopping once ``targets[target_ptr[s]:target_ptr[s + 1]]`` are settled.  Returns how many
    guided searches ran out of heap and were grown again plainly.

    Where ``guided[s]``, the search is A*: the heap is keyed by distance + ``h(v)``, the ALT bound
    of :func:`_bound` from the landmark distances ``lm_from[v, k] = d(L_k, v)`` and ``lm_to[v, k] =
    d(v, L_k)`` (nodes × landmarks; they must be lower bounds under ``weights``, see
    :mod:`._trees`), computed when a node is first reached; nodes with ``h = inf`` reach no target
    and are not queued.  A node is re-queued whenever its distance strictly improves, settled or
    not, so a target is exact when it leaves the heap even if rounding makes ``h`` slightly
    inconsistent (its key is its distance then: ``h(t) = 0``).  A guided search may hold at most
    ``guided_heap`` entries (at most the arcs + 1 a plain search needs; tests pass a small one to
    force the retry)."""
    n = indptr.size - 1
    wanted = np.zeros(n, dtype=np.int32)  # stamp of the search the node is a target of (0 once settled)
    h_of = np.zeros(n, dtype=np.float64)  # the guided search's bound of a node …
    h_stamp = np.zeros(n, dtype=np.int32)  # … valid when this is the search's stamp
    n_lm = lm_from.shape[1]
    t_from = np.empty((max(targets.size, 1), n_lm), dtype=np.float64)
    t_to = np.empty((max(targets.size, 1), n_lm), dtype=np.float64)
    for t in range(targets.size):
        t_from[t, :] = lm_from[targets[t], :]
        t_to[t, :] = lm_to[targets[t], :]
    # plain Dijkstra scans each arc once per search, so the lazy heap holds at most one entry each + the origin
    cap = indices.size + 1
    heap_d = np.empty(cap, dtype=np.float64)
    heap_v = np.empty(cap, dtype=np.int32)
    small = max(1, min(guided_heap, cap))
    retries = 0
    for s in range(sources.size):
        stamp = s + 1
        left = _mark_targets(wanted, stamp, target_ptr, targets, s)
        src = sources[s]
        astar = guided[s] and left > 0
        # a guided search that runs out of heap grows the tree again, plainly
        for attempt in range(2 if astar else 1):
            if attempt == 1:
                retries += 1
                dist[s, :] = np.inf
                pred[s, :] = -9999
                for t in range(target_ptr[s], target_ptr[s + 1]):
                    wanted[targets[t]] = 0  # the guided attempt left its unsettled targets stamped
                left = _mark_targets(wanted, stamp, target_ptr, targets, s)
            size = small if astar and attempt == 0 else cap
            overflow = _search(
                indptr, indices, weights, s, src, stamp, left, astar and attempt == 0, target_ptr, wanted, dist, pred,
                heap_d[:size], heap_v[:size], h_of, h_stamp, lm_from, lm_to, t_from, t_to,
            )  # fmt: skip
            if not overflow:
                break
    return retries


@_jit
def _search(
    indptr: NDArray[np.int64],
    indices: NDArray[np.int32],
    weights: NDArray[np.float64],
    s: int,
    src: int,
    stamp: int,
    left: int,
    astar: bool,
    target_ptr: NDArray[np.int64],
    wanted: NDArray[np.int32],
    dist: NDArray[np.float64],
    pred: NDArray[np.int32],
    heap_d: NDArray[np.float64],
    heap_v: NDArray[np.int32],
    h_of: NDArray[np.float64],
    h_stamp: NDArray[np.int32],
    lm_from: NDArray[np.float64],
    lm_to: NDArray[np.float64],
    t_from: NDArray[np.float64],
    t_to: NDArray[np.float64],
) -> bool:
    """One search of :func:`grow_trees`; True if the heap overflowed (only re-queues can do that)."""
    cap = heap_d.size
    overflow = False
    lo, hi = target_ptr[s], target_ptr[s + 1]
    dist[s, src] = 0.0
    h_src = 0.0
    if astar:
        h_src = _bound(lm_from, lm_to, t_from, t_to, lo, hi, src)
        h_of[src] = h_src
        h_stamp[src] = stamp
    heap_d[0] = h_src
    heap_v[0] = src
    size = 1 if h_src < np.inf else 0
    while size > 0:
        key, u = heap_d[0], heap_v[0]
        size -= 1
        if size > 0:
            _sift_down(heap_d, heap_v, size)
        d = dist[s, u]
        if key > (d + h_of[u] if astar else d):
            continue  # a stale entry: u was queued again at a smaller distance
        if wanted[u] == stamp:
            wanted[u] = 0
            left -= 1
            if left == 0:
                break
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = d + weights[e]
            if nd < dist[s, v]:  # in plain Dijkstra never true for a settled v: its distance is ≤ d ≤ nd
                hv = 0.0
                if astar:
                    if h_stamp[v] != stamp:
                        h_of[v] = _bound(lm_from, lm_to, t_from, t_to, lo, hi, v)
                        h_stamp[v] = stamp
                    hv = h_of[v]
                    if hv == np.inf:
                        continue  # v reaches none of the targets
                dist[s, v] = nd
                pred[s, v] = u
                if size == cap:  # only a guided search re-queues settled nodes (rounding): rare
                    overflow = True
                    break
                _push(heap_d, heap_v, size, nd + hv, v)
                size += 1
        if overflow:
            break
    return overflow
