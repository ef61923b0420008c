"""``corridor simulate``: Monte Carlo door-to-door times, port backlogs and utilisation."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

import click

from corridor.atomic import atomic_folder
from corridor.cli._common import OutputFolder, echo_json, json_option, limited, network_option
from corridor.demand import load_demand
from corridor.network import load_network
from corridor.report.table import fmt_num, render_table
from corridor.sim import CATEGORIES, SimulationResult, simulate


def _d(hours: float | None) -> str:
    return "–" if hours is None else f"{hours / 24.0:.1f}"


def render(result: SimulationResult) -> str:
    """The human summary: flows, stage breakdown, busiest ports, services, closures."""
    rows = []
    for o in sorted(result.od, key=lambda o: (o.cargo != "container", -o.volume_per_year)):
        ci = o.mean_h
        half = None if ci.high is None or ci.value is None else (ci.high - ci.value) / 24.0
        rows.append(
            [f"{o.origin}→{o.destination}", o.cargo, fmt_num(o.volume_per_year), o.unit, _d(o.mean_h.value),
             "–" if half is None else f"±{half:.2f}", _d(o.p50_h.value), _d(o.p90_h.value), _d(o.p95_h.value),
             fmt_num(o.delivered), fmt_num(o.in_system)]
        )  # fmt: skip
    parts = [
        render_table(
            [
                "flow",
                "cargo",
                "volume/yr",
                "unit",
                "mean d",
                "95% CI",
                "P50 d",
                "P90 d",
                "P95 d",
                "delivered",
                "in system",
            ],
            rows,
            title=f"{result.network} · demand {result.demand} · {result.days} days after {result.warmup_days} warm-up · "
            f"{result.replications} replications · seed {result.seed}",
        ),
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
    return "\n".join(parts)


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


@click.command("simulate")
@network_option
@click.option(
    "--demand", "-d", required=True, metavar="NAME|PATH", help="Bundled demand set (2024, wb-2030, …) or a folder."
)
@click.option(
    "--growth", type=limited("growth"), default=1.0, show_default=True, help="Multiply every flow by this factor."
)
@click.option("--days", type=limited("days"), default=365, show_default=True, help="Measured days per replication.")
@click.option(
    "--warmup-days", type=limited("warmup_days"), default=30, show_default=True, help="Warm-up days before measuring."
)
@click.option("--replications", "-r", type=limited("replications"), default=100, show_default=True)
@click.option("--seed", type=limited("seed"), default=0, show_default=True)
@click.option("--workers", type=limited("workers"), default=None, help="Local processes [default: all cores].")
@click.option("--scheduler", metavar="tcp://HOST:PORT", default=None, help="Run on this Dask distributed cluster.")
@click.option(
    "--out",
    "out_dir",
    type=OutputFolder(),
    default=None,
    help="Write CSV tables and PNG charts here.",
)
@click.option("--trace", is_flag=True, help="Keep the event log of the first replication (JSON and trace.csv).")
@json_option
def simulate_command(
    network: str, demand: str, growth: float, days: int, warmup_days: int, replications: int, seed: int,
    workers: int | None, scheduler: str | None, out_dir: Path | None, trace: bool, as_json: bool,
) -> None:  # fmt: skip
    """Simulate a year of corridor operations many times over: door-to-door time distributions per
    flow (mean, P50, P90, P95 with 95% CIs), where the time goes, port backlogs, utilisation.
    """
    net = load_network(network)
    demand_set = load_demand(demand, net)
    from tqdm import tqdm

    with tqdm(total=replications, desc="replications", unit="rep", file=sys.stderr, disable=None, leave=False) as bar:

        def progress(done: int, total: int) -> None:
            bar.update(done - bar.n)

        result = simulate(
            net, demand_set, growth=growth, days=days, warmup_days=warmup_days, replications=replications, seed=seed,
            workers=workers, scheduler=scheduler, trace=trace, progress=progress,
        )  # fmt: skip
    if out_dir is not None:
        from corridor.report.sim_charts import write_charts

        with atomic_folder(out_dir) as tmp:  # whole or not at all
            written = write_tables(result, tmp) + write_charts(result, tmp)
        click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
    if as_json:
        echo_json(result.to_json())
    else:
        click.echo(render(result))
