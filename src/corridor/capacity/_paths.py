"""Column generation: the same LPs as :mod:`._lp`, solved over paths instead of arcs.

The arc formulation has one variable per commodity and arc; on a national rail network that is
millions of variables, almost all zero.  Here the master LP holds only path flows that have been
found useful, plus the unserved slacks, with one demand row per OD and the capacity rows.  After
each master solve, HiGHS's duals price every arc::

    weight(a) = cost(a) + Σ_rows-through-a  π_r × coefficient(unit_r, cargo)      (π_r ≥ 0)

and one Dijkstra per origin (scipy ``csgraph``) finds each OD's cheapest path under these weights.
A path whose weight is below the OD row's dual improves the master and is added; when none is,
the master is optimal for the full LP (LP duality: every arc variable has a non-negative reduced
cost), so the objective, flows and capacity duals equal those of the arc formulation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog

from corridor.capacity._capacity import CAPACITY_UNITS, unit_coefficients
from corridor.capacity._graph import Arcs, CapacityRows
from corridor.capacity._lp import GROWTH_LIMIT, Commodities, FlowLP, GrowthSolution, MinCostSolution, ODs
from corridor.capacity._trees import GUIDED_TARGETS, Landmarks, at_least, shortest_trees
from corridor.errors import InfeasibleError
from corridor.units import CARGO_CLASSES

MAX_ROUNDS = 1_000
_TOL = 1e-9
#: Landmarks per cargo class for goal-directed pricing (:mod:`._trees`); each costs two whole
#: Dijkstra trees, once per solve.
LANDMARKS = 12
#: A pricing call gets landmarks when it has this many searches with few targets (fewer: the
#: 2 × :data:`LANDMARKS` whole trees cost more than guiding saves).
GUIDE_FROM = 4 * LANDMARKS


@dataclass
class _Pricing:
    """Everything the pricing step needs, as arrays."""

    arcs: Arcs
    rows: CapacityRows
    n_nodes: int
    arc_inc: sp.csr_array  # rows × arcs
    node_inc: sp.csr_array  # rows × nodes
    coef: NDArray[np.float64]  # rows × commodities: capacity units per unit of the commodity
    cargo: NDArray[np.intp]  # cargo class index of each commodity
    #: per cargo class: the landmarks of its last guided call's weights (reused by the round's other blocks)
    landmarks: dict[int, Landmarks | None] | None = None

    @classmethod
    def build(cls, arcs: Arcs, rows: CapacityRows, comm: Commodities, n_nodes: int) -> _Pricing:
        arc_inc = sp.csr_array(
            (np.ones(rows.arc_row.size), (rows.arc_row, rows.arc_col)), shape=(rows.count, arcs.count)
        )
        node_inc = sp.csr_array(
            (np.ones(rows.node_row.size), (rows.node_row, rows.node_col)), shape=(rows.count, n_nodes)
        )
        per_unit = np.array(
            [
                [unit_coefficients(CARGO_CLASSES[c], t)[u] for c, t in zip(comm.cargo, comm.t_per_teu, strict=True)]
                for u in CAPACITY_UNITS
            ]
        ).reshape(len(CAPACITY_UNITS), comm.count)
        return cls(arcs, rows, n_nodes, arc_inc, node_inc, per_unit[rows.unit], comm.cargo)

    def shortest(
        self,
        k: int,
        base_cost: NDArray[np.float64],
        price: NDArray[np.float64],
        origins: NDArray[np.intp],
        targets: list[NDArray[np.intp]] | None = None,
    ) -> tuple[NDArray[np.float64], NDArray[np.int32], NDArray[np.int64], NDArray[np.intp], NDArray[np.float64]]:
        """Dijkstra from ``origins`` under the dual-adjusted weights of commodity ``k`` (every
        commodity in the call shares its cargo class and t/TEU), each search stopping once its
        ``targets`` are settled (:func:`._trees.shortest_trees`; read only their distances).
        Returns distances, predecessors, the sorted node-pair keys with the cheapest arc of each
        pair, and node throughput prices."""
        weighted = price * self.coef[:, k]
        node_price = self.node_inc.T @ weighted
        arcs = self.arcs
        weight = base_cost + self.arc_inc.T @ weighted + node_price[arcs.head]
        mask = np.flatnonzero(arcs.cargo_ok[self.cargo[k]])
        key = arcs.tail[mask].astype(np.int64) * self.n_nodes + arcs.head[mask]
        order = np.lexsort((weight[mask], key))
        first = np.ones(order.size, dtype=bool)
        first[1:] = key[order][1:] != key[order][:-1]
        best = mask[order[first]]
        graph = sp.csr_array((weight[best], (arcs.tail[best], arcs.head[best])), shape=(self.n_nodes, self.n_nodes))
        # guided only where the weights are the free-flow costs plus tolls ≥ 0 (maximum growth prices
        # capacity alone: mostly zero weights, bounds near 0, guiding measured slower there)
        tolled = bool((weight[best] >= arcs.cost_usd[self.cargo[k]][best]).all())
        guide = self._landmarks(int(self.cargo[k]), targets, graph) if tolled else None
        dist, pred = shortest_trees(graph, origins, targets, guide)
        return dist, pred, key[order][first], best, node_price

    def _landmarks(self, cargo: int, targets: list[NDArray[np.intp]] | None, graph: sp.csr_array) -> Landmarks | None:
        """Landmarks for ``graph`` (this call's weights of ``cargo``), when the call has
        :data:`GUIDE_FROM` searches with few targets.  Built on the call's own weights, so the
        bounds are tight and hold by construction; the calls of one round (blocks of origins) share
        them (:meth:`Landmarks.admits` on the same weights), a new round builds its own —
        landmarks kept from free flow bound later rounds only loosely (design note)."""
        if targets is None or sum(1 for t in targets if 0 < t.size <= GUIDED_TARGETS) < GUIDE_FROM:
            return None
        if self.landmarks is None:
            self.landmarks = {}
        kept = self.landmarks.get(cargo)
        if kept is not None and kept.admits(graph) and at_least(kept.base, graph):
            return kept  # the same weights
        self.landmarks[cargo] = Landmarks(graph, LANDMARKS)
        return self.landmarks[cargo]


#: Bytes of Dijkstra output (distances and predecessors of every node, 12 a node and origin) held
#: at once: origins are searched in blocks of at most this much, so that memory does not grow with
#: the number of origins (1,000 origins on 53k nodes would be 640 MB, 10,000 6.4 GB).
TREE_BYTES = 256 * 2**20


def _blocks(group: NDArray[np.intp], n_nodes: int) -> list[NDArray[np.intp]]:
    """``group`` in consecutive blocks whose trees fit in :data:`TREE_BYTES`."""
    size = max(1, TREE_BYTES // (12 * max(n_nodes, 1)))
    return [group[i : i + size] for i in range(0, group.size, size)]


def _targets(group: NDArray[np.intp], members: list[NDArray[np.intp]], ods: ODs) -> list[NDArray[np.intp]]:
    """The destinations of each commodity of ``group`` (one Dijkstra search each)."""
    return [ods.dest[members[int(k)]] for k in group.tolist()]


@dataclass
class _Columns:
    od: list[int]
    arcs: list[NDArray[np.intp]]
    seen: set[tuple[int, bytes]]


def _path(
    pred_row: NDArray[np.int32],
    origin: int,
    dest: int,
    pair_keys: NDArray[np.int64],
    pair_arc: NDArray[np.intp],
    n: int,
) -> NDArray[np.intp]:
    nodes = [dest]
    while nodes[-1] != origin:
        nodes.append(int(pred_row[nodes[-1]]))
    nodes.reverse()
    seq = np.asarray(nodes, dtype=np.int64)
    keys = seq[:-1] * n + seq[1:]
    return pair_arc[np.searchsorted(pair_keys, keys)]


def _usage(
    pricing: _Pricing, comm: Commodities, ods: ODs, col_od: NDArray[np.intp], col_arcs: list[NDArray[np.intp]]
) -> tuple[sp.csc_array, NDArray[np.float64]]:
    """Capacity use (rows × columns) and cost of path columns."""
    arcs = pricing.arcs
    n_cols = len(col_arcs)
    lengths = np.array([a.size for a in col_arcs], dtype=np.intp)
    flat = np.concatenate(col_arcs) if n_cols else np.zeros(0, dtype=np.intp)
    col_of = np.repeat(np.arange(n_cols), lengths)
    path_arc = sp.csr_array((np.ones(flat.size), (flat, col_of)), shape=(arcs.count, n_cols))
    heads = sp.csr_array((np.ones(flat.size), (arcs.head[flat], col_of)), shape=(pricing.n_nodes, n_cols))
    starts = sp.csr_array((np.ones(n_cols), (ods.origin[col_od], np.arange(n_cols))), shape=(pricing.n_nodes, n_cols))
    use = (pricing.arc_inc @ path_arc + pricing.node_inc @ (heads + starts)).tocoo()
    k = comm.of_od[col_od]
    data = use.data * pricing.coef[use.row, k[use.col]]
    usage = sp.csc_array((data, (use.row, use.col)), shape=(pricing.rows.count, n_cols))
    cargo = comm.cargo[k]
    cost = np.bincount(col_of, weights=arcs.cost_usd[cargo[col_of], flat], minlength=n_cols).astype(np.float64)
    return usage, cost


def _generate(
    lp: FlowLP,
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    ods: ODs,
    *,
    growth: bool,
    method: str,
    start: _Columns | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[
    NDArray[np.float64],
    NDArray[np.float64],
    float,
    NDArray[np.float64],
    int,
    _Columns,
    NDArray[np.float64],
    NDArray[np.float64],
]:
    """Run column generation; return (x over ``lp``'s arc variables, extra variables, objective,
    capacity duals, rounds, columns, flow of each column, use of each capacity row).  ``extra`` is the unserved slacks, or
    ``[g]`` when ``growth``.
    ``start`` seeds the master with the columns of an earlier solve on the same ODs; when they give
    every OD with demand a path, the first master is solved on them directly (no first Dijkstra
    round: the master is bounded).  ``progress`` is called as each round starts."""
    n_nodes = lp.n_nodes
    pricing = _Pricing.build(arcs, rows, comm, n_nodes)
    n_od = ods.origin.size
    cols = _Columns([], [], set())
    usage = sp.csc_array((rows.count, 0))
    cost = np.zeros(0)
    if start is not None and start.od:
        cols = _Columns(list(start.od), list(start.arcs), set(start.seen))
        usage, cost = _usage(pricing, comm, ods, np.asarray(cols.od, dtype=np.intp), cols.arcs)
    y_od = ods.penalty.copy() if not growth else np.zeros(n_od)
    price = np.zeros(rows.count)
    members = [np.flatnonzero(comm.of_od == k) for k in range(comm.count)]
    # commodities that differ only by origin share their arc weights: one Dijkstra call each
    kinds = np.rec.fromarrays([comm.cargo, comm.t_per_teu])
    _, kind_of = np.unique(kinds, return_inverse=True)
    groups = [np.flatnonzero(kind_of.ravel() == g) for g in range(int(kind_of.max(initial=-1)) + 1)]
    # every OD gets its cheapest path first (the growth master is unbounded without them), unless
    # the start columns already give every OD with demand one
    covered = np.zeros(n_od, dtype=bool)
    covered[np.asarray(cols.od, dtype=np.intp)] = True
    first_round = not bool(covered[ods.demand > 0].all()) if cols.od else True
    report = progress or (lambda stage: None)
    label = "maximum growth" if growth else "least-cost assignment"
    rounds = 0
    res = None
    while rounds < MAX_ROUNDS:
        rounds += 1
        report(f"{label}, round {rounds} ({len(cols.od):,} paths)")
        new_od: list[int] = []
        new_arcs: list[NDArray[np.intp]] = []
        blocks = (block for kind in groups for block in _blocks(kind, n_nodes))
        for group in blocks if (rounds > 1 or first_round) else ():
            k0 = int(group[0])
            base = np.zeros(arcs.count) if growth else arcs.cost_usd[comm.cargo[k0]]
            origins = comm.origin[group]
            dist, pred, pair_keys, pair_arc, node_price = pricing.shortest(
                k0, base, price, origins, _targets(group, members, ods)
            )
            for j, k in enumerate(group):
                origin = int(origins[j])
                for i in members[int(k)]:
                    d = int(ods.dest[i])
                    if not np.isfinite(dist[j, d]):
                        continue
                    reduced = dist[j, d] + node_price[origin] - y_od[i]
                    if not (first_round or reduced < -_TOL * max(1.0, abs(y_od[i]))):
                        continue
                    path = _path(pred[j], origin, d, pair_keys, pair_arc, n_nodes)
                    signature = (int(i), path.tobytes())
                    if signature in cols.seen:
                        continue
                    cols.seen.add(signature)
                    new_od.append(int(i))
                    new_arcs.append(path)
        first_round = False
        if not new_od and res is not None:
            break
        if new_od:
            more, more_cost = _usage(pricing, comm, ods, np.asarray(new_od, dtype=np.intp), new_arcs)
            usage = sp.hstack([usage, more], format="csc")
            cost = np.concatenate([cost, more_cost])
            cols.od += new_od
            cols.arcs += new_arcs
        res, marginals = _master(
            usage, cost, np.asarray(cols.od, dtype=np.intp), rows, ods, growth=growth, method=method
        )
        y_od = np.asarray(res.eqlin.marginals)
        price = np.maximum(-marginals, 0.0)
    else:
        raise InfeasibleError(f"column generation did not converge in {MAX_ROUNDS} rounds")
    assert res is not None
    n_cols = len(cols.od)
    flows = np.asarray(res.x[:n_cols])
    x = _to_arc_variables(lp, comm, arcs.count, np.asarray(cols.od, dtype=np.intp), cols.arcs, flows)
    return x, np.asarray(res.x[n_cols:]), float(res.fun), price, rounds, cols, flows, usage @ flows


def _master(
    usage: sp.csc_array,
    cost: NDArray[np.float64],
    col_od: NDArray[np.intp],
    rows: CapacityRows,
    ods: ODs,
    *,
    growth: bool,
    method: str,
) -> tuple[Any, NDArray[np.float64]]:
    n_cols, n_od = col_od.size, ods.origin.size
    demand_rows = sp.csr_array((np.ones(n_cols), (col_od, np.arange(n_cols))), shape=(n_od, n_cols))
    if growth:
        extra = sp.csr_array(-ods.demand.reshape(-1, 1))
        c = np.concatenate([np.zeros(n_cols), [-1.0]])
        b_eq = np.zeros(n_od)
        bounds = np.zeros((n_cols + 1, 2))
        bounds[:, 1] = np.inf
        bounds[-1, 1] = GROWTH_LIMIT
    else:
        extra = sp.identity(n_od, format="csr")
        c = np.concatenate([cost, ods.penalty])
        b_eq = ods.demand
        bounds = np.zeros((n_cols + n_od, 2))
        bounds[:n_cols, 1] = np.inf
        bounds[n_cols:, 1] = ods.demand
    a_eq = sp.hstack([demand_rows, extra], format="csr")
    # only capacity rows some path uses can bind; the others have a zero dual
    used = np.flatnonzero(np.diff(usage.tocsr().indptr))
    a_ub = sp.hstack([usage.tocsr()[used], sp.csr_array((used.size, extra.shape[1]))], format="csr")
    res = linprog(
        c,
        A_ub=a_ub if used.size else None,
        b_ub=rows.cap[used] if used.size else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method=method,
    )
    if res.status != 0:
        raise InfeasibleError(f"the path master LP could not be solved: {res.message}")
    marginals = np.zeros(rows.count)
    if used.size:
        marginals[used] = res.ineqlin.marginals
    return res, marginals


def _to_arc_variables(
    lp: FlowLP,
    comm: Commodities,
    n_arcs: int,
    col_od: NDArray[np.intp],
    col_arcs: list[NDArray[np.intp]],
    flows: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Sum path flows onto the origin-aggregated arc variables of ``lp`` (nothing when ``lp`` has
    none: :func:`._lp.path_only_lp`, whose users read the path flows instead)."""
    x = np.zeros(lp.n_vars)
    if not col_arcs or lp.n_vars == 0:
        return x
    lengths = np.array([a.size for a in col_arcs], dtype=np.intp)
    flat = np.concatenate(col_arcs)
    k = np.repeat(comm.of_od[col_od], lengths)
    f = np.repeat(flows, lengths)
    key_var = lp.var_k.astype(np.int64) * n_arcs + lp.var_a
    order = np.argsort(key_var)
    key = k.astype(np.int64) * n_arcs + flat
    pos = order[np.searchsorted(key_var[order], key)]
    np.add.at(x, pos, f)
    return x


def solve_min_cost_paths(
    lp: FlowLP,
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    ods: ODs,
    *,
    method: str = "highs",
    progress: Callable[[str], None] | None = None,
) -> MinCostSolution:
    """:func:`._lp.solve_min_cost` by column generation (same optimum, flows and duals)."""
    x, unserved, objective, price, rounds, cols, flows, _ = _generate(
        lp, arcs, rows, comm, ods, growth=False, method=method, progress=progress
    )
    used = [
        (od, path, float(f))
        for od, path, f in zip(cols.od, cols.arcs, flows.tolist(), strict=True)
        if f > _TOL * max(1.0, float(ods.demand[od]))
    ]
    return MinCostSolution(
        x=x,
        unserved=unserved,
        objective=objective,
        cap_dual=price,
        iterations=rounds,
        columns=cols,
        path_flows=tuple(used),
    )


def solve_max_growth_paths(
    lp: FlowLP,
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    ods: ODs,
    *,
    method: str = "highs",
    start: object = None,
    progress: Callable[[str], None] | None = None,
) -> GrowthSolution:
    """:func:`._lp.solve_max_growth` by column generation, seeded with ``start`` (the columns of
    :func:`solve_min_cost_paths` on the same ODs) when given."""
    seed = start if isinstance(start, _Columns) else None
    x, extra, _, price, _, _, _, usage = _generate(
        lp, arcs, rows, comm, ods, growth=True, method=method, start=seed, progress=progress
    )
    g = float(extra[0])
    if g >= GROWTH_LIMIT * (1 - 1e-9):
        return GrowthSolution(None, x, np.zeros(rows.count), usage)
    return GrowthSolution(g, x, price, usage)
