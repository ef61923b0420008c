"""Expected queueing on a route for the demand set in force: the correction to routing's times.

Routing's timeline (:mod:`._timing`) sums moving times, dwells, service waits and closures as if the
route were empty.  With demand on the network, cargo also waits for capacity-limited nodes and the
wait for a fill-or-timeout vessel depends on how fast it fills.  :func:`queueing_for` turns a
capacity assignment (:func:`corridor.capacity.assign`) into those expectations, with the same
conventions as the simulation (docs/design/sim-node-capacity.md):

* **a capacity-limited node** (a pool: containers, bulk, or all) is an M/G/c queue of cohorts (a
  train: ``TEU_PER_TRAIN`` TEU or ``T_PER_TRAIN`` t) with ``c = ⌈capacity × mean dwell⌉`` servers,
  each held ``c / capacity`` hours per cohort on average (log-normal dwell's squared coefficient of
  variation), and Poisson arrivals at the assigned flow.  The expected wait is Allen–Cunneen's
  ``Wq ≈ C(c, a) / (cμ − λ) × (c_a² + c_s²) / 2`` with Erlang's C (exact for M/M/c);
* **the backlog after a closure**: a node closed for a (memoryless) episode of mean ``E`` piles up
  ``λT`` and clears it at ``cμ − λ``.  By a fluid argument each unit of cargo then waits, on
  average, ``f E / (1 − ρ)`` where ``f`` is the closed share: ``f E`` is the closure itself (already
  in the timeline) and ``f E ρ / (1 − ρ)`` the backlog this module adds; the share of cargo caught
  by it is ``f / (1 − ρ)``;
* **a fill-or-timeout service** departs from its home berth (the link's ``from`` end) when
  ``fill_share`` of a vessel is loaded or after ``max_wait_h``, and no more often than a vessel is
  back (``cycle_h / fleet``): cargo there waits uniformly up to ``min(max(fill time, cycle / fleet),
  max_wait)`` instead of the empty network's ``max_wait``.  At the far berth a vessel leaves once
  unloaded with what is waiting, so cargo waits for the next arrival: exponentially, with the mean
  gap between home departures (the residual of an irregular stream).  A closure of a berth also
  stops its vessels; the backlog uses the higher of the node's and the service's utilisation
  (departures needed over ``fleet × 8760 / cycle_h``).

A queue wait enters the timeline as a ``queue`` component: with probability ``a`` an exponential
wait with mean ``b``; its contribution to the typical time (P50) is its **expected** value ``a·b``
(a median would hide a wait that a third of the cargo meets).  ``tests/routing/test_queueing.py``
checks the formulas against M/M/1 and M/M/c known answers and the route against the simulation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from corridor.network import Closure, Network, Node, Service
from corridor.units import HOURS_PER_YEAR, T_PER_TRAIN, TEU_PER_TRAIN, lognormal_sigma

if TYPE_CHECKING:
    from corridor.capacity import AssignmentResult

#: Version of this model: part of any cache key of a :class:`Queueing` (bump when a formula changes).
QUEUEING_MODEL: Final = "corridor-queueing/1"
#: Above this utilisation a queue has no useful steady state; waits are computed at it (and flagged).
MAX_RHO: Final = 0.98
#: P90/median of a dwell when the data give none (the simulation's default rule).
DWELL_P90_RATIO: Final = 2.0
_PER_COHORT: Final = {"teu": TEU_PER_TRAIN, "t": T_PER_TRAIN, "trains": 1.0}


def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang's C) with ``offered = λ/μ`` < c."""
    if offered <= 0:
        return 0.0
    if offered >= servers:
        return 1.0
    term, total = 1.0, 1.0  # a^k / k!, summed for k < c
    for k in range(1, servers):
        term *= offered / k
        total += term
    last = term * offered / servers / (1.0 - offered / servers)  # a^c / c! / (1 − ρ)
    return last / (total + last)


def mgc_wait(
    arrival_per_h: float, servers: int, service_h: float, service_cv2: float, arrival_cv2: float = 1.0
) -> float:
    """Mean wait in queue (hours) of a G/G/c queue by Allen–Cunneen; exact for M/M/c (both cv² = 1)."""
    if arrival_per_h <= 0 or servers <= 0 or service_h <= 0:
        return 0.0
    offered = min(arrival_per_h * service_h, MAX_RHO * servers)
    rate = servers / service_h - offered / service_h  # cμ − λ
    return erlang_c(servers, offered) / rate * (arrival_cv2 + service_cv2) / 2.0


