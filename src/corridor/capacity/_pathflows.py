"""Path flows: how an assignment splits each OD across paths, and the all-or-nothing cheapest paths.

Column generation solves over paths, so its path flows are read off the master LP.  The arc
formulations give a flow per commodity and arc; it is decomposed into paths (*flow decomposition*):
walk from the commodity's origin along the arc that still carries the most flow until reaching a
destination of the commodity that still needs volume, send the smallest of the path's arc flows
and that need, subtract, repeat.  A cycle met on the walk (an optimum with positive costs has none,
but zero-cost arcs allow them) is cancelled.  When several ODs of one commodity share a
destination, each path into it is split in proportion to their served volumes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from corridor.capacity._graph import Arcs, CostModel, build_arcs
from corridor.capacity._lp import Commodities, FlowLP, MinCostSolution, ODs, demand_arrays
from corridor.capacity._result import PathFlow
from corridor.demand import DemandSet
from corridor.network import Network
from corridor.units import CARGO_CLASSES

#: Flows below this share of the largest demand are numerical noise, not paths.
_TOL = 1e-9

RawPath = tuple[int, NDArray[np.intp], float]  # (OD index, arcs in travel order, volume)


def path_flows(
    network: Network,
    arcs: Arcs,
    ods: ODs,
    records: Sequence[tuple[str, str, str]],
    comm: Commodities,
    lp: FlowLP,
    sol: MinCostSolution,
) -> tuple[PathFlow, ...]:
    """Every OD's served volume by path, ODs in demand order and each OD's paths largest first."""
    raw = sol.path_flows if sol.path_flows is not None else decompose(arcs, ods, comm, lp, sol)
    merged: dict[tuple[int, bytes], RawPath] = {}
    for od, path, volume in raw:
        key = (od, np.asarray(path, dtype=np.intp).tobytes())
        old = merged.get(key)
        merged[key] = (od, path, volume + (old[2] if old else 0.0))
    ordered = sorted(merged.values(), key=lambda p: (p[0], -p[2]))
    ids = _Ids(network, arcs)
    return tuple(_path_flow(ids, records[od], np.asarray(path, dtype=np.intp), volume) for od, path, volume in ordered)


def decompose(arcs: Arcs, ods: ODs, comm: Commodities, lp: FlowLP, sol: MinCostSolution) -> list[RawPath]:
    """Flow decomposition of the arc flows ``sol.x`` into paths per OD (see the module docstring)."""
    served = ods.demand - sol.unserved
    tol = _TOL * max(1.0, float(ods.demand.max(initial=0.0)))
    out: list[RawPath] = []
    for k in range(comm.count):
        members = np.flatnonzero((comm.of_od == k) & (served > tol))
        if members.size == 0:
            continue
        need: dict[int, float] = {}
        for i in members.tolist():
            d = int(ods.dest[i])
            need[d] = need.get(d, 0.0) + float(served[i])
        sel = np.flatnonzero((lp.var_k == k) & (sol.x > tol))
        per_dest = _decompose_one(arcs, int(comm.origin[k]), lp.var_a[sel], sol.x[sel], dict(need), tol)
        for i in members.tolist():
            d = int(ods.dest[i])
            share = float(served[i]) / need[d]
            out += [(i, path, volume * share) for path, volume in per_dest.get(d, [])]
    return out


def _decompose_one(
    arcs: Arcs,
    origin: int,
    arc_ids: NDArray[np.intp],
    x: NDArray[np.float64],
    remaining: dict[int, float],
    tol: float,
) -> dict[int, list[tuple[NDArray[np.intp], float]]]:
    """Paths of one single-source commodity to the destinations in ``remaining`` (their needs)."""
    flow = {int(a): float(v) for a, v in zip(arc_ids.tolist(), x.tolist(), strict=True)}
    leaving: dict[int, list[int]] = {}
    for a in flow:
        leaving.setdefault(int(arcs.tail[a]), []).append(a)
    head = arcs.head
    found: dict[int, list[tuple[NDArray[np.intp], float]]] = {}
    for _ in range(4 * len(flow) + len(remaining) + 1):
        if all(v <= tol for v in remaining.values()):
            break
        node, seen = origin, {origin: 0}
        path: list[int] = []
        while not (path and remaining.get(node, 0.0) > tol):
            best = max((a for a in leaving.get(node, ()) if flow[a] > tol), key=flow.__getitem__, default=None)
            if best is None:
                return found  # what is left is rounding noise
            path.append(best)
            node = int(head[best])
            if node in seen:  # a cycle: cancel it and carry on from where it closed
                cycle = path[seen[node] :]
                least = min(flow[a] for a in cycle)
                for a in cycle:
                    flow[a] -= least
                del path[seen[node] :]
                seen = {origin: 0} | {int(head[a]): j + 1 for j, a in enumerate(path)}
                continue
            seen[node] = len(path)
        volume = min(min(flow[a] for a in path), remaining[node])
        for a in path:
            flow[a] -= volume
        remaining[node] -= volume
        found.setdefault(node, []).append((np.asarray(path, dtype=np.intp), volume))
    return found


class _Ids:
    """Node, link and service ids by arc, as object arrays: a path's ids are one fancy index."""

    def __init__(self, network: Network, arcs: Arcs) -> None:
        nodes = np.array([n.id for n in network.nodes], dtype=object)
        links = np.array([lk.id for lk in network.links], dtype=object)
        services = np.array([s.id for s in network.services] + [""], dtype=object)
        self.head = nodes[arcs.head] if arcs.count else np.zeros(0, dtype=object)
        self.link = links[arcs.link] if arcs.count else np.zeros(0, dtype=object)
        self.service = services[arcs.service] if arcs.count else np.zeros(0, dtype=object)
        self.forward = arcs.forward
        self.time_h = arcs.time_h
        self.cost_usd = arcs.cost_usd


