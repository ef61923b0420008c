"""The simulation result as text tables and CSV files (``corridor simulate``, ``--out``)."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path
from typing import Any

from corridor.report.table import fmt_num, fmt_share, render_table
from corridor.sim import CATEGORIES, SimulationResult
from corridor.units import HOURS_PER_DAY


def _d(hours: float | None) -> str:
    return "–" if hours is None else f"{hours / HOURS_PER_DAY:.1f}"


def _share(part: float, whole: float | None) -> str:
    """Carried / diverted / not moved: one short of all never reads 100%, a non-zero one never 0%."""
    return "–" if not whole else fmt_share(part / whole)


def render(result: SimulationResult, *, width: int = 120) -> str:
    """The human summary: flows (with what was refused at booking, and "not steady" where a queue
    grows), stage breakdown, busiest ports, services, closures."""
    rows = []
    for o in sorted(result.od, key=lambda o: (o.cargo != "container", -o.volume_per_year)):
        ci = o.mean_h
        half = None if ci.high is None or ci.value is None else (ci.high - ci.value) / HOURS_PER_DAY
        demand = o.demand_per_year
        diverted = sum(o.diverted_to.values())
        # right-aligned under its header (a text cell): the means' decimal points line up
        mean = (_d(o.mean_h.value) + ("" if half is None else f" ±{half:.1f}")).rjust(len("mean d ±95%"))
        times = [mean, _d(o.p50_h.value), _d(o.p90_h.value)] if o.steady else ["not steady", "–", "–"]
        rows.append(
            [f"{o.origin}→{o.destination}", o.cargo, f"{fmt_num(demand if demand is not None else o.volume_per_year)} {o.unit}",
             _share(o.volume_per_year, demand), _share(diverted, demand), _share(o.not_moved_per_year, demand),
             *times, fmt_num(o.delivered), fmt_num(o.in_system)]
        )  # fmt: skip
    parts = [
        render_table(
            [
                "flow",
                "cargo",
                "demand/yr",
                "carried",
                "diverted",
                "not moved",
                "mean d ±95%",
                "P50 d",
                "P90 d",
                "delivered",
                "cut off",
            ],
            rows,
            title=f"{result.network} · demand {result.demand} · {result.days} days after {result.warmup_days} warm-up · "
            f"{result.replications} replications · seed {result.seed}",
        ),
        "mean d ±95%: mean door-to-door days and the half-width of its 95% confidence interval; "
        "carried: admitted at booking and simulated; diverted (to the comparator routes) and not moved: refused at "
        "the origin; cut off: still in the system when the horizon ends (not in the times)",
    ]
    unsteady = [o for o in result.od if not o.steady]
    if unsteady:
        growing_in = {
            unit: {p.node for p in result.ports if not (p.steady_teu if unit == "teu" else p.steady_t)}
            for unit in ("teu", "t")
        }

        def why(o: Any) -> str:
            via = sorted({n for ps in o.paths for n in ps.path} & growing_in[o.unit])
            left = f"+{o.backlog_growth_per_day:,.0f} {o.unit}/d left behind"
            return f"{o.origin}→{o.destination} {o.cargo} " + (f"(via {', '.join(via)})" if via else f"({left})")

        parts.append(
            f"not steady: {len(unsteady)} flow(s) whose queue grows over the horizon, so that their times depend on "
            "the horizon and are not quoted: " + ", ".join(why(o) for o in unsteady)
        )
    if result.refused:
        parts.append(
            "refused in full at booking (nothing carried): "
            + ", ".join(f"{o}→{d} {c} {fmt_num(dem)}" for o, d, c, dem, _, _ in result.refused)
        )
    growing = [
        f"{p.node} "
        + ", ".join(
            ([] if p.steady_teu else [f"+{p.growth_teu_per_day:,.0f} TEU/d"])
            + ([] if p.steady_t else [f"+{p.growth_t_per_day:,.0f} t/d"])
        )
        for p in result.ports
        if not p.steady
    ]
    if growing:
        parts.append("growing port queues: " + ", ".join(growing))
    parts += [
        "",
        "where the time goes (mean hours per consignment, all flows): "
        + ", ".join(f"{c} {result.stages[c]:.1f}" for c in CATEGORIES if result.stages[c] > 0.05),
    ]
    ports = [p for p in result.ports if (p.peak_teu.value or 0.0) + (p.peak_t.value or 0.0) > 0]
    ports.sort(key=lambda p: -(p.peak_teu.value or 0.0))
    if ports:
        parts += ["", render_table(
            ["port", "mean backlog TEU", "peak TEU (mean of yearly max)", "peak t"],
            [[p.node, fmt_num(sum(p.mean_teu) / max(len(p.mean_teu), 1)), fmt_num(p.peak_teu.value), fmt_num(p.peak_t.value)]
             for p in ports[:6]],
        )]  # fmt: skip
    if result.services:
        parts += ["", render_table(
            ["service", "fleet", "sailings out/back", "fill out/back", "wait h out/back", "fleet use"],
            [[s.service, s.fleet, f"{s.sailings[0]:.0f}/{s.sailings[1]:.0f}",
              "/".join("–" if x is None else f"{x:.0%}" for x in s.fill_rate),
              "/".join("–" if x is None else f"{x:.1f}" for x in s.wait_h),
              "–" if s.fleet_utilisation.value is None else f"{s.fleet_utilisation.value:.0%}"]
             for s in result.services],
        )]  # fmt: skip
    if result.nodes:
        parts += ["", render_table(
            ["node", "servers", "utilisation", "cohorts/yr"],
            [[f"{n.node} ({n.cargo})", n.servers, "–" if n.utilisation.value is None else f"{n.utilisation.value:.0%}", fmt_num(n.cohorts_per_year)]
             for n in sorted(result.nodes, key=lambda n: -(n.utilisation.value or 0.0))[:8]],
        )]  # fmt: skip
    if result.closures:
        closed = ", ".join(f"{c.closure} {c.days.value:.1f} d" for c in result.closures if c.days.value is not None)
        parts += ["", f"closure days (mean per measured period): {closed}"]
    # tables are built to fit; a sentence is wrapped to the width, its continuation indented
    return "\n".join(
        p if "\n" in p else textwrap.fill(p, width, subsequent_indent="  ", break_on_hyphens=False) or p for p in parts
    )


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_tables(result: SimulationResult, out: Path) -> list[Path]:
    """CSV tables of the result (flows, stages, daily backlog, utilisation, closures, trace)."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[list[str], list[list[Any]]]] = {
        "flows.csv": (
            ["origin", "destination", "cargo", "unit", "volume_per_year", "generated", "delivered", "in_system",
             "mean_h", "mean_low_h", "mean_high_h", "p50_h", "p90_h", "p90_low_h", "p90_high_h", "p95_h"],
            [[o.origin, o.destination, o.cargo, o.unit, o.volume_per_year, o.generated, o.delivered, o.in_system,
              o.mean_h.value, o.mean_h.low, o.mean_h.high, o.p50_h.value, o.p90_h.value, o.p90_h.low, o.p90_h.high,
              o.p95_h.value] for o in result.od],
        ),
        "stages.csv": (
            ["origin", "destination", "cargo", *[f"{c}_h" for c in CATEGORIES]],
            [[o.origin, o.destination, o.cargo, *[o.stages_h[c] for c in CATEGORIES]] for o in result.od],
        ),
        "port_backlog.csv": (
            ["node", "day", "mean_teu", "high_teu", "mean_t"],
            [[p.node, d + 1, p.mean_teu[d], p.p95_band_teu[d], p.mean_t[d]] for p in result.ports for d in range(len(p.mean_teu))],
        ),
        "utilisation.csv": (
            ["kind", "id", "servers_or_fleet", "utilisation", "low", "high"],
            [["node", f"{n.node}:{n.cargo}", n.servers, n.utilisation.value, n.utilisation.low, n.utilisation.high] for n in result.nodes]
            + [["fleet", s.service, s.fleet, s.fleet_utilisation.value, s.fleet_utilisation.low, s.fleet_utilisation.high]
               for s in result.services],
        ),
        "closures.csv": (
            ["closure", "target", "closed_days", "low", "high"],
            [[c.closure, c.target, c.days.value, c.days.low, c.days.high] for c in result.closures],
        ),
    }  # fmt: skip
    if result.trace:
        keys = sorted({k for row in result.trace for k in row})
        files["trace.csv"] = (keys, [[row.get(k, "") for k in keys] for row in result.trace])
    written = []
    for name, (header, rows) in files.items():
        _write_csv(out / name, header, rows)
        written.append(out / name)
    return written
