"""What a simulation returns: :class:`SimulationResult` and its parts, with a stable JSON form.

Times are hours; quantities are TEU for containers and tonnes for bulk, per replication (one
measured period of ``days``).  Every estimate carries a 95% confidence interval across
replications (Student t on the per-replication values; ``None`` with a single replication).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from corridor.errors import UnknownNameError
from corridor.sim._codes import MOVE, NODE
from corridor.sim._experiment import Chunk, RunTotals
from corridor.sim._plan import Plan
from corridor.sim._replication import QUANTILES, hist_quantiles
from corridor.sim._rules import CATEGORIES
from corridor.sim._steady import flow_growth, port_growth
from corridor.units import HOURS_PER_DAY

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Estimate:
    """A value with the bounds of its 95% confidence interval (``None`` when unknown)."""

    value: float | None
    low: float | None = None
    high: float | None = None

    def to_json(self) -> dict[str, float | None]:
        return {"value": _num(self.value), "low": _num(self.low), "high": _num(self.high)}


def _num(x: float | None, digits: int = 4) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def _half_width(values: F64) -> float | None:
    v = values[np.isfinite(values)]
    if v.size < 2:
        return None
    # Student's t quantile: ``scipy.stats.t.ppf`` is this function (equal for every df 1..20,000);
    # importing scipy.stats costs every ``corridor simulate`` ~0.4 s before any replication
    return float(special.stdtrit(v.size - 1, 0.975) * v.std(ddof=1) / math.sqrt(v.size))


def estimate(values: F64, point: float | None = None) -> Estimate:
    """``point`` (default: the mean of ``values``) with the CI of the mean of ``values``."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return Estimate(None)
    centre = float(finite.mean()) if point is None else point
    hw = _half_width(finite)
    if hw is None:
        return Estimate(centre)
    return Estimate(centre, centre - hw, centre + hw)


@dataclass(frozen=True)
class PathShare:
    """One path of a flow: its share of the flow's volume (from the route choice) and the
    quantity delivered along it per replication."""

    path: tuple[str, ...]
    share: float
    delivered: float

    def to_json(self) -> dict[str, Any]:
        return {"path": list(self.path), "share": _num(self.share, 6), "delivered": _num(self.delivered)}


@dataclass(frozen=True)
class ODResult:
    """Door-to-door times of one flow (origin, destination, cargo class), over all its paths
    (``path`` is the one with the largest share; ``paths`` lists them all)."""

    origin: str
    destination: str
    cargo: str
    unit: str
    path: tuple[str, ...]
    volume_per_year: float
    generated: float
    delivered: float
    in_system: float
    mean_h: Estimate
    p50_h: Estimate
    p90_h: Estimate
    p95_h: Estimate
    stages_h: Mapping[str, float]
    histogram: tuple[float, ...]  # share of the delivered quantity per bin of ``bin_h`` hours
    bin_h: float
    paths: tuple[PathShare, ...] = ()
    #: Annual demand of the flow before admission, and what was refused at the origin.
    demand_per_year: float | None = None
    diverted_to: Mapping[str, float] = field(default_factory=dict)
    not_moved_per_year: float = 0.0
    #: ``False`` when the flow's queue grows (:mod:`._steady`): its times are not steady-state times.
    steady: bool = True
    backlog_growth_per_day: float = 0.0

    def to_json(self) -> dict[str, Any]:
        ests = {"mean": self.mean_h, "p50": self.p50_h, "p90": self.p90_h, "p95": self.p95_h}
        return {
            "origin": self.origin,
            "destination": self.destination,
            "cargo": self.cargo,
            "unit": self.unit,
            "path": list(self.path),
            "volume_per_year": _num(self.volume_per_year),
            "generated": _num(self.generated),
            "delivered": _num(self.delivered),
            "in_system": _num(self.in_system),
            "time_h": {
                **{k: _num(e.value) for k, e in ests.items()},
                "ci95": {k: [_num(e.low), _num(e.high)] for k, e in ests.items()},
            },
            "time_d": {k: _num(None if e.value is None else e.value / HOURS_PER_DAY, 3) for k, e in ests.items()},
            "stages_h": {k: _num(v) for k, v in self.stages_h.items()},
            "histogram": {"bin_h": self.bin_h, "share": [_num(x, 6) for x in self.histogram]},
            "paths": [p.to_json() for p in self.paths],
            "steady": self.steady,
            "time_label": None if self.steady else "not steady",
            "backlog_growth_per_day": _num(self.backlog_growth_per_day),
            "cut_off": _num(self.in_system),
            "admission": {
                "demand_per_year": _num(self.demand_per_year),
                "carried_per_year": _num(self.volume_per_year),
                "diverted_per_year": _num(sum(self.diverted_to.values())),
                "diverted_to": {k: _num(v) for k, v in self.diverted_to.items()},
                "not_moved_per_year": _num(self.not_moved_per_year),
            },
        }


