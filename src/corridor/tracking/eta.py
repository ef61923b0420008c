"""Predicted arrival: P10/P50/P90 at every remaining milestone of a shipment, from its last actual event.

Method (docs/design/tracking-eta.md):

1. The **last actual event** on the planned route says where the equipment is: an arrival
   (``ARRI``, ``GTIN``, ``DISC``) at node *k* puts it in node *k*'s stage, a departure (``DEPA``,
   ``GTOT``, ``LOAD``) on the link after node *k*.  Without one, it waits at the origin from the
   planned departure.
2. The rest of the route is cut into stages with the routing model's components
   (:mod:`corridor.tracking._stages`), with closures for the months in which the cargo gets there
   (as of now).  A closure reported **in force** (``closed``) at the current or next place becomes a
   certain wait, exponential with the closure's mean episode (memoryless episodes).
3. The current stage is **conditioned on the time already spent**: its residual, not a fresh draw.
   With ``recent`` stage durations (:mod:`corridor.tracking.conditions`), every stage's time is
   scaled by how long it has taken other shipments lately (port queues, slow borders).  Without
   recent events the queues can come from a scenario: a :class:`Predictor` built with ``queueing``
   (:func:`corridor.routing.queueing_for` of a capacity assignment) adds routing's expected queue
   at capacity-limited nodes and its fill-or-timeout intervals; recent durations, where there are
   any, then scale those stages to what they take now.
4. The arrival at milestone *j* is now + residual + the later stages up to *j*.  The sum is taken
   by Monte Carlo over :data:`SAMPLES` seeded draws per stage (the stages' lognormal dwells have
   skewness far beyond what a cumulant expansion handles at P10), and P10/P50/P90 are its
   quantiles.  Draws are seeded by stage, so a prediction is a pure function of its inputs.

The **planned** time at each milestone (the naive baseline) is the planned departure plus the
routing model's typical arrival times on the route, never updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np

from corridor.distributions import CLOSURE
from corridor.errors import InputError, Problem
from corridor.network import Closure, Network, Service
from corridor.routing import Queueing
from corridor.tracking._spread import Spread
from corridor.tracking._stages import Residual, Stage, closures_by_target, route_stages, services_by_link, stage_draws
from corridor.tracking.conditions import RecentStages
from corridor.tracking.events import EventLog, TrackingEvent, utc
from corridor.tracking.shipment import TrackedShipment

SCHEMA: Final = "corridor.eta/1"
QUANTILES: Final = (0.1, 0.5, 0.9)
#: Monte Carlo draws per stage.
SAMPLES: Final = 1000
_ORDER: Final = [int(q * SAMPLES) for q in QUANTILES]
#: Mean wait of a closure reported in force when the network has no statistic for the place (estimate:
#: the order of the bundled Caspian storm episodes).
DEFAULT_EPISODE_H: Final = 24.0


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="seconds").replace("+00:00", "Z")


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True, slots=True)
class MilestoneEta:
    """Arrival at one node of the route: predicted quantiles, the plan, and the actual once known.

    Times are kept as POSIX seconds (``*_s``; cheap for thousands of shipments) and read as UTC
    datetimes through the properties.
    """

    node: str
    name: str
    p10_s: float
    p50_s: float
    p90_s: float
    planned_s: float
    actual_s: float | None = None

    @property
    def p10(self) -> datetime:
        return _at(self.p10_s)

    @property
    def p50(self) -> datetime:
        return _at(self.p50_s)

    @property
    def p90(self) -> datetime:
        return _at(self.p90_s)

    @property
    def planned(self) -> datetime:
        return _at(self.planned_s)

    @property
    def actual(self) -> datetime | None:
        return None if self.actual_s is None else _at(self.actual_s)

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "name": self.name,
            "p10": _iso(self.p10),
            "p50": _iso(self.p50),
            "p90": _iso(self.p90),
            "planned": _iso(self.planned),
            "actual": _iso(self.actual),
        }


@dataclass(frozen=True, slots=True)
class Eta:
    """Predicted arrivals of one shipment as of ``as_of``; ``milestones`` are the nodes still ahead."""

    booking: str
    as_of: datetime
    status: str  # planned | in-transit | delivered
    position: str  # node id, or link id while moving
    elapsed_h: float
    last_event: str | None
    milestones: tuple[MilestoneEta, ...]
    passed: tuple[MilestoneEta, ...] = field(default=())

    @property
    def destination(self) -> MilestoneEta:
        return self.milestones[-1] if self.milestones else self.passed[-1]

    def to_json(self) -> dict[str, Any]:
        d = self.destination
        return {
            "schema": SCHEMA,
            "booking": self.booking,
            "as_of": _iso(self.as_of),
            "status": self.status,
            "position": self.position,
            "elapsed_h": round(self.elapsed_h, 2),
            "last_event": self.last_event,
            "destination": d.to_json(),
            "milestones": [m.to_json() for m in self.milestones],
            "passed": [m.to_json() for m in self.passed],
        }


@dataclass(frozen=True, slots=True)
class _Position:
    stage: int  # index into the stages of the whole route
    since: datetime
    event: TrackingEvent | None


class Predictor:
    """Arrival prediction on one network; caches stages and residual draws, so many shipments share them.

    Build once per network (``Predictor(network)``), then call :meth:`predict` or :meth:`predict_many`.
    """

    def __init__(
        self, network: Network, *, parameter_uncertainty: bool = True, queueing: Queueing | None = None
    ) -> None:
        self.network = network
        self.queueing = queueing
        self._spread = Spread.of(network) if parameter_uncertainty else Spread({})
        self._services: dict[str, Service] = services_by_link(network)
        self._closures: dict[str, tuple[Closure, ...]] = closures_by_target(network)
        self._stages: dict[tuple[Any, ...], list[Stage]] = {}
        self._cum: dict[int, np.ndarray[Any, np.dtype[np.float64]]] = {}
        self._draws: dict[tuple[Any, ...], tuple[np.ndarray[Any, np.dtype[np.float64]], tuple[float, ...]]] = {}
        self._residuals: dict[str, Residual] = {}
        self._plans: dict[tuple[Any, ...], tuple[float, ...]] = {}
        self._checked: set[tuple[str, ...]] = set()
        self._names = {n.id: n.name for n in network.nodes}

    # --- public -------------------------------------------------------------------------
    def predict(
        self,
        shipment: TrackedShipment,
        events: Iterable[TrackingEvent] | EventLog,
        now: datetime,
        *,
        closed: Iterable[str] = (),
        recent: RecentStages | None = None,
    ) -> Eta:
        """P10/P50/P90 arrival at each remaining node of ``shipment`` as of ``now``.

        Parameters
        ----------
        shipment
            The booking and its planned route.
        events
            Its events (any order; retracted ones already removed when an :class:`EventLog` is given,
            only actual events on the route are used).
        now
            The moment of the prediction (UTC); events created after it are ignored.
        closed
            Node or link ids with a closure in force now.
        recent
            Stage durations other shipments completed recently (:mod:`corridor.tracking.conditions`):
            each stage's time is scaled by how long it takes now.

        Raises
        ------
        InputError
            if the route does not fit the network.
        """
        now = utc(now)
        self._check(shipment)
        evs = events.effective(shipment.booking, until=now) if isinstance(events, EventLog) else events
        pos, arrivals = self._position(shipment, evs, now)
        return self._eta(shipment, pos, arrivals, now, frozenset(closed), recent)

    def predict_many(
        self,
        shipments: Sequence[TrackedShipment],
        log: EventLog,
        now: datetime,
        *,
        closed: Iterable[str] = (),
        recent: RecentStages | None = None,
    ) -> list[Eta]:
        """:meth:`predict` for many shipments sharing one event log (events grouped once)."""
        now = utc(now)
        closed_set = frozenset(closed)
        by_booking: dict[str, list[TrackingEvent]] = {}
        for e in log.effective(until=now):
            by_booking.setdefault(e.booking, []).append(e)
        out = []
        for s in shipments:
            self._check(s)
            pos, arrivals = self._position(s, by_booking.get(s.booking, []), now)
            out.append(self._eta(s, pos, arrivals, now, closed_set, recent))
        return out

    def planned_arrivals(self, shipment: TrackedShipment) -> tuple[datetime, ...]:
        """Planned (typical) arrival at every node of the route, from the planned departure."""
        return tuple(_at(t) for t in self._planned_s(shipment))

    def _planned_s(self, shipment: TrackedShipment) -> list[float]:
        t0 = shipment.planned_departure.timestamp()
        return [t0 + h * 3600.0 for h in self._plan(shipment)]

    def stages(self, shipment: TrackedShipment, start: int, when: datetime) -> list[Stage]:
        """Stages of the route from node ``start`` on, for cargo there at ``when``."""
        key = (shipment.nodes[start:], shipment.links[start:], when.year, when.month)
        cached = self._stages.get(key)
        if cached is None:
            cached = route_stages(
                self.network,
                shipment.nodes[start:],
                shipment.links[start:],
                when,
                services=self._services,
                closures=self._closures,
                queueing=self.queueing,
            )
            self._stages[key] = cached
        return cached

    # --- internals ----------------------------------------------------------------------
    def _check(self, shipment: TrackedShipment) -> None:
        key = shipment.nodes + shipment.links
        if key not in self._checked:
            shipment.check_route(self.network)
            self._checked.add(key)

    def _plan(self, shipment: TrackedShipment) -> tuple[float, ...]:
        d = shipment.planned_departure
        key = (shipment.nodes, shipment.links, d.year, d.month)
        plan = self._plans.get(key)
        if plan is None:
            stages = self.stages(shipment, 0, d)
            arrival, clock = [0.0], 0.0
            for st in stages:
                clock += st.typical_h
                if st.kind == "link":
                    arrival.append(clock)
            plan = tuple(arrival)
            self._plans[key] = plan
        return plan

    def _position(
        self, shipment: TrackedShipment, events: Iterable[TrackingEvent], now: datetime
    ) -> tuple[_Position, dict[int, float]]:
        index = {n: i for i, n in enumerate(shipment.nodes)}
        last: _Position | None = None
        arrivals: dict[int, float] = {}
        for e in events:
            if not e.is_actual or e.created_time > now or e.event_time > now or e.location not in index:
                continue
            k = index[e.location]
            move = e.movement
            if move == "arrive":
                arrivals.setdefault(k, e.event_time.timestamp())
                cand = _Position(2 * k, e.event_time, e)
            elif move == "depart" and k < len(shipment.links):
                cand = _Position(2 * k + 1, e.event_time, e)
            else:
                continue
            # progress only moves forward along the route: a late-arriving old event never rewinds it
            if last is None or (cand.stage, cand.since) > (last.stage, last.since):
                last = cand
        if last is None:
            start = (
                max(shipment.planned_departure, now) if now < shipment.planned_departure else shipment.planned_departure
            )
            last = _Position(0, start, None)
        return last, arrivals

    def _eta(
        self,
        shipment: TrackedShipment,
        pos: _Position,
        arrivals: Mapping[int, float],
        now: datetime,
        closed: frozenset[str],
        recent: RecentStages | None,
    ) -> Eta:
        plan = self._planned_s(shipment)
        n_nodes = len(shipment.nodes)
        node_k = pos.stage // 2
        ev = pos.event
        names = self._names
        passed = tuple(
            MilestoneEta(shipment.nodes[i], names[shipment.nodes[i]], t, t, t, plan[i], t)
            for i, t in sorted(arrivals.items())
        )
        if pos.stage == 2 * (n_nodes - 1):  # arrived at the destination
            return Eta(
                shipment.booking, now, "delivered", shipment.destination, 0.0, ev.event_id if ev else None, (), passed
            )
        ref = max(now, pos.since)
        elapsed = max((now - pos.since).total_seconds() / 3600.0, 0.0)
        stages = self.stages(shipment, node_k, ref)
        offset = pos.stage - 2 * node_k  # 0: in the node stage, 1: on the link
        current = stages[offset]
        res = self._residual(node_k, offset, ref, current, closed)
        draws, medians = self._future(shipment, node_k, ref, stages, closed)  # (stages, SAMPLES)
        if recent is None:
            factors = np.ones(len(stages))
            cum = self._cum_plain(draws)
        else:
            factors = np.array(
                [recent.factor(f"{st.kind}:{st.where}", now, m) for st, m in zip(stages, medians, strict=True)]
            )
            cum = np.cumsum(draws * factors[:, None], axis=0)
        f = float(factors[offset])
        # arrival at node k+1+i ends stage 2i+1 (relative to node k)
        ends = np.arange(1, len(stages), 2)
        total = f * res.sample(elapsed / f)[None, :] + (cum[ends] - cum[offset])
        lo, mid, hi = np.sort(total, axis=1)[:, _ORDER].T  # order statistics (np.sort beats np.quantile 8x)
        t0 = now.timestamp()
        lo_s, mid_s, hi_s = ((t0 + 3600.0 * x).tolist() for x in (lo, mid, hi))
        milestones = [
            MilestoneEta(shipment.nodes[j], names[shipment.nodes[j]], lo_s[i], mid_s[i], hi_s[i], plan[j])
            for i, j in enumerate(range(node_k + 1, n_nodes))
        ]
        status = "planned" if ev is None else "in-transit"
        where = current.where
        return Eta(
            shipment.booking, now, status, where, elapsed, ev.event_id if ev else None, tuple(milestones), passed
        )

    def _closure_now(self, target: str) -> Stage | None:
        from corridor.routing import Component

        mean = next((c.episode_mean_h for c in self._closures.get(target, ())), DEFAULT_EPISODE_H)
        return Stage("node", target, "closure", (Component("closure", target, "closure in force", CLOSURE, 1.0, mean),))

    def _with_closure(self, stage: Stage, closed: frozenset[str]) -> Stage:
        if stage.where not in closed:
            return stage
        extra = self._closure_now(stage.where)
        assert extra is not None
        return Stage(stage.kind, stage.where, stage.category, stage.components + extra.components)

    def _residual(self, k: int, offset: int, when: datetime, stage: Stage, closed: frozenset[str]) -> Residual:
        stage = self._with_closure(stage, closed)
        key = f"{stage.where}|{offset}|{when.year}-{when.month}|{stage.where in closed}"
        res = self._residuals.get(key)
        if res is None:
            res = Residual(stage, key, SAMPLES)
            self._residuals[key] = res
        return res

    def _future(
        self, shipment: TrackedShipment, k: int, when: datetime, stages: list[Stage], closed: frozenset[str]
    ) -> tuple[np.ndarray[Any, np.dtype[np.float64]], tuple[float, ...]]:
        """Draws of each stage's time from node ``k`` on (one row per stage), and each stage's median."""
        hot = frozenset(s for s in closed if s in (stages[1].where, stages[2].where if len(stages) > 2 else ""))
        key = (shipment.nodes[k:], shipment.links[k:], when.year, when.month, hot)
        got = self._draws.get(key)
        if got is None:
            rows = np.array(
                [
                    stage_draws(
                        self._with_closure(st, hot), f"{st.kind}:{st.where}|{when.year}-{when.month}|{i}", SAMPLES
                    )
                    for i, st in enumerate(stages)
                ]
            )
            # the model's stage medians (without parameter spread), for ``recent``: one partition per row
            medians = tuple(np.partition(rows, SAMPLES // 2, axis=1)[:, SAMPLES // 2].tolist())
            spread = self._spread.factors([f"{st.kind}:{st.where}" for st in stages], SAMPLES)
            got = (rows if spread is None else rows * spread, medians)
            self._draws[key] = got
        return got

    def _cum_plain(self, draws: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        key = id(draws)
        cum = self._cum.get(key)
        if cum is None:
            cum = np.cumsum(draws, axis=0)
            self._cum[key] = cum
        return cum


def est_events(previous: Mapping[str, datetime], eta: Eta, *, threshold_h: float, now: datetime) -> list[TrackingEvent]:
    """A new ``EST`` arrival event at the destination when the P50 moved by more than ``threshold_h``
    since the last estimate published (``previous``: booking → P50 then); none otherwise."""
    from corridor.tracking.dcsa import event_id

    if threshold_h <= 0:
        raise InputError("invalid threshold", [Problem("threshold_h", f"must be > 0 hours, got {threshold_h}")])
    if not eta.milestones:
        return []
    d = eta.milestones[-1]
    before = previous.get(eta.booking)
    if before is not None and abs((d.p50 - before).total_seconds()) <= threshold_h * 3600.0:
        return []
    return [
        TrackingEvent(
            event_id=event_id(f"est:{eta.booking}:{_iso(now)}:{_iso(d.p50)}"),
            event_type="TRANSPORT",
            classifier="EST",
            type_code="ARRI",
            event_time=d.p50,
            created_time=utc(now),
            booking=eta.booking,
            location=d.node,
            mode="RAIL",
            remark=f"corridor ETA P10 {_iso(d.p10)}, P90 {_iso(d.p90)}",
        )
    ]
