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

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, NamedTuple

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


#: The arrays :meth:`RoutingGraph.arrays` returns and :meth:`RoutingGraph.from_arrays` takes (the cache's columns).
ARRAYS: Final = (
    "tail", "head", "link", "indptr", "time_h", "cargo_bits", "service_of", "co2_kg", "line_teu", "line_t", "node_teu",
)  # fmt: skip

_DTYPES: Final = {
    "tail": np.int32, "head": np.int32, "link": np.int32, "indptr": np.int64, "time_h": np.float64,
    "cargo_bits": np.int8, "service_of": np.int32, "co2_kg": np.float64, "line_teu": np.float64,
    "line_t": np.float64, "node_teu": np.float64,
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class RoutingGraph:
    """Arrays over a :class:`Network`; build once with :meth:`build` and share across queries.

    Per arc (CSR order): ``tail``, ``head``, ``link`` (position in ``network.links``), ``time_h``,
    ``cargo_bits``, ``service_of`` (position in ``network.services``, -1 for none), ``co2_kg``
    (WTW per tonne: the hub at the tail plus the leg), ``line_teu`` / ``line_t`` (line-haul per
    TEU for containers, per tonne for bulk); per node ``node_teu`` (charges per TEU).  Every
    per-unit figure the searches use is one of these or a cargo's mask of them, so the graph can
    be stored in the parsed-network cache (:mod:`corridor.routing._graph_cache`) and mapped back
    without a pass over the records.
    """

    network: Network
    factors: EmissionFactors
    tail: npt.NDArray[np.int32]
    head: npt.NDArray[np.int32]
    link: npt.NDArray[np.int32]
    indptr: npt.NDArray[np.int64]
    time_h: npt.NDArray[np.float64]
    cargo_bits: npt.NDArray[np.int8]
    service_of: npt.NDArray[np.int32]
    co2_kg: npt.NDArray[np.float64]
    line_teu: npt.NDArray[np.float64]
    line_t: npt.NDArray[np.float64]
    node_teu: npt.NDArray[np.float64]
    estimated_sources: dict[str, bool]
    closures: dict[str, tuple[Closure, ...]]
    _adjacency: dict[str, list[list[Arc]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, network: Network, factors: EmissionFactors | None = None) -> RoutingGraph:
        factors = factors or EmissionFactors.default()
        pos = {n.id: i for i, n in enumerate(network.nodes)}
        enabled = [n.enabled for n in network.nodes]
        dwell = [n.dwell_h or 0.0 for n in network.nodes]
        hub_kg = [factors.for_node(n).wtw for n in network.nodes]
        svc_pos = {s.link_id: i for i, s in enumerate(network.services)}
        svcs = network.services
        tails: list[int] = []
        heads: list[int] = []
        links: list[int] = []
        times: list[float] = []
        bits: list[int] = []
        service_of: list[int] = []
        co2: list[float] = []
        line_teu: list[float] = []
        line_t: list[float] = []
        for li, lk in enumerate(network.links):
            a, b = pos[lk.from_id], pos[lk.to_id]
            if not (lk.enabled and enabled[a] and enabled[b]):
                continue
            mask = sum(CARGO_BIT[c] for c in lk.allowed_cargo if c in CARGO_BIT)
            si = svc_pos.get(lk.id, -1) if lk.service else -1
            svc = svcs[si] if si >= 0 else None
            run = lk.moving_time_h + service_wait_h(svc)
            leg_kg = lk.distance_km * factors.for_link(lk).wtw / 1000.0
            per_teu, per_t = per_unit_line(lk, svc, "container"), per_unit_line(lk, svc, "general")
            for u, v in ((a, b), (b, a)) if lk.bidirectional else ((a, b),):
                tails.append(u)
                heads.append(v)
                links.append(li)
                times.append(dwell[u] + run)
                bits.append(mask)
                service_of.append(si)
                co2.append(hub_kg[u] + leg_kg)
                line_teu.append(per_teu)
                line_t.append(per_t)
        tail = np.asarray(tails, dtype=np.int32)
        order = np.argsort(tail, kind="stable")
        indptr = np.zeros(len(network.nodes) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail, minlength=len(network.nodes)), out=indptr[1:])
        node_teu = [per_unit_node(n, "container") for n in network.nodes]
        columns: dict[str, npt.NDArray[Any]] = {
            "tail": tail[order],
            "head": np.asarray(heads, dtype=np.int32)[order],
            "link": np.asarray(links, dtype=np.int32)[order],
            "indptr": indptr,
            "time_h": np.asarray(times, dtype=np.float64)[order],
            "cargo_bits": np.asarray(bits, dtype=np.int8)[order],
            "service_of": np.asarray(service_of, dtype=np.int32)[order],
            "co2_kg": np.asarray(co2, dtype=np.float64)[order],
            "line_teu": np.asarray(line_teu, dtype=np.float64)[order],
            "line_t": np.asarray(line_t, dtype=np.float64)[order],
            "node_teu": np.asarray(node_teu, dtype=np.float64),
        }
        return cls.from_arrays(network, factors, columns)

    @classmethod
    def from_arrays(
        cls, network: Network, factors: EmissionFactors, arrays: Mapping[str, npt.NDArray[Any]]
    ) -> RoutingGraph:
        """The graph of ``network`` from its :meth:`arrays` (ValueError if they do not fit the network)."""
        a = arrays
        if sorted(a) != sorted(ARRAYS) or any(a[k].dtype != _DTYPES[k] or a[k].ndim != 1 for k in ARRAYS):
            raise ValueError("routing arrays of another layout")
        n, m = len(network.nodes), len(a["tail"])
        if len(a["indptr"]) != n + 1 or len(a["node_teu"]) != n or int(a["indptr"][-1]) != m:
            raise ValueError("routing arrays do not fit the network")
        if any(len(a[k]) != m for k in ARRAYS if k not in ("indptr", "node_teu")):
            raise ValueError("routing arrays have unequal lengths")
        for key, low, high in (("tail", 0, n), ("head", 0, n), ("link", 0, len(network.links)),
                               ("service_of", -1, len(network.services))):  # fmt: skip
            if m and (int(a[key].min()) < low or int(a[key].max()) >= high):
                raise ValueError(f"routing arrays: {key} out of range for the network")
        return cls(
            network, factors, a["tail"], a["head"], a["link"], a["indptr"], a["time_h"], a["cargo_bits"],
            a["service_of"], a["co2_kg"], a["line_teu"], a["line_t"], a["node_teu"],
            estimated_sources={s.id: s.is_estimate for s in network.sources},
            closures={t: network.closures_of(t) for t in {c.target for c in network.closures}},
        )  # fmt: skip

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The columns :meth:`from_arrays` rebuilds the graph from (see :data:`ARRAYS`)."""
        return {k: getattr(self, k) for k in ARRAYS}

    @cached_property
    def services(self) -> tuple[Service | None, ...]:
        """The service each arc runs on (None for none), by arc."""
        svcs = self.network.services
        return tuple(svcs[i] if i >= 0 else None for i in self.service_of.tolist())

    def node_usd(self, cargo: str) -> npt.NDArray[np.float64]:
        """Charges at each node per pricing unit of ``cargo`` (TEU for containers, tonne for bulk)."""
        return self.node_teu if cargo == "container" else self.node_teu / DEFAULT_T_PER_TEU

    def cargo_arcs(self, cargo: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The arcs that carry ``cargo`` (ascending ids) and their (time h, USD per unit, kg CO2e per t)."""
        sel = np.flatnonzero(self.cargo_bits & CARGO_BIT[cargo]).astype(np.int64)
        line = self.line_teu if cargo == "container" else self.line_t
        w = np.empty((len(sel), 3))
        w[:, 0] = self.time_h[sel]
        w[:, 1] = self.node_usd(cargo)[self.tail[sel]] + line[sel]
        w[:, 2] = self.co2_kg[sel]
        return sel, w

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
        sel = np.flatnonzero(self.cargo_bits & CARGO_BIT[cargo])
        tails = self.tail[sel]
        line = self.line_teu if cargo == "container" else self.line_t
        adj: list[list[Arc]] = [[] for _ in range(self.n_nodes)]
        for u, h, i, t, nu, lu, kg in zip(
            tails.tolist(), self.head[sel].tolist(), sel.tolist(), self.time_h[sel].tolist(),
            self.node_usd(cargo)[tails].tolist(), line[sel].tolist(), self.co2_kg[sel].tolist(), strict=True,
        ):  # fmt: skip
            adj[u].append(Arc(h, i, t, nu, lu, kg))
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
