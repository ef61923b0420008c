"""Route choice: the simulation splits flows across paths as the capacity assignment does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor import simulate
from corridor.capacity import assign
from corridor.errors import InputError
from corridor.sim import SimRules

from .conftest import Corridor, server_line

#: Unit cohorts arriving evenly, exact dwell and run times: a node of one server and dwell d passes
#: exactly one cohort every d hours, so a path loaded to its capacity keeps no queue (hence booked
#: to 100% of it, not the default 90% margin that random arrivals need).
EXACT = SimRules(
    planning_utilisation=1.0,
    cohort_teu=1.0,
    min_cohorts_per_year=1.0,
    seasonality=(1.0,) * 12,
    arrivals="regular",
    moves="deterministic",
    dwell="deterministic",
    bin_h=1.0,
)
DWELL_H = 10.0
DAYS = 100


@pytest.fixture
def two_paths(corridor: Corridor):
    """O→A→D and O→B→D; A and B each pass 876 TEU a year (one a 10 h dwell); demand 1,752 TEU."""
    dwell, cap = server_line(DWELL_H, 1)
    return corridor(
        [
            "O,Origin,KZ,terminal,43,76,,,",
            f"A,Border A,KZ,border,44,77,{dwell},,{cap}",
            f"B,Border B,KZ,border,42,77,{dwell},,{cap}",
            "D,Dest,KZ,terminal,43,78,,,",
        ],
        ["OA,O,A,rail,1,1,1520,", "AD,A,D,rail,1,1,1520,", "OB,O,B,rail,1,1,1520,", "BD,B,D,rail,1,1,1520,"],
        [f"O,D,container,{2 * cap},"],
    )


def test_assignment_splits_half_and_half_and_the_simulation_follows(two_paths) -> None:
    network, demand = two_paths
    split = {p.nodes: p.volume for p in assign(network, demand, max_growth=False).paths}
    assert split == {("O", "A", "D"): pytest.approx(876.0), ("O", "B", "D"): pytest.approx(876.0)}

    result = simulate(network, demand, days=DAYS, warmup_days=5, replications=2, seed=3, workers=1, rules=EXACT)
    (od,) = result.od
    assert {p.path: p.share for p in od.paths} == {("O", "A", "D"): 0.5, ("O", "B", "D"): 0.5}
    per_path = 876.0 * DAYS / 365.0
    for p in od.paths:
        assert p.delivered == pytest.approx(per_path, abs=2.0)  # each path carries its half
    assert od.generated == pytest.approx(od.delivered + od.in_system)  # conservation
    assert od.in_system <= 2.0  # no backlog: at most the cohorts on the move
    assert od.p90_h.value == pytest.approx(DWELL_H + 2.0, abs=1.0)  # dwell plus two 1 h legs, no wait
    assert od.to_json()["paths"][0]["share"] == 0.5


def test_all_or_nothing_overloads_one_path(two_paths) -> None:
    network, demand = two_paths
    rules = replace(EXACT, route_choice="cheapest")
    result = simulate(network, demand, days=DAYS, warmup_days=5, replications=2, seed=3, workers=1, rules=rules)
    (od,) = result.od
    (path,) = od.paths
    assert path.share == 1.0
    # twice the path's capacity arrives: half of what is generated is still queueing at the end
    assert od.in_system > 0.4 * od.generated
    assert od.generated == pytest.approx(od.delivered + od.in_system)


def test_demand_beyond_capacity_is_refused_at_booking_and_the_carried_part_is_steady(two_paths) -> None:
    # hand-worked: 1.5 × capacity (2,628 TEU a year) arrives; 1,752 (both paths full) is admitted
    # and carried half on each path; the other 876 has no comparator, so it is not moved
    network, demand = two_paths
    grown = demand.scaled(1.5)
    result = simulate(network, grown, days=DAYS, warmup_days=5, replications=2, seed=3, workers=1, rules=EXACT)
    (od,) = result.od
    assert od.demand_per_year == pytest.approx(2628.0)
    assert od.volume_per_year == pytest.approx(1752.0, abs=0.5)
    assert od.not_moved_per_year == pytest.approx(876.0, abs=0.5)
    assert sorted(p.share for p in od.paths) == [pytest.approx(0.5), pytest.approx(0.5)]
    assert od.steady and od.in_system <= 5.0  # no backlog: a few cohorts on the move, of 480 carried
    assert od.p90_h.value == pytest.approx(DWELL_H + 2.0, abs=1.0)
    assert od.to_json()["admission"]["not_moved_per_year"] == pytest.approx(876.0, abs=0.5)


def test_the_default_booking_margin_admits_nine_tenths_of_capacity(two_paths) -> None:
    # the same 1.5 × capacity booked with the default planning utilisation (0.9): 0.9 × 1,752 TEU
    # is admitted, the rest of the 2,628 is not moved
    network, demand = two_paths
    rules = replace(EXACT, planning_utilisation=SimRules().planning_utilisation)
    assert rules.planning_utilisation == 0.9
    result = simulate(
        network, demand.scaled(1.5), days=DAYS, warmup_days=5, replications=2, seed=3, workers=1, rules=rules
    )
    (od,) = result.od
    assert od.volume_per_year == pytest.approx(0.9 * 1752.0, abs=0.5)
    assert od.not_moved_per_year == pytest.approx(2628.0 - 0.9 * 1752.0, abs=0.5)
    assert od.steady


def test_without_admission_an_overload_is_flagged_not_steady(two_paths) -> None:
    network, demand = two_paths
    rules = replace(EXACT, route_choice="cheapest")  # everything admitted onto one path: 2 × its capacity
    result = simulate(network, demand, days=DAYS, warmup_days=5, replications=1, seed=3, workers=1, rules=rules)
    (od,) = result.od
    assert not od.steady
    # arrivals 1,752 a year, service 876: the backlog grows by 876 / 365 = 2.4 TEU a day
    assert od.backlog_growth_per_day == pytest.approx(876.0 / 365.0, rel=0.1)
    assert od.to_json()["time_label"] == "not steady"


def test_demand_without_is_honoured(two_paths) -> None:
    network, demand = two_paths
    small = replace(demand.scaled(0.25), without=("A",))
    result = simulate(network, small, days=DAYS, warmup_days=5, replications=1, seed=3, workers=1, rules=EXACT)
    (od,) = result.od
    assert [p.path for p in od.paths] == [("O", "B", "D")]


def test_unknown_route_choice_is_refused(two_paths) -> None:
    network, demand = two_paths
    with pytest.raises(InputError, match="route_choice must be one of assignment, cheapest"):
        simulate(network, demand, replications=1, workers=1, rules=SimRules(route_choice="greedy"))


def test_planning_utilisation_routes_by_derated_capacities(two_paths) -> None:
    network, demand = two_paths
    rules = replace(EXACT, planning_utilisation=0.9)
    result = simulate(network, demand, days=DAYS, warmup_days=5, replications=1, seed=3, workers=1, rules=rules)
    (od,) = result.od
    # each path planned at 0.9 × 876 TEU; the 10% of demand beyond that is refused at booking
    assert sorted(p.share for p in od.paths) == [pytest.approx(0.5), pytest.approx(0.5)]
    assert od.volume_per_year == pytest.approx(0.9 * 1752.0, abs=0.5)
    assert od.not_moved_per_year == pytest.approx(0.1 * 1752.0, abs=0.5)
    assert result.rules["planning_utilisation"] == 0.9
    with pytest.raises(InputError, match=r"planning_utilisation must be in \(0, 1\]"):
        simulate(network, demand, replications=1, workers=1, rules=SimRules(planning_utilisation=0.0))
