"""One vocabulary of duration distributions (corridor.distributions) for routing and simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor import distributions
from corridor.routing import Component
from corridor.sim import DISTRIBUTIONS, _codes
from corridor.units import Z90


def test_lognormal_from_median_and_p90() -> None:
    # hand-worked: median 10 h, P90 20 h → sigma = ln 2 / z90; exp(mu + z90·sigma) is the P90 again
    mu, sigma = distributions.lognormal_mu_sigma(10.0, 20.0)
    assert mu == pytest.approx(math.log(10.0))
    assert sigma == pytest.approx(math.log(2.0) / 1.2815515655446004)
    assert math.exp(mu + Z90 * sigma) == pytest.approx(20.0)
    draws = np.exp(np.random.default_rng(5).normal(mu, sigma, 400_000))
    assert distributions.lognormal_mean(mu, sigma) == pytest.approx(draws.mean(), rel=0.01)


def test_simulation_and_routing_use_the_shared_names() -> None:
    assert set(DISTRIBUTIONS) <= set(distributions.NAMES)
    assert set(distributions.KERNEL_CODES) == set(DISTRIBUTIONS)
    codes = {name: getattr(_codes, name.upper()) for name in distributions.KERNEL_CODES}
    assert codes == distributions.KERNEL_CODES
    for name in DISTRIBUTIONS:  # every name the simulation draws gives the kernel a known code
        code, _, _ = DISTRIBUTIONS[name].params(5.0, 8.0)
        assert code in distributions.KERNEL_CODES.values()
    # routing's components of the same durations: a lognormal keeps its median, a deterministic is a constant
    lognormal = Component(
        "rail", "x", "moving", distributions.LOGNORMAL, 5.0, distributions.lognormal_mu_sigma(5.0, 8.0)[1]
    )
    assert lognormal.p50 == 5.0
    assert lognormal.cumulants[0] == pytest.approx(DISTRIBUTIONS["lognormal"].mean(5.0, 8.0))
    assert Component("rail", "x", "moving", distributions.DETERMINISTIC, 5.0).cumulants == (5.0, 0.0, 0.0, 0.0)
