"""An appraisal's result: the yearly profile, the indicators, risk, and its JSON form."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq

from corridor.appraisal._benefits import YearBenefits
from corridor.appraisal._cba import Profile
from corridor.appraisal._parameters import Parameters
from corridor.appraisal._risk import (
    MonteCarlo,
    Switching,
    TornadoBar,
    present_values,
    switching_values,
    tornado,
)

if TYPE_CHECKING:  # corridor.scenario imports the appraisal (comparison): no import cycle at run time
    from corridor.scenario import Investment

#: The benefit lines of the split, as printed.
BENEFIT_SPLIT = ("user_existing", "user_new", "producer", "co2e")


def irr(net: NDArray[np.float64]) -> float | None:
    """The rate at which the discounted ``net`` sums to 0 (``None``: no sign change, or no root in
    −99% … 1,000%)."""
    if not (np.any(net < 0) and np.any(net > 0)):
        return None
    t = np.arange(net.size, dtype=float)

    def npv(r: float) -> float:
        return float(np.sum(net * (1.0 + r) ** -t))

    lo, hi = -0.99, 10.0
    if npv(lo) * npv(hi) > 0:
        return None
    return float(brentq(npv, lo, hi, xtol=1e-10))


def payback(years: NDArray[np.int64], net: NDArray[np.float64], df: NDArray[np.float64]) -> int | None:
    """First year in which the cumulative discounted net is ≥ 0 after something was spent."""
    total, spent = 0.0, False
    for y, v in zip(years.tolist(), (net * df).tolist(), strict=True):
        total += v
        spent = spent or v < 0
        if spent and total >= 0:
            return int(y)
    return None


@dataclass(frozen=True)
class Appraisal:
    """One scenario against its base: per-OD benefits of each modelled year, the yearly profile,
    indicators and risk.  ``steps`` are the incremental appraisals of a package, in build order."""

    scenario: str
    base: str
    investments: tuple[Investment, ...]
    params: Parameters
    modelled: tuple[YearBenefits, ...]
    trajectory: tuple[tuple[int, str], ...]
    profile: Profile
    monte_carlo: MonteCarlo | None = None
    steps: tuple[Appraisal, ...] = ()
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    #: The modelled year of the scenario's own demand set (``None``: the trajectory does not hold
    #: it): the year ``corridor compare`` sets the scenario beside its base, so the extra volume
    #: the appraisal reports is the served-volume difference the comparison shows.
    demand_year: int | None = None

    @property
    def kind(self) -> str:
        if self.steps:
            return "package"
        return "project" if self.investments else "policy"

    def _pv(self, x: NDArray[np.float64], financial: bool = False) -> float:
        p = self.params
        return float(np.dot(self.profile.discount(p.financial_discount_rate if financial else p.discount_rate), x))

    @property
    def pv_lines(self) -> dict[str, float]:
        """Present value of each line (USD, economic prices, social discount rate)."""
        pr, cf = self.profile, self.params.conversion_factor
        return {
            "user_existing": self._pv(pr.benefit("user_existing_money") + pr.benefit("user_existing_time")),
            "user_new": self._pv(pr.benefit("user_new_money") + pr.benefit("user_new_time")),
            "producer": self._pv(pr.benefit("producer")),
            "co2e": self._pv(pr.co2e_value),
            "capex": cf * self._pv(pr.capex),
            "renewals": cf * self._pv(pr.renewals),
            "opex": cf * self._pv(pr.opex),
            "residual": cf * self._pv(pr.residual),
        }

    @property
    def pv_benefits(self) -> float:
        lines = self.pv_lines
        return sum(lines[k] for k in BENEFIT_SPLIT)

    @property
    def pv_costs(self) -> float:
        lines = self.pv_lines
        return lines["capex"] + lines["renewals"] + lines["opex"] - lines["residual"]

    @property
    def enpv(self) -> float:
        return self._pv(self.profile.economic_net)

    @property
    def eirr(self) -> float | None:
        return irr(self.profile.economic_net)

    @property
    def bcr(self) -> float | None:
        """PV(benefits) / PV(costs); ``None`` when nothing is spent."""
        costs = self.pv_costs
        return self.pv_benefits / costs if costs > 0 else None

    @property
    def payback_year(self) -> int | None:
        pr = self.profile
        return payback(pr.years, pr.economic_net, pr.discount(self.params.discount_rate))

    @property
    def fnpv(self) -> float:
        return self._pv(self.profile.financial_net, financial=True)

    @property
    def firr(self) -> float | None:
        return irr(self.profile.financial_net)

    @property
    def dominant(self) -> str:
        """The benefit line with the largest absolute present value."""
        lines = self.pv_lines
        return max(BENEFIT_SPLIT, key=lambda k: abs(lines[k]))

    @property
    def capex(self) -> float:
        return sum(i.capex_usd for i in self.investments)

    @property
    def switching(self) -> tuple[Switching, ...]:
        return switching_values(present_values(self.profile))

    @property
    def tornado(self) -> tuple[TornadoBar, ...]:
        return tornado(self.profile, self.params.sensitivity_swing)

    def volumes(self) -> dict[str, float]:
        """Extra TEU and tonnes a year the scenario carries over its base at full operation, and the
        modelled year they are read in (docs/design/appraisal.md).

        The year is the scenario's own demand year when the trajectory models it (the served-volume
        difference ``corridor compare`` shows), else the first modelled year the investments
        operate in, else the last modelled year.  The figure is that modelled year's assignment
        difference, not scaled by the ramp-up (the yearly ``teu_change`` column is).
        """
        if not self.modelled:
            return {"teu_change": 0.0, "t_change": 0.0, "year": float(self.profile.years[0])}
        share = dict(zip(self.profile.years.tolist(), self.profile.operating.tolist(), strict=True))
        chosen = next((m for m in self.modelled if m.year == self.demand_year), None)
        chosen = chosen or next((m for m in self.modelled if share.get(m.year, 0.0) > 0), self.modelled[-1])
        vol = chosen.volumes()
        return {"teu_change": vol["teu_change"], "t_change": vol["t_change"], "year": float(chosen.year)}

    def _extra_volume_json(self) -> dict[str, Any]:
        vol = self.volumes()
        year = int(vol["year"])
        demand = next((d for y, d in self.trajectory if y == year), "")
        return {"year": year, "demand": demand, "teu": round(vol["teu_change"], 3), "t": round(vol["t_change"], 3)}

    def to_json(self) -> dict[str, Any]:
        mc = self.monte_carlo
        return {
            "scenario": self.scenario,
            "base": self.base,
            "kind": self.kind,
            "note": self.note,
            "enpv_usd": self.enpv,
            "eirr": self.eirr,
            "bcr": self.bcr,
            "payback_year": self.payback_year,
            "fnpv_usd": self.fnpv,
            "firr": self.firr,
            "pv_usd": self.pv_lines,
            "dominant_benefit": self.dominant,
            "capex_usd": self.capex,
            "investments": [i.to_json() for i in self.investments],
            "switching_values": [s.to_json() for s in self.switching],
            "tornado": [b.to_json() for b in self.tornado],
            "monte_carlo": mc.to_json() if mc else None,
            "trajectory": [{"year": y, "demand": d} for y, d in self.trajectory],
            "modelled_years": [
                {"year": m.year, "ods": [o.to_json() for o in m.ods if o.base_volume or o.scenario_volume]}
                for m in self.modelled
            ],
            "years": self.profile.rows(),
            "extra_volume": self._extra_volume_json(),
            "parameters": [p.to_json() for p in self.params.describe()],
            "steps": [s.to_json() for s in self.steps],
        }


def rank(appraisals: Sequence[Appraisal]) -> list[Appraisal]:
    """Best first: by ENPV, then by BCR."""
    return sorted(appraisals, key=lambda a: (-a.enpv, -(a.bcr or 0.0)))
