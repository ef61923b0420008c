"""Door legs: first- and last-mile trucking and the customs/broker lines of a door-to-door quote.

A door is a place (a network place's coordinates), coordinates ``"lat,lon"``, or a road distance
(``"120km"``) from the route's first or last terminal.  Its road distance is the great-circle
distance × :data:`ROAD_CIRCUITY`; its time is :data:`GATE_H` at the gate plus driving at
:data:`TRUCK_KM_PER_H`, :data:`DRIVING_H_PER_DAY` a day with :data:`REST_H` off between days; P90 =
:data:`DOOR_P90_FACTOR` × P50 (sources.csv ``est-door-road``).  Price: one truck per container
(bulk: one per :data:`TRUCK_PAYLOAD_T`) × road km × the region's USD per truck-km.

With a door the quote is door-to-door, so it also carries one broker line per customs regime the
cargo passes (EAEU, Georgia, Türkiye, EU, else the country): export declaration in the first,
transit in those between, import in the last; one declaration per shipment.  Rates live in
``door_rates.csv`` next to this module, each row with its low–high range, source id and estimate flag.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Final

from corridor.errors import DataError, InputError, Problem, UnknownNameError
from corridor.network import Link, Network, Node
from corridor.routing.emissions import EmissionFactors
from corridor.routing.result import CostLine, DoorLeg, Emission, Footprint, Quote, Route, RouteTime
from corridor.routing.shipment import Shipment

ROAD_CIRCUITY: Final = 1.3
TRUCK_KM_PER_H: Final = 55.0
GATE_H: Final = 2.0
DRIVING_H_PER_DAY: Final = 9.0
REST_H: Final = 15.0
DOOR_P90_FACTOR: Final = 1.5
TRUCK_PAYLOAD_T: Final = 20.0
_KM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*km\s*$", re.IGNORECASE)
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class Rate:
    """One row of ``door_rates.csv``: a trucking (USD/truck-km) or customs (USD/declaration) rate."""

    kind: str
    region: str
    countries: frozenset[str]  # {"*"} = any country without its own row
    low: float
    mid: float
    high: float
    source: str
    estimate: bool


@dataclass(frozen=True)
class DoorRates:
    """Trucking and customs/broker rates by country, most specific row first, ``*`` as the fallback."""

    rates: tuple[Rate, ...]

    @classmethod
    def default(cls) -> DoorRates:
        """The bundled table (read when called, never at import)."""
        text = (resources.files("corridor.routing") / "door_rates.csv").read_text(encoding="utf-8")
        return cls(tuple(_parse(io.StringIO(text), "door_rates.csv")))

    @classmethod
    def from_csv(cls, path: Path) -> DoorRates:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return cls(tuple(_parse(fh, str(path))))

    def find(self, kind: str, country: str) -> Rate:
        rows = [r for r in self.rates if r.kind == kind]
        for r in rows:
            if country in r.countries:
                return r
        for r in rows:
            if "*" in r.countries:
                return r
        raise DataError(f"no {kind} rate for country {country!r} and no '*' row in the door rate table")

    def regime(self, country: str) -> str:
        """The customs regime of a country: its customs row's region, or the country itself."""
        found = self.find("customs", country)
        return country if "*" in found.countries else found.region


def _parse(lines: Iterable[str], file: str) -> list[Rate]:
    out: list[Rate] = []
    problems: list[Problem] = []
    for number, row in enumerate(csv.DictReader(lines), start=2):
        try:
            low, mid, high = (float(row[k]) for k in ("low", "mid", "high"))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Problem(file, f"bad number: {exc}", line=number))
            continue
        if not 0 <= low <= mid <= high:
            problems.append(Problem(file, "expected 0 <= low <= mid <= high", line=number, got=f"{low}, {mid}, {high}"))
        if row.get("kind") not in ("truck", "customs"):
            problems.append(Problem(file, "kind must be truck or customs", line=number, got=repr(row.get("kind"))))
            continue
        countries = frozenset(c.strip() for c in (row.get("countries") or "").split(";") if c.strip())
        out.append(
            Rate(row["kind"], row.get("region") or "", countries, low, mid, high, row.get("source") or "",
                 (row.get("estimate") or "").strip().lower() == "true")
        )  # fmt: skip
    if problems:
        raise DataError(f"door rate table {file} has {len(problems)} problem(s)", problems)
    return out


def _km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def door_time(road_km: float) -> tuple[float, float]:
    """Typical and bad-case hours for a truck leg of ``road_km`` (gate, driving, daily rest)."""
    driving = road_km / TRUCK_KM_PER_H
    days = max(1, math.ceil(driving / DRIVING_H_PER_DAY - 1e-9))
    p50 = GATE_H + driving + REST_H * (days - 1)
    return p50, DOOR_P90_FACTOR * p50


