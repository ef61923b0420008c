"""Path search over a :class:`~corridor.routing._graph.RoutingGraph`.

* :func:`pareto_paths` — exact multi-criteria label-setting search (Martins' algorithm) over P50
  time, cost per unit and CO2e per tonne.  Labels are popped in lexicographic order, so a label
  made permanent is never dominated later; labels that a destination label already dominates are
  pruned (costs only grow).  The state of a label is (node, via points passed, through-tariff in
  force), which makes ``via`` and through-tariffs exact rather than stitched.
* :func:`best_path` — the same state machine with one scalar objective (plain Dijkstra), used to
  generate alternatives by eliminating countries and nodes.
* :func:`fastest_path` — time-optimal point-to-point search on large networks with
  :func:`scipy.sparse.csgraph.dijkstra`, bounded by a growing distance ``limit`` so that a query
  explores only the ball around the origin that contains the destination.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from corridor.landmarks import landmark_distances
from corridor.routing._graph import Arc, RoutingGraph

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

EPS = 1e-9
#: Label budget of the exact Pareto search; when reached the result says so.
MAX_LABELS = 200_000


@dataclass(frozen=True, slots=True)
class Span:
    """A through-tariff as the search sees it: node positions and the amount per pricing unit."""

    start: int
    end: int
    usd: float
    index: int


@dataclass(frozen=True, slots=True)
class Path:
    """Arcs in order with the search's totals (time h, USD per unit, kg CO2e per tonne)."""

    arcs: tuple[int, ...]
    time_h: float
    usd: float
    co2_kg: float
    spans: tuple[tuple[int, int], ...] = ()  # (through-tariff index, position of the arc it starts on)

    @property
    def criteria(self) -> tuple[float, float, float]:
        return (self.time_h, self.usd, self.co2_kg)


@dataclass(frozen=True, slots=True)
class Query:
    """What a search runs on: one cargo's arcs of a graph, endpoints, constraints, tariffs."""

    graph: RoutingGraph
    cargo: str
    origin: int
    destination: int
    vias: tuple[int, ...] = ()
    banned_nodes: frozenset[int] = frozenset()
    banned_arcs: frozenset[int] = frozenset()
    spans: tuple[Span, ...] = ()

    @property
    def adjacency(self) -> list[list[Arc]]:
        """Outgoing arcs per node for the cargo (built on first use: the guided search never needs them)."""
        return self.graph.adjacency(self.cargo)

    def without(self, nodes: Collection[int] = (), arcs: Collection[int] = ()) -> Query:
        return Query(
            self.graph,
            self.cargo,
            self.origin,
            self.destination,
            self.vias,
            self.banned_nodes | frozenset(nodes),
            self.banned_arcs | frozenset(arcs),
            self.spans,
        )


def _advance(progress: int, node: int, vias: tuple[int, ...]) -> int:
    while progress < len(vias) and vias[progress] == node:
        progress += 1
    return progress


class _Labels:
    """Parallel lists of labels: values, node, state and the back pointer."""

    __slots__ = ("arc", "c", "e", "node", "pred", "span", "state", "t")

    def __init__(self) -> None:
        self.t: list[float] = []
        self.c: list[float] = []
        self.e: list[float] = []
        self.node: list[int] = []
        self.state: list[int] = []
        self.pred: list[int] = []
        self.arc: list[int] = []
        self.span: list[int] = []  # tariff index started on this arc, or -1

    def add(self, t: float, c: float, e: float, node: int, state: int, pred: int, arc: int, span: int) -> int:
        self.t.append(t)
        self.c.append(c)
        self.e.append(e)
        self.node.append(node)
        self.state.append(state)
        self.pred.append(pred)
        self.arc.append(arc)
        self.span.append(span)
        return len(self.t) - 1

    def path(self, lid: int) -> Path:
        arcs: list[int] = []
        starts: list[tuple[int, int]] = []
        cur = lid
        while self.pred[cur] >= 0:
            arcs.append(self.arc[cur])
            if self.span[cur] >= 0:
                starts.append((self.span[cur], len(arcs) - 1))
            cur = self.pred[cur]
        arcs.reverse()
        n = len(arcs)
        spans = tuple(sorted(((k, n - 1 - pos) for k, pos in starts), key=lambda kp: kp[1]))
        return Path(tuple(arcs), self.t[lid], self.c[lid], self.e[lid], spans)


