"""OpenStreetMap railways → a corridor :class:`Network`.

The importer reads one OSM file (``.osm.pbf``, ``.osm`` XML, anything libosmium reads) with
pyosmium, keeps the ways tagged ``railway=rail`` (yard, siding, spur and crossover tracks are
left out: at corridor scale they are the inside of a station), and contracts them into a graph
whose nodes are the places a planner names:

- **stations and yards**: OSM nodes tagged ``railway=station|yard`` (or ``public_transport=
  station`` with ``train=yes``) on the track, or within :data:`SNAP_KM` of it (snapped to the
  nearest track node);
- **junctions**: track nodes where three or more track segments meet, and the ends of lines;
- **gauge changes**: track nodes where ways of different ``gauge`` meet;
- **border crossings**: where a line passes from one country to another, located on the
  bundled Natural Earth outlines (``data/geo/region.geojson``, ≈1 km) by bisection along the line.

Each stretch of track between two such places becomes one ``rail`` link with its length (the sum
of great-circle distances along the track), ``gauge_mm`` from the ways' ``gauge`` tag, traction
from ``electrified`` and the ways' ``usage`` and ``maxspeed`` in its note.  Every row cites one
``sources.csv`` row for the extract, with its date and the ODbL attribution.  Times, capacities,
dwell and tariffs are not in OSM and stay empty: the importer never invents them.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np

from corridor.errors import DataError, InputError, Problem
from corridor.network._model import Link, Network, Node, Source

SOURCE_ID: Final = "osm-extract"
SNAP_KM: Final = 1.0
SKIPPED_SERVICE: Final = frozenset({"yard", "siding", "spur", "crossover"})
STATION_VALUES: Final = frozenset({"station", "yard"})
ELECTRIFIED: Final = frozenset({"contact_line", "rail", "yes", "4th_rail", "ground-level_power_supply"})
GAUGE_ESTIMATE_ID: Final = "osm-gauge-by-country"
#: Main-line gauge where a way has no ``gauge`` tag: 1520 mm in the former USSR and Mongolia
#: (1524 mm in Finland), 1668 mm in Spain and Portugal, 1435 mm elsewhere in the region.
MAIN_LINE_GAUGE: Final = {
    **dict.fromkeys(
        ("RU", "BY", "UA", "MD", "KZ", "UZ", "TM", "KG", "TJ", "AZ", "GE", "AM", "MN", "LT", "LV", "EE"), 1520
    ),
    "FI": 1524,
    "ES": 1668,
    "PT": 1668,
}
_SAMPLE_EVERY: Final = 16
_RADIUS_KM: Final = 6371.0088

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class OsmImport:
    """What :func:`import_osm` built, with counts a user checks the import by."""

    network: Network
    ways: int
    track_km: float
    stations: int
    junctions: int
    gauge_changes: int
    borders: int
    dropped_fragments: int
    outside_outlines: int
    extract_date: str
    countries: tuple[str, ...] = field(default=())


@dataclass(slots=True)
class _Track:
    """The railway part of the file, as arrays: what the contraction works on."""

    ids: list[int] = field(default_factory=list)  # OSM node id per track node
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)
    edges: list[tuple[int, int, int]] = field(default_factory=list)  # (a, b, way number)
    ways: list[dict[str, str]] = field(default_factory=list)  # tags per kept way
    places: dict[int, dict[str, str]] = field(default_factory=dict)  # station OSM id -> tags
    place_lonlat: dict[int, tuple[float, float]] = field(default_factory=dict)
    newest: str = ""

    def node(self, osm_id: int, lon: float, lat: float) -> int:
        k = self.index.get(osm_id)
        if k is None:
            k = self.index[osm_id] = len(self.ids)
            self.ids.append(osm_id)
            self.lon.append(lon)
            self.lat.append(lat)
        return k


def import_osm(
    path: str | Path,
    *,
    name: str = "osm-railways",
    bbox: tuple[float, float, float, float] | None = None,
    countries: Sequence[str] = (),
    progress: Progress | None = None,
) -> OsmImport:
    """Build a corridor network from the railways in an OpenStreetMap file.

    Parameters
    ----------
    path
        An OSM file (``.osm.pbf``, ``.osm``, ``.osm.bz2`` …).
    name
        The new network's name.
    bbox
        ``(min_lon, min_lat, max_lon, max_lat)``: track outside it is left out.
    countries
        ISO 3166-1 alpha-2 codes: keep only the lines in these countries, up to their borders.
    progress
        Called with a short message at each phase.

    Raises
    ------
    InputError
        The file cannot be read, is not OSM, or holds no railway that survives the filters.
    """
    file = Path(path)
    say = progress or (lambda _msg: None)
    wanted = tuple(c.upper() for c in countries)
    if bbox is not None and not (bbox[0] < bbox[2] and bbox[1] < bbox[3]):
        raise InputError(
            "bbox must be min_lon,min_lat,max_lon,max_lat with min < max",
            [Problem("bbox", "expected min_lon < max_lon and min_lat < max_lat", field="bbox", got=str(bbox))],
        )
    say(f"reading railways from {file.name}")
    track = _read(file, bbox)
    if not track.edges:
        raise InputError(
            f"{file}: no railway track (ways tagged railway=rail) found" + (" inside the bbox" if bbox else ""),
            [Problem(str(file), "expected ways tagged railway=rail with node locations")],
        )
    say(f"{len(track.ways):,} railway ways, {len(track.ids):,} track nodes; finding stations, junctions, borders")
    return _build(track, file=file, name=name, countries=wanted, say=say)


# --- reading ---------------------------------------------------------------------------------
def _read(file: Path, bbox: tuple[float, float, float, float] | None) -> _Track:
    import osmium  # imported here: reading OSM is the only use, and importing corridor does no work

    if not file.is_file():
        raise InputError(f"{file}: no such file", [Problem(str(file), "expected an OpenStreetMap file")])
    track = _Track()

    def inside(lon: float, lat: float) -> bool:
        return bbox is None or (bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3])

    try:
        processor = (
            osmium.FileProcessor(str(file), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("railway", "public_transport"))
        )
        for obj in processor:
            if not isinstance(obj, osmium.osm.Node | osmium.osm.Way):
                continue
            stamp = obj.timestamp.isoformat() if obj.timestamp and obj.timestamp.year >= 2004 else ""
            if stamp > track.newest:
                track.newest = stamp
            if isinstance(obj, osmium.osm.Node):
                tags = dict(obj.tags)
                if _is_station(tags) and obj.location.valid() and inside(obj.location.lon, obj.location.lat):
                    track.places[obj.id] = tags
                    track.place_lonlat[obj.id] = (obj.location.lon, obj.location.lat)
            elif isinstance(obj, osmium.osm.Way):
                tags = dict(obj.tags)
                if tags.get("railway") != "rail" or tags.get("service") in SKIPPED_SERVICE:
                    continue
                way_no = len(track.ways)
                prev: int | None = None
                kept = False
                for ref in obj.nodes:
                    loc = ref.location
                    if not loc.valid() or not inside(loc.lon, loc.lat):
                        prev = None
                        continue
                    k = track.node(ref.ref, loc.lon, loc.lat)
                    if prev is not None and prev != k:
                        track.edges.append((prev, k, way_no))
                        kept = True
                    prev = k
                if kept:
                    track.ways.append(tags)
    except RuntimeError as exc:  # libosmium's errors: not OSM, truncated, unknown format
        raise InputError(
            f"{file}: not a readable OpenStreetMap file ({exc})",
            [Problem(str(file), "expected an OSM file (.osm.pbf, .osm)", got=str(exc))],
        ) from None
    return track


def _is_station(tags: dict[str, str]) -> bool:
    if tags.get("railway") in STATION_VALUES:
        return True
    return tags.get("public_transport") == "station" and tags.get("train") == "yes"


# --- contraction -----------------------------------------------------------------------------
def _build(track: _Track, *, file: Path, name: str, countries: tuple[str, ...], say: Progress) -> OsmImport:
    lon = np.asarray(track.lon)
    lat = np.asarray(track.lat)
    n = len(lon)
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, b, way in track.edges:
        adjacency[a].append((b, way))
        adjacency[b].append((a, way))

    locate = _CountryLocator.bundled()
    first = np.zeros(len(track.ways), dtype=np.int64)
    for a, _, way in reversed(track.edges):
        first[way] = a
    way_country = locate(lon[first], lat[first])
    gauges = [_gauge(tags, c) for tags, c in zip(track.ways, way_country, strict=True)]
    station_at = _snap_stations(track, lon, lat)
    key = np.zeros(n, dtype=bool)
    kind = np.full(n, "", dtype=object)
    for k, nbrs in enumerate(adjacency):
        if len({b for b, _ in nbrs}) != 2:
            key[k], kind[k] = True, "junction"
        if len({gauges[w][0] for _, w in nbrs}) > 1:
            key[k], kind[k] = True, "gauge_change"
        elif len({_traction(track.ways[w]) for _, w in nbrs}) > 1 and not key[k]:
            key[k], kind[k] = True, "junction"  # traction changes: locomotives are changed here
    for k in station_at:
        key[k] = True
        if kind[k] != "gauge_change":
            kind[k] = "terminal"

    chains = _chains(adjacency, key)
    say(f"{int(key.sum()):,} places, {len(chains):,} stretches of line; locating borders")
    country = np.full(n, "", dtype=object)
    sampled = sorted({k for chain, _ in chains for k in chain[::_SAMPLE_EVERY]} | set(np.flatnonzero(key).tolist()))
    sampled += [chain[-1] for chain, _ in chains]
    country[sampled] = locate(lon[sampled], lat[sampled])
    border = np.zeros(n, dtype=bool)
    chains = _split_at_borders(chains, country, kind, key, border, lambda ks: locate(lon[ks], lat[ks]))

    links: list[tuple[int, int, list[int], int]] = []
    outside = 0
    for chain, way in chains:
        a, b = chain[0], chain[-1]
        if "XX" in (country[a], country[b]):
            outside += 1
            continue
        if countries and not _keep(str(country[a]), str(country[b]), bool(border[a]), bool(border[b]), countries):
            continue
        links.append((a, b, chain, way))
    links, dropped = _drop_fragments(links, station_at)
    if not links:
        raise InputError(
            f"{file}: no railway line between two places is left after the filters",
            [Problem(str(file), "expected at least one line that reaches a station", field="country")],
        )
    parts = _Parts(track, station_at, kind, country, border, lon, lat, gauges)
    return _network(parts, links, file=file, name=name, dropped=dropped, outside=outside)


@dataclass(frozen=True, slots=True)
class _Parts:
    track: _Track
    station_at: dict[int, dict[str, str]]
    kind: np.ndarray
    country: np.ndarray
    border: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    gauges: list[tuple[int, bool]]


def _snap_stations(track: _Track, lon: np.ndarray, lat: np.ndarray) -> dict[int, dict[str, str]]:
    """Track node → station tags: stations on the track, or snapped from within :data:`SNAP_KM`."""
    out: dict[int, dict[str, str]] = {}
    off_track = [(osm_id, tags) for osm_id, tags in track.places.items() if osm_id not in track.index]
    for osm_id, tags in track.places.items():
        if osm_id in track.index:
            out[track.index[osm_id]] = tags
    if off_track:
        from scipy.spatial import cKDTree  # only when a station lies beside the track

        tree = cKDTree(_xyz(lon, lat))
        pts = np.array([track.place_lonlat[i] for i, _ in off_track])
        dist, nearest = tree.query(_xyz(pts[:, 0], pts[:, 1]))
        for (_, tags), d, k in zip(off_track, dist, nearest, strict=True):
            if d * _RADIUS_KM <= SNAP_KM and int(k) not in out:
                out[int(k)] = tags
    return out


def _chains(adjacency: list[list[tuple[int, int]]], key: np.ndarray) -> list[tuple[list[int], int]]:
    """Walk from every key node along each track edge to the next key node."""
    seen: set[tuple[int, int]] = set()
    chains: list[tuple[list[int], int]] = []
    for start in np.flatnonzero(key).tolist():
        for nxt, way in adjacency[start]:
            if (start, nxt) in seen:
                continue
            chain = [start, nxt]
            seen.add((start, nxt))
            while not key[chain[-1]]:
                here, back = chain[-1], chain[-2]
                step = next((b for b, _ in adjacency[here] if b != back), None)
                if step is None:
                    break
                seen.add((here, step))
                chain.append(step)
            seen.add((chain[-1], chain[-2]))
            chains.append((chain, way))
    return chains  # a ring with no key node at all (a loop with no station or junction) is left out


def _split_at_borders(
    chains: list[tuple[list[int], int]],
    country: np.ndarray,
    kind: np.ndarray,
    key: np.ndarray,
    border: np.ndarray,
    locate: Callable[[np.ndarray], list[str]],
) -> list[tuple[list[int], int]]:
    """Cut every chain where it changes country; the first track node across becomes a border node.

    Countries are known at every :data:`_SAMPLE_EVERY`-th node; between two samples that differ,
    every node is located (in one batch for the whole file) to find the one that crosses.
    """
    spans: list[tuple[int, int, int]] = []  # (chain number, lo, hi) with differing countries
    for c, (chain, _) in enumerate(chains):
        samples = sorted({*range(0, len(chain), _SAMPLE_EVERY), len(chain) - 1})
        spans += [(c, lo, hi) for lo, hi in itertools.pairwise(samples) if country[chain[lo]] != country[chain[hi]]]
    inner = sorted({k for c, lo, hi in spans for k in chains[c][0][lo + 1 : hi] if not country[k]})
    if inner:
        country[inner] = locate(np.asarray(inner))
    cuts: dict[int, list[int]] = defaultdict(list)
    for c, lo, hi in spans:
        chain = chains[c][0]
        at = next(i for i in range(lo + 1, hi + 1) if country[chain[i]] != country[chain[lo]])
        here = chain[at]
        border[here] = True
        if not key[here] or kind[here] == "junction":
            key[here], kind[here] = True, "border"
        if at < len(chain) - 1:
            cuts[c].append(at)
    out: list[tuple[list[int], int]] = []
    for c, (chain, way) in enumerate(chains):
        start = 0
        for cut in cuts.get(c, ()):
            out.append((chain[start : cut + 1], way))
            start = cut
        out.append((chain[start:], way))
    return [(ch, w) for ch, w in out if len(ch) > 1]


def _keep(ca: str, cb: str, border_a: bool, border_b: bool, countries: tuple[str, ...]) -> bool:
    """A line inside the chosen countries, or one that leads from them to a border crossing."""
    if ca in countries and cb in countries:
        return True
    return (ca in countries and border_b) or (cb in countries and border_a)


def _drop_fragments(
    links: list[tuple[int, int, list[int], int]], station_at: dict[int, dict[str, str]]
) -> tuple[list[tuple[int, int, list[int], int]], int]:
    """Keep the connected pieces of line that reach at least one station."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _, _ in links:
        parent[find(a)] = find(b)
    with_station = {find(k) for k in station_at if k in parent}
    pieces = {find(a) for a, _, _, _ in links}
    kept = [lk for lk in links if find(lk[0]) in with_station]
    return kept, len(pieces - with_station)


