"""Closure episodes of ports and links for one replication (see ``closures.csv``).

Each rule is an alternating open/closed process that runs only in its months: open spells are
exponential, closed episodes exponential with mean ``episode_mean_h`` clipped to
``[episode_min_h, episode_max_h]``; the open mean is chosen so that the long-run closed share in
those months is ``closed_share``.  An episode that starts in the last days of a season may run on
past it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corridor.network import Closure
from corridor.sim._plan import Plan


@dataclass(frozen=True)
class Episodes:
    """Closed intervals ``[start, end)`` in hours, merged per node and per link (CSR layout)."""

    node_off: NDArray[np.int64]
    link_off: NDArray[np.int64]
    start: NDArray[np.float64]
    end: NDArray[np.float64]
    closed_h: NDArray[np.float64]  # per closure rule (its own episodes), within the measured window


def clipped_exponential_mean(mean: float, low: float, high: float) -> float:
    """E[min(max(X, low), high)] for X exponential with the given mean."""
    return low + mean * (math.exp(-low / mean) - (math.exp(-high / mean) if math.isfinite(high) else 0.0))


def _episodes(rule: Closure, plan: Plan, rng: np.random.Generator) -> list[tuple[float, float]]:
    if rule.closed_share <= 0:
        return []
    low, high = rule.episode_min_h or 0.0, rule.episode_max_h if rule.episode_max_h is not None else math.inf
    closed_mean = clipped_exponential_mean(rule.episode_mean_h, low, high)
    open_mean = closed_mean * (1.0 - rule.closed_share) / rule.closed_share
    active = np.array([(m + 1) in rule.months for m in plan.seg_month])
    out: list[tuple[float, float]] = []
    t, end = 0.0, plan.end_h
    while t < end:
        k = int(np.searchsorted(plan.seg_t, t, side="right") - 1)
        if not active[k]:
            later = np.flatnonzero(active[k + 1 :])
            if later.size == 0:
                break
            t = float(plan.seg_t[k + 1 + later[0]])
            continue
        run_end = k
        while run_end + 1 < len(active) and active[run_end + 1]:
            run_end += 1
        season_end = float(plan.seg_t[run_end + 1])
        start = t + rng.exponential(open_mean)
        if start >= season_end:
            t = season_end
            continue
        length = min(max(rng.exponential(rule.episode_mean_h), low), high)
        out.append((start, start + length))
        t = start + length
    return out


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def draw_episodes(plan: Plan, rng: np.random.Generator) -> Episodes:
    """Closure episodes of every rule for one replication, drawn from ``rng``."""
    per_node: list[list[tuple[float, float]]] = [[] for _ in plan.node_ids]
    per_link: list[list[tuple[float, float]]] = [[] for _ in plan.link_ids]
    per_rule = []
    for rule, (kind, index) in zip(plan.closures, plan.closure_targets, strict=True):
        per_rule.append(_episodes(rule, plan, rng))
        (per_node if kind == 0 else per_link)[index].extend(per_rule[-1])
    starts: list[float] = []
    ends: list[float] = []
    offsets: list[int] = [0]
    for group in (*per_node, *per_link):
        for s, e in _merge(group):
            starts.append(s)
            ends.append(e)
        offsets.append(len(starts))
    n = len(plan.node_ids)
    closed = []
    for own in per_rule:
        closed.append(sum(max(0.0, min(e, plan.end_h) - max(s, plan.warmup_h)) for s, e in _merge(own)))
    return Episodes(
        node_off=np.array(offsets[: n + 1], dtype=np.int64),
        link_off=np.array(offsets[n:], dtype=np.int64),
        start=np.array(starts, dtype=float),
        end=np.array(ends, dtype=float),
        closed_h=np.array(closed, dtype=float),
    )
