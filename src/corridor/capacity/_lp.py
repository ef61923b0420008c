"""The capacity-constrained multi-commodity flow LPs, built as sparse matrices and solved by HiGHS.

**Commodities.**  Demand is a list of origin–destination flows (OD) by cargo class.  The LP does not
need one commodity per OD: costs and capacities do not depend on the destination, so all ODs that
share an origin, a cargo class and a mass per TEU can be one commodity with one source and several
sinks (the *origin-aggregated* formulation).  Any feasible OD flow maps to an aggregated flow of equal
cost (sum it) and any aggregated flow decomposes into OD flows (flow decomposition), so both
formulations have the same optimum; the aggregated one has fewer variables whenever origins repeat.
:func:`group_commodities` builds either (``by="origin"`` or ``by="od"``).

**Variables.**  ``x[k, a] ≥ 0``: flow of commodity ``k`` on arc ``a`` (its own unit, TEU or tonnes) for
every arc that carries the commodity's cargo class; ``u[od]`` in ``[0, demand]``: unserved volume.

**Rows.**  Conservation per commodity and node (``out − in``: the origin supplies what is served,
each destination absorbs what it receives).  One capacity row per capacity and direction:
``Σ coefficient(unit, cargo) × x ≤ effective capacity``; a node's throughput is what enters it plus
what its own commodities send out (so transit counts once, origin and destination once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import linprog

from corridor.capacity._capacity import CAPACITY_UNITS, unit_coefficients
from corridor.capacity._graph import Arcs, CapacityRows, CostModel
from corridor.demand import DemandSet
from corridor.errors import InfeasibleError, InputError, Problem
from corridor.network import Network
from corridor.units import CARGO_CLASSES

#: Growth factors above this are reported as unlimited (no capacity on any path binds).
GROWTH_LIMIT = 1e6


@dataclass(frozen=True)
class ODs:
    """Origin–destination demand as arrays (node positions, cargo class index, tonnes per TEU)."""

    origin: NDArray[np.intp]
    dest: NDArray[np.intp]
    cargo: NDArray[np.intp]
    t_per_teu: NDArray[np.float64]
    demand: NDArray[np.float64]
    penalty: NDArray[np.float64]


@dataclass(frozen=True)
class Commodities:
    origin: NDArray[np.intp]
    cargo: NDArray[np.intp]
    t_per_teu: NDArray[np.float64]
    of_od: NDArray[np.intp]

    @property
    def count(self) -> int:
        return int(self.origin.size)


def demand_arrays(network: Network, demand: DemandSet, costs: CostModel) -> tuple[ODs, list[tuple[str, str, str]]]:
    """The demand's flows as :class:`ODs` (node positions), with their (origin, destination, cargo).

    Raises
    ------
    InputError
        Unknown or planned nodes, unknown cargo classes, negative volumes (every problem listed).
    """
    problems: list[Problem] = []
    origin, dest, cargo, tpt, volume, penalty = [], [], [], [], [], []
    records: list[tuple[str, str, str]] = []
    for i, flow in enumerate(demand.flows, start=1):
        where = f"demand {demand.name!r}, flow {i} ({flow.origin}→{flow.destination}, {flow.cargo})"
        ends = []
        for node_id in (flow.origin, flow.destination):
            if not network.has_node(node_id):
                problems.append(Problem(where, f"node {node_id!r} is not in network {network.name!r}"))
            elif not network.node(node_id).enabled:
                problems.append(Problem(where, f"node {node_id!r} is planned (enabled=false)"))
            else:
                ends.append(network.node_position(node_id))
        if flow.cargo not in CARGO_CLASSES:
            problems.append(Problem(where, f"unknown cargo class {flow.cargo!r}; expected one of {CARGO_CLASSES}"))
            continue
        vol = flow.volume
        if not (math.isfinite(vol) and vol >= 0):
            problems.append(Problem(where, f"volume must be a finite number ≥ 0, got {vol!r}"))
            continue
        per_teu = flow.tonnes / flow.teu if flow.cargo == "container" and flow.teu > 0 else 0.0
        if flow.cargo == "container" and flow.teu > 0 and not (math.isfinite(per_teu) and per_teu >= 0):
            problems.append(Problem(where, f"container mass must be ≥ 0 t, got {flow.tonnes!r}"))
            continue
        if len(ends) == 2 and ends[0] == ends[1]:
            problems.append(Problem(where, "origin and destination are the same node"))
            continue
        if len(ends) != 2:
            continue
        origin.append(ends[0])
        dest.append(ends[1])
        cargo.append(CARGO_CLASSES.index(flow.cargo))
        tpt.append(round(per_teu, 9))
        volume.append(vol)
        penalty.append(costs.unserved_usd(flow.cargo))
        records.append((flow.origin, flow.destination, flow.cargo))
    if problems:
        raise InputError(f"demand {demand.name!r} cannot be assigned to network {network.name!r}", problems)
    ods = ODs(
        origin=np.asarray(origin, dtype=np.intp),
        dest=np.asarray(dest, dtype=np.intp),
        cargo=np.asarray(cargo, dtype=np.intp),
        t_per_teu=np.asarray(tpt, dtype=float),
        demand=np.asarray(volume, dtype=float),
        penalty=np.asarray(penalty, dtype=float),
    )
    return ods, records


def group_commodities(ods: ODs, by: str = "origin") -> Commodities:
    """One commodity per (origin, cargo, t/TEU) — or per OD with ``by="od"``."""
    if by == "od":
        keys = np.arange(ods.origin.size)
        return Commodities(ods.origin.copy(), ods.cargo.copy(), ods.t_per_teu.copy(), keys.astype(np.intp))
    table = np.rec.fromarrays([ods.origin, ods.cargo, ods.t_per_teu])
    uniq, inverse = np.unique(table, return_inverse=True)
    return Commodities(
        origin=np.asarray(uniq["f0"], dtype=np.intp),
        cargo=np.asarray(uniq["f1"], dtype=np.intp),
        t_per_teu=np.asarray(uniq["f2"], dtype=float),
        of_od=np.asarray(inverse, dtype=np.intp).ravel(),
    )


@dataclass(frozen=True)
class FlowLP:
    """The matrices shared by the min-cost and max-growth problems."""

    var_k: NDArray[np.intp]
    var_a: NDArray[np.intp]
    a_eq: sp.csr_array
    a_cap: sp.csr_array
    n_nodes: int

    @property
    def n_vars(self) -> int:
        return int(self.var_a.size)


#: Bytes one arc-formulation variable costs while the LP is built and solved (its indices, two
#: conservation and about four capacity entries, the products of the build, bounds, cost and HiGHS's
#: own copy) — measured on the synthetic networks: 16.7 GB for 55k links × 1,000 ODs.
BYTES_PER_ARC_VARIABLE = 160


def arc_variable_count(arcs: Arcs, comm: Commodities) -> int:
    """Variables ``x[k, a]`` of the arc formulation (every arc that carries commodity ``k``'s cargo)."""
    if comm.count == 0:
        return 0
    per_cargo = arcs.cargo_ok.sum(axis=1)
    return int(per_cargo[comm.cargo].sum())


def check_arc_memory(arcs: Arcs, comm: Commodities, available: int | None) -> None:
    """Raise :class:`InputError` before building an arc LP that would not fit in ``available`` bytes."""
    need = arc_variable_count(arcs, comm) * BYTES_PER_ARC_VARIABLE
    if available is not None and need > available:
        raise InputError(
            f"the arc formulation needs about {need / 1e9:,.1f} GB "
            f"({arc_variable_count(arcs, comm):,} variables: {comm.count:,} commodities × up to {arcs.count:,} arcs), "
            f"more than the {available / 1e9:,.1f} GB of memory available",
            [
                Problem(
                    "formulation",
                    "use the path formulation (formulation='paths', the default; memory grows with the paths "
                    "found, not commodities × arcs), or fewer distinct origins",
                )
            ],
        )


def available_memory() -> int | None:
    """Physical memory in bytes (None where the platform does not say)."""
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def path_only_lp(rows: CapacityRows, comm: Commodities, n_nodes: int) -> FlowLP:
    """A :class:`FlowLP` without arc variables, for the path solvers: they need only its shape.

    Their solutions carry the path flows (``MinCostSolution.path_flows``); :func:`path_space`
    then builds the variables those paths use, and nothing of size commodities × arcs exists.
    """
    empty = np.zeros(0, dtype=np.intp)
    return FlowLP(
        var_k=empty,
        var_a=empty,
        a_eq=sp.csr_array((comm.count * n_nodes, 0)),
        a_cap=sp.csr_array((rows.count, 0)),
        n_nodes=n_nodes,
    )


def path_space(
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    n_nodes: int,
    paths: tuple[tuple[int, NDArray[np.intp], float], ...],
) -> tuple[FlowLP, NDArray[np.float64]]:
    """The arc variables ``x[k, a]`` that ``paths`` (OD, arcs, flow) use, and their flows summed."""
    if not paths:
        return path_only_lp(rows, comm, n_nodes), np.zeros(0)
    lengths = np.array([p[1].size for p in paths], dtype=np.intp)
    flat = np.concatenate([np.asarray(p[1], dtype=np.intp) for p in paths])
    k = np.repeat(comm.of_od[np.array([p[0] for p in paths], dtype=np.intp)], lengths)
    flow = np.repeat(np.array([p[2] for p in paths], dtype=float), lengths)
    keys, inverse = np.unique(k.astype(np.int64) * max(arcs.count, 1) + flat, return_inverse=True)
    x = np.bincount(inverse.ravel(), weights=flow, minlength=keys.size).astype(np.float64)
    var_k = (keys // max(arcs.count, 1)).astype(np.intp)
    var_a = (keys % max(arcs.count, 1)).astype(np.intp)
    return build_flow_lp(arcs, rows, comm, n_nodes, pairs=(var_k, var_a)), x


def build_flow_lp(
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    n_nodes: int,
    *,
    pairs: tuple[NDArray[np.intp], NDArray[np.intp]] | None = None,
) -> FlowLP:
    """Conservation and capacity matrices over the flow variables ``x[k, a]`` (no slacks): every
    arc that carries commodity ``k``'s cargo, or only the ``pairs`` (commodity, arc) given."""
    if pairs is None:
        per_k = [np.flatnonzero(arcs.cargo_ok[c]) for c in comm.cargo]
        var_a = np.concatenate(per_k) if per_k else np.zeros(0, dtype=np.intp)
        var_k = np.repeat(np.arange(comm.count, dtype=np.intp), [p.size for p in per_k])
    else:
        var_k, var_a = pairs
    n_vars = var_a.size
    cols = np.arange(n_vars)
    tail, head = arcs.tail[var_a], arcs.head[var_a]
    base = var_k * n_nodes
    a_eq = sp.csr_array(
        (
            np.concatenate([np.ones(n_vars), -np.ones(n_vars)]),
            (np.concatenate([base + tail, base + head]), np.concatenate([cols, cols])),
        ),
        shape=(comm.count * n_nodes, n_vars),
    )
    n_rows = rows.count
    arc_inc = sp.csr_array((np.ones(rows.arc_row.size), (rows.arc_row, rows.arc_col)), shape=(n_rows, arcs.count))
    pick = sp.csr_array((np.ones(n_vars), (var_a, cols)), shape=(arcs.count, n_vars))
    node_inc = sp.csr_array((np.ones(rows.node_row.size), (rows.node_row, rows.node_col)), shape=(n_rows, n_nodes))
    origin = comm.origin[var_k]
    enters = head != origin
    leaves_origin = tail == origin
    through = sp.csr_array(
        (
            np.ones(int(enters.sum() + leaves_origin.sum())),
            (np.concatenate([head[enters], tail[leaves_origin]]), np.concatenate([cols[enters], cols[leaves_origin]])),
        ),
        shape=(n_nodes, n_vars),
    )
    a_cap = (arc_inc @ pick + node_inc @ through).tocoo()
    coef = np.array(
        [
            [unit_coefficients(CARGO_CLASSES[c], t)[u] for c, t in zip(comm.cargo, comm.t_per_teu, strict=True)]
            for u in CAPACITY_UNITS
        ]
    ).reshape(len(CAPACITY_UNITS), comm.count)
    data = a_cap.data * coef[rows.unit[a_cap.row], var_k[a_cap.col]]
    keep = data != 0
    a_cap_csr = sp.csr_array((data[keep], (a_cap.row[keep], a_cap.col[keep])), shape=(n_rows, n_vars))
    return FlowLP(var_k=var_k, var_a=var_a, a_eq=a_eq, a_cap=a_cap_csr, n_nodes=n_nodes)


@dataclass(frozen=True)
class MinCostSolution:
    x: NDArray[np.float64]
    unserved: NDArray[np.float64]
    objective: float
    cap_dual: NDArray[np.float64]
    iterations: int
    #: the path columns of a column-generation solve, to warm-start the growth problem
    columns: object = None
    #: (OD index, arc indices in travel order, flow) of every path column with flow
    #: (column generation only; the arc formulations are decomposed into paths afterwards)
    path_flows: tuple[tuple[int, NDArray[np.intp], float], ...] | None = None


def _od_balance(lp: FlowLP, comm: Commodities, ods: ODs) -> sp.csr_array:
    """Columns per OD: +1 at its commodity's origin row, −1 at its destination row."""
    n = ods.origin.size
    k = comm.of_od
    rows = np.concatenate([k * lp.n_nodes + ods.origin, k * lp.n_nodes + ods.dest])
    cols = np.concatenate([np.arange(n), np.arange(n)])
    vals = np.concatenate([np.ones(n), -np.ones(n)])
    return sp.csr_array((vals, (rows, cols)), shape=(lp.a_eq.shape[0], n))


def solve_min_cost(
    lp: FlowLP, arcs: Arcs, rows: CapacityRows, comm: Commodities, ods: ODs, *, method: str = "highs"
) -> MinCostSolution:
    """Minimum generalized cost + priced unserved demand; duals of the capacity rows."""
    od_cols = _od_balance(lp, comm, ods)
    a_eq = sp.hstack([lp.a_eq, od_cols], format="csr")
    b_eq = od_cols @ ods.demand
    a_ub = sp.hstack([lp.a_cap, sp.csr_array((rows.count, ods.origin.size))], format="csr")
    cost = np.concatenate([arcs.cost_usd[comm.cargo[lp.var_k], lp.var_a], ods.penalty])
    bounds = np.zeros((lp.n_vars + ods.origin.size, 2))
    bounds[: lp.n_vars, 1] = np.inf
    bounds[lp.n_vars :, 1] = ods.demand
    res = linprog(
        cost,
        A_ub=a_ub if rows.count else None,
        b_ub=rows.cap if rows.count else None,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=bounds,
        method=method,
    )
    if res.status != 0:
        raise InfeasibleError(f"the assignment LP could not be solved: {res.message}")
    dual = -np.asarray(res.ineqlin.marginals) if rows.count else np.zeros(0)
    return MinCostSolution(
        x=np.asarray(res.x[: lp.n_vars]),
        unserved=np.asarray(res.x[lp.n_vars :]),
        objective=float(res.fun),
        cap_dual=np.maximum(dual, 0.0),
        iterations=int(res.nit),
    )


@dataclass(frozen=True)
class GrowthSolution:
    growth: float | None
    x: NDArray[np.float64]
    cap_dual: NDArray[np.float64]
    #: use of every capacity row at the growth (path solvers; else ``lp.a_cap @ x``)
    usage: NDArray[np.float64] | None = None


def solve_max_growth(
    lp: FlowLP,
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    ods: ODs,
    *,
    method: str = "highs",
    start: object = None,
) -> GrowthSolution:
    """Largest ``g`` such that ``g × demand`` of every OD in ``ods`` is carried in full.

    ``cap_dual[r]`` is ``∂g/∂capacity_r``; by LP duality ``Σ capacity × cap_dual = g``: the rows with
    a positive dual form the cut that limits growth.  ``growth`` is ``None`` when nothing limits it.
    """
    od_cols = _od_balance(lp, comm, ods)
    g_col = sp.csr_array((-(od_cols @ ods.demand)).reshape(-1, 1))
    a_eq = sp.hstack([lp.a_eq, g_col], format="csr")
    a_ub = sp.hstack([lp.a_cap, sp.csr_array((rows.count, 1))], format="csr")
    cost = np.zeros(lp.n_vars + 1)
    cost[-1] = -1.0
    bounds = np.zeros((lp.n_vars + 1, 2))
    bounds[:, 1] = np.inf
    bounds[-1, 1] = GROWTH_LIMIT
    res = linprog(
        cost,
        A_ub=a_ub if rows.count else None,
        b_ub=rows.cap if rows.count else None,
        A_eq=a_eq,
        b_eq=np.zeros(a_eq.shape[0]),
        bounds=bounds,
        method=method,
    )
    if res.status != 0:
        raise InfeasibleError(f"the maximum-growth LP could not be solved: {res.message}")
    g = float(res.x[-1])
    dual = -np.asarray(res.ineqlin.marginals) if rows.count else np.zeros(0)
    if g >= GROWTH_LIMIT * (1 - 1e-9):
        return GrowthSolution(None, np.asarray(res.x[:-1]), np.zeros(rows.count))
    return GrowthSolution(g, np.asarray(res.x[:-1]), np.maximum(dual, 0.0))


def reachable_ods(arcs: Arcs, ods: ODs, n_nodes: int) -> NDArray[np.bool_]:
    """Whether each OD has at least one path on arcs that carry its cargo class."""
    from scipy.sparse.csgraph import breadth_first_order

    ok = np.zeros(ods.origin.size, dtype=bool)
    for c in np.unique(ods.cargo):
        mask = arcs.cargo_ok[c]
        graph = sp.csr_array((np.ones(int(mask.sum())), (arcs.tail[mask], arcs.head[mask])), shape=(n_nodes, n_nodes))
        for o in np.unique(ods.origin[ods.cargo == c]):
            seen = np.zeros(n_nodes, dtype=bool)
            seen[breadth_first_order(graph, int(o), directed=True, return_predecessors=False)] = True
            sel = (ods.cargo == c) & (ods.origin == o)
            ok[sel] = seen[ods.dest[sel]]
    return ok
