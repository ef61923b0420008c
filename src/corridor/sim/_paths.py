"""The path each origin–destination flow takes through the network: the time-shortest one.

A small private stand-in for the routing engine (which may replace it later).  A link's weight is
what a consignment typically spends on it: the moving time (for a link run by a service, the
sailing time plus half the longest wait of a fill-or-timeout departure or half the headway of a
schedule) plus the typical dwell at the node it leads to.  Disabled links and nodes, and links that
do not carry the cargo class, are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from corridor.errors import NoRouteError
from corridor.network import Link, Network
from corridor.units import HOURS_PER_YEAR, teu_per_year_from_trains_per_day


@dataclass(frozen=True, slots=True)
class Hop:
    """One link of a path, in the direction travelled (``forward`` = from ``from_id`` to ``to_id``)."""

    link: Link
    forward: bool

    @property
    def tail(self) -> str:
        return self.link.from_id if self.forward else self.link.to_id

    @property
    def head(self) -> str:
        return self.link.to_id if self.forward else self.link.from_id


def typical_link_h(network: Network, link: Link) -> float:
    """Typical time on a link, including the expected wait for its service if it has one."""
    if not link.service:
        return link.moving_time_h
    svc = network.service(link.service)
    if svc.departure == "schedule":
        wait = (svc.headway_h or 0.0) / 2.0
    elif svc.departure == "fill_or_timeout":
        wait = (svc.max_wait_h or 0.0) / 2.0
    else:
        wait = 0.0
    return svc.sailing_h + wait


#: Extra hours on a leg into an asset that the flows assigned so far would load beyond
#: :data:`FULL_SHARE` of its annual capacity: later flows go round it if they can.
SATURATION_PENALTY_H = 10_000.0
FULL_SHARE = 0.85


def annual_capacity_eq(network: Network, asset: str, t_per_teu: float) -> float:
    """Annual capacity of a node or a service (one direction) in TEU-equivalents (inf if none)."""
    if network.has_node(asset):
        n = network.node(asset)
        if n.capacity_teu_per_year is not None:
            cap = n.capacity_teu_per_year + (n.capacity_t_per_year or 0.0) / t_per_teu
        elif n.capacity_t_per_year is not None:
            cap = n.capacity_t_per_year / t_per_teu
        elif n.capacity_trains_per_day is not None:
            cap = teu_per_year_from_trains_per_day(n.capacity_trains_per_day)
        else:
            return math.inf
        return cap * _open_share(network, asset)
    svc = network.service(asset)
    link = network.link(svc.link_id)
    cap = svc.capacity_teu or (svc.capacity_t or 0.0) / t_per_teu or (svc.capacity_wagons or 0.0) * 2.0
    open_share = min(_open_share(network, x) for x in (link.id, link.from_id, link.to_id))
    return svc.fleet * cap * HOURS_PER_YEAR / svc.cycle_h * open_share if svc.cycle_h > 0 else math.inf


def _open_share(network: Network, target: str) -> float:
    """Share of the year a node or link is open, from its closure statistics."""
    closed = sum(c.closed_share * len(c.months) / 12.0 for c in network.closures_of(target))
    return max(0.0, 1.0 - closed)


def time_shortest_paths(
    network: Network, pairs: list[tuple[str, str, str]], volume_eq: dict[tuple[str, str, str], float], t_per_teu: float
) -> dict[tuple[str, str, str], list[Hop]]:
    """One path for each ``(origin, destination, cargo)``: the time-shortest one, taking the flows
    in decreasing volume and steering each round nodes and services that the flows before it
    would fill beyond :data:`FULL_SHARE` of their annual capacity (a greedy, all-or-nothing
    assignment — the capacity engine's LP is the exact one).

    Raises
    ------
    NoRouteError
        No enabled path carries the cargo from the origin to the destination.
    """
    index = {n.id: i for i, n in enumerate(network.nodes)}
    n = len(network.nodes)
    dwell = np.array([n_.dwell_h or 0.0 for n_ in network.nodes])
    enabled = {n_.id for n_ in network.nodes if n_.enabled}
    load: dict[str, float] = {}
    capacity: dict[str, float] = {}
    paths: dict[tuple[str, str, str], list[Hop]] = {}
    graphs: dict[str, dict[tuple[int, int], tuple[float, Hop]]] = {}
    for key in sorted(pairs, key=lambda p: (-volume_eq[p], p)):
        origin, dest, cargo = key
        if cargo not in graphs:
            graphs[cargo] = _legs(network, cargo, index, dwell, enabled)
        best = graphs[cargo]
        vol = volume_eq[key]

        def penalty(hop: Hop, vol: float = vol) -> float:
            extra = 0.0
            for asset in (hop.head, hop.link.service):
                if not asset:
                    continue
                cap = capacity.setdefault(asset, annual_capacity_eq(network, asset, t_per_teu))
                if load.get(asset, 0.0) + vol > FULL_SHARE * cap:
                    extra += SATURATION_PENALTY_H
            return extra

        keys = list(best)
        rows = np.array([k[0] for k in keys], dtype=np.int64)
        cols = np.array([k[1] for k in keys], dtype=np.int64)
        weights = np.array([best[k][0] + penalty(best[k][1]) for k in keys])
        graph = csr_matrix((weights, (rows, cols)), shape=(n, n))
        dist, pred = dijkstra(graph, directed=True, indices=index[origin], return_predecessors=True)
        d = index[dest]
        if not np.isfinite(dist[d]):
            raise NoRouteError(f"no path carries {cargo} from {origin!r} to {dest!r} (enabled links only)")
        hops: list[Hop] = []
        while d != index[origin]:
            p = int(pred[d])
            hops.append(best[(p, d)][1])
            d = p
        hops.reverse()
        for hop in hops:
            for asset in (hop.head, hop.link.service):
                if asset:
                    load[asset] = load.get(asset, 0.0) + vol
        paths[key] = hops
    return paths


def _legs(
    network: Network, cargo: str, index: dict[str, int], dwell: NDArray[np.float64], enabled: set[str]
) -> dict[tuple[int, int], tuple[float, Hop]]:
    """The fastest leg between each ordered pair of nodes for one cargo class, with its weight."""
    best: dict[tuple[int, int], tuple[float, Hop]] = {}
    for link in network.links:
        if not link.enabled or cargo not in link.allowed_cargo:
            continue
        if link.from_id not in enabled or link.to_id not in enabled:
            continue
        hops = [Hop(link, True)] + ([Hop(link, False)] if link.bidirectional else [])
        for hop in hops:
            a, b = index[hop.tail], index[hop.head]
            weight = typical_link_h(network, link) + dwell[b] + 1e-9
            if (a, b) not in best or weight < best[(a, b)][0]:
                best[(a, b)] = (weight, hop)
    return best
