"""Risk and sensitivity on a :class:`~corridor.appraisal._cba.Profile`: switching values, a
tornado of ±swing on each driver, and a seeded Monte Carlo of ENPV.

ENPV is linear in each driver's factor (capex, opex, demand, value of time, carbon price, operator
margin) because the engines' per-unit results are held fixed: demand scales every volume and so
every benefit line; the value of time scales the time part of the user benefits.  The switching
value of a driver is therefore exact: the factor ``k`` with ``ENPV(k) = 0``.  The discount rate
enters non-linearly; its switching value is the EIRR.

The Monte Carlo draws each replication's factors from its own ``SeedSequence`` child (as the
simulation does, sim/_experiment.py), in chunks that run in this process, on local processes or on
a Dask cluster; results are folded in replication order, so any worker count gives the same numbers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corridor.appraisal._cba import Profile
from corridor.appraisal._parameters import Parameters
from corridor.errors import InputError

#: Drivers of the switching values and the tornado: key → label.
DRIVERS: Mapping[str, str] = {
    "capex": "capex (incl. renewals and residual)",
    "opex": "opex",
    "demand": "demand (every volume)",
    "value_of_time": "value of time (incl. reliability)",
    "carbon": "carbon price",
    "margin": "operator margin",
    "discount_rate": "discount rate",
}

CHUNK = 500


@dataclass(frozen=True)
class PresentValues:
    """The present values ENPV is made of (USD, economic prices, at the social discount rate)."""

    user_money: float
    user_time: float
    producer: float
    producer_margin: float
    co2e: float
    capex: float
    opex: float

    def enpv(
        self,
        *,
        capex: float = 1.0,
        opex: float = 1.0,
        demand: float = 1.0,
        value_of_time: float = 1.0,
        carbon: float = 1.0,
        margin: float = 1.0,
    ) -> float:
        producer = self.producer + (margin - 1.0) * self.producer_margin
        benefits = demand * (self.user_money + value_of_time * self.user_time + producer + carbon * self.co2e)
        return benefits - capex * self.capex - opex * self.opex


def present_values(profile: Profile, rate: float | None = None) -> PresentValues:
    df = profile.discount(profile.params.discount_rate if rate is None else rate)
    cf = profile.params.conversion_factor

    def pv(x: NDArray[np.float64]) -> float:
        return float(np.dot(df, x))

    return PresentValues(
        user_money=pv(profile.benefit("user_existing_money") + profile.benefit("user_new_money")),
        user_time=pv(profile.benefit("user_existing_time") + profile.benefit("user_new_time")),
        producer=pv(profile.benefit("producer")),
        producer_margin=pv(profile.benefit("producer_margin_part")),
        co2e=pv(profile.co2e_value),
        capex=cf * pv(profile.capex + profile.renewals - profile.residual),
        opex=cf * pv(profile.opex),
    )


@dataclass(frozen=True)
class Switching:
    """The factor on a driver that brings ENPV to 0 (``None``: no factor ≥ 0 does)."""

    driver: str
    factor: float | None

    @property
    def change(self) -> float | None:
        return None if self.factor is None else self.factor - 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "driver": self.driver,
            "label": DRIVERS[self.driver],
            "factor": None if self.factor is None else round(self.factor, 6),
            "change": None if self.change is None else round(self.change, 6),
        }


@dataclass(frozen=True)
class TornadoBar:
    """ENPV with one driver at ``1 − swing`` and at ``1 + swing`` (USD)."""

    driver: str
    low: float
    high: float

    def to_json(self) -> dict[str, Any]:
        return {"driver": self.driver, "label": DRIVERS[self.driver], "enpv_low": self.low, "enpv_high": self.high}


@dataclass(frozen=True)
class MonteCarlo:
    """ENPV over the drawn factors: percentiles, P(ENPV < 0) and every draw (replication order)."""

    replications: int
    seed: int
    enpv: tuple[float, ...]

    def _q(self, q: float) -> float:
        return float(np.quantile(np.asarray(self.enpv), q))

    @property
    def p10(self) -> float:
        return self._q(0.10)

    @property
    def p50(self) -> float:
        return self._q(0.50)

    @property
    def p90(self) -> float:
        return self._q(0.90)

    @property
    def p_negative(self) -> float:
        return float(np.mean(np.asarray(self.enpv) < 0))

    def to_json(self) -> dict[str, Any]:
        return {
            "replications": self.replications,
            "seed": self.seed,
            "enpv_p10": self.p10,
            "enpv_p50": self.p50,
            "enpv_p90": self.p90,
            "p_enpv_negative": self.p_negative,
            "histogram": self.histogram(),
        }

    def histogram(self, bins: int = 20) -> dict[str, list[float] | list[int]]:
        """The draws' distribution: ``bins`` equal-width bins from the lowest to the highest ENPV."""
        counts, edges = np.histogram(np.asarray(self.enpv), bins=bins)
        return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def switching_values(pv: PresentValues) -> tuple[Switching, ...]:
    """Exact switching factors of the linear drivers (ENPV(k) = ENPV(1) + (k − 1) × slope)."""
    base = pv.enpv()
    out = []
    for driver in ("capex", "opex", "demand", "value_of_time", "carbon", "margin"):
        slope = pv.enpv(**{driver: 2.0}) - base
        factor = None
        if abs(slope) > 1e-9 * max(1.0, abs(base)):
            k = 1.0 - base / slope
            factor = k if k >= 0 else None
        out.append(Switching(driver, factor))
    return tuple(out)


