"""Invariants on random networks: max growth equals the networkx min cut, min-cost equals networkx,
conservation at every node, served + unserved = demand, both formulations agree."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.capacity import assign as _assign
from corridor.demand import DemandSet, Flow

from .conftest import make_network, teu_demand

#: These tests check the least-cost LP (objective="system"); route choice has its own tests.
assign = functools.partial(_assign, objective="system")


def _random_graph(seed: int, n: int = 10, m: int = 30) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    graph = nx.gnm_random_graph(n, m, seed=int(rng.integers(1 << 30)), directed=True)
    for u, v in graph.edges:
        graph.edges[u, v]["capacity"] = int(rng.integers(1, 100))
        graph.edges[u, v]["weight"] = int(rng.integers(1, 50))
    return graph


def _network(graph: nx.DiGraph):
    return make_network(
        [
            (
                f"n{u}",
                f"n{v}",
                {"capacity_teu_per_year": float(d["capacity"]), "tariff_usd_per_feu": 2.0 * d["weight"]},
            )
            for u, v, d in graph.edges(data=True)
        ],
        nodes=None,
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), demand=st.floats(1.0, 500.0))
def test_max_growth_times_demand_is_the_min_cut(seed: int, demand: float) -> None:
    graph = _random_graph(seed)
    src, dst = 0, graph.number_of_nodes() - 1
    if not (graph.has_node(src) and graph.out_degree(src) and graph.in_degree(dst)) or not nx.has_path(graph, src, dst):
        return
    cut_value = nx.minimum_cut_value(graph, src, dst)
    result = assign(_network(graph), teu_demand((f"n{src}", f"n{dst}", demand)))
    assert result.max_growth is not None
    assert result.max_growth * demand == pytest.approx(cut_value, rel=1e-7)
    # LP duality: capacities in the growth cut, weighted by their duals, add up to the growth
    assert sum(g.share for g in result.growth_cut) == pytest.approx(1.0)
    assert sum(
        g.marginal_growth * g.constraint.capacity.effective_per_year for g in result.growth_cut
    ) == pytest.approx(result.max_growth, rel=1e-7)
    # and every cut capacity is full at the maximum growth
    assert all(g.constraint.utilisation == pytest.approx(1.0) for g in result.growth_cut)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_single_commodity_min_cost_matches_networkx(seed: int) -> None:
    graph = _random_graph(seed)
    src, dst = 0, graph.number_of_nodes() - 1
    if not nx.has_path(graph, src, dst):
        return
    flow_value = nx.maximum_flow_value(graph, src, dst)
    amount = max(flow_value // 2, 1)
    graph.nodes[src]["demand"] = -amount
    graph.nodes[dst]["demand"] = amount
    expected = nx.min_cost_flow_cost(graph)
    result = assign(_network(graph), teu_demand((f"n{src}", f"n{dst}", float(amount))), max_growth=False)
    assert result.totals.unserved_teu == pytest.approx(0.0, abs=1e-6)
    assert result.totals.cost_usd == pytest.approx(expected, rel=1e-9)


def _multi(seed: int):
    rng = np.random.default_rng(seed)
    graph = _random_graph(seed, n=12, m=40)
    net = make_network(
        [
            (
                f"n{u}",
                f"n{v}",
                {
                    "capacity_teu_per_year": float(d["capacity"]),
                    "capacity_t_per_year": float(d["capacity"]) * 12,
                    "tariff_usd_per_feu": 2.0 * d["weight"],
                    "bidirectional": bool(rng.random() < 0.3),
                },
            )
            for u, v, d in graph.edges(data=True)
        ],
        nodes={f"n{i}": {"capacity_teu_per_year": 150.0} for i in range(0, 12, 3)},
    )
    flows = []
    ids = [n.id for n in net.nodes]
    for _ in range(8):
        o, d = rng.choice(len(ids), 2, replace=False)
        if rng.random() < 0.6:
            flows.append(Flow(ids[o], ids[d], "container", volume_teu_per_year=float(rng.integers(1, 80))))
        else:
            flows.append(Flow(ids[o], ids[d], "general", volume_t_per_year=float(rng.integers(1, 800))))
    return net, DemandSet("random", "test", tuple(flows))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_conservation_and_served_plus_unserved(seed: int) -> None:
    net, demand = _multi(seed)
    result = assign(net, demand)
    for od, flow in zip(result.ods, demand.flows, strict=True):
        assert od.served + od.unserved == pytest.approx(flow.volume)
        assert -1e-6 <= od.served <= flow.volume + 1e-6
    for cargo_key, unit in (("teu", "teu"), ("t", None)):
        net_out = {n.id: 0.0 for n in net.nodes}
        for link in result.links:
            fwd, back = link.detail["forward"][cargo_key], link.detail["backward"][cargo_key]
            net_out[link.detail["from"]] += fwd - back
            net_out[link.detail["to"]] += back - fwd
        expected = {n.id: 0.0 for n in net.nodes}
        for od, flow in zip(result.ods, demand.flows, strict=True):
            amount = od.served if unit == "teu" else od.served * (10.0 if flow.cargo == "container" else 1.0)
            if unit == "teu" and flow.cargo != "container":
                continue
            expected[od.origin] += amount
            expected[od.destination] -= amount
        for node_id in net_out:
            assert net_out[node_id] == pytest.approx(expected[node_id], abs=1e-5), node_id
    for c in result.constraints:
        assert c.flow <= c.capacity.effective_per_year * (1 + 1e-7) + 1e-6


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_arc_and_path_formulations_agree(seed: int) -> None:
    net, demand = _multi(seed)
    by_origin = assign(net, demand, formulation="origin")
    for other in ("od", "paths"):
        result = assign(net, demand, formulation=other)
        a, b = by_origin.totals, result.totals
        assert a.cost_usd + a.penalty_usd == pytest.approx(b.cost_usd + b.penalty_usd, rel=1e-8, abs=1e-6), other
        if by_origin.max_growth is None:
            assert result.max_growth is None
        else:
            assert by_origin.max_growth == pytest.approx(result.max_growth, rel=1e-8), other
        # flows satisfy every capacity whichever way they were found
        for c in result.constraints:
            assert c.flow <= c.capacity.effective_per_year * (1 + 1e-7) + 1e-6
