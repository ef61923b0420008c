"""Appraising scenarios: run the capacity engine on a scenario and its base over the same demand
trajectory, and hand the per-OD results to the cost–benefit analysis (:mod:`corridor.appraisal`).

For each demand set of the trajectory (by default the bundled 2024, 2025, 2027-target,
2029-containers and wb-2030), the scenario's changes and its base's are applied to that demand and
both are assigned; :func:`corridor.appraisal.od_costs` reads per-OD volumes and generalised costs
off the results and :func:`corridor.appraisal.comparator_costs` prices the comparator routes that
diverted traffic comes from (on the base network).  Parameters come from the defaults, then the
scenario file's ``appraisal:`` block, then the caller's overrides (the command line).

A **package** (a scenario whose base has investments of its own, like caspian-package on
aktau-container-hub) is appraised incrementally, step by step along its inheritance in build
order, and together against the first ancestor without investments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from corridor.appraisal import (
    MC_CHUNK,
    Appraisal,
    ODCost,
    ODKey,
    Parameters,
    build_profile,
    comparator_costs,
    corridor_crossings,
    monte_carlo,
    od_costs,
    present_values,
    rank,
    year_benefits,
)
from corridor.capacity import assign
from corridor.errors import InputError, Problem
from corridor.routing import EmissionFactors
from corridor.scenario._load import apply_scenario, load_scenario
from corridor.scenario._model import Investment, Scenario
from corridor.scenario._steps import StepCounter

#: The bundled demand sets the appraisal runs through, in year order (docs/appraisal.md).
DEFAULT_TRAJECTORY = ("2024", "2025", "2027-target", "2029-containers", "wb-2030")
#: The network those demand sets describe; a scenario on any other network is appraised on its own
#: demand set alone (one modelled year, held with ``growth_after_last_year``) unless given a trajectory.
TRAJECTORY_NETWORK = "middle-corridor"

__all__ = [
    "DEFAULT_TRAJECTORY",
    "Appraisal",
    "AppraisalRun",
    "appraise_scenarios",
    "incremental_investments",
    "parent_of",
    "rank",
]


def incremental_investments(scenario: Sequence[Investment], base: Sequence[Investment]) -> tuple[Investment, ...]:
    """The scenario's investments that the base does not already have (by id)."""
    have = {i.id for i in base}
    return tuple(i for i in scenario if i.id not in have)


