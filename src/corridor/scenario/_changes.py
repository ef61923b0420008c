"""What a scenario can change, one small class per kind of change.

Every change is a frozen record with ``apply(overlay) -> overlay``: it returns a new
:class:`Overlay` (network, demand, dated disruptions) built with :func:`dataclasses.replace` and
never touches the one it was given.  A change that names an asset the network does not have
raises :class:`ChangeFailed` carrying the scenario file and line; :func:`apply_changes` collects
every such problem and raises once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from corridor.demand import DemandSet, Flow
from corridor.errors import DataError, Problem, UnknownNameError
from corridor.network import Closure, Network, Source
from corridor.network.tables import Column, check_limits
from corridor.units import HOURS_PER_DAY

#: Record kinds a change can address, and the network attribute holding them.
ASSET_TABLES: Mapping[str, str] = {
    "node": "nodes",
    "link": "links",
    "service": "services",
    "closure": "closures",
    "tariff": "tariffs",
}


@dataclass(frozen=True)
class Where:
    """The scenario file and line a change came from."""

    file: str
    line: int | None = None

    def problem(self, message: str, column: str | None = None) -> Problem:
        return Problem(self.file, message, line=self.line, column=column)


@dataclass(frozen=True)
class Disruption:
    """A dated closure of a node or link, ``start`` to ``end`` inclusive (UTC dates)."""

    target: str
    start: dt.date
    end: dt.date
    cause: str = ""
    note: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "cause": self.cause,
        }


@dataclass(frozen=True)
class Overlay:
    """What changes act on: the network, the demand and the dated disruptions so far."""

    network: Network
    demand: DemandSet
    disruptions: tuple[Disruption, ...] = ()


class ChangeFailed(Exception):
    """A change could not be applied; ``problem`` says where and why."""

    def __init__(self, problem: Problem, unknown: UnknownNameError | None = None) -> None:
        super().__init__(str(problem))
        self.problem = problem
        self.unknown = unknown


class Change(Protocol):
    """One change of a scenario."""

    @property
    def where(self) -> Where: ...

    @property
    def source(self) -> str: ...

    def apply(self, overlay: Overlay) -> Overlay: ...

    def describe(self) -> str: ...


def _records(network: Network, kind: str) -> tuple[Any, ...]:
    records: tuple[Any, ...] = getattr(network, ASSET_TABLES[kind])
    return records


def resolve_id(network: Network, kind: str, name: str, where: Where) -> str:
    """The id of the ``kind`` record called ``name`` (nodes also by name or alias)."""
    ids = [r.id for r in _records(network, kind)]
    if name in ids:
        return name
    if kind == "node":
        try:
            return network.resolve(name).id
        except UnknownNameError as exc:
            raise ChangeFailed(where.problem(str(exc), kind), exc) from None
    unknown = UnknownNameError(kind, name, difflib.get_close_matches(name, ids, n=3, cutoff=0.5))
    raise ChangeFailed(where.problem(str(unknown), kind), unknown)


def _replace_record(network: Network, kind: str, new: Any) -> Network:
    attr = ASSET_TABLES[kind]
    records = tuple(new if r.id == new.id else r for r in _records(network, kind))
    return _rebuild(network, **{attr: records})


def _rebuild(network: Network, **tables: Any) -> Network:
    try:
        return replace(network, **tables)
    except DataError as exc:
        raise ChangeFailed(Problem("", "; ".join(p.message for p in exc.problems) or str(exc))) from None


def _with_provenance(record: Any, fields: list[str], source: str) -> dict[str, Any]:
    if not source:
        return {}
    return {"provenance": {**record.provenance, **dict.fromkeys(fields, source)}}


def _check(column: Column, value: Any, where: Where, target: str) -> None:
    limit = check_limits(column, value)
    if limit:
        raise ChangeFailed(where.problem(f"{target}: {column.name} {limit}", column.name))


@dataclass(frozen=True)
class SetValues:
    """``set``: give fields of one or more records new values (``enabled: true`` switches on)."""

    kind: str
    targets: tuple[str, ...]
    values: Mapping[str, Any]
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        for name in _expand(network, self.kind, self.targets):
            rec_id = resolve_id(network, self.kind, name, self.where)
            old = next(r for r in _records(network, self.kind) if r.id == rec_id)
            new = replace(old, **self.values, **_with_provenance(old, list(self.values), self.source))
            network = _swap(network, self.kind, new, self.where)
        return replace(overlay, network=network)

    def describe(self) -> str:
        vals = ", ".join(f"{k}={_show(v)}" for k, v in self.values.items())
        return f"set {self.kind} {', '.join(self.targets)}: {vals}"


@dataclass(frozen=True)
class Arithmetic:
    """``add`` (``op="add"``) or ``scale`` (``op="scale"``) numeric fields of records."""

    op: str
    kind: str
    targets: tuple[str, ...]
    values: Mapping[str, float]
    columns: Mapping[str, Column] = field(default_factory=dict)
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        for name in _expand(network, self.kind, self.targets):
            rec_id = resolve_id(network, self.kind, name, self.where)
            old = next(r for r in _records(network, self.kind) if r.id == rec_id)
            updates: dict[str, Any] = {}
            for fld, amount in self.values.items():
                current = getattr(old, fld)
                if current is None:
                    if self.op == "scale":
                        continue
                    raise ChangeFailed(
                        self.where.problem(f"{self.kind} {rec_id!r} has no {fld} to add to; use 'set'", fld)
                    )
                value = current + amount if self.op == "add" else current * amount
                if isinstance(current, int) and not isinstance(current, bool):
                    value = round(value)
                if fld in self.columns:
                    _check(self.columns[fld], value, self.where, f"{self.kind} {rec_id!r}")
                updates[fld] = value
            new = replace(old, **updates, **_with_provenance(old, list(updates), self.source))
            network = _swap(network, self.kind, new, self.where)
        return replace(overlay, network=network)

    def describe(self) -> str:
        sign = "+" if self.op == "add" else "×"
        vals = ", ".join(f"{k} {sign}{_show(v)}" for k, v in self.values.items())
        return f"{self.op} {self.kind} {', '.join(self.targets)}: {vals}"


@dataclass(frozen=True)
class AddVessels:
    """``add_vessels``: more vessels or train sets on a service; capacity per sailing becomes the
    fleet-weighted mean, so capacity per round trip of the whole fleet is exact."""

    service: str
    vessels: int
    capacity_teu: float | None = None
    capacity_t: float | None = None
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        sid = resolve_id(network, "service", self.service, self.where)
        old = network.service(sid)
        fleet = old.fleet + self.vessels
        if fleet <= 0:
            raise ChangeFailed(self.where.problem(f"service {sid!r} would have {fleet} vessels", "vessels"))
        updates: dict[str, Any] = {"fleet": fleet}
        for fld, per_new in (("capacity_teu", self.capacity_teu), ("capacity_t", self.capacity_t)):
            current = getattr(old, fld)
            if per_new is None:
                continue
            if current is None:
                updates[fld] = per_new
            else:
                updates[fld] = (current * old.fleet + per_new * self.vessels) / fleet
        new = replace(old, **updates, **_with_provenance(old, list(updates), self.source))
        return replace(overlay, network=_swap(network, "service", new, self.where))

    def describe(self) -> str:
        each = f" of {self.capacity_teu:g} TEU" if self.capacity_teu else ""
        return f"add {self.vessels:+d} vessels{each} to service {self.service}"


@dataclass(frozen=True)
class NewRecord:
    """``new_node``, ``new_link``, ``new_service``, ``new_closure``, ``new_tariff``: add a record."""

    kind: str
    record: Any
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        if any(r.id == self.record.id for r in _records(network, self.kind)):
            raise ChangeFailed(
                self.where.problem(f"{self.kind} {self.record.id!r} already exists; use 'set' to change it", "id")
            )
        attr = ASSET_TABLES[self.kind]
        tables = {attr: (*_records(network, self.kind), self.record)}
        return replace(overlay, network=_with_where(self.where, lambda: _rebuild(network, **tables)))

    def describe(self) -> str:
        return f"new {self.kind} {self.record.id}"


@dataclass(frozen=True)
class Growth:
    """``growth``: multiply demand volumes (optionally of one cargo class, origin or destination)."""

    factor: float
    cargo: str = ""
    origin: str = ""
    destination: str = ""
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        origin = resolve_id(network, "node", self.origin, self.where) if self.origin else ""
        dest = resolve_id(network, "node", self.destination, self.where) if self.destination else ""

        def grow(f: Flow) -> Flow:
            if (self.cargo and f.cargo != self.cargo) or (origin and f.origin != origin):
                return f
            if dest and f.destination != dest:
                return f
            return replace(
                f,
                volume_teu_per_year=None if f.volume_teu_per_year is None else f.volume_teu_per_year * self.factor,
                volume_t_per_year=None if f.volume_t_per_year is None else f.volume_t_per_year * self.factor,
            )

        demand = replace(overlay.demand, flows=tuple(grow(f) for f in overlay.demand.flows))
        return replace(overlay, demand=demand)

    def describe(self) -> str:
        scope = " ".join(p for p in (self.cargo, self.origin and f"from {self.origin}", self.destination) if p)
        return f"demand ×{self.factor:g}" + (f" ({scope})" if scope else "")


@dataclass(frozen=True)
class NewFlow:
    """``new_flow``: add an origin–destination flow."""

    flow: Flow
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        flow = replace(
            self.flow,
            origin=resolve_id(network, "node", self.flow.origin, self.where),
            destination=resolve_id(network, "node", self.flow.destination, self.where),
        )
        return replace(overlay, demand=replace(overlay.demand, flows=(*overlay.demand.flows, flow)))

    def describe(self) -> str:
        return f"new flow {self.flow.origin}→{self.flow.destination} {self.flow.volume:g} {self.flow.unit}/yr"


@dataclass(frozen=True)
class DatedClosure:
    """``closure``: a node or link closed from ``start`` to ``end`` (inclusive).

    The network gets one :class:`~corridor.network.Closure` per calendar month touched, with
    ``closed_share`` = closed days / days in the month and one episode of exactly the closed
    length, so engines that read seasonal closures see it; the dated :class:`Disruption` is kept
    too for engines that run on a calendar.
    """

    target: str
    start: dt.date
    end: dt.date
    cause: str = ""
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        network = overlay.network
        try:
            target = resolve_id(network, "node", self.target, self.where)
        except ChangeFailed as node_failure:
            if not network.has_link(self.target):
                raise node_failure from None
            target = self.target
        closures = list(network.closures)
        day = self.start
        while day <= self.end:
            last = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
            stop = min(last, self.end)
            days = (stop - day).days + 1
            hours = days * HOURS_PER_DAY
            cid = f"{target}-closed-{day.isoformat()}"
            taken = {c.id for c in closures}
            n = 1
            while cid in taken:
                n += 1
                cid = f"{target}-closed-{day.isoformat()}-{n}"
            closures.append(
                Closure(
                    id=cid,
                    target=target,
                    months=frozenset({day.month}),
                    closed_share=min(days / last.day, 0.99),
                    episode_mean_h=hours,
                    episode_min_h=hours,
                    episode_max_h=hours,
                    cause=self.cause or "disruption",
                    note=f"dated closure {self.start.isoformat()}..{self.end.isoformat()}",
                    provenance=dict.fromkeys(("closed_share", "episode_mean_h"), self.source) if self.source else {},
                )
            )
            day = stop + dt.timedelta(days=1)
        disruption = Disruption(target, self.start, self.end, self.cause)
        net = _with_where(self.where, lambda: _rebuild(network, closures=tuple(closures)))
        return replace(overlay, network=net, disruptions=(*overlay.disruptions, disruption))

    def describe(self) -> str:
        days = (self.end - self.start).days + 1
        return f"{self.target} closed {self.start.isoformat()}..{self.end.isoformat()} ({days} d)"


@dataclass(frozen=True)
class AddSources:
    """Sources a scenario defines itself (its ``sources:`` list and ``estimate:`` reasons)."""

    sources: tuple[Source, ...]
    source: str = ""
    where: Where = Where("")

    def apply(self, overlay: Overlay) -> Overlay:
        have = {s.id for s in overlay.network.sources}
        extra = tuple(s for s in self.sources if s.id not in have)
        if not extra:
            return overlay
        return replace(overlay, network=replace(overlay.network, sources=(*overlay.network.sources, *extra)))

    def describe(self) -> str:
        return ""  # bookkeeping, not a change a reader needs to see


def _expand(network: Network, kind: str, targets: tuple[str, ...]) -> tuple[str, ...]:
    if targets == ("*",):
        return tuple(r.id for r in _records(network, kind))
    return targets


def _swap(network: Network, kind: str, new: Any, where: Where) -> Network:
    return _with_where(where, lambda: _replace_record(network, kind, new))


def _with_where(where: Where, build: Any) -> Network:
    try:
        network: Network = build()
    except ChangeFailed as exc:
        if exc.problem.file:
            raise
        raise ChangeFailed(where.problem(f"the change makes the network inconsistent: {exc.problem.message}")) from None
    return network


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, frozenset | tuple):
        return ";".join(str(v) for v in sorted(value))
    return str(value)


def apply_changes(
    changes: tuple[Change, ...], network: Network, demand: DemandSet, disruptions: tuple[Disruption, ...] = ()
) -> Overlay:
    """Apply ``changes`` in order to ``network`` and ``demand`` (and the ``disruptions`` so far);
    what was given is left as it was.

    Raises
    ------
    UnknownNameError
        A change names an asset the network does not have (``.problems`` lists every such change
        with its file and line).
    DataError
        A change cannot be applied (an addition to a missing value, a duplicate new id, a new link
        to a node that does not exist…).
    """
    overlay = Overlay(network, demand, disruptions)
    problems: list[Problem] = []
    unknown: UnknownNameError | None = None
    for change in changes:
        try:
            overlay = change.apply(overlay)
        except ChangeFailed as exc:
            problems.append(exc.problem)
            unknown = unknown or exc.unknown
    if unknown is not None:
        err = UnknownNameError(unknown.kind, unknown.name, unknown.suggestions)
        err.problems = tuple(problems)
        raise err
    if problems:
        raise DataError(f"the scenario cannot be applied ({len(problems)} problem(s))", problems)
    return overlay
