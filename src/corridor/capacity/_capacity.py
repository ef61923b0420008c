"""Annual capacities of nodes, links and services, converted once, here.

Every capacity in the data becomes one or more :class:`Capacity` records: an asset (node, link or
service), a **capacity unit** and an effective annual figure.  There are four capacity units:

``teu``
    containers only, counted in TEU.
``t``
    every cargo by mass: bulk tonnes, and containers at their tonnes per TEU.
``trains``
    train paths (``capacity_trains_per_day`` × 365): a container consumes ``1/TEU_PER_TRAIN`` of a
    train, a tonne of bulk ``1/T_PER_TRAIN``.
``wagons``
    ferry wagon slots (services with ``capacity_wagons``): ``1/TEU_PER_WAGON`` per TEU,
    ``1/T_PER_WAGON`` per tonne.

:func:`unit_coefficients` gives, for one cargo class, how much of each unit one unit of that cargo
uses; the assignment multiplies flows by these coefficients, so capacities in different units are
never added to each other, and containers and bulk share a ``t``, ``trains`` or ``wagons`` capacity.

Closures reduce capacity by the expected open share of the year (:func:`open_share`): within a
month, the open shares of independent closures multiply; the year's share is the hour-weighted
mean over months.  Nodes use their own closures, links theirs, and a service uses those of its
link **and of both end nodes** (a ferry cannot sail while either port is shut).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from corridor.network import Link, Network, Node, Service
from corridor.units import (
    CARGO_CLASSES,
    DAYS_PER_YEAR,
    DEFAULT_T_PER_TEU,
    HOURS_PER_DAY,
    HOURS_PER_YEAR,
    T_PER_TRAIN,
    T_PER_WAGON,
    TEU_PER_TRAIN,
    TEU_PER_WAGON,
)

CAPACITY_UNITS: Final = ("teu", "t", "trains", "wagons")
ASSET_KINDS: Final = ("node", "link", "service")

#: Days in each month of a common year, for hour-weighting closure shares.
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

#: Cargo classes a service can carry by kind (intersected with its link's ``cargo``): feeders
#: and liners carry containers, tankers liquid bulk, rail ferries and block trains anything.
SERVICE_CARGO: Final = {
    "feeder": frozenset({"container"}),
    "liner": frozenset({"container"}),
    "tanker": frozenset({"liquid"}),
    "ferry": frozenset(CARGO_CLASSES),
    "block_train": frozenset(CARGO_CLASSES),
}


@dataclass(frozen=True, slots=True)
class Capacity:
    """One annual capacity of one asset in one capacity unit.

    ``nominal_per_year`` is what the data say converted to a year; ``effective_per_year`` applies
    the closure ``open_share``.  ``basis`` says how the figure was derived, for reports.
    """

    asset: str
    kind: str
    unit: str
    nominal_per_year: float
    open_share: float
    basis: str

    @property
    def effective_per_year(self) -> float:
        return self.nominal_per_year * self.open_share

    def to_json(self) -> dict[str, object]:
        return {
            "asset": self.asset,
            "kind": self.kind,
            "unit": self.unit,
            "nominal_per_year": self.nominal_per_year,
            "open_share": self.open_share,
            "effective_per_year": self.effective_per_year,
            "basis": self.basis,
        }


def unit_coefficients(cargo: str, t_per_teu: float) -> dict[str, float]:
    """How much of each capacity unit one unit of ``cargo`` uses (one TEU, or one tonne of bulk)."""
    if cargo == "container":
        return {"teu": 1.0, "t": t_per_teu, "trains": 1.0 / TEU_PER_TRAIN, "wagons": 1.0 / TEU_PER_WAGON}
    return {"teu": 0.0, "t": 1.0, "trains": 1.0 / T_PER_TRAIN, "wagons": 1.0 / T_PER_WAGON}


def teu_equivalent(unit: str) -> float:
    """Capacity units per TEU of container capacity, to rank shadow prices given in different
    units on one scale (``t``: tonnes per TEU at the default mass)."""
    return unit_coefficients("container", DEFAULT_T_PER_TEU)[unit]


def open_share(network: Network, targets: Iterable[str]) -> float:
    """Expected share of the year during which none of ``targets`` (node or link ids) is closed."""
    closures = [c for target in targets for c in network.closures_of(target)]
    if not closures:
        return 1.0
    total = 0.0
    for month, days in enumerate(_MONTH_DAYS, start=1):
        share = 1.0
        for closure in closures:
            if month in closure.months:
                share *= 1.0 - closure.closed_share
        total += days * HOURS_PER_DAY * share
    return total / HOURS_PER_YEAR


def node_capacities(network: Network, node: Node) -> list[Capacity]:
    """Throughput capacities of a node (port, border, gauge-change yard)."""
    share = open_share(network, [node.id])
    return _fixed(
        node.id, "node", share, node.capacity_teu_per_year, node.capacity_t_per_year, node.capacity_trains_per_day
    )


def link_capacities(network: Network, link: Link) -> list[Capacity]:
    """Line capacities of a link, per direction."""
    share = open_share(network, [link.id])
    return _fixed(
        link.id, "link", share, link.capacity_teu_per_year, link.capacity_t_per_year, link.capacity_trains_per_day
    )


def _fixed(
    asset: str, kind: str, share: float, teu: float | None, t: float | None, trains: float | None
) -> list[Capacity]:
    out = []
    if teu is not None:
        out.append(Capacity(asset, kind, "teu", teu, share, f"{teu:,.0f} TEU/year"))
    if t is not None:
        out.append(Capacity(asset, kind, "t", t, share, f"{t:,.0f} t/year"))
    if trains is not None:
        out.append(
            Capacity(
                asset, kind, "trains", trains * DAYS_PER_YEAR, share, f"{trains:g} trains/day × {DAYS_PER_YEAR:g} d"
            )
        )
    return out


def sailings_per_year(service: Service) -> float:
    """Departures per direction in a fully open year: ``fleet × 8760 h / cycle_h``, and no more than
    ``8760 h / headway_h`` when the service runs to a schedule."""
    sailings = service.fleet * HOURS_PER_YEAR / service.cycle_h
    if service.headway_h:
        sailings = min(sailings, HOURS_PER_YEAR / service.headway_h)
    return sailings


def service_capacities(network: Network, service: Service) -> list[Capacity]:
    """Capacity per direction of a ferry, feeder or train service:
    ``sailings_per_year × open share × capacity per sailing × fill_share``."""
    link = network.link(service.link_id)
    share = open_share(network, [link.id, link.from_id, link.to_id])
    sailings = sailings_per_year(service)
    fill = service.fill_share if service.fill_share is not None else 1.0
    basis = f"{service.fleet} × {HOURS_PER_YEAR:g} h / {service.cycle_h:g} h cycle = {sailings:,.0f} sailings"
    if service.headway_h:
        basis = f"min(fleet, {service.headway_h:g} h headway): {sailings:,.0f} sailings"
    fill_text = f" × fill {fill:g}" if fill != 1.0 else ""
    out = []
    for unit, per_sailing in (
        ("teu", service.capacity_teu),
        ("t", service.capacity_t),
        ("wagons", service.capacity_wagons),
    ):
        if per_sailing is not None:
            out.append(
                Capacity(
                    service.id,
                    "service",
                    unit,
                    sailings * per_sailing * fill,
                    share,
                    f"{basis} × {per_sailing:g} {unit}{fill_text}",
                )
            )
    return out


def service_cargo(network: Network, service: Service) -> frozenset[str]:
    """Cargo classes a service carries: by its kind, within what its link allows."""
    link = network.link(service.link_id)
    return SERVICE_CARGO.get(service.kind, frozenset(CARGO_CLASSES)) & link.allowed_cargo


def capacities(network: Network) -> tuple[Capacity, ...]:
    """Every capacity of the network's enabled assets, in node, link, service order."""
    out: list[Capacity] = []
    for node in network.nodes:
        if node.enabled:
            out += node_capacities(network, node)
    for link in network.links:
        if link.enabled:
            out += link_capacities(network, link)
    for service in network.services:
        out += service_capacities(network, service)
    return tuple(out)
