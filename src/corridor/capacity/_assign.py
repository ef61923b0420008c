"""``assign``: check the inputs, build arrays, solve the LPs, and turn the solution into a result."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from corridor.capacity._capacity import CAPACITY_UNITS, teu_equivalent
from corridor.capacity._choice import ChoiceModel, ChoiceSolution, solve_choice
from corridor.capacity._diversion import alternatives, comparator_label
from corridor.capacity._graph import Arcs, CapacityRows, CostModel, build_arcs, build_capacity_rows
from corridor.capacity._lp import (
    Commodities,
    GrowthSolution,
    MinCostSolution,
    ODs,
    arc_variable_count,
    available_memory,
    build_flow_lp,
    check_arc_memory,
    demand_arrays,
    group_commodities,
    path_only_lp,
    path_space,
    reachable_ods,
    solve_max_growth,
    solve_min_cost,
)
from corridor.capacity._pathflows import path_flows
from corridor.capacity._paths import solve_max_growth_paths, solve_min_cost_paths
from corridor.capacity._result import AssetFlow, AssignmentResult, ConstraintUse, GrowthLimit, ODFlow, Totals
from corridor.demand import DemandSet
from corridor.errors import DataError, InputError, Problem
from corridor.network import Network
from corridor.routing.emissions import EmissionFactors
from corridor.units import CARGO_CLASSES

#: A capacity counts as binding when its shadow price is above this (USD per unit per year) or its
#: utilisation is within this of 1.
_PRICE_TOL = 1e-6
_FULL_TOL = 1e-6
#: Relative size of a dual that still counts as part of the growth cut.
_CUT_TOL = 1e-9

#: Formulations: the arc LP with one commodity per origin or per OD, or column generation over
#: paths with origin-aggregated commodities.  All three give the same optimum (see _lp, _paths).
_SOLVERS: dict[str, tuple[Callable[..., MinCostSolution], Callable[..., GrowthSolution]]] = {
    "origin": (solve_min_cost, solve_max_growth),
    "od": (solve_min_cost, solve_max_growth),
    "paths": (solve_min_cost_paths, solve_max_growth_paths),
}

#: ``choice``: shippers' route choice with diversion (path-size logit, capacity enforced; the
#: forecast).  ``system``: least total generalized cost (the most the corridor can carry; its shadow
#: prices rank the bottlenecks).
OBJECTIVES = ("choice", "system")

#: The stages :func:`assign` reports to its ``progress`` callback, in order (the service counts them).
STAGES = ("arcs and capacities", "assignment", "maximum growth", "results")


def assign(
    network: Network,
    demand: DemandSet,
    *,
    growth: float = 1.0,
    costs: CostModel | None = None,
    max_growth: bool = True,
    formulation: str = "paths",
    factors: EmissionFactors | None = None,
    without: Collection[str] = (),
    objective: str = "choice",
    choice: ChoiceModel | None = None,
    progress: Callable[[str], None] | None = None,
) -> AssignmentResult:
    """Assign ``demand`` to ``network`` at minimum generalized cost within every capacity.

    Parameters
    ----------
    network
        A validated network (:func:`corridor.load_network`).
    demand
        Origin–destination flows (:func:`corridor.load_demand`); every volume is multiplied by
        ``growth`` first (``1.62`` = +62 %).
    costs
        Value of time and price of unserved demand (:class:`CostModel`; defaults documented there).
    max_growth
        Also find the largest uniform growth of the (grown) demand that is carried in full, and the
        capacities that limit it.
    formulation
        ``"paths"`` (default): column generation over paths, priced by Dijkstra on the LP duals;
        ``"origin"``: the arc LP with one commodity per origin and cargo class; ``"od"``: the arc
        LP with one commodity per origin–destination flow.  All three give the same optimum;
        ``"paths"`` is by far the fastest on large networks (see ``benchmarks/capacity.py``).
    factors
        Emission factors for the CO2e total (default: the routing engine's GLEC table), counted
        as a route quote counts them: every leg (tonnes × km × g/t-km) and every node handled at.
    without
        Ids of links and nodes to leave out, in addition to the demand set's own ``without`` (the
        bundled TITR demand sets keep off the comparator routes: the sea route via Suez and the
        Northern route via Russia, so that corridor demand cannot use them as corridor paths;
        with ``objective="choice"`` they are where diverted demand goes).
    objective
        ``"choice"`` (default): route choice — a capacity-constrained path-size logit over the
        corridor paths, the comparator routes and not moving (:mod:`corridor.capacity._choice`);
        ``"system"``: the least-cost LP, whose shadow prices rank bottlenecks.
    choice
        Parameters of the route-choice model (:class:`ChoiceModel`; defaults documented there).
    progress
        Called with each stage's name (:data:`STAGES`) as it starts, and within a stage with the
        name of each seeding and column-generation round (``"route choice, round 3 (2,841
        paths)"``); adapters show it.

    Returns
    -------
    AssignmentResult
        Flows and utilisation of every node, link and service; served and unserved volume by OD;
        bottlenecks ranked by shadow price; the maximum growth and its cut.

    Raises
    ------
    InputError
        Negative or non-finite volumes or growth, unknown or disabled nodes, negative capacities.
    InfeasibleError
        HiGHS could not solve the LP.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if formulation not in _SOLVERS:
        raise InputError(f"formulation must be one of {', '.join(sorted(_SOLVERS))}, got {formulation!r}")
    solve_cost, solve_growth = _SOLVERS[formulation]
    if not (isinstance(growth, int | float) and math.isfinite(growth) and growth >= 0):
        raise InputError(f"growth must be a finite number ≥ 0, got {growth!r}")
    costs = costs or CostModel()
    full = network.without(without)
    comparators = tuple(c for c in demand.without if c not in set(without))
    without = (*demand.without, *without)
    network = full.without(demand.without)
    grown = demand.scaled(growth)
    report = progress or (lambda stage: None)
    report(STAGES[0])
    started = time.perf_counter()
    ods, records = demand_arrays(network, grown, costs)
    arcs = build_arcs(network, costs)
    rows = build_capacity_rows(network, arcs)
    _check_capacities(rows)
    n_nodes = len(network.nodes)
    routable = reachable_ods(arcs, ods, n_nodes)

    comm = group_commodities(ods, by="od" if formulation == "od" else "origin")
    # the arc formulation (commodities × arcs variables) exists only when it is the solver
    arc_lp = objective == "system" and formulation != "paths"
    if arc_lp:
        check_arc_memory(arcs, comm, available_memory())
        lp = build_flow_lp(arcs, rows, comm, n_nodes)
    else:
        lp = path_only_lp(rows, comm, n_nodes)
        solve_growth = solve_max_growth_paths
    built = time.perf_counter()
    report(STAGES[1])
    model = choice or ChoiceModel()
    sol: MinCostSolution
    if objective == "choice":
        sol = solve_choice(
            lp,
            arcs,
            rows,
            comm,
            ods,
            lambda free: alternatives(full, ods, comparators, costs, model, free),
            model,
            progress=report,
        )
    else:
        sol = solve_cost(lp, arcs, rows, comm, ods, **_rounds(solve_cost, report))
    solved = time.perf_counter()
    # the variables the solution uses: all of the arc LP's, or those on the paths with flow
    space, x = (
        (lp, sol.x) if arc_lp or sol.path_flows is None else path_space(arcs, rows, comm, n_nodes, sol.path_flows)
    )

    usage = space.a_cap @ x
    names = _asset_names(network)
    per_teu = np.array([teu_equivalent(u) for u in CAPACITY_UNITS])
    price_per_teu = sol.cap_dual * per_teu[rows.unit]
    constraints = tuple(
        ConstraintUse(cap, d, names[(cap.kind, cap.asset)], flow, price, price_teu)
        for cap, d, flow, price, price_teu in zip(
            rows.capacities,
            rows.direction,
            usage.tolist(),
            sol.cap_dual.tolist(),
            price_per_teu.tolist(),
            strict=True,
        )
    )
    bottlenecks = tuple(
        sorted(
            (c for c in constraints if c.shadow_price > _PRICE_TOL or c.utilisation >= 1 - _FULL_TOL),
            key=lambda c: (-c.shadow_price_per_teu, -c.utilisation, c.asset),
        )
    )

    growth_value: float | None = None
    cut: tuple[GrowthLimit, ...] = ()
    growing = time.perf_counter()
    if max_growth:
        report(STAGES[2])
        # unroutable ODs would hold growth at 0: they are left out (their demand set to 0)
        growth_ods = replace(ods, demand=np.where(routable, ods.demand, 0.0))
        if (growth_ods.demand > 0).any():
            gsol = solve_growth(lp, arcs, rows, comm, growth_ods, start=sol.columns, **_rounds(solve_growth, report))
            growth_value = gsol.growth
            at_growth = gsol.usage if gsol.usage is not None else lp.a_cap @ gsol.x
            cut = _growth_cut(constraints, rows, gsol.cap_dual, gsol.growth, at_growth)
    finished = time.perf_counter()
    report(STAGES[3])

    diverted = _diverted(sol, ods, sol.comparators if isinstance(sol, ChoiceSolution) else ())
    od_flows = tuple(
        ODFlow(o, d, cargo, "teu" if cargo == "container" else "t", float(dem), float(dem - un), bool(ok), div)
        for (o, d, cargo), dem, un, ok, div in zip(records, ods.demand, sol.unserved, routable, diverted, strict=True)
    )
    is_container = ods.cargo == CARGO_CLASSES.index("container")
    diverted_volume = np.array([sum(d.values()) for d in diverted]) if diverted else np.zeros(0)
    carried_cost = float(arcs.cost_usd[comm.cargo[space.var_k], space.var_a] @ x) if space.n_vars else 0.0
    not_moved = sol.unserved - diverted_volume
    arc_flow = _arc_flows(arcs, space.var_a, space.var_k, comm.cargo, comm.t_per_teu, x)
    arc_co2, origin_hub = _emission_factors(network, arcs, factors or EmissionFactors.default())
    mass_per_unit = np.where(is_container, ods.t_per_teu, 1.0)
    totals = Totals(
        served_teu=float((ods.demand - sol.unserved)[is_container].sum()),
        unserved_teu=float(sol.unserved[is_container].sum()),
        served_t=float((ods.demand - sol.unserved)[~is_container].sum()),
        unserved_t=float(sol.unserved[~is_container].sum()),
        cost_usd=carried_cost,
        penalty_usd=float(ods.penalty @ not_moved),
        teu_hours=float(arc_flow["teu"] @ arcs.time_h),
        bulk_t_hours=float(arc_flow["bulk_t"] @ arcs.time_h),
        co2e_t=float(arc_co2 @ arc_flow["t"] + origin_hub[ods.origin] @ ((ods.demand - sol.unserved) * mass_per_unit))
        if arc_co2 is not None and origin_hub is not None
        else None,
        diverted_teu=float(diverted_volume[is_container].sum()),
        diverted_t=float(diverted_volume[~is_container].sum()),
    )
    summary = _asset_rows(network, rows, usage, price_per_teu)
    node_teu, node_t = _node_throughput(arcs, space.var_a, space.var_k, comm, x, n_nodes)
    return AssignmentResult(
        network=network.name,
        demand=demand.name,
        year=demand.year,
        growth=float(growth),
        without=tuple(without),
        paths=path_flows(network, arcs, ods, records, comm, lp, sol),
        ods=od_flows,
        nodes=_node_flows(network, summary, node_teu, node_t),
        links=_link_flows(network, arcs, summary, names, arc_flow, arc_co2),
        services=_service_flows(network, arcs, summary, arc_flow),
        constraints=constraints,
        bottlenecks=bottlenecks,
        max_growth=growth_value,
        growth_cut=cut,
        totals=totals,
        objective=objective,
        comparators={c: comparator_label(full, c) for c in comparators} if objective == "choice" else {},
        solver={
            "objective": objective,
            **({"choice": model.to_json(), "max_excess": sol.max_excess} if isinstance(sol, ChoiceSolution) else {}),
            "formulation": formulation,
            "max_growth": max_growth,
            "commodities": comm.count,
            "variables": arc_variable_count(arcs, comm) + ods.origin.size,
            "rows": int(lp.a_eq.shape[0] + rows.count),
            "iterations": sol.iterations,
            "build_s": round(built - started, 6),
            "solve_s": round(solved - built, 6),
            "max_growth_s": round(finished - growing, 6),
        },
    )


