"""Closure episodes of ports and links for one replication (see ``closures.csv``).

Each rule is an alternating open/closed process that runs only in its months: open spells are
exponential, closed episodes exponential with mean ``episode_mean_h`` clipped to
``[episode_min_h, episode_max_h]``; the open mean is chosen so that the long-run closed share in
those months is ``closed_share``.  An episode that starts in the last days of a season may run on
past it.
"""

from __future__ import annotations

import bisect
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


def _seasons(rule: Closure, plan: Plan) -> list[tuple[float, float]]:
    """The rule's seasons: maximal runs of calendar segments in its months, as hour intervals."""
    seg_t = plan.seg_t.tolist()
    out: list[tuple[float, float]] = []
    for k, month in enumerate(plan.seg_month.tolist()):
        if month + 1 not in rule.months:
            continue
        if out and out[-1][1] == seg_t[k]:
            out[-1] = (out[-1][0], seg_t[k + 1])
        else:
            out.append((seg_t[k], seg_t[k + 1]))
    return out


def _episodes(rule: Closure, plan: Plan, rng: np.random.Generator) -> list[tuple[float, float]]:
    if rule.closed_share <= 0:
        return []
    low, high = rule.episode_min_h or 0.0, rule.episode_max_h if rule.episode_max_h is not None else math.inf
    closed_mean = clipped_exponential_mean(rule.episode_mean_h, low, high)
    open_mean = closed_mean * (1.0 - rule.closed_share) / rule.closed_share
    seasons = _seasons(rule, plan)
    season_ends = [e for _, e in seasons]
    out: list[tuple[float, float]] = []
    t, end = 0.0, plan.end_h
    while t < end:
        k = bisect.bisect_right(season_ends, t)  # the season under way at t, or the next one
        if k == len(seasons):
            break
        if seasons[k][0] > t:
            t = seasons[k][0]
            continue
        season_end = seasons[k][1]
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
    """Closure episodes of every rule for one replication, drawn from ``rng``.

    Work is proportional to the rules and their episodes: only the nodes and links that rules
    name are visited; the offsets of every other node and link come from one cumulative sum."""
    n = len(plan.node_ids)
    by_target: dict[int, list[tuple[float, float]]] = {}  # node i → i, link j → n + j
    closed = []
    for rule, (kind, index) in zip(plan.closures, plan.closure_targets, strict=True):
        own = _episodes(rule, plan, rng)
        by_target.setdefault(index if kind == 0 else n + index, []).extend(own)
        closed.append(sum(max(0.0, min(e, plan.end_h) - max(s, plan.warmup_h)) for s, e in _merge(own)))
    counts = np.zeros(n + len(plan.link_ids), dtype=np.int64)
    starts: list[float] = []
    ends: list[float] = []
    for slot in sorted(by_target):
        merged = _merge(by_target[slot])
        counts[slot] = len(merged)
        starts.extend(s for s, _ in merged)
        ends.extend(e for _, e in merged)
    offsets = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
    return Episodes(
        node_off=offsets[: n + 1],
        link_off=offsets[n:],
        start=np.array(starts, dtype=float),
        end=np.array(ends, dtype=float),
        closed_h=np.array(closed, dtype=float),
    )
