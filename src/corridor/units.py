"""Units and the conversions between them, in one place.

Data columns name their unit (``_km``, ``_h``, ``_usd``, ``_t``, ``_teu``, ``_per_day``,
``_per_year``); engines work in hours, kilometres, TEU and tonnes. Every conversion factor that is
not a definition is an assumption, stated here with its reasoning.
"""

from __future__ import annotations

import math
from typing import Final

HOURS_PER_DAY: Final = 24.0
DAYS_PER_YEAR: Final = 365.0
HOURS_PER_YEAR: Final = HOURS_PER_DAY * DAYS_PER_YEAR

TEU_PER_FEU: Final = 2.0

#: z-score of the 90th percentile of a standard normal: turns a typical (P50) and bad-case (P90)
#: pair into a lognormal's sigma, in routing and simulation alike.
Z90: Final = 1.2815515655446004

#: Cargo classes (DESIGN.md): containers are counted in TEU, bulk in tonnes.
CARGO_CLASSES: Final = ("container", "general", "liquid")

#: Average gross cargo mass of a loaded TEU when a demand set gives TEU only.  Estimate:
#: TITR 2024 carried 4.48 Mt including ~55k TEU; China–Europe rail boxes average 9–12 t per TEU
#: of cargo (a 40' box with 18–24 t), so 10 t per TEU is a round middle value.
DEFAULT_T_PER_TEU: Final = 10.0
#: Cargo tonnes in a loaded FEU at that mass, to turn per-FEU tariffs into per-tonne ones.
T_PER_FEU: Final = TEU_PER_FEU * DEFAULT_T_PER_TEU

#: Containers per train and wagons per train on 1520 mm lines (corridor-facts §10.3: Kazakh
#: container trains of 45–50 wagons carry 55–62 FEU).  Used to turn trains/day into TEU/year.
TEU_PER_TRAIN: Final = 110.0
T_PER_TRAIN: Final = 2_500.0  # estimate: 50 wagons x ~50 t net for a bulk train
T_PER_WAGON: Final = 50.0  # estimate: net load of a 1520 mm gondola/tank wagon, order of magnitude
#: TEU on one wagon, for services whose capacity is given in wagons (Caspian rail ferries carry
#: 50–56 wagons).  Estimate consistent with the train figures above: 110 TEU on a 50-wagon train
#: is 2.2 TEU per wagon (a mix of 40' platforms carrying 1 FEU and 80' platforms carrying 2).
TEU_PER_WAGON: Final = TEU_PER_TRAIN / 50.0

#: Default moving speeds (km/h) when a link gives neither ``time_h`` nor ``speed_km_per_h``.
#: Estimates of commercial speeds including stops: freight rail 35 (Altynkol→Aktau 3,128 km in
#: 3 d is ~43 km/h for a priority block train), road 50, sea 25 (13.5 kn), ferry 20, pipeline 6
#: (crude oil at ~1.7 m/s).
DEFAULT_SPEED_KM_PER_H: Final = {
    "rail": 35.0,
    "road": 50.0,
    "sea": 25.0,
    "ferry": 20.0,
    "pipeline": 6.0,
}


#: Value of time of containerised cargo, USD per TEU-day: one figure for routing's generalized
#: cost, the capacity assignment and the appraisal.  Hummels & Schaur (2013), "Time as a Trade
#: Barrier", American Economic Review 103(7): each day in transit costs 0.6–2.1 % of the goods'
#: value; the low end times ~USD 20,000 of goods per TEU (estimate: ~10 t at ~USD 2/kg).
VALUE_OF_TIME_USD_PER_TEU_DAY: Final = 120.0
#: Value of time of bulk cargo, USD per tonne-day.  Estimate: ~USD 300/t goods at a ~30 %/year
#: inventory carrying cost (0.08 %/day).
VALUE_OF_TIME_USD_PER_T_DAY: Final = 0.24


def per_year_from_per_day(value: float) -> float:
    """Annual capacity from a daily one, assuming operation every day of the year."""
    return value * DAYS_PER_YEAR


def teu_per_year_from_trains_per_day(trains: float) -> float:
    """Container capacity of a line or border given in trains per day."""
    return per_year_from_per_day(trains) * TEU_PER_TRAIN


def t_per_year_from_trains_per_day(trains: float) -> float:
    """Tonnage capacity of a line or border given in trains per day."""
    return per_year_from_per_day(trains) * T_PER_TRAIN


def hours_to_days(hours: float) -> float:
    """Days from hours (the engines work in hours; tables and reports often show days)."""
    return hours / HOURS_PER_DAY


def days_to_hours(days: float) -> float:
    """Hours from days."""
    return days * HOURS_PER_DAY


def lognormal_sigma(p50: float, p90: float) -> float:
    """Sigma of the lognormal whose median is ``p50`` and 90th percentile ``p90`` (``p90 >= p50 > 0``)."""
    return math.log(p90 / p50) / Z90
