"""Exact event logs on tiny deterministic corridors (regular arrivals, fixed times)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor.sim import simulate


@pytest.fixture
def deterministic(theory):
    # kernel logs: every cohort admitted ("cheapest" does not book against capacity as the default does)
    return replace(
        theory,
        arrivals="regular",
        dwell="deterministic",
        moves="deterministic",
        sailing_p90_ratio=1.0,
        route_choice="cheapest",
    )


def test_single_server_queue_log(corridor, deterministic) -> None:
    # cohorts every 1.5 h; node N serves one at a time for 2 h: a queue builds up (all demand
    # admitted: "cheapest" routing does not book against capacity, as the default assignment does)
    network, demand = corridor(
        ["O,Origin,KZ,terminal,43,76,,,", "N,Border,KZ,border,43,77,2,,4380", "D,Dest,KZ,terminal,43,78,,,"],
        ["ON,O,N,rail,1,1,1520,", "ND,N,D,rail,1,0.5,1520,"],
        ["O,D,container,5840,"],
    )
    result = simulate(
        network,
        demand,
        rules=replace(deterministic, route_choice="cheapest"),
        days=1,
        warmup_days=0,
        replications=1,
        workers=1,
        trace=True,
    )
    at_n = [(e["cohort"], e["arrive"], e["start"], e["leave"]) for e in result.trace if e.get("stage") == "node:N"]
    assert at_n[:4] == [(0, 2.5, 2.5, 4.5), (1, 4.0, 4.5, 6.5), (2, 5.5, 6.5, 8.5), (3, 7.0, 8.5, 10.5)]
    delivered = [(e["cohort"], e["arrive"]) for e in result.trace if e["event"] == "delivered"]
    assert delivered[:4] == [(0, 5.0), (1, 7.0), (2, 9.0), (3, 11.0)]
    born = [(e["cohort"], e["arrive"]) for e in result.trace if e["event"] == "born"]
    assert born[:3] == [(0, 1.5), (1, 3.0), (2, 4.5)]


def test_ferry_fill_timeout_and_return_log(corridor, deterministic) -> None:
    # one vessel of 2 TEU, waits at most 5 h, sails 3 h each way, 1 h alongside; a TEU every 2 h
    network, demand = corridor(
        ["P,Port East,KZ,port,43,51,,,", "Q,Port West,AZ,port,40,49,,,"],
        ["PQ,P,Q,ferry,400,3,,F"],
        ["P,Q,container,4380,"],
        services=["F,Ferry,PQ,ferry,1,2,3,3,1,fill_or_timeout,5"],
    )
    result = simulate(
        network, demand, rules=deterministic, days=1, warmup_days=0, replications=1, workers=1, trace=True
    )
    sailings = [(e["direction"], e["arrive"], e["leave"], e["qty"]) for e in result.trace if e["event"] == "sailing"]
    # full at t=4 (cohorts born 2 and 4); lands at 7; alongside until 8, back empty at 11, alongside
    # until 12; then full again with the cohorts born 6 and 8; ...
    assert sailings[:4] == [
        ("out", 4.0, 7.0, 2.0),
        ("back", 8.0, 11.0, 0.0),
        ("out", 12.0, 15.0, 2.0),
        ("back", 16.0, 19.0, 0.0),
    ]
    delivered = [(e["cohort"], e["arrive"]) for e in result.trace if e["event"] == "delivered"]
    assert delivered[:4] == [(0, 7.0), (1, 7.0), (2, 15.0), (3, 15.0)]
    waits = {e["cohort"]: e["start"] - e["arrive"] for e in result.trace if e.get("stage") == "service:F"}
    assert waits[0] == 2.0 and waits[1] == 0.0 and waits[2] == 6.0 and waits[3] == 4.0


def test_timeout_sails_part_full(corridor, deterministic) -> None:
    # a TEU every 8 h, vessel of 10 waits at most 5 h: every cohort sails alone after 5 h
    network, demand = corridor(
        ["P,Port East,KZ,port,43,51,,,", "Q,Port West,AZ,port,40,49,,,"],
        ["PQ,P,Q,ferry,400,3,,F"],
        ["P,Q,container,1095,"],
        services=["F,Ferry,PQ,ferry,2,10,3,3,0,fill_or_timeout,5"],
    )
    result = simulate(
        network, demand, rules=deterministic, days=2, warmup_days=0, replications=1, workers=1, trace=True
    )
    outs = [(e["arrive"], e["qty"]) for e in result.trace if e["event"] == "sailing" and e["direction"] == "out"]
    assert outs[:3] == [(13.0, 1.0), (21.0, 1.0), (29.0, 1.0)]


def test_backlog_counts_cargo_on_hand_at_the_end_of_each_day(corridor, deterministic) -> None:
    # one TEU an hour into a port whose only vessel never comes back within the day: it piles up
    network, demand = corridor(
        ["P,Port East,KZ,port,43,51,,,", "Q,Port West,AZ,port,40,49,,,"],
        ["PQ,P,Q,ferry,400,3,,F"],
        ["P,Q,container,8760,"],
        services=["F,Ferry,PQ,ferry,1,1000,100,100,0,fill_or_timeout,1000"],
    )
    result = simulate(network, demand, rules=deterministic, days=2, warmup_days=0, replications=1, workers=1)
    port = next(p for p in result.ports if p.node == "P")
    # cohorts born at 1, 2, …: at t = 24, 24 are on hand; the run ends at t = 48 before the
    # cohort due then is born, so 47
    assert [float(x) for x in port.mean_teu] == [24.0, 47.0]
