"""Origin–destination demand by cargo class and year."""

from corridor.demand._load import FLOW_COLUMNS, bundled_demand_sets, calibration_baseline, load_demand
from corridor.demand._model import DemandSet, Flow

__all__ = ["FLOW_COLUMNS", "DemandSet", "Flow", "bundled_demand_sets", "calibration_baseline", "load_demand"]