# --- the network -----------------------------------------------------------------------------
def _network(
    parts: _Parts,
    links: list[tuple[int, int, list[int], int]],
    *,
    file: Path,
    name: str,
    dropped: int,
    outside: int,
) -> OsmImport:
    track, country = parts.track, parts.country
    used = sorted({k for a, b, _, _ in links for k in (a, b)})
    ids = _node_ids(used, track, parts.station_at)
    nodes = [_node(parts, k, ids[k]) for k in used]
    out_links = []
    counter: dict[str, int] = defaultdict(int)
    km_total = 0.0
    estimated_gauge = False
    for a, b, chain, way in links:
        km = _length_km(parts.lon[chain], parts.lat[chain])
        km_total += km
        base = f"{ids[a]}--{ids[b]}"
        counter[base] += 1
        tags = track.ways[way]
        gauge, tagged = parts.gauges[way]
        estimated_gauge |= not tagged
        note = "; ".join(f"{k}={tags[k]}" for k in ("usage", "maxspeed", "electrified", "ref") if k in tags)
        out_links.append(
            Link(
                id=base if counter[base] == 1 else f"{base}-{counter[base]}",
                from_id=ids[a],
                to_id=ids[b],
                mode="rail",
                distance_km=round(km, 3),
                gauge_mm=gauge,
                country=str(country[a]) if country[a] == country[b] else "",
                operator=tags.get("operator", ""),
                traction=_traction(tags),
                note=note,
                provenance={"distance_km": SOURCE_ID, "gauge_mm": SOURCE_ID if tagged else GAUGE_ESTIMATE_ID},
            )
        )
    date = track.newest[:10] or datetime.now(UTC).date().isoformat()
    sources = [
        Source(
            id=SOURCE_ID,
            kind="published",
            title=f"OpenStreetMap extract {file.name}, data up to {date}",
            publisher="© OpenStreetMap contributors",
            year=int(date[:4]),
            url="https://www.openstreetmap.org/copyright",
            note="Open Database License (ODbL) 1.0: attribute OpenStreetMap contributors; share derived data alike",
        )
    ]
    if estimated_gauge:
        sources.append(
            Source(
                id=GAUGE_ESTIMATE_ID,
                kind="estimate",
                title="Track gauge not tagged in OSM: taken as the country's main-line gauge "
                "(1520 mm in the former USSR and Mongolia, 1435 mm elsewhere; see _osm.MAIN_LINE_GAUGE)",
            )
        )
    try:
        network = Network(
            name=name,
            version=date,
            description=f"Railways imported from {file.name} (OpenStreetMap, ODbL)",
            nodes=tuple(nodes),
            links=tuple(out_links),
            sources=tuple(sources),
        )
    except DataError as exc:
        raise InputError(f"{file}: the imported railways do not form a valid network", exc.problems) from None
    kinds = [nd.kind for nd in nodes]
    return OsmImport(
        network=network,
        ways=len(track.ways),
        track_km=km_total,
        stations=sum(1 for k in used if k in parts.station_at),
        junctions=kinds.count("junction"),
        gauge_changes=kinds.count("gauge_change"),
        borders=sum(1 for nd in nodes if nd.is_border),
        dropped_fragments=dropped,
        outside_outlines=outside,
        extract_date=date,
        countries=tuple(sorted({nd.country for nd in nodes})),
    )


