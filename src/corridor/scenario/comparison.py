"""Running the engines on scenarios side by side: capacity (served, unserved, growth, bottlenecks),
routing (door-to-door time, cost per FEU and CO2e per TEU on the main routes), simulation (time
distributions and port backlogs) and, for scenarios with investments, the appraisal against the
scenario they inherit from.

:func:`compare` returns a :class:`Comparison` of plain frozen records; renderers (the CLI table,
the HTML report) only format it.  Differences against the first scenario are computed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from corridor.appraisal import Appraisal, Parameters
from corridor.capacity import AssignmentResult, assign
from corridor.errors import CorridorError
from corridor.scenario._load import apply_scenario, load_scenario
from corridor.scenario._model import AppliedScenario, Scenario
from corridor.scenario.appraisal import AppraisalRun, parent_of
from corridor.units import HOURS_PER_DAY

#: How many origin–destination pairs count as "main" (the largest container flows of the first scenario).
MAIN_OD_COUNT = 3

#: The documented defaults of the appraisal's :class:`~corridor.appraisal.Parameters`.
DEFAULT_ASSUMPTIONS = Parameters()


@dataclass(frozen=True)
class Bottleneck:
    """A binding capacity: which asset, how full, and what one more TEU of capacity a year is worth."""

    asset: str
    kind: str
    name: str
    utilisation: float
    value_usd_per_teu: float

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "kind": self.kind,
            "name": self.name,
            "utilisation": _round(self.utilisation, 4),
            "value_usd_per_teu": _round(self.value_usd_per_teu, 2),
        }


@dataclass(frozen=True)
class RouteOption:
    """One route between a main origin and destination, for a 40' container."""

    label: str
    p50_days: float
    p90_days: float
    cost_usd_per_feu: float
    co2e_kg_per_teu: float
    distance_km: float

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "p50_days": _round(self.p50_days, 2),
            "p90_days": _round(self.p90_days, 2),
            "cost_usd_per_feu": _round(self.cost_usd_per_feu, 0),
            "co2e_kg_per_teu": _round(self.co2e_kg_per_teu, 1),
            "distance_km": _round(self.distance_km, 0),
        }


@dataclass(frozen=True)
class ODRoutes:
    """The main routes of one origin–destination pair, best first (empty when there is no route),
    and the simulated door-to-door distribution when the simulation ran."""

    origin: str
    destination: str
    routes: tuple[RouteOption, ...]
    sim_p50_days: float | None = None
    sim_p90_days: float | None = None
    sim_days: tuple[float, ...] = ()
    note: str = ""

    @property
    def best(self) -> RouteOption | None:
        return self.routes[0] if self.routes else None

    @property
    def p50_days(self) -> float | None:
        if self.sim_p50_days is not None:
            return self.sim_p50_days
        return self.best.p50_days if self.best else None

    @property
    def p90_days(self) -> float | None:
        if self.sim_p90_days is not None:
            return self.sim_p90_days
        return self.best.p90_days if self.best else None

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "destination": self.destination,
            "p50_days": _round(self.p50_days, 2),
            "p90_days": _round(self.p90_days, 2),
            "source_of_times": "simulation" if self.sim_p50_days is not None else "routing",
            "routes": [r.to_json() for r in self.routes],
            "note": self.note,
        }


@dataclass(frozen=True)
class Backlog:
    """A port's queue of containers over the simulated year: its peak and the daily series."""

    port: str
    peak_teu: float
    peak_day: float
    days: tuple[float, ...] = ()
    teu: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"port": self.port, "peak_teu": _round(self.peak_teu, 1), "peak_day": _round(self.peak_day, 1)}