def parse_door(network: Network, spec: str, terminal: Node, end: str) -> tuple[str, float, str]:
    """``(place label, road km, country)`` of a door spec next to ``terminal``; ``end`` is from/to."""
    fld = f"{end}_door"
    text = spec.strip()
    if m := _KM.match(text):
        km = float(m.group(1))
        if not 0 < km <= 5_000:
            raise InputError(f"door distance {text!r} is out of range",
                             [Problem("route", "expected a road distance of 0-5,000 km", field=fld, got=text)])  # fmt: skip
        return f"{km:g} km from {terminal.name}", km, terminal.country
    if m := _LATLON.match(text):
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"door coordinates {text!r} are out of range",
                             [Problem("route", "expected lat,lon in degrees", field=fld, got=text)])  # fmt: skip
        km = ROAD_CIRCUITY * _km_between((lat, lon), (terminal.lat, terminal.lon))
        return f"{lat:g},{lon:g}", km, terminal.country
    try:
        place = network.resolve(text)
    except UnknownNameError as exc:
        raise UnknownNameError(f"door place ({fld}; or give lat,lon or a road distance such as 120km)", text,
                               exc.suggestions) from None  # fmt: skip
    km = ROAD_CIRCUITY * _km_between((place.lat, place.lon), (terminal.lat, terminal.lon))
    return place.name, km, place.country


def _truck_line(rates: DoorRates, door: DoorLeg, trucks: int) -> CostLine:
    r = rates.find("truck", door.country)
    k = trucks * door.road_km
    return CostLine(
        "trucking", r.mid * k, r.low * k, r.high * k, "road haulier", door.country, r.estimate,
        f"{door.end} door", f"{trucks} truck(s) × {door.road_km:,.0f} km × {r.mid:.2f} USD/km ({r.region}, {r.source})",
    )  # fmt: skip


def customs_lines(rates: DoorRates, countries: Sequence[str]) -> list[CostLine]:
    """One broker line per customs regime along ``countries`` (export, transit…, import)."""
    regimes: list[tuple[str, str]] = []
    for c in countries:
        if not c or c == "XX":  # the sea
            continue
        regime = rates.regime(c)
        if not regimes or regimes[-1][0] != regime:
            regimes.append((regime, c))
    out = []
    for i, (regime, country) in enumerate(regimes):
        what = "export" if i == 0 else ("import" if i == len(regimes) - 1 else "transit")
        r = rates.find("customs", country)
        out.append(
            CostLine("customs_broker", r.mid, r.low, r.high, "customs broker", country, r.estimate, regime,
                     f"{what} declaration ({regime}): 1 × {r.mid:,.0f} USD ({r.source})")
        )  # fmt: skip
    return out


def add_doors(
    route: Route,
    network: Network,
    shipment: Shipment,
    factors: EmissionFactors,
    rates: DoorRates,
    doors: Sequence[DoorLeg],
) -> Route:
    """``route`` made door-to-door: trucking lines, customs lines, truck emissions and door time."""
    if not doors:
        return route
    if shipment.cargo == "container":
        trucks = sum(lot.count for lot in shipment.lots)
    else:
        trucks = max(1, math.ceil(shipment.tonnes / TRUCK_PAYLOAD_T - 1e-9))
    by_end = {d.end: d for d in doors}
    lines = [_truck_line(rates, by_end["from"], trucks)] if "from" in by_end else []
    lines.extend(route.cost.lines)
    if "to" in by_end:
        lines.append(_truck_line(rates, by_end["to"], trucks))
    countries = [d.country for d in doors if d.end == "from"]
    countries += [network.node(n).country for n in route.nodes]
    countries += [d.country for d in doors if d.end == "to"]
    lines.extend(customs_lines(rates, countries))
    truck = factors.for_link(Link("door", "", "", "road", 1.0, traction="diesel"))
    mass = shipment.cargo_t
    elements = [
        Emission(f"{d.end} door", "leg", truck.wtt * mass * d.road_km / 1000.0, truck.ttw * mass * d.road_km / 1000.0,
                 mass * d.road_km, truck.vehicle_class, truck.glec_version, truck.estimate)
        for d in doors
    ]  # fmt: skip
    t = route.time
    p50 = t.p50 + sum(d.p50_h for d in doors)
    # spreads combine as independent: P90 - P50 adds in quadrature (as the stages of the timeline do)
    p90 = p50 + math.sqrt((t.p90 - t.p50) ** 2 + sum((d.p90_h - d.p50_h) ** 2 for d in doors))
    door_stage = ("door", sum(d.p50_h for d in doors), sum(d.p90_h for d in doors))
    stages = (*t.stages, door_stage)
    return replace(
        route,
        cost=Quote(tuple(lines)),
        co2e=Footprint((*route.co2e.elements, *elements)),
        time=RouteTime(p50, p90, stages),
        doors=tuple(doors),
    )


def door_legs(
    network: Network, first: Node, last: Node, from_door: str | None, to_door: str | None
) -> tuple[DoorLeg, ...]:
    """The door legs a query asks for, next to its first and last terminal."""
    out = []
    for end, spec, terminal in (("from", from_door, first), ("to", to_door, last)):
        if spec is None:
            continue
        place, km, country = parse_door(network, spec, terminal, end)
        p50, p90 = door_time(km)
        out.append(DoorLeg(end, place, terminal.id, country, km, p50, p90))
    return tuple(out)
