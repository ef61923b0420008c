"""Predicted arrival: exact answers on deterministic routes, residual waits against their closed forms,
the P10/P50/P90 of a whole route against an independent Monte Carlo convolution, and event handling."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats

from corridor.errors import InputError
from corridor.routing import timeline
from corridor.tracking import EventLog, Predictor, TrackedShipment, TrackingEvent, est_events
from corridor.tracking.dcsa import event_id

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def ev(
    code: str, node: str, hours: float, booking: str = "BK1", *, retracts: str = "", kind: str = "TRANSPORT"
) -> TrackingEvent:
    when = T0 + timedelta(hours=hours)
    return TrackingEvent(
        event_id(f"{booking}{code}{node}{hours}{retracts}"),
        kind,
        "ACT",
        code,
        when,
        when,
        booking,
        node,
        "RAIL",
        retracts=retracts,
    )


def hours(t, t0=T0) -> float:
    return (t - t0).total_seconds() / 3600.0


def test_deterministic_route_is_exact(tiny_shipment, tiny) -> None:
    p = Predictor(tiny())
    eta = p.predict(tiny_shipment(), [], T0)
    assert [hours(m.p50) for m in eta.milestones] == pytest.approx([10.0, 34.0])
    assert all(m.p10 == m.p50 == m.p90 for m in eta.milestones)
    # departed the border at 15 h (an hour late): D at 15 + 20 = 35 h, whatever "now" is on the way
    late = [ev("DEPA", "O", 0.0), ev("ARRI", "B", 10.0), ev("DEPA", "B", 15.0)]
    eta = p.predict(tiny_shipment(), late, T0 + timedelta(hours=20))
    assert [m.node for m in eta.milestones] == ["D"]
    assert hours(eta.destination.p50) == pytest.approx(35.0)
    assert eta.status == "in-transit" and eta.position == "BD" and eta.elapsed_h == pytest.approx(5.0)
    assert [(m.node, hours(m.actual)) for m in eta.passed] == [("B", 10.0)]


def test_overrunning_constant_stage_is_due_now(tiny_shipment, tiny) -> None:
    # the 20 h sailing has lasted 25 h: nothing is left of a constant, the arrival is "now"
    p = Predictor(tiny())
    eta = p.predict(tiny_shipment(), [ev("DEPA", "B", 14.0)], T0 + timedelta(hours=39))
    assert hours(eta.destination.p50) == pytest.approx(39.0, abs=0.01)


def test_ferry_wait_residual_is_uniform_on_what_is_left(tiny_shipment, tiny) -> None:
    # at B: dwell 4 h (constant) + wait U[0, 48]: after 20 h at B the rest is U[0, 32] → median 16 h
    p = Predictor(tiny(ferry_wait=48.0))
    eta = p.predict(tiny_shipment(), [ev("ARRI", "B", 10.0)], T0 + timedelta(hours=30))
    d = eta.destination
    assert hours(d.p50) - 30.0 - 20.0 == pytest.approx(16.0, abs=0.6)
    assert hours(d.p10) - 50.0 == pytest.approx(3.2, abs=0.6)  # 10% of 32
    assert hours(d.p90) - 50.0 == pytest.approx(28.8, abs=0.6)
    # a fresh wait (just arrived) would be U[4, 52]: median 28 h — the residual is not a fresh draw
    fresh = p.predict(tiny_shipment(), [ev("ARRI", "B", 10.0)], T0 + timedelta(hours=10))
    assert hours(fresh.destination.p50) - 10.0 - 20.0 == pytest.approx(28.0, abs=0.8)


def test_lognormal_dwell_residual_matches_closed_form(tiny_shipment, tiny) -> None:
    # dwell log-normal, median 4 h, P90 12 h; after 6 h the residual median is F⁻¹((1 + F(6)) / 2) − 6
    p = Predictor(tiny(dwell_p90=12.0))
    eta = p.predict(tiny_shipment(), [ev("ARRI", "B", 10.0)], T0 + timedelta(hours=16))
    sigma = math.log(12.0 / 4.0) / stats.norm.ppf(0.9)
    dist = stats.lognorm(s=sigma, scale=4.0)
    want = dist.ppf((1.0 + dist.cdf(6.0)) / 2.0) - 6.0
    assert hours(eta.destination.p50) - 16.0 - 20.0 == pytest.approx(want, rel=0.04)


def test_closure_in_force_adds_memoryless_wait(tiny_shipment, tiny) -> None:
    # storm at B in force now: an extra exponential wait with the episode mean (36 h): median 36 ln 2
    p = Predictor(tiny(closure=(0.0001, 36.0)))
    eta = p.predict(tiny_shipment(), [ev("ARRI", "B", 10.0)], T0 + timedelta(hours=14), closed=["B"])
    assert hours(eta.destination.p50) - 14.0 - 20.0 == pytest.approx(36.0 * math.log(2.0), rel=0.06)


def test_route_quantiles_match_independent_monte_carlo(corridor_net) -> None:
    nodes = (
        "CNXIA",
        "CNURM",
        "CNAKL",
        "dostyk",
        "aktogay",
        "moyinty",
        "zhezkazgan",
        "beyneu",
        "mangistau",
        "kuryk",
        "AZBAK",
    )
    ship = TrackedShipment.on_path(corridor_net, "MC1", nodes, T0)
    eta = Predictor(corridor_net, parameter_uncertainty=False).predict(ship, [], T0)
    net = corridor_net
    node_objs = [net.node(n) for n in ship.nodes]
    link_objs = [net.link(lk) for lk in ship.links]
    svc = {s.link_id: s for s in net.services}
    closures = {c.target: net.closures_of(c.target) for c in net.closures}
    comps = timeline(
        closures, node_objs, link_objs, [svc.get(lk.id) if lk.service else None for lk in link_objs], T0
    ).components
    rng = np.random.default_rng(12345)
    total = sum(c.sample(rng, 200_000) for c in comps)
    for q, got in ((0.1, eta.destination.p10), (0.5, eta.destination.p50), (0.9, eta.destination.p90)):
        assert hours(got) == pytest.approx(float(np.quantile(total, q)), rel=0.04)


def _route(net):  # type: ignore[no-untyped-def]
    nodes = ("altynkol", "zhetygen", "almaty", "moyinty", "zhezkazgan", "beyneu", "mangistau", "kuryk", "AZBAK")
    return TrackedShipment.on_path(net, "MC2", nodes, T0)


def test_parameter_uncertainty_matches_its_stated_model(corridor_net) -> None:  # type: ignore[no-untyped-def]
    """Each stage's time times exp(σ(√ρ z_source + √(1-ρ) z_own)), σ by source kind, drawn independently here."""
    from corridor.tracking._spread import SHARED, SIGMA

    ship = _route(corridor_net)
    pred = Predictor(corridor_net)
    eta = pred.predict(ship, [], T0)
    kinds = {s.id: s.kind for s in corridor_net.sources}
    rng = np.random.default_rng(7)
    n = 200_000
    shared: dict[str, np.ndarray] = {}
    total = np.zeros(n)
    for st in pred.stages(ship, 0, T0):
        obj = corridor_net.node(st.where) if st.kind == "node" else corridor_net.link(st.where)
        sid = obj.provenance.get("dwell_h" if st.kind == "node" else "time_h") or obj.provenance.get("*")
        draw = sum(c.sample(rng, n) for c in st.components)
        if sid is not None:
            z = shared.setdefault(sid, rng.standard_normal(n))
            sigma = SIGMA[kinds[sid]]
            draw = draw * np.exp(sigma * (np.sqrt(SHARED) * z + np.sqrt(1 - SHARED) * rng.standard_normal(n)))
        total += draw
    for q, got in ((0.1, eta.destination.p10), (0.5, eta.destination.p50), (0.9, eta.destination.p90)):
        assert hours(got) == pytest.approx(float(np.quantile(total, q)), rel=0.05)
    plain = Predictor(corridor_net, parameter_uncertainty=False).predict(ship, [], T0).destination
    d = eta.destination
    assert d.p90_s - d.p10_s > 1.1 * (plain.p90_s - plain.p10_s)  # the parameters' spread widens the interval