def _path_flow(ids: _Ids, record: tuple[str, str, str], path: NDArray[np.intp], volume: float) -> PathFlow:
    origin, dest, cargo = record
    return PathFlow(
        origin=origin,
        destination=dest,
        cargo=cargo,
        unit="teu" if cargo == "container" else "t",
        nodes=(origin, *ids.head[path].tolist()),
        links=tuple(ids.link[path].tolist()),
        forward=tuple(ids.forward[path].tolist()),
        services=tuple(ids.service[path].tolist()),
        volume=float(volume),
        time_h=float(ids.time_h[path].sum()),
        cost_usd=float(ids.cost_usd[CARGO_CLASSES.index(cargo), path].sum()),
    )


def cheapest_paths(
    network: Network,
    demand: DemandSet,
    *,
    growth: float = 1.0,
    costs: CostModel | None = None,
    without: Collection[str] = (),
) -> tuple[PathFlow, ...]:
    """The all-or-nothing assignment: every flow's whole volume on its cheapest path by the
    assignment's generalized cost (:class:`CostModel`), ignoring every capacity.

    Links and nodes in ``demand.without`` and ``without`` are left out, as :func:`assign` does.
    Flows without any path are left out (``assign`` reports them as unroutable); so are flows of
    zero volume.

    Raises
    ------
    InputError
        Unknown or planned nodes, unknown cargo classes, negative volumes.
    """
    costs = costs or CostModel()
    network = network.without((*demand.without, *without))
    ods, records = demand_arrays(network, demand.scaled(growth), costs)
    arcs = build_arcs(network, costs)
    n = len(network.nodes)
    out: dict[int, PathFlow] = {}
    ids = _Ids(network, arcs)
    for c in np.unique(ods.cargo).tolist():
        mask = np.flatnonzero(arcs.cargo_ok[c])
        weight = arcs.cost_usd[c, mask]
        key = arcs.tail[mask].astype(np.int64) * n + arcs.head[mask]
        order = np.lexsort((weight, key))
        first = np.ones(order.size, dtype=bool)
        first[1:] = key[order][1:] != key[order][:-1]
        best, pair_keys = mask[order[first]], key[order][first]
        # a tiny length on every arc keeps zero-cost arcs in the graph and prefers fewer legs on ties
        graph = sp.csr_array((arcs.cost_usd[c, best] + 1e-9, (arcs.tail[best], arcs.head[best])), shape=(n, n))
        todo = np.flatnonzero((ods.cargo == c) & (ods.demand > 0))
        origins = np.unique(ods.origin[todo])
        if origins.size == 0:
            continue
        dist, pred = dijkstra(graph, directed=True, indices=origins, return_predecessors=True)
        row = {int(o): j for j, o in enumerate(origins.tolist())}
        for i in todo.tolist():
            o, d = int(ods.origin[i]), int(ods.dest[i])
            r = row[o]
            if not np.isfinite(dist[r, d]):
                continue
            hops = [d]
            while hops[-1] != o:
                hops.append(int(pred[r, hops[-1]]))
            seq = np.asarray(hops[::-1], dtype=np.int64)
            path = best[np.searchsorted(pair_keys, seq[:-1] * n + seq[1:])]
            out[i] = _path_flow(ids, records[i], path, float(ods.demand[i]))
    return tuple(out[i] for i in sorted(out))