def _node(parts: _Parts, k: int, node_id: str) -> Node:
    tags = parts.station_at.get(k, {})
    label, aliases = _names(tags)
    kind = str(parts.kind[k])
    lat, lon = float(parts.lat[k]), float(parts.lon[k])
    if not label:
        what = {"gauge_change": "Gauge change", "border": "Border crossing"}.get(kind, "Junction")
        label = f"{what} {parts.country[k]} {lat:.3f}, {lon:.3f}"
    return Node(
        id=node_id,
        name=label,
        country=str(parts.country[k]),
        kind=kind,
        lat=round(lat, 6),
        lon=round(lon, 6),
        aliases=aliases,
        border=bool(parts.border[k]) and kind != "border",
        operator=tags.get("operator", ""),
        note=f"OSM node {parts.track.ids[k]}",
        provenance={"lat": SOURCE_ID, "lon": SOURCE_ID},
    )


def _node_ids(used: Iterable[int], track: _Track, station_at: dict[int, dict[str, str]]) -> dict[int, str]:
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for k in used:
        label, _ = _names(station_at.get(k, {}))
        slug = _slug(label)
        candidate = slug if slug and slug.casefold() not in taken else f"osm-{track.ids[k]}"
        taken.add(candidate.casefold())
        ids[k] = candidate
    return ids


