"""Is a simulated queue steady?  Growth of port backlogs and of each flow's undelivered cargo.

Admission (:mod:`._routes`) keeps the simulated demand within what the assignment carries, but a
queue can still grow: storms, fill-or-timeout waits and cohort lumps are not in the assignment's
annual capacities.  Two tests, both on figures the simulation already reports:

* **a port** is *not steady* when its backlog's **low point** rises: the lowest 7-day mean backlog in
  the last third of the measured period exceeds the lowest in the first third by more than
  ``GROWTH_SHARE`` of the earlier low, by more than ``FLOOR`` (TEU, or tonnes for bulk), and by
  more than ``NOISE_Z`` standard errors of the difference between the two lows, when the daily
  standard errors over the replications are given (a low is a 7-day mean of strongly correlated
  days, so its error is taken as the mean daily error over its window, not divided further): with
  few replications a backlog's lows wander by chance, and a rise no larger than that is not growth.  A queue
  whose arrivals exceed its service never drains, so its lows climb with the horizon; a seasonal
  queue (the Caspian winter storms: Kuryk is closed half of November–December) peaks and drains
  again, so its lows stay put even when the period ends in a storm season and starts after a
  warm-up that began empty — comparing *means* of the first and last windows flagged exactly that
  as growth (the 2024 Kuryk bulk backlog, ~42 t/day).  The growth rate is the rise between the two
  lows over the days between them.
* **a flow** is *not steady* when it delivers less than ``DELIVERED_SHARE`` of what it generated in
  the measured period, or when a port on one of its paths is not steady in its unit (a growing container backlog does not make the bulk through the same port unsteady).  Its growth rate is
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

SMOOTH_D: Final = 7
GROWTH_SHARE: Final = 0.5
FLOOR: Final = {"teu": 100.0, "t": 1_000.0}
DELIVERED_SHARE: Final = 0.8
NOISE_Z: Final = 2.0


@dataclass(frozen=True, slots=True)
class Growth:
    """Backlog growth in TEU and tonnes a day, and whether the queue is steady."""

    teu_per_day: float
    t_per_day: float
    steady_teu: bool
    steady_t: bool

    @property
    def steady(self) -> bool:
        """Both the container and the tonnes backlog are steady."""
        return self.steady_teu and self.steady_t

    def steady_in(self, unit: str) -> bool:
        """The backlog of this unit ("teu" or "t": a flow's cargo) is steady."""
        return self.steady_teu if unit == "teu" else self.steady_t


def port_growth(
    mean_teu: Sequence[float],
    mean_t: Sequence[float],
    se_teu: Sequence[float] | None = None,
    se_t: Sequence[float] | None = None,
) -> Growth:
    """Growth of one port's daily mean backlog (module docstring); ``se_*``: the standard error of
    each day's mean over the replications."""
    rates: list[float] = []
    steady: list[bool] = []
    for unit, series, errors in (("teu", mean_teu, se_teu), ("t", mean_t, se_t)):
        values = np.asarray(series, dtype=float)
        if values.size < 3 * SMOOTH_D:
            rates.append(0.0)
            steady.append(True)
            continue
        smooth = np.convolve(values, np.full(SMOOTH_D, 1.0 / SMOOTH_D), mode="valid")
        third = smooth.size // 3
        i_first = int(np.argmin(smooth[:third]))
        i_last = smooth.size - third + int(np.argmin(smooth[-third:]))
        low_first, low_last = float(smooth[i_first]), float(smooth[i_last])
        rise = low_last - low_first
        rates.append(rise / max(i_last - i_first, 1))
        noise = 0.0
        if errors is not None:
            window = np.convolve(np.asarray(errors, dtype=float), np.full(SMOOTH_D, 1.0 / SMOOTH_D), mode="valid")
            noise = NOISE_Z * float(np.hypot(window[i_first], window[i_last]))
        steady.append(not (rise > FLOOR[unit] and rise > GROWTH_SHARE * low_first and rise > noise))
    return Growth(rates[0], rates[1], steady[0], steady[1])


def flow_growth(generated: float, delivered: float, days: int, ports_steady: bool) -> tuple[float, bool]:
    """(cargo left behind per day, steady?) for one flow (module docstring)."""
    left = max(generated - delivered, 0.0)
    steady = ports_steady and (generated <= 0 or delivered >= DELIVERED_SHARE * generated)
    return left / max(days, 1), steady
