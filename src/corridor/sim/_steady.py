"""Is a simulated queue steady?  Growth of port backlogs and of each flow's undelivered cargo.

Admission (:mod:`._routes`) keeps the simulated demand within what the assignment carries, but a
queue can still grow: storms, fill-or-timeout waits and cohort lumps are not in the assignment's
annual capacities.  Two tests, both on figures the simulation already reports:

* **a port** is *not steady* when its mean backlog over the last ``WINDOW_D`` days of the measured
  period exceeds that of the first ``WINDOW_D`` days by more than ``GROWTH_SHARE`` of the larger
  of the two and by more than ``FLOOR`` (TEU, or tonnes for bulk).  Both windows fall in the same
  season when the period is a whole year, so the Caspian winter storms do not count as growth.
  Its growth rate is the difference over the days between the two windows' midpoints.
* **a flow** is *not steady* when it delivers less than ``DELIVERED_SHARE`` of what it generated in
  the measured period, or when a port on one of its paths is not steady.  Its growth rate is
  ``(generated − delivered) / days``: the cargo it leaves behind per day.

A flow that is not steady has no steady-state door-to-door time: the CLI, JSON and report label it
"not steady" instead of quoting quantiles of a queue that grows with the horizon, and report the
cargo still in the system at the end (cut off by the horizon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

WINDOW_D: Final = 60
GROWTH_SHARE: Final = 0.5
FLOOR: Final = {"teu": 100.0, "t": 1_000.0}
DELIVERED_SHARE: Final = 0.8


@dataclass(frozen=True, slots=True)
class Growth:
    """Backlog growth in TEU and tonnes a day, and whether the queue is steady."""

    teu_per_day: float
    t_per_day: float
    steady: bool


def port_growth(mean_teu: Sequence[float], mean_t: Sequence[float]) -> Growth:
    """Growth of one port's daily mean backlog (module docstring)."""
    rates: list[float] = []
    steady = True
    for unit, series in (("teu", mean_teu), ("t", mean_t)):
        values = np.asarray(series, dtype=float)
        window = min(WINDOW_D, values.size // 3)
        if window < 1:
            rates.append(0.0)
            continue
        first, last = float(values[:window].mean()), float(values[-window:].mean())
        rise = last - first
        rates.append(rise / max(values.size - window, 1))
        if rise > FLOOR[unit] and rise > GROWTH_SHARE * max(first, last):
            steady = False
    return Growth(rates[0], rates[1], steady)


def flow_growth(generated: float, delivered: float, days: int, ports_steady: bool) -> tuple[float, bool]:
    """(cargo left behind per day, steady?) for one flow (module docstring)."""
    left = max(generated - delivered, 0.0)
    steady = ports_steady and (generated <= 0 or delivered >= DELIVERED_SHARE * generated)
    return left / max(days, 1), steady
