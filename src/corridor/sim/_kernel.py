"""The event loop of one replication, compiled with numba (the model is in ``_rules``).

Everything is arrays: a binary heap of events keyed by (time, sequence), a pool of cohort records
with a free list, FIFO berth queues as linked lists, and per-node server release times (a FIFO
multi-server queue needs no queue of its own when arrivals are handled in time order: a cohort
starts at ``max(arrival, earliest release)``).  Stages that cannot interact with other cohorts
(unlimited-server nodes, link runs) are passed through at once; an event is scheduled only where
order matters (a node with limited servers, a berth).  Statistics are streamed into fixed arrays.

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
    BACKHAUL,
    DEPART,
    DETERMINISTIC,
    END,
    EXPONENTIAL,
    FILL_OR_TIMEOUT,
    FITS,
    HEAP_FULL,
    HELD,
    NODE,
    OUT,
    POISSON,
    POOL_FULL,
    READY,
    SCHED,
    SCHEDULE,
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
from corridor.sim._rules import CAT
from corridor.units import HOURS_PER_DAY

F = TypeVar("F", bound=Callable[..., Any])

EPS = 1e-9
PORT_WAIT, SAILING = CAT["port_wait"], CAT["sailing"]


def _jit(func: F) -> F:
    return cast(F, numba.njit(cache=True, nogil=True)(func))


@_jit
def _draw(rng: Any, code: float, a: float, b: float) -> float:
    if code == DETERMINISTIC:
        return a
    if code == EXPONENTIAL:
        return float(rng.exponential(a))
    return math.exp(a + b * rng.standard_normal())


@_jit
def _open_at(t: float, idx: int, off: Any, cs: Any, ce: Any) -> float:
    lo, hi = off[idx], off[idx + 1]
    if lo == hi:
        return t
    k = lo + np.searchsorted(ce[lo:hi], t, side="right")
    if k < hi and cs[k] <= t:
        return float(ce[k])
    return t


@_jit
def _busy_until(t: float, hold: float, idx: int, off: Any, cs: Any, ce: Any) -> float:
    """When a server of node ``idx`` that starts at open time ``t`` has worked ``hold`` open hours
    (a hold pauses while the node is closed, so closures take their share of the capacity)."""
    lo, hi = off[idx], off[idx + 1]
    k = lo + np.searchsorted(ce[lo:hi], t, side="right")
    while k < hi and cs[k] < t + hold:
        hold -= max(0.0, cs[k] - t)
        t = ce[k]
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
def _push(ht: Any, hs: Any, hk: Any, ha: Any, hb: Any, n: int, t: float, seq: int, kind: int, a: int, b: int) -> int:
    i = n
    while i > 0:
        p = (i - 1) >> 1
        if ht[p] < t or (ht[p] == t and hs[p] < seq):
            break
        ht[i], hs[i], hk[i], ha[i], hb[i] = ht[p], hs[p], hk[p], ha[p], hb[p]
        i = p
    ht[i], hs[i], hk[i], ha[i], hb[i] = t, seq, kind, a, b
    return n + 1


@_jit
def _pop(ht: Any, hs: Any, hk: Any, ha: Any, hb: Any, n: int) -> int:
    """Remove the root (the caller has read it); returns the new size."""
    n -= 1
    t, seq, kind, a, b = ht[n], hs[n], hk[n], ha[n], hb[n]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and (ht[c + 1] < ht[c] or (ht[c + 1] == ht[c] and hs[c + 1] < hs[c])):
            c += 1
        if t < ht[c] or (t == ht[c] and seq < hs[c]):
            break
        ht[i], hs[i], hk[i], ha[i], hb[i] = ht[c], hs[c], hk[c], ha[c], hb[c]
        i = c
    ht[i], hs[i], hk[i], ha[i], hb[i] = t, seq, kind, a, b
    return n


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


@_jit
def _hist_quantiles(hist: Any, bin_h: float, qs: Any) -> Any:
    """Per row of ``hist``: the ``qs`` quantiles, linear within a bin, NaN for an empty row — the
    same arithmetic, in the same order, as :func:`corridor.sim._replication.hist_quantiles`."""
    rows, bins = hist.shape
    out = np.full((rows, qs.shape[0]), np.nan)
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
    return out


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
def _load(
    qi: int, v: int, cap: float, t: float,
    q_head: Any, q_tail: Any, l_next: Any, l_qty: Any, l_od: Any, od_eq: Any, l_birth: Any, l_pos: Any,
    l_tin: Any, l_alive: Any, l_wait: Any, l_serial: Any, l_acc: Any, free: Any,
    v_head: Any, v_tail: Any, v_loaded: Any, trace: Any, counters: Any,
) -> None:  # fmt: skip
    """Move cohorts from berth queue ``qi`` (service ``qi // 2``) onto vessel ``v`` up to ``cap``, in
    the service's capacity unit (``od_eq[flow, service]`` per unit of cargo), splitting the last one.

    ``counters`` holds [free cohorts, next serial, trace rows, overflow flag].
    """
    while q_head[qi] >= 0 and cap - v_loaded[v] > EPS:
        x = q_head[qi]
        room = cap - v_loaded[v]
        need = l_qty[x] * od_eq[l_od[x], qi // 2]
        if need > room + EPS:
            if counters[0] == 0:
                counters[3] = POOL_FULL
                return
            counters[0] -= 1
            y = free[counters[0]]
            part = room / od_eq[l_od[x], qi // 2]
            l_od[y], l_qty[y], l_birth[y], l_pos[y], l_tin[y] = l_od[x], part, l_birth[x], l_pos[x], l_tin[x]
            l_alive[y], l_wait[y], l_serial[y] = True, True, counters[1]
            counters[1] += 1
            l_acc[y, :] = l_acc[x, :]
            l_qty[x] -= part
            need = room
            x_load = y
            n = counters[2]
            if n < trace.shape[0]:
                trace[n, 0], trace[n, 1], trace[n, 2], trace[n, 3] = T_SPLIT, l_serial[y], l_pos[x], t
                trace[n, 4], trace[n, 5], trace[n, 6], trace[n, 7] = t, t, part, l_serial[x]
                counters[2] += 1
        else:
            q_head[qi] = l_next[x]
            if q_head[qi] < 0:
                q_tail[qi] = -1
            x_load = x
        l_next[x_load] = -1
        if v_tail[v] >= 0:
            l_next[v_tail[v]] = x_load
        else:
            v_head[v] = x_load
        v_tail[v] = x_load
        v_loaded[v] += need


@_jit
def run_replication(
    rng: Any,
    od_rate: Any, od_qty: Any, od_full: Any, od_unit: Any, od_eq: Any, od_arrival: Any, od_off: Any, flow_od: Any,
    n_ods: int,
    st_kind: Any, st_arg: Any, st_dir: Any, st_cat: Any,
    node_c: Any, node_pool: Any, node_kappa: Any, node_dist: Any, node_slot: Any, link_dist: Any,
    svc_home: Any, svc_far: Any, svc_link: Any, svc_fleet: Any, svc_cap: Any, svc_fill: Any,
    svc_rule: Any, svc_wait: Any, svc_headway: Any, svc_port: Any, svc_sail: Any, svc_return: Any,
    seg_t: Any, seg_f: Any,
    cl_node_off: Any, cl_link_off: Any, cl_s: Any, cl_e: Any,
    warmup_h: float, end_h: float, bin_h: float, bins: int, quantiles: Any, n_cat: int, n_slots: int,
    lot_cap: int, trace_cap: int,
) -> Any:  # fmt: skip
    n_od, n_node, n_svc = od_rate.shape[0], node_c.shape[0], svc_cap.shape[0]
    n_days = int(math.ceil(end_h / HOURS_PER_DAY))  # noqa: RUF046 - numba
    # --- outputs ---
    gen = np.zeros((n_od, 2))  # [measured, all]
    dlv = np.zeros((n_od, 2))
    sys_ = np.zeros((n_od, 2))
    tsum = np.zeros(n_od)
    hist = np.zeros((n_ods, bins))  # per origin-destination, not per path: that is what is reported
    stage = np.zeros((n_od, n_cat))
    node_busy = np.zeros((n_node, 2))
    node_jobs = np.zeros((n_node, 2))
    sailings = np.zeros((n_svc, 2))
    loaded = np.zeros((n_svc, 2))
    wait_qh = np.zeros((n_svc, 2))
    wait_q = np.zeros((n_svc, 2))
    svc_busy = np.zeros(n_svc)
    backlog = np.zeros((max(n_slots, 1), 2, n_days + 2))
    trace = np.zeros((trace_cap, TRACE_COLS))
    n_trace = 0
    # --- node servers ---
    # servers of pool p of node i: srv_free[srv_off[2 * i + p] : srv_off[2 * i + p + 1]]
    srv_off = np.zeros(2 * n_node + 1, dtype=np.int64)
    for i in range(n_node):
        for p in range(2):
            srv_off[2 * i + p + 1] = srv_off[2 * i + p] + node_c[i, p]
    srv_free = np.zeros(srv_off[2 * n_node])
    # --- vessels ---
    v_off = np.zeros(n_svc + 1, dtype=np.int64)
    for s in range(n_svc):
        v_off[s + 1] = v_off[s] + svc_fleet[s]
    n_v = v_off[n_svc]
    v_svc = np.zeros(n_v, dtype=np.int64)
    v_next = np.full(n_v, -1, dtype=np.int64)
    v_state = np.full(n_v, AT_HOME, dtype=np.int64)  # AT_HOME, HELD (waiting for a port to open), AWAY
    v_epoch = np.zeros(n_v, dtype=np.int64)
    v_clock = np.zeros(n_v, dtype=np.bool_)
    v_loaded = np.zeros(n_v)
    v_head = np.full(n_v, -1, dtype=np.int64)
    v_tail = np.full(n_v, -1, dtype=np.int64)
    v_left = np.zeros(n_v)
    sv_head = np.full(n_svc, -1, dtype=np.int64)
    sv_tail = np.full(n_svc, -1, dtype=np.int64)
    for s in range(n_svc):
        for v in range(v_off[s], v_off[s + 1]):
            v_svc[v] = s
            if sv_tail[s] >= 0:
                v_next[sv_tail[s]] = v
            else:
                sv_head[s] = v
            sv_tail[s] = v
    q_head = np.full(2 * n_svc, -1, dtype=np.int64)
    q_tail = np.full(2 * n_svc, -1, dtype=np.int64)
    # --- cohort pool ---
    l_od = np.zeros(lot_cap, dtype=np.int64)
    l_qty = np.zeros(lot_cap)
    l_birth = np.zeros(lot_cap)
    l_pos = np.zeros(lot_cap, dtype=np.int64)
    l_tin = np.zeros(lot_cap)
    l_next = np.full(lot_cap, -1, dtype=np.int64)
    l_wait = np.zeros(lot_cap, dtype=np.bool_)
    l_alive = np.zeros(lot_cap, dtype=np.bool_)
    l_serial = np.zeros(lot_cap, dtype=np.int64)
    l_acc = np.zeros((lot_cap, n_cat))
    free = np.arange(lot_cap - 1, -1, -1).astype(np.int64)
    n_free = lot_cap
    serial = 0
    # --- events ---
    h_cap = lot_cap + 8 * n_v + n_od + n_svc + 64
    ht = np.zeros(h_cap)
    hs = np.zeros(h_cap, dtype=np.int64)
    hk = np.zeros(h_cap, dtype=np.int64)
    ha = np.zeros(h_cap, dtype=np.int64)
    hb = np.zeros(h_cap, dtype=np.int64)
    nh = 0
    seq = 0
    overflow = FITS
    counters = np.zeros(4, dtype=np.int64)

    for f in range(n_od):
        if od_rate[f] > 0:
            nh = _push(
                ht,
                hs,
                hk,
                ha,
                hb,
                nh,
                _next_arrival(rng, 0.0, od_rate[f], od_arrival[f], seg_t, seg_f),
                seq,
                ARRIVAL,
                f,
                0,
            )
            seq += 1
    for s in range(n_svc):
        if svc_rule[s] == SCHEDULE:
            nh = _push(ht, hs, hk, ha, hb, nh, svc_headway[s], seq, SCHED, s, 0)
            seq += 1
    nh = _push(ht, hs, hk, ha, hb, nh, end_h, seq, END, 0, 0)
    seq += 1

    while nh > 0 and overflow == FITS:
        t, kind, a, b = ht[0], hk[0], ha[0], hb[0]
        nh = _pop(ht, hs, hk, ha, hb, nh)
        if kind == END:
            break
        if nh + 4 * n_v + 16 >= h_cap:
            overflow = HEAP_FULL
            break
        lot = -1
        pos = 0
        if kind == ARRIVAL:
            f = a
            if n_free == 0:
                overflow = POOL_FULL
                break
            n_free -= 1
            lot = free[n_free]
            l_od[lot], l_qty[lot], l_birth[lot], l_alive[lot], l_wait[lot] = f, od_qty[f], t, True, False
            l_serial[lot] = serial
            serial += 1
            l_acc[lot, :] = 0.0
            pos = od_off[f]
            gen[f, 1] += od_qty[f]
            if t >= warmup_h:
                gen[f, 0] += od_qty[f]
            if n_trace < trace_cap:
                trace[n_trace, 0], trace[n_trace, 1], trace[n_trace, 2] = T_BORN, l_serial[lot], f
                trace[n_trace, 3], trace[n_trace, 4], trace[n_trace, 5], trace[n_trace, 6] = t, t, t, od_qty[f]
                n_trace += 1
            nxt = _next_arrival(rng, t, od_rate[f], od_arrival[f], seg_t, seg_f)
            nh = _push(ht, hs, hk, ha, hb, nh, nxt, seq, ARRIVAL, f, 0)
            seq += 1
        elif kind == READY:
            lot = a
            pos = l_pos[lot] + 1
        elif kind == SCHED:
            s = a
            nh = _push(ht, hs, hk, ha, hb, nh, t + svc_headway[s], seq, SCHED, s, 0)
            seq += 1
            if sv_head[s] < 0:
                continue  # no vessel in port: this departure is missed
            a = sv_head[s]
            b = v_epoch[a]
            kind = TIMEOUT
        elif kind == V_HOME:
            v = a
            s = v_svc[v]
            svc_busy[s] += _overlap(v_left[v], t, warmup_h, end_h)
            v_state[v], v_clock[v], v_loaded[v], v_head[v], v_tail[v], v_next[v] = AT_HOME, False, 0.0, -1, -1, -1
            if sv_tail[s] >= 0:
                v_next[sv_tail[s]] = v
            else:
                sv_head[s] = v
            sv_tail[s] = v
        elif kind == V_FAR:
            v = a
            s = v_svc[v]
            far, link = svc_far[s], svc_link[s]
            tt = t
            while True:
                t1 = _open_at(_open_at(tt, far, cl_node_off, cl_s, cl_e), link, cl_link_off, cl_s, cl_e)
                if t1 == tt:
                    break
                tt = t1
            nh = _push(ht, hs, hk, ha, hb, nh, tt, seq, BACKHAUL, v, 0)
            seq += 1
            continue

        # ---------- departures: TIMEOUT (or SCHED turned TIMEOUT), DEPART, BACKHAUL ----------
        if kind in (TIMEOUT, DEPART, BACKHAUL):
            v = a
            s = v_svc[v]
            d = 0
            if kind == TIMEOUT:
                if v_state[v] != AT_HOME or v_epoch[v] != b or sv_head[s] != v:
                    continue
                sv_head[s] = v_next[v]
                if sv_head[s] < 0:
                    sv_tail[s] = -1
                tt = t
                while True:
                    t1 = _open_at(
                        _open_at(tt, svc_home[s], cl_node_off, cl_s, cl_e), svc_link[s], cl_link_off, cl_s, cl_e
                    )
                    if t1 == tt:
                        break
                    tt = t1
                if tt > t:
                    v_state[v] = HELD
                    nh = _push(ht, hs, hk, ha, hb, nh, tt, seq, DEPART, v, v_epoch[v])
                    seq += 1
                    kind = V_HOME  # fall through to loading the next vessel
                else:
                    kind = DEPART
            elif kind == DEPART:
                if v_state[v] != HELD or v_epoch[v] != b:
                    continue
            else:  # BACKHAUL: load what waits at the far end, up to capacity
                d = 1
                counters[0], counters[1], counters[2] = n_free, serial, n_trace
                _load(
                    2 * s + 1, v, svc_cap[s], t, q_head, q_tail, l_next, l_qty, l_od, od_eq, l_birth, l_pos,
                    l_tin, l_alive, l_wait, l_serial, l_acc, free, v_head, v_tail, v_loaded, trace, counters,
                )  # fmt: skip
                n_free, serial, n_trace, overflow = counters[0], counters[1], counters[2], counters[3]
                kind = DEPART
            if kind == DEPART:
                # sail now with what is aboard, in direction d
                home, far = (svc_home[s], svc_far[s]) if d == OUT else (svc_far[s], svc_home[s])
                dist = svc_sail[s] if d == OUT else svc_return[s]
                # cargo is landed on arrival (the port's dwell covers its handling); the vessel is
                # alongside for port_h before it can load again
                t_arr = _open_at(t + _draw(rng, dist[0], dist[1], dist[2]), far, cl_node_off, cl_s, cl_e)
                if d == OUT:
                    v_left[v] = t
                v_state[v] = AWAY
                v_epoch[v] += 1
                if t >= warmup_h:
                    sailings[s, d] += 1.0
                    loaded[s, d] += v_loaded[v]
                x = v_head[v]
                while x >= 0:
                    nx = l_next[x]
                    q = l_qty[x]
                    l_acc[x, PORT_WAIT] += t - l_tin[x]
                    l_acc[x, SAILING] += t_arr - t
                    _backlog(backlog, node_slot[home], od_unit[l_od[x]], l_tin[x], t, q, end_h)
                    if t >= warmup_h:
                        wait_qh[s, d] += q * (t - l_tin[x])
                        wait_q[s, d] += q
                    l_wait[x] = False
                    l_next[x] = -1
                    if n_trace < trace_cap:
                        trace[n_trace, 0], trace[n_trace, 1], trace[n_trace, 2] = T_STAGE, l_serial[x], l_pos[x]
                        trace[n_trace, 3], trace[n_trace, 4], trace[n_trace, 5], trace[n_trace, 6] = (
                            l_tin[x],
                            t,
                            t_arr,
                            q,
                        )
                        n_trace += 1
                    nh = _push(ht, hs, hk, ha, hb, nh, t_arr, seq, READY, x, 0)
                    seq += 1
                    x = nx
                if n_trace < trace_cap:
                    trace[n_trace, 0], trace[n_trace, 1], trace[n_trace, 2], trace[n_trace, 7] = T_SAIL, v, s, d
                    trace[n_trace, 3], trace[n_trace, 4], trace[n_trace, 5], trace[n_trace, 6] = (
                        t,
                        t,
                        t_arr,
                        v_loaded[v],
                    )
                    n_trace += 1
                v_head[v], v_tail[v], v_loaded[v] = -1, -1, 0.0
                nh = _push(ht, hs, hk, ha, hb, nh, t_arr + svc_port[s], seq, V_FAR if d == OUT else V_HOME, v, 0)
                seq += 1
                if d != OUT:
                    continue
                kind = V_HOME  # the next vessel in line starts loading

        # ---------- a cohort moves on along its path until it must wait for others ----------
        if lot >= 0:
            f = l_od[lot]
            end_pos = od_off[f + 1]
            tt = t
            while True:
                if pos == end_pos:
                    if tt <= end_h:
                        q = l_qty[lot]
                        dlv[f, 1] += q
                        if l_birth[lot] >= warmup_h:
                            span = tt - l_birth[lot]
                            dlv[f, 0] += q
                            tsum[f] += q * span
                            hist[flow_od[f], min(int(span / bin_h), bins - 1)] += q
                            for c in range(n_cat):
                                stage[f, c] += q * l_acc[lot, c]
                        if n_trace < trace_cap:
                            trace[n_trace, 0], trace[n_trace, 1], trace[n_trace, 2] = T_DELIVER, l_serial[lot], -1
                            trace[n_trace, 3], trace[n_trace, 4], trace[n_trace, 5], trace[n_trace, 6] = tt, tt, tt, q
                            n_trace += 1
                        l_alive[lot] = False
                        free[n_free] = lot
                        n_free += 1
                    break
                k = st_kind[pos]
                l_pos[lot] = pos
                if k == SERVICE:  # join the berth queue
                    s, d = st_arg[pos], st_dir[pos]
                    qi = 2 * s + d
                    l_tin[lot], l_wait[lot], l_next[lot] = tt, True, -1
                    if q_tail[qi] >= 0:
                        l_next[q_tail[qi]] = lot
                    else:
                        q_head[qi] = lot
                    q_tail[qi] = lot
                    kind = V_HOME  # load at home, or call a vessel over for cargo at the far end
                    break
                if k == NODE:
                    i = st_arg[pos]
                    dur = _draw(rng, node_dist[i, 0], node_dist[i, 1], node_dist[i, 2])
                    start = tt
                    p = node_pool[i, od_unit[f]]
                    if node_c[i, p] > 0:
                        lo = srv_off[2 * i + p]
                        start = max(tt, srv_free[lo])  # the pool's servers are a min-heap of release times
                        start = _open_at(start, i, cl_node_off, cl_s, cl_e)
                        # the server is blocked for κ ≥ 1 times the dwell (open hours; part-trains: their share)
                        hold = dur * node_kappa[i, p] * min(1.0, l_qty[lot] / od_full[f])
                        _replace_min(
                            srv_free, lo, srv_off[2 * i + p + 1], _busy_until(start, hold, i, cl_node_off, cl_s, cl_e)
                        )
                        node_busy[i, p] += _overlap(start, start + hold, warmup_h, end_h)  # open hours worked
                        if start >= warmup_h and start <= end_h:
                            node_jobs[i, p] += 1.0
                    else:
                        start = _open_at(start, i, cl_node_off, cl_s, cl_e)
                    fin = start + dur
                    _backlog(backlog, node_slot[i], od_unit[f], tt, fin, l_qty[lot], end_h)
                else:
                    j = st_arg[pos]
                    start = _open_at(tt, j, cl_link_off, cl_s, cl_e)
                    fin = start + _draw(rng, link_dist[j, 0], link_dist[j, 1], link_dist[j, 2])
                l_acc[lot, st_cat[pos]] += fin - tt
                if n_trace < trace_cap:
                    trace[n_trace, 0], trace[n_trace, 1], trace[n_trace, 2] = T_STAGE, l_serial[lot], pos
                    trace[n_trace, 3], trace[n_trace, 4], trace[n_trace, 5], trace[n_trace, 6] = (
                        tt,
                        start,
                        fin,
                        l_qty[lot],
                    )
                    n_trace += 1
                if fin > end_h:
                    break
                nxt = pos + 1
                if nxt < end_pos and (
                    st_kind[nxt] == SERVICE
                    or (st_kind[nxt] == NODE and node_c[st_arg[nxt], node_pool[st_arg[nxt], od_unit[f]]] > 0)
                ):
                    nh = _push(ht, hs, hk, ha, hb, nh, fin, seq, READY, lot, 0)
                    seq += 1
                    break
                pos = nxt
                tt = fin
            if kind != V_HOME:
                continue
            s = st_arg[l_pos[lot]]
        else:
            s = v_svc[a] if kind == V_HOME else 0

        # ---------- loading at the home berth of service s ----------
        while kind == V_HOME:
            v = sv_head[s]
            qi = 2 * s
            if v < 0 or v_state[v] != AT_HOME:
                break
            cap = svc_cap[s]
            counters[0], counters[1], counters[2] = n_free, serial, n_trace
            _load(
                qi, v, cap, t, q_head, q_tail, l_next, l_qty, l_od, od_eq, l_birth, l_pos,
                l_tin, l_alive, l_wait, l_serial, l_acc, free, v_head, v_tail, v_loaded, trace, counters,
            )  # fmt: skip
            n_free, serial, n_trace, overflow = counters[0], counters[1], counters[2], counters[3]
            if overflow:
                break
            if svc_rule[s] != FILL_OR_TIMEOUT:
                break
            if not v_clock[v] and (v_loaded[v] > 0 or q_head[qi + 1] >= 0):
                v_clock[v] = True
                nh = _push(ht, hs, hk, ha, hb, nh, t + svc_wait[s], seq, TIMEOUT, v, v_epoch[v])
                seq += 1
            if v_loaded[v] < svc_fill[s] * cap - EPS:
                break
            # full: this vessel leaves now (or when the port opens); the next one loads
            nh = _push(ht, hs, hk, ha, hb, nh, t, seq, TIMEOUT, v, v_epoch[v])
            seq += 1
            break

    if trace_cap > 0 and n_trace >= trace_cap:
        overflow = TRACE_FULL
    # ---------- what is still in the system ----------
    for x in range(lot_cap):
        if l_alive[x]:
            f = l_od[x]
            sys_[f, 1] += l_qty[x]
            if l_birth[x] >= warmup_h:
                sys_[f, 0] += l_qty[x]
            if l_wait[x]:
                s, d = st_arg[l_pos[x]], st_dir[l_pos[x]]
                berth = svc_home[s] if d == OUT else svc_far[s]
                _backlog(backlog, node_slot[berth], od_unit[f], l_tin[x], end_h + 1.0, l_qty[x], end_h)
    for v in range(n_v):
        if v_state[v] != AT_HOME:
            svc_busy[v_svc[v]] += _overlap(v_left[v], end_h, warmup_h, end_h)
    return (
        overflow, gen, dlv, sys_, tsum, hist, _hist_quantiles(hist, bin_h, quantiles), stage, node_busy, node_jobs,
        sailings, loaded, wait_qh, wait_q, svc_busy, backlog, trace[:n_trace],
    )  # fmt: skip
