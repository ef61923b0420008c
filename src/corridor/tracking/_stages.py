"""A planned route as stages with the routing model's random components, and residual waits.

The stages of a route from node *k* alternate: the **node stage** at node *k* (closures in force in
that month, dwell, the wait for a ferry or block train, closures of the next link; it ends with the
departure, DEPA) and the **link stage** on the next link (moving time; it ends with the arrival, ARRI,
at node *k+1*).  The components are exactly those of :func:`corridor.routing.timeline`, so
routing, simulation data and arrival prediction share one set of distributions.

The stage the equipment is in *now* has already lasted ``elapsed`` hours; what is left is the
residual ``S − elapsed`` given ``S > elapsed``.  :class:`Residual` draws the stage's sum once (a
seeded generator per stage, so the same stage always gives the same draws), sorts the draws, and
reads the residual's quantiles off the tail beyond ``elapsed``.  When fewer than
:data:`MIN_TAIL` draws are left (the stage has already lasted longer than the model thought
plausible), the residual is taken as exponential with the mean excess of the last
:data:`MIN_TAIL` draws — the memoryless limit of a heavy tail.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import numpy as np
import numpy.typing as npt

from corridor.network import Closure, Network, Service
from corridor.routing import Component, Queueing, link_stage, node_stage, timeline

DRAWS: Final = 4000
MIN_TAIL: Final = 40
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage: ``kind`` ``node`` or ``link``, where it is, its category, its components."""

    kind: str
    where: str
    category: str
    components: tuple[Component, ...]

    @property
    def cumulants(self) -> tuple[float, float, float, float]:
        out = [0.0, 0.0, 0.0, 0.0]
        for c in self.components:
            for i, v in enumerate(c.cumulants):
                out[i] += v
        return out[0], out[1], out[2], out[3]

    @property
    def typical_h(self) -> float:
        """The routing model's typical time of the stage (sum of the components' medians)."""
        return sum(c.p50 for c in self.components)


def services_by_link(network: Network) -> dict[str, Service]:
    return {s.link_id: s for s in network.services}


def closures_by_target(network: Network) -> dict[str, tuple[Closure, ...]]:
    return {t: network.closures_of(t) for t in {c.target for c in network.closures}}


def route_stages(
    network: Network,
    nodes: Sequence[str],
    links: Sequence[str],
    depart: datetime | None,
    *,
    services: Mapping[str, Service] | None = None,
    closures: Mapping[str, Sequence[Closure]] | None = None,
    queueing: Queueing | None = None,
) -> list[Stage]:
    """Stages of the path ``nodes`` (``links`` between them) starting at ``nodes[0]`` at ``depart``;
    with ``queueing`` (a scenario's capacity assignment), node stages carry its expected queues."""
    svc = services if services is not None else services_by_link(network)
    cls = closures if closures is not None else closures_by_target(network)
    node_objs = [network.node(n) for n in nodes]
    link_objs = [network.link(lk) for lk in links]
    services_on = [svc.get(lk.id) if lk.service else None for lk in link_objs]
    comps = timeline(cls, node_objs, link_objs, services_on, depart, queueing).components
    stages: list[Stage] = []
    pending: list[Component] = []
    step = 0
    for c in comps:
        if c.what == "moving" and step < len(link_objs):
            node = node_objs[step]
            stages.append(Stage("node", node.id, node_stage(node), tuple(pending)))
            stages.append(Stage("link", c.where, link_stage(link_objs[step]), (c,)))
            pending = []
            step += 1
        else:
            pending.append(c)
    if pending and stages:  # closures at the destination delay the arrival
        last = stages[-1]
        stages[-1] = Stage(last.kind, last.where, last.category, last.components + tuple(pending))
    return stages


def stage_draws(stage: Stage, key: str, n: int) -> F64:
    """``n`` draws of the stage's total time from a generator seeded by ``key`` (same key, same draws)."""
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    total = np.zeros(n)
    for c in stage.components:
        total += c.sample(rng, n)
    return total


class Residual:
    """Draws of one stage's total, sorted, to condition on time already spent (module docstring)."""

    __slots__ = ("draws", "grid")

    def __init__(self, stage: Stage, key: str, n: int) -> None:
        self.draws: F64 = np.sort(stage_draws(stage, key, DRAWS))
        self.grid: F64 = (np.arange(n) + 0.5) / n

    def sample(self, elapsed: float) -> F64:
        """Quantiles of ``S − elapsed`` given ``S > elapsed`` on an even grid of probabilities."""
        d = self.draws
        j = int(np.searchsorted(d, elapsed, side="right")) if elapsed > 0.0 else 0
        if len(d) - j < MIN_TAIL:
            tail = d[-MIN_TAIL:]
            mean = max(float(np.mean(tail - tail[0])), 1e-6)
            out: F64 = -mean * np.log1p(-self.grid)
            return out
        tail = d[j:] - elapsed
        picked: F64 = tail[(self.grid * len(tail)).astype(np.int64)]
        return picked
