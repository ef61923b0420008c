"""Guided multi-criteria search for large networks (10^4–10^5 links).

On a national grid a corridor-length trip (150–600 hops) has an astronomically large exact Pareto
set, and a label-setting search in Python cannot enumerate it (with a 1 % ε-dominance at the
nodes it still needs ~10^5–10^6 labels and seconds, measured on :func:`synthetic_network`).  So
on large graphs :func:`guided_front` computes the *supported* part of the Pareto set instead,
each route exactly Pareto-optimal, by scalar searches that scipy runs in C:

1. **Exact per-criterion lower bounds.**  One reverse :func:`scipy.sparse.csgraph.dijkstra` per
   criterion (time, cost, CO2e) from the destination gives ``h_k(v)``, the exact least value of
   criterion ``k`` from every node to the destination, and the three single-criterion optima.
2. **Weighted sums, A*-guided.**  For each weight vector ``λ`` of a fixed simplex grid (scaled by
   the ideal point so the criteria weigh alike) the route minimising ``λ · (t, c, e)`` is found by
   Dijkstra on the reduced costs ``w(u, v) − π(u) + π(v)`` with ``π = λ · h`` (admissible and
   consistent), bounded by a distance ``limit`` that doubles until the destination is inside — so
   a query explores a narrow band around the best routes, not the network.  Every such route is
   Pareto-optimal (all weights are positive).
3. **ε-deduplication against the best known.**  A new route is kept only if no route found so far
   is within :data:`EPSILON` (1 %) of it in every criterion.

Non-supported Pareto routes (in the dents of the front) are not searched for; the result says
``pareto_complete = False`` with a note naming the method, so nobody mistakes the set for the
exact front.  It never fails for lack of labels: if the destination is reachable, the time, cost
and CO2e optima are always returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from corridor.routing._search import EPS, Path

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from corridor.routing._graph import RoutingGraph

#: Relative tolerance: a route within 1 % of a known one in every criterion adds nothing.
EPSILON: Final = 0.01
#: Weight vectors (time, cost, CO2e) after scaling by the ideal point: the simplex's midpoints.
WEIGHTS: Final = ((1 / 3, 1 / 3, 1 / 3), (0.5, 0.5, 0.02), (0.5, 0.02, 0.5), (0.02, 0.5, 0.5))
#: Graphs with at least this many arcs use the guided search (below it the exact one is fast).
LARGE_ARCS: Final = 4_000


@dataclass(frozen=True, eq=False)
class CriteriaIndex:
    """One cargo's arcs as arrays, grouped by node pair (for scipy), built once and reused.

    Rows are the cargo's arcs sorted by (tail, head); ``arc_ids[row]`` is the arc of the
    :class:`~corridor.routing._graph.RoutingGraph` and ``row_of[arc]`` the way back (-1: the arc
    does not carry this cargo).
    """

    n: int
    arc_ids: npt.NDArray[np.int64]  # arc id of each row
    weights: npt.NDArray[np.float64]  # (arcs, 3): time h, USD per unit, kg CO2e per t; pair-sorted
    heads: npt.NDArray[np.int64]  # head of each arc, pair-sorted
    starts: npt.NDArray[np.int64]  # first arc of each (tail, head) pair
    indptr: npt.NDArray[np.int64]  # CSR row pointer over pairs
    pair_head: npt.NDArray[np.int64]
    pair_tail: npt.NDArray[np.int64]
    reverse: tuple[csr_matrix, csr_matrix, csr_matrix]
    reverse_pair: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
    row_of: npt.NDArray[np.int64]  # arc id → row in the arrays, -1 if the cargo cannot use the arc
    pair_key: npt.NDArray[np.int64]  # tail * n + head of each pair, ascending
    single: npt.NDArray[np.bool_]  # the pair has one arc only
    indices32: npt.NDArray[np.int32]
    indptr32: npt.NDArray[np.int32]
    columns: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]

    @classmethod
    def build(cls, graph: RoutingGraph, cargo: str) -> CriteriaIndex:
        """The index of the arcs of ``graph`` that carry ``cargo`` (array work only, no per-arc objects)."""
        from scipy.sparse import csr_matrix

        n = graph.n_nodes
        ids, w = graph.cargo_arcs(cargo)
        m = len(ids)
        tails = graph.tail[ids].astype(np.int64)
        heads = graph.head[ids].astype(np.int64)
        order = np.lexsort((heads, tails))
        tails, heads, w, ids = tails[order], heads[order], w[order], ids[order]
        row_of = np.full(graph.n_arcs, -1, dtype=np.int64)
        row_of[ids] = np.arange(m, dtype=np.int64)
        new = np.ones(m, dtype=bool)
        new[1:] = (tails[1:] != tails[:-1]) | (heads[1:] != heads[:-1])
        starts = np.flatnonzero(new).astype(np.int64)
        pair_tail, pair_head = tails[starts], heads[starts]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(pair_tail, minlength=n), out=indptr[1:])
        rev: list[csr_matrix] = []
        rev_pair: list[npt.NDArray[np.int64]] = []
        back = np.lexsort((pair_tail, pair_head))  # reverse graph: rows are heads, columns ascending
        rev_indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(pair_head, minlength=n), out=rev_indptr[1:])
        rev_indices = pair_tail[back].astype(np.int32)
        for k in range(3):
            best = np.minimum.reduceat(w[:, k], starts) if m else np.zeros(0)
            data = np.maximum(best[back], 1e-9)  # csgraph would drop an explicit 0 weight
            rev.append(csr_matrix((data, rev_indices, rev_indptr), shape=(n, n)))
            rev_pair.append(back.astype(np.int64))
        return cls(
            n, ids, w, heads, starts, indptr, pair_head, pair_tail,
            (rev[0], rev[1], rev[2]), (rev_pair[0], rev_pair[1], rev_pair[2]),
            row_of,
            pair_tail * n + pair_head,
            np.diff(np.append(starts, m)) == 1,
            pair_head.astype(np.int32),
            indptr.astype(np.int32),
            (np.ascontiguousarray(w[:, 0]), np.ascontiguousarray(w[:, 1]), np.ascontiguousarray(w[:, 2])),
        )  # fmt: skip

    def bounds(self, destination: int) -> tuple[npt.NDArray[np.float64], list[npt.NDArray[np.int32]]]:
        """(3, n) exact least values to ``destination`` per criterion, and the reverse trees."""
        from scipy.sparse.csgraph import dijkstra

        dists, preds = [], []
        for mat in self.reverse:
            d, p = dijkstra(mat, directed=True, indices=destination, return_predecessors=True)
            dists.append(d)
            preds.append(p)
        return np.vstack(dists), preds

    def _arcs_along(
        self, nodes: list[int], lam: npt.NDArray[np.float64], banned: npt.NDArray[np.bool_] | None
    ) -> list[int]:
        """The rows of a node path's arcs, taking the least weighted of parallel arcs."""
        if len(nodes) < 2:
            return []
        seq = np.asarray(nodes, dtype=np.int64)
        pairs = np.searchsorted(self.pair_key, seq[:-1] * self.n + seq[1:])
        out: list[int] = []
        m = len(self.arc_ids)
        for p, one in zip(pairs.tolist(), self.single[pairs].tolist(), strict=True):
            a0 = int(self.starts[p])
            if one:
                out.append(a0)
                continue
            a1 = int(self.starts[p + 1]) if p + 1 < len(self.starts) else m
            vals = self.weights[a0:a1] @ lam
            if banned is not None:
                vals = np.where(banned[a0:a1], np.inf, vals)
            out.append(a0 + int(np.argmin(vals)))
        return out

    def tree_path(self, k: int, pred: npt.NDArray[np.int32], origin: int, destination: int) -> list[int] | None:
        """origin → destination along criterion ``k``'s reverse shortest-path tree."""
        lam = np.zeros(3)
        lam[k] = 1.0
        nodes = [origin]
        while nodes[-1] != destination:
            v = int(pred[nodes[-1]])
            if v < 0:
                return None
            nodes.append(v)
        return self._arcs_along(nodes, lam, None)

    def weighted_path(
        self,
        lam: tuple[float, float, float],
        origin: int,
        destination: int,
        h: npt.NDArray[np.float64],
        *,
        banned_arcs: frozenset[int] = frozenset(),
        banned_nodes: frozenset[int] = frozenset(),
        upper: float = float("inf"),
    ) -> list[int] | None:
        """The route minimising ``lam · (t, c, e)``: A* with potential ``lam · h`` on scipy.

        ``upper`` is the weighted value of a known feasible route: the search then needs one
        bounded run (``limit`` = upper − potential of the origin); without it the limit doubles.
        """
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        vec = np.asarray(lam, dtype=np.float64)
        cols = self.columns
        vals = cols[0] * vec[0] + cols[1] * vec[1] + cols[2] * vec[2]
        banned: npt.NDArray[np.bool_] | None = None
        if banned_arcs or banned_nodes:
            banned = np.zeros(len(self.arc_ids), dtype=bool)
            if banned_arcs:
                rows = self.row_of[np.fromiter(banned_arcs, dtype=np.int64, count=len(banned_arcs))]
                banned[rows[rows >= 0]] = True
            if banned_nodes:
                banned |= np.isin(self.heads, np.fromiter(banned_nodes, dtype=np.int64))
            vals = np.where(banned, np.inf, vals)
        best = np.minimum.reduceat(vals, self.starts)
        pot = vec @ np.where(np.isfinite(h), h, 0.0)
        reduced = best - pot[self.pair_tail] + pot[self.pair_head]
        keep = np.isfinite(reduced)
        reduced = np.maximum(reduced, 1e-9)
        if not keep.all():
            counts = np.bincount(self.pair_tail[keep], minlength=self.n)
            indptr = np.zeros(self.n + 1, dtype=np.int32)
            np.cumsum(counts, out=indptr[1:])
            graph = csr_matrix((reduced[keep], self.indices32[keep], indptr), shape=(self.n, self.n))
        else:
            graph = csr_matrix((reduced, self.indices32, self.indptr32), shape=(self.n, self.n))
        total = float(reduced[keep].sum()) if keep.any() else 0.0
        if np.isfinite(upper):
            limit = (upper - float(pot[origin])) * (1 + 1e-9) + 1e-9
        else:
            limit = max(float(reduced[keep].mean()) if keep.any() else 1.0, 1e-6) * 64.0
        while True:
            dist, pred = dijkstra(graph, directed=True, indices=origin, return_predecessors=True, limit=limit)
            if np.isfinite(dist[destination]):
                break
            if limit > total:
                return None
            limit = max(limit * 4.0, total + 1.0) if np.isfinite(upper) else limit * 4.0
        nodes = [destination]
        while nodes[-1] != origin:
            nodes.append(int(pred[nodes[-1]]))
        nodes.reverse()
        return self._arcs_along(nodes, vec, banned)


