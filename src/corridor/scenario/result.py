"""What the engines say about one scenario: capacity (served, unserved, bottlenecks, the flows
on each path), routing (door-to-door options on the main pairs) and, when it ran, the simulation.

:func:`evaluate` runs the engines on one applied scenario and returns a :class:`ScenarioResult` of
plain frozen records; :mod:`corridor.scenario.comparison` puts several side by side.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridor.capacity import AssignmentResult, PathFlow, assign
from corridor.errors import CorridorError
from corridor.scenario._model import AppliedScenario
from corridor.units import HOURS_PER_DAY

#: The parts a path's time is made of, as the assignment counts it: a service's sailing time and
#: the expected wait for its departure (:attr:`corridor.network.Service.expected_wait_h`), the
#: dwell at every node the path enters, and moving time on links without a service (rail, road).
TIME_PARTS = ("sailing", "wait", "dwell", "overland")

#: How many origin–destination pairs count as "main" (the largest container flows of the first scenario).
MAIN_OD_COUNT = 3


@dataclass(frozen=True)
class Bottleneck:
    """A binding capacity: which asset, how full, and what one more TEU of capacity a year is worth."""

    asset: str
    kind: str
    name: str
    utilisation: float
    value_usd_per_teu: float

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "kind": self.kind,
            "name": self.name,
            "utilisation": _round(self.utilisation, 4),
            "value_usd_per_teu": _round(self.value_usd_per_teu, 2),
        }


@dataclass(frozen=True)
class RouteOption:
    """One route between a main origin and destination, for a 40' container."""

    label: str
    p50_days: float
    p90_days: float
    cost_usd_per_feu: float
    co2e_kg_per_teu: float
    distance_km: float

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "p50_days": _round(self.p50_days, 2),
            "p90_days": _round(self.p90_days, 2),
            "cost_usd_per_feu": _round(self.cost_usd_per_feu, 0),
            "co2e_kg_per_teu": _round(self.co2e_kg_per_teu, 1),
            "distance_km": _round(self.distance_km, 0),
        }


@dataclass(frozen=True)
class ODRoutes:
    """The main routes of one origin–destination pair, best first (empty when there is no route),
    and the simulated door-to-door distribution when the simulation ran."""

    origin: str
    destination: str
    routes: tuple[RouteOption, ...]
    sim_p50_days: float | None = None
    sim_p90_days: float | None = None
    sim_days: tuple[float, ...] = ()
    note: str = ""

    @property
    def best(self) -> RouteOption | None:
        return self.routes[0] if self.routes else None

    @property
    def p50_days(self) -> float | None:
        if self.sim_p50_days is not None:
            return self.sim_p50_days
        return self.best.p50_days if self.best else None

    @property
    def p90_days(self) -> float | None:
        if self.sim_p90_days is not None:
            return self.sim_p90_days
        return self.best.p90_days if self.best else None

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "destination": self.destination,
            "p50_days": _round(self.p50_days, 2),
            "p90_days": _round(self.p90_days, 2),
            "source_of_times": "simulation" if self.sim_p50_days is not None else "routing",
            "routes": [r.to_json() for r in self.routes],
            "note": self.note,
        }


@dataclass(frozen=True)
class Backlog:
    """A port's queue of containers over the simulated year: its peak and the daily series."""

    port: str
    peak_teu: float
    peak_day: float
    days: tuple[float, ...] = ()
    teu: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"port": self.port, "peak_teu": _round(self.peak_teu, 1), "peak_day": _round(self.peak_day, 1)}


@dataclass(frozen=True)
class ODFlow:
    """One OD's carried containers: TEU a year, mean assigned door-to-door days, mean generalized
    cost (USD per TEU: tariffs, charges and the value of that time, no capacity toll), the TEU it
    sends through each service and intermediate node (``through``), and through each capacity
    key ``(asset, direction)`` — nodes with direction ``""``, links and services ``"forward"`` or
    ``"backward"`` — as the assignment's capacity rows count it (``uses``)."""

    teu: float
    days: float
    cost_usd_per_teu: float
    through: Mapping[str, float]
    uses: Mapping[tuple[str, str], float]