def _on_path(labels: _Labels, lid: int) -> set[int]:
    """Nodes of the partial path ending at label ``lid``."""
    seen: set[int] = set()
    cur = lid
    while cur >= 0:
        seen.add(labels.node[cur])
        cur = labels.pred[cur]
    return seen


def _expand(
    q: Query,
    adj: list[list[Arc]],
    labels: _Labels,
    lid: int,
    push: Callable[[float, float, float, int, int, int, int, int], None],
) -> None:
    """Generate the successors of one label (shared by the Pareto and scalar searches).

    With via points the path must stay simple (no node twice): a via point otherwise invites an
    out-and-back detour through it, which a forwarder would never book.
    """
    node = labels.node[lid]
    state = labels.state[lid]
    n_spans = len(q.spans) + 1
    progress, active = divmod(state, n_spans)
    active -= 1
    t0, c0, e0 = labels.t[lid], labels.c[lid], labels.e[lid]
    options: list[tuple[int, float]] = [(active, 0.0)]
    if active < 0:
        options += [(s.index, s.usd) for s in q.spans if s.start == node]
    banned_n, banned_a = q.banned_nodes, q.banned_arcs
    visited = _on_path(labels, lid) if q.vias else ()
    for arc in adj[node]:
        head = arc.head
        if head in banned_n or arc.id in banned_a or head in visited:
            continue
        new_progress = _advance(progress, head, q.vias)
        for span, extra in options:
            line = 0.0 if span >= 0 else arc.line_usd
            after = -1 if span >= 0 and q.spans[span].end == head else span
            push(
                t0 + arc.time_h,
                c0 + extra + arc.node_usd + line,
                e0 + arc.co2_kg,
                head,
                new_progress * n_spans + after + 1,
                lid,
                arc.id,
                span if (span >= 0 and active < 0) else -1,
            )


def _dominated_at_node(t: float, c: float, e: float, seen: frozenset[int], pts: list[Any], simple: bool) -> bool:
    """Dominated by a permanent label of the same state (and, for simple paths, a subset of its nodes)."""
    return any(
        pt <= t + EPS and pc <= c + EPS and pe <= e + EPS and (not simple or pv <= seen) for pt, pc, pe, pv in pts
    )


def pareto_paths(q: Query, *, max_labels: int = MAX_LABELS) -> tuple[list[Path], bool]:
    """All Pareto-optimal paths (time, cost, CO2e); the flag is False if ``max_labels`` cut the search.

    With via points paths must be simple, so a label at a node dominates another only if it also
    visited a subset of the other's nodes (the exact rule for elementary paths): whatever extends
    the dominated label extends the dominating one too.
    """
    if q.origin in q.banned_nodes or q.destination in q.banned_nodes:
        return [], True
    labels = _Labels()
    n_spans = len(q.spans) + 1
    goal = len(q.vias) * n_spans
    simple = bool(q.vias)
    vis: list[frozenset[int]] = []
    perm: dict[tuple[int, int], list[tuple[float, float, float, frozenset[int]]]] = {}
    found: list[tuple[float, float, float]] = []
    results: list[int] = []
    heap: list[tuple[float, float, float, int]] = []
    empty: frozenset[int] = frozenset()

    def dominated(t: float, c: float, e: float, pts: list[tuple[float, float, float]]) -> bool:
        for pt, pc, pe in pts:  # noqa: SIM110 (a plain loop is faster in this hot path)
            if pt <= t + EPS and pc <= c + EPS and pe <= e + EPS:
                return True
        return False

    def dominated_here(t: float, c: float, e: float, seen: frozenset[int], pts: list[Any]) -> bool:
        return _dominated_at_node(t, c, e, seen, pts, simple)

    def push(t: float, c: float, e: float, node: int, state: int, pred: int, arc: int, span: int) -> None:
        if dominated(t, c, e, found):
            return
        seen = vis[pred] | {node} if simple else empty
        pts = perm.get((node, state))
        if pts and dominated_here(t, c, e, seen, pts):
            return
        heapq.heappush(heap, (t, c, e, labels.add(t, c, e, node, state, pred, arc, span)))
        if simple:
            vis.append(seen)

    start = labels.add(0.0, 0.0, 0.0, q.origin, _advance(0, q.origin, q.vias) * n_spans, -1, -1, -1)
    if simple:
        vis.append(frozenset({q.origin}))
    heap.append((0.0, 0.0, 0.0, start))
    complete = True
    adj = q.adjacency
    while heap:
        t, c, e, lid = heapq.heappop(heap)
        key = (labels.node[lid], labels.state[lid])
        pts = perm.setdefault(key, [])
        seen = vis[lid] if simple else empty
        if dominated_here(t, c, e, seen, pts) or dominated(t, c, e, found):
            continue
        pts.append((t, c, e, seen))
        if key[0] == q.destination and key[1] == goal:
            found.append((t, c, e))
            results.append(lid)
            continue
        if len(labels.t) > max_labels:
            complete = False
            break
        _expand(q, adj, labels, lid, push)
    return [labels.path(lid) for lid in results], complete


