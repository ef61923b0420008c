"""The compiled Dijkstra of column generation against scipy's on random graphs with ties and zero weights."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from corridor.capacity import _trees
from corridor.capacity._trees import NO_PRED, shortest_trees


def _graph(rng: np.random.Generator, n: int, m: int) -> sp.csr_array:
    weight = rng.integers(0, 4, size=m).astype(float)  # small integers: many equal-cost paths, zeros
    g = sp.csr_array((weight, (rng.integers(n, size=m), rng.integers(n, size=m))), shape=(n, n))
    g.sum_duplicates()
    return g


def _check_pred(g: sp.csr_array, dist: np.ndarray, pred: np.ndarray, sources: np.ndarray, nodes: np.ndarray) -> None:
    """Following ``pred`` from each node reaches the source along arcs whose weights sum to the distance."""
    dense = g.toarray()
    coo = g.tocoo()
    arcs = set(zip(coo.row.tolist(), coo.col.tolist(), strict=True))
    for j, s in enumerate(sources.tolist()):
        for v in nodes[j].tolist():
            if not np.isfinite(dist[j, v]):
                assert pred[j, v] == NO_PRED
                continue
            total, u = 0.0, v
            while u != s:
                p = int(pred[j, u])
                assert (p, u) in arcs  # a stored entry of the graph (zero weights are arcs too)
                total += dense[p, u]
                u = p
            assert total == pytest.approx(dist[j, v])


@pytest.mark.parametrize("threads", [1, 4])
def test_whole_trees_equal_scipy(threads: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_trees, "_PER_THREAD", 1)
    monkeypatch.setattr(_trees, "MAX_THREADS", threads)
    rng = np.random.default_rng(7)
    for _ in range(40):
        n = int(rng.integers(2, 40))
        g = _graph(rng, n, int(rng.integers(1, 200)))
        sources = rng.integers(n, size=6)
        expected = dijkstra(g, directed=True, indices=sources)
        dist, pred = shortest_trees(g, sources)
        np.testing.assert_array_equal(dist, expected)
        _check_pred(g, dist, pred, sources, np.tile(np.arange(n), (sources.size, 1)))


def test_searches_that_stop_at_their_targets_still_answer_them() -> None:
    rng = np.random.default_rng(11)
    for _ in range(40):
        n = int(rng.integers(2, 60))
        g = _graph(rng, n, int(rng.integers(1, 300)))
        sources = rng.integers(n, size=5)
        targets = [rng.integers(n, size=int(rng.integers(1, 4))) for _ in sources]
        expected = dijkstra(g, directed=True, indices=sources)
        dist, pred = shortest_trees(g, sources, targets)
        for j, t in enumerate(targets):
            np.testing.assert_array_equal(dist[j, t], expected[j, t])
        _check_pred(g, dist, pred, sources, np.array([t[:1] for t in targets]))


def test_a_search_stops_once_its_targets_are_settled() -> None:
    # a path 0 → 1 → … → 9: the search for node 2 never reaches 3
    n = 10
    g = sp.csr_array((np.ones(n - 1), (np.arange(n - 1), np.arange(1, n))), shape=(n, n))
    dist, _ = shortest_trees(g, np.array([0]), [np.array([2])])
    assert dist[0, 2] == 2.0
    assert np.isinf(dist[0, 4:]).all()