@dataclass(frozen=True)
class ScenarioResult:
    """Everything the engines say about one scenario."""

    applied: AppliedScenario
    assignment: AssignmentResult
    ods: tuple[ODRoutes, ...]
    backlogs: tuple[Backlog, ...] = ()
    simulation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.applied.name

    @property
    def served_teu(self) -> float:
        return self.assignment.totals.served_teu

    @property
    def unserved_teu(self) -> float:
        return self.assignment.totals.unserved_teu

    @property
    def served_t(self) -> float:
        return self.assignment.totals.served_t

    @property
    def unserved_t(self) -> float:
        return self.assignment.totals.unserved_t

    @property
    def max_growth(self) -> float | None:
        return self.assignment.max_growth

    @property
    def mean_days(self) -> float | None:
        t = self.assignment.totals
        return t.teu_hours / t.served_teu / HOURS_PER_DAY if t.served_teu > 0 else None

    @property
    def diverted_teu(self) -> float:
        return self.assignment.totals.diverted_teu

    @property
    def not_moved_teu(self) -> float:
        t = self.assignment.totals
        return max(t.unserved_teu - t.diverted_teu, 0.0)

    def od_flows(self) -> dict[str, ODFlow]:
        """Per OD (``"O→D"``) that carries containers: TEU carried, mean assigned days and mean
        generalized cost, and the TEU on each asset of its paths (:class:`ODFlow`)."""
        acc: dict[str, list[float]] = {}
        through: dict[str, dict[str, float]] = {}
        uses: dict[str, dict[tuple[str, str], float]] = {}
        for path in self.assignment.paths:
            if path.cargo != "container" or path.volume <= 0:
                continue
            key = f"{path.origin}→{path.destination}"
            teu, hours, usd = acc.setdefault(key, [0.0, 0.0, 0.0])
            acc[key] = [teu + path.volume, hours + path.volume * path.time_h, usd + path.volume * path.cost_usd]
            on = through.setdefault(key, {})
            for asset in dict.fromkeys((*(s for s in path.services if s), *path.nodes[1:-1])):
                on[asset] = on.get(asset, 0.0) + path.volume
            rows = uses.setdefault(key, {})
            for row in _capacity_keys(path):
                rows[row] = rows.get(row, 0.0) + path.volume
        return {
            k: ODFlow(teu, hours / teu / HOURS_PER_DAY, usd / teu, through[k], uses[k])
            for k, (teu, hours, usd) in acc.items()
        }

    def time_parts(self, origin: str, destination: str, through: str) -> dict[str, float] | None:
        """Mean hours of each part of :data:`TIME_PARTS` over the container paths of this OD that
        pass ``through`` (a service or intermediate node), weighted by their TEU; ``None`` when no
        such path carries any.  The parts sum to those paths' mean assigned time."""
        net = self.applied.network
        services = {s.id: s for s in net.services}
        total = 0.0
        acc = dict.fromkeys(TIME_PARTS, 0.0)
        for path in self.assignment.paths:
            if (path.origin, path.destination, path.cargo) != (origin, destination, "container") or path.volume <= 0:
                continue
            if through not in path.services and through not in path.nodes[1:-1]:
                continue
            parts = dict.fromkeys(TIME_PARTS, 0.0)
            for link, svc in zip(path.links, path.services, strict=True):
                if svc:
                    parts["sailing"] += services[svc].sailing_h
                    parts["wait"] += services[svc].expected_wait_h
                else:
                    parts["overland"] += net.link(link).moving_time_h
            parts["dwell"] = sum(net.node(n).dwell_h or 0.0 for n in path.nodes[1:])
            total += path.volume
            for part, hours in parts.items():
                acc[part] += path.volume * hours
        return {part: h / total for part, h in acc.items()} if total > 0 else None

    def tolls(self) -> dict[tuple[str, str], float]:
        """The capacity prices a container pays, USD per TEU, per capacity key ``(asset,
        direction)`` (every unit's row of the asset summed; unpriced keys left out)."""
        out: dict[tuple[str, str], float] = {}
        for c in self.assignment.bottlenecks:
            if c.shadow_price_per_teu > 0:
                key = (c.asset, c.direction)
                out[key] = out.get(key, 0.0) + c.shadow_price_per_teu
        return out

    def capacity_name(self, asset: str) -> str:
        """The name a capacity of ``asset`` is reported under (the asset's name, else its id)."""
        return next((c.name for c in self.assignment.bottlenecks if c.asset == asset), None) or self.asset_name(asset)

    def od_days(self) -> dict[str, tuple[float, float]]:
        """Container TEU carried and mean assigned days per OD (``"O→D"``)."""
        return {k: (f.teu, f.days) for k, f in self.od_flows().items()}

    def asset_name(self, asset: str) -> str:
        """The name of a service or node of the scenario's network (the id when it has none)."""
        net = self.applied.network
        if net.has_node(asset):
            return net.node(asset).name
        return next((s.name for s in net.services if s.id == asset), asset)

    def binding_on(self, origin: str, destination: str) -> tuple[str, ...]:
        """Names of the full capacities (utilisation ≥ 99.9%) on the paths that carry this OD."""
        full = {c.asset: c.name for c in self.assignment.bottlenecks if c.utilisation >= 1 - 1e-3}
        found: dict[str, str] = {}
        for p in self.assignment.paths:
            if (p.origin, p.destination, p.cargo) == (origin, destination, "container"):
                for asset in (*p.nodes, *p.links, *p.services):
                    if asset in full:
                        found.setdefault(asset, full[asset])
        return tuple(found.values())

    @property
    def bottlenecks(self) -> tuple[Bottleneck, ...]:
        seen: dict[str, Bottleneck] = {}
        for c in self.assignment.bottlenecks:
            if c.asset not in seen:
                seen[c.asset] = Bottleneck(c.asset, c.kind, c.name, c.utilisation, c.shadow_price_per_teu)
        return tuple(seen.values())

    @property
    def link_utilisation(self) -> dict[str, float]:
        """Utilisation of each link: its own capacity, or the busiest service running on it."""
        out = {a.id: a.utilisation for a in self.assignment.links if a.utilisation is not None}
        for svc in self.assignment.services:
            if svc.utilisation is None:
                continue
            link = self.applied.network.service(svc.id).link_id
            out[link] = max(out.get(link, 0.0), svc.utilisation)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "title": self.applied.scenario.title,
            "year": self.applied.scenario.year,
            "demand": self.applied.demand.name,
            "served_teu": _round(self.served_teu, 0),
            "unserved_teu": _round(self.unserved_teu, 0),
            "served_t": _round(self.served_t, 0),
            "unserved_t": _round(self.unserved_t, 0),
            "diverted_teu": _round(self.diverted_teu, 0),
            "not_moved_teu": _round(self.not_moved_teu, 0),
            "max_growth": _round(self.max_growth, 4),
            "mean_days": _round(self.mean_days, 2),
            "bottlenecks": [b.to_json() for b in self.bottlenecks],
            "main_ods": [od.to_json() for od in self.ods],
            "backlog_peaks": [b.to_json() for b in self.backlogs],
            "simulation": dict(self.simulation),
            "changes": self.applied.to_json()["changes"],
            "disruptions": [d.to_json() for d in self.applied.disruptions],
        }


