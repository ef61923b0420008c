"""Conservation, determinism (any worker count), and the shape of the result."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor import load_demand, load_network
from corridor.sim import simulate
from corridor.sim._experiment import CHUNK, CHUNK_MAX, chunk_sizes

DATA = Path(__file__).parents[1] / "data"
MINI, MINI_DEMAND = DATA / "mini", DATA / "mini-demand"


@pytest.fixture(scope="module")
def mini():
    network = load_network(MINI)
    return network, load_demand(MINI_DEMAND, network)


def test_same_seed_same_result_on_one_and_two_workers(mini) -> None:
    network, demand = mini
    one = simulate(network, demand, replications=24, seed=7, workers=1).to_json()
    two = simulate(network, demand, replications=24, seed=7, workers=2).to_json()
    assert one == two
    other = simulate(network, demand, replications=24, seed=8, workers=1).to_json()
    assert other["od"] != one["od"]


@pytest.mark.parametrize("replications", [1, 99, 600, 2000])
def test_chunks_cover_every_replication_once_and_end_small(replications) -> None:
    sizes = chunk_sizes(replications)
    assert sum(sizes) == replications and min(sizes) >= 1
    assert max(sizes) <= CHUNK_MAX
    if replications >= 2 * CHUNK:
        assert sizes[-1] <= CHUNK  # the last chunks are small: workers finish together
        assert sum(s for s in sizes if s <= CHUNK) >= replications // 5


def test_large_chunks_give_the_same_result_on_one_and_two_workers(mini) -> None:
    network, demand = mini
    assert max(chunk_sizes(600)) > CHUNK  # chunks of more than 10 replications are in the run
    one = simulate(network, demand, days=20, warmup_days=2, replications=600, seed=3, workers=1).to_json()
    two = simulate(network, demand, days=20, warmup_days=2, replications=600, seed=3, workers=2).to_json()
    assert one == two


def test_every_unit_generated_is_delivered_or_in_system(mini) -> None:
    network, demand = mini
    result = simulate(network, demand, growth=3.0, replications=5, seed=1, workers=1)
    for od in result.od:
        assert od.generated == pytest.approx(od.delivered + od.in_system)
    for unit in ("teu", "t"):
        assert result.generated[unit] == pytest.approx(result.delivered[unit] + result.in_system[unit])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fleet=st.integers(1, 4),
    capacity=st.floats(20, 400),
    max_wait=st.floats(0, 100),
    growth=st.floats(0.1, 6),
    seed=st.integers(0, 2**32),
)
def test_conservation_holds_for_any_fleet_and_load(mini, fleet, capacity, max_wait, growth, seed) -> None:
    network, demand = mini
    svc = replace(network.services[0], fleet=fleet, capacity_teu=capacity, max_wait_h=max_wait)
    network = replace(network, services=(svc,))
    result = simulate(network, demand, growth=growth, days=60, warmup_days=5, replications=2, seed=seed, workers=1)
    for od in result.od:
        assert od.generated == pytest.approx(od.delivered + od.in_system, rel=1e-9, abs=1e-6)


def test_json_has_the_documented_keys(mini) -> None:
    network, demand = mini
    data = json.loads(
        json.dumps(simulate(network, demand, replications=3, seed=2, workers=1).to_json(), allow_nan=False)
    )
    for key in (
        "od",
        "stages",
        "generated",
        "delivered",
        "in_system",
        "replications",
        "seed",
        "ports",
        "nodes",
        "services",
        "closures",
    ):
        assert key in data
    od = data["od"][0]
    assert {"origin", "destination", "cargo", "time_h", "stages_h", "histogram"} <= set(od)
    assert {"mean", "p50", "p90", "p95", "ci95"} <= set(od["time_h"])
    assert od["time_h"]["ci95"]["mean"][0] <= od["time_h"]["mean"] <= od["time_h"]["ci95"]["mean"][1]
    assert od["time_h"]["p50"] <= od["time_h"]["p90"] <= od["time_h"]["p95"]
    assert data["replications"] == 3 and data["seed"] == 2
    port = next(p for p in data["ports"] if p["node"] == "P")
    assert len(port["daily_mean_teu"]) == 365


def test_closure_days_follow_the_statistics(mini) -> None:
    network, demand = mini
    result = simulate(network, demand, replications=40, seed=4, workers=1)
    (closure,) = result.closures
    # P-winter: 20% of Nov–Feb (120 days) closed
    assert closure.days.low <= 0.2 * 120 <= closure.days.high


def test_a_conservation_breach_is_reported(mini) -> None:
    """The check that runs after every replication names the flow that lost cargo."""
    import numpy as np

    from corridor.errors import InfeasibleError
    from corridor.sim._layout import Stats
    from corridor.sim._plan import build_plan
    from corridor.sim._replication import _check_conservation
    from corridor.sim._rules import SimRules

    network, demand = mini
    plan = build_plan(network, demand, SimRules(), days=10, warmup_days=0)
    n = len(plan.flows)
    z = np.zeros((n, 2))
    gen, dlv = z.copy(), z.copy()
    gen[0, 1], dlv[0, 1] = 100.0, 90.0
    stats = Stats(**{name: np.zeros(1) for name in Stats._fields} | {"gen": gen, "dlv": dlv, "sys": z})
    with pytest.raises(InfeasibleError, match="lost cargo"):
        _check_conservation(plan, stats)
