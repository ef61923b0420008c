"""The network as arrays for the assignment: directed arcs with generalized costs, and capacity rows.

Each enabled link between enabled nodes becomes one directed arc per direction (two if
``bidirectional``).  A link that has services is crossed **only** through them: one arc per
service and direction, with the service's time, tariff and cargo classes.

Generalized cost of one unit (a TEU of containers, a tonne of bulk) on an arc::

    tariff of the service (else of the link)  +  charges at the arc's head node
    + value of time × (moving time + dwell at the head node)

Container tariffs are per FEU (halved per TEU); bulk per tonne.  When a link gives only one of
the two, the other is derived at ``DEFAULT_T_PER_TEU`` tonnes per TEU.  Node charges
(``handling_usd_per_teu + border_usd_per_teu``) are per TEU, and per ``DEFAULT_T_PER_TEU`` tonnes
for bulk.  Through-tariffs (``tariffs.csv``) are not used: they price a span, not an arc, and would
make the cost non-linear in arc flows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.capacity._capacity import (
    CAPACITY_UNITS,
    Capacity,
    link_capacities,
    node_capacities,
    service_capacities,
    service_cargo,
)
from corridor.errors import InputError
from corridor.network import Link, Network, Service
from corridor.units import (
    CARGO_CLASSES,
    DEFAULT_T_PER_TEU,
    HOURS_PER_DAY,
    TEU_PER_FEU,
    VALUE_OF_TIME_USD_PER_T_DAY,
    VALUE_OF_TIME_USD_PER_TEU_DAY,
)


@dataclass(frozen=True, slots=True)
class CostModel:
    """Prices that turn time and unserved demand into USD, so one objective can weigh them.

    The value of time is the project's one figure (:data:`corridor.units.VALUE_OF_TIME_USD_PER_TEU_DAY`,
    USD 5 per TEU-hour; bulk USD 0.01 per tonne-hour), so routing, assignment and appraisal agree.
    Unserved demand costs USD 10,000 per TEU and USD 1,000 per tonne: more than any corridor route
    (USD 2,500–5,500 per FEU door to door), so the assignment serves everything it can; a binding
    capacity's shadow price is then that penalty minus the cost of the route it would open.
    """

    value_of_time_usd_per_teu_h: float = VALUE_OF_TIME_USD_PER_TEU_DAY / HOURS_PER_DAY
    value_of_time_usd_per_t_h: float = VALUE_OF_TIME_USD_PER_T_DAY / HOURS_PER_DAY
    unserved_usd_per_teu: float = 10_000.0
    unserved_usd_per_t: float = 1_000.0

    def __post_init__(self) -> None:
        for name in (
            "value_of_time_usd_per_teu_h",
            "value_of_time_usd_per_t_h",
            "unserved_usd_per_teu",
            "unserved_usd_per_t",
        ):
            value = getattr(self, name)
            if not (np.isfinite(value) and value >= 0):
                raise InputError(f"cost model: {name} must be a finite number ≥ 0, got {value!r}")

    def unserved_usd(self, cargo: str) -> float:
        return self.unserved_usd_per_teu if cargo == "container" else self.unserved_usd_per_t


@dataclass(frozen=True)
class Arcs:
    """Directed arcs; ``cost_usd`` and ``cargo_ok`` have one row per cargo class."""

    tail: NDArray[np.intp]
    head: NDArray[np.intp]
    link: NDArray[np.intp]
    service: NDArray[np.intp]
    forward: NDArray[np.bool_]
    time_h: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    cargo_ok: NDArray[np.bool_]

    @property
    def count(self) -> int:
        return int(self.tail.size)


@dataclass(frozen=True)
class CapacityRows:
    """One row per capacity and direction: which arcs (link, service rows) or which node's
    throughput (node rows) it limits, in which unit, and its effective annual figure."""

    capacities: tuple[Capacity, ...]
    direction: tuple[str, ...]
    unit: NDArray[np.intp]
    cap: NDArray[np.float64]
    arc_row: NDArray[np.intp]
    arc_col: NDArray[np.intp]
    node_row: NDArray[np.intp]
    node_col: NDArray[np.intp]

    @property
    def count(self) -> int:
        return len(self.capacities)


def _tariffs(link: Link, service: Service | None) -> tuple[float, float]:
    """(USD per TEU, USD per tonne) for a link crossed by ``service``."""
    feu: float | None = link.tariff_usd_per_feu
    per_t: float | None = link.tariff_usd_per_t
    if service is not None and (service.tariff_usd_per_feu is not None or service.tariff_usd_per_t is not None):
        feu, per_t = service.tariff_usd_per_feu, service.tariff_usd_per_t
    per_teu = feu / TEU_PER_FEU if feu is not None else None
    if per_teu is None:
        per_teu = per_t * DEFAULT_T_PER_TEU if per_t is not None else 0.0
    if per_t is None:
        per_t = per_teu / DEFAULT_T_PER_TEU
    return per_teu, per_t


def build_arcs(network: Network, costs: CostModel) -> Arcs:
    """Directed arcs of the enabled network with per-class generalized costs."""
    n_classes = len(CARGO_CLASSES)
    node_charge = np.array([(n.handling_usd_per_teu or 0.0) + (n.border_usd_per_teu or 0.0) for n in network.nodes])
    node_dwell = np.array([n.dwell_h or 0.0 for n in network.nodes])
    enabled = np.array([n.enabled for n in network.nodes], dtype=bool)
    service_pos = {s.id: i for i, s in enumerate(network.services)}
    by_link: dict[str, list[Service]] = {}
    for svc in network.services:
        by_link.setdefault(svc.link_id, []).append(svc)

    tail: list[int] = []
    head: list[int] = []
    link_ix: list[int] = []
    service_ix: list[int] = []
    forward: list[bool] = []
    moving: list[float] = []
    tariff_teu: list[float] = []
    tariff_t: list[float] = []
    ok: list[list[bool]] = []
    for li, link in enumerate(network.links):
        u, v = network.node_position(link.from_id), network.node_position(link.to_id)
        if not (link.enabled and enabled[u] and enabled[v]):
            continue
        options: list[tuple[Service | None, float, frozenset[str]]]
        if link.id in by_link:
            options = [
                (svc, svc.sailing_h + svc.expected_wait_h, service_cargo(network, svc)) for svc in by_link[link.id]
            ]
        else:
            options = [(None, link.moving_time_h, link.allowed_cargo)]
        for option, hours, carried in options:
            per_teu, per_t = _tariffs(link, option)
            ends = [(u, v, True), (v, u, False)] if link.bidirectional else [(u, v, True)]
            for a, b, fwd in ends:
                tail.append(a)
                head.append(b)
                link_ix.append(li)
                service_ix.append(service_pos[option.id] if option is not None else -1)
                forward.append(fwd)
                moving.append(hours)
                tariff_teu.append(per_teu)
                tariff_t.append(per_t)
                ok.append([c in carried for c in CARGO_CLASSES])

    h = np.asarray(head, dtype=np.intp)
    time_h = np.asarray(moving, dtype=float) + node_dwell[h]
    cost = np.empty((n_classes, h.size))
    for ci, cls in enumerate(CARGO_CLASSES):
        if cls == "container":
            cost[ci] = np.asarray(tariff_teu) + node_charge[h] + costs.value_of_time_usd_per_teu_h * time_h
        else:
            cost[ci] = (
                np.asarray(tariff_t) + node_charge[h] / DEFAULT_T_PER_TEU + costs.value_of_time_usd_per_t_h * time_h
            )
    return Arcs(
        tail=np.asarray(tail, dtype=np.intp),
        head=h,
        link=np.asarray(link_ix, dtype=np.intp),
        service=np.asarray(service_ix, dtype=np.intp),
        forward=np.asarray(forward, dtype=bool),
        time_h=time_h,
        cost_usd=cost,
        cargo_ok=np.asarray(ok, dtype=bool).reshape(-1, n_classes).T.copy(),
    )


def build_capacity_rows(network: Network, arcs: Arcs) -> CapacityRows:
    """Capacity rows: node throughput (both directions together), link and service capacities per
    direction.  Capacities of disabled assets are left out."""
    caps: list[Capacity] = []
    direction: list[str] = []
    node_row: list[int] = []
    node_col: list[int] = []
    unit_index = {u: i for i, u in enumerate(CAPACITY_UNITS)}

    for ni, node in enumerate(network.nodes):
        if not node.enabled:
            continue
        for cap in node_capacities(network, node):
            node_row.append(len(caps))
            node_col.append(ni)
            caps.append(cap)
            direction.append("")

    # link and service rows: one per capacity and direction, keyed like the arcs they limit
    link_keys: list[int] = []
    service_keys: list[int] = []
    link_rows: list[int] = []
    service_rows: list[int] = []

    def add(found: list[Capacity], key: int, bidirectional: bool, keys: list[int], rows_of: list[int]) -> None:
        for cap in found:
            for back, label in ((0, "forward"), (1, "backward")):
                if back and not bidirectional:
                    continue
                keys.append(2 * key + back)
                rows_of.append(len(caps))
                caps.append(cap)
                direction.append(label)

    has_arcs = np.zeros(len(network.links), dtype=bool)
    has_arcs[arcs.link] = True
    for li, link in enumerate(network.links):
        if has_arcs[li]:
            add(link_capacities(network, link), li, link.bidirectional, link_keys, link_rows)
    serviced = np.zeros(len(network.services), dtype=bool)
    serviced[arcs.service[arcs.service >= 0]] = True
    for si, svc in enumerate(network.services):
        if serviced[si]:
            found = service_capacities(network, svc)
            add(found, si, network.link(svc.link_id).bidirectional, service_keys, service_rows)

    back = (~arcs.forward).astype(np.intp)
    on_service = arcs.service >= 0
    pairs = [
        _join(np.asarray(link_keys), np.asarray(link_rows), 2 * arcs.link + back, np.arange(arcs.count)),
        _join(
            np.asarray(service_keys),
            np.asarray(service_rows),
            2 * arcs.service[on_service] + back[on_service],
            np.flatnonzero(on_service),
        ),
    ]
    arc_row = [p[0] for p in pairs]
    arc_col = [p[1] for p in pairs]

    return CapacityRows(
        capacities=tuple(caps),
        direction=tuple(direction),
        unit=np.asarray([unit_index[c.unit] for c in caps], dtype=np.intp),
        cap=np.asarray([c.effective_per_year for c in caps], dtype=float),
        arc_row=np.concatenate(arc_row) if arc_row else np.zeros(0, dtype=np.intp),
        arc_col=np.concatenate(arc_col) if arc_col else np.zeros(0, dtype=np.intp),
        node_row=np.asarray(node_row, dtype=np.intp),
        node_col=np.asarray(node_col, dtype=np.intp),
    )


def _join(
    row_keys: NDArray[np.intp], rows: NDArray[np.intp], arc_keys: NDArray[np.intp], arc_ids: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """(row, arc) pairs for every arc whose key equals a row's key (several rows may share a key)."""
    if row_keys.size == 0 or arc_keys.size == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    order = np.argsort(arc_keys, kind="stable")
    sorted_keys = arc_keys[order]
    start = np.searchsorted(sorted_keys, row_keys, side="left")
    stop = np.searchsorted(sorted_keys, row_keys, side="right")
    counts = stop - start
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(start, counts)
    return np.repeat(rows, counts).astype(np.intp), arc_ids[order[offsets]].astype(np.intp)
