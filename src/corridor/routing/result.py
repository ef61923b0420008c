"""Result objects of a routing query, frozen, with a JSON form (``to_json``).

The shape of that JSON is declared once, in :mod:`corridor.schemas.route` (``corridor schema
route`` prints its JSON Schema); ``corridor route --json`` emits ``to_json()`` through it, and
tests/golden/route-mini.json pins it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from corridor.routing.shipment import Shipment
from corridor.units import HOURS_PER_DAY


def _r(x: float, digits: int = 1) -> float:
    return round(x, digits) + 0.0


@dataclass(frozen=True, slots=True)
class CostLine:
    """One priced item of a quote: a leg's line-haul or freight, or a node's handling or border fee."""

    item: str  # line_haul, ferry_freight, through_tariff, terminal_handling, gauge_change, border
    amount: float
    low: float
    high: float
    operator: str
    country: str
    estimate: bool
    where: str  # link id, node id, or "from→to" for a through-tariff
    basis: str  # e.g. "2 FEU × 1,000 USD/FEU", or what is missing
    missing: bool = False  # no price in the data: the amount is 0 and the quote's total is incomplete

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "amount": _r(self.amount, 2),
            "low": _r(self.low, 2),
            "high": _r(self.high, 2),
            "operator": self.operator,
            "country": self.country,
            "estimate": self.estimate,
            "where": self.where,
            "basis": self.basis,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> float:
        return sum(line.amount for line in self.lines)

    @property
    def low(self) -> float:
        return sum(line.low for line in self.lines)

    @property
    def high(self) -> float:
        return sum(line.high for line in self.lines)

    @property
    def has_estimates(self) -> bool:
        return any(line.estimate for line in self.lines)

    @property
    def complete(self) -> bool:
        """False when a line has no price in the data: the total then leaves something out."""
        return not any(line.missing for line in self.lines)

    @property
    def missing(self) -> tuple[str, ...]:
        """What the total leaves out, one phrase per unpriced line."""
        return tuple(f"{line.item.replace('_', ' ')} at {line.where}" for line in self.lines if line.missing)

    def to_json(self) -> dict[str, Any]:
        return {
            "total": _r(self.total, 2),
            "low": _r(self.low, 2),
            "high": _r(self.high, 2),
            "currency": "USD",
            "complete": self.complete,
            "missing": list(self.missing),
            "lines": [line.to_json() for line in self.lines],
        }


@dataclass(frozen=True, slots=True)
class Emission:
    """Emissions of one transport chain element (a leg or a hub), kg CO2e."""

    element: str  # link id or node id
    kind: str  # "leg" or "hub"
    wtt: float
    ttw: float
    tkm: float
    factor: str  # vehicle class / hub type of the factor used
    glec_version: str
    estimate: bool

    @property
    def wtw(self) -> float:
        return self.wtt + self.ttw


@dataclass(frozen=True, slots=True)
class Footprint:
    elements: tuple[Emission, ...]

    @property
    def wtt(self) -> float:
        return sum(e.wtt for e in self.elements)

    @property
    def ttw(self) -> float:
        return sum(e.ttw for e in self.elements)

    @property
    def wtw(self) -> float:
        return self.wtt + self.ttw

    @property
    def tkm(self) -> float:
        return sum(e.tkm for e in self.elements)

    @property
    def intensity(self) -> float:
        """g CO2e per t-km over the whole chain (hubs included)."""
        return 1000.0 * self.wtw / self.tkm if self.tkm > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "wtw": _r(self.wtw, 2),
            "wtt": _r(self.wtt, 2),
            "ttw": _r(self.ttw, 2),
            "tkm": _r(self.tkm, 1),
            "intensity_g_per_tkm": _r(self.intensity, 2),
            "elements": [
                {
                    "element": e.element,
                    "kind": e.kind,
                    "wtw": _r(e.wtw, 3),
                    "wtt": _r(e.wtt, 3),
                    "ttw": _r(e.ttw, 3),
                    "factor": e.factor,
                    "glec_version": e.glec_version,
                    "estimate": e.estimate,
                }
                for e in self.elements
            ],
        }


@dataclass(frozen=True, slots=True)
class Leg:
    """One link of a route, in the direction travelled."""

    link: str
    from_id: str
    to_id: str
    mode: str
    distance_km: float
    moving_h: float
    wait_h: float
    operator: str
    country: str
    service: str

    def to_json(self) -> dict[str, Any]:
        return {
            "link": self.link,
            "from": self.from_id,
            "to": self.to_id,
            "mode": self.mode,
            "distance_km": _r(self.distance_km, 1),
            "moving_h": _r(self.moving_h, 2),
            "wait_h": _r(self.wait_h, 2),
            "operator": self.operator,
            "country": self.country,
            "service": self.service or None,
        }


@dataclass(frozen=True, slots=True)
class Stop:
    """A node of a route with its typical dwell and stage."""

    node: str
    name: str
    country: str
    stage: str
    dwell_h: float
    arrival_h: float

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "name": self.name,
            "country": self.country,
            "stage": self.stage,
            "dwell_h": _r(self.dwell_h, 2),
            "arrival_h": _r(self.arrival_h, 2),
        }


@dataclass(frozen=True, slots=True)
class DoorLeg:
    """A first- or last-mile truck leg between a door and the route's first or last terminal."""

    end: str  # "from" (door → first terminal) or "to" (last terminal → door)
    place: str  # the door as given: a place name, "lat,lon" or "120 km from …"
    terminal: str  # node id of the terminal it meets
    country: str  # where it is trucked (rates, customs)
    road_km: float
    p50_h: float
    p90_h: float

    def to_json(self) -> dict[str, Any]:
        return {
            "end": self.end,
            "place": self.place,
            "terminal": self.terminal,
            "country": self.country,
            "road_km": _r(self.road_km, 1),
            "p50_h": _r(self.p50_h, 1),
            "p90_h": _r(self.p90_h, 1),
        }