def closure_backlog(closed_share: float, episode_mean_h: float, rho: float) -> tuple[float, float]:
    """(share of cargo caught, mean extra wait of those caught) by the backlog a closure leaves."""
    rho = min(max(rho, 0.0), MAX_RHO)
    if closed_share <= 0 or rho <= 0:
        return 0.0, 0.0
    extra = closed_share * episode_mean_h * rho / (1.0 - rho)
    caught = min(1.0, closed_share / (1.0 - rho))
    return caught, extra / caught


@dataclass(frozen=True, slots=True)
class NodeQueue:
    """One capacity pool of a node under the assigned demand."""

    node: str
    pool: str  # "container", "bulk" or "all"
    servers: int
    rho: float  # arrivals over capacity (open hours)
    service_h: float  # mean server holding per cohort
    wait_h: float  # expected M/G/c wait, closures aside
    p_wait: float  # Erlang C: share of cohorts that wait


@dataclass(frozen=True, slots=True)
class Queueing:
    """Expected queueing for one demand set: node pools and fill-or-timeout intervals.

    ``intervals`` maps (service id, node it leaves from) to the expected time between departures.
    """

    demand: str
    nodes: Mapping[tuple[str, str], NodeQueue] = field(default_factory=dict)
    intervals: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: (service id, node it leaves from) → departures needed over the most its fleet can sail.
    service_rho: Mapping[tuple[str, str], float] = field(default_factory=dict)

    def to_plain(self) -> dict[str, object]:
        """Plain JSON-able data (for an adapter's cache); :meth:`from_plain` restores it."""
        return {
            "model": QUEUEING_MODEL,
            "demand": self.demand,
            "nodes": [[q.node, q.pool, q.servers, q.rho, q.service_h, q.wait_h, q.p_wait] for q in self.nodes.values()],
            "intervals": [[s, n, v] for (s, n), v in self.intervals.items()],
            "service_rho": [[s, n, v] for (s, n), v in self.service_rho.items()],
        }

    @classmethod
    def from_plain(cls, data: Mapping[str, Any]) -> Queueing:
        """Inverse of :meth:`to_plain`; ``ValueError`` for data of another model or shape."""
        if data.get("model") != QUEUEING_MODEL:
            raise ValueError("queueing data of another model version")
        try:
            nodes = {
                (str(r[0]), str(r[1])): NodeQueue(str(r[0]), str(r[1]), int(r[2]), *map(float, r[3:7]))
                for r in data["nodes"]
            }
            intervals = {(str(s), str(n)): float(v) for s, n, v in data["intervals"]}
            rho = {(str(s), str(n)): float(v) for s, n, v in data["service_rho"]}
            return cls(str(data["demand"]), nodes, intervals, rho)
        except (KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"malformed queueing data: {exc}") from None

    @property
    def label(self) -> str:
        return f"times include the expected queueing for demand set {self.demand!r} (capacity assignment)"

    def pool(self, node: str, cargo: str) -> NodeQueue | None:
        """The pool ``cargo`` (container, general, liquid) uses at ``node``, if it is capacity-limited."""
        q = self.nodes.get((node, "container" if cargo == "container" else "bulk"))
        return q if q is not None else self.nodes.get((node, "all"))

    def interval(self, service: Service, from_node: str) -> float | None:
        """Expected gap between departures of ``service`` from ``from_node`` (None: not assigned)."""
        return self.intervals.get((service.id, from_node))

    def waits(
        self, node: Node, cargo: str, closures: Sequence[Closure], shares: Sequence[float], service: Service | None
    ) -> list[tuple[str, float, float]]:
        """(what, a, b) of the queue components at ``node``: the M/G/c wait and each closure's backlog.

        ``shares`` are the closures' closed shares in force (by month, or averaged over the year);
        ``service`` is the one the cargo boards there, if any."""
        q = self.pool(node.id, cargo)
        rho = q.rho if q is not None else 0.0
        if service is not None:
            rho = max(rho, self.service_rho.get((service.id, node.id), 0.0))
        out: list[tuple[str, float, float]] = []
        if q is not None and q.wait_h > 0 and q.p_wait > 0:
            out.append((f"queue for capacity ({q.pool}, {q.rho:.0%} used)", q.p_wait, q.wait_h / q.p_wait))
        for cl, share in zip(closures, shares, strict=True):
            a, b = closure_backlog(share, cl.episode_mean_h, rho)
            if a > 0:
                out.append((f"backlog after {cl.id} ({rho:.0%} used)", a, b))
        return out


