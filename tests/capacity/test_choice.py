"""Route-choice assignment (the default objective) against independent answers: a brute-force
logit over networkx-enumerated paths, hand-computed path sizes, the convex program solved
directly by SLSQP, and a hand-worked overload with diversion to a comparator."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import minimize

from corridor.capacity import ChoiceModel, CostModel, assign
from corridor.demand import DemandSet, Flow
from corridor.errors import InputError

from .conftest import make_network, teu_demand

NO_TIME = CostModel(value_of_time_usd_per_teu_h=0.0)
S = 300.0  # the default container scale, USD per TEU


def _link(result, link_id):
    return next(a for a in result.links if a.id == link_id)


def _three_routes():
    # per TEU: O-A-D 100, O-B-D 300, O-C-D 200 (tariffs are per FEU)
    tariffs = {("O", "A"): 200.0, ("O", "B"): 600.0, ("O", "C"): 400.0}
    links = [(u, v, {"tariff_usd_per_feu": t}) for (u, v), t in tariffs.items()]
    links += [(m, "D", {}) for m in "ABC"]
    return make_network(links), tariffs


def test_uncapacitated_shares_equal_a_brute_force_logit_over_enumerated_paths() -> None:
    net, _ = _three_routes()
    result = assign(net, teu_demand(("O", "D", 1000.0)), costs=NO_TIME)
    graph = nx.DiGraph([(lk.from_id, lk.to_id, {"usd": (lk.tariff_usd_per_feu or 0.0) / 2}) for lk in net.links])
    costs = {
        tuple(p): sum(graph.edges[u, v]["usd"] for u, v in itertools.pairwise(p))
        for p in nx.all_simple_paths(graph, "O", "D")
    }
    weights = {p: math.exp(-c / S) for p, c in costs.items()}
    weights[("not moved",)] = math.exp(-10_000.0 / S)
    total = sum(weights.values())
    for path, w in weights.items():
        if len(path) == 3:
            assert _link(result, f"O-{path[1]}").teu == pytest.approx(1000.0 * w / total, rel=1e-6)
    assert result.ods[0].served == pytest.approx(1000.0 * (1 - weights[("not moved",)] / total), rel=1e-9)


def test_overlapping_paths_share_by_path_size() -> None:
    # P1 = O-A-B-D and P2 = O-A-C-D share O-A (1 h of their 3 h): PS = 1/3 / 2 + 2/3 = 5/6 each;
    # P3 = O-E-D is disjoint: PS = 1.  All cost USD 100 per TEU.
    links = [
        ("O", "A", {"time_h": 1.0, "tariff_usd_per_feu": 200.0}),
        ("A", "B", {"time_h": 1.0}),
        ("B", "D", {"time_h": 1.0}),
        ("A", "C", {"time_h": 1.0}),
        ("C", "D", {"time_h": 1.0}),
        ("O", "E", {"time_h": 1.5, "tariff_usd_per_feu": 200.0}),
        ("E", "D", {"time_h": 1.5}),
    ]
    result = assign(make_network(links), teu_demand(("O", "D", 1100.0)), costs=NO_TIME)
    # P(P1) : P(P2) : P(P3) = 5/6 : 5/6 : 1  →  shares 5/16, 5/16, 6/16
    assert _link(result, "A-B").teu == pytest.approx(1100.0 * 5 / 16, rel=1e-6)
    assert _link(result, "A-C").teu == pytest.approx(1100.0 * 5 / 16, rel=1e-6)
    assert _link(result, "O-E").teu == pytest.approx(1100.0 * 6 / 16, rel=1e-6)
    # β = 0 removes the correction: three equal thirds
    flat = assign(make_network(links), teu_demand(("O", "D", 1100.0)), costs=NO_TIME, choice=ChoiceModel(path_size=0))
    assert _link(flat, "O-E").teu == pytest.approx(1100.0 / 3, rel=1e-6)


def test_capacity_is_enforced_and_equals_the_convex_program_solved_directly() -> None:
    net, _ = _three_routes()
    net = make_network(
        [
            ("O", "A", {"tariff_usd_per_feu": 200.0, "capacity_teu_per_year": 400.0}),
            ("O", "B", {"tariff_usd_per_feu": 600.0}),
            ("O", "C", {"tariff_usd_per_feu": 400.0}),
            ("A", "D", {}),
            ("B", "D", {}),
            ("C", "D", {}),
        ]
    )
    demand = 1000.0
    result = assign(net, teu_demand(("O", "D", demand)), costs=NO_TIME)
    # independent: min Σ f c + s Σ f ln f, Σ f = d, f_A ≤ 400, by SLSQP on the path flows
    c = np.array([100.0, 300.0, 200.0, 10_000.0])

    def objective(f: np.ndarray) -> float:
        f = np.maximum(f, 1e-12)
        return float(f @ c + S * (f * np.log(f)).sum()) / demand

    direct = minimize(
        objective,
        np.full(4, demand / 4),
        method="SLSQP",
        bounds=[(0, demand)] * 4,
        constraints=[
            {"type": "eq", "fun": lambda f: f.sum() - demand},
            {"type": "ineq", "fun": lambda f: 400.0 - f[0]},
        ],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    assert direct.success
    for i, link in enumerate(["O-A", "O-B", "O-C"]):
        assert _link(result, link).teu == pytest.approx(direct.x[i], abs=0.05)
    assert _link(result, "O-A").utilisation == pytest.approx(1.0, abs=1e-4)
    (top,) = result.bottlenecks
    assert top.asset == "O-A" and top.shadow_price > 0
    # the toll makes the capped route as attractive as its 400 TEU share: 400/f_C = e^{(200-100-μ)/s}
    mu = 100.0 + S * math.log(direct.x[2] / 400.0)
    assert top.shadow_price == pytest.approx(mu, rel=1e-3)


def _overload(volume: float) -> DemandSet:
    # the corridor O→X→D passes node X (100 TEU/yr); the sea link O→D is the comparator
    return DemandSet(
        name="d",
        network="test",
        flows=(Flow("O", "D", "container", volume_teu_per_year=volume),),
        without=("sea",),
    )


def _overload_network(sea_usd_per_feu: float = 1600.0):
    return make_network(
        [
            ("O", "X", {"tariff_usd_per_feu": 1000.0}),
            ("X", "D", {}),
            ("O", "D", {"id": "sea", "mode": "sea", "tariff_usd_per_feu": sea_usd_per_feu}),
        ],
        nodes={"X": {"capacity_teu_per_year": 100.0}},
    )


def test_node_at_one_and_a_half_times_capacity_carries_capacity_and_diverts_the_rest() -> None:
    result = assign(_overload_network(), _overload(150.0), costs=NO_TIME)
    (od,) = result.ods
    assert od.served == pytest.approx(100.0, abs=0.01)  # capacity, not more
    assert od.diverted_to == {"sea": pytest.approx(50.0, abs=0.01)}  # the rest to the comparator
    assert od.not_moved == pytest.approx(0.0, abs=1e-6)  # the sea is far cheaper than not moving
    assert od.served + od.diverted + od.not_moved == pytest.approx(150.0)
    assert result.totals.diverted_teu == pytest.approx(50.0, abs=0.01)
    node = next(n for n in result.nodes if n.id == "X")
    assert node.utilisation == pytest.approx(1.0, abs=1e-4)
    assert result.to_json()["ods"][0]["shares"] == {"carried": 0.666667, "diverted": 0.333333, "not_moved": 0.0}


def test_uncongested_corridor_loses_only_the_free_flow_share() -> None:
    # 50 TEU fit through X.  A comparator no dearer than the corridor (USD 200 < 500 per TEU) is
    # floored at the corridor's cost and gets exactly free_flow_diversion
    cheap = assign(_overload_network(400.0), _overload(50.0), costs=NO_TIME)
    assert cheap.ods[0].diverted / 50.0 == pytest.approx(0.01, rel=1e-6)
    half = assign(_overload_network(400.0), _overload(50.0), costs=NO_TIME, choice=ChoiceModel(free_flow_diversion=0.5))
    assert half.ods[0].diverted == pytest.approx(25.0, rel=1e-6)
    # a dearer one (USD 800 per TEU) gets less, by the logit: odds e^{-300/s} × 0.01/0.99
    dear = assign(_overload_network(), _overload(50.0), costs=NO_TIME)
    odds = math.exp(-300.0 / S) * 0.01 / 0.99
    assert dear.ods[0].diverted / 50.0 == pytest.approx(odds / (1 + odds), rel=1e-6)


def test_without_a_comparator_overflow_is_not_moved_and_system_objective_keeps_the_lp() -> None:
    net = make_network([("O", "X", {}), ("X", "D", {})], nodes={"X": {"capacity_teu_per_year": 100.0}})
    result = assign(net, teu_demand(("O", "D", 150.0)), costs=NO_TIME)
    (od,) = result.ods
    assert (od.served, od.diverted, od.not_moved) == (pytest.approx(100.0, abs=0.01), 0.0, pytest.approx(50, abs=0.01))
    lp = assign(net, teu_demand(("O", "D", 150.0)), costs=NO_TIME, objective="system")
    assert lp.objective == "system" and lp.ods[0].served == pytest.approx(100.0)
    assert lp.to_json()["objective"] == "system" and result.to_json()["objective"] == "choice"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"objective": "forecast"}, "objective must be one of choice, system, got 'forecast'"),
        ({"choice": "x"}, None),
    ],
)
def test_bad_objective_is_a_clear_input_error(kwargs, message) -> None:
    net, _ = _three_routes()
    if message is None:
        with pytest.raises(InputError, match="scale_usd_per_teu must be a finite number > 0, got -1"):
            ChoiceModel(scale_usd_per_teu=-1)
        return
    with pytest.raises(InputError, match=message):
        assign(net, teu_demand(("O", "D", 1.0)), **kwargs)
