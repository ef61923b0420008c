"""Routing at national-network scale (issue 13 item 1) on the seeded synthetic networks."""

from __future__ import annotations

import networkx as nx
import pytest

from corridor.errors import NoRouteError
from corridor.network import load_network, provenance_gaps, write_network
from corridor.network.synthetic import far_corners, synthetic_network
from corridor.routing import Router
from corridor.routing._guided import LARGE_ARCS, CriteriaIndex, guided_front
from corridor.routing._search import Query, pareto_paths


def test_generator_is_seeded_sized_and_valid(tmp_path) -> None:  # type: ignore[no-untyped-def]
    net = synthetic_network(2000, seed=7)
    assert net == synthetic_network(2000, seed=7)
    assert net != synthetic_network(2000, seed=8)
    assert 0.9 * 2000 <= len(net.links) <= 1.1 * 2000
    assert {n.country for n in net.nodes} == {"CN", "KZ", "AZ", "GE", "TR"}
    assert sum(n.is_gauge_change for n in net.nodes) > 0 and len(net.services) == 5
    write_network(net, tmp_path / "syn")
    back = load_network(tmp_path / "syn")  # the full validator, as `network validate` runs it
    assert back == net
    assert provenance_gaps(back) == []


def test_generator_rejects_a_tiny_size() -> None:
    with pytest.raises(ValueError, match="at least 24"):
        synthetic_network(10)


def _criterion_graph(index: CriteriaIndex, k: int) -> nx.DiGraph:
    g = nx.DiGraph()
    for j, head in enumerate(index.heads.tolist()):
        u = int(index.pair_tail[int(index.starts.searchsorted(j, side="right")) - 1])
        w = float(index.weights[j, k])
        if not g.has_edge(u, head) or g[u][head]["w"] > w:
            g.add_edge(u, head, w=w)
    return g


def test_guided_front_holds_the_exact_optima_and_only_pareto_routes() -> None:
    """Known answers: networkx Dijkstra per criterion, and the exact label-setting Pareto set."""
    net = synthetic_network(400, seed=3)
    router = Router(net)
    index = CriteriaIndex.build(router.graph, "container")
    o, d = (net.node_position(x) for x in far_corners(net))
    front, _ = guided_front(index, o, d)
    for k in range(3):
        exact = nx.dijkstra_path_length(_criterion_graph(index, k), o, d, weight="w")
        assert min(p.criteria[k] for p in front) == pytest.approx(exact, rel=1e-9)
    pareto, complete = pareto_paths(Query(router.graph, "container", o, d))
    assert complete
    exact_front = [p.criteria for p in pareto]
    for p in front:  # every supported route is on the exact Pareto front
        assert any(
            all(abs(a - b) <= 1e-6 * max(1.0, b) for a, b in zip(p.criteria, q, strict=True)) for q in exact_front
        )


@pytest.fixture(scope="module")
def large() -> Router:
    net = synthetic_network(12_000, seed=1)
    router = Router(net)
    assert router.graph.n_arcs >= LARGE_ARCS
    return router


def test_far_corners_with_five_alternatives_on_a_large_network(large: Router) -> None:
    o, d = far_corners(large.network)
    res = large.route(o, d, alternatives=5)
    assert len(res.routes) == 5
    assert not res.pareto_complete and any(
        n.code == "guided-search" and n.params["reason"] == "large-network" for n in res.notes
    )
    times = [r.time.p50 for r in res.routes]
    assert times == sorted(times)
    assert len({r.nodes for r in res.routes}) == 5
    for r in res.routes:
        assert r.nodes[0] == o and r.nodes[-1] == d and len(set(r.nodes)) == len(r.nodes)
        assert len(r.nodes) > 150  # corridor length: the whole grid, east to west


def test_avoiding_a_transit_country_on_a_large_network_is_explained(large: Router) -> None:
    o, d = far_corners(large.network)
    with pytest.raises(NoRouteError, match=r"(?<!-)avoid KZ cuts the network"):
        large.route(o, d, avoid=["KZ"])


def test_a_label_limit_says_so_and_does_not_blame_the_cargo() -> None:
    net = synthetic_network(400, seed=3)
    o, d = far_corners(net)
    mid = net.nodes[len(net.nodes) // 2].id
    with pytest.raises(NoRouteError, match="label limit") as err:
        Router(net, max_labels=50).route(o, d, via=[mid])
    assert "cargo" not in str(err.value)


def test_without_via_points_a_label_limit_falls_back_to_the_guided_search() -> None:
    net = synthetic_network(400, seed=3)
    o, d = far_corners(net)
    res = Router(net, max_labels=50).route(o, d, alternatives=3)
    assert res.routes and not res.pareto_complete
    assert any(n.code == "guided-search" and n.params["reason"] == "label-limit" for n in res.notes)
    exact = Router(net).route(o, d, alternatives=1)
    assert res.routes[0].time.p50 == pytest.approx(exact.routes[0].time.p50)  # the time optimum is exact
