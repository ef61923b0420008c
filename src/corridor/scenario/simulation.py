"""The simulation's part of a scenario comparison: door-to-door distributions of the main pairs
and port backlogs, from :func:`corridor.sim.simulate` on the applied scenario."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from corridor.errors import CorridorError, InfeasibleError
from corridor.scenario._model import AppliedScenario
from corridor.scenario.comparison import Backlog, SimSummary
from corridor.units import HOURS_PER_DAY

#: Ports whose backlog series a comparison keeps (the busiest first).
BACKLOG_PORTS = 3


def _quantile_sample(histogram: Sequence[float], bin_h: float, points: int = 99) -> tuple[float, ...]:
    """Days at the 1st…99th percentiles of a histogram of hours (shares per bin)."""
    total = sum(histogram)
    if total <= 0:
        return ()
    out = []
    cum = 0.0
    k = 0
    targets = [(i + 1) / (points + 1) * total for i in range(points)]
    for b, share in enumerate(histogram):
        cum += share
        while k < len(targets) and cum >= targets[k]:
            out.append((b + 0.5) * bin_h / HOURS_PER_DAY)
            k += 1
    return tuple(out)


def simulator(
    *, replications: int = 2, seed: int = 2024, days: int = 365, workers: int = 1
) -> Callable[[AppliedScenario, Sequence[tuple[str, str]]], SimSummary]:
    """A function that simulates one applied scenario for :func:`~corridor.scenario.comparison.compare`.

    Small defaults (2 replications in this process) keep a report well under a minute; pass more
    replications for tighter confidence intervals.
    """

    def run(applied: AppliedScenario, ods: Sequence[tuple[str, str]]) -> SimSummary:
        try:
            from corridor.sim import simulate
        except ImportError as exc:  # the engine is optional for comparisons
            raise InfeasibleError(f"the simulation engine is not available ({exc}); run without --sim") from None

        result = simulate(
            applied.network, applied.demand, days=days, replications=replications, seed=seed, workers=workers
        )
        times: dict[tuple[str, str], tuple[float | None, float | None, tuple[float, ...]]] = {}
        not_steady = []
        for origin, dest in ods:
            try:
                od = result.flow(origin, dest, "container")
            except CorridorError:
                continue
            if not od.steady:  # its times depend on the horizon: the comparison keeps the routing times
                not_steady.append(f"{origin}→{dest}")
                continue
            p50 = None if od.p50_h.value is None else od.p50_h.value / HOURS_PER_DAY
            p90 = None if od.p90_h.value is None else od.p90_h.value / HOURS_PER_DAY
            times[(origin, dest)] = (p50, p90, _quantile_sample(od.histogram, od.bin_h))
        ports = sorted(
            (p for p in result.ports if (p.peak_teu.value or 0.0) > 0), key=lambda p: -(p.peak_teu.value or 0.0)
        )
        backlogs = []
        for port in ports[:BACKLOG_PORTS]:
            series = port.mean_teu
            peak_day = max(range(len(series)), key=series.__getitem__) if series else 0
            backlogs.append(
                Backlog(
                    port=port.node,
                    peak_teu=port.peak_teu.value or 0.0,
                    peak_day=float(peak_day),
                    days=tuple(float(d) for d in range(len(series))),
                    teu=tuple(series),
                )
            )
        meta = {"replications": result.replications, "seed": result.seed, "days": result.days}
        return SimSummary(times, tuple(backlogs), meta, frozenset(not_steady))

    return run
