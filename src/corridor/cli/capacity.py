"""``corridor capacity``: capacity-constrained assignment, bottlenecks and maximum growth."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from corridor.capacity import assign, network_without
from corridor.cli._common import OutputFile, Stages, echo_json, json_option, limited, network_option, progress_option
from corridor.demand import load_demand
from corridor.network.cache import default_cache_dir, load_cached
from corridor.report.capacity_text import render_summary
from corridor.schemas import dump


@click.command("capacity")
@network_option
@click.option("--demand", "-d", "demand", required=True, metavar="NAME|PATH", help="Bundled demand set or folder.")
@click.option(
    "--growth",
    "-g",
    type=limited("growth"),
    default=1.0,
    show_default=True,
    help="Multiply every demand volume first (1.62 = +62%).",
)
@click.option(
    "--without",
    "without",
    multiple=True,
    metavar="ID[,ID…]",
    help="Leave out these links or nodes (repeat or comma-separate), e.g. the sea and Northern routes.",
)
@click.option(
    "--max-growth/--no-max-growth",
    "max_growth",
    default=True,
    show_default=True,
    help="Also find the largest uniform growth carried in full (a second LP).",
)
@click.option(
    "--objective",
    type=click.Choice(["choice", "system"]),
    default="choice",
    show_default=True,
    help="choice: shippers' route choice, diverting to the comparator routes when full (forecast); "
    "system: least total cost, the most the corridor can carry (ranks bottlenecks by shadow price).",
)
@click.option(
    "--top", type=limited("top"), default=10, show_default=True, help="Rows in the bottleneck and utilisation tables."
)
@click.option("--png", "png", type=OutputFile(), help="Write utilisation charts and a map.")
@progress_option
@json_option
def capacity_command(
    network: str,
    demand: str,
    growth: float,
    without: tuple[str, ...],
    max_growth: bool,
    objective: str,
    top: int,
    png: Path | None,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Assign a demand set within every capacity; say what is carried, diverted or not moved.

    By default (--objective choice) shippers choose among corridor paths, the comparator routes
    (Northern route, sea via Suez) and not moving by generalised cost (a path-size logit, every
    capacity enforced by a toll).  --objective system solves the least-cost multi-commodity flow
    LP (HiGHS).  Binding capacities are ranked by their price (USD a year per extra TEU or tonne),
    and the largest uniform growth carried in full is found with the capacities that limit it.
    """
    stage = Stages("capacity", progress)
    stage("loading network")
    net = load_cached(network, default_cache_dir())
    stage("loading demand")
    dem = load_demand(demand, net)
    skip = [part.strip() for item in without for part in item.split(",") if part.strip()]
    result = assign(net, dem, growth=growth, without=skip, max_growth=max_growth, objective=objective, progress=stage)
    stage.done()
    if png is not None:
        from corridor.report.capacity_charts import save_capacity_charts

        save_capacity_charts(result, network_without(net, skip), png)
    if as_json:
        echo_json(dump("capacity", result.to_json()))
        return
    click.echo(render_summary(result, top=top, width=shutil.get_terminal_size((120, 24)).columns))
    if png is not None:
        click.echo(f"\nwrote {png}")
