"""OpenStreetMap import: a hand-laid OSM file becomes a network that validates and routes."""

from __future__ import annotations

import importlib.util
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from click.testing import CliRunner

import corridor
from corridor.cli import cli
from corridor.errors import InputError
from corridor.network import import_osm, load_network, provenance_gaps, write_network

EARTH_KM = 6371.0088


@dataclass
class OsmBuilder:
    nodes: list[tuple[int, float, float, dict[str, str]]] = field(default_factory=list)
    ways: list[tuple[int, list[int], dict[str, str]]] = field(default_factory=list)
    next_node: int = 1000
    next_way: int = 1

    def node(self, lon: float, lat: float, **tags: str) -> int:
        self.next_node += 1
        self.nodes.append((self.next_node, lon, lat, tags))
        return self.next_node

    def line(self, start: tuple[float, float], end: tuple[float, float], steps: int) -> list[int]:
        return [
            self.node(start[0] + (end[0] - start[0]) * i / steps, start[1] + (end[1] - start[1]) * i / steps)
            for i in range(steps + 1)
        ]

    def way(self, refs: list[int], **tags: str) -> int:
        self.next_way += 1
        self.ways.append((self.next_way, refs, tags))
        return self.next_way

    def tag(self, osm_id: int, **tags: str) -> None:
        for i, (nid, lon, lat, old) in enumerate(self.nodes):
            if nid == osm_id:
                self.nodes[i] = (nid, lon, lat, {**old, **tags})

    def lonlat(self, osm_id: int) -> tuple[float, float]:
        return next((lon, lat) for nid, lon, lat, _ in self.nodes if nid == osm_id)

    def xml(self) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="corridor-tests">']
        stamp = 'version="1" timestamp="2026-10-15T12:00:00Z"'
        for nid, lon, lat, tags in self.nodes:
            inner = "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
            out.append(f'<node id="{nid}" {stamp} lat="{lat:.7f}" lon="{lon:.7f}">{inner}</node>')
        for wid, refs, tags in self.ways:
            inner = "".join(f'<nd ref="{r}"/>' for r in refs)
            inner += "".join(f"<tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items())
            out.append(f'<way id="{wid}" {stamp}>{inner}</way>')
        out.append("</osm>")
        return "\n".join(out) + "\n"

    def write(self, path: Path) -> Path:
        path.write_text(self.xml(), encoding="utf-8")
        return path


def haversine_km(points: list[tuple[float, float]]) -> float:
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(points):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * EARTH_KM * math.asin(math.sqrt(h))
    return total


@dataclass
class Corridor:
    builder: OsmBuilder
    main: list[int]  # Zhetygen … Altynkol, 1520 mm
    east: list[int]  # Altynkol … Yining, 1435 mm
    branch: list[int]  # junction … Koktal
    junction: int


def small_corridor() -> Corridor:
    b = OsmBuilder()
    main = b.line((77.10, 43.60), (80.10, 44.15), 60)  # inside Kazakhstan
    east = [main[-1], *b.line((80.10, 44.15), (81.30, 43.92), 40)[1:]]  # crosses into China
    junction = main[30]
    branch = [junction, *b.line(b.lonlat(junction), (79.00, 44.60), 12)[1:]]
    b.tag(main[-1], railway="station", name="Алтынколь", **{"name:en": "Altynkol", "name:ru": "Алтынколь"})
    b.tag(east[-1], railway="station", name="伊宁", **{"name:en": "Yining", "name:ru": "Кульджа"})
    b.tag(branch[-1], railway="station", name="Koktal")
    zlon, zlat = b.lonlat(main[0])
    b.node(zlon + 0.002, zlat + 0.002, railway="station", name="Zhetygen", **{"name:ru": "Жетыген"})  # beside track
    b.way(main, railway="rail", gauge="1520", electrified="contact_line", usage="main", maxspeed="100")
    b.way(east, railway="rail", gauge="1435", usage="main")
    b.way(branch, railway="rail", gauge="1520", usage="branch")
    siding = b.line(b.lonlat(main[10]), (77.70, 43.80), 3)
    b.way([main[10], *siding[1:]], railway="rail", service="siding", gauge="1520")
    b.way(b.line((75.0, 47.0), (75.5, 47.2), 5), railway="rail", gauge="1520")  # a fragment, no station
    b.way(b.line((76.0, 47.0), (76.1, 47.1), 3), highway="primary")  # not a railway
    return Corridor(b, main, east, branch, junction)


pytestmark = pytest.mark.skipif(importlib.util.find_spec("osmium") is None, reason="pyosmium not installed")


@pytest.fixture
def osm_file(tmp_path: Path) -> Path:
    return small_corridor().builder.write(tmp_path / "kz-cn.osm")


def test_places_are_stations_junctions_gauge_changes_and_borders(osm_file: Path) -> None:
    result = import_osm(osm_file, name="kz-cn")
    net = result.network
    by_name = {n.name: n for n in net.nodes}
    assert {"Zhetygen", "Altynkol", "Yining", "Koktal"} <= set(by_name)
    assert by_name["Altynkol"].kind == "gauge_change"  # 1520 mm meets 1435 mm
    assert by_name["Zhetygen"].country == "KZ" and by_name["Yining"].country == "CN"
    borders = [n for n in net.nodes if n.kind == "border"]
    assert len(borders) == 1 and borders[0].country == "CN"
    assert 80.1 < borders[0].lon < 81.3  # between Altynkol and Yining, where the line crosses
    junctions = [n for n in net.nodes if n.kind == "junction"]
    assert len(junctions) == 1  # the branch; the siding is left out
    assert result.dropped_fragments == 1 and result.stations == 4
    assert result.extract_date == "2026-10-15"
    assert len(net.links) == 5  # Zhetygen–junction, junction–Altynkol, junction–Koktal, Altynkol–border, border–Yining


def test_link_lengths_are_the_track_lengths(osm_file: Path) -> None:
    corr = small_corridor()
    net = import_osm(osm_file).network
    b = corr.builder
    expected = {
        frozenset({"Zhetygen", "Junction"}): haversine_km([b.lonlat(r) for r in corr.main[:31]]),
        frozenset({"Junction", "Koktal"}): haversine_km([b.lonlat(r) for r in corr.branch]),
        frozenset({"Junction", "Altynkol"}): haversine_km([b.lonlat(r) for r in corr.main[30:]]),
    }
    east_km = haversine_km([b.lonlat(r) for r in corr.east])
    names = {n.id: ("Junction" if n.kind == "junction" else n.name) for n in net.nodes}
    got = {frozenset({names[lk.from_id], names[lk.to_id]}): lk.distance_km for lk in net.links}
    for pair, km in expected.items():
        assert got[pair] == pytest.approx(km, abs=1e-3)
    across = [lk.distance_km for lk in net.links if "Yining" in {names[lk.from_id], names[lk.to_id]}]
    altyn_border = [
        lk.distance_km
        for lk in net.links
        if {names[lk.from_id], names[lk.to_id]} & {"Altynkol"} and lk.gauge_mm == 1435
    ]
    assert across[0] + altyn_border[0] == pytest.approx(east_km, abs=1e-3)
    gauges = {frozenset({names[lk.from_id], names[lk.to_id]}): lk.gauge_mm for lk in net.links}
    assert gauges[frozenset({"Zhetygen", "Junction"})] == 1520
    traction = {lk.traction for lk in net.links if lk.gauge_mm == 1435}
    assert traction == {"diesel"}


def test_written_network_validates_strictly_and_routes(osm_file: Path, tmp_path: Path) -> None:
    net = import_osm(osm_file, name="kz-cn").network
    folder = write_network(net, tmp_path / "kz-cn")
    loaded = load_network(folder)
    assert loaded == net
    assert provenance_gaps(loaded) == []
    assert loaded.resolve("Алтынколь").name == "Altynkol"
    assert loaded.resolve("Кульджа").name == "Yining"
    result = corridor.route(loaded, "Zhetygen", "Yining", corridor.Shipment.parse("1x40HC"))
    best = result.routes[0]
    assert [n for n in best.nodes if loaded.node(n).kind in ("gauge_change", "border")] == [
        loaded.resolve("Altynkol").id,
        next(n.id for n in loaded.nodes if n.kind == "border"),
    ]


def test_country_and_bbox_filters(osm_file: Path) -> None:
    kz = import_osm(osm_file, countries=["kz"]).network
    assert {n.country for n in kz.nodes if n.kind != "border"} == {"KZ"}
    assert any(n.kind == "border" for n in kz.nodes)  # kept up to the border
    assert "Yining" not in {n.name for n in kz.nodes}
    west = import_osm(osm_file, bbox=(76.5, 43.0, 79.5, 45.0)).network
    assert "Altynkol" not in {n.name for n in west.nodes}
    assert {"Zhetygen", "Koktal"} <= {n.name for n in west.nodes}


def test_pbf_reads_like_xml(osm_file: Path, tmp_path: Path) -> None:
    import osmium

    pbf = tmp_path / "kz-cn.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(osm_file)):
            writer.add(obj)
    from_pbf, from_xml = import_osm(pbf).network, import_osm(osm_file).network
    assert (from_pbf.nodes, from_pbf.links) == (from_xml.nodes, from_xml.links)
    assert from_pbf.nodes and from_pbf.sources[0].title.startswith("OpenStreetMap extract kz-cn.osm.pbf")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("this is not OpenStreetMap\n", "not a readable OpenStreetMap file"),
        ('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="1" lon="1"/></osm>', "no railway track"),
    ],
)
def test_bad_files_give_clean_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "bad.osm"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        import_osm(path)


