"""Scoring predicted arrivals on a replayed event stream, against the planned schedule.

:func:`evaluate` replays every shipment's events in event time.  After each actual event it asks
the :class:`~corridor.tracking.eta.Predictor` for the arrivals still ahead and, for every milestone
whose actual arrival the stream contains, records the absolute error of the P50 and whether the
actual fell inside P10–P90.  The **baseline** is the naive planned schedule: the planned departure
plus the routing model's typical times (never updated), with the P10–P90 the model gave at booking.

Scores are reported for the **last milestone** (the destination: the headline), the **next**
milestone after each event, and **all** milestones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from corridor.network import Network
from corridor.tracking.conditions import RecentStages
from corridor.tracking.eta import Eta, Predictor
from corridor.tracking.events import EventLog, TrackingEvent
from corridor.tracking.shipment import TrackedShipment

SCHEMA: Final = "corridor.eta-evaluation/1"
SCOPES: Final = ("last", "next", "all")


@dataclass(frozen=True, slots=True)
class Score:
    """Errors over ``n`` predictions: MAE of the P50 (hours) and P10–P90 coverage, model and baseline."""

    scope: str
    n: int
    mae_h: float
    coverage: float
    baseline_mae_h: float
    baseline_coverage: float

    @property
    def improvement(self) -> float:
        """How much smaller the model's MAE is than the baseline's (0.3 = 30% smaller)."""
        return 1.0 - self.mae_h / self.baseline_mae_h if self.baseline_mae_h > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "n": self.n,
            "mae_h": round(self.mae_h, 2),
            "coverage_p10_p90": round(self.coverage, 4),
            "baseline_mae_h": round(self.baseline_mae_h, 2),
            "baseline_coverage_p10_p90": round(self.baseline_coverage, 4),
            "improvement": round(self.improvement, 4),
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores of one replay: per scope, and the shipments and events it used."""

    network: str
    shipments: int
    events: int
    predictions: int
    scores: tuple[Score, ...]

    def score(self, scope: str) -> Score:
        return next(s for s in self.scores if s.scope == scope)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "network": self.network,
            "shipments": self.shipments,
            "events": self.events,
            "predictions": self.predictions,
            "scores": [s.to_json() for s in self.scores],
        }


def actual_arrivals(shipment: TrackedShipment, events: Iterable[TrackingEvent]) -> dict[int, float]:
    """Actual arrival at each node of the route (first arrival event there), as POSIX seconds."""
    index = {n: i for i, n in enumerate(shipment.nodes)}
    out: dict[int, float] = {}
    for e in events:
        if e.is_actual and e.movement == "arrive" and e.location in index:
            k = index[e.location]
            out[k] = min(out.get(k, e.event_time.timestamp()), e.event_time.timestamp())
    return out


def evaluate(
    network: Network,
    shipments: Sequence[TrackedShipment],
    events: Iterable[TrackingEvent],
    *,
    predictor: Predictor | None = None,
    recent: bool = False,
) -> Evaluation:
    """Replay ``events`` in event time (any input order; duplicates and retractions are handled by
    :class:`EventLog`) and score the prediction made after each actual event.

    ``predictor`` defaults to one on ``network``; pass one built on a calibrated network to score it.
    With ``recent``, predictions use the stage durations completed so far in the replay
    (:class:`~corridor.tracking.conditions.RecentStages`), never later ones.
    """
    pred = predictor or Predictor(network)
    log = events if isinstance(events, EventLog) else EventLog.of(events)
    ships = {s.booking: s for s in shipments}
    stream = [e for e in log.effective() if e.is_actual and e.booking in ships]
    rows: dict[str, list[tuple[float, bool, float, bool]]] = {s: [] for s in SCOPES}
    truth: dict[str, dict[int, float]] = {}
    plans: dict[str, dict[str, tuple[float, float, float]]] = {}
    for b, ship in ships.items():
        truth[b] = actual_arrivals(ship, (e for e in stream if e.booking == b))
        booked = pred.predict(ship, [], ship.planned_departure)
        plans[b] = {m.node: (m.planned_s, m.p10_s, m.p90_s) for m in booked.milestones}
    seen: dict[str, list[TrackingEvent]] = {b: [] for b in ships}
    stages = RecentStages() if recent else None
    for e in stream:
        ship = ships[e.booking]
        seen[e.booking].append(e)
        if stages is not None:
            stages.observe(ship, e)
        eta = pred.predict(ship, seen[e.booking], e.event_time, recent=stages)
        _score(eta, ship, truth[e.booking], plans[e.booking], len(ship.nodes) - 1, rows)
    scores = tuple(_summary(scope, rows[scope]) for scope in SCOPES)
    used = sum(1 for b in ships if truth[b])
    return Evaluation(network.name, used, len(stream), len(stream), scores)


def _score(
    eta: Eta,
    ship: TrackedShipment,
    truth: dict[int, float],
    plan: dict[str, tuple[float, float, float]],
    last_node: int,
    rows: dict[str, list[tuple[float, bool, float, bool]]],
) -> None:
    index = {n: i for i, n in enumerate(ship.nodes)}
    for rank, m in enumerate(eta.milestones):
        k = index[m.node]
        actual = truth.get(k)
        if actual is None:
            continue
        planned, b10, b90 = plan[m.node]
        row = (
            abs(m.p50_s - actual) / 3600.0,
            m.p10_s <= actual <= m.p90_s,
            abs(planned - actual) / 3600.0,
            b10 <= actual <= b90,
        )
        rows["all"].append(row)
        if rank == 0:
            rows["next"].append(row)
        if k == last_node:
            rows["last"].append(row)


def _summary(scope: str, rows: list[tuple[float, bool, float, bool]]) -> Score:
    if not rows:
        return Score(scope, 0, 0.0, 0.0, 0.0, 0.0)
    a = np.array(rows, dtype=float)
    return Score(scope, len(rows), *(float(v) for v in a.mean(axis=0)))
