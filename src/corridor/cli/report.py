"""``corridor report``: one self-contained HTML report of scenarios side by side."""

from __future__ import annotations

from pathlib import Path

import click

from corridor.cli._common import OutputFile, limited
from corridor.report.i18n import LANGUAGES
from corridor.scenario.comparison import compare


@click.command("report")
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    default=Path("report.html"),
    show_default=True,
    help="HTML file to write.",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language of the report.")
@click.option("--sim/--no-sim", "with_sim", default=True, show_default=True, help="Run the simulation too.")
@click.option(
    "--replications",
    type=limited("replications"),
    default=2,
    show_default=True,
    help="Simulation replications per scenario.",
)
@click.option(
    "--seed", type=limited("seed"), default=2024, show_default=True, help="Seed of the simulation's random streams."
)
@click.option(
    "--maps",
    "max_maps",
    type=limited("max_maps"),
    default=4,
    show_default=True,
    help="Utilisation maps for this many scenarios.",
)
def report_command(
    scenarios: tuple[str, ...], output: Path, lang: str, with_sim: bool, replications: int, seed: int, max_maps: int
) -> None:
    """Write one HTML file comparing the scenarios: map, tables, charts, appraisal, sources.

    The file works offline (inline CSS, images embedded, no scripts, fonts or tiles). The first
    scenario is the reference for differences; scenarios with investments are appraised against
    the scenario they inherit from. --lang ru writes the Russian version.
    """
    from corridor.report.html import write_html

    simulate = None
    if with_sim:
        from corridor.scenario.simulation import simulator

        simulate = simulator(replications=replications, seed=seed)
    result = compare(list(scenarios), simulate=simulate)
    write_html(result, output, lang=lang, max_maps=max_maps)
    click.echo(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB, {len(result.results)} scenarios, {lang})")
