"""The bundled scenarios load, apply to the bundled network, and source every figure."""

from __future__ import annotations

import pytest

from corridor.network import load_network
from corridor.scenario import apply_scenario, bundled_scenarios, load_scenario

NAMES = sorted(bundled_scenarios())
EXPECTED = {
    "baseline-2024",
    "growth-2027",
    "wb-2030",
    "aktau-container-hub",
    "alyat-phase-2",
    "more-caspian-vessels",
    "dostyk-moyinty-double-track",
    "unified-tariff",
    "storm-winter",
    "border-closure",
}


def test_the_issue_s_scenarios_are_bundled() -> None:
    assert set(NAMES) >= EXPECTED


@pytest.mark.parametrize("name", NAMES)
def test_bundled_scenario_applies_with_every_figure_sourced(name: str) -> None:
    scenario = load_scenario(name)
    network = load_network(scenario.network)
    applied = apply_scenario(scenario, network=network)
    assert applied.network.name == "middle-corridor"
    assert all(c.source for c in scenario.changes if c.describe()), "every change cites a source"
    for inv in scenario.investments:
        assert set(inv.sources) >= {"capex_usd", "opex_usd_per_year", "build_years", "lifetime_years"}
        for sid in inv.sources.values():
            applied.network.source(sid)  # resolves (or raises UnknownNameError)
    assert scenario.chain[0] == "baseline-2024"


def test_investment_scenarios_change_what_they_say() -> None:
    hub = apply_scenario("aktau-container-hub")
    assert hub.network.node("KZAAU").capacity_teu_per_year == 240_000
    vessels = apply_scenario("more-caspian-vessels")
    assert vessels.network.service("svc-aktau-alat-feeder").fleet == 8
    closure = apply_scenario("border-closure")
    assert closure.disruptions[0].target == "GEGAR" and closure.disruptions[0].days == 10
