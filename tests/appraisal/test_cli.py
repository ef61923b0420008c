"""``corridor appraise`` on the bundled scenarios: the issue's command, its JSON lines an analyst can
recompute, the fixed defects, parameters chosen on the command line and in a scenario file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corridor.cli import cli, main

PROJECTS = [
    "aktau-container-hub",
    "more-caspian-vessels",
    "caspian-package",
    "dostyk-moyinty-double-track",
    "unified-tariff",
]
LINES = ("user_existing", "user_new", "producer", "co2e_value", "residual")
COSTS = ("capex", "renewals", "opex")


@pytest.fixture(scope="module")
def ranking() -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, ["appraise", *PROJECTS, "--replications", "300", "--json"])
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.output)["ranking"]
    return data


@pytest.mark.slow
def test_every_project_is_appraised_with_indicators_and_risk(ranking: list[dict[str, Any]]) -> None:
    names = {a["scenario"] for a in ranking}
    assert names == set(PROJECTS)
    assert [a["enpv_usd"] for a in ranking] == sorted((a["enpv_usd"] for a in ranking), reverse=True)
    for a in ranking:
        assert {s["driver"] for s in a["switching_values"]} >= {"capex", "demand", "value_of_time"}
        mc = a["monte_carlo"]
        assert mc["enpv_p10"] <= mc["enpv_p50"] <= mc["enpv_p90"] and 0 <= mc["p_enpv_negative"] <= 1
        assert set(a["pv_usd"]) >= {"user_existing", "user_new", "producer", "co2e"}
        assert len(a["years"]) == 30 and a["years"][0]["year"] == 2025
        assert all(p["default"] is not bool(p["chosen_by"]) for p in a["parameters"])
    package = next(a for a in ranking if a["kind"] == "package")
    assert [s["scenario"] for s in package["steps"]] == ["aktau-container-hub", "caspian-package"]
    assert package["base"] == "growth-2027"


@pytest.mark.slow
def test_the_yearly_lines_add_up_to_the_indicators(ranking: list[dict[str, Any]]) -> None:
    for a in ranking:
        enpv = 0.0
        for row in a["years"]:
            net = sum(row[k] for k in LINES) - sum(row[k] for k in COSTS)
            assert row["economic_net"] == pytest.approx(net, abs=1e-3)
            assert row["economic_discount_factor"] == pytest.approx(1.05 ** -(row["year"] - 2025))
            enpv += row["economic_net"] * row["economic_discount_factor"]
        assert a["enpv_usd"] == pytest.approx(enpv, rel=1e-6, abs=1.0)
        pv = a["pv_usd"]
        if a["bcr"] is not None:
            costs = pv["capex"] + pv["renewals"] + pv["opex"] - pv["residual"]
            assert a["bcr"] == pytest.approx(
                (pv["user_existing"] + pv["user_new"] + pv["producer"] + pv["co2e"]) / costs
            )


@pytest.mark.slow
def test_start_year_moves_the_cash_flow_and_sinks_earlier_capex() -> None:
    args = ["appraise", "dostyk-moyinty-double-track", "--no-risk", "--json"]
    late = json.loads(CliRunner().invoke(cli, [*args, "--start-year", "2026"]).output)["ranking"][0]
    early = json.loads(CliRunner().invoke(cli, [*args, "--start-year", "2023"]).output)["ranking"][0]
    assert late["years"][0]["year"] == 2026 and early["years"][0]["year"] == 2023
    assert sum(r["capex"] for r in late["years"]) == 0 and late["years"][0]["sunk_capex"] == pytest.approx(1.25e9)
    assert sum(r["capex"] for r in early["years"]) == pytest.approx(1.25e9)
    assert late["enpv_usd"] != early["enpv_usd"]
    chosen = {p["key"]: p["chosen_by"] for p in late["parameters"]}
    assert chosen["start_year"] == "--start-year" and chosen["discount_rate"] is None


def test_a_scenario_with_nothing_to_appraise_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", "growth-2027", "--no-risk"]) == 1
    assert "growth-2027 adds no investment and no change to baseline-2024" in capsys.readouterr().err
    assert main(["appraise", "baseline-2024", "--no-risk"]) == 1
    assert "inherits from no scenario" in capsys.readouterr().err


def test_bad_parameters_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["appraise", "aktau-container-hub", "--set", "discount=0.09"]) == 1
    err = capsys.readouterr().err
    assert "unknown appraisal parameter 'discount'" in err and "discount_rate" in err
    assert main(["appraise", "aktau-container-hub", "--set", "ramp_up_years=1.5"]) == 1
    assert "ramp_up_years must be a whole number" in capsys.readouterr().err
    assert main(["appraise", "aktau-container-hub", "--set", "discount_rate=2"]) == 1
    assert "discount_rate must be between -0.5 and 1, got 2" in capsys.readouterr().err
    assert main(["appraise", "aktau-container-hub", "--discount", "2"]) != 0
    assert "--discount" in capsys.readouterr().err


def test_scenario_file_parameters_are_reported_with_their_line(tmp_path: Path) -> None:
    own = tmp_path / "hub-adb.yaml"
    own.write_text("name: hub-adb\ninherits: aktau-container-hub\nappraisal:\n  discount_rate: 0.09\n  seed: 7\n")
    result = CliRunner().invoke(
        cli, ["appraise", str(own), "--base", "growth-2027", "--set", "seed=8", "--replications", "50", "--json"]
    )
    assert result.exit_code == 0, result.output
    (a,) = json.loads(result.output)["ranking"]
    chosen = {p["key"]: (p["value"], p["chosen_by"]) for p in a["parameters"]}
    assert chosen["discount_rate"] == (0.09, "hub-adb.yaml line 4")
    assert chosen["seed"] == (8, "--set seed")  # the command line wins over the file
    assert a["years"][1]["economic_discount_factor"] == pytest.approx(1 / 1.09)


def test_table_lists_split_switching_and_percentiles() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "corridor", "appraise", "aktau-container-hub", "--replications", "100"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for text in ("ENPV", "EIRR", "user existing", "user new", "producer", "CO2e", "extra kt/yr", "P10 ENPV"):
        assert text in out
    assert "Switching values" in out and "discount_rate = 0.05 per year [default]" in out
    assert "--horizon" not in out.split("Parameters")[1]  # no claim that a default was chosen on the command line


def test_chart_is_written_and_a_bad_path_refused_before_work(tmp_path: Path) -> None:
    png = tmp_path / "appraisal.png"
    result = CliRunner().invoke(cli, ["appraise", "aktau-container-hub", "--replications", "50", "--chart", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert not list(tmp_path.glob(".*"))  # no temporary left behind
    bad = CliRunner().invoke(cli, ["appraise", "aktau-container-hub", "--chart", str(tmp_path / "no" / "a.png")])
    assert bad.exit_code != 0 and "does not exist" in bad.output


def test_trajectory_from_the_command_line_and_a_bad_one_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = CliRunner().invoke(
        cli, ["appraise", "aktau-container-hub", "--no-risk", "--trajectory", "2027-target,wb-2030", "--json"]
    )
    assert result.exit_code == 0, result.output
    (a,) = json.loads(result.output)["ranking"]
    assert [t["demand"] for t in a["trajectory"]] == ["2027-target", "wb-2030"]
    assert [m["year"] for m in a["modelled_years"]] == [2027, 2030]
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ninherits: aktau-container-hub\nappraisal:\n  trajectory: 2027-target\n")
    assert main(["appraise", str(bad), "--base", "growth-2027", "--no-risk"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:4" in err and "expected a list" in err
