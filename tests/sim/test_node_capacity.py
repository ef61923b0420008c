"""A capacity-limited node passes at most its stated capacity (docs/design/sim-node-capacity.md).

O → N → D with N a border of C = 10,000 TEU a year and a 24 h dwell, fed in 10-TEU cohorts:
``capacity × mean dwell`` = 2.74 trains, not a whole number, which is where servers that were
held for less than the dwell used to pass up to three times the capacity.  With a deterministic
dwell a server is held for exactly ``c / capacity`` hours per cohort, so the node's utilisation is
its throughput over its capacity.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor.sim import SimulationResult, simulate

CAPACITY = 10_000.0  # TEU a year
COHORT = 10.0


@pytest.fixture
def fed_at(corridor, theory):
    # the kernel under overload: every cohort admitted ("cheapest" does not book against capacity)
    rules = replace(theory, cohort_teu=COHORT, dwell="deterministic", route_choice="cheapest")

    made = {}

    def run(share: float, days: int) -> SimulationResult:
        if share not in made:
            made[share] = corridor(
                [
                    "O,Origin,KZ,terminal,43,76,,,",
                    f"N,Border,KZ,border,43,77,24,,{CAPACITY}",
                    "D,Dest,KZ,terminal,43,78,,,",
                ],
                ["ON,O,N,rail,1,1,1520,", "ND,N,D,rail,1,1,1520,"],
                [f"O,D,container,{share * CAPACITY},"],
            )
        network, demand = made[share]
        return simulate(network, demand, rules=rules, days=days, warmup_days=0, replications=20, seed=3, workers=1)

    return run


@pytest.mark.parametrize("share", [0.5, 0.9])
def test_below_capacity_the_node_passes_what_arrives(fed_at, share: float) -> None:
    result = fed_at(share, 365)
    (node,) = result.nodes
    assert node.servers == 3
    use = node.utilisation  # = throughput / capacity
    assert use.low is not None and use.high is not None
    assert use.low <= share <= use.high, (share, use)
    od = result.od[0]
    assert od.in_system < 0.02 * od.generated  # no backlog: what arrives passes


def test_above_capacity_throughput_is_the_capacity_and_the_backlog_grows_at_the_excess(fed_at) -> None:
    backlog = {}
    for days in (120, 365):
        result = fed_at(1.5, days)
        (node,) = result.nodes
        throughput = node.cohorts_per_year * COHORT
        assert throughput <= CAPACITY * 1.005
        assert throughput == pytest.approx(CAPACITY, rel=0.01)
        assert node.utilisation.value == pytest.approx(1.0, abs=0.01)
        od = result.od[0]
        assert od.delivered == pytest.approx(CAPACITY * days / 365, rel=0.01)
        backlog[days] = od.in_system
    for days, units in backlog.items():  # linear growth at 0.5 C a year
        assert units == pytest.approx(0.5 * CAPACITY * days / 365, rel=0.05), (days, units)