def test_cli_imports_and_refuses_to_overwrite(osm_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "net"
    result = CliRunner().invoke(cli, ["network", "import-osm", str(osm_file), "-o", str(out), "--name", "kz-cn"])
    assert result.exit_code == 0, result.output
    assert "4 stations" in result.output and "1 border crossing" in result.output
    assert load_network(out).name == "kz-cn"
    again = CliRunner().invoke(cli, ["network", "import-osm", str(osm_file), "-o", str(out)])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = CliRunner().invoke(
        cli, ["network", "import-osm", str(osm_file), "-o", str(tmp_path / "x"), "--bbox", "1,2,3"]
    )
    assert bad.exit_code != 0 and "--bbox" in bad.output and "Traceback" not in bad.output


def test_the_documented_example_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/osm-import.md: the example file is the one the tests lay out, and each command prints what it shows."""
    root = Path(__file__).parents[2]
    example = small_corridor().builder.xml()
    assert (root / "docs/examples/kz-cn.osm").read_text(encoding="utf-8") == example
    doc = (root / "docs/osm-import.md").read_text(encoding="utf-8")
    block = doc.split("```console\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs/examples").mkdir(parents=True)
    (tmp_path / "docs/examples/kz-cn.osm").write_text(example, encoding="utf-8")
    for step in (s for s in block.split("$ ") if s.strip()):
        command, _, shown = step.partition("\n")
        result = CliRunner().invoke(cli, command.split()[1:])
        assert result.exit_code == 0, result.output
        assert result.stdout == shown, command