def _rounds(solver: Callable[..., object], report: Callable[[str], None]) -> dict[str, Callable[[str], None]]:
    """The column-generation solvers report each round (one HiGHS call of the arc LP has none)."""
    return {"progress": report} if solver in (solve_min_cost_paths, solve_max_growth_paths) else {}


def _diverted(sol: MinCostSolution, ods: ODs, names: tuple[str, ...]) -> list[dict[str, float]]:
    """Per OD, comparator id → diverted volume (only volumes above noise)."""
    if not isinstance(sol, ChoiceSolution) or not names:
        return [{} for _ in range(ods.origin.size)]
    tol = 1e-9 * max(1.0, float(ods.demand.max(initial=0.0)))
    return [{name: float(v) for name, v in zip(names, row.tolist(), strict=True) if v > tol} for row in sol.diverted]


def network_without(network: Network, ids: Collection[str]) -> Network:
    """The network with the given links and nodes disabled (see :meth:`Network.without`)."""
    return network.without(ids)


def _check_capacities(rows: CapacityRows) -> None:
    bad = [c for c in rows.capacities if not (math.isfinite(c.effective_per_year) and c.effective_per_year >= 0)]
    if bad:
        raise InputError(
            "capacities must be finite and ≥ 0",
            [Problem(f"{c.kind} {c.asset}", f"{c.unit} capacity is {c.effective_per_year!r}") for c in bad],
        )


