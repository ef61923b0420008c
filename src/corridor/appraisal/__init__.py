"""Economic and financial cost–benefit analysis of corridor investments and policies, following
the European Commission's Guide to Cost-Benefit Analysis of Investment Projects (2014): user
benefits from generalised-cost changes per origin–destination (rule of a half for traffic won or
lost), producer surplus, CO2e at a shadow price of carbon, capex/opex/renewals/residual value,
ENPV/EIRR/BCR/FNPV/FIRR, switching values, a tornado and a seeded Monte Carlo.  See docs/appraisal.md."""

from corridor.appraisal._benefits import ODBenefit, Split, YearBenefits, od_benefit, year_benefits
from corridor.appraisal._cba import COLUMNS, Profile, build_profile
from corridor.appraisal._costs import CostParts, ODCost, ODKey, comparator_costs, corridor_crossings, od_costs
from corridor.appraisal._parameters import DEFINITIONS, Parameter, Parameters
from corridor.appraisal._result import Appraisal, irr, payback, rank
from corridor.appraisal._risk import (
    CHUNK as MC_CHUNK,
)
from corridor.appraisal._risk import (
    DRIVERS,
    MonteCarlo,
    PresentValues,
    Switching,
    TornadoBar,
    monte_carlo,
    present_values,
    switching_values,
    tornado,
)

__all__ = [
    "COLUMNS",
    "DEFINITIONS",
    "DRIVERS",
    "MC_CHUNK",
    "Appraisal",
    "CostParts",
    "MonteCarlo",
    "ODBenefit",
    "ODCost",
    "ODKey",
    "Parameter",
    "Parameters",
    "PresentValues",
    "Profile",
    "Split",
    "Switching",
    "TornadoBar",
    "YearBenefits",
    "build_profile",
    "comparator_costs",
    "corridor_crossings",
    "irr",
    "monte_carlo",
    "od_benefit",
    "od_costs",
    "payback",
    "present_values",
    "rank",
    "switching_values",
    "tornado",
    "year_benefits",
]
