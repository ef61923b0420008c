"""Capacity and bottlenecks: capacity-constrained assignment (an LP solved by HiGHS), shadow
prices of binding capacities, and the maximum uniform growth the network carries."""

from corridor.capacity._assign import STAGES as ASSIGN_STAGES
from corridor.capacity._assign import assign, network_without
from corridor.capacity._capacity import (
    CAPACITY_UNITS,
    Capacity,
    capacities,
    node_capacities,
    open_share,
    sailings_per_year,
    unit_coefficients,
)
from corridor.capacity._choice import ChoiceModel
from corridor.capacity._graph import CostModel
from corridor.capacity._pathflows import cheapest_paths
from corridor.capacity._result import (
    AssetFlow,
    AssignmentResult,
    ConstraintUse,
    GrowthLimit,
    ODFlow,
    PathFlow,
    Totals,
    od_json,
)

__all__ = [
    "ASSIGN_STAGES",
    "CAPACITY_UNITS",
    "AssetFlow",
    "AssignmentResult",
    "Capacity",
    "ChoiceModel",
    "ConstraintUse",
    "CostModel",
    "GrowthLimit",
    "ODFlow",
    "PathFlow",
    "Totals",
    "assign",
    "capacities",
    "cheapest_paths",
    "network_without",
    "node_capacities",
    "od_json",
    "open_share",
    "sailings_per_year",
    "unit_coefficients",
]