@dataclass(frozen=True)
class ScenarioResult:
    """Everything the engines say about one scenario."""

    applied: AppliedScenario
    assignment: AssignmentResult
    ods: tuple[ODRoutes, ...]
    backlogs: tuple[Backlog, ...] = ()
    simulation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.applied.name

    @property
    def served_teu(self) -> float:
        return self.assignment.totals.served_teu

    @property
    def unserved_teu(self) -> float:
        return self.assignment.totals.unserved_teu

    @property
    def served_t(self) -> float:
        return self.assignment.totals.served_t

    @property
    def unserved_t(self) -> float:
        return self.assignment.totals.unserved_t

    @property
    def max_growth(self) -> float | None:
        return self.assignment.max_growth

    @property
    def mean_days(self) -> float | None:
        t = self.assignment.totals
        return t.teu_hours / t.served_teu / HOURS_PER_DAY if t.served_teu > 0 else None

    @property
    def diverted_teu(self) -> float:
        return self.assignment.totals.diverted_teu

    @property
    def not_moved_teu(self) -> float:
        t = self.assignment.totals
        return max(t.unserved_teu - t.diverted_teu, 0.0)

    def od_days(self) -> dict[str, tuple[float, float]]:
        """Container TEU carried and mean assigned days per OD (``"O→D"``)."""
        teu: dict[str, float] = {}
        teu_hours: dict[str, float] = {}
        for path in self.assignment.paths:
            if path.cargo == "container":
                key = f"{path.origin}→{path.destination}"
                teu[key] = teu.get(key, 0.0) + path.volume
                teu_hours[key] = teu_hours.get(key, 0.0) + path.volume * path.time_h
        return {k: (v, teu_hours[k] / v / HOURS_PER_DAY) for k, v in teu.items() if v > 0}

    def binding_on(self, origin: str, destination: str) -> tuple[str, ...]:
        """Names of the full capacities (utilisation ≥ 99.9%) on the paths that carry this OD."""
        full = {c.asset: c.name for c in self.assignment.bottlenecks if c.utilisation >= 1 - 1e-3}
        found: dict[str, str] = {}
        for p in self.assignment.paths:
            if (p.origin, p.destination, p.cargo) == (origin, destination, "container"):
                for asset in (*p.nodes, *p.links, *p.services):
                    if asset in full:
                        found.setdefault(asset, full[asset])
        return tuple(found.values())

    @property
    def bottlenecks(self) -> tuple[Bottleneck, ...]:
        seen: dict[str, Bottleneck] = {}
        for c in self.assignment.bottlenecks:
            if c.asset not in seen:
                seen[c.asset] = Bottleneck(c.asset, c.kind, c.name, c.utilisation, c.shadow_price_per_teu)
        return tuple(seen.values())

    @property
    def link_utilisation(self) -> dict[str, float]:
        """Utilisation of each link: its own capacity, or the busiest service running on it."""
        out = {a.id: a.utilisation for a in self.assignment.links if a.utilisation is not None}
        for svc in self.assignment.services:
            if svc.utilisation is None:
                continue
            link = self.applied.network.service(svc.id).link_id
            out[link] = max(out.get(link, 0.0), svc.utilisation)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "title": self.applied.scenario.title,
            "year": self.applied.scenario.year,
            "demand": self.applied.demand.name,
            "served_teu": _round(self.served_teu, 0),
            "unserved_teu": _round(self.unserved_teu, 0),
            "served_t": _round(self.served_t, 0),
            "unserved_t": _round(self.unserved_t, 0),
            "diverted_teu": _round(self.diverted_teu, 0),
            "not_moved_teu": _round(self.not_moved_teu, 0),
            "max_growth": _round(self.max_growth, 4),
            "mean_days": _round(self.mean_days, 2),
            "bottlenecks": [b.to_json() for b in self.bottlenecks],
            "main_ods": [od.to_json() for od in self.ods],
            "backlog_peaks": [b.to_json() for b in self.backlogs],
            "simulation": dict(self.simulation),
            "changes": self.applied.to_json()["changes"],
            "disruptions": [d.to_json() for d in self.applied.disruptions],
        }


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side (the first is the reference) and the appraisals of those with investments."""

    results: tuple[ScenarioResult, ...]
    appraisals: tuple[Appraisal, ...]
    assumptions: Parameters
    main_ods: tuple[tuple[str, str], ...]

    @property
    def reference(self) -> ScenarioResult:
        return self.results[0]

    def common_volume(self) -> dict[str, float]:
        """Per OD (``"O→D"``), the container TEU every scenario carries: the smallest carried volume."""
        per = [r.od_days() for r in self.results]
        keys = set.intersection(*(set(p) for p in per)) if per else set()
        return {k: min(p[k][0] for p in per) for k in sorted(keys)}

    def common_days(self, result: ScenarioResult) -> float | None:
        """Mean assigned door-to-door days of ``result`` over the flows all scenarios carry, each
        weighted by the volume they all carry — so a mean never falls because cargo is dropped."""
        weights = self.common_volume()
        days = result.od_days()
        total = sum(weights.values())
        return sum(w * days[k][1] for k, w in weights.items()) / total if total > 0 else None

    def base_of(self, result: ScenarioResult) -> ScenarioResult:
        """The scenario ``result`` is measured against: the nearest one it inherits from that is in
        the comparison (the appraisal's base), else the reference."""
        by_name = {r.name: r for r in self.results}
        for parent in reversed(result.applied.scenario.chain[:-1]):
            if parent in by_name:
                return by_name[parent]
        return self.reference

    def slower_flows(self, tolerance: float = 0.01) -> tuple[SlowerFlow, ...]:
        """Flows that a scenario and its base (:meth:`base_of`) both carry and that are slower in
        the scenario (by more than ``tolerance``), with the full capacities on its paths."""
        out = []
        for res in self.results[1:]:
            base = self.base_of(res)
            ref, mine = base.od_days(), res.od_days()
            for key in sorted(set(ref) & set(mine)):
                if mine[key][1] > ref[key][1] * (1 + tolerance):
                    o, d = key.split("→")
                    out.append(SlowerFlow(res.name, base.name, key, ref[key][1], mine[key][1], res.binding_on(o, d)))
        return tuple(out)

    def metrics(self) -> list[Metric]:
        """The comparison table's rows, each with its value per scenario.  Times sit beside the
        volume they are measured on; the all-carried mean is never coloured as an improvement
        (it falls when long-haul cargo is dropped), the common-flows mean is."""
        common = sum(self.common_volume().values())
        rows = [
            Metric("served_teu", "container volume served", "TEU/yr", lambda r: r.served_teu, "higher"),
            Metric("unserved_teu", "container volume unserved", "TEU/yr", lambda r: r.unserved_teu),
            Metric("diverted_teu", "  of which diverted (Northern, sea)", "TEU/yr", lambda r: r.diverted_teu),
            Metric("not_moved_teu", "  of which not moved", "TEU/yr", lambda r: r.not_moved_teu),
            Metric("served_t", "cargo served", "t/yr", lambda r: r.served_t, "higher"),
            Metric("unserved_t", "cargo unserved", "t/yr", lambda r: r.unserved_t),
            Metric("max_growth", "maximum uniform growth", "×", lambda r: r.max_growth, "higher"),
            Metric("mean_days", "mean door-to-door, all carried TEU", "days", lambda r: r.mean_days, "none"),
            Metric("common_teu", "TEU every scenario carries", "TEU/yr", lambda r: common, "none"),
            Metric("common_days", "mean door-to-door on those TEU", "days", self.common_days),
        ]
        for o, d in self.main_ods:
            label = f"{o}→{d}"
            rows += [
                Metric(f"p50:{label}", f"P50 {label}", "days", _od_value(o, d, "p50")),
                Metric(f"p90:{label}", f"P90 {label}", "days", _od_value(o, d, "p90")),
                Metric(f"cost:{label}", f"cost {label}", "USD/FEU", _od_value(o, d, "cost")),
                Metric(f"co2e:{label}", f"CO2e {label}", "kg/TEU", _od_value(o, d, "co2e")),
            ]
        ports = sorted({b.port for r in self.results for b in r.backlogs})
        for port in ports:
            rows.append(Metric(f"backlog:{port}", f"backlog peak {port}", "TEU", _backlog_value(port)))
        return rows

    def to_json(self) -> dict[str, Any]:
        ref = self.reference
        table = []
        for m in self.metrics():
            base = m.value(ref)
            values = [m.value(r) for r in self.results]
            table.append(
                {
                    "key": m.key,
                    "label": m.label,
                    "unit": m.unit,
                    "values": {r.name: _round(v, 4) for r, v in zip(self.results, values, strict=True)},
                    "delta_vs_first": {
                        r.name: _round(None if v is None or base is None else v - base, 4)
                        for r, v in zip(self.results[1:], values[1:], strict=True)
                    },
                }
            )
        return {
            "reference": ref.name,
            "scenarios": [r.to_json() for r in self.results],
            "table": table,
            "appraisals": [a.to_json() for a in self.appraisals],
            "common_volume_teu": {k: _round(v, 0) for k, v in self.common_volume().items()},
            "slower_flows": [f.to_json() for f in self.slower_flows()],
            "assumptions": [p.to_json() for p in self.assumptions.describe()],
        }


@dataclass(frozen=True)
class Metric:
    """One row of the comparison: a key, a label, a unit and how to read it off a result."""

    key: str
    label: str
    unit: str
    value: Callable[[ScenarioResult], float | None]
    better: str = "lower"  # which direction is an improvement: "higher", "lower", or "none" (neither)


@dataclass(frozen=True)
class SlowerFlow:
    """A flow slower in ``scenario`` than in the reference, and the full capacities on its paths."""

    scenario: str
    base: str
    od: str
    reference_days: float
    days: float
    binding: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "base": self.base,
            "od": self.od,
            "reference_days": _round(self.reference_days, 2),
            "days": _round(self.days, 2),
            "binding": list(self.binding),
        }


