"""Comparison and appraisal through the CLI on the bundled data, and the simulation adapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from corridor.cli import cli, main
from corridor.scenario.comparison import compare, main_ods
from corridor.scenario.simulation import _quantile_sample

DATA = Path(__file__).resolve().parents[1] / "data"


def test_compare_json_has_explicit_differences() -> None:
    result = CliRunner().invoke(cli, ["compare", "baseline-2024", "growth-2027", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {row["key"]: row for row in data["table"]}
    served, unserved = rows["served_teu"]["values"], rows["unserved_teu"]["values"]
    assert served["baseline-2024"] + unserved["baseline-2024"] == pytest.approx(55_000, abs=1)
    assert served["baseline-2024"] >= 0.99 * 55_000  # 2024 fits: only the free-flow share leaves
    delta = rows["served_teu"]["delta_vs_first"]["growth-2027"]
    assert delta == pytest.approx(served["growth-2027"] - served["baseline-2024"])
    # the unserved split into diverted + not moved
    div, nm = rows["diverted_teu"]["values"], rows["not_moved_teu"]["values"]
    assert div["growth-2027"] + nm["growth-2027"] == pytest.approx(unserved["growth-2027"], abs=1)
    assert data["reference"] == "baseline-2024"
    assert len(data["scenarios"][0]["main_ods"]) == 3


def test_compare_table_and_png(tmp_path: Path) -> None:
    png = tmp_path / "cmp.png"
    result = CliRunner().invoke(cli, ["compare", "baseline-2024", "aktau-container-hub", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert "differences against baseline-2024" in result.output
    assert "Binding capacities" in result.output and "Economic appraisal 2025-2054" in result.output
    assert png.stat().st_size > 10_000


def test_bad_scenario_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("inherits: baseline-2024\nchanges:\n  - set: {node: Aktua, dwell_h: 3}\n    source: hand\n")
    assert main(["compare", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown place 'Aktua'; did you mean 'Aktau (KZAAU)'") and "bad.yaml:3 [node]" in err


def test_main_ods_are_the_largest_container_flows() -> None:
    comparison = compare([f"{DATA}/../../src/corridor/data/scenarios/baseline-2024.yaml"])
    assert main_ods(comparison.reference.applied) == comparison.main_ods
    first = comparison.main_ods[0]
    flows = [f for f in comparison.reference.applied.demand.flows if f.cargo == "container"]
    assert max(f.teu for f in flows) == next(f.teu for f in flows if (f.origin, f.destination) == first)


def test_quantile_sample_of_a_histogram() -> None:
    # half the cargo in the 24-48 h bin, half in 48-72 h: the median sits at the first bin's centre
    sample = _quantile_sample([0.0, 0.5, 0.5], 24.0, points=3)
    assert sample == (1.5, 1.5, 2.5)


def test_the_simulation_feeds_the_comparison() -> None:
    pytest.importorskip("corridor.sim")
    from corridor.scenario.simulation import simulator

    comparison = compare(["baseline-2024"], simulate=simulator(replications=1, seed=7))
    result = comparison.reference
    assert result.simulation["replications"] == 1
    assert any(od.sim_days for od in result.ods)
    assert result.backlogs and result.backlogs[0].peak_teu > 0


def test_hub_is_compared_with_its_base_on_common_flows_and_names_what_holds_it_up() -> None:
    result = CliRunner().invoke(cli, ["compare", "baseline-2024", "growth-2027", "aktau-container-hub", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {row["key"]: row for row in data["table"]}
    common = rows["common_days"]["values"]
    # on the flows every scenario carries, the hub is within 10% of growth-2027, its base
    assert common["aktau-container-hub"] <= 1.10 * common["growth-2027"]
    # the common volume is the same for every scenario: a mean that falls because cargo is
    # dropped cannot show here
    assert len(set(rows["common_teu"]["values"].values())) == 1
    slower = [f for f in data["slower_flows"] if f["scenario"] == "aktau-container-hub"]
    assert all(f["base"] == "growth-2027" for f in slower)
    assert all(f["days"] <= 1.10 * f["reference_days"] for f in slower)
    assert all(f["binding"] for f in slower)  # each slower flow names the full capacity on its path
