"""Invariants against brute force: on random small networks, enumerate every simple path."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.network import Link, Network, Node
from corridor.routing import Router
from corridor.routing._timing import Component, quantile

MODES = ("rail", "road", "sea")


@st.composite
def networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(4, 7))
    nodes = tuple(
        Node(
            f"N{i}",
            f"Node {i}",
            draw(st.sampled_from(("KZ", "AZ", "GE"))),
            draw(st.sampled_from(("terminal", "port", "border"))),
            40.0 + i,
            50.0,
            dwell_h=float(draw(st.integers(0, 30))),
            handling_usd_per_teu=float(draw(st.integers(0, 200))),
        )
        for i in range(n)
    )
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=n, max_size=3 * n, unique=True)
    )
    links = tuple(
        Link(
            f"L{k}",
            f"N{a}",
            f"N{b}",
            draw(st.sampled_from(MODES)),
            float(draw(st.integers(50, 2000))),
            time_h=float(draw(st.integers(1, 100))),
            gauge_mm=1520,
            tariff_usd_per_feu=float(draw(st.integers(0, 3000))),
            bidirectional=draw(st.booleans()),
        )
        for k, (a, b) in enumerate(pairs)
        if a != b
    )
    return Network("random", nodes, links)


def brute_force(
    net: Network, origin: str, destination: str, router: Router
) -> dict[tuple[str, ...], tuple[float, float, float]]:
    """Every simple path with (typical time, USD per TEU, kg CO2e per t), computed from the records."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(n.id for n in net.nodes)
    for lk in net.links:
        g.add_edge(lk.from_id, lk.to_id, key=lk.id, link=lk)
        if lk.bidirectional:
            g.add_edge(lk.to_id, lk.from_id, key=lk.id + "~", link=lk)
    out = {}
    factors = router.graph.factors
    for path in nx.all_simple_edge_paths(g, origin, destination):
        t = c = e = 0.0
        for u, _v, key in path:
            lk = g.edges[u, _v, key]["link"]
            node = net.node(u)
            t += (node.dwell_h or 0) + lk.moving_time_h
            c += (node.handling_usd_per_teu or 0) + (lk.tariff_usd_per_feu or 0) / 2
            e += factors.for_node(node).wtw + lk.distance_km * factors.for_link(lk).wtw / 1000
        out[tuple(k for _, _, k in path)] = (t, c, e)
    return out


def dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return all(x <= y + 1e-6 for x, y in zip(a, b, strict=True)) and any(
        x < y - 1e-6 for x, y in zip(a, b, strict=True)
    )


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.sampled_from(("time", "cost", "co2")))
def test_best_route_never_beaten_and_pareto_routes_not_dominated(net: Network, optimize: str) -> None:
    router = Router(net)
    every = brute_force(net, "N0", f"N{len(net.nodes) - 1}", router)
    if not every:
        return
    res = router.route("N0", f"N{len(net.nodes) - 1}", "1x40HC", optimize=optimize, alternatives=4)
    cargo_t = res.shipment.cargo_t
    dest = net.node(res.destination)
    dest_usd = (dest.handling_usd_per_teu or 0) * 2
    dest_kg = router.graph.factors.for_node(dest).wtw * cargo_t
    idx = {"time": 0, "cost": 1, "co2": 2}[optimize]
    best = res.best
    got = (best.time.p50, best.cost.total - dest_usd, best.co2e.wtw - dest_kg)
    scale = (1.0, 2.0, cargo_t)  # brute force is per TEU and per tonne
    optimum = min(v[idx] for v in every.values())
    assert got[idx] == pytest.approx(optimum * scale[idx], rel=1e-9, abs=1e-6)
    front = [v for v in every.values() if not any(dominates(o, v) for o in every.values())]
    assert res.pareto_size == len({tuple(round(x, 6) for x in v) for v in front})
    for r in res.routes:
        crit = (r.time.p50, (r.cost.total - dest_usd) / 2.0, (r.co2e.wtw - dest_kg) / cargo_t)
        if r.pareto:
            assert not any(dominates(v, crit) for v in every.values())


# derandomized, without the example database.  On mixes dominated by a few closures the analytic P90
# is a few per cent off the sampled one, either way (seen: 5 % low, 58.5 h against 61.6 h; 6.5 % high,
# 34.7 h against 32.5 h under Hypothesis's CI profile): a known limit of the moment approximation, not
# sampling noise (200,000 draws).  8 % or two hours still catches a wrong moment or closure term
@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.one_of(
            st.builds(lambda m, r: ("lognormal", m, r), st.floats(1, 100), st.floats(1.05, 3.0)),
            st.builds(lambda w: ("uniform", w, 0.0), st.floats(1, 150)),
            st.builds(lambda s, L: ("closure", s, L), st.floats(0.02, 0.4), st.floats(6, 120)),
            st.builds(lambda x: ("deterministic", x, 0.0), st.floats(1, 300)),
        ),
        min_size=4,
        max_size=20,
    ),
    st.floats(24, 400),
)
def test_p90_matches_a_monte_carlo_convolution(parts: list[tuple[str, float, float]], moving_h: float) -> None:
    """Trip-like sums: random dwells, waits and closures on top of at least a day under way."""
    comps = [Component("rail", "x", "moving", "deterministic", moving_h)]
    for kind, a, b in parts:
        if kind == "lognormal":  # b is the P90 / median ratio
            comps.append(Component("rail", "x", "moving", kind, a, math.log(b) / 1.2815515655446004))
        else:
            comps.append(Component("rail", "x", "moving", kind, a, b))
    rng = np.random.default_rng(20250303)
    total = sum(c.sample(rng, 200_000) for c in comps)
    mc = float(np.quantile(total, 0.9))
    # the analytic (Cornish-Fisher / shifted gamma) P90 is within 8 % or two hours of the sampled one
    assert quantile(comps) == pytest.approx(mc, rel=0.08, abs=2.0)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(20, 200), st.integers(0, 2**32 - 1))
def test_fastest_path_matches_full_dijkstra(n: int, seed: int) -> None:
    """The landmark A* on scipy returns exactly the shortest times of a full Dijkstra (directed graphs)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    from corridor.routing._search import TimeIndex, fastest_path

    rng = np.random.default_rng(seed)
    m = 3 * n
    tail, head = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = tail != head
    pairs = np.unique(np.column_stack((tail[keep], head[keep])), axis=0)
    w = rng.uniform(0.5, 20.0, len(pairs))
    mat = csr_matrix((w, (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    index = TimeIndex.build(mat, np.arange(mat.nnz), landmarks=4)
    full = dijkstra(mat)
    for s, t in rng.integers(0, n, (10, 2)):
        found = fastest_path(index, int(s), int(t))
        if s == t:
            continue
        if found is None:
            assert not np.isfinite(full[s, t])
        else:
            assert found[0] == pytest.approx(full[s, t])
            assert sum(mat.data[a] for a in found[1]) == pytest.approx(full[s, t])
