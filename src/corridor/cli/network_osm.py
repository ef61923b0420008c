"""``corridor network import-osm``: OpenStreetMap railways → a corridor network folder."""

from __future__ import annotations

from pathlib import Path

import click

from corridor.atomic import atomic_folder
from corridor.cli._common import OutputFolder
from corridor.network import import_osm, write_network


class BBox(click.ParamType[tuple[float, float, float, float]]):
    """``min_lon,min_lat,max_lon,max_lat`` in degrees."""

    name = "bbox"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float, float, float]:
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        try:
            x0, y0, x1, y1 = (float(p) for p in parts)
        except ValueError:
            self.fail(f"expected four numbers min_lon,min_lat,max_lon,max_lat; got {value!r}", param, ctx)
        if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
            self.fail(f"expected -180 ≤ min_lon < max_lon ≤ 180 and -90 ≤ min_lat < max_lat ≤ 90; got {value!r}")
        return (x0, y0, x1, y1)


@click.command("import-osm")
@click.argument("osm_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=OutputFolder(), help="New network folder to write.")
@click.option("--name", default="osm-railways", show_default=True, help="Name of the new network.")
@click.option("--bbox", type=BBox(), help="Keep track inside min_lon,min_lat,max_lon,max_lat.")
@click.option("--country", "countries", multiple=True, metavar="CC", help="Keep lines in this country (repeatable).")
def import_osm_command(
    osm_file: Path, output: Path, name: str, bbox: tuple[float, float, float, float] | None, countries: tuple[str, ...]
) -> None:
    """Build a network from the railways in an OpenStreetMap file (.osm.pbf, .osm).

    Stations and yards, junctions, gauge changes and border crossings become nodes; the track
    between them becomes rail links with length, gauge and traction.  Times, capacities and
    tariffs are not in OSM and are left empty.  The extract is cited in sources.csv with its date
    and the ODbL attribution.
    """
    if output.exists() and any(output.iterdir()):
        raise click.UsageError(f"--output {output} already exists and is not empty; choose a new folder")
    result = import_osm(osm_file, name=name, bbox=bbox, countries=countries, progress=lambda m: click.echo(m, err=True))
    with atomic_folder(output) as tmp:
        write_network(result.network, tmp)
    net = result.network
    click.echo(f"wrote {output}: network {net.name}, OSM data up to {result.extract_date}")
    click.echo(
        f"  {_n(len(net.nodes), 'node')}: {_n(result.stations, 'station')}, {_n(result.junctions, 'junction')}, "
        f"{_n(result.gauge_changes, 'gauge change')}, {_n(result.borders, 'border crossing')}"
    )
    click.echo(
        f"  {_n(len(net.links), 'rail link')}: {result.track_km:,.0f} km of track in {', '.join(result.countries)}"
    )
    if result.dropped_fragments or result.outside_outlines:
        click.echo(
            f"left out: {_n(result.dropped_fragments, 'piece')} of track that reach no station, "
            f"{_n(result.outside_outlines, 'stretch', 'stretches')} outside the bundled country outlines",
            err=True,
        )


def _n(count: int, word: str, plural: str = "") -> str:
    return f"{count:,} {word if count == 1 else plural or word + 's'}"
