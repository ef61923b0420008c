"""The appraisal's assumptions: every figure a named :class:`Parameter` with its unit and source.

:class:`Parameters` holds the values; :data:`DEFINITIONS` says what each one is, its default and
where the default comes from.  Overrides (from the command line or a scenario file's
``appraisal:`` block) go through :meth:`Parameters.with_overrides`, which checks the name and the
range and records who chose the value, so a report can say truthfully which figures are defaults.
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from corridor.errors import InputError, Problem
from corridor.units import VALUE_OF_TIME_USD_PER_T_DAY, VALUE_OF_TIME_USD_PER_TEU_DAY

EC_GUIDE = (
    "European Commission (2014), Guide to Cost-Benefit Analysis of Investment Projects, DG REGIO, doi:10.2776/97516"
)
ADB_GUIDE = "Asian Development Bank (2017), Guidelines for the Economic Analysis of Projects, doi:10.22617/TIM178607-2"
EIB_ROADMAP = "EIB Group Climate Bank Roadmap 2021-2025 (2020), shadow cost of carbon, 2016 prices, doi:10.2867/503343"


@dataclass(frozen=True)
class Definition:
    """What a parameter is: label, unit, lowest and highest allowed value, and the default's source."""

    label: str
    unit: str
    source: str
    low: float = 0.0
    high: float = math.inf
    whole: bool = False


#: Every parameter, its bounds and the source or reasoning of its default (the defaults themselves
#: are the field defaults of :class:`Parameters`).
DEFINITIONS: Mapping[str, Definition] = {
    "start_year": Definition(
        "first appraisal year (year 0)",
        "",
        "estimate: 2025, the year of the bundled network's infrastructure; capex spent before it is sunk",
        1900,
        2200,
        True,
    ),
    "horizon_years": Definition(
        "horizon", "years", f"{EC_GUIDE}, Annex I reference periods: rail 30 years, ports 25-30", 1, 100, True
    ),
    "discount_rate": Definition(
        "social discount rate (real)",
        "per year",
        f"{EC_GUIDE}, section 2.9.4: 5% for cohesion countries (3% for others); {ADB_GUIDE} uses 9% "
        "(6% for some sectors): set discount_rate=0.09 to appraise as the ADB would",
        -0.5,
        1.0,
    ),
    "financial_discount_rate": Definition(
        "financial discount rate (real)", "per year", f"{EC_GUIDE}, section 2.8.1: 4% real for FNPV/FIRR", -0.5, 1.0
    ),
    "value_of_time_usd_per_teu_day": Definition(
        "value of time, containers",
        "USD per TEU-day",
        "Hummels & Schaur (2013), American Economic Review 103(7): a day in transit costs 0.6-2.1% of the "
        "goods' value; low end x ~USD 20,000 of goods per TEU (corridor.units)",
    ),
    "value_of_time_usd_per_t_day": Definition(
        "value of time, bulk",
        "USD per t-day",
        "estimate: ~USD 300/t goods at ~30%/year inventory carrying cost (corridor.units)",
    ),
    "reliability_ratio": Definition(
        "reliability ratio (value of a day of P90-P50 spread / value of a day of mean time)",
        "",
        "estimate: freight reliability ratios of ~1.2 per standard deviation (Significance, VU & John Bates "
        "2012 Dutch freight VoT/VoR study) divided by 1.28 standard deviations per P90-P50 day, rounded to 1.0",
        0.0,
        10.0,
    ),
    "operator_margin": Definition(
        "operator margin on tariff and handling revenue",
        "share",
        "estimate: ~10% operating margin of rail, port and shipping operators on the corridor's rates",
        0.0,
        1.0,
    ),
    "conversion_factor": Definition(
        "conversion factor, financial to economic prices of capex and opex",
        "",
        f"{EC_GUIDE}, section 2.9.3 calls for conversion factors to remove taxes and distortions; none is "
        "published for KZ/AZ/GE, so 1.0 (financial = economic) until the user sets one",
        0.0,
        5.0,
    ),
    "ramp_up_years": Definition(
        "ramp-up after opening",
        "years",
        "estimate: traffic reaches the modelled level over 3 years after opening (1/3, 2/3, full)",
        0,
        20,
        True,
    ),
    "growth_after_last_year": Definition(
        "growth of every benefit line after the last demand year",
        "per year",
        "estimate: 2%/year, below the 2024-2030 corridor targets and near long-run world trade volume growth",
        -0.5,
        0.5,
    ),
    "carbon_usd_per_t_2025": Definition(
        "shadow price of carbon 2025", "USD per t CO2e", f"{EIB_ROADMAP}: EUR 165 at USD 1.08 per EUR"
    ),
    "carbon_usd_per_t_2030": Definition(
        "shadow price of carbon 2030", "USD per t CO2e", f"{EIB_ROADMAP}: EUR 250 at USD 1.08 per EUR"
    ),
    "carbon_usd_per_t_2050": Definition(
        "shadow price of carbon 2050",
        "USD per t CO2e",
        f"{EIB_ROADMAP}: EUR 800 at USD 1.08 per EUR; linear between the given years, flat after 2050",
    ),
    "sensitivity_swing": Definition("tornado swing", "share", "issue 10: +/-20% on each driver", 0.0, 1.0),
    "capex_overrun_low": Definition(
        "Monte Carlo capex factor, low", "x", "estimate: 10% below budget is rare (Flyvbjerg et al. 2002)", 0.0, 10.0
    ),
    "capex_overrun_mode": Definition(
        "Monte Carlo capex factor, most likely", "x", "estimate: modest overrun is the most common outcome", 0.0, 10.0
    ),
    "capex_overrun_high": Definition(
        "Monte Carlo capex factor, high",
        "x",
        "Flyvbjerg, Holm & Buhl (2002), J. American Planning Association 68(3): rail cost overruns average "
        "45% (SD 38%); 1.8 is about that mean plus one SD",
        0.0,
        10.0,
    ),
    "demand_low": Definition(
        "Monte Carlo demand factor, low",
        "x",
        "estimate: corridor targets (10 Mt 2027, 300k TEU 2029) are official goals, not forecasts; 0.6",
        0.0,
        10.0,
    ),
    "demand_high": Definition("Monte Carlo demand factor, high", "x", "estimate: 1.2", 0.0, 10.0),
    "value_of_time_low": Definition(
        "Monte Carlo value-of-time factor, low", "x", "estimate: 0.8 of the default", 0.0, 10.0
    ),
    "value_of_time_high": Definition(
        "Monte Carlo value-of-time factor, high",
        "x",
        "Hummels & Schaur (2013): the range 0.6-2.1% per day puts the top near 3.5x the default; 2.0 is a "
        "cautious upper end",
        0.0,
        10.0,
    ),
    "carbon_low": Definition("Monte Carlo carbon-price factor, low", "x", "estimate: 0.5", 0.0, 10.0),
    "carbon_high": Definition("Monte Carlo carbon-price factor, high", "x", "estimate: 1.5", 0.0, 10.0),
    "replications": Definition(
        "Monte Carlo draws", "", "estimate: 2,000 draws put P10/P90 within ~1% of their limit", 1, 1e7, True
    ),
    "seed": Definition("Monte Carlo seed", "", "fixed so that every run gives the same figures", 0, 2**63, True),
}


