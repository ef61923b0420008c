"""Maps of a corridor network, drawn offline with matplotlib.

Country outlines come from the bundled ``corridor/data/geo/region.geojson`` (Natural Earth via
world-atlas, see ``SOURCE.md`` there); no tile server, font or script is fetched.  The projection
is equirectangular with the aspect scaled by ``cos(latitude)`` at the map's centre.

This module only lays out what it is given: it never computes routes, flows or utilisation.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from corridor.atomic import atomic_path
from corridor.errors import InputError
from corridor.network import Link, Network, Node
from corridor.report._map_labels import place_labels
from corridor.report.sea_lanes import MIN_KM, SeaLanes, km_between

__all__ = ["MAP_FORMATS", "MODE_COLOURS", "draw_network_map", "load_region_outlines", "save_network_map"]

MAP_FORMATS: Final = ("png", "svg", "pdf")
MODE_COLOURS: Final[Mapping[str, str]] = {
    "rail": "#b2182b",
    "road": "#e08214",
    "ferry": "#0f8b8d",
    "sea": "#2c5aa0",
    "pipeline": "#6a3d9a",
}
SEA_COLOUR: Final = "#dcebf5"
LAND_COLOUR: Final = "#ececec"
BORDER_COLOUR: Final = "#a8a8a8"

# kind -> (marker, face colour, size in points, legend label)
_NODE_STYLE: Final[Mapping[str, tuple[str, str, float, str]]] = {
    "port": ("s", "#2c5aa0", 7.5, "port"),
    "border": ("D", "#ffffff", 7.0, "border crossing"),
    "gauge_change": ("h", "#f2b01e", 10.0, "gauge change"),
    "terminal": ("o", "#333333", 7.0, "terminal"),
    "hub": ("o", "#333333", 8.5, "hub"),
    "junction": ("o", "#8c8c8c", 4.0, "junction"),
}
Rect = tuple[float, float, float, float]  # x, y, width, height in axes fractions


def load_region_outlines() -> dict[str, Any]:
    """The bundled country outlines of the corridor's region as a GeoJSON FeatureCollection.

    Each feature has ``name`` and ``iso_a2`` (ISO 3166-1 alpha-2, empty where none exists);
    the collection's ``bbox`` is the box the outlines were clipped to.
    """
    text = resources.files("corridor").joinpath("data/geo/region.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def save_network_map(network: Network, path: str | Path, **kw: Any) -> Path:
    """Draw :func:`draw_network_map` and write it to ``path`` (PNG, SVG or PDF by suffix).

    The picture is written to a temporary file beside ``path`` and renamed, so a failure
    leaves nothing half-written.  Keyword arguments go to :func:`draw_network_map`.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in MAP_FORMATS:
        raise InputError(f"cannot write a map to {str(path)!r}: use a file name ending in .png, .svg or .pdf")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist")
    fig = draw_network_map(network, **kw)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=fmt, dpi=100)
    return path