@dataclass(frozen=True)
class PortBacklog:
    """Cargo on hand at a port (handling, queued, waiting for a vessel) at the end of each day."""

    node: str
    mean_teu: tuple[float, ...]
    mean_t: tuple[float, ...]
    p95_band_teu: tuple[float, ...]  # mean + 1.96 sd across replications, day by day
    peak_teu: Estimate
    peak_t: Estimate
    growth_teu_per_day: float = 0.0
    growth_t_per_day: float = 0.0
    #: Whether the container and the tonnes backlog are steady (:mod:`._steady`); a flow is judged
    #: by the backlog of its own unit.
    steady_teu: bool = True
    steady_t: bool = True

    @property
    def steady(self) -> bool:
        return self.steady_teu and self.steady_t

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "steady": self.steady,
            "steady_teu": self.steady_teu,
            "steady_t": self.steady_t,
            "growth_teu_per_day": _num(self.growth_teu_per_day, 3),
            "growth_t_per_day": _num(self.growth_t_per_day, 3),
            "daily_mean_teu": [_num(x, 2) for x in self.mean_teu],
            "daily_mean_t": [_num(x, 2) for x in self.mean_t],
            "daily_high_teu": [_num(x, 2) for x in self.p95_band_teu],
            "peak_teu": self.peak_teu.to_json(),
            "peak_t": self.peak_t.to_json(),
        }


@dataclass(frozen=True)
class NodeLoad:
    """Utilisation of a capacity-limited node (``servers`` parallel lanes)."""

    node: str
    cargo: str  # "all", or "container" / "bulk" where the node has separate capacities
    servers: int
    utilisation: Estimate
    cohorts_per_year: float

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "cargo": self.cargo,
            "servers": self.servers,
            "utilisation": self.utilisation.to_json(),
            "cohorts": _num(self.cohorts_per_year),
        }


@dataclass(frozen=True)
class ServiceLoad:
    """A ferry, feeder or train service: sailings, fill and waits by direction, fleet utilisation."""

    service: str
    fleet: int
    capacity_teu: float
    sailings: tuple[float, float]  # outbound (link from → to), back
    fill_rate: tuple[float | None, float | None]
    wait_h: tuple[float | None, float | None]
    fleet_utilisation: Estimate

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "fleet": self.fleet,
            "capacity_teu": self.capacity_teu,
            "sailings": {"out": _num(self.sailings[0]), "back": _num(self.sailings[1])},
            "fill_rate": {"out": _num(self.fill_rate[0]), "back": _num(self.fill_rate[1])},
            "wait_h": {"out": _num(self.wait_h[0]), "back": _num(self.wait_h[1])},
            "fleet_utilisation": self.fleet_utilisation.to_json(),
        }


@dataclass(frozen=True)
class ClosureDays:
    closure: str
    target: str
    days: Estimate

    def to_json(self) -> dict[str, Any]:
        return {"closure": self.closure, "target": self.target, "days": self.days.to_json()}


