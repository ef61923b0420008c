"""``corridor route ORIGIN DESTINATION``: options, times, itemised quotes and CO2e."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from corridor.atomic import write_text
from corridor.cli._common import OutputFile, Stages, echo_json, json_option, limited, network_option, progress_option
from corridor.cli._queueing_cache import queueing_for_cli
from corridor.network.cache import default_cache_dir, load_cached_entry
from corridor.report.route_text import render_result, routes_geojson
from corridor.routing import OBJECTIVES, Router, cached_graph

if TYPE_CHECKING:
    from corridor.network import Network
    from corridor.routing import RouteResult


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command("route")
@click.argument("origin")
@click.argument("destination")
@network_option
@click.option(
    "--cargo",
    default="1x40HC",
    show_default=True,
    metavar="SPEC",
    help="2x40HC, 1x20DV@18t, general:500t, liquid:20000t.",
)
@click.option("--depart", default=None, metavar="DATE", help="Departure date (ISO 8601); sets the closure month.")
@click.option(
    "--optimize", type=click.Choice(OBJECTIVES), default="time", show_default=True, help="What ranks the routes."
)
@click.option(
    "--alternatives", "-k", type=limited("alternatives"), default=3, show_default=True, help="Routes to show."
)
@click.option("--via", multiple=True, metavar="PLACE", help="Pass through PLACE (repeat, in order).")
@click.option(
    "--avoid",
    multiple=True,
    metavar="X",
    help="Keep off a country (RU), mode (ferry), link id or place; repeat or comma-separate.",
)
@click.option(
    "--from-door",
    default=None,
    metavar="PLACE",
    help="Truck from a door to ORIGIN: a place, lat,lon or a road distance (120km); adds customs lines.",
)
@click.option(
    "--to-door",
    default=None,
    metavar="PLACE",
    help="Truck from DESTINATION to a door: a place, lat,lon or a road distance (120km); adds customs lines.",
)
@click.option(
    "--demand",
    "-d",
    "demand",
    default=None,
    metavar="NAME|PATH|none",
    help="Demand set in force: times include its expected queueing [default: 2024 on the bundled network, else none].",
)
@json_option
@click.option(
    "--geojson",
    "geojson",
    type=OutputFile(),
    default=None,
    help="Also write the routes as GeoJSON.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse the network files even if the parsed-network cache ($CORRIDOR_CACHE_DIR) holds them.",
)
@progress_option
def route_command(
    origin: str,
    destination: str,
    network: str,
    cargo: str,
    depart: str | None,
    optimize: str,
    alternatives: int,
    via: tuple[str, ...],
    avoid: tuple[str, ...],
    from_door: str | None,
    to_door: str | None,
    demand: str | None,
    as_json: bool,
    geojson: Path | None,
    no_cache: bool,
    progress: bool | None,
) -> None:
    """Door-to-door options from ORIGIN to DESTINATION (ids, names or aliases).

    Each route shows its legs, typical (P50) and bad-case (P90) time by stage, an itemised quote
    per operator and country (ranges and estimates flagged) and well-to-wheel CO2e (ISO 14083).
    """
    from corridor.demand import calibration_baseline

    cache = None if no_cache else default_cache_dir()
    stage = Stages("route", progress)
    stage("loading network")
    net, entry = load_cached_entry(network, cache)
    gc.freeze()  # the network outlives what follows: collections need not rescan it (~0.15 s CPU at 10^5 links)
    try:
        in_force = demand or calibration_baseline(network)
        if in_force.strip().lower() != "none":
            stage(f"expected queueing of demand {in_force}")
        queueing = queueing_for_cli(net, network, in_force, cache)
        stage("routing arrays")
        router = Router(net, graph=cached_graph(net, entry), queueing=queueing)
        stage("searching")
        result = router.route(
            origin, destination, cargo, depart=depart, optimize=optimize, alternatives=alternatives,
            via=_split(via), avoid=_split(avoid), from_door=from_door, to_door=to_door,
        )  # fmt: skip
        stage.done()
        _emit(net, result, as_json, geojson)
    finally:
        gc.unfreeze()  # in-process callers (tests, the docs runner) get their collector back as it was


def _emit(net: Network, result: RouteResult, as_json: bool, geojson: Path | None) -> None:
    if geojson is not None:
        write_text(geojson, json.dumps(routes_geojson(net, result), ensure_ascii=False))
    if as_json:
        from corridor.schemas import dump  # pydantic builds every model on import: only when asked for JSON

        echo_json(dump("route", result.to_json()))
        return
    import shutil

    # fit the terminal: $COLUMNS, else the terminal's width, else 120 (the full path is in --json)
    click.echo(render_result(net, result, width=shutil.get_terminal_size((120, 24)).columns))
    if geojson is not None:
        click.echo(f"\nwrote {geojson}")
