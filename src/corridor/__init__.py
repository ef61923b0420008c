"""corridor — plan, quote and simulate freight on the Middle Corridor and any multimodal corridor.

The public surface is the names in ``__all__``; everything else is internal.
"""

from corridor.capacity import AssignmentResult, assign
from corridor.demand import DemandSet, load_demand
from corridor.errors import CorridorError, DataError, InfeasibleError, InputError, NoRouteError, UnknownNameError
from corridor.network import Network, load_network
from corridor.routing import Route, Router, RouteResult, Shipment, route
from corridor.scenario import Comparison, Scenario, apply_scenario, compare, load_scenario
from corridor.sim import SimulationResult, simulate

__all__ = [
    "AssignmentResult",
    "Comparison",
    "CorridorError",
    "DataError",
    "DemandSet",
    "InfeasibleError",
    "InputError",
    "Network",
    "NoRouteError",
    "Route",
    "RouteResult",
    "Router",
    "Scenario",
    "Shipment",
    "SimulationResult",
    "UnknownNameError",
    "apply_scenario",
    "assign",
    "compare",
    "load_demand",
    "load_network",
    "load_scenario",
    "route",
    "simulate",
]