def draw_network_map(
    network: Network,
    *,
    link_values: Mapping[str, float] | None = None,
    value_label: str = "",
    highlight_nodes: Collection[str] = (),
    title: str = "",
    ax: Axes | None = None,
    words: Mapping[str, str] | None = None,
) -> Figure:
    """A map of ``network``: country outlines, links and labelled nodes.

    Parameters
    ----------
    network
        The network to draw.  Disabled (planned) links are dashed, disabled nodes hollow.
    link_values
        Optional number per link id (for example capacity utilisation, 0..1+).  When given,
        links are coloured by value with a colour bar instead of by mode; links without a
        value are drawn thin and grey.
    value_label
        Label of the colour bar.
    highlight_nodes
        Node ids to ring in red and label in bold.
    title
        Title above the map; the network's name by default.
    ax
        Draw into these axes instead of a new figure.
    words
        Translations of the map's own words (legend entries such as ``"port"``, ``"planned"``,
        the outline credit), keyed by the English text; missing ones stay English.

    Returns
    -------
    The figure drawn on (``ax.figure`` if ``ax`` was given).
    """
    values = _checked_values(network, link_values)
    highlight = set(highlight_nodes)
    for node_id in highlight:
        network.node(node_id)  # raises UnknownNameError with suggestions
    extent = _extent(network)
    lon0, lat0, lon1, lat1 = extent
    aspect = 1.0 / math.cos(math.radians((lat0 + lat1) / 2.0))
    if ax is None:
        height_in = min(11.0, max(6.0, 16.0 * (lat1 - lat0) * aspect / (lon1 - lon0) + 0.7))
        fig = Figure(figsize=(16.0, height_in), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    fig = ax.get_figure()  # type: ignore[assignment]
    ax.set_title(title or _default_title(network), fontsize=13)
    mappable = _draw_layer(ax, network, extent, aspect, values, highlight)
    cost = _free_space(network, extent)
    legend_corner = _legend_corner(cost)
    _draw_legend(ax, network, by_value=values is not None, corner=legend_corner, words=words or {})
    cluster = _cluster(network, extent, aspect)
    inset = (
        _draw_inset(ax, network, cluster, _inset_rect(cost, legend_corner), aspect, values, highlight)
        if cluster
        else None
    )
    if mappable is not None:
        _draw_colourbar(ax, mappable, value_label)
    ax.annotate(
        (words or {}).get(OUTLINE_CREDIT, OUTLINE_CREDIT),
        (1.0, 0.0),
        xycoords="axes fraction",
        xytext=(0, -3),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=6.5,
        color="#666666",
    )
    fig.draw_without_rendering()  # fixes the layout so that display coordinates are final
    renderer: Any = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    lines = [points for _, points, _ in _link_geometries(network)]
    obstacles = [a.get_window_extent(renderer) for a in (ax.get_legend(), *ax.child_axes) if a is not None]
    in_inset = set()
    if inset is not None:
        x0, x1 = inset.get_xlim()
        y0, y1 = inset.get_ylim()
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="#333333", lw=0.9, ls="--", zorder=6))
        in_inset = {n.id for n in network.nodes if x0 <= n.lon <= x1 and y0 <= n.lat <= y1}
        place_labels(inset, network, in_inset, highlight, lines, renderer, [])
    rest = {n.id for n in network.nodes} - {n.id for n in cluster}
    place_labels(ax, network, rest, highlight, lines, renderer, obstacles)
    return fig


def _default_title(network: Network) -> str:
    first = network.description.split(". ")[0].strip().rstrip(".")
    name = f"{network.name} {network.version}".strip()
    return f"{name}: {first}" if first and len(first) <= 90 else name


def _draw_layer(
    ax: Axes,
    network: Network,
    extent: tuple[float, float, float, float],
    aspect: float,
    values: dict[str, float] | None,
    highlight: set[str],
) -> ScalarMappable | None:
    """Sea, countries, links and nodes on ``ax``, limited to ``extent``."""
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect(aspect)
    ax.set_facecolor(SEA_COLOUR)
    ax.set_xticks([])
    ax.set_yticks([])
    _draw_countries(ax, extent)
    mappable = _draw_links(ax, network, values)
    _draw_nodes(ax, network, highlight)
    return mappable


def _cluster(network: Network, extent: tuple[float, float, float, float], aspect: float) -> list[Node]:
    """The densest group of nodes, if it is too crowded to label at the map's scale."""
    lon0, lat0, lon1, _ = extent
    width = lon1 - lon0
    points = [(n, (n.lon - lon0) / width, (n.lat - lat0) * aspect / width) for n in network.nodes]
    best: list[Node] = []
    centre = (0.0, 0.0)
    for _, x, y in points:
        near = [m for m, u, v in points if math.hypot(u - x, v - y) < 0.05]
        if len(near) > len(best):
            best, centre = near, (x, y)
    if len(best) < 6 or len(best) > 0.6 * len(points):
        return []
    return [m for m, u, v in points if math.hypot(u - centre[0], v - centre[1]) < 0.085]


def _draw_inset(
    ax: Axes,
    network: Network,
    cluster: list[Node],
    rect: Rect,
    aspect: float,
    values: dict[str, float] | None,
    highlight: set[str],
) -> Axes:
    """A zoomed panel of the crowded cluster in an empty part of the map."""
    w, h = rect[2], rect[3]
    inset = ax.inset_axes(rect, zorder=8)
    lons, lats = [n.lon for n in cluster], [n.lat for n in cluster]
    mx = max(0.12 * (max(lons) - min(lons)), 0.6)
    my = max(0.12 * (max(lats) - min(lats)), 0.6)
    x0, y0, x1, y1 = min(lons) - mx, min(lats) - my, max(lons) + mx, max(lats) + my
    (lon0, lon1), (lat0, lat1) = ax.get_xlim(), ax.get_ylim()
    ratio = h * (lat1 - lat0) / (w * (lon1 - lon0))  # panel height / width, in degrees of the main map
    grow = (x1 - x0) * ratio - (y1 - y0)  # widen the short side so the zoom fills its panel
    if grow > 0:
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    else:
        x0, x1 = x0 + grow / ratio / 2, x1 - grow / ratio / 2
    box = (x0, y0, x1, y1)
    inset.set_anchor("S" if rect[1] < 0.1 else "N")
    _draw_layer(inset, network, box, aspect, values, highlight)
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
    return inset


