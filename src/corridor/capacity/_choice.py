"""Route choice: a capacity-constrained path-size logit assignment (the default objective).

Shippers do not all take the cheapest route: they spread over routes by generalised cost, and
they leave the corridor when it is full.  For every origin–destination flow (OD) the choice set is

* the corridor paths found by column generation (below), each with generalised cost ``c`` (tariff,
  charges, value of time — :mod:`._graph`) and a *path size* ``PS`` (Ben-Akiva & Bierlaire 1999:
  ``PS = Σ_a (t_a / T) / N_a`` over the path's arcs, ``N_a`` the OD's paths through arc ``a``), so
  two paths that share most arcs count as little more than one;
* each **comparator** (the sea route via Suez, the Northern route via Russia: the links and nodes
  the demand set keeps off the corridor), at the cost of its cheapest path, never below the
  corridor's own free-flow cost, plus a constant that gives it ``free_flow_diversion`` of the flow
  when the corridor is uncongested (the demand set counts the corridor's own cargo);
* **not moved**, at the cost model's price of unserved demand.

Shares follow the multinomial logit ``P_j ∝ PS_j^β · exp(−(c_j + toll_j)/s)`` with scale ``s``
(USD per TEU, per tonne for bulk).  ``toll_j`` sums the capacity prices ``μ_r`` of the rows the
path uses.  The prices are those of the convex program (Fisk 1980; Bell 1995)::

    min  Σ_j f_j (c_j − β s ln PS_j) + s Σ_j f_j ln f_j    s.t.  Σ_j∈od f_j = d_od,  A f ≤ cap

whose dual ``F(μ) = Σ_od s d_od ln Σ_j exp(−(c_j − β s ln PS_j + a_j·μ)/s) + μ·cap`` is smooth and
convex with gradient ``cap − usage``: it is minimised over ``μ ≥ 0`` by truncated Newton (TNC), so at the
optimum every capacity holds and a capacity is priced only when it is full.  The path set grows by
column generation: after each solve, one Dijkstra per origin under ``cost + toll`` adds any path
cheaper than the OD's best, until none is (or ``rounds`` is reached).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import minimize

from corridor.capacity._capacity import CAPACITY_UNITS, teu_equivalent
from corridor.capacity._graph import Arcs, CapacityRows
from corridor.capacity._lp import Commodities, FlowLP, MinCostSolution, ODs
from corridor.capacity._paths import _blocks, _Columns, _path, _Pricing, _targets, _to_arc_variables, _usage
from corridor.errors import InputError
from corridor.units import CARGO_CLASSES

#: Share of the largest volume below which a column carries nothing worth reporting.
_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class ChoiceModel:
    """Parameters of the route-choice assignment (see the module docstring; docs/design/route-choice.md).

    ``scale_usd_per_teu``: logit scale ``s`` for containers — a route USD ``s`` dearer per TEU gets
    ``1/e`` of the share (estimate: a third of the USD 900–1,000 per TEU spread between corridor
    offers, so that offers within a few hundred dollars share the market, as forwarders report).
    ``scale_usd_per_t``: the same for bulk, per tonne (``s`` / 10 t per TEU).  ``path_size``: β.
    ``free_flow_diversion``: comparator share at free flow when it is no cheaper than the
    corridor.  ``max_paths``: corridor paths seeded per origin before tolls (link-penalty
    alternatives).  ``rounds``: column-generation rounds.  ``tolerance``: relative capacity excess
    accepted at the optimum.
    """

    scale_usd_per_teu: float = 300.0
    scale_usd_per_t: float = 30.0
    path_size: float = 1.0
    free_flow_diversion: float = 0.01
    max_paths: int = 4
    rounds: int = 30
    tolerance: float = 1e-4

    def __post_init__(self) -> None:
        for name in ("scale_usd_per_teu", "scale_usd_per_t"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InputError(f"choice model: {name} must be a finite number > 0, got {value!r}")
        if not (math.isfinite(self.path_size) and self.path_size >= 0):
            raise InputError(f"choice model: path_size must be a finite number ≥ 0, got {self.path_size!r}")
        if not 0 < self.free_flow_diversion < 1:
            raise InputError(f"choice model: free_flow_diversion must be in (0, 1), got {self.free_flow_diversion!r}")
        if self.max_paths < 1 or self.rounds < 1:
            raise InputError("choice model: max_paths and rounds must be ≥ 1")

    def scale(self, cargo: str) -> float:
        return self.scale_usd_per_teu if cargo == "container" else self.scale_usd_per_t

    def to_json(self) -> dict[str, float | int]:
        return {
            "scale_usd_per_teu": self.scale_usd_per_teu,
            "scale_usd_per_t": self.scale_usd_per_t,
            "path_size": self.path_size,
            "free_flow_diversion": self.free_flow_diversion,
            "max_paths": self.max_paths,
            "rounds": self.rounds,
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True)
class Alternatives:
    """Off-corridor alternatives per OD: ``cost[od, j]`` (USD per unit; ``inf`` = not available)
    for comparator ``j`` named ``names[j]``, and the price of not moving per OD."""

    names: tuple[str, ...]
    cost: NDArray[np.float64]
    not_moved: NDArray[np.float64]


@dataclass(frozen=True)
class ChoiceSolution(MinCostSolution):
    """A :class:`MinCostSolution` whose ``unserved`` splits into ``diverted[od, j]`` and ``not_moved``."""

    diverted: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    not_moved: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    max_excess: float = 0.0
    comparators: tuple[str, ...] = ()


def solve_choice(
    lp: FlowLP,
    arcs: Arcs,
    rows: CapacityRows,
    comm: Commodities,
    ods: ODs,
    alternatives_for: Callable[[NDArray[np.float64]], Alternatives],
    model: ChoiceModel,
    progress: Callable[[str], None] | None = None,
) -> ChoiceSolution:
    """The capacity-constrained path-size logit assignment (module docstring).

    ``alternatives_for`` maps each OD's free-flow corridor cost (``inf``: no path) to its
    off-corridor alternatives; the cost is read off the seeded columns (the first seeding round is
    the free-flow shortest path tree), so no Dijkstra is run for it.  ``progress`` is called with
    the name of each seeding and column-generation round as it starts."""
    n_od = ods.origin.size
    report = progress or (lambda stage: None)
    pricing = _Pricing.build(arcs, rows, comm, lp.n_nodes)
    scale = np.array([model.scale(CARGO_CLASSES[c]) for c in ods.cargo.tolist()], dtype=float).reshape(n_od)
    cols = _seed_paths(pricing, comm, ods, model.max_paths, report)
    alternatives = alternatives_for(_free_flow(pricing, comm, ods, cols))
    teu_eq = np.array([teu_equivalent(u) for u in CAPACITY_UNITS])[rows.unit] if rows.count else np.zeros(0)
    price = np.zeros(rows.count)
    rounds = 0
    while True:
        rounds += 1
        report(f"route choice, round {rounds} ({len(cols.od):,} paths)")
        col_od = np.asarray(cols.od, dtype=np.intp)
        usage, cost = _usage(pricing, comm, ods, col_od, cols.arcs)
        flows, fixed, price = _solve_dual(
            col_od,
            cost,
            _log_path_size(arcs, col_od, cols.arcs, n_od),
            usage,
            rows,
            ods,
            scale,
            alternatives,
            model,
            teu_eq,
            price,
        )
        if rounds >= model.rounds or not _add_columns(pricing, comm, ods, cols, cost, usage, price, col_od):
            break
    used_rows = usage @ flows
    with np.errstate(divide="ignore", invalid="ignore"):
        excess = np.where(rows.cap > 0, used_rows / rows.cap - 1.0, np.where(used_rows > 0, np.inf, 0.0))
    diverted, not_moved = fixed[:, :-1], fixed[:, -1]
    x = _to_arc_variables(lp, comm, arcs.count, col_od, cols.arcs, flows)
    carried = [
        (od, path, float(f))
        for od, path, f in zip(cols.od, cols.arcs, flows.tolist(), strict=True)
        if f > _TOL * max(1.0, float(ods.demand[od]))
    ]
    objective = float(cost @ flows + (diverted * np.where(np.isfinite(alternatives.cost), alternatives.cost, 0)).sum())
    return ChoiceSolution(
        x=x,
        unserved=diverted.sum(axis=1) + not_moved,
        objective=objective + float(alternatives.not_moved @ not_moved),
        cap_dual=price,
        iterations=rounds,
        columns=cols,
        path_flows=tuple(carried),
        diverted=diverted,
        not_moved=not_moved,
        max_excess=float(max(excess.max(initial=0.0), 0.0)),
        comparators=alternatives.names,
    )


def _free_flow(pricing: _Pricing, comm: Commodities, ods: ODs, cols: _Columns) -> NDArray[np.float64]:
    """Each OD's cheapest corridor cost at free flow: its cheapest seeded column (``inf`` when it has
    none; the first seeding round gives every reachable OD its free-flow shortest path)."""
    out = np.full(ods.origin.size, np.inf)
    if cols.od:
        col_od = np.asarray(cols.od, dtype=np.intp)
        _, cost = _usage(pricing, comm, ods, col_od, cols.arcs)
        np.minimum.at(out, col_od, cost)
    return out


def _kinds(comm: Commodities) -> list[NDArray[np.intp]]:
    """Commodities that share a cargo class and t/TEU share arc weights: one Dijkstra call each."""
    kinds = np.rec.fromarrays([comm.cargo, comm.t_per_teu])
    _, kind_of = np.unique(kinds, return_inverse=True)
    return [np.flatnonzero(kind_of.ravel() == g) for g in range(int(kind_of.max(initial=-1)) + 1)]


def _seed_paths(
    pricing: _Pricing, comm: Commodities, ods: ODs, max_paths: int, report: Callable[[str], None]
) -> _Columns:
    """Each OD's cheapest path, then up to ``max_paths − 1`` alternatives found by raising the cost
    of arcs that earlier paths of the same cargo use by half, plus half a typical arc cost (the
    link-penalty method, one Dijkstra call per cargo kind and round; paths it misses are found by
    column generation once tolls make them competitive)."""
    arcs = pricing.arcs
    cols = _Columns([], [], set())
    zero = np.zeros(pricing.rows.count)
    members = [np.flatnonzero(comm.of_od == k) for k in range(comm.count)]
    groups = _kinds(comm)
    for g, group in enumerate(groups):
        k0 = int(group[0])
        which = f", {CARGO_CLASSES[int(comm.cargo[k0])]} {g + 1} of {len(groups)}" if len(groups) > 1 else ""
        base = arcs.cost_usd[comm.cargo[k0]].copy()
        positive = base[base > 0]
        typical = float(np.median(positive)) if positive.size else 1.0
        for n_seed in range(max_paths):
            report(f"route choice, seeding paths {n_seed + 1} of {max_paths}{which}")
            found: list[NDArray[np.intp]] = []
            for block in _blocks(group, pricing.n_nodes):  # the penalties change only between rounds
                origins = comm.origin[block]
                dist, pred, keys, best, _ = pricing.shortest(k0, base, zero, origins, _targets(block, members, ods))
                for j, k in enumerate(block.tolist()):
                    origin = int(origins[j])
                    for i in members[k].tolist():
                        d = int(ods.dest[i])
                        if np.isfinite(dist[j, d]):
                            path = _path(pred[j], origin, d, keys, best, pricing.n_nodes)
                            if _add(cols, i, path):
                                found.append(path)
                del dist, pred
            if not found:
                break
            used = np.unique(np.concatenate(found))
            base[used] = base[used] * 1.5 + 0.5 * typical
    return cols


def _add(cols: _Columns, od: int, path: NDArray[np.intp]) -> bool:
    signature = (od, path.tobytes())
    if signature in cols.seen:
        return False
    cols.seen.add(signature)
    cols.od.append(od)
    cols.arcs.append(path)
    return True


def _add_columns(
    pricing: _Pricing,
    comm: Commodities,
    ods: ODs,
    cols: _Columns,
    cost: NDArray[np.float64],
    usage: sp.csc_array,
    price: NDArray[np.float64],
    col_od: NDArray[np.intp],
) -> bool:
    """Add, per OD, the cheapest path under ``cost + toll`` when it beats the OD's best column."""
    priced = cost + usage.T @ price
    best = np.full(ods.origin.size, np.inf)
    np.minimum.at(best, col_od, priced)
    added = False
    members = [np.flatnonzero(comm.of_od == k) for k in range(comm.count)]
    for group in (block for kind in _kinds(comm) for block in _blocks(kind, pricing.n_nodes)):
        k0 = int(group[0])
        origins = comm.origin[group]
        dist, pred, keys, arc_of, node_price = pricing.shortest(
            k0, pricing.arcs.cost_usd[comm.cargo[k0]], price, origins, _targets(group, members, ods)
        )
        for j, k in enumerate(group.tolist()):
            origin = int(origins[j])
            for i in members[k].tolist():
                d = int(ods.dest[i])
                total = dist[j, d] + node_price[origin]
                if np.isfinite(total) and total < best[i] - 1e-6 * max(1.0, abs(best[i])):
                    added |= _add(cols, i, _path(pred[j], origin, d, keys, arc_of, pricing.n_nodes))
    return added


