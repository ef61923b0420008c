from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from corridor.cli import cli

MINI = Path(__file__).parents[1] / "data" / "mini"


def test_validate_prints_one_line_summary() -> None:
    result = CliRunner().invoke(cli, ["network", "validate", str(MINI)])
    assert result.exit_code == 0
    assert result.output.strip().splitlines() == [
        "ok: mini 1: 6 nodes in 4 countries, 5 links (2,400 km), 1 services, 1 closure rules, 1 sources"
    ]


def test_show_reports_km_by_mode_and_gauge_changes() -> None:
    result = CliRunner().invoke(cli, ["network", "show", str(MINI)])
    assert result.exit_code == 0
    assert "Gauge changes: Gamma Gate (G)" in result.output
    data = json.loads(CliRunner().invoke(cli, ["network", "show", str(MINI), "--json"]).output)
    assert data["km_by_mode"] == {"ferry": 400.0, "rail": 2000.0}
    assert data["gauge_changes"] == ["G"]


def test_export_geojson_has_points_and_lines(tmp_path: Path) -> None:
    out = tmp_path / "mini.geojson"
    result = CliRunner().invoke(cli, ["network", "export", str(MINI), "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    kinds = [f["geometry"]["type"] for f in data["features"]]
    assert kinds.count("Point") == 6 and kinds.count("LineString") == 5
    line = next(f for f in data["features"] if f["id"] == "PQ")
    assert line["geometry"]["coordinates"] == [[51.0, 43.5], [49.5, 40.0]]
    assert not list(tmp_path.glob("*.part"))
