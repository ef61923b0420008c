"""The network as text (``network validate`` and ``show``) and its JSON summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from corridor.network import Network
from corridor.report.table import fmt_num, render_table


def summary_line(network: Network) -> str:
    km = sum(lk.distance_km for lk in network.links)
    return (
        f"{network.name} {network.version}: {len(network.nodes)} nodes in {len(network.countries)} countries, "
        f"{len(network.links)} links ({km:,.0f} km), {len(network.services)} services, "
        f"{len(network.closures)} closure rules, {len(network.sources)} sources"
    )


def network_summary(network: Network) -> dict[str, Any]:
    """The JSON form of ``network show``."""
    return {
        "name": network.name,
        "version": network.version,
        "description": network.description,
        "countries": list(network.countries),
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "country": n.country,
                "kind": n.kind,
                "border": n.is_border,
                "lat": n.lat,
                "lon": n.lon,
                "aliases": list(n.aliases),
                "enabled": n.enabled,
            }
            for n in network.nodes
        ],
        "links": [
            {
                "id": lk.id,
                "from": lk.from_id,
                "to": lk.to_id,
                "mode": lk.mode,
                "distance_km": lk.distance_km,
                "time_h": round(lk.moving_time_h, 3),
                "gauge_mm": lk.gauge_mm,
                "country": lk.country,
                "operator": lk.operator,
                "service": lk.service or None,
                "enabled": lk.enabled,
            }
            for lk in network.links
        ],
        "services": [
            {
                "id": s.id,
                "name": s.name,
                "link": s.link_id,
                "kind": s.kind,
                "fleet": s.fleet,
                "capacity_teu": s.capacity_teu,
                "capacity_t": s.capacity_t,
                "departure": s.departure,
                "max_wait_h": s.max_wait_h,
            }
            for s in network.services
        ],
        "gauge_changes": [n.id for n in network.nodes if n.is_gauge_change],
        "km_by_mode": _km_by_mode(network),
    }


def _km_by_mode(network: Network) -> dict[str, float]:
    km: dict[str, float] = defaultdict(float)
    for lk in network.links:
        km[lk.mode] += lk.distance_km
    return {m: round(v, 1) for m, v in sorted(km.items())}


def render_network(network: Network) -> str:
    """The text of ``network show``: by country, by mode, nodes, services, gauge changes."""
    out: list[str] = []
    out.append(summary_line(network))
    if network.description:
        out.append(network.description)
    out.append("")
    by_country = Counter(n.country for n in network.nodes)
    links_by = Counter((lk.country or "–", lk.mode) for lk in network.links)
    modes = sorted({lk.mode for lk in network.links})
    rows = [
        [c, by_country.get(c, 0), *(links_by.get((c, m), 0) for m in modes)]
        for c in sorted(set(by_country) | {k[0] for k in links_by})
    ]
    out.append(render_table(["country", "nodes", *(f"{m} links" for m in modes)], rows, title="By country"))
    out.append("")
    km = _km_by_mode(network)
    out.append(
        render_table(
            ["mode", "links", "km"],
            [[m, sum(1 for lk in network.links if lk.mode == m), fmt_num(v)] for m, v in km.items()],
            title="By mode",
        )
    )
    out.append("")
    out.append(
        render_table(
            ["id", "name", "country", "kind", "dwell h", "capacity"],
            [
                [
                    n.id,
                    n.name,
                    n.country,
                    n.kind + (" +border" if n.border else "") + ("" if n.enabled else " (planned)"),
                    fmt_num(n.dwell_h, 1),
                    _capacity(n.capacity_teu_per_year, n.capacity_t_per_year, n.capacity_trains_per_day),
                ]
                for n in network.nodes
            ],
            title="Nodes",
        )
    )
    if network.services:
        out.append("")
        out.append(
            render_table(
                ["id", "link", "kind", "fleet", "per sailing", "sail h", "departure"],
                [
                    [
                        s.id,
                        s.link_id,
                        s.kind,
                        s.fleet,
                        _capacity(s.capacity_teu, s.capacity_t, None, per=""),
                        fmt_num(s.sailing_h),
                        s.departure + (f" ≤{s.max_wait_h:g} h" if s.max_wait_h is not None else ""),
                    ]
                    for s in network.services
                ],
                title="Services",
            )
        )
    gauge = [f"{n.name} ({n.id})" for n in network.nodes if n.is_gauge_change]
    if gauge:
        out.append("")
        out.append("Gauge changes: " + ", ".join(gauge))
    return "\n".join(out)


def _capacity(teu: float | None, t: float | None, trains: float | None, per: str = "/yr") -> str:
    parts = []
    if teu is not None:
        parts.append(f"{teu:,.0f} TEU{per}")
    if t is not None:
        parts.append(f"{t / 1e6:,.1f} Mt{per}" if t >= 1e5 else f"{t:,.0f} t{per}")
    if trains is not None:
        parts.append(f"{trains:g} trains/day")
    return ", ".join(parts) or "–"
