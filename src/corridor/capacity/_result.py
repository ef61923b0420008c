"""What an assignment returns: flows, utilisations, bottlenecks and the growth limit, with a stable
JSON form (``to_json``) that reports and scenario comparisons build on."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from corridor.capacity._capacity import Capacity


class _OriginDestination(Protocol):
    @property
    def origin(self) -> str: ...
    @property
    def destination(self) -> str: ...
    @property
    def cargo(self) -> str: ...
    @property
    def unit(self) -> str: ...


def od_json(flow: _OriginDestination) -> dict[str, Any]:
    """The four keys every per-flow JSON record starts with: origin, destination, cargo, unit."""
    return {"origin": flow.origin, "destination": flow.destination, "cargo": flow.cargo, "unit": flow.unit}


def _num(value: float | None, digits: int = 6) -> float | None:
    """JSON-safe rounding: ``None`` for missing or non-finite values."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


@dataclass(frozen=True, slots=True)
class ODFlow:
    """Where one origin–destination flow ends (``unit``: teu or t): ``served`` is carried on the
    corridor, ``diverted`` went to the comparator routes (``diverted_to``: comparator id →
    volume), and the rest (``not_moved``) is not moved at all.  ``unserved`` = diverted + not moved."""

    origin: str
    destination: str
    cargo: str
    unit: str
    demand: float
    served: float
    routable: bool = True
    diverted_to: Mapping[str, float] = field(default_factory=dict)

    @property
    def unserved(self) -> float:
        return max(self.demand - self.served, 0.0)

    @property
    def diverted(self) -> float:
        return float(sum(self.diverted_to.values()))

    @property
    def not_moved(self) -> float:
        return max(self.demand - self.served - self.diverted, 0.0)

    def shares(self) -> dict[str, float | None]:
        """Carried, diverted and not-moved shares of the demand (``None`` without demand)."""
        if self.demand <= 0:
            return {"carried": None, "diverted": None, "not_moved": None}
        return {
            "carried": self.served / self.demand,
            "diverted": self.diverted / self.demand,
            "not_moved": self.not_moved / self.demand,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **od_json(self),
            "demand": _num(self.demand, 3),
            "served": _num(self.served, 3),
            "unserved": _num(self.unserved, 3),
            "carried": _num(self.served, 3),
            "diverted": _num(self.diverted, 3),
            "diverted_to": {k: _num(v, 3) for k, v in self.diverted_to.items()},
            "not_moved": _num(self.not_moved, 3),
            "shares": {k: _num(v) for k, v in self.shares().items()},
            "routable": self.routable,
        }


@dataclass(frozen=True, slots=True)
class PathFlow:
    """Annual volume one origin–destination flow sends along one path (``unit``: teu or t).

    ``nodes`` are the node ids in travel order; ``links[i]`` joins ``nodes[i]`` to ``nodes[i+1]``,
    ``forward[i]`` says whether it is travelled from its ``from`` to its ``to``, and ``services[i]``
    names the service that carries it (``""`` on a link without one).
    """

    origin: str
    destination: str
    cargo: str
    unit: str
    nodes: tuple[str, ...]
    links: tuple[str, ...]
    forward: tuple[bool, ...]
    services: tuple[str, ...]
    volume: float
    #: Typical time along the path (moving time plus dwell at every node entered), as the
    #: assignment's generalized cost counts it.
    time_h: float = 0.0
    #: Generalized cost of one unit along the path (tariffs, node charges and the value of the
    #: time above, in USD; no capacity toll): what a shipper weighs, as the assignment's
    #: :class:`~corridor.capacity.CostModel` counts it.
    cost_usd: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            **od_json(self),
            "volume": _num(self.volume, 3),
            "time_h": _num(self.time_h, 3),
            "nodes": list(self.nodes),
            "links": [
                {"id": lk, "direction": "forward" if fwd else "backward", "service": svc or None}
                for lk, fwd, svc in zip(self.links, self.forward, self.services, strict=True)
            ],
        }


