"""Seasonal calibration of node stages: a quarter that is slower than the node's fastest becomes a closure rule.

The network holds one dwell per node; what varies by season is carried by its closure rules (months,
share of the time closed, mean episode), which routing, simulation and the ETA all read.  So a
season is calibrated in that vocabulary (docs/design/tracking-eta.md, "Seasons"):

* the node's observed stage times, less the mean wait of the bundled closures in force that month,
  are grouped by calendar quarter of the stage's start;
* quarters with at least :data:`MIN_N` stages *qualify*; with fewer than two, the node is pooled
  (one dwell over the whole window — the fallback);
* against the fastest qualifying quarter (the base), a quarter slower by more than :data:`Z` standard
  errors gets a closure for its three months whose mean wait ``p · μ`` is the difference of means
  ``Δ`` and whose extra variance ``2Δμ − Δ²`` is the difference of variances (moments of a
  probability ``p`` of an exponential wait with mean ``μ``): ``μ = max((Δv + Δ²) / (2Δ), Δ / 0.99)``,
  ``p = Δ / μ`` (at most 0.99, the bound of ``closures.csv``).

The dwell is then scaled net of these closures, so it describes the base season; quarters with no
data keep the base (a closure never makes a stage shorter).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

import numpy as np

from corridor.network import Closure

#: Stages a quarter needs at a node to be calibrated on its own (below it, the node is pooled).
MIN_N: Final = 30
#: Standard errors by which a quarter's mean must exceed the base quarter's to get its own closure.
Z: Final = 2.0
#: The largest closed share a network's closure rule may state (closures.csv's bound).
MAX_SHARE: Final = 0.99
QUARTERS: Final = tuple(frozenset(range(3 * q + 1, 3 * q + 4)) for q in range(4))


def _closure_mean(closures: Sequence[Closure], month: int) -> float:
    return sum(c.closed_share * c.episode_mean_h for c in closures if month in c.months)


def seasonal_closures(
    node: str,
    rows: Sequence[tuple[float, datetime]],
    closures: Mapping[str, Sequence[Closure]],
    sid: str,
    *,
    min_n: int = MIN_N,
) -> tuple[Closure, ...]:
    """Closure rules for the quarters in which ``node``'s stages (``rows``: hours, start) were slower
    than in its fastest quarter; none when fewer than two quarters have ``min_n`` stages."""
    bundled = closures.get(node, ())
    by_q: dict[int, list[float]] = {}
    for hours, when in rows:
        by_q.setdefault((when.month - 1) // 3, []).append(hours - _closure_mean(bundled, when.month))
    stats = {q: np.array(x) for q, x in by_q.items() if len(x) >= min_n}
    if len(stats) < 2:
        return ()
    base = min(stats, key=lambda q: float(np.mean(stats[q])))
    b = stats[base]
    out = []
    for q, x in sorted(stats.items()):
        delta = float(np.mean(x) - np.mean(b))
        se = math.sqrt(float(np.var(x, ddof=1)) / len(x) + float(np.var(b, ddof=1)) / len(b))
        if q == base or delta <= Z * se:
            continue
        extra_var = float(np.var(x, ddof=1) - np.var(b, ddof=1))
        mu = max((extra_var + delta * delta) / (2.0 * delta), delta / MAX_SHARE)
        out.append(
            Closure(
                f"{sid}-{node}-q{q + 1}",
                node,
                QUARTERS[q],
                round(delta / mu, 4),
                round(mu, 2),
                cause="calibrated season",
                note=f"quarter {q + 1} slower than quarter {base + 1} by {delta:.1f} h on average "
                f"({len(x)} and {len(b)} stages)",
                provenance={"closed_share": sid, "episode_mean_h": sid},
            )
        )
    return tuple(out)
