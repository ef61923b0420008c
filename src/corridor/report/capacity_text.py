"""The capacity assignment as text: summary lines, bottlenecks, growth cut, unserved, utilisation."""

from __future__ import annotations

from collections.abc import Mapping

from corridor.capacity import AssignmentResult
from corridor.report.table import fmt_num, fmt_share, render_table, wrap
from corridor.units import HOURS_PER_DAY

_DIR = {"forward": "fwd", "backward": "back"}
_UNIT_LABEL = {"teu": "TEU", "t": "t", "trains": "trains", "wagons": "wagons"}


def render_summary(result: AssignmentResult, *, top: int = 10, width: int | None = None) -> str:
    """The human report: summary lines, bottlenecks, growth cut, unserved flows, utilisations.

    With ``width`` every line fits that many columns: prose wraps, tables cut their widest text
    column (the full lists are in ``--json``).
    """
    t = result.totals
    grown = f" × {result.growth:g}" if result.growth != 1 else ""
    model = "route choice" if result.objective == "choice" else "system optimum (least total cost)"
    lines = [f"{result.demand}{grown} on {result.network}, {model}"]
    if result.without:
        lines[0] += f" without {', '.join(result.without)}"
    for label, served, unserved, diverted, unit in (
        ("containers", t.served_teu, t.unserved_teu, t.diverted_teu, "TEU"),
        ("bulk", t.served_t, t.unserved_t, t.diverted_t, "t"),
    ):
        total = served + unserved
        if total > 0:
            lines.append(
                f"  {label:<10} carried {served:>12,.0f} {unit:<3} of {total:,.0f} ({fmt_share(served / total, 1)}); "
                f"diverted {diverted:,.0f} ({fmt_share(diverted / total, 1)}); "
                f"not moved {unserved - diverted:,.0f} ({fmt_share((unserved - diverted) / total, 1)})"
            )
    lines.append(f"  cost       USD {t.cost_usd:,.0f} a year (tariffs, charges, time); mean {_hours(result)} per TEU")
    if result.solver.get("max_growth", True):
        if result.max_growth is None:
            lines.append("  max growth unlimited (no capacity limits any flow)")
        else:
            lines.append(f"  max growth × {result.max_growth:.3g} of this demand is carried in full")
    lines = [*wrap(lines[0], width), *lines[1:], ""]
    if result.bottlenecks:
        lines.append(
            render_table(
                ["#", "asset", "kind", "name", "unit", "dir", "capacity", "flow", "util", "USD/unit·yr", "USD/TEU-eq"],
                [
                    [
                        i,
                        b.asset,
                        b.kind,
                        b.name,
                        _UNIT_LABEL[b.unit],
                        _DIR.get(b.direction, "–"),
                        fmt_num(b.capacity.effective_per_year),
                        fmt_num(b.flow),
                        fmt_share(b.utilisation),
                        fmt_num(b.shadow_price, 2),
                        fmt_num(b.shadow_price_per_teu, 0),
                    ]
                    for i, b in enumerate(result.bottlenecks[:top], start=1)
                ],
                title="Bottlenecks (binding capacities, by shadow price)",
                max_width=width,
                keep=["name"],
            )
        )
    else:
        lines.append("Bottlenecks: none — every flow is carried and no capacity is full.")
    if result.growth_cut:
        lines.append("")
        lines.append(
            render_table(
                ["asset", "kind", "name", "unit", "dir", "capacity", "share of limit"],
                [
                    [
                        g.constraint.asset,
                        g.constraint.kind,
                        g.constraint.name,
                        _UNIT_LABEL[g.constraint.unit],
                        _DIR.get(g.constraint.direction, "–"),
                        fmt_num(g.constraint.capacity.effective_per_year),
                        fmt_share(g.share),
                    ]
                    for g in result.growth_cut[:top]
                ],
                title=f"Capacities that limit growth to × {result.max_growth:.3g}",
                max_width=width,
            )
        )
    if result.unserved:
        lines.append("")
        lines.append(
            render_table(
                ["origin", "destination", "cargo", "demand", "carried", "diverted", "to", "not moved", "unit"],
                [
                    [
                        od.origin,
                        od.destination,
                        od.cargo,
                        fmt_num(od.demand),
                        fmt_share(od.served / od.demand),
                        fmt_share(od.diverted / od.demand),
                        _destinations(od.diverted_to),
                        fmt_share(od.not_moved / od.demand),
                        od.unit,
                    ]
                    for od in sorted(result.unserved, key=lambda o: (-o.unserved / o.demand, o.origin, o.destination))[
                        :top
                    ]
                ],
                title="Not carried on the corridor (share of each flow's demand)",
                max_width=width,
                keep=["origin", "destination"],
            )
        )
        if result.comparators:
            lines.extend(wrap("  comparators: " + "; ".join(result.comparators.values()), width, "    "))
    used = sorted(
        (a for a in (*result.nodes, *result.links, *result.services) if a.utilisation is not None),
        key=lambda a: -(a.utilisation or 0.0),
    )
    if used:
        lines.append("")
        lines.append(
            render_table(
                ["asset", "kind", "name", "TEU", "t", "util"],
                [
                    [a.id, a.kind, a.name, fmt_num(a.teu), fmt_num(a.t), fmt_share(a.utilisation or 0.0)]
                    for a in used[:top]
                ],
                title="Highest utilisation",
                max_width=width,
                keep=["name"],
            )
        )
    return "\n".join(lines)


def _destinations(diverted_to: Mapping[str, float], shown: int = 1) -> str:
    """Where a flow's diverted cargo goes, largest first: the first ``shown`` and how many more."""
    names = [k for k, _ in sorted(diverted_to.items(), key=lambda kv: -kv[1])]
    more = f" +{len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more or "–"


def _hours(result: AssignmentResult) -> str:
    t = result.totals
    if not t.served_teu:
        return "–"
    hours = t.teu_hours / t.served_teu
    return f"{hours:,.0f} h ({hours / HOURS_PER_DAY:.1f} d)"
