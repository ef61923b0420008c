"""Benefits of one modelled year: per origin–destination and cargo class, the change in users'
generalised cost (full change for traffic carried in both cases, rule of a half for traffic won
or lost), the operators' producer surplus, and the CO2e change.

Notation per OD, per unit (a TEU or a tonne): ``T0``/``T1`` volume carried in the base/scenario,
``C0``/``C1`` generalised cost (money + value of time × (days + reliability ratio × (P90 − P50))),
``p0``/``p1`` money cost (operators' revenue), ``e0``/``e1`` CO2e, ``A`` the comparator route.

* existing traffic: ``min(T0, T1) × (C0 − C1)``;
* traffic won (``T1 > T0``): ``½ (T1 − T0)(Cr − C1)``, where ``Cr`` is the comparator's cost when
  the base rationed the OD (capacity, not price, held the volume back: that traffic was diverted to
  the comparator) and ``C0`` otherwise (induced demand, the textbook rule of a half); with neither,
  0.  Never negative: traffic that chose the corridor does not lose by it;
* traffic lost (``T1 < T0``): ``½ (T1 − T0)(Cr − C0)`` with ``Cr`` the comparator when the
  scenario rations the OD, else ``C1``;
* producer surplus: revenue minus operating cost, ``T1 p1 − T0 p0 − (1 − m) p0 (T1 − T0)`` with
  operating cost per unit ``(1 − m)`` of the base rate (``p1`` for an OD the base does not carry) —
  so a tariff cut on existing traffic is a transfer (users gain what operators lose);
* CO2e: ``T1 e1 − T0 e0`` minus the comparator's emissions of diverted traffic (when the
  assignment reports its diverted volume, only the traffic that really left a comparator earns that
  credit; traffic that was not moved at all adds its corridor emissions).

Each money line is split into its money part and its time part (valued at the value of time) so
the sensitivity and Monte Carlo can scale the value of time without re-running anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corridor.appraisal._costs import CostParts, ODCost, ODKey
from corridor.appraisal._parameters import Parameters
from corridor.capacity import od_json


@dataclass(frozen=True)
class Split:
    """A benefit in USD a year: its money part and its value-of-time part."""

    money: float = 0.0
    time: float = 0.0

    @property
    def total(self) -> float:
        return self.money + self.time

    def __add__(self, other: Split) -> Split:
        return Split(self.money + other.money, self.time + other.time)


@dataclass(frozen=True)
class ODBenefit:
    """The benefit lines of one OD and cargo class in one modelled year (USD a year, t CO2e a year)."""

    origin: str
    destination: str
    cargo: str
    unit: str
    base_volume: float
    scenario_volume: float
    base_cost: float | None
    scenario_cost: float | None
    reference_cost: float | None
    reference: str
    existing: Split
    new: Split
    producer: float
    co2e_t: float
    #: ``m p0 (T1 − T0)``: the part of ``producer`` proportional to the operator margin.
    margin_part: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            **od_json(self),
            "base_volume": round(self.base_volume, 3),
            "scenario_volume": round(self.scenario_volume, 3),
            "base_generalised_cost_usd": _r(self.base_cost),
            "scenario_generalised_cost_usd": _r(self.scenario_cost),
            "new_traffic_reference_cost_usd": _r(self.reference_cost),
            "new_traffic_reference": self.reference,
            "user_existing_usd": round(self.existing.total, 2),
            "user_new_usd": round(self.new.total, 2),
            "producer_usd": round(self.producer, 2),
            "co2e_change_t": round(self.co2e_t, 3),
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def od_benefit(base: ODCost | None, scen: ODCost | None, params: Parameters) -> ODBenefit:
    """The benefit lines of one OD (either side may be missing: no demand there)."""
    one = scen or base
    assert one is not None
    vot = params.value_of_time_usd_per_teu_day if one.cargo == "container" else params.value_of_time_usd_per_t_day
    rr = params.reliability_ratio
    t0 = base.volume if base else 0.0
    t1 = scen.volume if scen else 0.0
    c0 = base.parts if base and t0 > 0 else None
    c1 = scen.parts if scen and t1 > 0 else None

    def diff(a: CostParts, b: CostParts, volume: float) -> Split:
        return Split(volume * (a.money_usd - b.money_usd), volume * vot * (a.time_days(rr) - b.time_days(rr)))

    existing = diff(c0, c1, min(t0, t1)) if c0 and c1 else Split()
    new = Split()
    ref: CostParts | None = None
    label = ""
    diverted = 0.0
    dt = t1 - t0
    if dt > 0 and c1 is not None:
        if base is not None and base.rationed and base.alternative is not None:
            ref, label, diverted = base.alternative, "comparator (base rationed)", dt
            if base.diverted is not None and scen is not None and scen.diverted is not None:
                diverted = min(dt, max(base.diverted - scen.diverted, 0.0))  # the rest was not moved at all
        elif c0 is not None:
            ref, label = c0, "base corridor cost (induced)"
        if ref is not None:
            gain = diff(ref, c1, 0.5 * dt)
            new = gain if gain.total > 0 else Split()
    elif dt < 0 and c0 is not None:
        if scen is not None and scen.rationed and scen.alternative is not None:
            ref, label, diverted = scen.alternative, "comparator (scenario rationed)", dt
            if base is not None and base.diverted is not None and scen.diverted is not None:
                diverted = -min(-dt, max(scen.diverted - base.diverted, 0.0))
        elif c1 is not None:
            ref, label = c1, "scenario corridor cost"
        if ref is not None:
            new = diff(ref, c0, 0.5 * dt)
    p0 = c0.money_usd if c0 else (c1.money_usd if c1 else 0.0)
    revenue = t1 * (c1.money_usd if c1 else 0.0) - t0 * (c0.money_usd if c0 else 0.0)
    producer = revenue - (1.0 - params.operator_margin) * p0 * dt
    co2e = t1 * (c1.co2e_t if c1 else 0.0) - t0 * (c0.co2e_t if c0 else 0.0)
    if ref is not None and diverted:
        co2e -= diverted * ref.co2e_t
    return ODBenefit(
        one.origin,
        one.destination,
        one.cargo,
        one.unit,
        t0,
        t1,
        c0.generalised(vot, rr) if c0 else None,
        c1.generalised(vot, rr) if c1 else None,
        ref.generalised(vot, rr) if ref else None,
        label,
        existing,
        new,
        producer,
        co2e,
        params.operator_margin * p0 * dt,
    )


@dataclass(frozen=True)
class YearBenefits:
    """Sums over every OD of one modelled year, at full operation (USD a year; volumes a year)."""

    year: int
    ods: tuple[ODBenefit, ...]

    def _sum(self, unit: str, existing: bool) -> float:
        return sum(
            (min(o.base_volume, o.scenario_volume) if existing else o.scenario_volume - o.base_volume)
            for o in self.ods
            if o.unit == unit
        )

    @property
    def existing(self) -> Split:
        return sum((o.existing for o in self.ods), Split())

    @property
    def new(self) -> Split:
        return sum((o.new for o in self.ods), Split())

    @property
    def producer(self) -> float:
        return sum(o.producer for o in self.ods)

    @property
    def co2e_t(self) -> float:
        return sum(o.co2e_t for o in self.ods)

    @property
    def margin_part(self) -> float:
        return sum(o.margin_part for o in self.ods)

    def volumes(self) -> dict[str, float]:
        """TEU and tonnes carried in both cases (existing) and the change (new)."""
        return {
            "teu_existing": self._sum("teu", True),
            "teu_change": self._sum("teu", False),
            "t_existing": self._sum("t", True),
            "t_change": self._sum("t", False),
        }


def year_benefits(
    year: int, base: Mapping[ODKey, ODCost], scenario: Mapping[ODKey, ODCost], params: Parameters
) -> YearBenefits:
    """Every OD's benefit lines for one modelled year, in a stable order."""
    keys = sorted(set(base) | set(scenario))
    return YearBenefits(year, tuple(od_benefit(base.get(k), scenario.get(k), params) for k in keys))
