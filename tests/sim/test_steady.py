"""The steadiness rule on backlog series of known shape (corridor.sim._steady via the public result fields).

A seasonal queue that peaks and drains is steady even when the period ends in its peak season; a
queue that grows linearly is not, and its growth rate is the slope of the ramp.
"""

from __future__ import annotations

import numpy as np
import pytest

from corridor.sim._steady import port_growth

DAYS = 365


def _seasonal(peak: float) -> np.ndarray:
    """Kuryk-like: an empty start, a late-winter backlog draining by spring, a storm peak at the year's end."""
    d = np.arange(DAYS, dtype=float)
    spring = peak * 0.6 * np.exp(-d / 30.0)
    winter = peak * np.exp(-(((d - DAYS) / 30.0) ** 2))
    return 5_000.0 + spring + winter


def test_a_seasonal_backlog_that_drains_is_steady() -> None:
    g = port_growth(np.zeros(DAYS), _seasonal(30_000.0))
    assert g.steady
    assert abs(g.t_per_day) < 5.0


@pytest.mark.parametrize("slope", [5.0, 40.0])
def test_a_linearly_growing_backlog_is_flagged_with_its_slope(slope: float) -> None:
    teu = 100.0 + slope * np.arange(DAYS, dtype=float)  # arrivals above service by `slope` TEU a day
    g = port_growth(teu, np.zeros(DAYS))
    assert not g.steady
    assert g.teu_per_day == pytest.approx(slope, rel=1e-9)


def test_growth_on_top_of_a_season_is_still_flagged() -> None:
    tonnes = _seasonal(30_000.0) + 50.0 * np.arange(DAYS, dtype=float)
    g = port_growth(np.zeros(DAYS), tonnes)
    assert not g.steady
    assert 35.0 < g.t_per_day < 65.0


def test_small_rises_below_the_floor_are_noise() -> None:
    teu = 10.0 + 0.2 * np.arange(DAYS, dtype=float)  # +73 TEU over the year: below the 100 TEU floor
    assert port_growth(teu, np.zeros(DAYS)).steady


def test_a_rise_within_the_replications_noise_is_chance() -> None:
    teu = 500.0 + 2.0 * np.arange(DAYS, dtype=float)  # lows rise ~480 TEU: above the floor and half the first low
    assert not port_growth(teu, np.zeros(DAYS)).steady
    assert not port_growth(teu, np.zeros(DAYS), np.full(DAYS, 100.0), np.zeros(DAYS)).steady  # 2σ ≈ 283 TEU
    assert port_growth(teu, np.zeros(DAYS), np.full(DAYS, 300.0), np.zeros(DAYS)).steady  # 2σ ≈ 849 TEU


@pytest.mark.parametrize("demand", ["2027-target", "wb-2030"])
def test_default_booking_keeps_every_port_steady_over_two_years(demand: str) -> None:
    """The default planning utilisation (0.9) is chosen so; booked at 100% a port queue grows."""
    from corridor import load_demand, load_network
    from corridor.sim import SimRules, simulate

    network = load_network("middle-corridor")
    flows = load_demand(demand, network)
    run = {"days": 730, "replications": 20, "seed": 1, "workers": 1}
    default = simulate(network, flows, **run)
    assert [p.node for p in default.ports if not p.steady] == []
    assert all(o.steady for o in default.od)
    full = simulate(network, flows, **run, rules=SimRules(planning_utilisation=1.0))
    assert "KZAAU" in {p.node for p in full.ports if not p.steady}
