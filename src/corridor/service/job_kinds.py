"""What a job can compute: ``JOB_KINDS[kind](params, progress) -> result JSON``.

Runs on a worker (local process or Dask worker): it gets plain JSON parameters, loads the
bundled or stored inputs itself, and calls one engine function.  Scenario versions travel in the
parameters as their text, so a worker needs no access to the API's tables.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from corridor.capacity import ASSIGN_STAGES, assign
from corridor.demand import load_demand
from corridor.network.cache import load_cached
from corridor.scenario import Scenario, apply_scenario, load_scenario
from corridor.scenario.appraisal import appraise_scenarios, rank
from corridor.scenario.comparison import compare
from corridor.schemas import dump
from corridor.sim import SimRules, simulate


class Progress(Protocol):
    """``progress(done, total)`` after each step; ``phase`` names what the job is doing now."""

    def __call__(self, done: int, total: int, phase: str | None = None) -> None: ...


JobKind = Callable[[dict[str, Any], Progress], dict[str, Any] | bytes]
#: The simulation engine's stages (:func:`corridor.sim.simulate`'s ``stage`` callback, as
#: ``corridor simulate --progress`` prints them) → the phase codes a simulation job reports.
SIM_PHASES = {
    "assigning flows to paths": "assignment",
    "laying out the model": "layout",
    "replications": "replications",
    "summarising": "summary",
}

#: The parsed-network cache of the service this job runs for (``Settings.cache_dir``); set by
#: :func:`corridor.service.jobs.execute_job`.  None: networks are parsed from their files.
NETWORK_CACHE: ContextVar[Path | None] = ContextVar("NETWORK_CACHE", default=None)


def scenario_from_text(name: str, text: str) -> Scenario:
    """Parse a stored scenario version (YAML or JSON text) exactly as a file of that name."""
    with tempfile.TemporaryDirectory(prefix="corridor-scenario-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_scenario(path)


def _scenarios(params: dict[str, Any]) -> list[Scenario | str]:
    out: list[Scenario | str] = []
    for item in params.get("scenarios", []):
        if isinstance(item, dict):
            out.append(scenario_from_text(str(item["name"]), str(item["text"])))
        else:
            out.append(str(item))
    return out


def _inputs(params: dict[str, Any]) -> tuple[Any, Any]:
    scen = _scenarios(params)
    if scen:
        applied = apply_scenario(scen[0])
        return applied.network, applied.demand
    net = load_cached(params.get("network", "middle-corridor"), NETWORK_CACHE.get())
    return net, load_demand(params.get("demand", "2024"), net)


def run_simulation(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Progress in replications, with the phase: loading, assignment, layout, replications, summary."""
    replications = int(params.get("replications", 20))
    done = 0
    progress(done, replications, phase="loading")
    net, dem = _inputs(params)

    def stage(name: str) -> None:
        progress(done, replications, phase=SIM_PHASES.get(name, name))

    def advance(n: int, total: int) -> None:
        nonlocal done
        done = n
        progress(n, total, phase="replications")

    result = simulate(
        net,
        dem,
        days=int(params.get("days", 365)),
        warmup_days=int(params.get("warmup_days", 30)),
        rules=SimRules(planning_utilisation=float(params.get("planning_utilisation", SimRules.planning_utilisation))),
        replications=replications,
        seed=int(params.get("seed", 0)),
        workers=1,
        progress=advance,
        stage=stage,
    )
    return dump("simulation", result.to_json())


def run_capacity(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    net, dem = _inputs(params)
    progress(0, len(ASSIGN_STAGES))
    stage_index = {stage: i for i, stage in enumerate(ASSIGN_STAGES)}
    # every stage and every round within one is a step; the total is the steps so far plus the
    # stages not yet finished (the number of rounds is not known in advance): never goes back
    steps, left = 0, len(ASSIGN_STAGES)

    def step(name: str) -> None:
        nonlocal steps, left
        if name in stage_index:
            left = len(ASSIGN_STAGES) - stage_index[name]
        steps += 1
        progress(steps, steps + left)

    result = assign(net, dem, growth=float(params.get("growth", 1.0)), progress=step)
    progress(steps + 1, steps + 1)
    return dump("capacity", result.to_json())


def run_comparison(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Progress in steps: each scenario's engine run, then each appraisal's years and Monte Carlo chunks."""
    scen = _scenarios(params)
    progress(0, 1)
    result = compare(scen, progress=progress)
    return dump("comparison", result.to_json())


def run_appraisal(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Progress in steps: each appraisal's trajectory years and chunks of Monte Carlo draws."""
    scen = _scenarios(params)
    progress(0, 1)
    ranked = rank(appraise_scenarios(scen, progress=progress))
    return dump("appraisal", {"ranking": [a.to_json() for a in ranked]})


def run_report(params: dict[str, Any], progress: Progress) -> bytes:
    """``corridor report``: the offline HTML file (inline CSS, embedded images, no scripts)."""
    from corridor.report.html import render_html
    from corridor.scenario.simulation import simulator

    scen = _scenarios(params)
    progress(0, 1)
    sim = simulator(replications=int(params["replications"]), seed=int(params["seed"])) if params["sim"] else None
    result = compare(scen, simulate=sim)
    html = render_html(result, lang=str(params["lang"]), max_maps=int(params["maps"]))
    progress(1, 1)
    return html.encode("utf-8")


JOB_KINDS: dict[str, JobKind] = {
    "simulation": run_simulation,
    "capacity": run_capacity,
    "comparison": run_comparison,
    "appraisal": run_appraisal,
    "report": run_report,
}