def test_a_stated_posterior_spread_narrows_the_interval(corridor_net) -> None:  # type: ignore[no-untyped-def]
    """A source that states ``posterior log-sd`` (what calibration writes) replaces its kind's default."""
    from dataclasses import replace

    ship = _route(corridor_net)
    sure = replace(
        corridor_net,
        sources=tuple(replace(s, note=s.note + "; posterior log-sd 0.01") for s in corridor_net.sources),
    )
    wide = Predictor(corridor_net).predict(ship, [], T0).destination
    narrow = Predictor(sure).predict(ship, [], T0).destination
    plain = Predictor(corridor_net, parameter_uncertainty=False).predict(ship, [], T0).destination
    width = [x.p90_s - x.p10_s for x in (wide, narrow, plain)]
    assert width[0] > width[1]
    assert width[1] == pytest.approx(width[2], rel=0.03)


def test_order_duplicates_and_retractions(tiny_shipment, tiny, corridor_net) -> None:
    p = Predictor(tiny(dwell_p90=12.0))
    evs = [ev("DEPA", "O", 0.0), ev("ARRI", "B", 11.0), ev("DEPA", "B", 18.0)]
    now = T0 + timedelta(hours=25)
    want = p.predict(tiny_shipment(), evs, now).to_json()
    shuffled = evs + evs[:2]
    random.Random(3).shuffle(shuffled)
    assert p.predict(tiny_shipment(), EventLog.of(shuffled), now).to_json() == want
    # retract the departure: the box is back at B, waiting 14 h so far
    log = EventLog.of([*evs, ev("DEPA", "B", 18.0, retracts=evs[2].event_id)])
    eta = p.predict(tiny_shipment(), log, now)
    assert eta.position == "B" and eta.elapsed_h == pytest.approx(14.0)
    # an event created after "now" is not known yet
    assert p.predict(tiny_shipment(), EventLog.of(evs), T0 + timedelta(hours=12)).position == "B"