def _names(tags: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """English name first where OSM has one; every other spelling becomes an alias."""
    label = tags.get("name:en") or tags.get("int_name") or tags.get("name", "")
    spellings: list[str] = []
    for k, v in sorted(tags.items()):
        if k == "name" or k.startswith(("name:", "alt_name", "old_name", "official_name", "int_name")):
            spellings.extend(s.strip() for s in v.split(";"))
    aliases = tuple(dict.fromkeys(s for s in spellings if s and s != label))
    return label, aliases


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug if len(slug) >= 2 and slug.isascii() else ""


def _gauge(tags: dict[str, str], country: str) -> tuple[int, bool]:
    """The way's gauge in mm and whether OSM tagged it (else the country's main-line gauge)."""
    raw = tags.get("gauge", "").split(";")[0].strip()
    if raw.isdigit():
        return int(raw), True
    return MAIN_LINE_GAUGE.get(country, 1435), False


def _traction(tags: dict[str, str]) -> str:
    return "electric" if tags.get("electrified") in ELECTRIFIED else "diesel"


def _xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _length_km(lon: np.ndarray, lat: np.ndarray) -> float:
    """Great-circle length of a polyline (haversine per segment)."""
    lo, la = np.radians(lon), np.radians(lat)
    h = np.sin(np.diff(la) / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(np.diff(lo) / 2) ** 2
    return float(np.sum(2 * _RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))))


