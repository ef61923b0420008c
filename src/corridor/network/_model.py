"""The corridor as data: nodes, links, services, closures, through-tariffs, sources, and the
:class:`Network` that holds them, frozen and indexed.

Records are built whole and never mutated; a scenario makes a new network with
:func:`dataclasses.replace`.  Cross-references (link endpoints, service links, closure targets)
are checked when a :class:`Network` is constructed, so every network in memory is consistent.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any, Final

from corridor.errors import DataError, Problem, UnknownNameError
from corridor.units import CARGO_CLASSES, DEFAULT_SPEED_KM_PER_H

NODE_KINDS: Final = ("terminal", "port", "border", "gauge_change", "junction", "hub")
MODES: Final = ("rail", "road", "sea", "ferry", "pipeline")
SERVICE_KINDS: Final = ("ferry", "feeder", "block_train", "tanker", "liner")
DEPARTURE_RULES: Final = ("fill_or_timeout", "schedule", "on_demand")
SOURCE_KINDS: Final = ("published", "estimate")
TRACTIONS: Final = ("electric", "diesel", "hfo", "mgo", "lng", "pipeline")


@dataclass(frozen=True, slots=True)
class Source:
    """Where numbers come from: a document we read, or an estimate with its reasoning."""

    id: str
    kind: str
    title: str
    publisher: str = ""
    year: int | None = None
    url: str = ""
    note: str = ""

    @property
    def is_estimate(self) -> bool:
        return self.kind == "estimate"


@dataclass(frozen=True, slots=True)
class Node:
    """A place on the corridor: terminal, port, border crossing, gauge-change yard, junction."""

    id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    border: bool = False
    dwell_h: float | None = None
    dwell_p90_h: float | None = None
    handling_usd_per_teu: float | None = None
    border_usd_per_teu: float | None = None
    capacity_teu_per_year: float | None = None
    capacity_t_per_year: float | None = None
    capacity_trains_per_day: float | None = None
    operator: str = ""
    enabled: bool = True
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_border(self) -> bool:
        return self.kind == "border" or self.border

    @property
    def is_gauge_change(self) -> bool:
        return self.kind == "gauge_change"


@dataclass(frozen=True, slots=True)
class Link:
    """A leg between two nodes by one mode.  ``from_id``/``to_id`` are the CSV's ``from``/``to``."""

    id: str
    from_id: str
    to_id: str
    mode: str
    distance_km: float
    time_h: float | None = None
    time_p90_h: float | None = None
    speed_km_per_h: float | None = None
    gauge_mm: int | None = None
    capacity_teu_per_year: float | None = None
    capacity_t_per_year: float | None = None
    capacity_trains_per_day: float | None = None
    operator: str = ""
    country: str = ""
    bidirectional: bool = True
    tariff_usd_per_feu: float | None = None
    tariff_low_usd_per_feu: float | None = None
    tariff_high_usd_per_feu: float | None = None
    tariff_usd_per_t: float | None = None
    traction: str = ""
    vessel: str = ""
    cargo: frozenset[str] = frozenset()
    service: str = ""
    enabled: bool = True
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def moving_time_h(self) -> float:
        """Typical time under way: ``time_h``, else distance over speed (or the mode's default)."""
        if self.time_h is not None:
            return self.time_h
        speed = self.speed_km_per_h or DEFAULT_SPEED_KM_PER_H[self.mode]
        return self.distance_km / speed

    @property
    def allowed_cargo(self) -> frozenset[str]:
        """Cargo classes the link carries; pipelines default to liquid only."""
        if self.cargo:
            return self.cargo
        return frozenset({"liquid"}) if self.mode == "pipeline" else frozenset(CARGO_CLASSES)


