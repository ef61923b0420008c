"""The appraisal's "extra TEU/yr": the served-volume difference of the scenario's own demand year,
at full operation — the figure ``corridor compare`` shows for the same pair — not the first year of
full operation, where a later bottleneck can leave base and scenario carrying the same volume."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from corridor.appraisal import Appraisal, CostParts, ODCost, Parameters, build_profile, year_benefits
from corridor.cli import cli
from corridor.scenario import Investment

# A hub built 2025-2026, open from 2027, ramping up over 3 years (1/3, 2/3, full in 2029).
HUB = Investment("hub", "Hub", 30_000, 0, start_year=2025, build_years=2, lifetime_years=30)
PARAMS = Parameters(start_year=2025, horizon_years=6, ramp_up_years=3, growth_after_last_year=0.0)
PARTS = CostParts(money_usd=500.0, days=10.0, spread_days=2.0, co2e_t=1.0)
ALT = CostParts(money_usd=900.0, days=25.0, spread_days=5.0, co2e_t=2.0)


def _od(carried: float, asked: float) -> dict[tuple[str, str, str], ODCost]:
    od = ODCost("A", "B", "container", "teu", carried, asked, PARTS, ALT)
    return {od.key: od}


def _appraisal(demand_year: int | None) -> Appraisal:
    # 2027 (the scenario's own demand): the base carries 100 of 150 TEU (the port rations it), the hub
    # all 150.  2029: 300 TEU asked, a second port downstream holds both cases to 160 TEU.
    modelled = (
        year_benefits(2027, _od(100.0, 150.0), _od(150.0, 150.0), PARAMS),
        year_benefits(2029, _od(160.0, 300.0), _od(160.0, 300.0), PARAMS),
    )
    profile = build_profile(modelled, [HUB], PARAMS)
    trajectory = ((2027, "d27"), (2029, "d29"))
    return Appraisal("hub", "base", (HUB,), PARAMS, modelled, trajectory, profile, demand_year=demand_year)


def test_extra_volume_is_the_served_difference_of_the_scenarios_own_year() -> None:
    a = _appraisal(2027)
    assert a.volumes() == {"teu_change": pytest.approx(150.0 - 100.0), "t_change": 0.0, "year": 2027}
    assert a.to_json()["extra_volume"] == {"year": 2027, "demand": "d27", "teu": 50.0, "t": 0.0}
    # The yearly lines keep the ramp-up: a third of the hub's 50 TEU in 2027, nothing in 2029.
    rows = {r["year"]: r for r in a.profile.rows()}
    assert rows[2027]["teu_change"] == pytest.approx(50.0 / 3)
    assert rows[2029]["teu_change"] == pytest.approx(0.0)


def test_without_its_own_year_the_first_modelled_year_in_operation_is_read() -> None:
    a = _appraisal(None)
    assert a.volumes()["year"] == 2027  # 2027 operates (a third); 2029 would say 0
    assert a.volumes()["teu_change"] == pytest.approx(50.0)


@pytest.mark.slow
def test_appraise_and_compare_agree_on_the_aktau_hubs_extra_teu() -> None:
    runner = CliRunner()
    compared = runner.invoke(cli, ["compare", "growth-2027", "aktau-container-hub", "--json"])
    assert compared.exit_code == 0, compared.output
    served = {row["key"]: row["values"] for row in json.loads(compared.output)["table"]}["served_teu"]
    diff = served["aktau-container-hub"] - served["growth-2027"]
    assert diff > 10_000  # the hub lifts Aktau's 70k TEU cap at 2027 volumes

    appraised = runner.invoke(cli, ["appraise", "aktau-container-hub", "--replications", "100", "--json"])
    assert appraised.exit_code == 0, appraised.output
    extra = json.loads(appraised.output)["ranking"][0]["extra_volume"]
    assert (extra["year"], extra["demand"]) == (2027, "2027-target")
    assert extra["teu"] == pytest.approx(diff, rel=1e-6)

    # at 120 columns, as the README's terminal: narrower, the scenario column is cut to fit
    wide = {"COLUMNS": "120"}
    table = runner.invoke(cli, ["appraise", "aktau-container-hub", "--replications", "100"], env=wide).output
    row = next(line for line in table.splitlines() if line.startswith("aktau-container-hub "))
    assert f"{diff:,.0f}" in row.split() and row.split()[-1] == "2027"
