"""``corridor simulate``: Monte Carlo door-to-door times, port backlogs and utilisation."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from corridor.atomic import atomic_folder
from corridor.cli._common import (
    OutputFolder,
    SchedulerAddress,
    Stages,
    check_simulation_work,
    echo_json,
    json_option,
    limited,
    network_option,
    progress_option,
    work_limit_option,
)
from corridor.demand import load_demand
from corridor.network.cache import default_cache_dir, load_cached
from corridor.report.sim_text import render, write_tables
from corridor.schemas import dump
from corridor.sim import SimRules, simulate


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
@click.option(
    "--planning-utilisation",
    type=limited("planning_utilisation"),
    default=SimRules.planning_utilisation,
    show_default=True,
    help="Book against this share of every capacity; the rest of the demand is refused at booking.",
)
@click.option("--replications", "-r", type=limited("replications"), default=100, show_default=True)
@click.option("--seed", type=limited("seed"), default=0, show_default=True)
@click.option("--workers", type=limited("workers"), default=None, help="Local processes [default: all cores].")
@click.option(
    "--scheduler", type=SchedulerAddress(), metavar="tcp://HOST:PORT", help="Run on this Dask distributed cluster."
)
@click.option(
    "--out",
    "out_dir",
    type=OutputFolder(),
    default=None,
    help="Write CSV tables and PNG charts here.",
)
@click.option("--trace", is_flag=True, help="Keep the event log of the first replication (JSON and trace.csv).")
@work_limit_option
@progress_option
@json_option
def simulate_command(
    network: str, demand: str, growth: float, days: int, warmup_days: int, planning_utilisation: float,
    replications: int, seed: int,
    workers: int | None, scheduler: str | None, out_dir: Path | None, trace: bool, work_limit: bool,
    progress: bool | None, as_json: bool,
) -> None:  # fmt: skip
    """Simulate a year of corridor operations many times over: door-to-door time distributions per
    flow (mean, P50, P90, P95 with 95% CIs), where the time goes, port backlogs, utilisation.
    """
    stage = Stages("simulate", progress)
    stage("loading network")
    net = load_cached(network, default_cache_dir())
    stage("loading demand")
    demand_set = load_demand(demand, net)
    check_simulation_work(demand_set, growth=growth, days=days, warmup_days=warmup_days, replications=replications,
                          enforce=work_limit)  # fmt: skip
    from tqdm import tqdm

    from corridor.sim import kernel_ready

    if scheduler is None and not kernel_ready():
        click.echo(
            "compiling the simulation kernel: first run only, about 30 s; numba caches it for later runs", err=True
        )
    quiet = True if progress is False else None  # --no-progress silences the bar too; else it shows on a terminal
    bar = tqdm(total=replications, desc="replications", unit="rep", file=sys.stderr, disable=True)

    def phase(name: str) -> None:  # each phase on its own line; the bar only once the replications start
        nonlocal bar
        bar.close()
        stage(name)
        if name == "replications":
            bar = tqdm(total=replications, desc="replications", unit="rep", file=sys.stderr, disable=quiet, leave=False)

    def advance(done: int, total: int) -> None:
        bar.update(done - bar.n)

    try:
        result = simulate(
            net, demand_set, growth=growth, days=days, warmup_days=warmup_days, replications=replications, seed=seed,
            workers=workers, scheduler=scheduler, trace=trace, progress=advance, stage=phase,
            rules=SimRules(planning_utilisation=planning_utilisation),
        )  # fmt: skip
    finally:
        bar.close()
    stage.done()
    if out_dir is not None:
        from corridor.report.sim_charts import write_charts

        with atomic_folder(out_dir) as tmp:  # whole or not at all
            written = write_tables(result, tmp) + write_charts(result, tmp)
        click.echo(f"wrote {len(written)} files to {out_dir}", err=True)
    if as_json:
        echo_json(dump("simulation", result.to_json()))
    else:
        click.echo(render(result, width=shutil.get_terminal_size((120, 24)).columns))
