"""Turning a searched path into a :class:`~corridor.routing.result.Route`: legs, stops, the
itemised quote, the emissions of every transport chain element and the time breakdown.

Prices (USD): containers are priced per FEU for line-haul and freight (``tariff_usd_per_feu`` ×
FEU) and per TEU at nodes (``handling_usd_per_teu``, ``border_usd_per_teu``) at every node of the
path, origin and destination included.  Bulk is priced per tonne; where the data give only
container prices they are converted at 10 t per TEU and the line is flagged as an estimate.  A
through-tariff replaces the line-haul and freight lines of the span it covers (node charges stay).
A line is an ``estimate`` when the number it uses cites an estimate, or cites nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from corridor.network import Link, Node, Service, Tariff
from corridor.routing._graph import RoutingGraph, line_price
from corridor.routing._queueing import Queueing
from corridor.routing._search import Path
from corridor.routing._timing import node_stage, timeline
from corridor.routing.emissions import chain_elements
from corridor.routing.result import CostLine, Footprint, Leg, Quote, Route, RouteTime, Stop
from corridor.routing.shipment import Shipment
from corridor.units import DEFAULT_T_PER_TEU, T_PER_FEU

#: Spread of an estimated rate that the data give as one number (sources.csv: est-tariff-alloc).
ESTIMATE_LOW: Final = 0.6
ESTIMATE_HIGH: Final = 1.6


def _estimate(kinds: Mapping[str, bool], record: Node | Link | Service | Tariff, fld: str) -> bool:
    sid = record.provenance.get(fld)
    return True if sid is None else kinds.get(sid, True)


def _node_lines(kinds: Mapping[str, bool], node: Node, shipment: Shipment, teu: float) -> list[CostLine]:
    lines = []
    container = shipment.cargo == "container"
    for fld, item in (
        ("handling_usd_per_teu", "gauge_change" if node.is_gauge_change else "terminal_handling"),
        ("border_usd_per_teu", "border"),
    ):
        rate = getattr(node, fld)
        if not rate:
            continue
        if container:
            amount, basis, est = rate * teu, f"{teu:g} TEU × {rate:,.0f} USD/TEU", False
        elif shipment.cargo == "liquid":
            # a container terminal's per-TEU rate says nothing about pumping crude: say so, do not guess
            lines.append(
                CostLine(item, 0.0, 0.0, 0.0, node.operator, node.country, True, node.id,
                         "not priced: no liquid-bulk rate in the data (only a per-TEU container rate)", True)
            )  # fmt: skip
            continue
        else:
            per_t = rate / DEFAULT_T_PER_TEU
            amount, basis, est = (
                per_t * shipment.tonnes,
                f"{shipment.tonnes:,.0f} t × {per_t:,.2f} USD/t (per-TEU rate / 10 t)",
                True,
            )
        lines.append(
            CostLine(
                item,
                amount,
                amount,
                amount,
                node.operator,
                node.country,
                est or _estimate(kinds, node, fld),
                node.id,
                basis,
            )
        )
    return lines


def _link_line(
    kinds: Mapping[str, bool], link: Link, service: Service | None, shipment: Shipment, feu: float
) -> CostLine:
    mid, low, high, per_t = line_price(link, service)
    rec: Link | Service = (
        service if service is not None and (service.tariff_usd_per_feu or service.tariff_usd_per_t) else link
    )
    item = (
        "ferry_freight"
        if link.mode in ("sea", "ferry")
        else ("pipeline_tariff" if link.mode == "pipeline" else "line_haul")
    )
    operator = (service.operator if service is not None and service.operator else "") or link.operator
    if shipment.cargo == "container":
        if mid is None:
            return CostLine(item, 0.0, 0.0, 0.0, operator, link.country, True, link.id,
                            "not priced: no container tariff in the data", True)  # fmt: skip
        lo = low if low is not None else mid
        hi = high if high is not None else mid
        return CostLine(
            item, mid * feu, lo * feu, hi * feu, operator, link.country,
            _estimate(kinds, rec, "tariff_usd_per_feu"), link.id, f"{feu:g} FEU × {mid:,.0f} USD/FEU",
        )  # fmt: skip
    tonnes = shipment.tonnes
    if per_t is not None:
        amount = per_t * tonnes
        est = _estimate(kinds, rec, "tariff_usd_per_t")
        # the data give one per-tonne figure; its spread is the link's own FEU range, where it has one
        lo_f = low / mid if mid and low is not None else 1.0
        hi_f = high / mid if mid and high is not None else 1.0
        note = " (range: the link's FEU range)" if lo_f != hi_f else ""
        if lo_f == hi_f and est:  # an estimate without a range gets the project's x0.6-x1.6 (est-tariff-alloc)
            lo_f, hi_f, note = ESTIMATE_LOW, ESTIMATE_HIGH, f" (estimate: range x{ESTIMATE_LOW:g}-x{ESTIMATE_HIGH:g})"
        return CostLine(
            item, amount, amount * lo_f, amount * hi_f, operator, link.country, est, link.id,
            f"{tonnes:,.0f} t × {per_t:,.2f} USD/t" + note,
        )  # fmt: skip
    if mid is None:
        return CostLine(item, 0.0, 0.0, 0.0, operator, link.country, True, link.id,
                        f"not priced: no {shipment.cargo} tariff in the data", True)  # fmt: skip
    per = 1.0 / T_PER_FEU
    lo = low if low is not None else mid
    hi = high if high is not None else mid
    return CostLine(
        item, mid * per * tonnes, lo * per * tonnes, hi * per * tonnes, operator, link.country, True, link.id,
        f"{tonnes:,.0f} t × {mid * per:,.2f} USD/t (per-FEU rate / 20 t)",
    )  # fmt: skip


def _tariff_line(kinds: Mapping[str, bool], tariff: Tariff, countries: Sequence[str], shipment: Shipment) -> CostLine:
    where = f"{tariff.from_id}→{tariff.to_id}"
    country = "/".join(dict.fromkeys(c for c in countries if c))
    if shipment.cargo == "container" and tariff.amount_usd_per_feu is not None:
        feu = shipment.feu
        mid = tariff.amount_usd_per_feu
        lo = tariff.amount_low_usd_per_feu if tariff.amount_low_usd_per_feu is not None else mid
        hi = tariff.amount_high_usd_per_feu if tariff.amount_high_usd_per_feu is not None else mid
        est = _estimate(kinds, tariff, "amount_usd_per_feu")
        return CostLine(
            "through_tariff", mid * feu, lo * feu, hi * feu, tariff.operator, country, est, where,
            f"{tariff.name}: {feu:g} FEU × {mid:,.0f} USD/FEU",
        )  # fmt: skip
    per_t = tariff.amount_usd_per_t or 0.0
    amount = per_t * shipment.tonnes
    est = _estimate(kinds, tariff, "amount_usd_per_t")
    return CostLine(
        "through_tariff", amount, amount, amount, tariff.operator, country, est, where,
        f"{tariff.name}: {shipment.tonnes:,.0f} t × {per_t:,.2f} USD/t",
    )  # fmt: skip


def route_label(nodes: Sequence[Node], links: Sequence[Link]) -> str:
    """A short human name: border and gauge-change nodes, and sea/ferry crossings."""
    parts: list[str] = []
    named: set[str] = set()
    for i, link in enumerate(links):
        node = nodes[i]
        if i > 0 and (node.is_border or node.is_gauge_change) and node.name not in named:
            named.add(node.name)
            parts.append(node.name)
        if link.mode in ("sea", "ferry"):
            parts.append(f"{nodes[i].name}–{nodes[i + 1].name}")
    return "via " + ", ".join(parts) if parts else "direct"


def build_route(
    graph: RoutingGraph,
    path: Path,
    tariffs: Sequence[Tariff],
    shipment: Shipment,
    depart: datetime | None,
    *,
    rank: int,
    pareto: bool,
    queueing: Queueing | None = None,
) -> Route:
    net = graph.network
    kinds = graph.estimated_sources
    arcs = path.arcs
    links = [net.links[int(graph.link[a])] for a in arcs]
    services = [graph.services[a] for a in arcs]
    node_pos = [int(graph.tail[arcs[0]])] + [int(graph.head[a]) for a in arcs]
    nodes = [net.nodes[p] for p in node_pos]
    tl = timeline(graph.closures, nodes, links, services, depart, queueing, shipment.cargo)

    covered: dict[int, int] = {}  # arc position → tariff index
    for k, pos in path.spans:
        end = tariffs[k].to_id
        j = pos
        while j < len(arcs):
            covered[j] = k
            if nodes[j + 1].id == end:
                break
            j += 1

    teu, feu = shipment.teu, shipment.feu
    lines: list[CostLine] = []
    emitted: set[int] = set()
    for i, node in enumerate(nodes):
        lines.extend(_node_lines(kinds, node, shipment, teu))
        if i == len(links):
            break
        link, svc = links[i], services[i]
        span = covered.get(i)
        if span is None:
            lines.append(_link_line(kinds, link, svc, shipment, feu))
        elif span not in emitted:
            emitted.add(span)
            span_countries = [links[j].country for j, kk in covered.items() if kk == span]
            lines.append(_tariff_line(kinds, tariffs[span], span_countries, shipment))

    reefers = sum(lot.count for lot in shipment.lots if lot.type == "RF")
    if reefers:
        lines.append(
            CostLine("reefer_surcharge", 0.0, 0.0, 0.0, "", "", True, f"{reefers} reefer box(es)",
                     "not priced: no reefer surcharge (power, monitoring) in the data", True)
        )  # fmt: skip
    waits = {c.where: c.p50 for c in tl.components if c.what.startswith("wait for")}
    dwell = {c.where: c.p50 for c in tl.components if c.what == "dwell"}
    legs = tuple(
        Leg(
            link=lk.id,
            from_id=nodes[i].id,
            to_id=nodes[i + 1].id,
            mode=lk.mode,
            distance_km=lk.distance_km,
            moving_h=lk.moving_time_h,
            wait_h=waits.get(lk.id, 0.0),
            operator=(services[i].operator if services[i] is not None and services[i].operator else "") or lk.operator,  # type: ignore[union-attr]
            country=lk.country,
            service=services[i].id if services[i] is not None else "",  # type: ignore[union-attr]
        )
        for i, lk in enumerate(links)
    )
    stops = tuple(
        Stop(
            n.id, n.name, n.country, node_stage(n), dwell.get(n.id, 0.0) if i < len(nodes) - 1 else 0.0, tl.arrival_h[i]
        )
        for i, n in enumerate(nodes)
    )
    time = RouteTime(tl.p50, tl.p90, tuple((s, a, b) for s, (a, b) in tl.by_stage().items()))
    return Route(
        rank=rank,
        label=route_label(nodes, links),
        pareto=pareto,
        nodes=tuple(n.id for n in nodes),
        legs=legs,
        stops=stops,
        time=time,
        cost=Quote(tuple(lines)),
        co2e=Footprint(chain_elements(graph.factors, nodes, links, shipment.cargo_t)),
    )
