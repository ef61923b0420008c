"""Maps: bundled offline outlines, a non-blank picture, the CLI, and no network access."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.image import imread

from corridor.cli import main
from corridor.errors import InputError, UnknownNameError
from corridor.network import load_network
from corridor.report.maps import draw_network_map, load_region_outlines, save_network_map

MINI = Path(__file__).parents[1] / "data" / "mini"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to open a connection: maps must work offline."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a map tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_outlines_cover_the_corridor_countries() -> None:
    data = load_region_outlines()
    codes = {f["properties"]["iso_a2"] for f in data["features"]}
    assert {"KZ", "AZ", "GE", "TR", "CN", "RU", "TM", "IR"} <= codes
    assert all(f["properties"]["name"] for f in data["features"])
    lon0, lat0, lon1, lat1 = data["bbox"]
    for feature in data["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for ring in (ring for poly in polygons for ring in poly):
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert all(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in ring)


def test_caspian_is_a_gap_between_countries() -> None:
    """A point in the middle of the Caspian Sea lies in no country's outline."""
    from matplotlib.path import Path as MplPath

    caspian, tbilisi = (50.5, 42.0), (44.8, 41.7)
    hits = {"caspian": [], "tbilisi": []}
    for feature in load_region_outlines()["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for poly in polygons:
            outline = MplPath(poly[0])
            if outline.contains_point(caspian):
                hits["caspian"].append(feature["properties"]["iso_a2"])
            if outline.contains_point(tbilisi):
                hits["tbilisi"].append(feature["properties"]["iso_a2"])
    assert hits == {"caspian": [], "tbilisi": ["GE"]}


def test_mini_map_is_a_real_picture(tmp_path: Path) -> None:
    out = save_network_map(load_network(MINI), tmp_path / "mini.png")
    image = imread(out)
    height, width = image.shape[:2]
    assert 1200 <= width <= 2000 and 500 <= height <= 1200
    assert float(np.std(image[..., :3])) > 0.05  # not blank
    assert out.stat().st_size > 20_000
    assert not list(tmp_path.glob(".*part"))


def test_values_highlights_and_svg(tmp_path: Path) -> None:
    network = load_network(MINI)
    fig = draw_network_map(
        network, link_values={"PQ": 1.2, "AG": 0.3}, value_label="utilisation", highlight_nodes=["P"]
    )
    assert len(fig.axes) == 2  # the map and its colour bar
    out = save_network_map(network, tmp_path / "mini.svg", title="Mini")
    assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_bad_inputs_raise_clean_errors(tmp_path: Path) -> None:
    network = load_network(MINI)
    with pytest.raises(UnknownNameError, match="link"):
        draw_network_map(network, link_values={"nope": 1.0})
    with pytest.raises(UnknownNameError):
        draw_network_map(network, highlight_nodes=["nowhere"])
    with pytest.raises(InputError, match=r"\.png"):
        save_network_map(network, tmp_path / "map.gif")
    with pytest.raises(InputError, match="does not exist"):
        save_network_map(network, tmp_path / "missing" / "map.png")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_map(tmp_path: Path) -> None:
    out = tmp_path / "mini.png"
    assert main(["network", "map", str(MINI), "-o", str(out), "--highlight", "kvyu"]) == 0
    assert imread(out).shape[1] >= 1200


def test_cli_bad_network_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.png"
    assert main(["network", "map", str(tmp_path / "no-such-network"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err
    assert not out.exists()


def test_cli_help() -> None:
    from corridor.cli import cli

    result = CliRunner().invoke(cli, ["network", "map", "--help"])
    assert result.exit_code == 0
    assert "--output" in result.output and "offline" in result.output


def test_bundled_corridor_map(tmp_path: Path) -> None:
    out = tmp_path / "mc.png"
    assert main(["network", "map", "middle-corridor", "-o", str(out)]) == 0
    assert float(np.std(imread(out)[..., :3])) > 0.05


def test_the_report_map_draws_sea_legs_along_the_same_lanes_as_the_workbench() -> None:
    """The matplotlib map's sea lines are the workbench's (network_geojson): the long legs through
    Suez or round the Cape, the Caspian crossings round Absheron, not arcs or lines across land."""
    from matplotlib.collections import LineCollection

    from corridor.service.routers.explore import network_geojson

    net = load_network("middle-corridor")
    fig = draw_network_map(net)
    drawn = [
        [tuple(map(float, p)) for p in seg]
        for ax in fig.axes[:1]
        for coll in ax.collections
        if isinstance(coll, LineCollection)
        for seg in coll.get_segments()
    ]
    lanes = [
        f for f in network_geojson(net)["features"] if f["properties"]["kind"] == "link" and f["properties"]["path"]
    ]
    assert {f["properties"]["id"] for f in lanes} >= {"shanghai-piraeus-suez", "aktau-alat-feeder"}
    for f in lanes:
        want = [tuple(map(float, p)) for p in f["geometry"]["coordinates"]]
        assert want in drawn, f["properties"]["id"]
