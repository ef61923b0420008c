"""``corridor compare``: scenarios side by side, differences against the first explicit."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from corridor.cli._common import OutputFile, echo_json, json_option, limited
from corridor.report.comparison_text import render_comparison
from corridor.scenario.comparison import compare
from corridor.schemas import dump


@click.command("compare")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--png", "png", type=OutputFile(), help="Write comparison charts to FILE.")
@click.option("--sim/--no-sim", "with_sim", default=False, show_default=True, help="Also run the simulation.")
@click.option(
    "--replications",
    type=limited("replications"),
    default=3,
    show_default=True,
    help="Simulation replications per scenario.",
)
@click.option(
    "--seed", type=limited("seed"), default=2024, show_default=True, help="Seed of the simulation's random streams."
)
@json_option
def compare_command(
    scenarios: tuple[str, ...], png: Path | None, with_sim: bool, replications: int, seed: int, as_json: bool
) -> None:
    """Run the engines on each scenario and print them side by side.

    SCENARIO is a bundled name (baseline-2024, aktau-container-hub, …) or a YAML file. The first
    is the reference: every other column shows its difference. Rows: volume served and unserved,
    maximum growth, mean door-to-door time, P50/P90 time, cost per FEU and CO2e per TEU on the
    main origin–destination pairs, port backlog peaks (with --sim); then the top bottlenecks and,
    for scenarios with investments, the appraisal against the scenario they inherit from.
    """
    simulate = None
    if with_sim:
        from corridor.scenario.simulation import simulator

        simulate = simulator(replications=replications, seed=seed)
    result = compare(list(scenarios), simulate=simulate)
    if png is not None:
        from corridor.report.comparison_charts import save_comparison_png

        save_comparison_png(result, png)
    if as_json:
        echo_json(dump("comparison", result.to_json()))
        return
    click.echo(render_comparison(result, width=shutil.get_terminal_size((120, 24)).columns))
    if png is not None:
        click.echo(f"\nwrote {png}")