def as_path(index: CriteriaIndex, rows: list[int]) -> Path:
    """The path through ``rows`` of ``index``, with its totals summed in path order."""
    w = index.weights[rows]
    return Path(
        tuple(index.arc_ids[rows].tolist()),
        sum(w[:, 0].tolist()),
        sum(w[:, 1].tolist()),
        sum(w[:, 2].tolist()),
    )


def _close(a: tuple[float, float, float], b: tuple[float, float, float], eps: float) -> bool:
    return all(x <= (1 + eps) * y + EPS and y <= (1 + eps) * x + EPS for x, y in zip(a, b, strict=True))


def guided_front(
    index: CriteriaIndex,
    origin: int,
    destination: int,
    *,
    banned_arcs: frozenset[int] = frozenset(),
    banned_nodes: frozenset[int] = frozenset(),
    epsilon: float = EPSILON,
) -> tuple[list[Path], npt.NDArray[np.float64]]:
    """Supported Pareto routes origin → destination (see the module docstring) and the bounds."""
    h, preds = index.bounds(destination)
    if origin in banned_nodes or destination in banned_nodes or not np.isfinite(h[0, origin]):
        return [], h
    found: list[Path] = []

    def keep(rows: list[int] | None) -> None:
        if rows is None:
            return
        p = as_path(index, rows)
        if not any(_close(p.criteria, q.criteria, epsilon) for q in found):
            found.append(p)

    unconstrained = not banned_arcs and not banned_nodes
    for k in range(3):
        if unconstrained:
            keep(index.tree_path(k, preds[k], origin, destination))
        else:
            lam = [0.0, 0.0, 0.0]
            lam[k] = 1.0
            keep(
                index.weighted_path(
                    (lam[0], lam[1], lam[2]), origin, destination, h, banned_arcs=banned_arcs, banned_nodes=banned_nodes
                )
            )
    ideal = np.maximum(h[:, origin], 1e-9)
    for wt, wc, we in WEIGHTS:
        mix = (float(wt / ideal[0]), float(wc / ideal[1]), float(we / ideal[2]))
        upper = min((float(np.dot(mix, p.criteria)) for p in found), default=float("inf"))
        keep(
            index.weighted_path(
                mix, origin, destination, h, banned_arcs=banned_arcs, banned_nodes=banned_nodes, upper=upper
            )
        )
    return non_dominated(found), h


def non_dominated(paths: list[Path]) -> list[Path]:
    """The paths no other path of the list dominates."""
    return [p for p in paths if not any(_dominates(q, p) for q in paths)]


def _dominates(a: Path, b: Path) -> bool:
    return a.criteria != b.criteria and all(x <= y + EPS for x, y in zip(a.criteria, b.criteria, strict=True))
