"""corridor — plan, quote and simulate freight on the Middle Corridor and any multimodal corridor.

The public surface is the names in ``__all__``; everything else is internal.
"""

from corridor.errors import CorridorError, DataError, InputError, NoRouteError, UnknownNameError
from corridor.network import Network, load_network

__all__ = [
    "CorridorError",
    "DataError",
    "InputError",
    "Network",
    "NoRouteError",
    "UnknownNameError",
    "load_network",
]