def _log_path_size(
    arcs: Arcs, col_od: NDArray[np.intp], col_arcs: list[NDArray[np.intp]], n_od: int
) -> NDArray[np.float64]:
    """``ln PS`` of every column, arcs weighted by their time (Ben-Akiva & Bierlaire 1999)."""
    if not col_arcs:
        return np.zeros(0)
    lengths = np.array([a.size for a in col_arcs], dtype=np.intp)
    flat = np.concatenate(col_arcs)
    col_of = np.repeat(np.arange(len(col_arcs)), lengths)
    key = col_od[col_of].astype(np.int64) * arcs.count + flat
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    weight = np.maximum(arcs.time_h[flat], 1e-9)
    total = np.bincount(col_of, weights=weight, minlength=len(col_arcs))
    ps = np.bincount(col_of, weights=weight / counts[inverse.ravel()], minlength=len(col_arcs)) / total
    return np.log(np.clip(ps, 1e-12, 1.0))


def _solve_dual(
    col_od: NDArray[np.intp],
    cost: NDArray[np.float64],
    log_ps: NDArray[np.float64],
    usage: sp.csc_array,
    rows: CapacityRows,
    ods: ODs,
    scale: NDArray[np.float64],
    alternatives: Alternatives,
    model: ChoiceModel,
    teu_eq: NDArray[np.float64],
    start: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Minimise the dual over the capacity prices; return (column flows, off-corridor flows per OD
    and alternative — comparators then not moved —, prices per capacity unit)."""
    n_od = ods.origin.size
    n_alt = alternatives.cost.shape[1] + 1
    fixed_cost = np.column_stack([alternatives.cost, alternatives.not_moved]) if n_od else np.zeros((0, n_alt))
    # columns through a zero capacity carry nothing: leave them out of the choice
    zero_rows = rows.cap <= 0
    blocked = (usage.T @ zero_rows.astype(float)) > 0 if usage.shape[1] else np.zeros(0, dtype=bool)
    live = np.flatnonzero(~blocked)
    a = usage[:, live].tocsr()
    used = np.flatnonzero(np.diff(a.indptr)) if a.shape[1] else np.zeros(0, dtype=np.intp)
    a = a[used]
    cap = rows.cap[used]
    # work in prices per TEU-equivalent, in units of the container scale, with capacity per demand
    unit = teu_eq[used] / model.scale_usd_per_teu
    weight = max(float(ods.demand.sum()), 1.0)
    v_col0 = -(cost[live] - model.path_size * scale[col_od[live]] * log_ps[live]) / scale[col_od[live]]
    v_fix = -fixed_cost / scale[:, None]
    od_live = col_od[live]
    a_t = sp.csr_array(a.T.multiply(1.0 / unit[None, :])) if used.size else sp.csr_array((live.size, 0))

    def shares(nu: NDArray[np.float64]) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
        toll = a_t @ nu if used.size else np.zeros(live.size)
        v = v_col0 - toll / scale[od_live]
        top = np.max(v_fix, axis=1, initial=-np.inf) if n_od else np.zeros(0)
        np.maximum.at(top, od_live, v)
        e_col = np.exp(v - top[od_live])
        e_fix = np.exp(v_fix - top[:, None])
        total = np.bincount(od_live, weights=e_col, minlength=n_od) + e_fix.sum(axis=1)
        lse = top + np.log(total)
        f_col = ods.demand[od_live] * e_col / total[od_live]
        f_fix = ods.demand[:, None] * e_fix / total[:, None]
        value = (
            float((scale * ods.demand * lse).sum() + (nu / unit) @ cap)
            if used.size
            else float((scale * ods.demand * lse).sum())
        )
        return value, f_col, f_fix

    def objective(nu: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        value, f_col, _ = shares(nu)
        grad = (cap - a @ f_col) / unit if used.size else np.zeros(0)
        return value / weight, grad / weight

    if used.size:
        res = minimize(
            objective,
            start[used] * unit,
            jac=True,
            method="TNC",
            bounds=[(0.0, None)] * used.size,
            options={"maxfun": 20_000, "ftol": 0.0, "xtol": 0.0, "gtol": model.tolerance * 1e-6},
        )
        nu = np.asarray(res.x)
    else:
        nu = np.zeros(0)
    _, f_col, f_fix = shares(nu)
    flows = np.zeros(cost.size)
    flows[live] = f_col
    price = np.zeros(rows.count)
    price[used] = nu / unit
    return flows, f_fix, price
