"""Running the engines on scenarios side by side: capacity (served, unserved, growth, bottlenecks),
routing (door-to-door time, cost per FEU and CO2e per TEU on the main routes), simulation (time
distributions and port backlogs) and, for scenarios with investments, the appraisal against the
scenario they inherit from.

:func:`compare` returns a :class:`Comparison` of the scenarios' results
(:mod:`corridor.scenario.result`); renderers (the CLI table, the HTML report) only format it.
Differences against the first scenario, and each scenario's slower flows against its base, are
computed here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from corridor.appraisal import Appraisal, Parameters
from corridor.errors import CorridorError
from corridor.scenario._load import apply_scenario, load_scenario
from corridor.scenario._model import AppliedScenario, Scenario
from corridor.scenario._steps import StepCounter
from corridor.scenario.appraisal import AppraisalRun, parent_of
from corridor.scenario.result import (
    MAIN_OD_COUNT,
    TIME_PARTS,
    Backlog,
    Bottleneck,
    ODFlow,
    ODRoutes,
    RouteOption,
    ScenarioResult,
    SimSummary,
    _round,
    evaluate,
    main_ods,
    route_ods,
)

__all__ = [
    "DEFAULT_ASSUMPTIONS",
    "MAIN_OD_COUNT",
    "TIME_PARTS",
    "Backlog",
    "Bottleneck",
    "Comparison",
    "Metric",
    "ODFlow",
    "ODRoutes",
    "RouteOption",
    "ScenarioResult",
    "SimSummary",
    "SlowerFlow",
    "compare",
    "evaluate",
    "main_ods",
    "route_ods",
]

#: The documented defaults of the appraisal's :class:`~corridor.appraisal.Parameters`.
DEFAULT_ASSUMPTIONS = Parameters()


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
        the scenario (by more than ``tolerance``), and why (:func:`_why_slower`)."""
        out = []
        for res in self.results[1:]:
            base = self.base_of(res)
            ref, mine = base.od_flows(), res.od_flows()
            base_tolls, tolls = base.tolls(), res.tolls()
            for key in sorted(set(ref) & set(mine)):
                was, now = ref[key], mine[key]
                if now.days > was.days * (1 + tolerance):
                    out.append(_why_slower(res, base, key, was, now, base_tolls, tolls))
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
                Metric(f"od_teu:{label}", f"carried {label}", "TEU/yr", _od_teu(label), "none"),
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
    """A flow slower in ``scenario`` than in its ``base``, with its generalized cost per TEU in
    both (tariffs, charges and the value of its time; no capacity toll) and why:

    * ``cause="held up"``: capacities that filled on the paths it used push it onto slower ones
      (``binding``: their names; when no price moved, the full capacities on its paths);
    * ``cause="cheaper path"``: it is slower by choice — capacities that were full on a cheaper,
      slower path have room now (``freed``), or that path got cheaper, and its shippers took it;
      ``moved_to`` names the service or node whose share of the flow grew most, ``moved_teu``
      the TEU that share is, ``moved_from`` the one whose share fell most, and ``extra_hours``
      what makes the paths through ``moved_to`` slower than those through ``moved_from``: the
      difference of their mean times by component (:data:`TIME_PARTS`), in hours.

    ``reference_teu`` and ``teu``: the TEU the flow carries in the base and in the scenario."""

    scenario: str
    base: str
    od: str
    reference_days: float
    days: float
    binding: tuple[str, ...]
    reference_cost_usd_per_teu: float | None = None
    cost_usd_per_teu: float | None = None
    cause: str = "held up"
    freed: tuple[str, ...] = ()
    moved_to: str = ""
    moved_teu: float = 0.0
    reference_teu: float = 0.0
    teu: float = 0.0
    moved_from: str = ""
    extra_hours: tuple[tuple[str, float], ...] = ()

    @property
    def extra_h(self) -> float:
        """How many hours the paths through ``moved_to`` take beyond those through ``moved_from``."""
        return sum(h for _, h in self.extra_hours)

    @property
    def by_choice(self) -> bool:
        """Slower because its shippers took a cheaper path, not because a capacity holds it up."""
        return self.cause == "cheaper path"

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "base": self.base,
            "od": self.od,
            "reference_days": _round(self.reference_days, 2),
            "days": _round(self.days, 2),
            "binding": list(self.binding),
            "reference_cost_usd_per_teu": _round(self.reference_cost_usd_per_teu, 0),
            "cost_usd_per_teu": _round(self.cost_usd_per_teu, 0),
            "cause": self.cause,
            "freed": list(self.freed),
            "moved_to": self.moved_to or None,
            "moved_teu": _round(self.moved_teu, 0),
            "reference_teu": _round(self.reference_teu, 0),
            "teu": _round(self.teu, 0),
            "moved_from": self.moved_from or None,
            "extra_hours": {part: _round(h, 2) for part, h in self.extra_hours},
        }


