"""Every integer code the kernel understands, in one place.

The plan (:mod:`corridor.sim._plan`) and the rules (:mod:`corridor.sim._rules`) write the model
codes into the arrays; the kernel (:mod:`corridor.sim._kernel`) reads them and adds its own event,
vessel and trace codes.  numba compiles module-level ``Final`` integers as constants.
"""

from __future__ import annotations

from typing import Final

from corridor import distributions
from corridor.distributions import KERNEL_CODES

# --- the model, as laid out by the plan ---
#: Stage kinds.
NODE: Final = 0
MOVE: Final = 1
SERVICE: Final = 2

#: Departure rules (``on_demand`` is fill-or-timeout with no wait).
FILL_OR_TIMEOUT: Final = 0
SCHEDULE: Final = 1

#: Distributions of a duration: (code, a, b), named in :mod:`corridor.distributions`.
DETERMINISTIC: Final = KERNEL_CODES[distributions.DETERMINISTIC]  # a
EXPONENTIAL: Final = KERNEL_CODES[distributions.EXPONENTIAL]  # mean a
LOGNORMAL: Final = KERNEL_CODES[distributions.LOGNORMAL]  # exp(a + b·N(0, 1))

#: Arrival processes: how much cumulative rate is consumed between two cohorts.
POISSON: Final = 0  # an exponential amount
REGULAR: Final = 1  # exactly one

#: Directions of a service leg.
OUT: Final = 0  # home → far
BACK: Final = 1  # far → home

# --- the kernel's own ---
#: Event kinds.
ARRIVAL: Final = 0  # a cohort is born (a = flow)
READY: Final = 1  # a cohort may start its next stage (a = cohort)
V_HOME: Final = 2  # a vessel is back alongside at home (a = vessel)
TIMEOUT: Final = 3  # a vessel's wait is over, or it is full (a = vessel, b = its epoch)
DEPART: Final = 4  # a vessel held by a closure may leave now (a = vessel, b = its epoch)
V_FAR: Final = 5  # a vessel has landed its cargo at the far end (a = vessel)
BACKHAUL: Final = 6  # the far port and the link are open: load and sail back (a = vessel)
SCHED: Final = 7  # a scheduled departure of a service (a = service)
END: Final = 8  # the end of the run

#: Vessel states.
AT_HOME: Final = 0  # alongside at the home berth (loading, or queued to load)
HELD: Final = 1  # ready to leave, waiting for the port or the link to open
AWAY: Final = 2  # sailing, or at the far end

#: Trace row codes; a row is (code, who, where, arrive, start, leave, qty, extra).
T_STAGE: Final = 0  # cohort, stage position
T_SAIL: Final = 1  # vessel, service; extra = direction
T_DELIVER: Final = 2  # cohort, -1
T_BORN: Final = 3  # cohort, flow
T_SPLIT: Final = 4  # new cohort, stage position; extra = the cohort it was split from
TRACE_COLS: Final = 8

#: Overflow flags: the kernel stopped because an array was full (the caller retries with more room).
FITS: Final = 0
POOL_FULL: Final = 1
HEAP_FULL: Final = 2
TRACE_FULL: Final = 3

#: Slots of the kernel's counter array (its mutable scalars).
N_EVENTS: Final = 0  # events in the heap
SEQ: Final = 1  # the next event's sequence number
N_FREE: Final = 2  # free cohort records
SERIAL: Final = 3  # the next cohort's serial number
N_TRACE: Final = 4  # event-log rows written
OVERFLOW: Final = 5  # an overflow flag, FITS while all is well
N_COUNTERS: Final = 6
