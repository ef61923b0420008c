"""The fill-or-timeout departure rule against a direct computation (renewal–reward).

A vessel is always in port (a large fleet on a short cycle); unit cohorts arrive as a Poisson
process of rate λ; a vessel sails when K are aboard or T hours after the first came aboard.  Over
one batch, N(t) counts arrivals after the first; the batch is still loading at t < T iff
N(t) ≤ K − 2, and then 1 + N(t) units are waiting.  So

    E[sum of waits] = ∫₀ᵀ Σ_{n=0}^{K-2} (1 + n) P(N(t) = n) dt,    E[batch] = 1 + E[min(K − 1, N(T))]

and the mean wait per unit is their ratio.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import integrate, stats

from corridor.sim import simulate

SAILING_H = 1.0


def mean_wait(lam: float, k: int, t_max: float) -> float:
    def waiting(t: float) -> float:
        n = np.arange(k - 1)
        return float(np.sum((1 + n) * stats.poisson.pmf(n, lam * t)))

    total, _ = integrate.quad(waiting, 0.0, t_max, limit=200)
    n = np.arange(k)
    batch = 1 + float(
        np.sum(np.minimum(n, k - 1) * stats.poisson.pmf(n, lam * t_max))
        + (k - 1) * stats.poisson.sf(k - 1, lam * t_max)
    )
    return total / batch


def test_mean_wait_matches_direct_computation(corridor, theory) -> None:
    lam, k, t_max = 0.5, 10, 12.0
    network, demand = corridor(
        ["P,Port East,KZ,port,43,51,,,", "Q,Port West,AZ,port,40,49,,,"],
        ["PQ,P,Q,ferry,400,1,,F"],
        [f"P,Q,container,{lam * 8760},"],
        services=[f"F,Ferry,PQ,ferry,30,{k},{SAILING_H},1,0,fill_or_timeout,{t_max}"],
    )
    result = simulate(
        network,
        demand,
        rules=replace(theory, sailing_p90_ratio=1.0),
        days=200,
        warmup_days=5,
        replications=30,
        seed=3,
        workers=1,
    )
    od = result.od[0]
    expected = mean_wait(lam, k, t_max) + SAILING_H
    assert od.mean_h.low <= expected <= od.mean_h.high, (expected, od.mean_h)
    assert od.stages_h["port_wait"] + od.stages_h["sailing"] == pytest.approx(od.mean_h.value)
    assert od.stages_h["sailing"] == pytest.approx(SAILING_H)


def test_direct_computation_limits() -> None:
    """The formula itself: K = 1 never waits; a huge K waits (T − ...) like a pure timeout."""
    assert mean_wait(0.5, 1, 12.0) == 0.0
    # K huge: every batch waits T from its first unit; units arrive uniformly after it
    lam, t_max = 0.5, 12.0
    batch = 1 + lam * t_max
    expected = (t_max + lam * t_max * t_max / 2) / batch
    assert abs(mean_wait(lam, 500, t_max) - expected) < 1e-6
