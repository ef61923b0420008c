"""The map's sea lanes: a long sea link is drawn over water along the straits it passes, about as
long as the distance the data gives it (which the lanes never change), and a short one stays straight."""

from __future__ import annotations

import itertools

import pytest

from corridor.errors import DataError
from corridor.network import load_network
from corridor.report.maps import load_region_outlines
from corridor.report.sea_lanes import SeaLanes, km_between
from corridor.service.routers.explore import network_geojson


def _inside(pt: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = pt
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _on_land(pt: tuple[float, float], outlines: dict) -> str | None:
    for f in outlines["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for poly in polys:
            if _inside(pt, poly[0]) and not any(_inside(pt, hole) for hole in poly[1:]):
                return str(f["properties"]["name"])
    return None


@pytest.fixture(scope="module")
def doc() -> dict:
    return network_geojson(load_network("middle-corridor"))


def _long_sea_links(doc: dict) -> list[dict]:
    return [f for f in doc["features"] if f["properties"]["kind"] == "link" and f["properties"]["path"]]


def test_long_sea_links_follow_the_lanes_and_short_ones_stay_straight(doc: dict) -> None:
    drawn = {f["properties"]["id"]: f for f in _long_sea_links(doc)}
    assert {"shanghai-piraeus-suez", "shanghai-rotterdam-suez", "shanghai-rotterdam-cape"} <= set(drawn)
    for f in doc["features"]:
        p = f["properties"]
        if p["kind"] == "link" and p["mode"] in ("sea", "ferry") and p["id"] not in drawn:
            assert len(f["geometry"]["coordinates"]) == 2, p["id"]  # Caspian and Black Sea crossings
    assert drawn["shanghai-piraeus-suez"]["properties"]["path"]["via"] == [
        "Taiwan Strait", "Singapore Strait", "Strait of Malacca", "Dondra Head (Sri Lanka)", "Bab-el-Mandeb",
        "Suez Canal", "Kasos Strait"]  # fmt: skip
    assert "Bosporus" in drawn["shanghai-constanta-suez"]["properties"]["path"]["via"]
    cape = drawn["shanghai-rotterdam-cape"]["properties"]["path"]["via"]
    assert "Cape of Good Hope" in cape and "Suez Canal" not in cape
    assert "Суэцкий канал" in drawn["shanghai-poti-suez"]["properties"]["path"]["via_ru"]


def test_drawn_length_is_near_the_datas_distance_which_stays(doc: dict) -> None:
    """The data's distances come from published sailing distances; the hand-placed lanes must come
    within 15 % of them (a line across Asia is 30–45 % short), and the link's figure is untouched."""
    net = load_network("middle-corridor")
    for f in _long_sea_links(doc):
        c = f["geometry"]["coordinates"]
        km = sum(km_between((a[1], a[0]), (b[1], b[0])) for a, b in itertools.pairwise(c))
        p = f["properties"]
        assert abs(km / p["distance_km"] - 1) < 0.15, (p["id"], km, p["distance_km"])
        assert p["distance_km"] == net.link(p["id"]).distance_km
        assert p["sources"]["path"] == "est-sea-lanes"
    assert doc["sources"]["est-sea-lanes"]["kind"] == "estimate"


def test_lanes_cross_no_land_but_the_suez_canal_and_the_turkish_straits(doc: dict) -> None:
    """Every stretch between two waypoints is over water on the map's own basemap, except the canal
    and the Dardanelles/Bosporus ("narrows": 1–3 km wide, closed in the 1:50m outlines)."""
    outlines = load_region_outlines()
    lo, la, hi, ha = outlines["bbox"]
    lanes = SeaLanes.bundled()
    canal = {(w.lon, w.lat) for w in lanes.waypoints.values() if w.kind in ("canal", "narrows")}
    for f in _long_sea_links(doc):
        c = [tuple(x) for x in f["geometry"]["coordinates"]]
        for a, b in itertools.pairwise(c[1:-1]):  # not the first and last stretch, port to lane
            if a in canal or b in canal:
                continue
            for k in range(1, 20):
                pt = (a[0] + (b[0] - a[0]) * k / 20, a[1] + (b[1] - a[1]) * k / 20)
                if lo <= pt[0] <= hi and la <= pt[1] <= ha:
                    assert _on_land(pt, outlines) is None, (f["properties"]["id"], a, b, pt, _on_land(pt, outlines))


def test_a_bad_lane_file_names_the_row_and_field() -> None:
    lanes = "id,name,name_ru,kind,lat,lon,next\na,A,А,sea,10,20,b\nc,C,В,sea,north,20,\n"
    with pytest.raises(DataError) as err:
        SeaLanes.from_csv(lanes, "link,via,note\nx,zz,\n")
    got = {(p.source, p.line, p.field, p.got) for p in err.value.problems}
    assert got == {("sea-lanes.csv", 2, "next", "b"), ("sea-lanes.csv", 3, "lat", "north, 20"),
                   ("sea-lanes-via.csv", 2, "via", "zz")}  # fmt: skip


def test_caspian_crossings_go_round_the_absheron_peninsula(doc: dict) -> None:
    """Aktau and Kuryk to Alat: the straight line crosses the Absheron Peninsula (Baku) on the
    basemap; the drawn line passes off its eastern tip and stays over water the whole way."""
    outlines = load_region_outlines()
    links = {f["properties"]["id"]: f for f in doc["features"] if f["properties"]["kind"] == "link"}

    def land(c: list[list[float]]) -> set[str]:
        out = set()
        for a, b in itertools.pairwise(c):
            for k in range(1, 40):
                found = _on_land((a[0] + (b[0] - a[0]) * k / 40, a[1] + (b[1] - a[1]) * k / 40), outlines)
                if found:
                    out.add(found)
        return out

    for lid in ("aktau-alat-feeder", "kuryk-alat-ferry"):
        c = links[lid]["geometry"]["coordinates"]
        assert land([c[0], c[-1]]) == {"Azerbaijan"}, lid  # straight, it would cross land
        assert len(c) == 3 and land(c) == set(), (lid, c)
        assert links[lid]["properties"]["path"]["via"] == ["Absheron Peninsula"]
        assert links[lid]["properties"]["path"]["via_ru"] == ["Апшеронский полуостров"]
    # the Black Sea crossings are over water already and stay straight
    assert len(links["poti-constanta"]["geometry"]["coordinates"]) == 2
