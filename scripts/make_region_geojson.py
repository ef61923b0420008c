"""Make ``src/corridor/data/geo/region.geojson`` from world-atlas' Natural Earth TopoJSON.

Run once by a maintainer (nothing here runs at corridor's run time)::

    cd /tmp && npm install world-atlas@2
    python scripts/make_region_geojson.py /tmp/node_modules/world-atlas/countries-50m.json

Steps: decode the quantised, delta-encoded TopoJSON arcs; simplify each *arc* with
Douglas-Peucker (arcs are shared, so neighbouring borders stay identical); assemble each
country's rings; clip them to the corridor's box; round to 2 decimals (about 1 km); write
RFC 7946 GeoJSON (exterior rings counter-clockwise) with ``name`` and ISO 3166-1 ``iso_a2``.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

BOX = (-12.0, 15.0, 125.0, 62.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE_DEG = 0.02  # Douglas-Peucker tolerance; the map is drawn at ~0.05-0.1 deg per pixel
DECIMALS = 2
OUT = Path(__file__).resolve().parents[1] / "src" / "corridor" / "data" / "geo" / "region.geojson"

# ISO 3166-1 numeric -> alpha-2 for the countries that reach into BOX (from Debian's iso-codes).
NUMERIC_TO_ALPHA2: dict[str, str] = {
    "004": "AF",
    "008": "AL",
    "012": "DZ",
    "020": "AD",
    "031": "AZ",
    "040": "AT",
    "048": "BH",
    "050": "BD",
    "051": "AM",
    "056": "BE",
    "064": "BT",
    "070": "BA",
    "100": "BG",
    "104": "MM",
    "112": "BY",
    "148": "TD",
    "156": "CN",
    "158": "TW",
    "191": "HR",
    "196": "CY",
    "203": "CZ",
    "208": "DK",
    "232": "ER",
    "233": "EE",
    "234": "FO",
    "246": "FI",
    "248": "AX",
    "250": "FR",
    "268": "GE",
    "275": "PS",
    "276": "DE",
    "300": "GR",
    "344": "HK",
    "348": "HU",
    "356": "IN",
    "364": "IR",
    "368": "IQ",
    "372": "IE",
    "376": "IL",
    "336": "VA",
    "380": "IT",
    "392": "JP",
    "398": "KZ",
    "400": "JO",
    "408": "KP",
    "410": "KR",
    "414": "KW",
    "417": "KG",
    "418": "LA",
    "422": "LB",
    "428": "LV",
    "434": "LY",
    "438": "LI",
    "440": "LT",
    "442": "LU",
    "446": "MO",
    "466": "ML",
    "470": "MT",
    "478": "MR",
    "492": "MC",
    "496": "MN",
    "498": "MD",
    "499": "ME",
    "504": "MA",
    "512": "OM",
    "524": "NP",
    "528": "NL",
    "562": "NE",
    "578": "NO",
    "586": "PK",
    "608": "PH",
    "616": "PL",
    "620": "PT",
    "634": "QA",
    "642": "RO",
    "643": "RU",
    "674": "SM",
    "682": "SA",
    "688": "RS",
    "703": "SK",
    "704": "VN",
    "705": "SI",
    "724": "ES",
    "729": "SD",
    "732": "EH",
    "752": "SE",
    "756": "CH",
    "760": "SY",
    "762": "TJ",
    "764": "TH",
    "784": "AE",
    "788": "TN",
    "792": "TR",
    "795": "TM",
    "804": "UA",
    "807": "MK",
    "818": "EG",
    "826": "GB",
    "831": "GG",
    "832": "JE",
    "833": "IM",
    "854": "BF",
    "860": "UZ",
    "887": "YE",
}

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topo: dict) -> list[list[Point]]:
    """Absolute lon/lat coordinates of every arc (undo the delta encoding and quantisation)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, iterative, endpoints kept."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > best:
                best, best_k = d, k
        if best > tol:
            keep[best_k] = True
            stack += [(i, best_k), (best_k, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from_arcs(indices: list[int], arcs: list[list[Point]]) -> Ring:
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of one ring against the (convex) box."""
    x0, y0, x1, y1 = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1)),
    )
    out = ring[:-1] if ring and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        src, out = out, []
        for k, cur in enumerate(src):
            prev = src[k - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
        if not out:
            return []
    return out


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def finish(ring: Ring, exterior: bool) -> list[list[float]] | None:
    """Round, drop repeated points, close, orient (RFC 7946); None if degenerate."""
    pts: list[list[float]] = []
    for x, y in ring:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return None
    area2 = sum(pts[k - 1][0] * pts[k][1] - pts[k][0] * pts[k - 1][1] for k in range(len(pts)))
    if abs(area2) < 2 * 10 ** (-2 * DECIMALS):
        return None
    if (area2 > 0) != exterior:
        pts.reverse()
    return [*pts, pts[0]]


def country_polygons(geometry: dict, arcs: list[list[Point]]) -> list[list[list[list[float]]]]:
    polys = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    result = []
    for poly in polys:
        rings = []
        for n, ring_arcs in enumerate(poly):
            ring = finish(clip_ring(ring_from_arcs(ring_arcs, arcs), BOX), exterior=n == 0)
            if ring is None and n == 0:
                break
            if ring is not None:
                rings.append(ring)
        if rings:
            result.append(rings)
    return result


def convert(topo: dict) -> dict:
    arcs = [simplify(arc, TOLERANCE_DEG) for arc in decode_arcs(topo)]
    features = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = country_polygons(geometry, arcs)
        if not polygons:
            continue
        name = geometry["properties"]["name"]
        code = NUMERIC_TO_ALPHA2.get(str(geometry.get("id", "")), EXTRA_ALPHA2.get(name, ""))
        geom = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        features.append({"type": "Feature", "properties": {"name": name, "iso_a2": code}, "geometry": geom})
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "bbox": list(BOX), "features": features}


EXTRA_ALPHA2 = {"Kosovo": "XK"}  # user-assigned code used by the EU and Natural Earth; not ISO


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json (or -110m)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    data = convert(json.loads(args.topojson.read_text(encoding="utf-8")))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    missing = sorted(f["properties"]["name"] for f in data["features"] if not f["properties"]["iso_a2"])
    print(f"wrote {args.output}: {len(data['features'])} countries, {len(text) / 1e6:.2f} MB; no code: {missing}")


if __name__ == "__main__":
    main()
