"""Where a long sea link is *drawn*: along bundled sea-lane waypoints, not straight across a continent.

A network's links have two ends and a distance, no geometry; a straight line from Shanghai to
Piraeus crosses Asia.  ``data/geo/sea-lanes.csv`` is a small graph of hand-placed waypoints at the
straits, canals and capes ships pass (Malacca, Bab-el-Mandeb, Suez, the Bosporus, Gibraltar, the
Cape of Good Hope …); ``sea-lanes-via.csv`` names a waypoint a bundled link must pass (the Cape
route).  A sea link whose ends are more than :data:`MIN_KM` apart is drawn from its first end to
the nearest waypoint, along the shortest lane (through its ``via`` waypoints) to the waypoint
nearest its other end, and on to that end.

The lanes are an **estimate for maps only**: the engines never read them, and a link's
``distance_km`` stays the figure every cost, time and emission uses (docs/design/web-pages.md).
"""

from __future__ import annotations

import csv
import heapq
import io
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from corridor.errors import DataError, Problem

MIN_KM = 2000.0
"""A sea link shorter than this (the Caspian and Black Sea crossings) is drawn straight, unless
``sea-lanes-via.csv`` names waypoints for it (the Caspian crossings round the Absheron Peninsula):
then it is drawn through those, in order."""
MAX_ATTACH_KM = 1500.0
"""An end farther than this from every waypoint has no lane near it: its link is drawn straight."""
SOURCE = {
    "kind": "estimate",
    "title": "Sea-lane waypoints for drawing long sea links (data/geo/sea-lanes.csv)",
    "publisher": "corridor",
    "year": 2026,
    "url": None,
    "note": "Estimate: waypoints placed by hand in mid-channel at the named straits, canals and capes "
    "(read off the Natural Earth coastlines, about ±30 km); the map's line only, never a distance.",
}
SOURCE_ID = "est-sea-lanes"
FILE, VIA_FILE = "sea-lanes.csv", "sea-lanes-via.csv"


@dataclass(frozen=True)
class Waypoint:
    """One point on the lanes: ``kind`` is strait, canal, cape or sea."""

    id: str
    name: str
    name_ru: str
    kind: str
    lat: float
    lon: float


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class SeaLanes:
    """The waypoint graph (undirected) and the bundled links' required waypoints."""

    waypoints: Mapping[str, Waypoint]
    neighbours: Mapping[str, tuple[str, ...]]
    via: Mapping[str, tuple[str, ...]]

    @classmethod
    def bundled(cls) -> SeaLanes:
        """The lanes in ``corridor/data/geo``.

        Raises
        ------
        DataError
            A row names a waypoint that is not in the file, or a coordinate is not a number in range.
        """
        folder = resources.files("corridor").joinpath("data/geo")
        return cls.from_csv(
            folder.joinpath(FILE).read_text(encoding="utf-8"), folder.joinpath(VIA_FILE).read_text(encoding="utf-8")
        )

    @classmethod
    def from_csv(cls, lanes: str, via: str) -> SeaLanes:
        problems: list[Problem] = []
        points: dict[str, Waypoint] = {}
        rows = list(csv.DictReader(io.StringIO(lanes)))
        for line, row in enumerate(rows, start=2):
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(Problem(FILE, "lat/lon is not a coordinate", line, "lat", record=row.get("id"),
                                        expected="-90..90, -180..180", got=f"{row.get('lat')}, {row.get('lon')}"))  # fmt: skip
                continue
            points[row["id"]] = Waypoint(row["id"], row["name"], row["name_ru"], row["kind"], lat, lon)
        edges: dict[str, set[str]] = {k: set() for k in points}
        for line, row in enumerate(rows, start=2):
            for other in filter(None, (row.get("next") or "").split(";")):
                if other not in points or row["id"] not in points:
                    problems.append(Problem(FILE, f"unknown waypoint {other!r}", line, "next", record=row["id"],
                                            expected="an id of this file", got=other))  # fmt: skip
                    continue
                edges[row["id"]].add(other)
                edges[other].add(row["id"])
        hints: dict[str, tuple[str, ...]] = {}
        for line, row in enumerate(csv.DictReader(io.StringIO(via)), start=2):
            ids = tuple(filter(None, row["via"].split(";")))
            for bad in (i for i in ids if i not in points):
                problems.append(Problem(VIA_FILE, f"unknown waypoint {bad!r}", line, "via", record=row["link"],
                                        expected=f"an id of {FILE}", got=bad))  # fmt: skip
            hints[row["link"]] = ids
        if problems:
            raise DataError(f"the bundled sea lanes have {len(problems)} problem(s)", problems)
        return cls(points, {k: tuple(sorted(v)) for k, v in edges.items()}, hints)

    def nearest(self, at: tuple[float, float]) -> tuple[str, float]:
        """The waypoint nearest ``at`` (lat, lon) and its distance in km."""
        return min(((k, km_between(at, (w.lat, w.lon))) for k, w in self.waypoints.items()), key=lambda kv: kv[1])

    def _shortest(self, start: str, end: str) -> list[str] | None:
        """Waypoint ids from ``start`` to ``end`` along the lanes (Dijkstra on great-circle km)."""
        best = {start: 0.0}
        back: dict[str, str] = {}
        heap = [(0.0, start)]
        while heap:
            d, k = heapq.heappop(heap)
            if k == end:
                path = [end]
                while path[-1] != start:
                    path.append(back[path[-1]])
                return path[::-1]
            if d > best[k]:
                continue
            here = self.waypoints[k]
            for n in self.neighbours[k]:
                there = self.waypoints[n]
                nd = d + km_between((here.lat, here.lon), (there.lat, there.lon))
                if nd < best.get(n, math.inf):
                    best[n], back[n] = nd, k
                    heapq.heappush(heap, (nd, n))
        return None

    def path(self, link: str, a: tuple[float, float], b: tuple[float, float]) -> tuple[Waypoint, ...] | None:
        """The waypoints a sea link from ``a`` to ``b`` (lat, lon) is drawn through, or ``None`` to
        draw it straight (short without waypoints of its own in ``via``, no lane near an end, or the
        lanes do not connect its ends)."""
        if km_between(a, b) < MIN_KM:
            via = self.via.get(link, ())
            return tuple(self.waypoints[i] for i in via) or None
        (start, d0), (end, d1) = self.nearest(a), self.nearest(b)
        if max(d0, d1) > MAX_ATTACH_KM:
            return None
        stops = [start, *self.via.get(link, ()), end]
        ids: list[str] = [start]
        for s, e in itertools.pairwise(stops):
            leg = self._shortest(s, e)
            if leg is None:
                return None
            ids.extend(leg[1:])
        return tuple(self.waypoints[i] for i in ids)


def passages(path: tuple[Waypoint, ...], *, russian: bool = False) -> list[str]:
    """The named straits, canals and capes of a path, in order, each once."""
    out: list[str] = []
    for w in path:
        name = w.name_ru if russian else w.name
        if w.kind != "sea" and name not in out:
            out.append(name)
    return out
