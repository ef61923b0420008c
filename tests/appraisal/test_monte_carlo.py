"""The Monte Carlo gives the same draws in one process, on local processes and on a Dask cluster,
and its percentiles agree with the known distribution of a linear ENPV."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.appraisal import Parameters, PresentValues, monte_carlo
from corridor.errors import InputError

PV = PresentValues(
    user_money=100.0, user_time=50.0, producer=20.0, producer_margin=2.0, co2e=10.0, capex=150.0, opex=5.0
)
PARAMS = Parameters(replications=1200, seed=11)


def test_the_same_draws_on_any_number_of_processes() -> None:
    one = monte_carlo(PV, PARAMS)
    many = monte_carlo(PV, PARAMS, workers=2)
    assert one.enpv == many.enpv and len(one.enpv) == 1200
    assert monte_carlo(PV, PARAMS.with_overrides({"seed": 12}, "test")).enpv != one.enpv


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")
def test_the_same_draws_on_a_dask_cluster() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        remote = monte_carlo(PV, PARAMS, scheduler=cluster.scheduler_address)
    assert remote.enpv == monte_carlo(PV, PARAMS).enpv


def test_percentiles_match_the_distribution_of_a_capex_only_draw() -> None:
    """With every other range empty, ENPV = B − k·capex − opex with k triangular(a, c, b): its P10 is
    B − opex − capex · F⁻¹(0.9) of the triangular distribution, known in closed form."""
    a, c, b = 0.9, 1.1, 1.8
    params = Parameters(
        replications=20_000, seed=3, demand_low=1, demand_high=1, value_of_time_low=1, value_of_time_high=1,
        carbon_low=1, carbon_high=1, capex_overrun_low=a, capex_overrun_mode=c, capex_overrun_high=b,
    )  # fmt: skip
    mc = monte_carlo(PV, params)
    benefits = PV.user_money + PV.user_time + PV.producer + PV.co2e

    def tri_quantile(q: float) -> float:
        split = (c - a) / (b - a)
        return a + np.sqrt(q * (b - a) * (c - a)) if q < split else b - np.sqrt((1 - q) * (b - a) * (b - c))

    for q, got in ((0.9, mc.p10), (0.5, mc.p50), (0.1, mc.p90)):
        assert got == pytest.approx(benefits - PV.opex - PV.capex * tri_quantile(q), abs=0.02 * PV.capex)
    x = (benefits - PV.opex) / PV.capex  # ENPV < 0 when k > x (here x > c, the upper branch)
    assert mc.p_negative == pytest.approx((b - x) ** 2 / ((b - a) * (b - c)), abs=0.01)


def test_bad_worker_count() -> None:
    with pytest.raises(InputError, match="workers must be at least 1"):
        monte_carlo(PV, PARAMS, workers=0)


def test_histogram_peaks_at_the_mode_of_a_capex_only_draw() -> None:
    """ENPV = B − opex − k·capex with k triangular(0.9, 1.1, 1.8): the fullest bin holds the mode k = 1.1."""
    params = Parameters(
        replications=20_000, seed=5, demand_low=1, demand_high=1, value_of_time_low=1, value_of_time_high=1,
        carbon_low=1, carbon_high=1, capex_overrun_low=0.9, capex_overrun_mode=1.1, capex_overrun_high=1.8,
    )  # fmt: skip
    mc = monte_carlo(PV, params)
    hist = mc.histogram(bins=20)
    edges, counts = hist["edges"], hist["counts"]
    assert sum(counts) == 20_000 and len(edges) == 21
    assert edges[0] == min(mc.enpv) and edges[-1] == max(mc.enpv)
    mode = PV.user_money + PV.user_time + PV.producer + PV.co2e - PV.opex - PV.capex * 1.1
    top = counts.index(max(counts))
    width = edges[1] - edges[0]
    assert edges[top] - width <= mode <= edges[top + 1] + width
    assert mc.to_json()["histogram"] == hist
