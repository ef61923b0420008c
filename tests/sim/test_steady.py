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
