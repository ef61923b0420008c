"""Route choice: which paths each origin–destination flow takes, and with what share of its volume.

The simulation does not choose paths itself; the capacity engine does, so that both tell one story.
Strategies (:data:`ROUTE_CHOICES`, chosen by ``SimRules.route_choice``):

``assignment`` (default)
    :func:`corridor.capacity.assign` (route choice, every capacity respected) splits each flow
    across paths; the simulation runs one sub-flow per path with the path's assigned volume.
    **Admission**: demand the assignment does not carry on the corridor is refused at the origin,
    the way operators take bookings against capacity — diverted to the comparator routes or not
    moved, as the assignment splits it (:class:`Admission`) — so the carried flows have steady times.
    With ``SimRules.planning_utilisation`` u < 1 the split is the one the assignment makes with
    every capacity × u (so flows spread over alternatives before a bottleneck is exactly full):
    the demand ÷ u is assigned and the path flows × u are kept, which is the same linear program.
``cheapest``
    All or nothing: each flow's whole volume on its cheapest path by the same generalized cost,
    ignoring capacity (:func:`corridor.capacity.cheapest_paths`) — what a shipper choosing alone
    would do, and what overloads a shared bottleneck.

Both leave out the links and nodes in ``demand.without`` (the assignment does so itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final, Protocol

from corridor.capacity import PathFlow, assign, cheapest_paths
from corridor.demand import DemandSet
from corridor.errors import NoRouteError
from corridor.network import Link, Network

ODKey = tuple[str, str, str]  # origin, destination, cargo

#: Paths with less than this share of their flow's volume are numerical noise of the LP; their
#: volume goes to the flow's largest path.
MIN_SHARE: Final = 1e-6


@dataclass(frozen=True, slots=True)
class Hop:
    """One link of a path in the direction travelled, and the service that carries it (or ``""``)."""

    link: Link
    forward: bool
    service: str = ""

    @property
    def tail(self) -> str:
        return self.link.from_id if self.forward else self.link.to_id

    @property
    def head(self) -> str:
        return self.link.to_id if self.forward else self.link.from_id


@dataclass(frozen=True)
class FlowPath:
    """One path of a flow and the annual volume on it (TEU or tonnes, as the flow)."""

    hops: tuple[Hop, ...]
    volume: float

    @property
    def nodes(self) -> tuple[str, ...]:
        return (self.hops[0].tail, *(h.head for h in self.hops)) if self.hops else ()


@dataclass(frozen=True)
class Admission:
    """What the booking step did with one flow's annual demand: ``carried`` is simulated,
    ``diverted_to`` (comparator id → volume) and ``not_moved`` are refused at the origin."""

    demand: float
    carried: float
    diverted_to: Mapping[str, float]
    not_moved: float

    @property
    def diverted(self) -> float:
        return float(sum(self.diverted_to.values()))


class RouteChoice(Protocol):
    """Splits every flow of a demand set across paths of the network."""

    @property
    def name(self) -> str: ...

    def routes(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> dict[ODKey, tuple[FlowPath, ...]]: ...

    def choose(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> tuple[dict[ODKey, tuple[FlowPath, ...]], dict[ODKey, Admission]]: ...


def _hops(network: Network, path: PathFlow) -> tuple[Hop, ...]:
    return tuple(
        Hop(network.link(lk), fwd, svc) for lk, fwd, svc in zip(path.links, path.forward, path.services, strict=True)
    )


def _collect(network: Network, paths: Iterable[PathFlow], volume: dict[ODKey, float]) -> dict[ODKey, list[FlowPath]]:
    """Path flows grouped by flow, equal paths merged, largest first, noise folded into the largest."""
    merged: dict[ODKey, dict[tuple[tuple[str, bool, str], ...], float]] = {}
    example: dict[tuple[tuple[str, bool, str], ...], PathFlow] = {}
    for p in paths:
        key = (p.origin, p.destination, p.cargo)
        sig = tuple(zip(p.links, p.forward, p.services, strict=True))
        by_path = merged.setdefault(key, {})
        by_path[sig] = by_path.get(sig, 0.0) + p.volume
        example.setdefault(sig, p)
    out: dict[ODKey, list[FlowPath]] = {}
    for key, by_path in merged.items():
        ranked = sorted(by_path.items(), key=lambda kv: (-kv[1], kv[0]))
        total = volume.get(key, sum(v for _, v in ranked))
        kept = [(sig, v) for sig, v in ranked if v >= MIN_SHARE * total] or ranked[:1]
        dropped = sum(v for _, v in ranked) - sum(v for _, v in kept)
        routes = [FlowPath(_hops(network, example[sig]), v) for sig, v in kept]
        routes[0] = FlowPath(routes[0].hops, routes[0].volume + dropped)
        out[key] = routes
    return out


def _volumes(demand: DemandSet) -> dict[ODKey, float]:
    volume: dict[ODKey, float] = {}
    for f in demand.flows:
        if f.volume > 0:
            key = (f.origin, f.destination, f.cargo)
            volume[key] = volume.get(key, 0.0) + f.volume
    return volume


def _no_route(key: ODKey) -> NoRouteError:
    origin, dest, cargo = key
    return NoRouteError(f"no path carries {cargo} from {origin!r} to {dest!r} (enabled links only)")


@dataclass(frozen=True)
class Assignment:
    """Split each flow as the capacity-constrained assignment does; unserved volume on the
    cheapest path (see the module docstring)."""

    name: str = "assignment"

    def routes(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> dict[ODKey, tuple[FlowPath, ...]]:
        return self.choose(network, demand, planning_utilisation)[0]

    def choose(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> tuple[dict[ODKey, tuple[FlowPath, ...]], dict[ODKey, Admission]]:
        volume = _volumes(demand)
        u = planning_utilisation
        result = assign(network, demand, growth=1.0 / u, max_growth=False)
        served = [replace(p, volume=p.volume * u) for p in result.paths] if u != 1.0 else list(result.paths)
        admission: dict[ODKey, Admission] = {}
        for od in result.ods:
            key = (od.origin, od.destination, od.cargo)
            if not od.routable and key in volume:
                raise _no_route(key)
            old = admission.get(key, Admission(0.0, 0.0, {}, 0.0))
            diverted = dict(old.diverted_to)
            for name, v in od.diverted_to.items():
                diverted[name] = diverted.get(name, 0.0) + v * u
            admission[key] = Admission(
                old.demand + od.demand * u, old.carried + od.served * u, diverted, old.not_moved + od.not_moved * u
            )
        carried = {k: a.carried for k, a in admission.items() if a.carried > MIN_SHARE * volume.get(k, 0.0)}
        grouped = _collect(network, served, carried)
        return {key: tuple(grouped[key]) for key in carried if key in grouped}, admission


@dataclass(frozen=True)
class Cheapest:
    """All or nothing on the cheapest path, ignoring capacity."""

    name: str = "cheapest"

    def routes(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> dict[ODKey, tuple[FlowPath, ...]]:
        return _finish(network, cheapest_paths(network, demand), _volumes(demand))

    def choose(
        self, network: Network, demand: DemandSet, planning_utilisation: float = 1.0
    ) -> tuple[dict[ODKey, tuple[FlowPath, ...]], dict[ODKey, Admission]]:
        """Everything admitted: no capacity is consulted."""
        routes = self.routes(network, demand, planning_utilisation)
        return routes, {k: Admission(v, v, {}, 0.0) for k, v in _volumes(demand).items()}


def _finish(
    network: Network, paths: Iterable[PathFlow], volume: dict[ODKey, float]
) -> dict[ODKey, tuple[FlowPath, ...]]:
    grouped = _collect(network, paths, volume)
    for key in volume:
        if key not in grouped:
            raise _no_route(key)
    return {key: tuple(grouped[key]) for key in volume}


ROUTE_CHOICES: Final[dict[str, RouteChoice]] = {c.name: c for c in (Assignment(), Cheapest())}