# --- inputs and extent --------------------------------------------------------------------


def _checked_values(network: Network, link_values: Mapping[str, float] | None) -> dict[str, float] | None:
    if link_values is None:
        return None
    values: dict[str, float] = {}
    for link_id, value in link_values.items():
        network.link(link_id)  # raises UnknownNameError with suggestions
        if value is not None and math.isfinite(value):
            values[link_id] = float(value)
    return values


def _extent(network: Network) -> tuple[float, float, float, float]:
    """Box around the enabled nodes (all nodes if none is enabled).  Long sea legs are not in it:
    the map frames the corridor, and a lane round Arabia or Africa leaves it at the edge."""
    nodes = [n for n in network.nodes if n.enabled] or list(network.nodes)
    if not nodes:
        raise InputError(f"network {network.name!r} has no nodes to map")
    lons = [n.lon for n in nodes]
    lats = [n.lat for n in nodes]
    dx = max(max(lons) - min(lons), 2.0)
    dy = max(max(lats) - min(lats), 1.5)
    lon0, lon1 = min(lons) - max(0.06 * dx, 1.5), max(lons) + max(0.06 * dx, 1.5)
    lat0, lat1 = min(lats) - max(0.10 * dy, 1.2), max(lats) + max(0.10 * dy, 1.2)
    r0, s0, r1, s1 = load_region_outlines()["bbox"]
    if r0 <= min(lons) and max(lons) <= r1 and s0 <= min(lats) and max(lats) <= s1:  # stay inside the outlines
        return max(lon0, r0), max(lat0, s0), min(lon1, r1), min(lat1, s1)
    return max(lon0, -180.0), max(lat0, -85.0), min(lon1, 180.0), min(lat1, 85.0)


# --- geometry -----------------------------------------------------------------------------


