"""``corridor network validate|show|export|map``."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import click

from corridor.atomic import write_text
from corridor.cli._common import DEFAULT_NETWORK, MAX_PROBLEMS_SHOWN, OutputFile, echo_json, json_option
from corridor.errors import InputError
from corridor.network import Network, load_network, provenance_gaps, to_geojson
from corridor.report.table import fmt_num, render_table


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


def summary_line(network: Network) -> str:
    km = sum(lk.distance_km for lk in network.links)
    return (
        f"{network.name} {network.version}: {len(network.nodes)} nodes in {len(network.countries)} countries, "
        f"{len(network.links)} links ({km:,.0f} km), {len(network.services)} services, "
        f"{len(network.closures)} closure rules, {len(network.sources)} sources"
    )


def network_summary(network: Network) -> dict[str, Any]:
    """The JSON form of ``network show``."""
    return {
        "name": network.name,
        "version": network.version,
        "description": network.description,
        "countries": list(network.countries),
        "nodes": [
            {
                "id": n.id,
                "name": n.name,
                "country": n.country,
                "kind": n.kind,
                "border": n.is_border,
                "lat": n.lat,
                "lon": n.lon,
                "aliases": list(n.aliases),
                "enabled": n.enabled,
            }
            for n in network.nodes
        ],
        "links": [
            {
                "id": lk.id,
                "from": lk.from_id,
                "to": lk.to_id,
                "mode": lk.mode,
                "distance_km": lk.distance_km,
                "time_h": round(lk.moving_time_h, 3),
                "gauge_mm": lk.gauge_mm,
                "country": lk.country,
                "operator": lk.operator,
                "service": lk.service or None,
                "enabled": lk.enabled,
            }
            for lk in network.links
        ],
        "services": [
            {
                "id": s.id,
                "name": s.name,
                "link": s.link_id,
                "kind": s.kind,
                "fleet": s.fleet,
                "capacity_teu": s.capacity_teu,
                "capacity_t": s.capacity_t,
                "departure": s.departure,
                "max_wait_h": s.max_wait_h,
            }
            for s in network.services
        ],
        "gauge_changes": [n.id for n in network.nodes if n.is_gauge_change],
        "km_by_mode": _km_by_mode(network),
    }


def _km_by_mode(network: Network) -> dict[str, float]:
    km: dict[str, float] = defaultdict(float)
    for lk in network.links:
        km[lk.mode] += lk.distance_km
    return {m: round(v, 1) for m, v in sorted(km.items())}


@network_group.command("show")
@click.argument("name", default=DEFAULT_NETWORK, metavar="[NAME|PATH]")
@json_option
def show_command(name: str, as_json: bool) -> None:
    """Nodes, links by mode and country, km by mode, services and gauge changes."""
    network = load_network(name)
    if as_json:
        echo_json(network_summary(network))
        return
    click.echo(summary_line(network))
    if network.description:
        click.echo(network.description)
    click.echo()
    by_country = Counter(n.country for n in network.nodes)
    links_by = Counter((lk.country or "–", lk.mode) for lk in network.links)
    modes = sorted({lk.mode for lk in network.links})
    rows = [
        [c, by_country.get(c, 0), *(links_by.get((c, m), 0) for m in modes)]
        for c in sorted(set(by_country) | {k[0] for k in links_by})
    ]
    click.echo(render_table(["country", "nodes", *(f"{m} links" for m in modes)], rows, title="By country"))
    click.echo()
    km = _km_by_mode(network)
    click.echo(
        render_table(
            ["mode", "links", "km"],
            [[m, sum(1 for lk in network.links if lk.mode == m), fmt_num(v)] for m, v in km.items()],
            title="By mode",
        )
    )
    click.echo()
    click.echo(
        render_table(
            ["id", "name", "country", "kind", "dwell h", "capacity"],
            [
                [
                    n.id,
                    n.name,
                    n.country,
                    n.kind + (" +border" if n.border else "") + ("" if n.enabled else " (planned)"),
                    fmt_num(n.dwell_h, 1),
                    _capacity(n.capacity_teu_per_year, n.capacity_t_per_year, n.capacity_trains_per_day),
                ]
                for n in network.nodes
            ],
            title="Nodes",
        )
    )
    if network.services:
        click.echo()
        click.echo(
            render_table(
                ["id", "link", "kind", "fleet", "per sailing", "sail h", "departure"],
                [
                    [
                        s.id,
                        s.link_id,
                        s.kind,
                        s.fleet,
                        _capacity(s.capacity_teu, s.capacity_t, None, per=""),
                        fmt_num(s.sailing_h),
                        s.departure + (f" ≤{s.max_wait_h:g} h" if s.max_wait_h is not None else ""),
                    ]
                    for s in network.services
                ],
                title="Services",
            )
        )
    gauge = [f"{n.name} ({n.id})" for n in network.nodes if n.is_gauge_change]
    if gauge:
        click.echo()
        click.echo("Gauge changes: " + ", ".join(gauge))


def _capacity(teu: float | None, t: float | None, trains: float | None, per: str = "/yr") -> str:
    parts = []
    if teu is not None:
        parts.append(f"{teu:,.0f} TEU{per}")
    if t is not None:
        parts.append(f"{t / 1e6:,.1f} Mt{per}" if t >= 1e5 else f"{t:,.0f} t{per}")
    if trains is not None:
        parts.append(f"{trains:g} trains/day")
    return ", ".join(parts) or "–"


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
