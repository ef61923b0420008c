"""Conditions in force, read from the corridor's recent events: how long stages take *now*.

A port whose queue has grown, a border that slowed down, a ferry line that sails late: other
shipments that went through the same stage in the last ``window_h`` hours show it before the
network's statistics do.  :class:`RecentStages` collects completed stage durations (a node stage:
arrival → departure; a link stage: departure → next arrival) as events come in, and
:meth:`RecentStages.factor` turns them into a multiplicative factor on the stage's time for a
prediction made at ``now``:

    factor = exp(n / (n + k) · log(median observed / median of the model's stage))

— the log-ratio shrunk toward 1 by ``k`` pseudo-observations (:data:`PRIOR_N`), from the ``n``
completions inside the window (none → 1).  Only completions known at ``now`` count, so a replay
never looks ahead.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from corridor.tracking.events import TrackingEvent
from corridor.tracking.shipment import TrackedShipment
from corridor.units import HOURS_PER_DAY

WINDOW_H: Final = 14 * HOURS_PER_DAY
PRIOR_N: Final = 3.0
MAX_N: Final = 30


@dataclass
class RecentStages:
    """Completed stage durations by stage key (``node:<id>`` / ``link:<id>``), in completion order."""

    window_h: float = WINDOW_H
    prior_n: float = PRIOR_N
    _times: dict[str, list[float]] = field(default_factory=dict)
    _hours: dict[str, list[float]] = field(default_factory=dict)
    _open: dict[tuple[str, int, str], float] = field(default_factory=dict)

    def add(self, key: str, completed: datetime, hours: float) -> None:
        t = completed.timestamp()
        times = self._times.setdefault(key, [])
        durations = self._hours.setdefault(key, [])
        i = bisect.bisect_right(times, t)
        times.insert(i, t)
        durations.insert(i, hours)

    def observe(self, shipment: TrackedShipment, event: TrackingEvent) -> None:
        """Record what ``event`` completes for ``shipment`` (call in event time order)."""
        if not event.is_actual or event.location not in shipment.nodes:
            return
        k = shipment.nodes.index(event.location)
        t = event.event_time.timestamp()
        b = shipment.booking
        if event.movement == "arrive":
            self._open[(b, k, "node")] = t
            started = self._open.pop((b, k - 1, "link"), None)
            if started is not None and k >= 1:
                self.add(f"link:{shipment.links[k - 1]}", event.event_time, (t - started) / 3600.0)
        elif event.movement == "depart" and k < len(shipment.links):
            self._open[(b, k, "link")] = t
            started = self._open.pop((b, k, "node"), None)
            if started is not None:
                self.add(f"node:{shipment.nodes[k]}", event.event_time, (t - started) / 3600.0)

    def observe_all(self, pairs: Iterable[tuple[TrackedShipment, TrackingEvent]]) -> None:
        for ship, event in sorted(pairs, key=lambda p: p[1].order_key):
            self.observe(ship, event)

    def factor(self, key: str, now: datetime, model_median_h: float) -> float:
        """The stage's time factor at ``now`` (module docstring); 1 without recent completions."""
        times = self._times.get(key)
        if not times or model_median_h <= 0:
            return 1.0
        t = now.timestamp()
        hi = bisect.bisect_right(times, t)
        lo = bisect.bisect_left(times, t - self.window_h * 3600.0, 0, hi)
        lo = max(lo, hi - MAX_N)
        n = hi - lo
        if n == 0:
            return 1.0
        recent = sorted(self._hours[key][lo:hi])
        median = recent[n // 2] if n % 2 else 0.5 * (recent[n // 2 - 1] + recent[n // 2])
        ratio = max(median, 0.01 * model_median_h) / model_median_h
        return math.exp(n / (n + self.prior_n) * math.log(ratio))