def best_path(q: Query, weights: tuple[float, float, float]) -> Path | None:
    """The path minimising ``weights · (time, cost, CO2e)`` under the query's constraints."""
    if q.origin in q.banned_nodes or q.destination in q.banned_nodes:
        return None
    if not q.vias and not q.spans:
        return _dijkstra(q, weights)
    if q.vias:  # simple paths: the weighted optimum is on the exact Pareto front
        front, _ = pareto_paths(q)
        wt0, wc0, we0 = weights
        return min(front, key=lambda p: wt0 * p.time_h + wc0 * p.usd + we0 * p.co2_kg, default=None)
    wt, wc, we = weights
    labels = _Labels()
    n_spans = len(q.spans) + 1
    goal = len(q.vias) * n_spans
    done: set[tuple[int, int]] = set()
    best: dict[tuple[int, int], float] = {}
    heap: list[tuple[float, int]] = []

    def push(t: float, c: float, e: float, node: int, state: int, pred: int, arc: int, span: int) -> None:
        key = (node, state)
        score = wt * t + wc * c + we * e
        if key in done or score >= best.get(key, float("inf")) - EPS:
            return
        best[key] = score
        heapq.heappush(heap, (score, labels.add(t, c, e, node, state, pred, arc, span)))

    start = labels.add(0.0, 0.0, 0.0, q.origin, _advance(0, q.origin, q.vias) * n_spans, -1, -1, -1)
    heap.append((0.0, start))
    adj = q.adjacency
    while heap:
        _, lid = heapq.heappop(heap)
        key = (labels.node[lid], labels.state[lid])
        if key in done:
            continue
        done.add(key)
        if key[0] == q.destination and key[1] == goal:
            return labels.path(lid)
        _expand(q, adj, labels, lid, push)
    return None


def _dijkstra(q: Query, weights: tuple[float, float, float]) -> Path | None:
    """Plain node-state Dijkstra for the common case without via points and through-tariffs."""
    wt, wc, we = weights
    adj, banned_n, banned_a, dest = q.adjacency, q.banned_nodes, q.banned_arcs, q.destination
    dist: dict[int, float] = {q.origin: 0.0}
    back: dict[int, tuple[int, Arc]] = {}
    done: set[int] = set()
    heap: list[tuple[float, int]] = [(0.0, q.origin)]
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        if u == dest:
            break
        done.add(u)
        for arc in adj[u]:
            v = arc.head
            if v in done or v in banned_n or arc.id in banned_a:
                continue
            nd = d + wt * arc.time_h + wc * (arc.node_usd + arc.line_usd) + we * arc.co2_kg
            if nd < dist.get(v, float("inf")) - EPS:
                dist[v] = nd
                back[v] = (u, arc)
                heapq.heappush(heap, (nd, v))
    if dest not in back:
        return None
    arcs: list[Arc] = []
    v = dest
    while v != q.origin:
        v, arc = back[v]
        arcs.append(arc)
    arcs.reverse()
    return Path(
        tuple(a.id for a in arcs),
        sum(a.time_h for a in arcs),
        sum(a.node_usd + a.line_usd for a in arcs),
        sum(a.co2_kg for a in arcs),
    )


