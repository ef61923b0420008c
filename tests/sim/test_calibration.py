"""Calibration of the bundled Middle Corridor: the 2024 run against published 2024 transit times.

Targets (docs/simulation.md): Altynkol → Aktau ≈ 3 d (seanews-2024-03), Altynkol → Baku ≈ 9 d
(kaztag-2024) and Xi'an → Baku ≈ 11 d (menafn-2024-xian-baku), simulated means within ±15%.
Altynkol → Aktau and Altynkol → Baku are not flows of the 2024 demand set, so small probe flows
(520 TEU a year each, one 10-TEU cohort a week) are added; they are too small to change anyone
else's times.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor import load_demand, load_network, simulate
from corridor.demand import Flow

TARGETS = {("altynkol", "KZAAU"): 3.0, ("altynkol", "baku"): 9.0, ("CNXIA", "baku"): 11.0}


@pytest.fixture(scope="module")
def run_2024():
    network = load_network("middle-corridor")
    demand = load_demand("2024", network)
    probes = (Flow("altynkol", "baku", "container", 520.0), Flow("altynkol", "KZAAU", "container", 520.0))
    demand = replace(demand, flows=(*demand.flows, *probes))
    return simulate(network, demand, replications=40, seed=2024, workers=1)


@pytest.mark.slow
@pytest.mark.parametrize(("origin", "destination"), sorted(TARGETS))
def test_mean_door_to_door_within_15_percent(run_2024, origin: str, destination: str) -> None:
    mean_d = run_2024.flow(origin, destination).mean_h.value / 24.0
    target = TARGETS[(origin, destination)]
    assert abs(mean_d / target - 1.0) <= 0.15, f"{origin}→{destination}: {mean_d:.2f} d vs {target} d"


@pytest.mark.slow
def test_2024_run_is_sane(run_2024) -> None:
    """What holds whatever the calibration: every flow delivers, and the Caspian crossing costs days."""
    for od in run_2024.od:
        assert od.delivered > 0, (od.origin, od.destination)
        assert od.steady, (od.origin, od.destination)  # 2024 fits: no queue grows
    altynkol = run_2024.flow("altynkol", "baku")
    assert 7.0 < altynkol.mean_h.value / 24.0 < 14.0
    assert altynkol.stages_h["port_wait"] + altynkol.stages_h["sailing"] > 24.0
