"""Path flows of an assignment (``result.paths``) and the all-or-nothing cheapest paths."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.capacity import assign as _assign
from corridor.capacity import cheapest_paths
from corridor.network import Service

from .conftest import make_network, teu_demand

FORMULATIONS = ["paths", "origin", "od"]

#: These tests check the least-cost LP (objective="system"); route choice has its own tests.
assign = functools.partial(_assign, objective="system")


def _parallel():
    """O→A→D and O→B→D, each leg 100 TEU/year; A is the cheaper route."""
    return make_network(
        [
            ("O", "A", {"tariff_usd_per_feu": 200.0, "capacity_teu_per_year": 100.0}),
            ("A", "D", {}),
            ("O", "B", {"tariff_usd_per_feu": 400.0, "capacity_teu_per_year": 100.0}),
            ("B", "D", {}),
        ]
    )


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_two_parallel_paths_split_half_and_half(formulation: str) -> None:
    result = assign(_parallel(), teu_demand(("O", "D", 200.0)), formulation=formulation, max_growth=False)
    assert [(p.nodes, p.links, p.forward, p.volume) for p in result.paths] == [
        (("O", "A", "D"), ("O-A", "A-D"), (True, True), pytest.approx(100.0)),
        (("O", "B", "D"), ("O-B", "B-D"), (True, True), pytest.approx(100.0)),
    ]
    assert {(p.origin, p.destination, p.cargo, p.unit) for p in result.paths} == {("O", "D", "container", "teu")}


@pytest.mark.parametrize("formulation", FORMULATIONS)
def test_unserved_volume_is_on_no_path(formulation: str) -> None:
    result = assign(_parallel(), teu_demand(("O", "D", 250.0)), formulation=formulation, max_growth=False)
    assert sum(p.volume for p in result.paths) == pytest.approx(200.0)
    assert result.ods[0].unserved == pytest.approx(50.0)


def test_paths_name_the_service_and_the_direction() -> None:
    ferry = Service("ferry", "Ferry", "B-A", "ferry", fleet=1, sailing_h=10.0, departure="on_demand", capacity_teu=10)
    net = make_network([("O", "A", {}), ("B", "A", {"bidirectional": True}), ("B", "D", {})], services=[ferry])
    result = assign(net, teu_demand(("O", "D", 5.0)), max_growth=False)
    (path,) = result.paths
    assert path.nodes == ("O", "A", "B", "D")
    assert path.forward == (True, False, True)
    assert path.services == ("", "ferry", "")
    assert path.to_json()["links"][1] == {"id": "B-A", "direction": "backward", "service": "ferry"}


def test_to_json_has_paths_and_keeps_the_other_keys() -> None:
    out = assign(_parallel(), teu_demand(("O", "D", 200.0)), max_growth=False).to_json()
    assert list(out)[-1] == "paths"
    assert {"served", "unserved", "max_growth", "bottlenecks", "links", "nodes", "services", "ods"} <= set(out)
    assert out["paths"][0] == {
        "origin": "O",
        "destination": "D",
        "cargo": "container",
        "unit": "teu",
        "volume": 100.0,
        "time_h": 0.0,
        "nodes": ["O", "A", "D"],
        "links": [
            {"id": "O-A", "direction": "forward", "service": None},
            {"id": "A-D", "direction": "forward", "service": None},
        ],
    }


def test_path_time_is_moving_time_plus_dwell_at_nodes_entered() -> None:
    network = make_network(
        [("O", "A", {"time_h": 5.0}), ("A", "D", {"time_h": 7.0})],
        nodes={"A": {"dwell_h": 3.0}, "D": {"dwell_h": 11.0}},
    )
    (path,) = assign(network, teu_demand(("O", "D", 10.0)), max_growth=False).paths
    # by hand: 5 h + 3 h at A + 7 h + 11 h at D (the capacity engine's time counts the node entered)
    assert path.time_h == pytest.approx(5 + 3 + 7 + 11)


@pytest.mark.parametrize(
    ("departure", "extra", "wait_h"),
    [
        ("fill_or_timeout", {"max_wait_h": 40.0}, 20.0),  # sails when full or at 40 h: uniform, mean 20 h
        ("schedule", {"headway_h": 24.0}, 12.0),  # a departure a day: mean 12 h
        ("on_demand", {}, 0.0),
    ],
)
def test_a_service_leg_is_sailing_plus_the_expected_wait_for_a_departure_not_the_vessels_port_time(
    departure: str, extra: dict[str, float], wait_h: float
) -> None:
    # The simulation lands cargo after sailing_h (the ports' dwells cover its handling) and keeps
    # the vessel port_h alongside for its own cycle; routing and CALIBRATION.md count half the
    # timeout (or headway) as the wait.  The assignment must time the leg the same way.
    ferry = Service(
        "F",
        "Ferry",
        "O-D",
        "ferry",
        fleet=2,
        sailing_h=10.0,
        departure=departure,
        capacity_teu=100,
        port_h=6.0,
        **extra,
    )
    network = make_network([("O", "D", {"mode": "ferry"})], nodes={"D": {"dwell_h": 3.0}}, services=[ferry])
    (path,) = assign(network, teu_demand(("O", "D", 10.0)), max_growth=False).paths
    assert path.time_h == pytest.approx(10.0 + wait_h + 3.0)


def test_cheapest_paths_ignore_capacity_and_honour_without() -> None:
    (path,) = cheapest_paths(_parallel(), teu_demand(("O", "D", 250.0)))
    assert (path.nodes, path.volume) == (("O", "A", "D"), 250.0)
    (around,) = cheapest_paths(_parallel(), teu_demand(("O", "D", 250.0)), without=["A"])
    assert around.nodes == ("O", "B", "D")


def _random_network(seed: int):
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(9, 28, seed=int(rng.integers(1 << 30)), directed=True)
    links = [
        (f"n{u}", f"n{v}", {"capacity_teu_per_year": float(rng.integers(1, 60)), "tariff_usd_per_feu": 2.0 * (u + v)})
        for u, v in graph.edges
    ]
    return make_network(links)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), formulation=st.sampled_from(FORMULATIONS))
def test_path_flows_add_up_to_the_served_volume_and_the_arc_flows(seed: int, formulation: str) -> None:
    net = _random_network(seed)
    nodes = [n.id for n in net.nodes]
    demand = teu_demand((nodes[0], nodes[-1], 80.0), (nodes[0], nodes[1], 30.0), (nodes[2], nodes[-1], 40.0))
    result = assign(net, demand, formulation=formulation, max_growth=False)
    for od in result.ods:
        mine = [p for p in result.paths if (p.origin, p.destination) == (od.origin, od.destination)]
        assert sum(p.volume for p in mine) == pytest.approx(od.served, abs=1e-6)
        for p in mine:
            assert p.nodes[0] == od.origin and p.nodes[-1] == od.destination
            assert len(set(p.nodes)) == len(p.nodes)  # simple paths
            assert p.volume > 0
    on_link: dict[str, float] = {}
    for p in result.paths:
        for lk in p.links:
            on_link[lk] = on_link.get(lk, 0.0) + p.volume
    for link in result.links:
        assert on_link.get(link.id, 0.0) == pytest.approx(link.teu, abs=1e-6)
