"""Corridor-wide investment appraisal: extra volume served, time saved and their money value
against capex and opex, discounted to NPV, benefit–cost ratio and payback year.

The engines say what a scenario does (:class:`Outcome`: volume served per year, mean door-to-door
days); this module turns the difference against a base scenario into cash flows.  Every default
in :class:`Assumptions` is documented with its source or reasoning and printed with the result.

Conventions (docs/scenarios.md, "Appraisal"):

* Years ``t = 0 … horizon−1`` are calendar years ``first + t``, where ``first`` is the appraisal's
  ``start_year`` or the earliest investment's start if that is earlier (so a project already under
  way is appraised with all its capex); year 0 is not discounted, year ``t`` is multiplied by
  ``(1 + discount_rate) ** -t``.
* Capex is spread evenly over ``build_years`` from the investment's ``start_year`` (all in the
  start year when ``build_years`` is 0); opex runs from the first operating year for
  ``lifetime_years``.
* Benefits start when every investment of the scenario operates (at once for pure policy
  scenarios) and last for the shortest lifetime.  No residual value at the horizon (conservative).
* Time saved is valued for traffic the base already served plus half of the extra traffic (the
  usual "rule of a half" for induced demand).
* BCR = PV(benefits) / PV(capex + opex); payback year = first year in which the cumulative
  discounted net cash flow is ≥ 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor.errors import InputError
from corridor.scenario._model import Investment
from corridor.units import VALUE_OF_TIME_USD_PER_TEU_DAY


@dataclass(frozen=True)
class Assumption:
    """One documented assumption: what it is, its value and where it comes from."""

    key: str
    label: str
    value: float
    unit: str
    basis: str


@dataclass(frozen=True)
class Assumptions:
    """Appraisal parameters; every default is documented in :meth:`describe`."""

    horizon_years: int = 20
    discount_rate: float = 0.08
    start_year: int = 2025
    value_of_time_usd_per_teu_day: float = VALUE_OF_TIME_USD_PER_TEU_DAY
    margin_usd_per_teu: float = 250.0
    margin_usd_per_t: float = 10.0

    def __post_init__(self) -> None:
        if self.horizon_years < 1:
            raise InputError(f"horizon must be at least 1 year, got {self.horizon_years}")
        if not -0.5 < self.discount_rate < 1:
            raise InputError(f"discount rate must be a fraction such as 0.08, got {self.discount_rate}")
        for name in ("value_of_time_usd_per_teu_day", "margin_usd_per_teu", "margin_usd_per_t"):
            if getattr(self, name) < 0:
                raise InputError(f"{name} must be ≥ 0, got {getattr(self, name)}")

    def describe(self) -> tuple[Assumption, ...]:
        return (
            Assumption("horizon_years", "horizon", self.horizon_years, "years", "chosen by the user (--horizon)"),
            Assumption(
                "discount_rate",
                "discount rate",
                self.discount_rate,
                "per year",
                "chosen by the user (--discount); 8% is a common real rate for transport projects in "
                "emerging economies (estimate)",
            ),
            Assumption("start_year", "first appraisal year", self.start_year, "", "year 0, not discounted"),
            Assumption(
                "value_of_time_usd_per_teu_day",
                "value of time",
                self.value_of_time_usd_per_teu_day,
                "USD per TEU-day",
                "Hummels & Schaur (2013), 'Time as a Trade Barrier', American Economic Review 103(7) "
                "2935-59: each day in transit is worth 0.6-2.1% of the goods' value; low end 0.6% x "
                "USD 20,000 cargo value per TEU (estimate: ~10 t per TEU at ~USD 2/kg for the corridor's "
                "mix of manufactured goods and materials)",
            ),
            Assumption(
                "margin_usd_per_teu",
                "margin per extra TEU",
                self.margin_usd_per_teu,
                "USD per TEU",
                "estimate: ~10% operating margin on a mid through-rate of ~USD 5,000 per FEU "
                "(USD 2,500 per TEU) Xi'an-Constanta (corridor facts section 10 tariff caveat)",
            ),
            Assumption(
                "margin_usd_per_t",
                "margin per extra tonne (bulk)",
                self.margin_usd_per_t,
                "USD per t",
                "estimate: ~10% of a ~USD 100/t multimodal bulk rate across the Caspian "
                "(ferry USD 60/t plus rail legs, bundled network tariffs)",
            ),
        )


@dataclass(frozen=True)
class Outcome:
    """What the engines say about one scenario for one year of operation."""

    served_teu_per_year: float
    served_t_per_year: float
    door_to_door_days: float | None = None
    #: Per container origin–destination ("origin→destination"): (TEU served a year, mean days).
    #: When both outcomes have it, time savings are counted per OD (see :func:`appraise`).
    od_days: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "served_teu_per_year": self.served_teu_per_year,
            "served_t_per_year": self.served_t_per_year,
            "door_to_door_days": self.door_to_door_days,
            "od_days": {k: list(v) for k, v in self.od_days.items()},
        }


@dataclass(frozen=True)
class YearFlow:
    """Cash flows of one year, USD."""

    year: int
    capex: float
    opex: float
    benefit: float
    discount_factor: float

    @property
    def net(self) -> float:
        return self.benefit - self.capex - self.opex

    @property
    def discounted_net(self) -> float:
        return self.net * self.discount_factor


@dataclass(frozen=True)
class Appraisal:
    """The appraisal of one scenario against a base."""

    scenario: str
    base: str
    assumptions: Assumptions
    extra_teu_per_year: float
    extra_t_per_year: float
    days_saved: float
    revenue_per_year: float
    time_value_per_year: float
    years: tuple[YearFlow, ...]
    investments: tuple[Investment, ...] = field(default=())

    @property
    def pv_benefits(self) -> float:
        return sum(y.benefit * y.discount_factor for y in self.years)

    @property
    def pv_costs(self) -> float:
        return sum((y.capex + y.opex) * y.discount_factor for y in self.years)

    @property
    def capex(self) -> float:
        return sum(i.capex_usd for i in self.investments)

    @property
    def npv(self) -> float:
        return self.pv_benefits - self.pv_costs

    @property
    def bcr(self) -> float | None:
        """PV(benefits) / PV(costs); ``None`` when nothing is spent."""
        return self.pv_benefits / self.pv_costs if self.pv_costs > 0 else None

    @property
    def payback_year(self) -> int | None:
        """First year in which the cumulative discounted net cash flow is ≥ 0 (``None``: never)."""
        total = 0.0
        for y in self.years:
            total += y.discounted_net
            if total >= 0 and (y.capex or y.opex or y.benefit):
                return y.year
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "base": self.base,
            "extra_teu_per_year": self.extra_teu_per_year,
            "extra_t_per_year": self.extra_t_per_year,
            "days_saved": self.days_saved,
            "revenue_usd_per_year": self.revenue_per_year,
            "time_value_usd_per_year": self.time_value_per_year,
            "capex_usd": self.capex,
            "pv_benefits_usd": self.pv_benefits,
            "pv_costs_usd": self.pv_costs,
            "npv_usd": self.npv,
            "bcr": self.bcr,
            "payback_year": self.payback_year,
            "investments": [i.to_json() for i in self.investments],
            "assumptions": [
                {"key": a.key, "label": a.label, "value": a.value, "unit": a.unit, "basis": a.basis}
                for a in self.assumptions.describe()
            ],
            "years": [
                {"year": y.year, "capex": y.capex, "opex": y.opex, "benefit": y.benefit, "net": y.net}
                for y in self.years
            ],
        }


def appraise(
    outcome: Outcome,
    base: Outcome,
    investments: Iterable[Investment],
    assumptions: Assumptions = Assumptions(),
    *,
    scenario: str = "scenario",
    base_name: str = "base",
) -> Appraisal:
    """Appraise ``outcome`` against ``base`` with the costs of ``investments``.

    Parameters
    ----------
    outcome, base
        Volume served and door-to-door time in the scenario and in the base.
    investments
        The scenario's investments that the base does not have.
    assumptions
        Horizon, discount rate, value of time and margins.
    """
    invs = tuple(investments)
    a = assumptions
    extra_teu = outcome.served_teu_per_year - base.served_teu_per_year
    extra_t = outcome.served_t_per_year - base.served_t_per_year
    revenue = extra_teu * a.margin_usd_per_teu + extra_t * a.margin_usd_per_t
    days_saved, time_value = _time_savings(outcome, base, extra_teu, a.value_of_time_usd_per_teu_day)
    first = min((a.start_year, *(i.start_year for i in invs)))
    benefit_start = max((i.first_operating_year for i in invs), default=first)
    benefit_end = benefit_start + min((i.lifetime_years for i in invs), default=a.horizon_years + 1)
    years = []
    for t in range(a.horizon_years):
        year = first + t
        capex = sum(_capex_in(i, year) for i in invs)
        opex = sum(
            i.opex_usd_per_year
            for i in invs
            if i.first_operating_year <= year < i.first_operating_year + i.lifetime_years
        )
        benefit = revenue + time_value if benefit_start <= year < benefit_end else 0.0
        years.append(YearFlow(year, capex, opex, benefit, (1.0 + a.discount_rate) ** -t))
    return Appraisal(
        scenario=scenario,
        base=base_name,
        assumptions=a,
        extra_teu_per_year=extra_teu,
        extra_t_per_year=extra_t,
        days_saved=days_saved,
        revenue_per_year=revenue,
        time_value_per_year=time_value,
        years=tuple(years),
        investments=invs,
    )


def _time_savings(outcome: Outcome, base: Outcome, extra_teu: float, vot: float) -> tuple[float, float]:
    """Days saved per TEU and their value a year.

    Per OD when both outcomes give it: each container OD served in both saves
    ``base days − scenario days`` on its base volume plus half its extra volume (the rule of half);
    an OD served only in the scenario brings revenue, not time savings.  Comparing corridor-wide
    mean days instead would count a change in the *mix* of traffic (more long-haul boxes carried)
    as time lost.  Without per-OD figures, the corridor-wide means are compared.
    """
    if outcome.od_days and base.od_days:
        value_teu_days = 0.0
        base_teu = 0.0
        for od, (teu_base, days_base) in base.od_days.items():
            teu_scen, days_scen = outcome.od_days.get(od, (0.0, days_base))
            if teu_base <= 0 or teu_scen <= 0:
                continue
            valued = teu_base + 0.5 * max(teu_scen - teu_base, 0.0)
            value_teu_days += valued * (days_base - days_scen)
            base_teu += valued
        days = value_teu_days / base_teu if base_teu else 0.0
        return days, value_teu_days * vot
    if outcome.door_to_door_days is None or base.door_to_door_days is None:
        return 0.0, 0.0
    days = base.door_to_door_days - outcome.door_to_door_days
    return days, days * (base.served_teu_per_year + 0.5 * max(extra_teu, 0.0)) * vot


def _capex_in(inv: Investment, year: int) -> float:
    if inv.build_years == 0:
        return inv.capex_usd if year == inv.start_year else 0.0
    if inv.start_year <= year < inv.start_year + inv.build_years:
        return inv.capex_usd / inv.build_years
    return 0.0


def rank(appraisals: Iterable[Appraisal]) -> list[Appraisal]:
    """Best first: by NPV, then by BCR."""
    return sorted(appraisals, key=lambda ap: (-ap.npv, -(ap.bcr or 0.0)))


def incremental_investments(scenario: Iterable[Investment], base: Iterable[Investment]) -> tuple[Investment, ...]:
    """The scenario's investments that the base does not already have (by id)."""
    have = {i.id for i in base}
    return tuple(i for i in scenario if i.id not in have)
