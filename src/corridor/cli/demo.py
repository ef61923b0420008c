"""``corridor demo``: the README's main job on the bundled defaults."""

from __future__ import annotations

from pathlib import Path

import click

from corridor.cli._common import DEFAULT_NETWORK
from corridor.cli.network import summary_line
from corridor.network import load_network


@click.command("demo")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
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