@dataclass(frozen=True, slots=True)
class Service:
    """A ferry or feeder line, block train or tanker service running on one link."""

    id: str
    name: str
    link_id: str
    kind: str
    fleet: int
    sailing_h: float
    departure: str
    capacity_teu: float | None = None
    capacity_t: float | None = None
    capacity_wagons: float | None = None
    return_h: float | None = None
    port_h: float | None = None
    max_wait_h: float | None = None
    fill_share: float | None = None
    headway_h: float | None = None
    operator: str = ""
    tariff_usd_per_feu: float | None = None
    tariff_low_usd_per_feu: float | None = None
    tariff_high_usd_per_feu: float | None = None
    tariff_usd_per_t: float | None = None
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def departure_window_h(self) -> float:
        """The longest wait for a departure with no other cargo about: the timeout of a
        fill-or-timeout service, the headway of a scheduled one, 0 on demand.  Routing times the
        wait as uniform up to it on an empty network."""
        if self.departure == "fill_or_timeout":
            return self.max_wait_h or 0.0
        if self.departure == "schedule":
            return self.headway_h or 0.0
        return 0.0

    @property
    def expected_wait_h(self) -> float:
        """Mean wait for a departure with no other cargo about: half :attr:`departure_window_h`,
        as routing and CALIBRATION.md's path sums count it.  The port time alongside
        (``port_h``) is the vessel's, not the cargo's (the ports' dwells cover handling), so no
        path time counts it."""
        return self.departure_window_h / 2.0

    @property
    def cycle_h(self) -> float:
        """One round trip of one vessel: sail, call, return, call."""
        port = self.port_h or 0.0
        back = self.return_h if self.return_h is not None else self.sailing_h
        return self.sailing_h + back + 2.0 * port


@dataclass(frozen=True, slots=True)
class Closure:
    """Seasonal closure statistics of a node or link (alternating open/closed process)."""

    id: str
    target: str
    months: frozenset[int]
    closed_share: float
    episode_mean_h: float
    episode_min_h: float | None = None
    episode_max_h: float | None = None
    cause: str = ""
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Tariff:
    """A through-tariff over the span ``from_id`` → ``to_id`` replacing the lines it covers."""

    id: str
    name: str
    from_id: str
    to_id: str
    cargo: frozenset[str] = frozenset({"container"})
    amount_usd_per_feu: float | None = None
    amount_low_usd_per_feu: float | None = None
    amount_high_usd_per_feu: float | None = None
    amount_usd_per_t: float | None = None
    operator: str = ""
    enabled: bool = True
    note: str = ""
    provenance: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


def _index(records: Iterable[Node | Link | Service | Closure | Tariff | Source]) -> dict[str, int]:
    return {r.id: i for i, r in enumerate(records)}