@dataclass(frozen=True)
class Parameter:
    """One assumption as printed: key, label, value, unit, source, and who chose the value."""

    key: str
    label: str
    value: float
    unit: str
    source: str
    chosen_by: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "default": not self.chosen_by,
            "chosen_by": self.chosen_by or None,
        }


@dataclass(frozen=True)
class Parameters:
    """Every appraisal parameter (see :data:`DEFINITIONS` for units and sources).

    ``chosen`` maps the key of each overridden parameter to who set it (``"--discount"``,
    ``"aktau.yaml line 12"``); every other value is the documented default.
    """

    start_year: int = 2025
    horizon_years: int = 30
    discount_rate: float = 0.05
    financial_discount_rate: float = 0.04
    value_of_time_usd_per_teu_day: float = VALUE_OF_TIME_USD_PER_TEU_DAY
    value_of_time_usd_per_t_day: float = VALUE_OF_TIME_USD_PER_T_DAY
    reliability_ratio: float = 1.0
    operator_margin: float = 0.10
    conversion_factor: float = 1.0
    ramp_up_years: int = 3
    growth_after_last_year: float = 0.02
    carbon_usd_per_t_2025: float = 178.0
    carbon_usd_per_t_2030: float = 270.0
    carbon_usd_per_t_2050: float = 864.0
    sensitivity_swing: float = 0.20
    capex_overrun_low: float = 0.9
    capex_overrun_mode: float = 1.1
    capex_overrun_high: float = 1.8
    demand_low: float = 0.6
    demand_high: float = 1.2
    value_of_time_low: float = 0.8
    value_of_time_high: float = 2.0
    carbon_low: float = 0.5
    carbon_high: float = 1.5
    replications: int = 2000
    seed: int = 20251022
    chosen: Mapping[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        problems = [p for f in fields(self) if f.name != "chosen" for p in _check(f.name, getattr(self, f.name))]
        for low, mode, high in (("capex_overrun_low", "capex_overrun_mode", "capex_overrun_high"),):
            if not getattr(self, low) <= getattr(self, mode) <= getattr(self, high):
                problems.append(Problem("appraisal parameters", f"need {low} ≤ {mode} ≤ {high}", column=mode))
        for low, high in (("demand_low", "demand_high"), ("value_of_time_low", "value_of_time_high")):
            if not getattr(self, low) <= 1.0 <= getattr(self, high):
                problems.append(Problem("appraisal parameters", f"need {low} ≤ 1 ≤ {high}", column=low))
        if not self.carbon_low <= 1.0 <= self.carbon_high:
            problems.append(Problem("appraisal parameters", "need carbon_low ≤ 1 ≤ carbon_high", column="carbon_low"))
        if problems:
            raise InputError(f"appraisal parameters: {problems[0].message}", problems)

    def with_overrides(self, values: Mapping[str, Any], chosen_by: Mapping[str, str] | str) -> Parameters:
        """A copy with ``values`` set; ``chosen_by`` names who set them (one label, or one per key).

        Raises
        ------
        InputError
            An unknown name (with the closest known ones) or a value of the wrong type or range.
        """
        problems: list[Problem] = []
        clean: dict[str, Any] = {}
        for key, raw in values.items():
            who = chosen_by if isinstance(chosen_by, str) else chosen_by.get(key, "")
            if key not in DEFINITIONS:
                close = difflib.get_close_matches(key, DEFINITIONS, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else f"; known: {', '.join(DEFINITIONS)}"
                problems.append(Problem(who or "appraisal parameters", f"unknown appraisal parameter {key!r}{hint}"))
                continue
            value = _number(key, raw)
            if value is None:
                kind = "a whole number" if DEFINITIONS[key].whole else "a number"
                problems.append(
                    Problem(who or "appraisal parameters", f"{key} must be {kind}, got {raw!r}", column=key)
                )
                continue
            found = _check(key, value)
            problems += [replace(p, source=who or p.source) for p in found]
            if not found:
                clean[key] = value
        if problems:
            raise InputError(f"appraisal parameters: {problems[0].message}", problems)
        who_map = {k: (chosen_by if isinstance(chosen_by, str) else chosen_by.get(k, "")) for k in clean}
        return replace(self, **clean, chosen={**self.chosen, **who_map})

    def describe(self) -> tuple[Parameter, ...]:
        """Every parameter with its value, source and who chose it (empty: the default)."""
        return tuple(
            Parameter(key, d.label, float(getattr(self, key)), d.unit, d.source, self.chosen.get(key, ""))
            for key, d in DEFINITIONS.items()
        )

    def carbon_price(self, year: int) -> float:
        """USD per t CO2e in ``year``: linear between 2025, 2030 and 2050, flat outside."""
        points = (
            (2025, self.carbon_usd_per_t_2025),
            (2030, self.carbon_usd_per_t_2030),
            (2050, self.carbon_usd_per_t_2050),
        )
        if year <= points[0][0]:
            return points[0][1]
        for (y0, p0), (y1, p1) in itertools.pairwise(points):
            if year <= y1:
                return p0 + (p1 - p0) * (year - y0) / (y1 - y0)
        return points[-1][1]


def _number(key: str, raw: Any) -> float | int | None:
    whole = DEFINITIONS[key].whole
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        try:
            raw = float(raw.replace("_", ""))
        except ValueError:
            return None
    if not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    if whole:
        return int(raw) if float(raw).is_integer() else None
    return float(raw)


def _check(key: str, value: Any) -> list[Problem]:
    d = DEFINITIONS[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return [Problem("appraisal parameters", f"{key} must be a finite number, got {value!r}", column=key)]
    if d.whole and not float(value).is_integer():
        return [Problem("appraisal parameters", f"{key} must be a whole number, got {value!r}", column=key)]
    if not d.low <= value <= d.high:
        rng = f"between {d.low:g} and {d.high:g}" if math.isfinite(d.high) else f"≥ {d.low:g}"
        return [Problem("appraisal parameters", f"{key} must be {rng}, got {value!r}", column=key)]
    return []