@dataclass(frozen=True)
class SimulationResult:
    """Monte Carlo result of :func:`corridor.simulate`; ``to_json()`` is the stable form."""

    network: str
    demand: str
    days: int
    warmup_days: int
    replications: int
    seed: int
    rules: Mapping[str, Any]
    od: tuple[ODResult, ...]
    stages: Mapping[str, float]
    generated: Mapping[str, float]
    delivered: Mapping[str, float]
    in_system: Mapping[str, float]
    ports: tuple[PortBacklog, ...]
    nodes: tuple[NodeLoad, ...]
    services: tuple[ServiceLoad, ...]
    closures: tuple[ClosureDays, ...]
    trace: tuple[Mapping[str, Any], ...] = field(default=(), compare=False)
    #: Flows refused in full at the origin (nothing carried): (origin, destination, cargo, demand,
    #: diverted_to, not moved) — they have no simulated times.
    refused: tuple[tuple[str, str, str, float, Mapping[str, float], float], ...] = ()

    def flow(self, origin: str, destination: str, cargo: str = "container") -> ODResult:
        """The result of one flow, by node ids.

        Raises
        ------
        UnknownNameError
            No flow ``origin→destination`` of that cargo was simulated; the message lists close ones.
        """
        for od in self.od:
            if (od.origin, od.destination, od.cargo) == (origin, destination, cargo):
                return od
        known = [f"{o.origin}→{o.destination} ({o.cargo})" for o in self.od]
        name = f"{origin}→{destination} ({cargo})"
        raise UnknownNameError("simulated flow", name, difflib.get_close_matches(name, known, n=3, cutoff=0.5))

    def to_json(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "demand": self.demand,
            "days": self.days,
            "warmup_days": self.warmup_days,
            "replications": self.replications,
            "seed": self.seed,
            "rules": dict(self.rules),
            "generated": {k: _num(v) for k, v in self.generated.items()},
            "delivered": {k: _num(v) for k, v in self.delivered.items()},
            "in_system": {k: _num(v) for k, v in self.in_system.items()},
            "stages": {k: _num(v) for k, v in self.stages.items()},
            "od": [o.to_json() for o in self.od],
            "ports": [p.to_json() for p in self.ports],
            "nodes": [n.to_json() for n in self.nodes],
            "services": [s.to_json() for s in self.services],
            "closures": [c.to_json() for c in self.closures],
            "trace": [dict(row) for row in self.trace],
            "refused": [
                {
                    "origin": o,
                    "destination": d,
                    "cargo": c,
                    "demand_per_year": _num(dem),
                    "diverted_to": {k: _num(v) for k, v in div.items()},
                    "not_moved_per_year": _num(nm),
                }
                for o, d, c, dem, div, nm in self.refused
            ],
        }


def stage_label(plan: Plan, pos: int) -> str:
    kind, arg = int(plan.st_kind[pos]), int(plan.st_arg[pos])
    if kind == NODE:
        return f"node:{plan.node_ids[arg]}"
    if kind == MOVE:
        return f"move:{plan.link_ids[arg]}"
    return f"{'service' if plan.st_dir[pos] == 0 else 'service-back'}:{plan.service_ids[arg]}"


def trace_rows(plan: Plan, rows: F64) -> tuple[dict[str, Any], ...]:
    """The kernel's trace as readable records, in time order."""
    out: list[dict[str, Any]] = []
    for r in rows:
        code = int(r[0])
        t = {"arrive": round(float(r[3]), 6), "start": round(float(r[4]), 6), "leave": round(float(r[5]), 6)}
        if code == 0:
            out.append(
                {"event": "stage", "cohort": int(r[1]), "stage": stage_label(plan, int(r[2])), **t, "qty": float(r[6])}
            )
        elif code == 1:
            out.append(
                {"event": "sailing", "vessel": int(r[1]), "service": plan.service_ids[int(r[2])],
                 "direction": "out" if r[7] == 0 else "back", **t, "qty": float(r[6])}
            )  # fmt: skip
        elif code == 2:
            out.append({"event": "delivered", "cohort": int(r[1]), **t, "qty": float(r[6])})
        elif code == 3:
            f = plan.flows[int(r[2])]
            out.append(
                {"event": "born", "cohort": int(r[1]), "flow": f"{f.origin}>{f.destination}", **t, "qty": float(r[6])}
            )
        else:
            out.append(
                {
                    "event": "split",
                    "cohort": int(r[1]),
                    "from": int(r[7]),
                    "stage": stage_label(plan, int(r[2])),
                    **t,
                    "qty": float(r[6]),
                }
            )
    order = {"born": 0, "stage": 1, "split": 2, "sailing": 3, "delivered": 4}
    out.sort(key=lambda e: (e["arrive"], order[e["event"]], e.get("cohort", e.get("vessel", 0))))
    return tuple(out)