def _growth_cut(
    constraints: tuple[ConstraintUse, ...],
    rows: CapacityRows,
    dual: NDArray[np.float64],
    growth: float | None,
    usage: NDArray[np.float64],
) -> tuple[GrowthLimit, ...]:
    if growth is None or dual.size == 0:
        return ()
    weight = dual * rows.cap
    scale = max(float(weight.sum()), float(dual.max()), 1e-300)
    out = []
    for r in np.flatnonzero(dual > _CUT_TOL * max(float(dual.max()), 1e-300)):
        c = constraints[int(r)]
        at_growth = ConstraintUse(c.capacity, c.direction, c.name, float(usage[r]), 0.0, 0.0)
        out.append(GrowthLimit(at_growth, float(dual[r]), float(weight[r] / scale) if weight.sum() > 0 else 0.0))
    return tuple(sorted(out, key=lambda g: (-g.share, -g.marginal_growth, g.constraint.asset)))


def _arc_flows(
    arcs: Arcs,
    var_a: NDArray[np.intp],
    var_k: NDArray[np.intp],
    cargo: NDArray[np.intp],
    t_per_teu: NDArray[np.float64],
    x: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    container = cargo[var_k] == CARGO_CLASSES.index("container")
    mass = np.where(container, t_per_teu[var_k], 1.0) * x
    return {
        "teu": _bincount(var_a, np.where(container, x, 0.0), arcs.count),
        "bulk_t": _bincount(var_a, np.where(container, 0.0, x), arcs.count),
        "t": _bincount(var_a, mass, arcs.count),
    }


def _node_throughput(
    arcs: Arcs,
    var_a: NDArray[np.intp],
    var_k: NDArray[np.intp],
    comm: Commodities,
    x: NDArray[np.float64],
    n_nodes: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """TEU and tonnes through each node: what enters, plus what its own commodities send out."""
    origin = comm.origin[var_k]
    cargo = comm.cargo[var_k]
    tpt = comm.t_per_teu[var_k]
    tail, head = arcs.tail[var_a], arcs.head[var_a]
    container = cargo == CARGO_CLASSES.index("container")
    mass = np.where(container, tpt, 1.0) * x
    teu = np.where(container, x, 0.0)
    enter, leave = head != origin, tail == origin
    node_teu = _bincount(head[enter], teu[enter], n_nodes) + _bincount(tail[leave], teu[leave], n_nodes)
    node_t = _bincount(head[enter], mass[enter], n_nodes) + _bincount(tail[leave], mass[leave], n_nodes)
    return node_teu, node_t


def _emission_factors(
    network: Network, arcs: Arcs, factors: EmissionFactors
) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
    """t CO2e per tonne on each arc (leg + handling at its head node) and per tonne handled at
    each node (for origins); ``None`` when a link has no factor."""
    try:
        leg = np.array([lk.distance_km * factors.for_link(lk).wtw / 1e6 for lk in network.links])
    except DataError:
        return None, None
    hub = np.array([factors.for_node(n).wtw / 1e3 for n in network.nodes])
    if arcs.count == 0:
        return np.zeros(0), hub
    return leg[arcs.link] + hub[arcs.head], hub


def _bincount(index: NDArray[np.intp], weights: NDArray[np.float64], length: int) -> NDArray[np.float64]:
    return np.bincount(index, weights=weights, minlength=length).astype(np.float64, copy=False)


def _asset_names(network: Network) -> dict[tuple[str, str], str]:
    """Readable names of every asset, keyed by (kind, id)."""
    node_name = {n.id: n.name for n in network.nodes}
    names = {("node", n.id): n.name for n in network.nodes}
    names.update(
        {("link", lk.id): f"{node_name[lk.from_id]} – {node_name[lk.to_id]} ({lk.mode})" for lk in network.links}
    )
    names.update({("service", s.id): s.name for s in network.services})
    return names


@dataclass(frozen=True)
class _AssetRows:
    """Per-asset summaries of the capacity rows: units and figures, highest utilisation and
    highest shadow price per TEU-equivalent (``nan`` / 0 for assets without capacities)."""

    capacity: dict[tuple[str, str], dict[str, float]]
    util: dict[str, NDArray[np.float64]]
    price: dict[str, NDArray[np.float64]]


def _asset_rows(
    network: Network, rows: CapacityRows, usage: NDArray[np.float64], price_per_teu: NDArray[np.float64]
) -> _AssetRows:
    sizes = {"node": len(network.nodes), "link": len(network.links), "service": len(network.services)}
    position = {
        "node": {n.id: i for i, n in enumerate(network.nodes)},
        "link": {lk.id: i for i, lk in enumerate(network.links)},
        "service": {s.id: i for i, s in enumerate(network.services)},
    }
    util = {k: np.full(n, np.nan) for k, n in sizes.items()}
    price = {k: np.zeros(n) for k, n in sizes.items()}
    kinds = np.array([c.kind for c in rows.capacities])
    index = np.array([position[c.kind][c.asset] for c in rows.capacities], dtype=np.intp)
    with np.errstate(divide="ignore", invalid="ignore"):
        row_util = np.where(rows.cap > 0, usage / rows.cap, 1.0)
    for kind in sizes:
        sel = kinds == kind
        np.fmax.at(util[kind], index[sel], row_util[sel])
        np.maximum.at(price[kind], index[sel], price_per_teu[sel])
    capacity: dict[tuple[str, str], dict[str, float]] = {}
    for c in rows.capacities:
        capacity.setdefault((c.kind, c.asset), {})[c.unit] = c.effective_per_year
    for key, caps in capacity.items():
        if len(caps) > 1:
            capacity[key] = {u: caps[u] for u in CAPACITY_UNITS if u in caps}
    return _AssetRows(capacity, util, price)


def _maybe(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def _node_flows(
    network: Network, summary: _AssetRows, teu: NDArray[np.float64], t: NDArray[np.float64]
) -> tuple[AssetFlow, ...]:
    util, price = summary.util["node"], summary.price["node"]
    return tuple(
        AssetFlow(
            node.id,
            "node",
            node.name,
            float(teu[i]),
            float(t[i]),
            summary.capacity.get(("node", node.id), {}),
            _maybe(util[i]),
            float(price[i]),
            {"node_kind": node.kind},
        )
        for i, node in enumerate(network.nodes)
    )


def _link_flows(
    network: Network,
    arcs: Arcs,
    summary: _AssetRows,
    names: dict[tuple[str, str], str],
    flow: dict[str, NDArray[np.float64]],
    arc_co2: NDArray[np.float64] | None,
) -> tuple[AssetFlow, ...]:
    """Links, both directions; utilisation and price include the link's services."""
    n = len(network.links)
    fwd = arcs.forward
    teu_f = _bincount(arcs.link[fwd], flow["teu"][fwd], n)
    teu_b = _bincount(arcs.link[~fwd], flow["teu"][~fwd], n)
    t_f = _bincount(arcs.link[fwd], flow["t"][fwd], n)
    t_b = _bincount(arcs.link[~fwd], flow["t"][~fwd], n)
    co2 = _bincount(arcs.link, flow["t"] * arc_co2, n) if arc_co2 is not None else None
    util, price = summary.util["link"].copy(), summary.price["link"].copy()
    services: dict[str, list[str]] = {}
    link_pos = {lk.id: i for i, lk in enumerate(network.links)}
    for si, svc in enumerate(network.services):
        services.setdefault(svc.link_id, []).append(svc.id)
        link_index = link_pos[svc.link_id]
        util[link_index] = np.fmax(util[link_index], summary.util["service"][si])
        price[link_index] = max(price[link_index], summary.price["service"][si])
    co2_list: list[float | None] = co2.tolist() if co2 is not None else [None] * n
    util_list = [None if np.isnan(u) else u for u in util.tolist()]
    return tuple(
        AssetFlow(
            link.id,
            "link",
            names[("link", link.id)],
            tf + tb,
            mf + mb,
            summary.capacity.get(("link", link.id), {}),
            u,
            p,
            {
                "from": link.from_id,
                "to": link.to_id,
                "mode": link.mode,
                "forward": {"teu": tf, "t": mf},
                "backward": {"teu": tb, "t": mb},
                "services": services.get(link.id, []),
                "co2e_t": c,
            },
        )
        for link, tf, tb, mf, mb, u, p, c in zip(
            network.links,
            teu_f.tolist(),
            teu_b.tolist(),
            t_f.tolist(),
            t_b.tolist(),
            util_list,
            price.tolist(),
            co2_list,
            strict=True,
        )
    )


def _service_flows(
    network: Network, arcs: Arcs, summary: _AssetRows, flow: dict[str, NDArray[np.float64]]
) -> tuple[AssetFlow, ...]:
    n = len(network.services)
    on = arcs.service >= 0
    teu = _bincount(arcs.service[on], flow["teu"][on], n)
    t = _bincount(arcs.service[on], flow["t"][on], n)
    util, price = summary.util["service"], summary.price["service"]
    return tuple(
        AssetFlow(
            svc.id,
            "service",
            svc.name,
            float(teu[i]),
            float(t[i]),
            summary.capacity.get(("service", svc.id), {}),
            _maybe(util[i]),
            float(price[i]),
            {"link": svc.link_id, "service_kind": svc.kind},
        )
        for i, svc in enumerate(network.services)
    )