def _why_slower(
    res: ScenarioResult,
    base: ScenarioResult,
    od: str,
    was: ODFlow,
    now: ODFlow,
    base_tolls: dict[tuple[str, str], float],
    tolls: dict[tuple[str, str], float],
) -> SlowerFlow:
    """Tell a flow that capacities push onto slower paths from one that chose them.

    In the route-choice assignment a flow moves between paths when their costs *with capacity
    tolls* move relative to each other.  Each capacity key whose toll changed contributes
    ``Δtoll × (share of the old mix on it − share of the new mix on it)`` in favour of the new mix
    (a toll on an asset both mixes use in full, such as a port every crossing calls at, cancels).
    A rise on the old paths pushes (held up); a fall on the new paths pulls (by choice).  The
    larger side gives the cause; without any toll change, a flow whose cost fell chose its path."""
    push: dict[str, float] = {}
    pull: dict[str, float] = {}
    for key in set(base_tolls) | set(tolls):
        change = tolls.get(key, 0.0) - base_tolls.get(key, 0.0)
        favour = change * (was.uses.get(key, 0.0) / was.teu - now.uses.get(key, 0.0) / now.teu)
        if favour > 1e-9:
            side = push if change > 0 else pull
            side[key[0]] = side.get(key[0], 0.0) + favour
    cheaper = now.cost_usd_per_teu < was.cost_usd_per_teu
    chose = sum(pull.values()) > sum(push.values()) if push or pull else cheaper
    moved = _moved_to(was, now) if chose else None
    left = _moved_from(was, now) if moved else None
    o, d = od.split("→")
    extra: tuple[tuple[str, float], ...] = ()
    if moved and left:
        new, old = res.time_parts(o, d, moved[0]), base.time_parts(o, d, left)
        if new is not None and old is not None:
            extra = tuple((part, new[part] - old[part]) for part in new)
    binding = tuple(res.capacity_name(a) for a in sorted(push, key=lambda a: -push[a]))
    return SlowerFlow(
        res.name,
        base.name,
        od,
        was.days,
        now.days,
        () if chose else binding or res.binding_on(o, d),
        reference_cost_usd_per_teu=was.cost_usd_per_teu,
        cost_usd_per_teu=now.cost_usd_per_teu,
        cause="cheaper path" if chose else "held up",
        freed=tuple(base.capacity_name(a) for a in sorted(pull, key=lambda a: -pull[a])) if chose else (),
        moved_to=res.asset_name(moved[0]) if moved else "",
        moved_teu=moved[1] if moved else 0.0,
        reference_teu=was.teu,
        teu=now.teu,
        moved_from=base.asset_name(left) if left else "",
        extra_hours=extra,
    )


def _moved_to(was: ODFlow, now: ODFlow) -> tuple[str, float] | None:
    """The service or node whose share of this flow grew most (services first on ties), and the
    TEU that share is of the scenario's volume; ``None`` when no share grew."""
    gains = {a: v / now.teu - was.through.get(a, 0.0) / was.teu for a, v in now.through.items()}
    best = max(gains, key=gains.__getitem__, default=None)
    if best is None or gains[best] <= 1e-6:
        return None
    return best, gains[best] * now.teu


def _moved_from(was: ODFlow, now: ODFlow) -> str | None:
    """The service or node whose share of this flow fell most (services first on ties)."""
    losses = {a: v / was.teu - now.through.get(a, 0.0) / now.teu for a, v in was.through.items()}
    worst = max(losses, key=losses.__getitem__, default=None)
    return worst if worst is not None and losses[worst] > 1e-6 else None


def _od_teu(od: str) -> Callable[[ScenarioResult], float | None]:
    """The container TEU a scenario's assignment carries on ``od`` (``"O→D"``), 0 when none."""
    return lambda result: result.od_days().get(od, (0.0, 0.0))[0]


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
    step = StepCounter(total, progress)
    if progress is not None:
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
