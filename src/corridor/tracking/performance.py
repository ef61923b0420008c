"""Actual against planned: the delay of every stage of every shipment, and where the corridor loses time.

A stage's **planned** time is the routing model's typical time for it (the sum of its components'
medians, as in the plan the shipment was booked on); its **actual** time comes from the events
(node stage: arrival → departure; link stage: departure → next arrival).  Segments are named as a
planner names them: ``rail``, ``road``, ``border``, ``gauge_change``, ``port_wait``, ``sailing``,
``terminal``.  :func:`delays` aggregates per segment and calendar month (of the stage's start).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from corridor.network import Network
from corridor.tracking._stages import closures_by_target, route_stages, services_by_link
from corridor.tracking.calibrate import observed_pairs
from corridor.tracking.events import EventLog, TrackingEvent
from corridor.tracking.shipment import TrackedShipment

SCHEMA: Final = "corridor.delays/1"
SEGMENTS: Final = {
    "rail": "rail",
    "road": "road",
    "border": "border",
    "transshipment": "gauge_change",
    "port_wait": "port_wait",
    "sea_ferry": "sailing",
    "terminal": "terminal",
    "pipeline": "pipeline",
}


@dataclass(frozen=True, slots=True)
class StageDelay:
    """One stage of one shipment: planned and actual hours."""

    booking: str
    segment: str
    where: str
    month: str  # YYYY-MM of the stage's start
    planned_h: float
    actual_h: float

    @property
    def delay_h(self) -> float:
        return self.actual_h - self.planned_h


@dataclass(frozen=True, slots=True)
class SegmentMonth:
    """Delays of one segment in one month: count, mean and total delay, share of stages late."""

    segment: str
    month: str
    n: int
    planned_h: float
    actual_h: float
    mean_delay_h: float
    total_delay_h: float
    late_share: float

    def to_json(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "month": self.month,
            "n": self.n,
            "planned_h": round(self.planned_h, 2),
            "actual_h": round(self.actual_h, 2),
            "mean_delay_h": round(self.mean_delay_h, 2),
            "total_delay_h": round(self.total_delay_h, 1),
            "late_share": round(self.late_share, 3),
        }


@dataclass(frozen=True, slots=True)
class Delays:
    """Per-stage delays and their aggregation by segment and month (largest total delay first)."""

    stages: tuple[StageDelay, ...]
    by_segment_month: tuple[SegmentMonth, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "stages": len(self.stages),
            "by_segment_month": [r.to_json() for r in self.by_segment_month],
        }


def delays(
    network: Network, shipments: Sequence[TrackedShipment], events: Iterable[TrackingEvent] | EventLog
) -> Delays:
    """Planned against actual time for every observed stage, aggregated per segment and month."""
    log = events if isinstance(events, EventLog) else EventLog.of(events)
    services, closures = services_by_link(network), closures_by_target(network)
    out: list[StageDelay] = []
    for ship in shipments:
        stages = route_stages(
            network, ship.nodes, ship.links, ship.planned_departure, services=services, closures=closures
        )
        for index, start, hours in observed_pairs(ship, log):
            st = stages[index]
            segment = SEGMENTS.get(st.category, st.category)
            out.append(StageDelay(ship.booking, segment, st.where, f"{start:%Y-%m}", st.typical_h, hours))
    groups: dict[tuple[str, str], list[StageDelay]] = {}
    for d in out:
        groups.setdefault((d.segment, d.month), []).append(d)
    rows = []
    for (segment, month), items in groups.items():
        planned = np.array([d.planned_h for d in items])
        actual = np.array([d.actual_h for d in items])
        delay = actual - planned
        rows.append(
            SegmentMonth(
                segment,
                month,
                len(items),
                float(planned.mean()),
                float(actual.mean()),
                float(delay.mean()),
                float(delay.sum()),
                float(np.mean(delay > 0.0)),
            )
        )
    rows.sort(key=lambda r: (-r.total_delay_h, r.segment, r.month))
    return Delays(tuple(out), tuple(rows))