def _cat(chunks: Sequence[Chunk], name: str) -> F64:
    return np.concatenate([getattr(c, name) for c in chunks], axis=0)


def summarise(
    plan: Plan, chunks: Sequence[Chunk], totals: RunTotals, *, network: str, demand: str, seed: int, rules: Mapping[str, Any],
    fleets: Mapping[str, int], closure_ids: Sequence[tuple[str, str]],
) -> SimulationResult:  # fmt: skip
    """Reduce the chunks (in replication order) to a :class:`SimulationResult`."""
    gen, dlv, sys_ = _cat(chunks, "gen"), _cat(chunks, "dlv"), _cat(chunks, "sys")
    means, quant, stage = _cat(chunks, "mean"), _cat(chunks, "quant"), _cat(chunks, "stage")
    reps = gen.shape[0]
    assert totals.hist is not None and totals.backlog_sum is not None and totals.backlog_sq is not None
    hist = totals.hist
    pooled_q = hist_quantiles(hist, plan.bin_h, QUANTILES)
    window_h = plan.days * HOURS_PER_DAY
    flow_dlv = _cat(chunks, "flow_dlv").mean(axis=0)
    b_sum, b_sq = totals.backlog_sum, totals.backlog_sq
    b_mean = b_sum / reps
    b_sd = np.sqrt(np.maximum(b_sq / reps - b_mean**2, 0.0))
    b_se = b_sd * math.sqrt(1.0 / (reps - 1)) if reps > 1 else np.zeros_like(b_sd)  # sd (n−1) / √n
    growth = {
        node: port_growth(b_mean[i, 0], b_mean[i, 1], b_se[i, 0], b_se[i, 1]) for i, node in enumerate(plan.slot_nodes)
    }
    ods = []
    for f, flow in enumerate(plan.ods):
        mine = sorted(np.flatnonzero(plan.flow_od == f).tolist(), key=lambda k: -plan.flows[k].volume_per_year)
        paths = tuple(
            PathShare(
                plan.flows[k].path,
                plan.flows[k].volume_per_year / flow.volume_per_year if flow.volume_per_year > 0 else 0.0,
                float(flow_dlv[k]),
            )
            for k in mine
        )
        delivered = dlv[:, f].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled_mean = float(np.nansum(means[:, f] * dlv[:, f]) / delivered) if delivered > 0 else None
            stages_h = {
                c: float(stage[:, f, k].sum() / delivered) if delivered > 0 else 0.0 for k, c in enumerate(CATEGORIES)
            }
        total = hist[f].sum()
        share = hist[f] / total if total > 0 else hist[f]
        last = int(np.flatnonzero(share)[-1]) + 1 if total > 0 else 0
        q = [estimate(quant[:, f, j], None if np.isnan(pooled_q[f, j]) else float(pooled_q[f, j])) for j in range(3)]
        on_path = {n for k in mine for n in plan.flows[k].path}
        rate, steady = flow_growth(
            float(gen[:, f].mean()),
            float(dlv[:, f].mean()),
            plan.days,
            all(growth[n].steady_in(flow.unit) for n in on_path if n in growth),
        )
        adm = plan.admission.get((flow.origin, flow.destination, flow.cargo))
        ods.append(
            ODResult(
                origin=flow.origin, destination=flow.destination, cargo=flow.cargo, unit=flow.unit, path=paths[0].path,
                volume_per_year=flow.volume_per_year, generated=float(gen[:, f].mean()),
                delivered=float(dlv[:, f].mean()), in_system=float(sys_[:, f].mean()),
                mean_h=estimate(means[:, f], pooled_mean), p50_h=q[0], p90_h=q[1], p95_h=q[2],
                stages_h=stages_h, histogram=tuple(float(x) for x in share[:last]), bin_h=plan.bin_h,
                paths=paths, demand_per_year=adm.demand if adm else None,
                diverted_to=dict(adm.diverted_to) if adm else {}, not_moved_per_year=adm.not_moved if adm else 0.0,
                steady=steady, backlog_growth_per_day=rate,
            )
        )  # fmt: skip
    simulated = {(o.origin, o.destination, o.cargo) for o in plan.ods}
    refused = tuple(
        (*key, a.demand, dict(a.diverted_to), a.not_moved)
        for key, a in sorted(plan.admission.items())
        if key not in simulated and a.demand > 0
    )
    eq = np.array([od.eq for od in plan.ods])
    unit = np.array([0 if od.unit == "teu" else 1 for od in plan.ods], dtype=np.int64)
    total_eq = float((dlv.sum(axis=0) * eq).sum())
    overall = {
        c: float((stage[:, :, k].sum(axis=0) * eq).sum() / total_eq) if total_eq > 0 else 0.0
        for k, c in enumerate(CATEGORIES)
    }
    by_unit = {
        name: {
            "teu": float(arr[:, unit == 0].sum(axis=1).mean()),
            "t": float(arr[:, unit == 1].sum(axis=1).mean()),
        }
        for name, arr in (("generated", gen), ("delivered", dlv), ("in_system", sys_))
    }
    b_max = _cat(chunks, "backlog_max")
    ports = tuple(
        PortBacklog(
            node=node, mean_teu=tuple(b_mean[i, 0]), mean_t=tuple(b_mean[i, 1]),
            p95_band_teu=tuple(b_mean[i, 0] + 1.96 * b_sd[i, 0]),
            peak_teu=estimate(b_max[:, i, 0]), peak_t=estimate(b_max[:, i, 1]),
            growth_teu_per_day=growth[node].teu_per_day, growth_t_per_day=growth[node].t_per_day,
            steady_teu=growth[node].steady_teu, steady_t=growth[node].steady_t,
        )
        for i, node in enumerate(plan.slot_nodes)
    )  # fmt: skip
    busy, jobs = _cat(chunks, "node_busy"), _cat(chunks, "node_jobs")
    nodes = []
    for i, node in enumerate(plan.node_ids):
        pools = [p for p in (0, 1) if plan.node_c[i, p] > 0]
        for p in pools:
            label = "all" if plan.node_pool[i, 1] == 0 else ("container" if p == 0 else "bulk")
            c = int(plan.node_c[i, p])
            nodes.append(
                NodeLoad(node=node, cargo=label, servers=c, utilisation=estimate(busy[:, i, p] / (c * window_h)),
                         cohorts_per_year=float(jobs[:, i, p].mean() * 365.0 / plan.days))
            )  # fmt: skip
    sail, loaded = _cat(chunks, "sailings"), _cat(chunks, "loaded")
    wqh, wq, sbusy = _cat(chunks, "wait_qh"), _cat(chunks, "wait_q"), _cat(chunks, "svc_busy")
    services = []
    for s, sid in enumerate(plan.service_ids):
        n_sail = sail[:, s].sum(axis=0)
        fill = tuple(
            float(loaded[:, s, d].sum() / (n_sail[d] * plan.svc_cap[s])) if n_sail[d] else None for d in (0, 1)
        )
        wait = tuple(float(wqh[:, s, d].sum() / wq[:, s, d].sum()) if wq[:, s, d].sum() else None for d in (0, 1))
        services.append(
            ServiceLoad(
                service=sid, fleet=fleets[sid], capacity_teu=float(plan.svc_cap_teu[s]),
                sailings=(float(n_sail[0] / reps), float(n_sail[1] / reps)), fill_rate=(fill[0], fill[1]),
                wait_h=(wait[0], wait[1]), fleet_utilisation=estimate(sbusy[:, s] / (fleets[sid] * window_h)),
            )
        )  # fmt: skip
    closed = _cat(chunks, "closed_h") / HOURS_PER_DAY
    closures = tuple(ClosureDays(cid, target, estimate(closed[:, k])) for k, (cid, target) in enumerate(closure_ids))
    trace = trace_rows(plan, chunks[0].trace) if chunks and chunks[0].trace.size else ()
    return SimulationResult(
        network=network, demand=demand, days=plan.days, warmup_days=int(plan.warmup_h // HOURS_PER_DAY), replications=reps,
        seed=seed, rules=rules, od=tuple(ods), stages=overall, generated=by_unit["generated"],
        delivered=by_unit["delivered"], in_system=by_unit["in_system"], ports=ports,
        services=tuple(services), closures=closures, trace=trace, nodes=tuple(nodes), refused=refused,
    )  # fmt: skip
