"""From a network, a demand set and the rules to the arrays the kernel runs on (a :class:`Plan`).

The readable model is :mod:`corridor.sim._rules`; this module checks the inputs (collecting every
problem), splits each origin–destination flow across its paths (:mod:`corridor.sim._routes`: one
kernel flow per OD and path) and lays the stages, servers, fleets and calendar out as arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from corridor.capacity import node_capacities, unit_coefficients
from corridor.demand import DemandSet
from corridor.errors import InputError, Problem, UnknownNameError
from corridor.network import Closure, Network, Service
from corridor.sim._codes import FILL_OR_TIMEOUT, MOVE, NODE, SCHEDULE, SERVICE  # the kernel's codes
from corridor.sim._routes import ROUTE_CHOICES, Admission
from corridor.sim._rules import ARRIVALS, CAT, DISTRIBUTIONS, SimRules
from corridor.units import HOURS_PER_DAY, HOURS_PER_YEAR

MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class KernelFlow:
    """One kernel flow: the part of an origin–destination flow (``plan.ods[od]``) on one path."""

    origin: str
    destination: str
    cargo: str
    unit: str
    volume_per_year: float
    path: tuple[str, ...]
    od: int = 0


@dataclass(frozen=True)
class OD:
    """One origin–destination flow of the demand (results are reported per OD)."""

    origin: str
    destination: str
    cargo: str
    unit: str
    volume_per_year: float
    eq: float  # TEU-equivalents per unit, for weighting the overall stage breakdown


@dataclass(frozen=True)
class Plan:
    """Everything one replication needs, as arrays (picklable, shared by every replication)."""

    flows: tuple[KernelFlow, ...]
    ods: tuple[OD, ...]
    flow_od: I64  # the OD of each kernel flow
    node_ids: tuple[str, ...]
    link_ids: tuple[str, ...]
    service_ids: tuple[str, ...]
    slot_nodes: tuple[str, ...]
    closures: tuple[Closure, ...]
    closure_targets: tuple[tuple[int, int], ...]  # (0 node | 1 link, index)
    # flows
    od_rate: F64
    od_qty: F64
    od_full: F64  # a full cohort (train) of the flow's cargo class
    od_unit: I64
    od_eq: F64  # (flows, services): capacity units of the service one unit of the flow uses
    od_arrival: I64
    od_stage_off: I64
    # stages
    st_kind: I64
    st_arg: I64
    st_dir: I64
    st_cat: I64
    # nodes and links
    node_c: I64  # (n, 2): servers of pool 0 and pool 1 (0 = unlimited)
    node_pool: I64  # (n, 2): pool used by containers and by bulk
    node_kappa: F64  # (n, 2): a full cohort holds a server of the pool for κ ≥ 1 times its dwell
    node_dist: F64  # (n, 3): code, a, b
    node_slot: I64
    link_dist: F64
    # services
    svc_home: I64
    svc_far: I64
    svc_link: I64
    svc_fleet: I64
    svc_cap: F64  # per sailing, in the service's capacity unit (TEU, t or wagons)
    svc_cap_teu: F64  # per sailing, in TEU
    svc_fill: F64
    svc_rule: I64
    svc_wait: F64
    svc_headway: F64
    svc_port: F64
    svc_sail: F64  # (s, 3)
    svc_return: F64  # (s, 3)
    # calendar and clock
    seg_t: F64
    seg_f: F64
    seg_month: I64
    warmup_h: float
    end_h: float
    bin_h: float
    bins: int
    #: What the booking step admitted of each flow's demand (the rest is refused at the origin).
    admission: Mapping[tuple[str, str, str], Admission] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return round((self.end_h - self.warmup_h) / HOURS_PER_DAY)

    def by_od(self, values: F64) -> F64:
        """Add per-flow figures (first axis: kernel flows) up into per-OD figures."""
        fold = np.zeros((len(self.ods), len(self.flows)))
        fold[self.flow_od, np.arange(len(self.flows))] = 1.0
        return np.tensordot(fold, values, axes=1)


def _check_network(network: Network, rules: SimRules) -> list[Problem]:  # noqa: C901 - one check per kind of record
    problems: list[Problem] = []
    for n in network.nodes:
        if n.dwell_h is not None and not n.dwell_h >= 0:
            problems.append(
                Problem("network", f"node {n.id!r}: dwell_h must be ≥ 0, got {n.dwell_h}", column="dwell_h")
            )
        if n.dwell_h is not None and n.dwell_p90_h is not None and n.dwell_p90_h < n.dwell_h:
            problems.append(
                Problem(
                    "network",
                    f"node {n.id!r}: dwell_p90_h {n.dwell_p90_h} < dwell_h {n.dwell_h}",
                    column="dwell_p90_h",
                )
            )
        for col in ("capacity_trains_per_day", "capacity_teu_per_year", "capacity_t_per_year"):
            value = getattr(n, col)
            if value is not None and not value > 0:
                problems.append(Problem("network", f"node {n.id!r}: {col} must be > 0, got {value}", column=col))
    for lk in network.links:
        if not lk.moving_time_h > 0:
            problems.append(
                Problem("network", f"link {lk.id!r}: time must be > 0, got {lk.moving_time_h}", column="time_h")
            )
        if lk.time_p90_h is not None and lk.time_p90_h < lk.moving_time_h:
            problems.append(Problem("network", f"link {lk.id!r}: time_p90_h < time_h", column="time_p90_h"))
    for s in network.services:
        where = f"service {s.id!r}"
        if not (isinstance(s.fleet, int) and s.fleet >= 1):
            problems.append(
                Problem("network", f"{where}: fleet must be a whole number ≥ 1, got {s.fleet}", column="fleet")
            )
        for col in ("sailing_h", "return_h", "headway_h"):
            value = getattr(s, col)
            if value is not None and not value > 0:
                problems.append(Problem("network", f"{where}: {col} must be > 0, got {value}", column=col))
        for col in ("port_h", "max_wait_h"):
            value = getattr(s, col)
            if value is not None and not value >= 0:
                problems.append(Problem("network", f"{where}: {col} must be ≥ 0, got {value}", column=col))
        if _service_capacity(s)[1] <= 0:
            problems.append(Problem("network", f"{where}: needs a capacity > 0", column="capacity_teu"))
        if s.fill_share is not None and not 0 < s.fill_share <= 1:
            problems.append(Problem("network", f"{where}: fill_share must be in (0, 1]", column="fill_share"))
        if s.departure == "fill_or_timeout" and s.max_wait_h is None:
            problems.append(Problem("network", f"{where}: fill_or_timeout needs max_wait_h", column="max_wait_h"))
        if s.departure == "schedule" and s.headway_h is None:
            problems.append(Problem("network", f"{where}: schedule needs headway_h", column="headway_h"))
    for c in network.closures:
        where = f"closure {c.id!r}"
        if not 0 <= c.closed_share < 1:
            problems.append(Problem("network", f"{where}: closed_share must be in [0, 1)", column="closed_share"))
        if not c.episode_mean_h > 0:
            problems.append(Problem("network", f"{where}: episode_mean_h must be > 0", column="episode_mean_h"))
        lo, hi = c.episode_min_h or 0.0, c.episode_max_h or math.inf
        if lo < 0 or hi < lo:
            problems.append(
                Problem("network", f"{where}: need 0 ≤ episode_min_h ≤ episode_max_h", column="episode_min_h")
            )
    return problems


def _service_capacity(s: Service) -> tuple[str, float]:
    """The capacity unit a vessel of the service is loaded in, and its capacity per sailing."""
    for unit, value in (("teu", s.capacity_teu), ("t", s.capacity_t), ("wagons", s.capacity_wagons)):
        if value is not None:
            return unit, value
    return "teu", 0.0


def _space(unit: str, cargo: str, rules: SimRules) -> float:
    """Capacity units one unit of ``cargo`` (a TEU, a tonne) takes on a vessel loaded in ``unit``:
    the capacity engine's coefficients (:func:`corridor.capacity.unit_coefficients`), so both
    engines give a service the same capacity; bulk on a TEU-only vessel counts at
    ``rules.t_per_teu_equivalent`` tonnes per TEU."""
    coef = unit_coefficients(cargo, rules.t_per_teu_equivalent)[unit]
    if coef > 0:
        return coef
    return unit_coefficients("container", rules.t_per_teu_equivalent)[unit] / rules.t_per_teu_equivalent


def _calendar(days: int, warmup_days: int, seasonality: tuple[float, ...]) -> tuple[F64, F64, I64]:
    """Month segments of the run: the measured window starts on 1 January at ``warmup_days``."""
    starts = np.cumsum((0, *MONTH_DAYS[:-1]))
    weights = np.array(MONTH_DAYS, dtype=float)
    factors = np.array(seasonality, dtype=float) / (np.dot(seasonality, weights) / weights.sum())
    bounds, months = [0.0], []
    day = -warmup_days
    while day < days:
        doy, month = day % 365, int(np.searchsorted(starts, day % 365, side="right") - 1)
        step = MONTH_DAYS[month] - (doy - int(starts[month]))
        months.append(month)
        day += step
        bounds.append(HOURS_PER_DAY * (min(day, days) + warmup_days))
    bounds[-1] = math.inf
    return np.array(bounds), factors[months], np.array(months, dtype=np.int64)


def build_plan(  # noqa: C901 - checks, then the layout, in the order the arrays need
    network: Network,
    demand: DemandSet,
    rules: SimRules,
    *,
    days: int,
    warmup_days: int,
    stage: Callable[[str], None] | None = None,
) -> Plan:
    """Check everything and lay the model out as arrays; ``stage(name)`` is called as the
    assignment and the layout start (each can take seconds on a national network).

    Raises
    ------
    InputError
        Impossible parameters (every problem listed); :class:`UnknownNameError` for a demand node
        that is not in the network; :class:`NoRouteError` for a flow without a path.
    """
    rules.validated()
    problems = _check_network(network, rules)
    if not (isinstance(days, int) and days >= 1):
        problems.append(Problem("simulate", f"days must be a whole number ≥ 1, got {days!r}", column="days"))
    if not (isinstance(warmup_days, int) and warmup_days >= 0):
        problems.append(Problem("simulate", f"warmup_days must be a whole number ≥ 0, got {warmup_days!r}"))
    for f in demand.flows:
        for end in (f.origin, f.destination):
            if not network.has_node(end):
                raise UnknownNameError(
                    f"demand node in {demand.name!r}", end, [n.id for n in network.nodes if n.id.lower() == end.lower()]
                )
        if not f.volume >= 0:
            problems.append(Problem("demand", f"flow {f.origin}→{f.destination}: volume must be ≥ 0", column="volume"))
    if problems:
        raise InputError("cannot simulate: impossible parameters", problems)

    if stage is not None:
        stage("assigning flows to paths")
    routes, admission = ROUTE_CHOICES[rules.route_choice].choose(network, demand, rules.planning_utilisation)
    if stage is not None:
        stage("laying out the model")
    bulk_eq = 1.0 / rules.t_per_teu_equivalent
    ods = tuple(
        OD(o, d, c, "teu" if c == "container" else "t", sum(r.volume for r in rs), 1.0 if c == "container" else bulk_eq)
        for (o, d, c), rs in sorted(routes.items())
    )

    node_ix = {n.id: i for i, n in enumerate(network.nodes)}
    link_ix = {lk.id: i for i, lk in enumerate(network.links)}
    svc_ix = {s.id: i for i, s in enumerate(network.services)}
    dwell, moves = DISTRIBUTIONS[rules.dwell], DISTRIBUTIONS[rules.moves]

    space = [
        [_space(_service_capacity(svc)[0], c, rules) for svc in network.services] for c in ("container", "general")
    ]
    flows, flow_od, od_rate, od_qty, od_full, od_unit, od_eq, offsets = [], [], [], [], [], [], [], [0]
    st_kind: list[int] = []
    st_arg: list[int] = []
    st_dir: list[int] = []
    st_cat: list[int] = []
    for k, od in enumerate(ods):
        for route in routes[(od.origin, od.destination, od.cargo)]:
            hops = route.hops
            container = od.cargo == "container"
            cohort = rules.cohort_teu if container else rules.cohort_t
            qty = min(cohort, route.volume / rules.min_cohorts_per_year)
            flows.append(KernelFlow(od.origin, od.destination, od.cargo, od.unit, route.volume, route.nodes, k))
            flow_od.append(k)
            od_rate.append(route.volume / qty / HOURS_PER_YEAR)
            od_qty.append(qty)
            od_full.append(cohort)
            od_unit.append(0 if container else 1)
            od_eq.append(space[0 if container else 1])
            for pos, hop in enumerate(hops):
                node = network.node(hop.tail)
                if pos == 0:
                    cat = CAT["origin"]
                elif node.is_gauge_change:
                    cat = CAT["gauge_change"]
                elif node.is_border:
                    cat = CAT["border"]
                elif node.kind == "port":
                    cat = CAT["port"]
                else:
                    cat = CAT["other"]
                st_kind.append(NODE)
                st_arg.append(node_ix[node.id])
                st_dir.append(0)
                st_cat.append(cat)
                link = hop.link
                if link.service:
                    st_kind.append(SERVICE)
                    st_arg.append(svc_ix[link.service])
                    st_cat.append(CAT["sailing"])
                else:
                    st_kind.append(MOVE)
                    st_arg.append(link_ix[link.id])
                    mode_cat = {"rail": "rail", "road": "road", "pipeline": "pipeline"}.get(link.mode, "sailing")
                    st_cat.append(CAT[mode_cat])
                st_dir.append(0 if hop.forward else 1)
            offsets.append(len(st_kind))

    node_c: list[tuple[int, int]] = []
    node_kappa: list[tuple[float, float]] = []
    node_pool: list[tuple[int, int]] = []
    node_dist = []
    for n in network.nodes:
        typical = n.dwell_h or 0.0
        p90 = n.dwell_p90_h if n.dwell_p90_h is not None else typical * rules.dwell_p90_ratio
        node_dist.append(dwell.params(typical, p90))
        mean = dwell.mean(typical, p90)

        def servers(trains_per_h: float, mean: float = mean) -> tuple[int, float]:
            """⌈capacity × mean dwell⌉ servers, each held for κ = c / (capacity × mean dwell) ≥ 1
            times a cohort's dwell (docs/design/sim-node-capacity.md): a server then passes
            capacity / c trains an hour at most, so the node passes its capacity at most."""
            if mean <= 0 or trains_per_h <= 0:
                return 0, 1.0
            load = trains_per_h * mean
            c = max(1, math.ceil(load - 1e-9))
            return c, max(1.0, c / load)

        # the capacity engine's conversion to a year, in trains (cohorts) per hour here
        per_year = {c.unit: c.nominal_per_year for c in node_capacities(network, n)}
        per_cohort = {"teu": rules.cohort_teu, "t": rules.cohort_t, "trains": 1.0}
        if "teu" in per_year and "t" in per_year:
            # separate container and bulk capacities: two pools of servers
            (c0, k0), (c1, k1) = (
                servers(per_year["teu"] / HOURS_PER_YEAR / rules.cohort_teu),
                servers(per_year["t"] / HOURS_PER_YEAR / rules.cohort_t),
            )
            node_c.append((c0, c1))
            node_kappa.append((k0, k1))
            node_pool.append((0, 1))
            continue
        unit = next((u for u in ("trains", "teu", "t") if u in per_year), "")
        per_h = per_year[unit] / HOURS_PER_YEAR / per_cohort[unit] if unit else 0.0
        c0, k0 = servers(per_h)
        node_c.append((c0, 0))
        node_kappa.append((k0, 1.0))
        node_pool.append((0, 0))
    link_dist = []
    for lk in network.links:
        t = lk.moving_time_h
        link_dist.append(moves.params(t, lk.time_p90_h if lk.time_p90_h is not None else t * rules.move_p90_ratio))

    services = network.services
    slot_nodes = sorted(
        {n.id for n in network.nodes if n.kind == "port"}
        | {network.link(s.link_id).from_id for s in services}
        | {network.link(s.link_id).to_id for s in services},
        key=lambda x: node_ix[x],
    )

    def sail(hours: float, link_id: str) -> tuple[int, float, float]:
        lk = network.link(link_id)
        ratio = (lk.time_p90_h / lk.moving_time_h) if lk.time_p90_h is not None else rules.sailing_p90_ratio
        return moves.params(hours, hours * ratio)

    closure_targets = tuple(
        (0, node_ix[c.target]) if c.target in node_ix else (1, link_ix[c.target]) for c in network.closures
    )
    seg_t, seg_f, seg_month = _calendar(days, warmup_days, rules.seasonality)
    arrival = ARRIVALS[rules.arrivals]
    return Plan(
        admission=admission,
        flows=tuple(flows),
        ods=ods,
        flow_od=np.array(flow_od, dtype=np.int64),
        node_ids=tuple(node_ix),
        link_ids=tuple(link_ix),
        service_ids=tuple(svc_ix),
        slot_nodes=tuple(slot_nodes),
        closures=network.closures,
        closure_targets=closure_targets,
        od_rate=np.array(od_rate, dtype=float),
        od_qty=np.array(od_qty, dtype=float),
        od_full=np.array(od_full, dtype=float),
        od_unit=np.array(od_unit, dtype=np.int64),
        od_eq=np.array(od_eq, dtype=float).reshape(len(flows), len(services)),
        od_arrival=np.full(len(flows), arrival, dtype=np.int64),
        od_stage_off=np.array(offsets, dtype=np.int64),
        st_kind=np.array(st_kind, dtype=np.int64),
        st_arg=np.array(st_arg, dtype=np.int64),
        st_dir=np.array(st_dir, dtype=np.int64),
        st_cat=np.array(st_cat, dtype=np.int64),
        node_c=np.array(node_c, dtype=np.int64).reshape(-1, 2),
        node_pool=np.array(node_pool, dtype=np.int64).reshape(-1, 2),
        node_kappa=np.array(node_kappa, dtype=float).reshape(-1, 2),
        node_dist=np.array(node_dist, dtype=float).reshape(-1, 3),
        node_slot=np.array([slot_nodes.index(n) if n in slot_nodes else -1 for n in node_ix], dtype=np.int64),
        link_dist=np.array(link_dist, dtype=float).reshape(-1, 3),
        svc_home=np.array([node_ix[network.link(s.link_id).from_id] for s in services], dtype=np.int64),
        svc_far=np.array([node_ix[network.link(s.link_id).to_id] for s in services], dtype=np.int64),
        svc_link=np.array([link_ix[s.link_id] for s in services], dtype=np.int64),
        svc_fleet=np.array([s.fleet for s in services], dtype=np.int64),
        svc_cap=np.array([_service_capacity(s)[1] for s in services], dtype=float),
        svc_cap_teu=np.array([_service_capacity(s)[1] / x for s, x in zip(services, space[0], strict=True)]),
        svc_fill=np.array([s.fill_share if s.fill_share is not None else 1.0 for s in services]),
        svc_rule=np.array(
            [SCHEDULE if s.departure == "schedule" else FILL_OR_TIMEOUT for s in services], dtype=np.int64
        ),
        svc_wait=np.array([(s.max_wait_h or 0.0) if s.departure == "fill_or_timeout" else 0.0 for s in services]),
        svc_headway=np.array([s.headway_h or 0.0 for s in services]),
        svc_port=np.array([s.port_h or 0.0 for s in services]),
        svc_sail=np.array([sail(s.sailing_h, s.link_id) for s in services], dtype=float).reshape(-1, 3),
        svc_return=np.array(
            [sail(s.return_h if s.return_h is not None else s.sailing_h, s.link_id) for s in services], dtype=float
        ).reshape(-1, 3),
        seg_t=seg_t,
        seg_f=seg_f,
        seg_month=seg_month,
        warmup_h=HOURS_PER_DAY * warmup_days,
        end_h=HOURS_PER_DAY * (warmup_days + days),
        bin_h=rules.bin_h,
        bins=rules.bins or math.ceil(HOURS_PER_DAY * (warmup_days + days) / rules.bin_h) + 1,
    )