def _od_value(origin: str, dest: str, what: str) -> Callable[[ScenarioResult], float | None]:
    def read(result: ScenarioResult) -> float | None:
        od = next((o for o in result.ods if (o.origin, o.destination) == (origin, dest)), None)
        if od is None:
            return None
        if what == "p50":
            return od.p50_days
        if what == "p90":
            return od.p90_days
        best = od.best
        if best is None:
            return None
        return best.cost_usd_per_feu if what == "cost" else best.co2e_kg_per_teu

    return read


def _backlog_value(port: str) -> Callable[[ScenarioResult], float | None]:
    def read(result: ScenarioResult) -> float | None:
        return next((b.peak_teu for b in result.backlogs if b.port == port), None)

    return read


def _round(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def main_ods(applied: AppliedScenario, count: int = MAIN_OD_COUNT) -> tuple[tuple[str, str], ...]:
    """The ``count`` largest container flows of a scenario (ties by name)."""
    flows = sorted(
        (f for f in applied.demand.flows if f.cargo == "container"), key=lambda f: (-f.teu, f.origin, f.destination)
    )
    out: list[tuple[str, str]] = []
    for f in flows:
        if (f.origin, f.destination) not in out:
            out.append((f.origin, f.destination))
        if len(out) == count:
            break
    return tuple(out)


def route_ods(applied: AppliedScenario, ods: Sequence[tuple[str, str]], alternatives: int = 3) -> tuple[ODRoutes, ...]:
    """Door-to-door options for one 40' container on each pair (routing engine)."""
    from corridor.routing import route  # the routing engine; imported here to keep import light

    out = []
    for origin, dest in ods:
        try:
            result = route(applied.network, origin, dest, "1x40HC", optimize="time", alternatives=alternatives)
        except CorridorError as exc:
            out.append(ODRoutes(origin, dest, (), note=str(exc).splitlines()[0]))
            continue
        options = tuple(
            RouteOption(
                label=r.label,
                p50_days=r.time.p50 / HOURS_PER_DAY,
                p90_days=r.time.p90 / HOURS_PER_DAY,
                cost_usd_per_feu=r.cost.total,
                co2e_kg_per_teu=r.co2e.wtw / 2.0,
                distance_km=r.distance_km,
            )
            for r in result.routes
        )
        out.append(ODRoutes(origin, dest, options))
    return tuple(out)


def evaluate(
    applied: AppliedScenario,
    ods: Sequence[tuple[str, str]],
    *,
    simulate: Callable[[AppliedScenario, Sequence[tuple[str, str]]], SimSummary] | None = None,
) -> ScenarioResult:
    """Run the engines on one applied scenario."""
    assignment = assign(applied.network, applied.demand)
    routed = route_ods(applied, ods)
    if simulate is None:
        return ScenarioResult(applied, assignment, routed)
    summary = simulate(applied, ods)
    merged = tuple(
        ODRoutes(
            od.origin,
            od.destination,
            od.routes,
            *summary.times.get((od.origin, od.destination), (None, None, ())),
            note=od.note,
        )
        for od in routed
    )
    return ScenarioResult(applied, assignment, merged, summary.backlogs, summary.meta)


@dataclass(frozen=True)
class SimSummary:
    """What the comparison keeps from a simulation: per OD (P50 days, P90 days, sample of days),
    port backlogs, and a few facts about the run (replications, seed)."""

    times: Mapping[tuple[str, str], tuple[float | None, float | None, tuple[float, ...]]]
    backlogs: tuple[Backlog, ...]
    meta: Mapping[str, Any]


def compare(
    scenarios: Sequence[Scenario | str],
    *,
    assumptions: Parameters = DEFAULT_ASSUMPTIONS,
    simulate: Callable[[AppliedScenario, Sequence[tuple[str, str]]], SimSummary] | None = None,
    ods: Sequence[tuple[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run the engines on each scenario; the first is the reference for differences.

    Scenarios with investments are appraised against the scenario they inherit from (run too
    if it is not in the list).  ``progress(done, total)`` counts steps: one per scenario run, then
    each appraisal's (:meth:`AppraisalRun.steps`: trajectory years, chunks of Monte Carlo draws);
    the total is known before the first scenario runs.
    """
    if not scenarios:
        raise CorridorError("compare needs at least one scenario")
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    applied = [apply_scenario(s) for s in loaded]
    pairs = tuple(ods) if ods else main_ods(applied[0])
    run = _appraisal_run(assumptions)
    planned = _appraisal_plan([a.scenario for a in applied])
    total = len(applied) + sum(run.steps(s) for s, _ in planned)
    done = 0

    def step(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    if progress is not None:
        progress(0, total)
        run = replace(run, progress=step)
    results = []
    for a in applied:
        results.append(evaluate(a, pairs, simulate=simulate))
        step()
    appraisals = [run.appraise(s, b) for s, b in planned]
    return Comparison(tuple(results), tuple(appraisals), assumptions, pairs)


def _appraisal_run(assumptions: Parameters) -> AppraisalRun:
    chosen = {k: "caller" for k in assumptions.chosen}
    return AppraisalRun(overrides={k: getattr(assumptions, k) for k in assumptions.chosen}, chosen_by=chosen)


def _appraisal_plan(scenarios: Sequence[Scenario], base: str | None = None) -> list[tuple[Scenario, Scenario]]:
    """(scenario, base) for every scenario that has investments of its own against ``base`` or its
    parent (the parent from the list when it is there)."""
    by_name = {s.name: s for s in scenarios}
    out = []
    for scenario in scenarios:
        base_name = base or scenario.parent
        if not base_name or base_name == scenario.name:
            continue
        base_scenario = by_name.get(base_name)
        if base_scenario is None:
            base_scenario = load_scenario(base) if base else parent_of(scenario)
        if not any(i.id not in {j.id for j in base_scenario.investments} for i in scenario.investments):
            continue
        out.append((scenario, base_scenario))
    return out


def appraise_results(
    results: Sequence[ScenarioResult], assumptions: Parameters, base: str | None = None
) -> list[Appraisal]:
    """Appraise every result that has investments of its own against ``base`` or its parent
    (corridor.scenario.appraisal: the same demand trajectory for both, every assumption stated)."""
    run = _appraisal_run(assumptions)
    return [run.appraise(s, b) for s, b in _appraisal_plan([r.applied.scenario for r in results], base)]
