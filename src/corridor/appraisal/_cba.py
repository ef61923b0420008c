"""Yearly lines and the indicators: ENPV, EIRR, BCR, payback year, FNPV and FIRR.

Conventions (docs/appraisal.md):

* Years ``t = 0 … horizon − 1`` are ``start_year + t``; year ``t`` is discounted by
  ``(1 + r) ** −t`` (``r``: the social rate for the economic view, the financial rate for FNPV).
* **Profile.** Each benefit line at full operation is known for the modelled demand years; between
  two of them it is linear, before the first it is the first, after the last it grows at
  ``growth_after_last_year``.  Benefits start in the year the scenario's last investment opens
  (``start_year + build_years``; at once for a policy without investments) and ramp up linearly
  over ``ramp_up_years`` (1/3, 2/3, full for 3).
* **Costs.** Capex is spread evenly over the build years; capex falling before ``start_year`` is
  **sunk** and left out (EC guide: only future costs matter to the decision), its asset still
  serves.  Opex runs from opening.  An asset whose life ends inside the horizon is renewed at its
  capex in that year.  The **residual value** in the last year is the undepreciated share
  (straight line) of every asset's capex.  Economic costs are financial costs × the conversion factor.
* **Economic net** = user benefits (existing + new) + producer surplus + CO2e value − economic
  capex − renewals − opex + residual value.  **Financial net** (the operators' view) = producer
  surplus − capex − renewals − opex + residual value, at financial prices.
* BCR = PV(benefits) / PV(capex + renewals + opex − residual); payback year = first year in which
  the cumulative discounted economic net is ≥ 0 after something was spent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corridor.appraisal._benefits import YearBenefits
from corridor.appraisal._parameters import Parameters
from corridor.errors import InputError

if TYPE_CHECKING:  # corridor.scenario imports the appraisal (comparison): no import cycle at run time
    from corridor.scenario import Investment

#: Benefit lines carried from the modelled years into the profile (USD a year unless a volume).
BENEFIT_LINES = (
    "user_existing_money",
    "user_existing_time",
    "user_new_money",
    "user_new_time",
    "producer",
    "co2e_t",
    "teu_existing",
    "teu_change",
    "t_existing",
    "t_change",
)

#: Columns of the yearly table, in print order.
COLUMNS = (
    "year",
    "operating_share",
    "teu_existing",
    "teu_change",
    "t_existing",
    "t_change",
    "user_existing",
    "user_new",
    "producer",
    "co2e_change_t",
    "carbon_usd_per_t",
    "co2e_value",
    "capex",
    "sunk_capex",
    "renewals",
    "opex",
    "residual",
    "economic_net",
    "economic_discount_factor",
    "financial_net",
    "financial_discount_factor",
)


@dataclass(frozen=True)
class Profile:
    """The yearly lines as arrays (one value per appraisal year), in USD (economic prices for
    capex/opex/residual are the financial ones × ``conversion_factor``)."""

    years: NDArray[np.int64]
    operating: NDArray[np.float64]
    lines: dict[str, NDArray[np.float64]]
    carbon: NDArray[np.float64]
    capex: NDArray[np.float64]
    sunk: NDArray[np.float64]
    renewals: NDArray[np.float64]
    opex: NDArray[np.float64]
    residual: NDArray[np.float64]
    params: Parameters = field(compare=False)

    def benefit(self, name: str) -> NDArray[np.float64]:
        """A benefit line in the year, operating share applied (USD)."""
        return self.lines[name] * self.operating

    @property
    def co2e_value(self) -> NDArray[np.float64]:
        return -self.benefit("co2e_t") * self.carbon

    def economic_benefits(
        self, *, demand: float = 1.0, value_of_time: float = 1.0, carbon: float = 1.0, margin: float = 1.0
    ) -> NDArray[np.float64]:
        """User + producer + CO2e value, with each driver scaled by a factor."""
        user_money = self.benefit("user_existing_money") + self.benefit("user_new_money")
        user_time = self.benefit("user_existing_time") + self.benefit("user_new_time")
        out: NDArray[np.float64] = demand * (
            user_money + value_of_time * user_time + self.producer_scaled(margin) + carbon * self.co2e_value
        )
        return out

    def producer_scaled(self, margin: float) -> NDArray[np.float64]:
        """Producer surplus with the operator margin scaled (it enters the surplus linearly)."""
        return self.benefit("producer") + (margin - 1.0) * self.benefit("producer_margin_part")

    def economic_costs(self, *, capex: float = 1.0, opex: float = 1.0) -> NDArray[np.float64]:
        cf = self.params.conversion_factor
        out: NDArray[np.float64] = cf * (capex * (self.capex + self.renewals - self.residual) + opex * self.opex)
        return out

    def discount(self, rate: float) -> NDArray[np.float64]:
        t = np.arange(self.years.size, dtype=float)
        out: NDArray[np.float64] = (1.0 + rate) ** -t
        return out

    @property
    def economic_net(self) -> NDArray[np.float64]:
        out: NDArray[np.float64] = self.economic_benefits() - self.economic_costs()
        return out

    @property
    def financial_net(self) -> NDArray[np.float64]:
        out: NDArray[np.float64] = self.benefit("producer") - (self.capex + self.renewals + self.opex - self.residual)
        return out

    def rows(self) -> list[dict[str, Any]]:
        """The yearly table an analyst can recompute (USD, t CO2e, TEU, t)."""
        p = self.params
        df_e, df_f = self.discount(p.discount_rate), self.discount(p.financial_discount_rate)
        cf = p.conversion_factor
        cols: dict[str, Any] = {
            "year": self.years,
            "operating_share": self.operating,
            "teu_existing": self.benefit("teu_existing"),
            "teu_change": self.benefit("teu_change"),
            "t_existing": self.benefit("t_existing"),
            "t_change": self.benefit("t_change"),
            "user_existing": self.benefit("user_existing_money") + self.benefit("user_existing_time"),
            "user_new": self.benefit("user_new_money") + self.benefit("user_new_time"),
            "producer": self.benefit("producer"),
            "co2e_change_t": self.benefit("co2e_t"),
            "carbon_usd_per_t": self.carbon,
            "co2e_value": self.co2e_value,
            "capex": cf * self.capex,
            "sunk_capex": self.sunk,
            "renewals": cf * self.renewals,
            "opex": cf * self.opex,
            "residual": cf * self.residual,
            "economic_net": self.economic_net,
            "economic_discount_factor": df_e,
            "financial_net": self.financial_net,
            "financial_discount_factor": df_f,
        }
        return [
            {c: (int(cols[c][i]) if c == "year" else _value(c, float(cols[c][i]))) for c in COLUMNS}
            for i in range(self.years.size)
        ]


def _value(column: str, value: float) -> float:
    """Money and volumes to 6 decimals; factors and shares exact."""
    return value if column.endswith(("factor", "share")) else round(value, 6)


def build_profile(modelled: Sequence[YearBenefits], investments: Sequence[Investment], params: Parameters) -> Profile:
    """Yearly lines from the modelled years' benefits and the investments' costs."""
    if not modelled:
        raise InputError("an appraisal needs at least one modelled demand year")
    years = np.arange(params.start_year, params.start_year + params.horizon_years, dtype=np.int64)
    points = sorted(modelled, key=lambda m: m.year)
    xs = np.array([m.year for m in points], dtype=float)
    lines: dict[str, NDArray[np.float64]] = {}
    for name, values in _modelled_lines(points).items():
        ys = np.asarray(values, dtype=float)
        line = np.interp(years.astype(float), xs, ys)
        after = years > xs[-1]
        line[after] = ys[-1] * (1.0 + params.growth_after_last_year) ** (years[after] - xs[-1])
        lines[name] = line
    opening = max((i.first_operating_year for i in investments), default=params.start_year)
    since = (years - opening + 1).astype(float)
    ramp = params.ramp_up_years
    operating = np.clip(since / ramp, 0.0, 1.0) if ramp > 0 else (since > 0).astype(float)
    capex, sunk, renewals, opex, residual = _costs(years, investments)
    carbon = np.array([params.carbon_price(int(y)) for y in years])
    return Profile(years, operating, lines, carbon, capex, sunk, renewals, opex, residual, params)


def _modelled_lines(points: Sequence[YearBenefits]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {name: [] for name in (*BENEFIT_LINES, "producer_margin_part")}
    for m in points:
        ex, new = m.existing, m.new
        out["user_existing_money"].append(ex.money)
        out["user_existing_time"].append(ex.time)
        out["user_new_money"].append(new.money)
        out["user_new_time"].append(new.time)
        out["producer"].append(m.producer)
        out["producer_margin_part"].append(m.margin_part)
        out["co2e_t"].append(m.co2e_t)
        for k, v in m.volumes().items():
            out[k].append(v)
    return out


def _costs(
    years: NDArray[np.int64], investments: Sequence[Investment]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    first, last = int(years[0]), int(years[-1])
    n = years.size
    capex, sunk, renewals, opex, residual = (np.zeros(n) for _ in range(5))
    for inv in investments:
        spread = max(inv.build_years, 1)
        for k in range(spread):
            year = inv.start_year + k
            amount = inv.capex_usd / spread
            if year < first:
                continue  # sunk: spent before the appraisal starts
            if year <= last:
                capex[year - first] += amount
        sunk[0] += inv.capex_usd / spread * max(0, min(first, inv.start_year + spread) - inv.start_year)
        life = max(inv.lifetime_years, 1)
        vintage = inv.first_operating_year
        while True:
            end = vintage + life
            if end > last:
                residual[-1] += inv.capex_usd * (end - (last + 1)) / life
                break
            if end >= first:
                renewals[end - first] += inv.capex_usd
            vintage = end
        for year in range(max(inv.first_operating_year, first), last + 1):
            opex[year - first] += inv.opex_usd_per_year
    return capex, sunk, renewals, opex, residual
