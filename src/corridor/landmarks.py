"""Landmarks for goal-directed shortest-path search (ALT: A*, landmarks, triangle inequality),
shared by routing's time index and the capacity model's pricing searches."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


def landmark_distances(
    matrix: csr_matrix, landmarks: int = 8
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``(d(L, v), d(v, L))`` as (landmarks, nodes) arrays for up to ``landmarks`` landmarks picked
    farthest-first (each the node farthest from those picked so far; the first one the tail of the
    first arc), by Dijkstra on ``matrix`` and its transpose.  For every node pair,
    ``max(d(L, t) − d(L, v), d(v, L) − d(t, L))`` is a lower bound on ``d(v, t)`` (ALT).  Routing's
    time index and the capacity pricing both use them."""
    from scipy.sparse.csgraph import dijkstra

    n = matrix.shape[0]
    forward: list[npt.NDArray[np.float64]] = []
    backward: list[npt.NDArray[np.float64]] = []
    if n > 0 and matrix.nnz:
        transpose = matrix.T.tocsr()
        nearest = np.full(n, np.inf)
        pick = int(np.flatnonzero(np.diff(matrix.indptr))[0])
        for _ in range(min(landmarks, n)):
            d_from = dijkstra(matrix, directed=True, indices=pick)
            forward.append(d_from)
            backward.append(dijkstra(transpose, directed=True, indices=pick))
            nearest = np.minimum(nearest, np.where(np.isfinite(d_from), d_from, np.inf))
            reachable = np.isfinite(nearest)
            if not reachable.any():
                break
            pick = int(np.argmax(np.where(reachable, nearest, -1.0)))  # farthest from the landmarks so far
    empty = np.zeros((0, n))
    return (np.vstack(forward) if forward else empty), (np.vstack(backward) if backward else empty)
