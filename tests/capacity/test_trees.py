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


def _guided_case(rng: np.random.Generator, n: int, m: int, integral: bool) -> tuple[sp.csr_array, sp.csr_array]:
    """A base graph and the same arcs with non-negative tolls added (what pricing rounds see)."""
    tail, head = rng.integers(n, size=m), rng.integers(n, size=m)
    keep = tail != head
    tail, head = tail[keep], head[keep]
    base_w = rng.integers(0, 6, size=tail.size).astype(float) if integral else rng.uniform(0, 10, size=tail.size)
    toll = rng.integers(0, 3, size=tail.size).astype(float) if integral else rng.exponential(1.0, size=tail.size)
    toll[rng.random(tail.size) < 0.5] = 0.0
    base = sp.csr_array((base_w, (tail, head)), shape=(n, n))
    base.sum_duplicates()
    priced = sp.csr_array((base_w + toll, (tail, head)), shape=(n, n))
    priced.sum_duplicates()
    # summed duplicates keep priced ≥ base pair by pair
    return base, priced


@pytest.mark.parametrize("integral", [True, False])
def test_landmark_guided_searches_answer_their_targets_exactly(integral: bool) -> None:
    rng = np.random.default_rng(23 if integral else 29)
    for _ in range(40):
        n = int(rng.integers(3, 80))
        base, priced = _guided_case(rng, n, int(rng.integers(n, 5 * n)), integral)
        landmarks = _trees.Landmarks(base, int(rng.integers(1, 6)))
        for g in (base, priced):
            assert landmarks.admits(g)
            sources = rng.integers(n, size=6)
            targets = [rng.integers(n, size=int(rng.integers(1, 4))) for _ in sources]
            expected = dijkstra(g, directed=True, indices=sources)
            dist, pred = shortest_trees(g, sources, targets, landmarks)
            for j, t in enumerate(targets):
                if integral:
                    np.testing.assert_array_equal(dist[j, t], expected[j, t])
                else:
                    np.testing.assert_allclose(dist[j, t], expected[j, t], rtol=1e-12)
            _check_pred(g, dist, pred, sources, np.array([t[:1] for t in targets]))


def test_a_guided_search_that_runs_out_of_heap_is_grown_again_plainly_and_exactly() -> None:
    # A heap of 2 entries is too small for any guided search here, so every one overflows and is
    # grown again by plain Dijkstra on the full heap: the answers must still be scipy's.
    from corridor.capacity._trees_kernel import grow_trees

    rng = np.random.default_rng(31)
    for _ in range(20):
        n = int(rng.integers(10, 60))
        base, priced = _guided_case(rng, n, int(rng.integers(3 * n, 6 * n)), integral=False)
        landmarks = _trees.Landmarks(base, 4)
        sources = rng.integers(n, size=5)
        targets = [rng.integers(n, size=int(rng.integers(1, 4))) for _ in sources]
        expected = dijkstra(priced, directed=True, indices=sources)
        dist, pred = shortest_trees(priced, sources, targets, landmarks, guided_heap=2)
        for j, t in enumerate(targets):
            np.testing.assert_allclose(dist[j, t], expected[j, t], rtol=1e-12)
        _check_pred(priced, dist, pred, sources, np.array([t[:1] for t in targets]))
    # the kernel says it retried: one source, one far target, a dense graph
    g = sp.csr_array(priced)
    far = np.array([int(np.argmax(np.where(np.isfinite(expected[0]), expected[0], -1)))], dtype=np.int64)
    row_dist, row_pred = np.full((1, n), np.inf), np.full((1, n), NO_PRED, dtype=np.int32)
    args = (g.indptr.astype(np.int64), g.indices.astype(np.int32), g.data.astype(np.float64))
    lm = (landmarks.from_landmark, landmarks.to_landmark)
    src = np.array([sources[0]], dtype=np.int64)
    ptr = np.array([0, 1], dtype=np.int64)
    assert grow_trees(*args, src, ptr, far, row_dist, row_pred, *lm, np.array([True]), 2) == 1
    assert row_dist[0, far[0]] == pytest.approx(expected[0, far[0]])
    row_dist[:] = np.inf
    assert grow_trees(*args, src, ptr, far, row_dist, row_pred, *lm, np.array([True]), g.nnz + 1) == 0


def test_landmarks_refuse_a_graph_cheaper_than_their_base() -> None:
    rng = np.random.default_rng(31)
    base, priced = _guided_case(rng, 30, 120, integral=True)
    landmarks = _trees.Landmarks(base, 4)
    assert landmarks.admits(priced)
    cheaper = base.copy()
    k = int(np.argmax(cheaper.data))
    cheaper.data[k] -= 0.5  # one arc below its base weight
    assert not landmarks.admits(cheaper)
    dense = base.toarray() != 0
    structure = base.copy()
    structure.data[:] = 1.0
    missing = np.argwhere((structure.toarray() == 0) & ~dense)[0]
    extra = sp.csr_array(base + sp.csr_array(([50.0], ([missing[0]], [missing[1]])), shape=base.shape))
    assert not landmarks.admits(extra)  # an arc the landmarks never saw could be a shortcut


def test_a_guided_search_settles_fewer_nodes_on_a_grid() -> None:
    """On a 60 × 60 grid from a corner toward the far side's middle, A* reaches a fraction of the
    nodes plain Dijkstra does (the bound is what prunes), with the same target distance."""
    side = 60
    idx = np.arange(side * side).reshape(side, side)
    tails = np.concatenate([idx[:, :-1].ravel(), idx[:, 1:].ravel(), idx[:-1, :].ravel(), idx[1:, :].ravel()])
    heads = np.concatenate([idx[:, 1:].ravel(), idx[:, :-1].ravel(), idx[1:, :].ravel(), idx[:-1, :].ravel()])
    g = sp.csr_array((np.ones(tails.size), (tails, heads)), shape=(side * side,) * 2)
    source, target = np.array([idx[side // 2, 0]]), [np.array([idx[side // 2, side - 1]])]
    plain, _ = shortest_trees(g, source, target)
    guided, _ = shortest_trees(g, source, target, _trees.Landmarks(g, 8))
    assert guided[0, target[0][0]] == plain[0, target[0][0]] == side - 1
    assert np.isfinite(guided).sum() < 0.5 * np.isfinite(plain).sum()