def test_same_id_different_body_is_rejected() -> None:
    log = EventLog.of([ev("ARRI", "B", 10.0)])
    clash = ev("ARRI", "B", 11.0)
    clash = TrackingEvent(
        log.all()[0].event_id, "TRANSPORT", "ACT", "ARRI", clash.event_time, clash.created_time, "BK1", "B"
    )
    with pytest.raises(InputError, match="already received with different content"):
        log.add(clash)
    assert len(log) == 1


def test_est_event_only_when_p50_moves_beyond_threshold(tiny_shipment, tiny) -> None:
    p = Predictor(tiny(ferry_wait=48.0))
    now = T0 + timedelta(hours=12)
    eta = p.predict(tiny_shipment(), [ev("ARRI", "B", 10.0)], now)
    first = est_events({}, eta, threshold_h=6.0, now=now)
    assert len(first) == 1 and first[0].classifier == "EST" and first[0].event_time == eta.destination.p50
    assert est_events({"BK1": eta.destination.p50 + timedelta(hours=5)}, eta, threshold_h=6.0, now=now) == []
    assert len(est_events({"BK1": eta.destination.p50 + timedelta(hours=7)}, eta, threshold_h=6.0, now=now)) == 1


def test_route_that_does_not_fit_the_network(tiny) -> None:
    bad = TrackedShipment("BK9", "", "1x40HC", ("O", "D"), ("OB",), T0)
    with pytest.raises(InputError, match="link OB does not join O and D"):
        Predictor(tiny()).predict(bad, [], T0)


def test_scenario_queues_enter_the_node_stage(tiny_shipment, tiny) -> None:  # type: ignore[no-untyped-def]
    """A scenario's expected queue at B (half the cohorts wait, 24 h on average when they do) is added
    to B's stage: the arrival at D is 34 h plus a 50% chance of an exponential 24 h wait."""
    from corridor.routing import Queueing
    from corridor.routing._queueing import NodeQueue

    q = Queueing("test", nodes={("B", "all"): NodeQueue("B", "all", 1, 0.9, 4.0, wait_h=12.0, p_wait=0.5)})
    plain = Predictor(tiny()).predict(tiny_shipment(), [], T0).destination
    queued = Predictor(tiny(), queueing=q).predict(tiny_shipment(), [], T0).destination
    assert hours(plain.p90) == pytest.approx(34.0)
    assert hours(queued.p10) == pytest.approx(34.0)  # P(no wait) = 0.5
    assert hours(queued.p90) == pytest.approx(34.0 + 24.0 * math.log(5.0), rel=0.05)  # 0.5·e^(−x/24) = 0.1