# --- countries -------------------------------------------------------------------------------
class _CountryLocator:
    """ISO alpha-2 of lon/lat points on the bundled Natural Earth outlines (ray casting)."""

    def __init__(self, features: list[dict[str, Any]]) -> None:
        self.rings: list[tuple[str, np.ndarray, tuple[float, float, float, float]]] = []
        for feature in features:
            code = feature["properties"].get("iso_a2") or ""
            geom = feature["geometry"]
            polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            for polygon in polygons:
                for i, ring in enumerate(polygon):
                    pts = np.asarray(ring, dtype=float)
                    bbox = (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max())
                    self.rings.append((code if i == 0 else f"-{code}", pts, bbox))

    @classmethod
    def bundled(cls) -> _CountryLocator:
        text = resources.files("corridor").joinpath("data/geo/region.geojson").read_text(encoding="utf-8")
        return cls(json.loads(text)["features"])

    def __call__(self, lon: np.ndarray, lat: np.ndarray) -> list[str]:
        count: dict[str, np.ndarray] = {}
        for code, ring, (x0, y0, x1, y1) in self.rings:
            box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
            if not box.any():
                continue
            idx = np.flatnonzero(box)
            hit = _in_ring(lon[idx], lat[idx], ring)
            name = code.lstrip("-")
            acc = count.setdefault(name, np.zeros(len(lon), dtype=int))
            acc[idx[hit]] += -1 if code.startswith("-") else 1
        out = [""] * len(lon)
        for name, acc in count.items():
            for hit_at in np.flatnonzero(acc > 0).tolist():
                out[hit_at] = name
        for i, code in enumerate(out):
            if not code:  # on a simplified coastline or just off it: the nearest outline's country
                out[i] = self._nearest(float(lon[i]), float(lat[i]))
        return out

    def _nearest(self, lon: float, lat: float) -> str:
        best, best_d = "XX", math.inf
        for code, ring, _ in self.rings:
            if code.startswith("-") or not code:
                continue
            d = float(np.min((ring[:, 0] - lon) ** 2 + (ring[:, 1] - lat) ** 2))
            if d < best_d:
                best, best_d = code, d
        return best if best_d <= 0.25**2 else "XX"


def _in_ring(x: np.ndarray, y: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Even–odd rule, vectorised in blocks of points × edges (memory stays a few MB)."""
    inside = np.zeros(len(x), dtype=bool)
    x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    slope = np.divide(x1 - x0, y1 - y0, out=np.zeros_like(x0), where=y1 != y0)
    for p in range(0, len(x), 4096):
        px, py = x[p : p + 4096, None], y[p : p + 4096, None]
        odd = np.zeros(len(px), dtype=bool)
        for e in range(0, len(x0), 256):
            b0, b1 = y0[None, e : e + 256], y1[None, e : e + 256]
            crosses = (b0 > py) != (b1 > py)
            xint = x0[None, e : e + 256] + (py - b0) * slope[None, e : e + 256]
            odd ^= (crosses & (px < xint)).sum(axis=1) % 2 == 1
        inside[p : p + 4096] = odd
    return inside