def main_ods(applied: AppliedScenario, count: int = MAIN_OD_COUNT) -> tuple[tuple[str, str], ...]:
    """The ``count`` largest container flows of a scenario (ties by name)."""
    flows = sorted(
        (f for f in applied.demand.flows if f.cargo == "container"), key=lambda f: (-f.teu, f.origin, f.destination)
    )
    out: list[tuple[str, str]] = []
    for f in flows:
        if (f.origin, f.destination) not in out:
            out.append((f.origin, f.destination))
        if len(out) == count:
            break
    return tuple(out)


def route_ods(applied: AppliedScenario, ods: Sequence[tuple[str, str]], alternatives: int = 3) -> tuple[ODRoutes, ...]:
    """Door-to-door options for one 40' container on each pair (routing engine)."""
    from corridor.routing import route  # the routing engine; imported here to keep import light

    out = []
    for origin, dest in ods:
        try:
            result = route(applied.network, origin, dest, "1x40HC", optimize="time", alternatives=alternatives)
        except CorridorError as exc:
            out.append(ODRoutes(origin, dest, (), note=str(exc).splitlines()[0]))
            continue
        options = tuple(
            RouteOption(
                label=r.label,
                p50_days=r.time.p50 / HOURS_PER_DAY,
                p90_days=r.time.p90 / HOURS_PER_DAY,
                cost_usd_per_feu=r.cost.total,
                co2e_kg_per_teu=r.co2e.wtw / 2.0,
                distance_km=r.distance_km,
            )
            for r in result.routes
        )
        out.append(ODRoutes(origin, dest, options))
    return tuple(out)


def evaluate(
    applied: AppliedScenario,
    ods: Sequence[tuple[str, str]],
    *,
    simulate: Callable[[AppliedScenario, Sequence[tuple[str, str]]], SimSummary] | None = None,
) -> ScenarioResult:
    """Run the engines on one applied scenario."""
    assignment = assign(applied.network, applied.demand)
    routed = route_ods(applied, ods)
    if simulate is None:
        return ScenarioResult(applied, assignment, routed)
    summary = simulate(applied, ods)

    def note(od: ODRoutes) -> str:
        if f"{od.origin}→{od.destination}" not in summary.not_steady:
            return od.note
        flag = "simulation: not steady (a queue grows over the horizon), so the times are routing's"
        return f"{od.note}; {flag}" if od.note else flag

    merged = tuple(
        ODRoutes(
            od.origin,
            od.destination,
            od.routes,
            *summary.times.get((od.origin, od.destination), (None, None, ())),
            note=note(od),
        )
        for od in routed
    )
    return ScenarioResult(applied, assignment, merged, summary.backlogs, summary.meta)


@dataclass(frozen=True)
class SimSummary:
    """What the comparison keeps from a simulation: per OD (P50 days, P90 days, sample of days),
    port backlogs, a few facts about the run (replications, seed) and the pairs ("origin→destination")
    whose simulated queue is not steady, which keep their routing times."""

    times: Mapping[tuple[str, str], tuple[float | None, float | None, tuple[float, ...]]]
    backlogs: tuple[Backlog, ...]
    meta: Mapping[str, Any]
    not_steady: frozenset[str] = frozenset()


def _round(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def _capacity_keys(path: PathFlow) -> list[tuple[str, str]]:
    """The capacity keys a path uses: every node it passes (direction ``""``), and each link and
    service in the direction it is travelled."""
    keys = [(n, "") for n in dict.fromkeys(path.nodes)]
    for link, fwd, svc in zip(path.links, path.forward, path.services, strict=True):
        way = "forward" if fwd else "backward"
        keys.append((link, way))
        if svc:
            keys.append((svc, way))
    return keys
