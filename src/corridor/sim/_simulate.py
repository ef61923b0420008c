"""``corridor.simulate``: check, lay out, replicate, summarise."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

from corridor.demand import DemandSet
from corridor.errors import InputError
from corridor.network import Network
from corridor.sim._experiment import Progress, run_replications
from corridor.sim._plan import build_plan
from corridor.sim._result import SimulationResult, summarise
from corridor.sim._rules import SimRules


def simulate(
    network: Network,
    demand: DemandSet,
    *,
    growth: float = 1.0,
    days: int = 365,
    warmup_days: int = 30,
    replications: int = 100,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    rules: SimRules | None = None,
    trace: bool = False,
    progress: Progress | None = None,
    stage: Callable[[str], None] | None = None,
) -> SimulationResult:
    """Simulate corridor operations: door-to-door time distributions, backlogs, utilisation.

    Parameters
    ----------
    network, demand
        The corridor and the flows on it (``demand.scaled(growth)`` is simulated).
    days, warmup_days
        Length of the measured period, after a warm-up that starts empty (whole days).
    replications, seed
        Monte Carlo replications, each with its own stream from ``SeedSequence(seed).spawn``;
        the same seed gives the same result on any number of workers or a cluster.
    workers
        Local processes (default: all cores); ``1`` runs in this process.
    scheduler
        Address of a Dask distributed scheduler (``tcp://host:8786``); replaces ``workers``.
    rules
        Model choices not in the data (:class:`SimRules`); the default is documented there.  Paths
        come from ``rules.route_choice``: by default the capacity assignment
        (:func:`corridor.capacity.assign`, run once here before the replications) splits each
        flow across paths, and its unserved volume queues on the flow's cheapest path.
    trace
        Keep the event log of the first replication (``result.trace``).
    progress
        Called as ``progress(done, total)`` after each chunk of replications.
    stage
        Called with the name of each phase as it starts: ``"assigning flows to paths"``,
        ``"laying out the model"``, ``"replications"``, ``"summarising"``.

    Raises
    ------
    InputError
        Impossible parameters (zero fleet, negative times, …) with every problem listed.
    UnknownNameError
        A demand node is not in the network.
    NoRouteError
        A flow has no path for its cargo class.
    InfeasibleError
        Conservation failed (a bug, reported rather than hidden).
    """
    problems = []
    if not (isinstance(replications, int) and replications >= 1):
        problems.append(f"replications must be a whole number ≥ 1, got {replications!r}")
    if not (isinstance(seed, int) and seed >= 0):
        problems.append(f"seed must be a whole number ≥ 0, got {seed!r}")
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        problems.append(f"workers must be a whole number ≥ 1, got {workers!r}")
    if scheduler is not None and "://" not in scheduler:
        problems.append(f"scheduler must be an address such as tcp://127.0.0.1:8786, got {scheduler!r}")
    if problems:
        raise InputError("cannot simulate: " + "; ".join(problems))
    rules = (rules or SimRules()).validated()
    plan = build_plan(network, demand.scaled(growth), rules, days=days, warmup_days=warmup_days, stage=stage)
    if stage is not None:
        stage("replications")
    chunks, totals = run_replications(
        plan,
        replications=replications,
        seed=seed,
        workers=workers if workers is not None else (os.cpu_count() or 1),
        scheduler=scheduler,
        trace=trace,
        progress=progress,
    )
    if stage is not None:
        stage("summarising")
    return summarise(
        plan,
        chunks,
        totals,
        network=network.name,
        demand=demand.name if growth == 1 else f"{demand.name}×{growth:g}",
        seed=seed,
        rules={**dataclasses.asdict(rules), "growth": growth},
        fleets={s.id: s.fleet for s in network.services},
        closure_ids=[(c.id, c.target) for c in network.closures],
    )
