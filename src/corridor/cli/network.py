"""``corridor network validate|show|export|map``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from corridor.atomic import write_text
from corridor.cli._common import DEFAULT_NETWORK, MAX_PROBLEMS_SHOWN, OutputFile, echo_json, json_option
from corridor.errors import InputError
from corridor.network import load_network, provenance_gaps, to_geojson
from corridor.report.network_text import network_summary, render_network, summary_line
from corridor.schemas import dump


@click.group("network")
def network_group() -> None:
    """Validate, inspect, export and map a corridor network."""


@network_group.command("validate")
@click.argument("path", metavar="NAME|PATH")
@click.option("--strict", is_flag=True, help="Also require a source for every number.")
@click.option("--all", "show_all", is_flag=True, help="List every problem (default: the first 50, grouped by kind).")
@click.option("--problems", "problems_file", type=OutputFile(), help="Also write every problem to FILE, one a line.")
def validate_command(path: str, strict: bool, show_all: bool, problems_file: Path | None) -> None:
    """Check a network folder; list every problem with file, line and column.

    Exit 0 and a one-line summary if the network is valid, 1 otherwise.  Problems are grouped by
    kind with counts; the first 50 are shown (--all shows every one, --problems FILE writes them).
    """
    try:
        network = load_network(path)
    except InputError as exc:
        if problems_file is not None:
            write_text(problems_file, "".join(f"{p}\n" for p in exc.problems))
        raise
    if strict:
        gaps = provenance_gaps(network)
        if gaps:
            if problems_file is not None:
                write_text(problems_file, "".join(f"{g}\n" for g in gaps))
            for gap in gaps if show_all else gaps[:MAX_PROBLEMS_SHOWN]:
                click.echo(f"  {gap}", err=True)
            if not show_all and len(gaps) > MAX_PROBLEMS_SHOWN:
                click.echo(f"  … {len(gaps) - MAX_PROBLEMS_SHOWN} more (all with --all or --problems FILE)", err=True)
            raise click.ClickException(f"{len(gaps)} number(s) without a source")
    if problems_file is not None:
        write_text(problems_file, "")
    click.echo(f"ok: {summary_line(network)}")


@network_group.command("show")
@click.argument("name", default=DEFAULT_NETWORK, metavar="[NAME|PATH]")
@json_option
def show_command(name: str, as_json: bool) -> None:
    """Nodes, links by mode and country, km by mode, services and gauge changes."""
    network = load_network(name)
    if as_json:
        echo_json(dump("network", network_summary(network)))
        return
    click.echo(render_network(network))


@network_group.command("export")
@click.argument("name", default=DEFAULT_NETWORK, metavar="[NAME|PATH]")
@click.option("--format", "fmt", type=click.Choice(["geojson"]), default="geojson", show_default=True)
@click.option("-o", "--output", type=OutputFile(), required=True, help="File to write.")
def export_command(name: str, fmt: str, output: Path) -> None:
    """Export the network (nodes as points, links as lines) for GIS tools."""
    network = load_network(name)
    data = to_geojson(network)
    write_text(output, json.dumps(data, ensure_ascii=False))
    click.echo(f"wrote {output} ({len(data['features'])} features)")


@network_group.command("map")
@click.argument("name", default=DEFAULT_NETWORK, metavar="[NAME|PATH]")
@click.option(
    "-o",
    "--output",
    type=OutputFile(),
    required=True,
    help="Picture to write: .png, .svg or .pdf (by suffix).",
)
@click.option("--title", default="", help="Title above the map (default: the network's name).")
@click.option(
    "--highlight", multiple=True, metavar="PLACE", help="Ring this node (id, name or alias); repeat for more."
)
def map_command(name: str, output: Path, title: str, highlight: tuple[str, ...]) -> None:
    """Draw the network on offline country outlines: links by mode, ports, borders, gauge changes.

    Nothing is fetched from the network; the outlines are bundled (Natural Earth, public domain).
    The file is written whole or not at all.
    """
    from corridor.report.maps import save_network_map  # matplotlib loads only when a map is drawn

    network = load_network(name)
    nodes = [network.resolve(place).id for place in highlight]
    save_network_map(network, output, title=title, highlight_nodes=nodes)
    click.echo(f"wrote {output}")
