"""Where demand goes when it leaves the corridor: the comparator routes and their costs.

A **comparator** is a link or node that a demand set keeps off the corridor (``without`` in
``demand.toml``: the bundled sets name the sea route Shanghai–Rotterdam via Suez and via the Cape,
and Petropavl, the gate of the Northern route through Russia).  For each OD and comparator the cost
is that of the cheapest path through it on the *whole* network (comparators enabled, uncongested:
no source gives their spare capacity for corridor overflow, so they are treated as unlimited):

* a link comparator: ``d(origin, tail) + cost(arc) + d(head, destination)`` over its arcs;
* a node comparator: ``d(origin, node) + d(node, destination)``.

An OD with no path through a comparator does not have that alternative (cost ``inf``).  The choice
model (:mod:`._choice`) then floors the cost at the OD's free-flow corridor cost and adds the
constant that gives comparators ``free_flow_diversion`` of the flow at free flow.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from corridor.capacity._choice import Alternatives, ChoiceModel
from corridor.capacity._graph import Arcs, CostModel, build_arcs
from corridor.capacity._lp import ODs
from corridor.network import Network
from corridor.units import CARGO_CLASSES


def comparator_label(network: Network, asset: str) -> str:
    """``id (name)`` of a comparator link or node."""
    if network.has_node(asset):
        return f"{asset} ({network.node(asset).name})"
    link = network.link(asset)
    return f"{asset} ({network.node(link.from_id).name} – {network.node(link.to_id).name}, {link.mode})"


def alternatives(
    full: Network,
    ods: ODs,
    comparators: Collection[str],
    costs: CostModel,
    model: ChoiceModel,
    free_flow: NDArray[np.float64],
) -> Alternatives:
    """Comparator costs (floored and shifted as the module docstring says) and not-moved prices."""
    names = tuple(c for c in comparators if full.has_node(c) or full.has_link(c))
    out = np.full((ods.origin.size, len(names)), np.inf)
    # without comparators there is nothing to route: skip the trees (two Dijkstras per OD end)
    arcs = build_arcs(full, costs)
    n = len(full.nodes)
    for cargo in np.unique(ods.cargo).tolist() if names else []:
        sel = np.flatnonzero(ods.cargo == cargo)
        fwd, back = _distances(arcs, n, cargo, ods.origin[sel], ods.dest[sel])
        for j, asset in enumerate(names):
            out[sel, j] = _through(full, arcs, cargo, asset, fwd, back)
    scale = np.array([model.scale(CARGO_CLASSES[c]) for c in ods.cargo.tolist()], dtype=float)
    # free_flow_diversion of the flow to the comparators together when they cost what the corridor does
    available = np.isfinite(out).sum(axis=1)
    share = model.free_flow_diversion
    shift = scale * np.log(np.maximum(available, 1) * (1.0 - share) / share)
    floored = np.maximum(out, free_flow[:, None]) + shift[:, None]
    penalty = np.array([costs.unserved_usd(CARGO_CLASSES[c]) for c in ods.cargo.tolist()], dtype=float)
    return Alternatives(names, np.where(np.isfinite(out), floored, np.inf), penalty)


def _distances(
    arcs: Arcs, n: int, cargo: int, origins: NDArray[np.intp], dests: NDArray[np.intp], *, backward: bool = True
) -> tuple[dict[int, NDArray[np.float64]], dict[int, NDArray[np.float64]]]:
    """Per OD, distances from its origin (and to its destination, unless not ``backward``)."""
    ok = np.flatnonzero(arcs.cargo_ok[cargo])
    graph = _graph(arcs.tail[ok], arcs.head[ok], arcs.cost_usd[cargo, ok], n)
    uo, ud = np.unique(origins), np.unique(dests)
    d_from = np.atleast_2d(dijkstra(graph, directed=True, indices=uo))
    fwd = {int(o): d_from[i] for i, o in enumerate(uo.tolist())}
    back: dict[int, NDArray[np.float64]] = {}
    if backward:
        d_to = np.atleast_2d(dijkstra(graph.T, directed=True, indices=ud))
        back = {int(d): d_to[i] for i, d in enumerate(ud.tolist())}
    pairs = list(zip(origins.tolist(), dests.tolist(), strict=True))
    return {i: fwd[o] for i, (o, _) in enumerate(pairs)}, {i: back[d] for i, (_, d) in enumerate(pairs) if d in back}


def _through(
    full: Network,
    arcs: Arcs,
    cargo: int,
    asset: str,
    fwd: dict[int, NDArray[np.float64]],
    back: dict[int, NDArray[np.float64]],
) -> NDArray[np.float64]:
    out = np.full(len(fwd), np.inf)
    if full.has_node(asset):
        p = full.node_position(asset)
        for i in range(len(fwd)):
            out[i] = fwd[i][p] + back[i][p]
        return out
    li = next(k for k, lk in enumerate(full.links) if lk.id == asset)
    mine = np.flatnonzero((arcs.link == li) & arcs.cargo_ok[cargo])
    for i in range(len(fwd)):
        best = math.inf
        for a in mine.tolist():
            best = min(best, fwd[i][arcs.tail[a]] + arcs.cost_usd[cargo, a] + back[i][arcs.head[a]])
        out[i] = best
    return out


def _graph(tail: NDArray[np.intp], head: NDArray[np.intp], weight: NDArray[np.float64], n: int) -> sp.csr_array:
    """Cheapest arc per node pair (csgraph keeps one weight per pair); zero weights kept tiny."""
    order = np.lexsort((weight, tail.astype(np.int64) * n + head))
    key = tail[order].astype(np.int64) * n + head[order]
    first = np.ones(order.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    pick = order[first]
    return sp.csr_array((np.maximum(weight[pick], 1e-12), (tail[pick], head[pick])), shape=(n, n))
