"""The network as arrays for search: one directed arc per usable link direction, in CSR order.

Built once per network (:class:`RoutingGraph`), then reused by every query.  Arc weights follow the
time model of :mod:`corridor.routing._timing` in its typical (P50) form, which is also the
calibration basis of the bundled data:

    arc time = dwell_h of the tail node + moving_time_h of the link + expected service wait

where the service wait is ``max_wait_h / 2`` for a fill-or-timeout service and ``headway_h / 2``
for a scheduled one.  So a path's time is the sum of link moving times, the dwell at the origin and
every intermediate node, and the waits for services.  Costs are per pricing unit (TEU for
containers, tonne for bulk) and emissions per tonne of cargo, so one search serves any quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from corridor.network import Closure, Link, Network, Node, Service
from corridor.routing.emissions import EmissionFactors
from corridor.units import DEFAULT_T_PER_TEU, T_PER_FEU, TEU_PER_FEU

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from corridor.routing._search import TimeIndex

CARGO_BIT: Final = {"container": 1, "general": 2, "liquid": 4}


class Arc(NamedTuple):
    """One arc as the Python search sees it; costs per pricing unit, emissions per tonne."""

    head: int
    id: int
    time_h: float
    node_usd: float  # charges at the tail node
    line_usd: float  # line-haul / freight of the link (replaced by a through-tariff)
    co2_kg: float  # hub at the tail + leg, WTW per tonne


def service_wait_h(service: Service | None) -> float:
    """Typical wait for a departure: half the longest wait, or half the headway."""
    if service is None:
        return 0.0
    if service.departure == "fill_or_timeout" and service.max_wait_h is not None:
        return service.max_wait_h / 2.0
    if service.departure == "schedule" and service.headway_h is not None:
        return service.headway_h / 2.0
    return 0.0


def line_price(link: Link, service: Service | None) -> tuple[float | None, float | None, float | None, float | None]:
    """(mid, low, high per FEU, per t): a service's tariff replaces the link's when it has one."""
    src: Link | Service = link
    if service is not None and (service.tariff_usd_per_feu is not None or service.tariff_usd_per_t is not None):
        src = service
    return src.tariff_usd_per_feu, src.tariff_low_usd_per_feu, src.tariff_high_usd_per_feu, src.tariff_usd_per_t


def per_unit_line(link: Link, service: Service | None, cargo: str) -> float:
    feu, _, _, per_t = line_price(link, service)
    if cargo == "container":
        return (feu or 0.0) / TEU_PER_FEU
    if per_t is not None:
        return per_t
    return (feu or 0.0) / T_PER_FEU


def per_unit_node(node: Node, cargo: str) -> float:
    per_teu = (node.handling_usd_per_teu or 0.0) + (node.border_usd_per_teu or 0.0)
    return per_teu if cargo == "container" else per_teu / DEFAULT_T_PER_TEU


@dataclass(frozen=True, eq=False)
class RoutingGraph:
    """Arrays over a :class:`Network`; build once with :meth:`build` and share across queries."""

    network: Network
    factors: EmissionFactors
    tail: npt.NDArray[np.int32]
    head: npt.NDArray[np.int32]
    link: npt.NDArray[np.int32]
    indptr: npt.NDArray[np.int64]
    time_h: npt.NDArray[np.float64]
    cargo_bits: npt.NDArray[np.int8]
    services: tuple[Service | None, ...]
    estimated_sources: dict[str, bool]
    closures: dict[str, tuple[Closure, ...]]
    _adjacency: dict[str, list[list[Arc]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, network: Network, factors: EmissionFactors | None = None) -> RoutingGraph:
        factors = factors or EmissionFactors.default()
        pos = {n.id: i for i, n in enumerate(network.nodes)}
        enabled = [n.enabled for n in network.nodes]
        dwell = [n.dwell_h or 0.0 for n in network.nodes]
        svc = {s.link_id: s for s in network.services}
        tails: list[int] = []
        heads: list[int] = []
        links: list[int] = []
        times: list[float] = []
        bits: list[int] = []
        for li, lk in enumerate(network.links):
            a, b = pos[lk.from_id], pos[lk.to_id]
            if not (lk.enabled and enabled[a] and enabled[b]):
                continue
            mask = sum(CARGO_BIT[c] for c in lk.allowed_cargo if c in CARGO_BIT)
            run = lk.moving_time_h + service_wait_h(svc.get(lk.id) if lk.service else None)
            for u, v in ((a, b), (b, a)) if lk.bidirectional else ((a, b),):
                tails.append(u)
                heads.append(v)
                links.append(li)
                times.append(dwell[u] + run)
                bits.append(mask)
        tail = np.asarray(tails, dtype=np.int32)
        order = np.argsort(tail, kind="stable")
        indptr = np.zeros(len(network.nodes) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail, minlength=len(network.nodes)), out=indptr[1:])
        link_arr = np.asarray(links, dtype=np.int32)[order]
        return cls(
            network=network,
            factors=factors,
            tail=tail[order],
            head=np.asarray(heads, dtype=np.int32)[order],
            link=link_arr,
            indptr=indptr,
            time_h=np.asarray(times, dtype=np.float64)[order],
            cargo_bits=np.asarray(bits, dtype=np.int8)[order],
            estimated_sources={s.id: s.is_estimate for s in network.sources},
            closures={t: network.closures_of(t) for t in {c.target for c in network.closures}},
            services=tuple(svc.get(network.links[i].id) if network.links[i].service else None for i in link_arr),
        )

    @property
    def n_nodes(self) -> int:
        return len(self.network.nodes)

    @property
    def n_arcs(self) -> int:
        return int(self.tail.shape[0])

    def adjacency(self, cargo: str) -> list[list[Arc]]:
        """Per-node outgoing arcs with per-unit costs for one cargo class (built once, then cached)."""
        cached = self._adjacency.get(cargo)
        if cached is not None:
            return cached
        net = self.network
        bit = CARGO_BIT[cargo]
        node_usd = [per_unit_node(n, cargo) for n in net.nodes]
        hub_kg = [self.factors.for_node(n).wtw for n in net.nodes]
        adj: list[list[Arc]] = [[] for _ in net.nodes]
        for i in range(self.n_arcs):
            if not int(self.cargo_bits[i]) & bit:
                continue
            u = int(self.tail[i])
            lk = net.links[int(self.link[i])]
            leg_kg = lk.distance_km * self.factors.for_link(lk).wtw / 1000.0
            adj[u].append(
                Arc(
                    head=int(self.head[i]),
                    id=i,
                    time_h=float(self.time_h[i]),
                    node_usd=node_usd[u],
                    line_usd=per_unit_line(lk, self.services[i], cargo),
                    co2_kg=hub_kg[u] + leg_kg,
                )
            )
        self._adjacency[cargo] = adj
        return adj

    def time_matrix(self, keep: npt.NDArray[np.bool_] | None = None) -> tuple[csr_matrix, npt.NDArray[np.int64]]:
        """Arc P50 times as a CSR matrix for scipy's Dijkstra, and the arc index of each entry.

        Parallel arcs between the same two nodes keep only the fastest (scipy would add them up).
        """
        from scipy.sparse import csr_matrix

        idx = np.arange(self.n_arcs, dtype=np.int64) if keep is None else np.flatnonzero(keep)
        t, h, w = self.tail[idx], self.head[idx], self.time_h[idx]
        order = np.lexsort((w, h, t))
        t, h, w, idx = t[order], h[order], w[order], idx[order]
        first = np.ones(t.shape[0], dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        mat = csr_matrix((w[first], (t[first], h[first])), shape=(self.n_nodes, self.n_nodes))
        return mat, idx[first]

    def time_index(self) -> TimeIndex:
        """The arrays for :func:`~corridor.routing._search.fastest_path` (build once, reuse)."""
        from corridor.routing._search import TimeIndex

        matrix, arc_of = self.time_matrix()
        return TimeIndex.build(matrix, arc_of)
