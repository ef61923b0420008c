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
) -> None:
    """Fill row ``s`` of ``dist`` (``inf`` on entry) and ``pred`` with the tree from ``sources[s]``,
    stopping once ``targets[target_ptr[s]:target_ptr[s + 1]]`` are settled."""
    n = indptr.size - 1
    wanted = np.zeros(n, dtype=np.int32)  # stamp of the search the node is a target of
    # each arc is scanned once per search, so the lazy heap holds at most one entry each + the origin
    heap_d = np.empty(indices.size + 1, dtype=np.float64)
    heap_v = np.empty(indices.size + 1, dtype=np.int32)
    for s in range(sources.size):
        stamp = s + 1
        left = _mark_targets(wanted, stamp, target_ptr, targets, s)
        src = sources[s]
        dist[s, src] = 0.0
        heap_d[0] = 0.0
        heap_v[0] = src
        size = 1
        while size > 0:
            d, u = heap_d[0], heap_v[0]
            size -= 1
            if size > 0:
                _sift_down(heap_d, heap_v, size)
            if d > dist[s, u]:
                continue  # a stale entry: u was settled at a smaller distance
            if wanted[u] == stamp:
                left -= 1
                if left == 0:
                    break
            for e in range(indptr[u], indptr[u + 1]):
                v = indices[e]
                nd = d + weights[e]
                if nd < dist[s, v]:  # never true for a settled v: its distance is ≤ d ≤ nd
                    dist[s, v] = nd
                    pred[s, v] = u
                    _push(heap_d, heap_v, size, nd, v)
                    size += 1