def tornado(profile: Profile, swing: float) -> tuple[TornadoBar, ...]:
    """ENPV at ``1 ± swing`` on each driver, widest bar first."""
    pv = present_values(profile)
    bars = [
        TornadoBar(d, pv.enpv(**{d: 1.0 - swing}), pv.enpv(**{d: 1.0 + swing}))
        for d in ("capex", "opex", "demand", "value_of_time", "carbon", "margin")
    ]
    rate = profile.params.discount_rate
    bars.append(
        TornadoBar(
            "discount_rate",
            present_values(profile, rate * (1.0 - swing)).enpv(),
            present_values(profile, rate * (1.0 + swing)).enpv(),
        )
    )
    return tuple(sorted(bars, key=lambda b: -abs(b.high - b.low)))


def draw_chunk(pv: PresentValues, params: Parameters, seeds: Sequence[np.random.SeedSequence]) -> list[float]:
    """ENPV of each replication whose seed is given (one generator per replication)."""
    out = []
    for seq in seeds:
        rng = np.random.default_rng(seq)
        capex = rng.triangular(params.capex_overrun_low, params.capex_overrun_mode, params.capex_overrun_high)
        demand = _tri(rng, params.demand_low, params.demand_high)
        vot = _tri(rng, params.value_of_time_low, params.value_of_time_high)
        carbon = _tri(rng, params.carbon_low, params.carbon_high)
        out.append(pv.enpv(capex=capex, demand=demand, value_of_time=vot, carbon=carbon))
    return out


def _tri(rng: np.random.Generator, low: float, high: float) -> float:
    """Triangular on [low, high] with mode 1 (a point mass at 1 when the range is empty)."""
    return 1.0 if low == high else float(rng.triangular(low, 1.0, high))


def monte_carlo(
    pv: PresentValues,
    params: Parameters,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> MonteCarlo:
    """``params.replications`` draws of ENPV, seeded by ``params.seed``; ``on_chunk(draws)`` after each
    chunk of draws is in (at most :data:`CHUNK` draws; for progress reports).

    Raises
    ------
    InputError
        The Dask scheduler cannot be reached, or ``workers`` < 1.
    """
    if workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    children = np.random.SeedSequence(params.seed).spawn(params.replications)
    chunks = [children[i : i + CHUNK] for i in range(0, len(children), CHUNK)]
    results: list[list[float]]
    done = on_chunk or (lambda _n: None)
    if scheduler:
        results = _on_dask(pv, params, chunks, scheduler, done)
    elif workers == 1 or len(chunks) == 1:
        results = []
        for c in chunks:
            results.append(draw_chunk(pv, params, c))
            done(len(c))
    else:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=context) as pool:
            results = []
            for c, r in zip(
                chunks, pool.map(draw_chunk, [pv] * len(chunks), [params] * len(chunks), chunks), strict=True
            ):
                results.append(r)
                done(len(c))
    return MonteCarlo(params.replications, params.seed, tuple(v for chunk in results for v in chunk))


def _on_dask(
    pv: PresentValues,
    params: Parameters,
    chunks: list[list[np.random.SeedSequence]],
    scheduler: str,
    done: Callable[[int], None],
) -> list[list[float]]:
    from distributed import Client

    try:
        client = Client(scheduler, timeout="5s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        run: Callable[..., list[float]] = draw_chunk
        futures = [client.submit(run, pv, params, c, pure=False) for c in chunks]
        out = []
        for c, f in zip(chunks, futures, strict=True):
            out.append(f.result())
            done(len(c))
        return out
