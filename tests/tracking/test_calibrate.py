"""The calibrated values' stated spread: posterior variance plus the residual misfit, weighted by stage time²."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.tracking.calibrate import posterior_log_sd


def test_spread_is_the_time_weighted_posterior_variance_plus_misfit() -> None:
    # stage 1: 10 h, posterior var 0.01, misfit 0.02; stage 2: 20 h (weight 4×), 0.04 and -0.01
    got = posterior_log_sd(np.array([0.01, 0.04]), np.array([0.02, -0.01]), np.array([100.0, 400.0]))
    assert got == pytest.approx(math.sqrt((100 * 0.03 + 400 * 0.03) / 500))


def test_a_long_stage_left_unexplained_widens_the_spread_more_than_a_short_one() -> None:
    pv = np.array([0.001, 0.001])
    long_off = posterior_log_sd(pv, np.array([0.0, 0.09]), np.array([1.0, 100.0]))  # the 10 h stage is off by e^0.3
    short_off = posterior_log_sd(pv, np.array([0.09, 0.0]), np.array([1.0, 100.0]))
    assert long_off == pytest.approx(math.sqrt(0.001 + 0.09 * 100 / 101))
    assert short_off == pytest.approx(math.sqrt(0.001 + 0.09 / 101))


def test_misfit_below_its_sampling_noise_does_not_go_negative() -> None:
    assert posterior_log_sd(np.array([0.001]), np.array([-0.5]), np.array([4.0])) == 0.0
