"""Door-to-door time of a path: typical (P50) and bad case (P90), by stage.

Every step of a path is one random component:

* moving time on a link: log-normal with median ``time_h`` (or distance / speed) and 90th
  percentile ``time_p90_h`` (a constant when no P90 is given);
* dwell at the origin and every intermediate node: log-normal with median ``dwell_h`` and 90th
  percentile ``dwell_p90_h`` (the destination's dwell is not part of the trip);
* waiting for a service: uniform on [0, ``max_wait_h``] for a fill-or-timeout ferry, on
  [0, ``headway_h``] for a scheduled service (no timetable phase is known);
* a closure of a node or link in force in the month the cargo gets there: with probability
  ``closed_share`` the cargo arrives during an episode and waits the residual, exponential with mean
  ``episode_mean_h`` (memoryless episodes); without a departure date the share is averaged over the
  year.

The **typical time (P50)** is the sum of the components' medians — the calibration basis of the
bundled data (moving time + dwell + half the longest wait).  The **bad case (P90)** is the 90th
percentile of the sum of independent components: cumulants (mean, variance, third and fourth)
add, and the quantile of the sum comes from the Cornish–Fisher expansion when the sum is near
normal (|skewness| ≤ 1), otherwise from a shifted gamma matched to three cumulants with the
Wilson–Hilferty approximation.  ``tests/routing`` checks it against a seeded Monte Carlo
convolution of the same components.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import NormalDist
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from corridor.distributions import CLOSURE, DETERMINISTIC, LOGNORMAL, QUEUE, UNIFORM
from corridor.network import Closure, Link, Node, Service
from corridor.units import Z90, lognormal_sigma

if TYPE_CHECKING:
    from corridor.routing._queueing import Queueing

_FOUR_FACTORIAL: Final = 24.0  # 4!, in the moment and Cornish-Fisher formulas (not hours)

_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

STAGES: Final = ("rail", "road", "sea_ferry", "pipeline", "port_wait", "border", "transshipment", "terminal")


@dataclass(frozen=True, slots=True)
class Component:
    """One random duration: its distribution (``kind`` with parameters ``a``, ``b``), median and cumulants.

    kinds (:mod:`corridor.distributions`, shared with the simulation): ``deterministic`` (a),
    ``lognormal`` (median a, log-sd b), ``uniform`` (on [0, a]), ``closure`` (probability a of an
    exponential wait with mean b), ``queue`` (the same distribution for an expected queueing wait,
    :mod:`._queueing`; its typical value is its mean).
    """

    stage: str
    where: str
    what: str
    kind: str
    a: float
    b: float = 0.0

    @property
    def p50(self) -> float:
        if self.kind == UNIFORM:
            return self.a / 2.0
        if self.kind == CLOSURE:
            return self.b * math.log(2.0 * self.a) if self.a > 0.5 else 0.0
        if self.kind == QUEUE:
            return self.a * self.b
        return self.a

    @property
    def cumulants(self) -> tuple[float, float, float, float]:
        """Mean, variance, third and fourth cumulants."""
        a, b = self.a, self.b
        if self.kind == LOGNORMAL:
            w = math.exp(b * b)
            var = a * a * w * (w - 1.0)
            skew = (w + 2.0) * math.sqrt(w - 1.0)
            exkurt = w**4 + 2.0 * w**3 + 3.0 * w**2 - 6.0
            return a * math.sqrt(w), var, skew * var**1.5, exkurt * var * var
        if self.kind == UNIFORM:
            return a / 2.0, a * a / 12.0, 0.0, -(a**4) / 120.0
        if self.kind in (CLOSURE, QUEUE):
            m1, m2, m3, m4 = a * b, 2.0 * a * b * b, 6.0 * a * b**3, _FOUR_FACTORIAL * a * b**4
            k4 = m4 - 4.0 * m3 * m1 - 3.0 * m2 * m2 + 12.0 * m2 * m1 * m1 - 6.0 * m1**4
            return m1, m2 - m1 * m1, m3 - 3.0 * m1 * m2 + 2.0 * m1**3, k4
        return a, 0.0, 0.0, 0.0

    def sample(self, rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
        """``n`` draws of this duration (for the Monte Carlo check and the simulation)."""
        if self.kind == LOGNORMAL:
            return np.exp(rng.normal(math.log(self.a), self.b, n))
        if self.kind == UNIFORM:
            return rng.uniform(0.0, self.a, n)
        if self.kind in (CLOSURE, QUEUE):
            return np.where(rng.random(n) < self.a, rng.exponential(self.b, n), 0.0)
        return np.full(n, self.a)


def lognormal(stage: str, where: str, what: str, median: float, p90: float | None) -> Component:
    """Log-normal from median and P90; a constant if P90 is missing or not above the median."""
    if p90 is None or median <= 0 or p90 <= median:
        return Component(stage, where, what, DETERMINISTIC, median)
    return Component(stage, where, what, LOGNORMAL, median, lognormal_sigma(median, p90))


def quantile(components: Iterable[Component], q: float = 0.9) -> float:
    """Quantile of the sum of independent components, from its first four cumulants."""
    mean = var = k3 = k4 = 0.0
    for c in components:
        m, v, c3, c4 = c.cumulants
        mean += m
        var += v
        k3 += c3
        k4 += c4
    return quantile_from_cumulants(mean, var, k3, k4, q)


def quantile_from_cumulants(mean: float, var: float, k3: float, k4: float = 0.0, q: float = 0.9) -> float:
    """Cornish–Fisher expansion (skewness and kurtosis) when the sum is near normal (|skew| ≤ 1);
    otherwise a shifted gamma matched to three cumulants, with the Wilson–Hilferty quantile."""
    if var <= 1e-12:
        return mean
    z = _z(q)
    sd = math.sqrt(var)
    skew = k3 / sd**3
    if abs(skew) <= 1.0:
        kurt = k4 / (var * var)
        w = (
            z
            + (z * z - 1.0) * skew / 6.0
            + (z**3 - 3.0 * z) * kurt / _FOUR_FACTORIAL
            - (2.0 * z**3 - 5.0 * z) * skew * skew / 36.0
        )
        return mean + w * sd
    k = 4.0 / (skew * skew)
    theta = sd * skew / 2.0
    shift = mean - k * theta
    a = 1.0 / (9.0 * k)
    cube = max(1.0 - a + z * math.sqrt(a), 0.0)
    return shift + k * theta * cube**3


def _z(q: float) -> float:
    """Standard normal quantile (the standard library's, so routing never imports scipy)."""
    return Z90 if q == 0.9 else NormalDist().inv_cdf(q)


def node_stage(node: Node) -> str:
    if node.is_gauge_change:
        return "transshipment"
    if node.is_border:
        return "border"
    if node.kind == "port":
        return "port_wait"
    return "terminal"


def link_stage(link: Link) -> str:
    return "sea_ferry" if link.mode in ("sea", "ferry") else link.mode


def wait_stage(link: Link) -> str:
    return "port_wait" if link.mode in ("sea", "ferry") else "terminal"


def closure_share(closure: Closure, when: datetime | None) -> float:
    """Share of time closed: in the month of ``when``, or averaged over the year without a date."""
    if when is None:
        return closure.closed_share * len(closure.months) / 12.0
    return closure.closed_share if when.month in closure.months else 0.0


@dataclass(frozen=True, slots=True)
class Timeline:
    """The components of a path in order, and the typical arrival time at each node."""

    components: tuple[Component, ...]
    arrival_h: tuple[float, ...]  # typical elapsed hours at each node of the path
    #: With a demand in force (queueing) the P50 is the median of the door-to-door time (averaged
    #: over the months without a departure date, :func:`timeline`); on an empty network it stays the
    #: sum of the components' medians, the bundled data's calibration basis.
    typical_h: float | None = None

    @property
    def p50(self) -> float:
        if self.typical_h is not None:
            return self.typical_h
        return sum(c.p50 for c in self.components)

    @property
    def p90(self) -> float:
        return max(quantile(self.components), self.p50)

    def by_stage(self) -> dict[str, tuple[float, float]]:
        out = {}
        for stage in STAGES:
            parts = [c for c in self.components if c.stage == stage]
            if parts:
                p50 = sum(c.p50 for c in parts)
                out[stage] = (p50, max(quantile(parts), p50))
        return out


def _service_wait(
    closures_of: Mapping[str, Sequence[Closure]],
    node: Node,
    link: Link,
    svc: Service | None,
    moment: datetime | None,
    queueing: Queueing | None,
) -> list[Component]:
    """The wait for the service boarded at ``node`` (none without a service, a rule or a width)."""
    if svc is None:
        return []
    stage, what = wait_stage(link), f"wait for {svc.id}"
    interval = queueing.interval(svc, node.id) if queueing is not None else None
    if interval is None or svc.departure != "fill_or_timeout":
        width = svc.departure_window_h
        return [Component(stage, link.id, what, UNIFORM, width)] if width else []
    if node.id == link.from_id:  # home berth: leaves when full or on the timeout (:mod:`._queueing`)
        return [Component(stage, link.id, what, UNIFORM, interval)]
    # far berth: the next vessel to arrive, and none comes while the home berth is closed
    out = [Component(stage, link.id, what, QUEUE, 1.0, interval)]
    for cl in closures_of.get(link.from_id, ()):
        share = closure_share(cl, moment)
        if share > 0:
            why = f"no vessel from {link.from_id}: closure {cl.id}"
            out.append(Component(stage, link.id, why, CLOSURE, share, cl.episode_mean_h))
    return out


def timeline(
    closures_of: Mapping[str, Sequence[Closure]],
    nodes: Sequence[Node],
    links: Sequence[Link],
    services: Sequence[Service | None],
    depart: datetime | None,
    queueing: Queueing | None = None,
    cargo: str = "container",
) -> Timeline:
    """The components of a path given as its nodes and the links (and services) between them.

    With ``queueing`` (:func:`corridor.routing.queueing_for`) the expected queue at capacity-limited
    nodes is added, fill-or-timeout waits follow the demand in force (``cargo`` picks the node pool)
    and the P50 is the median of the sum (the days-weighted mean of the monthly medians without a
    date: closures and their backlogs are seasonal, and a median of year-averaged parts would spread
    a November storm over July)."""
    comps: list[Component] = []
    arrival: list[float] = [0.0]
    clock = 0.0

    def at(when: float) -> datetime | None:
        return None if depart is None else depart + timedelta(hours=when)

    def closures(target: str, stage: str, when: float) -> None:
        for cl in closures_of.get(target, ()):
            share = closure_share(cl, at(when))
            if share > 0:
                comps.append(Component(stage, target, f"closure {cl.id}", CLOSURE, share, cl.episode_mean_h))

    for i, link in enumerate(links):
        node, svc = nodes[i], services[i]
        first = len(comps)
        closures(node.id, node_stage(node), clock)
        if queueing is not None:
            cls = list(closures_of.get(node.id, ()))
            shares = [closure_share(cl, at(clock)) for cl in cls]
            for what, a, b in queueing.waits(node, cargo, cls, shares, svc):
                comps.append(Component(node_stage(node), node.id, what, QUEUE, a, b))
        if node.dwell_h:
            comps.append(lognormal(node_stage(node), node.id, "dwell", node.dwell_h, node.dwell_p90_h))
        comps.extend(_service_wait(closures_of, node, link, svc, at(clock), queueing))
        closures(link.id, wait_stage(link), clock + sum(c.p50 for c in comps[first:]))
        comps.append(lognormal(link_stage(link), link.id, "moving", link.moving_time_h, link.time_p90_h))
        clock += sum(c.p50 for c in comps[first:])
        arrival.append(clock)
    closures(nodes[-1].id, node_stage(nodes[-1]), clock)
    if queueing is None:
        return Timeline(tuple(comps), tuple(arrival))
    if depart is not None:
        return Timeline(tuple(comps), tuple(arrival), max(quantile(comps, 0.5), 0.0))
    monthly = [
        timeline(closures_of, nodes, links, services, datetime(2025, m, 15), queueing, cargo).p50 for m in range(1, 13)
    ]
    typical = sum(d * h for d, h in zip(_MONTH_DAYS, monthly, strict=True)) / sum(_MONTH_DAYS)
    return Timeline(tuple(comps), tuple(arrival), typical)
