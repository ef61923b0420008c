"""corridor — plan, quote and simulate freight on the Middle Corridor and any multimodal corridor.

The public surface is the names in ``__all__``; everything else is internal.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from corridor.errors import CorridorError, DataError, InfeasibleError, InputError, NoRouteError, UnknownNameError

if _TYPE_CHECKING:
    from corridor.capacity import AssignmentResult, assign
    from corridor.demand import DemandSet, load_demand
    from corridor.network import Network, load_network
    from corridor.routing import Route, Router, RouteResult, Shipment, route
    from corridor.scenario import Comparison, Scenario, apply_scenario, compare, load_scenario
    from corridor.sim import SimulationResult, simulate

# The engines are imported on first use (PEP 562), so ``import corridor`` — and every CLI
# command — pays only for what it touches (the solver and the simulator cost ~0.7 s to import).
_LAZY = {
    "AssignmentResult": "corridor.capacity",
    "assign": "corridor.capacity",
    "DemandSet": "corridor.demand",
    "load_demand": "corridor.demand",
    "Network": "corridor.network",
    "load_network": "corridor.network",
    "Route": "corridor.routing",
    "Router": "corridor.routing",
    "RouteResult": "corridor.routing",
    "Shipment": "corridor.routing",
    "route": "corridor.routing",
    "Comparison": "corridor.scenario",
    "Scenario": "corridor.scenario",
    "apply_scenario": "corridor.scenario",
    "compare": "corridor.scenario",
    "load_scenario": "corridor.scenario",
    "SimulationResult": "corridor.sim",
    "simulate": "corridor.sim",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
