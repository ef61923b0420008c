"""Scenarios: overlays that change a network and its demand (capacities, tariffs, growth,
disruptions, new assets) and the investments that pay for them; see docs/scenarios.md."""

from corridor.scenario._changes import (
    AddVessels,
    Arithmetic,
    Change,
    DatedClosure,
    Disruption,
    Growth,
    NewFlow,
    NewRecord,
    SetValues,
    apply_changes,
)
from corridor.scenario._load import apply_scenario, bundled_scenarios, load_scenario
from corridor.scenario._model import AppliedScenario, Investment, Scenario
from corridor.scenario.comparison import Comparison, compare

__all__ = [
    "AddVessels",
    "AppliedScenario",
    "Arithmetic",
    "Change",
    "Comparison",
    "DatedClosure",
    "Disruption",
    "Growth",
    "Investment",
    "NewFlow",
    "NewRecord",
    "Scenario",
    "SetValues",
    "apply_changes",
    "apply_scenario",
    "bundled_scenarios",
    "compare",
    "load_scenario",
]