@dataclass(frozen=True, eq=False)
class TimeIndex:
    """What a time-optimal query on a large network needs, built once per graph.

    ``matrix`` holds the fastest arc between each node pair (CSR) and ``arc_of`` the arc index of
    each entry.  ``to_landmark``/``from_landmark`` hold exact travel times between every node and a
    few landmarks spread over the network (ALT: A*, landmarks, triangle inequality), so
    ``max(d(L, t) − d(L, v), d(v, L) − d(t, L))`` is a consistent lower bound on the time from
    ``v`` to ``t``.
    """

    matrix: csr_matrix
    arc_of: npt.NDArray[np.int64]
    tails: npt.NDArray[np.int64]
    from_landmark: npt.NDArray[np.float64]  # (landmarks, nodes): d(L, v)
    to_landmark: npt.NDArray[np.float64]  # (landmarks, nodes): d(v, L)

    @classmethod
    def build(cls, matrix: csr_matrix, arc_of: npt.NDArray[np.int64], *, landmarks: int = 8) -> TimeIndex:
        n = matrix.shape[0]
        tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
        forward, backward = landmark_distances(matrix, landmarks)
        return cls(matrix, arc_of, tails, forward, backward)

    def lower_bound(self, destination: int) -> npt.NDArray[np.float64]:
        """Lower bounds on the time from every node to ``destination`` (0 where a landmark cannot tell)."""
        h = np.zeros(self.matrix.shape[0])
        with np.errstate(invalid="ignore"):  # inf − inf where a landmark reaches neither node
            for d_from, d_to in zip(self.from_landmark, self.to_landmark, strict=True):
                a = d_from[destination] - d_from  # d(L,t) − d(L,v)
                b = d_to - d_to[destination]  # d(v,L) − d(t,L)
                np.maximum(h, np.where(np.isfinite(a), a, 0.0), out=h)
                np.maximum(h, np.where(np.isfinite(b), b, 0.0), out=h)
        return h


def fastest_path(index: TimeIndex, origin: int, destination: int) -> tuple[float, list[int]] | None:
    """Time-optimal path on a large graph: (time, arc indices) or None if unreachable.

    A* with landmark lower bounds, run as :func:`scipy.sparse.csgraph.dijkstra` on the reduced costs
    ``w(u, v) − h(u) + h(v)``.  scipy's Dijkstra has no target, so it gets a distance ``limit`` that
    doubles until the destination is inside: the search explores the narrow region where the detour
    over the lower bound is small, not the whole network.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    if origin == destination:
        return 0.0, []
    m = index.matrix
    if not m.nnz:
        return None
    h = index.lower_bound(destination)
    reduced = np.maximum(m.data - h[index.tails] + h[m.indices], 1e-12)
    graph = csr_matrix((reduced, m.indices, m.indptr), shape=m.shape)
    limit = max(0.01 * float(h[origin]), float(reduced.mean()))
    total = float(reduced.sum())
    while True:
        dist, pred = dijkstra(graph, directed=True, indices=origin, return_predecessors=True, limit=limit)
        if np.isfinite(dist[destination]):
            break
        if limit > total:
            return None
        limit *= 2.0
    nodes = [destination]
    while nodes[-1] != origin:
        nodes.append(int(pred[nodes[-1]]))
    nodes.reverse()
    arcs, hours = [], 0.0
    for u, v in itertools.pairwise(nodes):
        lo, hi = m.indptr[u], m.indptr[u + 1]
        k = lo + int(np.flatnonzero(m.indices[lo:hi] == v)[0])
        arcs.append(int(index.arc_of[k]))
        hours += float(m.data[k])
    return hours, arcs
