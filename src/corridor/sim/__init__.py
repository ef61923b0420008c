"""Discrete-event simulation of corridor operations with Monte Carlo replications.

``simulate(network, demand)`` returns a :class:`SimulationResult`; the model's rules are in
:class:`SimRules` (and, in words, in ``corridor.sim._rules``).
"""

from corridor.sim._replication import kernel_ready
from corridor.sim._result import (
    ClosureDays,
    Estimate,
    NodeLoad,
    ODResult,
    PathShare,
    PortBacklog,
    ServiceLoad,
    SimulationResult,
)
from corridor.sim._rules import CATEGORIES, DISTRIBUTIONS, SimRules
from corridor.sim._simulate import simulate

__all__ = [
    "CATEGORIES",
    "DISTRIBUTIONS",
    "ClosureDays",
    "Estimate",
    "NodeLoad",
    "ODResult",
    "PathShare",
    "PortBacklog",
    "ServiceLoad",
    "SimRules",
    "SimulationResult",
    "kernel_ready",
    "simulate",
]
