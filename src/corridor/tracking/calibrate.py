"""Re-estimating the network's stage times from the corridor's own events, shrunk toward the bundled values.

Observed stage durations (docs/design/tracking-eta.md):

* **node stage** at node *v*: departure − arrival there (gate-in at the origin).  The model's stage is
  dwell + service wait + closures; the other parts keep their network values, so the **dwell** is
  what is re-estimated, by moments: mean = mean(T) − mean(other), variance = var(T) − var(other),
  then the log-normal with that mean and variance (median, P90);
* **link stage**: arrival at the next node − departure; the moving time's log-normal is fitted to
  the logs (median = exp(mean log T), σ = sd log T).

**Shrinkage** (normal–normal empirical Bayes on the log scale, as in James–Stein): for each stage the
data give ``ℓ = log median`` with sampling variance ``s² = σ²/n``; the prior is the bundled value
``ℓ₀``; the spread of true values around the priors, ``τ²``, is estimated from all stages together
(mean of ``(ℓ − ℓ₀)²`` minus the mean ``s²``, at least :data:`MIN_TAU2`); the estimate is
``ℓ₀ + w (ℓ − ℓ₀)`` with ``w = τ² / (τ² + s²)``.  The log-σ is shrunk the same way (``s² = 1/(2n)``).
Stages with fewer than :data:`MIN_N` observations keep their bundled values.

The line's ``max_wait_h`` is not scaled with the port (it is the service's departure rule).  The
calibrated values' spread (``posterior log-sd`` in the source's note, read by
:mod:`corridor.tracking._spread`) is estimated from the residuals: ``√Σω(w s² + r² − s²)/Σω`` over the
stages, the posterior variance plus the misfit ``r`` (log of observed over calibrated mean stage time,
less its sampling variance ``s²``), weighted by ``ω`` = the stage's mean time² (its share of a
journey's variance).

The calibrated network gets a new version (``<version>+cal.<last event date>``) and a source row
``calibrated-<date>`` ("calibrated from N events, first … last"); every changed value points to it.
**Seasons** (:mod:`corridor.tracking._seasons`): the network holds one dwell per node, and what varies
by season is carried by closure rules; a node's quarter with enough stages that is slower than its
fastest becomes a ``calibrated-<date>-<node>-q<k>`` closure rule for those months, and the dwell is
scaled net of it.  Nodes without two such quarters, and links, are pooled over the window.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

import numpy as np

from corridor.errors import InputError, Problem
from corridor.network import Closure, Link, Network, Node, Source
from corridor.tracking._seasons import seasonal_closures
from corridor.tracking._stages import closures_by_target
from corridor.tracking.events import EventLog, TrackingEvent
from corridor.tracking.shipment import TrackedShipment
from corridor.units import Z90

SCHEMA: Final = "corridor.calibration/1"
MIN_N: Final = 5
MIN_TAU2: Final = 0.01
MIN_SIGMA: Final = 0.05


@dataclass(frozen=True, slots=True)
class StageEstimate:
    """One re-estimated stage: bundled (prior), from the data, and the shrunk result (median, P90 in hours)."""

    kind: str  # node | link
    where: str
    n: int
    prior: tuple[float, float]
    data: tuple[float, float]
    posterior: tuple[float, float]
    weight: float

    def to_json(self) -> dict[str, Any]:
        def pair(p: tuple[float, float]) -> dict[str, float]:
            return {"median_h": round(p[0], 2), "p90_h": round(p[1], 2)}

        return {
            "kind": self.kind,
            "where": self.where,
            "n": self.n,
            "prior": pair(self.prior),
            "data": pair(self.data),
            "posterior": pair(self.posterior),
            "weight": round(self.weight, 3),
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """The calibrated network and what changed."""

    network: Network
    events: int
    first: datetime
    last: datetime
    tau2: float
    stages: tuple[StageEstimate, ...]
    seasons: tuple[Closure, ...] = ()  # closure rules for quarters slower than the node's fastest

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "network": self.network.name,
            "version": self.network.version,
            "events": self.events,
            "first": self.first.isoformat().replace("+00:00", "Z"),
            "last": self.last.isoformat().replace("+00:00", "Z"),
            "tau2": round(self.tau2, 4),
            "stages": [s.to_json() for s in self.stages],
            "seasonal_closures": [
                {
                    "id": c.id,
                    "node": c.target,
                    "months": sorted(c.months),
                    "closed_share": c.closed_share,
                    "episode_mean_h": c.episode_mean_h,
                }
                for c in self.seasons
            ],
        }


@dataclass(frozen=True, slots=True)
class _Fit:
    kind: str
    where: str
    n: int
    prior_median: float
    prior_sigma: float
    median: float
    sigma: float
    observed_mean: float  # mean observed stage time (hours)
    cv2: float  # squared coefficient of variation of the observed stage times
    other_mean: float = 0.0  # node stages: the model's mean closure and service wait (not re-estimated)


def _lognormal_from_moments(mean: float, var: float) -> tuple[float, float]:
    sigma2 = math.log1p(max(var, 1e-9) / (mean * mean))
    return mean * math.exp(-sigma2 / 2.0), math.sqrt(sigma2)


def _sigma(median: float, p90: float | None, fallback: float) -> float:
    if p90 is None or p90 <= median or median <= 0:
        return fallback
    return math.log(p90 / median) / Z90


def observed_pairs(shipment: TrackedShipment, log: EventLog) -> list[tuple[int, datetime, float]]:
    """Observed stages of one shipment: (stage index on the route — node *k* is ``2k``, the link after
    it ``2k + 1`` —, start, hours), from its first actual arrival and departure at each node."""
    index = {n: i for i, n in enumerate(shipment.nodes)}
    arr: dict[int, datetime] = {}
    dep: dict[int, datetime] = {}
    for e in log.effective(shipment.booking):
        if not e.is_actual or e.location not in index:
            continue
        target = arr if e.movement == "arrive" else dep if e.movement == "depart" else None
        if target is not None:
            target.setdefault(index[e.location], e.event_time)
    out = []
    for k, t in sorted(arr.items()):
        if k in dep and dep[k] >= t:
            out.append((2 * k, t, (dep[k] - t).total_seconds() / 3600.0))
    for k, t in sorted(dep.items()):
        if k + 1 in arr and arr[k + 1] > t and k < len(shipment.links):
            out.append((2 * k + 1, t, (arr[k + 1] - t).total_seconds() / 3600.0))
    return sorted(out)


def observed(
    network: Network, shipments: Sequence[TrackedShipment], events: Iterable[TrackingEvent] | EventLog
) -> tuple[dict[tuple[str, str], list[tuple[float, datetime]]], int, datetime | None, datetime | None]:
    """Observed durations (hours, with the stage's start) per ``(kind, where)``; events used, first, last."""
    log = events if isinstance(events, EventLog) else EventLog.of(events)
    out: dict[tuple[str, str], list[tuple[float, datetime]]] = {}
    n = 0
    first: datetime | None = None
    last: datetime | None = None
    for ship in shipments:
        for i, start, hours in observed_pairs(ship, log):
            key = ("node", ship.nodes[i // 2]) if i % 2 == 0 else ("link", ship.links[i // 2])
            out.setdefault(key, []).append((hours, start))
            end = start + timedelta(hours=hours)
            n += 2
            first = start if first is None or start < first else first
            last = end if last is None or end > last else last
    return out, n, first, last


def calibrate(
    network: Network,
    shipments: Sequence[TrackedShipment],
    events: Iterable[TrackingEvent] | EventLog,
    *,
    min_n: int = MIN_N,
) -> Calibration:
    """A new version of ``network`` with dwell and moving times re-estimated from ``events``.

    Raises
    ------
    InputError
        if no stage has at least ``min_n`` observed durations.
    """
    obs, used, first, last = observed(network, shipments, events)
    closures = closures_by_target(network)
    sid = f"calibrated-{last:%Y%m%d}" if last is not None else "calibrated"
    fits: list[_Fit] = []
    seasons: list[Closure] = []
    for (kind, where), rows in sorted(obs.items()):
        if len(rows) < min_n:
            continue
        rows = sorted(rows, key=lambda r: r[1])
        t = np.array([r[0] for r in rows])
        if kind == "link":
            lk = network.link(where)
            prior_m = lk.moving_time_h
            prior_s = _sigma(prior_m, lk.time_p90_h, MIN_SIGMA)
            pos = np.maximum(t, 1e-3)
            fits.append(
                _Fit(
                    kind,
                    where,
                    len(t),
                    prior_m,
                    prior_s,
                    float(np.exp(np.mean(np.log(pos)))),
                    float(np.std(np.log(pos))),
                    float(np.mean(t)),
                    _cv2(t),
                )
            )
            continue
        node = network.node(where)
        if node.dwell_h is None or node.dwell_h <= 0:
            continue
        prior_s = _sigma(node.dwell_h, node.dwell_p90_h, MIN_SIGMA)
        seasonal = seasonal_closures(where, rows, closures, sid)
        seasons.extend(seasonal)
        here = {**closures, where: (*closures.get(where, ()), *seasonal)}
        closure_mean, wait_mean = _other_means(network, node, rows, here)
        modelled = node.dwell_h * math.exp(prior_s * prior_s / 2.0) + wait_mean
        scale = max(float(np.mean(t)) - closure_mean, 0.05 * modelled) / modelled
        spread = float(np.std(t)) / max(float(np.mean(t)), 1e-6)  # coefficient of variation → sd of log scale
        fits.append(
            _Fit(
                kind,
                where,
                len(t),
                node.dwell_h,
                prior_s,
                node.dwell_h * scale,
                max(spread, MIN_SIGMA),
                float(np.mean(t)),
                _cv2(t),
                closure_mean + wait_mean,
            )
        )
    if not fits or first is None or last is None:
        raise InputError(
            "nothing to calibrate",
            [
                Problem(
                    "events",
                    f"no stage has {min_n} or more observed durations (arrival and departure pairs)",
                    expected=f">= {min_n}",
                )
            ],
        )
    return _shrink(network, fits, used, first, last, tuple(seasons))


def _cv2(x: np.ndarray[Any, np.dtype[np.float64]]) -> float:
    m = float(np.mean(x))
    return float(np.var(x)) / (m * m) if m > 0 else 0.0


def _other_means(
    network: Network, node: Node, rows: list[tuple[float, datetime]], closures: Any
) -> tuple[float, float]:
    """Mean closure wait (over the months observed) and mean service wait at ``node`` in the model."""
    closure = [
        sum(c.closed_share * c.episode_mean_h for c in closures.get(node.id, ()) if when.month in c.months)
        for _, when in rows
    ]
    waits = [
        s.max_wait_h or 0.0
        for s in network.services
        if network.link(s.link_id).from_id == node.id and s.departure == "fill_or_timeout"
    ]
    return float(np.mean(closure)), (max(waits) / 2.0 if waits else 0.0)


def _shrink(
    network: Network, fits: list[_Fit], used: int, first: datetime, last: datetime, seasons: tuple[Closure, ...]
) -> Calibration:
    d = np.array([math.log(f.median) - math.log(f.prior_median) for f in fits])
    s2 = np.array([max(f.sigma, MIN_SIGMA) ** 2 / f.n for f in fits])
    tau2 = max(float(np.mean(d * d) - np.mean(s2)), MIN_TAU2)
    sid = f"calibrated-{last:%Y%m%d}"
    nodes = {n.id: n for n in network.nodes}
    links = {lk.id: lk for lk in network.links}
    estimates = []
    posterior_var = []
    misfit = []
    for f, di, si in zip(fits, d, s2, strict=True):
        w = tau2 / (tau2 + float(si))
        posterior_var.append(w * float(si))
        median = f.prior_median * math.exp(w * float(di))
        ds = math.log(max(f.sigma, MIN_SIGMA)) - math.log(max(f.prior_sigma, MIN_SIGMA))
        ws = tau2 / (tau2 + 1.0 / (2.0 * f.n)) if f.kind == "link" else 0.0  # node stages: scale only
        sigma = max(f.prior_sigma, MIN_SIGMA) * math.exp(ws * ds)
        misfit.append(_misfit(f, median * math.exp(sigma * sigma / 2.0)))
        p90 = median * math.exp(Z90 * sigma)
        prior = (f.prior_median, f.prior_median * math.exp(Z90 * f.prior_sigma))
        estimates.append(
            StageEstimate(f.kind, f.where, f.n, prior, (f.median, f.median * math.exp(Z90 * f.sigma)), (median, p90), w)
        )
        if f.kind == "node":
            nodes[f.where] = _node(nodes[f.where], median, p90, sid)
        else:
            links[f.where] = _link(links[f.where], median, p90, sid)
    log_sd = posterior_log_sd(
        np.array(posterior_var), np.array([m[0] for m in misfit]), np.array([m[1] for m in misfit])
    )
    source = Source(
        sid,
        "published",  # measured: the corridor's own events (SOURCE_KINDS has published and estimate)
        f"calibrated from {used} events, {first:%Y-%m-%d} to {last:%Y-%m-%d}",
        "corridor track calibrate",
        last.year,
        note=f"empirical Bayes shrinkage toward network {network.name} {network.version} (tau2 {tau2:.4f}); "
        f"posterior log-sd {log_sd:.4f}",
    )
    version = f"{network.version}+cal.{last:%Y%m%d}" if network.version else f"cal.{last:%Y%m%d}"
    new = replace(
        network,
        nodes=tuple(nodes[n.id] for n in network.nodes),
        links=tuple(links[lk.id] for lk in network.links),
        closures=(*(c for c in network.closures if not c.id.startswith(f"{sid}-")), *seasons),
        sources=(*(s for s in network.sources if s.id != sid), source),
        version=version,
    )
    return Calibration(new, used, first, last, tau2, tuple(estimates), seasons)


def _misfit(f: _Fit, dwell_or_moving_mean: float) -> tuple[float, float]:
    """``(r² − s², weight)`` of one stage: ``r`` the log-ratio of its observed mean time to the calibrated
    model's mean, ``s² = cv²/n`` that ratio's sampling variance, the weight the stage's mean time²."""
    model = dwell_or_moving_mean + f.other_mean
    r = math.log(max(f.observed_mean, 1e-6) / max(model, 1e-6))
    return r * r - f.cv2 / f.n, model * model


def posterior_log_sd(
    posterior_var: np.ndarray[Any, np.dtype[np.float64]],
    misfit: np.ndarray[Any, np.dtype[np.float64]],
    weight: np.ndarray[Any, np.dtype[np.float64]],
) -> float:
    """The calibrated values' log-sd of error: the weighted mean over stages of the posterior variance
    ``w s²`` plus the residual misfit ``r² − s²`` (what the calibrated values leave unexplained in the
    data they were fitted to: the shrinkage, and node stages whose service wait is not re-estimated),
    weighted by each stage's mean time² — its share of a journey's variance.  A method-of-moments
    estimate of the residual variance; its sum is floored at zero."""
    total = float(np.sum(weight))
    if total <= 0:
        return math.sqrt(max(float(np.mean(posterior_var)), 0.0))
    v = float(np.sum(weight * (posterior_var + misfit))) / total
    return math.sqrt(max(v, 0.0))


def _node(node: Node, median: float, p90: float, sid: str) -> Node:
    prov = dict(node.provenance)
    prov.update({"dwell_h": sid, "dwell_p90_h": sid})
    return replace(node, dwell_h=round(median, 3), dwell_p90_h=round(p90, 3), provenance=prov)


def _link(link: Link, median: float, p90: float, sid: str) -> Link:
    prov = dict(link.provenance)
    prov.update({"time_h": sid, "time_p90_h": sid})
    return replace(link, time_h=round(median, 3), time_p90_h=round(p90, 3), provenance=prov)
