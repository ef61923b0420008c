"""The kernel's inputs and outputs as named groups of arrays (``NamedTuple``\\ s, which numba compiles
to plain structs: a field is read as fast as a separate argument).

Each input group takes its arrays from the :class:`~corridor.sim._plan.Plan` by name — field ``x`` of
a group with prefix ``p`` is ``plan.p_x`` (or ``plan.x``) — so the kernel's argument order is derived
from these declarations, never written out by hand.  The kernel's figures come back as one
:class:`Stats` (which :class:`~corridor.sim._replication.Raw` carries on, with the event log).
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from corridor.sim._plan import Plan
from corridor.sim._rules import CATEGORIES

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B8 = NDArray[np.bool_]


class Flows(NamedTuple):
    """Per kernel flow (an OD's share on one path): ``plan.od_*`` and ``plan.flow_od``."""

    rate: F64  # cohorts per hour at calendar factor 1
    qty: F64  # per cohort
    full: F64  # a full cohort (train) of the flow's cargo class
    unit: I64  # 0 containers, 1 bulk
    eq: F64  # (flows, services): capacity units of the service one unit of the flow uses
    arrival: I64  # POISSON | REGULAR
    stage_off: I64  # the flow's stages: st_*[stage_off[f] : stage_off[f + 1]]
    flow_od: I64  # the OD it belongs to (histograms are kept per OD)


class Stages(NamedTuple):
    """Per stage of every path: ``plan.st_*``."""

    kind: I64  # NODE | MOVE | SERVICE
    arg: I64  # node, link or service index
    dir: I64  # OUT | BACK (services)
    cat: I64  # the stage's category (``CATEGORIES``)


class Nodes(NamedTuple):
    """Per node: ``plan.node_*``; pools are 0 containers / 1 bulk."""

    c: I64  # (n, 2): servers of each pool (0 = unlimited)
    pool: I64  # (n, 2): pool used by containers and by bulk
    kappa: F64  # (n, 2): a full cohort holds a server for κ ≥ 1 times its dwell
    dist: F64  # (n, 3): distribution code, a, b
    slot: I64  # backlog slot (-1: not recorded)


class Links(NamedTuple):
    """Per link: ``plan.link_*``."""

    dist: F64  # (m, 3)


class Services(NamedTuple):
    """Per service: ``plan.svc_*``."""

    home: I64
    far: I64
    link: I64
    fleet: I64
    cap: F64  # per sailing, in the service's capacity unit
    fill: F64  # share of ``cap`` at which a vessel leaves at once
    rule: I64  # FILL_OR_TIMEOUT | SCHEDULE
    wait: F64  # hours a loading vessel waits for more cargo
    headway: F64  # hours between scheduled departures
    port: F64  # hours alongside after arriving
    sail: F64  # (s, 3) outbound sailing time distribution
    return_: F64  # (s, 3) return sailing time distribution (``plan.svc_return``)


class Calendar(NamedTuple):
    """The demand calendar: ``plan.seg_*`` (rate factor ``f[k]`` on ``[t[k], t[k + 1])``)."""

    t: F64
    f: F64


class Closed(NamedTuple):
    """Closed intervals of one replication (:class:`~corridor.sim._closures.Episodes`, CSR)."""

    node_off: I64
    link_off: I64
    start: F64
    end: F64


class Clock(NamedTuple):
    """Scalars of the run and the room the kernel may use."""

    warmup_h: float
    end_h: float
    bin_h: float
    bins: int
    quantiles: F64  # per-replication quantiles of the door-to-door histograms
    n_ods: int
    n_cat: int
    n_slots: int
    lot_cap: int  # cohort records in the pool
    trace_cap: int  # event-log rows (0: no log)


class Stats(NamedTuple):
    """What one replication measured: the one declaration of these figures (``Raw.stats``)."""

    gen: F64  # (flows, 2) quantity generated: [measured window, whole run]
    dlv: F64  # (flows, 2) delivered
    sys: F64  # (flows, 2) still in the system at the end
    tsum: F64  # (flows,) measured quantity × door-to-door hours
    hist: F64  # (ods, bins) quantity delivered per bin of door-to-door hours, per origin-destination
    quant: F64  # (ods, quantiles) of ``hist``, as ``_replication.hist_quantiles`` computes them
    stage: F64  # (flows, categories) quantity-hours
    node_busy: F64  # (nodes, pools) server-hours worked in the measured window
    node_jobs: F64  # (nodes, pools)
    sailings: F64  # (services, directions)
    loaded: F64  # (services, directions)
    wait_qh: F64  # (services, directions) quantity-hours waited at the berth
    wait_q: F64  # (services, directions)
    svc_busy: F64  # (services,) vessel-hours away from home
    backlog: (
        F64  # (slots, units, days) daily changes in the kernel; quantity on hand per measured day after ``run_one``
    )


G = TypeVar("G", Flows, Stages, Nodes, Links, Services, Calendar)

#: Each input group and the prefix of its arrays in the plan.
PREFIX: dict[type[Any], str] = {
    Flows: "od_",
    Stages: "st_",
    Nodes: "node_",
    Links: "link_",
    Services: "svc_",
    Calendar: "seg_",
}


def from_plan(group: type[G], plan: Plan) -> G:
    """The group's arrays, taken from the plan by name (a trailing ``_`` avoids a keyword)."""
    prefix = PREFIX[group]
    names = [name.rstrip("_") for name in group._fields]
    return group(*(getattr(plan, prefix + n) if hasattr(plan, prefix + n) else getattr(plan, n) for n in names))


def inputs(plan: Plan) -> tuple[Flows, Stages, Nodes, Links, Services, Calendar]:
    """The plan's arrays in the kernel's argument order."""
    return (
        from_plan(Flows, plan),
        from_plan(Stages, plan),
        from_plan(Nodes, plan),
        from_plan(Links, plan),
        from_plan(Services, plan),
        from_plan(Calendar, plan),
    )


def clock(plan: Plan, quantiles: tuple[float, ...], lot_cap: int, trace_cap: int) -> Clock:
    return Clock(
        warmup_h=plan.warmup_h,
        end_h=plan.end_h,
        bin_h=plan.bin_h,
        bins=plan.bins,
        quantiles=np.array(quantiles, dtype=float),
        n_ods=len(plan.ods),
        n_cat=len(CATEGORIES),
        n_slots=len(plan.slot_nodes),
        lot_cap=lot_cap,
        trace_cap=trace_cap,
    )


# --- the kernel's own state (built inside the kernel) ---
class Heap(NamedTuple):
    """Pending events: a binary heap keyed by (time, sequence); ``a``/``b`` as in ``_codes``."""

    t: F64
    seq: I64
    kind: I64
    a: I64
    b: I64


class Lots(NamedTuple):
    """The cohort pool: one record per cohort on the move, recycled through the ``free`` stack."""

    flow: I64
    qty: F64
    birth: F64
    pos: I64  # the stage it is at
    tin: F64  # when it joined a berth queue
    next: I64  # the next cohort in its berth queue or vessel (-1: none)
    wait: B8  # in a berth queue
    alive: B8
    serial: I64  # its number in the event log
    acc: F64  # (lots, categories): hours spent per category
    free: I64


class Fleet(NamedTuple):
    """Vessels (per vessel), the vessels queued at each home berth, and the berth queues of cargo."""

    svc: I64
    next: I64  # the next vessel queued at home
    state: I64  # AT_HOME | HELD | AWAY
    epoch: I64  # bumped at each departure: stale TIMEOUT/DEPART events are ignored
    clock: B8  # its wait-for-cargo timeout is set
    loaded: F64
    head: I64  # cargo aboard (a linked list of cohorts)
    tail: I64
    left: F64  # when it last left home
    sv_head: I64  # (services): vessels queued at home
    sv_tail: I64
    q_head: I64  # (2 × services): cohorts waiting at the berth, home (2s) and far (2s + 1)
    q_tail: I64


class Servers(NamedTuple):
    """Servers of pool p of node i: ``free[off[2i + p] : off[2i + p + 1]]``, a min-heap of release times."""

    off: I64
    free: F64