def _draw_countries(ax: Axes, extent: tuple[float, float, float, float]) -> None:
    lon0, lat0, lon1, lat1 = extent
    pad = max(lon1 - lon0, lat1 - lat0)  # an inset widens its limits to fill its panel
    lon0, lat0, lon1, lat1 = lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad
    patches = []
    for feature in load_region_outlines()["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for rings in polygons:
            xs = [p[0] for p in rings[0]]
            ys = [p[1] for p in rings[0]]
            if max(xs) < lon0 or min(xs) > lon1 or max(ys) < lat0 or min(ys) > lat1:
                continue
            vertices: list[Sequence[float]] = []
            codes: list[int] = []
            for ring in rings:
                vertices.extend(ring)
                codes.extend([int(MplPath.MOVETO)] + [int(MplPath.LINETO)] * (len(ring) - 2) + [int(MplPath.CLOSEPOLY)])
            patches.append(PathPatch(MplPath(vertices, codes)))
    ax.add_collection(PatchCollection(patches, facecolor=LAND_COLOUR, edgecolor=BORDER_COLOUR, linewidth=0.5, zorder=1))


@functools.cache
def _lanes() -> SeaLanes:
    return SeaLanes.bundled()


def _sea_path(network: Network, link: Link) -> list[tuple[float, float]] | None:
    """The (lon, lat) line of a sea or ferry link along the bundled sea lanes (``sea_lanes``, as the
    workbench draws it), or ``None`` where the lanes draw it straight."""
    if link.mode not in ("sea", "ferry"):
        return None
    a, b = network.node(link.from_id), network.node(link.to_id)
    path = _lanes().path(link.id, (a.lat, a.lon), (b.lat, b.lon))
    if not path:
        return None
    return [(a.lon, a.lat), *((w.lon, w.lat) for w in path), (b.lon, b.lat)]


def _is_long_sea(network: Network, link: Link) -> bool:
    """A sea link drawn along the ocean lanes (it leaves the corridor's frame)."""
    a, b = network.node(link.from_id), network.node(link.to_id)
    return (
        link.mode == "sea" and km_between((a.lat, a.lon), (b.lat, b.lon)) >= MIN_KM and bool(_sea_path(network, link))
    )


def _link_geometries(network: Network) -> list[tuple[Link, list[tuple[float, float]], bool]]:
    """Each link's polyline; links sharing both ends are spread apart so each one shows."""
    groups: dict[frozenset[str], list[Link]] = defaultdict(list)
    for link in network.links:
        groups[frozenset((link.from_id, link.to_id))].append(link)
    result = []
    for group in groups.values():
        for k, link in enumerate(group):
            a, b = network.node(link.from_id), network.node(link.to_id)
            lane = _sea_path(network, link)
            if lane is not None:
                result.append((link, lane, _is_long_sea(network, link)))
                continue
            shift = (k - (len(group) - 1) / 2.0) * 0.22
            lo, hi = sorted((a, b), key=lambda n: n.id)
            dx, dy = hi.lon - lo.lon, hi.lat - lo.lat
            norm = math.hypot(dx, dy) or 1.0
            ox, oy = -dy / norm * shift, dx / norm * shift
            if shift == 0.0:
                points = [(a.lon, a.lat), (b.lon, b.lat)]
            else:  # a gentle bow keeps the ends on the nodes
                points = [(a.lon, a.lat), ((a.lon + b.lon) / 2 + ox, (a.lat + b.lat) / 2 + oy), (b.lon, b.lat)]
            result.append((link, points, False))
    return result


def _draw_links(ax: Axes, network: Network, values: dict[str, float] | None) -> ScalarMappable | None:
    mappable: Any = None
    if values is not None:
        norm = Normalize(vmin=min([0.0, *values.values()]), vmax=max([1.0, *values.values()]))
        mappable = ScalarMappable(norm=norm, cmap="RdYlGn_r")
    for link, points, long_sea in _link_geometries(network):
        width = 2.4
        colour: Any = MODE_COLOURS.get(link.mode, "#444444")
        effects: list[Any] = []
        if values is not None:
            if link.id in values:
                colour = mappable.to_rgba(values[link.id])
                width = 3.6
                effects = [patheffects.withStroke(linewidth=width + 1.4, foreground="#333333")]
            else:
                colour, width = "#9a9a9a", 1.2
        style: Any = "-" if link.enabled else (0, (4, 3))
        alpha = 1.0
        if long_sea:
            style, width, alpha = (0, (6, 4)), min(width, 1.6), 0.7
        coll = LineCollection(
            [points], colors=[colour], linewidths=width, linestyles=style, alpha=alpha, zorder=3, capstyle="round"
        )
        if effects:
            coll.set_path_effects(effects)
        ax.add_collection(coll)
    return mappable if isinstance(mappable, ScalarMappable) else None


def _draw_nodes(ax: Axes, network: Network, highlight: set[str]) -> None:
    for node in network.nodes:
        marker, face, size, _ = _NODE_STYLE.get(node.kind, _NODE_STYLE["terminal"])
        if node.id in highlight:
            ax.plot(node.lon, node.lat, "o", ms=size + 9, mfc="none", mec="#d7191c", mew=2.2, zorder=4)
        if node.is_border and node.kind != "border":
            ax.plot(node.lon, node.lat, "D", ms=size + 5, mfc="white", mec="#222222", mew=0.9, zorder=4)
        ax.plot(
            node.lon,
            node.lat,
            marker,
            ms=size,
            mfc=face if node.enabled else "white",
            mec="#222222" if node.enabled else face if face != "#ffffff" else "#222222",
            mew=0.9 if node.enabled else 1.6,
            zorder=5,
        )


# --- legend, colour bar, labels -----------------------------------------------------------

_CORNERS: Final = {"lower left": (0, 0), "lower right": (1, 0), "upper left": (0, 1), "upper right": (1, 1)}


def _free_space(network: Network, extent: tuple[float, float, float, float]) -> Callable[[Rect], float]:
    """A cost of covering a rectangle of the map (axes fractions): nodes cost most, long sea legs least."""
    lon0, lat0, lon1, lat1 = extent
    points = [((n.lon - lon0) / (lon1 - lon0), (n.lat - lat0) / (lat1 - lat0), 50.0) for n in network.nodes]
    for _, line, long_sea in _link_geometries(network):
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            for t in range(9):
                x, y = x0 + (x1 - x0) * t / 8, y0 + (y1 - y0) * t / 8
                points.append(((x - lon0) / (lon1 - lon0), (y - lat0) / (lat1 - lat0), 0.005 if long_sea else 0.3))
    xyw = np.array(points)

    def cost(rect: Rect) -> float:
        x0, y0, w, h = rect
        inside = (xyw[:, 0] > x0) & (xyw[:, 0] < x0 + w) & (xyw[:, 1] > y0) & (xyw[:, 1] < y0 + h)
        return float(xyw[inside, 2].sum())

    return cost


def _legend_corner(cost: Callable[[Rect], float]) -> str:
    def rect(corner: str) -> Rect:
        cx, cy = _CORNERS[corner]
        return (0.75 * cx, 0.72 * cy, 0.25, 0.28)

    return min(_CORNERS, key=lambda c: cost(rect(c)))


def _inset_rect(cost: Callable[[Rect], float], legend: str) -> Rect:
    """The emptiest spot for the zoom panel along the map's top or bottom edge, clear of the legend."""
    lx, ly = _CORNERS[legend]
    legend_rect = (0.75 * lx, 0.72 * ly, 0.25, 0.28)
    candidates = []
    for w, h in ((0.36, 0.5), (0.3, 0.42), (0.25, 0.35)):
        for x in (0.005, (1 - w) / 4, (1 - w) / 2, 3 * (1 - w) / 4, 0.995 - w):
            for y in (0.005, 0.995 - h):
                r = (x, y, w, h)
                if not _overlap(r, legend_rect):
                    candidates.append((cost(r) - 30.0 * w, r))
    return min(candidates)[1]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


#: The credit printed under every map (translatable through ``words``).
OUTLINE_CREDIT = "Country outlines: Natural Earth (public domain)"
#: Every English word a map prints of its own (legend entries and the credit), for translators.
MAP_WORDS = (
    *MODE_COLOURS,
    *(style[3] for style in _NODE_STYLE.values()),
    "… with border",
    "planned",
    "long sea leg (along estimated sea lanes)",
    OUTLINE_CREDIT,
)


def _draw_legend(ax: Axes, network: Network, *, by_value: bool, corner: str, words: Mapping[str, str]) -> None:
    handles: list[Line2D] = []
    if not by_value:
        for mode in MODE_COLOURS:
            if any(lk.mode == mode for lk in network.links):
                handles.append(Line2D([], [], color=MODE_COLOURS[mode], lw=2.4, label=words.get(mode, mode)))
    kinds = {n.kind for n in network.nodes}
    for kind, (marker, face, size, label) in _NODE_STYLE.items():
        if kind in kinds:
            handles.append(
                Line2D([], [], ls="", marker=marker, ms=size, mfc=face, mec="#222222", label=words.get(label, label))
            )
    if any(n.is_border and n.kind != "border" for n in network.nodes):
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="D",
                ms=11,
                mfc="white",
                mec="#222222",
                label=words.get("… with border", "… with border"),
            )
        )
    if any(not lk.enabled for lk in network.links) or any(not n.enabled for n in network.nodes):
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                lw=1.8,
                ls=(0, (4, 3)),
                marker="o",
                mfc="white",
                label=words.get("planned", "planned"),
            )
        )
    if any(_is_long_sea(network, lk) for lk in network.links):
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                lw=1.4,
                ls=(0, (6, 4)),
                label=words.get("long sea leg (along estimated sea lanes)", "long sea leg (along estimated sea lanes)"),
            )
        )
    options: dict[str, Any] = {
        "loc": corner,
        "fontsize": 8.5,
        "framealpha": 0.92,
        "ncols": 2 if len(handles) > 7 else 1,
    }
    ax.legend(handles=handles, **options)


def _draw_colourbar(ax: Axes, mappable: ScalarMappable, label: str) -> None:
    fig = ax.get_figure()
    assert fig is not None
    bar = fig.colorbar(mappable, ax=ax, orientation="horizontal", fraction=0.035, pad=0.02, shrink=0.35, aspect=40)
    bar.set_label(label, fontsize=9)
    bar.ax.tick_params(labelsize=8)