@dataclass(frozen=True)
class Network:
    """A validated corridor network.  Build with :func:`corridor.load_network` or directly."""

    name: str
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    services: tuple[Service, ...] = ()
    closures: tuple[Closure, ...] = ()
    tariffs: tuple[Tariff, ...] = ()
    sources: tuple[Source, ...] = ()
    version: str = ""
    description: str = ""
    _node_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _link_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _service_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _names: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _latin_names: Mapping[str, str] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        for attr in ("nodes", "links", "services", "closures", "tariffs", "sources"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        self._build_indexes()
        problems = check_references(self.nodes, self.links, self.services, self.closures, self.tariffs, self.sources)
        if problems:
            raise DataError(f"network {self.name!r} is inconsistent", problems)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickling (the parsed-network cache): the records only; indexes are rebuilt, checks not rerun."""
        return (_restore_network, tuple(getattr(self, f.name) for f in fields(self) if f.init))

    def _build_indexes(self) -> None:
        object.__setattr__(self, "_node_index", MappingProxyType(_index(self.nodes)))
        object.__setattr__(self, "_link_index", MappingProxyType(_index(self.links)))
        object.__setattr__(self, "_service_index", MappingProxyType(_index(self.services)))
        names: dict[str, str] = {}
        for node in self.nodes:
            for key in (node.id, node.name, *node.aliases):
                names.setdefault(key.casefold(), node.id)
        object.__setattr__(self, "_names", MappingProxyType(names))

    # --- lookup -------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        """The node with this id (exact); see :meth:`resolve` for names and aliases."""
        try:
            return self.nodes[self._node_index[node_id]]
        except KeyError:
            raise UnknownNameError("node", node_id, self._suggest(node_id)) from None

    def link(self, link_id: str) -> Link:
        try:
            return self.links[self._link_index[link_id]]
        except KeyError:
            close = difflib.get_close_matches(link_id, list(self._link_index), n=3)
            raise UnknownNameError("link", link_id, close) from None

    def service(self, service_id: str) -> Service:
        try:
            return self.services[self._service_index[service_id]]
        except KeyError:
            close = difflib.get_close_matches(service_id, list(self._service_index), n=3)
            raise UnknownNameError("service", service_id, close) from None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._node_index

    def has_link(self, link_id: str) -> bool:
        return link_id in self._link_index

    def node_position(self, node_id: str) -> int:
        """Index of a node in :attr:`nodes` (for array-based engines)."""
        return self._node_index[node_id]

    def resolve(self, name: str) -> Node:
        """A node by id, name or alias, case-insensitively or transliterated (Кашгар, 喀什 → Kashgar).

        Unknown names get suggestions above a similarity threshold; coordinates (``"41.3,69.2"``) or a
        name with no close match say "not in this network" and, for coordinates, list the nearest places.
        """
        from corridor.network import _places

        node_id = self._names.get(name.strip().casefold())
        if node_id is None:
            node_id = self._latin().get(_places.latin(name))
        if node_id is None:
            where = _places.coordinates(name)
            if where is not None:
                near = sorted(self.nodes, key=lambda n: _places.km_between(where, (n.lat, n.lon)))[:3]
                raise UnknownNameError(
                    "place (these coordinates are not a network place; nearest by great-circle distance)",
                    name,
                    [f"{n.name} ({n.id}, {_places.km_between(where, (n.lat, n.lon)):,.0f} km)" for n in near],
                )
            suggestions = self._suggest(name)
            kind = "place" if suggestions else f"place (not in network {self.name!r})"
            raise UnknownNameError(kind, name, suggestions)
        return self.node(node_id)

    def _latin(self) -> Mapping[str, str]:
        from corridor.network import _places

        cached: Mapping[str, str] | None = getattr(self, "_latin_names", None)
        if cached is None:
            cached = MappingProxyType(_places.latin_index(self._names))
            object.__setattr__(self, "_latin_names", cached)
        return cached

    def _suggest(self, name: str) -> list[str]:
        from corridor.network import _places

        index = self._latin()
        seen: list[str] = []
        for key in _places.similar(name, index):
            node = self.nodes[self._node_index[index[key]]]
            label = f"{node.name} ({node.id})"
            if label not in seen:
                seen.append(label)
        return seen

    def source(self, source_id: str) -> Source:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise UnknownNameError("source", source_id)

    def without(self, ids: Iterable[str]) -> Network:
        """This network with the given links and nodes disabled (unknown ids raise with suggestions)."""
        links, nodes = set(), set()
        for asset in ids:
            if asset in self._link_index:
                links.add(asset)
            elif asset in self._node_index:
                nodes.add(asset)
            else:
                known = [*self._link_index, *self._node_index]
                raise UnknownNameError("link or node", asset, difflib.get_close_matches(asset, known, n=3))
        if not links and not nodes:
            return self
        return replace(
            self,
            nodes=tuple(replace(n, enabled=False) if n.id in nodes else n for n in self.nodes),
            links=tuple(replace(lk, enabled=False) if lk.id in links else lk for lk in self.links),
        )

    def closures_of(self, target: str) -> tuple[Closure, ...]:
        return tuple(c for c in self.closures if c.target == target)

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({n.country for n in self.nodes}))


def _restore_network(*values: Any) -> Network:
    """A pickled :class:`Network` back, without re-running the checks it passed when first built."""
    net = object.__new__(Network)
    for f, value in zip((f for f in fields(Network) if f.init), values, strict=True):
        object.__setattr__(net, f.name, value)
    net._build_indexes()
    return net


def prechecked_network(**values: Any) -> Network:
    """A :class:`Network` of records whose references the caller (the loader) has just checked."""
    return _restore_network(*(values[f.name] for f in fields(Network) if f.init))


def check_references(
    nodes: tuple[Node, ...],
    links: tuple[Link, ...],
    services: tuple[Service, ...] = (),
    closures: tuple[Closure, ...] = (),
    tariffs: tuple[Tariff, ...] = (),
    sources: tuple[Source, ...] = (),
    *,
    present: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Problems with references between records (duplicates, dangling ids, gauge breaks).

    ``present`` maps a table (``"nodes"``) to ids that exist in its file although their records
    failed their own checks: a reference to one is not dangling (its own problem is reported)."""
    problems: list[Problem] = []
    tables: tuple[tuple[str, tuple[Node | Link | Service | Closure | Tariff | Source, ...]], ...] = (
        ("nodes", nodes),
        ("links", links),
        ("services", services),
        ("closures", closures),
        ("tariffs", tariffs),
        ("sources", sources),
    )
    problems += _duplicate_ids(tables)
    extra = present or {}
    node_ids = {n.id for n in nodes} | set(extra.get("nodes", ()))
    link_ids = {lk.id for lk in links} | set(extra.get("links", ()))
    service_ids = {s.id for s in services} | set(extra.get("services", ()))

    def dangling(file: str, kind: str, rec_id: str, col: str, ref: str, message: str, expected: str) -> Problem:
        return Problem(file, f"{kind} {rec_id!r}: {message}", field=col, record=rec_id, expected=expected, got=ref)

    for lk in links:
        for col, ref in (("from", lk.from_id), ("to", lk.to_id)):
            if ref not in node_ids:
                problems.append(
                    dangling(
                        "links.csv", "link", lk.id, col, ref, f"{col} node {ref!r} is not in nodes.csv", "nodes.csv"
                    )
                )
        if lk.service and lk.service not in service_ids:
            problems.append(
                dangling(
                    "links.csv", "link", lk.id, "service", lk.service,
                    f"service {lk.service!r} is not in services.csv", "services.csv",
                )
            )  # fmt: skip
    for svc in services:
        if svc.link_id not in link_ids:
            problems.append(
                dangling(
                    "services.csv", "service", svc.id, "link", svc.link_id,
                    f"link {svc.link_id!r} is not in links.csv", "links.csv",
                )
            )  # fmt: skip
    for cl in closures:
        if cl.target not in node_ids and cl.target not in link_ids:
            problems.append(
                dangling(
                    "closures.csv", "closure", cl.id, "target", cl.target,
                    f"target {cl.target!r} is neither a node nor a link", "nodes.csv or links.csv",
                )
            )  # fmt: skip
    for tf in tariffs:
        for col, ref in (("from", tf.from_id), ("to", tf.to_id)):
            if ref not in node_ids:
                problems.append(
                    dangling(
                        "tariffs.csv", "tariff", tf.id, col, ref, f"{col} node {ref!r} is not in nodes.csv", "nodes.csv"
                    )
                )
    problems.extend(check_gauges(nodes, links))
    return problems


def check_gauges(nodes: Iterable[Node], links: Iterable[Link]) -> list[Problem]:
    """Rail gauge must agree across every node that is not a gauge-change node."""
    gauges: dict[str, dict[int, str]] = {}
    for lk in links:
        if lk.mode != "rail" or lk.gauge_mm is None:
            continue
        for end in (lk.from_id, lk.to_id):
            gauges.setdefault(end, {}).setdefault(lk.gauge_mm, lk.id)
    problems = []
    for node in nodes:
        seen = gauges.get(node.id, {})
        if len(seen) > 1 and not node.is_gauge_change:
            detail = ", ".join(f"{g} mm ({lid})" for g, lid in sorted(seen.items()))
            problems.append(
                Problem(
                    "links.csv",
                    f"gauge mismatch at node {node.id!r}, which is not a gauge_change node: {detail}",
                    field="gauge_mm",
                    record=seen[min(seen)],
                    expected="one gauge at a node that is not a gauge_change node",
                    got=node.id,
                )
            )
    return problems


def _duplicate_ids(
    tables: tuple[tuple[str, tuple[Node | Link | Service | Closure | Tariff | Source, ...]], ...],
) -> list[Problem]:
    """Ids used twice in one table; ids are looked up case-insensitively (resolve), so they must be
    unique that way too."""
    problems: list[Problem] = []
    for table, records in tables:
        seen: dict[str, str] = {}
        for rec in records:
            first = seen.get(rec.id.casefold())
            if first is None:
                seen[rec.id.casefold()] = rec.id
            else:
                same = "" if first == rec.id else f" (ids are case-insensitive: {first!r} is already used)"
                problems.append(
                    Problem(
                        f"{table}.csv",
                        f"duplicate id {rec.id!r}{same}",
                        field="id",
                        record=rec.id,
                        expected="an id unique in its table, ignoring case",
                        got=rec.id,
                    )
                )
    return problems
