"""The rules of the corridor operations model, in words and as small strategy objects.

What moves
    Cargo arrives at each origin as *cohorts*: a block train's worth of one flow (``cohort_teu``
    for containers, ``cohort_t`` for bulk; smaller for thin flows so that every flow sends at least
    ``min_cohorts_per_year``).  Arrivals form a Poisson process whose rate follows the monthly
    ``seasonality`` profile (or, with ``arrivals="regular"``, evenly spaced in cumulative rate).
    A cohort follows its flow's path and is split only when a vessel has room for part of it.

Paths
    The capacity engine chooses them (``route_choice``, :mod:`corridor.sim._routes`): by default
    :func:`corridor.capacity.assign` splits each flow across paths within every capacity and the
    simulation runs one sub-flow per path with its assigned volume; what the assignment cannot
    carry goes on the flow's cheapest path and shows up as a growing backlog.  Results are
    reported per origin–destination flow (sub-flows added up).  ``route_choice="cheapest"`` puts
    every flow on its cheapest path, all or nothing.

Stages on a path
    * **node** (origin, border, gauge change, port, junction): a FIFO queue with ``c`` parallel
      servers and a processing time drawn from the node's dwell (median ``dwell_h``, 90th
      percentile ``dwell_p90_h``).  ``c = ⌈capacity × mean dwell⌉`` servers (capacity in full
      trains; separate container and bulk servers where both capacities are given).  A cohort
      leaves after its dwell, but its server stays blocked for ``κ = c / (capacity × mean dwell)
      ≥ 1`` times that dwell (times its share of a full train), counted in open hours, so the node
      passes at most its stated capacity over the time it is open
      (docs/design/sim-node-capacity.md).  A node without a capacity has unlimited servers.  The
      destination has no stage.
    * **move** on a link without a service: a run time (median ``time_h``, 90th percentile
      ``time_p90_h``); no line capacity (the capacity engine owns that).
    * **service** on a link with a ferry, feeder or block-train service: the cohort waits at the
      berth for a vessel of a finite fleet.  At the service's *home* end (the link's ``from``) a
      vessel sails when loaded to ``fill_share`` × capacity or ``max_wait_h`` after its first
      cargo came aboard (``fill_or_timeout``), every ``headway_h`` (``schedule``), or at once
      (``on_demand``).  Cargo waiting at the far end also starts the clock of the vessel first
      in line at home, so nothing is stranded.  Cargo lands after ``sailing_h`` (the port's dwell
      covers its handling); the vessel stays ``port_h`` alongside, takes what waits at the far end
      (up to capacity) straight back (``return_h``), and is ready again after ``port_h``.
    * **closures**: each closure rule is an alternating open/closed process in its months, with
      exponential episodes of mean ``episode_mean_h`` clipped to ``[episode_min_h,
      episode_max_h]``.  Nothing starts at a closed node or on a closed link, no vessel leaves a
      closed port or arrives at one (it waits at anchorage).

Distributions are strategies (:data:`DISTRIBUTIONS`, named in :mod:`corridor.distributions`, the
vocabulary routing shares): ``lognormal`` (median and P90; the default), ``exponential`` (mean =
the typical value) and ``deterministic``.  The kernel
(:mod:`corridor.sim._kernel`) only sees their codes and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from corridor import distributions
from corridor.distributions import lognormal_mean, lognormal_mu_sigma
from corridor.errors import InputError
from corridor.sim._codes import DETERMINISTIC, EXPONENTIAL, LOGNORMAL, POISSON, REGULAR
from corridor.sim._routes import ROUTE_CHOICES
from corridor.units import DEFAULT_T_PER_TEU, T_PER_TRAIN, TEU_PER_TRAIN


class Distribution(Protocol):
    """Turns a typical value and a bad-case (P90) value into kernel parameters."""

    @property
    def name(self) -> str: ...

    def params(self, typical: float, p90: float) -> tuple[int, float, float]: ...

    def mean(self, typical: float, p90: float) -> float: ...


@dataclass(frozen=True)
class Deterministic:
    """Always the typical value."""

    name: str = distributions.DETERMINISTIC

    def params(self, typical: float, p90: float) -> tuple[int, float, float]:
        return DETERMINISTIC, typical, 0.0

    def mean(self, typical: float, p90: float) -> float:
        return typical


@dataclass(frozen=True)
class Exponential:
    """Exponential with mean = the typical value (the P90 is ignored); for queueing checks."""

    name: str = distributions.EXPONENTIAL

    def params(self, typical: float, p90: float) -> tuple[int, float, float]:
        return (EXPONENTIAL, typical, 0.0) if typical > 0 else (DETERMINISTIC, 0.0, 0.0)

    def mean(self, typical: float, p90: float) -> float:
        return typical


@dataclass(frozen=True)
class Lognormal:
    """Lognormal with median = typical and 90th percentile = p90."""

    name: str = distributions.LOGNORMAL

    def params(self, typical: float, p90: float) -> tuple[int, float, float]:
        if typical <= 0:
            return DETERMINISTIC, 0.0, 0.0
        mu, sigma = lognormal_mu_sigma(typical, max(p90, typical))
        return LOGNORMAL, mu, sigma

    def mean(self, typical: float, p90: float) -> float:
        code, mu, sigma = self.params(typical, p90)
        return lognormal_mean(mu, sigma) if code == LOGNORMAL else typical


DISTRIBUTIONS: Final[dict[str, Distribution]] = {d.name: d for d in (Lognormal(), Exponential(), Deterministic())}

#: Arrival processes: how much cumulative rate is consumed between two cohorts.
ARRIVALS: Final = {"poisson": POISSON, "regular": REGULAR}

#: Monthly demand profile (Jan…Dec), an estimate: China–Europe rail dips around the Chinese New
#: Year (Feb) and peaks before the European Christmas season (Sep–Nov).  Normalised to mean 1.
DEFAULT_SEASONALITY: Final = (0.95, 0.80, 0.95, 1.00, 1.00, 0.95, 0.95, 1.00, 1.05, 1.10, 1.15, 1.10)

#: Stage categories of the door-to-door breakdown, in output order.
CATEGORIES: Final = (
    "origin",
    "rail",
    "road",
    "border",
    "gauge_change",
    "port",
    "port_wait",
    "sailing",
    "pipeline",
    "other",
)
CAT: Final = {name: i for i, name in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class SimRules:
    """Choices of the model that are not in the network data (see the module docstring)."""

    cohort_teu: float = TEU_PER_TRAIN
    cohort_t: float = T_PER_TRAIN
    min_cohorts_per_year: float = 52.0
    arrivals: str = "poisson"
    dwell: str = distributions.LOGNORMAL
    moves: str = distributions.LOGNORMAL
    seasonality: tuple[float, ...] = DEFAULT_SEASONALITY
    #: P90/median of a dwell or run time when the data give no P90 (estimates).
    dwell_p90_ratio: float = 2.0
    move_p90_ratio: float = 1.2
    sailing_p90_ratio: float = 1.25
    #: Door-to-door histogram: bin width, and number of bins (``None``: enough for the longest
    #: possible time, warm-up plus measured days, so quantiles are never truncated).
    bin_h: float = 1.0
    bins: int | None = None
    #: Tonnes per TEU: a container's mass on a vessel loaded by tonnes, and the TEU-equivalent of
    #: bulk in the overall stage breakdown (vessels loaded by wagons or TEU use the capacity
    #: engine's coefficients, :func:`corridor.capacity.unit_coefficients`).
    t_per_teu_equivalent: float = DEFAULT_T_PER_TEU
    #: How flows are split across paths (:data:`corridor.sim._routes.ROUTE_CHOICES`).
    route_choice: str = "assignment"
    #: Book and route by the capacity assignment with every capacity × this factor (0 < u ≤ 1), so
    #: flows spread over alternatives before a bottleneck is exactly full, where a stochastic queue
    #: has no steady state; 1 books the full capacities.  Demand the derated network cannot carry is
    #: refused at booking (diverted or not moved).  Ignored by ``route_choice="cheapest"``.
    #: Estimate, 0.9: operators book below nominal capacity to absorb storms and arrival peaks; at 0.9
    #: every port queue of the bundled 2027-target and wb-2030 runs is steady over two years, at 0.95
    #: and 1 Aktau's (and at 1 Alat's) grows (docs/simulation.md, "Booking below capacity"); no 2024
    #: asset is above 59% used, so the 2024 calibration is the same at 0.9 and 1.
    planning_utilisation: float = 0.9

    def check(self) -> list[str]:
        """Problems with the rules themselves (empty if fine)."""
        problems = []
        if self.route_choice not in ROUTE_CHOICES:
            problems.append(f"route_choice must be one of {', '.join(ROUTE_CHOICES)}, got {self.route_choice!r}")
        if not 0 < self.planning_utilisation <= 1:
            problems.append(f"planning_utilisation must be in (0, 1], got {self.planning_utilisation!r}")
        if self.arrivals not in ARRIVALS:
            problems.append(f"arrivals must be one of {', '.join(ARRIVALS)}, got {self.arrivals!r}")
        for name in ("dwell", "moves"):
            value = getattr(self, name)
            if value not in DISTRIBUTIONS:
                problems.append(f"{name} must be one of {', '.join(DISTRIBUTIONS)}, got {value!r}")
        for name in ("cohort_teu", "cohort_t", "min_cohorts_per_year", "bin_h", "t_per_teu_equivalent"):
            if not getattr(self, name) > 0:
                problems.append(f"{name} must be > 0, got {getattr(self, name)!r}")
        if self.bins is not None and self.bins < 10:
            problems.append(f"bins must be ≥ 10, got {self.bins}")
        if len(self.seasonality) != 12 or min(self.seasonality) < 0 or sum(self.seasonality) <= 0:
            problems.append("seasonality must be 12 monthly factors ≥ 0, not all zero")
        for name in ("dwell_p90_ratio", "move_p90_ratio", "sailing_p90_ratio"):
            if not getattr(self, name) >= 1:
                problems.append(f"{name} must be ≥ 1, got {getattr(self, name)!r}")
        return problems

    def validated(self) -> SimRules:
        problems = self.check()
        if problems:
            raise InputError("invalid simulation rules: " + "; ".join(problems))
        return self
