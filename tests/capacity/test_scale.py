"""Capacity memory proportional to the paths, not commodities × arcs (issue 13 item 2)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest

from corridor.capacity import AssignmentResult, assign
from corridor.capacity._graph import CostModel, build_arcs
from corridor.capacity._lp import (
    BYTES_PER_ARC_VARIABLE,
    arc_variable_count,
    check_arc_memory,
    demand_arrays,
    group_commodities,
)
from corridor.demand import DemandSet, Flow
from corridor.errors import InputError
from corridor.network import Network
from corridor.network.synthetic import synthetic_network


def _demand(net: Network, n: int, seed: int) -> DemandSet:
    """``n`` container flows from distinct CN junctions to TR junctions (no origin shared)."""
    rng = np.random.default_rng(seed)
    east = [x.id for x in net.nodes if x.country == "CN" and x.kind == "junction"]
    west = [x.id for x in net.nodes if x.country == "TR" and x.kind == "junction"]
    origins = rng.choice(len(east), size=n, replace=False)
    flows = tuple(
        Flow(east[int(o)], west[int(rng.integers(len(west)))], "container", float(rng.integers(100, 900)))
        for o in origins
    )
    return DemandSet("scale-test", net.name, flows)


@pytest.fixture(scope="module")
def case() -> tuple[Network, DemandSet]:
    net = synthetic_network(1_500, seed=4)
    return net, _demand(net, 30, 4)


def _peak(func: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_path_solvers_never_allocate_the_arc_formulation(case: tuple[Network, DemandSet]) -> None:
    net, demand = case
    result = assign(net, demand)
    variables = int(result.solver["variables"])
    assert variables > 30 * 2_500  # 30 origins × every arc: the formulation exists on paper
    assert sum(p.volume for p in result.paths) == pytest.approx(sum(o.served for o in result.ods), rel=1e-9)
    by_arcs = _peak(lambda: assign(net, demand, objective="system", formulation="origin", max_growth=False))
    by_paths = _peak(lambda: assign(net, demand, objective="system", formulation="paths", max_growth=False))
    choice = _peak(lambda: assign(net, demand, max_growth=False))
    # the arc LP holds ≥ 16 bytes a variable in index arrays alone; the path solvers hold paths
    assert by_arcs > 16 * variables
    assert by_paths < by_arcs / 4 and choice < by_arcs / 4, (by_paths, choice, by_arcs, variables)


def test_system_objective_by_paths_and_by_arcs_agree(case: tuple[Network, DemandSet]) -> None:
    net, demand = case
    small = DemandSet(demand.name, demand.network, demand.flows[:4])
    by_paths = assign(net, small, objective="system", formulation="paths")
    by_arcs = assign(net, small, objective="system", formulation="origin")
    assert by_paths.totals.cost_usd == pytest.approx(by_arcs.totals.cost_usd, rel=1e-7)
    assert by_paths.max_growth == pytest.approx(by_arcs.max_growth, rel=1e-7)
    flows_p = {lk.id: lk.teu for lk in by_paths.links}
    flows_a = {lk.id: lk.teu for lk in by_arcs.links}
    assert sum(flows_p.values()) == pytest.approx(sum(flows_a.values()), rel=1e-7)


def test_an_arc_lp_that_would_not_fit_is_refused_with_the_estimate(case: tuple[Network, DemandSet]) -> None:
    net, demand = case
    costs = CostModel()
    ods, _ = demand_arrays(net, demand, costs)
    arcs = build_arcs(net, costs)
    comm = group_commodities(ods)
    need = arc_variable_count(arcs, comm) * BYTES_PER_ARC_VARIABLE
    check_arc_memory(arcs, comm, need)  # exactly enough: fine
    check_arc_memory(arcs, comm, None)  # unknown: fine
    with pytest.raises(InputError, match=r"arc formulation needs about [\d.]+ GB") as err:
        check_arc_memory(arcs, comm, need - 1)
    assert "formulation='paths'" in str(err.value.problems[0])


def test_origins_searched_in_blocks_give_the_same_assignment(
    case: tuple[Network, DemandSet], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dijkstra output is bounded by searching origins in blocks; the blocks change nothing."""
    import corridor.capacity._paths as paths

    net, demand = case
    whole = assign(net, demand)
    monkeypatch.setattr(paths, "TREE_BYTES", 1)  # one origin a block: 30 blocks a round
    blocked = assign(net, demand)
    _assert_same_assignment(blocked, whole)


@pytest.mark.slow
def test_landmark_guided_pricing_gives_the_same_assignment(
    case: tuple[Network, DemandSet], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Goal-directed pricing searches (ALT landmarks) find the same cheapest paths: same rounds,
    growth, cost and path volumes as plain Dijkstra, and they did run."""
    import corridor.capacity._paths as paths
    import corridor.capacity._trees as trees

    net, demand = case
    monkeypatch.setattr(paths, "GUIDE_FROM", 10**9)  # never guided
    plain = assign(net, demand)
    monkeypatch.setattr(paths, "GUIDE_FROM", 1)
    built: list[int] = []
    original = trees.Landmarks.__init__

    def counting(self: trees.Landmarks, base: object, count: int = 12) -> None:
        built.append(count)
        original(self, base, count)  # type: ignore[arg-type]

    monkeypatch.setattr(trees.Landmarks, "__init__", counting)
    guided = assign(net, demand)
    assert built  # the guided searches ran
    _assert_same_assignment(guided, plain)


def _assert_same_assignment(got: AssignmentResult, want: AssignmentResult) -> None:
    """Same master rounds, growth, cost and volume on every path."""
    assert got.solver["iterations"] == want.solver["iterations"]
    assert got.max_growth == pytest.approx(want.max_growth, rel=1e-9)
    assert got.totals.cost_usd == pytest.approx(want.totals.cost_usd, rel=1e-9)

    def volumes(result: AssignmentResult) -> dict[tuple[str, ...], float]:
        return {(p.origin, p.destination, *p.links): p.volume for p in result.paths}

    assert volumes(got) == pytest.approx(volumes(want), rel=1e-9)
