"""Per origin–destination generalised costs from a capacity result: the interface the appraisal
reads, and the comparator routes that diverted traffic comes from.

:func:`od_costs` turns an :class:`~corridor.capacity.AssignmentResult` into one :class:`ODCost`
per origin, destination and cargo class: the volume carried on the corridor and, per unit
(a TEU of containers, a tonne of bulk), the money cost (line tariffs, or an enabled through-tariff
over the span it covers when that is cheaper, plus handling and border charges), the typical
door-to-door days (P50), the spread P90 − P50 (routing's timeline of the same path) and the
well-to-wheel CO2e (GLEC factors, as the assignment counts them).  Several paths of one OD are
averaged by volume.

:func:`comparator_costs` prices the routes the bundled demand sets keep TITR cargo off (the sea
route via Suez or the Cape, the Northern route via Russia): the cheapest path by generalised cost
that passes each comparator asset.  This is where traffic won by the corridor comes from.  When the
capacity engine publishes its own carried / diverted / not-moved split, a second implementation of
the same :class:`CostParts` feeds the appraisal instead; nothing else changes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from corridor.capacity import AssignmentResult, PathFlow, cheapest_paths
from corridor.demand import DemandSet, Flow
from corridor.network import Link, Network, Node, Service
from corridor.routing import EmissionFactors, timeline
from corridor.units import DEFAULT_T_PER_TEU, HOURS_PER_DAY, TEU_PER_FEU

#: (origin, destination, cargo class)
ODKey = tuple[str, str, str]


@dataclass(frozen=True)
class CostParts:
    """What one unit (TEU or tonne) costs on a route: money, typical days, P90 − P50 spread, CO2e."""

    money_usd: float
    days: float
    spread_days: float
    co2e_t: float

    def generalised(self, value_of_time_per_day: float, reliability_ratio: float) -> float:
        """Money + value of time × (days + reliability ratio × spread), USD per unit."""
        return self.money_usd + value_of_time_per_day * self.time_days(reliability_ratio)

    def time_days(self, reliability_ratio: float) -> float:
        """Days valued at the value of time: typical days plus the weighted spread."""
        return self.days + reliability_ratio * self.spread_days


@dataclass(frozen=True)
class ODCost:
    """Volume a year carried on the corridor for one OD and cargo class, and its cost per unit.

    ``unit`` is ``teu`` for containers and ``t`` for bulk; ``demand`` is what the OD asked for,
    so ``demand − volume`` is the traffic the corridor did not carry (rationed by capacity).
    ``alternative`` is the comparator route's cost per unit, ``None`` when there is none;
    ``diverted`` the volume the assignment sent to the comparators (``None`` when the assignment does
    not say: then all traffic not carried counts as diverted).
    """

    origin: str
    destination: str
    cargo: str
    unit: str
    volume: float
    demand: float
    parts: CostParts
    alternative: CostParts | None = None
    diverted: float | None = None

    @property
    def key(self) -> ODKey:
        return (self.origin, self.destination, self.cargo)

    @property
    def rationed(self) -> bool:
        """Part of the demand is not carried (capacity, not price, limits the volume)."""
        return self.demand - self.volume > 1e-6 * max(self.demand, 1.0)


def od_costs(
    assignment: AssignmentResult,
    network: Network,
    *,
    factors: EmissionFactors | None = None,
    alternatives: Mapping[ODKey, CostParts] | None = None,
    comparators: Iterable[str] = (),
) -> dict[ODKey, ODCost]:
    """One :class:`ODCost` per OD and cargo class of ``assignment`` (carried or not).

    Paths through any of ``comparators`` (node or link ids: the demand set's ``without``) are not
    the corridor's and are left out, whatever the assignment's route choice put on them.
    """
    factors = factors or EmissionFactors.default()
    pricer = _Pricer(network, factors)
    volume: dict[ODKey, float] = {}
    sums: dict[ODKey, list[float]] = {}
    off = set(comparators)
    for path in assignment.paths:
        if path.volume <= 0 or (off and (off.intersection(path.nodes) or off.intersection(path.links))):
            continue
        key = (path.origin, path.destination, path.cargo)
        parts = pricer.path(path)
        acc = sums.setdefault(key, [0.0, 0.0, 0.0, 0.0])
        for i, v in enumerate((parts.money_usd, parts.days, parts.spread_days, parts.co2e_t)):
            acc[i] += v * path.volume
        volume[key] = volume.get(key, 0.0) + path.volume
    out: dict[ODKey, ODCost] = {}
    alternatives = alternatives or {}
    for od in assignment.ods:
        key = (od.origin, od.destination, od.cargo)
        v = volume.get(key, 0.0)
        found = sums.get(key)
        parts = CostParts(*(x / v for x in found)) if found and v > 0 else CostParts(0.0, 0.0, 0.0, 0.0)
        split = getattr(od, "diverted_to", None)  # the route-choice assignment's carried/diverted/not-moved split
        diverted = float(sum(split.values())) if isinstance(split, Mapping) else None
        out[key] = ODCost(*key, od.unit, v, od.demand, parts, alternatives.get(key), diverted)
    return out


def comparator_costs(
    network: Network,
    demand: DemandSet,
    ods: Iterable[ODKey],
    *,
    value_of_time: Mapping[str, float],
    reliability_ratio: float,
    avoid: Iterable[str] = (),
    factors: EmissionFactors | None = None,
) -> dict[ODKey, CostParts]:
    """The cheapest comparator route of each OD by generalised cost, as :class:`CostParts`.

    The comparators are the assets in ``demand.without``; a route counts as a comparator when it
    passes one of them (a node, or both ends of a link) and none of ``avoid`` (the corridor's own
    sea and ferry crossings: see :func:`corridor_crossings`), so that a detour off the corridor and
    back is not mistaken for an alternative.  ODs without such a route are left out.
    ``value_of_time`` maps ``"teu"`` and ``"t"`` to USD per unit-day.
    """
    factors = factors or EmissionFactors.default()
    pricer = _Pricer(network, factors)
    network = network.without(tuple(avoid))
    vias: list[tuple[str, ...]] = []
    for asset in demand.without:
        if network.has_node(asset):
            vias.append((asset,))
        elif network.has_link(asset):
            link = network.link(asset)
            vias.append((link.from_id, link.to_id))
    open_demand = replace(demand, without=())
    best: dict[ODKey, tuple[float, CostParts]] = {}
    for key in ods:
        origin, dest, cargo = key
        vot = value_of_time["teu" if cargo == "container" else "t"]
        for via in vias:
            stops = (origin, *via, dest)
            legs = [(a, b) for a, b in itertools.pairwise(stops) if a != b]
            parts = _chain(network, open_demand, pricer, legs, cargo)
            if parts is None:
                continue
            cost = parts.generalised(vot, reliability_ratio)
            if key not in best or cost < best[key][0]:
                best[key] = (cost, parts)
    return {k: v[1] for k, v in best.items()}


def corridor_crossings(assignment: AssignmentResult, network: Network) -> tuple[str, ...]:
    """The sea and ferry links that carried paths of ``assignment`` use (the corridor's crossings)."""
    used = {lk for p in assignment.paths if p.volume > 0 for lk in p.links}
    return tuple(sorted(lk for lk in used if network.link(lk).mode in ("sea", "ferry")))


def _chain(
    network: Network, demand: DemandSet, pricer: _Pricer, legs: Sequence[tuple[str, str]], cargo: str
) -> CostParts | None:
    teu, t = (1.0, None) if cargo == "container" else (None, 1.0)
    flows = tuple(Flow(a, b, cargo, volume_teu_per_year=teu, volume_t_per_year=t) for a, b in legs)
    if not flows:
        return None
    paths = cheapest_paths(network, replace(demand, flows=flows))
    if len(paths) != len(flows):
        return None
    total = [0.0, 0.0, 0.0, 0.0]
    for p in paths:
        parts = pricer.path(p)
        for i, v in enumerate((parts.money_usd, parts.days, parts.spread_days, parts.co2e_t)):
            total[i] += v
    return CostParts(*total)


class _Pricer:
    """Costs one path: tariffs (or a cheaper through-tariff), charges, timeline, CO2e."""

    def __init__(self, network: Network, factors: EmissionFactors) -> None:
        self.network = network
        self.factors = factors
        self.closures = {t: network.closures_of(t) for t in {c.target for c in network.closures}}
        self.tariffs = [t for t in network.tariffs if t.enabled]

    def path(self, path: PathFlow) -> CostParts:
        net = self.network
        nodes = [net.node(n) for n in path.nodes]
        links = [net.link(lk) for lk in path.links]
        services = [net.service(s) if s else None for s in path.services]
        per_teu = path.cargo == "container"
        line = [_line_tariff(lk, svc, per_teu) for lk, svc in zip(links, services, strict=True)]
        money = sum(line) + sum(_charges(n, per_teu) for n in nodes[1:])
        money -= self._through_saving(path, line) if per_teu else 0.0
        tl = timeline(self.closures, nodes, links, services, None)
        mass = DEFAULT_T_PER_TEU if per_teu else 1.0
        co2e = sum(lk.distance_km * self.factors.for_link(lk).wtw / 1e6 for lk in links)
        co2e += sum(self.factors.for_node(n).wtw / 1e3 for n in nodes)
        return CostParts(money, tl.p50 / HOURS_PER_DAY, (tl.p90 - tl.p50) / HOURS_PER_DAY, co2e * mass)

    def _through_saving(self, path: PathFlow, line: Sequence[float]) -> float:
        """The largest saving of one enabled through-tariff over the line tariffs of its span."""
        best = 0.0
        for tariff in self.tariffs:
            if "container" not in tariff.cargo or tariff.amount_usd_per_feu is None:
                continue
            if tariff.from_id not in path.nodes or tariff.to_id not in path.nodes:
                continue
            i, j = path.nodes.index(tariff.from_id), path.nodes.index(tariff.to_id)
            if i < j:
                best = max(best, sum(line[i:j]) - tariff.amount_usd_per_feu / TEU_PER_FEU)
        return best


def _line_tariff(link: Link, service: Service | None, per_teu: bool) -> float:
    """USD per TEU (or per tonne) on a link crossed by ``service``, as the assignment prices it."""
    feu, per_t = link.tariff_usd_per_feu, link.tariff_usd_per_t
    if service is not None and (service.tariff_usd_per_feu is not None or service.tariff_usd_per_t is not None):
        feu, per_t = service.tariff_usd_per_feu, service.tariff_usd_per_t
    teu = feu / TEU_PER_FEU if feu is not None else (per_t * DEFAULT_T_PER_TEU if per_t is not None else 0.0)
    if per_teu:
        return teu
    return per_t if per_t is not None else teu / DEFAULT_T_PER_TEU


def _charges(node: Node, per_teu: bool) -> float:
    charge = (node.handling_usd_per_teu or 0.0) + (node.border_usd_per_teu or 0.0)
    return charge if per_teu else charge / DEFAULT_T_PER_TEU
