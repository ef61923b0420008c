"""The event loop of one replication, compiled with numba (the model is in ``_rules``).

Shaped like a SimPy model: :func:`run_replication` is a short dispatch loop that pops the next
event and hands it to one handler per event kind (``_codes``: ARRIVAL, READY, SCHED, TIMEOUT,
DEPART, V_HOME, V_FAR, BACKHAUL); a handler that leaves cargo or a vessel at a home berth returns
that service, and the loop lets its next vessel load (:func:`_load_home`).

Everything is arrays, in named groups (``_layout``): a binary heap of events keyed by (time,
sequence), a pool of cohort records with a free list, FIFO berth queues as linked lists, and per
node min-heaps of server release times (a FIFO multi-server queue needs no queue of its own when
arrivals are handled in time order: a cohort starts at ``max(arrival, earliest release)``).
Stages that cannot interact with other cohorts (unlimited-server nodes, link runs) are passed
through at once; an event is scheduled only where order matters (a node with limited servers, a
berth).  Statistics are streamed into fixed arrays; the kernel's scalars live in one counter
array (slots ``N_EVENTS`` … ``OVERFLOW``) so that handlers can update them.

The kernel never grows its arrays: if the pool, the heap or the trace fills up it stops with a
flag and the caller runs the replication again, from the same seed, with twice the room.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

from corridor.sim._codes import (
    ARRIVAL,
    AT_HOME,
    AWAY,
    BACK,
    BACKHAUL,
    DEPART,
    DETERMINISTIC,
    END,
    EXPONENTIAL,
    FILL_OR_TIMEOUT,
    FITS,
    HEAP_FULL,
    HELD,
    N_COUNTERS,
    N_EVENTS,
    N_FREE,
    N_TRACE,
    NODE,
    OUT,
    OVERFLOW,
    POISSON,
    POOL_FULL,
    READY,
    SCHED,
    SCHEDULE,
    SEQ,
    SERIAL,
    SERVICE,
    T_BORN,
    T_DELIVER,
    T_SAIL,
    T_SPLIT,
    T_STAGE,
    TIMEOUT,
    TRACE_COLS,
    TRACE_FULL,
    V_FAR,
    V_HOME,
)  # fmt: skip
from corridor.sim._layout import Fleet, Heap, Lots, Servers, Stats
from corridor.sim._rules import CAT
from corridor.units import HOURS_PER_DAY

F = TypeVar("F", bound=Callable[..., Any])

EPS = 1e-9
PORT_WAIT, SAILING = CAT["port_wait"], CAT["sailing"]


def _jit(func: F) -> F:
    """Compiled and cached, without reference counting: a handler reads its arrays out of groups,
    and numba's counting of each such reference (atomic, per access, in every loop) made the
    handlers 8x slower than the same code in one function.  Such a function must not allocate;
    the few that do are :func:`_alloc` (docs/design/simulation-throughput.md)."""
    return cast(F, numba.njit(cache=True, nogil=True, _nrt=False, forceinline=True)(func))


def _alloc(func: F) -> F:
    """Compiled and cached, with numba's memory management: creates arrays (the kernel's state)."""
    return cast(F, numba.njit(cache=True, nogil=True)(func))


@_jit
def _draw(rng: Any, code: float, a: float, b: float) -> float:
    if code == DETERMINISTIC:
        return a
    if code == EXPONENTIAL:
        return float(rng.exponential(a))
    return math.exp(a + b * rng.standard_normal())


@_jit
def _open_at(t: float, idx: int, off: Any, cl: Any) -> float:
    """The first time at or after ``t`` when node or link ``idx`` (offsets ``off`` of ``cl``) is open."""
    lo, hi = off[idx], off[idx + 1]
    if lo == hi:
        return t
    k = lo + np.searchsorted(cl.end[lo:hi], t, side="right")
    if k < hi and cl.start[k] <= t:
        return float(cl.end[k])
    return t


@_jit
def _busy_until(t: float, hold: float, idx: int, cl: Any) -> float:
    """When a server of node ``idx`` that starts at open time ``t`` has worked ``hold`` open hours
    (a hold pauses while the node is closed, so closures take their share of the capacity)."""
    lo, hi = cl.node_off[idx], cl.node_off[idx + 1]
    k = lo + np.searchsorted(cl.end[lo:hi], t, side="right")
    while k < hi and cl.start[k] < t + hold:
        hold -= max(0.0, cl.start[k] - t)
        t = cl.end[k]
        k += 1
    return t + hold


@_jit
def _next_arrival(rng: Any, t: float, rate: float, code: int, seg_t: Any, seg_f: Any) -> float:
    need = rng.exponential(1.0) if code == POISSON else 1.0
    k = np.searchsorted(seg_t, t, side="right") - 1
    while True:
        r = rate * seg_f[k]
        if r > 0:
            avail = r * (seg_t[k + 1] - t)
            if need <= avail:
                return float(t + need / r)
            need -= avail
        elif math.isinf(seg_t[k + 1]):
            return math.inf
        t = seg_t[k + 1]
        k += 1


@_jit
def _replace_min(heap: Any, lo: int, hi: int, value: float) -> None:
    """Replace the smallest of the min-heap ``heap[lo:hi]`` (at ``lo``) by ``value``.  Servers of a
    pool are interchangeable: only the multiset of release times matters, never which one serves."""
    n = hi - lo
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and heap[lo + c + 1] < heap[lo + c]:
            c += 1
        if value <= heap[lo + c]:
            break
        heap[lo + i] = heap[lo + c]
        i = c
    heap[lo + i] = value


@_alloc
def _hist_quantiles(hist: Any, bin_h: float, qs: Any, out: Any) -> None:
    """Per row of ``hist``: the ``qs`` quantiles into ``out`` (rows, qs), linear within a bin, left
    as they are (NaN) for an empty row — the same arithmetic, in the same order, as
    :func:`corridor.sim._replication.hist_quantiles`."""
    rows, bins = hist.shape
    cum = np.empty(bins)
    for r in range(rows):
        acc = 0.0
        for k in range(bins):
            acc += hist[r, k]
            cum[k] = acc
        if bins == 0 or acc <= 0:
            continue
        for j in range(qs.shape[0]):
            target = qs[j] * acc
            k = min(np.searchsorted(cum, target, side="left"), bins - 1)
            below = cum[k - 1] if k > 0 else 0.0
            frac = (target - below) / hist[r, k] if hist[r, k] > 0 else 0.0
            out[r, j] = (k + frac) * bin_h


@_jit
def _backlog(diff: Any, slot: int, unit: int, a: float, e: float, qty: float, end_h: float) -> None:
    if slot < 0:
        return
    e = min(e, end_h + 1.0)  # still on hand at the last sample (end_h) if it had not left by then
    if e <= a:
        return
    last = diff.shape[2] - 1
    diff[slot, unit, min(int(math.ceil(a / HOURS_PER_DAY)), last)] += qty  # noqa: RUF046 - numba
    diff[slot, unit, min(int(math.ceil(e / HOURS_PER_DAY)), last)] -= qty  # noqa: RUF046 - numba


@_jit
def _overlap(a: float, b: float, lo: float, hi: float) -> float:
    return max(0.0, min(b, hi) - max(a, lo))


@_jit
def _push(h: Heap, c: Any, t: float, kind: int, a: int, b: int) -> None:
    """Schedule event ``kind`` at ``t``; ties in time go in the order they were scheduled."""
    i, seq = c[N_EVENTS], c[SEQ]
    while i > 0:
        p = (i - 1) >> 1
        if h.t[p] < t or (h.t[p] == t and h.seq[p] < seq):
            break
        h.t[i], h.seq[i], h.kind[i], h.a[i], h.b[i] = h.t[p], h.seq[p], h.kind[p], h.a[p], h.b[p]
        i = p
    h.t[i], h.seq[i], h.kind[i], h.a[i], h.b[i] = t, seq, kind, a, b
    c[N_EVENTS] += 1
    c[SEQ] += 1


@_jit
def _pop(h: Heap, c: Any) -> tuple[float, int, int, int]:
    """Remove the earliest event; returns its (time, kind, a, b)."""
    out = h.t[0], h.kind[0], h.a[0], h.b[0]
    c[N_EVENTS] -= 1
    n = c[N_EVENTS]
    t, seq, kind, a, b = h.t[n], h.seq[n], h.kind[n], h.a[n], h.b[n]
    i = 0
    while True:
        k = 2 * i + 1
        if k >= n:
            break
        if k + 1 < n and (h.t[k + 1] < h.t[k] or (h.t[k + 1] == h.t[k] and h.seq[k + 1] < h.seq[k])):
            k += 1
        if t < h.t[k] or (t == h.t[k] and seq < h.seq[k]):
            break
        h.t[i], h.seq[i], h.kind[i], h.a[i], h.b[i] = h.t[k], h.seq[k], h.kind[k], h.a[k], h.b[k]
        i = k
    h.t[i], h.seq[i], h.kind[i], h.a[i], h.b[i] = t, seq, kind, a, b
    return out


@_jit
def _log(trace: Any, c: Any, code: int, who: float, where: float, times: Any, qty: float, extra: float) -> None:
    """One event-log row (code, who, where, arrive, start, leave, qty, extra), if there is room."""
    n = c[N_TRACE]
    if n < trace.shape[0]:
        trace[n, 0], trace[n, 1], trace[n, 2] = code, who, where
        trace[n, 3], trace[n, 4], trace[n, 5], trace[n, 6], trace[n, 7] = times[0], times[1], times[2], qty, extra
        c[N_TRACE] += 1


@_jit
def _both_open(t: float, node: int, link: int, cl: Any) -> float:
    """The first time at or after ``t`` when a port and its sea link are both open."""
    while True:
        t1 = _open_at(_open_at(t, node, cl.node_off, cl), link, cl.link_off, cl)
        if t1 == t:
            return t
        t = t1


@_jit
def _split(lots: Lots, x: int, part: float, pos: int, t: float, trace: Any, c: Any) -> int:
    """A new cohort of ``part`` units split off ``x`` (-1 if the pool is full)."""
    if c[N_FREE] == 0:
        c[OVERFLOW] = POOL_FULL
        return -1
    c[N_FREE] -= 1
    y = lots.free[c[N_FREE]]
    lots.flow[y], lots.qty[y], lots.birth[y], lots.pos[y], lots.tin[y] = (
        lots.flow[x],
        part,
        lots.birth[x],
        pos,
        lots.tin[x],
    )
    lots.alive[y], lots.wait[y], lots.serial[y] = True, True, c[SERIAL]
    c[SERIAL] += 1
    for k in range(lots.acc.shape[1]):
        lots.acc[y, k] = lots.acc[x, k]
    lots.qty[x] -= part
    _log(trace, c, T_SPLIT, lots.serial[y], pos, (t, t, t), part, lots.serial[x])
    return int(y)


@_jit
def _load(qi: int, v: int, cap: float, t: float, lots: Lots, fleet: Fleet, eq: Any, trace: Any, c: Any) -> None:
    """Move cohorts from berth queue ``qi`` (service ``qi // 2``) onto vessel ``v`` up to ``cap``, in
    the service's capacity unit (``eq[flow, service]`` per unit of cargo), splitting the last one."""
    while fleet.q_head[qi] >= 0 and cap - fleet.loaded[v] > EPS:
        x = fleet.q_head[qi]
        room = cap - fleet.loaded[v]
        need = lots.qty[x] * eq[lots.flow[x], qi // 2]
        if need > room + EPS:
            x_load = _split(lots, x, room / eq[lots.flow[x], qi // 2], lots.pos[x], t, trace, c)
            if x_load < 0:
                return
            need = room
        else:
            fleet.q_head[qi] = lots.next[x]
            if fleet.q_head[qi] < 0:
                fleet.q_tail[qi] = -1
            x_load = x
        lots.next[x_load] = -1
        if fleet.tail[v] >= 0:
            lots.next[fleet.tail[v]] = x_load
        else:
            fleet.head[v] = x_load
        fleet.tail[v] = x_load
        fleet.loaded[v] += need


# ---------------------------------------------------------------------------------------------
# cohorts: born, moved along their path, delivered
# ---------------------------------------------------------------------------------------------
@_jit
def _arrive(rng: Any, t: float, f: int, fl: Any, cal: Any, clock: Any, lots: Lots, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """ARRIVAL of flow ``f``: a new cohort record (-1 if the pool is full); the next one is scheduled."""
    if c[N_FREE] == 0:
        c[OVERFLOW] = POOL_FULL
        return -1
    c[N_FREE] -= 1
    lot = lots.free[c[N_FREE]]
    lots.flow[lot], lots.qty[lot], lots.birth[lot], lots.alive[lot], lots.wait[lot] = f, fl.qty[f], t, True, False
    lots.serial[lot] = c[SERIAL]
    c[SERIAL] += 1
    for k in range(lots.acc.shape[1]):
        lots.acc[lot, k] = 0.0
    st.gen[f, 1] += fl.qty[f]
    if t >= clock.warmup_h:
        st.gen[f, 0] += fl.qty[f]
    _log(trace, c, T_BORN, lots.serial[lot], f, (t, t, t), fl.qty[f], 0.0)
    _push(h, c, _next_arrival(rng, t, fl.rate[f], fl.arrival[f], cal.t, cal.f), ARRIVAL, f, 0)
    return int(lot)


@_jit
def _deliver(lot: int, t: float, fl: Any, clock: Any, lots: Lots, st: Stats, trace: Any, c: Any) -> None:
    f, q = lots.flow[lot], lots.qty[lot]
    st.dlv[f, 1] += q
    if lots.birth[lot] >= clock.warmup_h:
        span = t - lots.birth[lot]
        st.dlv[f, 0] += q
        st.tsum[f] += q * span
        st.hist[fl.flow_od[f], min(int(span / clock.bin_h), clock.bins - 1)] += q
        for k in range(clock.n_cat):
            st.stage[f, k] += q * lots.acc[lot, k]
    _log(trace, c, T_DELIVER, lots.serial[lot], -1, (t, t, t), q, 0.0)
    lots.alive[lot] = False
    lots.free[c[N_FREE]] = lot
    c[N_FREE] += 1


@_jit
def _node(rng: Any, t: float, i: int, lot: int, fl: Any, nd: Any, cl: Any, clock: Any, lots: Lots, srv: Servers, st: Stats) -> tuple[float, float]:  # fmt: skip
    """A cohort that reaches node ``i`` at ``t``: when its dwell starts and ends."""
    f = lots.flow[lot]
    dur = _draw(rng, nd.dist[i, 0], nd.dist[i, 1], nd.dist[i, 2])
    start = t
    p = nd.pool[i, fl.unit[f]]
    if nd.c[i, p] > 0:
        lo = srv.off[2 * i + p]
        start = _open_at(max(t, srv.free[lo]), i, cl.node_off, cl)  # the earliest server, once open
        # the server is blocked for κ ≥ 1 times the dwell (open hours; part-trains: their share)
        hold = dur * nd.kappa[i, p] * min(1.0, lots.qty[lot] / fl.full[f])
        _replace_min(srv.free, lo, srv.off[2 * i + p + 1], _busy_until(start, hold, i, cl))
        st.node_busy[i, p] += _overlap(start, start + hold, clock.warmup_h, clock.end_h)  # open hours worked
        if start >= clock.warmup_h and start <= clock.end_h:
            st.node_jobs[i, p] += 1.0
    else:
        start = _open_at(start, i, cl.node_off, cl)
    fin = start + dur
    _backlog(st.backlog, nd.slot[i], fl.unit[f], t, fin, lots.qty[lot], clock.end_h)
    return start, fin


@_jit
def _queue(lot: int, t: float, qi: int, lots: Lots, fleet: Fleet) -> None:
    """The cohort joins berth queue ``qi`` (FIFO)."""
    lots.tin[lot], lots.wait[lot], lots.next[lot] = t, True, -1
    if fleet.q_tail[qi] >= 0:
        lots.next[fleet.q_tail[qi]] = lot
    else:
        fleet.q_head[qi] = lot
    fleet.q_tail[qi] = lot


@_jit
def _must_wait(pos: int, f: int, fl: Any, sg: Any, nd: Any) -> bool:
    """Whether stage ``pos`` of flow ``f`` depends on other cohorts (a berth, or limited servers)."""
    if pos >= fl.stage_off[f + 1]:
        return False
    i = sg.arg[pos]
    return bool(sg.kind[pos] == SERVICE or (sg.kind[pos] == NODE and nd.c[i, nd.pool[i, fl.unit[f]]] > 0))


@_jit
def _move(rng: Any, t: float, lot: int, pos: int, fl: Any, sg: Any, nd: Any, lk: Any, cl: Any, clock: Any, lots: Lots, srv: Servers, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """ARRIVAL or READY: the cohort goes on from stage ``pos`` until it must wait for others; returns
    the service whose berth it joined (its home berth may now load a vessel), else -1."""
    f = lots.flow[lot]
    end_pos = fl.stage_off[f + 1]
    while True:
        if pos == end_pos:
            if t <= clock.end_h:
                _deliver(lot, t, fl, clock, lots, st, trace, c)
            return -1
        lots.pos[lot] = pos
        if sg.kind[pos] == SERVICE:
            _queue(lot, t, 2 * sg.arg[pos] + sg.dir[pos], lots, fleet)
            return int(sg.arg[pos])
        if sg.kind[pos] == NODE:
            start, fin = _node(rng, t, sg.arg[pos], lot, fl, nd, cl, clock, lots, srv, st)
        else:
            j = sg.arg[pos]
            start = _open_at(t, j, cl.link_off, cl)
            fin = start + _draw(rng, lk.dist[j, 0], lk.dist[j, 1], lk.dist[j, 2])
        lots.acc[lot, sg.cat[pos]] += fin - t
        _log(trace, c, T_STAGE, lots.serial[lot], pos, (t, start, fin), lots.qty[lot], 0.0)
        if fin > clock.end_h:
            return -1
        if _must_wait(pos + 1, f, fl, sg, nd):
            _push(h, c, fin, READY, lot, 0)
            return -1
        pos, t = pos + 1, fin


# ---------------------------------------------------------------------------------------------
# vessels: load at home, sail, land, call at the far end, sail back
# ---------------------------------------------------------------------------------------------
@_jit
def _sail(rng: Any, t: float, v: int, d: int, fl: Any, nd: Any, sv: Any, cl: Any, clock: Any, lots: Lots, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> None:  # fmt: skip
    """Vessel ``v`` sails now in direction ``d`` with what is aboard.  Cargo is landed on arrival
    (the port's dwell covers its handling); the vessel is alongside for ``port`` hours before it
    can load again."""
    s = fleet.svc[v]
    home, far = (sv.home[s], sv.far[s]) if d == OUT else (sv.far[s], sv.home[s])
    dist = sv.sail[s] if d == OUT else sv.return_[s]
    t_arr = _open_at(t + _draw(rng, dist[0], dist[1], dist[2]), far, cl.node_off, cl)
    if d == OUT:
        fleet.left[v] = t
    fleet.state[v] = AWAY
    fleet.epoch[v] += 1
    if t >= clock.warmup_h:
        st.sailings[s, d] += 1.0
        st.loaded[s, d] += fleet.loaded[v]
    x = fleet.head[v]
    while x >= 0:
        nx, q, tin = lots.next[x], lots.qty[x], lots.tin[x]
        lots.acc[x, PORT_WAIT] += t - tin
        lots.acc[x, SAILING] += t_arr - t
        _backlog(st.backlog, nd.slot[home], fl.unit[lots.flow[x]], tin, t, q, clock.end_h)
        if t >= clock.warmup_h:
            st.wait_qh[s, d] += q * (t - tin)
            st.wait_q[s, d] += q
        lots.wait[x] = False
        lots.next[x] = -1
        _log(trace, c, T_STAGE, lots.serial[x], lots.pos[x], (tin, t, t_arr), q, 0.0)
        _push(h, c, t_arr, READY, x, 0)
        x = nx
    _log(trace, c, T_SAIL, v, s, (t, t, t_arr), fleet.loaded[v], d)
    fleet.head[v], fleet.tail[v], fleet.loaded[v] = -1, -1, 0.0
    _push(h, c, t_arr + sv.port[s], V_FAR if d == OUT else V_HOME, v, 0)


@_jit
def _timeout(rng: Any, t: float, v: int, epoch: int, fl: Any, nd: Any, sv: Any, cl: Any, clock: Any, lots: Lots, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """TIMEOUT (the wait is over, or the vessel is full): the vessel at the head of its home berth
    leaves — now, or held until the port and the link open.  Returns its service (the next vessel
    loads), or -1 for a stale event."""
    s = fleet.svc[v]
    if fleet.state[v] != AT_HOME or fleet.epoch[v] != epoch or fleet.sv_head[s] != v:
        return -1
    fleet.sv_head[s] = fleet.next[v]
    if fleet.sv_head[s] < 0:
        fleet.sv_tail[s] = -1
    t_open = _both_open(t, sv.home[s], sv.link[s], cl)
    if t_open > t:
        fleet.state[v] = HELD
        _push(h, c, t_open, DEPART, v, fleet.epoch[v])
    else:
        _sail(rng, t, v, OUT, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    return int(s)


@_jit
def _sched(rng: Any, t: float, s: int, fl: Any, nd: Any, sv: Any, cl: Any, clock: Any, lots: Lots, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """SCHED: a scheduled departure of service ``s`` (missed if no vessel is in port); the next one
    is scheduled ``headway`` later."""
    _push(h, c, t + sv.headway[s], SCHED, s, 0)
    v = fleet.sv_head[s]
    if v < 0:
        return -1
    return _timeout(rng, t, v, fleet.epoch[v], fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)


@_jit
def _home(t: float, v: int, clock: Any, fleet: Fleet, st: Stats) -> int:
    """V_HOME: the vessel is back alongside at home and queues to load; returns its service."""
    s = fleet.svc[v]
    st.svc_busy[s] += _overlap(fleet.left[v], t, clock.warmup_h, clock.end_h)
    fleet.state[v], fleet.clock[v], fleet.loaded[v] = AT_HOME, False, 0.0
    fleet.head[v], fleet.tail[v], fleet.next[v] = -1, -1, -1
    if fleet.sv_tail[s] >= 0:
        fleet.next[fleet.sv_tail[s]] = v
    else:
        fleet.sv_head[s] = v
    fleet.sv_tail[s] = v
    return int(s)


@_jit
def _load_home(t: float, s: int, eq: Any, sv: Any, lots: Lots, fleet: Fleet, h: Heap, trace: Any, c: Any) -> None:
    """The vessel at the head of service ``s``'s home berth loads what waits there; under
    fill-or-timeout its wait starts with its first cargo (or cargo waiting at the far end), and it
    leaves at once when full."""
    v = fleet.sv_head[s]
    if v < 0 or fleet.state[v] != AT_HOME:
        return
    cap = sv.cap[s]
    _load(2 * s, v, cap, t, lots, fleet, eq, trace, c)
    if c[OVERFLOW] != FITS or sv.rule[s] != FILL_OR_TIMEOUT:
        return
    if not fleet.clock[v] and (fleet.loaded[v] > 0 or fleet.q_head[2 * s + 1] >= 0):
        fleet.clock[v] = True
        _push(h, c, t + sv.wait[s], TIMEOUT, v, fleet.epoch[v])
    if fleet.loaded[v] >= sv.fill[s] * cap - EPS:
        _push(h, c, t, TIMEOUT, v, fleet.epoch[v])


# ---------------------------------------------------------------------------------------------
# set-up, the dispatch loop, the end of the run
# ---------------------------------------------------------------------------------------------
@_alloc
def _two(n: int) -> Any:
    return np.zeros((n, 2))  # [measured, all], or a column per pool or direction


@_alloc
def _ints(n: int) -> Any:
    return np.zeros(n, dtype=np.int64)


@_alloc
def _none(n: int) -> Any:
    return np.full(n, -1, dtype=np.int64)  # empty links of a linked list


@_alloc
def _flags(n: int) -> Any:
    return np.zeros(n, dtype=np.bool_)


@_alloc
def _new_state(fl: Any, nd: Any, sv: Any, clock: Any, hist: Any) -> tuple[Stats, Lots, Fleet, Servers, Heap]:
    n_f, n_node, n_svc, cap = fl.rate.shape[0], nd.c.shape[0], sv.cap.shape[0], clock.lot_cap
    n_days = int(math.ceil(clock.end_h / HOURS_PER_DAY))  # noqa: RUF046 - numba
    for r in range(hist.shape[0]):  # the caller's buffer, reused: a fresh one is 1.9 MB per replication
        for k in range(hist.shape[1]):
            hist[r, k] = 0.0
    st = Stats(
        _two(n_f), _two(n_f), _two(n_f), np.zeros(n_f), hist,
        np.full((clock.n_ods, clock.quantiles.shape[0]), np.nan), np.zeros((n_f, clock.n_cat)), _two(n_node),
        _two(n_node), _two(n_svc), _two(n_svc), _two(n_svc), _two(n_svc), np.zeros(n_svc),
        np.zeros((max(clock.n_slots, 1), 2, n_days + 2)),
    )  # fmt: skip
    free = np.arange(cap - 1, -1, -1).astype(np.int64)
    lots = Lots(_ints(cap), np.zeros(cap), np.zeros(cap), _ints(cap), np.zeros(cap), _none(cap), _flags(cap),
                _flags(cap), _ints(cap), np.zeros((cap, clock.n_cat)), free)  # fmt: skip
    n_v = int(sv.fleet.sum())
    fleet = Fleet(_ints(n_v), _none(n_v), np.full(n_v, AT_HOME, dtype=np.int64), _ints(n_v), _flags(n_v), np.zeros(n_v),
                  _none(n_v), _none(n_v), np.zeros(n_v), _none(n_svc), _none(n_svc), _none(2 * n_svc), _none(2 * n_svc))  # fmt: skip
    v = 0
    for s in range(n_svc):  # every vessel starts alongside at home, queued in number order
        for _ in range(sv.fleet[s]):
            fleet.svc[v] = s
            if fleet.sv_tail[s] >= 0:
                fleet.next[fleet.sv_tail[s]] = v
            else:
                fleet.sv_head[s] = v
            fleet.sv_tail[s] = v
            v += 1
    off = np.zeros(2 * n_node + 1, dtype=np.int64)
    for k in range(2 * n_node):
        off[k + 1] = off[k] + nd.c[k // 2, k % 2]
    h_cap = cap + 8 * n_v + n_f + n_svc + 64
    heap = Heap(np.zeros(h_cap), _ints(h_cap), _ints(h_cap), _ints(h_cap), _ints(h_cap))
    return st, lots, fleet, Servers(off, np.zeros(off[-1])), heap


@_alloc
def _finish(clock: Any, sg: Any, nd: Any, sv: Any, fl: Any, lots: Lots, fleet: Fleet, st: Stats) -> None:
    """Tally what is still in the system at the end, vessels still away, and the quantiles."""
    for x in range(clock.lot_cap):
        if lots.alive[x]:
            f, q = lots.flow[x], lots.qty[x]
            st.sys[f, 1] += q
            if lots.birth[x] >= clock.warmup_h:
                st.sys[f, 0] += q
            if lots.wait[x]:
                s, d = sg.arg[lots.pos[x]], sg.dir[lots.pos[x]]
                berth = sv.home[s] if d == OUT else sv.far[s]
                _backlog(st.backlog, nd.slot[berth], fl.unit[f], lots.tin[x], clock.end_h + 1.0, q, clock.end_h)
    for v in range(fleet.svc.shape[0]):
        if fleet.state[v] != AT_HOME:
            st.svc_busy[fleet.svc[v]] += _overlap(fleet.left[v], clock.end_h, clock.warmup_h, clock.end_h)
    _hist_quantiles(st.hist, clock.bin_h, clock.quantiles, st.quant)


@_jit
def _depart(rng: Any, t: float, v: int, epoch: int, fl: Any, nd: Any, sv: Any, cl: Any, clock: Any, lots: Lots, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """DEPART: a vessel held by a closure leaves now (unless the event is stale); returns its service."""
    if fleet.state[v] != HELD or fleet.epoch[v] != epoch:
        return -1
    _sail(rng, t, v, OUT, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    return int(fleet.svc[v])


@_jit
def _backhaul(rng: Any, t: float, v: int, fl: Any, nd: Any, sv: Any, cl: Any, clock: Any, lots: Lots, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> None:  # fmt: skip
    """BACKHAUL: the far port and the link are open — load what waits there, up to capacity, and sail back."""
    s = fleet.svc[v]
    _load(2 * s + 1, v, sv.cap[s], t, lots, fleet, fl.eq, trace, c)
    _sail(rng, t, v, BACK, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)


@_jit
def _dispatch(rng: Any, t: float, kind: int, a: int, b: int, fl: Any, sg: Any, nd: Any, lk: Any, sv: Any, cal: Any, cl: Any, clock: Any, lots: Lots, srv: Servers, fleet: Fleet, st: Stats, h: Heap, trace: Any, c: Any) -> int:  # fmt: skip
    """Hand one event to its handler; returns a service whose home berth may load now, else -1."""
    if kind == ARRIVAL:
        lot = _arrive(rng, t, a, fl, cal, clock, lots, st, h, trace, c)
        if lot < 0:
            return -1
        return _move(rng, t, lot, fl.stage_off[a], fl, sg, nd, lk, cl, clock, lots, srv, fleet, st, h, trace, c)
    if kind == READY:
        return _move(rng, t, a, lots.pos[a] + 1, fl, sg, nd, lk, cl, clock, lots, srv, fleet, st, h, trace, c)
    if kind == SCHED:
        return _sched(rng, t, a, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    if kind == TIMEOUT:
        return _timeout(rng, t, a, b, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    if kind == DEPART:
        return _depart(rng, t, a, b, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    if kind == V_HOME:
        return _home(t, a, clock, fleet, st)
    if kind == V_FAR:  # cargo landed: call at the far end once its port and the link are open
        _push(h, c, _both_open(t, sv.far[fleet.svc[a]], sv.link[fleet.svc[a]], cl), BACKHAUL, a, 0)
    elif kind == BACKHAUL:
        _backhaul(rng, t, a, fl, nd, sv, cl, clock, lots, fleet, st, h, trace, c)
    return -1


@_jit
def _start(rng: Any, fl: Any, sv: Any, cal: Any, clock: Any, h: Heap, c: Any) -> None:
    """The first events: each flow's first arrival, each scheduled service's first departure, the end."""
    for f in range(fl.rate.shape[0]):
        if fl.rate[f] > 0:
            _push(h, c, _next_arrival(rng, 0.0, fl.rate[f], fl.arrival[f], cal.t, cal.f), ARRIVAL, f, 0)
    for s in range(sv.cap.shape[0]):
        if sv.rule[s] == SCHEDULE:
            _push(h, c, sv.headway[s], SCHED, s, 0)
    _push(h, c, clock.end_h, END, 0, 0)


@_alloc
def run_replication(rng: Any, fl: Any, sg: Any, nd: Any, lk: Any, sv: Any, cal: Any, cl: Any, clock: Any, hist: Any) -> tuple[int, Stats, Any]:  # fmt: skip
    """One replication of the plan's groups (``_layout.inputs``) under closures ``cl``; returns
    (overflow flag, statistics, event log).  ``hist`` (ODs × bins) is overwritten with the
    replication's door-to-door histogram (``Stats.hist`` is that array)."""
    st, lots, fleet, srv, h = _new_state(fl, nd, sv, clock, hist)
    trace = np.zeros((clock.trace_cap, TRACE_COLS))
    c = np.zeros(N_COUNTERS, dtype=np.int64)
    c[N_FREE] = clock.lot_cap
    _start(rng, fl, sv, cal, clock, h, c)
    room = h.t.shape[0] - 4 * fleet.svc.shape[0] - 16  # what one event may add at most
    while c[N_EVENTS] > 0 and c[OVERFLOW] == FITS:
        t, kind, a, b = _pop(h, c)
        if kind == END:
            break
        if c[N_EVENTS] >= room:
            c[OVERFLOW] = HEAP_FULL
            break
        s = _dispatch(rng, t, kind, a, b, fl, sg, nd, lk, sv, cal, cl, clock, lots, srv, fleet, st, h, trace, c)
        if s >= 0 and c[OVERFLOW] == FITS:
            _load_home(t, s, fl.eq, sv, lots, fleet, h, trace, c)
    if clock.trace_cap > 0 and c[N_TRACE] >= clock.trace_cap:
        c[OVERFLOW] = TRACE_FULL
    _finish(clock, sg, nd, sv, fl, lots, fleet, st)
    return c[OVERFLOW], st, trace[: c[N_TRACE]]
