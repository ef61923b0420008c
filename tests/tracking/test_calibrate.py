"""Calibration's stated spread (posterior variance plus residual misfit, weighted by stage time²) and its seasons."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from corridor.network import Closure
from corridor.tracking._seasons import seasonal_closures
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


# --- seasons -----------------------------------------------------------------------------------------
Q1 = datetime(2025, 2, 1, tzinfo=UTC)
Q2 = datetime(2025, 5, 1, tzinfo=UTC)


def _rows(values: list[float], when: datetime) -> list[tuple[float, datetime]]:
    return [(v, when) for v in values]


def test_a_slower_quarter_becomes_a_closure_with_its_mean_and_variance() -> None:
    fast = [10.0, 14.0] * 20  # mean 12, variance 4·40/39
    slow = [12.0] * 30 + [92.0] * 10  # mean 32, variance 48,000/39
    (c,) = seasonal_closures("B", _rows(fast, Q1) + _rows(slow, Q2), {}, "cal")
    assert c.target == "B" and c.months == frozenset({4, 5, 6}) and c.id == "cal-B-q2"
    delta, extra = 20.0, 48_000 / 39 - 160 / 39
    assert c.episode_mean_h == pytest.approx((extra + delta**2) / (2 * delta), abs=0.01)
    assert c.closed_share * c.episode_mean_h == pytest.approx(delta, rel=1e-3)  # the mean wait is the difference
    assert c.provenance == {"closed_share": "cal", "episode_mean_h": "cal"}


def test_bundled_closures_are_netted_out_before_seasons_are_compared() -> None:
    slow = [12.0] * 30 + [92.0] * 10
    storm = Closure("storm", "B", frozenset({4, 5, 6}), 0.5, 40.0)  # explains the 20 h of the second quarter
    assert seasonal_closures("B", _rows([10.0, 14.0] * 20, Q1) + _rows(slow, Q2), {"B": (storm,)}, "cal") == ()


def test_too_few_stages_or_a_difference_within_noise_stays_pooled() -> None:
    fast = [10.0, 14.0] * 20
    assert seasonal_closures("B", _rows(fast, Q1) + _rows([40.0] * 29, Q2), {}, "cal") == ()  # 29 < 30
    noisy = [2.0, 30.0] * 20  # mean 16, sd ≈ 14: 4 h slower is within 2 standard errors
    assert seasonal_closures("B", _rows(fast, Q1) + _rows(noisy, Q2), {}, "cal") == ()


def _journeys(tiny_net, starts_and_dwells):  # type: ignore[no-untyped-def]
    from corridor.tracking import TrackedShipment, TrackingEvent
    from corridor.tracking.dcsa import event_id

    ships, events = [], []
    for i, (start, dwell) in enumerate(starts_and_dwells):
        b = f"BK{i}"
        ships.append(TrackedShipment(b, "test", "1x40HC", ("O", "B", "D"), ("OB", "BD"), start))
        for code, node, h in (("DEPA", "O", 0.0), ("ARRI", "B", 10.0), ("DEPA", "B", 10.0 + dwell)):
            when = start + timedelta(hours=h)
            events.append(
                TrackingEvent(event_id(f"{b}{code}{node}"), "TRANSPORT", "ACT", code, when, when, b, node, "RAIL")
            )
        when = start + timedelta(hours=30.0 + dwell)
        events.append(TrackingEvent(event_id(f"{b}ARRID"), "TRANSPORT", "ACT", "ARRI", when, when, b, "D", "RAIL"))
    return ships, events


def test_calibrate_writes_the_slower_quarter_as_a_closure_the_eta_then_reads(tiny) -> None:  # type: ignore[no-untyped-def]
    from corridor.tracking import Predictor, TrackedShipment
    from corridor.tracking.calibrate import calibrate

    net = tiny(dwell_p90=8.0)
    rng = np.random.default_rng(7)
    fast = [(Q1 + timedelta(hours=7 * i), float(d)) for i, d in enumerate(rng.lognormal(np.log(4.0), 0.5, 60))]
    slow = [(Q2 + timedelta(hours=7 * i), 4.0 + float(d)) for i, d in enumerate(rng.exponential(24.0, 60))]
    cal = calibrate(net, *_journeys(net, fast + slow))
    (c,) = cal.seasons
    assert c.target == "B" and c.months == frozenset({4, 5, 6})
    assert c in cal.network.closures and cal.network.sources[-1].id == c.provenance["closed_share"]
    assert c.closed_share * c.episode_mean_h == pytest.approx(24.0, rel=0.35)  # the extra mean wait, ± sampling
    assert cal.to_json()["seasonal_closures"][0]["months"] == [4, 5, 6]
    # the dwell describes the fast quarter; the ETA adds the season's wait only in its months
    node = cal.network.node("B")
    assert node.dwell_h == pytest.approx(4.0, rel=0.3)
    pred = Predictor(cal.network, parameter_uncertainty=False)

    def p50_h(start: datetime) -> float:
        ship = TrackedShipment("X", "test", "1x40HC", ("O", "B", "D"), ("OB", "BD"), start)
        return (pred.predict(ship, [], start).destination.p50 - start).total_seconds() / 3600.0

    assert p50_h(Q2) - p50_h(Q1) > 0.5 * 24.0  # a 98% chance of an exponential 26 h wait: median 18 h
