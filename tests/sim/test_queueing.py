"""Known answers from queueing theory, reproduced within the replications' 95% confidence interval.

The node N of O → N → D is the queue; links take 0.001 h each, so door-to-door = sojourn + 0.002 h.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from corridor.sim import simulate

LINKS_H = 0.002


def erlang_c_sojourn(lam: float, mu: float, c: int) -> float:
    """Mean time in an M/M/c system (Erlang C), computed from its textbook formula."""
    a = lam / mu
    rho = a / c
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    return p_wait / (c * mu - lam) + 1 / mu


def assert_in_ci(result_mean: float, low: float | None, high: float | None, expected: float) -> None:
    assert low is not None and high is not None
    assert low <= expected <= high, (
        f"expected {expected:.4f} outside the 95% CI [{low:.4f}, {high:.4f}] (mean {result_mean:.4f})"
    )


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.5, 1.0, 1), (2.4, 1.0, 3)])
def test_mmc_mean_sojourn_matches_erlang_c(queue, theory, lam: float, mu: float, c: int) -> None:
    network, demand = queue(lam, 1 / mu, c)
    result = simulate(network, demand, rules=theory, days=200, warmup_days=20, replications=30, seed=11, workers=1)
    od = result.od[0]
    expected = erlang_c_sojourn(lam, mu, c) + LINKS_H
    assert_in_ci(od.mean_h.value, od.mean_h.low, od.mean_h.high, expected)
    assert [n.servers for n in result.nodes] == [c]
    assert result.nodes[0].utilisation.low <= lam / (c * mu) <= result.nodes[0].utilisation.high


def test_md1_mean_sojourn_matches_pollaczek_khinchine(queue, theory) -> None:
    lam, d = 0.5, 1.0
    network, demand = queue(lam, d, 1)
    rho = lam * d
    expected = d + lam * d * d / (2 * (1 - rho)) + LINKS_H  # P–K: W = D + λ E[S²] / (2 (1 − ρ))
    rules = replace(theory, dwell="deterministic")
    result = simulate(network, demand, rules=rules, days=200, warmup_days=20, replications=30, seed=5, workers=1)
    od = result.od[0]
    assert_in_ci(od.mean_h.value, od.mean_h.low, od.mean_h.high, expected)


def test_unlimited_node_is_a_pure_delay(corridor, theory) -> None:
    network, demand = corridor(
        ["O,Origin,KZ,terminal,43,76,,,", "N,Junction,KZ,junction,43,77,3,,", "D,Dest,KZ,terminal,43,78,,,"],
        ["ON,O,N,rail,1,2,1520,", "ND,N,D,rail,1,1,1520,"],
        ["O,D,container,8760,"],
    )
    rules = replace(theory, dwell="deterministic")
    result = simulate(network, demand, rules=rules, days=30, warmup_days=0, replications=2, seed=1, workers=1)
    od = result.od[0]
    assert od.mean_h.value == pytest.approx(6.0)
    assert od.p90_h.value == pytest.approx(6.0, abs=0.1)
    assert od.stages_h["rail"] == pytest.approx(3.0)
    assert od.stages_h["other"] == pytest.approx(3.0)
