"""Scenarios: overlays that change a network and its demand (capacities, tariffs, growth,
disruptions, new assets) and the investments that pay for them; see docs/scenarios.md."""

from corridor.scenario._changes import Disruption, apply_changes
from corridor.scenario._load import apply_scenario, bundled_scenarios, load_scenario
from corridor.scenario._model import AppliedScenario, Investment, Scenario

__all__ = [
    "AppliedScenario",
    "Disruption",
    "Investment",
    "Scenario",
    "apply_changes",
    "apply_scenario",
    "bundled_scenarios",
    "load_scenario",
]
