"""Duration distributions, named once for routing, tracking and simulation.

Routing adds a route's durations up analytically (:class:`corridor.routing.Component` and its
cumulants); the simulation draws them (:mod:`corridor.sim` turns a name and its parameters into the
kernel's integer code).  Both use the names below and the same parameters taken from the data's
typical (P50) and bad-case (P90) values:

============== ======================================= =========== ==========
name           parameters ``(a, b)``                   routing     simulation
============== ======================================= =========== ==========
deterministic  always ``a``                            yes         yes
exponential    mean ``a``                              —           yes
lognormal      median ``a``, log-sd ``b``              yes         yes
uniform        on ``[0, a]``                           yes         —
closure        with probability ``a`` an exponential   yes         —
               wait of mean ``b``, else none
queue          the same, for an expected queueing      yes         —
               wait (routing's queueing correction)
============== ======================================= =========== ==========

(The simulation's kernel keeps a lognormal as ``(log a, b)``: see :func:`lognormal_mu_sigma`.)
"""

from __future__ import annotations

import math
from typing import Final

from corridor.units import lognormal_sigma

DETERMINISTIC: Final = "deterministic"
EXPONENTIAL: Final = "exponential"
LOGNORMAL: Final = "lognormal"
UNIFORM: Final = "uniform"
CLOSURE: Final = "closure"
QUEUE: Final = "queue"

#: Every name, in the order of the table above.
NAMES: Final = (DETERMINISTIC, EXPONENTIAL, LOGNORMAL, UNIFORM, CLOSURE, QUEUE)

#: The distributions the simulation kernel draws, and its integer code for each.
KERNEL_CODES: Final = {DETERMINISTIC: 0, EXPONENTIAL: 1, LOGNORMAL: 2}


def lognormal_mu_sigma(p50: float, p90: float) -> tuple[float, float]:
    """``(mu, sigma)`` of the lognormal ``exp(mu + sigma·N(0, 1))`` with median ``p50`` and 90th
    percentile ``p90`` (``p90 >= p50 > 0``)."""
    return math.log(p50), lognormal_sigma(p50, p90)


def lognormal_mean(mu: float, sigma: float) -> float:
    """Mean of the lognormal ``exp(mu + sigma·N(0, 1))``."""
    return math.exp(mu + sigma * sigma / 2.0)