@dataclass
class AppraisalRun:
    """One appraisal session: the trajectory, overrides, risk options and a cache of engine runs.

    ``overrides`` are parameter values chosen by the caller, ``chosen_by`` says who chose each
    (``"--discount"``); they win over a scenario file's ``appraisal:`` block.
    """

    overrides: Mapping[str, Any] = field(default_factory=dict)
    chosen_by: Mapping[str, str] = field(default_factory=dict)
    trajectory: Sequence[str] = DEFAULT_TRAJECTORY
    monte_carlo: bool = True
    workers: int = 1
    scheduler: str | None = None
    #: ``progress(steps)`` after each step of work: a trajectory year's engine runs, a chunk of Monte
    #: Carlo draws (:meth:`steps` says how many an appraisal takes, for a determinate progress bar)
    progress: Callable[[int], None] | None = None
    _cache: dict[tuple[str, str], tuple[int, dict[ODKey, ODCost], Any]] = field(default_factory=dict)
    _factors: EmissionFactors | None = None

    def parameters(self, scenario: Scenario) -> Parameters:
        """Defaults, then the scenario file's ``appraisal:`` block, then the caller's overrides."""
        params = Parameters()
        block = {k: v for k, (v, _) in scenario.appraisal.items() if k != "trajectory"}
        if block:
            where = {k: f"{w.file} line {w.line}" for k, (_, w) in scenario.appraisal.items()}
            params = params.with_overrides(block, where)
        if self.overrides:
            params = params.with_overrides(self.overrides, self.chosen_by)
        return params

    def _trajectory(self, scenario: Scenario) -> tuple[str, ...]:
        if "trajectory" in self.chosen_by:
            return tuple(self.trajectory)
        if "trajectory" not in scenario.appraisal:
            if scenario.network != TRAJECTORY_NETWORK and tuple(self.trajectory) == DEFAULT_TRAJECTORY:
                return (scenario.demand,)
            return tuple(self.trajectory)
        value, where = scenario.appraisal["trajectory"]
        if not isinstance(value, list) or not value or not all(isinstance(v, str | int) for v in value):
            raise InputError(
                "appraisal trajectory must be a list of demand sets",
                [Problem(where.file, f"expected a list such as [2024, 2027-target], got {value!r}", where.line)],
            )
        return tuple(str(v) for v in value)

    def steps(self, scenario: Scenario) -> int:
        """How many progress steps :meth:`appraise` of ``scenario`` reports: one per trajectory year,
        one per chunk of Monte Carlo draws."""
        draws = -(-self.parameters(scenario).replications // MC_CHUNK) if self.monte_carlo else 0
        return len(self._trajectory(scenario)) + draws

    def _step(self, n: int = 1) -> None:
        if self.progress is not None:
            self.progress(n)

    def _run(self, scenario: Scenario, demand: str) -> tuple[int, dict[ODKey, ODCost], Any]:
        key = (scenario.name, demand)
        if key not in self._cache:
            applied = apply_scenario(replace(scenario, demand=demand))
            result = assign(applied.network, applied.demand)
            if self._factors is None:
                self._factors = EmissionFactors.default()
            costs = od_costs(result, applied.network, factors=self._factors, comparators=applied.demand.without)
            year = applied.demand.year
            if year is None:
                raise InputError(f"demand set {demand!r} has no year: the appraisal's trajectory needs one")
            self._cache[key] = (year, costs, (applied, result))
        return self._cache[key]

    def appraise(self, scenario: Scenario, base: Scenario, *, note: str = "") -> Appraisal:
        """``scenario`` against ``base`` over the trajectory, with risk unless switched off."""
        params = self.parameters(scenario)
        invs = incremental_investments(scenario.investments, base.investments)
        modelled = []
        trajectory = []
        for demand in self._trajectory(scenario):
            year, base_costs, (base_applied, base_result) = self._run(base, demand)
            _, scen_costs, _ = self._run(scenario, demand)
            alts = comparator_costs(
                base_applied.network,
                base_applied.demand,
                sorted(set(base_costs) | set(scen_costs)),
                value_of_time={"teu": params.value_of_time_usd_per_teu_day, "t": params.value_of_time_usd_per_t_day},
                reliability_ratio=params.reliability_ratio,
                avoid=corridor_crossings(base_result, base_applied.network),
                factors=self._factors,
            )
            b = {k: replace(v, alternative=alts.get(k)) for k, v in base_costs.items()}
            s = {k: replace(v, alternative=alts.get(k)) for k, v in scen_costs.items()}
            modelled.append(year_benefits(year, b, s, params))
            trajectory.append((year, demand))
            self._step()
        profile = build_profile(modelled, invs, params)
        mc = None
        if self.monte_carlo:
            mc = monte_carlo(
                present_values(profile), params, workers=self.workers, scheduler=self.scheduler,
                on_chunk=lambda _draws: self._step(),
            )  # fmt: skip
        own = next((y for y, d in trajectory if d == scenario.demand), None)
        return Appraisal(
            scenario.name, base.name, invs, params, tuple(modelled), tuple(trajectory), profile, mc, note=note,
            demand_year=own,
        )  # fmt: skip


def appraise_scenarios(
    names: Sequence[str | Scenario],
    run: AppraisalRun | None = None,
    *,
    base: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Appraisal]:
    """Appraise each scenario against ``base`` or the scenario it inherits from; packages also
    together (steps in build order).  In the order given; rank with :func:`rank`.

    ``progress(done, total)`` counts steps (:meth:`AppraisalRun.steps`): trajectory years and
    chunks of Monte Carlo draws, over every appraisal planned; total is known before the first.

    Raises
    ------
    InputError
        A scenario with no base, or one that adds neither an investment nor a change to its base.
    """
    run = run or AppraisalRun()
    plan = []
    for name in names:
        scenario = name if isinstance(name, Scenario) else load_scenario(name)
        base_name = base or scenario.parent
        if not base_name:
            raise InputError(
                f"{scenario.name} inherits from no scenario: nothing to compare it with (use --base SCENARIO)"
            )
        base_scenario = load_scenario(base) if base else parent_of(scenario)
        invs = incremental_investments(scenario.investments, base_scenario.investments)
        if not invs and base is None and not scenario.own_changes:
            raise InputError(
                f"{scenario.name} adds no investment and no change to {base_name}: nothing to appraise "
                "(its demand set is replaced by the appraisal's demand trajectory)"
            )
        steps, root = _package_steps(scenario) if base is None else ([], scenario)
        plan.append((scenario, base_scenario, steps, root))
    total = sum(sum(run.steps(s) for s, _ in steps) + run.steps(sc) if len(steps) >= 2 else run.steps(sc)
                for sc, _, steps, _ in plan)  # fmt: skip
    step = StepCounter(total, progress)
    if progress is not None:
        run = replace(run, progress=step)
    out = []
    for scenario, base_scenario, steps, root in plan:
        if len(steps) >= 2:
            parts = tuple(run.appraise(s, b, note=f"step {i + 1} of {len(steps)}") for i, (s, b) in enumerate(steps))
            together = run.appraise(scenario, root, note="package: every step together")
            out.append(replace(together, steps=parts))
            out.append(parts[-1])
        else:
            out.append(run.appraise(scenario, base_scenario))
    return out


def parent_of(scenario: Scenario) -> Scenario:
    """The scenario ``scenario`` inherits from (loaded from its file, wherever that is)."""
    return load_scenario(scenario.parent_file or scenario.parent)


def _package_steps(scenario: Scenario) -> tuple[list[tuple[Scenario, Scenario]], Scenario]:
    """(scenario, its parent) for each step of the inheritance that adds investments, oldest
    first (the order in which the steps were added to the package), and the first ancestor
    without investments of its own (the package's base)."""
    steps: list[tuple[Scenario, Scenario]] = []
    current = scenario
    while current.parent:
        parent = parent_of(current)
        if not incremental_investments(current.investments, parent.investments):
            break
        steps.append((current, parent))
        current = parent
    steps.reverse()
    return steps, current