def queueing_for(network: Network, assignment: AssignmentResult) -> Queueing:
    """Expected queueing under ``assignment`` (its path flows) on ``network`` (module docstring)."""
    from corridor.capacity import node_capacities, unit_coefficients

    load: dict[tuple[str, str], float] = {}  # (node, capacity unit) → units a year
    fill: dict[tuple[str, str], float] = {}  # (service, from node) → vessels filled a year
    units_of = {n.id: {c.unit: c.nominal_per_year for c in node_capacities(network, n)} for n in network.nodes}
    for p in assignment.paths:
        coef = unit_coefficients(p.cargo, _t_per_teu(network))
        for node in p.nodes[:-1]:
            for unit in units_of.get(node, {}):
                load[(node, unit)] = load.get((node, unit), 0.0) + p.volume * coef.get(unit, 0.0)
        for i, sid in enumerate(p.services):
            if not sid:
                continue
            svc = network.service(sid)
            per_vessel = [
                coef[u] / cap
                for u, cap in (("teu", svc.capacity_teu), ("t", svc.capacity_t), ("wagons", svc.capacity_wagons))
                if cap
            ]
            if per_vessel:
                key = (sid, p.nodes[i])
                fill[key] = fill.get(key, 0.0) + p.volume * max(per_vessel)
    nodes: dict[tuple[str, str], NodeQueue] = {}
    for n in network.nodes:
        caps = units_of[n.id]
        if not caps:
            continue
        pools = [("container", "teu"), ("bulk", "t")] if "teu" in caps and "t" in caps else [("all", _unit(caps))]
        for pool, unit in pools:
            nodes[(n.id, pool)] = _node_queue(
                n, pool, caps[unit] / _PER_COHORT[unit], load.get((n.id, unit), 0.0) / _PER_COHORT[unit]
            )
    intervals: dict[tuple[str, str], float] = {}
    service_rho: dict[tuple[str, str], float] = {}
    for svc in network.services:
        link = network.link(svc.link_id)
        most = max(svc.fleet, 1) * HOURS_PER_YEAR / svc.cycle_h
        for end in (link.from_id, link.to_id):
            service_rho[(svc.id, end)] = fill.get((svc.id, end), 0.0) / most
        if svc.departure == "fill_or_timeout":
            home = _interval(svc, fill.get((svc.id, link.from_id), 0.0))
            intervals[(svc.id, link.from_id)] = home
            intervals[(svc.id, link.to_id)] = home
    return Queueing(assignment.demand, nodes, intervals, service_rho)


def _unit(caps: Mapping[str, float]) -> str:
    return next(u for u in ("trains", "teu", "t") if u in caps)


def _t_per_teu(network: Network) -> float:
    from corridor.units import DEFAULT_T_PER_TEU

    del network  # the capacity engine's default mass; kept as a parameter for a per-network figure
    return DEFAULT_T_PER_TEU


def _node_queue(node: Node, pool: str, capacity_cohorts: float, arrivals_cohorts: float) -> NodeQueue:
    """M/G/c pool with the simulation's servers: c = ⌈capacity × mean dwell⌉, held c/capacity each."""
    typical = node.dwell_h or 0.0
    cap_h, lam_h = capacity_cohorts / HOURS_PER_YEAR, arrivals_cohorts / HOURS_PER_YEAR
    rho = lam_h / cap_h if cap_h > 0 else 0.0
    if typical <= 0 or cap_h <= 0:
        return NodeQueue(node.id, pool, 0, rho, 0.0, 0.0, 0.0)
    p90 = node.dwell_p90_h if node.dwell_p90_h is not None else typical * DWELL_P90_RATIO
    sigma = lognormal_sigma(typical, p90) if p90 > typical else 0.0
    mean_dwell = typical * math.exp(sigma * sigma / 2.0)
    servers = max(1, math.ceil(cap_h * mean_dwell - 1e-9))
    service_h = servers / cap_h  # κ × mean dwell
    cv2 = math.exp(sigma * sigma) - 1.0
    wait = mgc_wait(lam_h, servers, service_h, cv2)
    offered = min(lam_h * service_h, MAX_RHO * servers)
    return NodeQueue(node.id, pool, servers, rho, service_h, wait, erlang_c(servers, offered) if wait > 0 else 0.0)


def _interval(svc: Service, vessels_per_year: float) -> float:
    """Expected time between departures from one end: fill time, at least a vessel's return, at most the timeout."""
    share = svc.fill_share if svc.fill_share is not None else 1.0
    fill_h = share * HOURS_PER_YEAR / vessels_per_year if vessels_per_year > 0 else math.inf
    back_h = svc.cycle_h / max(svc.fleet, 1)
    timeout = svc.max_wait_h if svc.max_wait_h else math.inf
    return min(max(fill_h, back_h), max(timeout, back_h))
