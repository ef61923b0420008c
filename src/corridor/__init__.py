"""corridor — plan, quote and simulate freight on the Middle Corridor and any multimodal corridor.

The public surface is the names in ``__all__``; everything else is internal.
"""

from corridor.capacity import AssignmentResult, assign
from corridor.demand import DemandSet, load_demand
from corridor.errors import CorridorError, DataError, InputError, NoRouteError, UnknownNameError
from corridor.network import Network, load_network
from corridor.routing import Route, Router, RouteResult, Shipment, route

__all__ = [
    "AssignmentResult",
    "CorridorError",
    "DataError",
    "DemandSet",
    "InputError",
    "Network",
    "NoRouteError",
    "Route",
    "RouteResult",
    "Router",
    "Shipment",
    "UnknownNameError",
    "assign",
    "load_demand",
    "load_network",
    "route",
]