@dataclass(frozen=True, slots=True)
class ConstraintUse:
    """One capacity row (an asset's capacity in one unit and direction) at the optimum.

    ``shadow_price`` is the fall in total generalized cost from one more unit of this capacity
    a year (USD per ``unit`` per year); ``shadow_price_per_teu`` puts prices of every unit on one
    scale (USD per TEU of container capacity) for ranking.
    """

    capacity: Capacity
    direction: str
    name: str
    flow: float
    shadow_price: float
    shadow_price_per_teu: float

    @property
    def asset(self) -> str:
        return self.capacity.asset

    @property
    def kind(self) -> str:
        return self.capacity.kind

    @property
    def unit(self) -> str:
        return self.capacity.unit

    @property
    def utilisation(self) -> float:
        cap = self.capacity.effective_per_year
        if cap <= 0:
            return 1.0
        return self.flow / cap

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "kind": self.kind,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction or None,
            "capacity": _num(self.capacity.effective_per_year, 3),
            "nominal_capacity": _num(self.capacity.nominal_per_year, 3),
            "open_share": _num(self.capacity.open_share),
            "flow": _num(self.flow, 3),
            "utilisation": _num(self.utilisation),
            "shadow_price": _num(self.shadow_price, 4),
            "shadow_price_per_teu": _num(self.shadow_price_per_teu, 4),
            "basis": self.capacity.basis,
        }


@dataclass(frozen=True, slots=True)
class GrowthLimit:
    """A capacity in the cut that limits uniform growth: ``marginal_growth`` is the rise in the
    maximum growth factor per extra unit of capacity a year; ``share`` its part of the bound."""

    constraint: ConstraintUse
    marginal_growth: float
    share: float

    def to_json(self) -> dict[str, Any]:
        out = self.constraint.to_json()
        del out["shadow_price"], out["shadow_price_per_teu"]
        out["marginal_growth"] = _num(self.marginal_growth, 12)
        out["share"] = _num(self.share)
        return out


@dataclass(frozen=True, slots=True)
class AssetFlow:
    """Flow through a node, or along a link or service (both directions), and its utilisation.

    ``teu`` counts containers; ``t`` is the mass of all cargo (containers at their t/TEU);
    ``capacity`` maps each capacity unit to the effective annual figure (per direction for links
    and services); ``utilisation`` is the highest of its rows, ``None`` without any capacity.
    """

    id: str
    kind: str
    name: str
    teu: float
    t: float
    capacity: Mapping[str, float] = field(default_factory=dict)
    utilisation: float | None = None
    shadow_price_per_teu: float = 0.0
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "flow_teu": _num(self.teu, 3),
            "flow_t": _num(self.t, 3),
            "capacity": {u: _num(v, 3) for u, v in self.capacity.items()},
            "utilisation": _num(self.utilisation),
            "shadow_price_per_teu": _num(self.shadow_price_per_teu, 4),
            **{k: _rounded(v) for k, v in self.detail.items()},
        }


