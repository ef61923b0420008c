"""The route result as text tables and as GeoJSON (``corridor route``)."""

from __future__ import annotations

from typing import Any

from corridor.network import Network
from corridor.report.table import fmt_num, render_table, wrap
from corridor.routing import Route, RouteResult
from corridor.units import HOURS_PER_DAY

STAGE_NAMES = {
    "rail": "rail",
    "road": "road",
    "sea_ferry": "sea/ferry",
    "pipeline": "pipeline",
    "port_wait": "port wait",
    "border": "border",
    "transshipment": "transshipment/gauge change",
    "terminal": "terminal",
    "door": "door trucking",
}


def render_result(net: Network, result: RouteResult, *, width: int | None = None) -> str:
    """The answer as text; with ``width`` every line fits that many columns (the full path is in --json)."""
    o, d = net.node(result.origin), net.node(result.destination)
    ship = result.shipment
    head = (
        f"{o.name} ({o.id}) → {d.name} ({d.id}), {ship.code} ({ship.cargo_t:,.1f} t cargo)"
        + (f", departing {result.depart:%Y-%m-%d}" if result.depart else "")
        + f"; ranked by {result.optimize}; {result.pareto_size} Pareto-optimal route(s)"
    )
    out = [*wrap(head, width), ""]
    out.append(
        render_table(
            ["#", "route", "days P50", "days P90", "USD", "USD range", "t CO2e", "Pareto"],
            [
                [
                    r.rank,
                    r.label,
                    fmt_num(r.time.p50 / HOURS_PER_DAY, 1),
                    fmt_num(r.time.p90 / HOURS_PER_DAY, 1),
                    fmt_num(r.cost.total) + ("" if r.cost.complete else " +?"),
                    f"{r.cost.low:,.0f}–{r.cost.high:,.0f}",
                    fmt_num(r.co2e.wtw / 1000, 2),
                    "yes" if r.pareto else "no",
                ]
                for r in result.routes
            ],
            title="Options",
            max_width=width,
        )
    )
    if result.depart is not None or result.routes:
        rows = []
        for r in result.routes:
            amount, unit = result.per_unit(r)
            when = result.arrival(r)
            rows.append(
                [r.rank, f"{when[0]:%Y-%m-%d %H:%M}" if when else "–", f"{when[1]:%Y-%m-%d %H:%M}" if when else "–",
                 fmt_num(amount) + ("" if r.cost.complete else " +?"), f"USD per {unit}"]
            )  # fmt: skip
        out += ["", render_table(["#", "arrives P50", "arrives P90", "USD", "per"], rows, max_width=width)]
    for r in result.routes:
        out += ["", *_render_route(net, r, width)]
    for note in result.notes:
        out.extend(wrap(f"note: {note.text}", width))
    return "\n".join(out)


def _render_route(net: Network, r: Route, width: int | None = None) -> list[str]:
    lines = wrap(f"Route {r.rank}: {r.label} — {' → '.join(net.node(n).name for n in r.nodes)}", width)
    lines.append(
        render_table(
            ["from", "to", "mode", "km", "move h", "wait h", "dwell h", "operator", "country"],
            [
                [
                    leg.from_id,
                    leg.to_id,
                    leg.mode + (f" ({leg.service})" if leg.service else ""),
                    fmt_num(leg.distance_km),
                    fmt_num(leg.moving_h, 1),
                    fmt_num(leg.wait_h, 1),
                    fmt_num(r.stops[i].dwell_h, 1),
                    leg.operator or "–",
                    leg.country or "–",
                ]
                for i, leg in enumerate(r.legs)
            ]
            + [
                [
                    d.place if d.end == "from" else d.terminal,
                    d.terminal if d.end == "from" else d.place,
                    "truck (door)",
                    fmt_num(d.road_km),
                    fmt_num(d.p50_h, 1),
                    "–",
                    "–",
                    "road haulier",
                    d.country,
                ]
                for d in r.doors
            ],
            max_width=width,
        )
    )
    lines.append("")
    lines.append(
        render_table(
            ["stage", "P50 h", "P90 h"],
            [[STAGE_NAMES.get(s, s), fmt_num(a, 1), fmt_num(b, 1)] for s, a, b in r.time.stages]
            + [["door to door", fmt_num(r.time.p50, 1), fmt_num(r.time.p90, 1)]],
            max_width=width,
        )
    )
    lines.append("")
    lines.append(
        render_table(
            ["item", "where", "operator", "country", "USD", "range", "basis"],
            [
                [
                    c.item.replace("_", " ") + (" *" if c.estimate else ""),
                    c.where,
                    c.operator or "–",
                    c.country or "–",
                    fmt_num(c.amount),
                    f"{c.low:,.0f}–{c.high:,.0f}" if c.low != c.high else "",
                    c.basis,
                ]
                for c in r.cost.lines
            ]
            + [
                [
                    "total" if r.cost.complete else "total (incomplete)",
                    "",
                    "",
                    "",
                    fmt_num(r.cost.total),
                    f"{r.cost.low:,.0f}–{r.cost.high:,.0f}",
                    "* estimate"
                    if r.cost.complete
                    else f"* estimate; leaves out {len(r.cost.missing)} unpriced item(s)",
                ]
            ],
            max_width=width,
        )
    )
    e = r.co2e
    lines.extend(
        wrap(
            f"CO2e (well-to-wheel): {e.wtw:,.0f} kg = {e.wtt:,.0f} WTT + {e.ttw:,.0f} TTW; "
            f"{e.tkm:,.0f} t-km at {e.intensity:.1f} g/t-km",
            width,
        )
    )
    return lines


def routes_geojson(net: Network, result: RouteResult) -> dict[str, Any]:
    """One LineString feature per route, with its headline figures."""
    feats = []
    for r in result.routes:
        coords = [[net.node(n).lon, net.node(n).lat] for n in r.nodes]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "rank": r.rank,
                    "label": r.label,
                    "p50_h": round(r.time.p50, 1),
                    "p90_h": round(r.time.p90, 1),
                    "cost_usd": round(r.cost.total, 2),
                    "co2e_kg": round(r.co2e.wtw, 2),
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}