@dataclass(frozen=True, slots=True)
class RouteTime:
    p50: float
    p90: float
    stages: tuple[tuple[str, float, float], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "p50": _r(self.p50),
            "p90": _r(self.p90),
            "p50_days": _r(self.p50 / HOURS_PER_DAY, 2),
            "p90_days": _r(self.p90 / HOURS_PER_DAY, 2),
            "stages": {s: {"p50": _r(a), "p90": _r(b)} for s, a, b in self.stages},
        }


@dataclass(frozen=True, slots=True)
class Route:
    """One door-to-door option: path, time, itemised quote and emissions."""

    rank: int
    label: str
    pareto: bool
    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    stops: tuple[Stop, ...]
    time: RouteTime
    cost: Quote
    co2e: Footprint
    doors: tuple[DoorLeg, ...] = ()  # first/last-mile truck legs, when the query gave doors

    @property
    def distance_km(self) -> float:
        return sum(leg.distance_km for leg in self.legs)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "label": self.label,
            "pareto": self.pareto,
            "nodes": list(self.nodes),
            "distance_km": _r(self.distance_km),
            "legs": [leg.to_json() for leg in self.legs],
            "stops": [s.to_json() for s in self.stops],
            "time_h": self.time.to_json(),
            "cost_usd": self.cost.to_json(),
            "co2e_kg": self.co2e.to_json(),
            "doors": [d.to_json() for d in self.doors],
        }


NOTE_CODES = ("avoid-unmatched", "label-limit", "guided-search", "closure-season", "queueing")
"""What a route note can say; each code's ``params`` are listed in ``corridor.schemas.route.RouteNote``."""


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader of a route result should know: a stable ``code``, the English sentence
    (``text``, what the CLI prints) and the figures it was made from (``params``), so a client can say
    it again in its own language without parsing the English."""

    code: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in NOTE_CODES:
            raise ValueError(f"unknown route note code {self.code!r}")

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The answer to one query: routes best first, plus what the search did."""

    network: str
    origin: str
    destination: str
    shipment: Shipment
    depart: datetime | None
    optimize: str
    routes: tuple[Route, ...]
    pareto_size: int
    pareto_complete: bool
    notes: tuple[Note, ...] = ()

    @property
    def best(self) -> Route:
        return self.routes[0]

    def arrival(self, route: Route) -> tuple[datetime, datetime] | None:
        """Arrival date and time, typical (P50) and bad case (P90), when a departure was given."""
        if self.depart is None:
            return None
        p50, p90 = (self.depart + timedelta(minutes=round(h * 60)) for h in (route.time.p50, route.time.p90))
        return p50, p90

    def per_unit(self, route: Route) -> tuple[float, str]:
        """Price per container (containers) or per tonne (bulk), and that unit's name."""
        ship = self.shipment
        if ship.cargo == "container":
            boxes = sum(lot.count for lot in ship.lots)
            return route.cost.total / max(boxes, 1), "container"
        return route.cost.total / max(ship.tonnes, 1e-9), "t"

    def _route_json(self, route: Route) -> dict[str, Any]:
        out = route.to_json()
        when = self.arrival(route)
        out["arrival"] = None if when is None else {"p50": when[0].isoformat(), "p90": when[1].isoformat()}
        amount, unit = self.per_unit(route)
        out["cost_usd"]["per_unit"] = {"unit": unit, "amount": _r(amount, 2)}
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "origin": self.origin,
            "destination": self.destination,
            "shipment": self.shipment.to_json(),
            "depart": self.depart.isoformat() if self.depart else None,
            "optimize": self.optimize,
            "pareto_size": self.pareto_size,
            "pareto_complete": self.pareto_complete,
            "notes": [n.to_json() for n in self.notes],
            "routes": [self._route_json(r) for r in self.routes],
        }