def _rounded(value: Any) -> Any:
    """Numbers in nested details rounded like the rest of the JSON (3 decimals)."""
    if isinstance(value, float):
        return _num(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums over the assignment.  ``served_teu``/``unserved_teu`` count containers, ``served_t``/
    ``unserved_t`` bulk (general and liquid) tonnes.  ``cost_usd`` is the generalized cost of what
    is carried (tariffs, charges and time value); ``penalty_usd`` prices what is not.  ``co2e_t``
    is well-to-wheel tonnes CO2e (GLEC factors: legs and handling at every node, as a route
    quote counts them; link CO2e includes handling at the node the link arrives at); ``None``
    when a link has no emission factor."""

    served_teu: float
    unserved_teu: float
    served_t: float
    unserved_t: float
    cost_usd: float
    penalty_usd: float
    teu_hours: float
    bulk_t_hours: float
    co2e_t: float | None = None
    #: Of the unserved volume, what went to the comparator routes (the rest is not moved).
    diverted_teu: float = 0.0
    diverted_t: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "served_teu": _num(self.served_teu, 3),
            "unserved_teu": _num(self.unserved_teu, 3),
            "diverted_teu": _num(self.diverted_teu, 3),
            "not_moved_teu": _num(max(self.unserved_teu - self.diverted_teu, 0.0), 3),
            "diverted_t": _num(self.diverted_t, 3),
            "not_moved_t": _num(max(self.unserved_t - self.diverted_t, 0.0), 3),
            "served_t": _num(self.served_t, 3),
            "unserved_t": _num(self.unserved_t, 3),
            "cost_usd": _num(self.cost_usd, 2),
            "penalty_usd": _num(self.penalty_usd, 2),
            "objective_usd": _num(self.cost_usd + self.penalty_usd, 2),
            "teu_hours": _num(self.teu_hours, 3),
            "mean_hours_per_teu": _num(self.teu_hours / self.served_teu if self.served_teu else None, 3),
            "bulk_t_hours": _num(self.bulk_t_hours, 3),
            "co2e_t": _num(self.co2e_t, 3),
        }


@dataclass(frozen=True)
class AssignmentResult:
    """The capacity-constrained assignment of a demand set to a network.

    ``bottlenecks`` are the capacities with a positive shadow price (or full), ranked by the value
    of one more unit; ``max_growth`` is the largest factor by which the whole demand (as assigned)
    could grow and still be carried in full (``None``: unlimited), ``growth_cut`` the capacities that
    stop it.  ``unroutable`` ODs have no path at all and are left out of ``max_growth``.
    ``paths`` splits each OD's served volume across the paths that carry it.
    """

    network: str
    demand: str
    year: int | None
    growth: float
    ods: tuple[ODFlow, ...]
    nodes: tuple[AssetFlow, ...]
    links: tuple[AssetFlow, ...]
    services: tuple[AssetFlow, ...]
    constraints: tuple[ConstraintUse, ...]
    bottlenecks: tuple[ConstraintUse, ...]
    max_growth: float | None
    growth_cut: tuple[GrowthLimit, ...]
    totals: Totals
    solver: Mapping[str, Any] = field(default_factory=dict)
    without: tuple[str, ...] = ()
    #: How each OD's served volume is split across paths (column generation's path flows, or a
    #: flow decomposition of the arc flows for the arc formulations), largest first per OD.
    paths: tuple[PathFlow, ...] = ()
    #: ``"choice"`` (route-choice forecast, the default) or ``"system"`` (least total cost).
    objective: str = "system"
    #: Comparator id → readable label, for the ``diverted_to`` keys of :class:`ODFlow`.
    comparators: Mapping[str, str] = field(default_factory=dict)

    def shares(self) -> dict[str, dict[str, float | None]]:
        """Carried / diverted / not moved shares of all container TEU and of all bulk tonnes."""
        out: dict[str, dict[str, float | None]] = {}
        for unit in ("teu", "t"):
            ods = [od for od in self.ods if od.unit == unit]
            total = sum(od.demand for od in ods)
            parts = {
                "carried": sum(od.served for od in ods),
                "diverted": sum(od.diverted for od in ods),
                "not_moved": sum(od.not_moved for od in ods),
            }
            out[unit] = {k: (v / total if total > 0 else None) for k, v in parts.items()}
        return out

    @property
    def unserved(self) -> tuple[ODFlow, ...]:
        return tuple(od for od in self.ods if od.unserved > 1e-6 * max(od.demand, 1.0))

    def to_json(self) -> dict[str, Any]:
        t = self.totals
        return {
            "network": self.network,
            "demand": self.demand,
            "objective": self.objective,
            "comparators": dict(self.comparators),
            "shares": {u: {k: _num(v) for k, v in d.items()} for u, d in self.shares().items()},
            "year": self.year,
            "growth": self.growth,
            "without": list(self.without),
            "served": {
                "teu": _num(t.served_teu, 3),
                "t": _num(t.served_t, 3),
                "share_teu": _num(
                    t.served_teu / (t.served_teu + t.unserved_teu) if t.served_teu + t.unserved_teu else None
                ),
                "share_t": _num(t.served_t / (t.served_t + t.unserved_t) if t.served_t + t.unserved_t else None),
            },
            "unserved": [od.to_json() for od in self.unserved],
            "max_growth": _num(self.max_growth),
            "growth_cut": [g.to_json() for g in self.growth_cut],
            "bottlenecks": [b.to_json() for b in self.bottlenecks],
            "totals": t.to_json(),
            "ods": [od.to_json() for od in self.ods],
            "links": [a.to_json() for a in self.links],
            "nodes": [a.to_json() for a in self.nodes],
            "services": [a.to_json() for a in self.services],
            "constraints": [c.to_json() for c in self.constraints],
            "solver": dict(self.solver),
            "paths": [p.to_json() for p in self.paths],
        }
