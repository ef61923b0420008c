"""``corridor demo``: the README's main job on the bundled defaults."""

from __future__ import annotations

from pathlib import Path

import click

from corridor.cli._common import DEFAULT_NETWORK, OutputFolder
from corridor.network import load_network
from corridor.report.network_text import summary_line

#: The report of the main job: the bundled 2024 baseline, the 2027 target volumes on today's
#: corridor, and one investment (the Aktau container hub, at 2027 volumes), so the hub's effect is
#: read against the do-nothing future rather than against a smaller year.
DEMO_SCENARIOS = ("baseline-2024", "growth-2027", "aktau-container-hub")
#: Replications of one simulated year per scenario: enough for stable P50/P90 (a few seconds).
DEMO_REPLICATIONS = 20


@click.command("demo")
@click.option(
    "--out",
    "out_dir",
    type=OutputFolder(),
    default=Path("out"),
    show_default=True,
    help="Folder for the pictures and files the demo writes.",
)
def demo_command(out_dir: Path) -> None:
    """Run the main job on the bundled Middle Corridor and say where the results are."""
    network = load_network(DEFAULT_NETWORK)
    out_dir.mkdir(parents=True, exist_ok=True)
    click.echo(summary_line(network))
    from corridor.report.maps import save_network_map  # matplotlib loads only when needed

    map_path = save_network_map(network, out_dir / f"{network.name}.png")
    click.echo(f"map: {map_path}")
    from corridor.report.html import write_html
    from corridor.scenario.comparison import compare
    from corridor.scenario.simulation import simulator

    scenarios = list(DEMO_SCENARIOS)
    comparison = compare(scenarios, simulate=simulator(replications=DEMO_REPLICATIONS, seed=2024))
    report = write_html(comparison, out_dir / "report.html")
    click.echo(f"report: {report} ({' vs '.join(scenarios)}; open it in a browser, works offline)")
